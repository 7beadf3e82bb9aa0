/*
** lint.c: the pack linter behind `cdguide check`.
**
** Two passes over a loaded pack.
**
** The static pass looks at every id list and walks every JsonLogic tree
** once: passages listed twice, options labelled alike, unknown passage
** ids, a source hash that is not the passages', var/missing names that are
** no question, comparisons with option codes a question does not have
** (duplicate question, rule and option ids are the loader's). It also
** records which questions each condition reads, and the constants each
** number or text question is compared with.
**
** The exhaustive pass decides reachability by enumerating answer paths.
** Questions fall into independent components (union-find: a question joins
** the questions its enable_when reads; a rule joins all the questions it
** reads), so the cost is the sum, not the product, of the components' path
** counts. Within a component, questions are walked in topological order
** over one reused data object: a disabled question is absent; an enabled
** one branches over every answer (single: each option; multi: each
** non-empty subset that respects exclusive options; number: min, max and
** each compared constant c, c-1, c+1 within range; text: "" and each
** compared string), and over absent too when it is optional. A rule is
** tested once per prefix, as soon as the last question it reads is decided,
** and its result is remembered by the answers it reads (a memo of up to
** LINT_MEMO_MAX entries), so logic_test runs once per distinct input, not
** once per path.
**
** Cost: the static pass and the layout are linear in the pack. A
** component costs about 0.3 us per complete path when its last rules read
** too much to memoize, far less when they do, plus one logic_test per
** distinct input of each condition. Measured (gcc -O2): the built-in pack
** 0.8 ms; joined into one component by a rule reading four questions
** (153,664 paths) 5 ms; with a rule reading all eight, 50 ms. So a pack
** stays fast (well under a second) for any number of questions as long as
** no component has more than about a million complete paths; a synthetic
** pack of 100,000 questions in groups of five lints in about 0.04 s. A
** component above LINT_BUDGET paths is reported as too large (about 1.5 s
** of enumeration at worst).
*/
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "pack.h"

#define LINT_BUDGET 5000000ULL  /* complete paths per component */
#define LINT_MAX_BITS 24        /* a multi with more options is too large */
#define LINT_EXAMPLE_MAX 200    /* characters of the example path shown */
#define LINT_MEMO_MAX 4096      /* memo entries per condition */
#define LINT_DEPTH 1100         /* pointer tokens kept (json_parse nests 256) */

/* The budget in force: LINT_BUDGET unless lint_set_budget changed it. */
static unsigned long long S_budget = LINT_BUDGET;

void lint_set_budget(unsigned long long paths) {
  S_budget = paths ? paths : LINT_BUDGET;
}

typedef struct S_finding {
  cdg_error err;
  size_t seq;  /* order found, to keep the sort stable */
} S_finding;

struct cdg_lint {
  S_finding *f;
  size_t n, cap;
  unsigned long long paths;  /* complete paths covered: the product of the
                                components' counts, ULLONG_MAX if larger */
};

/* One token of a JSON Pointer: a key, or an index when key is NULL. Kept
** as tokens and written out only for a finding. */
typedef struct S_tok {
  const char *key;
  size_t index;
} S_tok;

/* Lint state of one question. */
typedef struct S_q {
  size_t uf;            /* union-find parent */
  double *num;          /* numbers it is compared with */
  size_t nnum, capnum;
  const char **str;     /* strings it is compared with (text) */
  size_t nstr, capstr;
} S_q;

typedef struct S_lint {
  const cdg_pack *pack;
  const cdg_passages *ps;
  cdg_lint *out;
  int nomem;
  pack_index pids;      /* passage ids of ps (its own lookup is linear) */
  int have_ps;
  S_q *q;
  S_tok tok[LINT_DEPTH];  /* JSON Pointer of the node being walked */
  size_t ntok;
  char ptr[1024];       /* the same, written out for a finding */
  size_t *reads;        /* questions read by the tree being walked */
  size_t nreads, capreads;
  int opaque;           /* it also reads what the linter cannot name */
  const char *last[2];  /* the last names looked up, by address */
  long lastq[2];
  const cdg_question *owner; /* whose enable_when is walked, or NULL */
} S_lint;

/* ---- Findings --------------------------------------------------------- */

