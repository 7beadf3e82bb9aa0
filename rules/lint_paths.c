/*
** lint_paths.c: the answer paths of the symbolic checker (lint_sym.c):
** real paths simulated on the circuit (random, guided towards what is
** still open, or taken from a SAT model), the over-approximation that
** proves some properties before any path, and a path written out as the
** answers object of a finding's witness.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "lint_sym.h"

/* ---- Real paths ------------------------------------------------------- */

/* The model's answer to question i: -1 absent, else the value index
** (multi: the mask of options); -2 when i is not encoded. */
static long S_model(const sym_ctx *S, size_t i) {
  const sym_q *sq = &S->q[i];
  size_t k;
  long m = 0;

  if (!sq->e)
    return -2;
  if (S->pack->questions[i].type == CDG_Q_MULTI) {
    for (k = 0; k < sq->ndom && k < SYM_MASK_BITS; k++)
      if (picosat_deref(S->sat, sq->v + (int)k) > 0)
        m |= 1L << k;
    return m ? m : -1;
  }
  for (k = 0; k < sq->ndom; k++)
    if (picosat_deref(S->sat, sq->v + (int)k) > 0)
      return (long)k;
  return -1;
}

/* A valid answer to question i, for a path that the model does not give. */
static long S_any(const sym_ctx *S, size_t i) {
  const cdg_question *q = &S->pack->questions[i];
  size_t k;

  if (q->type != CDG_Q_MULTI)
    return 0;
  for (k = 0; k < q->noptions && k < SYM_MASK_BITS; k++)
    if (!q->options[k].exclusive)
      return 1L << k;
  return 1;
}

/* logic_test of e on the answers of the path to what it reads (all of
** them when opaque): for a condition with a free leaf. */
int sym_eval(sym_ctx *S, const logic_expr *e, const size_t *reads,
             size_t n, int opaque) {
  size_t j, nq = S->pack->nquestions;
  int t = 0;

  for (j = 0; j < (opaque ? nq : n) && t == 0; j++) {
    size_t i = opaque ? j : reads[j];

    if (S->val[i] >= 0)
      t = sym_put(S, S->data, i, S->val[i]);
  }
  if (t == 0)
    t = sym_test(S, e, S->data);
  for (j = 0; j < (opaque ? nq : n); j++)
    cJSON_DeleteItemFromObjectCaseSensitive(
        S->data, S->pack->questions[opaque ? j : reads[j]].id);
  if (t == LOGIC_NOMEM || t == -1)
    longjmp(S->oom, 1);
  return t == 1;
}

unsigned long sym_next(sym_ctx *S) {
  S->seed = S->seed * 6364136223846793005UL + 1442695040888963407UL;
  return S->seed >> 33;
}

/* A random answer of question i (for a random path), or -1 (absent) for
** an optional one now and then. */
static long S_random(sym_ctx *S, size_t i) {
  const sym_q *sq = &S->q[i];
  size_t k, n = sq->ndom;
  unsigned long x = sym_next(S);

  if (sq->multi && n > SYM_MASK_BITS)
    n = SYM_MASK_BITS;  /* a path's mask holds no more */
  long m = 0;

  if (!sq->required && (x & 15) == 0)
    return -1;
  x >>= 4;
  if (!sq->multi)
    return (long)(x % n);
  k = (size_t)(x % n);
  if ((sq->excl >> k) & 1)
    return 1L << k;
  x = sym_next(S);
  for (k = 0; k < n; k++)
    if (!((sq->excl >> k) & 1) && ((x >> (k % 30)) & 1))
      m |= 1L << k;
  return m ? m : S_any(S, i);
}

/* Question i takes answer v on the path, with its table index. */
static void S_put_val(sym_ctx *S, size_t i, long v) {
  S->val[i] = v;
  S->prow[i] = v < 0 ? 0 : S->q[i].multi ? (uint32_t)v : (uint32_t)v + 1;
}

