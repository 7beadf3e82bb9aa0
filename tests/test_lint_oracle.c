/*
** test_lint_oracle.c: the path enumeration (cdg_lint_enumerate, the
** oracle of test_lint_sym.c and `cdguide check --enumerate`) is exact on
** the answers the questionnaire accepts, and the symbolic checker
** (cdg_lint_run with no enumeration probe) agrees with it. Each pack is
** worked out by hand in its comment; the number ones failed before the
** enumeration took each bound on its own and a point between constants.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cdg_limits.h"
#include "cdg_rules.h"
#include "lintpack.h"
#include "linttest.h"
#include "pack.h" /* lint_set_probe */

/* The pack with question q and one rule "r" (after R_ALWAYS, so no path
** cites nothing) of condition when. */
static char *S_pack(char *out, size_t size, const char *q, const char *when) {
  snprintf(out, size,
           PACK("%s", R_ALWAYS ",{'id':'r','when':%s,'cite':['cd-onset'],"
                              "'because':'b'}"),
           q, when);
  return out;
}

/* Both the enumeration and the symbolic checker find exactly want (a
** message at /rules/1/when), or nothing when want is NULL. */
static void S_both(const char *q, const char *when, const char *want) {
  char pk[4096];
  cdg_pack *pack = linttest_load(S_pack(pk, sizeof pk, q, when));
  cdg_lint *lint = NULL;
  int pass;

  for (pass = 0; pass < 2; pass++) {
    if (pass == 0) {
      assert_int_equal(cdg_lint_enumerate(pack, linttest_ps, &lint), CDG_OK);
    } else {
      lint_set_probe(0);  /* the symbolic checker, not the enumeration */
      assert_int_equal(cdg_lint_run(pack, linttest_ps, &lint), CDG_OK);
      lint_set_probe(CDG_LINT_PROBE);
    }
    if (cdg_lint_count(lint) != (want ? 1u : 0u) ||
        (want && (strcmp(cdg_lint_error(lint, 0)->message, want) != 0 ||
                  strcmp(cdg_lint_error(lint, 0)->pointer, "/rules/1/when"))))
    {
      linttest_print(lint);
      fail_msg("%s: want %s on %s", pass ? "symbolic" : "enumeration",
               want ? want : "nothing", pk);
    }
    cdg_lint_free(lint);
  }
  cdg_pack_free(pack);
}

#define NEVER "rule \"r\" can never fire"

/* A number with a lower bound only: no answer below 10, any above. The
** enumeration used to take 0 as the missing upper bound, and so tried 0
** and 10 only. */
static void test_number_min_only(void **state) {
  const char *q = "{'id':'n','type':'number','text':'N?','min':10}";

  (void)state;
  S_both(q, "{'<':[{'var':'n'},5]}", NEVER);         /* was: fires (0) */
  S_both(q, "{'>':[{'var':'n'},1000]}", NULL);       /* 1001 */
  S_both(q, "{'==':[{'var':'n'},10]}", NULL);
  S_both(q, "{'<':[{'var':'n'},10]}", NEVER);
  S_both(q, "{'!':{'var':'n'}}", NEVER);             /* 0 is below 10 */
}

/* A number with an upper bound only: any answer below it, negative too. */
static void test_number_max_only(void **state) {
  const char *q = "{'id':'n','type':'number','text':'N?','max':10}";

  (void)state;
  S_both(q, "{'<':[{'var':'n'},-5]}", NULL);         /* was: never (-6) */
  S_both(q, "{'!':{'var':'n'}}", NULL);              /* 0 */
  S_both(q, "{'>':[{'var':'n'},10]}", NEVER);
  S_both(q, "{'<':[{'var':'n'},-1000000]}", NULL);
}

/* No bound: any finite number, and 0 is falsy. */
static void test_number_unbounded(void **state) {
  const char *q = "{'id':'n','type':'number','text':'N?'}";

  (void)state;
  S_both(q, "{'!':{'var':'n'}}", NULL);              /* 0 */
  S_both(q, "{'and':[{'!!':{'var':'n'}},{'<':[-1,{'var':'n'},1]}]}", NULL);
  S_both(q, "{'<':[{'var':'n'},-3]}", NULL);
}

/* A decimal number takes values between two constants one apart; the
** enumeration used to try only c - 1, c, c + 1. */
static void test_number_between(void **state) {
  const char *q = "{'id':'n','type':'number','text':'N?','min':0,'max':10}";

  (void)state;
  S_both(q, "{'and':[{'>':[{'var':'n'},3]},{'<':[{'var':'n'},4]}]}", NULL);
  S_both(q, "{'<':[3,{'var':'n'},3.5]}", NULL);
  S_both(q, "{'and':[{'>':[{'var':'n'},0]},{'<':[{'var':'n'},0.001]}]}",
         NULL);
  S_both(q, "{'and':[{'>':[{'var':'n'},9.5]},{'!=':[{'var':'n'},10]}]}",
         NULL);
  S_both(q, "{'and':[{'>':[{'var':'n'},10]}]}", NEVER);
}

