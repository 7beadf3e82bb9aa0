/*
** report.c: the report document, built once from the pack, passages and
** answers: the one place the outcome is evaluated for a writer.
**
** Strings of the pack and the passages are borrowed; text answers and the
** caller's facts are copied. Everything the writers need is decided here,
** from the pack's "report" member: which treatments the recap lists, which
** outcomes record nothing, which passages the review lists and which
** section closes the report.
*/
#include <string.h>

#include "answers.h"
#include "cdg_limits.h"
#include "cdg_report.h"
#include "json.h"
#include "logic.h"
#include "pack.h"

typedef struct S_answer {
  const cdg_question *q;
  size_t *opt; /* option indexes of a single or multi answer */
  size_t nopt;
  double number;
  char *text;
} S_answer;

/* A question the review shows, asked for these answers. */
typedef struct S_shown {
  const cdg_question *q;
  size_t answer; /* index into the answers, or CDG_REPORT_UNANSWERED */
} S_shown;

typedef struct S_treat {
  S_shown *details; /* the pack's details that are asked */
  size_t ndetails;
  size_t option; /* in the recap question */
  int tried;     /* 1, 0, -1 not recorded */
  const cdg_question *oq;
  long outcome; /* option of oq, or -1 */
  int recorded;
} S_treat;

typedef struct S_rule {
  size_t r;        /* pack index */
  size_t *answers; /* indexes into the answers */
  size_t nanswers;
} S_rule;

typedef struct S_cite {
  size_t p;      /* passage index */
  size_t *rules; /* indexes into the fired rules */
  size_t nrules;
  int closing, reviewed;
} S_cite;

struct cdg_report {
  const cdg_pack *pack;
  const cdg_passages *ps;
  char *recorded;
  cdg_report_event *events;
  size_t nevents;
  int complete;
  size_t *missing; /* question indexes */
  size_t nmissing;
  S_answer *answers;
  size_t nanswers;
  long *answer_of; /* per question: its answer's index, or -1 */
  unsigned char *placed; /* per answer: 1 if in the summary or details */
  S_treat *treat;
  size_t ntreat;
  S_shown *summary; /* the pack's summary questions that are asked */
  size_t nsummary;
  S_rule *rules;
  size_t nrules;
  S_cite *cites;
  size_t ncites;
  size_t *source_order;
};

static void S_free_events(cdg_report_event *e, size_t n) {
  size_t i;

  for (i = 0; e && i < n; i++) {
    cdg_free((char *)e[i].at);
    cdg_free((char *)e[i].action);
    cdg_free((char *)e[i].question);
    cdg_free((char *)e[i].value);
  }
  cdg_free(e);
}

void cdg_report_free(cdg_report *r) {
  size_t i;

  if (!r)
    return;
  cdg_free(r->recorded);
  S_free_events(r->events, r->nevents);
  cdg_free(r->missing);
  for (i = 0; r->answers && i < r->nanswers; i++) {
    cdg_free(r->answers[i].opt);
    cdg_free(r->answers[i].text);
  }
  cdg_free(r->answers);
  cdg_free(r->answer_of);
  cdg_free(r->placed);
  for (i = 0; r->treat && i < r->ntreat; i++)
    cdg_free(r->treat[i].details);
  cdg_free(r->treat);
  cdg_free(r->summary);
  for (i = 0; r->rules && i < r->nrules; i++)
    cdg_free(r->rules[i].answers);
  cdg_free(r->rules);
  for (i = 0; r->cites && i < r->ncites; i++)
    cdg_free(r->cites[i].rules);
  cdg_free(r->cites);
  cdg_free(r->source_order);
  cdg_free(r);
}

/* A copy of s, or NULL for NULL; *bad is set when the copy failed. */
static char *S_dup(const char *s, int *bad) {
  char *d;

  if (!s)
    return NULL;
  if (!(d = cdg_strdup(s)))
    *bad = 1;
  return d;
}

