/*
** test_lint_forms.c: the forms of var and missing the linter has to read
** (defaults, numbers, computed names, dotted paths, iteration scopes),
** comparisons with number, text and multi questions, the example of a
** silent path for each question type, the path budget and the API on
** NULL, on small packs (lintpack.h). Expected messages, pointers and path
** counts are worked out by hand from the packs.
*/
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "cdg_limits.h"
#include "cdg_rules.h"
#include "lintpack.h"
#include "linttest.h"
#include "pack.h" /* lint_set_budget */

/* For the forms below: n: number 0..10; t: optional text; m: multi (p, q,
** and z alone); RULE1: a rule "r" citing cd-onset. */
#define Q_N "{'id':'n','type':'number','text':'N?','min':0,'max':10}"
#define Q_T "{'id':'t','type':'text','text':'T?','required':false}"
#define Q_M                                                                    \
  "{'id':'m','type':'multi','text':'M?','options':[{'code':'p','label':"       \
  "'P'},{'code':'q','label':'Q'},{'code':'z','label':'Z','exclusive':"         \
  "true}]}"
#define RULE1(when)                                                            \
  "{'id':'r','when':" when ",'cite':['cd-onset'],'because':'b'}"

#define UNDECIDED                                                              \
  "rule \"r\" is not decided exactly by the enumeration: it reads a number "   \
  "or text answer other than by comparing it with constants, or a computed "    \
  "name"

#define S_50 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
#define S_250 S_50 S_50 S_50 S_50 S_50

/* ---- Forms of var and missing, comparisons, examples, budgets ---------- */

/*
** Lint a pack: message NULL wants no finding; otherwise one of the findings
** (they are sorted by position, so a rule that can never fire comes before
** the cause inside it) has this message and pointer.
*/
static void S_expect(const char *quoted, const char *message,
                     const char *pointer) {
  cdg_pack *pack = linttest_load(quoted);
  cdg_lint *lint = NULL;
  const cdg_error *e = NULL;
  size_t i;

  assert_int_equal(cdg_lint_enumerate(pack, linttest_ps, &lint), CDG_OK);
  if (!message) {
    if (cdg_lint_count(lint) != 0) {
      linttest_print(lint);
      fail_msg("want no finding: %s", quoted);
    }
  } else {
    for (i = 0; i < cdg_lint_count(lint); i++) {
      e = cdg_lint_error(lint, i);
      if (strcmp(e->message, message) == 0 && strcmp(e->pointer, pointer) == 0)
        break;
    }
    if (i == cdg_lint_count(lint)) {
      linttest_print(lint);
      fail_msg("want finding \"%s\" at %s: %s", message, pointer, quoted);
    }
    assert_true(e->line > 0);
  }
  cdg_lint_free(lint);
  cdg_pack_free(pack);
}

static void test_var_forms(void **state) {
  (void)state;
  /* A default after the name; the comparison still sees question a. */
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'==':[{'var':['a','x']},'x']}")), NULL,
           NULL);
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'==':[{'var':['a','x']},'w']}")),
           "question \"a\" has no option \"w\"", "/rules/1/when/==/1");
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'!!':[{'var':1}]}")),
           "var 1 names no question", "/rules/1/when/!!/0/var");
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'!!':[{'var':[1]}]}")),
           "var 1 names no question", "/rules/1/when/!!/0/var/0");
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'!!':[{'var':{'cat':['a','']}}]}")),
           "var name is computed, so the linter cannot check it",
           "/rules/1/when/!!/0/var");
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'!!':[{'var':''}]}")),
           "var \"\" reads every answer, so the linter cannot check it",
           "/rules/1/when/!!/0/var");
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'!!':[{'var':'zz.b'}]}")),
           "var \"zz.b\" names no question", "/rules/1/when/!!/0/var");
  /* A dotted path into a single answer (a string) reads nothing. */
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'!!':[{'var':'a.b'}]}")),
           "rule \"r\" can never fire", "/rules/1/when");
  /* A default that is itself checked. */
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'!!':[{'var':['a',{'var':'zz'}]}]}")),
           "var \"zz\" names no question", "/rules/1/when/!!/0/var/1/var");
}

static void test_missing_forms(void **state) {
  (void)state;
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'missing':['a','zz']}")),
           "missing \"zz\" names no question", "/rules/1/when/missing/1");
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'missing':[['a','zz']]}")),
           "missing \"zz\" names no question", "/rules/1/when/missing/0/1");
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'missing':'zz'}")),
           "missing \"zz\" names no question", "/rules/1/when/missing");
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'missing':{'var':'a'}}")),
           "missing name is computed, so the linter cannot check it",
           "/rules/1/when/missing");
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'missing':['a',{'cat':['z','z']}]}")),
           "missing name is computed, so the linter cannot check it",
           "/rules/1/when/missing/1");
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'missing_some':[1,['a','zz']]}")),
           "missing_some \"zz\" names no question",
           "/rules/1/when/missing_some/1/1");
  /* Nothing missing once a is answered: the rule never fires. */
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'missing_some':[1,['a']]}")),
           "rule \"r\" can never fire", "/rules/1/when");
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'!':{'missing':[]}}")), NULL, NULL);
}

