/*
** test_logic_frame.c: a pack's conditions evaluated through a frame of
** the answers (rules/logic_slots.h), as the outcome does.
**
** Every rule and every enable_when of the built-in pack, on several sets
** of answers: the same truth value through the frame with the typed path
** on, with it off, and by logic_test on the answers' tree; filling the
** frame and evaluating all of them allocates nothing; a frame whose rules
** were compiled after it was filled is not trusted; the step, memory and
** depth limits hold through a frame; the compiled form's size against the
** rules' JSON text.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "answers.h"
#include "failalloc.h"
#include "fixture.h"
#include "json.h"
#include "logic_slots.h"
#include "pack.h"

/* Invented answers: nothing tried, one failure, side effects, a child,
** none at all, and one with an answer of a type no rule compares with. */
static const char *const S_answers[] = {
    "{\"posture\": [\"torticollis\"], \"age_group\": \"adult\", "
    "\"duration\": \"1_to_5_years\", \"treatments_tried\": [\"none\"]}",
    "{\"posture\": [\"retrocollis\", \"torticollis\"], \"age_group\": "
    "\"adult\", \"duration\": \"over_5_years\", \"treatments_tried\": "
    "[\"physiotherapy\", \"botulinum_toxin\"], \"outcome_physiotherapy\": "
    "\"helped\", \"outcome_botulinum_toxin\": \"not_helped\"}",
    "{\"posture\": [\"anterocollis\"], \"age_group\": \"adult\", "
    "\"duration\": \"under_1_year\", \"treatments_tried\": "
    "[\"spasm_drugs\"], \"outcome_spasm_drugs\": \"stopped_side_effects\"}",
    "{\"posture\": [\"not_sure\"], \"age_group\": \"child\", \"duration\": "
    "\"not_sure\", \"treatments_tried\": [\"brain_surgery\"], "
    "\"outcome_brain_surgery\": \"ongoing\"}",
    "{}",
};

/* Every condition of the pack: rules, then enable_when; their trees
** parsed into s (unless NULL). */
static size_t S_conds(const cdg_pack *p, const logic_expr **out,
                      const cJSON **json, size_t max, json_store *s) {
  size_t i, n = 0;

  for (i = 0; i < p->nrules && n < max; i++, n++) {
    out[n] = p->rules[i].cond;
    if (s)
      assert_int_equal(pack_cond_tree(p->rules[i].when, s, &json[n]), CDG_OK);
  }
  for (i = 0; i < p->nquestions && n < max; i++)
    if (p->questions[i].enable) {
      out[n] = p->questions[i].enable;
      if (s)
        assert_int_equal(
            pack_cond_tree(p->questions[i].enable_when, s, &json[n]), CDG_OK);
      n++;
    }
  return n;
}

static void test_no_allocation(void **state) {
  builtin_fixture *fx = *state;
  const cdg_pack *p = fx->pack;
  const logic_expr *c[64];
  int want[64], fast[64], slow[64];
  size_t n = S_conds(p, c, NULL, 64, NULL), i, k, fired = 0;
  logic_frame *f;
  cdg_answers *a;
  cdg_error err;

  assert_true(n >= 10);
  assert_true(logic_slots_count(p->slots) > 0);
  f = logic_frame_create(p->slots);
  assert_non_null(f);
  for (k = 0; k < sizeof S_answers / sizeof S_answers[0]; k++) {
    if (cdg_answers_parse(p, S_answers[k], strlen(S_answers[k]), "a.json",
                          &a, &err) != CDG_OK)
      fail_msg("answers %zu: %s", k, err.message);
    for (i = 0; i < n; i++)
      want[i] = logic_test(c[i], answers_data(a));
    failalloc_start(0);
    logic_frame_set_fast(f, 1);
    assert_int_equal(logic_frame_fill(f, answers_data(a)), CDG_OK);
    for (i = 0; i < n; i++)
      fast[i] = logic_test_frame(c[i], f);
    logic_frame_set_fast(f, 0);
    assert_int_equal(logic_frame_fill(f, answers_data(a)), CDG_OK);
    for (i = 0; i < n; i++)
      slow[i] = logic_test_frame(c[i], f);
    failalloc_stop();
    if (failalloc_count() != 0)
      fail_msg("answers %zu: filling and %zu conditions allocated %ld "
               "times",
               k, n, failalloc_count());
    for (i = 0; i < n; i++) {
      assert_true(want[i] == 0 || want[i] == 1);
      if (fast[i] != want[i] || slow[i] != want[i])
        fail_msg("answers %zu, condition %zu: logic_test %d, typed %d, "
                 "frame general %d",
                 k, i, want[i], fast[i], slow[i]);
      fired += (size_t)want[i];
    }
    cdg_answers_free(a);
  }
  /* the answer sets tell the conditions apart: not all true, not all
  ** false */
  assert_true(fired > 0 && fired < n * k);
  logic_frame_free(f);
}