static int S_facts(cdg_report *r, const cdg_report_facts *f) {
  int bad = 0;
  size_t i;

  r->recorded = S_dup(f && f->recorded ? f->recorded : "", &bad);
  if (!f || !f->nevents || !f->events)
    return bad ? -1 : 0;
  if (!(r->events = cdg_calloc(f->nevents, sizeof *r->events)))
    return -1;
  r->nevents = f->nevents;
  for (i = 0; i < f->nevents; i++) {
    r->events[i].at = S_dup(f->events[i].at, &bad);
    r->events[i].action = S_dup(f->events[i].action, &bad);
    r->events[i].question = S_dup(f->events[i].question, &bad);
    r->events[i].value = S_dup(f->events[i].value, &bad);
  }
  return bad ? -1 : 0;
}

/* The answers in pack order, and the missing required questions. */
static int S_answers(cdg_report *r, const cdg_answers *a) {
  const cdg_pack *p = r->pack;
  size_t i, j, nc, n = p->nquestions;

  r->answer_of = cdg_calloc(n, sizeof *r->answer_of);
  r->answers = cdg_calloc(n, sizeof *r->answers);
  r->missing = cdg_calloc(n, sizeof *r->missing);
  r->placed = cdg_calloc(n ? n : 1, 1);
  if (!r->answer_of || !r->answers || !r->missing || !r->placed)
    return -1;
  r->complete = 1;
  for (i = 0; i < n; i++) {
    const cdg_question *q = &p->questions[i];
    S_answer *s;

    r->answer_of[i] = -1;
    if (!cdg_answers_has(a, q->id)) {
      if (q->required && cdg_answers_enabled(a, q) != 0) {
        r->missing[r->nmissing++] = i;
        r->complete = 0;
      }
      continue;
    }
    r->answer_of[i] = (long)r->nanswers;
    s = &r->answers[r->nanswers++];
    s->q = q;
    switch (q->type) {
    case CDG_Q_SINGLE:
    case CDG_Q_MULTI:
      nc = cdg_answers_code_count(a, q->id);
      if (!(s->opt = cdg_calloc(nc, sizeof *s->opt)))
        return -1;
      for (j = 0; j < nc; j++) {
        long o = cdg_question_find_option(q, cdg_answers_code(a, q->id, j));

        if (o >= 0) /* checked answers name only the pack's options */
          s->opt[s->nopt++] = (size_t)o;
      }
      break;
    case CDG_Q_NUMBER:
      s->number = cdg_answers_number(a, q->id);
      break;
    case CDG_Q_TEXT:
      if (!(s->text = cdg_strdup(cdg_answers_text(a, q->id))))
        return -1;
      break;
    }
  }
  return 0;
}

/* The answer of question q, or NULL. */
static const S_answer *S_answer_to(const cdg_report *r, const cdg_question *q) {
  long i = q ? r->answer_of[q->index] : -1;

  return i < 0 ? NULL : &r->answers[i];
}

static int S_is_not_recorded(const pack_report *pr, const char *code) {
  size_t i;

  for (i = 0; i < pr->nnot_recorded; i++)
    if (strcmp(pr->not_recorded[i], code) == 0)
      return 1;
  return 0;
}

/* Of the n questions qs, those the answers a enable, into *out; their
** answers are marked placed. */
static int S_shown_of(cdg_report *r, const cdg_answers *a,
                      const cdg_question *const *qs, size_t n, S_shown **out,
                      size_t *nout) {
  size_t i;

  *nout = 0;
  if (!n)
    return 0;
  if (!(*out = cdg_calloc(n, sizeof **out)))
    return -1;
  for (i = 0; i < n; i++) {
    long at = r->answer_of[qs[i]->index];

    if (at < 0 && cdg_answers_enabled(a, qs[i]) == 0)
      continue;
    (*out)[*nout].q = qs[i];
    (*out)[(*nout)++].answer = at < 0 ? CDG_REPORT_UNANSWERED : (size_t)at;
    if (at >= 0)
      r->placed[at] = 1;
  }
  return 0;
}

