/*
** html.c: the report document as one self-contained HTML page.
**
** Like the other writers it decides nothing: it lays the document out.
** Every string from the pack, the passages or the answers goes through
** S_text: sanitised by the shared renderer (render_clean, as text and
** markdown are), then escaped, so it cannot open a tag, an attribute or
** an entity, nor reorder the line with a bidi override.
**
** The style sheet is inline, in relative units, with a print part for A4;
** the Content-Security-Policy allows inline style and nothing else, so a
** page that someone edits later still cannot fetch or run anything.
*/
#include "html.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "render.h"

typedef struct S_ctx {
  render r; /* its f is the output; its oom is set by render_clean */
  const cdg_report *d;
} S_ctx;

/* ---- Escaping ------------------------------------------------------- */

/* Write the sanitised s escaped for HTML text and attribute values. */
static void S_text(S_ctx *c, const char *s) {
  char *clean = render_clean(&c->r, "%s", s ? s : "");
  const char *p;

  if (!clean)
    return;
  for (p = clean; *p; p++) {
    switch (*p) {
    case '&': fputs("&amp;", c->r.f); break;
    case '<': fputs("&lt;", c->r.f); break;
    case '>': fputs("&gt;", c->r.f); break;
    case '"': fputs("&quot;", c->r.f); break;
    case '\'': fputs("&#39;", c->r.f); break;
    default: putc(*p, c->r.f);
    }
  }
  free(clean);
}

/* Markup of our own: written as it is. */
static void S_raw(S_ctx *c, const char *markup) { fputs(markup, c->r.f); }

/* ---- The page ------------------------------------------------------- */

/*
** The style sheet. Sizes are in rem and em, widths relative, so the page
** reflows at 200% zoom; long unbroken strings (the SHA-256) may wrap.
** Print: A4 with 12 and 14 mm margins, a 9 pt base, tighter lines and
** cells (a history with every treatment's details fits two pages), no
** passage or table row split over two pages, the table heads repeated.
*/
static const char S_css[] =
    ":root{color-scheme:light}\n"
    "html{font-family:system-ui,\"Noto Sans\",\"DejaVu Sans\",Arial,"
    "sans-serif;font-size:100%;line-height:1.4;color:#111;"
    "background:#fff}\n"
    "body{max-width:50rem;margin:0 auto;padding:1rem 1.25rem}\n"
    "h1{font-size:1.5rem;margin:0}\n"
    "h1 small{display:block;font-size:1rem;font-weight:normal;"
    "color:#333}\n"
    "h2{font-size:1.15rem;margin:1.25rem 0 .4rem;padding-bottom:.1rem;"
    "border-bottom:1px solid #888}\n"
    "h3{font-size:1rem;margin:.7rem 0 0}\n"
    "p{margin:.3rem 0}\n"
    ".notice{margin:.75rem 0;padding:.4rem .75rem;border:2px solid #111;"
    "font-weight:600}\n"
    "dl.meta{display:grid;grid-template-columns:max-content minmax(0,1fr);"
    "gap:.1rem 1rem;margin:.5rem 0}\n"
    "dl.meta dt{font-weight:600}\n"
    "dl.meta dd{margin:0;overflow-wrap:anywhere}\n"
    ".hash{font-family:ui-monospace,\"DejaVu Sans Mono\",monospace;"
    "font-size:.85em}\n"
    "table{border-collapse:collapse;width:100%;margin:.3rem 0}\n"
    "caption{text-align:left;padding:0 0 .25rem;color:#333;"
    "font-size:.9rem}\n"
    "th,td{border:1px solid #999;padding:.2rem .45rem;text-align:left;"
    "vertical-align:top;overflow-wrap:break-word}\n"
    "thead th{background:#e6e6e6}\n"
    "table.answers th[scope=col]:first-child{width:55%}\n"
    "tbody th{font-weight:normal}\n"
    ".nr{font-weight:700;font-style:italic}\n"
    ".nt{color:#444}\n"
    ".gaps{font-size:.9rem}\n"
    ".missing{padding:.3rem .75rem;border-left:.3rem solid #111}\n"
    ".q{display:grid;grid-template-columns:10.5rem minmax(0,1fr);"
    "gap:0 .6rem;margin:.3rem 0}\n"
    ".pid{margin:.5rem 0 0;font-size:.8rem;color:#333;"
    "font-family:\"Arial Narrow\",\"DejaVu Sans Condensed\",system-ui,"
    "sans-serif;font-stretch:condensed;overflow-wrap:anywhere}\n"
    "blockquote{margin:0;padding:.2rem .75rem;"
    "border-left:.3rem solid #555;background:#f6f6f6}\n"
    ".why{margin:.1rem 0 .5rem 11.1rem;padding:0;list-style:none;"
    "font-size:.875rem;color:#222}\n"
    ".why li{margin:.1rem 0}\n"
    ".why .rule{color:#555;white-space:nowrap}\n"
    ".why ul.ans{margin:0;padding:0 0 0 1rem;list-style:none}\n"
    ".why ul.ans b{font-weight:600}\n"
    "@media (max-width:36rem){.q{display:block}.why{margin-left:1rem}}\n"
    "footer{margin-top:1.25rem;padding-top:.4rem;border-top:1px solid "
    "#888;font-size:.875rem}\n"
    "@page{size:A4;margin:12mm 14mm}\n"
    "@media print{\n"
    "html{font-size:9pt;line-height:1.25}\n"
    "body{max-width:none;padding:0}\n"
    "h2{margin-top:.7rem;break-after:avoid}\n"
    "th,td{padding:.05rem .35rem}\n"
    "table{margin:.15rem 0}\n"
    "caption{padding:0;font-size:.8rem}\n"
    "h3{break-after:avoid}\n"
    "thead{display:table-header-group}\n"
    "tr,.q,.why,.notice,dl.meta{break-inside:avoid}\n"
    ".why{break-before:avoid}\n"
    "blockquote{background:none}\n"
    "thead th{background:none}\n"
    "}\n";

