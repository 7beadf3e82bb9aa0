/*
** test_cases.c: data-driven checks of the built-in pack.
**
** tests/cases/NAME.answers.json is an invented patient's answers and
** NAME.expect the passage ids the rules must cite, one per line in source
** order, written by hand from the pack's rules. Each case runs through the
** library and through `cdguide run --answers F --format json`, whose
** report puts "Your responsibility" last.
**
** tests/bad/answers/NAME.json is an answers file that must be rejected and
** NAME.err the one-line error (cdg_error_format) it must give, written by
** hand from the engine's messages. The file is named as
** "tests/bad/answers/NAME.json", as from the top of the source tree;
** `cdguide run` prints the same line after "cdguide: " and exits 65.
*/
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "cdg_rules.h"
#include "fixture.h"
#include "testfile.h"

#define CASES_DIR CDG_SOURCE_DIR "/tests/cases"
#define BAD_DIR CDG_SOURCE_DIR "/tests/bad/answers"
#define MIN_CASES 12
#define MAX_FILES 64
#define MAX_IDS 32

typedef builtin_fixture fixture;

/* A list of strings; each owned. */
typedef struct strlist {
  char *s[MAX_IDS];
  size_t n;
} strlist;

static void S_strlist_clear(strlist *l) {
  while (l->n > 0)
    free(l->s[--l->n]);
}

static void S_strlist_add(strlist *l, const char *s, size_t len) {
  assert_true(l->n < MAX_IDS);
  l->s[l->n] = malloc(len + 1);
  assert_non_null(l->s[l->n]);
  memcpy(l->s[l->n], s, len);
  l->s[l->n][len] = '\0';
  l->n++;
}

/* Non-empty lines of text. */
static void S_lines(const char *text, strlist *out) {
  const char *p = text, *nl;

  while (*p) {
    nl = strchr(p, '\n');
    if (!nl)
      nl = p + strlen(p);
    if (nl > p)
      S_strlist_add(out, p, (size_t)(nl - p));
    p = *nl ? nl + 1 : nl;
  }
}

/* Names in dir ending with suffix, without it, sorted. */
static void S_names(const char *dir, const char *suffix, strlist *out) {
  struct dirent **ents;
  size_t sl = strlen(suffix);
  int n, i;

  n = scandir(dir, &ents, NULL, alphasort);
  if (n < 0)
    fail_msg("cannot list %s", dir);
  for (i = 0; i < n; i++) {
    size_t len = strlen(ents[i]->d_name);
    if (len > sl && strcmp(ents[i]->d_name + len - sl, suffix) == 0)
      S_strlist_add(out, ents[i]->d_name, len - sl);
    free(ents[i]);
  }
  free(ents);
}

static void S_compare(const char *name, const char *how, const strlist *got,
                      const strlist *want) {
  size_t i;

  for (i = 0; i < got->n && i < want->n; i++)
    if (strcmp(got->s[i], want->s[i]) != 0)
      fail_msg("%s (%s): passage %zu is %s, expected %s", name, how, i + 1,
               got->s[i], want->s[i]);
  if (got->n != want->n)
    fail_msg("%s (%s): %zu passages cited, expected %zu (first difference: "
             "%s)",
             name, how, got->n, want->n,
             got->n > want->n ? got->s[want->n] : want->s[got->n]);
}

static void S_expected(const char *name, strlist *want) {
  char path[1024];
  char *text;

  snprintf(path, sizeof path, "%s/%s.expect", CASES_DIR, name);
  text = testfile_read(path, NULL);
  S_lines(text, want);
  free(text);
}

