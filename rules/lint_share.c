/*
** lint_share.c: one table for the leaves of one shape (lint_abs.c). A
** leaf that reads one question has the table of any other leaf of the
** same shape, the question aside, over a question of the same answers:
** packs repeat their atoms over many questions, and each such table is
** computed once (by the evaluator, in lint_abs.c). Only names (var,
** missing, missing_some) stand for the question; everything else must be
** equal. A leaf's shape is written out as bytes (S_shape), and a hash
** match is always confirmed by comparing them: the condition's tree is
** gone by the time another leaf of the shape comes (the pack keeps no
** trees), and the bytes are a fraction of a tree's size.
*/
#include <stdint.h>
#include <string.h>

#include "lint_sym.h"

static int S_is(const cJSON *v, int type) {
  return v && (v->type & 0xFF) == type;
}

enum { N_NONE, N_NAME, N_VAR, N_LIST, N_SOME };

static uint64_t S_mix(uint64_t h, uint64_t x) {
  return h ^ (x + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
}

/* What the value of member key holds: names or not. */
static int S_member_mode(const char *key, const cJSON *v) {
  int arr = S_is(v, cJSON_Array);

  if (strcmp(key, "var") == 0)
    return arr ? N_VAR : N_NAME;
  if (strcmp(key, "missing") == 0)
    return arr ? N_LIST : N_NAME;
  if (strcmp(key, "missing_some") == 0 && arr)
    return N_SOME;
  return N_NONE;
}

/* The mode of the k-th element of an array in mode m. */
static int S_elem_mode(int m, size_t k, const cJSON *c) {
  if (m == N_VAR)
    return k == 0 ? N_NAME : N_NONE;
  if (m == N_LIST)
    return S_is(c, cJSON_Array) ? N_LIST : N_NAME;
  if (m == N_SOME)
    return k == 1 && S_is(c, cJSON_Array) ? N_LIST : N_NONE;
  return N_NONE;
}

/* A string and its NUL (cJSON's strings hold none). */
static int S_str(cdg_buf *b, int tag, const char *s) {
  return cdg_buf_putc(b, tag) || cdg_buf_put(b, s, strlen(s) + 1);
}

/*
** The shape of n (reading question id) as bytes, one tag per value: two
** shapes are equal exactly when the bytes are (each value's tag and
** length are in them; a name in mode m that is id is the tag 'i'; a
** number its bits, -0 as 0, as == compares). 0, or -1 out of memory.
*/
static int S_shape(cdg_buf *b, const cJSON *n, const char *id, int m) {
  const cJSON *c;
  size_t k = 0;
  double d;
  int rc = 0;

  switch (n->type & 0xFF) {
  case cJSON_String:
    if (m == N_NAME && strcmp(n->valuestring, id) == 0)
      return cdg_buf_putc(b, 'i');
    return S_str(b, 's', n->valuestring);
  case cJSON_Number:
    d = n->valuedouble == 0 ? 0 : n->valuedouble;
    return cdg_buf_putc(b, 'n') || cdg_buf_put(b, &d, sizeof d);
  case cJSON_Array:
    rc = cdg_buf_putc(b, '[');
    for (c = n->child; c && !rc; c = c->next, k++)
      rc = S_shape(b, c, id, S_elem_mode(m, k, c));
    return rc || cdg_buf_putc(b, ']');
  case cJSON_Object:
    rc = cdg_buf_putc(b, '{');
    for (c = n->child; c && !rc; c = c->next)
      rc = S_str(b, 'k', c->string) ||
           S_shape(b, c, id, S_member_mode(c->string, c));
    return rc || cdg_buf_putc(b, '}');
  case cJSON_True:
    return cdg_buf_putc(b, 't');
  case cJSON_False:
    return cdg_buf_putc(b, 'f');
  default:
    return cdg_buf_putc(b, 'z');
  }
}

/* FNV-1a of n bytes. */
static uint64_t S_hash(const char *p, size_t n) {
  uint64_t h = 0xcbf29ce484222325ULL;
  size_t i;

  for (i = 0; i < n; i++)
    h = (h ^ (unsigned char)p[i]) * 0x100000001b3ULL;
  return h;
}

/* Whether questions i and j have the same answers in a table. */
static int S_same_answers(const sym_ctx *S, size_t i, size_t j) {
  const cdg_question *a = &S->pack->questions[i], *b = &S->pack->questions[j];
  const sym_q *p = &S->q[i], *q = &S->q[j];
  size_t k;

  if (a->type != b->type || p->ndom != q->ndom || p->w != q->w)
    return 0;
  for (k = 0; k < p->ndom; k++)
    switch (a->type) {
    case CDG_Q_SINGLE:
    case CDG_Q_MULTI:
      if (strcmp(a->options[k].code, b->options[k].code) != 0 ||
          a->options[k].exclusive != b->options[k].exclusive)
        return 0;
      break;
    case CDG_Q_NUMBER:
      if (p->num[k] != q->num[k])
        return 0;
      break;
    case CDG_Q_TEXT:
      if (strcmp(p->str[k], q->str[k]) != 0)
        return 0;
      break;
    }
  return 1;
}

/* A hash of what S_same_answers compares: without it the leaves of one
** shape over questions of different answers (numbers cut by different
** constants) would share a key, and each lookup walk all of them. */
static uint64_t S_answers_hash(const sym_ctx *S, size_t i) {
  const cdg_question *a = &S->pack->questions[i];
  const sym_q *p = &S->q[i];
  uint64_t h = S_mix(S_mix(S_mix(0x3c6ef372, (uint64_t)a->type), p->ndom),
                     p->w);
  size_t k;
  double d;
  uint64_t bits;

  for (k = 0; k < p->ndom; k++)
    switch (a->type) {
    case CDG_Q_SINGLE:
    case CDG_Q_MULTI:
      h = S_mix(S_mix(h, (uint64_t)cdg_hash(a->options[k].code)),
                (uint64_t)a->options[k].exclusive);
      break;
    case CDG_Q_NUMBER:
      d = p->num[k] == 0 ? 0 : p->num[k];  /* -0 equals 0 */
      memcpy(&bits, &d, sizeof bits);
      h = S_mix(h, bits);
      break;
    case CDG_Q_TEXT:
      h = S_mix(h, (uint64_t)cdg_hash(p->str[k]));
      break;
    }
  return h;
}

/* The table's first slot for key h: the key's high bits stirred into its
** low ones (a number's representative, a small whole double, has none in
** its low bits, and linear probing would then walk one long run). */
static size_t S_slot(uint32_t h, size_t cap) {
  uint64_t x = h;

  x ^= x >> 16;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return (size_t)x & (cap - 1);
}

size_t sym_shared(sym_ctx *S, size_t l, size_t i) {
  const cdg_question *q = &S->pack->questions[i];
  cdg_buf *b = &S->shape;
  sym_leaf *lf = &S->leaf[l];
  uint64_t h64;
  uint32_t h;
  size_t k, m;

  cdg_buf_truncate(b, 0);
  if (S_shape(b, S->lnode, q->id, N_NONE) != 0)
    longjmp(S->oom, 1);
  h64 = S_mix(S_mix(S_hash(b->data, b->len), (uint64_t)lf->opt),
              S_answers_hash(S, i));
  h = (uint32_t)(h64 ^ (h64 >> 32));
  if (2 * (l + 1) > S->lhtcap) {  /* grow, and enter every leaf again */
    size_t cap = S->lhtcap ? 2 * S->lhtcap : 1024, j;
    sym_lslot *t = cdg_calloc(cap, sizeof *t);

    if (!t)
      longjmp(S->oom, 1);
    for (j = 0; j < S->lhtcap; j++)
      if (S->lht[j].leaf) {
        for (k = S_slot(S->lht[j].key, cap); t[k].leaf;
             k = (k + 1) & (cap - 1))
          ;
        t[k] = S->lht[j];
      }
    cdg_free(S->lht);
    S->lht = t;
    S->lhtcap = cap;
  }
  /* The key in the slot: a probe reads no leaf but on a match (at 100,000
  ** questions each leaf read for its key was a cache miss). */
  for (k = S_slot(h, S->lhtcap); (m = S->lht[k].leaf) != 0;
       k = (k + 1) & (S->lhtcap - 1)) {
    const sym_leaf *o = &S->leaf[m - 1];

    if (S->lht[k].key == h && o->opt == lf->opt &&
        o->nshape == b->len &&
        memcmp(S->shapes.data + o->shape, b->data, b->len) == 0 &&
        S_same_answers(S, i, S->lreads[o->r0]))
      return m - 1;
  }
  /* a new shape: its bytes kept for the leaves to come */
  if (S->shapes.len + b->len > UINT32_MAX || l + 1 > UINT32_MAX)
    longjmp(S->oom, 1);
  lf->shape = (uint32_t)S->shapes.len;
  lf->nshape = (uint32_t)b->len;
  if (cdg_buf_put(&S->shapes, b->data, b->len) != 0)
    longjmp(S->oom, 1);
  S->lht[k].key = h;
  S->lht[k].leaf = (uint32_t)(l + 1);
  return l;
}
