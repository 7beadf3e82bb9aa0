/*
** json_ptr.c: positions in JSON text and JSON Pointers: byte offsets as
** line:col, the errors that carry them, building pointers for errors,
** and finding the value at a pointer in text (for line:col) or in a tree.
** The validating scan and the parse are in json_scan.c.
*/
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

cdg_status json_error_offset(cdg_error *err, cdg_status status,
                             const char *file, const char *text, size_t len,
                             size_t off, const char *fmt, ...) {
  va_list ap;

  if (!err)
    return status;
  va_start(ap, fmt);
  cdg_error_setv(err, status, file, NULL, fmt, ap);
  va_end(ap);
  json_offset_linecol(text, len, off, &err->line, &err->col);
  return status;
}

/* ---- A small scanner over text that the parse has accepted ----------- */

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
        if (i + 4 >= len || json_hex4(t + i + 1, &cp) != 0)
          return 0;
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 < len && t[i + 1] == '\\' &&
            t[i + 2] == 'u') {
          unsigned lo;
          if (json_hex4(t + i + 3, &lo) == 0 && lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
          }
        }
        n = cdg_wtf8_encode(cp, (char *)enc); /* a lone surrogate too */
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

/* The value at pointer, from the value at text[i]. */
static int S_resolve(const char *text, size_t len, size_t i,
                     const char *pointer, size_t *offset) {
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

int json_pointer_offset(const char *text, size_t len, const char *pointer,
                        size_t *offset) {
  return S_resolve(text, len, S_skip_ws(text, len, 0), pointer, offset);
}

/* ---- Many pointers at once -------------------------------------------- */

/* The elements of one top-level array, found once: most pointers of a
** pack's findings start /questions/N or /rules/N. */
typedef struct S_arr {
  char key[64];
  size_t *off, n;
  int found;
} S_arr;

#define S_NARR 4

/* Offsets of the elements of the top-level member key (an array). */
static int S_arr_scan(const char *text, size_t len, S_arr *a) {
  size_t i = S_skip_ws(text, len, 0), cap = 0;

  a->n = 0;
  a->off = NULL;
  if (i >= len || text[i] != '{' || S_find_member(text, len, i, a->key, &i) ||
      i >= len || text[i] != '[')
    return 0;
  i = S_skip_ws(text, len, i + 1);
  while (i < len && text[i] != ']') {
    if (cdg_grow(&a->off, a->n, &cap, sizeof *a->off) < 0) {
      cdg_free(a->off);
      a->off = NULL;
      a->n = 0;
      return -1;
    }
    a->off[a->n++] = i;
    i = S_skip_ws(text, len, S_skip_value(text, len, i));
    if (i < len && text[i] == ',')
      i = S_skip_ws(text, len, i + 1);
    else
      break;
  }
  return 0;
}

/* The offset of pointer through the cache of top-level arrays: 0, -1
** when not found, -2 when out of memory. */
static int S_cached(const char *text, size_t len, S_arr *arr, size_t *narr,
                    const char *pointer, size_t *offset) {
  const char *p, *rest;
  char tok[64];
  size_t k, n;
  unsigned long idx;

  if (pointer[0] != '/')
    return json_pointer_offset(text, len, pointer, offset);
  p = S_pointer_token(pointer + 1, tok, sizeof tok);
  if (*p != '/' || strlen(tok) >= sizeof tok - 1 || strchr(pointer + 1, '~'))
    return json_pointer_offset(text, len, pointer, offset);
  n = strspn(p + 1, "0123456789");
  rest = p + 1 + n;
  if (n == 0 || (n > 1 && p[1] == '0') || (*rest && *rest != '/'))
    return json_pointer_offset(text, len, pointer, offset);
  for (k = 0; k < *narr && strcmp(arr[k].key, tok) != 0; k++)
    ;
  if (k == *narr) {
    if (k == S_NARR)
      return json_pointer_offset(text, len, pointer, offset);
    memcpy(arr[k].key, tok, strlen(tok) + 1);
    if (S_arr_scan(text, len, &arr[k]) < 0)
      return -2;
    (*narr)++;
  }
  idx = strtoul(p + 1, NULL, 10);
  if (idx >= arr[k].n)
    return -1;
  return S_resolve(text, len, arr[k].off[idx], rest, offset);
}

typedef struct S_at {
  size_t off, i;
} S_at;

static int S_at_cmp(const void *pa, const void *pb) {
  const S_at *a = pa, *b = pb;

  return a->off < b->off ? -1 : a->off > b->off;
}

int json_pointers_linecol(const char *text, size_t len,
                          const char *const *pointers, const size_t *known,
                          size_t n, int *line, int *col) {
  S_arr arr[S_NARR];
  size_t narr = 0, k, m = 0, i = 0;
  S_at *at = cdg_malloc((n ? n : 1) * sizeof *at);
  int l = 1, c = 1, rc = 0;

  if (!at)
    return -1;
  for (k = 0; k < n && rc != -2; k++) {
    line[k] = col[k] = 0;
    if (known && known[k] != SIZE_MAX)
      at[m].off = known[k];
    else if (!pointers[k] ||
             (rc = S_cached(text, len, arr, &narr, pointers[k], &at[m].off)))
      continue;
    at[m++].i = k;
  }
  for (k = 0; k < narr; k++)
    cdg_free(arr[k].off);
  if (rc == -2) {
    cdg_free(at);
    return -1;
  }
  /* One sweep over the text, the offsets in order: lines by memchr,
  ** characters counted on the last line before each offset only. */
  qsort(at, m, sizeof *at, S_at_cmp);
  for (k = 0; k < m; k++) {
    const char *p = text + i, *end = text + (at[k].off < len ? at[k].off : len);
    const char *nl;

    while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
      l++;
      c = 1;
      p = nl + 1;
    }
    for (; p < end; p++)
      c += ((unsigned char)*p & 0xC0) != 0x80;
    i = (size_t)(end - text);
    line[at[k].i] = l;
    col[at[k].i] = c;
  }
  cdg_free(at);
  return 0;
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
