/*
** test_alloc_modules.c: allocation failure in every library module that
** the session of test_alloc_session.c does not reach: loading passages
** from text, loading and linting packs (clean and with errors), JsonLogic
** over every operator, answers on a pack with text and number questions,
** walking, outcomes, the symbolic check. For each workload, a clean run
** counts the allocations; then each allocation fails in turn. Every run
** must end with CDG_OK or CDG_ERR_NOMEM (never a crash or another status)
** and free every block.
*/
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cdg_rules.h"
#include "failalloc.h"
#include "json.h"
#include "report.h"
#include "session.h"
#include "testfile.h"

/* The 1.0 pack (tests/fixtures/pack-1.0), read once by S_inputs_setup:
** linted in test_alloc_lint_builtin beside the built-in 2.0, and checked
** symbolically in test_check_fails_cleanly. */
static char *S_pack1;
static size_t S_pack1_len;

static cdg_status S_load_pack1(cdg_pack **out, cdg_error *err) {
  return cdg_pack_load(S_pack1, S_pack1_len, "pack.json", out, err);
}

/* ---- Workloads: each returns its first status that is not CDG_OK -------- */

typedef cdg_status (*S_work)(void);

static char *S_passages_json, *S_source, *S_mini, *S_builtin;
static size_t S_passages_len, S_source_len, S_mini_len, S_builtin_len;

/* Bad packs that load but do not lint clean. */
static const char *const S_lint_packs[] = {
    "tests/bad/packs/lint-dup-cite.json",
    "tests/bad/packs/lint-never-enabled.json",
    "tests/bad/packs/lint-never-fires.json",
    "tests/bad/packs/lint-no-option.json",
    "tests/bad/packs/lint-scope-var.json",
    "tests/bad/packs/lint-silent-path.json",
    "tests/bad/packs/lint-unknown-passage.json",
    "tests/bad/packs/lint-unknown-var.json",
};
#define S_NLINT (sizeof S_lint_packs / sizeof *S_lint_packs)
static char *S_lint_text[S_NLINT];
static size_t S_lint_len[S_NLINT];

static cdg_status S_work_passages(void) {
  cdg_passages *ps = NULL;
  cdg_error err;
  cdg_status st;

  st = cdg_passages_load(S_passages_json, S_passages_len,
                         "content/passages.json", S_source, S_source_len, &ps,
                         &err);
  if (st == CDG_OK && cdg_passages_find(ps, "cd-onset") < 0)
    st = CDG_ERR_STATE;
  cdg_passages_free(ps);
  return st;
}

/* The JSON reader: a large object (hashed duplicate check), escaped and
** long keys, a long number. */
static cdg_status S_work_json(void) {
  static char text[4096];
  cJSON *root = NULL;
  cdg_error err;
  cdg_status st;
  size_t n = 0, i;

  if (!text[0]) {
    n += (size_t)snprintf(text + n, sizeof text - n, "{");
    for (i = 0; i < 30; i++)
      n += (size_t)snprintf(text + n, sizeof text - n, "\"k%zu\": [%zu], ", i,
                            i);
    snprintf(
        text + n, sizeof text - n,
        "\"\\u00e9\\ud83d\\ude00\": 1, \"%s\": "
        "1.00000000000000000000000000000000000000000000000000000000000000001}",
        "a-key-longer-than-sixty-four-characters-aaaaaaaaaaaaaaaaaaaaaaaaaaa");
  }
  st = json_parse(text, strlen(text), "t.json", &root, &err);
  cJSON_Delete(root);
  return st;
}

/* Load a pack from text and lint it; the lint's own errors are expected. */
static cdg_status S_load_lint(const char *text, size_t len, const char *file,
                              const cdg_passages *ps) {
  cdg_pack *pack = NULL;
  cdg_lint *lint = NULL;
  cdg_error err;
  cdg_status st;

  st = cdg_pack_load(text, len, file, &pack, &err);
  if (st == CDG_OK)
    st = cdg_lint_run(pack, ps, &lint);
  cdg_lint_free(lint);
  cdg_pack_free(pack);
  return st;
}

