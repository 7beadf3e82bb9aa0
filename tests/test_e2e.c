/*
** test_e2e.c: the questionnaire at a terminal and through pipes, the real
** binary driven by the expect of e2e.h: answers by number and by label
** with Tab, back and change, help and why, Ctrl-C and resume, Ctrl-D,
** signals, colour, SIGKILL after every answer, end of input.
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

/* ---- Cases ------------------------------------------------------------- */

static void test_full_by_numbers(void **state) {
  const char *path = e2e_path("numbers.json");
  const char *args[] = {"--session", path, NULL};
  struct stat sb;
  e2e_term t;

  (void)state;
  e2e_spawn(&t, args);
  e2e_expect(&t, "Question 1 of about");
  e2e_expect(&t, "Which way is your head pulled?");
  e2e_expect(&t, "(choose one or more, e.g. 1 3)");
  e2e_answer(&t, "3");
  e2e_expect(&t, "Question 2 of about");
  e2e_expect(&t, "(choose one)");
  e2e_answer(&t, "2");
  e2e_answer(&t, "2");
  e2e_expect(&t, "Which of these treatments");
  e2e_answer(&t, "1 3");
  e2e_expect(&t, "How did physiotherapy go?");
  e2e_answer(&t, "1");
  e2e_expect(&t, "How did the botulinum toxin injections go?");
  e2e_answer(&t, "3");
  /* The numbered summary, confirmed with Enter, then the report: a
  ** not-helping treatment cites the denervation passage. */
  e2e_expect(&t, "That was the last question. Your answers:");
  e2e_expect(&t, " 6) How did the botulinum toxin injections go?");
  e2e_answer(&t, "");
  e2e_expect(&t, "spd-alternative");
  assert_int_equal(e2e_wait(&t), 0);
  assert_non_null(strstr(t.out, path));
  e2e_check_answers(path,
                  "{\"posture\": [\"torticollis\"], \"age_group\": \"adult\","
                  " \"duration\": \"1_to_5_years\", \"treatments_tried\": "
                  "[\"physiotherapy\", \"botulinum_toxin\"], "
                  "\"outcome_physiotherapy\": \"helped\", "
                  "\"outcome_botulinum_toxin\": \"not_helped\"}");
  assert_int_equal(stat(path, &sb), 0);
  assert_int_equal(sb.st_mode & 07777, 0600);
}

static void test_labels_and_tab(void **state) {
  const char *path = e2e_path("labels.json");
  const char *args[] = {"--session", path, NULL};
  e2e_term t;

  (void)state;
  e2e_spawn(&t, args);
  e2e_expect(&t, "Which way is your head pulled?");
  e2e_expect(&t, "> ");
  e2e_wait_raw(&t); /* a tab typed sooner is echoed by the terminal */
  e2e_send(&t, "to\t");
  e2e_expect(&t, "To the side (torticollis)");
  e2e_send(&t, "\r");
  e2e_expect(&t, "child or an adult?");
  e2e_expect(&t, "> ");
  e2e_send(&t, "an\t");
  e2e_expect(&t, "An adult");
  e2e_send(&t, "\r");
  /* A label typed in full, in another case. */
  e2e_answer(&t, "more THAN 5 years");
  e2e_expect(&t, "Which of these treatments");
  e2e_expect(&t, "> ");
  e2e_send(&t, "phys\t, bot\t");
  e2e_expect(&t, "Botulinum toxin injections (such as Botox)");
  e2e_send(&t, "\r");
  e2e_expect(&t, "How did physiotherapy go?");
  /* Codes work too, and a unique prefix of a label. */
  e2e_answer(&t, "partly_helped");
  e2e_expect(&t, "botulinum toxin injections go?");
  e2e_answer(&t, "stopped");
  e2e_expect(&t, "That was the last question");
  e2e_answer(&t, "");
  e2e_expect(&t, "adverse-events-yellow-card");
  assert_int_equal(e2e_wait(&t), 0);
  e2e_check_answers(path,
                  "{\"posture\": [\"torticollis\"], \"age_group\": \"adult\","
                  " \"duration\": \"over_5_years\", \"treatments_tried\": "
                  "[\"physiotherapy\", \"botulinum_toxin\"], "
                  "\"outcome_physiotherapy\": \"partly_helped\", "
                  "\"outcome_botulinum_toxin\": \"stopped_side_effects\"}");
}

