/*
** logic_strops.c: the string operators of compiled JsonLogic (substr, in,
** cat), in UTF-16 units as JavaScript counts them (logic_eval.c holds the
** rest of the evaluator).
*/
#include <math.h>
#include <string.h>

#include "logic_int.h"

/* A copy of p[0..n) as a string held by c. */
static int S_bytes(lv_ctx *c, const char *p, size_t n, value *out) {
  char *q = lv_alloc(c, n + 1);

  if (!q)
    return -1;
  memcpy(q, p, n);
  q[n] = '\0';
  *out = lv_str(q, n);
  return 0;
}

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
  if (size == (double)s.n) /* ASCII (any other character is fewer units
                           ** than bytes): a unit is a byte */
    return S_bytes(c, s.u.s + (size_t)start, (size_t)len, out);
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

int logic_str_in(const char *s, size_t sn, const char *b, size_t bn) {
  size_t i;

  if (bn == 0)
    return 0;
  if (sn == 0)
    return 1;
  for (i = 0; i + sn <= bn; i++) /* memcmp where the first byte is */
    if (b[i] == s[0] && memcmp(b + i, s, sn) == 0)
      return 1;
  return 0;
}

int logic_op_in(lv_ctx *c, const value *a, const value *b) {
  value s, item;
  lv_iter it;

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
  return logic_str_in(s.u.s, s.n, b->u.s, b->n);
}

int logic_in_lits(const value *a, const node *kids, size_t n) {
  value item;
  size_t i;

  if (a->t == V_STR) { /* the usual: a string among strings */
    for (i = 0; i < n; i++)
      if (kids[i].vt == V_STR && kids[i].aux == a->n &&
          memcmp(kids[i].u.s, a->u.s, a->n) == 0)
        return 1;
    return 0;
  }
  for (i = 0; i < n; i++) {
    item = node_value(&kids[i]);
    if (lv_strict_eq(a, &item))
      return 1;
  }
  return 0;
}

/* cat's fast path: at most this many pieces (the usual cat is short). */
#define S_CAT_PARTS 8

/* The first arguments of cat while they are strings (or numbers, written
** into nums) that fit, all together, in an lv_sb's small buffer, and none
** starts with 0xED (a low surrogate that lv_buf_put may join to the piece
** before): into part, how many were evaluated into *ev. 1 when those are
** every argument; else 0, the last one evaluated being the first that
** does not fit (or S_CAT_PARTS were). Putting the fitting ones into an
** lv_sb cannot fail, so the general path can take over with the same
** errors, in the same order. -1 on error. */
static int S_cat_strs(lv_ctx *c, const node *nd, const value *data,
                      value *part, char (*nums)[32], size_t *ev,
                      size_t *total) {
  const size_t room = sizeof ((lv_sb *)0)->small;
  const node *k = KIDS(nd);
  size_t i, n = nd->n < S_CAT_PARTS ? nd->n : S_CAT_PARTS, sum = 0;
  value *v;
  int all = 0;

  for (i = 0; i < n; i++) { /* in locals: the stores through ev and total
                            ** are not made on every piece */
    v = &part[i];
    if (logic_eval_arg(c, &k[i], data, v) < 0)
      return -1;
    if (v->t == V_NUM) /* String(x), as lv_tostr_buf writes it */
      *v = lv_str(nums[i], lv_numfmt(v->u.d, nums[i]));
    if (v->t != V_STR || v->n >= room - sum ||
        (v->n && (unsigned char)v->u.s[0] == 0xED)) {
      i++;
      goto out;
    }
    sum += v->n;
  }
  all = i == nd->n;
out:
  *ev = i;
  *total = sum;
  return all;
}

int logic_op_cat(lv_ctx *c, const node *nd, const value *data,
                    value *out) {
  value v, part[S_CAT_PARTS];
  char nums[S_CAT_PARTS][32];
  size_t i, ev, total;
  lv_sb b;
  char *p;
  int r = S_cat_strs(c, nd, data, part, nums, &ev, &total);

  if (r < 0)
    return -1;
  if (r) { /* strings only: copied once, into the arena */
    if (!(p = lv_alloc(c, total + 1)))
      return -1;
    for (i = 0, total = 0; i < ev; total += part[i].n, i++)
      memcpy(p + total, part[i].u.s, part[i].n);
    p[total] = '\0';
    *out = lv_str(p, total);
    return 0;
  }
  lv_sb_init(&b);
  for (i = 0; i < nd->n; i++) {
    if (i < ev)
      v = part[i];
    else if (logic_eval_arg(c, &KIDS(nd)[i], data, &v) < 0)
      goto fail;
    if (lv_tostr_buf(c, &b, &v, 1) < 0)
      goto fail;
  }
  return lv_buf_str(c, &b, out);
fail:
  lv_sb_free(&b);
  return -1;
}
