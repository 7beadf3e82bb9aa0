/*
** lint_sym.c: the path properties proved without listing paths (the
** driver; the paths and the over-approximation are in lint_paths.c).
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

/* ---- Driver ----------------------------------------------------------- */

/* Propagations per SAT call (lint_set_sym_budget, for the tests). */
static unsigned long long S_budget = SYM_PROPAGATIONS;

void lint_set_sym_budget(unsigned long long propagations) {
  S_budget = propagations ? propagations : SYM_PROPAGATIONS;
}

/* Whether the paths and probes run before the windows, the tries and the
** solvers (lint_set_sym_paths, for the tests). */
static int S_paths = 1;

void lint_set_sym_paths(int on) { S_paths = on != 0; }

/* Questions a window keeps (lint_set_sym_window, for the tests). */
static size_t S_window = SYM_SAT_WINDOW;

void lint_set_sym_window(size_t questions) {
  S_window = questions ? questions : SYM_SAT_WINDOW;
}

/* picosat_sat with the budget: the limit counts from the start, so the
** budget is per call. */
static int S_sat(sym_ctx *S, int decisions) {
  picosat_set_propagation_limit(S->sat,
                                picosat_propagations(S->sat) + S_budget);
  return picosat_sat(S->sat, decisions);
}

/* One call: 1 satisfiable (and sym_path run on its model), 0 unsatisfiable,
** -1 over the budget. */
static int S_solve(sym_ctx *S) {
  int res = S_sat(S, -1);

  if (res == PICOSAT_SATISFIABLE) {
    sym_path(S, P_MODEL);
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
** call). A model's real path settles every open one it enables (the
** solver prefers questions disabled, lint_cnf.c: deciding all of them
** enabled made the search far harder). Returns 0 when the rest are unsatisfiable (each proved
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
      t = sym_eval(S, L->prop_expr, NULL, 0, 1);
      broken = S_cited(S, id) != t;
      if (broken && sym_witness(S, ex)) {
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

/* Paths for each open property alone, from the propagation's state with
** it assumed and its ors decided at random, again while that fails: what
** the windows left is mostly possible, and this cheap search finds most
** witnesses that would cost the pack's solver seconds each. In rounds,
** four times the tries of the last for each one still open, so that one
** impossible property does not take the others' share of the budget:
** paths in proportion to the pack, propagation steps to the circuit. Up
** to SYM_TRIES each: what is left then is mostly impossible (the tries
** that settled one took at most 64 on the bench shapes), and the
** solver's batch settles it for less than the rest of the budget. */
static void S_tries(sym_ctx *S, int is_rule) {
  const cdg_pack *pack = S->pack;
  size_t n = is_rule ? pack->nrules : pack->nquestions, i, k, t, per;
  size_t nq = pack->nquestions, root = S->pq.nt, work = 0, open = 1;
  size_t wcap = SYM_TRY_WORK * (nq + 1024);
  unsigned char *ok = is_rule ? S->rok : S->qok;
  unsigned long long budget =
      S->pq.steps + SYM_TRY_STEPS * (S->nnode + 1024);

  for (per = 1; open && per <= SYM_TRIES; per *= 4)
    for (k = open = 0; k < n && work < wcap && S->pq.steps < budget; k++) {
      size_t item = is_rule ? nq + k : pack->topo[k];

      i = is_rule ? k : item;
      for (t = 0; !ok[i] && t < per && S->pq.steps < budget; t++) {
        sym_prop_scope(S, item);
        if (sym_prop_probe(S, is_rule ? S->f[i] : S->q[i].en, 1) != 0)
          break; /* refuted (the probe undid itself): the solver will say */
        if (sym_prop_decide(S, root) == 0) {
          sym_wants(S);
          S->cone = S->answerable && sym_cone_add(S, item) == 0;
          work += S->cone ? S->ncl : nq;
          sym_path(S, P_PROP);
          sym_cone_clear(S);
        }
        sym_prop_undo(S, root);
      }
      open += !ok[i] && t == per;
    }
}

/* 1 when the propagation (with the facts proved so far) refutes lit of
** question i (rule i: is_rule) within its scope. */
static int S_refuted(sym_ctx *S, int is_rule, size_t i, int lit) {
  if (!S->pq.nst)
    return 0;
  sym_prop_scope(S, is_rule ? S->pack->nquestions + i : i);
  return sym_prop_probe(S, lit, 0) == 1;
}

/* Questions (rules: is_rule) still open after the paths: by windows, by
** tries alone, then by SAT, each encoded with its cone and asked in
** batches; what is left is reported. */
static void S_ask(sym_ctx *S, int is_rule) {
  const cdg_pack *pack = S->pack;
  lint_ctx *L = S->L;
  size_t n = is_rule ? pack->nrules : pack->nquestions, i, k;
  unsigned char *ok = is_rule ? S->rok : S->qok;
  unsigned char *never = is_rule ? S->rnever : S->qnever;
  char p[128];
  int res, batch = 1;
  /* The windows' solvers, all together, in proportion to the circuit. */
  unsigned long long wcap = SYM_WINDOW_TOTAL * (S->nnode + 1024);
  unsigned long long wbudget =
      S_budget < SYM_WINDOW_BUDGET ? S_budget : SYM_WINDOW_BUDGET;
  size_t wok = 0, wfail = 0; /* windows that proved, that did not */
  size_t nopen = 0;

  /* Before the pack's solver: what is left after the paths and the
  ** probes is mostly impossible, and mostly through the few questions
  ** before it, so dependencies first, each question is asked of a solver
  ** of its own that keeps only its window (sym_refute_window), small and
  ** quick where the whole cone's formula took seconds; each proved is a
  ** fact of the propagation, which then proves those that need it, rules
  ** too, with no call. Where windows mostly fail (what is open is
  ** possible, or impossible only through far questions) they stop. */
  for (k = 0; k < n; k++) {
    int lit, proved;

    i = is_rule ? k : pack->topo[k];
    lit = is_rule ? S->f[i] : S->q[i].en;
    if (ok[i])
      continue;
    proved = S_refuted(S, is_rule, i, lit);
    if (!proved && !is_rule && S->wprops < wcap &&
        (wfail < 16 || wfail < 4 * wok)) {
      proved = sym_refute_window(S, i, S_window, wbudget) == 1;
      wok += proved;
      wfail += !proved;
    }
    if (proved) {
      never[i] = ok[i] = 1;
      if (S->pq.nst && !is_rule)
        sym_prop_fact(S, -lit);
    }
  }
  if (S->pq.nst)
    S_tries(S, is_rule);
  for (i = 0; i < n; i++) {
    if (ok[i])
      continue;
    if (is_rule)
      sym_encode_rule(S, i);
    else
      sym_encode_cone(S, i);
    S->slit[i] = is_rule ? sym_sat_lit(S, S->f[i]) : S->q[i].e;
    nopen++;
  }
  if (nopen)
    batch = 2;
  /* First all together: one unsatisfiable call proves every one left
  ** impossible, and each model settles what it shows (per call the
  ** solver costs what the cones cost: one call per property would make
  ** a pack where most are impossible quadratic). One alone is asked
  ** alone. */
  if (batch == 2 && nopen > 1)
    batch = S_batch(S, S->slit, ok, n);
  /* Then, when that did not end it, each alone, dependencies first, with
  ** a small decision limit; one proved impossible becomes a fact of the
  ** propagation, which may then prove those that need it with no call. */
  for (k = 0; batch == 2 && k < n; k++) {
    int lit;

    i = is_rule ? k : pack->topo[k];
    lit = is_rule ? S->f[i] : S->q[i].en;
    if (ok[i])
      continue;
    if (S_refuted(S, is_rule, i, lit)) {
      res = PICOSAT_UNSATISFIABLE;
    } else {
      picosat_assume(S->sat, S->slit[i]);
      res = S_sat(S, SYM_QUICK_DECISIONS);
    }
    if (res == PICOSAT_UNSATISFIABLE) {
      never[i] = ok[i] = 1;
      if (S->pq.nst)
        sym_prop_fact(S, -lit);
    } else if (res == PICOSAT_SATISFIABLE) {
      sym_path(S, P_MODEL);
    }
  }
  if (batch == 2 && nopen > 1)
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

/* A path that fires no rule, guided by the propagation with every rule
** assumed not to fire, before the pack's solver is asked for one (that
** call took 5 s at 10,000 questions, bench/gen_pack_tight.py 10000 1 3):
** a few tries, the ors decided at random. A path is a finding only
** through sym_witness. Returns 1 when the assumptions alone conflict: a
** proof that every complete path fires some rule (the solver took 7 s to
** prove it at 30,000, gen_pack_tight.py 30000 2 5); else 0. A probe over
** its step limit ends the tries. */
static int S_silent_path(sym_ctx *S) {
  size_t nr = S->pack->nrules, r, t, k, root;
  int rc = 0;

  if (!S->pq.nst || S->silent)
    return 0;
  root = S->pq.nt;
  memset(S->want, 0, S->rn[nr]);  /* no wants: S_guided answers at random */
  for (t = 0; t < SYM_SILENT_TRIES && !S->silent; t++) {
    sym_prop_scope(S, (size_t)-1);
    for (r = 0; r < nr && (rc = sym_prop_probe(S, -S->f[r], 1)) == 0; r++)
      ;
    if (r < nr) {
      sym_prop_undo(S, root);
      return rc == 1;
    }
    /* Decisions are capped per call: again while some may be left. */
    for (k = 0; k <= nr / 64 && sym_prop_decide(S, root) == 0; k++)
      ;
    S->pchoose = 1;
    if (k > nr / 64)
      sym_path(S, P_PROP);
    S->pchoose = 0;
    sym_prop_undo(S, root);
  }
  return 0;
}

/* Whether a complete path exists and whether one cites nothing, when the
** paths did not show it (always, or none: proved that none does). */
static void S_silent(sym_ctx *S, int always, int none) {
  lint_ctx *L = S->L;
  size_t nr = S->pack->nrules, r;
  int res;

  if (S->silent) {
    lint_add(L, "/rules", "some complete answer paths cite no passage, "
             "e.g. %s", S->silentex);
    return;
  }
  if (always || none)
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

/* Probe property k (lit) alone, from trail mark mark, noting what it
** needs (sym_prop_need) when it holds; the state is left as it was. */
static int S_probe_alone(sym_ctx *S, size_t k, int lit, size_t mark) {
  int rc = sym_prop_probe(S, lit, 1);

  if (rc == 0) {
    sym_prop_need(S, k, mark);
    sym_prop_undo(S, mark);
  }
  return rc;
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
  int cone = S->answerable;

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
    if (S->qok[i])
      continue;
    sym_prop_scope(S, i);
    mark = S->pq.nt;
    if (S_probe_alone(S, i, S->q[i].en, mark) == 1) {
      S->qnever[i] = S->qok[i] = 1;
      sym_prop_fact(S, -S->q[i].en);
    }
  }
  for (i = 0; i < nr && S->pq.steps < budget; i++) {
    if (S->rok[i])
      continue;
    sym_prop_scope(S, nq + i);
    mark = S->pq.nt;
    if (S_probe_alone(S, nq + i, S->f[i], mark) == 1)
      S->rnever[i] = S->rok[i] = 1;
  }
  root = S->pq.nt;
  total = S->pq.steps + SYM_PROP_PROOF * (S->nnode + 1024);
  for (round = idle = 0;
       round < SYM_PROP_ROUNDS && idle < 4 && S->pq.steps < total; round++) {
    size_t asked = 0, start = round ? sym_next(S) % n : 0, k0 = 0;

    /* From a different place each round: the first ones win. The open
    ** ones are in S->wopen (with some settled since), in order: a round
    ** costs what is open, not the pack. */
    budget = S->pq.steps + SYM_PROP_GUIDE * (S->nnode + 1024);
    while (k0 < S->nwopen && S->wopen[k0] < start)
      k0++;
    for (k = 0; k < S->nwopen && S->pq.steps < budget; k++) {
      i = S->wopen[(k0 + k) % S->nwopen];
      if (i < nq ? S->qok[i] : S->rok[i - nq])
        continue;
      mark = S->pq.nt;
      sym_prop_scope(S, i);
      asked++;
      /* Needs the state allows none of: the probe would conflict. */
      if (sym_prop_needless(S, i) ||
          sym_prop_probe(S, i < nq ? S->q[i].en : S->f[i - nq], 1) != 0)
        continue;
      if (sym_prop_decide(S, mark) != 0) {
        sym_prop_undo(S, mark);
        continue;
      }
      cone = cone && sym_cone_add(S, i) == 0;
    }
    if (asked == 0)
      break;
    sym_wants(S);
    /* Only the cones of those the state agrees with are run: a round
    ** costs what they cost, not the whole pack (the open ones shrink, the
    ** pack does not). The path settles those (bench far, 100k: 16,158
    ** agreed, 16,319 settled in all rounds); the cones of all asked made
    ** it run 3.8 times as many questions for the other 161. */
    S->cone = cone;
    /* A round that settles under 1/64 of those it asked is idle: what is
    ** left is then mostly impossible, which paths never settle; the
    ** refutations and the solver below take it. */
    idle = sym_path(S, P_PROP) * 64 >= asked ? 0 : idle + 1;
    sym_cone_clear(S);
    cone = S->answerable;
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
    sym_prop_scope(S, i);
    if (sym_prop_refute(S, lit, SYM_PROP_DEPTH) != 1)
      continue;
    if (i < nq) {
      S->qnever[i] = S->qok[i] = 1;
      sym_prop_fact(S, -lit);
    } else {
      S->rnever[i - nq] = S->rok[i - nq] = 1;
    }
  }
  root = S->pq.nt;
  /* The last few, one by one. */
  budget = S->pq.steps + SYM_PROP_GUIDE * (S->nnode + 1024);
  for (i = k = 0; i < n && k < SYM_PROP_SINGLE && S->pq.steps < budget; i++)
    if (!(i < nq ? S->qok[i] : S->rok[i - nq])) {
      sym_prop_scope(S, i);
      if (sym_prop_probe(S, i < nq ? S->q[i].en : S->f[i - nq], 1) == 0)
        sym_prop_decide(S, root);
      sym_wants(S);
      S->cone = S->answerable && sym_cone_add(S, i) == 0;
      sym_path(S, P_PROP);
      sym_cone_clear(S);
      sym_prop_undo(S, root);
      k++;
    }
}

static void S_queries(sym_ctx *S) {
  const cdg_pack *pack = S->pack;
  lint_ctx *L = S->L;
  size_t nq = pack->nquestions, nr = pack->nrules, i, open, idle = 0;
  int always, complete = 0, none;

  always = sym_over(S);
  /* Random real paths, then guided ones while they settle anything. */
  S->seed = 1;
  for (i = 0; S_paths && i < SYM_RANDOM_PATHS; i++) {
    sym_path(S, P_RANDOM);
    complete |= !S->bad;
  }
  for (i = 0; S_paths && i < SYM_GREEDY_PATHS && idle < 8; i++) {
    for (open = 0; open < nq && S->qok[open]; open++)
      ;
    if (open == nq) {
      for (open = 0; open < nr && S->rok[open]; open++)
        ;
      if (open == nr)
        break;
    }
    sym_wants(S);
    idle = sym_path(S, P_GUIDED) ? 0 : idle + 1;
    complete |= !S->bad;
  }
  if (S_paths)
    S_probes(S);
  else if (sym_prop_init(S) != 0)  /* the windows and tries still use it */
    sym_prop_free(S);
  if (!complete) {
    /* No path found: is there a complete one at all? */
    sym_encode_all(S);
    if (S_solve(S) == 0) {
      lint_add(L, "/questions", "no complete answer path exists");
      return;
    }
  }
  S->part = 1;
  S_ask(S, 0);
  S_ask(S, 1);
  S->part = 0;
  none = !always && S_silent_path(S);
  sym_prop_free(S);
  S_silent(S, always, none);
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
  S.qlstart = cdg_calloc(n1 + 1, sizeof *S.qlstart);
  S.val = cdg_calloc(n1, sizeof *S.val);
  S.prow = cdg_calloc(n1, sizeof *S.prow);
  S.cmark = cdg_calloc(n1, 1);
  S.clist = cdg_calloc(n1, sizeof *S.clist);
  S.cpos = cdg_calloc(n1 / 64 + 1, sizeof *S.cpos);
  S.data = cJSON_CreateObject();
  S.frame = logic_frame_create(pack->slots);
  if (!S.frame || !S.q || !S.f || !S.rn || !S.rund || !S.slit || !S.qnever ||
      !S.rnever || !S.qok || !S.rok || !S.en || !S.fired || !S.mark ||
      !S.stack || !S.qlstart || !S.val || !S.prow || !S.cmark ||
      !S.clist || !S.cpos || !S.data)
    longjmp(S.oom, 1);
  if (nq > UINT32_MAX)
    longjmp(S.oom, 1);  /* nodes and places are 32 bits */
  for (i = 0; i < nq; i++)
    S.q[pack->topo[i]].pos = (uint32_t)i;
  sym_build(&S);
  for (i = 0; i < nq && S.q[i].ndom > 0; i++)
    ;
  S.answerable = i == nq;
  S.nval = cdg_malloc(S.nnode);
  S.want = cdg_calloc(S.nnode, 1);  /* sym_wants clears what it marked */
  S.wmark = cdg_calloc(nq / 64 + 1, sizeof *S.wmark);
  S.rmark = cdg_calloc(nr / 64 + 1, sizeof *S.rmark);
  S.wopen = cdg_malloc((nq + nr + 1) * sizeof *S.wopen);
  if (!S.nval || !S.want || !S.wmark || !S.rmark || !S.wopen)
    longjmp(S.oom, 1);
  for (S.nwopen = 0; S.nwopen < nq + nr; S.nwopen++)
    S.wopen[S.nwopen] = S.nwopen;
  S.nval[1] = 1;
  sym_leaf_index(&S);
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
  cdg_free(S.qlstart);
  cdg_free(S.qleaf);
  cdg_free(S.qlt0);
  cdg_free(S.val);
  cdg_free(S.prow);
  cdg_free(S.cmark);
  cdg_free(S.clist);
  cdg_free(S.cpos);
  cdg_free(S.wsave);
  cdg_free(S.node);
  cdg_free(S.leaf);
  cdg_free(S.lreads);
  cdg_free(S.tab);
  cdg_free(S.nvar);
  cdg_free(S.nval);
  cdg_free(S.want);
  cdg_free(S.wmark);
  cdg_free(S.rmark);
  cdg_free(S.wopen);
  cdg_free(S.lits);
  cJSON_Delete(S.data);
  logic_frame_free(S.frame);
  cdg_free(S.lht);
  cdg_buf_free(&S.shapes);
  cdg_buf_free(&S.shape);
  logic_free(S.own);
  sym_prop_free(&S);
  return rc;
}
