/*
** test_lint_window.c: the symbolic checker's propagation looks at a window
** of the questions before the one it probes (lint_prop.c,
** SYM_PROP_WINDOW). A proof that needs a condition further back must
** still be found (by the later passes), and what is possible must not be
** reported. The packs are longer than the window: q0 and q1 (enabled when
** q0 is x), then 98 unconditional singles, then the questions probed.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdg_rules.h"
#include "linttest.h"
#include "pack.h" /* lint_set_probe */

#define SHA "25a7936f8257a0ff7bbdcd9daa319262c0ea914c94d5bbe64bf2968c2801b20d"
#define XY "'options':[{'code':'x','label':'X'},{'code':'y','label':'Y'}]"

static int S_setup(void **state) {
  lint_set_probe(0);  /* the symbolic checker, not the enumeration */
  return linttest_setup(state);
}

/* The pack: q0, q1 (q0 is x), q2..q99, then each of tail's conditions as
** the enable_when of q100, q101, ...; rules: always, then rule. */
static cdg_pack *S_pack(const char *const *tail, size_t ntail,
                        const char *rule) {
  static char pk[65536];
  size_t n = 0, i;

  n += (size_t)snprintf(pk + n, sizeof pk - n,
                        "{'id':'t','version':'1.0.0','title':'T','source':{"
                        "'title':'S','publisher':'NICE','sha256':'" SHA
                        "'},'questions':[{'id':'q0','type':'single','text':"
                        "'Q?'," XY "},{'id':'q1','type':'single','text':"
                        "'Q?'," XY ",'enable_when':{'==':[{'var':'q0'},'x']}"
                        "}");
  for (i = 2; i < 100 + ntail; i++)
    n += (size_t)snprintf(pk + n, sizeof pk - n,
                          ",{'id':'q%zu','type':'single','text':'Q?'," XY
                          "%s%s%s}",
                          i, i >= 100 ? ",'enable_when':" : "",
                          i >= 100 ? tail[i - 100] : "", "");
  n += (size_t)snprintf(pk + n, sizeof pk - n,
                        "],'rules':[{'id':'always','when':true,'cite':["
                        "'cd-what-it-is'],'because':'b'}%s%s%s]}",
                        rule ? ",{'id':'r','when':" : "", rule ? rule : "",
                        rule ? ",'cite':['cd-onset'],'because':'b'}" : "");
  assert_true(n < sizeof pk);
  return linttest_load(pk);
}

/* How many findings at pointer, and whether one has message. */
static size_t S_at(const cdg_lint *lint, const char *pointer,
                   const char *message, int *has) {
  size_t i, k = 0;

  *has = 0;
  for (i = 0; i < cdg_lint_count(lint); i++)
    if (strcmp(cdg_lint_error(lint, i)->pointer, pointer) == 0) {
      k++;
      *has |= strcmp(cdg_lint_error(lint, i)->message, message) == 0;
    }
  return k;
}

/* q100 needs q1 answered and q0 = y, but q1 is enabled only when q0 = x,
** and q1's condition lies a hundred questions back: never enabled. q101
** needs q1 answered and q0 = x: possible, no finding. q102 reads q100,
** never answered: never enabled too. */
static void test_proof_beyond_window(void **state) {
  static const char *const tail[] = {
      "{'and':[{'==':[{'var':'q1'},'x']},{'==':[{'var':'q0'},'y']}]}",
      "{'and':[{'==':[{'var':'q1'},'x']},{'==':[{'var':'q0'},'x']}]}",
      "{'==':[{'var':'q100'},'y']}"};
  cdg_pack *pack = S_pack(tail, 3, NULL);
  cdg_lint *lint = NULL;
  int has;

  (void)state;
  assert_int_equal(cdg_lint_run(pack, linttest_ps, &lint), CDG_OK);
  assert_int_equal(S_at(lint, "/questions/100/enable_when",
                        "question \"q100\" can never be enabled", &has),
                   1);
  assert_true(has);
  assert_int_equal(S_at(lint, "/questions/101/enable_when", "", &has), 0);
  assert_int_equal(S_at(lint, "/questions/102/enable_when",
                        "question \"q102\" can never be enabled", &has),
                   1);
  assert_true(has);
  cdg_lint_free(lint);
  cdg_pack_free(pack);
}

/* A rule that reads q101 (which needs q0 = x) and q0 = y never fires; one
** that reads q101 and q99 can. */
static void test_rule_beyond_window(void **state) {
  static const char *const tail[] = {
      "{'==':[{'var':'q99'},'x']}",
      "{'and':[{'==':[{'var':'q1'},'x']},{'==':[{'var':'q0'},'x']}]}"};
  cdg_pack *pack = S_pack(tail, 2,
                          "{'and':[{'==':[{'var':'q101'},'x']},{'==':[{"
                          "'var':'q0'},'y']}]}");
  cdg_lint *lint = NULL;
  int has;

  (void)state;
  assert_int_equal(cdg_lint_run(pack, linttest_ps, &lint), CDG_OK);
  assert_int_equal(S_at(lint, "/rules/1/when",
                        "rule \"r\" can never fire", &has), 1);
  assert_true(has);
  cdg_lint_free(lint);
  cdg_pack_free(pack);
  pack = S_pack(tail, 2,
                "{'and':[{'==':[{'var':'q101'},'x']},{'==':[{'var':'q99'},"
                "'y']}]}");
  lint = NULL;
  assert_int_equal(cdg_lint_run(pack, linttest_ps, &lint), CDG_OK);
  assert_int_equal(S_at(lint, "/rules/1/when", "", &has), 0);
  cdg_lint_free(lint);
  cdg_pack_free(pack);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_proof_beyond_window),
      cmocka_unit_test(test_rule_beyond_window),
  };

  return cmocka_run_group_tests(tests, S_setup, linttest_teardown);
}