/* The recap: for each treatment the pack lists, whether it was tried and
** how it went, and the details of those tried. */
static int S_recap(cdg_report *r, const cdg_answers *a) {
  const pack_report *pr = &r->pack->report;
  const S_answer *list = S_answer_to(r, pr->treatments), *oa;
  size_t k, j;

  if (!pr->treatments) /* the loader wants at least one treatment */
    return 0;
  if (!(r->treat = cdg_calloc(pr->ntreatments, sizeof *r->treat)))
    return -1;
  r->ntreat = pr->ntreatments;
  for (k = 0; k < r->ntreat; k++) {
    S_treat *t = &r->treat[k];

    t->option = pr->treatment[k].option;
    t->oq = pr->treatment[k].outcome;
    t->outcome = -1;
    t->tried = list ? 0 : -1;
    for (j = 0; list && j < list->nopt; j++)
      if (list->opt[j] == t->option)
        t->tried = 1;
    oa = S_answer_to(r, t->oq);
    if (t->tried == 1 && oa && oa->nopt > 0) {
      t->outcome = (long)oa->opt[0];
      t->recorded = !S_is_not_recorded(pr, t->oq->options[t->outcome].code);
    }
    if (t->tried == 1 &&
        S_shown_of(r, a, pr->treatment[k].details, pr->treatment[k].ndetails,
                   &t->details, &t->ndetails))
      return -1;
  }
  return 0;
}

typedef struct S_reads {
  cdg_report *r;
  S_rule *rule;
} S_reads;

/* A name the condition reads: add its question's answer once. */
static void S_read(void *ctx, const char *name, const char *pointer) {
  S_reads *x = ctx;
  long q = pack_index_get(&x->r->pack->qindex, name);
  long a = q < 0 ? -1 : x->r->answer_of[q];
  size_t i;

  (void)pointer;
  if (a < 0)
    return;
  for (i = 0; i < x->rule->nanswers; i++)
    if (x->rule->answers[i] == (size_t)a)
      return;
  x->rule->answers[x->rule->nanswers++] = (size_t)a;
}

/*
** Keep, of the answers rule reads, those that made it fire: answer j is
** kept when some set of those answers fires the rule with j and not
** without it, every other answer left as it is ("It helped" for one
** treatment does not explain a rule about another that did not). One
** scratch object of references is relinked for each set, so this costs no
** allocation per set. Returns -1 when out of memory.
*/
static int S_explain(cdg_report *r, const cdg_answers *a, S_rule *rule) {
  const cJSON *data = answers_data(a), *c;
  cJSON *o, *ref[CDG_MAX_EXPLAIN];
  unsigned char *fires;
  size_t n = rule->nanswers, m, j, kept = 0, sets = (size_t)1 << n;
  size_t in = 0; /* bit j: ref[j] is linked into o */
  int bad;

  if (n == 0 || n > CDG_MAX_EXPLAIN)
    return 0;
  memset(ref, 0, sizeof ref);
  o = cJSON_CreateObject();
  fires = cdg_calloc(sets, 1);
  bad = !o || !fires;
  for (c = data->child; c && !bad; c = c->next) {
    long q = pack_index_get(&r->pack->qindex, c->string);
    long at = q < 0 ? -1 : r->answer_of[q];

    cJSON *x = cJSON_CreateNull();

    /* A reference made as cJSON makes one: cJSON_AddItemReferenceToObject
    ** leaks its node when copying the key fails, and this borrows the key
    ** instead (cJSON_AddItemToObjectCS). */
    if (!x) {
      bad = 1;
      break;
    }
    *x = *c;
    x->next = x->prev = NULL;
    x->string = NULL;
    x->type = (c->type & 0xFF) | cJSON_IsReference;
    cJSON_AddItemToObjectCS(o, c->string, x);
    for (j = 0; at >= 0 && j < n; j++)
      if (rule->answers[j] == (size_t)at) {
        ref[j] = o->child->prev; /* cJSON keeps the last child there */
        in |= (size_t)1 << j;
      }
  }
  for (m = 0; m < sets && !bad; m++) {
    int t;

    for (j = 0; j < n; j++) {
      size_t bit = (size_t)1 << j;

      if (!ref[j] || !(in & bit) == !(m & bit))
        continue;
      if (in & bit)
        cJSON_DetachItemViaPointer(o, ref[j]);
      else
        cJSON_AddItemToArray(o, ref[j]); /* keeps its key */
      in ^= bit;
    }
    t = logic_test(r->pack->rules[rule->r].cond, o);
    bad = t == LOGIC_NOMEM;
    fires[m] = t == 1;
  }
  for (j = 0; j < n && !bad; j++) {
    size_t bit = (size_t)1 << j;

    for (m = 0; m < sets; m++)
      if ((m & bit) && fires[m] && !fires[m & ~bit])
        break;
    if (m < sets || !ref[j])
      rule->answers[kept++] = rule->answers[j];
  }
  if (!bad)
    rule->nanswers = kept;
  /* Every read answer linked back, so that o frees them all. */
  for (j = 0; o && j < n; j++)
    if (ref[j] && !(in & ((size_t)1 << j)))
      cJSON_AddItemToArray(o, ref[j]);
  cdg_free(fires);
  cJSON_Delete(o);
  return bad ? -1 : 0;
}

