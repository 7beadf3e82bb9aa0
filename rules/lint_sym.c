/*
** lint_sym.c: the path properties proved without listing paths.
**
** lint_abs.c turns the pack into one formula (completeness: a disabled
** question is absent, an enabled required one answered, each answer
** valid; each condition over a finite abstraction of the answers), given
** to PicoSAT once; each property is a call with assumptions: questions
** enabled, rules firing, no rule firing, a citation property broken.
** Unsatisfiable is a proof. A model is turned into a real answer path (in
** topological order, each condition run through logic_test on the answers
** it reads) and the property is checked on that path; every question
** enabled and rule fired there is settled at once, so most properties need
** no call of their own. A model whose path does not show its property
** (possible only through a free leaf) leaves the property undecided, and
** that is reported. Random answer paths, run first, settle many
** properties before any call.
**
** Memory: PicoSAT allocates through S_mem_*, which count against the
** library's allocator and longjmp out when it fails (PicoSAT itself would
** abort); every block it holds is then freed from the list kept here.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "lint_sym.h"

/* ---- PicoSAT's memory ------------------------------------------------- */

static void *S_mem_new(void *st, size_t size) {
  sym_ctx *S = st;
  sym_blk *b = cdg_malloc(sizeof *b + size);

  if (!b)
    longjmp(S->oom, 1);
  b->prev = NULL;
  b->next = S->blocks;
  if (S->blocks)
    S->blocks->prev = b;
  S->blocks = b;
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
  nb->prev = NULL;
  nb->next = S->blocks;
  if (S->blocks)
    S->blocks->prev = nb;
  S->blocks = nb;
  return nb->align;
}

/* ---- Real paths ------------------------------------------------------- */

