/*
** fhir.h: FHIR R4 Questionnaire export and QuestionnaireResponse reports.
*/
#ifndef CDG_FHIR_H
#define CDG_FHIR_H

#include <stdio.h>

#include "cdg_report.h"
#include "cli.h"

/* Write the pack as a FHIR R4 Questionnaire. Warnings go to stderr.
** Returns 0 or an exit code after printing the error. */
int fhir_write_questionnaire(FILE *out, const cdg_pack *pack,
                             const cdg_passages *ps);

/* Write the report document d as a FHIR R4 QuestionnaireResponse. Same
** returns. */
int fhir_write_response(FILE *out, const cdg_report *d);

/*
** Read a QuestionnaireResponse (JSON text) back as answers to pack.
** Caller frees *out with cdg_answers_free.
*/
cdg_status fhir_read_response(const cdg_pack *pack, const char *json,
                              size_t len, const char *file,
                              cdg_answers **out, cdg_error *err);

#endif
