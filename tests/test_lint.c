/*
** test_lint.c: the pack linter, one finding kind per test on small inline
** packs, then the built-in pack and allocation failures; test_lint_forms.c
** has the forms of var and missing the linter reads. These pin down the
** path enumeration (cdg_lint_enumerate), the oracle of the symbolic
** checker (test_lint_sym.c). Packs are written with ' for " to stay
** readable (lintpack.h); S_lint swaps them before loading. Expected
** messages, pointers and path counts are worked out by hand from the
** packs.
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

#include "cdg_rules.h"
#include "fixture.h"
#include "json.h"
#include "failalloc.h"
#include "linttest.h"
#include "lintpack.h"
#include "pack.h" /* lint_set_budget */
#include "testfile.h"

#define RULE(id, when)                                                      \
  "{'id':'" id "','when':" when ",'cite':['cd-onset'],'because':'b'}"

/* Load JSON text as t.json and lint it; the pack must load. */
static cdg_lint *S_lint_json(const char *json) {
  cdg_pack *pack = NULL;
  cdg_lint *lint = NULL;
  cdg_error err;
  char line[1024];

  if (cdg_pack_load(json, strlen(json), "t.json", &pack, &err) != CDG_OK) {
    cdg_error_format(&err, line, sizeof line);
    fail_msg("pack did not load: %s\n%s", line, json);
  }
  assert_int_equal(cdg_lint_enumerate(pack, linttest_ps, &lint), CDG_OK);
  cdg_pack_free(pack);
  return lint;
}

/* The same for a pack written with ' for " (linttest_load). */
static cdg_lint *S_lint(const char *quoted) {
  cdg_pack *pack = linttest_load(quoted);
  cdg_lint *lint = NULL;

  assert_int_equal(cdg_lint_enumerate(pack, linttest_ps, &lint), CDG_OK);
  cdg_pack_free(pack);
  return lint;
}

/* Finding i has this message and pointer, and a position in t.json. */
static void S_finding(const cdg_lint *lint, size_t i, const char *message,
                      const char *pointer) {
  const cdg_error *e = cdg_lint_error(lint, i);

  assert_non_null(e);
  if (strcmp(e->message, message) != 0 || strcmp(e->pointer, pointer) != 0) {
    linttest_print(lint);
    fail_msg("finding %zu: want \"%s\" at %s", i, message, pointer);
  }
  assert_string_equal(e->file, "t.json");
  assert_true(e->line == 1 && e->col > 1);
}

/* The pack has exactly one finding. */
static void S_one(const char *pack, const char *message,
                  const char *pointer) {
  cdg_lint *lint = S_lint(pack);

  if (cdg_lint_count(lint) != 1) {
    linttest_print(lint);
    fail_msg("want exactly one finding: \"%s\" at %s", message, pointer);
  }
  S_finding(lint, 0, message, pointer);
  cdg_lint_free(lint);
}

/* The pack lints clean with this many complete answer paths. */
static void S_clean(const char *pack, unsigned long long paths) {
  cdg_lint *lint = S_lint(pack);

  linttest_clean(lint, paths, pack);
  cdg_lint_free(lint);
}

/* ---- Duplicates ------------------------------------------------------- */

/* Ten passages, the last one again: lists this long are hashed. */
#define TEN_IDS                                                             \
  "'nice-guidance-issued','cd-what-it-is','cd-onset','cd-may-persist',"     \
  "'cd-recovery','cd-muscle-groups','cd-postures','cd-cause',"              \
  "'cd-children','standard-treatment','cd-postures'"

static void test_duplicate_cite(void **state) {
  (void)state;
  S_one(PACK(Q_A, R_ALWAYS ",{'id':'r','when':true,'cite':['cd-onset',"
                           "'cd-onset'],'because':'b'}"),
        "rule \"r\" cites passage \"cd-onset\" twice", "/rules/1/cite/1");
  S_one(PACK(Q_A, R_ALWAYS ",{'id':'r','when':true,'cite':[" TEN_IDS
                           "],'because':'b'}"),
        "rule \"r\" cites passage \"cd-postures\" twice",
        "/rules/1/cite/10");
}

