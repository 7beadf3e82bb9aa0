/*
** interactive.h: the questionnaire at a terminal (libedit) or on plain
** input (pipes), with autosave to the session file.
*/
#ifndef CDG_INTERACTIVE_H
#define CDG_INTERACTIVE_H

#include "cli.h"

/*
** Run the questionnaire. With resume set, start from the answers saved in
** o->session. Returns the exit code (0, 130 on Ctrl-C, 143/129 on
** SIGTERM/SIGHUP, ...), having printed any error.
*/
int interactive_run(const cli_opts *o, const cdg_pack *pack,
                    const cdg_passages *ps, int resume);

#endif
