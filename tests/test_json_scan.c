/*
** test_json_scan.c: json_parse (content/json_scan.c), the validating scan
** with positions and the tree it gives: syntax errors, UTF-8 and NUL,
** duplicate keys, numbers, depth, and lookups by pointer into the tree.
** Every expected line:col is counted by hand from the input shown
** (columns count characters, not bytes).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json.h"

typedef struct S_bad {
  const char *name;
  const char *text; /* may hold NUL bytes: len is given */
  size_t len;
  const char *message;
  int line, col;
  const char *pointer;
} S_bad;

/* A literal and its length without the final NUL. */
#define L(s) s, sizeof(s) - 1

/* Parse text expecting a syntax error with exactly this message, line:col
** and pointer; the file name must be carried into the record. */
static void S_expect_bad(const S_bad *b) {
  cJSON *root = (cJSON *)b; /* must be reset to NULL */
  cdg_error err;
  cdg_status st = json_parse(b->text, b->len, "t.json", &root, &err);

  if (st != CDG_ERR_SYNTAX || strcmp(err.message, b->message) != 0 ||
      err.line != b->line || err.col != b->col ||
      strcmp(err.pointer, b->pointer) != 0 ||
      strcmp(err.file, "t.json") != 0)
    fail_msg("%s: got %s %s:%d:%d: %s (at %s), want %d:%d: %s (at %s)",
             b->name, cdg_status_str(st), err.file, err.line, err.col,
             err.message, err.pointer, b->line, b->col, b->message,
             b->pointer);
  if (root != NULL)
    fail_msg("%s: tree not NULL on failure", b->name);
  /* Without an error record the status is the same and nothing crashes. */
  root = NULL;
  assert_int_equal(json_parse(b->text, b->len, "t.json", &root, NULL),
                   CDG_ERR_SYNTAX);
  assert_null(root);
}

static void S_expect_all(const S_bad *cases, size_t n) {
  size_t k;

  for (k = 0; k < n; k++)
    S_expect_bad(&cases[k]);
}

/* Parse text that must be accepted; caller deletes the tree. */
static cJSON *S_good(const char *text, size_t len) {
  cJSON *root = NULL;
  cdg_error err;

  if (json_parse(text, len, "t.json", &root, &err) != CDG_OK)
    fail_msg("\"%.*s\" rejected: %d:%d: %s", (int)(len > 80 ? 80 : len), text,
             err.line, err.col, err.message);
  assert_non_null(root);
  return root;
}

static void S_accept(const char *text, size_t len) {
  cJSON_Delete(S_good(text, len));
}

/* ---- Syntax errors and their positions --------------------------------- */

