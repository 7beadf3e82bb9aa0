/*
** test_pack2.c: pack 2.0, the built-in pack (rules/packs/cervical-dystonia),
** which uses the integer and date types, run as a pack author would before
** shipping it: its invented patients through the library and the command
** line against their hand-written .expect files, every 1.0 case under 2.0
** with its 1.0 citations, and its FHIR Questionnaire and responses
** checked against the R4 schema and read back to the same report.
*/
#include <dirent.h>
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
#include "fhir/schema.h"
#include "fixture.h"
#include "testfile.h"

#define PACK2 CDG_SOURCE_DIR "/rules/packs/cervical-dystonia"
#define PACK1 CDG_SOURCE_DIR "/tests/fixtures/pack-1.0"
#define PATIENTS PACK2 "/patients"
#define CASES CDG_SOURCE_DIR "/tests/cases"
#define SCHEMA_FILE CDG_SOURCE_DIR "/tests/fhir/fhir.schema.json"

static cdg_pack *S_pack;
static cdg_passages *S_ps;

static int S_setup(void **state) {
  cdg_error err;
  char line[1024];

  (void)state;
  if (cdg_pack_load_dir(PACK2, &S_pack, &err) != CDG_OK ||
      cdg_passages_builtin(&S_ps, &err) != CDG_OK) {
    cdg_error_format(&err, line, sizeof line);
    fprintf(stderr, "%s\n", line);
    return -1;
  }
  return 0;
}

static int S_teardown(void **state) {
  (void)state;
  cdg_pack_free(S_pack);
  cdg_passages_free(S_ps);
  return 0;
}

/* Calls f(dir, name without ".answers.json") for each answers file in
** dir; returns how many. */
static size_t S_each(const char *dir, void (*f)(const char *, const char *)) {
  DIR *d = opendir(dir);
  struct dirent *de;
  size_t n = 0;

  assert_non_null(d);
  while ((de = readdir(d))) {
    size_t len = strlen(de->d_name);
    char stem[512];

    if (len < 13 || strcmp(de->d_name + len - 13, ".answers.json") != 0)
      continue;
    snprintf(stem, sizeof stem, "%.*s", (int)(len - 13), de->d_name);
    f(dir, stem);
    n++;
  }
  closedir(d);
  return n;
}

/* The .expect file of stem: passage ids, a line each, as one string of
** "id\n" lines. */
static char *S_expect(const char *dir, const char *stem) {
  char path[1024];

  snprintf(path, sizeof path, "%s/%s.expect", dir, stem);
  return testfile_read(path, NULL);
}

/* Library: parse, evaluate, compare the cited ids with the .expect. */
static void S_library(const char *dir, const char *stem) {
  char path[1024], line[1024], got[4096] = "", *json, *want;
  cdg_answers *a = NULL;
  cdg_outcome *o = NULL;
  cdg_error err;
  size_t len, i;

  snprintf(path, sizeof path, "%s/%s.answers.json", dir, stem);
  json = testfile_read(path, &len);
  if (cdg_answers_parse(S_pack, json, len, path, &a, &err) != CDG_OK ||
      cdg_outcome_eval(S_pack, a, S_ps, &o, &err) != CDG_OK) {
    cdg_error_format(&err, line, sizeof line);
    fail_msg("%s under 2.0: %s", stem, line);
  }
  for (i = 0; i < cdg_outcome_count(o); i++) {
    strcat(got, cdg_outcome_passage(o, i));
    strcat(got, "\n");
  }
  want = S_expect(dir, stem);
  if (strcmp(got, want) != 0)
    fail_msg("%s: cites\n%swant\n%s", stem, got, want);
  free(want);
  cdg_outcome_free(o);
  cdg_answers_free(a);
  free(json);
}

static void test_patients_library(void **state) {
  (void)state;
  assert_true(S_each(PATIENTS, S_library) >= 20);
}

/* Every 1.0 case is valid under 2.0 and cites what it cites under 1.0. */
static void test_v1_cases_library(void **state) {
  (void)state;
  assert_true(S_each(CASES, S_library) >= 10);
}

