/* failalloc.c: the failing, counting test allocator (failalloc.h). */
#include <stdlib.h>

#include "cdg_content.h"
#include "failalloc.h"

static long S_fail_at; /* allocation number that fails; 0: none */
static long S_count;   /* allocations so far in this run */
static long S_live;    /* blocks allocated and not yet freed */

static void *S_malloc(size_t n) {
  void *p;

  if (++S_count == S_fail_at)
    return NULL;
  p = malloc(n);
  if (p)
    S_live++;
  return p;
}

static void *S_realloc(void *ptr, size_t n) {
  void *p;

  if (++S_count == S_fail_at)
    return NULL;
  p = realloc(ptr, n);
  if (p && !ptr)
    S_live++;
  return p;
}

static void S_free(void *p) {
  if (p) {
    S_live--;
    free(p);
  }
}

static const cdg_allocator S_alloc = {S_malloc, S_realloc, S_free};

void failalloc_start(long fail_at) {
  S_fail_at = fail_at;
  S_count = S_live = 0;
  cdg_set_allocator(&S_alloc);
}

void failalloc_stop(void) { cdg_set_allocator(NULL); }

long failalloc_count(void) { return S_count; }

long failalloc_live(void) { return S_live; }
