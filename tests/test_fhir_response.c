/*
** test_fhir_response.c: the FHIR R4 QuestionnaireResponse, written and
** read.
**
** Every response is checked against the official FHIR R4 JSON schema, then
** by hand for the answers it holds. Answers go through a response and back
** unchanged, citing the same passages, for every answers file in
** tests/cases/ and a hand-written set; bad responses are rejected with
** their position; every allocation failure ends in out of memory.
*/
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "cdg_rules.h"
#include "cli.h"
#include "failalloc.h"
#include "fhir.h"
#include "fhir/schema.h"
#include "fhirtest.h"
#include "fixture.h"
#include "report.h"
#include "testfile.h"

/* ---- Responses ----------------------------------------------------- */

static void test_response(void **state) {
  cdg_answers *a = ft_answers(
      ft_pack,
      "{\"posture\": [\"torticollis\", \"retrocollis\"],"
      " \"age_group\": \"adult\", \"duration\": \"over_5_years\","
      " \"treatments_tried\": [\"physiotherapy\", \"botulinum_toxin\"],"
      " \"outcome_physiotherapy\": \"helped\","
      " \"outcome_botulinum_toxin\": \"stopped_side_effects\"}",
      "complete answers");
  cJSON *r = ft_response(ft_pack, a, "2026-11-25T10:30:00Z");
  const cJSON *items = ft_get(r, "item"), *ans, *rep, *e;
  char canonical[256];
  cdg_outcome *o = NULL;
  cdg_error err;
  size_t n = 0;
  const char *last = "";

  (void)state;
  ft_assert_valid("QuestionnaireResponse", r, "a complete response");
  snprintf(canonical, sizeof canonical,
           BASE "/Questionnaire/cervical-dystonia|%s",
           cdg_pack_version(ft_pack));
  assert_string_equal(ft_s(r, "questionnaire"), canonical);
  assert_string_equal(ft_s(r, "status"), "completed");
  assert_string_equal(ft_s(r, "authored"), "2026-11-25T10:30:00Z");
  assert_int_equal(cJSON_GetArraySize(items), 6);

  /* multi answers in option order, each a valueCoding of the question */
  ans = ft_get(ft_item(items, "posture"), "answer");
  assert_int_equal(cJSON_GetArraySize(ans), 2);
  assert_string_equal(
      ft_s(ft_get(cJSON_GetArrayItem(ans, 0), "valueCoding"), "code"),
      "retrocollis");
  assert_string_equal(
      ft_s(ft_get(cJSON_GetArrayItem(ans, 1), "valueCoding"), "code"),
      "torticollis");
  assert_string_equal(
      ft_s(ft_get(cJSON_GetArrayItem(ans, 1), "valueCoding"), "system"),
      BASE "/CodeSystem/cervical-dystonia/posture");
  ans = ft_get(ft_item(items, "outcome_botulinum_toxin"), "answer");
  assert_string_equal(
      ft_s(ft_get(cJSON_GetArrayItem(ans, 0), "valueCoding"), "code"),
      "stopped_side_effects");
  assert_string_equal(
      ft_s(ft_item(items, "age_group"), "text"),
      cdg_question_text(cdg_pack_find_question(ft_pack, "age_group")));

  /* the report extension lists the cited passages, as the outcome does */
  rep = ft_ext(r, BASE "/StructureDefinition/cdguide-report");
  assert_non_null(rep);
  assert_int_equal(cdg_outcome_eval(ft_pack, a, ft_ps, &o, &err), CDG_OK);
  /* in source order, except that "Your responsibility" comes last, as in
  ** every other report */
  cJSON_ArrayForEach(e, ft_get(rep, "extension")) {
    const char *id = ft_s(ft_ext(e, "id"), "valueCode");
    long k;

    if (strcmp(ft_s(e, "url"), "passage") != 0)
      continue;
    assert_non_null(id);
    assert_true(cdg_outcome_cites(o, id));
    k = cdg_passages_find(ft_ps, id);
    assert_string_equal(ft_s(ft_ext(e, "text"), "valueString"),
                        cdg_passage_text(ft_ps, (size_t)k));
    assert_string_equal(ft_s(ft_ext(e, "section"), "valueString"),
                        cdg_passage_section(ft_ps, (size_t)k));
    if (n > 0 && strcmp(last, "your-responsibility") == 0)
      fail_msg("passage %s comes after your-responsibility", id);
    if (n > 0 && strcmp(id, "your-responsibility") != 0 &&
        cdg_passages_find(ft_ps, last) > k)
      fail_msg("passage %s comes after %s, against source order", id, last);
    last = id;
    n++;
  }
  assert_int_equal(n, cdg_outcome_count(o));
  assert_string_equal(last, "your-responsibility");
  /* side effects were recorded: the Yellow Card passage is cited */
  assert_true(cdg_outcome_cites(o, "adverse-events-yellow-card"));
  assert_non_null(ft_s(ft_ext(rep, "notice"), "valueString"));
  cdg_outcome_free(o);
  cJSON_Delete(r);
  cdg_answers_free(a);
}

