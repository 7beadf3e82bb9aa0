/*
** fhir.c: the pack as a FHIR R4 Questionnaire, and the helpers the FHIR
** code shares (fhir_int.h); fhir_response.c writes and reads the
** QuestionnaireResponse. docs/fhir.md explains the choices (URLs, types,
** enableWhen, passages).
*/
#include "fhir_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

/* ---- Small helpers ------------------------------------------------- */

/* Add a copy of the string v under key k; -1 if out of memory. */
int fhir_str(cJSON *o, const char *k, const char *v) {
  return cJSON_AddStringToObject(o, k, v) ? 0 : -1;
}

/* Add string v under k and free v (NULL v: out of memory). */
int fhir_str_own(cJSON *o, const char *k, char *v) {
  int r = v ? fhir_str(o, k, v) : -1;

  cdg_free(v);
  return r;
}

/* A new object appended to array a; NULL if out of memory (or a NULL). */
cJSON *fhir_push(cJSON *a) {
  cJSON *o = cJSON_CreateObject();

  if (o && !cJSON_AddItemToArray(a, o)) {
    cJSON_Delete(o);
    return NULL;
  }
  return o;
}

/* The array under key k of o, created if absent. */
cJSON *fhir_array(cJSON *o, const char *k) {
  cJSON *a = cJSON_GetObjectItemCaseSensitive(o, k);

  return a ? a : cJSON_AddArrayToObject(o, k);
}

/* Append {"url": url, "<vkey>": <string v>} to o.extension. */
int fhir_ext_str(cJSON *o, const char *url, const char *vkey,
                 const char *v) {
  cJSON *e = fhir_push(fhir_array(o, "extension"));

  return e && !fhir_str(e, "url", url) && !fhir_str(e, vkey, v) ? 0 : -1;
}

/* The Questionnaire's canonical URL, for the pack with this id. Caller
** frees with cdg_free. */
char *fhir_url_of(const char *pack_id) {
  return cdg_strdup_printf("%s/Questionnaire/%s", FHIR_BASE, pack_id);
}

char *fhir_url(const cdg_pack *pack) {
  return fhir_url_of(cdg_pack_id(pack));
}

/*
** The code system of a question's options: one per question, because the
** same code ("yes", "unsure") means a different thing under each
** question. Caller frees with cdg_free.
*/
char *fhir_system_of(const char *pack_id, const char *qid) {
  return cdg_strdup_printf("%s/CodeSystem/%s/%s", FHIR_BASE, pack_id, qid);
}

