/*
** fuzz_logic.c: JsonLogic rule and data, split at the first newline. The
** rule is compiled and evaluated through the public entry point, then on
** every path of the library (logic_paths.h: general, and through a frame
** with the typed path on and off), which must agree: a disagreement
** aborts, so the fuzzer reports it as a crash.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdg_rules.h"
#include "../logic_paths.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *buf = malloc(size + 1), *nl, *result = NULL, why[4096];
  cJSON *r, *d = NULL;
  cdg_error err;

  if (!buf)
    return 0;
  memcpy(buf, data, size);
  buf[size] = '\0';
  nl = strchr(buf, '\n');
  if (nl)
    *nl = '\0';
  if (cdg_logic_eval_json(buf, nl ? nl + 1 : NULL, &result, &err) == CDG_OK)
    cdg_free(result);
  r = cJSON_Parse(buf);
  if (r && (!nl || (d = cJSON_Parse(nl + 1)) != NULL) &&
      logic_paths_agree(r, d, why, sizeof why, NULL) == 0) {
    fprintf(stderr, "fuzz_logic: paths disagree: %s\n", why);
    abort();
  }
  cJSON_Delete(d);
  cJSON_Delete(r);
  free(buf);
  return 0;
}
