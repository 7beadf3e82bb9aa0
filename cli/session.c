/*
** session.c: session files: the default path, atomic saves that never
** follow a symbolic link, and loading a session, a plain answers file or a
** FHIR QuestionnaireResponse.
*/
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "fhir.h"
#include "session.h"

#define SESSION_FORMAT 1

/* ---- Paths ------------------------------------------------------------- */

/* mkdir -p with mode 0700 for the directories it creates. */
static cdg_status S_mkdirs(char *dir, cdg_error *err) {
  struct stat sb;
  char *p;

  for (p = dir + 1; *p; p++) {
    if (*p != '/')
      continue;
    *p = '\0';
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
      int e = errno;
      *p = '/';
      return cdg_error_set(err, CDG_ERR_IO, dir, NULL,
                           "cannot create directory: %s", strerror(e));
    }
    *p = '/';
  }
  if (mkdir(dir, 0700) != 0 && errno != EEXIST)
    return cdg_error_set(err, CDG_ERR_IO, dir, NULL,
                         "cannot create directory: %s", strerror(errno));
  if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
    return cdg_error_set(err, CDG_ERR_IO, dir, NULL, "not a directory");
  return CDG_OK;
}

cdg_status session_default_path(char **path, cdg_error *err) {
  const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
  char dir[PATH_MAX], stamp[32], name[PATH_MAX];
  struct stat sb;
  struct tm tm;
  time_t now = time(NULL);
  cdg_status st;
  int n, i;

  *path = NULL;
  /* XDG: a relative XDG_STATE_HOME is invalid and must be ignored. */
  if (state && state[0] == '/')
    n = snprintf(dir, sizeof dir, "%s/cdguide", state);
  else if (home && home[0] == '/')
    n = snprintf(dir, sizeof dir, "%s/.local/state/cdguide", home);
  else
    return cdg_error_set(err, CDG_ERR_IO, NULL, NULL,
                         "no place for the session file: set XDG_STATE_HOME or "
                         "HOME, or use --session FILE");
  if (n < 0 || (size_t)n >= sizeof dir)
    return cdg_error_set(err, CDG_ERR_IO, NULL, NULL,
                         "state directory path too long");
  if ((st = S_mkdirs(dir, err)) != CDG_OK)
    return st;
  if (!localtime_r(&now, &tm) ||
      !strftime(stamp, sizeof stamp, "session-%Y%m%d-%H%M%S", &tm))
    return cdg_error_set(err, CDG_ERR_IO, NULL, NULL, "cannot read the clock");
  /* Two sessions started within the same second get -2, -3, ... */
  for (i = 1; i < 100; i++) {
    n = i == 1 ? snprintf(name, sizeof name, "%s/%s.json", dir, stamp)
               : snprintf(name, sizeof name, "%s/%s-%d.json", dir, stamp, i);
    if (n < 0 || (size_t)n >= sizeof name)
      return cdg_error_set(err, CDG_ERR_IO, NULL, NULL,
                           "session path too long");
    if (lstat(name, &sb) != 0 && errno == ENOENT)
      break;
  }
  if (i == 100)
    return cdg_error_set(err, CDG_ERR_IO, dir, NULL,
                         "too many sessions this second");
  *path = cdg_malloc((size_t)n + 1);
  if (!*path)
    return cdg_error_set(err, CDG_ERR_NOMEM, NULL, NULL, "out of memory");
  memcpy(*path, name, (size_t)n + 1);
  return CDG_OK;
}

/* ---- Atomic writes ----------------------------------------------------- */

static int S_write_all(int fd, const char *data, size_t len) {
  while (len > 0) {
    ssize_t w = write(fd, data, len);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return -1;
    data += w;
    len -= (size_t)w;
  }
  return 0;
}

