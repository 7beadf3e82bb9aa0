/*
** test_badpack.c: the bad-pack corpus, data-driven. Each
** tests/bad/packs/NAME.json comes with NAME.err, the one line the pack
** must produce, written by hand: the loader's error, or, when the pack
** loads, the linter's first error. Files are loaded under their path
** relative to the repository root, as the messages name them.
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

#define CORPUS "tests/bad/packs"

/* The whole file in a malloc'ed buffer, or NULL. */
static char *S_slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  long n;

  if (!f)
    return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
      fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) &&
      fread(buf, 1, (size_t)n, f) == (size_t)n) {
    buf[n] = '\0';
    *len = (size_t)n;
  } else {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  return buf;
}

static int S_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names NAME of the NAME.json files, sorted. */
static size_t S_names(char ***out) {
  DIR *d = opendir(CDG_SOURCE_DIR "/" CORPUS);
  struct dirent *e;
  char **names = NULL;
  size_t n = 0;

  assert_non_null(d);
  while ((e = readdir(d))) {
    size_t len = strlen(e->d_name);

    if (len <= 5 || strcmp(e->d_name + len - 5, ".json") != 0)
      continue;
    names = realloc(names, (n + 1) * sizeof *names);
    assert_non_null(names);
    names[n] = strdup(e->d_name);
    names[n][len - 5] = '\0';
    n++;
  }
  closedir(d);
  qsort(names, n, sizeof *names, S_cmp);
  *out = names;
  return n;
}

/* The error line for one pack; 0 if it produced none. */
static int S_error_line(const cdg_passages *ps, const char *text,
                        size_t len, const char *file, char *line,
                        size_t size) {
  cdg_pack *pack = NULL;
  cdg_lint *lint = NULL;
  cdg_error err;
  int found = 1;

  if (cdg_pack_load(text, len, file, &pack, &err) != CDG_OK) {
    cdg_error_format(&err, line, size);
    return 1;
  }
  assert_int_equal(cdg_lint_run(pack, ps, &lint), CDG_OK);
  if (cdg_lint_count(lint) > 0)
    cdg_error_format(cdg_lint_error(lint, 0), line, size);
  else
    found = 0;
  cdg_lint_free(lint);
  cdg_pack_free(pack);
  return found;
}

static void test_corpus(void **state) {
  cdg_passages *ps = NULL;
  cdg_error err;
  char **names, path[1024], file[512], line[1024];
  size_t n = S_names(&names), i, len, elen;
  int failures = 0;

  (void)state;
  assert_int_equal(cdg_passages_builtin(&ps, &err), CDG_OK);
  /* One pack per loader error kind at least. */
  assert_true(n >= 16);
  for (i = 0; i < n; i++) {
    char *text, *want;

    snprintf(file, sizeof file, CORPUS "/%s.json", names[i]);
    snprintf(path, sizeof path, CDG_SOURCE_DIR "/%s", file);
    text = S_slurp(path, &len);
    assert_non_null(text);
    snprintf(path, sizeof path, CDG_SOURCE_DIR "/" CORPUS "/%s.err",
             names[i]);
    want = S_slurp(path, &elen);
    if (!want) {
      print_error("%s: no .err file\n", file);
      failures++;
    } else {
      while (elen > 0 && want[elen - 1] == '\n')
        want[--elen] = '\0';
      if (!S_error_line(ps, text, len, file, line, sizeof line)) {
        print_error("%s: no error, want\n  %s\n", file, want);
        failures++;
      } else if (strcmp(line, want) != 0) {
        print_error("%s:\n  got  %s\n  want %s\n", file, line, want);
        failures++;
      }
    }
    free(want);
    free(text);
    free(names[i]);
  }
  free(names);
  cdg_passages_free(ps);
  if (failures)
    fail_msg("%d of %zu bad packs did not give the expected error",
             failures, n);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_corpus),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
