/*
** logic_typed.c: the typed forms of compiled JsonLogic (logic_int.h) and
** constant folding.
**
** logic_fuse runs once per rule after the compiler has built its nodes:
** it folds operations on constants into literals, and, given a slots
** table, marks the nodes at the rule's top scope whose meaning on a typed
** frame is an integer or bit test. logic_eval_typed evaluates such a node
** on the frame, or says LOGIC_UNDECIDED whenever a value is not of the
** type the test was built for, so the general evaluator, which has
** json-logic-js's semantics, decides. The typed tests are exact because
** every string constant a slot is compared with has its own code, and a
** value's code is the constant it equals (-1: none).
*/
#include <string.h>

#include "logic_int.h"

/* ---- Compiling ---------------------------------------------------------- */

static int S_strlit(const node *k) {
  return k->op == N_LIT && k->vt == V_STR;
}

/* {"var": "name"} resolved to a slot, with no rest. */
static int S_plain(const node *k) {
  return k->op == LOGIC_OP_VAR && k->fast == F_VAR && !k->neg;
}

/* {"var": ""}: the item, inside some/all/none. */
static int S_item(const node *k) {
  return k->op == LOGIC_OP_VAR && k->vt == V_STR && k->aux == 0;
}

/* A constant array of strings only. */
static int S_strset(const node *k) {
  size_t i;

  if (k->op != N_ARRAY || k->vt != V_JARR)
    return 0;
  for (i = 0; i < k->n; i++)
    if (KIDS(k)[i].vt != V_STR)
      return 0;
  return 1;
}

/* The bit of str among slot's codes, added; 0 when it cannot have one. */
static uint64_t S_bit(logic_slots *s, unsigned slot, const char *str,
                      size_t n, int borrow) {
  long code = ls_code_add(s, slot, str, n, borrow);

  return code < 0 || code >= 64 ? 0 : (uint64_t)1 << code;
}

/* The set of codes a some/all/none predicate tests the item against, into
** *m (neg: the item must be outside it); 0 when the body is not such a
** test. */
static int S_pred(logic_slots *s, unsigned slot, const node *b, int borrow,
                  uint64_t *m, unsigned char *neg) {
  const node *str;
  size_t i;
  uint64_t bit;

  *m = 0;
  *neg = 0;
  if (b->n != 2)
    return 0;
  switch (b->op) {
  case LOGIC_OP_NE:
  case LOGIC_OP_SNE: *neg = 1; /* fall through */
  case LOGIC_OP_EQ:
  case LOGIC_OP_SEQ:
    if (S_item(&KIDS(b)[0]) && S_strlit(&KIDS(b)[1]))
      str = &KIDS(b)[1];
    else if (S_strlit(&KIDS(b)[0]) && S_item(&KIDS(b)[1]))
      str = &KIDS(b)[0];
    else
      return 0;
    *m = S_bit(s, slot, str->u.s, str->aux, borrow);
    return *m != 0;
  case LOGIC_OP_IN:
    if (!S_item(&KIDS(b)[0]) || !S_strset(&KIDS(b)[1]))
      return 0;
    for (i = 0; i < KIDS(b)[1].n; i++) {
      if (!(bit = S_bit(s, slot, KIDS(&KIDS(b)[1])[i].u.s,
                        KIDS(&KIDS(b)[1])[i].aux, borrow)))
        return 0;
      *m |= bit;
    }
    return 1;
  default: return 0;
  }
}

typedef struct S_fuse {
  logic_slots *s;
  int borrow;
} S_fuse;

/* {"var": ["key", literal]} (or ["key"]) at the top scope: F_VAR_DFLT
** (a constant array as the default is not: each evaluation gives it a
** fresh identity). */
static void S_var_dflt(S_fuse *F, node *nd) {
  const node *key = KIDS(nd);
  const char *dot;
  size_t seg;
  long slot;

  if (nd->n < 1 || nd->n > 2 || !S_strlit(key) || key->aux == 0 ||
      (nd->n == 2 && key[1].op != N_LIT))
    return;
  dot = memchr(key->u.s, '.', key->aux);
  seg = dot ? (size_t)(dot - key->u.s) : key->aux;
  if (seg == 0 ||
      (slot = ls_add(F->s, key->u.s, seg, F->borrow && !dot)) < 0)
    return;
  nd->fast = F_VAR_DFLT;
  nd->aux = (uint32_t)slot;
  nd->neg = dot != NULL;
}