/*
** Write a temporary file next to path (created exclusively, 0600, never
** through a symlink), fsync it, rename it over path, fsync the directory.
** A symlink at path is refused, and rename would replace the link itself,
** never its target. On failure path is untouched and no file is left.
*/
cdg_status session_write_atomic(const char *path, const char *data,
                                size_t len, cdg_error *err) {
  char dir[PATH_MAX], tmp[PATH_MAX];
  const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
  struct stat sb;
  int fd = -1, dfd, n, i, e;

  if (!*base)
    return cdg_error_set(err, CDG_ERR_IO, path, NULL, "not a file name");
  if (lstat(path, &sb) == 0) {
    if (S_ISLNK(sb.st_mode))
      return cdg_error_set(err, CDG_ERR_IO, path, NULL,
                           "is a symbolic link; not writing through it");
    if (!S_ISREG(sb.st_mode))
      return cdg_error_set(err, CDG_ERR_IO, path, NULL, "not a regular file");
  } else if (errno != ENOENT) {
    return cdg_error_set(err, CDG_ERR_IO, path, NULL, "cannot write: %s",
                         strerror(errno));
  }
  if (!slash)
    n = snprintf(dir, sizeof dir, ".");
  else if (slash == path)
    n = snprintf(dir, sizeof dir, "/");
  else
    n = snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
  if (n < 0 || (size_t)n >= sizeof dir)
    return cdg_error_set(err, CDG_ERR_IO, path, NULL, "path too long");

  for (i = 0; i < 100; i++) {
    n = snprintf(tmp, sizeof tmp, "%s/.%s.%ld.%d.tmp", dir, base,
                 (long)getpid(), i);
    if (n < 0 || (size_t)n >= sizeof tmp)
      return cdg_error_set(err, CDG_ERR_IO, path, NULL, "path too long");
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
              0600);
    if (fd >= 0 || errno != EEXIST)
      break;
  }
  if (fd < 0)
    return cdg_error_set(err, CDG_ERR_IO, path, NULL,
                         "cannot create a file in %s: %s", dir,
                         strerror(errno));
  if (S_write_all(fd, data, len) != 0 || fsync(fd) != 0) {
    e = errno;
    close(fd);
    goto fail;
  }
  if (close(fd) != 0 || rename(tmp, path) != 0) {
    e = errno;
    goto fail;
  }
  /* The rename is durable only once the directory is synced. */
  dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0)
    return cdg_error_set(err, CDG_ERR_IO, dir, NULL, "cannot sync: %s",
                         strerror(errno));
  if (fsync(dfd) != 0 && errno != EINVAL) {
    e = errno;
    close(dfd);
    return cdg_error_set(err, CDG_ERR_IO, dir, NULL, "cannot sync: %s",
                         strerror(e));
  }
  close(dfd);
  return CDG_OK;

fail:
  unlink(tmp);
  return cdg_error_set(err, CDG_ERR_IO, path, NULL, "cannot write: %s",
                       strerror(e));
}

cdg_status session_save(const char *path, const cdg_pack *pack,
                        const cdg_answers *a, cdg_error *err) {
  cJSON *root = NULL, *p, *answers;
  char *json = NULL, *text = NULL, *file = NULL, stamp[32];
  size_t len;
  struct tm tm;
  time_t now = time(NULL);
  cdg_status st = CDG_ERR_NOMEM;

  if (!gmtime_r(&now, &tm) ||
      !strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm))
    return cdg_error_set(err, CDG_ERR_IO, NULL, NULL, "cannot read the clock");
  json = cdg_answers_to_json(a);
  root = cJSON_CreateObject();
  if (!json || !root ||
      !cJSON_AddNumberToObject(root, "cdguide_session", SESSION_FORMAT) ||
      !(p = cJSON_AddObjectToObject(root, "pack")) ||
      !cJSON_AddStringToObject(p, "id", cdg_pack_id(pack)) ||
      !cJSON_AddStringToObject(p, "version", cdg_pack_version(pack)) ||
      !cJSON_AddStringToObject(root, "updated", stamp))
    goto out;
  /* The library printed the answers; parse them back to nest them. */
  if (!(answers = cJSON_Parse(json)))
    goto out;
  if (!cJSON_AddItemToObject(root, "answers", answers)) {
    cJSON_Delete(answers);
    goto out;
  }
  if (!(text = cJSON_Print(root)))
    goto out;
  len = strlen(text);
  /* cJSON_Print leaves no final newline; the file gets one. */
  if (!(file = cdg_malloc(len + 1)))
    goto out;
  memcpy(file, text, len);
  file[len] = '\n';
  st = session_write_atomic(path, file, len + 1, err);
