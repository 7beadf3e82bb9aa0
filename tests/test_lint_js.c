/*
** test_lint_js.c: the checker's abstraction of number and text answers
** keeps JavaScript's == (json-logic-js, node: "3" == 3 and "1" == 1 are
** true, Number(" 1") is 1), and a text answer is never "" (answers.c
** rejects it). Each pack is checked three ways: the symbolic checker,
** cdg_lint_run as shipped (small packs enumerated), and the enumeration.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdg_limits.h"
#include "cdg_rules.h"
#include "linttest.h"
#include "pack.h" /* lint_set_probe */

#define SHA "25a7936f8257a0ff7bbdcd9daa319262c0ea914c94d5bbe64bf2968c2801b20d"
#define PACK(questions, rules)                                              \
  "{'id':'t','version':'1.0.0','title':'T','source':{'title':'S',"          \
  "'publisher':'NICE','sha256':'" SHA "'},'questions':[" questions          \
  "],'rules':[{'id':'always','when':true,'cite':['cd-what-it-is'],"         \
  "'because':'b'}," rules "]}"
#define RULE(when) "{'id':'r','when':" when ",'cite':['cd-onset'],'because':'b'}"
#define Q_N "{'id':'n','type':'number','text':'N?','min':0,'max':10}"
#define Q_T "{'id':'t','type':'text','text':'T?'}"
#define Q_TOPT "{'id':'t','type':'text','text':'T?','required':false}"

static cdg_passages *S_ps;

static int S_setup(void **state) {
  cdg_error err;

  (void)state;
  return cdg_passages_builtin(&S_ps, &err) == CDG_OK ? 0 : -1;
}

static int S_teardown(void **state) {
  (void)state;
  cdg_passages_free(S_ps);
  return 0;
}

/* The findings of one way (0 symbolic, 1 as shipped, 2 enumeration),
** joined by "|". */
static void S_findings(const char *quoted, int how, char *out, size_t size) {
  cdg_pack *pack = linttest_load(quoted);
  cdg_lint *lint = NULL;
  size_t i, n = 0;

  lint_set_probe(how == 0 ? 0 : CDG_LINT_PROBE);
  assert_int_equal(how == 2 ? cdg_lint_enumerate(pack, S_ps, &lint)
                            : cdg_lint_run(pack, S_ps, &lint),
                   CDG_OK);
  lint_set_probe(CDG_LINT_PROBE);
  out[0] = '\0';
  for (i = 0; i < cdg_lint_count(lint); i++)
    n += (size_t)snprintf(out + n, size - n, "%s%s", i ? "|" : "",
                          cdg_lint_error(lint, i)->message);
  assert_true(n < size);
  cdg_lint_free(lint);
  cdg_pack_free(pack);
}

/* All three ways report exactly want ("" for none). */
static void S_want(const char *quoted, const char *want) {
  static const char *const way[] = {"symbolic", "as shipped", "enumeration"};
  char got[2048];
  int how;

  for (how = 0; how < 3; how++) {
    S_findings(quoted, how, got, sizeof got);
    if (strcmp(got, want) != 0)
      fail_msg("%s: got \"%s\", want \"%s\"", way[how], got, want);
  }
}

#define NUM_STR "question \"n\" is a number, compared with string \"3\""

/* n == "3" is n == 3 in JavaScript: the rule fires on n = 3. Only the
** static pass's remark on the string stays. */
static void test_number_equals_numeric_string(void **state) {
  (void)state;
  S_want(PACK(Q_N, RULE("{'==':[{'var':'n'},'3']}")), NUM_STR);
  S_want(PACK(Q_N, RULE("{'!=':[{'var':'n'},'3']}")), NUM_STR);
  /* Strict: never equal, whatever the answer. */
  S_want(PACK(Q_N, RULE("{'===':[{'var':'n'},'3']}")),
         "rule \"r\" can never fire|" NUM_STR);
  /* Above "2" and below "5": 3, say; the cuts are the numbers. */
  S_want(PACK(Q_N, RULE("{'and':[{'>':[{'var':'n'},'2']},{'<':[{'var':"
                        "'n'},'5']}]}")),
         "question \"n\" is a number, compared with string \"2\"|"
         "question \"n\" is a number, compared with string \"5\"");
  /* An enable_when too: x is enabled by n = 3. */
  S_want(PACK(Q_N ",{'id':'x','type':'single','text':'X?','options':[{"
              "'code':'a','label':'A'}],'enable_when':{'==':['3',{'var':"
              "'n'}]}}", RULE("{'==':[{'var':'x'},'a']}")),
         "question \"n\" is a number, compared with string \"3\"");
}

