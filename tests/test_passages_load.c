/*
** test_passages_load.c: loading a passages file (cdg_passages_load) and
** what it rejects: a passage not in the source text, wrong header fields,
** wrong shapes, white space; each with its message and position, written
** by hand.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "cdg_content.h"
#include "json.h"
#include "failalloc.h"
#include "testfile.h"

extern const char cdg_embedded_passages[];
extern const size_t cdg_embedded_passages_len;
extern const char cdg_embedded_source[];
extern const size_t cdg_embedded_source_len;

/* Hand-checked with `sha256sum content/nice-ipg-spd-cervical-dystonia.txt`. */
#define SOURCE_SHA256 \
  "25a7936f8257a0ff7bbdcd9daa319262c0ea914c94d5bbe64bf2968c2801b20d"

/* ---- Helpers ----------------------------------------------------------- */

/* Replace the one occurrence of from in s by to. Caller frees. */
static char *S_replace(const char *s, const char *from, const char *to) {
  const char *at = strstr(s, from);
  size_t a, f = strlen(from), t = strlen(to);
  char *out;

  if (!at || strstr(at + 1, from))
    fail_msg("fixture: \"%s\" must occur exactly once", from);
  a = (size_t)(at - s);
  out = malloc(strlen(s) - f + t + 1);
  assert_non_null(out);
  memcpy(out, s, a);
  memcpy(out + a, to, t);
  strcpy(out + a + t, at + f);
  return out;
}

/* ---- (f): load errors -------------------------------------------------- */

/*
** A small valid passage file over the real source. Line numbers below
** count from 1 at the "{" line; value columns are counted by hand.
*/
static const char S_base[] =
    "{\n"
    "  \"source\": {\"title\": \"T\", \"publisher\": \"NICE\",\n"
    "    \"guidance\": \"G\", \"file\": \"f.txt\",\n"
    "    \"sha256\": \"" SOURCE_SHA256 "\"},\n"
    "  \"passages\": [\n"
    "    {\"id\": \"cd-what-it-is\", \"section\": \"S\", \"topics\": "
    "[\"condition\"],\n"
    "     \"text\": \"Cervical dystonia is a condition in which the muscles "
    "of the neck contract painfully and cause twisting of the head.\"},\n"
    "    {\"id\": \"cd-onset\", \"section\": \"S\", \"topics\": [\"onset\"],\n"
    "     \"text\": \"It may be congenital, but may also occur at any "
    "age.\"}\n"
    "  ]\n"
    "}\n";

/* Load json against the real source. */
static cdg_status S_load(const char *json, cdg_passages **ps,
                         cdg_error *err) {
  return cdg_passages_load(json, strlen(json), "p.json", cdg_embedded_source,
                           cdg_embedded_source_len, ps, err);
}

static void test_base_fixture_loads(void **state) {
  cdg_passages *ps = NULL;
  cdg_error err;

  (void)state;
  assert_int_equal(S_load(S_base, &ps, &err), CDG_OK);
  assert_int_equal(cdg_passages_count(ps), 2);
  assert_string_equal(cdg_passage_id(ps, 1), "cd-onset");
  assert_string_equal(cdg_passage_topic(ps, 1, 0), "onset");
  assert_string_equal(cdg_passages_source_title(ps), "T");
  cdg_passages_free(ps);
}

typedef struct S_case {
  const char *name;
  const char *from; /* replaced in S_base ... */
  const char *to;   /* ... by this */
  cdg_status status;
  const char *message;
  const char *pointer;
  int line, col;
} S_case;

