/*
** outcome.c: which passages the rules cite for a set of answers.
**
** Every rule is evaluated; the passages cited by the rules that fire are
** listed in source order (their order in the passage store), each with the
** ids of the rules that cited it, in pack order. The outcome owns copies
** of its strings, so it may outlive the pack and the passages.
*/
#include <stdio.h>
#include <string.h>

#include "answers.h"
#include "json.h"
#include "pack.h"

typedef struct S_cited {
  char *passage;
  char **by; /* rule ids */
  size_t nby;
} S_cited;

struct cdg_outcome {
  S_cited *cited;
  size_t n;
  unsigned char *fired; /* per rule, pack order */
  size_t nrules;
};

void cdg_outcome_free(cdg_outcome *o) {
  size_t i, j;

  if (!o)
    return;
  for (i = 0; o->cited && i < o->n; i++) {
    cdg_free(o->cited[i].passage);
    for (j = 0; o->cited[i].by && j < o->cited[i].nby; j++)
      cdg_free(o->cited[i].by[j]);
    cdg_free(o->cited[i].by);
  }
  cdg_free(o->cited);
  cdg_free(o->fired);
  cdg_free(o);
}

static cdg_status S_nomem(const cdg_pack *pack, cdg_error *err) {
  return cdg_error_set(err, CDG_ERR_NOMEM, pack->file, NULL, "out of memory");
}

/* The passage index of every cite, rule by rule; unknown ids are errors
** whatever the answers, so an outcome never depends on luck. */
static cdg_status S_resolve(const cdg_pack *pack, const cdg_passages *ps,
                            long *pidx, cdg_error *err) {
  char at[64];
  size_t r, i, k = 0;

  for (r = 0; r < pack->nrules; r++)
    for (i = 0; i < pack->rules[r].ncite; i++, k++) {
      pidx[k] = cdg_passages_find(ps, pack->rules[r].cite[i]);
      if (pidx[k] < 0) {
        snprintf(at, sizeof at, "/rules/%zu/cite/%zu", r, i);
        return pack_error_at(pack, err, CDG_ERR_PACK, at,
                             "unknown passage id \"%s\"",
                             pack->rules[r].cite[i]);
      }
    }
  return CDG_OK;
}

/*
** Group the (passage, rule) pairs of the fired rules by passage with a
** counting sort: stable, so each passage's rules stay in pack order.
*/
static cdg_status S_group(cdg_outcome *o, const cdg_pack *pack,
                          const cdg_passages *ps, const long *pidx) {
  size_t np = cdg_passages_count(ps);
  size_t *count = cdg_calloc(np + 1, sizeof *count);
  size_t *rule = NULL, total = 0, r, i, k = 0, p, c;
  cdg_status st = CDG_ERR_NOMEM;

  if (!count)
    return st;
  for (r = 0; r < pack->nrules; r++)
    for (i = 0; i < pack->rules[r].ncite; i++, k++)
      if (o->fired[r])
        count[pidx[k] + 1]++, total++;
  for (p = 0; p < np; p++) {
    if (count[p + 1])
      o->n++;
    count[p + 1] += count[p]; /* count[p]: start of passage p */
  }
  rule = cdg_calloc(total, sizeof *rule);
  o->cited = cdg_calloc(o->n, sizeof *o->cited);
  if (!rule || !o->cited)
    goto out;
  for (r = 0, k = 0; r < pack->nrules; r++)
    for (i = 0; i < pack->rules[r].ncite; i++, k++)
      if (o->fired[r])
        rule[count[pidx[k]]++] = r;
  /* Now count[p] is the end of passage p, and count[p - 1] its start. */
  for (p = 0, c = 0; p < np; p++) {
    size_t b = p ? count[p - 1] : 0, e = count[p], j;
    S_cited *sc;

    if (b == e)
      continue;
    sc = &o->cited[c++];
    if (!(sc->passage = cdg_strdup(cdg_passage_id(ps, p))) ||
        !(sc->by = cdg_calloc(e - b, sizeof *sc->by)))
      goto out;
    for (j = b; j < e; j++) {
      if (j > b && rule[j] == rule[j - 1])
        continue; /* a rule citing the same passage twice */
      if (!(sc->by[sc->nby] = cdg_strdup(pack->rules[rule[j]].id)))
        goto out;
      sc->nby++;
    }
  }
  st = CDG_OK;
out:
  cdg_free(count);
  cdg_free(rule);
  return st;
}

cdg_status cdg_outcome_eval(const cdg_pack *pack, const cdg_answers *a,
                            const cdg_passages *ps, cdg_outcome **out,
                            cdg_error *err) {
  const cJSON *data = a ? answers_data(a) : NULL;
  logic_frame *frame = NULL;
  cdg_outcome *o;
  long *pidx;
  size_t r, total = 0;
  cdg_status st;

  *out = NULL;
  if (a && answers_pack(a) != pack) {
    if (err) {
      cdg_error_clear(err);
      snprintf(err->message, sizeof err->message,
               "the answers belong to another pack");
    }
    return CDG_ERR_STATE;
  }
  for (r = 0; r < pack->nrules; r++)
    total += pack->rules[r].ncite;
  o = cdg_calloc(1, sizeof *o);
  pidx = cdg_calloc(total, sizeof *pidx);
  if (!o || !pidx || !(o->fired = cdg_calloc(pack->nrules, 1))) {
    st = S_nomem(pack, err);
    goto out;
  }
  o->nrules = pack->nrules;
  if ((st = S_resolve(pack, ps, pidx, err)))
    goto out;
  /* the answers, typed once for every rule (logic_slots.h) */
  if (!(frame = logic_frame_create(pack->slots)) ||
      logic_frame_fill(frame, data) != CDG_OK) {
    st = S_nomem(pack, err);
    goto out;
  }
  for (r = 0; r < pack->nrules; r++) {
    int t = logic_test_frame(pack->rules[r].cond, frame);
    char ptr[64];

    if (t == LOGIC_FAIL) {
      snprintf(ptr, sizeof ptr, "/rules/%zu/when", r);
      st = pack_error_at(pack, err, CDG_ERR_LOGIC, ptr,
                         "rule \"%s\" cannot be evaluated on these answers",
                         pack->rules[r].id);
      goto out;
    }
    if (t < 0) {
      st = S_nomem(pack, err);
      goto out;
    }
    o->fired[r] = (unsigned char)t;
  }
  if ((st = S_group(o, pack, ps, pidx)))
    st = S_nomem(pack, err);
out:
  logic_frame_free(frame);
  cdg_free(pidx);
  if (st) {
    cdg_outcome_free(o);
    return st;
  }
  *out = o;
  return CDG_OK;
}

size_t cdg_outcome_count(const cdg_outcome *o) { return o->n; }

const char *cdg_outcome_passage(const cdg_outcome *o, size_t i) {
  return i < o->n ? o->cited[i].passage : NULL;
}

size_t cdg_outcome_cited_by_count(const cdg_outcome *o, size_t i) {
  return i < o->n ? o->cited[i].nby : 0;
}

const char *cdg_outcome_cited_by(const cdg_outcome *o, size_t i, size_t j) {
  return i < o->n && j < o->cited[i].nby ? o->cited[i].by[j] : NULL;
}

int cdg_outcome_cites(const cdg_outcome *o, const char *id) {
  size_t i;

  for (i = 0; i < o->n; i++)
    if (strcmp(o->cited[i].passage, id) == 0)
      return 1;
  return 0;
}

int cdg_outcome_fired(const cdg_outcome *o, size_t r) {
  return r < o->nrules && o->fired[r];
}
