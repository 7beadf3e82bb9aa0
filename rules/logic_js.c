/*
** logic_js.c: JavaScript's conversions between numbers and strings as
** json-logic-js sees them: StringToNumber, parseFloat, Number::toString,
** String(x), and strings indexed and ordered by UTF-16 code units.
*/
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logic_value.h"

/* ---- JavaScript numbers and strings ------------------------------------ */

/* Byte length of the JavaScript white space or line terminator at s. */
static size_t S_ws(const unsigned char *s, size_t n) {
  unsigned long cp;
  size_t k;

  if (n == 0)
    return 0;
  if (s[0] == ' ' || (s[0] >= 0x09 && s[0] <= 0x0D))
    return 1;
  if (s[0] < 0x80 || (k = cdg_wtf8_decode((const char *)s, n, &cp)) < 2)
    return 0;
  if (cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
      cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
      cp == 0x3000 || cp == 0xFEFF)
    return k;
  return 0;
}


/* Bytes of the character at s (n > 0 bytes left): a byte that is not
** WTF-8 (none should reach here) stands for itself. */
static size_t S_clen(const char *s, size_t n) {
  unsigned long cp;
  size_t k;

  if ((unsigned char)s[0] < 0x80)
    return 1;
  k = cdg_wtf8_decode(s, n, &cp);
  return k ? k : 1;
}

/* Length of the longest StrDecimalLiteral without sign and Infinity at s
** (digits, fraction, exponent), 0 if none. */
static size_t S_decimal_len(const char *s, size_t n) {
  size_t i = 0, d = 0, j;

  while (i < n && lv_digit(s[i]))
    i++, d++;
  if (i < n && s[i] == '.') {
    i++;
    while (i < n && lv_digit(s[i]))
      i++, d++;
  }
  if (d == 0)
    return 0;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    j = i + 1;
    if (j < n && (s[j] == '+' || s[j] == '-'))
      j++;
    if (j < n && lv_digit(s[j])) {
      while (j < n && lv_digit(s[j]))
        j++;
      i = j;
    }
  }
  return i;
}

