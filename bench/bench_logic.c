/*
** bench_logic.c: JsonLogic evaluations per second (make bench).
**
**   bench_logic CASES.json [SECONDS]  compile the rules of CASES once, into
**                                     one slots table, then evaluate all of
**                                     them on its data in a loop; prints
**                                     evals/s for logic_eval (result as
**                                     cJSON), logic_test, and
**                                     logic_test_frame with the typed path
**                                     on (frame) and off (frame_general).
**                                     The frame is filled from the data
**                                     inside the loop, once per pass over
**                                     the rules, as the outcome does once
**                                     per set of answers. When CASES has
**                                     "pack" (a pack directory), the rules
**                                     are compiled into that pack's slots
**                                     and the data is read as its answers
**                                     (cdg_answers_parse), as the outcome
**                                     and the walker evaluate.
**   bench_logic --per-case CASES.json [SECONDS]
**                                     the same, one rule at a time: per
**                                     rule, ns per logic_test_frame (the
**                                     frame filled once, outside the loop)
**                                     and, once, ns per frame fill, and the
**                                     compiled bytes over the JSON's; with
**                                     BENCH_ITERS=N each rule runs N times
**                                     instead of for SECONDS (for
**                                     callgrind: instructions per eval),
**                                     BENCH_CASE=i times rule i alone
**                                     (fill: the fill alone).
**   bench_logic --eval-lines          the differential oracle's driver: each
**                                     stdin line is RULE<TAB>DATA; prints the
**                                     result as JSON or "ERROR: message", or
**                                     "MISMATCH: ..." when the typed and
**                                     frame paths disagree with it.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cdg_rules.h"
#include "logic.h"
#include "answers.h"
#include "logic_slots.h"
#include "pack.h"
#include "../tests/logic_paths.h"

static double S_now(void) {
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 1 when the paths of logic_paths.h disagree on rule and data. */
static int S_paths(const char *rule, const char *data, char *why, size_t n) {
  cJSON *r = cJSON_Parse(rule), *d = data ? cJSON_Parse(data) : NULL;
  int bad = 0;

  if (r && (d || !data))
    bad = logic_paths_agree(r, d, why, n, NULL) == 0;
  cJSON_Delete(r);
  cJSON_Delete(d);
  return bad;
}

static int S_eval_lines(void) {
  char *line = NULL, *tab, *out, msg[1024];
  size_t cap = 0;
  ssize_t n;
  cdg_error err;

  while ((n = getline(&line, &cap, stdin)) > 0) {
    if (line[n - 1] == '\n')
      line[n - 1] = '\0';
    tab = strchr(line, '\t');
    if (tab)
      *tab++ = '\0';
    if (tab && !*tab)
      tab = NULL; /* no data: null */
    if (S_paths(line, tab, msg, sizeof msg)) {
      printf("MISMATCH: %s\n", msg);
      continue;
    }
    if (cdg_logic_eval_json(line, tab, &out, &err) == CDG_OK) {
      printf("%s\n", out);
      cdg_free(out);
    } else {
      cdg_error_format(&err, msg, sizeof msg);
      printf("ERROR: %s\n", msg);
    }
  }
  free(line);
  return 0;
}

static char *S_slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  long n;

  if (!f)
    return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
      fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) != NULL) {
    if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
      free(buf);
      buf = NULL;
    } else {
      buf[n] = '\0';
    }
  }
  fclose(f);
  return buf;
}

/* Run every rule in turn until seconds have passed; evals per second.
** mode 0: logic_eval; 1: logic_test; 2: fill f, then logic_test_frame. */
static double S_run(logic_expr **ex, int n, const cJSON *data, int mode,
                    logic_frame *f, double seconds) {
  double t0 = S_now(), t;
  unsigned long evals = 0;
  cJSON *res;
  int i, k;

  do {
    for (k = 0; k < 1000; k++) {
      if (mode == 2 && logic_frame_fill(f, data) != CDG_OK)
        return -1;
      for (i = 0; i < n; i++) {
        if (mode == 2) {
          if (logic_test_frame(ex[i], f) < 0)
            return -1;
        } else if (mode == 1) {
          if (logic_test(ex[i], data) < 0)
            return -1;
        } else {
          if (logic_eval(ex[i], data, &res, NULL) != CDG_OK)
            return -1;
          cJSON_Delete(res);
        }
        evals++;
      }
    }
    t = S_now() - t0;
  } while (t < seconds);
  return (double)evals / t;
}

/* ns per logic_test_frame of rule e alone (f filled), or per fill of f
** when e is NULL; iters > 0: exactly that many, else for seconds. */
static double S_one(const logic_expr *e, const cJSON *data, logic_frame *f,
                    double seconds, unsigned long iters) {
  double t0 = S_now(), t;
  unsigned long evals = 0, k;

  if (logic_frame_fill(f, data) != CDG_OK)
    return -1;
  do {
    for (k = 0; k < (iters ? iters : 10000); k++) {
      if (e ? logic_test_frame(e, f) < 0
            : logic_frame_fill(f, data) != CDG_OK)
        return -1;
    }
    evals += k;
    t = S_now() - t0;
  } while (!iters && t < seconds);
  return t * 1e9 / (double)evals;
}

