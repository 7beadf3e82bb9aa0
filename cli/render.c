/*
** render.c: wrapping sanitised text to a width, for the questionnaire and
** the text and markdown reports alike.
*/
#include "render.h"

#include <stdlib.h>
#include <string.h>

#include "cdg_base.h"
#include "cdg_limits.h"
#include "cli.h"

void render_init(render *r, FILE *f, int width) {
  memset(r, 0, sizeof *r);
  r->f = f;
  r->width = width <= 0              ? CDG_DEFAULT_WIDTH
             : width < CDG_MIN_WIDTH ? CDG_MIN_WIDTH
                                     : width;
}

int render_cols(const char *s, size_t n) { return (int)cdg_utf8_count(s, n); }

/* Bytes that hold the first k code points of s, counted as render_cols
** (cdg_utf8_count) counts them. */
static size_t S_bytes(const char *s, size_t n, int k) {
  size_t i = 0, len;

  for (; i < n && k > 0; k--) {
    len = cdg_utf8_decode(s + i, n - i, NULL);
    i += len ? len : 1;
  }
  return i;
}

char *render_vclean(render *r, const char *fmt, va_list ap) {
  cdg_buf raw = CDG_BUF_INIT;
  char *clean = NULL;
  size_t cleanlen = 0;
  FILE *m;
  int bad;

  /* The sanitiser writes to a stream: a memory one holds its output. */
  if (cdg_buf_vprintf(&raw, fmt, ap) != 0 ||
      !(m = open_memstream(&clean, &cleanlen)))
    goto out;
  bad = cli_put_sanitized(m, cdg_buf_cstr(&raw), raw.len) != 0;
  if (fclose(m) != 0 || bad) {
    free(clean);
    clean = NULL;
  }
out:
  cdg_buf_free(&raw);
  if (!clean)
    r->oom = 1;
  return clean;
}

char *render_clean(render *r, const char *fmt, ...) {
  va_list ap;
  char *s;

  va_start(ap, fmt);
  s = render_vclean(r, fmt, ap);
  va_end(ap);
  return s;
}

void render_spaces(render *r, int n) {
  while (n-- > 0)
    putc(' ', r->f);
}

void render_wrap(render *r, int col, int hang, const char *s) {
  const char *w;
  size_t wl, cut;
  int cols, fresh = 1, room;

  for (;;) {
    while (*s == ' ')
      s++;
    if (!*s)
      break;
    for (w = s; *s && *s != ' '; s++)
      ;
    wl = (size_t)(s - w);
    cols = render_cols(w, wl);
    if (!fresh && col + 1 + cols > r->width) {
      putc('\n', r->f);
      render_spaces(r, hang);
      col = hang;
      fresh = 1;
    }
    if (!fresh) {
      putc(' ', r->f);
      col++;
    }
    /* A word longer than the line is cut, so no line is wider. */
    while (col + cols > r->width) {
      room = r->width - col;
      cut = S_bytes(w, wl, room);
      fwrite(w, 1, cut, r->f);
      putc('\n', r->f);
      render_spaces(r, hang);
      col = hang;
      w += cut;
      wl -= cut;
      cols -= room;
    }
    fwrite(w, 1, wl, r->f);
    col += cols;
    fresh = 0;
  }
  putc('\n', r->f);
}

void render_textf(render *r, int indent, int hang, const char *fmt, ...) {
  va_list ap;
  char *clean;

  va_start(ap, fmt);
  clean = render_vclean(r, fmt, ap);
  va_end(ap);
  if (!clean)
    return;
  render_spaces(r, indent);
  render_wrap(r, indent, hang, clean);
  free(clean);
}
