/*
** bench_check.c: load + symbolic check (cdg_lint_run) of connected packs
** of 1k, 10k and 100k questions, against a bare cJSON parse of the same
** text, and the built-in pack.
**
** Usage: bench_check OUTDIR [SEED [MAXQ]]: sizes up to MAXQ questions
** (default 100000). Each question's enable_when reads one
** to three of the twenty before it (fan-in), every 50th question is a hub
** that the next hundred may read too (fan-out); types are single, multi
** and number; rules read two to four questions each. The seed varies the
** shape. Each size runs in a child process, so its max RSS is its own.
** Targets (issue 12): load + check within 5x of the parse (aim 3x), cost
** per question at 100k within 1.3x of 1k, max RSS at most 10x the file.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cdg_base.h"
#include "cdg_rules.h"

static unsigned long S_seed;

static unsigned S_rand(unsigned n) {
  S_seed = S_seed * 6364136223846793005UL + 1442695040888963407UL;
  return (unsigned)((S_seed >> 33) % n);
}

static double S_now(void) {
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int S_type[1];

/* An atom reading question j of type t. */
static void S_atom(FILE *f, size_t j, int t) {
  (void)S_type;
  if (t == 0)
    fprintf(f, "{\"==\":[{\"var\":\"q%zu\"},\"o%u\"]}", j, S_rand(3));
  else if (t == 1)
    fprintf(f, "{\"in\":[\"o%u\",{\"var\":\"q%zu\"}]}", S_rand(4), j);
  else
    fprintf(f, "{\"%s\":[{\"var\":\"q%zu\"},%u]}", S_rand(2) ? ">" : "<=", j,
            S_rand(10));
}

static int S_write(const char *path, size_t nq, const cdg_passages *ps,
                   unsigned char *types) {
  FILE *f = fopen(path, "w");
  size_t i, k, n, nr = nq / 10 + 1;

  if (!f)
    return -1;
  fprintf(f, "{\"id\":\"bench\",\"version\":\"1.0.0\",\"title\":\"Connected "
          "pack\",\"source\":{\"title\":\"%s\",\"publisher\":\"%s\","
          "\"sha256\":\"%s\"},\"questions\":[\n",
          cdg_passages_source_title(ps), cdg_passages_source_publisher(ps),
          cdg_passages_source_sha256(ps));
  for (i = 0; i < nq; i++) {
    int t = (int)S_rand(3);

    types[i] = (unsigned char)t;
    fprintf(f, "%s{\"id\":\"q%zu\",\"type\":\"%s\",\"text\":\"Question %zu: "
            "how has this been over the last month?\"",
            i ? ",\n" : "", i, t == 0 ? "single" : t == 1 ? "multi" : "number",
            i);
    if (t == 2)
      fprintf(f, ",\"min\":0,\"max\":10");
    else
      fprintf(f, ",\"options\":[{\"code\":\"o0\",\"label\":\"Better\"},"
              "{\"code\":\"o1\",\"label\":\"Same\"},{\"code\":\"o2\","
              "\"label\":\"Worse\"}%s]",
              t == 1 ? ",{\"code\":\"o3\",\"label\":\"None of these\","
                       "\"exclusive\":true}" : "");
    if (i > 0 && S_rand(10) < 8) {
      n = 1 + S_rand(3);
      fprintf(f, ",\"enable_when\":{\"%s\":[", S_rand(2) ? "or" : "and");
      for (k = 0; k < n; k++) {
        size_t j = i - 1 - S_rand(i < 20 ? (unsigned)i : 20);

        if (k == n - 1 && i % 50 < 25 && i >= 50 && S_rand(2))
          j = i - i % 50;  /* fan-out from a hub */
        if (j >= i)
          j = i - 1;
        fprintf(f, "%s", k ? "," : "");
        S_atom(f, j, types[j]);
      }
      fprintf(f, "]}");
    }
    fprintf(f, "}");
  }
  fprintf(f, "],\"rules\":[\n{\"id\":\"always\",\"when\":true,\"cite\":["
          "\"cd-what-it-is\"],\"because\":\"Always.\"}");
  for (i = 1; i < nr; i++) {
    size_t base = (size_t)S_rand((unsigned)nq);

    n = 2 + S_rand(3);
    fprintf(f, ",\n{\"id\":\"r%zu\",\"when\":{\"or\":[", i);
    for (k = 0; k < n; k++) {
      size_t j = base + k < nq ? base + k : base - k;

      fprintf(f, "%s", k ? "," : "");
      S_atom(f, j, types[j]);
    }
    fprintf(f, "]},\"cite\":[\"cd-onset\"],\"because\":\"b\"}");
  }
  fprintf(f, "]}\n");
  return fclose(f);
}

