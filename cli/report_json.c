/*
** report_json.c: the JSON report, a rendering of the report document with
** the answers also as in an answers file (codes, numbers, text), so that
** a program can read both what was asked and what was answered.
*/
#include <stdio.h>

#include <cjson/cJSON.h>

#include "cdg_base.h"
#include "report.h"
#include "report_json.h"

/* Append item to arr; -1 when item is NULL (building it ran out of
** memory). */
static int S_append(cJSON *arr, cJSON *item) {
  if (!item)
    return -1;
  cJSON_AddItemToArray(arr, item);
  return 0;
}

/* Answer i as in an answers file: a code, codes, number or text. */
static cJSON *S_json_value(const cdg_report *d, size_t i) {
  cJSON *v = NULL;
  size_t j;

  switch (cdg_report_answer_type(d, i)) {
  case CDG_Q_SINGLE:
    return cJSON_CreateString(cdg_report_answer_code(d, i, 0));
  case CDG_Q_MULTI:
    if (!(v = cJSON_CreateArray()))
      return NULL;
    for (j = 0; j < cdg_report_answer_code_count(d, i); j++) {
      if (S_append(v, cJSON_CreateString(cdg_report_answer_code(d, i, j)))) {
        cJSON_Delete(v);
        return NULL;
      }
    }
    return v;
  case CDG_Q_NUMBER:
    return cJSON_CreateNumber(cdg_report_answer_number(d, i));
  case CDG_Q_TEXT:
    return cJSON_CreateString(cdg_report_answer_text(d, i));
  }
  return NULL;
}

/* {"id", "question", "value", "labels" (single and multi only)}. */
static cJSON *S_json_answer(const cdg_report *d, size_t i) {
  cdg_qtype t = cdg_report_answer_type(d, i);
  cJSON *o = cJSON_CreateObject(), *v, *labels;
  size_t j;

  if (!o || !cJSON_AddStringToObject(o, "id", cdg_report_answer_id(d, i)) ||
      !cJSON_AddStringToObject(o, "question", cdg_report_answer_question(d, i)))
    goto fail;
  if (!(v = S_json_value(d, i)))
    goto fail;
  if (!cJSON_AddItemToObject(o, "value", v)) { /* copying the key failed */
    cJSON_Delete(v);
    goto fail;
  }
  if (t == CDG_Q_SINGLE || t == CDG_Q_MULTI) {
    if (!(labels = cJSON_AddArrayToObject(o, "labels")))
      goto fail;
    for (j = 0; j < cdg_report_answer_code_count(d, i); j++)
      if (S_append(labels,
                   cJSON_CreateString(cdg_report_answer_label(d, i, j))))
        goto fail;
  }
  return o;
fail:
  cJSON_Delete(o);
  return NULL;
}

/* {"id", "question", "value"} of a question the review shows: value as
** in an answers file, null when not recorded. */
static cJSON *S_json_shown(const cdg_report *d, const char *id,
                           const char *question, size_t i) {
  cJSON *o = cJSON_CreateObject();
  cJSON *v = i == CDG_REPORT_UNANSWERED ? cJSON_CreateNull()
                                        : S_json_value(d, i);

  if (!o || !v || !cJSON_AddStringToObject(o, "id", id) ||
      !cJSON_AddStringToObject(o, "question", question) ||
      !cJSON_AddItemToObject(o, "value", v)) {
    cJSON_Delete(v);
    cJSON_Delete(o);
    return NULL;
  }
  return o;
}

