/*
** pack.c: the pack loader. JSON text in, the checked model of pack.h out.
**
** The text is parsed into cJSON's own tree (json_parse), which the pack
** keeps: every string of the model is borrowed from it. Every format
** error names the file, the JSON Pointer of the offending value and its
** line:col. Loading is linear in the size of the pack: ids go into hash
** indexes (pack_index.c), and the enable_when order comes from one
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
  *n = (size_t)cJSON_GetArraySize(arr);
  *out = cdg_arena_calloc(p->arena, *n, sizeof **out);
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
  /* all of a pack's conditions in one slots table: the outcome and the
  ** walker evaluate them on a frame of the answers */
  st = logic_compile_in(expr, p->slots, 1, out, &lerr);
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

/* The question types a pack may name; integer and date refine number and
** text (cdg_rules.h). */
const pack_qtype pack_qtypes[PACK_NQTYPES] = {
    {"single", CDG_Q_SINGLE, CDG_QF_NONE},
    {"multi", CDG_Q_MULTI, CDG_QF_NONE},
    {"number", CDG_Q_NUMBER, CDG_QF_NONE},
    {"text", CDG_Q_TEXT, CDG_QF_NONE},
    {"integer", CDG_Q_NUMBER, CDG_QF_INTEGER},
    {"date", CDG_Q_TEXT, CDG_QF_DATE}};

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
  q->noptions = (size_t)cJSON_GetArraySize(arr);
  if (q->noptions > CDG_MAX_OPTIONS)
    return pack_error_at(p, err, CDG_ERR_PACK, at,
                         "\"options\" has %zu items, more than %d",
                         q->noptions, CDG_MAX_OPTIONS);
  /* In the arena: one after another, as the linter reads them. */
  q->options = cdg_arena_calloc(p->arena, q->noptions, sizeof *q->options);
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

