/*
** test_fhir.c: the FHIR R4 Questionnaire and QuestionnaireResponse.
**
** Every resource cdguide writes is checked against the official FHIR R4
** JSON schema (tests/fhir/fhir.schema.json) by the small checker in
** tests/fhir/schema.c, and then for the properties the schema cannot see
** (linkIds, codes, enableWhen, repeats), written here by hand from the
** question contract in DESIGN.md. Answers go through a response and back
** unchanged, citing the same passages, for every answers file in
** tests/cases/ and a hand-written set.
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

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "cdg_rules.h"
#include "fixture.h"
#include "cli.h"
#include "failalloc.h"
#include "fhir.h"
#include "fhir/schema.h"
#include "report.h"
#include "testfile.h"

#define BASE "https://cdguide.invalid/fhir"
#define SCHEMA_FILE CDG_SOURCE_DIR "/tests/fhir/fhir.schema.json"
#define CASES_DIR CDG_SOURCE_DIR "/tests/cases"

static schema *S_schema;
static cdg_pack *S_pack;
static cdg_passages *S_ps;

/* ---- Helpers ------------------------------------------------------- */

/* Run a writer into memory; returns the parsed JSON, the text in *text
** (free) and what went to stderr in *errout (free) if asked. */
typedef int (*writer)(FILE *out, const void *arg);

static int S_wq(FILE *out, const void *arg) {
  return fhir_write_questionnaire(out, arg, S_ps);
}

static int S_wr(FILE *out, const void *arg) {
  return report_write(out, CLI_FORMAT_FHIR, arg);
}

static cJSON *S_run(writer w, const void *arg, char **errout) {
  char *buf = NULL, *ebuf = NULL;
  size_t len = 0, elen = 0;
  FILE *out = open_memstream(&buf, &len);
  FILE *err = tmpfile();
  int saved = dup(STDERR_FILENO), rc;
  cJSON *j;

  assert_non_null(out);
  assert_non_null(err);
  fflush(stderr);
  dup2(fileno(err), STDERR_FILENO);
  rc = w(out, arg);
  fflush(stderr);
  dup2(saved, STDERR_FILENO);
  close(saved);
  fclose(out);
  elen = (size_t)ftell(err);
  ebuf = calloc(1, elen + 1);
  assert_non_null(ebuf);
  rewind(err);
  assert_int_equal(fread(ebuf, 1, elen, err), elen);
  fclose(err);
  if (rc != 0)
    fail_msg("writer returned %d; stderr: %s", rc, ebuf);
  j = cJSON_Parse(buf);
  if (!j)
    fail_msg("writer output is not JSON:\n%s", buf);
  free(buf);
  if (errout)
    *errout = ebuf;
  else
    free(ebuf);
  return j;
}

static void S_assert_valid(const char *def, const cJSON *j, const char *what) {
  char msg[1024];

  if (schema_check(S_schema, def, j, msg, sizeof msg) != 0)
    fail_msg("%s is not a valid FHIR R4 %s: %s", what, def, msg);
}

static const cJSON *S_get(const cJSON *o, const char *k) {
  return cJSON_GetObjectItemCaseSensitive(o, k);
}

