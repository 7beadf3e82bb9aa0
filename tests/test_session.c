/* test_session.c: session files: save and load, refusals, permissions,
** atomic writes and symbolic links. Expected texts come from the spec. */
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
#include <unistd.h>

#include <cmocka.h>

#include "session.h"
#include "testfile.h"
#include "fixture.h"

typedef struct fixture {
  char dir[64];
  cdg_pack *pack;
} fixture;

static char *S_path(const fixture *f, const char *name) {
  static char buf[8][256];
  static int k;
  char *p = buf[k++ % 8];
  snprintf(p, 256, "%s/%s", f->dir, name);
  return p;
}

static void S_write(const char *path, const char *text) {
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
  assert_int_equal(fclose(fp), 0);
}

/* The number of entries in dir (ls -A). */
static int S_count_entries(const char *dir) {
  char cmd[300];
  FILE *p;
  int n = 0, c;

  snprintf(cmd, sizeof cmd, "ls -A '%s'", dir);
  p = popen(cmd, "r");
  assert_non_null(p);
  while ((c = fgetc(p)) != EOF)
    n += c == '\n';
  pclose(p);
  return n;
}

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  cdg_error err;

  assert_non_null(f);
  snprintf(f->dir, sizeof f->dir, "/tmp/cdg-session-XXXXXX");
  assert_non_null(mkdtemp(f->dir));
  cdg_error_clear(&err);
  assert_int_equal(fixture_pack1(&f->pack, &err), CDG_OK);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;

  chmod(f->dir, 0700);
  testfile_rmtree(f->dir);
  cdg_pack_free(f->pack);
  free(f);
  return 0;
}

/* Answers of an invented patient: torticollis, adult, toxin not helping. */
static cdg_answers *S_answers(const cdg_pack *pack) {
  const char *posture[] = {"torticollis"}, *adult[] = {"adult"},
             *tried[] = {"botulinum_toxin"}, *outcome[] = {"not_helped"};
  cdg_answers *a = NULL;
  cdg_error err;

  cdg_error_clear(&err);
  assert_int_equal(cdg_answers_new(pack, &a), CDG_OK);
  assert_int_equal(cdg_answers_set_codes(a, "posture", posture, 1, &err),
                   CDG_OK);
  assert_int_equal(cdg_answers_set_codes(a, "age_group", adult, 1, &err),
                   CDG_OK);
  assert_int_equal(
      cdg_answers_set_codes(a, "treatments_tried", tried, 1, &err), CDG_OK);
  assert_int_equal(cdg_answers_set_codes(a, "outcome_botulinum_toxin",
                                         outcome, 1, &err),
                   CDG_OK);
  return a;
}

static void test_round_trip(void **state) {
  fixture *f = *state;
  cdg_answers *a = S_answers(f->pack), *b = NULL;
  const char *path = S_path(f, "s.json");
  char *ja, *jb, *text;
  session_kind kind = SESSION_KIND_ANSWERS;
  struct stat sb;
  cdg_error err;

  cdg_error_clear(&err);
  assert_int_equal(session_save(path, f->pack, a, &err), CDG_OK);
  assert_int_equal(lstat(path, &sb), 0);
  assert_true(S_ISREG(sb.st_mode));
  assert_int_equal(sb.st_mode & 07777, 0600);
  /* Only the file: no temporary left behind. */
  assert_int_equal(S_count_entries(f->dir), 1);

  text = testfile_read(path, NULL);
  assert_non_null(strstr(text, "\"cdguide_session\":\t1"));
  assert_non_null(strstr(text, "\"id\":\t\"cervical-dystonia\""));
  assert_non_null(strstr(text, "\"version\":\t\"1.0.0\""));
  assert_non_null(strstr(text, "\"updated\":\t\"20"));
  assert_non_null(strstr(text, "\"answers\":\t{"));
  assert_true(text[strlen(text) - 1] == '\n');
  free(text);

  assert_int_equal(session_load_kind(path, f->pack, &b, &kind, &err),
                   CDG_OK);
  assert_int_equal(kind, SESSION_KIND_SESSION);
  ja = cdg_answers_to_json(a);
  jb = cdg_answers_to_json(b);
  assert_string_equal(ja, jb);
  cdg_free(ja);
  cdg_free(jb);
  cdg_answers_free(b);

  /* Saving again replaces the file and keeps its mode. */
  cdg_answers_remove(a, "outcome_botulinum_toxin");
  assert_int_equal(session_save(path, f->pack, a, &err), CDG_OK);
  assert_int_equal(session_load(path, f->pack, &b, &err), CDG_OK);
  assert_false(cdg_answers_has(b, "outcome_botulinum_toxin"));
  assert_true(cdg_answers_has(b, "treatments_tried"));
  assert_int_equal(stat(path, &sb), 0);
  assert_int_equal(sb.st_mode & 07777, 0600);
  assert_int_equal(S_count_entries(f->dir), 1);
  cdg_answers_free(b);
  cdg_answers_free(a);
}

