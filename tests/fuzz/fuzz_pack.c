/* fuzz_pack.c: the pack loader and, for packs that load, the symbolic
** checker (cdg_lint_run) and the path enumeration it is tested against. */
#include <stdint.h>
#include <stdlib.h>

#include "cdg_rules.h"
#include "pack.h" /* lint_set_budget */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Loaded once; freed at exit so that replays under valgrind leak nothing. */
static cdg_passages *pack_ps;

static void pack_done(void) { cdg_passages_free(pack_ps); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  cdg_pack *pack = NULL;
  cdg_lint *lint = NULL;
  cdg_error err;

  if (!pack_ps) {
    if (cdg_passages_builtin(&pack_ps, &err) != CDG_OK)
      abort();
    atexit(pack_done);
    /* The full budget takes over a minute instrumented: a small one still
    ** reaches the "too large" finding, in well under a second. */
    lint_set_budget(20000);
  }
  if (cdg_pack_load((const char *)data, size, "fuzz.json", &pack, &err) ==
      CDG_OK) {
    if (cdg_lint_run(pack, pack_ps, &lint) == CDG_OK)
      cdg_lint_free(lint);
    lint = NULL;
    if (cdg_lint_enumerate(pack, pack_ps, &lint) == CDG_OK)
      cdg_lint_free(lint);
    cdg_pack_free(pack);
  }
  return 0;
}
