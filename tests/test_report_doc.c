/*
** test_report_doc.c: the report document (cdg_report.h) and the pack's
** "report" member it reads: answers and labels, completeness with the
** missing questions named, the recap, the rules that fired with the
** answers they read, report order with the closing section last, the
** review topic, provenance and history, errors and allocation failures.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdg_limits.h"
#include "cdg_report.h"
#include "failalloc.h"
#include "fixture.h"

#define SHA "25a7936f8257a0ff7bbdcd9daa319262c0ea914c94d5bbe64bf2968c2801b20d"

/* Physiotherapy not helped, drugs not sure, toxin ongoing, brain surgery
** helped: two outcomes that record nothing. */
static const char S_mixed[] =
    "{\"posture\": [\"torticollis\", \"retrocollis\"],"
    " \"age_group\": \"child\", \"duration\": \"over_5_years\","
    " \"treatments_tried\": [\"physiotherapy\", \"spasm_drugs\","
    " \"botulinum_toxin\", \"brain_surgery\"],"
    " \"outcome_physiotherapy\": \"not_helped\","
    " \"outcome_spasm_drugs\": \"not_sure\","
    " \"outcome_botulinum_toxin\": \"ongoing\","
    " \"outcome_brain_surgery\": \"helped\"}";

static cdg_answers *S_parse(const cdg_pack *pack, const char *json) {
  cdg_answers *a = NULL;
  cdg_error err;

  if (cdg_answers_parse(pack, json, strlen(json), "a.json", &a, &err))
    fail_msg("answers %s: %s", json, err.message);
  return a;
}

static cdg_report *S_build(const builtin_fixture *f, const cdg_answers *a,
                           const cdg_report_facts *facts) {
  cdg_report *d = NULL;
  cdg_error err;

  if (cdg_report_build(f->pack, f->ps, a, facts, &d, &err) != CDG_OK)
    fail_msg("build: %s", err.message);
  return d;
}

/* The index of the fired rule with this id, or -1. */
static long S_rule(const cdg_report *d, const char *id) {
  size_t i;

  for (i = 0; i < cdg_report_rule_count(d); i++)
    if (strcmp(cdg_report_rule_id(d, i), id) == 0)
      return (long)i;
  return -1;
}

static void test_answers_and_labels(void **state) {
  const builtin_fixture *f = *state;
  cdg_answers *a = S_parse(f->pack, S_mixed);
  cdg_report *d = S_build(f, a, NULL);

  assert_int_equal(cdg_report_answer_count(d), 8);
  assert_string_equal(cdg_report_answer_id(d, 0), "posture");
  assert_string_equal(cdg_report_answer_question(d, 0),
                      cdg_question_text(cdg_pack_question(f->pack, 0)));
  assert_int_equal(cdg_report_answer_type(d, 0), CDG_Q_MULTI);
  /* Option order, not the order in the file. */
  assert_int_equal(cdg_report_answer_code_count(d, 0), 2);
  assert_string_equal(cdg_report_answer_code(d, 0, 0), "retrocollis");
  assert_string_equal(cdg_report_answer_code(d, 0, 1), "torticollis");
  assert_string_equal(
      cdg_report_answer_label(d, 0, 1),
      cdg_question_option_label(cdg_pack_question(f->pack, 0), 2));
  assert_null(cdg_report_answer_code(d, 0, 2));
  assert_null(cdg_report_answer_id(d, 8));
  assert_true(cdg_report_complete(d));
  assert_int_equal(cdg_report_missing_count(d), 0);
  assert_string_equal(cdg_report_recorded(d), "");
  assert_int_equal(cdg_report_event_count(d), 0);
  cdg_report_free(d);
  /* The document copies what it needs: the answers may go first. */
  d = S_build(f, a, NULL);
  cdg_answers_free(a);
  assert_string_equal(cdg_report_answer_code(d, 1, 0), "child");
  cdg_report_free(d);
}

static void test_missing_named(void **state) {
  const builtin_fixture *f = *state;
  cdg_answers *a =
      S_parse(f->pack, "{\"posture\": [\"torticollis\"],"
                       " \"treatments_tried\": [\"botulinum_toxin\"]}");
  cdg_report *d = S_build(f, a, NULL);

  assert_false(cdg_report_complete(d));
  assert_int_equal(cdg_report_missing_count(d), 3);
  assert_string_equal(cdg_report_missing_id(d, 0), "age_group");
  assert_string_equal(cdg_report_missing_id(d, 1), "duration");
  /* Enabled by the answer: the other outcomes are not missing. */
  assert_string_equal(cdg_report_missing_id(d, 2), "outcome_botulinum_toxin");
  assert_string_equal(cdg_report_missing_text(d, 2),
                      cdg_question_text(cdg_pack_find_question(
                          f->pack, "outcome_botulinum_toxin")));
  assert_null(cdg_report_missing_id(d, 3));
  cdg_report_free(d);
  cdg_answers_free(a);
}

