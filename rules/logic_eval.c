/*
** logic_eval.c: the evaluator of compiled JsonLogic, with the semantics of
** json-logic-js 2.0.5 (the reference implementation).
**
** Deliberate differences from json-logic-js, all on inputs no real pack
** has: unknown operators are rejected when compiling, not when reached;
** nesting, evaluation steps and arena memory are limited (errors, not
** crashes); var does not see inherited JavaScript properties ("toString");
** in does not find the lone half of a surrogate pair inside a whole one;
** missing treats keys that are objects as strings; a result of undefined
** prints as null.
*/
#include <math.h>
#include <string.h>

#include "logic_int.h"

/* ---- Evaluation -------------------------------------------------------- */

/* Count one unit of work: an operation, or one item of an iteration. */
#define S_step logic_step

unsigned long logic_step_limit = CDG_MAX_LOGIC_STEPS;

void logic_set_step_limit(unsigned long steps) {
  logic_step_limit = steps ? steps : CDG_MAX_LOGIC_STEPS;
}

int logic_step_fail(lv_ctx *c) {
  return lv_fail(c, cdg_error_set(c->err, CDG_ERR_LOGIC, NULL, NULL,
                                  "evaluation takes more than %lu steps",
                                  logic_step_limit));
}

/* logic_eval_node, with literals (most arguments) inline. */
/* logic_eval_node, with literals (most arguments) and {"var": "key"}
** (most of the rest) inline. */
#define S_EVAL(c, nd, data, out)                                          \
  ((nd)->op == N_LIT ? (*(out) = node_value(nd), 0)                              \
   : S_IS_VAR_KEY(nd) ? logic_var_key_step(c, nd, data, out)                  \
                      : logic_eval_node(c, nd, data, out))

/* {"var": "key"}: the key inline in the node (logic_int.h). */
#define S_IS_VAR_KEY(nd)                                                  \
  ((nd)->op == LOGIC_OP_VAR && (nd)->vt == V_STR)

static inline int S_var_key(lv_ctx *c, const node *nd, const value *data,
                     value *out);

int logic_var_key_step(lv_ctx *c, const node *nd, const value *data,
                       value *out) {
  const lf_val *x;

  if (S_step(c) < 0)
    return -1;
  if (nd->fast && c->frame) { /* F_VAR: always decides */
    if (nd->neg) /* a path: the rest after the slot's name */
      return logic_eval_typed(c, nd, out);
    x = &c->frame->v[nd->k]; /* the slot's value, as logic_eval_typed has it */
    *out = x->stamp == c->frame->stamp ? x->v : lv_null;
    return 0;
  }
  return S_var_key(c, nd, data, out);
}

/* Evaluate every argument, as json-logic-js does; keep the first k. */
static int S_args(lv_ctx *c, const node *nd, const value *data, value *v,
                  size_t k) {
  value tmp;
  size_t i;

  for (i = 0; i < nd->n; i++)
    if (S_EVAL(c, &KIDS(nd)[i], data, i < k ? &v[i] : &tmp) < 0)
      return -1;
  for (; i < k; i++)
    v[i] = lv_undef;
  return 0;
}

/* Evaluate every argument into an array (arena unless it fits in buf). */
static int S_all_args(lv_ctx *c, const node *nd, const value *data,
                      value *buf, size_t nbuf, value **v) {
  *v = nd->n <= nbuf ? buf : lv_alloc_values(c, nd->n);
  if (!*v)
    return -1;
  return S_args(c, nd, data, *v, nd->n);
}

/* Hand out the reduce scope: copy it off the stack once. */
static int S_escape(lv_ctx *c, value *v) {
  lv_scope *s;

  if (v->t != V_CTX || !v->u.c->on_stack)
    return 0;
  if (!v->u.c->copy) {
    s = lv_alloc(c, sizeof *s);
    if (!s)
      return -1;
    *s = *v->u.c;
    s->on_stack = 0;
    s->copy = s;
    v->u.c->copy = s;
  }
  v->u.c = v->u.c->copy;
  return 0;
}