static void test_plain_answers_file(void **state) {
  fixture *f = *state;
  const char *path = S_path(f, "answers.json");
  cdg_answers *b = NULL;
  session_kind kind = SESSION_KIND_SESSION;
  cdg_error err;

  S_write(path, "{\"posture\": [\"retrocollis\"], \"age_group\": \"child\"}");
  cdg_error_clear(&err);
  assert_int_equal(session_load_kind(path, f->pack, &b, &kind, &err),
                   CDG_OK);
  assert_int_equal(kind, SESSION_KIND_ANSWERS);
  assert_int_equal(cdg_answers_code_count(b, "posture"), 1);
  assert_string_equal(cdg_answers_code(b, "posture", 0), "retrocollis");
  assert_string_equal(cdg_answers_code(b, "age_group", 0), "child");
  cdg_answers_free(b);
}

static void test_fhir_detected(void **state) {
  fixture *f = *state;
  const char *path = S_path(f, "qr.json");
  cdg_answers *b = NULL;
  session_kind kind = SESSION_KIND_SESSION;
  cdg_error err;

  S_write(path, "{\"resourceType\": \"QuestionnaireResponse\", "
                "\"status\": \"in-progress\", \"item\": []}");
  cdg_error_clear(&err);
  session_load_kind(path, f->pack, &b, &kind, &err);
  assert_int_equal(kind, SESSION_KIND_FHIR);
  cdg_answers_free(b);
}

/* Load path; it must fail with st, and its bytes must stay as they were. */
static void S_refused(const char *path, const cdg_pack *pack, cdg_status st,
                      cdg_error *err) {
  char *before = testfile_read(path, NULL), *after;
  cdg_answers *b = (cdg_answers *)&b;  /* must be reset to NULL */

  cdg_error_clear(err);
  assert_int_equal(session_load(path, pack, &b, err), st);
  assert_null(b);
  assert_string_equal(err->file, path);
  after = testfile_read(path, NULL);
  assert_string_equal(before, after);
  free(before);
  free(after);
}

static void test_corrupt(void **state) {
  fixture *f = *state;
  const char *path = S_path(f, "corrupt.json");
  cdg_error err;

  /* A duplicate key: JSON that cJSON alone would accept. */
  S_write(path, "{\n  \"cdguide_session\": 1,\n  \"cdguide_session\": 1\n}\n");
  S_refused(path, f->pack, CDG_ERR_SYNTAX, &err);
  assert_int_equal(err.line, 3);

  /* Not JSON at all. */
  S_write(path, "{\n  \"cdguide_session\": 1,\n  pack\n}\n");
  S_refused(path, f->pack, CDG_ERR_SYNTAX, &err);
  assert_int_equal(err.line, 3);
}

static void test_truncated(void **state) {
  fixture *f = *state;
  const char *path = S_path(f, "truncated.json");
  cdg_answers *a = S_answers(f->pack);
  char *text;
  cdg_error err;

  cdg_error_clear(&err);
  assert_int_equal(session_save(path, f->pack, a, &err), CDG_OK);
  cdg_answers_free(a);
  /* Cut the saved file in the middle of its answers. */
  text = testfile_read(path, NULL);
  text[strstr(text, "\"answers\"") - text + 20] = '\0';
  S_write(path, text);
  free(text);
  S_refused(path, f->pack, CDG_ERR_SYNTAX, &err);
  assert_true(err.line > 0);
}

/* The first two lines of a session file, before its "pack". */
#define S_SESSION_HEAD "{\n  \"cdguide_session\": 1,\n"

static void test_wrong_version(void **state) {
  fixture *f = *state;
  const char *path = S_path(f, "old.json");
  cdg_error err;

  S_write(path, S_SESSION_HEAD
          "  \"pack\": {\"id\": \"cervical-dystonia\", \"version\": "
          "\"0.9.0\"},\n  \"answers\": {}\n}\n");
  S_refused(path, f->pack, CDG_ERR_ANSWER, &err);
  assert_string_equal(err.message, "session was saved with pack "
                                   "cervical-dystonia 0.9.0; this is 1.0.0");
  /* Placed at the pack object: line 3, column 11. */
  assert_int_equal(err.line, 3);
  assert_int_equal(err.col, 11);
  assert_int_equal(cli_exit_code(CDG_ERR_ANSWER), 65);
}

