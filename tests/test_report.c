/*
** test_report.c: the report writers (text, markdown, json), the
** pre-referral review and the sanitiser, on the built-in pack.
**
** Expected values are written from DESIGN.md "Reports": the notice, the
** source SHA-256, the passage texts from the guidance, the JSON keys.
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

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "failalloc.h"
#include "report.h"

#define NOTICE                                                              \
  "This report points to passages of published guidance. It does not "     \
  "make a clinical decision."
#define SOURCE_SHA256                                                       \
  "25a7936f8257a0ff7bbdcd9daa319262c0ea914c94d5bbe64bf2968c2801b20d"
#define DATE "2026-01-31T09:00:00Z"

#define TEXT_STANDARD                                                       \
  "Standard treatment for cervical dystonia includes physiotherapy, drugs " \
  "to reduce spasm, injections of botulinum toxin and brain surgery."
#define TEXT_SPD_ALTERNATIVE                                                \
  "Peripheral denervation has been advocated as an alternative, "           \
  "especially in people who have not responded to other treatments."
#define TEXT_YELLOW_CARD                                                    \
  "All problems (adverse events) related to a medicine or medical device "  \
  "used for treatment or in a procedure should be reported to the "         \
  "Medicines and Healthcare products Regulatory Agency using the Yellow "   \
  "Card Scheme."
#define TEXT_RESPONSIBILITY                                                 \
  "This guidance represents the view of NICE, arrived at after careful "    \
  "consideration of the evidence available. When exercising their "         \
  "judgement, healthcare professionals are expected to take this "          \
  "guidance fully into account, and specifically any special "              \
  "arrangements relating to the introduction of new interventional "        \
  "procedures. The guidance does not override the individual "              \
  "responsibility of healthcare professionals to make decisions "           \
  "appropriate to the circumstances of the individual patient, in "         \
  "consultation with the patient and/or guardian or carer."

/* Physiotherapy did not help, drugs tried with no outcome yet, botulinum
** toxin stopped for side effects, brain surgery not tried. */
static const char S_answers_a[] =
    "{\"posture\": [\"torticollis\"], \"age_group\": \"adult\","
    " \"duration\": \"1_to_5_years\","
    " \"treatments_tried\": [\"physiotherapy\", \"spasm_drugs\","
    " \"botulinum_toxin\"],"
    " \"outcome_physiotherapy\": \"not_helped\","
    " \"outcome_botulinum_toxin\": \"stopped_side_effects\"}";

/* Everything tried helped. */
static const char S_answers_helped[] =
    "{\"posture\": [\"retrocollis\"], \"age_group\": \"adult\","
    " \"duration\": \"over_5_years\","
    " \"treatments_tried\": [\"physiotherapy\"],"
    " \"outcome_physiotherapy\": \"helped\"}";

/* Outcomes that are answers but not outcomes. */
static const char S_answers_unsure[] =
    "{\"posture\": [\"torticollis\"], \"age_group\": \"adult\","
    " \"duration\": \"under_1_year\","
    " \"treatments_tried\": [\"physiotherapy\", \"botulinum_toxin\"],"
    " \"outcome_physiotherapy\": \"not_sure\","
    " \"outcome_botulinum_toxin\": \"ongoing\"}";

/* Nothing tried. */
static const char S_answers_none[] =
    "{\"posture\": [\"not_sure\"], \"age_group\": \"child\","
    " \"duration\": \"not_sure\", \"treatments_tried\": [\"none\"]}";

/* A pack with a free-text question, for the sanitiser and escaping; its
** question text and a rule's reason carry escape sequences. */
static const char S_text_pack[] =
    "{\"id\": \"text-test\", \"version\": \"0.0.1\", \"title\": \"Text\","
    " \"source\": {\"title\": \"Selective peripheral denervation for "
    "cervical dystonia\", \"publisher\": \"NICE\", \"sha256\": \"" SOURCE_SHA256
    "\"},"
    " \"questions\": [{\"id\": \"note\", \"type\": \"text\","
    " \"text\": \"Anything \\u001b[31melse\\u0007?\", \"required\": false}],"
    " \"rules\": [{\"id\": \"always\", \"when\": true,"
    " \"cite\": [\"cd-what-it-is\"],"
    " \"because\": \"Always \\u001b]0;title\\u0007shown.\"}]}";