static void test_scopes(void **state) {
  (void)state;
  /* In reduce, current and accumulator are the iteration's own. */
  S_expect(
      PACK(Q_A, R_ALWAYS "," RULE1("{'reduce':[[1,2],{'+':[{'var':'current'},"
                                  "{'var':'accumulator.x'}]},1]}")),
      "rule \"r\" can never fire", "/rules/1/when");
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'some':[[1],{'var':'current'}]}")),
           "var \"current\" inside \"some\" reads the current element, not "
           "a question",
           "/rules/1/when/some/1/var");
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'all':[[1],{'var':''}]}")), NULL,
           NULL);
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'some':[[[1]],{'var':'0'}]}")), NULL,
           NULL);
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'some':[[[1]],{'var':1}]}")),
           "rule \"r\" can never fire", "/rules/1/when");
  S_expect(PACK(Q_A, R_ALWAYS
                "," RULE1("{'some':[[1],{'!!':{'var':{'cat':['a']}}}]}")),
           "var name is computed, so the linter cannot check it",
           "/rules/1/when/some/1/!!/var");
  /* A comparison inside a scope is not with a question. */
  S_expect(
      PACK(Q_A, R_ALWAYS "," RULE1("{'some':[[1],{'==':[{'var':'a'},'w']}]}")),
      "var \"a\" inside \"some\" reads the current element, not a "
      "question",
      "/rules/1/when/some/1/==/0/var");
}

static void test_comparisons(void **state) {
  (void)state;
  S_expect(PACK(Q_N, R_ALWAYS "," RULE1("{'<':[{'var':'n'},5]}")), NULL, NULL);
  S_expect(PACK(Q_N, R_ALWAYS "," RULE1("{'<=':[1,{'var':'n'},5]}")), NULL,
           NULL);
  S_expect(PACK(Q_N, R_ALWAYS "," RULE1("{'==':[{'var':'n'},'5']}")),
           "question \"n\" is a number, compared with string \"5\"",
           "/rules/1/when/==/1");
  /* Outside the range 0..10: never true. */
  S_expect(PACK(Q_N, R_ALWAYS "," RULE1("{'>':[{'var':'n'},20]}")),
           "rule \"r\" can never fire", "/rules/1/when");
  S_expect(PACK(Q_N, R_ALWAYS
                "," RULE1("{'or':[{'==':[{'var':'n'},3]},{'==':[3,{'var':'n'}]},"
                         "{'===':[{'var':'n'},4]}]}")),
           NULL, NULL);
  S_expect(PACK(Q_T, R_ALWAYS
                "," RULE1("{'or':[{'==':[{'var':'t'},'hello']},{'==':[{'var':"
                         "'t'},'hello']},{'==':[{'var':'t'},'']}]}")),
           NULL, NULL);
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'in':[{'var':'a'},['x','w']]}")),
           "question \"a\" has no option \"w\"", "/rules/1/when/in/1/1");
  S_expect(PACK(Q_M, R_ALWAYS "," RULE1("{'in':['w',{'var':'m'}]}")),
           "question \"m\" has no option \"w\"", "/rules/1/when/in/0");
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'==':['w',{'var':'a'}]}")),
           "question \"a\" has no option \"w\"", "/rules/1/when/==/0");
  /* An order comparison on an option code is not checked as a code. */
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'<':[{'var':'a'},5]}")),
           "rule \"r\" can never fire", "/rules/1/when");
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'in':[1,{'var':'a'}]}")),
           "rule \"r\" can never fire", "/rules/1/when");
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'==':{'var':'a'}}")),
           "rule \"r\" can never fire", "/rules/1/when");
}

