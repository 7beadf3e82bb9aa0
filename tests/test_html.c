/*
** test_html.c: the HTML writer (cli/html.c), on the built-in pack, its
** fourteen cases and a pack of hostile texts (allocation failure and a
** full disk: test_html_failures.c).
**
** Expected values come from outside the writer: the passage ids of each
** case from the tests/cases .expect files (checked by hand), the passage texts
** from the passage store, the treatments from the answers file read here
** with cJSON, the labels from the pack, and the HTML escaping written
** again below. tests/html/render.sh renders the same pages in Chromium.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "html.h"
#include "report.h"
#include "testfile.h"
#include "fixture.h"

#define NOTICE                                                              \
  "This report points to passages of published guidance. It does not "     \
  "make a clinical decision."
#define SOURCE_SHA256                                                       \
  "25a7936f8257a0ff7bbdcd9daa319262c0ea914c94d5bbe64bf2968c2801b20d"
#define DATE "2026-01-31T09:00:00Z"

/* The shipped pack's recap, in its order: the treatment codes. */
static const char *const S_treatments[] = {"physiotherapy", "spasm_drugs",
                                           "botulinum_toxin",
                                           "brain_surgery"};

static const char *const S_cases[] = {
    "case-01-adult-botox-not-helped",
    "case-02-adult-nothing-tried",
    "case-03-adult-all-helping",
    "case-04-adult-physio-side-effects",
    "case-05-child-physio-helped",
    "case-06-adult-posture-not-sure-drugs-not-helped",
    "case-07-adult-several-postures",
    "case-08-adult-ongoing-only",
    "case-09-adult-partly-helped-only",
    "case-10-adult-mixed",
    "case-11-adult-brain-surgery-stopped",
    "case-12-child-none-posture-not-sure",
    "case-13-child-botox-not-helped",
    "case-14-adult-all-not-sure"};

typedef struct fixture {
  cdg_pack *pack;
  cdg_passages *ps;
} fixture;

static int S_setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  cdg_error err;

  assert_non_null(f);
  assert_int_equal(fixture_pack1(&f->pack, &err), CDG_OK);
  assert_int_equal(cdg_passages_builtin(&f->ps, &err), CDG_OK);
  *state = f;
  return 0;
}

/* The source text of the guidance, normalised (S_source_pos). */
static char *S_source;

static int S_teardown(void **state) {
  fixture *f = *state;

  free(S_source);
  S_source = NULL;
  cdg_pack_free(f->pack);
  cdg_passages_free(f->ps);
  free(f);
  return 0;
}

/* ---- Helpers ------------------------------------------------------- */

/* s escaped as HTML text, written here again: & < > " '. Caller frees. */
static char *S_esc(const char *s) {
  char *out = malloc(strlen(s) * 6 + 1), *o = out;

  assert_non_null(out);
  for (; *s; s++) {
    const char *e = *s == '&'    ? "&amp;"
                    : *s == '<'  ? "&lt;"
                    : *s == '>'  ? "&gt;"
                    : *s == '"'  ? "&quot;"
                    : *s == '\'' ? "&#39;"
                                 : NULL;

    if (e) {
      strcpy(o, e);
      o += strlen(e);
    } else {
      *o++ = *s;
    }
  }
  *o = '\0';
  return out;
}

