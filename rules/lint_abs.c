/*
** lint_abs.c: the pack as a circuit, for the symbolic checker (lint_sym.c).
**
** Each question becomes a few Boolean variables over a finite abstraction
** of its answers: enabled; single, number and text: one variable per
** representative answer (option codes; for numbers, each constant it is
** compared with, 0, its bounds, and one point inside each interval they
** cut; for text, each string it is compared with and one other string),
** none of them true when absent; multi: one variable per option. A
** condition is split at and, or, !, !!, if; each part left (a leaf) is
** tabulated by the evaluator itself over the answers of the questions it
** reads, so the semantics are logic_test's, not a copy of them. A leaf
** whose truth is not constant on the abstraction (a number in arithmetic,
** text read as a substring, a computed name, a table too large) becomes a
** free variable: the abstraction then over-approximates, and the
** condition is reported as not decided exactly.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint_exact.h"
#include "lint_sym.h"

/* ---- Abstraction of each question ------------------------------------- */

/* Number representatives: those the enumeration tries (lint_exact.c),
** one owner for both passes. */
static int S_numbers(sym_ctx *S, size_t i) {
  const lint_q *lq = &S->L->q[i];
  double *tmp = cdg_malloc(4 * (lq->nnum + 3) * sizeof *tmp), *rep;
  size_t n = tmp ? lint_number_values(&S->pack->questions[i], lq, tmp) : 0;

  /* Kept without the scratch half: a pack may have many numbers. */
  if (!tmp || !(rep = cdg_malloc((n ? n : 1) * sizeof *rep))) {
    cdg_free(tmp);
    return -1;
  }
  memcpy(rep, tmp, n * sizeof *rep);
  cdg_free(tmp);
  S->q[i].num = rep;
  S->q[i].ndom = (uint32_t)n;
  return 0;
}

/* Text representatives: those of the static pass (lint_text). */
static int S_texts(sym_ctx *S, size_t i) {
  const lint_q *lq = &S->L->q[i];
  sym_q *sq = &S->q[i];

  sq->str = cdg_malloc((lq->nstr ? lq->nstr : 1) * sizeof *sq->str);
  if (!sq->str)
    return -1;
  memcpy(sq->str, lq->str, lq->nstr * sizeof *sq->str);
  sq->ndom = (uint32_t)lq->nstr;
  return 0;
}

/* The domain of question i. */
static int S_question(sym_ctx *S, size_t i) {
  const cdg_question *q = &S->pack->questions[i];
  sym_q *sq = &S->q[i];
  size_t k;

  if (q->type == CDG_Q_SINGLE || q->type == CDG_Q_MULTI)
    sq->ndom = (uint32_t)q->noptions;
  else if ((q->type == CDG_Q_NUMBER ? S_numbers(S, i) : S_texts(S, i)) < 0)
    return -1;
  sq->wide = q->type == CDG_Q_MULTI && q->noptions > SYM_OPT_MULTI &&
             q->noptions <= SYM_MASK_BITS;
  /* The table width, kept: the paths ask it for every leaf. Answers in a
  ** table: absent first, then each value (multi: each mask, 0 being
  ** absent); 0 when too many to tabulate. */
  if (q->type == CDG_Q_MULTI)
    sq->w = sq->ndom <= SYM_MULTI_BITS ? 1u << sq->ndom : 0;
  else
    sq->w = sq->ndom + 1;
  sq->multi = q->type == CDG_Q_MULTI;
  sq->required = (unsigned char)q->required;
  for (k = 0; sq->multi && k < q->noptions && k < SYM_MASK_BITS; k++)
    if (q->options[k].exclusive)
      sq->excl |= (uint64_t)1 << k;
  return 0;
}

int sym_valid(const sym_ctx *S, size_t i, size_t k) {
  const sym_q *sq = &S->q[i];

  if (k == 0 || !sq->multi)
    return k <= sq->ndom;
  /* no exclusive option beside another */
  return !((k & sq->excl) && (k & (k - 1)));
}

/* ---- Leaves ----------------------------------------------------------- */

static int S_is(const cJSON *v, int type) {
  return v && (v->type & 0xFF) == type;
}

static int S_op_is(const char *op, const char *const *names) {
  for (; *names; names++)
    if (strcmp(op, *names) == 0)
      return 1;
  return 0;
}