/* The model's answer to question i: -1 absent, else the value index
** (multi: the mask of options). */
static long S_model(const sym_ctx *S, size_t i) {
  const sym_q *sq = &S->q[i];
  size_t k;
  long m = 0;

  if (S->pack->questions[i].type == CDG_Q_MULTI) {
    for (k = 0; k < sq->ndom; k++)
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
  for (k = 0; k < q->noptions; k++)
    if (!q->options[k].exclusive)
      return 1L << k;
  return 1;
}

/* logic_test of e on the answers of the path to what it reads (all of
** them when opaque). */
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

/* A random answer of question i (for a random path), or -1 (absent) for
** an optional one now and then. */
static long S_random(sym_ctx *S, size_t i) {
  const cdg_question *q = &S->pack->questions[i];
  size_t k, n = S->q[i].ndom;
  long m = 0;

  S->seed = S->seed * 6364136223846793005UL + 1442695040888963407UL;
  if (!q->required && (S->seed >> 60) == 0)
    return -1;
  if (q->type != CDG_Q_MULTI)
    return (long)((S->seed >> 33) % n);
  k = (size_t)((S->seed >> 33) % n);
  if (q->options[k].exclusive)
    return 1L << k;
  for (k = 0; k < n; k++)
    if (!q->options[k].exclusive && ((S->seed >> (20 + k % 40)) & 1))
      m |= 1L << k;
  return m ? m : S_any(S, i);
}

/*
** A real path: in topological order, each enable_when run by the
** evaluator; an enabled question takes the current model's answer (model
** 1), or a valid one when the model has none; model 2: random answers.
** Every question enabled and rule fired on it is settled.
*/
static void S_path(sym_ctx *S, int model) {
  const cdg_pack *pack = S->pack;
  const lint_ctx *L = S->L;
  size_t nq = pack->nquestions, k, i, r;

  for (i = 0; i < nq; i++)
    S->val[i] = -1;
  for (k = 0; k < nq; k++) {
    const cdg_question *q = &pack->questions[i = pack->topo[k]];
    long v = model == 1 ? S_model(S, i) : -1;

    S->en[i] = !q->enable ||
               S_eval(S, q->enable, L->ereads + L->erstart[i],
                      L->erstart[i + 1] - L->erstart[i], L->eopaque[i]);
    if (!S->en[i])
      continue;
    S->qok[i] = 1;
    if (model == 2)
      v = S_random(S, i);
    else if (v < 0 && (q->required ||
                       (model && picosat_deref(S->sat, S->q[i].e) < 0)))
      v = S_any(S, i);
    S->val[i] = v;
  }
  for (r = 0; r < pack->nrules; r++) {
    S->fired[r] = (unsigned char)S_eval(
        S, pack->rules[r].cond, L->rreads + L->rrstart[r],
        L->rrstart[r + 1] - L->rrstart[r], L->ropaque[r]);
    if (S->fired[r])
      S->rok[r] = 1;
  }
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
    for (j = 0; j < q->noptions && k < CDG_LINT_EXAMPLE_MAX; j++)
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

/* One call: 1 satisfiable (and S_path run on its model), 0 unsatisfiable,
** -1 over the budget. */
static int S_solve(sym_ctx *S) {
  int res;

  /* The limit counts from the start: the budget is per call. */
  picosat_set_propagation_limit(
      S->sat, picosat_propagations(S->sat) + SYM_PROPAGATIONS);
  res = picosat_sat(S->sat, -1);
  if (res == PICOSAT_SATISFIABLE) {
    S_path(S, 1);
    return 1;
  }
  return res == PICOSAT_UNSATISFIABLE ? 0 : -1;
}

static const char *S_why(int res) {
  return res < 0 ? "the proof budget ran out"
                 : "it depends on a condition not decided exactly";
}

/*
** Before the batches, each unsettled lit alone with a small decision
** limit: most impossible ones fail by propagation at once, and are
** proved (never[i]); S_batch then mostly meets satisfiable ones. ok[i] is
** set too, so S_batch skips them; the caller tells the two apart.
*/
static void S_quick_never(sym_ctx *S, const int *lits, unsigned char *ok,
                          unsigned char *never, size_t n) {
  size_t i;
  int res;

  for (i = 0; i < n; i++) {
    if (ok[i])
      continue;
    picosat_assume(S->sat, lits[i]);
    res = picosat_sat(S->sat, SYM_QUICK_DECISIONS);
    if (res == PICOSAT_UNSATISFIABLE)
      never[i] = ok[i] = 1;
    else if (res == PICOSAT_SATISFIABLE)
      S_path(S, 1);
  }
}

/*
** Settle many properties per call: assume "one of the unsettled lits
** holds" (a fresh selector implies their disjunction, and is retired after
** the call). The default phase prefers each lit true, so a model tends to
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
  size_t r, k;
  int cited = -S->tru, cond, side, res, broken, t;

  for (r = 0; r < pack->nrules; r++)
    for (k = 0; k < pack->rules[r].ncite; k++)
      if (strcmp(pack->rules[r].cite[k], id) == 0)
        cited = -sym_and(S, -cited, -S->f[r]);
  cond = sym_condition(S, L->prop_iff, L->prop_expr, "/rules",
                     "citation property", L->prop_id);
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

static void S_queries(sym_ctx *S) {
  const cdg_pack *pack = S->pack;
  lint_ctx *L = S->L;
  size_t nq = pack->nquestions, nr = pack->nrules, i, r;
  char p[128], ex[CDG_LINT_EXAMPLE_MAX + 8];
  int res, batch;

  /* Random real paths first: each settles what it shows, at the
  ** evaluator's speed. */
  S->seed = 1;
  for (i = 0; i < SYM_RANDOM_PATHS; i++)
    S_path(S, 2);
  /* A first model: settles what any path shows. */
  if ((res = S_solve(S)) == 0) {
    lint_add(L, "/questions", "no complete answer path exists");
    return;
  }
  for (i = 0; i < nq; i++)
    S->elit[i] = S->q[i].e;
  S_quick_never(S, S->elit, S->qok, S->qnever, nq);
  batch = S_batch(S, S->elit, S->qok, nq);
  for (i = 0; i < nq; i++) {
    if (S->qok[i] && !S->qnever[i])
      continue;
    if (batch == 0 || S->qnever[i]) {
      res = 0;
    } else {
      picosat_assume(S->sat, S->q[i].e);
      res = S_solve(S);
    }
    snprintf(p, sizeof p, "/questions/%zu/enable_when", i);
    if (res == 0)
      lint_add(L, p, "question \"%s\" can never be enabled",
               pack->questions[i].id);
    else if (!S->qok[i])
      lint_add(L, p, "could not decide whether question \"%s\" can be "
               "enabled: %s", pack->questions[i].id, S_why(res));
  }
  S_quick_never(S, S->f, S->rok, S->rnever, nr);
  batch = S_batch(S, S->f, S->rok, nr);
  for (r = 0; r < nr; r++) {
    if (S->rok[r] && !S->rnever[r])
      continue;
    if (batch == 0 || S->rnever[r]) {
      res = 0;
    } else {
      picosat_assume(S->sat, S->f[r]);
      res = S_solve(S);
    }
    snprintf(p, sizeof p, "/rules/%zu/when", r);
    if (res == 0)
      lint_add(L, p, "rule \"%s\" can never fire", pack->rules[r].id);
    else if (!S->rok[r])
      lint_add(L, p, "could not decide whether rule \"%s\" can fire: %s",
               pack->rules[r].id, S_why(res));
  }
  /* Some complete path on which no rule fires? */
  for (r = 0; r < nr; r++)
    picosat_assume(S->sat, -S->f[r]);
  res = S_solve(S);
  if (res == 1) {
    for (r = 0; r < nr && !S->fired[r]; r++)
      ;
    if (r == nr && S_witness(S, ex))
      lint_add(L, "/rules", "some complete answer paths cite no passage, "
               "e.g. %s", ex);
    else
      res = 2;
  }
  if (res < 0 || res == 2)
    lint_add(L, "/rules", "could not decide whether some complete answer "
             "path cites no passage: %s", S_why(res == 2 ? 1 : res));
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
  S.elit = cdg_calloc(n1, sizeof *S.elit);
  S.qok = cdg_calloc(n1, 1);
  S.qnever = cdg_calloc(n1, 1);
  S.rnever = cdg_calloc(r1, 1);
  S.rok = cdg_calloc(r1, 1);
  S.en = cdg_calloc(n1, 1);
  S.fired = cdg_calloc(r1, 1);
  S.val = cdg_calloc(n1, sizeof *S.val);
  S.data = cJSON_CreateObject();
  if (!S.q || !S.f || !S.elit || !S.qnever || !S.rnever || !S.qok || !S.rok || !S.en || !S.fired || !S.val ||
      !S.data)
    longjmp(S.oom, 1);
  S.sat = picosat_minit(&S, S_mem_new, S_mem_resize, S_mem_delete);
  sym_build(&S);
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
  cdg_free(S.elit);
  cdg_free(S.qok);
  cdg_free(S.qnever);
  cdg_free(S.rnever);
  cdg_free(S.rok);
  cdg_free(S.en);
  cdg_free(S.fired);
  cdg_free(S.val);
  cdg_free(S.lits);
  cJSON_Delete(S.data);
  logic_free(S.own);
  return rc;
}