static void test_recap(void **state) {
  static const char *const codes[] = {"physiotherapy", "spasm_drugs",
                                      "botulinum_toxin", "brain_surgery"};
  static const int recorded[] = {1, 0, 0, 1};
  const builtin_fixture *f = *state;
  cdg_answers *a = S_parse(f->pack, S_mixed);
  cdg_report *d = S_build(f, a, NULL);
  size_t k;

  assert_int_equal(cdg_report_treatment_count(d), 4);
  for (k = 0; k < 4; k++) {
    assert_string_equal(cdg_report_treatment_code(d, k), codes[k]);
    assert_int_equal(cdg_report_treatment_tried(d, k), 1);
    assert_int_equal(cdg_report_treatment_recorded(d, k), recorded[k]);
  }
  assert_string_equal(cdg_report_treatment_outcome(d, 1), "not_sure");
  assert_non_null(cdg_report_treatment_outcome_label(d, 1));
  assert_int_equal(cdg_report_treatment_tried(d, 4), -1);
  cdg_report_free(d);
  cdg_answers_free(a);

  /* The list unanswered: not recorded whether tried. */
  a = S_parse(f->pack, "{}");
  d = S_build(f, a, NULL);
  assert_int_equal(cdg_report_treatment_tried(d, 0), -1);
  assert_null(cdg_report_treatment_outcome(d, 0));
  assert_false(cdg_report_complete(d));
  cdg_report_free(d);
  cdg_answers_free(a);

  /* "none": every treatment not tried. */
  a = S_parse(f->pack, "{\"treatments_tried\": [\"none\"]}");
  d = S_build(f, a, NULL);
  for (k = 0; k < 4; k++)
    assert_int_equal(cdg_report_treatment_tried(d, k), 0);
  cdg_report_free(d);
  cdg_answers_free(a);
}

/* What made each rule fire: the answers its condition reads. */
static void test_rule_answers(void **state) {
  const builtin_fixture *f = *state;
  cdg_answers *a = S_parse(f->pack, S_mixed);
  cdg_report *d = S_build(f, a, NULL);
  long r;

  r = S_rule(d, "child");
  assert_true(r >= 0);
  assert_int_equal(cdg_report_rule_answer_count(d, (size_t)r), 1);
  assert_string_equal(
      cdg_report_answer_id(d, cdg_report_rule_answer(d, (size_t)r, 0)),
      "age_group");
  /* It reads four outcomes; only the one that did not help made it fire
  ** ("not sure", "ongoing" and "helped" explain nothing). */
  r = S_rule(d, "treatment-not-helped-or-stopped");
  assert_true(r >= 0);
  assert_int_equal(cdg_report_rule_answer_count(d, (size_t)r), 1);
  assert_string_equal(
      cdg_report_answer_id(d, cdg_report_rule_answer(d, (size_t)r, 0)),
      "outcome_physiotherapy");
  r = S_rule(d, "about-cervical-dystonia");
  assert_true(r >= 0);
  assert_int_equal(cdg_report_rule_answer_count(d, (size_t)r), 0);
  assert_string_equal(cdg_report_rule_because(d, (size_t)r),
                      cdg_rule_because(f->pack, 0));
  /* Nothing stopped for side effects: the rule did not fire. */
  assert_int_equal(S_rule(d, "stopped-side-effects"), -1);
  cdg_report_free(d);
  cdg_answers_free(a);
}

/*
** A rule of "or" over n questions q0..q<n-1>, q0 answered y and the
** others n: only q0 made it fire. Up to CDG_MAX_EXPLAIN read answers the
** report works that out; a rule reading more lists every answer it reads
** (cdg_limits.h).
*/
static size_t S_explained(const builtin_fixture *f, size_t n) {
  char pk[8192], ans[1024];
  size_t k, pn = 0, an = 0, count;
  cdg_pack *p = NULL;
  cdg_answers *a;
  cdg_report *d = NULL;
  cdg_error err;

  pn += (size_t)snprintf(pk, sizeof pk,
                         "{\"id\":\"t\",\"version\":\"1.0.0\",\"title\":\"T\","
                         "\"source\":{\"title\":\"S\",\"publisher\":\"NICE\","
                         "\"sha256\":\"" SHA "\"},\"questions\":[");
  an += (size_t)snprintf(ans, sizeof ans, "{");
  for (k = 0; k < n; k++) {
    pn += (size_t)snprintf(pk + pn, sizeof pk - pn,
                           "%s{\"id\":\"q%zu\",\"type\":\"single\",\"text\":"
                           "\"Q?\",\"options\":[{\"code\":\"y\",\"label\":\"Y"
                           "\"},{\"code\":\"n\",\"label\":\"N\"}]}",
                           k ? "," : "", k);
    an += (size_t)snprintf(ans + an, sizeof ans - an, "%s\"q%zu\":\"%s\"",
                           k ? "," : "", k, k ? "n" : "y");
  }
  pn += (size_t)snprintf(pk + pn, sizeof pk - pn,
                         "],\"rules\":[{\"id\":\"any\",\"when\":{\"or\":[");
  for (k = 0; k < n; k++)
    pn += (size_t)snprintf(pk + pn, sizeof pk - pn,
                           "%s{\"==\":[{\"var\":\"q%zu\"},\"y\"]}",
                           k ? "," : "", k);
  pn += (size_t)snprintf(pk + pn, sizeof pk - pn,
                         "]},\"cite\":[\"cd-what-it-is\"],\"because\":\"b\"}"
                         "]}");
  snprintf(ans + an, sizeof ans - an, "}");
  assert_true(pn < sizeof pk);
  if (cdg_pack_load(pk, pn, "t.json", &p, &err) != CDG_OK)
    fail_msg("pack: %s", err.message);
  a = S_parse(p, ans);
  assert_int_equal(cdg_report_build(p, f->ps, a, NULL, &d, &err), CDG_OK);
  assert_int_equal(cdg_report_rule_count(d), 1);
  count = cdg_report_rule_answer_count(d, 0);
  assert_string_equal(cdg_report_answer_id(d, cdg_report_rule_answer(d, 0, 0)),
                      "q0");
  cdg_report_free(d);
  cdg_answers_free(a);
  cdg_pack_free(p);
  return count;
}