/* Tab on an empty line lists every label; a pack label holding ESC and
** BEL is listed sanitised, never raw. */
static void test_tab_list_sanitised(void **state) {
  const char *dir = e2e_path("tabpack"), *path = e2e_path("tablist.json");
  const char *args[] = {"--pack", dir, "--session", path, NULL};
  char *pack = testfile_read(
      CDG_SOURCE_DIR "/tests/bad/check/escape-in-label.json", NULL);
  e2e_term t;

  (void)state;
  assert_int_equal(mkdir(dir, 0700), 0);
  e2e_write(e2e_path("tabpack/pack.json"), pack);
  free(pack);
  e2e_spawn(&t, args);
  e2e_expect(&t, "Which way is the head pulled?");
  e2e_expect(&t, "> ");
  e2e_send(&t, "\t");
  e2e_expect(&t, "  Back\xEF\xBF\xBD[2Jwards\xEF\xBF\xBD");
  e2e_expect(&t, "  Turned to one side");
  t.mark = 0;
  assert_null(e2e_find(&t, "\033[2J"));
  e2e_send(&t, "\025q\r");
  assert_int_equal(e2e_wait(&t), 0);
}

static void test_invalid_answers(void **state) {
  const char *path = e2e_path("invalid.json");
  const char *args[] = {"--session", path, NULL};
  e2e_term t;

  (void)state;
  e2e_spawn(&t, args);
  e2e_answer(&t, "9");
  e2e_expect(&t, "There is no option 9: choose 1 to 4.");
  e2e_expect(&t, "Which way is your head pulled?");
  e2e_answer(&t, "sideways");
  e2e_expect(&t, "\"sideways\" is not one of the answers");
  /* "Not sure" may not be combined with a posture. */
  e2e_answer(&t, "1 4");
  e2e_expect(&t, "Which way is your head pulled?");
  e2e_answer(&t, "1");
  e2e_expect(&t, "child or an adult?");
  e2e_answer(&t, "1 2");
  e2e_expect(&t, "Choose only one answer");
  e2e_answer(&t, "q");
  assert_int_equal(e2e_wait(&t), 0);
  e2e_check_answers(path, "{\"posture\": [\"retrocollis\"]}");
}

static void test_back_and_change(void **state) {
  const char *path = e2e_path("back.json");
  const char *args[] = {"--session", path, NULL};
  e2e_term t;

  (void)state;
  e2e_spawn(&t, args);
  e2e_answer(&t, "2");
  e2e_answer(&t, "2");
  e2e_answer(&t, "3");
  e2e_expect(&t, "Which of these treatments");
  e2e_answer(&t, "3 4");
  e2e_expect(&t, "botulinum toxin injections go?");
  e2e_answer(&t, "3");
  e2e_expect(&t, "How did the brain surgery go?");
  e2e_answer(&t, "<");
  /* Back: the old answer is the default. */
  e2e_expect(&t, "botulinum toxin injections go?");
  e2e_expect(&t, "[3] > ");
  e2e_send(&t, "back\r");
  e2e_expect(&t, "Which of these treatments");
  e2e_expect(&t, "[3 4] > ");
  e2e_send(&t, "5\r");
  e2e_expect(&t, "That was the last question");
  e2e_answer(&t, "");
  assert_int_equal(e2e_wait(&t), 0);
  e2e_check_answers(path, "{\"posture\": [\"anterocollis\"], \"age_group\": "
                        "\"adult\", \"duration\": \"over_5_years\", "
                        "\"treatments_tried\": [\"none\"]}");
}