/* A pack with a question of every type, each compared with literals and
** an enable_when, so that the exhaustive check builds every kind of
** answer set. */
static const char S_kinds[] =
    "{\"id\": \"k\", \"version\": \"1.0.0\", \"title\": \"K\", \"source\": "
    "{\"title\": \"S\", \"publisher\": \"NICE\", \"sha256\": "
    "\"25a7936f8257a0ff7bbdcd9daa319262c0ea914c94d5bbe64bf2968c2801b20d\"}, "
    "\"questions\": ["
    "{\"id\": \"a\", \"type\": \"single\", \"text\": \"A?\", \"options\": "
    "[{\"code\": \"x\", \"label\": \"X\"}, {\"code\": \"y\", \"label\": "
    "\"Y\"}]}, "
    "{\"id\": \"n\", \"type\": \"number\", \"text\": \"N?\", \"min\": 0, "
    "\"max\": 10}, "
    "{\"id\": \"t\", \"type\": \"text\", \"text\": \"T?\", \"required\": "
    "false, "
    "\"enable_when\": {\"<\": [{\"var\": \"n\"}, 5]}}, "
    "{\"id\": \"m\", \"type\": \"multi\", \"text\": \"M?\", \"options\": "
    "[{\"code\": \"p\", \"label\": \"P\"}, {\"code\": \"q\", \"label\": "
    "\"Q\"}, "
    "{\"code\": \"z\", \"label\": \"Z\", \"exclusive\": true}]}], "
    "\"rules\": ["
    "{\"id\": \"all\", \"when\": true, \"cite\": [\"cd-what-it-is\"], "
    "\"because\": \"b\"}, "
    "{\"id\": \"r\", \"when\": {\"and\": [{\">\": [{\"var\": \"n\"}, 3]}, "
    "{\"==\": [{\"var\": \"t\"}, \"hi\"]}, {\"in\": [\"p\", {\"var\": "
    "\"m\"}]}, "
    "{\"==\": [{\"var\": \"a\"}, \"x\"]}]}, \"cite\": [\"cd-onset\"], "
    "\"because\": \"b\"}]}";

static cdg_status S_work_lint(void) {
  cdg_passages *ps = NULL;
  cdg_error err;
  cdg_status st;
  size_t i;

  st = cdg_passages_builtin(&ps, &err);
  if (st == CDG_OK)
    st = S_load_lint(S_mini, S_mini_len, "mini/pack.json", ps);
  if (st == CDG_OK)
    st = S_load_lint(S_kinds, sizeof S_kinds - 1, "kinds.json", ps);
  for (i = 0; st == CDG_OK && i < S_NLINT; i++)
    st = S_load_lint(S_lint_text[i], S_lint_len[i], S_lint_packs[i], ps);
  cdg_passages_free(ps);
  return st;
}

static cdg_status S_work_lint_builtin(void) {
  cdg_passages *ps = NULL;
  cdg_error err;
  cdg_status st;

  st = cdg_passages_builtin(&ps, &err);
  if (st == CDG_OK)
    st = S_load_lint(S_builtin, S_builtin_len, "pack.json", ps);
  cdg_passages_free(ps);
  return st;
}

/* Only the loader, on the built-in pack: its tree store grows in chunks,
** so only a pack this large puts a chunk's failure at each of the
** loader's allocations. */
static cdg_status S_work_load_builtin(void) {
  cdg_pack *pack = NULL;
  cdg_error err;
  cdg_status st = cdg_pack_load(S_builtin, S_builtin_len, "pack.json", &pack,
                                &err);

  cdg_pack_free(pack);
  return st;
}

/* The same with the 1.0 pack, swept at every allocation (see
** test_alloc_lint_builtin). */
static cdg_status S_work_lint_pack1(void) {
  cdg_passages *ps = NULL;
  cdg_error err;
  cdg_status st;

  st = cdg_passages_builtin(&ps, &err);
  if (st == CDG_OK)
    st = S_load_lint(S_pack1, S_pack1_len, "pack.json", ps);
  cdg_passages_free(ps);
  return st;
}

