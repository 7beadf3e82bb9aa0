/*
** test_e2e_session.c: session files end to end, the real binary driven by
** the expect of e2e.h: the resume command, refused and uncreatable
** session files, the default path, back that never deletes, one writer,
** read-only files, --output, the summary and --from.
*/
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2e.h"
#include "session.h"
#include "testfile.h"

/* The resume command is one shell word even with spaces and quotes. */
static void test_resume_command_quoted(void **state) {
  const char *path = e2e_path("it's mine.json");
  char expected[512];
  static e2e_piped r;

  (void)state;
  e2e_run_piped(&r, (const char *const[]){"--session", path, NULL}, "1\n", 2);
  assert_int_equal(r.status, 65);
  snprintf(expected, sizeof expected, " resume '%s/it'\\''s mine.json'",
           e2e_dir);
  if (!strstr(r.err, expected))
    fail_msg("expected %s in:\n%s", expected, r.err);
  e2e_check_answers(path, "{\"posture\": [\"retrocollis\"]}");
}

/* Escape sequences, control bytes, NULs and invalid UTF-8 as answers:
** explained, never echoed raw, and the run ends cleanly at end of input. */
static void test_piped_hostile_bytes(void **state) {
  static const char input[] = "\033[31mred\n"
                              "\x9b"
                              "31m\n"
                              "1\0002\n"
                              "\xff\xfe\xc3\n"
                              "\033]0;title\007\n"
                              "1";
  const char *path = e2e_path("hostile.json");
  static e2e_piped r;

  (void)state;
  e2e_run_piped(&r, (const char *const[]){"--session", path, NULL}, input,
              sizeof input - 1);
  assert_int_equal(r.status, 65);
  assert_null(strstr(r.err, "\033["));
  assert_null(strstr(r.err, "\033]"));
  assert_null(strchr(r.err, '\x9b'));
  assert_null(strchr(r.err, '\a'));
  assert_non_null(strstr(r.err, "is not one of the answers"));
  /* The last line had no line end, and still counts. */
  e2e_check_answers(path, "{\"posture\": [\"retrocollis\"]}");
}

/* A session file that cannot be used is refused and left as it was. */
static void test_resume_refused_untouched(void **state) {
  static const char corrupt[] = "{\"cdguide_session\": 1, \"pack\": {";
  static const char old[] =
      "{\"cdguide_session\": 1, \"pack\": {\"id\": \"cervical-dystonia\", "
      "\"version\": \"0.9.0\"}, \"answers\": {}}\n";
  const char *bad = e2e_path("corrupt.json"), *stale = e2e_path("old.json");
  static e2e_piped r;
  char *after;

  (void)state;
  e2e_write(bad, corrupt);
  e2e_run_piped(&r, (const char *const[]){"resume", bad, NULL}, "", 0);
  assert_int_equal(r.status, 65);
  assert_non_null(strstr(r.err, bad));
  after = testfile_read(bad, NULL);
  assert_string_equal(after, corrupt);
  free(after);

  e2e_write(stale, old);
  e2e_run_piped(&r, (const char *const[]){"resume", stale, NULL}, "", 0);
  assert_int_equal(r.status, 65);
  assert_non_null(strstr(r.err, "session was saved with pack "
                                "cervical-dystonia 0.9.0; this is 1.0.0"));
  after = testfile_read(stale, NULL);
  assert_string_equal(after, old);
  free(after);
}

/* A session file that cannot be created stops the run before the first
** question, with exit 73 (EX_CANTCREAT). */
static void test_session_cannot_be_created(void **state) {
  const char *file = e2e_path("plain-file");
  char path[300];
  static e2e_piped r;

  (void)state;
  e2e_write(file, "x");
  snprintf(path, sizeof path, "%s/s.json", file);
  e2e_run_piped(&r, (const char *const[]){"--session", path, NULL}, "1\n", 2);
  assert_int_equal(r.status, 73);
  assert_non_null(strstr(r.err, path));
  assert_null(strstr(r.err, "Which way is your head pulled?"));
}

