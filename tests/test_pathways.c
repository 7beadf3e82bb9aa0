/*
** test_pathways.c: every valid complete answer path of the built-in
** cervical-dystonia pack, enumerated here (not by the linter), with the
** passages each path must and must not cite.
**
** A path is one answer to each enabled question:
**   posture            7 non-empty subsets of the 3 directions, or
**                      not_sure alone (exclusive)                  8
**   age_group          child, adult                                2
**   duration           4 codes                                     4
**   treatments_tried   none alone: no outcome question             1
**                      k of the 4 treatments, each with one of 6
**                      outcomes: C(4,1)*6 + C(4,2)*6^2 + C(4,3)*6^3
**                      + C(4,4)*6^4 = 24 + 216 + 864 + 1296     2400
**                      (1 + 2400 = 2401 = 7^4: each treatment is
**                      either not tried or tried with 6 outcomes)
** Total: 8 * 2 * 4 * 2401 = 64 * 2401 = 153664 paths.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "cdg_rules.h"
#include "fixture.h"

#define EXPECTED_PATHS 153664ULL

/* One walker check every WALK_STRIDE paths (a prime, so the sample
** moves through every digit of the enumeration). */
#define WALK_STRIDE 211

static const char *const DIRECTIONS[3] = {"retrocollis", "anterocollis",
                                          "torticollis"};
static const char *const AGES[2] = {"child", "adult"};
static const char *const DURATIONS[4] = {"under_1_year", "1_to_5_years",
                                         "over_5_years", "not_sure"};
static const char *const TREATMENTS[4] = {"physiotherapy", "spasm_drugs",
                                          "botulinum_toxin", "brain_surgery"};
static const char *const OUTCOME_QS[4] = {
    "outcome_physiotherapy", "outcome_spasm_drugs", "outcome_botulinum_toxin",
    "outcome_brain_surgery"};
static const char *const OUTCOMES[6] = {"helped",     "partly_helped",
                                        "not_helped", "stopped_side_effects",
                                        "ongoing",    "not_sure"};
enum { NOT_HELPED = 2, STOPPED_SIDE_EFFECTS = 3 };

typedef struct path {
  unsigned posture;    /* bit set of DIRECTIONS; 0 means not_sure alone */
  unsigned age;        /* index in AGES */
  unsigned duration;   /* index in DURATIONS */
  unsigned treated;    /* bit set of TREATMENTS; 0 means none */
  unsigned outcome[4]; /* index in OUTCOMES, for treated ones only */
} path;

typedef builtin_fixture fixture;

/* The path as an answers object, written from the struct alone, to name
** the input in failure messages. */
static void S_describe(const path *p, char *buf, size_t size) {
  size_t n = 0;
  unsigned i;
  int first = 1;

#define PUT(...)                                                               \
  n += (size_t)snprintf(buf + n, n < size ? size - n : 0, __VA_ARGS__)
  PUT("{\"posture\":[");
  if (p->posture == 0)
    PUT("\"not_sure\"");
  for (i = 0; i < 3; i++)
    if (p->posture & (1u << i)) {
      PUT("%s\"%s\"", first ? "" : ",", DIRECTIONS[i]);
      first = 0;
    }
  PUT("],\"age_group\":\"%s\",\"duration\":\"%s\",\"treatments_tried\":[",
      AGES[p->age], DURATIONS[p->duration]);
  if (p->treated == 0)
    PUT("\"none\"");
  first = 1;
  for (i = 0; i < 4; i++)
    if (p->treated & (1u << i)) {
      PUT("%s\"%s\"", first ? "" : ",", TREATMENTS[i]);
      first = 0;
    }
  PUT("]");
  for (i = 0; i < 4; i++)
    if (p->treated & (1u << i))
      PUT(",\"%s\":\"%s\"", OUTCOME_QS[i], OUTCOMES[p->outcome[i]]);
  PUT("}");
#undef PUT
}

static void S_fail(const path *p, const char *fmt, ...) {
  char desc[512], what[256];
  va_list ap;

  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  S_describe(p, desc, sizeof desc);
  fail_msg("path %s: %s", desc, what);
}

