/*
** test_outcome.c: rules of the fixture pack evaluated against the real
** built-in passages. Cited passages come out in source order whatever the
** order of the cite lists, each with its citing rules in pack order.
**
** Source order of the passages used (from the shared passage list):
** cd-what-it-is, cd-onset, cd-muscle-groups, cd-postures, cd-children,
** standard-treatment, spd-alternative, spd-what-it-is, your-responsibility,
** adverse-events-yellow-card.
*/
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdg_rules.h"
#include "fixture.h"

typedef struct S_env {
  cdg_pack *pack;
  cdg_passages *ps;
} S_env;

static int S_setup(void **state) {
  static S_env env;
  cdg_error err;

  if (cdg_pack_load_dir(CDG_SOURCE_DIR "/tests/fixtures/mini", &env.pack,
                        &err) != CDG_OK ||
      cdg_passages_builtin(&env.ps, &err) != CDG_OK)
    return -1;
  *state = &env;
  return 0;
}

static int S_teardown(void **state) {
  S_env *env = *state;

  cdg_pack_free(env->pack);
  cdg_passages_free(env->ps);
  return 0;
}

/* Evaluate answers json; want lists "passage:rule,rule" entries. */
static void S_expect(const S_env *env, const char *json,
                     const char *const *want, size_t nwant) {
  cdg_answers *a = NULL;
  cdg_outcome *o = NULL;
  cdg_error err;
  char got[256];
  size_t i, j, n;

  assert_int_equal(cdg_answers_parse(env->pack, json, strlen(json), "a.json",
                                     &a, &err),
                   CDG_OK);
  assert_int_equal(cdg_outcome_eval(env->pack, a, env->ps, &o, &err),
                   CDG_OK);
  if (cdg_outcome_count(o) != nwant)
    fail_msg("%s: %zu passages cited, want %zu", json, cdg_outcome_count(o),
             nwant);
  for (i = 0; i < nwant; i++) {
    n = (size_t)snprintf(got, sizeof got, "%s:", cdg_outcome_passage(o, i));
    for (j = 0; j < cdg_outcome_cited_by_count(o, i); j++)
      n += (size_t)snprintf(got + n, sizeof got - n, "%s%s", j ? "," : "",
                            cdg_outcome_cited_by(o, i, j));
    if (strcmp(got, want[i]) != 0)
      fail_msg("%s: passage %zu is %s, want %s", json, i, got, want[i]);
  }
  cdg_outcome_free(o);
  cdg_answers_free(a);
}

static void test_source_order(void **state) {
  static const char *const want[] = {
      "cd-what-it-is:always,what_again",
      "cd-muscle-groups:any_posture",
      "cd-postures:any_posture",
      "standard-treatment:always",
      "spd-alternative:toxin_failed,side_effects",
      "spd-what-it-is:toxin_failed",
      "your-responsibility:always",
      "adverse-events-yellow-card:side_effects",
  };

  S_expect(*state,
           "{\"posture\":[\"torticollis\"],\"age_group\":\"adult\","
           "\"tried\":[\"toxin\"],\"outcome_toxin\":\"stopped_side_effects\"}",
           want, sizeof want / sizeof *want);
}

static void test_child_nothing_failed(void **state) {
  static const char *const want[] = {
      "cd-what-it-is:always,what_again",
      "cd-onset:child",
      "cd-children:child",
      "standard-treatment:always",
      "your-responsibility:always",
  };

  S_expect(*state,
           "{\"age_group\":\"child\",\"tried\":[\"toxin\"],"
           "\"outcome_toxin\":\"helped\"}",
           want, sizeof want / sizeof *want);
}

static void test_fired_and_cites(void **state) {
  const S_env *env = *state;
  cdg_answers *a = NULL;
  cdg_outcome *o = NULL;
  cdg_error err;

  /* No answers at all: only the unconditional rules fire. */
  assert_int_equal(cdg_answers_new(env->pack, &a), CDG_OK);
  assert_int_equal(cdg_outcome_eval(env->pack, a, env->ps, &o, &err),
                   CDG_OK);
  assert_true(cdg_outcome_fired(o, 0));
  assert_false(cdg_outcome_fired(o, 1));
  assert_false(cdg_outcome_fired(o, 2));
  assert_false(cdg_outcome_fired(o, 3));
  assert_false(cdg_outcome_fired(o, 4));
  assert_true(cdg_outcome_fired(o, 5));
  assert_false(cdg_outcome_fired(o, 6));
  assert_int_equal(cdg_outcome_count(o), 3);
  assert_true(cdg_outcome_cites(o, "standard-treatment"));
  assert_false(cdg_outcome_cites(o, "cd-postures"));
  assert_false(cdg_outcome_cites(o, "no-such-passage"));
  assert_null(cdg_outcome_passage(o, 3));
  assert_null(cdg_outcome_cited_by(o, 0, 2));
  cdg_outcome_free(o);
  cdg_outcome_free(NULL);

  /* NULL answers are the same as none. */
  assert_int_equal(cdg_outcome_eval(env->pack, NULL, env->ps, &o, &err),
                   CDG_OK);
  assert_int_equal(cdg_outcome_count(o), 3);
  cdg_outcome_free(o);
  cdg_answers_free(a);
}

