/*
** test_logic.c: the JsonLogic evaluator's units: compile errors and their
** JSON Pointers, limits, no allocation in logic_test, allocation failures,
** output formatting, an error in every argument of every operator,
** numbers under a comma locale, the operator table. The data-driven cases
** of tests/logic run in test_logic_cases.c.
*/
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdg_limits.h"
#include "cdg_rules.h"
#include "failalloc.h"
#include "logic.h"

/* ---- Helpers for the unit tests ---------------------------------------- */

static logic_expr *S_compile(const char *rule) {
  cJSON *j = cJSON_Parse(rule);
  logic_expr *e = NULL;
  cdg_error err;

  assert_non_null(j);
  if (logic_compile(j, &e, &err) != CDG_OK)
    fail_msg("compiling %s: %s", rule, err.message);
  cJSON_Delete(j);
  return e;
}

/* The error of compiling rule, which must fail. */
static void S_compile_error(const char *rule, const char *pointer,
                            const char *message) {
  cJSON *j = cJSON_Parse(rule);
  logic_expr *e = NULL;
  cdg_error err;

  assert_non_null(j);
  if (logic_compile(j, &e, &err) != CDG_ERR_LOGIC)
    fail_msg("compiling %s should fail", rule);
  assert_null(e);
  if (strcmp(err.pointer, pointer) != 0)
    fail_msg("%s: pointer \"%s\", expected \"%s\"", rule, err.pointer,
             pointer);
  if (strcmp(err.message, message) != 0)
    fail_msg("%s: message \"%s\", expected \"%s\"", rule, err.message,
             message);
  cJSON_Delete(j);
}

/* cdg_logic_eval_json's exact output. */
static void S_output(const char *rule, const char *data, const char *want) {
  char *got = NULL;
  cdg_error err;

  if (cdg_logic_eval_json(rule, data, &got, &err) != CDG_OK)
    fail_msg("%s: %s", rule, err.message);
  if (strcmp(got, want) != 0)
    fail_msg("%s on %s: printed %s, expected %s", rule, data ? data : "null",
             got, want);
  cdg_free(got);
}

/* ---- Unit tests --------------------------------------------------------- */

static void test_unknown_operator(void **state) {
  char msg[512];
  char *out = (char *)1;
  cdg_error err;

  (void)state;
  S_compile_error("{\"foo\": 1}", "", "unknown operator \"foo\"");
  S_compile_error("{\"and\": [true, {\"or\": [false, {\"bar\": [1]}]}]}",
                  "/and/1/or/1", "unknown operator \"bar\"");
  S_compile_error("{\"!\": {\"a/b~c\": 1}}", "/!", "unknown operator "
                  "\"a/b~c\"");
  S_compile_error("[1, {\"if\": [true, {\"x/y\": {\"z~\": 0}}]}]",
                  "/1/if/1", "unknown operator \"x/y\"");
  /* json-logic-js has no "method" and treats dotted names as lookups */
  S_compile_error("{\"method\": [\"a\", \"toUpperCase\"]}", "",
                  "unknown operator \"method\"");
  S_compile_error("{\"==.length\": [1, 1]}", "",
                  "unknown operator \"==.length\"");
  /* through the public API: file "rule" and line:col of the object */
  assert_int_equal(cdg_logic_eval_json("{\"and\": [\n  true, {\"foo\": 1}]}",
                                       NULL, &out, &err),
                   CDG_ERR_LOGIC);
  assert_null(out);
  cdg_error_format(&err, msg, sizeof msg);
  assert_string_equal(msg, "rule:2:9: unknown operator \"foo\" (at /and/1)");
}

static void test_not_rules(void **state) {
  (void)state;
  /* objects with other than one key are data, their contents unevaluated */
  S_output("{\"a\": {\"foo\": 1}, \"b\": {\"var\": \"x\"}}", "{\"x\": 1}",
           "{\"a\":{\"foo\":1},\"b\":{\"var\":\"x\"}}");
  S_output("{}", NULL, "{}");
  S_output("[{}, {\"var\": \"x\"}]", "{\"x\": 2}", "[{},2]");
}

