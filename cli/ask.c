/*
** ask.c: one question of the questionnaire: shown with its options and
** default, and the line typed read as an answer by number, code or label.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ask.h"
#include "cdg_limits.h"
#include "prompt.h"

/* The loader allows at most CDG_MAX_OPTIONS, so every option is offered. */
static size_t S_noptions(const cdg_question *q) {
  return cdg_question_option_count(q);
}

/* The default for q (an earlier answer, after back or a change, or one
** from before this run or another session), or NULL. */
static const cdg_answers *S_default(const dlg_run *r) {
  const cdg_answers *d = cdg_walker_defaults(r->w);

  if (d && cdg_answers_has(d, cdg_question_id(r->q)))
    return d;
  d = r->defaults;
  return d && cdg_answers_has(d, cdg_question_id(r->q)) ? d : NULL;
}

/* Write the default as the user would type it: "1 3", a number, text. */
static void S_default_text(const dlg_run *r, char *buf, size_t size) {
  const cdg_answers *d = S_default(r);
  const char *id = cdg_question_id(r->q);
  size_t i, n, len = 0;
  long k;

  buf[0] = '\0';
  if (!d)
    return;
  switch (cdg_question_type(r->q)) {
  case CDG_Q_SINGLE:
  case CDG_Q_MULTI:
    n = cdg_answers_code_count(d, id);
    for (i = 0; i < n && len + 8 < size; i++) {
      k = cdg_question_find_option(r->q, cdg_answers_code(d, id, i));
      if (k >= 0)
        len += (size_t)snprintf(buf + len, size - len, "%s%ld",
                                len ? " " : "", k + 1);
    }
    break;
  case CDG_Q_NUMBER:
    snprintf(buf, size, "%g", cdg_answers_number(d, id));
    break;
  case CDG_Q_TEXT: {
    /* The first 40 bytes, not cutting a UTF-8 character. */
    const char *t = cdg_answers_text(d, id);

    n = cdg_utf8_prefix(t, strlen(t), 40);
    snprintf(buf, size, "%.*s", (int)n, t);
    break;
  }
  }
}

/*
** Questions done: answered, or passed over with skip (the walker counts
** neither as still to answer, so a skip must move the count on too).
** *before: those ahead of r->q in pack order, where r->q stands in the
** summary; *again: r->q is itself done, and is asked again to change it.
*/
static size_t S_done(const dlg_run *r, size_t *before, int *again) {
  const cdg_answers *a = cdg_walker_answers(r->w);
  size_t i, n = 0;

  *before = 0;
  *again = 0;
  for (i = 0; i < cdg_pack_question_count(r->pack); i++) {
    const cdg_question *q = cdg_pack_question(r->pack, i);
    const char *id = cdg_question_id(q);
    int done = cdg_answers_has(a, id) || cdg_walker_skipped(r->w, id);

    if (q == r->q) {
      *before = n;
      *again = done;
    }
    n += (size_t)done;
  }
  return n;
}