/* t == 1 holds for the text "1" (Number("1") is 1). */
static void test_text_equals_number(void **state) {
  (void)state;
  S_want(PACK(Q_T, RULE("{'==':[{'var':'t'},1]}")), "");
  S_want(PACK(Q_T, RULE("{'!=':[1,{'var':'t'}]}")), "");
  S_want(PACK(Q_T, RULE("{'===':[{'var':'t'},1]}")),
         "rule \"r\" can never fire");
  /* Equal to 1 but not the text "1": " 1" is such a text. */
  S_want(PACK(Q_T, RULE("{'and':[{'==':[{'var':'t'},1]},{'!=':[{'var':"
                        "'t'},'1']}]}")), "");
  /* Equal to 1 and to 2 at once: no text. */
  S_want(PACK(Q_T, RULE("{'and':[{'==':[{'var':'t'},1]},{'==':[{'var':"
                        "'t'},2]}]}")),
         "rule \"r\" can never fire");
}

/* A text answer is never "": t == "" never holds, required or not (an
** absent answer is null, and null == "" is false). */
static void test_text_never_empty(void **state) {
  (void)state;
  S_want(PACK(Q_T, RULE("{'==':[{'var':'t'},'']}")),
         "rule \"r\" can never fire");
  S_want(PACK(Q_TOPT, RULE("{'==':[{'var':'t'},'']}")),
         "rule \"r\" can never fire");
  /* Some text is neither "a" nor "other": the checker's other text is
  ** not taken from the constants. */
  S_want(PACK(Q_T, RULE("{'and':[{'!=':[{'var':'t'},'a']},{'!=':[{'var':"
                        "'t'},'other']}]}")), "");
  /* Every answer is "a" or not: the rule fires on every path. */
  S_want(PACK(Q_T, RULE("{'or':[{'==':[{'var':'t'},'a']},{'!=':[{'var':"
                        "'t'},'a']}]}")), "");
}

/* Leaves of one shape share a table only over questions of the same
** answers (lint_share.c): here the shapes match, the answers do not. */
static void test_shared_tables(void **state) {
  (void)state;
  /* b's range ends at 4: b > 5 never holds, though a > 5 does; both
  ** have five representatives (0 2.5 5 7.5 10; -10 -5 0 2 4). */
  S_want(PACK("{'id':'a','type':'number','text':'A?','min':0,'max':10},"
              "{'id':'b','type':'number','text':'B?','min':-10,'max':4}",
              "{'id':'ra','when':{'>':[{'var':'a'},5]},'cite':['cd-onset'],"
              "'because':'b'},{'id':'rb','when':{'>':[{'var':'b'},5]},"
              "'cite':['cd-onset'],'because':'b'}"),
         "rule \"rb\" can never fire");
  /* z is exclusive in m only: p and z together in m never. */
  S_want(PACK("{'id':'m','type':'multi','text':'M?','options':[{'code':'p',"
              "'label':'P'},{'code':'z','label':'Z','exclusive':true}]},"
              "{'id':'k','type':'multi','text':'K?','options':[{'code':'p',"
              "'label':'P'},{'code':'z','label':'Z'}]}",
              "{'id':'rm','when':{'and':[{'in':['p',{'var':'m'}]},{'in':['z',"
              "{'var':'m'}]}]},'cite':['cd-onset'],'because':'b'},{'id':'rk',"
              "'when':{'and':[{'in':['p',{'var':'k'}]},{'in':['z',{'var':'k'}"
              "]}]},'cite':['cd-onset'],'because':'b'}"),
         "rule \"rm\" can never fire");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_number_equals_numeric_string),
      cmocka_unit_test(test_text_equals_number),
      cmocka_unit_test(test_text_never_empty),
      cmocka_unit_test(test_shared_tables),
  };

  return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