/* The example of a silent path, for each question type. */
static void test_silent_examples(void **state) {
  (void)state;
  /* Multi: the first mask without p is {q}. */
  S_expect(PACK(Q_M, RULE1("{'in':['p',{'var':'m'}]}")),
           "some complete answer paths cite no passage, e.g. {\"m\":[\"q\"]}",
           "/rules");
  S_expect(PACK(Q_N, RULE1("{'>':[{'var':'n'},5]}")),
           "some complete answer paths cite no passage, e.g. {\"n\":0}",
           "/rules");
  /* A text question branches over the texts compared with and "other",
  ** which stands for any other text ("" is no answer: answers.c). */
  S_expect(PACK(Q_T, RULE1("{'==':[{'var':'t'},'a\\\\b']}")),
           "some complete answer paths cite no passage, e.g. "
           "{\"t\":\"other\"}",
           "/rules");
  S_expect(PACK(Q_T, RULE1("{'!=':[{'var':'t'},'a\\\\b\\\"']}")),
           "some complete answer paths cite no passage, e.g. "
           "{\"t\":\"a\\\\b\\\"\"}",
           "/rules");
  /* An example is JSON: a tab is escaped as JSON escapes it, and so are
  ** the bidirectional controls, which could reorder the line on a
  ** terminal; an answer too long for the example leaves only "...". A
  ** text no answer can be (a control character) is no example: the
  ** rule then never fails. */
  S_expect(PACK(Q_T, RULE1("{'!=':[{'var':'t'},'a\\tb']}")),
           "some complete answer paths cite no passage, e.g. "
           "{\"t\":\"a\\tb\"}",
           "/rules");
  S_expect(PACK(Q_T, RULE1("{'!=':[{'var':'t'},'a\\u202Eb']}")),
           "some complete answer paths cite no passage, e.g. "
           "{\"t\":\"a\\u202eb\"}",
           "/rules");
  S_expect(PACK(Q_T, RULE1("{'==':[{'var':'t'},'a\\u0001b']}")),
           "some complete answer paths cite no passage, e.g. "
           "{\"t\":\"other\"}",
           "/rules");
  S_expect(PACK(Q_T, RULE1("{'!=':[{'var':'t'},'" S_250 "']}")),
           "some complete answer paths cite no passage, e.g. {...}", "/rules");
  S_expect(PACK(Q_T "," Q_A, RULE1("{'==':[{'var':'t'},'a']}")),
           "some complete answer paths cite no passage, e.g. "
           "{\"t\":\"other\",\"a\":\"x\"}",
           "/rules");
}

/* More forms the walk meets: names in scopes, cached lookups, literals of
** every kind, several findings at one place. */
/*
** Forms the loader takes though no pack should write them: operators
** given one argument outside a list, too few or too many arguments,
** empty objects, comparisons with literals of the other type. Each was
** worked out by hand as json-logic-js evaluates it.
*/
#define Q_ANTM Q_A "," Q_N "," Q_T "," Q_M
#define NEVER "rule \"r\" can never fire"

/*
** The symbolic checker (cdg_lint_run with no enumeration first, as on a
** pack of large groups) finds what the enumeration finds; or, for a
** condition it does not decide exactly (a number or text read other than
** against constants, a name that is no question), says so of rule r
** rather than guess.
*/
static const char *const S_undecided[] = {
    "{'<':[{'var':'n'},{'var':'n'}]}",        /* n against n */
    "{'missing':1}",                          /* a name that is no question */
    "{'in':[{'var':'a'},['x',{'var':'t'}]]}", /* t in a list */
    "{'<':[{'var':'t'},'b']}",                /* text ordered */
};

static void S_both(const char *quoted, const char *when) {
  cdg_pack *pack = linttest_load(quoted);
  cdg_lint *sym = NULL, *en = NULL;
  size_t i, nu = sizeof S_undecided / sizeof *S_undecided;

  lint_set_probe(0);
  assert_int_equal(cdg_lint_run(pack, linttest_ps, &sym), CDG_OK);
  lint_set_probe(CDG_LINT_PROBE);
  assert_int_equal(cdg_lint_enumerated(sym), 0);
  assert_int_equal(cdg_lint_enumerate(pack, linttest_ps, &en), CDG_OK);
  for (i = 0; i < nu && strcmp(when, S_undecided[i]) != 0; i++)
    ;
  if (i < nu) {
    for (i = 0; i < cdg_lint_count(sym); i++)
      if (strncmp(cdg_lint_error(sym, i)->message,
                  "rule \"r\" is not decided exactly", 31) == 0)
        break;
    if (i == cdg_lint_count(sym)) {
      linttest_print(sym);
      fail_msg("want rule r not decided exactly: %s", when);
    }
  } else {
    if (cdg_lint_count(sym) != cdg_lint_count(en)) {
      linttest_print(sym);
      linttest_print(en);
      fail_msg("symbolic %zu findings, enumeration %zu: %s",
               cdg_lint_count(sym), cdg_lint_count(en), quoted);
    }
    for (i = 0; i < cdg_lint_count(sym); i++)
      if (strcmp(cdg_lint_error(sym, i)->message,
                 cdg_lint_error(en, i)->message) != 0 ||
          strcmp(cdg_lint_error(sym, i)->pointer,
                 cdg_lint_error(en, i)->pointer) != 0) {
        linttest_print(sym);
        linttest_print(en);
        fail_msg("finding %zu differs: %s", i, quoted);
      }
  }
  cdg_lint_free(sym);
  cdg_lint_free(en);
  cdg_pack_free(pack);
}

