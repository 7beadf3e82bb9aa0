/*
** test_base.c: the base layer (content/cdg_base.h, content/arena.h and
** the error builder of cdg_content.h): buffer, hash, error builder, file
** reader, arena, limits. UTF-8 and the JSON string escaper are in
** test_utf8.c. Every expected value is worked out by hand
** from the input shown (UTF-8 bytes from RFC 3629's table, FNV-1a from
** its definition).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>

#include <cmocka.h>

#include "arena.h"
#include "cdg_base.h"
#include "cdg_limits.h"
#include "failalloc.h"
#include "testfile.h"

/* A literal and its length without the final NUL. */
#define L(s) s, sizeof(s) - 1

/* ---- Buffer ----------------------------------------------------------- */

static void test_buf_appends(void **state) {
  cdg_buf b = CDG_BUF_INIT;
  size_t len = 0, i;
  char *s;

  (void)state;
  assert_string_equal(cdg_buf_cstr(&b), "");
  assert_int_equal(cdg_buf_put(&b, NULL, 0), 0);
  assert_int_equal(cdg_buf_puts(&b, "ab"), 0);
  assert_int_equal(cdg_buf_putc(&b, 'c'), 0);
  assert_int_equal(cdg_buf_put(&b, "d\0e", 3), 0);
  assert_int_equal(b.len, 6);
  assert_memory_equal(b.data, "abcd\0e", 7); /* with the final NUL */
  assert_int_equal(cdg_buf_printf(&b, "[%d:%s]", 42, "x"), 0);
  assert_int_equal(b.len, 12);
  assert_memory_equal(b.data + 6, "[42:x]", 7);
  cdg_buf_truncate(&b, 2);
  assert_string_equal(cdg_buf_cstr(&b), "ab");
  cdg_buf_truncate(&b, 10); /* longer: nothing happens */
  assert_string_equal(cdg_buf_cstr(&b), "ab");
  /* Growing well past the first block keeps every byte. */
  for (i = 0; i < 10000; i++)
    cdg_buf_putc(&b, 'a' + (int)(i % 26));
  assert_int_equal(b.len, 10002);
  assert_true(b.cap > b.len);
  for (i = 0; i < 10000; i++)
    assert_int_equal(b.data[2 + i], 'a' + (int)(i % 26));
  s = cdg_buf_detach(&b, &len);
  assert_non_null(s);
  assert_int_equal(len, 10002);
  assert_int_equal(s[len], '\0');
  assert_null(b.data);
  assert_int_equal(b.len, 0);
  cdg_free(s);
  /* An empty buffer detaches as "". */
  s = cdg_buf_detach(&b, NULL);
  assert_string_equal(s, "");
  cdg_free(s);
  cdg_buf_free(&b);
}

