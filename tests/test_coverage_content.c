/*
** test_coverage_content.c: the content library's less travelled paths.
** JSON Pointer lookup over escaped keys and every kind of value (the
** positions in error messages), the JSON checker's escape and number
** errors, passage files with each field wrong, matching passages modulo
** white space, and base.c: status names, error records, the allocator
** hook. Expected values are written from the contracts in cdg_content.h
** and json.h.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdg_content.h"
#include "json.h"

/* ---- json_pointer_offset ------------------------------------------------ */

/*
** Each text holds one '7', the value the pointer names; found = 0 says the
** pointer names nothing.
*/
static void test_pointer_offset(void **state) {
  static const struct {
    const char *text, *pointer;
    int found;
  } cases[] = {
      {"{\"\\b\\f\\n\\r\\t\\\"\\\\\\/x\": 7}", "/\b\f\n\r\t\"\\~1x", 1},
      {"{\"\\u00e9\\u20ac\\ud83d\\ude00\\u0041\": 7}",
       "/\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"
       "A",
       1},
      {"{\"\\u00C9\\u00c9\": 7}", "/\xC3\x89\xC3\x89", 1},
      {"{\"\\u00zz\": 1, \"b\": 7}", "/b", 1},
      {"{\"\\ud83dx\": 0, \"k\": 7}", "/k", 1},
      {"{\"a~b\": 0, \"a/b\": 7}", "/a~1b", 1},
      {"{\"a~b\": 7, \"a/b\": 0}", "/a~0b", 1},
      {"{\"s\": \"x\\\"}\", \"o\": {\"k\": [1, \"]\"]}, \"n\": -1.5e3, "
       "\"t\": true, \"z\": 7}",
       "/z", 1},
      {" [1, [2, 7]]", "/1/1", 1},
      {"[0, 7]", "/1", 1},
      {"{\"a\": {\"b\": [0, {\"c\": 7}]}}", "/a/b/1/c", 1},
      {" 7", "", 1},
      {"[1, [2, 7]]", "/2", 0},
      {"[1, 7]", "/01", 0},
      {"[1, 7]", "/", 0},
      {"[1, 7]", "/x", 0},
      {"[ ]", "/0", 0},
      {"[7", "/1", 0},
      {"7", "/a", 0},
      {"{\"a\": 7}", "a", 0},
      {"{\"a\": 7}", "/b", 0},
      {"{\"a\": 1, \"b\"", "/b", 0},
      {"{\"a\" 7}", "/a", 0},
      {"{\"a\": 7}", "/ab", 0},
      {"{\"ab\": 7}", "/a", 0},
      {"{\"o\": {\"k\": [1, 2", "/z", 0},
      {"{\"a\": 7}", "/a/b", 0},
      {"{\"a\": \"x", "/a/b", 0},
      {"", "/a", 0},
      /* Keys the decoder must not overrun or misread. */
      {"{\"\\u00+9\": 0, \"k\": 7}", "/k", 1},
      {"{\"\\ud83d\\uZZZZ\": 0, \"k\": 7}", "/k", 1},
      {"{\"\\ud83d\\u0041\": 7}",
       "/\xED\xA0\xBD"
       "A",
       1},
      {"{\"~2\": 7}", "/~2", 1},
      {"{\"a\": 7}",
       "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
       0},
      {"{\"a\\", "/b", 0},
      {"{\"\\u00e", "/b", 0},
      {"{\"a\": \"x\\", "/b", 0},
      {"[1,", "/1", 0},
  };
  size_t i, off;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    const char *t = cases[i].text;
    int rc = json_pointer_offset(t, strlen(t), cases[i].pointer, &off);

    if (!cases[i].found) {
      if (rc != -1)
        fail_msg("%s in %s: found at %zu, expected nothing", cases[i].pointer,
                 t, off);
      continue;
    }
    if (rc != 0)
      fail_msg("%s in %s: not found", cases[i].pointer, t);
    if (off != (size_t)(strchr(t, '7') - t))
      fail_msg("%s in %s: offset %zu, expected %zu", cases[i].pointer, t, off,
               (size_t)(strchr(t, '7') - t));
  }
}

