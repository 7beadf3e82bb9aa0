/*
** test_utf8.c: text in the base layer (content/cdg_base.h): UTF-8 decode,
** encode, validation, cutting at a character boundary, JavaScript's
** generalised UTF-8, unsafe characters, and the JSON string escaper.
** Every expected value is worked out by hand from the input shown (UTF-8
** bytes from RFC 3629's table). Split from test_base.c.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>

#include "cdg_base.h"
#include "cdg_limits.h"

/* A literal and its length without the final NUL. */
#define L(s) s, sizeof(s) - 1

/* ---- UTF-8 ------------------------------------------------------------ */

typedef struct S_seq {
  const char *s;
  size_t n;      /* bytes available */
  size_t len;    /* expected length, 0 for invalid */
  unsigned long cp;
} S_seq;

static void test_utf8_decode(void **state) {
  static const S_seq seq[] = {
      {L("A"), 1, 0x41},
      {"\0", 1, 1, 0},                      /* NUL is a character */
      {L("\x7F"), 1, 0x7F},
      {L("\xC2\x80"), 2, 0x80},             /* first two-byte */
      {L("\xC3\xA9"), 2, 0xE9},             /* e acute */
      {L("\xDF\xBF"), 2, 0x7FF},
      {L("\xE0\xA0\x80"), 3, 0x800},        /* first three-byte */
      {L("\xE2\x82\xAC"), 3, 0x20AC},       /* euro sign */
      {L("\xED\x9F\xBF"), 3, 0xD7FF},       /* just below the surrogates */
      {L("\xEE\x80\x80"), 3, 0xE000},       /* just above */
      {L("\xEF\xBF\xBD"), 3, 0xFFFD},
      {L("\xF0\x90\x80\x80"), 4, 0x10000},  /* first four-byte */
      {L("\xF4\x8F\xBF\xBF"), 4, 0x10FFFF}, /* the last code point */
      {L("\x80"), 0, 0},                    /* stray continuation */
      {L("\xC0\x80"), 0, 0},                /* overlong NUL */
      {L("\xC1\xBF"), 0, 0},                /* overlong */
      {L("\xE0\x9F\xBF"), 0, 0},            /* overlong U+07FF */
      {L("\xED\xA0\x80"), 0, 0},            /* surrogate U+D800 */
      {L("\xED\xBF\xBF"), 0, 0},            /* surrogate U+DFFF */
      {L("\xF0\x8F\xBF\xBF"), 0, 0},        /* overlong U+FFFF */
      {L("\xF4\x90\x80\x80"), 0, 0},        /* U+110000 */
      {L("\xF5\x80\x80\x80"), 0, 0},
      {L("\xFF"), 0, 0},
      {L("\xC3("), 0, 0},                   /* bad continuation */
      {"\xE2\x82\xAC", 2, 0, 0},            /* cut by avail */
      {"A", 0, 0, 0},                       /* nothing available */
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof seq / sizeof *seq; i++) {
    unsigned long cp = 12345;
    size_t got = cdg_utf8_decode(seq[i].s, seq[i].n, &cp);

    if (got != seq[i].len || (got && cp != seq[i].cp))
      fail_msg("sequence %zu: got %zu U+%04lX, want %zu U+%04lX", i, got, cp,
               seq[i].len, seq[i].cp);
    assert_int_equal(cdg_utf8_decode(seq[i].s, seq[i].n, NULL), seq[i].len);
  }
}

static void test_utf8_valid_count(void **state) {
  (void)state;
  assert_int_equal(cdg_utf8_valid(L("caf\xC3\xA9")), 5);
  assert_int_equal(cdg_utf8_valid(L("ab\xC3(")), 2);
  assert_int_equal(cdg_utf8_valid(L("ab\xE2\x82")), 2); /* cut at the end */
  assert_int_equal(cdg_utf8_valid("", 0), 0);
  assert_int_equal(cdg_utf8_count(L("caf\xC3\xA9")), 4);
  assert_int_equal(cdg_utf8_count(L("\xF0\x9F\x98\x80!")), 2);
  assert_int_equal(cdg_utf8_count(L("a\xFF\xFE" "b")), 4); /* 1 per bad byte */
}

