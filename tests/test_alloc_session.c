/*
** test_alloc_session.c: fail the n-th allocation, for every n, across
** loading the pack and passages, a full scripted session written as a
** journal (format 2: each answer an event, committed; half-way the journal
** is read back and reopened, as resume does), every report (text,
** markdown, JSON, FHIR, review), then the session file and the FHIR report
** loaded back. Each run must end cleanly: CDG_OK or CDG_ERR_NOMEM, no block
** left allocated (counted here, independent of ASan and valgrind), and the
** session file, when there is one, always a whole journal (no torn line)
** holding some prefix of the script, with nothing else left beside it.
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
#include "json.h"
#include "report.h"
#include "session.h"
#include "testfile.h"

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
                           const cdg_answers *a, size_t i) {
  static const cli_format fmt[] = {CLI_FORMAT_TEXT, CLI_FORMAT_MARKDOWN,
                                   CLI_FORMAT_JSON, CLI_FORMAT_FHIR};
  report_input in = {pack, ps, a, "2026-01-01T00:00:00Z", 80, 0, NULL, 0};
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

/* A journal call's exit code as a status: out of memory, or a failure
** the sweep does not expect (tmpfs does not fill up). */
static cdg_status S_journal_rc(int rc, const cdg_error *err) {
  if (rc == 0)
    return CDG_OK;
  if (rc != cli_exit_code(CDG_ERR_NOMEM))
    S_FAIL("allocation %ld failed: journal: exit %d: %s", S_fail_at, rc,
           err->message);
  return CDG_ERR_NOMEM;
}

/* Answer step i of the script through the walker and append it to the
** journal j (an "answered" event, committed: written and fsynced). */
static cdg_status S_step(journal *j, cdg_walker *w, size_t i) {
  const cdg_question *q = cdg_walker_next(w);
  size_t n = S_script[i][2] ? 2 : 1;
  cJSON *now = NULL;
  cdg_error err;
  cdg_status st;
  char *json;

  if (!q || strcmp(cdg_question_id(q), S_script[i][0]) != 0)
    S_FAIL("allocation %ld failed: step %zu asks %s, not %s", S_fail_at, i,
           q ? cdg_question_id(q) : "nothing", S_script[i][0]);
  st = cdg_walker_answer_codes(w, S_script[i][0], &S_script[i][1], n, &err);
  if (st != CDG_OK)
    return st;
  json = cdg_answers_to_json(cdg_walker_answers(w));
  if (!json || !(now = cJSON_Parse(json))) {
    st = CDG_ERR_NOMEM;
  } else if (journal_add(j, "answered", S_script[i][0],
                         cJSON_GetObjectItemCaseSensitive(now, S_script[i][0]),
                         NULL) != 0) {
    st = CDG_ERR_NOMEM;
  } else {
    st = S_journal_rc(journal_commit(j, &err), &err);
    if (st == CDG_OK && S_recording)
      S_snap[i] = strdup(json);
  }
  cJSON_Delete(now);
  cdg_free(json);
  return st;
}

/* Where the script is cut: the first half into a new journal, the rest
** after reading it back as resume does. */
#define S_RESUME_AT 3

/* The 1.0 pack (tests/fixtures/pack-1.0), read once by S_setup:
** the questionnaire walk below scripts its eight questions, and the
** built-in 2.0's 34 would make the sweep of every allocation far longer
** for no new path through the allocator (test_alloc_lint_builtin still
** sweeps the built-in pack's load and lint). */
static char *S_pack1;
static size_t S_pack1_len;

static cdg_status S_load_pack1(cdg_pack **out, cdg_error *err) {
  return cdg_pack_load(S_pack1, S_pack1_len, "pack.json", out, err);
}