/* Optional questions (the fixture pack's side_effects and years): Enter
** with nothing shown, or skip, leaves them unanswered; required ones
** refuse skip. A text default is shown as typed, UTF-8 and all. */
static void test_skip_optional(void **state) {
  const char *path = e2e_path("skip.json");
  const char *args[] = {"--pack", CDG_SOURCE_DIR "/tests/fixtures/mini",
                        "--session", path, NULL};
  e2e_term t;

  (void)state;
  e2e_spawn(&t, args);
  e2e_answer(&t, "skip");
  e2e_expect(&t, "This question needs an answer.");
  e2e_answer(&t, "1");
  e2e_answer(&t, "2");
  e2e_answer(&t, "2");
  e2e_expect(&t, "How did botulinum toxin go?");
  e2e_answer(&t, "3");
  e2e_expect(&t, "Which side effects?");
  e2e_expect(&t, "(optional: press Enter to leave it unanswered)");
  e2e_answer(&t, "");
  e2e_expect(&t, "Years since onset?");
  e2e_answer(&t, "back");
  e2e_expect(&t, "Which side effects?");
  e2e_answer(&t, "M\xC3\xBC" "de");
  e2e_expect(&t, "Years since onset?");
  e2e_answer(&t, "back");
  e2e_expect(&t, "(optional: type skip to leave it unanswered)");
  e2e_expect(&t, "[M\xC3\xBC" "de] > "); /* not "M??de" */
  e2e_send(&t, "skip\r");
  e2e_expect(&t, "Years since onset?");
  e2e_answer(&t, "skip");
  e2e_expect(&t, "That was the last question");
  e2e_answer(&t, "");
  assert_int_equal(e2e_wait(&t), 0);
  e2e_check_answers(path, "{\"posture\": [\"retrocollis\"], \"age_group\": "
                        "\"adult\", \"tried\": [\"toxin\"], "
                        "\"outcome_toxin\": \"stopped_side_effects\"}");
}

static void test_enter_takes_default(void **state) {
  const char *path = e2e_path("default.json");
  const char *args[] = {"--session", path, NULL};
  e2e_term t;

  (void)state;
  e2e_spawn(&t, args);
  e2e_answer(&t, "1 3");
  e2e_expect(&t, "child or an adult?");
  e2e_answer(&t, "back");
  e2e_expect(&t, "[1 3] > ");
  e2e_send(&t, "\r");
  e2e_expect(&t, "child or an adult?");
  e2e_answer(&t, "q");
  assert_int_equal(e2e_wait(&t), 0);
  e2e_check_answers(path, "{\"posture\": [\"retrocollis\", \"torticollis\"]}");
}

/* Keys libedit would give other meanings: M-x (its command line) and
** the history keys (with no history, they cleared the line) do nothing. */
static void test_editor_keys_inert(void **state) {
  const char *path = e2e_path("keys.json");
  e2e_term t;

  (void)state;
  e2e_spawn(&t, (const char *const[]){"--session", path, NULL});
  e2e_expect(&t, "> ");
  e2e_send(&t, "\033x2\033[A\020\016\r");
  e2e_expect(&t, "Question 2 of about");
  e2e_answer(&t, "q");
  assert_int_equal(e2e_wait(&t), 0);
  e2e_check_answers(path, "{\"posture\": [\"anterocollis\"]}");
}

static void test_help_and_why(void **state) {
  const char *path = e2e_path("why.json");
  const char *args[] = {"--session", path, NULL};
  e2e_term t;

  (void)state;
  e2e_spawn(&t, args);
  e2e_answer(&t, "?");
  e2e_expect(&t, "Choose every one that fits.");
  e2e_answer(&t, "why");
  e2e_expect(&t, "about-cervical-dystonia");
  e2e_answer(&t, "2");
  e2e_expect(&t, "child or an adult?");
  e2e_answer(&t, "why");
  e2e_expect(&t, "cd-postures");
  e2e_expect(&t, "posture-recorded");
  e2e_answer(&t, "review");
  e2e_expect(&t, "Forwards (anterocollis)");
  e2e_answer(&t, "q");
  e2e_expect(&t, "cdguide resume");
  assert_int_equal(e2e_wait(&t), 0);
}