/* A long printf goes through the measured path, not a fixed buffer. */
static void test_buf_printf_long(void **state) {
  cdg_buf b;
  char big[3000];

  (void)state;
  memset(big, 'x', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  cdg_buf_init(&b);
  cdg_buf_puts(&b, "<");
  assert_int_equal(cdg_buf_printf(&b, "%s>", big), 0);
  assert_int_equal(b.len, 3001);
  assert_int_equal(b.data[0], '<');
  assert_int_equal(b.data[2999], 'x');
  assert_int_equal(b.data[3000], '>');
  cdg_buf_free(&b);
}

/* A failed allocation is sticky: what was there stays, later appends do
** nothing, detach gives NULL and frees. */
static void test_buf_nomem(void **state) {
  cdg_buf b = CDG_BUF_INIT;
  char big[200];

  (void)state;
  memset(big, 'y', sizeof big);
  assert_int_equal(cdg_buf_puts(&b, "kept"), 0);
  failalloc_start(1); /* the next allocation fails */
  assert_int_equal(cdg_buf_put(&b, big, sizeof big), -1);
  failalloc_stop();
  assert_int_equal(b.failed, 1);
  assert_string_equal(cdg_buf_cstr(&b), "kept");
  assert_int_equal(cdg_buf_puts(&b, "more"), -1);
  assert_int_equal(cdg_buf_putc(&b, 'z'), -1);
  assert_int_equal(cdg_buf_printf(&b, "%d", 1), -1);
  assert_string_equal(cdg_buf_cstr(&b), "kept");
  assert_null(cdg_buf_detach(&b, NULL));
  assert_null(b.data);
  cdg_buf_free(&b);
}

/* Requests no allocator can meet fail cleanly, and sticky. */
static void test_buf_limits(void **state) {
  cdg_buf b = CDG_BUF_INIT;

  (void)state;
  assert_int_equal(cdg_buf_puts(&b, "ab"), 0);
  assert_int_equal(cdg_buf_grow(&b, SIZE_MAX), -1); /* len + extra overflows */
  assert_int_equal(b.failed, 1);
  assert_string_equal(cdg_buf_cstr(&b), "ab");
  cdg_buf_free(&b);
  /* More than half the address space: asked for exactly, and refused (by
  ** the failing allocator, so that no real allocator is asked). */
  assert_int_equal(cdg_buf_puts(&b, "ab"), 0);
  failalloc_start(1);
  assert_int_equal(cdg_buf_grow(&b, SIZE_MAX / 2 + 10), -1);
  failalloc_stop();
  assert_int_equal(b.failed, 1);
  cdg_buf_free(&b);
  /* An encoding error in printf (a wide character the C locale cannot
  ** write) fails the buffer too. */
  assert_int_equal(cdg_buf_printf(&b, "%lc", (wint_t)0x20AC), -1);
  assert_int_equal(b.failed, 1);
  cdg_buf_free(&b);
}

static void test_strdup_printf(void **state) {
  char *s;

  (void)state;
  s = cdg_strdup_printf("%s/%d", "item", 42);
  assert_string_equal(s, "item/42");
  cdg_free(s);
  s = cdg_strdup_printf("%s", "");
  assert_string_equal(s, "");
  cdg_free(s);
  failalloc_start(1);
  assert_null(cdg_strdup_printf("%s", "no room"));
  failalloc_stop();
}

/* A growth function as cdg_grow and cdg_grow_raw are. */
typedef int S_grow_fn(void *items, size_t n, size_t *cap, size_t size);

/* grow: room for one more item (zeroed when zeroed), doubling; a failure
** leaves the array as it was. cdg_grow_raw's new room is not read:
** valgrind would report it. */
static void S_grow_check(S_grow_fn *grow, int zeroed) {
  long *a = NULL;
  size_t cap = 0, n, i;

  for (n = 0; n < 100; n++) {
    assert_int_equal(grow(&a, n, &cap, sizeof *a), 0);
    assert_true(cap > n);
    if (zeroed)
      assert_int_equal(a[n], 0); /* new room is zeroed */
    a[n] = (long)n + 1;
  }
  assert_int_equal(cap, 128); /* 16, 32, 64, 128: doubled each time */
  assert_int_equal(grow(&a, 50, &cap, sizeof *a), 0); /* room: no-op */
  assert_int_equal(cap, 128);
  failalloc_start(1);
  assert_int_equal(grow(&a, 128, &cap, sizeof *a), -1);
  failalloc_stop();
  assert_int_equal(cap, 128);
  for (i = 0; i < 100; i++)
    assert_int_equal(a[i], (long)i + 1);
  /* An item size the address space cannot double. */
  assert_int_equal(grow(&a, 128, &cap, SIZE_MAX / 64), -1);
  assert_int_equal(cap, 128);
  cdg_free(a);
}

static void test_grow(void **state) {
  (void)state;
  S_grow_check(cdg_grow, 1);
}

static void test_grow_raw(void **state) {
  (void)state;
  S_grow_check(cdg_grow_raw, 0);
}

/* ---- Hash ------------------------------------------------------------- */

/* FNV-1a over the bytes, then the high half folded into the low: the
** values of the library's hash tables must not change with this module. */
static void test_hash(void **state) {
  (void)state;
  if (sizeof(size_t) == 8) {
    assert_true(cdg_hash("") == (size_t)0xcbf29ce44fd0bfc1ULL);
    assert_true(cdg_hash("a") == (size_t)0xaf63dc4c296230c0ULL);
    assert_true(cdg_hash("id") == (size_t)0x08b72e07bdeb14c7ULL);
  }
  assert_true(cdg_hash("ab") != cdg_hash("ba"));
}

/* ---- Errors ----------------------------------------------------------- */

static void test_error_set(void **state) {
  cdg_error err;
  char ptr[300];
  size_t n = 0;
  int i;

  (void)state;
  memset(&err, 'x', sizeof err);
  assert_int_equal(cdg_error_set(&err, CDG_ERR_PACK, "f.json", "/a/b",
                                 "bad %s %d", "thing", 3),
                   CDG_ERR_PACK);
  assert_string_equal(err.file, "f.json");
  assert_string_equal(err.pointer, "/a/b");
  assert_string_equal(err.message, "bad thing 3");
  assert_int_equal(err.line, 0);
  assert_int_equal(err.col, 0);
  assert_int_equal(cdg_error_set(&err, CDG_ERR_IO, NULL, NULL, "m"),
                   CDG_ERR_IO);
  assert_string_equal(err.file, "");
  assert_string_equal(err.pointer, "");
  assert_int_equal(cdg_error_set(NULL, CDG_ERR_NOMEM, "f", NULL, "x"),
                   CDG_ERR_NOMEM);
  /* A pointer too long for the record keeps whole tokens only: 25 tokens
  ** "/tokenNN-..." of 11 bytes fit in 255; the 24th ends at 264. */
  ptr[0] = '\0';
  for (i = 0; i < 25; i++)
    n += (size_t)snprintf(ptr + n, sizeof ptr - n, "/token%02d-ab", i);
  cdg_error_set(&err, CDG_ERR_PACK, NULL, ptr, "m");
  assert_int_equal(strlen(err.pointer), 23 * 11);
  assert_memory_equal(err.pointer, ptr, 23 * 11);
}

/* The record as a line: each part only when known. */
static void test_error_format(void **state) {
  cdg_error err;
  char line[1200], name[300];

  (void)state;
  cdg_error_set(&err, CDG_ERR_PACK, NULL, NULL, "m");
  err.line = 3;
  err.col = 4;
  cdg_error_format(&err, line, sizeof line);
  assert_string_equal(line, "3:4: m");
  cdg_error_set(&err, CDG_ERR_PACK, "f", "/a", "m");
  cdg_error_format(&err, line, sizeof line);
  assert_string_equal(line, "f: m (at /a)");
  /* A file name that fills the record (255 bytes) keeps line:col. */
  memset(name, 'f', sizeof name - 1);
  name[sizeof name - 1] = '\0';
  cdg_error_set(&err, CDG_ERR_PACK, name, NULL, "m");
  err.line = 2147483647;
  err.col = -2147483647 - 1;
  cdg_error_format(&err, line, sizeof line);
  assert_int_equal(strlen(line), 255 + strlen(":2147483647:-2147483648: m"));
  assert_string_equal(line + 255, ":2147483647:-2147483648: m");
}

/* ---- Files ------------------------------------------------------------ */

static void test_read_file(void **state) {
  char dir[] = "/tmp/cdg-base-XXXXXX", path[64], *buf = (char *)dir;
  size_t len = 99, i;
  cdg_error err;
  FILE *f;

  (void)state;
  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/f.txt", dir);
  f = fopen(path, "wb");
  assert_non_null(f);
  /* Longer than the first read, with a NUL inside. */
  for (i = 0; i < 10000; i++)
    fputc(i == 5 ? 0 : 'a' + (int)(i % 7), f);
  fclose(f);
  assert_int_equal(cdg_read_file(path, &buf, &len, &err), CDG_OK);
  assert_int_equal(len, 10000);
  assert_int_equal(buf[5], 0);
  assert_int_equal(buf[9999], 'a' + 9999 % 7);
  assert_int_equal(buf[10000], '\0');
  cdg_free(buf);

  /* A directory is bad input, named as such. */
  assert_int_equal(cdg_read_file(dir, &buf, &len, &err), CDG_ERR_NOTFOUND);
  assert_null(buf);
  assert_int_equal(len, 0);
  assert_string_equal(err.file, dir);
  assert_string_equal(err.message, "is a directory, not a file");

  /* Missing, and missing below a file (ENOTDIR): not found. */
  snprintf(path, sizeof path, "%s/none", dir);
  assert_int_equal(cdg_read_file(path, &buf, &len, &err), CDG_ERR_NOTFOUND);
  assert_string_equal(err.message, "No such file or directory");
  snprintf(path, sizeof path, "%s/f.txt/x", dir);
  assert_int_equal(cdg_read_file(path, &buf, &len, &err), CDG_ERR_NOTFOUND);
  assert_string_equal(err.message, "Not a directory");

  /* A name too long for the system is an I/O error, not bad input. */
  {
    char longname[5000];

    memset(longname, 'n', sizeof longname - 1);
    longname[0] = '/';
    longname[sizeof longname - 1] = '\0';
    assert_int_equal(cdg_read_file(longname, &buf, &len, &err), CDG_ERR_IO);
    assert_string_equal(err.message, "File name too long");
  }

  /* A file larger than CDG_MAX_FILE_BYTES (sparse: no disk used) is
  ** refused before it is read. */
  snprintf(path, sizeof path, "%s/big", dir);
  f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(ftruncate(fileno(f), (off_t)CDG_MAX_FILE_BYTES + 1), 0);
  fclose(f);
  assert_int_equal(cdg_read_file(path, &buf, &len, &err), CDG_ERR_NOTFOUND);
  assert_string_equal(err.message, "larger than 1024 MiB, too large to read");
  assert_null(buf);

  /* Out of memory: the first buffer. */
  snprintf(path, sizeof path, "%s/f.txt", dir);
  failalloc_start(1);
  assert_int_equal(cdg_read_file(path, &buf, &len, &err), CDG_ERR_NOMEM);
  failalloc_stop();
  assert_null(buf);
  assert_string_equal(err.message, "out of memory");
  testfile_rmtree(dir);
}

/* A read that fails after the open is an I/O error naming the cause:
** /proc/self/mem opens, and reading its page 0 fails. */
static void test_read_error(void **state) {
  char *buf = (char *)state;
  size_t len = 1;
  cdg_error err;

  (void)state;
  if (access("/proc/self/mem", R_OK) != 0)
    skip();
  assert_int_equal(cdg_read_file("/proc/self/mem", &buf, &len, &err),
                   CDG_ERR_IO);
  assert_null(buf);
  assert_string_equal(err.file, "/proc/self/mem");
  assert_string_equal(err.message, "Input/output error");
}

/* The empty file reads as "". */
static void test_read_empty(void **state) {
  char *buf = NULL;
  size_t len = 1;
  cdg_error err;

  (void)state;
  assert_int_equal(cdg_read_file("/dev/null", &buf, &len, &err), CDG_OK);
  assert_int_equal(len, 0);
  assert_string_equal(buf, "");
  cdg_free(buf);
}

/* ---- Arena ------------------------------------------------------------ */

static void test_arena(void **state) {
  cdg_arena *a = cdg_arena_new();
  char *p[200], *big, *s;
  size_t i, k;
  int *z;

  (void)state;
  assert_non_null(a);
  /* Many small blocks, each aligned for anything, none overlapping. */
  for (i = 0; i < 200; i++) {
    p[i] = cdg_arena_alloc(a, i + 1);
    assert_non_null(p[i]);
    assert_int_equal((uintptr_t)p[i] % _Alignof(max_align_t), 0);
    memset(p[i], (int)i, i + 1);
  }
  /* A block bigger than the arena's own, then small ones again. */
  big = cdg_arena_alloc(a, 200000);
  assert_non_null(big);
  memset(big, 0x5A, 200000);
  s = cdg_arena_strdup(a, "after");
  assert_string_equal(s, "after");
  for (i = 0; i < 200; i++)
    for (k = 0; k <= i; k++)
      assert_int_equal((unsigned char)p[i][k], i);
  assert_int_equal((unsigned char)big[199999], 0x5A);
  z = cdg_arena_calloc(a, 1000, sizeof *z);
  assert_non_null(z);
  for (i = 0; i < 1000; i++)
    assert_int_equal(z[i], 0);
  assert_non_null(cdg_arena_alloc(a, 0));
  assert_null(cdg_arena_calloc(a, SIZE_MAX / 2, 4)); /* overflows */
  assert_null(cdg_arena_alloc(a, SIZE_MAX));
  assert_non_null(cdg_arena_calloc(a, 5, 0));
  assert_true(cdg_arena_bytes(a) >= 200000 + 200 * 201 / 2);
  cdg_arena_free(a);
  cdg_arena_free(NULL);
}

/* A big first request is a block of its own, and the next small one
** gets a block too. */
static void test_arena_big_first(void **state) {
  cdg_arena *a = cdg_arena_new();
  char *big, *small;

  (void)state;
  big = cdg_arena_alloc(a, 100000);
  assert_non_null(big);
  memset(big, 1, 100000);
  small = cdg_arena_alloc(a, 10);
  assert_non_null(small);
  assert_true(small < big || small >= big + 100000);
  assert_true(cdg_arena_bytes(a) >= 100000 + 65536);
  cdg_arena_free(a);
}

static void test_arena_nomem(void **state) {
  cdg_arena *a;

  (void)state;
  failalloc_start(1);
  assert_null(cdg_arena_new());
  failalloc_stop();
  a = cdg_arena_new();
  assert_non_null(a);
  failalloc_start(1); /* the first block */
  assert_null(cdg_arena_alloc(a, 10));
  failalloc_start(1);
  assert_null(cdg_arena_strdup(a, "x"));
  failalloc_stop();
  assert_non_null(cdg_arena_alloc(a, 10)); /* still usable */
  cdg_arena_free(a);
}

/* ---- Limits ----------------------------------------------------------- */

/* The limits that must agree with one another. */
static void test_limits(void **state) {
  (void)state;
  assert_true(CDG_LINT_DEPTH > CDG_MAX_JSON_DEPTH);
  assert_true(CDG_MAX_SHOWN < CDG_MAX_TEXT_ANSWER);
  assert_true(CDG_MIN_WIDTH < CDG_DEFAULT_WIDTH);
}

/* ---- Status names and the allocator hook (content/base.c) ------------ */

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
      cmocka_unit_test(test_buf_appends),
      cmocka_unit_test(test_buf_printf_long),
      cmocka_unit_test(test_buf_nomem),
      cmocka_unit_test(test_buf_limits),
      cmocka_unit_test(test_grow),
      cmocka_unit_test(test_grow_raw),
      cmocka_unit_test(test_strdup_printf),
      cmocka_unit_test(test_hash),
      cmocka_unit_test(test_error_set),
      cmocka_unit_test(test_error_format),
      cmocka_unit_test(test_read_file),
      cmocka_unit_test(test_read_empty),
      cmocka_unit_test(test_read_error),
      cmocka_unit_test(test_arena),
      cmocka_unit_test(test_arena_big_first),
      cmocka_unit_test(test_arena_nomem),
      cmocka_unit_test(test_limits),
      cmocka_unit_test(test_status_names),
      cmocka_unit_test(test_allocator_hook),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
