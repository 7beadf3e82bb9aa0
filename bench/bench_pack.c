/*
** bench_pack.c: load+lint time of synthetic packs of 1k, 10k and 100k
** questions, against a bare cJSON parse of the same text.
**
** Usage: bench_pack OUTDIR [FILE...]. Each pack is written to
** OUTDIR/bench-pack-N.json and read back; the timings are best of several repeats (20, 7, 5: the
** first of each size pays page faults for memory the process has not
** used before, so 100k needs more than two more to find a run the
** machine's other work left alone) with CLOCK_MONOTONIC, frees left out
** of the timed regions. Targets: cost per question at 100k within 1.2x
** of 1k; load+lint within 3x of the parse.
**
** glibc defers the work of freeing many small blocks to the next large
** allocation (malloc_consolidate). The "deferred" column times one large
** malloc between load and lint to show apart any such cost the load left
** (it keeps its parse tree until cdg_pack_free, so none now); load+lint
** includes it, since `cdguide check` would pay it too. The frees of the
** bare parse and of the previous repeat are settled the same way before
** each timed region, so each starts from a heap like a fresh process
** finds: else the load's first large allocation (its copy of the text)
** pays for the bare parse's free.
**
** With FILE arguments (packs written by bench_check, say), it times the
** load alone instead: for each file, in a child process of its own, the
** best CPU time of a bare cJSON parse and of cdg_pack_load, and the max
** RSS of the child after one load (its own copy of the text included, as
** `cdguide check` holds one). Targets (issue 12 item 4, the loader's
** share): load within 2x of the parse, load RSS within 5x of the file.
**
** A pack is groups of five single questions: question 0 asks whether a
** symptom is present, each next one is enabled when the one before is
** "yes" (an enable_when chain), and a rule per group reads the last one
** and cites a passage of the built-in store; one rule always fires, so the
** pack lints clean and every group is enumerated in full (11 paths).
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

#define GROUP 5

static double S_now(void) {
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int S_write_pack(const char *path, size_t nq, const cdg_passages *ps) {
  static const char *const what[] = {"neck pain", "tremor", "shoulder ache",
                                     "headache", "jerking movements"};
  size_t np = cdg_passages_count(ps), g, i;
  FILE *f = fopen(path, "w");

  if (!f)
    return -1;
  fprintf(f,
          "{\n  \"id\": \"bench\",\n  \"version\": \"1.0.0\",\n"
          "  \"title\": \"Synthetic pack of %zu questions\",\n"
          "  \"source\": {\n    \"title\": \"%s\",\n"
          "    \"publisher\": \"%s\",\n    \"sha256\": \"%s\"\n  },\n"
          "  \"questions\": [\n",
          nq, cdg_passages_source_title(ps), cdg_passages_source_publisher(ps),
          cdg_passages_source_sha256(ps));
  for (i = 0; i < nq; i++) {
    g = i / GROUP;
    fprintf(f,
            "    {\n      \"id\": \"g%zu_q%zu\",\n      \"type\": \"single\",\n"
            "      \"text\": \"Part %zu, step %zu: have you had %s in the "
            "last month?\",\n"
            "      \"help\": \"Answer for the last four weeks. If you cannot "
            "say, choose \\\"Not sure\\\".\",\n"
            "      \"options\": [\n"
            "        { \"code\": \"yes\", \"label\": \"Yes\" },\n"
            "        { \"code\": \"no\", \"label\": \"No\" },\n"
            "        { \"code\": \"not_sure\", \"label\": \"Not sure\" }\n"
            "      ]",
            g, i % GROUP, g + 1, i % GROUP + 1, what[i % GROUP]);
    if (i % GROUP)
      fprintf(f,
              ",\n      \"enable_when\": { \"==\": [{ \"var\": \"g%zu_q%zu\" }, "
              "\"yes\"] }",
              g, i % GROUP - 1);
    else
      fprintf(f, ",\n      \"passages\": [\"%s\"]", cdg_passage_id(ps, g % np));
    fprintf(f, "\n    }%s\n", i + 1 < nq ? "," : "");
  }
  fprintf(f,
          "  ],\n  \"rules\": [\n    {\n      \"id\": \"always\",\n"
          "      \"when\": true,\n      \"cite\": [\"%s\"],\n"
          "      \"because\": \"Always shown.\"\n    }",
          cdg_passage_id(ps, 0));
  for (g = 0; g < nq / GROUP; g++)
    fprintf(f,
            ",\n    {\n      \"id\": \"r%zu\",\n"
            "      \"when\": { \"==\": [{ \"var\": \"g%zu_q%d\" }, \"yes\"] },\n"
            "      \"cite\": [\"%s\"],\n"
            "      \"because\": \"Part %zu was answered yes to the end.\"\n"
            "    }",
            g, g, GROUP - 1, cdg_passage_id(ps, (g + 1) % np), g + 1);
  fprintf(f, "\n  ]\n}\n");
  return fclose(f) == 0 ? 0 : -1;
}

/* The library's own reader, so a bench reads files as cdguide does. */
static char *S_read(const char *path, size_t *len) {
  char *text = NULL;

  return cdg_read_file(path, &text, len, NULL) == CDG_OK ? text : NULL;
}