/* A pack with no questions and these rules, which start on its line 3. */
#define S_RULES_PACK(rules)                                                    \
  "{\"id\":\"t\",\"version\":\"1\",\"title\":\"T\",\"source\":{"               \
  "\"title\":\"S\",\"publisher\":\"P\",\"sha256\":"                            \
  "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"},\n"   \
  "\"questions\":[],\n"                                                        \
  "\"rules\":[" rules "]}"

/* The pack json (t.json) loads, but evaluating it with no answers fails
** with st and the message want. */
static void S_eval_fails(const S_env *env, const char *json, cdg_status st,
                         const char *want) {
  cdg_pack *pack = NULL;
  cdg_outcome *o = NULL;
  cdg_error err;
  char line[512];

  assert_int_equal(cdg_pack_load(json, strlen(json), "t.json", &pack, &err),
                   CDG_OK);
  assert_int_equal(cdg_outcome_eval(pack, NULL, env->ps, &o, &err), st);
  assert_null(o);
  cdg_error_format(&err, line, sizeof line);
  assert_string_equal(line, want);
  cdg_pack_free(pack);
}

/* A rule citing a passage the store lacks is a pack error, even when the
** rule does not fire. */
static void test_unknown_passage(void **state) {
  S_eval_fails(
      *state,
      S_RULES_PACK("{\"id\":\"r\",\"when\":false,\"cite\":[\"cd-onset\","
                   "\"made-up\"],\"because\":\"B\"}"),
      CDG_ERR_PACK,
      "t.json:3:52: unknown passage id \"made-up\" "
      "(at /rules/0/cite/1)");
}

/* A rule that cannot be evaluated is a JsonLogic error naming the rule,
** not "out of memory". */
static void test_rule_cannot_be_evaluated(void **state) {
  S_eval_fails(*state,
               S_RULES_PACK("{\"id\":\"r\",\"when\":{\"*\":[]},\"cite\":"
                            "[\"cd-onset\"],\"because\":\"B\"}"),
               CDG_ERR_LOGIC,
               "t.json:3:27: rule \"r\" cannot be evaluated on these answers "
               "(at /rules/0/when)");
}

/* ---- Less travelled paths (were test_coverage_rules) ---------------- */

/* Outcomes refuse answers made for another pack. */
static void test_outcome_other_pack(void **state) {
  cdg_pack *p1 = fixture_pack(QP_PACK(QP_Q_A, QP_R_ALWAYS));
  cdg_pack *p2 = fixture_pack(QP_PACK(QP_Q_A, QP_R_ALWAYS));
  cdg_passages *ps = NULL;
  cdg_answers *a = NULL;
  cdg_outcome *o = (cdg_outcome *)1;
  cdg_error err;

  (void)state;
  assert_int_equal(cdg_passages_builtin(&ps, &err), CDG_OK);
  assert_int_equal(cdg_answers_new(p1, &a), CDG_OK);
  assert_int_equal(cdg_outcome_eval(p2, a, ps, &o, &err), CDG_ERR_STATE);
  assert_null(o);
  assert_string_equal(err.message, "the answers belong to another pack");
  assert_int_equal(cdg_outcome_eval(p2, a, ps, &o, NULL), CDG_ERR_STATE);
  assert_int_equal(cdg_outcome_eval(p1, a, ps, &o, &err), CDG_OK);
  assert_int_equal(cdg_outcome_count(o), 1);
  assert_int_equal(cdg_outcome_cited_by_count(o, 0), 1);
  assert_int_equal(cdg_outcome_cited_by_count(o, 1), 0);
  assert_string_equal(cdg_outcome_cited_by(o, 0, 0), "always");
  assert_null(cdg_outcome_cited_by(o, 0, 1));
  assert_null(cdg_outcome_cited_by(o, 1, 0));
  cdg_outcome_free(o);
  cdg_answers_free(a);
  cdg_passages_free(ps);
  cdg_pack_free(p1);
  cdg_pack_free(p2);
}


int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_source_order),
      cmocka_unit_test(test_child_nothing_failed),
      cmocka_unit_test(test_fired_and_cites),
      cmocka_unit_test(test_unknown_passage),
      cmocka_unit_test(test_rule_cannot_be_evaluated),
      cmocka_unit_test(test_outcome_other_pack),
  };

  return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