static void S_nested(char *buf, size_t size, int levels) {
  size_t n = 0;
  int i;

  for (i = 0; i < levels; i++)
    n += (size_t)snprintf(buf + n, size - n, "{\"!\":");
  n += (size_t)snprintf(buf + n, size - n, "true");
  for (i = 0; i < levels; i++)
    n += (size_t)snprintf(buf + n, size - n, "}");
}

static void test_depth_limit(void **state) {
  static char rule[8192];
  char *out = NULL;
  cdg_error err;

  (void)state;
  S_nested(rule, sizeof rule, 100);
  S_output(rule, NULL, "true");
  S_nested(rule, sizeof rule, 101);
  assert_int_equal(cdg_logic_eval_json(rule, NULL, &out, &err),
                   CDG_ERR_LOGIC);
  assert_string_equal(err.message, "expression nested deeper than 100 levels");
  assert_null(out);
}

static void test_step_limit(void **state) {
  static char rule[16384];
  char items[1024], *out = NULL;
  size_t n = 0;
  cdg_error err;
  int i;

  (void)state;
  for (i = 0; i < 100; i++)
    n += (size_t)snprintf(items + n, sizeof items - n, "%s%d", i ? "," : "",
                          i);
  /* 100^4 = 1e8 evaluations of the innermost false */
  snprintf(rule, sizeof rule,
           "{\"some\":[[%s],{\"some\":[[%s],{\"some\":[[%s],"
           "{\"some\":[[%s],false]}]}]}]}",
           items, items, items, items);
  assert_int_equal(cdg_logic_eval_json(rule, NULL, &out, &err),
                   CDG_ERR_LOGIC);
  assert_string_equal(err.message,
                      "evaluation takes more than 10000000 steps");
  assert_null(out);
}

static void test_memory_limit(void **state) {
  char *out = NULL;
  cdg_error err;

  (void)state;
  /* the accumulator doubles 40 times */
  assert_int_equal(
      cdg_logic_eval_json(
          "{\"reduce\":[[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,"
          "21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40],"
          "{\"merge\":[{\"var\":\"accumulator\"},{\"var\":\"accumulator\"}]},"
          "[1]]}",
          NULL, &out, &err),
      CDG_ERR_LOGIC);
  assert_string_equal(err.message, "evaluation needs more than 16777216 bytes");
  /* a string that doubles */
  assert_int_equal(
      cdg_logic_eval_json(
          "{\"reduce\":[{\"var\":\"\"},{\"cat\":[{\"var\":\"accumulator\"},"
          "{\"var\":\"accumulator\"}]},\"xxxxxxxxxxxxxxxx\"]}",
          "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,"
          "25,26,27,28,29,30]",
          &out, &err),
      CDG_ERR_LOGIC);
  assert_string_equal(err.message, "evaluation needs more than 16777216 bytes");
  assert_null(out);
}

static void test_output_format(void **state) {
  (void)state;
  S_output("1e21", NULL, "1e+21");
  S_output("123456789012345678901", NULL, "123456789012345680000");
  S_output("1e-7", NULL, "1e-7");
  S_output("0.000001", NULL, "0.000001");
  S_output("-1.5e-10", NULL, "-1.5e-10");
  S_output("{\"+\": [0.1, 0.2]}", NULL, "0.30000000000000004");
  S_output("{\"/\": [1, 3]}", NULL, "0.3333333333333333");
  S_output("{\"*\": [-1, 0]}", NULL, "0");
  S_output("{\"/\": [1, 0]}", NULL, "null");
  S_output("{\"*\": [1e300, 1e300]}", NULL, "null");
  S_output("{\"-\": [{\"var\": \"s\"}]}", "{\"s\": \"x\"}", "null");
  S_output("[1, {\"/\": [0, 0]}, \"a\"]", NULL, "[1,null,\"a\"]");
  S_output("\"tab\\tquote\\\" back\\\\ \\u0001 \\u007f é\"", NULL,
           "\"tab\\tquote\\\" back\\\\ \\u0001 \x7f é\"");
  S_output("{\"var\": \"\"}", "{\"b\": [true, null], \"a\": 1}",
           "{\"b\":[true,null],\"a\":1}");
  /* reduce's scope as data, in json-logic-js key order */
  S_output("{\"reduce\": [[5], {\"var\": \"\"}, 0]}", NULL,
           "{\"current\":5,\"accumulator\":0}");
}