/* The longest prefix that does not cut a character; a stray byte is one. */
static void test_utf8_prefix(void **state) {
  (void)state;
  assert_int_equal(cdg_utf8_prefix(L("abc"), 3), 3);
  assert_int_equal(cdg_utf8_prefix(L("abc"), 9), 3);
  assert_int_equal(cdg_utf8_prefix(L("abcd"), 2), 2);
  assert_int_equal(cdg_utf8_prefix(L("abcd"), 0), 0);
  /* U+20AC is E2 82 AC: a limit inside it keeps what comes before */
  assert_int_equal(cdg_utf8_prefix(L("a\xE2\x82\xAC"), 2), 1);
  assert_int_equal(cdg_utf8_prefix(L("a\xE2\x82\xAC" "b"), 3), 1);
  assert_int_equal(cdg_utf8_prefix(L("a\xE2\x82\xAC" "b"), 4), 4);
  /* stray continuation bytes are one character each, so the cut may
  ** fall between them; a lead byte without its tail too */
  assert_int_equal(cdg_utf8_prefix(L("a\x80\x80\x80"), 2), 2);
  assert_int_equal(cdg_utf8_prefix(L("\xE2\x82zz"), 3), 3);
}

/* A text for a one-line message: whole up to size - 4 bytes, else cut on
** a character boundary and marked "..."; controls are left to the printer. */
static void test_utf8_cut(void **state) {
  char d8[8], big[CDG_MAX_SHOWN + 4], in[200];
  (void)state;

  assert_string_equal(cdg_utf8_cut(d8, sizeof d8, ""), "");
  assert_string_equal(cdg_utf8_cut(d8, sizeof d8, "abcd"), "abcd");
  /* five bytes do not fit in 8 - 4: four kept */
  assert_string_equal(cdg_utf8_cut(d8, sizeof d8, "abcde"), "abcd...");
  /* "ab" then U+00E9 (C3 A9): the cut at 4 falls after the whole char */
  assert_string_equal(cdg_utf8_cut(d8, sizeof d8, "ab\xc3\xa9z"),
                      "ab\xc3\xa9...");
  /* "abc" then C3 A9: byte 4 is A9, so the character goes whole */
  assert_string_equal(cdg_utf8_cut(d8, sizeof d8, "abc\xc3\xa9"),
                      "abc...");
  /* "a" then U+1F600 (F0 9F 98 80): byte 4 is 80, back to the F0 */
  assert_string_equal(cdg_utf8_cut(d8, sizeof d8, "a\xf0\x9f\x98\x80"),
                      "a...");
  /* U+1F600 then "x": byte 4 is "x", the four bytes stay whole */
  assert_string_equal(cdg_utf8_cut(d8, sizeof d8, "\xf0\x9f\x98\x80x"),
                      "\xf0\x9f\x98\x80...");
  /* an escape byte is the printer's to sanitise, not the cutter's */
  assert_string_equal(cdg_utf8_cut(d8, sizeof d8, "\x1b[2J"), "\x1b[2J");
  /* the library's size: CDG_MAX_SHOWN bytes whole, one more is cut */
  memset(in, 'a', CDG_MAX_SHOWN);
  in[CDG_MAX_SHOWN] = '\0';
  assert_string_equal(cdg_utf8_cut(big, sizeof big, in), in);
  in[CDG_MAX_SHOWN] = 'b';
  in[CDG_MAX_SHOWN + 1] = '\0';
  cdg_utf8_cut(big, sizeof big, in);
  assert_int_equal(strlen(big), CDG_MAX_SHOWN + 3);
  assert_memory_equal(big, in, CDG_MAX_SHOWN);
  assert_string_equal(big + CDG_MAX_SHOWN, "...");
}

static void test_utf8_encode(void **state) {
  static const unsigned long cps[] = {0, 0x41, 0x7F, 0x80, 0x7FF, 0x800,
                                      0xD7FF, 0xE000, 0xFFFF, 0x10000,
                                      0x10FFFF};
  char out[4];
  unsigned long back;
  size_t i, n;

  (void)state;
  assert_int_equal(cdg_utf8_encode(0xE9, out), 2);
  assert_memory_equal(out, "\xC3\xA9", 2);
  assert_int_equal(cdg_utf8_encode(0x20AC, out), 3);
  assert_memory_equal(out, "\xE2\x82\xAC", 3);
  assert_int_equal(cdg_utf8_encode(0x1F600, out), 4);
  assert_memory_equal(out, "\xF0\x9F\x98\x80", 4);
  assert_int_equal(cdg_utf8_encode(0xD800, out), 0);
  assert_int_equal(cdg_utf8_encode(0xDFFF, out), 0);
  assert_int_equal(cdg_utf8_encode(0x110000, out), 0);
  /* Every boundary decodes back to itself. */
  for (i = 0; i < sizeof cps / sizeof *cps; i++) {
    n = cdg_utf8_encode(cps[i], out);
    assert_true(n >= 1 && n <= 4);
    assert_int_equal(cdg_utf8_decode(out, n, &back), n);
    assert_int_equal(back, cps[i]);
  }
}

