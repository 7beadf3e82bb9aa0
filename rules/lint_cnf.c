/*
** lint_cnf.c: the part of the circuit (lint_abs.c) a query needs, as
** clauses for PicoSAT, encoded once into one solver and kept: each query
** is then a call with assumptions (lint_sym.c).
**
** A question encoded has a variable "enabled" and one per value (multi:
** per option), with completeness: disabled is absent, enabled and
** required is answered, single, number and text answers are at most one
** value, an exclusive option goes alone; "enabled" is equivalent to its
** enable_when. A question is encoded only with its cone, every question
** its condition reads transitively, in topological order, so a query
** about one part of a large pack costs what that part costs.
**
** Memory: PicoSAT allocates through S_mem_*, which count against the
** library's allocator and longjmp out when it fails (PicoSAT itself would
** abort); every block it holds is then freed from the list kept here.
*/
#include <stdlib.h>
#include <string.h>

#include "lint_sym.h"

/* ---- PicoSAT's memory ------------------------------------------------- */

static void S_link(sym_ctx *S, sym_blk *b) {
  b->prev = NULL;
  b->next = S->blocks;
  if (S->blocks)
    S->blocks->prev = b;
  S->blocks = b;
}

static void *S_mem_new(void *st, size_t size) {
  sym_ctx *S = st;
  sym_blk *b = cdg_malloc(sizeof *b + size);

  if (!b)
    longjmp(S->oom, 1);
  S_link(S, b);
  return b->align;
}

static void S_mem_unlink(sym_ctx *S, sym_blk *b) {
  if (b->prev)
    b->prev->next = b->next;
  else
    S->blocks = b->next;
  if (b->next)
    b->next->prev = b->prev;
}

static void S_mem_delete(void *st, void *p, size_t size) {
  sym_blk *b;

  (void)size;
  if (!p)
    return;
  b = (sym_blk *)((char *)p - offsetof(sym_blk, align));
  S_mem_unlink(st, b);
  cdg_free(b);
}

static void *S_mem_resize(void *st, void *p, size_t old, size_t size) {
  sym_ctx *S = st;
  sym_blk *b, *nb;

  (void)old;
  if (!p)
    return S_mem_new(st, size);
  b = (sym_blk *)((char *)p - offsetof(sym_blk, align));
  S_mem_unlink(S, b);
  nb = cdg_realloc(b, sizeof *b + size);
  if (!nb) {
    cdg_free(b);
    longjmp(S->oom, 1);
  }
  S_link(S, nb);
  return nb->align;
}

/* ---- Clauses ---------------------------------------------------------- */

int sym_var(sym_ctx *S) { return picosat_inc_max_var(S->sat); }

void sym_lit(sym_ctx *S, int lit) {
  if (cdg_grow(&S->lits, S->nlits, &S->caplits, sizeof *S->lits) < 0)
    longjmp(S->oom, 1);
  S->lits[S->nlits++] = lit;
}

/* Add the scratch clause and empty it. */
void sym_end(sym_ctx *S) {
  size_t i;

  for (i = 0; i < S->nlits; i++)
    picosat_add(S->sat, S->lits[i]);
  picosat_add(S->sat, 0);
  S->nlits = 0;
}

void sym_c2(sym_ctx *S, int a, int b) {
  picosat_add(S->sat, a);
  picosat_add(S->sat, b);
  picosat_add(S->sat, 0);
}

static void S_c3(sym_ctx *S, int a, int b, int c) {
  picosat_add(S->sat, a);
  picosat_add(S->sat, b);
  picosat_add(S->sat, c);
  picosat_add(S->sat, 0);
}

/* At most one of n variables from v: pairwise when few, else a ladder. */
static void S_at_most_one(sym_ctx *S, int v, size_t n) {
  size_t i, j;
  int s, prev = 0;

  if (n <= 6) {
    for (i = 0; i < n; i++)
      for (j = i + 1; j < n; j++)
        sym_c2(S, -(v + (int)i), -(v + (int)j));
    return;
  }
  for (i = 0; i + 1 < n; i++) {
    s = sym_var(S);
    sym_c2(S, -(v + (int)i), s);  /* v_i -> s_i */
    if (prev) {
      sym_c2(S, -prev, s);         /* s_{i-1} -> s_i */
      sym_c2(S, -prev, -(v + (int)i)); /* s_{i-1} -> not v_i */
    }
    prev = s;
  }
  if (prev)
    sym_c2(S, -prev, -(v + (int)(n - 1)));
}