/* What the library lets through in a text answer (it refuses C0 and C1
** controls except tab): a tab, a bidi override, markdown syntax. */
static const char S_hostile[] = "red\tALERT | *bold* [x](y) \xe2\x80\xae"
                                "rtl";

typedef struct fixture {
  cdg_pack *pack;
  cdg_passages *ps;
  cdg_answers *answers;
  report_input in;
} fixture;

static int S_setup_with(void **state, const char *answers) {
  fixture *f = calloc(1, sizeof *f);
  cdg_error err;

  assert_non_null(f);
  assert_int_equal(cdg_pack_builtin(&f->pack, &err), CDG_OK);
  assert_int_equal(cdg_passages_builtin(&f->ps, &err), CDG_OK);
  if (cdg_answers_parse(f->pack, answers, strlen(answers), "answers.json",
                        &f->answers, &err) != CDG_OK)
    fail_msg("answers do not parse: %s", err.message);
  f->in.pack = f->pack;
  f->in.ps = f->ps;
  f->in.answers = f->answers;
  f->in.date = DATE;
  f->in.width = 80;
  *state = f;
  return 0;
}

static int S_setup_a(void **state) { return S_setup_with(state, S_answers_a); }
static int S_setup_helped(void **state) {
  return S_setup_with(state, S_answers_helped);
}
static int S_setup_unsure(void **state) {
  return S_setup_with(state, S_answers_unsure);
}

static int S_setup_none(void **state) {
  return S_setup_with(state, S_answers_none);
}

static int S_teardown(void **state) {
  fixture *f = *state;

  cdg_answers_free(f->answers);
  cdg_pack_free(f->pack);
  cdg_passages_free(f->ps);
  free(f);
  return 0;
}

/* Render to memory; checks the writer returned 0. Caller frees. */
static char *S_render(const report_input *in, int fmt) {
  char *buf = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&buf, &len);
  int rc;

  assert_non_null(m);
  rc = fmt < 0 ? report_review(m, in) : report_write(m, (cli_format)fmt, in);
  assert_int_equal(fclose(m), 0);
  if (rc != 0)
    fail_msg("writer (format %d) returned %d", fmt, rc);
  return buf;
}

/* s with every run of white space (and U+00A0) made one space. Caller
** frees. */
static char *S_collapse(const char *s) {
  char *out = malloc(strlen(s) + 1), *o = out;
  int space = 0;

  assert_non_null(out);
  while (*s) {
    int ws = *s == ' ' || *s == '\n' || *s == '\t' || *s == '\r';
    size_t skip = 1;

    if ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
      ws = 1, skip = 2;
    if (ws) {
      space = 1;
    } else {
      if (space && o > out)
        *o++ = ' ';
      space = 0;
      *o++ = *s;
    }
    s += skip;
  }
  *o = '\0';
  return out;
}

/* Position of needle in the collapsed haystack, failing when absent. */
static long S_find(const char *collapsed, const char *needle,
                   const char *what) {
  char *n = S_collapse(needle);
  const char *p = strstr(collapsed, n);

  if (!p)
    fail_msg("%s: missing \"%s\"", what, n);
  free(n);
  return (long)(p - collapsed);
}

static void S_absent(const char *collapsed, const char *needle,
                     const char *what) {
  char *n = S_collapse(needle);

  if (strstr(collapsed, n))
    fail_msg("%s: should not contain \"%s\"", what, n);
  free(n);
}