/* The values the pack's rules are written for, by hand: the frame must
** give them (not only agree with the general path). */
static void test_known_results(void **state) {
  builtin_fixture *fx = *state;
  const cdg_pack *p = fx->pack;
  logic_frame *f = logic_frame_create(p->slots);
  cJSON *d = cJSON_Parse(S_answers[2]);
  size_t i;
  int seen = 0;

  assert_non_null(f);
  assert_non_null(d);
  assert_int_equal(logic_frame_fill(f, d), CDG_OK);
  for (i = 0; i < p->nrules; i++) {
    const char *id = p->rules[i].id;
    int t = logic_test_frame(p->rules[i].cond, f);
    if (strcmp(id, "child") == 0 ||
        strcmp(id, "treatment-not-helped-or-stopped") == 0 ||
        strcmp(id, "stopped-side-effects") == 0) {
      assert_int_equal(t, strcmp(id, "child") != 0);
      seen++;
    }
  }
  assert_int_equal(seen, 3);
  for (i = 0; i < p->nquestions; i++)
    if (p->questions[i].enable)
      assert_int_equal(logic_test_frame(p->questions[i].enable, f),
                       strcmp(p->questions[i].id, "outcome_spasm_drugs") == 0);
  cJSON_Delete(d);
  logic_frame_free(f);
}

/* Compiling into the slots after a fill: the frame no longer matches
** them, and the new rule is evaluated (correctly) by the general path. */
static void test_stale_frame(void **state) {
  logic_slots *s = logic_slots_create();
  logic_frame *f;
  logic_expr *e1, *e2;
  cJSON *r1 = cJSON_Parse("{\"==\": [{\"var\": \"a\"}, \"x\"]}");
  cJSON *r2 = cJSON_Parse("{\"==\": [{\"var\": \"a\"}, \"y\"]}");
  cJSON *d = cJSON_Parse("{\"a\": \"y\"}");
  cdg_error err;

  (void)state;
  assert_non_null(s);
  assert_int_equal(logic_compile_in(r1, s, 0, &e1, &err), CDG_OK);
  f = logic_frame_create(s);
  assert_non_null(f);
  assert_int_equal(logic_frame_fill(f, d), CDG_OK);
  assert_int_equal(logic_test_frame(e1, f), 0);
  /* "y" becomes a code of a after d was typed, when no code equalled it */
  assert_int_equal(logic_compile_in(r2, s, 0, &e2, &err), CDG_OK);
  assert_int_equal(logic_test_frame(e2, f), 1);
  assert_int_equal(logic_test_frame(e1, f), 0);
  assert_int_equal(logic_frame_fill(f, d), CDG_OK);
  assert_int_equal(logic_test_frame(e2, f), 1);
  /* a rule compiled without slots, on the frame: the general path */
  logic_free(e2);
  assert_int_equal(logic_compile(r2, &e2, &err), CDG_OK);
  assert_int_equal(logic_test_frame(e2, f), 1);
  logic_free(e1);
  logic_free(e2);
  logic_frame_free(f);
  logic_slots_free(s);
  cJSON_Delete(r1);
  cJSON_Delete(r2);
  cJSON_Delete(d);
}

/* rule on data through a frame of its own slots, typed path on and off:
** both fail with message. */
static void S_frame_fails(const char *rule, const char *data,
                          const char *message) {
  logic_slots *s = logic_slots_create();
  cJSON *r = cJSON_Parse(rule), *d = cJSON_Parse(data), *res;
  logic_expr *e;
  logic_frame *f;
  cdg_error err;
  int fast;

  assert_non_null(s);
  assert_non_null(r);
  assert_non_null(d);
  assert_int_equal(logic_compile_in(r, s, 0, &e, &err), CDG_OK);
  assert_true(logic_slots_count(s) > 0);
  f = logic_frame_create(s);
  assert_non_null(f);
  assert_int_equal(logic_frame_fill(f, d), CDG_OK);
  for (fast = 1; fast >= 0; fast--) {
    logic_frame_set_fast(f, fast);
    assert_int_equal(logic_eval_frame(e, f, &res, &err), CDG_ERR_LOGIC);
    assert_null(res);
    assert_string_equal(err.message, message);
    assert_int_equal(logic_test_frame(e, f), LOGIC_FAIL);
  }
  logic_frame_free(f);
  logic_free(e);
  logic_slots_free(s);
  cJSON_Delete(r);
  cJSON_Delete(d);
}