static void test_ctrl_c_then_resume(void **state) {
  const char *path = e2e_path("ctrlc.json");
  const char *args[] = {"--session", path, NULL};
  const char *resume[] = {"resume", path, NULL};
  e2e_term t;

  (void)state;
  e2e_spawn(&t, args);
  e2e_answer(&t, "1");
  e2e_answer(&t, "1");
  e2e_expect(&t, "How long have you had");
  e2e_expect(&t, "> ");
  e2e_send(&t, "2");  /* typed, never confirmed */
  e2e_send(&t, "\003");
  e2e_expect(&t, "cdguide resume");
  assert_int_equal(e2e_wait(&t), 130);
  e2e_check_answers(path,
                  "{\"posture\": [\"retrocollis\"], \"age_group\": \"child\"}");

  e2e_spawn(&t, resume);
  e2e_expect(&t, "Question 3 of about");
  e2e_expect(&t, "How long have you had");
  e2e_answer(&t, "4");
  e2e_expect(&t, "Which of these treatments");
  e2e_send_eof(&t);
  e2e_expect(&t, "cdguide resume");
  assert_int_equal(e2e_wait(&t), 0);
  e2e_check_answers(path, "{\"posture\": [\"retrocollis\"], \"age_group\": "
                        "\"child\", \"duration\": \"not_sure\"}");
}

static void test_ctrl_d(void **state) {
  const char *path = e2e_path("ctrld.json");
  const char *args[] = {"--session", path, NULL};
  e2e_term t;

  (void)state;
  e2e_spawn(&t, args);
  e2e_answer(&t, "4");
  e2e_expect(&t, "child or an adult?");
  e2e_send_eof(&t);
  e2e_expect(&t, "cdguide resume");
  assert_int_equal(e2e_wait(&t), 0);
  assert_non_null(strstr(t.out, path));
  e2e_check_answers(path, "{\"posture\": [\"not_sure\"]}");
}

static void test_sigterm_and_sighup(void **state) {
  const char *path = e2e_path("term.json");
  const char *args[] = {"--session", path, NULL};
  e2e_term t;

  (void)state;
  e2e_spawn(&t, args);
  e2e_answer(&t, "3");
  e2e_expect(&t, "child or an adult?");
  e2e_expect(&t, "> ");
  kill(t.pid, SIGTERM);
  assert_int_equal(e2e_wait(&t), 143);
  e2e_check_answers(path, "{\"posture\": [\"torticollis\"]}");

  e2e_spawn(&t, (const char *const[]){"resume", path, NULL});
  e2e_expect(&t, "child or an adult?");
  e2e_expect(&t, "> ");
  kill(t.pid, SIGHUP);
  assert_int_equal(e2e_wait(&t), 129);
  e2e_check_answers(path, "{\"posture\": [\"torticollis\"]}");
}

/* Colour at a terminal, none with --no-color (nor with NO_COLOR, which
** every other case sets). */
static void test_color(void **state) {
  const char *path = e2e_path("color.json");
  e2e_term t;

  (void)state;
  e2e_allow_color = 1;
  e2e_spawn(&t, (const char *const[]){"--session", path, NULL});
  e2e_expect(&t, "\033[1mWhich way is your head pulled?");
  e2e_answer(&t, "1");
  e2e_answer(&t, "back");
  e2e_answer(&t, "q");
  assert_int_equal(e2e_wait(&t), 0);

  /* The dialogue is on the terminal (stderr) even when the report goes
  ** to a file: coloured, and the report is not. */
  e2e_stdout_to = e2e_path("color-report.txt");
  e2e_spawn(&t, (const char *const[]){"resume", path, NULL});
  e2e_expect(&t, "\033[1mWhich way is your head pulled?");
  e2e_answer(&t, "q");
  assert_int_equal(e2e_wait(&t), 0);
  e2e_stdout_to = NULL;

  e2e_spawn(&t, (const char *const[]){"resume", "--no-color", path, NULL});
  e2e_expect(&t, "Which way is your head pulled?");
  e2e_answer(&t, "q");
  assert_int_equal(e2e_wait(&t), 0);
  e2e_allow_color = 0;
  assert_null(strstr(t.out, "\033[1m"));
  assert_null(strstr(t.out, "\033[2m"));
}