/* The codes path p gives question qid; 0 if p leaves it unanswered. */
static size_t S_codes(const path *p, const char *qid, const char *codes[4]) {
  size_t n = 0;
  unsigned i;

  if (strcmp(qid, "posture") == 0) {
    if (p->posture == 0)
      codes[n++] = "not_sure";
    for (i = 0; i < 3; i++)
      if (p->posture & (1u << i))
        codes[n++] = DIRECTIONS[i];
  } else if (strcmp(qid, "age_group") == 0) {
    codes[n++] = AGES[p->age];
  } else if (strcmp(qid, "duration") == 0) {
    codes[n++] = DURATIONS[p->duration];
  } else if (strcmp(qid, "treatments_tried") == 0) {
    if (p->treated == 0)
      codes[n++] = "none";
    for (i = 0; i < 4; i++)
      if (p->treated & (1u << i))
        codes[n++] = TREATMENTS[i];
  } else {
    for (i = 0; i < 4; i++)
      if (strcmp(qid, OUTCOME_QS[i]) == 0 && (p->treated & (1u << i)))
        codes[n++] = OUTCOMES[p->outcome[i]];
  }
  return n;
}

/* Make a hold exactly the answers of p. */
static void S_fill(const cdg_pack *pack, const path *p, cdg_answers *a) {
  size_t q, n;
  const char *codes[4];
  cdg_error err;

  for (q = 0; q < cdg_pack_question_count(pack); q++) {
    const char *qid = cdg_question_id(cdg_pack_question(pack, q));
    n = S_codes(p, qid, codes);
    if (n == 0) {
      cdg_answers_remove(a, qid);
      continue;
    }
    if (cdg_answers_set_codes(a, qid, codes, n, &err) != CDG_OK)
      S_fail(p, "setting %s: %s", qid, err.message);
  }
}

static int S_any_outcome(const path *p, unsigned outcome) {
  unsigned i;

  for (i = 0; i < 4; i++)
    if ((p->treated & (1u << i)) && p->outcome[i] == outcome)
      return 1;
  return 0;
}

/*
** Whether path p must cite passage id, from the pack's rules as DESIGN.md
** states them. Every passage not named here must never be cited.
*/
static int S_expected(const path *p, const char *id) {
  int child = strcmp(AGES[p->age], "child") == 0;
  int side_effects = S_any_outcome(p, STOPPED_SIDE_EFFECTS);
  int not_helped = S_any_outcome(p, NOT_HELPED) || side_effects;

  /* Always: what it is (and its cause), standard treatment, and the
  ** responsibility notice. Posture and duration are required, so their
  ** passages are on every complete path. */
  if (strcmp(id, "cd-what-it-is") == 0 || strcmp(id, "cd-cause") == 0 ||
      strcmp(id, "standard-treatment") == 0 ||
      strcmp(id, "your-responsibility") == 0 ||
      strcmp(id, "cd-muscle-groups") == 0 || strcmp(id, "cd-postures") == 0 ||
      strcmp(id, "cd-may-persist") == 0 || strcmp(id, "cd-recovery") == 0)
    return 1;
  if (strcmp(id, "cd-onset") == 0 || strcmp(id, "cd-children") == 0)
    return child;
  /* Denervation only when some tried treatment did not help or was
  ** stopped because of side effects; never when nothing was tried. */
  if (strcmp(id, "spd-alternative") == 0 || strcmp(id, "spd-what-it-is") == 0 ||
      strcmp(id, "spd-anaesthetic") == 0 || strcmp(id, "spd-varies") == 0)
    return not_helped;
  if (strcmp(id, "adverse-events-yellow-card") == 0)
    return side_effects;
  return 0;
}

static void S_check_outcome(const fixture *f, const path *p,
                            const cdg_outcome *o) {
  size_t i, n = cdg_outcome_count(o);
  long prev = -1;

  if (n == 0)
    S_fail(p, "cites no passage");
  for (i = 0; i < cdg_passages_count(f->ps); i++) {
    const char *id = cdg_passage_id(f->ps, i);
    int cited = cdg_outcome_cites(o, id), want = S_expected(p, id);
    if (cited != want)
      S_fail(p, "passage %s %s", id,
             want ? "not cited but must be" : "cited but must not be");
  }
  /* Source order, each with at least one citing rule. */
  for (i = 0; i < n; i++) {
    long at = cdg_passages_find(f->ps, cdg_outcome_passage(o, i));
    if (at <= prev)
      S_fail(p, "passage %s out of source order", cdg_outcome_passage(o, i));
    if (cdg_outcome_cited_by_count(o, i) == 0)
      S_fail(p, "passage %s has no citing rule", cdg_outcome_passage(o, i));
    prev = at;
  }
}