static int S_litval(const sym_ctx *S, int lit) {
  return lit > 0 ? S->nval[lit] : !S->nval[-lit];
}

/* The nodes n0..n1 on the path. */
static void S_run_nodes(sym_ctx *S, size_t n0, size_t n1) {
  size_t n, j, row, stride;

  for (n = n0; n < n1; n++) {
    const sym_node *nd = &S->node[n];
    const sym_leaf *lf;

    switch (nd->op) {
    case SYM_TRUE:
      S->nval[n] = 1;
      break;
    case SYM_LEAF:
      lf = &S->leaf[nd->a];
      /* The last read's width is not needed: most leaves read one. */
      for (j = row = 0, stride = 1; j < lf->nreads && !lf->opt; j++) {
        size_t i = S->lreads[lf->r0 + j];

        row += S->prow[i] * stride;
        if (j + 1 < lf->nreads)
          stride *= sym_width(S, i);
      }
      if (lf->opt)
        row = sym_row(lf, S->val[S->lreads[lf->r0]]);
      S->nval[n] = S->tab[lf->t0 + row] == 2;
      break;
    case SYM_AND:
      S->nval[n] = (unsigned char)(S_litval(S, nd->a) && S_litval(S, nd->b));
      break;
    case SYM_ITE:
      S->nval[n] = (unsigned char)S_litval(S, S_litval(S, nd->c) ? nd->a
                                                               : nd->b);
      break;
    default:
      S->nval[n] = 0;  /* free: its condition goes to the evaluator */
    }
  }
}

/* ---- Guided paths ----------------------------------------------------- */

/* Which way each node should go for the open properties to hold: from
** each open question's enable_when and open rule down to the leaves. */

/* Want d (1 false, 2 true) of literal l, a node of question i's
** condition (i + 1; 0 a rule's or node 1): i's nodes are then walked. */
static void S_want(sym_ctx *S, int l, unsigned char d, size_t i) {
  size_t p;

  S->want[l > 0 ? l : -l] |= l > 0 ? d : (unsigned char)(((d & 1) << 1) |
                                                          (d >> 1));
  if (i-- > 0) {
    p = S->q[i].pos;
    S->wmark[p / 64] |= (uint64_t)1 << (p % 64);
  }
}

/* Nodes n1 - 1 down to n0: their wants to their children (in the same
** condition, sym_leaf_index checked: own is its question + 1, or 0), a
** leaf's to the enable_when of the question it reads. */
static void S_want_nodes(sym_ctx *S, size_t n1, size_t n0, size_t own) {
  size_t n;

  for (n = n1; n-- > n0;) {
    const sym_node *nd = &S->node[n];
    unsigned char d = S->want[n];

    if (d && nd->op == SYM_LEAF && S->leaf[nd->a].nreads == 1) {
      /* Wanted only answered: the question it reads should be enabled. */
      size_t j = S->lreads[S->leaf[nd->a].r0];

      if (!(S->tab[S->leaf[nd->a].t0] & d) && S->q[j].en != 1)
        S_want(S, S->q[j].en, 2, S->q[j].en == -1 ? 0 : j + 1);
      continue;
    }
    if (!d || (nd->op != SYM_AND && nd->op != SYM_ITE))
      continue;
    S_want(S, nd->a, d, own);
    S_want(S, nd->b, d, own);
    if (nd->op == SYM_ITE)
      S_want(S, nd->c, 3, own);
  }
}

