/*
** lint_sym.c: the path properties proved without listing paths.
**
** lint_abs.c turns each condition into a circuit over a finite, exact
** abstraction of the answers it reads (leaves tabulated by the evaluator
** itself). The properties are then settled in three passes, cheapest
** first:
**  1. An over-approximation, in topological order: which questions can be
**     absent, which answered, which conditions can be true or false, each
**     leaf over the answers its questions may have. A question it finds
**     never enabled, or a rule never firing, is proved so (the real paths
**     are among those it allows).
**  2. Real answer paths, simulated on the circuit: random ones, then ones
**     guided towards what is still open (each answer chosen to make the
**     leaves of open conditions go the way they need). Every question
**     enabled and rule fired on one is settled: one path settles hundreds.
**  3. What is left goes to PicoSAT, encoded only with its cone (what it
**     reads, transitively: lint_cnf.c), in one solver kept across calls,
**     many open properties per call (assume "one of them holds"); a model
**     is turned into a real path as in 2. Unsatisfiable is a proof.
** A condition with a free leaf (not decided exactly) is run by the
** evaluator on each path instead, and reported. Findings with a witness
** (a path citing nothing, a citation property broken) are checked by
** cdg_answers_parse and the evaluator before they are reported.
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
static int S_eval(sym_ctx *S, const logic_expr *e, const size_t *reads,
                  size_t n, int opaque) {
  size_t j, nq = S->pack->nquestions;
  int t = 0;

  for (j = 0; j < (opaque ? nq : n) && t == 0; j++) {
    size_t i = opaque ? j : reads[j];

    if (S->val[i] >= 0)
      t = sym_put(S, S->data, i, S->val[i]);
  }
  if (t == 0)
    t = logic_test(e, S->data);
  for (j = 0; j < (opaque ? nq : n); j++)
    cJSON_DeleteItemFromObjectCaseSensitive(
        S->data, S->pack->questions[opaque ? j : reads[j]].id);
  if (t == LOGIC_NOMEM || t == -1)
    longjmp(S->oom, 1);
  return t == 1;
}

static unsigned long S_next(sym_ctx *S) {
  S->seed = S->seed * 6364136223846793005UL + 1442695040888963407UL;
  return S->seed >> 33;
}

/* A random answer of question i (for a random path), or -1 (absent) for
** an optional one now and then. */
static long S_random(sym_ctx *S, size_t i) {
  const cdg_question *q = &S->pack->questions[i];
  size_t k, n = S->q[i].ndom;
  unsigned long x = S_next(S);

  if (q->type == CDG_Q_MULTI && n > SYM_MASK_BITS)
    n = SYM_MASK_BITS;  /* a path's mask holds no more */
  long m = 0;

  if (!q->required && (x & 15) == 0)
    return -1;
  x >>= 4;
  if (q->type != CDG_Q_MULTI)
    return (long)(x % n);
  k = (size_t)(x % n);
  if (q->options[k].exclusive)
    return 1L << k;
  x = S_next(S);
  for (k = 0; k < n; k++)
    if (!q->options[k].exclusive && ((x >> (k % 30)) & 1))
      m |= 1L << k;
  return m ? m : S_any(S, i);
}