/* Constants at the ends of what a double holds: no number lies strictly
** between 1 and the next double, 1.0000000000000002 (the point between
** them rounds to one of them); above 1e17 there are numbers (2e17), though
** 1e17 + 1 is 1e17 again; likewise below -1e17. */
static void test_number_extremes(void **state) {
  const char *q = "{'id':'n','type':'number','text':'N?'}";
  const char *qi = "{'id':'n','type':'integer','text':'N?'}";

  (void)state;
  S_both(q, "{'and':[{'>':[{'var':'n'},1]},{'<':[{'var':'n'},"
            "1.0000000000000002]}]}", NEVER);
  S_both(q, "{'and':[{'>=':[{'var':'n'},1]},{'<':[{'var':'n'},"
            "1.0000000000000002]}]}", NULL);
  S_both(q, "{'>':[{'var':'n'},1e17]}", NULL);
  S_both(q, "{'<':[{'var':'n'},-1e17]}", NULL);
  S_both(qi, "{'>':[{'var':'n'},1e17]}", NEVER); /* 32 bits */
}

/* An integer question takes whole numbers only: none strictly between 3
** and 4, nor 2.5, but 3 < n < 5 holds at 4. */
static void test_integer(void **state) {
  const char *q = "{'id':'n','type':'integer','text':'N?'}";
  const char *qr = "{'id':'n','type':'integer','text':'N?','min':1,"
                   "'max':3}";

  (void)state;
  S_both(q, "{'and':[{'>':[{'var':'n'},3]},{'<':[{'var':'n'},4]}]}", NEVER);
  S_both(q, "{'==':[{'var':'n'},2.5]}", NEVER);
  S_both(q, "{'<':[3,{'var':'n'},5]}", NULL);
  S_both(q, "{'and':[{'>':[{'var':'n'},2.5]},{'<':[{'var':'n'},3.5]}]}",
         NULL);
  S_both(q, "{'<':[{'var':'n'},-0.5]}", NULL);      /* -1 */
  S_both(qr, "{'<':[{'var':'n'},1]}", NEVER);
  S_both(qr, "{'and':[{'>':[{'var':'n'},1]},{'<':[{'var':'n'},3]}]}", NULL);
  S_both(qr, "{'and':[{'>':[{'var':'n'},1]},{'<':[{'var':'n'},2]}]}", NEVER);
  S_both(qr, "{'!':{'var':'n'}}", NEVER);           /* 0 is below 1 */
}

/* A text answer is never "" (cdg_answers_parse refuses it): a required
** text is never falsy, and never equal to "". An optional one is absent
** on some path, and then t == "" is false too (null is not ""). */
static void test_text_not_empty(void **state) {
  const char *q = "{'id':'t','type':'text','text':'T?'}";
  const char *qo = "{'id':'t','type':'text','text':'T?','required':false}";

  (void)state;
  S_both(q, "{'==':[{'var':'t'},'']}", NEVER);
  S_both(q, "{'===':[{'var':'t'},'']}", NEVER);
  S_both(q, "{'!':{'var':'t'}}", NEVER);
  S_both(q, "{'missing':['t']}", NEVER);
  S_both(q, "{'!=':[{'var':'t'},'']}", NULL);
  S_both(qo, "{'==':[{'var':'t'},'']}", NEVER);
  S_both(qo, "{'!':{'var':'t'}}", NULL);            /* absent */
  S_both(qo, "{'in':[{'var':'t'},['a','']]}", NULL); /* "a" */
  S_both(qo, "{'and':[{'in':[{'var':'t'},['']]}]}", NEVER);
}