/* {"treatment", "label", "tried" (true, false or null when not recorded),
**  "outcome" and "outcome_label" (null when not recorded), and "details"
**  when the pack names some and it was tried}. */
static cJSON *S_json_treatment(const cdg_report *d, size_t k) {
  size_t j, nd = cdg_report_detail_count(d, k);
  cJSON *o = cJSON_CreateObject(), *arr;
  const char *oc = cdg_report_treatment_outcome(d, k);
  const char *ol = cdg_report_treatment_outcome_label(d, k);
  int tried = cdg_report_treatment_tried(d, k);

  if (!o ||
      !cJSON_AddStringToObject(o, "treatment",
                               cdg_report_treatment_code(d, k)) ||
      !cJSON_AddStringToObject(o, "label", cdg_report_treatment_label(d, k)) ||
      !(tried < 0 ? cJSON_AddNullToObject(o, "tried")
                  : cJSON_AddBoolToObject(o, "tried", tried)) ||
      !(oc ? cJSON_AddStringToObject(o, "outcome", oc)
           : cJSON_AddNullToObject(o, "outcome")) ||
      !(ol ? cJSON_AddStringToObject(o, "outcome_label", ol)
           : cJSON_AddNullToObject(o, "outcome_label")))
    goto fail;
  if (nd && !(arr = cJSON_AddArrayToObject(o, "details")))
    goto fail;
  for (j = 0; j < nd; j++)
    if (S_append(arr, S_json_shown(d, cdg_report_detail_id(d, k, j),
                                   cdg_report_detail_question(d, k, j),
                                   cdg_report_detail_answer(d, k, j))))
      goto fail;
  return o;
fail:
  cJSON_Delete(o);
  return NULL;
}

/* {"id", "section", "text", "cited_by": [rule ids], "because_of": [{"rule",
**  "answers": [ids of the questions whose answers it read]}]}. */
static cJSON *S_json_passage(const cdg_report *d, size_t k) {
  cJSON *o = cJSON_CreateObject(), *by, *because, *ro, *ids;
  size_t j, i;

  if (!o || !cJSON_AddStringToObject(o, "id", cdg_report_passage_id(d, k)) ||
      !cJSON_AddStringToObject(o, "section",
                               cdg_report_passage_section(d, k)) ||
      !cJSON_AddStringToObject(o, "text", cdg_report_passage_text(d, k)) ||
      !(by = cJSON_AddArrayToObject(o, "cited_by")))
    goto fail;
  for (j = 0; j < cdg_report_passage_rule_count(d, k); j++)
    if (S_append(by, cJSON_CreateString(cdg_report_rule_id(
                         d, cdg_report_passage_rule(d, k, j)))))
      goto fail;
  if (!(because = cJSON_AddArrayToObject(o, "because_of")))
    goto fail;
  for (j = 0; j < cdg_report_passage_rule_count(d, k); j++) {
    size_t r = cdg_report_passage_rule(d, k, j);

    if (S_append(because, ro = cJSON_CreateObject()) ||
        !cJSON_AddStringToObject(ro, "rule", cdg_report_rule_id(d, r)) ||
        !(ids = cJSON_AddArrayToObject(ro, "answers")))
      goto fail;
    for (i = 0; i < cdg_report_rule_answer_count(d, r); i++)
      if (S_append(ids, cJSON_CreateString(cdg_report_answer_id(
                            d, cdg_report_rule_answer(d, r, i)))))
        goto fail;
  }
  return o;
fail:
  cJSON_Delete(o);
  return NULL;
}