/* The table index of the path's answer to question i. */
static size_t S_index(const sym_ctx *S, size_t i) {
  long v = S->val[i];

  if (v < 0)
    return 0;
  return S->pack->questions[i].type == CDG_Q_MULTI ? (size_t)v
                                                   : (size_t)v + 1;
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
      for (j = row = 0, stride = 1; j < lf->nreads && !lf->opt; j++) {
        size_t i = S->lreads[lf->r0 + j];

        row += S_index(S, i) * stride;
        stride *= sym_width(S, i);
      }
      if (lf->opt)
        row = sym_row(S, lf, S->val[S->lreads[lf->r0]]);
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
static unsigned long S_next(sym_ctx *S);

static void S_wants(sym_ctx *S) {
  size_t nq = S->pack->nquestions, nr = S->pack->nrules, i, n;

  memset(S->want, 0, S->rn[nr]);
  /* A random half of the open ones: wants of all at once pull apart. */
  for (i = 0; i < nq; i++)
    if (!S->qok[i] && (S_next(S) & 1)) {
      int l = S->q[i].en;

      S->want[l > 0 ? l : -l] |= (unsigned char)(l > 0 ? 2 : 1);
    }
  for (i = 0; i < nr; i++)
    if (!S->rok[i]) {
      int l = S->f[i];

      S->want[l > 0 ? l : -l] |= (unsigned char)(l > 0 ? 2 : 1);
    }
  for (n = S->rn[nr]; n-- > 2;) {
    const sym_node *nd = &S->node[n];
    unsigned char d = S->want[n], sw = (unsigned char)(((d & 1) << 1) |
                                                       (d >> 1));

    if (d && nd->op == SYM_LEAF && S->leaf[nd->a].nreads == 1) {
      /* Wanted only answered: the question it reads should be enabled. */
      const sym_q *sq = &S->q[S->lreads[S->leaf[nd->a].r0]];

      if (!(S->tab[S->leaf[nd->a].t0] & d) && sq->en != 1)
        S->want[sq->en > 0 ? sq->en : -sq->en] |=
            (unsigned char)(sq->en > 0 ? 2 : 1);
      continue;
    }
    if (!d || (nd->op != SYM_AND && nd->op != SYM_ITE))
      continue;
    S->want[nd->a > 0 ? nd->a : -nd->a] |= nd->a > 0 ? d : sw;
    S->want[nd->b > 0 ? nd->b : -nd->b] |= nd->b > 0 ? d : sw;
    if (nd->op == SYM_ITE)
      S->want[nd->c > 0 ? nd->c : -nd->c] = 3;
  }
}

/* The table index of a candidate answer k of question i -> path value. */
static long S_value_of(const sym_ctx *S, size_t i, size_t k) {
  if (k == 0)
    return -1;
  return S->pack->questions[i].type == CDG_Q_MULTI ? (long)k : (long)k - 1;
}

/* An answer of enabled question i that makes the most leaves reading it
** alone go the way they are wanted (ties at random); random when none. */
static long S_guided(sym_ctx *S, size_t i) {
  const cdg_question *q = &S->pack->questions[i];
  size_t w = sym_width(S, i), k, j, best = 0, ties = 0;
  long bscore = -1;

  for (j = S->qlstart[i]; j < S->qlstart[i + 1]; j++)
    if (S->want[S->qleaf[j]])
      break;
  if (j == S->qlstart[i + 1] || w == 0 || w > 64)
    return S_random(S, i);
  for (k = q->required ? 1 : 0; k < w; k++) {
    long score = 0;

    if (!sym_valid(S, i, k))
      continue;
    for (j = S->qlstart[i]; j < S->qlstart[i + 1]; j++) {
      size_t n = S->qleaf[j];
      unsigned char t = S->tab[S->leaf[S->node[n].a].t0 + k];

      score += (S->want[n] & t) != 0;
    }
    if (score > bscore) {
      bscore = score;
      best = k;
      ties = 1;
    } else if (score == bscore && S_next(S) % ++ties == 0) {
      best = k;
    }
  }
  return bscore < 0 ? S_random(S, i) : S_value_of(S, i, best);
}

/* The leaves that read one question alone, by question. */
static void S_leaf_index(sym_ctx *S) {
  size_t nq = S->pack->nquestions, n, i, m = 0;

  for (n = 2; n < S->nnode; n++)
    if (S->node[n].op == SYM_LEAF && S->leaf[S->node[n].a].nreads == 1)
      S->qlstart[S->lreads[S->leaf[S->node[n].a].r0] + 1]++;
  for (i = 0; i < nq; i++)
    S->qlstart[i + 1] += S->qlstart[i];
  m = S->qlstart[nq];
  if (!(S->qleaf = cdg_malloc((m ? m : 1) * sizeof *S->qleaf)))
    longjmp(S->oom, 1);
  for (n = 2; n < S->nnode; n++)
    if (S->node[n].op == SYM_LEAF && S->leaf[S->node[n].a].nreads == 1) {
      i = S->lreads[S->leaf[S->node[n].a].r0];
      S->qleaf[S->stack[i]++ + S->qlstart[i]] = n;
    }
  memset(S->stack, 0, nq * sizeof *S->stack);
}

/* ---- Paths ------------------------------------------------------------ */

static int S_witness(sym_ctx *S, char *out);

enum { P_MODEL, P_RANDOM, P_GUIDED, P_PROP };

/* An answer of wide multi i with the options it must have, and some of
** those it may (never an exclusive one beside others). */
static long S_wide_answer(sym_ctx *S, size_t i) {
  const cdg_question *q = &S->pack->questions[i];
  uint64_t must = S->pq.must[i], cannot = S->pq.cannot[i];
  unsigned long m = (unsigned long)must, x = S_next(S);
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
  uint64_t m = S->pq.qa[i];
  size_t w = sym_width(S, i), k, n = 0, pick;

  if (S->pq.qa && sym_wide(S, i) && (S->pq.must[i] | S->pq.cannot[i]))
    return S_wide_answer(S, i);
  if (!S->pq.qa || m == S->pq.qroot[i] || w == 0 || w > 64)
    return S_guided(S, i);
  if (S->pack->questions[i].required)
    m &= ~(uint64_t)1;
  for (k = 0; k < w; k++)
    n += ((m >> k) & 1) && sym_valid(S, i, k);
  if (n == 0)
    return S_guided(S, i);
  pick = (size_t)(S_next(S) % n);
  for (k = 0; k < w; k++)
    if (((m >> k) & 1) && sym_valid(S, i, k) && pick-- == 0)
      break;
  return S_value_of(S, i, k);
}

/*
** A real path: in topological order, each enable_when run on the circuit
** (the evaluator when it has a free leaf); an enabled question takes the
** model's answer (P_MODEL; random when not encoded, a valid one when the
** model has none), a random one, or a guided one. Every question enabled
** and rule fired on it is settled; returns how many were new.
*/
static size_t S_path(sym_ctx *S, int mode) {
  const cdg_pack *pack = S->pack;
  const lint_ctx *L = S->L;
  size_t nq = pack->nquestions, nr = pack->nrules, k, i, r, news = 0;

  S->bad = 0;
  for (i = 0; i < nq; i++)
    S->val[i] = -1;
  for (k = 0; k < nq; k++) {
    const cdg_question *q = &pack->questions[i = pack->topo[k]];
    const sym_q *sq = &S->q[i];
    long v = -1;

    S_run_nodes(S, sq->n0, sq->n1);
    S->en[i] = (unsigned char)(
        sq->und ? S_eval(S, q->enable, L->ereads + L->erstart[i],
                         L->erstart[i + 1] - L->erstart[i], L->eopaque[i])
                : S_litval(S, sq->en));
    if (!S->en[i])
      continue;
    if (sq->ndom == 0) {
      S->bad |= q->required;
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
    S->val[i] = v;
  }
  for (r = 0; r < nr; r++) {
    S_run_nodes(S, S->rn[r], S->rn[r + 1]);
    S->fired[r] = (unsigned char)(
        S->rund[r] ? S_eval(S, pack->rules[r].cond, L->rreads + L->rrstart[r],
                            L->rrstart[r + 1] - L->rrstart[r], L->ropaque[r])
                   : S_litval(S, S->f[r]));
  }
  if (S->bad)
    return 0;
  for (i = 0; i < nq; i++)
    if (S->en[i] && !S->qok[i]) {
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
  if (r == nr && !S->silent && S_witness(S, S->silentex))
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
static int S_over(sym_ctx *S) {
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
static int S_witness(sym_ctx *S, char *out) {
  const cdg_pack *pack = S->pack;
  size_t nq = pack->nquestions, n = 1, len = 1, cap = 256, i, k, r;
  char one[4 * CDG_LINT_EXAMPLE_MAX], *all = cdg_malloc(cap), *p;
  cdg_answers *a = NULL;
  cdg_error err;
  int cut = 0, ok;

  if (!all)
    longjmp(S->oom, 1);
  out[0] = all[0] = '{';
  for (i = 0; i < nq; i++) {
    if (S->val[i] < 0)
      continue;
    k = S_answer_json(S, i, one);
    if (len + k + 3 > cap) {
      cap = 2 * (len + k + 3);
      if (!(p = cdg_realloc(all, cap))) {
        cdg_free(all);
        longjmp(S->oom, 1);
      }
      all = p;
    }
    if (len > 1)
      all[len++] = ',';
    memcpy(all + len, one, k);
    len += k;
    if (cut)
      continue;
    if (n + 1 + k + 1 > CDG_LINT_EXAMPLE_MAX) {
      memcpy(out + n, n > 1 ? ",..." : "...", n > 1 ? 4 : 3);
      n += n > 1 ? 4 : 3;
      cut = 1;
      continue;
    }
    if (n > 1)
      out[n++] = ',';
    memcpy(out + n, one, k);
    n += k;
  }
  out[n++] = '}';
  out[n] = '\0';
  all[len++] = '}';
  ok = cdg_answers_parse(pack, all, len, "witness", &a, &err);
  cdg_free(all);
  if (ok == CDG_ERR_NOMEM)
    longjmp(S->oom, 1);
  if (ok != CDG_OK)
    return 0;
  for (r = 0; r < pack->nrules; r++) {
    int t = logic_test(pack->rules[r].cond, answers_data(a));

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


/* ---- Driver ----------------------------------------------------------- */

/* Propagations per SAT call (lint_set_sym_budget, for the tests). */
static unsigned long long S_budget = SYM_PROPAGATIONS;

void lint_set_sym_budget(unsigned long long propagations) {
  S_budget = propagations ? propagations : SYM_PROPAGATIONS;
}

/* picosat_sat with the budget: the limit counts from the start, so the
** budget is per call. */
static int S_sat(sym_ctx *S, int decisions) {
  picosat_set_propagation_limit(S->sat,
                                picosat_propagations(S->sat) + S_budget);
  return picosat_sat(S->sat, decisions);
}

/* One call: 1 satisfiable (and S_path run on its model), 0 unsatisfiable,
** -1 over the budget. */
static int S_solve(sym_ctx *S) {
  int res = S_sat(S, -1);

  if (res == PICOSAT_SATISFIABLE) {
    S_path(S, P_MODEL);
    return 1;
  }
  return res == PICOSAT_UNSATISFIABLE ? 0 : -1;
}

static const char *S_why(int res) {
  return res < 0 ? "the proof budget ran out"
                 : "it depends on a condition not decided exactly";
}

/*
** Settle many properties per call: assume "one of the open lits holds"
** (a fresh selector implies their disjunction, and is retired after the
** call). The default phase prefers each lit true, so a model tends to
** satisfy many. Returns 0 when the rest are unsatisfiable (each proved
** impossible), 1 when all are settled, -1 when the budget ran out, 2 when
** a model's real path settled none (through a free leaf): the rest are
** then asked one by one.
*/
static int S_batch(sym_ctx *S, const int *lits, unsigned char *ok,
                   size_t n) {
  size_t i, m, before;
  int sel, res;

  for (;;) {
    sel = sym_var(S);
    sym_lit(S, -sel);
    for (i = m = 0; i < n; i++)
      if (!ok[i]) {
        sym_lit(S, lits[i]);
        m++;
      }
    if (m == 0) {
      S->nlits = 0;
      return 1;
    }
    sym_end(S);
    picosat_assume(S->sat, sel);
    res = S_solve(S);
    picosat_add(S->sat, -sel);
    picosat_add(S->sat, 0);
    if (res <= 0)
      return res;
    for (i = before = 0; i < n; i++)
      before += !ok[i];
    if (before == m)
      return 2;
  }
}

/* 1 if some rule that fired on the path cites passage id. */
static int S_cited(const sym_ctx *S, const char *id) {
  size_t r, k;

  for (r = 0; r < S->pack->nrules; r++)
    for (k = 0; S->fired[r] && k < S->pack->rules[r].ncite; k++)
      if (strcmp(S->pack->rules[r].cite[k], id) == 0)
        return 1;
  return 0;
}

/*
** The citation property for one passage: cited <-> iff on every complete
** path. Two calls: cited and not iff, then iff and not cited; a model is a
** finding only when its real path breaks the property and its answers
** pass cdg_answers_parse.
*/
static void S_property(sym_ctx *S, const char *id) {
  const cdg_pack *pack = S->pack;
  lint_ctx *L = S->L;
  char ex[CDG_LINT_EXAMPLE_MAX + 8];
  size_t r, k, n0 = S->nnode;
  int cited = -1, cond, side, res, broken, t;

  for (r = 0; r < pack->nrules; r++)
    for (k = 0; k < pack->rules[r].ncite; k++)
      if (strcmp(pack->rules[r].cite[k], id) == 0)
        cited = -sym_cand(S, -cited, -S->f[r]);
  cond = sym_condition(S, L->prop_iff, L->prop_expr, "/rules",
                       "citation property", L->prop_id);
  sym_encode_all(S);
  sym_encode_range(S, n0, S->nnode);
  cited = sym_sat_lit(S, cited);
  cond = sym_sat_lit(S, cond);
  for (side = 0; side < 2; side++) {
    picosat_assume(S->sat, side ? -cited : cited);
    picosat_assume(S->sat, side ? cond : -cond);
    res = S_solve(S);
    if (res == 1) {
      t = S_eval(S, L->prop_expr, NULL, 0, 1);
      broken = S_cited(S, id) != t;
      if (broken && S_witness(S, ex)) {
        lint_add(L, "/rules", "citation property \"%s\" fails: passage "
                 "\"%s\" is %s, e.g. %s", L->prop_id, id,
                 side ? "not cited where it holds" : "cited where it does "
                 "not hold", ex);
        continue;
      }
      res = 2;
    }
    if (res != 0)
      lint_add(L, "/rules", "could not decide citation property \"%s\" "
               "for passage \"%s\": %s", L->prop_id, id,
               S_why(res == 2 ? 1 : res));
    else
      L->out->nproved++;
  }
}

/* Questions (rules: is_rule) still open after the paths, by SAT: each
** encoded with its cone, then asked in batches; what is left is reported. */
static void S_ask(sym_ctx *S, int is_rule) {
  const cdg_pack *pack = S->pack;
  lint_ctx *L = S->L;
  size_t n = is_rule ? pack->nrules : pack->nquestions, i, k;
  unsigned char *ok = is_rule ? S->rok : S->qok;
  unsigned char *never = is_rule ? S->rnever : S->qnever;
  char p[128];
  int res, batch = 1;

  for (i = 0; i < n; i++) {
    if (ok[i])
      continue;
    if (is_rule)
      sym_encode_rule(S, i);
    else
      sym_encode_cone(S, i);
    S->slit[i] = is_rule ? sym_sat_lit(S, S->f[i]) : S->q[i].e;
    batch = 2;
  }
  /* Each alone, dependencies first, with a small decision limit; one
  ** proved impossible becomes a fact of the propagation, which may then
  ** prove those that need it with no call. */
  for (k = 0; batch == 2 && k < n; k++) {
    int lit;

    i = is_rule ? k : pack->topo[k];
    lit = is_rule ? S->f[i] : S->q[i].en;
    if (ok[i])
      continue;
    if (S->pq.nst && sym_prop_probe(S, lit, 0) == 1) {
      res = PICOSAT_UNSATISFIABLE;
    } else {
      picosat_assume(S->sat, S->slit[i]);
      res = S_sat(S, SYM_QUICK_DECISIONS);
    }
    if (res == PICOSAT_UNSATISFIABLE) {
      never[i] = ok[i] = 1;
      if (S->pq.nst)
        sym_prop_probe(S, -lit, 1);
    } else if (res == PICOSAT_SATISFIABLE) {
      S_path(S, P_MODEL);
    }
  }
  if (batch == 2)
    batch = S_batch(S, S->slit, ok, n);
  for (i = 0; i < n; i++) {
    if (ok[i] && !never[i])
      continue;
    if (batch == 0 || never[i]) {
      res = 0;
    } else {
      picosat_assume(S->sat, S->slit[i]);
      res = S_solve(S);
    }
    if (is_rule)
      snprintf(p, sizeof p, "/rules/%zu/when", i);
    else
      snprintf(p, sizeof p, "/questions/%zu/enable_when", i);
    if (res == 0 && is_rule)
      lint_add(L, p, "rule \"%s\" can never fire", pack->rules[i].id);
    else if (res == 0)
      lint_add(L, p, "question \"%s\" can never be enabled",
               pack->questions[i].id);
    else if (!ok[i] && is_rule)
      lint_add(L, p, "could not decide whether rule \"%s\" can fire: %s",
               pack->rules[i].id, S_why(res));
    else if (!ok[i])
      lint_add(L, p, "could not decide whether question \"%s\" can be "
               "enabled: %s", pack->questions[i].id, S_why(res));
  }
}

/* Whether a complete path exists and whether one cites nothing, when the
** paths did not show it. */
static void S_silent(sym_ctx *S, int always) {
  lint_ctx *L = S->L;
  size_t nr = S->pack->nrules, r;
  int res;

  if (S->silent) {
    lint_add(L, "/rules", "some complete answer paths cite no passage, "
             "e.g. %s", S->silentex);
    return;
  }
  if (always)
    return;
  for (r = 0; r < nr; r++)
    sym_encode_rule(S, r);
  for (r = 0; r < nr; r++)
    picosat_assume(S->sat, -sym_sat_lit(S, S->f[r]));
  res = S_solve(S);
  if (res == 1 && S->silent) {
    lint_add(L, "/rules", "some complete answer paths cite no passage, "
             "e.g. %s", S->silentex);
    return;
  }
  if (res != 0)
    lint_add(L, "/rules", "could not decide whether some complete answer "
             "path cites no passage: %s", S_why(res == 1 ? 1 : res));
}

/*
** Unit propagation, before any SAT call: each open property assumed
** alone; a conflict proves it impossible. Then rounds of paths: the open
** ones assumed together as far as they agree (a conflict skips one for
** the round), the path taking the answers the propagation allows.
*/
static void S_probes(sym_ctx *S) {
  size_t nq = S->pack->nquestions, nr = S->pack->nrules, i, k, round, root;
  size_t n = nq + nr, idle, mark;
  unsigned long long budget, total;

  if (sym_prop_init(S) != 0) {
    sym_prop_free(S);  /* no complete path: the solver will say so */
    return;
  }
  /* Dependencies first; each proved impossible is a fact from then on,
  ** for those that need it. The steps are budgeted in proportion to the
  ** circuit: past that, the solver takes what is left. */
  budget = S->pq.steps + SYM_PROP_PROOF * (S->nnode + 1024);
  for (k = 0; k < nq && S->pq.steps < budget; k++) {
    i = S->pack->topo[k];
    if (!S->qok[i] && sym_prop_probe(S, S->q[i].en, 0) == 1) {
      S->qnever[i] = S->qok[i] = 1;
      sym_prop_probe(S, -S->q[i].en, 1);
    }
  }
  for (i = 0; i < nr && S->pq.steps < budget; i++)
    if (!S->rok[i] && sym_prop_probe(S, S->f[i], 0) == 1)
      S->rnever[i] = S->rok[i] = 1;
  root = S->pq.nt;
  total = S->pq.steps + SYM_PROP_PROOF * (S->nnode + 1024);
  for (round = idle = 0;
       round < SYM_PROP_ROUNDS && idle < 4 && S->pq.steps < total; round++) {
    size_t asked = 0, start = round ? S_next(S) % n : 0;

    /* From a different place each round: the first ones win. */
    budget = S->pq.steps + SYM_PROP_GUIDE * (S->nnode + 1024);
    for (k = 0; k < n && S->pq.steps < budget; k++) {
      i = (start + k) % n;
      if (i < nq ? S->qok[i] : S->rok[i - nq])
        continue;
      mark = S->pq.nt;
      if (sym_prop_probe(S, i < nq ? S->q[i].en : S->f[i - nq], 1) == 0 &&
          sym_prop_decide(S, mark) != 0)
        sym_prop_undo(S, mark);
      asked++;
    }
    if (asked == 0)
      break;
    S_wants(S);
    idle = S_path(S, P_PROP) ? 0 : idle + 1;
    sym_prop_undo(S, root);
  }
  /* What is still open may be refuted by splitting its ors, dependencies
  ** first, each refuted one a fact from then on. */
  budget = S->pq.steps + SYM_PROP_PROOF * (S->nnode + 1024);
  for (k = 0; k < n && S->pq.steps < budget; k++) {
    int lit;

    i = k < nq ? S->pack->topo[k] : k;
    if (i < nq ? S->qok[i] : S->rok[i - nq])
      continue;
    lit = i < nq ? S->q[i].en : S->f[i - nq];
    if (sym_prop_refute(S, lit, SYM_PROP_DEPTH) != 1)
      continue;
    if (i < nq) {
      S->qnever[i] = S->qok[i] = 1;
      sym_prop_probe(S, -lit, 1);
    } else {
      S->rnever[i - nq] = S->rok[i - nq] = 1;
    }
  }
  root = S->pq.nt;
  /* The last few, one by one. */
  budget = S->pq.steps + SYM_PROP_GUIDE * (S->nnode + 1024);
  for (i = k = 0; i < n && k < SYM_PROP_SINGLE && S->pq.steps < budget; i++)
    if (!(i < nq ? S->qok[i] : S->rok[i - nq])) {
      if (sym_prop_probe(S, i < nq ? S->q[i].en : S->f[i - nq], 1) == 0)
        sym_prop_decide(S, root);
      S_wants(S);
      S_path(S, P_PROP);
      sym_prop_undo(S, root);
      k++;
    }
}

static void S_queries(sym_ctx *S) {
  const cdg_pack *pack = S->pack;
  lint_ctx *L = S->L;
  size_t nq = pack->nquestions, nr = pack->nrules, i, open, idle = 0;
  int always, complete = 0;

  always = S_over(S);
  /* Random real paths, then guided ones while they settle anything. */
  S->seed = 1;
  for (i = 0; i < SYM_RANDOM_PATHS; i++) {
    S_path(S, P_RANDOM);
    complete |= !S->bad;
  }
  for (i = 0; i < SYM_GREEDY_PATHS && idle < 8; i++) {
    for (open = 0; open < nq && S->qok[open]; open++)
      ;
    if (open == nq) {
      for (open = 0; open < nr && S->rok[open]; open++)
        ;
      if (open == nr)
        break;
    }
    S_wants(S);
    idle = S_path(S, P_GUIDED) ? 0 : idle + 1;
    complete |= !S->bad;
  }
  S_probes(S);
  if (!complete) {
    /* No path found: is there a complete one at all? */
    sym_encode_all(S);
    if (S_solve(S) == 0) {
      lint_add(L, "/questions", "no complete answer path exists");
      return;
    }
  }
  S_ask(S, 0);
  S_ask(S, 1);
  sym_prop_free(S);
  S_silent(S, always);
  for (i = 0; L->prop_id && i < L->prop_n; i++)
    S_property(S, L->prop_passages[i]);
}

int lint_sym_run(lint_ctx *L) {
  const cdg_pack *pack = L->pack;
  size_t nq = pack->nquestions, nr = pack->nrules, i;
  size_t n1 = nq ? nq : 1, r1 = nr ? nr : 1;
  sym_ctx S;
  volatile int rc = 0;

  memset(&S, 0, sizeof S);
  S.L = L;
  S.pack = pack;
  if (setjmp(S.oom)) {
    rc = -1;
    goto out;
  }
  S.q = cdg_calloc(n1, sizeof *S.q);
  S.f = cdg_calloc(r1, sizeof *S.f);
  S.rn = cdg_calloc(r1 + 1, sizeof *S.rn);
  S.rund = cdg_calloc(r1, 1);
  S.slit = cdg_calloc(n1 > r1 ? n1 : r1, sizeof *S.slit);
  S.qok = cdg_calloc(n1, 1);
  S.qnever = cdg_calloc(n1, 1);
  S.rnever = cdg_calloc(r1, 1);
  S.rok = cdg_calloc(r1, 1);
  S.en = cdg_calloc(n1, 1);
  S.fired = cdg_calloc(r1, 1);
  S.mark = cdg_calloc(n1, 1);
  S.stack = cdg_calloc(n1, sizeof *S.stack);
  S.pos = cdg_calloc(n1, sizeof *S.pos);
  S.qlstart = cdg_calloc(n1 + 1, sizeof *S.qlstart);
  S.val = cdg_calloc(n1, sizeof *S.val);
  S.data = cJSON_CreateObject();
  if (!S.q || !S.f || !S.rn || !S.rund || !S.slit || !S.qnever ||
      !S.rnever || !S.qok || !S.rok || !S.en || !S.fired || !S.mark ||
      !S.stack || !S.pos || !S.qlstart || !S.val || !S.data)
    longjmp(S.oom, 1);
  for (i = 0; i < nq; i++)
    S.pos[pack->topo[i]] = i;
  sym_build(&S);
  if (!(S.nval = cdg_malloc(S.nnode)) || !(S.want = cdg_malloc(S.nnode)))
    longjmp(S.oom, 1);
  S.nval[1] = 1;
  S_leaf_index(&S);
  if (!L->nomem)
    S_queries(&S);
  for (i = 0; i < nq; i++)
    L->out->nproved += S.qok[i] && !S.qnever[i];
  for (i = 0; i < nr; i++)
    L->out->nproved += S.rok[i] && !S.rnever[i];
  L->out->nproved++;
out:
  if (rc == 0 && S.sat)
    picosat_reset(S.sat);
  while (S.blocks) {
    sym_blk *b = S.blocks;

    S.blocks = b->next;
    cdg_free(b);
  }
  if (S.q)
    for (i = 0; i < nq; i++) {
      cdg_free(S.q[i].num);
      cdg_free(S.q[i].str);
      cdg_free(S.q[i].other);
    }
  cdg_free(S.q);
  cdg_free(S.f);
  cdg_free(S.rn);
  cdg_free(S.rund);
  cdg_free(S.slit);
  cdg_free(S.qok);
  cdg_free(S.qnever);
  cdg_free(S.rnever);
  cdg_free(S.rok);
  cdg_free(S.en);
  cdg_free(S.fired);
  cdg_free(S.mark);
  cdg_free(S.stack);
  cdg_free(S.pos);
  cdg_free(S.qlstart);
  cdg_free(S.qleaf);
  cdg_free(S.val);
  cdg_free(S.node);
  cdg_free(S.leaf);
  cdg_free(S.lreads);
  cdg_free(S.tab);
  cdg_free(S.nvar);
  cdg_free(S.nval);
  cdg_free(S.want);
  cdg_free(S.lits);
  cJSON_Delete(S.data);
  logic_free(S.own);
  sym_prop_free(&S);
  return rc;
}