static void test_wrong_pack(void **state) {
  fixture *f = *state;
  const char *path = S_path(f, "other.json");
  cdg_error err;

  S_write(path, S_SESSION_HEAD
          "  \"pack\": {\"id\": \"migraine\", \"version\": \"1.0.0\"},\n"
          "  \"answers\": {}\n}\n");
  S_refused(path, f->pack, CDG_ERR_ANSWER, &err);
  assert_string_equal(err.message, "session was saved with pack migraine "
                                   "1.0.0; this is cervical-dystonia 1.0.0");
}

static void test_unsupported_format(void **state) {
  fixture *f = *state;
  const char *path = S_path(f, "future.json");
  cdg_error err;

  S_write(path, "{\"cdguide_session\": 2, \"pack\": {\"id\": "
                "\"cervical-dystonia\", \"version\": \"1.0.0\"}, "
                "\"answers\": {}}");
  S_refused(path, f->pack, CDG_ERR_ANSWER, &err);
  assert_non_null(strstr(err.message, "unsupported session format"));
}

static void test_unknown_question(void **state) {
  fixture *f = *state;
  const char *path = S_path(f, "unknown.json");
  cdg_error err;

  S_write(path, S_SESSION_HEAD
          "  \"pack\": {\"id\": \"cervical-dystonia\", \"version\": "
          "\"1.0.0\"},\n"
          "  \"answers\": {\n"
          "    \"posture\": [\"torticollis\"],\n"
          "    \"favourite_colour\": \"blue\"\n"
          "  }\n}\n");
  S_refused(path, f->pack, CDG_ERR_ANSWER, &err);
  assert_non_null(strstr(err.message, "favourite_colour"));
  /* The position is in the whole file, not in the answers object. */
  assert_int_equal(err.line, 6);
  assert_string_equal(err.pointer, "/answers/favourite_colour");
}

static void test_bad_code_same_line(void **state) {
  fixture *f = *state;
  const char *path = S_path(f, "badcode.json");
  cdg_error err;

  S_write(path, S_SESSION_HEAD
          "  \"pack\": {\"id\": \"cervical-dystonia\", \"version\": "
          "\"1.0.0\"},\n"
          "  \"answers\": {\"posture\": [\"sideways\"]}\n}\n");
  S_refused(path, f->pack, CDG_ERR_ANSWER, &err);
  assert_non_null(strstr(err.message, "posture"));
  /* "answers" starts its value at column 14 of line 4; the bad value is
  ** at column 26 or later there (relative to the object it would be 13). */
  assert_int_equal(err.line, 4);
  assert_true(err.col >= 26);
}

static void test_missing_file(void **state) {
  fixture *f = *state;
  cdg_answers *b = NULL;
  cdg_error err;

  cdg_error_clear(&err);
  assert_int_equal(session_load(S_path(f, "none.json"), f->pack, &b, &err),
                   CDG_ERR_NOTFOUND);
  assert_null(b);
}

/* A directory that cannot be written. Root may write anywhere, so as
** root the save runs with the effective ids of nobody. */
static void test_unwritable_directory(void **state) {
  fixture *f = *state;
  const char *sub = S_path(f, "locked"), *path = S_path(f, "locked/s.json");
  int root = geteuid() == 0;
  cdg_answers *a = NULL;
  cdg_error err;
  cdg_status st;

  assert_int_equal(mkdir(sub, 0700), 0);
  if (root) {
    assert_int_equal(chmod(f->dir, 0755), 0);
    assert_int_equal(setegid(65534), 0);
    assert_int_equal(seteuid(65534), 0);
  } else {
    assert_int_equal(chmod(sub, 0500), 0);
  }
  cdg_error_clear(&err);
  assert_int_equal(cdg_answers_new(f->pack, &a), CDG_OK);
  st = session_save(path, f->pack, a, &err);
  cdg_answers_free(a);
  if (root) {
    assert_int_equal(seteuid(0), 0);
    assert_int_equal(setegid(0), 0);
  }
  assert_int_equal(st, CDG_ERR_IO);
  assert_string_equal(err.file, path);
  /* No partial or temporary file. */
  assert_int_equal(S_count_entries(sub), 0);
}