/* An array index property: "0" or digits without a leading zero. */
long logic_path_index(const char *p, size_t len) {
  size_t i;
  long v = 0;

  if (len == 0 || len > 9 || (len > 1 && p[0] == '0'))
    return -1;
  for (i = 0; i < len; i++) {
    if (!lv_digit(p[i]))
      return -1;
    v = v * 10 + (p[i] - '0');
  }
  return v;
}

/* data[key] for one path segment; 0 when JavaScript gives undefined. */
static int S_prop(lv_ctx *c, const value *d, const char *p, size_t len,
                  value *out) {
  const cJSON *ch;
  long i;

  switch (d->t) {
  case V_JOBJ:
    for (ch = d->u.j->child; ch; ch = ch->next) {
      const char *k = ch->string;
      size_t j = 0;
      while (j < len && k[j] == p[j])
        j++;
      if (j == len && k[j] == '\0') {
        lv_json(out, ch);
        return 1;
      }
    }
    return 0;
  case V_CTX:
    if (len == 7 && memcmp(p, "current", 7) == 0) {
      *out = d->u.c->cur;
      return out->t != V_UNDEF;
    }
    if (len == 11 && memcmp(p, "accumulator", 11) == 0) {
      *out = d->u.c->acc;
      return out->t != V_UNDEF;
    }
    return 0;
  case V_JARR:
  case V_ARR:
    if (len == 6 && memcmp(p, "length", 6) == 0) {
      *out = lv_num((double)lv_len(d));
      return 1;
    }
    i = logic_path_index(p, len);
    if (i < 0)
      return 0;
    if (d->t == V_ARR) {
      if ((size_t)i >= d->n)
        return 0;
      *out = d->u.a[i];
      return out->t != V_UNDEF;
    }
    for (ch = d->u.j->child; ch && i > 0; ch = ch->next)
      i--;
    if (!ch)
      return 0;
    *out = lv_from_json(ch);
    return 1;
  case V_STR:
    if (len == 6 && memcmp(p, "length", 6) == 0) {
      *out = lv_num((double)lv_u16len(d->u.s, d->n));
      return 1;
    }
    i = logic_path_index(p, len);
    if (i < 0 || (size_t)i >= lv_u16len(d->u.s, d->n))
      return 0;
    return lv_u16slice(c, d->u.s, d->n, (size_t)i, (size_t)i + 1, out) < 0
               ? -1
               : 1;
  default: return 0;
  }
}

/* The rest of a var path, p[0..end) (segments separated by dots), from
** cur; dflt (undefined: null) when a segment is not found. */
int logic_var_path(lv_ctx *c, value cur, const char *p, const char *end,
                   const value *dflt, value *out) {
  value next;
  const char *dot;
  int r;

  for (;;) {
    dot = memchr(p, '.', (size_t)(end - p));
    if (!dot)
      dot = end;
    if (cur.t == V_UNDEF || cur.t == V_NULL)
      goto not_found;
    r = S_prop(c, &cur, p, (size_t)(dot - p), &next);
    if (r < 0)
      return -1;
    if (r == 0)
      goto not_found;
    cur = next;
    if (dot == end)
      break;
    p = dot + 1;
  }
  *out = cur;
  return out->t == V_CTX ? S_escape(c, out) : 0;
not_found:
  *out = dflt->t == V_UNDEF ? lv_null : *dflt;
  return 0;
}

/* data[key] of an object, the key k[0..n) not NUL-terminated: 1 with
** *out set, or 0. */
static inline int S_member(const cJSON *obj, const char *p, size_t len,
                           value *out) {
  const cJSON *ch;

  for (ch = obj->child; ch; ch = ch->next) {
    const char *k = ch->string;
    size_t j = 1;
    if (k[0] != p[0])
      continue;
    /* inline, not strncmp: keys are short, and a call costs more; p has
    ** no NUL, so k's ends the loop */
    while (j < len && k[j] == p[j])
      j++;
    if (j == len && k[len] == '\0') {
      lv_json(out, ch);
      return 1;
    }
  }
  return 0;
}

