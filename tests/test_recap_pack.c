/*
** test_recap_pack.c: a second, invented pack (tests/fixtures/recap) with
** ids of its own, its own recap, review topic and closing section, run end
** to end through the real binary: check, run --answers in every format,
** review, export-fhir, a QuestionnaireResponse read back, and the
** questionnaire in a pseudo-terminal, rewrapped after a resize. What the
** reports show of the recap comes from the pack alone.
*/
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "session.h"

#include "fixture.h"
#include "testfile.h"

#define S_PACK CDG_SOURCE_DIR "/tests/fixtures/recap"
#define S_TIMEOUT_MS 30000

static char S_dir[64];

/* Stretching quit for side effects, injections too early to say,
** tablets not tried. */
static const char S_answers[] =
    "{\"head_turn\": [\"leftwards\", \"rightwards\"],"
    " \"patient_band\": \"young\","
    " \"therapies\": [\"stretching\", \"injections\"],"
    " \"result_stretching\": \"quit_side_effects\","
    " \"result_injections\": \"too_early\","
    " \"pain_score\": 6, \"remarks\": \"Worse in the evening\"}";

/* Injections tried, how they went not given. */
static const char S_partial[] =
    "{\"head_turn\": [\"unclear\"], \"patient_band\": \"grown\","
    " \"therapies\": [\"injections\", \"tablets\"]}";

static const char *S_path(const char *name) {
  static char buf[8][256];
  static int k;
  char *p = buf[k++ % 8];

  snprintf(p, 256, "%s/%s", S_dir, name);
  return p;
}

static void S_write(const char *path, const char *text) {
  FILE *fp = fopen(path, "wb");

  assert_non_null(fp);
  fputs(text, fp);
  assert_int_equal(fclose(fp), 0);
}

static void S_env(void) {
  setenv("XDG_STATE_HOME", S_path("state"), 1);
  setenv("HOME", S_dir, 1);
  setenv("NO_COLOR", "1", 1);
  setenv("SOURCE_DATE_EPOCH", "1769850000", 1);
  setenv("LANG", "C.UTF-8", 1);
  unsetenv("LC_ALL");
}

/* ---- Commands through files ---------------------------------------- */

typedef struct S_out {
  char *out, *err; /* malloc'ed */
  int status;
} S_out;

/* Run the binary with args (NULL-terminated), no input, no terminal. */
static void S_run(S_out *r, const char *const *args) {
  char *argv[16];
  size_t i;
  int st;
  pid_t pid;

  argv[0] = (char *)CDG_BINARY;
  for (i = 0; args[i] && i < 14; i++)
    argv[i + 1] = (char *)args[i];
  argv[i + 1] = NULL;
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    int in = open("/dev/null", O_RDONLY);
    int out = open(S_path("stdout"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = open(S_path("stderr"), O_WRONLY | O_CREAT | O_TRUNC, 0600);

    if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 ||
        dup2(err, 2) < 0)
      _exit(126);
    setsid();
    S_env();
    execv(CDG_BINARY, argv);
    _exit(127);
  }
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
    ;
  r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  r->out = testfile_read(S_path("stdout"), NULL);
  r->err = testfile_read(S_path("stderr"), NULL);
}

static void S_done(S_out *r) {
  free(r->out);
  free(r->err);
}

/* s occurs in text, after position *from (moved past it): so several
** calls check an order. */
static void S_then(const char *text, const char *s, size_t *from,
                   const char *what) {
  const char *at = strstr(text + *from, s);

  if (!at)
    fail_msg("%s: expected \"%s\" after offset %zu in:\n%s", what, s, *from,
             text);
  *from = (size_t)(at - text) + strlen(s);
}

static void S_report(S_out *r, const char *answers, const char *fmt) {
  const char *args[] = {"run",   "--pack",   S_PACK, "--answers",
                        answers, "--format", fmt,    NULL};

  S_run(r, args);
  if (r->status != 0)
    fail_msg("run --format %s: exit %d: %s", fmt, r->status, r->err);
}

/* ---- The commands -------------------------------------------------- */

static void test_check_clean(void **state) {
  const char *args[] = {"check", "--pack", S_PACK, NULL};
  S_out r;

  (void)state;
  S_run(&r, args);
  assert_int_equal(r.status, 0);
  assert_non_null(strstr(r.out, "pack recap-test 0.2.0: clean"));
  S_done(&r);
}