static const char *S_label(const cdg_pack *pack, const char *qid,
                           const char *code) {
  const cdg_question *q = cdg_pack_find_question(pack, qid);
  long i;

  assert_non_null(q);
  i = cdg_question_find_option(q, code);
  assert_true(i >= 0);
  return cdg_question_option_label(q, (size_t)i);
}

/* What every text and markdown report holds (DESIGN.md "Reports"). */
static void S_check_human(const fixture *f, const char *out,
                          const char *what) {
  char *c = S_collapse(out);
  cdg_outcome *oc = NULL;
  cdg_error err;
  const char *answered[] = {"posture", "age_group", "duration",
                            "treatments_tried", "outcome_physiotherapy",
                            "outcome_botulinum_toxin"};
  size_t i, j;
  long last = -1, pos, resp;

  S_find(c, "cdguide " CDG_VERSION, what);
  S_find(c, "cervical-dystonia 1.0.0", what);
  S_find(c, "Selective peripheral denervation for cervical dystonia", what);
  S_find(c, SOURCE_SHA256, what);
  S_find(c, DATE, what);
  S_find(c, NOTICE, what);
  for (i = 0; i < sizeof answered / sizeof *answered; i++)
    S_find(c,
           cdg_question_text(cdg_pack_find_question(f->pack, answered[i])),
           what);
  S_find(c, S_label(f->pack, "posture", "torticollis"), what);
  S_find(c, S_label(f->pack, "age_group", "adult"), what);
  S_find(c, S_label(f->pack, "duration", "1_to_5_years"), what);
  S_find(c, S_label(f->pack, "treatments_tried", "spasm_drugs"), what);
  S_find(c, S_label(f->pack, "treatments_tried", "brain_surgery"), what);
  S_find(c, S_label(f->pack, "outcome_physiotherapy", "not_helped"), what);
  S_find(c,
         S_label(f->pack, "outcome_botulinum_toxin", "stopped_side_effects"),
         what);
  S_find(c, "not recorded", what);
  S_absent(c, "1_to_5_years", what);

  S_find(c, TEXT_STANDARD, what);
  S_find(c, TEXT_SPD_ALTERNATIVE, what);
  S_find(c, TEXT_YELLOW_CARD, what);
  resp = S_find(c, TEXT_RESPONSIBILITY, what);

  /* Every cited passage verbatim, in source order, with its rules and
  ** their reasons; "Your responsibility" after all the others. */
  assert_int_equal(
      cdg_outcome_eval(f->pack, f->answers, f->ps, &oc, &err), CDG_OK);
  for (i = 0; i < cdg_outcome_count(oc); i++) {
    const char *id = cdg_outcome_passage(oc, i);
    long p = cdg_passages_find(f->ps, id);

    assert_true(p >= 0);
    pos = S_find(c, cdg_passage_text(f->ps, (size_t)p), what);
    S_find(c, id, what);
    if (strcmp(id, "your-responsibility") == 0)
      continue;
    if (pos <= last || pos >= resp)
      fail_msg("%s: passage %s out of order", what, id);
    last = pos;
    for (j = 0; j < cdg_outcome_cited_by_count(oc, i); j++) {
      const char *rid = cdg_outcome_cited_by(oc, i, j);
      size_t r;

      S_find(c, rid, what);
      for (r = 0; r < cdg_pack_rule_count(f->pack); r++)
        if (strcmp(cdg_rule_id(f->pack, r), rid) == 0)
          S_find(c, cdg_rule_because(f->pack, r), what);
    }
  }
  cdg_outcome_free(oc);
  free(c);
}

static void test_text_report(void **state) {
  fixture *f = *state;
  char *out = S_render(&f->in, CLI_FORMAT_TEXT);

  S_check_human(f, out, "text report");
  assert_null(strchr(out, '\x1b'));
  assert_non_null(strstr(out, "Complete: no"));
  free(out);
}

