/*
** lint_prop.c: unit propagation on the circuit (lint_abs.c), for the
** symbolic checker: cheap proofs and guidance before any SAT call.
**
** The state is what every complete path satisfying the assumptions must
** have: each node true, false or unknown, and for each question the set
** of its answers still allowed (table indexes; questions of more than 64
** answers are not tracked). Each step is a necessary consequence: an and
** that holds makes both sides hold, a leaf that holds allows only the
** answers of its true rows, an answer set without "absent" makes the
** question enabled, and so on, both ways. An empty set or a node both
** true and false is a conflict: no complete path satisfies the
** assumptions, a proof that needs no solver. Most properties that no path
** shows fail this way at once (the solver found them by propagation too,
** at the cost of a call each). Without a conflict, the allowed answers
** are a guide for a path that may show the property.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lint_sym.h"

#define SYM_PROP_STEPS 4096  /* steps of one probe before it gives up */
#define SYM_PROP_DECISIONS 256 /* ors decided for one guided path */
#define SYM_PROP_SPLITS 4    /* ors a refutation splits at each depth */

/* Whether question i's answers are tracked (at most 64 table indexes). */
static int S_tracked(const sym_ctx *S, size_t i) {
  size_t w = sym_width(S, i);

  return w > 0 && w <= 64;
}

/* The node's leaf reads one tracked question: that question, else -1. */
static long S_leafq(const sym_ctx *S, size_t n) {
  const sym_leaf *lf;

  if (S->node[n].op != SYM_LEAF)
    return -1;
  lf = &S->leaf[S->node[n].a];
  if (lf->nreads != 1 || !S_tracked(S, S->lreads[lf->r0]))
    return -1;
  return (long)S->lreads[lf->r0];
}

/* Whether leaf node n reads several questions, all tracked, through a
** table of every combination of their answers (S_rows). */
static int S_rows_leaf(const sym_ctx *S, size_t n) {
  const sym_leaf *lf;
  size_t j;

  if (S->node[n].op != SYM_LEAF)
    return 0;
  lf = &S->leaf[S->node[n].a];
  if (lf->nreads < 2 || lf->opt || lf->rows == 0)
    return 0;
  for (j = 0; j < lf->nreads; j++)
    if (!S_tracked(S, S->lreads[lf->r0 + j]) ||
        sym_wide(S, S->lreads[lf->r0 + j]))
      return 0;
  return 1;
}

static void S_push(sym_ctx *S, long item) {
  if (S->pq.nq == S->pq.capq &&
      cdg_grow_raw(&S->pq.q, S->pq.nq, &S->pq.capq, sizeof *S->pq.q) < 0)
    longjmp(S->oom, 1);
  S->pq.q[S->pq.nq++] = item;
}

/* Record the old value of node n (item >= 0) or question i (-(i + 1)). */
static void S_trail(sym_ctx *S, long item, uint64_t old) {
  size_t i = item < 0 ? (size_t)(-item - 1) : 0;

  if (S->pq.nt == S->pq.capt &&
      cdg_grow_raw(&S->pq.t, S->pq.nt, &S->pq.capt, sizeof *S->pq.t) < 0)
    longjmp(S->oom, 1);
  S->pq.t[S->pq.nt].item = item;
  S->pq.t[S->pq.nt].must = item < 0 ? S->pq.qs[i].must : 0;
  S->pq.t[S->pq.nt].cannot = item < 0 ? S->pq.qs[i].cannot : 0;
  S->pq.t[S->pq.nt++].old = old;
}

/* The value of a literal: 0 unknown, 1 false, 2 true. */
static unsigned char S_val(const sym_ctx *S, int lit) {
  unsigned char v = S->pq.nst[lit > 0 ? lit : -lit];

  return lit > 0 || v == 0 ? v : (unsigned char)(3 - v);
}