/* When each condition's nodes only point among themselves (wlocal), only
** the conditions marked (wmark, by topological position; rmark, the open
** rules wanted) hold wants: they are cleared and walked, the rules, then
** the questions latest first, where all nodes were (a walk of every
** rule's nodes cost each round of guided paths the pack's rules, not its
** open ones); a question is marked before its condition is walked, as it
** is read only later. */
void sym_wants(sym_ctx *S) {
  size_t nq = S->pack->nquestions, nr = S->pack->nrules, i, w, b, k, m;
  uint64_t x;

  if (!S->wlocal) {
    memset(S->want, 0, S->rn[nr]);
  } else {
    for (w = 0; w * 64 < nq; w++)
      for (; S->wmark[w]; S->wmark[w] &= S->wmark[w] - 1) {
        const sym_q *sq = &S->q[S->pack->topo[w * 64 + (size_t)
                                              __builtin_ctzll(S->wmark[w])]];

        memset(S->want + sq->n0, 0, sq->n1 - sq->n0);
      }
    for (w = 0; w * 64 < nr; w++)
      for (; S->rmark[w]; S->rmark[w] &= S->rmark[w] - 1) {
        size_t r = w * 64 + (size_t)__builtin_ctzll(S->rmark[w]);

        memset(S->want + S->rn[r], 0, S->rn[r + 1] - S->rn[r]);
      }
    memset(S->want, 0, 2);
  }
  /* A random half of the open questions (wants of all at once pull
  ** apart), and the open rules. A property settled stays so: those are
  ** dropped from the list, which a try calls for again and again. */
  for (k = m = 0; k < S->nwopen; k++) {
    i = S->wopen[k];
    if (i < nq ? S->qok[i] : S->rok[i - nq])
      continue;
    S->wopen[m++] = i;
    if (i >= nq) {
      S_want(S, S->f[i - nq], 2, 0);
      S->rmark[(i - nq) / 64] |= (uint64_t)1 << ((i - nq) % 64);
    } else if (sym_next(S) & 1) {
      S_want(S, S->q[i].en, 2, i + 1);
    }
  }
  S->nwopen = m;
  if (!S->wlocal) {
    S_want_nodes(S, S->rn[nr], 2, 0);
    return;
  }
  for (w = 0; w * 64 < nr; w++)
    for (x = S->rmark[w]; x; x &= x - 1) {
      size_t r = w * 64 + (size_t)__builtin_ctzll(x);

      S_want_nodes(S, S->rn[r + 1], S->rn[r], 0);
    }
  /* Latest first, each word's highest bit below the last walked: a walk
  ** marks only earlier ones, maybe in the same word. */
  for (w = (nq + 63) / 64; w-- > 0;)
    for (b = 64; (x = S->wmark[w] & (b == 64 ? ~(uint64_t)0
                                              : ((uint64_t)1 << b) - 1));) {
      b = 63 - (size_t)__builtin_clzll(x);
      i = S->pack->topo[w * 64 + b];
      S_want_nodes(S, S->q[i].n1, S->q[i].n0, i + 1);
    }
}

/* The table index of a candidate answer k of question i -> path value. */
static long S_value_of(const sym_ctx *S, size_t i, size_t k) {
  if (k == 0)
    return -1;
  return S->q[i].multi ? (long)k : (long)k - 1;
}

/* An answer of enabled question i that makes the most leaves reading it
** alone go the way they are wanted (ties at random); random when none. */
static long S_guided(sym_ctx *S, size_t i) {
  size_t w = sym_width(S, i), k, j, best = 0, ties = 0;
  long bscore = -1;

  for (j = S->qlstart[i]; j < S->qlstart[i + 1]; j++)
    if (S->want[S->qleaf[j]])
      break;
  if (j == S->qlstart[i + 1] || w == 0 || w > 64)
    return S_random(S, i);
  for (k = S->q[i].required ? 1 : 0; k < w; k++) {
    long score = 0;

    if (!sym_valid(S, i, k))
      continue;
    for (j = S->qlstart[i]; j < S->qlstart[i + 1]; j++)
      score += (S->want[S->qleaf[j]] & S->tab[S->qlt0[j] + k]) != 0;
    if (score > bscore) {
      bscore = score;
      best = k;
      ties = 1;
    } else if (score == bscore && sym_next(S) % ++ties == 0) {
      best = k;
    }
  }
  return bscore < 0 ? S_random(S, i) : S_value_of(S, i, best);
}

