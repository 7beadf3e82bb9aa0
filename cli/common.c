/* common.c: what the commands share: exit codes, messages, loading the
** pack and passages, reading files, colour, width, dates, sanitising. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/*
** The one table from library status to exit status (sysexits.h). Bad data
** of any kind is 65; out of memory is 70 (EX_SOFTWARE: the program could
** not go on), since it is neither bad input nor an I/O failure.
*/
int cli_exit_code(cdg_status st) {
  switch (st) {
  case CDG_OK: return 0;
  case CDG_ERR_SYNTAX:
  case CDG_ERR_PACK:
  case CDG_ERR_ANSWER:
  case CDG_ERR_LOGIC: return EX_DATAERR;
  case CDG_ERR_NOTFOUND: return EX_NOINPUT;
  case CDG_ERR_IO: return EX_IOERR;
  case CDG_ERR_NOMEM:
  case CDG_ERR_STATE: return EX_SOFTWARE;
  }
  return EX_SOFTWARE;
}

/*
** Messages name files, keys and codes taken from the input: they go out
** through cli_put_sanitized, so that an escape sequence in an answers file
** or a file name cannot drive the terminal (controls become U+FFFD).
*/
static void S_put_message(const char *msg) {
  fputs("cdguide: ", stderr);
  cli_put_sanitized(stderr, msg, strlen(msg));
  fputc('\n', stderr);
}

void cli_print_error(const cdg_error *err) {
  char buf[1200];

  cdg_error_format(err, buf, sizeof buf);
  S_put_message(buf[0] ? buf : "unknown error");
}

void cli_errorf(const char *fmt, ...) {
  char buf[1200];
  va_list ap;

  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  S_put_message(buf);
}

cdg_status cli_fail(cdg_error *err, cdg_status st, const char *file,
                    const char *pointer, const char *fmt, ...) {
  va_list ap;

  if (!err)
    return st;
  cdg_error_clear(err);
  snprintf(err->file, sizeof err->file, "%s", file ? file : "");
  snprintf(err->pointer, sizeof err->pointer, "%s", pointer ? pointer : "");
  va_start(ap, fmt);
  vsnprintf(err->message, sizeof err->message, fmt, ap);
  va_end(ap);
  return st;
}

int cli_load(const cli_opts *o, cdg_pack **pack, cdg_passages **ps) {
  cdg_error err;
  cdg_status st;

  cdg_error_clear(&err);
  *pack = NULL;
  *ps = NULL;
  st = cdg_passages_builtin(ps, &err);
  if (st == CDG_OK)
    st = o->pack_dir ? cdg_pack_load_dir(o->pack_dir, pack, &err)
                     : cdg_pack_builtin(pack, &err);
  if (st == CDG_OK)
    return 0;
  if (!err.message[0])
    snprintf(err.message, sizeof err.message, "%s", cdg_status_str(st));
  cli_print_error(&err);
  cdg_pack_free(*pack);
  cdg_passages_free(*ps);
  *pack = NULL;
  *ps = NULL;
  return cli_exit_code(st);
}

static cdg_status S_file_error(cdg_error *err, const char *path, int e) {
  return cli_fail(err,
                  e == ENOENT || e == ENOTDIR ? CDG_ERR_NOTFOUND : CDG_ERR_IO,
                  path, NULL, "%s", strerror(e));
}