static void test_markdown_report(void **state) {
  fixture *f = *state;
  char *out = S_render(&f->in, CLI_FORMAT_MARKDOWN);

  S_check_human(f, out, "markdown report");
  assert_non_null(strstr(out, "# cdguide report\n"));
  assert_non_null(strstr(out, "\n## Notice\n"));
  assert_non_null(
      strstr(out, "| Treatment | Tried | Outcome |\n| --- | --- | --- |\n"));
  assert_non_null(strstr(out, "| Brain surgery | no | - |\n"));
  assert_non_null(strstr(out, "| Medicines to reduce muscle spasm | yes | "
                              "not recorded |\n"));
  free(out);
}

static const cJSON *S_get(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

  if (!v)
    fail_msg("JSON report: no key \"%s\"", key);
  return v;
}

static void S_str_eq(const cJSON *o, const char *key, const char *want) {
  const cJSON *v = S_get(o, key);

  if (!cJSON_IsString(v) || strcmp(v->valuestring, want) != 0)
    fail_msg("JSON report: \"%s\" is not \"%s\"", key, want);
}

static void S_check_treatment(const cJSON *t, const char *code, int tried,
                              const char *outcome) {
  const cJSON *v;

  S_str_eq(t, "treatment", code);
  assert_true(cJSON_IsString(S_get(t, "label")));
  v = S_get(t, "tried");
  if (tried ? !cJSON_IsTrue(v) : !cJSON_IsFalse(v))
    fail_msg("treatment %s: tried should be %d", code, tried);
  if (outcome)
    S_str_eq(t, "outcome", outcome);
  else if (!cJSON_IsNull(S_get(t, "outcome")))
    fail_msg("treatment %s: outcome should be null", code);
}

