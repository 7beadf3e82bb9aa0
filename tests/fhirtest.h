/*
** fhirtest.h: what test_fhir_questionnaire.c and test_fhir_response.c
** share: the FHIR R4 schema checker, the 1.0 fixture pack and the built-in
** passages (loaded by ft_setup), running a writer into memory, looking
** into the JSON it wrote, and a small pack of numbers, text and
** conditions FHIR cannot say.
*/
#ifndef CDG_TEST_FHIRTEST_H
#define CDG_TEST_FHIRTEST_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "cdg_rules.h"
#include "fhir/schema.h"

#define BASE "https://cdguide.invalid/fhir"
#define CASES_DIR CDG_SOURCE_DIR "/tests/cases"

/* The command-line tests use the pack these tests load (the 1.0 fixture);
** the built-in 2.0's Questionnaire is checked by test_pack2. */
#define PACK1_ARG " --pack '" CDG_SOURCE_DIR "/tests/fixtures/pack-1.0'"

/* Set by ft_setup, freed by ft_teardown (cmocka group setup/teardown). */
extern schema *ft_schema;
extern cdg_pack *ft_pack;
extern cdg_passages *ft_ps;
int ft_setup(void **state);
int ft_teardown(void **state);

/* A writer of a resource to out: the Questionnaire of pack arg (ft_wq), or
** the QuestionnaireResponse of report_input arg (ft_wr). */
typedef int (*ft_writer)(FILE *out, const void *arg);
int ft_wq(FILE *out, const void *arg);
int ft_wr(FILE *out, const void *arg);

/* Run a writer into memory; returns the parsed JSON (cJSON_Delete), and
** what went to stderr in *errout (free) if asked. A writer that fails, or
** output that is not JSON, fails the test. */
cJSON *ft_run(ft_writer w, const void *arg, char **errout);

/* Fail the test unless j is a valid FHIR R4 def; what names it. */
void ft_assert_valid(const char *def, const cJSON *j, const char *what);

/* Member k of o; its string value, or NULL. */
const cJSON *ft_get(const cJSON *o, const char *k);
const char *ft_s(const cJSON *o, const char *k);

/* The item with linkId id in array items, or fail. */
const cJSON *ft_item(const cJSON *items, const char *id);

/* The extension with this url in o.extension, or NULL. */
const cJSON *ft_ext(const cJSON *o, const char *url);

/* Answers parsed from json against pack (cdg_answers_free), or fail. */
cdg_answers *ft_answers(const cdg_pack *pack, const char *json,
                        const char *what);

/* The test pack of numbers, text and conditions (cdg_pack_free). */
cdg_pack *ft_load_test_pack(void);

/* The QuestionnaireResponse of answers a recorded at date. */
cJSON *ft_response(const cdg_pack *pack, const cdg_answers *a,
                   const char *date);

/* Run a shell command line; its stdout in *out and stderr in *errout
** (free both), its exit status back. */
int ft_sh(const char *cmd, char **out, char **errout);

#endif