/* The slot of a var key's first segment at the top scope. */
static void S_var_slot(S_fuse *F, node *nd) {
  const char *dot;
  size_t seg;
  long slot;

  if (nd->vt != V_STR) {
    S_var_dflt(F, nd);
    return;
  }
  if (nd->aux == 0)
    return; /* the whole data */
  dot = memchr(nd->u.s, '.', nd->aux);
  seg = dot ? (size_t)(dot - nd->u.s) : nd->aux;
  if (seg == 0 ||
      (slot = ls_add(F->s, nd->u.s, seg, F->borrow && !dot)) < 0)
    return;
  nd->fast = F_VAR;
  nd->k = (uint32_t)slot;
  nd->neg = dot != NULL;
}

static void S_typed_form(S_fuse *F, node *nd);

/* The typed form of nd at the top scope: an integer or bit test, else
** a number expression over slots (F_NUM). */
static void S_typed(S_fuse *F, node *nd) {
  S_typed_form(F, nd);
  logic_num_mark(nd);
}

/* The bytes of a missing key's first segment (its slot's name; the rest
** of a dotted key is walked from the slot's value: S_rest_missing). */
static size_t S_head(const node *key) {
  const char *dot = memchr(key->u.s, '.', key->aux);

  return dot ? (size_t)(dot - key->u.s) : key->aux;
}

/* The slot of a missing key's first segment, added when new; -1 when out
** of memory. A prefix is not NUL-terminated there: ls_add copies it. The
** key literal's neg (unused by literals) marks a dotted key. */
static long S_key_slot(S_fuse *F, node *key) {
  size_t n = S_head(key);

  key->neg = n < key->aux;
  return ls_add(F->s, key->u.s, n, F->borrow && n == key->aux);
}

static void S_typed_form(S_fuse *F, node *nd) {
  node *k = KIDS(nd);
  size_t i;
  long code;
  uint64_t m = 0, bit;
  unsigned char neg, dotted = 0;

  switch (nd->op) {
  case LOGIC_OP_VAR: S_var_slot(F, nd); return;
  case LOGIC_OP_EQ:
  case LOGIC_OP_SEQ:
  case LOGIC_OP_NE:
  case LOGIC_OP_SNE:
    if (nd->n != 2)
      return;
    if (S_plain(&k[1]) && S_strlit(&k[0]))
      k = &KIDS(nd)[1], i = 0;
    else if (S_plain(&k[0]) && S_strlit(&k[1]))
      i = 1;
    else
      return;
    code = ls_code_add(F->s, k->k, KIDS(nd)[i].u.s, KIDS(nd)[i].aux,
                       F->borrow);
    if (code < 0)
      return;
    nd->fast = F_EQ;
    nd->aux = k->k;
    nd->u.m = (unsigned long long)code;
    nd->neg = nd->op == LOGIC_OP_NE || nd->op == LOGIC_OP_SNE;
    return;
  case LOGIC_OP_IN:
    if (nd->n != 2)
      return;
    if (S_strlit(&k[0]) && S_plain(&k[1])) {
      if (!(m = S_bit(F->s, k[1].k, k[0].u.s, k[0].aux, F->borrow)))
        return;
      nd->fast = F_IN_MULTI;
      nd->aux = k[1].k;
    } else if (S_plain(&k[0]) && S_strset(&k[1])) {
      for (i = 0; i < k[1].n; i++) {
        if (!(bit = S_bit(F->s, k[0].k, KIDS(&k[1])[i].u.s,
                          KIDS(&k[1])[i].aux, F->borrow)))
          return;
        m |= bit;
      }
      nd->fast = F_IN_SET;
      nd->aux = k[0].k;
    } else {
      return;
    }
    nd->u.m = m;
    return;
  case LOGIC_OP_SOME:
  case LOGIC_OP_NONE:
  case LOGIC_OP_ALL:
    /* neg is written only when the predicate is one: until then it is
    ** logic_iter_mark's (a body reading members of object items) */
    if (nd->n != 2 || !S_plain(&k[0]) ||
        !S_pred(F->s, k[0].k, &k[1], F->borrow, &m, &neg))
      return;
    nd->neg = neg;
    nd->fast = nd->op == LOGIC_OP_SOME   ? F_SOME
               : nd->op == LOGIC_OP_NONE ? F_NONE_OF
                                         : F_ALL;
    nd->aux = k[0].k;
    nd->u.m = m;
    return;
  case LOGIC_OP_GT:
  case LOGIC_OP_GE:
  case LOGIC_OP_LT:
  case LOGIC_OP_LE:
    if (nd->n < 2 || nd->n > (nd->op == LOGIC_OP_LT || nd->op == LOGIC_OP_LE
                                  ? 3u : 2u))
      return;
    if (nd->n == 2 && ((S_plain(&k[0]) && S_strlit(&k[1])) ||
                       (S_strlit(&k[0]) && S_plain(&k[1])))) {
      nd->fast = F_SCMP;
      return;
    }
    for (i = 0; i < nd->n; i++)
      if (!S_plain(&k[i]) && !(k[i].op == N_LIT && k[i].vt == V_NUM))
        return;
    nd->fast = F_CMP;
    return;
  case LOGIC_OP_IF:
    if (nd->n)
      nd->fast = F_IF;
    return;
  case LOGIC_OP_AND:
  case LOGIC_OP_OR:
    if (nd->n)
      nd->fast = nd->op == LOGIC_OP_AND ? F_AND : F_OR;
    return;
  case LOGIC_OP_NOT:
  case LOGIC_OP_NOTNOT:
    if (nd->n == 1) {
      nd->fast = F_NOT;
      nd->neg = nd->op == LOGIC_OP_NOT;
    }
    return;
  case LOGIC_OP_MISSING_SOME:
    if (nd->n != 2 || k[0].op != N_LIT || k[0].vt != V_NUM ||
        !S_strset(&k[1]) || k[1].n == 0)
      return;
    for (i = 0; i < k[1].n; i++)
      if (S_head(&KIDS(&k[1])[i]) == 0)
        return;
    for (i = 0; i < k[1].n; i++) {
      if ((code = S_key_slot(F, &KIDS(&k[1])[i])) < 0)
        return;
      KIDS(&k[1])[i].k = (uint32_t)code; /* the key literal's slot */
      dotted |= KIDS(&k[1])[i].neg;
    }
    nd->fast = dotted ? F_MISSING_SOME_P : F_MISSING_SOME;
    return;
  case LOGIC_OP_MISSING:
    if (nd->n == 0)
      return;
    for (i = 0; i < nd->n; i++)
      if (!S_strlit(&k[i]) || S_head(&k[i]) == 0)
        return;
    for (i = 0; i < nd->n; i++) {
      if ((code = S_key_slot(F, &k[i])) < 0)
        return;
      k[i].k = (uint32_t)code; /* the key literal's slot */
      dotted |= k[i].neg;
    }
    nd->fast = dotted ? F_MISSING_P : F_MISSING;
    return;
  default: return;
  }
}

