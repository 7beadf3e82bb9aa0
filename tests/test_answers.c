/*
** test_answers.c: answers against the fixture pack. Every check of
** cdg_answers_parse and of the set_* calls, with its exact message and,
** for parsed files, its line:col and JSON Pointer.
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

/* Parse json as a.json; it must fail with the formatted error want. */
static void S_reject(const cdg_pack *pack, const char *json,
                     const char *want) {
  cdg_answers *a = NULL;
  cdg_error err;
  char line[1024];
  cdg_status st = cdg_answers_parse(pack, json, strlen(json), "a.json", &a,
                                    &err);

  if (st == CDG_OK)
    fail_msg("accepted %s", json);
  assert_null(a);
  cdg_error_format(&err, line, sizeof line);
  if (strcmp(line, want) != 0)
    fail_msg("for %s\ngot  %s\nwant %s", json, line, want);
  if (st != CDG_ERR_ANSWER)
    fail_msg("for %s: status %d, want CDG_ERR_ANSWER", json, st);
}

static cdg_answers *S_accept(const cdg_pack *pack, const char *json) {
  cdg_answers *a = NULL;
  cdg_error err;
  char line[1024];

  if (cdg_answers_parse(pack, json, strlen(json), "a.json", &a, &err) !=
      CDG_OK) {
    cdg_error_format(&err, line, sizeof line);
    fail_msg("rejected %s: %s", json, line);
  }
  return a;
}

static void test_parse_valid(void **state) {
  const cdg_pack *pack = *state;
  cdg_answers *a = S_accept(
      pack, "{\"years\": 3, \"posture\": [\"torticollis\", \"retrocollis\"],"
            " \"tried\": [\"toxin\"], \"outcome_toxin\": \"helped\","
            " \"age_group\": \"adult\"}");
  char *json = cdg_answers_to_json(a);

  /* Pack order, and multi answers in option order. */
  assert_string_equal(json, "{\"posture\":[\"retrocollis\",\"torticollis\"],"
                            "\"age_group\":\"adult\",\"tried\":[\"toxin\"],"
                            "\"outcome_toxin\":\"helped\",\"years\":3}");
  cdg_free(json);
  assert_true(cdg_answers_has(a, "posture"));
  assert_false(cdg_answers_has(a, "side_effects"));
  assert_false(cdg_answers_has(a, "nope"));
  assert_int_equal(cdg_answers_code_count(a, "posture"), 2);
  assert_string_equal(cdg_answers_code(a, "posture", 0), "retrocollis");
  assert_string_equal(cdg_answers_code(a, "posture", 1), "torticollis");
  assert_null(cdg_answers_code(a, "posture", 2));
  assert_int_equal(cdg_answers_code_count(a, "age_group"), 1);
  assert_string_equal(cdg_answers_code(a, "age_group", 0), "adult");
  assert_int_equal(cdg_answers_code_count(a, "years"), 0);
  assert_int_equal(cdg_answers_code_count(a, "side_effects"), 0);
  assert_true(cdg_answers_number(a, "years") == 3);
  assert_true(cdg_answers_number(a, "posture") == 0);
  assert_null(cdg_answers_text(a, "side_effects"));
  assert_null(cdg_answers_text(a, "age_group"));
  cdg_answers_free(a);

  a = S_accept(pack, "{}");
  json = cdg_answers_to_json(a);
  assert_string_equal(json, "{}");
  cdg_free(json);
  cdg_answers_free(a);

  /* Tab is allowed in text, and 2000 bytes is not too long. */
  a = S_accept(pack, "{\"tried\":[\"toxin\"],\"outcome_toxin\":"
                     "\"stopped_side_effects\",\"side_effects\":"
                     "\"dry\\tmouth\",\"years\":2.5}");
  assert_string_equal(cdg_answers_text(a, "side_effects"), "dry\tmouth");
  assert_true(cdg_answers_number(a, "years") == 2.5);
  cdg_answers_free(a);
}

