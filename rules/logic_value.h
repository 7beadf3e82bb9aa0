/*
** logic_value.h: the values JsonLogic evaluates to, the per-evaluation
** context and arena, and JavaScript's coercions on them. Private to the
** library (rules/logic*.c).
**
** A value borrows strings, arrays and objects from the data or the
** compiled rule; anything made during an evaluation (strings from cat,
** arrays from map or merge) lives in the context: its first kilobyte is
** on the stack, so typical conditions never allocate, and the rest in the
** library's arena (content/arena.h), made on first need. The limits are
** CDG_MAX_LOGIC_* (cdg_limits.h).
*/
#ifndef CDG_LOGIC_VALUE_H
#define CDG_LOGIC_VALUE_H

#include <math.h>
#include <stddef.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "arena.h"
#include "cdg_base.h"
#include "cdg_content.h"
#include "cdg_limits.h"

enum {
  V_UNDEF, V_NULL, V_BOOL, V_NUM, V_STR,
  V_JARR,  /* array borrowed from the data or the rule */
  V_ARR,   /* array of values made during evaluation */
  V_JOBJ,  /* object borrowed from the data or the rule */
  V_CTX    /* {"current", "accumulator"} of reduce */
};

typedef struct lv_scope lv_scope;

/* A value's payload (a compiled node holds one too: logic_int.h). */
typedef union lv_u {
  int b;
  double d;
  const char *s;
  const cJSON *j;
  const struct value *a;
  lv_scope *c;
  unsigned long long m; /* a compiled node's bit set or code */
} lv_u;

typedef struct value {
  unsigned char t;
  unsigned id;       /* V_ARR, and V_JARR of a rule's constant array:
                     ** identity, fresh for every array made */
  size_t n;          /* V_STR: bytes (NUL-terminated too); V_ARR: items */
  lv_u u;
} value;

struct lv_scope {
  value cur, acc;
  lv_scope *copy;  /* the arena copy once var has handed it out */
  int on_stack;
};

extern const value lv_undef, lv_null;

static inline value lv_bool(int b) {
  value v = {V_BOOL, 0, 0, {0}};
  v.u.b = b != 0;
  return v;
}

static inline value lv_num(double d) {
  value v = {V_NUM, 0, 0, {0}};
  v.u.d = d;
  return v;
}

static inline value lv_str(const char *s, size_t n) {
  value v = {V_STR, 0, 0, {0}};
  v.u.s = s;
  v.n = n;
  return v;
}

/* The value of a JSON node (NULL is null), borrowing it. */
static inline void lv_json(value *v, const cJSON *j) {
  v->id = 0;
  v->n = 0;
  if (!j) {
    v->t = V_NULL;
    return;
  }
  switch (j->type & 0xFF) {
  case cJSON_False: v->t = V_BOOL; v->u.b = 0; return;
  case cJSON_True: v->t = V_BOOL; v->u.b = 1; return;
  case cJSON_Number: v->t = V_NUM; v->u.d = j->valuedouble; return;
  case cJSON_String:
    v->t = V_STR;
    v->u.s = j->valuestring;
    v->n = strlen(v->u.s);
    return;
  case cJSON_Array: v->t = V_JARR; v->u.j = j; return;
  case cJSON_Object: v->t = V_JOBJ; v->u.j = j; return;
  default: v->t = V_NULL; return;
  }
}

static inline value lv_from_json(const cJSON *j) {
  value v;

  lv_json(&v, j);
  return v;
}

static inline int lv_is_arr(const value *v) {
  return v->t == V_JARR || v->t == V_ARR;
}

static inline int lv_is_obj(const value *v) { return v->t >= V_JARR; }

size_t lv_len(const value *v);

typedef struct lv_iter {
  const cJSON *j;
  const value *a;
  size_t i, n;
} lv_iter;

static inline void lv_iter_init(lv_iter *it, const value *v) {
  it->j = v->t == V_JARR ? v->u.j->child : NULL;
  it->a = v->t == V_ARR ? v->u.a : NULL;
  it->i = 0;
  it->n = v->t == V_ARR ? v->n : 0;
}

static inline int lv_iter_next(lv_iter *it, value *out) {
  if (it->a) {
    if (it->i >= it->n)
      return 0;
    *out = it->a[it->i++];
    return 1;
  }
  if (!it->j)
    return 0;
  lv_json(out, it->j);
  it->j = it->j->next;
  return 1;
}

/* JsonLogic truthiness: JavaScript's, except that [] is falsy. */
static inline int lv_truthy(const value *v) {
  switch (v->t) {
  case V_BOOL: return v->u.b;
  case V_NUM: return v->u.d != 0 && !isnan(v->u.d);
  case V_STR: return v->n > 0;
  case V_JARR: return v->u.j->child != NULL;
  case V_ARR: return v->n > 0;
  case V_JOBJ:
  case V_CTX: return 1;
  default: return 0;
  }
}

/* ---- Evaluation context and arena -------------------------------------- */

typedef struct lv_ctx {
  const struct logic_frame *frame; /* the typed data, or NULL */
  const struct value *top;         /* with a frame: its data */
  char *cur, *end;    /* the free part of inl */
  cdg_arena *arena;   /* past inl; NULL until needed */
  unsigned long steps;
  unsigned ids;
  cdg_status st;      /* of the first error */
  cdg_error *err;     /* its message, when not NULL */
  union {
    max_align_t align;
    char buf[4096];
  } inl;
} lv_ctx;