/* Operations on constants only, evaluated now; a result that points into
** the evaluation's arena (a string from cat, an array from map) is left
** to each evaluation. Errors too: they must happen when evaluated. */
static void S_fold(node *nd) {
  lv_ctx c;
  value v, undef = {V_UNDEF, 0, 0, {0}};
  size_t i;

  if (nd->op >= LOGIC_OP_COUNT || nd->op == LOGIC_OP_VAR ||
      nd->op == LOGIC_OP_MISSING || nd->op == LOGIC_OP_MISSING_SOME)
    return;
  for (i = 0; i < nd->n; i++)
    if (KIDS(nd)[i].op != N_LIT &&
        !(KIDS(nd)[i].op == N_ARRAY && KIDS(nd)[i].vt == V_JARR))
      return;
  lv_ctx_init(&c, NULL);
  if (logic_eval_node(&c, nd, &undef, &v) == 0 && c.cur == c.inl.buf &&
      !c.arena && c.ids == 0 && v.t != V_ARR && v.t != V_CTX) {
    nd->op = N_LIT;
    nd->fast = F_NONE;
    nd->n = 0;
    nd->k = 0;
    nd->vt = v.t;
    nd->aux = (uint32_t)v.n;
    nd->u = v.u;
  }
  lv_ctx_done(&c);
}

