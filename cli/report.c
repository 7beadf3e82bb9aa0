/*
** report.c: the report writers (text, markdown; JSON in report_json.c)
** and the pre-referral review, each a rendering of the report document.
**
** The document (cdg_report.h) decides what a report holds and in what
** order; these writers only lay it out. Text from the pack or the answers
** goes through the shared renderer (render.h), which sanitises it, before
** it reaches text or markdown output.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cdg_base.h"
#include "fhir.h"
#include "html.h"
#include "report_json.h"
#include "render.h"
#include "report.h"

typedef struct S_ctx {
  render r;
  const cdg_report *d;
  int color;
} S_ctx;

/* ---- Text rendering ----------------------------------------------- */

static const char *S_tried_text(const cdg_report *d, size_t k) {
  int t = cdg_report_treatment_tried(d, k);

  return t == 1 ? "yes" : t == 0 ? "no" : "not recorded";
}

static const char *S_outcome_text(const cdg_report *d, size_t k) {
  const char *label = cdg_report_treatment_outcome_label(d, k);

  if (cdg_report_treatment_tried(d, k) != 1)
    return "-";
  return label ? label : "not recorded";
}

/* A heading line, wrapped, bold with colour (the reset goes after the
** line break, so it takes no column). */
static void S_title(S_ctx *c, const char *title) {
  if (c->color)
    fputs("\033[1m", c->r.f);
  render_textf(&c->r, 0, 0, "%s", title);
  if (c->color)
    fputs("\033[0m", c->r.f);
}

static void S_heading(S_ctx *c, const char *title) {
  putc('\n', c->r.f);
  S_title(c, title);
}

/* Answer i as text: option labels joined by "; ", the number, or the
** text. Caller frees with cdg_free; NULL after setting oom. */
static char *S_answer_text(S_ctx *c, size_t i) {
  cdg_buf b = CDG_BUF_INIT;
  size_t j;
  char *s;

  switch (cdg_report_answer_type(c->d, i)) {
  case CDG_Q_SINGLE:
  case CDG_Q_MULTI:
    for (j = 0; j < cdg_report_answer_code_count(c->d, i); j++)
      cdg_buf_printf(&b, "%s%s", j ? "; " : "",
                     cdg_report_answer_label(c->d, i, j));
    break;
  case CDG_Q_NUMBER:
    cdg_buf_printf(&b, "%.15g", cdg_report_answer_number(c->d, i));
    break;
  case CDG_Q_TEXT:
    cdg_buf_puts(&b, cdg_report_answer_text(c->d, i));
    break;
  }
  if (!(s = cdg_buf_detach(&b, NULL)))
    c->r.oom = 1;
  return s;
}

static void S_text_header(S_ctx *c, const char *title, const char *date) {
  const cdg_report *d = c->d;

  S_title(c, title);
  render_textf(&c->r, 0, 2, "Tool: cdguide %s", cdg_report_tool_version(d));
  render_textf(&c->r, 0, 2, "Pack: %s %s", cdg_report_pack_id(d),
               cdg_report_pack_version(d));
  render_textf(&c->r, 0, 2, "Source: %s (%s)", cdg_report_source_title(d),
               cdg_report_source_publisher(d));
  render_textf(&c->r, 0, 2, "Source SHA-256: %s", cdg_report_source_sha256(d));
  render_textf(&c->r, 0, 2, "%s: %s", date, cdg_report_recorded(d));
}

/*
** The treatment table: three columns when they fit in the width, else one
** line per treatment.
*/
static void S_text_treatments(S_ctx *c) {
  const cdg_report *d = c->d;
  size_t k, n = cdg_report_treatment_count(d);
  int w1 = (int)strlen("Treatment"), w2 = (int)strlen("not recorded"), w;

  if (n == 0) {
    render_textf(&c->r, 2, 2, "This pack records no standard treatments.");
    return;
  }
  for (k = 0; k < n; k++) {
    const char *label = cdg_report_treatment_label(d, k);

    w = render_cols(label, strlen(label));
    w1 = w > w1 ? w : w1;
  }
  if (2 + w1 + 2 + w2 + 2 + 16 > c->r.width) {
    for (k = 0; k < n; k++)
      render_textf(&c->r, 2, 4, "%s: tried: %s; outcome: %s",
                   cdg_report_treatment_label(d, k), S_tried_text(d, k),
                   S_outcome_text(d, k));
    return;
  }
  /* Padding is written here: render_wrap would fold the runs of spaces. */
  fprintf(c->r.f, "  %-*s  %-*s  Outcome\n", w1, "Treatment", w2, "Tried");
  for (k = 0; k < n; k++) {
    char *label;

    if (!(label = render_clean(&c->r, "%s", cdg_report_treatment_label(d, k))))
      return;
    render_spaces(&c->r, 2);
    fputs(label, c->r.f);
    render_spaces(&c->r, w1 - render_cols(label, strlen(label)) + 2);
    fprintf(c->r.f, "%-*s  ", w2, S_tried_text(d, k));
    free(label);
    if (!(label = render_clean(&c->r, "%s", S_outcome_text(d, k))))
      return;
    render_wrap(&c->r, 2 + w1 + 2 + w2 + 2, 2 + w1 + 2 + w2 + 2, label);
    free(label);
  }
}