/* One scripted walk of seven questions, killed with SIGKILL after each
** answer in turn: every confirmed answer must be in the session file. */
static void test_sigkill_at_every_question(void **state) {
  static const char *const input[] = {"3", "2", "2", "1 3 4", "1", "2", "3"};
  static const char *const qid[] = {
      "posture",          "age_group",             "duration",
      "treatments_tried", "outcome_physiotherapy", "outcome_botulinum_toxin",
      "outcome_brain_surgery"};
  static const char *const next[] = {
      "Question 2 of", "Question 3 of", "Question 4 of", "Question 5 of",
      "Question 6 of", "Question 7 of", "That was the last question"};
  const size_t nq = sizeof input / sizeof input[0];
  cdg_pack *pack = NULL;
  cdg_error err;
  size_t k, i;
  char name[32];

  (void)state;
  cdg_error_clear(&err);
  assert_int_equal(cdg_pack_builtin(&pack, &err), CDG_OK);
  for (k = 1; k <= nq; k++) {
    const char *path;
    cdg_answers *a = NULL;
    e2e_term t;

    snprintf(name, sizeof name, "kill-%zu.json", k);
    path = e2e_path(name);
    e2e_spawn(&t, (const char *const[]){"--session", path, NULL});
    for (i = 0; i < k; i++) {
      e2e_answer(&t, input[i]);
      e2e_expect(&t, next[i]);
    }
    kill(t.pid, SIGKILL);
    e2e_wait(&t);
    if (session_load(path, pack, &a, &err) != CDG_OK)
      fail_msg("killed after %zu answers: %s: %s", k, path, err.message);
    for (i = 0; i < nq; i++)
      if (cdg_answers_has(a, qid[i]) != (i < k))
        fail_msg("killed after %zu answers: %s is %s", k, qid[i],
                 i < k ? "missing" : "there");
    cdg_answers_free(a);
  }
  cdg_pack_free(pack);
}

static void test_piped_to_report(void **state) {
  static const char input[] = "3\n2\n2\n5\n\n";
  const char *path = e2e_path("piped.json");
  static e2e_piped r;

  (void)state;
  e2e_run_piped(&r, (const char *const[]){"--session", path, NULL}, input,
              sizeof input - 1);
  if (r.status != 0)
    fail_msg("piped run exited %d; stderr:\n%s", r.status, r.err);
  /* The report is on stdout, the questions on stderr. */
  assert_non_null(strstr(r.out, "standard-treatment"));
  assert_null(strstr(r.out, "Question 1 of about"));
  assert_non_null(strstr(r.err, "Which way is your head pulled?"));
  assert_null(strchr(r.out, '\033'));
  e2e_check_answers(path, "{\"posture\": [\"torticollis\"], \"age_group\": "
                        "\"adult\", \"duration\": \"1_to_5_years\", "
                        "\"treatments_tried\": [\"none\"]}");
}

/* The built-in pack (2.0) through pipes: after posture and after the
** botulinum toxin outcome come its optional detail questions, and Enter
** skips each. Counted by hand from the pack: posture_pattern and
** posture_features, the toxin's eight details (products, cycles,
** response, guidance, resistance, side effects, last given, note) and
** severity_scale, 11 in all (the scale's name and score stay disabled).
** Only the answers given are saved, and the outcome cites denervation. */
static void test_builtin_2_0(void **state) {
  static const char input[] = "3\n\n\n2\n2\n3\n3\n"
                              "\n\n\n\n\n\n\n\n\n\n";
  static const char hint[] = "(optional: press Enter to leave it unanswered)";
  const char *path = e2e_path("builtin2.json");
  const char *saved = e2e_pack, *at;
  static e2e_piped r;
  int n = 0;

  (void)state;
  e2e_pack = NULL;
  e2e_run_piped(&r, (const char *const[]){"--session", path, NULL}, input,
                sizeof input - 1);
  e2e_pack = saved;
  if (r.status != 0)
    fail_msg("piped run exited %d; stderr:\n%s", r.status, r.err);
  for (at = strstr(r.err, hint); at; at = strstr(at + 1, hint))
    n++;
  assert_int_equal(n, 11);
  assert_non_null(strstr(r.err, "Which botulinum toxin products have you "
                                "had?"));
  assert_non_null(strstr(r.out, "spd-alternative"));
  e2e_check_answers(path, "{\"posture\": [\"torticollis\"], \"age_group\": "
                          "\"adult\", \"duration\": \"1_to_5_years\", "
                          "\"treatments_tried\": [\"botulinum_toxin\"], "
                          "\"outcome_botulinum_toxin\": \"not_helped\"}");
}