static void test_syntax_positions(void **state) {
  static const S_bad cases[] = {
      {"missing comma on line 3",
       L("{\"a\": 1,\n \"b\": 2\n    \"c\": 3}"),
       "JSON syntax error at '\"'", 3, 5, ""},
      {"after a 2-byte character",
       L("{\"\xC3\xA9\": 1 \"b\": 2}"), "JSON syntax error at '\"'", 1, 9,
       ""},
      {"after 3- and 4-byte characters",
       L("[\"\xE2\x82\xAC\xF0\x9F\x98\x80\" 1]"), "JSON syntax error at '1'",
       1, 7, ""},
      {"missing comma before the last byte", L("[1 2"),
       "JSON syntax error at '2'", 1, 4, ""},
      {"missing colon", L("{\"a\" 1}"), "JSON syntax error at '1'", 1, 6,
       ""},
      {"bare word", L("[1, nope]"), "JSON syntax error at 'n'", 1, 5, ""},
      {"single quotes", L("{'a': 1}"), "JSON syntax error at '''", 1, 2,
       ""},
      {"invalid escape", L("[\"a\\x\"]"), "invalid escape in a string", 1,
       4, ""},
      {"escape before a 2-byte character", L("[\"\\\xC3\xA9\"]"),
       "invalid escape in a string", 1, 3, ""},
      {"bad hex digit", L("[\"\\u12G4\"]"), "invalid escape in a string", 1,
       3, ""},
      {"lone high surrogate", L("[\"\\ud800\"]"),
       "unpaired surrogate in a \\u escape", 1, 3, ""},
      {"lone low surrogate", L("[\"x\\udc00\"]"),
       "unpaired surrogate in a \\u escape", 1, 4, ""},
      {"high surrogate and a letter", L("[\"\\ud800\\u0041\"]"),
       "unpaired surrogate in a \\u escape", 1, 3, ""},
      {"trailing comma in an object", L("{\n  \"a\": 1,\n}\n"),
       "JSON syntax error at '}'", 3, 1, ""},
      {"trailing comma in an array", L("[1,]"), "JSON syntax error at ']'", 1,
       4, ""},
      {"unquoted key", L("{\"a\": 1, b: 2}"), "JSON syntax error at 'b'", 1,
       10, ""},
      {"leading zero", L("[01]"), "JSON syntax error at '1'", 1, 3, ""},
      {"no digit after the point", L("[1.]"), "JSON syntax error at ']'", 1,
       4, ""},
      {"no digit after the exponent", L("[1e+]"),
       "JSON syntax error at ']'", 1, 5, ""},
      {"minus alone", L("[-]"), "JSON syntax error at ']'", 1, 3, ""},
      {"leading point", L("[.5]"), "JSON syntax error at '.'", 1, 2, ""},
      {"leading plus", L("[+1]"), "JSON syntax error at '+'", 1, 2, ""},
      {"NaN", L("[NaN]"), "JSON syntax error at 'N'", 1, 2, ""},
      {"misspelt literal", L("[tru]"), "JSON syntax error at 't'", 1, 2, ""},
      {"byte order mark", L("\xEF\xBB\xBF{}"),
       "byte order mark (U+FEFF): save the file as UTF-8 without one", 1, 1,
       ""},
      {"raw tab in a string", L("[\"a\tb\"]"),
       "control character 0x09 in a string", 1, 4, ""},
      {"raw line feed in a string", L("[\"a\nb\"]"),
       "control character 0x0A in a string", 1, 4, ""},
  };

  (void)state;
  S_expect_all(cases, sizeof cases / sizeof cases[0]);
}

static void test_truncated(void **state) {
  static const S_bad cases[] = {
      {"empty", L(""), "unexpected end of input", 1, 1, ""},
      {"white space only", L(" \n "), "unexpected end of input", 2, 2, ""},
      {"open array", L("["), "unexpected end of input", 1, 2, ""},
      {"exponent at the end", L("1e"), "unexpected end of input", 1, 3, ""},
      {"array after a value", L("{\"a\": [1, 2"), "unexpected end of input",
       1, 12, ""},
      {"after a comma", L("{\"a\": 1,"), "unexpected end of input", 1, 9,
       ""},
      {"after a key", L("{\"a\""), "unexpected end of input", 1, 5, ""},
      {"after a colon", L("{\"a\":"), "unexpected end of input", 1, 6, ""},
      {"open string", L("{\"a\": \"abc"), "unexpected end of input", 1, 11,
       ""},
      {"open string at top", L("\"abc"), "unexpected end of input", 1, 5,
       ""},
      {"string ending in a backslash", L("[\"ab\\"),
       "unexpected end of input", 1, 6, ""},
      {"string ending in a \\u escape", L("[\"x\\u12"),
       "unexpected end of input", 1, 8, ""},
      {"literal cut short", L("[tr"), "unexpected end of input", 1, 4, ""},
      {"number cut after the point", L("1."), "unexpected end of input", 1,
       3, ""},
      {"surrogate pair cut short", L("[\"\\ud83d\\u"),
       "unexpected end of input", 1, 11, ""},
      {"several lines", L("{\n  \"a\": [\n    1,\n"),
       "unexpected end of input", 4, 1, ""},
  };

  (void)state;
  S_expect_all(cases, sizeof cases / sizeof cases[0]);
}

