/*
** report_json.h: the JSON report writer (report_json.c).
*/
#ifndef CDG_CLI_REPORT_JSON_H
#define CDG_CLI_REPORT_JSON_H

#include <stdio.h>

#include "cdg_report.h"

/* Write the JSON report of document d to out. Returns 0, or an exit code
** after printing the error (out of memory, a failed write). */
int report_json_write(FILE *out, const cdg_report *d);

#endif
