/*
** lint_enum.c: the path properties by enumerating answer paths: the
** oracle the symbolic checker (lint_sym.c) is tested against, and
** `cdguide check --enumerate`.
**
** Questions fall into independent components (union-find: a question joins
** the questions its enable_when reads; a rule joins all the questions it
** reads), so the cost is the sum, not the product, of the components' path
** counts. Within a component, questions are walked in topological order
** over one reused data object: a disabled question is absent; an enabled
** one branches over every answer (single: each option; multi: each
** non-empty subset that respects exclusive options; number and text: the
** representatives: lint_number_values, lint_text), and over absent too when it is
** optional. A rule is tested once per prefix, as soon as the last question
** it reads is decided, and its result is remembered by the answers it
** reads (a memo of up to CDG_LINT_MEMO_MAX entries), so logic_test runs once
** per distinct input, not once per path. A component above the budget of
** paths is reported as too large.
*/
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint.h"
#include "lint_enum.h"
#include "lint_exact.h"
#include "logic_slots.h"

/* The budget in force: CDG_LINT_BUDGET unless lint_set_budget changed it. */
static unsigned long long S_budget = CDG_LINT_BUDGET;

void lint_set_budget(unsigned long long paths) {
  S_budget = paths ? paths : CDG_LINT_BUDGET;
}

/* Small components are settled exactly by enumeration, at evaluator speed;
** the symbolic checker takes packs with a larger one. */
#define LINT_PROBE_QUESTIONS 64  /* larger components: not tried */
static unsigned long long S_probe = CDG_LINT_PROBE;

void lint_set_probe(unsigned long long paths) { S_probe = paths; }

unsigned long long lint_probe(void) { return S_probe; }


/* The enumeration's state (lint_enum.h), by the names used here. */
typedef enum_dom S_dom;
typedef enum_ex S_ex;
typedef enum_at S_at;
typedef enum_state S_enum;

/* A condition: what it reads, and where its memo is. */
typedef struct S_cond {
  const logic_expr *expr;
  const size_t *reads;  /* question indexes */
  const size_t *stride; /* memo stride of each read */
  size_t nreads;
  size_t memo;          /* 1 + offset in E->memo, or 0 */
  unsigned char *failed; /* set when the condition cannot be evaluated */
} S_cond;


static size_t S_popcount(unsigned long m) {
  size_t n = 0;

  for (; m; m &= m - 1)
    n++;
  return n;
}

