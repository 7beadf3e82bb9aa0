/* testfile.c: files in tests (testfile.h). */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "testfile.h"

char *testfile_read(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *buf;
  long n;

  if (!f)
    fail_msg("cannot open %s", path);
  assert_int_equal(fseek(f, 0, SEEK_END), 0);
  n = ftell(f);
  assert_true(n >= 0);
  rewind(f);
  buf = malloc((size_t)n + 1);
  assert_non_null(buf);
  if (fread(buf, 1, (size_t)n, f) != (size_t)n)
    fail_msg("cannot read %s", path);
  buf[n] = '\0';
  fclose(f);
  if (len)
    *len = (size_t)n;
  return buf;
}

static int S_rm(const char *path, const struct stat *sb, int flag,
                struct FTW *ftw) {
  (void)sb;
  (void)flag;
  (void)ftw;
  return remove(path);
}

void testfile_rmtree(const char *path) {
  nftw(path, S_rm, 16, FTW_DEPTH | FTW_PHYS);
}

char *testfile_source(const char *rel, size_t *len) {
  char path[1024];

  snprintf(path, sizeof path, "%s/%s", CDG_SOURCE_DIR, rel);
  return testfile_read(path, len);
}