static void test_odd_forms(void **state) {
  static const char *const never[] = {
      "{'!':{'var':'a'}}",               /* a is always answered */
      "{'<':[1,{'var':'a'}]}",           /* 1 < 'x': NaN */
      "{'==':[1,2,3]}",                  /* 1 == 2 */
      "{'<':[{'var':'n'},{'var':'n'}]}", /* n < n */
      "{'in':['x']}",                    /* in undefined: false */
      "{'==':[{},1]}",                   /* '[object Object]' == 1 */
      "{'==':[{'if':[1,2,3]},'x']}",     /* 2 == 'x' */
      "{'==':[{'var':'a'},1]}",          /* 'x' == 1 */
      "{'map':1}",                       /* [] */
      "{'==':[{'var':'a.b'},'x']}",      /* 'x'.b is undefined */
      "{'==':[{'var':'n'},20]}",         /* n is at most 10 */
      "{'missing_some':[1,['a','t']]}",  /* a is always there */
  };
  static const char *const fires[] = {
      "{'missing':1}",                       /* key '1' is always missing */
      "{'in':['p',{'var':'m'}]}",            /* p chosen */
      "{'in':[{'var':'a'},'xyz']}",          /* 'x' in 'xyz' */
      "{'==':[{'var':'a'},{'var':'a'}]}",
      "{'==':[{'var':['a']},'x']}",
      "{'==':[{'var':['a','y']},'x']}",
      "{'some':[{'var':'m'},{'==':[{'var':''},'p']}]}",
      "{'all':[{'var':'m'},{'==':[{'var':''},'p']}]}", /* m is [p] */
      "{'!!':[{'var':'a'}]}",
      "{'!':[]}",                            /* !undefined */
      "{'if':[{'==':[{'var':'a'},'x']},true]}",
      ("{'if':[{'==':[{'var':'a'},'x']},true,{'==':[{'var':'a'},'y']},"
       "true,false]}"),
      "{'in':[{'var':'n'},[1,2]]}",
      "{'<':[-5,{'var':'n'}]}",
      "{'>':[{'var':'n'},3,1]}",             /* > reads two: n > 3 */
      "{'missing':[['t']]}",                 /* t is optional */
      "{'?:':[{'var':'a'},1,0]}",
      "{'reduce':[{'var':'m'},{'+':[1,{'var':'accumulator'}]},0]}",
  };
  /* Fires, but a text is read other than against constants: the
  ** answers tried (lint_text) do not settle it, so neither pass does. */
  static const char *const undecided[] = {
      "{'in':[{'var':'a'},['x',{'var':'t'}]]}", /* a == t when t is "y" */
      "{'<':[{'var':'t'},'b']}",                /* text ordered */
  };
  char pack[2048];
  size_t i;

  (void)state;
  for (i = 0; i < sizeof undecided / sizeof *undecided; i++) {
    snprintf(pack, sizeof pack,
             PACK(Q_ANTM, R_ALWAYS ",{'id':'r','when':%s,'cite':["
                                   "'cd-onset'],'because':'b'}"),
             undecided[i]);
    S_expect(pack, UNDECIDED, "/rules/1/when");
  }
  for (i = 0; i < sizeof never / sizeof *never; i++) {
    snprintf(pack, sizeof pack,
             PACK(Q_ANTM, R_ALWAYS ",{'id':'r','when':%s,'cite':["
                                   "'cd-onset'],'because':'b'}"),
             never[i]);
    S_expect(pack, NEVER, "/rules/1/when");
    S_both(pack, never[i]);
  }
  for (i = 0; i < sizeof fires / sizeof *fires; i++) {
    snprintf(pack, sizeof pack,
             PACK(Q_ANTM, R_ALWAYS ",{'id':'r','when':%s,'cite':["
                                   "'cd-onset'],'because':'b'}"),
             fires[i]);
    S_expect(pack, NULL, NULL);
    S_both(pack, fires[i]);
  }
  /* missing_some with one argument, or none: json-logic-js throws. */
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'missing_some':1}")),
           "rule \"r\" cannot be evaluated on some answers", "/rules/1/when");
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'missing_some':[]}")),
           "rule \"r\" cannot be evaluated on some answers", "/rules/1/when");
  /* A computed name as the whole list of missing, or as an item. */
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'missing':{'var':'a'}}")),
           "missing name is computed, so the linter cannot check it",
           "/rules/1/when/missing");
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'missing':['a',['b']]}")),
           "missing name is computed, so the linter cannot check it",
           "/rules/1/when/missing/1");
  /* A multi question compared with a code it does not have. */
  S_expect(PACK(Q_M, R_ALWAYS "," RULE1("{'==':[{'var':'m'},'w']}")),
           "question \"m\" has no option \"w\"", "/rules/1/when/==/1");
}

