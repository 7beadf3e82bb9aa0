/*
** lint.c: the pack linter behind `cdguide check`.
**
** Two passes over a loaded pack.
**
** The static pass looks at every id list and walks every JsonLogic tree
** once: duplicate ids, unknown passage ids, var/missing names that are no
** question, comparisons with option codes a question does not have. It also
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
** so most rules are not tested per complete path.
**
** Cost: linear in the size of the pack while components stay bounded; each
** component costs about (its complete paths) x (logic_test calls of the
** rules that read its last questions). The built-in pack joined into one
** component (153,664 paths) lints in about 0.1 s; a component above
** LINT_BUDGET paths is reported as too large instead of enumerated, which
** bounds the time at a few seconds per component.
*/
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

typedef struct S_finding {
  cdg_error err;
  size_t seq;  /* order found, to keep the sort stable */
} S_finding;

struct cdg_lint {
  S_finding *f;
  size_t n, cap;
  unsigned long long paths;
};

/* A map from borrowed strings to indexes (open addressing, fixed size). */
typedef struct S_set {
  const char **key;
  size_t *val;
  size_t mask;
} S_set;

/* Lint state of one question. */
typedef struct S_q {
  size_t uf;            /* union-find parent */
  double *num;          /* numbers it is compared with */
  size_t nnum, capnum;
  const char **str;     /* strings it is compared with (text) */
  size_t nstr, capstr;
} S_q;

/* The answers one question branches over during enumeration. */
typedef struct S_dom {
  cJSON **item;         /* single/number/text: one value per answer;
                           multi: one code per option */
  size_t nitem;
  cJSON *arr;           /* multi: the array answer, items linked in */
  unsigned long *mask;  /* multi: the valid subsets of options */
  size_t nval;          /* answers to branch over, absent not counted */
} S_dom;