static const S_case S_cases[] = {
    {"one word changed", "at any age", "at every age", CDG_ERR_PACK,
     "passage cd-onset is not in the source text", "/passages/1/text", 9, 14},
    {"invented passage", "age.\"}\n",
     "age.\"},\n"
     "    {\"id\": \"cure\", \"section\": \"S\", \"topics\": [],\n"
     "     \"text\": \"Selective peripheral denervation cures cervical "
     "dystonia.\"}\n",
     CDG_ERR_PACK, "passage cure is not in the source text",
     "/passages/2/text", 11, 14},
    {"two sentences joined without the space", "It may be congenital",
     "twisting of the head.It may be congenital", CDG_ERR_PACK,
     "passage cd-onset is not in the source text", "/passages/1/text", 9, 14},
    {"a space inside a word", "congenital", "congen ital", CDG_ERR_PACK,
     "passage cd-onset is not in the source text", "/passages/1/text", 9, 14},
    {"duplicate id", "\"cd-onset\"", "\"cd-what-it-is\"", CDG_ERR_PACK,
     "duplicate passage id \"cd-what-it-is\" (first at /passages/0)",
     "/passages/1/id", 8, 12},
    {"missing section", "\"id\": \"cd-onset\", \"section\": \"S\",",
     "\"id\": \"cd-onset\",", CDG_ERR_PACK, "missing \"section\"",
     "/passages/1", 8, 5},
    {"missing sha256", ",\n    \"sha256\": \"" SOURCE_SHA256 "\"", "",
     CDG_ERR_PACK, "missing \"sha256\"", "/source", 2, 13},
    {"text a number", "\"text\": \"It may be congenital, but may also occur "
                      "at any age.\"",
     "\"text\": 52", CDG_ERR_PACK, "\"text\" must be a string",
     "/passages/1/text", 9, 14},
    {"topics a string", "[\"onset\"]", "\"onset\"", CDG_ERR_PACK,
     "\"topics\" must be an array", "/passages/1/topics", 8, 50},
    {"topic not a tag", "[\"onset\"]", "[\"Onset of it\"]", CDG_ERR_PACK,
     "a topic must be a string of lower-case letters, digits and '-'",
     "/passages/1/topics/0", 8, 51},
    {"empty id", "\"cd-onset\"", "\"\"", CDG_ERR_PACK,
     "\"id\" must not be empty", "/passages/1/id", 8, 12},
    {"passage not an object", "{\"id\": \"cd-what-it-is\"", "7, {\"id\": "
                                                          "\"cd-what-it-is\"",
     CDG_ERR_PACK, "a passage must be an object", "/passages/0", 6, 5},
    {"unknown key", "\"section\": \"S\", \"topics\": [\"onset\"]",
     "\"section\": \"S\", \"topic\": [\"onset\"]", CDG_ERR_PACK,
     "unknown key \"topic\"", "/passages/1/topic", 8, 49},
    {"unknown top-level key", "\"passages\": [\n", "\"passages\": [], \"x\": [\n",
     CDG_ERR_PACK, "unknown key \"x\"", "/x", 5, 24},
    {"wrong sha256", "f2968c2801b20d\"", "f2968c2801b20e\"", CDG_ERR_PACK,
     "sha256 does not match the source text (stale content): recorded "
     "25a7936f8257a0ff7bbdcd9daa319262c0ea914c94d5bbe64bf2968c2801b20e, "
     "actual " SOURCE_SHA256,
     "/source/sha256", 4, 15},
    {"missing comma", "\"S\", \"topics\": [\"onset\"]",
     "\"S\" \"topics\": [\"onset\"]", CDG_ERR_SYNTAX,
     "JSON syntax error at '\"'", "", 8, 39},
};

static void test_load_errors(void **state) {
  size_t k;

  (void)state;
  for (k = 0; k < sizeof S_cases / sizeof S_cases[0]; k++) {
    const S_case *c = &S_cases[k];
    char *json = S_replace(S_base, c->from, c->to);
    cdg_passages *ps = (cdg_passages *)&k; /* must be reset to NULL */
    cdg_error err;
    cdg_status st = S_load(json, &ps, &err);

    if (st != c->status || strcmp(err.message, c->message) != 0 ||
        strcmp(err.pointer, c->pointer) != 0 || err.line != c->line ||
        err.col != c->col || strcmp(err.file, "p.json") != 0)
      fail_msg("case \"%s\": got %s %s:%d:%d: %s (at %s)", c->name,
               cdg_status_str(st), err.file, err.line, err.col, err.message,
               err.pointer);
    if (ps != NULL)
      fail_msg("case \"%s\": *out not NULL on failure", c->name);
    free(json);
  }
}

