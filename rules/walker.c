/*
** walker.c: walking a pack one question at a time.
**
** The walker keeps two answer sets. raw holds everything the user said;
** it supplies the defaults shown when a question comes back. eff holds
** the answers that count: those of questions on the history stack that
** are enabled, evaluated in dependency order (pack->topo), so an answer
** that disables a later question drops that question's answer from eff
** and from the history (it stays in raw). Every change rebuilds eff from
** raw and the history, and commits only when the rebuild succeeded, so a
** failed call leaves the walker as it was. An optional question can be
** skipped: it goes on the history with no answer (skipped), counts as
** done, and comes back with back like any other.
**
** Progress is an estimate. answered counts eff. remaining counts the
** unanswered questions that are enabled now, plus those whose enable_when
** reads an unanswered question that is itself counted (a question that
** could still be asked might enable them). It can overcount: a question
** counted this way may stay disabled. If a condition cannot be evaluated
** (out of memory), next, complete and progress treat the question as
** enabled, so nothing is skipped silently.
*/
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "answers.h"
#include "pack.h"

#define S_NONE SIZE_MAX

struct cdg_walker {
  const cdg_pack *pack;
  cdg_answers *raw; /* everything said: the defaults */
  cdg_answers *eff; /* what counts now */
  size_t *hist;     /* question indexes in answer order, each at most once */
  size_t nhist;
  unsigned char *skipped; /* on the history with no answer */
  logic_frame *frame; /* eff typed for the enable_when (logic_slots.h) */
};

/* A walker error: a message only (no file, no position). */
#define S_err(err, st, ...) cdg_error_set(err, st, NULL, NULL, __VA_ARGS__)

cdg_status cdg_walker_new(const cdg_pack *pack, cdg_walker **out) {
  cdg_walker *w = cdg_calloc(1, sizeof *w);

  *out = NULL;
  if (!w)
    return CDG_ERR_NOMEM;
  w->pack = pack;
  w->hist = cdg_calloc(pack->nquestions, sizeof *w->hist);
  w->skipped = cdg_calloc(pack->nquestions, 1);
  if (!w->hist || !w->skipped || cdg_answers_new(pack, &w->raw) ||
      cdg_answers_new(pack, &w->eff) ||
      !(w->frame = logic_frame_create(pack->slots)) ||
      logic_frame_fill(w->frame, answers_data(w->eff)) != CDG_OK) {
    cdg_walker_free(w);
    return CDG_ERR_NOMEM;
  }
  *out = w;
  return CDG_OK;
}

void cdg_walker_free(cdg_walker *w) {
  if (!w)
    return;
  cdg_answers_free(w->raw);
  cdg_answers_free(w->eff);
  cdg_free(w->hist);
  cdg_free(w->skipped);
  logic_frame_free(w->frame);
  cdg_free(w);
}

/* Whether q is enabled by the answers the frame holds (w->eff, or the
** set being rebuilt): 1, 0, or -1 when it cannot be evaluated, as
** cdg_answers_enabled. */
static int S_on(const cdg_walker *w, const cdg_question *q) {
  int t = q->enable ? logic_test_frame(q->enable, w->frame) : 1;

  return t < 0 ? -1 : t;
}

