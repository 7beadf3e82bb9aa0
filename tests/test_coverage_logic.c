/*
** test_coverage_logic.c: an evaluation error inside any argument of any
** JsonLogic operator comes out of the whole rule as that error, with no
** result and no crash. The argument X is a string that doubles until it
** passes the evaluator's memory limit (as in test_logic's
** test_memory_limit), placed in every argument position of every operator;
** it reads no data, so it fails inside iteration bodies too.
*/
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdg_rules.h"

#define X                                                                      \
  "{\"reduce\":[[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,"    \
  "23,24,25,26,27,28,29,30],{\"cat\":[{\"var\":\"accumulator\"},"              \
  "{\"var\":\"accumulator\"}]},\"xxxxxxxxxxxxxxxx\"]}"
#define DATA "{\"a\":1}"
#define LIMIT "evaluation needs more than 16777216 bytes"

static void test_error_in_every_argument(void **state) {
  static const char *const rules[] = {
      "{\"==\":[" X ",1]}",
      "{\"==\":[1," X "]}",
      "{\"!=\":[" X ",1]}",
      "{\"===\":[" X ",1]}",
      "{\"!==\":[1," X "]}",
      "{\"<\":[" X ",1]}",
      "{\"<\":[1," X "]}",
      "{\"<\":[1,2," X "]}",
      "{\"<=\":[" X ",1,2]}",
      "{\"<=\":[1,2," X "]}",
      "{\">\":[" X ",1]}",
      "{\">=\":[1," X "]}",
      "{\"in\":[" X ",\"a\"]}",
      "{\"in\":[\"a\"," X "]}",
      "{\"substr\":[" X ",1]}",
      "{\"substr\":[\"abc\"," X "]}",
      "{\"substr\":[\"abc\",1," X "]}",
      "{\"!\":[" X "]}",
      "{\"!!\":[" X "]}",
      "{\"if\":[" X ",1,2]}",
      "{\"if\":[true," X ",2]}",
      "{\"if\":[false,1," X "]}",
      "{\"?:\":[" X ",1,2]}",
      "{\"and\":[true," X "]}",
      "{\"or\":[false," X "]}",
      "{\"max\":[1," X "]}",
      "{\"min\":[" X "]}",
      "{\"+\":[" X "]}",
      "{\"-\":[" X ",1]}",
      "{\"-\":[1," X "]}",
      "{\"-\":[" X "]}",
      "{\"*\":[" X ",2]}",
      "{\"/\":[" X ",2]}",
      "{\"/\":[2," X "]}",
      "{\"%\":[" X ",2]}",
      "{\"%\":[2," X "]}",
      "{\"cat\":[\"a\"," X "]}",
      "{\"log\":[" X "]}",
      "{\"merge\":[[1]," X "]}",
      "{\"missing\":[" X "]}",
      "{\"missing\":[\"a\"," X "]}",
      "{\"missing_some\":[" X ",[\"a\"]]}",
      "{\"missing_some\":[1," X "]}",
      "{\"var\":[" X "]}",
      "{\"var\":[\"zz\"," X "]}",
      "{\"map\":[" X ",1]}",
      "{\"map\":[[1]," X "]}",
      "{\"filter\":[" X ",true]}",
      "{\"filter\":[[1]," X "]}",
      "{\"reduce\":[" X ",1,0]}",
      "{\"reduce\":[[1]," X ",0]}",
      "{\"reduce\":[[1],1," X "]}",
      "{\"all\":[" X ",true]}",
      "{\"all\":[[1]," X "]}",
      "{\"some\":[[1]," X "]}",
      "{\"none\":[" X ",true]}",
      "{\"none\":[[1]," X "]}",
      "[1," X "]",
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof rules / sizeof *rules; i++) {
    char *out = (char *)1;
    cdg_error err;
    cdg_status st;

    cdg_error_clear(&err);
    st = cdg_logic_eval_json(rules[i], DATA, &out, &err);

    if (st != CDG_ERR_LOGIC || strcmp(err.message, LIMIT) != 0)
      fail_msg("%s: %s: %s, expected %s", rules[i], cdg_status_str(st),
               err.message, LIMIT);
    assert_null(out);
  }
}

#ifdef CDG_LOCPATH
/* 597 zeros: "2.5" and these are over the evaluator's 512-byte buffer for
** a number written with the locale's decimal point. */
#define Z50 "00000000000000000000000000000000000000000000000000"
#define Z597                                                                   \
  Z50 Z50 Z50 Z50 Z50 Z50 Z50 Z50 Z50 Z50 Z50                                  \
      "0000000000000000000000000000000000000000000000"

static void S_expect_in_locale(const char *rule, const char *want) {
  char *out = NULL;
  cdg_error err;

  if (cdg_logic_eval_json(rule, NULL, &out, &err) != CDG_OK)
    fail_msg("%s: %s", rule, err.message);
  if (strcmp(out, want) != 0)
    fail_msg("%s: got %s, expected %s", rule, out, want);
  cdg_free(out);
}

/* Under a locale whose decimal point is a comma (de_DE, made by CMake with
** localedef in the build tree), numbers in strings are still read with
** ".", as JavaScript reads them, and "," still ends a number. */
static void test_comma_locale(void **state) {
  (void)state;
  assert_int_equal(setenv("LOCPATH", CDG_LOCPATH, 1), 0);
  if (!setlocale(LC_NUMERIC, "de_DE.UTF-8"))
    fail_msg("no locale de_DE.UTF-8 under %s", CDG_LOCPATH);
  assert_string_equal(localeconv()->decimal_point, ",");
  S_expect_in_locale("{\"+\":[\"1.5\",\"2.25\"]}", "3.75");
  S_expect_in_locale("{\"*\":[\"-0.5\",4]}", "-2");
  S_expect_in_locale("{\"==\":[\" 2.5 \",2.5]}", "true");
  S_expect_in_locale("{\"+\":[\"1,5\"]}", "1");
  S_expect_in_locale("{\"cat\":[0.25]}", "\"0.25\"");
  S_expect_in_locale("{\"*\":[\"2.5" Z597 "\",2]}", "5");
  setlocale(LC_NUMERIC, "C");
}
#endif

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_error_in_every_argument),
#ifdef CDG_LOCPATH
      cmocka_unit_test(test_comma_locale),
#endif
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