/* printf into a new string. Caller frees. */
static char *S_fmt(const char *fmt, ...) {
  va_list ap;
  char *s;
  int n;

  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  assert_true(n >= 0);
  assert_non_null(s = malloc((size_t)n + 1));
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

/* Position of needle in html at or after from, failing when absent. */
static size_t S_find(const char *html, size_t from, const char *needle,
                     const char *what) {
  const char *p = strstr(html + from, needle);

  if (!p)
    fail_msg("%s: missing \"%s\"", what, needle);
  return (size_t)(p - html);
}

static size_t S_count(const char *html, const char *needle) {
  size_t n = 0;
  const char *p = html;

  while ((p = strstr(p, needle)) != NULL) {
    n++;
    p += strlen(needle);
  }
  return n;
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

static const char *S_qtext(const cdg_pack *pack, const char *qid) {
  const cdg_question *q = cdg_pack_find_question(pack, qid);

  assert_non_null(q);
  return cdg_question_text(q);
}

/* The page of answers (JSON text) to pack, recorded at date; writer must
** return 0. Caller frees. */
static char *S_page(const cdg_pack *pack, const cdg_passages *ps,
                    const char *answers, const char *date) {
  cdg_answers *a = NULL;
  cdg_report *d = NULL;
  report_input in;
  cdg_error err;
  char *buf = NULL;
  size_t len = 0;
  FILE *m;

  if (cdg_answers_parse(pack, answers, strlen(answers), "answers.json", &a,
                        &err) != CDG_OK)
    fail_msg("answers do not parse: %s", err.message);
  memset(&in, 0, sizeof in);
  in.pack = pack;
  in.ps = ps;
  in.answers = a;
  in.date = date;
  assert_int_equal(report_build(&in, &d), 0);
  assert_non_null(m = open_memstream(&buf, &len));
  assert_int_equal(html_write(m, d), 0);
  assert_int_equal(fclose(m), 0);
  assert_int_equal(strlen(buf), len); /* no NUL byte in the page */
  cdg_report_free(d);
  cdg_answers_free(a);
  return buf;
}

/*
** What a page may hold: only these elements and attributes, so nothing
** runs or loads (no script, link, img, iframe, object, base, form, no
** src, href or on... attribute), and a style sheet that imports nothing.
** Text cannot open a tag: every '<' starts one of ours.
*/
static void S_self_contained(const char *html, const char *what) {
  static const char *const tags[] = {
      "!DOCTYPE", "html", "head", "meta", "title", "style", "body",
      "header", "h1", "small", "p", "dl", "dt", "dd", "section", "div",
      "strong", "ul", "li", "table", "caption", "thead", "tbody", "tr", "th",
      "td", "span", "em", "b", "h2", "h3", "blockquote", "time", "footer",
      NULL};
  static const char *const attrs[] = {"lang", "charset", "http-equiv",
                                      "content", "name", "class", "role",
                                      "scope", "datetime", NULL};
  const char *p = html, *css, *end;
  char name[32];
  size_t i, n;

  while ((p = strchr(p, '<')) != NULL) {
    p += p[1] == '/' ? 2 : 1;
    for (n = 0; p[n] && p[n] != ' ' && p[n] != '>' && n < sizeof name - 1;
         n++)
      name[n] = p[n];
    name[n] = '\0';
    for (i = 0; tags[i] && strcmp(tags[i], name) != 0; i++)
      ;
    if (!tags[i])
      fail_msg("%s: element <%s>", what, name);
    p += n;
    /* Attributes: name="value" or the doctype's bare word. */
    while (*p == ' ') {
      p++;
      for (n = 0; p[n] && p[n] != '=' && p[n] != '>' && p[n] != ' ' &&
                  n < sizeof name - 1;
           n++)
        name[n] = p[n];
      name[n] = '\0';
      p += n;
      if (strcmp(name, "html") == 0 && *p == '>')
        break;
      for (i = 0; attrs[i] && strcmp(attrs[i], name) != 0; i++)
        ;
      if (!attrs[i] || *p != '=' || p[1] != '"')
        fail_msg("%s: attribute \"%s\"", what, name);
      if (!(p = strchr(p + 2, '"')))
        fail_msg("%s: unclosed attribute", what);
      p++;
    }
    if (*p != '>')
      fail_msg("%s: malformed tag at \"%.20s\"", what, p);
  }
  assert_int_equal(strncmp(html, "<!DOCTYPE html>\n<html lang=\"en\">\n", 33),
                   0);
  assert_int_equal(S_count(html, "<style>"), 1);
  css = S_find(html, 0, "<style>", what) + html;
  end = S_find(html, 0, "</style>", what) + html;
  for (p = css; p < end; p++)
    if (strncmp(p, "url(", 4) == 0 ||
        (*p == '@' && strncmp(p, "@page", 5) != 0 &&
         strncmp(p, "@media", 6) != 0))
      fail_msg("%s: style sheet holds \"%.12s\"", what, p);
  S_find(html, 0,
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
         "'none'; style-src 'unsafe-inline';",
         what);
  S_find(html, 0, "<meta charset=\"utf-8\">", what);
  S_find(html, 0, "<title>cdguide report: ", what);
  S_find(html, 0, "@page{size:A4;", what);
  S_find(html, 0, "@media print{", what);
  assert_int_equal(S_count(html, "</html>"), 1);
}

/* The passages of a case's .expect, one id a line, as a NULL-ended
** array of strings inside *buf. Caller frees both. */
static char **S_expect(const char *name, char **buf) {
  char path[512], **ids, *p;
  size_t n = 0;

  snprintf(path, sizeof path, "%s/tests/cases/%s.expect", CDG_SOURCE_DIR,
           name);
  *buf = testfile_read(path, NULL);
  assert_non_null(ids = calloc(64, sizeof *ids));
  for (p = strtok(*buf, "\n"); p && n < 63; p = strtok(NULL, "\n"))
    if (*p)
      ids[n++] = p;
  return ids;
}

/* s with every run of white space (space, tab, LF, CR, U+00A0) one
** space. Caller frees. */
static char *S_norm(const char *s) {
  char *out = malloc(strlen(s) + 1);
  size_t n = 0;
  int space = 0;

  assert_non_null(out);
  while (*s) {
    if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' ||
        ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)) {
      space = 1;
      s += (unsigned char)*s == 0xC2 ? 2 : 1;
      continue;
    }
    if (space && n > 0)
      out[n++] = ' ';
    space = 0;
    out[n++] = *s++;
  }
  out[n] = '\0';
  return out;
}