static void test_more_forms(void **state) {
  (void)state;
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'some':[[1],{'var':'1a'}]}")),
           "var \"1a\" inside \"some\" reads the current element, not a "
           "question",
           "/rules/1/when/some/1/var");
  S_expect(
      PACK(Q_A, R_ALWAYS "," RULE1("{'reduce':[[1],{'var':'currentx'},0]}")),
      "var \"currentx\" inside \"reduce\" reads the current element, "
      "not a question",
      "/rules/1/when/reduce/1/var");
  S_expect(
      PACK(Q_A, R_ALWAYS "," RULE1("{'reduce':[[1],{'var':'accumulatorx'},0]}")),
      "var \"accumulatorx\" inside \"reduce\" reads the current "
      "element, not a question",
      "/rules/1/when/reduce/1/var");
  /* Two questions compared with each other: both are read. */
  S_expect(PACK(Q_A ",{'id':'b','type':'single','text':'B?','options':[{"
                    "'code':'x','label':'X'}]}",
                R_ALWAYS "," RULE1("{'==':[{'var':'a'},{'var':'b'}]}")),
           NULL, NULL);
  /* A var with no name, with a list as its name, with true. */
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'!!':{'var':[]}}")), NULL, NULL);
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'!!':{'var':[['a']]}}")),
           "var name is computed, so the linter cannot check it",
           "/rules/1/when/!!/var/0");
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'!!':{'missing':[1,true]}}")), NULL,
           NULL);
  /* A number compared at the bottom of its range, twice, and with true
  ** (n == 1, which no constant names: not decided). */
  S_expect(PACK(Q_N, R_ALWAYS
                "," RULE1("{'or':[{'==':[{'var':'n'},0]},{'==':[{'var':'n'},0]}"
                         "]}")),
           NULL, NULL);
  S_expect(PACK(Q_N, R_ALWAYS
                "," RULE1("{'or':[{'==':[{'var':'n'},0]},{'==':[{'var':'n'},0]},"
                         "{'==':[{'var':'n'},true]}]}")),
           UNDECIDED, "/rules/1/when");
  /* Text compared with "" (always a value) and with the same text twice;
  ** "in" on a text question is not a code check, and not decided ('a' in
  ** t: a substring). */
  S_expect(PACK(Q_T, R_ALWAYS
                "," RULE1("{'or':[{'==':[{'var':'t'},'']},{'==':[{'var':'t'},"
                         "'a']},{'==':[{'var':'t'},'a']}]}")),
           NULL, NULL);
  S_expect(PACK(Q_T, R_ALWAYS
                "," RULE1("{'or':[{'==':[{'var':'t'},'']},{'in':['a',{'var':"
                         "'t'}]},{'==':[{'var':'t'},'a']},{'==':[{'var':'t'},"
                         "'a']}]}")),
           UNDECIDED, "/rules/1/when");
  /* One unknown passage cited twice: unknown where first cited, twice
  ** where repeated. */
  S_expect(PACK(Q_A, R_ALWAYS ",{'id':'r','when':true,'cite':['nope','nope'],"
                              "'because':'b'}"),
           "rule \"r\" cites passage \"nope\" twice", "/rules/1/cite/1");
  S_expect(PACK(Q_A, R_ALWAYS ",{'id':'r','when':true,'cite':['nope','nope'],"
                              "'because':'b'}"),
           "unknown passage id \"nope\"", "/rules/1/cite/0");
  /* No questions: one empty path, cited by the rule that always fires. */
  S_expect(PACK("", R_ALWAYS), NULL, NULL);
}

/* A pointer index of two digits. */
static void test_index_digits(void **state) {
  char pack[8192], rules[6000];
  size_t i, n = 0;

  (void)state;
  for (i = 0; i < 11; i++)
    n += (size_t)snprintf(rules + n, sizeof rules - n,
                          "%s{'id':'r%zu','when':%s,'cite':['cd-onset'],"
                          "'because':'b'}",
                          i ? "," : "", i, i == 10 ? "{'var':'zz'}" : "true");
  snprintf(pack, sizeof pack, PACK(Q_A, "%s"), rules);
  S_expect(pack, "var \"zz\" names no question", "/rules/10/when/var");
}

/* A multi question of 23 options has 2^23 - 1 answers, over the budget. */
static void test_multi_over_budget(void **state) {
  char pack[4096], opts[2048];
  size_t i, n = 0;

  (void)state;
  for (i = 0; i < 23; i++)
    n += (size_t)snprintf(opts + n, sizeof opts - n,
                          "%s{'code':'c%zu','label':'C%zu'}", i ? "," : "", i,
                          i);
  snprintf(
      pack, sizeof pack,
      PACK("{'id':'m','type':'multi','text':'M?','options':[%s]}", R_ALWAYS),
      opts);
  S_expect(pack,
           "exhaustive check too large: over 5000000 answer paths in the "
           "questions connected to \"m\"",
           "/questions/0");
}