/* The JSON report tree, or NULL when out of memory. */
static cJSON *S_json_report(const cdg_report *d) {
  cJSON *root = cJSON_CreateObject(), *o, *arr;
  size_t i, n;

  if (!root || !(o = cJSON_AddObjectToObject(root, "tool")) ||
      !cJSON_AddStringToObject(o, "name", "cdguide") ||
      !cJSON_AddStringToObject(o, "version", cdg_report_tool_version(d)) ||
      !cJSON_AddStringToObject(o, "date", cdg_report_recorded(d)))
    goto fail;
  if (!(o = cJSON_AddObjectToObject(root, "pack")) ||
      !cJSON_AddStringToObject(o, "id", cdg_report_pack_id(d)) ||
      !cJSON_AddStringToObject(o, "version", cdg_report_pack_version(d)) ||
      !cJSON_AddStringToObject(o, "title", cdg_report_pack_title(d)))
    goto fail;
  if (!(o = cJSON_AddObjectToObject(root, "source")) ||
      !cJSON_AddStringToObject(o, "title", cdg_report_source_title(d)) ||
      !cJSON_AddStringToObject(o, "publisher",
                               cdg_report_source_publisher(d)) ||
      !cJSON_AddStringToObject(o, "sha256", cdg_report_source_sha256(d)))
    goto fail;
  /* When the answers were given, when the file keeps a history. */
  if (cdg_report_first_recorded(d)[0] &&
      (!(o = cJSON_AddObjectToObject(root, "recorded")) ||
       !cJSON_AddStringToObject(o, "first", cdg_report_first_recorded(d)) ||
       !cJSON_AddStringToObject(o, "last", cdg_report_last_recorded(d))))
    goto fail;
  if (!(arr = cJSON_AddArrayToObject(root, "answers")))
    goto fail;
  for (i = 0, n = cdg_report_answer_count(d); i < n; i++)
    if (S_append(arr, S_json_answer(d, i)))
      goto fail;
  /* The condition, when the pack names the questions that describe it. */
  if ((n = cdg_report_summary_count(d)) > 0 &&
      !(arr = cJSON_AddArrayToObject(root, "summary")))
    goto fail;
  for (i = 0; i < n; i++)
    if (S_append(arr, S_json_shown(d, cdg_report_summary_id(d, i),
                                   cdg_report_summary_question(d, i),
                                   cdg_report_summary_answer(d, i))))
      goto fail;
  if (!(arr = cJSON_AddArrayToObject(root, "treatment_history")))
    goto fail;
  for (i = 0, n = cdg_report_treatment_count(d); i < n; i++)
    if (S_append(arr, S_json_treatment(d, i)))
      goto fail;
  if (!(arr = cJSON_AddArrayToObject(root, "passages")))
    goto fail;
  for (i = 0, n = cdg_report_passage_count(d); i < n; i++)
    if (S_append(arr, S_json_passage(d, i)))
      goto fail;
  /* The session's history, when the answers came from a journal. */
  if ((n = cdg_report_event_count(d)) > 0 &&
      !(arr = cJSON_AddArrayToObject(root, "history")))
    goto fail;
  for (i = 0; i < n; i++) {
    const cdg_report_event *e = cdg_report_event_at(d, i);
    cJSON *ev = cJSON_CreateObject(), *v;

    if (S_append(arr, ev) || !cJSON_AddStringToObject(ev, "time", e->at ? e->at : "") ||
        !cJSON_AddStringToObject(ev, "event", e->action ? e->action : ""))
      goto fail;
    if (e->question && !cJSON_AddStringToObject(ev, "question", e->question))
      goto fail;
    if (e->value && (!(v = cJSON_Parse(e->value)) ||
                     !cJSON_AddItemToObject(ev, "answer", v)))
      goto fail;
  }
  if (!cJSON_AddBoolToObject(root, "complete", cdg_report_complete(d)))
    goto fail;
  /* The required questions without an answer, by id and text. */
  if ((n = cdg_report_missing_count(d)) > 0 &&
      !(arr = cJSON_AddArrayToObject(root, "missing")))
    goto fail;
  for (i = 0; i < n; i++)
    if (S_append(arr, o = cJSON_CreateObject()) ||
        !cJSON_AddStringToObject(o, "id", cdg_report_missing_id(d, i)) ||
        !cJSON_AddStringToObject(o, "question",
                                 cdg_report_missing_text(d, i)))
      goto fail;
  if (!cJSON_AddStringToObject(root, "notice", REPORT_NOTICE))
    goto fail;
  return root;
fail:
  cJSON_Delete(root);
  return NULL;
}

int report_json_write(FILE *out, const cdg_report *d) {
  cJSON *root = S_json_report(d);
  char *text = root ? cJSON_Print(root) : NULL;
  int rc = 0;

  if (!text) {
    cli_errorf("out of memory");
    rc = cli_exit_code(CDG_ERR_NOMEM);
  } else if (cli_put_json(out, text) == 0) {
    fputc('\n', out);
  }
  cJSON_free(text);
  cJSON_Delete(root);
  if (!rc && (fflush(out) != 0 || ferror(out))) {
    cli_errorf("cannot write the report");
    rc = cli_exit_code(CDG_ERR_IO);
  }
  return rc;
}