static const char *const S_eq_ops[] = {"==", "!=", "===", "!==", NULL};
static const char *const S_order_ops[] = {"<", "<=", ">", ">=", NULL};
static const char *const S_iter_ops[] = {"map", "filter", "reduce", "all",
                                         "some", "none", NULL};

/* The question node reads whole, {"var": "q"} or {"var": ["q"]}, or -1. */
static long S_plain(const sym_ctx *S, const cJSON *node) {
  const cJSON *a;
  const cdg_question *q;

  if (!S_is(node, cJSON_Object) || !node->child || node->child->next ||
      strcmp(node->child->string, "var") != 0)
    return -1;
  a = node->child;
  if (S_is(a, cJSON_Array)) {
    if (!a->child || a->child->next)
      return -1;
    a = a->child;
  }
  if (!S_is(a, cJSON_String))
    return -1;
  q = cdg_pack_find_question(S->pack, a->valuestring);
  return q ? (long)q->index : -1;
}

static void S_read(sym_ctx *S, size_t q) {
  size_t i;

  for (i = 0; i < S->nreads; i++)
    if (S->reads[i] == q)
      return;
  if (S->nreads == sizeof S->reads / sizeof *S->reads)
    S->inexact = 1;
  else
    S->reads[S->nreads++] = q;
}

/* A name read by var or missing; whole: a plain var where a number or
** text answer is decided exactly. */
static void S_name(sym_ctx *S, const char *name, int presence, int whole) {
  size_t seg = strcspn(name, ".");
  char buf[256];
  const cdg_question *q;

  if (seg == 0 || seg >= sizeof buf) {
    S->inexact = 1;  /* every answer, or no question */
    return;
  }
  memcpy(buf, name, seg);
  buf[seg] = '\0';
  if (!(q = cdg_pack_find_question(S->pack, buf)))
    return;  /* always null: the static pass reports it */
  S_read(S, q->index);
  if (!presence && (q->type == CDG_Q_NUMBER || q->type == CDG_Q_TEXT) &&
      (!whole || name[seg]))
    S->inexact = 1;
}

static void S_scan(sym_ctx *S, const cJSON *node, int ok);

static void S_scan_args(sym_ctx *S, const cJSON *args) {
  const cJSON *c;

  if (S_is(args, cJSON_Array))
    for (c = args->child; c; c = c->next)
      S_scan(S, c, 0);
  else
    S_scan(S, args, 0);
}

/* Whether a plain var of question qi, compared by op with the literals
** among args, is decided exactly. */
static int S_cmp_ok(const sym_ctx *S, long qi, const char *op,
                    const cJSON *args, const cJSON *self) {
  cdg_qtype t = S->pack->questions[qi].type;
  const cJSON *c;

  if (t == CDG_Q_SINGLE || t == CDG_Q_MULTI)
    return 1;
  if (t == CDG_Q_TEXT && !S_op_is(op, S_eq_ops))
    return 0;
  /* A string or a number, either type: JavaScript's "3" == 3 is true, and
  ** the domain has a representative for it (lint_text, S_numbers). */
  for (c = args->child; c; c = c->next)
    if (c != self && !S_is(c, cJSON_Number) && !S_is(c, cJSON_String))
      return 0;
  return 1;
}