/* The output of a shell command (exit 0 required); caller frees. */
static char *S_sh(const char *cmd) {
  FILE *p = popen(cmd, "r");
  char *buf = NULL;
  size_t len = 0, n;
  char chunk[4096];
  int rc;

  assert_non_null(p);
  while ((n = fread(chunk, 1, sizeof chunk, p)) > 0) {
    buf = realloc(buf, len + n + 1);
    assert_non_null(buf);
    memcpy(buf + len, chunk, n);
    len += n;
  }
  rc = pclose(p);
  if (!WIFEXITED(rc) || WEXITSTATUS(rc) != 0)
    fail_msg("exit %d: %s", WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, cmd);
  if (!buf)
    buf = calloc(1, 1);
  buf[len] = '\0';
  return buf;
}

/* The JSON report of answers file path under pack 2.0. */
static cJSON *S_report(const char *path) {
  char cmd[2048], *out;
  cJSON *j;

  snprintf(cmd, sizeof cmd, "'%s' run --pack '%s' --answers '%s' "
           "--format json", CDG_BINARY, PACK2, path);
  out = S_sh(cmd);
  j = cJSON_Parse(out);
  if (!j)
    fail_msg("not JSON: %s", out);
  free(out);
  return j;
}

/* The .expect's ids in report order: the passages of the pack's closing
** section ("Your responsibility") moved last. */
static char *S_report_order(char *want) {
  char *out = calloc(1, strlen(want) + 1), *line, *save = NULL;
  char closing[4096] = "";

  assert_non_null(out);
  for (line = strtok_r(want, "\n", &save); line;
       line = strtok_r(NULL, "\n", &save)) {
    long i = cdg_passages_find(S_ps, line);
    char *to;

    assert_true(i >= 0);
    to = strcmp(cdg_passage_section(S_ps, (size_t)i),
                "Your responsibility") == 0
             ? closing
             : out;
    strcat(to, line);
    strcat(to, "\n");
  }
  strcat(out, closing);
  free(want);
  return out;
}

/* The ids of the passages report r cites, "id\n" each, into out. */
static void S_cited(const cJSON *r, char *out) {
  const cJSON *p;

  out[0] = '\0';
  cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(r, "passages")) {
    strcat(out, cJSON_GetObjectItemCaseSensitive(p, "id")->valuestring);
    strcat(out, "\n");
  }
}

/* The JSON review of session DIR/s.jsonl under the pack in pack. */
static cJSON *S_review(const char *dir, const char *pack) {
  char cmd[4096], *out;
  cJSON *r;

  snprintf(cmd, sizeof cmd, "'%s' review '%s/s.jsonl' --pack '%s' "
           "--format json", CDG_BINARY, dir, pack);
  out = S_sh(cmd);
  r = cJSON_Parse(out);
  if (!r)
    fail_msg("not JSON: %s", out);
  free(out);
  return r;
}

/* Command line: the JSON report cites the .expect, in report order. */
static void S_cli(const char *dir, const char *stem) {
  char path[1024], got[4096], *want;
  cJSON *r;

  snprintf(path, sizeof path, "%s/%s.answers.json", dir, stem);
  r = S_report(path);
  S_cited(r, got);
  want = S_report_order(S_expect(dir, stem));
  if (strcmp(got, want) != 0)
    fail_msg("%s (command line): cites\n%swant\n%s", stem, got, want);
  free(want);
  cJSON_Delete(r);
}

static void test_patients_cli(void **state) {
  (void)state;
  assert_true(S_each(PATIENTS, S_cli) >= 20);
}

static schema *S_schema;