static void test_rule_answers_limit(void **state) {
  const builtin_fixture *f = *state;

  assert_int_equal(S_explained(f, 1), 1);
  assert_int_equal(S_explained(f, CDG_MAX_EXPLAIN), 1);
  assert_int_equal(S_explained(f, CDG_MAX_EXPLAIN + 1), CDG_MAX_EXPLAIN + 1);
}

/* Source order with the closing section last; source_order undoes it. */
static void test_report_order(void **state) {
  const builtin_fixture *f = *state;
  cdg_answers *a = S_parse(
      f->pack, "{\"posture\": [\"torticollis\"], \"age_group\": \"adult\","
               " \"duration\": \"over_5_years\","
               " \"treatments_tried\": [\"botulinum_toxin\"],"
               " \"outcome_botulinum_toxin\": \"stopped_side_effects\"}");
  cdg_report *d = S_build(f, a, NULL);
  size_t n = cdg_report_passage_count(d), i, k, last = 0;
  long prev = -1;

  assert_true(n > 3);
  assert_string_equal(cdg_report_passage_id(d, n - 1), "your-responsibility");
  assert_true(cdg_report_passage_closing(d, n - 1));
  assert_string_equal(cdg_report_passage_section(d, n - 1),
                      "Your responsibility");
  /* The yellow card passage comes after it in the source, before it here. */
  assert_string_equal(cdg_report_passage_id(d, n - 2),
                      "adverse-events-yellow-card");
  for (i = 0; i + 1 < n; i++)
    assert_false(cdg_report_passage_closing(d, i));
  for (i = 0; i < n; i++) {
    long p;

    k = cdg_report_source_order(d, i);
    assert_true(k < n);
    p = cdg_passages_find(f->ps, cdg_report_passage_id(d, k));
    assert_true(p > prev);
    prev = p;
    if (strcmp(cdg_report_passage_id(d, k), "your-responsibility") == 0)
      last = i;
  }
  assert_int_equal(last, n - 2);
  /* Each passage's rules, with the texts they cited. */
  for (i = 0; i < n; i++) {
    long p = cdg_passages_find(f->ps, cdg_report_passage_id(d, i));

    assert_string_equal(cdg_report_passage_text(d, i),
                        cdg_passage_text(f->ps, (size_t)p));
    assert_true(cdg_report_passage_rule_count(d, i) >= 1);
  }
  assert_null(cdg_report_passage_id(d, n));
  cdg_report_free(d);
  cdg_answers_free(a);
}

static void test_review_topic(void **state) {
  const builtin_fixture *f = *state;
  cdg_answers *a = S_parse(f->pack, S_mixed);
  cdg_report *d = S_build(f, a, NULL);
  size_t i, t, n = cdg_report_passage_count(d), reviewed = 0;

  assert_string_equal(cdg_report_review_topic(d), "denervation");
  for (i = 0; i < n; i++) {
    long p = cdg_passages_find(f->ps, cdg_report_passage_id(d, i));
    int has = 0;

    for (t = 0; t < cdg_passage_topic_count(f->ps, (size_t)p); t++)
      has |= strcmp(cdg_passage_topic(f->ps, (size_t)p, t), "denervation") == 0;
    assert_int_equal(cdg_report_passage_reviewed(d, i), has);
    reviewed += (size_t)has;
  }
  assert_true(reviewed >= 2);
  cdg_report_free(d);
  cdg_answers_free(a);
}

static void test_provenance_and_history(void **state) {
  const builtin_fixture *f = *state;
  char when[] = "2026-11-25T10:30:00Z", value[] = "[\"torticollis\"]";
  cdg_report_event ev[2] = {
      {"2026-11-25T10:29:00Z", "answer", "posture", value},
      {NULL, "back", NULL, NULL}};
  cdg_report_facts facts = {when, ev, 2};
  cdg_answers *a = S_parse(f->pack, "{\"posture\": [\"torticollis\"]}");
  cdg_report *d = S_build(f, a, &facts);

  /* Copies: the caller's strings may change afterwards. */
  when[0] = 'X';
  value[0] = 'X';
  assert_string_equal(cdg_report_recorded(d), "2026-11-25T10:30:00Z");
  assert_string_equal(cdg_report_tool_version(d), cdg_version());
  assert_string_equal(cdg_report_pack_id(d), "cervical-dystonia");
  assert_string_equal(cdg_report_pack_version(d), cdg_pack_version(f->pack));
  assert_string_equal(cdg_report_pack_title(d), cdg_pack_title(f->pack));
  assert_string_equal(cdg_report_source_sha256(d), SHA);
  assert_string_equal(cdg_report_pack_source_sha256(d), SHA);
  assert_string_equal(cdg_report_source_title(d),
                      cdg_passages_source_title(f->ps));
  assert_string_equal(cdg_report_pack_source_title(d),
                      cdg_pack_source_title(f->pack));
  assert_string_equal(cdg_report_source_publisher(d), "NICE");
  assert_int_equal(cdg_report_event_count(d), 2);
  assert_string_equal(cdg_report_event_at(d, 0)->value, "[\"torticollis\"]");
  assert_string_equal(cdg_report_event_at(d, 0)->question, "posture");
  assert_string_equal(cdg_report_event_at(d, 1)->action, "back");
  assert_null(cdg_report_event_at(d, 1)->at);
  assert_null(cdg_report_event_at(d, 2));
  cdg_report_free(d);
  cdg_answers_free(a);
  cdg_report_free(NULL);
}

