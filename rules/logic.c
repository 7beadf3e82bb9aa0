/*
** logic.c: JsonLogic, compiled once into a node tree and evaluated with the
** semantics of json-logic-js 2.0.5 (the reference implementation).
**
** Evaluation works on a small value type (undefined, null, bool, number,
** string, array, object) that borrows strings, arrays and objects from the
** data or the compiled rule; anything made during an evaluation (strings
** from cat, arrays from map or merge) lives in a per-evaluation arena whose
** first kilobyte is on the stack, so typical conditions never allocate.
** Only logic_eval turns the final value into a cJSON tree.
**
** Deliberate differences from json-logic-js, all on inputs no real pack
** has: unknown operators are rejected when compiling, not when reached;
** nesting, evaluation steps and arena memory are limited (errors, not
** crashes); var does not see inherited JavaScript properties ("toString");
** in does not find the lone half of a surrogate pair inside a whole one;
** missing treats keys that are objects as strings; a result of undefined
** prints as null.
*/
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdg_rules.h"
#include "json.h"
#include "logic.h"

#define LOGIC_MAX_DEPTH 100           /* nesting of a rule */
#define LOGIC_MAX_STEPS 10000000UL    /* node evaluations per evaluation */
#define LOGIC_MAX_BYTES (16UL << 20)  /* arena bytes per evaluation */
#define LOGIC_CHUNK 65536

/* ---- Values ----------------------------------------------------------- */

enum {
  V_UNDEF, V_NULL, V_BOOL, V_NUM, V_STR,
  V_JARR,  /* array borrowed from the data or the rule */
  V_ARR,   /* array of values made during evaluation */
  V_JOBJ,  /* object borrowed from the data or the rule */
  V_CTX    /* {"current", "accumulator"} of reduce */
};

typedef struct S_scope S_scope;

typedef struct value {
  unsigned char t;
  unsigned id;       /* V_ARR: identity, fresh for every array made */
  size_t n;          /* V_STR: bytes (NUL-terminated too); V_ARR: items */
  union {
    int b;
    double d;
    const char *s;
    const cJSON *j;
    const struct value *a;
    S_scope *c;
  } u;
} value;

struct S_scope {
  value cur, acc;
  S_scope *copy;  /* the arena copy once var has handed it out */
  int on_stack;
};

static const value S_undef = {V_UNDEF, 0, 0, {0}};
static const value S_null = {V_NULL, 0, 0, {0}};

static value S_bool(int b) {
  value v = {V_BOOL, 0, 0, {0}};
  v.u.b = b != 0;
  return v;
}

static value S_num(double d) {
  value v = {V_NUM, 0, 0, {0}};
  v.u.d = d;
  return v;
}

static value S_str(const char *s, size_t n) {
  value v = {V_STR, 0, 0, {0}};
  v.u.s = s;
  v.n = n;
  return v;
}

/* The value of a JSON node (NULL is null), borrowing it. */
static void S_json(value *v, const cJSON *j) {
  v->id = 0;
  v->n = 0;
  if (!j) {
    v->t = V_NULL;
    return;
  }
  switch (j->type & 0xFF) {
  case cJSON_False: v->t = V_BOOL; v->u.b = 0; return;
  case cJSON_True: v->t = V_BOOL; v->u.b = 1; return;
  case cJSON_Number: v->t = V_NUM; v->u.d = j->valuedouble; return;
  case cJSON_String:
    v->t = V_STR;
    v->u.s = j->valuestring;
    v->n = strlen(v->u.s);
    return;
  case cJSON_Array: v->t = V_JARR; v->u.j = j; return;
  case cJSON_Object: v->t = V_JOBJ; v->u.j = j; return;
  default: v->t = V_NULL; return;
  }
}

static value S_from_json(const cJSON *j) {
  value v;

  S_json(&v, j);
  return v;
}

static int S_is_arr(const value *v) { return v->t == V_JARR || v->t == V_ARR; }

static int S_is_obj(const value *v) { return v->t >= V_JARR; }

static size_t S_len(const value *v) {
  const cJSON *c;
  size_t n = 0;

  if (v->t == V_ARR)
    return v->n;
  for (c = v->u.j->child; c; c = c->next)
    n++;
  return n;
}

typedef struct S_iter {
  const cJSON *j;
  const value *a;
  size_t i, n;
} S_iter;

static void S_iter_init(S_iter *it, const value *v) {
  it->j = v->t == V_JARR ? v->u.j->child : NULL;
  it->a = v->t == V_ARR ? v->u.a : NULL;
  it->i = 0;
  it->n = v->t == V_ARR ? v->n : 0;
}

static int S_iter_next(S_iter *it, value *out) {
  if (it->a) {
    if (it->i >= it->n)
      return 0;
    *out = it->a[it->i++];
    return 1;
  }
  if (!it->j)
    return 0;
  S_json(out, it->j);
  it->j = it->j->next;
  return 1;
}

/* JsonLogic truthiness: JavaScript's, except that [] is falsy. */
static int S_truthy(const value *v) {
  switch (v->t) {
  case V_BOOL: return v->u.b;
  case V_NUM: return v->u.d != 0 && !isnan(v->u.d);
  case V_STR: return v->n > 0;
  case V_JARR: return v->u.j->child != NULL;
  case V_ARR: return v->n > 0;
  case V_JOBJ:
  case V_CTX: return 1;
  default: return 0;
  }
}

/* ---- Evaluation context and arena -------------------------------------- */

typedef struct S_chunk {
  struct S_chunk *next;
} S_chunk;

typedef struct S_ctx {
  char *cur, *end;
  S_chunk *chunks;
  size_t bytes;
  unsigned long steps;
  unsigned ids;
  cdg_status st;
  char msg[160];
  union {
    max_align_t align;
    char buf[1024];
  } inl;
} S_ctx;

static void S_ctx_init(S_ctx *c) {
  c->cur = c->inl.buf;
  c->end = c->inl.buf + sizeof c->inl.buf;
  c->chunks = NULL;
  c->bytes = 0;
  c->steps = 0;
  c->ids = 0;
  c->st = CDG_OK;
  c->msg[0] = '\0';
}

