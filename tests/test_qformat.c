/*
** test_qformat.c: the integer and date question types, from the pack
** through answers: what the loader takes, what an answer must look like,
** and the messages when it does not.
*/
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "cdg_limits.h"
#include "cdg_rules.h"
#include "fixture.h"

#define S_QN                                                                   \
  "{'id':'cycles','type':'integer','text':'How many?','min':0,'max':40}"
#define S_QD "{'id':'last','type':'date','text':'When last?'}"

/* Today's local date moved by days, at the precision given. */
static void S_day(char *out, size_t size, int days, int prec) {
  time_t t = time(NULL) + (time_t)days * 86400;
  struct tm tm;

  assert_non_null(localtime_r(&t, &tm));
  strftime(out, size, prec == 1 ? "%Y" : prec == 2 ? "%Y-%m" : "%Y-%m-%d",
           &tm);
}

static void test_date_check(void **state) {
  static const struct {
    const char *s;
    int prec;
    const char *why; /* a word the reason must hold */
  } cases[] = {
      {"2019", 1, NULL},          {"2019-04", 2, NULL},
      {"2019-04-23", 3, NULL},    {"2024-02-29", 3, NULL},
      {"2000-02-29", 3, NULL},    {"1900-01-01", 3, NULL},
      {"1900-02-29", 0, "exist"}, {"2023-02-29", 0, "exist"},
      {"2019-04-31", 0, "exist"}, {"2019-13", 0, "month"},
      {"2019-00", 0, "month"},    {"2019-04-00", 0, "exist"},
      {"1899-12-31", 0, "1900"},  {"2999", 0, "future"},
      {"2999-01-01", 0, "future"}, {"19", 0, "year"},
      {"2019-4", 0, "year"},      {"2019-04-3", 0, "year"},
      {"2019/04/23", 0, "year"},  {"2019-04-23T10:00", 0, "year"},
      {" 2019", 0, "year"},       {"2019 ", 0, "year"},
      {"", 0, "year"},            {"20190423", 0, "year"},
      {"+2019", 0, "year"},       {"2019-04-23-", 0, "year"},
      /* letters: below '0' is caught above, these are above '9' */
      {"2O19", 0, "year"},        {"2019-O4", 0, "year"},
      {"2019-04-2x", 0, "year"},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *why = NULL;
    int got = cdg_date_check(cases[i].s, &why);

    if (got != cases[i].prec)
      fail_msg("\"%s\": precision %d, want %d (%s)", cases[i].s, got,
               cases[i].prec, why ? why : "");
    if (cases[i].why && !(why && strstr(why, cases[i].why)))
      fail_msg("\"%s\": reason \"%s\" lacks \"%s\"", cases[i].s,
               why ? why : "(none)", cases[i].why);
  }
}

/* Today is allowed at every precision, tomorrow is not. */
static void test_date_today(void **state) {
  char d[16];
  const char *why = NULL;
  int prec;

  (void)state;
  for (prec = 1; prec <= 3; prec++) {
    S_day(d, sizeof d, 0, prec);
    assert_int_equal(cdg_date_check(d, &why), prec);
  }
  S_day(d, sizeof d, 1, 3);
  assert_int_equal(cdg_date_check(d, &why), 0);
  assert_non_null(strstr(why, "future"));
  S_day(d, sizeof d, 400, 1);
  assert_int_equal(cdg_date_check(d, &why), 0);
}

static void test_whole_number(void **state) {
  (void)state;
  assert_true(cdg_whole_number(0));
  assert_true(cdg_whole_number(-3));
  assert_true(cdg_whole_number(2147483647.0));
  assert_true(cdg_whole_number(-2147483648.0));
  assert_false(cdg_whole_number(2147483648.0));
  assert_false(cdg_whole_number(-2147483649.0));
  assert_false(cdg_whole_number(2.5));
  assert_false(cdg_whole_number(1e300));
  assert_false(cdg_whole_number(INFINITY));
  assert_false(cdg_whole_number(-INFINITY));
  assert_false(cdg_whole_number(NAN));
}

static void test_pack_types(void **state) {
  cdg_pack *p = fixture_pack(QP_PACK(S_QN "," S_QD, QP_R_ALWAYS));
  const cdg_question *n = cdg_pack_find_question(p, "cycles");
  const cdg_question *d = cdg_pack_find_question(p, "last");
  double min, max;

  (void)state;
  assert_int_equal(cdg_question_type(n), CDG_Q_NUMBER);
  assert_int_equal(cdg_question_format(n), CDG_QF_INTEGER);
  assert_string_equal(cdg_question_type_name(n), "integer");
  assert_int_equal(cdg_question_range(n, &min, &max), 3);
  assert_true(min == 0 && max == 40);
  assert_int_equal(cdg_question_type(d), CDG_Q_TEXT);
  assert_int_equal(cdg_question_format(d), CDG_QF_DATE);
  assert_string_equal(cdg_question_type_name(d), "date");
  cdg_pack_free(p);
}

/* The pack quoted must fail to load with the message want. */
static void S_bad_pack(const char *quoted, const char *want) {
  char *json = fixture_json(quoted);
  cdg_pack *p = NULL;
  cdg_error err;
  char line[1024];

  assert_int_equal(cdg_pack_load(json, strlen(json), "t.json", &p, &err),
                   CDG_ERR_PACK);
  assert_null(p);
  cdg_error_format(&err, line, sizeof line);
  if (!strstr(line, want))
    fail_msg("got  %s\nwant ...%s...", line, want);
  free(json);
}

