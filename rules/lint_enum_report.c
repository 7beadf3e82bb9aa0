/*
** lint_enum_report.c: the findings of the path enumeration (lint_enum.c):
** what no path enabled or fired, a path citing nothing, what is too large
** to enumerate, and what the answers tried do not decide (lint_exact.h).
*/
#include <stdio.h>
#include <string.h>

#include "lint_enum.h"

/* One complete path citing nothing, as compact JSON in pack order, cut
** after whole answers with "..." when it would exceed CDG_LINT_EXAMPLE_MAX. */
static void S_example(const cdg_pack *pack, const enum_state *E, char *out) {
  char one[4 * CDG_LINT_EXAMPLE_MAX];
  size_t n = 1, k, i, j;

  out[0] = '{';
  for (i = 0; i < pack->nquestions; i++) {
    const cdg_question *q = &pack->questions[i];
    const enum_ex *x = &E->ex[E->pos[i]];

    if (!x->present)
      continue;
    k = lint_json_str(one, 0, q->id);
    one[k++] = ':';
    if (q->type == CDG_Q_MULTI) {
      one[k++] = '[';
      for (j = 0; j < q->noptions && k < CDG_LINT_EXAMPLE_MAX; j++)
        if (x->u.mask & (1UL << j)) {
          if (one[k - 1] != '[')
            one[k++] = ',';
          k = lint_json_str(one, k, q->options[j].code);
        }
      one[k++] = ']';
    } else if (q->type == CDG_Q_NUMBER) {
      k += (size_t)snprintf(one + k, sizeof one - k, "%.15g", x->u.num);
    } else {
      k = lint_json_str(one, k, x->u.str);
    }
    if (lint_example_put(out, &n, one, k))
      break;
  }
  out[n++] = '}';
  out[n] = '\0';
}

/* Conclusions of the exhaustive pass. */
void lint_enum_report(lint_ctx *L, enum_state *E) {
  const cdg_pack *pack = L->pack;
  size_t nq = pack->nquestions, i, c;
  int silent = 1, big = 0, und;
  char p[128], ex[CDG_LINT_EXAMPLE_MAX + 8];
  static const char undec[] = "could not decide whether ";
  static const char why[] = ": it depends on a condition not decided exactly";

  /* A group with a condition the answers tried do not decide: only what
  ** a path showed holds; the rest is undecided, and said so. */
  for (i = 0; i < nq; i++)
    if (E->qinx[i] && !E->cbad[E->comp[i]])
      E->cbad[E->comp[i]] = 2;
  for (i = 0; i < pack->nrules; i++)
    if (E->rinx[i] && E->rrstart[i + 1] > E->rrstart[i] &&
        !E->cbad[E->comp[E->rreads[E->rrstart[i]]]])
      E->cbad[E->comp[E->rreads[E->rrstart[i]]]] = 2;
  for (c = 0; c < E->ncomp; c++) {
    if (E->cbad[c] == 2) {
      silent = 0;
    } else if (E->cbad[c]) {
      big = 1;
      size_t first = nq;

      for (i = E->cstart[c]; i < E->cstart[c + 1]; i++)
        if (E->order[i] < first)
          first = E->order[i];
      snprintf(p, sizeof p, "/questions/%zu", first);
      lint_add(L, p, "exhaustive check too large: over %llu answer paths in "
            "the questions connected to \"%s\"", E->budget,
            pack->questions[first].id);
      silent = 0;  /* undecided: say nothing */
    } else if (!E->csilent[c]) {
      silent = 0;
    }
  }
  for (i = 0; i < nq; i++) {
    if (E->qfailed[i]) {
      snprintf(p, sizeof p, "/questions/%zu/enable_when", i);
      lint_add(L, p, "enable_when of question \"%s\" cannot be evaluated on "
            "some answers", pack->questions[i].id);
    }
    snprintf(p, sizeof p, "/questions/%zu/enable_when", i);
    if (E->qinx[i])
      lint_add(L, p, "enable_when of question \"%s\" is not decided exactly "
               "by the enumeration: it reads a number or text answer other "
               "than by comparing it with constants, or a computed name",
               pack->questions[i].id);
    /* An opaque condition was run on the answers of its group only. */
    if ((E->reached[i] && !E->eopaque[i]) || E->cbad[E->comp[i]] == 1)
      continue;
    und = E->cbad[E->comp[i]] == 2;
    lint_add(L, p, "%squestion \"%s\" can%s be enabled%s", und ? undec : "",
             pack->questions[i].id, und ? "" : " never", und ? why : "");
  }
  for (i = 0; i < pack->nrules; i++) {
    if (E->rfailed[i]) {
      snprintf(p, sizeof p, "/rules/%zu/when", i);
      lint_add(L, p, "rule \"%s\" cannot be evaluated on some answers",
            pack->rules[i].id);
    }
    c = E->rrstart[i + 1] > E->rrstart[i]
            ? E->cbad[E->comp[E->rreads[E->rrstart[i]]]]
            : 0;
    snprintf(p, sizeof p, "/rules/%zu/when", i);
    if (E->rinx[i])
      lint_add(L, p, "rule \"%s\" is not decided exactly by the "
               "enumeration: it reads a number or text answer other than by "
               "comparing it with constants, or a computed name",
               pack->rules[i].id);
    if ((E->rfired[i] && !E->ropaque[i]) || c == 1)
      continue;
    und = c == 2 || E->rinx[i];
    lint_add(L, p, "%srule \"%s\" can%s fire%s", und ? undec : "",
             pack->rules[i].id, und ? "" : " never", und ? why : "");
  }
  /* A constant rule that fires does so on every path. */
  for (i = E->rstart[nq]; i < E->rstart[nq + 1]; i++)
    if (E->rfired[E->rlist[i]] && !E->ropaque[E->rlist[i]])
      silent = 0, big = 1; /* decided: no path cites nothing */
  if (E->inexact && !big)
    lint_add(L, "/rules", "%ssome complete answer path cites no passage%s",
             undec, why);
  else if (silent && !E->inexact) {
    S_example(pack, E, ex);
    lint_add(L, "/rules", "some complete answer paths cite no passage, e.g. %s",
          ex);
  }
}

