/*
** test_lint_exact.c: which conditions the path enumeration says it
** decides exactly (rules/lint_exact.c, as lint_exact.h states it): a
** number or text answer read only against constants, by in over a list
** of constants, by its truth or by missing, with constant names. Each
** case is one rule "r" over the questions below; `check` (the
** enumeration) either reports r as not decided exactly or does not. The
** expectations come from lint_exact.h's rules, case by case.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cdg_rules.h"
#include "lintpack.h"
#include "linttest.h"

/* n: number 0..10; i: integer 0..5; t: optional text; m: multi; a:
** single (x, y). */
#define Q_N "{'id':'n','type':'number','text':'N?','min':0,'max':10}"
#define Q_I "{'id':'i','type':'integer','text':'I?','min':0,'max':5}"
#define Q_T "{'id':'t','type':'text','text':'T?','required':false}"
#define Q_M                                                                    \
  "{'id':'m','type':'multi','text':'M?','options':[{'code':'p','label':"       \
  "'P'},{'code':'q','label':'Q'}]}"
#define QS Q_A "," Q_N "," Q_I "," Q_T "," Q_M

#define UNDECIDED "rule \"r\" is not decided exactly by the enumeration"

#define S_50 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
#define S_300 S_50 S_50 S_50 S_50 S_50 S_50

/* Whether the enumeration reports rule r (condition when) as not decided
** exactly. */
static int S_undecided(const char *when) {
  char pk[8192];
  cdg_pack *pack;
  cdg_lint *lint = NULL;
  int found;

  snprintf(pk, sizeof pk,
           PACK(QS, R_ALWAYS ",{'id':'r','when':%s,'cite':['cd-onset'],"
                             "'because':'b'}"),
           when);
  pack = linttest_load(pk);
  assert_int_equal(cdg_lint_enumerate(pack, linttest_ps, &lint), CDG_OK);
  found = linttest_has(lint, "/rules/1/when", UNDECIDED);
  cdg_lint_free(lint);
  cdg_pack_free(pack);
  return found;
}

static void S_exact(const char *when) {
  if (S_undecided(when))
    fail_msg("want decided exactly: %s", when);
}

static void S_inexact(const char *when) {
  if (!S_undecided(when))
    fail_msg("want not decided exactly: %s", when);
}

/* Forms of var: constant names are exact, computed ones are not. */
static void test_var_forms(void **state) {
  (void)state;
  S_exact("{'var':'a'}");
  S_exact("{'var':[]}");                      /* the whole data, no answer */
  S_exact("{'==':[{'var':['n']},3]}");        /* n whole, array form */
  S_exact("{'var':['a','x']}");               /* a default of a single */
  S_inexact("{'var':['n',1]}");               /* a default of a number */
  S_inexact("{'==':[{'var':['n',1]},3]}");
  S_exact("{'var':['zz',{'var':'a'}]}");      /* no such question */
  S_inexact("{'var':['zz',{'+':[{'var':'n'},1]}]}"); /* default computed */
  S_exact("{'var':1}");                       /* key "1": no question */
  S_inexact("{'var':1.5}");                   /* not a whole number */
  S_inexact("{'var':1e20}");                  /* too large to be a key */
  S_inexact("{'var':''}");                    /* the whole data */
  S_inexact("{'var':{'cat':['n','']}}");      /* a computed name */
  S_inexact("{'var':'" S_300 ".x'}");         /* longer than any id */
  S_exact("{'var':'m.0'}");                   /* inside a multi */
  S_exact("{'var':'zz.y'}");                  /* inside no question */
  S_inexact("{'var':'n.y'}");                 /* inside a number */
  S_exact("{'var':'n'}");                     /* n for its truth */
  S_inexact("{'==':[{'var':'n'},{'var':'i'}]}"); /* two answers */
}

/* Comparisons with constants, of numbers and texts. */
static void test_compare(void **state) {
  (void)state;
  S_exact("{'<':[{'var':'n'},3]}");
  S_exact("{'<':[1,{'var':'n'},3]}");            /* between */
  S_exact("{'<':[{'var':'n'},{'var':'n'}]}");    /* one question twice */
  S_inexact("{'<':[{'var':'n'},1,2,3]}");        /* four arguments */
  S_inexact("{'<':[{'var':'t'},'b']}");          /* text ordered */
  S_exact("{'==':[{'var':'t'},'b']}");
  S_exact("{'!==':[{'var':'i'},'2']}");
  S_inexact("{'==':[{'var':'i'},1,2]}");         /* three: the last unused */
  S_inexact("{'==':[{'var':'n'},true]}");        /* Number(true) */
  S_inexact("{'==':[{'var':'n'},null]}");
  S_exact("{'==':[1,2]}");                       /* no answer: constants */
  S_inexact("{'+':[{'var':'n'},1]}");            /* arithmetic */
  S_inexact("{'==':{'var':'n'}}");               /* not a list */
  S_exact("{'==':{'var':'a'}}");
}