static void test_response_in_progress(void **state) {
  cdg_answers *a =
      ft_answers(ft_pack, "{\"age_group\": \"child\"}", "one answer");
  cJSON *r = ft_response(ft_pack, a, "2026-11-25");

  (void)state;
  ft_assert_valid("QuestionnaireResponse", r, "an in-progress response");
  assert_string_equal(ft_s(r, "status"), "in-progress");
  assert_int_equal(cJSON_GetArraySize(ft_get(r, "item")), 1);
  cJSON_Delete(r);
  cdg_answers_free(a);
  a = ft_answers(ft_pack, "{}", "no answers");
  r = ft_response(ft_pack, a, NULL);
  ft_assert_valid("QuestionnaireResponse", r, "an empty response");
  assert_null(ft_get(r, "authored"));
  cJSON_Delete(r);
  cdg_answers_free(a);
}

static void test_response_number_text(void **state) {
  cdg_pack *p = ft_load_test_pack();
  cdg_answers *a =
      ft_answers(p,
                 "{\"colour\": \"red\", \"pets\": [\"dog\"], \"years\": 12.5,"
                 " \"note\": \"tilts when tired\"}",
                 "number and text");
  cJSON *r = ft_response(p, a, "2026-11-25T10:30:00+01:00");
  const cJSON *v;

  (void)state;
  ft_assert_valid("QuestionnaireResponse", r, "the test pack's response");
  v = cJSON_GetArrayItem(ft_get(ft_item(ft_get(r, "item"), "years"), "answer"),
                         0);
  assert_true(ft_get(v, "valueDecimal")->valuedouble == 12.5);
  v = cJSON_GetArrayItem(ft_get(ft_item(ft_get(r, "item"), "note"), "answer"),
                         0);
  assert_string_equal(ft_s(v, "valueString"), "tilts when tired");
  cJSON_Delete(r);
  cdg_answers_free(a);
  cdg_pack_free(p);
}

/* ---- Round trip ---------------------------------------------------- */

/* answers -> response -> answers: the same answers, the same passages. */
static void S_round_trip(const cdg_pack *pack, const char *json,
                         const char *what) {
  cdg_answers *a = ft_answers(pack, json, what), *b = NULL;
  cJSON *r = ft_response(pack, a, "2026-11-25T10:30:00Z");
  char *text = cJSON_Print(r), *ja, *jb, line[1024];
  cdg_outcome *oa = NULL, *ob = NULL;
  cdg_error err;
  size_t i;

  ft_assert_valid("QuestionnaireResponse", r, what);
  if (fhir_read_response(pack, text, strlen(text), what, &b, &err) != CDG_OK) {
    cdg_error_format(&err, line, sizeof line);
    fail_msg("%s: response not read back: %s", what, line);
  }
  ja = cdg_answers_to_json(a);
  jb = cdg_answers_to_json(b);
  if (strcmp(ja, jb) != 0)
    fail_msg("%s: answers changed: %s became %s", what, ja, jb);
  if (pack == ft_pack) {
    assert_int_equal(cdg_outcome_eval(pack, a, ft_ps, &oa, &err), CDG_OK);
    assert_int_equal(cdg_outcome_eval(pack, b, ft_ps, &ob, &err), CDG_OK);
    assert_int_equal(cdg_outcome_count(oa), cdg_outcome_count(ob));
    for (i = 0; i < cdg_outcome_count(oa); i++)
      assert_string_equal(cdg_outcome_passage(oa, i),
                          cdg_outcome_passage(ob, i));
  }
  cdg_outcome_free(oa);
  cdg_outcome_free(ob);
  cdg_free(ja);
  cdg_free(jb);
  cJSON_free(text);
  cJSON_Delete(r);
  cdg_answers_free(a);
  cdg_answers_free(b);
}