/* A pool node reset to type (no key, no children, value borrowed). */
static long S_node(lint_ctx *L, S_enum *E, int type) {
  cJSON *n;

  if (E->npool == E->nmade) {
    if (cdg_grow(&E->pool, E->nmade, &E->cappool, sizeof *E->pool) < 0 ||
        !(E->pool[E->nmade] = cJSON_CreateNull())) {
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

static long S_node_str(lint_ctx *L, S_enum *E, const char *s) {
  long k = S_node(L, E, cJSON_String | cJSON_IsReference);

  if (k >= 0)
    E->pool[k]->valuestring = (char *)(uintptr_t)s;  /* never written */
  return k;
}

/* The numbers a number question branches over, sorted, in E->vals. */
static size_t S_number_values(lint_ctx *L, S_enum *E, size_t qi) {
  const lint_q *s = &L->q[qi];

  while (E->capvals < 4 * (s->nnum + 3))
    if (cdg_grow(&E->vals, E->capvals, &E->capvals, sizeof *E->vals) < 0) {
      L->nomem = 1;
      return 0;
    }
  return lint_number_values(&L->pack->questions[qi], s, E->vals);
}

/* Set up the answers of position g: 0 ok, 1 too many, -1 out of memory. */
static int S_dom_build(lint_ctx *L, S_enum *E, size_t g) {
  size_t qi = E->order[g], i, n = 0, nx;
  const cdg_question *q = &L->pack->questions[qi];
  const lint_q *s = &L->q[qi];
  S_dom *d = &E->at[g - E->base].dom;
  unsigned long m, excl = 0, all;
  long k = 0;

  memset(d, 0, sizeof *d);
  d->item = E->npool;
  switch (q->type) {
  case CDG_Q_SINGLE:
  case CDG_Q_MULTI:
    n = q->noptions;
    if (q->type == CDG_Q_MULTI && n > CDG_LINT_MAX_BITS)
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
    n = s->nstr;  /* its representatives (lint_text) */
    for (i = 0; i < n && k >= 0; i++)
      k = S_node_str(L, E, s->str[i]);
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
  if (d->nval > E->budget)
    return 1;
  if ((k = S_node(L, E, cJSON_Array)) < 0)
    return -1;
  d->arr = (size_t)k;
  d->mask = E->nmasks;
  for (m = 1; m <= all && m != 0; m++) {
    if ((m & excl) != 0 && ((m & excl) != m || S_popcount(m) != 1))
      continue;
    if (cdg_grow(&E->masks, E->nmasks, &E->capmasks, sizeof *E->masks) < 0) {
      L->nomem = 1;
      return -1;
    }
    E->masks[E->nmasks++] = m;
  }
  return 0;
}

/*
** A memo for a condition reading these questions (all in the component
** being enumerated): its strides, and 1 + its offset in E->memo, or 0 when
** it would have more than CDG_LINT_MEMO_MAX entries.
*/
static size_t S_memo(lint_ctx *L, S_enum *E, const size_t *reads,
                     size_t *stride, size_t n, int opaque) {
  size_t size = 1, i, off;

  if (opaque)
    return 0;
  for (i = 0; i < n; i++) {
    stride[i] = size;
    size *= E->at[E->pos[reads[i]] - E->base].dom.nval + 1;
    if (size > CDG_LINT_MEMO_MAX)
      return 0;
  }
  off = E->nmemo;
  while (E->capmemo < off + size)
    if (cdg_grow(&E->memo, E->capmemo, &E->capmemo, sizeof *E->memo) < 0) {
      L->nomem = 1;
      return 0;
    }
  memset(E->memo + off, -1, size);
  E->nmemo += size;
  return off + 1;
}

/* logic_test of e on the current answers, through the compiled
** evaluator's frame (as the walker and the outcome evaluate). A frame
** that could not grow evaluates by the general path: the same result. */
static int S_eval(S_enum *E, const logic_expr *e) {
  (void)logic_frame_fill(E->frame, E->data);
  return logic_test_frame(e, E->frame);
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
  t = S_eval(E, c->expr);
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
static int S_enum_component(lint_ctx *L, S_enum *E, size_t c) {
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
      if (++paths > E->budget) {
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
static int S_layout(lint_ctx *L, S_enum *E) {
  const cdg_pack *pack = L->pack;
  size_t nq = pack->nquestions, i, c, most = 1;

  E->ncomp = 0;
  for (i = 0; i < nq; i++)
    E->pos[i] = (size_t)-1;  /* root -> component, for now */
  for (i = 0; i < nq; i++) {
    size_t qi = pack->topo[i], root = lint_find(L->q, qi);

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

/* ---- Driver ----------------------------------------------------------- */

static int S_run(lint_ctx *L, S_enum *E) {
  const cdg_pack *pack = L->pack;
  size_t nq = pack->nquestions, nr = pack->nrules, i, c;
  size_t n1 = nq ? nq : 1, r1 = nr ? nr : 1;
  size_t ne = L->erstart[nq], nrr = L->rrstart[nr];
  int t;

  E->ereads = L->ereads;
  E->erstart = L->erstart;
  E->eopaque = L->eopaque;
  E->rreads = L->rreads;
  E->rrstart = L->rrstart;
  E->ropaque = L->ropaque;

  E->estride = cdg_calloc(ne ? ne : 1, sizeof *E->estride);
  E->rstride = cdg_calloc(nrr ? nrr : 1, sizeof *E->rstride);
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
  E->frame = logic_frame_create(pack->slots);
  if (!E->frame || !E->estride || !E->rstride || !E->rmemo || !E->order || !E->pos ||
      !E->comp || !E->rstart || !E->rlist || !E->ex || !E->reached ||
      !E->rfired || !E->rfailed || !E->qfailed || !E->data)
    return -1;
  E->qinx = L->einexact;
  E->rinx = L->rinexact;
  for (i = 0; i < nq; i++)
    E->inexact |= E->qinx[i];
  for (i = 0; i < nr; i++)
    E->inexact |= E->rinx[i];
  /* Trying: the symbolic checker reports such a condition itself. */
  if (E->trying && E->inexact)
    return 0;
  if (S_layout(L, E) < 0)
    return -1;
  /* Constant rules, on no answers. */
  for (i = E->rstart[nq]; i < E->rstart[nq + 1]; i++) {
    const pack_rule *r = &pack->rules[E->rlist[i]];

    t = S_eval(E, r->cond);  /* "when" is required */
    if (t == LOGIC_FAIL) {
      E->rfailed[E->rlist[i]] = 1;
      t = 0;
    }
    if (t < 0)
      return -1;
    E->rfired[E->rlist[i]] = (unsigned char)t;
  }
  /* Trying: a component this large is left to the symbolic checker at
  ** once, before its tables are built (on a connected pack of 100k
  ** questions, building them and counting up to the budget cost more
  ** than the whole proof). */
  for (c = 0; E->trying && c < E->ncomp; c++)
    if (E->cstart[c + 1] - E->cstart[c] > LINT_PROBE_QUESTIONS)
      return 0;
  for (c = 0; c < E->ncomp; c++) {
    if (S_enum_component(L, E, c) < 0)
      return -1;
    if (E->trying && E->cbad[c])
      return 0;  /* nothing reported: the caller proves it another way */
  }
  lint_enum_report(L, E);
  if (E->trying) {
    /* Each property decided exactly, as lint_sym_run counts them. */
    for (i = 0; i < nq; i++)
      L->out->nproved += E->reached[i];
    for (i = 0; i < nr; i++)
      L->out->nproved += E->rfired[i];
    L->out->nproved++;
  }
  return L->nomem ? -1 : 1;
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
  cdg_free(E->rstride);
  cdg_free(E->estride);
  cdg_free(E->rmemo);
  cdg_free(E->at);
  cdg_free(E->ex);
  cdg_free(E->reached);
  cdg_free(E->rfired);
  cdg_free(E->rfailed);
  cdg_free(E->qfailed);
  cdg_free(E->cbad);
  cdg_free(E->csilent);
  logic_frame_free(E->frame);
  if (E->data) {
    /* Its children are pool nodes, already gone. */
    E->data->child = NULL;
    cJSON_Delete(E->data);
  }
}

int lint_enum_run(lint_ctx *L) {
  S_enum E;
  int rc;

  memset(&E, 0, sizeof E);
  E.budget = S_budget;
  rc = S_run(L, &E);
  S_enum_free(&E);
  return rc < 0 ? -1 : 0;
}

int lint_enum_try(lint_ctx *L, unsigned long long budget) {
  S_enum E;
  int rc;

  if (!budget)
    return 0;
  memset(&E, 0, sizeof E);
  E.budget = budget;
  E.trying = 1;
  rc = S_run(L, &E);
  S_enum_free(&E);
  return rc;
}