static void test_trailing_data(void **state) {
  static const S_bad cases[] = {
      {"word after object", L("{\"a\": 1} x"),
       "unexpected data after the JSON value", 1, 10, ""},
      {"second object", L("{} {}"), "unexpected data after the JSON value",
       1, 4, ""},
      {"extra bracket on line 3", L("[1]\n\n  ]"),
       "unexpected data after the JSON value", 3, 3, ""},
  };

  (void)state;
  S_expect_all(cases, sizeof cases / sizeof cases[0]);
  S_accept(L("{\"a\": 1}  \n\t\r\n"));
  S_accept(L("\n\n  [1]"));
}

/* ---- Bytes: UTF-8 and NUL ---------------------------------------------- */

static void test_invalid_utf8(void **state) {
  /* The bad bytes sit at line 2, column 9: ` "k": "a` is 8 characters. */
  static const S_bad cases[] = {
      {"overlong 2-byte /", L("{\n \"k\": \"a\xC0\xAF\"}"),
       "invalid UTF-8 byte 0xC0", 2, 9, ""},
      {"overlong 2-byte with C1", L("{\n \"k\": \"a\xC1\xBF\"}"),
       "invalid UTF-8 byte 0xC1", 2, 9, ""},
      {"overlong 3-byte", L("{\n \"k\": \"a\xE0\x80\xAF\"}"),
       "invalid UTF-8 byte 0xE0", 2, 9, ""},
      {"overlong 4-byte", L("{\n \"k\": \"a\xF0\x80\x80\xAF\"}"),
       "invalid UTF-8 byte 0xF0", 2, 9, ""},
      {"high surrogate U+D800", L("{\n \"k\": \"a\xED\xA0\x80\"}"),
       "invalid UTF-8 byte 0xED", 2, 9, ""},
      {"low surrogate U+DFFF", L("{\n \"k\": \"a\xED\xBF\xBF\"}"),
       "invalid UTF-8 byte 0xED", 2, 9, ""},
      {"stray continuation byte", L("{\n \"k\": \"a\x80\"}"),
       "invalid UTF-8 byte 0x80", 2, 9, ""},
      {"sequence cut short", L("{\n \"k\": \"a\xE2\x82\"}"),
       "invalid UTF-8 byte 0xE2", 2, 9, ""},
      {"sequence cut by the end", L("{\n \"k\": \"a\xE2\x82"),
       "invalid UTF-8 byte 0xE2", 2, 9, ""},
      {"above U+10FFFF", L("{\n \"k\": \"a\xF4\x90\x80\x80\"}"),
       "invalid UTF-8 byte 0xF4", 2, 9, ""},
      {"lead byte F5", L("{\n \"k\": \"a\xF5\x80\x80\x80\"}"),
       "invalid UTF-8 byte 0xF5", 2, 9, ""},
      {"byte FF", L("{\n \"k\": \"a\xFF\"}"), "invalid UTF-8 byte 0xFF", 2,
       9, ""},
      {"outside a string", L("[1]\x80"), "invalid UTF-8 byte 0x80", 1, 4,
       ""},
      {"after an earlier valid character",
       L("[\"\xC3\xA9\", \"\xC3\"]"), "invalid UTF-8 byte 0xC3", 1, 8, ""},
  };

  (void)state;
  S_expect_all(cases, sizeof cases / sizeof cases[0]);
  /* The edges of the valid ranges are accepted. */
  S_accept(L("[\"\xC2\x80\", \"\xDF\xBF\", \"\xE0\xA0\x80\", \"\xED\x9F\xBF\"]"));
  S_accept(L("[\"\xEE\x80\x80\", \"\xF0\x90\x80\x80\", \"\xF4\x8F\xBF\xBF\"]"));
}

