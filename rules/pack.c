/*
** pack.c: the pack loader. JSON text in, the checked model of pack.h out.
**
** Every format error names the file, the JSON Pointer of the offending
** value and its line:col. Loading is linear in the size of the pack: ids
** go into hash indexes, and the enable_when order comes from one
** depth-first search.
*/
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cdg_limits.h"
#include "json.h"
#include "pack.h"

#define S_PTR sizeof(((cdg_error *)0)->pointer)

/* ---- Errors ----------------------------------------------------------- */

cdg_status pack_error_at(const cdg_pack *pack, cdg_error *err,
                         cdg_status status, const char *pointer,
                         const char *fmt, ...) {
  va_list ap;

  va_start(ap, fmt);
  json_error_atv(err, status, pack->file, pack->text, pack->len, pointer,
                 fmt, ap);
  va_end(ap);
  return status;
}

static cdg_status S_nomem(const cdg_pack *pack, cdg_error *err) {
  return json_error(err, CDG_ERR_NOMEM, pack->file, "out of memory");
}

void pack_ptr_key(char *buf, size_t size, const char *base,
                  const char *key) {
  size_t n = buf == base ? strlen(buf) : json_ptr_append(buf, size, 0, base);

  json_ptr_push(buf, size, n, key);
}

/* base + "/" + i, cut like pack_ptr_key. */
static void S_ptr_index(char *buf, size_t size, const char *base, size_t i) {
  char num[24], *d = num + sizeof num;

  *--d = '\0';
  do
    *--d = (char)('0' + i % 10);
  while ((i /= 10) != 0);
  pack_ptr_key(buf, size, base, d);
}

/* ---- Hash index of ids ------------------------------------------------ */

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
    return pack_index_put(x, i, json_hash(id));
  for (k = 0; k < i; k++)
    if (strcmp(x->keyof(x->items, k), id) == 0)
      return 1;
  return 0;
}

long pack_index_get(const pack_index *x, const char *key) {
  size_t item = x->slot ? S_slot(x, key, json_hash(key))->item : 0;

  return item ? (long)(item - 1) : -1;
}

static const char *S_qkey(const void *items, size_t i) {
  return ((const cdg_question *)items)[i].id;
}

static const char *S_okey(const void *items, size_t i) {
  return ((const pack_option *)items)[i].code;
}

static const char *S_rkey(const void *items, size_t i) {
  return ((const pack_rule *)items)[i].id;
}

/* ---- Field readers ---------------------------------------------------- */

/* The members of an object the loader reads, found in one pass over it
** (looking each up would walk the members and their names again). */
#define S_MAX_KEYS 10
#define S_KEYS_FIT(keys)                                                  \
  _Static_assert(sizeof keys / sizeof *keys <= S_MAX_KEYS + 1,             \
                 "more keys than S_obj holds")
typedef struct S_obj {
  const char *const *keys; /* NULL-terminated, at most S_MAX_KEYS */
  cJSON *got[S_MAX_KEYS];  /* got[k]: the member keys[k], or NULL */
} S_obj;

/* Find the members of obj named in keys into *o (json_parse refuses
** duplicate keys, so each is the only one). Fail on any other key (a typo
** such as "enable_When" would otherwise be ignored silently). */
static cdg_status S_known_keys(const cdg_pack *p, cdg_error *err,
                               const cJSON *obj, const char *ptr,
                               const char *const *keys, S_obj *o) {
  cJSON *c;
  size_t k;
  char at[S_PTR];

  o->keys = keys;
  memset(o->got, 0, sizeof o->got);
  for (c = obj->child; c; c = c->next) {
    for (k = 0; keys[k] && (keys[k][0] != c->string[0] ||
                            strcmp(keys[k], c->string) != 0);
         k++)
      ;
    if (!keys[k]) {
      pack_ptr_key(at, sizeof at, ptr, c->string);
      return pack_error_at(p, err, CDG_ERR_PACK, at, "unknown field \"%s\"",
                           c->string);
    }
    o->got[k] = c;
  }
  return CDG_OK;
}

/* The member key (one of o->keys), or NULL if absent. key is usually
** the very literal in o->keys (compilers merge equal literals). */
static cJSON *S_get(const S_obj *o, const char *key) {
  size_t k;

  for (k = 0; o->keys[k]; k++)
    if (o->keys[k] == key)
      return o->got[k];
  for (k = 0; o->keys[k]; k++)
    if (strcmp(o->keys[k], key) == 0)
      return o->got[k];
  return NULL;
}