/* An empty passage list and a non-object file are rejected too. */
static void test_load_shape_errors(void **state) {
  cdg_passages *ps = NULL;
  cdg_error err;
  char *json;
  char line[1024];

  (void)state;
  assert_int_equal(S_load("[1]", &ps, &err), CDG_ERR_PACK);
  assert_string_equal(err.message, "the passage file must be an object");
  assert_int_equal(err.line, 1);
  assert_int_equal(err.col, 1);
  json = S_replace(S_base, "\"passages\": [", "\"unused\": [");
  assert_int_equal(S_load(json, &ps, &err), CDG_ERR_PACK);
  assert_string_equal(err.message, "unknown key \"unused\"");
  free(json);
  assert_int_equal(
      S_load("{\"source\": {\"title\": \"T\", \"publisher\": \"NICE\", "
             "\"guidance\": \"G\", \"file\": \"f\", \"sha256\": \"" SOURCE_SHA256
             "\"},\n \"passages\": []}",
             &ps, &err),
      CDG_ERR_PACK);
  cdg_error_format(&err, line, sizeof line);
  assert_string_equal(line, "p.json:2:14: \"passages\" must be a non-empty "
                            "array (at /passages)");
  assert_int_equal(S_load("{}", &ps, &err), CDG_ERR_PACK);
  assert_string_equal(err.message, "missing \"source\"");
  /* NULL arguments are refused, not dereferenced. */
  assert_int_equal(cdg_passages_load(NULL, 0, "x", "", 0, &ps, &err),
                   CDG_ERR_STATE);
  assert_int_equal(cdg_passages_load("{}", 2, "x", NULL, 0, &ps, &err),
                   CDG_ERR_STATE);
  assert_int_equal(cdg_passages_load("{}", 2, "x", "", 0, NULL, NULL),
                   CDG_ERR_STATE);
  assert_null(ps);
}

/* White-space runs may differ; runs of one kind match runs of another. */
static void test_whitespace_runs(void **state) {
  static const char *const ok[] = {
      /* Two sentences across a paragraph break (blank line). */
      "About 20% of people will recover without treatment. Cervical "
      "dystonia varies",
      /* A run of several spaces and a tab against one space. */
      "It may  be \t congenital,",
      /* U+00A0 in the source against a plain space here, and back. */
      "Coding and clinical classification codes for this guidance.",
      "Coding\xC2\xA0"
      "and clinical",
      /* A line break in the text against a space in the source. */
      "may persist\nfor several years",
  };
  size_t k;

  (void)state;
  for (k = 0; k < sizeof ok / sizeof ok[0]; k++) {
    cJSON *s = cJSON_CreateString(ok[k]);
    char *quoted = cJSON_PrintUnformatted(s), *json;
    cdg_passages *ps = NULL;
    cdg_error err;

    assert_non_null(quoted);
    json = S_replace(S_base, "\"It may be congenital, but may also occur at "
                             "any age.\"",
                     quoted);
    if (S_load(json, &ps, &err) != CDG_OK)
      fail_msg("text \"%s\": %s", ok[k], err.message);
    assert_string_equal(cdg_passage_text(ps, 1), ok[k]);
    cdg_passages_free(ps);
    free(json);
    cJSON_free(quoted);
    cJSON_Delete(s);
  }
}

/* ---- A source of its own: header fields, shapes, white space ------- */

static const char S_src[] = "Alpha beta.\tGamma\r\ndelta\xC2\xA0"
                            "epsilon. Zeta eta";

/* A passages file for S_src: header fields, then the passages array text. */
static char *S_file(const char *source_fields, const char *passages) {
  static char buf[4096];
  char sha[65];

  cdg_sha256_hex(S_src, sizeof S_src - 1, sha);
  snprintf(buf, sizeof buf,
           "{\"source\": {%s%s\"sha256\": \"%s\"},\n \"passages\": %s}",
           source_fields, source_fields[0] ? ", " : "", sha, passages);
  return buf;
}