/* {"var": "key"}: as S_var, without converting the key or looking for a
** dot in it (the compiler did: nd->neg, VK_*); objects and reduce's scope
** inline. */
static inline int S_var_key(lv_ctx *c, const node *nd, const value *data,
                     value *out) {
  int r;

  if (nd->aux == 0) {
    *out = *data;
    return data->t == V_CTX ? S_escape(c, out) : 0;
  }
  switch (data->t) {
  case V_JOBJ:
    if (nd->neg == VK_PATH)
      break;
    if (!S_member(data->u.j, nd->u.s, nd->aux, out))
      *out = lv_null;
    return out->t == V_CTX ? S_escape(c, out) : 0;
  case V_CTX:
    if (nd->neg == VK_CUR || nd->neg == VK_ACC) {
      *out = nd->neg == VK_CUR ? data->u.c->cur : data->u.c->acc;
      if (out->t == V_UNDEF)
        *out = lv_null;
      return out->t == V_CTX ? S_escape(c, out) : 0;
    }
    if (nd->neg == VK_PATH && nd->aux > 8 &&
        memcmp(nd->u.s, "current.", 8) == 0) /* reduce's usual path */
      return logic_var_path(c, data->u.c->cur, nd->u.s + 8,
                            nd->u.s + nd->aux, &lv_undef, out);
    break;
  case V_UNDEF:
  case V_NULL: *out = lv_null; return 0;
  default: break;
  }
  if (nd->neg == VK_PATH)
    return logic_var_path(c, *data, nd->u.s, nd->u.s + nd->aux,
                          &lv_undef, out);
  if ((r = S_prop(c, data, nd->u.s, nd->aux, out)) < 0)
    return -1;
  if (r == 0) {
    *out = lv_null;
    return 0;
  }
  return out->t == V_CTX ? S_escape(c, out) : 0;
}

/* {"var": [key, default]} on data. */
static int S_var(lv_ctx *c, const value *data, const value *key,
                 const value *dflt, value *out) {
  value ks;

  if (key->t == V_UNDEF || key->t == V_NULL ||
      (key->t == V_STR && key->n == 0)) {
    *out = *data;
    return S_escape(c, out);
  }
  if (lv_tostr(c, key, &ks) < 0)
    return -1;
  return logic_var_path(c, *data, ks.u.s, ks.u.s + ks.n, dflt, out);
}

/* missing: the keys whose value is null or "", as an array. */
static int S_missing(lv_ctx *c, const value *data, const value *args,
                     size_t n, value *out) {
  value one, key, got, k0, k1, *res;
  lv_iter it;
  size_t cap, m = 0, i;
  int from_arr = n > 0 && lv_is_arr(&args[0]);

  cap = from_arr ? lv_len(&args[0]) : n;
  res = lv_alloc_values(c, cap);
  if (!res)
    return -1;
  lv_iter_init(&it, from_arr ? &args[0] : &lv_undef);
  for (i = 0;; i++) {
    if (from_arr) {
      if (!lv_iter_next(&it, &key))
        break;
    } else {
      if (i >= n)
        break;
      key = args[i];
    }
    if (lv_is_arr(&key)) { /* {"var": key} takes it as [name, default] */
      lv_iter it2;
      lv_iter_init(&it2, &key);
      if (!lv_iter_next(&it2, &k0))
        k0 = lv_undef;
      if (!lv_iter_next(&it2, &k1))
        k1 = lv_undef;
      if (S_var(c, data, &k0, &k1, &got) < 0)
        return -1;
    } else {
      one = lv_undef;
      if (S_var(c, data, &key, &one, &got) < 0)
        return -1;
    }
    if (got.t == V_NULL || (got.t == V_STR && got.n == 0))
      res[m++] = key;
  }
  *out = lv_new_arr(c, res, m);
  return 0;
}

