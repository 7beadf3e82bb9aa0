/*
** test_alloc.c: fail the n-th allocation, for every n, across loading the
** pack and passages, a full scripted session written as a journal (format
** 2: each answer an event, committed; half-way the journal is read back
** and reopened, as resume does), every report (text, markdown, JSON,
** FHIR, review), then the session file and the FHIR report loaded back.
** Each run must end cleanly: CDG_OK or CDG_ERR_NOMEM, no block left
** allocated (counted here, independent of ASan and valgrind), and the
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

/* The 1.0 pack (tests/fixtures/pack-1.0), read once by S_inputs_setup:
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

/* A file of the source tree, read with the plain allocator. */
static char *S_slurp(const char *rel, size_t *len) {
  char path[1024];

  snprintf(path, sizeof path, "%s/%s", CDG_SOURCE_DIR, rel);
  return testfile_read(path, len);
}

/* ---- Every other library module (was test_coverage_alloc) ---------- */

/*
** Allocation failure in every library module that the session above does
** not reach: loading passages from text, loading and linting packs (clean
** and with errors), JsonLogic over every operator, answers on a pack with
** text and number questions, walking, outcomes. For each workload, a clean
** run counts the allocations; then each allocation fails in turn. Every
** run must end with CDG_OK or CDG_ERR_NOMEM (never a crash or another
** status) and free every block.
*/

/* ---- Workloads: each returns its first status that is not CDG_OK -------- */

typedef cdg_status (*S_work)(void);

static char *S_passages_json, *S_source, *S_mini, *S_builtin;
static size_t S_passages_len, S_source_len, S_mini_len, S_builtin_len;

/* Bad packs that load but do not lint clean. */
static const char *const S_lint_packs[] = {
    "tests/bad/packs/lint-dup-cite.json",
    "tests/bad/packs/lint-never-enabled.json",
    "tests/bad/packs/lint-never-fires.json",
    "tests/bad/packs/lint-no-option.json",
    "tests/bad/packs/lint-scope-var.json",
    "tests/bad/packs/lint-silent-path.json",
    "tests/bad/packs/lint-unknown-passage.json",
    "tests/bad/packs/lint-unknown-var.json",
};
#define S_NLINT (sizeof S_lint_packs / sizeof *S_lint_packs)
static char *S_lint_text[S_NLINT];
static size_t S_lint_len[S_NLINT];

static cdg_status S_work_passages(void) {
  cdg_passages *ps = NULL;
  cdg_error err;
  cdg_status st;

  st = cdg_passages_load(S_passages_json, S_passages_len,
                         "content/passages.json", S_source, S_source_len, &ps,
                         &err);
  if (st == CDG_OK && cdg_passages_find(ps, "cd-onset") < 0)
    st = CDG_ERR_STATE;
  cdg_passages_free(ps);
  return st;
}

/* The JSON reader: a large object (hashed duplicate check), escaped and
** long keys, a long number. */
static cdg_status S_work_json(void) {
  static char text[4096];
  cJSON *root = NULL;
  cdg_error err;
  cdg_status st;
  size_t n = 0, i;

  if (!text[0]) {
    n += (size_t)snprintf(text + n, sizeof text - n, "{");
    for (i = 0; i < 30; i++)
      n += (size_t)snprintf(text + n, sizeof text - n, "\"k%zu\": [%zu], ", i,
                            i);
    snprintf(
        text + n, sizeof text - n,
        "\"\\u00e9\\ud83d\\ude00\": 1, \"%s\": "
        "1.00000000000000000000000000000000000000000000000000000000000000001}",
        "a-key-longer-than-sixty-four-characters-aaaaaaaaaaaaaaaaaaaaaaaaaaa");
  }
  st = json_parse(text, strlen(text), "t.json", &root, &err);
  cJSON_Delete(root);
  return st;
}

/* Load a pack from text and lint it; the lint's own errors are expected. */
static cdg_status S_load_lint(const char *text, size_t len, const char *file,
                              const cdg_passages *ps) {
  cdg_pack *pack = NULL;
  cdg_lint *lint = NULL;
  cdg_error err;
  cdg_status st;

  st = cdg_pack_load(text, len, file, &pack, &err);
  if (st == CDG_OK)
    st = cdg_lint_run(pack, ps, &lint);
  cdg_lint_free(lint);
  cdg_pack_free(pack);
  return st;
}