/* A string of 9 * 2^13 = 73728 characters, built by doubling: larger than
** an arena chunk (65536), so it gets a chunk of its own with no room left. */
#define BIG                                                                    \
  "{\"reduce\": [[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], {\"cat\": "          \
  "[{\"var\": \"accumulator\"}, {\"var\": \"accumulator\"}]}, \"xxxxxxxxx\"]}"

/* JsonLogic: every operator, and values of every kind through them. */
static const char *const S_rules[][2] = {
    {"{\"var\": \"a.b\"}", "{\"a\": {\"b\": [1, \"x\", null, true]}}"},
    {"{\"var\": [\"z\", [1, {\"cat\": [\"k\", 2]}]]}", "{}"},
    {"{\"missing\": [\"a\", \"b\", \"c.d\"]}", "{\"a\": 1}"},
    {"{\"missing_some\": [1, [\"a\", \"b\"]]}", "{\"b\": 2}"},
    {"{\"if\": [{\"==\": [1, \"1\"]}, \"yes\", \"no\"]}", NULL},
    {"{\"?:\": [false, 1, 2]}", NULL},
    {"{\"and\": [1, \"a\", [1]]}", NULL},
    {"{\"or\": [0, \"\", []]}", NULL},
    {"{\"!\": [[]]}", NULL},
    {"{\"!!\": [\"0\"]}", NULL},
    {"{\"===\": [[1], [1]]}", NULL},
    {"{\"!==\": [1, \"1\"]}", NULL},
    {"{\"!=\": [null, 0]}", NULL},
    {"{\"<\": [1, \"2\", 3]}", NULL},
    {"{\"<=\": [\"a\", \"b\"]}", NULL},
    {"{\">\": [[2], 1]}", NULL},
    {"{\">=\": [{\"var\": \"o\"}, \"[object Object]\"]}",
     "{\"o\": {\"x\": 1}}"},
    {"{\"max\": [1, \"3\", 2]}", NULL},
    {"{\"min\": []}", NULL},
    {"{\"+\": [\"1.5\", 2, [3]]}", NULL},
    {"{\"-\": [5]}", NULL},
    {"{\"*\": [2, \"0x10\"]}", NULL},
    {"{\"/\": [1, 3]}", NULL},
    {"{\"%\": [7, -3]}", NULL},
    {"{\"cat\": [\"a\", 1.5, null, [1, [2, 3]], {\"var\": \"o\"}, true]}",
     "{\"o\": {\"x\": 1}}"},
    {"{\"substr\": [\"h\\u00e9llo \\ud83d\\ude00!\", -3, 2]}", NULL},
    {"{\"in\": [\"b\", \"abc\"]}", NULL},
    {"{\"in\": [2, [1, 2]]}", NULL},
    {"{\"merge\": [1, [2, [3]], [[4]]]}", NULL},
    {"{\"map\": [[1, 2, 3], {\"*\": [{\"var\": \"\"}, 2]}]}", NULL},
    {"{\"filter\": [{\"var\": \"xs\"}, {\">\": [{\"var\": \"\"}, 1]}]}",
     "{\"xs\": [1, 2, 3]}"},
    {"{\"reduce\": [[1, 2, 3], {\"+\": [{\"var\": \"current\"}, "
     "{\"var\": \"accumulator\"}]}, 0]}",
     NULL},
    {"{\"all\": [[1, 2], {\">\": [{\"var\": \"\"}, 0]}]}", NULL},
    {"{\"none\": [[1, 2], {\">\": [{\"var\": \"\"}, 5]}]}", NULL},
    {"{\"some\": [{\"var\": \"xs\"}, {\"==\": [{\"var\": \"a\"}, 1]}]}",
     "{\"xs\": [{\"a\": 2}, {\"a\": 1}]}"},
    {"{\"log\": [[1, \"x\", {\"var\": \"a\"}]]}", "{\"a\": 1}"},
    {"[1, {\"var\": \"a\"}, \"s\", null, true, {\"cat\": [\"x\", 2]}]",
     "{\"a\": [1, {\"b\": \"c\"}]}"},
    {"{\"var\": \"a.length\"}", "{\"a\": \"h\\u00e9\"}"},
    /* Each operator over arguments that allocate, so that a failure inside
    ** an argument comes back through the operator. */
    {"{\"==\": [{\"cat\": [\"a\", 1]}, \"a1\"]}", NULL},
    {"{\"!=\": [{\"cat\": [\"a\"]}, {\"cat\": [\"b\"]}]}", NULL},
    {"{\"===\": [{\"cat\": [\"a\"]}, \"a\"]}", NULL},
    {"{\"!==\": [{\"cat\": [\"a\"]}, \"a\"]}", NULL},
    {"{\"<\": [{\"cat\": [\"1\"]}, {\"cat\": [\"2\"]}]}", NULL},
    {"{\"<=\": [1, {\"cat\": [\"2\"]}, {\"cat\": [\"3\"]}]}", NULL},
    {"{\">\": [{\"cat\": [\"b\"]}, {\"cat\": [\"a\"]}]}", NULL},
    {"{\">=\": [{\"cat\": [\"b\"]}, \"a\"]}", NULL},
    {"{\"in\": [{\"cat\": [\"a\"]}, {\"cat\": [\"abc\"]}]}", NULL},
    {"{\"substr\": [{\"cat\": [\"abc\"]}, {\"cat\": [\"1\"]}, {\"cat\": "
     "[\"1\"]}]}",
     NULL},
    {"{\"!\": [{\"cat\": [\"a\"]}]}", NULL},
    {"{\"!!\": [{\"cat\": [\"a\"]}]}", NULL},
    {"{\"if\": [{\"cat\": [\"a\"]}, {\"cat\": [\"b\"]}, {\"cat\": [\"c\"]}]}",
     NULL},
    {"{\"and\": [{\"cat\": [\"a\"]}, {\"cat\": [\"b\"]}]}", NULL},
    {"{\"or\": [{\"cat\": [\"\"]}, {\"cat\": [\"b\"]}]}", NULL},
    {"{\"max\": [{\"cat\": [\"1\"]}, {\"cat\": [\"2\"]}]}", NULL},
    {"{\"min\": [{\"cat\": [\"1\"]}, 2]}", NULL},
    {"{\"+\": [{\"cat\": [\"1\"]}, {\"cat\": [\"2\"]}]}", NULL},
    {"{\"-\": [{\"cat\": [\"5\"]}, {\"cat\": [\"2\"]}]}", NULL},
    {"{\"*\": [{\"cat\": [\"5\"]}, {\"cat\": [\"2\"]}]}", NULL},
    {"{\"/\": [{\"cat\": [\"5\"]}, {\"cat\": [\"2\"]}]}", NULL},
    {"{\"%\": [{\"cat\": [\"5\"]}, {\"cat\": [\"2\"]}]}", NULL},
    {"{\"missing\": [{\"cat\": [\"a\"]}, \"b\"]}", "{\"b\": 1}"},
    {"{\"missing\": {\"merge\": [[\"a\"], [\"b\"]]}}", "{}"},
    {"{\"missing_some\": [1, {\"merge\": [[\"a\"], [\"b\"]]}]}", "{}"},
    {"{\"var\": [{\"cat\": [\"a\"]}, {\"cat\": [\"d\"]}]}", "{}"},
    {"{\"var\": {\"cat\": [\"a.\", \"b\"]}}", "{\"a\": {\"b\": [1, 2]}}"},
    {"{\"map\": [{\"merge\": [[1], [2]]}, {\"cat\": [{\"var\": \"\"}, "
     "\"x\"]}]}",
     NULL},
    {"{\"filter\": [{\"merge\": [[1], [2]]}, {\"cat\": [{\"var\": \"\"}]}]}",
     NULL},
    {"{\"reduce\": [{\"merge\": [[1], [2]]}, {\"cat\": [{\"var\": "
     "\"accumulator\"}, {\"var\": \"current\"}]}, {\"cat\": [\"\"]}]}",
     NULL},
    {"{\"reduce\": [[1], {\"var\": \"\"}, {\"merge\": [[0]]}]}", NULL},
    {"{\"all\": [{\"merge\": [[1]]}, {\"cat\": [{\"var\": \"\"}]}]}", NULL},
    {"{\"some\": [{\"merge\": [[1]]}, {\"cat\": [{\"var\": \"\"}]}]}", NULL},
    {"{\"none\": [{\"merge\": [[1]]}, {\"cat\": [{\"var\": \"\"}]}]}", NULL},
    {"{\"log\": [{\"cat\": [\"x\"]}]}", NULL},
    {"{\"cat\": [{\"merge\": [[1], [2]]}, \"x\", {\"var\": \"o\"}]}",
     "{\"o\": {\"a\": 1}}"},
    {"{\"merge\": [{\"merge\": [[1]]}, {\"cat\": [\"x\"]}]}", NULL},
    {"{\"==\": [{\"var\": \"o\"}, {\"cat\": [\"[object Object]\"]}]}",
     "{\"o\": {}}"},
    {"{\"<\": [{\"var\": \"o\"}, {\"cat\": [\"[object Z\"]}]}", "{\"o\": {}}"},
    {"{\"==\": [{\"merge\": [[1, 2]]}, \"1,2\"]}", NULL},
    {"{\"substr\": [\"\\ud83d\\ude00\\ud83d\\ude00\", 1, 2]}", NULL},
    {"{\"?:\": [{\"cat\": [\"a\"]}, 1, 2]}", NULL},
};
#define S_NRULES (sizeof S_rules / sizeof *S_rules)

