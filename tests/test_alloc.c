/*
** test_alloc.c: fail the n-th allocation, for every n, across loading the
** pack and passages, a full scripted session (walker, autosave) and
** every report (text, markdown, JSON, FHIR, review), then the session file
** and the FHIR report loaded back. Each run must end cleanly: CDG_OK or CDG_ERR_NOMEM, no block
** left allocated (counted here, independent of ASan and valgrind), and the
** session file always a whole, loadable save of some prefix of the script
** (never partial), with no temporary file left beside it.
*/
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cdg_rules.h"
#include "failalloc.h"
#include "report.h"
#include "session.h"

static long S_fail_at; /* the allocation failing in this run; 0: none */

/* Standard error while the failing runs print to /dev/null; -1 when not
** redirected. Failures restore it first, for cmocka's message. */
static int S_stderr = -1;

static void S_restore_stderr(void) {
  if (S_stderr >= 0) {
    fflush(stderr);
    dup2(S_stderr, 2);
    close(S_stderr);
    S_stderr = -1;
  }
}

#define S_FAIL(...)                                                          \
  do {                                                                       \
    S_restore_stderr();                                                      \
    fail_msg(__VA_ARGS__);                                                   \
  } while (0)

/* The scripted session: answers given in order through the walker. */
static const char *const S_script[][3] = {
    {"posture", "torticollis", "retrocollis"},
    {"age_group", "adult", NULL},
    {"duration", "1_to_5_years", NULL},
    {"treatments_tried", "botulinum_toxin", "physiotherapy"},
    {"outcome_physiotherapy", "partly_helped", NULL},
    {"outcome_botulinum_toxin", "stopped_side_effects", NULL},
};

/* The answers after each step of the clean run, as JSON (plain malloc). */
static char *S_snap[sizeof S_script / sizeof *S_script];
static int S_recording;

/* The reports written after the session: every format and the review. */
#define S_NREPORTS 5
static const char *const S_report_name[S_NREPORTS] = {
    "text", "markdown", "json", "fhir", "review"};
static char *S_report_text[S_NREPORTS]; /* from the clean run (malloc) */

/*
** Report i for the answers. The writer returns 0 or, out of memory, the
** exit code for CDG_ERR_NOMEM; a report written in full must be the same,
** byte for byte, as in the clean run (nothing silently dropped).
*/
static cdg_status S_report(const cdg_pack *pack, const cdg_passages *ps,
                           const cdg_answers *a, int complete, size_t i) {
  static const cli_format fmt[] = {CLI_FORMAT_TEXT, CLI_FORMAT_MARKDOWN,
                                   CLI_FORMAT_JSON, CLI_FORMAT_FHIR};
  report_input in = {pack, ps, a, complete, "2026-01-01T00:00:00Z", 80, 0};
  char *text = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&text, &len);
  int rc;

  assert_non_null(mem);
  rc = i < 4 ? report_write(mem, fmt[i], &in) : report_review(mem, &in);
  assert_int_equal(fclose(mem), 0);
  if (rc != 0 && rc != cli_exit_code(CDG_ERR_NOMEM))
    S_FAIL("allocation %ld failed: %s report: exit code %d, not out of "
           "memory", S_fail_at, S_report_name[i], rc);
  if (rc == 0 && S_recording)
    S_report_text[i] = strdup(text);
  else if (rc == 0 && strcmp(text, S_report_text[i]) != 0)
    S_FAIL("allocation %ld failed: %s report differs from the clean "
           "run's:\n%s", S_fail_at, S_report_name[i], text);
  free(text);
  return rc == 0 ? CDG_OK : CDG_ERR_NOMEM;
}

/*
** Load text (a session file, or the FHIR report: kind says which) back
** into answers; they must be the final answers of the script.
*/
static cdg_status S_reload(const cdg_pack *pack, const char *what,
                           const char *text, session_kind want) {
  cdg_answers *a = NULL;
  session_kind kind;
  cdg_error err;
  cdg_status st;
  char *json;

  st = session_parse(pack, text, strlen(text), what, &a, &kind, &err);
  if (st == CDG_ERR_NOMEM)
    return st;
  if (st != CDG_OK)
    S_FAIL("allocation %ld failed: %s: %s", S_fail_at, what, err.message);
  if (kind != want)
    S_FAIL("allocation %ld failed: %s read as kind %d", S_fail_at, what,
           (int)kind);
  json = cdg_answers_to_json(a);
  cdg_answers_free(a);
  if (!json)
    return CDG_ERR_NOMEM;
  if (strcmp(json, S_snap[sizeof S_snap / sizeof *S_snap - 1]) != 0)
    S_FAIL("allocation %ld failed: %s gives %s", S_fail_at, what, json);
  cdg_free(json);
  return CDG_OK;
}