/* FHIR: the response is valid R4 and, read back as answers, gives the same
** answers and passages in the JSON report. */
static void S_fhir(const char *dir, const char *stem) {
  char path[1024], cmd[2048], tmp[] = "/tmp/cdg-pack2-XXXXXX", msg[1024];
  char *out;
  cJSON *resp, *r1, *r2;
  int fd;
  FILE *f;

  snprintf(path, sizeof path, "%s/%s.answers.json", dir, stem);
  snprintf(cmd, sizeof cmd, "'%s' run --pack '%s' --answers '%s' "
           "--format fhir", CDG_BINARY, PACK2, path);
  out = S_sh(cmd);
  resp = cJSON_Parse(out);
  assert_non_null(resp);
  if (schema_check(S_schema, "QuestionnaireResponse", resp, msg, sizeof msg))
    fail_msg("%s: response not valid R4: %s", stem, msg);
  fd = mkstemp(tmp);
  assert_true(fd >= 0);
  f = fdopen(fd, "w");
  assert_non_null(f);
  fputs(out, f);
  fclose(f);
  r1 = S_report(path);
  r2 = S_report(tmp);
  unlink(tmp);
  fixture_same_report(r1, r2, stem); /* through FHIR and back */
  cJSON_Delete(r1);
  cJSON_Delete(r2);
  cJSON_Delete(resp);
  free(out);
}

/* The item with this linkId, anywhere in the tree of items. */
static const cJSON *S_find(const cJSON *items, const char *id) {
  const cJSON *it, *l, *sub;

  cJSON_ArrayForEach(it, items) {
    l = cJSON_GetObjectItemCaseSensitive(it, "linkId");
    if (cJSON_IsString(l) && strcmp(l->valuestring, id) == 0)
      return it;
    if ((sub = S_find(cJSON_GetObjectItemCaseSensitive(it, "item"), id)))
      return sub;
  }
  return NULL;
}

static void test_fhir(void **state) {
  char cmd[2048], msg[1024], *out;
  cJSON *q;
  const cJSON *it;

  (void)state;
  S_schema = schema_load(SCHEMA_FILE, msg, sizeof msg);
  if (!S_schema)
    fail_msg("schema: %s", msg);
  snprintf(cmd, sizeof cmd, "'%s' export-fhir --pack '%s'", CDG_BINARY,
           PACK2);
  out = S_sh(cmd);
  q = cJSON_Parse(out);
  assert_non_null(q);
  if (schema_check(S_schema, "Questionnaire", q, msg, sizeof msg))
    fail_msg("Questionnaire of 2.0 not valid R4: %s", msg);
  it = S_find(cJSON_GetObjectItemCaseSensitive(q, "item"),
              "botulinum_toxin_cycles");
  assert_non_null(it);
  assert_string_equal(cJSON_GetObjectItemCaseSensitive(it, "type")->valuestring,
                      "integer");
  it = S_find(cJSON_GetObjectItemCaseSensitive(q, "item"),
              "botulinum_toxin_last_given");
  assert_non_null(it);
  assert_string_equal(cJSON_GetObjectItemCaseSensitive(it, "type")->valuestring,
                      "date");
  assert_true(S_each(PATIENTS, S_fhir) >= 20);
  cJSON_Delete(q);
  free(out);
  schema_free(S_schema);
}

/* A 1.0 session, saved as the questionnaire saves it (a journal) and in
** format 1, is read by 2.0 ("reads_versions") and gives 1.0's citations;
** a session of a version not listed is still refused, unchanged. */
static void test_reads_1_0_sessions(void **state) {
  char dir[] = "/tmp/cdg-pack2-XXXXXX", cmd[4096], path[1200];
  char *before, *after, got[4096], want[4096];
  cJSON *r;
  FILE *f;
  int rc;

  (void)state;
  assert_non_null(mkdtemp(dir));
  /* Under the 1.0 pack: posture retrocollis, adult, 1-5 years, nothing
  ** tried; then confirm. */
  snprintf(cmd, sizeof cmd,
           "printf '1\\n2\\n2\\n5\\n\\n' | '%s' --pack '%s' "
           "--session '%s/s.jsonl' >/dev/null 2>&1",
           CDG_BINARY, PACK1, dir);
  assert_int_equal(system(cmd), 0);
  r = S_review(dir, PACK2);
  S_cited(r, got);
  cJSON_Delete(r);
  /* The same under 1.0 itself (the 1.0 pack, kept as a fixture). */
  r = S_review(dir, PACK1);
  S_cited(r, want);
  cJSON_Delete(r);
  assert_true(want[0] != '\0');
  assert_string_equal(got, want);

  /* Format 1, and a version the pack does not list (left unchanged). */
  snprintf(path, sizeof path, "%s/old.json", dir);
  f = fopen(path, "w");
  assert_non_null(f);
  fputs("{\"cdguide_session\": 1, \"pack\": {\"id\": \"cervical-dystonia\","
        " \"version\": \"1.0.0\"}, \"answers\": {\"age_group\": "
        "\"adult\"}}",
        f);
  fclose(f);
  snprintf(cmd, sizeof cmd, "'%s' review '%s' --pack '%s' >/dev/null",
           CDG_BINARY, path, PACK2);
  assert_int_equal(system(cmd), 0);
  f = fopen(path, "w");
  assert_non_null(f);
  fputs("{\"cdguide_session\": 1, \"pack\": {\"id\": \"cervical-dystonia\","
        " \"version\": \"0.9.0\"}, \"answers\": {}}",
        f);
  fclose(f);
  before = testfile_read(path, NULL);
  snprintf(cmd, sizeof cmd, "'%s' resume '%s' --pack '%s' </dev/null "
           ">/dev/null 2>&1", CDG_BINARY, path, PACK2);
  rc = system(cmd);
  assert_true(WIFEXITED(rc) && WEXITSTATUS(rc) == 65);
  after = testfile_read(path, NULL);
  assert_string_equal(before, after);
  free(before);
  free(after);
  testfile_rmtree(dir);
}