/* "Question: answer" for answer i, wrapped at indent. */
static void S_text_qa(S_ctx *c, int indent, const char *question, size_t i) {
  char *a = i == CDG_REPORT_UNANSWERED ? NULL : S_answer_text(c, i);

  if (i != CDG_REPORT_UNANSWERED && !a)
    return;
  render_textf(&c->r, indent, indent + 2, "%s: %s", question,
               a ? a : "not recorded");
  cdg_free(a);
}

/* Cited passage k, with its rules and their reasons; with reads, the
** answers each rule read (what made it fire). */
static void S_text_passage(S_ctx *c, size_t k, int reads) {
  const cdg_report *d = c->d;
  size_t j, i;

  fputc('\n', c->r.f);
  render_textf(&c->r, 2, 4, "%s [%s]", cdg_report_passage_section(d, k),
               cdg_report_passage_id(d, k));
  render_textf(&c->r, 4, 4, "%s", cdg_report_passage_text(d, k));
  for (j = 0; j < cdg_report_passage_rule_count(d, k); j++) {
    size_t r = cdg_report_passage_rule(d, k, j);

    if (cdg_report_rule_because(d, r)[0])
      render_textf(&c->r, 4, 6, "Cited by %s: %s", cdg_report_rule_id(d, r),
                   cdg_report_rule_because(d, r));
    else
      render_textf(&c->r, 4, 6, "Cited by %s", cdg_report_rule_id(d, r));
    if (reads && cdg_report_rule_answer_count(d, r))
      render_textf(&c->r, 6, 6, "Because of the answers:");
    for (i = 0; reads && i < cdg_report_rule_answer_count(d, r); i++) {
      size_t a = cdg_report_rule_answer(d, r, i);

      S_text_qa(c, 8, cdg_report_answer_question(d, a), a);
    }
  }
}

static void S_text_notice(S_ctx *c) {
  S_heading(c, "Notice");
  render_textf(&c->r, 2, 2, "%s", REPORT_NOTICE);
}

static void S_text_report(S_ctx *c) {
  const cdg_report *d = c->d;
  size_t i, n;

  S_text_header(c, "cdguide report", "Date");
  render_textf(&c->r, 0, 2, "Complete: %s",
               cdg_report_complete(d) ? "yes"
                                      : "no, some questions are not answered");

  S_heading(c, "Answers");
  for (i = 0, n = cdg_report_answer_count(d); i < n; i++) {
    char *a = S_answer_text(c, i);

    if (!a)
      return;
    render_textf(&c->r, 2, 2, "%s", cdg_report_answer_question(d, i));
    render_textf(&c->r, 4, 4, "%s", a);
    cdg_free(a);
  }
  if (n == 0)
    render_textf(&c->r, 2, 2, "No answers.");

  S_heading(c, "Prior treatments");
  S_text_treatments(c);

  S_heading(c, "Guidance passages");
  n = cdg_report_passage_count(d);
  if (n == 0)
    render_textf(&c->r, 2, 2, "The rules cite no passage for these answers.");
  for (i = 0; i < n; i++)
    S_text_passage(c, i, 0);
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
  char *clean = render_clean(&c->r, "%s", s);
  const char *p;
  size_t digits;

  if (!clean)
    return;
  p = clean;
  digits = strspn(p, "0123456789");
  if (line_start && *p && strchr("-+=", *p)) {
    putc('\\', c->r.f);
  } else if (line_start && digits > 0 &&
             (p[digits] == '.' || p[digits] == ')')) {
    fwrite(p, 1, digits, c->r.f);
    p += digits;
    putc('\\', c->r.f);
  }
  for (; *p; p++) {
    if (strchr("\\`*_{}[]<>#!|~&", *p))
      putc('\\', c->r.f);
    putc(*p, c->r.f);
  }
  free(clean);
}