/* Without --session the file goes under $XDG_STATE_HOME/cdguide. */
static void test_default_session_path(void **state) {
  static e2e_piped r;
  const char *dir = e2e_path("state/cdguide");
  char *p, *end;
  struct stat sb;

  (void)state;
  e2e_run_piped(&r, (const char *const[]){NULL}, "2\n", 2);
  if (r.status != 65)
    fail_msg("exit %d; stderr:\n%s", r.status, r.err);
  p = strstr(r.err, dir);
  assert_non_null(p);
  end = strstr(p, ".json");
  assert_non_null(end);
  end[5] = '\0';
  assert_int_equal(stat(dir, &sb), 0);
  assert_int_equal(sb.st_mode & 07777, 0700);
  e2e_check_answers(p, "{\"posture\": [\"anterocollis\"]}");
}


/* ---- Issue 13: the journal ------------------------------------------- */

/* Going back five times deletes nothing: the answers stay in the journal
** and come back as defaults on resume. */
static void test_back_never_deletes(void **state) {
  static const char input[] = "3\n2\n2\n1\n<\n<\n<\n<\n<\nq\n";
  const char *path = e2e_path("back5.json");
  static e2e_piped r;
  journal *j = NULL;
  cdg_error err;
  e2e_term t;

  (void)state;
  e2e_run_piped(&r, (const char *const[]){"--session", path, NULL}, input,
              sizeof input - 1);
  assert_int_equal(r.status, 0);
  assert_int_equal(session_read_any(path, &j, &err), CDG_OK);
  assert_int_equal(cJSON_GetArraySize(journal_current(j)), 0);
  assert_int_equal(cJSON_GetArraySize(journal_said(j)), 4);
  journal_free(j);
  e2e_spawn(&t, (const char *const[]){"resume", path, NULL});
  e2e_expect(&t, "Which way is your head pulled?");
  e2e_expect(&t, "[3] > ");
  e2e_send(&t, "\r");
  e2e_expect(&t, "[2] > ");
  e2e_send(&t, "q\r");
  assert_int_equal(e2e_wait(&t), 0);
}

/* One writer: a second resume while the first has the file open is 75,
** naming the file; the file is unchanged. */
static void test_second_writer_refused(void **state) {
  const char *path = e2e_path("two.json");
  static e2e_piped r;
  char *before, *after;
  e2e_term t;

  (void)state;
  e2e_run_piped(&r, (const char *const[]){"--session", path, NULL}, "1\nq\n",
              4);
  assert_int_equal(r.status, 0);
  e2e_spawn(&t, (const char *const[]){"resume", path, NULL});
  e2e_expect(&t, "child or an adult?");
  e2e_expect(&t, "> ");
  before = testfile_read(path, NULL);
  e2e_run_piped(&r, (const char *const[]){"resume", path, NULL}, "2\n", 2);
  assert_int_equal(r.status, 75);
  assert_non_null(strstr(r.err, path));
  assert_non_null(strstr(r.err, "in use"));
  after = testfile_read(path, NULL);
  assert_string_equal(after, before);
  free(before);
  free(after);
  e2e_send(&t, "q\r");
  assert_int_equal(e2e_wait(&t), 0);
}

/* review and run --answers read a session while a questionnaire has it
** open and locked: exit 0, with the answer that questionnaire has just
** written. */
static void test_locked_session_readable(void **state) {
  const char *path = e2e_path("locked.json");
  static e2e_piped r;
  e2e_term t;

  (void)state;
  e2e_run_piped(&r, (const char *const[]){"--session", path, NULL},
                "1\n2\n2\nq\n", 8);
  assert_int_equal(r.status, 0);
  e2e_spawn(&t, (const char *const[]){"resume", path, NULL});
  e2e_answer(&t, "1"); /* Physiotherapy, written before the next question */
  e2e_expect(&t, "How did physiotherapy go?");
  e2e_expect(&t, "> ");
  /* The lock is held: a second writer is refused... */
  e2e_run_piped(&r, (const char *const[]){"resume", path, NULL}, "q\n", 2);
  assert_int_equal(r.status, 75);
  /* ...but readers read. */
  e2e_run_piped(&r, (const char *const[]){"review", path, NULL}, "", 0);
  if (r.status != 0)
    fail_msg("review: exit %d: %s", r.status, r.err);
  assert_non_null(strstr(r.out, "  Physiotherapy                               "
                                "yes           not recorded\n"));
  assert_non_null(strstr(r.out, "Physiotherapy: tried, no outcome "
                                "recorded"));
  e2e_run_piped(&r,
                (const char *const[]){"run", "--answers", path, "--format",
                                      "json", NULL},
                "", 0);
  if (r.status != 0)
    fail_msg("run --answers: exit %d: %s", r.status, r.err);
  assert_non_null(strstr(r.out, "\"value\":\t[\"retrocollis\"]"));
  assert_non_null(strstr(r.out, "\"value\":\t\"adult\""));
  assert_non_null(strstr(r.out, "\"value\":\t[\"physiotherapy\"]"));
  assert_string_equal(r.err, "");
  e2e_send(&t, "q\r");
  assert_int_equal(e2e_wait(&t), 0);
}

