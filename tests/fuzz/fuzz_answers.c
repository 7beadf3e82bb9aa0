/* fuzz_answers.c: answers files against the built-in pack, then the walker
** and the outcome on whatever loads. */
#include <stdint.h>
#include <stdlib.h>

#include "cdg_rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Loaded once; freed at exit so that replays under valgrind leak nothing. */
static cdg_passages *answers_ps;
static cdg_pack *answers_pack;

static void answers_done(void) {
  cdg_pack_free(answers_pack);
  cdg_passages_free(answers_ps);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  cdg_passages *ps;
  cdg_pack *pack;
  cdg_answers *a = NULL;
  cdg_walker *w = NULL;
  cdg_outcome *o = NULL;
  cdg_error err;

  if (!answers_pack) {
    if (cdg_passages_builtin(&answers_ps, &err) != CDG_OK ||
        cdg_pack_builtin(&answers_pack, &err) != CDG_OK)
      abort();
    atexit(answers_done);
  }
  ps = answers_ps;
  pack = answers_pack;
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