/* Indexes out of range give NULL, 0 or -1, never a read past the end. */
static void test_out_of_range(void **state) {
  const builtin_fixture *f = *state;
  cdg_answers *a = S_parse(f->pack, "{\"treatments_tried\": [\"none\"]}");
  cdg_report *d = S_build(f, a, NULL);
  size_t na = cdg_report_answer_count(d), nr = cdg_report_rule_count(d);
  size_t np = cdg_report_passage_count(d);

  assert_int_equal(na, 1);
  assert_null(cdg_report_answer_question(d, na));
  assert_int_equal(cdg_report_answer_type(d, na), CDG_Q_TEXT);
  assert_int_equal(cdg_report_answer_code_count(d, na), 0);
  assert_null(cdg_report_answer_code(d, na, 0));
  assert_null(cdg_report_answer_label(d, na, 0));
  assert_null(cdg_report_answer_label(d, 0, 1));
  assert_true(cdg_report_answer_number(d, na) == 0);
  assert_null(cdg_report_answer_text(d, na));
  assert_null(cdg_report_answer_text(d, 0)); /* not a text answer */
  assert_null(cdg_report_missing_id(d, 99));
  assert_null(cdg_report_missing_text(d, 99));
  assert_null(cdg_report_treatment_code(d, 4));
  assert_null(cdg_report_treatment_label(d, 4));
  assert_null(cdg_report_treatment_outcome(d, 4));
  assert_null(cdg_report_treatment_outcome_label(d, 4));
  assert_null(cdg_report_treatment_outcome_label(d, 0)); /* not tried */
  assert_int_equal(cdg_report_treatment_recorded(d, 4), 0);
  assert_null(cdg_report_rule_id(d, nr));
  assert_null(cdg_report_rule_because(d, nr));
  assert_int_equal(cdg_report_rule_answer_count(d, nr), 0);
  assert_int_equal(cdg_report_rule_answer(d, nr, 0), 0);
  assert_int_equal(cdg_report_rule_answer(d, 0, 9), 0);
  assert_null(cdg_report_passage_section(d, np));
  assert_null(cdg_report_passage_text(d, np));
  assert_int_equal(cdg_report_passage_rule_count(d, np), 0);
  assert_int_equal(cdg_report_passage_rule(d, np, 0), 0);
  assert_int_equal(cdg_report_passage_rule(d, 0, 9), 0);
  assert_int_equal(cdg_report_passage_closing(d, np), 0);
  assert_int_equal(cdg_report_passage_reviewed(d, np), 0);
  assert_int_equal(cdg_report_source_order(d, np), 0);
  assert_int_equal(cdg_report_answer_placed(d, na), 0);
  cdg_report_free(d);
  cdg_answers_free(a);
}

static void test_other_pack_refused(void **state) {
  const builtin_fixture *f = *state;
  cdg_pack *other = NULL;
  cdg_answers *a;
  cdg_report *d = NULL;
  cdg_error err;

  assert_int_equal(cdg_pack_builtin(&other, &err), CDG_OK);
  a = S_parse(other, "{}");
  assert_int_equal(cdg_report_build(f->pack, f->ps, a, NULL, &d, &err),
                   CDG_ERR_STATE);
  assert_null(d);
  cdg_answers_free(a);
  cdg_pack_free(other);
}

/* Every allocation the build makes may fail: NOMEM, nothing leaked. */
static void test_allocation_failures(void **state) {
  const builtin_fixture *f = *state;
  cdg_report_event ev = {"t", "answer", "posture", "[]"};
  cdg_report_facts facts = {"2026-11-25", &ev, 1};
  cdg_answers *a = S_parse(f->pack, S_mixed);
  long n, total;

  failalloc_start(0);
  {
    cdg_report *d = NULL;
    cdg_error err;

    assert_int_equal(cdg_report_build(f->pack, f->ps, a, &facts, &d, &err),
                     CDG_OK);
    cdg_report_free(d);
  }
  failalloc_stop();
  total = failalloc_count();
  assert_true(total > 10);
  for (n = 1; n <= total; n++) {
    cdg_report *d = NULL;
    cdg_error err;
    cdg_status st;

    failalloc_start(n);
    st = cdg_report_build(f->pack, f->ps, a, &facts, &d, &err);
    cdg_report_free(d);
    failalloc_stop();
    if (st != CDG_ERR_NOMEM)
      fail_msg("allocation %ld of %ld failed: status %d", n, total, st);
    assert_null(d);
    assert_int_equal(failalloc_live(), 0);
  }
  cdg_answers_free(a);
}

