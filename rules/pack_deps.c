/*
** pack_deps.c: the names each condition of a pack reads (pack_walk_vars,
** also the linter's), the questions each enable_when depends on, and the
** order that puts every question after those it depends on.
*/
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "pack.h"

/* ---- Names read by JsonLogic ------------------------------------------ */

typedef struct S_walk {
  pack_var_fn fn;
  void *ctx;
  int noptr;      /* fn ignores the pointer: build none */
  char ptr[1024];
  size_t len;
} S_walk;

/* Report the first path segment of name ("posture" for "posture.0"). */
static void S_report(S_walk *w, const char *name, const char *suffix) {
  char seg[256];
  const char *dot = strchr(name, '.');
  size_t n = w->len;

  if (dot && (size_t)(dot - name) < sizeof seg) {
    memcpy(seg, name, (size_t)(dot - name));
    seg[dot - name] = '\0';
    name = seg;
  }
  if (suffix && !w->noptr)
    json_ptr_append(w->ptr, sizeof w->ptr, n, suffix);
  w->fn(w->ctx, name, w->ptr);
  w->ptr[n] = '\0';
}

static void S_walk_expr(S_walk *w, const cJSON *e, int data_scope);

/* Walk item i of the current array. */
static void S_walk_item(S_walk *w, const cJSON *c, size_t i, int data_scope) {
  size_t n = w->len;
  char idx[24];

  if (!w->noptr) {
    snprintf(idx, sizeof idx, "%zu", i);
    w->len = json_ptr_push(w->ptr, sizeof w->ptr, n, idx);
  }
  S_walk_expr(w, c, data_scope);
  w->len = n;
  w->ptr[n] = '\0';
}

/* The names an operation o (NULL: no operator) reads from the data. */
static void S_walk_names(S_walk *w, const logic_op *o, const cJSON *args) {
  const cJSON *c;
  char sfx[32];
  size_t i = 0;

  if (!o)
    return;
  if (o->code == LOGIC_OP_VAR) {
    if (cJSON_IsString(args))
      S_report(w, args->valuestring, NULL);
    else if (cJSON_IsArray(args) && cJSON_IsString(args->child))
      S_report(w, args->child->valuestring, "/0");
  } else if (o->code == LOGIC_OP_MISSING) {
    if (cJSON_IsString(args))
      S_report(w, args->valuestring, NULL);
    for (c = cJSON_IsArray(args) ? args->child : NULL; c; c = c->next, i++)
      if (cJSON_IsString(c)) {
        snprintf(sfx, sizeof sfx, "/%zu", i);
        S_report(w, c->valuestring, sfx);
      }
  } else if (o->code == LOGIC_OP_MISSING_SOME) {
    c = cJSON_IsArray(args) ? cJSON_GetArrayItem(args, 1) : NULL;
    for (c = cJSON_IsArray(c) ? c->child : NULL; c; c = c->next, i++)
      if (cJSON_IsString(c)) {
        snprintf(sfx, sizeof sfx, "/1/%zu", i);
        S_report(w, c->valuestring, sfx);
      }
  }
}

static void S_walk_expr(S_walk *w, const cJSON *e, int data_scope) {
  const cJSON *c;
  const logic_op *o;
  size_t i = 0;

  if (cJSON_IsArray(e)) {
    for (c = e->child; c; c = c->next, i++)
      S_walk_item(w, c, i, data_scope);
    return;
  }
  if (!cJSON_IsObject(e))
    return;
  for (c = e->child; c; c = c->next) {
    size_t n = w->len;

    if (!w->noptr)
      w->len = json_ptr_push(w->ptr, sizeof w->ptr, n, c->string);
    /* one look-up per key: a pack's conditions have one per node */
    o = logic_op_find(c->string);
    if (data_scope)
      S_walk_names(w, o, c);
    if (cJSON_IsArray(c) && o && (o->flags & LOGIC_OP_REBINDS)) {
      const cJSON *a;

      for (a = c->child, i = 0; a; a = a->next, i++)
        S_walk_item(w, a, i, data_scope && i != 1);
    } else {
      S_walk_expr(w, c, data_scope);
    }
    w->len = n;
    w->ptr[n] = '\0';
  }
}

static void S_walk_vars(const cJSON *expr, pack_var_fn fn, void *ctx,
                        int noptr) {
  S_walk w;

  w.fn = fn;
  w.ctx = ctx;
  w.noptr = noptr;
  w.ptr[0] = '\0';
  w.len = 0;
  S_walk_expr(&w, expr, 1);
}

void pack_walk_vars(const cJSON *expr, pack_var_fn fn, void *ctx) {
  S_walk_vars(expr, fn, ctx, 0);
}

/* ---- Dependencies and order ------------------------------------------- */

/* Gather a name (its first segment) into d: a copy in d->store. */
static void S_add_name(void *ctx, const char *name, const char *pointer) {
  pack_names *d = ctx;

  (void)pointer;
  if (d->nomem)
    return;
  if (cdg_grow(&d->name, d->n, &d->cap, sizeof *d->name) < 0 ||
      !(d->name[d->n] = json_store_strdup(d->store, name))) {
    d->nomem = 1;
    return;
  }
  d->n++;
}