/* A large request: glibc consolidates its free lists of small blocks
** then, so the pending work of earlier frees is done here, untimed. */
static void S_settle(void) {
  char *volatile probe = malloc(4096); /* volatile: must not be elided */

  if (probe)
    probe[0] = 1;
  free(probe);
}

typedef struct S_times {
  double parse, load, deferred, lint, total;
} S_times;

static int S_measure(const char *path, const cdg_passages *ps, int repeats,
                     S_times *best) {
  size_t len;
  char *text = S_read(path, &len);
  int r;

  if (!text)
    return -1;
  best->parse = best->load = best->deferred = best->lint = 1e30;
  best->total = 1e30;
  for (r = 0; r < repeats; r++) {
    double t0, t1, t2, t3;
    cJSON *root;
    cdg_pack *pack;
    cdg_lint *lint;
    cdg_error err;
    char line[1024];

    S_settle();
    t0 = S_now();
    root = cJSON_ParseWithLength(text, len);
    t1 = S_now();
    if (!root) {
      cdg_free(text);
      return -1;
    }
    cJSON_Delete(root);
    if (t1 - t0 < best->parse)
      best->parse = t1 - t0;

    S_settle();
    t0 = S_now();
    if (cdg_pack_load(text, len, path, &pack, &err) != CDG_OK) {
      cdg_error_format(&err, line, sizeof line);
      fprintf(stderr, "bench_pack: %s\n", line);
      cdg_free(text);
      return -1;
    }
    t1 = S_now();
    S_settle();
    t2 = S_now();
    if (cdg_lint_run(pack, ps, &lint) != CDG_OK) {
      cdg_pack_free(pack);
      cdg_free(text);
      return -1;
    }
    t3 = S_now();
    if (cdg_lint_count(lint) != 0) {
      cdg_error_format(cdg_lint_error(lint, 0), line, sizeof line);
      fprintf(stderr, "bench_pack: not clean: %s\n", line);
    }
    cdg_lint_free(lint);
    cdg_pack_free(pack);
    /* Best of each part, and of the whole. */
    if (t1 - t0 < best->load)
      best->load = t1 - t0;
    if (t2 - t1 < best->deferred)
      best->deferred = t2 - t1;
    if (t3 - t2 < best->lint)
      best->lint = t3 - t2;
    if (t3 - t0 < best->total)
      best->total = t3 - t0;
  }
  cdg_free(text);
  return 0;
}

