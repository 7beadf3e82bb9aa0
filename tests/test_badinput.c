/*
** test_badinput.c: the bad-input corpus through the real binary
** (CDG_BINARY). tests/bad/MANIFEST lists the cases (kind, file, exit
** status, the one line on standard error) and says how each kind is run;
** the expected lines there are written by hand from the modules' messages.
** Each case runs in an empty temporary directory on a copy of its input,
** which must be byte for byte unchanged afterwards.
**
** The older corpora run here too, through the binary: tests/bad/packs
** (NAME.err, the loader's or linter's first error) under `check --pack`,
** and tests/bad/answers (NAME.err) under `run --answers`.
*/
#define _XOPEN_SOURCE 700 /* mkdtemp */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "testfile.h"

#define BAD CDG_SOURCE_DIR "/tests/bad"
#define MINI CDG_SOURCE_DIR "/tests/fixtures/mini/pack.json"
#define BUILTIN CDG_SOURCE_DIR "/rules/packs/cervical-dystonia/pack.json"
#define MB 1048576
#define MIN_FILES 40

static char S_root[64]; /* the temporary directory of the whole run */

/* ---- Files --------------------------------------------------------------- */

typedef struct S_buf {
  char *p;
  size_t n;
} S_buf;

/* The whole of a regular file; p is NULL when there is none. */
static S_buf S_read(const char *path) {
  S_buf b = {NULL, 0};
  struct stat sb;
  FILE *f;
  long n;

  if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || !(f = fopen(path, "rb")))
    return b;
  if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
      fseek(f, 0, SEEK_SET) == 0) {
    b.p = malloc((size_t)n + 1);
    assert_non_null(b.p);
    if (fread(b.p, 1, (size_t)n, f) != (size_t)n) {
      free(b.p);
      b.p = NULL;
    } else {
      b.p[n] = '\0';
      b.n = (size_t)n;
    }
  }
  fclose(f);
  return b;
}

static void S_write(const char *path, const char *data, size_t n) {
  FILE *f = fopen(path, "wb");

  if (!f)
    fail_msg("cannot create %s: %s", path, strerror(errno));
  assert_int_equal(fwrite(data, 1, n, f), n);
  assert_int_equal(fclose(f), 0);
}

static void S_write_str(const char *path, const char *text) {
  S_write(path, text, strlen(text));
}

static void S_copy(const char *from, const char *to) {
  S_buf b = S_read(from);

  if (!b.p)
    fail_msg("cannot read %s", from);
  S_write(to, b.p, b.n);
  free(b.p);
}

/* prefix + n copies of c + suffix, written to path. */
static void S_write_big(const char *path, const char *prefix, char c, size_t n,
                        const char *suffix) {
  size_t lp = strlen(prefix), ls = strlen(suffix);
  char *t = malloc(lp + n + ls);

  assert_non_null(t);
  memcpy(t, prefix, lp);
  memset(t + lp, c, n);
  memcpy(t + lp + n, suffix, ls);
  S_write(path, t, lp + n + ls);
  free(t);
}

/* The text of from with the first occurrence of old replaced by n copies
** of c, written to path. */
static void S_write_replaced(const char *path, const char *from,
                             const char *old, char c, size_t n) {
  S_buf b = S_read(from);
  char *at, *t;
  size_t head, lo = strlen(old);

  assert_non_null(b.p);
  at = strstr(b.p, old);
  if (!at)
    fail_msg("%s has no %s", from, old);
  head = (size_t)(at - b.p);
  t = malloc(b.n - lo + n);
  assert_non_null(t);
  memcpy(t, b.p, head);
  memset(t + head, c, n);
  memcpy(t + head + n, at + lo, b.n - head - lo);
  S_write(path, t, b.n - lo + n);
  free(t);
  free(b.p);
}

/* Names in directory dir, not counting "." and "..". */
static int S_count_entries(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  int n = 0;

  assert_non_null(d);
  while ((e = readdir(d)))
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
      n++;
  closedir(d);
  return n;
}

/* ---- Running the binary ----------------------------------------------------
 */

typedef struct S_result {
  int status; /* the wait status */
  S_buf out, err;
} S_result;

static void S_result_free(S_result *r) {
  free(r->out.p);
  free(r->err.p);
}

