/*
** ask.h: one question of the questionnaire (r->q): show it, and take the
** line typed as its answer.
*/
#ifndef CDG_ASK_H
#define CDG_ASK_H

#include "dialogue.h"

/* Show r->q with its options and default, and set the prompt and the
** words Tab completes. */
void ask_show(dlg_run *r);

/* Answer r->q with line (trimmed). 1 when the walker took it, 0 after
** explaining why not. */
int ask_answer(dlg_run *r, const char *line);

/* Leave r->q unanswered (optional questions only). 1, or 0 after saying
** why not. */
int ask_skip(dlg_run *r);

/* Enter: the default shown in brackets; without one, skip an optional
** question. 1, or 0 after saying why not. */
int ask_answer_default(dlg_run *r);

#endif
