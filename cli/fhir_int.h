/*
** fhir_int.h: what the FHIR writers and the reader share (cli/fhir.c,
** cli/fhir_response.c): our canonical URLs and extensions, and small
** cJSON builders. Private to cli/.
*/
#ifndef CDG_FHIR_INT_H
#define CDG_FHIR_INT_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "fhir.h"

/*
** Our canonical URLs live under the reserved .invalid top-level domain
** (RFC 6761): stable identifiers that never resolve and are nobody's
** official address, NICE's least of all.
*/
#define FHIR_BASE "https://cdguide.invalid/fhir"
#define FHIR_EXT_SOURCE FHIR_BASE "/StructureDefinition/guidance-source"
#define FHIR_EXT_REPORT FHIR_BASE "/StructureDefinition/cdguide-report"
#define FHIR_EXT_ITEM_CONTROL \
  "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
#define FHIR_CS_ITEM_CONTROL "http://hl7.org/fhir/questionnaire-item-control"
#define FHIR_EXT_EXCLUSIVE \
  "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive"
#define FHIR_EXT_MIN "http://hl7.org/fhir/StructureDefinition/minValue"
#define FHIR_EXT_MAX "http://hl7.org/fhir/StructureDefinition/maxValue"
/*
** A condition enableWhen cannot say is kept as JsonLogic in an extension
** of our own. Not SDC's enableWhenExpression: its Expression.language is
** an enum of text/cql, text/fhirpath and application/x-fhir-query in the
** R4 JSON schema, and JsonLogic is none of them.
*/
#define FHIR_EXT_JSONLOGIC \
  FHIR_BASE "/StructureDefinition/enable-when-jsonlogic"

/* Add a copy of the string v under key k; -1 if out of memory. */
int fhir_str(cJSON *o, const char *k, const char *v);

/* Add string v under k and free v (NULL v: out of memory). */
int fhir_str_own(cJSON *o, const char *k, char *v);

/* A new object appended to array a; NULL if out of memory (or a NULL). */
cJSON *fhir_push(cJSON *a);

/* The array under key k of o, created if absent. */
cJSON *fhir_array(cJSON *o, const char *k);

/* Append {"url": url, "<vkey>": <string v>} to o.extension. */
int fhir_ext_str(cJSON *o, const char *url, const char *vkey, const char *v);

/* The Questionnaire's canonical URL, for the pack with this id, or for
** pack. Caller frees with cdg_free. */
char *fhir_url_of(const char *pack_id);
char *fhir_url(const cdg_pack *pack);

/*
** The code system of a question's options: one per question, because the
** same code ("yes", "unsure") means a different thing under each
** question. Caller frees with cdg_free.
*/
char *fhir_system_of(const char *pack_id, const char *qid);
char *fhir_system(const cdg_pack *pack, const char *qid);

/* Serialise root to out with a final newline, then delete root; a NULL
** root is an allocation that failed while building it. Returns 0 or the
** exit status, having said why. */
int fhir_print(FILE *out, cJSON *root);

/* a when it is not empty, else b, else "". */
const char *fhir_or(const char *a, const char *b);

#endif
