/*
** lint_sym.c: the path properties proved without listing paths.
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
**
** The formula (completeness: a disabled question is absent, an enabled
** required one answered, each answer valid) goes to PicoSAT once; each
** property is one call with assumptions: question q enabled, rule r
** fires, no rule fires, a citation property broken. Unsatisfiable is a
** proof. A model is turned into a real answer path (in topological order,
** each condition run through logic_test on the answers it reads) and the
** property is checked on that path; every question enabled and rule fired
** there is settled at once, so most properties need no call of their own.
** A model whose path does not show its property (possible only through a
** free leaf) leaves the property undecided, and that is reported.
**
** Memory: PicoSAT allocates through S_mem_*, which count against the
** library's allocator and longjmp out when it fails (PicoSAT itself would
** abort); every block it holds is then freed from the list kept here.
*/
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <picosat/picosat.h>

#include "answers.h"
#include "lint.h"

#define SYM_LEAF_ROWS 4096   /* rows of one leaf's table */
#define SYM_MULTI_BITS 12    /* options of a multi tabulated by subsets */
#define SYM_PROPAGATIONS 20000000ULL /* per call: the budget */
#define SYM_TEXT_MAX 2000    /* longest text answer (answers.c) */

/* A block PicoSAT holds, in a doubly linked list. */
typedef struct S_blk {
  struct S_blk *prev, *next;
  max_align_t align[];
} S_blk;

typedef struct S_sq {
  int e;                /* enabled */
  int v;                /* first value (or multi option) variable */
  size_t ndom;          /* values (multi: options) */
  double *num;          /* number: the representatives */
  const char **str;     /* text: the representatives */
  char *other;          /* text: the one not compared with */
} S_sq;

typedef struct S_sym {
  lint_ctx *L;
  const cdg_pack *pack;
  PicoSAT *sat;
  S_blk *blocks;        /* held by PicoSAT */
  jmp_buf oom;
  S_sq *q;
  int *f;               /* rule r fires */
  int *elit;            /* question i enabled (S->q[i].e) */
  int tru;              /* the constant true */
  int *lits;            /* scratch clause */
  size_t nlits, caplits;
  size_t reads[64];     /* questions a leaf reads */
  size_t nreads;
  int inexact;          /* the leaf is not decided exactly */
  int undecided;        /* the condition being compiled has a free leaf */
  int failed;           /* it cannot be evaluated on some answers */
  unsigned char *qok, *rok;   /* shown on a real path */
  long *val;            /* path: -1 absent, else value index (multi: mask) */
  unsigned char *en;    /* path: enabled */
  unsigned char *fired; /* path: rule fired */
  cJSON *data;          /* scratch answers for the evaluator */
  logic_expr *own;      /* scratch compiled leaf */
} S_sym;

/* ---- PicoSAT's memory ------------------------------------------------- */

static void *S_mem_new(void *st, size_t size) {
  S_sym *S = st;
  S_blk *b = cdg_malloc(sizeof *b + size);

  if (!b)
    longjmp(S->oom, 1);
  b->prev = NULL;
  b->next = S->blocks;
  if (S->blocks)
    S->blocks->prev = b;
  S->blocks = b;
  return b->align;
}

static void S_mem_unlink(S_sym *S, S_blk *b) {
  if (b->prev)
    b->prev->next = b->next;
  else
    S->blocks = b->next;
  if (b->next)
    b->next->prev = b->prev;
}

static void S_mem_delete(void *st, void *p, size_t size) {
  S_blk *b;

  (void)size;
  if (!p)
    return;
  b = (S_blk *)((char *)p - offsetof(S_blk, align));
  S_mem_unlink(st, b);
  cdg_free(b);
}

static void *S_mem_resize(void *st, void *p, size_t old, size_t size) {
  S_sym *S = st;
  S_blk *b, *nb;

  (void)old;
  if (!p)
    return S_mem_new(st, size);
  b = (S_blk *)((char *)p - offsetof(S_blk, align));
  S_mem_unlink(S, b);
  nb = cdg_realloc(b, sizeof *b + size);
  if (!nb) {
    cdg_free(b);
    longjmp(S->oom, 1);
  }
  nb->prev = NULL;
  nb->next = S->blocks;
  if (S->blocks)
    S->blocks->prev = nb;
  S->blocks = nb;
  return nb->align;
}

/* ---- Clauses ---------------------------------------------------------- */

static int S_var(S_sym *S) { return picosat_inc_max_var(S->sat); }

