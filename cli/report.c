/*
** report.c: the report writers (text, markdown, json) and the
** pre-referral review.
**
** Every report holds the tool version, pack, source title and SHA-256,
** date, answers with their labels, the prior-treatment table, the cited
** passages verbatim with the rules that cited them, completeness and the
** notice. Passages come in source order, except the "Your responsibility"
** section, which always comes last. Text from the pack or the answers goes
** through cli_put_sanitized before it reaches text or markdown output.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fhir.h"
#include "report.h"

#define S_MIN_WIDTH 20 /* narrower widths are taken as this */

/* The question whose non-exclusive options are the standard treatments;
** outcome_<code> holds how each went. */
#define S_TREATMENTS_QID "treatments_tried"
#define S_OUTCOME_PREFIX "outcome_"

/* Outcome codes that are answers but not an outcome (see report_review). */
static const char *const S_no_outcome_codes[] = {"not_sure", "ongoing"};

typedef struct S_ctx {
  FILE *f;
  const report_input *in;
  cdg_outcome *oc;
  int width;
  int color;
  int oom; /* an allocation failed while writing */
} S_ctx;

/* One standard treatment and its recorded history. */
typedef struct S_treat {
  const char *code;
  const char *label;
  int tried;                 /* 1, 0, or -1 when not recorded */
  const char *outcome;       /* code, or NULL when not recorded */
  const char *outcome_label; /* label, or NULL */
} S_treat;

/* ---- Helpers over the pack, answers and outcome --------------------- */

static const char *S_option_label(const cdg_question *q, const char *code) {
  long i = q ? cdg_question_find_option(q, code) : -1;

  return i < 0 ? code : cdg_question_option_label(q, (size_t)i);
}

static long S_rule_index(const cdg_pack *pack, const char *id) {
  size_t r, n = cdg_pack_rule_count(pack);

  for (r = 0; r < n; r++)
    if (strcmp(cdg_rule_id(pack, r), id) == 0)
      return (long)r;
  return -1;
}

/* The number of standard treatments: non-exclusive options of
** treatments_tried (0 when the pack has no such question). */
static size_t S_treat_count(const cdg_pack *pack) {
  const cdg_question *q = cdg_pack_find_question(pack, S_TREATMENTS_QID);
  size_t i, n = 0;

  for (i = 0; q && i < cdg_question_option_count(q); i++)
    n += !cdg_question_option_exclusive(q, i);
  return n;
}

static void S_treat_get(const report_input *in, size_t k, S_treat *t) {
  const cdg_question *q = cdg_pack_find_question(in->pack, S_TREATMENTS_QID);
  const cdg_question *oq;
  char qid[256];
  size_t i, j;

  memset(t, 0, sizeof *t);
  for (i = 0; i < cdg_question_option_count(q); i++) {
    if (cdg_question_option_exclusive(q, i))
      continue;
    if (k-- == 0)
      break;
  }
  t->code = cdg_question_option_code(q, i);
  t->label = cdg_question_option_label(q, i);
  t->tried = -1;
  if (cdg_answers_has(in->answers, S_TREATMENTS_QID)) {
    t->tried = 0;
    for (j = 0; j < cdg_answers_code_count(in->answers, S_TREATMENTS_QID); j++)
      if (strcmp(cdg_answers_code(in->answers, S_TREATMENTS_QID, j),
                 t->code) == 0)
        t->tried = 1;
  }
  if ((size_t)snprintf(qid, sizeof qid, "%s%s", S_OUTCOME_PREFIX, t->code) >=
      sizeof qid)
    return;
  oq = cdg_pack_find_question(in->pack, qid);
  if (t->tried == 1 && oq && cdg_answers_code_count(in->answers, qid) > 0) {
    t->outcome = cdg_answers_code(in->answers, qid, 0);
    t->outcome_label = S_option_label(oq, t->outcome);
  }
}

static int S_outcome_is_final(const char *code) {
  size_t i;

  for (i = 0; i < sizeof S_no_outcome_codes / sizeof *S_no_outcome_codes; i++)
    if (strcmp(code, S_no_outcome_codes[i]) == 0)
      return 0;
  return 1;
}