out:
  if (st == CDG_ERR_NOMEM)
    cdg_error_set(err, st, path, NULL, "out of memory");
  cdg_free(json);
  cdg_free(file);
  cJSON_free(text);
  cJSON_Delete(root);
  return st;
}

/* ---- Loading ----------------------------------------------------------- */

/* Put the position of top-level member key into err, if found. */
static cdg_status S_at(cdg_error *err, cdg_status st, const char *t,
                       size_t len, const char *key) {
  char ptr[80];

  snprintf(ptr, sizeof ptr, "/%s", key);
  if (err && cdg_json_locate(t, len, ptr, &err->line, &err->col) == 0)
    snprintf(err->pointer, sizeof err->pointer, "%s", ptr);
  return st;
}

static cdg_status S_journal_text(const cdg_pack *pack, const char *t,
                                 size_t len, const char *path,
                                 session_file *f, cdg_error *err);

/* An empty file: what a crash right after a session file was created
** leaves. No answer was ever in it; the questionnaire starts afresh in
** one (interactive.c), a reader says so. */
static cdg_status S_empty(const char *path, cdg_error *err) {
  return cdg_error_set(err, CDG_ERR_ANSWER, path, NULL,
                       "the file is empty: no answer was ever saved in it");
}

cdg_status session_parse(const cdg_pack *pack, const char *t, size_t len,
                         const char *path, cdg_answers **out,
                         session_kind *kind, cdg_error *err) {
  char sid[80], sver[80];
  cJSON *root = NULL, *p, *id, *ver;
  const cJSON *v;
  session_kind k = SESSION_KIND_ANSWERS;
  cdg_status st;

  *out = NULL;
  if (len == 0)
    return S_empty(path, err);
  if (journal_sniff(t, len)) {
    session_file f;

    k = SESSION_KIND_SESSION;
    st = S_journal_text(pack, t, len, path, &f, err);
    *out = f.answers;
    f.answers = NULL;
    session_file_free(&f);
    goto out;
  }
  /*
  ** First read it as a plain answers file. The library's parser also
  ** judges the JSON itself and gives file:line:col for any syntax error
  ** (bad UTF-8, NUL bytes, duplicate keys, trailing data), so only
  ** well-formed text goes further.
  */
  st = cdg_answers_parse(pack, t, len, path, out, err);
  if (st == CDG_OK || st == CDG_ERR_SYNTAX || st == CDG_ERR_NOMEM)
    goto out;
  root = cJSON_ParseWithLength(t, len);
  if (!root) {
    st = cdg_error_set(err, CDG_ERR_NOMEM, path, NULL, "out of memory");
    goto out;
  }
  /* Not an object, or an object with neither marker: keep the answers
  ** error, which names the question. */
  if (!cJSON_IsObject(root))
    goto out;
  if (!cJSON_GetObjectItemCaseSensitive(root, "cdguide_session")) {
    v = cJSON_GetObjectItemCaseSensitive(root, "resourceType");
    if (cJSON_IsString(v) &&
        strcmp(v->valuestring, "QuestionnaireResponse") == 0) {
      k = SESSION_KIND_FHIR;
      st = fhir_read_response(pack, t, len, path, out, err);
    }
    goto out;
  }

  k = SESSION_KIND_SESSION;
  /* An unknown member would be lost when the file is converted. */
  for (v = root->child; v; v = v->next)
    if (strcmp(v->string, "cdguide_session") != 0 &&
        strcmp(v->string, "pack") != 0 && strcmp(v->string, "updated") != 0 &&
        strcmp(v->string, "answers") != 0) {
      char key[80];

      cdg_utf8_cut(key, sizeof key, v->string);
      st = cdg_error_set(err, CDG_ERR_ANSWER, path, NULL,
                         "unknown key \"%s\" in a session file", key);
      if (strlen(v->string) < 60)
        st = S_at(err, st, t, len, v->string);
      goto out;
    }
  v = cJSON_GetObjectItemCaseSensitive(root, "cdguide_session");
  if (!cJSON_IsNumber(v) || v->valuedouble != SESSION_FORMAT) {
    st = S_at(err,
              cdg_error_set(err, CDG_ERR_ANSWER, path, NULL,
                            "unsupported session format (this program reads "
                            "format %d, and format %d as JSON Lines)",
                            SESSION_FORMAT, JOURNAL_FORMAT),
              t, len, "cdguide_session");
    goto out;
  }
  p = cJSON_GetObjectItemCaseSensitive(root, "pack");
  id = cJSON_GetObjectItemCaseSensitive(p, "id");
  ver = cJSON_GetObjectItemCaseSensitive(p, "version");
  if (!cJSON_IsString(id) || !cJSON_IsString(ver)) {
    st = cdg_error_set(err, CDG_ERR_ANSWER, path, NULL,
                       "session file does not name its pack id and version");
    st = S_at(err, st, t, len, "pack");
    goto out;
  }
  if (strcmp(id->valuestring, cdg_pack_id(pack)) != 0 ||
      !cdg_pack_reads_version(pack, ver->valuestring)) {
    cdg_utf8_cut(sid, sizeof sid, id->valuestring);
    cdg_utf8_cut(sver, sizeof sver, ver->valuestring);
    if (strcmp(id->valuestring, cdg_pack_id(pack)) == 0)
      st = cdg_error_set(err, CDG_ERR_ANSWER, path, NULL,
                         "session was saved with pack %s %s; this is %s", sid,
                         sver, cdg_pack_version(pack));
    else
      st = cdg_error_set(err, CDG_ERR_ANSWER, path, NULL,
                         "session was saved with pack %s %s; this is %s %s",
                         sid, sver, cdg_pack_id(pack), cdg_pack_version(pack));
    st = S_at(err, st, t, len, "pack");
    goto out;
  }
  if (!cJSON_GetObjectItemCaseSensitive(root, "answers")) {
    st = cdg_error_set(err, CDG_ERR_ANSWER, path, NULL,
                       "session file has no answers");
    goto out;
  }
  cdg_error_clear(err);
  st = cdg_answers_parse_at(pack, t, len, path, "/answers", out, err);

out:
  if (st != CDG_OK) {
    cdg_answers_free(*out);
    *out = NULL;
  }
  if (kind)
    *kind = k;
  cJSON_Delete(root);
  return st;
}

