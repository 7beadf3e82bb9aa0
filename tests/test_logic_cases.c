/*
** test_logic_cases.c: every .test file in tests/logic, in jq's format,
** run by the JsonLogic evaluator three ways (the general path, and
** through a frame of the rule's own slots with the typed path on and off:
** logic_paths.h). Blocks of three lines (rule, data, expected result)
** separated by blank lines; lines starting with # are comments. In a block
** that starts with %%FAIL the third line is the exact error text
** (cdg_error_format). Results are compared as JSON values (numbers
** exactly), or as text where cJSON cannot parse the expected line. Each
** failing case is reported with its file:line. Expected values are
** confirmed with json-logic-js (tools/oracle/check.js).
*/
#include <dirent.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdg_limits.h"
#include "cdg_rules.h"
#include "failalloc.h"
#include "logic.h"
#include "logic_paths.h"

/* ---- Data-driven cases ------------------------------------------------- */

/* Exact JSON equality: numbers with ==, objects regardless of key order. */
static int S_json_equal(const cJSON *a, const cJSON *b) {
  const cJSON *x, *y;

  if ((a->type & 0xFF) != (b->type & 0xFF))
    return 0;
  switch (a->type & 0xFF) {
  case cJSON_Number: return a->valuedouble == b->valuedouble;
  case cJSON_String: return strcmp(a->valuestring, b->valuestring) == 0;
  case cJSON_Array:
    for (x = a->child, y = b->child; x && y; x = x->next, y = y->next)
      if (!S_json_equal(x, y))
        return 0;
    return !x && !y;
  case cJSON_Object:
    if (cJSON_GetArraySize(a) != cJSON_GetArraySize(b))
      return 0;
    for (x = a->child; x; x = x->next) {
      y = cJSON_GetObjectItemCaseSensitive(b, x->string);
      if (!y || !S_json_equal(x, y))
        return 0;
    }
    return 1;
  default: return 1;
  }
}

static char *S_read_line(FILE *f, int *lineno) {
  static char buf[65536];
  size_t n;

  if (!fgets(buf, sizeof buf, f))
    return NULL;
  (*lineno)++;
  n = strlen(buf);
  while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
    buf[--n] = '\0';
  return buf;
}

static int S_typed_cases; /* cases whose rule had slots to type */

/* The typed and frame paths agree with the general one on this case. */
static int S_paths(const char *file, int line, const char *rule,
                   const char *data) {
  cJSON *r = cJSON_Parse(rule), *d = *data ? cJSON_Parse(data) : NULL;
  char why[1024];
  int ok = 1, typed;

  if (r && (d || !*data)) {
    ok = logic_paths_agree(r, d, why, sizeof why, &typed);
    assert_int_not_equal(ok, -1);
    S_typed_cases += typed;
    if (!ok)
      print_error("%s:%d: %s on %s: %s\n", file, line, rule, data, why);
  }
  cJSON_Delete(r);
  cJSON_Delete(d);
  return !ok;
}

/* Run one case; 0 if it passes, else print why and return 1. */
static int S_case(const char *file, int line, int fail, const char *rule,
                  const char *data, const char *want) {
  char *got = NULL, msg[1024];
  cdg_error err;
  cdg_status st;
  cJSON *g, *w;
  int ok;

  if (S_paths(file, line, rule, data))
    return 1;
  st = cdg_logic_eval_json(rule, strcmp(data, "") ? data : NULL, &got, &err);
  if (fail) {
    if (st == CDG_OK) {
      print_error("%s:%d: %s on %s: expected error \"%s\", got %s\n", file,
                  line, rule, data, want, got);
      cdg_free(got);
      return 1;
    }
    cdg_error_format(&err, msg, sizeof msg);
    if (strcmp(msg, want) != 0) {
      print_error("%s:%d: %s on %s: expected error \"%s\", got \"%s\"\n",
                  file, line, rule, data, want, msg);
      return 1;
    }
    return 0;
  }
  if (st != CDG_OK) {
    cdg_error_format(&err, msg, sizeof msg);
    print_error("%s:%d: %s on %s: expected %s, got error \"%s\"\n", file, line,
                rule, data, want, msg);
    return 1;
  }
  g = cJSON_Parse(got);
  w = cJSON_Parse(want);
  /* cJSON rejects lone surrogates ("\ud83d"): compare those as text */
  ok = w ? g && S_json_equal(g, w) : strcmp(got, want) == 0;
  if (!ok)
    print_error("%s:%d: %s on %s: expected %s, got %s\n", file, line, rule,
                data, want, got);
  cJSON_Delete(g);
  cJSON_Delete(w);
  cdg_free(got);
  return !ok;
}

static void test_file(void **state) {
  const char *path = *state;
  char *rule = NULL, *data = NULL, *s;
  int lineno = 0, start, fail, failures = 0, cases = 0;
  FILE *f = fopen(path, "r");

  assert_non_null(f);
  for (;;) {
    s = S_read_line(f, &lineno);
    if (!s)
      break;
    if (s[0] == '\0' || s[0] == '#')
      continue;
    start = lineno;
    fail = strcmp(s, "%%FAIL") == 0;
    if (fail)
      s = S_read_line(f, &lineno);
    rule = s ? strdup(s) : NULL;
    s = S_read_line(f, &lineno);
    data = s ? strdup(s) : NULL;
    s = S_read_line(f, &lineno);
    if (!rule || !data || !s) {
      print_error("%s:%d: incomplete case\n", path, start);
      failures++;
      free(rule);
      free(data);
      break;
    }
    failures += S_case(path, start, fail, rule, data, s);
    cases++;
    free(rule);
    free(data);
  }
  fclose(f);
  if (failures)
    print_error("%s: %d of %d cases failed\n", path, failures, cases);
  assert_true(cases > 0);
  assert_true(S_typed_cases > 0); /* the typed path ran on some */
  assert_int_equal(failures, 0);
}

static int S_by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void) {
  const char *dir = CDG_SOURCE_DIR "/tests/logic";
  struct CMUnitTest files[64];
  char *paths[64];
  struct dirent *de;
  size_t n = 0, i, len;
  DIR *d = opendir(dir);
  int rc;

  if (!d) {
    fprintf(stderr, "test_logic_cases: cannot open %s\n", dir);
    return 1;
  }
  while ((de = readdir(d)) != NULL && n < 64) {
    len = strlen(de->d_name);
    if (len < 6 || strcmp(de->d_name + len - 5, ".test") != 0)
      continue;
    paths[n] = malloc(strlen(dir) + len + 2);
    if (!paths[n])
      break;
    sprintf(paths[n], "%s/%s", dir, de->d_name);
    n++;
  }
  closedir(d);
  qsort(paths, n, sizeof paths[0], S_by_name);
  for (i = 0; i < n; i++) {
    files[i] = (struct CMUnitTest){paths[i] + strlen(dir) + 1, test_file,
                                   NULL, NULL, paths[i]};
  }
  rc = _cmocka_run_group_tests("logic files", files, n, NULL, NULL);
  for (i = 0; i < n; i++)
    free(paths[i]);
  return rc;
}