/* Where passage text t is in the source text of the guidance, white
** space aside. */
static size_t S_source_pos(const char *t) {
  char *nt = S_norm(t);
  const char *hit;

  if (!S_source) {
    char path[512], *raw;

    snprintf(path, sizeof path,
             "%s/content/nice-ipg-spd-cervical-dystonia.txt", CDG_SOURCE_DIR);
    raw = testfile_read(path, NULL);
    S_source = S_norm(raw);
    free(raw);
  }
  if (!(hit = strstr(S_source, nt)))
    fail_msg("passage not in the source: %s", nt);
  free(nt);
  return (size_t)(hit - S_source);
}

/* ---- Tests ---------------------------------------------------------- */

/*
** Each case: a self-contained page; the notice first and last; exactly
** the expected passages, in their order, each verbatim (escaped) in a
** blockquote beside its id; the treatment table as the answers file says.
*/
static void test_cases(void **state) {
  const fixture *f = *state;
  size_t c;

  for (c = 0; c < sizeof S_cases / sizeof *S_cases; c++) {
    char path[512], *answers, *html, *buf, **ids;
    cJSON *root, *tried;
    size_t i, at, n, pos[64], src[64];
    int closing[64];

    snprintf(path, sizeof path, "%s/tests/cases/%s.answers.json",
             CDG_SOURCE_DIR, S_cases[c]);
    answers = testfile_read(path, NULL);
    html = S_page(f->pack, f->ps, answers, DATE);
    S_self_contained(html, S_cases[c]);

    at = S_find(html, 0, "<p class=\"notice\" role=\"note\">" NOTICE "</p>",
                S_cases[c]);
    assert_true(at < S_find(html, 0, "<h2>Answers</h2>", S_cases[c]));
    S_find(html, 0, "<footer>\n<p><strong>Notice.</strong> " NOTICE "</p>",
           S_cases[c]);
    S_find(html, 0, "<dd class=\"hash\">" SOURCE_SHA256 "</dd>", S_cases[c]);
    S_find(html, 0, "<dd>cervical-dystonia 1.0.0</dd>", S_cases[c]);
    S_find(html, 0, "<dd>cdguide " CDG_VERSION "</dd>", S_cases[c]);
    S_find(html, 0,
           "<time datetime=\"" DATE "\">2026-01-31 09:00:00 UTC</time>",
           S_cases[c]);
    S_find(html, 0, "Complete: every required question", S_cases[c]);

    /* The passages of the .expect, nothing else quoted, in report order:
    ** source order, the closing section ("Your responsibility") last. */
    ids = S_expect(S_cases[c], &buf);
    for (i = 0; ids[i]; i++) {
      long p = cdg_passages_find(f->ps, ids[i]);
      char *esc, *want;
      size_t h;

      assert_true(p >= 0);
      esc = S_esc(cdg_passage_text(f->ps, (size_t)p));
      want = S_fmt("<p class=\"pid\">%s</p><blockquote><p>%s</p>"
                   "</blockquote>",
                   ids[i], esc);
      pos[i] = S_find(html, 0, want, S_cases[c]);
      free(want);
      free(esc);
      src[i] = S_source_pos(cdg_passage_text(f->ps, (size_t)p));
      closing[i] = strcmp(cdg_passage_section(f->ps, (size_t)p),
                          "Your responsibility") == 0;
      /* Its section heading comes before it. */
      esc = S_esc(cdg_passage_section(f->ps, (size_t)p));
      want = S_fmt("<h3>%s</h3>", esc);
      h = S_find(html, 0, want, S_cases[c]);
      assert_true(h < pos[i]);
      free(want);
      free(esc);
    }
    assert_int_equal(S_count(html, "<blockquote>"), i);
    for (n = 0; n < i; n++)
      for (at = 0; at < i; at++)
        if (pos[n] < pos[at] && (closing[n] > closing[at] ||
                                 (closing[n] == closing[at] &&
                                  src[n] > src[at])))
          fail_msg("%s: %s before %s", S_cases[c], ids[n], ids[at]);
    free(ids);
    free(buf);

    /* The treatment table, from the answers file. */
    assert_non_null(root = cJSON_Parse(answers));
    tried = cJSON_GetObjectItem(root, "treatments_tried");
    at = S_find(html, 0,
                "<thead><tr><th scope=\"col\">Treatment</th><th "
                "scope=\"col\">Tried</th><th scope=\"col\">Outcome</th>"
                "</tr></thead>",
                S_cases[c]);
    for (n = 0; n < sizeof S_treatments / sizeof *S_treatments; n++) {
      const char *code = S_treatments[n];
      char key[64], *label, *want, *ol = NULL;
      const cJSON *t, *o;
      int yes = 0;

      cJSON_ArrayForEach(t, tried) yes |= strcmp(t->valuestring, code) == 0;
      snprintf(key, sizeof key, "outcome_%s", code);
      o = cJSON_GetObjectItem(root, key);
      label = S_esc(S_label(f->pack, "treatments_tried", code));
      if (yes && o) {
        ol = S_esc(S_label(f->pack, key, o->valuestring));
        want = S_fmt("<tr><th scope=\"row\">%s</th><td>yes</td><td>%s%s"
                     "</td></tr>",
                     label, ol,
                     strcmp(o->valuestring, "not_sure") == 0 ||
                             strcmp(o->valuestring, "ongoing") == 0
                         ? " <span class=\"nr\">(no outcome recorded "
                           "yet)</span>"
                         : "");
      } else if (yes) {
        want = S_fmt("<tr><th scope=\"row\">%s</th><td>yes</td><td><span "
                     "class=\"nr\">not recorded</span></td></tr>",
                     label);
      } else {
        want = S_fmt("<tr><th scope=\"row\">%s</th><td>no</td><td><span "
                     "class=\"nt\">(not tried)</span></td></tr>",
                     label);
      }
      at = S_find(html, at, want, S_cases[c]);
      free(want);
      free(label);
      free(ol);
    }
    cJSON_Delete(root);
    free(html);
    free(answers);
  }
}