cdg_status cli_read_file(const char *path, char **buf, size_t *len,
                         cdg_error *err) {
  FILE *f = NULL;
  char *data = NULL, *bigger;
  size_t n = 0, cap = 4096, got;
  cdg_status st = CDG_OK;

  *buf = NULL;
  *len = 0;
  f = fopen(path, "rb");
  if (!f) {
    st = S_file_error(err, path, errno);
    goto out;
  }
  if (!(data = cdg_malloc(cap))) {
    st = CDG_ERR_NOMEM;
    goto out;
  }
  while ((got = fread(data + n, 1, cap - n - 1, f)) > 0) {
    n += got;
    if (cap - n - 1 > 0)
      continue;
    if (cap > ((size_t)-1) / 2 || !(bigger = cdg_realloc(data, cap * 2))) {
      st = CDG_ERR_NOMEM;
      goto out;
    }
    data = bigger;
    cap *= 2;
  }
  if (ferror(f)) {
    /* e.g. EISDIR: fopen succeeds on a directory, reading fails. */
    st = S_file_error(err, path, errno ? errno : EIO);
    goto out;
  }
  data[n] = '\0';
  *buf = data;
  *len = n;
  data = NULL;
out:
  if (st == CDG_ERR_NOMEM)
    cli_fail(err, st, path, NULL, "out of memory");
  cdg_free(data);
  if (f)
    fclose(f);
  return st;
}

int cli_color_wanted(int no_color_flag, int fd) {
  const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

  if (no_color_flag || (nc && nc[0]))
    return 0;
  if (!term || !term[0] || strcmp(term, "dumb") == 0)
    return 0;
  return isatty(fd);
}

int cli_term_width(int fd) {
  struct winsize ws;

  if (isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    return ws.ws_col;
  return 80;
}

void cli_date_now(char buf[32]) {
  const char *sde = getenv("SOURCE_DATE_EPOCH");
  time_t t = time(NULL);
  struct tm tm;
  char *end;

  if (sde && sde[0]) {
    long long v;

    errno = 0;
    v = strtoll(sde, &end, 10);
    if (!*end && errno == 0 && v >= 0)
      t = (time_t)v;
  }
  if (!gmtime_r(&t, &tm) || !strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
    snprintf(buf, 32, "unknown");
}

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0. Rejects
** overlong forms, surrogates and values above U+10FFFF. */
static size_t S_utf8_len(const unsigned char *s, size_t n, unsigned long *cp) {
  size_t len, i;
  unsigned long c;

  if (s[0] < 0x80) {
    *cp = s[0];
    return 1;
  }
  if (s[0] >= 0xC2 && s[0] <= 0xDF)
    len = 2, c = s[0] & 0x1F;
  else if (s[0] >= 0xE0 && s[0] <= 0xEF)
    len = 3, c = s[0] & 0x0F;
  else if (s[0] >= 0xF0 && s[0] <= 0xF4)
    len = 4, c = s[0] & 0x07;
  else
    return 0;
  if (len > n)
    return 0;
  for (i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80)
      return 0;
    c = (c << 6) | (s[i] & 0x3F);
  }
  if ((len == 3 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) ||
      (len == 4 && (c < 0x10000 || c > 0x10FFFF)))
    return 0;
  *cp = c;
  return len;
}

/* Characters that must not reach a terminal raw: controls, and the
** bidirectional overrides that can make text read differently. */
static int S_unsafe(unsigned long c) {
  return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) ||
         c == 0x061C || c == 0x200E || c == 0x200F ||
         (c >= 0x2028 && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

int cli_put_sanitized(FILE *out, const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0, len;
  unsigned long c;

  while (i < n) {
    len = S_utf8_len(p + i, n - i, &c);
    if (len && !S_unsafe(c)) {
      if (fwrite(p + i, 1, len, out) != len)
        return -1;
    } else if (len && (c == '\t' || c == '\n' || c == '\r')) {
      if (putc(' ', out) == EOF)
        return -1;
    } else if (fputs("\xEF\xBF\xBD", out) == EOF) {
      return -1;
    }
    i += len ? len : 1;
  }
  return 0;
}

int cli_put_json(FILE *out, const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0, n = strlen(s), len;
  unsigned long c;

  while (i < n) {
    len = S_utf8_len(p + i, n - i, &c);
    if (len && c >= 0x7F && S_unsafe(c)) {
      /* Outside strings JSON is ASCII, so c is inside a string. */
      if (fprintf(out, "\\u%04lx", c) < 0)
        return -1;
    } else if (fwrite(p + i, 1, len ? len : 1, out) != (len ? len : 1)) {
      return -1;
    }
    i += len ? len : 1;
  }
  return 0;
}