/* After BIG the arena's chunk is full, so the next allocation, in the
** operator itself, is a fresh chunk that the sweep fails. Each is swept
** alone: BIG is slow to build again for every failure of a long list. */
/* 4096 copies of k, built by doubling: a list of missing keys this long
** takes an arena chunk of its own (the data has key 1, so the result is
** short). */
#define KEYS(k)                                                                \
  "{\"reduce\": [[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], {\"merge\": "           \
  "[{\"var\": \"accumulator\"}, {\"var\": \"accumulator\"}]}, " k "]}"
static const char *const S_big_rules[][2] = {
    {"{\"==\": [{\"var\": \"o\"}, " BIG "]}", "{\"o\": {}}"},
    {"{\"==\": [" BIG ", {\"var\": \"o\"}]}", "{\"o\": {}}"},
    {"{\"<\": [" BIG ", {\"var\": \"o\"}]}", "{\"o\": {}}"},
    {"{\"<\": [{\"var\": \"o\"}, " BIG "]}", "{\"o\": {}}"},
    {"{\"<=\": [1, " BIG ", {\"var\": \"o\"}]}", "{\"o\": {}}"},
    {"{\"in\": [{\"var\": \"o\"}, " BIG "]}", "{\"o\": {}}"},
    {"{\"var\": {\"merge\": [" BIG "]}}", NULL},
    {"{\"var\": [1, " BIG "]}", NULL},
    {"{\"missing\": [" BIG ", 1]}", NULL},
    {"{\"missing\": [" BIG ", [1, 2]]}", NULL},
    {"{\"missing_some\": [1, [" BIG "]]}", NULL},
    {"{\"missing_some\": [1, [[" BIG "]]]}", NULL},
    {"{\"missing_some\": [1, " BIG "]}", NULL},
    {"{\"substr\": [" BIG ", 1, \"-1\"]}", NULL},
    {"{\"substr\": [" BIG ", {\"var\": \"o\"}, -1]}", "{\"o\": {}}"},
    {"{\"cat\": [" BIG ", [1, 2, [3]]]}", NULL},
    {"{\"map\": [[1, 2], " BIG "]}", NULL},
    {"{\"filter\": [[1, 2], " BIG "]}", NULL},
    {"{\"reduce\": [[1, 2], {\"var\": \"\"}, " BIG "]}", NULL},
    {"{\"all\": [[1, 2], " BIG "]}", NULL},
    {"{\"merge\": [" BIG ", [1, 2]]}", NULL},
    {"{\"max\": [" BIG ", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}", NULL},
    {"{\"+\": [" BIG ", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}", NULL},
    {"{\"log\": [" BIG "]}", NULL},
    {"[" BIG ", 1]", NULL},
    {"{\"var\": {\"if\": [" BIG ", \"s.1\", 0]}}", "{\"s\": \"abc\"}"},
    {"{\"missing\": {\"merge\": [[" BIG "], [[\"a\", \"b\"]]]}}", "{}"},
    {"{\"missing\": " KEYS("[1]") "}", "{\"1\": 0}"},
    {"{\"missing\": " KEYS("[[1]]") "}", "{\"1\": 0}"},
};
#define S_NBIG (sizeof S_big_rules / sizeof *S_big_rules)
static size_t S_big_i;

