/*
** pack.h: internal layout of a pack, shared by the loader, answers,
** walker, outcome and linter modules.
*/
#ifndef CDG_PACK_H
#define CDG_PACK_H

#include <cjson/cJSON.h>

#include "arena.h"
#include "cdg_rules.h"
#include "json.h"
#include "logic.h"
#include "logic_slots.h"

/* Every string of the model is copied into the pack's store, and so is
** what each compiled condition holds; the arrays of the model (options,
** passages, cite) are in the pack's arena. */

/* A condition's JSON text: its span of the pack's text (or, for a list
** the loader parsed whole, a compact copy in the store). The pack keeps
** no condition trees, which would be several times the text: one is
** parsed again when wanted (pack_cond_tree). */
typedef struct pack_text {
  const char *s;         /* NULL: no condition */
  size_t n;
} pack_text;
typedef struct pack_option {
  const char *code;
  const char *label;
  int exclusive;         /* "exclusive": true, e.g. "none" */
} pack_option;

struct cdg_question {
  size_t index;          /* position in pack order */
  const char *id;
  cdg_qtype type;
  cdg_qformat format;    /* integer and date refine number and text */
  const char *text;
  const char *help;      /* "" when absent */
  int required;          /* default 1 */
  pack_option *options;  /* in the arena */
  size_t noptions;
  int has_range;         /* 1: min given, 2: max given, 3: both */
  double min, max;       /* 0 when not given */
  pack_text enable_when; /* s NULL when always enabled */
  logic_expr *enable;    /* compiled enable_when, or NULL */
  const char **deps;     /* question ids its enable_when reads (arena) */
  size_t ndeps;
  size_t *depidx;        /* the same questions, as indexes (arena) */
  const char **passages;
  size_t npassages;
};

/* A question type as a pack names it, and what it is stored as. */
typedef struct pack_qtype {
  const char *name;
  cdg_qtype type;
  cdg_qformat format;
} pack_qtype;

#define PACK_NQTYPES 6
extern const pack_qtype pack_qtypes[PACK_NQTYPES];

typedef struct pack_rule {
  const char *id;
  pack_text when;
  logic_expr *cond;
  const char **cite;
  size_t ncite;
  const char *because;
} pack_rule;

/*
** A hash index of the ids of an array of items (questions, rules, option
** codes, passage ids...), by open addressing: keyof(items, i) is the id
** of item i. A slot's item is 1 + the index of its item, 0 when empty;
** its hash is that of the id, so a probe reads an id only when the hashes
** agree (on a big pack, each id read is a cache miss).
*/
typedef struct pack_slot {
  size_t item;
  size_t hash;
} pack_slot;

typedef const char *(*pack_keyfn)(const void *items, size_t i);

typedef struct pack_index {
  pack_slot *slot;       /* NULL before pack_index_init */
  size_t mask;           /* the number of slots minus 1 (a power of two) */
  pack_keyfn keyof;
  const void *items;
} pack_index;

/* Room for n ids (the load stays at most 1/2): 0, or -1 when out of
** memory. pack_index_free frees it. */
int pack_index_init(pack_index *x, size_t n, pack_keyfn keyof,
                    const void *items);
void pack_index_free(pack_index *x);

/* Index item i, whose id has the hash h (cdg_hash); 1, and nothing
** changed, when an item with the same id is there. */
int pack_index_put(pack_index *x, size_t i, size_t h);

/* The index of the item with this id, or -1. */
long pack_index_get(const pack_index *x, const char *id);

/*
** Repeated ids in a list of n items: pack_repeats_init, then pack_repeat
** for each i in order (1 when item i's id is that of an earlier one), then
** pack_index_free. Up to PACK_FEW items are compared pairwise, with no
** allocation; longer lists go through an index, so that a long list is
** checked in linear time. init returns -1 when out of memory, and x then
** still works, pairwise.
*/
#define PACK_FEW 8
int pack_repeats_init(pack_index *x, size_t n, pack_keyfn keyof,
                      const void *items);
int pack_repeat(pack_index *x, size_t i);

/*
** What the pack says about its reports (the optional "report" member):
** the prior-treatment recap, the topic of the review's passages and the
** section that closes every report. Absent parts are NULL / 0.
*/
typedef struct pack_treatment {
  size_t option;                 /* index in the recap question */
  const cdg_question *outcome;   /* the question holding how it went */
  const cdg_question **details;  /* more about it, in the arena */
  size_t ndetails;
} pack_treatment;

typedef struct pack_report {
  const cdg_question *treatments; /* the multi question listing them */
  pack_treatment *treatment;      /* in the arena */
  size_t ntreatments;
  const char **not_recorded;      /* outcome codes that record nothing */
  size_t nnot_recorded;
  const char *review_topic;       /* passage topic the review lists */
  const char *closing_section;    /* passage section listed last */
  const cdg_question **summary;   /* what the review shows first */
  size_t nsummary;
} pack_report;

