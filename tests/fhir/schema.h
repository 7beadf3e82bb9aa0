/*
** schema.h: a small JSON Schema checker, for the tests only.
**
** It knows the draft-06 keywords that the FHIR R4 schema
** (tests/fhir/fhir.schema.json) uses: $ref to #/definitions/NAME, type,
** properties, additionalProperties, required, enum, const, items, pattern
** and oneOf; description, $schema, id and discriminator are annotations.
** Any other keyword is reported as an error, so the checker never passes
** something it did not check.
*/
#ifndef CDG_TEST_SCHEMA_H
#define CDG_TEST_SCHEMA_H

#include <stddef.h>

#include <cjson/cJSON.h>

typedef struct schema schema;

/*
** Load a schema file. Returns NULL with a message in err on failure.
** Free with schema_free.
*/
schema *schema_load(const char *path, char *err, size_t errsize);
void schema_free(schema *s);

/*
** Check instance against #/definitions/def of the schema. Returns 0 when
** valid; otherwise 1 with "JSON-POINTER: message" of the first error in
** msg.
*/
int schema_check(schema *s, const char *def, const cJSON *instance,
                 char *msg, size_t msgsize);

/*
** Translate one schema pattern (ECMA-262 as the FHIR schema writes them)
** to a POSIX extended regular expression. Returns 0, or -1 when the
** pattern uses a construct the translation does not handle.
*/
int schema_pattern_to_ere(const char *pattern, char *out, size_t outsize);

#endif
