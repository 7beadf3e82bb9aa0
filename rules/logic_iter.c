/*
** logic_iter.c: the iterating operators of compiled JsonLogic: map,
** filter, reduce, all, none, some; and their compiled bodies.
**
** A body made only of numbers, booleans, the item ({"var": ""}; in
** reduce, "current" and "accumulator") and the arithmetic, comparison and
** logical operators has a type known when compiling (number or boolean),
** given a number for the item (and the accumulator). Such a body is marked
** (logic_iter_mark) and, on the typed path, runs over each number item as
** doubles: no value built, nothing allocated, with the same coercions as
** the general evaluator (parseFloat for + and *, Number for the rest). Any
** other item (or accumulator) goes through the general evaluator, item by
** item.
*/
#include <math.h>
#include <string.h>

#include "logic_int.h"

/* ---- Compiling: the type of a body ------------------------------------ */

/* The body types, in node.vt: an operator node of a typed body holds its
** result type (V_NUM or V_BOOL), and an iterating node its body's. A
** literal has its own vt; {"var": ...} of the item is always a number. */
#define S_NO V_UNDEF

/* What a body's var reads (S_type's mode): the item, reduce's current and
** accumulator, or, in an expression at the rule's top scope (F_NUM), a
** slot of the frame (a plain {"var": "name"} resolved to one). */
enum { S_M_ITEM, S_M_REDUCE, S_M_TOP };

static int S_is_item(const node *nd, int mode) {
  if (nd->op != LOGIC_OP_VAR || nd->vt != V_STR || nd->n != 0)
    return 0;
  if (mode == S_M_TOP)
    return nd->fast == F_VAR && !nd->neg;
  if (mode == S_M_REDUCE)
    return nd->neg == VK_CUR || nd->neg == VK_ACC;
  return nd->aux == 0; /* {"var": ""} or {"var": null}: the item */
}

/* The type of a node of a typed body: a var (the item) is a number. */
#define S_T(nd) ((nd)->op == LOGIC_OP_VAR ? V_NUM : (nd)->vt)

/* The operators a typed body may hold. */
static int S_typable(int op) {
  switch (op) {
  case LOGIC_OP_ADD: case LOGIC_OP_MAX: case LOGIC_OP_MIN:
  case LOGIC_OP_MUL: case LOGIC_OP_SUB: case LOGIC_OP_DIV:
  case LOGIC_OP_MOD: case LOGIC_OP_GT: case LOGIC_OP_GE:
  case LOGIC_OP_LT: case LOGIC_OP_LE: case LOGIC_OP_EQ:
  case LOGIC_OP_NE: case LOGIC_OP_SEQ: case LOGIC_OP_SNE:
  case LOGIC_OP_NOT: case LOGIC_OP_NOTNOT: case LOGIC_OP_AND:
  case LOGIC_OP_OR: case LOGIC_OP_IF: return 1;
  default: return 0;
  }
}

/* The type of nd's value when the item (mode S_M_TOP: every slot read) is
** a number, setting vt of every typed operator below (each node once per
** call; at the top scope each operator's ancestors call it again, which
** CDG_MAX_LOGIC_DEPTH bounds); S_NO when not known. */
static int S_type(node *nd, int mode) {
  node *k = KIDS(nd);
  int t = S_NO;
  size_t i, n = nd->n;

  if (nd->op == N_LIT)
    return nd->vt == V_NUM || nd->vt == V_BOOL ? nd->vt : S_NO;
  if (nd->op == LOGIC_OP_VAR)
    return S_is_item(nd, mode) ? V_NUM : S_NO;
  if (nd->op >= LOGIC_OP_COUNT || !S_typable(nd->op))
    return S_NO;
  for (i = 0; i < n; i++)
    if (S_type(&k[i], mode) == S_NO)
      return S_NO;
  switch (nd->op) {
  case LOGIC_OP_ADD:
  case LOGIC_OP_MAX:
  case LOGIC_OP_MIN: t = V_NUM; break;
  case LOGIC_OP_MUL: /* one argument: that argument itself */
    t = n == 0 ? S_NO : n == 1 ? S_T(k) : V_NUM;
    break;
  case LOGIC_OP_SUB: t = n >= 1 ? V_NUM : S_NO; break;
  case LOGIC_OP_DIV:
  case LOGIC_OP_MOD: t = n >= 2 ? V_NUM : S_NO; break;
  case LOGIC_OP_NOT:
  case LOGIC_OP_NOTNOT: t = n >= 1 ? V_BOOL : S_NO; break;
  case LOGIC_OP_AND:
  case LOGIC_OP_OR: /* the value of one argument: all of one type */
    t = n >= 1 ? S_T(&k[0]) : S_NO;
    for (i = 1; i < n; i++)
      if (S_T(&k[i]) != t)
        t = S_NO;
    break;
  case LOGIC_OP_IF: /* every branch of one type, and an else */
    if (n % 2 == 0)
      return S_NO;
    t = S_T(&k[n - 1]);
    for (i = 1; i < n; i += 2)
      if (S_T(&k[i]) != t)
        t = S_NO;
    break;
  default: /* comparisons */
    t = n >= 2 ? V_BOOL : S_NO;
    break;
  }
  if (t != S_NO)
    nd->vt = (unsigned char)t;
  return t;
}