/* Children first, so that a parent sees its children's forms; top: the
** data here is the rule's (not an item of some/map/...). */
static void S_walk(S_fuse *F, node *nd, int top) {
  const logic_op *op;
  size_t i;

  if (nd->op == N_LIT)
    return;
  op = nd->op < LOGIC_OP_COUNT ? logic_op_get((logic_opcode)nd->op) : NULL;
  for (i = 0; i < nd->n; i++)
    S_walk(F, &KIDS(nd)[i], top && !(op && (op->flags & LOGIC_OP_REBINDS) &&
                                     i == 1));
  S_fold(nd);
  logic_iter_mark(nd);
  if (top && F->s && nd->op < LOGIC_OP_COUNT) {
    /* a typed body over number items of a slot: the frame keeps them */
    if (nd->op >= LOGIC_OP_MAP && nd->op <= LOGIC_OP_SOME &&
        nd->vt != V_UNDEF && !nd->neg && nd->n >= 2 && S_plain(KIDS(nd)))
      F->s->v[KIDS(nd)->k].nums = 1;
    S_typed(F, nd);
  }
}

int logic_fuse(logic_expr *e, logic_slots *s, int borrow) {
  S_fuse F;

  F.s = s;
  F.borrow = borrow;
  S_walk(&F, logic_nodes(e), 1);
  e->slots = s;
  return 0;
}

/* ---- Evaluating --------------------------------------------------------- */

/* The slot a typed form reads: a var's own, an operator's in aux. */
#define S_SLOT(nd) ((nd)->op == LOGIC_OP_VAR ? (nd)->k : (nd)->aux)

static int S_lit_truthy(const node *nd) {
  value v = node_value(nd);

  return lv_truthy(&v);
}

static const lf_val S_absent = {{V_UNDEF, 0, 0, {0}}, 0, 0, -1, LF_PLAIN, 0,
                                 0, 0};

/* ---- Testing without a context ---------------------------------------- */

/* Whether the rest p[0..n) of a dotted missing key (after the dot that
** ends its slot's name) is missing from v: walked as logic_var_path and
** S_prop do (an object's first member of that key, an array's item or
** length, a string's length or one unit), without a context: a unit of a
** string stands as "x", which has its length and units. Missing: not
** found, null or "". */
static int S_rest_missing(value v, const char *p, size_t n) {
  const char *end = p + n, *dot;
  const cJSON *ch;
  size_t len, j;
  long i;

  for (;;) {
    for (dot = p; dot < end && *dot != '.'; dot++)
      ;
    len = (size_t)(dot - p);
    switch (v.t) {
    case V_JOBJ:
      for (ch = v.u.j->child; ch; ch = ch->next) {
        for (j = 0; j < len && ch->string[j] == p[j]; j++)
          ;
        if (j == len && ch->string[j] == '\0')
          break;
      }
      if (!ch)
        return 1;
      lv_json(&v, ch);
      break;
    case V_JARR:
    case V_STR:
      if (len == 6 && memcmp(p, "length", 6) == 0) {
        v = lv_num((double)(v.t == V_JARR ? lv_len(&v)
                                          : lv_u16len(v.u.s, v.n)));
        break;
      }
      if ((i = logic_path_index(p, len)) < 0)
        return 1;
      if (v.t == V_STR) {
        if ((size_t)i >= lv_u16len(v.u.s, v.n))
          return 1;
        v = lv_str("x", 1);
        break;
      }
      for (ch = v.u.j->child; ch && i > 0; ch = ch->next)
        i--;
      if (!ch)
        return 1;
      lv_json(&v, ch);
      break;
    default: /* null, and numbers and booleans have no such property */
      return 1;
    }
    if (dot == end)
      return v.t == V_NULL || (v.t == V_STR && v.n == 0);
    p = dot + 1;
  }
}

/* Whether a key of F_MISSING is missing: absent, null or "". */
static int S_missing_key(const logic_frame *f, const node *k) {
  const lf_val *x = &f->v[k->k];

  return x->stamp != f->stamp || x->v.t == V_NULL ||
         (x->v.t == V_STR && x->v.n == 0);
}

/* The same for a key of F_MISSING_P, which may be dotted: its slot absent,
** or the rest of its path missing. Apart from S_missing_key, whose loops
** it would slow down. */
static int S_missing_path(const logic_frame *f, const node *k) {
  const lf_val *x = &f->v[k->k];
  size_t head;

  if (!k->neg || x->stamp != f->stamp) /* plain (S_key_slot), or absent */
    return S_missing_key(f, k);
  head = S_head(k);
  return S_rest_missing(x->v, k->u.s + head + 1, k->aux - head - 1);
}

/* Whether any key of F_MISSING_P node nd is missing; with count, how
** many of F_MISSING_SOME_P's keys nd are. */
static size_t S_missing_paths(const logic_frame *f, const node *nd,
                              int count) {
  size_t i, m = 0;

  for (i = 0; i < nd->n; i++)
    if (S_missing_path(f, &KIDS(nd)[i]) && (++m, !count))
      return 1;
  return m;
}