/* json_error_at without text or pointer gives no position; a NULL err is
** allowed and the status still comes back. */
static void test_error_records(void **state) {
  cdg_error err;
  char buf[600];

  (void)state;
  assert_int_equal(
      json_error_at(&err, CDG_ERR_PACK, "f.json", NULL, 0, "/a", "bad %d", 1),
      CDG_ERR_PACK);
  assert_int_equal(err.line, 0);
  cdg_error_format(&err, buf, sizeof buf);
  assert_string_equal(buf, "f.json: bad 1 (at /a)");
  assert_int_equal(
      json_error_at(&err, CDG_ERR_PACK, "f.json", "{}", 2, NULL, "none"),
      CDG_ERR_PACK);
  cdg_error_format(&err, buf, sizeof buf);
  assert_string_equal(buf, "f.json: none");
  assert_int_equal(json_error_at(NULL, CDG_ERR_IO, "f", "{}", 2, "", "x"),
                   CDG_ERR_IO);
  assert_int_equal(json_error(NULL, CDG_ERR_NOMEM, "f", "x"), CDG_ERR_NOMEM);
  /* Pointer into the text: line and column of the value. */
  json_error_at(&err, CDG_ERR_PACK, "f", "{\n  \"a\": [1,\n 7]}", 16, "/a/1",
                "here");
  assert_int_equal(err.line, 3);
  assert_int_equal(err.col, 2);
  cdg_error_format(&err, buf, sizeof buf);
  assert_string_equal(buf, "f:3:2: here (at /a/1)");
  /* No file: the position alone leads. */
  json_error_at(&err, CDG_ERR_PACK, "", "[7]", 3, "/0", "m");
  cdg_error_format(&err, buf, sizeof buf);
  assert_string_equal(buf, "1:2: m (at /0)");
  cdg_error_clear(&err);
  cdg_error_format(&err, buf, sizeof buf);
  assert_string_equal(buf, "");
  cdg_error_clear(NULL);
}

/* ---- json_parse: the checker's errors -------------------------------------
 */

static void test_parse_errors(void **state) {
  static const struct {
    const char *text, *message;
    int line, col;
  } cases[] = {
      {"[\"\\u12G4\"]", "invalid escape in a string", 1, 3},
      {"[\"\\u12", "unexpected end of input", 1, 7},
      {"[\"\\udc00\"]", "unpaired surrogate in a \\u escape", 1, 3},
      {"[\"\\ud800x\"]", "unpaired surrogate in a \\u escape", 1, 3},
      {"[\"\\ud800\\n\"]", "unpaired surrogate in a \\u escape", 1, 3},
      {"[\"\\ud800\\u0041\"]", "unpaired surrogate in a \\u escape", 1, 3},
      {"[\"\\ud800\\ue000\"]", "unpaired surrogate in a \\u escape", 1, 3},
      {"[\x01]", "JSON syntax error at byte 0x01", 1, 2},
      {"[\xC3\xA9]", "JSON syntax error at byte 0xC3", 1, 2},
      {"[\"\\ud800\\u00", "unexpected end of input", 1, 13},
      {"[\"\\ud800", "unexpected end of input", 1, 9},
      {"[\"\\q\"]", "invalid escape in a string", 1, 3},
      {"[\"\\", "unexpected end of input", 1, 4},
      {"[\"\\\xC3\xA9\"]", "invalid escape in a string", 1, 3},
      {"[\"\\\xFF\"]", "invalid UTF-8 byte 0xFF", 1, 4},
      {"[1e]", "JSON syntax error at ']'", 1, 4},
      {"[1E+]", "JSON syntax error at ']'", 1, 5},
      {"[1.]", "JSON syntax error at ']'", 1, 4},
      {"[-]", "JSON syntax error at ']'", 1, 3},
      {"[01]", "JSON syntax error at '1'", 1, 3},
      {"[1e5, 2E-3, 3e+2, -0.5]", NULL, 0, 0},
      {"[\"\\ud83d\\ude00\", \"\\u00e9\"]", NULL, 0, 0},
      {"{\"a\": {\"b\": 1, \"b\": 2}}", "duplicate key \"b\"", 1, 16},
      {"[1, {\"\\u0061\": 1, \"a\": 2}]", "duplicate key \"a\"", 1, 19},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    cJSON *root = NULL;
    cdg_error err;
    cdg_status st;

    cdg_error_clear(&err);
    st =
        json_parse(cases[i].text, strlen(cases[i].text), "t.json", &root, &err);
    if (!cases[i].message) {
      if (st != CDG_OK)
        fail_msg("%s: %s", cases[i].text, err.message);
      cJSON_Delete(root);
      continue;
    }
    if (st != CDG_ERR_SYNTAX)
      fail_msg("%s: status %s", cases[i].text, cdg_status_str(st));
    if (strcmp(err.message, cases[i].message) != 0 ||
        err.line != cases[i].line || err.col != cases[i].col)
      fail_msg("%s: %d:%d: %s, expected %d:%d: %s", cases[i].text, err.line,
               err.col, err.message, cases[i].line, cases[i].col,
               cases[i].message);
    assert_null(root);
  }
  /* A NUL among the hex digits of a \u escape. */
  {
    static const char t[] = "[\"\\u0\0\"]";
    cJSON *root = NULL;
    cdg_error err;

    assert_int_equal(json_parse(t, sizeof t - 1, "t.json", &root, &err),
                     CDG_ERR_SYNTAX);
    assert_string_equal(err.message, "invalid escape in a string");
  }
}