#define S_FIELDS                                                               \
  "\"title\": \"T\", \"publisher\": \"P\", \"guidance\": \"G\", "              \
  "\"file\": \"s.txt\""
#define S_ONE                                                                  \
  "[{\"id\": \"a\", \"section\": \"S\", \"topics\": [\"x-1\"], "               \
  "\"text\": \"Alpha beta.\"}]"

static void test_passages_errors(void **state) {
  static const struct {
    const char *fields, *passages, *message, *pointer;
  } cases[] = {
      {"\"publisher\": \"P\", \"guidance\": \"G\", \"file\": \"s.txt\"", S_ONE,
       "missing \"title\"", "/source"},
      {"\"title\": \"T\", \"guidance\": \"G\", \"file\": \"s.txt\"", S_ONE,
       "missing \"publisher\"", "/source"},
      {"\"title\": \"T\", \"publisher\": \"P\", \"file\": \"s.txt\"", S_ONE,
       "missing \"guidance\"", "/source"},
      {"\"title\": \"T\", \"publisher\": \"P\", \"guidance\": \"G\"", S_ONE,
       "missing \"file\"", "/source"},
      {"\"title\": 1, \"publisher\": \"P\", \"guidance\": \"G\", "
       "\"file\": \"s.txt\"",
       S_ONE, "\"title\" must be a string", "/source/title"},
      {"\"title\": \"\", \"publisher\": \"P\", \"guidance\": \"G\", "
       "\"file\": \"s.txt\"",
       S_ONE, "\"title\" must not be empty", "/source/title"},
      {S_FIELDS ", \"url\": \"x\"", S_ONE, "unknown key \"url\"",
       "/source/url"},
      {S_FIELDS ", \"a/b~\": \"x\"", S_ONE, "unknown key \"a/b~\"",
       "/source/a~1b~0"},
      {S_FIELDS, "[]", "\"passages\" must be a non-empty array", "/passages"},
      {S_FIELDS, "{}", "\"passages\" must be a non-empty array", "/passages"},
      {S_FIELDS, "[1]", "a passage must be an object", "/passages/0"},
      {S_FIELDS,
       "[{\"id\": \"a\", \"section\": \"S\", \"text\": \"Alpha beta.\"}]",
       "missing \"topics\"", "/passages/0"},
      {S_FIELDS,
       "[{\"id\": \"a\", \"section\": \"S\", \"topics\": \"x\", "
       "\"text\": \"Alpha beta.\"}]",
       "\"topics\" must be an array", "/passages/0/topics"},
      {S_FIELDS,
       "[{\"id\": \"a\", \"section\": \"S\", \"topics\": [\"X\"], "
       "\"text\": \"Alpha beta.\"}]",
       "a topic must be a string of lower-case letters, digits and '-'",
       "/passages/0/topics/0"},
      {S_FIELDS,
       "[{\"id\": \"a\", \"section\": \"S\", \"topics\": [\"\"], "
       "\"text\": \"Alpha beta.\"}]",
       "a topic must be a string of lower-case letters, digits and '-'",
       "/passages/0/topics/0"},
      {S_FIELDS,
       "[{\"id\": \"a\", \"section\": \"S\", \"topics\": [\"a_b\"], "
       "\"text\": \"Alpha beta.\"}]",
       "a topic must be a string of lower-case letters, digits and '-'",
       "/passages/0/topics/0"},
      {S_FIELDS,
       "[{\"id\": \"a\", \"section\": \"S\", \"topics\": [\"a\", \"~\"], "
       "\"text\": \"Alpha beta.\"}]",
       "a topic must be a string of lower-case letters, digits and '-'",
       "/passages/0/topics/1"},
      {S_FIELDS,
       "[{\"id\": \"a\", \"section\": \"S\", \"topics\": [1], "
       "\"text\": \"Alpha beta.\"}]",
       "a topic must be a string of lower-case letters, digits and '-'",
       "/passages/0/topics/0"},
      {S_FIELDS,
       "[{\"id\": \"a\", \"section\": \"S\", \"topics\": [], "
       "\"text\": \"Alpha beta.\", \"note\": 1}]",
       "unknown key \"note\"", "/passages/0/note"},
      {S_FIELDS,
       "[{\"id\": \"a\", \"section\": \"S\", \"topics\": [], \"text\": \"Alpha "
       "beta.\"}, {\"id\": \"a\", \"section\": \"S\", \"topics\": [], "
       "\"text\": \"Zeta\"}]",
       "duplicate passage id \"a\" (first at /passages/0)", "/passages/1/id"},
      /* Not in the source: a changed word, white space where the source
      ** has none, text running past the end of the source. */
      {S_FIELDS,
       "[{\"id\": \"a\", \"section\": \"S\", \"topics\": [], "
       "\"text\": \"Alpha Beta.\"}]",
       "passage a is not in the source text", "/passages/0/text"},
      {S_FIELDS,
       "[{\"id\": \"b\", \"section\": \"S\", \"topics\": [], "
       "\"text\": \"Al pha\"}]",
       "passage b is not in the source text", "/passages/0/text"},
      {S_FIELDS,
       "[{\"id\": \"c\", \"section\": \"S\", \"topics\": [], "
       "\"text\": \"Zeta eta theta\"}]",
       "passage c is not in the source text", "/passages/0/text"},
      {S_FIELDS,
       "[{\"id\": \"d\", \"section\": \"S\", \"topics\": [], "
       "\"text\": \"eta eta \"}]",
       "passage d is not in the source text", "/passages/0/text"},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    const char *json = S_file(cases[i].fields, cases[i].passages);
    cdg_passages *ps = NULL;
    cdg_error err;
    cdg_status st;

    st = cdg_passages_load(json, strlen(json), "p.json", S_src,
                           sizeof S_src - 1, &ps, &err);
    if (st != CDG_ERR_PACK)
      fail_msg("case %zu (%s): status %s, expected invalid pack", i,
               cases[i].message, cdg_status_str(st));
    assert_null(ps);
    if (strcmp(err.message, cases[i].message) != 0 ||
        strcmp(err.pointer, cases[i].pointer) != 0)
      fail_msg("case %zu: %s (at %s), expected %s (at %s)", i, err.message,
               err.pointer, cases[i].message, cases[i].pointer);
    if (err.line == 0)
      fail_msg("case %zu (%s): no line:col", i, cases[i].message);
  }
}