/* The library's own reader, so a bench reads files as cdguide does. */
static char *S_read(const char *path, size_t *len) {
  char *text = NULL;

  return cdg_read_file(path, &text, len, NULL) == CDG_OK ? text : NULL;
}

/* One size, in this (child) process: prints one line. */
static int S_one(const char *dir, size_t nq, const cdg_passages *ps) {
  char path[1024];
  size_t len, r;
  char *text;
  unsigned char *types = malloc(nq);
  double t0, t1, parse = 1e9, check = 1e9, load = 1e9;
  struct rusage ru;
  size_t findings = 0;

  snprintf(path, sizeof path, "%s/bench-check-%zu.json", dir, nq);
  if (!types || S_write(path, nq, ps, types) != 0 || !(text = S_read(path, &len)))
    return 1;
  for (r = 0; r < (nq < 10000 ? 3u : 1u); r++) {
    cJSON *j;
    cdg_pack *pack = NULL;
    cdg_lint *lint = NULL;
    cdg_error err;

    t0 = S_now();
    j = cJSON_ParseWithLength(text, len);
    if (S_now() - t0 < parse)
      parse = S_now() - t0;
    cJSON_Delete(j);
    t0 = S_now();
    if (cdg_pack_load(text, len, path, &pack, &err) != CDG_OK) {
      fprintf(stderr, "bench_check: %s: %s\n", path, err.message);
      return 1;
    }
    t1 = S_now();
    if (cdg_lint_run(pack, ps, &lint) != CDG_OK) {
      fprintf(stderr, "bench_check: %s: out of memory\n", path);
      return 1;
    }
    if (S_now() - t0 < check) {
      check = S_now() - t0;
      load = t1 - t0;
    }
    findings = cdg_lint_count(lint);
    cdg_lint_free(lint);
    cdg_pack_free(pack);
  }
  getrusage(RUSAGE_SELF, &ru);
  printf("%7zu questions %6.1f MB: parse %8.4f s, load+check %8.4f s "
         "(%5.2fx; load alone %5.2fx), %6.2f us/question, max RSS %6.1f MB "
         "(%4.1fx file), %zu findings\n",
         nq, (double)len / 1e6, parse, check, check / parse, load / parse,
         check / (double)nq * 1e6, (double)ru.ru_maxrss / 1e3,
         (double)ru.ru_maxrss * 1e3 / (double)len, findings);
  fflush(stdout);
  cdg_free(text);
  free(types);
  return 0;
}

int main(int argc, char **argv) {
  static const size_t sizes[] = {1000, 10000, 100000};
  cdg_passages *ps = NULL;
  cdg_pack *pack = NULL;
  cdg_lint *lint = NULL;
  cdg_error err;
  double t0, best = 1e9;
  size_t i;
  int rc = 0;

  if (argc < 2) {
    fprintf(stderr, "usage: bench_check OUTDIR [SEED]\n");
    return 64;
  }
  S_seed = argc > 2 ? strtoul(argv[2], NULL, 10) : 1;
  if (cdg_passages_builtin(&ps, &err) != CDG_OK)
    return 70;
  for (i = 0; i < 20; i++) {
    t0 = S_now();
    if (cdg_pack_builtin(&pack, &err) != CDG_OK ||
        cdg_lint_run(pack, ps, &lint) != CDG_OK)
      return 70;
    if (S_now() - t0 < best)
      best = S_now() - t0;
    cdg_lint_free(lint);
    cdg_pack_free(pack);
  }
  printf("built-in pack: load+check %.2f ms (target < 5 ms)\n", best * 1e3);
  fflush(stdout);
  for (i = 0; i < sizeof sizes / sizeof *sizes; i++) {
    pid_t pid;
    int st;

    if (argc > 3 && sizes[i] > strtoul(argv[3], NULL, 10))
      break;
    fflush(stdout);
    pid = fork();
    if (pid == 0)
      _exit(S_one(argv[1], sizes[i], ps));
    if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) ||
        WEXITSTATUS(st) != 0)
      rc = 1;
  }
  cdg_passages_free(ps);
  return rc;
}