/* Whether literal l is node 1 or one of nodes n0..n1. */
static int S_among(int l, size_t n0, size_t n1) {
  size_t n = (size_t)(l > 0 ? l : -l);

  return n == 1 || (n >= n0 && n < n1);
}

/* Whether the nodes n0..n1 point only among themselves. */
static int S_local(const sym_ctx *S, size_t n0, size_t n1) {
  size_t n;

  for (n = n0; n < n1; n++) {
    const sym_node *nd = &S->node[n];

    if ((nd->op == SYM_AND || nd->op == SYM_ITE) &&
        (!S_among(nd->a, n0, n1) || !S_among(nd->b, n0, n1) ||
         (nd->op == SYM_ITE && !S_among(nd->c, n0, n1))))
      return 0;
  }
  return 1;
}

/* The leaves that read one question alone, by question; whether each
** condition's nodes point only among themselves (S->wlocal). */
void sym_leaf_index(sym_ctx *S) {
  size_t nq = S->pack->nquestions, nr = S->pack->nrules, n, i, m = 0;

  S->wlocal = 1;
  for (i = 0; i < nq; i++)
    S->wlocal &= S_local(S, S->q[i].n0, S->q[i].n1) &&
                 S_among(S->q[i].en, S->q[i].n0, S->q[i].n1);
  for (i = 0; i < nr; i++)
    S->wlocal &= S_local(S, S->rn[i], S->rn[i + 1]) &&
                 S_among(S->f[i], S->rn[i], S->rn[i + 1]);

  for (n = 2; n < S->nnode; n++)
    if (S->node[n].op == SYM_LEAF && S->leaf[S->node[n].a].nreads == 1)
      S->qlstart[S->lreads[S->leaf[S->node[n].a].r0] + 1]++;
  for (i = 0; i < nq; i++)
    S->qlstart[i + 1] += S->qlstart[i];
  m = S->qlstart[nq];
  S->qleaf = cdg_malloc((m ? m : 1) * sizeof *S->qleaf);
  S->qlt0 = cdg_malloc((m ? m : 1) * sizeof *S->qlt0);
  if (!S->qleaf || !S->qlt0)
    longjmp(S->oom, 1);
  for (n = 2; n < S->nnode; n++)
    if (S->node[n].op == SYM_LEAF && S->leaf[S->node[n].a].nreads == 1) {
      i = S->lreads[S->leaf[S->node[n].a].r0];
      S->qlt0[S->stack[i] + S->qlstart[i]] = S->leaf[S->node[n].a].t0;
      S->qleaf[S->stack[i]++ + S->qlstart[i]] = n;
    }
  memset(S->stack, 0, nq * sizeof *S->stack);
}

/* ---- Paths ------------------------------------------------------------ */


/* An answer of wide multi i with the options it must have, and some of
** those it may (never an exclusive one beside others). */
static long S_wide_answer(sym_ctx *S, size_t i) {
  const cdg_question *q = &S->pack->questions[i];
  uint64_t must = S->pq.qs[i].must, cannot = S->pq.qs[i].cannot;
  unsigned long m = (unsigned long)must, x = sym_next(S);
  size_t k;

  for (k = 0; k < q->noptions; k++)
    if (((must >> k) & 1) && q->options[k].exclusive)
      return (long)m;
  for (k = 0; k < q->noptions; k++)
    if (!((cannot >> k) & 1) && !q->options[k].exclusive &&
        ((x >> (k % 30)) & 1))
      m |= 1UL << k;
  for (k = 0; !m && k < q->noptions; k++)
    if (!((cannot >> k) & 1))
      m = 1UL << k;
  return m ? (long)m : S_any(S, i);
}

