/*
** cli.h: what the cdguide commands share: options, exit codes, loading the
** pack and passages, and printing errors. Only cli/ prints.
*/
#ifndef CDG_CLI_H
#define CDG_CLI_H

#include <stdio.h>
#include <sysexits.h>

#include "cdg_base.h"
#include "cdg_rules.h"

#define CLI_EX_INTERRUPTED 130 /* Ctrl-C */
#define CLI_EX_TERM 143        /* SIGTERM */
#define CLI_EX_HUP 129         /* SIGHUP */

typedef enum cli_format {
  CLI_FORMAT_TEXT = 0,
  CLI_FORMAT_MARKDOWN,
  CLI_FORMAT_JSON,
  CLI_FORMAT_FHIR,
  CLI_FORMAT_HTML /* after fhir: the order of main.c's names */
} cli_format;

typedef struct cli_opts {
  const char *pack_dir;  /* --pack DIR, or NULL for the built-in pack */
  const char *session;   /* --session F, or NULL for the default path */
  const char *answers;   /* --answers F */
  const char *output;    /* --output F, or NULL for stdout */
  const char *from;      /* --from F: a prior session to start from */
  cli_format format;     /* --format */
  int no_color;          /* --no-color */
  int color_stdout;      /* colour wanted on stdout: not no_color, NO_COLOR,
                            TERM=dumb, nor a file or pipe */
} cli_opts;

/* The sysexits code for a library status (65 for bad data, ...). */
int cli_exit_code(cdg_status st);

/* Print "cdguide: file:line:col: message" to stderr. */
void cli_print_error(const cdg_error *err);

/* Print "cdguide: " and a printf-style message and a newline to stderr. */
void cli_errorf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/*
** Load the pack (built-in or --pack DIR) and the built-in passages.
** Prints the error and returns its exit code, or 0.
*/
int cli_load(const cli_opts *o, cdg_pack **pack, cdg_passages **ps);

/*
** Whether to use colour on fd: not with --no-color (no_color_flag), nor
** when NO_COLOR is set to a non-empty value (no-color.org), nor with
** TERM=dumb or unset, nor when fd is not a terminal. 1 for colour.
*/
int cli_color_wanted(int no_color_flag, int fd);

/* The width of the terminal on fd, or CDG_DEFAULT_WIDTH (80) when fd is
** not a terminal. */
int cli_term_width(int fd);

/*
** The report date, ISO 8601 UTC ("2026-01-31T09:00:00Z"): now, or the time
** in SOURCE_DATE_EPOCH when it is set (reproducible reports).
*/
void cli_date_now(char buf[32]);

/*
** Write s (n bytes) to out with every control character (C0, DEL, C1),
** bidirectional formatting character and invalid UTF-8 byte replaced by
** U+FFFD, except tab, CR and LF, which become a space. Escape sequences
** thus never reach a terminal raw. Returns 0, or -1 on a write error.
*/
int cli_put_sanitized(FILE *out, const char *s, size_t n);

/*
** Write the JSON text s (as cJSON prints it) to out with DEL, the C1
** controls and the bidirectional formatting characters written as \uXXXX
** escapes; cJSON escapes only C0. The JSON value is unchanged, and JSON
** shown on a terminal cannot drive it. Returns 0, or -1 on a write error.
*/
int cli_put_json(FILE *out, const char *s);

#endif
