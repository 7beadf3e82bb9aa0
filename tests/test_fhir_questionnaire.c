/*
** test_fhir_questionnaire.c: the FHIR R4 Questionnaire cdguide writes.
**
** Every resource is checked against the official FHIR R4 JSON schema
** (tests/fhir/fhir.schema.json) by the small checker in tests/fhir/schema.c
** (itself tested first), and then for the properties the schema cannot
** see (linkIds, codes, enableWhen, repeats), written here by hand from
** the question contract in DESIGN.md.
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

/* ---- The checker itself -------------------------------------------- */

static void test_pattern_translation(void **state) {
  char ere[256];

  (void)state;
  assert_int_equal(
      schema_pattern_to_ere("^[A-Za-z0-9\\-\\.]{1,64}$", ere, sizeof ere), 0);
  assert_string_equal(ere, "^[A-Za-z0-9.-]{1,64}$");
  assert_int_equal(schema_pattern_to_ere("^[ \\r\\n\\t\\S]+$", ere, sizeof ere),
                   0);
  assert_string_equal(ere, "^[^\f\v]+$");
  assert_int_equal(schema_pattern_to_ere("^\\S*$", ere, sizeof ere), 0);
  assert_string_equal(ere, "^[^ \t\n\r\f\v]*$");
  assert_int_equal(
      schema_pattern_to_ere("^[^\\s]+(\\s[^\\s]+)*$", ere, sizeof ere), 0);
  assert_string_equal(ere, "^[^ \t\n\r\f\v]+([ \t\n\r\f\v][^ \t\n\r\f\v]+)*$");
  assert_int_equal(schema_pattern_to_ere("\\bword", ere, sizeof ere), -1);
}

/* Small resources with one known fault each: the checker must see it. */
static void test_checker_rejects(void **state) {
  static const struct {
    const char *def, *json, *where;
  } bad[] = {
      {"Questionnaire",
       "{\"resourceType\":\"Questionnaire\","
       "\"status\":\"final\"}",
       "/status"},
      {"Questionnaire",
       "{\"resourceType\":\"Questionnaire\","
       "\"status\":\"active\",\"colour\":\"red\"}",
       "/"},
      {"Questionnaire",
       "{\"resourceType\":\"Questionnaire\","
       "\"status\":\"active\",\"url\":\"a b\"}",
       "/url"},
      {"Questionnaire", "{\"status\":\"active\"}", "/"},
      {"Questionnaire",
       "{\"resourceType\":\"Questionnaire\","
       "\"status\":\"active\",\"item\":{}}",
       "/item"},
      {"Questionnaire",
       "{\"resourceType\":\"Questionnaire\","
       "\"status\":\"active\",\"item\":[{\"linkId\":\"a\","
       "\"type\":\"choice\",\"repeats\":\"yes\"}]}",
       "/item/0/repeats"},
      {"Questionnaire",
       "{\"resourceType\":\"Questionnaire\","
       "\"status\":\"active\",\"item\":[{\"linkId\":\"a\","
       "\"type\":\"choice\",\"enableWhen\":[{\"question\":"
       "\"b\",\"operator\":\"in\"}]}]}",
       "/item/0/enableWhen/0/operator"},
      {"QuestionnaireResponse",
       "{\"resourceType\":\"QuestionnaireResponse\","
       "\"status\":\"completed\",\"authored\":"
       "\"25/11/2026\"}",
       "/authored"},
      {"QuestionnaireResponse",
       "{\"resourceType\":\"QuestionnaireResponse\","
       "\"status\":\"done\"}",
       "/status"},
      {"QuestionnaireResponse",
       "{\"resourceType\":\"QuestionnaireResponse\",\"status\":\"completed\","
       "\"contained\":[{\"resourceType\":\"Nonsense\"}]}",
       "/contained/0"},
      {"QuestionnaireResponse",
       "{\"resourceType\":\"QuestionnaireResponse\",\"status\":\"completed\","
       "\"item\":[{\"linkId\":\"a\",\"answer\":[{\"valueCode\":\"x\"}]}]}",
       "/item/0/answer/0"},
  };
  static const char good[] =
      "{\"resourceType\":\"QuestionnaireResponse\",\"status\":\"completed\","
      "\"authored\":\"2026-11-25T10:00:00Z\",\"contained\":[{\"resourceType\":"
      "\"Patient\",\"id\":\"p1\"}],\"item\":[{\"linkId\":\"a\",\"answer\":"
      "[{\"valueCoding\":{\"system\":\"https://x.invalid/a\",\"code\":\"b\"}}"
      "]}]}";
  size_t i;
  char msg[1024];

  (void)state;
  for (i = 0; i < sizeof bad / sizeof *bad; i++) {
    cJSON *j = cJSON_Parse(bad[i].json);

    assert_non_null(j);
    if (schema_check(ft_schema, bad[i].def, j, msg, sizeof msg) == 0)
      fail_msg("checker accepted %s", bad[i].json);
    if (strncmp(msg, bad[i].where, strlen(bad[i].where)) != 0 ||
        msg[strlen(bad[i].where)] != ':')
      fail_msg("error for %s is at the wrong place: %s (expected %s)",
               bad[i].json, msg, bad[i].where);
    cJSON_Delete(j);
  }
  {
    cJSON *j = cJSON_Parse(good);

    ft_assert_valid("QuestionnaireResponse", j, good);
    cJSON_Delete(j);
  }
}