static void test_parse_unknown_and_types(void **state) {
  const cdg_pack *pack = *state;

  S_reject(pack, "[1]", "a.json:1:1: answers must be a JSON object");
  S_reject(pack, "{\"nope\": 1}",
           "a.json:1:10: unknown question \"nope\" (at /nope)");
  S_reject(pack, "{\"a/b\": 1}",
           "a.json:1:9: unknown question \"a/b\" (at /a~1b)");
  S_reject(pack, "{\"age_group\": [\"adult\"]}",
           "a.json:1:15: Which age group? (age_group): expects one option "
           "code, not a list "
           "(at /age_group)");
  S_reject(pack, "{\"age_group\": 3}",
           "a.json:1:15: Which age group? (age_group): expects an option code "
           "(at /age_group)");
  S_reject(pack, "{\"age_group\": \"elderly\"}",
           "a.json:1:15: Which age group? (age_group): unknown option "
           "\"elderly\" "
           "(at /age_group)");
  S_reject(pack, "{\"posture\": \"torticollis\"}",
           "a.json:1:13: Which way is the head pulled? (posture): expects a "
           "list of option codes "
           "(at /posture)");
  S_reject(pack, "{\"posture\": []}",
           "a.json:1:13: Which way is the head pulled? (posture): expects at "
           "least one option code "
           "(at /posture)");
  S_reject(pack, "{\"posture\": [\"torticollis\", \"sideways\"]}",
           "a.json:1:29: Which way is the head pulled? (posture): unknown "
           "option \"sideways\" "
           "(at /posture/1)");
  S_reject(pack, "{\"posture\": [\"torticollis\", 2]}",
           "a.json:1:29: Which way is the head pulled? (posture): expects a "
           "list of option codes "
           "(at /posture/1)");
  S_reject(pack, "{\"posture\": [\"torticollis\", \"torticollis\"]}",
           "a.json:1:29: Which way is the head pulled? (posture): \"Turned to "
           "one side\" is given twice "
           "(at /posture/1)");
  S_reject(pack, "{\"tried\": [\"none\", \"physio\"]}",
           "a.json:1:11: Which treatments were tried? (tried): \"None of "
           "these\" cannot be combined with other "
           "answers (at /tried)");
  S_reject(pack, "{\"years\": \"4\"}",
           "a.json:1:11: Years since onset? (years): expects a number (at "
           "/years)");
  S_reject(pack, "{\"years\": 91}",
           "a.json:1:11: Years since onset? (years): 91 is above the maximum "
           "90 (at /years)");
  S_reject(pack, "{\"years\": -1}",
           "a.json:1:11: Years since onset? (years): -1 is below the minimum "
           "0 (at /years)");
  S_reject(pack, "{\"years\": null}",
           "a.json:1:11: Years since onset? (years): expects a number (at "
           "/years)");
}

/* Text goes to terminals and reports: control characters are refused. */
static void test_parse_text(void **state) {
  const cdg_pack *pack = *state;
  const char *pre = "{\"tried\":[\"toxin\"],\"outcome_toxin\":"
                    "\"stopped_side_effects\",\"side_effects\":";
  /* each value of side_effects, and the message it gets */
  static const char *const bad[][2] = {
      {"\"a\\u001b[31mred\"", "text must not contain control characters"},
      {"\"two\\nlines\"", "text must not contain control characters"},
      {"\"c1 \\u009b control\"", "text must not contain control characters"},
      {"\"del \\u007f\"", "text must not contain control characters"},
      {"\"\"", "text must not be empty"},
      {"7", "expects text"}};
  char json[2200], want[256];
  size_t i, n;

  for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    snprintf(json, sizeof json, "%s%s}", pre, bad[i][0]);
    snprintf(want, sizeof want,
             "a.json:1:74: Which side effects? (side_effects): %s "
             "(at /side_effects)",
             bad[i][1]);
    S_reject(pack, json, want);
  }

  /* 2000 bytes pass, 2001 do not. */
  n = (size_t)snprintf(json, sizeof json, "%s\"", pre);
  memset(json + n, 'x', 2000);
  strcpy(json + n + 2000, "\"}");
  cdg_answers_free(S_accept(pack, json));
  memset(json + n, 'x', 2001);
  strcpy(json + n + 2001, "\"}");
  snprintf(want, sizeof want,
           "a.json:1:74: Which side effects? (side_effects): text is longer "
           "than 2000 bytes "
           "(at /side_effects)");
  S_reject(pack, json, want);
}

