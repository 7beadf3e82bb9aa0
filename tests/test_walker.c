/*
** test_walker.c: the walker on the fixture pack, whose enable_when chain
** is tried -> outcome_toxin -> side_effects (pack order: posture,
** age_group, tried, outcome_toxin, side_effects, years; side_effects and
** years are optional).
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
#include "failalloc.h"
#include "fixture.h"

static void S_next_is(cdg_walker *w, const char *want) {
  const cdg_question *q = cdg_walker_next(w);

  if (!want && q)
    fail_msg("next is %s, want none", cdg_question_id(q));
  if (want && !q)
    fail_msg("next is none, want %s", want);
  if (want && strcmp(cdg_question_id(q), want) != 0)
    fail_msg("next is %s, want %s", cdg_question_id(q), want);
}

static void S_codes(cdg_walker *w, const char *qid, const char *c1,
                    const char *c2) {
  const char *codes[] = {c1, c2};
  cdg_error err;
  char line[1024];

  if (cdg_walker_answer_codes(w, qid, codes, c2 ? 2 : 1, &err) != CDG_OK) {
    cdg_error_format(&err, line, sizeof line);
    fail_msg("answering %s: %s", qid, line);
  }
}

static void S_json_is(const cdg_answers *a, const char *want,
                      const char *what) {
  char *json = cdg_answers_to_json(a);

  if (strcmp(json, want) != 0)
    fail_msg("%s: got  %s\nwant %s", what, json, want);
  cdg_free(json);
}

static void S_progress_is(const cdg_walker *w, size_t answered,
                          size_t remaining) {
  size_t a = 99, r = 99;

  cdg_walker_progress(w, &a, &r);
  if (a != answered || r != remaining)
    fail_msg("progress %zu/%zu, want %zu/%zu", a, r, answered, remaining);
}

/* A whole walk down the chain, then back over it. */
static void test_walk_and_back(void **state) {
  const cdg_pack *pack = *state;
  cdg_walker *w = NULL;
  cdg_error err;

  assert_int_equal(cdg_walker_new(pack, &w), CDG_OK);
  S_next_is(w, "posture");
  /* Four enabled now; outcome_toxin may follow tried, side_effects may
  ** follow outcome_toxin. */
  S_progress_is(w, 0, 6);
  assert_false(cdg_walker_complete(w));
  assert_int_equal(cdg_walker_back(w), CDG_ERR_STATE);

  S_codes(w, "posture", "torticollis", "retrocollis");
  S_next_is(w, "age_group");
  S_codes(w, "age_group", "adult", NULL);
  S_next_is(w, "tried");
  S_codes(w, "tried", "toxin", NULL);
  S_next_is(w, "outcome_toxin");
  S_progress_is(w, 3, 3);
  assert_false(cdg_walker_complete(w));
  S_codes(w, "outcome_toxin", "stopped_side_effects", NULL);
  /* side_effects and years are optional: complete, though still asked. */
  assert_true(cdg_walker_complete(w));
  S_next_is(w, "side_effects");
  assert_int_equal(
      cdg_walker_answer_text(w, "side_effects", "Neck weakness", &err),
      CDG_OK);
  assert_true(cdg_walker_complete(w));
  S_next_is(w, "years");
  S_progress_is(w, 5, 1);
  assert_int_equal(cdg_walker_answer_number(w, "years", 4, &err), CDG_OK);
  S_next_is(w, NULL);
  S_progress_is(w, 6, 0);
  S_json_is(cdg_walker_answers(w),
            "{\"posture\":[\"retrocollis\",\"torticollis\"],"
            "\"age_group\":\"adult\",\"tried\":[\"toxin\"],"
            "\"outcome_toxin\":\"stopped_side_effects\","
            "\"side_effects\":\"Neck weakness\",\"years\":4}",
            "after the walk");

  /* back pops the last answer; it stays as the default. */
  assert_int_equal(cdg_walker_back(w), CDG_OK);
  S_next_is(w, "years");
  assert_false(cdg_answers_has(cdg_walker_answers(w), "years"));
  assert_true(cdg_answers_number(cdg_walker_defaults(w), "years") == 4);
  assert_int_equal(cdg_walker_back(w), CDG_OK);
  S_next_is(w, "side_effects");
  assert_string_equal(cdg_answers_text(cdg_walker_defaults(w),
                                       "side_effects"),
                      "Neck weakness");
  assert_int_equal(cdg_walker_back(w), CDG_OK);
  S_next_is(w, "outcome_toxin");
  S_progress_is(w, 3, 3);

  /* A different answer now leaves side_effects disabled. */
  S_codes(w, "outcome_toxin", "helped", NULL);
  assert_false(cdg_walker_skipped(w, "side_effects"));
  S_next_is(w, "years");
  S_progress_is(w, 4, 1);
  assert_true(cdg_walker_complete(w));
  /* The defaults keep everything said. */
  S_json_is(cdg_walker_defaults(w),
            "{\"posture\":[\"retrocollis\",\"torticollis\"],"
            "\"age_group\":\"adult\",\"tried\":[\"toxin\"],"
            "\"outcome_toxin\":\"helped\","
            "\"side_effects\":\"Neck weakness\",\"years\":4}",
            "defaults");

  /* Back to the start, then no further. */
  assert_int_equal(cdg_walker_back(w), CDG_OK);
  assert_int_equal(cdg_walker_back(w), CDG_OK);
  assert_int_equal(cdg_walker_back(w), CDG_OK);
  assert_int_equal(cdg_walker_back(w), CDG_OK);
  S_next_is(w, "posture");
  S_json_is(cdg_walker_answers(w), "{}", "at the start");
  assert_int_equal(cdg_walker_back(w), CDG_ERR_STATE);
  cdg_walker_free(w);
}