struct cdg_pack {
  char *file;            /* name used in errors */
  char *text;            /* the JSON text, kept for locating errors */
  size_t len;
  const char *id, *version, *title;
  const char *source_title, *source_publisher, *source_sha256;
  cdg_question *questions;
  size_t nquestions;
  size_t *topo;          /* question indexes, dependencies first */
  pack_index qindex;     /* the questions by id */
  pack_rule *rules;
  logic_slots *slots;    /* the names and codes the conditions read */
  size_t nrules;
  pack_report report;    /* the "report" member, zero when absent */
  const char **reads;    /* "reads_versions", borrowed from the tree */
  size_t nreads;
  json_store *store;     /* every string of the model and what compiled
                            conditions hold (never cJSON_Delete a tree) */
  cdg_arena *arena;      /* option, passage and cite arrays */
};

/*
** Fill err for the pack value at pointer, with file and line:col.
** Returns status.
*/
cdg_status pack_error_at(const cdg_pack *pack, cdg_error *err,
                         cdg_status status, const char *pointer,
                         const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/*
** Write base + "/" + key to buf, escaping key as RFC 6901 says (~ as ~0,
** / as ~1); buf may be base. A pointer that does not fit is cut short,
** so it names an ancestor.
*/
void pack_ptr_key(char *buf, size_t size, const char *base, const char *key);

/* ---- Reading members (pack_read.c) ------------------------------------ */

/* Room for a JSON Pointer in an error. */
#define PACK_PTR sizeof(((cdg_error *)0)->pointer)

/* The members of an object the loader reads, found in one pass over it
** (looking each up would walk the members and their names again). */
#define PACK_MAX_KEYS 10
#define PACK_KEYS_FIT(keys)                                                    \
  _Static_assert(sizeof keys / sizeof *keys <= PACK_MAX_KEYS + 1,              \
                 "more keys than pack_obj holds")
typedef struct pack_obj {
  const char *const *keys; /* NULL-terminated, at most PACK_MAX_KEYS */
  const cJSON *got[PACK_MAX_KEYS]; /* got[k]: the member keys[k], or NULL */
} pack_obj;

/* Out of memory, as an error of the pack. */
cdg_status pack_nomem(const cdg_pack *pack, cdg_error *err);

/* base + "/" + i, cut like pack_ptr_key. */
void pack_ptr_index(char *buf, size_t size, const char *base, size_t i);

/* Find the members of obj named in keys into *o; any other key is an
** error (a typo such as "enable_When" would otherwise be ignored). */
cdg_status pack_known_keys(const cdg_pack *p, cdg_error *err,
                           const cJSON *obj, const char *ptr,
                           const char *const *keys, pack_obj *o);
/* The member key (one of o->keys), or NULL if absent. */
const cJSON *pack_field(const pack_obj *o, const char *key);
/* The member key of the object at ptr; *v is NULL if absent. */
cdg_status pack_member(const cdg_pack *p, cdg_error *err, const pack_obj *o,
                       const char *ptr, const char *key, int required,
                       const cJSON **v);
/* "key" must be what: the error at ptr/key. */
cdg_status pack_type_error(const cdg_pack *p, cdg_error *err,
                           const char *ptr, const char *key,
                           const char *what);
/* A string member (*v NULL when absent and optional; required ones must
** not be empty), and the same borrowed into *out. */
cdg_status pack_string_member(const cdg_pack *p, cdg_error *err,
                              const pack_obj *o, const char *ptr,
                              const char *key, int required, const cJSON **v);
cdg_status pack_string(const cdg_pack *p, cdg_error *err, const pack_obj *o,
                       const char *ptr, const char *key, int required,
                       const char **out);
/* An array of non-empty strings, borrowed, its array in the arena. */
cdg_status pack_string_array(const cdg_pack *p, cdg_error *err,
                             const cJSON *arr, const char *ptr, const char *key,
                             const char ***out, size_t *n);

/* ---- The text a part at a time (pack_read.c) -------------------------- */

/*
** A list the loader reads an item at a time (questions, rules): the
** spans of its items in the scanned text, each parsed on its own into a
** scratch store that is renewed as it fills, so that only a small part
** of a big pack is ever a cJSON tree; or, when the member was parsed
** whole (it is not an array, or its key has escapes), its cJSON items.
** The span of the member named cond of each item (its condition) is
** what the pack keeps of it.
*/
typedef struct pack_list {
  const json_doc *doc;
  const json_span *span; /* NULL: the items of the member as parsed */
  size_t n;              /* spans: the items and their members */
  size_t nitems;
  size_t i;              /* the next span, or item when read from the tree */
  const cJSON *cur;      /* the last item, when read from the tree */
  json_store *scratch;   /* NULL until the first item by span */
  const char *cond;      /* the member that is the item's condition */
  const char *csrc;      /* the last item's cond: its text, or NULL */
  size_t clen;
} pack_list;

/*
** The root of the scanned text, in store: an object whose members are
** parsed whole, but for "questions" and "rules" when they are arrays:
** those are empty there, their items in *questions and *rules (whose
** conditions go to the pack's store). A root that is no object is parsed
** whole. 0, or CDG_ERR_NOMEM.
*/
cdg_status pack_root(cdg_pack *p, cdg_error *err, const json_doc *doc,
                     json_store *store, const cJSON **root,
                     pack_list *questions, pack_list *rules);

/* The number of items of the list member arr read through l. */
size_t pack_list_count(const pack_list *l, const cJSON *arr);

/* The next item of the list member arr, or NULL at the end; *nomem is
** set when out of memory. Valid until the next call. */
const cJSON *pack_list_next(pack_list *l, const cJSON *arr, int *nomem);

/* The text of the last item's condition (its member l->cond, v) into
** *out: its span, or v printed into store. 0, or -1 when out of memory. */
int pack_list_cond(pack_list *l, const cJSON *v, json_store *store,
                   pack_text *out);

/* The tree of condition t, parsed into store (NULL when there is none):
** CDG_OK, or CDG_ERR_NOMEM (the loader has parsed the same text). */
cdg_status pack_cond_tree(pack_text t, json_store *store, const cJSON **out);

/* Frees the list's scratch store. */
void pack_list_free(pack_list *l);

/* The optional "report" member of root (pack_report.c). */
cdg_status pack_report_member(cdg_pack *p, cdg_error *err,
                              const pack_obj *root);

/*
** The names each enable_when reads (pack_walk_vars), gathered by the
** loader while the condition's tree is at hand: question i's are
** name[start[i]..start[i + 1]). For pack_order; freed after the load.
*/
typedef struct pack_names {
  json_store *store;     /* the names' strings; NULL until the first */
  const char **name;
  size_t n, cap;
  size_t *start;         /* nquestions + 1 */
  int nomem;
} pack_names;

/* Add the names expr reads (none when NULL): 0, or -1 out of memory. */
int pack_names_add(pack_names *d, const cJSON *expr);
void pack_names_free(pack_names *d);

/*
** Set what each question's enable_when reads (deps, depidx), every
** question id being indexed, then the order (topo), dependencies first;
** an enable_when cycle is an error naming it. pack_deps.c.
*/
cdg_status pack_order(cdg_pack *pack, cdg_error *err,
                      const pack_names *names);

/*
** Collect the names read by {"var": ...} and {"missing": ...} in a
** JsonLogic tree, as their first path segment ("posture" for
** "posture.0"). Calls fn for each with the JSON Pointer of the name,
** relative to expr. Used for dependencies and by the linter. The second
** argument of map, filter, reduce, all, none and some is evaluated on each
** element, not on the answers, so names read there are not reported.
** Pointers longer than 1 KiB are cut to the deepest ancestor that fits.
*/
typedef void (*pack_var_fn)(void *ctx, const char *name, const char *pointer);
void pack_walk_vars(const cJSON *expr, pack_var_fn fn, void *ctx);

/*
** The linter's budget of complete answer paths per component (0: the
** default, 5,000,000). For the fuzz target, where instrumented code runs a
** full budget for over a minute; not thread-safe.
*/
void lint_set_budget(unsigned long long paths);

/*
** cdg_lint_run first enumerates each component of up to this many complete
** paths (default 10,000; 0 turns it off, so that the tests compare the
** symbolic checker itself with the enumeration); not thread-safe.
*/
void lint_set_probe(unsigned long long paths);

/*
** The symbolic checker's budget of propagations per SAT call (0: the
** default, 20,000,000): past it a property is reported as not decided,
** "the proof budget ran out". For the tests; not thread-safe.
*/
void lint_set_sym_budget(unsigned long long propagations);

/*
** The questions before one (in topological order) whose conditions the
** symbolic checker keeps when it asks that question of a solver of its
** own (0: the default, 256); the rest are free there. For the tests, which
** make it smaller than their packs; not thread-safe.
*/
void lint_set_sym_window(size_t questions);

/*
** Whether the symbolic checker's random, guided and propagated paths and
** its probes run before the windows, the tries and the solvers (1, the
** default) or not (0: every property is then theirs to decide). For the
** tests; not thread-safe.
*/
void lint_set_sym_paths(int on);

#endif