/* Two treatments that failed: each alone makes the rule fire, and both
** are listed; the one that helped is not. */
static void test_rule_answers_two_failed(void **state) {
  const builtin_fixture *f = *state;
  cdg_answers *a = S_parse(
      f->pack,
      "{\"treatments_tried\": [\"physiotherapy\", \"spasm_drugs\","
      " \"botulinum_toxin\"], \"outcome_physiotherapy\": \"not_helped\","
      " \"outcome_spasm_drugs\": \"helped\","
      " \"outcome_botulinum_toxin\": \"stopped_side_effects\"}");
  cdg_report *d = S_build(f, a, NULL);
  long r = S_rule(d, "treatment-not-helped-or-stopped");

  assert_true(r >= 0);
  assert_int_equal(cdg_report_rule_answer_count(d, (size_t)r), 2);
  assert_string_equal(
      cdg_report_answer_id(d, cdg_report_rule_answer(d, (size_t)r, 0)),
      "outcome_physiotherapy");
  assert_string_equal(
      cdg_report_answer_id(d, cdg_report_rule_answer(d, (size_t)r, 1)),
      "outcome_botulinum_toxin");
  cdg_report_free(d);
  cdg_answers_free(a);
}

/* ---- The pack's "report" member ------------------------------------- */

#define S_HEAD                                                                 \
  "{\"id\": \"t\", \"version\": \"1\", \"title\": \"T\", \"source\": "         \
  "{\"title\": \"S\", \"publisher\": \"P\", \"sha256\": \"" SHA "\"},"         \
  " \"questions\": ["                                                          \
  "{\"id\": \"tried\", \"type\": \"multi\", \"text\": \"Tried?\","             \
  " \"options\": [{\"code\": \"a\", \"label\": \"A\"},"                        \
  " {\"code\": \"b\", \"label\": \"B\"},"                                      \
  " {\"code\": \"none\", \"label\": \"None\", \"exclusive\": true}]},"         \
  "{\"id\": \"how_a\", \"type\": \"single\", \"text\": \"How?\","              \
  " \"options\": [{\"code\": \"ok\", \"label\": \"OK\"},"                      \
  " {\"code\": \"unsure\", \"label\": \"Unsure\"}],"                           \
  " \"enable_when\": {\"in\": [\"a\", {\"var\": \"tried\"}]}},"                \
  "{\"id\": \"note\", \"type\": \"text\", \"text\": \"Note?\","                \
  " \"required\": false}],"                                                    \
  " \"rules\": [{\"id\": \"r\", \"when\": true, \"cite\": "                    \
  "[\"coding\", \"cd-what-it-is\"], \"because\": \"B\"},"                      \
  " {\"id\": \"twice\", \"when\": {\"and\": [{\"var\": \"tried\"},"            \
  " {\"in\": [\"a\", {\"var\": \"tried\"}]}, {\"var\": \"how_a\"}]},"          \
  " \"cite\": [\"cd-what-it-is\"], \"because\": \"T\"}]"

static cdg_status S_load(const char *report, cdg_pack **pack, cdg_error *err) {
  char text[4096];

  snprintf(text, sizeof text, "%s%s%s}", S_HEAD, report ? ", \"report\": " : "",
           report ? report : "");
  return cdg_pack_load(text, strlen(text), "p.json", pack, err);
}

/* The summary and each tried treatment's details: the questions asked,
** answered or not; a disabled one, or a treatment not tried, shows none. */
static void test_summary_details(void **state) {
  const builtin_fixture *f = *state;
  cdg_pack *p = NULL;
  cdg_answers *a;
  cdg_report *d = NULL;
  cdg_error err;
  size_t i;

  assert_int_equal(
      S_load("{\"summary\": [\"note\", \"how_a\"], \"recap\": {\"question\":"
             " \"tried\", \"treatments\": [{\"code\": \"a\", \"details\":"
             " [\"how_a\", \"note\"]}, {\"code\": \"b\", \"details\":"
             " [\"note\"]}]}}",
             &p, &err),
      CDG_OK);
  a = S_parse(p, "{\"tried\": [\"a\"], \"how_a\": \"ok\"}");
  assert_int_equal(cdg_report_build(p, f->ps, a, NULL, &d, &err), CDG_OK);
  assert_int_equal(cdg_report_summary_count(d), 2);
  assert_string_equal(cdg_report_summary_id(d, 0), "note");
  assert_string_equal(cdg_report_summary_question(d, 0), "Note?");
  assert_true(cdg_report_summary_answer(d, 0) == CDG_REPORT_UNANSWERED);
  i = cdg_report_summary_answer(d, 1);
  assert_string_equal(cdg_report_answer_id(d, i), "how_a");
  assert_string_equal(cdg_report_answer_label(d, i, 0), "OK");
  assert_int_equal(cdg_report_detail_count(d, 0), 2);
  assert_string_equal(cdg_report_detail_id(d, 0, 0), "how_a");
  assert_string_equal(cdg_report_answer_code(d, cdg_report_detail_answer(d, 0, 0), 0), "ok");
  assert_true(cdg_report_detail_answer(d, 0, 1) == CDG_REPORT_UNANSWERED);
  assert_int_equal(cdg_report_detail_count(d, 1), 0); /* b not tried */
  assert_null(cdg_report_detail_id(d, 0, 2));
  assert_true(cdg_report_detail_answer(d, 5, 0) == CDG_REPORT_UNANSWERED);
  /* Past the end: nothing, not a read out of bounds. */
  assert_null(cdg_report_summary_id(d, 2));
  assert_null(cdg_report_summary_question(d, 2));
  assert_true(cdg_report_summary_answer(d, 2) == CDG_REPORT_UNANSWERED);
  assert_int_equal(cdg_report_detail_count(d, 2), 0);
  assert_null(cdg_report_detail_question(d, 0, 2));
  assert_int_equal(cdg_report_answer_format(d, cdg_report_answer_count(d)),
                   CDG_QF_NONE);
  cdg_report_free(d);
  cdg_answers_free(a);
  /* how_a is disabled when a is not tried: left out, not "not recorded". */
  a = S_parse(p, "{\"tried\": [\"b\"]}");
  assert_int_equal(cdg_report_build(p, f->ps, a, NULL, &d, &err), CDG_OK);
  assert_int_equal(cdg_report_summary_count(d), 1);
  assert_string_equal(cdg_report_summary_id(d, 0), "note");
  assert_int_equal(cdg_report_detail_count(d, 0), 0);
  assert_int_equal(cdg_report_detail_count(d, 1), 1);
  assert_string_equal(cdg_report_first_recorded(d), "");
  assert_string_equal(cdg_report_last_recorded(d), "");
  cdg_report_free(d);
  cdg_answers_free(a);
  cdg_pack_free(p);
}