/* The member key of the object at ptr. *v is NULL if absent. */
static cdg_status S_member(const cdg_pack *p, cdg_error *err,
                           const S_obj *o, const char *ptr,
                           const char *key, int required, cJSON **v) {
  *v = S_get(o, key);
  if (!*v && required)
    return pack_error_at(p, err, CDG_ERR_PACK, ptr,
                         "missing required field \"%s\"", key);
  return CDG_OK;
}

static cdg_status S_type_error(const cdg_pack *p, cdg_error *err,
                               const char *ptr, const char *key,
                               const char *what) {
  char at[S_PTR];

  pack_ptr_key(at, sizeof at, ptr, key);
  return pack_error_at(p, err, CDG_ERR_PACK, at, "\"%s\" must be %s", key,
                       what);
}

/* A string member, checked: *v is NULL when absent and optional.
** Required strings must not be empty. */
static cdg_status S_string_member(const cdg_pack *p, cdg_error *err,
                                  const S_obj *o, const char *ptr,
                                  const char *key, int required, cJSON **v) {
  cdg_status st = S_member(p, err, o, ptr, key, required, v);

  if (st || !*v)
    return st;
  if (!cJSON_IsString(*v))
    return S_type_error(p, err, ptr, key, "a string");
  if (required && !(*v)->valuestring[0])
    return S_type_error(p, err, ptr, key, "a non-empty string");
  return CDG_OK;
}

/* A string member, borrowed from the tree into *out (left NULL when
** absent and optional). */
static cdg_status S_string(const cdg_pack *p, cdg_error *err,
                           const S_obj *o, const char *ptr, const char *key,
                           int required, const char **out) {
  cJSON *v;
  cdg_status st = S_string_member(p, err, o, ptr, key, required, &v);

  if (!st && v)
    *out = v->valuestring;
  return st;
}

/* An array of non-empty strings (passage ids), borrowed. */
static cdg_status S_string_array(const cdg_pack *p, cdg_error *err,
                                 cJSON *arr, const char *ptr,
                                 const char *key, const char ***out,
                                 size_t *n) {
  cJSON *c;
  char at[S_PTR], item[S_PTR];
  size_t i = 0;

  if (!cJSON_IsArray(arr))
    return S_type_error(p, err, ptr, key, "an array of strings");
  pack_ptr_key(at, sizeof at, ptr, key);
  *n = json_arena_size(arr);
  *out = cdg_calloc(*n, sizeof **out);
  if (!*out)
    return S_nomem(p, err);
  for (c = arr->child; c; c = c->next, i++) {
    if (!cJSON_IsString(c) || !c->valuestring[0]) {
      S_ptr_index(item, sizeof item, at, i);
      return pack_error_at(p, err, CDG_ERR_PACK, item,
                           "\"%s\" must list non-empty strings", key);
    }
    (*out)[i] = c->valuestring;
  }
  return CDG_OK;
}

/* Compile a JsonLogic member; errors point into it. */
static cdg_status S_logic(const cdg_pack *p, cdg_error *err,
                          const cJSON *expr, const char *ptr,
                          logic_expr **out) {
  cdg_error lerr;
  char at[S_PTR];
  cdg_status st;

  cdg_error_clear(&lerr);
  st = logic_compile_ref(expr, out, &lerr);
  if (st == CDG_ERR_NOMEM)
    return S_nomem(p, err);
  if (st) {
    json_ptr_append(at, sizeof at, json_ptr_append(at, sizeof at, 0, ptr),
                    lerr.pointer);
    return pack_error_at(p, err, CDG_ERR_PACK, at, "%s", lerr.message);
  }
  return CDG_OK;
}

/* ---- Questions -------------------------------------------------------- */

static int S_id_ok(const char *s) {
  if (!*s)
    return 0;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
      return 0;
  return 1;
}

static const char *const S_qtypes[] = {"single", "multi", "number", "text"};