/*
** Run the binary with args in directory dir, standard input empty,
** standard output and error to files outside dir.
*/
static S_result S_run(const char *dir, const char *const args[]) {
  char out[128], err[128];
  const char *argv[16];
  S_result r;
  pid_t pid;
  int i;

  snprintf(out, sizeof out, "%s/stdout", S_root);
  snprintf(err, sizeof err, "%s/stderr", S_root);
  argv[0] = CDG_BINARY;
  for (i = 0; args[i]; i++)
    argv[i + 1] = args[i];
  argv[i + 1] = NULL;
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    int in = open("/dev/null", O_RDONLY),
        o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600),
        e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (in < 0 || o < 0 || e < 0 || dup2(in, 0) < 0 || dup2(o, 1) < 0 ||
        dup2(e, 2) < 0 || chdir(dir) != 0)
      _exit(127);
    execv(argv[0], (char *const *)argv);
    _exit(127);
  }
  assert_int_equal(waitpid(pid, &r.status, 0), pid);
  r.out = S_read(out);
  r.err = S_read(err);
  assert_non_null(r.out.p);
  assert_non_null(r.err.p);
  return r;
}

/*
** Check a run against its expected exit status and standard error (the
** whole of it, "" for none); name says which case. Returns 0 if it matched,
** having printed what did not.
*/
static int S_check(const char *name, const S_result *r, int want_exit,
                   const char *want_err) {
  int ok = 1;

  if (WIFSIGNALED(r->status)) {
    print_error("%s: killed by signal %d\n", name, WTERMSIG(r->status));
    return 0;
  }
  if (!WIFEXITED(r->status) || WEXITSTATUS(r->status) != want_exit) {
    print_error("%s: exit %d, expected %d\n", name, WEXITSTATUS(r->status),
                want_exit);
    ok = 0;
  }
  if (strlen(want_err) != r->err.n || strcmp(r->err.p, want_err) != 0) {
    print_error("%s: standard error\n  got:      %s  expected: %s\n", name,
                r->err.p, want_err);
    ok = 0;
  }
  if (want_exit != 0 && r->out.n != 0) {
    print_error("%s: %zu bytes on standard output after an error\n", name,
                r->out.n);
    ok = 0;
  }
  return ok;
}

/* 1 if text has a C0 control other than newline, DEL, or a C1 control. */
static int S_has_control(const S_buf *b) {
  size_t i;

  for (i = 0; i < b->n; i++) {
    unsigned char c = (unsigned char)b->p[i];
    if ((c < 0x20 && c != '\n') || c == 0x7F)
      return 1;
    if (c == 0xC2 && i + 1 < b->n && (unsigned char)b->p[i + 1] >= 0x80 &&
        (unsigned char)b->p[i + 1] <= 0x9F)
      return 1;
  }
  return 0;
}

/* ---- The manifest
 * ------------------------------------------------------------ */

typedef struct S_case {
  int line;
  char kind[16], file[128];
  int exit;
  const char *message; /* the rest of the line */
} S_case;

/* A manifest line into c (message points into line). 0 if it is a blank
** line or a comment. */
static int S_parse_case(char *line, int lineno, S_case *c) {
  int used = 0;

  line[strcspn(line, "\n")] = '\0';
  if (line[0] == '\0' || line[0] == '#')
    return 0;
  c->line = lineno;
  if (sscanf(line, "%15s %127s %d %n", c->kind, c->file, &c->exit, &used) !=
          3 ||
      used == 0)
    fail_msg("tests/bad/MANIFEST:%d: not KIND FILE EXIT STDERR", lineno);
  c->message = line + used;
  return 1;
}

