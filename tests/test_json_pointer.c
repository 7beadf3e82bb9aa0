/*
** test_json_pointer.c: positions and JSON Pointers (content/json_ptr.c):
** the offset a pointer names in a text, offsets as line:col, error
** records at a pointer, pointers built a token at a time. Every expected
** line:col is counted by hand from the input shown (columns count
** characters, not bytes).
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

/* ---- JSON Pointer ------------------------------------------------------ */

/* The offset json_pointer_offset gives, or -1. */
static long S_offset(const char *text, const char *pointer) {
  size_t off = 0;

  if (json_pointer_offset(text, strlen(text), pointer, &off) != 0)
    return -1;
  return (long)off;
}

/* Offset of the first occurrence of needle in text (a hand-picked
** unique marker). */
static long S_at(const char *text, const char *needle) {
  const char *p = strstr(text, needle);

  assert_non_null(p);
  return (long)(p - text);
}

static void test_pointer(void **state) {
  /* Strings full of brackets, braces, commas and escaped quotes. */
  static const char t[] =
      "{\"x\": \"[{\\\"a\\\": ]\", \"a\": [{\"b\": \"}]\"}, "
      "{\"q\": \"\\\"[,\", \"b\": 42}], \"z\": {\"a\": 0}}";
  static const char esc[] =
      "{\"a/b\": {\"m~n\": 7, \"m~0n\": 8}, \"a~1b\": 9, \"\": 3, "
      "\"k\\\"[\": {\"b\": 5}, \"\\u0061x\": 6}";
  static const char *const missing[] = {
      "/a/2/b", "/a/1/c", "/nope", "/a/x",   "/a/+1",  "/a/01",
      "/a/-1",  "/a/ 1",  "/a/",   "x",      "/a/1/b/c", "/x/0",
  };
  size_t k;

  (void)state;
  assert_int_equal(S_offset(t, "/a/1/b"), S_at(t, "42"));
  assert_int_equal(S_offset(t, "/a/0/b"), S_at(t, "\"}]\""));
  assert_int_equal(S_offset(t, "/a/0"), S_at(t, "{\"b\""));
  assert_int_equal(S_offset(t, "/x"), S_at(t, "\"[{"));
  assert_int_equal(S_offset(t, "/z/a"), S_at(t, "0}}"));
  assert_int_equal(S_offset(t, ""), 0);
  assert_int_equal(S_offset("  \n {}", ""), 4);
  for (k = 0; k < sizeof missing / sizeof missing[0]; k++)
    if (S_offset(t, missing[k]) != -1)
      fail_msg("pointer %s: found at %ld, want not found", missing[k],
               S_offset(t, missing[k]));
  /* ~1 is "/", ~0 is "~", in that order: "~01" is "~1". */
  assert_int_equal(S_offset(esc, "/a~1b/m~0n"), S_at(esc, "7"));
  assert_int_equal(S_offset(esc, "/a~1b/m~00n"), S_at(esc, "8"));
  assert_int_equal(S_offset(esc, "/a~01b"), S_at(esc, "9"));
  assert_int_equal(S_offset(esc, "/"), S_at(esc, "3"));
  assert_int_equal(S_offset(esc, "/k\"[/b"), S_at(esc, "5"));
  assert_int_equal(S_offset(esc, "/ax"), S_at(esc, ": 6") + 2);
  assert_int_equal(S_offset(esc, "/a/b"), -1);
}

static void test_linecol(void **state) {
  /* "ab", "cé", "x": é is 2 bytes at offsets 4-5. */
  static const char t[] = "ab\nc\xC3\xA9\nx";
  static const struct {
    size_t off;
    int line, col;
  } want[] = {{0, 1, 1}, {2, 1, 3}, {3, 2, 1}, {4, 2, 2},
              {6, 2, 3}, {7, 3, 1}, {8, 3, 2}, {100, 3, 2}};
  size_t k;
  int line, col;

  (void)state;
  for (k = 0; k < sizeof want / sizeof want[0]; k++) {
    json_offset_linecol(t, sizeof t - 1, want[k].off, &line, &col);
    if (line != want[k].line || col != want[k].col)
      fail_msg("offset %zu: got %d:%d, want %d:%d", want[k].off, line, col,
               want[k].line, want[k].col);
  }
}

static void test_error_at(void **state) {
  static const char t[] = "{\n  \"a\": [true,\n    \"x\"]}";
  cdg_error err;
  char line[600];

  (void)state;
  assert_int_equal(json_error_at(&err, CDG_ERR_PACK, "f.json", t,
                                 sizeof t - 1, "/a/1", "bad %s %d", "thing",
                                 7),
                   CDG_ERR_PACK);
  cdg_error_format(&err, line, sizeof line);
  assert_string_equal(line, "f.json:3:5: bad thing 7 (at /a/1)");
  /* A pointer not in the text: no position, the rest is kept. */
  json_error_at(&err, CDG_ERR_PACK, "f.json", t, sizeof t - 1, "/b", "gone");
  cdg_error_format(&err, line, sizeof line);
  assert_string_equal(line, "f.json: gone (at /b)");
  assert_int_equal(json_error_at(NULL, CDG_ERR_PACK, "f", t, sizeof t - 1,
                                 "/a", "x"),
                   CDG_ERR_PACK);
  assert_int_equal(cdg_error_set(&err, CDG_ERR_IO, "g", NULL, "%s", "no"),
                   CDG_ERR_IO);
  cdg_error_format(&err, line, sizeof line);
  assert_string_equal(line, "g: no");
}

