/*
** test_pack_arena.c: the lean loader. cJSON trees made in a store (one
** allocation per block, not per node; freed in one go), and the pack read
** a part at a time: its questions and rules parsed one item at a time
** into a scratch store renewed as it fills, the model's strings and the
** conditions' trees copied into the pack's store. A pack big enough to
** renew the scratch store many times must read exactly as it is written,
** report an error in a late item at its own line, and survive a failed
** allocation anywhere.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "cdg_rules.h"
#include "failalloc.h"
#include "fixture.h"
#include "json.h"
#include "pack.h"

#define SHA "0000000000000000000000000000000000000000000000000000000000000000"

/* ---- json_store ------------------------------------------------------- */

static void test_store_parse_is_cjsons_tree(void **state) {
  static const char text[] = "{\"a\": [1, \"two\", {\"b\": null}], \"c\": true}";
  json_store *s;
  const cJSON *root, *a;

  (void)state;
  s = json_store_create();
  assert_non_null(s);
  root = json_store_parse(s, text, sizeof text - 1);
  assert_non_null(root);
  a = cJSON_GetObjectItemCaseSensitive(root, "a");
  assert_int_equal(cJSON_GetArraySize(a), 3);
  assert_true(cJSON_GetArrayItem(a, 0)->valuedouble == 1);
  assert_string_equal(cJSON_GetArrayItem(a, 1)->valuestring, "two");
  assert_true(cJSON_IsNull(
      cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(a, 2), "b")));
  assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "c")));
  /* cJSON's own printer reads it back as written */
  {
    char *out = cJSON_PrintUnformatted(root);

    assert_string_equal(out, "{\"a\":[1,\"two\",{\"b\":null}],\"c\":true}");
    cJSON_free(out);
  }
  json_store_free(s);
}

/* 2,000 values, 4,001 nodes and strings: a heap tree is one allocation
** each; in a store, a few blocks. */
static void test_store_allocates_blocks_not_nodes(void **state) {
  cdg_buf b;
  json_store *s;
  const cJSON *root;
  cJSON *heap;
  long in_store, on_heap;
  int i;

  (void)state;
  cdg_buf_init(&b);
  cdg_buf_putc(&b, '[');
  for (i = 0; i < 2000; i++)
    cdg_buf_printf(&b, "%s{\"k\":\"v%d\"}", i ? "," : "", i);
  cdg_buf_putc(&b, ']');
  assert_false(b.failed);

  failalloc_start(0);
  s = json_store_create();
  root = json_store_parse(s, b.data, b.len);
  assert_non_null(root);
  assert_int_equal(cJSON_GetArraySize(root), 2000);
  assert_string_equal(
      cJSON_GetArrayItem(root, 1999)->child->valuestring, "v1999");
  in_store = failalloc_count();
  json_store_free(s);
  assert_int_equal(failalloc_live(), 0);

  failalloc_start(0);
  heap = cJSON_ParseWithLength(b.data, b.len);
  assert_non_null(heap);
  on_heap = failalloc_count();
  cJSON_Delete(heap);
  failalloc_stop();
  assert_int_equal(failalloc_live(), 0);

  assert_true(on_heap > 6000); /* node, key and value string per item */
  assert_true(in_store < 20);  /* ~150 KB in 32 KiB chunks */
  cdg_buf_free(&b);
}

/* A copy outlives the store it was made from. */
static void test_store_copy_and_strdup_are_independent(void **state) {
  static const char text[] = "{\"==\": [{\"var\": \"q1\"}, \"yes\"]}";
  json_store *from = json_store_create(), *to = json_store_create();
  const cJSON *src, *copy;
  const char *str;
  char *out;

  (void)state;
  assert_non_null(from);
  assert_non_null(to);
  src = json_store_parse(from, text, sizeof text - 1);
  assert_non_null(src);
  copy = json_store_copy(to, src);
  str = json_store_strdup(to, src->child->string);
  assert_non_null(copy);
  assert_non_null(str);
  json_store_free(from); /* valgrind: nothing of it is read below */
  assert_string_equal(str, "==");
  out = cJSON_PrintUnformatted(copy);
  assert_string_equal(out, "{\"==\":[{\"var\":\"q1\"},\"yes\"]}");
  cJSON_free(out);
  json_store_free(to);
}

