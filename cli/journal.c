/*
** journal.c: session journals: folding the events of a file, and appending
** events under an exclusive lock, each batch written with one write(2) and
** fsynced before the caller goes on.
*/
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "journal.h"
#include "journal_scan.h"

ssize_t (*journal_write_hook)(int fd, const void *buf, size_t n);

struct journal {
  char *path;
  int fd;          /* open and locked, or -1 */
  int exists;      /* the file is on disk */
  char *pack_id, *pack_version;
  cJSON *said;     /* {id: last answer said} */
  cJSON *cur;      /* {id: answer that counts} */
  cJSON *skips;    /* {id: true} */
  cJSON *carried;  /* {id: answer} from started_from */
  cJSON *where;    /* {id: line of its last answer} */
  cJSON *hist;     /* every event, or NULL */
  cJSON *format1;  /* answers to write first (conversion), or NULL */
  char *format1_time;
  long long seq;   /* of the last event */
  size_t nevents, torn, lineno;
  int finished, started;
  off_t good;      /* bytes of whole lines in the file */
  cdg_buf queue;   /* events not yet written */
  long long qseq;  /* seq before the queue */
};

static char *S_strdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = cdg_malloc(n);

  if (d)
    memcpy(d, s, n);
  return d;
}

journal *journal_new(const char *path) {
  journal *j = cdg_calloc(1, sizeof *j);

  if (!j)
    return NULL;
  j->fd = -1;
  j->path = S_strdup(path);
  j->said = cJSON_CreateObject();
  j->cur = cJSON_CreateObject();
  j->skips = cJSON_CreateObject();
  j->carried = cJSON_CreateObject();
  j->where = cJSON_CreateObject();
  if (!j->path || !j->said || !j->cur || !j->skips || !j->carried ||
      !j->where) {
    journal_free(j);
    return NULL;
  }
  return j;
}

void journal_free(journal *j) {
  if (!j)
    return;
  if (j->fd >= 0)
    close(j->fd); /* and the lock with it */
  cdg_free(j->path);
  cdg_free(j->pack_id);
  cdg_free(j->pack_version);
  cdg_buf_free(&j->queue);
  cdg_free(j->format1_time);
  cJSON_Delete(j->said);
  cJSON_Delete(j->cur);
  cJSON_Delete(j->skips);
  cJSON_Delete(j->carried);
  cJSON_Delete(j->where);
  cJSON_Delete(j->hist);
  cJSON_Delete(j->format1);
  cdg_free(j);
}

const char *journal_pack_id(const journal *j) { return j->pack_id; }
const char *journal_pack_version(const journal *j) { return j->pack_version; }
const cJSON *journal_current(const journal *j) { return j->cur; }
const cJSON *journal_said(const journal *j) { return j->said; }
const cJSON *journal_skips(const journal *j) { return j->skips; }
const cJSON *journal_carried(const journal *j) { return j->carried; }
int journal_finished(const journal *j) { return j->finished; }
size_t journal_event_count(const journal *j) { return j->nevents; }
size_t journal_torn_line(const journal *j) { return j->torn; }
const cJSON *journal_history(const journal *j) { return j->hist; }
int journal_exists(const journal *j) { return j->exists; }
const char *journal_path(const journal *j) { return j->path; }

size_t journal_line_of(const journal *j, const char *id) {
  const cJSON *n = cJSON_GetObjectItemCaseSensitive(j->where, id);

  return cJSON_IsNumber(n) ? (size_t)n->valuedouble : 0;
}

/* Set obj[key] to v, which it takes (NULL: out of memory). */
static int S_put(cJSON *obj, const char *key, cJSON *v) {
  if (!v)
    return -1;
  if (cJSON_GetObjectItemCaseSensitive(obj, key)) {
    /* A replacement cJSON could not link (its key copy failed) is not
    ** freed by it. */
    if (cJSON_ReplaceItemInObjectCaseSensitive(obj, key, v))
      return 0;
    cJSON_Delete(v);
    return -1;
  }
  if (!cJSON_AddItemToObject(obj, key, v)) {
    cJSON_Delete(v);
    return -1;
  }
  return 0;
}

