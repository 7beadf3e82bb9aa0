/* fuzz_pack.c: the pack loader and, for packs that load, the linter. */
#include <stdint.h>
#include <stdlib.h>

#include "cdg_rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static cdg_passages *ps;
  cdg_pack *pack = NULL;
  cdg_lint *lint = NULL;
  cdg_error err;

  if (!ps && cdg_passages_builtin(&ps, &err) != CDG_OK)
    abort();
  if (cdg_pack_load((const char *)data, size, "fuzz.json", &pack, &err) ==
      CDG_OK) {
    if (cdg_lint_run(pack, ps, &lint) == CDG_OK)
      cdg_lint_free(lint);
    cdg_pack_free(pack);
  }
  return 0;
}