/* Make lit have value v (1 false, 2 true). */
static void S_set(sym_ctx *S, int lit, unsigned char v) {
  size_t n = (size_t)(lit > 0 ? lit : -lit);
  unsigned char nv = lit > 0 ? v : (unsigned char)(3 - v);

  if (S->pq.nst[n] == nv)
    return;
  if (S->pq.nst[n]) {
    S->pq.conflict = 1;
    return;
  }
  S_trail(S, (long)n, 0);
  S->pq.nst[n] = nv;
  S_push(S, (long)n);
}

/* Allow only the answers in mask to question i. */
static void S_restrict(sym_ctx *S, size_t i, uint64_t mask) {
  uint64_t m = S->pq.qs[i].qa & mask;

  if (m == S->pq.qs[i].qa)
    return;
  if (m == 0) {
    S->pq.conflict = 1;
    return;
  }
  S_trail(S, -(long)i - 1, S->pq.qs[i].qa);
  S->pq.qs[i].qa = m;
  S_push(S, -(long)i - 1);
}

/* A wide multi: allow only the classes of mask (1 absent, 2 answered),
** and add to the options it must and cannot have. */
static void S_restrict_w(sym_ctx *S, size_t i, uint64_t mask, uint64_t must,
                         uint64_t cannot) {
  uint64_t m = S->pq.qs[i].qa & mask, mu = S->pq.qs[i].must | must;
  uint64_t ca = S->pq.qs[i].cannot | cannot;

  if (m == S->pq.qs[i].qa && mu == S->pq.qs[i].must && ca == S->pq.qs[i].cannot)
    return;
  if (m == 0 || (mu & ca)) {
    S->pq.conflict = 1;
    return;
  }
  S_trail(S, -(long)i - 1, S->pq.qs[i].qa);
  S->pq.qs[i].qa = m;
  S->pq.qs[i].must = mu;
  S->pq.qs[i].cannot = ca;
  S_push(S, -(long)i - 1);
}

/* An option leaf n of a wide multi, both ways. */
static void S_option(sym_ctx *S, size_t n) {
  const sym_leaf *lf = &S->leaf[S->node[n].a];
  size_t i = S->lreads[lf->r0];
  const unsigned char *tab = S->tab + lf->t0;
  uint64_t bit = (uint64_t)1 << (lf->opt - 1);
  unsigned char x = S->pq.nst[n], can = 0;

  if (x) {
    int r0 = tab[0] == x, r1 = tab[1] == x, r2 = tab[2] == x;

    S_restrict_w(S, i, (r0 ? 1u : 0u) | (r1 || r2 ? 2u : 0u),
                 !r0 && !r1 ? bit : 0, !r2 ? bit : 0);
    return;
  }
  if (S->pq.qs[i].qa & 1)
    can |= tab[0];
  if ((S->pq.qs[i].qa & 2) && !(S->pq.qs[i].must & bit))
    can |= tab[1];
  if ((S->pq.qs[i].qa & 2) && !(S->pq.qs[i].cannot & bit))
    can |= tab[2];
  if (can == 1 || can == 2)
    S_set(S, (int)n, can);
}

/* A leaf n reading several tracked questions (S_rows_leaf), both ways:
** set, each question keeps the answers of some row with its value the
** others still allow; unset, it goes the way every row they allow goes.
** Without it a probe of a question enabled through an == of two answers
** said nothing of them, and its tries missed. */
static void S_rows(sym_ctx *S, size_t n) {
  const sym_leaf *lf = &S->leaf[S->node[n].a];
  const size_t *reads = S->lreads + lf->r0;
  const unsigned char *tab = S->tab + lf->t0;
  size_t idx[64], w[64], j, r;
  uint64_t sup[64];
  unsigned char x = S->pq.nst[n], can = 0;

  for (j = 0; j < lf->nreads; j++) {
    w[j] = sym_width(S, reads[j]);
    idx[j] = 0;
    sup[j] = 0;
  }
  for (r = 0; r < lf->rows && (x || can != 3); r++) {
    for (j = 0; j < lf->nreads && ((S->pq.qs[reads[j]].qa >> idx[j]) & 1); j++)
      ;
    if (j == lf->nreads) {
      can |= tab[r];
      for (j = 0; x && tab[r] == x && j < lf->nreads; j++)
        sup[j] |= (uint64_t)1 << idx[j];
    }
    for (j = 0; j < lf->nreads && ++idx[j] == w[j]; j++)
      idx[j] = 0;
  }
  for (j = 0; x && j < lf->nreads && !S->pq.conflict; j++)
    S_restrict(S, reads[j], sup[j]);
  if (!x && (can == 1 || can == 2))
    S_set(S, (int)n, can);
}