static void test_duplicate_question_passage(void **state) {
  (void)state;
  S_one(PACK("{'id':'a','type':'single','text':'A?','options':[{'code':"
             "'x','label':'X'}],'passages':['cd-onset','cd-onset']}",
             R_ALWAYS),
        "question \"a\" lists passage \"cd-onset\" twice",
        "/questions/0/passages/1");
  S_one(PACK("{'id':'a','type':'single','text':'A?','options':[{'code':"
             "'x','label':'X'}],'passages':[" TEN_IDS "]}",
             R_ALWAYS),
        "question \"a\" lists passage \"cd-postures\" twice",
        "/questions/0/passages/10");
}

static void test_duplicate_label(void **state) {
  (void)state;
  S_one(PACK("{'id':'a','type':'single','text':'A?','options':[{'code':"
             "'x','label':'Same'},{'code':'y','label':'Same'}]}",
             R_ALWAYS),
        "question \"a\" has two options labelled \"Same\"",
        "/questions/0/options/1/label");
  /* Nine options, the second and the ninth alike: hashed. */
  S_one(PACK("{'id':'a','type':'single','text':'A?','options':["
             "{'code':'c1','label':'L1'},{'code':'c2','label':'Same'},"
             "{'code':'c3','label':'L3'},{'code':'c4','label':'L4'},"
             "{'code':'c5','label':'L5'},{'code':'c6','label':'L6'},"
             "{'code':'c7','label':'L7'},{'code':'c8','label':'L8'},"
             "{'code':'c9','label':'Same'}]}",
             R_ALWAYS),
        "question \"a\" has two options labelled \"Same\"",
        "/questions/0/options/8/label");
}

/* ---- Passages --------------------------------------------------------- */

static void test_unknown_cite(void **state) {
  (void)state;
  S_one(PACK(Q_A, "{'id':'r','when':true,'cite':['cd-foo'],'because':'b'}"),
        "unknown passage id \"cd-foo\"", "/rules/0/cite/0");
}

static void test_unknown_question_passage(void **state) {
  (void)state;
  S_one(PACK("{'id':'a','type':'text','text':'A?','passages':['cd-bar']}",
             R_ALWAYS),
        "unknown passage id \"cd-bar\"", "/questions/0/passages/0");
}

static void test_source_sha(void **state) {
  char *pack = strdup(PACK(Q_A, R_ALWAYS));
  char want[200];

  (void)state;
  assert_non_null(pack);
  memset(strstr(pack, SHA), '0', 64);
  snprintf(want, sizeof want,
           "source sha256 is not that of the passages' source text (%s)",
           SHA);
  S_one(pack, want, "/source/sha256");
  free(pack);
}

/* ---- Names ------------------------------------------------------------ */

static void test_var_unknown(void **state) {
  (void)state;
  /* Undefined is falsy, so the rule fires on every path: one finding. */
  S_one(PACK(Q_A, RULE("r", "{'!':[{'var':'postur.0'}]}")),
        "var \"postur.0\" names no question", "/rules/0/when/!/0/var");
}

static void test_missing_unknown(void **state) {
  (void)state;
  S_one(PACK(Q_A, RULE("r", "{'missing':['a','b2']}")),
        "missing \"b2\" names no question", "/rules/0/when/missing/1");
  S_one(PACK(Q_A, RULE("r", "{'missing_some':[2,['b2','a']]}")),
        "missing_some \"b2\" names no question",
        "/rules/0/when/missing_some/1/0");
}

static void test_var_in_scope(void **state) {
  (void)state;
  /* "" is the element, "accumulator" the running value: both fine. */
  S_clean(PACK("{'id':'p','type':'multi','text':'P?','options':[{'code':"
               "'l','label':'L'},{'code':'r','label':'R'}]}",
               RULE("some", "{'some':[{'var':'p'},{'==':[{'var':''},'l']}]}")
               "," RULE("count", "{'>':[{'reduce':[{'var':'p'},{'+':[{'var':"
                                 "'accumulator'},1]},0]},1]}")
               "," R_ALWAYS),
          3);
  /* Inside some, {"var": "p"} reads the element, never the question. */
  S_one(PACK("{'id':'p','type':'multi','text':'P?','options':[{'code':"
             "'l','label':'L'},{'code':'r','label':'R'}]}",
             RULE("r", "{'or':[true,{'some':[{'var':'p'},{'==':[{'var':'p'},"
                       "'l']}]}]}")),
        "var \"p\" inside \"some\" reads the current element, not a question",
        "/rules/0/when/or/1/some/1/==/0/var");
}

