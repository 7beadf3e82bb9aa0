/*
** json_scan.c: the validating scan, then cJSON's own parse.
**
** The scan checks the whole text first, as RFC 8259 reads it and more
** strictly than cJSON: UTF-8, no NUL, no duplicate keys, finite numbers,
** bounded nesting, no trailing data. It names the first error with its
** exact line:col and, for a duplicate key or a number out of range, the
** JSON Pointer of the value. cJSON's own error offsets are approximate
** (one past a bad key, the last byte of a truncated text), and it
** accepts "01" and "1.". Only a text the scan accepts reaches
** cJSON_ParseWithLength, so the tree is cJSON's own, made and freed as
** cJSON makes and frees any.
*/
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdg_limits.h"
#include "json.h"

/* ---- Tokens ----------------------------------------------------------- */

/*
** A key of an open object: len bytes at off, in the text or (when it has
** escapes) decoded in S_scan.dec.
*/
typedef struct S_key {
  size_t off, len;
  int decoded;
} S_key;

/* A names hash of a large object: open addressing over indexes into
** S_scan.keys, plus one. */
typedef struct S_names {
  size_t *slot;
  size_t mask;
} S_names;

typedef struct S_scan {
  const char *t;
  size_t len;
  const char *file;
  cdg_error *err;
  int depth;                           /* open containers */
  size_t kidx[CDG_MAX_JSON_DEPTH];     /* per level: key index; NONE: array */
  size_t index[CDG_MAX_JSON_DEPTH];    /* per level: element index */
  cdg_buf keys;                        /* S_key of the open objects */
  cdg_buf dec;                         /* keys with escapes, decoded */
  cdg_buf longnum;                     /* size_t pairs: numbers cJSON would
                                          cut (offset, end) */
  int held;                            /* err holds a duplicate or range
                                          error, reported at the end */
  cdg_buf *spans;                      /* json_span of the root's members
                                          and their items, or NULL */
} S_scan;

#define S_NONE SIZE_MAX
/* cJSON reads at most this many characters of a number (1.7.15). */
#define S_CJSON_NUMBER 63
/* Members compared pairwise; beyond, a hash (a huge object stays
** linear). */
#define S_SMALL_OBJECT 8

/* The error for offset i: the end of the text, a NUL byte or invalid
** UTF-8 there are named as such; otherwise what (or, when NULL, the
** character found). */
static cdg_status S_syntax(const S_scan *s, size_t i, const char *what) {
  unsigned char c;

  if (i >= s->len)
    return json_error_offset(s->err, CDG_ERR_SYNTAX, s->file, s->t, s->len,
                          s->len, "unexpected end of input");
  c = (unsigned char)s->t[i];
  if (c == 0)
    return json_error_offset(s->err, CDG_ERR_SYNTAX, s->file, s->t, s->len, i,
                          "NUL byte in input");
  if (cdg_utf8_decode(s->t + i, s->len - i, NULL) == 0)
    return json_error_offset(s->err, CDG_ERR_SYNTAX, s->file, s->t, s->len, i,
                          "invalid UTF-8 byte 0x%02X", c);
  if (what)
    return json_error_offset(s->err, CDG_ERR_SYNTAX, s->file, s->t, s->len, i,
                          "%s", what);
  /* Some editors put a byte order mark before UTF-8 text; JSON has none. */
  if (s->len - i >= 3 && memcmp(s->t + i, "\xEF\xBB\xBF", 3) == 0)
    return json_error_offset(s->err, CDG_ERR_SYNTAX, s->file, s->t, s->len, i,
                          "byte order mark (U+FEFF): save the file as "
                          "UTF-8 without one");
  if (c < 0x20 || c >= 0x7F)
    return json_error_offset(s->err, CDG_ERR_SYNTAX, s->file, s->t, s->len, i,
                          "JSON syntax error at byte 0x%02X", c);
  return json_error_offset(s->err, CDG_ERR_SYNTAX, s->file, s->t, s->len, i,
                        "JSON syntax error at '%c'", c);
}

