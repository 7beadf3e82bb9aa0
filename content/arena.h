/*
** arena.h: the arena of the library (internal): many small allocations
** freed at once, for what lives exactly as long as its owner (a pack's
** option arrays, an evaluation's values). One cdg_malloc per block.
*/
#ifndef CDG_ARENA_H
#define CDG_ARENA_H

#include <stddef.h>

typedef struct cdg_arena cdg_arena;

/* A new, empty arena, or NULL when out of memory. */
cdg_arena *cdg_arena_new(void);

/* Frees every allocation and the arena; NULL is a harmless no-op. */
void cdg_arena_free(cdg_arena *a);

/* n bytes aligned for any type (n 0 gives 1), not zeroed; NULL when out
** of memory (the arena is still usable). */
void *cdg_arena_alloc(cdg_arena *a, size_t n);

/* n items of size bytes, zeroed; NULL when out of memory or n * size
** overflows. */
void *cdg_arena_calloc(cdg_arena *a, size_t n, size_t size);

/* A copy of s in the arena, or NULL. */
char *cdg_arena_strdup(cdg_arena *a, const char *s);

/* The bytes the arena holds from the allocator (blocks and headers), to
** bound it. */
size_t cdg_arena_bytes(const cdg_arena *a);

#endif
