/* fixture.c: group fixtures shared by the tests (fixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "failalloc.h"
#include "fixture.h"

cdg_status fixture_pack1(cdg_pack **out, cdg_error *err) {
  return cdg_pack_load_dir(CDG_SOURCE_DIR "/tests/fixtures/pack-1.0", out,
                           err);
}

long fixture_load_sweep(const char *text, size_t len, const char *file,
                        long step) {
  cdg_pack *p = NULL;
  cdg_error err;
  cdg_status st;
  long n, total, nomem = 0;

  failalloc_start(0);
  assert_int_equal(cdg_pack_load(text, len, file, &p, &err), CDG_OK);
  cdg_pack_free(p);
  total = failalloc_count();
  failalloc_stop();
  assert_int_equal(failalloc_live(), 0);
  for (n = 1; n <= total; n += step) {
    failalloc_start(n);
    st = cdg_pack_load(text, len, file, &p, &err);
    if (st == CDG_OK)
      cdg_pack_free(p);
    else
      assert_int_equal(st, CDG_ERR_NOMEM);
    nomem += st == CDG_ERR_NOMEM;
    failalloc_stop();
    assert_int_equal(failalloc_live(), 0);
  }
  return nomem;
}

/* The built-in pack, or (pack1) the 1.0 fixture, with the passages. */
static int S_setup(void **state, int pack1) {
  static builtin_fixture f;
  cdg_error err;

  if ((pack1 ? fixture_pack1(&f.pack, &err)
             : cdg_pack_builtin(&f.pack, &err)) != CDG_OK) {
    print_error("%s pack: %s\n", pack1 ? "1.0" : "built-in", err.message);
    return -1;
  }
  if (cdg_passages_builtin(&f.ps, &err) != CDG_OK) {
    print_error("built-in passages: %s\n", err.message);
    cdg_pack_free(f.pack);
    return -1;
  }
  *state = &f;
  return 0;
}

int builtin_setup(void **state) { return S_setup(state, 0); }

int pack1_setup(void **state) { return S_setup(state, 1); }

int builtin_teardown(void **state) {
  builtin_fixture *f = *state;

  cdg_pack_free(f->pack);
  cdg_passages_free(f->ps);
  return 0;
}

int mini_setup(void **state) {
  cdg_pack *pack = NULL;
  cdg_error err;

  if (cdg_pack_load_dir(CDG_SOURCE_DIR "/tests/fixtures/mini", &pack,
                        &err) != CDG_OK)
    return -1;
  *state = pack;
  return 0;
}

int mini_teardown(void **state) {
  cdg_pack_free(*state);
  return 0;
}

char *fixture_json(const char *quoted) {
  char *json = strdup(quoted), *p;

  assert_non_null(json);
  for (p = json; *p; p++)
    if (*p == '\'')
      *p = '"';
  return json;
}

cdg_pack *fixture_pack(const char *quoted) {
  char *json = fixture_json(quoted), line[1024];
  cdg_pack *pack = NULL;
  cdg_error err;

  if (cdg_pack_load(json, strlen(json), "t.json", &pack, &err) != CDG_OK) {
    cdg_error_format(&err, line, sizeof line);
    fail_msg("pack did not load: %s\n%s", line, json);
  }
  free(json);
  return pack;
}

void fixture_same_report(const cJSON *a, const cJSON *b, const char *what) {
  static const char *const members[] = {"answers", "passages"};
  char *ta, *tb;
  size_t i;

  for (i = 0; i < 2; i++) {
    ta = cJSON_PrintUnformatted(
        cJSON_GetObjectItemCaseSensitive(a, members[i]));
    tb = cJSON_PrintUnformatted(
        cJSON_GetObjectItemCaseSensitive(b, members[i]));
    assert_non_null(ta);
    assert_non_null(tb);
    if (strcmp(ta, tb) != 0)
      fail_msg("%s: %s differ:\n%s\n%s", what, members[i], ta, tb);
    cJSON_free(ta);
    cJSON_free(tb);
  }
}