/* The shape of the file as a whole, and the arguments. */
static void test_passages_shape(void **state) {
  static const char *const whole[][2] = {
      {"[]", "the passage file must be an object"},
      {"{\"passages\": []}", "missing \"source\""},
      {"{\"source\": 1, \"passages\": []}", "\"source\" must be an object"},
      {"{\"source\": {}, \"extra\": 1}", "unknown key \"extra\""},
  };
  cdg_passages *ps = (cdg_passages *)1;
  cdg_error err;
  const char *json;
  size_t i;

  (void)state;
  for (i = 0; i < sizeof whole / sizeof *whole; i++) {
    assert_int_equal(cdg_passages_load(whole[i][0], strlen(whole[i][0]), NULL,
                                       S_src, sizeof S_src - 1, &ps, &err),
                     CDG_ERR_PACK);
    assert_string_equal(err.message, whole[i][1]);
    assert_string_equal(err.file, "");
  }
  json = S_file(S_FIELDS, "1");
  assert_int_equal(cdg_passages_load(json, strlen(json), "p", S_src,
                                     sizeof S_src - 1, &ps, &err),
                   CDG_ERR_PACK);
  assert_string_equal(err.message, "\"passages\" must be a non-empty array");
  json = "{\"source\": {" S_FIELDS ", \"sha256\": \"00\"}, \"passages\": []}";
  assert_int_equal(cdg_passages_load(json, strlen(json), "p", S_src,
                                     sizeof S_src - 1, &ps, &err),
                   CDG_ERR_PACK);
  assert_non_null(strstr(err.message, "stale content"));
  json = S_file(S_FIELDS, "null");
  assert_int_equal(cdg_passages_load(json, strlen(json), "p", S_src,
                                     sizeof S_src - 1, &ps, &err),
                   CDG_ERR_PACK);
  json = "{\"source\": {" S_FIELDS ", \"sha256\": \"00\"}}";
  assert_int_equal(cdg_passages_load(json, strlen(json), "p", S_src,
                                     sizeof S_src - 1, &ps, &err),
                   CDG_ERR_PACK);
  /* A right source and no "passages" member. */
  json = S_file(S_FIELDS, "[]");
  strcpy(strstr(json, ",\n \"passages\""), "}");
  assert_int_equal(cdg_passages_load(json, strlen(json), "p", S_src,
                                     sizeof S_src - 1, &ps, &err),
                   CDG_ERR_PACK);
  assert_string_equal(err.message, "missing \"passages\"");
  /* Missing arguments are a caller's error, not bad data. */
  assert_int_equal(cdg_passages_load(NULL, 0, "p", S_src, 1, &ps, &err),
                   CDG_ERR_STATE);
  assert_null(ps);
  assert_int_equal(cdg_passages_load("{}", 2, "p", NULL, 0, &ps, NULL),
                   CDG_ERR_STATE);
  assert_int_equal(cdg_passages_load("{}", 2, "p", S_src, 1, NULL, &err),
                   CDG_ERR_STATE);
  assert_int_equal(cdg_passages_load("{", 1, "p", S_src, 1, &ps, NULL),
                   CDG_ERR_SYNTAX);
}