/* Collect what a leaf reads into S->reads; S->inexact when its truth may
** vary inside one representative's class. ok: a plain var here is fine. */
static void S_scan(sym_ctx *S, const cJSON *node, int ok) {
  const cJSON *args, *c, *name;
  const char *op;
  long qi;
  size_t n = 0;

  if (S_is(node, cJSON_Array)) {
    S_scan_args(S, node);
    return;
  }
  if (!S_is(node, cJSON_Object) || !node->child || node->child->next)
    return;
  op = node->child->string;
  args = node->child;
  if (strcmp(op, "var") == 0) {
    name = S_is(args, cJSON_Array) ? args->child : args;
    if (S_is(name, cJSON_String))
      S_name(S, name->valuestring, 0,
             ok && (!S_is(args, cJSON_Array) || !name->next));
    else if (name && !S_is(name, cJSON_NULL))
      S->inexact = 1;  /* a number or a computed name */
    if (S_is(args, cJSON_Array))
      S_scan_args(S, args);
    return;
  }
  if (strcmp(op, "missing") == 0 || strcmp(op, "missing_some") == 0) {
    const cJSON *list = args;

    if (op[7] == '_') {
      if (!S_is(args, cJSON_Array) || !args->child || !args->child->next) {
        S->inexact = 1;
        return;
      }
      S_scan(S, args->child, 0);
      list = args->child->next;
    } else if (S_is(args, cJSON_Array) && S_is(args->child, cJSON_Array)) {
      list = args->child;
    }
    if (!S_is(list, cJSON_Array)) {
      if (S_is(list, cJSON_String))
        S_name(S, list->valuestring, 1, 1);
      else
        S->inexact = 1;
      return;
    }
    for (c = list->child; c; c = c->next) {
      if (S_is(c, cJSON_String))
        S_name(S, c->valuestring, 1, 1);
      else
        S->inexact = 1;
    }
    return;
  }
  if (S_op_is(op, S_iter_ops)) {
    /* Inside the second argument the data is an element, no answer. */
    if (S_is(args, cJSON_Array) && args->child) {
      S_scan(S, args->child, 0);
      if (args->child->next && args->child->next->next)
        S_scan(S, args->child->next->next, 0);
    } else {
      S_scan(S, args, 0);
    }
    return;
  }
  if (S_is(args, cJSON_Array))
    for (c = args->child; c; c = c->next)
      n++;
  if ((S_op_is(op, S_eq_ops) || S_op_is(op, S_order_ops)) && n >= 2 &&
      n <= 3) {
    for (c = args->child; c; c = c->next)
      S_scan(S, c, (qi = S_plain(S, c)) >= 0 && S_cmp_ok(S, qi, op, args, c));
    return;
  }
  if (strcmp(op, "in") == 0 && n == 2 && S_is(args->child->next, cJSON_Array)) {
    const cJSON *list = args->child->next;
    int good = 1;

    qi = S_plain(S, args->child);
    if (qi >= 0 && S->pack->questions[qi].type != CDG_Q_SINGLE &&
        S->pack->questions[qi].type != CDG_Q_MULTI)
      for (c = list->child; c; c = c->next)
        if (!S_is(c, S->pack->questions[qi].type == CDG_Q_NUMBER
                         ? cJSON_Number
                         : cJSON_String))
          good = 0;
    S_scan(S, args->child, qi >= 0 && good);
    S_scan(S, list, 0);
    return;
  }
  S_scan_args(S, args);
}

/* Answer k of question i for the evaluator (k: value index; multi: mask). */
static cJSON *S_answer(const sym_ctx *S, size_t i, long k) {
  const cdg_question *q = &S->pack->questions[i];
  const sym_q *sq = &S->q[i];
  cJSON *a;
  size_t j;

  switch (q->type) {
  case CDG_Q_SINGLE:
    return cJSON_CreateStringReference(q->options[k].code);
  case CDG_Q_NUMBER:
    return cJSON_CreateNumber(sq->num[k]);
  case CDG_Q_TEXT:
    return cJSON_CreateStringReference(sq->str[k]);
  case CDG_Q_MULTI:
    break;
  }
  if (!(a = cJSON_CreateArray()))
    return NULL;
  for (j = 0; j < sq->ndom && j < SYM_MASK_BITS; j++)
    if (((unsigned long)k >> j) & 1UL) {
      cJSON *s = cJSON_CreateStringReference(q->options[j].code);

      if (!s) {
        cJSON_Delete(a);
        return NULL;
      }
      cJSON_AddItemToArray(a, s);
    }
  return a;
}

/* Set question i in data to answer k (-1: absent). 0, or -1 (no memory). */
int sym_put(const sym_ctx *S, cJSON *data, size_t i, long k) {
  cJSON *a;

  cJSON_DeleteItemFromObjectCaseSensitive(data, S->pack->questions[i].id);
  if (k < 0)
    return 0;
  if (!(a = S_answer(S, i, k)))
    return -1;
  cJSON_AddItemToObjectCS(data, S->pack->questions[i].id, a);
  return 0;
}