/* The fired rules, each with the answers that made it fire. */
static int S_rules(cdg_report *r, const cdg_answers *a, const cdg_outcome *o) {
  const cdg_pack *p = r->pack;
  json_store *trees = json_store_create(); /* the pack keeps none */
  const cJSON *when;
  S_reads x;
  size_t i;
  int rc = -1;

  if (!trees || !(r->rules = cdg_calloc(p->nrules, sizeof *r->rules)))
    goto out;
  x.r = r;
  for (i = 0; i < p->nrules; i++) {
    if (!cdg_outcome_fired(o, i))
      continue;
    x.rule = &r->rules[r->nrules++];
    x.rule->r = i;
    /* At most one answer per question read. */
    if (!(x.rule->answers = cdg_calloc(r->nanswers, sizeof(size_t))) ||
        pack_cond_tree(p->rules[i].when, trees, &when) != CDG_OK)
      goto out;
    pack_walk_vars(when, S_read, &x);
    if (S_explain(r, a, x.rule))
      goto out;
  }
  rc = 0;
out:
  json_store_free(trees);
  return rc;
}

static int S_has_topic(const cdg_passages *ps, size_t p, const char *topic) {
  size_t t;

  for (t = 0; t < cdg_passage_topic_count(ps, p); t++)
    if (strcmp(cdg_passage_topic(ps, p, t), topic) == 0)
      return 1;
  return 0;
}