/* A leaf n reading wide multi i alone through its table of subsets (an
** all or a none of it: not an option leaf), both ways: the leaf set keeps
** only the rows with its value, their options as must (in every one) and
** cannot (in none); unset, it goes the way every row the state allows
** goes. Without it a path guided by a probe picked such a multi's options
** at random and missed the one subset the leaf needs: the tries settled 3
** of 107 open questions of a pack of 3,000 (bench/gen_pack_tight.py), the
** solver then one per call. */
static void S_wide_rows(sym_ctx *S, size_t n, size_t i) {
  const sym_leaf *lf = &S->leaf[S->node[n].a];
  const unsigned char *tab = S->tab + lf->t0;
  const sym_qs *qs = &S->pq.qs[i];
  uint64_t qa = qs->qa, must = qs->must, cannot = qs->cannot;
  uint64_t in = ~(uint64_t)0, any = 0;
  uint64_t all = ((uint64_t)1 << S->q[i].ndom) - 1;
  unsigned char x = S->pq.nst[n], can = 0, cls = 0;
  size_t r;

  for (r = 0; r < lf->rows && (x || can != 3); r++) {
    if (r == 0 ? !(qa & 1)
               : !(qa & 2) || (r & must) != must || (r & cannot) ||
                     !sym_valid(S, i, r))
      continue;  /* not an answer the state allows */
    can |= tab[r];
    if (x && tab[r] == x) {
      cls |= r ? 2 : 1;
      if (r) {
        in &= r;
        any |= r;
      }
    }
  }
  if (x)  /* no row left: cls 0, a conflict */
    S_restrict_w(S, i, cls, cls & 2 ? in : 0, cls & 2 ? all & ~any : 0);
  else if (can == 1 || can == 2)
    S_set(S, (int)n, can);
}

/* Whether leaf node n reads one wide multi alone through a table of its
** subsets (S_wide_rows). */
static int S_wide_table(const sym_ctx *S, size_t n) {
  const sym_leaf *lf = &S->leaf[S->node[n].a];
  size_t i;

  if (lf->nreads != 1 || lf->opt) /* a leaf may read nothing */
    return 0;
  i = S->lreads[lf->r0];
  return sym_wide(S, i) && lf->rows > 0 && lf->rows == sym_width(S, i);
}

/* What a wide multi's options imply: an exclusive one goes alone, one it
** must have makes it answered, none left makes it absent. */
static void S_wide_question(sym_ctx *S, size_t i) {
  const cdg_question *q = &S->pack->questions[i];
  uint64_t must = S->pq.qs[i].must, excl = 0, all = 0;
  size_t k;

  for (k = 0; k < q->noptions; k++) {
    all |= (uint64_t)1 << k;
    if (q->options[k].exclusive)
      excl |= (uint64_t)1 << k;
  }
  if (must & excl)
    S_restrict_w(S, i, 2, 0, all & ~must);
  else if (must)
    S_restrict_w(S, i, 2, 0, excl);
  if (must & excl && (must & (must - 1)))
    S->pq.conflict = 1;
  if ((S->pq.qs[i].cannot & all) == all)
    S_restrict_w(S, i, 1, 0, 0);
}