/* A date question's answers are dates (cdg_date_check): never "abc", nor
** "other", so the text that stands for every other answer is a past year
** the pack does not name. Before, both passes took "abc" as an answer
** and the symbolic checker, whose witness of a path citing nothing is
** parsed as answers, could not decide that property on any pack with a
** date. */
static void test_date(void **state) {
  const char *q = "{'id':'d','type':'date','text':'D?'}";
  char pk[4096];
  cdg_pack *pack;
  cdg_lint *lint = NULL;
  int pass;

  (void)state;
  S_both(q, "{'==':[{'var':'d'},'abc']}", NEVER);
  S_both(q, "{'in':[{'var':'d'},['other','']]}", NEVER);
  S_both(q, "{'!=':[{'var':'d'},'abc']}", NULL);
  S_both(q, "{'==':[{'var':'d'},'2019-04']}", NULL);
  S_both(q, "{'!':{'in':[{'var':'d'},['2000','2001','2019']]}}", NULL);
  /* No rule that always fires: a path citing nothing, d not 2019. */
  snprintf(pk, sizeof pk,
           PACK("%s", "{'id':'r','when':{'==':[{'var':'d'},'2019']},"
                      "'cite':['cd-onset'],'because':'b'}"),
           q);
  pack = linttest_load(pk);
  for (pass = 0; pass < 2; pass++) {
    lint_set_probe(0);
    assert_int_equal((pass ? cdg_lint_enumerate : cdg_lint_run)(
                         pack, linttest_ps, &lint),
                     CDG_OK);
    lint_set_probe(CDG_LINT_PROBE);
    if (cdg_lint_count(lint) != 1 ||
        !strstr(cdg_lint_error(lint, 0)->message,
                "some complete answer paths cite no passage, e.g. {\"d\":\"20"))
    {
      linttest_print(lint);
      fail_msg("%s: want a path citing nothing", pass ? "enumeration"
                                                        : "symbolic");
    }
    cdg_lint_free(lint);
  }
  cdg_pack_free(pack);
}

/* The texts a text question can be answered with (cdg_answers_parse):
** no control character but tab (C0, DEL, C1), at most
** CDG_MAX_TEXT_ANSWER bytes. A constant no answer can be is no path;
** the texts tried besides the constants are a number's text not yet
** listed (" 5" when "5" is: " 5" == 5 in JavaScript) and, for a date,
** a year no constant is (2002 when 2000 and 2001 are). */
static void test_text_answers(void **state) {
  const char *q = "{'id':'t','type':'text','text':'T?'}";
  const char *qd = "{'id':'d','type':'date','text':'D?'}";
  char when[CDG_MAX_TEXT_ANSWER + 64];
  int n;

  (void)state;
  S_both(q, "{'==':[{'var':'t'},'a\\u0001']}", NEVER);
  S_both(q, "{'==':[{'var':'t'},'\\u007f']}", NEVER);
  S_both(q, "{'==':[{'var':'t'},'x\\u0085']}", NEVER);   /* C1: NEL */
  S_both(q, "{'==':[{'var':'t'},'a\\tb']}", NULL);        /* tab is text */
  S_both(q, "{'==':[{'var':'t'},'\\u00a0']}", NULL);      /* NBSP is text */
  S_both(q, "{'and':[{'==':[{'var':'t'},5]},{'!=':[{'var':'t'},'5']}]}",
         NULL);
  S_both(q, "{'and':[{'==':[{'var':'t'},5]},{'!':{'in':[{'var':'t'},"
            "['5',' 5']]}}]}", NULL);                     /* "  5" */
  S_both(qd, "{'and':[{'!=':[{'var':'d'},'2000']},"
             "{'!=':[{'var':'d'},'2001']}]}", NULL);       /* 2002 */
  /* One byte over the longest answer: never; the longest: fires. */
  for (n = 0; n < 2; n++) {
    memset(when, 0, sizeof when);
    strcpy(when, "{'==':[{'var':'t'},'");
    memset(when + strlen(when), 'a', CDG_MAX_TEXT_ANSWER + 1 - (size_t)n);
    strcat(when, "']}");
    S_both(q, when, n ? NULL : NEVER);
  }
}

/*
** Conditions the answers tried do not decide: each pass says so at the
** condition, with its place in the file, and never calls the pack clean
** nor claims the rule never fires; where no path showed it firing, it
** names the property it could not decide. Run through cdg_lint_run with
** its default enumeration probe, as `cdguide check` does.
*/
static void S_undecided(const char *qs, const char *when, int must) {
  char pk[4096];
  cdg_pack *pack;
  cdg_lint *lint = NULL;
  size_t i;
  int pass, at, named;

  snprintf(pk, sizeof pk,
           PACK("%s", R_ALWAYS ",{'id':'r','when':%s,'cite':['cd-onset'],"
                              "'because':'b'}"),
           qs, when);
  pack = linttest_load(pk);
  for (pass = 0; pass < 2; pass++) {
    assert_int_equal((pass ? cdg_lint_enumerate : cdg_lint_run)(
                         pack, linttest_ps, &lint),
                     CDG_OK);
    at = named = 0;
    for (i = 0; i < cdg_lint_count(lint); i++) {
      const cdg_error *e = cdg_lint_error(lint, i);

      if (strcmp(e->pointer, "/rules/1/when") != 0)
        continue;
      assert_string_equal(e->file, "t.json");
      assert_true(e->line == 1 && e->col > 1);
      at |= strstr(e->message, "rule \"r\" is not decided exactly by the") ==
            e->message;
      named |= strcmp(e->message, "could not decide whether rule \"r\" can "
                      "fire: it depends on a condition not decided exactly") ==
               0;
      if (strstr(e->message, "never")) {
        linttest_print(lint);
        fail_msg("%s claims what it did not prove: %s", pass ? "enumeration"
                                                              : "check", when);
      }
    }
    if (!at || (must && !named)) {
      linttest_print(lint);
      fail_msg("%s: want %s undecided at /rules/1/when", pass ? "enumeration"
                                                               : "check", when);
    }
    cdg_lint_free(lint);
  }
  cdg_pack_free(pack);
}