static cdg_status S_options(const cdg_pack *p, cdg_error *err,
                            cJSON *arr, const char *qptr,
                            cdg_question *q) {
  static const char *const keys[] = {"code", "label", "exclusive", NULL};
  S_KEYS_FIT(keys);
  const cJSON *ex;
  S_obj f;
  cJSON *c;
  char at[S_PTR], optr[S_PTR];
  pack_index codes;
  size_t i = 0;
  int dup;
  cdg_status st = CDG_OK;

  if (!cJSON_IsArray(arr))
    return S_type_error(p, err, qptr, "options", "an array");
  pack_ptr_key(at, sizeof at, qptr, "options");
  if (!arr->child)
    return pack_error_at(p, err, CDG_ERR_PACK, at,
                         "\"options\" must not be empty");
  q->noptions = json_arena_size(arr);
  if (q->noptions > CDG_MAX_OPTIONS)
    return pack_error_at(p, err, CDG_ERR_PACK, at,
                         "\"options\" has %zu items, more than %d",
                         q->noptions, CDG_MAX_OPTIONS);
  /* In the arena: one after another, as the linter reads them. */
  q->options = json_arena_alloc(p->arena, q->noptions * sizeof *q->options);
  if (!q->options ||
      pack_repeats_init(&codes, q->noptions, S_okey, q->options) < 0)
    return S_nomem(p, err);
  for (c = arr->child; c && !st; c = c->next, i++) {
    pack_option *o = &q->options[i];

    S_ptr_index(optr, sizeof optr, at, i);
    if (!cJSON_IsObject(c)) {
      st = pack_error_at(p, err, CDG_ERR_PACK, optr,
                         "an option must be an object");
      break;
    }
    if ((st = S_known_keys(p, err, c, optr, keys, &f)) ||
        (st = S_string(p, err, &f, optr, "code", 1, &o->code)) ||
        (st = S_string(p, err, &f, optr, "label", 1, &o->label)))
      break;
    ex = S_get(&f, "exclusive");
    if (ex && !cJSON_IsBool(ex)) {
      st = S_type_error(p, err, optr, "exclusive", "true or false");
      break;
    }
    o->exclusive = cJSON_IsTrue(ex);
    dup = pack_repeat(&codes, i);
    if (dup) {
      pack_ptr_key(optr, sizeof optr, optr, "code");
      st = pack_error_at(p, err, CDG_ERR_PACK, optr,
                         "duplicate option code \"%s\"", o->code);
      break;
    }
  }
  pack_index_free(&codes);
  return st;
}

/* min and max of a number question. */
static cdg_status S_range(const cdg_pack *p, cdg_error *err, const S_obj *qo,
                          const char *qptr, cdg_question *q) {
  const cJSON *min = S_get(qo, "min");
  const cJSON *max = S_get(qo, "max");
  char at[S_PTR];

  if (q->type != CDG_Q_NUMBER && (min || max)) {
    pack_ptr_key(at, sizeof at, qptr, min ? "min" : "max");
    return pack_error_at(p, err, CDG_ERR_PACK, at,
                         "\"%s\" applies only to number questions",
                         min ? "min" : "max");
  }
  if (min && !cJSON_IsNumber(min))
    return S_type_error(p, err, qptr, "min", "a number");
  if (max && !cJSON_IsNumber(max))
    return S_type_error(p, err, qptr, "max", "a number");
  q->has_range = (min ? 1 : 0) | (max ? 2 : 0);
  q->min = min ? min->valuedouble : 0;
  q->max = max ? max->valuedouble : 0;
  if (min && max && q->min > q->max) {
    pack_ptr_key(at, sizeof at, qptr, "min");
    return pack_error_at(p, err, CDG_ERR_PACK, at,
                         "\"min\" (%g) is greater than \"max\" (%g)", q->min,
                         q->max);
  }
  return CDG_OK;
}

