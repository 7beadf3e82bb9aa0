/*
** linttest.h: what the linter's test programs share: loading a pack
** written with single quotes, and checking a lint's findings.
*/
#ifndef CDG_TEST_LINTTEST_H
#define CDG_TEST_LINTTEST_H

#include "cdg_rules.h"

/* The built-in passages, loaded by linttest_setup and freed by
** linttest_teardown (a cmocka group's setup and teardown). */
extern cdg_passages *linttest_ps;
int linttest_setup(void **state);
int linttest_teardown(void **state);

/* Load a pack whose JSON is written with ' for " (so C strings stay
** readable), as file t.json. A pack that does not load fails the test. */
cdg_pack *linttest_load(const char *quoted);

/* cdg_lint_run on the pack quoted (as linttest_load) has a finding with
** exactly this message at this pointer, or the test fails (printing the
** findings). */
void linttest_expect(const cdg_passages *ps, const char *quoted,
                     const char *message, const char *pointer);

/* Whether the lint has a finding at pointer whose message starts with
** prefix. */
int linttest_has(const cdg_lint *lint, const char *pointer,
                 const char *prefix);

/* cdg_lint_run and cdg_lint_enumerate report the same findings, in the
** same order, on pack (the example of a silent path may differ; its
** presence may not), or the test fails naming what and printing text
** (the pack's JSON, or ""). Returns how many. */
size_t linttest_agree(const cdg_passages *ps, const cdg_pack *pack,
                      const char *what, const char *text);

/* Print every finding (to see why a check failed). */
void linttest_print(const cdg_lint *lint);

/* The lint has no finding and this many complete answer paths; what
** names the pack in a failure. */
void linttest_clean(const cdg_lint *lint, unsigned long long paths,
                    const char *what);

#endif
