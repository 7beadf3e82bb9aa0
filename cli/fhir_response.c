/*
** fhir_response.c: the report document as a FHIR R4
** QuestionnaireResponse, and a QuestionnaireResponse read back as answers
** for the pack (docs/fhir.md).
*/
#include "fhir_int.h"

#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

/* ---- QuestionnaireResponse ----------------------------------------- */

/* Answer i of the document as a response item. */
static int S_answer_item(const cdg_report *d, size_t i, cJSON *items) {
  const char *qid = cdg_report_answer_id(d, i);
  const char *text = cdg_report_answer_text(d, i);
  cJSON *item, *ans, *v, *c;
  size_t j, n;

  /* FHIR strings cannot be empty: an empty text answer has no value. */
  if (cdg_report_answer_type(d, i) == CDG_Q_TEXT && !(text && text[0]))
    return 0;
  if (!(item = fhir_push(items)) || fhir_str(item, "linkId", qid) ||
      fhir_str(item, "text", cdg_report_answer_question(d, i)) ||
      !(ans = cJSON_AddArrayToObject(item, "answer")))
    return -1;
  switch (cdg_report_answer_type(d, i)) {
  case CDG_Q_SINGLE:
  case CDG_Q_MULTI:
    n = cdg_report_answer_code_count(d, i);
    for (j = 0; j < n; j++) {
      if (!(v = fhir_push(ans)) ||
          !(c = cJSON_AddObjectToObject(v, "valueCoding")) ||
          fhir_str_own(c, "system", fhir_system_of(cdg_report_pack_id(d), qid)) ||
          fhir_str(c, "code", cdg_report_answer_code(d, i, j)) ||
          fhir_str(c, "display", cdg_report_answer_label(d, i, j)))
        return -1;
    }
    return 0;
  case CDG_Q_NUMBER:
    return (v = fhir_push(ans)) &&
                   cJSON_AddNumberToObject(
                       v,
                       cdg_report_answer_format(d, i) == CDG_QF_INTEGER
                           ? "valueInteger"
                           : "valueDecimal",
                       cdg_report_answer_number(d, i))
               ? 0
               : -1;
  case CDG_Q_TEXT:
    return (v = fhir_push(ans)) &&
                   !fhir_str(v,
                          cdg_report_answer_format(d, i) == CDG_QF_DATE
                              ? "valueDate"
                              : "valueString",
                          text)
               ? 0
               : -1;
  }
  return 0;
}

/* Cited passage k of the document as a "passage" sub-extension. */
static int S_passage_ext(const cdg_report *d, size_t k, cJSON *r) {
  cJSON *p = fhir_push(fhir_array(r, "extension"));
  size_t j;

  if (!p || fhir_str(p, "url", "passage") ||
      fhir_ext_str(p, "id", "valueCode", cdg_report_passage_id(d, k)) ||
      fhir_ext_str(p, "section", "valueString",
                cdg_report_passage_section(d, k)) ||
      fhir_ext_str(p, "text", "valueString", cdg_report_passage_text(d, k)))
    return -1;
  for (j = 0; j < cdg_report_passage_rule_count(d, k); j++)
    if (fhir_ext_str(p, "cited-by", "valueCode",
                  cdg_report_rule_id(d, cdg_report_passage_rule(d, k, j))))
      return -1;
  return 0;
}

/*
** What a report carries beyond the answers (tool, source, notice, the
** cited passages with the rules that cited them, in report order), as one
** extension of our own: the response itself mirrors the answers only.
*/
static int S_report_ext(const cdg_report *d, cJSON *root) {
  cJSON *r = fhir_push(fhir_array(root, "extension"));
  char *tool = cdg_strdup_printf("cdguide %s", cdg_report_tool_version(d));
  size_t k, n = cdg_report_passage_count(d);
  int bad;

  bad = !r || !tool || fhir_str(r, "url", FHIR_EXT_REPORT) ||
        fhir_ext_str(r, "tool", "valueString", tool) ||
        fhir_ext_str(r, "source-title", "valueString",
                  fhir_or(cdg_report_pack_source_title(d),
                       cdg_report_source_title(d))) ||
        fhir_ext_str(r, "source-sha256", "valueString",
                  fhir_or(cdg_report_pack_source_sha256(d),
                       cdg_report_source_sha256(d))) ||
        fhir_ext_str(r, "notice", "valueString", CDG_REPORT_NOTICE);
  cdg_free(tool);
  for (k = 0; !bad && k < n; k++)
    bad = S_passage_ext(d, k, r);
  return bad ? -1 : 0;
}

