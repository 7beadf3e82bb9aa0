/*
** interactive.c: the questionnaire, one question at a time. Answers come
** by number, code or label; commands are ?, why, back, review and q. Every
** change is an event appended to the session journal and fsynced before
** the next question is shown, so a signal, a closed terminal or a crash
** loses at most the line being typed. Going back or a change that disables
** a question deletes nothing: the answers stay in the journal and come
** back as defaults. The last step is a numbered summary to change any
** answer by its number, then confirm. The dialogue goes to stderr and the
** report to stdout, so `cdguide > report.txt` still shows the questions.
*/
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "interactive.h"
#include "journal.h"
#include "output.h"

#include "cdg_limits.h"
#include "prompt.h"
#include "render.h"
#include "report.h"
#include "session.h"


typedef struct S_run {
  const cli_opts *o;
  const cdg_pack *pack;
  const cdg_passages *ps;
  cdg_walker *w;
  journal *j;          /* the session file */
  cdg_answers *defaults; /* answers said before this run, or carried */
  prompt *in;
  FILE *out;           /* the dialogue */
  char *path;          /* the session file, absolute */
  int plain;           /* input is not a terminal */
  int summary;         /* at the summary: numbers pick answers */
  int color;           /* colour in the dialogue */
  const cdg_question *q;  /* the question being asked */
  char prompt[256];
  const char *labels[CDG_MAX_OPTIONS];     /* Tab: labels first */
  const char *more[CDG_MAX_OPTIONS + 5];   /* then codes and commands */
} S_run;

static const char *const S_commands[] = {"back", "help", "quit", "review",
                                         "skip", "why"};
#define S_NCOMMANDS (sizeof S_commands / sizeof S_commands[0])

/* ---- Output ------------------------------------------------------------ */

/* Text from the pack or the user, never raw escapes. */
static void S_put(S_run *r, const char *s) {
  cli_put_sanitized(r->out, s, strlen(s));
}

/* At most 60 bytes of what the user typed, sanitised, in quotes. */
static void S_put_input(S_run *r, const char *s, size_t n) {
  fputc('"', r->out);
  cli_put_sanitized(r->out, s, n > 60 ? 60 : n);
  fputs(n > 60 ? "...\"" : "\"", r->out);
}

static void S_style(S_run *r, const char *sgr) {
  if (r->color)
    fprintf(r->out, "\033[%sm", sgr);
}

#define S_MAX_WIDTH 100 /* longer lines are hard to read */

/* The dialogue's width, read again at each render so that the text
** rewraps after the terminal is resized (SIGWINCH). */
static int S_width(void) {
  int w = cli_term_width(STDERR_FILENO);

  return w > S_MAX_WIDTH ? S_MAX_WIDTH : w;
}

/* Write text sanitised and wrapped to the terminal: the first line
** indented by indent columns, the others by hang. */
static void S_put_wrapped(S_run *r, const char *text, int indent, int hang) {
  render rr;

  render_init(&rr, r->out, S_width());
  render_textf(&rr, indent, hang, "%s", text);
}

/* A path as one shell word: single-quoted unless it is plain. */
static void S_put_shell_word(S_run *r, const char *s) {
  size_t n;

  if (s[0] == '-')
    fputs("./", r->out);  /* never read as an option */
  if (s[0] && s[strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                          "0123456789_./-+:@%,=")] == '\0') {
    S_put(r, s);
    return;
  }
  fputc('\'', r->out);
  for (;;) {
    n = strcspn(s, "'");
    cli_put_sanitized(r->out, s, n);
    if (!s[n])
      break;
    fputs("'\\''", r->out);
    s += n + 1;
  }
  fputc('\'', r->out);
}

/* The command to run this program again: "cdguide" when that is what
** PATH finds, else its absolute path. */
static void S_put_program(S_run *r) {
  char self[PATH_MAX], found[PATH_MAX], cand[PATH_MAX];
  const char *path = getenv("PATH"), *p, *end;
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);

  if (n <= 0) {
    fputs("cdguide", r->out);
    return;
  }
  self[n] = '\0';
  for (p = path; p && *p; p = *end ? end + 1 : end) {
    end = strchr(p, ':');
    if (!end)
      end = p + strlen(p);
    if (end > p &&
        snprintf(cand, sizeof cand, "%.*s/cdguide", (int)(end - p), p) <
            (int)sizeof cand &&
        realpath(cand, found) && strcmp(found, self) == 0) {
      fputs("cdguide", r->out);
      return;
    }
  }
  S_put_shell_word(r, self);
}