/* An answer among those the propagation allows question i (P_PROP), when
** it narrowed them; else a guided one. */
static long S_allowed_answer(sym_ctx *S, size_t i) {
  uint64_t m = S->pq.qs ? S->pq.qs[i].qa : 0;
  size_t w = sym_width(S, i), k, n = 0, pick;

  if (S->pq.qs && sym_wide(S, i) && (S->pq.qs[i].must | S->pq.qs[i].cannot))
    return S_wide_answer(S, i);
  if (!S->pq.qs || m == S->pq.qs[i].qroot || w == 0 || w > 64)
    return S_guided(S, i);
  if (S->q[i].required)
    m &= ~(uint64_t)1;
  for (k = 0; k < w; k++)
    n += ((m >> k) & 1) && sym_valid(S, i, k);
  if (n == 0)
    return S_guided(S, i);
  pick = (size_t)(sym_next(S) % n);
  for (k = 0; k < w; k++)
    if (((m >> k) & 1) && sym_valid(S, i, k) && pick-- == 0)
      break;
  return S_value_of(S, i, k);
}

/* The path's answer to question i into the propagation (S->pchoose), so
** that the answers after it agree with it (a leaf over two answers
** allows pairs its rows do not); on a conflict a few other answers it
** allows are tried, else the first is kept unpropagated. */
static void S_choose(sym_ctx *S, size_t i) {
  size_t t;

  for (t = 0; t < 4 && sym_prop_answer(S, i, S->val[i]) != 0; t++)
    S_put_val(S, i, S_allowed_answer(S, i));
}

/* ---- Cones of paths --------------------------------------------------- */

/* Question i to the marked cone, unless there. */
static void S_cone_push(sym_ctx *S, size_t i) {
  size_t p = S->q[i].pos;

  if (!S->cmark[i]) {
    S->cmark[i] = 1;
    S->clist[S->ncl++] = i;
    S->cpos[p / 64] |= (uint64_t)1 << (p % 64);
  }
}

int sym_cone_add(sym_ctx *S, size_t k) {
  const lint_ctx *L = S->L;
  size_t nq = S->pack->nquestions, done = S->ncl, j;

  if (k < nq) {
    S_cone_push(S, k);
  } else {
    if (L->ropaque[k - nq])
      return -1;
    for (j = L->rrstart[k - nq]; j < L->rrstart[k - nq + 1]; j++)
      S_cone_push(S, L->rreads[j]);
  }
  /* clist[done..ncl) is new: what each reads joins. */
  while (done < S->ncl) {
    size_t i = S->clist[done++];

    if (L->eopaque[i])
      return -1;
    for (j = L->erstart[i]; j < L->erstart[i + 1]; j++)
      S_cone_push(S, L->ereads[j]);
  }
  return 0;
}

void sym_cone_clear(sym_ctx *S) {
  while (S->ncl > 0) {
    size_t i = S->clist[--S->ncl];

    S->cmark[i] = 0;
    S->cpos[S->q[i].pos / 64] = 0;
  }
  S->cone = 0;
}

/* Whether question i is run on a path of part of the pack: in a cone
** encoded (P_MODEL), or marked (S->cone). */
static int S_in_part(const sym_ctx *S, size_t i) {
  return S->cone ? S->cmark[i] != 0 : S->q[i].e != 0;
}

/* Whether every question rule r reads is run on a part path. */
static int S_part_rule(const sym_ctx *S, size_t r) {
  const lint_ctx *L = S->L;
  size_t j;

  if (L->ropaque[r])
    return 0;
  for (j = L->rrstart[r]; j < L->rrstart[r + 1]; j++)
    if (!S_in_part(S, L->rreads[j]))
      return 0;
  return 1;
}

/* The next question of the marked cone in topological order, from the
** cursor *w (a word of S->cpos) and *x (its bits not yet taken). */
static size_t S_cone_next(const sym_ctx *S, size_t *w, uint64_t *x) {
  size_t p;

  while (!*x)
    *x = S->cpos[++*w];
  p = *w * 64 + (size_t)__builtin_ctzll(*x);
  *x &= *x - 1;
  return S->pack->topo[p];
}

