/*
** report.h: report writers (text, markdown, json; fhir is in fhir.h) and
** the pre-referral review.
*/
#ifndef CDG_REPORT_H
#define CDG_REPORT_H

#include <stdio.h>

#include "cli.h"

/* The fixed notice every report and review carries, in every format. */
#define REPORT_NOTICE                                                     \
  "This report points to passages of published guidance. It does not "   \
  "make a clinical decision."

/* The section whose passages every report lists last. */
#define REPORT_LAST_SECTION "Your responsibility"

typedef struct report_input {
  const cdg_pack *pack;
  const cdg_passages *ps;
  const cdg_answers *answers;
  int complete;          /* all enabled required questions answered */
  const char *date;      /* ISO 8601 date-time for the report */
  int width;             /* wrap width for text (terminal or 80) */
  int color;             /* 1 to use colour in text output */
} report_input;

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
