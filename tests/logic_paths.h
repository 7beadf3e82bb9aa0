/*
** logic_paths.h: evaluate one JsonLogic rule on one data value by every
** path the library has, and say whether they agree: logic_eval on the tree
** (general evaluator, no slots), and logic_eval_frame through a frame of
** the rule's own slots table with the typed path on and then off; and the
** same for the truth value (logic_test, logic_test_frame, whose typed path
** needs no context). Used by
** test_logic_cases (every case of tests/logic), fuzz_logic and bench_logic's
** --eval-lines (the differential against json-logic-js).
**
** Header-only (static functions): the fuzz target and the bench include
** it without linking the test helpers.
*/
#ifndef CDG_TEST_LOGIC_PATHS_H
#define CDG_TEST_LOGIC_PATHS_H

#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "logic.h"
#include "logic_slots.h"

/* One path's outcome: a result tree or an error message. */
typedef struct lp_out {
  cdg_status st;
  cJSON *res;
  char msg[sizeof(((cdg_error *)0)->message)];
} lp_out;

static void lp_done(lp_out *o) { cJSON_Delete(o->res); }

static void lp_set(lp_out *o, cdg_status st, cJSON *res, const cdg_error *e) {
  o->st = st;
  o->res = res;
  o->msg[0] = '\0';
  if (st != CDG_OK)
    snprintf(o->msg, sizeof o->msg, "%s", e->message);
}

/* Exact agreement: the same status and message, or the same result as
** cJSON prints it (cJSON_Compare finds an infinity unequal to itself). */
static int lp_same(const lp_out *a, const lp_out *b) {
  char *x, *y;
  int same;

  if (a->st != b->st)
    return 0;
  if (a->st != CDG_OK)
    return strcmp(a->msg, b->msg) == 0;
  x = cJSON_PrintUnformatted(a->res);
  y = cJSON_PrintUnformatted(b->res);
  same = x && y && strcmp(x, y) == 0;
  cJSON_free(x);
  cJSON_free(y);
  return same;
}

/*
** 1 when every path agrees on rule and data (a rule that does not compile
** agrees trivially), 0 otherwise with why set; -1 when out of memory
** before anything was evaluated. *typed, if not NULL, is set to whether
** the typed path had slots to use.
*/
static int logic_paths_agree(const cJSON *rule, const cJSON *data, char *why,
                             size_t nwhy, int *typed) {
  logic_expr *plain = NULL, *in = NULL;
  logic_slots *s = logic_slots_create();
  logic_frame *f = NULL;
  lp_out g, fast, slow;
  cdg_error err;
  cJSON *res;
  cdg_status st;
  int ok = 1, t[3];
  char *a, *b;

  if (typed)
    *typed = 0;
  if (!s)
    return -1;
  if (logic_compile(rule, &plain, &err) != CDG_OK) {
    logic_slots_free(s);
    return 1;
  }
  if (logic_compile_in(rule, s, 0, &in, &err) != CDG_OK ||
      !(f = logic_frame_create(s)) || logic_frame_fill(f, data) != CDG_OK) {
    logic_frame_free(f);
    logic_free(in);
    logic_free(plain);
    logic_slots_free(s);
    return -1;
  }
  if (typed)
    *typed = logic_slots_count(s) > 0;
  st = logic_eval(plain, data, &res, &err);
  lp_set(&g, st, res, &err);
  st = logic_eval_frame(in, f, &res, &err);
  lp_set(&fast, st, res, &err);
  t[0] = logic_test(plain, data);
  t[1] = logic_test_frame(in, f);
  logic_frame_set_fast(f, 0);
  st = logic_eval_frame(in, f, &res, &err);
  lp_set(&slow, st, res, &err);
  t[2] = logic_test_frame(in, f);
  if (t[0] != t[1] || t[0] != t[2]) {
    snprintf(why, nwhy, "logic_test %d, typed %d, frame-general %d", t[0],
             t[1], t[2]);
    ok = 0;
  }
  if (ok && (!lp_same(&g, &fast) || !lp_same(&g, &slow))) {
    const lp_out *bad = lp_same(&g, &fast) ? &slow : &fast;
    a = g.st == CDG_OK ? cJSON_PrintUnformatted(g.res) : NULL;
    b = bad->st == CDG_OK ? cJSON_PrintUnformatted(bad->res) : NULL;
    snprintf(why, nwhy, "general %s, %s path %s", a ? a : g.msg,
             bad == &fast ? "typed" : "frame-general", b ? b : bad->msg);
    cJSON_free(a);
    cJSON_free(b);
    ok = 0;
  }
  lp_done(&g);
  lp_done(&fast);
  lp_done(&slow);
  logic_frame_free(f);
  logic_free(in);
  logic_free(plain);
  logic_slots_free(s);
  return ok;
}

#endif