cdg_status session_load_kind(const char *path, const cdg_pack *pack,
                             cdg_answers **out, session_kind *kind,
                             cdg_error *err) {
  char *t = NULL;
  size_t len = 0;
  cdg_status st;

  *out = NULL;
  if ((st = cdg_read_file(path, &t, &len, err)) != CDG_OK)
    return st;
  st = session_parse(pack, t, len, path, out, kind, err);
  cdg_free(t);
  return st;
}

cdg_status session_load(const char *path, const cdg_pack *pack,
                        cdg_answers **out, cdg_error *err) {
  return session_load_kind(path, pack, out, NULL, err);
}

/* ---- Journals ---------------------------------------------------------- */

cdg_status session_set_value(cdg_answers *a, const cdg_question *q,
                             const cJSON *v, cdg_error *err) {
  const char *id = cdg_question_id(q), *codes[1000];
  const cJSON *c;
  size_t n = 0;

  if (cJSON_IsNumber(v))
    return cdg_answers_set_number(a, id, v->valuedouble, err);
  if (cJSON_IsString(v) && cdg_question_type(q) == CDG_Q_TEXT)
    return cdg_answers_set_text(a, id, v->valuestring, err);
  if (cJSON_IsString(v))
    return cdg_answers_set_codes(a, id, (const char *const[]){v->valuestring},
                                 1, err);
  if (!cJSON_IsArray(v))
    return cdg_error_set(err, CDG_ERR_ANSWER, NULL, NULL, "%s: not an answer",
                         id);
  cJSON_ArrayForEach(c, v) {
    if (!cJSON_IsString(c) || n == sizeof codes / sizeof *codes)
      return cdg_error_set(err, CDG_ERR_ANSWER, NULL, NULL, "%s: not an answer",
                           id);
    codes[n++] = c->valuestring;
  }
  return cdg_answers_set_codes(a, id, codes, n, err);
}