/* Changing an earlier answer drops the answers it disables, from the
** effective set and from the history; they come back only as defaults. */
/* Optional questions can be passed over, and come back with back. */
static void test_skip(void **state) {
  const cdg_pack *pack = *state;
  cdg_walker *w = NULL;
  cdg_error err;

  assert_int_equal(cdg_walker_new(pack, &w), CDG_OK);
  /* Required, unknown, and not yet enabled questions cannot be skipped. */
  assert_int_equal(cdg_walker_skip(w, "posture", &err), CDG_ERR_ANSWER);
  assert_string_equal(err.message, "posture: needs an answer");
  assert_int_equal(cdg_walker_skip(w, "nope", &err), CDG_ERR_ANSWER);
  assert_int_equal(cdg_walker_skip(w, "side_effects", &err), CDG_ERR_STATE);
  S_codes(w, "posture", "torticollis", NULL);
  S_codes(w, "age_group", "adult", NULL);
  S_codes(w, "tried", "toxin", NULL);
  S_codes(w, "outcome_toxin", "stopped_side_effects", NULL);
  S_next_is(w, "side_effects");
  S_progress_is(w, 4, 2);

  /* A skip counts as done, not as an answer. */
  assert_false(cdg_walker_skipped(w, "side_effects"));
  assert_int_equal(cdg_walker_skip(w, "side_effects", &err), CDG_OK);
  assert_true(cdg_walker_skipped(w, "side_effects"));
  assert_false(cdg_walker_skipped(w, "years"));
  assert_false(cdg_walker_skipped(w, "nope"));
  S_next_is(w, "years");
  S_progress_is(w, 4, 1);
  assert_true(cdg_walker_complete(w));
  assert_int_equal(cdg_walker_skip(w, "years", &err), CDG_OK);
  S_next_is(w, NULL);
  S_progress_is(w, 4, 0);
  S_json_is(cdg_walker_answers(w),
            "{\"posture\":[\"torticollis\"],\"age_group\":\"adult\","
            "\"tried\":[\"toxin\"],"
            "\"outcome_toxin\":\"stopped_side_effects\"}",
            "after two skips");

  /* back undoes a skip like an answer. */
  assert_int_equal(cdg_walker_back(w), CDG_OK);
  assert_false(cdg_walker_skipped(w, "years"));
  assert_true(cdg_walker_skipped(w, "side_effects"));
  S_next_is(w, "years");
  assert_int_equal(cdg_walker_answer_number(w, "years", 4, &err), CDG_OK);
  S_next_is(w, NULL);
  assert_int_equal(cdg_walker_back(w), CDG_OK);
  assert_int_equal(cdg_walker_back(w), CDG_OK);
  S_next_is(w, "side_effects");
  assert_int_equal(
      cdg_walker_answer_text(w, "side_effects", "Neck weakness", &err),
      CDG_OK);
  S_next_is(w, "years");

  /* Skipping an answered question drops its answer, kept as default. */
  assert_int_equal(cdg_walker_back(w), CDG_OK);
  assert_int_equal(cdg_walker_skip(w, "side_effects", &err), CDG_OK);
  assert_false(cdg_answers_has(cdg_walker_answers(w), "side_effects"));
  assert_string_equal(cdg_answers_text(cdg_walker_defaults(w),
                                       "side_effects"),
                      "Neck weakness");
  S_next_is(w, "years");

  /* A change that disables a skipped question takes it off the history;
  ** enabled again, it is asked again. */
  S_codes(w, "outcome_toxin", "helped", NULL);
  S_next_is(w, "years");
  S_codes(w, "outcome_toxin", "stopped_side_effects", NULL);
  S_next_is(w, "side_effects");

  /* Restored walks know nothing of skips. */
  assert_int_equal(cdg_walker_skip(w, "side_effects", &err), CDG_OK);
  S_next_is(w, "years");
  assert_int_equal(cdg_walker_restore(w, cdg_walker_answers(w)), CDG_OK);
  S_next_is(w, "side_effects");
  cdg_walker_free(w);
}

