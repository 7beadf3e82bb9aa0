/*
** logic_slots.c: the slots table (names and codes the rules read) and the
** frame (one data object's values by slot, typed). See logic_slots.h.
*/
#include <string.h>

#include "logic_int.h"

/* ---- The table ---------------------------------------------------------- */

logic_slots *logic_slots_create(void) {
  return cdg_calloc(1, sizeof(logic_slots));
}

void logic_slots_free(logic_slots *s) {
  size_t i;

  if (!s)
    return;
  for (i = 0; i < s->n; i++)
    if (s->v[i].owned)
      cdg_free((char *)s->v[i].name);
  cdg_free(s->codes);
  cdg_free(s->atab);
  for (i = 0; i < s->npool; i++)
    cdg_free(s->pool[i]);
  cdg_free(s->pool);
  cdg_free(s->v);
  cdg_free(s->tab);
  cdg_free(s);
}

size_t logic_slots_count(const logic_slots *s) { return s ? s->n : 0; }

/* A copy of str[0..n), NUL-terminated, kept until s is freed. */
static char *S_keep(logic_slots *s, const char *str, size_t n) {
  char *p;

  if (cdg_grow(&s->pool, s->npool, &s->cappool, sizeof *s->pool) < 0)
    return NULL;
  p = cdg_malloc(n + 1);
  if (!p)
    return NULL;
  memcpy(p, str, n);
  p[n] = '\0';
  s->pool[s->npool++] = p;
  return p;
}

uint32_t ls_hash(const char *s, size_t n) {
  uint64_t h = (uint64_t)n * 0x9E3779B97F4A7C15u, a = 0, b = 0;
  uint32_t x, y;

  /* the first and the last 8 bytes (overlapping when shorter): keys that
  ** differ only in between collide, and the probe compares them whole */
  if (n >= 8) {
    memcpy(&a, s, 8);
    memcpy(&b, s + n - 8, 8);
  } else if (n >= 4) {
    memcpy(&x, s, 4);
    memcpy(&y, s + n - 4, 4);
    a = x;
    b = y;
  } else if (n > 0) {
    a = (uint64_t)(unsigned char)s[0] << 16 |
        (uint64_t)(unsigned char)s[n / 2] << 8 | (unsigned char)s[n - 1];
  }
  h = (h ^ a) * 0xFF51AFD7ED558CCDu;
  h = (h ^ (h >> 32) ^ b) * 0xC4CEB9FE1A85EC53u;
  return (uint32_t)(h ^ (h >> 29) ^ (h >> 47));
}

static long S_probe(const logic_slots *s, const char *name, size_t n,
                    uint32_t h, size_t *pos) {
  size_t mask = s->tabcap - 1, i = h & mask;

  for (; s->tab[i]; i = (i + 1) & mask) {
    const ls_slot *sl = &s->v[s->tab[i] - 1];
    if (sl->hash == h && sl->len == n && memcmp(sl->name, name, n) == 0)
      break;
  }
  *pos = i;
  return s->tab[i] ? (long)s->tab[i] - 1 : -1;
}

long ls_find(const logic_slots *s, const char *name, size_t n) {
  size_t pos;

  if (!s->tabcap)
    return -1;
  return S_probe(s, name, n, ls_hash(name, n), &pos);
}

static int S_grow_tab(logic_slots *s) {
  size_t cap = s->tabcap ? s->tabcap * 2 : 16, i, j;
  uint32_t *tab = cdg_calloc(cap, sizeof *tab);

  if (!tab)
    return -1;
  for (i = 0; i < s->n; i++) {
    for (j = s->v[i].hash & (cap - 1); tab[j]; j = (j + 1) & (cap - 1))
      ;
    tab[j] = (uint32_t)(i + 1);
  }
  cdg_free(s->tab);
  s->tab = tab;
  s->tabcap = cap;
  return 0;
}

