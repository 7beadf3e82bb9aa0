/*
** fhir.c: the pack as a FHIR R4 Questionnaire, answers as a
** QuestionnaireResponse, and a QuestionnaireResponse back as answers.
** docs/fhir.md explains the choices (URLs, types, enableWhen, passages).
*/
#include "fhir.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>


/*
** Our canonical URLs live under the reserved .invalid top-level domain
** (RFC 6761): stable identifiers that never resolve and are nobody's
** official address, NICE's least of all.
*/
#define FHIR_BASE "https://cdguide.invalid/fhir"
#define FHIR_EXT_SOURCE FHIR_BASE "/StructureDefinition/guidance-source"
#define FHIR_EXT_REPORT FHIR_BASE "/StructureDefinition/cdguide-report"
#define FHIR_EXT_ITEM_CONTROL \
  "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
#define FHIR_CS_ITEM_CONTROL "http://hl7.org/fhir/questionnaire-item-control"
#define FHIR_EXT_EXCLUSIVE \
  "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive"
#define FHIR_EXT_MIN "http://hl7.org/fhir/StructureDefinition/minValue"
#define FHIR_EXT_MAX "http://hl7.org/fhir/StructureDefinition/maxValue"
/*
** A condition enableWhen cannot say is kept as JsonLogic in an extension
** of our own. Not SDC's enableWhenExpression: its Expression.language is
** an enum of text/cql, text/fhirpath and application/x-fhir-query in the
** R4 JSON schema, and JsonLogic is none of them.
*/
#define FHIR_EXT_JSONLOGIC \
  FHIR_BASE "/StructureDefinition/enable-when-jsonlogic"


/* ---- Small helpers ------------------------------------------------- */

/* printf into a new string. Caller frees with cdg_free; NULL if out of
** memory. */
static char *S_fmt(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

static char *S_fmt(const char *fmt, ...) {
  va_list ap;
  int n;
  char *s;

  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0 || !(s = cdg_malloc((size_t)n + 1)))
    return NULL;
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

/* Add a copy of the string v under key k; -1 if out of memory. */
static int S_str(cJSON *o, const char *k, const char *v) {
  return cJSON_AddStringToObject(o, k, v) ? 0 : -1;
}

/* Add string v under k and free v (NULL v: out of memory). */
static int S_str_own(cJSON *o, const char *k, char *v) {
  int r = v ? S_str(o, k, v) : -1;

  cdg_free(v);
  return r;
}

/* A new object appended to array a; NULL if out of memory (or a NULL). */
static cJSON *S_push(cJSON *a) {
  cJSON *o = cJSON_CreateObject();

  if (o && !cJSON_AddItemToArray(a, o)) {
    cJSON_Delete(o);
    return NULL;
  }
  return o;
}

/* The array under key k of o, created if absent. */
static cJSON *S_array(cJSON *o, const char *k) {
  cJSON *a = cJSON_GetObjectItemCaseSensitive(o, k);

  return a ? a : cJSON_AddArrayToObject(o, k);
}

/* Append {"url": url, "<vkey>": <string v>} to o.extension. */
static int S_ext_str(cJSON *o, const char *url, const char *vkey,
                     const char *v) {
  cJSON *e = S_push(S_array(o, "extension"));

  return e && !S_str(e, "url", url) && !S_str(e, vkey, v) ? 0 : -1;
}

/* The Questionnaire's canonical URL, for the pack with this id. Caller
** frees with cdg_free. */
static char *S_url_of(const char *pack_id) {
  return S_fmt("%s/Questionnaire/%s", FHIR_BASE, pack_id);
}

static char *S_url(const cdg_pack *pack) {
  return S_url_of(cdg_pack_id(pack));
}

/*
** The code system of a question's options: one per question, because the
** same code ("yes", "unsure") means a different thing under each
** question. Caller frees with cdg_free.
*/
static char *S_system_of(const char *pack_id, const char *qid) {
  return S_fmt("%s/CodeSystem/%s/%s", FHIR_BASE, pack_id, qid);
}

static char *S_system(const cdg_pack *pack, const char *qid) {
  return S_system_of(cdg_pack_id(pack), qid);
}

/* FHIR's computable name: "cervical-dystonia" -> "CervicalDystonia",
** matching [A-Z][A-Za-z0-9_]{0,254}. Caller frees with cdg_free. */
static char *S_name(const char *id) {
  size_t n = strlen(id), k = 0;
  char *s = cdg_malloc(n + 5);
  int up = 1;

  if (!s)
    return NULL;
  if (!(id[0] >= 'a' && id[0] <= 'z') && !(id[0] >= 'A' && id[0] <= 'Z')) {
    memcpy(s, "Pack", 4);
    k = 4;
  }
  for (; *id && k < 255; id++) {
    char c = *id;

    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9')) {
      s[k++] = up && c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
      up = 0;
    } else {
      up = 1;
    }
  }
  s[k] = '\0';
  return s;
}