/* What node n's state implies, both ways, with its children's. */
static void S_examine(sym_ctx *S, size_t n) {
  const sym_node *nd = &S->node[n];
  const struct sym_lq *lq;
  unsigned char x = S->pq.nst[n], a, b, c;
  long j;

  switch (nd->op) {
  case SYM_TRUE:
    S_set(S, (int)n, 2);
    return;
  case SYM_AND:
    a = S_val(S, nd->a);
    b = S_val(S, nd->b);
    if (a == 1 || b == 1)
      S_set(S, (int)n, 1);
    else if (a == 2 && b == 2)
      S_set(S, (int)n, 2);
    if (x == 2) {
      S_set(S, nd->a, 2);
      S_set(S, nd->b, 2);
    } else if (x == 1 && a == 2) {
      S_set(S, nd->b, 1);
    } else if (x == 1 && b == 2) {
      S_set(S, nd->a, 1);
    }
    return;
  case SYM_ITE:
    a = S_val(S, nd->a);
    b = S_val(S, nd->b);
    c = S_val(S, nd->c);
    if (c) {
      int br = c == 2 ? nd->a : nd->b;
      unsigned char v = c == 2 ? a : b;

      if (v)
        S_set(S, (int)n, v);
      if (x)
        S_set(S, br, x);
    } else {
      if (a && a == b)
        S_set(S, (int)n, a);
      if (x && a && a != x)
        S_set(S, nd->c, 1);
      if (x && b && b != x)
        S_set(S, nd->c, 2);
    }
    return;
  case SYM_LEAF:
    lq = &S->pq.lq[nd->a];
    if (lq->q == -2) {
      S_option(S, n);
      return;
    }
    if ((j = lq->q) < 0) {
      if (S_rows_leaf(S, n))
        S_rows(S, n);
      else if (S_wide_table(S, n))
        S_wide_rows(S, n, S->lreads[S->leaf[nd->a].r0]);
      return;
    }
    if (x)
      S_restrict(S, (size_t)j, x == 2 ? lq->t : ~lq->t);
    else if (!(S->pq.qs[j].qa & ~lq->t))
      S_set(S, (int)n, 2);
    else if (!(S->pq.qs[j].qa & lq->t))
      S_set(S, (int)n, 1);
    return;
  default:
    return;
  }
}

static int S_in(const sym_ctx *S, size_t n) {
  return n < S->pq.lim && (n < S->rn[0] ? n >= S->pq.wlo && n < S->pq.whi
                                        : n >= S->pq.lo);
}

void sym_prop_scope(sym_ctx *S, size_t k) {
  size_t nq = S->pack->nquestions, nr = S->pack->nrules;
  sym_prop *P = &S->pq;

  P->lim = (size_t)-1;
  P->lo = P->wlo = 0;
  P->whi = (size_t)-1;
  P->qlim = nq;
  if (k < nq) {
    size_t p = S->q[k].pos;

    P->lim = (size_t)abs(S->q[k].en) + 1;
    P->qlim = p;
    /* Only the conditions of the SYM_PROP_WINDOW questions before it in
    ** topological order (the nodes are built in that order): a conflict
    ** among fewer constraints is still a proof, and the facts already
    ** proved hold everywhere; without it a probe would flood the whole
    ** prefix through a hub that every question reads. */
    if (p > SYM_PROP_WINDOW)
      P->wlo = S->q[S->pack->topo[p - SYM_PROP_WINDOW]].n0;
  } else if (k < nq + nr) {
    size_t r = k - nq, n, j, lo = nq, hi = 0;

    P->lim = (size_t)abs(S->f[r]) + 1;
    P->lo = S->rn[r];
    /* Of the questions, the window before the first the rule reads up to
    ** the last one: the rest cannot bear on it but through those. */
    for (n = S->rn[r]; n < S->rn[r + 1]; n++)
      for (j = 0; S->node[n].op == SYM_LEAF &&
                  j < S->leaf[S->node[n].a].nreads; j++) {
        size_t p = S->q[S->lreads[S->leaf[S->node[n].a].r0 + j]].pos;

        lo = p < lo ? p : lo;
        hi = p > hi ? p : hi;
      }
    if (lo < nq) {
      P->wlo = lo > SYM_PROP_WINDOW
                   ? S->q[S->pack->topo[lo - SYM_PROP_WINDOW]].n0 : 0;
      P->whi = S->q[S->pack->topo[hi]].n1;
    }
  }
}