/*
** A real path: in topological order, each enable_when run on the circuit
** (the evaluator when it has a free leaf); an enabled question takes the
** model's answer (P_MODEL; random when not encoded, a valid one when the
** model has none), a random one, or a guided one. Every question enabled
** and rule fired on it is settled; returns how many were new.
*/
size_t sym_path(sym_ctx *S, int mode) {
  const cdg_pack *pack = S->pack;
  const lint_ctx *L = S->L;
  size_t nq = pack->nquestions, nr = pack->nrules, k, i, r, news = 0;
  /* A model of the cones asked, or the cones marked: only they are run.
  ** A cone is closed under what its conditions read, so each question in
  ** it is run exactly, and any answers of it extend to a complete path
  ** (every question has a valid answer: S->cone is set only then). */
  int part = (mode == P_MODEL && S->part) || S->cone;
  /* A marked cone is run from its bits by topological position (a walk
  ** of the pack made each round of guided paths cost the pack, not its
  ** cones): the other questions' answers and enabledness are then neither
  ** set nor read (no question of the cone reads them, and no witness
  ** comes of a part). */
  const size_t *list = S->cone ? S->clist : NULL;
  size_t m = list ? S->ncl : nq, w = 0;
  uint64_t x = S->cpos[0];

  S->bad = 0;
  for (k = 0; k < m; k++)
    S_put_val(S, list ? list[k] : k, -1);
  for (k = 0; k < m; k++) {
    const cdg_question *q = &pack->questions[i = list ? S_cone_next(S, &w, &x)
                                                      : pack->topo[k]];
    const sym_q *sq = &S->q[i];
    long v = -1;

    if (part && !S_in_part(S, i)) {
      S->en[i] = 0;  /* outside every cone encoded: not run */
      continue;
    }
    S_run_nodes(S, sq->n0, sq->n1);
    S->en[i] = (unsigned char)(
        sq->und ? sym_eval(S, q->enable, L->ereads + L->erstart[i],
                         L->erstart[i + 1] - L->erstart[i], L->eopaque[i])
                : S_litval(S, sq->en));
    if (!S->en[i]) {
      if (mode == P_PROP && S->pchoose)
        (void)sym_prop_answer(S, i, -1);
      continue;
    }
    if (sq->ndom == 0) {
      S->bad |= sq->required;
      continue;
    }
    if (mode == P_MODEL) {
      v = S_model(S, i);
      if (v == -2)
        v = S_random(S, i);
      else if (v < 0 &&
               (q->required || picosat_deref(S->sat, sq->e) < 0))
        v = S_any(S, i);
    } else {
      v = mode == P_RANDOM   ? S_random(S, i)
          : mode == P_GUIDED ? S_guided(S, i)
                             : S_allowed_answer(S, i);
    }
    S_put_val(S, i, v);
    if (mode == P_PROP && S->pchoose)
      S_choose(S, i);
  }
  for (r = 0; r < nr; r++) {
    if (part && !S_part_rule(S, r)) {
      S->fired[r] = 0;
      continue;
    }
    S_run_nodes(S, S->rn[r], S->rn[r + 1]);
    S->fired[r] = (unsigned char)(
        S->rund[r] ? sym_eval(S, pack->rules[r].cond, L->rreads + L->rrstart[r],
                            L->rrstart[r + 1] - L->rrstart[r], L->ropaque[r])
                   : S_litval(S, S->f[r]));
  }
  if (S->bad)
    return 0;
  for (k = 0; k < m; k++)
    if (S->en[i = list ? list[k] : k] && !S->qok[i]) {
      S->qok[i] = 1;
      news++;
    }
  for (r = 0; r < nr; r++)
    if (S->fired[r] && !S->rok[r]) {
      S->rok[r] = 1;
      news++;
    }
  for (r = 0; r < nr && !S->fired[r]; r++)
    ;
  if (r == nr && !part && !S->silent && sym_witness(S, S->silentex))
    S->silent = 1;
  return news;
}