static void S_md(S_ctx *c, const char *s) { S_md_at(c, s, 0); }

static void S_md_treatments(S_ctx *c) {
  const cdg_report *d = c->d;
  size_t k, n = cdg_report_treatment_count(d);

  if (n == 0) {
    fputs("This pack records no standard treatments.\n", c->r.f);
    return;
  }
  fputs("| Treatment | Tried | Outcome |\n| --- | --- | --- |\n", c->r.f);
  for (k = 0; k < n; k++) {
    fputs("| ", c->r.f);
    S_md(c, cdg_report_treatment_label(d, k));
    fprintf(c->r.f, " | %s | ", S_tried_text(d, k));
    S_md(c, S_outcome_text(d, k));
    fputs(" |\n", c->r.f);
  }
}

/* "- **Question** answer" for a question the review shows. */
static void S_md_qa(S_ctx *c, const char *indent, const char *question,
                    size_t i) {
  char *a = i == CDG_REPORT_UNANSWERED ? NULL : S_answer_text(c, i);

  if (i != CDG_REPORT_UNANSWERED && !a)
    return;
  fprintf(c->r.f, "%s- **", indent);
  S_md(c, question);
  fputs("** ", c->r.f);
  if (a)
    S_md(c, a);
  else
    fputs("*not recorded*", c->r.f);
  fputc('\n', c->r.f);
  cdg_free(a);
}

/* The details of each treatment tried, under its name. */
static void S_md_details(S_ctx *c) {
  const cdg_report *d = c->d;
  size_t k, j;

  for (k = 0; k < cdg_report_treatment_count(d); k++) {
    if (!cdg_report_detail_count(d, k))
      continue;
    fputs("\n### ", c->r.f);
    S_md(c, cdg_report_treatment_label(d, k));
    fputs("\n\n", c->r.f);
    for (j = 0; j < cdg_report_detail_count(d, k); j++)
      S_md_qa(c, "", cdg_report_detail_question(d, k, j),
              cdg_report_detail_answer(d, k, j));
  }
}

static void S_md_passage(S_ctx *c, size_t k) {
  const cdg_report *d = c->d;
  size_t j, i;

  fputs("\n### ", c->r.f);
  S_md(c, cdg_report_passage_section(d, k));
  fputs(": ", c->r.f);
  S_md(c, cdg_report_passage_id(d, k));
  fputs("\n\n> ", c->r.f);
  S_md_at(c, cdg_report_passage_text(d, k), 1);
  fputs("\n\nCited by:\n\n", c->r.f);
  for (j = 0; j < cdg_report_passage_rule_count(d, k); j++) {
    size_t r = cdg_report_passage_rule(d, k, j);

    fputs("- ", c->r.f);
    S_md(c, cdg_report_rule_id(d, r));
    if (cdg_report_rule_because(d, r)[0]) {
      fputs(": ", c->r.f);
      S_md(c, cdg_report_rule_because(d, r));
    }
    fputc('\n', c->r.f);
    for (i = 0; i < cdg_report_rule_answer_count(d, r); i++) {
      size_t a = cdg_report_rule_answer(d, r, i);

      S_md_qa(c, "  ", cdg_report_answer_question(d, a), a);
    }
  }
}

static void S_md_field(S_ctx *c, const char *name, const char *value) {
  fprintf(c->r.f, "- %s: ", name);
  S_md(c, value);
  fputc('\n', c->r.f);
}