/*
** "Question N of about M" under the built-in 2.0 with its optional
** questions skipped (the walk of test_builtin_2_0): a skip moves N on as
** an answer does, and M counts skipped questions as done. Counted by hand
** from the pack: 34 questions at first; once treatments_tried is only
** botulinum toxin, the 16 of the other treatments go, leaving 6 done and
** 12 to come (its outcome, its 8 details, severity_scale and the 2 it
** enables); severity_scale is the 16th. Skipped, it no longer enables its
** 2, so age_group, changed from the summary, is 4 of about 16.
*/
static void test_progress_counts_skips(void **state) {
  static const char input[] = "3\n\n\n2\n2\n3\n3\n"
                              "\n\n\n\n\n\n\n\n\n"
                              "4\n2\n\n";
  static const char want[] =
      "1/34 2/34 3/34 4/34 5/34 6/34 7/18 8/18 9/18 10/18 11/18 12/18 "
      "13/18 14/18 15/18 16/18 4/16 ";
  const char *path = e2e_path("progress2.json");
  const char *saved = e2e_pack, *at;
  static e2e_piped r;
  char got[512];
  size_t len = 0;

  (void)state;
  e2e_pack = NULL;
  e2e_run_piped(&r, (const char *const[]){"--session", path, NULL}, input,
                sizeof input - 1);
  e2e_pack = saved;
  if (r.status != 0)
    fail_msg("piped run exited %d; stderr:\n%s", r.status, r.err);
  got[0] = '\0';
  for (at = strstr(r.err, "Question "); at; at = strstr(at + 1, "Question ")) {
    unsigned n, m;

    if (sscanf(at, "Question %u of about %u", &n, &m) == 2 &&
        len + 24 < sizeof got)
      len += (size_t)snprintf(got + len, sizeof got - len, "%u/%u ", n, m);
  }
  assert_string_equal(got, want);
}

static void test_piped_eof_midway(void **state) {
  static const char input[] = "3\n2\n";
  const char *path = e2e_path("eof.json");
  static e2e_piped r;

  (void)state;
  e2e_run_piped(&r, (const char *const[]){"--session", path, NULL}, input,
              sizeof input - 1);
  /* Input that ends early says what is missing, and is not success. */
  assert_int_equal(r.status, 65);
  assert_non_null(strstr(r.err, "Input ended with about"));
  assert_non_null(strstr(r.err, "the next is:\n  How long have you had"));
  assert_non_null(strstr(r.err, " resume "));
  assert_non_null(strstr(r.err, path));
  e2e_check_answers(path,
                  "{\"posture\": [\"torticollis\"], \"age_group\": \"adult\"}");
}

/* A question with more options than fit on one screen (70) is answered by
** its last number: the questionnaire offers every option the loader
** allows. */
static void test_many_options(void **state) {
  static char pack[16384];
  static e2e_piped r;
  const char *path = e2e_path("many.json");
  char dir[96];
  size_t n;
  int i;

  (void)state;
  n = (size_t)snprintf(pack, sizeof pack,
                       "{\"id\": \"many\", \"version\": \"0.1.0\", "
                       "\"title\": \"Many options\", \"source\": "
                       "{\"title\": \"Invented\", \"publisher\": \"Nobody\", "
                       "\"sha256\": \"%064d\"}, \"questions\": [{\"id\": "
                       "\"pick\", \"type\": \"single\", \"text\": \"Pick "
                       "one\", \"options\": [",
                       0);
  for (i = 1; i <= 70; i++)
    n += (size_t)snprintf(pack + n, sizeof pack - n,
                          "%s{\"code\": \"o%d\", \"label\": \"Option %d\"}",
                          i > 1 ? ", " : "", i, i);
  snprintf(pack + n, sizeof pack - n,
           "]}], \"rules\": [{\"id\": \"always\", \"when\": true, "
           "\"cite\": [\"cd-what-it-is\"], \"because\": \"Always.\"}]}");
  snprintf(dir, sizeof dir, "%s/many", e2e_dir);
  assert_int_equal(mkdir(dir, 0700), 0);
  e2e_write(e2e_path("many/pack.json"), pack);
  e2e_run_piped(&r,
              (const char *const[]){"--pack", dir, "--session", path, NULL},
              "70\n\n", 4);
  if (r.status != 0)
    fail_msg("exit %d; stderr:\n%s", r.status, r.err);
  assert_non_null(strstr(r.err, "70) Option 70"));
  e2e_check_answers(path, "{\"pick\": \"o70\"}");
}