/* 1 if s looks like a FHIR dateTime (a year first); otherwise the response
** goes without "authored" rather than with an invalid one. */
static int S_is_datetime(const char *s) {
  return s && strspn(s, "0123456789") == 4 && (s[4] == '\0' || s[4] == '-');
}

static cJSON *S_response(const cdg_report *d) {
  cJSON *root = cJSON_CreateObject(), *items;
  char *url = fhir_url_of(cdg_report_pack_id(d));
  const char *date = cdg_report_recorded(d);
  size_t i, n = cdg_report_answer_count(d);

  if (!root || !url || fhir_str(root, "resourceType", "QuestionnaireResponse") ||
      S_report_ext(d, root) ||
      fhir_str_own(root, "questionnaire",
                cdg_strdup_printf("%s|%s", url, cdg_report_pack_version(d))) ||
      fhir_str(root, "status",
            cdg_report_complete(d) ? "completed" : "in-progress") ||
      (S_is_datetime(date) && fhir_str(root, "authored", date)) ||
      !(items = cJSON_AddArrayToObject(root, "item")))
    goto nomem;
  for (i = 0; i < n; i++)
    if (S_answer_item(d, i, items))
      goto nomem;
  cdg_free(url);
  return root;
nomem:
  cdg_free(url);
  cJSON_Delete(root);
  return NULL;
}

int fhir_write_response(FILE *out, const cdg_report *d) {
  return fhir_print(out, S_response(d));
}

/* ---- Reading a QuestionnaireResponse ------------------------------- */

/* Index of the response item with this linkId, or -1. */
static int S_item_index(const cJSON *items, const char *qid) {
  const cJSON *it;
  int i = 0;

  cJSON_ArrayForEach(it, items) {
    const cJSON *l = cJSON_GetObjectItemCaseSensitive(it, "linkId");

    if (cJSON_IsString(l) && strcmp(l->valuestring, qid) == 0)
      return i;
    i++;
  }
  return -1;
}

/* The questionnaire canonical must be this pack's URL, and its version
** (after '|', if given) this pack's version or one it reads. */
static cdg_status S_check_canonical(const cdg_pack *pack, const cJSON *qn,
                                    const char *file, cdg_error *err) {
  char *url = fhir_url(pack);
  const char *bar;
  size_t ulen;
  cdg_status st = CDG_OK;

  if (!url)
    return cdg_error_set(err, CDG_ERR_NOMEM, file, "", "out of memory");
  if (!cJSON_IsString(qn)) {
    st = cdg_error_set(
        err, CDG_ERR_ANSWER, file, "/questionnaire",
        "the QuestionnaireResponse does not name its questionnaire "
        "(expected \"%s|%s\")",
        url, cdg_pack_version(pack));
    goto out;
  }
  bar = strchr(qn->valuestring, '|');
  ulen = bar ? (size_t)(bar - qn->valuestring) : strlen(qn->valuestring);
  if (ulen != strlen(url) || strncmp(qn->valuestring, url, ulen) != 0) {
    st = cdg_error_set(err, CDG_ERR_ANSWER, file, "/questionnaire",
                       "questionnaire \"%s\" is not this pack's (%s)",
                       qn->valuestring, url);
  } else if (bar && !cdg_pack_reads_version(pack, bar + 1)) {
    st = cdg_error_set(
        err, CDG_ERR_ANSWER, file, "/questionnaire",
        "the QuestionnaireResponse answers version %s of pack %s, "
        "but this pack is version %s",
        bar + 1, cdg_pack_id(pack), cdg_pack_version(pack));
  }
out:
  cdg_free(url);
  return st;
}