/* The limits of the general evaluator hold through a frame: steps and
** memory when evaluating, depth when compiling into slots. */
static void test_limits(void **state) {
  static char rule[16384], data[2048];
  char items[1024];
  size_t n = 0;
  int i;
  logic_slots *s = logic_slots_create();
  logic_expr *e = NULL;
  cdg_error err;
  cJSON *r;

  (void)state;
  for (i = 0; i < 100; i++)
    n += (size_t)snprintf(items + n, sizeof items - n, "%s%d", i ? "," : "",
                          i);
  /* the outer array from a slot: 100^4 evaluations of the innermost */
  snprintf(rule, sizeof rule,
           "{\"some\":[{\"var\":\"a\"},{\"some\":[[%s],{\"some\":[[%s],"
           "{\"some\":[[%s],false]}]}]}]}",
           items, items, items);
  snprintf(data, sizeof data, "{\"a\":[%s]}", items);
  S_frame_fails(rule, data, "evaluation takes more than 10000000 steps");
  /* the same with a compiled (typed) body innermost: 100^4 items of a
  ** reduce whose body runs as doubles still counts its steps (its
  ** product, 0, keeps every some going) */
  snprintf(rule, sizeof rule,
           "{\"some\":[{\"var\":\"a\"},{\"some\":[[%s],{\"some\":[[%s],"
           "{\"reduce\":[[%s],{\"*\":[{\"var\":\"current\"},"
           "{\"var\":\"accumulator\"}]},0]}]}]}]}",
           items, items, items);
  S_frame_fails(rule, data, "evaluation takes more than 10000000 steps");
  S_frame_fails("{\"reduce\":[{\"var\":\"a\"},{\"merge\":[{\"var\":"
                "\"accumulator\"},{\"var\":\"accumulator\"}]},[1]]}",
                "{\"a\":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,"
                "21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40]}",
                "evaluation needs more than 16777216 bytes");
  /* 101 levels of ! around a slot */
  n = 0;
  for (i = 0; i < 101; i++)
    n += (size_t)snprintf(rule + n, sizeof rule - n, "{\"!\":");
  n += (size_t)snprintf(rule + n, sizeof rule - n, "{\"var\":\"a\"}");
  for (i = 0; i < 101; i++)
    n += (size_t)snprintf(rule + n, sizeof rule - n, "}");
  r = cJSON_Parse(rule);
  assert_non_null(s);
  assert_non_null(r);
  assert_int_equal(logic_compile_in(r, s, 0, &e, &err), CDG_ERR_LOGIC);
  assert_null(e);
  assert_string_equal(err.message, "expression nested deeper than 100 levels");
  cJSON_Delete(r);
  logic_slots_free(s);
}

/* logic_test_frame of rule (JSON text) on data d (taken, and deleted)
** with the typed path on (fast) or off. */
static int S_frame_test(const char *rule, cJSON *d, int fast) {
  logic_slots *s = logic_slots_create();
  cJSON *r = cJSON_Parse(rule);
  logic_expr *e;
  logic_frame *f;
  cdg_error err;
  int t;

  assert_non_null(s);
  assert_non_null(r);
  assert_non_null(d);
  assert_int_equal(logic_compile_in(r, s, 0, &e, &err), CDG_OK);
  f = logic_frame_create(s);
  assert_non_null(f);
  assert_int_equal(logic_frame_fill(f, d), CDG_OK);
  logic_frame_set_fast(f, fast);
  t = logic_test_frame(e, f);
  logic_frame_free(f);
  logic_free(e);
  logic_slots_free(s);
  cJSON_Delete(r);
  cJSON_Delete(d);
  return t;
}

/* S_frame_test on data of a number array "a" of na items and an array
** "p" of np nulls. */
static int S_steps_run(const char *rule, int na, int np, int fast) {
  cJSON *d = cJSON_CreateObject(), *a, *p;
  int i;

  assert_non_null(d);
  a = cJSON_AddArrayToObject(d, "a");
  p = cJSON_AddArrayToObject(d, "p");
  assert_non_null(a);
  assert_non_null(p);
  for (i = 0; i < na; i++)
    assert_true(cJSON_AddItemToArray(a, cJSON_CreateNumber(i)));
  for (i = 0; i < np; i++)
    assert_true(cJSON_AddItemToArray(p, cJSON_CreateNull()));
  return S_frame_test(rule, d, fast);
}