/*
** One run with allocation number fail_at failing, into a new journal at
** session_path: half the script, then the journal read back and reopened
** (resume) for the rest, the reports, and the session file and the FHIR
** report loaded back. Returns CDG_OK when every step succeeded, else the
** first failing status (must be NOMEM).
*/
static cdg_status S_run(const char *session_path) {
  cdg_pack *pack = NULL;
  cdg_passages *ps = NULL;
  cdg_walker *w = NULL;
  cdg_outcome *o = NULL;
  journal *j = NULL;
  session_file f;
  cdg_error err;
  cdg_status st;
  size_t i;

  memset(&f, 0, sizeof f);
  unlink(session_path);
  st = cdg_passages_builtin(&ps, &err);
  if (st == CDG_OK)
    st = S_load_pack1(&pack, &err);
  if (st == CDG_OK)
    st = cdg_walker_new(pack, &w);
  if (st == CDG_OK && (!(j = journal_new(session_path)) ||
                       journal_set_pack(j, cdg_pack_id(pack),
                                        cdg_pack_version(pack)) != 0))
    st = CDG_ERR_NOMEM;
  if (st == CDG_OK)
    st = S_journal_rc(journal_open(j, &err), &err);
  for (i = 0; st == CDG_OK && i < S_RESUME_AT; i++)
    st = S_step(j, w, i);
  /* Resume: the journal read back (streamed) becomes the writer. */
  journal_free(j);
  j = NULL;
  cdg_walker_free(w);
  w = NULL;
  if (st == CDG_OK)
    st = session_read(session_path, pack, 0, &f, &err);
  if (st != CDG_OK && st != CDG_ERR_NOMEM)
    S_FAIL("allocation %ld failed: resume: %s", S_fail_at, err.message);
  if (st == CDG_OK && (!f.j || journal_torn_line(f.j) != 0))
    S_FAIL("allocation %ld failed: resume: not a whole journal", S_fail_at);
  if (st == CDG_OK)
    st = cdg_walker_new(pack, &w);
  if (st == CDG_OK)
    st = cdg_walker_restore(w, f.answers);
  if (st == CDG_OK) {
    j = f.j;
    f.j = NULL;
    st = S_journal_rc(journal_open(j, &err), &err);
  }
  if (st == CDG_OK && journal_add(j, "resumed", NULL, NULL, NULL) != 0)
    st = CDG_ERR_NOMEM;
  for (i = S_RESUME_AT; st == CDG_OK && i < sizeof S_script / sizeof *S_script;
       i++)
    st = S_step(j, w, i);
  if (st == CDG_OK && journal_add(j, "finished", NULL, NULL, NULL) != 0)
    st = CDG_ERR_NOMEM;
  if (st == CDG_OK)
    st = S_journal_rc(journal_commit(j, &err), &err);
  journal_free(j);
  session_file_free(&f);
  if (st == CDG_OK)
    st = cdg_outcome_eval(pack, cdg_walker_answers(w), ps, &o, &err);
  for (i = 0; st == CDG_OK && i < S_NREPORTS; i++)
    st = S_report(pack, ps, cdg_walker_answers(w), i);
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

/*
** The session file's answers, read with the plain allocator: NULL when
** there is no file (the run failed before its first event). A file that is
** there must be a whole journal: format 2, no torn line.
*/
static char *S_saved_answers(const char *path) {
  cdg_pack *pack = NULL;
  session_file f;
  cdg_error err;
  char *json = NULL, *copy = NULL;

  memset(&f, 0, sizeof f);
  if (access(path, F_OK) != 0)
    return NULL;
  assert_int_equal(S_load_pack1(&pack, &err), CDG_OK);
  if (session_read(path, pack, 1, &f, &err) != CDG_OK)
    S_FAIL("allocation %ld failed: the journal cannot be read: %s",
           S_fail_at, err.message);
  if (f.format != 2 || !f.j || journal_torn_line(f.j) != 0)
    S_FAIL("allocation %ld failed: not a whole journal (format %d, torn "
           "line %zu)", S_fail_at, f.format,
           f.j ? journal_torn_line(f.j) : 0);
  json = cdg_answers_to_json(f.answers);
  if (json)
    copy = strdup(json);
  cdg_free(json);
  session_file_free(&f);
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
    S_fail_at = n; /* for the messages of S_saved_answers */
    saved = S_saved_answers(path);
    S_fail_at = 0;
    /* No file: the run failed before its first event was written. */
    for (i = 0, found = !saved; saved && i < nsnap; i++)
      found |= S_snap[i] && strcmp(saved, S_snap[i]) == 0;
    if (!found)
      S_FAIL("allocation %ld of %ld failed: session file holds %s", n,
             total, saved);
    free(saved);
    if (S_entries(dir) > 1)
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

static int S_setup(void **state) {
  (void)state;
  S_pack1 = testfile_source("tests/fixtures/pack-1.0/pack.json", &S_pack1_len);
  return 0;
}

static int S_teardown(void **state) {
  (void)state;
  free(S_pack1);
  return 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_allocation_fails_cleanly),
  };
  return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