/* The pack a journal names must be this one. */
static cdg_status S_same_pack(const cdg_pack *pack, const journal *j,
                              const char *path, cdg_error *err) {
  const char *id = journal_pack_id(j), *ver = journal_pack_version(j);
  char sid[80], sver[80];
  cdg_status st;

  if (!id) /* a journal whose only line was torn: no events yet */
    return CDG_OK;
  if (strcmp(id, cdg_pack_id(pack)) == 0 && cdg_pack_reads_version(pack, ver))
    return CDG_OK;
  cdg_utf8_cut(sid, sizeof sid, id);
  cdg_utf8_cut(sver, sizeof sver, ver);
  if (strcmp(id, cdg_pack_id(pack)) == 0)
    st = cdg_error_set(err, CDG_ERR_ANSWER, path, NULL,
                       "session was saved with pack %s %s; this is %s (use "
                       "run --from to start from it)",
                       sid, sver, cdg_pack_version(pack));
  else
    st = cdg_error_set(err, CDG_ERR_ANSWER, path, NULL,
                       "session was saved with pack %s %s; this is %s %s", sid,
                       sver, cdg_pack_id(pack), cdg_pack_version(pack));
  if (err) {
    err->line = 1;
    err->col = 1;
  }
  return st;
}

/*
** The answers of the fold, each checked against its question (an error
** names the line of the event), then walked so that answers a later change
** disabled, should their "hidden" events be lost, do not count. The
** defaults: every answer said or carried over that still fits.
*/
static cdg_status S_fold(const cdg_pack *pack, const journal *j,
                         const char *path, session_file *f, cdg_error *err) {
  cdg_answers *a = NULL;
  cdg_walker *w = NULL;
  const cJSON *c, *sets[2];
  cdg_status st;
  size_t k;

  if ((st = cdg_answers_new(pack, &a)) != CDG_OK ||
      (st = cdg_answers_new(pack, &f->defaults)) != CDG_OK) {
    cdg_answers_free(a);
    goto nomem;
  }
  cJSON_ArrayForEach(c, journal_current(j)) {
    const cdg_question *q = cdg_pack_find_question(pack, c->string);
    char id[80];

    cdg_utf8_cut(id, sizeof id, c->string);
    st = q ? session_set_value(a, q, c, err)
           : cdg_error_set(err, CDG_ERR_ANSWER, NULL, NULL,
                           "unknown question \"%s\"", id);
    if (st != CDG_OK) {
      cdg_answers_free(a);
      if (st == CDG_ERR_NOMEM)
        goto nomem;
      if (err) {
        snprintf(err->file, sizeof err->file, "%s", path);
        err->line = (int)journal_line_of(j, c->string);
        err->col = 1;
      }
      return st;
    }
  }
  st = cdg_walker_new(pack, &w);
  if (st == CDG_OK)
    st = cdg_walker_restore(w, a);
  cdg_answers_free(a);
  if (st == CDG_OK)
    st = cdg_answers_copy(cdg_walker_answers(w), &f->answers);
  cdg_walker_free(w);
  if (st != CDG_OK)
    goto nomem;
  sets[0] = journal_carried(j);
  sets[1] = journal_said(j);
  for (k = 0; k < 2; k++)
    cJSON_ArrayForEach(c, sets[k]) {
      const cdg_question *q = cdg_pack_find_question(pack, c->string);
      if (q && session_set_value(f->defaults, q, c, NULL) == CDG_ERR_NOMEM)
        goto nomem;
    }
  return CDG_OK;
nomem:
  return cdg_error_set(err, CDG_ERR_NOMEM, path, NULL, "out of memory");
}