/* Typed bodies run as programs (logic_iter.c) count exactly the general
** evaluator's steps, per item and per call: each rule below takes
** 5 + |p| + |a| * per steps (or 1; some over p 2 + |p|, its literal body
** counting only the item's step; some over a 2), so that with |p| = ok it
** takes the limit's S_LIMIT steps (allowed) and with one more padding
** item it is refused, on both paths. */
#define S_LIMIT 1000000UL
static void test_step_counts(void **state) {
  static char rule[16384];
  /* the body over each item of a, and its steps: the item 1, the inner
  ** iteration 1, its constant array 1, each of its 1000 items 1 + 3 (==,
  ** % and var, or +, current and accumulator; literals count none); !
  ** 1 more (a true value would stop the outer some). map and filter would
  ** need more memory than an evaluation may take. */
  static const struct {
    const char *body;
    int per;
  } cases[] = {
      {"{\"some\":[[%s],{\"==\":[{\"%%\":[{\"var\":\"\"},7]},99]}]}", 4003},
      {"{\"!\":{\"none\":[[%s],{\"==\":[{\"%%\":[{\"var\":\"\"},7]},"
       "99]}]}}", 4004},
      {"{\"!\":{\"all\":[[%s],{\"!=\":[{\"%%\":[{\"var\":\"\"},7]},"
       "99]}]}}", 4004},
      {"{\"!\":{\"reduce\":[[%s],{\"+\":[{\"var\":\"current\"},"
       "{\"var\":\"accumulator\"}]},0]}}", 4004},
      /* bodies over strings (S_pair): in, its constant array 1 more */
      {"{\"some\":[[%s],{\"in\":[{\"var\":\"\"},[\"x\"]]}]}", 4003},
      {"{\"some\":[[%s],{\"==\":[{\"var\":\"\"},\"x\"]}]}", 3003},
      {"{\"!\":{\"all\":[[%s],{\"!==\":[\"x\",{\"var\":\"\"}]}]}}",
       3004},
  };
  char inner[8192], items[6000];
  size_t n = 0, k;
  int i, fast, np, ok, na = 249;

  (void)state;
  /* A limit of a million, not ten: the same exactness at a tenth of the
  ** cost (valgrind runs this test too). */
  logic_set_step_limit(S_LIMIT);
  for (i = 0; i < 1000; i++)
    n += (size_t)snprintf(items + n, sizeof items - n, "%s%d", i ? "," : "",
                          i);
  for (k = 0; k < sizeof cases / sizeof *cases; k++) {
    snprintf(inner, sizeof inner, cases[k].body, items);
    snprintf(rule, sizeof rule,
             "{\"or\":[{\"some\":[{\"var\":\"p\"},false]},"
             "{\"some\":[{\"var\":\"a\"},%s]}]}", inner);
    ok = (int)(S_LIMIT - 5 - (unsigned long)na * (unsigned long)cases[k].per);
    assert_true(ok > 0);
    for (np = ok; np <= ok + 1; np++)
      for (fast = 1; fast >= 0; fast--) {
        if (np == ok)
          assert_int_not_equal(S_steps_run(rule, na, np, fast), LOGIC_FAIL);
        else
          assert_int_equal(S_steps_run(rule, na, np, fast), LOGIC_FAIL);
      }
  }
  logic_set_step_limit(0);
}

/* {"a": [0, 1, ..., na - 1], "g": [[0, 1, 2], ...ng of them]}. */
static cJSON *S_steps_data(int na, int ng) {
  static const double row[] = {0, 1, 2};
  cJSON *d = cJSON_CreateObject(), *a, *g;
  int i;

  assert_non_null(d);
  assert_non_null(a = cJSON_AddArrayToObject(d, "a"));
  assert_non_null(g = cJSON_AddArrayToObject(d, "g"));
  for (i = 0; i < na; i++)
    assert_true(cJSON_AddItemToArray(a, cJSON_CreateNumber(i)));
  for (i = 0; i < ng; i++)
    assert_true(cJSON_AddItemToArray(g, cJSON_CreateDoubleArray(row, 3)));
  assert_non_null(cJSON_AddNumberToObject(d, "n", 4));
  return d;
}

