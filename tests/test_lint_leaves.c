/*
** test_lint_leaves.c: what the symbolic checker (lint_abs.c) decides
** exactly, leaf by leaf: which shapes of what a condition reads it
** tabulates and which it reports as not decided, texts no answer can
** hold, numbers with one bound, packs without rules or questions. Each
** expectation is worked out from the answers a pack allows (answers.c).
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
#define PACK(questions, rules)                                              \
  "{'id':'t','version':'1.0.0','title':'T','source':{'title':'S',"          \
  "'publisher':'NICE','sha256':'" SHA "'},'questions':[" questions          \
  "],'rules':[" rules "]}"
#define Q_N "{'id':'n','type':'number','text':'N?','min':0,'max':10}"
#define R_ALWAYS                                                            \
  "{'id':'always','when':true,'cite':['cd-what-it-is'],'because':'b'}"

static cdg_passages *S_ps;

static int S_setup(void **state) {
  /* cdg_lint_run would settle these small packs by enumeration: the tests
  ** here are of the symbolic checker itself. */
  lint_set_probe(0);
  if (linttest_setup(state) != 0)
    return -1;
  S_ps = linttest_ps;
  return 0;
}

/* Whether the checker decides a leaf exactly, by the shape of what it
** reads: 1 when rule r of the pack of s (single), m (multi), n (number
** 0..10), t (text), w (a multi of 14 options, read option by option) and
** v (a multi of 12 options, 4096 subsets) is reported as not decided. */
static int S_undecided(const char *when) {
  static const char *const opts14 =
      "[{'code':'c0','label':'0'},{'code':'c1','label':'1'},{'code':'c2',"
      "'label':'2'},{'code':'c3','label':'3'},{'code':'c4','label':'4'},"
      "{'code':'c5','label':'5'},{'code':'c6','label':'6'},{'code':'c7',"
      "'label':'7'},{'code':'c8','label':'8'},{'code':'c9','label':'9'},"
      "{'code':'ca','label':'a'},{'code':'cb','label':'b'}";
  char pk[8192];
  cdg_pack *pack;
  cdg_lint *lint = NULL;
  int found;

  snprintf(pk, sizeof pk,
           PACK("{'id':'s','type':'single','text':'S?','options':[{'code':"
                "'x','label':'X'},{'code':'y','label':'Y'}]},{'id':'m',"
                "'type':'multi','text':'M?','options':[{'code':'x','label':"
                "'X'},{'code':'y','label':'Y'},{'code':'z','label':'Z'}]},"
                Q_N ",{'id':'t','type':'text','text':'T?'},{'id':'w','type':"
                "'multi','text':'W?','options':%s,{'code':'cc','label':'c'},"
                "{'code':'cd','label':'d'}]},{'id':'v','type':'multi','text':"
                "'V?','options':%s]}",
                R_ALWAYS ",{'id':'r','when':%s,'cite':['cd-onset'],"
                "'because':'b'}"),
           opts14, opts14, when);
  pack = linttest_load(pk);
  assert_int_equal(cdg_lint_run(pack, S_ps, &lint), CDG_OK);
  found = linttest_has(lint, "/rules/1/when",
                       "rule \"r\" is not decided exactly by the ");
  cdg_lint_free(lint);
  cdg_pack_free(pack);
  return found;
}

static void test_decided_shapes(void **state) {
  static const struct {
    const char *when;
    int undecided;
  } rows[] = {
      /* names the checker cannot bound */
      {"{'var':1}", 1},                    /* an index: whatever is there */
      {"{'var':{'cat':['s']}}", 1},        /* a computed name */
      {"{'!!':{'var':''}}", 1},            /* the whole data */
      {"{'==':[{'var':'n.x'},1]}", 1},     /* inside a number */
      {"{'==':[{'var':['n',5]},1]}", 1},   /* a default for a number */
      {"{'var':[]}", 0},                   /* names nothing */
      {"{'var':'s.x'}", 0},                /* a single's answer has no x */
      {"{'var':'zz'}", 0},                 /* no such question: null */
      /* numbers and text other than against constants */
      {"{'<':[{'var':'t'},'b']}", 1},      /* text ordered */
      {"{'==':[{'var':'n'},{'var':'n'}]}", 1},
      {"{'in':[{'var':'n'},[3,'a']]}", 1},
      {"{'in':[{'var':'t'},['a',1]]}", 1},
      {"{'in':[{'var':'t'},['a','b']]}", 0},
      {"{'in':[{'var':'n'},[3,4]]}", 0},
      {"{'some':[{'var':'n'},true]}", 1},  /* a number as a list */
      {"{'some':{'var':'n'}}", 1},
      {"{'==':[{'var':'s'}]}", 0},         /* one argument */
      {"{'in':['x','xyz']}", 0},           /* constants only */
      /* missing and missing_some of what is not a list of names */
      {"{'missing_some':[1]}", 1},
      {"{'missing_some':5}", 1},
      {"{'missing':5}", 1},
      {"{'missing':[5]}", 1},
      {"{'missing':'s'}", 0},
      {"{'missing':[['s','m']]}", 0},
      {"{'missing_some':[1,'s']}", 0},
      /* the iteration operators over a multi */
      {"{'some':[{'var':'m'}]}", 0},
      {"{'reduce':[{'var':'m'},{'+':[{'var':'current'},1]},0]}", 0},
      /* a multi too wide for a table: read by option, or not at all */
      {"{'in':['c0',{'var':'w'}]}", 0},
      {"{'!':{'in':['cd',{'var':'w'}]}}", 0},
      {"{'in':['zz',{'var':'w'}]}", 1},    /* no option: no leaf by option */
      {"{'==':[{'var':'w'},'c0']}", 1},
      {"{'in':['c0',{'var':'v'}]}", 0},    /* 4096 rows: tabulated */
      {"{'==':[{'var':'v'},{'var':'s'}]}", 1}, /* 4096 x 3 rows */
      /* and/or/!/if of nothing are leaves; if of one is that one */
      {"{'and':[]}", 0},
      {"{'!':[]}", 0},
      {"{'if':[]}", 0},
      {"{'if':[{'var':'n'}]}", 0},
      {"{'?:':[{'var':'s'},{'var':'n'}]}", 0},
      /* a var with a default is plain for a choice, not for a number */
      {"{'var':['n',5]}", 1},
      {"{'var':['s','x']}", 0},
      {"{'var':[null]}", 0},
      {"{'==':[{'var':'t.x'},'a']}", 1},   /* inside a text */
      /* compared with what is not a plain var of a question */
      {"{'==':[{'var':['s','x']},'x']}", 0},
      {"{'==':[{'var':[1]},'x']}", 1},
      {"{'==':[{'cat':{'var':'s'}},'x']}", 0},
      {"{'cat':'x'}", 0},
      {"{'==':[{'var':'n'},1,2,3]}", 1},   /* four arguments: no comparison */
      {"{'in':[{'cat':['x']},['x']]}", 0},
      {"{'in':[{'var':'s'},['x','y']]}", 0},
      {"{'in':[{'var':'m'},['x']]}", 0},
      {"{'missing_some':[]}", 1},
      {"{'some':[]}", 0},
      /* the wide multi by option only as {"in": [code, var]} */
      {"{'in':[{'var':'w'},['c0']]}", 1},
      {"{'in':['c0',{'var':'w'},3]}", 1},
      {"{'in':['c0',{'var':['w']}]}", 0},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof rows / sizeof *rows; i++)
    if (S_undecided(rows[i].when) != rows[i].undecided)
      fail_msg("%s: expected %s", rows[i].when,
               rows[i].undecided ? "not decided" : "decided");
}

