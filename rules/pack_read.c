/*
** pack_read.c: reading the members of a pack's JSON objects, with every
** error at the JSON Pointer and line:col of the value at fault. Shared by
** the loader (pack.c) and the report member's reader (pack_report.c).
*/
#include <stdarg.h>
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

/* A string member, borrowed from the tree into *out (left NULL when
** absent and optional). */
cdg_status pack_string(const cdg_pack *p, cdg_error *err,
                           const pack_obj *o, const char *ptr, const char *key,
                           int required, const char **out) {
  const cJSON *v;
  cdg_status st = pack_string_member(p, err, o, ptr, key, required, &v);

  if (!st && v)
    *out = v->valuestring;
  return st;
}

/* An array of non-empty strings (passage ids), borrowed. */
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
    (*out)[i] = c->valuestring;
  }
  return CDG_OK;
}