/* First and last recorded are the times of the history's ends. */
static void test_first_last_recorded(void **state) {
  const builtin_fixture *f = *state;
  const cdg_report_event ev[] = {
      {"2026-01-02T10:00:00Z", "started", NULL, NULL},
      {"2026-01-02T10:01:00Z", "answered", "posture", "[\"torticollis\"]"},
      {"2026-03-04T09:00:00Z", "finished", NULL, NULL}};
  cdg_report_facts facts = {"2026-12-01T00:00:00Z", ev, 3};
  cdg_answers *a = S_parse(f->pack, "{\"posture\": [\"torticollis\"]}");
  cdg_report *d = NULL;
  cdg_error err;

  assert_int_equal(cdg_report_build(f->pack, f->ps, a, &facts, &d, &err),
                   CDG_OK);
  assert_string_equal(cdg_report_first_recorded(d), "2026-01-02T10:00:00Z");
  assert_string_equal(cdg_report_last_recorded(d), "2026-03-04T09:00:00Z");
  assert_string_equal(cdg_report_recorded(d), "2026-12-01T00:00:00Z");
  cdg_report_free(d);
  d = NULL;

  /* No history, or a count without events: nothing recorded, not NULL. */
  facts.nevents = 0;
  assert_int_equal(cdg_report_build(f->pack, f->ps, a, &facts, &d, &err),
                   CDG_OK);
  assert_string_equal(cdg_report_first_recorded(d), "");
  assert_string_equal(cdg_report_last_recorded(d), "");
  assert_int_equal(cdg_report_event_count(d), 0);
  assert_null(cdg_report_event_at(d, 0));
  cdg_report_free(d);
  d = NULL;
  facts.events = NULL;
  facts.nevents = 3;
  assert_int_equal(cdg_report_build(f->pack, f->ps, a, &facts, &d, &err),
                   CDG_OK);
  assert_int_equal(cdg_report_event_count(d), 0);
  cdg_report_free(d);
  d = NULL;

  /* Events without a time: the first and last are shown as unknown. */
  {
    const cdg_report_event untimed[] = {{NULL, "started", NULL, NULL},
                                        {NULL, "finished", NULL, NULL}};
    facts.events = untimed;
    facts.nevents = 2;
    assert_int_equal(cdg_report_build(f->pack, f->ps, a, &facts, &d, &err),
                     CDG_OK);
    assert_int_equal(cdg_report_event_count(d), 2);
    assert_string_equal(cdg_report_first_recorded(d), "");
    assert_string_equal(cdg_report_last_recorded(d), "");
    cdg_report_free(d);
  }
  cdg_answers_free(a);
}