/* A failed allocation inside a store: NULL, and nothing leaks. */
static void test_store_out_of_memory(void **state) {
  static const char text[] = "[\"a\", \"b\", {\"c\": [1, 2, 3]}]";
  long n, total;

  (void)state;
  failalloc_start(0);
  {
    json_store *s = json_store_create();

    assert_non_null(json_store_parse(s, text, sizeof text - 1));
    json_store_free(s);
  }
  total = failalloc_count();
  for (n = 1; n <= total; n++) {
    json_store *s;

    failalloc_start(n);
    s = json_store_create();
    if (s)
      assert_null(json_store_parse(s, text, sizeof text - 1));
    json_store_free(s);
    assert_int_equal(failalloc_live(), 0);
  }
  failalloc_stop();
}

/* ---- The pack a part at a time ---------------------------------------- */

/* A pack of n questions, one per line from line 3 (question i on line
** i + 3): q<i>, single, whose text and labels name i; from the second on,
** enabled when the one before is "y". One rule per question, the last
** reading all. bad >= 0 puts an unknown field in question bad. */
static char *S_pack(int n, int bad, size_t *len) {
  cdg_buf b;
  int i;

  cdg_buf_init(&b);
  cdg_buf_printf(&b, "{\"id\": \"big\", \"version\": \"1.0.0\", \"title\": "
                     "\"Big\", \"source\": {\"title\": \"T\", \"publisher\": "
                     "\"P\", \"sha256\": \"%s\"},\n\"questions\": [\n",
                 SHA);
  for (i = 0; i < n; i++) {
    cdg_buf_printf(&b,
                   "{\"id\": \"q%d\", \"type\": \"single\", \"text\": "
                   "\"Question number %d, with some words to fill it\", "
                   "\"options\": [{\"code\": \"y\", \"label\": \"Yes %d\"}, "
                   "{\"code\": \"n\", \"label\": \"No %d\"}]",
                   i, i, i, i);
    if (i > 0)
      cdg_buf_printf(&b, ", \"enable_when\": {\"==\": [{\"var\": \"q%d\"}, "
                         "\"y\"]}",
                     i - 1);
    if (i == bad)
      cdg_buf_printf(&b, ", \"enable_When\": true");
    cdg_buf_printf(&b, "}%s\n", i + 1 < n ? "," : "");
  }
  cdg_buf_printf(&b, "],\n\"rules\": [");
  for (i = 0; i < n; i++)
    cdg_buf_printf(&b,
                   "%s{\"id\": \"r%d\", \"when\": {\"==\": [{\"var\": "
                   "\"q%d\"}, \"n\"]}, \"cite\": [\"p%d\"], \"because\": "
                   "\"Because %d.\"}",
                   i ? ",\n" : "", i, i, i % 7, i);
  cdg_buf_printf(&b, "]}\n");
  assert_false(b.failed);
  return cdg_buf_detach(&b, len);
}

/* About 0.9 MB of text, whose items' trees are some six times that: the
** scratch store (renewed past 256 KiB) is renewed some twenty times. */
#define BIG 3000