static void test_parse_disabled(void **state) {
  const cdg_pack *pack = *state;

  S_reject(pack, "{\"outcome_toxin\": \"helped\"}",
           "a.json:1:19: How did botulinum toxin go? (outcome_toxin): "
           "answered, but the question is "
           "disabled by the other answers (at /outcome_toxin)");
  /* Both later answers are disabled; the one nearer the root is named. */
  S_reject(pack, "{\"tried\":[\"physio\"],\"outcome_toxin\":"
                 "\"stopped_side_effects\",\"side_effects\":\"x\"}",
           "a.json:1:37: How did botulinum toxin go? (outcome_toxin): "
           "answered, but the question is "
           "disabled by the other answers (at /outcome_toxin)");
  /* The same even when the dependent answer comes first in the file. */
  S_reject(pack, "{\"side_effects\":\"x\",\"outcome_toxin\":\"helped\","
                 "\"tried\":[\"toxin\"]}",
           "a.json:1:17: Which side effects? (side_effects): answered, but "
           "the question is "
           "disabled by the other answers (at /side_effects)");
}

static void test_parse_syntax(void **state) {
  const cdg_pack *pack = *state;
  cdg_answers *a = NULL;
  cdg_error err;

  assert_int_equal(cdg_answers_parse(pack, "{\"posture\": [", 13, "a.json",
                                     &a, &err),
                   CDG_ERR_SYNTAX);
  assert_null(a);
  assert_string_equal(err.file, "a.json");
  assert_int_equal(cdg_answers_parse(pack, "[", 1, "a.json", &a, NULL),
                   CDG_ERR_SYNTAX);
}

static void S_expect_msg(cdg_status st, const cdg_error *err,
                         const char *want) {
  char line[1024];

  if (st != CDG_ERR_ANSWER)
    fail_msg("status %d for \"%s\"", st, want);
  cdg_error_format(err, line, sizeof line);
  if (strcmp(line, want) != 0)
    fail_msg("got  %s\nwant %s", line, want);
}