void sym_sat_init(sym_ctx *S) {
  if (S->satok)
    return;
  S->sat = picosat_minit(S, S_mem_new, S_mem_resize, S_mem_delete);
  S->satok = 1;
  S->tru = sym_var(S);
  picosat_add(S->sat, S->tru);
  picosat_add(S->sat, 0);
}

int sym_sat_lit(const sym_ctx *S, int lit) {
  return lit > 0 ? S->nvar[lit] : -S->nvar[-lit];
}

/* ---- Nodes ------------------------------------------------------------ */

/* Literals for "question i does not have answer k of the table". */
static void S_not_answer(sym_ctx *S, size_t i, size_t k) {
  const sym_q *sq = &S->q[i];
  size_t j;

  if (S->pack->questions[i].type == CDG_Q_MULTI) {
    for (j = 0; j < sq->ndom; j++)
      sym_lit(S, (k >> j) & 1 ? -(sq->v + (int)j) : sq->v + (int)j);
  } else if (k == 0) {
    for (j = 0; j < sq->ndom; j++)
      sym_lit(S, sq->v + (int)j);
  } else {
    sym_lit(S, -(sq->v + (int)(k - 1)));
  }
}

static void S_enc_question(sym_ctx *S, size_t i, int cond);

/* Row by row: the answers of that row imply x == its value. Rows with an
** answer no question can have are left out. */
static void S_enc_leaf(sym_ctx *S, size_t l, int x) {
  const sym_leaf *lf = &S->leaf[l];
  const size_t *reads = S->lreads + lf->r0;
  const unsigned char *tab = S->tab + lf->t0;
  size_t idx[64], w[64], r, j;
  int ok;

  for (j = 0; j < lf->nreads; j++) {
    if (!S->q[reads[j]].e)  /* in the cone, encoded before: not reached */
      S_enc_question(S, reads[j], 1);
    w[j] = sym_width(S, reads[j]);
    idx[j] = 0;
  }
  if (lf->opt) {
    /* Absent; answered without the option; with it. */
    const sym_q *sq = &S->q[reads[0]];
    int vk = sq->v + (int)(lf->opt - 1);

    for (j = 0; j < sq->ndom; j++)
      sym_lit(S, sq->v + (int)j);
    sym_lit(S, tab[0] == 2 ? x : -x);
    sym_end(S);
    for (j = 0; j < sq->ndom; j++)
      if (sq->v + (int)j != vk)
        S_c3(S, vk, -(sq->v + (int)j), tab[1] == 2 ? x : -x);
    sym_c2(S, -vk, tab[2] == 2 ? x : -x);
    return;
  }
  for (r = 0; r < lf->rows; r++) {
    for (j = ok = 0; j < lf->nreads && ok == 0; j++)
      ok = !sym_valid(S, reads[j], idx[j]);
    if (ok == 0) {
      for (j = 0; j < lf->nreads; j++)
        S_not_answer(S, reads[j], idx[j]);
      sym_lit(S, tab[r] == 2 ? x : -x);
      sym_end(S);
    }
    for (j = 0; j < lf->nreads && ++idx[j] == w[j]; j++)
      idx[j] = 0;
  }
}

/* Room in nvar for every node. */
static void S_nvar_room(sym_ctx *S) {
  size_t cap = S->nnode + 64;
  int *p;

  if (cap <= S->capnvar)
    return;
  if (!(p = cdg_realloc(S->nvar, cap * sizeof *p)))
    longjmp(S->oom, 1);
  memset(p + S->capnvar, 0, (cap - S->capnvar) * sizeof *p);
  S->nvar = p;
  S->capnvar = cap;
}

/* The variable of node n, its children encoded already. */
static void S_enc_node(sym_ctx *S, size_t n) {
  const sym_node *nd = &S->node[n];
  int x, a, b, c;

  if (n >= S->capnvar)
    S_nvar_room(S);
  if (S->nvar[n])
    return;
  if (nd->op == SYM_TRUE) {
    S->nvar[n] = S->tru;
    return;
  }
  x = sym_var(S);
  switch (nd->op) {
  case SYM_LEAF:
    S_enc_leaf(S, (size_t)nd->a, x);
    break;
  case SYM_AND:
    a = sym_sat_lit(S, nd->a);
    b = sym_sat_lit(S, nd->b);
    sym_c2(S, -x, a);
    sym_c2(S, -x, b);
    S_c3(S, x, -a, -b);
    break;
  case SYM_ITE:
    a = sym_sat_lit(S, nd->a);
    b = sym_sat_lit(S, nd->b);
    c = sym_sat_lit(S, nd->c);
    S_c3(S, -x, -c, a);
    S_c3(S, -x, c, b);
    S_c3(S, x, -c, -a);
    S_c3(S, x, c, -b);
    break;
  default:  /* SYM_FREE */
    break;
  }
  S->nvar[n] = x;
}