/* F_CMP's number of kid k: 0, or -1 when it is not a number (a slot
** holding something else: the general comparison decides). */
static int S_num(const logic_frame *f, const node *k, double *d) {
  const lf_val *x;

  if (k->op == N_LIT) {
    *d = k->u.d;
    return 0;
  }
  x = &f->v[k->k];
  if (x->stamp != f->stamp || x->v.t != V_NUM)
    return -1;
  *d = x->v.u.d;
  return 0;
}

/* F_CMP on numbers: 0 or 1, or -1 when a kid is not a number. */
static int S_cmp(const logic_frame *f, const node *nd) {
  double a, b, c;

  if (S_num(f, &KIDS(nd)[0], &a) < 0 || S_num(f, &KIDS(nd)[1], &b) < 0 ||
      (nd->n > 2 && S_num(f, &KIDS(nd)[2], &c) < 0))
    return -1;
  switch (nd->op) {
  case LOGIC_OP_GT: return a > b;
  case LOGIC_OP_GE: return a >= b;
  case LOGIC_OP_LT: return a < b && (nd->n < 3 || b < c);
  default: return a <= b && (nd->n < 3 || b <= c);
  }
}

/* F_SCMP when its slot holds a string: 0 or 1 (lv_cmp's order of two
** strings), else -1. */
static int S_scmp(const logic_frame *f, const node *nd) {
  const node *k = KIDS(nd);
  int slot0 = k[0].op == LOGIC_OP_VAR, r;
  const lf_val *x = &f->v[k[!slot0].k];
  const node *lit = &k[slot0];

  if (x->stamp != f->stamp || x->v.t != V_STR)
    return -1;
  r = slot0 ? lv_u16cmp(x->v.u.s, x->v.n, lit->u.s, lit->aux)
            : lv_u16cmp(lit->u.s, lit->aux, x->v.u.s, x->v.n);
  switch (nd->op) {
  case LOGIC_OP_GT: return r == CMP_GT;
  case LOGIC_OP_GE: return r == CMP_GT || r == CMP_EQ;
  case LOGIC_OP_LT: return r == CMP_LT;
  default: return r == CMP_LT || r == CMP_EQ;
  }
}

/* How many keys of a constant array (F_MISSING_SOME's) are missing. */
static size_t S_missing_count(const logic_frame *f, const node *arr) {
  size_t i, m = 0;

  for (i = 0; i < arr->n; i++)
    m += (size_t)S_missing_key(f, &KIDS(arr)[i]);
  return m;
}

/* F_MISSING_P and F_MISSING_SOME_P evaluated: as F_MISSING and
** F_MISSING_SOME, through S_missing_path. */
static int S_missing_eval(lv_ctx *c, const logic_frame *f, const node *nd,
                          value *out) {
  value *res;
  size_t i, k;

  if (nd->fast == F_MISSING_SOME_P) {
    k = S_missing_paths(f, &KIDS(nd)[1], 1);
    if ((double)(KIDS(nd)[1].n - k) >= KIDS(nd)[0].u.d) {
      *out = lv_new_arr(c, NULL, 0);
      return 0;
    }
    nd = &KIDS(nd)[1]; /* the missing keys, as F_MISSING_P lists them */
  }
  res = lv_alloc_values(c, nd->n);
  if (!res)
    return -1;
  for (i = k = 0; i < nd->n; i++)
    if (S_missing_path(f, &KIDS(nd)[i]))
      res[k++] = node_value(&KIDS(nd)[i]);
  *out = lv_new_arr(c, res, k);
  return 0;
}

/* The truth of a var path's rest p[0..end) (after its slot's name) from
** the slot's value v, walked by logic_var_path in a context of its own
** (a string's unit fits in its buffer; out of memory: undecided), dflt
** the default (undefined: null). */
static int S_path_truth(value v, const char *p, const char *end,
                        const value *dflt) {
  lv_ctx c;
  value out;
  int t;

  lv_ctx_init(&c, NULL);
  t = logic_var_path(&c, v, p, end, dflt, &out) < 0 ? LOGIC_TEST_UNDECIDED
                                                    : lv_truthy(&out);
  lv_ctx_done(&c);
  return t;
}

