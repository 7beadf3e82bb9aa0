/*
** report.h: the report writers (text, markdown, json, and fhir through
** fhir.h) and the pre-referral review. Each builds the report document
** (cdg_report.h) once and renders it.
*/
#ifndef CDG_CLI_REPORT_H
#define CDG_CLI_REPORT_H

#include <stdio.h>

#include "cdg_report.h"
#include "cli.h"

/* The fixed notice every report and review carries, in every format. */
#define REPORT_NOTICE CDG_REPORT_NOTICE

typedef struct report_input {
  const cdg_pack *pack;
  const cdg_passages *ps;
  const cdg_answers *answers;
  const char *date; /* ISO 8601 date-time the answers were recorded */
  int width;        /* wrap width for text (terminal or 80) */
  int color;        /* 1 to use colour in text output */
  /* The session's history, for the document (cdg_report_facts); NULL
  ** and 0 when the caller has none. */
  const cdg_report_event *history;
  size_t nhistory;
} report_input;

/*
** Build the report document of in (facts: its date and history), printing
** any error.
** Returns 0 or an exit code; caller frees *doc with cdg_report_free.
*/
int report_build(const report_input *in, cdg_report **doc);

/*
** Write a report of in to out in the given format. Returns 0, or an exit
** code after printing the error.
*/
int report_write(FILE *out, cli_format fmt, const report_input *in);

/* Write the pre-referral review of in to out. Same returns. */
int report_review(FILE *out, const report_input *in);

/*
** Write passage i of ps: its id and section on one line, then its text
** wrapped to width (80 when 0) and indented by two spaces, then a blank
** line. Returns 0, or an exit code after printing the error.
*/
int report_passage(FILE *out, const cdg_passages *ps, size_t i, int width);

#endif
