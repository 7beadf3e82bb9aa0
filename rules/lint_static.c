/*
** lint_static.c: the linter's static pass. It looks at every id list and
** walks every JsonLogic tree once: passages listed twice, options
** labelled alike, unknown passage ids, a source hash that is not the
** passages', var/missing names that are no question, comparisons with
** option codes a question does not have (duplicate question, rule and
** option ids are the loader's). It also records which questions each
** condition reads, and the constants each number or text question is
** compared with; the path passes (lint_sym.c, or lint_enum.c for the
** enumeration) work from these.
*/
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "lint.h"
#include "lint_exact.h"
#include "logic_value.h" /* JavaScript's Number() and String() of numbers */

/* ---- Small helpers ---------------------------------------------------- */

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
** CDG_LINT_DEPTH are dropped: the pointer then names an ancestor. */
static size_t S_push(lint_ctx *L, const char *key) {
  if (L->ntok < CDG_LINT_DEPTH)
    L->tok[L->ntok].key = key;
  return L->ntok++;
}

static size_t S_push_index(lint_ctx *L, size_t i) {
  if (L->ntok < CDG_LINT_DEPTH) {
    L->tok[L->ntok].key = NULL;
    L->tok[L->ntok].index = i;
  }
  return L->ntok++;
}

static void S_pop(lint_ctx *L, size_t old) { L->ntok = old; }

/* The pointer of the current node as text (RFC 6901: ~ as ~0, / as ~1);
** one that does not fit is cut to an ancestor. */
static const char *S_here(lint_ctx *L) {
  size_t n = 0, i;
  char buf[24];
  const char *t;

  L->ptr[0] = '\0';
  for (i = 0; i < L->ntok && i < CDG_LINT_DEPTH; i++) {
    t = L->tok[i].key;
    if (!t) {
      S_utoa(buf, L->tok[i].index);
      t = buf;
    }
    n = json_ptr_push(L->ptr, sizeof L->ptr, n, t);
  }
  return L->ptr;
}

size_t lint_find(lint_q *q, size_t i) {
  while (q[i].uf != i) {
    q[i].uf = q[q[i].uf].uf;  /* path halving */
    i = q[i].uf;
  }
  return i;
}

