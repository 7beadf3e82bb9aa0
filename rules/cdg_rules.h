/*
** cdg_rules.h: public API of the rules engine of libcdguide.
**
** A pack holds questions and rules. A walker takes answers one at a time
** and says which question comes next. An outcome evaluates every rule on a
** set of answers and lists the cited passage ids, each with the rules that
** cited it. The linter checks a pack. Rules can only cite passages: the
** engine has no way to state a verdict.
**
** Ownership follows cdg_content.h: returned pointers are borrowed from their
** handle unless a comment says "caller frees with cdg_free". Every _free
** accepts NULL. Handles and ids passed in must not be NULL unless a comment
** says so; an index out of range gives NULL (strings) or 0 (counts). err may
** be NULL. No function prints or exits; errors come back as a cdg_status
** and a filled cdg_error.
*/
#ifndef CDG_RULES_H
#define CDG_RULES_H

#include "cdg_content.h"

/* ---- Packs ------------------------------------------------------------ */

typedef struct cdg_pack cdg_pack;
typedef struct cdg_question cdg_question;

typedef enum cdg_qtype {
  CDG_Q_SINGLE = 0,  /* one option code */
  CDG_Q_MULTI,       /* one or more option codes */
  CDG_Q_NUMBER,      /* a number, maybe within min..max */
  CDG_Q_TEXT         /* free text */
} cdg_qtype;

/*
** What a number or text answer must look like beyond its JSON type. The
** pack's "integer" type is a number question of format CDG_QF_INTEGER,
** its "date" type a text question of format CDG_QF_DATE, so every writer
** that knows numbers and text shows them as they are.
*/
typedef enum cdg_qformat {
  CDG_QF_NONE = 0,
  CDG_QF_INTEGER,    /* a whole number, maybe within min..max */
  CDG_QF_DATE        /* "YYYY", "YYYY-MM" or "YYYY-MM-DD", not in the future */
} cdg_qformat;

/*
** Parse and check a pack from JSON text; file names it in errors. Checks
** the format (types, ids, option codes, JsonLogic operators, enable_when
** cycles). Cross-checks against passages are the linter's. Returns
** CDG_ERR_SYNTAX for bad JSON, CDG_ERR_PACK for a format error. Caller
** frees *out with cdg_pack_free.
**
** The first pack load (or cdg_set_allocator) installs the library's cJSON
** allocation hooks with cJSON_InitHooks, replacing any a program set; a
** program that uses cJSON itself should not rely on its own hooks, and
** must make that first load before a second thread uses cJSON, since
** cJSON_InitHooks is not thread-safe.
*/
cdg_status cdg_pack_load(const char *json, size_t len, const char *file,
                         cdg_pack **out, cdg_error *err);

/* Load DIR/pack.json (helper layer): as cdg_pack_load, plus
** CDG_ERR_NOTFOUND or CDG_ERR_IO when the file cannot be read. */
cdg_status cdg_pack_load_dir(const char *dir, cdg_pack **out,
                             cdg_error *err);

/* The cervical-dystonia pack compiled into the program. Caller frees *out
** with cdg_pack_free. */
cdg_status cdg_pack_builtin(cdg_pack **out, cdg_error *err);

/* Frees the pack and its questions; NULL is a harmless no-op. */
void cdg_pack_free(cdg_pack *pack);

/* The pack's fields; file is the name given to the loader. */

const char *cdg_pack_id(const cdg_pack *pack);
const char *cdg_pack_version(const cdg_pack *pack);
const char *cdg_pack_title(const cdg_pack *pack);
const char *cdg_pack_file(const cdg_pack *pack);
const char *cdg_pack_source_title(const cdg_pack *pack);
const char *cdg_pack_source_publisher(const cdg_pack *pack);
const char *cdg_pack_source_sha256(const cdg_pack *pack);

/* 1 if a session saved with this version of the pack is read as it is:
** the pack's own version or one its "reads_versions" lists. */
int cdg_pack_reads_version(const cdg_pack *pack, const char *version);

/* Questions in pack order; a question is borrowed from its pack. */
size_t cdg_pack_question_count(const cdg_pack *pack);
const cdg_question *cdg_pack_question(const cdg_pack *pack, size_t i);
/* The question with this id, or NULL (also for a NULL pack or id). */
const cdg_question *cdg_pack_find_question(const cdg_pack *pack,
                                           const char *id);