static void test_cases_library(void **state) {
  const fixture *f = *state;
  strlist names = {0}, got = {0}, want = {0};
  char path[1024];
  size_t i, j, len;

  S_names(CASES_DIR, ".answers.json", &names);
  assert_true(names.n >= MIN_CASES);
  for (i = 0; i < names.n; i++) {
    cdg_answers *a = NULL;
    cdg_outcome *o = NULL;
    cdg_error err;
    char *text;

    snprintf(path, sizeof path, "%s/%s.answers.json", CASES_DIR, names.s[i]);
    text = testfile_read(path, &len);
    if (cdg_answers_parse(f->pack, text, len, path, &a, &err) != CDG_OK)
      fail_msg("%s: answers rejected: %s", names.s[i], err.message);
    if (cdg_outcome_eval(f->pack, a, f->ps, &o, &err) != CDG_OK)
      fail_msg("%s: outcome failed: %s", names.s[i], err.message);
    for (j = 0; j < cdg_outcome_count(o); j++) {
      const char *id = cdg_outcome_passage(o, j);
      S_strlist_add(&got, id, strlen(id));
    }
    S_expected(names.s[i], &want);
    S_compare(names.s[i], "library", &got, &want);
    S_strlist_clear(&got);
    S_strlist_clear(&want);
    cdg_outcome_free(o);
    cdg_answers_free(a);
    free(text);
  }
  S_strlist_clear(&names);
}

static void test_bad_answers_library(void **state) {
  const fixture *f = *state;
  strlist names = {0};
  char path[1024], file[1024], line[1024];
  size_t i, len;

  S_names(BAD_DIR, ".json", &names);
  assert_true(names.n >= 5);
  for (i = 0; i < names.n; i++) {
    cdg_answers *a = NULL;
    cdg_error err;
    cdg_status st;
    char *text, *want;

    snprintf(path, sizeof path, "%s/%s.json", BAD_DIR, names.s[i]);
    snprintf(file, sizeof file, "tests/bad/answers/%s.json", names.s[i]);
    text = testfile_read(path, &len);
    st = cdg_answers_parse(f->pack, text, len, file, &a, &err);
    if (st == CDG_OK)
      fail_msg("%s: accepted, must be rejected", names.s[i]);
    if (st != CDG_ERR_ANSWER && st != CDG_ERR_SYNTAX)
      fail_msg("%s: status %s, expected a bad-answer or syntax error",
               names.s[i], cdg_status_str(st));
    cdg_error_format(&err, line, sizeof line);
    snprintf(path, sizeof path, "%s/%s.err", BAD_DIR, names.s[i]);
    want = testfile_read(path, NULL);
    want[strcspn(want, "\n")] = '\0';
    if (strcmp(line, want) != 0)
      fail_msg("%s: error\n  got:      %s\n  expected: %s", names.s[i], line,
               want);
    free(want);
    free(text);
  }
  S_strlist_clear(&names);
}

/* The order of a report: source order, except that the "Your
** responsibility" passage comes last (DESIGN.md, Reports). */
static void S_report_order(strlist *ids) {
  size_t i, j;

  for (i = 0; i < ids->n; i++)
    if (strcmp(ids->s[i], "your-responsibility") == 0) {
      char *yr = ids->s[i];
      for (j = i; j + 1 < ids->n; j++)
        ids->s[j] = ids->s[j + 1];
      ids->s[ids->n - 1] = yr;
      return;
    }
}