static void S_ctx_done(S_ctx *c) {
  S_chunk *k, *next;

  for (k = c->chunks; k; k = next) {
    next = k->next;
    cdg_free(k);
  }
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int S_fail(S_ctx *c, cdg_status st, const char *fmt, ...) {
  va_list ap;

  if (c->st == CDG_OK) {
    c->st = st;
    va_start(ap, fmt);
    vsnprintf(c->msg, sizeof c->msg, fmt, ap);
    va_end(ap);
  }
  return -1;
}

#define S_ALIGN (sizeof(max_align_t))
#define S_HDR (((sizeof(S_chunk) + S_ALIGN - 1) / S_ALIGN) * S_ALIGN)

static void *S_alloc(S_ctx *c, size_t size) {
  size_t need, csize;
  S_chunk *k;
  char *p;

  if (size > LOGIC_MAX_BYTES) {
    S_fail(c, CDG_ERR_LOGIC, "evaluation needs more than %lu bytes",
           (unsigned long)LOGIC_MAX_BYTES);
    return NULL;
  }
  need = (size + S_ALIGN - 1) / S_ALIGN * S_ALIGN;
  if ((size_t)(c->end - c->cur) >= need) {
    p = c->cur;
    c->cur += need;
    return p;
  }
  csize = S_HDR + (need > LOGIC_CHUNK ? need : LOGIC_CHUNK);
  if (c->bytes + csize > LOGIC_MAX_BYTES + LOGIC_CHUNK) {
    S_fail(c, CDG_ERR_LOGIC, "evaluation needs more than %lu bytes",
           (unsigned long)LOGIC_MAX_BYTES);
    return NULL;
  }
  k = cdg_malloc(csize);
  if (!k) {
    S_fail(c, CDG_ERR_NOMEM, "out of memory");
    return NULL;
  }
  k->next = c->chunks;
  c->chunks = k;
  c->bytes += csize;
  p = (char *)k + S_HDR;
  c->cur = p + need;
  c->end = (char *)k + csize;
  return p;
}

static value *S_alloc_values(S_ctx *c, size_t n) {
  if (n > LOGIC_MAX_BYTES / sizeof(value)) {
    S_fail(c, CDG_ERR_LOGIC, "evaluation needs more than %lu bytes",
           (unsigned long)LOGIC_MAX_BYTES);
    return NULL;
  }
  return S_alloc(c, n ? n * sizeof(value) : 1);
}

static value S_new_arr(S_ctx *c, const value *items, size_t n) {
  value v = {V_ARR, 0, 0, {0}};

  v.id = ++c->ids;
  v.u.a = items;
  v.n = n;
  return v;
}

/* A growing string in the arena; extended in place while it is the last
** allocation. */
typedef struct S_sb {
  char *p;
  size_t n, cap;
} S_sb;

static int S_sb_put(S_ctx *c, S_sb *sb, const char *s, size_t n) {
  const unsigned char *e, *u = (const unsigned char *)s;
  unsigned cp;
  size_t cap;
  char *p;

  e = sb->n >= 3 ? (const unsigned char *)sb->p + sb->n - 3 : NULL;
  if (e && n >= 3 && e[0] == 0xED && (e[1] & 0xF0) == 0xA0 &&
      u[0] == 0xED && (u[1] & 0xF0) == 0xB0) {
    /* a lone high and a lone low surrogate join into one character */
    cp = 0x10000 + ((((unsigned)(e[1] & 0x0F) << 6) | (e[2] & 0x3F)) << 10) +
         (((unsigned)(u[1] & 0x0F) << 6) | (u[2] & 0x3F));
    sb->p[sb->n - 3] = (char)(0xF0 | (cp >> 18));
    sb->p[sb->n - 2] = (char)(0x80 | ((cp >> 12) & 0x3F));
    sb->p[sb->n - 1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    sb->p[sb->n] = (char)(0x80 | (cp & 0x3F));
    sb->n++;
    s += 3;
    n -= 3;
  }

  if (n > LOGIC_MAX_BYTES || sb->n + n + 1 > LOGIC_MAX_BYTES)
    return S_fail(c, CDG_ERR_LOGIC, "evaluation needs more than %lu bytes",
                  (unsigned long)LOGIC_MAX_BYTES);
  if (sb->n + n + 1 > sb->cap) {
    cap = sb->cap ? sb->cap : 32;
    while (cap < sb->n + n + 1)
      cap *= 2;
    if (sb->p && sb->p + sb->cap == c->cur &&
        (size_t)(c->end - sb->p) >= cap) {
      c->cur = sb->p + cap;
    } else {
      p = S_alloc(c, cap);
      if (!p)
        return -1;
      if (sb->n)
        memcpy(p, sb->p, sb->n);
      sb->p = p;
    }
    sb->cap = cap;
  }
  memcpy(sb->p + sb->n, s, n);
  sb->n += n;
  sb->p[sb->n] = '\0';
  return 0;
}

/* ---- JavaScript numbers and strings ------------------------------------ */

/* Byte length of the JavaScript white space or line terminator at s. */
static size_t S_ws(const unsigned char *s, size_t n) {
  unsigned cp;

  if (n == 0)
    return 0;
  if (s[0] == ' ' || (s[0] >= 0x09 && s[0] <= 0x0D))
    return 1;
  if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
    return 2;
  if (n >= 3 && (s[0] & 0xF0) == 0xE0) {
    cp = ((unsigned)(s[0] & 0x0F) << 12) | ((unsigned)(s[1] & 0x3F) << 6) |
         (s[2] & 0x3F);
    if (cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
        cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000 ||
        cp == 0xFEFF)
      return 3;
  }
  return 0;
}

static int S_digit(char ch) { return ch >= '0' && ch <= '9'; }

/* Length of the longest StrDecimalLiteral without sign and Infinity at s
** (digits, fraction, exponent), 0 if none. */
static size_t S_decimal_len(const char *s, size_t n) {
  size_t i = 0, d = 0, j;

  while (i < n && S_digit(s[i]))
    i++, d++;
  if (i < n && s[i] == '.') {
    i++;
    while (i < n && S_digit(s[i]))
      i++, d++;
  }
  if (d == 0)
    return 0;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    j = i + 1;
    if (j < n && (s[j] == '+' || s[j] == '-'))
      j++;
    if (j < n && S_digit(s[j])) {
      while (j < n && S_digit(s[j]))
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
static double S_strtonum(const char *s, size_t n) {
  size_t i = 0, k, len, w;
  int neg = 0, base = 0;
  double d = 0;

  while ((w = S_ws((const unsigned char *)s + i, n - i)) > 0)
    i += w;
  while (n > i) {
    /* trailing white space: find the start of the last character */
    k = n - 1;
    while (k > i && ((unsigned char)s[k] & 0xC0) == 0x80)
      k--;
    if (S_ws((const unsigned char *)s + k, n - k) != n - k)
      break;
    n = k;
  }
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
      int v = S_digit(s[k]) ? s[k] - '0'
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

/* JavaScript's Number::toString: the shortest digits that round-trip,
** fixed notation from 1e-7 to 1e21. buf holds at least 32 bytes. */
static size_t S_numfmt(double x, char *buf) {
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
    return (size_t)snprintf(buf, 32, "%.0f", x);
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
    if (S_digit(*d))
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
static double S_tonum(const value *v) {
  value item;
  S_iter it;

  switch (v->t) {
  case V_NULL: return 0;
  case V_BOOL: return v->u.b;
  case V_NUM: return v->u.d;
  case V_STR: return S_strtonum(v->u.s, v->n);
  case V_JARR:
  case V_ARR:
    S_iter_init(&it, v);
    if (!S_iter_next(&it, &item))
      return 0;
    if (S_iter_next(&it, &item))
      return NAN;
    S_iter_init(&it, v);
    S_iter_next(&it, &item);
    if (item.t == V_NULL || item.t == V_UNDEF)
      return 0;
    if (item.t == V_BOOL)
      return NAN; /* "true" */
    return S_tonum(&item);
  default: return NAN;
  }
}

/* parseFloat(x): parseFloat(String(x)). For an array only the first item
** counts, since a comma ends the number. */
static double S_parsefloat(const value *v) {
  value item;
  S_iter it;

  switch (v->t) {
  case V_NUM: return v->u.d == 0 ? 0 : v->u.d;
  case V_STR: return S_parsefloat_str(v->u.s, v->n);
  case V_JARR:
  case V_ARR:
    S_iter_init(&it, v);
    if (!S_iter_next(&it, &item))
      return NAN;
    return S_parsefloat(&item);
  default: return NAN;
  }
}

/* String(x), or with join set, how Array.prototype.join writes an item
** (null and undefined as ""). */
static int S_tostr_sb(S_ctx *c, S_sb *sb, const value *v, int join) {
  char buf[32];
  value item;
  S_iter it;
  int first = 1;

  switch (v->t) {
  case V_UNDEF: return join ? 0 : S_sb_put(c, sb, "undefined", 9);
  case V_NULL: return join ? 0 : S_sb_put(c, sb, "null", 4);
  case V_BOOL:
    return v->u.b ? S_sb_put(c, sb, "true", 4) : S_sb_put(c, sb, "false", 5);
  case V_NUM: return S_sb_put(c, sb, buf, S_numfmt(v->u.d, buf));
  case V_STR: return S_sb_put(c, sb, v->u.s, v->n);
  case V_JARR:
  case V_ARR:
    S_iter_init(&it, v);
    while (S_iter_next(&it, &item)) {
      if (!first && S_sb_put(c, sb, ",", 1) < 0)
        return -1;
      first = 0;
      if (S_tostr_sb(c, sb, &item, 1) < 0)
        return -1;
    }
    return 0;
  default: return S_sb_put(c, sb, "[object Object]", 15);
  }
}

/* String(x) as a value (strings are returned as they are). */
static int S_tostr(S_ctx *c, const value *v, value *out) {
  S_sb sb = {NULL, 0, 0};

  if (v->t == V_STR) {
    *out = *v;
    return 0;
  }
  if (S_sb_put(c, &sb, "", 0) < 0 || S_tostr_sb(c, &sb, v, 0) < 0)
    return -1;
  *out = S_str(sb.p, sb.n);
  return 0;
}

/* Length in UTF-16 code units, as JavaScript counts it. */
static size_t S_u16len(const char *s, size_t n) {
  size_t i, u = 0;

  for (i = 0; i < n; i++) {
    unsigned char b = (unsigned char)s[i];
    if ((b & 0xC0) != 0x80)
      u += b >= 0xF0 ? 2 : 1;
  }
  return u;
}

/* Units [from, to) of s as a new string (UTF-16 units, as JavaScript
** indexes strings). A surrogate pair cut in two leaves its lone half, kept
** as a 3-byte sequence (WTF-8) so that lengths and output match
** JavaScript's. */
static int S_u16slice(S_ctx *c, const char *s, size_t n, size_t from,
                      size_t to, value *out) {
  size_t i = 0, u = 0, len, lo = n, hi = n;
  unsigned cp, half;
  char *p, *q;

  /* the bytes of the characters that overlap the units */
  for (i = 0; i < n; i += len) {
    unsigned char b = (unsigned char)s[i];
    len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    if (len > n - i)
      len = n - i;
    if (u >= to) {
      hi = i;
      break;
    }
    u += b >= 0xF0 && len == 4 ? 2 : 1;
    if (lo == n && u > from)
      lo = i;
  }
  if (lo > hi)
    lo = hi;
  p = q = S_alloc(c, hi - lo + 1);
  if (!p)
    return -1;
  u = S_u16len(s, lo);
  for (i = lo; i < hi; i += len, u++) {
    unsigned char b = (unsigned char)s[i];
    len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    if (len > hi - i)
      len = hi - i;
    if (b < 0xF0 || len < 4) {
      memcpy(q, s + i, len);
      q += len;
    } else {
      int hi_in = u >= from && u < to, lo_in = u + 1 >= from && u + 1 < to;
      if (hi_in && lo_in) {
        memcpy(q, s + i, 4);
        q += 4;
      } else if (hi_in || lo_in) { /* one half of the pair */
        cp = (((unsigned)b & 0x07) << 18) |
             (((unsigned)s[i + 1] & 0x3F) << 12) |
             (((unsigned)s[i + 2] & 0x3F) << 6) | ((unsigned)s[i + 3] & 0x3F);
        half = hi_in ? 0xD800 + ((cp - 0x10000) >> 10)
                     : 0xDC00 + ((cp - 0x10000) & 0x3FF);
        *q++ = (char)(0xE0 | (half >> 12));
        *q++ = (char)(0x80 | ((half >> 6) & 0x3F));
        *q++ = (char)(0x80 | (half & 0x3F));
      }
      u++;
    }
  }
  *q = '\0';
  *out = S_str(p, (size_t)(q - p));
  return 0;
}

static unsigned S_decode(const unsigned char *s, size_t n, size_t *len) {
  if (s[0] < 0x80 || n < 2) {
    *len = 1;
    return s[0];
  }
  if (s[0] < 0xE0) {
    *len = 2;
    return ((unsigned)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
  }
  if (s[0] < 0xF0 || n < 4) {
    *len = n < 3 ? n : 3;
    return n < 3 ? s[0]
                 : ((unsigned)(s[0] & 0x0F) << 12) |
                       ((unsigned)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
  }
  *len = 4;
  return ((unsigned)(s[0] & 0x07) << 18) | ((unsigned)(s[1] & 0x3F) << 12) |
         ((unsigned)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
}

/* Compare as JavaScript does: by UTF-16 code units. UTF-8 byte order is
** code point order, which differs only for U+E000..U+FFFF against
** characters beyond U+FFFF (surrogates sort lower). */
static int S_u16cmp(const char *a, size_t an, const char *b, size_t bn) {
  size_t i = 0, m = an < bn ? an : bn, la, lb;
  unsigned ca, cb, ua, ub;

  while (i < m && a[i] == b[i])
    i++;
  if (i == m)
    return an < bn ? -1 : an > bn ? 1 : 0;
  while (i > 0 && ((unsigned char)a[i] & 0xC0) == 0x80)
    i--;
  ca = S_decode((const unsigned char *)a + i, an - i, &la);
  cb = S_decode((const unsigned char *)b + i, bn - i, &lb);
  ua = ca >= 0x10000 ? 0xD800 + ((ca - 0x10000) >> 10) : ca;
  ub = cb >= 0x10000 ? 0xD800 + ((cb - 0x10000) >> 10) : cb;
  if (ua != ub)
    return ua < ub ? -1 : 1;
  return ca < cb ? -1 : 1;
}

/* ---- Equality and comparison -------------------------------------------- */

enum { J_UNDEF, J_NULL, J_BOOL, J_NUM, J_STR, J_OBJ };

static int S_jstype(const value *v) {
  switch (v->t) {
  case V_UNDEF: return J_UNDEF;
  case V_NULL: return J_NULL;
  case V_BOOL: return J_BOOL;
  case V_NUM: return J_NUM;
  case V_STR: return J_STR;
  default: return J_OBJ;
  }
}

/* Object identity: the same borrowed node, or the same made array. */
static int S_same(const value *a, const value *b) {
  if (a->t != b->t)
    return 0;
  if (a->t == V_ARR)
    return a->id == b->id;
  if (a->t == V_CTX)
    return a->u.c == b->u.c;
  return a->u.j == b->u.j;
}

/* === */
static int S_strict_eq(const value *a, const value *b) {
  int ta = S_jstype(a);

  if (ta != S_jstype(b))
    return 0;
  switch (ta) {
  case J_UNDEF:
  case J_NULL: return 1;
  case J_BOOL: return a->u.b == b->u.b;
  case J_NUM: return a->u.d == b->u.d;
  case J_STR: return a->n == b->n && memcmp(a->u.s, b->u.s, a->n) == 0;
  default: return S_same(a, b);
  }
}

/* == with JavaScript's coercions. Returns 0 or 1, -1 on error. */
static int S_loose_eq(S_ctx *c, const value *a0, const value *b0) {
  value a = *a0, b = *b0, p;
  int ta, tb;

  for (;;) {
    ta = S_jstype(&a);
    tb = S_jstype(&b);
    if (ta == tb)
      return S_strict_eq(&a, &b);
    if (ta <= J_NULL && tb <= J_NULL)
      return 1;
    if (ta <= J_NULL || tb <= J_NULL)
      return 0;
    if (ta == J_NUM && tb == J_STR)
      return a.u.d == S_tonum(&b);
    if (ta == J_STR && tb == J_NUM)
      return S_tonum(&a) == b.u.d;
    if (ta == J_BOOL) {
      a = S_num(a.u.b);
    } else if (tb == J_BOOL) {
      b = S_num(b.u.b);
    } else if (ta == J_OBJ && tb == J_NUM) {
      return S_tonum(&a) == b.u.d;
    } else if (tb == J_OBJ && ta == J_NUM) {
      return a.u.d == S_tonum(&b);
    } else if (ta == J_OBJ && tb == J_STR) {
      if (S_tostr(c, &a, &p) < 0)
        return -1;
      a = p;
    } else if (tb == J_OBJ && ta == J_STR) {
      if (S_tostr(c, &b, &p) < 0)
        return -1;
      b = p;
    } else {
      return 0;
    }
  }
}

enum { CMP_LT = -1, CMP_EQ = 0, CMP_GT = 1, CMP_NONE = 2 };

/* Abstract relational comparison: strings (and objects, which become
** strings) by UTF-16 units, anything else as numbers. -2 on error. */
static int S_cmp(S_ctx *c, const value *a, const value *b) {
  value pa, pb;
  double x, y;
  int sa = a->t == V_STR || S_is_obj(a), sb = b->t == V_STR || S_is_obj(b);

  if (sa && sb) {
    if (S_tostr(c, a, &pa) < 0 || S_tostr(c, b, &pb) < 0)
      return -2;
    return S_u16cmp(pa.u.s, pa.n, pb.u.s, pb.n);
  }
  x = S_tonum(a);
  y = S_tonum(b);
  if (isnan(x) || isnan(y))
    return CMP_NONE;
  return x < y ? CMP_LT : x > y ? CMP_GT : CMP_EQ;
}

/* ---- Compiled expressions ---------------------------------------------- */

enum {
  OP_LIT, OP_ARRAY, OP_VAR, OP_MISSING, OP_MISSING_SOME, OP_IF, OP_EQ,
  OP_SEQ, OP_NE, OP_SNE, OP_NOT, OP_NOTNOT, OP_OR, OP_AND, OP_GT, OP_GE,
  OP_LT, OP_LE, OP_MAX, OP_MIN, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD,
  OP_MAP, OP_FILTER, OP_REDUCE, OP_ALL, OP_NONE, OP_SOME, OP_MERGE, OP_IN,
  OP_CAT, OP_SUBSTR, OP_LOG
};

static const struct {
  const char *name;
  unsigned char op;
} S_ops[] = {
  {"var", OP_VAR}, {"missing", OP_MISSING},
  {"missing_some", OP_MISSING_SOME}, {"if", OP_IF}, {"?:", OP_IF},
  {"==", OP_EQ}, {"===", OP_SEQ}, {"!=", OP_NE}, {"!==", OP_SNE},
  {"!", OP_NOT}, {"!!", OP_NOTNOT}, {"or", OP_OR}, {"and", OP_AND},
  {">", OP_GT}, {">=", OP_GE}, {"<", OP_LT}, {"<=", OP_LE},
  {"max", OP_MAX}, {"min", OP_MIN}, {"+", OP_ADD}, {"-", OP_SUB},
  {"*", OP_MUL}, {"/", OP_DIV}, {"%", OP_MOD}, {"map", OP_MAP},
  {"filter", OP_FILTER}, {"reduce", OP_REDUCE}, {"all", OP_ALL},
  {"none", OP_NONE}, {"some", OP_SOME}, {"merge", OP_MERGE}, {"in", OP_IN},
  {"cat", OP_CAT}, {"substr", OP_SUBSTR}, {"log", OP_LOG}};

typedef struct node {
  unsigned char op;
  size_t n;           /* arguments */
  struct node *kids;  /* n nodes, contiguous */
  value v;            /* OP_LIT: the value; OP_ARRAY: constant items */
} node;

/* One allocation: the struct, then the nodes, then the items. */
struct logic_expr {
  cJSON *copy;  /* the rule, or NULL when borrowed; literals point into it */
  node *nodes;
  value *items;
};

static int S_find_op(const char *name) {
  size_t i;

  for (i = 0; i < sizeof S_ops / sizeof S_ops[0]; i++)
    if (strcmp(S_ops[i].name, name) == 0)
      return S_ops[i].op;
  return -1;
}

/* A JSON object is an operation when it has exactly one key, as in
** json-logic-js; any other object ({} too) is a literal. */
static const cJSON *S_op_key(const cJSON *j) {
  return cJSON_IsObject(j) && j->child && !j->child->next ? j->child : NULL;
}

typedef struct S_comp {
  size_t nodes, items;
  char ptr[1024];
  size_t plen;
  cdg_error *err;
} S_comp;

/* Push tok on the pointer of the part being compiled; returns the old
** length, to cut back to. */
static size_t S_ptr_push(S_comp *k, const char *tok) {
  size_t old = k->plen;

  k->plen = json_ptr_push(k->ptr, sizeof k->ptr, k->plen, tok);
  return old;
}

static void S_ptr_pop(S_comp *k, size_t old) {
  k->plen = old;
  k->ptr[old] = '\0';
}

static cdg_status S_comp_err(S_comp *k, const char *msg) {
  if (k->err) {
    json_error(k->err, CDG_ERR_LOGIC, NULL, "%s", msg);
    json_ptr_append(k->err->pointer, sizeof k->err->pointer, 0, k->ptr);
  }
  return CDG_ERR_LOGIC;
}

static cdg_status S_count(S_comp *k, const cJSON *j, int depth);

/* Count the items of a list (an array, or an operator's arguments). */
static cdg_status S_count_list(S_comp *k, const cJSON *list, int depth) {
  const cJSON *c;
  cdg_status st = CDG_OK;
  char idx[24];
  size_t old, i = 0;

  for (c = list->child; c && st == CDG_OK; c = c->next, i++) {
    snprintf(idx, sizeof idx, "%zu", i);
    old = S_ptr_push(k, idx);
    st = S_count(k, c, depth);
    S_ptr_pop(k, old);
  }
  return st;
}

/* First pass: count nodes and array items, reject unknown operators and
** deep nesting, with the JSON Pointer of the offending value. */
static cdg_status S_count(S_comp *k, const cJSON *j, int depth) {
  const cJSON *key = S_op_key(j);
  cdg_status st;
  char msg[160];
  size_t old;

  k->nodes++;
  if (!key && !cJSON_IsArray(j))
    return CDG_OK;
  if (depth >= LOGIC_MAX_DEPTH) {
    snprintf(msg, sizeof msg, "expression nested deeper than %d levels",
             LOGIC_MAX_DEPTH);
    return S_comp_err(k, msg);
  }
  if (cJSON_IsArray(j)) {
    k->items += (size_t)cJSON_GetArraySize(j);
    return S_count_list(k, j, depth + 1);
  }
  if (S_find_op(key->string) < 0) {
    snprintf(msg, sizeof msg, "unknown operator \"%.100s\"", key->string);
    return S_comp_err(k, msg);
  }
  old = S_ptr_push(k, key->string);
  st = cJSON_IsArray(key) ? S_count_list(k, key, depth + 1)
                          : S_count(k, key, depth + 1);
  S_ptr_pop(k, old);
  return st;
}

typedef struct S_build {
  node *nodes;
  size_t used;
  value *items;
  size_t iused;
} S_build;

static void S_build_node(S_build *b, const cJSON *j, node *nd);

static void S_build_kids(S_build *b, const cJSON *list, node *nd) {
  const cJSON *c;
  size_t i = 0;

  nd->n = (size_t)cJSON_GetArraySize(list);
  nd->kids = b->nodes + b->used;
  b->used += nd->n;
  for (c = list->child; c; c = c->next)
    S_build_node(b, c, &nd->kids[i++]);
}

static void S_build_node(S_build *b, const cJSON *j, node *nd) {
  const cJSON *key = S_op_key(j);
  size_t i;

  nd->n = 0;
  nd->kids = NULL;
  nd->v = S_undef;
  if (key) {
    nd->op = (unsigned char)S_find_op(key->string);
    if (cJSON_IsArray(key)) {
      S_build_kids(b, key, nd);
    } else {
      nd->n = 1;
      nd->kids = b->nodes + b->used++;
      S_build_node(b, key, nd->kids);
    }
    return;
  }
  if (cJSON_IsArray(j)) {
    nd->op = OP_ARRAY;
    S_build_kids(b, j, nd);
    for (i = 0; i < nd->n && nd->kids[i].op == OP_LIT; i++)
      b->items[b->iused + i] = nd->kids[i].v;
    if (i == nd->n) {
      /* constant: evaluates without allocating, still a fresh array */
      nd->v.t = V_ARR;
      nd->v.u.a = b->items + b->iused;
      nd->v.n = nd->n;
    }
    b->iused += nd->n;
    return;
  }
  nd->op = OP_LIT;
  nd->v = S_from_json(j);
}

static cdg_status S_compile(const cJSON *expr, int borrow, logic_expr **out,
                            cdg_error *err) {
  S_comp k;
  S_build b;
  logic_expr *e;
  cdg_status st;
  size_t size;

  *out = NULL;
  if (!expr)
    return json_error(err, CDG_ERR_LOGIC, NULL, "no expression");
  k.nodes = k.items = 0;
  k.ptr[0] = '\0';
  k.plen = 0;
  k.err = err;
  st = S_count(&k, expr, 0);
  if (st != CDG_OK)
    return st;
  /* Nodes and values hold doubles and pointers, as the struct does. */
  _Static_assert(sizeof(logic_expr) % _Alignof(node) == 0 &&
                     sizeof(node) % _Alignof(value) == 0,
                 "logic_expr parts misaligned");
  size = sizeof *e + k.nodes * sizeof(node) + k.items * sizeof(value);
  e = cdg_calloc(1, size);
  if (!e)
    return json_error(err, CDG_ERR_NOMEM, NULL, "out of memory");
  e->nodes = (node *)(e + 1);
  e->items = (value *)(e->nodes + k.nodes);
  if (!borrow && !(expr = e->copy = cJSON_Duplicate(expr, 1))) {
    cdg_free(e);
    return json_error(err, CDG_ERR_NOMEM, NULL, "out of memory");
  }
  b.nodes = e->nodes;
  b.used = 1;
  b.items = e->items;
  b.iused = 0;
  S_build_node(&b, expr, e->nodes);
  *out = e;
  return CDG_OK;
}

cdg_status logic_compile(const cJSON *expr, logic_expr **out,
                         cdg_error *err) {
  return S_compile(expr, 0, out, err);
}

cdg_status logic_compile_ref(const cJSON *expr, logic_expr **out,
                             cdg_error *err) {
  return S_compile(expr, 1, out, err);
}

void logic_free(logic_expr *e) {
  if (!e)
    return;
  cJSON_Delete(e->copy);
  cdg_free(e);
}

/* ---- Evaluation -------------------------------------------------------- */

static int S_eval(S_ctx *c, const node *nd, const value *data, value *out);

/* Count one unit of work: an operation, or one item of an iteration. */
static int S_step(S_ctx *c) {
  if (++c->steps > LOGIC_MAX_STEPS)
    return S_fail(c, CDG_ERR_LOGIC, "evaluation takes more than %lu steps",
                  LOGIC_MAX_STEPS);
  return 0;
}

/* S_eval, with literals (most arguments) inline. */
#define S_EVAL(c, nd, data, out)                                          \
  ((nd)->op == OP_LIT ? (*(out) = (nd)->v, 0) : S_eval(c, nd, data, out))

/* Evaluate every argument, as json-logic-js does; keep the first k. */
static int S_args(S_ctx *c, const node *nd, const value *data, value *v,
                  size_t k) {
  value tmp;
  size_t i;

  for (i = 0; i < nd->n; i++)
    if (S_EVAL(c, &nd->kids[i], data, i < k ? &v[i] : &tmp) < 0)
      return -1;
  for (; i < k; i++)
    v[i] = S_undef;
  return 0;
}

/* Evaluate every argument into an array (arena unless it fits in buf). */
static int S_all_args(S_ctx *c, const node *nd, const value *data,
                      value *buf, size_t nbuf, value **v) {
  *v = nd->n <= nbuf ? buf : S_alloc_values(c, nd->n);
  if (!*v)
    return -1;
  return S_args(c, nd, data, *v, nd->n);
}

/* Hand out the reduce scope: copy it off the stack once. */
static int S_escape(S_ctx *c, value *v) {
  S_scope *s;

  if (v->t != V_CTX || !v->u.c->on_stack)
    return 0;
  if (!v->u.c->copy) {
    s = S_alloc(c, sizeof *s);
    if (!s)
      return -1;
    *s = *v->u.c;
    s->on_stack = 0;
    s->copy = s;
    v->u.c->copy = s;
  }
  v->u.c = v->u.c->copy;
  return 0;
}

/* An array index property: "0" or digits without a leading zero. */
static long S_index(const char *p, size_t len) {
  size_t i;
  long v = 0;

  if (len == 0 || len > 9 || (len > 1 && p[0] == '0'))
    return -1;
  for (i = 0; i < len; i++) {
    if (!S_digit(p[i]))
      return -1;
    v = v * 10 + (p[i] - '0');
  }
  return v;
}

/* data[key] for one path segment; 0 when JavaScript gives undefined. */
static int S_prop(S_ctx *c, const value *d, const char *p, size_t len,
                  value *out) {
  const cJSON *ch;
  long i;

  switch (d->t) {
  case V_JOBJ:
    for (ch = d->u.j->child; ch; ch = ch->next) {
      const char *k = ch->string;
      size_t j = 0;
      while (j < len && k[j] == p[j])
        j++;
      if (j == len && k[j] == '\0') {
        S_json(out, ch);
        return 1;
      }
    }
    return 0;
  case V_CTX:
    if (len == 7 && memcmp(p, "current", 7) == 0) {
      *out = d->u.c->cur;
      return out->t != V_UNDEF;
    }
    if (len == 11 && memcmp(p, "accumulator", 11) == 0) {
      *out = d->u.c->acc;
      return out->t != V_UNDEF;
    }
    return 0;
  case V_JARR:
  case V_ARR:
    if (len == 6 && memcmp(p, "length", 6) == 0) {
      *out = S_num((double)S_len(d));
      return 1;
    }
    i = S_index(p, len);
    if (i < 0)
      return 0;
    if (d->t == V_ARR) {
      if ((size_t)i >= d->n)
        return 0;
      *out = d->u.a[i];
      return out->t != V_UNDEF;
    }
    for (ch = d->u.j->child; ch && i > 0; ch = ch->next)
      i--;
    if (!ch)
      return 0;
    *out = S_from_json(ch);
    return 1;
  case V_STR:
    if (len == 6 && memcmp(p, "length", 6) == 0) {
      *out = S_num((double)S_u16len(d->u.s, d->n));
      return 1;
    }
    i = S_index(p, len);
    if (i < 0 || (size_t)i >= S_u16len(d->u.s, d->n))
      return 0;
    return S_u16slice(c, d->u.s, d->n, (size_t)i, (size_t)i + 1, out) < 0
               ? -1
               : 1;
  default: return 0;
  }
}

/* {"var": [key, default]} on data. */
static int S_var(S_ctx *c, const value *data, const value *key,
                 const value *dflt, value *out) {
  value ks, cur, next;
  const char *p, *end, *dot;
  int r;

  if (key->t == V_UNDEF || key->t == V_NULL ||
      (key->t == V_STR && key->n == 0)) {
    *out = *data;
    return S_escape(c, out);
  }
  if (S_tostr(c, key, &ks) < 0)
    return -1;
  cur = *data;
  p = ks.u.s;
  end = p + ks.n;
  for (;;) {
    dot = memchr(p, '.', (size_t)(end - p));
    if (!dot)
      dot = end;
    if (cur.t == V_UNDEF || cur.t == V_NULL)
      goto not_found;
    r = S_prop(c, &cur, p, (size_t)(dot - p), &next);
    if (r < 0)
      return -1;
    if (r == 0)
      goto not_found;
    cur = next;
    if (dot == end)
      break;
    p = dot + 1;
  }
  *out = cur;
  return out->t == V_CTX ? S_escape(c, out) : 0;
not_found:
  *out = dflt->t == V_UNDEF ? S_null : *dflt;
  return 0;
}

/* missing: the keys whose value is null or "", as an array. */
static int S_missing(S_ctx *c, const value *data, const value *args,
                     size_t n, value *out) {
  value one, key, got, k0, k1, *res;
  S_iter it;
  size_t cap, m = 0, i;
  int from_arr = n > 0 && S_is_arr(&args[0]);

  cap = from_arr ? S_len(&args[0]) : n;
  res = S_alloc_values(c, cap);
  if (!res)
    return -1;
  if (from_arr)
    S_iter_init(&it, &args[0]);
  for (i = 0;; i++) {
    if (from_arr) {
      if (!S_iter_next(&it, &key))
        break;
    } else {
      if (i >= n)
        break;
      key = args[i];
    }
    if (S_is_arr(&key)) { /* {"var": key} takes it as [name, default] */
      S_iter it2;
      S_iter_init(&it2, &key);
      if (!S_iter_next(&it2, &k0))
        k0 = S_undef;
      if (!S_iter_next(&it2, &k1))
        k1 = S_undef;
      if (S_var(c, data, &k0, &k1, &got) < 0)
        return -1;
    } else {
      one = S_undef;
      if (S_var(c, data, &key, &one, &got) < 0)
        return -1;
    }
    if (got.t == V_NULL || (got.t == V_STR && got.n == 0))
      res[m++] = key;
  }
  *out = S_new_arr(c, res, m);
  return 0;
}

static int S_missing_some(S_ctx *c, const value *data, const value *v,
                          value *out) {
  value miss, lenv;
  double len;
  int r;

  if (v[1].t == V_UNDEF || v[1].t == V_NULL)
    return S_fail(c, CDG_ERR_LOGIC,
                  "missing_some needs a list of keys, not null");
  if (S_is_arr(&v[1])) {
    value first;
    S_iter it;
    S_iter_init(&it, &v[1]);
    if (S_iter_next(&it, &first) && S_is_arr(&first)) {
      if (S_missing(c, data, &first, 1, &miss) < 0)
        return -1;
    } else if (S_missing(c, data, &v[1], 1, &miss) < 0) {
      return -1;
    }
    len = (double)S_len(&v[1]);
  } else {
    if (S_missing(c, data, &v[1], 1, &miss) < 0)
      return -1;
    len = v[1].t == V_STR ? (double)S_u16len(v[1].u.s, v[1].n) : NAN;
  }
  lenv = S_num(len - (double)miss.n);
  r = S_cmp(c, &lenv, &v[0]);
  if (r == -2)
    return -1;
  *out = (r == CMP_GT || r == CMP_EQ) ? S_new_arr(c, NULL, 0) : miss;
  return 0;
}

/* String.prototype.substr(start, length) in UTF-16 units. */
static int S_substr(S_ctx *c, const value *src, double start, double len,
                    int has_len, value *out) {
  value s;
  double size;

  if (S_tostr(c, src, &s) < 0)
    return -1;
  size = (double)S_u16len(s.u.s, s.n);
  start = isnan(start) ? 0 : trunc(start);
  if (start < 0)
    start = size + start < 0 ? 0 : size + start;
  else if (start > size)
    start = size;
  len = !has_len ? size : isnan(len) ? 0 : trunc(len);
  if (len < 0)
    len = 0;
  if (len > size - start)
    len = size - start;
  return S_u16slice(c, s.u.s, s.n, (size_t)start, (size_t)(start + len),
                    out);
}

/* {"substr": [source, start, end]}: a negative end counts from the end,
** as json-logic-js emulates PHP: temp.substr(0, temp.length + end). */
static int S_op_substr(S_ctx *c, const value *v, value *out) {
  value temp, lenv;
  S_sb sb = {NULL, 0, 0};
  char buf[32];
  double end = S_tonum(&v[2]);

  if (!(end < 0))
    return S_substr(c, &v[0], S_tonum(&v[1]), end, v[2].t != V_UNDEF, out);
  if (S_substr(c, &v[0], S_tonum(&v[1]), 0, 0, &temp) < 0)
    return -1;
  if (v[2].t == V_STR || S_is_obj(&v[2])) {
    /* temp.length + end concatenates when end is a string */
    if (S_sb_put(c, &sb, buf, S_numfmt((double)S_u16len(temp.u.s, temp.n),
                                       buf)) < 0 ||
        S_tostr_sb(c, &sb, &v[2], 0) < 0)
      return -1;
    lenv = S_str(sb.p, sb.n);
    return S_substr(c, &temp, 0, S_tonum(&lenv), 1, out);
  }
  return S_substr(c, &temp, 0, (double)S_u16len(temp.u.s, temp.n) + end, 1,
                  out);
}

static int S_op_in(S_ctx *c, const value *a, const value *b) {
  value s, item;
  S_iter it;
  size_t i;

  if (S_is_arr(b)) {
    S_iter_init(&it, b);
    while (S_iter_next(&it, &item))
      if (S_strict_eq(a, &item))
        return 1;
    return 0;
  }
  if (b->t != V_STR || b->n == 0)
    return 0;
  if (S_tostr(c, a, &s) < 0)
    return -1;
  if (s.n == 0)
    return 1;
  for (i = 0; i + s.n <= b->n; i++)
    if (memcmp(b->u.s + i, s.u.s, s.n) == 0)
      return 1;
  return 0;
}

/* map, filter, reduce, all, none, some: the first argument is the array,
** the second the logic applied to each item (with the item as data). */
static int S_op_iter(S_ctx *c, const node *nd, const value *data,
                     value *out) {
  static const node S_absent = {OP_LIT, 0, NULL, {V_UNDEF, 0, 0, {0}}};
  const node *logic = nd->n > 1 ? &nd->kids[1] : &S_absent;
  value arr, item, r, *res = NULL;
  S_scope sc;
  S_iter it;
  size_t m = 0;
  int t;

  arr = S_undef;
  if (nd->n > 0 && S_EVAL(c, &nd->kids[0], data, &arr) < 0)
    return -1;
  if (nd->op == OP_REDUCE) {
    sc.acc = S_null;
    if (nd->n > 2 && S_EVAL(c, &nd->kids[2], data, &sc.acc) < 0)
      return -1;
    if (S_is_arr(&arr)) {
      S_iter_init(&it, &arr);
      while (S_iter_next(&it, &sc.cur)) {
        value scope = {V_CTX, 0, 0, {0}};
        sc.copy = NULL;
        sc.on_stack = 1;
        scope.u.c = &sc;
        if (S_step(c) < 0 || S_EVAL(c, logic, &scope, &r) < 0)
          return -1;
        sc.acc = r;
      }
    }
    *out = sc.acc;
    return 0;
  }
  if (!S_is_arr(&arr)) {
    *out = nd->op == OP_MAP || nd->op == OP_FILTER ? S_new_arr(c, NULL, 0)
                                                   : S_bool(nd->op == OP_NONE);
    return 0;
  }
  if (nd->op == OP_MAP || nd->op == OP_FILTER) {
    res = S_alloc_values(c, S_len(&arr));
    if (!res)
      return -1;
  }
  S_iter_init(&it, &arr);
  while (S_iter_next(&it, &item)) {
    if (S_step(c) < 0 || S_EVAL(c, logic, &item, &r) < 0)
      return -1;
    if (nd->op == OP_MAP) {
      res[m++] = r;
      continue;
    }
    t = S_truthy(&r);
    if (nd->op == OP_FILTER) {
      if (t)
        res[m++] = item;
    } else if (nd->op == OP_ALL && !t) {
      *out = S_bool(0);
      return 0;
    } else if (nd->op != OP_ALL && t) {
      *out = S_bool(nd->op == OP_SOME);
      return 0;
    }
  }
  if (res)
    *out = S_new_arr(c, res, m);
  else if (nd->op == OP_ALL)
    *out = S_bool(S_len(&arr) > 0);
  else
    *out = S_bool(nd->op == OP_NONE);
  return 0;
}

static int S_op_arith(S_ctx *c, const node *nd, const value *data,
                      value *out) {
  value buf[8], *v;
  double acc, x;
  size_t i;

  if (S_all_args(c, nd, data, buf, 8, &v) < 0)
    return -1;
  switch (nd->op) {
  case OP_ADD:
    acc = 0;
    for (i = 0; i < nd->n; i++)
      acc = (acc == 0 ? 0 : acc) + S_parsefloat(&v[i]);
    *out = S_num(acc);
    return 0;
  case OP_MUL:
    if (nd->n == 0)
      return S_fail(c, CDG_ERR_LOGIC, "\"*\" needs at least one argument");
    if (nd->n == 1) { /* reduce without an initial value: the item itself */
      *out = v[0];
      return 0;
    }
    acc = S_parsefloat(&v[0]);
    for (i = 1; i < nd->n; i++)
      acc = (acc == 0 ? 0 : acc) * S_parsefloat(&v[i]);
    *out = S_num(acc);
    return 0;
  default: /* OP_MAX, OP_MIN */
    acc = nd->op == OP_MAX ? -INFINITY : INFINITY;
    for (i = 0; i < nd->n; i++) {
      x = S_tonum(&v[i]);
      if (isnan(x) || isnan(acc))
        acc = NAN;
      else if (nd->op == OP_MAX ? (x > acc || (x == 0 && acc == 0 &&
                                               !signbit(x)))
                                : (x < acc || (x == 0 && acc == 0 &&
                                               signbit(x))))
        acc = x;
    }
    *out = S_num(acc);
    return 0;
  }
}

static int S_op_merge(S_ctx *c, const node *nd, const value *data,
                      value *out) {
  value buf[8], *v, *res;
  S_iter it;
  size_t i, total = 0, m = 0;

  if (S_all_args(c, nd, data, buf, 8, &v) < 0)
    return -1;
  for (i = 0; i < nd->n; i++)
    total += S_is_arr(&v[i]) ? S_len(&v[i]) : 1;
  res = S_alloc_values(c, total);
  if (!res)
    return -1;
  for (i = 0; i < nd->n; i++) {
    if (S_is_arr(&v[i])) {
      S_iter_init(&it, &v[i]);
      while (S_iter_next(&it, &res[m]))
        m++;
    } else {
      res[m++] = v[i];
    }
  }
  *out = S_new_arr(c, res, m);
  return 0;
}

static int S_op_cat(S_ctx *c, const node *nd, const value *data,
                    value *out) {
  S_sb sb = {NULL, 0, 0};
  value v;
  size_t i;

  if (S_sb_put(c, &sb, "", 0) < 0)
    return -1;
  for (i = 0; i < nd->n; i++)
    if (S_EVAL(c, &nd->kids[i], data, &v) < 0 ||
        S_tostr_sb(c, &sb, &v, 1) < 0)
      return -1;
  *out = S_str(sb.p, sb.n);
  return 0;
}

static int S_eval(S_ctx *c, const node *nd, const value *data, value *out) {
  value v[3], *vals, buf[8];
  size_t i;
  int r;

  if (S_step(c) < 0)
    return -1;
  switch (nd->op) {
  case OP_LIT:
    *out = nd->v;
    return 0;
  case OP_ARRAY:
    if (nd->v.t == V_ARR) {
      *out = S_new_arr(c, nd->v.u.a, nd->v.n);
      return 0;
    }
    vals = S_alloc_values(c, nd->n);
    if (!vals || S_args(c, nd, data, vals, nd->n) < 0)
      return -1;
    *out = S_new_arr(c, vals, nd->n);
    return 0;
  case OP_VAR:
    if (nd->n == 1 && nd->kids[0].op == OP_LIT) /* the usual {"var": "x"} */
      return S_var(c, data, &nd->kids[0].v, &S_undef, out);
    if (S_args(c, nd, data, v, 2) < 0)
      return -1;
    return S_var(c, data, &v[0], &v[1], out);
  case OP_MISSING:
    if (S_all_args(c, nd, data, buf, 8, &vals) < 0)
      return -1;
    return S_missing(c, data, vals, nd->n, out);
  case OP_MISSING_SOME:
    if (S_args(c, nd, data, v, 2) < 0)
      return -1;
    return S_missing_some(c, data, v, out);
  case OP_IF:
    for (i = 0; i + 1 < nd->n; i += 2) {
      if (S_EVAL(c, &nd->kids[i], data, &v[0]) < 0)
        return -1;
      if (S_truthy(&v[0]))
        return S_EVAL(c, &nd->kids[i + 1], data, out);
    }
    if (i + 1 == nd->n)
      return S_EVAL(c, &nd->kids[i], data, out);
    *out = S_null;
    return 0;
  case OP_AND:
  case OP_OR:
    *out = S_undef;
    for (i = 0; i < nd->n; i++) {
      if (S_EVAL(c, &nd->kids[i], data, out) < 0)
        return -1;
      if (S_truthy(out) == (nd->op == OP_OR))
        return 0;
    }
    return 0;
  case OP_EQ:
  case OP_NE:
    if (S_args(c, nd, data, v, 2) < 0 || (r = S_loose_eq(c, &v[0], &v[1])) < 0)
      return -1;
    *out = S_bool(nd->op == OP_EQ ? r : !r);
    return 0;
  case OP_SEQ:
  case OP_SNE:
    if (S_args(c, nd, data, v, 2) < 0)
      return -1;
    r = S_strict_eq(&v[0], &v[1]);
    *out = S_bool(nd->op == OP_SEQ ? r : !r);
    return 0;
  case OP_NOT:
  case OP_NOTNOT:
    if (S_args(c, nd, data, v, 1) < 0)
      return -1;
    *out = S_bool(S_truthy(&v[0]) == (nd->op == OP_NOTNOT));
    return 0;
  case OP_GT:
  case OP_GE:
    if (S_args(c, nd, data, v, 2) < 0 || (r = S_cmp(c, &v[0], &v[1])) == -2)
      return -1;
    *out = S_bool(r == CMP_GT || (nd->op == OP_GE && r == CMP_EQ));
    return 0;
  case OP_LT:
  case OP_LE:
    if (S_args(c, nd, data, v, 3) < 0 || (r = S_cmp(c, &v[0], &v[1])) == -2)
      return -1;
    r = r == CMP_LT || (nd->op == OP_LE && r == CMP_EQ);
    if (r && v[2].t != V_UNDEF) { /* between: a < b < c */
      if ((r = S_cmp(c, &v[1], &v[2])) == -2)
        return -1;
      r = r == CMP_LT || (nd->op == OP_LE && r == CMP_EQ);
    }
    *out = S_bool(r);
    return 0;
  case OP_MAX:
  case OP_MIN:
  case OP_ADD:
  case OP_MUL:
    return S_op_arith(c, nd, data, out);
  case OP_SUB:
    if (S_args(c, nd, data, v, 2) < 0)
      return -1;
    *out = S_num(v[1].t == V_UNDEF ? -S_tonum(&v[0])
                                   : S_tonum(&v[0]) - S_tonum(&v[1]));
    return 0;
  case OP_DIV:
  case OP_MOD:
    if (S_args(c, nd, data, v, 2) < 0)
      return -1;
    *out = S_num(nd->op == OP_DIV ? S_tonum(&v[0]) / S_tonum(&v[1])
                                  : fmod(S_tonum(&v[0]), S_tonum(&v[1])));
    return 0;
  case OP_MAP:
  case OP_FILTER:
  case OP_REDUCE:
  case OP_ALL:
  case OP_NONE:
  case OP_SOME:
    return S_op_iter(c, nd, data, out);
  case OP_MERGE:
    return S_op_merge(c, nd, data, out);
  case OP_IN:
    if (S_args(c, nd, data, v, 2) < 0 || (r = S_op_in(c, &v[0], &v[1])) < 0)
      return -1;
    *out = S_bool(r);
    return 0;
  case OP_CAT:
    return S_op_cat(c, nd, data, out);
  case OP_SUBSTR:
    if (S_args(c, nd, data, v, 3) < 0)
      return -1;
    return S_op_substr(c, v, out);
  default: /* OP_LOG: returns its argument; the library never prints */
    if (S_args(c, nd, data, v, 1) < 0)
      return -1;
    *out = v[0];
    return 0;
  }
}

/* ---- Results ----------------------------------------------------------- */

/* The value as JSON.stringify sees it: undefined and non-finite numbers
** are null, -0 is 0. NULL when out of memory. */
static cJSON *S_to_json(const value *v) {
  cJSON *j, *item;
  value x;
  S_iter it;

  switch (v->t) {
  case V_BOOL: return cJSON_CreateBool(v->u.b);
  case V_NUM:
    if (!isfinite(v->u.d))
      return cJSON_CreateNull();
    return cJSON_CreateNumber(v->u.d == 0 ? 0 : v->u.d);
  case V_STR: return cJSON_CreateString(v->u.s);
  case V_JARR:
  case V_JOBJ: return cJSON_Duplicate(v->u.j, 1);
  case V_ARR:
    j = cJSON_CreateArray();
    if (!j)
      return NULL;
    S_iter_init(&it, v);
    while (S_iter_next(&it, &x)) {
      item = S_to_json(&x);
      if (!item || !cJSON_AddItemToArray(j, item)) {
        cJSON_Delete(item);
        cJSON_Delete(j);
        return NULL;
      }
    }
    return j;
  case V_CTX:
    j = cJSON_CreateObject();
    if (!j)
      return NULL;
    if (v->u.c->cur.t != V_UNDEF) {
      item = S_to_json(&v->u.c->cur);
      if (!item || !cJSON_AddItemToObject(j, "current", item)) {
        cJSON_Delete(item);
        cJSON_Delete(j);
        return NULL;
      }
    }
    if (v->u.c->acc.t != V_UNDEF) {
      item = S_to_json(&v->u.c->acc);
      if (!item || !cJSON_AddItemToObject(j, "accumulator", item)) {
        cJSON_Delete(item);
        cJSON_Delete(j);
        return NULL;
      }
    }
    return j;
  default: return cJSON_CreateNull();
  }
}

static int S_run(S_ctx *c, const logic_expr *e, const cJSON *data,
                 value *out) {
  value d = S_from_json(data);

  S_ctx_init(c);
  if (!e) {
    S_fail(c, CDG_ERR_LOGIC, "no expression");
    return -1;
  }
  return S_eval(c, e->nodes, &d, out);
}

cdg_status logic_eval(const logic_expr *e, const cJSON *data, cJSON **result,
                      cdg_error *err) {
  S_ctx c;
  value v;
  cdg_status st = CDG_OK;

  *result = NULL;
  if (S_run(&c, e, data, &v) < 0) {
    st = json_error(err, c.st, NULL, "%s", c.msg);
  } else {
    *result = S_to_json(&v);
    if (!*result)
      st = json_error(err, CDG_ERR_NOMEM, NULL, "out of memory");
  }
  S_ctx_done(&c);
  return st;
}

int logic_test(const logic_expr *e, const cJSON *data) {
  S_ctx c;
  value v;
  int r;

  if (S_run(&c, e, data, &v) < 0)
    r = c.st == CDG_ERR_NOMEM ? LOGIC_NOMEM : LOGIC_FAIL;
  else
    r = S_truthy(&v);
  S_ctx_done(&c);
  return r;
}

int logic_truthy(const cJSON *v) {
  value x = S_from_json(v);

  return S_truthy(&x);
}

/* ---- cdg_logic_eval_json ------------------------------------------------ */

typedef struct S_out {
  char *p;
  size_t n, cap;
  int fail;
} S_out;

static void S_put(S_out *o, const char *s, size_t n) {
  size_t cap;
  char *p;

  if (o->fail)
    return;
  if (o->n + n + 1 > o->cap) {
    cap = o->cap ? o->cap : 64;
    while (cap < o->n + n + 1)
      cap *= 2;
    p = cdg_realloc(o->p, cap);
    if (!p) {
      o->fail = 1;
      return;
    }
    o->p = p;
    o->cap = cap;
  }
  memcpy(o->p + o->n, s, n);
  o->n += n;
  o->p[o->n] = '\0';
}

static void S_put_string(S_out *o, const char *s) {
  static const char hex[] = "0123456789abcdef";
  char esc[16];
  const char *run = s;

  S_put(o, "\"", 1);
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == 0xED && ((unsigned char)s[1] & 0xE0) == 0xA0 && s[2]) {
      /* a lone surrogate (from substr): JSON.stringify escapes it */
      unsigned u = 0xD000 | (((unsigned)s[1] & 0x3F) << 6) |
                   ((unsigned)s[2] & 0x3F);
      S_put(o, run, (size_t)(s - run));
      snprintf(esc, sizeof esc, "\\u%04x", u);
      S_put(o, esc, 6);
      s += 2;
      run = s + 1;
      continue;
    }
    if (ch >= 0x20 && ch != '"' && ch != '\\')
      continue;
    S_put(o, run, (size_t)(s - run));
    run = s + 1;
    esc[0] = '\\';
    switch (ch) {
    case '"': S_put(o, "\\\"", 2); break;
    case '\\': S_put(o, "\\\\", 2); break;
    case '\b': S_put(o, "\\b", 2); break;
    case '\f': S_put(o, "\\f", 2); break;
    case '\n': S_put(o, "\\n", 2); break;
    case '\r': S_put(o, "\\r", 2); break;
    case '\t': S_put(o, "\\t", 2); break;
    default:
      memcpy(esc, "\\u00", 4);
      esc[4] = hex[ch >> 4];
      esc[5] = hex[ch & 15];
      S_put(o, esc, 6);
    }
  }
  S_put(o, run, (size_t)(s - run));
  S_put(o, "\"", 1);
}

/* Compact JSON exactly as JSON.stringify writes it. */
static void S_print(S_out *o, const cJSON *j) {
  char buf[32];
  const cJSON *c;

  switch (j->type & 0xFF) {
  case cJSON_False: S_put(o, "false", 5); return;
  case cJSON_True: S_put(o, "true", 4); return;
  case cJSON_Number:
    if (!isfinite(j->valuedouble))
      S_put(o, "null", 4);
    else
      S_put(o, buf, S_numfmt(j->valuedouble == 0 ? 0 : j->valuedouble, buf));
    return;
  case cJSON_String: S_put_string(o, j->valuestring);
    return;
  case cJSON_Array:
  case cJSON_Object:
    S_put(o, cJSON_IsArray(j) ? "[" : "{", 1);
    for (c = j->child; c; c = c->next) {
      if (c != j->child)
        S_put(o, ",", 1);
      if (cJSON_IsObject(j)) {
        S_put_string(o, c->string);
        S_put(o, ":", 1);
      }
      S_print(o, c);
    }
    S_put(o, cJSON_IsArray(j) ? "]" : "}", 1);
    return;
  default: S_put(o, "null", 4); return;
  }
}

cdg_status cdg_logic_eval_json(const char *rule, const char *data,
                               char **result, cdg_error *err) {
  cJSON *r = NULL, *d = NULL, *res = NULL;
  logic_expr *e = NULL;
  S_out o = {NULL, 0, 0, 0};
  cdg_status st;
  cdg_error local;
  char ptr[sizeof local.pointer], msg[sizeof local.message];

  *result = NULL;
  if (!err)
    err = &local;
  if (!rule)
    return json_error(err, CDG_ERR_LOGIC, "rule", "no rule");
  st = json_parse(rule, strlen(rule), "rule", &r, err);
  if (st == CDG_OK && data)
    st = json_parse(data, strlen(data), "data", &d, err);
  if (st == CDG_OK) {
    st = logic_compile(r, &e, err);
    if (st == CDG_ERR_LOGIC) { /* add the rule's line:col */
      memcpy(ptr, err->pointer, sizeof ptr);
      memcpy(msg, err->message, sizeof msg);
      json_error_at(err, st, "rule", rule, strlen(rule), ptr, "%s", msg);
    }
  }
  if (st == CDG_OK)
    st = logic_eval(e, d, &res, err);
  if (st == CDG_OK) {
    S_print(&o, res);
    if (o.fail) {
      cdg_free(o.p);
      st = json_error(err, CDG_ERR_NOMEM, NULL, "out of memory");
    } else {
      *result = o.p;
    }
  }
  cJSON_Delete(res);
  logic_free(e);
  cJSON_Delete(d);
  cJSON_Delete(r);
  return st;
}
