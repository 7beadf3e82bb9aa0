/* json.c: JSON parsing with positions, and JSON Pointer lookups in text. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

/* Deeper nesting is refused before cJSON sees it (cJSON allows 1000). */
#define JSON_MAX_DEPTH 256

/* ---- Positions -------------------------------------------------------- */

void json_offset_linecol(const char *text, size_t len, size_t offset,
                         int *line, int *col) {
  int l = 1, c = 1;
  size_t i;

  if (offset > len)
    offset = len;
  for (i = 0; i < offset; i++) {
    unsigned char ch = (unsigned char)text[i];
    if (ch == '\n') {
      l++;
      c = 1;
    } else if ((ch & 0xC0) != 0x80) { /* count characters, not bytes */
      c++;
    }
  }
  *line = l;
  *col = c;
}

static void S_fill(cdg_error *err, const char *file, const char *pointer,
                   const char *fmt, va_list ap) {
  cdg_error_clear(err);
  snprintf(err->file, sizeof err->file, "%s", file ? file : "");
  snprintf(err->pointer, sizeof err->pointer, "%s", pointer ? pointer : "");
  vsnprintf(err->message, sizeof err->message, fmt, ap);
}

cdg_status json_error(cdg_error *err, cdg_status status, const char *file,
                      const char *fmt, ...) {
  va_list ap;

  if (err) {
    va_start(ap, fmt);
    S_fill(err, file, NULL, fmt, ap);
    va_end(ap);
  }
  return status;
}

cdg_status json_error_at(cdg_error *err, cdg_status status,
                         const char *file, const char *text, size_t len,
                         const char *pointer, const char *fmt, ...) {
  va_list ap;
  size_t off;

  if (!err)
    return status;
  va_start(ap, fmt);
  S_fill(err, file, pointer, fmt, ap);
  va_end(ap);
  if (text && pointer && json_pointer_offset(text, len, pointer, &off) == 0)
    json_offset_linecol(text, len, off, &err->line, &err->col);
  return status;
}

static cdg_status S_error_offset(cdg_error *err, cdg_status status,
                                 const char *file, const char *text,
                                 size_t len, size_t off, const char *fmt,
                                 ...) {
  va_list ap;

  if (!err)
    return status;
  va_start(ap, fmt);
  S_fill(err, file, NULL, fmt, ap);
  va_end(ap);
  json_offset_linecol(text, len, off, &err->line, &err->col);
  return status;
}

/* ---- A small scanner over text that cJSON has accepted ---------------- */

static size_t S_skip_ws(const char *t, size_t len, size_t i) {
  while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' ||
                     t[i] == '\r'))
    i++;
  return i;
}

/* Offset just past the string starting at t[i] == '"'. */
static size_t S_skip_string(const char *t, size_t len, size_t i) {
  for (i++; i < len; i++) {
    if (t[i] == '\\')
      i++;
    else if (t[i] == '"')
      return i + 1;
  }
  return len;
}

/* Offset just past the value starting at t[i]. */
static size_t S_skip_value(const char *t, size_t len, size_t i) {
  int depth = 0;

  if (i >= len)
    return len;
  if (t[i] == '"')
    return S_skip_string(t, len, i);
  if (t[i] != '{' && t[i] != '[') {
    while (i < len && !strchr(",]} \t\r\n", t[i]))
      i++;
    return i;
  }
  for (; i < len; i++) {
    if (t[i] == '"')
      i = S_skip_string(t, len, i) - 1;
    else if (t[i] == '{' || t[i] == '[')
      depth++;
    else if ((t[i] == '}' || t[i] == ']') && --depth == 0)
      return i + 1;
  }
  return len;
}

static int S_hex4(const char *s, unsigned *out) {
  unsigned v = 0;
  int k;

  for (k = 0; k < 4; k++) {
    char c = s[k];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
    else return -1;
  }
  *out = v;
  return 0;
}