/* A pack with a question of every type, each compared with literals and
** an enable_when, so that the exhaustive check builds every kind of
** answer set. */
static const char S_kinds[] =
    "{\"id\": \"k\", \"version\": \"1.0.0\", \"title\": \"K\", \"source\": "
    "{\"title\": \"S\", \"publisher\": \"NICE\", \"sha256\": "
    "\"25a7936f8257a0ff7bbdcd9daa319262c0ea914c94d5bbe64bf2968c2801b20d\"}, "
    "\"questions\": ["
    "{\"id\": \"a\", \"type\": \"single\", \"text\": \"A?\", \"options\": "
    "[{\"code\": \"x\", \"label\": \"X\"}, {\"code\": \"y\", \"label\": "
    "\"Y\"}]}, "
    "{\"id\": \"n\", \"type\": \"number\", \"text\": \"N?\", \"min\": 0, "
    "\"max\": 10}, "
    "{\"id\": \"t\", \"type\": \"text\", \"text\": \"T?\", \"required\": "
    "false, "
    "\"enable_when\": {\"<\": [{\"var\": \"n\"}, 5]}}, "
    "{\"id\": \"m\", \"type\": \"multi\", \"text\": \"M?\", \"options\": "
    "[{\"code\": \"p\", \"label\": \"P\"}, {\"code\": \"q\", \"label\": "
    "\"Q\"}, "
    "{\"code\": \"z\", \"label\": \"Z\", \"exclusive\": true}]}], "
    "\"rules\": ["
    "{\"id\": \"all\", \"when\": true, \"cite\": [\"cd-what-it-is\"], "
    "\"because\": \"b\"}, "
    "{\"id\": \"r\", \"when\": {\"and\": [{\">\": [{\"var\": \"n\"}, 3]}, "
    "{\"==\": [{\"var\": \"t\"}, \"hi\"]}, {\"in\": [\"p\", {\"var\": "
    "\"m\"}]}, "
    "{\"==\": [{\"var\": \"a\"}, \"x\"]}]}, \"cite\": [\"cd-onset\"], "
    "\"because\": \"b\"}]}";

static cdg_status S_work_lint(void) {
  cdg_passages *ps = NULL;
  cdg_error err;
  cdg_status st;
  size_t i;

  st = cdg_passages_builtin(&ps, &err);
  if (st == CDG_OK)
    st = S_load_lint(S_mini, S_mini_len, "mini/pack.json", ps);
  if (st == CDG_OK)
    st = S_load_lint(S_kinds, sizeof S_kinds - 1, "kinds.json", ps);
  for (i = 0; st == CDG_OK && i < S_NLINT; i++)
    st = S_load_lint(S_lint_text[i], S_lint_len[i], S_lint_packs[i], ps);
  cdg_passages_free(ps);
  return st;
}

static cdg_status S_work_lint_builtin(void) {
  cdg_passages *ps = NULL;
  cdg_error err;
  cdg_status st;

  st = cdg_passages_builtin(&ps, &err);
  if (st == CDG_OK)
    st = S_load_lint(S_builtin, S_builtin_len, "pack.json", ps);
  cdg_passages_free(ps);
  return st;
}

/* The same with the 1.0 pack, swept at every allocation (see
** test_alloc_lint_builtin). */
static cdg_status S_work_lint_pack1(void) {
  cdg_passages *ps = NULL;
  cdg_error err;
  cdg_status st;

  st = cdg_passages_builtin(&ps, &err);
  if (st == CDG_OK)
    st = S_load_lint(S_pack1, S_pack1_len, "pack.json", ps);
  cdg_passages_free(ps);
  return st;
}

/* A string of 9 * 2^13 = 73728 characters, built by doubling: larger than
** an arena chunk (65536), so it gets a chunk of its own with no room left. */
#define BIG                                                                    \
  "{\"reduce\": [[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], {\"cat\": "          \
  "[{\"var\": \"accumulator\"}, {\"var\": \"accumulator\"}]}, \"xxxxxxxxx\"]}"