/* Two questions of 70 options read by one rule: 71 * 71 memo entries are
** over the memo's limit, and the check still runs (4900 paths). */
static void test_memo_too_large(void **state) {
  char pack[16384], a[4096], b[4096];
  size_t i, na = 0, nb = 0;
  cdg_pack *p;
  cdg_lint *lint = NULL;

  (void)state;
  for (i = 0; i < 70; i++) {
    na += (size_t)snprintf(a + na, sizeof a - na,
                           "%s{'code':'c%zu','label':'A%zu'}", i ? "," : "", i,
                           i);
    nb += (size_t)snprintf(b + nb, sizeof b - nb,
                           "%s{'code':'c%zu','label':'B%zu'}", i ? "," : "", i,
                           i);
  }
  snprintf(pack, sizeof pack,
           PACK("{'id':'a','type':'single','text':'A?','options':[%s]},"
                "{'id':'b','type':'single','text':'B?','options':[%s]}",
                R_ALWAYS "," RULE1("{'==':[{'var':'a'},{'var':'b'}]}")),
           a, b);
  p = linttest_load(pack);
  assert_int_equal(cdg_lint_enumerate(p, linttest_ps, &lint), CDG_OK);
  linttest_clean(lint, 4900, "70 x 70 codes");
  cdg_lint_free(lint);
  cdg_pack_free(p);
}

/* Without passages the ids are not checked; NULL is an empty lint. */
static void test_no_passages(void **state) {
  cdg_pack *pack = linttest_load(
      PACK(Q_A, "{'id':'r','when':true,'cite':['no-such'],'because':'b'}"));
  cdg_lint *lint = NULL;

  (void)state;
  assert_int_equal(cdg_lint_enumerate(pack, NULL, &lint), CDG_OK);
  assert_int_equal(cdg_lint_count(lint), 0);
  assert_int_equal(cdg_lint_paths(lint), 2);
  assert_null(cdg_lint_error(lint, 0));
  cdg_lint_free(lint);
  cdg_pack_free(pack);
  assert_int_equal(cdg_lint_count(NULL), 0);
  assert_null(cdg_lint_error(NULL, 0));
  assert_int_equal(cdg_lint_paths(NULL), 0);
  assert_int_equal(cdg_lint_enumerated(NULL), 0);
  assert_int_equal(cdg_lint_proved(NULL), 0);
  cdg_lint_free(NULL);
}

/* Two questions of two options read together: 4 paths, over a budget of
** 3; the rule reading them is then not reported as never firing. */
static void test_path_budget(void **state) {
  (void)state;
  lint_set_budget(3);
  S_expect(PACK(Q_A ",{'id':'b','type':'single','text':'B?','options':["
                    "{'code':'x','label':'X'},{'code':'y','label':'Y'}]}",
                R_ALWAYS "," RULE1("{'==':[{'var':'b'},{'var':'a'}]}")),
           "exhaustive check too large: over 3 answer paths in the questions "
           "connected to \"a\"",
           "/questions/0");
  lint_set_budget(0); /* back to the default */
  S_expect(PACK(Q_A ",{'id':'b','type':'single','text':'B?','options':["
                    "{'code':'x','label':'X'},{'code':'y','label':'Y'}]}",
                R_ALWAYS "," RULE1("{'==':[{'var':'b'},{'var':'a'}]}")),
           NULL, NULL);
}

/* Seventeen findings: more than the first allocation of 16 holds. */
static void test_many_findings(void **state) {
  char pack[8192], rules[6000];
  size_t i, n = 0;

  (void)state;
  for (i = 0; i < 17; i++)
    n += (size_t)snprintf(rules + n, sizeof rules - n,
                          "%s{'id':'r%zu','when':true,'cite':['nope'],"
                          "'because':'b'}",
                          i ? "," : "", i);
  snprintf(pack, sizeof pack, PACK(Q_A, "%s"), rules);
  S_expect(pack, "unknown passage id \"nope\"", "/rules/16/cite/0");
}

/* Operators whose names need escaping in a pointer (RFC 6901: / as ~1),
** names in reduce that are neither current nor accumulator but as long,
** a dotted name whose first part is too long to be a question id, and a
** comparison with a var that is not a name. */
static void test_names_and_escapes(void **state) {
  (void)state;
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'/':[{'var':'zz'},1]}")),
           "var \"zz\" names no question", "/rules/1/when/~1/0/var");
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'reduce':[[1],{'var':'currenx'},0]}")),
           "var \"currenx\" inside \"reduce\" reads the current element, not "
           "a question",
           "/rules/1/when/reduce/1/var");
  S_expect(
      PACK(Q_A, R_ALWAYS "," RULE1("{'reduce':[[1],{'var':'accumulatox'},0]}")),
      "var \"accumulatox\" inside \"reduce\" reads the current element, "
      "not a question",
      "/rules/1/when/reduce/1/var");
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'!!':[{'var':'" S_250 S_50 ".b'}]}")),
           "var \"" S_250 S_50 ".b\" names no question",
           "/rules/1/when/!!/0/var");
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'==':[{'var':5},'x']}")),
           "var 5 names no question", "/rules/1/when/==/0/var");
}