/* Question i's answer k in data, as sym_put, but a number or string
** answer changed in place in *item (the member last put for i, NULL at
** first): a table evaluates every row, each differing from the last in
** an answer or two, and a new item per row is an allocation per row. */
static int S_place(const sym_ctx *S, cJSON *data, size_t i, long k,
                   cJSON **item) {
  const cdg_question *q = &S->pack->questions[i];
  cJSON *a = *item;

  if (k < 0 || q->type == CDG_Q_MULTI || !a) {
    cJSON_DeleteItemFromObjectCaseSensitive(data, q->id);
    *item = NULL;
    if (k < 0)
      return 0;
    if (!(a = S_answer(S, i, k)))
      return -1;
    cJSON_AddItemToObjectCS(data, q->id, a);
    *item = q->type == CDG_Q_MULTI ? NULL : a;
    return 0;
  }
  if (q->type == CDG_Q_NUMBER)
    cJSON_SetNumberValue(a, S->q[i].num[k]);
  else  /* references (S_answer): the strings are the pack's */
    a->valuestring = (char *)(q->type == CDG_Q_SINGLE ? q->options[k].code
                                                      : S->q[i].str[k]);
  return 0;
}

int sym_test(sym_ctx *S, const logic_expr *e, const cJSON *data) {
  int t;

  /* A frame that could not grow evaluates by the general path: the same
  ** result, so a failure here is no error. */
  (void)logic_frame_fill(S->frame, data);
  t = logic_test_frame(e, S->frame);
  if (t == LOGIC_NOMEM)
    longjmp(S->oom, 1);
  return t;
}

/* Grow an array of the checker (or longjmp). */
static void S_grow(sym_ctx *S, void *p, size_t n, size_t *cap, size_t sz) {
  if (cdg_grow_raw(p, n, cap, sz) < 0)
    longjmp(S->oom, 1);
}

int sym_node_new(sym_ctx *S, int op, int a, int b, int c) {
  sym_node *n;

  S_grow(S, &S->node, S->nnode, &S->capnode, sizeof *S->node);
  n = &S->node[S->nnode];
  n->op = (unsigned char)op;
  n->a = a;
  n->b = b;
  n->c = c;
  return (int)S->nnode++;
}

/* The literal of a leaf: a table over what it reads (filled by the
** evaluator), or a free node (S->undecided) when that is not
** exact. */
/* {"in": [code, {"var": q}]} with q a multi wider than SYM_OPT_MULTI
** and code one of its options: the option's index + 1, else 0. Membership
** is all "in" reads of an array, so three rows decide it exactly. */
static size_t S_option_leaf(const sym_ctx *S, const cJSON *node) {
  const cJSON *a;
  const cdg_question *q;
  long qi;
  size_t k;

  if (!S_is(node, cJSON_Object) || !node->child || node->child->next ||
      strcmp(node->child->string, "in") != 0 ||
      !S_is(a = node->child, cJSON_Array) || !S_is(a->child, cJSON_String) ||
      !a->child->next || a->child->next->next ||
      (qi = S_plain(S, a->child->next)) < 0)
    return 0;
  q = &S->pack->questions[qi];
  if (!sym_wide(S, (size_t)qi))
    return 0;
  for (k = 0; k < q->noptions; k++)
    if (strcmp(q->options[k].code, a->child->valuestring) == 0)
      return k + 1;
  return 0;
}

size_t sym_row(const sym_leaf *lf, long v) {
  if (v < 0)
    return 0;
  return ((unsigned long)v >> (lf->opt - 1)) & 1 ? 2 : 1;
}