/* JsonLogic: every operator, and values of every kind through them. */
static const char *const S_rules[][2] = {
    {"{\"var\": \"a.b\"}", "{\"a\": {\"b\": [1, \"x\", null, true]}}"},
    {"{\"var\": [\"z\", [1, {\"cat\": [\"k\", 2]}]]}", "{}"},
    {"{\"missing\": [\"a\", \"b\", \"c.d\"]}", "{\"a\": 1}"},
    {"{\"missing_some\": [1, [\"a\", \"b\"]]}", "{\"b\": 2}"},
    {"{\"if\": [{\"==\": [1, \"1\"]}, \"yes\", \"no\"]}", NULL},
    {"{\"?:\": [false, 1, 2]}", NULL},
    {"{\"and\": [1, \"a\", [1]]}", NULL},
    {"{\"or\": [0, \"\", []]}", NULL},
    {"{\"!\": [[]]}", NULL},
    {"{\"!!\": [\"0\"]}", NULL},
    {"{\"===\": [[1], [1]]}", NULL},
    {"{\"!==\": [1, \"1\"]}", NULL},
    {"{\"!=\": [null, 0]}", NULL},
    {"{\"<\": [1, \"2\", 3]}", NULL},
    {"{\"<=\": [\"a\", \"b\"]}", NULL},
    {"{\">\": [[2], 1]}", NULL},
    {"{\">=\": [{\"var\": \"o\"}, \"[object Object]\"]}",
     "{\"o\": {\"x\": 1}}"},
    {"{\"max\": [1, \"3\", 2]}", NULL},
    {"{\"min\": []}", NULL},
    {"{\"+\": [\"1.5\", 2, [3]]}", NULL},
    {"{\"-\": [5]}", NULL},
    {"{\"*\": [2, \"0x10\"]}", NULL},
    {"{\"/\": [1, 3]}", NULL},
    {"{\"%\": [7, -3]}", NULL},
    {"{\"cat\": [\"a\", 1.5, null, [1, [2, 3]], {\"var\": \"o\"}, true]}",
     "{\"o\": {\"x\": 1}}"},
    {"{\"substr\": [\"h\\u00e9llo \\ud83d\\ude00!\", -3, 2]}", NULL},
    {"{\"in\": [\"b\", \"abc\"]}", NULL},
    {"{\"in\": [2, [1, 2]]}", NULL},
    {"{\"merge\": [1, [2, [3]], [[4]]]}", NULL},
    {"{\"map\": [[1, 2, 3], {\"*\": [{\"var\": \"\"}, 2]}]}", NULL},
    {"{\"filter\": [{\"var\": \"xs\"}, {\">\": [{\"var\": \"\"}, 1]}]}",
     "{\"xs\": [1, 2, 3]}"},
    {"{\"reduce\": [[1, 2, 3], {\"+\": [{\"var\": \"current\"}, "
     "{\"var\": \"accumulator\"}]}, 0]}",
     NULL},
    {"{\"all\": [[1, 2], {\">\": [{\"var\": \"\"}, 0]}]}", NULL},
    {"{\"none\": [[1, 2], {\">\": [{\"var\": \"\"}, 5]}]}", NULL},
    {"{\"some\": [{\"var\": \"xs\"}, {\"==\": [{\"var\": \"a\"}, 1]}]}",
     "{\"xs\": [{\"a\": 2}, {\"a\": 1}]}"},
    {"{\"log\": [[1, \"x\", {\"var\": \"a\"}]]}", "{\"a\": 1}"},
    {"[1, {\"var\": \"a\"}, \"s\", null, true, {\"cat\": [\"x\", 2]}]",
     "{\"a\": [1, {\"b\": \"c\"}]}"},
    {"{\"var\": \"a.length\"}", "{\"a\": \"h\\u00e9\"}"},
    /* Each operator over arguments that allocate, so that a failure inside
    ** an argument comes back through the operator. */
    {"{\"==\": [{\"cat\": [\"a\", 1]}, \"a1\"]}", NULL},
    {"{\"!=\": [{\"cat\": [\"a\"]}, {\"cat\": [\"b\"]}]}", NULL},
    {"{\"===\": [{\"cat\": [\"a\"]}, \"a\"]}", NULL},
    {"{\"!==\": [{\"cat\": [\"a\"]}, \"a\"]}", NULL},
    {"{\"<\": [{\"cat\": [\"1\"]}, {\"cat\": [\"2\"]}]}", NULL},
    {"{\"<=\": [1, {\"cat\": [\"2\"]}, {\"cat\": [\"3\"]}]}", NULL},
    {"{\">\": [{\"cat\": [\"b\"]}, {\"cat\": [\"a\"]}]}", NULL},
    {"{\">=\": [{\"cat\": [\"b\"]}, \"a\"]}", NULL},
    {"{\"in\": [{\"cat\": [\"a\"]}, {\"cat\": [\"abc\"]}]}", NULL},
    {"{\"substr\": [{\"cat\": [\"abc\"]}, {\"cat\": [\"1\"]}, {\"cat\": "
     "[\"1\"]}]}",
     NULL},
    {"{\"!\": [{\"cat\": [\"a\"]}]}", NULL},
    {"{\"!!\": [{\"cat\": [\"a\"]}]}", NULL},
    {"{\"if\": [{\"cat\": [\"a\"]}, {\"cat\": [\"b\"]}, {\"cat\": [\"c\"]}]}",
     NULL},
    {"{\"and\": [{\"cat\": [\"a\"]}, {\"cat\": [\"b\"]}]}", NULL},
    {"{\"or\": [{\"cat\": [\"\"]}, {\"cat\": [\"b\"]}]}", NULL},
    {"{\"max\": [{\"cat\": [\"1\"]}, {\"cat\": [\"2\"]}]}", NULL},
    {"{\"min\": [{\"cat\": [\"1\"]}, 2]}", NULL},
    {"{\"+\": [{\"cat\": [\"1\"]}, {\"cat\": [\"2\"]}]}", NULL},
    {"{\"-\": [{\"cat\": [\"5\"]}, {\"cat\": [\"2\"]}]}", NULL},
    {"{\"*\": [{\"cat\": [\"5\"]}, {\"cat\": [\"2\"]}]}", NULL},
    {"{\"/\": [{\"cat\": [\"5\"]}, {\"cat\": [\"2\"]}]}", NULL},
    {"{\"%\": [{\"cat\": [\"5\"]}, {\"cat\": [\"2\"]}]}", NULL},
    {"{\"missing\": [{\"cat\": [\"a\"]}, \"b\"]}", "{\"b\": 1}"},
    {"{\"missing\": {\"merge\": [[\"a\"], [\"b\"]]}}", "{}"},
    {"{\"missing_some\": [1, {\"merge\": [[\"a\"], [\"b\"]]}]}", "{}"},
    {"{\"var\": [{\"cat\": [\"a\"]}, {\"cat\": [\"d\"]}]}", "{}"},
    {"{\"var\": {\"cat\": [\"a.\", \"b\"]}}", "{\"a\": {\"b\": [1, 2]}}"},
    {"{\"map\": [{\"merge\": [[1], [2]]}, {\"cat\": [{\"var\": \"\"}, "
     "\"x\"]}]}",
     NULL},
    {"{\"filter\": [{\"merge\": [[1], [2]]}, {\"cat\": [{\"var\": \"\"}]}]}",
     NULL},
    {"{\"reduce\": [{\"merge\": [[1], [2]]}, {\"cat\": [{\"var\": "
     "\"accumulator\"}, {\"var\": \"current\"}]}, {\"cat\": [\"\"]}]}",
     NULL},
    {"{\"reduce\": [[1], {\"var\": \"\"}, {\"merge\": [[0]]}]}", NULL},
    {"{\"all\": [{\"merge\": [[1]]}, {\"cat\": [{\"var\": \"\"}]}]}", NULL},
    {"{\"some\": [{\"merge\": [[1]]}, {\"cat\": [{\"var\": \"\"}]}]}", NULL},
    {"{\"none\": [{\"merge\": [[1]]}, {\"cat\": [{\"var\": \"\"}]}]}", NULL},
    {"{\"log\": [{\"cat\": [\"x\"]}]}", NULL},
    {"{\"cat\": [{\"merge\": [[1], [2]]}, \"x\", {\"var\": \"o\"}]}",
     "{\"o\": {\"a\": 1}}"},
    {"{\"merge\": [{\"merge\": [[1]]}, {\"cat\": [\"x\"]}]}", NULL},
    {"{\"==\": [{\"var\": \"o\"}, {\"cat\": [\"[object Object]\"]}]}",
     "{\"o\": {}}"},
    {"{\"<\": [{\"var\": \"o\"}, {\"cat\": [\"[object Z\"]}]}", "{\"o\": {}}"},
    {"{\"==\": [{\"merge\": [[1, 2]]}, \"1,2\"]}", NULL},
    {"{\"substr\": [\"\\ud83d\\ude00\\ud83d\\ude00\", 1, 2]}", NULL},
    {"{\"?:\": [{\"cat\": [\"a\"]}, 1, 2]}", NULL},
};
#define S_NRULES (sizeof S_rules / sizeof *S_rules)