static void S_head(S_ctx *c) {
  const cdg_report *d = c->d;

  S_raw(c, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
           "<meta charset=\"utf-8\">\n"
           "<meta http-equiv=\"Content-Security-Policy\" "
           "content=\"default-src 'none'; style-src 'unsafe-inline'; "
           "base-uri 'none'; form-action 'none'\">\n"
           "<meta name=\"viewport\" "
           "content=\"width=device-width, initial-scale=1\">\n"
           "<meta name=\"referrer\" content=\"no-referrer\">\n"
           "<title>cdguide report: ");
  S_text(c, cdg_report_pack_title(d));
  if (cdg_report_recorded(d)[0]) {
    S_raw(c, ", answers of ");
    S_text(c, cdg_report_recorded(d));
  }
  S_raw(c, "</title>\n<style>\n");
  S_raw(c, S_css);
  S_raw(c, "</style>\n</head>\n<body>\n");
}

/*
** A time of the document: "2026-01-31T09:00:00Z" reads "2026-01-31
** 09:00:00 UTC" in a <time> element; any other form is shown as it is.
*/
static void S_when(S_ctx *c, const char *iso) {
  static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
  size_t i;

  for (i = 0; iso[i] && shape[i]; i++)
    if (shape[i] == 'd' ? iso[i] < '0' || iso[i] > '9' : iso[i] != shape[i])
      break;
  if (iso[i] || shape[i]) {
    S_text(c, iso[0] ? iso : "not known");
    return;
  }
  /* Only digits and the separators: nothing to escape. */
  fprintf(c->r.f, "<time datetime=\"%s\">%.10s %.8s UTC</time>", iso, iso,
          iso + 11);
}

/* Title, the notice first (so no print of page 1 lacks it), provenance. */
static void S_header(S_ctx *c) {
  const cdg_report *d = c->d;
  size_t ne = cdg_report_event_count(d);

  S_raw(c, "<header>\n<h1>cdguide report<small>");
  S_text(c, cdg_report_pack_title(d));
  S_raw(c, "</small></h1>\n<p class=\"notice\" role=\"note\">");
  S_text(c, CDG_REPORT_NOTICE);
  S_raw(c, "</p>\n<dl class=\"meta\">\n");
  S_raw(c, "<dt>Answers recorded</dt><dd>");
  S_when(c, cdg_report_recorded(d));
  S_raw(c, "</dd>\n");
  if (ne > 0) {
    const cdg_report_event *first = cdg_report_event_at(d, 0);
    const cdg_report_event *last = cdg_report_event_at(d, ne - 1);

    S_raw(c, "<dt>First answer</dt><dd>");
    S_when(c, first->at ? first->at : "");
    S_raw(c, "</dd>\n<dt>Last change</dt><dd>");
    S_when(c, last->at ? last->at : "");
    S_raw(c, "</dd>\n");
  }
  S_raw(c, "<dt>Tool</dt><dd>cdguide ");
  S_text(c, cdg_report_tool_version(d));
  S_raw(c, "</dd>\n<dt>Question pack</dt><dd>");
  S_text(c, cdg_report_pack_id(d));
  S_raw(c, " ");
  S_text(c, cdg_report_pack_version(d));
  S_raw(c, "</dd>\n<dt>Guidance</dt><dd>");
  S_text(c, cdg_report_source_title(d));
  if (cdg_report_source_publisher(d)[0]) {
    S_raw(c, " (");
    S_text(c, cdg_report_source_publisher(d));
    S_raw(c, ")");
  }
  S_raw(c, "</dd>\n");
  S_raw(c, "<dt>Guidance SHA-256</dt><dd class=\"hash\">");
  S_text(c, cdg_report_source_sha256(d));
  S_raw(c, "</dd>\n");
  S_raw(c, "</dl>\n</header>\n");
}