static void S_say_resume(S_run *r) {
  if (!journal_exists(r->j)) {
    fputs("No answer was given; no session file was made.\n", r->out);
    return;
  }
  fputs("Your answers are saved. To continue later:\n  ", r->out);
  S_put_program(r);
  fputs(" resume ", r->out);
  if (r->o->pack_dir) {
    fputs("--pack ", r->out);
    S_put_shell_word(r, r->o->pack_dir);
    fputc(' ', r->out);
  }
  S_put_shell_word(r, r->path);
  fputc('\n', r->out);
}

/* ---- Questions --------------------------------------------------------- */

/* The loader allows at most CDG_MAX_OPTIONS, so every option is offered. */
static size_t S_noptions(const cdg_question *q) {
  return cdg_question_option_count(q);
}

/* The default for q (an earlier answer, after back or a change, or one
** from before this run or another session), or NULL. */
static const cdg_answers *S_default(const S_run *r) {
  const cdg_answers *d = cdg_walker_defaults(r->w);

  if (d && cdg_answers_has(d, cdg_question_id(r->q)))
    return d;
  d = r->defaults;
  return d && cdg_answers_has(d, cdg_question_id(r->q)) ? d : NULL;
}

/* Write the default as the user would type it: "1 3", a number, text. */
static void S_default_text(const S_run *r, char *buf, size_t size) {
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

    n = strlen(t);
    if (n > 40)
      for (n = 40; n > 0 && ((unsigned char)t[n] & 0xC0) == 0x80; n--)
        ;
    snprintf(buf, size, "%.*s", (int)n, t);
    break;
  }
  }
}