const char *cdg_question_id(const cdg_question *q);
cdg_qtype cdg_question_type(const cdg_question *q);
cdg_qformat cdg_question_format(const cdg_question *q);
/* The type as the pack names it: "single", ..., "integer", "date". */
const char *cdg_question_type_name(const cdg_question *q);
const char *cdg_question_text(const cdg_question *q);
const char *cdg_question_help(const cdg_question *q);  /* "" if none */
int cdg_question_required(const cdg_question *q);
/* Index of the question in pack order. */
size_t cdg_question_index(const cdg_question *q);
size_t cdg_question_option_count(const cdg_question *q);
const char *cdg_question_option_code(const cdg_question *q, size_t i);
const char *cdg_question_option_label(const cdg_question *q, size_t i);
/* 1 if option i may not be combined with others (e.g. "none"). */
int cdg_question_option_exclusive(const cdg_question *q, size_t i);
/* Index of the option with this code, or -1. */
long cdg_question_find_option(const cdg_question *q, const char *code);
/* Number bounds "min" and "max" into *min and *max (either may be NULL;
** an absent bound reads 0). Returns which the pack gives: 0 none, 1 min
** only, 2 max only, 3 both. */
int cdg_question_range(const cdg_question *q, double *min, double *max);
/* 1 if the question has an enable_when condition, 0 if always enabled. */
int cdg_question_conditional(const cdg_question *q);
/* The enable_when condition as JSON text; NULL if there is none or
** allocation failed. Caller frees with cdg_free. */
char *cdg_question_enable_when_json(const cdg_question *q);
/* Passage ids the question refers to. */
size_t cdg_question_passage_count(const cdg_question *q);
const char *cdg_question_passage(const cdg_question *q, size_t i);

/* Rules in pack order, by index r. */
size_t cdg_pack_rule_count(const cdg_pack *pack);
const char *cdg_rule_id(const cdg_pack *pack, size_t r);
const char *cdg_rule_because(const cdg_pack *pack, size_t r);
size_t cdg_rule_cite_count(const cdg_pack *pack, size_t r);
const char *cdg_rule_cite(const cdg_pack *pack, size_t r, size_t i);

/*
** Check a date answer: "YYYY", "YYYY-MM" or "YYYY-MM-DD" (ISO 8601 and
** FHIR's date at those precisions), a real calendar day, a year from
** CDG_MIN_DATE_YEAR, and not after today (the earliest day it can mean is
** compared with today's local date). Returns its precision (1 year, 2
** month, 3 day), or 0 with a reason in *why (a static string).
*/
int cdg_date_check(const char *s, const char **why);

/* 1 if x is a whole number an integer question can take: within the 32
** bits of FHIR's integer, -2147483648 to 2147483647. */
int cdg_whole_number(double x);

/* ---- Answers ---------------------------------------------------------- */

/*
** A set of answers to the questions of one pack: the data that conditions
** are evaluated against, {"posture": ["torticollis"], "age_group": ...}.
** It borrows the pack, which must outlive it.
*/
typedef struct cdg_answers cdg_answers;

/* Empty answers. Returns CDG_OK or CDG_ERR_NOMEM. Caller frees *out with
** cdg_answers_free. */
cdg_status cdg_answers_new(const cdg_pack *pack, cdg_answers **out);

/*
** Parse an answers object and check it fully against the pack: unknown
** question or option codes, wrong types, exclusive options combined, out of
** range numbers, and answers to questions that their enable_when leaves
** disabled are all errors (CDG_ERR_ANSWER) naming the question; bad JSON
** is CDG_ERR_SYNTAX, and an enable_when that cannot be evaluated on the
** answers is CDG_ERR_PACK. Caller frees *out with cdg_answers_free.
*/
cdg_status cdg_answers_parse(const cdg_pack *pack, const char *json,
                             size_t len, const char *file,
                             cdg_answers **out, cdg_error *err);

/*
** The same for the answers object at JSON Pointer pointer inside a larger
** document (e.g. "/answers" of a session file): positions and pointers in
** errors are those of the whole text ("" is the whole document).
*/
cdg_status cdg_answers_parse_at(const cdg_pack *pack, const char *json,
                                size_t len, const char *file,
                                const char *pointer, cdg_answers **out,
                                cdg_error *err);

/* Frees the answers; NULL is a harmless no-op. */
void cdg_answers_free(cdg_answers *a);

/* A deep copy. Caller frees with cdg_answers_free. */
cdg_status cdg_answers_copy(const cdg_answers *a, cdg_answers **out);

/* The answers as a JSON object in pack order; NULL if allocation failed.
** Caller frees with cdg_free. */
char *cdg_answers_to_json(const cdg_answers *a);

/* 1 if question qid has an answer. */
int cdg_answers_has(const cdg_answers *a, const char *qid);
/* Codes of a single/multi answer, in option order. */
size_t cdg_answers_code_count(const cdg_answers *a, const char *qid);
const char *cdg_answers_code(const cdg_answers *a, const char *qid,
                             size_t i);