const node *logic_test_branch(const logic_frame *f, const node *nd,
                              unsigned long *acc) {
  static const node S_null = {N_LIT, 0, 0, V_NULL, 0, 0, 0, {0}};
  size_t i;
  int t = 0;

  while (nd->fast == F_IF) {
    ++*acc;
    for (i = 0; i + 1 < nd->n; i += 2)
      if ((t = logic_test_typed(f, &KIDS(nd)[i], acc)) != 0)
        break;
    if (t == LOGIC_TEST_UNDECIDED)
      return NULL;
    if (i + 1 < nd->n) /* a condition held: its branch */
      nd = &KIDS(nd)[i + 1];
    else if (i + 1 == nd->n) /* the else */
      nd = &KIDS(nd)[i];
    else /* none held, no else: null */
      return &S_null;
  }
  return nd;
}

int logic_test_typed(const logic_frame *f, const node *nd,
                     unsigned long *acc) {
  const lf_val *x;
  uint64_t m, hit;
  size_t i;
  int t;
  double d;
  unsigned long steps;

  switch (nd->fast) {
  case F_NONE:
    if (nd->op == N_LIT)
      return S_lit_truthy(nd);
    return nd->op >= LOGIC_OP_FILTER && nd->op <= LOGIC_OP_SOME /* not map */
               ? logic_iter_test(f, nd, acc)
               : LOGIC_TEST_UNDECIDED;
  case F_AND:
  case F_OR: /* the deciding kid's truth is the result's */
    ++*acc; /* the operator's own step, as the kids' below */
    for (i = 0; i < nd->n; i++) {
      t = logic_test_typed(f, &KIDS(nd)[i], acc);
      if (t == LOGIC_TEST_UNDECIDED || t == (nd->fast == F_OR))
        return t;
    }
    return nd->fast == F_AND; /* and: every kid true; or: none was */
  case F_NOT:
    if (KIDS(nd)[0].fast == F_MISSING) {
      for (i = 0; i < KIDS(nd)[0].n; i++)
        if (S_missing_key(f, &KIDS(&KIDS(nd)[0])[i]))
          break;
      return (i < KIDS(nd)[0].n) != nd->neg;
    }
    ++*acc;
    t = logic_test_typed(f, &KIDS(nd)[0], acc);
    return t == LOGIC_TEST_UNDECIDED ? t : t != nd->neg;
  case F_CMP:
  case F_SCMP:
    t = nd->fast == F_CMP ? S_cmp(f, nd) : S_scmp(f, nd);
    return t < 0 ? LOGIC_TEST_UNDECIDED : t;
  case F_IF: /* the truth of the branch taken */
    nd = logic_test_branch(f, nd, acc);
    return nd ? logic_test_typed(f, nd, acc) : LOGIC_TEST_UNDECIDED;
  case F_MISSING: /* an array: truthy when not empty */
    for (i = 0; i < nd->n; i++)
      if (S_missing_key(f, &KIDS(nd)[i]))
        return 1;
    return 0;
  case F_MISSING_SOME: /* [] when enough are there, else the missing */
    i = S_missing_count(f, &KIDS(nd)[1]);
    return !((double)(KIDS(nd)[1].n - i) >= KIDS(nd)[0].u.d) && i > 0;
  case F_MISSING_P:
    return S_missing_paths(f, nd, 0) > 0;
  case F_MISSING_SOME_P:
    i = S_missing_paths(f, &KIDS(nd)[1], 1);
    return !((double)(KIDS(nd)[1].n - i) >= KIDS(nd)[0].u.d) && i > 0;
  case F_NUM: /* past the step limit: the general evaluator fails it */
    if (logic_num_eval(f, nd, &d, &steps) != 0 ||
        (*acc += steps) > logic_step_limit)
      return LOGIC_TEST_UNDECIDED;
    return logic_num_true(nd->vt, d);
  case F_VAR_DFLT: {
    const node *key = KIDS(nd);
    value dflt = nd->n > 1 ? node_value(&key[1]) : lv_undef;
    x = &f->v[nd->aux];
    if (x->stamp != f->stamp) /* the default, or null */
      return lv_truthy(&dflt);
    return nd->neg ? S_path_truth(x->v,
                                  (const char *)memchr(key->u.s, '.',
                                                       key->aux) + 1,
                                  key->u.s + key->aux, &dflt)
                   : lv_truthy(&x->v);
  }
  default: break;
  }
  x = &f->v[S_SLOT(nd)];
  if (x->stamp != f->stamp) { /* absent: null */
    switch (nd->fast) {
    case F_EQ: return nd->neg;
    case F_NONE_OF: return 1;
    default: return 0; /* var: null; in, some, all: false */
    }
  }
  m = nd->u.m;
  switch (nd->fast) {
  case F_VAR: /* the rest after the first dot */
    return nd->neg ? S_path_truth(x->v,
                                  (const char *)memchr(nd->u.s, '.',
                                                       nd->aux) + 1,
                                  nd->u.s + nd->aux, &lv_undef)
                   : lv_truthy(&x->v);
  case F_EQ:
    return x->kind == LF_STR ? ((unsigned long long)(long)x->code == nd->u.m) != nd->neg
                             : LOGIC_TEST_UNDECIDED;
  case F_IN_MULTI:
    if (x->kind == LF_STRS) /* the usual multi answer */
      return (x->bits & m) != 0;
    if (x->v.t == V_STR) /* the literal as a substring */
      return logic_str_in(KIDS(nd)->u.s, KIDS(nd)->aux, x->v.u.s, x->v.n);
    return x->v.t == V_NULL ? 0 : LOGIC_TEST_UNDECIDED;
  case F_IN_SET:
    return x->kind == LF_STR ? x->code >= 0 && x->code < 64 &&
                                   ((m >> x->code) & 1) != 0
                             : LOGIC_TEST_UNDECIDED;
  default: /* F_SOME, F_NONE_OF, F_ALL */
    if (x->v.t != V_JARR && x->v.t != V_ARR)
      return nd->fast == F_NONE_OF;
    if (x->kind != LF_STRS)
      return LOGIC_TEST_UNDECIDED;
    if (nd->fast == F_ALL) {
      hit = nd->neg ? (x->bits & m) : (x->bits & ~m) | x->other;
      return x->v.u.j->child && !hit;
    }
    hit = nd->neg ? (x->bits & ~m) | x->other : (x->bits & m);
    return (hit != 0) == (nd->fast == F_SOME);
  }
}