void logic_iter_mark(node *nd) {
  if (nd->op < LOGIC_OP_MAP || nd->op > LOGIC_OP_SOME || nd->n < 2)
    return;
  nd->vt = (unsigned char)S_type(&KIDS(nd)[1], nd->op == LOGIC_OP_REDUCE
                                                   ? S_M_REDUCE
                                                   : S_M_ITEM);
  if (nd->op == LOGIC_OP_REDUCE && nd->vt != V_NUM)
    nd->vt = S_NO; /* the accumulator stays a number */
}

/* ---- Evaluating a typed body ------------------------------------------ */

/* parseFloat(String(x)) and Number(x) of a typed value. */
#define S_PF(t, x) ((t) == V_NUM ? (x) + 0.0 : NAN) /* -0 + 0 is 0 */
#define S_TRUE(t, x) logic_num_true((t), (x)) /* logic_int.h */

typedef struct S_item {
  double cur, acc;
  unsigned long steps; /* what the general evaluator would count */
  const logic_frame *f; /* F_NUM: the slots' frame */
  int bail;             /* F_NUM: a slot held no number */
} S_item;

typedef double (*S_fn)(const node *nd, S_item *it);
static const S_fn S_fns[LOGIC_OP_COUNT];

/* F_NUM's slot: its number, or bail (absent, or any other type: the
** general evaluator decides). */
static double S_slot(const node *nd, S_item *it) {
  const lf_val *x = &it->f->v[nd->k];

  if (x->stamp != it->f->stamp || x->v.t != V_NUM) {
    it->bail = 1;
    return 0;
  }
  return x->v.u.d;
}

/* The value of a node of a typed body (a boolean as 0 or 1): literals and
** the item inline, operators through S_fns (one small function each, so
** that none pays for another's registers). */
static inline double S_num(const node *nd, S_item *it) {
  if (nd->op == N_LIT)
    return nd->vt == V_NUM ? nd->u.d : nd->u.b;
  it->steps++;
  if (nd->op == LOGIC_OP_VAR) {
    if (nd->fast == F_VAR) /* F_NUM's slot (never in a body) */
      return S_slot(nd, it);
    return nd->neg == VK_ACC ? it->acc : it->cur;
  }
  return S_fns[nd->op](nd, it);
}

/* Kids [from, n) evaluated for nothing, as json-logic-js evaluates every
** argument. */
static void S_rest(const node *nd, size_t from, S_item *it) {
  size_t i;

  for (i = from; i < nd->n; i++)
    (void)S_num(&KIDS(nd)[i], it);
}

/* The sum is never -0 (parseFloat gives 0 for it), so that the general
** evaluator's (a == 0 ? 0 : a) is a itself. */
static double S_add(const node *nd, S_item *it) {
  const node *k = KIDS(nd);
  double a = 0, x;
  size_t i;

  if (nd->n == 2) { /* the usual case */
    a = S_num(&k[0], it);
    x = S_num(&k[1], it);
    return S_PF(S_T(&k[0]), a) + S_PF(S_T(&k[1]), x);
  }
  for (i = 0; i < nd->n; i++) {
    x = S_num(&k[i], it);
    a += S_PF(S_T(&k[i]), x);
  }
  return a;
}