/* ---- The over-approximation ------------------------------------------- */

/* The set of a literal: 1 can be false, 2 can be true. */
static unsigned char S_set(const sym_ctx *S, int lit) {
  unsigned char s = S->nval[lit > 0 ? lit : -lit];

  return lit > 0 ? s : (unsigned char)(((s & 1) << 1) | (s >> 1));
}

/* Whether table index k of question i is among its possible answers. */
static int S_allowed(const sym_ctx *S, size_t i, size_t k) {
  return k == 0 ? (S->q[i].poss & 1) != 0
                : (S->q[i].poss & 2) && sym_valid(S, i, k);
}

static void S_over_nodes(sym_ctx *S, size_t n0, size_t n1) {
  size_t n, j, r, idx[64], w[64];

  for (n = n0; n < n1; n++) {
    const sym_node *nd = &S->node[n];
    const sym_leaf *lf;
    unsigned char s = 0, a, b, c;

    switch (nd->op) {
    case SYM_TRUE:
      s = 2;
      break;
    case SYM_LEAF:
      lf = &S->leaf[nd->a];
      if (lf->opt) {
        const sym_q *sq = &S->q[S->lreads[lf->r0]];

        s = (unsigned char)((sq->poss & 1 ? S->tab[lf->t0] : 0) |
                            (sq->poss & 2 && sq->ndom > 1 ? S->tab[lf->t0 + 1]
                                                          : 0) |
                            (sq->poss & 2 ? S->tab[lf->t0 + 2] : 0));
        break;
      }
      for (j = 0; j < lf->nreads; j++) {
        w[j] = sym_width(S, S->lreads[lf->r0 + j]);
        idx[j] = 0;
      }
      for (r = 0; r < lf->rows && s != 3; r++) {
        for (j = 0; j < lf->nreads &&
                    S_allowed(S, S->lreads[lf->r0 + j], idx[j]); j++)
          ;
        if (j == lf->nreads)
          s |= S->tab[lf->t0 + r];
        for (j = 0; j < lf->nreads && ++idx[j] == w[j]; j++)
          idx[j] = 0;
      }
      break;
    case SYM_AND:
      a = S_set(S, nd->a);
      b = S_set(S, nd->b);
      s = (unsigned char)(((a | b) & 1) | (a & b & 2));
      break;
    case SYM_ITE:
      a = S_set(S, nd->a);
      b = S_set(S, nd->b);
      c = S_set(S, nd->c);
      s = (unsigned char)((c & 2 ? a : 0) | (c & 1 ? b : 0));
      break;
    default:
      s = 3;
    }
    S->nval[n] = s;
  }
}

/*
** Which answers each question can have on some complete path, over-
** approximated (each condition's leaves taken apart): a question no
** complete path enables and a rule none fires are proved so. Returns 1
** when some rule fires on every complete path.
*/
int sym_over(sym_ctx *S) {
  const cdg_pack *pack = S->pack;
  size_t nq = pack->nquestions, nr = pack->nrules, k, i, r;
  int always = 0;

  S->nval[1] = 2;  /* true: only true (on a path, node 1 is 1) */
  for (k = 0; k < nq; k++) {
    const cdg_question *q = &pack->questions[i = pack->topo[k]];
    sym_q *sq = &S->q[i];
    unsigned char s;

    S_over_nodes(S, sq->n0, sq->n1);
    s = S_set(S, sq->en);
    sq->poss = (unsigned char)((s & 1) | (s & 2 && !q->required) |
                               (s & 2 && sq->ndom ? 2 : 0));
    if (!(s & 2) || (!sq->ndom && q->required))
      S->qnever[i] = S->qok[i] = 1;
  }
  for (r = 0; r < nr; r++) {
    unsigned char s;

    S_over_nodes(S, S->rn[r], S->rn[r + 1]);
    s = S_set(S, S->f[r]);
    if (!(s & 2))
      S->rnever[r] = S->rok[r] = 1;
    if (!(s & 1))
      always = 1;
  }
  S->nval[1] = 1;
  return always;
}
/* ---- Witnesses -------------------------------------------------------- */