/* The cited passages in report order, each with its fired rules: the
** outcome lists both in pack order, so one merge finds each rule. */
static int S_cites(cdg_report *r, const cdg_outcome *o) {
  const pack_report *pr = &r->pack->report;
  size_t n = cdg_outcome_count(o), i, j, f, k = 0;
  int pass;

  r->cites = cdg_calloc(n, sizeof *r->cites);
  r->source_order = cdg_calloc(n, sizeof *r->source_order);
  if (!r->cites || !r->source_order)
    return -1;
  for (pass = 0; pass < 2; pass++)
    for (i = 0; i < n; i++) {
      /* The outcome's ids are those of ps: each is found. */
      size_t p = (size_t)cdg_passages_find(r->ps, cdg_outcome_passage(o, i));
      int closing = pr->closing_section && strcmp(cdg_passage_section(r->ps, p),
                                                  pr->closing_section) == 0;
      S_cite *c;

      if (closing != pass)
        continue;
      r->source_order[i] = k;
      c = &r->cites[k++];
      c->p = p;
      c->closing = closing;
      c->reviewed =
          !pr->review_topic || S_has_topic(r->ps, p, pr->review_topic);
      if (!(c->rules =
                cdg_calloc(cdg_outcome_cited_by_count(o, i), sizeof *c->rules)))
        return -1;
      /* Each id is that of a fired rule, later than the one before. */
      for (j = 0, f = 0; j < cdg_outcome_cited_by_count(o, i); j++, f++) {
        const char *id = cdg_outcome_cited_by(o, i, j);

        while (strcmp(r->pack->rules[r->rules[f].r].id, id) != 0)
          f++;
        c->rules[c->nrules++] = f;
      }
      r->ncites = k;
    }
  return 0;
}

cdg_status cdg_report_build(const cdg_pack *pack, const cdg_passages *ps,
                            const cdg_answers *a, const cdg_report_facts *facts,
                            cdg_report **out, cdg_error *err) {
  cdg_outcome *o = NULL;
  cdg_report *r;
  cdg_status st;

  *out = NULL;
  if ((st = cdg_outcome_eval(pack, a, ps, &o, err)))
    return st;
  if (!(r = cdg_calloc(1, sizeof *r))) {
    cdg_outcome_free(o);
    return cdg_error_set(err, CDG_ERR_NOMEM, pack->file, NULL, "out of memory");
  }
  r->pack = pack;
  r->ps = ps;
  if (S_facts(r, facts) || S_answers(r, a) ||
      S_shown_of(r, a, pack->report.summary, pack->report.nsummary,
                 &r->summary, &r->nsummary) ||
      S_recap(r, a) || S_rules(r, a, o) || S_cites(r, o)) {
    cdg_outcome_free(o);
    cdg_report_free(r);
    return cdg_error_set(err, CDG_ERR_NOMEM, pack->file, NULL, "out of memory");
  }
  cdg_outcome_free(o);
  *out = r;
  return CDG_OK;
}

/* ---- Accessors -------------------------------------------------------- */

const char *cdg_report_tool_version(const cdg_report *r) {
  (void)r;
  return cdg_version();
}
const char *cdg_report_pack_id(const cdg_report *r) { return r->pack->id; }
const char *cdg_report_pack_version(const cdg_report *r) {
  return r->pack->version;
}
const char *cdg_report_pack_title(const cdg_report *r) {
  return r->pack->title;
}
const char *cdg_report_source_title(const cdg_report *r) {
  return cdg_passages_source_title(r->ps);
}
const char *cdg_report_source_publisher(const cdg_report *r) {
  return cdg_passages_source_publisher(r->ps);
}
const char *cdg_report_source_sha256(const cdg_report *r) {
  return cdg_passages_source_sha256(r->ps);
}
const char *cdg_report_pack_source_title(const cdg_report *r) {
  return r->pack->source_title;
}
const char *cdg_report_pack_source_sha256(const cdg_report *r) {
  return r->pack->source_sha256;
}
const char *cdg_report_recorded(const cdg_report *r) { return r->recorded; }
const char *cdg_report_first_recorded(const cdg_report *r) {
  return r->nevents && r->events[0].at ? r->events[0].at : "";
}
const char *cdg_report_last_recorded(const cdg_report *r) {
  return r->nevents && r->events[r->nevents - 1].at
             ? r->events[r->nevents - 1].at
             : "";
}
size_t cdg_report_event_count(const cdg_report *r) { return r->nevents; }
const cdg_report_event *cdg_report_event_at(const cdg_report *r, size_t i) {
  return i < r->nevents ? &r->events[i] : NULL;
}