/* 1 if id fits FHIR's id type: [A-Za-z0-9.-]{1,64}. */
static int S_fhir_id(const char *id) {
  size_t n = strspn(id,
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                    "0123456789.-");

  return n > 0 && n <= 64 && id[n] == '\0';
}

/* Serialise root to out with a final newline, then delete root; a NULL
** root is an allocation that failed while building it. Returns 0 or the
** exit status, having said why. */
static int S_print(FILE *out, cJSON *root) {
  char *text = root ? cJSON_Print(root) : NULL;
  int bad;

  cJSON_Delete(root);
  if (!text) {
    cli_errorf("out of memory");
    return cli_exit_code(CDG_ERR_NOMEM);
  }
  errno = 0;
  bad = cli_put_json(out, text) != 0 || fputc('\n', out) == EOF ||
        ferror(out);
  cJSON_free(text);
  if (bad) {
    cli_errorf("cannot write the FHIR resource: %s",
               errno ? strerror(errno) : "write error");
    return EX_IOERR;
  }
  return 0;
}

/* ---- Questionnaire ------------------------------------------------- */

/* The question id in {"var": "id"} or {"var": ["id"]}, else NULL. */
static const char *S_var(const cJSON *v) {
  const cJSON *a;

  if (!cJSON_IsObject(v) || cJSON_GetArraySize(v) != 1)
    return NULL;
  a = cJSON_GetObjectItemCaseSensitive(v, "var");
  if (cJSON_IsArray(a) && cJSON_GetArraySize(a) == 1)
    a = cJSON_GetArrayItem(a, 0);
  return cJSON_IsString(a) ? a->valuestring : NULL;
}

/*
** One condition FHIR's enableWhen says exactly, appended to ew:
** {"in": [CODE, {"var": Q}]} on a single or multi question, or
** {"==" or "===": [{"var": Q}, CODE]} (either order) on a single question,
** both as Q "=" CODE. Both are false when Q is unanswered, as "=" is.
** Returns 1 if written, 0 if not expressible, -1 if out of memory.
*/
static int S_condition(const cdg_pack *pack, const cJSON *c, cJSON *ew) {
  const cJSON *op, *a0, *a1;
  const cJSON *code;
  const char *qid;
  const cdg_question *q;
  cJSON *w, *coding;
  long opt;

  if (!cJSON_IsObject(c) || cJSON_GetArraySize(c) != 1)
    return 0;
  op = c->child;
  if (!cJSON_IsArray(op) || cJSON_GetArraySize(op) != 2)
    return 0;
  a0 = cJSON_GetArrayItem(op, 0);
  a1 = cJSON_GetArrayItem(op, 1);
  if (strcmp(op->string, "in") == 0) {
    code = a0;
    qid = S_var(a1);
  } else if (strcmp(op->string, "==") == 0 ||
             strcmp(op->string, "===") == 0) {
    code = cJSON_IsString(a0) ? a0 : a1;
    qid = S_var(cJSON_IsString(a0) ? a1 : a0);
  } else {
    return 0;
  }
  if (!qid || !cJSON_IsString(code) ||
      !(q = cdg_pack_find_question(pack, qid)))
    return 0;
  if (cdg_question_type(q) != CDG_Q_SINGLE &&
      !(cdg_question_type(q) == CDG_Q_MULTI && op->string[0] == 'i'))
    return 0;
  opt = cdg_question_find_option(q, code->valuestring);
  if (opt < 0)
    return 0;
  if (!(w = S_push(ew)) || S_str(w, "question", qid) ||
      S_str(w, "operator", "=") ||
      !(coding = cJSON_AddObjectToObject(w, "answerCoding")) ||
      S_str_own(coding, "system", S_system(pack, qid)) ||
      S_str(coding, "code", code->valuestring) ||
      S_str(coding, "display",
            cdg_question_option_label(q, (size_t)opt)))
    return -1;
  return 1;
}