/* The questionnaire asks an integer and a date question, refuses what
** they cannot take with the question and the reason, and saves what
** they can. Input is piped: posture, two optional details skipped, adult,
** 1-5 years, botulinum toxin, "did not help", products skipped, then the
** number of rounds and, after three skipped details, the date. */
static void test_prompt(void **state) {
  char dir[] = "/tmp/cdg-pack2-XXXXXX", cmd[4096], *out;
  cJSON *r, *a;
  int cycles = 0, last = 0;

  (void)state;
  assert_non_null(mkdtemp(dir));
  snprintf(cmd, sizeof cmd,
           "printf '1\\n\\n\\n2\\n2\\n3\\n3\\n\\n2.5\\n0\\n12\\n\\n\\n\\n\\n"
           "2019-02-30\\n2999\\n04/2019\\n2019-04\\n\\n\\n\\n' | "
           "NO_COLOR=1 '%s' --pack '%s' --session '%s/s.jsonl' 2>&1",
           CDG_BINARY, PACK2, dir);
  out = S_sh(cmd);
  assert_non_null(strstr(out, "(a whole number from 1 to 200)"));
  assert_non_null(strstr(out, "(botulinum_toxin_cycles): 2.5 is not a whole "
                              "number"));
  assert_non_null(strstr(out, "(botulinum_toxin_cycles): 0 is below the "
                              "minimum 1"));
  assert_non_null(strstr(out, "(a date: a year, 2019; a month, 2019-04; or "
                              "a day, 2019-04-23)"));
  assert_non_null(strstr(out, "\"2019-02-30\" is not a date it can take: "
                              "that day does not exist in that month"));
  assert_non_null(strstr(out, "\"2999\" is not a date it can take: the "
                              "date is in the future"));
  assert_non_null(strstr(out, "\"04/2019\" is not a date it can take: a "
                              "date is a year"));
  free(out);
  r = S_review(dir, PACK2);
  cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(r, "answers")) {
    const char *id = cJSON_GetObjectItemCaseSensitive(a, "id")->valuestring;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(a, "value");

    if (strcmp(id, "botulinum_toxin_cycles") == 0)
      cycles = cJSON_IsNumber(v) && v->valuedouble == 12;
    if (strcmp(id, "botulinum_toxin_last_given") == 0)
      last = cJSON_IsString(v) && strcmp(v->valuestring, "2019-04") == 0;
  }
  assert_true(cycles);
  assert_true(last);
  cJSON_Delete(r);
  testfile_rmtree(dir);
}