/* Walk the path with the walker: it must ask exactly the questions the
** path answers, in pack order, and end complete with the same answers. */
static void S_check_walk(const fixture *f, const path *p,
                         const cdg_answers *want) {
  cdg_walker *w = NULL;
  const cdg_question *q;
  const char *codes[4];
  size_t asked = 0, expected = 4, n, last = 0;
  char *got_json, *want_json;
  cdg_error err;
  unsigned i;

  for (i = 0; i < 4; i++)
    expected += (p->treated >> i) & 1u;
  assert_int_equal(cdg_walker_new(f->pack, &w), CDG_OK);
  while ((q = cdg_walker_next(w)) != NULL) {
    if (asked > 0 && cdg_question_index(q) <= last)
      S_fail(p, "walker asked %s out of pack order", cdg_question_id(q));
    last = cdg_question_index(q);
    n = S_codes(p, cdg_question_id(q), codes);
    if (n == 0)
      S_fail(p, "walker asked %s, which is disabled on this path",
             cdg_question_id(q));
    if (cdg_walker_answer_codes(w, cdg_question_id(q), codes, n, &err) !=
        CDG_OK)
      S_fail(p, "walker rejected %s: %s", cdg_question_id(q), err.message);
    if (++asked > expected)
      S_fail(p, "walker asked more than %zu questions", expected);
  }
  if (asked != expected)
    S_fail(p, "walker asked %zu questions, path answers %zu", asked, expected);
  if (!cdg_walker_complete(w))
    S_fail(p, "walker not complete after the last question");
  got_json = cdg_answers_to_json(cdg_walker_answers(w));
  want_json = cdg_answers_to_json(want);
  assert_non_null(got_json);
  assert_non_null(want_json);
  if (strcmp(got_json, want_json) != 0)
    S_fail(p, "walker answers %s differ from %s", got_json, want_json);
  cdg_free(got_json);
  cdg_free(want_json);
  cdg_walker_free(w);
}

static double S_seconds(void) {
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_every_path(void **state) {
  const fixture *f = *state;
  cdg_answers *a = NULL;
  cdg_outcome *o = NULL;
  cdg_error err;
  unsigned long long paths = 0, walked = 0;
  unsigned combos, c, i, k;
  double t0 = S_seconds();
  path p;

  assert_int_equal(cdg_answers_new(f->pack, &a), CDG_OK);
  for (p.posture = 0; p.posture < 8; p.posture++)
    for (p.age = 0; p.age < 2; p.age++)
      for (p.duration = 0; p.duration < 4; p.duration++)
        for (p.treated = 0; p.treated < 16; p.treated++) {
          combos = 1;
          for (i = 0; i < 4; i++)
            if (p.treated & (1u << i))
              combos *= 6;
          for (c = 0; c < combos; c++) {
            /* c as base-6 digits, one per tried treatment. */
            for (i = 0, k = c; i < 4; i++) {
              p.outcome[i] = 0;
              if (p.treated & (1u << i)) {
                p.outcome[i] = k % 6;
                k /= 6;
              }
            }
            S_fill(f->pack, &p, a);
            if (cdg_outcome_eval(f->pack, a, f->ps, &o, &err) != CDG_OK)
              S_fail(&p, "outcome failed: %s", err.message);
            S_check_outcome(f, &p, o);
            cdg_outcome_free(o);
            o = NULL;
            if (paths % WALK_STRIDE == 0) {
              S_check_walk(f, &p, a);
              walked++;
            }
            paths++;
          }
        }
  cdg_answers_free(a);
  print_message("%llu paths (%llu also walked) in %.2f s\n", paths, walked,
                S_seconds() - t0);
  assert_int_equal(paths, EXPECTED_PATHS);
}

/*
** The linter's own exhaustive check finds the pack clean and covers the
** same number of complete paths (it enumerates independent groups of
** questions separately and multiplies their counts); the symbolic
** checker finds it clean too.
*/
static void test_lint_agrees(void **state) {
  const fixture *f = *state;
  cdg_lint *l = NULL;
  char line[1024];
  size_t i;

  assert_int_equal(cdg_lint_run(f->pack, f->ps, &l), CDG_OK);
  assert_int_equal(cdg_lint_count(l), 0);
  assert_int_equal(cdg_lint_enumerated(l), 0);
  cdg_lint_free(l);
  assert_int_equal(cdg_lint_enumerate(f->pack, f->ps, &l), CDG_OK);
  for (i = 0; i < cdg_lint_count(l); i++) {
    cdg_error_format(cdg_lint_error(l, i), line, sizeof line);
    print_error("lint: %s\n", line);
  }
  assert_int_equal(cdg_lint_count(l), 0);
  assert_int_equal(cdg_lint_paths(l), EXPECTED_PATHS);
  cdg_lint_free(l);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_path),
      cmocka_unit_test(test_lint_agrees),
  };
  return cmocka_run_group_tests(tests, pack1_setup, builtin_teardown);
}