static void test_json_report(void **state) {
  fixture *f = *state;
  /* "missing" because this history leaves a required question out. */
  static const char *const keys[] = {"tool",      "pack",
                                     "source",    "answers",
                                     "treatment_history", "passages",
                                     "complete",  "missing", "notice"};
  char *out = S_render(&f->in, CLI_FORMAT_JSON);
  cJSON *root = cJSON_Parse(out);
  const cJSON *o, *item, *arr;
  size_t i, n = 0, np;

  assert_non_null(root);
  cJSON_ArrayForEach(item, root) {
    for (i = 0; i < sizeof keys / sizeof *keys; i++)
      if (strcmp(item->string, keys[i]) == 0)
        break;
    if (i == sizeof keys / sizeof *keys)
      fail_msg("JSON report: unexpected key \"%s\"", item->string);
    n++;
  }
  assert_int_equal(n, sizeof keys / sizeof *keys);

  o = S_get(root, "tool");
  S_str_eq(o, "name", "cdguide");
  S_str_eq(o, "version", CDG_VERSION);
  S_str_eq(o, "date", DATE);
  o = S_get(root, "pack");
  S_str_eq(o, "id", "cervical-dystonia");
  S_str_eq(o, "version", "1.0.0");
  o = S_get(root, "source");
  S_str_eq(o, "title", "Selective peripheral denervation for cervical dystonia");
  S_str_eq(o, "sha256", SOURCE_SHA256);

  arr = S_get(root, "answers");
  assert_int_equal(cJSON_GetArraySize(arr), 6);
  item = cJSON_GetArrayItem(arr, 0);
  S_str_eq(item, "id", "posture");
  S_str_eq(item, "question",
           cdg_question_text(cdg_pack_find_question(f->pack, "posture")));
  o = S_get(item, "value");
  assert_int_equal(cJSON_GetArraySize(o), 1);
  assert_string_equal(cJSON_GetArrayItem(o, 0)->valuestring, "torticollis");
  o = S_get(item, "labels");
  assert_string_equal(cJSON_GetArrayItem(o, 0)->valuestring,
                      S_label(f->pack, "posture", "torticollis"));
  item = cJSON_GetArrayItem(arr, 1);
  S_str_eq(item, "id", "age_group");
  S_str_eq(item, "value", "adult");

  arr = S_get(root, "treatment_history");
  assert_int_equal(cJSON_GetArraySize(arr), 4);
  S_check_treatment(cJSON_GetArrayItem(arr, 0), "physiotherapy", 1,
                    "not_helped");
  S_check_treatment(cJSON_GetArrayItem(arr, 1), "spasm_drugs", 1, NULL);
  S_check_treatment(cJSON_GetArrayItem(arr, 2), "botulinum_toxin", 1,
                    "stopped_side_effects");
  S_check_treatment(cJSON_GetArrayItem(arr, 3), "brain_surgery", 0, NULL);

  /* Passages: the cited ones, verbatim, source order, responsibility
  ** last, each with the rules that cited it. */
  arr = S_get(root, "passages");
  np = (size_t)cJSON_GetArraySize(arr);
  assert_true(np >= 5);
  {
    long prev = -1;

    for (i = 0; i < np; i++) {
      const cJSON *by;
      long p;

      item = cJSON_GetArrayItem(arr, (int)i);
      p = cdg_passages_find(f->ps, S_get(item, "id")->valuestring);
      assert_true(p >= 0);
      S_str_eq(item, "section", cdg_passage_section(f->ps, (size_t)p));
      S_str_eq(item, "text", cdg_passage_text(f->ps, (size_t)p));
      by = S_get(item, "cited_by");
      assert_true(cJSON_GetArraySize(by) >= 1);
      /* One because_of per citing rule, naming it, with the question ids
      ** of the answers it read. */
      {
        const cJSON *b = S_get(item, "because_of"), *x, *id;
        int k = 0;

        assert_int_equal(cJSON_GetArraySize(b), cJSON_GetArraySize(by));
        cJSON_ArrayForEach(x, b) {
          S_str_eq(x, "rule", cJSON_GetArrayItem(by, k++)->valuestring);
          cJSON_ArrayForEach(id, S_get(x, "answers"))
            assert_non_null(
                cdg_pack_find_question(f->pack, id->valuestring));
        }
      }
      if (i + 1 == np) {
        S_str_eq(item, "id", "your-responsibility");
        S_str_eq(item, "section", "Your responsibility");
      } else {
        assert_true(p > prev);
        prev = p;
      }
    }
  }
  {
    int seen = 0;

    cJSON_ArrayForEach(item, arr) {
      const char *id = S_get(item, "id")->valuestring;

      if (strcmp(id, "standard-treatment") == 0)
        seen |= 1, S_str_eq(item, "text", TEXT_STANDARD);
      if (strcmp(id, "spd-alternative") == 0)
        seen |= 2, S_str_eq(item, "text", TEXT_SPD_ALTERNATIVE);
      if (strcmp(id, "adverse-events-yellow-card") == 0)
        seen |= 4, S_str_eq(item, "text", TEXT_YELLOW_CARD);
    }
    assert_int_equal(seen, 7);
  }
  assert_true(cJSON_IsFalse(S_get(root, "complete")));
  /* The outcome of spasm drugs (tried) is the required one left out. */
  arr = S_get(root, "missing");
  assert_int_equal(cJSON_GetArraySize(arr), 1);
  S_str_eq(cJSON_GetArrayItem(arr, 0), "id", "outcome_spasm_drugs");
  S_str_eq(cJSON_GetArrayItem(arr, 0), "question",
           cdg_question_text(
               cdg_pack_find_question(f->pack, "outcome_spasm_drugs")));
  S_str_eq(root, "notice", NOTICE);
  cJSON_Delete(root);
  free(out);
}

/* The width in code points of the widest line. */
static int S_widest(const char *s) {
  int w = 0, max = 0;

  for (; *s; s++) {
    if (*s == '\n') {
      w = 0;
      continue;
    }
    w += ((unsigned char)*s & 0xC0) != 0x80;
    max = w > max ? w : max;
  }
  return max;
}