static void S_completeness(S_ctx *c) {
  const cdg_report *d = c->d;
  size_t i, n = cdg_report_missing_count(d);

  S_raw(c, "<section>\n<h2>Completeness</h2>\n");
  if (cdg_report_complete(d)) {
    S_raw(c, "<p>Complete: every required question that applies is "
             "answered.</p>\n</section>\n");
    return;
  }
  fprintf(c->r.f,
          "<div class=\"missing\"><p><strong>Incomplete:</strong> %zu "
          "required question%s not answered:</p>\n<ul>\n",
          n, n == 1 ? " is" : "s are");
  for (i = 0; i < n; i++) {
    S_raw(c, "<li>");
    S_text(c, cdg_report_missing_text(d, i));
    S_raw(c, " <span class=\"hash\">(");
    S_text(c, cdg_report_missing_id(d, i));
    S_raw(c, ")</span></li>\n");
  }
  S_raw(c, "</ul></div>\n</section>\n");
}

/* Answer i: option labels joined by "; ", the number, or the text. */
static void S_answer(S_ctx *c, size_t i) {
  const cdg_report *d = c->d;
  char num[64];
  size_t j;

  switch (cdg_report_answer_type(d, i)) {
  case CDG_Q_SINGLE:
  case CDG_Q_MULTI:
    for (j = 0; j < cdg_report_answer_code_count(d, i); j++) {
      if (j)
        S_raw(c, "; ");
      S_text(c, cdg_report_answer_label(d, i, j));
    }
    break;
  case CDG_Q_NUMBER:
    snprintf(num, sizeof num, "%.15g", cdg_report_answer_number(d, i));
    S_text(c, num);
    break;
  case CDG_Q_TEXT: S_text(c, cdg_report_answer_text(d, i)); break;
  }
}

/* Rows "question | answer" of questions the review shows; i is each
** one's answer index, CDG_REPORT_UNANSWERED reading "not recorded". */
static void S_shown_row(S_ctx *c, const char *question, size_t i) {
  S_raw(c, "<tr><th scope=\"row\">");
  S_text(c, question);
  S_raw(c, "</th><td>");
  if (i == CDG_REPORT_UNANSWERED)
    S_raw(c, "<span class=\"nr\">not recorded</span>");
  else
    S_answer(c, i);
  S_raw(c, "</td></tr>\n");
}

/* The head of a "question | answer" table, after its caption. */
static void S_qa_head(S_ctx *c) {
  S_raw(c, "<thead><tr><th scope=\"col\">Question</th><th scope=\"col\">"
           "Answer</th></tr></thead>\n<tbody>\n");
}

/* The answers, less those the condition and the treatment details show:
** every answer is on the page once, in the words it was asked. */
static void S_answers(S_ctx *c) {
  const cdg_report *d = c->d;
  size_t i, n = cdg_report_answer_count(d), rest = 0;

  for (i = 0; i < n; i++)
    rest += !cdg_report_answer_placed(d, i);
  S_raw(c, rest < n ? "<section>\n<h2>Other answers</h2>\n"
                    : "<section>\n<h2>Answers</h2>\n");
  if (rest == 0) {
    S_raw(c, n ? "<p>Every answer is shown above or below.</p>\n</section>\n"
               : "<p>No answers.</p>\n</section>\n");
    return;
  }
  S_raw(c, "<table class=\"answers\">\n<caption>The questions answered, in "
           "the words they were asked.</caption>\n");
  S_qa_head(c);
  for (i = 0; i < n; i++)
    if (!cdg_report_answer_placed(d, i))
      S_shown_row(c, cdg_report_answer_question(d, i), i);
  S_raw(c, "</tbody>\n</table>\n</section>\n");
}