/*
** Rebuild eff from raw and a candidate history: cand[0..n) without top,
** then top (unless S_NONE), which is skipped when top_skip is set. cand
** may be w->hist; the entries of cand are skipped as w->skipped says,
** unless fresh (no entry skipped). On success raw, the filtered history
** and its skips become the walker's; on failure nothing changes and raw
** is left to the caller.
*/
static cdg_status S_rebuild(cdg_walker *w, cdg_answers *raw,
                            const size_t *cand, size_t n, size_t top,
                            int top_skip, int fresh) {
  const cdg_pack *p = w->pack;
  unsigned char *keep = cdg_calloc(p->nquestions, 1);
  unsigned char *skip = cdg_calloc(p->nquestions, 1);
  cdg_answers *eff = NULL;
  size_t k, j = 0;
  cdg_status st = CDG_ERR_NOMEM;

  if (!keep || !skip || (st = cdg_answers_new(p, &eff))) {
    cdg_free(keep);
    cdg_free(skip);
    return st;
  }
  for (k = 0; k < n; k++) {
    keep[cand[k]] = 1;
    skip[cand[k]] = (unsigned char)(!fresh && w->skipped[cand[k]]);
  }
  if (top != S_NONE) {
    keep[top] = 1;
    skip[top] = (unsigned char)top_skip;
  }
  /* the frame follows eff as it grows; w->eff's again on failure */
  st = logic_frame_fill(w->frame, answers_data(eff));
  for (k = 0; k < p->nquestions && !st; k++) {
    size_t i = p->topo[k];
    const cJSON *v = answers_get(raw, i);
    int on;

    if (!keep[i] || (!v && !skip[i])) {
      keep[i] = skip[i] = 0;
      continue;
    }
    on = S_on(w, &p->questions[i]);
    if (on < 0)
      st = CDG_ERR_NOMEM;
    else if (!on)
      keep[i] = skip[i] = 0;
    else if (!skip[i] && !(st = answers_put(eff, i, v)))
      logic_frame_put(w->frame, p->questions[i].id, answers_get(eff, i));
  }
  if (st) {
    /* cannot fail: the frame was made for the pack's slots */
    (void)logic_frame_fill(w->frame, answers_data(w->eff));
    cdg_answers_free(eff);
    cdg_free(keep);
    cdg_free(skip);
    return st;
  }
  for (k = 0; k < n; k++)
    if (cand[k] != top && keep[cand[k]])
      w->hist[j++] = cand[k];
  if (top != S_NONE && keep[top])
    w->hist[j++] = top;
  w->nhist = j;
  cdg_free(w->skipped);
  w->skipped = skip;
  cdg_answers_free(w->eff);
  w->eff = eff;
  if (raw != w->raw) {
    cdg_answers_free(w->raw);
    w->raw = raw;
  }
  cdg_free(keep);
  return CDG_OK;
}

cdg_status cdg_walker_restore(cdg_walker *w, const cdg_answers *a) {
  const cdg_pack *p = w->pack;
  cdg_answers *raw;
  size_t *cand, i, n = 0;
  cdg_status st;

  if (answers_pack(a) != p)
    return CDG_ERR_STATE;
  cand = cdg_calloc(p->nquestions, sizeof *cand);
  if (!cand)
    return CDG_ERR_NOMEM;
  if ((st = cdg_answers_copy(a, &raw))) {
    cdg_free(cand);
    return st;
  }
  for (i = 0; i < p->nquestions; i++)
    if (answers_get(raw, i))
      cand[n++] = i;
  st = S_rebuild(w, raw, cand, n, S_NONE, 0, 1);
  if (st)
    cdg_answers_free(raw);
  cdg_free(cand);
  return st;
}

const cdg_question *cdg_walker_next(cdg_walker *w) {
  const cdg_pack *p = w->pack;
  size_t i;

  for (i = 0; i < p->nquestions; i++)
    if (!answers_get(w->eff, i) && !w->skipped[i] &&
        S_on(w, &p->questions[i]) != 0)
      return &p->questions[i];
  return NULL;
}

/* The three answer calls differ only in how the value is set. */
typedef struct S_value {
  const char *const *codes;
  size_t n;
  double number;
  const char *text;
  cdg_qtype kind; /* CDG_Q_SINGLE for codes of either kind */
} S_value;

/* The question qid, when it exists and is enabled now; else NULL, and
** *st and err say why. */
static const cdg_question *S_asked(const cdg_walker *w, const char *qid,
                                   cdg_status *st, cdg_error *err) {
  const cdg_question *q = cdg_pack_find_question(w->pack, qid);
  int on;

  if (!q) {
    *st = S_err(err, CDG_ERR_ANSWER, "unknown question \"%s\"", qid);
    return NULL;
  }
  on = S_on(w, q);
  if (on < 0)
    *st = S_err(err, CDG_ERR_NOMEM, "out of memory");
  else if (!on)
    *st = S_err(err, CDG_ERR_STATE,
                "%s: not asked given the answers so far", q->id);
  return on > 0 ? q : NULL;
}