/* The pack has this finding, and the rule is said to be undecided: a
** name the linter cannot check is no proof that the rule never fires. */
static void S_undecided(const char *pack, const char *message,
                        const char *pointer) {
  cdg_lint *lint = S_lint(pack);
  size_t i, found = 0;

  for (i = 0; i < cdg_lint_count(lint); i++) {
    const cdg_error *e = cdg_lint_error(lint, i);

    found |= strcmp(e->message, message) == 0 && strcmp(e->pointer, pointer) == 0;
    found |= (strstr(e->message, "could not decide whether rule \"r\" can "
                     "fire") != NULL) << 1;
  }
  if (found != 3) {
    linttest_print(lint);
    fail_msg("want \"%s\" at %s, and rule r undecided", message, pointer);
  }
  cdg_lint_free(lint);
}

static void test_var_computed(void **state) {
  (void)state;
  S_undecided(PACK(Q_A, RULE("r", "{'!':[{'var':{'cat':['b','']}}]}")),
        "var name is computed, so the linter cannot check it",
        "/rules/0/when/!/0/var");
  /* The whole answers object, and a number outside any iteration. */
  S_undecided(PACK(Q_A, RULE("r", "{'!!':[{'var':''}]}")),
        "var \"\" reads every answer, so the linter cannot check it",
        "/rules/0/when/!!/0/var");
  S_one(PACK(Q_A, RULE("r", "{'!':[{'var':[1]}]}")),
        "var 1 names no question", "/rules/0/when/!/0/var/0");
}

/* ---- Option codes ----------------------------------------------------- */

static void test_no_option_equal(void **state) {
  (void)state;
  /* != "z" holds on every path, so only the code is wrong. */
  S_one(PACK(Q_A, RULE("r", "{'!=':[{'var':'a'},'z']}")),
        "question \"a\" has no option \"z\"", "/rules/0/when/!=/1");
  S_one(PACK(Q_A, RULE("r", "{'!==':['teen',{'var':'a'}]}")),
        "question \"a\" has no option \"teen\"", "/rules/0/when/!==/0");
}

static void test_no_option_in(void **state) {
  (void)state;
  S_one(PACK("{'id':'p','type':'multi','text':'P?','options':[{'code':"
             "'l','label':'L'},{'code':'r','label':'R'}]}",
             RULE("r", "{'!':{'in':['z',{'var':'p'}]}}")),
        "question \"p\" has no option \"z\"", "/rules/0/when/!/in/0");
  S_one(PACK(Q_A, RULE("r", "{'!':{'in':[{'var':'a'},['x2']]}}")),
        "question \"a\" has no option \"x2\"", "/rules/0/when/!/in/1/0");
}

static void test_number_string(void **state) {
  (void)state;
  /* JavaScript's 5 != "5" is false: without a rule that always fires,
  ** n = 5 would be a path that cites nothing. */
  S_one(PACK("{'id':'n','type':'number','text':'N?','min':0,'max':10}",
             R_ALWAYS "," RULE("r", "{'!=':[{'var':'n'},'5']}")),
        "question \"n\" is a number, compared with string \"5\"",
        "/rules/1/when/!=/1");
}

/* ---- Exhaustive check ------------------------------------------------- */

static void test_never_enabled(void **state) {
  (void)state;
  S_one(PACK(Q_A ",{'id':'b','type':'text','text':'B?','enable_when':{'and'"
                 ":[{'==':[{'var':'a'},'x']},{'==':[{'var':'a'},'y']}]}}",
             R_ALWAYS),
        "question \"b\" can never be enabled", "/questions/1/enable_when");
}

static void test_never_fires(void **state) {
  (void)state;
  S_one(PACK(Q_A, R_ALWAYS "," RULE("r", "{'and':[{'==':[{'var':'a'},'x']},"
                                         "{'==':[{'var':'a'},'y']}]}")),
        "rule \"r\" can never fire", "/rules/1/when");
}