/* The questions the pack says describe the condition, when it names any. */
static void S_condition(S_ctx *c) {
  const cdg_report *d = c->d;
  size_t i, n = cdg_report_summary_count(d);

  if (n == 0)
    return;
  S_raw(c, "<section>\n<h2>The condition</h2>\n<table class=\"answers\">\n"
           "<caption>What the answers say of the condition. <em>Not "
           "recorded</em>: the question was not answered.</caption>\n");
  S_qa_head(c);
  for (i = 0; i < n; i++)
    S_shown_row(c, cdg_report_summary_question(d, i),
                cdg_report_summary_answer(d, i));
  S_raw(c, "</tbody>\n</table>\n</section>\n");
}

/* The outcome cell of treatment k: what was answered, and whether it
** records an outcome; "not recorded" never reads like "not tried". */
static void S_outcome(S_ctx *c, size_t k) {
  const cdg_report *d = c->d;
  const char *label = cdg_report_treatment_outcome_label(d, k);
  int tried = cdg_report_treatment_tried(d, k);

  if (tried == 0) {
    S_raw(c, "<span class=\"nt\">(not tried)</span>");
  } else if (tried < 0 || !label) {
    S_raw(c, "<span class=\"nr\">not recorded</span>");
  } else {
    S_text(c, label);
    if (!cdg_report_treatment_recorded(d, k))
      S_raw(c, " <span class=\"nr\">(no outcome recorded yet)</span>");
  }
}

static void S_treatments(S_ctx *c) {
  const cdg_report *d = c->d;
  size_t k, n = cdg_report_treatment_count(d);

  S_raw(c, "<section>\n<h2>Prior treatments</h2>\n");
  if (n == 0) {
    S_raw(c, "<p>This pack records no standard treatments.</p>\n"
             "</section>\n");
    return;
  }
  S_raw(c, "<table>\n<caption>Each standard treatment. <em>No</em>: "
           "answered as not tried. <em>Not recorded</em>: the question "
           "was not answered.</caption>\n<thead><tr><th scope=\"col\">"
           "Treatment</th><th scope=\"col\">Tried</th><th scope=\"col\">"
           "Outcome</th></tr></thead>\n<tbody>\n");
  for (k = 0; k < n; k++) {
    int tried = cdg_report_treatment_tried(d, k);

    S_raw(c, "<tr><th scope=\"row\">");
    S_text(c, cdg_report_treatment_label(d, k));
    S_raw(c, tried == 1   ? "</th><td>yes</td><td>"
             : tried == 0 ? "</th><td>no</td><td>"
                          : "</th><td><span class=\"nr\">not recorded"
                            "</span></td><td>");
    S_outcome(c, k);
    S_raw(c, "</td></tr>\n");
  }
  S_raw(c, "</tbody>\n</table>\n");
  /* The details of each treatment tried, when the pack names some: those
  ** recorded in a table, the rest named on one line. */
  for (k = 0; k < n; k++) {
    size_t j, nd = cdg_report_detail_count(d, k), got = 0, gaps = 0;

    for (j = 0; j < nd; j++)
      got += cdg_report_detail_answer(d, k, j) != CDG_REPORT_UNANSWERED;
    if (got) {
      S_raw(c, "<table class=\"answers\">\n<caption>");
      S_text(c, cdg_report_treatment_label(d, k));
      S_raw(c, ": the details recorded.</caption>\n");
      S_qa_head(c);
      for (j = 0; j < nd; j++)
        if (cdg_report_detail_answer(d, k, j) != CDG_REPORT_UNANSWERED)
          S_shown_row(c, cdg_report_detail_question(d, k, j),
                      cdg_report_detail_answer(d, k, j));
      S_raw(c, "</tbody>\n</table>\n");
    }
    for (j = 0; j < nd; j++) {
      if (cdg_report_detail_answer(d, k, j) != CDG_REPORT_UNANSWERED)
        continue;
      if (gaps++ == 0) {
        S_raw(c, "<p class=\"gaps\">");
        S_text(c, cdg_report_treatment_label(d, k));
        S_raw(c, ", <span class=\"nr\">not recorded</span>: ");
      } else {
        S_raw(c, "; ");
      }
      S_text(c, cdg_report_detail_question(d, k, j));
    }
    if (gaps)
      S_raw(c, "</p>\n");
  }
  S_raw(c, "</section>\n");
}

