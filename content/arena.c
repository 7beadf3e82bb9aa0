/* arena.c: the arena of the library (arena.h). */
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "cdg_content.h"

/* Blocks stay under malloc's mmap threshold, so that the pages of a freed
** arena are reused, not mapped again. A bigger request gets a block of
** its own. */
#define S_BLOCK 65536

typedef struct S_block {
  struct S_block *prev;
  size_t used, size;
  max_align_t data[]; /* size bytes */
} S_block;

struct cdg_arena {
  S_block *top;
  size_t bytes;
};

cdg_arena *cdg_arena_new(void) { return cdg_calloc(1, sizeof(cdg_arena)); }

void cdg_arena_free(cdg_arena *a) {
  S_block *b, *prev;

  if (!a)
    return;
  for (b = a->top; b; b = prev) {
    prev = b->prev;
    cdg_free(b);
  }
  cdg_free(a);
}

void *cdg_arena_alloc(cdg_arena *a, size_t n) {
  const size_t align = _Alignof(max_align_t);
  S_block *b = a->top;
  size_t at;

  if (n == 0)
    n = 1;
  if (n > SIZE_MAX - sizeof *b - align)
    return NULL;
  at = b ? (b->used + align - 1) & ~(align - 1) : 0;
  /* at <= b->size: sizes are multiples of align. */
  if (!b || b->size - at < n) {
    size_t size = n > S_BLOCK ? (n + align - 1) & ~(align - 1) : S_BLOCK;

    if (!(b = cdg_malloc(sizeof *b + size)))
      return NULL;
    /* A big block goes under the top one, whose room stays in use. */
    if (size > S_BLOCK && a->top) {
      b->prev = a->top->prev;
      a->top->prev = b;
    } else {
      b->prev = a->top;
      a->top = b;
    }
    b->used = 0;
    b->size = size;
    a->bytes += sizeof *b + size;
    at = 0;
  }
  b->used = at + n;
  return (char *)b->data + at;
}

void *cdg_arena_calloc(cdg_arena *a, size_t n, size_t size) {
  void *p;

  if (size && n > SIZE_MAX / size)
    return NULL;
  p = cdg_arena_alloc(a, n * size);
  if (p)
    memset(p, 0, n * size);
  return p;
}

char *cdg_arena_strdup(cdg_arena *a, const char *s) {
  size_t n = strlen(s) + 1;
  char *p = cdg_arena_alloc(a, n);

  if (p)
    memcpy(p, s, n);
  return p;
}

size_t cdg_arena_bytes(const cdg_arena *a) { return a->bytes; }