static cdg_status S_work_logic_big(void) {
  char *out = NULL;
  cdg_error err;
  cdg_status st = cdg_logic_eval_json(S_big_rules[S_big_i][0],
                                      S_big_rules[S_big_i][1], &out, &err);

  if (st != CDG_OK && st != CDG_ERR_NOMEM)
    print_error("%s: %s\n", S_big_rules[S_big_i][0], err.message);
  cdg_free(out);
  return st;
}

static cdg_status S_work_logic(void) {
  cdg_status st = CDG_OK;
  size_t i;

  for (i = 0; st == CDG_OK && i < S_NRULES; i++) {
    char *out = NULL;
    cdg_error err;

    st = cdg_logic_eval_json(S_rules[i][0], S_rules[i][1], &out, &err);
    if (st != CDG_OK && st != CDG_ERR_NOMEM)
      print_error("%s: %s\n", S_rules[i][0], err.message);
    cdg_free(out);
  }
  return st;
}

/* Answers on the mini pack: parse, copy, print, set each type, remove;
** then a walk with back, and the outcome. */
static cdg_status S_work_answers(void) {
  static const char json[] =
      "{\"posture\": [\"torticollis\", \"retrocollis\"], \"age_group\": "
      "\"adult\", \"tried\": [\"toxin\"], \"outcome_toxin\": "
      "\"stopped_side_effects\", \"side_effects\": \"dry mouth\", "
      "\"years\": 4}";
  static const char *const posture[] = {"not_sure"};
  static const char *const adult[] = {"adult"};
  cdg_pack *pack = NULL;
  cdg_passages *ps = NULL;
  cdg_answers *a = NULL, *b = NULL;
  cdg_walker *w = NULL;
  cdg_outcome *o = NULL;
  cdg_error err;
  cdg_status st;
  char *text = NULL;

  st = cdg_pack_load(S_mini, S_mini_len, "mini/pack.json", &pack, &err);
  if (st == CDG_OK)
    st = cdg_passages_builtin(&ps, &err);
  if (st == CDG_OK)
    st = cdg_answers_parse(pack, json, sizeof json - 1, "a.json", &a, &err);
  if (st == CDG_OK)
    st = cdg_answers_copy(a, &b);
  if (st == CDG_OK && !(text = cdg_answers_to_json(b)))
    st = CDG_ERR_NOMEM;
  if (st == CDG_OK)
    st = cdg_answers_set_codes(b, "posture", posture, 1, &err);
  if (st == CDG_OK)
    st = cdg_answers_set_number(b, "years", 12, &err);
  if (st == CDG_OK)
    st = cdg_answers_set_text(b, "side_effects", "headache", &err);
  if (st == CDG_OK)
    cdg_answers_remove(b, "side_effects");
  if (st == CDG_OK)
    st = cdg_outcome_eval(pack, a, ps, &o, &err);
  if (st == CDG_OK)
    st = cdg_walker_new(pack, &w);
  if (st == CDG_OK)
    st = cdg_walker_restore(w, a);
  if (st == CDG_OK)
    st = cdg_walker_back(w);
  if (st == CDG_OK)
    st = cdg_walker_back(w);
  if (st == CDG_OK)
    st = cdg_walker_answer_number(w, "years", 3, &err);
  if (st == CDG_OK)
    st = cdg_walker_answer_codes(w, "age_group", adult, 1, &err);
  if (st == CDG_OK)
    st = cdg_walker_answer_text(w, "side_effects", "rash", &err);
  cdg_free(text);
  cdg_walker_free(w);
  cdg_outcome_free(o);
  cdg_answers_free(b);
  cdg_answers_free(a);
  cdg_passages_free(ps);
  cdg_pack_free(pack);
  return st;
}