/* The first k in [k0, k1) with leaf[k] >= n (the leaves of a question
** are in node order), else k1. */
static size_t S_first_from(const size_t *leaf, size_t k0, size_t k1,
                           size_t n) {
  while (k0 < k1) {
    size_t m = k0 + (k1 - k0) / 2;

    if (leaf[m] < n)
      k0 = m + 1;
    else
      k1 = m;
  }
  return k0;
}

/* Examine the leaves leaf[k0..k1) in the scope. They are in node order
** and the scope is a window of the questions' nodes plus one rule's:
** start and stop at its ends and jump over the questions' past the
** window and the other rules' (a hub read by every question would make
** each visit cost the whole pack). */
static void S_leaves(sym_ctx *S, const size_t *leaf, size_t k0, size_t k1) {
  size_t k = S_first_from(leaf, k0, k1, S->pq.wlo);
  size_t lo = S->pq.lo > S->rn[0] ? S->pq.lo : S->rn[0];

  for (; k < k1; k++) {
    size_t n = leaf[k];

    if (n >= S->pq.lim)
      break;
    if (n < S->rn[0] ? n >= S->pq.whi : n < S->pq.lo)
      k = S_first_from(leaf, k, k1, lo);
    if (k < k1 && S_in(S, leaf[k]))
      S_examine(S, leaf[k]);
  }
}

/* What question i's allowed answers and enabledness imply; its leaves only
** when leaves is set: they depend on the answers alone, and every change
** of those queues the question (S_restrict), so a visit for its
** enabledness need not walk them again. */
static void S_question(sym_ctx *S, size_t i, int leaves) {
  const sym_q *sq = &S->q[i];
  unsigned char e = S_val(S, sq->en);

  if (sq->wide)
    S_wide_question(S, i);
  if (e == 2 && sq->required)
    S_restrict(S, i, ~(uint64_t)1);
  else if (e == 1)
    S_restrict(S, i, 1);
  if (!(S->pq.qs[i].qa & 1))
    S_set(S, sq->en, 2);
  else if (sq->required && S->pq.qs[i].qa == 1)
    S_set(S, sq->en, 1);
  if (!leaves)
    return;
  S_leaves(S, S->qleaf, S->qlstart[i], S->qlstart[i + 1]);
  S_leaves(S, S->pq.mleaf, S->pq.mstart[i], S->pq.mstart[i + 1]);
}

/* Run the queue: 0, 1 on a conflict, -1 over the step limit. */
static int S_run(sym_ctx *S, size_t limit) {
  size_t steps = 0, k;

  while (S->pq.nq > 0 && !S->pq.conflict) {
    long it = S->pq.q[--S->pq.nq];

    S->pq.steps++;
    if (++steps > limit) {
      S->pq.nq = 0;
      return -1;
    }
    if (it < 0) {
      S_question(S, (size_t)(-it - 1), 1);
      continue;
    }
    S_examine(S, (size_t)it);
    for (k = S->pq.pstart[it]; k < S->pq.pstart[it + 1]; k++)
      if (S_in(S, S->pq.par[k]))
        S_examine(S, S->pq.par[k]);
    if (S->pq.enq[it] && S->q[S->pq.enq[it] - 1].pos <= S->pq.qlim)
      S_question(S, (size_t)S->pq.enq[it] - 1, 0);
  }
  S->pq.nq = 0;
  return S->pq.conflict ? 1 : 0;
}

void sym_prop_undo(sym_ctx *S, size_t mark) {
  while (S->pq.nt > mark) {
    const sym_trail *t = &S->pq.t[--S->pq.nt];

    if (t->item >= 0) {
      S->pq.nst[t->item] = 0;
    } else {
      S->pq.qs[-t->item - 1].qa = t->old;
      S->pq.qs[-t->item - 1].must = t->must;
      S->pq.qs[-t->item - 1].cannot = t->cannot;
    }
  }
  S->pq.conflict = 0;
  S->pq.nq = 0;
}