/* A value from the data bigger than an evaluation may make: copying it
** into a new string or array is refused at the limit, not attempted. */
static void test_big_data(void **state) {
  size_t n = CDG_MAX_LOGIC_BYTES + 100, k, items = 1100000;
  char *data = malloc(n + 16), *out = NULL;
  cdg_error err;

  (void)state;
  assert_non_null(data);
  memcpy(data, "{\"s\":\"", 6);
  memset(data + 6, 'x', n);
  memcpy(data + 6 + n, "\"}", 3);
  assert_int_equal(cdg_logic_eval_json("{\"cat\":[{\"var\":\"s\"}]}", data,
                                       &out, &err),
                   CDG_ERR_LOGIC);
  assert_string_equal(err.message, "evaluation needs more than 16777216 bytes");
  assert_int_equal(cdg_logic_eval_json("{\"substr\":[{\"var\":\"s\"},1]}",
                                       data, &out, &err),
                   CDG_ERR_LOGIC);
  assert_string_equal(err.message, "evaluation needs more than 16777216 bytes");
  assert_null(out);
  /* merge of an array of 1,100,000 numbers: more values than the limit
  ** holds (16 bytes each) */
  free(data);
  data = malloc(2 * items + 16);
  assert_non_null(data);
  memcpy(data, "{\"a\":[", 6);
  for (k = 0; k < items; k++)
    memcpy(data + 6 + 2 * k, k + 1 < items ? "1," : "1]", 2);
  memcpy(data + 6 + 2 * items, "}", 2);
  assert_int_equal(cdg_logic_eval_json("{\"merge\":[{\"var\":\"a\"}]}", data,
                                       &out, &err),
                   CDG_ERR_LOGIC);
  assert_string_equal(err.message, "evaluation needs more than 16777216 bytes");
  assert_null(out);
  free(data);
}

/* {"k": "<prefix><n times pad>"} in a new string (free). */
static char *S_big_string(const char *k, const char *prefix, char pad,
                          size_t n) {
  size_t kn = strlen(k), pn = strlen(prefix);
  char *d = malloc(kn + pn + n + 16), *p = d;

  assert_non_null(d);
  p += sprintf(p, "{\"%s\":\"%s", k, prefix);
  memset(p, pad, n);
  strcpy(p + n, "\"}");
  return d;
}

/* The rule on data fails with the memory limit's message. */
static void S_over_limit(const char *rule, const char *data) {
  char *out = NULL;
  cdg_error err;

  if (cdg_logic_eval_json(rule, data, &out, &err) != CDG_ERR_LOGIC ||
      strcmp(err.message, "evaluation needs more than 16777216 bytes") != 0)
    fail_msg("%s: want the memory limit, got \"%s\"", rule, err.message);
  assert_null(out);
}

/*
** Each place that copies data into the evaluation's memory stops at the
** limit: strings made from a big array, the list of missing keys, a
** substr end that is a long string, and the string made after a big
** slice.
*/
static void test_big_data_everywhere(void **state) {
  size_t items = 1100000, k; /* of 15 bytes each: 16.5 MB joined */
  char *d = malloc(items * 18 + 16), *p;

  (void)state;
  assert_non_null(d);
  p = d + sprintf(d, "{\"b\":[");
  for (k = 0; k < items; k++)
    p += sprintf(p, "\"xxxxxxxxxxxxxxx\"%s", k + 1 < items ? "," : "]}");
  S_over_limit("{\"substr\":[{\"var\":\"b\"},0]}", d);
  S_over_limit("{\"map\":[{\"var\":\"b\"},1]}", d);
  S_over_limit("{\"missing_some\":[1,{\"var\":\"b\"}]}", d);
  S_over_limit("{\"missing_some\":[1,[{\"var\":\"b\"}]]}", d);
  S_over_limit("{\"<\":[\"a\",\"b\",{\"var\":\"b\"}]}", d);
  free(d);
  /* "-1" and 17 MB of spaces: Number() is -1, so substr joins the
  ** length and the end as strings, as json-logic-js does. */
  d = S_big_string("s", "-1", ' ', CDG_MAX_LOGIC_BYTES + 100);
  S_over_limit("{\"substr\":[\"abc\",0,{\"var\":\"s\"}]}", d);
  free(d);
  /* A 10 MB slice, then a 7 MB end: together past the limit. */
  d = malloc(18 << 20);
  assert_non_null(d);
  p = d + sprintf(d, "{\"x\":\"");
  memset(p, 'x', 10 << 20);
  p += 10 << 20;
  p += sprintf(p, "\",\"e\":\"-1");
  memset(p, ' ', 7 << 20);
  strcpy(p + (7 << 20), "\"}");
  S_over_limit("{\"substr\":[{\"var\":\"x\"},0,{\"var\":\"e\"}]}", d);
  free(d);
}

