/* journal_scan.c: journal lines known without the general JSON parser:
** events of the writer's fixed shape (journal_scan.h), and whether a text
** is a journal at all (journal_sniff, journal.h). */
#include <string.h>

#include "journal.h"
#include "journal_scan.h"

/* Strings longer than this take the general path: answers are short. */
#define S_MAX_STRING 255

typedef struct S_in {
  const char *s;
  size_t n, i;
} S_in;

/* The literal lit next. */
static int S_lit(S_in *in, const char *lit) {
  size_t m = strlen(lit);

  if (in->n - in->i < m || memcmp(in->s + in->i, lit, m) != 0)
    return 0;
  in->i += m;
  return 1;
}

/* A string of printable ASCII without '"' or '\\' next, copied into buf
** (S_MAX_STRING + 1 bytes) with its NUL: JSON reads it as these bytes. */
static int S_string(S_in *in, char *buf) {
  size_t k;

  if (in->i >= in->n || in->s[in->i] != '"')
    return 0;
  for (k = in->i + 1; k < in->n && in->s[k] != '"'; k++)
    if (in->s[k] < 0x20 || in->s[k] > 0x7E || in->s[k] == '\\')
      return 0;
  if (k >= in->n || k - in->i - 1 > S_MAX_STRING)
    return 0;
  memcpy(buf, in->s + in->i + 1, k - in->i - 1);
  buf[k - in->i - 1] = '\0';
  in->i = k + 1;
  return 1;
}

/* A sequence number: 1 to 15 digits, no leading zero (exact as double). */
static int S_seq(S_in *in, double *v) {
  size_t k = in->i;

  *v = 0;
  if (k >= in->n || in->s[k] < '1' || in->s[k] > '9')
    return 0;
  for (; k < in->n && in->s[k] >= '0' && in->s[k] <= '9'; k++) {
    if (k - in->i >= 15)
      return 0;
    *v = *v * 10 + (in->s[k] - '0');
  }
  in->i = k;
  return 1;
}

/* Add item to o as the constant key (a literal, never freed); on failure
** item is freed. 0 or -1. */
static int S_add(cJSON *o, const char *key, cJSON *item) {
  if (o && item && cJSON_AddItemToObjectCS(o, key, item))
    return 0;
  cJSON_Delete(item);
  return -1;
}

/* The answer next: a string, or a list of strings. 1 with *out (NULL when
** out of memory, *nomem set), 0 when it is neither. */
static int S_answer(S_in *in, cJSON **out, int *nomem) {
  char buf[S_MAX_STRING + 1];
  cJSON *a, *c;

  *out = NULL;
  if (S_string(in, buf)) {
    *nomem = !(*out = cJSON_CreateString(buf));
    return 1;
  }
  if (!S_lit(in, "["))
    return 0;
  if (!(a = cJSON_CreateArray())) {
    *nomem = 1;
    return 1;
  }
  for (;;) {
    if (!S_string(in, buf)) {
      cJSON_Delete(a);
      return 0;
    }
    if (!(c = cJSON_CreateString(buf)) || !cJSON_AddItemToArray(a, c)) {
      cJSON_Delete(c);
      cJSON_Delete(a);
      *nomem = 1;
      return 1;
    }
    if (S_lit(in, "]"))
      break;
    if (!S_lit(in, ",")) {
      cJSON_Delete(a);
      return 0;
    }
  }
  *out = a;
  return 1;
}

cJSON *journal_scan_line(const char *s, size_t n, int *nomem) {
  S_in in = {s, n, 0};
  char time[S_MAX_STRING + 1], event[S_MAX_STRING + 1];
  char question[S_MAX_STRING + 1];
  cJSON *ev, *answer = NULL;
  int has_q = 0, has_a = 0;
  double seq;

  *nomem = 0;
  if (!S_lit(&in, "{\"seq\":") || !S_seq(&in, &seq) ||
      !S_lit(&in, ",\"time\":") || !S_string(&in, time) ||
      !S_lit(&in, ",\"event\":") || !S_string(&in, event))
    return NULL;
  if (S_lit(&in, ",\"question\":") && !(has_q = S_string(&in, question)))
    return NULL;
  if (S_lit(&in, ",\"answer\":") && !(has_a = S_answer(&in, &answer, nomem)))
    return NULL;
  if (*nomem)
    return NULL;
  if (!S_lit(&in, "}") || in.i != n) {
    cJSON_Delete(answer);
    return NULL;
  }
  /* Keys as constants (no copy of each): a long resume makes this for
  ** every line. */
  if (!(ev = cJSON_CreateObject()) ||
      S_add(ev, "seq", cJSON_CreateNumber(seq)) != 0 ||
      S_add(ev, "time", cJSON_CreateString(time)) != 0 ||
      S_add(ev, "event", cJSON_CreateString(event)) != 0 ||
      (has_q && S_add(ev, "question", cJSON_CreateString(question)) != 0)) {
    cJSON_Delete(answer);
    cJSON_Delete(ev);
    *nomem = 1;
    return NULL;
  }
  if (has_a && S_add(ev, "answer", answer) != 0) { /* S_add freed it */
    cJSON_Delete(ev);
    *nomem = 1;
    return NULL;
  }
  return ev;
}

/* Whether the n bytes at s hold the k bytes at w (memmem is a GNU
** extension). */
static int S_contains(const char *s, size_t n, const char *w, size_t k) {
  size_t i;

  for (i = 0; i + k <= n; i++)
    if (s[i] == w[0] && memcmp(s + i, w, k) == 0)
      return 1;
  return 0;
}

int journal_sniff(const char *text, size_t len) {
  const char *nl = memchr(text, '\n', len);
  cJSON *ev, *f;
  int yes;

  /* The file of a crash in its first write: a prefix of the first line
  ** as the writer starts it. */
  static const char head[] = "{\"seq\":1,";
  size_t h = sizeof head - 1;

  /* What the writer writes, known without parsing, so without memory:
  ** out of memory, a journal must not be taken for something else. */
  static const char mark[] = "\"event\":\"started\",\"cdguide_session\":2,";

  if (!nl && len > 0 && memcmp(text, head, len < h ? len : h) == 0)
    return 1;
  if (nl)
    len = (size_t)(nl - text);
  if (len > h && memcmp(text, head, h) == 0 &&
      S_contains(text, len, mark, sizeof mark - 1))
    return 1;
  if (len < 2 || text[0] != '{' || !(ev = cJSON_ParseWithLength(text, len)))
    return 0;
  f = cJSON_GetObjectItemCaseSensitive(ev, "cdguide_session");
  yes = cJSON_IsNumber(f) && f->valuedouble == JOURNAL_FORMAT &&
        cJSON_IsString(cJSON_GetObjectItemCaseSensitive(ev, "event"));
  cJSON_Delete(ev);
  return yes;
}