static void test_round_trip(void **state) {
  static const char *const sets[] = {
      "{}",
      "{\"posture\": [\"not_sure\"]}",
      "{\"posture\": [\"anterocollis\"], \"age_group\": \"child\","
      " \"duration\": \"under_1_year\", \"treatments_tried\": [\"none\"]}",
      "{\"posture\": [\"retrocollis\", \"anterocollis\", \"torticollis\"],"
      " \"age_group\": \"adult\", \"duration\": \"1_to_5_years\","
      " \"treatments_tried\": [\"physiotherapy\", \"spasm_drugs\","
      " \"botulinum_toxin\", \"brain_surgery\"],"
      " \"outcome_physiotherapy\": \"not_helped\","
      " \"outcome_spasm_drugs\": \"partly_helped\","
      " \"outcome_botulinum_toxin\": \"ongoing\","
      " \"outcome_brain_surgery\": \"not_sure\"}",
      "{\"treatments_tried\": [\"spasm_drugs\"],"
      " \"outcome_spasm_drugs\": \"stopped_side_effects\"}",
  };
  DIR *d = opendir(CASES_DIR);
  struct dirent *de;
  size_t i, cases = 0;
  cdg_pack *p = ft_load_test_pack();

  (void)state;
  for (i = 0; i < sizeof sets / sizeof *sets; i++)
    S_round_trip(ft_pack, sets[i], sets[i]);
  S_round_trip(p,
               "{\"colour\": \"blue\", \"pets\": [\"cat\", \"dog\"],"
               " \"years\": 3, \"both\": \"yes\"}",
               "test pack, whole number");
  S_round_trip(p,
               "{\"colour\": \"red\", \"years\": 0.25,"
               " \"note\": \"caf\xc3\xa9 \\\"quoted\\\"\"}",
               "test pack, fraction and UTF-8 text");
  cdg_pack_free(p);
  if (!d)
    return; /* tests/cases/ not in this tree */
  while ((de = readdir(d))) {
    size_t n = strlen(de->d_name), len;
    char path[1024], *json;

    if (n < 13 || strcmp(de->d_name + n - 13, ".answers.json") != 0)
      continue;
    snprintf(path, sizeof path, "%s/%s", CASES_DIR, de->d_name);
    json = testfile_read(path, &len);
    assert_non_null(json);
    S_round_trip(ft_pack, json, de->d_name);
    free(json);
    cases++;
  }
  closedir(d);
  if (cases == 0)
    fail_msg("no *.answers.json in %s", CASES_DIR);
}

/* ---- Reading bad responses ----------------------------------------- */