/* Under TERM=dumb Tab still completes, and nothing typed is a tab: the
** line is redrawn with a carriage return, never an escape sequence. */
static void test_dumb_terminal_tab(void **state) {
  const char *path = e2e_path("dumb.json");
  e2e_term t;

  (void)state;
  e2e_term_name = "dumb";
  e2e_spawn(&t, (const char *const[]){"--session", path, NULL});
  e2e_term_name = "xterm";
  e2e_expect(&t, "Which way is your head pulled?");
  e2e_expect(&t, "> ");
  e2e_wait_raw(&t); /* a tab typed sooner is echoed by the terminal */
  e2e_send(&t, "to\t");
  e2e_expect(&t, "To the side (torticollis)");
  e2e_send(&t, "\r");
  e2e_expect(&t, "child or an adult?");
  e2e_answer(&t, "q");
  assert_int_equal(e2e_wait(&t), 0);
  t.mark = 0;
  assert_null(e2e_find(&t, "\t"));
  assert_null(e2e_find(&t, "\033"));
  e2e_check_answers(path, "{\"posture\": [\"torticollis\"]}");
}

/*
** Ctrl-Z, then fg, under a real shell with job control (the stop signal
** of a terminal never reaches an orphaned process group, so the program
** must not be the session leader): the question is shown again with what
** was typed, and what is typed next is echoed once, not by the terminal
** as well.
*/
static void test_ctrl_z_and_fg(void **state) {
  const char *path = e2e_path("ctrlz.json");
  char cmd[512];
  const char *typed, *next;
  e2e_term t;

  (void)state;
  if (access("/bin/bash", X_OK) != 0)
    skip();
  e2e_spawn_prog(&t, "/bin/bash",
                 (const char *const[]){"--norc", "--noprofile", "-i", NULL});
  e2e_send(&t, "PS1='sh$ '\r");
  e2e_expect(&t, "sh$ ");
  snprintf(cmd, sizeof cmd, "%s --pack %s --session %s\r", CDG_BINARY,
           E2E_PACK1, path);
  e2e_send(&t, cmd);
  e2e_answer(&t, "3");
  e2e_expect(&t, "child or an adult?");
  e2e_expect(&t, "> ");
  e2e_send(&t, "ad");
  e2e_expect(&t, "ad");
  /* As a person would: Ctrl-Z once the line is on the screen, not in the
  ** microseconds while the editor is still drawing it. */
  usleep(300000);
  e2e_send(&t, "\032");
  e2e_expect(&t, "Stopped");
  e2e_expect(&t, "sh$ ");
  e2e_send(&t, "fg\r");
  e2e_expect(&t, "Are these answers about a child or an adult?");
  /* the prompt and the line again (libedit may move the cursor between) */
  e2e_expect(&t, "> ");
  e2e_expect(&t, "ad");
  typed = t.out + t.mark;
  e2e_send(&t, "ult\r");
  e2e_expect(&t, "How long have you had");
  next = strstr(typed, "ult");
  assert_non_null(next);
  if (strstr(next + 3, "ult") && strstr(next + 3, "ult") < t.out + t.mark)
    fail_msg("typed text echoed twice:\n%s", typed);
  e2e_answer(&t, "q");
  e2e_expect(&t, "sh$ ");
  e2e_send(&t, "exit\r");
  e2e_wait(&t);
  e2e_check_answers(path, "{\"posture\": [\"torticollis\"], "
                          "\"age_group\": \"adult\"}");
}

/* Every line of the output from from to to is at most width columns
** (UTF-8, no escapes with NO_COLOR). */
static void S_lines_fit(const e2e_term *t, size_t from, size_t to,
                        int width) {
  const char *s = t->out + from, *end = t->out + to, *p;
  int cols = 0;

  for (p = s; p < end; p++) {
    if (*p == '\n') {
      cols = 0;
      continue;
    }
    cols += ((unsigned char)*p & 0xC0) != 0x80 && *p != '\r';
    if (cols > width)
      fail_msg("a line wider than %d columns:\n%.*s", width, (int)(end - s),
               s);
  }
}

