/*
** screens.h: the questionnaire's screens besides the question itself.
** Each writes to r->out, wrapped to the width of the terminal now.
*/
#ifndef CDG_SCREENS_H
#define CDG_SCREENS_H

#include "dialogue.h"

/* ?: the help text of r->q and how to answer. */
void screen_help(dlg_run *r);

/* review: the answers so far, in the question's words. */
void screen_review(dlg_run *r);

/* why: every passage cited so far, with the rules that cite it. */
void screen_why(dlg_run *r);

/* The numbered summary of every answer, before finishing; sets the
** prompt. Returns the count. */
size_t screen_summary(dlg_run *r);

/* The k-th question of the summary (from 1), or NULL. */
const cdg_question *screen_item(const dlg_run *r, size_t k);

#endif