static void S_drop(cJSON *obj, const char *key) {
  cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
}

/* ---- Reading ----------------------------------------------------------- */

static const char *const S_kinds[] = {
    "started", "answered", "changed",  "hidden",   "skipped",     "went_back",
    "resumed", "finished", "reopened", "started_from"};
#define S_NKINDS (sizeof S_kinds / sizeof S_kinds[0])

/* Members an event may have; any other is an error, so that nothing in a
** file is silently dropped when it is written again. */
static const char *const S_keys[] = {
    "seq",  "time",   "event",          "question",       "answer",
    "by",   "pack",   "cdguide_session", "converted_from", "file",
    "answers", "left_out"};
#define S_NKEYS (sizeof S_keys / sizeof S_keys[0])

static cdg_status S_bad(journal *j, cdg_error *err, int col,
                        const char *what, const char *name) {
  cdg_error_set(err, CDG_ERR_ANSWER, j->path, NULL, "%s%s%s%s", what,
                name ? " \"" : "", name ? name : "", name ? "\"" : "");
  if (err) {
    err->line = (int)j->lineno;
    err->col = col;
  }
  return CDG_ERR_ANSWER;
}

/* An answer as an answers file holds it: a string, a number, or an array
** of strings. */
static int S_answer_ok(const cJSON *v) {
  const cJSON *c;

  if (cJSON_IsString(v) || cJSON_IsNumber(v))
    return 1;
  if (!cJSON_IsArray(v))
    return 0;
  cJSON_ArrayForEach(c, v) if (!cJSON_IsString(c)) return 0;
  return 1;
}

/* Add one event to the history (with history on). */
static int S_history(journal *j, const cJSON *ev, const char *kind,
                     const char *qid, const cJSON *old, const cJSON *now) {
  cJSON *h;

  if (!j->hist)
    return 0;
  if (!(h = cJSON_CreateObject()) || !cJSON_AddItemToArray(j->hist, h))
    return cJSON_Delete(h), -1;
  if (!cJSON_AddNumberToObject(h, "seq", (double)j->seq) ||
      !cJSON_AddStringToObject(
          h, "time", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ev, "time"))) ||
      !cJSON_AddStringToObject(h, "event", kind))
    return -1;
  if (qid && !cJSON_AddStringToObject(h, "question", qid))
    return -1;
  if (old && S_put(h, "old", cJSON_Duplicate(old, 1)))
    return -1;
  if (now && S_put(h, "new", cJSON_Duplicate(now, 1)))
    return -1;
  return 0;
}

/* The "started" event: format and pack. */
static cdg_status S_started(journal *j, const cJSON *ev, cdg_error *err) {
  const cJSON *f = cJSON_GetObjectItemCaseSensitive(ev, "cdguide_session");
  const cJSON *p = cJSON_GetObjectItemCaseSensitive(ev, "pack");
  const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(p, "id"));
  const char *ver = cJSON_GetStringValue(cJSON_GetObjectItem(p, "version"));

  if (!cJSON_IsNumber(f) || f->valuedouble != JOURNAL_FORMAT)
    return S_bad(j, err, 1, "unsupported session format", NULL);
  if (!id || !ver)
    return S_bad(j, err, 1, "session file does not name its pack id and "
                            "version", NULL);
  if (journal_set_pack(j, id, ver))
    return CDG_ERR_NOMEM;
  j->started = 1;
  return CDG_OK;
}

/* started_from: its carried answers become defaults. */
static cdg_status S_carried(journal *j, const cJSON *ev, cdg_error *err) {
  const cJSON *a = cJSON_GetObjectItemCaseSensitive(ev, "answers"), *c;

  if (!cJSON_IsObject(a))
    return S_bad(j, err, 1, "started_from without answers", NULL);
  cJSON_ArrayForEach(c, a) {
    if (!S_answer_ok(c))
      return S_bad(j, err, 1, "not an answer for", c->string);
    if (S_put(j->carried, c->string, cJSON_Duplicate(c, 1)))
      return CDG_ERR_NOMEM;
  }
  return CDG_OK;
}