static double S_mul(const node *nd, S_item *it) {
  const node *k = KIDS(nd);
  double a = S_num(&k[0], it), x;
  size_t i;

  if (nd->n == 1) /* reduce without an initial value: the item itself */
    return a;
  a = S_PF(S_T(&k[0]), a);
  for (i = 1; i < nd->n; i++) {
    x = S_num(&k[i], it);
    a = (a == 0 ? 0 : a) * S_PF(S_T(&k[i]), x);
  }
  return a;
}

static double S_minmax(const node *nd, S_item *it) {
  const node *k = KIDS(nd);
  int max = nd->op == LOGIC_OP_MAX;
  double a = max ? -INFINITY : INFINITY, x;
  size_t i;

  for (i = 0; i < nd->n; i++) {
    x = S_num(&k[i], it);
    if (isnan(x) || isnan(a))
      a = NAN;
    else if (max ? (x > a || (x == 0 && a == 0 && !signbit(x)))
                 : (x < a || (x == 0 && a == 0 && signbit(x))))
      a = x;
  }
  return a;
}

static double S_sub(const node *nd, S_item *it) {
  const node *k = KIDS(nd);
  double a = S_num(&k[0], it), b;

  if (nd->n == 1)
    return -a;
  b = S_num(&k[1], it);
  S_rest(nd, 2, it);
  return a - b;
}

static double S_div(const node *nd, S_item *it) {
  const node *k = KIDS(nd);
  double a = S_num(&k[0], it), b = S_num(&k[1], it);

  S_rest(nd, 2, it);
  return a / b;
}

/* fmod, integers (the usual operands) without the library's loop: the
** remainder has the dividend's sign, -0 included. */
static double S_mod(const node *nd, S_item *it) {
  const node *k = KIDS(nd);
  double a = S_num(&k[0], it), b = S_num(&k[1], it), r;

  S_rest(nd, 2, it);
  if (a >= -9007199254740992.0 && a <= 9007199254740992.0 &&
      b >= 1 && b <= 9007199254740992.0 && a == (double)(long long)a &&
      b == (double)(long long)b) {
    r = (double)((long long)a % (long long)b);
    return r == 0 ? copysign(0.0, a) : r;
  }
  return fmod(a, b);
}

/* Comparisons (booleans as 0 and 1: JavaScript's ToNumber); between, a <
** b < c, for < and <= (a third argument of > and >= is ignored). */
static double S_cmp(const node *nd, S_item *it) {
  const node *k = KIDS(nd);
  double a = S_num(&k[0], it), b = S_num(&k[1], it), x = 0;
  int r;

  if (nd->n > 2) {
    x = S_num(&k[2], it);
    S_rest(nd, 3, it);
  }
  switch (nd->op) {
  case LOGIC_OP_GT: return a > b;
  case LOGIC_OP_GE: return a >= b;
  case LOGIC_OP_LT: r = a < b; return r && nd->n > 2 ? b < x : r;
  default: r = a <= b; return r && nd->n > 2 ? b <= x : r;
  }
}

static double S_eq(const node *nd, S_item *it) {
  const node *k = KIDS(nd);
  double a = S_num(&k[0], it), b = S_num(&k[1], it);
  int r;

  S_rest(nd, 2, it);
  switch (nd->op) {
  case LOGIC_OP_EQ: return a == b;
  case LOGIC_OP_NE: return !(a == b);
  default:
    r = S_T(&k[0]) == S_T(&k[1]) && a == b;
    return nd->op == LOGIC_OP_SEQ ? r : !r;
  }
}

static double S_not(const node *nd, S_item *it) {
  const node *k = KIDS(nd);
  double a = S_num(&k[0], it);

  S_rest(nd, 1, it);
  return S_TRUE(S_T(&k[0]), a) == (nd->op == LOGIC_OP_NOTNOT);
}

static double S_andor(const node *nd, S_item *it) {
  const node *k = KIDS(nd);
  double a = 0;
  size_t i;

  for (i = 0; i < nd->n; i++) {
    a = S_num(&k[i], it);
    if (S_TRUE(S_T(&k[i]), a) == (nd->op == LOGIC_OP_OR))
      return a;
  }
  return a;
}