/* The whole file at path (plain malloc). */
static char *S_read(const char *path) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&buf, &len);
  int c;

  assert_non_null(f);
  assert_non_null(mem);
  while ((c = getc(f)) != EOF)
    putc(c, mem);
  fclose(f);
  assert_int_equal(fclose(mem), 0);
  return buf;
}

/*
** One run with allocation number fail_at failing. Returns CDG_OK when
** every step succeeded, else the first failing status (must be NOMEM).
*/
static cdg_status S_run(const char *session_path) {
  cdg_pack *pack = NULL;
  cdg_passages *ps = NULL;
  cdg_walker *w = NULL;
  cdg_outcome *o = NULL;
  cdg_error err;
  cdg_status st;
  size_t i, n;

  st = cdg_passages_builtin(&ps, &err);
  if (st == CDG_OK)
    st = cdg_pack_builtin(&pack, &err);
  if (st == CDG_OK)
    st = cdg_walker_new(pack, &w);
  for (i = 0; st == CDG_OK && i < sizeof S_script / sizeof *S_script; i++) {
    const cdg_question *q = cdg_walker_next(w);
    if (!q || strcmp(cdg_question_id(q), S_script[i][0]) != 0)
      S_FAIL("allocation %ld failed: step %zu asks %s, not %s", S_fail_at,
             i, q ? cdg_question_id(q) : "nothing", S_script[i][0]);
    n = S_script[i][2] ? 2 : 1;
    st = cdg_walker_answer_codes(w, S_script[i][0], &S_script[i][1], n,
                                 &err);
    if (st == CDG_OK)
      st = session_save(session_path, pack, cdg_walker_answers(w), &err);
    if (st == CDG_OK) {
      char *json = cdg_answers_to_json(cdg_walker_answers(w));
      if (!json)
        st = CDG_ERR_NOMEM;
      else if (S_recording)
        S_snap[i] = strdup(json);
      cdg_free(json);
    }
  }
  if (st == CDG_OK)
    st = cdg_outcome_eval(pack, cdg_walker_answers(w), ps, &o, &err);
  for (i = 0; st == CDG_OK && i < S_NREPORTS; i++)
    st = S_report(pack, ps, cdg_walker_answers(w), cdg_walker_complete(w), i);
  /* The session file and the FHIR report read back. */
  if (st == CDG_OK) {
    char *text = S_read(session_path);
    st = S_reload(pack, "session file", text, SESSION_KIND_SESSION);
    free(text);
  }
  if (st == CDG_OK)
    st = S_reload(pack, "FHIR report", S_report_text[3], SESSION_KIND_FHIR);
  cdg_outcome_free(o);
  cdg_walker_free(w);
  cdg_pack_free(pack);
  cdg_passages_free(ps);
  return st;
}

/* The session file's answers, loaded with the plain allocator. */
static char *S_saved_answers(const char *path) {
  cdg_pack *pack = NULL;
  cdg_answers *a = NULL;
  cdg_error err;
  char *json = NULL, *copy = NULL;

  if (cdg_pack_builtin(&pack, &err) == CDG_OK &&
      session_load(path, pack, &a, &err) == CDG_OK)
    json = cdg_answers_to_json(a);
  if (json)
    copy = strdup(json);
  cdg_free(json);
  cdg_answers_free(a);
  cdg_pack_free(pack);
  return copy;
}

/* Number of entries in dir other than . and .. */
static int S_entries(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  int n = 0;

  assert_non_null(d);
  while ((e = readdir(d)) != NULL)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
      n++;
  closedir(d);
  return n;
}