/* Read the 4 hex digits of the \u escape at t[i] == '\\' into *cp.
** Returns CDG_OK, or the error (end of input, or a bad escape at i). */
static cdg_status S_scan_u(const S_scan *s, size_t i, unsigned *cp) {
  size_t k;

  for (k = 2; k < 6; k++) {
    if (i + k >= s->len)
      return S_syntax(s, s->len, NULL);
    if (!s->t[i + k] || !strchr("0123456789abcdefABCDEF", s->t[i + k]))
      return S_syntax(s, i, "invalid escape in a string");
  }
  json_hex4(s->t + i + 2, cp);
  return CDG_OK;
}

/* Bytes that stand for themselves in a string: printable ASCII but the
** quote and the backslash. A string is mostly a run of them. */
#define S_P1(c) ((c) >= 0x20 && (c) < 0x80 && (c) != '"' && (c) != '\\')
#define S_P4(c) S_P1(c), S_P1(c + 1), S_P1(c + 2), S_P1(c + 3)
#define S_P16(c) S_P4(c), S_P4(c + 4), S_P4(c + 8), S_P4(c + 12)
#define S_P64(c) S_P16(c), S_P16(c + 16), S_P16(c + 32), S_P16(c + 48)
static const unsigned char S_plain[256] = {S_P64(0), S_P64(64), S_P64(128),
                                           S_P64(192)};

/* Check the string whose opening quote is t[i]; *end: past its close;
** *esc: whether it has an escape. */
static cdg_status S_scan_string(const S_scan *s, size_t i, size_t *end,
                                int *esc) {
  const char *t = s->t;
  unsigned cp, lo;
  cdg_status st;
  size_t n;

  *esc = 0;
  for (i++; i < s->len; i += n) {
    unsigned char c;

    while (S_plain[(unsigned char)t[i]] && ++i < s->len)
      ; /* the common case first */
    if (i >= s->len)
      break;
    c = (unsigned char)t[i];
    n = 1;
    if (c == '"') {
      *end = i + 1;
      return CDG_OK;
    }
    if (c == '\\') {
      *esc = 1;
      if (i + 1 >= s->len)
        return S_syntax(s, s->len, NULL);
      n = 2;
      if (t[i + 1] && strchr("\"\\/bfnrt", t[i + 1]))
        continue;
      if (!t[i + 1] || !cdg_utf8_decode(t + i + 1, s->len - i - 1, NULL))
        return S_syntax(s, i + 1, NULL); /* names the bad byte */
      if (t[i + 1] != 'u')
        return S_syntax(s, i, "invalid escape in a string");
      if ((st = S_scan_u(s, i, &cp)) != CDG_OK)
        return st;
      n = 6;
      /* cJSON would cut the string at a NUL: refuse it as a NUL byte. */
      if (cp == 0)
        return S_syntax(s, i, "NUL character \\u0000 in a string");
      if (cp >= 0xDC00 && cp <= 0xDFFF)
        return S_syntax(s, i, "unpaired surrogate in a \\u escape");
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (i + 7 >= s->len)
          return S_syntax(s, s->len, NULL);
        if (t[i + 6] != '\\' || t[i + 7] != 'u')
          return S_syntax(s, i, "unpaired surrogate in a \\u escape");
        if ((st = S_scan_u(s, i + 6, &lo)) != CDG_OK)
          return st;
        if (lo < 0xDC00 || lo > 0xDFFF)
          return S_syntax(s, i, "unpaired surrogate in a \\u escape");
        n = 12;
      }
      continue;
    }
    if (c > 0 && c < 0x20)
      return json_error_offset(s->err, CDG_ERR_SYNTAX, s->file, t, s->len, i,
                            "control character 0x%02X in a string", c);
    n = c ? cdg_utf8_decode(t + i, s->len - i, NULL) : 0;
    if (n == 0)
      return S_syntax(s, i, NULL);
  }
  return S_syntax(s, s->len, NULL);
}