/* A bound of an integer question must itself be a whole number. */
static int S_bound_ok(const cdg_question *q, const cJSON *v) {
  return cJSON_IsNumber(v) &&
         (q->format != CDG_QF_INTEGER || cdg_whole_number(v->valuedouble));
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
                         "\"%s\" applies only to number and integer "
                         "questions",
                         min ? "min" : "max");
  }
  if (min && !S_bound_ok(q, min))
    return S_type_error(p, err, qptr, "min",
                        q->format ? "a whole number" : "a number");
  if (max && !S_bound_ok(q, max))
    return S_type_error(p, err, qptr, "max",
                        q->format ? "a whole number" : "a number");
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
  for (t = 0; t < PACK_NQTYPES && strcmp(type, pack_qtypes[t].name) != 0; t++)
    ;
  if (t == PACK_NQTYPES) {
    pack_ptr_key(at, sizeof at, qptr, "type");
    return pack_error_at(p, err, CDG_ERR_PACK, at,
                         "unknown question type \"%s\" (expected single, "
                         "multi, number, integer, text or date)",
                         type);
  }
  q->type = pack_qtypes[t].type;
  q->format = pack_qtypes[t].format;
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
                           "a %s question needs \"options\"", type);
    if ((st = S_options(p, err, v, qptr, q)))
      return st;
  } else if (v) {
    pack_ptr_key(at, sizeof at, qptr, "options");
    return pack_error_at(p, err, CDG_ERR_PACK, at,
                         "a %s question cannot have \"options\"", type);
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

/* *items (n of them, *cap allocated, of size bytes) with room for one
** more, zeroed: 0, or -1 when out of memory (*items left as it is).
** Grown as the list is read: counting a long list first would walk it
** twice, a cache miss per item each time. */
static int S_room(void **items, size_t n, size_t *cap, size_t size) {
  size_t c = *cap ? 2 * *cap : 64;
  char *bigger;

  if (n < *cap)
    return 0;
  if (c > SIZE_MAX / size || !(bigger = cdg_realloc(*items, c * size)))
    return -1;
  memset(bigger + *cap * size, 0, (c - *cap) * size);
  *items = bigger;
  *cap = c;
  return 0;
}

/*
** The n ids of a list (keyof) into x; the first that repeats an earlier
** one is an error at base/i/id, what ("question", "rule") naming it.
** A list is built whole, or up to its first bad item, before its ids are
** indexed, so that the first error in pack order is the one reported:
** the caller passes the ids built before the bad item, and reports that
** item's error only if none of them repeats.
*/
static cdg_status S_ids(const cdg_pack *p, cdg_error *err, pack_index *x,
                        size_t n, pack_keyfn keyof, const void *items,
                        const char *base, const char *what) {
  char at[S_PTR];
  size_t i;

  if (pack_index_init(x, n, keyof, items) < 0)
    return S_nomem(p, err);
  for (i = 0; i < n; i++)
    if (pack_index_put(x, i, json_hash(keyof(items, i)))) {
      S_ptr_index(at, sizeof at, base, i);
      pack_ptr_key(at, sizeof at, at, "id");
      return pack_error_at(p, err, CDG_ERR_PACK, at, "duplicate %s id \"%s\"",
                           what, keyof(items, i));
    }
  return CDG_OK;
}

static cdg_status S_questions(cdg_pack *p, cdg_error *err,
                              const S_obj *root) {
  cJSON *arr, *c;
  char at[S_PTR];
  size_t i = 0, cap = 0;
  cdg_error held;
  cdg_status st, bad = CDG_OK;

  if ((st = S_member(p, err, root, "", "questions", 1, &arr)))
    return st;
  if (!cJSON_IsArray(arr))
    return S_type_error(p, err, "", "questions", "an array");
  for (c = arr->child; c && !bad; c = c->next, i++) {
    cdg_question *q;

    if (S_room((void **)&p->questions, i, &cap, sizeof *p->questions) < 0)
      return S_nomem(p, err);
    q = &p->questions[i];
    q->index = i;
    p->nquestions = i + 1; /* freed with the pack, even half built */
    S_ptr_index(at, sizeof at, "/questions", i);
    bad = S_question(p, &held, c, at, q);
  }
  if ((st = S_ids(p, err, &p->qindex, bad ? i - 1 : i, S_qkey, p->questions,
                  "/questions", "question")))
    return st;
  if (bad && err)
    *err = held;
  return bad;
}

static cdg_status S_rules(cdg_pack *p, cdg_error *err, const S_obj *root) {
  cJSON *arr, *c;
  char at[S_PTR];
  size_t i = 0, cap = 0;
  pack_index ids;
  cdg_error held;
  cdg_status st, bad = CDG_OK;

  if ((st = S_member(p, err, root, "", "rules", 1, &arr)))
    return st;
  if (!cJSON_IsArray(arr))
    return S_type_error(p, err, "", "rules", "an array");
  for (c = arr->child; c && !bad; c = c->next, i++) {
    if (S_room((void **)&p->rules, i, &cap, sizeof *p->rules) < 0)
      return S_nomem(p, err);
    p->nrules = i + 1;
    S_ptr_index(at, sizeof at, "/rules", i);
    bad = S_rule(p, &held, c, at, &p->rules[i]);
  }
  st = S_ids(p, err, &ids, bad ? i - 1 : i, S_rkey, p->rules, "/rules",
             "rule");
  pack_index_free(&ids);
  if (st)
    return st;
  if (bad && err)
    *err = held;
  return bad;
}

/* ---- The report member -------------------------------------------------- */

/* The question named by the string member key of o, which must have type
** t (borrowed from the pack; NULL and CDG_OK when absent and optional). */
static cdg_status S_question_ref(const cdg_pack *p, cdg_error *err,
                                 const S_obj *o, const char *ptr,
                                 const char *key, int required, cdg_qtype t,
                                 const cdg_question **out) {
  const char *id = NULL;
  char at[S_PTR];
  long i;
  cdg_status st = S_string(p, err, o, ptr, key, required, &id);

  *out = NULL;
  if (st || !id)
    return st;
  pack_ptr_key(at, sizeof at, ptr, key);
  if ((i = pack_index_get(&p->qindex, id)) < 0)
    return pack_error_at(p, err, CDG_ERR_PACK, at, "unknown question \"%s\"",
                         id);
  if (p->questions[i].type != t)
    return pack_error_at(p, err, CDG_ERR_PACK, at,
                         "question \"%s\" must be a %s question", id,
                         pack_qtypes[t].name); /* rows 0-3 are the cdg_qtypes */
  *out = &p->questions[i];
  return CDG_OK;
}

/* One treatment of the recap: {"code", "outcome"}. Room is left for more
** per-treatment questions (details) as further members. */
static cdg_status S_treatment(cdg_pack *p, cdg_error *err, cJSON *to,
                              const char *ptr, size_t k) {
  static const char *const keys[] = {"code", "outcome", NULL};
  S_KEYS_FIT(keys);
  pack_report *r = &p->report;
  const cdg_question *q = r->treatments;
  const char *code = NULL;
  char at[S_PTR];
  size_t i, j;
  S_obj f;
  cdg_status st;

  if (!cJSON_IsObject(to))
    return pack_error_at(p, err, CDG_ERR_PACK, ptr,
                         "a treatment must be an object");
  if ((st = S_known_keys(p, err, to, ptr, keys, &f)) ||
      (st = S_string(p, err, &f, ptr, "code", 1, &code)) ||
      (st = S_question_ref(p, err, &f, ptr, "outcome", 0, CDG_Q_SINGLE,
                           &r->treatment[k].outcome)))
    return st;
  pack_ptr_key(at, sizeof at, ptr, "code");
  for (i = 0; i < q->noptions && strcmp(q->options[i].code, code) != 0; i++)
    ;
  if (i == q->noptions || q->options[i].exclusive)
    return pack_error_at(p, err, CDG_ERR_PACK, at,
                         "\"%s\" is not a treatment of question \"%s\"",
                         code, q->id);
  for (j = 0; j < k; j++)
    if (r->treatment[j].option == i)
      return pack_error_at(p, err, CDG_ERR_PACK, at,
                           "treatment \"%s\" is listed twice", code);
  r->treatment[k].option = i;
  return CDG_OK;
}

/* "recap": {"question", "treatments": [...], "not_recorded": [codes]}. */
static cdg_status S_recap(cdg_pack *p, cdg_error *err, cJSON *ro) {
  static const char *const keys[] = {"question", "treatments",
                                     "not_recorded", NULL};
  S_KEYS_FIT(keys);
  static const char ptr[] = "/report/recap";
  pack_report *r = &p->report;
  char at[S_PTR], item[S_PTR];
  cJSON *arr, *c;
  size_t i, k = 0;
  S_obj f;
  cdg_status st;

  if (!cJSON_IsObject(ro))
    return S_type_error(p, err, "/report", "recap", "an object");
  if ((st = S_known_keys(p, err, ro, ptr, keys, &f)) ||
      (st = S_question_ref(p, err, &f, ptr, "question", 1, CDG_Q_MULTI,
                           &r->treatments)) ||
      (st = S_member(p, err, &f, ptr, "treatments", 1, &arr)))
    return st;
  if (!cJSON_IsArray(arr) || !arr->child)
    return S_type_error(p, err, ptr, "treatments", "a non-empty array");
  r->ntreatments = (size_t)cJSON_GetArraySize(arr);
  r->treatment =
      cdg_arena_calloc(p->arena, r->ntreatments, sizeof *r->treatment);
  if (!r->treatment)
    return S_nomem(p, err);
  pack_ptr_key(at, sizeof at, ptr, "treatments");
  for (c = arr->child; c; c = c->next, k++) {
    S_ptr_index(item, sizeof item, at, k);
    if ((st = S_treatment(p, err, c, item, k)))
      return st;
  }
  c = S_get(&f, "not_recorded");
  if (c && (st = S_string_array(p, err, c, ptr, "not_recorded",
                                &r->not_recorded, &r->nnot_recorded)))
    return st;
  /* A code no outcome has is a typo that would hide nothing, silently. */
  for (i = 0; i < r->nnot_recorded; i++) {
    for (k = 0; k < r->ntreatments; k++)
      if (r->treatment[k].outcome &&
          cdg_question_find_option(r->treatment[k].outcome,
                                   r->not_recorded[i]) >= 0)
        break;
    if (k == r->ntreatments) {
      pack_ptr_key(at, sizeof at, ptr, "not_recorded");
      S_ptr_index(item, sizeof item, at, i);
      return pack_error_at(p, err, CDG_ERR_PACK, item,
                           "\"%s\" is not an option of any outcome "
                           "question",
                           r->not_recorded[i]);
    }
  }
  return CDG_OK;
}

/*
** The optional "report" member: what the writers show that depends on
** the pack (the recap, the review's topic, the closing section). Checked
** against the questions, so it comes after them.
*/
static cdg_status S_report_member(cdg_pack *p, cdg_error *err,
                                  const S_obj *root) {
  static const char *const keys[] = {"recap", "review_topic",
                                     "closing_section", NULL};
  S_KEYS_FIT(keys);
  pack_report *r = &p->report;
  cJSON *ro = S_get(root, "report"), *v;
  S_obj f;
  cdg_status st;

  if (!ro)
    return CDG_OK;
  if (!cJSON_IsObject(ro))
    return S_type_error(p, err, "", "report", "an object");
  if ((st = S_known_keys(p, err, ro, "/report", keys, &f)) ||
      (st = S_string(p, err, &f, "/report", "review_topic", 0,
                     &r->review_topic)) ||
      (st = S_string(p, err, &f, "/report", "closing_section", 0,
                     &r->closing_section)))
    return st;
  if ((r->review_topic && !r->review_topic[0]) ||
      (r->closing_section && !r->closing_section[0]))
    return S_type_error(p, err, "/report",
                        r->review_topic && !r->review_topic[0]
                            ? "review_topic"
                            : "closing_section",
                        "a non-empty string");
  v = S_get(&f, "recap");
  return v ? S_recap(p, err, v) : CDG_OK;
}

/*
** The optional "reads_versions": earlier versions of this pack whose
** sessions it reads as they are, because every question and code of those
** versions is unchanged in this one (the pack author's statement; answers
** are still checked against this version).
*/
static cdg_status S_reads_versions(cdg_pack *p, cdg_error *err,
                                   const S_obj *root) {
  cJSON *v = S_get(root, "reads_versions");
  cdg_status st;
  char at[S_PTR];
  size_t i;

  if (!v)
    return CDG_OK;
  if ((st = S_string_array(p, err, v, "", "reads_versions", &p->reads,
                           &p->nreads)))
    return st;
  for (i = 0; i < p->nreads; i++)
    if (strcmp(p->reads[i], p->version) == 0) {
      S_ptr_index(at, sizeof at, "/reads_versions", i);
      return pack_error_at(p, err, CDG_ERR_PACK, at,
                           "\"reads_versions\" lists the pack's own version "
                           "\"%s\"",
                           p->version);
    }
  return CDG_OK;
}

static cdg_status S_build(cdg_pack *p, cdg_error *err, cJSON *root) {
  static const char *const keys[] = {"id",        "version", "title",
                                     "source",    "questions", "rules",
                                     "report",    "reads_versions", NULL};
  S_KEYS_FIT(keys);
  S_obj f;
  cdg_status st;
  size_t i;

  if (!cJSON_IsObject(root))
    return pack_error_at(p, err, CDG_ERR_PACK, "",
                         "a pack must be a JSON object");
  if ((st = S_known_keys(p, err, root, "", keys, &f)) ||
      (st = S_string(p, err, &f, "", "id", 1, &p->id)) ||
      (st = S_string(p, err, &f, "", "version", 1, &p->version)) ||
      (st = S_reads_versions(p, err, &f)) ||
      (st = S_string(p, err, &f, "", "title", 1, &p->title)) ||
      (st = S_source(p, err, &f)) || (st = S_questions(p, err, &f)) ||
      (st = S_rules(p, err, &f)) || (st = S_report_member(p, err, &f)))
    return st;
  /* answers are keyed by these very strings: frames find them by address */
  for (i = 0; i < p->nquestions; i++)
    if (logic_slots_alias(p->slots, p->questions[i].id) < 0)
      return S_nomem(p, err);
  return pack_order(p, err);
}

cdg_status cdg_pack_load(const char *json, size_t len, const char *file,
                         cdg_pack **out, cdg_error *err) {
  cdg_pack *p;
  cdg_status st;

  *out = NULL;
  if (!file)
    file = "<pack>";
  p = cdg_calloc(1, sizeof *p);
  if (!p)
    return json_error(err, CDG_ERR_NOMEM, file, "out of memory");
  p->file = cdg_strdup(file);
  p->text = cdg_malloc(len + 1);
  p->arena = cdg_arena_new();
  p->slots = logic_slots_create();
  if (!p->file || !p->text || !p->arena || !p->slots) {
    cdg_pack_free(p);
    return json_error(err, CDG_ERR_NOMEM, file, "out of memory");
  }
  if (len) /* json may be NULL when len is 0: memcpy would be undefined */
    memcpy(p->text, json, len);
  p->text[len] = '\0';
  p->len = len;
  st = json_parse(p->text, len, file, &p->root, err);
  if (!st)
    st = S_build(p, err, p->root);
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
  }
  for (i = 0; pack->rules && i < pack->nrules; i++)
    logic_free(pack->rules[i].cond);
  cdg_free(pack->questions);
  cdg_free(pack->rules);
  cdg_free(pack->topo);
  pack_index_free(&pack->qindex);
  cdg_free(pack->file);
  cdg_free(pack->text);
  logic_slots_free(pack->slots); /* after the rules, before the tree */
  cJSON_Delete(pack->root);
  cdg_arena_free(pack->arena);
  cdg_free(pack);
}