static void test_text_wraps_to_width(void **state) {
  fixture *f = *state;
  const int widths[] = {20, 33, 50, 72, 80, 120};
  size_t i;

  for (i = 0; i < sizeof widths / sizeof *widths; i++) {
    char *out, *c;

    f->in.width = widths[i];
    out = S_render(&f->in, CLI_FORMAT_TEXT);
    if (S_widest(out) > widths[i])
      fail_msg("width %d: a line is %d wide", widths[i], S_widest(out));
    c = S_collapse(out);
    S_find(c, TEXT_RESPONSIBILITY, "narrow text report");
    S_find(c, NOTICE, "narrow text report");
    free(c);
    free(out);
    out = S_render(&f->in, -1);
    if (S_widest(out) > widths[i])
      fail_msg("review, width %d: a line is %d wide", widths[i],
               S_widest(out));
    free(out);
  }
  f->in.width = 80;
}

static void test_text_color(void **state) {
  fixture *f = *state;
  char *out;

  f->in.color = 1;
  out = S_render(&f->in, CLI_FORMAT_TEXT);
  assert_non_null(strstr(out, "\x1b[1m"));
  free(out);
  out = S_render(&f->in, CLI_FORMAT_MARKDOWN);
  assert_null(strchr(out, '\x1b'));
  free(out);
  f->in.color = 0;
}

static void S_no_raw_controls(const char *out, const char *what) {
  const unsigned char *p;

  for (p = (const unsigned char *)out; *p; p++)
    if ((*p < 0x20 && *p != '\n') || *p == 0x7F)
      fail_msg("%s: raw control byte 0x%02x", what, *p);
  if (strstr(out, "\xe2\x80\xae"))
    fail_msg("%s: raw bidi override", what);
}

static void test_text_answer_sanitised(void **state) {
  cdg_pack *pack = NULL;
  cdg_passages *ps = NULL;
  cdg_answers *a = NULL;
  cdg_error err;
  report_input in;
  char *out;
  cJSON *root;
  const cJSON *v;

  (void)state;
  if (cdg_pack_load(S_text_pack, strlen(S_text_pack), "text-pack.json",
                    &pack, &err) != CDG_OK)
    fail_msg("text pack: %s", err.message);
  assert_int_equal(cdg_passages_builtin(&ps, &err), CDG_OK);
  assert_int_equal(cdg_answers_new(pack, &a), CDG_OK);
  if (cdg_answers_set_text(a, "note", S_hostile, &err) != CDG_OK)
    fail_msg("set_text: %s", err.message);
  memset(&in, 0, sizeof in);
  in.pack = pack;
  in.ps = ps;
  in.answers = a;
  in.date = DATE;
  in.width = 80;

  out = S_render(&in, CLI_FORMAT_TEXT);
  S_no_raw_controls(out, "text");
  assert_non_null(strstr(out, "red ALERT"));
  assert_non_null(strstr(out, "Anything \xEF\xBF\xBD[31melse\xEF\xBF\xBD?"));
  assert_non_null(strstr(out, "Always \xEF\xBF\xBD]0;title\xEF\xBF\xBDshown."));
  assert_non_null(strstr(out, "\xEF\xBF\xBDrtl"));
  free(out);

  out = S_render(&in, CLI_FORMAT_MARKDOWN);
  S_no_raw_controls(out, "markdown");
  assert_non_null(strstr(out, "\\| \\*bold\\* \\[x\\](y)"));
  free(out);

  out = S_render(&in, -1);
  S_no_raw_controls(out, "review");
  free(out);

  /* JSON keeps the text exactly; control characters only as JSON escapes. */
  out = S_render(&in, CLI_FORMAT_JSON);
  assert_null(strchr(out, '\x1b'));
  assert_null(strchr(out, '\x07'));
  assert_non_null(strstr(out, "Anything \\u001b[31melse\\u0007?"));
  root = cJSON_Parse(out);
  assert_non_null(root);
  v = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "answers"), 0);
  assert_string_equal(cJSON_GetObjectItem(v, "value")->valuestring,
                      S_hostile);
  assert_null(cJSON_GetObjectItem(v, "labels"));
  cJSON_Delete(root);
  free(out);

  cdg_answers_free(a);
  cdg_passages_free(ps);
  cdg_pack_free(pack);
}

