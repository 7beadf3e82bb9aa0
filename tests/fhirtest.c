/*
** fhirtest.c: what the FHIR test programs share (fhirtest.h).
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

#define SCHEMA_FILE CDG_SOURCE_DIR "/tests/fhir/fhir.schema.json"

schema *ft_schema;
cdg_pack *ft_pack;
cdg_passages *ft_ps;

int ft_wq(FILE *out, const void *arg) {
  return fhir_write_questionnaire(out, arg, ft_ps);
}

int ft_wr(FILE *out, const void *arg) {
  return report_write(out, CLI_FORMAT_FHIR, arg);
}

cJSON *ft_run(ft_writer w, const void *arg, char **errout) {
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

void ft_assert_valid(const char *def, const cJSON *j, const char *what) {
  char msg[1024];

  if (schema_check(ft_schema, def, j, msg, sizeof msg) != 0)
    fail_msg("%s is not a valid FHIR R4 %s: %s", what, def, msg);
}

const cJSON *ft_get(const cJSON *o, const char *k) {
  return cJSON_GetObjectItemCaseSensitive(o, k);
}

const char *ft_s(const cJSON *o, const char *k) {
  const cJSON *v = ft_get(o, k);

  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The item with linkId id in array items, or fail. */
const cJSON *ft_item(const cJSON *items, const char *id) {
  const cJSON *it;

  cJSON_ArrayForEach(it, items) {
    const char *l = ft_s(it, "linkId");

    if (l && strcmp(l, id) == 0)
      return it;
  }
  fail_msg("no item with linkId %s", id);
  return NULL;
}

/* The extension with this url in o.extension, or NULL. */
const cJSON *ft_ext(const cJSON *o, const char *url) {
  const cJSON *e;

  cJSON_ArrayForEach(e, ft_get(o, "extension")) {
    const char *u = ft_s(e, "url");

    if (u && strcmp(u, url) == 0)
      return e;
  }
  return NULL;
}

cdg_answers *ft_answers(const cdg_pack *pack, const char *json,
                        const char *what) {
  cdg_answers *a = NULL;
  cdg_error err;
  char line[1024];

  if (cdg_answers_parse(pack, json, strlen(json), what, &a, &err) != CDG_OK) {
    cdg_error_format(&err, line, sizeof line);
    fail_msg("answers %s rejected: %s", what, line);
  }
  return a;
}

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

cdg_pack *ft_load_test_pack(void) {
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

cJSON *ft_response(const cdg_pack *pack, const cdg_answers *a,
                   const char *date) {
  report_input in;

  memset(&in, 0, sizeof in);
  in.pack = pack;
  in.ps = ft_ps;
  in.answers = a;
  in.date = date;
  in.width = 80;
  return ft_run(ft_wr, &in, NULL);
}

/* Run a shell command line; its stdout in *out (free), exit status back. */
int ft_sh(const char *cmd, char **out, char **errout) {
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

int ft_setup(void **state) {
  char msg[512];
  cdg_error err;

  (void)state;
  ft_schema = schema_load(SCHEMA_FILE, msg, sizeof msg);
  if (!ft_schema) {
    fprintf(stderr, "%s\n", msg);
    return -1;
  }
  if (fixture_pack1(&ft_pack, &err) != CDG_OK ||
      cdg_passages_builtin(&ft_ps, &err) != CDG_OK) {
    fprintf(stderr, "built-in pack or passages: %s\n", err.message);
    return -1;
  }
  return 0;
}

int ft_teardown(void **state) {
  (void)state;
  schema_free(ft_schema);
  cdg_pack_free(ft_pack);
  cdg_passages_free(ft_ps);
  return 0;
}