void sym_prop_need(sym_ctx *S, size_t k, size_t mark) {
  sym_prop *P = &S->pq;
  sym_need *g;
  size_t t, j, e, last;

  if (!P->needof &&
      !(P->needof = cdg_calloc(S->pack->nquestions + S->pack->nrules + 1,
                               sizeof *P->needof)))
    longjmp(S->oom, 1);
  if (P->nneed == P->capneed &&
      cdg_grow_raw(&P->need, P->nneed, &P->capneed, sizeof *P->need) < 0)
    longjmp(S->oom, 1);
  g = &P->need[P->nneed];
  g->n = 0;
  for (t = mark; t < P->nt; t++) {
    if (P->t[t].item >= 0)
      continue;
    j = (size_t)(-P->t[t].item - 1);
    for (e = 0; e < g->n && g->q[e] != j; e++)
      ;
    if (e < g->n)
      continue;  /* restricted again */
    if (g->n < SYM_NEED_QUESTIONS) {
      g->q[g->n++] = (uint32_t)j;
      continue;
    }
    for (e = last = 0; e < g->n; e++)  /* the latest kept: replaced */
      if (S->q[g->q[e]].pos > S->q[g->q[last]].pos)
        last = e;
    if (S->q[j].pos < S->q[g->q[last]].pos)
      g->q[last] = (uint32_t)j;
  }
  for (e = 0; e < g->n; e++)
    g->qa[e] = P->qs[g->q[e]].qa;
  if (g->n > 0)
    P->needof[k] = (uint32_t)++P->nneed;
}

int sym_prop_needless(const sym_ctx *S, size_t k) {
  const sym_prop *P = &S->pq;
  const sym_need *g;
  size_t e;

  if (!P->needof || !P->needof[k])
    return 0;
  g = &P->need[P->needof[k] - 1];
  for (e = 0; e < g->n; e++)
    if (!(P->qs[g->q[e]].qa & g->qa[e]))
      return 1;
  return 0;
}

int sym_prop_probe(sym_ctx *S, int lit, int keep) {
  size_t mark = S->pq.nt;
  int rc;

  S_set(S, lit, 2);
  rc = S_run(S, SYM_PROP_STEPS);
  if (rc != 0 || !keep)
    sym_prop_undo(S, mark);
  return rc;
}

int sym_prop_answer(sym_ctx *S, size_t i, long v) {
  size_t mark = S->pq.nt, k;
  int rc;

  if (!S_tracked(S, i) || sym_wide(S, i))
    return 0;
  k = v < 0 ? 0 : S->q[i].multi ? (size_t)v : (size_t)v + 1;
  S_restrict(S, i, (uint64_t)1 << k);
  rc = S->pq.conflict ? 1 : S_run(S, SYM_PROP_STEPS);
  if (rc != 0)
    sym_prop_undo(S, mark);
  return rc;
}

int sym_prop_fact(sym_ctx *S, int lit) {
  size_t mark = S->pq.nt;
  int rc;

  sym_prop_scope(S, (size_t)-1);
  S_set(S, lit, 2);
  rc = S_run(S, (size_t)-1);
  if (rc != 0)
    sym_prop_undo(S, mark);
  return rc;
}

int sym_prop_refute(sym_ctx *S, int lit, int depth) {
  size_t mark = S->pq.nt, t, tries = 0;
  int rc;

  S_set(S, lit, 2);
  rc = S_run(S, SYM_PROP_STEPS);
  /* No conflict yet: split an or the state needs (an and that fails with
  ** both sides open); both sides refuted refute lit. */
  for (t = mark; rc == 0 && depth > 0 && t < S->pq.nt &&
                 tries < SYM_PROP_SPLITS; t++) {
    long it = S->pq.t[t].item;
    const sym_node *nd;

    if (it < 0 || S->pq.nst[it] != 1 || S->node[it].op != SYM_AND)
      continue;
    nd = &S->node[it];
    if (S_val(S, nd->a) || S_val(S, nd->b))
      continue;
    tries++;
    if (sym_prop_refute(S, -nd->a, depth - 1) == 1 &&
        sym_prop_refute(S, -nd->b, depth - 1) == 1)
      rc = 1;
  }
  sym_prop_undo(S, mark);
  return rc == 1;
}