/* Findings so deep that their pointers are cut to the same ancestor: they
** share a position and keep the order they were found in. */
static void test_same_position(void **state) {
  char when[4096], pack[8192];
  size_t i, n = 0, zz = 0, yy = 0;
  cdg_pack *p;
  cdg_lint *lint = NULL;
  const cdg_error *a, *b;

  (void)state;
  for (i = 0; i < 70; i++)
    n += (size_t)snprintf(when + n, sizeof when - n, "{'missing_some':[1,");
  n += (size_t)snprintf(when + n, sizeof when - n, "['zz','yy']");
  for (i = 0; i < 70; i++)
    n += (size_t)snprintf(when + n, sizeof when - n, "]}");
  snprintf(pack, sizeof pack, PACK(Q_A, R_ALWAYS "," RULE1("%s")), when);
  p = linttest_load(pack);
  assert_int_equal(cdg_lint_enumerate(p, linttest_ps, &lint), CDG_OK);
  for (i = 0; i < cdg_lint_count(lint); i++) {
    const char *m = cdg_lint_error(lint, i)->message;
    if (strcmp(m, "missing_some \"zz\" names no question") == 0)
      zz = i + 1;
    if (strcmp(m, "missing_some \"yy\" names no question") == 0)
      yy = i + 1;
  }
  if (!zz || !yy) {
    linttest_print(lint);
    fail_msg("want findings for zz and yy");
  }
  a = cdg_lint_error(lint, zz - 1);
  b = cdg_lint_error(lint, yy - 1);
  assert_string_equal(a->pointer, b->pointer);
  assert_int_equal(a->line, b->line);
  assert_int_equal(a->col, b->col);
  assert_true(zz < yy); /* zz was found first */
  cdg_lint_free(lint);
  cdg_pack_free(p);
}

/* Silent paths: one through two options of a multi (written with a
** comma), one in a pack with no rules; literals outside a number's range
** are not answers; a name in an iteration that is not an index. */
static void test_more_paths(void **state) {
  (void)state;
  S_expect(PACK(Q_M, RULE1("{'!':{'and':[{'in':['p',{'var':'m'}]},"
                          "{'in':['q',{'var':'m'}]}]}}")),
           "some complete answer paths cite no passage, e.g. "
           "{\"m\":[\"p\",\"q\"]}",
           "/rules");
  S_expect(PACK(Q_A, ""),
           "some complete answer paths cite no passage, e.g. {\"a\":\"x\"}",
           "/rules");
  S_expect(PACK(Q_N, R_ALWAYS "," RULE1("{'or':[{'>':[{'var':'n'},20]},"
                                       "{'<':[{'var':'n'},-5]}]}")),
           "rule \"r\" can never fire", "/rules/1/when");
  S_expect(PACK(Q_A, R_ALWAYS "," RULE1("{'some':[[1],{'var':'1-'}]}")),
           "var \"1-\" inside \"some\" reads the current element, not a "
           "question",
           "/rules/1/when/some/1/var");
}

/* Index of the first finding with this message, or the count. */
static size_t S_index_of(const cdg_lint *lint, const char *message) {
  size_t i;

  for (i = 0; i < cdg_lint_count(lint); i++)
    if (strcmp(cdg_lint_error(lint, i)->message, message) == 0)
      break;
  return i;
}

/* Findings come sorted by line: a question that can never be enabled
** (found last, on line 2) before an unknown passage in a rule (found
** first, on line 3). */
static void test_sorted_by_line(void **state) {
  cdg_pack *p;
  cdg_lint *lint = NULL;
  size_t q, r;

  (void)state;
  p = linttest_load("{'id':'t','version':'1.0.0','title':'T','source':{'title':'S',"
             "'publisher':'NICE','sha256':'" SHA "'},\n'questions':[" Q_A
             ",{'id':'b','type':'text','text':'B?','enable_when':"
             "{'==':[{'var':'a'},'w']}}],\n'rules':[{'id':'r','when':true,"
             "'cite':['nope'],'because':'b'}]}");
  assert_int_equal(cdg_lint_enumerate(p, linttest_ps, &lint), CDG_OK);
  q = S_index_of(lint, "question \"b\" can never be enabled");
  r = S_index_of(lint, "unknown passage id \"nope\"");
  if (q == cdg_lint_count(lint) || r == cdg_lint_count(lint)) {
    linttest_print(lint);
    fail_msg("want both findings");
  }
  assert_int_equal(cdg_lint_error(lint, q)->line, 2);
  assert_int_equal(cdg_lint_error(lint, r)->line, 3);
  assert_true(q < r);
  cdg_lint_free(lint);
  cdg_pack_free(p);
}

