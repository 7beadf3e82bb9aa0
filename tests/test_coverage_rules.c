/*
** test_coverage_rules.c: the rules library's less travelled paths. Pack
** fields of the wrong kind that the bad-pack corpus does not hold, the
** accessors out of range and on NULL, answers set through the API (UTF-8
** and control characters in text, number ranges, unknown questions),
** outcomes for answers of another pack, and walker progress. Packs are
** written with ' for "; messages and pointers are written by hand from
** rules/pack.c and rules/answers.c.
*/
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <cjson/cJSON.h>

#include "cdg_rules.h"
#include "pack.h"

#define SHA "25a7936f8257a0ff7bbdcd9daa319262c0ea914c94d5bbe64bf2968c2801b20d"
#define SOURCE "{'title':'S','publisher':'NICE','sha256':'" SHA "'}"
#define HEAD "'id':'t','version':'1.0.0','title':'T','source':" SOURCE
#define Q_A                                                                    \
  "{'id':'a','type':'single','text':'A?','options':[{'code':'x','label':"      \
  "'X'},{'code':'y','label':'Y'}]}"
#define R_ALWAYS                                                               \
  "{'id':'always','when':true,'cite':['cd-what-it-is'],'because':'b'}"
#define PACK(questions, rules)                                                 \
  "{" HEAD ",'questions':[" questions "],'rules':[" rules "]}"

/* ' to " in a copy; caller frees. */
static char *S_json(const char *quoted) {
  char *json = strdup(quoted), *p;

  assert_non_null(json);
  for (p = json; *p; p++)
    if (*p == '\'')
      *p = '"';
  return json;
}

static cdg_pack *S_load(const char *quoted) {
  char *json = S_json(quoted), line[1024];
  cdg_pack *pack = NULL;
  cdg_error err;

  if (cdg_pack_load(json, strlen(json), "t.json", &pack, &err) != CDG_OK) {
    cdg_error_format(&err, line, sizeof line);
    fail_msg("pack did not load: %s\n%s", line, json);
  }
  free(json);
  return pack;
}