int sym_prop_decide(sym_ctx *S, size_t from) {
  size_t t, decisions = 0;

  /* The trail grows as decisions propagate: their own ors are met too. */
  for (t = from; t < S->pq.nt && decisions < SYM_PROP_DECISIONS; t++) {
    long it = S->pq.t[t].item;
    const sym_node *nd;
    size_t mark;
    int first, second;

    if (it < 0 || S->pq.nst[it] != 1 || S->node[it].op != SYM_AND)
      continue;
    nd = &S->node[it];
    if (S_val(S, nd->a) || S_val(S, nd->b))
      continue;
    /* An and that fails with both sides open: one side fails. */
    S->seed = S->seed * 6364136223846793005UL + 1442695040888963407UL;
    first = (S->seed >> 40) & 1 ? nd->a : nd->b;
    second = first == nd->a ? nd->b : nd->a;
    decisions++;
    mark = S->pq.nt;
    S_set(S, first, 1);
    if (S_run(S, SYM_PROP_STEPS) == 0)
      continue;
    sym_prop_undo(S, mark);
    S_set(S, second, 1);
    if (S_run(S, SYM_PROP_STEPS) == 0)
      continue;
    sym_prop_undo(S, mark);
    return 1;
  }
  return 0;
}

/* The leaves of several tracked questions (S_rows_leaf), by question, in
** node order: a change of one's answers examines them (S_question). */
static void S_rows_index(sym_ctx *S) {
  size_t nn = S->rn[S->pack->nrules], nq = S->pack->nquestions, n, i, k;
  sym_prop *P = &S->pq;

  if (!(P->mstart = cdg_calloc(nq + 2, sizeof *P->mstart)))
    longjmp(S->oom, 1);
  for (n = 2; n < nn; n++)
    for (k = 0; S_rows_leaf(S, n) && k < S->leaf[S->node[n].a].nreads; k++)
      P->mstart[S->lreads[S->leaf[S->node[n].a].r0 + k] + 1]++;
  for (i = 0; i < nq; i++)
    P->mstart[i + 1] += P->mstart[i];
  if (!(P->mleaf = cdg_malloc((P->mstart[nq] + 1) * sizeof *P->mleaf)))
    longjmp(S->oom, 1);
  /* mstart[i] as the cursor of question i, then moved back a place */
  for (n = 2; n < nn; n++)
    for (k = 0; S_rows_leaf(S, n) && k < S->leaf[S->node[n].a].nreads; k++)
      P->mleaf[P->mstart[S->lreads[S->leaf[S->node[n].a].r0 + k]]++] = n;
  for (i = nq; i > 0; i--)
    P->mstart[i] = P->mstart[i - 1];
  P->mstart[0] = 0;
}