static void test_disable_drops(void **state) {
  const cdg_pack *pack = *state;
  cdg_walker *w = NULL;
  cdg_error err;

  assert_int_equal(cdg_walker_new(pack, &w), CDG_OK);
  S_codes(w, "posture", "not_sure", NULL);
  S_codes(w, "age_group", "child", NULL);
  S_codes(w, "tried", "toxin", NULL);
  S_codes(w, "outcome_toxin", "stopped_side_effects", NULL);
  assert_int_equal(cdg_walker_answer_text(w, "side_effects", "Tired", &err),
                   CDG_OK);

  S_codes(w, "tried", "physio", NULL);
  S_json_is(cdg_walker_answers(w),
            "{\"posture\":[\"not_sure\"],\"age_group\":\"child\","
            "\"tried\":[\"physio\"]}",
            "after the change");
  assert_true(cdg_answers_has(cdg_walker_defaults(w), "outcome_toxin"));
  assert_true(cdg_answers_has(cdg_walker_defaults(w), "side_effects"));
  S_next_is(w, "years");
  S_progress_is(w, 3, 1);
  assert_true(cdg_walker_complete(w));

  /* Enabled again: asked again, with the old answer as the default. */
  S_codes(w, "tried", "physio", "toxin");
  S_next_is(w, "outcome_toxin");
  assert_false(cdg_answers_has(cdg_walker_answers(w), "outcome_toxin"));
  assert_string_equal(
      cdg_answers_code(cdg_walker_defaults(w), "outcome_toxin", 0),
      "stopped_side_effects");
  assert_false(cdg_walker_complete(w));

  /* The dropped questions left the history: back undoes tried. */
  assert_int_equal(cdg_walker_back(w), CDG_OK);
  S_next_is(w, "tried");
  S_json_is(cdg_walker_answers(w),
            "{\"posture\":[\"not_sure\"],\"age_group\":\"child\"}",
            "after back");
  cdg_walker_free(w);
}