/* Make the input of c in dir, named name; the input that the command reads
** is then dir/name. */
static void S_make_input(const S_case *c, const char *dir, char *name,
                         size_t size) {
  char path[1024], src[1024];
  const char *base;

  if (c->file[0] != '@') {
    base = strrchr(c->file, '/');
    base = base ? base + 1 : c->file;
    snprintf(name, size, "%s", base);
    snprintf(src, sizeof src, "%s/%s", BAD, c->file);
  } else {
    snprintf(name, size, "%s.json", c->file + 1);
    src[0] = '\0';
  }
  if (strcmp(c->kind, "pack") == 0 || strcmp(c->kind, "report") == 0) {
    snprintf(path, sizeof path, "%s/p", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(name, size, "p/pack.json");
  }
  snprintf(path, sizeof path, "%s/%s", dir, name);
  if (src[0])
    S_copy(src, path);
  else if (strcmp(c->file, "@missing") == 0)
    ;
  else if (strcmp(c->file, "@directory") == 0)
    assert_int_equal(mkdir(path, 0700), 0);
  else if (strcmp(c->file, "@big-code") == 0)
    S_write_big(path, "{\"age_group\": \"", 'a', MB, "\"}");
  else if (strcmp(c->file, "@big-key") == 0)
    S_write_big(path, "{\"", 'q', MB, "\": 1}");
  else if (strcmp(c->file, "@deep-brackets") == 0)
    S_write_big(path, "", '[', MB, "");
  else if (strcmp(c->file, "@big-whitespace") == 0)
    S_write_big(path, "", ' ', MB, "{\"age_group\": 7}");
  else if (strcmp(c->file, "@big-text") == 0)
    S_write_big(path,
                "{\"posture\": [\"torticollis\"], \"age_group\": \"adult\", "
                "\"tried\": [\"toxin\"],\n \"outcome_toxin\": "
                "\"stopped_side_effects\", \"side_effects\": \"",
                'x', MB, "\"}");
  else if (strcmp(c->file, "@big-pack-id") == 0)
    S_write_big(path, "{\"cdguide_session\": 1, \"pack\": {\"id\": \"", 'x', MB,
                "\", \"version\": \"1.0.0\"}, \"answers\": {}}");
  else if (strcmp(c->file, "@big-label") == 0)
    S_write_replaced(path, BUILTIN, "Backwards (retrocollis)", 'L', MB);
  else
    fail_msg("tests/bad/MANIFEST:%d: no generator for %s", c->line, c->file);
}

/* Run one input case (kinds answers, mini, session, pack, report).
** Returns 1 if it passed. */
static int S_input_case(const S_case *c, const char *dir) {
  char name[256], path[1024], label[300];
  S_buf before, after;
  int ok = 1, k;

  S_make_input(c, dir, name, sizeof name);
  snprintf(path, sizeof path, "%s/%s", dir, name);
  before = S_read(path);
  for (k = 0; k < 2; k++) {
    const char *answers[] = {"run",      "--answers", name,
                             "--format", "json",      NULL};
    const char *mini[] = {"run", "--pack",   "mini", "--answers",
                          name,  "--format", "json", NULL};
    const char *review[] = {"review", name, NULL};
    const char *resume[] = {"resume", name, NULL};
    const char *check[] = {"check", "--pack", "p", NULL};
    const char *report[] = {"run",
                            "--pack",
                            "p",
                            "--answers",
                            "a.json",
                            "--format",
                            k ? "markdown" : "text",
                            NULL};
    const char *const *args = NULL;
    char want[4200];
    S_result r;

    if (strcmp(c->kind, "session") == 0) {
      args = k ? resume : review;
    } else if (k == 1 && strcmp(c->kind, "report") != 0) {
      break;
    } else if (strcmp(c->kind, "answers") == 0) {
      args = answers;
    } else if (strcmp(c->kind, "mini") == 0) {
      snprintf(path, sizeof path, "%s/mini", dir);
      mkdir(path, 0700);
      snprintf(path, sizeof path, "%s/mini/pack.json", dir);
      S_copy(MINI, path);
      args = mini;
    } else if (strcmp(c->kind, "pack") == 0) {
      args = check;
    } else if (strcmp(c->kind, "report") == 0) {
      snprintf(path, sizeof path, "%s/a.json", dir);
      S_write_str(path, "{\"posture\": [\"retrocollis\"], \"age_group\": "
                        "\"adult\"}");
      args = report;
    } else {
      fail_msg("tests/bad/MANIFEST:%d: unknown kind %s", c->line, c->kind);
    }
    snprintf(label, sizeof label, "MANIFEST:%d %s %s (%s)", c->line, c->kind,
             c->file, args[0]);
    if (strcmp(c->kind, "report") == 0)
      snprintf(want, sizeof want, "%s", "");
    else
      snprintf(want, sizeof want, "%s\n", c->message);
    r = S_run(dir, args);
    ok &= S_check(label, &r, c->exit, want);
    if (strcmp(c->kind, "report") == 0) {
      if (S_has_control(&r.out)) {
        print_error("%s: a control character on standard output\n", label);
        ok = 0;
      }
      if (!strstr(r.out.p, c->message)) {
        print_error("%s: standard output lacks %s\n", label, c->message);
        ok = 0;
      }
    }
    S_result_free(&r);
  }
  snprintf(path, sizeof path, "%s/%s", dir, name);
  after = S_read(path);
  if ((before.p == NULL) != (after.p == NULL) ||
      (before.p &&
       (before.n != after.n || memcmp(before.p, after.p, before.n) != 0))) {
    print_error("MANIFEST:%d %s: the input file changed\n", c->line, c->file);
    ok = 0;
  }
  free(before.p);
  free(after.p);
  return ok;
}

/* Run one output case: --output out, with out made as c->file says.
** Returns 1 if it passed. */
static int S_output_case(const S_case *c, const char *dir) {
  const char *args[] = {"run", "--answers", "a.json", "--output", "out", NULL};
  char path[1024], target[1024], want[4200], label[300];
  S_buf t = {NULL, 0};
  struct stat sb;
  S_result r;
  int ok, entries;

  snprintf(path, sizeof path, "%s/a.json", dir);
  S_write_str(path, "{\"posture\": [\"torticollis\"], \"age_group\": "
                    "\"adult\", \"duration\": \"1_to_5_years\", "
                    "\"treatments_tried\": [\"none\"]}");
  snprintf(path, sizeof path, "%s/out", dir);
  snprintf(target, sizeof target, "%s/target", dir);
  if (strcmp(c->file, "@symlink") == 0) {
    S_write_str(target, "original\n");
    assert_int_equal(symlink("target", path), 0);
  } else if (strcmp(c->file, "@dangling-symlink") == 0) {
    assert_int_equal(symlink("target", path), 0);
  } else if (strcmp(c->file, "@directory") == 0 ||
             strcmp(c->file, "@trailing-slash") == 0) {
    assert_int_equal(mkdir(path, 0700), 0);
    if (strcmp(c->file, "@trailing-slash") == 0)
      args[4] = "out/";
  } else if (strcmp(c->file, "@missing-parent") == 0) {
    args[4] = "out/report.txt";
  } else if (strcmp(c->file, "@parent-is-file") == 0) {
    S_write_str(path, "x");
    args[4] = "out/report.txt";
  } else {
    fail_msg("tests/bad/MANIFEST:%d: no output case %s", c->line, c->file);
  }
  entries = S_count_entries(dir);
  snprintf(label, sizeof label, "MANIFEST:%d output %s", c->line, c->file);
  snprintf(want, sizeof want, "%s\n", c->message);
  r = S_run(dir, args);
  ok = S_check(label, &r, c->exit, want);
  S_result_free(&r);
  if (S_count_entries(dir) != entries) {
    print_error("%s: the directory gained or lost a file\n", label);
    ok = 0;
  }
  if (strstr(c->file, "symlink")) {
    if (lstat(path, &sb) != 0 || !S_ISLNK(sb.st_mode)) {
      print_error("%s: the symlink was replaced\n", label);
      ok = 0;
    }
    /* The target keeps its text; a dangling link's target stays absent. */
    t = S_read(target);
    if (strcmp(c->file, "@symlink") == 0
            ? !t.p || strcmp(t.p, "original\n") != 0
            : t.p != NULL) {
      print_error("%s: written through the symlink\n", label);
      ok = 0;
    }
    free(t.p);
  }
  return ok;
}

/* A fresh, empty directory for case number i. */
static void S_case_dir(int i, char *dir, size_t size) {
  snprintf(dir, size, "%s/case-%d", S_root, i);
  testfile_rmtree(dir);
  assert_int_equal(mkdir(dir, 0700), 0);
}

static void test_manifest(void **state) {
  FILE *f = fopen(BAD "/MANIFEST", "r");
  char line[4096], dir[256];
  int lineno = 0, cases = 0, failed = 0, committed = 0;
  S_case c;

  (void)state;
  assert_non_null(f);
  while (fgets(line, sizeof line, f)) {
    lineno++;
    if (!S_parse_case(line, lineno, &c))
      continue;
    S_case_dir(++cases, dir, sizeof dir);
    if (c.file[0] != '@')
      committed++;
    if (!(strcmp(c.kind, "output") == 0 ? S_output_case(&c, dir)
                                        : S_input_case(&c, dir)))
      failed++;
    testfile_rmtree(dir);
  }
  fclose(f);
  if (committed < MIN_FILES)
    fail_msg("MANIFEST names %d committed files, expected %d or more",
             committed, MIN_FILES);
  if (failed)
    fail_msg("%d of %d MANIFEST cases failed", failed, cases);
}

/* ---- The older corpora ------------------------------------------------------
 */

/* The names NAME of dir's NAME.json files, with a NAME.err if need_err;
** *n of them. Caller frees each and the array. */
static char **S_json_names(const char *dir, int need_err, size_t *n) {
  DIR *d = opendir(dir);
  struct dirent *e;
  char **names = NULL, path[1024];
  struct stat sb;

  assert_non_null(d);
  *n = 0;
  while ((e = readdir(d))) {
    size_t len = strlen(e->d_name);

    if (len <= 5 || strcmp(e->d_name + len - 5, ".json") != 0)
      continue;
    snprintf(path, sizeof path, "%s/%.*s.err", dir, (int)(len - 5), e->d_name);
    if (need_err && stat(path, &sb) != 0)
      continue;
    names = realloc(names, (*n + 1) * sizeof *names);
    assert_non_null(names);
    names[*n] = strdup(e->d_name);
    assert_non_null(names[*n]);
    names[(*n)++][len - 5] = '\0';
  }
  closedir(d);
  return names;
}

/* The first line of a .err file, or NULL if there is none. */
static char *S_err_line(const char *dir, const char *name) {
  char path[1024];
  S_buf b;

  snprintf(path, sizeof path, "%s/%s.err", dir, name);
  b = S_read(path);
  if (b.p)
    b.p[strcspn(b.p, "\n")] = '\0';
  return b.p;
}

/*
** Every bad pack under `check --pack p`: exit 65, nothing on standard
** output, and the first line on standard error is the .err line with the
** file named as p/pack.json. Lint may find more than one error: every line
** must then name p/pack.json with a position.
*/
static void test_bad_packs_cli(void **state) {
  char dir[256], path[1024], want[4200], prefix[300];
  const char *args[] = {"check", "--pack", "p", NULL};
  size_t n, i;
  char **names = S_json_names(BAD "/packs", 1, &n);
  int failed = 0;

  (void)state;
  assert_true(n >= 20);
  for (i = 0; i < n; i++) {
    char *err = S_err_line(BAD "/packs", names[i]), *nl;
    S_result r;

    S_case_dir(0, dir, sizeof dir);
    snprintf(path, sizeof path, "%s/p", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/packs/%s.json", BAD, names[i]);
    snprintf(want, sizeof want, "%s/p/pack.json", dir);
    S_copy(path, want);
    snprintf(prefix, sizeof prefix, "tests/bad/packs/%s.json", names[i]);
    if (strncmp(err, prefix, strlen(prefix)) != 0)
      fail_msg("%s.err does not start with %s", names[i], prefix);
    snprintf(want, sizeof want, "cdguide: p/pack.json%s\n",
             err + strlen(prefix));
    r = S_run(dir, args);
    nl = strchr(r.err.p, '\n');
    if (nl && nl[1]) {
      char *l;
      for (l = nl + 1; *l; l = strchr(l, '\n') + 1)
        if (strncmp(l, "cdguide: p/pack.json:", 21) != 0) {
          print_error("%s: a further line names no position: %s", names[i], l);
          failed++;
        }
      nl[1] = '\0';
      r.err.n = strlen(r.err.p);
    }
    if (!S_check(names[i], &r, 65, want))
      failed++;
    S_result_free(&r);
    free(err);
    free(names[i]);
  }
  free(names);
  testfile_rmtree(dir);
  if (failed)
    fail_msg("%d bad packs did not give their .err line", failed);
}

/*
** Every bad answers file under `run --answers`, named as from the top of
** the tree: exit 65 and its NAME.err line; a file whose .err has not been
** written yet must still give one line that names it with a position.
*/
static void test_bad_answers_cli(void **state) {
  char dir[256], path[1024], want[4200], file[300];
  size_t n, i;
  char **names = S_json_names(BAD "/answers", 0, &n);
  int failed = 0;

  (void)state;
  assert_true(n >= 5);
  for (i = 0; i < n; i++) {
    const char *args[] = {"run", "--answers", file, "--format", "json", NULL};
    char *err = S_err_line(BAD "/answers", names[i]);
    S_result r;

    S_case_dir(0, dir, sizeof dir);
    snprintf(path, sizeof path, "%s/tests", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/tests/bad", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/tests/bad/answers", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(file, sizeof file, "tests/bad/answers/%s.json", names[i]);
    snprintf(path, sizeof path, "%s/%s", dir, file);
    snprintf(want, sizeof want, "%s/answers/%s.json", BAD, names[i]);
    S_copy(want, path);
    r = S_run(dir, args);
    if (!err) {
      snprintf(want, sizeof want, "cdguide: %s:", file);
      if (strncmp(r.err.p, want, strlen(want)) != 0 || !strchr(r.err.p, '\n') ||
          strchr(r.err.p, '\n')[1]) {
        print_error("%s: not one line naming %s: %s", names[i], want, r.err.p);
        failed++;
      }
      snprintf(want, sizeof want, "%s", r.err.p);
    } else {
      snprintf(want, sizeof want, "cdguide: %s\n", err);
    }
    if (!S_check(names[i], &r, 65, want))
      failed++;
    S_result_free(&r);
    free(err);
    free(names[i]);
  }
  free(names);
  testfile_rmtree(dir);
  if (failed)
    fail_msg("%d bad answers files did not give their .err line", failed);
}

/*
** resume through a symlink: the session is read, but saving it again would
** write through the link, so it stops with 73; the file the link points to
** is unchanged and the link stays a link.
*/
static void test_resume_symlink(void **state) {
  static const char session[] =
      "{\"cdguide_session\": 1, \"pack\": {\"id\": \"cervical-dystonia\", "
      "\"version\": \"1.0.0\"}, \"answers\": {\"age_group\": \"adult\"}}";
  const char *args[] = {"resume", "link.json", NULL};
  char dir[256], path[1024];
  const char *last;
  struct stat sb;
  S_result r;
  S_buf after;

  (void)state;
  S_case_dir(0, dir, sizeof dir);
  snprintf(path, sizeof path, "%s/real.json", dir);
  S_write(path, session, sizeof session - 1);
  snprintf(path, sizeof path, "%s/link.json", dir);
  assert_int_equal(symlink("real.json", path), 0);
  r = S_run(dir, args);
  assert_true(WIFEXITED(r.status));
  assert_int_equal(WEXITSTATUS(r.status), 73);
  assert_true(r.err.n > 0 && r.err.p[r.err.n - 1] == '\n');
  r.err.p[r.err.n - 1] = '\0';
  last = strrchr(r.err.p, '\n');
  last = last ? last + 1 : r.err.p;
  assert_string_equal(
      last, "cdguide: link.json: is a symbolic link; not writing through it");
  assert_int_equal(lstat(path, &sb), 0);
  assert_true(S_ISLNK(sb.st_mode));
  snprintf(path, sizeof path, "%s/real.json", dir);
  after = S_read(path);
  assert_non_null(after.p);
  assert_string_equal(after.p, session);
  free(after.p);
  S_result_free(&r);
  testfile_rmtree(dir);
}

static int S_setup(void **state) {
  char path[128];

  (void)state;
  snprintf(S_root, sizeof S_root, "/tmp/cdg-badinput-XXXXXX");
  if (!mkdtemp(S_root))
    return -1;
  snprintf(path, sizeof path, "%s/state", S_root);
  setenv("XDG_STATE_HOME", path, 1);
  setenv("HOME", S_root, 1);
  setenv("SOURCE_DATE_EPOCH", "1769850000", 1);
  setenv("NO_COLOR", "1", 1);
  setenv("LANG", "C.UTF-8", 1);
  unsetenv("LC_ALL");
  return 0;
}

static int S_teardown(void **state) {
  (void)state;
  testfile_rmtree(S_root);
  return 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_manifest),
      cmocka_unit_test(test_bad_packs_cli),
      cmocka_unit_test(test_bad_answers_cli),
      cmocka_unit_test(test_resume_symlink),
  };
  return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