/* {"*": []} throws in json-logic-js: the condition fails on a == x only.
** That is a finding, not "out of memory", and not a reason to stop. */
#define FAILS_ON_X "{'if':[{'==':[{'var':'a'},'x']},{'*':[]},true]}"

static void test_cannot_evaluate(void **state) {
  (void)state;
  S_one(PACK(Q_A, R_ALWAYS "," RULE("r", FAILS_ON_X)),
        "rule \"r\" cannot be evaluated on some answers", "/rules/1/when");
  S_one(PACK(Q_A ",{'id':'b','type':'text','text':'B?','enable_when':"
                 FAILS_ON_X "}",
             R_ALWAYS),
        "enable_when of question \"b\" cannot be evaluated on some answers",
        "/questions/1/enable_when");
}

static void test_silent_path(void **state) {
  (void)state;
  S_one(PACK(Q_A, RULE("r", "{'==':[{'var':'a'},'x']}")),
        "some complete answer paths cite no passage, e.g. {\"a\":\"y\"}",
        "/rules");
  /* Two components, each with a silent sub-path: the example joins them
  ** in pack order. */
  S_one(PACK("{'id':'b','type':'single','text':'B?','options':[{'code':'u',"
             "'label':'U'},{'code':'v','label':'V'}]}," Q_A,
             RULE("ra", "{'==':[{'var':'a'},'x']}")
             "," RULE("rb", "{'==':[{'var':'b'},'u']}")),
        "some complete answer paths cite no passage, e.g. "
        "{\"b\":\"v\",\"a\":\"y\"}",
        "/rules");
  /* Leaving an optional question unanswered is a path too. */
  S_one(PACK("{'id':'a','type':'single','text':'A?','required':false,"
             "'options':[{'code':'x','label':'X'}]}",
             RULE("r", "{'==':[{'var':'a'},'x']}")),
        "some complete answer paths cite no passage, e.g. {}", "/rules");
  /* One component with no silent sub-path is enough to rule it out. Paths:
  ** a's 2 times b's 1 (""). */
  S_clean(PACK(Q_A ",{'id':'b','type':'text','text':'B?'}",
               RULE("r", "{'in':[{'var':'a'},['x','y']]}")),
          2 * 1);
}

static void test_silent_example_cut(void **state) {
  char pack[8192] = "", qs[4096] = "";
  size_t i, n = 0;

  (void)state;
  /* Twelve questions; only the first has a rule, firing on "x". The first
  ** path citing nothing answers it "y" and every other question "x" (its
  ** first option). Each answer is 24 characters; the example stops before
  ** one would take it past 200 characters: 7 answers, then "...". */
  for (i = 1; i <= 12; i++)
    n += (size_t)snprintf(qs + n, sizeof qs - n,
                          "%s{'id':'question_number_%02zu','type':'single',"
                          "'text':'Q?','options':[{'code':'x','label':'X'},"
                          "{'code':'y','label':'Y'}]}",
                          i > 1 ? "," : "", i);
  snprintf(pack, sizeof pack,
           PACK("%s", RULE("r", "{'==':[{'var':'question_number_01'},'x']}")),
           qs);
  S_one(pack,
        "some complete answer paths cite no passage, e.g. "
        "{\"question_number_01\":\"y\",\"question_number_02\":\"x\","
        "\"question_number_03\":\"x\",\"question_number_04\":\"x\","
        "\"question_number_05\":\"x\",\"question_number_06\":\"x\","
        "\"question_number_07\":\"x\",...}",
        "/rules");
}

static void test_too_large(void **state) {
  char pack[4096] = "", opts[2048] = "";
  size_t i, n = 0;

  (void)state;
  /* 25 options: 2^25 - 1 subsets, over the budget of 5,000,000. */
  for (i = 0; i < 25; i++)
    n += (size_t)snprintf(opts + n, sizeof opts - n,
                          "%s{'code':'c%zu','label':'C%zu'}", i ? "," : "",
                          i, i);
  snprintf(pack, sizeof pack,
           PACK("{'id':'m','type':'multi','text':'M?','options':[%s]}",
                R_ALWAYS),
           opts);
  S_one(pack,
        "exhaustive check too large: over 5000000 answer paths in the "
        "questions connected to \"m\"",
        "/questions/0");
}