/* Case 1: the answers that made the denervation rule fire follow its
** passages, and each answer is in the Answers table in the question's
** words. */
static void test_why(void **state) {
  const fixture *f = *state;
  char path[512], *answers, *html, *q, *want;
  size_t at, end;

  snprintf(path, sizeof path,
           "%s/tests/cases/case-01-adult-botox-not-helped.answers.json",
           CDG_SOURCE_DIR);
  answers = testfile_read(path, NULL);
  html = S_page(f->pack, f->ps, answers, DATE);
  q = S_esc(S_qtext(f->pack, "outcome_botulinum_toxin"));
  want = S_fmt("<li>%s <b>%s</b></li>", q,
               S_label(f->pack, "outcome_botulinum_toxin", "not_helped"));
  at = S_find(html, 0, "<p class=\"pid\">spd-varies</p>", "case 1");
  end = S_find(html, at, "</ul>", "case 1");
  assert_true(S_find(html, at, want, "case 1") < end);
  /* spd-what-it-is, -anaesthetic and -varies share section and rule. */
  S_find(html, at, "<li>These 3 passages are cited because: ", "case 1");
  S_find(html, at, "(rule treatment-not-helped-or-stopped)", "case 1");
  free(want);
  want = S_fmt("<tr><th scope=\"row\">%s</th><td>%s</td></tr>", q,
               S_label(f->pack, "outcome_botulinum_toxin", "not_helped"));
  S_find(html, 0, want, "case 1");
  S_find(html, 0,
         "<thead><tr><th scope=\"col\">Question</th><th scope=\"col\">"
         "Answer</th></tr></thead>",
         "case 1");
  assert_int_equal(S_count(html, "<caption>"), 2);
  free(want);
  free(q);
  free(html);
  free(answers);
}