/* Answers no text answer can hold (answers.c: not empty, no control
** characters, at most 2000 bytes): a rule that needs one never fires. */
static void test_text_no_answer_holds(void **state) {
  static char big[2100], pk[8192];
  static const char *const consts[] = {"a\\u0001b", "a\\u007fb", big};
  size_t i;

  (void)state;
  memset(big, 'x', 2001);
  for (i = 0; i < 3; i++) {
    snprintf(pk, sizeof pk, PACK("{'id':'t','type':'text','text':'T?'}",
                                 R_ALWAYS ",{'id':'r','when':{'==':[{'var':"
                                 "'t'},'%s']},'cite':['cd-onset'],"
                                 "'because':'b'}"),
             consts[i]);
    linttest_expect(S_ps, pk, "rule \"r\" can never fire", "/rules/1/when");
  }
  /* "other", the checker's own name for any other text, is a constant
  ** here: the other text is then "other_", so both rules can fire and
  ** every path cites one of them: no finding */
  {
    cdg_pack *pack = linttest_load(PACK(
        "{'id':'t','type':'text','text':'T?'}",
        "{'id':'a','when':{'==':[{'var':'t'},'other']},'cite':['cd-onset'],"
        "'because':'b'},{'id':'b','when':{'!=':[{'var':'t'},'other']},"
        "'cite':['cd-what-it-is'],'because':'b'}"));
    cdg_lint *lint = NULL;

    assert_int_equal(cdg_lint_run(pack, S_ps, &lint), CDG_OK);
    linttest_print(lint);
    assert_int_equal(cdg_lint_count(lint), 0);
    cdg_lint_free(lint);
    cdg_pack_free(pack);
  }
}

/* A number with one bound only: the other side is open. */
static void test_one_bound(void **state) {
  (void)state;
  linttest_expect(S_ps,
                  PACK("{'id':'n','type':'number','text':'N?','min':5}",
                       R_ALWAYS
                       ",{'id':'r','when':{'<':[{'var':'n'},5]},'cite':["
                       "'cd-onset'],'because':'b'}"),
                  "rule \"r\" can never fire", "/rules/1/when");
  linttest_expect(S_ps,
                  PACK("{'id':'n','type':'number','text':'N?','max':3}",
                       R_ALWAYS
                       ",{'id':'r','when':{'>':[{'var':'n'},3]},'cite':["
                       "'cd-onset'],'because':'b'}"),
                  "rule \"r\" can never fire", "/rules/1/when");
}

/* A pack without rules, or without questions: its one complete path
** cites nothing, and the example says which. */
static void test_empty_lists(void **state) {
  (void)state;
  linttest_expect(
      S_ps,
      PACK("{'id':'a','type':'single','text':'A?','options':[{'code':"
           "'x','label':'X'}]}",
           ""),
      "some complete answer paths cite no passage, e.g. {\"a\":\"x\"}",
      "/rules");
  linttest_expect(S_ps,
                  PACK("", "{'id':'r','when':{'var':'zz'},'cite':['cd-onset'],"
                           "'because':'b'}"),
                  "some complete answer paths cite no passage, e.g. {}",
                  "/rules");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_decided_shapes),
      cmocka_unit_test(test_text_no_answer_holds),
      cmocka_unit_test(test_one_bound),
      cmocka_unit_test(test_empty_lists),
  };

  return cmocka_run_group_tests(tests, S_setup, linttest_teardown);
}