static void test_big_pack_reads_as_written(void **state) {
  size_t len;
  char *text = S_pack(BIG, -1, &len);
  cdg_pack *p;
  cdg_error err;
  char want[128], *json;
  int i;

  (void)state;
  assert_true(len > 3 * 256 * 1024);
  assert_int_equal(cdg_pack_load(text, len, "big.json", &p, &err), CDG_OK);
  assert_int_equal(cdg_pack_question_count(p), BIG);
  assert_int_equal(p->nrules, BIG);
  for (i = 0; i < BIG; i++) {
    const cdg_question *q = &p->questions[i];

    snprintf(want, sizeof want, "q%d", i);
    assert_string_equal(q->id, want);
    snprintf(want, sizeof want, "Question number %d, with some words to "
             "fill it", i);
    assert_string_equal(q->text, want);
    assert_int_equal(q->noptions, 2);
    snprintf(want, sizeof want, "No %d", i);
    assert_string_equal(q->options[1].label, want);
    assert_int_equal(q->ndeps, i > 0);
    json = cdg_question_enable_when_json(q);
    if (i == 0) {
      assert_null(json);
      continue;
    }
    snprintf(want, sizeof want, "{\"==\":[{\"var\":\"q%d\"},\"y\"]}", i - 1);
    assert_string_equal(json, want);
    cdg_free(json);
    assert_int_equal(q->depidx[0], i - 1);
    snprintf(want, sizeof want, "Because %d.", i);
    assert_string_equal(p->rules[i].because, want);
    snprintf(want, sizeof want, "p%d", i % 7);
    assert_string_equal(p->rules[i].cite[0], want);
  }
  /* Strings and conditions only: a cJSON tree of the whole pack would be
  ** about six times the text. */
  assert_true(json_store_bytes(p->store) < 3 * len);
  cdg_pack_free(p);
  cdg_free(text);
}

/* An item read long after the scratch store was first renewed: its error
** has its own line and pointer. */
static void test_late_error_at_its_line(void **state) {
  size_t len;
  char *text = S_pack(BIG, 2718, &len), line[512];
  cdg_pack *p;
  cdg_error err;

  (void)state;
  assert_int_equal(cdg_pack_load(text, len, "big.json", &p, &err),
                   CDG_ERR_PACK);
  assert_null(p);
  assert_int_equal(err.line, 2718 + 3);
  assert_string_equal(err.pointer, "/questions/2718/enable_When");
  cdg_error_format(&err, line, sizeof line);
  assert_non_null(strstr(line, "unknown field \"enable_When\""));
  cdg_free(text);
}

/* A list whose key has an escape is parsed whole, and reads the same;
** so does a number too long for cJSON (rewritten in a copy of the text
** at the same offsets). */
static void test_escaped_keys_and_long_numbers(void **state) {
  static const char text[] =
      "{\"id\": \"e\", \"version\": \"1\", \"title\": \"E\", \"source\": "
      "{\"title\": \"T\", \"publisher\": \"P\", \"sha256\": \"" SHA "\"},\n"
      "\"questi\\u006fns\": [{\"id\": \"a\", \"type\": \"number\", "
      "\"text\": \"A\", \"min\": 0, \"max\": "
      "10.000000000000000000000000000000000000000000000000000000000000000000"
      "00000001},\n"
      "{\"id\": \"b\", \"type\": \"text\", \"text\": \"B\", \"enable_when\": "
      "{\">\": [{\"var\": \"a\"}, 2]}}],\n"
      "\"rules\": [{\"id\": \"r\", \"when\": {\"missing\": [\"b\"]}, "
      "\"cite\": [\"x\"], \"because\": \"B missing\"}]}";
  cdg_pack *p;
  cdg_error err;

  (void)state;
  assert_int_equal(cdg_pack_load(text, sizeof text - 1, "e.json", &p, &err),
                   CDG_OK);
  assert_int_equal(cdg_pack_question_count(p), 2);
  assert_true(p->questions[0].max == 10);
  assert_string_equal(p->questions[1].deps[0], "a");
  assert_string_equal(p->rules[0].because, "B missing");
  cdg_pack_free(p);
}

/* Every allocation of a load that renews its scratch store fails once
** (every 13th, for time): a clean error, no leak. */
static void test_big_pack_out_of_memory(void **state) {
  size_t len;
  char *text = S_pack(1500, -1, &len);

  (void)state;
  assert_true(fixture_load_sweep(text, len, "big.json", 13) > 0);
  cdg_free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_store_parse_is_cjsons_tree),
      cmocka_unit_test(test_store_allocates_blocks_not_nodes),
      cmocka_unit_test(test_store_copy_and_strdup_are_independent),
      cmocka_unit_test(test_store_out_of_memory),
      cmocka_unit_test(test_big_pack_reads_as_written),
      cmocka_unit_test(test_late_error_at_its_line),
      cmocka_unit_test(test_escaped_keys_and_long_numbers),
      cmocka_unit_test(test_big_pack_out_of_memory),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