/* Tabulate new leaf l by the evaluator, row by row, from its tree
** (S->lnode) or the whole condition compiled (S->lwhole). */
static void S_table(sym_ctx *S, size_t l) {
  const sym_leaf *lf = &S->leaf[l];
  const size_t *reads = S->lreads + lf->r0;
  unsigned char *tab = S->tab + lf->t0;
  const logic_expr *e = S->lwhole;
  size_t idx[64], w[64], r, j;
  cJSON *data = S->data, *item[64];
  cdg_error err;
  int t, rc = 0;

  for (j = 0; j < lf->nreads; j++) {
    w[j] = sym_width(S, reads[j]);
    idx[j] = 0;
    item[j] = NULL;
  }
  if (!e && logic_compile_ref(S->lnode, &S->own, &err) != CDG_OK)
    longjmp(S->oom, 1);  /* a part of a compiled condition compiles */
  if (!e)
    e = S->own;
  for (r = 0; r < lf->rows && rc == 0; r++) {
    if (lf->opt) {
      /* absent; one other option alone; the option alone */
      size_t k = lf->opt - 1, other = k == 0 ? 1 : 0;

      if (r == 1 && other >= S->q[reads[0]].ndom) {
        tab[r] = 1;  /* no answer without it: the row cannot occur */
        continue;
      }
      rc = sym_put(S, data, reads[0], r == 0   ? -1
                                      : r == 1 ? 1L << other
                                               : 1L << k);
    }
    for (j = 0; j < lf->nreads && rc == 0 && !lf->opt; j++)
      rc = S_place(S, data, reads[j], (long)idx[j] - 1 +
                   (S->pack->questions[reads[j]].type == CDG_Q_MULTI &&
                    idx[j] > 0), &item[j]);
    if (rc)
      break;
    /* A part compiled alone has no slots, and logic_test_frame evaluates
    ** it on the frame's data by the general path: filling the frame for
    ** each row was for nothing. */
    t = e == S->own ? logic_test(e, data) : sym_test(S, e, data);
    if (t == LOGIC_NOMEM)
      longjmp(S->oom, 1);
    if (t == LOGIC_FAIL) {
      S->failed = S->leaf[l].failed = 1;
      t = 0;
    }
    tab[r] = (unsigned char)(t ? 2 : 1);
    for (j = 0; j < lf->nreads && ++idx[j] == w[j]; j++)
      idx[j] = 0;
  }
  for (j = 0; j < lf->nreads; j++)
    cJSON_DeleteItemFromObjectCaseSensitive(data,
                                            S->pack->questions[reads[j]].id);
  logic_free(S->own);
  S->own = NULL;
  if (rc)
    longjmp(S->oom, 1);
}

static int S_leaf(sym_ctx *S, const cJSON *node, const logic_expr *whole) {
  size_t rows = 1, j, w, opt, o;
  sym_leaf *lf;

  S->nreads = 0;
  S->inexact = 0;
  S_scan(S, node, 1);
  opt = S->nreads == 1 && !S->inexact ? S_option_leaf(S, node) : 0;
  for (j = 0; j < S->nreads && !S->inexact && !opt; j++) {
    w = sym_width(S, S->reads[j]);
    if (w == 0 || rows * w > SYM_LEAF_ROWS)
      S->inexact = 1;
    else
      rows *= w;
  }
  if (S->inexact) {
    S->undecided = 1;
    return sym_node_new(S, SYM_FREE, 0, 0, 0);
  }
  S_grow(S, &S->leaf, S->nleaf, &S->capleaf, sizeof *S->leaf);
  /* Allocated even for a leaf that reads nothing: no offset from NULL. */
  while (S->nlreads + S->nreads > S->caplreads || !S->lreads)
    S_grow(S, &S->lreads, S->caplreads, &S->caplreads, sizeof *S->lreads);
  rows = opt ? 3 : rows;
  while (S->ntab + rows > S->captab)
    S_grow(S, &S->tab, S->captab, &S->captab, 1);
  /* Offsets in 32 bits: past them the tables alone would fill 4 GB (the
  ** shapes' offsets: sym_shared). */
  if (S->nlreads + S->nreads > UINT32_MAX || S->ntab + rows > UINT32_MAX)
    longjmp(S->oom, 1);
  lf = &S->leaf[S->nleaf];
  memset(lf, 0, sizeof *lf);
  S->lnode = node;
  S->lwhole = whole;
  lf->r0 = (uint32_t)S->nlreads;
  lf->nreads = (unsigned char)S->nreads;
  lf->t0 = (uint32_t)S->ntab;
  lf->opt = (uint32_t)opt;
  lf->rows = (uint32_t)rows;
  memcpy(S->lreads + S->nlreads, S->reads, S->nreads * sizeof *S->reads);
  S->nlreads += S->nreads;
  if (S->nreads == 1 &&
      (o = sym_shared(S, S->nleaf, S->reads[0])) != S->nleaf) {
    lf->t0 = S->leaf[o].t0;  /* the same table, shared */
    lf->failed = S->leaf[o].failed;
    S->lnode = NULL;         /* its tree goes with the condition's */
    S->failed |= lf->failed;
    return sym_node_new(S, SYM_LEAF, (int)S->nleaf++, 0, 0);
  }
  memset(S->tab + S->ntab, 0, rows);
  S->ntab += rows;
  /* Tabulated now: a row it fails on is a finding of its condition; its
  ** tree goes with the condition's. */
  S_table(S, S->nleaf);
  S->lnode = NULL;
  return sym_node_new(S, SYM_LEAF, (int)S->nleaf++, 0, 0);
}

/* ---- Conditions ------------------------------------------------------- */