/* ---- Questionnaire of the built-in pack ---------------------------- */

static const char *const S_ids[] = {"posture",
                                    "age_group",
                                    "duration",
                                    "treatments_tried",
                                    "outcome_physiotherapy",
                                    "outcome_spasm_drugs",
                                    "outcome_botulinum_toxin",
                                    "outcome_brain_surgery"};
static const char *const S_treatments[] = {"physiotherapy", "spasm_drugs",
                                           "botulinum_toxin", "brain_surgery"};

static void S_assert_codes(const cJSON *item, const char *const *codes,
                           size_t n) {
  const cJSON *opts = ft_get(item, "answerOption"), *o;
  size_t i = 0;

  assert_int_equal(cJSON_GetArraySize(opts), n);
  cJSON_ArrayForEach(o, opts) {
    const cJSON *c = ft_get(o, "valueCoding");
    char system[256];

    snprintf(system, sizeof system, BASE "/CodeSystem/cervical-dystonia/%s",
             ft_s(item, "linkId"));
    if (!ft_s(c, "code") || strcmp(ft_s(c, "code"), codes[i]) != 0)
      fail_msg("%s: option %zu is %s, expected %s", ft_s(item, "linkId"), i,
               ft_s(c, "code"), codes[i]);
    assert_string_equal(ft_s(c, "system"), system);
    assert_non_null(ft_s(c, "display"));
    i++;
  }
}