/* Fold one event (a parsed, checked JSON object). */
static cdg_status S_event(journal *j, const cJSON *ev, cdg_error *err) {
  const cJSON *seq = cJSON_GetObjectItemCaseSensitive(ev, "seq"), *c;
  const cJSON *ans = cJSON_GetObjectItemCaseSensitive(ev, "answer");
  const char *kind = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ev, "event"));
  const char *qid = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ev, "question"));
  const cJSON *old;
  size_t k;

  if (!cJSON_IsObject(ev))
    return S_bad(j, err, 1, "an event must be a JSON object", NULL);
  cJSON_ArrayForEach(c, ev) {
    for (k = 0; k < S_NKEYS && strcmp(c->string, S_keys[k]) != 0; k++)
      ;
    if (k == S_NKEYS)
      return S_bad(j, err, 1, "unknown key", c->string);
  }
  if (!cJSON_IsNumber(seq) || seq->valuedouble != (double)(j->seq + 1))
    return S_bad(j, err, 1, "sequence number out of order", NULL);
  if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(ev, "time")))
    return S_bad(j, err, 1, "event without a time", NULL);
  for (k = 0; kind && k < S_NKINDS && strcmp(kind, S_kinds[k]) != 0; k++)
    ;
  if (!kind || k == S_NKINDS)
    return S_bad(j, err, 1, "unknown event", kind);
  if (j->seq == 0 && k != 0)
    return S_bad(j, err, 1, "the first event must be \"started\"", NULL);
  if (j->seq > 0 && k == 0)
    return S_bad(j, err, 1, "a second \"started\" event", NULL);
  j->seq++;
  j->nevents++;
  if (k == 0 || k == 9) {
    cdg_status st = k == 0 ? S_started(j, ev, err) : S_carried(j, ev, err);
    if (st == CDG_OK && S_history(j, ev, kind, NULL, NULL, NULL))
      st = CDG_ERR_NOMEM;
    return st;
  }
  if (k >= 1 && k <= 5 && !qid)
    return S_bad(j, err, 1, "event without a question", NULL);
  old = qid ? cJSON_GetObjectItemCaseSensitive(j->said, qid) : NULL;
  if (k == 1 || k == 2) {
    if (!S_answer_ok(ans))
      return S_bad(j, err, 1, "not an answer for", qid);
    if (S_history(j, ev, kind, qid, old, ans) ||
        S_put(j->said, qid, cJSON_Duplicate(ans, 1)) ||
        S_put(j->cur, qid, cJSON_Duplicate(ans, 1)))
      return CDG_ERR_NOMEM;
    {
      cJSON *w = cJSON_GetObjectItemCaseSensitive(j->where, qid);
      if (w)
        cJSON_SetNumberValue(w, (double)j->lineno);
      else if (S_put(j->where, qid, cJSON_CreateNumber((double)j->lineno)))
        return CDG_ERR_NOMEM;
    }
    S_drop(j->skips, qid);
    return CDG_OK;
  }
  if (S_history(j, ev, kind, qid, k >= 3 && k <= 5 ? old : NULL, NULL))
    return CDG_ERR_NOMEM;
  switch (k) {
  case 3: /* hidden: kept in said */
  case 5: /* went_back */
    S_drop(j->cur, qid);
    S_drop(j->skips, qid);
    break;
  case 4:
    S_drop(j->cur, qid);
    if (!cJSON_GetObjectItemCaseSensitive(j->skips, qid) &&
        S_put(j->skips, qid, cJSON_CreateTrue()))
      return CDG_ERR_NOMEM;
    break;
  case 7: j->finished = 1; break;
  case 8: j->finished = 0; break;
  default: break; /* resumed */
  }
  return CDG_OK;
}