static void test_nul(void **state) {
  static const S_bad cases[] = {
      {"NUL in a string", L("{\"a\": \"x\0y\"}"), "NUL byte in input", 1, 9,
       ""},
      {"NUL between tokens", L("[1,\0 2]"), "NUL byte in input", 1, 4, ""},
      {"NUL after a backslash", L("[\"\\\0\"]"), "NUL byte in input", 1, 4,
       ""},
      {"NUL at the end", L("{}\0"), "NUL byte in input", 1, 3, ""},
      /* cJSON would cut "a\u0000b" to "a": a NUL must not come in this way
      ** either. */
      {"escaped NUL", L("[\"a\\u0000b\"]"),
       "NUL character \\u0000 in a string", 1, 4, ""},
  };

  (void)state;
  S_expect_all(cases, sizeof cases / sizeof cases[0]);
}

/* ---- Tree checks: duplicate keys, numbers, depth ------------------------ */

static void test_duplicate_keys(void **state) {
  static const S_bad cases[] = {
      {"top level", L("{\"x\": 1, \"x\": 2}"), "duplicate key \"x\"", 1, 10,
       ""},
      {"nested, on line 2", L("{\"a\": 1,\n \"b\": {\"c\": 1, \"c\": 2}}"),
       "duplicate key \"c\"", 2, 16, "/b"},
      {"spelt with an escape", L("{\"id\": 1, \"\\u0069d\": 2}"),
       "duplicate key \"id\"", 1, 11, ""},
      {"inside a key with / and ~",
       L("{\"a/b~\": {\"k\": 1, \"k\": 2}}"), "duplicate key \"k\"", 1, 19,
       "/a~1b~0"},
      {"in an array element", L("[0, {\"k\": 1, \"j\": 2, \"k\": 3}]"),
       "duplicate key \"k\"", 1, 22, "/1"},
  };

  (void)state;
  S_expect_all(cases, sizeof cases / sizeof cases[0]);
  /* The same key in different objects is fine. */
  S_accept(L("[{\"a\": 1}, {\"a\": 2, \"b\": {\"a\": 3}}]"));
}

static void test_numbers(void **state) {
  static const S_bad cases[] = {
      {"1e999 at top", L("1e999"), "number out of range", 1, 1, ""},
      {"-1e999 in an array", L("{\"a\": [1, -1e999]}"),
       "number out of range", 1, 11, "/a/1"},
  };
  cJSON *root;

  (void)state;
  S_expect_all(cases, sizeof cases / sizeof cases[0]);
  root = S_good(L("[1e308, -2.5e-3, 0]"));
  assert_true(cJSON_GetArrayItem(root, 0)->valuedouble == 1e308);
  assert_true(cJSON_GetArrayItem(root, 1)->valuedouble == -2.5e-3);
  cJSON_Delete(root);
}

static void test_escapes(void **state) {
  cJSON *root = S_good(L("[\"\\ud83d\\ude00\", \"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]"));

  (void)state;
  assert_string_equal(cJSON_GetArrayItem(root, 0)->valuestring,
                      "\xF0\x9F\x98\x80");
  assert_string_equal(cJSON_GetArrayItem(root, 1)->valuestring,
                      "\"\\/\b\f\n\r\t");
  cJSON_Delete(root);
}

/* n levels of "[" then n of "]", or of {"a": ... }. Caller frees. */
static char *S_nested(size_t n, int objects, size_t *len) {
  size_t open = objects ? 5 : 1, i, k = 0;
  char *s = malloc(n * (open + 1) + 2);

  assert_non_null(s);
  for (i = 0; i < n; i++) {
    memcpy(s + k, objects ? "{\"a\":" : "[", open);
    k += open;
  }
  s[k++] = '1';
  for (i = 0; i < n; i++)
    s[k++] = objects ? '}' : ']';
  s[k] = '\0';
  *len = k;
  return s;
}

static void test_depth(void **state) {
  size_t len;
  char *s;
  S_bad b = {"100000 arrays", NULL, 0, "nesting deeper than 256 levels", 1,
             257, ""};

  (void)state;
  s = S_nested(100000, 0, &len);
  b.text = s;
  b.len = len;
  S_expect_bad(&b);
  /* Cut short: the depth, not the end, is reported. */
  b.name = "100000 open arrays";
  b.len = 100000;
  S_expect_bad(&b);
  free(s);

  s = S_nested(100000, 1, &len);
  b.name = "100000 objects";
  b.text = s;
  b.len = len;
  b.col = 256 * 5 + 1; /* the 257th "{" */
  S_expect_bad(&b);
  free(s);

  s = S_nested(256, 0, &len);
  S_accept(s, len);
  free(s);
  s = S_nested(256, 1, &len);
  S_accept(s, len);
  free(s);
}