/* After the window is made narrower, help and why wrap to the new width. */
static void test_resize_rewraps(void **state) {
  const char *path = e2e_path("resize.json");
  struct winsize ws = {24, 40, 0, 0};
  size_t from;
  e2e_term t;

  (void)state;
  e2e_spawn(&t, (const char *const[]){"--session", path, NULL});
  e2e_answer(&t, "3");
  e2e_expect(&t, "child or an adult?");
  e2e_expect(&t, "> ");
  assert_int_equal(ioctl(t.fd, TIOCSWINSZ, &ws), 0); /* and SIGWINCH */
  e2e_pump(&t, 100);
  e2e_send(&t, "?\r");
  e2e_expect(&t, "?\r\n");
  from = t.mark;
  e2e_expect(&t, "unanswered.");
  e2e_expect(&t, "> ");
  S_lines_fit(&t, from, t.mark, 40);
  e2e_send(&t, "why\r");
  e2e_expect(&t, "why\r\n");
  from = t.mark;
  e2e_expect(&t, "your-responsibility");
  e2e_expect(&t, "> ");
  S_lines_fit(&t, from, t.mark, 40);
  e2e_send(&t, "q\r");
  assert_int_equal(e2e_wait(&t), 0);
}

/* A long wrong answer is quoted cut on a character boundary: "x" and 31
** "é" are 63 bytes; 60 would cut the 30th "é" in two. */
static void test_long_input_cut_whole(void **state) {
  const char *path = e2e_path("cut.json");
  static e2e_piped r;
  char in[128], want[128];
  size_t i, n = 0;

  (void)state;
  in[n++] = 'x';
  for (i = 0; i < 31; i++)
    n += (size_t)snprintf(in + n, sizeof in - n, "\xC3\xA9");
  n += (size_t)snprintf(in + n, sizeof in - n, "\nq\n");
  e2e_run_piped(&r, (const char *const[]){"--session", path, NULL}, in, n);
  assert_int_equal(r.status, 0);
  n = (size_t)snprintf(want, sizeof want, "\"x");
  for (i = 0; i < 29; i++)
    n += (size_t)snprintf(want + n, sizeof want - n, "\xC3\xA9");
  snprintf(want + n, sizeof want - n, "...\" is not one of the answers");
  if (!strstr(r.err, want))
    fail_msg("no whole-character quote in:\n%s", r.err);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_full_by_numbers),
      cmocka_unit_test(test_labels_and_tab),
      cmocka_unit_test(test_tab_list_sanitised),
      cmocka_unit_test(test_invalid_answers),
      cmocka_unit_test(test_back_and_change),
      cmocka_unit_test(test_skip_optional),
      cmocka_unit_test(test_enter_takes_default),
      cmocka_unit_test(test_editor_keys_inert),
      cmocka_unit_test(test_help_and_why),
      cmocka_unit_test(test_ctrl_c_then_resume),
      cmocka_unit_test(test_ctrl_d),
      cmocka_unit_test(test_sigterm_and_sighup),
      cmocka_unit_test(test_color),
      cmocka_unit_test(test_sigkill_at_every_question),
      cmocka_unit_test(test_piped_to_report),
      cmocka_unit_test(test_piped_eof_midway),
      cmocka_unit_test(test_builtin_2_0),
      cmocka_unit_test(test_progress_counts_skips),
      cmocka_unit_test(test_many_options),
      cmocka_unit_test(test_dumb_terminal_tab),
      cmocka_unit_test(test_ctrl_z_and_fg),
      cmocka_unit_test(test_resize_rewraps),
      cmocka_unit_test(test_long_input_cut_whole),
  };
  /* The scripts answer pack 1.0's eight questions (its fixture);
  ** test_builtin_2_0 answers the built-in 2.0. */
  e2e_pack = E2E_PACK1;
  return cmocka_run_group_tests(tests, e2e_setup, e2e_teardown);
}