/* Objects beyond the small size check duplicates through a hash; numbers
** longer than 63 characters are read whole. */
static void test_parse_large(void **state) {
  char text[2048], name[16];
  size_t n = 0, i, first, second;
  cJSON *root = NULL;
  cdg_error err;
  static const char num[] =
      "[1.0000000000000000000000000000000000000000000000000000000000000000"
      "0000000001e2]";

  (void)state;
  n += (size_t)snprintf(text + n, sizeof text - n, "{");
  for (i = 0; i < 40; i++)
    n += (size_t)snprintf(text + n, sizeof text - n, "%s\"k%zu\": %zu",
                          i ? ", " : "", i, i);
  snprintf(text + n, sizeof text - n, "}");
  assert_int_equal(json_parse(text, strlen(text), "t.json", &root, &err),
                   CDG_OK);
  assert_int_equal(cJSON_GetArraySize(root), 40);
  assert_int_equal(cJSON_GetObjectItemCaseSensitive(root, "k39")->valueint, 39);
  cJSON_Delete(root);
  /* The same with k3 given again as the 41st member. */
  snprintf(text + n, sizeof text - n, ", \"k3\": 0}");
  root = NULL;
  assert_int_equal(json_parse(text, strlen(text), "t.json", &root, &err),
                   CDG_ERR_SYNTAX);
  assert_null(root);
  assert_string_equal(err.message, "duplicate key \"k3\"");
  snprintf(name, sizeof name, "\"k3\": 0}");
  second = (size_t)(strstr(text, name) - text);
  first = (size_t)(strstr(text, "\"k3\"") - text);
  assert_true(first < second);
  assert_int_equal(err.line, 1);
  assert_int_equal(err.col, (int)second + 1);
  assert_int_equal(json_parse(num, strlen(num), "t.json", &root, &err), CDG_OK);
  assert_true(root->child->valuedouble == 100.0);
  cJSON_Delete(root);
}

/* ---- Passages from text -----------------------------------------------------
 */

/* A source with tabs, CR LF and a no-break space between words. */
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

/* ---- base.c
 * ------------------------------------------------------------------- */

static void test_status_names(void **state) {
  (void)state;
  assert_string_equal(cdg_status_str(CDG_OK), "ok");
  assert_string_equal(cdg_status_str(CDG_ERR_NOMEM), "out of memory");
  assert_string_equal(cdg_status_str(CDG_ERR_SYNTAX), "syntax error");
  assert_string_equal(cdg_status_str(CDG_ERR_PACK), "invalid pack");
  assert_string_equal(cdg_status_str(CDG_ERR_ANSWER), "invalid answer");
  assert_string_equal(cdg_status_str(CDG_ERR_LOGIC), "invalid JsonLogic");
  assert_string_equal(cdg_status_str(CDG_ERR_NOTFOUND), "not found");
  assert_string_equal(cdg_status_str(CDG_ERR_IO), "I/O error");
  assert_string_equal(cdg_status_str(CDG_ERR_STATE), "not possible now");
  assert_string_equal(cdg_status_str((cdg_status)99), "unknown status");
  assert_non_null(cdg_version());
}

static long S_calls;

static void *S_counting_malloc(size_t n) {
  S_calls++;
  return malloc(n);
}

static void test_allocator_hook(void **state) {
  cdg_allocator partial = {S_counting_malloc, NULL, free};
  cdg_allocator no_free = {S_counting_malloc, realloc, NULL};
  cdg_allocator no_malloc = {NULL, realloc, free};
  cdg_allocator whole = {S_counting_malloc, realloc, free};
  void *p;

  (void)state;
  /* A hook with a missing function is refused: the default stays. */
  S_calls = 0;
  cdg_set_allocator(&partial);
  p = cdg_malloc(8);
  assert_non_null(p);
  cdg_free(p);
  cdg_set_allocator(&no_free);
  p = cdg_malloc(8);
  cdg_free(p);
  cdg_set_allocator(&no_malloc);
  p = cdg_malloc(8);
  cdg_free(p);
  assert_int_equal(S_calls, 0);
  cdg_set_allocator(&whole);
  p = cdg_malloc(0); /* size 0 still gives a block to free */
  assert_non_null(p);
  p = cdg_realloc(p, 0);
  assert_non_null(p);
  cdg_free(p);
  assert_int_equal(S_calls, 1);
  cdg_set_allocator(NULL);
  /* n * size that would wrap is refused, not allocated short. */
  assert_null(cdg_calloc((size_t)-1 / 2 + 2, 2));
  p = cdg_calloc(0, 0);
  assert_non_null(p);
  cdg_free(p);
  p = cdg_calloc(4, 4);
  assert_non_null(p);
  assert_int_equal(((unsigned char *)p)[15], 0);
  cdg_free(p);
  cdg_free(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_pointer_offset),
      cmocka_unit_test(test_error_records),
      cmocka_unit_test(test_parse_errors),
      cmocka_unit_test(test_parse_large),
      cmocka_unit_test(test_passages_errors),
      cmocka_unit_test(test_passages_shape),
      cmocka_unit_test(test_passages_whitespace),
      cmocka_unit_test(test_status_names),
      cmocka_unit_test(test_allocator_hook),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