/* The typed path adds up the steps of the kids it decides (arithmetic,
** iterations over the frame's doubles or the data's numbers, and the
** operators joining them): where the general evaluator would pass the
** limit over two of them, each within it alone, the typed path must not
** decide either. For each rule, the least limit the general evaluator
** takes it under is found, and both paths must fail one below it and
** agree on it. */
static void test_step_sums(void **state) {
  static const struct {
    const char *rule;
    int na, ng;
  } cases[] = {
      {"{\"and\":[{\"none\":[{\"var\":\"a\"},{\"==\":[{\"var\":\"\"},-1]}]},"
       "{\"none\":[{\"var\":\"a\"},{\">\":[{\"var\":\"\"},999]}]}]}", 40, 0},
      /* longer than the frame keeps: read from the data */
      {"{\"or\":[{\"some\":[{\"var\":\"a\"},{\"<\":[{\"var\":\"\"},-1]}]},"
       "{\"all\":[{\"var\":\"a\"},{\">=\":[{\"%\":[{\"var\":\"\"},3]},0]}]}]}",
       200, 0},
      /* filter runs every item (its truth is known at the first kept) */
      {"{\"filter\":[{\"var\":\"a\"},{\"<\":[{\"var\":\"\"},1]}]}", 200, 0},
      {"{\"and\":[{\"reduce\":[{\"var\":\"a\"},{\"+\":[{\"var\":\"current\"},"
       "{\"var\":\"accumulator\"}]},1]},{\"!\":{\"filter\":[{\"var\":\"a\"},"
       "{\"==\":[{\"var\":\"\"},-5]}]}},"
       "{\"<\":[{\"+\":[{\"var\":\"a.0\"},1,2]},9]}]}",
       60, 0},
      /* bodies of and/or (no program: the tree) */
      {"{\"and\":[{\"none\":[{\"var\":\"a\"},{\"and\":[{\">\":[{\"var\":\"\"},"
       "100]},{\"<\":[{\"var\":\"\"},200]}]}]},{\"all\":[{\"var\":\"a\"},"
       "{\"or\":[{\">=\":[{\"var\":\"\"},0]},"
       "{\"==\":[{\"var\":\"\"},-1]}]}]}]}",
       45, 0},
      /* an iteration over each item, an array */
      {"{\"none\":[{\"var\":\"g\"},{\"some\":[{\"var\":\"\"},"
       "{\">\":[{\"var\":\"\"},5]}]}]}", 0, 30},
      /* pairs: in of the item in a constant array (of numbers: a set of
      ** strings is F_NONE_OF's) */
      {"{\"and\":[{\"none\":[{\"var\":\"a\"},"
       "{\"in\":[{\"var\":\"\"},[-1,-2]]}]},"
       "{\"none\":[{\"var\":\"a\"},{\"in\":[{\"var\":\"\"},[-3,-4]]}]}]}",
       50, 0},
      /* the branch that typed conditions chose, run alone by the general
      ** evaluator after their steps (cat is not typed) */
      {"{\"if\":[{\"none\":[{\"var\":\"a\"},{\"==\":[{\"var\":\"\"},-1]}]},"
       "{\"cat\":[\"x\",{\"var\":\"a.0\"}]},\"\"]}",
       40, 0},
      {"{\"if\":[{\"some\":[{\"var\":\"a\"},{\"<\":[{\"var\":\"\"},-1]}]},"
       "\"\",{\"if\":[{\"all\":[{\"var\":\"a\"},{\">=\":[{\"var\":\"\"},0]}]},"
       "{\"map\":[{\"var\":\"a\"},{\"cat\":[{\"var\":\"\"}]}]}]}]}",
       30, 0},
      /* an expression of three operators or more: its program's steps */
      {"{\"and\":[{\"none\":[{\"var\":\"a\"},{\"==\":[{\"var\":\"\"},-1]}]},"
       "{\"<\":[{\"+\":[{\"*\":[{\"var\":\"n\"},2]},{\"-\":[{\"var\":\"n\"},1]}]},"
       "999]}]}",
       40, 0},
  };
  unsigned long lim;
  size_t k;
  const char *rule;
  int g, t, na, ng;

  (void)state;
  for (k = 0; k < sizeof cases / sizeof *cases; k++) {
    rule = cases[k].rule;
    na = cases[k].na;
    ng = cases[k].ng;
    for (lim = 10; lim < 5000; lim++) {
      logic_set_step_limit(lim);
      if (S_frame_test(rule, S_steps_data(na, ng), 0) != LOGIC_FAIL)
        break;
    }
    assert_true(lim < 5000 && lim > 20);
    g = S_frame_test(rule, S_steps_data(na, ng), 0);
    t = S_frame_test(rule, S_steps_data(na, ng), 1);
    assert_int_equal(t, g);
    assert_int_equal(g, 1);
    logic_set_step_limit(lim - 1);
    assert_int_equal(S_frame_test(rule, S_steps_data(na, ng), 1), LOGIC_FAIL);
  }
  logic_set_step_limit(0);
}

/* The truth of rule (JSON text) on data, through frame f (NULL: logic_test
** on the tree), as an int; the rule was compiled into e. */
static int S_truth(const logic_expr *e, const logic_frame *f,
                   const cJSON *data) {
  return f ? logic_test_frame(e, f) : logic_test(e, data);
}

/* No slots table: a frame of nothing, on which every rule goes the
** general way. */
static void test_frame_without_slots(void **state) {
  cJSON *r = cJSON_Parse("{\"==\":[{\"var\":\"a\"},\"x\"]}");
  cJSON *d = cJSON_Parse("{\"a\":\"x\"}");
  logic_frame *f = logic_frame_create(NULL);
  logic_expr *e;
  cdg_error err;

  (void)state;
  assert_int_equal(logic_slots_count(NULL), 0);
  assert_non_null(f);
  assert_int_equal(logic_compile_in(r, NULL, 0, &e, &err), CDG_OK);
  assert_int_equal(logic_frame_fill(f, d), CDG_OK);
  assert_int_equal(logic_test_frame(e, f), 1);
  logic_frame_put(f, "a", cJSON_GetObjectItem(d, "a")); /* ignored */
  assert_int_equal(logic_test_frame(e, f), 1);
  logic_free(e);
  logic_frame_free(f);
  cJSON_Delete(r);
  cJSON_Delete(d);
}