static cdg_status S_journal_text(const cdg_pack *pack, const char *t,
                                 size_t len, const char *path,
                                 session_file *f, cdg_error *err) {
  cdg_status st;

  memset(f, 0, sizeof *f);
  f->kind = SESSION_KIND_SESSION;
  f->format = JOURNAL_FORMAT;
  if (!(f->j = journal_new(path)))
    return cdg_error_set(err, CDG_ERR_NOMEM, path, NULL, "out of memory");
  st = journal_parse(f->j, t, len, 0, err);
  if (st == CDG_OK)
    st = S_same_pack(pack, f->j, path, err);
  if (st == CDG_OK)
    st = S_fold(pack, f->j, path, f, err);
  return st;
}

void session_file_free(session_file *f) {
  journal_free(f->j);
  cdg_answers_free(f->answers);
  cdg_answers_free(f->defaults);
  cJSON_Delete(f->format1);
  memset(f, 0, sizeof *f);
}

/* The first line of path, to tell a journal (which is read line by line)
** from a file read whole. Returns 1 for a journal, 0, or -1 with err. */
static int S_is_journal(const char *path, FILE **fp, cdg_status *st,
                        cdg_error *err) {
  char head[4096];
  size_t n;
  struct stat sb;

  *fp = fopen(path, "rb");
  if (!*fp) {
    int e = errno;
    *st = cdg_error_set(
        err, e == ENOENT || e == ENOTDIR ? CDG_ERR_NOTFOUND : CDG_ERR_IO, path,
        NULL, "%s", strerror(e));
    return -1;
  }
  if (fstat(fileno(*fp), &sb) != 0 || !S_ISREG(sb.st_mode)) {
    fclose(*fp);
    *fp = NULL;
    return 0; /* cdg_read_file says what it is */
  }
  n = fread(head, 1, sizeof head, *fp);
  rewind(*fp);
  return journal_sniff(head, n);
}

cdg_status session_read(const char *path, const cdg_pack *pack, int history,
                        session_file *f, cdg_error *err) {
  FILE *fp = NULL;
  char *t = NULL;
  size_t len = 0;
  cdg_status st;
  int is;

  memset(f, 0, sizeof *f);
  cdg_error_clear(err);
  if ((is = S_is_journal(path, &fp, &st, err)) < 0)
    return st;
  if (is) {
    f->kind = SESSION_KIND_SESSION;
    f->format = JOURNAL_FORMAT;
    if (!(f->j = journal_new(path)))
      st = cdg_error_set(err, CDG_ERR_NOMEM, path, NULL, "out of memory");
    else
      st = journal_read(f->j, fp, history, err);
    fclose(fp);
    if (st == CDG_OK)
      st = S_same_pack(pack, f->j, path, err);
    if (st == CDG_OK)
      st = S_fold(pack, f->j, path, f, err);
    if (st != CDG_OK)
      session_file_free(f);
    return st;
  }
  if (fp)
    fclose(fp);
  if ((st = cdg_read_file(path, &t, &len, err)) != CDG_OK)
    return st;
  st = session_parse(pack, t, len, path, &f->answers, &f->kind, err);
  if (st == CDG_OK && f->kind == SESSION_KIND_SESSION) {
    cJSON *root = cJSON_ParseWithLength(t, len), *u;

    f->format = SESSION_FORMAT;
    f->format1 = root ? cJSON_DetachItemFromObject(root, "answers") : NULL;
    u = root ? cJSON_GetObjectItemCaseSensitive(root, "updated") : NULL;
    snprintf(f->updated, sizeof f->updated, "%s",
             cJSON_IsString(u) ? u->valuestring : "");
    cJSON_Delete(root);
    if (!f->format1)
      st = cdg_error_set(err, CDG_ERR_NOMEM, path, NULL, "out of memory");
  }
  if (st == CDG_OK && cdg_answers_copy(f->answers, &f->defaults) != CDG_OK)
    st = cdg_error_set(err, CDG_ERR_NOMEM, path, NULL, "out of memory");
  cdg_free(t);
  if (st != CDG_OK)
    session_file_free(f);
  return st;
}