/* A history with no treatment answered: every treatment "not recorded",
** never "no", and the missing questions named. */
static void test_not_recorded(void **state) {
  const fixture *f = *state;
  char *html = S_page(f->pack, f->ps, "{\"posture\": [\"torticollis\"]}",
                      DATE);
  const char *missing[] = {"age_group", "duration", "treatments_tried"};
  size_t i, at;

  S_self_contained(html, "partial");
  at = S_find(html, 0, "<strong>Incomplete:</strong> 3 required questions "
                       "are not answered:",
              "partial");
  for (i = 0; i < sizeof missing / sizeof *missing; i++) {
    char *t = S_esc(S_qtext(f->pack, missing[i]));
    char *want = S_fmt("<li>%s <span class=\"hash\">(%s)</span></li>", t,
                       missing[i]);

    at = S_find(html, at, want, "partial");
    free(want);
    free(t);
  }
  assert_null(strstr(html, "Complete: every"));
  for (i = 0; i < sizeof S_treatments / sizeof *S_treatments; i++) {
    char *label = S_esc(S_label(f->pack, "treatments_tried",
                                S_treatments[i]));
    char *want = S_fmt("<tr><th scope=\"row\">%s</th><td><span class=\"nr\">"
                       "not recorded</span></td><td><span class=\"nr\">not "
                       "recorded</span></td></tr>",
                       label);

    S_find(html, 0, want, "partial");
    free(want);
    free(label);
  }
  assert_null(strstr(html, "<td>no</td>"));
  assert_null(strstr(html, "(not tried)"));
  free(html);
}

/* A pack whose texts try markup, entities, escape sequences and a bidi
** override, and a text answer that does the same. */
static const char S_hostile_pack[] =
    "{\"id\": \"hostile\", \"version\": \"0.0.1\","
    " \"title\": \"<b>Bold</b> & 'quoted' \\\"title\\\"\","
    " \"source\": {\"title\": \"Selective peripheral denervation for "
    "cervical dystonia\", \"publisher\": \"NICE\", \"sha256\": \"" SOURCE_SHA256
    "\"},"
    " \"questions\": [{\"id\": \"note\", \"type\": \"text\","
    " \"text\": \"Anything \\u001b[31m<i>else</i>\\u0007?\","
    " \"required\": false},"
    " {\"id\": \"years\", \"type\": \"number\", \"text\": \"Years?\","
    " \"required\": true, \"min\": 0, \"max\": 90}],"
    " \"rules\": [{\"id\": \"always\", \"when\": {\"!!\": [{\"var\": "
    "\"note\"}]},"
    " \"cite\": [\"cd-what-it-is\"],"
    " \"because\": \"Always </li><script>x()</script> \\u202eshown.\"}]}";