void ask_show(dlg_run *r) {
  const cdg_question *q = r->q;
  size_t done, before, remaining = 0, i, n = S_noptions(q);
  int again;
  char def[128];
  double min, max;

  cdg_walker_progress(r->w, NULL, &remaining);
  done = S_done(r, &before, &again);
  if (!again && remaining == 0)
    remaining = 1;  /* this question is still to answer */
  fputc('\n', r->out);
  dlg_style(r, "2");
  fprintf(r->out, "Question %zu of about %zu",
          again ? before + 1 : done + 1, done + remaining);
  dlg_style(r, "0");
  fputc('\n', r->out);
  dlg_style(r, "1");
  dlg_put_wrapped(r, cdg_question_text(q), 0, 0);
  dlg_style(r, "0");
  for (i = 0; i < n; i++) {
    fprintf(r->out, "  %2zu) ", i + 1);
    dlg_put(r, cdg_question_option_label(q, i));
    fputc('\n', r->out);
  }
  switch (cdg_question_type(q)) {
  case CDG_Q_SINGLE: fputs("(choose one)", r->out); break;
  case CDG_Q_MULTI:
    fputs("(choose one or more, e.g. 1 3)", r->out);
    break;
  case CDG_Q_NUMBER: {
    const char *what = cdg_question_format(q) == CDG_QF_INTEGER
                           ? "a whole number"
                           : "a number";

    switch (cdg_question_range(q, &min, &max)) {
    case 3: fprintf(r->out, "(%s from %g to %g)", what, min, max); break;
    case 1: fprintf(r->out, "(%s, at least %g)", what, min); break;
    case 2: fprintf(r->out, "(%s, at most %g)", what, max); break;
    default: fprintf(r->out, "(%s)", what); break;
    }
    break;
  }
  case CDG_Q_TEXT:
    fputs(cdg_question_format(q) == CDG_QF_DATE
              ? "(a date: a year, 2019; a month, 2019-04; or a day, "
                "2019-04-23)"
              : "(type your answer)",
          r->out);
    break;
  }
  fputc('\n', r->out);

  S_default_text(r, def, sizeof def);
  if (!cdg_question_required(q))
    fputs(def[0] ? "(optional: type skip to leave it unanswered)\n"
                 : "(optional: press Enter to leave it unanswered)\n",
          r->out);
  snprintf(r->prompt, sizeof r->prompt, "> ");
  if (def[0]) {
    /* libedit shows the prompt: sanitised here, as everything printed
    ** is. def is numbers, or 40 bytes of text, which sanitising makes
    ** at most 120: it fits. */
    FILE *m = fmemopen(r->prompt, sizeof r->prompt, "w");

    if (m) {
      fputc('[', m);
      cli_put_sanitized(m, def, strlen(def));
      fputs("] > ", m);
      fputc('\0', m);
      fclose(m);
    }
    r->prompt[sizeof r->prompt - 1] = '\0';
  }

  /* Tab completes labels; codes and commands when no label fits, so
  ** "ba" completes "Backwards", not "back". */
  for (i = 0; i < n; i++) {
    r->labels[i] = cdg_question_option_label(q, i);
    r->more[i] = cdg_question_option_code(q, i);
  }
  for (i = 0; i < DLG_NCOMMANDS; i++)
    r->more[n + i] = dlg_commands[i];
  prompt_set_words(r->in, r->labels, n, r->more, n + DLG_NCOMMANDS);
}

/* What a word of an answer names. */
enum { S_NONE = -1, S_AMBIGUOUS = -2, S_RANGE = -3 };

/*
** The option the n bytes at s name: its number, its code or its label
** (ASCII case ignored), or a prefix of exactly one option's label or code.
** Returns the index, or S_NONE, S_AMBIGUOUS, S_RANGE.
*/
static long S_option(const cdg_question *q, const char *s, size_t n) {
  size_t i, count = S_noptions(q);
  long found = S_NONE;

  if (n > 0 && n < 10 && strspn(s, "0123456789") >= n) {
    long v = strtol(s, NULL, 10);
    return v >= 1 && (size_t)v <= count ? v - 1 : S_RANGE;
  }
  for (i = 0; i < count; i++) {
    const char *code = cdg_question_option_code(q, i);
    const char *label = cdg_question_option_label(q, i);
    if ((strlen(code) == n && strncasecmp(code, s, n) == 0) ||
        (strlen(label) == n && strncasecmp(label, s, n) == 0))
      return (long)i;
  }
  for (i = 0; i < count && n > 0; i++) {
    if (strncasecmp(cdg_question_option_code(q, i), s, n) != 0 &&
        strncasecmp(cdg_question_option_label(q, i), s, n) != 0)
      continue;
    if (found != S_NONE)
      return S_AMBIGUOUS;
    found = (long)i;
  }
  return found;
}

/* Explain why the word at s names no option. */
static void S_explain(dlg_run *r, const char *s, size_t n, long why) {
  size_t i, count = S_noptions(r->q);

  if (why == S_RANGE) {
    fputs("There is no option ", r->out);
    cli_put_sanitized(r->out, s, n);
    fprintf(r->out, ": choose 1 to %zu.\n", count);
    return;
  }
  dlg_put_input(r, s, n);
  if (why == S_NONE) {
    fprintf(r->out,
            " is not one of the answers. Type a number from 1 to %zu, "
            "or ? for help.\n",
            count);
    return;
  }
  fputs(" fits more than one answer:", r->out);
  for (i = 0; i < count; i++)
    if (strncasecmp(cdg_question_option_label(r->q, i), s, n) == 0 ||
        strncasecmp(cdg_question_option_code(r->q, i), s, n) == 0) {
      fputs("\n  ", r->out);
      dlg_put(r, cdg_question_option_label(r->q, i));
    }
  fputs("\nType more of it, or its number.\n", r->out);
}