/* err (NULL: keep no message, as the linter needs only the status). */
static inline void lv_ctx_init(lv_ctx *c, cdg_error *err) {
  c->frame = NULL;
  c->cur = c->inl.buf;
  c->end = c->inl.buf + sizeof c->inl.buf;
  c->arena = NULL;
  c->steps = 0;
  c->ids = 0;
  c->st = CDG_OK;
  c->err = err;
}

/* Free what the evaluation took from the heap. */
static inline void lv_ctx_done(lv_ctx *c) {
  if (c->arena) /* most evaluations keep to the inline buffer */
    cdg_arena_free(c->arena);
}

/*
** Fail the evaluation with st, the status that cdg_error_set returns
** after writing the message to c->err: lv_fail(c, cdg_error_set(c->err,
** ...)). An error ends the evaluation, so there is one. Returns -1.
*/
static inline int lv_fail(lv_ctx *c, cdg_status st) {
  c->st = st;
  return -1;
}

/* size bytes, aligned for any value; NULL (and c->st set) past
** CDG_MAX_LOGIC_BYTES or out of memory. Inline while inl has room (cat,
** map and substr take a few bytes each); lv_alloc_arena past it. */
void *lv_alloc_arena(lv_ctx *c, size_t size);
static inline void *lv_alloc(lv_ctx *c, size_t size) {
  const size_t align = sizeof(max_align_t);
  size_t room = (size_t)(c->end - c->cur), need;
  char *p;

  if (size > room)
    return lv_alloc_arena(c, size);
  need = (size + align - 1) / align * align; /* no overflow: size <= room */
  if (need > room)
    return lv_alloc_arena(c, size);
  p = c->cur;
  c->cur += need;
  return p;
}
value *lv_alloc_values(lv_ctx *c, size_t n);

/* An array made during evaluation: a fresh identity for ===. */
static inline value lv_new_arr(lv_ctx *c, const value *items, size_t n) {
  value v = {V_ARR, 0, 0, {0}};

  v.id = ++c->ids;
  v.u.a = items;
  v.n = n;
  return v;
}

/*
** Strings made during evaluation are built in an lv_sb (lv_buf_put): on
** the caller's stack while they are short, so that cat and String(x) do
** not allocate, in a heap cdg_buf past that; then moved into the context
** (lv_buf_str), which frees the builder. On an error the caller frees it
** with lv_sb_free.
*/
typedef struct lv_sb {
  char *data;  /* small, or heap.data */
  size_t len, cap;
  cdg_buf heap;
  char small[160];
} lv_sb;

static inline void lv_sb_init(lv_sb *b) {
  b->data = b->small;
  b->len = 0;
  b->cap = sizeof b->small;
  b->heap.data = NULL;
  b->heap.len = b->heap.cap = 0;
  b->heap.failed = 0;
}

static inline void lv_sb_free(lv_sb *b) { cdg_buf_free(&b->heap); }

/* Append n bytes of s (a lone high surrogate followed by a lone low one
** joins them). 0, or -1 with c->st set. */
int lv_buf_put(lv_ctx *c, lv_sb *b, const char *s, size_t n);

/* The contents of b (which lv_buf_put filled without failing) as a
** string value held by c; b is freed. 0, or -1 with c->st set. */
int lv_buf_str(lv_ctx *c, lv_sb *b, value *out);

/* ---- Equality and comparison (logic_value.c) ---------------------------- */

/* === */
int lv_strict_eq(const value *a, const value *b);
/* == with JavaScript's coercions. Returns 0 or 1, -1 on error. */
int lv_loose_eq(lv_ctx *c, const value *a, const value *b);

enum { CMP_LT = -1, CMP_EQ = 0, CMP_GT = 1, CMP_NONE = 2 };
/* Abstract relational comparison: CMP_*, -2 on error. */
int lv_cmp(lv_ctx *c, const value *a, const value *b);

/* ---- JavaScript numbers and strings (logic_js.c) ------------------------- */

static inline int lv_digit(char ch) { return ch >= '0' && ch <= '9'; }

/* JavaScript's StringToNumber (Number("...")). */
double lv_strtonum(const char *s, size_t n);
/* JavaScript's Number::toString into buf (32 bytes); returns the length. */
size_t lv_numfmt(double x, char *buf);
/* ToNumber. */
double lv_tonum(const value *v);
/* parseFloat(String(x)). */
double lv_parsefloat(const value *v);
/* String(x) appended to b; with join set, as Array.prototype.join writes
** an item (null and undefined as ""). */
int lv_tostr_buf(lv_ctx *c, lv_sb *b, const value *v, int join);
/* String(x) as a value (strings are returned as they are). */
int lv_tostr(lv_ctx *c, const value *v, value *out);
/* Length in UTF-16 code units. */
size_t lv_u16len(const char *s, size_t n);
/* Units [from, to) of s as a new string in the arena. */
int lv_u16slice(lv_ctx *c, const char *s, size_t n, size_t from, size_t to,
                value *out);
/* Compare by UTF-16 code units, as JavaScript orders strings. */
int lv_u16cmp(const char *a, size_t an, const char *b, size_t bn);

#endif
