/*
** logic.c: the entry points of the JsonLogic module (logic.h): evaluate a
** compiled rule into a cJSON tree or a truth value, and
** cdg_logic_eval_json, which prints its result as JSON.stringify would.
**
** The module: logic_value.c (values, arena, equality), logic_js.c
** (JavaScript number and string conversions), logic_ops.c (the operator
** table), logic_compile.c (compiler), logic_eval.c (evaluator).
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cdg_rules.h"
#include "json.h"
#include "logic_int.h"

/* ---- Results ----------------------------------------------------------- */

/* The value as JSON.stringify sees it: undefined and non-finite numbers
** are null, -0 is 0. NULL when out of memory. */
static cJSON *S_to_json(const value *v) {
  cJSON *j, *item;
  value x;
  lv_iter it;

  switch (v->t) {
  case V_BOOL: return cJSON_CreateBool(v->u.b);
  case V_NUM:
    if (!isfinite(v->u.d))
      return cJSON_CreateNull();
    return cJSON_CreateNumber(v->u.d == 0 ? 0 : v->u.d);
  case V_STR: return cJSON_CreateString(v->u.s);
  case V_JARR:
  case V_JOBJ: return cJSON_Duplicate(v->u.j, 1);
  case V_ARR:
    j = cJSON_CreateArray();
    if (!j)
      return NULL;
    lv_iter_init(&it, v);
    while (lv_iter_next(&it, &x)) {
      if (!(item = S_to_json(&x))) {
        cJSON_Delete(j);
        return NULL;
      }
      cJSON_AddItemToArray(j, item); /* fails only on NULL */
    }
    return j;
  case V_CTX:
    j = cJSON_CreateObject();
    if (!j)
      return NULL;
    if (v->u.c->cur.t != V_UNDEF) {
      item = S_to_json(&v->u.c->cur);
      if (!item || !cJSON_AddItemToObject(j, "current", item)) {
        cJSON_Delete(item);
        cJSON_Delete(j);
        return NULL;
      }
    }
    if (v->u.c->acc.t != V_UNDEF) {
      item = S_to_json(&v->u.c->acc);
      if (!item || !cJSON_AddItemToObject(j, "accumulator", item)) {
        cJSON_Delete(item);
        cJSON_Delete(j);
        return NULL;
      }
    }
    return j;
  default: return cJSON_CreateNull();
  }
}

/* Whether f's typed values stand for e's names: e was compiled into f's
** slots, which have not changed since f was filled with an object. */
static int S_typed_ok(const logic_expr *e, const logic_frame *f) {
  return f->live && e->slots == f->live && f->gen == f->live->gen;
}

/* Evaluate e on data, or on frame f's data through its typed values when
** e was compiled into f's slots and f is current. */
static int S_run(lv_ctx *c, const logic_expr *e, const cJSON *data,
                 const logic_frame *f, value *out, cdg_error *err) {
  value d;

  lv_ctx_init(c, err);
  if (!e)
    return lv_fail(c, cdg_error_set(err, CDG_ERR_LOGIC, NULL, NULL,
                                    "no expression"));
  if (logic_nodes(e)->op == N_LIT) { /* true, and folded constants */
    *out = node_value(logic_nodes(e));
    return 0;
  }
  if (f) {
    data = f->data;
    if (S_typed_ok(e, f))
      c->frame = f;
  }
  lv_json(&d, data);
  c->top = &d;
  return logic_eval_node(c, logic_nodes(e), &d, out);
}

static cdg_status S_eval(const logic_expr *e, const cJSON *data,
                         const logic_frame *f, cJSON **result,
                         cdg_error *err) {
  lv_ctx c;
  value v;
  cdg_status st = CDG_OK;

  *result = NULL;
  if (S_run(&c, e, data, f, &v, err) < 0) {
    st = c.st;
  } else {
    *result = S_to_json(&v);
    if (!*result)
      st = cdg_error_set(err, CDG_ERR_NOMEM, NULL, NULL, "out of memory");
  }
  lv_ctx_done(&c);
  return st;
}

cdg_status logic_eval(const logic_expr *e, const cJSON *data, cJSON **result,
                      cdg_error *err) {
  return S_eval(e, data, NULL, result, err);
}

cdg_status logic_eval_frame(const logic_expr *e, const logic_frame *f,
                            cJSON **result, cdg_error *err) {
  return S_eval(e, NULL, f, result, err);
}

static int S_lit_truthy(const node *nd) {
  value v = node_value(nd);

  return lv_truthy(&v);
}

/* The truth of an evaluation in c that returned rc with value v, or
** LOGIC_NOMEM or LOGIC_FAIL; c is done with. */
static int S_truth(lv_ctx *c, int rc, const value *v) {
  int r = rc < 0 ? c->st == CDG_ERR_NOMEM ? LOGIC_NOMEM : LOGIC_FAIL
                 : lv_truthy(v);

  lv_ctx_done(c);
  return r;
}

static int S_test(const logic_expr *e, const cJSON *data,
                  const logic_frame *f) {
  lv_ctx c;
  value v;

  return S_truth(&c, S_run(&c, e, data, f, &v, NULL), &v);
}

int logic_test(const logic_expr *e, const cJSON *data) {
  return S_test(e, data, NULL);
}

/* Whether the typed forms may decide nd, a node of the top scope. */
static int S_typable(const node *nd) {
  return nd->fast || (nd->op >= LOGIC_OP_FILTER &&
                      nd->op <= LOGIC_OP_SOME); /* logic_iter_test */
}