static const char *S_tried_text(const S_treat *t) {
  return t->tried == 1 ? "yes" : t->tried == 0 ? "no" : "not recorded";
}

static const char *S_outcome_text(const S_treat *t) {
  if (t->tried != 1)
    return "-";
  return t->outcome_label ? t->outcome_label : "not recorded";
}

static int S_last_section(const cdg_passages *ps, long p) {
  return p >= 0 &&
         strcmp(cdg_passage_section(ps, (size_t)p), REPORT_LAST_SECTION) == 0;
}

/*
** The k-th cited passage in report order: source order, but the
** "Your responsibility" section last. Returns the outcome index.
*/
static size_t S_cited(const S_ctx *c, size_t k) {
  size_t i, n = cdg_outcome_count(c->oc);
  int pass;

  for (pass = 0; pass < 2; pass++)
    for (i = 0; i < n; i++) {
      long p = cdg_passages_find(c->in->ps, cdg_outcome_passage(c->oc, i));

      if (S_last_section(c->in->ps, p) == pass && k-- == 0)
        return i;
    }
  return 0;
}

/* Passages on denervation: those with the topic "denervation". */
static int S_on_denervation(const cdg_passages *ps, long p) {
  size_t t;

  for (t = 0; p >= 0 && t < cdg_passage_topic_count(ps, (size_t)p); t++)
    if (strcmp(cdg_passage_topic(ps, (size_t)p, t), "denervation") == 0)
      return 1;
  return 0;
}

/* ---- Text rendering ----------------------------------------------- */

/* printf into a new sanitised string (caller frees with free), or NULL
** after setting c->oom. */
static char *S_vclean(S_ctx *c, const char *fmt, va_list ap) {
  char *raw = NULL, *clean = NULL;
  size_t rawlen = 0, cleanlen = 0;
  FILE *m;
  int bad;

  if (!(m = open_memstream(&raw, &rawlen)))
    goto out;
  bad = vfprintf(m, fmt, ap) < 0;
  if (fclose(m) != 0 || bad)
    goto out;
  if (!(m = open_memstream(&clean, &cleanlen)))
    goto out;
  bad = cli_put_sanitized(m, raw, rawlen) != 0;
  if (fclose(m) != 0 || bad) {
    free(clean);
    clean = NULL;
  }
out:
  free(raw);
  if (!clean)
    c->oom = 1;
  return clean;
}

