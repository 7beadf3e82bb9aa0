/*
** dialogue.h: the state of one questionnaire run, shared by its files
** (interactive.c the run and its walk, ask.c one question, screens.c the
** other screens), and the dialogue's output helpers. Internal to the
** questionnaire: the dialogue goes to r->out (stderr).
*/
#ifndef CDG_DIALOGUE_H
#define CDG_DIALOGUE_H

#include <stdio.h>

#include "cdg_limits.h"
#include "cli.h"
#include "journal.h"
#include "prompt.h"

typedef struct dlg_run {
  const cli_opts *o;
  const cdg_pack *pack;
  const cdg_passages *ps;
  cdg_walker *w;
  journal *j;            /* the session file */
  cdg_answers *defaults; /* answers said before this run, or carried */
  prompt *in;
  FILE *out;             /* the dialogue */
  char *path;            /* the session file, absolute */
  int plain;             /* input is not a terminal */
  int summary;           /* at the summary: numbers pick answers */
  int color;             /* colour in the dialogue */
  const cdg_question *q; /* the question being asked */
  char prompt[256];
  const char *labels[CDG_MAX_OPTIONS];   /* Tab: labels first */
  const char *more[CDG_MAX_OPTIONS + 5]; /* then codes and commands */
} dlg_run;

/* The commands Tab completes besides the options. */
#define DLG_NCOMMANDS 6
extern const char *const dlg_commands[DLG_NCOMMANDS];

/* A blank that separates words of an answer. */
int dlg_is_space(char c);

/* Text from the pack or the user, sanitised: never raw escapes. */
void dlg_put(dlg_run *r, const char *s);

/* At most CDG_MAX_SHOWN bytes of what the user typed, sanitised, in
** quotes, "..." when cut. */
void dlg_put_input(dlg_run *r, const char *s, size_t n);

/* An SGR sequence ("1", "0"), when the dialogue is coloured. */
void dlg_style(dlg_run *r, const char *sgr);

/* The dialogue's width now (read at each call: a resize rewraps). */
int dlg_width(void);

/* text sanitised and wrapped to dlg_width(): the first line indented by
** indent columns, the others by hang. */
void dlg_put_wrapped(dlg_run *r, const char *text, int indent, int hang);

/* Where the answers are and the command that continues the session. */
void dlg_say_resume(dlg_run *r);

/* Answers as a JSON object (caller deletes); NULL when out of memory. */
cJSON *dlg_json(const cdg_answers *a);

/* Print "out of memory"; its exit code. */
int dlg_nomem(void);

#endif
