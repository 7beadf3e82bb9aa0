/*
** pack_index.c: the hash index of the ids of a pack's lists (questions,
** rules, option codes, passages) and the repeat check of the loader and
** the linter (pack.h).
*/
#include <stdint.h>
#include <string.h>

#include "pack.h"

int pack_index_init(pack_index *x, size_t n, pack_keyfn keyof,
                    const void *items) {
  size_t cap = 16;

  x->slot = NULL;
  x->keyof = keyof;
  x->items = items;
  while (cap / 2 < n) {
    if (cap > SIZE_MAX / (4 * sizeof(pack_slot)))
      return -1;
    cap *= 2;
  }
  x->mask = cap - 1;
  x->slot = cdg_calloc(cap, sizeof(pack_slot));
  return x->slot ? 0 : -1;
}

void pack_index_free(pack_index *x) {
  cdg_free(x->slot);
  x->slot = NULL;
}

/* The slot of key, whose hash is h: its item, or the empty slot it goes
** in. */
static pack_slot *S_slot(const pack_index *x, const char *key, size_t h) {
  size_t i = h & x->mask;

  while (x->slot[i].item &&
         (x->slot[i].hash != h ||
          strcmp(x->keyof(x->items, x->slot[i].item - 1), key) != 0))
    i = (i + 1) & x->mask;
  return &x->slot[i];
}

int pack_index_put(pack_index *x, size_t i, size_t h) {
  pack_slot *s = S_slot(x, x->keyof(x->items, i), h);

  if (s->item)
    return 1;
  s->item = i + 1;
  s->hash = h;
  return 0;
}

int pack_repeats_init(pack_index *x, size_t n, pack_keyfn keyof,
                      const void *items) {
  x->slot = NULL;
  x->keyof = keyof;
  x->items = items;
  return n > PACK_FEW ? pack_index_init(x, n, keyof, items) : 0;
}

int pack_repeat(pack_index *x, size_t i) {
  const char *id = x->keyof(x->items, i);
  size_t k;

  if (x->slot)
    return pack_index_put(x, i, cdg_hash(id));
  for (k = 0; k < i; k++)
    if (strcmp(x->keyof(x->items, k), id) == 0)
      return 1;
  return 0;
}

long pack_index_get(const pack_index *x, const char *key) {
  size_t item = x->slot ? S_slot(x, key, cdg_hash(key))->item : 0;

  return item ? (long)(item - 1) : -1;
}

