/*
** logic_strops.c: the string operators of compiled JsonLogic (substr, in,
** cat), in UTF-16 units as JavaScript counts them (logic_eval.c holds the
** rest of the evaluator).
*/
#include <math.h>
#include <string.h>

#include "logic_int.h"

/* String.prototype.substr(start, length) in UTF-16 units. */
static int S_substr(lv_ctx *c, const value *src, double start, double len,
                    int has_len, value *out) {
  value s;
  double size;

  if (lv_tostr(c, src, &s) < 0)
    return -1;
  size = (double)lv_u16len(s.u.s, s.n);
  start = isnan(start) ? 0 : trunc(start);
  if (start < 0)
    start = size + start < 0 ? 0 : size + start;
  else if (start > size)
    start = size;
  len = !has_len ? size : isnan(len) ? 0 : trunc(len);
  if (len < 0)
    len = 0;
  if (len > size - start)
    len = size - start;
  return lv_u16slice(c, s.u.s, s.n, (size_t)start, (size_t)(start + len),
                    out);
}

/* {"substr": [source, start, end]}: a negative end counts from the end,
** as json-logic-js emulates PHP: temp.substr(0, temp.length + end). */
int logic_op_substr(lv_ctx *c, const value *v, value *out) {
  value temp, lenv;
  lv_sb b;
  char buf[32];
  double end = lv_tonum(&v[2]);

  if (!(end < 0))
    return S_substr(c, &v[0], lv_tonum(&v[1]), end, v[2].t != V_UNDEF, out);
  if (S_substr(c, &v[0], lv_tonum(&v[1]), 0, 0, &temp) < 0)
    return -1;
  if (v[2].t == V_STR || lv_is_obj(&v[2])) {
    /* temp.length + end concatenates when end is a string */
    lv_sb_init(&b);
    if (lv_buf_put(c, &b, buf, lv_numfmt((double)lv_u16len(temp.u.s, temp.n),
                                        buf)) < 0 ||
        lv_tostr_buf(c, &b, &v[2], 0) < 0) {
      lv_sb_free(&b);
      return -1;
    }
    if (lv_buf_str(c, &b, &lenv) < 0)
      return -1;
    return S_substr(c, &temp, 0, lv_tonum(&lenv), 1, out);
  }
  return S_substr(c, &temp, 0, (double)lv_u16len(temp.u.s, temp.n) + end, 1,
                  out);
}

int logic_op_in(lv_ctx *c, const value *a, const value *b) {
  value s, item;
  lv_iter it;
  size_t i;

  if (lv_is_arr(b)) {
    lv_iter_init(&it, b);
    while (lv_iter_next(&it, &item))
      if (lv_strict_eq(a, &item))
        return 1;
    return 0;
  }
  if (b->t != V_STR || b->n == 0)
    return 0;
  if (lv_tostr(c, a, &s) < 0)
    return -1;
  if (s.n == 0)
    return 1;
  for (i = 0; i + s.n <= b->n; i++) /* memcmp where the first byte is */
    if (b->u.s[i] == s.u.s[0] && memcmp(b->u.s + i, s.u.s, s.n) == 0)
      return 1;
  return 0;
}

int logic_op_cat(lv_ctx *c, const node *nd, const value *data,
                    value *out) {
  lv_sb b;
  value v;
  size_t i;

  lv_sb_init(&b);
  for (i = 0; i < nd->n; i++)
    if (logic_eval_arg(c, &KIDS(nd)[i], data, &v) < 0 ||
        lv_tostr_buf(c, &b, &v, 1) < 0) {
      lv_sb_free(&b);
      return -1;
    }
  return lv_buf_str(c, &b, out);
}