static cdg_status S_answer(cdg_walker *w, const char *qid, const S_value *v,
                           cdg_error *err) {
  const cdg_question *q;
  cdg_answers *raw;
  cdg_status st;

  if (!(q = S_asked(w, qid, &st, err)))
    return st;
  if ((st = cdg_answers_copy(w->raw, &raw)))
    return S_err(err, st, "out of memory");
  if (v->kind == CDG_Q_SINGLE)
    st = cdg_answers_set_codes(raw, qid, v->codes, v->n, err);
  else if (v->kind == CDG_Q_NUMBER)
    st = cdg_answers_set_number(raw, qid, v->number, err);
  else
    st = cdg_answers_set_text(raw, qid, v->text, err);
  if (!st && (st = S_rebuild(w, raw, w->hist, w->nhist, q->index, 0, 0)))
    S_err(err, st, "out of memory");
  if (st)
    cdg_answers_free(raw);
  return st;
}

cdg_status cdg_walker_answer_codes(cdg_walker *w, const char *qid,
                                   const char *const *codes, size_t n,
                                   cdg_error *err) {
  S_value v = {codes, n, 0, NULL, CDG_Q_SINGLE};

  return S_answer(w, qid, &v, err);
}

cdg_status cdg_walker_answer_number(cdg_walker *w, const char *qid,
                                    double x, cdg_error *err) {
  S_value v = {NULL, 0, x, NULL, CDG_Q_NUMBER};

  return S_answer(w, qid, &v, err);
}

cdg_status cdg_walker_answer_text(cdg_walker *w, const char *qid,
                                  const char *text, cdg_error *err) {
  S_value v = {NULL, 0, 0, text, CDG_Q_TEXT};

  return S_answer(w, qid, &v, err);
}

cdg_status cdg_walker_skip(cdg_walker *w, const char *qid, cdg_error *err) {
  const cdg_question *q;
  cdg_status st;

  if (!(q = S_asked(w, qid, &st, err)))
    return st;
  if (q->required)
    return S_err(err, CDG_ERR_ANSWER, "%s: needs an answer", q->id);
  if (S_rebuild(w, w->raw, w->hist, w->nhist, q->index, 1, 0))
    return S_err(err, CDG_ERR_NOMEM, "out of memory");
  return CDG_OK;
}

cdg_status cdg_walker_back(cdg_walker *w) {
  if (w->nhist == 0)
    return CDG_ERR_STATE;
  return S_rebuild(w, w->raw, w->hist, w->nhist - 1, S_NONE, 0, 0);
}

const cdg_answers *cdg_walker_defaults(const cdg_walker *w) {
  return w->raw;
}

const cdg_answers *cdg_walker_answers(const cdg_walker *w) { return w->eff; }

int cdg_walker_complete(const cdg_walker *w) {
  const cdg_pack *p = w->pack;
  size_t i;

  for (i = 0; i < p->nquestions; i++) {
    const cdg_question *q = &p->questions[i];

    if (q->required && !answers_get(w->eff, i) &&
        S_on(w, q) != 0)
      return 0;
  }
  return 1;
}

int cdg_walker_skipped(const cdg_walker *w, const char *qid) {
  const cdg_question *q = cdg_pack_find_question(w->pack, qid);

  return q && w->skipped[q->index];
}

void cdg_walker_progress(const cdg_walker *w, size_t *answered,
                         size_t *remaining) {
  const cdg_pack *p = w->pack;
  unsigned char *reach = cdg_calloc(p->nquestions, 1);
  size_t k, d, n = 0;

  for (k = 0; k < p->nquestions; k++) {
    size_t i = p->topo[k];
    const cdg_question *q = &p->questions[i];
    int r;

    if (answers_get(w->eff, i) || w->skipped[i])
      continue;
    r = S_on(w, q) != 0;
    /* Without memory for reach, count only what is enabled now. */
    for (d = 0; reach && !r && d < q->ndeps; d++)
      r = reach[q->depidx[d]];
    if (reach)
      reach[i] = (unsigned char)r;
    n += (size_t)r;
  }
  cdg_free(reach);
  if (answered)
    *answered = answers_count(w->eff);
  if (remaining)
    *remaining = n;
}