/* A wide operator takes its arguments from the arena: out of memory
** there is an error like any other. */
static void test_wide_alloc_failures(void **state) {
  char rule[2048], *p = rule, *out;
  cdg_error err;
  cdg_status st;
  long k;
  int i;

  (void)state;
  p += sprintf(p, "{\"+\":[");
  for (i = 0; i < 70; i++)
    p += sprintf(p, "%s{\"var\":\"a\"}", i ? "," : "");
  strcpy(p, "]}");
  for (k = 1; k < 1000; k++) {
    out = NULL;
    failalloc_start(k);
    st = cdg_logic_eval_json(rule, "{\"a\": 2}", &out, &err);
    failalloc_stop();
    if (st == CDG_OK) {
      assert_string_equal(out, "140");
      cdg_free(out);
      if (failalloc_count() < k)
        break;
    } else {
      assert_int_equal(st, CDG_ERR_NOMEM);
      assert_null(out);
    }
  }
  assert_true(k < 1000);
}

static void test_api(void **state) {
  logic_expr *e = NULL;
  cJSON *data, *res = NULL, *j;
  cdg_error err;

  (void)state;
  logic_free(NULL);
  assert_int_equal(logic_compile(NULL, &e, &err), CDG_ERR_LOGIC);
  assert_null(e);
  e = S_compile("{\"var\": [\"a.b\", 7]}");
  data = cJSON_Parse("{\"a\": {\"b\": [1]}}");
  assert_int_equal(logic_eval(e, data, &res, &err), CDG_OK);
  assert_true(cJSON_IsArray(res) && cJSON_GetArraySize(res) == 1);
  cJSON_Delete(res);
  assert_int_equal(logic_eval(e, NULL, &res, &err), CDG_OK); /* null data */
  assert_true(cJSON_IsNumber(res) && res->valuedouble == 7);
  cJSON_Delete(res);
  assert_int_equal(logic_test(e, data), 1);
  assert_int_equal(logic_test(e, NULL), 1);
  logic_free(e);
  /* No expression: an error, not a crash. */
  assert_int_equal(logic_test(NULL, data), LOGIC_FAIL);
  assert_int_equal(logic_eval(NULL, data, &res, &err), CDG_ERR_LOGIC);
  assert_string_equal(err.message, "no expression");
  assert_null(res);
  e = S_compile("{\"*\": []}"); /* json-logic-js throws: reduce of [] */
  assert_int_equal(logic_test(e, data), LOGIC_FAIL); /* not out of memory */
  assert_int_equal(logic_eval(e, data, &res, &err), CDG_ERR_LOGIC);
  assert_null(res);
  logic_free(e);
  cJSON_Delete(data);
  assert_int_equal(cdg_logic_eval_json("{\"var\": 1", NULL, (char **)&res,
                                       &err),
                   CDG_ERR_SYNTAX);
  assert_string_equal(err.file, "rule");
  assert_int_equal(cdg_logic_eval_json("true", "[1,", (char **)&res, &err),
                   CDG_ERR_SYNTAX);
  assert_string_equal(err.file, "data");
  assert_int_equal(cdg_logic_eval_json(NULL, NULL, (char **)&res, NULL),
                   CDG_ERR_LOGIC);

  j = cJSON_Parse("[[], [0], 0, \"\", \"0\", null, {}, false, -1]");
  {
    static const int want[] = {0, 1, 0, 0, 1, 0, 1, 0, 1};
    cJSON *x;
    int i = 0;
    cJSON_ArrayForEach(x, j) {
      if (logic_truthy(x) != want[i])
        fail_msg("logic_truthy of item %d", i);
      i++;
    }
  }
  cJSON_Delete(j);
}