#define Q_NMT                                                               \
  "{'id':'n','type':'number','text':'N?','min':0,'max':10},{'id':'m',"      \
  "'type':'number','text':'M?','min':0,'max':10},{'id':'t','type':'text',"  \
  "'text':'T?'}"

static void test_undecided_forms(void **state) {
  (void)state;
  /* Fire on some answers the passes may not try. */
  S_undecided(Q_NMT, "{'<':[{'+':[{'var':'n'},{'var':'m'}]},5]}", 0);
  S_undecided(Q_NMT, "{'==':[{'var':'n'},{'var':'m'}]}", 0);
  S_undecided(Q_NMT, "{'var':{'cat':['n']}}", 0);
  S_undecided(Q_NMT, "{'==':[{'var':['n',5]},5]}", 0);
  S_undecided(Q_NMT, "{'==':[{'var':['t','a']},'b']}", 0);
  S_undecided(Q_NMT, "{'<':[{'var':'t'},'b']}", 0);
  S_undecided(Q_NMT, "{'some':[{'var':'n'},true]}", 0);
  S_undecided(Q_NMT, "{'==':[{'var':'n'},true]}", 0);
  S_undecided(Q_NMT, "{'*':[{'var':'n'},{'var':'m'}]}", 0);
  /* Fire only on answers neither pass tries: t is "a" or "bc", n is
  ** 1.5 - 0.5 = 1 away from every constant: each must say it could not
  ** decide, where the old enumeration said "can never fire". */
  S_undecided(Q_NMT, "{'in':[{'var':'t'},'abc']}", 1);
  S_undecided(Q_NMT, "{'in':['zz',{'var':'t'}]}", 1);
  S_undecided(Q_NMT, "{'==':[{'-':[{'var':'n'},0.5]},1]}", 1);
}

/* The same in an enable_when: the question is not said never enabled. */
static void test_undecided_enable(void **state) {
  cdg_pack *pack = linttest_load(
      PACK(Q_NMT ",{'id':'x','type':'single','text':'X?','options':[{'code':"
                 "'a','label':'A'}],'enable_when':{'in':[{'var':'t'},'abc']}}",
           R_ALWAYS));
  cdg_lint *lint = NULL;
  int pass;
  size_t i, named;

  (void)state;
  for (pass = 0; pass < 2; pass++) {
    assert_int_equal((pass ? cdg_lint_enumerate : cdg_lint_run)(
                         pack, linttest_ps, &lint),
                     CDG_OK);
    for (i = named = 0; i < cdg_lint_count(lint); i++) {
      assert_null(strstr(cdg_lint_error(lint, i)->message, "never"));
      named += strcmp(cdg_lint_error(lint, i)->message,
                      "could not decide whether question \"x\" can be "
                      "enabled: it depends on a condition not decided "
                      "exactly") == 0 &&
               strcmp(cdg_lint_error(lint, i)->pointer,
                      "/questions/3/enable_when") == 0;
    }
    if (named != 1) {
      linttest_print(lint);
      fail_msg("%s: want question x undecided", pass ? "enumeration" : "check");
    }
    cdg_lint_free(lint);
  }
  cdg_pack_free(pack);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_number_min_only),
      cmocka_unit_test(test_number_max_only),
      cmocka_unit_test(test_number_unbounded),
      cmocka_unit_test(test_number_between),
      cmocka_unit_test(test_number_extremes),
      cmocka_unit_test(test_integer),
      cmocka_unit_test(test_text_not_empty),
      cmocka_unit_test(test_date),
      cmocka_unit_test(test_text_answers),
      cmocka_unit_test(test_undecided_forms),
      cmocka_unit_test(test_undecided_enable),
  };

  return cmocka_run_group_tests(tests, linttest_setup, linttest_teardown);
}