long ls_add(logic_slots *s, const char *name, size_t n, int borrow) {
  size_t pos;
  uint32_t h;
  long got;
  ls_slot *sl;

  if (s->n >= UINT32_MAX - 1 || n >= UINT32_MAX)
    return -1;
  if ((s->n + 1) * 2 > s->tabcap && S_grow_tab(s) < 0)
    return -1;
  h = ls_hash(name, n);
  got = S_probe(s, name, n, h, &pos);
  if (got >= 0)
    return got;
  if (cdg_grow(&s->v, s->n, &s->cap, sizeof *s->v) < 0)
    return -1;
  sl = &s->v[s->n];
  memset(sl, 0, sizeof *sl);
  if (borrow && name[n] == '\0') {
    sl->name = name;
  } else {
    char *p = cdg_malloc(n + 1);
    if (!p)
      return -1;
    memcpy(p, name, n);
    p[n] = '\0';
    sl->name = p;
    sl->owned = 1;
  }
  sl->hash = h;
  sl->len = (uint32_t)n;
  s->tab[pos] = (uint32_t)(s->n + 1);
  s->gen++;
  return (long)s->n++;
}

long ls_code_add(logic_slots *s, size_t slot, const char *str, size_t n,
                 int borrow) {
  ls_slot *sl = &s->v[slot];
  ls_code *c;
  uint32_t i, k = 0;
  const char *p = str;

  for (i = sl->first; i; i = s->codes[i - 1].next, k++)
    if (s->codes[i - 1].n == n && memcmp(s->codes[i - 1].s, str, n) == 0)
      return (long)k;
  if (sl->ncodes >= 1u << 20 || n >= UINT32_MAX || s->ncodes >= UINT32_MAX)
    return -1; /* enough: the rest go the general way */
  if (cdg_grow(&s->codes, s->ncodes, &s->capcodes, sizeof *s->codes) < 0)
    return -1;
  if (!borrow && !(p = S_keep(s, str, n)))
    return -1;
  c = &s->codes[s->ncodes++];
  c->s = p;
  c->n = (uint32_t)n;
  c->next = 0;
  if (sl->last)
    s->codes[sl->last - 1].next = (uint32_t)s->ncodes;
  else
    sl->first = (uint32_t)s->ncodes;
  sl->last = (uint32_t)s->ncodes;
  s->gen++;
  return (long)sl->ncodes++;
}

