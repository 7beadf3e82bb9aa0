/*
** test_pack_cond.c: what the pack keeps of its conditions. It keeps no
** trees: a question's enable_when and a rule's when are compiled from the
** item's tree while it is at hand, and kept as their span of the text (a
** compact copy when the list was parsed whole), parsed again on demand
** (pack_cond_tree). That must give the condition as written, from the
** text as cJSON reads it (long numbers rewritten); the compiled forms
** must hold their own strings; an error inside a condition is at its own
** line:col; and any allocation failure is a clean error.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "answers.h"
#include "cdg_rules.h"
#include "failalloc.h"
#include "fixture.h"
#include "json.h"
#include "pack.h"

#define SHA "0000000000000000000000000000000000000000000000000000000000000000"
#define HEAD                                                                   \
  "{\"id\": \"c\", \"version\": \"1\", \"title\": \"C\", \"source\": "        \
  "{\"title\": \"T\", \"publisher\": \"P\", \"sha256\": \"" SHA "\"},\n"

/* Conditions long and short, nested and a bare true; the members after
** each condition must still be read. */
static const char S_text[] =
    HEAD
    "\"questions\": [\n"
    "{\"id\": \"a\", \"type\": \"number\", \"text\": \"A\", \"min\": 0},\n"
    "{\"id\": \"b\", \"type\": \"single\", \"text\": \"B\",\n"
    " \"enable_when\": {\"and\": [{\">\": [{\"var\": \"a\"}, 2]}, "
    "{\"<=\": [{\"var\": \"a\"}, 9]}, {\"!\": {\"missing\": [\"a\"]}}]},\n"
    " \"options\": [{\"code\": \"y\", \"label\": \"Yes\"}], "
    "\"help\": \"after\"},\n"
    "{\"id\": \"c\", \"type\": \"text\", \"text\": \"C\", "
    "\"enable_when\": {\"==\": [{\"var\": \"b\"}, \"y\"]}, "
    "\"required\": false}],\n"
    "\"rules\": [{\"id\": \"r\", \"when\": {\"or\": [{\"==\": [{\"var\": "
    "\"b\"}, \"y\"]}, {\"==\": [{\"var\": \"c\"}, \"some words here\"]}]},"
    " \"cite\": [\"x\"], \"because\": \"Long.\"},\n"
    "{\"id\": \"s\", \"when\": true, \"cite\": [\"y\"], "
    "\"because\": \"Short.\"}]}";

/* Condition t of pack p, parsed again, is want; an object's text is in
** the pack's text (the scan's span: no copy), anything else a copy. */
static void S_json_is(const cdg_pack *p, pack_text t, const char *want) {
  json_store *s = json_store_create();
  const cJSON *tree;
  char *got;

  assert_non_null(s);
  assert_int_equal(pack_cond_tree(t, s, &tree), CDG_OK);
  assert_non_null(tree);
  got = cJSON_PrintUnformatted(tree);
  assert_non_null(got);
  assert_string_equal(got, want);
  cJSON_free(got);
  json_store_free(s);
  assert_int_equal(t.s >= p->text && t.s + t.n <= p->text + p->len,
                   want[0] == '{');
}

static void test_conditions_read_as_written(void **state) {
  cdg_pack *p;
  cdg_error err;
  const cdg_question *b, *c;

  (void)state;
  assert_int_equal(cdg_pack_load(S_text, sizeof S_text - 1, "c.json", &p,
                                 &err),
                   CDG_OK);
  b = &p->questions[1];
  c = &p->questions[2];
  S_json_is(p, b->enable_when,
            "{\"and\":[{\">\":[{\"var\":\"a\"},2]},{\"<=\":[{\"var\":\"a\"},"
            "9]},{\"!\":{\"missing\":[\"a\"]}}]}");
  assert_string_equal(b->help, "after");
  assert_int_equal(b->noptions, 1);
  assert_string_equal(b->options[0].label, "Yes");
  assert_int_equal(b->ndeps, 1);
  assert_string_equal(b->deps[0], "a");
  S_json_is(p, c->enable_when, "{\"==\":[{\"var\":\"b\"},\"y\"]}");
  assert_int_equal(c->required, 0);
  assert_string_equal(c->deps[0], "b");
  S_json_is(p, p->rules[0].when,
            "{\"or\":[{\"==\":[{\"var\":\"b\"},\"y\"]},{\"==\":[{\"var\":"
            "\"c\"},\"some words here\"]}]}");
  assert_string_equal(p->rules[0].because, "Long.");
  assert_string_equal(p->rules[0].cite[0], "x");
  S_json_is(p, p->rules[1].when, "true");
  assert_null(p->questions[0].enable_when.s);
  cdg_pack_free(p);
}

