/*
** answers.h: internal access to a set of answers, for the walker, outcome
** and linter modules.
**
** The answers are a cJSON object shaped exactly as JsonLogic data: single
** -> "code", multi -> ["code", ...] in option order, number -> number,
** text -> string. Unanswered questions are absent.
*/
#ifndef CDG_ANSWERS_H
#define CDG_ANSWERS_H

#include <cjson/cJSON.h>

#include "cdg_rules.h"

/* The data object conditions are evaluated on. Borrowed. */
const cJSON *answers_data(const cdg_answers *a);

/* The pack the answers belong to. */
const cdg_pack *answers_pack(const cdg_answers *a);

/* The answer to the question at pack index i, or NULL. Borrowed. */
const cJSON *answers_get(const cdg_answers *a, size_t i);

/* The number of questions answered. */
size_t answers_count(const cdg_answers *a);

/*
** Store a copy of v as the answer to question i. v must already have been
** checked (it comes from another answers set of the same pack). On error
** a is unchanged.
*/
cdg_status answers_put(cdg_answers *a, size_t i, const cJSON *v);

/* Remove the answer to question i, if any. */
void answers_drop(cdg_answers *a, size_t i);

#endif