static void test_set(void **state) {
  const cdg_pack *pack = *state;
  const char *two[] = {"torticollis", "retrocollis"};
  const char *adult[] = {"adult"};
  const char *bad[] = {"none", "physio"};
  const char *dup[] = {"toxin", "toxin"};
  cdg_answers *a = NULL;
  cdg_error err;
  char *json;

  assert_int_equal(cdg_answers_new(pack, &a), CDG_OK);
  assert_int_equal(cdg_answers_set_codes(a, "posture", two, 2, &err),
                   CDG_OK);
  assert_int_equal(cdg_answers_set_codes(a, "age_group", adult, 1, &err),
                   CDG_OK);
  assert_int_equal(cdg_answers_set_number(a, "years", 90, &err), CDG_OK);
  assert_int_equal(
      cdg_answers_set_text(a, "side_effects", "caf\xc3\xa9", &err), CDG_OK);
  json = cdg_answers_to_json(a);
  assert_string_equal(json, "{\"posture\":[\"retrocollis\",\"torticollis\"],"
                            "\"age_group\":\"adult\",\"side_effects\":"
                            "\"caf\xc3\xa9\",\"years\":90}");
  cdg_free(json);

  S_expect_msg(cdg_answers_set_codes(a, "nope", adult, 1, &err), &err,
               "unknown question \"nope\"");
  S_expect_msg(cdg_answers_set_codes(a, "age_group", two, 2, &err), &err,
               "Which age group? (age_group): expects exactly one option code");
  S_expect_msg(cdg_answers_set_codes(a, "age_group", NULL, 0, &err), &err,
               "Which age group? (age_group): expects exactly one option code");
  S_expect_msg(cdg_answers_set_codes(a, "posture", NULL, 0, &err), &err,
               "Which way is the head pulled? (posture): expects at least one "
               "option code");
  S_expect_msg(cdg_answers_set_codes(a, "tried", bad, 2, &err), &err,
               "Which treatments were tried? (tried): \"None of these\" "
               "cannot be combined with other answers");
  S_expect_msg(cdg_answers_set_codes(a, "tried", dup, 2, &err), &err,
               "Which treatments were tried? (tried): \"Botulinum toxin\" is "
               "given twice");
  S_expect_msg(cdg_answers_set_codes(a, "age_group", two, 1, &err), &err,
               "Which age group? (age_group): unknown option \"torticollis\"");
  S_expect_msg(cdg_answers_set_codes(a, "years", adult, 1, &err), &err,
               "Years since onset? (years): expects a number, not option "
               "codes");
  S_expect_msg(cdg_answers_set_codes(a, "side_effects", adult, 1, &err),
               &err, "Which side effects? (side_effects): expects text, not "
                     "option codes");
  S_expect_msg(cdg_answers_set_number(a, "age_group", 1, &err), &err,
               "Which age group? (age_group): does not take a number");
  S_expect_msg(cdg_answers_set_number(a, "years", INFINITY, &err), &err,
               "Years since onset? (years): expects a finite number");
  S_expect_msg(cdg_answers_set_number(a, "years", 90.5, &err), &err,
               "Years since onset? (years): 90.5 is above the maximum 90");
  S_expect_msg(cdg_answers_set_text(a, "years", "x", &err), &err,
               "Years since onset? (years): does not take text");
  S_expect_msg(cdg_answers_set_text(a, "side_effects", "\xff", &err), &err,
               "Which side effects? (side_effects): text is not valid UTF-8");
  S_expect_msg(cdg_answers_set_text(a, "side_effects", "\xc0\xaf", &err),
               &err, "Which side effects? (side_effects): text is not valid "
                     "UTF-8");
  S_expect_msg(cdg_answers_set_text(a, "side_effects", "\x1b[2J", &err),
               &err, "Which side effects? (side_effects): text must not "
                     "contain control "
                     "characters");

  /* Failed calls changed nothing. */
  json = cdg_answers_to_json(a);
  assert_string_equal(json, "{\"posture\":[\"retrocollis\",\"torticollis\"],"
                            "\"age_group\":\"adult\",\"side_effects\":"
                            "\"caf\xc3\xa9\",\"years\":90}");
  cdg_free(json);

  /* Replacing and removing. */
  assert_int_equal(cdg_answers_set_codes(a, "posture", two + 1, 1, &err),
                   CDG_OK);
  cdg_answers_remove(a, "side_effects");
  cdg_answers_remove(a, "side_effects");
  cdg_answers_remove(a, "nope");
  json = cdg_answers_to_json(a);
  assert_string_equal(json, "{\"posture\":[\"retrocollis\"],"
                            "\"age_group\":\"adult\",\"years\":90}");
  cdg_free(json);
  cdg_answers_free(a);
  cdg_answers_free(NULL);
}