static void S_show_question(S_run *r) {
  const cdg_question *q = r->q;
  size_t answered = 0, remaining = 0, i, n = S_noptions(q);
  char def[128];
  double min, max;

  cdg_walker_progress(r->w, &answered, &remaining);
  if (remaining == 0)
    remaining = 1;  /* this question is still to answer */
  fputc('\n', r->out);
  S_style(r, "2");
  fprintf(r->out, "Question %zu of about %zu", answered + 1,
          answered + remaining);
  S_style(r, "0");
  fputc('\n', r->out);
  S_style(r, "1");
  S_put_wrapped(r, cdg_question_text(q), 0, 0);
  S_style(r, "0");
  for (i = 0; i < n; i++) {
    fprintf(r->out, "  %2zu) ", i + 1);
    S_put(r, cdg_question_option_label(q, i));
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
  for (i = 0; i < S_NCOMMANDS; i++)
    r->more[n + i] = S_commands[i];
  prompt_set_words(r->in, r->labels, n, r->more, n + S_NCOMMANDS);
}

static void S_show_help(S_run *r) {
  const char *help = cdg_question_help(r->q);

  if (help && help[0]) {
    S_put_wrapped(r, help, 0, 0);
  } else {
    fputs("There is no help text for this question.\n", r->out);
  }
  fputs("Answer by number, or type the start of an answer and press Tab.\n"
        "Enter takes the answer in [brackets]. Commands: ? help, why,\n"
        "back (or <) to the previous question, review, q to save and "
        "quit;\nskip leaves an optional question unanswered.\n",
        r->out);
}

/* The report document of the answers so far, or NULL after printing
** why not. Caller frees with cdg_report_free. */
static cdg_report *S_doc(S_run *r) {
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
static void S_show_review(S_run *r) {
  cdg_report *d = S_doc(r);
  size_t i, j, n;

  if (!d)
    return;
  n = cdg_report_answer_count(d);
  if (n > 0)
    fputs("Your answers so far:\n", r->out);
  for (i = 0; i < n; i++) {
    fputs("  ", r->out);
    S_put(r, cdg_report_answer_question(d, i));
    fputs("\n    ", r->out);
    switch (cdg_report_answer_type(d, i)) {
    case CDG_Q_SINGLE:
    case CDG_Q_MULTI:
      for (j = 0; j < cdg_report_answer_code_count(d, i); j++) {
        if (j)
          fputs("; ", r->out);
        S_put(r, cdg_report_answer_label(d, i, j));
      }
      break;
    case CDG_Q_NUMBER:
      fprintf(r->out, "%g", cdg_report_answer_number(d, i));
      break;
    case CDG_Q_TEXT: S_put(r, cdg_report_answer_text(d, i)); break;
    }
    fputc('\n', r->out);
  }
  if (n == 0)
    fputs("No answers yet.\n", r->out);
  cdg_report_free(d);
}

/* why: every passage the rules cite on the answers so far, in source
** order, with the rules that cite it and their `because`. */
static void S_show_why(S_run *r) {
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
  render_init(&rr, r->out, S_width());
  for (i = 0; i < n; i++) {
    k = cdg_report_source_order(d, i);
    fputs("  ", r->out);
    S_put(r, cdg_report_passage_id(d, k));
    fputc('\n', r->out);
    for (j = 0; j < cdg_report_passage_rule_count(d, k); j++) {
      size_t rule = cdg_report_passage_rule(d, k, j);

      render_textf(&rr, 4, 6, "cited by %s: %s", cdg_report_rule_id(d, rule),
                   cdg_report_rule_because(d, rule));
    }
  }
  cdg_report_free(d);
}

/* ---- Answers ----------------------------------------------------------- */

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
static void S_explain(S_run *r, const char *s, size_t n, long why) {
  size_t i, count = S_noptions(r->q);

  if (why == S_RANGE) {
    fputs("There is no option ", r->out);
    cli_put_sanitized(r->out, s, n);
    fprintf(r->out, ": choose 1 to %zu.\n", count);
    return;
  }
  S_put_input(r, s, n);
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
      S_put(r, cdg_question_option_label(r->q, i));
    }
  fputs("\nType more of it, or its number.\n", r->out);
}

static int S_is_space(char c) { return c == ' ' || c == '\t'; }

/*
** Read the options a line names into chosen[]: first the whole line as one
** word (labels have spaces), else its pieces between commas, or between
** spaces when there is no comma ("1 3", "1,3", "Physiotherapy, Brain
** surgery"). Returns the count, or 0 after explaining the problem.
*/
static size_t S_parse_options(S_run *r, const char *line, int *chosen) {
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
    while (s < end && (S_is_space(*s) || *s == sep))
      s++;
    if (s == end)
      break;
    for (n = 0; s + n < end && s[n] != sep && (sep == ',' || !S_is_space(s[n]));
         n++)
      ;
    i = n;
    while (i > 0 && S_is_space(s[i - 1]))
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
static cdg_status S_answer_options(S_run *r, const int *chosen,
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
static int S_answer(S_run *r, const char *line) {
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
      S_put_input(r, line, strlen(line));
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
    S_put(r, err.message[0] ? err.message : cdg_status_str(st));
    fputc('\n', r->out);
    return 0;
  }
  return 1;
}

/* Leave an optional question unanswered. */
static int S_skip(S_run *r) {
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
static int S_answer_default(S_run *r) {
  char def[128];
  cdg_error err;

  S_default_text(r, def, sizeof def);
  if (!def[0] && !cdg_question_required(r->q))
    return S_skip(r);
  if (!def[0]) {
    fputs("Please choose an answer, or type ? for help.\n", r->out);
    return 0;
  }
  /* Text and numbers are taken as they were, not as shown. */
  if (cdg_question_type(r->q) == CDG_Q_TEXT)
    return S_answer(r, cdg_answers_text(S_default(r), cdg_question_id(r->q)));
  if (cdg_question_type(r->q) == CDG_Q_NUMBER)
    return cdg_walker_answer_number(
               r->w, cdg_question_id(r->q),
               cdg_answers_number(S_default(r), cdg_question_id(r->q)),
               &err) == CDG_OK;
  return S_answer(r, def);
}

/* ---- The journal ------------------------------------------------------- */

/* Answers as a JSON object (caller deletes); NULL when out of memory. */
static cJSON *S_json(const cdg_answers *a) {
  char *t = cdg_answers_to_json(a);
  cJSON *o = t ? cJSON_Parse(t) : NULL;

  cdg_free(t);
  return o;
}

static int S_nomem(void) {
  cli_errorf("out of memory");
  return cli_exit_code(CDG_ERR_NOMEM);
}

/* Write the queued events. Returns 0 or an exit code, having printed. */
static int S_commit(S_run *r) {
  cdg_error err;
  int rc = journal_commit(r->j, &err);

  if (rc != 0)
    cli_print_error(&err);
  return rc;
}

/*
** Record what a walker call did to qid: kind ("answered", "skipped",
** "went_back"), then "hidden" for every other answer in before (the
** answers before the call, deleted here) that no longer counts. A change
** after finishing reopens the session first. Written before the prompt
** moves on. Returns 0 or an exit code.
*/
static int S_record(S_run *r, const char *kind, const char *qid,
                    cJSON *before) {
  cJSON *after = S_json(cdg_walker_answers(r->w)), *c;
  int bad = !after || !before;

  if (!bad && journal_finished(r->j))
    bad = journal_add(r->j, "reopened", NULL, NULL, NULL);
  if (!bad)
    bad = journal_add(r->j, kind, qid,
                      strcmp(kind, "answered") == 0
                          ? cJSON_GetObjectItemCaseSensitive(after, qid)
                          : NULL,
                      NULL);
  for (c = before ? before->child : NULL; c && !bad; c = c->next)
    if (strcmp(c->string, qid) != 0 && !cJSON_HasObjectItem(after, c->string))
      bad = journal_add(r->j, "hidden", c->string, NULL, NULL);
  cJSON_Delete(after);
  cJSON_Delete(before);
  return bad ? S_nomem() : S_commit(r);
}

/* ---- The summary ------------------------------------------------------- */

/* Whether q is in the summary: answered, or skipped, and asked now. */
static int S_listed(const S_run *r, const cdg_question *q) {
  const char *id = cdg_question_id(q);

  return cdg_answers_has(cdg_walker_answers(r->w), id) ||
         (cJSON_HasObjectItem(journal_skips(r->j), id) &&
          cdg_answers_enabled(cdg_walker_answers(r->w), q) > 0);
}

/* The k-th question of the summary (from 1), or NULL. */
static const cdg_question *S_item(const S_run *r, size_t k) {
  size_t i, n = 0;

  for (i = 0; i < cdg_pack_question_count(r->pack); i++) {
    const cdg_question *q = cdg_pack_question(r->pack, i);
    if (S_listed(r, q) && ++n == k)
      return q;
  }
  return NULL;
}

/* An answer in the question's own words. */
static void S_put_answer(S_run *r, const cdg_answers *a,
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
      S_put(r, k >= 0 ? cdg_question_option_label(q, (size_t)k)
                      : cdg_answers_code(a, id, j));
    }
    break;
  case CDG_Q_NUMBER: fprintf(r->out, "%g", cdg_answers_number(a, id)); break;
  case CDG_Q_TEXT: S_put(r, cdg_answers_text(a, id)); break;
  }
}

/* The numbered summary of every answer; the count. */
static size_t S_show_summary(S_run *r) {
  const cdg_question *q;
  size_t k;

  fputs("\nThat was the last question. Your answers:\n", r->out);
  for (k = 1; (q = S_item(r, k)); k++) {
    fprintf(r->out, "  %2zu) ", k);
    S_put(r, cdg_question_text(q));
    fputs("\n      ", r->out);
    S_put_answer(r, cdg_walker_answers(r->w), q);
    fputc('\n', r->out);
  }
  fputs("Type a number to change that answer, or press Enter to confirm "
        "them and finish.\n",
        r->out);
  snprintf(r->prompt, sizeof r->prompt, "[finish] > ");
  prompt_set_words(r->in, S_commands, 0, S_commands, S_NCOMMANDS);
  return k - 1;
}

/* At the end of input that is not a terminal: say what is missing. */
static void S_say_missing(S_run *r) {
  size_t answered = 0, remaining = 0;

  if (!r->q) {
    fputs("Input ended before the answers were confirmed: press Enter at "
          "the summary to finish.\n",
          r->out);
    return;
  }
  cdg_walker_progress(r->w, &answered, &remaining);
  if (remaining == 0)
    remaining = 1;
  fprintf(r->out,
          "Input ended with about %zu question%s still to answer; the "
          "next is:\n  ",
          remaining, remaining == 1 ? "" : "s");
  S_put(r, cdg_question_text(r->q));
  fputc('\n', r->out);
}

/* ---- The run ----------------------------------------------------------- */

/* The report through the one output path. */
static int S_report(S_run *r) {
  report_input in;
  session_file f;
  session_events ev;
  cdg_error err;
  cli_output out;
  char date[32];
  int rc;

  if ((rc = output_open(&out, r->o->output)) != 0)
    return rc;
  cli_date_now(date);
  memset(&in, 0, sizeof in);
  in.pack = r->pack;
  in.ps = r->ps;
  in.answers = cdg_walker_answers(r->w);
  in.date = date;
  in.width = output_is_stdout(&out) ? cli_term_width(STDOUT_FILENO) : 80;
  in.color = r->o->color_stdout && output_is_stdout(&out);
  /* The history of the journal, for the report document. */
  memset(&f, 0, sizeof f);
  memset(&ev, 0, sizeof ev);
  if (session_read(r->path, r->pack, 1, &f, &err) == CDG_OK && f.j &&
      session_events_of(f.j, &ev) == 0) {
    in.history = ev.ev;
    in.nhistory = ev.n;
  }
  fputc('\n', r->out);
  rc = output_close(&out, report_write(out.fp, r->o->format, &in));
  session_events_free(&ev);
  session_file_free(&f);
  return rc;
}

/* Stop on a signal: everything confirmed is already saved. */
static int S_stop(S_run *r, int sig) {
  fputc('\n', r->out);
  if (sig == SIGINT)
    fputs("Interrupted. ", r->out);
  S_say_resume(r);
  return sig == SIGINT ? CLI_EX_INTERRUPTED
         : sig == SIGHUP ? CLI_EX_HUP
                         : CLI_EX_TERM;
}

static int S_is(const char *line, const char *a, const char *b) {
  return strcasecmp(line, a) == 0 || (b && strcasecmp(line, b) == 0);
}

/* A line at the summary. Returns 1 to finish, 0 to go on, or -1 - the
** exit code. */
static int S_at_summary(S_run *r, const char *line, size_t n) {
  char *end;
  long k;

  if (n == 0 || S_is(line, "finish", "done"))
    return 1;
  k = strtol(line, &end, 10);
  if (*end == '\0' && k >= 1 && (r->q = S_item(r, (size_t)k)) != NULL) {
    r->summary = 0;
    return 0;
  }
  fputs("Type the number of the answer to change, or press Enter to "
        "finish.\n",
        r->out);
  return 0;
}

/* Ask until the walk is done and confirmed, the user quits, input ends or
** a signal arrives. Returns the exit code. */
static int S_loop(S_run *r) {
  const cdg_question *shown = NULL, *picked = NULL;
  const char *raw;
  char *line = NULL;
  size_t n;
  int rc = 0, first = 1, shown_summary = 0;

  for (;;) {
    cdg_free(line);
    line = NULL;
    r->q = picked ? picked : cdg_walker_next(r->w);
    r->summary = r->q == NULL;
    if (r->summary && !shown_summary) {
      S_show_summary(r);
      shown_summary = 1;
      shown = NULL;
    } else if (!r->summary && r->q != shown) {
      if (first)
        fputs("Answer by number, or type the start of an answer and press "
              "Tab.\nType ? for help, why, back, review, or q to save and "
              "quit.\n",
              r->out);
      first = 0;
      S_show_question(r);
      shown = r->q;
      shown_summary = 0;
    }
    switch (prompt_read(r->in, r->prompt, &raw)) {
    case PROMPT_LINE: break;
    case PROMPT_EOF:
      fputc('\n', r->out);
      if (r->plain)
        S_say_missing(r);
      S_say_resume(r);
      return r->plain ? EX_DATAERR : 0;
    case PROMPT_SIGNAL: return S_stop(r, prompt_signal());
    case PROMPT_ERROR:
    default:
      cli_errorf("cannot read the answer: %s", strerror(errno));
      S_say_resume(r);
      return EX_IOERR;
    }
    /* A trimmed copy: the prompt's buffer is only borrowed. */
    while (S_is_space(*raw))
      raw++;
    n = strlen(raw);
    while (n > 0 && S_is_space(raw[n - 1]))
      n--;
    if (!(line = cdg_malloc(n + 1)))
      return S_nomem();
    memcpy(line, raw, n);
    line[n] = '\0';

    if (S_is(line, "?", "help")) {
      if (r->summary)
        fputs("Type the number of an answer to change it, Enter to confirm "
              "them all and finish,\nback to the last question, or q to "
              "save and quit.\n",
              r->out);
      else
        S_show_help(r);
    } else if (S_is(line, "why", NULL)) {
      S_show_why(r);
    } else if (S_is(line, "review", NULL)) {
      S_show_review(r);
    } else if (S_is(line, "q", "quit")) {
      cdg_free(line);
      S_say_resume(r);
      return 0;
    } else if (S_is(line, "<", "back")) {
      cJSON *before;

      if (picked) { /* back to the summary, nothing changed */
        picked = NULL;
        continue;
      }
      before = S_json(cdg_walker_answers(r->w));
      if (cdg_walker_back(r->w) != CDG_OK) {
        cJSON_Delete(before);
        fputs("This is the first question.\n", r->out);
        continue;
      }
      r->q = cdg_walker_next(r->w);
      if (r->q && (rc = S_record(r, "went_back", cdg_question_id(r->q),
                                 before)) != 0)
        break;
      if (!r->q)
        cJSON_Delete(before);
      shown = NULL;
    } else if (r->summary) {
      int k = S_at_summary(r, line, n);

      if (k == 1)
        break;
      picked = r->q;
      shown = NULL;
    } else {
      cJSON *before = S_json(cdg_walker_answers(r->w));
      int skip = S_is(line, "skip", NULL);

      if (skip ? S_skip(r) : n == 0 ? S_answer_default(r) : S_answer(r, line)) {
        skip = skip || !cdg_answers_has(cdg_walker_answers(r->w),
                                        cdg_question_id(r->q));
        if ((rc = S_record(r, skip ? "skipped" : "answered",
                           cdg_question_id(r->q), before)) != 0)
          break;
        picked = NULL;
      } else {
        cJSON_Delete(before);
        shown = NULL; /* the question again after the explanation */
      }
    }
  }
  cdg_free(line);
  if (rc != 0)
    return rc;
  if (!journal_finished(r->j)) {
    if (journal_add(r->j, "finished", NULL, NULL, NULL) != 0)
      return S_nomem();
    if ((rc = S_commit(r)) != 0)
      return rc;
  }
  rc = S_report(r);
  fputs("The answers are saved in ", r->out);
  S_put(r, r->path);
  fputs("\n", r->out);
  return rc;
}

/* path made absolute (not resolving links): what the messages show, so
** that the resume command works from any directory. Caller frees. */
static char *S_absolute(const char *path) {
  char cwd[PATH_MAX], *abs;
  size_t n;

  if (path[0] == '/' || !getcwd(cwd, sizeof cwd))
    cwd[0] = '\0';
  n = strlen(cwd) + 1 + strlen(path) + 1;
  if (!(abs = cdg_malloc(n)))
    return NULL;
  snprintf(abs, n, "%s%s%s", cwd, cwd[0] ? "/" : "", path);
  return abs;
}

/* Add the answers a (restored from a file that is not this journal) to
** the journal, as answered. */
static int S_import(S_run *r, const cdg_answers *a) {
  cJSON *o = S_json(a), *c;
  int bad = !o;

  for (c = o ? o->child : NULL; c && !bad; c = c->next)
    bad = journal_add(r->j, "answered", c->string, c, NULL);
  cJSON_Delete(o);
  return bad;
}

/*
** run --from OLD: the answers of OLD become defaults, carried over by
** question id and option code where both are still valid here; a line
** says which were left out and why. The journal names the source.
*/
static int S_from(S_run *r, const char *from) {
  journal *old = NULL;
  cJSON *extra = NULL, *carried, *left, *p, *c, *item;
  cdg_error err;
  cdg_status st;
  char *abs = NULL;
  int bad, rc = 0;

  if ((st = session_read_any(from, &old, &err)) != CDG_OK) {
    cli_print_error(&err);
    return cli_exit_code(st);
  }
  if (!r->defaults && cdg_answers_new(r->pack, &r->defaults) != CDG_OK) {
    journal_free(old);
    return S_nomem();
  }
  abs = S_absolute(from);
  bad = !(extra = cJSON_CreateObject()) || !abs ||
        !cJSON_AddStringToObject(extra, "file", abs) ||
        !(p = cJSON_AddObjectToObject(extra, "pack")) ||
        !cJSON_AddStringToObject(p, "id", journal_pack_id(old)
                                              ? journal_pack_id(old)
                                              : cdg_pack_id(r->pack)) ||
        !cJSON_AddStringToObject(p, "version",
                                 journal_pack_version(old)
                                     ? journal_pack_version(old)
                                     : cdg_pack_version(r->pack)) ||
        !(carried = cJSON_AddObjectToObject(extra, "answers")) ||
        !(left = cJSON_AddArrayToObject(extra, "left_out"));
  for (c = bad ? NULL : journal_current(old)->child; c && !bad; c = c->next) {
    const cdg_question *q = cdg_pack_find_question(r->pack, c->string);
    const char *why;

    cdg_error_clear(&err);
    if (q && (st = session_set_value(r->defaults, q, c, &err)) == CDG_OK) {
      bad = !cJSON_AddItemToObject(carried, c->string, cJSON_Duplicate(c, 1));
      continue;
    }
    if (st == CDG_ERR_NOMEM) {
      bad = 1;
      break;
    }
    why = !q ? "no such question in this version" : err.message;
    bad = !(item = cJSON_CreateObject()) ||
          !cJSON_AddItemToArray(left, item) ||
          !cJSON_AddStringToObject(item, "question", c->string) ||
          !cJSON_AddStringToObject(item, "why", why);
  }
  if (!bad)
    bad = journal_add(r->j, "started_from", NULL, NULL, extra);
  if (bad) {
    rc = S_nomem();
    goto out;
  }
  fputs("Starting from the answers in ", r->out);
  S_put(r, from);
  fputs(" (pack ", r->out);
  S_put(r, cJSON_GetObjectItem(p, "id")->valuestring);
  fputc(' ', r->out);
  S_put(r, cJSON_GetObjectItem(p, "version")->valuestring);
  fputs("): each question shows the old answer; press Enter to keep it.\n",
        r->out);
  for (c = left->child; c; c = c->next) {
    fputs(c == left->child ? "Left out, to be asked afresh: " : "; ", r->out);
    S_put(r, cJSON_GetObjectItem(c, "question")->valuestring);
    fputs(" (", r->out);
    S_put(r, cJSON_GetObjectItem(c, "why")->valuestring);
    fputc(')', r->out);
    if (!c->next)
      fputs(".\n", r->out);
  }
out:
  cdg_free(abs);
  cJSON_Delete(extra);
  journal_free(old);
  return rc;
}

/* Open the session: the journal to write (locked) and the answers to start
** from. Returns 0 or an exit code, having printed the error. */
static int S_start(S_run *r, int resume) {
  session_file f;
  struct stat before, after;
  cdg_error err;
  cdg_status st;
  const char *from = r->o->session;
  char *p = NULL;
  int loaded, rc;
  const cJSON *c;

  memset(&f, 0, sizeof f);
  cdg_error_clear(&err);
  if (resume && !from) {
    cli_errorf("resume needs a session file");
    return EX_USAGE;
  }
  /* An --output that cannot be written is found before any question. */
  if ((rc = output_check(r->o->output)) != 0)
    return rc;
  /* --session F continues F when it exists, rather than overwrite it. */
  loaded = from && (resume || lstat(from, &before) == 0);
  if (loaded && r->o->from) {
    cli_errorf("%s: exists; --from starts a new session", from);
    return EX_USAGE;
  }
  if (loaded) {
    if (stat(from, &before) != 0)
      memset(&before, 0, sizeof before);
    st = session_read(from, r->pack, 0, &f, &err);
    if (st == CDG_OK)
      st = cdg_walker_restore(r->w, f.answers);
    if (st != CDG_OK) {
      if (!err.message[0])
        cli_fail(&err, st, from, NULL, "%s", cdg_status_str(st));
      cli_print_error(&err);
      session_file_free(&f);
      return cli_exit_code(st);
    }
    if (f.j && journal_torn_line(f.j))
      cli_errorf("%s:%zu: the last line was cut short (the program stopped "
                 "while writing it); ignored",
                 from, journal_torn_line(f.j));
    /* Skipped questions stay skipped. */
    for (c = f.j ? journal_skips(f.j)->child : NULL; c; c = c->next) {
      const cdg_question *q = cdg_pack_find_question(r->pack, c->string);
      if (q && !cdg_question_required(q) &&
          cdg_answers_enabled(cdg_walker_answers(r->w), q) > 0)
        cdg_walker_skip(r->w, c->string, NULL);
    }
    r->defaults = f.defaults;
    f.defaults = NULL;
  }
  if (loaded && f.kind == SESSION_KIND_SESSION && f.j) {
    r->j = f.j; /* the fold goes on as the writer */
    f.j = NULL;
  } else {
    if (!(loaded && f.kind == SESSION_KIND_SESSION) && from && loaded) {
      /* An answers or FHIR file is input, never overwritten. */
      from = NULL;
    }
    if (!from && (st = session_default_path(&p, &err)) != CDG_OK) {
      cli_print_error(&err);
      session_file_free(&f);
      return EX_CANTCREAT;
    }
    r->j = journal_new(p ? p : from);
    cdg_free(p);
    if (!r->j || journal_set_pack(r->j, cdg_pack_id(r->pack),
                                  cdg_pack_version(r->pack)) != 0 ||
        (f.format1 && journal_convert_format1(r->j, f.format1, f.updated,
                                              &err) != 0)) {
      session_file_free(&f);
      return S_nomem();
    }
  }
  if (!journal_pack_id(r->j) &&
      journal_set_pack(r->j, cdg_pack_id(r->pack), cdg_pack_version(r->pack)))
    rc = S_nomem();
  else if ((rc = journal_open(r->j, &err)) != 0)
    cli_print_error(&err);
  else if (loaded && f.kind == SESSION_KIND_SESSION &&
           stat(journal_path(r->j), &after) == 0 &&
           (after.st_size != before.st_size ||
            after.st_mtim.tv_sec != before.st_mtim.tv_sec ||
            after.st_mtim.tv_nsec != before.st_mtim.tv_nsec)) {
    cli_errorf("%s: changed while it was being read (by another cdguide?); "
               "try again",
               journal_path(r->j));
    rc = EX_TEMPFAIL;
  }
  if (rc == 0 && !(r->path = S_absolute(journal_path(r->j))))
    rc = S_nomem();
  /* Queued: written with the first change, so looking changes nothing. */
  if (rc == 0 && loaded && f.kind == SESSION_KIND_SESSION && !f.format1 &&
      journal_add(r->j, "resumed", NULL, NULL, NULL) != 0)
    rc = S_nomem();
  if (rc == 0 && loaded && f.kind != SESSION_KIND_SESSION &&
      S_import(r, f.answers) != 0)
    rc = S_nomem();
  if (rc == 0 && loaded) {
    fputs("Continuing with the answers in ", r->out);
    S_put(r, r->o->session);
    fputs(".\n", r->out);
  }
  if (rc == 0 && r->o->from)
    rc = S_from(r, r->o->from);
  if (rc == 0) {
    fputs("Your answers are saved as you go in ", r->out);
    S_put(r, r->path);
    fputs(".\n", r->out);
  }
  session_file_free(&f);
  return rc;
}

int interactive_run(const cli_opts *o, const cdg_pack *pack,
                    const cdg_passages *ps, int resume) {
  S_run r;
  int rc, edit;
  const char *term = getenv("TERM");

  setlocale(LC_CTYPE, "");
  memset(&r, 0, sizeof r);
  r.o = o;
  r.pack = pack;
  r.ps = ps;
  r.out = stderr;
  r.plain = !isatty(STDIN_FILENO);
  /* The dialogue is on stderr: colour it when that is a terminal, even
  ** with the report going to a file. */
  r.color = cli_color_wanted(o->no_color, STDERR_FILENO);
  if (cdg_walker_new(pack, &r.w) != CDG_OK) {
    cli_errorf("out of memory");
    return cli_exit_code(CDG_ERR_NOMEM);
  }
  if ((rc = S_start(&r, resume)) != 0)
    goto out;
  /* libedit only when both ends are terminals it can drive. */
  edit = isatty(STDIN_FILENO) && isatty(STDERR_FILENO) && term && term[0] &&
         strcmp(term, "dumb") != 0;
  if (prompt_signals_install() != 0) {
    cli_errorf("cannot install signal handlers: %s", strerror(errno));
    rc = EX_OSERR;
    goto out;
  }
  /* Should libedit fail to start, plain reading still works. */
  r.in = prompt_new("cdguide", r.out, edit);
  if (!r.in && edit)
    r.in = prompt_new("cdguide", r.out, 0);
  if (!r.in) {
    cli_errorf("out of memory");
    rc = cli_exit_code(CDG_ERR_NOMEM);
  } else {
    rc = S_loop(&r);
  }
  prompt_free(r.in);
  prompt_signals_restore();
out:
  cdg_walker_free(r.w);
  journal_free(r.j);
  cdg_answers_free(r.defaults);
  cdg_free(r.path);
  return rc;
}