/* A frame made before more rules were compiled into its slots grows when
** filled; when it cannot, the fill says so and the rules are still
** evaluated rightly, by the general path. */
static void test_frame_grows(void **state) {
  logic_slots *s = logic_slots_create();
  cJSON *r1 = cJSON_Parse("{\"==\":[{\"var\":\"a\"},\"x\"]}");
  cJSON *r2 = cJSON_Parse("{\"in\":[\"y\",{\"var\":\"b\"}]}");
  cJSON *d = cJSON_Parse("{\"a\":\"x\",\"b\":[\"z\",\"y\"]}");
  logic_expr *e1, *e2;
  logic_frame *f, *g;
  cdg_error err;

  (void)state;
  assert_int_equal(logic_compile_in(r1, s, 0, &e1, &err), CDG_OK);
  f = logic_frame_create(s);
  g = logic_frame_create(s);
  assert_non_null(f);
  assert_non_null(g);
  assert_int_equal(logic_compile_in(r2, s, 0, &e2, &err), CDG_OK);
  assert_int_equal(logic_slots_count(s), 2);
  assert_int_equal(logic_frame_fill(f, d), CDG_OK);
  assert_int_equal(logic_test_frame(e1, f), 1);
  assert_int_equal(logic_test_frame(e2, f), 1);
  failalloc_start(1);
  assert_int_equal(logic_frame_fill(g, d), CDG_ERR_NOMEM);
  failalloc_stop();
  assert_int_equal(logic_test_frame(e1, g), 1);
  assert_int_equal(logic_test_frame(e2, g), 1);
  assert_int_equal(logic_frame_fill(g, d), CDG_OK);
  assert_int_equal(logic_test_frame(e2, g), 1);
  logic_free(e1);
  logic_free(e2);
  logic_frame_free(f);
  logic_frame_free(g);
  logic_slots_free(s);
  cJSON_Delete(r1);
  cJSON_Delete(r2);
  cJSON_Delete(d);
}

/* The fill's cache of keys by place: a key that named no slot names one
** once a rule reads it (the table's gen), and a key renamed in place (the
** same address, other bytes) is looked up again, named by a slot or not. */
static void test_key_cache(void **state) {
  logic_slots *s = logic_slots_create();
  cJSON *ra = cJSON_Parse("{\"==\":[{\"var\":\"a\"},\"x\"]}");
  cJSON *rz = cJSON_Parse("{\"==\":[{\"var\":\"zz\"},\"x\"]}");
  cJSON *rq = cJSON_Parse("{\"==\":[{\"var\":\"qq\"},\"x\"]}");
  cJSON *d = cJSON_Parse("{\"zz\":\"x\",\"a\":\"x\",\"pp\":\"x\"}");
  logic_expr *ea, *ez, *eq;
  logic_frame *f;
  cdg_error err;

  (void)state;
  assert_int_equal(logic_compile_in(ra, s, 0, &ea, &err), CDG_OK);
  assert_non_null(f = logic_frame_create(s));
  assert_int_equal(logic_frame_fill(f, d), CDG_OK);
  assert_int_equal(logic_test_frame(ea, f), 1);
  assert_int_equal(logic_frame_fill(f, d), CDG_OK); /* zz, pp: no slot */
  assert_int_equal(logic_compile_in(rz, s, 0, &ez, &err), CDG_OK);
  assert_int_equal(logic_compile_in(rq, s, 0, &eq, &err), CDG_OK);
  assert_int_equal(logic_frame_fill(f, d), CDG_OK);
  assert_int_equal(logic_test_frame(ez, f), 1);
  assert_int_equal(logic_test_frame(eq, f), 0);
  memcpy(d->child->next->next->string, "qq", 2); /* pp -> qq */
  memcpy(d->child->next->string, "b", 1);        /* a -> b */
  assert_int_equal(logic_frame_fill(f, d), CDG_OK);
  assert_int_equal(logic_test_frame(eq, f), 1);
  assert_int_equal(logic_test_frame(ea, f), 0);
  memcpy(d->child->next->next->string, "pp", 2); /* and back */
  assert_int_equal(logic_frame_fill(f, d), CDG_OK);
  assert_int_equal(logic_test_frame(eq, f), 0);
  assert_int_equal(logic_test_frame(ez, f), 1);
  logic_free(ea);
  logic_free(ez);
  logic_free(eq);
  logic_frame_free(f);
  logic_slots_free(s);
  cJSON_Delete(ra);
  cJSON_Delete(rz);
  cJSON_Delete(rq);
  cJSON_Delete(d);
}