static int S_missing_some(lv_ctx *c, const value *data, const value *v,
                          value *out) {
  value miss, lenv;
  double len;
  int r;

  if (v[1].t == V_UNDEF || v[1].t == V_NULL)
    return lv_fail(c, cdg_error_set(
                          c->err, CDG_ERR_LOGIC, NULL, NULL,
                          "missing_some needs a list of keys, not null"));
  if (lv_is_arr(&v[1])) {
    value first;
    lv_iter it;
    lv_iter_init(&it, &v[1]);
    if (lv_iter_next(&it, &first) && lv_is_arr(&first)) {
      if (S_missing(c, data, &first, 1, &miss) < 0)
        return -1;
    } else if (S_missing(c, data, &v[1], 1, &miss) < 0) {
      return -1;
    }
    len = (double)lv_len(&v[1]);
  } else {
    if (S_missing(c, data, &v[1], 1, &miss) < 0)
      return -1;
    len = v[1].t == V_STR ? (double)lv_u16len(v[1].u.s, v[1].n) : NAN;
  }
  lenv = lv_num(len - (double)miss.n);
  r = lv_cmp(c, &lenv, &v[0]); /* with a number: never an error */
  *out = (r == CMP_GT || r == CMP_EQ) ? lv_new_arr(c, NULL, 0) : miss;
  return 0;
}

/* parseFloat(String(x)), numbers inline. */
#define S_PF(v)                                                           \
  ((v)->t == V_NUM ? ((v)->u.d == 0 ? 0 : (v)->u.d) : lv_parsefloat(v))

static int S_op_arith(lv_ctx *c, const node *nd, const value *data,
                      value *out) {
  value buf[8], *v;
  double acc, x;
  size_t i;

  if (nd->n == 2 && (nd->op == LOGIC_OP_ADD || nd->op == LOGIC_OP_MUL)) {
    /* the usual two operands, evaluated in order as S_args would */
    if (S_EVAL(c, &KIDS(nd)[0], data, &buf[0]) < 0 ||
        S_EVAL(c, &KIDS(nd)[1], data, &buf[1]) < 0)
      return -1;
    acc = S_PF(&buf[0]);
    x = S_PF(&buf[1]);
    *out = lv_num(nd->op == LOGIC_OP_ADD ? (acc == 0 ? 0 : acc) + x
                                         : (acc == 0 ? 0 : acc) * x);
    return 0;
  }
  if (S_all_args(c, nd, data, buf, 8, &v) < 0)
    return -1;
  switch (nd->op) {
  case LOGIC_OP_ADD:
    acc = 0;
    for (i = 0; i < nd->n; i++)
      acc = (acc == 0 ? 0 : acc) + S_PF(&v[i]);
    *out = lv_num(acc);
    return 0;
  case LOGIC_OP_MUL:
    if (nd->n == 0)
      return lv_fail(c, cdg_error_set(c->err, CDG_ERR_LOGIC, NULL, NULL,
                                      "\"*\" needs at least one argument"));
    if (nd->n == 1) { /* reduce without an initial value: the item itself */
      *out = v[0];
      return 0;
    }
    acc = lv_parsefloat(&v[0]);
    for (i = 1; i < nd->n; i++)
      acc = (acc == 0 ? 0 : acc) * lv_parsefloat(&v[i]);
    *out = lv_num(acc);
    return 0;
  default: /* LOGIC_OP_MAX, LOGIC_OP_MIN */
    acc = nd->op == LOGIC_OP_MAX ? -INFINITY : INFINITY;
    for (i = 0; i < nd->n; i++) {
      x = lv_tonum(&v[i]);
      if (isnan(x) || isnan(acc))
        acc = NAN;
      else if (nd->op == LOGIC_OP_MAX ? (x > acc || (x == 0 && acc == 0 &&
                                               !signbit(x)))
                                : (x < acc || (x == 0 && acc == 0 &&
                                               signbit(x))))
        acc = x;
    }
    *out = lv_num(acc);
    return 0;
  }
}