char *fhir_system(const cdg_pack *pack, const char *qid) {
  return fhir_system_of(cdg_pack_id(pack), qid);
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
int fhir_print(FILE *out, cJSON *root) {
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

const char *fhir_or(const char *a, const char *b) {
  return a && a[0] ? a : b ? b : "";
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
  if (!(w = fhir_push(ew)) || fhir_str(w, "question", qid) ||
      fhir_str(w, "operator", "=") ||
      !(coding = cJSON_AddObjectToObject(w, "answerCoding")) ||
      fhir_str_own(coding, "system", fhir_system(pack, qid)) ||
      fhir_str(coding, "code", code->valuestring) ||
      fhir_str(coding, "display",
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
    if (n > 1 && fhir_str(item, "enableBehavior", behavior))
      goto out;
  } else {
    cli_errorf("warning: question '%s': its enable_when is not "
               "expressible as FHIR enableWhen; written as JsonLogic in the "
               "extension %s, which form fillers do not evaluate",
               cdg_question_id(q), FHIR_EXT_JSONLOGIC);
    if (fhir_ext_str(item, FHIR_EXT_JSONLOGIC, "valueString", text))
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
  return (h = fhir_push(fhir_array(item, "item"))) &&
                 !fhir_str_own(h, "linkId",
                            cdg_strdup_printf("%s.help", cdg_question_id(q))) &&
                 !fhir_str(h, "text", cdg_question_help(q)) &&
                 !fhir_str(h, "type", "display") &&
                 (e = fhir_push(fhir_array(h, "extension"))) &&
                 !fhir_str(e, "url", FHIR_EXT_ITEM_CONTROL) &&
                 (cc = cJSON_AddObjectToObject(e, "valueCodeableConcept")) &&
                 (coding = fhir_push(fhir_array(cc, "coding"))) &&
                 !fhir_str(coding, "system", FHIR_CS_ITEM_CONTROL) &&
                 !fhir_str(coding, "code", "help") &&
                 !fhir_str(coding, "display", "Help-Button")
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
    cJSON *o = fhir_push(opts), *c, *e;

    if (!o || !(c = cJSON_AddObjectToObject(o, "valueCoding")) ||
        fhir_str_own(c, "system", fhir_system(pack, cdg_question_id(q))) ||
        fhir_str(c, "code", cdg_question_option_code(q, i)) ||
        fhir_str(c, "display", cdg_question_option_label(q, i)))
      return -1;
    if (cdg_question_option_exclusive(q, i) &&
        (!(e = fhir_push(fhir_array(o, "extension"))) ||
         fhir_str(e, "url", FHIR_EXT_EXCLUSIVE) ||
         !cJSON_AddBoolToObject(e, "valueBoolean", 1)))
      return -1;
  }
  return 0;
}

/*
** Numbers are "decimal": the engine accepts any number within min..max,
** so "integer" would make a form filler refuse answers the engine takes;
** the bounds of an integer question are integers, as FHIR asks. Only the
** bounds the pack gives: an absent one reads 0, and a maxValue of 0 would
** make a form filler refuse every positive answer.
*/
static int S_bound(cJSON *item, const char *url, const char *vkey,
                   double v) {
  cJSON *e = fhir_push(fhir_array(item, "extension"));

  if (!e || fhir_str(e, "url", url) || !cJSON_AddNumberToObject(e, vkey, v))
    return -1;
  return 0;
}

static int S_bounds(const cdg_question *q, cJSON *item) {
  const char *vkey = cdg_question_format(q) == CDG_QF_INTEGER
                         ? "valueInteger"
                         : "valueDecimal";
  double min, max;
  int has = cdg_question_range(q, &min, &max);

  if (((has & 1) && S_bound(item, FHIR_EXT_MIN, vkey, min)) ||
      ((has & 2) && S_bound(item, FHIR_EXT_MAX, vkey, max)))
    return -1;
  return 0;
}

static int S_item(const cdg_pack *pack, const cdg_question *q, cJSON *items) {
  static const char *const types[] = {"choice", "choice", "decimal",
                                      "string"};
  cdg_qtype t = cdg_question_type(q);
  cdg_qformat f = cdg_question_format(q);
  cJSON *item = fhir_push(items);

  if (!item || fhir_str(item, "linkId", cdg_question_id(q)) ||
      fhir_str(item, "text", cdg_question_text(q)) ||
      fhir_str(item, "type", f == CDG_QF_INTEGER ? "integer"
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

/* The guidance the pack's rules cite: not part of the questionnaire, so
** only identified (title, publisher, SHA-256 of the text), never a URL. */
static int S_source(const cdg_pack *pack, const cdg_passages *ps,
                    cJSON *root) {
  const char *title = fhir_or(cdg_pack_source_title(pack),
                           ps ? cdg_passages_source_title(ps) : NULL);
  const char *publisher =
      fhir_or(cdg_pack_source_publisher(pack),
           ps ? cdg_passages_source_publisher(ps) : NULL);
  const char *sha = fhir_or(cdg_pack_source_sha256(pack),
                         ps ? cdg_passages_source_sha256(ps) : NULL);
  cJSON *e = fhir_push(fhir_array(root, "extension"));

  if (!e || fhir_str(e, "url", FHIR_EXT_SOURCE) ||
      (title[0] && fhir_ext_str(e, "title", "valueString", title)) ||
      (publisher[0] && fhir_ext_str(e, "publisher", "valueString", publisher)) ||
      (sha[0] && fhir_ext_str(e, "sha256", "valueString", sha)))
    return -1;
  if (!cJSON_GetObjectItem(e, "extension")) /* an extension needs a value */
    cJSON_DeleteItemFromObject(root, "extension");
  return fhir_str_own(root, "purpose",
                   cdg_strdup_printf("The questions of the cdguide pack %s. The rules "
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

  if (!root || fhir_str(root, "resourceType", "Questionnaire") ||
      (S_fhir_id(cdg_pack_id(pack)) &&
       fhir_str(root, "id", cdg_pack_id(pack))) ||
      fhir_str_own(root, "url", fhir_url(pack)) ||
      fhir_str(root, "version", version) ||
      fhir_str_own(root, "name", S_name(cdg_pack_id(pack))) ||
      fhir_str(root, "title", cdg_pack_title(pack)) ||
      /* a semantic-versioning pre-release ("1.1.0-rc.1") is a draft */
      fhir_str(root, "status", strchr(version, '-') ? "draft" : "active") ||
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
  return fhir_print(out, S_questionnaire(pack, ps));
}
