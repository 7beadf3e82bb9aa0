/*
** logic_value.c: JsonLogic values, the evaluation's memory, and JavaScript's
** equality and ordering on values (json-logic-js 2.0.5 semantics).
*/
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "logic_value.h"

const value lv_undef = {V_UNDEF, 0, 0, {0}};
const value lv_null = {V_NULL, 0, 0, {0}};

size_t lv_len(const value *v) {
  const cJSON *c;
  size_t n = 0;

  if (v->t == V_ARR)
    return v->n;
  for (c = v->u.j->child; c; c = c->next)
    n++;
  return n;
}

/* ---- Evaluation memory -------------------------------------------------- */

static int S_too_big(lv_ctx *c) {
  return lv_fail(c, cdg_error_set(c->err, CDG_ERR_LOGIC, NULL, NULL,
                                  "evaluation needs more than %lu bytes",
                                  (unsigned long)CDG_MAX_LOGIC_BYTES));
}

/* lv_alloc past the context's inline buffer. */
void *lv_alloc_arena(lv_ctx *c, size_t size) {
  const size_t align = sizeof(max_align_t);
  size_t need;
  char *p;

  if (size > CDG_MAX_LOGIC_BYTES) {
    S_too_big(c);
    return NULL;
  }
  need = (size + align - 1) / align * align;
  if (!c->arena && !(c->arena = cdg_arena_new())) {
    lv_fail(c, cdg_error_set(c->err, CDG_ERR_NOMEM, NULL, NULL,
                             "out of memory"));
    return NULL;
  }
  if (cdg_arena_bytes(c->arena) + need > CDG_MAX_LOGIC_BYTES) {
    S_too_big(c);
    return NULL;
  }
  if (!(p = cdg_arena_alloc(c->arena, need)))
    lv_fail(c, cdg_error_set(c->err, CDG_ERR_NOMEM, NULL, NULL,
                             "out of memory"));
  return p;
}

value *lv_alloc_values(lv_ctx *c, size_t n) {
  if (n > CDG_MAX_LOGIC_BYTES / sizeof(value)) {
    S_too_big(c);
    return NULL;
  }
  return lv_alloc(c, n ? n * sizeof(value) : 1);
}

/* Append n bytes to b, moving it to the heap once it outgrows small. */
static int S_sb_raw(lv_ctx *c, lv_sb *b, const char *s, size_t n) {
  if (b->len + n < b->cap && b->data == b->small) {
    memcpy(b->data + b->len, s, n);
    b->len += n;
    return 0;
  }
  if (b->data == b->small && cdg_buf_put(&b->heap, b->small, b->len) < 0)
    goto nomem;
  if (cdg_buf_put(&b->heap, s, n) < 0)
    goto nomem;
  b->data = b->heap.data;
  b->len = b->heap.len;
  b->cap = b->heap.cap;
  return 0;
nomem:
  return lv_fail(c, cdg_error_set(c->err, CDG_ERR_NOMEM, NULL, NULL,
                                  "out of memory"));
}

int lv_buf_put(lv_ctx *c, lv_sb *b, const char *s, size_t n) {
  const unsigned char *e, *u = (const unsigned char *)s;
  unsigned long hi, lo;
  char four[4];

  e = b->len >= 3 ? (const unsigned char *)b->data + b->len - 3 : NULL;
  if (e && n >= 3 && e[0] == 0xED && (e[1] & 0xF0) == 0xA0 &&
      u[0] == 0xED && (u[1] & 0xF0) == 0xB0) {
    /* a lone high and a lone low surrogate join into one character */
    cdg_wtf8_decode((const char *)e, 3, &hi);
    cdg_wtf8_decode(s, 3, &lo);
    b->len -= 3;
    if (b->data != b->small)
      cdg_buf_truncate(&b->heap, b->len);
    if (S_sb_raw(c, b, four,
                 cdg_utf8_encode(0x10000 + ((hi - 0xD800) << 10) +
                                     (lo - 0xDC00),
                                 four)) < 0)
      return -1;
    s += 3;
    n -= 3;
  }
  if (n > CDG_MAX_LOGIC_BYTES || b->len + n + 1 > CDG_MAX_LOGIC_BYTES)
    return S_too_big(c);
  return S_sb_raw(c, b, s, n);
}