/* Value of a number answer (0 if none) or text answer (NULL if none). */
double cdg_answers_number(const cdg_answers *a, const char *qid);
const char *cdg_answers_text(const cdg_answers *a, const char *qid);

/*
** Set one answer after checking it against the question (codes exist,
** single vs multi, exclusive options, ranges, text length and characters).
** codes and text must not be NULL. Does not check enablement. Returns
** CDG_ERR_ANSWER (err has a message, no position) or CDG_ERR_NOMEM; on
** error a is unchanged.
*/
cdg_status cdg_answers_set_codes(cdg_answers *a, const char *qid,
                                 const char *const *codes, size_t n,
                                 cdg_error *err);
cdg_status cdg_answers_set_number(cdg_answers *a, const char *qid,
                                  double v, cdg_error *err);
cdg_status cdg_answers_set_text(cdg_answers *a, const char *qid,
                                const char *text, cdg_error *err);
/* Remove the answer to qid, if any; an unknown qid is ignored. */
void cdg_answers_remove(cdg_answers *a, const char *qid);

/*
** 1 if question q is enabled under these answers (no enable_when, or it
** evaluates truthy), 0 if not, -1 on an evaluation error.
*/
int cdg_answers_enabled(const cdg_answers *a, const cdg_question *q);

/* ---- Walker ----------------------------------------------------------- */

typedef struct cdg_walker cdg_walker;

/* A walker with no answers; it borrows the pack, which must outlive it.
** Returns CDG_OK or CDG_ERR_NOMEM. Caller frees *out with cdg_walker_free. */
cdg_status cdg_walker_new(const cdg_pack *pack, cdg_walker **out);

/* Frees the walker and its answers; NULL is a harmless no-op. */
void cdg_walker_free(cdg_walker *w);

/*
** Start from saved answers (already checked with cdg_answers_parse); the
** walk history is rebuilt in pack order. CDG_ERR_STATE if a belongs to
** another pack, CDG_ERR_NOMEM if allocation fails; on error w is unchanged.
*/
cdg_status cdg_walker_restore(cdg_walker *w, const cdg_answers *a);

/* The next enabled question in pack order that is neither answered nor
** skipped, or NULL when done. */
const cdg_question *cdg_walker_next(cdg_walker *w);

/*
** Answer question qid (normally the one cdg_walker_next returned).
** Answers to questions this change disables are dropped from the effective
** answers but kept as defaults in case they are enabled again. Returns the
** errors of cdg_answers_set_*, or CDG_ERR_STATE if the question is disabled
** now; on error w is unchanged.
*/
cdg_status cdg_walker_answer_codes(cdg_walker *w, const char *qid,
                                   const char *const *codes, size_t n,
                                   cdg_error *err);
cdg_status cdg_walker_answer_number(cdg_walker *w, const char *qid,
                                    double v, cdg_error *err);
cdg_status cdg_walker_answer_text(cdg_walker *w, const char *qid,
                                  const char *text, cdg_error *err);

/*
** Pass over optional question qid (normally the one cdg_walker_next
** returned) without answering it: it counts as done, and an earlier
** answer to it no longer counts (it stays the default). CDG_ERR_ANSWER for
** an unknown or required question, CDG_ERR_STATE if it is disabled now,
** CDG_ERR_NOMEM; on error w is unchanged. Skips are not answers: they are
** not in cdg_walker_answers, so a walk restored from saved answers asks
** skipped questions again.
*/
cdg_status cdg_walker_skip(cdg_walker *w, const char *qid, cdg_error *err);

/*
** Undo the last answer or skip: its question becomes the next one again,
** and its old answer is kept as the default. CDG_ERR_STATE at the start,
** CDG_ERR_NOMEM if allocation fails (w is then unchanged).
*/
cdg_status cdg_walker_back(cdg_walker *w);

/*
** Every answer given so far, including those undone by back or dropped by
** a disabling change: the defaults to show when a question comes back.
** Never NULL. Borrowed: valid until the next answer, back or restore.
*/
const cdg_answers *cdg_walker_defaults(const cdg_walker *w);

/* The effective answers: only enabled questions. Never NULL. Borrowed:
** valid until the next answer, back or restore. */
const cdg_answers *cdg_walker_answers(const cdg_walker *w);

/* 1 when every enabled required question has an answer. */
int cdg_walker_complete(const cdg_walker *w);

/* 1 if question qid was passed over with cdg_walker_skip and still counts
** as done (enabled, not undone by back), else 0 (also for an unknown id). */
int cdg_walker_skipped(const cdg_walker *w, const char *qid);

/*
** Progress: questions answered, and questions still to answer that are
** reachable (enabled now, or could be enabled by answers still to come).
** Skipped questions are in neither (cdg_walker_skipped). Either pointer
** may be NULL.
*/
void cdg_walker_progress(const cdg_walker *w, size_t *answered,
                         size_t *remaining);