static void test_text_report(void **state) {
  S_out r;
  size_t at = 0;

  (void)state;
  S_write(S_path("a.json"), S_answers);
  S_report(&r, S_path("a.json"), "text");
  S_then(r.out, "Pack: recap-test 0.2.0", &at, "text");
  S_then(r.out, "Complete: yes", &at, "text");
  S_then(r.out, "Where does the head turn?\n    To the left; To the right", &at,
         "text");
  S_then(r.out, "Pain today, from 0 to 10?\n    6", &at, "text");
  /* The recap in the pack's order, tablets with no outcome question. */
  S_then(r.out, "  Injections  yes           Too early to say\n", &at, "text");
  S_then(r.out, "  Stretching  yes           Quit for side effects\n", &at,
         "text");
  S_then(r.out, "  Tablets     no            -\n", &at, "text");
  /* Source order, but the pack's closing section (Coding) last. */
  S_then(r.out, "About cervical dystonia [cd-what-it-is]", &at, "text");
  S_then(r.out, "Adverse events [adverse-events-yellow-card]", &at, "text");
  S_then(r.out, "Cited by quit: A therapy was quit for side effects.", &at,
         "text");
  S_then(r.out, "Coding [coding]", &at, "text");
  S_then(r.out, "Cited by every_time: Shown for every answer.", &at, "text");
  S_then(r.out, "Notice", &at, "text");
  assert_null(strstr(r.out, "Your responsibility"));
  S_done(&r);
}

static void test_markdown_report(void **state) {
  S_out r;
  size_t at = 0;

  (void)state;
  S_write(S_path("a.json"), S_answers);
  S_report(&r, S_path("a.json"), "markdown");
  S_then(r.out, "- **Which therapies were used?** Stretching; Injections", &at,
         "markdown");
  S_then(r.out,
         "| Injections | yes | Too early to say |\n"
         "| Stretching | yes | Quit for side effects |\n"
         "| Tablets | no | - |\n",
         &at, "markdown");
  S_then(r.out, "### Adverse events: adverse-events-yellow-card", &at,
         "markdown");
  S_then(r.out, "### Coding: coding", &at, "markdown");
  S_then(r.out, "- every\\_time: Shown for every answer.", &at, "markdown");
  S_done(&r);
}

static const cJSON *S_get(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

  if (!v)
    fail_msg("no \"%s\"", k);
  return v;
}

static void test_json_report(void **state) {
  static const char *const codes[] = {"injections", "stretching", "tablets"};
  S_out r;
  cJSON *root;
  const cJSON *h, *p, *t;
  int i, n;

  (void)state;
  S_write(S_path("a.json"), S_answers);
  S_report(&r, S_path("a.json"), "json");
  root = cJSON_Parse(r.out);
  assert_non_null(root);
  assert_string_equal(S_get(S_get(root, "pack"), "id")->valuestring,
                      "recap-test");
  assert_int_equal(cJSON_GetArraySize(S_get(root, "answers")), 7);
  h = S_get(root, "treatment_history");
  assert_int_equal(cJSON_GetArraySize(h), 3);
  for (i = 0; i < 3; i++)
    assert_string_equal(
        S_get(cJSON_GetArrayItem(h, i), "treatment")->valuestring, codes[i]);
  t = cJSON_GetArrayItem(h, 2);
  assert_true(cJSON_IsFalse(S_get(t, "tried")));
  assert_true(cJSON_IsNull(S_get(t, "outcome")));
  t = cJSON_GetArrayItem(h, 0);
  assert_string_equal(S_get(t, "outcome")->valuestring, "too_early");
  p = S_get(root, "passages");
  n = cJSON_GetArraySize(p);
  assert_int_equal(n, 8);
  assert_string_equal(S_get(cJSON_GetArrayItem(p, n - 1), "id")->valuestring,
                      "coding");
  assert_true(cJSON_IsTrue(S_get(root, "complete")));
  cJSON_Delete(root);
  S_done(&r);
}

static void test_review(void **state) {
  const char *args[] = {"review", "--pack", S_PACK, S_path("a.json"), NULL};
  S_out r;
  size_t at = 0;

  (void)state;
  S_write(S_path("a.json"), S_answers);
  S_run(&r, args);
  assert_int_equal(r.status, 0);
  S_then(r.out,
         "No outcome recorded\n  Injections: tried, no outcome "
         "recorded (answered \"Too early to say\")\n\nNot tried\n"
         "  Tablets: not tried\n",
         &at, "review");
  /* The pack's review topic: only passages on "procedure". */
  S_then(r.out, "Passages on procedure cited for this history\n", &at,
         "review");
  S_then(r.out, "The procedure [spd-what-it-is]", &at, "review");
  assert_null(strstr(r.out + at, "[spd-alternative]"));
  assert_null(strstr(r.out + at, "[coding]"));
  S_done(&r);
}