/*
** Read the options a line names into chosen[]: first the whole line as one
** word (labels have spaces), else its pieces between commas, or between
** spaces when there is no comma ("1 3", "1,3", "Physiotherapy, Brain
** surgery"). Returns the count, or 0 after explaining the problem.
*/
static size_t S_parse_options(dlg_run *r, const char *line, int *chosen) {
  size_t count = S_noptions(r->q), len = strlen(line), i, n, total = 0;
  const char *s = line, *end = line + len;
  char sep = strchr(line, ',') ? ',' : ' ';
  long k;

  memset(chosen, 0, count * sizeof *chosen);
  k = S_option(r->q, line, len);
  if (k >= 0) {
    chosen[k] = 1;
    return 1;
  }
  while (s < end) {
    while (s < end && (dlg_is_space(*s) || *s == sep))
      s++;
    if (s == end)
      break;
    for (n = 0; s + n < end && s[n] != sep && (sep == ',' || !dlg_is_space(s[n]));
         n++)
      ;
    i = n;
    while (i > 0 && dlg_is_space(s[i - 1]))
      i--;
    k = S_option(r->q, s, i);
    if (k < 0) {
      S_explain(r, s, i, k);
      return 0;
    }
    total += !chosen[k];
    chosen[k] = 1;
    s += n;
  }
  if (total == 0)
    fputs("Please choose an answer, or type ? for help.\n", r->out);
  return total;
}

/* Answer the current question with the options chosen. */
static cdg_status S_answer_options(dlg_run *r, const int *chosen,
                                   cdg_error *err) {
  const char *codes[CDG_MAX_OPTIONS];
  size_t i, n = 0;

  for (i = 0; i < S_noptions(r->q); i++)
    if (chosen[i])
      codes[n++] = cdg_question_option_code(r->q, i);
  return cdg_walker_answer_codes(r->w, cdg_question_id(r->q), codes, n, err);
}

/*
** Answer the current question with line (already trimmed). Returns 1 when
** the walker took it, 0 after explaining why not.
*/
int ask_answer(dlg_run *r, const char *line) {
  int chosen[CDG_MAX_OPTIONS];
  const char *id = cdg_question_id(r->q);
  cdg_error err;
  cdg_status st;
  size_t n;
  double v;
  char *end;

  cdg_error_clear(&err);
  switch (cdg_question_type(r->q)) {
  case CDG_Q_SINGLE:
  case CDG_Q_MULTI:
    if (!(n = S_parse_options(r, line, chosen)))
      return 0;
    if (n > 1 && cdg_question_type(r->q) == CDG_Q_SINGLE) {
      fputs("Choose only one answer for this question.\n", r->out);
      return 0;
    }
    st = S_answer_options(r, chosen, &err);
    break;
  case CDG_Q_NUMBER:
    v = strtod(line, &end);
    if (end == line || *end || !isfinite(v)) {
      dlg_put_input(r, line, strlen(line));
      fputs(" is not a number.\n", r->out);
      return 0;
    }
    st = cdg_walker_answer_number(r->w, id, v, &err);
    break;
  case CDG_Q_TEXT:
  default:
    st = cdg_walker_answer_text(r->w, id, line, &err);
    break;
  }
  if (st != CDG_OK) {
    dlg_put(r, err.message[0] ? err.message : cdg_status_str(st));
    fputc('\n', r->out);
    return 0;
  }
  return 1;
}

/* Leave an optional question unanswered. */
int ask_skip(dlg_run *r) {
  cdg_error err;

  if (cdg_question_required(r->q)) {
    fputs("This question needs an answer.\n", r->out);
    return 0;
  }
  if (cdg_walker_skip(r->w, cdg_question_id(r->q), &err) != CDG_OK) {
    cli_print_error(&err); /* out of memory: nothing else can fail here */
    return 0;
  }
  return 1;
}

/* Answer with the default shown in brackets; without one, Enter leaves
** an optional question unanswered. */
int ask_answer_default(dlg_run *r) {
  char def[128];
  cdg_error err;

  S_default_text(r, def, sizeof def);
  if (!def[0] && !cdg_question_required(r->q))
    return ask_skip(r);
  if (!def[0]) {
    fputs("Please choose an answer, or type ? for help.\n", r->out);
    return 0;
  }
  /* Text and numbers are taken as they were, not as shown. */
  if (cdg_question_type(r->q) == CDG_Q_TEXT)
    return ask_answer(r, cdg_answers_text(S_default(r), cdg_question_id(r->q)));
  if (cdg_question_type(r->q) == CDG_Q_NUMBER)
    return cdg_walker_answer_number(
               r->w, cdg_question_id(r->q),
               cdg_answers_number(S_default(r), cdg_question_id(r->q)),
               &err) == CDG_OK;
  return ask_answer(r, def);
}