static void test_questionnaire(void **state) {
  static const char *const posture[] = {"retrocollis", "anterocollis",
                                        "torticollis", "not_sure"};
  static const char *const age[] = {"child", "adult"};
  static const char *const duration[] = {"under_1_year", "1_to_5_years",
                                         "over_5_years", "not_sure"};
  static const char *const tried[] = {"physiotherapy", "spasm_drugs",
                                      "botulinum_toxin", "brain_surgery",
                                      "none"};
  static const char *const outcome[] = {"helped",     "partly_helped",
                                        "not_helped", "stopped_side_effects",
                                        "ongoing",    "not_sure"};
  cJSON *q = ft_run(ft_wq, ft_pack, NULL);
  const cJSON *items = ft_get(q, "item"), *it, *none;
  size_t i = 0;

  (void)state;
  ft_assert_valid("Questionnaire", q, "the built-in pack's Questionnaire");
  assert_string_equal(ft_s(q, "resourceType"), "Questionnaire");
  assert_string_equal(ft_s(q, "url"), BASE "/Questionnaire/cervical-dystonia");
  assert_string_equal(ft_s(q, "version"), cdg_pack_version(ft_pack));
  assert_string_equal(ft_s(q, "name"), "CervicalDystonia");
  assert_string_equal(ft_s(q, "title"), cdg_pack_title(ft_pack));
  assert_string_equal(ft_s(q, "status"), "active");
  {
    char *all = cJSON_PrintUnformatted(q);

    assert_non_null(all);
    if (strstr(all, "nice.org"))
      fail_msg("the Questionnaire names a NICE address it cannot verify");
    cJSON_free(all);
  }

  /* linkIds are the question ids, in pack order */
  assert_int_equal(cJSON_GetArraySize(items), 8);
  cJSON_ArrayForEach(it, items) {
    const cJSON *rep = ft_get(it, "repeats");
    int multi = i == 0 || i == 3;

    if (strcmp(ft_s(it, "linkId"), S_ids[i]) != 0)
      fail_msg("item %zu has linkId %s, expected %s", i, ft_s(it, "linkId"),
               S_ids[i]);
    assert_string_equal(ft_s(it, "type"), "choice");
    assert_true(cJSON_IsTrue(ft_get(it, "required")));
    if (multi != cJSON_IsTrue(rep))
      fail_msg("%s: repeats is %s", S_ids[i], multi ? "missing" : "set");
    i++;
  }
  S_assert_codes(ft_item(items, "posture"), posture, 4);
  S_assert_codes(ft_item(items, "age_group"), age, 2);
  S_assert_codes(ft_item(items, "duration"), duration, 4);
  S_assert_codes(ft_item(items, "treatments_tried"), tried, 5);

  /* "none" may not be combined: optionExclusive */
  none = cJSON_GetArrayItem(
      ft_get(ft_item(items, "treatments_tried"), "answerOption"), 4);
  assert_true(cJSON_IsTrue(
      ft_get(ft_ext(none, "http://hl7.org/fhir/StructureDefinition/"
                          "questionnaire-optionExclusive"),
             "valueBoolean")));

  /* the first four are always enabled */
  for (i = 0; i < 4; i++) {
    assert_null(ft_get(ft_item(items, S_ids[i]), "enableWhen"));
    assert_null(ft_ext(ft_item(items, S_ids[i]),
                       BASE "/StructureDefinition/enable-when-jsonlogic"));
  }
  /* outcome_<t>: enabled when treatments_tried = t */
  for (i = 0; i < 4; i++) {
    const cJSON *o = ft_item(items, S_ids[4 + i]);
    const cJSON *ew = ft_get(o, "enableWhen");
    const cJSON *w = cJSON_GetArrayItem(ew, 0);
    const cJSON *c = ft_get(w, "answerCoding");

    S_assert_codes(o, outcome, 6);
    if (cJSON_GetArraySize(ew) != 1)
      fail_msg("%s: %d enableWhen, expected 1", S_ids[4 + i],
               cJSON_GetArraySize(ew));
    assert_string_equal(ft_s(w, "question"), "treatments_tried");
    assert_string_equal(ft_s(w, "operator"), "=");
    assert_string_equal(ft_s(c, "system"),
                        BASE "/CodeSystem/cervical-dystonia/treatments_tried");
    assert_string_equal(ft_s(c, "code"), S_treatments[i]);
    assert_null(ft_get(o, "enableBehavior"));
  }

  /* help texts: display items with the "help" item control */
  cJSON_ArrayForEach(it, items) {
    const char *help =
        cdg_question_help(cdg_pack_find_question(ft_pack, ft_s(it, "linkId")));
    const cJSON *h = cJSON_GetArrayItem(ft_get(it, "item"), 0);
    const cJSON *coding;

    if (!help[0]) {
      assert_null(h);
      continue;
    }
    assert_non_null(h);
    assert_string_equal(ft_s(h, "type"), "display");
    assert_string_equal(ft_s(h, "text"), help);
    coding = cJSON_GetArrayItem(
        ft_get(ft_get(ft_ext(h, "http://hl7.org/fhir/StructureDefinition/"
                                "questionnaire-itemControl"),
                      "valueCodeableConcept"),
               "coding"),
        0);
    assert_string_equal(ft_s(coding, "system"),
                        "http://hl7.org/fhir/questionnaire-item-control");
    assert_string_equal(ft_s(coding, "code"), "help");
  }

  /* the guidance is identified by title and SHA-256, never by a URL */
  {
    const cJSON *src = ft_ext(q, BASE "/StructureDefinition/guidance-source");

    assert_non_null(src);
    assert_string_equal(ft_s(ft_ext(src, "sha256"), "valueString"),
                        cdg_passages_source_sha256(ft_ps));
    assert_string_equal(ft_s(ft_ext(src, "title"), "valueString"),
                        cdg_pack_source_title(ft_pack));
  }
  cJSON_Delete(q);
}