typedef struct S_lint {
  const cdg_pack *pack;
  const cdg_passages *ps;
  cdg_lint *out;
  int nomem;
  S_set qids;           /* question id -> index */
  S_set pids;           /* passage ids of ps */
  int have_ps;
  S_q *q;
  char ptr[1024];       /* JSON Pointer of the node being walked */
  size_t plen;
  size_t *reads;        /* questions read by the tree being walked */
  size_t nreads, capreads;
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

static size_t S_hash(const char *s) {
  uint64_t h = 14695981039346656037u;  /* FNV-1a */

  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211u;
  return (size_t)(h ^ (h >> 32));
}

static int S_set_init(S_set *s, size_t n) {
  size_t cap = 16;

  while (cap < 2 * n)
    cap *= 2;
  s->key = cdg_calloc(cap, sizeof *s->key);
  s->val = cdg_calloc(cap, sizeof *s->val);
  s->mask = cap - 1;
  return s->key && s->val ? 0 : -1;
}

static void S_set_free(S_set *s) {
  cdg_free(s->key);
  cdg_free(s->val);
}

static size_t S_set_slot(const S_set *s, const char *key) {
  size_t i = S_hash(key) & s->mask;

  while (s->key[i] && strcmp(s->key[i], key) != 0)
    i = (i + 1) & s->mask;
  return i;
}

/* Add key unless present; 1 if added. The set holds at most n keys. */
static int S_set_add(S_set *s, const char *key, size_t val) {
  size_t i = S_set_slot(s, key);

  if (s->key[i])
    return 0;
  s->key[i] = key;
  s->val[i] = val;
  return 1;
}

static long S_set_get(const S_set *s, const char *key) {
  size_t i = S_set_slot(s, key);

  return s->key[i] ? (long)s->val[i] : -1;
}

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

/* Append a JSON Pointer token; returns the length to restore. */
static size_t S_push(S_lint *L, const char *tok) {
  size_t old = L->plen, max = sizeof L->ptr - 3;

  if (L->plen < max)
    L->ptr[L->plen++] = '/';
  for (; *tok && L->plen < max; tok++) {
    if (*tok == '~' || *tok == '/') {
      L->ptr[L->plen++] = '~';
      L->ptr[L->plen++] = *tok == '~' ? '0' : '1';
    } else {
      L->ptr[L->plen++] = *tok;
    }
  }
  L->ptr[L->plen] = '\0';
  return old;
}

static size_t S_push_index(S_lint *L, size_t i) {
  char buf[32];

  snprintf(buf, sizeof buf, "%zu", i);
  return S_push(L, buf);
}

static void S_pop(S_lint *L, size_t old) {
  L->plen = old;
  L->ptr[old] = '\0';
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

/* 1 if s occurs among the first n strings of list. */
static int S_seen(char *const *list, size_t n, const char *s) {
  size_t i;

  for (i = 0; i < n; i++)
    if (strcmp(list[i], s) == 0)
      return 1;
  return 0;
}

static void S_check_passage(S_lint *L, const char *ptr, const char *id) {
  if (L->have_ps && S_set_get(&L->pids, id) < 0)
    S_add(L, ptr, "unknown passage id \"%s\"", id);
}

static void S_check_question_ids(S_lint *L, size_t i) {
  const cdg_question *q = &L->pack->questions[i];
  char p[128];
  size_t j, k;

  if (!S_set_add(&L->qids, q->id, i)) {
    snprintf(p, sizeof p, "/questions/%zu/id", i);
    S_add(L, p, "duplicate question id \"%s\"", q->id);
  }
  for (j = 0; j < q->noptions; j++) {
    for (k = 0; k < j; k++) {
      if (strcmp(q->options[k].code, q->options[j].code) == 0) {
        snprintf(p, sizeof p, "/questions/%zu/options/%zu/code", i, j);
        S_add(L, p, "question \"%s\" has option code \"%s\" twice", q->id,
              q->options[j].code);
        break;
      }
      /* Two options the patient cannot tell apart. */
      if (strcmp(q->options[k].label, q->options[j].label) == 0) {
        snprintf(p, sizeof p, "/questions/%zu/options/%zu/label", i, j);
        S_add(L, p, "question \"%s\" has two options labelled \"%s\"",
              q->id, q->options[j].label);
        break;
      }
    }
  }
  for (j = 0; j < q->npassages; j++) {
    snprintf(p, sizeof p, "/questions/%zu/passages/%zu", i, j);
    if (S_seen(q->passages, j, q->passages[j]))
      S_add(L, p, "question \"%s\" lists passage \"%s\" twice", q->id,
            q->passages[j]);
    else
      S_check_passage(L, p, q->passages[j]);
  }
}

static void S_check_rule_ids(S_lint *L, S_set *rids, size_t r) {
  const pack_rule *rule = &L->pack->rules[r];
  char p[128];
  size_t j;

  if (!S_set_add(rids, rule->id, r)) {
    snprintf(p, sizeof p, "/rules/%zu/id", r);
    S_add(L, p, "duplicate rule id \"%s\"", rule->id);
  }
  for (j = 0; j < rule->ncite; j++) {
    snprintf(p, sizeof p, "/rules/%zu/cite/%zu", r, j);
    if (S_seen(rule->cite, j, rule->cite[j]))
      S_add(L, p, "rule \"%s\" cites passage \"%s\" twice", rule->id,
            rule->cite[j]);
    else
      S_check_passage(L, p, rule->cite[j]);
  }
}

/* ---- Static pass: JsonLogic trees ------------------------------------- */

static void S_walk(S_lint *L, const cJSON *node, const char *scope);

static void S_read(S_lint *L, size_t q) {
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

/*
** A name read by var or missing, at L->ptr. Inside map, filter, reduce,
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
    S_add(L, L->ptr,
          "%s \"%s\" inside \"%s\" reads the current element, not a question",
          kind, name, scope);
    return;
  }
  if (name[0] == '\0')
    return;  /* the whole data */
  q = -1;
  if (seg < sizeof buf) {
    memcpy(buf, name, seg);
    buf[seg] = '\0';
    q = S_set_get(&L->qids, buf);
  }
  if (q < 0)
    S_add(L, L->ptr, "%s \"%s\" names no question", kind, name);
  else
    S_read(L, (size_t)q);
}

/* A name that is itself an expression. */
static void S_computed(S_lint *L, const char *kind, const cJSON *name,
                       const char *scope) {
  S_add(L, L->ptr, "%s name is computed, so the linter cannot check it",
        kind);
  S_walk(L, name, scope);
}

/* Walk argument i of an operator (args not an array: the one argument). */
static void S_walk_arg(S_lint *L, const cJSON *args, int i,
                       const char *scope) {
  size_t old = L->plen;
  const cJSON *a;

  if (cJSON_IsArray(args)) {
    a = cJSON_GetArrayItem(args, i);
    if (!a)
      return;
    S_push_index(L, (size_t)i);
  } else {
    if (i != 0)
      return;
    a = args;
  }
  S_walk(L, a, scope);
  S_pop(L, old);
}

static void S_var(S_lint *L, const cJSON *args, const char *scope) {
  const cJSON *name = cJSON_IsArray(args) ? args->child : args;
  size_t old = L->plen;
  int i, n;

  if (cJSON_IsArray(args) && name)
    S_push(L, "0");
  if (cJSON_IsString(name))
    S_name(L, "var", name->valuestring, scope);
  else if (cJSON_IsNumber(name) && !scope)
    S_add(L, L->ptr, "var %g names no question", name->valuedouble);
  else if (cJSON_IsObject(name) || cJSON_IsArray(name))
    S_computed(L, "var", name, scope);
  S_pop(L, old);
  n = cJSON_IsArray(args) ? cJSON_GetArraySize(args) : 0;
  for (i = 1; i < n; i++)
    S_walk_arg(L, args, i, scope);  /* the default */
}

/* The names of missing (a list, or an array as first argument) and
** missing_some (a minimum, then an array). */
static void S_missing(S_lint *L, const char *op, const cJSON *args,
                      const char *scope) {
  const cJSON *list = args, *c;
  size_t old = L->plen, o2;
  size_t i = 0;

  if (strcmp(op, "missing_some") == 0) {
    S_walk_arg(L, args, 0, scope);
    if (!cJSON_IsArray(args) || !args->child || !args->child->next)
      return;
    list = args->child->next;
    S_push(L, "1");
  } else if (cJSON_IsArray(args) && cJSON_IsArray(args->child)) {
    list = args->child;
    S_push(L, "0");
  }
  if (!cJSON_IsArray(list)) {
    if (cJSON_IsString(list))
      S_name(L, op, list->valuestring, scope);
    else if (cJSON_IsObject(list))
      S_computed(L, op, list, scope);
  } else {
    for (c = list->child; c; c = c->next, i++) {
      o2 = S_push_index(L, i);
      if (cJSON_IsString(c))
        S_name(L, op, c->valuestring, scope);
      else if (cJSON_IsObject(c) || cJSON_IsArray(c))
        S_computed(L, op, c, scope);
      S_pop(L, o2);
    }
  }
  S_pop(L, old);
}

/* The question a node reads whole, {"var": "q"}, outside any iteration. */
static long S_plain_var(const S_lint *L, const cJSON *node,
                        const char *scope) {
  const cJSON *a;

  if (scope || !cJSON_IsObject(node) || !node->child || node->child->next ||
      strcmp(node->child->string, "var") != 0)
    return -1;
  a = node->child;
  if (cJSON_IsArray(a))
    a = a->child;
  return cJSON_IsString(a) ? S_set_get(&L->qids, a->valuestring) : -1;
}

static int S_has_code(const cdg_question *q, const char *code) {
  size_t i;

  for (i = 0; i < q->noptions; i++)
    if (strcmp(q->options[i].code, code) == 0)
      return 1;
  return 0;
}

/* Question qi is compared with literal lit, which sits at L->ptr. */
static void S_compare(S_lint *L, long qi, const cJSON *lit) {
  const cdg_question *q = &L->pack->questions[qi];
  S_q *s = &L->q[qi];
  size_t i;

  switch (q->type) {
  case CDG_Q_SINGLE:
  case CDG_Q_MULTI:
    if (cJSON_IsString(lit) && !S_has_code(q, lit->valuestring))
      S_add(L, L->ptr, "question \"%s\" has no option \"%s\"", q->id,
            lit->valuestring);
    break;
  case CDG_Q_NUMBER:
    if (cJSON_IsString(lit)) {
      S_add(L, L->ptr, "question \"%s\" is a number, compared with string "
            "\"%s\"", q->id, lit->valuestring);
    } else if (cJSON_IsNumber(lit)) {
      for (i = 0; i < s->nnum; i++)
        if (s->num[i] == lit->valuedouble)
          return;
      if (S_grow(L, &s->num, s->nnum, &s->capnum, sizeof *s->num) == 0)
        s->num[s->nnum++] = lit->valuedouble;
    }
    break;
  case CDG_Q_TEXT:
    if (cJSON_IsString(lit)) {
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
  return cJSON_IsString(v) || cJSON_IsNumber(v);
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
static void S_compare_op(S_lint *L, const char *op, const cJSON *args,
                         const char *scope) {
  const cJSON *a, *b, *c, *lit;
  long q;
  size_t i, k;
  int n;

  if (!cJSON_IsArray(args))
    return;
  n = cJSON_GetArraySize(args);
  a = args->child;
  b = a ? a->next : NULL;
  if (n == 2 && (strcmp(op, "==") == 0 || strcmp(op, "===") == 0 ||
                 strcmp(op, "!=") == 0 || strcmp(op, "!==") == 0)) {
    if ((q = S_plain_var(L, a, scope)) >= 0 && S_is_literal(b))
      S_compare_at(L, q, b, 1, -1);
    if ((q = S_plain_var(L, b, scope)) >= 0 && S_is_literal(a))
      S_compare_at(L, q, a, 0, -1);
  } else if ((n == 2 || n == 3) &&
             (strcmp(op, "<") == 0 || strcmp(op, "<=") == 0 ||
              strcmp(op, ">") == 0 || strcmp(op, ">=") == 0)) {
    for (c = a, i = 0; c; c = c->next, i++) {
      q = S_plain_var(L, c, scope);
      if (q < 0 || L->pack->questions[q].type != CDG_Q_NUMBER)
        continue;
      for (lit = a, k = 0; lit; lit = lit->next, k++)
        if (k != i && S_is_literal(lit))
          S_compare_at(L, q, lit, k, -1);
    }
  } else if (n == 2 && strcmp(op, "in") == 0) {
    q = S_plain_var(L, b, scope);
    if (q >= 0 && cJSON_IsString(a) &&
        (L->pack->questions[q].type == CDG_Q_SINGLE ||
         L->pack->questions[q].type == CDG_Q_MULTI))
      S_compare_at(L, q, a, 0, -1);
    q = S_plain_var(L, a, scope);
    if (q >= 0 && cJSON_IsArray(b))
      for (lit = b->child, k = 0; lit; lit = lit->next, k++)
        if (S_is_literal(lit))
          S_compare_at(L, q, lit, 1, (long)k);
  }
}

static int S_is_iteration(const char *op) {
  static const char *const ops[] = {"map", "filter", "reduce",
                                    "all", "some",   "none"};
  size_t i;

  for (i = 0; i < sizeof ops / sizeof *ops; i++)
    if (strcmp(op, ops[i]) == 0)
      return 1;
  return 0;
}

/* Walk a JsonLogic node at L->ptr; scope is the innermost iteration
** operator around it, NULL at the top. */
static void S_walk(S_lint *L, const cJSON *node, const char *scope) {
  const cJSON *c;
  const char *op;
  size_t i = 0, old;

  if (cJSON_IsArray(node)) {
    for (c = node->child; c; c = c->next, i++) {
      old = S_push_index(L, i);
      S_walk(L, c, scope);
      S_pop(L, old);
    }
    return;
  }
  if (!cJSON_IsObject(node) || !node->child || node->child->next)
    return;  /* a literal (the loader rejects other objects) */
  op = node->child->string;
  old = S_push(L, op);
  if (strcmp(op, "var") == 0) {
    S_var(L, node->child, scope);
  } else if (strcmp(op, "missing") == 0 || strcmp(op, "missing_some") == 0) {
    S_missing(L, op, node->child, scope);
  } else if (S_is_iteration(op)) {
    S_walk_arg(L, node->child, 0, scope);
    S_walk_arg(L, node->child, 1, op);
    S_walk_arg(L, node->child, 2, scope);  /* reduce: the initial value */
  } else {
    S_compare_op(L, op, node->child, scope);
    if (cJSON_IsArray(node->child))
      for (c = node->child->child, i = 0; c; c = c->next, i++)
        S_walk_arg(L, node->child, (int)i, scope);
    else
      S_walk(L, node->child, scope);
  }
  S_pop(L, old);
}

/* Walk a condition at pointer base; the questions it reads end up in
** L->reads. */
static void S_walk_root(S_lint *L, const cJSON *expr, const char *base) {
  size_t n = strlen(base);

  if (n >= sizeof L->ptr)
    n = sizeof L->ptr - 1;
  memcpy(L->ptr, base, n);
  L->ptr[n] = '\0';
  L->plen = n;
  L->nreads = 0;
  if (expr)
    S_walk(L, expr, NULL);
}

/* ---- Exhaustive pass -------------------------------------------------- */

typedef struct S_enum {
  size_t ncomp;
  size_t *cstart;       /* component c holds positions cstart[c]..[c+1] */
  size_t *order;        /* position -> question index, topological */
  size_t *pos;          /* question index -> position */
  size_t *comp;         /* question index -> component */
  size_t *rstart;       /* rules tested after position g: rlist[rstart[g]..] */
  size_t *rlist;
  size_t *rreads;       /* reads of rule r: rreads[rrstart[r]..rrstart[r+1]] */
  size_t *rrstart;
  size_t *alt;          /* position -> answer being tried */
  size_t *nalt;         /* position -> answers to try */
  unsigned char *on;    /* position -> enabled on this prefix */
  size_t *fired;        /* position -> rules fired up to here */
  long *ex;             /* position -> answer on a path citing nothing */
  unsigned char *reached, *rfired, *cbad, *csilent;
  S_dom *dom;           /* by question index */
  cJSON *data;
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

/* Build the answers of question qi: 0 ok, 1 too many, -1 out of memory. */
static int S_dom_build(S_lint *L, size_t qi, S_dom *d) {
  const cdg_question *q = &L->pack->questions[qi];
  const S_q *s = &L->q[qi];
  double *v = NULL;
  size_t i, n = 0;
  unsigned long m, excl = 0, all;

  switch (q->type) {
  case CDG_Q_SINGLE:
  case CDG_Q_MULTI:
    n = q->noptions;
    break;
  case CDG_Q_NUMBER:
    v = cdg_malloc((3 * s->nnum + 3) * sizeof *v);
    if (!v)
      return -1;
    if (q->has_range) {
      v[n++] = q->min;
      v[n++] = q->max;
    }
    for (i = 0; i < s->nnum; i++) {
      double c[3] = {s->num[i] - 1, s->num[i], s->num[i] + 1};
      size_t k;

      for (k = 0; k < 3; k++)
        if (!q->has_range || (c[k] >= q->min && c[k] <= q->max))
          v[n++] = c[k];
    }
    if (n == 0)
      v[n++] = 0;
    qsort(v, n, sizeof *v, S_dbl_cmp);
    for (i = 1, m = 1; i < n; i++)
      if (v[i] != v[m - 1])
        v[m++] = v[i];
    n = m;
    break;
  case CDG_Q_TEXT:
    n = s->nstr + 1;
    break;
  }
  if (q->type == CDG_Q_MULTI && n > LINT_MAX_BITS)
    return cdg_free(v), 1;
  d->item = cdg_calloc(n ? n : 1, sizeof *d->item);
  if (!d->item)
    return cdg_free(v), -1;
  d->nitem = n;
  d->nval = n;
  for (i = 0; i < n; i++) {
    if (q->type == CDG_Q_NUMBER)
      d->item[i] = cJSON_CreateNumber(v[i]);
    else if (q->type == CDG_Q_TEXT)
      d->item[i] = cJSON_CreateString(i == 0 ? "" : s->str[i - 1]);
    else
      d->item[i] = cJSON_CreateString(q->options[i].code);
    if (!d->item[i])
      return cdg_free(v), -1;
  }
  cdg_free(v);
  if (q->type != CDG_Q_MULTI)
    return 0;
  /* Non-empty subsets: any of the non-exclusive options, or one
  ** exclusive option alone. */
  for (i = 0; i < n; i++)
    if (q->options[i].exclusive)
      excl |= 1UL << i;
  all = (1UL << n) - 1;
  d->nval = ((1UL << (n - S_popcount(excl))) - 1) + S_popcount(excl);
  if (d->nval > LINT_BUDGET)
    return 1;
  d->mask = cdg_malloc((d->nval ? d->nval : 1) * sizeof *d->mask);
  d->arr = cJSON_CreateArray();
  if (!d->mask || !d->arr)
    return -1;
  for (m = 1, i = 0; m <= all && m != 0; m++)
    if ((m & excl) == 0 || ((m & excl) == m && S_popcount(m) == 1))
      d->mask[i++] = m;
  return 0;
}

static void S_dom_free(S_dom *d) {
  size_t i;

  if (d->arr) {
    while (d->arr->child)
      cJSON_DetachItemViaPointer(d->arr, d->arr->child);
    cJSON_Delete(d->arr);
  }
  for (i = 0; i < d->nitem; i++)
    cJSON_Delete(d->item[i]);
  cdg_free(d->item);
  cdg_free(d->mask);
}

/* Put answer alt of question q into the data, keyed by its id (the key
** is borrowed from the pack: no allocation per step). */
static void S_attach(S_enum *E, const cdg_question *q, size_t alt) {
  S_dom *d = &E->dom[q->index];
  cJSON *v = d->item[q->type == CDG_Q_MULTI ? 0 : alt];
  size_t i;

  if (q->type == CDG_Q_MULTI) {
    while (d->arr->child)
      cJSON_DetachItemViaPointer(d->arr, d->arr->child);
    for (i = 0; i < d->nitem; i++)
      if (d->mask[alt] & (1UL << i))
        cJSON_AddItemToArray(d->arr, d->item[i]);
    v = d->arr;
  }
  cJSON_AddItemToObjectCS(E->data, q->id, v);
}

static void S_detach(S_enum *E, const cdg_question *q, size_t alt) {
  S_dom *d = &E->dom[q->index];

  cJSON_DetachItemViaPointer(E->data, q->type == CDG_Q_MULTI ? d->arr
                                                              : d->item[alt]);
}

/* Answer position g with E->alt[g] and test the rules decided there.
** Returns -1 when a test fails (out of memory). */
static int S_step(const cdg_pack *pack, S_enum *E, size_t g, size_t first) {
  const cdg_question *q = &pack->questions[E->order[g]];
  size_t fired = g > first ? E->fired[g - 1] : 0, i;
  int t;

  if (E->on[g] && E->alt[g] < E->dom[q->index].nval)
    S_attach(E, q, E->alt[g]);
  for (i = E->rstart[g]; i < E->rstart[g + 1]; i++) {
    const pack_rule *r = &pack->rules[E->rlist[i]];

    t = r->cond ? logic_test(r->cond, E->data) : 0;
    if (t < 0)
      return -1;
    if (t) {
      fired++;
      E->rfired[E->rlist[i]] = 1;
    }
  }
  E->fired[g] = fired;
  return 0;
}

static void S_unstep(const cdg_pack *pack, S_enum *E, size_t g) {
  const cdg_question *q = &pack->questions[E->order[g]];

  if (E->on[g] && E->alt[g] < E->dom[q->index].nval)
    S_detach(E, q, E->alt[g]);
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

  for (i = s; i < s + n; i++) {
    t = S_dom_build(L, E->order[i], &E->dom[E->order[i]]);
    if (t < 0)
      return -1;
    if (t > 0) {
      E->cbad[c] = 1;
      return 0;
    }
  }
  while (rc == 0) {
    if (down && d == n) {
      if (++paths > LINT_BUDGET) {
        E->cbad[c] = 1;
        break;
      }
      if (!E->csilent[c] && (n == 0 || E->fired[s + n - 1] == 0)) {
        E->csilent[c] = 1;
        for (i = s; i < s + n; i++)
          E->ex[i] = E->on[i] && E->alt[i] < E->dom[E->order[i]].nval
                         ? (long)E->alt[i] : -1;
      }
      down = 0;
    } else if (down) {
      const cdg_question *q = &pack->questions[E->order[s + d]];

      g = s + d;
      t = q->enable ? logic_test(q->enable, E->data) : 1;
      if (t < 0)
        rc = -1;
      E->on[g] = t > 0;
      if (t > 0)
        E->reached[q->index] = 1;
      E->nalt[g] = t > 0 ? E->dom[q->index].nval + !q->required : 1;
      E->alt[g] = 0;
      if (rc == 0 && E->nalt[g] == 0) {
        down = 0;  /* a question with no answers: no path through it */
        continue;
      }
      if (rc == 0)
        rc = S_step(pack, E, g, s);
      d++;
    } else {
      if (d == 0)
        break;
      g = s + --d;
      S_unstep(pack, E, g);
      if (++E->alt[g] < E->nalt[g]) {
        rc = S_step(pack, E, g, s);
        d++;
        down = 1;
      }
    }
  }
  /* Leave the data empty for the next component. */
  while (E->data->child)
    cJSON_DetachItemViaPointer(E->data, E->data->child);
  L->out->paths += paths;
  return rc;
}

/* Group questions into components and rules by the position where they
** are decided. */
static int S_layout(S_lint *L, S_enum *E) {
  const cdg_pack *pack = L->pack;
  size_t nq = pack->nquestions, nr = pack->nrules, i, j, c, r, g;
  size_t *root2comp = cdg_malloc((nq ? nq : 1) * sizeof *root2comp);

  if (!root2comp)
    return -1;
  E->ncomp = 0;
  for (i = 0; i < nq; i++)
    root2comp[i] = (size_t)-1;
  /* Components numbered in topological order of their first question. */
  for (i = 0; i < nq; i++) {
    size_t root = S_find(L->q, pack->topo[i]);

    if (root2comp[root] == (size_t)-1)
      root2comp[root] = E->ncomp++;
    E->comp[pack->topo[i]] = root2comp[root];
  }
  cdg_free(root2comp);
  E->cstart = cdg_calloc(E->ncomp + 2, sizeof *E->cstart);
  E->csilent = cdg_calloc(E->ncomp + 1, 1);
  E->cbad = cdg_calloc(E->ncomp + 1, 1);
  if (!E->cstart || !E->csilent || !E->cbad)
    return -1;
  for (i = 0; i < nq; i++)
    E->cstart[E->comp[i] + 1]++;
  for (c = 0; c < E->ncomp; c++)
    E->cstart[c + 1] += E->cstart[c];
  /* Stable placement in topological order: cstart[c] is the next free
  ** position of component c while filling, then is shifted back. */
  for (i = 0; i < nq; i++) {
    size_t qi = pack->topo[i];

    c = E->comp[qi];
    E->order[E->cstart[c]] = qi;
    E->pos[qi] = E->cstart[c]++;
  }
  for (c = E->ncomp; c > 0; c--)
    E->cstart[c] = E->cstart[c - 1];
  E->cstart[0] = 0;
  /* Each rule after the last position it reads; constant rules get the
  ** sentinel position nq. */
  for (r = 0; r < nr; r++) {
    g = nq;
    for (j = E->rrstart[r]; j < E->rrstart[r + 1]; j++)
      if (g == nq || E->pos[E->rreads[j]] > g)
        g = E->pos[E->rreads[j]];
    E->rstart[g + 1]++;
  }
  for (g = 0; g < nq + 1; g++)
    E->rstart[g + 1] += E->rstart[g];
  for (r = 0; r < nr; r++) {
    g = nq;
    for (j = E->rrstart[r]; j < E->rrstart[r + 1]; j++)
      if (g == nq || E->pos[E->rreads[j]] > g)
        g = E->pos[E->rreads[j]];
    E->rlist[E->rstart[g]++] = r;
  }
  for (g = nq + 1; g > 0; g--)
    E->rstart[g] = E->rstart[g - 1];
  E->rstart[0] = 0;
  return 0;
}

/* Append s to buf (size LINT_EXAMPLE_MAX + 8) as a JSON string. */
static size_t S_json_str(char *buf, size_t n, const char *s) {
  buf[n++] = '"';
  for (; *s && n < LINT_EXAMPLE_MAX + 2; s++) {
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
  char buf[LINT_EXAMPLE_MAX + 8], one[LINT_EXAMPLE_MAX + 8];
  size_t n = 1, k, i, j;

  buf[0] = '{';
  for (i = 0; i < pack->nquestions; i++) {
    const cdg_question *q = &pack->questions[i];
    const S_dom *d = &E->dom[i];
    long a = E->ex[E->pos[i]];

    if (a < 0)
      continue;
    k = S_json_str(one, 0, q->id);
    one[k++] = ':';
    if (q->type == CDG_Q_MULTI) {
      one[k++] = '[';
      for (j = 0; j < d->nitem && k < LINT_EXAMPLE_MAX; j++)
        if (d->mask[a] & (1UL << j)) {
          if (one[k - 1] != '[')
            one[k++] = ',';
          k = S_json_str(one, k, q->options[j].code);
        }
      one[k++] = ']';
    } else if (q->type == CDG_Q_NUMBER) {
      k += (size_t)snprintf(one + k, sizeof one - k, "%.15g",
                            d->item[a]->valuedouble);
    } else {
      k = S_json_str(one, k, d->item[a]->valuestring);
    }
    if (n + (n > 1) + k + 1 > LINT_EXAMPLE_MAX || k > LINT_EXAMPLE_MAX) {
      memcpy(buf + n, n > 1 ? ",..." : "...", n > 1 ? 4 : 3);
      n += n > 1 ? 4 : 3;
      break;
    }
    if (n > 1)
      buf[n++] = ',';
    memcpy(buf + n, one, k);
    n += k;
  }
  buf[n++] = '}';
  buf[n] = '\0';
  memcpy(out, buf, n + 1);
}

static void S_enum_free(S_enum *E, size_t nq) {
  size_t i;

  if (E->dom)
    for (i = 0; i < nq; i++)
      S_dom_free(&E->dom[i]);
  cdg_free(E->dom);
  cdg_free(E->cstart);
  cdg_free(E->order);
  cdg_free(E->pos);
  cdg_free(E->comp);
  cdg_free(E->rstart);
  cdg_free(E->rlist);
  cdg_free(E->rreads);
  cdg_free(E->rrstart);
  cdg_free(E->alt);
  cdg_free(E->nalt);
  cdg_free(E->on);
  cdg_free(E->fired);
  cdg_free(E->ex);
  cdg_free(E->reached);
  cdg_free(E->rfired);
  cdg_free(E->cbad);
  cdg_free(E->csilent);
  cJSON_Delete(E->data);
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
            "the questions connected to \"%s\"", LINT_BUDGET,
            pack->questions[first].id);
      silent = 0;  /* undecided: say nothing */
    } else if (!E->csilent[c]) {
      silent = 0;
    }
  }
  for (i = 0; i < nq; i++) {
    if (E->reached[i] || E->cbad[E->comp[i]])
      continue;
    snprintf(p, sizeof p, "/questions/%zu/enable_when", i);
    S_add(L, p, "question \"%s\" can never be enabled",
          pack->questions[i].id);
  }
  for (i = 0; i < pack->nrules; i++) {
    if (E->rfired[i] || (E->rrstart[i + 1] > E->rrstart[i] &&
                         E->cbad[E->comp[E->rreads[E->rrstart[i]]]]))
      continue;
    snprintf(p, sizeof p, "/rules/%zu/when", i);
    S_add(L, p, "rule \"%s\" can never fire", pack->rules[i].id);
  }
  /* A constant rule that fires does so on every path. */
  if (silent) {
    for (i = E->rstart[nq]; i < E->rstart[nq + 1]; i++)
      if (E->rfired[E->rlist[i]])
        silent = 0;
  }
  if (silent) {
    S_example(pack, E, ex);
    S_add(L, "/rules", "some complete answer paths cite no passage, e.g. %s",
          ex);
  }
}

/* ---- Driver ----------------------------------------------------------- */

static int S_static(S_lint *L, S_enum *E) {
  const cdg_pack *pack = L->pack;
  size_t nq = pack->nquestions, nr = pack->nrules, i, j;
  S_set rids;
  char p[128];
  size_t nreads = 0, capreads = 0;

  if (S_set_init(&rids, nr) < 0) {
    S_set_free(&rids);
    return -1;
  }
  for (i = 0; i < nq; i++)
    S_check_question_ids(L, i);
  for (i = 0; i < nr; i++)
    S_check_rule_ids(L, &rids, i);
  S_set_free(&rids);
  if (L->have_ps && pack->source_sha256 &&
      strcmp(pack->source_sha256, cdg_passages_source_sha256(L->ps)) != 0)
    S_add(L, "/source/sha256", "source sha256 is not that of the passages' "
          "source text (%s)", cdg_passages_source_sha256(L->ps));
  for (i = 0; i < nq; i++) {
    snprintf(p, sizeof p, "/questions/%zu/enable_when", i);
    S_walk_root(L, pack->questions[i].enable_when, p);
    for (j = 0; j < L->nreads; j++)
      S_union(L->q, i, L->reads[j]);
  }
  /* Rule reads are kept: they place each rule in the enumeration. */
  for (i = 0; i < nr; i++) {
    snprintf(p, sizeof p, "/rules/%zu/when", i);
    S_walk_root(L, pack->rules[i].when, p);
    E->rrstart[i] = nreads;
    for (j = 0; j < L->nreads; j++) {
      if (S_grow(L, &E->rreads, nreads, &capreads, sizeof *E->rreads) < 0)
        return -1;
      E->rreads[nreads++] = L->reads[j];
      S_union(L->q, L->reads[0], L->reads[j]);
    }
  }
  E->rrstart[nr] = nreads;
  return L->nomem ? -1 : 0;
}

static int S_run(S_lint *L, const cdg_passages *ps, S_enum *E) {
  const cdg_pack *pack = L->pack;
  size_t nq = pack->nquestions, nr = pack->nrules, i, c;
  size_t n1 = nq ? nq : 1;
  int t;

  if (S_set_init(&L->qids, nq) < 0 ||
      S_set_init(&L->pids, ps ? cdg_passages_count(ps) : 0) < 0)
    return -1;
  L->ps = ps;
  L->have_ps = ps != NULL;
  for (i = 0; ps && i < cdg_passages_count(ps); i++)
    S_set_add(&L->pids, cdg_passage_id(ps, i), i);
  L->q = cdg_calloc(n1, sizeof *L->q);
  E->rrstart = cdg_calloc(nr + 1, sizeof *E->rrstart);
  E->order = cdg_calloc(n1, sizeof *E->order);
  E->pos = cdg_calloc(n1, sizeof *E->pos);
  E->comp = cdg_calloc(n1, sizeof *E->comp);
  E->rstart = cdg_calloc(nq + 2, sizeof *E->rstart);
  E->rlist = cdg_calloc(nr ? nr : 1, sizeof *E->rlist);
  E->alt = cdg_calloc(n1, sizeof *E->alt);
  E->nalt = cdg_calloc(n1, sizeof *E->nalt);
  E->on = cdg_calloc(n1, 1);
  E->fired = cdg_calloc(n1, sizeof *E->fired);
  E->ex = cdg_calloc(n1, sizeof *E->ex);
  E->reached = cdg_calloc(n1, 1);
  E->rfired = cdg_calloc(nr ? nr : 1, 1);
  E->dom = cdg_calloc(n1, sizeof *E->dom);
  E->data = cJSON_CreateObject();
  if (!L->q || !E->rrstart || !E->order || !E->pos || !E->comp ||
      !E->rstart || !E->rlist || !E->alt || !E->nalt || !E->on ||
      !E->fired || !E->ex || !E->reached || !E->rfired || !E->dom ||
      !E->data)
    return -1;
  for (i = 0; i < nq; i++)
    L->q[i].uf = i;
  if (S_static(L, E) < 0 || S_layout(L, E) < 0)
    return -1;
  /* Constant rules: the data is empty. */
  for (i = E->rstart[nq]; i < E->rstart[nq + 1]; i++) {
    const pack_rule *r = &pack->rules[E->rlist[i]];

    t = r->cond ? logic_test(r->cond, E->data) : 0;
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
  rc = S_run(&L, ps, &E);
  S_enum_free(&E, pack->nquestions);
  if (L.q)
    for (i = 0; i < pack->nquestions; i++) {
      cdg_free(L.q[i].num);
      cdg_free(L.q[i].str);
    }
  cdg_free(L.q);
  cdg_free(L.reads);
  S_set_free(&L.qids);
  S_set_free(&L.pids);
  if (rc < 0 || L.nomem) {
    cdg_lint_free(L.out);
    return CDG_ERR_NOMEM;
  }
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
