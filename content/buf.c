/* buf.c: the growable buffer of the library (cdg_base.h). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cdg_base.h"

void cdg_buf_init(cdg_buf *b) {
  b->data = NULL;
  b->len = b->cap = 0;
  b->failed = 0;
}

void cdg_buf_free(cdg_buf *b) {
  cdg_free(b->data);
  cdg_buf_init(b);
}

int cdg_buf_grow(cdg_buf *b, size_t extra) {
  size_t cap;
  char *p;

  if (b->failed)
    return -1;
  if (extra >= SIZE_MAX - b->len) {
    b->failed = 1;
    return -1;
  }
  if (b->len + extra + 1 <= b->cap)
    return 0;
  /* Doubling keeps appends linear in all; 64 spares small ones a
  ** realloc each. */
  cap = b->cap ? b->cap : 64;
  while (cap < b->len + extra + 1)
    cap = cap > SIZE_MAX / 2 ? b->len + extra + 1 : cap * 2;
  p = cdg_realloc(b->data, cap);
  if (!p) {
    b->failed = 1;
    return -1;
  }
  b->data = p;
  b->cap = cap;
  return 0;
}

char *cdg_strdup_printf(const char *fmt, ...) {
  cdg_buf b = CDG_BUF_INIT;
  va_list ap;

  va_start(ap, fmt);
  cdg_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  return cdg_buf_detach(&b, NULL);
}

/* Room doubled; zeroed when zero. */
static int S_grow(void *items, size_t n, size_t *cap, size_t size, int zero) {
  void **pp = items;
  size_t c;
  char *p;

  if (n < *cap)
    return 0;
  c = *cap ? *cap : 8;
  if (c > SIZE_MAX / 2 / size)
    return -1;
  c *= 2;
  if (!(p = cdg_realloc(*pp, c * size)))
    return -1;
  if (zero)
    memset(p + *cap * size, 0, (c - *cap) * size);
  *pp = p;
  *cap = c;
  return 0;
}

int cdg_grow(void *items, size_t n, size_t *cap, size_t size) {
  return S_grow(items, n, cap, size, 1);
}

int cdg_grow_raw(void *items, size_t n, size_t *cap, size_t size) {
  return S_grow(items, n, cap, size, 0);
}

int cdg_buf_put(cdg_buf *b, const void *s, size_t n) {
  if (cdg_buf_grow(b, n) != 0)
    return -1;
  if (n) /* s may be NULL when n is 0 */
    memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
  return 0;
}

int cdg_buf_puts(cdg_buf *b, const char *s) {
  return cdg_buf_put(b, s, strlen(s));
}

int cdg_buf_putc(cdg_buf *b, int c) {
  char ch = (char)c;

  return cdg_buf_put(b, &ch, 1);
}

int cdg_buf_vprintf(cdg_buf *b, const char *fmt, va_list ap) {
  va_list again;
  int n;

  if (b->failed)
    return -1;
  va_copy(again, ap);
  n = vsnprintf(NULL, 0, fmt, again);
  va_end(again);
  if (n < 0 || cdg_buf_grow(b, (size_t)n) != 0) {
    b->failed = 1;
    return -1;
  }
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
  return 0;
}

int cdg_buf_printf(cdg_buf *b, const char *fmt, ...) {
  va_list ap;
  int r;

  va_start(ap, fmt);
  r = cdg_buf_vprintf(b, fmt, ap);
  va_end(ap);
  return r;
}

void cdg_buf_truncate(cdg_buf *b, size_t len) {
  if (len < b->len) {
    b->len = len;
    b->data[len] = '\0';
  }
}

const char *cdg_buf_cstr(const cdg_buf *b) { return b->data ? b->data : ""; }

char *cdg_buf_detach(cdg_buf *b, size_t *len) {
  char *s;

  if (!b->failed && !b->data)
    cdg_buf_grow(b, 0);
  if (b->failed) {
    cdg_buf_free(b);
    return NULL;
  }
  b->data[b->len] = '\0';
  s = b->data;
  if (len)
    *len = b->len;
  cdg_buf_init(b);
  return s;
}