static void test_read_errors(void **state) {
  static const struct {
    const char *json, *pointer, *message;
    cdg_status st;
  } bad[] = {
      {"{\"resourceType\": \"Questionnaire\"}", "/resourceType",
       "not a FHIR QuestionnaireResponse", CDG_ERR_ANSWER},
      {"{\"resourceType\": \"QuestionnaireResponse\", \"status\": "
       "\"completed\", \"questionnaire\": "
       "\"https://cdguide.invalid/fhir/Questionnaire/other|1.0.0\"}",
       "/questionnaire", "is not this pack's", CDG_ERR_ANSWER},
      {"{\"resourceType\": \"QuestionnaireResponse\", \"status\": "
       "\"completed\", \"questionnaire\": "
       "\"https://cdguide.invalid/fhir/Questionnaire/cervical-dystonia|"
       "0.0.1\"}",
       "/questionnaire", "answers version 0.0.1 of pack cervical-dystonia",
       CDG_ERR_ANSWER},
      {"{\"resourceType\": \"QuestionnaireResponse\", \"status\": "
       "\"entered-in-error\", \"questionnaire\": "
       "\"https://cdguide.invalid/fhir/Questionnaire/cervical-dystonia\"}",
       "/status", "entered in error", CDG_ERR_ANSWER},
      {"{\"resourceType\": \"QuestionnaireResponse\", \"status\": "
       "\"completed\", \"questionnaire\": "
       "\"https://cdguide.invalid/fhir/Questionnaire/cervical-dystonia\","
       " \"item\": [{\"linkId\": \"shoe_size\", \"answer\": "
       "[{\"valueInteger\": 9}]}]}",
       "/item/0", "item 'shoe_size': no such question", CDG_ERR_ANSWER},
      {"{\"resourceType\": \"QuestionnaireResponse\", \"status\": "
       "\"completed\", \"questionnaire\": "
       "\"https://cdguide.invalid/fhir/Questionnaire/cervical-dystonia\","
       " \"item\": [{\"linkId\": \"age_group\", \"answer\": "
       "[{\"valueString\": \"adult\"}]}]}",
       "/item/0/answer/0", "item 'age_group': the answer needs a valueCoding",
       CDG_ERR_ANSWER},
      {"{\"resourceType\": \"QuestionnaireResponse\", \"status\": "
       "\"completed\", \"questionnaire\": "
       "\"https://cdguide.invalid/fhir/Questionnaire/cervical-dystonia\","
       " \"item\": [{\"linkId\": \"age_group\", \"answer\": "
       "[{\"valueCoding\": {\"system\": \"http://snomed.info/sct\","
       " \"code\": \"adult\"}}]}]}",
       "/item/0/answer/0", "item 'age_group': code system is not",
       CDG_ERR_ANSWER},
      {"{\"resourceType\": \"QuestionnaireResponse\", \"status\": "
       "\"completed\", \"questionnaire\": "
       "\"https://cdguide.invalid/fhir/Questionnaire/cervical-dystonia\","
       " \"item\": [{\"linkId\": \"age_group\", \"answer\": "
       "[{\"valueCoding\": {\"code\": \"adult\"}}]},"
       " {\"linkId\": \"age_group\", \"answer\": "
       "[{\"valueCoding\": {\"code\": \"child\"}}]}]}",
       "/item/1", "item 'age_group' appears twice", CDG_ERR_ANSWER},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof bad / sizeof *bad; i++) {
    cdg_answers *a = (cdg_answers *)1;
    cdg_error err;
    cdg_status st = fhir_read_response(
        ft_pack, bad[i].json, strlen(bad[i].json), "qr.json", &a, &err);

    if (st != bad[i].st)
      fail_msg("%s: status %d, expected %d (%s)", bad[i].json, st, bad[i].st,
               err.message);
    assert_null(a);
    assert_string_equal(err.file, "qr.json");
    if (strcmp(err.pointer, bad[i].pointer) != 0)
      fail_msg("%s: pointer %s, expected %s", bad[i].json, err.pointer,
               bad[i].pointer);
    if (!strstr(err.message, bad[i].message))
      fail_msg("%s: message \"%s\" lacks \"%s\"", bad[i].json, err.message,
               bad[i].message);
  }
}