/*
** enable_when as enableWhen (one condition, or an "and"/"or" of them as
** enableBehavior all/any). Otherwise the JsonLogic goes, unchanged, into
** our extension, and a warning names the question: form fillers will
** show the question whatever the answers.
*/
static int S_enable_when(const cdg_pack *pack, const cdg_question *q,
                         cJSON *item) {
  char *text;
  cJSON *logic = NULL, *ew = NULL;
  const cJSON *c;
  const char *behavior = NULL;
  int r = -1, ok = 1;

  if (!cdg_question_conditional(q))
    return 0;
  if (!(text = cdg_question_enable_when_json(q)))
    return -1;
  logic = cJSON_Parse(text);
  ew = cJSON_CreateArray();
  if (!logic || !ew)
    goto out;
  c = logic->child;
  if (cJSON_IsObject(logic) && cJSON_GetArraySize(logic) == 1 &&
      cJSON_IsArray(c) &&
      (strcmp(c->string, "and") == 0 || strcmp(c->string, "or") == 0)) {
    const cJSON *m;

    behavior = c->string[0] == 'a' ? "all" : "any";
    cJSON_ArrayForEach(m, c) {
      int k = S_condition(pack, m, ew);

      if (k < 0)
        goto out;
      ok = ok && k == 1;
    }
    ok = ok && cJSON_GetArraySize(ew) > 0;
  } else {
    int k = S_condition(pack, logic, ew);

    if (k < 0)
      goto out;
    ok = k == 1;
  }
  if (ok) {
    int n = cJSON_GetArraySize(ew);

    if (!cJSON_AddItemToObject(item, "enableWhen", ew))
      goto out;
    ew = NULL; /* item owns it now */
    if (n > 1 && S_str(item, "enableBehavior", behavior))
      goto out;
  } else {
    cli_errorf("warning: question '%s': its enable_when is not "
               "expressible as FHIR enableWhen; written as JsonLogic in the "
               "extension %s, which form fillers do not evaluate",
               cdg_question_id(q), FHIR_EXT_JSONLOGIC);
    if (S_ext_str(item, FHIR_EXT_JSONLOGIC, "valueString", text))
      goto out;
  }
  r = 0;
out:
  cJSON_Delete(ew);
  cJSON_Delete(logic);
  cdg_free(text);
  return r;
}

/* The help text as a display item with the "help" item control. */
static int S_help(const cdg_question *q, cJSON *item) {
  cJSON *h, *e, *cc, *coding;

  if (!cdg_question_help(q)[0])
    return 0;
  return (h = S_push(S_array(item, "item"))) &&
                 !S_str_own(h, "linkId",
                            S_fmt("%s.help", cdg_question_id(q))) &&
                 !S_str(h, "text", cdg_question_help(q)) &&
                 !S_str(h, "type", "display") &&
                 (e = S_push(S_array(h, "extension"))) &&
                 !S_str(e, "url", FHIR_EXT_ITEM_CONTROL) &&
                 (cc = cJSON_AddObjectToObject(e, "valueCodeableConcept")) &&
                 (coding = S_push(S_array(cc, "coding"))) &&
                 !S_str(coding, "system", FHIR_CS_ITEM_CONTROL) &&
                 !S_str(coding, "code", "help") &&
                 !S_str(coding, "display", "Help-Button")
             ? 0
             : -1;
}