/* ---- Outcome ---------------------------------------------------------- */

typedef struct cdg_outcome cdg_outcome;

/*
** Evaluate every rule of the pack on the answers. The cited passage ids
** come out in source order (the order of ps), each with the ids of the rules
** that cited it in pack order. a may be NULL (no answers). Returns
** CDG_ERR_PACK if a rule cites a passage not in ps, CDG_ERR_LOGIC if a rule
** cannot be evaluated on a, CDG_ERR_STATE if a belongs to another pack.
** The outcome owns its strings and may outlive pack and ps. Caller frees
** *out with cdg_outcome_free.
*/
cdg_status cdg_outcome_eval(const cdg_pack *pack, const cdg_answers *a,
                            const cdg_passages *ps, cdg_outcome **out,
                            cdg_error *err);
/* Frees the outcome; NULL is a harmless no-op. */
void cdg_outcome_free(cdg_outcome *o);

/* Cited passage i (in source order) and the rules that cited it. */
size_t cdg_outcome_count(const cdg_outcome *o);
const char *cdg_outcome_passage(const cdg_outcome *o, size_t i);
size_t cdg_outcome_cited_by_count(const cdg_outcome *o, size_t i);
const char *cdg_outcome_cited_by(const cdg_outcome *o, size_t i, size_t j);
/* 1 if passage id is cited. */
int cdg_outcome_cites(const cdg_outcome *o, const char *id);
/* 1 if rule r (pack index) fired. */
int cdg_outcome_fired(const cdg_outcome *o, size_t r);

/* ---- Linter ----------------------------------------------------------- */

typedef struct cdg_lint cdg_lint;

/*
** Check a loaded pack against the passages (ps may be NULL: passage ids are
** then not checked): passage ids listed twice, options labelled alike,
** unknown passage ids, var naming unknown questions, comparisons against option codes a
** question does not have, questions never enabled, rules that never fire,
** complete answer paths that cite nothing. Always returns a report (empty
** when clean) unless allocation fails (CDG_ERR_NOMEM). Caller frees *out
** with cdg_lint_free.
*/
cdg_status cdg_lint_run(const cdg_pack *pack, const cdg_passages *ps,
                        cdg_lint **out);
/*
** The same findings by enumerating every complete answer path, per
** independent group of questions: the oracle cdg_lint_run is tested
** against (`check --enumerate`). A group of more than 5,000,000 paths is
** reported as too large.
*/
cdg_status cdg_lint_enumerate(const cdg_pack *pack, const cdg_passages *ps,
                              cdg_lint **out);
/*
** cdg_lint_run plus one citation property, named id: on every complete
** answer path, each of the n passages is cited exactly when the JsonLogic
** condition iff (JSON text) holds. A path that breaks it is a finding,
** with the path as its witness. CDG_ERR_SYNTAX or CDG_ERR_LOGIC (err
** filled) for a bad iff, else as cdg_lint_run.
*/
cdg_status cdg_lint_check_cites(const cdg_pack *pack, const cdg_passages *ps,
                                const char *id, const char *const *passages,
                                size_t n, const char *iff, cdg_lint **out,
                                cdg_error *err);
/* Frees the report; NULL is a harmless no-op. */
void cdg_lint_free(cdg_lint *l);
/* The findings, in file order (those with no position last); 0 and NULL
** for a NULL report. */
size_t cdg_lint_count(const cdg_lint *l);
const cdg_error *cdg_lint_error(const cdg_lint *l, size_t i);
/* The number of complete answer paths of the whole pack: the product of
** the path counts of its independent components (1 for a pack with no
** questions; ULLONG_MAX if the product overflows). 0 for NULL. */
unsigned long long cdg_lint_paths(const cdg_lint *l);
/* 1 if the report comes from cdg_lint_enumerate (then cdg_lint_paths
** counts the paths); 0 for cdg_lint_run or NULL. */
int cdg_lint_enumerated(const cdg_lint *l);
/* cdg_lint_run: the number of path properties proved (each question can
** be enabled, each rule can fire, no complete path cites nothing, each
** citation property of the pack). 0 for NULL. */
size_t cdg_lint_proved(const cdg_lint *l);

/* ---- JsonLogic -------------------------------------------------------- */

/*
** Evaluate one JsonLogic rule on data (both JSON text; data may be NULL
** for null) and return the result as compact JSON. Bad JSON is
** CDG_ERR_SYNTAX; a NULL rule, an unknown operator or a rule that cannot be
** evaluated on data is CDG_ERR_LOGIC. Caller frees *result with cdg_free.
*/
cdg_status cdg_logic_eval_json(const char *rule, const char *data,
                               char **result, cdg_error *err);

#endif