static void S_md_report(S_ctx *c) {
  const cdg_report *d = c->d;
  FILE *f = c->r.f;
  size_t i, n;
  char *a;

  fputs("# cdguide report\n\n- Tool: cdguide ", f);
  S_md(c, cdg_report_tool_version(d));
  fputs("\n- Pack: ", f);
  S_md(c, cdg_report_pack_id(d));
  fputc(' ', f);
  S_md(c, cdg_report_pack_version(d));
  fputs("\n- Source: ", f);
  S_md(c, cdg_report_source_title(d));
  fputs(" (", f);
  S_md(c, cdg_report_source_publisher(d));
  fputs(")\n", f);
  S_md_field(c, "Source SHA-256", cdg_report_source_sha256(d));
  S_md_field(c, "Date", cdg_report_recorded(d));
  if (cdg_report_first_recorded(d)[0]) {
    S_md_field(c, "Answers first recorded", cdg_report_first_recorded(d));
    S_md_field(c, "Answers last recorded", cdg_report_last_recorded(d));
  }
  S_md_field(c, "Complete",
             cdg_report_complete(d) ? "yes"
                                    : "no, some questions are not answered");
  for (i = 0; i < cdg_report_missing_count(d); i++) {
    fputs("  - Not answered: ", f);
    S_md(c, cdg_report_missing_text(d, i));
    fputc('\n', f);
  }
  if ((n = cdg_report_summary_count(d)) > 0)
    fputs("\n## The condition\n\n", f);
  for (i = 0; i < n; i++)
    S_md_qa(c, "", cdg_report_summary_question(d, i),
            cdg_report_summary_answer(d, i));

  fputs("\n## Answers\n\n", f);
  for (i = 0, n = cdg_report_answer_count(d); i < n; i++) {
    if (!(a = S_answer_text(c, i)))
      return;
    fputs("- **", f);
    S_md(c, cdg_report_answer_question(d, i));
    fputs("** ", f);
    S_md(c, a);
    fputc('\n', f);
    cdg_free(a);
  }
  if (n == 0)
    fputs("No answers.\n", f);

  fputs("\n## Prior treatments\n\n", f);
  S_md_treatments(c);
  S_md_details(c);

  fputs("\n## Guidance passages\n", f);
  n = cdg_report_passage_count(d);
  if (n == 0)
    fputs("\nThe rules cite no passage for these answers.\n", f);
  for (i = 0; i < n; i++)
    S_md_passage(c, i);

  fputs("\n## Notice\n\n" REPORT_NOTICE "\n", f);
}

/* ---- Review --------------------------------------------------------- */

static void S_review(S_ctx *c) {
  const cdg_report *d = c->d;
  const char *topic = cdg_report_review_topic(d);
  size_t k, n = cdg_report_treatment_count(d), gaps = 0, cited = 0;
  size_t tried = 0;

  S_text_header(c, "cdguide pre-referral review", "Review made");
  if (cdg_report_first_recorded(d)[0]) {
    render_textf(&c->r, 0, 2, "Answers first recorded: %s",
                 cdg_report_first_recorded(d));
    render_textf(&c->r, 0, 2, "Answers last recorded: %s",
                 cdg_report_last_recorded(d));
  } else {
    render_textf(&c->r, 0, 2,
                 "Answers recorded: not stated (the file keeps no history)");
  }
  if (cdg_report_complete(d))
    render_textf(&c->r, 0, 2, "Complete: yes");
  else
    for (k = 0; k < cdg_report_missing_count(d); k++)
      render_textf(&c->r, 0, 2, "%s %s", k ? "         " : "Complete: no;",
                   cdg_report_missing_text(d, k));

  if (cdg_report_summary_count(d)) {
    S_heading(c, "The condition");
    for (k = 0; k < cdg_report_summary_count(d); k++)
      S_text_qa(c, 2, cdg_report_summary_question(d, k),
                cdg_report_summary_answer(d, k));
  }

  S_heading(c, "Standard treatments");
  S_text_treatments(c);
  for (k = 0; k < n; k++) {
    size_t j, nd = cdg_report_detail_count(d, k);

    if (!nd)
      continue;
    putc('\n', c->r.f);
    render_textf(&c->r, 2, 4, "%s", cdg_report_treatment_label(d, k));
    for (j = 0; j < nd; j++)
      S_text_qa(c, 4, cdg_report_detail_question(d, k, j),
                cdg_report_detail_answer(d, k, j));
  }

  S_heading(c, "No outcome recorded");
  for (k = 0; k < n; k++) {
    const char *label = cdg_report_treatment_label(d, k);

    if (cdg_report_treatment_tried(d, k) != 1)
      continue;
    tried++;
    if (!cdg_report_treatment_outcome(d, k))
      render_textf(&c->r, 2, 4, "%s: tried, no outcome recorded", label);
    else if (!cdg_report_treatment_recorded(d, k))
      render_textf(&c->r, 2, 4,
                   "%s: tried, no outcome recorded (answered \"%s\")", label,
                   cdg_report_treatment_outcome_label(d, k));
    else
      continue;
    gaps++;
  }
  if (tried == 0)
    render_textf(&c->r, 2, 2,
                 "None: no standard treatment is recorded as tried.");
  else if (gaps == 0)
    render_textf(&c->r, 2, 2,
                 "None: every treatment tried has a recorded outcome.");

  S_heading(c, "Not tried");
  for (k = 0, gaps = 0; k < n; k++) {
    int t = cdg_report_treatment_tried(d, k);

    if (t == 1)
      continue;
    render_textf(&c->r, 2, 4,
                 t == 0 ? "%s: not tried" : "%s: not recorded whether tried",
                 cdg_report_treatment_label(d, k));
    gaps++;
  }
  if (gaps == 0)
    render_textf(&c->r, 2, 2, "None: every standard treatment was tried.");

  putc('\n', c->r.f);
  if (c->color)
    fputs("\033[1m", c->r.f);
  render_textf(&c->r, 0, 0, "Passages %s%s cited for this history",
               topic ? "on " : "", topic ? topic : "");
  if (c->color)
    fputs("\033[0m", c->r.f);
  for (k = 0; k < cdg_report_passage_count(d); k++) {
    if (!cdg_report_passage_reviewed(d, k))
      continue;
    S_text_passage(c, k, 1);
    cited++;
  }
  if (cited == 0)
    render_textf(&c->r, 2, 2,
                 "The rules cite no passage %s%s for this history.",
                 topic ? "on " : "", topic ? topic : "");
  S_text_notice(c);
}

