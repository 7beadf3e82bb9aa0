/*
** pack_read.c: reading the members of a pack's JSON objects, with every
** error at the JSON Pointer and line:col of the value at fault. Shared by
** the loader (pack.c) and the report member's reader (pack_report.c).
*/
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "pack.h"

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

cdg_status pack_nomem(const cdg_pack *pack, cdg_error *err) {
  return cdg_error_set(err, CDG_ERR_NOMEM, pack->file, NULL, "out of memory");
}

void pack_ptr_key(char *buf, size_t size, const char *base,
                  const char *key) {
  size_t n = buf == base ? strlen(buf) : json_ptr_append(buf, size, 0, base);

  json_ptr_push(buf, size, n, key);
}

/* base + "/" + i, cut like pack_ptr_key. */
void pack_ptr_index(char *buf, size_t size, const char *base, size_t i) {
  char num[24], *d = num + sizeof num;

  *--d = '\0';
  do
    *--d = (char)('0' + i % 10);
  while ((i /= 10) != 0);
  pack_ptr_key(buf, size, base, d);
}

/* ---- Field readers ---------------------------------------------------- */


/* Find the members of obj named in keys into *o (json_parse refuses
** duplicate keys, so each is the only one). Fail on any other key (a typo
** such as "enable_When" would otherwise be ignored silently). */
cdg_status pack_known_keys(const cdg_pack *p, cdg_error *err,
                               const cJSON *obj, const char *ptr,
                               const char *const *keys, pack_obj *o) {
  const cJSON *c;
  size_t k;
  char at[PACK_PTR];

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
const cJSON *pack_field(const pack_obj *o, const char *key) {
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
cdg_status pack_member(const cdg_pack *p, cdg_error *err,
                           const pack_obj *o, const char *ptr,
                           const char *key, int required, const cJSON **v) {
  *v = pack_field(o, key);
  if (!*v && required)
    return pack_error_at(p, err, CDG_ERR_PACK, ptr,
                         "missing required field \"%s\"", key);
  return CDG_OK;
}

cdg_status pack_type_error(const cdg_pack *p, cdg_error *err,
                               const char *ptr, const char *key,
                               const char *what) {
  char at[PACK_PTR];

  pack_ptr_key(at, sizeof at, ptr, key);
  return pack_error_at(p, err, CDG_ERR_PACK, at, "\"%s\" must be %s", key,
                       what);
}

/* A string member, checked: *v is NULL when absent and optional.
** Required strings must not be empty. */
cdg_status pack_string_member(const cdg_pack *p, cdg_error *err,
                                  const pack_obj *o, const char *ptr,
                                  const char *key, int required,
                                  const cJSON **v) {
  cdg_status st = pack_member(p, err, o, ptr, key, required, v);

  if (st || !*v)
    return st;
  if (!cJSON_IsString(*v))
    return pack_type_error(p, err, ptr, key, "a string");
  if (required && !(*v)->valuestring[0])
    return pack_type_error(p, err, ptr, key, "a non-empty string");
  return CDG_OK;
}

/* A string member, copied into the pack's store (the parts of the tree
** go as they are read), into *out (left NULL when absent and optional). */
cdg_status pack_string(const cdg_pack *p, cdg_error *err,
                           const pack_obj *o, const char *ptr, const char *key,
                           int required, const char **out) {
  const cJSON *v;
  cdg_status st = pack_string_member(p, err, o, ptr, key, required, &v);

  if (!st && v && !(*out = json_store_strdup(p->store, v->valuestring)))
    return pack_nomem(p, err);
  return st;
}

/* An array of non-empty strings (passage ids), copied. */
cdg_status pack_string_array(const cdg_pack *p, cdg_error *err,
                                 const cJSON *arr, const char *ptr,
                                 const char *key, const char ***out,
                                 size_t *n) {
  const cJSON *c;
  char at[PACK_PTR], item[PACK_PTR];
  size_t i = 0;

  if (!cJSON_IsArray(arr))
    return pack_type_error(p, err, ptr, key, "an array of strings");
  pack_ptr_key(at, sizeof at, ptr, key);
  *n = (size_t)cJSON_GetArraySize(arr);
  *out = cdg_arena_calloc(p->arena, *n, sizeof **out);
  if (!*out)
    return pack_nomem(p, err);
  for (c = arr->child; c; c = c->next, i++) {
    if (!cJSON_IsString(c) || !c->valuestring[0]) {
      pack_ptr_index(item, sizeof item, at, i);
      return pack_error_at(p, err, CDG_ERR_PACK, item,
                           "\"%s\" must list non-empty strings", key);
    }
    if (!((*out)[i] = json_store_strdup(p->store, c->valuestring)))
      return pack_nomem(p, err);
  }
  return CDG_OK;
}

/* ---- The text a part at a time ---------------------------------------- */

/* The scratch store is renewed past this many bytes: a few items' trees
** at a time, whatever the size of the pack. */
#define S_SCRATCH (256 * 1024)

/* Is the key at t (its opening quote) the literal "name", no escapes? */
static int S_key_is(const char *t, size_t len, size_t at, const char *name) {
  size_t n = strlen(name);

  return at + n + 2 <= len && t[at + n + 1] == '"' &&
         memcmp(t + at + 1, name, n) == 0;
}

/* Offset past the key string at t[at] == '"' (the scan has checked it). */
static size_t S_key_end(const char *t, size_t len, size_t at) {
  for (at++; at < len && t[at] != '"'; at++)
    if (t[at] == '\\')
      at++;
  return at + 1;
}

/* An empty list whose items' conditions are their member cond. */
static void S_list_init(pack_list *l, const char *cond) {
  memset(l, 0, sizeof *l);
  l->cond = cond;
}

cdg_status pack_root(cdg_pack *p, cdg_error *err, const json_doc *doc,
                     json_store *store, const cJSON **root,
                     pack_list *questions, pack_list *rules) {
  const char *t = doc->src;
  size_t k = 0, i = 0, n = doc->nspan, end, items, iend, len = p->len;
  cJSON *obj;

  S_list_init(questions, "enable_when");
  S_list_init(rules, "when");
  while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' ||
                     t[i] == '\r'))
    i++;
  if (i >= len || t[i] != '{') {
    *root = json_store_parse(store, t, len);
    return *root ? CDG_OK : pack_nomem(p, err);
  }
  if (!(obj = json_store_object(store)))
    return pack_nomem(p, err);
  while (k < n) {
    const json_span *m = &doc->span[k];
    pack_list *l = NULL;

    /* the member's items follow it, each with its members (inside it) */
    for (end = k + 1, items = 0, iend = 0; end < n; end++) {
      const json_span *e = &doc->span[end];

      if (e->key == SIZE_MAX) {
        items++;
        iend = e->end;
      } else if (e->start >= iend) {
        break; /* the next member of the root */
      }
    }
    if (t[m->start] == '[' && S_key_is(t, len, m->key, "questions"))
      l = questions;
    else if (t[m->start] == '[' && S_key_is(t, len, m->key, "rules"))
      l = rules;
    if (l) {
      l->doc = doc;
      l->span = doc->span + k + 1;
      l->n = end - k - 1;
      l->nitems = items;
    }
    if (json_store_add(store, obj, t + m->key,
                       S_key_end(t, len, m->key) - m->key,
                       l ? "[]" : t + m->start,
                       l ? 2 : m->end - m->start) != 0)
      return pack_nomem(p, err);
    k = end;
  }
  *root = obj;
  return CDG_OK;
}