/* logic_frame_put types one member added after the fill, as the fill
** would; before any fill, or once the slots changed, it is ignored and
** the general path reads the data itself. */
static void test_frame_put(void **state) {
  logic_slots *s = logic_slots_create();
  cJSON *r = cJSON_Parse("{\"==\":[{\"var\":\"a\"},\"x\"]}");
  cJSON *r2 = cJSON_Parse("{\"==\":[{\"var\":\"c\"},\"x\"]}");
  cJSON *d = cJSON_CreateObject();
  logic_expr *e, *e2;
  logic_frame *f;
  cdg_error err;

  (void)state;
  assert_int_equal(logic_compile_in(r, s, 0, &e, &err), CDG_OK);
  f = logic_frame_create(s);
  assert_non_null(f);
  logic_frame_put(f, "a", r); /* no fill yet: ignored */
  assert_int_equal(logic_frame_fill(f, d), CDG_OK);
  assert_int_equal(logic_test_frame(e, f), 0);
  cJSON_AddStringToObject(d, "a", "x");
  logic_frame_put(f, "a", cJSON_GetObjectItem(d, "a"));
  logic_frame_put(f, "zz", cJSON_GetObjectItem(d, "a")); /* no such slot */
  assert_int_equal(logic_test_frame(e, f), 1);
  /* a second member of the same key: var reads the first */
  cJSON_AddStringToObject(d, "a", "y");
  logic_frame_put(f, "a", d->child->next);
  assert_int_equal(logic_test_frame(e, f), 1);
  assert_int_equal(logic_test(e, d), 1);
  assert_int_equal(logic_frame_fill(f, d), CDG_OK);
  assert_int_equal(logic_test_frame(e, f), 1);
  /* the slots change: the frame is stale, a put no longer types */
  assert_int_equal(logic_compile_in(r2, s, 0, &e2, &err), CDG_OK);
  cJSON_AddStringToObject(d, "c", "x");
  logic_frame_put(f, "c", cJSON_GetObjectItem(d, "c"));
  assert_int_equal(logic_test_frame(e2, f), 1);
  logic_free(e);
  logic_free(e2);
  logic_frame_free(f);
  logic_slots_free(s);
  cJSON_Delete(r);
  cJSON_Delete(r2);
  cJSON_Delete(d);
}

/* Aliases: a data object keyed by the very strings given to
** logic_slots_alias is typed by address; more names than the first
** table holds make it grow; a name given twice, or no rule's, is a no-op. */
static void test_slots_alias(void **state) {
  static char names[20][8];
  char rule[2048];
  size_t n = 0, i;
  logic_slots *s = logic_slots_create();
  logic_expr *e;
  logic_frame *f;
  cJSON *r, *d = cJSON_CreateObject();
  cdg_error err;

  (void)state;
  n += (size_t)snprintf(rule + n, sizeof rule - n, "{\"and\":[");
  for (i = 0; i < 20; i++) {
    snprintf(names[i], sizeof names[i], "q%zu", i);
    n += (size_t)snprintf(rule + n, sizeof rule - n,
                          "%s{\"==\":[{\"var\":\"q%zu\"},\"v%zu\"]}",
                          i ? "," : "", i, i);
  }
  snprintf(rule + n, sizeof rule - n, "]}");
  r = cJSON_Parse(rule);
  assert_non_null(r);
  assert_int_equal(logic_compile_in(r, s, 0, &e, &err), CDG_OK);
  for (i = 0; i < 20; i++)
    assert_int_equal(logic_slots_alias(s, names[i]), 0);
  assert_int_equal(logic_slots_alias(s, names[3]), 0);
  assert_int_equal(logic_slots_alias(s, "nobody"), 0);
  logic_slots_trim(s);
  for (i = 0; i < 20; i++) {
    char v[8];

    snprintf(v, sizeof v, "v%zu", i);
    cJSON_AddItemToObjectCS(d, names[i], cJSON_CreateString(v));
  }
  f = logic_frame_create(s);
  assert_non_null(f);
  assert_int_equal(logic_frame_fill(f, d), CDG_OK);
  assert_int_equal(logic_test_frame(e, f), 1);
  cJSON_ReplaceItemInObjectCaseSensitive(d, "q19", cJSON_CreateString("v0"));
  assert_int_equal(logic_frame_fill(f, d), CDG_OK);
  assert_int_equal(logic_test_frame(e, f), 0);
  assert_int_equal(logic_test(e, d), 0);
  logic_free(e);
  logic_frame_free(f);
  logic_slots_free(s);
  cJSON_Delete(r);
  cJSON_Delete(d);
}