static size_t S_addr_hash(const char *p, size_t cap) {
  return (size_t)(((uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15u) >> 32) &
         (cap - 1);
}

int logic_slots_alias(logic_slots *s, const char *name) {
  long slot = ls_find(s, name, strlen(name));
  size_t i, cap;

  if (slot < 0 || s->v[slot].alias)
    return 0; /* no rule reads it, or known already */
  if ((s->nalias + 1) * 2 > s->capalias) {
    uint32_t *t;
    cap = s->capalias ? s->capalias * 2 : 16;
    if (!(t = cdg_calloc(cap, sizeof *t)))
      return -1;
    for (i = 0; i < s->capalias; i++)
      if (s->atab[i]) {
        size_t j = S_addr_hash(s->v[s->atab[i] - 1].alias, cap);
        while (t[j])
          j = (j + 1) & (cap - 1);
        t[j] = s->atab[i];
      }
    cdg_free(s->atab);
    s->atab = t;
    s->capalias = cap;
  }
  for (i = S_addr_hash(name, s->capalias); s->atab[i];
       i = (i + 1) & (s->capalias - 1))
    ;
  s->atab[i] = (uint32_t)slot + 1;
  s->v[slot].alias = name;
  s->nalias++;
  return 0;
}

/* The slot of a key known by its address, or -1. */
static long S_alias(const logic_slots *s, const char *key) {
  size_t i;

  if (!s->capalias)
    return -1;
  for (i = S_addr_hash(key, s->capalias); s->atab[i];
       i = (i + 1) & (s->capalias - 1))
    if (s->v[s->atab[i] - 1].alias == key)
      return (long)s->atab[i] - 1;
  return -1;
}

void logic_slots_trim(logic_slots *s) {
  ls_slot *v;
  ls_code *c;

  if (s->n && s->n < s->cap && (v = cdg_realloc(s->v, s->n * sizeof *v))) {
    s->v = v;
    s->cap = s->n;
  }
  if (s->ncodes && s->ncodes < s->capcodes &&
      (c = cdg_realloc(s->codes, s->ncodes * sizeof *c))) {
    s->codes = c;
    s->capcodes = s->ncodes;
  }
}

/* ---- Frames ------------------------------------------------------------- */

logic_frame *logic_frame_create(const logic_slots *s) {
  logic_frame *f = cdg_calloc(1, sizeof *f);

  if (!f)
    return NULL;
  f->s = s;
  f->fast = 1;
  if (s && s->n && !(f->v = cdg_calloc(s->n, sizeof *f->v))) {
    cdg_free(f);
    return NULL;
  }
  f->cap = s ? s->n : 0;
  return f;
}

void logic_frame_free(logic_frame *f) {
  if (!f)
    return;
  cdg_free(f->v);
  cdg_free(f);
}

static void S_live(logic_frame *f) {
  f->live = f->fast && f->ok && f->isobj ? f->s : NULL;
}

void logic_frame_set_fast(logic_frame *f, int on) {
  f->fast = on != 0;
  S_live(f);
}

/* The code of a string among a slot's: -1 when no constant equals it. */
static int S_code(const logic_slots *s, const ls_slot *sl, const char *str,
                  size_t n) {
  uint32_t i;
  int k = 0;

  for (i = sl->first; i; i = s->codes[i - 1].next, k++)
    if (s->codes[i - 1].n == n &&
        (n == 0 || (s->codes[i - 1].s[0] == str[0] &&
                    memcmp(s->codes[i - 1].s, str, n) == 0)))
      return k;
  return -1;
}

/* The code of a NUL-terminated string, without measuring it first. */
static int S_code_z(const logic_slots *s, const ls_slot *sl, const char *str) {
  uint32_t i;
  int k = 0;

  for (i = sl->first; i; i = s->codes[i - 1].next, k++) {
    const ls_code *c = &s->codes[i - 1];
    if (c->n == 0 ? str[0] == '\0'
                  : c->s[0] == str[0] && strncmp(c->s, str, c->n) == 0 &&
                        str[c->n] == '\0')
      return k;
  }
  return -1;
}

static void S_type(const logic_slots *s, const ls_slot *sl, lf_val *x,
                   const cJSON *j) {
  const cJSON *c;
  int code;

  x->kind = LF_PLAIN;
  if (!sl->first)
    return; /* no rule compares this slot with a string: nothing to type */
  if (x->v.t == V_STR) {
    x->kind = LF_STR;
    x->code = S_code(s, sl, x->v.u.s, x->v.n);
    return;
  }
  if (x->v.t != V_JARR)
    return;
  x->bits = 0;
  x->other = 0;
  for (c = j->child; c; c = c->next) {
    if ((c->type & 0xFF) != cJSON_String)
      return;
    code = S_code_z(s, sl, c->valuestring);
    if (code < 0 || code >= 64)
      x->other = 1;
    else
      x->bits |= (uint64_t)1 << code;
  }
  x->kind = LF_STRS;
}

/* The items of array j into f's nums when they are all numbers and fit
** (x->nnum: how many; 0 when not kept). */
static void S_nums(logic_frame *f, lf_val *x, const cJSON *j) {
  const cJSON *c;
  uint32_t n = f->nnums;

  for (c = j->child; c && n < LF_NUMS; c = c->next, n++) {
    if ((c->type & 0xFF) != cJSON_Number)
      return;
    f->nums[n] = c->valuedouble;
  }
  if (c)
    return; /* too long */
  x->num0 = (uint16_t)f->nnums;
  x->nnum = (uint16_t)(n - f->nnums);
  f->nnums = n;
}

/* Slot x takes member c (the first of its key since the last fill).
** Inline in the fill's loop: a call per key was a tenth of its cost. */
static inline __attribute__((always_inline)) void
S_set(const logic_slots *s, logic_frame *f, long slot, const cJSON *c) {
  lf_val *x = &f->v[slot];

  if (x->stamp == f->stamp)
    return; /* a repeated key: var finds the first */
  x->stamp = f->stamp;
  lv_json(&x->v, c);
  S_type(s, &s->v[slot], x, c);
  x->nnum = 0;
  if (s->v[slot].nums && x->v.t == V_JARR)
    S_nums(f, x, c);
}

void logic_frame_put(logic_frame *f, const char *key, const cJSON *v) {
  long slot;

  if (!f->ok || !f->s || f->gen != f->s->gen)
    return; /* the frame takes the general path anyway */
  slot = ls_find(f->s, key, strlen(key));
  if (slot >= 0 && (size_t)slot < f->cap)
    S_set(f->s, f, slot, v);
}

/* Whether slot sl is named key: the very string (a borrowed name, a
** pack's alias) or an equal one. */
static int S_names(const ls_slot *sl, const char *key) {
  return sl->name == key || sl->alias == key || strcmp(sl->name, key) == 0;
}

/* The slot of a data key that its cache entry kc (or NULL) did not give,
** or -1: none, kc then remembering it when it is short. Not inline: the
** loop over keys the cache gives stays small. */
static __attribute__((noinline)) long S_find_key(const logic_slots *s,
                                                 lf_key *kc, const char *key) {
  size_t n, pos;
  long slot;

  if (kc && kc->key == key && kc->slot == LF_NOSLOT && kc->gen == s->gen &&
      strcmp(kc->name, key) == 0)
    return -1;
  if ((slot = S_alias(s, key)) >= 0) /* a pack's answers: by address */
    return slot;
  n = strlen(key);
  slot = S_probe(s, key, n, ls_hash(key, n), &pos);
  if (slot < 0 && kc && n < sizeof kc->name) {
    kc->key = key;
    kc->slot = LF_NOSLOT;
    kc->gen = s->gen;
    memcpy(kc->name, key, n + 1);
  }
  return slot;
}

cdg_status logic_frame_fill(logic_frame *f, const cJSON *data) {
  const logic_slots *s = f->s;
  const cJSON *c;
  size_t i;
  long slot;

  f->data = data;
  f->nnums = 0;
  f->isobj = cJSON_IsObject(data);
  f->ok = 0;
  f->live = NULL;
  if (!s)
    return CDG_OK;
  if (s->n > f->cap) { /* rules were compiled into s after f was made */
    lf_val *v = cdg_realloc(f->v, s->n * sizeof *v);
    if (!v)
      return CDG_ERR_NOMEM;
    memset(v + f->cap, 0, (s->n - f->cap) * sizeof *v);
    f->v = v;
    f->cap = s->n;
  }
  if (++f->stamp == 0) { /* wrapped: no stale slot may look current */
    if (f->cap)
      memset(f->v, 0, f->cap * sizeof *f->v);
    f->stamp = 1;
  }
  f->gen = s->gen;
  f->ok = 1;
  S_live(f);
  if (!f->isobj || !s->tabcap)
    return CDG_OK;
  for (c = data->child, i = 0; c; c = c->next, i++) {
    lf_key *kc = i < LF_KEYCACHE ? &f->keys[i] : NULL;
    if (!c->string)
      continue;
    /* the same data filled again, or data with the same keys in the same
    ** order: the slot of the key at this place last time, if this is
    ** still its name */
    if (kc && kc->key == c->string && kc->slot < s->n &&
        S_names(&s->v[kc->slot], c->string)) {
      S_set(s, f, (long)kc->slot, c);
      continue;
    }
    if ((slot = S_find_key(s, kc, c->string)) < 0)
      continue;
    if (kc) {
      kc->key = c->string;
      kc->slot = (uint32_t)slot;
    }
    S_set(s, f, slot, c);
  }
  return CDG_OK;
}