size_t pack_list_count(const pack_list *l, const cJSON *arr) {
  return l->span ? l->nitems : (size_t)cJSON_GetArraySize(arr);
}

const cJSON *pack_list_next(pack_list *l, const cJSON *arr, int *nomem) {
  const json_span *s;
  const cJSON *item;
  const char *t;

  *nomem = 0;
  l->csrc = NULL;
  l->clen = 0;
  if (!l->span) {
    l->cur = l->i++ ? (l->cur ? l->cur->next : NULL) : arr->child;
    return l->cur;
  }
  if (l->i >= l->n)
    return NULL;
  if (l->scratch && json_store_bytes(l->scratch) > S_SCRATCH) {
    json_store_free(l->scratch); /* the items before this one are done */
    l->scratch = NULL;
  }
  if (!l->scratch && !(l->scratch = json_store_create())) {
    *nomem = 1;
    return NULL;
  }
  s = &l->span[l->i++];
  t = l->doc->src;
  for (; l->i < l->n && l->span[l->i].key != SIZE_MAX; l->i++)
    if (S_key_is(t, s->end, l->span[l->i].key, l->cond)) {
      l->csrc = t + l->span[l->i].start;
      l->clen = l->span[l->i].end - l->span[l->i].start;
    }
  if (!(item = json_store_parse(l->scratch, t + s->start, s->end - s->start)))
    *nomem = 1;
  return item;
}

int pack_list_cond(pack_list *l, const cJSON *v, json_store *store,
                   pack_text *out) {
  char *text;

  if (l->csrc) {
    out->s = l->csrc;
    out->n = l->clen;
    return 0;
  }
  /* a list parsed whole has no spans: the condition's text, compact */
  if (!(text = cJSON_PrintUnformatted(v)))
    return -1;
  out->s = json_store_strdup(store, text);
  out->n = strlen(text);
  cJSON_free(text);
  return out->s ? 0 : -1;
}

void pack_list_free(pack_list *l) {
  json_store_free(l->scratch);
  l->scratch = NULL;
}