static int S_op_merge(lv_ctx *c, const node *nd, const value *data,
                      value *out) {
  value buf[8], *v, *res;
  lv_iter it;
  size_t i, total = 0, m = 0;

  if (S_all_args(c, nd, data, buf, 8, &v) < 0)
    return -1;
  for (i = 0; i < nd->n; i++)
    total += lv_is_arr(&v[i]) ? lv_len(&v[i]) : 1;
  res = lv_alloc_values(c, total);
  if (!res)
    return -1;
  for (i = 0; i < nd->n; i++) {
    if (lv_is_arr(&v[i])) {
      lv_iter_init(&it, &v[i]);
      while (lv_iter_next(&it, &res[m]))
        m++;
    } else {
      res[m++] = v[i];
    }
  }
  *out = lv_new_arr(c, res, m);
  return 0;
}

/* ---- Dispatch: one small function per operator ------------------------ */

/* Each is called through S_ops (a tail call from logic_eval_general), so
** that no operator pays for the stack frame of another's locals. */
typedef int (*S_op_fn)(lv_ctx *c, const node *nd, const value *data,
                       value *out);

static int S_do_lit(lv_ctx *c, const node *nd, const value *data,
                    value *out) {
  (void)c;
  (void)data;
  *out = node_value(nd);
  return 0;
}

static int S_do_array(lv_ctx *c, const node *nd, const value *data,
                      value *out) {
  value *vals;

  if (nd->vt == V_JARR) { /* constant: the rule's, a fresh identity */
    *out = node_value(nd);
    out->id = ++c->ids;
    return 0;
  }
  vals = lv_alloc_values(c, nd->n);
  if (!vals || S_args(c, nd, data, vals, nd->n) < 0)
    return -1;
  *out = lv_new_arr(c, vals, nd->n);
  return 0;
}

static int S_do_var(lv_ctx *c, const node *nd, const value *data,
                    value *out) {
  value v[2];

  if (S_IS_VAR_KEY(nd)) /* {"var": "x"}: the key inline */
    return S_var_key(c, nd, data, out);
  if (nd->n == 1 && KIDS(nd)->op == N_LIT) { /* {"var": 1} */
    v[0] = node_value(KIDS(nd));
    return S_var(c, data, &v[0], &lv_undef, out);
  }
  if (S_args(c, nd, data, v, 2) < 0)
    return -1;
  return S_var(c, data, &v[0], &v[1], out);
}

static int S_do_missing(lv_ctx *c, const node *nd, const value *data,
                        value *out) {
  value buf[8], *vals;

  if (S_all_args(c, nd, data, buf, 8, &vals) < 0)
    return -1;
  return S_missing(c, data, vals, nd->n, out);
}

static int S_do_missing_some(lv_ctx *c, const node *nd, const value *data,
                             value *out) {
  value v[2];

  if (S_args(c, nd, data, v, 2) < 0)
    return -1;
  return S_missing_some(c, data, v, out);
}

static int S_do_if(lv_ctx *c, const node *nd, const value *data,
                   value *out) {
  value t;
  size_t i;

  for (i = 0; i + 1 < nd->n; i += 2) {
    if (S_EVAL(c, &KIDS(nd)[i], data, &t) < 0)
      return -1;
    if (lv_truthy(&t))
      return S_EVAL(c, &KIDS(nd)[i + 1], data, out);
  }
  if (i + 1 == nd->n)
    return S_EVAL(c, &KIDS(nd)[i], data, out);
  *out = lv_null;
  return 0;
}

static int S_do_andor(lv_ctx *c, const node *nd, const value *data,
                      value *out) {
  size_t i;

  *out = lv_undef;
  for (i = 0; i < nd->n; i++) {
    if (S_EVAL(c, &KIDS(nd)[i], data, out) < 0)
      return -1;
    if (lv_truthy(out) == (nd->op == LOGIC_OP_OR))
      return 0;
  }
  return 0;
}