static void test_hostile(void **state) {
  cdg_pack *pack = NULL;
  cdg_error err;
  char *html;
  const char answers[] =
      "{\"note\": \"<script>alert('x')</script> & \\\"q\\\"\\t"
      "\\u202ertl \\u2066iso <img src=http://x/>\"}";
  const fixture *f = *state;

  if (cdg_pack_load(S_hostile_pack, strlen(S_hostile_pack), "pack.json",
                    &pack, &err) != CDG_OK)
    fail_msg("pack does not load: %s", err.message);
  html = S_page(pack, f->ps, answers, "<not a date>");
  S_self_contained(html, "hostile");
  S_find(html, 0,
         "<td>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
         "&quot;q&quot; ",
         "hostile");
  S_find(html, 0, "&lt;img src=http://x/&gt;", "hostile") ;
  S_find(html, 0,
         "<title>cdguide report: &lt;b&gt;Bold&lt;/b&gt; &amp; "
         "&#39;quoted&#39; &quot;title&quot;, answers of &lt;not a "
         "date&gt;</title>",
         "hostile");
  S_find(html, 0, "<dd>&lt;not a date&gt;</dd>", "hostile");
  S_find(html, 0, "Always &lt;/li&gt;&lt;script&gt;x()&lt;/script&gt; ",
         "hostile");
  S_find(html, 0, "&lt;i&gt;else&lt;/i&gt;", "hostile");
  /* No control character but the page's own newlines; no bidi format
  ** character (U+202A-E, U+2066-9 start E2 80 AA-AE, E2 81 A6-A9). */
  {
    const unsigned char *p;

    for (p = (const unsigned char *)html; *p; p++) {
      assert_false(*p < 0x20 && *p != '\n');
      assert_false(*p == 0x7F);
      if (p[0] == 0xE2 && p[1] == 0x80)
        assert_false(p[2] >= 0xAA && p[2] <= 0xAE);
      if (p[0] == 0xE2 && p[1] == 0x81)
        assert_false(p[2] >= 0xA6 && p[2] <= 0xA9);
    }
  }
  /* The number question is missing: named, with its id. */
  S_find(html, 0, "<li>Years? <span class=\"hash\">(years)</span></li>",
         "hostile");
  /* No recap in this pack. */
  S_find(html, 0, "This pack records no standard treatments.", "hostile");
  free(html);
  cdg_pack_free(pack);
}

/* With the session's history, the first answer's and the last change's
** times; a time in another form is shown as it is, escaped. */
static void test_history(void **state) {
  const fixture *f = *state;
  const cdg_report_event ev[] = {
      {"2026-01-30T08:15:00Z", "answer", "posture", "[\"torticollis\"]"},
      {"2026-01-30T08:16:00Z", "back", NULL, NULL},
      {"yesterday <noon>", "answer", "age_group", "\"adult\""}};
  cdg_answers *a = NULL;
  cdg_report *d = NULL;
  report_input in;
  cdg_error err;
  char *buf = NULL;
  size_t len = 0;
  FILE *m;
  const char answers[] = "{\"posture\": [\"torticollis\"]}";

  assert_int_equal(cdg_answers_parse(f->pack, answers, strlen(answers),
                                     "a.json", &a, &err),
                   CDG_OK);
  memset(&in, 0, sizeof in);
  in.pack = f->pack;
  in.ps = f->ps;
  in.answers = a;
  in.date = DATE;
  in.history = ev;
  in.nhistory = 3;
  assert_int_equal(report_build(&in, &d), 0);
  assert_non_null(m = open_memstream(&buf, &len));
  assert_int_equal(html_write(m, d), 0);
  assert_int_equal(fclose(m), 0);
  S_find(buf, 0,
         "<dt>First answer</dt><dd><time datetime=\"2026-01-30T08:15:00Z\">"
         "2026-01-30 08:15:00 UTC</time></dd>\n<dt>Last change</dt><dd>"
         "yesterday &lt;noon&gt;</dd>",
         "history");
  free(buf);
  cdg_report_free(d);
  cdg_answers_free(a);
}