static int S_options(const cdg_pack *pack, const cdg_question *q,
                     cJSON *item) {
  size_t i, n = cdg_question_option_count(q);
  cJSON *opts = cJSON_AddArrayToObject(item, "answerOption");

  if (!opts)
    return -1;
  for (i = 0; i < n; i++) {
    cJSON *o = S_push(opts), *c, *e;

    if (!o || !(c = cJSON_AddObjectToObject(o, "valueCoding")) ||
        S_str_own(c, "system", S_system(pack, cdg_question_id(q))) ||
        S_str(c, "code", cdg_question_option_code(q, i)) ||
        S_str(c, "display", cdg_question_option_label(q, i)))
      return -1;
    if (cdg_question_option_exclusive(q, i) &&
        (!(e = S_push(S_array(o, "extension"))) ||
         S_str(e, "url", FHIR_EXT_EXCLUSIVE) ||
         !cJSON_AddBoolToObject(e, "valueBoolean", 1)))
      return -1;
  }
  return 0;
}

/*
** Numbers are "decimal": the engine accepts any number within min..max,
** so "integer" would make a form filler refuse answers the engine takes;
** the bounds of an integer question are integers, as FHIR asks.
*/
static int S_bounds(const cdg_question *q, cJSON *item) {
  const char *vkey = cdg_question_format(q) == CDG_QF_INTEGER
                         ? "valueInteger"
                         : "valueDecimal";
  double min, max;
  cJSON *e;

  if (!cdg_question_range(q, &min, &max))
    return 0;
  if (!(e = S_push(S_array(item, "extension"))) ||
      S_str(e, "url", FHIR_EXT_MIN) ||
      !cJSON_AddNumberToObject(e, vkey, min) ||
      !(e = S_push(S_array(item, "extension"))) ||
      S_str(e, "url", FHIR_EXT_MAX) ||
      !cJSON_AddNumberToObject(e, vkey, max))
    return -1;
  return 0;
}

static int S_item(const cdg_pack *pack, const cdg_question *q, cJSON *items) {
  static const char *const types[] = {"choice", "choice", "decimal",
                                      "string"};
  cdg_qtype t = cdg_question_type(q);
  cdg_qformat f = cdg_question_format(q);
  cJSON *item = S_push(items);

  if (!item || S_str(item, "linkId", cdg_question_id(q)) ||
      S_str(item, "text", cdg_question_text(q)) ||
      S_str(item, "type", f == CDG_QF_INTEGER ? "integer"
                          : f == CDG_QF_DATE  ? "date"
                                              : types[t]) ||
      !cJSON_AddBoolToObject(item, "required", cdg_question_required(q)))
    return -1;
  if (t == CDG_Q_MULTI && !cJSON_AddTrueToObject(item, "repeats"))
    return -1;
  if (t == CDG_Q_NUMBER && S_bounds(q, item))
    return -1;
  if (S_enable_when(pack, q, item))
    return -1;
  if ((t == CDG_Q_SINGLE || t == CDG_Q_MULTI) && S_options(pack, q, item))
    return -1;
  return S_help(q, item);
}

static const char *S_or(const char *a, const char *b) {
  return a && a[0] ? a : b ? b : "";
}