/* Errors the engine finds point at the response item, not our text. */
static void test_read_engine_errors(void **state) {
  static const struct {
    const char *items, *pointer, *qid;
  } bad[] = {
      /* an unknown option code */
      {"[{\"linkId\": \"age_group\", \"answer\": [{\"valueCoding\": "
       "{\"code\": \"teenager\"}}]}]",
       "/item/0", "age_group"},
      /* two answers to a single-choice question */
      {"[{\"linkId\": \"duration\", \"answer\": [{\"valueCoding\": "
       "{\"code\": \"not_sure\"}}, {\"valueCoding\": {\"code\": "
       "\"over_5_years\"}}]}]",
       "/item/0", "duration"},
      /* none with a treatment */
      {"[{\"linkId\": \"age_group\", \"answer\": [{\"valueCoding\": "
       "{\"code\": \"adult\"}}]}, {\"linkId\": \"treatments_tried\", "
       "\"answer\": [{\"valueCoding\": {\"code\": \"physiotherapy\"}}, "
       "{\"valueCoding\": {\"code\": \"none\"}}]}]",
       "/item/1", "treatments_tried"},
      /* an answer to a question its enable_when leaves disabled */
      {"[{\"linkId\": \"treatments_tried\", \"answer\": [{\"valueCoding\": "
       "{\"code\": \"physiotherapy\"}}]}, {\"linkId\": "
       "\"outcome_brain_surgery\", \"answer\": [{\"valueCoding\": "
       "{\"code\": \"helped\"}}]}]",
       "/item/1", "outcome_brain_surgery"},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof bad / sizeof *bad; i++) {
    char json[2048];
    cdg_answers *a = NULL;
    cdg_error err;
    cdg_status st;

    snprintf(json, sizeof json,
             "{\"resourceType\": \"QuestionnaireResponse\", \"status\": "
             "\"completed\", \"questionnaire\": "
             "\"https://cdguide.invalid/fhir/Questionnaire/"
             "cervical-dystonia\", \"item\": %s}",
             bad[i].items);
    st = fhir_read_response(ft_pack, json, strlen(json), "qr.json", &a, &err);
    if (st != CDG_ERR_ANSWER)
      fail_msg("%s: status %d, expected CDG_ERR_ANSWER", bad[i].items, st);
    assert_null(a);
    assert_string_equal(err.file, "qr.json");
    if (strncmp(err.pointer, bad[i].pointer, strlen(bad[i].pointer)) != 0)
      fail_msg("%s: pointer %s, expected %s...", bad[i].items, err.pointer,
               bad[i].pointer);
    {
      /* The position is that of the item named (or inside it): item k
      ** starts at the k-th {"linkId" of this one-line text. */
      const char *at = json;
      int k = bad[i].pointer[6] - '0';

      while (k-- >= 0)
        at = strstr(at + 1, "{\"linkId\"");
      assert_int_equal(err.line, 1);
      if (strcmp(err.pointer, bad[i].pointer) == 0)
        assert_int_equal(err.col - 1, at - json);
      else
        assert_true(err.col - 1 > at - json);
    }
    if (!strstr(err.message, bad[i].qid))
      fail_msg("%s: message \"%s\" does not name %s", bad[i].items, err.message,
               bad[i].qid);
  }
}

static void test_read_syntax(void **state) {
  static const char json[] = "{\"resourceType\":\n  \"QuestionnaireResponse\""
                             ",\n  \"status\": completed}";
  cdg_answers *a = NULL;
  cdg_error err;

  (void)state;
  assert_int_equal(
      fhir_read_response(ft_pack, json, strlen(json), "qr.json", &a, &err),
      CDG_ERR_SYNTAX);
  assert_null(a);
  assert_string_equal(err.file, "qr.json");
  assert_int_equal(err.line, 3);
  assert_true(err.col >= 13);
}

/* ---- The command ------------------------------------------------- */