int cdg_report_complete(const cdg_report *r) { return r->complete; }
size_t cdg_report_missing_count(const cdg_report *r) { return r->nmissing; }
const char *cdg_report_missing_id(const cdg_report *r, size_t i) {
  return i < r->nmissing ? r->pack->questions[r->missing[i]].id : NULL;
}
const char *cdg_report_missing_text(const cdg_report *r, size_t i) {
  return i < r->nmissing ? r->pack->questions[r->missing[i]].text : NULL;
}

static const S_answer *S_ans(const cdg_report *r, size_t i) {
  return i < r->nanswers ? &r->answers[i] : NULL;
}

size_t cdg_report_answer_count(const cdg_report *r) { return r->nanswers; }
const char *cdg_report_answer_id(const cdg_report *r, size_t i) {
  return S_ans(r, i) ? S_ans(r, i)->q->id : NULL;
}
const char *cdg_report_answer_question(const cdg_report *r, size_t i) {
  return S_ans(r, i) ? S_ans(r, i)->q->text : NULL;
}
cdg_qtype cdg_report_answer_type(const cdg_report *r, size_t i) {
  return S_ans(r, i) ? S_ans(r, i)->q->type : CDG_Q_TEXT;
}
cdg_qformat cdg_report_answer_format(const cdg_report *r, size_t i) {
  return S_ans(r, i) ? S_ans(r, i)->q->format : CDG_QF_NONE;
}
size_t cdg_report_answer_code_count(const cdg_report *r, size_t i) {
  return S_ans(r, i) ? S_ans(r, i)->nopt : 0;
}
const char *cdg_report_answer_code(const cdg_report *r, size_t i, size_t j) {
  const S_answer *s = S_ans(r, i);

  return s && j < s->nopt ? s->q->options[s->opt[j]].code : NULL;
}
const char *cdg_report_answer_label(const cdg_report *r, size_t i, size_t j) {
  const S_answer *s = S_ans(r, i);

  return s && j < s->nopt ? s->q->options[s->opt[j]].label : NULL;
}
double cdg_report_answer_number(const cdg_report *r, size_t i) {
  return S_ans(r, i) ? S_ans(r, i)->number : 0;
}
const char *cdg_report_answer_text(const cdg_report *r, size_t i) {
  return S_ans(r, i) ? S_ans(r, i)->text : NULL;
}

static const S_treat *S_tr(const cdg_report *r, size_t k) {
  return k < r->ntreat ? &r->treat[k] : NULL;
}

size_t cdg_report_treatment_count(const cdg_report *r) { return r->ntreat; }
const char *cdg_report_treatment_code(const cdg_report *r, size_t k) {
  return S_tr(r, k)
             ? r->pack->report.treatments->options[r->treat[k].option].code
             : NULL;
}
const char *cdg_report_treatment_label(const cdg_report *r, size_t k) {
  return S_tr(r, k)
             ? r->pack->report.treatments->options[r->treat[k].option].label
             : NULL;
}
int cdg_report_treatment_tried(const cdg_report *r, size_t k) {
  return S_tr(r, k) ? S_tr(r, k)->tried : -1;
}
const char *cdg_report_treatment_outcome(const cdg_report *r, size_t k) {
  const S_treat *t = S_tr(r, k);

  return t && t->outcome >= 0 ? t->oq->options[t->outcome].code : NULL;
}
const char *cdg_report_treatment_outcome_label(const cdg_report *r, size_t k) {
  const S_treat *t = S_tr(r, k);

  return t && t->outcome >= 0 ? t->oq->options[t->outcome].label : NULL;
}
int cdg_report_treatment_recorded(const cdg_report *r, size_t k) {
  return S_tr(r, k) ? S_tr(r, k)->recorded : 0;
}

