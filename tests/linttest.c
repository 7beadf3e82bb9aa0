/* linttest.c: see linttest.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "linttest.h"

cdg_passages *linttest_ps;

int linttest_setup(void **state) {
  cdg_error err;

  (void)state;
  return cdg_passages_builtin(&linttest_ps, &err) == CDG_OK ? 0 : -1;
}

int linttest_teardown(void **state) {
  (void)state;
  cdg_passages_free(linttest_ps);
  linttest_ps = NULL;
  return 0;
}

cdg_pack *linttest_load(const char *quoted) {
  char *json = strdup(quoted), *p, line[1024];
  cdg_pack *pack = NULL;
  cdg_error err;

  assert_non_null(json);
  for (p = json; *p; p++)
    if (*p == '\'')
      *p = '"';
  if (cdg_pack_load(json, strlen(json), "t.json", &pack, &err) != CDG_OK) {
    cdg_error_format(&err, line, sizeof line);
    fail_msg("pack did not load: %s\n%s", line, json);
  }
  free(json);
  return pack;
}

void linttest_print(const cdg_lint *lint) {
  char line[1024];
  size_t i;

  for (i = 0; i < cdg_lint_count(lint); i++) {
    cdg_error_format(cdg_lint_error(lint, i), line, sizeof line);
    print_message("  finding: %s\n", line);
  }
}

void linttest_clean(const cdg_lint *lint, unsigned long long paths,
                    const char *what) {
  if (cdg_lint_count(lint) != 0) {
    linttest_print(lint);
    fail_msg("want a clean pack: %s", what);
  }
  if (cdg_lint_paths(lint) != paths)
    fail_msg("want %llu paths, got %llu: %s", paths, cdg_lint_paths(lint),
             what);
}

int linttest_has(const cdg_lint *lint, const char *pointer,
                 const char *prefix) {
  size_t i;

  for (i = 0; i < cdg_lint_count(lint); i++)
    if (strcmp(cdg_lint_error(lint, i)->pointer, pointer) == 0 &&
        strncmp(cdg_lint_error(lint, i)->message, prefix, strlen(prefix)) ==
            0)
      return 1;
  return 0;
}

void linttest_expect(const cdg_passages *ps, const char *quoted,
                     const char *message, const char *pointer) {
  cdg_pack *pack = linttest_load(quoted);
  cdg_lint *lint = NULL;
  size_t i;

  assert_int_equal(cdg_lint_run(pack, ps, &lint), CDG_OK);
  for (i = 0; i < cdg_lint_count(lint); i++)
    if (strcmp(cdg_lint_error(lint, i)->message, message) == 0 &&
        strcmp(cdg_lint_error(lint, i)->pointer, pointer) == 0)
      break;
  if (i == cdg_lint_count(lint)) {
    linttest_print(lint);
    fail_msg("want \"%s\" at %s", message, pointer);
  }
  cdg_lint_free(lint);
  cdg_pack_free(pack);
}

/* Finding i as "pointer: message", the example of a silent path cut. */
static void S_key(const cdg_lint *l, size_t i, char *out, size_t size) {
  const cdg_error *e = cdg_lint_error(l, i);
  const char *eg = strstr(e->message, ", e.g. ");
  int n = eg ? (int)(eg - e->message) : (int)strlen(e->message);

  snprintf(out, size, "%s: %.*s", e->pointer, n, e->message);
}

static void S_print(const char *what, const cdg_lint *l) {
  size_t i;
  char k[900];

  for (i = 0; i < cdg_lint_count(l); i++) {
    S_key(l, i, k, sizeof k);
    print_message("  %s %s\n", what, k);
  }
}

size_t linttest_agree(const cdg_passages *ps, const cdg_pack *pack,
                      const char *what, const char *text) {
  cdg_lint *sym = NULL, *en = NULL;
  size_t i, found;
  char k1[900], k2[900];

  assert_int_equal(cdg_lint_run(pack, ps, &sym), CDG_OK);
  assert_int_equal(cdg_lint_enumerate(pack, ps, &en), CDG_OK);
  if (cdg_lint_count(sym) != cdg_lint_count(en)) {
    S_print("symbolic:", sym);
    S_print("enumeration:", en);
    fail_msg("%s: %zu findings, enumeration %zu\n%s", what,
             cdg_lint_count(sym), cdg_lint_count(en), text);
  }
  for (i = 0; i < cdg_lint_count(sym); i++) {
    S_key(sym, i, k1, sizeof k1);
    S_key(en, i, k2, sizeof k2);
    if (strcmp(k1, k2) != 0) {
      S_print("symbolic:", sym);
      S_print("enumeration:", en);
      fail_msg("%s, finding %zu:\n%s\n%s\n%s", what, i, k1, k2, text);
    }
  }
  found = cdg_lint_count(sym);
  cdg_lint_free(sym);
  cdg_lint_free(en);
  return found;
}