/* s with the five entities of S_esc undone. Caller frees. */
static char *S_unesc(const char *s, size_t n) {
  static const char *const ents[][2] = {{"&amp;", "&"}, {"&lt;", "<"},
                                        {"&gt;", ">"},  {"&quot;", "\""},
                                        {"&#39;", "'"}};
  char *out = malloc(n + 1), *o = out;
  size_t i = 0, e;

  assert_non_null(out);
  while (i < n) {
    for (e = 0; e < 5; e++)
      if (strncmp(s + i, ents[e][0], strlen(ents[e][0])) == 0)
        break;
    if (e < 5) {
      *o++ = ents[e][1][0];
      i += strlen(ents[e][0]);
    } else {
      *o++ = s[i++];
    }
  }
  *o = '\0';
  return out;
}

/*
** The second, invented pack (tests/fixtures/recap), with ids of its own:
** its recap in its order, a number and a text answer, every quoted text a
** verbatim part of the source, its closing section last.
*/
static void test_recap_pack(void **state) {
  const fixture *f = *state;
  const char answers[] =
      "{\"head_turn\": [\"leftwards\", \"rightwards\"],"
      " \"patient_band\": \"young\","
      " \"therapies\": [\"stretching\", \"injections\"],"
      " \"result_stretching\": \"quit_side_effects\","
      " \"result_injections\": \"too_early\","
      " \"pain_score\": 6, \"remarks\": \"Worse in the evening\"}";
  char dir[512], *html, *want, *label;
  const char *p, *last_h3 = NULL;
  cdg_pack *pack = NULL;
  cdg_error err;
  size_t at, quotes = 0;

  snprintf(dir, sizeof dir, "%s/tests/fixtures/recap", CDG_SOURCE_DIR);
  if (cdg_pack_load_dir(dir, &pack, &err) != CDG_OK)
    fail_msg("recap pack does not load: %s", err.message);
  html = S_page(pack, f->ps, answers, DATE);
  S_self_contained(html, "recap");
  S_find(html, 0, "<p class=\"notice\" role=\"note\">" NOTICE, "recap");

  label = S_esc(S_label(pack, "therapies", "injections"));
  want = S_fmt("<tr><th scope=\"row\">%s</th><td>yes</td><td>%s <span "
               "class=\"nr\">(no outcome recorded yet)</span></td></tr>",
               label, S_label(pack, "result_injections", "too_early"));
  at = S_find(html, 0, want, "recap");
  free(want);
  free(label);
  label = S_esc(S_label(pack, "therapies", "stretching"));
  want = S_fmt("<tr><th scope=\"row\">%s</th><td>yes</td><td>%s</td></tr>",
               label, S_label(pack, "result_stretching", "quit_side_effects"));
  at = S_find(html, at, want, "recap");
  free(want);
  free(label);
  label = S_esc(S_label(pack, "therapies", "tablets"));
  want = S_fmt("<tr><th scope=\"row\">%s</th><td>no</td><td><span "
               "class=\"nt\">(not tried)</span></td></tr>",
               label);
  S_find(html, at, want, "recap");
  free(want);
  free(label);
  S_find(html, 0, "</th><td>6</td></tr>", "recap");
  S_find(html, 0, "</th><td>Worse in the evening</td></tr>", "recap");

  for (p = html; (p = strstr(p, "<blockquote><p>")) != NULL; p++) {
    const char *end = strstr(p, "</p></blockquote>");
    char *text;

    assert_non_null(end);
    text = S_unesc(p + 15, (size_t)(end - p - 15));
    S_source_pos(text); /* fails unless verbatim */
    free(text);
    quotes++;
  }
  assert_true(quotes > 0);
  for (p = html; (p = strstr(p, "<h3>")) != NULL; p++)
    last_h3 = p;
  assert_non_null(last_h3);
  assert_int_equal(strncmp(last_h3, "<h3>Coding</h3>", 15), 0);
  free(html);
  cdg_pack_free(pack);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cases),
      cmocka_unit_test(test_why),
      cmocka_unit_test(test_not_recorded),
      cmocka_unit_test(test_hostile),
      cmocka_unit_test(test_history),
      cmocka_unit_test(test_recap_pack),
  };

  return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
