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

#include "cdg_limits.h"
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
  return CDG_DEFAULT_WIDTH;
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

int cli_put_sanitized(FILE *out, const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0, len;
  unsigned long c;

  while (i < n) {
    len = cdg_utf8_decode(s + i, n - i, &c);
    if (len && !cdg_char_unsafe(c)) {
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
    len = cdg_utf8_decode(s + i, n - i, &c);
    if (len && c >= 0x7F && cdg_char_unsafe(c)) {
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
