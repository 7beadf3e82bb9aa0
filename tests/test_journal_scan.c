/*
** test_journal_scan.c: the fast reader of journal lines (journal_scan.h).
** Every line it takes must be the object cJSON parses from the same line
** (cJSON is the oracle); every line off the fixed shape must be left to
** the general path (NULL, no memory error). A journal of both kinds folds
** to the answers written by hand here.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "journal.h"
#include "journal_scan.h"

/* Lines of the fixed shape, as the writer writes them. */
static const char *const S_taken[] = {
    "{\"seq\":1,\"time\":\"2026-12-02T22:11:06Z\",\"event\":\"resumed\"}",
    "{\"seq\":2,\"time\":\"2026-12-02T22:11:06Z\",\"event\":\"answered\","
    "\"question\":\"age_group\",\"answer\":\"adult\"}",
    "{\"seq\":34,\"time\":\"t\",\"event\":\"changed\",\"question\":"
    "\"posture\",\"answer\":[\"torticollis\",\"retrocollis\"]}",
    "{\"seq\":999999999999999,\"time\":\"\",\"event\":\"answered\","
    "\"question\":\"q\",\"answer\":[\"a\"]}",
    "{\"seq\":5,\"time\":\"t\",\"event\":\"hidden\",\"question\":\"x y\"}",
    "{\"seq\":6,\"time\":\"t\",\"event\":\"answered\",\"question\":\"text\","
    "\"answer\":\"Neck pain, worse at night {not} [sure]: 50%\"}",
};

/* Lines the general path must read: escapes, other bytes, whitespace,
** numbers, other keys or order, trailing data, a torn line. */
static const char *const S_left[] = {
    "",
    "{}",
    "{\"seq\":1,\"time\":\"t\",\"event\":\"started\",\"cdguide_session\":2}",
    "{\"seq\":2,\"time\":\"t\",\"event\":\"answered\",\"question\":\"q\","
    "\"answer\":\"a\\\"b\"}",
    "{\"seq\":2,\"time\":\"t\",\"event\":\"answered\",\"question\":\"q\","
    "\"answer\":\"caf\xC3\xA9\"}",
    "{\"seq\":2,\"time\":\"t\",\"event\":\"answered\",\"question\":\"q\","
    "\"answer\":3}",
    "{\"seq\":2,\"time\":\"t\",\"event\":\"answered\",\"question\":\"q\","
    "\"answer\":[]}",
    "{\"seq\":2,\"time\":\"t\",\"event\":\"answered\",\"question\":\"q\","
    "\"answer\":[\"a\",]}",
    "{\"seq\": 2,\"time\":\"t\",\"event\":\"answered\"}",
    "{\"seq\":02,\"time\":\"t\",\"event\":\"answered\"}",
    "{\"seq\":2.0,\"time\":\"t\",\"event\":\"answered\"}",
    "{\"seq\":1000000000000000,\"time\":\"t\",\"event\":\"answered\"}",
    "{\"time\":\"t\",\"seq\":2,\"event\":\"answered\"}",
    "{\"seq\":2,\"time\":\"t\",\"event\":\"answered\"} ",
    "{\"seq\":2,\"time\":\"t\",\"event\":\"answered\"}x",
    "{\"seq\":2,\"time\":\"t\",\"event\":\"answered\"",
    "{\"seq\":2,\"time\":\"t\",\"event\":\"answered\",\"question\":null}",
    "{\"seq\":2,\"time\":\"t\",\"event\":\"went_back\",\"by\":\"me\"}",
    "{\"seq\":2,\"time\":\"t\tx\",\"event\":\"answered\"}",
};

static void test_taken_lines_are_what_cjson_parses(void **state) {
  size_t i;
  int nomem;

  (void)state;
  for (i = 0; i < sizeof S_taken / sizeof *S_taken; i++) {
    cJSON *got = journal_scan_line(S_taken[i], strlen(S_taken[i]), &nomem);
    cJSON *want = cJSON_Parse(S_taken[i]);

    assert_non_null(want);
    assert_int_equal(nomem, 0);
    if (!got)
      fail_msg("not taken: %s", S_taken[i]);
    if (!cJSON_Compare(got, want, 1))
      fail_msg("taken as another object: %s", S_taken[i]);
    cJSON_Delete(got);
    cJSON_Delete(want);
  }
}

