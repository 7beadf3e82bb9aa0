/*
** answers.c: answers to the questions of a pack, checked against it.
**
** Each answer is checked on its own (codes exist, single vs multi,
** exclusive options, ranges, clean text); a parsed answers file is also
** checked as a whole (no answer to a question its enable_when disables).
** A slot per question gives O(1) access by pack index.
*/
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "answers.h"
#include "cdg_base.h"
#include "cdg_limits.h"
#include "json.h"
#include "pack.h"


struct cdg_answers {
  const cdg_pack *pack;
  cJSON *obj;   /* the JsonLogic data */
  cJSON **slot; /* slot[i]: the member of obj answering question i */
  size_t n;     /* answered questions */
};

/* Where a check reports: a parsed file (with positions) or a single set. */
typedef struct S_ctx {
  cdg_error *err;
  const char *file; /* NULL for set_* calls: message only */
  const char *text;
  size_t len;
  const char *base; /* pointer of the answers object in the text */
  char ptr[256];    /* pointer of the answer being checked */
} S_ctx;

/*
** Fail with a message about the answer to q (NULL: about the file), in
** the question's own words: "Which way is your head pulled? (posture):
** ..."; the id is there for whoever edits an answers file. With a file,
** the position of the answer (cx->ptr and suffix) is added.
*/
static cdg_status S_fail(S_ctx *cx, cdg_status st, const cdg_question *q,
                         const char *suffix, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static cdg_status S_fail(S_ctx *cx, cdg_status st, const cdg_question *q,
                         const char *suffix, const char *fmt, ...) {
  char msg[sizeof cx->err->message], at[sizeof cx->ptr];
  char shown[CDG_MAX_SHOWN + 4];
  size_t n = 0;
  va_list ap;

  if (!cx->err)
    return st;
  if (q)
    n = (size_t)snprintf(msg, sizeof msg, "%s (%s): ",
                         cdg_utf8_cut(shown, sizeof shown, q->text), q->id);
  if (n >= sizeof msg)
    n = 0; /* cannot happen: 64 bytes of text, an id of a pack */
  va_start(ap, fmt);
  vsnprintf(msg + n, sizeof msg - n, fmt, ap);
  va_end(ap);
  if (!cx->file)
    return cdg_error_set(cx->err, st, NULL, NULL, "%s", msg);
  snprintf(at, sizeof at, "%s%s", cx->ptr, suffix ? suffix : "");
  return json_error_at(cx->err, st, cx->file, cx->text, cx->len, at, "%s",
                       msg);
}

static cdg_status S_nomem(S_ctx *cx) {
  return S_fail(cx, CDG_ERR_NOMEM, NULL, NULL, "out of memory");
}

/* ---- Checking one answer ---------------------------------------------- */

/* 1 if s holds a C0 control other than tab, DEL or a C1 control: none of
** these may reach a terminal or a report. s is valid UTF-8. */
static int S_has_control(const unsigned char *s) {
  for (; *s; s++) {
    if ((*s < 0x20 && *s != '\t') || *s == 0x7F)
      return 1;
    if (*s == 0xC2 && s[1] <= 0x9F) /* valid UTF-8: s[1] >= 0x80 */
      return 1;
  }
  return 0;
}

static cdg_status S_check_codes(S_ctx *cx, const cdg_question *q,
                                const cJSON *v, cJSON **norm) {
  unsigned char *seen;
  const cJSON *c;
  char sfx[32], shown[CDG_MAX_SHOWN + 4];
  size_t i = 0, k, ncodes = 0;
  long o, excl = -1;
  cdg_status st = CDG_OK;

  if (q->type == CDG_Q_SINGLE) {
    if (cJSON_IsArray(v))
      return S_fail(cx, CDG_ERR_ANSWER, q, NULL,
                    "expects one option code, not a list");
    if (!cJSON_IsString(v))
      return S_fail(cx, CDG_ERR_ANSWER, q, NULL, "expects an option code");
    o = cdg_question_find_option(q, v->valuestring);
    if (o < 0)
      return S_fail(cx, CDG_ERR_ANSWER, q, NULL, "unknown option \"%s\"",
                    cdg_utf8_cut(shown, sizeof shown, v->valuestring));
    *norm = cJSON_CreateString(q->options[o].code);
    return *norm ? CDG_OK : S_nomem(cx);
  }
  if (!cJSON_IsArray(v))
    return S_fail(cx, CDG_ERR_ANSWER, q, NULL,
                  "expects a list of option codes");
  if (!v->child)
    return S_fail(cx, CDG_ERR_ANSWER, q, NULL,
                  "expects at least one option code");
  seen = cdg_calloc(q->noptions, 1);
  if (!seen)
    return S_nomem(cx);
  for (c = v->child; c && !st; c = c->next, i++) {
    snprintf(sfx, sizeof sfx, "/%zu", i);
    if (!cJSON_IsString(c)) {
      st = S_fail(cx, CDG_ERR_ANSWER, q, sfx,
                  "expects a list of option codes");
    } else if ((o = cdg_question_find_option(q, c->valuestring)) < 0) {
      st = S_fail(cx, CDG_ERR_ANSWER, q, sfx, "unknown option \"%s\"",
                  cdg_utf8_cut(shown, sizeof shown, c->valuestring));
    } else if (seen[o]) {
      st = S_fail(cx, CDG_ERR_ANSWER, q, sfx, "\"%s\" is given twice",
                  q->options[o].label);
    } else {
      seen[o] = 1;
      ncodes++;
      if (q->options[o].exclusive)
        excl = o;
    }
  }
  if (!st && excl >= 0 && ncodes > 1)
    st = S_fail(cx, CDG_ERR_ANSWER, q, NULL,
                "\"%s\" cannot be combined with other answers",
                q->options[excl].label);
  if (!st && !(*norm = cJSON_CreateArray()))
    st = S_nomem(cx);
  for (k = 0; !st && k < q->noptions; k++) {
    cJSON *s;

    if (!seen[k])
      continue;
    if (!(s = cJSON_CreateString(q->options[k].code)) ||
        !cJSON_AddItemToArray(*norm, s)) {
      cJSON_Delete(s);
      cJSON_Delete(*norm);
      *norm = NULL;
      st = S_nomem(cx);
    }
  }
  cdg_free(seen);
  return st;
}

static cdg_status S_check_number(S_ctx *cx, const cdg_question *q,
                                 double x) {
  if (!isfinite(x))
    return S_fail(cx, CDG_ERR_ANSWER, q, NULL, "expects a finite number");
  if (q->format == CDG_QF_INTEGER && !cdg_whole_number(x))
    return S_fail(cx, CDG_ERR_ANSWER, q, NULL, "%g is not a whole number", x);
  if ((q->has_range & 1) && x < q->min)
    return S_fail(cx, CDG_ERR_ANSWER, q, NULL, "%g is below the minimum %g",
                  x, q->min);
  if ((q->has_range & 2) && x > q->max)
    return S_fail(cx, CDG_ERR_ANSWER, q, NULL, "%g is above the maximum %g",
                  x, q->max);
  return CDG_OK;
}

static cdg_status S_check_text(S_ctx *cx, const cdg_question *q,
                               const char *s) {
  const char *why;
  char shown[CDG_MAX_SHOWN + 4];

  if (!*s)
    return S_fail(cx, CDG_ERR_ANSWER, q, NULL, "text must not be empty");
  if (strlen(s) > CDG_MAX_TEXT_ANSWER)
    return S_fail(cx, CDG_ERR_ANSWER, q, NULL,
                  "text is longer than %d bytes", CDG_MAX_TEXT_ANSWER);
  if (cdg_utf8_valid(s, strlen(s)) != strlen(s))
    return S_fail(cx, CDG_ERR_ANSWER, q, NULL, "text is not valid UTF-8");
  if (S_has_control((const unsigned char *)s))
    return S_fail(cx, CDG_ERR_ANSWER, q, NULL,
                  "text must not contain control characters");
  if (q->format == CDG_QF_DATE && !cdg_date_check(s, &why))
    return S_fail(cx, CDG_ERR_ANSWER, q, NULL,
                  "\"%s\" is not a date it can take: %s",
                  cdg_utf8_cut(shown, sizeof shown, s), why);
  return CDG_OK;
}

/* Check v as the answer to q; *norm is its canonical copy. */
static cdg_status S_check(S_ctx *cx, const cdg_question *q, const cJSON *v,
                          cJSON **norm) {
  cdg_status st;

  *norm = NULL;
  switch (q->type) {
  case CDG_Q_SINGLE:
  case CDG_Q_MULTI:
    return S_check_codes(cx, q, v, norm);
  case CDG_Q_NUMBER:
    if (!cJSON_IsNumber(v))
      return S_fail(cx, CDG_ERR_ANSWER, q, NULL, "expects a number");
    if ((st = S_check_number(cx, q, v->valuedouble)))
      return st;
    *norm = cJSON_CreateNumber(v->valuedouble);
    break;
  case CDG_Q_TEXT:
    if (!cJSON_IsString(v))
      return S_fail(cx, CDG_ERR_ANSWER, q, NULL, "expects text");
    if ((st = S_check_text(cx, q, v->valuestring)))
      return st;
    *norm = cJSON_CreateString(v->valuestring);
    break;
  }
  return *norm ? CDG_OK : S_nomem(cx);
}

/* ---- The set ---------------------------------------------------------- */

cdg_status cdg_answers_new(const cdg_pack *pack, cdg_answers **out) {
  cdg_answers *a = cdg_calloc(1, sizeof *a);

  *out = NULL;
  if (!a)
    return CDG_ERR_NOMEM;
  a->pack = pack;
  a->obj = cJSON_CreateObject();
  a->slot = cdg_calloc(pack->nquestions, sizeof *a->slot);
  if (!a->obj || !a->slot) {
    cdg_answers_free(a);
    return CDG_ERR_NOMEM;
  }
  *out = a;
  return CDG_OK;
}

void cdg_answers_free(cdg_answers *a) {
  if (!a)
    return;
  cJSON_Delete(a->obj);
  cdg_free(a->slot);
  cdg_free(a);
}

/* Store item (owned) as the answer to question i. Cannot fail: the key is
** borrowed from the pack, which outlives the answers. */
static void S_put_item(cdg_answers *a, size_t i, cJSON *item) {
  answers_drop(a, i);
  cJSON_AddItemToObjectCS(a->obj, a->pack->questions[i].id, item);
  a->slot[i] = item;
  a->n++;
}

void answers_drop(cdg_answers *a, size_t i) {
  if (!a->slot[i])
    return;
  cJSON_Delete(cJSON_DetachItemViaPointer(a->obj, a->slot[i]));
  a->slot[i] = NULL;
  a->n--;
}

cdg_status answers_put(cdg_answers *a, size_t i, const cJSON *v) {
  cJSON *item = cJSON_Duplicate(v, 1);

  if (!item)
    return CDG_ERR_NOMEM;
  S_put_item(a, i, item);
  return CDG_OK;
}

const cJSON *answers_data(const cdg_answers *a) { return a->obj; }
const cdg_pack *answers_pack(const cdg_answers *a) { return a->pack; }
size_t answers_count(const cdg_answers *a) { return a->n; }

const cJSON *answers_get(const cdg_answers *a, size_t i) {
  return i < a->pack->nquestions ? a->slot[i] : NULL;
}

cdg_status cdg_answers_copy(const cdg_answers *a, cdg_answers **out) {
  cdg_answers *c;
  size_t i;
  cdg_status st;

  *out = NULL;
  st = cdg_answers_new(a->pack, &c);

  for (i = 0; !st && i < a->pack->nquestions; i++)
    if (a->slot[i])
      st = answers_put(c, i, a->slot[i]);
  if (st) {
    cdg_answers_free(c);
    return st;
  }
  *out = c;
  return CDG_OK;
}

char *cdg_answers_to_json(const cdg_answers *a) {
  cJSON *o = cJSON_CreateObject(), *item;
  char *s = NULL;
  size_t i;

  for (i = 0; o && i < a->pack->nquestions; i++) {
    if (!a->slot[i])
      continue;
    if (!(item = cJSON_Duplicate(a->slot[i], 1)))
      goto out;
    cJSON_AddItemToObjectCS(o, a->pack->questions[i].id, item);
  }
  s = o ? cJSON_PrintUnformatted(o) : NULL;
out:
  cJSON_Delete(o);
  return s;
}

static const cJSON *S_find(const cdg_answers *a, const char *qid) {
  const cdg_question *q = cdg_pack_find_question(a->pack, qid);

  return q ? a->slot[q->index] : NULL;
}

int cdg_answers_has(const cdg_answers *a, const char *qid) {
  return S_find(a, qid) != NULL;
}

size_t cdg_answers_code_count(const cdg_answers *a, const char *qid) {
  const cdg_question *q = cdg_pack_find_question(a->pack, qid);
  const cJSON *v = q ? a->slot[q->index] : NULL;

  if (!v)
    return 0;
  if (q->type == CDG_Q_MULTI)
    return (size_t)cJSON_GetArraySize(v);
  return q->type == CDG_Q_SINGLE;
}

const char *cdg_answers_code(const cdg_answers *a, const char *qid,
                             size_t i) {
  const cJSON *v = S_find(a, qid);

  if (i >= cdg_answers_code_count(a, qid))
    return NULL;
  return cJSON_IsArray(v) ? cJSON_GetArrayItem(v, (int)i)->valuestring
                          : v->valuestring;
}

double cdg_answers_number(const cdg_answers *a, const char *qid) {
  const cJSON *v = S_find(a, qid);

  return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

const char *cdg_answers_text(const cdg_answers *a, const char *qid) {
  const cdg_question *q = cdg_pack_find_question(a->pack, qid);
  const cJSON *v = q ? a->slot[q->index] : NULL;

  return q && q->type == CDG_Q_TEXT && v ? v->valuestring : NULL;
}

void cdg_answers_remove(cdg_answers *a, const char *qid) {
  const cdg_question *q = cdg_pack_find_question(a->pack, qid);

  if (q)
    answers_drop(a, q->index);
}

int cdg_answers_enabled(const cdg_answers *a, const cdg_question *q) {
  int t = q->enable ? logic_test(q->enable, a->obj) : 1;

  return t < 0 ? -1 : t; /* any failure: -1, as documented */
}

/* ---- Setting one answer ----------------------------------------------- */

/* The question qid, or an error naming it. */
static const cdg_question *S_question(const cdg_answers *a, S_ctx *cx,
                                      const char *qid, cdg_status *st) {
  const cdg_question *q = cdg_pack_find_question(a->pack, qid);
  char shown[CDG_MAX_SHOWN + 4];

  if (!q)
    *st = S_fail(cx, CDG_ERR_ANSWER, NULL, NULL, "unknown question \"%s\"",
                 cdg_utf8_cut(shown, sizeof shown, qid));
  return q;
}

static void S_ctx_set(S_ctx *cx, cdg_error *err) {
  memset(cx, 0, sizeof *cx);
  cx->err = err;
  cx->base = "";
}

cdg_status cdg_answers_set_codes(cdg_answers *a, const char *qid,
                                 const char *const *codes, size_t n,
                                 cdg_error *err) {
  S_ctx cx;
  const cdg_question *q;
  cJSON *v, *norm;
  cdg_status st = CDG_OK;

  S_ctx_set(&cx, err);
  if (!(q = S_question(a, &cx, qid, &st)))
    return st;
  if (q->type != CDG_Q_SINGLE && q->type != CDG_Q_MULTI)
    return S_fail(&cx, CDG_ERR_ANSWER, q, NULL,
                  "expects %s, not option codes",
                  q->type == CDG_Q_NUMBER ? "a number" : "text");
  if (q->type == CDG_Q_SINGLE && n != 1)
    return S_fail(&cx, CDG_ERR_ANSWER, q, NULL,
                  "expects exactly one option code");
  if (n == 0)
    return S_fail(&cx, CDG_ERR_ANSWER, q, NULL,
                  "expects at least one option code");
  if (n > INT_MAX)
    return S_fail(&cx, CDG_ERR_ANSWER, q, NULL, "too many option codes");
  v = q->type == CDG_Q_SINGLE ? cJSON_CreateString(codes[0])
                              : cJSON_CreateStringArray(codes, (int)n);
  if (!v)
    return S_nomem(&cx);
  st = S_check(&cx, q, v, &norm);
  cJSON_Delete(v);
  if (!st)
    S_put_item(a, q->index, norm);
  return st;
}

/* The question qid if it takes type (named "what" in the error); else
** NULL with *st and the error set. */
static const cdg_question *S_question_of(const cdg_answers *a, S_ctx *cx,
                                         const char *qid, cdg_qtype type,
                                         const char *what, cdg_status *st) {
  const cdg_question *q = S_question(a, cx, qid, st);

  if (q && q->type != type) {
    *st = S_fail(cx, CDG_ERR_ANSWER, q, NULL, "does not take %s",
                 what);
    q = NULL;
  }
  return q;
}

/* Store item, a checked answer to q, or fail if making it failed. */
static cdg_status S_put_new(cdg_answers *a, S_ctx *cx, const cdg_question *q,
                            cJSON *item) {
  if (!item)
    return S_nomem(cx);
  S_put_item(a, q->index, item);
  return CDG_OK;
}

cdg_status cdg_answers_set_number(cdg_answers *a, const char *qid, double v,
                                  cdg_error *err) {
  S_ctx cx;
  const cdg_question *q;
  cdg_status st = CDG_OK;

  S_ctx_set(&cx, err);
  if (!(q = S_question_of(a, &cx, qid, CDG_Q_NUMBER, "a number", &st)))
    return st;
  if ((st = S_check_number(&cx, q, v)))
    return st;
  return S_put_new(a, &cx, q, cJSON_CreateNumber(v));
}

cdg_status cdg_answers_set_text(cdg_answers *a, const char *qid,
                                const char *text, cdg_error *err) {
  S_ctx cx;
  const cdg_question *q;
  cdg_status st = CDG_OK;

  S_ctx_set(&cx, err);
  if (!(q = S_question_of(a, &cx, qid, CDG_Q_TEXT, "text", &st)))
    return st;
  if ((st = S_check_text(&cx, q, text)))
    return st;
  return S_put_new(a, &cx, q, cJSON_CreateString(text));
}

/* ---- Parsing a whole answers object ----------------------------------- */

/* Question q, when answered, enabled by the answers (typed in f). */
static cdg_status S_enabled_ok(const cdg_answers *a, S_ctx *cx,
                               const logic_frame *f, const cdg_question *q) {
  int on;

  if (!a->slot[q->index] || !q->enable)
    return CDG_OK;
  on = logic_test_frame(q->enable, f);
  if (on == LOGIC_FAIL) {
    pack_ptr_key(cx->ptr, sizeof cx->ptr, cx->base, q->id);
    return S_fail(cx, CDG_ERR_PACK, q, NULL,
                  "the pack's enable_when cannot be evaluated on "
                  "these answers");
  }
  if (on < 0)
    return S_nomem(cx);
  if (!on) {
    pack_ptr_key(cx->ptr, sizeof cx->ptr, cx->base, q->id);
    return S_fail(cx, CDG_ERR_ANSWER, q, NULL,
                  "answered, but the question is disabled by the "
                  "other answers");
  }
  return CDG_OK;
}

/* No answer may be given to a question its enable_when disables. Checked
** in dependency order, so the first error is the one nearest the root.
** The answers are typed once into a frame for every condition, as the
** walker does: looked up by name in the object, each condition cost the
** answers' count (a witness of 30,000 answers took 1.5 s to parse). */
static cdg_status S_check_enabled(const cdg_answers *a, S_ctx *cx) {
  const cdg_pack *p = a->pack;
  logic_frame *f = logic_frame_create(p->slots);
  size_t k;
  cdg_status st = CDG_OK;

  if (!f)
    return S_nomem(cx);
  /* A frame that could not grow takes the general path: same results. */
  (void)logic_frame_fill(f, a->obj);
  for (k = 0; k < p->nquestions && st == CDG_OK; k++)
    st = S_enabled_ok(a, cx, f, &p->questions[p->topo[k]]);
  logic_frame_free(f);
  return st;
}

cdg_status cdg_answers_parse(const cdg_pack *pack, const char *json,
                             size_t len, const char *file,
                             cdg_answers **out, cdg_error *err) {
  return cdg_answers_parse_at(pack, json, len, file, "", out, err);
}

cdg_status cdg_answers_parse_at(const cdg_pack *pack, const char *json,
                                size_t len, const char *file,
                                const char *pointer, cdg_answers **out,
                                cdg_error *err) {
  cdg_error scratch;
  S_ctx cx;
  cJSON *root = NULL, *norm;
  const cJSON *obj, *c;
  cdg_answers *a = NULL;
  char shown[CDG_MAX_SHOWN + 4];
  cdg_status st;

  *out = NULL;
  if (!err)
    err = &scratch;
  if (!file)
    file = "<answers>";
  S_ctx_set(&cx, err);
  cx.file = file;
  cx.text = json;
  cx.len = len;
  cx.base = pointer;
  if ((st = json_parse(json, len, file, &root, err)))
    return st;
  obj = json_get(root, pointer);
  snprintf(cx.ptr, sizeof cx.ptr, "%s", pointer);
  if (!cJSON_IsObject(obj)) {
    st = S_fail(&cx, CDG_ERR_ANSWER, NULL, NULL,
                "answers must be a JSON object");
    goto out;
  }
  if ((st = cdg_answers_new(pack, &a))) {
    st = S_nomem(&cx);
    goto out;
  }
  for (c = obj->child; c; c = c->next) {
    const cdg_question *q = cdg_pack_find_question(pack, c->string);

    pack_ptr_key(cx.ptr, sizeof cx.ptr, cx.base, c->string);
    if (!q) {
      st = S_fail(&cx, CDG_ERR_ANSWER, NULL, NULL, "unknown question \"%s\"",
                  cdg_utf8_cut(shown, sizeof shown, c->string));
      goto out;
    }
    if ((st = S_check(&cx, q, c, &norm)))
      goto out;
    S_put_item(a, q->index, norm);
  }
  st = S_check_enabled(a, &cx);
out:
  cJSON_Delete(root);
  if (st) {
    cdg_answers_free(a);
    return st;
  }
  *out = a;
  return CDG_OK;
}