/* ---- Entry points --------------------------------------------------- */

typedef enum S_kind { S_TEXT, S_MARKDOWN, S_REVIEW } S_kind;

int report_build(const report_input *in, cdg_report **doc) {
  cdg_report_facts facts;
  cdg_error err;
  cdg_status st;

  memset(&facts, 0, sizeof facts);
  facts.recorded = in->date;
  facts.events = in->history;
  facts.nevents = in->nhistory;
  cdg_error_clear(&err);
  st = cdg_report_build(in->pack, in->ps, in->answers, &facts, doc, &err);
  if (st != CDG_OK) {
    cli_print_error(&err);
    return cli_exit_code(st);
  }
  return 0;
}

static int S_run(FILE *out, S_kind kind, const cdg_report *d,
                 const report_input *in) {
  S_ctx c;

  memset(&c, 0, sizeof c);
  render_init(&c.r, out, in->width);
  c.d = d;
  c.color = in->color != 0;
  switch (kind) {
  case S_TEXT:
    S_text_report(&c);
    break;
  case S_MARKDOWN:
    S_md_report(&c);
    break;
  case S_REVIEW:
    S_review(&c);
    break;
  }
  if (c.r.oom) {
    cli_errorf("out of memory");
    return cli_exit_code(CDG_ERR_NOMEM);
  }
  if (fflush(out) != 0 || ferror(out)) {
    cli_errorf("cannot write the report");
    return cli_exit_code(CDG_ERR_IO);
  }
  return 0;
}

int report_write(FILE *out, cli_format fmt, const report_input *in) {
  cdg_report *d = NULL;
  int rc;

  if ((rc = report_build(in, &d)) != 0)
    return rc;
  switch (fmt) {
  case CLI_FORMAT_TEXT:
    rc = S_run(out, S_TEXT, d, in);
    break;
  case CLI_FORMAT_MARKDOWN:
    rc = S_run(out, S_MARKDOWN, d, in);
    break;
  case CLI_FORMAT_JSON:
    rc = report_json_write(out, d);
    break;
  case CLI_FORMAT_FHIR:
    rc = fhir_write_response(out, d);
    break;
  case CLI_FORMAT_HTML:
    rc = html_write(out, d);
    break;
  default:
    cli_errorf("unknown report format");
    rc = EX_SOFTWARE;
  }
  cdg_report_free(d);
  return rc;
}

int report_review(FILE *out, const report_input *in) {
  cdg_report *d = NULL;
  int rc;

  if ((rc = report_build(in, &d)) == 0)
    rc = S_run(out, S_REVIEW, d, in);
  cdg_report_free(d);
  return rc;
}

int report_passage(FILE *out, const cdg_passages *ps, size_t i, int width) {
  render r;

  render_init(&r, out, width);
  render_textf(&r, 0, 2, "%s [%s]", cdg_passage_id(ps, i),
               cdg_passage_section(ps, i));
  render_textf(&r, 2, 2, "%s", cdg_passage_text(ps, i));
  putc('\n', out);
  if (r.oom) {
    cli_errorf("out of memory");
    return cli_exit_code(CDG_ERR_NOMEM);
  }
  return 0;
}