/* *out = a boolean, field by field: a whole struct built on the stack
** and copied costs a stalled store-to-load forward on every test. */
static inline void S_bool(value *out, int b) {
  out->t = V_BOOL;
  out->id = 0;
  out->n = 0;
  out->u.m = 0;
  out->u.b = b != 0;
}

/* A kid of a typed and/or/not: typed when it can be, else general. */
static int S_sub(lv_ctx *c, const node *k, value *out) {
  int r;

  if (k->op == N_LIT) {
    *out = node_value(k);
    return 0;
  }
  if (logic_step(c) < 0)
    return -1;
  if (k->fast && (r = logic_eval_typed(c, k, out)) != LOGIC_UNDECIDED)
    return r;
  return logic_eval_general(c, k, c->top, out);
}

int logic_eval_typed(lv_ctx *c, const node *nd, value *out) {
  const logic_frame *f = c->frame;
  const lf_val *x;
  value *res;
  uint64_t m = nd->u.m, hit;
  size_t i, k;
  int absent;
  double d;
  unsigned long steps;

  switch (nd->fast) {
  case F_AND:
  case F_OR:
    for (i = 0; i < nd->n; i++) {
      if (S_sub(c, &KIDS(nd)[i], out) < 0)
        return -1;
      if (lv_truthy(out) == (nd->fast == F_OR))
        return 0;
    }
    return 0;
  case F_CMP:
  case F_SCMP:
    if ((absent = nd->fast == F_CMP ? S_cmp(f, nd) : S_scmp(f, nd)) < 0)
      return LOGIC_UNDECIDED; /* nothing evaluated yet */
    S_bool(out, absent);
    return 0;
  case F_IF:
    for (i = 0; i + 1 < nd->n; i += 2) {
      if (S_sub(c, &KIDS(nd)[i], out) < 0)
        return -1;
      if (lv_truthy(out))
        return S_sub(c, &KIDS(nd)[i + 1], out);
    }
    if (i + 1 == nd->n)
      return S_sub(c, &KIDS(nd)[i], out);
    *out = lv_null;
    return 0;
  case F_NOT:
    if (KIDS(nd)[0].fast == F_MISSING) { /* only whether one is missing */
      if (logic_step(c) < 0)
        return -1;
      for (i = 0; i < KIDS(nd)[0].n; i++)
        if (S_missing_key(f, &KIDS(&KIDS(nd)[0])[i]))
          break;
      S_bool(out, (i < KIDS(nd)[0].n) != nd->neg);
      return 0;
    }
    if (S_sub(c, &KIDS(nd)[0], out) < 0)
      return -1;
    S_bool(out, lv_truthy(out) != nd->neg);
    return 0;
  case F_NUM: /* nd's own step is counted */
    if (logic_num_eval(f, nd, &d, &steps) != 0)
      return LOGIC_UNDECIDED; /* nothing counted yet */
    if (logic_steps(c, steps - 1) < 0)
      return -1;
    *out = logic_num_box(nd, d);
    return 0;
  case F_MISSING_SOME:
    k = S_missing_count(f, &KIDS(nd)[1]);
    if ((double)(KIDS(nd)[1].n - k) >= KIDS(nd)[0].u.d) {
      *out = lv_new_arr(c, NULL, 0);
      return 0;
    }
    nd = &KIDS(nd)[1]; /* the missing keys, as F_MISSING lists them */
    /* fall through */
  case F_MISSING:
    res = lv_alloc_values(c, nd->n);
    if (!res)
      return -1;
    for (i = k = 0; i < nd->n; i++)
      if (S_missing_key(f, &KIDS(nd)[i]))
        res[k++] = node_value(&KIDS(nd)[i]);
    *out = lv_new_arr(c, res, k);
    return 0;
  case F_MISSING_P:
  case F_MISSING_SOME_P:
    return S_missing_eval(c, f, nd, out);
  case F_VAR_DFLT: { /* as logic_var_path from the data: always decides */
    const node *key = KIDS(nd);
    value dflt = nd->n > 1 ? node_value(&key[1]) : lv_undef;
    x = &f->v[nd->aux];
    if (x->stamp != f->stamp) {
      *out = dflt.t == V_UNDEF ? lv_null : dflt;
      return 0;
    }
    if (!nd->neg) {
      *out = x->v;
      return 0;
    }
    return logic_var_path(c, x->v,
                          (const char *)memchr(key->u.s, '.', key->aux) + 1,
                          key->u.s + key->aux, &dflt, out);
  }
  default: break;
  }
  x = &f->v[S_SLOT(nd)];
  absent = x->stamp != f->stamp;
  if (absent)
    x = &S_absent;
  switch (nd->fast) {
  case F_VAR:
    if (absent) {
      *out = lv_null;
      return 0;
    }
    if (!nd->neg) {
      *out = x->v;
      return 0;
    }
    /* the rest after the first dot */
    return logic_var_path(c, x->v, nd->u.s + f->s->v[nd->k].len + 1,
                          nd->u.s + nd->aux, &lv_undef, out);
  case F_EQ:
    if (absent) { /* null == "code" */
      S_bool(out, nd->neg);
      return 0;
    }
    if (x->kind != LF_STR)
      return LOGIC_UNDECIDED;
    S_bool(out, ((unsigned long long)(long)x->code == nd->u.m) != nd->neg);
    return 0;
  case F_IN_MULTI:
    if (absent || x->v.t == V_NULL) {
      S_bool(out, 0);
      return 0;
    }
    if (x->v.t == V_STR) { /* the literal as a substring */
      S_bool(out, logic_str_in(KIDS(nd)->u.s, KIDS(nd)->aux, x->v.u.s,
                               x->v.n));
      return 0;
    }
    if (x->kind != LF_STRS)
      return LOGIC_UNDECIDED;
    S_bool(out, (x->bits & m) != 0);
    return 0;
  case F_IN_SET:
    if (absent) { /* null is no string of the list */
      S_bool(out, 0);
      return 0;
    }
    if (x->kind != LF_STR)
      return LOGIC_UNDECIDED;
    S_bool(out, x->code >= 0 && x->code < 64 &&
                   ((m >> x->code) & 1) != 0);
    return 0;
  default: /* F_SOME, F_NONE_OF, F_ALL */
    if (absent || (x->v.t != V_JARR && x->v.t != V_ARR)) {
      S_bool(out, nd->fast == F_NONE_OF); /* not an array */
      return 0;
    }
    if (x->kind != LF_STRS)
      return LOGIC_UNDECIDED;
    if (nd->fast == F_ALL) { /* non-empty, and every item passes */
      hit = nd->neg ? (x->bits & m) : (x->bits & ~m) | x->other;
      S_bool(out, x->v.u.j->child && !hit);
      return 0;
    }
    /* some item passes */
    hit = nd->neg ? (x->bits & ~m) | x->other : (x->bits & m);
    S_bool(out, (hit != 0) == (nd->fast == F_SOME));
    return 0;
  }
}
