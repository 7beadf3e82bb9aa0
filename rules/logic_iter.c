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

static int S_is_item(const node *nd, int reduce) {
  if (nd->op != LOGIC_OP_VAR || nd->vt != V_STR || nd->n != 0)
    return 0;
  if (reduce)
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

/* The type of nd's value when the item is a number, setting vt of every
** typed operator below (each node visited once); S_NO when not known. */
static int S_type(node *nd, int reduce) {
  node *k = KIDS(nd);
  int t = S_NO;
  size_t i, n = nd->n;

  if (nd->op == N_LIT)
    return nd->vt == V_NUM || nd->vt == V_BOOL ? nd->vt : S_NO;
  if (nd->op == LOGIC_OP_VAR)
    return S_is_item(nd, reduce) ? V_NUM : S_NO;
  if (nd->op >= LOGIC_OP_COUNT || !S_typable(nd->op))
    return S_NO;
  for (i = 0; i < n; i++)
    if (S_type(&k[i], reduce) == S_NO)
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
  nd->vt = (unsigned char)S_type(&KIDS(nd)[1], nd->op == LOGIC_OP_REDUCE);
  if (nd->op == LOGIC_OP_REDUCE && nd->vt != V_NUM)
    nd->vt = S_NO; /* the accumulator stays a number */
}

/* ---- Evaluating a typed body ------------------------------------------ */

/* parseFloat(String(x)) and Number(x) of a typed value. */
#define S_PF(t, x) ((t) == V_NUM ? ((x) == 0 ? 0 : (x)) : NAN)
#define S_TRUE(t, x) ((t) == V_NUM ? (x) != 0 && !isnan(x) : (x) != 0)

typedef struct S_item {
  double cur, acc;
  unsigned long steps; /* what the general evaluator would count */
} S_item;

static double S_num(const node *nd, S_item *it);

/* a OP b for numbers (booleans as 0 and 1: JavaScript's ToNumber). */
static int S_holds(int op, double a, double b) {
  switch (op) {
  case LOGIC_OP_GT: return a > b;
  case LOGIC_OP_GE: return a >= b;
  case LOGIC_OP_LT: return a < b;
  default: return a <= b;
  }
}

static double S_num_op(const node *nd, S_item *it) {
  const node *k = KIDS(nd);
  double a = 0, b, x;
  size_t i, n = nd->n;
  int r;

  switch (nd->op) {
  case LOGIC_OP_ADD:
    for (a = 0, i = 0; i < n; i++) {
      x = S_num(&k[i], it);
      a = (a == 0 ? 0 : a) + S_PF(S_T(&k[i]), x);
    }
    return a;
  case LOGIC_OP_MUL:
    a = S_num(&k[0], it);
    if (n == 1)
      return a;
    a = S_PF(S_T(&k[0]), a);
    for (i = 1; i < n; i++) {
      x = S_num(&k[i], it);
      a = (a == 0 ? 0 : a) * S_PF(S_T(&k[i]), x);
    }
    return a;
  case LOGIC_OP_MAX:
  case LOGIC_OP_MIN:
    a = nd->op == LOGIC_OP_MAX ? -INFINITY : INFINITY;
    for (i = 0; i < n; i++) {
      x = S_num(&k[i], it);
      if (isnan(x) || isnan(a))
        a = NAN;
      else if (nd->op == LOGIC_OP_MAX
                   ? (x > a || (x == 0 && a == 0 && !signbit(x)))
                   : (x < a || (x == 0 && a == 0 && signbit(x))))
        a = x;
    }
    return a;
  case LOGIC_OP_SUB:
  case LOGIC_OP_DIV:
  case LOGIC_OP_MOD:
    a = S_num(&k[0], it);
    b = n > 1 ? S_num(&k[1], it) : 0;
    for (i = 2; i < n; i++) /* evaluated, as json-logic-js does */
      (void)S_num(&k[i], it);
    if (nd->op == LOGIC_OP_SUB)
      return n == 1 ? -a : a - b;
    return nd->op == LOGIC_OP_DIV ? a / b : fmod(a, b);
  case LOGIC_OP_GT:
  case LOGIC_OP_GE:
  case LOGIC_OP_LT:
  case LOGIC_OP_LE:
  case LOGIC_OP_EQ:
  case LOGIC_OP_NE:
  case LOGIC_OP_SEQ:
  case LOGIC_OP_SNE:
    a = S_num(&k[0], it);
    b = S_num(&k[1], it);
    x = n > 2 ? S_num(&k[2], it) : 0;
    for (i = 3; i < n; i++)
      (void)S_num(&k[i], it);
    switch (nd->op) {
    case LOGIC_OP_EQ: return a == b;
    case LOGIC_OP_NE: return !(a == b);
    case LOGIC_OP_SEQ: return S_T(&k[0]) == S_T(&k[1]) && a == b;
    case LOGIC_OP_SNE: return !(S_T(&k[0]) == S_T(&k[1]) && a == b);
    default: break;
    }
    r = S_holds(nd->op, a, b);
    /* between: a < b < c (a third argument of > and >= is ignored) */
    if (r && n > 2 && (nd->op == LOGIC_OP_LT || nd->op == LOGIC_OP_LE))
      r = S_holds(nd->op, b, x);
    return r;
  case LOGIC_OP_NOT:
  case LOGIC_OP_NOTNOT:
    a = S_num(&k[0], it);
    for (i = 1; i < n; i++)
      (void)S_num(&k[i], it);
    return S_TRUE(S_T(&k[0]), a) == (nd->op == LOGIC_OP_NOTNOT);
  case LOGIC_OP_AND:
  case LOGIC_OP_OR:
    for (i = 0; i < n; i++) {
      a = S_num(&k[i], it);
      if (S_TRUE(S_T(&k[i]), a) == (nd->op == LOGIC_OP_OR))
        return a;
    }
    return a;
  default: /* LOGIC_OP_IF, odd n */
    for (i = 0; i + 1 < n; i += 2)
      if (a = S_num(&k[i], it), S_TRUE(S_T(&k[i]), a))
        return S_num(&k[i + 1], it);
    return S_num(&k[n - 1], it);
  }
}

/* The value of a node of a typed body (a boolean as 0 or 1). */
static double S_num(const node *nd, S_item *it) {
  if (nd->op == N_LIT)
    return nd->vt == V_NUM ? nd->u.d : nd->u.b;
  it->steps++;
  if (nd->op == LOGIC_OP_VAR)
    return nd->neg == VK_ACC ? it->acc : it->cur;
  return S_num_op(nd, it);
}

/* The body's value as a value of its type (iterating node nd's vt). */
static value S_boxed(const node *nd, double x) {
  return nd->vt == V_NUM ? lv_num(x) : lv_bool(x != 0);
}

/* A typed body on a number item: 0 with *x set, or -1 (too many steps). */
static int S_run(lv_ctx *c, const node *body, S_item *it, double *x) {
  it->steps = 0;
  *x = S_num(body, it);
  c->steps += it->steps;
  return c->steps > CDG_MAX_LOGIC_STEPS ? logic_step_fail(c) : 0;
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
      while (lv_iter_next(&it, &sc.cur)) {
        value scope = {V_CTX, 0, 0, {0}};
        if (logic_step(c) < 0)
          return -1;
        if (typed && sc.cur.t == V_NUM && sc.acc.t == V_NUM) {
          ti.cur = sc.cur.u.d;
          ti.acc = sc.acc.u.d;
          if (S_run(c, logic, &ti, &x) < 0)
            return -1;
          sc.acc = lv_num(x);
          continue;
        }
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
  while (lv_iter_next(&it, &item)) {
    if (logic_step(c) < 0)
      return -1;
    if (typed && item.t == V_NUM) {
      ti.cur = item.u.d;
      ti.acc = 0;
      if (S_run(c, logic, &ti, &x) < 0)
        return -1;
      if (nd->op == LOGIC_OP_MAP) {
        res[m++] = S_boxed(nd, x);
        continue;
      }
      t = S_TRUE(nd->vt, x);
    } else {
      if (logic_eval_arg(c, logic, &item, &r) < 0)
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