static void S_lit(S_sym *S, int lit) {
  if (S->nlits == S->caplits) {
    size_t cap = S->caplits ? 2 * S->caplits : 64;
    int *p = cdg_realloc(S->lits, cap * sizeof *p);

    if (!p)
      longjmp(S->oom, 1);
    S->lits = p;
    S->caplits = cap;
  }
  S->lits[S->nlits++] = lit;
}

/* Add the scratch clause and empty it. */
static void S_end(S_sym *S) {
  size_t i;

  for (i = 0; i < S->nlits; i++)
    picosat_add(S->sat, S->lits[i]);
  picosat_add(S->sat, 0);
  S->nlits = 0;
}

static void S_c2(S_sym *S, int a, int b) {
  picosat_add(S->sat, a);
  picosat_add(S->sat, b);
  picosat_add(S->sat, 0);
}

/* At most one of n variables from v: pairwise when few, else a ladder. */
static void S_at_most_one(S_sym *S, int v, size_t n) {
  size_t i, j;
  int s, prev = 0;

  if (n <= 6) {
    for (i = 0; i < n; i++)
      for (j = i + 1; j < n; j++)
        S_c2(S, -(v + (int)i), -(v + (int)j));
    return;
  }
  for (i = 0; i + 1 < n; i++) {
    s = S_var(S);
    S_c2(S, -(v + (int)i), s);  /* v_i -> s_i */
    if (prev) {
      S_c2(S, -prev, s);         /* s_{i-1} -> s_i */
      S_c2(S, -prev, -(v + (int)i)); /* s_{i-1} -> not v_i */
    }
    prev = s;
  }
  if (prev)
    S_c2(S, -prev, -(v + (int)(n - 1)));
}

/* ---- Abstraction of each question ------------------------------------- */

static int S_dbl_cmp(const void *pa, const void *pb) {
  double a = *(const double *)pa, b = *(const double *)pb;

  return a < b ? -1 : a > b;
}

static int S_in_range(const cdg_question *q, double x) {
  return isfinite(x) && (!(q->has_range & 1) || x >= q->min) &&
         (!(q->has_range & 2) || x <= q->max);
}

/* Number representatives: each cut (a compared constant, 0, a bound), one
** point between each two, one below and one above, within range. */
static int S_numbers(S_sym *S, size_t i) {
  const cdg_question *q = &S->pack->questions[i];
  const lint_q *lq = &S->L->q[i];
  size_t nc = 0, n = 0, k;
  double *cut = cdg_malloc((lq->nnum + 3) * sizeof *cut), *rep;

  if (!cut)
    return -1;
  cut[nc++] = 0;
  if (q->has_range & 1)
    cut[nc++] = q->min;
  if (q->has_range & 2)
    cut[nc++] = q->max;
  for (k = 0; k < lq->nnum; k++)
    cut[nc++] = lq->num[k];
  qsort(cut, nc, sizeof *cut, S_dbl_cmp);
  rep = cdg_malloc((2 * nc + 1) * sizeof *rep);
  if (!rep) {
    cdg_free(cut);
    return -1;
  }
  for (k = 0; k < nc; k++) {
    double mid = k == 0 ? cut[0] - 1 : cut[k - 1] + (cut[k] - cut[k - 1]) / 2;

    if (k > 0 && cut[k] == cut[k - 1])
      continue;
    if (S_in_range(q, mid) && (n == 0 || mid != rep[n - 1]))
      rep[n++] = mid;
    if (S_in_range(q, cut[k]) && (n == 0 || cut[k] != rep[n - 1]))
      rep[n++] = cut[k];
  }
  if (S_in_range(q, cut[nc - 1] + 1) && cut[nc - 1] + 1 != rep[n - 1])
    rep[n++] = cut[nc - 1] + 1;
  cdg_free(cut);
  S->q[i].num = rep;
  S->q[i].ndom = n;
  return 0;
}

static int S_text_ok(const char *s) {
  size_t n = 0;

  for (; s[n]; n++)
    if ((unsigned char)s[n] < 0x20 || s[n] == 0x7f)
      return 0;
  return n > 0 && n <= SYM_TEXT_MAX;
}