/* run --answers takes a QuestionnaireResponse; --format fhir gives it
** back with the same items. */
static void test_cli_run(void **state) {
  cdg_answers *a =
      ft_answers(ft_pack,
                 "{\"posture\": [\"anterocollis\"], \"age_group\": \"adult\","
                 " \"duration\": \"under_1_year\","
                 " \"treatments_tried\": [\"spasm_drugs\"],"
                 " \"outcome_spasm_drugs\": \"not_helped\"}",
                 "cli answers");
  cJSON *r = ft_response(ft_pack, a, "2026-11-25T10:30:00Z"), *got;
  char file[] = "/tmp/cdg-fhir-qr-XXXXXX", cmd[512], *text, *out, *errout;
  int fd = mkstemp(file);
  FILE *f;

  (void)state;
  assert_true(fd >= 0);
  text = cJSON_Print(r);
  f = fdopen(fd, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
  snprintf(cmd, sizeof cmd,
           "SOURCE_DATE_EPOCH=0 " CDG_BINARY " run" PACK1_ARG " --answers %s "
           "--format fhir",
           file);
  if (ft_sh(cmd, &out, &errout) != 0)
    fail_msg("%s failed: %s", cmd, errout);
  got = cJSON_Parse(out);
  assert_non_null(got);
  ft_assert_valid("QuestionnaireResponse", got, cmd);
  assert_true(cJSON_Compare(ft_get(got, "item"), ft_get(r, "item"), 1));
  assert_string_equal(ft_s(got, "status"), "completed");
  assert_string_equal(ft_s(got, "authored"), "1970-01-01T00:00:00Z");
  cJSON_Delete(got);
  free(out);
  free(errout);

  /* a response to another version of the pack: exit 65, saying so */
  f = fopen(file, "w");
  assert_non_null(f);
  fputs("{\"resourceType\": \"QuestionnaireResponse\", \"status\": "
        "\"completed\", \"questionnaire\": "
        "\"https://cdguide.invalid/fhir/Questionnaire/cervical-dystonia|"
        "0.0.1\"}",
        f);
  fclose(f);
  snprintf(cmd, sizeof cmd, CDG_BINARY " run" PACK1_ARG " --answers %s", file);
  assert_int_equal(ft_sh(cmd, &out, &errout), 65);
  if (!strstr(errout, "version 0.0.1"))
    fail_msg("%s: stderr does not name the version: %s", cmd, errout);
  free(out);
  free(errout);
  unlink(file);
  cJSON_free(text);
  cJSON_Delete(r);
  cdg_answers_free(a);
}

/* ---- Allocation failures ------------------------------------------ */

/*
** Fail the n-th allocation, for every n, in each of the three entry
** points: each must either succeed (no allocation failed) or report out
** of memory; never succeed silently after a failure. Leaks show under
** ASan and valgrind.
*/
static void test_alloc_failures(void **state) {
  cdg_answers *a = ft_answers(
      ft_pack,
      "{\"posture\": [\"torticollis\"], \"age_group\": \"adult\","
      " \"duration\": \"over_5_years\", \"treatments_tried\":"
      " [\"botulinum_toxin\"], \"outcome_botulinum_toxin\": \"not_helped\"}",
      "alloc answers");
  cJSON *r = ft_response(ft_pack, a, "2026-11-25T10:30:00Z");
  char *qr = cJSON_Print(r);
  int nomem = cli_exit_code(CDG_ERR_NOMEM), saved, op;
  report_input in;

  (void)state;
  memset(&in, 0, sizeof in);
  in.pack = ft_pack;
  in.ps = ft_ps;
  in.answers = a;
  in.date = "2026-11-25T10:30:00Z";
  assert_non_null(qr);
  fflush(stderr);
  saved = dup(STDERR_FILENO);
  for (op = 0; op < 3; op++) {
    long n;

    for (n = 1;; n++) {
      FILE *out = fopen("/dev/null", "w");
      cdg_answers *b = NULL;
      cdg_error err;
      int failed;

      assert_non_null(out);
      freopen("/dev/null", "w", stderr);
      failalloc_start(n);
      if (op == 0)
        failed = fhir_write_questionnaire(out, ft_pack, ft_ps) == nomem;
      else if (op == 1)
        failed = report_write(out, CLI_FORMAT_FHIR, &in) == nomem;
      else
        failed = fhir_read_response(ft_pack, qr, strlen(qr), "qr.json", &b,
                                    &err) == CDG_ERR_NOMEM;
      failalloc_stop();
      fclose(out);
      cdg_answers_free(b);
      if (failalloc_count() < n) { /* nothing failed: this run must succeed */
        dup2(saved, STDERR_FILENO);
        if (failed)
          fail_msg("entry %d reports out of memory with none", op);
        break;
      }
      if (!failed) {
        dup2(saved, STDERR_FILENO);
        fail_msg("entry %d: allocation %ld failed, but it did not say so", op,
                 n);
      }
    }
  }
  dup2(saved, STDERR_FILENO);
  close(saved);
  cJSON_free(qr);
  cJSON_Delete(r);
  cdg_answers_free(a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_response),
      cmocka_unit_test(test_response_in_progress),
      cmocka_unit_test(test_response_number_text),
      cmocka_unit_test(test_round_trip),
      cmocka_unit_test(test_read_errors),
      cmocka_unit_test(test_read_engine_errors),
      cmocka_unit_test(test_read_syntax),
      cmocka_unit_test(test_alloc_failures),
      cmocka_unit_test(test_cli_run),
  };

  return cmocka_run_group_tests(tests, ft_setup, ft_teardown);
}
