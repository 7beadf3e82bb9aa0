/* json.c: JSON parsing with positions, and JSON Pointer lookups in text. */
#include <locale.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdg_limits.h"
#include "json.h"


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

cdg_status json_error_atv(cdg_error *err, cdg_status status,
                          const char *file, const char *text, size_t len,
                          const char *pointer, const char *fmt, va_list ap) {
  size_t off;

  if (!err)
    return status;
  cdg_error_setv(err, status, file, pointer, fmt, ap);
  if (text && pointer && json_pointer_offset(text, len, pointer, &off) == 0)
    json_offset_linecol(text, len, off, &err->line, &err->col);
  return status;
}

cdg_status json_error_at(cdg_error *err, cdg_status status,
                         const char *file, const char *text, size_t len,
                         const char *pointer, const char *fmt, ...) {
  va_list ap;

  va_start(ap, fmt);
  json_error_atv(err, status, file, text, len, pointer, fmt, ap);
  va_end(ap);
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
  cdg_error_setv(err, status, file, NULL, fmt, ap);
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
** Find the first member key in the object at t[i] == '{' and set *voff to
** the offset of its value. Returns 0, or -1 if absent.
*/
static int S_find_member(const char *t, size_t len, size_t i,
                         const char *key, size_t *voff) {
  i = S_skip_ws(t, len, i + 1);
  while (i < len && t[i] == '"') {
    int match = S_string_equals(t, len, i, key);

    i = S_skip_ws(t, len, S_skip_string(t, len, i));
    if (i >= len || t[i] != ':')
      return -1;
    i = S_skip_ws(t, len, i + 1);
    if (match) {
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
      if (S_find_member(text, len, i, tok, &i) != 0)
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

/*
** Scanners: each checks one token (UTF-8, NUL bytes, the grammar of RFC
** 8259) and names the first error with its exact offset. cJSON's own
** parser is not used: its error offsets are approximate (one past a bad
** key, the last byte of a truncated text), and it accepts "01" and "1.".
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
  if (json_utf8_len((const unsigned char *)s->t + i, s->len - i) == 0)
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
          !json_utf8_len((const unsigned char *)t + i + 1, s->len - i - 1))
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
    n = c ? json_utf8_len((const unsigned char *)t + i, s->len - i) : 0;
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
/*
** The parser proper: the scanners above check each token, and the tree is
** built in the same pass, through the public cJSON fields, with
** cdg_malloc (a tree as cJSON's own) or in an arena. Duplicate keys and
** numbers out of range, which cJSON would let through, are found in the
** same pass too.
** They are held until the end, so that a syntax error anywhere in the
** text is the one reported, as a validator run first would.
*/
#define JSON_SMALL_OBJECT 8 /* members compared pairwise; beyond, a hash */

typedef struct S_parse {
  S_scan s;
  int depth;                       /* open containers */
  const char *key[CDG_MAX_JSON_DEPTH]; /* member name per level; NULL: array */
  size_t index[CDG_MAX_JSON_DEPTH];    /* element index per level (arrays) */
  int held;                        /* err holds a duplicate or range error */
  json_arena *arena;               /* NULL: cdg_malloc each node and string */
  const json_arena_opts *opts;     /* with an arena */
  int in_apart;                    /* parsing a value kept apart */
} S_parse;

/*
** The arena of json_parse_arena: piles of blocks of JSON_BLOCK bytes
** (under malloc's mmap threshold, so that the pages of a freed pack are
** reused, not mapped again), or of one bigger string. Nodes and long
** strings go on one pile in document order; the values of the members
** named apart (a pack's conditions) on another; short strings (ids,
** option codes, names read by conditions) on a third, packed; what the
** caller builds from the tree on a fourth. The linter and the evaluator
** read little but the last three, and find it close together. A big pack
** has millions of nodes: a malloc and a free each cost more than the
** parse, and scattered them over the heap.
*/
#define JSON_BLOCK 65536
#define JSON_SHORT 32 /* strings of up to this many bytes are short */

typedef struct S_block {
  struct S_block *prev;
  size_t used, size;
  max_align_t data[]; /* size bytes */
} S_block;

typedef struct S_pile {
  S_block *top;
} S_pile;

struct json_arena {
  S_pile nodes, apart, shorts, more;
};

/* n bytes at a multiple of align (a power of two, at most that of
** max_align_t) from the start of a block, which is aligned for anything. */
static void *S_pile_alloc(S_pile *a, size_t n, size_t align) {
  S_block *b = a->top;
  void *r;

  if (b)
    b->used = (b->used + align - 1) & ~(align - 1);
  if (!b || b->used > b->size || b->size - b->used < n) {
    size_t size = n > JSON_BLOCK ? n : JSON_BLOCK;

    if (size > SIZE_MAX - sizeof *b || !(b = cdg_malloc(sizeof *b + size)))
      return NULL;
    b->prev = a->top;
    b->used = 0;
    b->size = size;
    a->top = b;
  }
  r = (char *)b->data + b->used;
  b->used += n;
  return r;
}

static void S_pile_free(S_pile *a) {
  S_block *b, *prev;

  for (b = a->top; b; b = prev) {
    prev = b->prev;
    cdg_free(b);
  }
}

void *json_arena_alloc(json_arena *a, size_t n) {
  void *r = S_pile_alloc(&a->more, n ? n : 1, _Alignof(max_align_t));

  if (r)
    memset(r, 0, n);
  return r;
}

size_t json_arena_size(const cJSON *c) {
  return c->valueint > 0 ? (size_t)c->valueint : 0;
}

void json_arena_free(json_arena *a) {
  if (!a)
    return;
  S_pile_free(&a->nodes);
  S_pile_free(&a->apart);
  S_pile_free(&a->shorts);
  S_pile_free(&a->more);
  cdg_free(a);
}

/* The pile for a node or a long string at this point of the parse. */
static S_pile *S_pile_of(const S_parse *p) {
  return p->in_apart ? &p->arena->apart : &p->arena->nodes;
}

/* Storage for the tree, from the arena or one cdg_malloc each: a string
** of n bytes, or a node. */
static char *S_new(const S_parse *p, size_t n) {
  if (!p->arena)
    return cdg_malloc(n);
  return S_pile_alloc(n <= JSON_SHORT ? &p->arena->shorts : S_pile_of(p), n,
                      1);
}

/* Is name in the NULL-terminated list (NULL: empty)? */
static int S_listed(const char *const *list, const char *name) {
  for (; list && *list; list++)
    if ((*list)[0] == name[0] && strcmp(*list, name) == 0)
      return 1;
  return 0;
}

static void S_drop(const S_parse *p, void *mem) {
  if (!p->arena)
    cdg_free(mem);
}

static cJSON *S_node(const S_parse *p, int type) {
  cJSON *v = p->arena ? S_pile_alloc(S_pile_of(p), sizeof *v,
                                     _Alignof(cJSON))
                      : cdg_malloc(sizeof *v);

  if (v) {
    memset(v, 0, sizeof *v);
    v->type = type;
  }
  return v;
}

static void S_delete(const S_parse *p, cJSON *v) {
  if (!p->arena)
    cJSON_Delete(v);
}

/* A names hash of a large object: open addressing over the members'
** names, which the tree owns. */
typedef struct S_names {
  const char **slot;
  size_t mask;
} S_names;

static cdg_status S_nomem(const S_parse *p) {
  return json_error(p->s.err, CDG_ERR_NOMEM, p->s.file, "out of memory");
}

/* JSON Pointers are built only for errors (see json.h). A token goes in
** whole or not at all: part of a key would name nothing. size - 1 means
** full: no later token fits either. */
size_t json_ptr_push(char *buf, size_t size, size_t n, const char *tok) {
  size_t need = 1;
  const char *t;

  for (t = tok; *t; t++)
    need += *t == '~' || *t == '/' ? 2 : 1;
  if (n + need >= size)
    return size - 1;
  buf[n++] = '/';
  for (; *tok; tok++) {
    if (*tok == '~' || *tok == '/') {
      buf[n++] = '~';
      buf[n++] = *tok == '~' ? '0' : '1';
    } else {
      buf[n++] = *tok;
    }
  }
  buf[n] = '\0';
  return n;
}

size_t json_ptr_append(char *buf, size_t size, size_t n, const char *ptr) {
  size_t len;

  buf[n] = '\0';
  while (*ptr == '/') {
    len = 1 + strcspn(ptr + 1, "/");
    if (n + len >= size)
      return size - 1;
    memcpy(buf + n, ptr, len);
    buf[n += len] = '\0';
    ptr += len;
  }
  return n;
}

/* The JSON Pointer of the first depth levels of the path being parsed.
** Built only for an error, never during the walk. */
static void S_pointer(const S_parse *p, int depth, char *buf, size_t size) {
  char idx[32];
  size_t n = 0;
  int d;

  buf[0] = '\0';
  for (d = 0; d < depth; d++) {
    if (p->key[d]) {
      n = json_ptr_push(buf, size, n, p->key[d]);
    } else {
      snprintf(idx, sizeof idx, "%zu", p->index[d]);
      n = json_ptr_push(buf, size, n, idx);
    }
  }
}

/* Hold the first duplicate key: name at koff, in the innermost object. */
static void S_hold_duplicate(S_parse *p, size_t koff, const char *name) {
  if (p->held++ || !p->s.err)
    return;
  S_error_offset(p->s.err, CDG_ERR_SYNTAX, p->s.file, p->s.t, p->s.len, koff,
                 "duplicate key \"%s\"", name);
  S_pointer(p, p->depth - 1, p->s.err->pointer, sizeof p->s.err->pointer);
}

/* Hold the first number out of range: the value at off. */
static void S_hold_range(S_parse *p, size_t off) {
  if (p->held++ || !p->s.err)
    return;
  S_error_offset(p->s.err, CDG_ERR_SYNTAX, p->s.file, p->s.t, p->s.len, off,
                 "number out of range");
  S_pointer(p, p->depth, p->s.err->pointer, sizeof p->s.err->pointer);
}

/* Insert name; 1 if it was there already. */
static int S_names_put(S_names *h, const char *name) {
  size_t i = json_hash(name) & h->mask;

  for (; h->slot[i]; i = (i + 1) & h->mask)
    if (strcmp(h->slot[i], name) == 0)
      return 1;
  h->slot[i] = name;
  return 0;
}

/*
** Is name already among the n members of obj? Up to JSON_SMALL_OBJECT
** members, compare pairwise; beyond, keep the names hashed in h (rebuilt
** at twice the size when half full), so a huge object stays linear.
*/
static cdg_status S_seen(const S_parse *p, const cJSON *obj, size_t n,
                         const char *name, S_names *h, int *dup) {
  const cJSON *c;

  *dup = 0;
  if (n < JSON_SMALL_OBJECT) {
    for (c = obj->child; c && !*dup; c = c->next)
      *dup = strcmp(c->string, name) == 0;
    return CDG_OK;
  }
  if (!h->slot || (n + 1) * 2 > h->mask + 1) {
    size_t cap = 4 * JSON_SMALL_OBJECT;

    while (cap < 4 * (n + 1))
      cap *= 2;
    cdg_free(h->slot);
    h->slot = cdg_calloc(cap, sizeof *h->slot);
    if (!h->slot)
      return S_nomem(p);
    h->mask = cap - 1;
    for (c = obj->child; c; c = c->next)
      S_names_put(h, c->string);
  }
  *dup = S_names_put(h, name);
  return CDG_OK;
}

/* Decode the checked string t[i..end) (quotes included) into a new
** buffer: no longer than the text, since no escape decodes longer. */
static cdg_status S_string(const S_parse *p, size_t i, size_t end,
                           char **out) {
  const char *t = p->s.t, *stop = t + end - 1, *r = t + i + 1, *bs;
  char *buf = S_new(p, end - i - 1), *w = buf;
  unsigned cp, lo;

  if (!buf)
    return S_nomem(p);
  while (r < stop) {
    bs = memchr(r, '\\', (size_t)(stop - r));
    if (!bs)
      bs = stop;
    memcpy(w, r, (size_t)(bs - r));
    w += bs - r;
    if (bs == stop)
      break;
    r = bs + 2;
    switch (bs[1]) {
    case 'b': *w++ = '\b'; break;
    case 'f': *w++ = '\f'; break;
    case 'n': *w++ = '\n'; break;
    case 'r': *w++ = '\r'; break;
    case 't': *w++ = '\t'; break;
    case 'u':
      S_hex4(bs + 2, &cp);
      r = bs + 6;
      if (cp >= 0xD800 && cp <= 0xDBFF) { /* paired: checked by the scan */
        S_hex4(bs + 8, &lo);
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        r = bs + 12;
      }
      if (cp < 0x80) {
        *w++ = (char)cp;
      } else if (cp < 0x800) {
        *w++ = (char)(0xC0 | (cp >> 6));
        *w++ = (char)(0x80 | (cp & 0x3F));
      } else if (cp < 0x10000) {
        *w++ = (char)(0xE0 | (cp >> 12));
        *w++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *w++ = (char)(0x80 | (cp & 0x3F));
      } else {
        *w++ = (char)(0xF0 | (cp >> 18));
        *w++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *w++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *w++ = (char)(0x80 | (cp & 0x3F));
      }
      break;
    default: *w++ = bs[1]; break; /* " \ / */
    }
  }
  *w = '\0';
  *out = buf;
  return CDG_OK;
}

/* The value of the checked number t[i..end), read whole (cJSON reads at
** most 63 characters of it), with the locale's decimal point as cJSON. */
static cdg_status S_number(const S_parse *p, size_t i, size_t end,
                           double *out) {
  char small[64], *buf = small, *dot;
  size_t n = end - i;

  if (n >= sizeof small && !(buf = cdg_malloc(n + 1)))
    return S_nomem(p);
  memcpy(buf, p->s.t + i, n);
  buf[n] = '\0';
  if ((dot = memchr(buf, '.', n)) != NULL)
    *dot = localeconv()->decimal_point[0];
  *out = strtod(buf, NULL);
  if (buf != small)
    cdg_free(buf);
  return CDG_OK;
}

/*
** Member names that recur in every pack (its fields, and the JsonLogic
** operators it uses most) are not copied per member: the member points to
** the constant here and is marked cJSON_StringIsConst, which cJSON_Delete,
** cJSON_Duplicate and the cJSON_Add* functions honour. A big pack has
** millions of members, and this saves an allocation for most of them.
*/
typedef struct S_key {
  const char *s;
  size_t n;
} S_key;

#define S_K(s) {s, sizeof s - 1}
static const S_key S_keys[] = {
    S_K("id"),        S_K("type"),        S_K("text"),     S_K("code"),
    S_K("label"),     S_K("help"),        S_K("options"),  S_K("var"),
    S_K("=="),        S_K("enable_when"), S_K("passages"), S_K("when"),
    S_K("cite"),      S_K("because"),     S_K("required"), S_K("exclusive"),
    S_K("min"),       S_K("max"),         S_K("in"),       S_K("and"),
    S_K("or"),        S_K("!"),           S_K("if"),       S_K("!="),
    S_K("==="),       S_K("!=="),         S_K("<"),        S_K("<="),
    S_K(">"),         S_K(">="),          S_K("missing"),  S_K("version"),
    S_K("title"),     S_K("source"),      S_K("questions"), S_K("rules"),
    S_K("publisher"), S_K("sha256")};
#undef S_K

/* The constant for the name whose text (no escapes) is raw[0..n), or
** NULL. */
static const char *S_const_key(const char *raw, size_t n) {
  size_t k;

  for (k = 0; k < sizeof S_keys / sizeof *S_keys; k++)
    if (S_keys[k].n == n && S_keys[k].s[0] == raw[0] &&
        memcmp(S_keys[k].s, raw, n) == 0)
      return S_keys[k].s;
  return NULL;
}

/* The member name of the checked string t[i..end): a constant (*konst
** set) or a new copy. */
static cdg_status S_key_name(const S_parse *p, size_t i, size_t end,
                             char **out, int *konst) {
  const char *raw = p->s.t + i + 1, *k;
  size_t n = end - i - 2;

  *konst = 0;
  /* 11: the longest name in S_keys, "enable_when". */
  if (n > 0 && n <= 11 && !memchr(raw, '\\', n) &&
      (k = S_const_key(raw, n)) != NULL) {
    *out = (char *)k; /* never written nor freed: cJSON_StringIsConst */
    *konst = 1;
    return CDG_OK;
  }
  return S_string(p, i, end, out);
}

static cdg_status S_value(S_parse *p, size_t *pos, cJSON **out);

/* The object or array at t[*pos]; *pos: past its close. */
static cdg_status S_container(S_parse *p, size_t *pos, cJSON **out) {
  const char *t = p->s.t;
  size_t len = p->s.len, i = *pos, n = 0, koff;
  int obj = t[i] == '{', d = p->depth, dup, konst = 0, apart;
  char close = obj ? '}' : ']', *name;
  cJSON *node, *item;
  S_names names = {NULL, 0};
  cdg_status st = CDG_OK;

  if (d == CDG_MAX_JSON_DEPTH)
    return S_error_offset(p->s.err, CDG_ERR_SYNTAX, p->s.file, t, len, i,
                          "nesting deeper than %d levels", CDG_MAX_JSON_DEPTH);
  node = S_node(p, obj ? cJSON_Object : cJSON_Array);
  if (!node)
    return S_nomem(p);
  p->depth++;
  p->key[d] = NULL;
  p->index[d] = 0;
  i = S_skip_ws(t, len, i + 1);
  if (i < len && t[i] == close) {
    i++;
  } else {
    for (;;) {
      name = NULL;
      if (obj) {
        koff = i;
        if (i >= len || t[i] != '"') {
          st = S_syntax(&p->s, i, NULL);
          break;
        }
        if ((st = S_scan_string(&p->s, i, &i)) ||
            (st = S_key_name(p, koff, i, &name, &konst)))
          break;
        if ((st = S_seen(p, node, n, name, &names, &dup))) {
          if (!konst)
            S_drop(p, name);
          break;
        }
        if (dup)
          S_hold_duplicate(p, koff, name);
        p->key[d] = name;
        i = S_skip_ws(t, len, i);
        if (i >= len || t[i] != ':') {
          if (!konst)
            S_drop(p, name);
          st = S_syntax(&p->s, i, NULL);
          break;
        }
        i++;
      }
      apart = name && p->opts && !p->in_apart &&
              S_listed(p->opts->apart, name);
      p->in_apart |= apart;
      st = S_value(p, &i, &item);
      p->in_apart &= !apart;
      if (st) {
        if (!konst)
          S_drop(p, name);
        break;
      }
      /* Link as cJSON does: the first child's prev is the last child. */
      item->string = name;
      if (konst)
        item->type |= cJSON_StringIsConst;
      if (node->child) {
        node->child->prev->next = item;
        item->prev = node->child->prev;
      } else {
        node->child = item;
      }
      node->child->prev = item;
      p->index[d] = ++n;
      /* An item of an array that is a member of the root, as listed. */
      if (!obj && d == 1 && p->key[0] && p->opts && p->opts->fn &&
          S_listed(p->opts->each, p->key[0]))
        p->opts->fn(p->opts->ctx, p->key[0], n - 1, item);
      i = S_skip_ws(t, len, i);
      if (i < len && t[i] == ',') {
        i = S_skip_ws(t, len, i + 1);
        continue;
      }
      if (i < len && t[i] == close)
        i++;
      else
        st = S_syntax(&p->s, i, NULL);
      break;
    }
  }
  cdg_free(names.slot);
  p->depth--;
  if (st) {
    S_delete(p, node);
    return st;
  }
  if (p->arena) /* json_arena_size; a text that long cannot be in memory */
    node->valueint = n < INT_MAX ? (int)n : INT_MAX;
  *pos = i;
  *out = node;
  return CDG_OK;
}

/* The value at t[*pos], after white space; *pos: past it. */
static cdg_status S_value(S_parse *p, size_t *pos, cJSON **out) {
  const char *t = p->s.t;
  size_t i = S_skip_ws(t, p->s.len, *pos), end = i;
  cJSON *v;
  char *str, c;
  double num = 0;
  cdg_status st;

  if (i >= p->s.len)
    return S_syntax(&p->s, i, NULL);
  c = t[i];
  if (c == '{' || c == '[') {
    *pos = i;
    return S_container(p, pos, out);
  }
  if (c == '"') {
    if ((st = S_scan_string(&p->s, i, &end)) ||
        (st = S_string(p, i, end, &str)))
      return st;
    v = S_node(p, cJSON_String);
    if (v)
      v->valuestring = str; /* the tree owns it now */
    else
      S_drop(p, str);
  } else if (c == '-' || (c >= '0' && c <= '9')) {
    if ((st = S_scan_number(&p->s, i, &end)) ||
        (st = S_number(p, i, end, &num)))
      return st;
    if (!isfinite(num))
      S_hold_range(p, i);
    if ((v = S_node(p, cJSON_Number)) != NULL)
      cJSON_SetNumberValue(v, num);
  } else {
    if ((st = S_scan_literal(&p->s, i, &end)))
      return st;
    v = S_node(p, c == 't' ? cJSON_True : c == 'f' ? cJSON_False : cJSON_NULL);
  }
  if (!v)
    return S_nomem(p);
  *pos = end;
  *out = v;
  return CDG_OK;
}

/* Parse with p->arena set: the rest of p is set here. */
static cdg_status S_parse_all(S_parse *p, const char *text, size_t len,
                              const char *file, cJSON **out,
                              cdg_error *err) {
  cJSON *root = NULL;
  size_t i = 0;
  cdg_status st;

  *out = NULL;
  p->s.t = text;
  p->s.len = len;
  p->s.file = file;
  p->s.err = err;
  p->depth = 0;
  p->held = 0;
  st = S_value(p, &i, &root);
  if (!st) {
    i = S_skip_ws(text, len, i);
    if (i < len)
      st = S_syntax(&p->s, i, "unexpected data after the JSON value");
    else if (p->held)
      st = CDG_ERR_SYNTAX;
  }
  if (st) {
    S_delete(p, root);
    return st;
  }
  *out = root;
  return CDG_OK;
}

cdg_status json_parse(const char *text, size_t len, const char *file,
                      cJSON **out, cdg_error *err) {
  S_parse p;

  p.arena = NULL;
  p.opts = NULL;
  p.in_apart = 0;
  return S_parse_all(&p, text, len, file, out, err);
}

cdg_status json_parse_arena(const char *text, size_t len, const char *file,
                            const json_arena_opts *opts, cJSON **out,
                            json_arena **arena, cdg_error *err) {
  S_parse p;
  cdg_status st;

  p.opts = opts;
  p.in_apart = 0;
  *out = NULL;
  *arena = p.arena = cdg_calloc(1, sizeof *p.arena);
  if (!p.arena)
    return json_error(err, CDG_ERR_NOMEM, file, "out of memory");
  st = S_parse_all(&p, text, len, file, out, err);
  if (st) {
    json_arena_free(p.arena);
    *arena = NULL;
  }
  return st;
}

cdg_status cdg_json_check(const char *text, size_t len, const char *file,
                          cdg_error *err) {
  cJSON *root;
  cdg_status st = json_parse(text, len, file, &root, err);

  if (st == CDG_OK)
    cJSON_Delete(root);
  return st;
}

int cdg_json_locate(const char *text, size_t len, const char *pointer,
                    int *line, int *col) {
  size_t off;

  if (json_pointer_offset(text, len, pointer, &off) != 0)
    return -1;
  json_offset_linecol(text, len, off, line, col);
  return 0;
}

const cJSON *json_get(const cJSON *root, const char *pointer) {
  char tok[256];
  const char *p = pointer;

  if (*p && *p != '/')
    return NULL;
  while (root && *p == '/') {
    p = S_pointer_token(p + 1, tok, sizeof tok);
    if (cJSON_IsObject(root)) {
      root = cJSON_GetObjectItemCaseSensitive(root, tok);
    } else if (cJSON_IsArray(root)) {
      char *end;
      unsigned long i = strtoul(tok, &end, 10);
      root = *tok && !*end && i <= INT_MAX ? cJSON_GetArrayItem(root, (int)i)
                                           : NULL;
    } else {
      root = NULL;
    }
  }
  return root;
}
