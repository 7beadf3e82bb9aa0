/* base.c: version, status names, error records, the string hash and the
** allocator hook. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cdg_base.h"
#include "cdg_content.h"
#include "json.h"

static cdg_allocator S_alloc = {malloc, realloc, free};

const char *cdg_version(void) { return CDG_VERSION; }

const char *cdg_status_str(cdg_status st) {
  switch (st) {
  case CDG_OK: return "ok";
  case CDG_ERR_NOMEM: return "out of memory";
  case CDG_ERR_SYNTAX: return "syntax error";
  case CDG_ERR_PACK: return "invalid pack";
  case CDG_ERR_ANSWER: return "invalid answer";
  case CDG_ERR_LOGIC: return "invalid JsonLogic";
  case CDG_ERR_NOTFOUND: return "not found";
  case CDG_ERR_IO: return "I/O error";
  case CDG_ERR_STATE: return "not possible now";
  }
  return "unknown status";
}

void cdg_error_clear(cdg_error *err) {
  if (err)
    memset(err, 0, sizeof *err);
}

cdg_status cdg_error_setv(cdg_error *err, cdg_status st, const char *file,
                          const char *pointer, const char *fmt, va_list ap) {
  if (!err)
    return st;
  cdg_error_clear(err);
  snprintf(err->file, sizeof err->file, "%s", file ? file : "");
  json_ptr_append(err->pointer, sizeof err->pointer, 0,
                  pointer ? pointer : "");
  vsnprintf(err->message, sizeof err->message, fmt, ap);
  return st;
}

cdg_status cdg_error_set(cdg_error *err, cdg_status st, const char *file,
                         const char *pointer, const char *fmt, ...) {
  va_list ap;

  va_start(ap, fmt);
  cdg_error_setv(err, st, file, pointer, fmt, ap);
  va_end(ap);
  return st;
}

size_t cdg_hash(const char *s) {
  uint64_t h = 14695981039346656037u; /* FNV-1a */

  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211u;
  return (size_t)(h ^ (h >> 32));
}

int cdg_error_format(const cdg_error *err, char *buf, size_t size) {
  /* Room for the file (255 bytes), two ints, the colons and a space. */
  char pos[sizeof err->file + 32] = "";
  size_t n = 0;

  if (err->file[0])
    n += (size_t)snprintf(pos, sizeof pos, "%.*s:",
                          (int)sizeof err->file - 1, err->file);
  if (err->line > 0)
    n += (size_t)snprintf(pos + n, sizeof pos - n, "%d:%d:", err->line,
                          err->col);
  if (n > 0)
    snprintf(pos + n, sizeof pos - n, " ");
  if (err->pointer[0])
    return snprintf(buf, size, "%s%s (at %s)", pos, err->message,
                    err->pointer);
  return snprintf(buf, size, "%s%s", pos, err->message);
}

void cdg_set_allocator(const cdg_allocator *alloc) {
  cJSON_Hooks hooks;

  if (alloc && alloc->malloc_fn && alloc->realloc_fn && alloc->free_fn)
    S_alloc = *alloc;
  else
    S_alloc = (cdg_allocator){malloc, realloc, free};
  /* cJSON uses realloc only with the default hooks, so malloc/free is
  ** enough for every cJSON allocation to pass through ours. */
  hooks.malloc_fn = json_hook_malloc; /* cdg_malloc but inside a store */
  hooks.free_fn = json_hook_free;
  cJSON_InitHooks(&hooks);
}

void *cdg_malloc(size_t size) { return S_alloc.malloc_fn(size ? size : 1); }

void *cdg_realloc(void *ptr, size_t size) {
  return S_alloc.realloc_fn(ptr, size ? size : 1);
}

void *cdg_calloc(size_t n, size_t size) {
  void *p;

  if (size && n > (size_t)-1 / size)
    return NULL;
  p = cdg_malloc(n * size);
  if (p)
    memset(p, 0, n * size);
  return p;
}

void cdg_free(void *ptr) {
  if (ptr)
    S_alloc.free_fn(ptr);
}

char *cdg_strdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = cdg_malloc(n);

  if (p)
    memcpy(p, s, n);
  return p;
}