/*
** One answer value as JSON for the answers object: a code (valueCoding,
** whose system, if given, must be the question's), or a number, or text.
*/
static cdg_status S_value(const cdg_pack *pack, const cdg_question *q,
                          const cJSON *ans, const char *file,
                          const char *ptr, cJSON **v, cdg_error *err) {
  const char *qid = cdg_question_id(q);
  const cJSON *x;

  *v = NULL;
  switch (cdg_question_type(q)) {
  case CDG_Q_SINGLE:
  case CDG_Q_MULTI: {
    const cJSON *sys, *code;
    char *want;
    int same;

    x = cJSON_GetObjectItemCaseSensitive(ans, "valueCoding");
    code = cJSON_GetObjectItemCaseSensitive(x, "code");
    sys = cJSON_GetObjectItemCaseSensitive(x, "system");
    if (!cJSON_IsString(code))
      return cdg_error_set(
          err, CDG_ERR_ANSWER, file, ptr,
          "item '%s': the answer needs a valueCoding with a code", qid);
    if (sys) {
      if (!(want = fhir_system(pack, qid)))
        return cdg_error_set(err, CDG_ERR_NOMEM, file, ptr, "out of memory");
      same = cJSON_IsString(sys) && strcmp(sys->valuestring, want) == 0;
      if (!same) {
        cdg_error_set(err, CDG_ERR_ANSWER, file, ptr,
                      "item '%s': code system is not %s", qid, want);
        cdg_free(want);
        return CDG_ERR_ANSWER;
      }
      cdg_free(want);
    }
    *v = cJSON_CreateString(code->valuestring);
    break;
  }
  case CDG_Q_NUMBER:
    x = cJSON_GetObjectItemCaseSensitive(ans, "valueDecimal");
    if (!x)
      x = cJSON_GetObjectItemCaseSensitive(ans, "valueInteger");
    if (!cJSON_IsNumber(x))
      return cdg_error_set(err, CDG_ERR_ANSWER, file, ptr,
                           "item '%s': the answer needs a valueDecimal or "
                           "valueInteger",
                           qid);
    *v = cJSON_CreateNumber(x->valuedouble);
    break;
  case CDG_Q_TEXT: {
    const char *key =
        cdg_question_format(q) == CDG_QF_DATE ? "valueDate" : "valueString";

    x = cJSON_GetObjectItemCaseSensitive(ans, key);
    if (!cJSON_IsString(x))
      return cdg_error_set(err, CDG_ERR_ANSWER, file, ptr,
                           "item '%s': the answer needs a %s", qid, key);
    *v = cJSON_CreateString(x->valuestring);
    break;
  }
  }
  return *v ? CDG_OK
            : cdg_error_set(err, CDG_ERR_NOMEM, file, ptr, "out of memory");
}

/* Item number i of the response into the answers object. */
static cdg_status S_read_item(const cdg_pack *pack, const cJSON *item, int i,
                              const char *file, cJSON *answers,
                              cdg_error *err) {
  const cJSON *link = cJSON_GetObjectItemCaseSensitive(item, "linkId");
  const cJSON *ans = cJSON_GetObjectItemCaseSensitive(item, "answer");
  const cJSON *a;
  const cdg_question *q;
  char ptr[64];
  cJSON *vals = NULL, *v;
  cdg_status st;
  int k = 0;

  snprintf(ptr, sizeof ptr, "/item/%d", i);
  if (!cJSON_IsObject(item) || !cJSON_IsString(link))
    return cdg_error_set(err, CDG_ERR_ANSWER, file, ptr,
                         "item %d has no linkId", i + 1);
  if (!(q = cdg_pack_find_question(pack, link->valuestring)))
    return cdg_error_set(err, CDG_ERR_ANSWER, file, ptr,
                         "item '%s': no such question in pack %s",
                         link->valuestring, cdg_pack_id(pack));
  if (cJSON_GetObjectItemCaseSensitive(answers, link->valuestring))
    return cdg_error_set(err, CDG_ERR_ANSWER, file, ptr,
                         "item '%s' appears twice", link->valuestring);
  if (cJSON_GetObjectItemCaseSensitive(item, "item"))
    return cdg_error_set(err, CDG_ERR_ANSWER, file, ptr,
                         "item '%s': nested items are not part of this "
                         "questionnaire",
                         link->valuestring);
  if (ans && !cJSON_IsArray(ans))
    return cdg_error_set(err, CDG_ERR_ANSWER, file, ptr,
                         "item '%s': answer is not an array",
                         link->valuestring);
  if (cJSON_GetArraySize(ans) == 0)
    return CDG_OK; /* no answer given */
  if (cdg_question_type(q) == CDG_Q_MULTI || cJSON_GetArraySize(ans) > 1)
    if (!(vals = cJSON_CreateArray()))
      return cdg_error_set(err, CDG_ERR_NOMEM, file, ptr, "out of memory");
  cJSON_ArrayForEach(a, ans) {
    char aptr[96];

    snprintf(aptr, sizeof aptr, "%s/answer/%d", ptr, k++);
    st = S_value(pack, q, a, file, aptr, &v, err);
    if (st != CDG_OK) {
      cJSON_Delete(vals);
      return st;
    }
    if (!vals) { /* the one answer to a single, number or text question */
      vals = v;
    } else if (!cJSON_AddItemToArray(vals, v)) {
      cJSON_Delete(v);
      cJSON_Delete(vals);
      return cdg_error_set(err, CDG_ERR_NOMEM, file, ptr, "out of memory");
    }
  }
  if (!cJSON_AddItemToObject(answers, link->valuestring, vals)) {
    cJSON_Delete(vals);
    return cdg_error_set(err, CDG_ERR_NOMEM, file, ptr, "out of memory");
  }
  return CDG_OK;
}