static void test_answer_errors(void **state) {
  const cdg_pack *pack = *state;
  const char *helped[] = {"helped"}, *bad[] = {"none", "toxin"};
  cdg_walker *w = NULL;
  cdg_error err;

  assert_int_equal(cdg_walker_new(pack, &w), CDG_OK);
  assert_int_equal(
      cdg_walker_answer_codes(w, "outcome_toxin", helped, 1, &err),
      CDG_ERR_STATE);
  assert_string_equal(err.message,
                      "outcome_toxin: not asked given the answers so far");
  assert_int_equal(cdg_walker_answer_codes(w, "nope", helped, 1, &err),
                   CDG_ERR_ANSWER);
  assert_string_equal(err.message, "unknown question \"nope\"");
  assert_int_equal(cdg_walker_answer_codes(w, "tried", bad, 2, &err),
                   CDG_ERR_ANSWER);
  assert_string_equal(err.message,
                      "Which treatments were tried? (tried): \"None of "
                      "these\" cannot be combined with other "
                      "answers");
  assert_int_equal(cdg_walker_answer_number(w, "years", 100, &err),
                   CDG_ERR_ANSWER);
  assert_string_equal(err.message, "Years since onset? (years): 100 is above "
                                   "the maximum 90");
  assert_int_equal(cdg_walker_answer_text(w, "side_effects", "x", &err),
                   CDG_ERR_STATE);
  /* Nothing was recorded. */
  S_json_is(cdg_walker_answers(w), "{}", "answers after errors");
  S_json_is(cdg_walker_defaults(w), "{}", "defaults after errors");
  assert_int_equal(cdg_walker_back(w), CDG_ERR_STATE);
  cdg_walker_free(w);
  cdg_walker_free(NULL);
}

static void test_restore(void **state) {
  const cdg_pack *pack = *state;
  const char *json = "{\"tried\":[\"toxin\"],\"posture\":[\"not_sure\"],"
                     "\"outcome_toxin\":\"helped\"}";
  cdg_answers *a = NULL, *other_a = NULL;
  cdg_pack *other = NULL;
  cdg_walker *w = NULL;
  cdg_error err;

  assert_int_equal(cdg_answers_parse(pack, json, strlen(json), "a.json", &a,
                                     &err),
                   CDG_OK);
  assert_int_equal(cdg_walker_new(pack, &w), CDG_OK);
  S_codes(w, "posture", "torticollis", NULL);
  assert_int_equal(cdg_walker_restore(w, a), CDG_OK);
  S_json_is(cdg_walker_answers(w),
            "{\"posture\":[\"not_sure\"],\"tried\":[\"toxin\"],"
            "\"outcome_toxin\":\"helped\"}",
            "restored");
  S_json_is(cdg_walker_defaults(w),
            "{\"posture\":[\"not_sure\"],\"tried\":[\"toxin\"],"
            "\"outcome_toxin\":\"helped\"}",
            "restored defaults");
  S_next_is(w, "age_group");
  S_progress_is(w, 3, 2);
  assert_false(cdg_walker_complete(w));

  /* The history is in pack order: back undoes outcome_toxin, then tried. */
  assert_int_equal(cdg_walker_back(w), CDG_OK);
  assert_false(cdg_answers_has(cdg_walker_answers(w), "outcome_toxin"));
  assert_true(cdg_answers_has(cdg_walker_answers(w), "tried"));
  assert_int_equal(cdg_walker_back(w), CDG_OK);
  S_json_is(cdg_walker_answers(w), "{\"posture\":[\"not_sure\"]}",
            "two steps back");
  assert_int_equal(cdg_walker_back(w), CDG_OK);
  assert_int_equal(cdg_walker_back(w), CDG_ERR_STATE);

  /* Answers of another pack are refused and change nothing. */
  assert_int_equal(cdg_pack_load_dir(CDG_SOURCE_DIR "/tests/fixtures/mini",
                                     &other, &err),
                   CDG_OK);
  assert_int_equal(cdg_answers_new(other, &other_a), CDG_OK);
  assert_int_equal(cdg_walker_restore(w, other_a), CDG_ERR_STATE);
  S_next_is(w, "posture");
  cdg_answers_free(other_a);
  cdg_pack_free(other);
  cdg_answers_free(a);
  cdg_walker_free(w);
}

/* ---- Allocation failures ---------------------------------------------- */

