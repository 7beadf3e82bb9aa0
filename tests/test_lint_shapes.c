/*
** test_lint_shapes.c: pack shapes the random packs of test_lint_sym.c do
** not make, each checked symbolically (no enumeration probe) and by the
** path enumeration, which must agree, and for the finding worked out by
** hand: a chain longer than the checker's first table of leaves (512:
** rules/lint_share.c grows it), a multi question with more options than
** a path's mask holds (SYM_MASK_BITS), a multi whose first options are
** exclusive, and optional questions on a long chain.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdg_rules.h"
#include "lintpack.h"
#include "linttest.h"
#include "pack.h" /* lint_set_probe */

static int S_setup(void **state) {
  lint_set_probe(0); /* the symbolic checker, not the enumeration */
  return linttest_setup(state);
}

/* Text built with printf, for packs too long to write out. */
typedef struct S_text {
  char *s;
  size_t n, cap;
} S_text;

static void S_put(S_text *t, const char *fmt, ...) {
  va_list ap;
  int k;

  if (!t->s) { /* no pointer arithmetic on NULL */
    t->cap = 4096;
    t->s = malloc(t->cap);
    assert_non_null(t->s);
  }
  for (;;) {
    va_start(ap, fmt);
    k = vsnprintf(t->s + t->n, t->cap - t->n, fmt, ap);
    va_end(ap);
    assert_true(k >= 0);
    if ((size_t)k < t->cap - t->n)
      break;
    t->cap = 2 * t->cap + (size_t)k + 64;
    t->s = realloc(t->s, t->cap);
    assert_non_null(t->s);
  }
  t->n += (size_t)k;
}

#define HEAD                                                                \
  "{'id':'t','version':'1.0.0','title':'T','source':{'title':'S',"          \
  "'publisher':'NICE','sha256':'" SHA "'},'questions':["
#define YN "'options':[{'code':'y','label':'Y'},{'code':'n','label':'N'}]"

/* Both passes agree on pack, which has a finding with message at pointer
** and none at each of the NULL-ended clean pointers. */
static void S_check(const char *quoted, const char *pointer,
                    const char *message, const char *const *clean) {
  cdg_pack *pack = linttest_load(quoted);
  cdg_lint *lint = NULL;
  size_t k;

  (void)linttest_agree(linttest_ps, pack, "shape", quoted);
  assert_int_equal(cdg_lint_run(pack, linttest_ps, &lint), CDG_OK);
  if (!linttest_has(lint, pointer, message)) {
    linttest_print(lint);
    fail_msg("want \"%s\" at %s", message, pointer);
  }
  for (k = 0; clean && clean[k]; k++)
    if (linttest_has(lint, clean[k], "")) {
      linttest_print(lint);
      fail_msg("want nothing at %s", clean[k]);
    }
  cdg_lint_free(lint);
  cdg_pack_free(pack);
}

/*
** 700 questions, each enabled when the one before is y (every leaf of
** one shape over questions of the same answers: one shared table, and
** more leaves than the checker's first table holds). q400 also wants q398
** to be n, but q399 is asked only when q398 is y: q400 is never enabled,
** nor any question after it, and the rule reading q699 never fires. q399
** and the rule reading q398 are fine. optional: every fifth question is
** optional, so a path can stop anywhere there too.
*/
static void S_chain(int optional) {
  S_text t = {0};
  size_t i;
  static const char *const clean[] = {"/questions/399/enable_when",
                                      "/rules/1/when", NULL};

  S_put(&t, HEAD "{'id':'q0','type':'single','text':'Q?'," YN "}");
  for (i = 1; i < 700; i++) {
    S_put(&t, ",{'id':'q%zu','type':'single','text':'Q?'," YN "%s,"
              "'enable_when':", i,
          optional && i % 5 == 0 ? ",'required':false" : "");
    if (i == 400)
      S_put(&t, "{'and':[{'==':[{'var':'q399'},'y']},"
                "{'==':[{'var':'q398'},'n']}]}}");
    else
      S_put(&t, "{'==':[{'var':'q%zu'},'y']}}", i - 1);
  }
  S_put(&t, "],'rules':[" R_ALWAYS ",{'id':'r398','when':{'==':[{'var':"
            "'q398'},'y']},'cite':['cd-onset'],'because':'b'},{'id':'r699',"
            "'when':{'==':[{'var':'q699'},'y']},'cite':['cd-onset'],"
            "'because':'b'}]}");
  S_check(t.s, "/questions/400/enable_when", "question \"q400\" can never be enabled",
          clean);
  S_check(t.s, "/questions/699/enable_when", "question \"q699\" can never be enabled",
          NULL);
  S_check(t.s, "/rules/2/when", "rule \"r699\" can never fire", NULL);
  free(t.s);
}