/* After BIG the arena's chunk is full, so the next allocation, in the
** operator itself, is a fresh chunk that the sweep fails. Each is swept
** alone: BIG is slow to build again for every failure of a long list. */
/* 4096 copies of k, built by doubling: a list of missing keys this long
** takes an arena chunk of its own (the data has key 1, so the result is
** short). */
#define KEYS(k)                                                                \
  "{\"reduce\": [[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], {\"merge\": "           \
  "[{\"var\": \"accumulator\"}, {\"var\": \"accumulator\"}]}, " k "]}"
static const char *const S_big_rules[][2] = {
    {"{\"==\": [{\"var\": \"o\"}, " BIG "]}", "{\"o\": {}}"},
    {"{\"==\": [" BIG ", {\"var\": \"o\"}]}", "{\"o\": {}}"},
    {"{\"<\": [" BIG ", {\"var\": \"o\"}]}", "{\"o\": {}}"},
    {"{\"<\": [{\"var\": \"o\"}, " BIG "]}", "{\"o\": {}}"},
    {"{\"<=\": [1, " BIG ", {\"var\": \"o\"}]}", "{\"o\": {}}"},
    {"{\"in\": [{\"var\": \"o\"}, " BIG "]}", "{\"o\": {}}"},
    {"{\"var\": {\"merge\": [" BIG "]}}", NULL},
    {"{\"var\": [1, " BIG "]}", NULL},
    {"{\"missing\": [" BIG ", 1]}", NULL},
    {"{\"missing\": [" BIG ", [1, 2]]}", NULL},
    {"{\"missing_some\": [1, [" BIG "]]}", NULL},
    {"{\"missing_some\": [1, [[" BIG "]]]}", NULL},
    {"{\"missing_some\": [1, " BIG "]}", NULL},
    {"{\"substr\": [" BIG ", 1, \"-1\"]}", NULL},
    {"{\"substr\": [" BIG ", {\"var\": \"o\"}, -1]}", "{\"o\": {}}"},
    {"{\"cat\": [" BIG ", [1, 2, [3]]]}", NULL},
    {"{\"map\": [[1, 2], " BIG "]}", NULL},
    {"{\"filter\": [[1, 2], " BIG "]}", NULL},
    {"{\"reduce\": [[1, 2], {\"var\": \"\"}, " BIG "]}", NULL},
    {"{\"all\": [[1, 2], " BIG "]}", NULL},
    {"{\"merge\": [" BIG ", [1, 2]]}", NULL},
    {"{\"max\": [" BIG ", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}", NULL},
    {"{\"+\": [" BIG ", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}", NULL},
    {"{\"log\": [" BIG "]}", NULL},
    {"[" BIG ", 1]", NULL},
    {"{\"var\": {\"if\": [" BIG ", \"s.1\", 0]}}", "{\"s\": \"abc\"}"},
    {"{\"missing\": {\"merge\": [[" BIG "], [[\"a\", \"b\"]]]}}", "{}"},
    {"{\"missing\": " KEYS("[1]") "}", "{\"1\": 0}"},
    {"{\"missing\": " KEYS("[[1]]") "}", "{\"1\": 0}"},
};
#define S_NBIG (sizeof S_big_rules / sizeof *S_big_rules)
static size_t S_big_i;