static int S_do_eq(lv_ctx *c, const node *nd, const value *data,
                   value *out) {
  value v[2];
  int r;

  if (S_args(c, nd, data, v, 2) < 0)
    return -1;
  /* two strings or two numbers (the usual operands): no coercion */
  if (v[0].t == V_STR && v[1].t == V_STR)
    r = v[0].n == v[1].n && memcmp(v[0].u.s, v[1].u.s, v[0].n) == 0;
  else if (v[0].t == V_NUM && v[1].t == V_NUM)
    r = v[0].u.d == v[1].u.d;
  else if ((r = lv_loose_eq(c, &v[0], &v[1])) < 0)
    return -1;
  *out = lv_bool(nd->op == LOGIC_OP_EQ ? r : !r);
  return 0;
}

static int S_do_seq(lv_ctx *c, const node *nd, const value *data,
                    value *out) {
  value v[2];
  int r;

  if (S_args(c, nd, data, v, 2) < 0)
    return -1;
  r = lv_strict_eq(&v[0], &v[1]);
  *out = lv_bool(nd->op == LOGIC_OP_SEQ ? r : !r);
  return 0;
}

static int S_do_not(lv_ctx *c, const node *nd, const value *data,
                    value *out) {
  value v[1];

  if (S_args(c, nd, data, v, 1) < 0)
    return -1;
  *out = lv_bool(lv_truthy(&v[0]) == (nd->op == LOGIC_OP_NOTNOT));
  return 0;
}

/* a OP b on an lv_cmp result */
static int S_cmp_holds(int op, int r) {
  switch (op) {
  case LOGIC_OP_GT: return r == CMP_GT;
  case LOGIC_OP_GE: return r == CMP_GT || r == CMP_EQ;
  case LOGIC_OP_LT: return r == CMP_LT;
  default: return r == CMP_LT || r == CMP_EQ;
  }
}

/* lv_cmp, numbers inline (the usual case). */
static int S_cmp2(lv_ctx *c, const value *a, const value *b) {
  if (a->t == V_NUM && b->t == V_NUM)
    return a->u.d < b->u.d    ? CMP_LT
           : a->u.d > b->u.d  ? CMP_GT
           : a->u.d == b->u.d ? CMP_EQ
                              : CMP_NONE;
  return lv_cmp(c, a, b);
}

static int S_do_cmp(lv_ctx *c, const node *nd, const value *data,
                    value *out) {
  value v[3];
  int r, k = nd->op == LOGIC_OP_LT || nd->op == LOGIC_OP_LE ? 3 : 2;

  if (S_args(c, nd, data, v, (size_t)k) < 0 ||
      (r = S_cmp2(c, &v[0], &v[1])) == -2)
    return -1;
  r = S_cmp_holds(nd->op, r);
  if (r && k == 3 && v[2].t != V_UNDEF) { /* between: a < b < c */
    if ((r = S_cmp2(c, &v[1], &v[2])) == -2)
      return -1;
    r = S_cmp_holds(nd->op, r);
  }
  *out = lv_bool(r);
  return 0;
}

static int S_do_sub(lv_ctx *c, const node *nd, const value *data,
                    value *out) {
  value v[2];

  if (S_args(c, nd, data, v, 2) < 0)
    return -1;
  *out = lv_num(v[1].t == V_UNDEF ? -lv_tonum(&v[0])
                                  : lv_tonum(&v[0]) - lv_tonum(&v[1]));
  return 0;
}

static int S_do_divmod(lv_ctx *c, const node *nd, const value *data,
                       value *out) {
  value v[2];

  if (S_args(c, nd, data, v, 2) < 0)
    return -1;
  *out = lv_num(nd->op == LOGIC_OP_DIV ? lv_tonum(&v[0]) / lv_tonum(&v[1])
                                       : fmod(lv_tonum(&v[0]), lv_tonum(&v[1])));
  return 0;
}

