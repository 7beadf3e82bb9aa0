/*
** test_content.c: the passage store. Fidelity and coverage are checked
** against the source file on disk with this file's own white-space
** normaliser, not the library's matcher, so a bug in one shows in the
** other. Expected messages and positions are written by hand.
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

/* Replace the one occurrence of from in s by to. Caller frees. */
static char *S_replace(const char *s, const char *from, const char *to) {
  const char *at = strstr(s, from);
  size_t a, f = strlen(from), t = strlen(to);
  char *out;

  if (!at || strstr(at + 1, from))
    fail_msg("fixture: \"%s\" must occur exactly once", from);
  a = (size_t)(at - s);
  out = malloc(strlen(s) - f + t + 1);
  assert_non_null(out);
  memcpy(out, s, a);
  memcpy(out + a, to, t);
  strcpy(out + a + t, at + f);
  return out;
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

/* ---- (f): load errors -------------------------------------------------- */

/*
** A small valid passage file over the real source. Line numbers below
** count from 1 at the "{" line; value columns are counted by hand.
*/
static const char S_base[] =
    "{\n"
    "  \"source\": {\"title\": \"T\", \"publisher\": \"NICE\",\n"
    "    \"guidance\": \"G\", \"file\": \"f.txt\",\n"
    "    \"sha256\": \"" SOURCE_SHA256 "\"},\n"
    "  \"passages\": [\n"
    "    {\"id\": \"cd-what-it-is\", \"section\": \"S\", \"topics\": "
    "[\"condition\"],\n"
    "     \"text\": \"Cervical dystonia is a condition in which the muscles "
    "of the neck contract painfully and cause twisting of the head.\"},\n"
    "    {\"id\": \"cd-onset\", \"section\": \"S\", \"topics\": [\"onset\"],\n"
    "     \"text\": \"It may be congenital, but may also occur at any "
    "age.\"}\n"
    "  ]\n"
    "}\n";

/* Load json against the real source. */
static cdg_status S_load(const char *json, cdg_passages **ps,
                         cdg_error *err) {
  return cdg_passages_load(json, strlen(json), "p.json", cdg_embedded_source,
                           cdg_embedded_source_len, ps, err);
}

static void test_base_fixture_loads(void **state) {
  cdg_passages *ps = NULL;
  cdg_error err;

  (void)state;
  assert_int_equal(S_load(S_base, &ps, &err), CDG_OK);
  assert_int_equal(cdg_passages_count(ps), 2);
  assert_string_equal(cdg_passage_id(ps, 1), "cd-onset");
  assert_string_equal(cdg_passage_topic(ps, 1, 0), "onset");
  assert_string_equal(cdg_passages_source_title(ps), "T");
  cdg_passages_free(ps);
}

typedef struct S_case {
  const char *name;
  const char *from; /* replaced in S_base ... */
  const char *to;   /* ... by this */
  cdg_status status;
  const char *message;
  const char *pointer;
  int line, col;
} S_case;

static const S_case S_cases[] = {
    {"one word changed", "at any age", "at every age", CDG_ERR_PACK,
     "passage cd-onset is not in the source text", "/passages/1/text", 9, 14},
    {"invented passage", "age.\"}\n",
     "age.\"},\n"
     "    {\"id\": \"cure\", \"section\": \"S\", \"topics\": [],\n"
     "     \"text\": \"Selective peripheral denervation cures cervical "
     "dystonia.\"}\n",
     CDG_ERR_PACK, "passage cure is not in the source text",
     "/passages/2/text", 11, 14},
    {"two sentences joined without the space", "It may be congenital",
     "twisting of the head.It may be congenital", CDG_ERR_PACK,
     "passage cd-onset is not in the source text", "/passages/1/text", 9, 14},
    {"a space inside a word", "congenital", "congen ital", CDG_ERR_PACK,
     "passage cd-onset is not in the source text", "/passages/1/text", 9, 14},
    {"duplicate id", "\"cd-onset\"", "\"cd-what-it-is\"", CDG_ERR_PACK,
     "duplicate passage id \"cd-what-it-is\" (first at /passages/0)",
     "/passages/1/id", 8, 12},
    {"missing section", "\"id\": \"cd-onset\", \"section\": \"S\",",
     "\"id\": \"cd-onset\",", CDG_ERR_PACK, "missing \"section\"",
     "/passages/1", 8, 5},
    {"missing sha256", ",\n    \"sha256\": \"" SOURCE_SHA256 "\"", "",
     CDG_ERR_PACK, "missing \"sha256\"", "/source", 2, 13},
    {"text a number", "\"text\": \"It may be congenital, but may also occur "
                      "at any age.\"",
     "\"text\": 52", CDG_ERR_PACK, "\"text\" must be a string",
     "/passages/1/text", 9, 14},
    {"topics a string", "[\"onset\"]", "\"onset\"", CDG_ERR_PACK,
     "\"topics\" must be an array", "/passages/1/topics", 8, 50},
    {"topic not a tag", "[\"onset\"]", "[\"Onset of it\"]", CDG_ERR_PACK,
     "a topic must be a string of lower-case letters, digits and '-'",
     "/passages/1/topics/0", 8, 51},
    {"empty id", "\"cd-onset\"", "\"\"", CDG_ERR_PACK,
     "\"id\" must not be empty", "/passages/1/id", 8, 12},
    {"passage not an object", "{\"id\": \"cd-what-it-is\"", "7, {\"id\": "
                                                          "\"cd-what-it-is\"",
     CDG_ERR_PACK, "a passage must be an object", "/passages/0", 6, 5},
    {"unknown key", "\"section\": \"S\", \"topics\": [\"onset\"]",
     "\"section\": \"S\", \"topic\": [\"onset\"]", CDG_ERR_PACK,
     "unknown key \"topic\"", "/passages/1/topic", 8, 49},
    {"unknown top-level key", "\"passages\": [\n", "\"passages\": [], \"x\": [\n",
     CDG_ERR_PACK, "unknown key \"x\"", "/x", 5, 24},
    {"wrong sha256", "f2968c2801b20d\"", "f2968c2801b20e\"", CDG_ERR_PACK,
     "sha256 does not match the source text (stale content): recorded "
     "25a7936f8257a0ff7bbdcd9daa319262c0ea914c94d5bbe64bf2968c2801b20e, "
     "actual " SOURCE_SHA256,
     "/source/sha256", 4, 15},
    {"missing comma", "\"S\", \"topics\": [\"onset\"]",
     "\"S\" \"topics\": [\"onset\"]", CDG_ERR_SYNTAX,
     "JSON syntax error at '\"'", "", 8, 39},
};

static void test_load_errors(void **state) {
  size_t k;

  (void)state;
  for (k = 0; k < sizeof S_cases / sizeof S_cases[0]; k++) {
    const S_case *c = &S_cases[k];
    char *json = S_replace(S_base, c->from, c->to);
    cdg_passages *ps = (cdg_passages *)&k; /* must be reset to NULL */
    cdg_error err;
    cdg_status st = S_load(json, &ps, &err);

    if (st != c->status || strcmp(err.message, c->message) != 0 ||
        strcmp(err.pointer, c->pointer) != 0 || err.line != c->line ||
        err.col != c->col || strcmp(err.file, "p.json") != 0)
      fail_msg("case \"%s\": got %s %s:%d:%d: %s (at %s)", c->name,
               cdg_status_str(st), err.file, err.line, err.col, err.message,
               err.pointer);
    if (ps != NULL)
      fail_msg("case \"%s\": *out not NULL on failure", c->name);
    free(json);
  }
}

/* An empty passage list and a non-object file are rejected too. */
static void test_load_shape_errors(void **state) {
  cdg_passages *ps = NULL;
  cdg_error err;
  char *json;
  char line[1024];

  (void)state;
  assert_int_equal(S_load("[1]", &ps, &err), CDG_ERR_PACK);
  assert_string_equal(err.message, "the passage file must be an object");
  assert_int_equal(err.line, 1);
  assert_int_equal(err.col, 1);
  json = S_replace(S_base, "\"passages\": [", "\"unused\": [");
  assert_int_equal(S_load(json, &ps, &err), CDG_ERR_PACK);
  assert_string_equal(err.message, "unknown key \"unused\"");
  free(json);
  assert_int_equal(
      S_load("{\"source\": {\"title\": \"T\", \"publisher\": \"NICE\", "
             "\"guidance\": \"G\", \"file\": \"f\", \"sha256\": \"" SOURCE_SHA256
             "\"},\n \"passages\": []}",
             &ps, &err),
      CDG_ERR_PACK);
  cdg_error_format(&err, line, sizeof line);
  assert_string_equal(line, "p.json:2:14: \"passages\" must be a non-empty "
                            "array (at /passages)");
  assert_int_equal(S_load("{}", &ps, &err), CDG_ERR_PACK);
  assert_string_equal(err.message, "missing \"source\"");
  /* NULL arguments are refused, not dereferenced. */
  assert_int_equal(cdg_passages_load(NULL, 0, "x", "", 0, &ps, &err),
                   CDG_ERR_STATE);
  assert_int_equal(cdg_passages_load("{}", 2, "x", NULL, 0, &ps, &err),
                   CDG_ERR_STATE);
  assert_int_equal(cdg_passages_load("{}", 2, "x", "", 0, NULL, NULL),
                   CDG_ERR_STATE);
  assert_null(ps);
}

/* White-space runs may differ; runs of one kind match runs of another. */
static void test_whitespace_runs(void **state) {
  static const char *const ok[] = {
      /* Two sentences across a paragraph break (blank line). */
      "About 20% of people will recover without treatment. Cervical "
      "dystonia varies",
      /* A run of several spaces and a tab against one space. */
      "It may  be \t congenital,",
      /* U+00A0 in the source against a plain space here, and back. */
      "Coding and clinical classification codes for this guidance.",
      "Coding\xC2\xA0"
      "and clinical",
      /* A line break in the text against a space in the source. */
      "may persist\nfor several years",
  };
  size_t k;

  (void)state;
  for (k = 0; k < sizeof ok / sizeof ok[0]; k++) {
    cJSON *s = cJSON_CreateString(ok[k]);
    char *quoted = cJSON_PrintUnformatted(s), *json;
    cdg_passages *ps = NULL;
    cdg_error err;

    assert_non_null(quoted);
    json = S_replace(S_base, "\"It may be congenital, but may also occur at "
                             "any age.\"",
                     quoted);
    if (S_load(json, &ps, &err) != CDG_OK)
      fail_msg("text \"%s\": %s", ok[k], err.message);
    assert_string_equal(cdg_passage_text(ps, 1), ok[k]);
    cdg_passages_free(ps);
    free(json);
    cJSON_free(quoted);
    cJSON_Delete(s);
  }
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

/* ==== Less travelled paths (were test_coverage_content) ============= */

static const char S_src[] = "Alpha beta.\tGamma\r\ndelta\xC2\xA0"
                            "epsilon. Zeta eta";

/* A passages file for S_src: header fields, then the passages array text. */
static char *S_file(const char *source_fields, const char *passages) {
  static char buf[4096];
  char sha[65];

  cdg_sha256_hex(S_src, sizeof S_src - 1, sha);
  snprintf(buf, sizeof buf,
           "{\"source\": {%s%s\"sha256\": \"%s\"},\n \"passages\": %s}",
           source_fields, source_fields[0] ? ", " : "", sha, passages);
  return buf;
}

#define S_FIELDS                                                               \
  "\"title\": \"T\", \"publisher\": \"P\", \"guidance\": \"G\", "              \
  "\"file\": \"s.txt\""
#define S_ONE                                                                  \
  "[{\"id\": \"a\", \"section\": \"S\", \"topics\": [\"x-1\"], "               \
  "\"text\": \"Alpha beta.\"}]"

static void test_passages_errors(void **state) {
  static const struct {
    const char *fields, *passages, *message, *pointer;
  } cases[] = {
      {"\"publisher\": \"P\", \"guidance\": \"G\", \"file\": \"s.txt\"", S_ONE,
       "missing \"title\"", "/source"},
      {"\"title\": \"T\", \"guidance\": \"G\", \"file\": \"s.txt\"", S_ONE,
       "missing \"publisher\"", "/source"},
      {"\"title\": \"T\", \"publisher\": \"P\", \"file\": \"s.txt\"", S_ONE,
       "missing \"guidance\"", "/source"},
      {"\"title\": \"T\", \"publisher\": \"P\", \"guidance\": \"G\"", S_ONE,
       "missing \"file\"", "/source"},
      {"\"title\": 1, \"publisher\": \"P\", \"guidance\": \"G\", "
       "\"file\": \"s.txt\"",
       S_ONE, "\"title\" must be a string", "/source/title"},
      {"\"title\": \"\", \"publisher\": \"P\", \"guidance\": \"G\", "
       "\"file\": \"s.txt\"",
       S_ONE, "\"title\" must not be empty", "/source/title"},
      {S_FIELDS ", \"url\": \"x\"", S_ONE, "unknown key \"url\"",
       "/source/url"},
      {S_FIELDS ", \"a/b~\": \"x\"", S_ONE, "unknown key \"a/b~\"",
       "/source/a~1b~0"},
      {S_FIELDS, "[]", "\"passages\" must be a non-empty array", "/passages"},
      {S_FIELDS, "{}", "\"passages\" must be a non-empty array", "/passages"},
      {S_FIELDS, "[1]", "a passage must be an object", "/passages/0"},
      {S_FIELDS,
       "[{\"id\": \"a\", \"section\": \"S\", \"text\": \"Alpha beta.\"}]",
       "missing \"topics\"", "/passages/0"},
      {S_FIELDS,
       "[{\"id\": \"a\", \"section\": \"S\", \"topics\": \"x\", "
       "\"text\": \"Alpha beta.\"}]",
       "\"topics\" must be an array", "/passages/0/topics"},
      {S_FIELDS,
       "[{\"id\": \"a\", \"section\": \"S\", \"topics\": [\"X\"], "
       "\"text\": \"Alpha beta.\"}]",
       "a topic must be a string of lower-case letters, digits and '-'",
       "/passages/0/topics/0"},
      {S_FIELDS,
       "[{\"id\": \"a\", \"section\": \"S\", \"topics\": [\"\"], "
       "\"text\": \"Alpha beta.\"}]",
       "a topic must be a string of lower-case letters, digits and '-'",
       "/passages/0/topics/0"},
      {S_FIELDS,
       "[{\"id\": \"a\", \"section\": \"S\", \"topics\": [\"a_b\"], "
       "\"text\": \"Alpha beta.\"}]",
       "a topic must be a string of lower-case letters, digits and '-'",
       "/passages/0/topics/0"},
      {S_FIELDS,
       "[{\"id\": \"a\", \"section\": \"S\", \"topics\": [\"a\", \"~\"], "
       "\"text\": \"Alpha beta.\"}]",
       "a topic must be a string of lower-case letters, digits and '-'",
       "/passages/0/topics/1"},
      {S_FIELDS,
       "[{\"id\": \"a\", \"section\": \"S\", \"topics\": [1], "
       "\"text\": \"Alpha beta.\"}]",
       "a topic must be a string of lower-case letters, digits and '-'",
       "/passages/0/topics/0"},
      {S_FIELDS,
       "[{\"id\": \"a\", \"section\": \"S\", \"topics\": [], "
       "\"text\": \"Alpha beta.\", \"note\": 1}]",
       "unknown key \"note\"", "/passages/0/note"},
      {S_FIELDS,
       "[{\"id\": \"a\", \"section\": \"S\", \"topics\": [], \"text\": \"Alpha "
       "beta.\"}, {\"id\": \"a\", \"section\": \"S\", \"topics\": [], "
       "\"text\": \"Zeta\"}]",
       "duplicate passage id \"a\" (first at /passages/0)", "/passages/1/id"},
      /* Not in the source: a changed word, white space where the source
      ** has none, text running past the end of the source. */
      {S_FIELDS,
       "[{\"id\": \"a\", \"section\": \"S\", \"topics\": [], "
       "\"text\": \"Alpha Beta.\"}]",
       "passage a is not in the source text", "/passages/0/text"},
      {S_FIELDS,
       "[{\"id\": \"b\", \"section\": \"S\", \"topics\": [], "
       "\"text\": \"Al pha\"}]",
       "passage b is not in the source text", "/passages/0/text"},
      {S_FIELDS,
       "[{\"id\": \"c\", \"section\": \"S\", \"topics\": [], "
       "\"text\": \"Zeta eta theta\"}]",
       "passage c is not in the source text", "/passages/0/text"},
      {S_FIELDS,
       "[{\"id\": \"d\", \"section\": \"S\", \"topics\": [], "
       "\"text\": \"eta eta \"}]",
       "passage d is not in the source text", "/passages/0/text"},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    const char *json = S_file(cases[i].fields, cases[i].passages);
    cdg_passages *ps = NULL;
    cdg_error err;
    cdg_status st;

    st = cdg_passages_load(json, strlen(json), "p.json", S_src,
                           sizeof S_src - 1, &ps, &err);
    if (st != CDG_ERR_PACK)
      fail_msg("case %zu (%s): status %s, expected invalid pack", i,
               cases[i].message, cdg_status_str(st));
    assert_null(ps);
    if (strcmp(err.message, cases[i].message) != 0 ||
        strcmp(err.pointer, cases[i].pointer) != 0)
      fail_msg("case %zu: %s (at %s), expected %s (at %s)", i, err.message,
               err.pointer, cases[i].message, cases[i].pointer);
    if (err.line == 0)
      fail_msg("case %zu (%s): no line:col", i, cases[i].message);
  }
}

/* The shape of the file as a whole, and the arguments. */
static void test_passages_shape(void **state) {
  static const char *const whole[][2] = {
      {"[]", "the passage file must be an object"},
      {"{\"passages\": []}", "missing \"source\""},
      {"{\"source\": 1, \"passages\": []}", "\"source\" must be an object"},
      {"{\"source\": {}, \"extra\": 1}", "unknown key \"extra\""},
  };
  cdg_passages *ps = (cdg_passages *)1;
  cdg_error err;
  const char *json;
  size_t i;

  (void)state;
  for (i = 0; i < sizeof whole / sizeof *whole; i++) {
    assert_int_equal(cdg_passages_load(whole[i][0], strlen(whole[i][0]), NULL,
                                       S_src, sizeof S_src - 1, &ps, &err),
                     CDG_ERR_PACK);
    assert_string_equal(err.message, whole[i][1]);
    assert_string_equal(err.file, "");
  }
  json = S_file(S_FIELDS, "1");
  assert_int_equal(cdg_passages_load(json, strlen(json), "p", S_src,
                                     sizeof S_src - 1, &ps, &err),
                   CDG_ERR_PACK);
  assert_string_equal(err.message, "\"passages\" must be a non-empty array");
  json = "{\"source\": {" S_FIELDS ", \"sha256\": \"00\"}, \"passages\": []}";
  assert_int_equal(cdg_passages_load(json, strlen(json), "p", S_src,
                                     sizeof S_src - 1, &ps, &err),
                   CDG_ERR_PACK);
  assert_non_null(strstr(err.message, "stale content"));
  json = S_file(S_FIELDS, "null");
  assert_int_equal(cdg_passages_load(json, strlen(json), "p", S_src,
                                     sizeof S_src - 1, &ps, &err),
                   CDG_ERR_PACK);
  json = "{\"source\": {" S_FIELDS ", \"sha256\": \"00\"}}";
  assert_int_equal(cdg_passages_load(json, strlen(json), "p", S_src,
                                     sizeof S_src - 1, &ps, &err),
                   CDG_ERR_PACK);
  /* A right source and no "passages" member. */
  json = S_file(S_FIELDS, "[]");
  strcpy(strstr(json, ",\n \"passages\""), "}");
  assert_int_equal(cdg_passages_load(json, strlen(json), "p", S_src,
                                     sizeof S_src - 1, &ps, &err),
                   CDG_ERR_PACK);
  assert_string_equal(err.message, "missing \"passages\"");
  /* Missing arguments are a caller's error, not bad data. */
  assert_int_equal(cdg_passages_load(NULL, 0, "p", S_src, 1, &ps, &err),
                   CDG_ERR_STATE);
  assert_null(ps);
  assert_int_equal(cdg_passages_load("{}", 2, "p", NULL, 0, &ps, NULL),
                   CDG_ERR_STATE);
  assert_int_equal(cdg_passages_load("{}", 2, "p", S_src, 1, NULL, &err),
                   CDG_ERR_STATE);
  assert_int_equal(cdg_passages_load("{", 1, "p", S_src, 1, &ps, NULL),
                   CDG_ERR_SYNTAX);
}

/* Texts that match the source modulo runs of white space load, and the
** accessors give back what was loaded; out of range and NULL give NULL. */
static void test_passages_whitespace(void **state) {
  const char *json = S_file(
      S_FIELDS,
      "[{\"id\": \"a\", \"section\": \"S\", \"topics\": [\"x-1\", \"y\"], "
      "\"text\": \"beta. Gamma delta epsilon.\"},"
      " {\"id\": \"b\", \"section\": \"S2\", \"topics\": [], "
      "\"text\": \"Gamma\\t \\u00a0delta\"},"
      " {\"id\": \"c\", \"section\": \"S3\", \"topics\": [], "
      "\"text\": \"eta\"}]");
  cdg_passages *ps = NULL;
  cdg_error err;
  char sha[65];

  (void)state;
  if (cdg_passages_load(json, strlen(json), "p.json", S_src, sizeof S_src - 1,
                        &ps, &err) != CDG_OK)
    fail_msg("%s", err.message);
  assert_int_equal(cdg_passages_count(ps), 3);
  assert_int_equal(cdg_passages_find(ps, "b"), 1);
  assert_int_equal(cdg_passages_find(ps, "z"), -1);
  assert_string_equal(cdg_passage_section(ps, 2), "S3");
  assert_int_equal(cdg_passage_topic_count(ps, 0), 2);
  assert_string_equal(cdg_passage_topic(ps, 0, 1), "y");
  assert_null(cdg_passage_topic(ps, 0, 2));
  assert_null(cdg_passage_topic(ps, 9, 0));
  assert_string_equal(cdg_passages_source_title(ps), "T");
  assert_string_equal(cdg_passages_source_publisher(ps), "P");
  assert_string_equal(cdg_passages_source_text(ps), S_src);
  cdg_sha256_hex(S_src, sizeof S_src - 1, sha);
  assert_string_equal(cdg_passages_source_sha256(ps), sha);
  assert_null(cdg_passages_source_title(NULL));
  assert_null(cdg_passages_source_publisher(NULL));
  assert_null(cdg_passages_source_text(NULL));
  cdg_passages_free(ps);
  cdg_passages_free(NULL);
  /* SHA-256 of nothing (FIPS 180-2 test vector). */
  cdg_sha256_hex(NULL, 0, sha);
  assert_string_equal(
      sha, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

/* ---- base.c
 * ------------------------------------------------------------------- */

static void test_status_names(void **state) {
  (void)state;
  assert_string_equal(cdg_status_str(CDG_OK), "ok");
  assert_string_equal(cdg_status_str(CDG_ERR_NOMEM), "out of memory");
  assert_string_equal(cdg_status_str(CDG_ERR_SYNTAX), "syntax error");
  assert_string_equal(cdg_status_str(CDG_ERR_PACK), "invalid pack");
  assert_string_equal(cdg_status_str(CDG_ERR_ANSWER), "invalid answer");
  assert_string_equal(cdg_status_str(CDG_ERR_LOGIC), "invalid JsonLogic");
  assert_string_equal(cdg_status_str(CDG_ERR_NOTFOUND), "not found");
  assert_string_equal(cdg_status_str(CDG_ERR_IO), "I/O error");
  assert_string_equal(cdg_status_str(CDG_ERR_STATE), "not possible now");
  assert_string_equal(cdg_status_str((cdg_status)99), "unknown status");
  assert_non_null(cdg_version());
}

static long S_calls;

static void *S_counting_malloc(size_t n) {
  S_calls++;
  return malloc(n);
}

static void test_allocator_hook(void **state) {
  cdg_allocator partial = {S_counting_malloc, NULL, free};
  cdg_allocator no_free = {S_counting_malloc, realloc, NULL};
  cdg_allocator no_malloc = {NULL, realloc, free};
  cdg_allocator whole = {S_counting_malloc, realloc, free};
  void *p;

  (void)state;
  /* A hook with a missing function is refused: the default stays. */
  S_calls = 0;
  cdg_set_allocator(&partial);
  p = cdg_malloc(8);
  assert_non_null(p);
  cdg_free(p);
  cdg_set_allocator(&no_free);
  p = cdg_malloc(8);
  cdg_free(p);
  cdg_set_allocator(&no_malloc);
  p = cdg_malloc(8);
  cdg_free(p);
  assert_int_equal(S_calls, 0);
  cdg_set_allocator(&whole);
  p = cdg_malloc(0); /* size 0 still gives a block to free */
  assert_non_null(p);
  p = cdg_realloc(p, 0);
  assert_non_null(p);
  cdg_free(p);
  assert_int_equal(S_calls, 1);
  cdg_set_allocator(NULL);
  /* n * size that would wrap is refused, not allocated short. */
  assert_null(cdg_calloc((size_t)-1 / 2 + 2, 2));
  p = cdg_calloc(0, 0);
  assert_non_null(p);
  cdg_free(p);
  p = cdg_calloc(4, 4);
  assert_non_null(p);
  assert_int_equal(((unsigned char *)p)[15], 0);
  cdg_free(p);
  cdg_free(NULL);
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
      cmocka_unit_test(test_base_fixture_loads),
      cmocka_unit_test(test_load_errors),
      cmocka_unit_test(test_load_shape_errors),
      cmocka_unit_test(test_whitespace_runs),
      cmocka_unit_test(test_alloc_failure),
      cmocka_unit_test(test_passages_errors),
      cmocka_unit_test(test_passages_shape),
      cmocka_unit_test(test_passages_whitespace),
      cmocka_unit_test(test_status_names),
      cmocka_unit_test(test_allocator_hook),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
