/*
** output.h: the one output path of every command: standard output (no
** --output, or "-", or /dev/stdout), a file that is not a regular one
** (/dev/null, a FIFO) written directly, or a regular file replaced
** atomically once the whole output is there (never through a symbolic
** link, never a read-only file).
*/
#ifndef CDG_OUTPUT_H
#define CDG_OUTPUT_H

#include <stdio.h>

#include "cli.h"

typedef struct cli_output {
  const char *path; /* the file, or NULL for standard output */
  FILE *fp;         /* where to write */
  char *buf;        /* the atomic file's text, in memory */
  size_t len;
  int direct;       /* fp is the file itself (not a regular file) */
} cli_output;

/*
** Check that path (NULL, "-": standard output) can be written, before any
** work is done. Returns 0, or an exit code having printed the error:
** EX_NOPERM for a read-only file, EX_CANTCREAT otherwise.
*/
int output_check(const char *path);

/* Start output to path; o->fp is then where to write. Returns 0 or an
** exit code having printed the error. */
int output_open(cli_output *o, const char *path);

/* 1 when the output goes to standard output (colour and width may follow
** the terminal). */
int output_is_stdout(const cli_output *o);

/*
** Finish: when rc is 0, write the file (atomically) or flush; otherwise
** drop what was written. Returns rc, or the exit code of a failure to
** write, having printed it (70 out of memory, 73 cannot create, 74 I/O).
*/
int output_close(cli_output *o, int rc);

#endif
