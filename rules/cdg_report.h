/*
** cdg_report.h: public API of the report document of libcdguide.
**
** A report document is built once from a pack, the passages and a set of
** answers: it evaluates the rules once and holds everything a writer
** shows (text, markdown, JSON, FHIR, the questionnaire's why and review
** screens): the answers with question texts and option labels, the
** prior-treatment recap the pack declares, the cited passages in report
** order with the rules that cited each and the answers those rules read,
** completeness with the missing required questions, and provenance.
** Writers render the document and decide nothing.
**
** Ownership follows cdg_rules.h. The document borrows the pack and the
** passages, which must outlive it; it copies the answers and the session
** facts, which may go at once. Index arguments out of range give NULL
** (strings), 0 (counts and flags) or -1 (tried).
*/
#ifndef CDG_REPORT_H
#define CDG_REPORT_H

#include "cdg_rules.h"

typedef struct cdg_report cdg_report;

/* The fixed notice every report carries, in every format. */
#define CDG_REPORT_NOTICE                                                      \
  "This report points to passages of published guidance. It does not "         \
  "make a clinical decision."

/*
** One event of the session's history, as the caller keeps it (the session
** journal). The document copies the strings and shows nothing of them
** itself; any may be NULL.
*/
typedef struct cdg_report_event {
  const char *at;       /* ISO 8601 time */
  const char *action;   /* what happened ("answer", "back", "skip", ...) */
  const char *question; /* the question id it concerns */
  const char *value;    /* the answer, as JSON text */
} cdg_report_event;

/* What the caller knows of the session, beyond the answers. */
typedef struct cdg_report_facts {
  const char *recorded;           /* when the answers were recorded, ISO
                                     8601; NULL reads "" */
  const cdg_report_event *events; /* the history, oldest first; may be
                                     NULL when nevents is 0 */
  size_t nevents;
} cdg_report_facts;

/*
** Build the report of answers a (not NULL) to pack, citing passages of
** ps; facts may be NULL (nothing known). Returns the errors of
** cdg_outcome_eval (CDG_ERR_PACK, CDG_ERR_LOGIC, CDG_ERR_STATE) or
** CDG_ERR_NOMEM. Caller frees *out with cdg_report_free.
*/
cdg_status cdg_report_build(const cdg_pack *pack, const cdg_passages *ps,
                            const cdg_answers *a, const cdg_report_facts *facts,
                            cdg_report **out, cdg_error *err);

/* Frees the document; NULL is a harmless no-op. */
void cdg_report_free(cdg_report *r);

/* ---- Provenance ------------------------------------------------------- */

const char *cdg_report_tool_version(const cdg_report *r);
const char *cdg_report_pack_id(const cdg_report *r);
const char *cdg_report_pack_version(const cdg_report *r);
const char *cdg_report_pack_title(const cdg_report *r);
/* The source of the passages, as the passage store verified it. */
const char *cdg_report_source_title(const cdg_report *r);
const char *cdg_report_source_publisher(const cdg_report *r);
const char *cdg_report_source_sha256(const cdg_report *r);
/* The source as the pack declares it. */
const char *cdg_report_pack_source_title(const cdg_report *r);
const char *cdg_report_pack_source_sha256(const cdg_report *r);
/* When the answers were recorded (facts->recorded, or ""). */
const char *cdg_report_recorded(const cdg_report *r);
/* The times of the first and the last event of the history: when the
** answers were first and last recorded ("" without a history). */
const char *cdg_report_first_recorded(const cdg_report *r);
const char *cdg_report_last_recorded(const cdg_report *r);
/* The history the caller passed, in its order. */
size_t cdg_report_event_count(const cdg_report *r);
const cdg_report_event *cdg_report_event_at(const cdg_report *r, size_t i);

/* ---- Completeness ----------------------------------------------------- */

/* 1 when every enabled required question has an answer. */
int cdg_report_complete(const cdg_report *r);
/* The enabled required questions without an answer, in pack order. */
size_t cdg_report_missing_count(const cdg_report *r);
const char *cdg_report_missing_id(const cdg_report *r, size_t i);
const char *cdg_report_missing_text(const cdg_report *r, size_t i);

/* ---- Answers, in pack order ------------------------------------------ */