static double S_if(const node *nd, S_item *it) { /* odd n */
  const node *k = KIDS(nd);
  double a;
  size_t i;

  for (i = 0; i + 1 < nd->n; i += 2)
    if (a = S_num(&k[i], it), S_TRUE(S_T(&k[i]), a))
      return S_num(&k[i + 1], it);
  return S_num(&k[nd->n - 1], it);
}

/* Only the operators S_typable accepts are reached. */
static const S_fn S_fns[LOGIC_OP_COUNT] = {
    [LOGIC_OP_ADD] = S_add,    [LOGIC_OP_MUL] = S_mul,
    [LOGIC_OP_MAX] = S_minmax, [LOGIC_OP_MIN] = S_minmax,
    [LOGIC_OP_SUB] = S_sub,    [LOGIC_OP_DIV] = S_div,
    [LOGIC_OP_MOD] = S_mod,    [LOGIC_OP_GT] = S_cmp,
    [LOGIC_OP_GE] = S_cmp,     [LOGIC_OP_LT] = S_cmp,
    [LOGIC_OP_LE] = S_cmp,     [LOGIC_OP_EQ] = S_eq,
    [LOGIC_OP_NE] = S_eq,      [LOGIC_OP_SEQ] = S_eq,
    [LOGIC_OP_SNE] = S_eq,     [LOGIC_OP_NOT] = S_not,
    [LOGIC_OP_NOTNOT] = S_not, [LOGIC_OP_AND] = S_andor,
    [LOGIC_OP_OR] = S_andor,   [LOGIC_OP_IF] = S_if,
};

/* ---- Typed expressions at the top scope (F_NUM) ------------------------ */

/* Whether nd reads a slot somewhere (else folding has made it a
** literal, or it reads nothing typed). */
static int S_reads_slot(const node *nd) {
  size_t i;

  if (nd->op == LOGIC_OP_VAR)
    return 1;
  for (i = 0; i < nd->n; i++)
    if (S_reads_slot(&KIDS(nd)[i]))
      return 1;
  return 0;
}

void logic_num_mark(node *nd) {
  if (nd->fast != F_NONE || nd->op >= LOGIC_OP_COUNT)
    return;
  switch (nd->op) {
  case LOGIC_OP_ADD: case LOGIC_OP_MAX: case LOGIC_OP_MIN:
  case LOGIC_OP_MUL: case LOGIC_OP_SUB: case LOGIC_OP_DIV:
  case LOGIC_OP_MOD: case LOGIC_OP_GT: case LOGIC_OP_GE:
  case LOGIC_OP_LT: case LOGIC_OP_LE: case LOGIC_OP_EQ:
  case LOGIC_OP_NE: case LOGIC_OP_SEQ: case LOGIC_OP_SNE:
    if (S_type(nd, S_M_TOP) != S_NO && S_reads_slot(nd))
      nd->fast = F_NUM;
    return;
  default: return;
  }
}

int logic_num_eval(const logic_frame *f, const node *nd, double *x,
                   unsigned long *steps) {
  S_item it;

  it.cur = it.acc = 0;
  it.steps = 0;
  it.f = f;
  it.bail = 0;
  *x = S_num(nd, &it);
  *steps = it.steps;
  return it.bail ? LOGIC_UNDECIDED : 0;
}

/* The body's value as a value of its type (iterating node nd's vt). */
value logic_num_box(const node *nd, double x) {
  return nd->vt == V_NUM ? lv_num(x) : lv_bool(x != 0);
}

/* A typed body on a number item, counting the item's step and the body's:
** 0 with *x set, or -1 (too many steps). */
static inline int S_run(lv_ctx *c, const node *body, S_item *it,
                        double *x) {
  it->steps = 1;
  it->bail = 0;
  *x = S_num(body, it);
  c->steps += it->steps;
  return c->steps > CDG_MAX_LOGIC_STEPS ? logic_step_fail(c) : 0;
}