/* A read-only session file is never replaced: 77, nothing changed. */
static void test_read_only_session(void **state) {
  const char *path = e2e_path("ro.json");
  static e2e_piped r;
  char *before, *after;

  (void)state;
  e2e_run_piped(&r, (const char *const[]){"--session", path, NULL}, "1\nq\n",
              4);
  assert_int_equal(chmod(path, 0400), 0);
  before = testfile_read(path, NULL);
  e2e_run_piped(&r, (const char *const[]){"resume", path, NULL}, "2\nq\n", 4);
  assert_int_equal(r.status, 77);
  assert_non_null(strstr(r.err, "read-only"));
  assert_null(strstr(r.err, "child or an adult?"));
  after = testfile_read(path, NULL);
  assert_string_equal(after, before);
  free(before);
  free(after);
}

/* cdguide </dev/null makes no session file. */
static void test_no_input_no_file(void **state) {
  const char *path = e2e_path("never.json");
  static e2e_piped r;
  struct stat sb;

  (void)state;
  e2e_run_piped(&r, (const char *const[]){"--session", path, NULL}, "", 0);
  assert_int_equal(r.status, 65);
  assert_non_null(strstr(r.err, "no session file was made"));
  assert_int_equal(lstat(path, &sb), -1);
}

/* --output: '-' and /dev/stdout are standard output; a read-only file is
** refused before the first question. */
static void test_output_path(void **state) {
  const char *answers = CDG_SOURCE_DIR "/tests/golden/mini-answers.json";
  const char *ro = e2e_path("ro-report.txt"), *dash = e2e_path("-");
  static e2e_piped r;
  struct stat sb;

  (void)state;
  e2e_run_piped(&r, (const char *const[]){"run", "--pack",
                                        CDG_SOURCE_DIR "/tests/fixtures/mini",
                                        "--answers", answers, "--output", "-",
                                        NULL},
              "", 0);
  assert_int_equal(r.status, 0);
  assert_true(r.nout > 0);
  assert_int_equal(lstat("-", &sb), -1);
  assert_int_equal(lstat(dash, &sb), -1);
  e2e_run_piped(&r, (const char *const[]){"run", "--pack",
                                        CDG_SOURCE_DIR "/tests/fixtures/mini",
                                        "--answers", answers, "--output",
                                        "/dev/stdout", NULL},
              "", 0);
  assert_int_equal(r.status, 0);
  assert_true(r.nout > 0);
  e2e_write(ro, "keep\n");
  assert_int_equal(chmod(ro, 0400), 0);
  e2e_run_piped(&r, (const char *const[]){"run", "--output", ro, NULL}, "1\n",
              2);
  assert_int_equal(r.status, 77);
  assert_null(strstr(r.err, "Which way is your head pulled?"));
}

/* The numbered summary: change one answer by its number, then confirm;
** the change is a journal event with the old and the new answer. */
static void test_summary_change(void **state) {
  const char *path = e2e_path("summary.json");
  static e2e_piped r;
  e2e_term t;

  (void)state;
  e2e_spawn(&t, (const char *const[]){"--session", path, NULL});
  e2e_answer(&t, "3");
  e2e_answer(&t, "2");
  e2e_answer(&t, "2");
  e2e_answer(&t, "5");
  e2e_expect(&t, "That was the last question. Your answers:");
  e2e_expect(&t, " 2) Are these answers about a child or an adult?");
  e2e_answer(&t, "2");
  e2e_expect(&t, "child or an adult?");
  e2e_answer(&t, "1");
  e2e_expect(&t, "Your answers:");
  e2e_answer(&t, "");
  e2e_expect(&t, "standard-treatment");
  assert_int_equal(e2e_wait(&t), 0);
  e2e_check_answers(path, "{\"posture\": [\"torticollis\"], \"age_group\": "
                        "\"child\", \"duration\": \"1_to_5_years\", "
                        "\"treatments_tried\": [\"none\"]}");
  e2e_run_piped(&r, (const char *const[]){"review", "--history", path, NULL},
              "", 0);
  assert_int_equal(r.status, 0);
  assert_non_null(strstr(r.out, "changed: Are these answers about a child "
                                "or an adult?\n        An adult -> A child"));
  assert_non_null(strstr(r.out, "finished"));
  /* resume of a finished session opens the summary */
  e2e_spawn(&t, (const char *const[]){"resume", path, NULL});
  e2e_expect(&t, "That was the last question. Your answers:");
  e2e_answer(&t, "q");
  assert_int_equal(e2e_wait(&t), 0);
}