static void test_pack_errors(void **state) {
  static const struct {
    const char *pack, *message, *pointer;
  } cases[] = {
      {"{" HEAD ",'questions':[" Q_A "]}", "missing required field \"rules\"",
       ""},
      {"{" HEAD ",'rules':[]}", "missing required field \"questions\"", ""},
      {"{'version':'1','title':'T','source':" SOURCE
       ",'questions':[],'rules':[]}",
       "missing required field \"id\"", ""},
      {"{'id':'','version':'1','title':'T','source':" SOURCE
       ",'questions':[],'rules':[]}",
       "\"id\" must be a non-empty string", "/id"},
      {"{'id':'t','version':'1','title':'T','questions':[],'rules':[]}",
       "missing required field \"source\"", ""},
      {"{'id':'t','version':'1','title':'T','source':{'publisher':'N',"
       "'sha256':'" SHA "'},'questions':[],'rules':[]}",
       "missing required field \"title\"", "/source"},
      {"{'id':'t','version':'1','title':'T','source':{'title':'S',"
       "'publisher':'N','sha256':'" SHA "','url':'u'},'questions':[],"
       "'rules':[]}",
       "unknown field \"url\"", "/source/url"},
      {"{'id':'t','version':'1','title':'T','source':{'title':'S',"
       "'publisher':'N','sha256':'25A7936f8257a0ff7bbdcd9daa319262c0ea914c94d"
       "5bbe64bf2968c2801b20d'},'questions':[],'rules':[]}",
       "\"sha256\" must be 64 lower-case hex digits", "/source/sha256"},
      {"{'id':'t','version':'1','title':'T','source':{'title':'S',"
       "'publisher':'N','sha256':'" SHA "0'},'questions':[],'rules':[]}",
       "\"sha256\" must be 64 lower-case hex digits", "/source/sha256"},
      {PACK(Q_A, R_ALWAYS) "x", NULL, NULL},
      {"{" HEAD ",'questions':[" Q_A "],'rules':{}}",
       "\"rules\" must be an array", "/rules"},
      {PACK("{'id':'','type':'single','text':'A?','options':[{'code':'x',"
            "'label':'X'}]}",
            R_ALWAYS),
       "\"id\" must be a non-empty string", "/questions/0/id"},
      {PACK("{'id':'a-b','type':'single','text':'A?','options':[{'code':'x',"
            "'label':'X'}]}",
            R_ALWAYS),
       "question id \"a-b\" must match [a-z0-9_]+", "/questions/0/id"},
      {PACK("{'id':'a','type':1,'text':'A?'}", R_ALWAYS),
       "\"type\" must be a string", "/questions/0/type"},
      {PACK("{'id':'a','type':'single','text':''}", R_ALWAYS),
       "\"text\" must be a non-empty string", "/questions/0/text"},
      {PACK("{'id':'a','type':'single','text':'A?','options':[{'label':'X'}]}",
            R_ALWAYS),
       "missing required field \"code\"", "/questions/0/options/0"},
      {PACK("{'id':'a','type':'single','text':'A?','options':[{'code':'x',"
            "'label':'X','note':1}]}",
            R_ALWAYS),
       "unknown field \"note\"", "/questions/0/options/0/note"},
      {PACK("{'id':'a','type':'single','text':'A?','options':[{'code':'x'}]}",
            R_ALWAYS),
       "missing required field \"label\"", "/questions/0/options/0"},
      {PACK("{'id':'a','type':'text','text':'A?','min':1}", R_ALWAYS),
       "\"min\" applies only to number questions", "/questions/0/min"},
      {PACK("{'id':'n','type':'number','text':'N?','max':'9'}", R_ALWAYS),
       "\"max\" must be a number", "/questions/0/max"},
      {PACK("{'id':'a','type':'text','text':'A?','passages':['cd-onset','']}",
            R_ALWAYS),
       "\"passages\" must list non-empty strings", "/questions/0/passages/1"},
      {PACK(Q_A, "{'when':true,'cite':['cd-onset'],'because':'b'}"),
       "missing required field \"id\"", "/rules/0"},
      {PACK(Q_A, "{'id':'r','cite':['cd-onset'],'because':'b'}"),
       "missing required field \"when\"", "/rules/0"},
      {PACK(Q_A, "{'id':'r','when':true,'cite':['cd-onset'],'because':'b',"
                 "'advice':'x'}"),
       "unknown field \"advice\"", "/rules/0/advice"},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    char *json = S_json(cases[i].pack);
    cdg_pack *pack = NULL;
    cdg_error err;
    cdg_status st;

    st = cdg_pack_load(json, strlen(json), "t.json", &pack, &err);
    free(json);
    if (st == CDG_OK)
      fail_msg("case %zu: loaded, expected an error", i);
    assert_null(pack);
    if (!cases[i].pointer) { /* trailing data: a syntax error */
      assert_int_equal(st, CDG_ERR_SYNTAX);
      continue;
    }
    assert_int_equal(st, CDG_ERR_PACK);
    if ((cases[i].message && strcmp(err.message, cases[i].message) != 0) ||
        strcmp(err.pointer, cases[i].pointer) != 0)
      fail_msg("case %zu: %s (at %s), expected %s (at %s)", i, err.message,
               err.pointer, cases[i].message ? cases[i].message : "...",
               cases[i].pointer);
    assert_string_equal(err.file, "t.json");
  }
}

/* No file name: "<pack>"; no error record: the status alone. */
static void test_pack_no_file(void **state) {
  cdg_pack *pack = NULL;
  cdg_error err;

  (void)state;
  assert_int_equal(cdg_pack_load("[]", 2, NULL, &pack, &err), CDG_ERR_PACK);
  assert_string_equal(err.file, "<pack>");
  assert_int_equal(cdg_pack_load("[]", 2, "p", &pack, NULL), CDG_ERR_PACK);
  assert_null(pack);
}