static cdg_status S_question(const cdg_pack *p, cdg_error *err, cJSON *qo,
                             const char *qptr, cdg_question *q) {
  static const char *const keys[] = {
      "id",  "type", "text",        "help",     "required", "options",
      "min", "max",  "enable_when", "passages", NULL};
  S_KEYS_FIT(keys);
  cJSON *v;
  const char *type;
  char at[S_PTR];
  size_t t;
  S_obj f;
  cdg_status st;

  if (!cJSON_IsObject(qo))
    return pack_error_at(p, err, CDG_ERR_PACK, qptr,
                         "a question must be an object");
  if ((st = S_known_keys(p, err, qo, qptr, keys, &f)) ||
      (st = S_string(p, err, &f, qptr, "id", 1, &q->id)))
    return st;
  if (!S_id_ok(q->id)) {
    pack_ptr_key(at, sizeof at, qptr, "id");
    return pack_error_at(p, err, CDG_ERR_PACK, at,
                         "question id \"%s\" must match [a-z0-9_]+", q->id);
  }
  if ((st = S_string_member(p, err, &f, qptr, "type", 1, &v)))
    return st;
  type = v->valuestring; /* read in place: the tree stays until the end */
  for (t = 0; t < 4 && strcmp(type, S_qtypes[t]) != 0; t++)
    ;
  if (t == 4) {
    pack_ptr_key(at, sizeof at, qptr, "type");
    return pack_error_at(p, err, CDG_ERR_PACK, at,
                         "unknown question type \"%s\" (expected single, "
                         "multi, number or text)",
                         type);
  }
  q->type = (cdg_qtype)t;
  if ((st = S_string(p, err, &f, qptr, "text", 1, &q->text)) ||
      (st = S_string(p, err, &f, qptr, "help", 0, &q->help)))
    return st;
  if (!q->help)
    q->help = "";
  v = S_get(&f, "required");
  if (v && !cJSON_IsBool(v))
    return S_type_error(p, err, qptr, "required", "true or false");
  q->required = v ? cJSON_IsTrue(v) : 1;

  v = S_get(&f, "options");
  if (q->type == CDG_Q_SINGLE || q->type == CDG_Q_MULTI) {
    if (!v)
      return pack_error_at(p, err, CDG_ERR_PACK, qptr,
                           "a %s question needs \"options\"", S_qtypes[t]);
    if ((st = S_options(p, err, v, qptr, q)))
      return st;
  } else if (v) {
    pack_ptr_key(at, sizeof at, qptr, "options");
    return pack_error_at(p, err, CDG_ERR_PACK, at,
                         "a %s question cannot have \"options\"",
                         S_qtypes[t]);
  }
  if ((st = S_range(p, err, &f, qptr, q)))
    return st;

  v = S_get(&f, "passages");
  if (v && (st = S_string_array(p, err, v, qptr, "passages", &q->passages,
                                &q->npassages)))
    return st;

  q->enable_when = S_get(&f, "enable_when");
  if (q->enable_when) {
    pack_ptr_key(at, sizeof at, qptr, "enable_when");
    return S_logic(p, err, q->enable_when, at, &q->enable);
  }
  return CDG_OK;
}

/* ---- Rules ------------------------------------------------------------ */

static cdg_status S_rule(const cdg_pack *p, cdg_error *err, cJSON *ro,
                         const char *rptr, pack_rule *r) {
  static const char *const keys[] = {"id", "when", "cite", "because", NULL};
  S_KEYS_FIT(keys);
  cJSON *v;
  char at[S_PTR];
  S_obj f;
  cdg_status st;

  if (!cJSON_IsObject(ro))
    return pack_error_at(p, err, CDG_ERR_PACK, rptr,
                         "a rule must be an object");
  if ((st = S_known_keys(p, err, ro, rptr, keys, &f)) ||
      (st = S_string(p, err, &f, rptr, "id", 1, &r->id)) ||
      (st = S_member(p, err, &f, rptr, "when", 1, &v)) ||
      (st = S_member(p, err, &f, rptr, "cite", 1, &v)) ||
      (st = S_string_array(p, err, v, rptr, "cite", &r->cite, &r->ncite)))
    return st;
  if (r->ncite == 0) {
    pack_ptr_key(at, sizeof at, rptr, "cite");
    return pack_error_at(p, err, CDG_ERR_PACK, at,
                         "\"cite\" must not be empty");
  }
  if ((st = S_string(p, err, &f, rptr, "because", 1, &r->because)))
    return st;
  r->when = S_get(&f, "when");
  pack_ptr_key(at, sizeof at, rptr, "when");
  return S_logic(p, err, r->when, at, &r->cond);
}

/* ---- Names read by JsonLogic ------------------------------------------ */

typedef struct S_walk {
  pack_var_fn fn;
  void *ctx;
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
  if (suffix)
    json_ptr_append(w->ptr, sizeof w->ptr, n, suffix);
  w->fn(w->ctx, name, w->ptr);
  w->ptr[n] = '\0';
}

static void S_walk_expr(S_walk *w, const cJSON *e, int data_scope);

/* Walk item i of the current array. */
static void S_walk_item(S_walk *w, const cJSON *c, size_t i, int data_scope) {
  size_t n = w->len;
  char idx[24];

  snprintf(idx, sizeof idx, "%zu", i);
  w->len = json_ptr_push(w->ptr, sizeof w->ptr, n, idx);
  S_walk_expr(w, c, data_scope);
  w->len = n;
  w->ptr[n] = '\0';
}

/* Operations whose second argument is evaluated per element. */
static int S_scoped_op(const char *op) {
  const logic_op *o = logic_op_find(op);

  return o && (o->flags & LOGIC_OP_REBINDS);
}