static void test_every_allocation_fails_cleanly(void **state) {
  /* tmpfs where there is one: thousands of runs each fsync six times. */
  char dir[32];
  char path[64], *saved;
  long total, n, step = 1, runs = 0;
  const char *env = getenv("CDG_ALLOC_STEP");
  size_t i, nsnap = sizeof S_snap / sizeof *S_snap;
  int found, devnull;
  cdg_status st;

  (void)state;
  snprintf(dir, sizeof dir, "%s/cdg_alloc_XXXXXX",
           access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/session.json", dir);

  /* A run with no failure counts the allocations and records the answers
  ** after each step: the only contents the session file may ever hold. */
  S_fail_at = 0;
  failalloc_start(0);
  S_recording = 1;
  assert_int_equal(S_run(path), CDG_OK);
  S_recording = 0;
  assert_int_equal(failalloc_live(), 0);
  total = failalloc_count();
  assert_true(total > 100);

  /* The writers print "out of memory" each time: not worth reading. */
  fflush(stderr);
  S_stderr = dup(2);
  devnull = open("/dev/null", O_WRONLY);
  assert_true(S_stderr >= 0 && devnull >= 0);
  dup2(devnull, 2);
  close(devnull);
  /* CDG_ALLOC_STEP=k fails only every k-th allocation: the valgrind
  ** run, some fifty times slower, samples each phase. */
  if (env && atol(env) > 1)
    step = atol(env);
  for (n = 1; n <= total; n += step) {
    runs++;
    S_fail_at = n;
    failalloc_start(n);
    st = S_run(path);
    if (st != CDG_OK && st != CDG_ERR_NOMEM)
      S_FAIL("allocation %ld of %ld: status %s, not out of memory", n,
             total, cdg_status_str(st));
    if (failalloc_live() != 0)
      S_FAIL("allocation %ld of %ld failed: %ld blocks leaked", n, total,
             failalloc_live());
    S_fail_at = 0;
    failalloc_start(0);
    saved = S_saved_answers(path);
    for (i = 0, found = 0; saved && i < nsnap; i++)
      found |= S_snap[i] && strcmp(saved, S_snap[i]) == 0;
    if (!found)
      S_FAIL("allocation %ld of %ld failed: session file holds %s", n,
             total, saved ? saved : "nothing loadable");
    free(saved);
    if (S_entries(dir) != 1)
      S_FAIL("allocation %ld of %ld failed: temporary file left in %s", n,
             total, dir);
  }
  S_restore_stderr();
  failalloc_stop();
  print_message("failed %ld of the %ld allocations in turn (step %ld)\n",
                runs, total, step);
  for (i = 0; i < nsnap; i++)
    free(S_snap[i]);
  for (i = 0; i < S_NREPORTS; i++)
    free(S_report_text[i]);
  unlink(path);
  rmdir(dir);
}

/* The symbolic check of the built-in pack, with a citation property: each
** allocation fails in turn (PicoSAT's too); each run ends in CDG_OK or
** CDG_ERR_NOMEM and frees everything. */
static void test_check_fails_cleanly(void **state) {
  static const char *const cited[] = {"adverse-events-yellow-card"};
  static const char iff[] =
      "{\"or\":[{\"==\":[{\"var\":\"outcome_physiotherapy\"},"
      "\"stopped_side_effects\"]},{\"==\":[{\"var\":"
      "\"outcome_spasm_drugs\"},\"stopped_side_effects\"]},{\"==\":[{"
      "\"var\":\"outcome_botulinum_toxin\"},\"stopped_side_effects\"]},"
      "{\"==\":[{\"var\":\"outcome_brain_surgery\"},"
      "\"stopped_side_effects\"]}]}";
  cdg_passages *ps = NULL;
  cdg_pack *pack = NULL;
  cdg_lint *lint = NULL;
  cdg_error err;
  cdg_status st;
  long n;

  (void)state;
  assert_int_equal(cdg_passages_builtin(&ps, &err), CDG_OK);
  assert_int_equal(cdg_pack_builtin(&pack, &err), CDG_OK);
  for (n = 1;; n++) {
    failalloc_start(n);
    st = cdg_lint_check_cites(pack, ps, "yellow-card", cited, 1, iff, &lint,
                              &err);
    if (st == CDG_OK && failalloc_count() >= n)
      fail_msg("allocation %ld failed, yet the check succeeded", n);
    if (st == CDG_OK)
      assert_int_equal(cdg_lint_count(lint), 0);
    cdg_lint_free(lint);
    lint = NULL;
    failalloc_stop();
    if (failalloc_live() != 0)
      fail_msg("allocation %ld failed: %ld blocks leaked", n,
               failalloc_live());
    if (st == CDG_OK)
      break;
    assert_int_equal(st, CDG_ERR_NOMEM);
  }
  assert_true(n > 100);
  cdg_pack_free(pack);
  cdg_passages_free(ps);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_allocation_fails_cleanly),
      cmocka_unit_test(test_check_fails_cleanly),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