static const char *S_s(const cJSON *o, const char *k) {
  const cJSON *v = S_get(o, k);

  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The item with linkId id in array items, or fail. */
static const cJSON *S_item(const cJSON *items, const char *id) {
  const cJSON *it;

  cJSON_ArrayForEach(it, items) {
    const char *l = S_s(it, "linkId");

    if (l && strcmp(l, id) == 0)
      return it;
  }
  fail_msg("no item with linkId %s", id);
  return NULL;
}

/* The extension with this url in o.extension, or NULL. */
static const cJSON *S_ext(const cJSON *o, const char *url) {
  const cJSON *e;

  cJSON_ArrayForEach(e, S_get(o, "extension")) {
    const char *u = S_s(e, "url");

    if (u && strcmp(u, url) == 0)
      return e;
  }
  return NULL;
}

static cdg_answers *S_answers(const cdg_pack *pack, const char *json,
                              const char *what) {
  cdg_answers *a = NULL;
  cdg_error err;
  char line[1024];

  if (cdg_answers_parse(pack, json, strlen(json), what, &a, &err) !=
      CDG_OK) {
    cdg_error_format(&err, line, sizeof line);
    fail_msg("answers %s rejected: %s", what, line);
  }
  return a;
}

/* ---- The checker itself -------------------------------------------- */

static void test_pattern_translation(void **state) {
  char ere[256];

  (void)state;
  assert_int_equal(
      schema_pattern_to_ere("^[A-Za-z0-9\\-\\.]{1,64}$", ere, sizeof ere),
      0);
  assert_string_equal(ere, "^[A-Za-z0-9.-]{1,64}$");
  assert_int_equal(schema_pattern_to_ere("^[ \\r\\n\\t\\S]+$", ere,
                                         sizeof ere),
                   0);
  assert_string_equal(ere, "^[^\f\v]+$");
  assert_int_equal(schema_pattern_to_ere("^\\S*$", ere, sizeof ere), 0);
  assert_string_equal(ere, "^[^ \t\n\r\f\v]*$");
  assert_int_equal(
      schema_pattern_to_ere("^[^\\s]+(\\s[^\\s]+)*$", ere, sizeof ere), 0);
  assert_string_equal(ere,
                      "^[^ \t\n\r\f\v]+([ \t\n\r\f\v][^ \t\n\r\f\v]+)*$");
  assert_int_equal(schema_pattern_to_ere("\\bword", ere, sizeof ere), -1);
}

/* Small resources with one known fault each: the checker must see it. */
static void test_checker_rejects(void **state) {
  static const struct {
    const char *def, *json, *where;
  } bad[] = {
      {"Questionnaire", "{\"resourceType\":\"Questionnaire\","
                        "\"status\":\"final\"}", "/status"},
      {"Questionnaire", "{\"resourceType\":\"Questionnaire\","
                        "\"status\":\"active\",\"colour\":\"red\"}", "/"},
      {"Questionnaire", "{\"resourceType\":\"Questionnaire\","
                        "\"status\":\"active\",\"url\":\"a b\"}", "/url"},
      {"Questionnaire", "{\"status\":\"active\"}", "/"},
      {"Questionnaire", "{\"resourceType\":\"Questionnaire\","
                        "\"status\":\"active\",\"item\":{}}", "/item"},
      {"Questionnaire", "{\"resourceType\":\"Questionnaire\","
                        "\"status\":\"active\",\"item\":[{\"linkId\":\"a\","
                        "\"type\":\"choice\",\"repeats\":\"yes\"}]}",
       "/item/0/repeats"},
      {"Questionnaire", "{\"resourceType\":\"Questionnaire\","
                        "\"status\":\"active\",\"item\":[{\"linkId\":\"a\","
                        "\"type\":\"choice\",\"enableWhen\":[{\"question\":"
                        "\"b\",\"operator\":\"in\"}]}]}",
       "/item/0/enableWhen/0/operator"},
      {"QuestionnaireResponse", "{\"resourceType\":\"QuestionnaireResponse\","
                                "\"status\":\"completed\",\"authored\":"
                                "\"25/11/2026\"}", "/authored"},
      {"QuestionnaireResponse", "{\"resourceType\":\"QuestionnaireResponse\","
                                "\"status\":\"done\"}", "/status"},
      {"QuestionnaireResponse",
       "{\"resourceType\":\"QuestionnaireResponse\",\"status\":\"completed\","
       "\"contained\":[{\"resourceType\":\"Nonsense\"}]}", "/contained/0"},
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
    if (schema_check(S_schema, bad[i].def, j, msg, sizeof msg) == 0)
      fail_msg("checker accepted %s", bad[i].json);
    if (strncmp(msg, bad[i].where, strlen(bad[i].where)) != 0 ||
        msg[strlen(bad[i].where)] != ':')
      fail_msg("error for %s is at the wrong place: %s (expected %s)",
               bad[i].json, msg, bad[i].where);
    cJSON_Delete(j);
  }
  {
    cJSON *j = cJSON_Parse(good);

    S_assert_valid("QuestionnaireResponse", j, good);
    cJSON_Delete(j);
  }
}

/* ---- Questionnaire of the built-in pack ---------------------------- */

static const char *const S_ids[] = {
    "posture",          "age_group",
    "duration",         "treatments_tried",
    "outcome_physiotherapy", "outcome_spasm_drugs",
    "outcome_botulinum_toxin", "outcome_brain_surgery"};
static const char *const S_treatments[] = {"physiotherapy", "spasm_drugs",
                                           "botulinum_toxin", "brain_surgery"};

static void S_assert_codes(const cJSON *item, const char *const *codes,
                           size_t n) {
  const cJSON *opts = S_get(item, "answerOption"), *o;
  size_t i = 0;

  assert_int_equal(cJSON_GetArraySize(opts), n);
  cJSON_ArrayForEach(o, opts) {
    const cJSON *c = S_get(o, "valueCoding");
    char system[256];

    snprintf(system, sizeof system, BASE "/CodeSystem/cervical-dystonia/%s",
             S_s(item, "linkId"));
    if (!S_s(c, "code") || strcmp(S_s(c, "code"), codes[i]) != 0)
      fail_msg("%s: option %zu is %s, expected %s", S_s(item, "linkId"), i,
               S_s(c, "code"), codes[i]);
    assert_string_equal(S_s(c, "system"), system);
    assert_non_null(S_s(c, "display"));
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
  static const char *const outcome[] = {"helped", "partly_helped",
                                        "not_helped", "stopped_side_effects",
                                        "ongoing", "not_sure"};
  cJSON *q = S_run(S_wq, S_pack, NULL);
  const cJSON *items = S_get(q, "item"), *it, *none;
  size_t i = 0;

  (void)state;
  S_assert_valid("Questionnaire", q, "the built-in pack's Questionnaire");
  assert_string_equal(S_s(q, "resourceType"), "Questionnaire");
  assert_string_equal(S_s(q, "url"), BASE "/Questionnaire/cervical-dystonia");
  assert_string_equal(S_s(q, "version"), cdg_pack_version(S_pack));
  assert_string_equal(S_s(q, "name"), "CervicalDystonia");
  assert_string_equal(S_s(q, "title"), cdg_pack_title(S_pack));
  assert_string_equal(S_s(q, "status"), "active");
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
    const cJSON *rep = S_get(it, "repeats");
    int multi = i == 0 || i == 3;

    if (strcmp(S_s(it, "linkId"), S_ids[i]) != 0)
      fail_msg("item %zu has linkId %s, expected %s", i, S_s(it, "linkId"),
               S_ids[i]);
    assert_string_equal(S_s(it, "type"), "choice");
    assert_true(cJSON_IsTrue(S_get(it, "required")));
    if (multi != cJSON_IsTrue(rep))
      fail_msg("%s: repeats is %s", S_ids[i], multi ? "missing" : "set");
    i++;
  }
  S_assert_codes(S_item(items, "posture"), posture, 4);
  S_assert_codes(S_item(items, "age_group"), age, 2);
  S_assert_codes(S_item(items, "duration"), duration, 4);
  S_assert_codes(S_item(items, "treatments_tried"), tried, 5);

  /* "none" may not be combined: optionExclusive */
  none = cJSON_GetArrayItem(S_get(S_item(items, "treatments_tried"),
                                  "answerOption"), 4);
  assert_true(cJSON_IsTrue(S_get(
      S_ext(none, "http://hl7.org/fhir/StructureDefinition/"
                  "questionnaire-optionExclusive"),
      "valueBoolean")));

  /* the first four are always enabled */
  for (i = 0; i < 4; i++) {
    assert_null(S_get(S_item(items, S_ids[i]), "enableWhen"));
    assert_null(S_ext(S_item(items, S_ids[i]),
                      BASE "/StructureDefinition/enable-when-jsonlogic"));
  }
  /* outcome_<t>: enabled when treatments_tried = t */
  for (i = 0; i < 4; i++) {
    const cJSON *o = S_item(items, S_ids[4 + i]);
    const cJSON *ew = S_get(o, "enableWhen");
    const cJSON *w = cJSON_GetArrayItem(ew, 0);
    const cJSON *c = S_get(w, "answerCoding");

    S_assert_codes(o, outcome, 6);
    if (cJSON_GetArraySize(ew) != 1)
      fail_msg("%s: %d enableWhen, expected 1", S_ids[4 + i],
               cJSON_GetArraySize(ew));
    assert_string_equal(S_s(w, "question"), "treatments_tried");
    assert_string_equal(S_s(w, "operator"), "=");
    assert_string_equal(S_s(c, "system"),
                        BASE "/CodeSystem/cervical-dystonia/treatments_tried");
    assert_string_equal(S_s(c, "code"), S_treatments[i]);
    assert_null(S_get(o, "enableBehavior"));
  }

  /* help texts: display items with the "help" item control */
  cJSON_ArrayForEach(it, items) {
    const char *help =
        cdg_question_help(cdg_pack_find_question(S_pack, S_s(it, "linkId")));
    const cJSON *h = cJSON_GetArrayItem(S_get(it, "item"), 0);
    const cJSON *coding;

    if (!help[0]) {
      assert_null(h);
      continue;
    }
    assert_non_null(h);
    assert_string_equal(S_s(h, "type"), "display");
    assert_string_equal(S_s(h, "text"), help);
    coding = cJSON_GetArrayItem(
        S_get(S_get(S_ext(h, "http://hl7.org/fhir/StructureDefinition/"
                             "questionnaire-itemControl"),
                    "valueCodeableConcept"),
              "coding"),
        0);
    assert_string_equal(S_s(coding, "system"),
                        "http://hl7.org/fhir/questionnaire-item-control");
    assert_string_equal(S_s(coding, "code"), "help");
  }

  /* the guidance is identified by title and SHA-256, never by a URL */
  {
    const cJSON *src =
        S_ext(q, BASE "/StructureDefinition/guidance-source");

    assert_non_null(src);
    assert_string_equal(S_s(S_ext(src, "sha256"), "valueString"),
                        cdg_passages_source_sha256(S_ps));
    assert_string_equal(S_s(S_ext(src, "title"), "valueString"),
                        cdg_pack_source_title(S_pack));
  }
  cJSON_Delete(q);
}

/* ---- A pack with numbers, text and conditions FHIR cannot say ------ */

static const char S_test_pack[] =
    "{\"id\": \"fhir-test\", \"version\": \"2.0.0-rc.1\", \"title\": \"T\",\n"
    " \"source\": {\"title\": \"S\", \"publisher\": \"P\",\n"
    "  \"sha256\": \"00000000000000000000000000000000"
    "00000000000000000000000000000000\"},\n"
    " \"questions\": [\n"
    "  {\"id\": \"colour\", \"type\": \"single\", \"text\": \"Colour?\",\n"
    "   \"options\": [{\"code\": \"red\", \"label\": \"Red\"},\n"
    "               {\"code\": \"blue\", \"label\": \"Blue\"}]},\n"
    "  {\"id\": \"pets\", \"type\": \"multi\", \"text\": \"Pets?\",\n"
    "   \"options\": [{\"code\": \"cat\", \"label\": \"Cat\"},\n"
    "               {\"code\": \"dog\", \"label\": \"Dog\"}]},\n"
    "  {\"id\": \"years\", \"type\": \"number\", \"text\": \"Years?\",\n"
    "   \"min\": 0, \"max\": 120, \"required\": false},\n"
    "  {\"id\": \"score\", \"type\": \"number\", \"text\": \"Score?\",\n"
    "   \"min\": 0, \"required\": false},\n"
    "  {\"id\": \"note\", \"type\": \"text\", \"text\": \"Note?\",\n"
    "   \"required\": false,\n"
    "   \"enable_when\": {\"or\": [\n"
    "     {\"==\": [{\"var\": \"colour\"}, \"red\"]},\n"
    "     {\"in\": [\"dog\", {\"var\": \"pets\"}]}]}},\n"
    "  {\"id\": \"both\", \"type\": \"single\", \"text\": \"Both?\",\n"
    "   \"required\": false,\n"
    "   \"enable_when\": {\"and\": [{\"in\": [\"cat\", {\"var\": \"pets\"}]},\n"
    "                             {\"in\": [\"dog\", {\"var\": \"pets\"}]}]},\n"
    "   \"options\": [{\"code\": \"yes\", \"label\": \"Yes\"}]},\n"
    "  {\"id\": \"older\", \"type\": \"single\", \"text\": \"Older?\",\n"
    "   \"required\": false,\n"
    "   \"enable_when\": {\">\": [{\"var\": \"years\"}, 17]},\n"
    "   \"options\": [{\"code\": \"yes\", \"label\": \"Yes\"}]}],\n"
    " \"rules\": [{\"id\": \"always\", \"when\": true,\n"
    "             \"cite\": [\"cd-what-it-is\"], \"because\": \"Always.\"}]}\n";

static cdg_pack *S_load_test_pack(void) {
  cdg_pack *p = NULL;
  cdg_error err;
  char line[1024];

  if (cdg_pack_load(S_test_pack, strlen(S_test_pack), "fhir-test.json", &p,
                    &err) != CDG_OK) {
    cdg_error_format(&err, line, sizeof line);
    fail_msg("test pack rejected: %s", line);
  }
  return p;
}

static void test_questionnaire_conditions(void **state) {
  cdg_pack *p = S_load_test_pack();
  char *warn = NULL;
  cJSON *q = S_run(S_wq, p, &warn);
  const cJSON *items = S_get(q, "item"), *ew, *e;

  (void)state;
  S_assert_valid("Questionnaire", q, "the test pack's Questionnaire");
  assert_string_equal(S_s(q, "status"), "draft"); /* pre-release version */
  assert_string_equal(S_s(S_item(items, "years"), "type"), "decimal");
  assert_string_equal(S_s(S_item(items, "note"), "type"), "string");
  assert_true(cJSON_IsFalse(S_get(S_item(items, "years"), "required")));
  assert_null(S_get(S_item(items, "colour"), "repeats"));
  assert_true(cJSON_IsTrue(S_get(S_item(items, "pets"), "repeats")));
  e = S_ext(S_item(items, "years"),
            "http://hl7.org/fhir/StructureDefinition/maxValue");
  assert_non_null(e);
  assert_true(S_get(e, "valueDecimal")->valuedouble == 120);
  /* min only: no maxValue, which would read 0 and refuse every score */
  e = S_ext(S_item(items, "score"),
            "http://hl7.org/fhir/StructureDefinition/minValue");
  assert_non_null(e);
  assert_true(S_get(e, "valueDecimal")->valuedouble == 0);
  assert_null(S_ext(S_item(items, "score"),
                    "http://hl7.org/fhir/StructureDefinition/maxValue"));

  /* or of == and in: enableBehavior any */
  ew = S_get(S_item(items, "note"), "enableWhen");
  assert_int_equal(cJSON_GetArraySize(ew), 2);
  assert_string_equal(S_s(S_item(items, "note"), "enableBehavior"), "any");
  assert_string_equal(S_s(cJSON_GetArrayItem(ew, 0), "question"), "colour");
  assert_string_equal(
      S_s(S_get(cJSON_GetArrayItem(ew, 0), "answerCoding"), "code"), "red");
  assert_string_equal(S_s(cJSON_GetArrayItem(ew, 1), "question"), "pets");
  assert_string_equal(
      S_s(S_get(cJSON_GetArrayItem(ew, 1), "answerCoding"), "code"), "dog");
  assert_string_equal(S_s(S_item(items, "both"), "enableBehavior"), "all");

  /* ">" on a number: JsonLogic in our extension, and a warning */
  assert_null(S_get(S_item(items, "older"), "enableWhen"));
  e = S_ext(S_item(items, "older"),
            BASE "/StructureDefinition/enable-when-jsonlogic");
  assert_non_null(e);
  {
    cJSON *logic = cJSON_Parse(S_s(e, "valueString"));
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

/* ---- Responses ----------------------------------------------------- */

static cJSON *S_response(const cdg_pack *pack, const cdg_answers *a,
                         const char *date) {
  report_input in;

  memset(&in, 0, sizeof in);
  in.pack = pack;
  in.ps = S_ps;
  in.answers = a;
  in.date = date;
  in.width = 80;
  return S_run(S_wr, &in, NULL);
}

static void test_response(void **state) {
  cdg_answers *a = S_answers(
      S_pack,
      "{\"posture\": [\"torticollis\", \"retrocollis\"],"
      " \"age_group\": \"adult\", \"duration\": \"over_5_years\","
      " \"treatments_tried\": [\"physiotherapy\", \"botulinum_toxin\"],"
      " \"outcome_physiotherapy\": \"helped\","
      " \"outcome_botulinum_toxin\": \"stopped_side_effects\"}",
      "complete answers");
  cJSON *r = S_response(S_pack, a, "2026-11-25T10:30:00Z");
  const cJSON *items = S_get(r, "item"), *ans, *rep, *e;
  char canonical[256];
  cdg_outcome *o = NULL;
  cdg_error err;
  size_t n = 0;
  const char *last = "";

  (void)state;
  S_assert_valid("QuestionnaireResponse", r, "a complete response");
  snprintf(canonical, sizeof canonical,
           BASE "/Questionnaire/cervical-dystonia|%s",
           cdg_pack_version(S_pack));
  assert_string_equal(S_s(r, "questionnaire"), canonical);
  assert_string_equal(S_s(r, "status"), "completed");
  assert_string_equal(S_s(r, "authored"), "2026-11-25T10:30:00Z");
  assert_int_equal(cJSON_GetArraySize(items), 6);

  /* multi answers in option order, each a valueCoding of the question */
  ans = S_get(S_item(items, "posture"), "answer");
  assert_int_equal(cJSON_GetArraySize(ans), 2);
  assert_string_equal(
      S_s(S_get(cJSON_GetArrayItem(ans, 0), "valueCoding"), "code"),
      "retrocollis");
  assert_string_equal(
      S_s(S_get(cJSON_GetArrayItem(ans, 1), "valueCoding"), "code"),
      "torticollis");
  assert_string_equal(
      S_s(S_get(cJSON_GetArrayItem(ans, 1), "valueCoding"), "system"),
      BASE "/CodeSystem/cervical-dystonia/posture");
  ans = S_get(S_item(items, "outcome_botulinum_toxin"), "answer");
  assert_string_equal(
      S_s(S_get(cJSON_GetArrayItem(ans, 0), "valueCoding"), "code"),
      "stopped_side_effects");
  assert_string_equal(S_s(S_item(items, "age_group"), "text"),
                      cdg_question_text(
                          cdg_pack_find_question(S_pack, "age_group")));

  /* the report extension lists the cited passages, as the outcome does */
  rep = S_ext(r, BASE "/StructureDefinition/cdguide-report");
  assert_non_null(rep);
  assert_int_equal(
      cdg_outcome_eval(S_pack, a, S_ps, &o, &err), CDG_OK);
  /* in source order, except that "Your responsibility" comes last, as in
  ** every other report */
  cJSON_ArrayForEach(e, S_get(rep, "extension")) {
    const char *id = S_s(S_ext(e, "id"), "valueCode");
    long k;

    if (strcmp(S_s(e, "url"), "passage") != 0)
      continue;
    assert_non_null(id);
    assert_true(cdg_outcome_cites(o, id));
    k = cdg_passages_find(S_ps, id);
    assert_string_equal(S_s(S_ext(e, "text"), "valueString"),
                        cdg_passage_text(S_ps, (size_t)k));
    assert_string_equal(S_s(S_ext(e, "section"), "valueString"),
                        cdg_passage_section(S_ps, (size_t)k));
    if (n > 0 && strcmp(last, "your-responsibility") == 0)
      fail_msg("passage %s comes after your-responsibility", id);
    if (n > 0 && strcmp(id, "your-responsibility") != 0 &&
        cdg_passages_find(S_ps, last) > k)
      fail_msg("passage %s comes after %s, against source order", id, last);
    last = id;
    n++;
  }
  assert_int_equal(n, cdg_outcome_count(o));
  assert_string_equal(last, "your-responsibility");
  /* side effects were recorded: the Yellow Card passage is cited */
  assert_true(cdg_outcome_cites(o, "adverse-events-yellow-card"));
  assert_non_null(S_s(S_ext(rep, "notice"), "valueString"));
  cdg_outcome_free(o);
  cJSON_Delete(r);
  cdg_answers_free(a);
}

static void test_response_in_progress(void **state) {
  cdg_answers *a = S_answers(S_pack, "{\"age_group\": \"child\"}",
                             "one answer");
  cJSON *r = S_response(S_pack, a, "2026-11-25");

  (void)state;
  S_assert_valid("QuestionnaireResponse", r, "an in-progress response");
  assert_string_equal(S_s(r, "status"), "in-progress");
  assert_int_equal(cJSON_GetArraySize(S_get(r, "item")), 1);
  cJSON_Delete(r);
  cdg_answers_free(a);
  a = S_answers(S_pack, "{}", "no answers");
  r = S_response(S_pack, a, NULL);
  S_assert_valid("QuestionnaireResponse", r, "an empty response");
  assert_null(S_get(r, "authored"));
  cJSON_Delete(r);
  cdg_answers_free(a);
}

static void test_response_number_text(void **state) {
  cdg_pack *p = S_load_test_pack();
  cdg_answers *a = S_answers(
      p, "{\"colour\": \"red\", \"pets\": [\"dog\"], \"years\": 12.5,"
         " \"note\": \"tilts when tired\"}",
      "number and text");
  cJSON *r = S_response(p, a, "2026-11-25T10:30:00+01:00");
  const cJSON *v;

  (void)state;
  S_assert_valid("QuestionnaireResponse", r, "the test pack's response");
  v = cJSON_GetArrayItem(S_get(S_item(S_get(r, "item"), "years"), "answer"),
                         0);
  assert_true(S_get(v, "valueDecimal")->valuedouble == 12.5);
  v = cJSON_GetArrayItem(S_get(S_item(S_get(r, "item"), "note"), "answer"),
                         0);
  assert_string_equal(S_s(v, "valueString"), "tilts when tired");
  cJSON_Delete(r);
  cdg_answers_free(a);
  cdg_pack_free(p);
}

/* ---- Round trip ---------------------------------------------------- */

/* answers -> response -> answers: the same answers, the same passages. */
static void S_round_trip(const cdg_pack *pack, const char *json,
                         const char *what) {
  cdg_answers *a = S_answers(pack, json, what), *b = NULL;
  cJSON *r = S_response(pack, a, "2026-11-25T10:30:00Z");
  char *text = cJSON_Print(r), *ja, *jb, line[1024];
  cdg_outcome *oa = NULL, *ob = NULL;
  cdg_error err;
  size_t i;

  S_assert_valid("QuestionnaireResponse", r, what);
  if (fhir_read_response(pack, text, strlen(text), what, &b, &err) !=
      CDG_OK) {
    cdg_error_format(&err, line, sizeof line);
    fail_msg("%s: response not read back: %s", what, line);
  }
  ja = cdg_answers_to_json(a);
  jb = cdg_answers_to_json(b);
  if (strcmp(ja, jb) != 0)
    fail_msg("%s: answers changed: %s became %s", what, ja, jb);
  if (pack == S_pack) {
    assert_int_equal(cdg_outcome_eval(pack, a, S_ps, &oa, &err), CDG_OK);
    assert_int_equal(cdg_outcome_eval(pack, b, S_ps, &ob, &err), CDG_OK);
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
  cdg_pack *p = S_load_test_pack();

  (void)state;
  for (i = 0; i < sizeof sets / sizeof *sets; i++)
    S_round_trip(S_pack, sets[i], sets[i]);
  S_round_trip(p, "{\"colour\": \"blue\", \"pets\": [\"cat\", \"dog\"],"
                  " \"years\": 3, \"both\": \"yes\"}",
               "test pack, whole number");
  S_round_trip(p, "{\"colour\": \"red\", \"years\": 0.25,"
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
    S_round_trip(S_pack, json, de->d_name);
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
    cdg_status st = fhir_read_response(S_pack, bad[i].json,
                                       strlen(bad[i].json), "qr.json", &a,
                                       &err);

    if (st != bad[i].st)
      fail_msg("%s: status %d, expected %d (%s)", bad[i].json, st,
               bad[i].st, err.message);
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
    st = fhir_read_response(S_pack, json, strlen(json), "qr.json", &a, &err);
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
      fail_msg("%s: message \"%s\" does not name %s", bad[i].items,
               err.message, bad[i].qid);
  }
}

static void test_read_syntax(void **state) {
  static const char json[] = "{\"resourceType\":\n  \"QuestionnaireResponse\""
                             ",\n  \"status\": completed}";
  cdg_answers *a = NULL;
  cdg_error err;

  (void)state;
  assert_int_equal(fhir_read_response(S_pack, json, strlen(json), "qr.json",
                                      &a, &err),
                   CDG_ERR_SYNTAX);
  assert_null(a);
  assert_string_equal(err.file, "qr.json");
  assert_int_equal(err.line, 3);
  assert_true(err.col >= 13);
}

/* ---- The commands -------------------------------------------------- */

/* Run a shell command line; its stdout in *out (free), exit status back. */
static int S_sh(const char *cmd, char **out, char **errout) {
  char line[4096], ofile[] = "/tmp/cdg-fhir-out-XXXXXX",
                   efile[] = "/tmp/cdg-fhir-err-XXXXXX";
  int fo = mkstemp(ofile), fe = mkstemp(efile), st;
  size_t len;

  assert_true(fo >= 0 && fe >= 0);
  close(fo);
  close(fe);
  snprintf(line, sizeof line, "%s >%s 2>%s", cmd, ofile, efile);
  st = system(line);
  assert_true(st != -1 && WIFEXITED(st));
  *out = testfile_read(ofile, &len);
  assert_non_null(*out);
  *errout = testfile_read(efile, &len);
  assert_non_null(*errout);
  unlink(ofile);
  unlink(efile);
  return WEXITSTATUS(st);
}

/* The command-line tests use the pack these tests load (the 1.0 fixture);
** the built-in 2.0's Questionnaire is checked by test_pack2. */
#define PACK1_ARG " --pack '" CDG_SOURCE_DIR "/tests/fixtures/pack-1.0'"

/* export-fhir prints what fhir_write_questionnaire writes. */
static void test_cli_export(void **state) {
  char *out, *errout;
  cJSON *got, *want = S_run(S_wq, S_pack, NULL);

  (void)state;
  if (S_sh(CDG_BINARY " export-fhir" PACK1_ARG, &out, &errout) != 0)
    fail_msg("cdguide export-fhir failed: %s", errout);
  got = cJSON_Parse(out);
  assert_non_null(got);
  S_assert_valid("Questionnaire", got, "cdguide export-fhir");
  assert_true(cJSON_Compare(got, want, 1));
  assert_string_equal(errout, ""); /* no warning for the 1.0 pack */
  cJSON_Delete(got);
  cJSON_Delete(want);
  free(out);
  free(errout);
}

/* run --answers takes a QuestionnaireResponse; --format fhir gives it
** back with the same items. */
static void test_cli_run(void **state) {
  cdg_answers *a = S_answers(
      S_pack,
      "{\"posture\": [\"anterocollis\"], \"age_group\": \"adult\","
      " \"duration\": \"under_1_year\","
      " \"treatments_tried\": [\"spasm_drugs\"],"
      " \"outcome_spasm_drugs\": \"not_helped\"}",
      "cli answers");
  cJSON *r = S_response(S_pack, a, "2026-11-25T10:30:00Z"), *got;
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
  if (S_sh(cmd, &out, &errout) != 0)
    fail_msg("%s failed: %s", cmd, errout);
  got = cJSON_Parse(out);
  assert_non_null(got);
  S_assert_valid("QuestionnaireResponse", got, cmd);
  assert_true(cJSON_Compare(S_get(got, "item"), S_get(r, "item"), 1));
  assert_string_equal(S_s(got, "status"), "completed");
  assert_string_equal(S_s(got, "authored"), "1970-01-01T00:00:00Z");
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
  assert_int_equal(S_sh(cmd, &out, &errout), 65);
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
  cdg_answers *a = S_answers(
      S_pack,
      "{\"posture\": [\"torticollis\"], \"age_group\": \"adult\","
      " \"duration\": \"over_5_years\", \"treatments_tried\":"
      " [\"botulinum_toxin\"], \"outcome_botulinum_toxin\": \"not_helped\"}",
      "alloc answers");
  cJSON *r = S_response(S_pack, a, "2026-11-25T10:30:00Z");
  char *qr = cJSON_Print(r);
  int nomem = cli_exit_code(CDG_ERR_NOMEM), saved, op;
  report_input in;

  (void)state;
  memset(&in, 0, sizeof in);
  in.pack = S_pack;
  in.ps = S_ps;
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
        failed = fhir_write_questionnaire(out, S_pack, S_ps) == nomem;
      else if (op == 1)
        failed = report_write(out, CLI_FORMAT_FHIR, &in) == nomem;
      else
        failed = fhir_read_response(S_pack, qr, strlen(qr), "qr.json", &b,
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
        fail_msg("entry %d: allocation %ld failed, but it did not say so",
                 op, n);
      }
    }
  }
  dup2(saved, STDERR_FILENO);
  close(saved);
  cJSON_free(qr);
  cJSON_Delete(r);
  cdg_answers_free(a);
}

/* ---- Setup --------------------------------------------------------- */

static int S_setup(void **state) {
  char msg[512];
  cdg_error err;

  (void)state;
  S_schema = schema_load(SCHEMA_FILE, msg, sizeof msg);
  if (!S_schema) {
    fprintf(stderr, "%s\n", msg);
    return -1;
  }
  if (fixture_pack1(&S_pack, &err) != CDG_OK ||
      cdg_passages_builtin(&S_ps, &err) != CDG_OK) {
    fprintf(stderr, "built-in pack or passages: %s\n", err.message);
    return -1;
  }
  return 0;
}

static int S_teardown(void **state) {
  (void)state;
  schema_free(S_schema);
  cdg_pack_free(S_pack);
  cdg_passages_free(S_ps);
  return 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_pattern_translation),
      cmocka_unit_test(test_checker_rejects),
      cmocka_unit_test(test_questionnaire),
      cmocka_unit_test(test_questionnaire_conditions),
      cmocka_unit_test(test_response),
      cmocka_unit_test(test_response_in_progress),
      cmocka_unit_test(test_response_number_text),
      cmocka_unit_test(test_round_trip),
      cmocka_unit_test(test_read_errors),
      cmocka_unit_test(test_read_engine_errors),
      cmocka_unit_test(test_read_syntax),
      cmocka_unit_test(test_alloc_failures),
      cmocka_unit_test(test_cli_export),
      cmocka_unit_test(test_cli_run),
  };

  return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