static void test_incomplete(void **state) {
  const char *args[] = {"review", "--pack", S_PACK, S_path("p.json"), NULL};
  S_out r;
  size_t at = 0;

  (void)state;
  S_write(S_path("p.json"), S_partial);
  S_report(&r, S_path("p.json"), "text");
  S_then(r.out, "Complete: no, some questions are not answered", &at, "text");
  S_then(r.out, "  Injections  yes           not recorded\n", &at, "text");
  S_then(r.out, "  Tablets     yes           not recorded\n", &at, "text");
  S_done(&r);
  S_run(&r, args);
  at = 0;
  S_then(r.out,
         "  Injections: tried, no outcome recorded\n"
         "  Tablets: tried, no outcome recorded\n",
         &at, "review");
  S_then(r.out, "  Stretching: not tried\n", &at, "review");
  S_then(r.out, "The rules cite no passage on procedure for this history.", &at,
         "review");
  S_done(&r);
}

static void test_export_fhir(void **state) {
  static const char *const ids[] = {
      "head_turn",         "patient_band", "therapies", "result_stretching",
      "result_injections", "pain_score",   "remarks"};
  const char *args[] = {"export-fhir", "--pack", S_PACK, NULL};
  S_out r;
  cJSON *q;
  const cJSON *items;
  int i;

  (void)state;
  S_run(&r, args);
  assert_int_equal(r.status, 0);
  q = cJSON_Parse(r.out);
  assert_non_null(q);
  assert_string_equal(S_get(q, "url")->valuestring,
                      "https://cdguide.invalid/fhir/Questionnaire/recap-test");
  items = S_get(q, "item");
  assert_int_equal(cJSON_GetArraySize(items), 7);
  for (i = 0; i < 7; i++)
    assert_string_equal(
        S_get(cJSON_GetArrayItem(items, i), "linkId")->valuestring, ids[i]);
  cJSON_Delete(q);
  S_done(&r);
}

/* The response in --output, read back by run --answers: the same answers
** and the same passages, in the closing order. */
static void test_fhir_read_back(void **state) {
  const char *args[] = {
      "run",      "--pack", S_PACK,     "--answers",       S_path("a.json"),
      "--format", "fhir",   "--output", S_path("qr.json"), NULL};
  S_out r, back, json;
  cJSON *a, *b, *qr;
  const cJSON *ext;

  (void)state;
  S_write(S_path("a.json"), S_answers);
  S_run(&r, args);
  assert_int_equal(r.status, 0);
  S_done(&r);
  S_report(&back, S_path("qr.json"), "json");
  S_report(&json, S_path("a.json"), "json");
  a = cJSON_Parse(json.out);
  b = cJSON_Parse(back.out);
  assert_non_null(a);
  assert_non_null(b);
  fixture_same_report(a, b, "a.json and its response qr.json");
  cJSON_Delete(a);
  cJSON_Delete(b);
  S_done(&back);
  S_done(&json);
  /* The response's own report extension ends with the closing section. */
  {
    char *text = testfile_read(S_path("qr.json"), NULL);
    const cJSON *passages;

    qr = cJSON_Parse(text);
    free(text);
    assert_non_null(qr);
    ext = cJSON_GetArrayItem(S_get(qr, "extension"), 0);
    passages = S_get(ext, "extension");
    text = cJSON_PrintUnformatted(
        cJSON_GetArrayItem(passages, cJSON_GetArraySize(passages) - 1));
    assert_non_null(strstr(text, "\"valueCode\":\"coding\""));
    free(text);
    cJSON_Delete(qr);
  }
}

/* ---- The questionnaire in a pseudo-terminal ------------------------ */

typedef struct S_term {
  pid_t pid;
  int fd;
  char out[1 << 16];
  size_t len, mark;
} S_term;