/* lv_iter_next, numbers of the data inline (the typed bodies' items). */
static inline int S_next(lv_iter *it, value *out) {
  const cJSON *j = it->j;

  if (j && (j->type & 0xFF) == cJSON_Number) {
    it->j = j->next;
    out->t = V_NUM;
    out->id = 0;
    out->n = 0;
    out->u.d = j->valuedouble;
    return 1;
  }
  return lv_iter_next(it, out);
}

/* ---- The operators ---------------------------------------------------- */

/* map, filter, reduce, all, none, some: the first argument is the array,
** the second the logic applied to each item (with the item as data). */
int logic_op_iter(lv_ctx *c, const node *nd, const value *data,
                  value *out) {
  static const node S_absent = {N_LIT, 0, 0, V_UNDEF, 0, 0, 0, {0}};
  const node *logic = nd->n > 1 ? &KIDS(nd)[1] : &S_absent;
  /* the compiled body, on the typed path only (the general one is the
  ** reference it is checked against) */
  int typed = c->frame && nd->vt != S_NO;
  value arr, item, r, *res = NULL;
  S_item ti;
  double x;
  lv_scope sc;
  lv_iter it;
  size_t m = 0;
  int t;

  arr = lv_undef;
  if (nd->n > 0 && logic_eval_arg(c, &KIDS(nd)[0], data, &arr) < 0)
    return -1;
  if (nd->op == LOGIC_OP_REDUCE) {
    sc.acc = lv_null;
    if (nd->n > 2 && logic_eval_arg(c, &KIDS(nd)[2], data, &sc.acc) < 0)
      return -1;
    if (lv_is_arr(&arr)) {
      lv_iter_init(&it, &arr);
      while (S_next(&it, &sc.cur)) {
        value scope = {V_CTX, 0, 0, {0}};
        if (typed && sc.cur.t == V_NUM && sc.acc.t == V_NUM) {
          ti.cur = sc.cur.u.d;
          ti.acc = sc.acc.u.d;
          if (S_run(c, logic, &ti, &x) < 0)
            return -1;
          sc.acc.u.d = x;
          continue;
        }
        if (logic_step(c) < 0)
          return -1;
        sc.copy = NULL;
        sc.on_stack = 1;
        scope.u.c = &sc;
        if (logic_eval_arg(c, logic, &scope, &r) < 0)
          return -1;
        sc.acc = r;
      }
    }
    *out = sc.acc;
    return 0;
  }
  if (!lv_is_arr(&arr)) {
    *out = nd->op == LOGIC_OP_MAP || nd->op == LOGIC_OP_FILTER
               ? lv_new_arr(c, NULL, 0)
               : lv_bool(nd->op == LOGIC_OP_NONE);
    return 0;
  }
  if (nd->op == LOGIC_OP_MAP || nd->op == LOGIC_OP_FILTER) {
    res = lv_alloc_values(c, lv_len(&arr));
    if (!res)
      return -1;
  }
  lv_iter_init(&it, &arr);
  while (S_next(&it, &item)) {
    if (typed && item.t == V_NUM) {
      ti.cur = item.u.d;
      ti.acc = 0;
      if (S_run(c, logic, &ti, &x) < 0)
        return -1;
      if (nd->op == LOGIC_OP_MAP) {
        res[m++] = logic_num_box(nd, x);
        continue;
      }
      t = S_TRUE(nd->vt, x);
    } else {
      if (logic_step(c) < 0 || logic_eval_arg(c, logic, &item, &r) < 0)
        return -1;
      if (nd->op == LOGIC_OP_MAP) {
        res[m++] = r;
        continue;
      }
      t = lv_truthy(&r);
    }
    if (nd->op == LOGIC_OP_FILTER) {
      if (t)
        res[m++] = item;
    } else if (nd->op == LOGIC_OP_ALL && !t) {
      *out = lv_bool(0);
      return 0;
    } else if (nd->op != LOGIC_OP_ALL && t) {
      *out = lv_bool(nd->op == LOGIC_OP_SOME);
      return 0;
    }
  }
  if (res)
    *out = lv_new_arr(c, res, m);
  else if (nd->op == LOGIC_OP_ALL)
    *out = lv_bool(lv_len(&arr) > 0);
  else
    *out = lv_bool(nd->op == LOGIC_OP_NONE);
  return 0;
}