/* The answer of question i on the path as compact JSON into one (room for
** 4 * CDG_LINT_EXAMPLE_MAX), cut when long; returns its length. */
static size_t S_answer_json(const sym_ctx *S, size_t i, char *one) {
  const cdg_question *q = &S->pack->questions[i];
  long v = S->val[i];
  size_t k = lint_json_str(one, 0, q->id), j;

  one[k++] = ':';
  if (q->type == CDG_Q_MULTI) {
    one[k++] = '[';
    for (j = 0; j < q->noptions && j < SYM_MASK_BITS && k < CDG_LINT_EXAMPLE_MAX;
         j++)
      if ((v >> j) & 1) {
        if (one[k - 1] != '[')
          one[k++] = ',';
        k = lint_json_str(one, k, q->options[j].code);
      }
    one[k++] = ']';
  } else if (q->type == CDG_Q_NUMBER) {
    double x = S->q[i].num[v];
    int n = snprintf(one + k, 32, "%.15g", x);

    if (strtod(one + k, NULL) != x)
      n = snprintf(one + k, 32, "%.17g", x);
    k += (size_t)n;
  } else {
    k = lint_json_str(one, k, q->type == CDG_Q_SINGLE ? q->options[v].code
                                                      : S->q[i].str[v]);
  }
  return k;
}

/*
** The path as an answers object: out gets it compact, in pack order, cut
** after whole answers with "..." past CDG_LINT_EXAMPLE_MAX. Returns 1 when
** cdg_answers_parse accepts the whole object and the evaluator, run on
** what it parsed, agrees with the path on every rule; 0 if not.
*/
int sym_witness(sym_ctx *S, char *out) {
  const cdg_pack *pack = S->pack;
  size_t nq = pack->nquestions, n = 1, i, k, r;
  char one[4 * CDG_LINT_EXAMPLE_MAX];
  cdg_buf all = CDG_BUF_INIT; /* the whole object, for the parse */
  cdg_answers *a = NULL;
  cdg_error err;
  int cut = 0, ok;

  out[0] = '{';
  cdg_buf_putc(&all, '{');
  for (i = 0; i < nq; i++) {
    if (S->val[i] < 0)
      continue;
    k = S_answer_json(S, i, one);
    if (all.len > 1)
      cdg_buf_putc(&all, ',');
    cdg_buf_put(&all, one, k);
    if (!cut)
      cut = lint_example_put(out, &n, one, k);
  }
  out[n++] = '}';
  out[n] = '\0';
  if (cdg_buf_putc(&all, '}') != 0) { /* failures stick: one check */
    cdg_buf_free(&all);
    longjmp(S->oom, 1);
  }
  ok = cdg_answers_parse(pack, all.data, all.len, "witness", &a, &err);
  cdg_buf_free(&all);
  if (ok == CDG_ERR_NOMEM)
    longjmp(S->oom, 1);
  if (ok != CDG_OK)
    return 0;
  /* Typed once for every rule, as outcome.c does: filled per rule, a
  ** witness of 30,000 questions and 3,000 rules took 6 s. */
  (void)logic_frame_fill(S->frame, answers_data(a));
  for (r = 0; r < pack->nrules; r++) {
    int t;

    t = logic_test_frame(pack->rules[r].cond, S->frame);
    if (t == LOGIC_NOMEM) {
      cdg_answers_free(a);
      longjmp(S->oom, 1);
    }
    if ((t == 1) != S->fired[r])
      break;
  }
  cdg_answers_free(a);
  return r == pack->nrules;
}