static int S_digit(const S_scan *s, size_t i) {
  return i < s->len && s->t[i] >= '0' && s->t[i] <= '9';
}

/* Check the number at t[i] (a '-' or a digit); *end: past it; *exp:
** whether it has an exponent. */
static cdg_status S_scan_number(const S_scan *s, size_t i, size_t *end,
                                int *exp) {
  if (s->t[i] == '-')
    i++;
  if (!S_digit(s, i))
    return S_syntax(s, i, NULL);
  if (s->t[i] == '0')
    i++;
  else
    while (S_digit(s, i))
      i++;
  if (i < s->len && s->t[i] == '.') {
    if (!S_digit(s, ++i))
      return S_syntax(s, i, NULL);
    while (S_digit(s, i))
      i++;
  }
  *exp = i < s->len && (s->t[i] == 'e' || s->t[i] == 'E');
  if (*exp) {
    i++;
    if (i < s->len && (s->t[i] == '+' || s->t[i] == '-'))
      i++;
    if (!S_digit(s, i))
      return S_syntax(s, i, NULL);
    while (S_digit(s, i))
      i++;
  }
  *end = i;
  return CDG_OK;
}

/* Check true, false or null at t[i]; an error points at its start. */
static cdg_status S_scan_literal(const S_scan *s, size_t i, size_t *end) {
  static const char *const words[] = {"true", "false", "null"};
  size_t w, k;

  for (w = 0; w < 3; w++) {
    if (s->t[i] != words[w][0])
      continue;
    for (k = 1; words[w][k]; k++) {
      if (i + k >= s->len)
        return S_syntax(s, s->len, NULL);
      if (s->t[i + k] != words[w][k])
        return S_syntax(s, i, NULL);
    }
    *end = i + k;
    return CDG_OK;
  }
  return S_syntax(s, i, NULL);
}

/* ---- Structure -------------------------------------------------------- */

