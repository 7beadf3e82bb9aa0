/*
** test_passages_builtin.c: the built-in passage store against the files
** on disk: fidelity and coverage are checked against the source file with
** this file's own white-space normaliser, not the library's matcher, so a
** bug in one shows in the other; order, SHA-256, the embedded copies,
** lookups by id and topic, and every allocation failing in turn.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "cdg_content.h"
#include "json.h"
#include "failalloc.h"
#include "testfile.h"

extern const char cdg_embedded_passages[];
extern const size_t cdg_embedded_passages_len;
extern const char cdg_embedded_source[];
extern const size_t cdg_embedded_source_len;

#define SOURCE_PATH CDG_SOURCE_DIR "/content/nice-ipg-spd-cervical-dystonia.txt"
#define PASSAGES_PATH CDG_SOURCE_DIR "/content/passages.json"
/* Hand-checked with `sha256sum content/nice-ipg-spd-cervical-dystonia.txt`. */
#define SOURCE_SHA256 \
  "25a7936f8257a0ff7bbdcd9daa319262c0ea914c94d5bbe64bf2968c2801b20d"

/* The fixed passage ids and sections, in source order (the brief). */
static const char *const S_ids[][2] = {
    {"nice-guidance-issued", "About this guidance"},
    {"cd-what-it-is", "About cervical dystonia"},
    {"cd-onset", "About cervical dystonia"},
    {"cd-may-persist", "About cervical dystonia"},
    {"cd-recovery", "About cervical dystonia"},
    {"cd-muscle-groups", "About cervical dystonia"},
    {"cd-postures", "About cervical dystonia"},
    {"cd-cause", "About cervical dystonia"},
    {"cd-children", "About cervical dystonia"},
    {"standard-treatment", "Standard treatment"},
    {"spd-alternative", "Standard treatment"},
    {"spd-what-it-is", "The procedure"},
    {"spd-anaesthetic", "The procedure"},
    {"spd-varies", "The procedure"},
    {"coding", "Coding"},
    {"your-responsibility", "Your responsibility"},
    {"adverse-events-yellow-card", "Adverse events"},
    {"commissioners-duties", "Commissioners and providers"},
    {"providers-governance", "Commissioners and providers"},
    {"commissioners-environment", "Commissioners and providers"},
};
#define S_NIDS (sizeof S_ids / sizeof S_ids[0])

/* ---- Helpers ----------------------------------------------------------- */

/*
** Collapse every run of white space (space, tab, LF, CR, U+00A0) into one
** space and trim both ends. Caller frees.
*/
static char *S_norm(const char *s, size_t len) {
  char *out = malloc(len + 1);
  size_t i = 0, n = 0;
  int space = 0;

  assert_non_null(out);
  while (i < len) {
    if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
      space = 1;
      i++;
    } else if (i + 1 < len && (unsigned char)s[i] == 0xC2 &&
               (unsigned char)s[i + 1] == 0xA0) {
      space = 1;
      i += 2;
    } else {
      if (space && n > 0)
        out[n++] = ' ';
      space = 0;
      out[n++] = s[i++];
    }
  }
  out[n] = '\0';
  return out;
}

static cdg_passages *S_builtin(void) {
  cdg_passages *ps = NULL;
  cdg_error err;
  char line[1024];

  if (cdg_passages_builtin(&ps, &err) != CDG_OK) {
    cdg_error_format(&err, line, sizeof line);
    fail_msg("built-in passages do not load: %s", line);
  }
  return ps;
}