/* Texts that match the source modulo runs of white space load, and the
** accessors give back what was loaded; out of range and NULL give NULL. */
static void test_passages_whitespace(void **state) {
  const char *json = S_file(
      S_FIELDS,
      "[{\"id\": \"a\", \"section\": \"S\", \"topics\": [\"x-1\", \"y\"], "
      "\"text\": \"beta. Gamma delta epsilon.\"},"
      " {\"id\": \"b\", \"section\": \"S2\", \"topics\": [], "
      "\"text\": \"Gamma\\t \\u00a0delta\"},"
      " {\"id\": \"c\", \"section\": \"S3\", \"topics\": [], "
      "\"text\": \"eta\"}]");
  cdg_passages *ps = NULL;
  cdg_error err;
  char sha[65];

  (void)state;
  if (cdg_passages_load(json, strlen(json), "p.json", S_src, sizeof S_src - 1,
                        &ps, &err) != CDG_OK)
    fail_msg("%s", err.message);
  assert_int_equal(cdg_passages_count(ps), 3);
  assert_int_equal(cdg_passages_find(ps, "b"), 1);
  assert_int_equal(cdg_passages_find(ps, "z"), -1);
  assert_string_equal(cdg_passage_section(ps, 2), "S3");
  assert_int_equal(cdg_passage_topic_count(ps, 0), 2);
  assert_string_equal(cdg_passage_topic(ps, 0, 1), "y");
  assert_null(cdg_passage_topic(ps, 0, 2));
  assert_null(cdg_passage_topic(ps, 9, 0));
  assert_string_equal(cdg_passages_source_title(ps), "T");
  assert_string_equal(cdg_passages_source_publisher(ps), "P");
  assert_string_equal(cdg_passages_source_text(ps), S_src);
  cdg_sha256_hex(S_src, sizeof S_src - 1, sha);
  assert_string_equal(cdg_passages_source_sha256(ps), sha);
  assert_null(cdg_passages_source_title(NULL));
  assert_null(cdg_passages_source_publisher(NULL));
  assert_null(cdg_passages_source_text(NULL));
  cdg_passages_free(ps);
  cdg_passages_free(NULL);
  /* SHA-256 of nothing (FIPS 180-2 test vector). */
  cdg_sha256_hex(NULL, 0, sha);
  assert_string_equal(
      sha, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_base_fixture_loads),
      cmocka_unit_test(test_load_errors),
      cmocka_unit_test(test_load_shape_errors),
      cmocka_unit_test(test_whitespace_runs),
      cmocka_unit_test(test_passages_errors),
      cmocka_unit_test(test_passages_shape),
      cmocka_unit_test(test_passages_whitespace),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
