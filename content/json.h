/*
** json.h: internal JSON helpers shared by the loaders of libcdguide.
**
** Parsing with positions: cJSON keeps none, so the text is first checked
** by a validating scan of our own (json_scan.c), which names the first
** error with its exact line:col and JSON Pointer, and only then parsed by
** cJSON_ParseWithLength into cJSON's own tree, as cJSON makes it. Errors
** found later are turned into line:col by scanning the text for a JSON
** Pointer (json_ptr.c), as jq's locfile does.
*/
#ifndef CDG_JSON_H
#define CDG_JSON_H

#include <cjson/cJSON.h>

#include "cdg_base.h"
#include "cdg_content.h"

/*
** Parse text (not necessarily NUL-terminated) into a cJSON tree. Rejects
** invalid UTF-8, NUL bytes, duplicate object keys, non-finite numbers,
** trailing data and nesting deeper than CDG_MAX_JSON_DEPTH levels, with
** file:line:col in err. Numbers are read whole, however long. Caller frees
** the tree with cJSON_Delete.
*/
cdg_status json_parse(const char *text, size_t len, const char *file,
                      cJSON **out, cdg_error *err);

/*
** A store of cJSON trees made in an arena (json_store.c): cJSON's own
** parse, its nodes and strings in the store, all freed at once with it.
** A tree of a store must never be given to cJSON_Delete; it is handed
** out as const cJSON * so that doing so takes a cast.
*/
typedef struct json_store json_store;

/* A new, empty store, or NULL when out of memory. */
json_store *json_store_create(void);
/* Frees the store and every tree in it; NULL is a harmless no-op. */
void json_store_free(json_store *s);
/* The bytes the store holds from the allocator. */
size_t json_store_bytes(const json_store *s);
/* cJSON_ParseWithLength, the tree in s; NULL when out of memory or when
** cJSON refuses the text (call json_parse_in, which scans it first). */
const cJSON *json_store_parse(json_store *s, const char *text, size_t len);
/* A deep copy of v in s (cJSON_Duplicate), or NULL when out of memory. */
const cJSON *json_store_copy(json_store *s, const cJSON *v);
/* A copy of str in s, or NULL when out of memory. */
const char *json_store_strdup(json_store *s, const char *str);
/* An empty object in s, to build with json_store_add; still a tree of
** the store. NULL when out of memory. */
cJSON *json_store_object(json_store *s);
/* Add to obj the member whose key is the JSON string key (klen bytes,
** quotes included) and whose value is the JSON text val (vlen bytes),
** both checked by a scan: 0, or -1 when out of memory. */
int json_store_add(json_store *s, cJSON *obj, const char *key, size_t klen,
                   const char *val, size_t vlen);

/* json_parse, the tree in store. */
cdg_status json_parse_in(json_store *store, const char *text, size_t len,
                         const char *file, const cJSON **out,
                         cdg_error *err);

/*
** A scanned text, for a reader that parses it a part at a time: the
** members of the root object (key: offset of the key's opening quote)
** and, after each member whose value is an array, that array's items
** (key: SIZE_MAX), each item that is an object followed by those of its
** members whose values are objects (key: its offset; they start inside
** the item, where a member of the root cannot), in text order; start and
** end bound the value. Parse a part from src (the text, or a copy where
** numbers too long for cJSON are rewritten at the same offsets).
*/
typedef struct json_span {
  size_t key, start, end;
} json_span;

typedef struct json_doc {
  const char *src;
  char *copy;        /* src when it is a copy, else NULL */
  json_span *span;
  size_t nspan;
} json_doc;

/* The validating scan of json_parse, and the spans into *doc; free with
** json_doc_free (also after an error: *doc is then empty). */
cdg_status json_scan_doc(const char *text, size_t len, const char *file,
                         json_doc *doc, cdg_error *err);
void json_doc_free(json_doc *doc);

/* cJSON's allocation hooks, installed by cdg_set_allocator and before
** the first store is used: into the store this thread has open, else
** cdg_malloc and cdg_free. */
void *json_hook_malloc(size_t n);
void json_hook_free(void *p);

/* Convert a byte offset into 1-based line and column (columns count
** characters, not bytes). */
void json_offset_linecol(const char *text, size_t len, size_t offset,
                         int *line, int *col);

/*
** Find the byte offset where the value at a JSON Pointer starts in text,
** by scanning it. Returns 0 and sets *offset, or -1 if not found.
*/
int json_pointer_offset(const char *text, size_t len, const char *pointer,
                        size_t *offset);

/*
** json_pointer_offset and json_offset_linecol for n pointers at once, in
** about one pass over text (pointers into top-level arrays are found
** through one scan of each array): line[k] and col[k] get the position of
** pointers[k], or 0 when it is NULL or not found. known, when not NULL,
** gives offsets already known: known[k] other than SIZE_MAX is the offset
** of pointers[k], which is then not looked for (a caller that kept where
** its values start spares the scan). 0, or -1 when out of memory
** (nothing set).
*/
int json_pointers_linecol(const char *text, size_t len,
                          const char *const *pointers, const size_t *known,
                          size_t n, int *line, int *col);

/*
** Fill err with message (printf-style) for the value at pointer in text:
** file, pointer, and line:col where the scan finds it. Returns status.
*/
cdg_status json_error_at(cdg_error *err, cdg_status status,
                         const char *file, const char *text, size_t len,
                         const char *pointer, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;

/* json_error_at with a va_list, for callers with their own variadic
** front (pack_error_at). */
cdg_status json_error_atv(cdg_error *err, cdg_status status,
                          const char *file, const char *text, size_t len,
                          const char *pointer, const char *fmt, va_list ap);

/* Fill err with a message for the byte offset off of text, as line:col.
** Returns status. */
cdg_status json_error_offset(cdg_error *err, cdg_status status,
                             const char *file, const char *text, size_t len,
                             size_t off, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;

/* The value of the 4 hex digits at s into *out: 0, or -1 when one is
** not a hex digit. */
static inline int json_hex4(const char *s, unsigned *out) {
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
** Append "/" and tok, escaped as RFC 6901 says ("~" as "~0", "/" as "~1"),
** to the pointer of n bytes in buf (size > 0); returns the new length. A
** token that does not fit whole is left out and size - 1 returned, so that
** no later one fits either: the pointer names the deepest ancestor that
** fits. Every JSON Pointer of the library with a key in it is built, or
** cut to fit, with these two.
*/
size_t json_ptr_push(char *buf, size_t size, size_t n, const char *tok);

/* Append the tokens of ptr, a JSON Pointer ("" or "/a/b"), in the same
** way: whole, or from the first that does not fit, none. */
size_t json_ptr_append(char *buf, size_t size, size_t n, const char *ptr);

/* The value at a JSON Pointer in a tree, or NULL. Borrowed from root. */
const cJSON *json_get(const cJSON *root, const char *pointer);

#endif
