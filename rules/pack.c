/*
** pack.c: the pack loader. JSON text in, the checked model of pack.h out.
**
** The text is checked by the validating scan, then parsed by cJSON a part
** at a time (S_load); the pack keeps copies of the strings of the model,
** its conditions compiled (what they hold copied into its store) and
** their text, but none of their trees. Every format error names the
** file, the JSON Pointer of the offending value and its line:col.
** Loading is linear in the size of the pack: ids go into hash indexes
** (pack_index.c), and the enable_when order comes from one depth-first
** search.
*/
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cdg_limits.h"
#include "json.h"
#include "pack.h"

static const char *S_qkey(const void *items, size_t i) {
  return ((const cdg_question *)items)[i].id;
}

static const char *S_okey(const void *items, size_t i) {
  return ((const pack_option *)items)[i].code;
}

static const char *S_rkey(const void *items, size_t i) {
  return ((const pack_rule *)items)[i].id;
}

/* Compile the JsonLogic member key of the item at base, what it holds
** copied into the pack's store (the tree goes with the item); errors
** point into it (the pointer is built only for an error: most items have
** a condition, few a bad one). */
static cdg_status S_logic(const cdg_pack *p, cdg_error *err,
                          const cJSON *expr, const char *base,
                          const char *key, logic_expr **out) {
  cdg_error lerr;
  char at[PACK_PTR];
  cdg_status st;

  cdg_error_clear(&lerr);
  /* all of a pack's conditions in one slots table: the outcome and the
  ** walker evaluate them on a frame of the answers */
  st = logic_compile_into(expr, p->slots, p->store, out, &lerr);
  if (st == CDG_ERR_NOMEM)
    return pack_nomem(p, err);
  if (st) {
    pack_ptr_key(at, sizeof at, base, key);
    json_ptr_append(at, sizeof at, strlen(at), lerr.pointer);
    return pack_error_at(p, err, CDG_ERR_PACK, at, "%s", lerr.message);
  }
  return CDG_OK;
}

/* ---- Questions -------------------------------------------------------- */