size_t cdg_report_answer_count(const cdg_report *r);
const char *cdg_report_answer_id(const cdg_report *r, size_t i);
/* The question's text. */
const char *cdg_report_answer_question(const cdg_report *r, size_t i);
cdg_qtype cdg_report_answer_type(const cdg_report *r, size_t i);
cdg_qformat cdg_report_answer_format(const cdg_report *r, size_t i);
/* Codes of a single or multi answer, in option order, and their labels. */
size_t cdg_report_answer_code_count(const cdg_report *r, size_t i);
const char *cdg_report_answer_code(const cdg_report *r, size_t i, size_t j);
const char *cdg_report_answer_label(const cdg_report *r, size_t i, size_t j);
/* A number answer (0 otherwise) and a text answer (NULL otherwise). */
double cdg_report_answer_number(const cdg_report *r, size_t i);
const char *cdg_report_answer_text(const cdg_report *r, size_t i);

/* ---- Prior-treatment recap -------------------------------------------- */

/* The treatments of the pack's recap, in the pack's order (0 when the
** pack declares no recap). */
size_t cdg_report_treatment_count(const cdg_report *r);
const char *cdg_report_treatment_code(const cdg_report *r, size_t k);
const char *cdg_report_treatment_label(const cdg_report *r, size_t k);
/* 1 tried, 0 not tried, -1 not recorded (the list is unanswered). */
int cdg_report_treatment_tried(const cdg_report *r, size_t k);
/* How it went, when tried and answered: the code and label, else NULL. */
const char *cdg_report_treatment_outcome(const cdg_report *r, size_t k);
const char *cdg_report_treatment_outcome_label(const cdg_report *r, size_t k);
/* 1 when the outcome records something: answered, and not one of the
** codes the pack says record nothing ("not sure", "ongoing"). */
int cdg_report_treatment_recorded(const cdg_report *r, size_t k);

/*
** What the pack's "report" member says the review shows beyond the recap:
** its "summary" questions (the condition: posture, age group, duration)
** and the "details" of each treatment tried. Only questions the answers
** enable are listed; each gives its answer's index (as above) or
** CDG_REPORT_UNANSWERED when it is asked and has no answer.
*/
#define CDG_REPORT_UNANSWERED ((size_t)-1)
size_t cdg_report_summary_count(const cdg_report *r);
const char *cdg_report_summary_id(const cdg_report *r, size_t i);
const char *cdg_report_summary_question(const cdg_report *r, size_t i);
size_t cdg_report_summary_answer(const cdg_report *r, size_t i);
/* 1 if answer i is shown in the summary or among a treatment's details, so
** a writer that lists those need not list it again with the others. */
int cdg_report_answer_placed(const cdg_report *r, size_t i);
/* The details of treatment k (none when it was not tried). */
size_t cdg_report_detail_count(const cdg_report *r, size_t k);
const char *cdg_report_detail_id(const cdg_report *r, size_t k, size_t j);
const char *cdg_report_detail_question(const cdg_report *r, size_t k,
                                       size_t j);
size_t cdg_report_detail_answer(const cdg_report *r, size_t k, size_t j);

/* ---- Rules that fired, in pack order ----------------------------------- */

size_t cdg_report_rule_count(const cdg_report *r);
const char *cdg_report_rule_id(const cdg_report *r, size_t i);
const char *cdg_report_rule_because(const cdg_report *r, size_t i);
/* The answers (indexes as above) of the questions the rule's condition
** reads: what made it fire. */
size_t cdg_report_rule_answer_count(const cdg_report *r, size_t i);
size_t cdg_report_rule_answer(const cdg_report *r, size_t i, size_t j);

/* ---- Cited passages, in report order ---------------------------------- */

/* Report order is source order, with the passages of the section the pack
** says closes the report moved last. */
size_t cdg_report_passage_count(const cdg_report *r);
const char *cdg_report_passage_id(const cdg_report *r, size_t k);
const char *cdg_report_passage_section(const cdg_report *r, size_t k);
const char *cdg_report_passage_text(const cdg_report *r, size_t k);
/* The rules (indexes as above) that cited passage k, in pack order. */
size_t cdg_report_passage_rule_count(const cdg_report *r, size_t k);
size_t cdg_report_passage_rule(const cdg_report *r, size_t k, size_t j);
/* 1 if passage k is in the closing section. */
int cdg_report_passage_closing(const cdg_report *r, size_t k);
/* 1 if the review lists passage k: it has the pack's review topic, or the
** pack names none. */
int cdg_report_passage_reviewed(const cdg_report *r, size_t k);
/* The report index of the i-th cited passage in source order. */
size_t cdg_report_source_order(const cdg_report *r, size_t i);
/* The topic the review lists, or NULL when the pack names none. */
const char *cdg_report_review_topic(const cdg_report *r);

#endif