/* Accessors: in range they give what the pack says; out of range or with
** no such thing, NULL or 0. */
static void test_pack_accessors(void **state) {
  cdg_pack *pack = S_load(
      PACK(Q_A ",{'id':'n','type':'number','text':'N?','min':1,'max':9},"
               "{'id':'m','type':'number','text':'M?','max':3,'passages':["
               "'cd-onset']},{'id':'t','type':'text','text':'T?','help':'H'}",
           R_ALWAYS));
  const cdg_question *a, *n, *m, *t;
  double lo = -1, hi = -1;

  (void)state;
  a = cdg_pack_find_question(pack, "a");
  n = cdg_pack_find_question(pack, "n");
  m = cdg_pack_find_question(pack, "m");
  t = cdg_pack_find_question(pack, "t");
  assert_non_null(a);
  assert_null(cdg_pack_find_question(pack, "zz"));
  assert_null(cdg_pack_find_question(pack, NULL));
  assert_null(cdg_pack_find_question(NULL, "a"));
  assert_string_equal(cdg_question_option_code(a, 1), "y");
  assert_null(cdg_question_option_code(a, 2));
  assert_string_equal(cdg_question_option_label(a, 0), "X");
  assert_null(cdg_question_option_label(a, 2));
  assert_int_equal(cdg_question_option_exclusive(a, 0), 0);
  assert_int_equal(cdg_question_option_exclusive(a, 5), 0);
  assert_int_equal(cdg_question_find_option(a, "y"), 1);
  assert_int_equal(cdg_question_find_option(a, "w"), -1);
  assert_int_equal(cdg_question_find_option(a, NULL), -1);
  assert_int_equal(cdg_question_range(a, &lo, &hi), 0);
  assert_true(cdg_question_range(n, &lo, &hi) != 0);
  assert_true(lo == 1 && hi == 9);
  assert_true(cdg_question_range(n, NULL, NULL) != 0);
  assert_true(cdg_question_range(m, NULL, &hi) != 0);
  assert_true(hi == 3);
  assert_string_equal(cdg_question_passage(m, 0), "cd-onset");
  assert_null(cdg_question_passage(m, 1));
  assert_string_equal(cdg_question_help(t), "H");
  assert_string_equal(cdg_question_help(a), "");
  assert_string_equal(cdg_rule_because(pack, 0), "b");
  assert_null(cdg_rule_because(pack, 1));
  assert_int_equal(cdg_rule_cite_count(pack, 0), 1);
  assert_int_equal(cdg_rule_cite_count(pack, 1), 0);
  assert_string_equal(cdg_rule_cite(pack, 0, 0), "cd-what-it-is");
  assert_null(cdg_rule_cite(pack, 0, 1));
  assert_null(cdg_rule_cite(pack, 3, 0));
  cdg_pack_free(pack);
  cdg_pack_free(NULL);
}

/* ---- Answers through the API ------------------------------------------- */

#define MINI_Q                                                                 \
  Q_A ",{'id':'n','type':'number','text':'N?','min':1,'max':9},"               \
      "{'id':'lo','type':'number','text':'L?','min':0},"                       \
      "{'id':'hi','type':'number','text':'H?','max':5},"                       \
      "{'id':'t','type':'text','text':'T?'}"

static void S_set_text_fails(cdg_answers *a, const char *text,
                             const char *message) {
  cdg_error err;

  if (cdg_answers_set_text(a, "t", text, &err) != CDG_ERR_ANSWER)
    fail_msg("text \"%s\": accepted", text);
  assert_string_equal(err.message, message);
}