void sym_encode_range(sym_ctx *S, size_t n0, size_t n1) {
  size_t n;

  sym_sat_init(S);
  S_enc_node(S, 1);
  for (n = n0; n < n1; n++)
    S_enc_node(S, n);
}

/* ---- Questions -------------------------------------------------------- */

/* Variables, completeness and (cond set) enable_when of question i, whose
** reads are encoded; without cond, "enabled" is free. */
static void S_enc_question(sym_ctx *S, size_t i, int cond) {
  const cdg_question *q = &S->pack->questions[i];
  sym_q *sq = &S->q[i];
  size_t k, j;
  int lit = 0;

  if (cond) {
    sym_encode_range(S, sq->n0, sq->n1);
    lit = sym_sat_lit(S, sq->en);
  }
  sq->e = sym_var(S);
  sq->v = sym_var(S);
  /* Prefer few answers: a witness then shows what matters. */
  picosat_set_default_phase_lit(S->sat, sq->v, -1);
  for (k = 1; k < sq->ndom; k++)
    picosat_set_default_phase_lit(S->sat, sym_var(S), -1);
  if (cond) {
    sym_c2(S, -sq->e, lit);
    sym_c2(S, sq->e, -lit);
  }
  /* Prefer disabled, as for the answers: a question decided enabled
  ** forces its enable_when, and so answers and enablings up its cone,
  ** where nothing asked needs them; decided disabled it forces nothing
  ** (absent answers). Preferring enabling, a pack of 30,000 optional
  ** questions (bench/gen_pack.py plain 30000 5) ran two calls out of
  ** their budget in 21 s; preferring disabled, it checks in 5 s. */
  picosat_set_default_phase_lit(S->sat, sq->e, -1);
  /* Disabled: absent. Enabled and required: answered. */
  for (k = 0; k < sq->ndom; k++)
    sym_c2(S, sq->e, -(sq->v + (int)k));
  if (q->required) {
    sym_lit(S, -sq->e);
    for (k = 0; k < sq->ndom; k++)
      sym_lit(S, sq->v + (int)k);
    sym_end(S);
  }
  if (q->type != CDG_Q_MULTI) {
    S_at_most_one(S, sq->v, sq->ndom);
    return;
  }
  /* An exclusive option goes alone. */
  for (k = 0; k < sq->ndom; k++)
    if (q->options[k].exclusive)
      for (j = 0; j < sq->ndom; j++)
        if (j != k)
          sym_c2(S, -(sq->v + (int)k), -(sq->v + (int)j));
}

static int S_size_cmp(const void *pa, const void *pb) {
  size_t a = *(const size_t *)pa, b = *(const size_t *)pb;

  return a < b ? -1 : a > b;
}

/* Push the unmarked questions the nodes n0..n1 read (by their position
** in topological order), those encoded already only when all is set:
** marked 1 from position lo on (a window keeps their conditions), else 2
** (free in the window). */
static size_t S_push_reads(sym_ctx *S, size_t n0, size_t n1, size_t lo,
                           size_t top, int all) {
  size_t n, j;

  for (n = n0; n < n1; n++) {
    const sym_leaf *lf;

    if (S->node[n].op != SYM_LEAF)
      continue;
    lf = &S->leaf[S->node[n].a];
    for (j = 0; j < lf->nreads; j++) {
      size_t k = S->lreads[lf->r0 + j];

      if (!S->mark[k] && (all || !S->q[k].e)) {
        S->mark[k] = S->q[k].pos >= lo ? 1 : 2;
        S->stack[top++] = S->q[k].pos;
      }
    }
  }
  return top;
}

/* Encode the cone of nodes n0..n1: the questions they read, transitively,
** dependencies first. */
static void S_cone(sym_ctx *S, size_t n0, size_t n1, long self) {
  size_t top = 0, done = 0, k;

  sym_sat_init(S);
  if (self >= 0 && !S->q[self].e) {
    S->mark[self] = 1;
    S->stack[top++] = S->q[self].pos;
  }
  top = S_push_reads(S, n0, n1, 0, top, 0);
  /* stack[0..done) is the cone found so far; each new one's reads join. */
  while (done < top) {
    k = S->pack->topo[S->stack[done++]];
    top = S_push_reads(S, S->q[k].n0, S->q[k].n1, 0, top, 0);
  }
  qsort(S->stack, top, sizeof *S->stack, S_size_cmp);
  for (k = 0; k < top; k++) {
    size_t i = S->pack->topo[S->stack[k]];

    S->mark[i] = 0;
    if (!S->q[i].e)
      S_enc_question(S, i, 1);
  }
}

