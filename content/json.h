/*
** json.h: internal JSON helpers shared by the loaders of libcdguide.
**
** Parsing with positions: cJSON keeps none, so errors are turned into
** line:col from byte offsets (json_parse's own, or a scan of the text for
** a JSON Pointer), as jq's locfile does. json_parse builds the cJSON tree
** itself; cJSON stays the tree and the printer.
*/
#ifndef CDG_JSON_H
#define CDG_JSON_H

#include <cjson/cJSON.h>

#include "cdg_base.h"
#include "cdg_content.h"

/*
** Parse text (not necessarily NUL-terminated) into a tree. Rejects invalid
** UTF-8, NUL bytes, duplicate object keys, non-finite numbers, trailing
** data and nesting deeper than 256 levels, with file:line:col in err.
** Caller frees the tree with cJSON_Delete.
*/
cdg_status json_parse(const char *text, size_t len, const char *file,
                      cJSON **out, cdg_error *err);

/*
** As json_parse, but the nodes and strings of the tree live in one arena,
** *arena (NULL after a failure), freed at once with json_arena_free. The
** tree must not be given to cJSON_Delete nor changed with cJSON's add,
** detach or replace functions; reading and printing it are fine. For big
** trees kept whole, such as a pack's. opts (may be NULL; its lists are
** NULL-terminated, or NULL) asks for more, for big trees read again:
** - apart: members (at any depth) whose values are kept together, apart
**   from the rest, for walks that read only them;
** - each, fn, ctx: for every item of an array that is the value of a
**   member of the root object named in each, fn(ctx, member, index,
**   item) as soon as the item is parsed, while it is in cache. The item
**   is complete; the parse may still fail later.
*/
typedef struct json_arena json_arena;
typedef struct json_arena_opts {
  const char *const *apart;
  const char *const *each;
  void (*fn)(void *ctx, const char *member, size_t index, cJSON *item);
  void *ctx;
} json_arena_opts;
cdg_status json_parse_arena(const char *text, size_t len, const char *file,
                            const json_arena_opts *opts, cJSON **out,
                            json_arena **arena, cdg_error *err);
void json_arena_free(json_arena *arena);

/* n zeroed bytes, aligned for any type, freed with the arena; NULL when
** out of memory. For what is built from the tree and read with it. */
void *json_arena_alloc(json_arena *arena, size_t n);

/* The number of items of an array or object of an arena tree, counted by
** the parse (cJSON_GetArraySize walks them: on a big pack, a cache miss
** per item). */
size_t json_arena_size(const cJSON *container);

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

/* Fill err with a message only (no position). Returns status. The base
** layer's error builder; the name stays for its callers. */
#define json_error(err, status, file, ...)                                 \
  cdg_error_set(err, status, file, NULL, __VA_ARGS__)

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

/* The base layer's string hash and UTF-8 decoder (cdg_base.h), under the
** names their callers still use. */
#define json_hash cdg_hash
static inline size_t json_utf8_len(const unsigned char *s, size_t avail) {
  return cdg_utf8_decode((const char *)s, avail, NULL);
}

/* The value at a JSON Pointer in a tree, or NULL. Borrowed from root. */
const cJSON *json_get(const cJSON *root, const char *pointer);

#endif