static cdg_status S_work_logic_big(void) {
  char *out = NULL;
  cdg_error err;
  cdg_status st = cdg_logic_eval_json(S_big_rules[S_big_i][0],
                                      S_big_rules[S_big_i][1], &out, &err);

  if (st != CDG_OK && st != CDG_ERR_NOMEM)
    print_error("%s: %s\n", S_big_rules[S_big_i][0], err.message);
  cdg_free(out);
  return st;
}

static cdg_status S_work_logic(void) {
  cdg_status st = CDG_OK;
  size_t i;

  for (i = 0; st == CDG_OK && i < S_NRULES; i++) {
    char *out = NULL;
    cdg_error err;

    st = cdg_logic_eval_json(S_rules[i][0], S_rules[i][1], &out, &err);
    if (st != CDG_OK && st != CDG_ERR_NOMEM)
      print_error("%s: %s\n", S_rules[i][0], err.message);
    cdg_free(out);
  }
  return st;
}

/* Answers on the mini pack: parse, copy, print, set each type, remove;
** then a walk with back, and the outcome. */
static cdg_status S_work_answers(void) {
  static const char json[] =
      "{\"posture\": [\"torticollis\", \"retrocollis\"], \"age_group\": "
      "\"adult\", \"tried\": [\"toxin\"], \"outcome_toxin\": "
      "\"stopped_side_effects\", \"side_effects\": \"dry mouth\", "
      "\"years\": 4}";
  static const char *const posture[] = {"not_sure"};
  static const char *const adult[] = {"adult"};
  cdg_pack *pack = NULL;
  cdg_passages *ps = NULL;
  cdg_answers *a = NULL, *b = NULL;
  cdg_walker *w = NULL;
  cdg_outcome *o = NULL;
  cdg_error err;
  cdg_status st;
  char *text = NULL;

  st = cdg_pack_load(S_mini, S_mini_len, "mini/pack.json", &pack, &err);
  if (st == CDG_OK)
    st = cdg_passages_builtin(&ps, &err);
  if (st == CDG_OK)
    st = cdg_answers_parse(pack, json, sizeof json - 1, "a.json", &a, &err);
  if (st == CDG_OK)
    st = cdg_answers_copy(a, &b);
  if (st == CDG_OK && !(text = cdg_answers_to_json(b)))
    st = CDG_ERR_NOMEM;
  if (st == CDG_OK)
    st = cdg_answers_set_codes(b, "posture", posture, 1, &err);
  if (st == CDG_OK)
    st = cdg_answers_set_number(b, "years", 12, &err);
  if (st == CDG_OK)
    st = cdg_answers_set_text(b, "side_effects", "headache", &err);
  if (st == CDG_OK)
    cdg_answers_remove(b, "side_effects");
  if (st == CDG_OK)
    st = cdg_outcome_eval(pack, a, ps, &o, &err);
  if (st == CDG_OK)
    st = cdg_walker_new(pack, &w);
  if (st == CDG_OK)
    st = cdg_walker_restore(w, a);
  if (st == CDG_OK)
    st = cdg_walker_back(w);
  if (st == CDG_OK)
    st = cdg_walker_back(w);
  if (st == CDG_OK)
    st = cdg_walker_answer_number(w, "years", 3, &err);
  if (st == CDG_OK)
    st = cdg_walker_answer_codes(w, "age_group", adult, 1, &err);
  if (st == CDG_OK)
    st = cdg_walker_answer_text(w, "side_effects", "rash", &err);
  cdg_free(text);
  cdg_walker_free(w);
  cdg_outcome_free(o);
  cdg_answers_free(b);
  cdg_answers_free(a);
  cdg_passages_free(ps);
  cdg_pack_free(pack);
  return st;
}