/*
** Compare the JSON string at t[i] (opening quote) with the decoded key
** want. Escapes are decoded, so "\u0069d" matches "id".
*/
static int S_string_equals(const char *t, size_t len, size_t i,
                           const char *want) {
  size_t w = 0;

  for (i++; i < len && t[i] != '"'; i++) {
    unsigned char enc[4];
    size_t n = 1, k;
    unsigned cp;

    enc[0] = (unsigned char)t[i];
    if (t[i] == '\\' && i + 1 < len) {
      i++;
      switch (t[i]) {
      case 'b': enc[0] = '\b'; break;
      case 'f': enc[0] = '\f'; break;
      case 'n': enc[0] = '\n'; break;
      case 'r': enc[0] = '\r'; break;
      case 't': enc[0] = '\t'; break;
      case 'u':
        if (i + 4 >= len || S_hex4(t + i + 1, &cp) != 0)
          return 0;
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 < len && t[i + 1] == '\\' &&
            t[i + 2] == 'u') {
          unsigned lo;
          if (S_hex4(t + i + 3, &lo) == 0 && lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
          }
        }
        if (cp < 0x80) {
          enc[0] = (unsigned char)cp;
        } else if (cp < 0x800) {
          enc[0] = (unsigned char)(0xC0 | (cp >> 6));
          enc[1] = (unsigned char)(0x80 | (cp & 0x3F));
          n = 2;
        } else if (cp < 0x10000) {
          enc[0] = (unsigned char)(0xE0 | (cp >> 12));
          enc[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
          enc[2] = (unsigned char)(0x80 | (cp & 0x3F));
          n = 3;
        } else {
          enc[0] = (unsigned char)(0xF0 | (cp >> 18));
          enc[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
          enc[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
          enc[3] = (unsigned char)(0x80 | (cp & 0x3F));
          n = 4;
        }
        break;
      default: enc[0] = (unsigned char)t[i]; break;
      }
    }
    for (k = 0; k < n; k++)
      if (!want[w] || (unsigned char)want[w++] != enc[k])
        return 0;
  }
  return want[w] == '\0';
}

/*
** Find member key in the object at t[i] == '{'. With nth > 1, the nth
** occurrence (for duplicate keys). Sets *key and *value to the offsets of
** the key string and of its value. Returns 0, or -1 if absent.
*/
static int S_find_member(const char *t, size_t len, size_t i,
                         const char *key, int nth, size_t *koff,
                         size_t *voff) {
  i = S_skip_ws(t, len, i + 1);
  while (i < len && t[i] == '"') {
    size_t k = i;
    int match = S_string_equals(t, len, i, key);

    i = S_skip_ws(t, len, S_skip_string(t, len, i));
    if (i >= len || t[i] != ':')
      return -1;
    i = S_skip_ws(t, len, i + 1);
    if (match && --nth == 0) {
      *koff = k;
      *voff = i;
      return 0;
    }
    i = S_skip_ws(t, len, S_skip_value(t, len, i));
    if (i < len && t[i] == ',')
      i = S_skip_ws(t, len, i + 1);
  }
  return -1;
}

/* Decode the next reference token of a JSON Pointer into buf. */
static const char *S_pointer_token(const char *p, char *buf, size_t size) {
  size_t n = 0;

  for (; *p && *p != '/'; p++) {
    char c = *p;
    if (c == '~' && (p[1] == '0' || p[1] == '1')) {
      c = p[1] == '0' ? '~' : '/';
      p++;
    }
    if (n + 1 < size)
      buf[n++] = c;
  }
  buf[n] = '\0';
  return p;
}

int json_pointer_offset(const char *text, size_t len, const char *pointer,
                        size_t *offset) {
  size_t i = S_skip_ws(text, len, 0);
  char tok[256];
  const char *p = pointer;

  if (*p && *p != '/')
    return -1;
  while (*p == '/') {
    p = S_pointer_token(p + 1, tok, sizeof tok);
    if (i >= len)
      return -1;
    if (text[i] == '{') {
      size_t k;
      if (S_find_member(text, len, i, tok, 1, &k, &i) != 0)
        return -1;
    } else if (text[i] == '[') {
      unsigned long idx;
      /* RFC 6901 indexes: "0" or digits without a leading zero. */
      if (!*tok || strspn(tok, "0123456789") != strlen(tok) ||
          (tok[0] == '0' && tok[1]))
        return -1;
      idx = strtoul(tok, NULL, 10);
      i = S_skip_ws(text, len, i + 1);
      while (idx-- > 0) {
        i = S_skip_ws(text, len, S_skip_value(text, len, i));
        if (i >= len || text[i] != ',')
          return -1;
        i = S_skip_ws(text, len, i + 1);
      }
      if (i >= len || text[i] == ']')
        return -1;
    } else {
      return -1;
    }
  }
  *offset = i;
  return 0;
}

/* ---- Parsing ---------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static size_t S_utf8_len(const unsigned char *s, size_t avail) {
  unsigned cp;
  size_t n, k;

  if (s[0] < 0x80) return 1;
  if (s[0] >= 0xC2 && s[0] <= 0xDF) { n = 2; cp = s[0] & 0x1Fu; }
  else if (s[0] >= 0xE0 && s[0] <= 0xEF) { n = 3; cp = s[0] & 0x0Fu; }
  else if (s[0] >= 0xF0 && s[0] <= 0xF4) { n = 4; cp = s[0] & 0x07u; }
  else return 0;
  if (n > avail)
    return 0;
  for (k = 1; k < n; k++) {
    if ((s[k] & 0xC0) != 0x80)
      return 0;
    cp = (cp << 6) | (s[k] & 0x3Fu);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF)) /* overlong or surrogate */
    return 0;
  return n;
}

/*
** Validation: one pass over the bytes checks UTF-8, NUL bytes, depth and
** the grammar of RFC 8259 before cJSON builds the tree, because cJSON's
** error offsets are approximate (one past a bad key, the last byte of a
** truncated text), and it accepts "01" and "1.".
*/
typedef struct S_scan {
  const char *t;
  size_t len;
  const char *file;
  cdg_error *err;
} S_scan;

/* The error for offset i: the end of the text, a NUL byte or invalid
** UTF-8 there are named as such; otherwise what (or, when NULL, the
** character found). */
static cdg_status S_syntax(const S_scan *s, size_t i, const char *what) {
  unsigned char c;

  if (i >= s->len)
    return S_error_offset(s->err, CDG_ERR_SYNTAX, s->file, s->t, s->len,
                          s->len, "unexpected end of input");
  c = (unsigned char)s->t[i];
  if (c == 0)
    return S_error_offset(s->err, CDG_ERR_SYNTAX, s->file, s->t, s->len, i,
                          "NUL byte in input");
  if (S_utf8_len((const unsigned char *)s->t + i, s->len - i) == 0)
    return S_error_offset(s->err, CDG_ERR_SYNTAX, s->file, s->t, s->len, i,
                          "invalid UTF-8 byte 0x%02X", c);
  if (what)
    return S_error_offset(s->err, CDG_ERR_SYNTAX, s->file, s->t, s->len, i,
                          "%s", what);
  /* Some editors put a byte order mark before UTF-8 text; JSON has none. */
  if (s->len - i >= 3 && memcmp(s->t + i, "\xEF\xBB\xBF", 3) == 0)
    return S_error_offset(s->err, CDG_ERR_SYNTAX, s->file, s->t, s->len, i,
                          "byte order mark (U+FEFF): save the file as "
                          "UTF-8 without one");
  if (c < 0x20 || c >= 0x7F)
    return S_error_offset(s->err, CDG_ERR_SYNTAX, s->file, s->t, s->len, i,
                          "JSON syntax error at byte 0x%02X", c);
  return S_error_offset(s->err, CDG_ERR_SYNTAX, s->file, s->t, s->len, i,
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
  S_hex4(s->t + i + 2, cp);
  return CDG_OK;
}

/* Check the string whose opening quote is t[i]; *end: past its close. */
static cdg_status S_scan_string(const S_scan *s, size_t i, size_t *end) {
  const char *t = s->t;
  unsigned cp, lo;
  cdg_status st;
  size_t n;

  for (i++; i < s->len; i += n) {
    unsigned char c = (unsigned char)t[i];

    n = 1;
    if (c == '"') {
      *end = i + 1;
      return CDG_OK;
    }
    if (c == '\\') {
      if (i + 1 >= s->len)
        return S_syntax(s, s->len, NULL);
      n = 2;
      if (t[i + 1] && strchr("\"\\/bfnrt", t[i + 1]))
        continue;
      if (!t[i + 1] ||
          !S_utf8_len((const unsigned char *)t + i + 1, s->len - i - 1))
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
      return S_error_offset(s->err, CDG_ERR_SYNTAX, s->file, t, s->len, i,
                            "control character 0x%02X in a string", c);
    n = c ? S_utf8_len((const unsigned char *)t + i, s->len - i) : 0;
    if (n == 0)
      return S_syntax(s, i, NULL);
  }
  return S_syntax(s, s->len, NULL);
}

static int S_digit(const S_scan *s, size_t i) {
  return i < s->len && s->t[i] >= '0' && s->t[i] <= '9';
}

/* Check the number at t[i] (a '-' or a digit); *end: past it. */
static cdg_status S_scan_number(const S_scan *s, size_t i, size_t *end) {
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
  if (i < s->len && (s->t[i] == 'e' || s->t[i] == 'E')) {
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

/* What the validator expects next. */
enum { S_VALUE, S_VALUE_OR_CLOSE, S_KEY, S_KEY_OR_CLOSE, S_COLON, S_NEXT };

static cdg_status S_validate(const char *text, size_t len, const char *file,
                             cdg_error *err) {
  S_scan s;
  char stack[JSON_MAX_DEPTH]; /* '{' or '[' of each open container */
  int depth = 0, want = S_VALUE;
  size_t i = 0;
  cdg_status st;

  s.t = text;
  s.len = len;
  s.file = file;
  s.err = err;
  for (;;) {
    char c;

    i = S_skip_ws(text, len, i);
    if (i >= len)
      return S_syntax(&s, len, NULL);
    c = text[i];
    switch (want) {
    case S_KEY_OR_CLOSE:
      if (c == '}') {
        depth--;
        i++;
        break;
      }
      /* fall through */
    case S_KEY:
      if (c != '"')
        return S_syntax(&s, i, NULL);
      if ((st = S_scan_string(&s, i, &i)) != CDG_OK)
        return st;
      want = S_COLON;
      continue;
    case S_COLON:
      if (c != ':')
        return S_syntax(&s, i, NULL);
      i++;
      want = S_VALUE;
      continue;
    case S_NEXT:
      if (c == ',') {
        i++;
        want = stack[depth - 1] == '{' ? S_KEY : S_VALUE;
        continue;
      }
      if (c != (stack[depth - 1] == '{' ? '}' : ']'))
        return S_syntax(&s, i, NULL);
      depth--;
      i++;
      break;
    case S_VALUE_OR_CLOSE:
      if (c == ']') {
        depth--;
        i++;
        break;
      }
      /* fall through */
    default:
      if (c == '{' || c == '[') {
        if (depth == JSON_MAX_DEPTH)
          return S_error_offset(err, CDG_ERR_SYNTAX, file, text, len, i,
                                "nesting deeper than %d levels",
                                JSON_MAX_DEPTH);
        stack[depth++] = c;
        i++;
        want = c == '{' ? S_KEY_OR_CLOSE : S_VALUE_OR_CLOSE;
        continue;
      }
      if (c == '"')
        st = S_scan_string(&s, i, &i);
      else if (c == '-' || (c >= '0' && c <= '9'))
        st = S_scan_number(&s, i, &i);
      else
        st = S_scan_literal(&s, i, &i);
      if (st != CDG_OK)
        return st;
      break;
    }
    /* A value is complete. */
    if (depth == 0)
      break;
    want = S_NEXT;
  }
  i = S_skip_ws(text, len, i);
  if (i < len)
    return S_syntax(&s, i, "unexpected data after the JSON value");
  return CDG_OK;
}

typedef struct S_check {
  const char *text;
  size_t len;
  const char *file;
  cdg_error *err;
  char pointer[1024];
} S_check;

static int S_name_cmp(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Append a reference token to the pointer; returns the old length. */
static size_t S_push(S_check *c, const char *tok) {
  size_t old = strlen(c->pointer), n = old;

  if (n + 1 < sizeof c->pointer)
    c->pointer[n++] = '/';
  for (; *tok && n + 2 < sizeof c->pointer; tok++) {
    if (*tok == '~' || *tok == '/') {
      c->pointer[n++] = '~';
      c->pointer[n++] = *tok == '~' ? '0' : '1';
    } else {
      c->pointer[n++] = *tok;
    }
  }
  c->pointer[n] = '\0';
  return old;
}

static cdg_status S_duplicate(S_check *c, const char *name) {
  size_t obj, koff, voff;

  if (json_pointer_offset(c->text, c->len, c->pointer, &obj) == 0 &&
      S_find_member(c->text, c->len, obj, name, 2, &koff, &voff) == 0) {
    S_error_offset(c->err, CDG_ERR_SYNTAX, c->file, c->text, c->len, koff,
                   "duplicate key \"%s\"", name);
    if (c->err)
      snprintf(c->err->pointer, sizeof c->err->pointer, "%.255s", c->pointer);
    return CDG_ERR_SYNTAX;
  }
  return json_error_at(c->err, CDG_ERR_SYNTAX, c->file, c->text, c->len,
                       c->pointer, "duplicate key \"%s\"", name);
}

/* Duplicate keys and non-finite numbers, which cJSON lets through. */
static cdg_status S_check_tree(S_check *c, const cJSON *v) {
  const cJSON *ch;
  cdg_status st = CDG_OK;
  size_t n = 0, i, old;
  char idx[32];

  if (cJSON_IsNumber(v) && !isfinite(v->valuedouble))
    return json_error_at(c->err, CDG_ERR_SYNTAX, c->file, c->text, c->len,
                         c->pointer, "number out of range");
  if (cJSON_IsObject(v)) {
    const char **names;
    for (ch = v->child; ch; ch = ch->next)
      n++;
    names = cdg_calloc(n ? n : 1, sizeof *names);
    if (!names)
      return json_error(c->err, CDG_ERR_NOMEM, c->file, "out of memory");
    for (ch = v->child, i = 0; ch; ch = ch->next)
      names[i++] = ch->string;
    qsort(names, n, sizeof *names, S_name_cmp);
    for (i = 1; i < n && st == CDG_OK; i++)
      if (strcmp(names[i - 1], names[i]) == 0)
        st = S_duplicate(c, names[i]);
    cdg_free(names);
    for (ch = v->child; ch && st == CDG_OK; ch = ch->next) {
      old = S_push(c, ch->string);
      st = S_check_tree(c, ch);
      c->pointer[old] = '\0';
    }
  } else if (cJSON_IsArray(v)) {
    for (ch = v->child, i = 0; ch && st == CDG_OK; ch = ch->next, i++) {
      snprintf(idx, sizeof idx, "%zu", i);
      old = S_push(c, idx);
      st = S_check_tree(c, ch);
      c->pointer[old] = '\0';
    }
  }
  return st;
}

cdg_status json_parse(const char *text, size_t len, const char *file,
                      cJSON **out, cdg_error *err) {
  const char *end = NULL;
  cJSON *root;
  size_t off;
  cdg_status st;
  S_check check;

  *out = NULL;
  st = S_validate(text, len, file, err);
  if (st != CDG_OK)
    return st;
  cdg_alloc_failures_reset();
  root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
  if (!root) {
    if (cdg_alloc_failures_reset())
      return json_error(err, CDG_ERR_NOMEM, file, "out of memory");
    /* Valid JSON that cJSON cannot read (none known): its position. */
    off = end && end >= text ? (size_t)(end - text) : 0;
    return S_error_offset(err, CDG_ERR_SYNTAX, file, text, len, off,
                          "JSON value cJSON cannot read");
  }
  off = S_skip_ws(text, len, (size_t)(end - text));
  if (off < len) {
    cJSON_Delete(root);
    return S_error_offset(err, CDG_ERR_SYNTAX, file, text, len, off,
                          "unexpected data after the JSON value");
  }
  check.text = text;
  check.len = len;
  check.file = file;
  check.err = err;
  check.pointer[0] = '\0';
  st = S_check_tree(&check, root);
  if (st != CDG_OK) {
    cJSON_Delete(root);
    return st;
  }
  *out = root;
  return CDG_OK;
}