static long S_now_ms(void) {
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int S_pump(S_term *t, int ms) {
  struct pollfd p = {t->fd, POLLIN, 0};
  ssize_t n;

  if (poll(&p, 1, ms) <= 0)
    return 0;
  if (t->len + 1 >= sizeof t->out)
    fail_msg("more output than the test keeps");
  n = read(t->fd, t->out + t->len, sizeof t->out - t->len - 1);
  if (n <= 0)
    return -1;
  t->len += (size_t)n;
  t->out[t->len] = '\0';
  return 1;
}

/* Wait for s after the mark; move the mark past it. */
static void S_expect(S_term *t, const char *s) {
  long end = S_now_ms() + S_TIMEOUT_MS;
  const char *at;
  int live = 1;

  for (;;) {
    if ((at = strstr(t->out + t->mark, s))) {
      t->mark = (size_t)(at - t->out) + strlen(s);
      return;
    }
    if (!live || S_now_ms() > end)
      fail_msg("expected \"%s\"; the terminal showed:\n%s", s,
               t->out + (t->mark > 200 ? t->mark - 200 : 0));
    live = S_pump(t, 50) >= 0;
  }
}

static void S_type(S_term *t, const char *line) {
  size_t n = strlen(line);

  S_expect(t, "> ");
  assert_int_equal(write(t->fd, line, n), (ssize_t)n);
  assert_int_equal(write(t->fd, "\r", 1), 1);
}

static void S_resize(S_term *t, unsigned short cols) {
  struct winsize ws = {24, cols, 0, 0};

  assert_int_equal(ioctl(t->fd, TIOCSWINSZ, &ws), 0);
}

static void test_questionnaire(void **state) {
  struct winsize ws = {24, 80, 0, 0};
  S_term *t = calloc(1, sizeof *t);
  char *session;
  cJSON *root;
  const cJSON *a;
  int st;

  (void)state;
  assert_non_null(t);
  unlink(S_path("s.json"));
  t->pid = forkpty(&t->fd, NULL, NULL, &ws);
  assert_true(t->pid >= 0);
  if (t->pid == 0) {
    S_env();
    setenv("TERM", "xterm", 1);
    execl(CDG_BINARY, CDG_BINARY, "--pack", S_PACK, "--session",
          S_path("s.json"), (char *)NULL);
    _exit(127);
  }
  S_expect(t, "Where does the head turn?");
  /* Help on one line at 80 columns, wrapped at 30 after a resize. */
  S_type(t, "?");
  S_expect(t, "Invented for tests: choose every direction the head turns "
              "towards.");
  S_resize(t, 30);
  S_type(t, "?");
  S_expect(t, "Invented for tests: choose\r\nevery direction the head turns"
              "\r\ntowards.");
  S_resize(t, 80);
  S_type(t, "1 2");
  S_expect(t, "Which band is the patient in?");
  S_type(t, "Under");
  S_expect(t, "Which therapies were used?");
  S_type(t, "1 2");
  S_expect(t, "How did stretching go?");
  S_type(t, "3");
  S_expect(t, "How did injections go?");
  S_type(t, "why");
  S_expect(t, "  adverse-events-yellow-card\r\n    cited by quit: A therapy "
              "was quit for side effects.");
  S_type(t, "review");
  S_expect(t, "Your answers so far:\r\n  Where does the head turn?\r\n"
              "    To the left; To the right");
  S_type(t, "4");
  S_expect(t, "Pain today");
  S_type(t, "6");
  S_expect(t, "Anything else?");
  S_type(t, "");
  S_expect(t, "That was the last question.");
  S_type(t, "");
  S_expect(t, "  Injections  yes           Too early to say");
  S_expect(t, "Coding [coding]");
  while (waitpid(t->pid, &st, WNOHANG) == 0)
    if (S_pump(t, 50) < 0) {
      waitpid(t->pid, &st, 0);
      break;
    }
  close(t->fd);
  assert_true(WIFEXITED(st));
  assert_int_equal(WEXITSTATUS(st), 0);
  /* The session is a journal: its answers are the fold of its events. */
  (void)session;
  {
    journal *j = NULL;
    cdg_error err;

    assert_int_equal(session_read_any(S_path("s.json"), &j, &err), CDG_OK);
    root = cJSON_Duplicate(journal_current(j), 1);
    journal_free(j);
  }
  assert_non_null(root);
  a = root;
  assert_string_equal(S_get(a, "result_injections")->valuestring, "too_early");
  assert_string_equal(S_get(a, "patient_band")->valuestring, "young");
  assert_int_equal((int)S_get(a, "pain_score")->valuedouble, 6);
  assert_null(cJSON_GetObjectItem(a, "remarks"));
  cJSON_Delete(root);
  free(t);
}

static int setup(void **state) {
  (void)state;
  snprintf(S_dir, sizeof S_dir, "/tmp/cdg-recap-XXXXXX");
  return mkdtemp(S_dir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  testfile_rmtree(S_dir);
  return 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_check_clean),
      cmocka_unit_test(test_text_report),
      cmocka_unit_test(test_markdown_report),
      cmocka_unit_test(test_json_report),
      cmocka_unit_test(test_review),
      cmocka_unit_test(test_incomplete),
      cmocka_unit_test(test_export_fhir),
      cmocka_unit_test(test_fhir_read_back),
      cmocka_unit_test(test_questionnaire),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