/* Rules of the shape the pack uses must not allocate in logic_test. */
static void test_test_does_not_allocate(void **state) {
  static const char *rules[] = {
      "{\"some\": [{\"var\": \"posture\"}, {\"==\": [{\"var\": \"\"}, "
      "\"torticollis\"]}]}",
      "{\"in\": [\"botulinum_toxin\", {\"var\": \"treatments_tried\"}]}",
      "{\"and\": [{\"==\": [{\"var\": \"age_group\"}, \"adult\"]}, "
      "{\"!\": {\"in\": [\"none\", {\"var\": \"treatments_tried\"}]}}, "
      "{\"or\": [{\"==\": [{\"var\": \"outcome_botulinum_toxin\"}, "
      "\"not_helped\"]}, {\"!!\": {\"var\": \"x\"}}]}]}",
      "{\"some\": [{\"var\": \"posture\"}, {\"in\": [{\"var\": \"\"}, "
      "[\"retrocollis\", \"anterocollis\"]]}]}",
      "{\"!\": {\"missing\": [\"posture\", \"age_group\"]}}",
      "{\"missing_some\": [1, [\"outcome_botulinum_toxin\", \"x\"]]}",
      "{\"all\": [{\"var\": \"treatments_tried\"}, {\"!=\": [{\"var\": \"\"}, "
      "\"none\"]}]}",
      "{\"<=\": [18, {\"var\": \"age\"}, 65]}",
      "{\"if\": [{\"===\": [{\"var\": \"age_group\"}, \"child\"]}, false, "
      "true]}"};
  static const int want[] = {1, 1, 1, 0, 1, 0, 1, 1, 1};
  cJSON *data = cJSON_Parse(
      "{\"posture\": [\"torticollis\"], \"age_group\": \"adult\", "
      "\"age\": 40, \"treatments_tried\": [\"botulinum_toxin\", "
      "\"physiotherapy\"], \"outcome_botulinum_toxin\": \"not_helped\"}");
  logic_expr *e;
  size_t i;

  (void)state;
  assert_non_null(data);
  for (i = 0; i < sizeof rules / sizeof rules[0]; i++) {
    e = S_compile(rules[i]);
    failalloc_start(0);
    if (logic_test(e, data) != want[i])
      fail_msg("logic_test(%s) should be %d", rules[i], want[i]);
    if (failalloc_count() != 0)
      fail_msg("logic_test(%s) allocated %ld times", rules[i],
               failalloc_count());
    failalloc_stop();
    logic_free(e);
  }
  cJSON_Delete(data);
}

/* Fail each allocation in turn: NOMEM or the right result, never a leak
** or a crash. */
static void test_allocation_failures(void **state) {
  static const char rule[] =
      "{\"cat\": [{\"map\": [{\"merge\": [{\"var\": \"a\"}, [4, 5], 6]}, "
      "{\"*\": [{\"var\": \"\"}, 1.5]}]}, \"-\", {\"reduce\": [{\"var\": "
      "\"a\"}, {\"+\": [{\"var\": \"current\"}, {\"var\": "
      "\"accumulator\"}]}, 0]}, {\"missing\": [\"a\", \"b\"]}]}";
  char *out;
  cdg_error err;
  cdg_status st;
  long k;

  (void)state;
  for (k = 1; k < 1000; k++) {
    out = NULL;
    failalloc_start(k);
    st = cdg_logic_eval_json(rule, "{\"a\": [1, 2, 3]}", &out, &err);
    failalloc_stop();
    if (st == CDG_OK) {
      assert_string_equal(out, "\"1.5,3,4.5,6,7.5,9-6b\"");
      cdg_free(out);
      if (failalloc_count() < k)
        break; /* no allocation left to fail */
    } else {
      if (st != CDG_ERR_NOMEM)
        fail_msg("failing allocation %ld gave status %d", k, (int)st);
      assert_null(out);
    }
  }
  assert_true(k < 1000);
}

/* ---- Errors inside every argument, and the locale ------------------------ */