/* Rule r of the document: why it cites (for the many passages above it,
** when more than one), its id, and the answers that made it fire, one a
** line. */
static void S_rule(S_ctx *c, size_t r, size_t many) {
  const cdg_report *d = c->d;
  size_t j, n = cdg_report_rule_answer_count(d, r);

  if (many > 1)
    fprintf(c->r.f, "<li>These %zu passages are cited", many);
  else
    S_raw(c, "<li>Cited");
  if (cdg_report_rule_because(d, r)[0]) {
    S_raw(c, " because: ");
    S_text(c, cdg_report_rule_because(d, r));
  }
  S_raw(c, " <span class=\"rule\">(rule ");
  S_text(c, cdg_report_rule_id(d, r));
  S_raw(c, ")</span>");
  if (n > 0)
    S_raw(c, "\n<ul class=\"ans\">\n");
  for (j = 0; j < n; j++) {
    size_t a = cdg_report_rule_answer(d, r, j);

    S_raw(c, "<li>");
    S_text(c, cdg_report_answer_question(d, a));
    S_raw(c, " <b>");
    S_answer(c, a);
    S_raw(c, "</b></li>\n");
  }
  S_raw(c, n > 0 ? "</ul></li>\n" : "</li>\n");
}

/* 1 when passages k and m of the document share a section. */
static int S_same_section(const cdg_report *d, size_t k, size_t m) {
  return strcmp(cdg_report_passage_section(d, k),
                cdg_report_passage_section(d, m)) == 0;
}

/* 1 when passages k and m share a section and were cited by the same
** rules: their reasons are then written once, under both. */
static int S_same_group(const cdg_report *d, size_t k, size_t m) {
  size_t j, n = cdg_report_passage_rule_count(d, k);

  if (!S_same_section(d, k, m) || cdg_report_passage_rule_count(d, m) != n)
    return 0;
  for (j = 0; j < n; j++)
    if (cdg_report_passage_rule(d, k, j) != cdg_report_passage_rule(d, m, j))
      return 0;
  return 1;
}

/*
** The cited passages in report order: a heading for each run of one
** section, each passage verbatim beside its id, and after each run of
** passages cited by the same rules, those rules and their answers.
*/
static void S_passages(S_ctx *c) {
  const cdg_report *d = c->d;
  size_t k, j, first = 0, n = cdg_report_passage_count(d);

  S_raw(c, "<section>\n<h2>Guidance passages</h2>\n");
  if (n == 0)
    S_raw(c, "<p>The rules cite no passage for these answers.</p>\n");
  else
    S_raw(c, "<p>Quoted word for word from the guidance named above, "
             "under the guidance's section headings, each with its passage "
             "id.</p>\n");
  for (k = 0; k < n; k++) {
    if (k == 0 || !S_same_section(d, k, k - 1)) {
      S_raw(c, "<h3>");
      S_text(c, cdg_report_passage_section(d, k));
      S_raw(c, "</h3>\n");
    }
    if (k == 0 || !S_same_group(d, k, k - 1))
      first = k;
    S_raw(c, "<div class=\"q\"><p class=\"pid\">");
    S_text(c, cdg_report_passage_id(d, k));
    S_raw(c, "</p><blockquote><p>");
    S_text(c, cdg_report_passage_text(d, k));
    S_raw(c, "</p></blockquote></div>\n");
    if (k + 1 < n && S_same_group(d, k, k + 1))
      continue;
    S_raw(c, "<ul class=\"why\">\n");
    for (j = 0; j < cdg_report_passage_rule_count(d, k); j++)
      S_rule(c, cdg_report_passage_rule(d, k, j), k - first + 1);
    S_raw(c, "</ul>\n");
  }
  S_raw(c, "</section>\n");
}

static void S_footer(S_ctx *c) {
  S_raw(c, "<footer>\n<p><strong>Notice.</strong> ");
  S_text(c, CDG_REPORT_NOTICE);
  S_raw(c, "</p>\n</footer>\n</body>\n</html>\n");
}

int html_write(FILE *out, const cdg_report *d) {
  S_ctx c;

  memset(&c, 0, sizeof c);
  render_init(&c.r, out, 0);
  c.d = d;
  S_head(&c);
  S_header(&c);
  S_completeness(&c);
  S_condition(&c);
  S_answers(&c);
  S_treatments(&c);
  S_passages(&c);
  S_footer(&c);
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
