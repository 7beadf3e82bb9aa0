/* fuzz_session.c: the session file loader (a session file, a plain answers
** file or a FHIR QuestionnaireResponse) against the built-in pack, then the
** outcome on whatever loads. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cdg_rules.h"
#include "session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Loaded once; freed at exit so that replays under valgrind leak nothing. */
static cdg_passages *session_ps;
static cdg_pack *session_pack;

static void session_done(void) {
  cdg_pack_free(session_pack);
  cdg_passages_free(session_ps);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  cdg_passages *ps;
  cdg_pack *pack;
  cdg_answers *a = NULL;
  cdg_outcome *o = NULL;
  session_kind kind;
  cdg_error err;
  char *text;

  if (!session_pack) {
    if (cdg_passages_builtin(&session_ps, &err) != CDG_OK ||
        cdg_pack_builtin(&session_pack, &err) != CDG_OK)
      abort();
    atexit(session_done);
  }
  ps = session_ps;
  pack = session_pack;
  /* An exact-size copy with no terminator: a read past the end is caught. */
  text = malloc(size ? size : 1);
  if (!text)
    return 0;
  memcpy(text, data, size);
  if (session_parse(pack, text, size, "fuzz.json", &a, &kind, &err) ==
      CDG_OK) {
    if (cdg_outcome_eval(pack, a, ps, &o, &err) != CDG_OK)
      abort(); /* answers that load always have an outcome */
    cdg_outcome_free(o);
    cdg_answers_free(a);
  } else if (a) {
    abort(); /* a failed load leaves no answers */
  }
  free(text);
  return 0;
}