/* One line (n bytes, no line end). */
static cdg_status S_line(journal *j, const char *s, size_t n,
                         cdg_error *err) {
  cJSON *ev;
  cdg_status st;

  int nomem;

  j->lineno++;
  /* Most lines are in the writer's fixed shape: read without the general
  ** scan and parse, which cost most of a long resume. */
  ev = journal_scan_line(s, n, &nomem);
  if (nomem)
    return cdg_error_set(err, CDG_ERR_NOMEM, j->path, NULL, "out of memory");
  if (!ev && (st = cdg_json_check(s, n, j->path, err)) != CDG_OK) {
    if (err)
      err->line = (int)j->lineno;
    return st;
  }
  if (!ev && !(ev = cJSON_ParseWithLength(s, n)))
    return cdg_error_set(err, CDG_ERR_NOMEM, j->path, NULL, "out of memory");
  st = S_event(j, ev, err);
  cJSON_Delete(ev);
  if (st == CDG_ERR_NOMEM)
    cdg_error_set(err, st, j->path, NULL, "out of memory");
  return st;
}

static cdg_status S_begin(journal *j, int history, cdg_error *err) {
  cdg_error_clear(err);
  if (history && !j->hist && !(j->hist = cJSON_CreateArray()))
    return cdg_error_set(err, CDG_ERR_NOMEM, j->path, NULL, "out of memory");
  j->exists = 1;
  return CDG_OK;
}

static cdg_status S_end(journal *j, cdg_error *err) {
  if (!j->started && !j->torn && j->good > 0)
    return cdg_error_set(err, CDG_ERR_ANSWER, j->path, NULL,
                         "session file has no events");
  return CDG_OK;
}

cdg_status journal_parse(journal *j, const char *text, size_t len,
                         int history, cdg_error *err) {
  size_t at = 0;
  cdg_status st;

  if ((st = S_begin(j, history, err)) != CDG_OK)
    return st;
  while (at < len) {
    const char *nl = memchr(text + at, '\n', len - at);

    if (!nl) {
      j->torn = j->lineno + 1; /* cut short: ignored */
      break;
    }
    if ((st = S_line(j, text + at, (size_t)(nl - (text + at)), err)))
      return st;
    at = (size_t)(nl - text) + 1;
    j->good = (off_t)at;
  }
  return S_end(j, err);
}

cdg_status journal_read(journal *j, FILE *fp, int history, cdg_error *err) {
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  cdg_status st;

  if ((st = S_begin(j, history, err)) != CDG_OK)
    return st;
  errno = 0;
  while ((n = getline(&line, &cap, fp)) > 0) {
    if (line[n - 1] != '\n') {
      j->torn = j->lineno + 1;
      break;
    }
    if ((st = S_line(j, line, (size_t)n - 1, err)) != CDG_OK) {
      free(line);
      return st;
    }
    j->good += (off_t)n;
  }
  free(line);
  if (ferror(fp))
    return cdg_error_set(err, errno == ENOMEM ? CDG_ERR_NOMEM : CDG_ERR_IO,
                         j->path, NULL, "cannot read: %s", strerror(errno));
  return S_end(j, err);
}

/* ---- Writing ----------------------------------------------------------- */

int journal_set_pack(journal *j, const char *id, const char *version) {
  char *a = S_strdup(id), *b = S_strdup(version);

  if (!a || !b) {
    cdg_free(a);
    cdg_free(b);
    return -1;
  }
  cdg_free(j->pack_id);
  cdg_free(j->pack_version);
  j->pack_id = a;
  j->pack_version = b;
  return 0;
}

/* The directory part of path, for checks and fsync. */
static int S_dir(const char *path, char *dir, size_t size) {
  const char *slash = strrchr(path, '/');
  int n;

  if (!slash)
    n = snprintf(dir, size, ".");
  else if (slash == path)
    n = snprintf(dir, size, "/");
  else
    n = snprintf(dir, size, "%.*s", (int)(slash - path), path);
  return n < 0 || (size_t)n >= size ? -1 : 0;
}

static int S_fail(cdg_error *err, int code, const char *path, const char *fmt,
                  const char *detail) {
  cdg_error_set(err, CDG_ERR_IO, path, NULL, fmt, detail);
  return code;
}