/* A rule whose questions are over the budget is undecided, not reported
** as never firing: budget 2 stops before the only path that fires it. */
static void test_budget_hides_rule(void **state) {
  cdg_pack *p;
  cdg_lint *lint = NULL;

  (void)state;
  p = linttest_load(PACK(Q_A ",{'id':'b','type':'single','text':'B?','options':["
                      "{'code':'x','label':'X'},{'code':'y','label':'Y'}]}",
                  R_ALWAYS "," RULE1("{'and':[{'==':[{'var':'a'},'y']},"
                                    "{'==':[{'var':'b'},'y']}]}")));
  lint_set_budget(2);
  assert_int_equal(cdg_lint_enumerate(p, linttest_ps, &lint), CDG_OK);
  lint_set_budget(0);
  if (S_index_of(lint,
                 "exhaustive check too large: over 2 answer paths in "
                 "the questions connected to \"a\"") == cdg_lint_count(lint) ||
      S_index_of(lint, "rule \"r\" can never fire") != cdg_lint_count(lint)) {
    linttest_print(lint);
    fail_msg("want the budget finding and no never-fires finding");
  }
  cdg_lint_free(lint);
  cdg_pack_free(p);
}

/* Seven unconnected questions of 1000 options: 1000^7 complete paths,
** more than an unsigned long long holds, so the count saturates. */
static void test_paths_saturate(void **state) {
  size_t cap = 300000, n = 0, i, j;
  char *pack = malloc(cap);
  cdg_pack *p;
  cdg_lint *lint = NULL;

  (void)state;
  assert_non_null(pack);
  n += (size_t)snprintf(pack + n, cap - n,
                        "{'id':'t','version':'1.0.0','title':'T','source':{"
                        "'title':'S','publisher':'NICE','sha256':'" SHA
                        "'},'questions':[");
  for (i = 0; i < 7; i++) {
    n += (size_t)snprintf(pack + n, cap - n,
                          "%s{'id':'q%zu','type':'single','text':'Q?',"
                          "'options':[",
                          i ? "," : "", i);
    for (j = 0; j < 1000; j++)
      n += (size_t)snprintf(pack + n, cap - n,
                            "%s{'code':'c%zu','label':'C%zu'}", j ? "," : "", j,
                            j);
    n += (size_t)snprintf(pack + n, cap - n, "]}");
  }
  snprintf(pack + n, cap - n, "],'rules':[" R_ALWAYS "]}");
  assert_true(n + 100 < cap);
  p = linttest_load(pack);
  free(pack);
  assert_int_equal(cdg_lint_enumerate(p, linttest_ps, &lint), CDG_OK);
  assert_int_equal(cdg_lint_count(lint), 0);
  assert_true(cdg_lint_paths(lint) == ULLONG_MAX);
  cdg_lint_free(lint);
  cdg_pack_free(p);
}

/* A silent path through four options of 60 letters: the answer alone is
** over CDG_LINT_EXAMPLE_MAX (200), so the example is only "{...}". */
static void test_long_example(void **state) {
  char opts[1024], when[1024], pack[4096], code[61];
  size_t i, no = 0, nw = 0;

  (void)state;
  code[60] = '\0';
  nw += (size_t)snprintf(when, sizeof when, "{'!':{'and':[");
  for (i = 0; i < 5; i++) {
    memset(code, (int)('a' + i), 60);
    no += (size_t)snprintf(opts + no, sizeof opts - no,
                           "%s{'code':'%s','label':'%c'}", i ? "," : "", code,
                           (int)('A' + i));
    if (i < 4)
      nw += (size_t)snprintf(when + nw, sizeof when - nw,
                             "%s{'in':['%s',{'var':'m'}]}", i ? "," : "", code);
  }
  snprintf(when + nw, sizeof when - nw, "]}}");
  snprintf(
      pack, sizeof pack,
      PACK("{'id':'m','type':'multi','text':'M?','options':[%s]}", RULE1("%s")),
      opts, when);
  S_expect(pack, "some complete answer paths cite no passage, e.g. {...}",
           "/rules");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_var_forms),
      cmocka_unit_test(test_missing_forms),
      cmocka_unit_test(test_scopes),
      cmocka_unit_test(test_comparisons),
      cmocka_unit_test(test_silent_examples),
      cmocka_unit_test(test_odd_forms),
      cmocka_unit_test(test_more_forms),
      cmocka_unit_test(test_index_digits),
      cmocka_unit_test(test_multi_over_budget),
      cmocka_unit_test(test_memo_too_large),
      cmocka_unit_test(test_no_passages),
      cmocka_unit_test(test_path_budget),
      cmocka_unit_test(test_many_findings),
      cmocka_unit_test(test_names_and_escapes),
      cmocka_unit_test(test_same_position),
      cmocka_unit_test(test_more_paths),
      cmocka_unit_test(test_sorted_by_line),
      cmocka_unit_test(test_budget_hides_rule),
      cmocka_unit_test(test_paths_saturate),
      cmocka_unit_test(test_long_example),
  };

  return cmocka_run_group_tests(tests, linttest_setup, linttest_teardown);
}