cdg_status session_read_any(const char *path, journal **out, cdg_error *err) {
  FILE *fp = NULL;
  char *t = NULL;
  size_t len = 0;
  cJSON *root = NULL, *a, *p, *c;
  journal *j;
  cdg_status st;
  int is;

  cdg_error_clear(err);
  *out = NULL;
  if (!(j = journal_new(path)))
    return cdg_error_set(err, CDG_ERR_NOMEM, path, NULL, "out of memory");
  if ((is = S_is_journal(path, &fp, &st, err)) < 0) {
    journal_free(j);
    return st;
  }
  if (is) {
    st = journal_read(j, fp, 0, err);
    fclose(fp);
    goto out;
  }
  if (fp)
    fclose(fp);
  if ((st = cdg_read_file(path, &t, &len, err)) != CDG_OK)
    goto out;
  if (len == 0) {
    st = S_empty(path, err);
    goto out;
  }
  if ((st = cdg_json_check(t, len, path, err)) != CDG_OK)
    goto out;
  /* Format 1 or a plain answers object: its answers, as said. */
  st = CDG_ERR_NOMEM;
  if (!(root = cJSON_ParseWithLength(t, len)))
    goto out;
  a = cJSON_GetObjectItemCaseSensitive(root, "answers");
  p = cJSON_GetObjectItemCaseSensitive(root, "pack");
  if (!cJSON_IsObject(root) || (cJSON_HasObjectItem(root, "cdguide_session")
                                    ? !cJSON_IsObject(a) || !cJSON_IsObject(p)
                                    : 0)) {
    st = cdg_error_set(err, CDG_ERR_ANSWER, path, NULL,
                       "not a session or answers file");
    goto out;
  }
  if (!cJSON_HasObjectItem(root, "cdguide_session"))
    a = root;
  else if (journal_set_pack(
               j, cJSON_GetStringValue(cJSON_GetObjectItem(p, "id"))
                      ? cJSON_GetStringValue(cJSON_GetObjectItem(p, "id"))
                      : "",
               cJSON_GetStringValue(cJSON_GetObjectItem(p, "version"))
                   ? cJSON_GetStringValue(cJSON_GetObjectItem(p, "version"))
                   : ""))
    goto out;
  st = CDG_OK;
  cJSON_ArrayForEach(c, a) if (journal_add(j, "answered", c->string, c,
                                           NULL) != 0) st = CDG_ERR_NOMEM;
out:
  if (st == CDG_ERR_NOMEM && (!err || !err->message[0]))
    cdg_error_set(err, st, path, NULL, "out of memory");
  cdg_free(t);
  cJSON_Delete(root);
  if (st != CDG_OK)
    journal_free(j);
  else
    *out = j;
  return st;
}


int session_events_of(const journal *j, session_events *e) {
  const cJSON *h = journal_history(j), *c;
  size_t n = (size_t)cJSON_GetArraySize(h), k = 0;

  memset(e, 0, sizeof *e);
  if (n == 0)
    return 0;
  if (!(e->ev = cdg_calloc(n, sizeof *e->ev)))
    return -1;
  cJSON_ArrayForEach(c, h) {
    const cJSON *v = cJSON_GetObjectItem(c, "new");

    if (!v)
      v = cJSON_GetObjectItem(c, "old");
    e->ev[k].at = cJSON_GetStringValue(cJSON_GetObjectItem(c, "time"));
    e->ev[k].action = cJSON_GetStringValue(cJSON_GetObjectItem(c, "event"));
    e->ev[k].question =
        cJSON_GetStringValue(cJSON_GetObjectItem(c, "question"));
    e->n = ++k;
    if (v && !(e->ev[k - 1].value = cJSON_PrintUnformatted(v)))
      return -1;
  }
  return 0;
}

void session_events_free(session_events *e) {
  size_t k;

  for (k = 0; k < e->n; k++)
    cJSON_free((char *)e->ev[k].value);
  cdg_free(e->ev);
  memset(e, 0, sizeof *e);
}