/*
** The engine checked the answers object we built; point its error at the
** response item instead ("/pain/1" -> "/item/0/answer/1"), without a
** line:col that would be in our text, not the file.
*/
static void S_map_error(const cJSON *items, cdg_error *err,
                        const char *file) {
  char qid[256], rest[256];
  const char *p = err->pointer;
  size_t n;
  int idx;

  snprintf(err->file, sizeof err->file, "%s", file);
  err->line = 0;
  err->col = 0;
  if (p[0] != '/') {
    err->pointer[0] = '\0';
    return;
  }
  n = strcspn(p + 1, "/");
  snprintf(qid, sizeof qid, "%.*s", (int)n, p + 1);
  snprintf(rest, sizeof rest, "%s", p + 1 + n);
  idx = S_item_index(items, qid);
  if (idx < 0)
    snprintf(err->pointer, sizeof err->pointer, "/item");
  else if (rest[0])
    snprintf(err->pointer, sizeof err->pointer, "/item/%d/answer%.200s", idx,
             rest);
  else
    snprintf(err->pointer, sizeof err->pointer, "/item/%d", idx);
}

cdg_status fhir_read_response(const cdg_pack *pack, const char *json,
                              size_t len, const char *file,
                              cdg_answers **out, cdg_error *err) {
  cJSON *root, *answers = NULL;
  const cJSON *rt, *status, *items, *it;
  char *text = NULL;
  cdg_status st;
  int i = 0;

  *out = NULL;
  if (!file)
    file = "";
  st = cdg_json_check(json, len, file, err);
  if (st != CDG_OK)
    return st;
  if (!(root = cJSON_ParseWithLength(json, len)))
    return cdg_error_set(err, CDG_ERR_NOMEM, file, "", "out of memory");
  rt = cJSON_GetObjectItemCaseSensitive(root, "resourceType");
  status = cJSON_GetObjectItemCaseSensitive(root, "status");
  items = cJSON_GetObjectItemCaseSensitive(root, "item");
  if (!cJSON_IsString(rt) ||
      strcmp(rt->valuestring, "QuestionnaireResponse") != 0) {
    st = cdg_error_set(err, CDG_ERR_ANSWER, file, "/resourceType",
                       "not a FHIR QuestionnaireResponse (resourceType is %s)",
                       cJSON_IsString(rt) ? rt->valuestring : "missing");
    goto out;
  }
  st = S_check_canonical(
      pack, cJSON_GetObjectItemCaseSensitive(root, "questionnaire"), file,
      err);
  if (st != CDG_OK)
    goto out;
  if (!cJSON_IsString(status) ||
      (strcmp(status->valuestring, "in-progress") != 0 &&
       strcmp(status->valuestring, "completed") != 0 &&
       strcmp(status->valuestring, "amended") != 0 &&
       strcmp(status->valuestring, "stopped") != 0)) {
    st = cdg_error_set(
        err, CDG_ERR_ANSWER, file, "/status",
        "status must be in-progress, completed, amended or stopped"
        "%s",
        cJSON_IsString(status) &&
                strcmp(status->valuestring, "entered-in-error") == 0
            ? " (this response was entered in error)"
            : "");
    goto out;
  }
  if (items && !cJSON_IsArray(items)) {
    st = cdg_error_set(err, CDG_ERR_ANSWER, file, "/item",
                       "item is not an array");
    goto out;
  }
  if (!(answers = cJSON_CreateObject())) {
    st = cdg_error_set(err, CDG_ERR_NOMEM, file, "", "out of memory");
    goto out;
  }
  cJSON_ArrayForEach(it, items) {
    st = S_read_item(pack, it, i++, file, answers, err);
    if (st != CDG_OK)
      goto out;
  }
  if (!(text = cJSON_PrintUnformatted(answers))) {
    st = cdg_error_set(err, CDG_ERR_NOMEM, file, "", "out of memory");
    goto out;
  }
  st = cdg_answers_parse(pack, text, strlen(text), file, out, err);
  if (st != CDG_OK)
    S_map_error(items, err, file);
out:
  /* Errors name a place in the response: give its line:col too. */
  if (st != CDG_OK && st != CDG_ERR_SYNTAX && err->pointer[0])
    cdg_json_locate(json, len, err->pointer, &err->line, &err->col);
  cJSON_free(text);
  cJSON_Delete(answers);
  cJSON_Delete(root);
  return st;
}
