/*
** prompt.h: reading answers one line at a time: libedit at a terminal
** (line editing, Tab completion, no history at all, so answers never reach
** a history file), plain reads from a pipe or file otherwise.
**
** SIGINT, SIGTERM and SIGHUP only set a flag. They are blocked except while
** a read waits for input (pselect), so a signal that arrives at any other
** moment ends the next wait at once instead of being lost in a race.
** SIGCONT and SIGWINCH are handled the same way but do not end the read:
** the terminal is set again and the line redrawn, or resized.
*/
#ifndef CDG_PROMPT_H
#define CDG_PROMPT_H

#include <stddef.h>
#include <stdio.h>

typedef struct prompt prompt;

typedef enum prompt_status {
  PROMPT_LINE = 0,  /* a line was read */
  PROMPT_EOF,       /* end of input, or Ctrl-D on an empty line */
  PROMPT_SIGNAL,    /* a signal ended the wait: see prompt_signal */
  PROMPT_ERROR      /* reading failed; errno says why */
} prompt_status;

/* Install the flag-setting handlers and block the three signals. Signals
** ignored at start (nohup) stay ignored. Returns 0, or -1 with errno. */
int prompt_signals_install(void);

/* Restore the handlers and signal mask found by prompt_signals_install. */
void prompt_signals_restore(void);

/* The signal that ended a read (SIGINT, SIGTERM, SIGHUP), or 0. */
int prompt_signal(void);

/*
** A reader of standard input (at a terminal, the terminal opened again).
** With edit set (stdin and out must be terminals), libedit edits the line
** and echoes to out; otherwise lines are read plainly and prompts are
** written to out. prog names the program to libedit. Returns NULL when
** out of memory or libedit cannot start. Free with prompt_free.
*/
prompt *prompt_new(const char *prog, FILE *out, int edit);
void prompt_free(prompt *p);

/*
** What shows the question again when the program is continued after a
** stop (Ctrl-Z, fg) while it waits at a terminal: redraw(arg) is called,
** then the prompt and the line as typed so far are written again. NULL:
** only the prompt and the line.
*/
void prompt_set_redraw(prompt *p, void (*redraw)(void *), void *arg);

/*
** The words Tab completes: first words (labels), and, when none of those
** fits, more (codes, commands). Both arrays are borrowed until the next call
** or prompt_free.
*/
void prompt_set_words(prompt *p, const char *const *words, size_t n,
                      const char *const *more, size_t nmore);

/*
** Show text as the prompt and read one line, without its line end. *line
** is borrowed until the next read. NUL bytes in input are read as DEL, so
** they can never cut a line short.
*/
prompt_status prompt_read(prompt *p, const char *text, const char **line);

#endif