static void test_member_loads(void **state) {
  const builtin_fixture *f = *state;
  cdg_pack *p = NULL;
  cdg_answers *a;
  cdg_report *d = NULL;
  cdg_error err;

  /* No member: no recap, no closing section, the review lists all. */
  assert_int_equal(S_load(NULL, &p, &err), CDG_OK);
  a = S_parse(p, "{\"tried\": [\"a\"], \"how_a\": \"unsure\"}");
  assert_int_equal(cdg_report_build(p, f->ps, a, NULL, &d, &err), CDG_OK);
  assert_int_equal(cdg_report_treatment_count(d), 0);
  assert_null(cdg_report_review_topic(d));
  assert_string_equal(cdg_report_passage_id(d, 0), "cd-what-it-is");
  assert_string_equal(cdg_report_passage_id(d, 1), "coding");
  assert_true(cdg_report_passage_reviewed(d, 0));
  assert_false(cdg_report_passage_closing(d, 1));
  /* A rule reading "tried" twice: its answer once, then how_a's. */
  assert_int_equal(cdg_report_rule_count(d), 2);
  assert_string_equal(cdg_report_rule_id(d, 1), "twice");
  assert_int_equal(cdg_report_rule_answer_count(d, 1), 2);
  assert_string_equal(cdg_report_answer_id(d, cdg_report_rule_answer(d, 1, 0)),
                      "tried");
  assert_string_equal(cdg_report_answer_id(d, cdg_report_rule_answer(d, 1, 1)),
                      "how_a");
  assert_int_equal(cdg_report_passage_rule_count(d, 0), 2);
  cdg_report_free(d);
  cdg_answers_free(a);
  cdg_pack_free(p);

  /* A closing section that comes first in the source moves last. */
  assert_int_equal(
      S_load("{\"recap\": {\"question\": \"tried\", \"treatments\": "
             "[{\"code\": \"b\"}, {\"code\": \"a\", \"outcome\": "
             "\"how_a\"}], \"not_recorded\": [\"unsure\"]},"
             " \"closing_section\": \"About cervical dystonia\","
             " \"review_topic\": \"coding\"}",
             &p, &err),
      CDG_OK);
  a = S_parse(p, "{\"tried\": [\"a\"], \"how_a\": \"unsure\"}");
  assert_int_equal(cdg_report_build(p, f->ps, a, NULL, &d, &err), CDG_OK);
  assert_string_equal(cdg_report_passage_id(d, 0), "coding");
  assert_string_equal(cdg_report_passage_id(d, 1), "cd-what-it-is");
  assert_true(cdg_report_passage_closing(d, 1));
  assert_true(cdg_report_passage_reviewed(d, 0));
  assert_false(cdg_report_passage_reviewed(d, 1));
  assert_int_equal(cdg_report_treatment_count(d), 2);
  assert_string_equal(cdg_report_treatment_code(d, 0), "b");
  assert_int_equal(cdg_report_treatment_tried(d, 0), 0);
  assert_string_equal(cdg_report_treatment_code(d, 1), "a");
  assert_string_equal(cdg_report_treatment_outcome(d, 1), "unsure");
  assert_false(cdg_report_treatment_recorded(d, 1));
  cdg_report_free(d);
  cdg_answers_free(a);
  cdg_pack_free(p);
}

/* A text answer is copied: its copy failing is out of memory too. */
static void test_text_answer_copied(void **state) {
  const builtin_fixture *f = *state;
  cdg_pack *p = NULL;
  cdg_answers *a;
  cdg_report *d = NULL;
  cdg_error err;
  long n, total;

  assert_int_equal(S_load(NULL, &p, &err), CDG_OK);
  a = S_parse(p, "{\"tried\": [\"b\"], \"note\": \"stiff at night\"}");
  failalloc_start(0);
  assert_int_equal(cdg_report_build(p, f->ps, a, NULL, &d, &err), CDG_OK);
  failalloc_stop();
  total = failalloc_count();
  cdg_answers_free(a); /* the document keeps its own copy */
  assert_string_equal(cdg_report_answer_text(d, 1), "stiff at night");
  assert_int_equal(cdg_report_answer_type(d, 1), CDG_Q_TEXT);
  cdg_report_free(d);
  a = S_parse(p, "{\"tried\": [\"b\"], \"note\": \"stiff at night\"}");
  for (n = 1; n <= total; n++) {
    d = NULL;
    failalloc_start(n);
    assert_int_equal(cdg_report_build(p, f->ps, a, NULL, &d, &err),
                     CDG_ERR_NOMEM);
    failalloc_stop();
    assert_null(d);
    assert_int_equal(failalloc_live(), 0);
  }
  cdg_answers_free(a);
  cdg_pack_free(p);
}

