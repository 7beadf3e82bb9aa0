/*
** qformat.c: what an integer or a date answer must look like. Kept apart
** from answers.c because the questionnaire, the FHIR reader and the tests
** ask the same question of a value before it is an answer.
*/
#include <math.h>
#include <time.h>

#include "cdg_limits.h"
#include "cdg_rules.h"

#define S_STR(x) #x
#define S_XSTR(x) S_STR(x)

int cdg_whole_number(double x) {
  return isfinite(x) && x >= -2147483648.0 && x <= 2147483647.0 &&
         x == floor(x);
}

/* n digits at s as a number, or -1. */
static int S_digits(const char *s, int n) {
  int v = 0, i;

  for (i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

static int S_days_in(int year, int month) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

  return month == 2 && leap ? 29 : days[month - 1];
}

int cdg_date_check(const char *s, const char **why) {
  static const char *const form =
      "a date is a year (2019), a year and month (2019-04) or a full date "
      "(2019-04-23)";
  int y, m = 1, d = 1, prec = 1;
  long given, now;
  time_t t = time(NULL);
  struct tm tm;

  if ((y = S_digits(s, 4)) < 0)
    return *why = form, 0;
  if (s[4] == '-') {
    if ((m = S_digits(s + 5, 2)) < 0)
      return *why = form, 0;
    prec = 2;
    if (s[7] == '-') {
      if ((d = S_digits(s + 8, 2)) < 0)
        return *why = form, 0;
      prec = 3;
    }
  }
  if (s[prec == 1 ? 4 : prec == 2 ? 7 : 10] != '\0')
    return *why = form, 0;
  if (m < 1 || m > 12)
    return *why = "the month must be from 01 to 12", 0;
  if (d < 1 || d > S_days_in(y, m))
    return *why = "that day does not exist in that month", 0;
  if (y < CDG_MIN_DATE_YEAR)
    return *why = "the year is before " S_XSTR(CDG_MIN_DATE_YEAR), 0;
  /* The earliest day the date can mean, against today's local date. */
  if (!localtime_r(&t, &tm))
    return *why = "today's date is not known", 0;
  given = (long)y * 10000 + m * 100 + d;
  now = (long)(tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
  if (given > now)
    return *why = "the date is in the future", 0;
  return prec;
}