/* in over a list of constants of the question's kind. */
static void test_in(void **state) {
  (void)state;
  S_exact("{'in':[{'var':'n'},[1,2]]}");
  S_exact("{'in':[{'var':'t'},['b','c']]}");
  S_inexact("{'in':[{'var':'n'},['1',2]]}");     /* a text among numbers */
  S_inexact("{'in':[{'var':'t'},['b',1]]}");
  S_inexact("{'in':[{'var':'t'},'abc']}");       /* in a string */
  S_inexact("{'in':[{'var':'n'},[1],[2]]}");     /* three arguments */
  S_inexact("{'in':[{'var':'n'}]}");
  S_exact("{'in':['x',[]]}");                    /* no answer read */
  S_inexact("{'in':[{'var':'t'},[{'var':'t'}]]}");
  S_exact("{'in':[{'var':'a'},['x']]}");         /* a single: all tried */
}

/* missing and missing_some of constant names. */
static void test_missing(void **state) {
  (void)state;
  S_exact("{'missing':'n'}");
  S_exact("{'missing':['n','t']}");
  S_exact("{'missing':[['n','t']]}");            /* a list first */
  S_exact("{'missing':[['n'],'t']}");
  S_inexact("{'missing':['n',['t']]}");          /* a list not first */
  S_inexact("{'missing':[{'var':'a'}]}");        /* a computed name */
  S_inexact("{'missing':{'var':'a'}}");
  S_exact("{'missing_some':[1,['n','t']]}");
  S_inexact("{'missing_some':[{'var':'i'},['n']]}");
  S_inexact("{'missing_some':[1,'n']}");
  S_inexact("{'missing_some':[1,['n'],2]}");
  S_inexact("{'missing_some':[1]}");
  S_inexact("{'missing_some':1}");
}

/* Logic, if, and iteration over single and multi answers. */
static void test_logic(void **state) {
  (void)state;
  S_exact("{'!':{'var':'t'}}");                  /* truth of a text */
  S_exact("{'!!':[{'var':'n'}]}");
  S_exact("{'and':[{'var':'n'},{'var':'t'}]}");
  S_exact("{'if':[{'var':'n'},true,false]}");
  S_exact("{'if':[true,{'var':'n'},false]}");   /* the rule's truth */
  S_inexact("{'==':[{'if':[true,{'var':'n'},0]},3]}"); /* n's value */
  S_exact("{'?:':[{'var':'t'},{'var':'a'},false]}");
  S_exact("{'if':{'var':'a'}}");                 /* not a list */
  S_exact("{'some':[{'var':'m'},{'==':[{'var':''},'p']}]}");
  S_exact("{'all':[{'var':'m'},{'var':''}]}");
  S_exact("{'reduce':[{'var':'m'},{'var':'accumulator'},0]}");
  S_inexact("{'map':[{'var':'n'},{'var':''}]}"); /* a number as the list */
  /* Inside the body var names the element's key: no answer is read. */
  S_exact("{'some':[{'var':'m'},{'==':[{'var':'n'},{'var':''}]}]}");
  S_exact("{'some':[{'var':'m'},{'var':['a']}]}");
  S_inexact("{'some':[{'var':'m'},{'var':{'var':'n'}}]}");
  S_exact("{'some':[{'var':'m'},{'missing':['x']}]}");
  S_exact("{'some':[{'var':'m'},{'missing':[{'var':'n'}]}]}");
  S_exact("{'some':[{'var':'m'},{'<':[{'var':''},3]}]}"); /* a code */
  S_exact("{'some':{'var':'m'}}");
  S_exact("{}");
  S_inexact("{'var':'a','x':1}");                /* two keys */
  S_exact("[{'var':'a'}]");
  S_exact("{'cat':[{'var':'a'},'x']}");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_var_forms), cmocka_unit_test(test_compare),
      cmocka_unit_test(test_in),        cmocka_unit_test(test_missing),
      cmocka_unit_test(test_logic),
  };

  return cmocka_run_group_tests(tests, linttest_setup, linttest_teardown);
}
