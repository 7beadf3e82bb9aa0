/*
** test_pack.c: the pack loader on the fixture pack, its accessors, the
** dependency order, the names JsonLogic reads, a few format errors with
** their exact positions (the rest in test_pack_errors.c), the option limit
** and a 100k-question pack.
*/
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdg_rules.h"
#include "fixture.h"
#include "pack.h"

#define FIXTURE CDG_SOURCE_DIR "/tests/fixtures/mini"

static cdg_pack *S_fixture(void) {
  cdg_pack *pack = NULL;
  cdg_error err;
  cdg_status st = cdg_pack_load_dir(FIXTURE, &pack, &err);

  assert_int_equal(st, CDG_OK);
  return pack;
}

static void test_header(void **state) {
  cdg_pack *pack = S_fixture();

  (void)state;
  assert_string_equal(cdg_pack_id(pack), "mini");
  assert_string_equal(cdg_pack_version(pack), "0.1.0");
  assert_string_equal(cdg_pack_title(pack), "Mini test pack");
  assert_string_equal(cdg_pack_file(pack), FIXTURE "/pack.json");
  assert_string_equal(cdg_pack_source_title(pack),
                      "Invented source for tests");
  assert_string_equal(cdg_pack_source_publisher(pack), "Nobody");
  assert_string_equal(
      cdg_pack_source_sha256(pack),
      "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
  cdg_pack_free(pack);
}

static void test_questions(void **state) {
  cdg_pack *pack = S_fixture();
  const cdg_question *q;
  double min = -1, max = -1;
  char *json;

  (void)state;
  assert_int_equal(cdg_pack_question_count(pack), 6);
  q = cdg_pack_question(pack, 0);
  assert_string_equal(cdg_question_id(q), "posture");
  assert_int_equal(cdg_question_type(q), CDG_Q_MULTI);
  assert_string_equal(cdg_question_text(q), "Which way is the head pulled?");
  assert_string_equal(cdg_question_help(q), "Choose all that apply.");
  assert_int_equal(cdg_question_required(q), 1);
  assert_int_equal(cdg_question_option_count(q), 3);
  assert_string_equal(cdg_question_option_code(q, 1), "torticollis");
  assert_string_equal(cdg_question_option_label(q, 1), "Turned to one side");
  assert_int_equal(cdg_question_option_exclusive(q, 1), 0);
  assert_int_equal(cdg_question_option_exclusive(q, 2), 1);
  assert_int_equal(cdg_question_find_option(q, "not_sure"), 2);
  assert_int_equal(cdg_question_find_option(q, "sideways"), -1);
  assert_int_equal(cdg_question_range(q, &min, &max), 0);
  assert_null(cdg_question_enable_when_json(q));
  assert_int_equal(cdg_question_conditional(q), 0);
  assert_int_equal(cdg_question_passage_count(q), 2);
  assert_string_equal(cdg_question_passage(q, 0), "cd-postures");
  assert_string_equal(cdg_question_passage(q, 1), "cd-muscle-groups");

  q = cdg_pack_find_question(pack, "age_group");
  assert_non_null(q);
  assert_int_equal(cdg_question_index(q), 1);
  assert_int_equal(cdg_question_type(q), CDG_Q_SINGLE);
  assert_string_equal(cdg_question_help(q), "");
  assert_int_equal(cdg_question_passage_count(q), 0);

  q = cdg_pack_find_question(pack, "outcome_toxin");
  assert_int_equal(cdg_question_index(q), 3);
  assert_int_equal(cdg_question_conditional(q), 1);
  json = cdg_question_enable_when_json(q);
  assert_string_equal(json, "{\"in\":[\"toxin\",{\"var\":\"tried\"}]}");
  cdg_free(json);

  q = cdg_pack_find_question(pack, "side_effects");
  assert_int_equal(cdg_question_type(q), CDG_Q_TEXT);
  assert_int_equal(cdg_question_required(q), 0);
  assert_int_equal(cdg_question_option_count(q), 0);

  q = cdg_pack_find_question(pack, "years");
  assert_int_equal(cdg_question_type(q), CDG_Q_NUMBER);
  assert_int_equal(cdg_question_range(q, &min, &max), 3);
  assert_true(min == 0 && max == 90);

  assert_null(cdg_pack_find_question(pack, "nope"));
  assert_null(cdg_pack_find_question(pack, ""));
  assert_null(cdg_pack_question(pack, 6));
  cdg_pack_free(pack);
}

static void test_rules(void **state) {
  cdg_pack *pack = S_fixture();

  (void)state;
  assert_int_equal(cdg_pack_rule_count(pack), 6);
  assert_string_equal(cdg_rule_id(pack, 0), "always");
  assert_string_equal(cdg_rule_because(pack, 0), "Always shown.");
  assert_int_equal(cdg_rule_cite_count(pack, 0), 3);
  assert_string_equal(cdg_rule_cite(pack, 0, 2), "standard-treatment");
  assert_string_equal(cdg_rule_id(pack, 3), "toxin_failed");
  assert_int_equal(cdg_rule_cite_count(pack, 3), 2);
  assert_string_equal(cdg_rule_cite(pack, 3, 0), "spd-alternative");
  assert_null(cdg_rule_id(pack, 6));
  assert_null(cdg_rule_cite(pack, 0, 3));
  cdg_pack_free(pack);
}

/* The fixture's chain: outcome_toxin reads tried, side_effects reads
** outcome_toxin. */
static void test_deps(void **state) {
  cdg_pack *pack = S_fixture();
  const cdg_question *q = cdg_pack_find_question(pack, "side_effects");

  (void)state;
  assert_int_equal(q->ndeps, 1);
  assert_string_equal(q->deps[0], "outcome_toxin");
  assert_int_equal(q->depidx[0], 3);
  q = cdg_pack_find_question(pack, "posture");
  assert_int_equal(q->ndeps, 0);
  cdg_pack_free(pack);
}

/* A minimal pack around the given question lines: line 1 the header,
** line 2 "questions":[, then the questions, then the rules line. */
static char *S_pack(const char *questions, const char *rules) {
  static char buf[8192];

  snprintf(buf, sizeof buf,
           "{\"id\":\"t\",\"version\":\"1\",\"title\":\"T\",\"source\":{"
           "\"title\":\"S\",\"publisher\":\"P\",\"sha256\":\"%s\"},\n"
           "\"questions\":[\n%s\n],\"rules\":[%s]}",
           "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
           questions, rules);
  return buf;
}

static cdg_pack *S_load_ok(const char *json) {
  cdg_pack *pack = NULL;
  cdg_error err;
  char line[1024];
  cdg_status st = cdg_pack_load(json, strlen(json), "t.json", &pack, &err);

  if (st != CDG_OK) {
    cdg_error_format(&err, line, sizeof line);
    fail_msg("pack did not load: %s\n%.300s", line, json);
  }
  return pack;
}

/* Pack order a, b, c, d where a reads c and c reads d: dependencies come
** first, otherwise pack order. */
static void test_topo(void **state) {
  cdg_pack *pack = S_load_ok(S_pack(
      "{\"id\":\"a\",\"type\":\"text\",\"text\":\"A\","
      "\"enable_when\":{\"and\":[{\"var\":\"c\"},{\"var\":\"c.x\"}]}},\n"
      "{\"id\":\"b\",\"type\":\"text\",\"text\":\"B\"},\n"
      "{\"id\":\"c\",\"type\":\"text\",\"text\":\"C\","
      "\"enable_when\":{\"missing\":[\"d\",\"zz\"]}},\n"
      "{\"id\":\"d\",\"type\":\"text\",\"text\":\"D\"}",
      ""));
  const size_t want[] = {3, 2, 0, 1};
  size_t i;

  (void)state;
  for (i = 0; i < 4; i++)
    assert_int_equal(pack->topo[i], want[i]);
  /* c.x and c count once; the unknown zz is left to the linter. */
  assert_int_equal(pack->questions[0].ndeps, 1);
  assert_int_equal(pack->questions[2].ndeps, 1);
  assert_string_equal(pack->questions[2].deps[0], "d");
  cdg_pack_free(pack);
}

/* pack_walk_vars: the names an expression reads, with pointers. */
typedef struct S_seen {
  char text[1024];
} S_seen;

static void S_record(void *ctx, const char *name, const char *pointer) {
  S_seen *s = ctx;
  size_t n = strlen(s->text);

  snprintf(s->text + n, sizeof s->text - n, "%s%s@%s", n ? " " : "", name,
           pointer);
}

static void test_walk_vars(void **state) {
  const char *src =
      "{\"and\":[{\"var\":\"x.y\"},{\"missing\":[\"p\",\"q.r\"]},"
      "{\"some\":[{\"var\":\"list\"},{\"==\":[{\"var\":\"inner\"},1]}]},"
      "{\"missing_some\":[1,[\"m\"]]},{\"var\":[\"d\",0]},"
      "{\"reduce\":[{\"var\":\"r\"},{\"var\":\"accumulator\"},"
      "{\"var\":\"init\"}]},{\"a/b\":{\"var\":\"s\"}},"
      "{\"missing\":\"t.u\"}]}";
  cJSON *e = cJSON_Parse(src);
  S_seen seen = {""};

  (void)state;
  assert_non_null(e);
  pack_walk_vars(e, S_record, &seen);
  assert_string_equal(seen.text,
                      "x@/and/0/var p@/and/1/missing/0 q@/and/1/missing/1 "
                      "list@/and/2/some/0/var m@/and/3/missing_some/1/0 "
                      "d@/and/4/var/0 r@/and/5/reduce/0/var "
                      "init@/and/5/reduce/2/var s@/and/6/a~1b/var "
                      "t@/and/7/missing");
  cJSON_Delete(e);
}

static void S_expect_error(const char *json, cdg_status want_st,
                           const char *want) {
  cdg_pack *pack = NULL;
  cdg_error err;
  char line[1024];
  cdg_status st = cdg_pack_load(json, strlen(json), "t.json", &pack, &err);

  assert_null(pack);
  if (st != want_st)
    fail_msg("status %d, want %d, for\n%s", st, want_st, json);
  cdg_error_format(&err, line, sizeof line);
  if (strcmp(line, want) != 0)
    fail_msg("got  %s\nwant %s\nfor\n%s", line, want, json);
}

static void test_errors(void **state) {
  (void)state;
  S_expect_error("[]", CDG_ERR_PACK,
                 "t.json:1:1: a pack must be a JSON object");
  S_expect_error(
      S_pack("{\"id\":\"a\",\"type\":\"text\",\"text\":\"A\","
             "\"enable_when\":{\"var\":\"b\"}},\n"
             "{\"id\":\"b\",\"type\":\"text\",\"text\":\"B\","
             "\"enable_when\":{\"!\":{\"var\":\"a\"}}}",
             ""),
      CDG_ERR_PACK,
      "t.json:3:50: enable_when cycle: a -> b -> a "
      "(at /questions/0/enable_when)");
  S_expect_error(S_pack("{\"id\":\"a\",\"type\":\"text\",\"text\":\"A\","
                        "\"enable_when\":{\"var\":\"a.x\"}}",
                        ""),
                 CDG_ERR_PACK,
                 "t.json:3:50: enable_when cycle: a -> a "
                 "(at /questions/0/enable_when)");
  /* A cycle reached from a question outside it. */
  S_expect_error(
      S_pack("{\"id\":\"a\",\"type\":\"text\",\"text\":\"A\","
             "\"enable_when\":{\"var\":\"b\"}},\n"
             "{\"id\":\"b\",\"type\":\"text\",\"text\":\"B\","
             "\"enable_when\":{\"var\":\"c\"}},\n"
             "{\"id\":\"c\",\"type\":\"text\",\"text\":\"C\","
             "\"enable_when\":{\"var\":\"b\"}}",
             ""),
      CDG_ERR_PACK,
      "t.json:4:50: enable_when cycle: b -> c -> b "
      "(at /questions/1/enable_when)");
  S_expect_error(S_pack("{\"type\":\"text\",\"text\":\"A\"}", ""),
                 CDG_ERR_PACK,
                 "t.json:3:1: missing required field \"id\" "
                 "(at /questions/0)");
  S_expect_error(
      S_pack("{\"id\":\"a\",\"type\":\"text\",\"text\":\"A\"},\n"
             "  {\"id\":\"Bad-Id\",\"type\":\"text\",\"text\":\"B\"}",
             ""),
      CDG_ERR_PACK,
      "t.json:4:9: question id \"Bad-Id\" must match [a-z0-9_]+ "
      "(at /questions/1/id)");
}

/* A cycle too long for one message is cut, with "..." at the end. */
static void test_long_cycle(void **state) {
  char qs[4096], id[80], next[80], *json;
  cdg_pack *pack = NULL;
  cdg_error err;
  size_t i, n = 0;

  (void)state;
  for (i = 0; i < 8; i++) {
    snprintf(id, sizeof id, "q%zu_%060d", i, 0);
    snprintf(next, sizeof next, "q%zu_%060d", (i + 1) % 8, 0);
    n += (size_t)snprintf(qs + n, sizeof qs - n,
                          "%s{\"id\":\"%s\",\"type\":\"text\",\"text\":\"Q\","
                          "\"enable_when\":{\"var\":\"%s\"}}",
                          i ? ",\n" : "", id, next);
  }
  json = S_pack(qs, "");
  assert_int_equal(cdg_pack_load(json, strlen(json), "t.json", &pack, &err),
                   CDG_ERR_PACK);
  assert_string_equal(err.pointer, "/questions/0/enable_when");
  assert_int_equal(strncmp(err.message, "enable_when cycle: q0_000", 25), 0);
  assert_int_equal(strlen(err.message), 399);
  assert_string_equal(err.message + 396, "...");
}

/* Without an error record the loader still fails cleanly. */
static void test_no_err_record(void **state) {
  cdg_pack *pack = (cdg_pack *)1;
  const char *json;

  (void)state;
  assert_int_equal(cdg_pack_load("[]", 2, "t.json", &pack, NULL),
                   CDG_ERR_PACK);
  assert_null(pack);
  assert_int_equal(cdg_pack_load("[", 1, NULL, &pack, NULL),
                   CDG_ERR_SYNTAX);
  cdg_pack_free(NULL);
  /* A bad question, and a bad rule, with no record to fill. */
  json = S_pack("{\"id\":\"a\",\"type\":\"text\"}", "");
  assert_int_equal(cdg_pack_load(json, strlen(json), "t.json", &pack, NULL),
                   CDG_ERR_PACK);
  assert_null(pack);
  json = S_pack("{\"id\":\"a\",\"type\":\"text\",\"text\":\"A\"}",
                "{\"id\":\"r\"}");
  assert_int_equal(cdg_pack_load(json, strlen(json), "t.json", &pack, NULL),
                   CDG_ERR_PACK);
  assert_null(pack);
}

/* A repeated id before a bad item is the error reported, as it comes
** first in the pack; a bad item before a repeat, likewise. */
static void test_error_order(void **state) {
  (void)state;
  S_expect_error(
      S_pack("{\"id\":\"a\",\"type\":\"text\",\"text\":\"A\"},\n"
             "{\"id\":\"a\",\"type\":\"text\",\"text\":\"B\"},\n"
             "{\"id\":\"c\",\"type\":\"bad\",\"text\":\"C\"}",
             ""),
      CDG_ERR_PACK,
      "t.json:4:7: duplicate question id \"a\" (at /questions/1/id)");
  S_expect_error(
      S_pack("{\"id\":\"a\",\"type\":\"text\",\"text\":\"A\"},\n"
             "{\"id\":\"c\",\"type\":\"bad\",\"text\":\"C\"},\n"
             "{\"id\":\"a\",\"type\":\"text\",\"text\":\"B\"}",
             ""),
      CDG_ERR_PACK,
      "t.json:4:18: unknown question type \"bad\" (expected single, multi, "
      "number, integer, text or date) (at /questions/1/type)");
  S_expect_error(
      S_pack("{\"id\":\"a\",\"type\":\"text\",\"text\":\"A\"}",
             "{\"id\":\"r\",\"when\":true,\"cite\":[\"p\"],\"because\":\"b\"},"
             "{\"id\":\"r\",\"when\":true,\"cite\":[\"p\"],\"because\":\"b\"},"
             "{\"id\":\"s\"}"),
      CDG_ERR_PACK,
      "t.json:4:68: duplicate rule id \"r\" (at /rules/1/id)");
}

/* What enable_when reads: many names (the list grows), names with a path
** ("a.b": the question a), names under operators that rebind the data
** (not answers, left out), and a cycle entered from outside it. */
static void test_deps_forms(void **state) {
  char name[400], qs[2048];
  cdg_pack *pack;
  const cdg_question *q;

  (void)state;
  pack = S_load_ok(S_pack(
      "{\"id\":\"a\",\"type\":\"text\",\"text\":\"A\"},"
      "{\"id\":\"b\",\"type\":\"text\",\"text\":\"B\"},"
      "{\"id\":\"c\",\"type\":\"text\",\"text\":\"C\"},"
      "{\"id\":\"d\",\"type\":\"text\",\"text\":\"D\"},"
      "{\"id\":\"e\",\"type\":\"text\",\"text\":\"E\"},"
      "{\"id\":\"f\",\"type\":\"text\",\"text\":\"F\",\"enable_when\":"
      "{\"and\":[{\"var\":\"a.x\"},{\"var\":\"b\"},{\"var\":\"c\"},"
      "{\"var\":\"d\"},{\"var\":\"e\"},{\"var\":\"a\"},"
      "{\"reduce\":[{\"var\":\"zz\"},{\"var\":\"current\"},{\"var\":\"b\"}]}]}}",
      ""));
  q = cdg_pack_find_question(pack, "f");
  assert_int_equal(q->ndeps, 5);
  assert_string_equal(q->deps[0], "a");
  assert_string_equal(q->deps[4], "e");
  cdg_pack_free(pack);
  /* A name of more than 255 bytes before its dot is taken whole: no
  ** question has it, so it reads nothing. */
  memset(name, 'n', 300);
  strcpy(name + 300, ".x");
  snprintf(qs, sizeof qs,
           "{\"id\":\"a\",\"type\":\"text\",\"text\":\"A\","
           "\"enable_when\":{\"var\":\"%s\"}}",
           name);
  pack = S_load_ok(S_pack(qs, ""));
  assert_int_equal(cdg_pack_find_question(pack, "a")->ndeps, 0);
  cdg_pack_free(pack);
  /* a reads b, b reads c, c reads b: the cycle named is b -> c -> b. */
  S_expect_error(
      S_pack("{\"id\":\"a\",\"type\":\"text\",\"text\":\"A\","
             "\"enable_when\":{\"var\":\"b\"}},\n"
             "{\"id\":\"b\",\"type\":\"text\",\"text\":\"B\","
             "\"enable_when\":{\"var\":\"c\"}},\n"
             "{\"id\":\"c\",\"type\":\"text\",\"text\":\"C\","
             "\"enable_when\":{\"var\":\"b\"}}",
             ""),
      CDG_ERR_PACK,
      "t.json:4:50: enable_when cycle: b -> c -> b (at "
      "/questions/1/enable_when)");
}

/* The built-in pack holds the question contract of DESIGN.md. */
static void test_builtin(void **state) {
  static const char *const ids[] = {"posture", "age_group", "duration",
                                    "treatments_tried"};
  cdg_pack *pack = NULL;
  cdg_error err;
  char line[1024];
  size_t i;

  (void)state;
  if (cdg_pack_builtin(&pack, &err) != CDG_OK) {
    cdg_error_format(&err, line, sizeof line);
    fail_msg("built-in pack: %s", line);
  }
  assert_string_equal(cdg_pack_id(pack), "cervical-dystonia");
  assert_string_equal(cdg_pack_file(pack),
                      "rules/packs/cervical-dystonia/pack.json");
  for (i = 0; i < 4; i++)
    if (!cdg_pack_find_question(pack, ids[i]))
      fail_msg("built-in pack has no question %s", ids[i]);
  assert_int_equal(
      cdg_question_type(cdg_pack_find_question(pack, "treatments_tried")),
      CDG_Q_MULTI);
  cdg_pack_free(pack);
}

/* 100k questions, each enabled by the next one: the loader must index
** them and order them without recursion (the chain is 100k deep). */
/* A question of n options c0..c(n-1), alone in a pack. */
static char *S_options_pack(size_t n) {
  size_t cap = n * 48 + 512, len, i;
  char *buf = malloc(cap);

  assert_non_null(buf);
  len = (size_t)snprintf(
      buf, cap,
      "{\"id\":\"o\",\"version\":\"1\",\"title\":\"O\",\"source\":{"
      "\"title\":\"S\",\"publisher\":\"P\",\"sha256\":\"%064d\"},"
      "\"questions\":[{\"id\":\"q\",\"type\":\"multi\",\"text\":\"Q\","
      "\"options\":[",
      0);
  for (i = 0; i < n; i++)
    len += (size_t)snprintf(buf + len, cap - len,
                            "%s{\"code\":\"c%zu\",\"label\":\"L%zu\"}",
                            i ? "," : "", i, i);
  len += (size_t)snprintf(buf + len, cap - len, "]}],\"rules\":[]}");
  assert_true(len < cap);
  return buf;
}

/* Options are looked up by going through them: a question has at most
** 1,000. */
static void test_option_limit(void **state) {
  char *json = S_options_pack(1000);
  cdg_pack *pack = S_load_ok(json);

  (void)state;
  assert_int_equal(cdg_question_option_count(cdg_pack_question(pack, 0)),
                   1000);
  assert_int_equal(cdg_question_find_option(cdg_pack_question(pack, 0),
                                            "c999"),
                   999);
  cdg_pack_free(pack);
  free(json);
  json = S_options_pack(1001);
  S_expect_error(json, CDG_ERR_PACK,
                 "t.json:1:211: \"options\" has 1001 items, more than 1000 "
                 "(at /questions/0/options)");
  free(json);
}

static void test_large(void **state) {
  const size_t n = 100000;
  size_t cap = n * 96 + 512, len, i;
  char *buf = malloc(cap), id[32];
  cdg_pack *pack;
  const cdg_question *q;

  (void)state;
  assert_non_null(buf);
  len = (size_t)snprintf(
      buf, cap,
      "{\"id\":\"big\",\"version\":\"1\",\"title\":\"Big\",\"source\":{"
      "\"title\":\"S\",\"publisher\":\"P\",\"sha256\":\"%064d\"},"
      "\"questions\":[",
      0);
  for (i = 0; i < n; i++) {
    len += (size_t)snprintf(buf + len, cap - len,
                            "%s{\"id\":\"q%zu\",\"type\":\"text\","
                            "\"text\":\"Q\"",
                            i ? "," : "", i);
    if (i + 1 < n)
      len += (size_t)snprintf(buf + len, cap - len,
                              ",\"enable_when\":{\"var\":\"q%zu\"}", i + 1);
    len += (size_t)snprintf(buf + len, cap - len, "}");
  }
  len += (size_t)snprintf(buf + len, cap - len, "],\"rules\":[]}");
  assert_true(len < cap);
  pack = S_load_ok(buf);
  assert_int_equal(cdg_pack_question_count(pack), n);
  snprintf(id, sizeof id, "q%zu", n - 1);
  q = cdg_pack_find_question(pack, id);
  assert_non_null(q);
  assert_int_equal(cdg_question_index(q), n - 1);
  assert_int_equal(pack->topo[0], n - 1);
  assert_int_equal(pack->topo[n - 1], 0);
  cdg_pack_free(pack);
  free(buf);
}

/* ---- Accessors and the names JsonLogic reads ------------------------ */

/* Accessors: in range they give what the pack says; out of range or with
** no such thing, NULL or 0. */
static void test_pack_accessors(void **state) {
  cdg_pack *pack = fixture_pack(
      QP_PACK(QP_Q_A ",{'id':'n','type':'number','text':'N?','min':1,'max':9},"
               "{'id':'m','type':'number','text':'M?','max':3,'passages':["
               "'cd-onset']},{'id':'t','type':'text','text':'T?','help':'H'}",
           QP_R_ALWAYS));
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
    char *json = fixture_json(cases[i][0]);
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
      cmocka_unit_test(test_header),
      cmocka_unit_test(test_questions),
      cmocka_unit_test(test_rules),
      cmocka_unit_test(test_deps),
      cmocka_unit_test(test_topo),
      cmocka_unit_test(test_walk_vars),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_long_cycle),
      cmocka_unit_test(test_no_err_record),
      cmocka_unit_test(test_error_order),
      cmocka_unit_test(test_deps_forms),
      cmocka_unit_test(test_builtin),
      cmocka_unit_test(test_large),
      cmocka_unit_test(test_option_limit),
      cmocka_unit_test(test_pack_accessors),
      cmocka_unit_test(test_walk_vars_forms),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