/*
** An evaluation error inside any argument of any operator comes out of the
** whole rule as that error, with no result and no crash. The argument X is
** a string that doubles until it passes the evaluator's memory limit (as
** in test_memory_limit), placed in every argument position of every
** operator; it reads no data, so it fails inside iteration bodies too.
*/
#define X                                                                      \
  "{\"reduce\":[[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,"    \
  "23,24,25,26,27,28,29,30],{\"cat\":[{\"var\":\"accumulator\"},"              \
  "{\"var\":\"accumulator\"}]},\"xxxxxxxxxxxxxxxx\"]}"
#define X_DATA "{\"a\":1}"
#define X_LIMIT "evaluation needs more than 16777216 bytes"

static void test_error_in_every_argument(void **state) {
  static const char *const rules[] = {
      "{\"==\":[" X ",1]}",
      "{\"==\":[1," X "]}",
      "{\"!=\":[" X ",1]}",
      "{\"===\":[" X ",1]}",
      "{\"!==\":[1," X "]}",
      "{\"<\":[" X ",1]}",
      "{\"<\":[1," X "]}",
      "{\"<\":[1,2," X "]}",
      "{\"<=\":[" X ",1,2]}",
      "{\"<=\":[1,2," X "]}",
      "{\">\":[" X ",1]}",
      "{\">=\":[1," X "]}",
      "{\"in\":[" X ",\"a\"]}",
      "{\"in\":[\"a\"," X "]}",
      "{\"substr\":[" X ",1]}",
      "{\"substr\":[\"abc\"," X "]}",
      "{\"substr\":[\"abc\",1," X "]}",
      "{\"!\":[" X "]}",
      "{\"!!\":[" X "]}",
      "{\"if\":[" X ",1,2]}",
      "{\"if\":[true," X ",2]}",
      "{\"if\":[false,1," X "]}",
      "{\"?:\":[" X ",1,2]}",
      "{\"and\":[true," X "]}",
      "{\"or\":[false," X "]}",
      "{\"max\":[1," X "]}",
      "{\"min\":[" X "]}",
      "{\"+\":[" X "]}",
      "{\"-\":[" X ",1]}",
      "{\"-\":[1," X "]}",
      "{\"-\":[" X "]}",
      "{\"*\":[" X ",2]}",
      "{\"/\":[" X ",2]}",
      "{\"/\":[2," X "]}",
      "{\"%\":[" X ",2]}",
      "{\"%\":[2," X "]}",
      "{\"cat\":[\"a\"," X "]}",
      "{\"log\":[" X "]}",
      "{\"merge\":[[1]," X "]}",
      "{\"missing\":[" X "]}",
      "{\"missing\":[\"a\"," X "]}",
      "{\"missing_some\":[" X ",[\"a\"]]}",
      "{\"missing_some\":[1," X "]}",
      "{\"var\":[" X "]}",
      "{\"var\":[\"zz\"," X "]}",
      "{\"map\":[" X ",1]}",
      "{\"map\":[[1]," X "]}",
      "{\"filter\":[" X ",true]}",
      "{\"filter\":[[1]," X "]}",
      "{\"reduce\":[" X ",1,0]}",
      "{\"reduce\":[[1]," X ",0]}",
      "{\"reduce\":[[1],1," X "]}",
      "{\"all\":[" X ",true]}",
      "{\"all\":[[1]," X "]}",
      "{\"some\":[[1]," X "]}",
      "{\"none\":[" X ",true]}",
      "{\"none\":[[1]," X "]}",
      "[1," X "]",
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof rules / sizeof *rules; i++) {
    char *out = (char *)1;
    cdg_error err;
    cdg_status st;

    cdg_error_clear(&err);
    st = cdg_logic_eval_json(rules[i], X_DATA, &out, &err);

    if (st != CDG_ERR_LOGIC || strcmp(err.message, X_LIMIT) != 0)
      fail_msg("%s: %s: %s, expected %s", rules[i], cdg_status_str(st),
               err.message, X_LIMIT);
    assert_null(out);
  }
}

#ifdef CDG_LOCPATH
/* 597 zeros: "2.5" and these are over the evaluator's 512-byte buffer for
** a number written with the locale's decimal point. */
#define Z50 "00000000000000000000000000000000000000000000000000"
#define Z597                                                                   \
  Z50 Z50 Z50 Z50 Z50 Z50 Z50 Z50 Z50 Z50 Z50                                  \
      "0000000000000000000000000000000000000000000000"

