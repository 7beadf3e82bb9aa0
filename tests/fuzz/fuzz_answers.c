/* fuzz_answers.c: answers files against the built-in pack, then the walker
** and the outcome on whatever loads. */
#include <stdint.h>
#include <stdlib.h>

#include "cdg_rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static cdg_passages *ps;
  static cdg_pack *pack;
  cdg_answers *a = NULL;
  cdg_walker *w = NULL;
  cdg_outcome *o = NULL;
  cdg_error err;

  if (!ps && (cdg_passages_builtin(&ps, &err) != CDG_OK ||
              cdg_pack_builtin(&pack, &err) != CDG_OK))
    abort();
  if (cdg_answers_parse(pack, (const char *)data, size, "fuzz.json", &a,
                        &err) != CDG_OK)
    return 0;
  cdg_free(cdg_answers_to_json(a));
  if (cdg_walker_new(pack, &w) == CDG_OK &&
      cdg_walker_restore(w, a) == CDG_OK) {
    (void)cdg_walker_next(w);
    (void)cdg_walker_back(w);
  }
  if (cdg_outcome_eval(pack, a, ps, &o, &err) != CDG_OK)
    abort(); /* valid answers always have an outcome */
  cdg_outcome_free(o);
  cdg_walker_free(w);
  cdg_answers_free(a);
  return 0;
}