static void test_other_lines_left_to_the_parser(void **state) {
  size_t i;
  int nomem;

  (void)state;
  for (i = 0; i < sizeof S_left / sizeof *S_left; i++) {
    cJSON *got = journal_scan_line(S_left[i], strlen(S_left[i]), &nomem);

    if (got)
      fail_msg("taken, but off the fixed shape: %s", S_left[i]);
    assert_int_equal(nomem, 0);
  }
  /* A prefix of a taken line is never taken. */
  for (i = 0; i < strlen(S_taken[2]); i++) {
    cJSON *got = journal_scan_line(S_taken[2], i, &nomem);

    if (got)
      fail_msg("a prefix of %zu bytes taken", i);
  }
}

/* A journal mixing both kinds of line folds as written here by hand. */
static void test_mixed_journal_folds(void **state) {
  static const char text[] =
      "{\"seq\":1,\"time\":\"t\",\"event\":\"started\",\"cdguide_session\":2,"
      "\"pack\":{\"id\":\"p\",\"version\":\"1\"},\"by\":\"me\"}\n"
      "{\"seq\":2,\"time\":\"t\",\"event\":\"answered\",\"question\":\"a\","
      "\"answer\":[\"x\",\"y\"]}\n"
      "{ \"seq\" : 3, \"time\":\"t\",\"event\":\"answered\",\"question\":"
      "\"b\",\"answer\":\"caf\\u00e9\"}\n"
      "{\"seq\":4,\"time\":\"t\",\"event\":\"answered\",\"question\":\"n\","
      "\"answer\":4.5}\n"
      "{\"seq\":5,\"time\":\"t\",\"event\":\"changed\",\"question\":\"a\","
      "\"answer\":[\"z\"]}\n"
      "{\"seq\":6,\"time\":\"t\",\"event\":\"hidden\",\"question\":\"n\"}\n";
  journal *j = journal_new("mixed.jsonl");
  cJSON *want = cJSON_Parse("{\"a\":[\"z\"],\"b\":\"caf\xC3\xA9\"}");
  cdg_error err;

  (void)state;
  assert_non_null(j);
  assert_int_equal(journal_parse(j, text, sizeof text - 1, 0, &err), CDG_OK);
  assert_int_equal(journal_event_count(j), 6);
  if (!cJSON_Compare(journal_current(j), want, 1)) {
    char *got = cJSON_PrintUnformatted(journal_current(j));
    fail_msg("folded to %s", got);
  }
  assert_non_null(cJSON_GetObjectItem(journal_said(j), "n"));
  cJSON_Delete(want);
  journal_free(j);
}

/* A fast line out of order is refused as any other, with its line. */
static void test_fast_line_checked(void **state) {
  static const char text[] =
      "{\"seq\":1,\"time\":\"t\",\"event\":\"started\",\"cdguide_session\":2,"
      "\"pack\":{\"id\":\"p\",\"version\":\"1\"},\"by\":\"me\"}\n"
      "{\"seq\":3,\"time\":\"t\",\"event\":\"answered\",\"question\":\"a\","
      "\"answer\":\"x\"}\n";
  journal *j = journal_new("order.jsonl");
  cdg_error err;

  (void)state;
  assert_int_equal(journal_parse(j, text, sizeof text - 1, 0, &err),
                   CDG_ERR_ANSWER);
  assert_int_equal(err.line, 2);
  assert_non_null(strstr(err.message, "sequence number out of order"));
  journal_free(j);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_taken_lines_are_what_cjson_parses),
      cmocka_unit_test(test_other_lines_left_to_the_parser),
      cmocka_unit_test(test_mixed_journal_folds),
      cmocka_unit_test(test_fast_line_checked),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