/* WTF-8 differs from UTF-8 only in taking lone surrogates. */
static void test_wtf8(void **state) {
  char out[4];
  unsigned long cp = 0;

  (void)state;
  assert_int_equal(cdg_wtf8_decode(L("\xED\xA0\x80"), &cp), 3);
  assert_int_equal(cp, 0xD800);
  assert_int_equal(cdg_wtf8_decode(L("\xED\xBF\xBF"), &cp), 3);
  assert_int_equal(cp, 0xDFFF);
  assert_int_equal(cdg_wtf8_decode(L("\xED\xB0\x80"), NULL), 3);
  assert_int_equal(cdg_wtf8_decode(L("\xF0\x9F\x98\x80"), &cp), 4);
  assert_int_equal(cp, 0x1F600);
  assert_int_equal(cdg_wtf8_decode(L("\xED\xA0"), &cp), 0);   /* cut */
  assert_int_equal(cdg_wtf8_decode(L("\xED\xA0("), &cp), 0);  /* bad */
  assert_int_equal(cdg_wtf8_decode(L("\xED\x80("), &cp), 0);  /* not a surrogate */
  assert_int_equal(cdg_wtf8_decode(L("\xEE\xA0("), &cp), 0);  /* nor this */
  assert_int_equal(cdg_wtf8_decode(L("\xC0\x80"), &cp), 0);   /* overlong */
  assert_int_equal(cdg_wtf8_encode(0xD83D, out), 3);
  assert_memory_equal(out, "\xED\xA0\xBD", 3);
  assert_int_equal(cdg_wtf8_encode(0xDE00, out), 3);
  assert_memory_equal(out, "\xED\xB8\x80", 3);
  assert_int_equal(cdg_wtf8_encode(0xE9, out), 2);
  assert_memory_equal(out, "\xC3\xA9", 2);
  assert_int_equal(cdg_wtf8_encode(0x110000, out), 0);
}

static void test_char_unsafe(void **state) {
  (void)state;
  assert_true(cdg_char_unsafe(0x1B));    /* ESC */
  assert_true(cdg_char_unsafe(0x7F));    /* DEL */
  assert_true(cdg_char_unsafe(0x9B));    /* CSI */
  assert_true(cdg_char_unsafe(0x202E));  /* right-to-left override */
  assert_true(cdg_char_unsafe(0x2066));  /* left-to-right isolate */
  assert_true(cdg_char_unsafe(0x061C));  /* Arabic letter mark */
  assert_false(cdg_char_unsafe(' '));
  assert_false(cdg_char_unsafe(0xA0));   /* no-break space */
  assert_false(cdg_char_unsafe(0xE9));
  assert_false(cdg_char_unsafe(0x2027));
  assert_false(cdg_char_unsafe(0x202F));
  /* Each range at both ends, and just outside. */
  assert_true(cdg_char_unsafe(0x00));
  assert_true(cdg_char_unsafe(0x1F));
  assert_true(cdg_char_unsafe(0x80));
  assert_true(cdg_char_unsafe(0x9F));
  assert_true(cdg_char_unsafe(0x200E));
  assert_true(cdg_char_unsafe(0x200F));
  assert_true(cdg_char_unsafe(0x2028));
  assert_true(cdg_char_unsafe(0x2069));
  assert_false(cdg_char_unsafe(0x7E));
  assert_false(cdg_char_unsafe(0x061B));
  assert_false(cdg_char_unsafe(0x200D));
  assert_false(cdg_char_unsafe(0x2010));
  assert_false(cdg_char_unsafe(0x2065));
  assert_false(cdg_char_unsafe(0x206A));
}

/* ---- JSON strings ----------------------------------------------------- */