static void test_long_chain(void **state) {
  (void)state;
  S_chain(0);
  S_chain(1);
}

/* The pack of a multi question m of n options and a question b asked when
** c<n-1> is checked; rules: always, c1 with c<n-2> (possible), b = n
** without c<n-1> (never: b is not asked then). */
static char *S_wide(S_text *t, size_t n) {
  size_t k;

  t->n = 0;
  S_put(t, HEAD "{'id':'m','type':'multi','text':'M?','options':[");
  for (k = 0; k < n; k++)
    S_put(t, "%s{'code':'c%zu','label':'C%zu'}", k ? "," : "", k, k);
  S_put(t, "]},{'id':'b','type':'single','text':'B?'," YN ",'enable_when':"
           "{'in':['c%zu',{'var':'m'}]}}],'rules':[" R_ALWAYS
           ",{'id':'both','when':{'and':[{'in':['c1',{'var':'m'}]},{'in':["
           "'c%zu',{'var':'m'}]}]},'cite':['cd-onset'],'because':'b'},"
           "{'id':'never','when':{'and':[{'==':[{'var':'b'},'n']},{'!':{"
           "'in':['c%zu',{'var':'m'}]}}]},'cite':['cd-onset'],'because':"
           "'b'}]}", n - 1, n - 2, n - 1);
  return t->s;
}

/*
** A multi question read by option. With 60 options (too many paths to
** enumerate, but within a path's mask, SYM_MASK_BITS) the checker
** decides it: the rule "never" never fires, nothing else is found. With
** 70 (within CDG_MAX_OPTIONS, beyond the mask) it does not decide the
** conditions on m, and says so at each of them: never "can never fire".
*/
static void test_wide_multi(void **state) {
  S_text t = {0};
  cdg_pack *pack;
  cdg_lint *lint = NULL;
  static const char *const at[][2] = {
      {"/questions/1/enable_when",
       "enable_when of question \"b\" is not decided exactly"},
      {"/rules/1/when", "rule \"both\" is not decided exactly"},
      {"/rules/2/when", "rule \"never\" is not decided exactly"}};
  size_t k;

  (void)state;
  pack = linttest_load(S_wide(&t, 60));
  assert_int_equal(cdg_lint_run(pack, linttest_ps, &lint), CDG_OK);
  if (cdg_lint_count(lint) != 1 ||
      !linttest_has(lint, "/rules/2/when", "rule \"never\" can never fire")) {
    linttest_print(lint);
    fail_msg("60 options: want only rule \"never\" never firing");
  }
  cdg_lint_free(lint);
  cdg_pack_free(pack);

  pack = linttest_load(S_wide(&t, 70));
  assert_int_equal(cdg_lint_run(pack, linttest_ps, &lint), CDG_OK);
  for (k = 0; k < sizeof at / sizeof *at; k++)
    if (!linttest_has(lint, at[k][0], at[k][1])) {
      linttest_print(lint);
      fail_msg("70 options: want %s not decided", at[k][0]);
    }
  for (k = 0; k < cdg_lint_count(lint); k++)
    if (strstr(cdg_lint_error(lint, k)->message, "can never")) {
      linttest_print(lint);
      fail_msg("70 options: a claim not proved");
    }
  cdg_lint_free(lint);
  cdg_pack_free(pack);
  free(t.s);
}

/*
** A multi whose first two options are exclusive ("none", "unsure"): one
** of them is the whole answer. A rule wanting none with a third option
** never fires; none alone, or x with y, does.
*/
static void test_exclusive_first(void **state) {
  static const char *const clean[] = {"/rules/1/when", "/rules/3/when",
                                      NULL};

  (void)state;
  S_check(PACK("{'id':'m','type':'multi','text':'M?','options':["
               "{'code':'none','label':'N','exclusive':true},"
               "{'code':'unsure','label':'U','exclusive':true},"
               "{'code':'x','label':'X'},{'code':'y','label':'Y'}]}",
               R_ALWAYS ",{'id':'alone','when':{'in':['none',{'var':'m'}]},"
               "'cite':['cd-onset'],'because':'b'},{'id':'with','when':{"
               "'and':[{'in':['none',{'var':'m'}]},{'in':['x',{'var':'m'}]}"
               "]},'cite':['cd-onset'],'because':'b'},{'id':'xy','when':{"
               "'and':[{'in':['x',{'var':'m'}]},{'in':['y',{'var':'m'}]}]},"
               "'cite':['cd-onset'],'because':'b'}"),
          "/rules/2/when", "rule \"with\" can never fire", clean);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_long_chain),
      cmocka_unit_test(test_wide_multi),
      cmocka_unit_test(test_exclusive_first),
  };

  return cmocka_run_group_tests(tests, S_setup, linttest_teardown);
}