/*
** Run the program with argv from the top of the source tree; the output
** on fd (1 or 2) into *out (caller frees), the other one discarded.
** Returns the exit status, or -1 if it did not exit normally.
*/
static int S_run(char *const argv[], int fd, char **out) {
  int fds[2], status;
  size_t cap = 4096, n = 0;
  ssize_t got;
  pid_t pid;

  assert_int_equal(pipe(fds), 0);
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    if (null < 0 || dup2(null, 3 - fd) < 0 || dup2(fds[1], fd) < 0)
      _exit(127);
    close(null);
    close(fds[0]);
    close(fds[1]);
    if (chdir(CDG_SOURCE_DIR) != 0)
      _exit(127);
    execv(argv[0], argv);
    _exit(127);
  }
  close(fds[1]);
  *out = malloc(cap + 1);
  assert_non_null(*out);
  while ((got = read(fds[0], *out + n, cap - n)) > 0) {
    n += (size_t)got;
    if (n == cap) {
      cap *= 2;
      *out = realloc(*out, cap + 1);
      assert_non_null(*out);
    }
  }
  (*out)[n] = '\0';
  close(fds[0]);
  assert_int_equal(waitpid(pid, &status, 0), pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_cases_cli(void **state) {
  strlist names = {0}, got = {0}, want = {0};
  char file[1024];
  size_t i;

  (void)state;
  S_names(CASES_DIR, ".answers.json", &names);
  assert_true(names.n >= MIN_CASES);
  for (i = 0; i < names.n; i++) {
    char *argv[] = {CDG_BINARY, "run",  "--answers", file,
                    "--format", "json", NULL};
    const cJSON *passages, *p, *id;
    cJSON *report;
    char *out;
    int rc;

    snprintf(file, sizeof file, "tests/cases/%s.answers.json", names.s[i]);
    rc = S_run(argv, 1, &out);
    if (rc != 0)
      fail_msg("%s: cdguide run exited %d", names.s[i], rc);
    report = cJSON_Parse(out);
    if (!report)
      fail_msg("%s: cdguide run printed no JSON report", names.s[i]);
    passages = cJSON_GetObjectItemCaseSensitive(report, "passages");
    if (!cJSON_IsArray(passages))
      fail_msg("%s: report has no passages array", names.s[i]);
    cJSON_ArrayForEach(p, passages) {
      id = cJSON_GetObjectItemCaseSensitive(p, "id");
      if (!cJSON_IsString(id))
        fail_msg("%s: a passage has no string id", names.s[i]);
      S_strlist_add(&got, id->valuestring, strlen(id->valuestring));
    }
    S_expected(names.s[i], &want);
    S_report_order(&want);
    S_compare(names.s[i], "cdguide run", &got, &want);
    S_strlist_clear(&got);
    S_strlist_clear(&want);
    cJSON_Delete(report);
    free(out);
  }
  S_strlist_clear(&names);
}

/* Bad answers files make `cdguide run` exit 65 (bad data) with the
** library's error line after "cdguide: " on standard error. */
static void test_bad_answers_cli(void **state) {
  strlist names = {0};
  char file[1024], path[1024];
  size_t i;

  (void)state;
  S_names(BAD_DIR, ".json", &names);
  assert_true(names.n >= 5);
  for (i = 0; i < names.n; i++) {
    char *argv[] = {CDG_BINARY, "run",  "--answers", file,
                    "--format", "json", NULL};
    char *out, *want, *nl;
    int rc;

    snprintf(file, sizeof file, "tests/bad/answers/%s.json", names.s[i]);
    rc = S_run(argv, 2, &out);
    if (rc != 65)
      fail_msg("%s: cdguide run exited %d, expected 65", names.s[i], rc);
    snprintf(path, sizeof path, "%s/%s.err", BAD_DIR, names.s[i]);
    want = testfile_read(path, NULL);
    if ((nl = strchr(out, '\n')) != NULL && nl[1] == '\0')
      *nl = '\0';
    want[strcspn(want, "\n")] = '\0';
    if (strncmp(out, "cdguide: ", 9) != 0 || strcmp(out + 9, want) != 0)
      fail_msg("%s: standard error\n  got:      %s\n  expected: cdguide: %s",
               names.s[i], out, want);
    free(want);
    free(out);
  }
  S_strlist_clear(&names);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cases_library),
      cmocka_unit_test(test_bad_answers_library),
      cmocka_unit_test(test_cases_cli),
      cmocka_unit_test(test_bad_answers_cli),
  };
  return cmocka_run_group_tests(tests, builtin_setup, builtin_teardown);
}