/* ---- The tree ---------------------------------------------------------- */

static void test_values_kept(void **state) {
  cJSON *root = S_good(L("{\"s\": \"caf\\u00e9 \xE2\x82\xAC\", \"n\": -0.5, "
                         "\"t\": true, \"z\": null, \"a\": []}"));

  (void)state;
  assert_string_equal(cJSON_GetObjectItem(root, "s")->valuestring,
                      "caf\xC3\xA9 \xE2\x82\xAC");
  assert_true(cJSON_GetObjectItem(root, "n")->valuedouble == -0.5);
  assert_true(cJSON_IsTrue(cJSON_GetObjectItem(root, "t")));
  assert_true(cJSON_IsNull(cJSON_GetObjectItem(root, "z")));
  assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(root, "a")), 0);
  cJSON_Delete(root);
}

/* The tree is cJSON's own: the tree cJSON_ParseWithLength makes of the
** same text (strings short and long, escapes, a big object, nesting),
** which cJSON's functions may change and cJSON_Delete frees. */
static void test_tree_is_cjson(void **state) {
  size_t cap = 400000, n = 0, i;
  char *text = malloc(cap);
  cJSON *ours, *theirs, *big;
  cdg_error err;
  char *p1, *p2;

  (void)state;
  assert_non_null(text);
  n += (size_t)sprintf(text + n, "{\"when\": {\"==\": [{\"var\": \"a.b\"}, "
                       "\"x\\u00e9\\ud83d\\ude00\\n\"]}, \"big\": {");
  for (i = 0; i < 20; i++)
    n += (size_t)sprintf(text + n, "%s\"k%zu\": [%zu, true, null, -1.5e-3]",
                         i ? ", " : "", i, i);
  n += (size_t)sprintf(text + n, "}, \"list\": [");
  for (i = 0; i < 3000; i++)
    n += (size_t)sprintf(text + n, "%s\"item %zu, a string longer than "
                         "thirty-two bytes\", \"s%zu\"", i ? ", " : "", i, i);
  n += (size_t)sprintf(text + n, "], \"huge\": \"");
  memset(text + n, 'h', 100000);
  n += 100000;
  n += (size_t)sprintf(text + n, "\", \"e\": [[], {}, \"\"], \"when2\": 1e3}");
  assert_true(n < cap);
  assert_int_equal(json_parse(text, n, "t", &ours, &err), CDG_OK);
  theirs = cJSON_ParseWithLength(text, n);
  assert_non_null(theirs);
  p1 = cJSON_PrintUnformatted(ours);
  p2 = cJSON_PrintUnformatted(theirs);
  assert_non_null(p1);
  assert_non_null(p2);
  assert_string_equal(p1, p2);
  assert_true(cJSON_Compare(ours, theirs, 1));
  assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(ours, "list")),
                   6000);
  assert_string_equal(
      cJSON_GetArrayItem(cJSON_GetObjectItem(
                             cJSON_GetObjectItem(ours, "when"), "=="),
                         1)->valuestring,
      "x\xC3\xA9\xF0\x9F\x98\x80\n");
  /* cJSON's own functions work on it. */
  big = cJSON_DetachItemFromObject(ours, "big");
  assert_non_null(big);
  assert_int_equal(cJSON_GetArraySize(big), 20);
  cJSON_Delete(big);
  assert_non_null(cJSON_AddStringToObject(ours, "added", "yes"));
  assert_string_equal(cJSON_GetObjectItem(ours, "added")->valuestring, "yes");
  cJSON_free(p1);
  cJSON_free(p2);
  cJSON_Delete(ours);
  cJSON_Delete(theirs);
  /* A failure leaves nothing behind. */
  ours = (cJSON *)text;
  assert_int_equal(json_parse(text, n - 1, "t", &ours, &err), CDG_ERR_SYNTAX);
  assert_null(ours);
  free(text);
}

