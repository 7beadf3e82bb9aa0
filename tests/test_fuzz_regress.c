/*
** test_fuzz_regress.c: every input under tests/fuzz/regressions/<target>/
** (each once crashed, leaked or hung a fuzz target) replayed through that
** target's own entry code, so it stays a regression test under gcc, ASan
** and valgrind. Each target's file is included here with its entry point
** renamed; the target aborts or the sanitizer reports if the bug returns.
*/
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define LLVMFuzzerTestOneInput fuzz_pack_one
#include "fuzz/fuzz_pack.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_logic_one
#include "fuzz/fuzz_logic.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_answers_one
#include "fuzz/fuzz_answers.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_session_one
#include "fuzz/fuzz_session.c"
#undef LLVMFuzzerTestOneInput

typedef int (*S_entry)(const uint8_t *data, size_t size);

/* Whole file into a malloc'd buffer of exactly its size. */
static uint8_t *S_slurp(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  uint8_t *buf = NULL, *p;
  size_t n = 0, cap = 0, got;

  if (!f)
    fail_msg("cannot open %s", path);
  do {
    if (n == cap) {
      cap = cap ? cap * 2 : 4096;
      p = realloc(buf, cap);
      assert_non_null(p);
      buf = p;
    }
    got = fread(buf + n, 1, cap - n, f);
    n += got;
  } while (got > 0);
  assert_false(ferror(f));
  fclose(f);
  /* Exact size, so that a read past the input is caught. */
  p = malloc(n ? n : 1);
  assert_non_null(p);
  memcpy(p, buf, n);
  free(buf);
  *size = n;
  return p;
}

/* Replays every regular file in regressions/<target>; returns how many. */
static int S_replay(const char *target, S_entry entry) {
  char dir[4096], path[4096 + 256];
  struct dirent *e;
  DIR *d;
  uint8_t *data;
  size_t size;
  int n = 0;

  snprintf(dir, sizeof dir, "%s/tests/fuzz/regressions/%s", CDG_SOURCE_DIR,
           target);
  d = opendir(dir);
  if (!d)
    fail_msg("cannot open %s", dir);
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    data = S_slurp(path, &size);
    /* The entry returns 0; a returning bug aborts or trips a sanitizer,
    ** so print the name first. */
    print_message("%s: %s\n", target, e->d_name);
    assert_int_equal(entry(data, size), 0);
    free(data);
    n++;
  }
  closedir(d);
  return n;
}

static void test_pack(void **state) {
  (void)state;
  S_replay("pack", fuzz_pack_one);
}

static void test_logic(void **state) {
  (void)state;
  S_replay("logic", fuzz_logic_one);
}

static void test_answers(void **state) {
  (void)state;
  S_replay("answers", fuzz_answers_one);
}

static void test_session(void **state) {
  (void)state;
  S_replay("session", fuzz_session_one);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_pack),
      cmocka_unit_test(test_logic),
      cmocka_unit_test(test_answers),
      cmocka_unit_test(test_session),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