int sym_cand(sym_ctx *S, int a, int b) {
  if (a == 1 || a == b)
    return b;
  if (b == 1)
    return a;
  if (a == -1 || b == -1 || a == -b)
    return -1;
  return sym_node_new(S, SYM_AND, a, b, 0);
}

/* c ? t : e, folding constants. */
static int S_ite(sym_ctx *S, int c, int t, int e) {
  if (c == 1 || t == e)
    return t;
  if (c == -1)
    return e;
  return sym_node_new(S, SYM_ITE, t, e, c);
}

/* 1 when body, a test of the item {"var": ""} (== or === with a string,
** or in a constant list), passes for the string code, 0 when it does not,
** -1 when body is no such test. in is includes, strict: a list's items
** that are not strings never match a code. */
static int S_item_test(const cJSON *body, const char *code) {
  const cJSON *a, *x, *y, *c;
  const char *op;

  if (!S_is(body, cJSON_Object) || !body->child || body->child->next ||
      !S_is(a = body->child, cJSON_Array) || !(x = a->child) ||
      !(y = x->next) || y->next)
    return -1;
  op = a->string;
  if (strcmp(op, "==") == 0 || strcmp(op, "===") == 0) {
    if (S_is(x, cJSON_String)) {
      const cJSON *t = x;

      x = y;
      y = t;
    }
    if (!S_is(y, cJSON_String))
      return -1;  /* == of a number may equal a code: not this test */
  } else if (strcmp(op, "in") != 0 || !S_is(y, cJSON_Array)) {
    return -1;
  }
  if (!S_is(x, cJSON_Object) || !x->child || x->child->next ||
      strcmp(x->child->string, "var") != 0 ||
      !S_is(x->child, cJSON_String) || x->child->valuestring[0])
    return -1;
  if (op[0] != 'i')
    return strcmp(y->valuestring, code) == 0;
  for (c = y->child; c; c = c->next)
    if (S_is(c, cJSON_String) && strcmp(c->valuestring, code) == 0)
      return 1;
  return 0;
}

/* {"some": [{"var": q}, body]} with q a multi wider than SYM_OPT_MULTI
** and body an item test (S_item_test): the or of {"in": [code, {"var":
** q}]} over the codes it accepts, each an option leaf (built here, on the
** stack: a leaf is tabulated before S_leaf returns); 0 when not so. The
** same answers make both true: some item of the array passes. */
static int S_some_options(sym_ctx *S, const cJSON *args) {
  const cJSON *arr = args->child, *body;
  const cdg_question *q;
  long qi;
  size_t k;
  int acc = -1;

  if (!arr || !(body = arr->next) || body->next ||
      (qi = S_plain(S, arr)) < 0 || !sym_wide(S, (size_t)qi) ||
      S_item_test(body, "") < 0)
    return 0;
  q = &S->pack->questions[qi];
  for (k = 0; k < q->noptions; k++) {
    cJSON leaf, in, code, var;

    if (S_item_test(body, q->options[k].code) != 1)
      continue;
    memset(&leaf, 0, sizeof leaf);
    memset(&in, 0, sizeof in);
    memset(&code, 0, sizeof code);
    var = *arr;
    var.next = var.prev = NULL;
    var.string = NULL;
    code.type = cJSON_String;
    code.valuestring = (char *)q->options[k].code;
    code.next = &var;
    code.prev = &var;
    var.prev = &code;
    in.type = cJSON_Array;
    in.string = (char *)"in";
    in.child = &code;
    in.prev = &in;
    leaf.type = cJSON_Object;
    leaf.child = &in;
    acc = -sym_cand(S, -acc, -S_leaf(S, &leaf, NULL));
  }
  return acc;
}