/* CPU time of this process: a ratio of two of them holds on a busy
** machine, where wall time does not. */
static double S_cpu(void) {
  struct timespec ts;

  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The load alone of one file, in this (child) process: one line. The
** first load is the one whose RSS counts: a fresh process's. Parse and
** load take turns, so that neither finds a heap the other has not. */
static int S_load_one(const char *path) {
  size_t len;
  char *text;
  double parse = 1e30, load = 1e30, t0;
  long rss0, rss = 0;
  struct rusage ru;
  int r, repeats;

  getrusage(RUSAGE_SELF, &ru);
  rss0 = ru.ru_maxrss; /* KiB: the program before it reads the pack */
  if (!(text = S_read(path, &len)))
    return 1;
  repeats = len < (1u << 20) ? 20 : len < (8u << 20) ? 7 : 3;
  for (r = 0; r < repeats; r++) {
    cdg_pack *pack;
    cdg_error err;
    char line[1024];
    cJSON *root;

    S_settle();
    t0 = S_cpu();
    if (cdg_pack_load(text, len, path, &pack, &err) != CDG_OK) {
      cdg_error_format(&err, line, sizeof line);
      fprintf(stderr, "bench_pack: %s\n", line);
      cdg_free(text);
      return 1;
    }
    if (S_cpu() - t0 < load)
      load = S_cpu() - t0;
    if (r == 0) {
      getrusage(RUSAGE_SELF, &ru);
      rss = ru.ru_maxrss;
    }
    cdg_pack_free(pack);
    S_settle();
    t0 = S_cpu();
    root = cJSON_ParseWithLength(text, len);
    if (S_cpu() - t0 < parse)
      parse = S_cpu() - t0;
    cJSON_Delete(root);
  }
  printf("%-30s %5.1f MB parse %7.2f ms load %7.2f ms %5.2fx  RSS %6.1f MB "
         "%5.2fx file, %5.2fx over the program's own\n",
         strrchr(path, '/') ? strrchr(path, '/') + 1 : path, (double)len / 1e6,
         parse * 1e3, load * 1e3, load / parse, (double)rss * 1024 / 1e6,
         (double)rss * 1024 / (double)len,
         (double)(rss - rss0) * 1024 / (double)len);
  fflush(stdout); /* the child ends with _exit */
  cdg_free(text);
  return 0;
}

static int S_load_files(int n, char **paths) {
  int i, st, rc = 0;

  printf("load alone (cpu time, best of several; RSS of a fresh process "
         "after one load): targets 2x, 5x\n");
  for (i = 0; i < n; i++) {
    pid_t pid;

    fflush(stdout);
    pid = fork();
    if (pid == 0)
      _exit(S_load_one(paths[i]));
    if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) ||
        WEXITSTATUS(st) != 0)
      rc = 1;
  }
  return rc;
}

int main(int argc, char **argv) {
  static const size_t sizes[] = {1000, 10000, 100000};
  static const int repeats[] = {20, 7, 5};
  enum { NSIZES = sizeof sizes / sizeof *sizes };
  S_times t[NSIZES];
  cdg_passages *ps;
  cdg_error err;
  char path[4096];
  double per[NSIZES], ratio, worst = 0, scale, pscale;
  size_t i;

  if (argc < 2) {
    fprintf(stderr, "usage: bench_pack OUTDIR [FILE...]\n");
    return 64;
  }
  if (argc > 2)
    return S_load_files(argc - 2, argv + 2);
  if (cdg_passages_builtin(&ps, &err) != CDG_OK) {
    fprintf(stderr, "bench_pack: %s\n", err.message);
    return 1;
  }
  printf("%9s %9s %9s %9s %9s %12s %11s %9s\n", "questions", "parse ms",
         "load ms", "deferred", "lint ms", "load+lint ms", "us/question",
         "vs parse");
  for (i = 0; i < NSIZES; i++) {
    snprintf(path, sizeof path, "%s/bench-pack-%zu.json", argv[1], sizes[i]);
    if (S_write_pack(path, sizes[i], ps) != 0 ||
        S_measure(path, ps, repeats[i], &t[i]) != 0) {
      fprintf(stderr, "bench_pack: failed on %s\n", path);
      cdg_passages_free(ps);
      return 1;
    }
    per[i] = t[i].total / (double)sizes[i];
    ratio = t[i].total / t[i].parse;
    if (ratio > worst)
      worst = ratio;
    printf("%9zu %9.2f %9.2f %9.2f %9.2f %12.2f %11.3f %8.2fx\n", sizes[i],
           t[i].parse * 1e3, t[i].load * 1e3, t[i].deferred * 1e3,
           t[i].lint * 1e3, t[i].total * 1e3, per[i] * 1e6, ratio);
  }
  scale = per[NSIZES - 1] / per[0];
  pscale = (t[NSIZES - 1].parse / (double)sizes[NSIZES - 1]) /
           (t[0].parse / (double)sizes[0]);
  printf("per-question cost, 100k vs 1k: %.2fx (target <= 1.2x) %s\n", scale,
         scale <= 1.2 ? "PASS" : "MISS");
  printf("  (the bare parse alone: %.2fx)\n", pscale);
  printf("load+lint vs bare parse, worst size: %.2fx (target <= 3x) %s\n",
         worst, worst <= 3.0 ? "PASS" : "MISS");
  cdg_passages_free(ps);
  return 0;
}