/* --per-case: one line per rule, "case I NS ns COMPILED/JSON bytes RULE"
** (RULE cut short). */
static int S_per_case(logic_expr **ex, const cJSON *rules, int n,
                      const cJSON *data, logic_frame *f, double seconds) {
  const char *it = getenv("BENCH_ITERS"), *only = getenv("BENCH_CASE");
  unsigned long iters = it ? strtoul(it, NULL, 10) : 0;
  const cJSON *r = rules->child;
  char *txt;
  double ns;
  int i;

  if (!only || strcmp(only, "fill") == 0) {
    if ((ns = S_one(NULL, data, f, seconds, iters)) < 0)
      return -1;
    printf("fill %.1f ns\n", ns);
  }
  for (i = 0; i < n; i++, r = r->next) {
    if (only && (strcmp(only, "fill") == 0 || atoi(only) != i))
      continue;
    if ((ns = S_one(ex[i], data, f, seconds, iters)) < 0)
      return -1;
    txt = cJSON_PrintUnformatted(r);
    printf("case %d %.1f ns %zu/%zu bytes %.60s\n", i, ns, logic_size(ex[i]),
           txt ? strlen(txt) : 0, txt ? txt : "");
    cJSON_free(txt);
  }
  return 0;
}

int main(int argc, char **argv) {
  char *text;
  cJSON *cases, *data, *rules, *r;
  logic_expr *ex[64];
  logic_slots *slots = NULL, *own = NULL;
  logic_frame *frame = NULL;
  cdg_pack *pack = NULL;
  cdg_answers *answers = NULL;
  const cJSON *pdir;
  char *dtext;
  double seconds = argc > 2 ? atof(argv[2]) : 2.0, eps, tps, fps, gps;
  int n = 0, i, rc = 1, per_case = 0;
  cdg_error err;

  if (argc > 1 && strcmp(argv[1], "--eval-lines") == 0)
    return S_eval_lines();
  if (argc > 1 && strcmp(argv[1], "--per-case") == 0) {
    per_case = 1;
    argv++;
    argc--;
    seconds = argc > 2 ? atof(argv[2]) : 2.0;
  }
  if (argc < 2) {
    fprintf(stderr, "usage: bench_logic CASES.json [SECONDS] | "
                    "bench_logic --eval-lines\n");
    return 2;
  }
  text = S_slurp(argv[1]);
  cases = text ? cJSON_Parse(text) : NULL;
  free(text);
  data = cJSON_GetObjectItemCaseSensitive(cases, "data");
  rules = cJSON_GetObjectItemCaseSensitive(cases, "rules");
  if (!cJSON_IsArray(rules)) {
    fprintf(stderr, "bench_logic: cannot read %s\n", argv[1]);
    cJSON_Delete(cases);
    return 1;
  }
  pdir = cJSON_GetObjectItemCaseSensitive(cases, "pack");
  if (cJSON_IsString(pdir)) {
    dtext = cJSON_PrintUnformatted(data);
    if (cdg_pack_load_dir(pdir->valuestring, &pack, &err) != CDG_OK ||
        !dtext ||
        cdg_answers_parse(pack, dtext, strlen(dtext), "data", &answers,
                          &err) != CDG_OK) {
      fprintf(stderr, "bench_logic: %s: %s\n", pdir->valuestring,
              err.message);
      cJSON_free(dtext);
      goto out;
    }
    cJSON_free(dtext);
    data = (cJSON *)answers_data(answers); /* read only */
    slots = pack->slots;
  } else if (!(slots = own = logic_slots_create())) {
    fprintf(stderr, "bench_logic: out of memory\n");
    goto out;
  }
  cJSON_ArrayForEach(r, rules) {
    if (n == 64 || logic_compile_in(r, slots, 0, &ex[n], &err) != CDG_OK) {
      fprintf(stderr, "bench_logic: rule %d: %s\n", n, err.message);
      goto out;
    }
    n++;
  }
  if (!(frame = logic_frame_create(slots))) {
    fprintf(stderr, "bench_logic: out of memory\n");
    goto out;
  }
  if (per_case) {
    rc = S_per_case(ex, rules, n, data, frame, seconds) < 0;
    if (rc)
      fprintf(stderr, "bench_logic: evaluation failed\n");
    goto out;
  }
  eps = S_run(ex, n, data, 0, NULL, seconds);
  tps = S_run(ex, n, data, 1, NULL, seconds);
  fps = S_run(ex, n, data, 2, frame, seconds);
  logic_frame_set_fast(frame, 0);
  gps = S_run(ex, n, data, 2, frame, seconds);
  if (eps < 0 || tps < 0 || fps < 0 || gps < 0) {
    fprintf(stderr, "bench_logic: evaluation failed\n");
    goto out;
  }
  printf("c logic_eval %.0f evals/s\n", eps);
  printf("c logic_test %.0f evals/s\n", tps);
  printf("c logic_test_frame %.0f evals/s\n", fps);
  printf("c logic_test_frame_general %.0f evals/s\n", gps);
  rc = 0;
out:
  for (i = 0; i < n; i++)
    logic_free(ex[i]);
  logic_frame_free(frame);
  logic_slots_free(own);
  cdg_answers_free(answers);
  cdg_pack_free(pack);
  cJSON_Delete(cases);
  return rc;
}