/*
** The literal true exactly when node is truthy. and, or, !, !!, if and ?:
** are split as the evaluator runs them (and/or: truthy as all/any of their
** arguments; !: the first argument); any other node is a leaf. whole: the
** compiled node, when it is the whole condition.
*/
static int S_cond(sym_ctx *S, const cJSON *node, const logic_expr *whole) {
  const cJSON *args, *c;
  const char *op;
  size_t n = 0, i;
  int acc;

  if (!S_is(node, cJSON_Object) || !node->child || node->child->next)
    return S_leaf(S, node, whole);
  op = node->child->string;
  args = node->child;
  if (S_is(args, cJSON_Array))
    for (c = args->child; c; c = c->next)
      n++;
  if ((strcmp(op, "and") == 0 || strcmp(op, "or") == 0) && n > 0) {
    int is_and = op[0] == 'a';

    acc = S_cond(S, args->child, NULL);
    for (c = args->child->next; c; c = c->next) {
      int b = S_cond(S, c, NULL);

      acc = is_and ? sym_cand(S, acc, b) : -sym_cand(S, -acc, -b);
    }
    return acc;
  }
  if ((strcmp(op, "!") == 0 || strcmp(op, "!!") == 0) &&
      (n > 0 || !S_is(args, cJSON_Array))) {
    acc = S_cond(S, S_is(args, cJSON_Array) ? args->child : args, NULL);
    return op[1] ? acc : -acc;
  }
  if ((strcmp(op, "if") == 0 || strcmp(op, "?:") == 0) && n > 0) {
    const cJSON *kid[3];

    /* From the end: the else of the last pair, or null (false). */
    acc = -1;
    if (n % 2) {
      for (c = args->child, i = 0; i + 1 < n; i++)
        c = c->next;
      acc = S_cond(S, c, NULL);
    }
    for (i = (n - (n % 2)); i >= 2; i -= 2) {
      size_t k;

      for (c = args->child, k = 0; k + 2 < i; k++)
        c = c->next;
      kid[0] = c;
      kid[1] = c->next;
      acc = S_ite(S, S_cond(S, kid[0], NULL), S_cond(S, kid[1], NULL), acc);
    }
    return acc;
  }
  if ((strcmp(op, "some") == 0 || strcmp(op, "none") == 0) && n == 2 &&
      (acc = S_some_options(S, args)) != 0)
    return op[0] == 's' ? acc : -acc;
  return S_leaf(S, node, whole);
}

/* Compile one condition (at pointer): its literal; reports a condition not
** decided exactly, or that fails on some answers. */
int sym_condition(sym_ctx *S, const cJSON *node, const logic_expr *e,
                       const char *pointer, const char *what,
                       const char *id) {
  int lit;

  S->undecided = S->failed = 0;
  lit = S_cond(S, node, e);
  if (S->undecided)
    lint_add(S->L, pointer, "%s \"%s\" is not decided exactly by the "
             "checker: it reads a number or text answer other than by "
             "comparing it with constants, a computed name, or too many "
             "answers at once", what, id);
  if (S->failed)
    lint_add(S->L, pointer, "%s \"%s\" cannot be evaluated on some answers",
             what, id);
  return lit;
}

/* A condition's tree, parsed again (valid until the next). */
static const cJSON *S_tree(sym_ctx *S, pack_text t) {
  const cJSON *tree = lint_cond_tree(S->L, t);

  if (S->L->nomem)
    longjmp(S->oom, 1);
  return tree;
}

void sym_build(sym_ctx *S) {
  const cdg_pack *pack = S->pack;
  size_t nq = pack->nquestions, nr = pack->nrules, k, i, r;
  char p[128];

  sym_node_new(S, SYM_TRUE, 0, 0, 0);  /* 0: unused, as no literal is 0 */
  sym_node_new(S, SYM_TRUE, 0, 0, 0);  /* 1: true */
  for (i = 0; i < nq; i++)
    if (S_question(S, i) < 0)
      longjmp(S->oom, 1);
  /* In topological order, so the nodes of each condition come after
  ** those of every question it reads. */
  for (k = 0; k < nq; k++) {
    const cdg_question *q = &pack->questions[i = pack->topo[k]];

    S->q[i].n0 = (uint32_t)S->nnode;
    S->q[i].en = 1;
    if (q->enable) {
      snprintf(p, sizeof p, "/questions/%zu/enable_when", i);
      S->q[i].en = sym_condition(S, S_tree(S, q->enable_when), q->enable, p,
                                 "enable_when of question", q->id);
      S->q[i].und = (unsigned char)S->undecided;
    }
    S->q[i].n1 = (uint32_t)S->nnode;
  }
  for (r = 0; r < nr; r++) {
    S->rn[r] = S->nnode;
    snprintf(p, sizeof p, "/rules/%zu/when", r);
    S->f[r] = sym_condition(S, S_tree(S, pack->rules[r].when),
                            pack->rules[r].cond, p, "rule",
                            pack->rules[r].id);
    S->rund[r] = (unsigned char)S->undecided;
  }
  S->rn[nr] = S->nnode;
}