/* ---- The sweep ---------------------------------------------------------- */

/* Each allocation fails in turn; under CDG_ALLOC_STEP=k (the valgrind run,
** some fifty times slower) every k-th, as in the session sweep above. */
static void S_sweep_every(const char *name, S_work work, long every);

static void S_sweep(const char *name, S_work work) {
  S_sweep_every(name, work, 1);
}

/* As S_sweep, failing every k-th allocation only, k = max(every,
** CDG_ALLOC_STEP). */
static void S_sweep_every(const char *name, S_work work, long every) {
  const char *env = getenv("CDG_ALLOC_STEP");
  long total, n, nomem = 0, step = env && atol(env) > 1 ? atol(env) : 1;
  cdg_status st;

  if (step < every)
    step = every;

  failalloc_start(0);
  st = work();
  if (st != CDG_OK)
    fail_msg("%s: clean run gave %s", name, cdg_status_str(st));
  if (failalloc_live() != 0)
    fail_msg("%s: clean run left %ld blocks", name, failalloc_live());
  total = failalloc_count();
  assert_true(total > 0);
  for (n = 1; n <= total; n += step) {
    failalloc_start(n);
    st = work();
    if (st != CDG_OK && st != CDG_ERR_NOMEM)
      fail_msg("%s: allocation %ld of %ld failed: status %s", name, n, total,
               cdg_status_str(st));
    if (failalloc_live() != 0)
      fail_msg("%s: allocation %ld of %ld failed: %ld blocks leaked", name, n,
               total, failalloc_live());
    nomem += st == CDG_ERR_NOMEM;
  }
  failalloc_stop();
  /* Most failures must be reported: a run that shrugs one off may only
  ** be a cache or an optional copy. */
  if (nomem == 0)
    fail_msg("%s: no failed allocation was reported", name);
  print_message("%s: failed every %ld of %ld allocations (%ld reported)\n",
                name, step, total, nomem);
}

