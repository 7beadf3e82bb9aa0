/* linttest.c: see linttest.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
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
