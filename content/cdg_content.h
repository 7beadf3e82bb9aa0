/*
** cdg_content.h: public API of the content layer of libcdguide.
**
** The lower layer of the library: the status codes, error record and
** allocator shared by the whole library, and the passage store (the guidance
** text divided into passages, checked against the source, with its SHA-256).
**
** Ownership: every pointer a function returns is borrowed from the handle it
** came from and stays valid until that handle is freed, unless the comment
** says "caller frees with cdg_free". No function prints or exits.
*/
#ifndef CDG_CONTENT_H
#define CDG_CONTENT_H

#include <stddef.h>

#define CDG_VERSION "0.1.0"

/* The library version, the same string as CDG_VERSION. */
const char *cdg_version(void);

typedef enum cdg_status {
  CDG_OK = 0,         /* Success */
  CDG_ERR_NOMEM,      /* An allocation failed */
  CDG_ERR_SYNTAX,     /* Malformed JSON or invalid UTF-8 */
  CDG_ERR_PACK,       /* A pack or passage file breaks the format */
  CDG_ERR_ANSWER,     /* An answer or answers file is not valid */
  CDG_ERR_LOGIC,      /* A JsonLogic expression is not valid */
  CDG_ERR_NOTFOUND,   /* A file or id does not exist */
  CDG_ERR_IO,         /* Reading a file failed */
  CDG_ERR_STATE       /* The call does not fit the state (e.g. back at start) */
} cdg_status;

/* A short English name of a status, e.g. "out of memory". Never NULL. */
const char *cdg_status_str(cdg_status st);

/*
** A caller-owned error record. Functions that take one fill it on failure.
** line and col are 1-based, 0 when unknown; pointer is a JSON Pointer
** ("/questions/3/options/1/code") or "" when it does not apply.
*/
typedef struct cdg_error {
  char file[256];
  int line;
  int col;
  char pointer[256];
  char message[512];
} cdg_error;

/* Empty the record; NULL is a harmless no-op. */
void cdg_error_clear(cdg_error *err);

/*
** Write the record as one line, "file:line:col: message", leaving out the
** parts that are unknown, with " (at POINTER)" when there is a pointer.
** err must not be NULL. Returns what snprintf returns.
*/
int cdg_error_format(const cdg_error *err, char *buf, size_t size);

/*
** The allocator used by the whole library and by cJSON. Passing NULLs
** restores malloc/realloc/free. Not thread-safe; call before other use.
*/
typedef struct cdg_allocator {
  void *(*malloc_fn)(size_t size);
  void *(*realloc_fn)(void *ptr, size_t size);
  void (*free_fn)(void *ptr);
} cdg_allocator;

void cdg_set_allocator(const cdg_allocator *alloc);

/* Free memory the library returned with "caller frees with cdg_free";
** NULL is a harmless no-op. */
void cdg_free(void *ptr);

/*
** Allocate through the allocator above, so callers' memory fails and is
** counted like the library's. NULL on failure; free with cdg_free. A size
** of 0 allocates one byte. cdg_strdup copies s, which must not be NULL.
*/
void *cdg_malloc(size_t size);
void *cdg_realloc(void *ptr, size_t size);
void *cdg_calloc(size_t n, size_t size);
char *cdg_strdup(const char *s);

/* ---- JSON text -------------------------------------------------------- */

/*
** Check that text is one well-formed JSON value as the library reads it:
** RFC 8259 grammar, UTF-8, no NUL, no duplicate keys, finite numbers,
** bounded nesting. Returns CDG_ERR_SYNTAX (or CDG_ERR_NOMEM); err, if not
** NULL, then holds file:line:col and the message.
*/
cdg_status cdg_json_check(const char *text, size_t len, const char *file,
                          cdg_error *err);

/*
** The 1-based line and column (in characters) where the value at JSON
** Pointer pointer starts in text. Returns 0, or -1 if there is none.
*/
int cdg_json_locate(const char *text, size_t len, const char *pointer,
                    int *line, int *col);

/*
** SHA-256 of a buffer as 64 lower-case hex digits and a NUL (nettle).
*/
void cdg_sha256_hex(const void *data, size_t len, char out[65]);

/* ---- Passage store ---------------------------------------------------- */

typedef struct cdg_passages cdg_passages;

/*
** The passages compiled into the program (content/passages.json checked
** against the compiled-in source text). Caller frees with
** cdg_passages_free.
*/
cdg_status cdg_passages_builtin(cdg_passages **out, cdg_error *err);

/*
** Load passages from JSON text and check every passage against the source
** text: each must be an exact substring (runs of white space, including
** U+00A0, may differ), and source.sha256 must be the source's hash. file
** names the JSON in errors. Returns CDG_ERR_SYNTAX for bad JSON,
** CDG_ERR_PACK for a format or fidelity error, CDG_ERR_STATE if json,
** source or out is NULL. Caller frees *out with cdg_passages_free.
*/
cdg_status cdg_passages_load(const char *json, size_t json_len,
                             const char *file, const char *source,
                             size_t source_len, cdg_passages **out,
                             cdg_error *err);

/* Frees the store; NULL is a harmless no-op. */
void cdg_passages_free(cdg_passages *ps);

/* The number of passages, in source order. */
size_t cdg_passages_count(const cdg_passages *ps);

/* Index of the passage with this id, or -1 (also for NULL ps or id). */
long cdg_passages_find(const cdg_passages *ps, const char *id);

/* Fields of passage i (0 <= i < count). Borrowed: NULL (or 0) when ps is
** NULL or i or t is out of range. */
const char *cdg_passage_id(const cdg_passages *ps, size_t i);
const char *cdg_passage_section(const cdg_passages *ps, size_t i);
const char *cdg_passage_text(const cdg_passages *ps, size_t i);
size_t cdg_passage_topic_count(const cdg_passages *ps, size_t i);
const char *cdg_passage_topic(const cdg_passages *ps, size_t i, size_t t);

/* The source: its title, publisher, the full text and its SHA-256 hex.
** NULL for a NULL ps. */
const char *cdg_passages_source_title(const cdg_passages *ps);
const char *cdg_passages_source_publisher(const cdg_passages *ps);
const char *cdg_passages_source_text(const cdg_passages *ps);
const char *cdg_passages_source_sha256(const cdg_passages *ps);

#endif