static void test_copy_and_enabled(void **state) {
  const cdg_pack *pack = *state;
  const cdg_question *oq = cdg_pack_find_question(pack, "outcome_toxin");
  const cdg_question *sq = cdg_pack_find_question(pack, "side_effects");
  const char *toxin[] = {"toxin"}, *physio[] = {"physio"};
  const char *stopped[] = {"stopped_side_effects"};
  cdg_answers *a = NULL, *c = NULL;
  char *ja, *jc;

  assert_int_equal(cdg_answers_new(pack, &a), CDG_OK);
  assert_int_equal(cdg_answers_enabled(a, oq), 0);
  assert_int_equal(cdg_answers_enabled(
                       a, cdg_pack_find_question(pack, "posture")),
                   1);
  assert_int_equal(cdg_answers_set_codes(a, "tried", toxin, 1, NULL),
                   CDG_OK);
  assert_int_equal(cdg_answers_enabled(a, oq), 1);
  assert_int_equal(cdg_answers_enabled(a, sq), 0);
  assert_int_equal(cdg_answers_set_codes(a, "outcome_toxin", stopped, 1,
                                         NULL),
                   CDG_OK);
  assert_int_equal(cdg_answers_enabled(a, sq), 1);

  assert_int_equal(cdg_answers_copy(a, &c), CDG_OK);
  ja = cdg_answers_to_json(a);
  jc = cdg_answers_to_json(c);
  assert_string_equal(ja, jc);
  cdg_free(jc);
  /* The copy is deep: changing it leaves the original alone. */
  assert_int_equal(cdg_answers_set_codes(c, "tried", physio, 1, NULL),
                   CDG_OK);
  assert_int_equal(cdg_answers_enabled(c, oq), 0);
  jc = cdg_answers_to_json(a);
  assert_string_equal(ja, jc);
  cdg_free(ja);
  cdg_free(jc);
  cdg_answers_free(a);
  cdg_answers_free(c);
}

/* A copy that runs out of memory sets *out to NULL, as every constructor
** does, and leaks nothing. */
static void test_copy_nomem(void **state) {
  const cdg_pack *pack = *state;
  const char *toxin[] = {"toxin"};
  cdg_answers *a = NULL, *c;
  cdg_status st = CDG_ERR_NOMEM;
  long k, live;

  assert_int_equal(cdg_answers_new(pack, &a), CDG_OK);
  assert_int_equal(cdg_answers_set_codes(a, "tried", toxin, 1, NULL),
                   CDG_OK);
  for (k = 1; st == CDG_ERR_NOMEM; k++) {
    c = (cdg_answers *)a; /* not NULL: the copy must clear it */
    failalloc_start(k);
    st = cdg_answers_copy(a, &c);
    failalloc_stop();
    live = failalloc_live();
    if (st == CDG_ERR_NOMEM) {
      if (c != NULL)
        fail_msg("allocation %ld failed: *out not set to NULL", k);
      if (live != 0)
        fail_msg("allocation %ld failed: %ld blocks leaked", k, live);
    }
  }
  assert_int_equal(st, CDG_OK);
  assert_true(cdg_answers_has(c, "tried"));
  cdg_answers_free(c);
  cdg_answers_free(a);
}

/* ---- Less travelled paths (were test_coverage_rules) ---------------- */

#define MINI_Q                                                                 \
  QP_Q_A ",{'id':'n','type':'number','text':'N?','min':1,'max':9},"            \
         "{'id':'lo','type':'number','text':'L?','min':0},"                    \
         "{'id':'hi','type':'number','text':'H?','max':5},"                    \
         "{'id':'t','type':'text','text':'T?'}"

#define E5 "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
#define E29 E5 E5 E5 E5 E5 "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
#define E30 E29 "\xC3\xA9"

static void S_set_text_fails(cdg_answers *a, const char *text,
                             const char *message) {
  cdg_error err;

  if (cdg_answers_set_text(a, "t", text, &err) != CDG_ERR_ANSWER)
    fail_msg("text \"%s\": accepted", text);
  assert_string_equal(err.message, message);
}

