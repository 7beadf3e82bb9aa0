/*
** test_html_failures.c: the HTML writer when the machine fails it: every
** allocation it makes, failed in turn, gives exit code 70 and leaks
** nothing; a full disk gives 74. Split from test_html.c.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>

#include "failalloc.h"
#include "fixture.h"
#include "html.h"
#include "report.h"
#include "testfile.h"

#define DATE "2026-01-31T09:00:00Z"

/* Every allocation the writer makes, failed in turn: exit code 70, no
** leak; a full disk: exit code 74. */
static void test_failures(void **state) {
  const builtin_fixture *f = *state;
  char path[512], *answers, *buf = NULL;
  cdg_answers *a = NULL;
  cdg_report *d = NULL;
  report_input in;
  cdg_error err;
  size_t len = 0;
  long total, n;
  FILE *m;
  int saved_err = dup(2), devnull = open("/dev/null", O_WRONLY);

  snprintf(path, sizeof path,
           "%s/tests/cases/case-10-adult-mixed.answers.json", CDG_SOURCE_DIR);
  answers = testfile_read(path, NULL);
  assert_int_equal(cdg_answers_parse(f->pack, answers, strlen(answers),
                                     "a.json", &a, &err),
                   CDG_OK);
  memset(&in, 0, sizeof in);
  in.pack = f->pack;
  in.ps = f->ps;
  in.answers = a;
  in.date = DATE;
  assert_int_equal(report_build(&in, &d), 0);

  assert_non_null(m = fopen("/dev/null", "w"));
  failalloc_start(0);
  assert_int_equal(html_write(m, d), 0);
  failalloc_stop();
  fclose(m);
  total = failalloc_count();
  assert_true(total > 50); /* one per text at least */
  assert_int_equal(failalloc_live(), 0);

  assert_true(saved_err >= 0 && devnull >= 0);
  fflush(stderr);
  dup2(devnull, 2);
  for (n = 1; n <= total; n++) {
    assert_non_null(m = open_memstream(&buf, &len));
    failalloc_start(n);
    if (html_write(m, d) != 70) {
      failalloc_stop();
      dup2(saved_err, 2);
      fail_msg("allocation %ld of %ld failed: not exit code 70", n, total);
    }
    failalloc_stop();
    if (failalloc_live() != 0) {
      dup2(saved_err, 2);
      fail_msg("allocation %ld of %ld failed: %ld blocks leaked", n, total,
               failalloc_live());
    }
    fclose(m);
    free(buf);
    buf = NULL;
  }
  if ((m = fopen("/dev/full", "w")) != NULL) {
    int rc = html_write(m, d);

    fclose(m);
    dup2(saved_err, 2);
    assert_int_equal(rc, 74);
  }
  dup2(saved_err, 2);
  close(saved_err);
  close(devnull);
  cdg_report_free(d);
  cdg_answers_free(a);
  free(answers);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_failures),
  };

  return cmocka_run_group_tests(tests, pack1_setup, builtin_teardown);
}