/* The guidance the pack's rules cite: not part of the questionnaire, so
** only identified (title, publisher, SHA-256 of the text), never a URL. */
static int S_source(const cdg_pack *pack, const cdg_passages *ps,
                    cJSON *root) {
  const char *title = S_or(cdg_pack_source_title(pack),
                           ps ? cdg_passages_source_title(ps) : NULL);
  const char *publisher =
      S_or(cdg_pack_source_publisher(pack),
           ps ? cdg_passages_source_publisher(ps) : NULL);
  const char *sha = S_or(cdg_pack_source_sha256(pack),
                         ps ? cdg_passages_source_sha256(ps) : NULL);
  cJSON *e = S_push(S_array(root, "extension"));

  if (!e || S_str(e, "url", FHIR_EXT_SOURCE) ||
      (title[0] && S_ext_str(e, "title", "valueString", title)) ||
      (publisher[0] && S_ext_str(e, "publisher", "valueString", publisher)) ||
      (sha[0] && S_ext_str(e, "sha256", "valueString", sha)))
    return -1;
  if (!cJSON_GetObjectItem(e, "extension")) /* an extension needs a value */
    cJSON_DeleteItemFromObject(root, "extension");
  return S_str_own(root, "purpose",
                   S_fmt("The questions of the cdguide pack %s. The rules "
                         "of the pack use the answers to point to passages "
                         "of \"%s\"%s%s%s. cdguide does not make a clinical "
                         "decision.",
                         cdg_pack_id(pack), title,
                         publisher[0] ? " (" : "", publisher,
                         publisher[0] ? ")" : ""));
}

static cJSON *S_questionnaire(const cdg_pack *pack, const cdg_passages *ps) {
  cJSON *root = cJSON_CreateObject(), *items, *subject;
  const char *version = cdg_pack_version(pack);
  size_t i, n = cdg_pack_question_count(pack);

  if (!root || S_str(root, "resourceType", "Questionnaire") ||
      (S_fhir_id(cdg_pack_id(pack)) &&
       S_str(root, "id", cdg_pack_id(pack))) ||
      S_str_own(root, "url", S_url(pack)) ||
      S_str(root, "version", version) ||
      S_str_own(root, "name", S_name(cdg_pack_id(pack))) ||
      S_str(root, "title", cdg_pack_title(pack)) ||
      /* a semantic-versioning pre-release ("1.1.0-rc.1") is a draft */
      S_str(root, "status", strchr(version, '-') ? "draft" : "active") ||
      !(subject = cJSON_AddArrayToObject(root, "subjectType")) ||
      !cJSON_AddItemToArray(subject, cJSON_CreateString("Patient")) ||
      S_source(pack, ps, root) ||
      !(items = cJSON_AddArrayToObject(root, "item")))
    goto nomem;
  for (i = 0; i < n; i++)
    if (S_item(pack, cdg_pack_question(pack, i), items))
      goto nomem;
  return root;
nomem:
  cJSON_Delete(root);
  return NULL;
}