static void test_answers_api(void **state) {
  cdg_pack *pack = S_load(PACK(MINI_Q, R_ALWAYS));
  static const char *const x[] = {"x"};
  cdg_answers *a = NULL;
  cdg_error err;

  (void)state;
  assert_int_equal(cdg_answers_new(pack, &a), CDG_OK);
  /* Text must be valid UTF-8, without C0 or C1 controls (tab is allowed). */
  S_set_text_fails(a, "\xC0\xAF", "t: text is not valid UTF-8");
  S_set_text_fails(a, "\xE0\x80\xAF", "t: text is not valid UTF-8");
  S_set_text_fails(a, "\xED\xA0\x80", "t: text is not valid UTF-8");
  S_set_text_fails(a, "\xF0\x80\x80\xAF", "t: text is not valid UTF-8");
  S_set_text_fails(a, "\xF4\x90\x80\x80", "t: text is not valid UTF-8");
  S_set_text_fails(a, "\xF5\x80\x80\x80", "t: text is not valid UTF-8");
  S_set_text_fails(a, "\xE2\x82", "t: text is not valid UTF-8");
  S_set_text_fails(a,
                   "a\xC2\x85"
                   "b",
                   "t: text must not contain control characters");
  S_set_text_fails(a, "a\x7F", "t: text must not contain control characters");
  S_set_text_fails(a, "", "t: text must not be empty");
  assert_int_equal(cdg_answers_set_text(a, "t",
                                        "caf\xC3\xA9\t\xE2\x82\xAC "
                                        "\xF0\x9F\x98\x80 \xC2\xA0",
                                        &err),
                   CDG_OK);
  assert_string_equal(cdg_answers_text(a, "t"),
                      "caf\xC3\xA9\t\xE2\x82\xAC \xF0\x9F\x98\x80 \xC2\xA0");
  assert_null(cdg_answers_text(a, "a"));
  assert_null(cdg_answers_text(a, "zz"));
  /* Numbers within each kind of range. */
  assert_int_equal(cdg_answers_set_number(a, "n", 0, &err), CDG_ERR_ANSWER);
  assert_string_equal(err.message, "n: 0 is below the minimum 1");
  assert_int_equal(cdg_answers_set_number(a, "n", 10, &err), CDG_ERR_ANSWER);
  assert_string_equal(err.message, "n: 10 is above the maximum 9");
  assert_int_equal(cdg_answers_set_number(a, "lo", -1, &err), CDG_ERR_ANSWER);
  assert_int_equal(cdg_answers_set_number(a, "lo", 1e9, &err), CDG_OK);
  assert_int_equal(cdg_answers_set_number(a, "hi", 6, &err), CDG_ERR_ANSWER);
  assert_int_equal(cdg_answers_set_number(a, "hi", -1e9, &err), CDG_OK);
  assert_int_equal(cdg_answers_set_number(a, "n", NAN, &err), CDG_ERR_ANSWER);
  assert_string_equal(err.message, "n: expects a finite number");
  /* Unknown questions and wrong kinds. */
  assert_int_equal(cdg_answers_set_number(a, "zz", 1, &err), CDG_ERR_ANSWER);
  assert_string_equal(err.message, "unknown question \"zz\"");
  assert_int_equal(cdg_answers_set_text(a, "zz", "x", &err), CDG_ERR_ANSWER);
  assert_int_equal(cdg_answers_set_codes(a, "zz", x, 1, &err), CDG_ERR_ANSWER);
  assert_int_equal(cdg_answers_set_number(a, "a", 1, &err), CDG_ERR_ANSWER);
  assert_string_equal(err.message, "a: does not take a number");
  assert_int_equal(cdg_answers_set_text(a, "a", "x", &err), CDG_ERR_ANSWER);
  assert_string_equal(err.message, "a: does not take text");
  assert_int_equal(cdg_answers_set_codes(a, "n", x, 1, &err), CDG_ERR_ANSWER);
  assert_string_equal(err.message, "n: expects a number, not option codes");
  assert_int_equal(cdg_answers_set_codes(a, "t", x, 1, &err), CDG_ERR_ANSWER);
  assert_string_equal(err.message, "t: expects text, not option codes");
  assert_int_equal(cdg_answers_set_codes(a, "a", x, 1, NULL), CDG_OK);
  assert_int_equal(cdg_answers_code_count(a, "a"), 1);
  assert_null(cdg_answers_code(a, "a", 1));
  assert_null(cdg_answers_code(a, "zz", 0));
  assert_true(cdg_answers_number(a, "a") == 0);
  assert_true(cdg_answers_number(a, "zz") == 0);
  assert_true(cdg_answers_number(a, "lo") == 1e9);
  cdg_answers_free(a);
  cdg_answers_free(NULL);
  cdg_pack_free(pack);
}

#define E5 "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
#define E29 E5 E5 E5 E5 E5 "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
#define E30 E29 "\xC3\xA9"

/* A parse with no file name names the input "<answers>"; with no error
** record, the status alone. */
static void test_answers_parse_names(void **state) {
  cdg_pack *pack = S_load(PACK(MINI_Q, R_ALWAYS));
  cdg_answers *a = NULL;
  cdg_error err;
  char line[600];
  const char *json;

  (void)state;
  assert_int_equal(
      cdg_answers_parse(pack, "{\"a\": \"w\"}", 10, NULL, &a, &err),
      CDG_ERR_ANSWER);
  cdg_error_format(&err, line, sizeof line);
  assert_string_equal(line, "<answers>:1:7: a: unknown option \"w\" (at /a)");
  assert_int_equal(cdg_answers_parse(pack, "{\"t\": 1}", 8, "f", &a, NULL),
                   CDG_ERR_ANSWER);
  assert_null(a);
  /* Unknown codes longer than a message shows are cut on a character
  ** boundary (60 bytes at most), marked "...": "x" and 30 "é" are 61
  ** bytes, so the last "é" goes. */
  json = "{\"a\": \"x" E30 "\"}";
  assert_int_equal(cdg_answers_parse(pack, json, strlen(json), "f", &a, &err),
                   CDG_ERR_ANSWER);
  assert_string_equal(err.message, "a: unknown option \"x" E29 "...\"");
  cdg_pack_free(pack);
}