/* Lock fd: exclusive, without waiting. */
static int S_lock(journal *j, int fd, cdg_error *err) {
  if (flock(fd, LOCK_EX | LOCK_NB) == 0)
    return 0;
  if (errno == EWOULDBLOCK)
    return S_fail(err, EX_TEMPFAIL, j->path, "%s",
                  "in use: another cdguide has this session open; close "
                  "it first");
  return S_fail(err, EX_IOERR, j->path, "cannot lock: %s", strerror(errno));
}

int journal_open(journal *j, cdg_error *err) {
  char dir[PATH_MAX];
  struct stat sb;
  int fd, rc;

  cdg_error_clear(err);
  if (!*(strrchr(j->path, '/') ? strrchr(j->path, '/') + 1 : j->path))
    return S_fail(err, EX_CANTCREAT, j->path, "%s", "not a file name");
  if (lstat(j->path, &sb) != 0) {
    if (errno != ENOENT)
      return S_fail(err, EX_CANTCREAT, j->path, "cannot write: %s",
                    strerror(errno));
    /* Created with the first event; its place is checked now. */
    if (S_dir(j->path, dir, sizeof dir) != 0)
      return S_fail(err, EX_CANTCREAT, j->path, "%s", "path too long");
    if (stat(dir, &sb) != 0)
      return S_fail(err, EX_CANTCREAT, j->path, "cannot create: %s",
                    strerror(errno));
    if (!S_ISDIR(sb.st_mode))
      return S_fail(err, EX_CANTCREAT, j->path, "cannot create: %s",
                    strerror(ENOTDIR));
    if (access(dir, W_OK | X_OK) != 0)
      return S_fail(err, EX_CANTCREAT, j->path, "cannot create: %s",
                    strerror(errno));
    return 0;
  }
  if (S_ISLNK(sb.st_mode))
    return S_fail(err, EX_CANTCREAT, j->path, "%s",
                  "is a symbolic link; not writing through it");
  if (!S_ISREG(sb.st_mode))
    return S_fail(err, EX_CANTCREAT, j->path, "%s", "not a regular file");
  /* The mode bits, not access(2): root may write anything, but a file
  ** made read-only says it is not to be changed. */
  if (!(sb.st_mode & S_IWUSR))
    return S_fail(err, EX_NOPERM, j->path, "%s",
                  "is read-only; nothing was changed (make it writable "
                  "to continue it)");
  fd = open(j->path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return S_fail(err, errno == EACCES ? EX_NOPERM : EX_CANTCREAT, j->path,
                  "cannot write: %s; nothing was changed", strerror(errno));
  if ((rc = S_lock(j, fd, err)) != 0) {
    close(fd);
    return rc;
  }
  j->fd = fd;
  j->exists = 1;
  return 0;
}

int journal_convert_format1(journal *j, const cJSON *format1,
                            const char *time, cdg_error *err) {
  cJSON_Delete(j->format1);
  cdg_free(j->format1_time);
  j->format1 = cJSON_Duplicate(format1, 1);
  j->format1_time = S_strdup(time ? time : "");
  if (!j->format1 || !j->format1_time)
    return S_fail(err, EX_SOFTWARE, j->path, "%s", "out of memory");
  return 0;
}

static void S_now(char buf[32]) {
  time_t now = time(NULL);
  struct tm tm;

  if (!gmtime_r(&now, &tm) ||
      !strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
    snprintf(buf, 32, "1970-01-01T00:00:00Z");
}

/* Append one event line to the queue. */
static int S_queue(journal *j, cJSON *ev) {
  char *text = cJSON_PrintUnformatted(ev);
  size_t len = j->queue.len;
  int rc;

  if (!text)
    return -1;
  rc = cdg_buf_puts(&j->queue, text) || cdg_buf_putc(&j->queue, '\n');
  if (rc) { /* no half line queued, and the queue usable again */
    cdg_buf_truncate(&j->queue, len);
    j->queue.failed = 0;
  }
  cJSON_free(text);
  return rc ? -1 : 0;
}

/* A new event object with seq, time and event; NULL out of memory. */
static cJSON *S_new_event(journal *j, const char *kind, const char *time) {
  cJSON *ev = cJSON_CreateObject();
  char now[32];

  if (!time)
    S_now(now);
  if (!ev || !cJSON_AddNumberToObject(ev, "seq", (double)(j->seq + 1)) ||
      !cJSON_AddStringToObject(ev, "time", time ? time : now) ||
      !cJSON_AddStringToObject(ev, "event", kind)) {
    cJSON_Delete(ev);
    return NULL;
  }
  return ev;
}

static const char *S_user(void) {
  struct passwd *pw = getpwuid(geteuid());

  return pw && pw->pw_name ? pw->pw_name : "unknown";
}

/* Queue ev and fold it into the state; consumes ev. */
static int S_take(journal *j, cJSON *ev) {
  int rc;

  if (j->queue.len == 0)
    j->qseq = j->seq;
  rc = S_queue(j, ev);
  if (rc == 0) {
    j->lineno++;
    rc = S_event(j, ev, NULL) == CDG_OK ? 0 : -1;
  }
  cJSON_Delete(ev);
  return rc;
}

/* Add a copy of v to o as key. 0, or -1 out of memory (nothing added,
** nothing leaked: cJSON_AddItemToObject does not free an item it could
** not add). */
static int S_add_copy(cJSON *o, const char *key, const cJSON *v) {
  cJSON *d = cJSON_Duplicate(v, 1);

  if (d && cJSON_AddItemToObject(o, key, d))
    return 0;
  cJSON_Delete(d);
  return -1;
}

/* The started event (and a converted file's answers) before the first. */
static int S_header(journal *j) {
  cJSON *ev, *p, *c;

  if (j->started)
    return 0;
  if (!(ev = S_new_event(j, "started", NULL)) ||
      !cJSON_AddNumberToObject(ev, "cdguide_session", JOURNAL_FORMAT) ||
      !(p = cJSON_AddObjectToObject(ev, "pack")) ||
      !cJSON_AddStringToObject(p, "id", j->pack_id ? j->pack_id : "") ||
      !cJSON_AddStringToObject(p, "version",
                               j->pack_version ? j->pack_version : "") ||
      !cJSON_AddStringToObject(ev, "by", S_user()) ||
      (j->format1 && !cJSON_AddStringToObject(ev, "converted_from", "format 1"))) {
    cJSON_Delete(ev);
    return -1;
  }
  if (S_take(j, ev))
    return -1;
  cJSON_ArrayForEach(c, j->format1) {
    if (!(ev = S_new_event(j, "answered", j->format1_time)) ||
        !cJSON_AddStringToObject(ev, "question", c->string) ||
        S_add_copy(ev, "answer", c) != 0)
      return cJSON_Delete(ev), -1;
    if (S_take(j, ev))
      return -1;
  }
  return 0;
}

int journal_add(journal *j, const char *kind, const char *qid,
                const cJSON *value, const cJSON *extra) {
  const cJSON *old = qid ? cJSON_GetObjectItemCaseSensitive(j->said, qid)
                         : NULL, *c;
  cJSON *ev;

  if (strcmp(kind, "started") != 0 && S_header(j))
    return -1;
  if (strcmp(kind, "answered") == 0 && old && !cJSON_Compare(old, value, 1))
    kind = "changed";
  if (!(ev = S_new_event(j, kind, NULL)))
    return -1;
  if ((qid && !cJSON_AddStringToObject(ev, "question", qid)) ||
      (value && S_add_copy(ev, "answer", value) != 0) ||
      (strcmp(kind, "resumed") == 0 &&
       !cJSON_AddStringToObject(ev, "by", S_user()))) {
    cJSON_Delete(ev);
    return -1;
  }
  cJSON_ArrayForEach(c, extra) {
    if (S_add_copy(ev, c->string, c) != 0) {
      cJSON_Delete(ev);
      return -1;
    }
  }
  return S_take(j, ev);
}

static int S_write_all(int fd, const char *s, size_t n) {
  while (n > 0) {
    ssize_t w = journal_write_hook ? journal_write_hook(fd, s, n)
                                   : write(fd, s, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0) {
      if (w == 0)
        errno = ENOSPC;
      return -1;
    }
    s += w;
    n -= (size_t)w;
  }
  return 0;
}

/* fsync the directory of path: a new name is durable only then. */
static void S_sync_dir(const char *path) {
  char dir[PATH_MAX];
  int fd;

  if (S_dir(path, dir, sizeof dir) != 0)
    return;
  fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
}

/* Create the file (0600, exclusively) and lock it. */
static int S_create(journal *j, cdg_error *err) {
  int fd = open(j->path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                0600), rc;

  if (fd < 0 && errno == EEXIST)
    return S_fail(err, EX_TEMPFAIL, j->path, "%s",
                  "in use: another cdguide created this session meanwhile");
  if (fd < 0)
    return S_fail(err, EX_CANTCREAT, j->path, "cannot create: %s",
                  strerror(errno));
  if ((rc = S_lock(j, fd, err)) != 0) {
    close(fd);
    unlink(j->path);
    return rc;
  }
  j->fd = fd;
  j->exists = 1;
  j->good = 0;
  S_sync_dir(j->path);
  return 0;
}

/* Keep the format 1 file as PATH.format1 (a hard link, so the journal
** replaces only the name), then start the journal afresh in its place. */
static int S_convert(journal *j, cdg_error *err) {
  char keep[PATH_MAX], tmp[PATH_MAX];
  int fd, rc;

  if (snprintf(keep, sizeof keep, "%s.format1", j->path) >= (int)sizeof keep ||
      snprintf(tmp, sizeof tmp, "%s.%ld.tmp", j->path, (long)getpid()) >=
          (int)sizeof tmp)
    return S_fail(err, EX_CANTCREAT, j->path, "%s", "path too long");
  if (link(j->path, keep) != 0)
    return S_fail(err, EX_CANTCREAT, keep,
                  "cannot keep the format 1 file: %s", strerror(errno));
  fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    return S_fail(err, EX_CANTCREAT, tmp, "cannot create: %s",
                  strerror(errno));
  if ((rc = S_lock(j, fd, err)) != 0 ||
      (S_write_all(fd, j->queue.data, j->queue.len) != 0 || fsync(fd) != 0 ||
       rename(tmp, j->path) != 0)) {
    int e = errno;
    close(fd);
    unlink(tmp);
    return rc ? rc : S_fail(err, EX_IOERR, j->path, "cannot write: %s",
                            strerror(e));
  }
  S_sync_dir(j->path);
  close(j->fd); /* the old file's lock */
  j->fd = fd;
  j->good = (off_t)j->queue.len;
  cJSON_Delete(j->format1);
  j->format1 = NULL;
  return 0;
}

/* Undo the queued events in the fold: read the file again. */
static void S_rollback(journal *j) {
  cdg_buf_truncate(&j->queue, 0);
  j->seq = j->qseq;
}

int journal_commit(journal *j, cdg_error *err) {
  int rc = 0;

  cdg_error_clear(err);
  if (j->queue.len == 0)
    return 0;
  if (j->format1) {
    if ((rc = S_convert(j, err)) != 0)
      S_rollback(j);
    cdg_buf_truncate(&j->queue, 0);
    return rc;
  }
  if (j->fd < 0 && (rc = S_create(j, err)) != 0) {
    S_rollback(j);
    return rc;
  }
  /* A torn last line from a crash is cut off before appending. */
  if (ftruncate(j->fd, j->good) != 0 || lseek(j->fd, j->good, SEEK_SET) < 0 ||
      S_write_all(j->fd, j->queue.data, j->queue.len) != 0 || fsync(j->fd) != 0) {
    int e = errno;
    /* A partial write is cut off: the file is as it was. */
    if (ftruncate(j->fd, j->good) == 0)
      fsync(j->fd);
    S_rollback(j);
    return S_fail(err, e == ENOMEM ? EX_SOFTWARE : EX_IOERR, j->path,
                  "cannot write: %s", strerror(e));
  }
  j->good += (off_t)j->queue.len;
  cdg_buf_truncate(&j->queue, 0);
  j->torn = 0;
  return 0;
}