static void test_answers_api(void **state) {
  cdg_pack *pack = fixture_pack(QP_PACK(MINI_Q, QP_R_ALWAYS));
  static const char *const x[] = {"x"};
  cdg_answers *a = NULL;
  cdg_error err;

  (void)state;
  assert_int_equal(cdg_answers_new(pack, &a), CDG_OK);
  /* Text must be valid UTF-8, without C0 or C1 controls (tab is allowed). */
  S_set_text_fails(a, "\xC0\xAF", "T? (t): text is not valid UTF-8");
  S_set_text_fails(a, "\xE0\x80\xAF", "T? (t): text is not valid UTF-8");
  S_set_text_fails(a, "\xED\xA0\x80", "T? (t): text is not valid UTF-8");
  S_set_text_fails(a, "\xF0\x80\x80\xAF", "T? (t): text is not valid UTF-8");
  S_set_text_fails(a, "\xF4\x90\x80\x80", "T? (t): text is not valid UTF-8");
  S_set_text_fails(a, "\xF5\x80\x80\x80", "T? (t): text is not valid UTF-8");
  S_set_text_fails(a, "\xE2\x82", "T? (t): text is not valid UTF-8");
  S_set_text_fails(a,
                   "a\xC2\x85"
                   "b",
                   "T? (t): text must not contain control characters");
  S_set_text_fails(a, "a\x7F",
                   "T? (t): text must not contain control characters");
  S_set_text_fails(a, "", "T? (t): text must not be empty");
  assert_int_equal(cdg_answers_set_text(a, "t",
                                        "caf\xC3\xA9\t\xE2\x82\xAC "
                                        "\xF0\x9F\x98\x80 \xC2\xA0",
                                        &err),
                   CDG_OK);
  assert_string_equal(cdg_answers_text(a, "t"),
                      "caf\xC3\xA9\t\xE2\x82\xAC \xF0\x9F\x98\x80 \xC2\xA0");
  assert_null(cdg_answers_text(a, "a"));
  assert_null(cdg_answers_text(a, "zz"));
  /* Numbers within each kind of range. */
  assert_int_equal(cdg_answers_set_number(a, "n", 0, &err), CDG_ERR_ANSWER);
  assert_string_equal(err.message, "N? (n): 0 is below the minimum 1");
  assert_int_equal(cdg_answers_set_number(a, "n", 10, &err), CDG_ERR_ANSWER);
  assert_string_equal(err.message, "N? (n): 10 is above the maximum 9");
  assert_int_equal(cdg_answers_set_number(a, "lo", -1, &err), CDG_ERR_ANSWER);
  assert_int_equal(cdg_answers_set_number(a, "lo", 1e9, &err), CDG_OK);
  assert_int_equal(cdg_answers_set_number(a, "hi", 6, &err), CDG_ERR_ANSWER);
  assert_int_equal(cdg_answers_set_number(a, "hi", -1e9, &err), CDG_OK);
  assert_int_equal(cdg_answers_set_number(a, "n", NAN, &err), CDG_ERR_ANSWER);
  assert_string_equal(err.message, "N? (n): expects a finite number");
  /* Unknown questions and wrong kinds. */
  assert_int_equal(cdg_answers_set_number(a, "zz", 1, &err), CDG_ERR_ANSWER);
  assert_string_equal(err.message, "unknown question \"zz\"");
  assert_int_equal(cdg_answers_set_text(a, "zz", "x", &err), CDG_ERR_ANSWER);
  assert_int_equal(cdg_answers_set_codes(a, "zz", x, 1, &err), CDG_ERR_ANSWER);
  assert_int_equal(cdg_answers_set_number(a, "a", 1, &err), CDG_ERR_ANSWER);
  assert_string_equal(err.message, "A? (a): does not take a number");
  assert_int_equal(cdg_answers_set_text(a, "a", "x", &err), CDG_ERR_ANSWER);
  assert_string_equal(err.message, "A? (a): does not take text");
  assert_int_equal(cdg_answers_set_codes(a, "n", x, 1, &err), CDG_ERR_ANSWER);
  assert_string_equal(err.message, "N? (n): expects a number, not option codes");
  assert_int_equal(cdg_answers_set_codes(a, "t", x, 1, &err), CDG_ERR_ANSWER);
  assert_string_equal(err.message, "T? (t): expects text, not option codes");
  assert_int_equal(cdg_answers_set_codes(a, "a", x, 1, NULL), CDG_OK);
  assert_int_equal(cdg_answers_code_count(a, "a"), 1);
  assert_null(cdg_answers_code(a, "a", 1));
  assert_null(cdg_answers_code(a, "zz", 0));
  assert_true(cdg_answers_number(a, "a") == 0);
  assert_true(cdg_answers_number(a, "zz") == 0);
  assert_true(cdg_answers_number(a, "lo") == 1e9);
  cdg_answers_free(a);
  cdg_answers_free(NULL);
  cdg_pack_free(pack);
}