/* Numbers longer than cJSON reads (63 characters) are read whole, with
** their exact value, wherever they are. */
static void test_long_numbers(void **state) {
  static const char text[] =
      "{\"a\": [0.000000000000000000000000000000000000000000000000000000000"
      "00000000000000000001e80, 12345678901234567890123456789012345678901234"
      "567890123456789012345, -1.5], \"b\": 10000000000000000000000000000000"
      "00000000000000000000000000000000000000.5e-70}";
  cJSON *root = NULL, *a;
  cdg_error err;

  (void)state;
  assert_int_equal(json_parse(text, sizeof text - 1, "t", &root, &err),
                   CDG_OK);
  a = cJSON_GetObjectItem(root, "a");
  /* 1e-77 * 1e80 (82 characters); the 65-digit integer; (1e69 + 0.5) *
  ** 1e-70 (76 characters), whose nearest double is that of 0.1. */
  assert_true(cJSON_GetArrayItem(a, 0)->valuedouble == 1000.0);
  assert_true(cJSON_GetArrayItem(a, 1)->valuedouble ==
              1.2345678901234567890123456789012345678901234567890123456789012345e64);
  assert_true(cJSON_GetArrayItem(a, 2)->valuedouble == -1.5);
  assert_true(cJSON_GetObjectItem(root, "b")->valuedouble == 0.1);
  cJSON_Delete(root);
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

/* ---- The scan's less travelled paths --------------------------------- */

/* Keys decoded from every escape compare as their text; a repeated one is
** held until the end, and only the first is reported. */
static void test_duplicate_escaped_keys(void **state) {
  static const S_bad cases[] = {
      {"every escape",
       L("{\"\\b\\f\\n\\r\\t\\/\\\"\\\\\": 1, "
         "\"\\u0008\\u000c\\u000a\\u000d\\u0009/\\u0022\\u005c\": 2}"),
       "duplicate key \"\b\f\n\r\t/\"\\\"", 1, 25, ""},
      {"a surrogate pair", L("{\"\\ud83d\\ude00\": 1, \"\xF0\x9F\x98\x80\": 2}"),
       "duplicate key \"\xF0\x9F\x98\x80\"", 1, 21, ""},
      {"a private-use character, not a surrogate",
       L("{\"\\uE000\": 1, \"\xEE\x80\x80\": 2}"),
       "duplicate key \"\xEE\x80\x80\"", 1, 15, ""},
      {"the first of two", L("{\"a\": {\"k\": 1, \"k\": 2}, \"a\": 3}"),
       "duplicate key \"k\"", 1, 16, "/a"},
      {"1E400", L("[1E400]"), "number out of range", 1, 2, "/0"},
      {"1e+400", L("[1e+400]"), "number out of range", 1, 2, "/0"},
      {"the first of two out of range", L("[1, 1e400, 2e400]"),
       "number out of range", 1, 5, "/1"},
  };
  char text[1000];
  size_t n;
  cJSON *root;
  cdg_error err;

  (void)state;
  S_expect_all(cases, sizeof cases / sizeof cases[0]);
  /* The same keys, escaped and plain, in a big object (hashed). */
  root = S_good(L("{\"a\":0,\"b\":0,\"c\":0,\"d\":0,\"e\":0,\"f\":0,\"g\":0,"
                  "\"h\":0,\"i\":0,\"\\t\\n\":1}"));
  assert_int_equal(cJSON_GetObjectItem(root, "\t\n")->valueint, 1);
  cJSON_Delete(root);
  S_expect_bad(&(const S_bad){
      "hashed, escaped", L("{\"a\":0,\"b\":0,\"c\":0,\"d\":0,\"e\":0,\"f\":0,"
                           "\"g\":0,\"h\":0,\"\\t\":0,\"\\u0009\":1}"),
      "duplicate key \"\t\"", 1, 57, ""});
  S_expect_bad(&(const S_bad){
      "hashed, escaped", L("{\"a\":0,\"b\":0,\"c\":0,\"d\":0,\"e\":0,\"f\":0,"
                           "\"g\":0,\"h\":0,\"\\u0069\":0,\"i\":1}"),
      "duplicate key \"i\"", 1, 61, ""});
  /* Under a key too long for a pointer, the pointer is left empty. */
  n = (size_t)snprintf(text, sizeof text, "{\"%0300d\": {\"k\": 1, \"k\": 2}}",
                       0);
  assert_int_equal(json_parse(text, n, "t", &root, &err), CDG_ERR_SYNTAX);
  assert_string_equal(err.message, "duplicate key \"k\"");
  assert_string_equal(err.pointer, "");
  /* Without an error record, the status alone. */
  assert_int_equal(json_parse(L("{\"k\": 1, \"k\": 2}"), "t", &root, NULL),
                   CDG_ERR_SYNTAX);
  assert_int_equal(json_parse(L("[1e999]"), "t", &root, NULL), CDG_ERR_SYNTAX);
  /* No text at all. */
  root = (cJSON *)text;
  assert_int_equal(json_parse(NULL, 0, "t", &root, &err), CDG_ERR_SYNTAX);
  assert_null(root);
  assert_string_equal(err.message, "unexpected end of input");
}

/* Without an exponent, only long integer parts overflow: 300 digits is
** 1e299, 400 is beyond any double. */
static void test_long_integers(void **state) {
  char text[500];
  cJSON *root;
  cdg_error err;

  (void)state;
  text[0] = '[';
  text[1] = '1';
  memset(text + 2, '0', 299);
  text[301] = ']';
  assert_int_equal(json_parse(text, 302, "t", &root, &err), CDG_OK);
  assert_true(cJSON_GetArrayItem(root, 0)->valuedouble == 1e299);
  cJSON_Delete(root);
  memset(text + 2, '0', 399);
  text[401] = ']';
  assert_int_equal(json_parse(text, 402, "t", &root, &err), CDG_ERR_SYNTAX);
  assert_string_equal(err.message, "number out of range");
  assert_string_equal(err.pointer, "/0");
}

/* json_get: pointers into a tree. */
static void test_get(void **state) {
  cJSON *root = S_good(L("{\"a\": [10, {\"b~/\": 7}], \"s\": \"x\"}"));

  (void)state;
  assert_ptr_equal(json_get(root, ""), root);
  assert_int_equal(json_get(root, "/a/0")->valueint, 10);
  assert_int_equal(json_get(root, "/a/1/b~0~1")->valueint, 7);
  assert_null(json_get(root, "a"));         /* not a pointer */
  assert_null(json_get(root, "/a/2"));      /* past the end */
  assert_null(json_get(root, "/a/x"));      /* not an index */
  assert_null(json_get(root, "/a/"));       /* empty index */
  assert_null(json_get(root, "/a/99999999999")); /* beyond int */
  assert_null(json_get(root, "/s/0"));      /* into a string */
  assert_null(json_get(root, "/none/0"));
  cJSON_Delete(root);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_syntax_positions),
      cmocka_unit_test(test_truncated),
      cmocka_unit_test(test_trailing_data),
      cmocka_unit_test(test_invalid_utf8),
      cmocka_unit_test(test_nul),
      cmocka_unit_test(test_duplicate_keys),
      cmocka_unit_test(test_numbers),
      cmocka_unit_test(test_escapes),
      cmocka_unit_test(test_depth),
      cmocka_unit_test(test_values_kept),
      cmocka_unit_test(test_tree_is_cjson),
      cmocka_unit_test(test_long_numbers),
      cmocka_unit_test(test_duplicate_escaped_keys),
      cmocka_unit_test(test_long_integers),
      cmocka_unit_test(test_get),
      cmocka_unit_test(test_parse_errors),
      cmocka_unit_test(test_parse_large),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