/* Pointers are built a whole token at a time: one that does not fit is
** left out, and so is every later one. */
static void test_pointer_build(void **state) {
  char buf[16];
  size_t n;

  (void)state;
  n = json_ptr_push(buf, sizeof buf, 0, "a/b");
  assert_string_equal(buf, "/a~1b");
  n = json_ptr_push(buf, sizeof buf, n, "~x");
  assert_string_equal(buf, "/a~1b/~0x");
  assert_int_equal(n, 9);
  /* "/123456" needs 7 more bytes and a NUL: 9 + 7 = 16 does not fit. */
  n = json_ptr_push(buf, sizeof buf, n, "123456");
  assert_string_equal(buf, "/a~1b/~0x");
  assert_int_equal(n, sizeof buf - 1);
  n = json_ptr_push(buf, sizeof buf, n, "1");
  assert_string_equal(buf, "/a~1b/~0x");
  /* Exactly full: 9 + 6 = 15 bytes and the NUL. */
  n = json_ptr_push(buf, sizeof buf, 9, "12345");
  assert_string_equal(buf, "/a~1b/~0x/12345");
  assert_int_equal(n, 15);

  n = json_ptr_append(buf, sizeof buf, 0, "/questions/3/id");
  assert_string_equal(buf, "/questions/3/id");
  n = json_ptr_append(buf, sizeof buf, 0, "/questions/3/options");
  assert_string_equal(buf, "/questions/3");
  assert_int_equal(n, sizeof buf - 1);
  n = json_ptr_append(buf, sizeof buf, 0, "");
  assert_string_equal(buf, "");
  assert_int_equal(n, 0);
  n = json_ptr_append(buf, sizeof buf, json_ptr_push(buf, sizeof buf, 0, "r"),
                      "/a~1b/0");
  assert_string_equal(buf, "/r/a~1b/0");
  assert_int_equal(n, 9);
}

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
      /* A high surrogate before another escape, before a \u that is no
      ** low surrogate, or near the end: lone, in generalised UTF-8. */
      {"{\"\\ud83d\\n\": 0, \"k\": 7}", "/k", 1},
      {"{\"\\ud83d\\ue000\": 7}", "/\xED\xA0\xBD\xEE\x80\x80", 1},
      {"{\"\\ud83d\": 7}", "/\xED\xA0\xBD", 1},
      {"{\"a\":", "/b", 0},
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
  assert_int_equal(cdg_error_set(NULL, CDG_ERR_NOMEM, "f", NULL, "x"),
                   CDG_ERR_NOMEM);
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

/*
** json_pointers_linecol (one scan per top-level array, one sweep for
** positions) gives for every pointer what json_pointer_offset and
** json_offset_linecol give for it alone: over texts with five top-level
** arrays (one more than the batch caches), a member that is no array,
** strings with brackets, é and newlines; pointers with ~, leading zeros,
** no leading /, out of range, NULL.
*/
static void test_pointers_batch(void **state) {
  static const char *const texts[] = {
      "{\"a\": [1, {\"b\": \"]\\\"\"},\n \"\xC3\xA9\"], \"s\": \"x\",\n"
      " \"c\": [[0, 1], \"[\"], \"d\": [\n 7], \"e\": [{\"k\": [2, 3]}],\n"
      " \"f\": [4, 5, 6], \"a~b\": [8], \"g\": []}",
      "  [1, {\"a\": [2]}]",
      "{\"a\": [1, 2}",
      "{\"a\" [1]}",
      "{\"b\": 1, \"a\": [1,",
      "",
  };
  static const char *const ptrs[] = {
      "/a/0",   "/a/1/b", "/a/2",  "/a/3",   "/s",    "/s/0",   "/c/0/1",
      "/c/1",   "/d/0",   "/e/0/k/1", "/f/2", "/f/02", "/f/+1", "/f/x",
      "/a~0b/0", "/g/0",  "",      "/0/a/0", "/1/a/0", "a",     "/a/",
      "/nope/0", "/a/1x", "/c/0/9", NULL,
  };
  enum { N = sizeof ptrs / sizeof *ptrs };
  int line[N], col[N], l, c;
  size_t t, k, off, len;

  (void)state;
  for (t = 0; t < sizeof texts / sizeof *texts; t++) {
    len = strlen(texts[t]);
    assert_int_equal(
        json_pointers_linecol(texts[t], len, ptrs, NULL, N, line, col), 0);
    for (k = 0; k < N; k++) {
      l = c = 0;
      if (ptrs[k] && json_pointer_offset(texts[t], len, ptrs[k], &off) == 0)
        json_offset_linecol(texts[t], len, off, &l, &c);
      if (line[k] != l || col[k] != c)
        fail_msg("text %zu, pointer %s: batch %d:%d, alone %d:%d", t,
                 ptrs[k] ? ptrs[k] : "(null)", line[k], col[k], l, c);
    }
  }
  /* The first text's positions, counted by hand: "/d/0" is the 7 on
  ** line 4, "/a/2" the string "é" on line 2 and "/s" the "x" after it
  ** (column 13 in characters, 14 in bytes). */
  json_pointers_linecol(texts[0], strlen(texts[0]), ptrs, NULL, N, line, col);
  assert_int_equal(line[8], 4);
  assert_int_equal(col[8], 2);
  assert_int_equal(line[2], 2);
  assert_int_equal(col[2], 2);
  assert_int_equal(line[4], 2);
  assert_int_equal(col[4], 13);
  assert_int_equal(line[16], 1);
  assert_int_equal(col[16], 1);
  assert_int_equal(line[24], 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_pointer),
      cmocka_unit_test(test_linecol),
      cmocka_unit_test(test_error_at),
      cmocka_unit_test(test_pointer_build),
      cmocka_unit_test(test_pointer_offset),
      cmocka_unit_test(test_error_records),
      cmocka_unit_test(test_pointers_batch),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
