/* utf8.c: the UTF-8 decoder and encoder of the library (cdg_base.h). */
#include <string.h>

#include "cdg_base.h"

size_t cdg_utf8_decode(const char *str, size_t avail, unsigned long *cp) {
  const unsigned char *s = (const unsigned char *)str;
  unsigned long c;
  size_t n, k;

  if (avail == 0)
    return 0;
  if (s[0] < 0x80) {
    if (cp)
      *cp = s[0];
    return 1;
  }
  if (s[0] >= 0xC2 && s[0] <= 0xDF) { n = 2; c = s[0] & 0x1Fu; }
  else if (s[0] >= 0xE0 && s[0] <= 0xEF) { n = 3; c = s[0] & 0x0Fu; }
  else if (s[0] >= 0xF0 && s[0] <= 0xF4) { n = 4; c = s[0] & 0x07u; }
  else return 0; /* a continuation byte, C0, C1 (overlong) or F5..FF */
  if (n > avail)
    return 0;
  for (k = 1; k < n; k++) {
    if ((s[k] & 0xC0) != 0x80)
      return 0;
    c = (c << 6) | (s[k] & 0x3Fu);
  }
  if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
      (c >= 0xD800 && c <= 0xDFFF)) /* overlong, too big or surrogate */
    return 0;
  if (cp)
    *cp = c;
  return n;
}

size_t cdg_utf8_valid(const char *s, size_t n) {
  size_t i = 0, k;

  while (i < n) {
    if ((unsigned char)s[i] < 0x80) { /* the common case, without a call */
      i++;
      continue;
    }
    if ((k = cdg_utf8_decode(s + i, n - i, NULL)) == 0)
      break;
    i += k;
  }
  return i;
}

size_t cdg_utf8_count(const char *s, size_t n) {
  size_t i = 0, chars = 0, k;

  while (i < n) {
    k = cdg_utf8_decode(s + i, n - i, NULL);
    i += k ? k : 1;
    chars++;
  }
  return chars;
}

size_t cdg_utf8_encode(unsigned long cp, char out[4]) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp >= 0xD800 && cp <= 0xDFFF)
    return 0;
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  if (cp > 0x10FFFF)
    return 0;
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

size_t cdg_utf8_prefix(const char *s, size_t n, size_t max) {
  size_t at = 0, k;

  if (n <= max)
    return n;
  while (at < max) {
    if ((k = cdg_utf8_decode(s + at, n - at, NULL)) == 0)
      k = 1; /* a stray byte */
    else if (at + k > max)
      break;
    at += k;
  }
  return at;
}

char *cdg_utf8_cut(char *dst, size_t size, const char *s) {
  size_t n = strlen(s), m = cdg_utf8_prefix(s, n, size - 4);

  memcpy(dst, s, m);
  memcpy(dst + m, m < n ? "..." : "", m < n ? 4 : 1);
  return dst;
}

size_t cdg_wtf8_decode(const char *str, size_t avail, unsigned long *cp) {
  const unsigned char *s = (const unsigned char *)str;
  size_t k = cdg_utf8_decode(str, avail, cp);

  if (k == 0 && avail >= 3 && s[0] == 0xED && (s[1] & 0xE0) == 0xA0 &&
      (s[2] & 0xC0) == 0x80) {
    if (cp)
      *cp = 0xD000 | ((unsigned long)(s[1] & 0x3F) << 6) | (s[2] & 0x3Fu);
    k = 3;
  }
  return k;
}

size_t cdg_wtf8_encode(unsigned long cp, char out[4]) {
  if (cp >= 0xD800 && cp <= 0xDFFF) {
    out[0] = (char)0xED;
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  return cdg_utf8_encode(cp, out);
}

int cdg_char_unsafe(unsigned long c) {
  return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x061C ||
         c == 0x200E || c == 0x200F || (c >= 0x2028 && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069);
}