/* ---- The sweep ---------------------------------------------------------- */

/* Each allocation fails in turn; under CDG_ALLOC_STEP=k (the valgrind run,
** some fifty times slower) every k-th, as in the session sweep above. */
static void S_sweep_every(const char *name, S_work work, long every);

static void S_sweep(const char *name, S_work work) {
  S_sweep_every(name, work, 1);
}

/* As S_sweep, failing every k-th allocation only, k = max(every,
** CDG_ALLOC_STEP). */
static void S_sweep_every(const char *name, S_work work, long every) {
  const char *env = getenv("CDG_ALLOC_STEP");
  long total, n, nomem = 0, step = env && atol(env) > 1 ? atol(env) : 1;
  cdg_status st;

  if (step < every)
    step = every;

  failalloc_start(0);
  st = work();
  if (st != CDG_OK)
    fail_msg("%s: clean run gave %s", name, cdg_status_str(st));
  if (failalloc_live() != 0)
    fail_msg("%s: clean run left %ld blocks", name, failalloc_live());
  total = failalloc_count();
  assert_true(total > 0);
  for (n = 1; n <= total; n += step) {
    failalloc_start(n);
    st = work();
    if (st != CDG_OK && st != CDG_ERR_NOMEM)
      fail_msg("%s: allocation %ld of %ld failed: status %s", name, n, total,
               cdg_status_str(st));
    if (failalloc_live() != 0)
      fail_msg("%s: allocation %ld of %ld failed: %ld blocks leaked", name, n,
               total, failalloc_live());
    nomem += st == CDG_ERR_NOMEM;
  }
  failalloc_stop();
  /* Most failures must be reported: a run that shrugs one off may only
  ** be a cache or an optional copy. */
  if (nomem == 0)
    fail_msg("%s: no failed allocation was reported", name);
  print_message("%s: failed every %ld of %ld allocations (%ld reported)\n",
                name, step, total, nomem);
}