/*
** Sentences of the source not inside any passage (after normalising), or
** equal to a section name (a heading). Splits the source into lines, then
** each line after every ". ". Copies the first one into first.
*/
static int S_uncovered(const cdg_passages *ps, const char *src, size_t len,
                       char *first, size_t size) {
  size_t n = cdg_passages_count(ps), i, start = 0, end;
  int missing = 0;

  first[0] = '\0';
  while (start < len) {
    char *line, *s, *next;

    for (end = start; end < len && src[end] != '\n'; end++)
      ;
    line = S_norm(src + start, end - start);
    for (s = line; *s; s = next) {
      int found = 0;
      char *stop = strstr(s, ". ");

      next = stop ? stop + 2 : s + strlen(s);
      if (stop)
        stop[1] = '\0';
      for (i = 0; i < n && !found; i++) {
        char *t = S_norm(cdg_passage_text(ps, i),
                         strlen(cdg_passage_text(ps, i)));
        found = strstr(t, s) != NULL ||
                strcmp(s, cdg_passage_section(ps, i)) == 0;
        free(t);
      }
      if (!found && missing++ == 0)
        snprintf(first, size, "%s", s);
    }
    free(line);
    start = end + 1;
  }
  return missing;
}

/* ---- (a)-(e): the built-in store against the file on disk -------------- */

static void test_fidelity(void **state) {
  cdg_passages *ps = S_builtin();
  size_t len, i;
  char *src = testfile_read(SOURCE_PATH, &len);
  char *nsrc = S_norm(src, len);

  (void)state;
  for (i = 0; i < cdg_passages_count(ps); i++) {
    const char *text = cdg_passage_text(ps, i);
    size_t tl = strlen(text);
    char *nt = S_norm(text, tl);

    if (tl == 0 || text[0] == ' ' || text[tl - 1] == ' ')
      fail_msg("passage %s: empty or padded text", cdg_passage_id(ps, i));
    if (!strstr(nsrc, nt))
      fail_msg("passage %s is not verbatim in the source: \"%s\"",
               cdg_passage_id(ps, i), text);
    free(nt);
  }
  free(nsrc);
  free(src);
  cdg_passages_free(ps);
}

static void test_source_covered(void **state) {
  cdg_passages *ps = S_builtin();
  size_t len;
  char *src = testfile_read(SOURCE_PATH, &len);
  char first[1024];
  int missing = S_uncovered(ps, src, len, first, sizeof first);

  (void)state;
  if (missing != 0)
    fail_msg("%d source sentence(s) in no passage, first: \"%s\"", missing,
             first);
  free(src);
  cdg_passages_free(ps);
}

/* The check that every source sentence is in a passage must notice a
** dropped passage. */
static void test_source_check_detects_drop(void **state) {
  size_t slen, jlen;
  char *src = testfile_read(SOURCE_PATH, &slen);
  char *json = testfile_read(PASSAGES_PATH, &jlen);
  cJSON *root = cJSON_Parse(json);
  char *less, first[1024];
  cdg_passages *ps = NULL;
  cdg_error err;

  (void)state;
  assert_non_null(root);
  /* cd-onset, passage 2, is one sentence long. */
  cJSON_DeleteItemFromArray(cJSON_GetObjectItem(root, "passages"), 2);
  less = cJSON_Print(root);
  assert_non_null(less);
  assert_int_equal(cdg_passages_load(less, strlen(less), "less.json", src,
                                     slen, &ps, &err),
                   CDG_OK);
  assert_int_equal(cdg_passages_count(ps), S_NIDS - 1);
  assert_int_equal(S_uncovered(ps, src, slen, first, sizeof first), 1);
  assert_string_equal(first,
                      "It may be congenital, but may also occur at any age.");
  cdg_passages_free(ps);
  cJSON_free(less);
  cJSON_Delete(root);
  free(json);
  free(src);
}

/* Each passage lies after the end of the one before: source order, no
** overlap. */
static void test_order(void **state) {
  cdg_passages *ps = S_builtin();
  size_t len, i;
  char *src = testfile_read(SOURCE_PATH, &len);
  char *nsrc = S_norm(src, len);
  const char *from = nsrc;

  (void)state;
  for (i = 0; i < cdg_passages_count(ps); i++) {
    char *nt = S_norm(cdg_passage_text(ps, i),
                      strlen(cdg_passage_text(ps, i)));
    const char *at = strstr(from, nt);

    if (!at)
      fail_msg("passage %s is out of order or overlaps the one before",
               cdg_passage_id(ps, i));
    from = at + strlen(nt);
    free(nt);
  }
  free(nsrc);
  free(src);
  cdg_passages_free(ps);
}