/* Outcomes refuse answers made for another pack. */
static void test_outcome_other_pack(void **state) {
  cdg_pack *p1 = S_load(PACK(Q_A, R_ALWAYS));
  cdg_pack *p2 = S_load(PACK(Q_A, R_ALWAYS));
  cdg_passages *ps = NULL;
  cdg_answers *a = NULL;
  cdg_outcome *o = (cdg_outcome *)1;
  cdg_error err;

  (void)state;
  assert_int_equal(cdg_passages_builtin(&ps, &err), CDG_OK);
  assert_int_equal(cdg_answers_new(p1, &a), CDG_OK);
  assert_int_equal(cdg_outcome_eval(p2, a, ps, &o, &err), CDG_ERR_STATE);
  assert_null(o);
  assert_string_equal(err.message, "the answers belong to another pack");
  assert_int_equal(cdg_outcome_eval(p2, a, ps, &o, NULL), CDG_ERR_STATE);
  assert_int_equal(cdg_outcome_eval(p1, a, ps, &o, &err), CDG_OK);
  assert_int_equal(cdg_outcome_count(o), 1);
  assert_int_equal(cdg_outcome_cited_by_count(o, 0), 1);
  assert_int_equal(cdg_outcome_cited_by_count(o, 1), 0);
  assert_string_equal(cdg_outcome_cited_by(o, 0, 0), "always");
  assert_null(cdg_outcome_cited_by(o, 0, 1));
  assert_null(cdg_outcome_cited_by(o, 1, 0));
  cdg_outcome_free(o);
  cdg_answers_free(a);
  cdg_passages_free(ps);
  cdg_pack_free(p1);
  cdg_pack_free(p2);
}

/* Progress may be asked for one count only. */
static void test_walker_progress(void **state) {
  cdg_pack *pack = S_load(PACK(Q_A, R_ALWAYS));
  static const char *const x[] = {"x"};
  cdg_walker *w = NULL;
  size_t answered = 9, remaining = 9;

  (void)state;
  assert_int_equal(cdg_walker_new(pack, &w), CDG_OK);
  cdg_walker_progress(w, &answered, NULL);
  assert_int_equal(answered, 0);
  cdg_walker_progress(w, NULL, &remaining);
  assert_int_equal(remaining, 1);
  assert_int_equal(cdg_walker_answer_codes(w, "a", x, 1, NULL), CDG_OK);
  cdg_walker_progress(w, &answered, &remaining);
  assert_int_equal(answered, 1);
  assert_int_equal(remaining, 0);
  assert_true(cdg_walker_complete(w));
  cdg_walker_free(w);
  cdg_walker_free(NULL);
  cdg_pack_free(pack);
}

/* ---- pack_walk_vars: the names an expression reads, with pointers ----- */

typedef struct S_seen {
  char text[1024];
} S_seen;

static void S_record(void *ctx, const char *name, const char *pointer) {
  S_seen *s = ctx;
  size_t n = strlen(s->text);

  snprintf(s->text + n, sizeof s->text - n, "%s%s@%s", n ? " " : "", name,
           pointer);
}

static void test_walk_vars_forms(void **state) {
  static const char *const cases[][2] = {
      {"{'var':'a.b'}", "a@/var"},
      {"{'var':['a',1]}", "a@/var/0"},
      {"{'var':[1]}", ""},
      {"{'var':1}", ""},
      {"{'missing':'a'}", "a@/missing"},
      {"{'missing':['a',1,'b']}", "a@/missing/0 b@/missing/2"},
      {"{'missing_some':[1,['a',2,'c']]}",
       "a@/missing_some/1/0 c@/missing_some/1/2"},
      {"{'missing_some':[1,'a']}", ""},
      {"{'missing_some':1}", ""},
      {"{'some':[{'var':'xs'},{'var':'a'}]}", "xs@/some/0/var"},
      {"{'reduce':[{'var':'xs'},{'var':'a'},{'var':'b'}]}",
       "xs@/reduce/0/var b@/reduce/2/var"},
      {"{'map':{'var':'a'}}", "a@/map/var"},
      {"[{'var':'a'},{'if':[{'var':'b'}]}]", "a@/0/var b@/1/if/0/var"},
      {"{'x~y/z':[{'var':'a'}]}", "a@/x~0y~1z/0/var"},
      {"true", ""},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    char *json = S_json(cases[i][0]);
    cJSON *e = cJSON_Parse(json);
    S_seen seen = {""};

    assert_non_null(e);
    pack_walk_vars(e, S_record, &seen);
    if (strcmp(seen.text, cases[i][1]) != 0)
      fail_msg("%s: read %s, expected %s", cases[i][0], seen.text, cases[i][1]);
    cJSON_Delete(e);
    free(json);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_pack_errors),
      cmocka_unit_test(test_pack_no_file),
      cmocka_unit_test(test_pack_accessors),
      cmocka_unit_test(test_answers_api),
      cmocka_unit_test(test_answers_parse_names),
      cmocka_unit_test(test_outcome_other_pack),
      cmocka_unit_test(test_walker_progress),
      cmocka_unit_test(test_walk_vars_forms),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