int fhir_write_questionnaire(FILE *out, const cdg_pack *pack,
                             const cdg_passages *ps) {
  return S_print(out, S_questionnaire(pack, ps));
}

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
  if (!(item = S_push(items)) || S_str(item, "linkId", qid) ||
      S_str(item, "text", cdg_report_answer_question(d, i)) ||
      !(ans = cJSON_AddArrayToObject(item, "answer")))
    return -1;
  switch (cdg_report_answer_type(d, i)) {
  case CDG_Q_SINGLE:
  case CDG_Q_MULTI:
    n = cdg_report_answer_code_count(d, i);
    for (j = 0; j < n; j++) {
      if (!(v = S_push(ans)) ||
          !(c = cJSON_AddObjectToObject(v, "valueCoding")) ||
          S_str_own(c, "system", S_system_of(cdg_report_pack_id(d), qid)) ||
          S_str(c, "code", cdg_report_answer_code(d, i, j)) ||
          S_str(c, "display", cdg_report_answer_label(d, i, j)))
        return -1;
    }
    return 0;
  case CDG_Q_NUMBER:
    return (v = S_push(ans)) &&
                   cJSON_AddNumberToObject(
                       v,
                       cdg_report_answer_format(d, i) == CDG_QF_INTEGER
                           ? "valueInteger"
                           : "valueDecimal",
                       cdg_report_answer_number(d, i))
               ? 0
               : -1;
  case CDG_Q_TEXT:
    return (v = S_push(ans)) &&
                   !S_str(v,
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
  cJSON *p = S_push(S_array(r, "extension"));
  size_t j;

  if (!p || S_str(p, "url", "passage") ||
      S_ext_str(p, "id", "valueCode", cdg_report_passage_id(d, k)) ||
      S_ext_str(p, "section", "valueString",
                cdg_report_passage_section(d, k)) ||
      S_ext_str(p, "text", "valueString", cdg_report_passage_text(d, k)))
    return -1;
  for (j = 0; j < cdg_report_passage_rule_count(d, k); j++)
    if (S_ext_str(p, "cited-by", "valueCode",
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
  cJSON *r = S_push(S_array(root, "extension"));
  char *tool = S_fmt("cdguide %s", cdg_report_tool_version(d));
  size_t k, n = cdg_report_passage_count(d);
  int bad;

  bad = !r || !tool || S_str(r, "url", FHIR_EXT_REPORT) ||
        S_ext_str(r, "tool", "valueString", tool) ||
        S_ext_str(r, "source-title", "valueString",
                  S_or(cdg_report_pack_source_title(d),
                       cdg_report_source_title(d))) ||
        S_ext_str(r, "source-sha256", "valueString",
                  S_or(cdg_report_pack_source_sha256(d),
                       cdg_report_source_sha256(d))) ||
        S_ext_str(r, "notice", "valueString", CDG_REPORT_NOTICE);
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
  char *url = S_url_of(cdg_report_pack_id(d));
  const char *date = cdg_report_recorded(d);
  size_t i, n = cdg_report_answer_count(d);

  if (!root || !url || S_str(root, "resourceType", "QuestionnaireResponse") ||
      S_report_ext(d, root) ||
      S_str_own(root, "questionnaire",
                S_fmt("%s|%s", url, cdg_report_pack_version(d))) ||
      S_str(root, "status",
            cdg_report_complete(d) ? "completed" : "in-progress") ||
      (S_is_datetime(date) && S_str(root, "authored", date)) ||
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
  return S_print(out, S_response(d));
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
** (after '|', if given) this pack's version. */
static cdg_status S_check_canonical(const cdg_pack *pack, const cJSON *qn,
                                    const char *file, cdg_error *err) {
  char *url = S_url(pack);
  const char *bar;
  size_t ulen;
  cdg_status st = CDG_OK;

  if (!url)
    return cli_fail(err, CDG_ERR_NOMEM, file, "", "out of memory");
  if (!cJSON_IsString(qn)) {
    st = cli_fail(err, CDG_ERR_ANSWER, file, "/questionnaire",
                  "the QuestionnaireResponse does not name its questionnaire "
                  "(expected \"%s|%s\")",
                  url, cdg_pack_version(pack));
    goto out;
  }
  bar = strchr(qn->valuestring, '|');
  ulen = bar ? (size_t)(bar - qn->valuestring) : strlen(qn->valuestring);
  if (ulen != strlen(url) || strncmp(qn->valuestring, url, ulen) != 0) {
    st = cli_fail(err, CDG_ERR_ANSWER, file, "/questionnaire",
                  "questionnaire \"%s\" is not this pack's (%s)",
                  qn->valuestring, url);
  } else if (bar && strcmp(bar + 1, cdg_pack_version(pack)) != 0) {
    st = cli_fail(err, CDG_ERR_ANSWER, file, "/questionnaire",
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
      return cli_fail(err, CDG_ERR_ANSWER, file, ptr,
                      "item '%s': the answer needs a valueCoding with a code",
                      qid);
    if (sys) {
      if (!(want = S_system(pack, qid)))
        return cli_fail(err, CDG_ERR_NOMEM, file, ptr, "out of memory");
      same = cJSON_IsString(sys) && strcmp(sys->valuestring, want) == 0;
      if (!same) {
        cli_fail(err, CDG_ERR_ANSWER, file, ptr,
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
      return cli_fail(err, CDG_ERR_ANSWER, file, ptr,
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
      return cli_fail(err, CDG_ERR_ANSWER, file, ptr,
                      "item '%s': the answer needs a %s", qid, key);
    *v = cJSON_CreateString(x->valuestring);
    break;
  }
  }
  return *v ? CDG_OK : cli_fail(err, CDG_ERR_NOMEM, file, ptr, "out of memory");
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
    return cli_fail(err, CDG_ERR_ANSWER, file, ptr, "item %d has no linkId",
                    i + 1);
  if (!(q = cdg_pack_find_question(pack, link->valuestring)))
    return cli_fail(err, CDG_ERR_ANSWER, file, ptr,
                    "item '%s': no such question in pack %s", link->valuestring,
                    cdg_pack_id(pack));
  if (cJSON_GetObjectItemCaseSensitive(answers, link->valuestring))
    return cli_fail(err, CDG_ERR_ANSWER, file, ptr, "item '%s' appears twice",
                    link->valuestring);
  if (cJSON_GetObjectItemCaseSensitive(item, "item"))
    return cli_fail(err, CDG_ERR_ANSWER, file, ptr,
                    "item '%s': nested items are not part of this "
                    "questionnaire",
                    link->valuestring);
  if (ans && !cJSON_IsArray(ans))
    return cli_fail(err, CDG_ERR_ANSWER, file, ptr,
                    "item '%s': answer is not an array", link->valuestring);
  if (cJSON_GetArraySize(ans) == 0)
    return CDG_OK; /* no answer given */
  if (cdg_question_type(q) == CDG_Q_MULTI || cJSON_GetArraySize(ans) > 1)
    if (!(vals = cJSON_CreateArray()))
      return cli_fail(err, CDG_ERR_NOMEM, file, ptr, "out of memory");
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
      return cli_fail(err, CDG_ERR_NOMEM, file, ptr, "out of memory");
    }
  }
  if (!cJSON_AddItemToObject(answers, link->valuestring, vals)) {
    cJSON_Delete(vals);
    return cli_fail(err, CDG_ERR_NOMEM, file, ptr, "out of memory");
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
    return cli_fail(err, CDG_ERR_NOMEM, file, "", "out of memory");
  rt = cJSON_GetObjectItemCaseSensitive(root, "resourceType");
  status = cJSON_GetObjectItemCaseSensitive(root, "status");
  items = cJSON_GetObjectItemCaseSensitive(root, "item");
  if (!cJSON_IsString(rt) ||
      strcmp(rt->valuestring, "QuestionnaireResponse") != 0) {
    st = cli_fail(err, CDG_ERR_ANSWER, file, "/resourceType",
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
    st = cli_fail(err, CDG_ERR_ANSWER, file, "/status",
                  "status must be in-progress, completed, amended or stopped"
                  "%s",
                  cJSON_IsString(status) &&
                          strcmp(status->valuestring, "entered-in-error") == 0
                      ? " (this response was entered in error)"
                      : "");
    goto out;
  }
  if (items && !cJSON_IsArray(items)) {
    st = cli_fail(err, CDG_ERR_ANSWER, file, "/item", "item is not an array");
    goto out;
  }
  if (!(answers = cJSON_CreateObject())) {
    st = cli_fail(err, CDG_ERR_NOMEM, file, "", "out of memory");
    goto out;
  }
  cJSON_ArrayForEach(it, items) {
    st = S_read_item(pack, it, i++, file, answers, err);
    if (st != CDG_OK)
      goto out;
  }
  if (!(text = cJSON_PrintUnformatted(answers))) {
    st = cli_fail(err, CDG_ERR_NOMEM, file, "", "out of memory");
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