static void test_domains(void **state) {
  (void)state;
  /* Number in 0..120 compared with 18: 0, 17, 18, 19, 120 = 5 paths. */
  S_clean(PACK("{'id':'n','type':'number','text':'N?','min':0,'max':120}",
               RULE("minor", "{'<':[{'var':'n'},18]}")
               "," RULE("adult", "{'>=':[{'var':'n'},18]}")),
          5);
  /* Optional text compared with "hello": "", "hello", absent = 3. A
  ** multi with exclusive "none": {l}, {r}, {l,r}, {none} = 4. Two
  ** components: 3 x 4 complete paths. */
  S_clean(PACK("{'id':'t','type':'text','text':'T?','required':false},"
               "{'id':'p','type':'multi','text':'P?','options':[{'code':'l',"
               "'label':'L'},{'code':'r','label':'R'},{'code':'none',"
               "'label':'None','exclusive':true}]}",
               RULE("hello", "{'==':[{'var':'t'},'hello']}")
               "," RULE("none", "{'in':['none',{'var':'p'}]}")
               "," RULE("both", "{'==':[{'var':'p.1'},'r']}")
               "," R_ALWAYS),
          3 * 4);
}

static void test_sorted_by_position(void **state) {
  cdg_lint *lint;

  (void)state;
  /* The never-enabled question is found after the static findings, but
  ** its enable_when starts before the code inside it. */
  lint = S_lint(PACK(Q_A ",{'id':'b','type':'text','text':'B?',"
                         "'enable_when':{'==':[{'var':'a'},'z']}}",
                     "{'id':'r','when':true,'cite':['cd-foo'],'because':"
                     "'b'}"));
  if (cdg_lint_count(lint) != 3) {
    linttest_print(lint);
    fail_msg("want 3 findings");
  }
  S_finding(lint, 0, "question \"b\" can never be enabled",
            "/questions/1/enable_when");
  S_finding(lint, 1, "question \"a\" has no option \"z\"",
            "/questions/1/enable_when/==/1");
  S_finding(lint, 2, "unknown passage id \"cd-foo\"", "/rules/0/cite/0");
  cdg_lint_free(lint);
}