/* The truth of node nd at the top scope of frame f (current for its
** rule) by the general evaluator, counting from steps; LOGIC_FAIL or
** LOGIC_NOMEM on failure. Not inline: its context is kilobytes of stack,
** which the typed path does without. */
static __attribute__((noinline)) int S_test_at(const logic_frame *f,
                                               const node *nd,
                                               unsigned long steps) {
  lv_ctx c;
  value d, v;

  lv_ctx_init(&c, NULL);
  c.frame = f;
  c.steps = steps;
  lv_json(&d, f->data);
  c.top = &d;
  return S_truth(&c, logic_eval_node(&c, nd, &d, &v), &v);
}

/* logic_test_frame of a rule whose root is an if: past the if's whose
** conditions the typed forms decide, the branch taken, by them or else
** alone by the general evaluator from the steps they counted (at least
** what the whole rule's evaluation counts before it, so that within the
** limit here it is within the limit there); any failure is left to the
** whole rule's evaluation, to report as its own. Not inline, so that
** logic_test_frame's prologue stays that of its usual cases (a literal,
** a typed test: 6 to 8 instructions more each when it was). */
static __attribute__((noinline)) int S_test_branch(const logic_expr *e,
                                                   const logic_frame *f) {
  const node *nd;
  unsigned long steps = 0;
  int r;

  if (!(nd = logic_test_branch(f, logic_nodes(e), &steps)))
    return S_test(e, NULL, f);
  if (nd->op == N_LIT) /* the usual branch */
    return S_lit_truthy(nd);
  if (S_typable(nd) &&
      (r = logic_test_typed(f, nd, &steps)) != LOGIC_TEST_UNDECIDED)
    return r;
  r = S_test_at(f, nd, steps);
  return r < 0 ? S_test(e, NULL, f) : r;
}

int logic_test_frame(const logic_expr *e, const logic_frame *f) {
  const node *root;
  unsigned long steps = 0;
  int t;

  if (!e)
    return S_test(e, NULL, f);
  root = logic_nodes(e);
  if (root->op == N_LIT) /* true, and folded constants */
    return S_lit_truthy(root);
  if (!S_typed_ok(e, f))
    return S_test(e, NULL, f);
  /* most pack conditions: decided by the typed forms, no context at all */
  if (S_typable(root)) {
    if (root->fast == F_IF)
      return S_test_branch(e, f);
    if ((t = logic_test_typed(f, root, &steps)) != LOGIC_TEST_UNDECIDED)
      return t;
  }
  return S_test_at(f, root, 0);
}

int logic_truthy(const cJSON *v) {
  value x = lv_from_json(v);

  return lv_truthy(&x);
}

/* ---- cdg_logic_eval_json ------------------------------------------------ */

/* Compact JSON exactly as JSON.stringify writes it, of a tree from
** S_to_json (no non-finite numbers: they became null). */
static void S_print(cdg_buf *o, const cJSON *j) {
  char buf[32];
  const cJSON *c;

  switch (j->type & 0xFF) {
  case cJSON_False: cdg_buf_put(o, "false", 5); return;
  case cJSON_True: cdg_buf_put(o, "true", 4); return;
  case cJSON_Number:
    cdg_buf_put(o, buf,
                lv_numfmt(j->valuedouble == 0 ? 0 : j->valuedouble, buf));
    return;
  case cJSON_String:
    cdg_buf_json_string(o, j->valuestring, strlen(j->valuestring), 0);
    return;
  case cJSON_Array:
  case cJSON_Object:
    cdg_buf_put(o, cJSON_IsArray(j) ? "[" : "{", 1);
    for (c = j->child; c; c = c->next) {
      if (c != j->child)
        cdg_buf_put(o, ",", 1);
      if (cJSON_IsObject(j)) {
        cdg_buf_json_string(o, c->string, strlen(c->string), 0);
        cdg_buf_put(o, ":", 1);
      }
      S_print(o, c);
    }
    cdg_buf_put(o, cJSON_IsArray(j) ? "]" : "}", 1);
    return;
  default: cdg_buf_put(o, "null", 4); return;
  }
}

cdg_status cdg_logic_eval_json(const char *rule, const char *data,
                               char **result, cdg_error *err) {
  cJSON *r = NULL, *d = NULL, *res = NULL;
  logic_expr *e = NULL;
  cdg_buf o = CDG_BUF_INIT;
  cdg_status st;
  cdg_error local;
  char ptr[sizeof local.pointer], msg[sizeof local.message];

  *result = NULL;
  if (!err)
    err = &local;
  if (!rule)
    return cdg_error_set(err, CDG_ERR_LOGIC, "rule", NULL, "no rule");
  st = json_parse(rule, strlen(rule), "rule", &r, err);
  if (st == CDG_OK && data)
    st = json_parse(data, strlen(data), "data", &d, err);
  if (st == CDG_OK) {
    st = logic_compile(r, &e, err);
    if (st == CDG_ERR_LOGIC) { /* add the rule's line:col */
      memcpy(ptr, err->pointer, sizeof ptr);
      memcpy(msg, err->message, sizeof msg);
      json_error_at(err, st, "rule", rule, strlen(rule), ptr, "%s", msg);
    }
  }
  if (st == CDG_OK)
    st = logic_eval(e, d, &res, err);
  if (st == CDG_OK) {
    S_print(&o, res);
    *result = cdg_buf_detach(&o, NULL);
    if (!*result)
      st = cdg_error_set(err, CDG_ERR_NOMEM, NULL, NULL, "out of memory");
  }
  cJSON_Delete(res);
  logic_free(e);
  cJSON_Delete(d);
  cJSON_Delete(r);
  return st;
}