static void test_symlink_refused(void **state) {
  fixture *f = *state;
  const char *target = S_path(f, "precious.txt"),
             *link = S_path(f, "s.json");
  cdg_answers *a = S_answers(f->pack);
  struct stat sb;
  char *text;
  cdg_error err;

  S_write(target, "not a session\n");
  assert_int_equal(symlink(target, link), 0);
  cdg_error_clear(&err);
  assert_int_equal(session_save(link, f->pack, a, &err), CDG_ERR_IO);
  assert_non_null(strstr(err.message, "symbolic link"));
  text = testfile_read(target, NULL);
  assert_string_equal(text, "not a session\n");
  free(text);
  assert_int_equal(lstat(link, &sb), 0);
  assert_true(S_ISLNK(sb.st_mode));
  assert_int_equal(S_count_entries(f->dir), 2);

  /* A dangling link is refused too: nothing is created at its target. */
  assert_int_equal(unlink(link), 0);
  assert_int_equal(symlink(S_path(f, "elsewhere.json"), link), 0);
  assert_int_equal(session_save(link, f->pack, a, &err), CDG_ERR_IO);
  assert_int_equal(lstat(S_path(f, "elsewhere.json"), &sb), -1);
  cdg_answers_free(a);
}

static void test_write_atomic_missing_dir(void **state) {
  fixture *f = *state;
  cdg_error err;

  cdg_error_clear(&err);
  assert_int_equal(session_write_atomic(S_path(f, "no/such/out.txt"), "x",
                                        1, &err),
                   CDG_ERR_IO);
  assert_int_equal(S_count_entries(f->dir), 0);
}

static void S_check_default_path(const char *path, const char *dir) {
  size_t n = strlen(dir), i;
  const char *name = path + n + 1;

  assert_memory_equal(path, dir, n);
  assert_int_equal(path[n], '/');
  /* session-YYYYMMDD-HHMMSS.json */
  assert_int_equal(strlen(name), strlen("session-20260101-000000.json"));
  assert_memory_equal(name, "session-", 8);
  for (i = 8; i < 23; i++)
    assert_true(i == 16 ? name[i] == '-' : (name[i] >= '0' && name[i] <= '9'));
  assert_string_equal(name + 23, ".json");
}

static void test_default_path(void **state) {
  fixture *f = *state;
  char *path = NULL, *home = strdup(S_path(f, "home"));
  char *state_dir = strdup(S_path(f, "state"));
  char *old_state = getenv("XDG_STATE_HOME"), *old_home = getenv("HOME");
  char saved_state[512] = "", saved_home[512] = "";
  struct stat sb;
  cdg_error err;

  if (old_state)
    snprintf(saved_state, sizeof saved_state, "%s", old_state);
  if (old_home)
    snprintf(saved_home, sizeof saved_home, "%s", old_home);
  cdg_error_clear(&err);

  setenv("XDG_STATE_HOME", state_dir, 1);
  assert_int_equal(session_default_path(&path, &err), CDG_OK);
  S_check_default_path(path, S_path(f, "state/cdguide"));
  assert_int_equal(stat(state_dir, &sb), 0);
  assert_int_equal(sb.st_mode & 07777, 0700);
  assert_int_equal(stat(S_path(f, "state/cdguide"), &sb), 0);
  assert_int_equal(sb.st_mode & 07777, 0700);
  cdg_free(path);

  /* A relative XDG_STATE_HOME is ignored: HOME/.local/state is used. */
  setenv("XDG_STATE_HOME", "relative/state", 1);
  setenv("HOME", home, 1);
  assert_int_equal(session_default_path(&path, &err), CDG_OK);
  S_check_default_path(path, S_path(f, "home/.local/state/cdguide"));
  assert_int_equal(stat(S_path(f, "home/.local/state/cdguide"), &sb), 0);
  assert_int_equal(sb.st_mode & 07777, 0700);
  cdg_free(path);

  if (old_state)
    setenv("XDG_STATE_HOME", saved_state, 1);
  else
    unsetenv("XDG_STATE_HOME");
  if (old_home)
    setenv("HOME", saved_home, 1);
  else
    unsetenv("HOME");
  free(home);
  free(state_dir);
}


/* ---- Journals ---------------------------------------------------------- */

