/*
** html.h: the report document as one self-contained HTML page, to print
** or attach to a referral.
**
** The page loads nothing: no script, no link, no image, no font; its one
** style sheet is inline and a Content-Security-Policy forbids everything
** else. Every text of the pack, the passages and the answers is sanitised
** as in the other writers (no control or bidi formatting character
** reaches the page) and then escaped for HTML.
*/
#ifndef CDG_CLI_HTML_H
#define CDG_CLI_HTML_H

#include <stdio.h>

#include "cdg_report.h"

/*
** Write document d to out as an HTML page: provenance, completeness, the
** answers, the prior-treatment table, every cited passage with the rules
** that cited it and the answers that made each rule fire, and the notice.
** Returns 0, or an exit code after printing the error.
*/
int html_write(FILE *out, const cdg_report *d);

#endif