static void test_sha256(void **state) {
  cdg_passages *ps = S_builtin();
  size_t len;
  char *src = testfile_read(SOURCE_PATH, &len);
  char hex[65];

  (void)state;
  cdg_sha256_hex(src, len, hex);
  assert_string_equal(hex, SOURCE_SHA256);
  assert_string_equal(cdg_passages_source_sha256(ps), SOURCE_SHA256);
  /* FIPS 180-2 appendix B vectors, and the empty message. */
  cdg_sha256_hex("abc", 3, hex);
  assert_string_equal(
      hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  cdg_sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
                 hex);
  assert_string_equal(
      hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  cdg_sha256_hex("", 0, hex);
  assert_string_equal(
      hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  free(src);
  cdg_passages_free(ps);
}

static void test_embedded_copies(void **state) {
  cdg_passages *ps = S_builtin();
  size_t slen, jlen;
  char *src = testfile_read(SOURCE_PATH, &slen);
  char *json = testfile_read(PASSAGES_PATH, &jlen);

  (void)state;
  assert_int_equal(cdg_embedded_source_len, slen);
  assert_memory_equal(cdg_embedded_source, src, slen);
  assert_int_equal(cdg_embedded_source[slen], '\0');
  assert_int_equal(cdg_embedded_passages_len, jlen);
  assert_memory_equal(cdg_embedded_passages, json, jlen);
  assert_string_equal(cdg_passages_source_text(ps), src);
  free(json);
  free(src);
  cdg_passages_free(ps);
}

/* ---- (g): lookups ------------------------------------------------------ */

static void test_ids_and_sections(void **state) {
  cdg_passages *ps = S_builtin();
  size_t i;

  (void)state;
  assert_int_equal(cdg_passages_count(ps), 20);
  assert_int_equal(S_NIDS, 20);
  for (i = 0; i < S_NIDS; i++) {
    if (strcmp(cdg_passage_id(ps, i), S_ids[i][0]) != 0 ||
        strcmp(cdg_passage_section(ps, i), S_ids[i][1]) != 0)
      fail_msg("passage %zu: got %s [%s], want %s [%s]", i,
               cdg_passage_id(ps, i), cdg_passage_section(ps, i),
               S_ids[i][0], S_ids[i][1]);
    assert_int_equal(cdg_passages_find(ps, S_ids[i][0]), (long)i);
  }
  assert_string_equal(cdg_passages_source_title(ps),
                      "Selective peripheral denervation for cervical "
                      "dystonia");
  assert_string_equal(cdg_passages_source_publisher(ps), "NICE");
  cdg_passages_free(ps);
}

static void test_lookup_by_id(void **state) {
  cdg_passages *ps = S_builtin();

  (void)state;
  assert_int_equal(cdg_passages_find(ps, "cd-onset"), 2);
  assert_string_equal(cdg_passage_text(ps, 2),
                      "It may be congenital, but may also occur at any age.");
  assert_string_equal(cdg_passage_text(ps, 4),
                      "About 20% of people will recover without treatment.");
  assert_int_equal(cdg_passages_find(ps, "no-such-passage"), -1);
  assert_int_equal(cdg_passages_find(ps, "CD-ONSET"), -1);
  assert_int_equal(cdg_passages_find(ps, ""), -1);
  assert_int_equal(cdg_passages_find(ps, NULL), -1);
  assert_int_equal(cdg_passages_find(NULL, "cd-onset"), -1);
  /* Out of range and NULL handles give NULL or 0, never a crash. */
  assert_null(cdg_passage_id(ps, 20));
  assert_null(cdg_passage_text(ps, 20));
  assert_null(cdg_passage_section(ps, 20));
  assert_int_equal(cdg_passage_topic_count(ps, 20), 0);
  assert_null(cdg_passage_topic(ps, 2, 99));
  assert_int_equal(cdg_passages_count(NULL), 0);
  assert_null(cdg_passage_id(NULL, 0));
  assert_null(cdg_passages_source_sha256(NULL));
  cdg_passages_free(NULL);
  cdg_passages_free(ps);
}

/* The ids carrying topic, joined with spaces, in source order. */
static void S_with_topic(const cdg_passages *ps, const char *topic, char *out,
                         size_t size) {
  size_t i, t, n = 0;

  out[0] = '\0';
  for (i = 0; i < cdg_passages_count(ps); i++)
    for (t = 0; t < cdg_passage_topic_count(ps, i); t++)
      if (strcmp(cdg_passage_topic(ps, i, t), topic) == 0)
        n += (size_t)snprintf(out + n, size - n, "%s%s", n ? " " : "",
                              cdg_passage_id(ps, i));
}

static void test_lookup_by_topic(void **state) {
  static const char *const want[][2] = {
      {"children", "cd-onset cd-children"},
      {"posture", "cd-muscle-groups cd-postures"},
      {"natural-history", "cd-may-persist cd-recovery"},
      {"safety", "adverse-events-yellow-card"},
      {"responsibility", "your-responsibility"},
      {"commissioning",
       "commissioners-duties providers-governance commissioners-environment"},
      {"procedure", "spd-what-it-is spd-anaesthetic spd-varies"},
      {"no-such-topic", ""},
  };
  cdg_passages *ps = S_builtin();
  char got[512];
  size_t k, i, t;

  (void)state;
  for (k = 0; k < sizeof want / sizeof want[0]; k++) {
    S_with_topic(ps, want[k][0], got, sizeof got);
    if (strcmp(got, want[k][1]) != 0)
      fail_msg("topic %s: got \"%s\", want \"%s\"", want[k][0], got,
               want[k][1]);
  }
  /* Every passage has at least one topic. */
  for (i = 0; i < cdg_passages_count(ps); i++) {
    if (cdg_passage_topic_count(ps, i) == 0)
      fail_msg("passage %s has no topic", cdg_passage_id(ps, i));
    for (t = 0; t < cdg_passage_topic_count(ps, i); t++)
      assert_non_null(cdg_passage_topic(ps, i, t));
  }
  cdg_passages_free(ps);
}

/* ---- Allocation failure ----------------------------------------------- */

/* Fail each allocation in turn: every run gives CDG_ERR_NOMEM and no
** store (leaks show under ASan/valgrind), until one succeeds. */
static void test_alloc_failure(void **state) {
  cdg_passages *ps;
  cdg_error err;
  cdg_status st;
  long n;

  (void)state;
  for (n = 1;; n++) {
    failalloc_start(n);
    ps = NULL;
    st = cdg_passages_builtin(&ps, &err);
    if (failalloc_count() < n)
      break;
    if (st != CDG_ERR_NOMEM || ps != NULL) {
      failalloc_stop();
      fail_msg("allocation %ld failed: got %s, %s", n, cdg_status_str(st),
               err.message);
    }
  }
  failalloc_stop();
  assert_int_equal(st, CDG_OK);
  assert_int_equal(cdg_passages_count(ps), 20);
  cdg_passages_free(ps);
  assert_true(n > 20);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fidelity),
      cmocka_unit_test(test_source_covered),
      cmocka_unit_test(test_source_check_detects_drop),
      cmocka_unit_test(test_order),
      cmocka_unit_test(test_sha256),
      cmocka_unit_test(test_embedded_copies),
      cmocka_unit_test(test_ids_and_sections),
      cmocka_unit_test(test_lookup_by_id),
      cmocka_unit_test(test_lookup_by_topic),
      cmocka_unit_test(test_alloc_failure),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
