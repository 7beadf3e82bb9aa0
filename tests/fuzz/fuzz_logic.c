/* fuzz_logic.c: JsonLogic rule and data, split at the first newline. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cdg_rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *buf = malloc(size + 1), *nl, *result = NULL;
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
  free(buf);
  return 0;
}