/*
** The line:col of a finding at a condition the pack kept as its span of
** the text (lint.c takes it from there, not from a scan) is the one the
** pointer gives: conditions after spaces, a newline and a tab, after an
** é, first in their object, and false, which the pack keeps as a copy.
** The four conditions' positions are counted by hand: b's {"==" on line
** 5 after the tab, c's false at column 53 of line 6, d's {"and" at
** column 19 of line 7, r's {"==" at column 5 of line 10.
*/
static void test_condition_positions(void **state) {
  static const char text[] =
      "{\"id\":\"t\",\"version\":\"1.0.0\",\"title\":\"T\",\"source\":{"
      "\"title\":\"S\",\"publisher\":\"NICE\",\"sha256\":\"" SHA "\"},\n"
      " \"questions\":[\n"
      "  {\"id\":\"a\",\"type\":\"single\",\"text\":\"A?\",\"options\":[{"
      "\"code\":\"x\",\"label\":\"X\"},{\"code\":\"y\",\"label\":\"Y\"}]},\n"
      "  {\"id\":\"b\",\"type\":\"text\",\"text\":\"B\xC3\xA9?\", "
      "\"enable_when\" :\n"
      "\t{\"==\": [{\"var\": \"a\"}, \"q\"]}},\n"
      "  {\"id\":\"c\",\"type\":\"text\",\"text\":\"C?\",\"enable_when\":"
      "false},\n"
      "  {\"enable_when\": {\"and\": [{\"var\": \"a\"}, {\"!\": {\"var\": "
      "\"a\"}}]}, \"id\":\"d\",\"type\":\"text\",\"text\":\"D?\"}],\n"
      " \"rules\":[{\"id\":\"always\",\"when\":true,\"cite\":["
      "\"cd-what-it-is\"],\"because\":\"b\"},\n"
      "  {\"id\":\"r\",\"when\":\n"
      "    {\"==\": [{\"var\": \"a\"}, \"nope\"]}, \"cite\":[\"cd-onset\"],"
      "\"because\":\"b\"}]}\n";
  static const struct {
    const char *pointer;
    int line, col;
  } hand[] = {{"/questions/1/enable_when", 5, 2},
              {"/questions/2/enable_when", 6, 53},
              {"/questions/3/enable_when", 7, 19},
              {"/rules/1/when", 10, 5}};
  cdg_pack *pack = NULL;
  cdg_error err;
  size_t len = strlen(text), i, k, off;
  int run, l, c, seen;

  (void)state;
  assert_int_equal(cdg_pack_load(text, len, "t.json", &pack, &err), CDG_OK);
  for (run = 0; run < 2; run++) {
    cdg_lint *lint = NULL;

    assert_int_equal(run ? cdg_lint_run(pack, linttest_ps, &lint)
                         : cdg_lint_enumerate(pack, linttest_ps, &lint),
                     CDG_OK);
    for (i = 0; i < cdg_lint_count(lint); i++) {
      const cdg_error *e = cdg_lint_error(lint, i);

      l = c = 0;
      if (json_pointer_offset(text, len, e->pointer, &off) == 0)
        json_offset_linecol(text, len, off, &l, &c);
      if (e->line != l || e->col != c)
        fail_msg("%s: %d:%d, the pointer gives %d:%d", e->pointer, e->line,
                 e->col, l, c);
    }
    for (k = 0; k < sizeof hand / sizeof *hand; k++) {
      for (i = seen = 0; i < cdg_lint_count(lint); i++) {
        const cdg_error *e = cdg_lint_error(lint, i);

        if (strcmp(e->pointer, hand[k].pointer) == 0) {
          seen = 1;
          assert_int_equal(e->line, hand[k].line);
          assert_int_equal(e->col, hand[k].col);
        }
      }
      if (!seen) {
        linttest_print(lint);
        fail_msg("no finding at %s", hand[k].pointer);
      }
    }
    cdg_lint_free(lint);
  }
  cdg_pack_free(pack);
}

/* ---- The built-in pack ------------------------------------------------ */

/*
** Complete answer paths of the 1.0 pack (tests/fixtures/pack-1.0; 2.0 is
** too large to enumerate and is checked symbolically, test_pack2):
**   posture: 3 codes plus not_sure, which the pack makes exclusive:
**            2^3 - 1 + 1 = 8
**   age_group: 2; duration: 4
**   treatments: "none" (exclusive) alone = 1, or a non-empty subset of the
**            4 treatments, each enabling its outcome with 6 codes:
**            sum over k = 1..4 of C(4,k) 6^k = 7^4 - 1 = 2400
** so 8 x 2 x 4 x 2401 = 153,664. The pack falls into four components
** (posture, age_group, duration, treatments with their outcomes), so the
** check enumerates 8 + 2 + 4 + 2401 sub-paths and multiplies.
*/
static void test_builtin(void **state) {
  cdg_pack *pack;
  cdg_lint *lint;
  cdg_error err;

  (void)state;
  assert_int_equal(fixture_pack1(&pack, &err), CDG_OK);
  assert_int_equal(cdg_lint_enumerate(pack, linttest_ps, &lint), CDG_OK);
  linttest_clean(lint, 153664, "the 1.0 pack");
  cdg_lint_free(lint);
  cdg_pack_free(pack);
}

/* The same pack with one more rule reading posture, age_group, duration
** and treatments_tried: one component whose 153,664 paths are enumerated
** one by one, the count the split into components gives above. */
static void test_builtin_one_component(void **state) {
  char path[1024], *text, *json;
  size_t len;
  cJSON *root, *rule;
  cdg_lint *lint;

  (void)state;
  snprintf(path, sizeof path, "%s/tests/fixtures/pack-1.0/pack.json",
           CDG_SOURCE_DIR);
  text = testfile_read(path, &len);
  root = cJSON_ParseWithLength(text, len);
  assert_non_null(root);
  rule = cJSON_Parse(
      "{\"id\":\"joined\",\"when\":{\"and\":[{\"var\":\"posture\"},"
      "{\"var\":\"age_group\"},{\"var\":\"duration\"},"
      "{\"var\":\"treatments_tried\"}]},\"cite\":[\"cd-what-it-is\"],"
      "\"because\":\"Every answer given.\"}");
  assert_non_null(rule);
  cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(root, "rules"),
                       rule);
  json = cJSON_Print(root);
  assert_non_null(json);
  lint = S_lint_json(json);
  linttest_clean(lint, 153664, "the joined pack");
  cdg_lint_free(lint);
  cJSON_free(json);
  cJSON_Delete(root);
  free(text);
}