void sym_encode_cone(sym_ctx *S, size_t i) {
  if (!S->q[i].e)
    S_cone(S, 0, 0, (long)i);
}

void sym_encode_rule(sym_ctx *S, size_t r) {
  int lit;

  S_cone(S, S->rn[r], S->rn[r + 1], -1);
  sym_encode_range(S, S->rn[r], S->rn[r + 1]);
  /* Prefer firing: a model then settles many rules at once. */
  lit = sym_sat_lit(S, S->f[r]);
  picosat_set_default_phase_lit(S->sat, lit > 0 ? lit : -lit, lit > 0 ? 1 : -1);
}

void sym_encode_all(sym_ctx *S) {
  size_t k, nq = S->pack->nquestions, nr = S->pack->nrules;

  sym_sat_init(S);
  for (k = 0; k < nq; k++)
    if (!S->q[S->pack->topo[k]].e)
      S_enc_question(S, S->pack->topo[k], 1);
  for (k = 0; k < nr; k++)
    sym_encode_rule(S, k);
}

/* ---- A question's window, in a solver of its own ----------------------- */

int sym_refute_window(sym_ctx *S, size_t i, size_t win,
                      unsigned long long budget) {
  const size_t *topo = S->pack->topo;
  size_t lo = S->q[i].pos > win ? S->q[i].pos - win : 0, top = 0, done = 0;
  size_t k, n, m = 0, need = 1;
  PicoSAT *pack_sat = S->sat;
  int satok = S->satok, tru = S->tru, res;

  /* The cone, its reads followed from the questions marked 1 only. */
  S->mark[i] = 1;
  S->stack[top++] = S->q[i].pos;
  while (done < top) {
    k = topo[S->stack[done++]];
    if (S->mark[k] == 1)
      top = S_push_reads(S, S->q[k].n0, S->q[k].n1, lo, top, 1);
  }
  qsort(S->stack, top, sizeof *S->stack, S_size_cmp);
  /* The pack's instance's variables of these, kept aside and cleared. */
  S_nvar_room(S);
  for (k = 0; k < top; k++) {
    const sym_q *sq = &S->q[topo[S->stack[k]]];
    need += 2 + (S->mark[topo[S->stack[k]]] == 1 ? sq->n1 - sq->n0 : 0);
  }
  if (need > S->capwsave) {
    int *p = cdg_realloc(S->wsave, need * sizeof *p);

    if (!p)
      longjmp(S->oom, 1);
    S->wsave = p;
    S->capwsave = need;
  }
  S->wsave[m++] = S->nvar[1];
  S->nvar[1] = 0;
  for (k = 0; k < top; k++) {
    size_t q = topo[S->stack[k]];

    S->wsave[m++] = S->q[q].e;
    S->wsave[m++] = S->q[q].v;
    S->q[q].e = S->q[q].v = 0;
    if (S->mark[q] == 1)
      for (n = S->q[q].n0; n < S->q[q].n1; n++) {
        S->wsave[m++] = S->nvar[n];
        S->nvar[n] = 0;
      }
  }
  S->satok = 0;
  sym_sat_init(S);
  S_enc_node(S, 1);
  for (k = 0; k < top; k++) {
    size_t q = topo[S->stack[k]];

    S_enc_question(S, q, S->mark[q] == 1);
    if (S->qnever[q]) {  /* proved: a fact */
      picosat_add(S->sat, -S->q[q].e);
      picosat_add(S->sat, 0);
    }
  }
  picosat_assume(S->sat, S->q[i].e);
  picosat_set_propagation_limit(S->sat, budget);
  res = picosat_sat(S->sat, -1);
  S->wprops += picosat_propagations(S->sat);
  picosat_reset(S->sat);
  /* The pack's instance as it was. */
  S->sat = pack_sat;
  S->satok = satok;
  S->tru = tru;
  m = 0;
  S->nvar[1] = S->wsave[m++];
  for (k = 0; k < top; k++) {
    size_t q = topo[S->stack[k]];

    S->q[q].e = S->wsave[m++];
    S->q[q].v = S->wsave[m++];
    if (S->mark[q] == 1)
      for (n = S->q[q].n0; n < S->q[q].n1; n++)
        S->nvar[n] = S->wsave[m++];
    S->mark[q] = 0;
  }
  return res == PICOSAT_UNSATISFIABLE;
}