static void S_walk_names(S_walk *w, const char *op, const cJSON *args) {
  const cJSON *c;
  char sfx[32];
  size_t i = 0;

  if (strcmp(op, "var") == 0) {
    if (cJSON_IsString(args))
      S_report(w, args->valuestring, NULL);
    else if (cJSON_IsArray(args) && cJSON_IsString(args->child))
      S_report(w, args->child->valuestring, "/0");
  } else if (strcmp(op, "missing") == 0) {
    if (cJSON_IsString(args))
      S_report(w, args->valuestring, NULL);
    for (c = cJSON_IsArray(args) ? args->child : NULL; c; c = c->next, i++)
      if (cJSON_IsString(c)) {
        snprintf(sfx, sizeof sfx, "/%zu", i);
        S_report(w, c->valuestring, sfx);
      }
  } else if (strcmp(op, "missing_some") == 0) {
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

    w->len = json_ptr_push(w->ptr, sizeof w->ptr, n, c->string);
    if (data_scope)
      S_walk_names(w, c->string, c);
    if (cJSON_IsArray(c) && S_scoped_op(c->string)) {
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

void pack_walk_vars(const cJSON *expr, pack_var_fn fn, void *ctx) {
  S_walk w;

  w.fn = fn;
  w.ctx = ctx;
  w.ptr[0] = '\0';
  w.len = 0;
  S_walk_expr(&w, expr, 1);
}

/* ---- Dependencies and order ------------------------------------------- */

typedef struct S_deps {
  cdg_pack *pack;
  cdg_question *q;
  size_t *seen;   /* seen[j] == stamp: j is already a dep of q */
  size_t stamp;   /* one per walk */
  size_t cap;
  int unresolved; /* a name is no question indexed so far */
  int nomem;
} S_deps;

static void S_add_dep(void *ctx, const char *name, const char *pointer) {
  S_deps *d = ctx;
  const cdg_question *dep = cdg_pack_find_question(d->pack, name);
  cdg_question *q = d->q;
  size_t j;

  (void)pointer;
  if (!dep)
    d->unresolved = 1; /* unknown at the end: the linter's to report */
  if (!dep || d->nomem)
    return;
  j = dep->index;
  if (d->seen[j] == d->stamp)
    return;
  d->seen[j] = d->stamp;
  if (q->ndeps == d->cap) {
    size_t cap = d->cap ? d->cap * 2 : 4;
    const char **ids = cdg_realloc(q->deps, cap * sizeof *ids);
    size_t *idx;

    if (ids)
      q->deps = ids;
    idx = ids ? cdg_realloc(q->depidx, cap * sizeof *idx) : NULL;
    if (!idx) {
      d->nomem = 1;
      return;
    }
    q->depidx = idx;
    d->cap = cap;
  }
  q->deps[q->ndeps] = dep->id; /* borrowed from the dependency */
  q->depidx[q->ndeps++] = j;
}

/* Set the dependencies of q (none if it has no enable_when) from the
** questions indexed so far. */
static void S_deps_of(S_deps *d, cdg_question *q) {
  cdg_free(q->deps);
  cdg_free(q->depidx);
  q->deps = NULL;
  q->depidx = NULL;
  q->ndeps = 0;
  d->q = q;
  d->cap = 0;
  d->stamp++;
  d->unresolved = 0;
  if (q->enable_when)
    pack_walk_vars(q->enable_when, S_add_dep, d);
}

/* Report the cycle on the DFS stack from node d up to the top. */
static cdg_status S_cycle(const cdg_pack *p, cdg_error *err,
                          const size_t *stack, size_t sp, size_t d) {
  char msg[400], at[S_PTR];
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
    st = S_nomem(p, err);
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

/* ---- Loading ---------------------------------------------------------- */

static cdg_status S_source(cdg_pack *p, cdg_error *err, const S_obj *root) {
  static const char *const keys[] = {"title", "publisher", "sha256", NULL};
  S_KEYS_FIT(keys);
  cJSON *src;
  S_obj f;
  const char *h;
  cdg_status st;

  if ((st = S_member(p, err, root, "", "source", 1, &src)))
    return st;
  if (!cJSON_IsObject(src))
    return S_type_error(p, err, "", "source", "an object");
  if ((st = S_known_keys(p, err, src, "/source", keys, &f)) ||
      (st = S_string(p, err, &f, "/source", "title", 1, &p->source_title)) ||
      (st = S_string(p, err, &f, "/source", "publisher", 1,
                     &p->source_publisher)) ||
      (st = S_string(p, err, &f, "/source", "sha256", 1, &p->source_sha256)))
    return st;
  for (h = p->source_sha256; *h; h++)
    if (!((*h >= '0' && *h <= '9') || (*h >= 'a' && *h <= 'f')))
      break;
  if (*h || h - p->source_sha256 != 64)
    return S_type_error(p, err, "/source", "sha256",
                        "64 lower-case hex digits");
  return CDG_OK;
}

/*
** The questions and the rules are built as the parse completes each one,
** while its tree is in cache (json_parse_arena's each); what needs them
** all (ids, dependencies, order) is done after the parse. The first
** failure in each list is held, and reported after the parse unless a
** syntax error, or a pack error earlier in the order of S_build, comes
** first: the same error as when the build followed the parse.
*/
typedef struct S_load {
  cdg_pack *p;
  cdg_status st[2];    /* questions, rules: first failure, or CDG_OK */
  size_t at[2];        /* the item that failed */
  cdg_error held[2];
  size_t cap[2];       /* capacity of p->questions, p->rules */
} S_load;

/* items (n of them, cap allocated, of size bytes) with room for one more,
** zeroed; NULL when out of memory (items left as they are). */
static void *S_room(void *items, size_t n, size_t *cap, size_t size) {
  size_t c = *cap ? 2 * *cap : 64;
  char *bigger;

  if (n < *cap)
    return items;
  if (c > SIZE_MAX / size || !(bigger = cdg_realloc(items, c * size)))
    return NULL;
  memset(bigger + *cap * size, 0, (c - *cap) * size);
  *cap = c;
  return bigger;
}

static void S_item(void *ctx, const char *member, size_t i, cJSON *item) {
  S_load *L = ctx;
  cdg_pack *p = L->p;
  int r = member[0] == 'r'; /* "rules", else "questions" */
  size_t *n = r ? &p->nrules : &p->nquestions;
  void *items = r ? (void *)p->rules : (void *)p->questions;
  char at[S_PTR];
  cdg_status st;

  /* After a failure, or in a second list of the same name (which the
  ** parse rejects), there is nothing to build. */
  if (L->st[r] || i != *n)
    return;
  items = S_room(items, i, &L->cap[r],
                 r ? sizeof *p->rules : sizeof *p->questions);
  if (!items) {
    L->st[r] = S_nomem(p, &L->held[r]);
    L->at[r] = i;
    return;
  }
  (*n)++;
  if (r) {
    p->rules = items;
    S_ptr_index(at, sizeof at, "/rules", i);
    st = S_rule(p, &L->held[r], item, at, &p->rules[i]);
  } else {
    p->questions = items;
    p->questions[i].index = i;
    S_ptr_index(at, sizeof at, "/questions", i);
    st = S_question(p, &L->held[r], item, at, &p->questions[i]);
  }
  if (st) {
    L->st[r] = st;
    L->at[r] = i;
  }
}

/* How many items of list r (0 questions, 1 rules) were built whole. */
static size_t S_built(const S_load *L, int r) {
  return L->st[r] ? L->at[r] : r ? L->p->nrules : L->p->nquestions;
}

/* The failure held for list r, or CDG_OK. */
static cdg_status S_held(const S_load *L, int r, cdg_error *err) {
  if (err && L->st[r])
    *err = L->held[r];
  return L->st[r];
}

static cdg_status S_questions(cdg_pack *p, cdg_error *err, const S_obj *root,
                              const S_load *L) {
  cJSON *arr;
  char at[S_PTR];
  size_t i, n = S_built(L, 0), *hash = NULL;
  unsigned char *redo;
  S_deps d;
  cdg_status st;

  if ((st = S_member(p, err, root, "", "questions", 1, &arr)))
    return st;
  if (!cJSON_IsArray(arr))
    return S_type_error(p, err, "", "questions", "an array");
  if (pack_index_init(&p->qindex, p->nquestions, S_qkey, p->questions) < 0)
    st = S_nomem(p, err);
  d.pack = p;
  d.nomem = 0;
  d.stamp = 0;
  d.seen = cdg_calloc(p->nquestions, sizeof *d.seen);
  redo = cdg_calloc(p->nquestions, 1);
  hash = cdg_calloc(n, sizeof *hash);
  if (!d.seen || !redo || !hash)
    st = S_nomem(p, err);
  for (i = 0; !st && i < n; i++)
    hash[i] = json_hash(p->questions[i].id);
  for (i = 0; !st && i < n; i++) {
    cdg_question *q = &p->questions[i];

#if defined(__GNUC__) /* on a big pack each slot is a cache miss */
    if (i + 8 < n)
      __builtin_prefetch(&p->qindex.slot[hash[i + 8] & p->qindex.mask]);
#endif
    if (pack_index_put(&p->qindex, i, hash[i])) {
      S_ptr_index(at, sizeof at, "/questions", i);
      pack_ptr_key(at, sizeof at, at, "id");
      st = pack_error_at(p, err, CDG_ERR_PACK, at,
                         "duplicate question id \"%s\"", q->id);
      break;
    }
    /* What enable_when reads: most conditions read earlier questions,
    ** whose slots are still in cache; the others are done again once
    ** every question is indexed. */
    S_deps_of(&d, q);
    redo[i] = (unsigned char)d.unresolved;
  }
  if (!st)
    st = S_held(L, 0, err);
  for (i = 0; !st && i < n; i++)
    if (redo[i])
      S_deps_of(&d, &p->questions[i]);
  if (!st && d.nomem)
    st = S_nomem(p, err);
  cdg_free(d.seen);
  cdg_free(redo);
  cdg_free(hash);
  return st;
}

static cdg_status S_rules(cdg_pack *p, cdg_error *err, const S_obj *root,
                          const S_load *L) {
  cJSON *arr;
  char at[S_PTR];
  size_t i, n = S_built(L, 1);
  pack_index ids;
  cdg_status st = CDG_OK;

  if ((st = S_member(p, err, root, "", "rules", 1, &arr)))
    return st;
  if (!cJSON_IsArray(arr))
    return S_type_error(p, err, "", "rules", "an array");
  if (pack_index_init(&ids, p->nrules, S_rkey, p->rules) < 0)
    return S_nomem(p, err);
  for (i = 0; !st && i < n; i++)
    if (pack_index_put(&ids, i, json_hash(p->rules[i].id))) {
      S_ptr_index(at, sizeof at, "/rules", i);
      pack_ptr_key(at, sizeof at, at, "id");
      st = pack_error_at(p, err, CDG_ERR_PACK, at, "duplicate rule id \"%s\"",
                         p->rules[i].id);
    }
  pack_index_free(&ids);
  return st ? st : S_held(L, 1, err);
}

static cdg_status S_build(cdg_pack *p, cdg_error *err, cJSON *root,
                          const S_load *L) {
  static const char *const keys[] = {"id",     "version",   "title",
                                     "source", "questions", "rules",
                                     NULL};
  S_KEYS_FIT(keys);
  S_obj f;
  cdg_status st;

  if (!cJSON_IsObject(root))
    return pack_error_at(p, err, CDG_ERR_PACK, "",
                         "a pack must be a JSON object");
  if ((st = S_known_keys(p, err, root, "", keys, &f)) ||
      (st = S_string(p, err, &f, "", "id", 1, &p->id)) ||
      (st = S_string(p, err, &f, "", "version", 1, &p->version)) ||
      (st = S_string(p, err, &f, "", "title", 1, &p->title)) ||
      (st = S_source(p, err, &f)) || (st = S_questions(p, err, &f, L)) ||
      (st = S_rules(p, err, &f, L)))
    return st;
  return S_topo(p, err);
}

/* The conditions, which the linter and the walker read again and again,
** are kept together in the arena. */
static const char *const S_conditions[] = {"enable_when", "when", NULL};
static const char *const S_lists[] = {"questions", "rules", NULL};

cdg_status cdg_pack_load(const char *json, size_t len, const char *file,
                         cdg_pack **out, cdg_error *err) {
  cdg_pack *p;
  cJSON *root = NULL;
  json_arena_opts opts;
  S_load L;
  cdg_status st;

  *out = NULL;
  if (!file)
    file = "<pack>";
  p = cdg_calloc(1, sizeof *p);
  if (!p)
    return json_error(err, CDG_ERR_NOMEM, file, "out of memory");
  p->file = cdg_strdup(file);
  p->text = cdg_malloc(len + 1);
  if (!p->file || !p->text) {
    cdg_pack_free(p);
    return json_error(err, CDG_ERR_NOMEM, file, "out of memory");
  }
  if (len) /* json may be NULL when len is 0: memcpy would be undefined */
    memcpy(p->text, json, len);
  p->text[len] = '\0';
  p->len = len;
  memset(&L, 0, sizeof L);
  L.p = p;
  opts.apart = S_conditions;
  opts.each = S_lists;
  opts.fn = S_item;
  opts.ctx = &L;
  st = json_parse_arena(json, len, file, &opts, &root, &p->arena, err);
  if (!st)
    st = S_build(p, err, root, &L);
  if (st) {
    cdg_pack_free(p);
    return st;
  }
  *out = p;
  return CDG_OK;
}

void cdg_pack_free(cdg_pack *pack) {
  size_t i;

  if (!pack)
    return;
  for (i = 0; pack->questions && i < pack->nquestions; i++) {
    cdg_question *q = &pack->questions[i];

    logic_free(q->enable);
    cdg_free(q->deps);
    cdg_free(q->depidx);
    cdg_free(q->passages);
  }
  for (i = 0; pack->rules && i < pack->nrules; i++) {
    logic_free(pack->rules[i].cond);
    cdg_free(pack->rules[i].cite);
  }
  cdg_free(pack->questions);
  cdg_free(pack->rules);
  cdg_free(pack->topo);
  pack_index_free(&pack->qindex);
  cdg_free(pack->file);
  cdg_free(pack->text);
  json_arena_free(pack->arena);
  cdg_free(pack);
}

/* ---- Accessors -------------------------------------------------------- */

const char *cdg_pack_id(const cdg_pack *pack) { return pack->id; }
const char *cdg_pack_version(const cdg_pack *pack) { return pack->version; }
const char *cdg_pack_title(const cdg_pack *pack) { return pack->title; }
const char *cdg_pack_file(const cdg_pack *pack) { return pack->file; }

const char *cdg_pack_source_title(const cdg_pack *pack) {
  return pack->source_title;
}

const char *cdg_pack_source_publisher(const cdg_pack *pack) {
  return pack->source_publisher;
}

const char *cdg_pack_source_sha256(const cdg_pack *pack) {
  return pack->source_sha256;
}

size_t cdg_pack_question_count(const cdg_pack *pack) {
  return pack->nquestions;
}

const cdg_question *cdg_pack_question(const cdg_pack *pack, size_t i) {
  return i < pack->nquestions ? &pack->questions[i] : NULL;
}

const cdg_question *cdg_pack_find_question(const cdg_pack *pack,
                                           const char *id) {
  long i = pack && id ? pack_index_get(&pack->qindex, id) : -1;

  return i >= 0 ? &pack->questions[i] : NULL;
}

const char *cdg_question_id(const cdg_question *q) { return q->id; }
cdg_qtype cdg_question_type(const cdg_question *q) { return q->type; }
const char *cdg_question_text(const cdg_question *q) { return q->text; }
const char *cdg_question_help(const cdg_question *q) { return q->help; }
int cdg_question_required(const cdg_question *q) { return q->required; }
size_t cdg_question_index(const cdg_question *q) { return q->index; }

size_t cdg_question_option_count(const cdg_question *q) {
  return q->noptions;
}

const char *cdg_question_option_code(const cdg_question *q, size_t i) {
  return i < q->noptions ? q->options[i].code : NULL;
}

const char *cdg_question_option_label(const cdg_question *q, size_t i) {
  return i < q->noptions ? q->options[i].label : NULL;
}

int cdg_question_option_exclusive(const cdg_question *q, size_t i) {
  return i < q->noptions && q->options[i].exclusive;
}

/* Linear: questions have a handful of options. */
long cdg_question_find_option(const cdg_question *q, const char *code) {
  size_t i;

  for (i = 0; code && i < q->noptions; i++)
    if (strcmp(q->options[i].code, code) == 0)
      return (long)i;
  return -1;
}

/* Returns 1 for min only, 2 for max only, 3 for both; an absent bound is
** left as 0. */
int cdg_question_range(const cdg_question *q, double *min, double *max) {
  if (min)
    *min = q->min;
  if (max)
    *max = q->max;
  return q->has_range;
}

int cdg_question_conditional(const cdg_question *q) {
  return q->enable_when != NULL;
}

char *cdg_question_enable_when_json(const cdg_question *q) {
  return q->enable_when ? cJSON_PrintUnformatted(q->enable_when) : NULL;
}

size_t cdg_question_passage_count(const cdg_question *q) {
  return q->npassages;
}

const char *cdg_question_passage(const cdg_question *q, size_t i) {
  return i < q->npassages ? q->passages[i] : NULL;
}

size_t cdg_pack_rule_count(const cdg_pack *pack) { return pack->nrules; }

const char *cdg_rule_id(const cdg_pack *pack, size_t r) {
  return r < pack->nrules ? pack->rules[r].id : NULL;
}

const char *cdg_rule_because(const cdg_pack *pack, size_t r) {
  return r < pack->nrules ? pack->rules[r].because : NULL;
}

size_t cdg_rule_cite_count(const cdg_pack *pack, size_t r) {
  return r < pack->nrules ? pack->rules[r].ncite : 0;
}

const char *cdg_rule_cite(const cdg_pack *pack, size_t r, size_t i) {
  return r < pack->nrules && i < pack->rules[r].ncite ? pack->rules[r].cite[i]
                                                      : NULL;
}