size_t cdg_report_rule_count(const cdg_report *r) { return r->nrules; }
const char *cdg_report_rule_id(const cdg_report *r, size_t i) {
  return i < r->nrules ? r->pack->rules[r->rules[i].r].id : NULL;
}
const char *cdg_report_rule_because(const cdg_report *r, size_t i) {
  return i < r->nrules ? r->pack->rules[r->rules[i].r].because : NULL;
}
size_t cdg_report_rule_answer_count(const cdg_report *r, size_t i) {
  return i < r->nrules ? r->rules[i].nanswers : 0;
}
size_t cdg_report_rule_answer(const cdg_report *r, size_t i, size_t j) {
  return i < r->nrules && j < r->rules[i].nanswers ? r->rules[i].answers[j] : 0;
}

static const S_cite *S_c(const cdg_report *r, size_t k) {
  return k < r->ncites ? &r->cites[k] : NULL;
}

size_t cdg_report_passage_count(const cdg_report *r) { return r->ncites; }
const char *cdg_report_passage_id(const cdg_report *r, size_t k) {
  return S_c(r, k) ? cdg_passage_id(r->ps, r->cites[k].p) : NULL;
}
const char *cdg_report_passage_section(const cdg_report *r, size_t k) {
  return S_c(r, k) ? cdg_passage_section(r->ps, r->cites[k].p) : NULL;
}
const char *cdg_report_passage_text(const cdg_report *r, size_t k) {
  return S_c(r, k) ? cdg_passage_text(r->ps, r->cites[k].p) : NULL;
}
size_t cdg_report_passage_rule_count(const cdg_report *r, size_t k) {
  return S_c(r, k) ? r->cites[k].nrules : 0;
}
size_t cdg_report_passage_rule(const cdg_report *r, size_t k, size_t j) {
  return S_c(r, k) && j < r->cites[k].nrules ? r->cites[k].rules[j] : 0;
}
int cdg_report_passage_closing(const cdg_report *r, size_t k) {
  return S_c(r, k) ? r->cites[k].closing : 0;
}
int cdg_report_passage_reviewed(const cdg_report *r, size_t k) {
  return S_c(r, k) ? r->cites[k].reviewed : 0;
}
size_t cdg_report_source_order(const cdg_report *r, size_t i) {
  return i < r->ncites ? r->source_order[i] : 0;
}
const char *cdg_report_review_topic(const cdg_report *r) {
  return r->pack->report.review_topic;
}

/* ---- What the review shows of the pack's summary and details ----------- */

int cdg_report_answer_placed(const cdg_report *r, size_t i) {
  return i < r->nanswers && r->placed[i];
}
size_t cdg_report_summary_count(const cdg_report *r) { return r->nsummary; }
const char *cdg_report_summary_id(const cdg_report *r, size_t i) {
  return i < r->nsummary ? r->summary[i].q->id : NULL;
}
const char *cdg_report_summary_question(const cdg_report *r, size_t i) {
  return i < r->nsummary ? r->summary[i].q->text : NULL;
}
size_t cdg_report_summary_answer(const cdg_report *r, size_t i) {
  return i < r->nsummary ? r->summary[i].answer : CDG_REPORT_UNANSWERED;
}

static const S_shown *S_detail(const cdg_report *r, size_t k, size_t j) {
  return k < r->ntreat && j < r->treat[k].ndetails ? &r->treat[k].details[j]
                                                   : NULL;
}
size_t cdg_report_detail_count(const cdg_report *r, size_t k) {
  return k < r->ntreat ? r->treat[k].ndetails : 0;
}
const char *cdg_report_detail_id(const cdg_report *r, size_t k, size_t j) {
  return S_detail(r, k, j) ? S_detail(r, k, j)->q->id : NULL;
}
const char *cdg_report_detail_question(const cdg_report *r, size_t k,
                                       size_t j) {
  return S_detail(r, k, j) ? S_detail(r, k, j)->q->text : NULL;
}
size_t cdg_report_detail_answer(const cdg_report *r, size_t k, size_t j) {
  return S_detail(r, k, j) ? S_detail(r, k, j)->answer
                           : CDG_REPORT_UNANSWERED;
}