static int S_do_in(lv_ctx *c, const node *nd, const value *data,
                   value *out) {
  const node *b = nd->n > 1 ? &KIDS(nd)[1] : NULL;
  value v[2];
  int r;

  if (S_args(c, nd, data, v, 2) < 0)
    return -1;
  r = b && b->op == N_ARRAY && b->vt == V_JARR
          ? logic_in_lits(&v[0], KIDS(b), b->n)
          : logic_op_in(c, &v[0], &v[1]);
  if (r < 0)
    return -1;
  *out = lv_bool(r);
  return 0;
}

static int S_do_substr(lv_ctx *c, const node *nd, const value *data,
                       value *out) {
  value v[3];

  if (S_args(c, nd, data, v, 3) < 0)
    return -1;
  return logic_op_substr(c, v, out);
}

/* log returns its argument; the library never prints */
static int S_do_log(lv_ctx *c, const node *nd, const value *data,
                    value *out) {
  value v[1];

  if (S_args(c, nd, data, v, 1) < 0)
    return -1;
  *out = v[0];
  return 0;
}

static const S_op_fn S_ops[N_ARRAY + 1] = {
    [LOGIC_OP_VAR] = S_do_var,
    [LOGIC_OP_MISSING] = S_do_missing,
    [LOGIC_OP_MISSING_SOME] = S_do_missing_some,
    [LOGIC_OP_IF] = S_do_if,
    [LOGIC_OP_EQ] = S_do_eq,
    [LOGIC_OP_NE] = S_do_eq,
    [LOGIC_OP_SEQ] = S_do_seq,
    [LOGIC_OP_SNE] = S_do_seq,
    [LOGIC_OP_NOT] = S_do_not,
    [LOGIC_OP_NOTNOT] = S_do_not,
    [LOGIC_OP_OR] = S_do_andor,
    [LOGIC_OP_AND] = S_do_andor,
    [LOGIC_OP_GT] = S_do_cmp,
    [LOGIC_OP_GE] = S_do_cmp,
    [LOGIC_OP_LT] = S_do_cmp,
    [LOGIC_OP_LE] = S_do_cmp,
    [LOGIC_OP_MAX] = S_op_arith,
    [LOGIC_OP_MIN] = S_op_arith,
    [LOGIC_OP_ADD] = S_op_arith,
    [LOGIC_OP_MUL] = S_op_arith,
    [LOGIC_OP_SUB] = S_do_sub,
    [LOGIC_OP_DIV] = S_do_divmod,
    [LOGIC_OP_MOD] = S_do_divmod,
    [LOGIC_OP_MAP] = logic_op_iter,
    [LOGIC_OP_FILTER] = logic_op_iter,
    [LOGIC_OP_REDUCE] = logic_op_iter,
    [LOGIC_OP_ALL] = logic_op_iter,
    [LOGIC_OP_NONE] = logic_op_iter,
    [LOGIC_OP_SOME] = logic_op_iter,
    [LOGIC_OP_MERGE] = S_op_merge,
    [LOGIC_OP_IN] = S_do_in,
    [LOGIC_OP_CAT] = logic_op_cat,
    [LOGIC_OP_SUBSTR] = S_do_substr,
    [LOGIC_OP_LOG] = S_do_log,
    [N_LIT] = S_do_lit,
    [N_ARRAY] = S_do_array,
};

int logic_eval_node(lv_ctx *c, const node *nd, const value *data,
                    value *out) {
  int r;

  if (S_step(c) < 0)
    return -1;
  if (nd->fast && c->frame) { /* the typed form first */
    r = logic_eval_typed(c, nd, out);
    if (r != LOGIC_UNDECIDED)
      return r;
  }
  return S_ops[nd->op](c, nd, data, out);
}

int logic_eval_general(lv_ctx *c, const node *nd, const value *data,
                       value *out) {
  return S_ops[nd->op](c, nd, data, out);
}