/* A journal of five events written through the writer. */
static void S_make_journal(const fixture *f, const char *path) {
  journal *j = journal_new(path);
  cJSON *v = cJSON_CreateString("adult"), *p = cJSON_Parse("[\"torticollis\"]");
  cdg_error err;

  assert_non_null(j);
  assert_int_equal(journal_set_pack(j, cdg_pack_id(f->pack),
                                    cdg_pack_version(f->pack)), 0);
  assert_int_equal(journal_open(j, &err), 0);
  assert_int_equal(journal_add(j, "answered", "posture", p, NULL), 0);
  assert_int_equal(journal_commit(j, &err), 0);
  assert_int_equal(journal_add(j, "answered", "age_group", v, NULL), 0);
  assert_int_equal(journal_commit(j, &err), 0);
  assert_int_equal(journal_add(j, "went_back", "age_group", NULL, NULL), 0);
  assert_int_equal(journal_commit(j, &err), 0);
  assert_int_equal(journal_add(j, "answered", "age_group", v, NULL), 0);
  assert_int_equal(journal_commit(j, &err), 0);
  journal_free(j);
  cJSON_Delete(v);
  cJSON_Delete(p);
}

/* kill -9 inside a write leaves a prefix of the file: at every byte
** offset, the events before the cut load, the torn line is reported and
** ignored, never fatal. */
static void test_journal_cut_at_every_byte(void **state) {
  fixture *f = *state;
  const char *path = S_path(f, "j.jsonl"), *cut = S_path(f, "cut.jsonl");
  size_t len, n, lines, i;
  char *text;

  S_make_journal(f, path);
  text = testfile_read(path, &len);
  for (n = 0; n <= len; n++) {
    session_file sf;
    cdg_error err;
    FILE *fp = fopen(cut, "wb");

    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, n, fp), n);
    fclose(fp);
    if (n == 0) /* an empty file is no session */
      continue;
    for (i = 0, lines = 0; i < n; i++)
      lines += text[i] == '\n';
    if (session_read(cut, f->pack, 0, &sf, &err) != CDG_OK)
      fail_msg("cut at %zu of %zu bytes: %s", n, len, err.message);
    assert_int_equal(journal_event_count(sf.j), lines);
    assert_int_equal(journal_torn_line(sf.j),
                     n > 0 && text[n - 1] != '\n' ? lines + 1 : 0);
    assert_int_equal(cdg_answers_has(sf.answers, "posture"), lines >= 2);
    /* went_back (line 4) takes age_group out; line 5 puts it back. */
    assert_int_equal(cdg_answers_has(sf.answers, "age_group"),
                     lines == 3 || lines == 5);
    /* ... but the default stays from line 3 on. */
    assert_int_equal(cdg_answers_has(sf.defaults, "age_group"), lines >= 3);
    session_file_free(&sf);
  }
  free(text);
}

static size_t S_short_after;
static ssize_t S_short_write(int fd, const void *buf, size_t n) {
  if (n > S_short_after)
    n = S_short_after;
  if (n == 0) {
    errno = ENOSPC;
    return -1;
  }
  S_short_after -= n;
  return write(fd, buf, n);
}

/* A write cut short (disk full) is undone: the file is as it was, and
** the next append works. */
static void test_journal_short_write(void **state) {
  fixture *f = *state;
  const char *path = S_path(f, "short.jsonl");
  cJSON *v = cJSON_CreateString("child");
  char *before, *after;
  size_t k;

  S_make_journal(f, path);
  before = testfile_read(path, NULL);
  for (k = 0; k < 40; k += 7) {
    journal *j = journal_new(path);
    session_file sf;
    cdg_error err;
    FILE *fp = fopen(path, "rb");

    assert_int_equal(journal_read(j, fp, 0, &err), CDG_OK);
    fclose(fp);
    assert_int_equal(journal_open(j, &err), 0);
    assert_int_equal(journal_add(j, "answered", "age_group", v, NULL), 0);
    S_short_after = k;
    journal_write_hook = S_short_write;
    assert_int_equal(journal_commit(j, &err), EX_IOERR);
    journal_write_hook = NULL;
    journal_free(j);
    after = testfile_read(path, NULL);
    assert_string_equal(after, before);
    free(after);
    assert_int_equal(session_read(path, f->pack, 0, &sf, &err), CDG_OK);
    assert_int_equal(journal_torn_line(sf.j), 0);
    session_file_free(&sf);
  }
  free(before);
  cJSON_Delete(v);
}