static void test_alloc_json(void **state) {
  (void)state;
  S_sweep("json", S_work_json);
}

static void test_alloc_passages(void **state) {
  (void)state;
  S_sweep("passages", S_work_passages);
}

static void test_alloc_lint(void **state) {
  (void)state;
  S_sweep("lint", S_work_lint);
}

/* The built-in pack 2.0 takes about 25,600 allocations to load and lint
** (1.0: 1,360), and each run redoes them all: failing every one made this
** whole test take 127 s instead of 9.5 s. So the 1.0 pack (the same loader
** and linter paths, less the integer and date types) is swept at every
** allocation, and 2.0 at every 97th (about 260 runs). */
static void test_alloc_lint_builtin(void **state) {
  (void)state;
  S_sweep("lint 1.0", S_work_lint_pack1);
  S_sweep_every("lint builtin 2.0", S_work_lint_builtin, 97);
  S_sweep("load builtin 2.0", S_work_load_builtin);
}

static void test_alloc_logic(void **state) {
  (void)state;
  S_sweep("logic", S_work_logic);
}

static void test_alloc_logic_big(void **state) {
  char name[32];

  (void)state;
  for (S_big_i = 0; S_big_i < S_NBIG; S_big_i++) {
    snprintf(name, sizeof name, "logic big %zu", S_big_i);
    S_sweep(name, S_work_logic_big);
  }
}