static void S_add(S_lint *L, const char *pointer, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void S_add(S_lint *L, const char *pointer, const char *fmt, ...) {
  cdg_lint *o = L->out;
  char msg[sizeof o->f->err.message];
  va_list ap;

  if (L->nomem)
    return;
  if (o->n == o->cap) {
    size_t cap = o->cap ? 2 * o->cap : 16;
    S_finding *f = cdg_realloc(o->f, cap * sizeof *f);

    if (!f) {
      L->nomem = 1;
      return;
    }
    o->f = f;
    o->cap = cap;
  }
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  pack_error_at(L->pack, &o->f[o->n].err, CDG_ERR_PACK, pointer, "%s", msg);
  o->f[o->n].seq = o->n;
  o->n++;
}

/* By position in the file; findings with no position go last. */
static int S_finding_cmp(const void *pa, const void *pb) {
  const S_finding *a = pa, *b = pb;
  long la = a->err.line > 0 ? a->err.line : 0x7fffffffL;
  long lb = b->err.line > 0 ? b->err.line : 0x7fffffffL;

  if (la != lb)
    return la < lb ? -1 : 1;
  if (a->err.col != b->err.col)
    return a->err.col < b->err.col ? -1 : 1;
  return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* ---- Small helpers ---------------------------------------------------- */

/* Grow *p (n used of *cap elements of size sz) for one more element. */
static int S_grow(S_lint *L, void *p, size_t n, size_t *cap, size_t sz) {
  void **pp = p;
  void *np;
  size_t ncap;

  if (n < *cap)
    return 0;
  ncap = *cap ? 2 * *cap : 4;
  np = cdg_realloc(*pp, ncap * sz);
  if (!np) {
    L->nomem = 1;
    return -1;
  }
  *pp = np;
  *cap = ncap;
  return 0;
}

/* Decimal digits of v and a NUL; returns their number. */
static size_t S_utoa(char *buf, size_t v) {
  char tmp[24];
  size_t n = 0, i;

  do
    tmp[n++] = (char)('0' + v % 10);
  while ((v /= 10) != 0);
  for (i = 0; i < n; i++)
    buf[i] = tmp[n - 1 - i];
  buf[n] = '\0';
  return n;
}

/* Append a key or index token; returns the depth to restore. Tokens past
** LINT_DEPTH are dropped: the pointer then names an ancestor. */
static size_t S_push(S_lint *L, const char *key) {
  if (L->ntok < LINT_DEPTH)
    L->tok[L->ntok].key = key;
  return L->ntok++;
}

static size_t S_push_index(S_lint *L, size_t i) {
  if (L->ntok < LINT_DEPTH) {
    L->tok[L->ntok].key = NULL;
    L->tok[L->ntok].index = i;
  }
  return L->ntok++;
}

static void S_pop(S_lint *L, size_t old) { L->ntok = old; }

/* The pointer of the current node as text (RFC 6901: ~ as ~0, / as ~1);
** one that does not fit is cut to an ancestor. */
static const char *S_here(S_lint *L) {
  size_t n = 0, i;
  char buf[24];
  const char *t;

  L->ptr[0] = '\0';
  for (i = 0; i < L->ntok && i < LINT_DEPTH; i++) {
    t = L->tok[i].key;
    if (!t) {
      S_utoa(buf, L->tok[i].index);
      t = buf;
    }
    n = json_ptr_push(L->ptr, sizeof L->ptr, n, t);
  }
  return L->ptr;
}

static size_t S_find(S_q *q, size_t i) {
  while (q[i].uf != i) {
    q[i].uf = q[q[i].uf].uf;  /* path halving */
    i = q[i].uf;
  }
  return i;
}

static void S_union(S_q *q, size_t a, size_t b) {
  a = S_find(q, a);
  b = S_find(q, b);
  if (a < b)
    q[b].uf = a;
  else if (b < a)
    q[a].uf = b;
}

/* ---- Static pass: ids and passages ------------------------------------ */

/*
** The loader already rejects duplicate question ids, rule ids and option
** codes (so question lookups can go through its index); what is left for
** the linter is a passage listed twice and two options the patient cannot
** tell apart.
*/

/* Item i of a list of strings (labels of options, ids, passage ids). */
static const char *S_label(const void *list, size_t i) {
  return ((const pack_option *)list)[i].label;
}

static const char *S_id(const void *list, size_t i) {
  return ((const char *const *)list)[i];
}

static const char *S_passage(const void *ps, size_t i) {
  return cdg_passage_id(ps, i);
}

/* pack_repeats_init for a list of the pack: when out of memory the lint
** fails (pairwise until then). */
static void S_repeats_begin(S_lint *L, pack_index *set, size_t n,
                            pack_keyfn nth, const void *list) {
  if (pack_repeats_init(set, n, nth, list) < 0)
    L->nomem = 1;
}

static int S_unknown_passage(const S_lint *L, const char *id) {
  return L->have_ps && pack_index_get(&L->pids, id) < 0;
}

static void S_check_question_ids(S_lint *L, size_t i) {
  const cdg_question *q = &L->pack->questions[i];
  char p[128];
  size_t j;
  pack_index set;

  S_repeats_begin(L, &set, q->noptions, S_label, q->options);
  for (j = 0; j < q->noptions; j++)
    if (pack_repeat(&set, j)) {
      snprintf(p, sizeof p, "/questions/%zu/options/%zu/label", i, j);
      S_add(L, p, "question \"%s\" has two options labelled \"%s\"",
            q->id, q->options[j].label);
    }
  pack_index_free(&set);
  S_repeats_begin(L, &set, q->npassages, S_id, q->passages);
  for (j = 0; j < q->npassages; j++) {
    if (pack_repeat(&set, j)) {
      snprintf(p, sizeof p, "/questions/%zu/passages/%zu", i, j);
      S_add(L, p, "question \"%s\" lists passage \"%s\" twice", q->id,
            q->passages[j]);
    } else if (S_unknown_passage(L, q->passages[j])) {
      snprintf(p, sizeof p, "/questions/%zu/passages/%zu", i, j);
      S_add(L, p, "unknown passage id \"%s\"", q->passages[j]);
    }
  }
  pack_index_free(&set);
}

static void S_check_rule_ids(S_lint *L, size_t r) {
  const pack_rule *rule = &L->pack->rules[r];
  char p[128];
  size_t j;
  pack_index set;

  S_repeats_begin(L, &set, rule->ncite, S_id, rule->cite);
  for (j = 0; j < rule->ncite; j++) {
    if (pack_repeat(&set, j)) {
      snprintf(p, sizeof p, "/rules/%zu/cite/%zu", r, j);
      S_add(L, p, "rule \"%s\" cites passage \"%s\" twice", rule->id,
            rule->cite[j]);
    } else if (S_unknown_passage(L, rule->cite[j])) {
      snprintf(p, sizeof p, "/rules/%zu/cite/%zu", r, j);
      S_add(L, p, "unknown passage id \"%s\"", rule->cite[j]);
    }
  }
  pack_index_free(&set);
}

/* ---- Static pass: JsonLogic trees ------------------------------------- */

/* cJSON's type tests, inline: the walk runs once per node of the pack.
** NULL (a missing node) is of no type. */
static inline int S_is(const cJSON *v, int type) {
  return v && (v->type & 0xFF) == type;
}
#define S_IS_ARRAY(v) S_is(v, cJSON_Array)
#define S_IS_OBJECT(v) S_is(v, cJSON_Object)
#define S_IS_STRING(v) S_is(v, cJSON_String)
#define S_IS_NUMBER(v) S_is(v, cJSON_Number)

/* The operators the walk treats specially. */
typedef enum S_op {
  S_OP_OTHER,
  S_OP_VAR,
  S_OP_MISSING,
  S_OP_MISSING_SOME,
  S_OP_ITER,        /* map filter reduce all some none: data is an element */
  S_OP_EQ,          /* == === != !== */
  S_OP_ORDER,       /* < <= > >= */
  S_OP_IN
} S_op;

static S_op S_classify(const char *op) {
  const logic_op *o = logic_op_find(op);

  if (!o)
    return S_OP_OTHER;
  if (o->flags & LOGIC_OP_REBINDS)
    return S_OP_ITER;
  switch (o->code) {
  case LOGIC_OP_VAR: return S_OP_VAR;
  case LOGIC_OP_MISSING: return S_OP_MISSING;
  case LOGIC_OP_MISSING_SOME: return S_OP_MISSING_SOME;
  case LOGIC_OP_EQ:
  case LOGIC_OP_SEQ:
  case LOGIC_OP_NE:
  case LOGIC_OP_SNE: return S_OP_EQ;
  case LOGIC_OP_LT:
  case LOGIC_OP_LE:
  case LOGIC_OP_GT:
  case LOGIC_OP_GE: return S_OP_ORDER;
  case LOGIC_OP_IN: return S_OP_IN;
  default: return S_OP_OTHER;
  }
}

static void S_walk(S_lint *L, const cJSON *node, const char *scope);

static void S_read(S_lint *L, size_t q) {
  size_t i;

  for (i = 0; i < L->nreads; i++)
    if (L->reads[i] == q)
      return;
  if (S_grow(L, &L->reads, L->nreads, &L->capreads, sizeof *L->reads) == 0)
    L->reads[L->nreads++] = q;
}

static int S_numeric(const char *s, size_t n) {
  size_t i;

  for (i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return 0;
  return n > 0;
}

/* The question with this id: among those the loader found the walked
** enable_when to read (on a big pack, a hash probe is a cache miss), or
** by the pack's index. */
static const cdg_question *S_lookup(const S_lint *L, const char *id) {
  const cdg_question *o = L->owner;
  size_t k;

  for (k = 0; o && k < o->ndeps; k++)
    if (strcmp(o->deps[k], id) == 0)
      return &L->pack->questions[o->depidx[k]];
  return cdg_pack_find_question(L->pack, id);
}

/* The index of the question with this id, or -1. A comparison looks its
** names up before the walk reaches them: the last two are remembered. */
static long S_question(S_lint *L, const char *id) {
  const cdg_question *q;

  if (id == L->last[0] || id == L->last[1])
    return id == L->last[0] ? L->lastq[0] : L->lastq[1];
  q = S_lookup(L, id);
  L->last[1] = L->last[0];
  L->lastq[1] = L->lastq[0];
  L->last[0] = id;
  L->lastq[0] = q ? (long)(q - L->pack->questions) : -1;
  return L->lastq[0];
}

/*
** A name read by var or missing, at the current pointer. Inside map, filter, reduce,
** all, some and none (scope: the innermost of them) data is the current
** element: "" and numeric paths are fine there ("current" and
** "accumulator" in reduce), and no name refers to a question.
*/
static void S_name(S_lint *L, const char *kind, const char *name,
                   const char *scope) {
  size_t seg = strcspn(name, ".");
  char buf[256];
  long q;

  if (scope) {
    if (seg == 0 || S_numeric(name, seg))
      return;
    if (strcmp(scope, "reduce") == 0 &&
        ((seg == 7 && strncmp(name, "current", 7) == 0) ||
         (seg == 11 && strncmp(name, "accumulator", 11) == 0)))
      return;
    S_add(L, S_here(L),
          "%s \"%s\" inside \"%s\" reads the current element, not a question",
          kind, name, scope);
    return;
  }
  if (name[0] == '\0') {
    L->opaque = 1;
    S_add(L, S_here(L), "%s \"\" reads every answer, so the linter cannot "
          "check it", kind);
    return;
  }
  q = -1;
  if (name[seg] == '\0') {
    q = S_question(L, name);
  } else if (seg < sizeof buf) {
    const cdg_question *dq;

    memcpy(buf, name, seg);
    buf[seg] = '\0';
    dq = S_lookup(L, buf);  /* buf: not cached */
    q = dq ? (long)(dq - L->pack->questions) : -1;
  }
  if (q < 0)
    S_add(L, S_here(L), "%s \"%s\" names no question", kind, name);
  else
    S_read(L, (size_t)q);
}

/* A name that is itself an expression. */
static void S_computed(S_lint *L, const char *kind, const cJSON *name,
                       const char *scope) {
  if (!scope)
    L->opaque = 1;
  S_add(L, S_here(L), "%s name is computed, so the linter cannot check it",
        kind);
  S_walk(L, name, scope);
}

/* Walk node, argument i of the operator at the current pointer. */
static void S_walk_at(S_lint *L, const cJSON *node, size_t i,
                      const char *scope) {
  size_t old = S_push_index(L, i);

  S_walk(L, node, scope);
  S_pop(L, old);
}

/* Argument i of an operator: args itself when it is not an array. */
static const cJSON *S_arg(const cJSON *args, size_t i) {
  const cJSON *a;

  if (!S_IS_ARRAY(args))
    return i == 0 ? args : NULL;
  for (a = args->child; a && i > 0; i--)
    a = a->next;
  return a;
}

/* Walk argument i of an operator. */
static void S_walk_arg(S_lint *L, const cJSON *args, size_t i,
                       const char *scope) {
  const cJSON *a = S_arg(args, i);

  if (!a)
    return;
  if (S_IS_ARRAY(args))
    S_walk_at(L, a, i, scope);
  else
    S_walk(L, a, scope);
}

static void S_var(S_lint *L, const cJSON *args, const char *scope) {
  const cJSON *name = S_IS_ARRAY(args) ? args->child : args, *c;
  size_t old = L->ntok, i;

  if (S_IS_ARRAY(args) && name)
    S_push(L, "0");
  if (S_IS_STRING(name))
    S_name(L, "var", name->valuestring, scope);
  else if (S_IS_NUMBER(name) && !scope)
    S_add(L, S_here(L), "var %g names no question", name->valuedouble);
  else if (S_IS_OBJECT(name) || S_IS_ARRAY(name))
    S_computed(L, "var", name, scope);
  S_pop(L, old);
  if (S_IS_ARRAY(args) && name)
    for (c = name->next, i = 1; c; c = c->next, i++)
      S_walk_at(L, c, i, scope);  /* the default */
}

/* The names of missing (a list, or an array as first argument) and
** missing_some (a minimum, then an array). */
static void S_missing(S_lint *L, const char *op, S_op kind,
                      const cJSON *args, const char *scope) {
  const cJSON *list = args, *c;
  size_t old = L->ntok, o2;
  size_t i = 0;

  if (kind == S_OP_MISSING_SOME) {
    S_walk_arg(L, args, 0, scope);
    if (!S_IS_ARRAY(args) || !args->child || !args->child->next)
      return;
    list = args->child->next;
    S_push(L, "1");
  } else if (S_IS_ARRAY(args) && S_IS_ARRAY(args->child)) {
    list = args->child;
    S_push(L, "0");
  }
  if (!S_IS_ARRAY(list)) {
    if (S_IS_STRING(list))
      S_name(L, op, list->valuestring, scope);
    else if (S_IS_OBJECT(list))
      S_computed(L, op, list, scope);
  } else {
    for (c = list->child; c; c = c->next, i++) {
      o2 = S_push_index(L, i);
      if (S_IS_STRING(c))
        S_name(L, op, c->valuestring, scope);
      else if (S_IS_OBJECT(c) || S_IS_ARRAY(c))
        S_computed(L, op, c, scope);
      S_pop(L, o2);
    }
  }
  S_pop(L, old);
}

/* The question a node reads whole, {"var": "q"}, outside any iteration. */
static long S_plain_var(S_lint *L, const cJSON *node,
                        const char *scope) {
  const cJSON *a;

  if (scope || !S_IS_OBJECT(node) || !node->child || node->child->next ||
      strcmp(node->child->string, "var") != 0)
    return -1;
  a = node->child;
  if (S_IS_ARRAY(a))
    a = a->child;
  return S_IS_STRING(a) ? S_question(L, a->valuestring) : -1;
}

static int S_has_code(const cdg_question *q, const char *code) {
  size_t i;

  for (i = 0; i < q->noptions; i++)
    if (strcmp(q->options[i].code, code) == 0)
      return 1;
  return 0;
}

/* Question qi is compared with literal lit, which sits at the current pointer. */
static void S_compare(S_lint *L, long qi, const cJSON *lit) {
  const cdg_question *q = &L->pack->questions[qi];
  S_q *s = &L->q[qi];
  size_t i;

  switch (q->type) {
  case CDG_Q_SINGLE:
  case CDG_Q_MULTI:
    if (S_IS_STRING(lit) && !S_has_code(q, lit->valuestring))
      S_add(L, S_here(L), "question \"%s\" has no option \"%s\"", q->id,
            lit->valuestring);
    break;
  case CDG_Q_NUMBER:
    if (S_IS_STRING(lit)) {
      S_add(L, S_here(L), "question \"%s\" is a number, compared with string "
            "\"%s\"", q->id, lit->valuestring);
    } else if (S_IS_NUMBER(lit)) {
      for (i = 0; i < s->nnum; i++)
        if (s->num[i] == lit->valuedouble)
          return;
      if (S_grow(L, &s->num, s->nnum, &s->capnum, sizeof *s->num) == 0)
        s->num[s->nnum++] = lit->valuedouble;
    }
    break;
  case CDG_Q_TEXT:
    if (S_IS_STRING(lit) && lit->valuestring[0]) {  /* "" is always in */
      for (i = 0; i < s->nstr; i++)
        if (strcmp(s->str[i], lit->valuestring) == 0)
          return;
      if (S_grow(L, &s->str, s->nstr, &s->capstr, sizeof *s->str) == 0)
        s->str[s->nstr++] = lit->valuestring;
    }
    break;
  }
}

static int S_is_literal(const cJSON *v) {
  return S_IS_STRING(v) || S_IS_NUMBER(v);
}

/* Compare lit (argument i, or element j of argument i when j >= 0). */
static void S_compare_at(S_lint *L, long q, const cJSON *lit, size_t i,
                         long j) {
  size_t old = S_push_index(L, i);

  if (j >= 0)
    S_push_index(L, (size_t)j);
  S_compare(L, q, lit);
  S_pop(L, old);
}

/* Comparisons of a question with constants, checked before the generic
** walk: ==, ===, !=, !== (either order), <, <=, >, >= (number questions,
** two or three arguments), and "in" with a code or a list of them. */
static void S_compare_op(S_lint *L, S_op kind, const cJSON *args,
                         const char *scope) {
  const cJSON *a, *b, *c, *lit;
  long q;
  size_t i, k, n = 0;

  if (!S_IS_ARRAY(args))
    return;
  for (c = args->child; c; c = c->next)
    n++;
  a = args->child;
  b = a ? a->next : NULL;
  if (kind == S_OP_EQ && n == 2) {
    if ((q = S_plain_var(L, a, scope)) >= 0 && S_is_literal(b))
      S_compare_at(L, q, b, 1, -1);
    if ((q = S_plain_var(L, b, scope)) >= 0 && S_is_literal(a))
      S_compare_at(L, q, a, 0, -1);
  } else if (kind == S_OP_ORDER && (n == 2 || n == 3)) {
    for (c = a, i = 0; c; c = c->next, i++) {
      q = S_plain_var(L, c, scope);
      if (q < 0 || L->pack->questions[q].type != CDG_Q_NUMBER)
        continue;
      for (lit = a, k = 0; lit; lit = lit->next, k++)
        if (k != i && S_is_literal(lit))
          S_compare_at(L, q, lit, k, -1);
    }
  } else if (kind == S_OP_IN && n == 2) {
    q = S_plain_var(L, b, scope);
    if (q >= 0 && S_IS_STRING(a) &&
        (L->pack->questions[q].type == CDG_Q_SINGLE ||
         L->pack->questions[q].type == CDG_Q_MULTI))
      S_compare_at(L, q, a, 0, -1);
    q = S_plain_var(L, a, scope);
    if (q >= 0 && S_IS_ARRAY(b))
      for (lit = b->child, k = 0; lit; lit = lit->next, k++)
        if (S_is_literal(lit))
          S_compare_at(L, q, lit, 1, (long)k);
  }
}

/* Walk a JsonLogic node at the current pointer; scope is the innermost iteration
** operator around it, NULL at the top. */
static void S_walk(S_lint *L, const cJSON *node, const char *scope) {
  const cJSON *c, *args;
  const char *op;
  size_t i = 0, old;
  S_op kind;

  if (S_IS_ARRAY(node)) {
    for (c = node->child; c; c = c->next, i++)
      S_walk_at(L, c, i, scope);
    return;
  }
  if (!S_IS_OBJECT(node) || !node->child || node->child->next)
    return;  /* a literal (the loader rejects other objects) */
  op = node->child->string;
  args = node->child;
  old = S_push(L, op);
  switch (kind = S_classify(op)) {
  case S_OP_VAR:
    S_var(L, args, scope);
    break;
  case S_OP_MISSING:
  case S_OP_MISSING_SOME:
    S_missing(L, op, kind, args, scope);
    break;
  case S_OP_ITER:
    S_walk_arg(L, args, 0, scope);
    S_walk_arg(L, args, 1, op);
    S_walk_arg(L, args, 2, scope);  /* reduce: the initial value */
    break;
  default:
    S_compare_op(L, kind, args, scope);
    S_walk(L, args, scope);  /* an array walks as the argument list */
    break;
  }
  S_pop(L, old);
}

/* Walk the condition at /list/i/key; the questions it reads end up in
** L->reads. */
static void S_walk_root(S_lint *L, const cJSON *expr, const char *list,
                        size_t i, const char *key) {
  L->ntok = 0;
  S_push(L, list);
  S_push_index(L, i);
  S_push(L, key);
  L->nreads = 0;
  L->opaque = 0;
  if (expr)
    S_walk(L, expr, NULL);
}

/* ---- Exhaustive pass -------------------------------------------------- */

/* The answers one question branches over, for the component being
** enumerated; the cJSON nodes come from a pool reused by every component. */
typedef struct S_dom {
  size_t item;          /* first pool node: one per answer (multi: option) */
  size_t nitem;
  size_t arr;           /* multi: pool node of the array answer */
  size_t mask;          /* multi: first of its subsets in E->masks */
  size_t nval;          /* answers to branch over, absent not counted */
  size_t memo;          /* enable_when memo: 1 + offset in E->memo, or 0 */
} S_dom;

/* One answer of the example path that cites nothing. */
typedef struct S_ex {
  int present;
  union {
    unsigned long mask; /* multi */
    double num;         /* number */
    const char *str;    /* single (the code) and text */
  } u;
} S_ex;

/* A position of the component being enumerated: its answers, and where
** the walk is there. */
typedef struct S_at {
  S_dom dom;
  size_t alt;           /* answer being tried */
  size_t nalt;          /* answers to try */
  size_t cur;           /* 0 absent, k + 1 answer k */
  size_t fired;         /* rules fired up to here */
  unsigned char on;     /* enabled on this prefix */
} S_at;

/* A condition: what it reads, and where its memo is. */
typedef struct S_cond {
  const logic_expr *expr;
  const size_t *reads;  /* question indexes */
  const size_t *stride; /* memo stride of each read */
  size_t nreads;
  size_t memo;          /* 1 + offset in E->memo, or 0 */
  unsigned char *failed; /* set when the condition cannot be evaluated */
} S_cond;

typedef struct S_enum {
  size_t ncomp;
  size_t *cstart;       /* component c: positions cstart[c]..cstart[c+1] */
  size_t *order;        /* position -> question index, topological */
  size_t *pos;          /* question index -> position */
  size_t *comp;         /* question index -> component */
  size_t *rstart;       /* rules decided at position g: rlist[rstart[g]..] */
  size_t *rlist;        /* (g = number of questions: constant rules) */
  size_t *rreads, *rrstart, *rstride;  /* what rule r reads */
  size_t *ereads, *erstart, *estride;  /* what enable_when of q reads */
  unsigned char *ropaque, *eopaque;    /* reads what cannot be named */
  size_t *rmemo;        /* rule -> 1 + memo offset, or 0 */
  S_at *at;             /* at[k]: position base + k, in the component */
  size_t base;          /* being enumerated: its first position */
  S_ex *ex;             /* position -> answer on a path citing nothing */
  unsigned char *reached, *rfired, *cbad, *csilent;
  unsigned char *qfailed, *rfailed; /* enable_when / rule failed on a path */
  cJSON **pool;         /* reusable nodes for answers */
  size_t npool;         /* in use by the current component */
  size_t nmade, cappool;
  unsigned long *masks;
  size_t nmasks, capmasks;
  double *vals;
  size_t capvals;
  signed char *memo;    /* -1 unknown, 0 false, 1 true */
  size_t nmemo, capmemo;
  cJSON *data;          /* the answers of the current prefix */
} S_enum;

static int S_dbl_cmp(const void *pa, const void *pb) {
  double a = *(const double *)pa, b = *(const double *)pb;

  return a < b ? -1 : a > b;
}

static size_t S_popcount(unsigned long m) {
  size_t n = 0;

  for (; m; m &= m - 1)
    n++;
  return n;
}

/* A pool node reset to type (no key, no children, value borrowed). */
static long S_node(S_lint *L, S_enum *E, int type) {
  cJSON *n;

  if (E->npool == E->nmade) {
    if (S_grow(L, &E->pool, E->nmade, &E->cappool, sizeof *E->pool) < 0)
      return -1;
    if (!(E->pool[E->nmade] = cJSON_CreateNull())) {
      L->nomem = 1;
      return -1;
    }
    E->nmade++;
  }
  n = E->pool[E->npool];
  n->next = n->prev = n->child = NULL;
  n->string = NULL;
  n->valuestring = NULL;
  n->valuedouble = 0;
  n->valueint = 0;
  n->type = type;
  return (long)E->npool++;
}

static long S_node_str(S_lint *L, S_enum *E, const char *s) {
  long k = S_node(L, E, cJSON_String | cJSON_IsReference);

  if (k >= 0)
    E->pool[k]->valuestring = (char *)(uintptr_t)s;  /* never written */
  return k;
}

/* The numbers a number question branches over, sorted, in E->vals. */
static size_t S_number_values(S_lint *L, S_enum *E, size_t qi) {
  const cdg_question *q = &L->pack->questions[qi];
  const S_q *s = &L->q[qi];
  size_t n = 0, i, k, m;

  while (E->capvals < 3 * s->nnum + 3)
    if (S_grow(L, &E->vals, E->capvals, &E->capvals, sizeof *E->vals) < 0)
      return 0;
  if (q->has_range) {
    E->vals[n++] = q->min;
    E->vals[n++] = q->max;
  }
  for (i = 0; i < s->nnum; i++) {
    double c[3] = {s->num[i] - 1, s->num[i], s->num[i] + 1};

    for (k = 0; k < 3; k++)
      if (!q->has_range || (c[k] >= q->min && c[k] <= q->max))
        E->vals[n++] = c[k];
  }
  if (n == 0)
    E->vals[n++] = 0;
  qsort(E->vals, n, sizeof *E->vals, S_dbl_cmp);
  for (i = 1, m = 1; i < n; i++)
    if (E->vals[i] != E->vals[m - 1])
      E->vals[m++] = E->vals[i];
  return m;
}

/* Set up the answers of position g: 0 ok, 1 too many, -1 out of memory. */
static int S_dom_build(S_lint *L, S_enum *E, size_t g) {
  size_t qi = E->order[g], i, n = 0, nx;
  const cdg_question *q = &L->pack->questions[qi];
  const S_q *s = &L->q[qi];
  S_dom *d = &E->at[g - E->base].dom;
  unsigned long m, excl = 0, all;
  long k = 0;

  memset(d, 0, sizeof *d);
  d->item = E->npool;
  switch (q->type) {
  case CDG_Q_SINGLE:
  case CDG_Q_MULTI:
    n = q->noptions;
    if (q->type == CDG_Q_MULTI && n > LINT_MAX_BITS)
      return 1;
    for (i = 0; i < n && k >= 0; i++)
      k = S_node_str(L, E, q->options[i].code);
    break;
  case CDG_Q_NUMBER:
    n = S_number_values(L, E, qi);
    for (i = 0; i < n && k >= 0; i++)
      if ((k = S_node(L, E, cJSON_Number)) >= 0)
        cJSON_SetNumberValue(E->pool[k], E->vals[i]);
    break;
  case CDG_Q_TEXT:
    n = s->nstr + 1;
    for (i = 0; i < n && k >= 0; i++)
      k = S_node_str(L, E, i == 0 ? "" : s->str[i - 1]);
    break;
  }
  if (k < 0 || L->nomem)
    return -1;
  d->nitem = d->nval = n;
  if (q->type != CDG_Q_MULTI)
    return 0;
  /* Non-empty subsets: any of the non-exclusive options, or one
  ** exclusive option alone. */
  for (i = 0; i < n; i++)
    if (q->options[i].exclusive)
      excl |= 1UL << i;
  nx = S_popcount(excl);
  all = (1UL << n) - 1;
  d->nval = ((1UL << (n - nx)) - 1) + nx;
  if (d->nval > S_budget)
    return 1;
  if ((k = S_node(L, E, cJSON_Array)) < 0)
    return -1;
  d->arr = (size_t)k;
  d->mask = E->nmasks;
  for (m = 1; m <= all && m != 0; m++) {
    if ((m & excl) != 0 && ((m & excl) != m || S_popcount(m) != 1))
      continue;
    if (S_grow(L, &E->masks, E->nmasks, &E->capmasks, sizeof *E->masks) < 0)
      return -1;
    E->masks[E->nmasks++] = m;
  }
  return 0;
}

/*
** A memo for a condition reading these questions (all in the component
** being enumerated): its strides, and 1 + its offset in E->memo, or 0 when
** it would have more than LINT_MEMO_MAX entries.
*/
static size_t S_memo(S_lint *L, S_enum *E, const size_t *reads,
                     size_t *stride, size_t n, int opaque) {
  size_t size = 1, i, off;

  if (opaque)
    return 0;
  for (i = 0; i < n; i++) {
    stride[i] = size;
    size *= E->at[E->pos[reads[i]] - E->base].dom.nval + 1;
    if (size > LINT_MEMO_MAX)
      return 0;
  }
  off = E->nmemo;
  while (E->capmemo < off + size)
    if (S_grow(L, &E->memo, E->capmemo, &E->capmemo, sizeof *E->memo) < 0)
      return 0;
  memset(E->memo + off, -1, size);
  E->nmemo += size;
  return off + 1;
}

/* logic_test through the memo: 1, 0, or -1 when out of memory. A
** condition that cannot be evaluated counts as false and is marked, to be
** reported. c->expr is never NULL: callers test enable_when first, and
** every rule has a compiled "when". */
static int S_test(S_enum *E, const S_cond *c) {
  size_t key = 0, i;
  int t;

  if (c->memo) {
    for (i = 0; i < c->nreads; i++)
      key += E->at[E->pos[c->reads[i]] - E->base].cur * c->stride[i];
    if (E->memo[c->memo - 1 + key] >= 0)
      return E->memo[c->memo - 1 + key];
  }
  t = logic_test(c->expr, E->data);
  if (t == LOGIC_FAIL) {
    *c->failed = 1;
    t = 0;
  }
  if (c->memo && t >= 0)
    E->memo[c->memo - 1 + key] = (signed char)t;
  return t;
}

static S_cond S_rule_cond(const cdg_pack *pack, const S_enum *E, size_t r) {
  S_cond c;

  c.expr = pack->rules[r].cond;
  c.reads = E->rreads + E->rrstart[r];
  c.stride = E->rstride + E->rrstart[r];
  c.nreads = E->rrstart[r + 1] - E->rrstart[r];
  c.memo = E->rmemo[r];
  c.failed = &E->rfailed[r];
  return c;
}

/* Answer position g with its alt, then test the rules decided there.
** Returns -1 when a test fails (out of memory). */
static int S_step(const cdg_pack *pack, S_enum *E, size_t g) {
  const cdg_question *q = &pack->questions[E->order[g]];
  S_at *at = &E->at[g - E->base];
  const S_dom *d = &at->dom;
  size_t fired = g > E->base ? at[-1].fired : 0, i, a = at->alt;
  cJSON *v;
  int t;

  at->cur = 0;
  if (at->on && a < d->nval) {
    at->cur = a + 1;
    if (q->type == CDG_Q_MULTI) {
      v = E->pool[d->arr];
      while (v->child)
        cJSON_DetachItemViaPointer(v, v->child);
      for (i = 0; i < d->nitem; i++)
        if (E->masks[d->mask + a] & (1UL << i))
          cJSON_AddItemToArray(v, E->pool[d->item + i]);
    } else {
      v = E->pool[d->item + a];
    }
    /* Keyed by the id, borrowed: no allocation per step. */
    cJSON_AddItemToObjectCS(E->data, q->id, v);
  }
  for (i = E->rstart[g]; i < E->rstart[g + 1]; i++) {
    S_cond c = S_rule_cond(pack, E, E->rlist[i]);

    if ((t = S_test(E, &c)) < 0)
      return -1;
    if (t) {
      fired++;
      E->rfired[E->rlist[i]] = 1;
    }
  }
  at->fired = fired;
  return 0;
}

static void S_unstep(const cdg_pack *pack, S_enum *E, size_t g) {
  const S_at *at = &E->at[g - E->base];

  if (at->cur)
    cJSON_DetachItemViaPointer(
        E->data, E->pool[pack->questions[E->order[g]].type == CDG_Q_MULTI
                             ? at->dom.arr
                             : at->dom.item + at->alt]);
}

/* Record the current complete path of positions s..s+n as the example. */
static void S_keep_example(const cdg_pack *pack, S_enum *E, size_t s,
                           size_t n) {
  size_t g;

  for (g = s; g < s + n; g++) {
    const cdg_question *q = &pack->questions[E->order[g]];
    const S_at *at = &E->at[g - E->base];
    S_ex *x = &E->ex[g];

    memset(x, 0, sizeof *x);
    if (!at->cur)
      continue;
    x->present = 1;
    if (q->type == CDG_Q_MULTI)
      x->u.mask = E->masks[at->dom.mask + at->alt];
    else if (q->type == CDG_Q_NUMBER)
      x->u.num = E->pool[at->dom.item + at->alt]->valuedouble;
    else
      x->u.str = E->pool[at->dom.item + at->alt]->valuestring;
  }
}

/*
** Enumerate every complete path of component c, depth first without
** recursion (a component may be a long chain). Returns -1 when out of
** memory; sets E->cbad[c] when the component is too large.
*/
static int S_enum_component(S_lint *L, S_enum *E, size_t c) {
  const cdg_pack *pack = L->pack;
  size_t s = E->cstart[c], n = E->cstart[c + 1] - s, d = 0, g, i;
  unsigned long long paths = 0;
  int down = 1, t, rc = 0;

  E->npool = E->nmasks = E->nmemo = 0;
  E->base = s;
  for (g = s; g < s + n; g++) {
    t = S_dom_build(L, E, g);
    if (t < 0)
      return -1;
    if (t > 0) {
      E->cbad[c] = 1;
      return 0;
    }
  }
  for (g = s; g < s + n; g++) {
    size_t qi = E->order[g], e0 = E->erstart[qi];

    E->at[g - s].dom.memo = S_memo(L, E, E->ereads + e0, E->estride + e0,
                                   E->erstart[qi + 1] - e0, E->eopaque[qi]);
    for (i = E->rstart[g]; i < E->rstart[g + 1]; i++) {
      size_t r = E->rlist[i], r0 = E->rrstart[r];

      E->rmemo[r] = S_memo(L, E, E->rreads + r0, E->rstride + r0,
                           E->rrstart[r + 1] - r0, E->ropaque[r]);
    }
  }
  if (L->nomem)
    return -1;
  while (rc == 0) {
    if (down && d == n) {
      if (++paths > S_budget) {
        E->cbad[c] = 1;
        break;
      }
      if (!E->csilent[c] && E->at[n - 1].fired == 0) {
        E->csilent[c] = 1;
        S_keep_example(pack, E, s, n);
      }
      down = 0;
    } else if (down) {
      size_t qi = E->order[s + d], e0 = E->erstart[qi];
      const cdg_question *q = &pack->questions[qi];
      S_at *at = &E->at[d];
      S_cond en;

      g = s + d;
      en.expr = q->enable;
      en.reads = E->ereads + e0;
      en.stride = E->estride + e0;
      en.nreads = E->erstart[qi + 1] - e0;
      en.memo = at->dom.memo;
      en.failed = &E->qfailed[qi];
      t = q->enable ? S_test(E, &en) : 1;
      if (t < 0)
        rc = -1;
      at->on = t > 0;
      if (t > 0)
        E->reached[qi] = 1;
      at->nalt = t > 0 ? at->dom.nval + !q->required : 1;
      at->alt = 0;
      at->cur = 0;
      if (rc == 0 && at->nalt == 0) {
        down = 0;  /* a question with no answers: no path through it */
        continue;
      }
      if (rc == 0)
        rc = S_step(pack, E, g);
      d++;
    } else {
      if (d == 0)
        break;
      g = s + --d;
      S_unstep(pack, E, g);
      if (++E->at[d].alt < E->at[d].nalt) {
        rc = S_step(pack, E, g);
        d++;
        down = 1;
      }
    }
  }
  /* Leave the data empty for the next component. */
  while (E->data->child)
    cJSON_DetachItemViaPointer(E->data, E->data->child);
  /* Any combination of the components' sub-paths is a complete path. */
  if (paths && L->out->paths > ULLONG_MAX / paths)
    L->out->paths = ULLONG_MAX;
  else
    L->out->paths *= paths;
  return rc;
}

/* Place each rule after the last position it reads; constant rules at the
** sentinel position nq. Counting sort into rstart/rlist. */
static void S_place_rules(const cdg_pack *pack, S_enum *E) {
  size_t nq = pack->nquestions, nr = pack->nrules, r, j, g, pass;

  for (pass = 0; pass < 2; pass++) {
    for (r = 0; r < nr; r++) {
      g = nq;
      for (j = E->rrstart[r]; j < E->rrstart[r + 1]; j++)
        if (g == nq || E->pos[E->rreads[j]] > g)
          g = E->pos[E->rreads[j]];
      if (pass == 0)
        E->rstart[g + 1]++;
      else
        E->rlist[E->rstart[g]++] = r;
    }
    if (pass == 0)
      for (g = 0; g < nq + 1; g++)
        E->rstart[g + 1] += E->rstart[g];
  }
  for (g = nq + 1; g > 0; g--)
    E->rstart[g] = E->rstart[g - 1];
  E->rstart[0] = 0;
}

/* Number the components in topological order of their first question and
** lay their questions out contiguously, in topological order. */
static int S_layout(S_lint *L, S_enum *E) {
  const cdg_pack *pack = L->pack;
  size_t nq = pack->nquestions, i, c, most = 1;

  E->ncomp = 0;
  for (i = 0; i < nq; i++)
    E->pos[i] = (size_t)-1;  /* root -> component, for now */
  for (i = 0; i < nq; i++) {
    size_t qi = pack->topo[i], root = S_find(L->q, qi);

    if (E->pos[root] == (size_t)-1)
      E->pos[root] = E->ncomp++;
    E->comp[qi] = E->pos[root];
  }
  E->cstart = cdg_calloc(E->ncomp + 2, sizeof *E->cstart);
  E->csilent = cdg_calloc(E->ncomp + 1, 1);
  E->cbad = cdg_calloc(E->ncomp + 1, 1);
  if (!E->cstart || !E->csilent || !E->cbad)
    return -1;
  for (i = 0; i < nq; i++)
    E->cstart[E->comp[i] + 1]++;
  for (c = 0; c < E->ncomp; c++) {
    if (E->cstart[c + 1] > most)
      most = E->cstart[c + 1];
    E->cstart[c + 1] += E->cstart[c];
  }
  /* Room for the positions of the largest component only. */
  E->at = cdg_calloc(most, sizeof *E->at);
  if (!E->at)
    return -1;
  for (i = 0; i < nq; i++) {
    size_t qi = pack->topo[i];

    c = E->comp[qi];
    E->order[E->cstart[c]] = qi;
    E->pos[qi] = E->cstart[c]++;
  }
  for (c = E->ncomp; c > 0; c--)
    E->cstart[c] = E->cstart[c - 1];
  E->cstart[0] = 0;
  S_place_rules(pack, E);
  return 0;
}

/* Append s to buf at n as a JSON string (cut if very long). */
static size_t S_json_str(char *buf, size_t n, const char *s) {
  size_t start = n;

  buf[n++] = '"';
  for (; *s && n - start < LINT_EXAMPLE_MAX; s++) {
    if (*s == '"' || *s == '\\')
      buf[n++] = '\\';
    buf[n++] = (unsigned char)*s < 0x20 ? '?' : *s;
  }
  buf[n++] = '"';
  return n;
}

/* One complete path citing nothing, as compact JSON in pack order, cut
** after whole answers with "..." when it would exceed LINT_EXAMPLE_MAX. */
static void S_example(const cdg_pack *pack, const S_enum *E, char *out) {
  char one[4 * LINT_EXAMPLE_MAX];
  size_t n = 1, k, i, j;

  out[0] = '{';
  for (i = 0; i < pack->nquestions; i++) {
    const cdg_question *q = &pack->questions[i];
    const S_ex *x = &E->ex[E->pos[i]];

    if (!x->present)
      continue;
    k = S_json_str(one, 0, q->id);
    one[k++] = ':';
    if (q->type == CDG_Q_MULTI) {
      one[k++] = '[';
      for (j = 0; j < q->noptions && k < LINT_EXAMPLE_MAX; j++)
        if (x->u.mask & (1UL << j)) {
          if (one[k - 1] != '[')
            one[k++] = ',';
          k = S_json_str(one, k, q->options[j].code);
        }
      one[k++] = ']';
    } else if (q->type == CDG_Q_NUMBER) {
      k += (size_t)snprintf(one + k, sizeof one - k, "%.15g", x->u.num);
    } else {
      k = S_json_str(one, k, x->u.str);
    }
    if (n + 1 + k + 1 > LINT_EXAMPLE_MAX) {
      memcpy(out + n, n > 1 ? ",..." : "...", n > 1 ? 4 : 3);
      n += n > 1 ? 4 : 3;
      break;
    }
    if (n > 1)
      out[n++] = ',';
    memcpy(out + n, one, k);
    n += k;
  }
  out[n++] = '}';
  out[n] = '\0';
}

/* Conclusions of the exhaustive pass. */
static void S_report(S_lint *L, S_enum *E) {
  const cdg_pack *pack = L->pack;
  size_t nq = pack->nquestions, i, c;
  int silent = 1;
  char p[128], ex[LINT_EXAMPLE_MAX + 8];

  for (c = 0; c < E->ncomp; c++) {
    if (E->cbad[c]) {
      size_t first = nq;

      for (i = E->cstart[c]; i < E->cstart[c + 1]; i++)
        if (E->order[i] < first)
          first = E->order[i];
      snprintf(p, sizeof p, "/questions/%zu", first);
      S_add(L, p, "exhaustive check too large: over %llu answer paths in "
            "the questions connected to \"%s\"", S_budget,
            pack->questions[first].id);
      silent = 0;  /* undecided: say nothing */
    } else if (!E->csilent[c]) {
      silent = 0;
    }
  }
  for (i = 0; i < nq; i++) {
    if (E->qfailed[i]) {
      snprintf(p, sizeof p, "/questions/%zu/enable_when", i);
      S_add(L, p, "enable_when of question \"%s\" cannot be evaluated on "
            "some answers", pack->questions[i].id);
    }
    if (E->reached[i] || E->cbad[E->comp[i]])
      continue;
    snprintf(p, sizeof p, "/questions/%zu/enable_when", i);
    S_add(L, p, "question \"%s\" can never be enabled",
          pack->questions[i].id);
  }
  for (i = 0; i < pack->nrules; i++) {
    if (E->rfailed[i]) {
      snprintf(p, sizeof p, "/rules/%zu/when", i);
      S_add(L, p, "rule \"%s\" cannot be evaluated on some answers",
            pack->rules[i].id);
    }
    if (E->rfired[i] || (E->rrstart[i + 1] > E->rrstart[i] &&
                         E->cbad[E->comp[E->rreads[E->rrstart[i]]]]))
      continue;
    snprintf(p, sizeof p, "/rules/%zu/when", i);
    S_add(L, p, "rule \"%s\" can never fire", pack->rules[i].id);
  }
  /* A constant rule that fires does so on every path. */
  for (i = E->rstart[nq]; i < E->rstart[nq + 1]; i++)
    if (E->rfired[E->rlist[i]])
      silent = 0;
  if (silent) {
    S_example(pack, E, ex);
    S_add(L, "/rules", "some complete answer paths cite no passage, e.g. %s",
          ex);
  }
}

/* ---- Driver ----------------------------------------------------------- */

/* Append the reads of the tree just walked to a flat list. */
static int S_keep_reads(S_lint *L, size_t **list, size_t *n, size_t *cap) {
  size_t j;

  for (j = 0; j < L->nreads; j++) {
    if (S_grow(L, list, *n, cap, sizeof **list) < 0)
      return -1;
    (*list)[(*n)++] = L->reads[j];
  }
  return 0;
}

static int S_static(S_lint *L, S_enum *E) {
  const cdg_pack *pack = L->pack;
  size_t nq = pack->nquestions, nr = pack->nrules, i, j;
  size_t ne = 0, cape = 0, nrr = 0, caprr = 0;

  if (L->have_ps &&
      strcmp(pack->source_sha256, cdg_passages_source_sha256(L->ps)) != 0)
    S_add(L, "/source/sha256", "source sha256 is not that of the passages' "
          "source text (%s)", cdg_passages_source_sha256(L->ps));
  /* A question joins what its enable_when reads; a rule joins all it
  ** reads. The reads are kept to place and memoize each condition. One
  ** pass over each list: a big pack is read from memory once. */
  for (i = 0; i < nq; i++) {
    S_check_question_ids(L, i);
    L->owner = &pack->questions[i];
    S_walk_root(L, pack->questions[i].enable_when, "questions", i,
                "enable_when");
    E->erstart[i] = ne;
    E->eopaque[i] = (unsigned char)L->opaque;
    if (S_keep_reads(L, &E->ereads, &ne, &cape) < 0)
      return -1;
    for (j = 0; j < L->nreads; j++)
      S_union(L->q, i, L->reads[j]);
  }
  E->erstart[nq] = ne;
  L->owner = NULL;
  for (i = 0; i < nr; i++) {
    S_check_rule_ids(L, i);
    S_walk_root(L, pack->rules[i].when, "rules", i, "when");
    E->rrstart[i] = nrr;
    E->ropaque[i] = (unsigned char)L->opaque;
    if (S_keep_reads(L, &E->rreads, &nrr, &caprr) < 0)
      return -1;
    for (j = 1; j < L->nreads; j++)
      S_union(L->q, L->reads[0], L->reads[j]);
  }
  E->rrstart[nr] = nrr;
  E->estride = cdg_calloc(ne ? ne : 1, sizeof *E->estride);
  E->rstride = cdg_calloc(nrr ? nrr : 1, sizeof *E->rstride);
  if (!E->ereads)  /* never NULL: offsets are added to them */
    E->ereads = cdg_calloc(1, sizeof *E->ereads);
  if (!E->rreads)
    E->rreads = cdg_calloc(1, sizeof *E->rreads);
  if (!E->estride || !E->rstride || !E->ereads || !E->rreads)
    return -1;
  return L->nomem ? -1 : 0;
}

static int S_run(S_lint *L, const cdg_passages *ps, S_enum *E) {
  const cdg_pack *pack = L->pack;
  size_t nq = pack->nquestions, nr = pack->nrules, i, c;
  size_t n1 = nq ? nq : 1, r1 = nr ? nr : 1;
  int t;

  if (pack_index_init(&L->pids, ps ? cdg_passages_count(ps) : 0, S_passage,
                      ps) < 0)
    return -1;
  L->ps = ps;
  L->have_ps = ps != NULL;
  for (i = 0; ps && i < cdg_passages_count(ps); i++)
    (void)pack_index_put(&L->pids, i, json_hash(cdg_passage_id(ps, i)));
  L->q = cdg_calloc(n1, sizeof *L->q);
  E->erstart = cdg_calloc(nq + 1, sizeof *E->erstart);
  E->rrstart = cdg_calloc(nr + 1, sizeof *E->rrstart);
  E->eopaque = cdg_calloc(n1, 1);
  E->ropaque = cdg_calloc(r1, 1);
  E->rmemo = cdg_calloc(r1, sizeof *E->rmemo);
  E->order = cdg_calloc(n1, sizeof *E->order);
  E->pos = cdg_calloc(n1, sizeof *E->pos);
  E->comp = cdg_calloc(n1, sizeof *E->comp);
  E->rstart = cdg_calloc(nq + 2, sizeof *E->rstart);
  E->rlist = cdg_calloc(r1, sizeof *E->rlist);
  E->ex = cdg_calloc(n1, sizeof *E->ex);
  E->reached = cdg_calloc(n1, 1);
  E->rfired = cdg_calloc(r1, 1);
  E->rfailed = cdg_calloc(r1, 1);
  E->qfailed = cdg_calloc(n1, 1);
  E->data = cJSON_CreateObject();
  if (!L->q || !E->erstart || !E->rrstart || !E->eopaque || !E->ropaque ||
      !E->rmemo || !E->order || !E->pos || !E->comp || !E->rstart ||
      !E->rlist || !E->ex || !E->reached || !E->rfired || !E->rfailed || !E->qfailed ||
      !E->data)
    return -1;
  for (i = 0; i < nq; i++)
    L->q[i].uf = i;
  if (S_static(L, E) < 0 || S_layout(L, E) < 0)
    return -1;
  /* Constant rules, on no answers. */
  for (i = E->rstart[nq]; i < E->rstart[nq + 1]; i++) {
    const pack_rule *r = &pack->rules[E->rlist[i]];

    t = logic_test(r->cond, E->data);  /* "when" is required */
    if (t == LOGIC_FAIL) {
      E->rfailed[E->rlist[i]] = 1;
      t = 0;
    }
    if (t < 0)
      return -1;
    E->rfired[E->rlist[i]] = (unsigned char)t;
  }
  for (c = 0; c < E->ncomp; c++)
    if (S_enum_component(L, E, c) < 0)
      return -1;
  S_report(L, E);
  return L->nomem ? -1 : 0;
}

static void S_enum_free(S_enum *E) {
  size_t i;

  /* Pool nodes borrow their strings and keys: reset before deleting. */
  for (i = 0; i < E->nmade; i++) {
    cJSON *n = E->pool[i];

    n->next = n->prev = n->child = NULL;
    n->string = NULL;
    n->valuestring = NULL;
    n->type = cJSON_NULL;
    cJSON_Delete(n);
  }
  cdg_free(E->pool);
  cdg_free(E->masks);
  cdg_free(E->vals);
  cdg_free(E->memo);
  cdg_free(E->cstart);
  cdg_free(E->order);
  cdg_free(E->pos);
  cdg_free(E->comp);
  cdg_free(E->rstart);
  cdg_free(E->rlist);
  cdg_free(E->rreads);
  cdg_free(E->rrstart);
  cdg_free(E->rstride);
  cdg_free(E->ereads);
  cdg_free(E->erstart);
  cdg_free(E->estride);
  cdg_free(E->ropaque);
  cdg_free(E->eopaque);
  cdg_free(E->rmemo);
  cdg_free(E->at);
  cdg_free(E->ex);
  cdg_free(E->reached);
  cdg_free(E->rfired);
  cdg_free(E->rfailed);
  cdg_free(E->qfailed);
  cdg_free(E->cbad);
  cdg_free(E->csilent);
  if (E->data) {
    /* Its children are pool nodes, already gone. */
    E->data->child = NULL;
    cJSON_Delete(E->data);
  }
}

cdg_status cdg_lint_run(const cdg_pack *pack, const cdg_passages *ps,
                        cdg_lint **out) {
  S_lint L;
  S_enum E;
  size_t i;
  int rc;

  *out = NULL;
  memset(&L, 0, sizeof L);
  memset(&E, 0, sizeof E);
  L.pack = pack;
  L.out = cdg_calloc(1, sizeof *L.out);
  if (!L.out)
    return CDG_ERR_NOMEM;
  L.out->paths = 1;  /* a pack with no questions has the empty path */
  rc = S_run(&L, ps, &E);
  S_enum_free(&E);
  if (L.q)
    for (i = 0; i < pack->nquestions; i++) {
      cdg_free(L.q[i].num);
      cdg_free(L.q[i].str);
    }
  cdg_free(L.q);
  cdg_free(L.reads);
  pack_index_free(&L.pids);
  if (rc < 0 || L.nomem) {
    cdg_lint_free(L.out);
    return CDG_ERR_NOMEM;
  }
  if (L.out->n > 1)
    qsort(L.out->f, L.out->n, sizeof *L.out->f, S_finding_cmp);
  *out = L.out;
  return CDG_OK;
}

void cdg_lint_free(cdg_lint *l) {
  if (!l)
    return;
  cdg_free(l->f);
  cdg_free(l);
}

size_t cdg_lint_count(const cdg_lint *l) { return l ? l->n : 0; }

const cdg_error *cdg_lint_error(const cdg_lint *l, size_t i) {
  return l && i < l->n ? &l->f[i].err : NULL;
}

unsigned long long cdg_lint_paths(const cdg_lint *l) {
  return l ? l->paths : 0;
}