/* Text representatives: each valid string compared with, and another. */
static int S_texts(S_sym *S, size_t i) {
  const lint_q *lq = &S->L->q[i];
  S_sq *sq = &S->q[i];
  size_t n = 0, k, len = 5;

  sq->str = cdg_malloc((lq->nstr + 1) * sizeof *sq->str);
  if (!sq->str)
    return -1;
  for (k = 0; k < lq->nstr; k++)
    if (S_text_ok(lq->str[k]))
      sq->str[n++] = lq->str[k];
  /* "other", then "other_", ...: one that no constant is. */
  for (;;) {
    cdg_free(sq->other);
    if (!(sq->other = cdg_malloc(len + 1)))
      return -1;
    memcpy(sq->other, "other", 5);
    memset(sq->other + 5, '_', len - 5);
    sq->other[len] = '\0';
    for (k = 0; k < n && strcmp(sq->str[k], sq->other) != 0; k++)
      ;
    if (k == n)
      break;
    len++;
  }
  sq->str[n++] = sq->other;
  sq->ndom = n;
  return 0;
}

/* Variables and completeness of question i (its enabled variable comes
** from its enable_when, compiled later). */
static int S_question(S_sym *S, size_t i) {
  const cdg_question *q = &S->pack->questions[i];
  S_sq *sq = &S->q[i];
  size_t k, j;

  if (q->type == CDG_Q_SINGLE || q->type == CDG_Q_MULTI)
    sq->ndom = q->noptions;
  else if (q->type == CDG_Q_NUMBER ? S_numbers(S, i) : S_texts(S, i))
    return -1;
  sq->e = S_var(S);
  sq->v = S_var(S);
  for (k = 1; k < sq->ndom; k++)
    S_var(S);
  /* Disabled: absent. Enabled and required: answered. */
  for (k = 0; k < sq->ndom; k++)
    S_c2(S, sq->e, -(sq->v + (int)k));
  if (q->required) {
    S_lit(S, -sq->e);
    for (k = 0; k < sq->ndom; k++)
      S_lit(S, sq->v + (int)k);
    S_end(S);
  }
  if (q->type != CDG_Q_MULTI) {
    S_at_most_one(S, sq->v, sq->ndom);
    return 0;
  }
  /* An exclusive option goes alone. */
  for (k = 0; k < sq->ndom; k++)
    if (q->options[k].exclusive)
      for (j = 0; j < sq->ndom; j++)
        if (j != k)
          S_c2(S, -(sq->v + (int)k), -(sq->v + (int)j));
  return 0;
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
static long S_plain(const S_sym *S, const cJSON *node) {
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

static void S_read(S_sym *S, size_t q) {
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
static void S_name(S_sym *S, const char *name, int presence, int whole) {
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

static void S_scan(S_sym *S, const cJSON *node, int ok);

static void S_scan_args(S_sym *S, const cJSON *args) {
  const cJSON *c;

  if (S_is(args, cJSON_Array))
    for (c = args->child; c; c = c->next)
      S_scan(S, c, 0);
  else
    S_scan(S, args, 0);
}

/* Whether a plain var of question qi, compared by op with the literals
** among args, is decided exactly. */
static int S_cmp_ok(const S_sym *S, long qi, const char *op,
                    const cJSON *args, const cJSON *self) {
  cdg_qtype t = S->pack->questions[qi].type;
  const cJSON *c;

  if (t == CDG_Q_SINGLE || t == CDG_Q_MULTI)
    return 1;
  if (t == CDG_Q_TEXT && !S_op_is(op, S_eq_ops))
    return 0;
  for (c = args->child; c; c = c->next)
    if (c != self && !S_is(c, t == CDG_Q_NUMBER ? cJSON_Number : cJSON_String))
      return 0;
  return 1;
}

/* Collect what a leaf reads into S->reads; S->inexact when its truth may
** vary inside one representative's class. ok: a plain var here is fine. */
static void S_scan(S_sym *S, const cJSON *node, int ok) {
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
static cJSON *S_answer(const S_sym *S, size_t i, long k) {
  const cdg_question *q = &S->pack->questions[i];
  const S_sq *sq = &S->q[i];
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
  for (j = 0; j < sq->ndom; j++)
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
static int S_put(const S_sym *S, cJSON *data, size_t i, long k) {
  cJSON *a;

  cJSON_DeleteItemFromObjectCaseSensitive(data, S->pack->questions[i].id);
  if (k < 0)
    return 0;
  if (!(a = S_answer(S, i, k)))
    return -1;
  cJSON_AddItemToObjectCS(data, S->pack->questions[i].id, a);
  return 0;
}

/* Answers of question i in a table: absent first, then each value (multi:
** each mask, 0 being absent). 0 when too many to tabulate. */
static size_t S_width(const S_sym *S, size_t i) {
  const S_sq *sq = &S->q[i];

  if (S->pack->questions[i].type == CDG_Q_MULTI)
    return sq->ndom <= SYM_MULTI_BITS ? (size_t)1 << sq->ndom : 0;
  return sq->ndom + 1;
}

/* Literals for "question i does not have answer k of the table". */
static void S_not_answer(S_sym *S, size_t i, size_t k) {
  const S_sq *sq = &S->q[i];
  size_t j;

  if (S->pack->questions[i].type == CDG_Q_MULTI) {
    for (j = 0; j < sq->ndom; j++)
      S_lit(S, (k >> j) & 1 ? -(sq->v + (int)j) : sq->v + (int)j);
  } else if (k == 0) {
    for (j = 0; j < sq->ndom; j++)
      S_lit(S, sq->v + (int)j);
  } else {
    S_lit(S, -(sq->v + (int)(k - 1)));
  }
}

/* The literal of a leaf: tabulated by the evaluator over what it reads,
** or a free variable (S->undecided) when that is not exact. */
static int S_leaf(S_sym *S, const cJSON *node, const logic_expr *whole) {
  const logic_expr *e = whole;
  size_t idx[64], w[64], rows = 1, r, j;
  cJSON *data = S->data;
  cdg_error err;
  int t, lit, rc = 0;

  S->nreads = 0;
  S->inexact = 0;
  S_scan(S, node, 1);
  for (j = 0; j < S->nreads && !S->inexact; j++) {
    w[j] = S_width(S, S->reads[j]);
    if (w[j] == 0 || rows * w[j] > SYM_LEAF_ROWS)
      S->inexact = 1;
    else
      rows *= w[j];
  }
  lit = S_var(S);
  if (S->inexact) {
    S->undecided = 1;
    return lit;
  }
  if (!e && logic_compile_ref(node, &S->own, &err) != CDG_OK)
    longjmp(S->oom, 1);  /* a part of a compiled condition compiles */
  if (!e)
    e = S->own;
  memset(idx, 0, sizeof idx);
  for (r = 0; r < rows && rc == 0; r++) {
    for (j = 0; j < S->nreads && rc == 0; j++)
      rc = S_put(S, data, S->reads[j], (long)idx[j] - 1 +
                 (S->pack->questions[S->reads[j]].type == CDG_Q_MULTI &&
                  idx[j] > 0));
    if (rc)
      break;
    t = logic_test(e, data);
    if (t == LOGIC_NOMEM) {
      rc = -1;
      break;
    }
    if (t == LOGIC_FAIL) {
      S->failed = 1;
      t = 0;
    }
    /* Row => (lit == t). */
    for (j = 0; j < S->nreads; j++)
      S_not_answer(S, S->reads[j], idx[j]);
    S_lit(S, t ? lit : -lit);
    S_end(S);
    for (j = 0; j < S->nreads && ++idx[j] == w[j]; j++)
      idx[j] = 0;
  }
  for (j = 0; j < S->nreads; j++)
    cJSON_DeleteItemFromObjectCaseSensitive(data, S->pack->questions[S->reads[j]].id);
  logic_free(S->own);
  S->own = NULL;
  if (rc)
    longjmp(S->oom, 1);
  return lit;
}

/* ---- Conditions ------------------------------------------------------- */

/* x <-> a and b. */
static int S_and(S_sym *S, int a, int b) {
  int x = S_var(S);

  S_c2(S, -x, a);
  S_c2(S, -x, b);
  S_lit(S, x);
  S_lit(S, -a);
  S_lit(S, -b);
  S_end(S);
  return x;
}

/* x <-> (c ? t : e). */
static int S_ite(S_sym *S, int c, int t, int e) {
  int x = S_var(S), k;
  const int cl[4][3] = {{-x, -c, t}, {-x, c, e}, {x, -c, -t}, {x, c, -e}};

  for (k = 0; k < 4; k++) {
    S_lit(S, cl[k][0]);
    S_lit(S, cl[k][1]);
    S_lit(S, cl[k][2]);
    S_end(S);
  }
  return x;
}

/*
** The literal true exactly when node is truthy. and, or, !, !!, if and ?:
** are split as the evaluator runs them (and/or: truthy as all/any of their
** arguments; !: the first argument); any other node is a leaf. whole: the
** compiled node, when it is the whole condition.
*/
static int S_cond(S_sym *S, const cJSON *node, const logic_expr *whole) {
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

      acc = is_and ? S_and(S, acc, b) : -S_and(S, -acc, -b);
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
    acc = -S->tru;
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
  return S_leaf(S, node, whole);
}

/* Compile one condition (at pointer): its literal; reports a condition not
** decided exactly, or that fails on some answers. */
static int S_condition(S_sym *S, const cJSON *node, const logic_expr *e,
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

/* ---- Real paths ------------------------------------------------------- */

/* The model's answer to question i: -1 absent, else the value index
** (multi: the mask of options). */
static long S_model(const S_sym *S, size_t i) {
  const S_sq *sq = &S->q[i];
  size_t k;
  long m = 0;

  if (S->pack->questions[i].type == CDG_Q_MULTI) {
    for (k = 0; k < sq->ndom; k++)
      if (picosat_deref(S->sat, sq->v + (int)k) > 0)
        m |= 1L << k;
    return m ? m : -1;
  }
  for (k = 0; k < sq->ndom; k++)
    if (picosat_deref(S->sat, sq->v + (int)k) > 0)
      return (long)k;
  return -1;
}

/* A valid answer to question i, for a path that the model does not give. */
static long S_any(const S_sym *S, size_t i) {
  const cdg_question *q = &S->pack->questions[i];
  size_t k;

  if (q->type != CDG_Q_MULTI)
    return 0;
  for (k = 0; k < q->noptions; k++)
    if (!q->options[k].exclusive)
      return 1L << k;
  return 1;
}

/* logic_test of e on the answers of the path to what it reads (all of
** them when opaque). */
static int S_eval(S_sym *S, const logic_expr *e, const size_t *reads,
                  size_t n, int opaque) {
  size_t j, nq = S->pack->nquestions;
  int t = 0;

  for (j = 0; j < (opaque ? nq : n) && t == 0; j++) {
    size_t i = opaque ? j : reads[j];

    if (S->val[i] >= 0)
      t = S_put(S, S->data, i, S->val[i]);
  }
  if (t == 0)
    t = logic_test(e, S->data);
  for (j = 0; j < (opaque ? nq : n); j++)
    cJSON_DeleteItemFromObjectCaseSensitive(
        S->data, S->pack->questions[opaque ? j : reads[j]].id);
  if (t == LOGIC_NOMEM || t == -1)
    longjmp(S->oom, 1);
  return t == 1;
}

/*
** The real path of the current model (or, with no model, of no answers
** but those needed): in topological order, each enable_when run by the
** evaluator; an enabled question takes the model's answer, or a valid one
** when the model has none. Every question enabled and rule fired on it is
** settled.
*/
static void S_path(S_sym *S, int model) {
  const cdg_pack *pack = S->pack;
  const lint_ctx *L = S->L;
  size_t nq = pack->nquestions, k, i, r;

  for (i = 0; i < nq; i++)
    S->val[i] = -1;
  for (k = 0; k < nq; k++) {
    const cdg_question *q = &pack->questions[i = pack->topo[k]];
    long v = model ? S_model(S, i) : -1;

    S->en[i] = !q->enable ||
               S_eval(S, q->enable, L->ereads + L->erstart[i],
                      L->erstart[i + 1] - L->erstart[i], L->eopaque[i]);
    if (!S->en[i])
      continue;
    S->qok[i] = 1;
    if (v < 0 && (q->required || (model && picosat_deref(S->sat, S->q[i].e) < 0)))
      v = S_any(S, i);
    S->val[i] = v;
  }
  for (r = 0; r < pack->nrules; r++) {
    S->fired[r] = (unsigned char)S_eval(
        S, pack->rules[r].cond, L->rreads + L->rrstart[r],
        L->rrstart[r + 1] - L->rrstart[r], L->ropaque[r]);
    if (S->fired[r])
      S->rok[r] = 1;
  }
}

/* ---- Witnesses -------------------------------------------------------- */

/* The answer of question i on the path as compact JSON into one (room for
** 4 * LINT_EXAMPLE_MAX), cut when long; returns its length. */
static size_t S_answer_json(const S_sym *S, size_t i, char *one) {
  const cdg_question *q = &S->pack->questions[i];
  long v = S->val[i];
  size_t k = lint_json_str(one, 0, q->id), j;

  one[k++] = ':';
  if (q->type == CDG_Q_MULTI) {
    one[k++] = '[';
    for (j = 0; j < q->noptions && k < LINT_EXAMPLE_MAX; j++)
      if ((v >> j) & 1) {
        if (one[k - 1] != '[')
          one[k++] = ',';
        k = lint_json_str(one, k, q->options[j].code);
      }
    one[k++] = ']';
  } else if (q->type == CDG_Q_NUMBER) {
    double x = S->q[i].num[v];
    int n = snprintf(one + k, 32, "%.15g", x);

    if (strtod(one + k, NULL) != x)
      n = snprintf(one + k, 32, "%.17g", x);
    k += (size_t)n;
  } else {
    k = lint_json_str(one, k, q->type == CDG_Q_SINGLE ? q->options[v].code
                                                      : S->q[i].str[v]);
  }
  return k;
}

/*
** The path as an answers object: out gets it compact, in pack order, cut
** after whole answers with "..." past LINT_EXAMPLE_MAX. Returns 1 when
** cdg_answers_parse accepts the whole object and the evaluator, run on
** what it parsed, agrees with the path on every rule; 0 if not.
*/
static int S_witness(S_sym *S, char *out) {
  const cdg_pack *pack = S->pack;
  size_t nq = pack->nquestions, n = 1, len = 1, cap = 256, i, k, r;
  char one[4 * LINT_EXAMPLE_MAX], *all = cdg_malloc(cap), *p;
  cdg_answers *a = NULL;
  cdg_error err;
  int cut = 0, ok;

  if (!all)
    longjmp(S->oom, 1);
  out[0] = all[0] = '{';
  for (i = 0; i < nq; i++) {
    if (S->val[i] < 0)
      continue;
    k = S_answer_json(S, i, one);
    if (len + k + 3 > cap) {
      cap = 2 * (len + k + 3);
      if (!(p = cdg_realloc(all, cap))) {
        cdg_free(all);
        longjmp(S->oom, 1);
      }
      all = p;
    }
    if (len > 1)
      all[len++] = ',';
    memcpy(all + len, one, k);
    len += k;
    if (cut)
      continue;
    if (n + 1 + k + 1 > LINT_EXAMPLE_MAX) {
      memcpy(out + n, n > 1 ? ",..." : "...", n > 1 ? 4 : 3);
      n += n > 1 ? 4 : 3;
      cut = 1;
      continue;
    }
    if (n > 1)
      out[n++] = ',';
    memcpy(out + n, one, k);
    n += k;
  }
  out[n++] = '}';
  out[n] = '\0';
  all[len++] = '}';
  ok = cdg_answers_parse(pack, all, len, "witness", &a, &err);
  cdg_free(all);
  if (ok == CDG_ERR_NOMEM)
    longjmp(S->oom, 1);
  if (ok != CDG_OK)
    return 0;
  for (r = 0; r < pack->nrules; r++) {
    int t = logic_test(pack->rules[r].cond, answers_data(a));

    if (t == LOGIC_NOMEM) {
      cdg_answers_free(a);
      longjmp(S->oom, 1);
    }
    if ((t == 1) != S->fired[r])
      break;
  }
  cdg_answers_free(a);
  return r == pack->nrules;
}

/* ---- Driver ----------------------------------------------------------- */

/* One call: 1 satisfiable (and S_path run on its model), 0 unsatisfiable,
** -1 over the budget. */
static int S_solve(S_sym *S) {
  int res;

  /* The limit counts from the start: the budget is per call. */
  picosat_set_propagation_limit(
      S->sat, picosat_propagations(S->sat) + SYM_PROPAGATIONS);
  res = picosat_sat(S->sat, -1);
  if (res == PICOSAT_SATISFIABLE) {
    S_path(S, 1);
    return 1;
  }
  return res == PICOSAT_UNSATISFIABLE ? 0 : -1;
}

static const char *S_why(int res) {
  return res < 0 ? "the proof budget ran out"
                 : "it depends on a condition not decided exactly";
}

static void S_build(S_sym *S) {
  const cdg_pack *pack = S->pack;
  size_t nq = pack->nquestions, nr = pack->nrules, k, i, r;
  char p[128];

  S->tru = S_var(S);
  picosat_add(S->sat, S->tru);
  picosat_add(S->sat, 0);
  for (i = 0; i < nq; i++)
    if (S_question(S, i) < 0)
      longjmp(S->oom, 1);
  for (k = 0; k < nq; k++) {
    const cdg_question *q = &pack->questions[i = pack->topo[k]];
    int lit = S->tru;

    if (q->enable) {
      snprintf(p, sizeof p, "/questions/%zu/enable_when", i);
      lit = S_condition(S, q->enable_when, q->enable, p,
                        "enable_when of question", q->id);
    }
    S_c2(S, -S->q[i].e, lit);
    S_c2(S, S->q[i].e, -lit);
    /* Prefer enabling: a model then settles many questions at once. */
    picosat_set_default_phase_lit(S->sat, S->q[i].e, 1);
  }
  for (r = 0; r < nr; r++) {
    snprintf(p, sizeof p, "/rules/%zu/when", r);
    S->f[r] = S_condition(S, pack->rules[r].when, pack->rules[r].cond, p,
                          "rule", pack->rules[r].id);
    picosat_set_default_phase_lit(S->sat, S->f[r], 1);
  }
}

/*
** Settle many properties per call: assume "one of the unsettled lits
** holds" (a fresh selector implies their disjunction, and is retired after
** the call). The default phase prefers each lit true, so a model tends to
** satisfy many. Returns 0 when the rest are unsatisfiable (each proved
** impossible), 1 when all are settled, -1 when the budget ran out, 2 when
** a model's real path settled none (through a free leaf): the rest are
** then asked one by one.
*/
static int S_batch(S_sym *S, const int *lits, unsigned char *ok,
                   size_t n) {
  size_t i, m, before;
  int sel, res;

  for (;;) {
    sel = S_var(S);
    S_lit(S, -sel);
    for (i = m = 0; i < n; i++)
      if (!ok[i]) {
        S_lit(S, lits[i]);
        m++;
      }
    if (m == 0) {
      S->nlits = 0;
      return 1;
    }
    S_end(S);
    picosat_assume(S->sat, sel);
    res = S_solve(S);
    picosat_add(S->sat, -sel);
    picosat_add(S->sat, 0);
    if (res <= 0)
      return res;
    for (i = before = 0; i < n; i++)
      before += !ok[i];
    if (before == m)
      return 2;
  }
}

/* 1 if some rule that fired on the path cites passage id. */
static int S_cited(const S_sym *S, const char *id) {
  size_t r, k;

  for (r = 0; r < S->pack->nrules; r++)
    for (k = 0; S->fired[r] && k < S->pack->rules[r].ncite; k++)
      if (strcmp(S->pack->rules[r].cite[k], id) == 0)
        return 1;
  return 0;
}

/*
** The citation property for one passage: cited <-> iff on every complete
** path. Two calls: cited and not iff, then iff and not cited; a model is a
** finding only when its real path breaks the property and its answers
** pass cdg_answers_parse.
*/
static void S_property(S_sym *S, const char *id) {
  const cdg_pack *pack = S->pack;
  lint_ctx *L = S->L;
  char ex[LINT_EXAMPLE_MAX + 8];
  size_t r, k;
  int cited = -S->tru, cond, side, res, broken, t;

  for (r = 0; r < pack->nrules; r++)
    for (k = 0; k < pack->rules[r].ncite; k++)
      if (strcmp(pack->rules[r].cite[k], id) == 0)
        cited = -S_and(S, -cited, -S->f[r]);
  cond = S_condition(S, L->prop_iff, L->prop_expr, "/rules",
                     "citation property", L->prop_id);
  for (side = 0; side < 2; side++) {
    picosat_assume(S->sat, side ? -cited : cited);
    picosat_assume(S->sat, side ? cond : -cond);
    res = S_solve(S);
    if (res == 1) {
      t = S_eval(S, L->prop_expr, NULL, 0, 1);
      broken = S_cited(S, id) != t;
      if (broken && S_witness(S, ex)) {
        lint_add(L, "/rules", "citation property \"%s\" fails: passage "
                 "\"%s\" is %s, e.g. %s", L->prop_id, id,
                 side ? "not cited where it holds" : "cited where it does "
                 "not hold", ex);
        continue;
      }
      res = 2;
    }
    if (res != 0)
      lint_add(L, "/rules", "could not decide citation property \"%s\" "
               "for passage \"%s\": %s", L->prop_id, id,
               S_why(res == 2 ? 1 : res));
    else
      L->out->nproved++;
  }
}

static void S_queries(S_sym *S) {
  const cdg_pack *pack = S->pack;
  lint_ctx *L = S->L;
  size_t nq = pack->nquestions, nr = pack->nrules, i, r;
  char p[128], ex[LINT_EXAMPLE_MAX + 8];
  int res, batch;

  /* A first model: settles what any path shows. */
  if ((res = S_solve(S)) == 0) {
    lint_add(L, "/questions", "no complete answer path exists");
    return;
  }
  for (i = 0; i < nq; i++)
    S->elit[i] = S->q[i].e;
  batch = S_batch(S, S->elit, S->qok, nq);
  for (i = 0; i < nq; i++) {
    if (S->qok[i])
      continue;
    if (batch == 0) {
      res = 0;
    } else {
      picosat_assume(S->sat, S->q[i].e);
      res = S_solve(S);
    }
    snprintf(p, sizeof p, "/questions/%zu/enable_when", i);
    if (res == 0)
      lint_add(L, p, "question \"%s\" can never be enabled",
               pack->questions[i].id);
    else if (!S->qok[i])
      lint_add(L, p, "could not decide whether question \"%s\" can be "
               "enabled: %s", pack->questions[i].id, S_why(res));
  }
  batch = S_batch(S, S->f, S->rok, nr);
  for (r = 0; r < nr; r++) {
    if (S->rok[r])
      continue;
    if (batch == 0) {
      res = 0;
    } else {
      picosat_assume(S->sat, S->f[r]);
      res = S_solve(S);
    }
    snprintf(p, sizeof p, "/rules/%zu/when", r);
    if (res == 0)
      lint_add(L, p, "rule \"%s\" can never fire", pack->rules[r].id);
    else if (!S->rok[r])
      lint_add(L, p, "could not decide whether rule \"%s\" can fire: %s",
               pack->rules[r].id, S_why(res));
  }
  /* Some complete path on which no rule fires? */
  for (r = 0; r < nr; r++)
    picosat_assume(S->sat, -S->f[r]);
  res = S_solve(S);
  if (res == 1) {
    for (r = 0; r < nr && !S->fired[r]; r++)
      ;
    if (r == nr && S_witness(S, ex))
      lint_add(L, "/rules", "some complete answer paths cite no passage, "
               "e.g. %s", ex);
    else
      res = 2;
  }
  if (res < 0 || res == 2)
    lint_add(L, "/rules", "could not decide whether some complete answer "
             "path cites no passage: %s", S_why(res == 2 ? 1 : res));
  for (i = 0; L->prop_id && i < L->prop_n; i++)
    S_property(S, L->prop_passages[i]);
}

int lint_sym_run(lint_ctx *L) {
  const cdg_pack *pack = L->pack;
  size_t nq = pack->nquestions, nr = pack->nrules, i;
  size_t n1 = nq ? nq : 1, r1 = nr ? nr : 1;
  S_sym S;
  volatile int rc = 0;

  memset(&S, 0, sizeof S);
  S.L = L;
  S.pack = pack;
  if (setjmp(S.oom)) {
    rc = -1;
    goto out;
  }
  S.q = cdg_calloc(n1, sizeof *S.q);
  S.f = cdg_calloc(r1, sizeof *S.f);
  S.elit = cdg_calloc(n1, sizeof *S.elit);
  S.qok = cdg_calloc(n1, 1);
  S.rok = cdg_calloc(r1, 1);
  S.en = cdg_calloc(n1, 1);
  S.fired = cdg_calloc(r1, 1);
  S.val = cdg_calloc(n1, sizeof *S.val);
  S.data = cJSON_CreateObject();
  if (!S.q || !S.f || !S.elit || !S.qok || !S.rok || !S.en || !S.fired || !S.val ||
      !S.data)
    longjmp(S.oom, 1);
  S.sat = picosat_minit(&S, S_mem_new, S_mem_resize, S_mem_delete);
  S_build(&S);
  if (!L->nomem)
    S_queries(&S);
  for (i = 0; i < nq; i++)
    L->out->nproved += S.qok[i];
  for (i = 0; i < nr; i++)
    L->out->nproved += S.rok[i];
  L->out->nproved++;
out:
  if (rc == 0 && S.sat)
    picosat_reset(S.sat);
  while (S.blocks) {
    S_blk *b = S.blocks;

    S.blocks = b->next;
    cdg_free(b);
  }
  if (S.q)
    for (i = 0; i < nq; i++) {
      cdg_free(S.q[i].num);
      cdg_free(S.q[i].str);
      cdg_free(S.q[i].other);
    }
  cdg_free(S.q);
  cdg_free(S.f);
  cdg_free(S.elit);
  cdg_free(S.qok);
  cdg_free(S.rok);
  cdg_free(S.en);
  cdg_free(S.fired);
  cdg_free(S.val);
  cdg_free(S.lits);
  cJSON_Delete(S.data);
  logic_free(S.own);
  return rc;
}