/* Parents of each node, the question of each enable_when's root, the
** true rows of each tracked leaf; then the state with no assumption. */
int sym_prop_init(sym_ctx *S) {
  size_t nn = S->rn[S->pack->nrules], nq = S->pack->nquestions, n, i, k;
  sym_prop *P = &S->pq;

  if (nn > UINT32_MAX / 4 || nq > INT32_MAX)
    longjmp(S->oom, 1);  /* parents, enq and lq are 32 bits */
  P->nst = cdg_calloc(nn + 1, 1);
  P->enq = cdg_calloc(nn + 1, sizeof *P->enq);
  P->pstart = cdg_calloc(nn + 2, sizeof *P->pstart);
  /* One more entry, to start qs on a line of its own. */
  if ((P->qsraw = cdg_calloc(nq + 2, sizeof *P->qs)) != NULL)
    P->qs = (sym_qs *)(void *)((char *)P->qsraw +
                               (64 - (uintptr_t)P->qsraw % 64) % 64);
  P->lq = cdg_calloc(S->nleaf ? S->nleaf : 1, sizeof *P->lq);
  if (!P->nst || !P->enq || !P->pstart || !P->qs || !P->lq)
    longjmp(S->oom, 1);
  for (i = 0; i < S->nleaf; i++)
    P->lq[i].q = -1;
  for (n = 2; n < nn; n++) {
    const sym_node *nd = &S->node[n];
    int kid[3] = {nd->a, nd->b, nd->c};

    for (k = 0; k < 3 && (nd->op == SYM_AND || nd->op == SYM_ITE); k++)
      if (kid[k])
        P->pstart[(size_t)abs(kid[k]) + 1]++;
  }
  for (n = 0; n <= nn; n++)
    P->pstart[n + 1] += P->pstart[n];
  if (!(P->par = cdg_malloc((P->pstart[nn] + 1) * sizeof *P->par)))
    longjmp(S->oom, 1);
  for (n = 2; n < nn; n++) {
    const sym_node *nd = &S->node[n];
    int kid[3] = {nd->a, nd->b, nd->c};

    for (k = 0; k < 3 && (nd->op == SYM_AND || nd->op == SYM_ITE); k++)
      if (kid[k]) {
        size_t c = (size_t)abs(kid[k]);

        /* enq as a cursor for now: the parents of c filled so far */
        P->par[P->pstart[c] + P->enq[c]++] = (uint32_t)n;
      }
  }
  memset(P->enq, 0, (nn + 1) * sizeof *P->enq);
  for (i = 0; i < nq; i++)
    if (S->q[i].en != 1 && S->q[i].en != -1)
      P->enq[abs(S->q[i].en)] = (uint32_t)i + 1;
  for (n = 2; n < nn; n++) {
    long j = S_leafq(S, n);
    const sym_leaf *lf;

    if (j < 0)
      continue;
    P->lq[S->node[n].a].q = (int32_t)j;
    lf = &S->leaf[S->node[n].a];
    for (k = 0; k < lf->rows; k++)
      if (S->tab[lf->t0 + k] == 2)
        P->lq[S->node[n].a].t |= (uint64_t)1 << k;
  }
  for (i = 0; i < S->nleaf; i++)
    if (S->leaf[i].opt)
      P->lq[i].q = -2;  /* before all else, as S_examine asked first */
  S_rows_index(S);
  /* The answers the over-approximation allows. */
  for (i = 0; i < nq; i++) {
    size_t w = S_tracked(S, i) ? sym_width(S, i) : 0;

    if (sym_wide(S, i)) {
      P->qs[i].qa = (S->q[i].poss & 1 ? 1u : 0u) | (S->q[i].poss & 2 ? 2u : 0u);
      if (P->qs[i].qa == 0)
        P->qs[i].qa = 1;
      continue;
    }
    P->qs[i].qa = w ? 0 : ~(uint64_t)0;
    for (k = 0; k < w; k++)
      if (k == 0 ? (S->q[i].poss & 1) != 0
                 : (S->q[i].poss & 2) && sym_valid(S, i, k))
        P->qs[i].qa |= (uint64_t)1 << k;
    if (P->qs[i].qa == 0)
      P->qs[i].qa = 1;  /* never enabled: only absent (S_over proved it) */
  }
  sym_prop_scope(S, (size_t)-1);
  S_set(S, 1, 2);
  for (i = 0; i < nq; i++)
    S_push(S, -(long)i - 1);
  for (n = 2; n < nn; n++)
    S_push(S, (long)n);
  k = (size_t)S_run(S, (size_t)-1);
  for (i = 0; i < nq; i++)
    P->qs[i].qroot = P->qs[i].qa;
  return (int)k;
}

void sym_prop_free(sym_ctx *S) {
  sym_prop *P = &S->pq;

  cdg_free(P->nst);
  cdg_free(P->enq);
  cdg_free(P->pstart);
  cdg_free(P->par);
  cdg_free(P->mstart);
  cdg_free(P->mleaf);
  cdg_free(P->qsraw);
  cdg_free(P->lq);
  cdg_free(P->needof);
  cdg_free(P->need);
  cdg_free(P->q);
  cdg_free(P->t);
  memset(P, 0, sizeof *P);
}