/* A parse with no file name names the input "<answers>"; with no error
** record, the status alone. */
static void test_answers_parse_names(void **state) {
  cdg_pack *pack = fixture_pack(QP_PACK(MINI_Q, QP_R_ALWAYS));
  cdg_answers *a = NULL;
  cdg_error err;
  char line[600];
  const char *json;

  (void)state;
  assert_int_equal(
      cdg_answers_parse(pack, "{\"a\": \"w\"}", 10, NULL, &a, &err),
      CDG_ERR_ANSWER);
  cdg_error_format(&err, line, sizeof line);
  assert_string_equal(line,
                      "<answers>:1:7: A? (a): unknown option \"w\" (at /a)");
  assert_int_equal(cdg_answers_parse(pack, "{\"t\": 1}", 8, "f", &a, NULL),
                   CDG_ERR_ANSWER);
  assert_null(a);
  /* Unknown codes longer than a message shows are cut on a character
  ** boundary (60 bytes at most), marked "...": "x" and 30 "é" are 61
  ** bytes, so the last "é" goes. */
  json = "{\"a\": \"x" E30 "\"}";
  assert_int_equal(cdg_answers_parse(pack, json, strlen(json), "f", &a, &err),
                   CDG_ERR_ANSWER);
  assert_string_equal(err.message, "A? (a): unknown option \"x" E29 "...\"");
  cdg_pack_free(pack);
}


/* Errors name the question by its text (then its id) and options by their
** labels; a question text longer than a message shows (60 bytes) is cut on
** a character boundary and marked "...". */
static void test_errors_name_question_words(void **state) {
  cdg_pack *pack = fixture_pack(QP_PACK(
      "{'id':'m','type':'multi','text':'" E30 " and more words after it?',"
      "'options':[{'code':'p','label':'Plain'},"
      "{'code':'z','label':'Neither of them','exclusive':true}]}",
      QP_R_ALWAYS));
  const char *codes[] = {"p", "z"};
  cdg_answers *a = NULL;
  cdg_error err;

  (void)state;
  assert_int_equal(cdg_answers_new(pack, &a), CDG_OK);
  assert_int_equal(cdg_answers_set_codes(a, "m", codes, 2, &err),
                   CDG_ERR_ANSWER);
  /* 30 "é" are 60 bytes: the text is cut after them. */
  assert_string_equal(err.message, E30 "... (m): \"Neither of them\" cannot "
                                   "be combined with other answers");
  codes[1] = "p";
  assert_int_equal(cdg_answers_set_codes(a, "m", codes, 2, &err),
                   CDG_ERR_ANSWER);
  assert_string_equal(err.message, E30 "... (m): \"Plain\" is given twice");
  cdg_answers_free(a);
  cdg_pack_free(pack);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse_valid),
      cmocka_unit_test(test_parse_unknown_and_types),
      cmocka_unit_test(test_parse_text),
      cmocka_unit_test(test_parse_disabled),
      cmocka_unit_test(test_parse_syntax),
      cmocka_unit_test(test_set),
      cmocka_unit_test(test_copy_and_enabled),
      cmocka_unit_test(test_copy_nomem),
      cmocka_unit_test(test_answers_api),
      cmocka_unit_test(test_answers_parse_names),
      cmocka_unit_test(test_errors_name_question_words),
  };

  return cmocka_run_group_tests(tests, mini_setup, mini_teardown);
}
