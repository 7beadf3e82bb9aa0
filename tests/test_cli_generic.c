/*
** test_cli_generic.c: the command line knows question types, not the
** shipped pack. No question id, option code, rule id or passage id of the
** built-in pack, nor its review topic or closing section, appears in
** the C files and headers of cli/; what is pack-specific is data in the
** pack.
*/
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdg_rules.h"
#include "pack.h"
#include "testfile.h"

static int S_idchar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/*
** Where id occurs in text: quoted ("none"), or, for an id no English word
** could be (it has '_' or '-') or a question or passage id, anywhere as a
** whole token. 0 when nowhere, else the line.
*/
static int S_find(const char *text, const char *id, int token) {
  size_t n = strlen(id);
  const char *p;

  for (p = strstr(text, id); p; p = strstr(p + 1, id)) {
    int before = p > text ? p[-1] : ' ', after = p[n];
    int line = 1;
    const char *q;

    if ((before == '"' && after == '"') ||
        (token && !S_idchar((char)before) && !S_idchar((char)after))) {
      for (q = text; q < p; q++)
        line += *q == '\n';
      return line;
    }
  }
  return 0;
}

/* Collect into ids every id and code of pack (the same may repeat). */
typedef struct S_ids {
  const char *id[4096];
  int token[4096];
  size_t n;
} S_ids;

static void S_add(S_ids *s, const char *id, int token) {
  assert_true(s->n < sizeof s->id / sizeof *s->id);
  s->id[s->n] = id;
  s->token[s->n++] = token || strpbrk(id, "_-") != NULL;
}

static void S_collect(const cdg_pack *pack, S_ids *s) {
  size_t i, j;

  for (i = 0; i < cdg_pack_question_count(pack); i++) {
    const cdg_question *q = cdg_pack_question(pack, i);

    S_add(s, cdg_question_id(q), 1);
    for (j = 0; j < cdg_question_option_count(q); j++)
      S_add(s, cdg_question_option_code(q, j), 0);
    for (j = 0; j < cdg_question_passage_count(q); j++)
      S_add(s, cdg_question_passage(q, j), 1);
  }
  for (i = 0; i < cdg_pack_rule_count(pack); i++) {
    S_add(s, cdg_rule_id(pack, i), 0);
    for (j = 0; j < cdg_rule_cite_count(pack, i); j++)
      S_add(s, cdg_rule_cite(pack, i, j), 1);
  }
  if (pack->report.review_topic)
    S_add(s, pack->report.review_topic, 0);
  if (pack->report.closing_section)
    S_add(s, pack->report.closing_section, 0);
}

static void test_no_pack_ids_in_cli(void **state) {
  cdg_pack *pack = NULL;
  cdg_error err;
  S_ids ids;
  DIR *dir = opendir(CDG_SOURCE_DIR "/cli");
  struct dirent *e;
  size_t i, files = 0;
  int bad = 0;

  (void)state;
  assert_non_null(dir);
  assert_int_equal(cdg_pack_builtin(&pack, &err), CDG_OK);
  ids.n = 0;
  S_collect(pack, &ids);
  assert_true(ids.n > 50); /* the shipped pack has some sixty */
  while ((e = readdir(dir))) {
    size_t n = strlen(e->d_name);
    char path[512];
    char *text;

    if (n < 3 || e->d_name[n - 2] != '.' ||
        (e->d_name[n - 1] != 'c' && e->d_name[n - 1] != 'h'))
      continue;
    snprintf(path, sizeof path, "%s/cli/%s", CDG_SOURCE_DIR, e->d_name);
    text = testfile_read(path, NULL);
    files++;
    for (i = 0; i < ids.n; i++) {
      int line = S_find(text, ids.id[i], ids.token[i]);

      if (line) {
        print_error("cli/%s:%d: names \"%s\" of the shipped pack\n", e->d_name,
                    line, ids.id[i]);
        bad = 1;
      }
    }
    free(text);
  }
  closedir(dir);
  cdg_pack_free(pack);
  assert_true(files >= 10);
  assert_false(bad);
}

/* The check itself finds an id where one is. */
static void test_finder(void **state) {
  (void)state;
  assert_int_equal(S_find("a\nb \"none\" c", "none", 0), 2);
  assert_int_equal(S_find("none of these", "none", 0), 0);
  assert_int_equal(S_find("x = S_treatments_tried;", "treatments_tried", 1), 0);
  assert_int_equal(S_find("/* treatments_tried */", "treatments_tried", 1), 1);
  assert_int_equal(S_find("\"/posture/1\"", "posture", 1), 1);
  assert_int_equal(S_find("imposture", "posture", 1), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_finder),
      cmocka_unit_test(test_no_pack_ids_in_cli),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