static void test_questionnaire_conditions(void **state) {
  cdg_pack *p = ft_load_test_pack();
  char *warn = NULL;
  cJSON *q = ft_run(ft_wq, p, &warn);
  const cJSON *items = ft_get(q, "item"), *ew, *e;

  (void)state;
  ft_assert_valid("Questionnaire", q, "the test pack's Questionnaire");
  assert_string_equal(ft_s(q, "status"), "draft"); /* pre-release version */
  assert_string_equal(ft_s(ft_item(items, "years"), "type"), "decimal");
  assert_string_equal(ft_s(ft_item(items, "note"), "type"), "string");
  assert_true(cJSON_IsFalse(ft_get(ft_item(items, "years"), "required")));
  assert_null(ft_get(ft_item(items, "colour"), "repeats"));
  assert_true(cJSON_IsTrue(ft_get(ft_item(items, "pets"), "repeats")));
  e = ft_ext(ft_item(items, "years"),
             "http://hl7.org/fhir/StructureDefinition/maxValue");
  assert_non_null(e);
  assert_true(ft_get(e, "valueDecimal")->valuedouble == 120);
  /* min only: no maxValue, which would read 0 and refuse every score */
  e = ft_ext(ft_item(items, "score"),
             "http://hl7.org/fhir/StructureDefinition/minValue");
  assert_non_null(e);
  assert_true(ft_get(e, "valueDecimal")->valuedouble == 0);
  assert_null(ft_ext(ft_item(items, "score"),
                     "http://hl7.org/fhir/StructureDefinition/maxValue"));

  /* or of == and in: enableBehavior any */
  ew = ft_get(ft_item(items, "note"), "enableWhen");
  assert_int_equal(cJSON_GetArraySize(ew), 2);
  assert_string_equal(ft_s(ft_item(items, "note"), "enableBehavior"), "any");
  assert_string_equal(ft_s(cJSON_GetArrayItem(ew, 0), "question"), "colour");
  assert_string_equal(
      ft_s(ft_get(cJSON_GetArrayItem(ew, 0), "answerCoding"), "code"), "red");
  assert_string_equal(ft_s(cJSON_GetArrayItem(ew, 1), "question"), "pets");
  assert_string_equal(
      ft_s(ft_get(cJSON_GetArrayItem(ew, 1), "answerCoding"), "code"), "dog");
  assert_string_equal(ft_s(ft_item(items, "both"), "enableBehavior"), "all");

  /* ">" on a number: JsonLogic in our extension, and a warning */
  assert_null(ft_get(ft_item(items, "older"), "enableWhen"));
  e = ft_ext(ft_item(items, "older"),
             BASE "/StructureDefinition/enable-when-jsonlogic");
  assert_non_null(e);
  {
    cJSON *logic = cJSON_Parse(ft_s(e, "valueString"));
    cJSON *want = cJSON_Parse("{\">\": [{\"var\": \"years\"}, 17]}");

    assert_true(cJSON_Compare(logic, want, 1));
    cJSON_Delete(logic);
    cJSON_Delete(want);
  }
  if (!strstr(warn, "warning: question 'older'"))
    fail_msg("no warning naming 'older' on stderr: %s", warn);
  if (strstr(warn, "'note'") || strstr(warn, "'both'"))
    fail_msg("warning for an expressible condition: %s", warn);
  free(warn);
  cJSON_Delete(q);
  cdg_pack_free(p);
}

/* ---- The command ------------------------------------------------- */

/* export-fhir prints what fhir_write_questionnaire writes. */
static void test_cli_export(void **state) {
  char *out, *errout;
  cJSON *got, *want = ft_run(ft_wq, ft_pack, NULL);

  (void)state;
  if (ft_sh(CDG_BINARY " export-fhir" PACK1_ARG, &out, &errout) != 0)
    fail_msg("cdguide export-fhir failed: %s", errout);
  got = cJSON_Parse(out);
  assert_non_null(got);
  ft_assert_valid("Questionnaire", got, "cdguide export-fhir");
  assert_true(cJSON_Compare(got, want, 1));
  assert_string_equal(errout, ""); /* no warning for the 1.0 pack */
  cJSON_Delete(got);
  cJSON_Delete(want);
  free(out);
  free(errout);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_pattern_translation),
      cmocka_unit_test(test_checker_rejects),
      cmocka_unit_test(test_questionnaire),
      cmocka_unit_test(test_questionnaire_conditions),
      cmocka_unit_test(test_cli_export),
  };

  return cmocka_run_group_tests(tests, ft_setup, ft_teardown);
}