/* The property the pack states (property.json): proved over every answer
** path; a weaker statement of it (a stopped medicine left out) fails with
** a witness. */
static void S_property(const char *drop, size_t *findings,
                       const char **first) {
  char *text = testfile_read(PACK2 "/property.json", NULL), *iff;
  cJSON *prop = cJSON_Parse(text), *ors, *c, *next;
  const char *ids[8];
  size_t n = 0;
  cdg_lint *lint = NULL;
  cdg_error err;
  static char msg[1024];

  assert_non_null(prop);
  cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(prop, "passages"))
    ids[n++] = c->valuestring;
  ors = cJSON_GetObjectItemCaseSensitive(
      cJSON_GetObjectItemCaseSensitive(prop, "iff"), "or");
  for (c = ors->child; drop && c; c = next) {
    char *one = cJSON_PrintUnformatted(c);

    next = c->next;
    if (strstr(one, drop))
      cJSON_Delete(cJSON_DetachItemViaPointer(ors, c));
    cJSON_free(one);
  }
  iff = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(prop, "iff"));
  assert_int_equal(cdg_lint_check_cites(S_pack, S_ps, "denervation", ids, n,
                                        iff, &lint, &err),
                   CDG_OK);
  *findings = cdg_lint_count(lint);
  snprintf(msg, sizeof msg, "%s",
           *findings ? cdg_lint_error(lint, 0)->message : "");
  *first = msg;
  cdg_lint_free(lint);
  cJSON_free(iff);
  cJSON_Delete(prop);
  free(text);
}

static void test_property(void **state) {
  size_t findings;
  const char *first;

  (void)state;
  S_property(NULL, &findings, &first);
  if (findings)
    fail_msg("the stated property is not proved: %s", first);
  /* One finding for each of the four passages. */
  S_property("spasm_drugs_stop_levodopa", &findings, &first);
  assert_int_equal(findings, 4);
  /* The witness (cut in the message) takes levodopa. */
  assert_non_null(strstr(first, "\"levodopa\""));
  assert_non_null(strstr(first, "cited where it does not hold"));
}

/* A QuestionnaireResponse of 1.0 is read by the built-in 2.0, which reads
** 1.0, and cites what it cites under 1.0; one naming 0.9.0 is refused. */
static void test_reads_1_0_responses(void **state) {
  char cmd[4096], path[] = "/tmp/cdg-pack2-qr-XXXXXX", *out, *v1, *v2;
  cJSON *r;
  int fd, rc;
  FILE *f;

  (void)state;
  snprintf(cmd, sizeof cmd, "'%s' run --pack '%s' --answers '%s' "
           "--format fhir", CDG_BINARY, PACK1,
           CASES "/case-01-adult-botox-not-helped.answers.json");
  out = S_sh(cmd);
  assert_non_null(strstr(out, "cervical-dystonia|1.0.0"));
  assert_true((fd = mkstemp(path)) >= 0);
  assert_non_null(f = fdopen(fd, "w"));
  fputs(out, f);
  fclose(f);
  r = S_report(path); /* under the built-in 2.0 */
  v2 = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(r, "passages"));
  cJSON_Delete(r);
  snprintf(cmd, sizeof cmd, "'%s' run --pack '%s' --answers '%s' "
           "--format json", CDG_BINARY, PACK1, path);
  free(out);
  out = S_sh(cmd);
  r = cJSON_Parse(out);
  v1 = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(r, "passages"));
  assert_string_equal(v1, v2);
  cJSON_Delete(r);
  cJSON_free(v1);
  cJSON_free(v2);
  free(out);
  /* The same response claiming 0.9.0: refused, exit 65. */
  snprintf(cmd, sizeof cmd, "sed -i 's/cervical-dystonia|1.0.0/"
           "cervical-dystonia|0.9.0/' '%s' && '%s' run --answers '%s' "
           ">/dev/null 2>&1", path, CDG_BINARY, path);
  rc = system(cmd);
  assert_true(WIFEXITED(rc) && WEXITSTATUS(rc) == 65);
  unlink(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_patients_library),
      cmocka_unit_test(test_v1_cases_library),
      cmocka_unit_test(test_patients_cli),
      cmocka_unit_test(test_fhir),
      cmocka_unit_test(test_reads_1_0_sessions),
      cmocka_unit_test(test_reads_1_0_responses),
      cmocka_unit_test(test_prompt),
      cmocka_unit_test(test_property),
  };

  return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