/* ---- Allocation failures -------------------------------------------- */

/* Fail each allocation of a lint run in turn: every run ends with CDG_OK
** or CDG_ERR_NOMEM and frees all it allocated. */
static void S_alloc_each(const char *json, const char *name) {
  cdg_pack *pack;
  cdg_lint *lint;
  cdg_error err;
  cdg_status st;
  long n;

  assert_int_equal(cdg_pack_load(json, strlen(json), name, &pack, &err),
                   CDG_OK);
  for (n = 1;; n++) {
    failalloc_start(n);
    st = cdg_lint_enumerate(pack, linttest_ps, &lint);
    if (st == CDG_OK)
      cdg_lint_free(lint);
    failalloc_stop();
    if (st != CDG_OK && st != CDG_ERR_NOMEM)
      fail_msg("%s: allocation %ld failed: status %d", name, n, (int)st);
    if (failalloc_live() != 0)
      fail_msg("%s: allocation %ld failed: %ld blocks left", name, n,
               failalloc_live());
    if (st == CDG_OK && failalloc_count() < n)
      break;  /* no allocation failed: all were covered */
    assert_int_equal(st, CDG_ERR_NOMEM);
  }
  if (n < 20)
    fail_msg("%s: only %ld allocations seen", name, n - 1);
  cdg_pack_free(pack);
}

static void test_alloc_failures(void **state) {
  char path[1024], *text, *json, *p;
  size_t len;

  (void)state;
  snprintf(path, sizeof path, "%s/tests/fixtures/pack-1.0/pack.json",
           CDG_SOURCE_DIR);
  text = testfile_read(path, &len);
  S_alloc_each(text, "pack.json");
  free(text);
  /* Findings of every pass, and an example path; a hashed list. */
  json = strdup(PACK(Q_A ",{'id':'b','type':'text','text':'B?',"
                         "'enable_when':{'==':[{'var':'a'},'z']}}",
                     RULE("r", "{'==':[{'var':'a'},'x']}") ","
                     "{'id':'s','when':{'var':'c'},'cite':['cd-foo',"
                     "'cd-foo'],'because':'b'},"
                     "{'id':'t','when':true,'cite':[" TEN_IDS "],"
                     "'because':'b'}"));
  assert_non_null(json);
  for (p = json; *p; p++)
    if (*p == '\'')
      *p = '"';
  S_alloc_each(json, "t.json");
  free(json);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_duplicate_cite),
      cmocka_unit_test(test_duplicate_question_passage),
      cmocka_unit_test(test_duplicate_label),
      cmocka_unit_test(test_unknown_cite),
      cmocka_unit_test(test_unknown_question_passage),
      cmocka_unit_test(test_source_sha),
      cmocka_unit_test(test_var_unknown),
      cmocka_unit_test(test_missing_unknown),
      cmocka_unit_test(test_var_in_scope),
      cmocka_unit_test(test_var_computed),
      cmocka_unit_test(test_no_option_equal),
      cmocka_unit_test(test_no_option_in),
      cmocka_unit_test(test_number_string),
      cmocka_unit_test(test_never_enabled),
      cmocka_unit_test(test_never_fires),
      cmocka_unit_test(test_cannot_evaluate),
      cmocka_unit_test(test_silent_path),
      cmocka_unit_test(test_silent_example_cut),
      cmocka_unit_test(test_condition_positions),
      cmocka_unit_test(test_too_large),
      cmocka_unit_test(test_domains),
      cmocka_unit_test(test_sorted_by_position),
      cmocka_unit_test(test_builtin),
      cmocka_unit_test(test_builtin_one_component),
      cmocka_unit_test(test_alloc_failures),
  };

  return cmocka_run_group_tests(tests, linttest_setup, linttest_teardown);
}
