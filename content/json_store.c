/*
** json_store.c: cJSON trees made in an arena (json.h).
**
** A pack's trees live as long as the pack, and cJSON's parse makes one
** malloc per node (64 bytes) and one per string: on a 100k-question pack,
** five million blocks, each with a malloc header and rounded up. Here
** cJSON's own parse and duplicate make their nodes and strings in a bump
** store instead, and the store is freed in one go. cJSON has only global
** hooks, so the library's hooks send cJSON's allocations to the store
** that this thread has open, and to cdg_malloc otherwise: a tree made in
** a store is cJSON's tree as cJSON makes it, but it must never reach
** cJSON_Delete (its nodes are not blocks of the allocator). The functions
** here hand such trees out as const cJSON *, which cJSON_Delete does not
** take, so that freeing one takes a cast.
*/
#include <stdint.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "arena.h"
#include "json.h"

/* Bytes taken from the arena at a time; a bigger request gets its own. */
#define S_CHUNK 32768
#define S_BIG 2048

struct json_store {
  cdg_arena *arena;
  char *at;      /* the free room of the current chunk */
  size_t left;
};

/* The store this thread's cJSON calls allocate in, or NULL: set only
** around one cJSON_ParseWithLength or cJSON_Duplicate call. */
static _Thread_local json_store *S_open;

json_store *json_store_create(void) {
  json_store *s = cdg_calloc(1, sizeof *s);

  if (s && !(s->arena = cdg_arena_new())) {
    cdg_free(s);
    s = NULL;
  }
  return s;
}

void json_store_free(json_store *s) {
  if (!s)
    return;
  cdg_arena_free(s->arena);
  cdg_free(s);
}

size_t json_store_bytes(const json_store *s) {
  return s ? cdg_arena_bytes(s->arena) : 0;
}

/* n bytes aligned for a cJSON node (pointers, a double) or a string. */
static void *S_alloc(json_store *s, size_t n) {
  const size_t align = _Alignof(cJSON);
  void *p;

  if (n > SIZE_MAX - align)
    return NULL;
  n = (n + align - 1) & ~(align - 1);
  if (n > S_BIG)
    return cdg_arena_alloc(s->arena, n);
  if (s->left < n) {
    if (!(s->at = cdg_arena_alloc(s->arena, S_CHUNK))) {
      s->left = 0;
      return NULL;
    }
    s->left = S_CHUNK;
  }
  p = s->at;
  s->at += n;
  s->left -= n;
  return p;
}

void *json_hook_malloc(size_t n) {
  return S_open ? S_alloc(S_open, n ? n : 1) : cdg_malloc(n);
}

/* cJSON frees inside a store only when a parse or a copy fails part way:
** the store takes that memory back with the rest. */
void json_hook_free(void *p) {
  if (!S_open)
    cdg_free(p);
}

/* The library's hooks go in with cdg_set_allocator; a program that never
** calls it still has cJSON's defaults, so install them before a first use.
** cJSON_InitHooks is not thread-safe: the first load of a program, like
** cdg_set_allocator, must happen before any second thread uses cJSON. */
static void S_hooks(void) {
  static int done;

  if (!done) {
    cJSON_Hooks h;

    h.malloc_fn = json_hook_malloc;
    h.free_fn = json_hook_free;
    cJSON_InitHooks(&h);
    done = 1;
  }
}

const cJSON *json_store_parse(json_store *s, const char *text, size_t len) {
  cJSON *root;

  S_hooks();
  S_open = s;
  root = cJSON_ParseWithLength(text, len);
  S_open = NULL;
  return root;
}

const cJSON *json_store_copy(json_store *s, const cJSON *v) {
  cJSON *copy;

  S_hooks();
  S_open = s;
  copy = cJSON_Duplicate(v, 1);
  S_open = NULL;
  return copy;
}

const char *json_store_strdup(json_store *s, const char *str) {
  size_t n = strlen(str) + 1;
  char *p = S_alloc(s, n);

  if (p)
    memcpy(p, str, n);
  return p;
}

cJSON *json_store_object(json_store *s) {
  cJSON *obj;

  S_hooks();
  S_open = s;
  obj = cJSON_CreateObject();
  S_open = NULL;
  return obj;
}

int json_store_add(json_store *s, cJSON *obj, const char *key, size_t klen,
                   const char *val, size_t vlen) {
  cJSON *k, *v;
  int ok;

  S_hooks();
  S_open = s;
  k = cJSON_ParseWithLength(key, klen);
  v = cJSON_ParseWithLength(val, vlen);
  ok = k && v && cJSON_AddItemToObject(obj, k->valuestring, v);
  S_open = NULL;
  return ok ? 0 : -1;
}