static char *S_cleanf(S_ctx *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static char *S_cleanf(S_ctx *c, const char *fmt, ...) {
  va_list ap;
  char *s;

  va_start(ap, fmt);
  s = S_vclean(c, fmt, ap);
  va_end(ap);
  return s;
}

/* Columns of n bytes of UTF-8: one per code point. */
static int S_cols(const char *s, size_t n) {
  int cols = 0;
  size_t i;

  for (i = 0; i < n; i++)
    cols += ((unsigned char)s[i] & 0xC0) != 0x80;
  return cols;
}

/* Bytes that hold the first k code points of s. */
static size_t S_bytes(const char *s, size_t n, int k) {
  size_t i = 0;

  while (i < n && k > 0) {
    i++;
    while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
      i++;
    k--;
  }
  return i;
}

static void S_spaces(FILE *f, int n) {
  while (n-- > 0)
    putc(' ', f);
}

/*
** Write s word by word from column col (what is before it on the line is
** already written), breaking lines at spaces so no line is wider than
** c->width; continuation lines start with hang spaces. A word longer than
** a line is cut. Ends the line.
*/
static void S_wrap(S_ctx *c, int col, int hang, const char *s) {
  const char *w;
  size_t wl, cut;
  int cols, fresh = 1, room;

  for (;;) {
    while (*s == ' ')
      s++;
    if (!*s)
      break;
    for (w = s; *s && *s != ' '; s++)
      ;
    wl = (size_t)(s - w);
    cols = S_cols(w, wl);
    if (!fresh && col + 1 + cols > c->width) {
      putc('\n', c->f);
      S_spaces(c->f, hang);
      col = hang;
      fresh = 1;
    }
    if (!fresh) {
      putc(' ', c->f);
      col++;
    }
    while (col + cols > c->width) {
      room = c->width - col;
      cut = S_bytes(w, wl, room);
      fwrite(w, 1, cut, c->f);
      putc('\n', c->f);
      S_spaces(c->f, hang);
      col = hang;
      w += cut;
      wl -= cut;
      cols -= room;
    }
    fwrite(w, 1, wl, c->f);
    col += cols;
    fresh = 0;
  }
  putc('\n', c->f);
}

/* Indent, then a wrapped printf line with continuation lines at hang. */
static void S_textf(S_ctx *c, int indent, int hang, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void S_textf(S_ctx *c, int indent, int hang, const char *fmt, ...) {
  va_list ap;
  char *clean;

  va_start(ap, fmt);
  clean = S_vclean(c, fmt, ap);
  va_end(ap);
  if (!clean)
    return;
  S_spaces(c->f, indent);
  S_wrap(c, indent, hang, clean);
  free(clean);
}

/* A heading line, wrapped, bold with colour (the reset goes after the
** line break, so it takes no column). */
static void S_title(S_ctx *c, const char *title) {
  if (c->color)
    fputs("\033[1m", c->f);
  S_textf(c, 0, 0, "%s", title);
  if (c->color)
    fputs("\033[0m", c->f);
}

static void S_heading(S_ctx *c, const char *title) {
  putc('\n', c->f);
  S_title(c, title);
}

/* The answer to q as text: option labels joined by "; ", the number, or
** the text. Caller frees with free; NULL after setting c->oom. */
static char *S_answer_text(S_ctx *c, const cdg_question *q) {
  const char *qid = cdg_question_id(q);
  char *buf = NULL;
  size_t len = 0, i;
  FILE *m = open_memstream(&buf, &len);

  if (!m) {
    c->oom = 1;
    return NULL;
  }
  switch (cdg_question_type(q)) {
  case CDG_Q_SINGLE:
  case CDG_Q_MULTI:
    for (i = 0; i < cdg_answers_code_count(c->in->answers, qid); i++)
      fprintf(m, "%s%s", i ? "; " : "",
              S_option_label(q, cdg_answers_code(c->in->answers, qid, i)));
    break;
  case CDG_Q_NUMBER:
    fprintf(m, "%.15g", cdg_answers_number(c->in->answers, qid));
    break;
  case CDG_Q_TEXT:
    fputs(cdg_answers_text(c->in->answers, qid), m);
    break;
  }
  if (fclose(m) != 0) {
    free(buf);
    c->oom = 1;
    return NULL;
  }
  return buf;
}

static void S_text_header(S_ctx *c, const char *title) {
  const report_input *in = c->in;

  S_title(c, title);
  S_textf(c, 0, 2, "Tool: cdguide %s", cdg_version());
  S_textf(c, 0, 2, "Pack: %s %s", cdg_pack_id(in->pack),
          cdg_pack_version(in->pack));
  S_textf(c, 0, 2, "Source: %s (%s)", cdg_passages_source_title(in->ps),
          cdg_passages_source_publisher(in->ps));
  S_textf(c, 0, 2, "Source SHA-256: %s", cdg_passages_source_sha256(in->ps));
  S_textf(c, 0, 2, "Date: %s", in->date);
}

/*
** The treatment table: three columns when they fit in the width, else one
** line per treatment.
*/
static void S_text_treatments(S_ctx *c) {
  size_t k, n = S_treat_count(c->in->pack);
  int w1 = (int)strlen("Treatment"), w2 = (int)strlen("not recorded"), w;
  S_treat t;

  if (n == 0) {
    S_textf(c, 2, 2, "This pack records no standard treatments.");
    return;
  }
  for (k = 0; k < n; k++) {
    S_treat_get(c->in, k, &t);
    w = S_cols(t.label, strlen(t.label));
    w1 = w > w1 ? w : w1;
  }
  if (2 + w1 + 2 + w2 + 2 + 16 > c->width) {
    for (k = 0; k < n; k++) {
      S_treat_get(c->in, k, &t);
      S_textf(c, 2, 4, "%s: tried: %s; outcome: %s", t.label,
              S_tried_text(&t), S_outcome_text(&t));
    }
    return;
  }
  /* Padding is written here: S_wrap would fold the runs of spaces. */
  fprintf(c->f, "  %-*s  %-*s  Outcome\n", w1, "Treatment", w2, "Tried");
  for (k = 0; k < n; k++) {
    char *label;

    S_treat_get(c->in, k, &t);
    if (!(label = S_cleanf(c, "%s", t.label)))
      return;
    S_spaces(c->f, 2);
    fputs(label, c->f);
    S_spaces(c->f, w1 - S_cols(label, strlen(label)) + 2);
    fprintf(c->f, "%-*s  ", w2, S_tried_text(&t));
    free(label);
    if (!(label = S_cleanf(c, "%s", S_outcome_text(&t))))
      return;
    S_wrap(c, 2 + w1 + 2 + w2 + 2, 2 + w1 + 2 + w2 + 2, label);
    free(label);
  }
}

/* The cited passage at outcome index i, with its rules and their
** reasons (with_because). */
static void S_text_passage(S_ctx *c, size_t i, int with_because) {
  const cdg_passages *ps = c->in->ps;
  const char *id = cdg_outcome_passage(c->oc, i);
  long p = cdg_passages_find(ps, id), r;
  size_t j;

  if (p < 0)
    return;
  fputc('\n', c->f);
  S_textf(c, 2, 4, "%s [%s]", cdg_passage_section(ps, (size_t)p), id);
  S_textf(c, 4, 4, "%s", cdg_passage_text(ps, (size_t)p));
  for (j = 0; j < cdg_outcome_cited_by_count(c->oc, i); j++) {
    const char *rid = cdg_outcome_cited_by(c->oc, i, j);

    r = S_rule_index(c->in->pack, rid);
    if (with_because && r >= 0 &&
        cdg_rule_because(c->in->pack, (size_t)r)[0])
      S_textf(c, 4, 6, "Cited by %s: %s", rid,
              cdg_rule_because(c->in->pack, (size_t)r));
    else
      S_textf(c, 4, 6, "Cited by %s", rid);
  }
}

static void S_text_notice(S_ctx *c) {
  S_heading(c, "Notice");
  S_textf(c, 2, 2, "%s", REPORT_NOTICE);
}

static void S_text_report(S_ctx *c) {
  const report_input *in = c->in;
  size_t i, n;

  S_text_header(c, "cdguide report");
  S_textf(c, 0, 2, "Complete: %s",
          in->complete ? "yes" : "no, some questions are not answered");

  S_heading(c, "Answers");
  for (i = 0, n = 0; i < cdg_pack_question_count(in->pack); i++) {
    const cdg_question *q = cdg_pack_question(in->pack, i);
    char *a;

    if (!cdg_answers_has(in->answers, cdg_question_id(q)))
      continue;
    if (!(a = S_answer_text(c, q)))
      return;
    S_textf(c, 2, 2, "%s", cdg_question_text(q));
    S_textf(c, 4, 4, "%s", a);
    free(a);
    n++;
  }
  if (n == 0)
    S_textf(c, 2, 2, "No answers.");

  S_heading(c, "Prior treatments");
  S_text_treatments(c);

  S_heading(c, "Guidance passages");
  n = cdg_outcome_count(c->oc);
  if (n == 0)
    S_textf(c, 2, 2, "The rules cite no passage for these answers.");
  for (i = 0; i < n; i++)
    S_text_passage(c, S_cited(c, i), 1);
  S_text_notice(c);
}

/* ---- Markdown ------------------------------------------------------- */

/*
** Write s sanitised, with every markdown metacharacter backslash-escaped
** (CommonMark allows escaping any ASCII punctuation), so text cannot open
** a link, emphasis, HTML, a code span or a table cell. With line_start, a
** leading list or heading marker is escaped too.
*/
static void S_md_at(S_ctx *c, const char *s, int line_start) {
  char *clean = S_cleanf(c, "%s", s);
  const char *p;
  size_t digits;

  if (!clean)
    return;
  p = clean;
  digits = strspn(p, "0123456789");
  if (line_start && *p && strchr("-+=", *p)) {
    putc('\\', c->f);
  } else if (line_start && digits > 0 &&
             (p[digits] == '.' || p[digits] == ')')) {
    fwrite(p, 1, digits, c->f);
    p += digits;
    putc('\\', c->f);
  }
  for (; *p; p++) {
    if (strchr("\\`*_{}[]<>#!|~&", *p))
      putc('\\', c->f);
    putc(*p, c->f);
  }
  free(clean);
}

static void S_md(S_ctx *c, const char *s) { S_md_at(c, s, 0); }

static void S_md_treatments(S_ctx *c) {
  size_t k, n = S_treat_count(c->in->pack);
  S_treat t;

  if (n == 0) {
    fputs("This pack records no standard treatments.\n", c->f);
    return;
  }
  fputs("| Treatment | Tried | Outcome |\n| --- | --- | --- |\n", c->f);
  for (k = 0; k < n; k++) {
    S_treat_get(c->in, k, &t);
    fputs("| ", c->f);
    S_md(c, t.label);
    fprintf(c->f, " | %s | ", S_tried_text(&t));
    S_md(c, S_outcome_text(&t));
    fputs(" |\n", c->f);
  }
}

static void S_md_passage(S_ctx *c, size_t i) {
  const cdg_passages *ps = c->in->ps;
  const char *id = cdg_outcome_passage(c->oc, i);
  long p = cdg_passages_find(ps, id), r;
  size_t j;

  if (p < 0)
    return;
  fputs("\n### ", c->f);
  S_md(c, cdg_passage_section(ps, (size_t)p));
  fputs(": ", c->f);
  S_md(c, id);
  fputs("\n\n> ", c->f);
  S_md_at(c, cdg_passage_text(ps, (size_t)p), 1);
  fputs("\n\nCited by:\n\n", c->f);
  for (j = 0; j < cdg_outcome_cited_by_count(c->oc, i); j++) {
    const char *rid = cdg_outcome_cited_by(c->oc, i, j);

    fputs("- ", c->f);
    S_md(c, rid);
    r = S_rule_index(c->in->pack, rid);
    if (r >= 0 && cdg_rule_because(c->in->pack, (size_t)r)[0]) {
      fputs(": ", c->f);
      S_md(c, cdg_rule_because(c->in->pack, (size_t)r));
    }
    fputc('\n', c->f);
  }
}

static void S_md_field(S_ctx *c, const char *name, const char *value) {
  fprintf(c->f, "- %s: ", name);
  S_md(c, value);
  fputc('\n', c->f);
}

static void S_md_report(S_ctx *c) {
  const report_input *in = c->in;
  size_t i, n;

  fputs("# cdguide report\n\n", c->f);
  S_md_field(c, "Tool", "cdguide " CDG_VERSION);
  fputs("- Pack: ", c->f);
  S_md(c, cdg_pack_id(in->pack));
  fputc(' ', c->f);
  S_md(c, cdg_pack_version(in->pack));
  fputs("\n- Source: ", c->f);
  S_md(c, cdg_passages_source_title(in->ps));
  fputs(" (", c->f);
  S_md(c, cdg_passages_source_publisher(in->ps));
  fputs(")\n", c->f);
  S_md_field(c, "Source SHA-256", cdg_passages_source_sha256(in->ps));
  S_md_field(c, "Date", in->date);
  S_md_field(c, "Complete",
             in->complete ? "yes" : "no, some questions are not answered");

  fputs("\n## Answers\n\n", c->f);
  for (i = 0, n = 0; i < cdg_pack_question_count(in->pack); i++) {
    const cdg_question *q = cdg_pack_question(in->pack, i);
    char *a;

    if (!cdg_answers_has(in->answers, cdg_question_id(q)))
      continue;
    if (!(a = S_answer_text(c, q)))
      return;
    fputs("- **", c->f);
    S_md(c, cdg_question_text(q));
    fputs("** ", c->f);
    S_md(c, a);
    fputc('\n', c->f);
    free(a);
    n++;
  }
  if (n == 0)
    fputs("No answers.\n", c->f);

  fputs("\n## Prior treatments\n\n", c->f);
  S_md_treatments(c);

  fputs("\n## Guidance passages\n", c->f);
  n = cdg_outcome_count(c->oc);
  if (n == 0)
    fputs("\nThe rules cite no passage for these answers.\n", c->f);
  for (i = 0; i < n; i++)
    S_md_passage(c, S_cited(c, i));

  fputs("\n## Notice\n\n" REPORT_NOTICE "\n", c->f);
}

/* ---- JSON ----------------------------------------------------------- */

/* Append item to arr; -1 when item is NULL (building it ran out of
** memory). */
static int S_append(cJSON *arr, cJSON *item) {
  if (!item)
    return -1;
  cJSON_AddItemToArray(arr, item);
  return 0;
}

/* The answer to q as in an answers file: a code, codes, number or text. */
static cJSON *S_json_value(const cdg_answers *a, const cdg_question *q) {
  const char *qid = cdg_question_id(q);
  cJSON *v = NULL;
  size_t i;

  switch (cdg_question_type(q)) {
  case CDG_Q_SINGLE:
    return cJSON_CreateString(cdg_answers_code(a, qid, 0));
  case CDG_Q_MULTI:
    if (!(v = cJSON_CreateArray()))
      return NULL;
    for (i = 0; i < cdg_answers_code_count(a, qid); i++) {
      if (S_append(v, cJSON_CreateString(cdg_answers_code(a, qid, i)))) {
        cJSON_Delete(v);
        return NULL;
      }
    }
    return v;
  case CDG_Q_NUMBER:
    return cJSON_CreateNumber(cdg_answers_number(a, qid));
  case CDG_Q_TEXT:
    return cJSON_CreateString(cdg_answers_text(a, qid));
  }
  return NULL;
}

/* {"id", "question", "value", "labels" (single and multi only)}. */
static cJSON *S_json_answer(const cdg_answers *a, const cdg_question *q) {
  const char *qid = cdg_question_id(q);
  cJSON *o = cJSON_CreateObject(), *v, *labels;
  size_t i;

  if (!o || !cJSON_AddStringToObject(o, "id", qid) ||
      !cJSON_AddStringToObject(o, "question", cdg_question_text(q)))
    goto fail;
  if (!(v = S_json_value(a, q)))
    goto fail;
  if (!cJSON_AddItemToObject(o, "value", v)) { /* copying the key failed */
    cJSON_Delete(v);
    goto fail;
  }
  if (cdg_question_type(q) == CDG_Q_SINGLE ||
      cdg_question_type(q) == CDG_Q_MULTI) {
    if (!(labels = cJSON_AddArrayToObject(o, "labels")))
      goto fail;
    for (i = 0; i < cdg_answers_code_count(a, qid); i++)
      if (S_append(labels, cJSON_CreateString(
                               S_option_label(q, cdg_answers_code(a, qid, i)))))
        goto fail;
  }
  return o;
fail:
  cJSON_Delete(o);
  return NULL;
}

/* {"treatment", "label", "tried" (true, false or null when not recorded),
**  "outcome" and "outcome_label" (null when not recorded)}. */
static cJSON *S_json_treatment(const S_treat *t) {
  cJSON *o = cJSON_CreateObject();

  if (!o || !cJSON_AddStringToObject(o, "treatment", t->code) ||
      !cJSON_AddStringToObject(o, "label", t->label) ||
      !(t->tried < 0 ? cJSON_AddNullToObject(o, "tried")
                     : cJSON_AddBoolToObject(o, "tried", t->tried)) ||
      !(t->outcome ? cJSON_AddStringToObject(o, "outcome", t->outcome)
                   : cJSON_AddNullToObject(o, "outcome")) ||
      !(t->outcome_label
            ? cJSON_AddStringToObject(o, "outcome_label", t->outcome_label)
            : cJSON_AddNullToObject(o, "outcome_label"))) {
    cJSON_Delete(o);
    return NULL;
  }
  return o;
}

/* {"id", "section", "text", "cited_by": [rule ids]}. */
static cJSON *S_json_passage(const S_ctx *c, size_t i) {
  const cdg_passages *ps = c->in->ps;
  const char *id = cdg_outcome_passage(c->oc, i);
  long p = cdg_passages_find(ps, id);
  cJSON *o = cJSON_CreateObject(), *by;
  size_t j;

  if (!o || p < 0 || !cJSON_AddStringToObject(o, "id", id) ||
      !cJSON_AddStringToObject(o, "section",
                               cdg_passage_section(ps, (size_t)p)) ||
      !cJSON_AddStringToObject(o, "text", cdg_passage_text(ps, (size_t)p)) ||
      !(by = cJSON_AddArrayToObject(o, "cited_by")))
    goto fail;
  for (j = 0; j < cdg_outcome_cited_by_count(c->oc, i); j++)
    if (S_append(by, cJSON_CreateString(cdg_outcome_cited_by(c->oc, i, j))))
      goto fail;
  return o;
fail:
  cJSON_Delete(o);
  return NULL;
}

/* The JSON report tree, or NULL when out of memory. */
static cJSON *S_json_report(const S_ctx *c) {
  const report_input *in = c->in;
  cJSON *root = cJSON_CreateObject(), *o, *arr;
  S_treat t;
  size_t i, n;

  if (!root || !(o = cJSON_AddObjectToObject(root, "tool")) ||
      !cJSON_AddStringToObject(o, "name", "cdguide") ||
      !cJSON_AddStringToObject(o, "version", cdg_version()) ||
      !cJSON_AddStringToObject(o, "date", in->date))
    goto fail;
  if (!(o = cJSON_AddObjectToObject(root, "pack")) ||
      !cJSON_AddStringToObject(o, "id", cdg_pack_id(in->pack)) ||
      !cJSON_AddStringToObject(o, "version", cdg_pack_version(in->pack)) ||
      !cJSON_AddStringToObject(o, "title", cdg_pack_title(in->pack)))
    goto fail;
  if (!(o = cJSON_AddObjectToObject(root, "source")) ||
      !cJSON_AddStringToObject(o, "title",
                               cdg_passages_source_title(in->ps)) ||
      !cJSON_AddStringToObject(o, "publisher",
                               cdg_passages_source_publisher(in->ps)) ||
      !cJSON_AddStringToObject(o, "sha256",
                               cdg_passages_source_sha256(in->ps)))
    goto fail;
  if (!(arr = cJSON_AddArrayToObject(root, "answers")))
    goto fail;
  for (i = 0; i < cdg_pack_question_count(in->pack); i++) {
    const cdg_question *q = cdg_pack_question(in->pack, i);

    if (!cdg_answers_has(in->answers, cdg_question_id(q)))
      continue;
    if (S_append(arr, S_json_answer(in->answers, q)))
      goto fail;
  }
  if (!(arr = cJSON_AddArrayToObject(root, "treatment_history")))
    goto fail;
  for (i = 0, n = S_treat_count(in->pack); i < n; i++) {
    S_treat_get(in, i, &t);
    if (S_append(arr, S_json_treatment(&t)))
      goto fail;
  }
  if (!(arr = cJSON_AddArrayToObject(root, "passages")))
    goto fail;
  for (i = 0, n = cdg_outcome_count(c->oc); i < n; i++) {
    if (S_append(arr, S_json_passage(c, S_cited(c, i))))
      goto fail;
  }
  if (!cJSON_AddBoolToObject(root, "complete", in->complete != 0) ||
      !cJSON_AddStringToObject(root, "notice", REPORT_NOTICE))
    goto fail;
  return root;
fail:
  cJSON_Delete(root);
  return NULL;
}

static void S_json_write(S_ctx *c) {
  cJSON *root = S_json_report(c);
  char *text = root ? cJSON_Print(root) : NULL;

  if (!text)
    c->oom = 1;
  else if (cli_put_json(c->f, text) == 0)
    fputc('\n', c->f);
  cJSON_free(text);
  cJSON_Delete(root);
}

/* ---- Review --------------------------------------------------------- */

static void S_review(S_ctx *c) {
  size_t k, i, n = S_treat_count(c->in->pack), gaps = 0, cited = 0;
  size_t tried = 0;
  S_treat t;

  S_text_header(c, "cdguide pre-referral review");
  S_heading(c, "Standard treatments");
  S_text_treatments(c);

  S_heading(c, "No outcome recorded");
  for (k = 0; k < n; k++) {
    S_treat_get(c->in, k, &t);
    if (t.tried != 1)
      continue;
    tried++;
    if (!t.outcome)
      S_textf(c, 2, 4, "%s: tried, no outcome recorded", t.label);
    else if (!S_outcome_is_final(t.outcome))
      S_textf(c, 2, 4, "%s: tried, no outcome recorded (answered \"%s\")",
              t.label, t.outcome_label);
    else
      continue;
    gaps++;
  }
  if (tried == 0)
    S_textf(c, 2, 2, "None: no standard treatment is recorded as tried.");
  else if (gaps == 0)
    S_textf(c, 2, 2, "None: every treatment tried has a recorded outcome.");

  S_heading(c, "Not tried");
  for (k = 0, gaps = 0; k < n; k++) {
    S_treat_get(c->in, k, &t);
    if (t.tried == 1)
      continue;
    if (t.tried == 0)
      S_textf(c, 2, 4, "%s: not tried", t.label);
    else
      S_textf(c, 2, 4, "%s: not recorded whether tried", t.label);
    gaps++;
  }
  if (gaps == 0)
    S_textf(c, 2, 2, "None: every standard treatment was tried.");

  S_heading(c, "Passages on denervation cited for this history");
  for (i = 0; i < cdg_outcome_count(c->oc); i++) {
    size_t j = S_cited(c, i);
    long p = cdg_passages_find(c->in->ps, cdg_outcome_passage(c->oc, j));

    if (!S_on_denervation(c->in->ps, p))
      continue;
    S_text_passage(c, j, 1);
    cited++;
  }
  if (cited == 0)
    S_textf(c, 2, 2,
            "The rules cite no passage on denervation for this history.");
  S_text_notice(c);
}

/* ---- Entry points --------------------------------------------------- */

typedef enum S_kind { S_TEXT, S_MARKDOWN, S_JSON, S_REVIEW } S_kind;

static int S_run(FILE *out, S_kind kind, const report_input *in) {
  S_ctx c;
  cdg_error err;
  cdg_status st;
  int rc = 0;

  memset(&c, 0, sizeof c);
  cdg_error_clear(&err);
  c.f = out;
  c.in = in;
  c.width = in->width > 0 ? in->width : 80;
  c.width = c.width < S_MIN_WIDTH ? S_MIN_WIDTH : c.width;
  c.color = in->color != 0;
  st = cdg_outcome_eval(in->pack, in->answers, in->ps, &c.oc, &err);
  if (st != CDG_OK) {
    cli_print_error(&err);
    rc = cli_exit_code(st);
    goto out;
  }
  switch (kind) {
  case S_TEXT: S_text_report(&c); break;
  case S_MARKDOWN: S_md_report(&c); break;
  case S_JSON: S_json_write(&c); break;
  case S_REVIEW: S_review(&c); break;
  }
  if (c.oom) {
    cli_errorf("out of memory");
    rc = cli_exit_code(CDG_ERR_NOMEM);
  } else if (fflush(out) != 0 || ferror(out)) {
    cli_errorf("cannot write the report");
    rc = cli_exit_code(CDG_ERR_IO);
  }
out:
  cdg_outcome_free(c.oc);
  return rc;
}

int report_write(FILE *out, cli_format fmt, const report_input *in) {
  switch (fmt) {
  case CLI_FORMAT_TEXT: return S_run(out, S_TEXT, in);
  case CLI_FORMAT_MARKDOWN: return S_run(out, S_MARKDOWN, in);
  case CLI_FORMAT_JSON: return S_run(out, S_JSON, in);
  case CLI_FORMAT_FHIR: return fhir_write_response(out, in);
  }
  cli_errorf("unknown report format");
  return EX_SOFTWARE;
}

int report_review(FILE *out, const report_input *in) {
  return S_run(out, S_REVIEW, in);
}

int report_passage(FILE *out, const cdg_passages *ps, size_t i, int width) {
  S_ctx c;

  memset(&c, 0, sizeof c);
  c.f = out;
  c.width = width <= 0 ? 80 : width < S_MIN_WIDTH ? S_MIN_WIDTH : width;
  S_textf(&c, 0, 2, "%s [%s]", cdg_passage_id(ps, i),
          cdg_passage_section(ps, i));
  S_textf(&c, 2, 2, "%s", cdg_passage_text(ps, i));
  putc('\n', out);
  if (c.oom) {
    cli_errorf("out of memory");
    return cli_exit_code(CDG_ERR_NOMEM);
  }
  return 0;
}