static void test_sanitizer(void **state) {
  static const char in[] = "a\x1b[1mb\tc\r\nd\x7f" "e\xc2\x85"
                           "f\xe2\x80\xae" "g\xff" "h\xc3\xa9\xc2\xa0i";
  static const char want[] = "a\xEF\xBF\xBD[1mb c  d\xEF\xBF\xBD"
                             "e\xEF\xBF\xBD" "f\xEF\xBF\xBD" "g\xEF\xBF\xBD"
                             "h\xc3\xa9\xc2\xa0i";
  char *buf = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&buf, &len);

  (void)state;
  assert_non_null(m);
  assert_int_equal(cli_put_sanitized(m, in, sizeof in - 1), 0);
  assert_int_equal(fclose(m), 0);
  assert_string_equal(buf, want);
  free(buf);
}

static void test_review_gaps(void **state) {
  fixture *f = *state;
  char *out = S_render(&f->in, -1), *c = S_collapse(out);
  long gaps, nottried, spd;

  S_find(c, "Standard treatments", "review");
  gaps = S_find(c, "No outcome recorded", "review");
  S_find(c,
         "Medicines to reduce muscle spasm: tried, no outcome recorded",
         "review");
  nottried = S_find(c, "Not tried", "review");
  S_find(c, "Brain surgery: not tried", "review");
  assert_true(gaps < nottried);
  spd = S_find(c, TEXT_SPD_ALTERNATIVE, "review");
  assert_true(spd > nottried);
  S_find(c, "spd-alternative", "review");
  assert_true(S_find(c, "Cited by", "review") > nottried);
  S_absent(c, TEXT_STANDARD, "review");
  S_absent(c, TEXT_YELLOW_CARD, "review");
  S_absent(c, "no passage on denervation", "review");
  S_absent(c, "recommend", "review");
  assert_true(S_find(c, NOTICE, "review") > spd);
  free(c);
  free(out);
}

static void test_review_no_denervation(void **state) {
  fixture *f = *state;
  char *out = S_render(&f->in, -1), *c = S_collapse(out);

  S_find(c, "The rules cite no passage on denervation for this history.",
         "review (helped)");
  S_absent(c, TEXT_SPD_ALTERNATIVE, "review (helped)");
  S_find(c, "None: every treatment tried has a recorded outcome.",
         "review (helped)");
  S_find(c, NOTICE, "review (helped)");
  free(c);
  free(out);
}

static void test_review_unsure_ongoing(void **state) {
  fixture *f = *state;
  char *out = S_render(&f->in, -1), *c = S_collapse(out), *line;

  line = malloc(256);
  assert_non_null(line);
  snprintf(line, 256, "Physiotherapy: tried, no outcome recorded (answered \"%s\")",
           S_label(f->pack, "outcome_physiotherapy", "not_sure"));
  S_find(c, line, "review (unsure)");
  snprintf(line, 256, "no outcome recorded (answered \"%s\")",
           S_label(f->pack, "outcome_botulinum_toxin", "ongoing"));
  S_find(c, line, "review (unsure)");
  free(line);
  free(c);
  free(out);
}

static void test_review_nothing_tried(void **state) {
  fixture *f = *state;
  char *out = S_render(&f->in, -1), *c = S_collapse(out);

  S_find(c, "None: no standard treatment is recorded as tried.",
         "review (none)");
  S_find(c, "Physiotherapy: not tried", "review (none)");
  S_find(c, "Brain surgery: not tried", "review (none)");
  S_find(c, "The rules cite no passage on denervation for this history.",
         "review (none)");
  free(c);
  free(out);
}