static void test_alloc_json(void **state) {
  (void)state;
  S_sweep("json", S_work_json);
}

static void test_alloc_passages(void **state) {
  (void)state;
  S_sweep("passages", S_work_passages);
}

static void test_alloc_lint(void **state) {
  (void)state;
  S_sweep("lint", S_work_lint);
}

/* The built-in pack 2.0 takes about 25,600 allocations to load and lint
** (1.0: 1,360), and each run redoes them all: failing every one made this
** whole test take 127 s instead of 9.5 s. So the 1.0 pack (the same loader
** and linter paths, less the integer and date types) is swept at every
** allocation, and 2.0 at every 97th (about 260 runs). */
static void test_alloc_lint_builtin(void **state) {
  (void)state;
  S_sweep("lint 1.0", S_work_lint_pack1);
  S_sweep_every("lint builtin 2.0", S_work_lint_builtin, 97);
}

static void test_alloc_logic(void **state) {
  (void)state;
  S_sweep("logic", S_work_logic);
}

static void test_alloc_logic_big(void **state) {
  char name[32];

  (void)state;
  for (S_big_i = 0; S_big_i < S_NBIG; S_big_i++) {
    snprintf(name, sizeof name, "logic big %zu", S_big_i);
    S_sweep(name, S_work_logic_big);
  }
}

static void test_alloc_answers(void **state) {
  (void)state;
  S_sweep("answers", S_work_answers);
}

static int S_inputs_setup(void **state) {
  size_t i;

  (void)state;
  S_passages_json = S_slurp("content/passages.json", &S_passages_len);
  S_source =
      S_slurp("content/nice-ipg-spd-cervical-dystonia.txt", &S_source_len);
  S_mini = S_slurp("tests/fixtures/mini/pack.json", &S_mini_len);
  S_builtin =
      S_slurp("rules/packs/cervical-dystonia/pack.json", &S_builtin_len);
  S_pack1 = S_slurp("tests/fixtures/pack-1.0/pack.json", &S_pack1_len);
  for (i = 0; i < S_NLINT; i++)
    S_lint_text[i] = S_slurp(S_lint_packs[i], &S_lint_len[i]);
  return 0;
}

static int S_inputs_teardown(void **state) {
  size_t i;

  (void)state;
  free(S_passages_json);
  free(S_source);
  free(S_mini);
  free(S_builtin);
  free(S_pack1);
  for (i = 0; i < S_NLINT; i++)
    free(S_lint_text[i]);
  return 0;
}


/* The symbolic check of the 1.0 pack (its Yellow Card property; 2.0 cites
** the Yellow Card on more conditions), with a citation property: each
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
  const char *env = getenv("CDG_ALLOC_STEP");
  long n, step = env && atol(env) > 1 ? atol(env) : 1;

  (void)state;
  assert_int_equal(cdg_passages_builtin(&ps, &err), CDG_OK);
  assert_int_equal(S_load_pack1(&pack, &err), CDG_OK);
  /* CDG_ALLOC_STEP=k: every k-th allocation only (valgrind). */
  for (n = 1;; n += step) {
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
  assert_true(n > 100 / step);
  cdg_pack_free(pack);
  cdg_passages_free(ps);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_allocation_fails_cleanly),
      cmocka_unit_test(test_alloc_json),
      cmocka_unit_test(test_alloc_passages),
      cmocka_unit_test(test_alloc_lint),
      cmocka_unit_test(test_alloc_lint_builtin),
      cmocka_unit_test(test_alloc_logic),
      cmocka_unit_test(test_alloc_logic_big),
      cmocka_unit_test(test_alloc_answers),
      cmocka_unit_test(test_check_fails_cleanly),
  };
  return cmocka_run_group_tests(tests, S_inputs_setup, S_inputs_teardown);
}