/* run --from OLD: each question offers the old answer; Enter keeps it. */
static void test_run_from(void **state) {
  const char *old = e2e_path("from-old.json"), *path = e2e_path("from-new.json");
  static e2e_piped r;
  char *text;

  (void)state;
  e2e_run_piped(&r, (const char *const[]){"--session", old, NULL},
              "3\n2\n2\n5\n\n", 10);
  assert_int_equal(r.status, 0);
  e2e_run_piped(&r,
              (const char *const[]){"run", "--from", old, "--session", path,
                                    NULL},
              "\n\n\n\n\n", 5);
  if (r.status != 0)
    fail_msg("exit %d; stderr:\n%s", r.status, r.err);
  assert_non_null(strstr(r.err, "Starting from the answers in"));
  assert_non_null(strstr(r.err, "[3] > "));
  e2e_check_answers(path, "{\"posture\": [\"torticollis\"], \"age_group\": "
                        "\"adult\", \"duration\": \"1_to_5_years\", "
                        "\"treatments_tried\": [\"none\"]}");
  text = testfile_read(path, NULL);
  assert_non_null(strstr(text, "\"event\":\"started_from\""));
  assert_non_null(strstr(text, "\"version\":\"1.0.0\""));
  free(text);
}

/* An empty session file, as a crash right after creating one leaves:
** review and run --answers say so (65, naming the file); resume starts a
** new session in it, with a line saying so. */
static void test_empty_session_file(void **state) {
  const char *path = e2e_path("empty.json");
  static e2e_piped r;
  char want[512];

  (void)state;
  e2e_write(path, "");
  snprintf(want, sizeof want,
           "cdguide: %s: the file is empty: no answer was ever saved in "
           "it\n",
           path);
  e2e_run_piped(&r, (const char *const[]){"review", path, NULL}, "", 0);
  assert_int_equal(r.status, 65);
  assert_string_equal(r.err, want);
  e2e_run_piped(&r, (const char *const[]){"run", "--answers", path, NULL},
                "", 0);
  assert_int_equal(r.status, 65);
  assert_string_equal(r.err, want);
  e2e_run_piped(&r, (const char *const[]){"run", "--from", path, NULL}, "",
                0);
  assert_int_equal(r.status, 65);
  assert_string_equal(r.err, want);
  e2e_run_piped(&r, (const char *const[]){"resume", path, NULL}, "1\nq\n",
                4);
  if (r.status != 0)
    fail_msg("resume: exit %d: %s", r.status, r.err);
  snprintf(want, sizeof want,
           "The session file %s is empty (no answer was ever saved in it): "
           "starting a new session in it.\n",
           path);
  assert_non_null(strstr(r.err, want));
  e2e_check_answers(path, "{\"posture\": [\"retrocollis\"]}");
  /* and it goes on as any session */
  e2e_run_piped(&r, (const char *const[]){"resume", path, NULL}, "2\nq\n",
                4);
  assert_int_equal(r.status, 0);
  e2e_check_answers(path, "{\"posture\": [\"retrocollis\"], "
                          "\"age_group\": \"adult\"}");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_resume_command_quoted),
      cmocka_unit_test(test_piped_hostile_bytes),
      cmocka_unit_test(test_resume_refused_untouched),
      cmocka_unit_test(test_session_cannot_be_created),
      cmocka_unit_test(test_default_session_path),
      cmocka_unit_test(test_back_never_deletes),
      cmocka_unit_test(test_second_writer_refused),
      cmocka_unit_test(test_locked_session_readable),
      cmocka_unit_test(test_empty_session_file),
      cmocka_unit_test(test_read_only_session),
      cmocka_unit_test(test_no_input_no_file),
      cmocka_unit_test(test_output_path),
      cmocka_unit_test(test_summary_change),
      cmocka_unit_test(test_run_from),
  };
  return cmocka_run_group_tests(tests, e2e_setup, e2e_teardown);
}