/* Every allocation failure ends in exit status 70 (or 0 when the failed
** allocation was not needed), never a crash or a leak (ASan, valgrind). */
static void test_allocation_failures(void **state) {
  fixture *f = *state;
  int kinds[] = {CLI_FORMAT_TEXT, CLI_FORMAT_MARKDOWN, CLI_FORMAT_JSON, -1};
  int saved = dup(STDERR_FILENO), null = open("/dev/null", O_WRONLY);
  size_t k;

  assert_true(saved >= 0 && null >= 0);
  /* The writers report each failure on stderr: keep the log readable. */
  assert_int_equal(dup2(null, STDERR_FILENO), STDERR_FILENO);
  for (k = 0; k < sizeof kinds / sizeof *kinds; k++) {
    int failed = 0;
    long n;

    for (n = 1;; n++) {
      char *buf = NULL;
      size_t len = 0;
      FILE *m = open_memstream(&buf, &len);
      int rc;

      assert_non_null(m);
      failalloc_start(n);
      rc = kinds[k] < 0 ? report_review(m, &f->in)
                        : report_write(m, (cli_format)kinds[k], &f->in);
      failalloc_stop();
      fclose(m);
      free(buf);
      if (rc != 0 && rc != 70)
        fail_msg("format %d, allocation %ld fails: exit %d", kinds[k], n,
                 rc);
      failed += rc == 70;
      if (n > failalloc_count())
        break; /* every allocation has failed once */
    }
    if (failed == 0)
      fail_msg("format %d: no allocation failure was reported", kinds[k]);
  }
  dup2(saved, STDERR_FILENO);
  close(saved);
  close(null);
}

/* What the writers get: one document with the date and the history the
** caller passes, and the completeness the answers give. */
static void test_build_from_input(void **state) {
  fixture *f = *state;
  cdg_report_event ev = {"2026-11-25T10:00:00Z", "answer", "posture", "[]"};
  report_input in = f->in;
  cdg_report *d = NULL;

  in.history = &ev;
  in.nhistory = 1;
  assert_int_equal(report_build(&in, &d), 0);
  assert_string_equal(cdg_report_recorded(d), DATE);
  assert_int_equal(cdg_report_event_count(d), 1);
  assert_string_equal(cdg_report_event_at(d, 0)->action, "answer");
  /* S_answers_a leaves how the drugs went unanswered. */
  assert_false(cdg_report_complete(d));
  assert_int_equal(cdg_report_missing_count(d), 1);
  assert_string_equal(cdg_report_missing_id(d, 0), "outcome_spasm_drugs");
  cdg_report_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_text_report, S_setup_a,
                                      S_teardown),
      cmocka_unit_test_setup_teardown(test_markdown_report, S_setup_a,
                                      S_teardown),
      cmocka_unit_test_setup_teardown(test_json_report, S_setup_a,
                                      S_teardown),
      cmocka_unit_test_setup_teardown(test_text_wraps_to_width, S_setup_a,
                                      S_teardown),
      cmocka_unit_test_setup_teardown(test_text_color, S_setup_a,
                                      S_teardown),
      cmocka_unit_test(test_text_answer_sanitised),
      cmocka_unit_test(test_sanitizer),
      cmocka_unit_test_setup_teardown(test_review_gaps, S_setup_a,
                                      S_teardown),
      cmocka_unit_test_setup_teardown(test_review_no_denervation,
                                      S_setup_helped, S_teardown),
      cmocka_unit_test_setup_teardown(test_review_unsure_ongoing,
                                      S_setup_unsure, S_teardown),
      cmocka_unit_test_setup_teardown(test_review_nothing_tried,
                                      S_setup_none, S_teardown),
      cmocka_unit_test_setup_teardown(test_build_from_input, S_setup_a,
                                      S_teardown),
      cmocka_unit_test_setup_teardown(test_allocation_failures, S_setup_a,
                                      S_teardown),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
