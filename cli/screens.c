/*
** screens.c: the questionnaire's screens besides the question: help, why,
** review, and the numbered summary shown before finishing.
*/
#include <string.h>

#include "screens.h"
#include "prompt.h"
#include "render.h"
#include "report.h"

void screen_help(dlg_run *r) {
  const char *help = cdg_question_help(r->q);

  if (help && help[0]) {
    dlg_put_wrapped(r, help, 0, 0);
  } else {
    fputs("There is no help text for this question.\n", r->out);
  }
  /* Wrapped to the width now, as everything here: after a resize too. */
  dlg_put_wrapped(r,
                  "Answer by number, or type the start of an answer and "
                  "press Tab. Enter takes the answer in [brackets]. "
                  "Commands: ? help, why, back (or <) to the previous "
                  "question, review, q to save and quit; skip leaves an "
                  "optional question unanswered.",
                  0, 0);
}

/* The report document of the answers so far, or NULL after printing
** why not. Caller frees with cdg_report_free. */
static cdg_report *S_doc(dlg_run *r) {
  report_input in;
  cdg_report *d = NULL;

  memset(&in, 0, sizeof in);
  in.pack = r->pack;
  in.ps = r->ps;
  in.answers = cdg_walker_answers(r->w);
  in.date = "";
  return report_build(&in, &d) == 0 ? d : NULL;
}

/* review: the answers so far, with the option labels. */
void screen_review(dlg_run *r) {
  cdg_report *d = S_doc(r);
  size_t i, j, n;

  if (!d)
    return;
  n = cdg_report_answer_count(d);
  if (n > 0)
    fputs("Your answers so far:\n", r->out);
  for (i = 0; i < n; i++) {
    fputs("  ", r->out);
    dlg_put(r, cdg_report_answer_question(d, i));
    fputs("\n    ", r->out);
    switch (cdg_report_answer_type(d, i)) {
    case CDG_Q_SINGLE:
    case CDG_Q_MULTI:
      for (j = 0; j < cdg_report_answer_code_count(d, i); j++) {
        if (j)
          fputs("; ", r->out);
        dlg_put(r, cdg_report_answer_label(d, i, j));
      }
      break;
    case CDG_Q_NUMBER:
      fprintf(r->out, "%g", cdg_report_answer_number(d, i));
      break;
    case CDG_Q_TEXT: dlg_put(r, cdg_report_answer_text(d, i)); break;
    }
    fputc('\n', r->out);
  }
  if (n == 0)
    fputs("No answers yet.\n", r->out);
  cdg_report_free(d);
}

/* why: every passage the rules cite on the answers so far, in source
** order, with the rules that cite it and their `because`. */
void screen_why(dlg_run *r) {
  cdg_report *d = S_doc(r);
  render rr;
  size_t i, j, k, n;

  if (!d)
    return;
  n = cdg_report_passage_count(d);
  if (n == 0)
    fputs("No rule cites a passage yet.\n", r->out);
  else
    fputs("With the answers so far, the rules cite:\n", r->out);
  render_init(&rr, r->out, dlg_width());
  for (i = 0; i < n; i++) {
    k = cdg_report_source_order(d, i);
    fputs("  ", r->out);
    dlg_put(r, cdg_report_passage_id(d, k));
    fputc('\n', r->out);
    for (j = 0; j < cdg_report_passage_rule_count(d, k); j++) {
      size_t rule = cdg_report_passage_rule(d, k, j);

      render_textf(&rr, 4, 6, "cited by %s: %s", cdg_report_rule_id(d, rule),
                   cdg_report_rule_because(d, rule));
    }
  }
  cdg_report_free(d);
}

/* Whether q is in the summary: answered, or skipped, and asked now. */
static int S_listed(const dlg_run *r, const cdg_question *q) {
  const char *id = cdg_question_id(q);

  return cdg_answers_has(cdg_walker_answers(r->w), id) ||
         (cJSON_HasObjectItem(journal_skips(r->j), id) &&
          cdg_answers_enabled(cdg_walker_answers(r->w), q) > 0);
}

/* The k-th question of the summary (from 1), or NULL. */
const cdg_question *screen_item(const dlg_run *r, size_t k) {
  size_t i, n = 0;

  for (i = 0; i < cdg_pack_question_count(r->pack); i++) {
    const cdg_question *q = cdg_pack_question(r->pack, i);
    if (S_listed(r, q) && ++n == k)
      return q;
  }
  return NULL;
}

/* An answer in the question's own words. */
static void S_put_answer(dlg_run *r, const cdg_answers *a,
                         const cdg_question *q) {
  const char *id = cdg_question_id(q);
  size_t j, n;

  if (!cdg_answers_has(a, id)) {
    fputs("(skipped)", r->out);
    return;
  }
  switch (cdg_question_type(q)) {
  case CDG_Q_SINGLE:
  case CDG_Q_MULTI:
    n = cdg_answers_code_count(a, id);
    for (j = 0; j < n; j++) {
      long k = cdg_question_find_option(q, cdg_answers_code(a, id, j));
      if (j)
        fputs("; ", r->out);
      dlg_put(r, k >= 0 ? cdg_question_option_label(q, (size_t)k)
                      : cdg_answers_code(a, id, j));
    }
    break;
  case CDG_Q_NUMBER: fprintf(r->out, "%g", cdg_answers_number(a, id)); break;
  case CDG_Q_TEXT: dlg_put(r, cdg_answers_text(a, id)); break;
  }
}

/* The numbered summary of every answer; the count. */
size_t screen_summary(dlg_run *r) {
  const cdg_question *q;
  size_t k;

  fputs("\nThat was the last question. Your answers:\n", r->out);
  for (k = 1; (q = screen_item(r, k)); k++) {
    fprintf(r->out, "  %2zu) ", k);
    dlg_put(r, cdg_question_text(q));
    fputs("\n      ", r->out);
    S_put_answer(r, cdg_walker_answers(r->w), q);
    fputc('\n', r->out);
  }
  fputs("Type a number to change that answer, or press Enter to confirm "
        "them and finish.\n",
        r->out);
  snprintf(r->prompt, sizeof r->prompt, "[finish] > ");
  prompt_set_words(r->in, dlg_commands, 0, dlg_commands, DLG_NCOMMANDS);
  return k - 1;
}