static void S_union(lint_q *q, size_t a, size_t b) {
  a = lint_find(q, a);
  b = lint_find(q, b);
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

/* pack_repeats_init for a list of the pack: when out of memory the lint
** fails (pairwise until then). */
static void S_repeats_begin(lint_ctx *L, pack_index *set, size_t n,
                            pack_keyfn nth, const void *list) {
  if (pack_repeats_init(set, n, nth, list) < 0)
    L->nomem = 1;
}

static int S_unknown_passage(const lint_ctx *L, const char *id) {
  return L->have_ps && pack_index_get(&L->pids, id) < 0;
}

static void S_check_question_ids(lint_ctx *L, size_t i) {
  const cdg_question *q = &L->pack->questions[i];
  char p[128];
  size_t j;
  pack_index set;

  S_repeats_begin(L, &set, q->noptions, S_label, q->options);
  for (j = 0; j < q->noptions; j++)
    if (pack_repeat(&set, j)) {
      snprintf(p, sizeof p, "/questions/%zu/options/%zu/label", i, j);
      lint_add(L, p, "question \"%s\" has two options labelled \"%s\"",
            q->id, q->options[j].label);
    }
  pack_index_free(&set);
  S_repeats_begin(L, &set, q->npassages, S_id, q->passages);
  for (j = 0; j < q->npassages; j++) {
    if (pack_repeat(&set, j)) {
      snprintf(p, sizeof p, "/questions/%zu/passages/%zu", i, j);
      lint_add(L, p, "question \"%s\" lists passage \"%s\" twice", q->id,
            q->passages[j]);
    } else if (S_unknown_passage(L, q->passages[j])) {
      snprintf(p, sizeof p, "/questions/%zu/passages/%zu", i, j);
      lint_add(L, p, "unknown passage id \"%s\"", q->passages[j]);
    }
  }
  pack_index_free(&set);
}

static void S_check_rule_ids(lint_ctx *L, size_t r) {
  const pack_rule *rule = &L->pack->rules[r];
  char p[128];
  size_t j;
  pack_index set;

  S_repeats_begin(L, &set, rule->ncite, S_id, rule->cite);
  for (j = 0; j < rule->ncite; j++) {
    if (pack_repeat(&set, j)) {
      snprintf(p, sizeof p, "/rules/%zu/cite/%zu", r, j);
      lint_add(L, p, "rule \"%s\" cites passage \"%s\" twice", rule->id,
            rule->cite[j]);
    } else if (S_unknown_passage(L, rule->cite[j])) {
      snprintf(p, sizeof p, "/rules/%zu/cite/%zu", r, j);
      lint_add(L, p, "unknown passage id \"%s\"", rule->cite[j]);
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

static void S_walk(lint_ctx *L, const cJSON *node, const char *scope);

static void S_read(lint_ctx *L, size_t q) {
  size_t i;

  for (i = 0; i < L->nreads; i++)
    if (L->reads[i] == q)
      return;
  if (cdg_grow(&L->reads, L->nreads, &L->capreads, sizeof *L->reads) < 0)
    L->nomem = 1;
  else
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
static const cdg_question *S_lookup(const lint_ctx *L, const char *id) {
  const cdg_question *o = L->owner;
  size_t k;

  for (k = 0; o && k < o->ndeps; k++)
    if (strcmp(o->deps[k], id) == 0)
      return &L->pack->questions[o->depidx[k]];
  return cdg_pack_find_question(L->pack, id);
}

/* The index of the question with this id, or -1. A comparison looks its
** names up before the walk reaches them: the last two are remembered. */
static long S_question(lint_ctx *L, const char *id) {
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
static void S_name(lint_ctx *L, const char *kind, const char *name,
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
    lint_add(L, S_here(L),
          "%s \"%s\" inside \"%s\" reads the current element, not a question",
          kind, name, scope);
    return;
  }
  if (name[0] == '\0') {
    L->opaque = 1;
    lint_add(L, S_here(L), "%s \"\" reads every answer, so the linter cannot "
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
    lint_add(L, S_here(L), "%s \"%s\" names no question", kind, name);
  else
    S_read(L, (size_t)q);
}

/* A name that is itself an expression. */
static void S_computed(lint_ctx *L, const char *kind, const cJSON *name,
                       const char *scope) {
  if (!scope)
    L->opaque = 1;
  lint_add(L, S_here(L), "%s name is computed, so the linter cannot check it",
        kind);
  S_walk(L, name, scope);
}

/* Walk node, argument i of the operator at the current pointer. */
static void S_walk_at(lint_ctx *L, const cJSON *node, size_t i,
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
static void S_walk_arg(lint_ctx *L, const cJSON *args, size_t i,
                       const char *scope) {
  const cJSON *a = S_arg(args, i);

  if (!a)
    return;
  if (S_IS_ARRAY(args))
    S_walk_at(L, a, i, scope);
  else
    S_walk(L, a, scope);
}

static void S_var(lint_ctx *L, const cJSON *args, const char *scope) {
  const cJSON *name = S_IS_ARRAY(args) ? args->child : args, *c;
  size_t old = L->ntok, i;

  if (S_IS_ARRAY(args) && name)
    S_push(L, "0");
  if (S_IS_STRING(name))
    S_name(L, "var", name->valuestring, scope);
  else if (S_IS_NUMBER(name) && !scope)
    lint_add(L, S_here(L), "var %g names no question", name->valuedouble);
  else if (S_IS_OBJECT(name) || S_IS_ARRAY(name))
    S_computed(L, "var", name, scope);
  S_pop(L, old);
  if (S_IS_ARRAY(args) && name)
    for (c = name->next, i = 1; c; c = c->next, i++)
      S_walk_at(L, c, i, scope);  /* the default */
}

/* The names of missing (a list, or an array as first argument) and
** missing_some (a minimum, then an array). */
static void S_missing(lint_ctx *L, const char *op, S_op kind,
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
static long S_plain_var(lint_ctx *L, const cJSON *node,
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

/* Room for one more of a question's constants or strings: most have one
** or two, and a big pack has a question per line, so the first room is
** for two, not cdg_grow's sixteen. Items are written before read. */
static int S_room(void *items, size_t n, size_t *cap, size_t size) {
  void **pp = items;

  if (*cap == 0) {
    if (!(*pp = cdg_malloc(2 * size)))
      return -1;
    *cap = 2;
    return 0;
  }
  return cdg_grow_raw(items, n, cap, size);
}

/* Add x, when finite and new, to the numbers q is compared with. */
static void S_add_num(lint_ctx *L, lint_q *s, double x) {
  size_t i;

  if (!isfinite(x))
    return;
  for (i = 0; i < s->nnum; i++)
    if (s->num[i] == x)
      return;
  if (S_room(&s->num, s->nnum, &s->capnum, sizeof *s->num) < 0)
    L->nomem = 1;
  else
    s->num[s->nnum++] = x;
}

/* Question qi is compared with literal lit, which sits at the current pointer. */
static void S_compare(lint_ctx *L, long qi, const cJSON *lit) {
  const cdg_question *q = &L->pack->questions[qi];
  lint_q *s = &L->q[qi];
  size_t i;

  switch (q->type) {
  case CDG_Q_SINGLE:
  case CDG_Q_MULTI:
    if (S_IS_STRING(lit) && !S_has_code(q, lit->valuestring))
      lint_add(L, S_here(L), "question \"%s\" has no option \"%s\"", q->id,
            lit->valuestring);
    break;
  case CDG_Q_NUMBER:
    if (S_IS_STRING(lit)) {
      lint_add(L, S_here(L), "question \"%s\" is a number, compared with string "
            "\"%s\"", q->id, lit->valuestring);
      /* JavaScript compares it as Number("3"): 3 is a constant too. */
      S_add_num(L, s, lv_strtonum(lit->valuestring,
                                  strlen(lit->valuestring)));
    } else if (S_IS_NUMBER(lit)) {
      S_add_num(L, s, lit->valuedouble);
    }
    break;
  case CDG_Q_TEXT:
    if (S_IS_NUMBER(lit)) {
      /* "1" == 1: the text Number() reads as 1 (lint_text). */
      S_add_num(L, s, lit->valuedouble);
    } else if (S_IS_STRING(lit)) {
      for (i = 0; i < s->nstr; i++)
        if (strcmp(s->str[i], lit->valuestring) == 0)
          return;
      /* kept: the tree goes before the paths read the constants */
      if (S_room(&s->str, s->nstr, &s->capstr, sizeof *s->str) < 0)
        L->nomem = 1;
      else if ((s->str[s->nstr] = lint_keep_str(L, lit->valuestring)))
        s->nstr++;
    }
    break;
  }
}

static int S_is_literal(const cJSON *v) {
  return S_IS_STRING(v) || S_IS_NUMBER(v);
}

/* Compare lit (argument i, or element j of argument i when j >= 0). */
static void S_compare_at(lint_ctx *L, long q, const cJSON *lit, size_t i,
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
static void S_compare_op(lint_ctx *L, S_op kind, const cJSON *args,
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
      if (q < 0 || (L->pack->questions[q].type != CDG_Q_NUMBER &&
                    L->pack->questions[q].type != CDG_Q_TEXT))
        continue;
      /* Text ordered: strings between the constants count (lint_text). */
      L->q[q].ordered |= L->pack->questions[q].type == CDG_Q_TEXT;
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
static void S_walk(lint_ctx *L, const cJSON *node, const char *scope) {
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
static void S_walk_root(lint_ctx *L, const cJSON *expr, const char *list,
                        size_t i, const char *key) {
  L->ntok = 0;
  S_push(L, list);
  S_push_index(L, i);
  S_push(L, key);
  L->nreads = 0;
  L->opaque = 0;
  /* names are remembered by address, and this tree may sit where the
  ** last one did */
  L->last[0] = L->last[1] = NULL;
  if (expr)
    S_walk(L, expr, NULL);
}
/* ---- The pass -------------------------------------------------------- */

/* Append the reads of the tree just walked to a flat list. */
static int S_keep_reads(lint_ctx *L, size_t **list, size_t *n, size_t *cap) {
  size_t j;

  for (j = 0; j < L->nreads; j++) {
    if (cdg_grow(list, *n, cap, sizeof **list) < 0) {
      L->nomem = 1;
      return -1;
    }
    (*list)[(*n)++] = L->reads[j];
  }
  return 0;
}

/* Whether s is a text answer cdg_answers_parse takes (answers.c): not
** empty, not too long, UTF-8, no control character but tab. */
static int S_text_answer(const char *s) {
  size_t n = strlen(s);
  const unsigned char *u = (const unsigned char *)s;

  if (n == 0 || n > CDG_MAX_TEXT_ANSWER || cdg_utf8_valid(s, n) != n)
    return 0;
  for (; *u; u++)
    if ((*u < 0x20 && *u != '\t') || *u == 0x7F ||
        (*u == 0xC2 && u[1] >= 0x80 && u[1] <= 0x9F))
      return 0;
  return 1;
}

static int S_listed(const lint_q *s, const char *t) {
  size_t k;

  for (k = 0; k < s->nstr; k++)
    if (strcmp(s->str[k], t) == 0)
      return 1;
  return 0;
}

/* Keep t (made for s) as one of its representatives. 0, or -1. */
static int S_own(lint_q *s, char *t) {
  if (!t || S_room(&s->own, s->nown, &s->capown, sizeof *s->own) < 0) {
    cdg_free(t);
    return -1;
  }
  s->own[s->nown++] = t;
  if (S_room(&s->str, s->nstr, &s->capstr, sizeof *s->str) < 0)
    return -1;
  s->str[s->nstr++] = t;
  return 0;
}

/* t, or t after as many spaces as it takes to be new (Number() skips
** them). */
static char *S_unlisted(const lint_q *s, const char *t, int pad) {
  size_t len = strlen(t), k = 0;
  char *out = NULL;

  for (;; k++) {
    cdg_free(out);
    if (!(out = cdg_malloc(len + k + 2)))
      return NULL;
    if (pad) {
      memset(out, ' ', k);
      memcpy(out + k, t, len + 1);
    } else {
      memcpy(out, t, len);
      memset(out + len, '_', k);
      out[len + k] = '\0';
    }
    if (!S_listed(s, out))
      return out;
  }
}

int lint_text(lint_ctx *L, size_t i) {
  const cdg_question *q = &L->pack->questions[i];
  lint_q *s = &L->q[i];
  size_t k, n = 0, nconst;
  char buf[32];
  const char *why;

  /* Only answers a path can have: "" or a control character cannot, nor
  ** a date question anything but a date. */
  for (k = 0; k < s->nstr; k++)
    if (S_text_answer(s->str[k]) &&
        (q->format != CDG_QF_DATE || cdg_date_check(s->str[k], &why)))
      s->str[n++] = s->str[k];
  s->nstr = nconst = n;
  /* A date is never a number; any other text whose Number() is a
  ** constant it is compared with is as 1 == "1": one such text each. */
  for (k = 0; q->format != CDG_QF_DATE && k < s->nnum; k++) {
    lv_numfmt(s->num[k], buf);
    if (S_own(s, S_unlisted(s, buf, 1)) < 0)
      return -1;
  }
  /* Compared by <, <= ...: each class between two constants has a text
  ** too. Tab is the least character a text may hold, so "\t" is below
  ** every other text, and c + "\t" the least text above c. */
  for (k = 0; s->ordered && k <= nconst; k++) {
    const char *c = k < nconst ? s->str[k] : "";
    size_t len = strlen(c);
    char *t = cdg_malloc(len + 2);

    if (!t)
      return -1;
    memcpy(t, c, len);
    memcpy(t + len, "\t", 2);
    if (S_listed(s, t) || len + 1 > CDG_MAX_TEXT_ANSWER)
      cdg_free(t);
    else if (S_own(s, t) < 0)
      return -1;
  }
  /* And one text no constant is nor reads as: "other", "other_", ...; for
  ** a date, a past year none is: 2000, 2001, ... (a path's answer is
  ** checked as the walker would, so "other" would be no path). */
  if (q->format == CDG_QF_DATE) {
    for (k = 2000; k < 2000 + s->nstr + 1; k++) {
      snprintf(buf, sizeof buf, "%zu", k);
      if (!S_listed(s, buf))
        break;
    }
    return S_own(s, S_unlisted(s, buf, 0));
  }
  return S_own(s, S_unlisted(s, "other", 0));
}

int lint_static_run(lint_ctx *L) {
  const cdg_pack *pack = L->pack;
  size_t nq = pack->nquestions, nr = pack->nrules, i, j;
  size_t ne = 0, cape = 0, nrr = 0, caprr = 0;

  if (L->have_ps &&
      strcmp(pack->source_sha256, cdg_passages_source_sha256(L->ps)) != 0)
    lint_add(L, "/source/sha256", "source sha256 is not that of the "
             "passages' source text (%s)", cdg_passages_source_sha256(L->ps));
  /* A question joins what its enable_when reads; a rule joins all it
  ** reads. The reads are kept for the path passes. One pass over each
  ** list: a big pack is read from memory once. */
  for (i = 0; i < nq; i++) {
    const cJSON *t = lint_cond_tree(L, pack->questions[i].enable_when);

    S_check_question_ids(L, i);
    L->owner = &pack->questions[i];
    S_walk_root(L, t, "questions", i, "enable_when");
    /* while the tree is at hand, for the enumeration */
    L->einexact[i] = (unsigned char)!lint_exact(pack, t);
    L->erstart[i] = ne;
    L->eopaque[i] = (unsigned char)L->opaque;
    if (S_keep_reads(L, &L->ereads, &ne, &cape) < 0)
      return -1;
    for (j = 0; j < L->nreads; j++)
      S_union(L->q, i, L->reads[j]);
  }
  L->erstart[nq] = ne;
  L->owner = NULL;
  for (i = 0; i < nr; i++) {
    const cJSON *t = lint_cond_tree(L, pack->rules[i].when);

    S_check_rule_ids(L, i);
    S_walk_root(L, t, "rules", i, "when");
    L->rinexact[i] = (unsigned char)!lint_exact(pack, t);
    L->rrstart[i] = nrr;
    L->ropaque[i] = (unsigned char)L->opaque;
    if (S_keep_reads(L, &L->rreads, &nrr, &caprr) < 0)
      return -1;
    for (j = 1; j < L->nreads; j++)
      S_union(L->q, L->reads[0], L->reads[j]);
  }
  L->rrstart[nr] = nrr;
  for (i = 0; i < nq && !L->nomem; i++)
    if (pack->questions[i].type == CDG_Q_TEXT && lint_text(L, i) < 0)
      return -1;
  if (!L->ereads)  /* never NULL: offsets are added to them */
    L->ereads = cdg_calloc(1, sizeof *L->ereads);
  if (!L->rreads)
    L->rreads = cdg_calloc(1, sizeof *L->rreads);
  if (!L->ereads || !L->rreads)
    return -1;
  return L->nomem ? -1 : 0;
}