/* An id of [a-z0-9_]; pack_string has refused an empty one. */
static int S_id_ok(const char *s) {
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
                            const cJSON *arr, const char *qptr,
                            cdg_question *q) {
  static const char *const keys[] = {"code", "label", "exclusive", NULL};
  PACK_KEYS_FIT(keys);
  const cJSON *ex;
  pack_obj f;
  const cJSON *c;
  char at[PACK_PTR], optr[PACK_PTR];
  pack_index codes;
  size_t i = 0;
  int dup;
  cdg_status st = CDG_OK;

  if (!cJSON_IsArray(arr))
    return pack_type_error(p, err, qptr, "options", "an array");
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
    return pack_nomem(p, err);
  for (c = arr->child; c && !st; c = c->next, i++) {
    pack_option *o = &q->options[i];

    pack_ptr_index(optr, sizeof optr, at, i);
    if (!cJSON_IsObject(c)) {
      st = pack_error_at(p, err, CDG_ERR_PACK, optr,
                         "an option must be an object");
      break;
    }
    if ((st = pack_known_keys(p, err, c, optr, keys, &f)) ||
        (st = pack_string(p, err, &f, optr, "code", 1, &o->code)) ||
        (st = pack_string(p, err, &f, optr, "label", 1, &o->label)))
      break;
    ex = pack_field(&f, "exclusive");
    if (ex && !cJSON_IsBool(ex)) {
      st = pack_type_error(p, err, optr, "exclusive", "true or false");
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
static cdg_status S_range(const cdg_pack *p, cdg_error *err, const pack_obj *qo,
                          const char *qptr, cdg_question *q) {
  const cJSON *min = pack_field(qo, "min");
  const cJSON *max = pack_field(qo, "max");
  char at[PACK_PTR];

  if (q->type != CDG_Q_NUMBER && (min || max)) {
    pack_ptr_key(at, sizeof at, qptr, min ? "min" : "max");
    return pack_error_at(p, err, CDG_ERR_PACK, at,
                         "\"%s\" applies only to number and integer "
                         "questions",
                         min ? "min" : "max");
  }
  if (min && !S_bound_ok(q, min))
    return pack_type_error(p, err, qptr, "min",
                        q->format ? "a whole number" : "a number");
  if (max && !S_bound_ok(q, max))
    return pack_type_error(p, err, qptr, "max",
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

static cdg_status S_question(const cdg_pack *p, cdg_error *err, const cJSON *qo,
                             const char *qptr, pack_list *l, pack_names *names,
                             cdg_question *q) {
  static const char *const keys[] = {
      "id",  "type", "text",        "help",     "required", "options",
      "min", "max",  "enable_when", "passages", NULL};
  PACK_KEYS_FIT(keys);
  const cJSON *v;
  const char *type;
  char at[PACK_PTR];
  size_t t;
  pack_obj f;
  cdg_status st;

  if (!cJSON_IsObject(qo))
    return pack_error_at(p, err, CDG_ERR_PACK, qptr,
                         "a question must be an object");
  if ((st = pack_known_keys(p, err, qo, qptr, keys, &f)) ||
      (st = pack_string(p, err, &f, qptr, "id", 1, &q->id)))
    return st;
  if (!S_id_ok(q->id)) {
    pack_ptr_key(at, sizeof at, qptr, "id");
    return pack_error_at(p, err, CDG_ERR_PACK, at,
                         "question id \"%s\" must match [a-z0-9_]+", q->id);
  }
  if ((st = pack_string_member(p, err, &f, qptr, "type", 1, &v)))
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
  if ((st = pack_string(p, err, &f, qptr, "text", 1, &q->text)) ||
      (st = pack_string(p, err, &f, qptr, "help", 0, &q->help)))
    return st;
  if (!q->help)
    q->help = "";
  v = pack_field(&f, "required");
  if (v && !cJSON_IsBool(v))
    return pack_type_error(p, err, qptr, "required", "true or false");
  q->required = v ? cJSON_IsTrue(v) : 1;

  v = pack_field(&f, "options");
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

  v = pack_field(&f, "passages");
  if (v && (st = pack_string_array(p, err, v, qptr, "passages", &q->passages,
                                &q->npassages)))
    return st;

  /* the item's tree goes with the next item: its condition's text and
  ** compiled form are kept, and the names it reads for the order */
  v = pack_field(&f, "enable_when");
  if (pack_names_add(names, v) < 0 ||
      (v && pack_list_cond(l, v, p->store, &q->enable_when) < 0))
    return pack_nomem(p, err);
  if (v)
    return S_logic(p, err, v, qptr, "enable_when", &q->enable);
  return CDG_OK;
}

/* ---- Rules ------------------------------------------------------------ */

static cdg_status S_rule(const cdg_pack *p, cdg_error *err, const cJSON *ro,
                         const char *rptr, pack_list *l, pack_rule *r) {
  static const char *const keys[] = {"id", "when", "cite", "because", NULL};
  PACK_KEYS_FIT(keys);
  const cJSON *v;
  char at[PACK_PTR];
  pack_obj f;
  cdg_status st;

  if (!cJSON_IsObject(ro))
    return pack_error_at(p, err, CDG_ERR_PACK, rptr,
                         "a rule must be an object");
  if ((st = pack_known_keys(p, err, ro, rptr, keys, &f)) ||
      (st = pack_string(p, err, &f, rptr, "id", 1, &r->id)) ||
      (st = pack_member(p, err, &f, rptr, "when", 1, &v)) ||
      (st = pack_member(p, err, &f, rptr, "cite", 1, &v)) ||
      (st = pack_string_array(p, err, v, rptr, "cite", &r->cite, &r->ncite)))
    return st;
  if (r->ncite == 0) {
    pack_ptr_key(at, sizeof at, rptr, "cite");
    return pack_error_at(p, err, CDG_ERR_PACK, at,
                         "\"cite\" must not be empty");
  }
  if ((st = pack_string(p, err, &f, rptr, "because", 1, &r->because)))
    return st;
  v = pack_field(&f, "when");
  if (pack_list_cond(l, v, p->store, &r->when) < 0)
    return pack_nomem(p, err);
  return S_logic(p, err, v, rptr, "when", &r->cond);
}

/* ---- Loading ---------------------------------------------------------- */

static cdg_status S_source(cdg_pack *p, cdg_error *err, const pack_obj *root) {
  static const char *const keys[] = {"title", "publisher", "sha256", NULL};
  PACK_KEYS_FIT(keys);
  const cJSON *src;
  pack_obj f;
  const char *h;
  cdg_status st;

  if ((st = pack_member(p, err, root, "", "source", 1, &src)))
    return st;
  if (!cJSON_IsObject(src))
    return pack_type_error(p, err, "", "source", "an object");
  if ((st = pack_known_keys(p, err, src, "/source", keys, &f)) ||
      (st = pack_string(p, err, &f, "/source", "title", 1, &p->source_title)) ||
      (st = pack_string(p, err, &f, "/source", "publisher", 1,
                     &p->source_publisher)) ||
      (st = pack_string(p, err, &f, "/source", "sha256", 1, &p->source_sha256)))
    return st;
  for (h = p->source_sha256; *h; h++)
    if (!((*h >= '0' && *h <= '9') || (*h >= 'a' && *h <= 'f')))
      break;
  if (*h || h - p->source_sha256 != 64)
    return pack_type_error(p, err, "/source", "sha256",
                        "64 lower-case hex digits");
  return CDG_OK;
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
  char at[PACK_PTR];
  size_t i;

  if (pack_index_init(x, n, keyof, items) < 0)
    return pack_nomem(p, err);
  for (i = 0; i < n; i++)
    if (pack_index_put(x, i, cdg_hash(keyof(items, i)))) {
      pack_ptr_index(at, sizeof at, base, i);
      pack_ptr_key(at, sizeof at, at, "id");
      return pack_error_at(p, err, CDG_ERR_PACK, at, "duplicate %s id \"%s\"",
                           what, keyof(items, i));
    }
  return CDG_OK;
}

static cdg_status S_questions(cdg_pack *p, cdg_error *err,
                              const pack_obj *root, pack_list *l,
                              pack_names *names) {
  const cJSON *arr, *c;
  char at[PACK_PTR];
  size_t i = 0, n;
  cdg_error held;
  cdg_status st, bad = CDG_OK;
  int nomem = 0;

  if ((st = pack_member(p, err, root, "", "questions", 1, &arr)))
    return st;
  if (!cJSON_IsArray(arr))
    return pack_type_error(p, err, "", "questions", "an array");
  n = pack_list_count(l, arr);
  if (!(p->questions = cdg_calloc(n, sizeof *p->questions)) ||
      !(names->start = cdg_calloc(n + 1, sizeof *names->start)))
    return pack_nomem(p, err);
  for (; !bad && (c = pack_list_next(l, arr, &nomem)) != NULL; i++) {
    cdg_question *q = &p->questions[i];

    q->index = i;
    p->nquestions = i + 1; /* freed with the pack, even half built */
    pack_ptr_index(at, sizeof at, "/questions", i);
    bad = S_question(p, &held, c, at, l, names, q);
    names->start[i + 1] = names->n;
  }
  if (nomem)
    return pack_nomem(p, err);
  if ((st = S_ids(p, err, &p->qindex, bad ? i - 1 : i, S_qkey, p->questions,
                  "/questions", "question")))
    return st;
  if (bad && err)
    *err = held;
  return bad;
}

static cdg_status S_rules(cdg_pack *p, cdg_error *err, const pack_obj *root,
                          pack_list *l) {
  const cJSON *arr, *c;
  char at[PACK_PTR];
  size_t i = 0, n;
  pack_index ids;
  cdg_error held;
  cdg_status st, bad = CDG_OK;
  int nomem = 0;

  if ((st = pack_member(p, err, root, "", "rules", 1, &arr)))
    return st;
  if (!cJSON_IsArray(arr))
    return pack_type_error(p, err, "", "rules", "an array");
  n = pack_list_count(l, arr);
  if (!(p->rules = cdg_calloc(n, sizeof *p->rules)))
    return pack_nomem(p, err);
  for (; !bad && (c = pack_list_next(l, arr, &nomem)) != NULL; i++) {
    p->nrules = i + 1;
    pack_ptr_index(at, sizeof at, "/rules", i);
    bad = S_rule(p, &held, c, at, l, &p->rules[i]);
  }
  if (nomem)
    return pack_nomem(p, err);
  st = S_ids(p, err, &ids, bad ? i - 1 : i, S_rkey, p->rules, "/rules",
             "rule");
  pack_index_free(&ids);
  if (st)
    return st;
  if (bad && err)
    *err = held;
  return bad;
}

/*
** The optional "reads_versions": earlier versions of this pack whose
** sessions it reads as they are, because every question and code of those
** versions is unchanged in this one (the pack author's statement; answers
** are still checked against this version).
*/
static cdg_status S_reads_versions(cdg_pack *p, cdg_error *err,
                                   const pack_obj *root) {
  const cJSON *v = pack_field(root, "reads_versions");
  cdg_status st;
  char at[PACK_PTR];
  size_t i;

  if (!v)
    return CDG_OK;
  if ((st = pack_string_array(p, err, v, "", "reads_versions", &p->reads,
                           &p->nreads)))
    return st;
  for (i = 0; i < p->nreads; i++)
    if (strcmp(p->reads[i], p->version) == 0) {
      pack_ptr_index(at, sizeof at, "/reads_versions", i);
      return pack_error_at(p, err, CDG_ERR_PACK, at,
                           "\"reads_versions\" lists the pack's own version "
                           "\"%s\"",
                           p->version);
    }
  return CDG_OK;
}

static cdg_status S_build(cdg_pack *p, cdg_error *err, const cJSON *root,
                          pack_list *questions, pack_list *rules,
                          pack_names *names) {
  static const char *const keys[] = {"id",        "version", "title",
                                     "source",    "questions", "rules",
                                     "report",    "reads_versions", NULL};
  PACK_KEYS_FIT(keys);
  pack_obj f;
  cdg_status st;
  size_t i;

  if (!cJSON_IsObject(root))
    return pack_error_at(p, err, CDG_ERR_PACK, "",
                         "a pack must be a JSON object");
  if ((st = pack_known_keys(p, err, root, "", keys, &f)) ||
      (st = pack_string(p, err, &f, "", "id", 1, &p->id)) ||
      (st = pack_string(p, err, &f, "", "version", 1, &p->version)) ||
      (st = S_reads_versions(p, err, &f)) ||
      (st = pack_string(p, err, &f, "", "title", 1, &p->title)) ||
      (st = S_source(p, err, &f)) ||
      (st = S_questions(p, err, &f, questions, names)) ||
      (st = S_rules(p, err, &f, rules)) ||
      (st = pack_report_member(p, err, &f)))
    return st;
  /* answers are keyed by these very strings: frames find them by address */
  for (i = 0; i < p->nquestions; i++)
    if (logic_slots_alias(p->slots, p->questions[i].id) < 0)
      return pack_nomem(p, err);
  logic_slots_trim(p->slots);
  return pack_order(p, err, names);
}

/*
** The scan checks the whole text; then the root is parsed but for its
** lists, whose items are parsed one at a time (pack_list). What the model
** keeps is copied into the pack's store, and the rest of each tree goes:
** a cJSON tree of the whole pack would be about six times its text.
*/
static cdg_status S_load(cdg_pack *p, cdg_error *err) {
  json_doc doc;
  json_store *rootstore;
  const cJSON *root;
  pack_list questions, rules;
  pack_names names;
  cdg_status st;

  if ((st = json_scan_doc(p->text, p->len, p->file, &doc, err)))
    return st;
  if (doc.copy) {
    /* the text as cJSON reads it (long numbers rewritten in place, the
    ** offsets the same): conditions are parsed again from it */
    cdg_free(p->text);
    p->text = doc.copy;
    doc.copy = NULL;
  }
  if (!(rootstore = json_store_create())) {
    json_doc_free(&doc);
    return pack_nomem(p, err);
  }
  memset(&names, 0, sizeof names);
  st = pack_root(p, err, &doc, rootstore, &root, &questions, &rules);
  if (!st)
    st = S_build(p, err, root, &questions, &rules, &names);
  pack_list_free(&questions);
  pack_list_free(&rules);
  pack_names_free(&names);
  json_store_free(rootstore);
  json_doc_free(&doc);
  return st;
}

cdg_status pack_cond_tree(pack_text t, json_store *store, const cJSON **out) {
  *out = NULL;
  if (!t.s)
    return CDG_OK;
  *out = json_store_parse(store, t.s, t.n);
  return *out ? CDG_OK : CDG_ERR_NOMEM;
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
    return cdg_error_set(err, CDG_ERR_NOMEM, file, NULL, "out of memory");
  p->file = cdg_strdup(file);
  p->text = cdg_malloc(len + 1);
  p->arena = cdg_arena_new();
  p->store = json_store_create();
  p->slots = logic_slots_create();
  if (!p->file || !p->text || !p->arena || !p->store || !p->slots) {
    cdg_pack_free(p);
    return cdg_error_set(err, CDG_ERR_NOMEM, file, NULL, "out of memory");
  }
  if (len) /* json may be NULL when len is 0: memcpy would be undefined */
    memcpy(p->text, json, len);
  p->text[len] = '\0';
  p->len = len;
  if ((st = S_load(p, err)) != CDG_OK) {
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

    logic_free(q->enable); /* deps and depidx are in the arena */
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
  json_store_free(pack->store); /* the trees: never cJSON_Delete */
  cdg_arena_free(pack->arena);
  cdg_free(pack);
}