static void test_alloc_answers(void **state) {
  (void)state;
  S_sweep("answers", S_work_answers);
}

static int S_inputs_setup(void **state) {
  size_t i;

  (void)state;
  S_passages_json = testfile_source("content/passages.json", &S_passages_len);
  S_source =
      testfile_source("content/nice-ipg-spd-cervical-dystonia.txt", &S_source_len);
  S_mini = testfile_source("tests/fixtures/mini/pack.json", &S_mini_len);
  S_builtin =
      testfile_source("rules/packs/cervical-dystonia/pack.json", &S_builtin_len);
  S_pack1 = testfile_source("tests/fixtures/pack-1.0/pack.json", &S_pack1_len);
  for (i = 0; i < S_NLINT; i++)
    S_lint_text[i] = testfile_source(S_lint_packs[i], &S_lint_len[i]);
  return 0;
}

static int S_inputs_teardown(void **state) {
  size_t i;

  (void)state;
  free(S_passages_json);
  free(S_source);
  free(S_mini);
  free(S_builtin);
  free(S_pack1);
  for (i = 0; i < S_NLINT; i++)
    free(S_lint_text[i]);
  return 0;
}

/* The symbolic check of the 1.0 pack (its Yellow Card property; 2.0 cites
** the Yellow Card on more conditions), with a citation property: each
** allocation fails in turn (PicoSAT's too); each run ends in CDG_OK or
** CDG_ERR_NOMEM and frees everything. */
static void test_check_fails_cleanly(void **state) {
  static const char *const cited[] = {"adverse-events-yellow-card"};
  static const char iff[] =
      "{\"or\":[{\"==\":[{\"var\":\"outcome_physiotherapy\"},"
      "\"stopped_side_effects\"]},{\"==\":[{\"var\":"
      "\"outcome_spasm_drugs\"},\"stopped_side_effects\"]},{\"==\":[{"
      "\"var\":\"outcome_botulinum_toxin\"},\"stopped_side_effects\"]},"
      "{\"==\":[{\"var\":\"outcome_brain_surgery\"},"
      "\"stopped_side_effects\"]}]}";
  cdg_passages *ps = NULL;
  cdg_pack *pack = NULL;
  cdg_lint *lint = NULL;
  cdg_error err;
  cdg_status st;
  const char *env = getenv("CDG_ALLOC_STEP");
  long n, step = env && atol(env) > 1 ? atol(env) : 1;

  (void)state;
  assert_int_equal(cdg_passages_builtin(&ps, &err), CDG_OK);
  assert_int_equal(S_load_pack1(&pack, &err), CDG_OK);
  /* CDG_ALLOC_STEP=k: every k-th allocation only (valgrind). */
  for (n = 1;; n += step) {
    failalloc_start(n);
    st = cdg_lint_check_cites(pack, ps, "yellow-card", cited, 1, iff, &lint,
                              &err);
    if (st == CDG_OK && failalloc_count() >= n)
      fail_msg("allocation %ld failed, yet the check succeeded", n);
    if (st == CDG_OK)
      assert_int_equal(cdg_lint_count(lint), 0);
    cdg_lint_free(lint);
    lint = NULL;
    failalloc_stop();
    if (failalloc_live() != 0)
      fail_msg("allocation %ld failed: %ld blocks leaked", n,
               failalloc_live());
    if (st == CDG_OK)
      break;
    assert_int_equal(st, CDG_ERR_NOMEM);
  }
  assert_true(n > 100 / step);
  cdg_pack_free(pack);
  cdg_passages_free(ps);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_alloc_json),
      cmocka_unit_test(test_alloc_passages),
      cmocka_unit_test(test_alloc_lint),
      cmocka_unit_test(test_alloc_lint_builtin),
      cmocka_unit_test(test_alloc_logic),
      cmocka_unit_test(test_alloc_logic_big),
      cmocka_unit_test(test_alloc_answers),
      cmocka_unit_test(test_check_fails_cleanly),
  };
  return cmocka_run_group_tests(tests, S_inputs_setup, S_inputs_teardown);
}