/* Numbers longer than cJSON reads are rewritten for it in a copy of the
** text; the conditions are parsed again from that copy, and compiled
** conditions hold their strings when the trees are gone. */
static void test_long_numbers_and_own_strings(void **state) {
  static const char text[] =
      HEAD
      "\"questions\": [{\"id\": \"a\", \"type\": \"number\", \"text\": "
      "\"A\"},\n"
      "{\"id\": \"b\", \"type\": \"text\", \"text\": \"B\", \"required\": "
      "false, \"enable_when\": {\">\": [{\"var\": \"a\"}, "
      "2.00000000000000000000000000000000000000000000000000000000000000001"
      "]}}],\n"
      "\"rules\": [{\"id\": \"r\", \"when\": {\"in\": [{\"var\": \"b\"}, "
      "[\"left side\", \"right side\"]]}, \"cite\": [\"x\"], \"because\": "
      "\"B\"}]}";
  static const char yes[] = "{\"a\": 3, \"b\": \"right side\"}";
  static const char no[] = "{\"a\": 3, \"b\": \"other\"}";
  cdg_pack *p;
  cdg_answers *a;
  cdg_error err;
  char *copy;

  (void)state;
  /* loaded from a copy that goes at once: nothing may point into it */
  copy = malloc(sizeof text);
  assert_non_null(copy);
  memcpy(copy, text, sizeof text);
  assert_int_equal(cdg_pack_load(copy, sizeof text - 1, "n.json", &p, &err),
                   CDG_OK);
  memset(copy, ' ', sizeof text - 1);
  free(copy);
  S_json_is(p, p->questions[1].enable_when,
            "{\">\":[{\"var\":\"a\"},2]}");
  assert_int_equal(cdg_answers_parse(p, yes, sizeof yes - 1, "a.json", &a,
                                     &err),
                   CDG_OK);
  assert_int_equal(logic_test(p->questions[1].enable, answers_data(a)), 1);
  assert_int_equal(logic_test(p->rules[0].cond, answers_data(a)), 1);
  cdg_answers_free(a);
  assert_int_equal(cdg_answers_parse(p, no, sizeof no - 1, "a.json", &a,
                                     &err),
                   CDG_OK);
  assert_int_equal(logic_test(p->rules[0].cond, answers_data(a)), 0);
  cdg_answers_free(a);
  cdg_pack_free(p);
}

/* An unknown operator deep in a long condition, and a bad field after
** it: each error at its own place in the text. */
static void test_errors_in_and_after_a_condition(void **state) {
  static const char bad_op[] =
      HEAD
      "\"questions\": [{\"id\": \"a\", \"type\": \"number\", \"text\": "
      "\"A\"},\n"
      "{\"id\": \"b\", \"type\": \"number\", \"text\": \"B\", "
      "\"enable_when\": {\"and\": [{\">\": [{\"var\": \"a\"}, 2]},\n"
      "   {\"nope\": [{\"var\": \"a\"}, 9]}]}}],\n"
      "\"rules\": [{\"id\": \"r\", \"when\": true, \"cite\": [\"x\"], "
      "\"because\": \"B\"}]}";
  static const char bad_after[] =
      HEAD
      "\"questions\": [{\"id\": \"a\", \"type\": \"number\", \"text\": "
      "\"A\"},\n"
      "{\"id\": \"b\", \"type\": \"number\", \"text\": \"B\", "
      "\"enable_when\": {\"and\": [{\">\": [{\"var\": \"a\"}, 2]}, "
      "{\"<\": [{\"var\": \"a\"}, 9]}]},\n"
      "  \"required\": 3}],\n"
      "\"rules\": [{\"id\": \"r\", \"when\": true, \"cite\": [\"x\"], "
      "\"because\": \"B\"}]}";
  cdg_pack *p;
  cdg_error err;
  char line[512];

  (void)state;
  assert_int_equal(cdg_pack_load(bad_op, sizeof bad_op - 1, "c.json", &p,
                                 &err),
                   CDG_ERR_PACK);
  assert_null(p);
  cdg_error_format(&err, line, sizeof line);
  /* the operation holding it: line 4, its brace at column 4 (counted by
  ** hand) */
  assert_string_equal(err.pointer, "/questions/1/enable_when/and/1");
  assert_int_equal(err.line, 4);
  assert_int_equal(err.col, 4);
  assert_non_null(strstr(line, "unknown operator \"nope\""));
  assert_int_equal(cdg_pack_load(bad_after, sizeof bad_after - 1, "c.json",
                                 &p, &err),
                   CDG_ERR_PACK);
  assert_null(p);
  /* the value 3: line 4, column 15 */
  assert_string_equal(err.pointer, "/questions/1/required");
  assert_int_equal(err.line, 4);
  assert_int_equal(err.col, 15);
}

/* Every allocation of the load fails once: a clean error, no leak. */
static void test_out_of_memory(void **state) {
  (void)state;
  assert_true(fixture_load_sweep(S_text, sizeof S_text - 1, "c.json", 1) > 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_conditions_read_as_written),
      cmocka_unit_test(test_long_numbers_and_own_strings),
      cmocka_unit_test(test_errors_in_and_after_a_condition),
      cmocka_unit_test(test_out_of_memory),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