/* Every allocation of compiling into slots, and of trimming them, fails
** in turn: the compile fails with CDG_ERR_NOMEM, or the rule is left
** (partly) untyped, or without the programs of its typed iteration bodies
** (filter, reduce), and still gives json-logic-js's results; nothing
** leaks. */
static void test_slots_alloc_failures(void **state) {
  static const char *const rule =
      "{\"and\":[{\"==\":[{\"var\":\"a\"},\"x\"]},{\"in\":[\"y\",{\"var\":"
      "\"m\"}]},{\"==\":[{\"var\":\"a.b\"},null]},{\"some\":[{\"var\":\"m\"},"
      "{\"==\":[{\"var\":\"\"},\"z\"]}]},{\"!\":{\"missing\":[\"a\",\"m\"]}},"
      "{\"!\":{\"missing_some\":[1,[\"a\",\"q\"]]}},{\"==\":[{\"reduce\":["
      "{\"filter\":[{\"var\":\"n\"},{\">\":[{\"var\":\"\"},2]}]},{\"+\":["
      "{\"var\":\"current\"},{\"var\":\"accumulator\"}]},0]},8]}]}";
  static const char *const data[] = {
      "{\"a\":\"x\",\"m\":[\"y\",\"z\"],\"n\":[1,3,5]}", /* true */
      "{\"a\":\"x\",\"m\":[\"y\"],\"n\":[1,3,5]}", /* false: no z */
  };
  cJSON *r = cJSON_Parse(rule), *d[2];
  long n, ok = 0;
  int borrow, k;

  (void)state;
  d[0] = cJSON_Parse(data[0]);
  d[1] = cJSON_Parse(data[1]);
  for (borrow = 0; borrow < 2; borrow++)
    for (n = 1;; n++) {
      logic_slots *s = NULL;
      logic_expr *e = NULL;
      logic_frame *f = NULL;
      cdg_error err;
      cdg_status st = CDG_ERR_NOMEM;

      int failed;

      /* installed until all is freed, so that its count of live blocks
      ** sees every free; only the n-th allocation fails, so once it has,
      ** the evaluation below allocates freely */
      failalloc_start(n);
      if ((s = logic_slots_create()) != NULL)
        st = logic_compile_in(r, s, borrow, &e, &err);
      if (st == CDG_OK)
        logic_slots_trim(s);
      if (!(failed = failalloc_count() >= n))
        failalloc_stop(); /* every allocation done: the plain run */
      if (st == CDG_OK) {
        ok++;
        f = logic_frame_create(s);
        assert_non_null(f);
        for (k = 0; k < 2; k++) {
          assert_int_equal(logic_frame_fill(f, d[k]), CDG_OK);
          assert_int_equal(S_truth(e, f, d[k]), k == 0);
          assert_int_equal(S_truth(e, NULL, d[k]), k == 0);
        }
      } else {
        assert_int_equal(st, CDG_ERR_NOMEM);
      }
      logic_frame_free(f);
      logic_free(e);
      logic_slots_free(s);
      if (!failed)
        break;
      assert_int_equal(failalloc_live(), 0);
      failalloc_stop();
    }
  assert_true(ok >= 2);
  cJSON_Delete(r);
  cJSON_Delete(d[0]);
  cJSON_Delete(d[1]);
}

/* Bytes of the compiled form against the rules' compact JSON text: at
** most twice (issue 15). The figure is printed. */
static void test_size(void **state) {
  builtin_fixture *fx = *state;
  const logic_expr *c[64];
  const cJSON *j[64];
  json_store *s = json_store_create();
  size_t n = S_conds(fx->pack, c, j, 64, s), i, bytes = 0, text = 0;
  char *t;

  for (i = 0; i < n; i++) {
    t = cJSON_PrintUnformatted(j[i]);
    assert_non_null(t);
    text += strlen(t);
    bytes += logic_size(c[i]);
    cJSON_free(t);
  }
  print_message("compiled %zu conditions: %zu bytes for %zu bytes of JSON "
                "(%.2fx)\n",
                n, bytes, text, (double)bytes / (double)text);
  json_store_free(s);
  assert_true(bytes > 0);
  assert_true(bytes <= 2 * text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_no_allocation),
      cmocka_unit_test(test_known_results),
      cmocka_unit_test(test_stale_frame),
      cmocka_unit_test(test_limits),
      cmocka_unit_test(test_step_counts),
      cmocka_unit_test(test_step_sums),
      cmocka_unit_test(test_size),
      cmocka_unit_test(test_frame_without_slots),
      cmocka_unit_test(test_frame_grows),
      cmocka_unit_test(test_key_cache),
      cmocka_unit_test(test_frame_put),
      cmocka_unit_test(test_slots_alias),
      cmocka_unit_test(test_slots_alloc_failures),
  };

  return cmocka_run_group_tests(tests, pack1_setup, builtin_teardown);
}