static void S_expect_in_locale(const char *rule, const char *want) {
  char *out = NULL;
  cdg_error err;

  if (cdg_logic_eval_json(rule, NULL, &out, &err) != CDG_OK)
    fail_msg("%s: %s", rule, err.message);
  if (strcmp(out, want) != 0)
    fail_msg("%s: got %s, expected %s", rule, out, want);
  cdg_free(out);
}

/* Under a locale whose decimal point is a comma (de_DE, made by CMake with
** localedef in the build tree), numbers in strings are still read with
** ".", as JavaScript reads them, and "," still ends a number. */
static void test_comma_locale(void **state) {
  (void)state;
  assert_int_equal(setenv("LOCPATH", CDG_LOCPATH, 1), 0);
  if (!setlocale(LC_NUMERIC, "de_DE.UTF-8"))
    fail_msg("no locale de_DE.UTF-8 under %s", CDG_LOCPATH);
  assert_string_equal(localeconv()->decimal_point, ",");
  S_expect_in_locale("{\"+\":[\"1.5\",\"2.25\"]}", "3.75");
  S_expect_in_locale("{\"*\":[\"-0.5\",4]}", "-2");
  S_expect_in_locale("{\"==\":[\" 2.5 \",2.5]}", "true");
  S_expect_in_locale("{\"+\":[\"1,5\"]}", "1");
  S_expect_in_locale("{\"cat\":[0.25]}", "\"0.25\"");
  S_expect_in_locale("{\"*\":[\"2.5" Z597 "\",2]}", "5");
  setlocale(LC_NUMERIC, "C");
}
#endif

/* ---- The operator table ---------------------------------------------------- */

/* Every code has one entry under its name; "?:" is "if"; exactly the six
** iterating operators rebind the data; unknown names are not found. */
static void test_operator_table(void **state) {
  static const char *const rebinds[] = {"map",  "filter", "reduce",
                                        "all",  "some",   "none"};
  const logic_op *o;
  size_t i, k, nrebind = 0;

  (void)state;
  for (i = 0; i < LOGIC_OP_COUNT; i++) {
    o = logic_op_get((logic_opcode)i);
    assert_non_null(o);
    assert_int_equal(o->code, i);
    assert_ptr_equal(logic_op_find(o->name), o);
    if (o->flags & LOGIC_OP_REBINDS) {
      nrebind++;
      for (k = 0; k < 6 && strcmp(rebinds[k], o->name) != 0; k++)
        ;
      if (k == 6)
        fail_msg("%s should not rebind the data", o->name);
    }
  }
  assert_int_equal(nrebind, 6);
  assert_int_equal(logic_op_find("?:")->code, LOGIC_OP_IF);
  assert_int_equal(logic_op_find("<")->nargs, 3);
  assert_int_equal(logic_op_find("!")->nargs, 1);
  assert_int_equal(logic_op_find("cat")->nargs, LOGIC_NARGS_ALL);
  assert_null(logic_op_find("varx"));
  assert_null(logic_op_find(""));
  assert_null(logic_op_find("Var"));
  assert_null(logic_op_get(LOGIC_OP_COUNT));
}

int main(void) {
  static const struct CMUnitTest units[] = {
      cmocka_unit_test(test_unknown_operator),
      cmocka_unit_test(test_not_rules),
      cmocka_unit_test(test_depth_limit),
      cmocka_unit_test(test_step_limit),
      cmocka_unit_test(test_memory_limit),
      cmocka_unit_test(test_output_format),
      cmocka_unit_test(test_api),
      cmocka_unit_test(test_big_data),
      cmocka_unit_test(test_big_data_everywhere),
      cmocka_unit_test(test_wide_alloc_failures),
      cmocka_unit_test(test_test_does_not_allocate),
      cmocka_unit_test(test_allocation_failures),
      cmocka_unit_test(test_error_in_every_argument),
#ifdef CDG_LOCPATH
      cmocka_unit_test(test_comma_locale),
#endif
      cmocka_unit_test(test_operator_table),
  };

  return cmocka_run_group_tests_name("logic", units, NULL, NULL);
}