/* Load, parse, walk, go back, change an answer and evaluate; returns the
** first status that is not CDG_OK. */
static cdg_status S_alloc_run(const cdg_passages *ps) {
  const char *json = "{\"tried\":[\"toxin\"],\"posture\":[\"not_sure\"]}";
  const char *toxin[] = {"toxin"}, *stopped[] = {"stopped_side_effects"};
  const char *adult[] = {"adult"};
  cdg_pack *pack = NULL;
  cdg_answers *a = NULL;
  cdg_walker *w = NULL;
  cdg_outcome *o = NULL;
  cdg_error err;
  char *out = NULL;
  size_t n, r;
  cdg_status st;

  st = cdg_pack_load_dir(CDG_SOURCE_DIR "/tests/fixtures/mini", &pack, &err);
  if (!st)
    st = cdg_answers_parse(pack, json, strlen(json), "a.json", &a, &err);
  if (!st)
    st = cdg_walker_new(pack, &w);
  if (!st)
    st = cdg_walker_restore(w, a);
  if (!st)
    st = cdg_walker_answer_codes(w, "age_group", adult, 1, &err);
  if (!st)
    st = cdg_walker_answer_codes(w, "outcome_toxin", stopped, 1, &err);
  if (!st)
    st = cdg_walker_answer_text(w, "side_effects", "Tired", &err);
  if (!st)
    st = cdg_walker_back(w);
  if (!st)
    st = cdg_walker_skip(w, "side_effects", &err);
  if (!st)
    st = cdg_walker_answer_codes(w, "tried", toxin, 1, &err);
  if (!st) {
    (void)cdg_walker_next(w);
    (void)cdg_walker_complete(w);
    cdg_walker_progress(w, &n, &r);
    st = cdg_outcome_eval(pack, cdg_walker_answers(w), ps, &o, &err);
  }
  if (!st && !(out = cdg_answers_to_json(cdg_walker_defaults(w))))
    st = CDG_ERR_NOMEM;
  cdg_free(out);
  cdg_outcome_free(o);
  cdg_walker_free(w);
  cdg_answers_free(a);
  cdg_pack_free(pack);
  return st;
}

/* Fail the n-th allocation for every n: each run ends in CDG_OK or
** CDG_ERR_NOMEM and leaves nothing allocated. */
static void test_alloc_failures(void **state) {
  cdg_passages *ps = NULL;
  cdg_error err;
  cdg_status st;
  long n;

  (void)state;
  assert_int_equal(cdg_passages_builtin(&ps, &err), CDG_OK);
  for (n = 1;; n++) {
    failalloc_start(n);
    st = S_alloc_run(ps);
    if (st != CDG_OK && st != CDG_ERR_NOMEM)
      fail_msg("allocation %ld failing gave status %d", n, st);
    if (failalloc_live() != 0)
      fail_msg("allocation %ld failing left %ld blocks", n, failalloc_live());
    if (st == CDG_OK && n > failalloc_count())
      break;
  }
  failalloc_stop();
  assert_true(n > 100); /* the run did allocate */
  cdg_passages_free(ps);
}

/* ---- Less travelled paths (were test_coverage_rules) ---------------- */

/* Progress may be asked for one count only. */
static void test_walker_progress(void **state) {
  cdg_pack *pack = fixture_pack(QP_PACK(QP_Q_A, QP_R_ALWAYS));
  static const char *const x[] = {"x"};
  cdg_walker *w = NULL;
  size_t answered = 9, remaining = 9;

  (void)state;
  assert_int_equal(cdg_walker_new(pack, &w), CDG_OK);
  cdg_walker_progress(w, &answered, NULL);
  assert_int_equal(answered, 0);
  cdg_walker_progress(w, NULL, &remaining);
  assert_int_equal(remaining, 1);
  assert_int_equal(cdg_walker_answer_codes(w, "a", x, 1, NULL), CDG_OK);
  cdg_walker_progress(w, &answered, &remaining);
  assert_int_equal(answered, 1);
  assert_int_equal(remaining, 0);
  assert_true(cdg_walker_complete(w));
  cdg_walker_free(w);
  cdg_walker_free(NULL);
  cdg_pack_free(pack);
}


int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_walk_and_back),
      cmocka_unit_test(test_skip),
      cmocka_unit_test(test_disable_drops),
      cmocka_unit_test(test_answer_errors),
      cmocka_unit_test(test_restore),
      cmocka_unit_test(test_alloc_failures),
      cmocka_unit_test(test_walker_progress),
  };

  return cmocka_run_group_tests(tests, mini_setup, mini_teardown);
}