static void test_pack_errors(void **state) {
  (void)state;
  S_bad_pack(QP_PACK("{'id':'n','type':'integer','text':'N?','min':0.5}",
                     QP_R_ALWAYS),
             "\"min\" must be a whole number");
  S_bad_pack(QP_PACK("{'id':'n','type':'integer','text':'N?','max':1e300}",
                     QP_R_ALWAYS),
             "\"max\" must be a whole number");
  S_bad_pack(QP_PACK("{'id':'d','type':'date','text':'D?','min':1}",
                     QP_R_ALWAYS),
             "\"min\" applies only to number and integer questions");
  S_bad_pack(QP_PACK("{'id':'d','type':'date','text':'D?','options':[]}",
                     QP_R_ALWAYS),
             "a date question cannot have \"options\"");
  S_bad_pack(QP_PACK("{'id':'d','type':'datetime','text':'D?'}",
                     QP_R_ALWAYS),
             "unknown question type \"datetime\" (expected single, multi, "
             "number, integer, text or date)");
}

/* Parse answers (quoted) against pack; the first error, or "" if valid. */
static const char *S_parse(const cdg_pack *p, const char *quoted,
                           char *line, size_t size) {
  char *json = fixture_json(quoted);
  cdg_answers *a = NULL;
  cdg_error err;

  line[0] = '\0';
  if (cdg_answers_parse(p, json, strlen(json), "a.json", &a, &err) !=
      CDG_OK)
    cdg_error_format(&err, line, size);
  cdg_answers_free(a);
  free(json);
  return line;
}

static void test_answers(void **state) {
  cdg_pack *p = fixture_pack(QP_PACK(S_QN "," S_QD, QP_R_ALWAYS));
  cdg_answers *a = NULL;
  cdg_error err;
  char line[1024], json[96], today[16];

  (void)state;
  assert_string_equal(S_parse(p, "{'cycles':12,'last':'2021-06'}", line,
                              sizeof line),
                      "");
  assert_string_equal(S_parse(p, "{'cycles':12.0}", line, sizeof line), "");
  assert_non_null(strstr(S_parse(p, "{'cycles':2.5}", line, sizeof line),
                         "2.5 is not a whole number"));
  assert_non_null(strstr(S_parse(p, "{'cycles':41}", line, sizeof line),
                         "above the maximum 40"));
  assert_non_null(strstr(S_parse(p, "{'cycles':'12'}", line, sizeof line),
                         "a number"));
  assert_non_null(strstr(S_parse(p, "{'last':2021}", line, sizeof line),
                         "text"));
  assert_non_null(
      strstr(S_parse(p, "{'last':'2021-02-30'}", line, sizeof line),
             "\"2021-02-30\" is not a date it can take: that day does not "
             "exist in that month"));
  assert_non_null(strstr(S_parse(p, "{'last':'2999'}", line, sizeof line),
                         "in the future"));
  /* A long bad value is cut in the message. */
  memset(json, 0, sizeof json);
  snprintf(json, sizeof json, "{'last':'%070d'}", 7);
  assert_true(strlen(S_parse(p, json, line, sizeof line)) < 300);

  assert_int_equal(cdg_answers_new(p, &a), CDG_OK);
  assert_int_equal(cdg_answers_set_number(a, "cycles", 3.25, &err),
                   CDG_ERR_ANSWER);
  assert_int_equal(cdg_answers_set_number(a, "cycles", 3, &err), CDG_OK);
  assert_int_equal(cdg_answers_set_text(a, "last", "2019-4", &err),
                   CDG_ERR_ANSWER);
  S_day(today, sizeof today, 0, 3);
  assert_int_equal(cdg_answers_set_text(a, "last", today, &err), CDG_OK);
  assert_string_equal(cdg_answers_text(a, "last"), today);
  cdg_answers_free(a);
  cdg_pack_free(p);
}

/* "reads_versions": the versions whose sessions the pack reads. */
static void test_reads_versions(void **state) {
  cdg_pack *p = fixture_pack(
      "{" QP_HEAD ",'reads_versions':['0.9.0','0.9.1'],'questions':[" QP_Q_A
      "],'rules':[" QP_R_ALWAYS "]}");

  (void)state;
  assert_true(cdg_pack_reads_version(p, "1.0.0"));
  assert_true(cdg_pack_reads_version(p, "0.9.1"));
  assert_false(cdg_pack_reads_version(p, "0.9"));
  assert_false(cdg_pack_reads_version(p, "2.0.0"));
  cdg_pack_free(p);
  p = fixture_pack(QP_PACK(QP_Q_A, QP_R_ALWAYS));
  assert_true(cdg_pack_reads_version(p, "1.0.0"));
  assert_false(cdg_pack_reads_version(p, "0.9.0"));
  cdg_pack_free(p);
  S_bad_pack("{" QP_HEAD ",'reads_versions':['1.0.0'],'questions':[" QP_Q_A
             "],'rules':[" QP_R_ALWAYS "]}",
             "\"reads_versions\" lists the pack's own version \"1.0.0\" "
             "(at /reads_versions/0)");
  S_bad_pack("{" QP_HEAD ",'reads_versions':'0.9.0','questions':[" QP_Q_A
             "],'rules':[" QP_R_ALWAYS "]}",
             "\"reads_versions\" must be an array of strings");
  S_bad_pack("{" QP_HEAD ",'reads_versions':[''],'questions':[" QP_Q_A
             "],'rules':[" QP_R_ALWAYS "]}",
             "\"reads_versions\" must list non-empty strings");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_date_check),  cmocka_unit_test(test_date_today),
      cmocka_unit_test(test_whole_number), cmocka_unit_test(test_pack_types),
      cmocka_unit_test(test_pack_errors), cmocka_unit_test(test_answers),
      cmocka_unit_test(test_reads_versions),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
