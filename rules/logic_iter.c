/*
** logic_iter.c: the iterating operators of compiled JsonLogic: map,
** filter, reduce, all, none, some.
*/
#include <string.h>

#include "logic_int.h"

/* map, filter, reduce, all, none, some: the first argument is the array,
** the second the logic applied to each item (with the item as data). */
int logic_op_iter(lv_ctx *c, const node *nd, const value *data,
                     value *out) {
  static const node S_absent = {N_LIT, 0, 0, V_UNDEF, 0, 0, 0, {0}};
  const node *logic = nd->n > 1 ? &KIDS(nd)[1] : &S_absent;
  value arr, item, r, *res = NULL;
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
        sc.copy = NULL;
        sc.on_stack = 1;
        scope.u.c = &sc;
        if (logic_step(c) < 0 || logic_eval_arg(c, logic, &scope, &r) < 0)
          return -1;
        sc.acc = r;
      }
    }
    *out = sc.acc;
    return 0;
  }
  if (!lv_is_arr(&arr)) {
    *out = nd->op == LOGIC_OP_MAP || nd->op == LOGIC_OP_FILTER ? lv_new_arr(c, NULL, 0)
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
    if (logic_step(c) < 0 || logic_eval_arg(c, logic, &item, &r) < 0)
      return -1;
    if (nd->op == LOGIC_OP_MAP) {
      res[m++] = r;
      continue;
    }
    t = lv_truthy(&r);
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