int lv_buf_str(lv_ctx *c, lv_sb *b, value *out) {
  char *p = lv_alloc(c, b->len + 1);

  if (p) {
    if (b->len)
      memcpy(p, b->data, b->len);
    p[b->len] = '\0';
    *out = lv_str(p, b->len);
  }
  lv_sb_free(b);
  return p ? 0 : -1;
}

/* ---- Equality and comparison -------------------------------------------- */

enum { J_UNDEF, J_NULL, J_BOOL, J_NUM, J_STR, J_OBJ };

static int S_jstype(const value *v) {
  switch (v->t) {
  case V_UNDEF: return J_UNDEF;
  case V_NULL: return J_NULL;
  case V_BOOL: return J_BOOL;
  case V_NUM: return J_NUM;
  case V_STR: return J_STR;
  default: return J_OBJ;
  }
}

/* Object identity: the same borrowed node (of the data, id 0, or a
** rule's constant array as evaluated once: its id), or the same made
** array. */
static int S_same(const value *a, const value *b) {
  if (a->t != b->t)
    return 0;
  if (a->t == V_ARR)
    return a->id == b->id;
  if (a->t == V_CTX)
    return a->u.c == b->u.c;
  return a->u.j == b->u.j && a->id == b->id;
}

/* === */
int lv_strict_eq(const value *a, const value *b) {
  int ta = S_jstype(a);

  if (ta != S_jstype(b))
    return 0;
  switch (ta) {
  case J_UNDEF:
  case J_NULL: return 1;
  case J_BOOL: return a->u.b == b->u.b;
  case J_NUM: return a->u.d == b->u.d;
  case J_STR: return a->n == b->n && memcmp(a->u.s, b->u.s, a->n) == 0;
  default: return S_same(a, b);
  }
}

/* == with JavaScript's coercions. Returns 0 or 1, -1 on error. */
int lv_loose_eq(lv_ctx *c, const value *a0, const value *b0) {
  value a = *a0, b = *b0, p;
  int ta, tb;

  for (;;) {
    ta = S_jstype(&a);
    tb = S_jstype(&b);
    if (ta == tb)
      return lv_strict_eq(&a, &b);
    if (ta <= J_NULL && tb <= J_NULL)
      return 1;
    if (ta <= J_NULL || tb <= J_NULL)
      return 0;
    if (ta == J_NUM && tb == J_STR)
      return a.u.d == lv_tonum(&b);
    if (ta == J_STR && tb == J_NUM)
      return lv_tonum(&a) == b.u.d;
    if (ta == J_BOOL) {
      a = lv_num(a.u.b);
    } else if (tb == J_BOOL) {
      b = lv_num(b.u.b);
    } else if (ta == J_OBJ && tb == J_NUM) {
      return lv_tonum(&a) == b.u.d;
    } else if (tb == J_OBJ && ta == J_NUM) {
      return a.u.d == lv_tonum(&b);
    } else if (ta == J_OBJ) { /* tb is a string: the rest is above */
      if (lv_tostr(c, &a, &p) < 0)
        return -1;
      a = p;
    } else { /* an object tb, a string ta */
      if (lv_tostr(c, &b, &p) < 0)
        return -1;
      b = p;
    }
  }
}

/* Abstract relational comparison: strings (and objects, which become
** strings) by UTF-16 units, anything else as numbers. -2 on error. */
int lv_cmp(lv_ctx *c, const value *a, const value *b) {
  value pa, pb;
  double x, y;
  int sa = a->t == V_STR || lv_is_obj(a), sb = b->t == V_STR || lv_is_obj(b);

  if (sa && sb) {
    if (lv_tostr(c, a, &pa) < 0 || lv_tostr(c, b, &pb) < 0)
      return -2;
    return lv_u16cmp(pa.u.s, pa.n, pb.u.s, pb.n);
  }
  x = lv_tonum(a);
  y = lv_tonum(b);
  if (isnan(x) || isnan(y))
    return CMP_NONE;
  return x < y ? CMP_LT : x > y ? CMP_GT : CMP_EQ;
}

