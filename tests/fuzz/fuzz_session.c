/* fuzz_session.c: the session file loader (a journal, whose first line
** starts '{"seq":1,', a format 1 session file, a plain answers file or a
** FHIR QuestionnaireResponse) against the built-in pack, then the outcome
** and every report on whatever loads. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdg_rules.h"
#include "report.h"
#include "session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Loaded once; freed at exit so that replays under valgrind leak nothing. */
static cdg_passages *session_ps;
static cdg_pack *session_pack;

static void session_done(void) {
  cdg_pack_free(session_pack);
  cdg_passages_free(session_ps);
}

/* Every report format and the review of a, into memory. A writer fails
** only for want of memory. */
static void session_reports(const cdg_pack *pack, const cdg_passages *ps,
                            const cdg_answers *a) {
  static const cli_format fmt[] = {CLI_FORMAT_TEXT, CLI_FORMAT_MARKDOWN,
                                   CLI_FORMAT_JSON, CLI_FORMAT_FHIR};
  report_input in = {pack, ps, a, "2026-01-01T00:00:00Z", 40, 1, NULL, 0};
  cdg_walker *w = NULL;
  char *buf = NULL;
  size_t len = 0, i;
  FILE *mem;

  if (cdg_walker_new(pack, &w) != CDG_OK)
    abort();
  if (cdg_walker_restore(w, a) == CDG_OK)
    (void)cdg_walker_complete(w); /* the report decides completeness */
  for (i = 0; i < 5; i++) {
    if (!(mem = open_memstream(&buf, &len)))
      abort();
    if ((i < 4 ? report_write(mem, fmt[i], &in) : report_review(mem, &in)) !=
        0)
      abort();
    fclose(mem);
    free(buf);
    buf = NULL;
  }
  cdg_walker_free(w);
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
    session_reports(pack, ps, a);
    cdg_answers_free(a);
  } else if (a) {
    abort(); /* a failed load leaves no answers */
  }
  free(text);
  return 0;
}