/* The value of a decimal literal s[0..len), sign included, that
** S_decimal_len accepted. s is NUL-terminated at or after len. strtod reads
** the same maximal literal, except that C also takes "0x..." hex. */
static double S_decimal(const char *s, size_t len) {
  const char *dp = localeconv()->decimal_point;
  char buf[512], *big = NULL, *b = buf;
  size_t i, dn;
  double d;

  if (len == 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
    return 0; /* parseFloat("0x1") */
  if (dp[0] == '.' && dp[1] == '\0')
    return strtod(s, NULL);
  dn = strlen(dp);
  if (len * dn + 1 > sizeof buf) {
    big = cdg_malloc(len * dn + 1);
    if (!big)
      return NAN;
    b = big;
  }
  for (i = 0; i < len; i++) {
    if (s[i] == '.') {
      memcpy(b, dp, dn);
      b += dn;
    } else {
      *b++ = s[i];
    }
  }
  *b = '\0';
  d = strtod(big ? big : buf, NULL);
  cdg_free(big);
  return d;
}

/* JavaScript's StringToNumber (Number("...")). */
double lv_strtonum(const char *s, size_t n) {
  size_t i = 0, k, len, w;
  int neg = 0, base = 0;
  double d = 0;

  while ((w = S_ws((const unsigned char *)s + i, n - i)) > 0)
    i += w;
  /* trailing white space: the end of the last character that is not */
  for (k = i, len = i; k < n; k += w)
    if ((w = S_ws((const unsigned char *)s + k, n - k)) == 0) {
      w = S_clen(s + k, n - k);
      len = k + w;
    }
  n = len;
  if (i == n)
    return 0;
  if (n - i > 2 && s[i] == '0') {
    switch (s[i + 1]) {
    case 'x': case 'X': base = 16; break;
    case 'o': case 'O': base = 8; break;
    case 'b': case 'B': base = 2; break;
    default: break;
    }
  }
  if (base) {
    for (k = i + 2; k < n; k++) {
      int v = lv_digit(s[k]) ? s[k] - '0'
              : (s[k] >= 'a' && s[k] <= 'f') ? s[k] - 'a' + 10
              : (s[k] >= 'A' && s[k] <= 'F') ? s[k] - 'A' + 10 : 99;
      if (v >= base)
        return NAN;
      d = d * base + v;
    }
    /* beyond 2^53, let strtod round hex exactly */
    return base == 16 && d >= 9007199254740992.0 ? strtod(s + i, NULL) : d;
  }
  if (s[i] == '+' || s[i] == '-') {
    neg = s[i] == '-';
    i++;
  }
  if (n - i == 8 && memcmp(s + i, "Infinity", 8) == 0)
    return neg ? -INFINITY : INFINITY;
  len = S_decimal_len(s + i, n - i);
  if (len == 0 || i + len != n)
    return NAN;
  d = S_decimal(s + i, len);
  return neg ? -d : d;
}

/* JavaScript's parseFloat on a string. */
static double S_parsefloat_str(const char *s, size_t n) {
  size_t i = 0, w, len;
  int neg = 0;
  double d;

  while ((w = S_ws((const unsigned char *)s + i, n - i)) > 0)
    i += w;
  if (i < n && (s[i] == '+' || s[i] == '-')) {
    neg = s[i] == '-';
    i++;
  }
  if (n - i >= 8 && memcmp(s + i, "Infinity", 8) == 0)
    return neg ? -INFINITY : INFINITY;
  len = S_decimal_len(s + i, n - i);
  if (len == 0)
    return NAN;
  d = S_decimal(s + i, len);
  return neg ? -d : d;
}

/* The decimal digits of v (|v| < 2^53), as "%.0f" would print it, without
** the cost of printf's floating-point path (the usual numbers in cat). */
static size_t S_intfmt(long long v, char *buf) {
  char tmp[24];
  unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v
                                : (unsigned long long)v;
  size_t n = 0, len;

  do {
    tmp[n++] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  len = n + (v < 0);
  buf[len] = '\0';
  if (v < 0)
    buf[0] = '-';
  while (n)
    buf[len - n] = tmp[n - 1], n--;
  return len;
}

/* JavaScript's Number::toString: the shortest digits that round-trip,
** fixed notation from 1e-7 to 1e21. buf holds at least 32 bytes. */
size_t lv_numfmt(double x, char *buf) {
  char tmp[48], dig[24], *q = buf;
  int p, k = 0, e, n, i;
  const char *t, *d;

  if (isnan(x))
    return (size_t)snprintf(buf, 32, "NaN");
  if (isinf(x))
    return (size_t)snprintf(buf, 32, x < 0 ? "-Infinity" : "Infinity");
  if (x == 0)
    return (size_t)snprintf(buf, 32, "0");
  if (fabs(x) < 9007199254740992.0 && x == floor(x))
    return S_intfmt((long long)x, buf);
  for (p = 1; p < 17; p++) {
    snprintf(tmp, sizeof tmp, "%.*e", p - 1, x);
    if (strtod(tmp, NULL) == x)
      break;
  }
  snprintf(tmp, sizeof tmp, "%.*e", p - 1, x);
  /* "d.ddde+x": at most 17 digits, the last not 0 (p is the fewest that
  ** round-trip, and a trailing 0 could be dropped) */
  t = strchr(tmp, 'e');
  for (d = tmp; d < t; d++)
    if (lv_digit(*d))
      dig[k++] = *d;
  e = atoi(t + 1);
  n = e + 1;
  if (x < 0)
    *q++ = '-';
  if (k <= n && n <= 21) {
    memcpy(q, dig, (size_t)k);
    q += k;
    for (i = k; i < n; i++)
      *q++ = '0';
  } else if (0 < n && n <= 21) {
    memcpy(q, dig, (size_t)n);
    q += n;
    *q++ = '.';
    memcpy(q, dig + n, (size_t)(k - n));
    q += k - n;
  } else if (-6 < n && n <= 0) {
    *q++ = '0';
    *q++ = '.';
    for (i = n; i < 0; i++)
      *q++ = '0';
    memcpy(q, dig, (size_t)k);
    q += k;
  } else {
    *q++ = dig[0];
    if (k > 1) {
      *q++ = '.';
      memcpy(q, dig + 1, (size_t)(k - 1));
      q += k - 1;
    }
    q += snprintf(q, 8, "e%c%d", n - 1 >= 0 ? '+' : '-', abs(n - 1));
  }
  *q = '\0';
  return (size_t)(q - buf);
}

/* ToNumber. An array becomes the number of its joined string: [] is 0,
** [x] is x's, two or more items hold a comma and are NaN. */
double lv_tonum(const value *v) {
  value item;
  lv_iter it;

  switch (v->t) {
  case V_NULL: return 0;
  case V_BOOL: return v->u.b;
  case V_NUM: return v->u.d;
  case V_STR: return lv_strtonum(v->u.s, v->n);
  case V_JARR:
  case V_ARR:
    lv_iter_init(&it, v);
    if (!lv_iter_next(&it, &item))
      return 0;
    if (lv_iter_next(&it, &item))
      return NAN;
    lv_iter_init(&it, v);
    lv_iter_next(&it, &item);
    if (item.t == V_NULL || item.t == V_UNDEF)
      return 0;
    if (item.t == V_BOOL)
      return NAN; /* "true" */
    return lv_tonum(&item);
  default: return NAN;
  }
}

/* parseFloat(x): parseFloat(String(x)). For an array only the first item
** counts, since a comma ends the number. */
double lv_parsefloat(const value *v) {
  value item;
  lv_iter it;

  switch (v->t) {
  case V_NUM: return v->u.d == 0 ? 0 : v->u.d;
  case V_STR: return S_parsefloat_str(v->u.s, v->n);
  case V_JARR:
  case V_ARR:
    lv_iter_init(&it, v);
    if (!lv_iter_next(&it, &item))
      return NAN;
    return lv_parsefloat(&item);
  default: return NAN;
  }
}

/* String(x), or with join set, how Array.prototype.join writes an item
** (null and undefined as ""). */
int lv_tostr_buf(lv_ctx *c, lv_sb *b, const value *v, int join) {
  char buf[32];
  value item;
  lv_iter it;
  int first = 1;

  switch (v->t) {
  case V_UNDEF: return join ? 0 : lv_buf_put(c, b, "undefined", 9);
  case V_NULL: return join ? 0 : lv_buf_put(c, b, "null", 4);
  case V_BOOL:
    return v->u.b ? lv_buf_put(c, b, "true", 4) : lv_buf_put(c, b, "false", 5);
  case V_NUM: return lv_buf_put(c, b, buf, lv_numfmt(v->u.d, buf));
  case V_STR: return lv_buf_put(c, b, v->u.s, v->n);
  case V_JARR:
  case V_ARR:
    lv_iter_init(&it, v);
    while (lv_iter_next(&it, &item)) {
      if (!first && lv_buf_put(c, b, ",", 1) < 0)
        return -1;
      first = 0;
      if (lv_tostr_buf(c, b, &item, 1) < 0)
        return -1;
    }
    return 0;
  default: return lv_buf_put(c, b, "[object Object]", 15);
  }
}

/* String(x) as a value (strings are returned as they are). */
int lv_tostr(lv_ctx *c, const value *v, value *out) {
  lv_sb b;

  if (v->t == V_STR) {
    *out = *v;
    return 0;
  }
  lv_sb_init(&b);
  if (lv_tostr_buf(c, &b, v, 0) < 0) {
    lv_sb_free(&b);
    return -1;
  }
  return lv_buf_str(c, &b, out);
}

/* Length in UTF-16 code units, as JavaScript counts it. */
size_t lv_u16len(const char *s, size_t n) {
  size_t i, k, u;
  uint64_t w;

  /* an ASCII start (the usual case) a word at a time: a unit per byte */
  for (i = 0; n - i >= 8; i += 8) {
    memcpy(&w, s + i, 8);
    if (w & 0x8080808080808080u)
      break;
  }
  for (u = i; i < n; u++) {
    if ((unsigned char)s[i] < 0x80) {
      i++;
      continue;
    }
    k = S_clen(s + i, n - i);
    u += k == 4; /* beyond U+FFFF: a surrogate pair */
    i += k;
  }
  return u;
}

/* The character at s (n bytes left) and its length; a byte that is not
** WTF-8 (none should reach here) stands for itself. */
static size_t S_char(const char *s, size_t n, unsigned long *cp) {
  size_t len = cdg_wtf8_decode(s, n, cp);

  if (len == 0) {
    *cp = (unsigned char)*s;
    len = 1;
  }
  return len;
}

/* Units [from, to) of s as a new string (UTF-16 units, as JavaScript
** indexes strings). A surrogate pair cut in two leaves its lone half, kept
** as a 3-byte sequence (WTF-8) so that lengths and output match
** JavaScript's. */
int lv_u16slice(lv_ctx *c, const char *s, size_t n, size_t from,
                      size_t to, value *out) {
  size_t i = 0, u = 0, len, lo = n, hi = n;
  unsigned long cp;
  char *p, *q;

  /* ASCII up to unit to (the usual case): units are bytes */
  while (i < n && i < to && (unsigned char)s[i] < 0x80)
    i++;
  if (i == n || i == to) {
    lo = from < i ? from : i;
    if (!(p = lv_alloc(c, i - lo + 1)))
      return -1;
    memcpy(p, s + lo, i - lo);
    p[i - lo] = '\0';
    *out = lv_str(p, i - lo);
    return 0;
  }
  /* the bytes of the characters that overlap the units */
  for (i = 0; i < n; i += len) {
    len = S_char(s + i, n - i, &cp);
    if (u >= to) {
      hi = i;
      break;
    }
    u += cp >= 0x10000 ? 2 : 1;
    if (lo == n && u > from)
      lo = i;
  }
  if (lo > hi)
    lo = hi;
  p = q = lv_alloc(c, hi - lo + 1);
  if (!p)
    return -1;
  u = lv_u16len(s, lo);
  for (i = lo; i < hi; i += len, u++) {
    len = S_char(s + i, hi - i, &cp);
    if (cp < 0x10000) {
      memcpy(q, s + i, len);
      q += len;
    } else {
      int hi_in = u >= from && u < to, lo_in = u + 1 >= from && u + 1 < to;
      if (hi_in && lo_in) {
        memcpy(q, s + i, 4);
        q += 4;
      } else if (hi_in || lo_in) { /* one half of the pair */
        q += cdg_wtf8_encode(hi_in ? 0xD800 + ((cp - 0x10000) >> 10)
                                   : 0xDC00 + ((cp - 0x10000) & 0x3FF),
                             q);
      }
      u++;
    }
  }
  *q = '\0';
  *out = lv_str(p, (size_t)(q - p));
  return 0;
}

/* Compare as JavaScript does: by UTF-16 code units. UTF-8 byte order is
** code point order, which differs only for U+E000..U+FFFF against
** characters beyond U+FFFF (surrogates sort lower). */
int lv_u16cmp(const char *a, size_t an, const char *b, size_t bn) {
  size_t i = 0, k, len, m = an < bn ? an : bn;
  unsigned long ca, cb, ua, ub;

  while (i < m && a[i] == b[i])
    i++;
  if (i == m)
    return an < bn ? -1 : an > bn ? 1 : 0;
  /* back to the start of the character the first difference is in */
  for (k = 0; k + (len = S_clen(a + k, an - k)) <= i; k += len)
    ;
  i = k;
  S_char(a + i, an - i, &ca);
  S_char(b + i, bn - i, &cb);
  ua = ca >= 0x10000 ? 0xD800 + ((ca - 0x10000) >> 10) : ca;
  ub = cb >= 0x10000 ? 0xD800 + ((cb - 0x10000) >> 10) : cb;
  if (ua != ub)
    return ua < ub ? -1 : 1;
  return ca < cb ? -1 : 1;
}