static void test_member_errors(void **state) {
  static const struct {
    const char *member, *message, *pointer;
  } cases[] = {
      {"[]", "\"report\" must be an object", "/report"},
      {"{\"recap_\": {}}", "unknown field \"recap_\"", "/report/recap_"},
      {"{\"recap\": 1}", "\"recap\" must be an object", "/report/recap"},
      {"{\"recap\": {\"treatments\": [{\"code\": \"a\"}]}}",
       "missing required field \"question\"", "/report/recap"},
      {"{\"recap\": {\"question\": \"nope\", \"treatments\": []}}",
       "unknown question \"nope\"", "/report/recap/question"},
      {"{\"recap\": {\"question\": \"how_a\", \"treatments\": []}}",
       "question \"how_a\" must be a multi question", "/report/recap/question"},
      {"{\"recap\": {\"question\": \"tried\", \"treatments\": []}}",
       "\"treatments\" must be a non-empty array", "/report/recap/treatments"},
      {"{\"recap\": {\"question\": \"tried\", \"treatments\": "
       "[{\"code\": \"c\"}]}}",
       "\"c\" is not a treatment of question \"tried\"",
       "/report/recap/treatments/0/code"},
      {"{\"recap\": {\"question\": \"tried\", \"treatments\": "
       "[{\"code\": \"none\"}]}}",
       "\"none\" is not a treatment of question \"tried\"",
       "/report/recap/treatments/0/code"},
      {"{\"recap\": {\"question\": \"tried\", \"treatments\": "
       "[{\"code\": \"a\"}, {\"code\": \"a\"}]}}",
       "treatment \"a\" is listed twice", "/report/recap/treatments/1/code"},
      {"{\"recap\": {\"question\": \"tried\", \"treatments\": "
       "[{\"code\": \"a\", \"outcome\": \"note\"}]}}",
       "question \"note\" must be a single question",
       "/report/recap/treatments/0/outcome"},
      {"{\"recap\": {\"question\": \"tried\", \"treatments\": "
       "[{\"code\": \"a\", \"dteails\": []}]}}",
       "unknown field \"dteails\"", "/report/recap/treatments/0/dteails"},
      {"{\"recap\": {\"question\": \"tried\", \"treatments\": "
       "[{\"code\": \"a\", \"details\": [\"nope\"]}]}}",
       "unknown question \"nope\"", "/report/recap/treatments/0/details/0"},
      {"{\"recap\": {\"question\": \"tried\", \"treatments\": "
       "[{\"code\": \"a\", \"details\": [\"note\", \"note\"]}]}}",
       "question \"note\" is listed twice",
       "/report/recap/treatments/0/details/1"},
      {"{\"recap\": {\"question\": \"tried\", \"treatments\": "
       "[{\"code\": \"a\", \"details\": [\"note\", \"tried\"]}]}}",
       "question \"tried\" is the list of treatments, not a detail",
       "/report/recap/treatments/0/details/1"},
      {"{\"recap\": {\"question\": \"tried\", \"treatments\": "
       "[{\"code\": \"a\", \"outcome\": \"how_a\", \"details\": "
       "[\"how_a\"]}]}}",
       "question \"how_a\" is the treatment's outcome, not a detail",
       "/report/recap/treatments/0/details/0"},
      {"{\"recap\": {\"question\": \"tried\", \"treatments\": "
       "[{\"code\": \"a\", \"details\": \"note\"}]}}",
       "\"details\" must be an array of strings",
       "/report/recap/treatments/0/details"},
      {"{\"summary\": [\"tried\", \"nope\"]}",
       "unknown question \"nope\"", "/report/summary/1"},
      {"{\"summary\": [\"\"]}", "\"summary\" must list non-empty strings",
       "/report/summary/0"},
      {"{\"recap\": {\"question\": \"tried\", \"treatments\": "
       "[{\"code\": \"a\"}], \"not_recorded\": [1]}}",
       "\"not_recorded\" must list non-empty strings",
       "/report/recap/not_recorded/0"},
      {"{\"recap\": {\"question\": \"tried\", \"treatments\": "
       "[{\"code\": \"a\", \"outcome\": \"how_a\"}, {\"code\": \"b\"}],"
       " \"not_recorded\": [\"unsure\", \"unsrue\"]}}",
       "\"unsrue\" is not an option of any outcome question",
       "/report/recap/not_recorded/1"},
      {"{\"recap\": {\"question\": \"tried\", \"treatments\": [1]}}",
       "a treatment must be an object", "/report/recap/treatments/0"},
      {"{\"recap\": {\"question\": \"tried\", \"treatments\": {}}}",
       "\"treatments\" must be a non-empty array", "/report/recap/treatments"},
      {"{\"closing_section\": \"\"}",
       "\"closing_section\" must be a non-empty string",
       "/report/closing_section"},
      {"{\"review_topic\": \"\"}",
       "\"review_topic\" must be a non-empty "
       "string",
       "/report/review_topic"},
      {"{\"closing_section\": 3}", "\"closing_section\" must be a string",
       "/report/closing_section"},
      {"{\"review_topic\": \"t\", \"closing_section\": \"\"}",
       "\"closing_section\" must be a non-empty string",
       "/report/closing_section"},
      /* A member the pack format does not have, at each level. */
      {"{\"x\": 1}", "unknown field \"x\"", "/report/x"},
      {"{\"recap\": {\"question\": \"tried\", \"treatments\": "
       "[{\"code\": \"a\"}], \"x\": 1}}",
       "unknown field \"x\"", "/report/recap/x"},
      {"{\"recap\": {\"question\": \"tried\", \"treatments\": "
       "[{\"code\": \"a\", \"x\": 1}]}}",
       "unknown field \"x\"", "/report/recap/treatments/0/x"},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    cdg_pack *p = NULL;
    cdg_error err;

    cdg_error_clear(&err);
    if (S_load(cases[i].member, &p, &err) != CDG_ERR_PACK)
      fail_msg("%s: loaded", cases[i].member);
    assert_null(p);
    if (strcmp(err.message, cases[i].message) != 0 ||
        strcmp(err.pointer, cases[i].pointer) != 0)
      fail_msg("%s: got \"%s\" at %s, not \"%s\" at %s", cases[i].member,
               err.message, err.pointer, cases[i].message, cases[i].pointer);
    assert_true(err.line > 0);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_answers_and_labels),
      cmocka_unit_test(test_missing_named),
      cmocka_unit_test(test_recap),
      cmocka_unit_test(test_rule_answers),
      cmocka_unit_test(test_rule_answers_limit),
      cmocka_unit_test(test_report_order),
      cmocka_unit_test(test_review_topic),
      cmocka_unit_test(test_provenance_and_history),
      cmocka_unit_test(test_out_of_range),
      cmocka_unit_test(test_other_pack_refused),
      cmocka_unit_test(test_allocation_failures),
      cmocka_unit_test(test_member_loads),
      cmocka_unit_test(test_summary_details),
      cmocka_unit_test(test_rule_answers_two_failed),
      cmocka_unit_test(test_first_last_recorded),
      cmocka_unit_test(test_text_answer_copied),
      cmocka_unit_test(test_member_errors),
  };
  return cmocka_run_group_tests(tests, builtin_setup, builtin_teardown);
}