static void S_expect_json(const char *s, size_t n, unsigned flags,
                          const char *want) {
  cdg_buf b = CDG_BUF_INIT;

  assert_int_equal(cdg_buf_json_string(&b, s, n, flags), 0);
  assert_string_equal(cdg_buf_cstr(&b), want);
  cdg_buf_free(&b);
}

static void test_json_string(void **state) {
  (void)state;
  S_expect_json(L(""), 0, "\"\"");
  S_expect_json(L("plain / text"), 0, "\"plain / text\"");
  S_expect_json(L("q\"b\\"), 0, "\"q\\\"b\\\\\"");
  S_expect_json(L("\b\f\n\r\t"), 0, "\"\\b\\f\\n\\r\\t\"");
  /* Other controls as cJSON prints them, lower-case hex. */
  S_expect_json(L("\x01\x1B\x1F"), 0, "\"\\u0001\\u001b\\u001f\"");
  S_expect_json("a\0b", 3, 0, "\"a\\u0000b\"");
  /* Without the flag DEL, C1 and bidi characters pass through. */
  S_expect_json(L("\x7F\xC2\x9B\xE2\x80\xAE\xC3\xA9"), 0,
                "\"\x7F\xC2\x9B\xE2\x80\xAE\xC3\xA9\"");
  /* With it, they are escaped; other characters are kept. */
  S_expect_json(L("\x7F\xC2\x9B\xE2\x80\xAE\xC3\xA9"), CDG_JSON_ESC_SAFE,
                "\"\\u007f\\u009b\\u202e\xC3\xA9\"");
  /* A lone surrogate, as JSON.stringify writes it. */
  S_expect_json(L("x\xED\xA0\xBDy"), 0, "\"x\\ud83dy\"");
  S_expect_json(L("\xED\xBF\xBF"), 0, "\"\\udfff\"");
  /* Other invalid bytes are copied as they are. */
  S_expect_json(L("\xFF" "a\xC3"), 0, "\"\xFF" "a\xC3\"");
  /* n bytes, not up to a NUL. */
  S_expect_json("abc", 2, 0, "\"ab\"");
  /* ED A0 not followed by a continuation byte, and ED cut short, are not
  ** surrogates: copied. */
  S_expect_json(L("\xED\xA0" "A"), 0, "\"\xED\xA0" "A\"");
  S_expect_json(L("x\xED"), 0, "\"x\xED\"");
  S_expect_json(L("x\xED\xA0"), 0, "\"x\xED\xA0\"");
}

/* One character at a time, as the linter writes into its own storage. */
static void test_json_escape_char(void **state) {
  char out[6];
  size_t used = 0;

  (void)state;
  assert_int_equal(cdg_json_escape_char(L("ab"), 0, &used, out), 0);
  assert_int_equal(used, 1);
  assert_int_equal(cdg_json_escape_char(L("\"x"), 0, &used, out), 2);
  assert_memory_equal(out, "\\\"", 2);
  assert_int_equal(used, 1);
  assert_int_equal(cdg_json_escape_char(L("\x1Fx"), 0, &used, out), 6);
  assert_memory_equal(out, "\\u001f", 6);
  assert_int_equal(cdg_json_escape_char(L("\xC3\xA9x"), 0, &used, out), 0);
  assert_int_equal(used, 2); /* a whole character */
  assert_int_equal(
      cdg_json_escape_char(L("\xE2\x80\xAE"), CDG_JSON_ESC_SAFE, &used, out),
      6);
  assert_memory_equal(out, "\\u202e", 6);
  assert_int_equal(used, 3);
  assert_int_equal(cdg_json_escape_char(L("\xED\xB0\x80"), 0, &used, out), 6);
  assert_memory_equal(out, "\\udc00", 6);
  assert_int_equal(cdg_json_escape_char(L("\xFF\xC3\xA9"), 0, &used, out), 0);
  assert_int_equal(used, 1); /* a byte that is not UTF-8 */
}


int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_utf8_decode),
      cmocka_unit_test(test_utf8_valid_count),
      cmocka_unit_test(test_utf8_encode),
      cmocka_unit_test(test_utf8_prefix),
      cmocka_unit_test(test_utf8_cut),
      cmocka_unit_test(test_wtf8),
      cmocka_unit_test(test_char_unsafe),
      cmocka_unit_test(test_json_string),
      cmocka_unit_test(test_json_escape_char),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