static size_t S_skip_ws(const char *t, size_t len, size_t i) {
  while (i < len && (unsigned char)t[i] <= ' ' &&
         (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
    i++;
  return i;
}

static cdg_status S_nomem(const S_scan *s) {
  return cdg_error_set(s->err, CDG_ERR_NOMEM, s->file, NULL, "out of memory");
}

static S_key *S_keyat(const S_scan *s, size_t k) {
  return (S_key *)(void *)s->keys.data + k;
}

static size_t S_nkeys(const S_scan *s) { return s->keys.len / sizeof(S_key); }

static const char *S_keybytes(const S_scan *s, const S_key *k) {
  return (k->decoded ? s->dec.data : s->t) + k->off;
}

/* The JSON Pointer of the first depth levels of the path being scanned.
** Built only for an error. */
static void S_pointer(const S_scan *s, int depth, char *buf, size_t size) {
  char tok[256];
  size_t n = 0;
  int d;

  buf[0] = '\0';
  for (d = 0; d < depth; d++) {
    if (s->kidx[d] != S_NONE) {
      const S_key *k = S_keyat(s, s->kidx[d]);

      if (k->len >= sizeof tok) /* cannot fit: nor can any later token */
        return;
      memcpy(tok, S_keybytes(s, k), k->len);
      tok[k->len] = '\0';
    } else {
      snprintf(tok, sizeof tok, "%zu", s->index[d]);
    }
    n = json_ptr_push(buf, size, n, tok);
  }
}

/* Hold the first duplicate key, at koff in the innermost object. */
static void S_hold_duplicate(S_scan *s, size_t koff, const S_key *k) {
  if (s->held++ || !s->err)
    return;
  json_error_offset(s->err, CDG_ERR_SYNTAX, s->file, s->t, s->len, koff,
                    "duplicate key \"%.*s\"", (int)k->len,
                    S_keybytes(s, k));
  /* The object's pointer: the key is not a value of it yet. */
  S_pointer(s, s->depth - 1, s->err->pointer, sizeof s->err->pointer);
}

/* Hold the first number out of range: the value at off. */
static void S_hold_range(S_scan *s, size_t off) {
  if (s->held++ || !s->err)
    return;
  json_error_offset(s->err, CDG_ERR_SYNTAX, s->file, s->t, s->len, off,
                    "number out of range");
  S_pointer(s, s->depth, s->err->pointer, sizeof s->err->pointer);
}

/* Decode the checked string t[i..end) (quotes included) onto s->dec. */
static int S_decode(S_scan *s, size_t i, size_t end) {
  const char *t = s->t, *stop = t + end - 1, *r = t + i + 1, *bs;
  unsigned cp = 0, lo = 0;
  char enc[4];

  while (r < stop) {
    bs = memchr(r, '\\', (size_t)(stop - r));
    if (!bs)
      bs = stop;
    cdg_buf_put(&s->dec, r, (size_t)(bs - r));
    if (bs == stop)
      break;
    r = bs + 2;
    switch (bs[1]) {
    case 'b': cdg_buf_putc(&s->dec, '\b'); break;
    case 'f': cdg_buf_putc(&s->dec, '\f'); break;
    case 'n': cdg_buf_putc(&s->dec, '\n'); break;
    case 'r': cdg_buf_putc(&s->dec, '\r'); break;
    case 't': cdg_buf_putc(&s->dec, '\t'); break;
    case 'u':
      json_hex4(bs + 2, &cp);
      r = bs + 6;
      if (cp >= 0xD800 && cp <= 0xDBFF) { /* paired: checked by the scan */
        json_hex4(bs + 8, &lo);
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        r = bs + 12;
      }
      cdg_buf_put(&s->dec, enc, cdg_utf8_encode(cp, enc));
      break;
    default: cdg_buf_putc(&s->dec, bs[1]); break; /* " \ / */
    }
  }
  return s->dec.failed ? -1 : 0;
}

static size_t S_hash(const char *p, size_t n) {
  uint64_t h = 14695981039346656037u; /* FNV-1a, as cdg_hash */

  while (n--)
    h = (h ^ (unsigned char)*p++) * 1099511628211u;
  return (size_t)(h ^ (h >> 32));
}

static int S_same(const S_scan *s, const S_key *a, const S_key *b) {
  return a->len == b->len &&
         memcmp(S_keybytes(s, a), S_keybytes(s, b), a->len) == 0;
}

/* Insert key k; 1 if an equal one was there already. */
static int S_names_put(const S_scan *s, S_names *h, size_t k) {
  const S_key *key = S_keyat(s, k);
  size_t i = S_hash(S_keybytes(s, key), key->len) & h->mask;

  for (; h->slot[i]; i = (i + 1) & h->mask)
    if (S_same(s, S_keyat(s, h->slot[i] - 1), key))
      return 1;
  h->slot[i] = k + 1;
  return 0;
}

/*
** Is the last key, k, the same as one of the object's earlier keys (from
** index base)? Up to S_SMALL_OBJECT members, compare pairwise; beyond,
** keep them hashed in h (rebuilt at twice the size when half full).
*/
static cdg_status S_seen(const S_scan *s, size_t base, size_t k, S_names *h,
                         int *dup) {
  size_t n = k - base, j;

  *dup = 0;
  if (n < S_SMALL_OBJECT) {
    for (j = base; j < k && !*dup; j++)
      *dup = S_same(s, S_keyat(s, j), S_keyat(s, k));
    return CDG_OK;
  }
  if (!h->slot || (n + 1) * 2 > h->mask + 1) {
    size_t cap = 4 * S_SMALL_OBJECT;

    while (cap < 4 * (n + 1))
      cap *= 2;
    cdg_free(h->slot);
    h->slot = cdg_calloc(cap, sizeof *h->slot);
    if (!h->slot)
      return S_nomem(s);
    h->mask = cap - 1;
    for (j = base; j < k; j++)
      S_names_put(s, h, j);
  }
  *dup = S_names_put(s, h, k);
  return CDG_OK;
}

/* The checked number t[i..end), with an exponent or not (exp): held as
** out of range when it is not finite; noted when cJSON would read only
** part of it. */
static cdg_status S_number(S_scan *s, size_t i, size_t end, int exp) {
  char small[S_CJSON_NUMBER + 1], *buf = small, *dot;
  size_t n = end - i, pair[2];
  double v;

  if (n > S_CJSON_NUMBER) {
    pair[0] = i;
    pair[1] = end;
    if (cdg_buf_put(&s->longnum, pair, sizeof pair) != 0)
      return S_nomem(s);
  }
  /* Without an exponent, only 309 digits before the point overflow. */
  if (!exp && n < 300)
    return CDG_OK;
  if (n >= sizeof small && !(buf = cdg_malloc(n + 1)))
    return S_nomem(s);
  memcpy(buf, s->t + i, n);
  buf[n] = '\0';
  if ((dot = memchr(buf, '.', n)) != NULL)
    *dot = localeconv()->decimal_point[0];
  v = strtod(buf, NULL);
  if (buf != small)
    cdg_free(buf);
  if (!isfinite(v))
    S_hold_range(s, i);
  return CDG_OK;
}

static cdg_status S_value(S_scan *s, size_t *pos);

/* cdg_buf_put, the call left out while there is room: the scan pushes a
** key for every member. */
static int S_push(cdg_buf *b, const void *p, size_t n) {
  if (b->failed || b->cap - b->len <= n)
    return cdg_buf_put(b, p, n);
  memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = '\0';
  return 0;
}

/* The object or array at t[*pos]; *pos: past its close. */
static cdg_status S_container(S_scan *s, size_t *pos) {
  const char *t = s->t;
  size_t len = s->len, i = *pos, koff, base = S_nkeys(s), k;
  size_t decbase = s->dec.len;
  int obj = t[i] == '{', d = s->depth, dup, esc;
  /* the root object's members, the items of those that are arrays, and
  ** the members of those items that are objects (json_span) */
  int record = s->spans && (d == 0   ? obj
                            : d == 1 ? !obj && s->kidx[0] != S_NONE
                            : d == 2 && obj && s->kidx[0] != S_NONE &&
                                  s->kidx[1] == S_NONE);
  json_span span;
  size_t at;
  char close = obj ? '}' : ']';
  S_names names = {NULL, 0};
  S_key key;
  cdg_status st = CDG_OK;

  if (d == CDG_MAX_JSON_DEPTH)
    return json_error_offset(s->err, CDG_ERR_SYNTAX, s->file, t, len, i,
                             "nesting deeper than %d levels",
                             CDG_MAX_JSON_DEPTH);
  s->depth++;
  s->kidx[d] = S_NONE;
  s->index[d] = 0;
  i = S_skip_ws(t, len, i + 1);
  if (i < len && t[i] == close) {
    i++;
  } else {
    for (;;) {
      if (obj) {
        koff = i;
        if (i >= len || t[i] != '"') {
          st = S_syntax(s, i, NULL);
          break;
        }
        if ((st = S_scan_string(s, i, &i, &esc)))
          break;
        key.decoded = esc;
        key.off = koff + 1;
        key.len = i - koff - 2;
        if (esc) {
          key.off = s->dec.len;
          if (S_decode(s, koff, i) != 0) {
            st = S_nomem(s);
            break;
          }
          key.len = s->dec.len - key.off;
        }
        k = S_nkeys(s);
        if (S_push(&s->keys, &key, sizeof key) != 0) {
          st = S_nomem(s);
          break;
        }
        s->kidx[d] = k;
        if ((st = S_seen(s, base, k, &names, &dup)))
          break;
        if (dup)
          S_hold_duplicate(s, koff, &key);
        i = S_skip_ws(t, len, i);
        if (i >= len || t[i] != ':') {
          st = S_syntax(s, i, NULL);
          break;
        }
        i++;
      }
      at = SIZE_MAX;
      if (record) {
        span.key = obj ? koff : SIZE_MAX;
        span.start = S_skip_ws(t, len, i);
        span.end = span.start;
        if (d < 2 || (span.start < len && t[span.start] == '{')) {
          at = s->spans->len;
          if (S_push(s->spans, &span, sizeof span) != 0) {
            st = S_nomem(s);
            break;
          }
        }
      }
      if ((st = S_value(s, &i)))
        break;
      if (at != SIZE_MAX)
        ((json_span *)(void *)(s->spans->data + at))->end = i;
      s->index[d]++;
      i = S_skip_ws(t, len, i);
      if (i < len && t[i] == ',') {
        i = S_skip_ws(t, len, i + 1);
        continue;
      }
      if (i < len && t[i] == close)
        i++;
      else
        st = S_syntax(s, i, NULL);
      break;
    }
  }
  cdg_free(names.slot);
  /* The keys of this object are done with. */
  cdg_buf_truncate(&s->keys, base * sizeof(S_key));
  cdg_buf_truncate(&s->dec, decbase);
  s->depth--;
  *pos = i;
  return st;
}

/* The value at t[*pos], after white space; *pos: past it. */
static cdg_status S_value(S_scan *s, size_t *pos) {
  const char *t = s->t;
  size_t i = S_skip_ws(t, s->len, *pos), end = i;
  cdg_status st;
  int esc;
  char c;

  if (i >= s->len)
    return S_syntax(s, i, NULL);
  c = t[i];
  if (c == '{' || c == '[') {
    *pos = i;
    return S_container(s, pos);
  }
  if (c == '"')
    st = S_scan_string(s, i, &end, &esc);
  else if (c == '-' || (c >= '0' && c <= '9')) {
    st = S_scan_number(s, i, &end, &esc);
    if (!st)
      st = S_number(s, i, end, esc);
  } else
    st = S_scan_literal(s, i, &end);
  *pos = end;
  return st;
}

/* ---- Parsing ---------------------------------------------------------- */

/*
** The text cJSON is given: text itself, or, when it has numbers longer
** than cJSON reads (it would stop inside one and fail), a copy with each
** such number written as the same double in at most 24 characters,
** padded with spaces. Offsets no longer matter: the scan has passed.
*/
static const char *S_for_cjson(const S_scan *s, char **copy) {
  const size_t *pair = (const size_t *)(void *)s->longnum.data;
  size_t np = s->longnum.len / (2 * sizeof *pair), k, n;
  char num[32], *c, *dot, point = localeconv()->decimal_point[0];

  *copy = NULL;
  if (np == 0)
    return s->t;
  if (!(c = cdg_malloc(s->len + 1)))
    return NULL;
  memcpy(c, s->t, s->len);
  c[s->len] = '\0';
  for (k = 0; k < np; k++) {
    const size_t at = pair[2 * k], end = pair[2 * k + 1];
    char *digits = cdg_malloc(end - at + 1);
    double v;

    if (!digits) {
      cdg_free(c);
      return NULL;
    }
    memcpy(digits, s->t + at, end - at);
    digits[end - at] = '\0';
    if ((dot = strchr(digits, '.')) != NULL)
      *dot = point;
    v = strtod(digits, NULL);
    cdg_free(digits);
    n = (size_t)snprintf(num, sizeof num, "%.17g", v);
    if ((dot = strchr(num, point)) != NULL)
      *dot = '.'; /* cJSON wants the point, as JSON writes it */
    memcpy(c + at, num, n);
    memset(c + at + n, ' ', end - at - n);
  }
  *copy = c;
  return c;
}

/* The scan: CDG_OK, or the first error in err. */
static cdg_status S_scan_all(S_scan *s) {
  size_t i = 0;
  cdg_status st;

  s->depth = 0;
  s->held = 0;
  st = S_value(s, &i);
  if (!st) {
    i = S_skip_ws(s->t, s->len, i);
    if (i < s->len)
      st = S_syntax(s, i, "unexpected data after the JSON value");
    else if (s->held)
      st = CDG_ERR_SYNTAX;
  }
  return st;
}

/*
** The scan, then: cJSON's parse into the heap (heap not NULL), or into
** store (stored not NULL), or (doc not NULL) no parse but the spans of
** the root's members and items, and the text to parse them from.
*/
static cdg_status S_parse(const char *text, size_t len, const char *file,
                          json_store *store, cJSON **heap,
                          const cJSON **stored, json_doc *doc,
                          cdg_error *err) {
  S_scan *s;
  const char *src;
  char *copy = NULL;
  cdg_buf spans;
  cdg_status st;

  if (heap)
    *heap = NULL;
  if (stored)
    *stored = NULL;
  cdg_buf_init(&spans);
  /* The per-level arrays make it big for a stack. */
  if (!(s = cdg_malloc(sizeof *s)))
    return cdg_error_set(err, CDG_ERR_NOMEM, file, NULL, "out of memory");
  s->t = text ? text : "";
  s->len = len;
  s->file = file;
  s->err = err;
  s->spans = doc ? &spans : NULL;
  cdg_buf_init(&s->keys);
  cdg_buf_init(&s->dec);
  cdg_buf_init(&s->longnum);
  st = S_scan_all(s);
  if (!st) {
    src = S_for_cjson(s, &copy);
    if (src && doc) {
      doc->src = src;
      doc->copy = copy;
      doc->nspan = spans.len / sizeof(json_span);
      doc->span = (json_span *)(void *)cdg_buf_detach(&spans, NULL);
      copy = NULL;
    } else if (src && heap) {
      *heap = cJSON_ParseWithLength(src, len);
    } else if (src) {
      *stored = json_store_parse(store, src, len);
    }
    cdg_free(copy);
    /* The scan is stricter than cJSON: only memory can fail it now. */
    if (!src || (heap && !*heap) || (stored && !*stored) ||
        (doc && doc->nspan && !doc->span)) {
      if (doc)
        json_doc_free(doc);
      st = cdg_error_set(err, CDG_ERR_NOMEM, file, NULL, "out of memory");
    }
  }
  cdg_buf_free(&spans);
  cdg_buf_free(&s->keys);
  cdg_buf_free(&s->dec);
  cdg_buf_free(&s->longnum);
  cdg_free(s);
  return st;
}

cdg_status json_parse(const char *text, size_t len, const char *file,
                      cJSON **out, cdg_error *err) {
  return S_parse(text, len, file, NULL, out, NULL, NULL, err);
}

cdg_status json_parse_in(json_store *store, const char *text, size_t len,
                         const char *file, const cJSON **out,
                         cdg_error *err) {
  return S_parse(text, len, file, store, NULL, out, NULL, err);
}

cdg_status json_scan_doc(const char *text, size_t len, const char *file,
                         json_doc *doc, cdg_error *err) {
  memset(doc, 0, sizeof *doc);
  return S_parse(text, len, file, NULL, NULL, NULL, doc, err);
}

void json_doc_free(json_doc *doc) {
  cdg_free(doc->copy);
  cdg_free(doc->span);
  memset(doc, 0, sizeof *doc);
}

cdg_status cdg_json_check(const char *text, size_t len, const char *file,
                          cdg_error *err) {
  cJSON *root;
  cdg_status st = json_parse(text, len, file, &root, err);

  if (st == CDG_OK)
    cJSON_Delete(root);
  return st;
}