int pack_names_add(pack_names *d, const cJSON *expr) {
  if (!d->store && !(d->store = json_store_create()))
    return -1;
  if (expr)
    S_walk_vars(expr, S_add_name, d, 1); /* names only */
  return d->nomem ? -1 : 0;
}

void pack_names_free(pack_names *d) {
  json_store_free(d->store);
  cdg_free(d->name);
  cdg_free(d->start);
  memset(d, 0, sizeof *d);
}

typedef struct S_deps {
  cdg_pack *pack;
  size_t *seen;   /* seen[j] == stamp: j is already a dep of q */
  size_t stamp;   /* one per walk */
  int nomem;
} S_deps;

/*
** Set the dependencies of q (none if it has no enable_when) from the
** names its enable_when reads, copied, sized, into the pack's arena: two
** growable arrays per question would be a quarter of a big pack's memory.
** An unknown name is the linter's to report.
*/
static void S_deps_of(S_deps *d, cdg_question *q, const char *const *name,
                      size_t n) {
  cdg_arena *a = d->pack->arena;
  const cdg_question *dep;
  size_t k;

  d->stamp++;
  q->ndeps = 0;
  if (n == 0)
    return;
  q->deps = cdg_arena_alloc(a, n * sizeof *q->deps);
  q->depidx = cdg_arena_alloc(a, n * sizeof *q->depidx);
  if (!q->deps || !q->depidx) {
    d->nomem = 1;
    return;
  }
  for (k = 0; k < n; k++) {
    if (!(dep = cdg_pack_find_question(d->pack, name[k])) ||
        d->seen[dep->index] == d->stamp)
      continue;
    d->seen[dep->index] = d->stamp;
    q->depidx[q->ndeps] = dep->index;
    q->deps[q->ndeps++] = dep->id; /* the dependency's */
  }
}

/* Report the cycle on the DFS stack from node d up to the top. */
static cdg_status S_cycle(const cdg_pack *p, cdg_error *err,
                          const size_t *stack, size_t sp, size_t d) {
  char msg[400], at[sizeof err->pointer];
  size_t i = sp, n;

  while (i > 0 && stack[i - 1] != d)
    i--;
  n = (size_t)snprintf(msg, sizeof msg, "enable_when cycle:");
  for (i = i - 1; i < sp && n < sizeof msg; i++)
    n += (size_t)snprintf(msg + n, sizeof msg - n, " %s ->",
                          p->questions[stack[i]].id);
  if (n < sizeof msg)
    snprintf(msg + n, sizeof msg - n, " %s", p->questions[d].id);
  if (n >= sizeof msg)
    strcpy(msg + sizeof msg - 4, "...");
  snprintf(at, sizeof at, "/questions/%zu/enable_when", d);
  return pack_error_at(p, err, CDG_ERR_PACK, at, "%s", msg);
}

/* Topological order by an iterative depth-first search (packs may chain
** 100k questions): dependencies first, otherwise pack order. */
static cdg_status S_topo(cdg_pack *p, cdg_error *err) {
  size_t n = p->nquestions, k = 0, sp = 0, s;
  unsigned char *color = cdg_calloc(n, 1); /* 0 new, 1 open, 2 done */
  size_t *stack = cdg_calloc(n, sizeof *stack);
  size_t *cursor = cdg_calloc(n, sizeof *cursor);
  cdg_status st = CDG_OK;

  p->topo = cdg_calloc(n, sizeof *p->topo);
  if (!color || !stack || !cursor || !p->topo) {
    st = cdg_error_set(err, CDG_ERR_NOMEM, p->file, NULL, "out of memory");
    goto out;
  }
  for (s = 0; s < n && !st; s++) {
    if (color[s])
      continue;
    color[s] = 1;
    stack[sp++] = s;
    while (sp > 0 && !st) {
      const cdg_question *q = &p->questions[stack[sp - 1]];

      if (cursor[q->index] < q->ndeps) {
        size_t d = q->depidx[cursor[q->index]++];

        if (color[d] == 1) {
          st = S_cycle(p, err, stack, sp, d);
        } else if (color[d] == 0) {
          color[d] = 1;
          stack[sp++] = d;
        }
      } else {
        color[q->index] = 2;
        p->topo[k++] = q->index;
        sp--;
      }
    }
  }
out:
  cdg_free(color);
  cdg_free(stack);
  cdg_free(cursor);
  return st;
}

cdg_status pack_order(cdg_pack *p, cdg_error *err, const pack_names *names) {
  S_deps d;
  size_t i;

  d.pack = p;
  d.nomem = 0;
  d.stamp = 0;
  d.seen = cdg_calloc(p->nquestions, sizeof *d.seen);
  if (!d.seen)
    return cdg_error_set(err, CDG_ERR_NOMEM, p->file, NULL, "out of memory");
  for (i = 0; i < p->nquestions && !d.nomem; i++) {
    size_t n = names->start[i + 1] - names->start[i];

    /* no names at all: no array, and no offset from NULL */
    S_deps_of(&d, &p->questions[i], n ? names->name + names->start[i] : NULL,
              n);
  }
  cdg_free(d.seen);
  if (d.nomem)
    return cdg_error_set(err, CDG_ERR_NOMEM, p->file, NULL, "out of memory");
  return S_topo(p, err);
}