/* One writer: a second open of a locked journal is EX_TEMPFAIL naming the
** file; a read-only file is EX_NOPERM and is not changed. */
static void test_journal_lock_and_read_only(void **state) {
  fixture *f = *state;
  const char *path = S_path(f, "lock.jsonl");
  journal *a, *b;
  cdg_error err;
  char *before, *after;

  S_make_journal(f, path);
  a = journal_new(path);
  b = journal_new(path);
  assert_int_equal(journal_open(a, &err), 0);
  assert_int_equal(journal_open(b, &err), EX_TEMPFAIL);
  assert_string_equal(err.file, path);
  assert_non_null(strstr(err.message, "in use"));
  journal_free(a);
  journal_free(b);

  before = testfile_read(path, NULL);
  assert_int_equal(chmod(path, 0400), 0);
  a = journal_new(path);
  assert_int_equal(journal_open(a, &err), EX_NOPERM);
  assert_non_null(strstr(err.message, "read-only"));
  journal_free(a);
  after = testfile_read(path, NULL);
  assert_string_equal(after, before);
  free(before);
  free(after);
}

/* A format 1 file is read, and converted at the next write, the old file
** kept beside it byte for byte. An unknown key is refused, not dropped. */
static void test_format1_converted(void **state) {
  fixture *f = *state;
  const char *path = S_path(f, "old.json"), *kept = S_path(f, "old.json.format1");
  cdg_answers *a = S_answers(f->pack);
  session_file sf;
  journal *j;
  cdg_error err;
  char *v1, *kept_text;
  cJSON *v = cJSON_CreateString("child");

  assert_int_equal(session_save(path, f->pack, a, &err), CDG_OK);
  v1 = testfile_read(path, NULL);
  assert_int_equal(session_read(path, f->pack, 0, &sf, &err), CDG_OK);
  assert_int_equal(sf.format, 1);
  j = journal_new(path);
  assert_int_equal(journal_set_pack(j, cdg_pack_id(f->pack),
                                    cdg_pack_version(f->pack)), 0);
  assert_int_equal(journal_convert_format1(j, sf.format1, sf.updated, &err),
                   0);
  assert_int_equal(journal_open(j, &err), 0);
  assert_int_equal(journal_add(j, "answered", "age_group", v, NULL), 0);
  assert_int_equal(journal_commit(j, &err), 0);
  journal_free(j);
  session_file_free(&sf);
  kept_text = testfile_read(kept, NULL);
  assert_string_equal(kept_text, v1);
  assert_int_equal(session_read(path, f->pack, 0, &sf, &err), CDG_OK);
  assert_int_equal(sf.format, 2);
  assert_string_equal(cdg_answers_code(sf.answers, "age_group", 0), "child");
  assert_true(cdg_answers_has(sf.answers, "posture"));
  session_file_free(&sf);
  free(v1);
  free(kept_text);
  cJSON_Delete(v);
  cdg_answers_free(a);

  S_write(path, "{\"cdguide_session\": 1, \"pack\": {\"id\": "
                "\"cervical-dystonia\", \"version\": \"1.0.0\"}, "
                "\"answers\": {}, \"note\": \"keep me\"}\n");
  assert_int_equal(session_read(path, f->pack, 0, &sf, &err), CDG_ERR_ANSWER);
  assert_non_null(strstr(err.message, "unknown key \"note\""));
}

/* A bad line that is not the last is an error with its line. */
static void test_journal_bad_middle_line(void **state) {
  fixture *f = *state;
  const char *path = S_path(f, "mid.jsonl");
  session_file sf;
  cdg_error err;
  char *text, *nl;
  size_t len;

  S_make_journal(f, path);
  text = testfile_read(path, &len);
  nl = strchr(strchr(text, '\n') + 1, '\n');
  nl[-2] = 'X'; /* line 2 is no longer JSON */
  S_write(path, text);
  assert_int_equal(session_read(path, f->pack, 0, &sf, &err), CDG_ERR_SYNTAX);
  assert_int_equal(err.line, 2);
  free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
      cmocka_unit_test_setup_teardown(test_plain_answers_file, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_fhir_detected, setup, teardown),
      cmocka_unit_test_setup_teardown(test_corrupt, setup, teardown),
      cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wrong_version, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wrong_pack, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unsupported_format, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_unknown_question, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_bad_code_same_line, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unwritable_directory, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_symlink_refused, setup, teardown),
      cmocka_unit_test_setup_teardown(test_write_atomic_missing_dir, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_default_path, setup, teardown),
      cmocka_unit_test_setup_teardown(test_journal_cut_at_every_byte, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_journal_short_write, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_journal_lock_and_read_only, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_format1_converted, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_journal_bad_middle_line, setup,
                                      teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
