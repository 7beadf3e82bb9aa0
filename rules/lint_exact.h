/*
** lint_exact.h: the answers the path enumeration (lint_enum.c) tries for
** a number question, and which conditions trying only those answers (and
** lint_text's for text) decides exactly.
*/
#ifndef CDG_RULES_LINT_EXACT_H
#define CDG_RULES_LINT_EXACT_H

#include <stddef.h>

#include "lint.h"

/* Whether x is an answer number question q accepts (answers.c): finite,
** whole when integer, within each bound it has. */
int lint_number_ok(const cdg_question *q, double x);

/*
** The numbers number question q (with its lint state s) branches over,
** sorted and distinct, into out, which has room for 4 * (s->nnum + 3)
** values (the second half is scratch); returns how many. A condition
** that compares q only with constants, or tests its truth, has one value
** between two neighbouring cuts (the constants, 0 and the bounds): each
** cut, one number strictly between each two, one below the least and one
** above the greatest, of those q accepts; an integer question takes the
** least whole number above each cut instead of the midpoint.
*/
size_t lint_number_values(const cdg_question *q, const lint_q *s,
                          double *out);

/*
** 1 when condition node (JsonLogic, NULL: none) is decided exactly by
** trying those answers: it reads a number or text answer only by
** comparing it with constants (==, ===, !=, !==; <, <=, >, >= for
** numbers), by in over a list of constants, by its truth or by missing,
** and names what it reads with constant names. 0 otherwise (arithmetic
** over an answer, two answers compared, in over a string, a computed
** name, a default of a number or text, text ordered, ...).
*/
int lint_exact(const cdg_pack *pack, const cJSON *node);

#endif
