/*
** bench_check.c: load + symbolic check (cdg_lint_run) of connected packs
** of 1k, 10k and 100k questions, against a bare cJSON parse of the same
** text, and the built-in pack.
**
** Usage: bench_check OUTDIR [SEED [MAXQ [SHAPE]]]: sizes up to MAXQ
** questions (default 100000). Shapes: mixed (each enable_when reads one
** to three of the twenty before it, fan-in; every 50th question is a hub
** the next ones may read too, fan-out), chain (each reads the one before
** and maybe two more of the last three: deep chains), wide (multi
** questions of up to 15 options, rules of up to six atoms), far (reads
** anywhere before). Types are single, multi and number, some optional;
** atoms ==, !=, in, ! in, <, <=, >, and "between"; rules read two or more
** questions each. fanin: each reads one of five hubs and recent ones;
** numbers: chains of number questions with interval conditions; text:
** a quarter text questions compared with strings; in fanin and numbers
** rules read five to eight questions; tight: each reads one to three of
** the five before it (== and != of singles, some, none and all of multis
** of two to eight options, <, > and <= of numbers), half the questions
** required, rules the and of three atoms anywhere (modelled on
** bench/gen_pack_tight.py's shape, which took the check over 300 s at
** 30,000 questions in session 14). The seed varies the pack. Each size
** runs in a child process, so its max RSS is its own. Targets (issue 12):
** load + check within 5x of the parse (aim 3x), cost per question at 100k
** within 1.3x of 1k, max RSS at most 10x the file; the check's own share
** (the load is rules/pack*.c's): at most about 2x the parse and 3x the
** file in extra RSS.
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

/* CPU time of this process: the ratio it gives holds on a busy machine. */
static double S_cpu(void) {
  struct timespec ts;

  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The shape of the generated pack (bench_check's fourth argument). */
enum { SH_MIXED, SH_CHAIN, SH_WIDE, SH_FAR, SH_FANIN, SH_NUMBERS, SH_TEXT,
       SH_SECTIONS, SH_MULTI, SH_TIGHT, SH_N };
static const char *const S_shapes[SH_N] = {"mixed", "chain", "wide", "far",
                                           "fanin", "numbers", "text",
                                           "sections", "multi", "tight"};
static int S_shape;

/* The type of question i: 0 single, 1 multi, 2 number, 3 text. */
static int S_type(size_t i) {
  if (S_shape == SH_NUMBERS)
    return i % 8 == 0 ? 0 : 2;  /* mostly numbers, a single now and then */
  if (S_shape == SH_TEXT)
    return (int)S_rand(4);
  if (S_shape == SH_MULTI)  /* mostly multis, some singles and numbers */
    return S_rand(4) ? 1 : (int)S_rand(3);
  return i < 5 && S_shape == SH_FANIN ? 0 : (int)S_rand(3);
}

/* Options of a single or multi question of this shape. */
static unsigned S_nopt(int t) {
  if (S_shape == SH_WIDE)
    return t == 1 ? 6 + S_rand(10) : 5;  /* multi: up to 15 options */
  if (S_shape == SH_TIGHT)
    return 2 + S_rand(7);
  return t == 1 ? 4 : 3;
}

/* An atom reading question j of type t with n options. */
static void S_atom(FILE *f, size_t j, int t, unsigned n) {
  unsigned k = S_rand(8);

  if (S_shape == SH_TIGHT && t == 2) {
    fprintf(f, "{\"%s\":[{\"var\":\"q%zu\"},%u]}",
            k < 3 ? "<" : k < 6 ? ">" : "<=", j, S_rand(11));
    return;
  }
  if (S_shape == SH_TIGHT && t == 1) {
    fprintf(f, "{\"%s\":[{\"var\":\"q%zu\"},{\"==\":[{\"var\":\"\"},"
            "\"o%u\"]}]}", k < 3 ? "some" : k < 6 ? "none" : "all", j,
            S_rand(n));
    return;
  }
  if (S_shape == SH_TIGHT)
    k = k < 4 ? 0 : 1; /* == or != */
  if (t == 1 && S_shape == SH_MULTI && k < 3)  /* some, all, none */
    fprintf(f, "{\"%s\":[{\"var\":\"q%zu\"},{\"%s\":[{\"var\":\"\"},"
            "\"o%u\"]}]}", k == 0 ? "some" : k == 1 ? "all" : "none", j,
            k == 1 ? "!=" : "==", S_rand(n));
  else if (t == 0 && k == 0)
    fprintf(f, "{\"!=\":[{\"var\":\"q%zu\"},\"o%u\"]}", j, S_rand(n));
  else if (t == 0)
    fprintf(f, "{\"==\":[{\"var\":\"q%zu\"},\"o%u\"]}", j, S_rand(n));
  else if (t == 1 && k == 0)
    fprintf(f, "{\"!\":{\"in\":[\"o%u\",{\"var\":\"q%zu\"}]}}", S_rand(n),
            j);
  else if (t == 1)
    fprintf(f, "{\"in\":[\"o%u\",{\"var\":\"q%zu\"}]}", S_rand(n), j);
  else if (t == 3 && k < 2)
    fprintf(f, "{\"!=\":[{\"var\":\"q%zu\"},\"s%u\"]}", j, S_rand(5));
  else if (t == 3)
    fprintf(f, "{\"==\":[{\"var\":\"q%zu\"},\"s%u\"]}", j, S_rand(5));
  else if (S_shape == SH_NUMBERS && k < 3)  /* an interval */
    fprintf(f, "{\"<=\":[%u,{\"var\":\"q%zu\"},%u]}", S_rand(50), j,
            50 + S_rand(50));
  else if (S_shape == SH_NUMBERS)
    fprintf(f, "{\"%s\":[{\"var\":\"q%zu\"},%u]}",
            k < 5 ? ">" : k < 7 ? "<" : "==", j, S_rand(100));
  else if (k == 0)
    fprintf(f, "{\"<\":[%u,{\"var\":\"q%zu\"},%u]}", S_rand(4), j,
            5 + S_rand(5));
  else
    fprintf(f, "{\"%s\":[{\"var\":\"q%zu\"},%u]}", S_rand(2) ? ">" : "<=",
            j, S_rand(10));
}

/* The question question i's k-th atom reads, by shape: the one before
** (chain), one of the twenty before or the hub of its fifty (mixed,
** wide), anywhere before (far). */
static size_t S_pick(size_t i, size_t k, size_t n) {
  size_t j;

  switch (S_shape) {
  case SH_CHAIN:
  case SH_NUMBERS:
    return k == 0 ? i - 1 : i - 1 - S_rand(i < 3 ? (unsigned)i : 3);
  case SH_FAR:
    return S_rand((unsigned)i);
  case SH_TIGHT:
    return i - 1 - S_rand(i < 5 ? (unsigned)i : 5);
  case SH_SECTIONS:  /* its block of fifty: the block's hub or an earlier
                       one of the block; now and then the pack's hub */
    if (i % 50 == 0 || S_rand(10) == 0)
      return i % 50 == 0 && i >= 50 ? i - 50 : 0;
    if (k == 0)
      return i - i % 50;
    return i - 1 - S_rand((unsigned)(i % 50));
  case SH_FANIN:  /* one of five hubs, then recent ones */
    if (k == 0 || i <= 5)
      return S_rand(i < 5 ? (unsigned)i : 5);
    return i - 1 - S_rand(i < 10 ? (unsigned)i - 5 : 10);
  default:
    j = i - 1 - S_rand(i < 20 ? (unsigned)i : 20);
    if (k == n - 1 && i % 50 < 25 && i >= 50 && S_rand(2))
      j = i - i % 50;  /* fan-out from a hub */
    return j >= i ? i - 1 : j;
  }
}

static int S_write(const char *path, size_t nq, const cdg_passages *ps,
                   unsigned char *types, unsigned char *nopts) {
  FILE *f = fopen(path, "w");
  size_t i, k, n, nr = nq / 10 + 1;
  unsigned o;

  if (!f)
    return -1;
  fprintf(f, "{\"id\":\"bench\",\"version\":\"1.0.0\",\"title\":\"Connected "
          "pack\",\"source\":{\"title\":\"%s\",\"publisher\":\"%s\","
          "\"sha256\":\"%s\"},\"questions\":[\n",
          cdg_passages_source_title(ps), cdg_passages_source_publisher(ps),
          cdg_passages_source_sha256(ps));
  for (i = 0; i < nq; i++) {
    int t = S_type(i);
    static const char *const tn[] = {"single", "multi", "number", "text"};

    types[i] = (unsigned char)t;
    nopts[i] = (unsigned char)S_nopt(t);
    fprintf(f, "%s{\"id\":\"q%zu\",\"type\":\"%s\",\"text\":\"Question %zu: "
            "how has this been over the last month?\"",
            i ? ",\n" : "", i, tn[t], i);
    if (t == 2)
      fprintf(f, ",\"min\":0,\"max\":%d", S_shape == SH_NUMBERS ? 100 : 10);
    if (S_rand(S_shape == SH_TIGHT ? 2 : 8) == 0)
      fprintf(f, ",\"required\":false");
    if (t < 2) {
      fprintf(f, ",\"options\":[");
      for (o = 0; o < nopts[i]; o++)
        fprintf(f, "%s{\"code\":\"o%u\",\"label\":\"Answer %u\"%s}",
                o ? "," : "", o, o,
                t == 1 && o + 1 == nopts[i] ? ",\"exclusive\":true" : "");
      fprintf(f, "]");
    }
    if (i > 0 && S_rand(10) < (S_shape == SH_CHAIN ||
                               S_shape == SH_FANIN ? 10u
                               : S_shape == SH_TIGHT ? 9u : 8u)) {
      n = 1 + S_rand(3);
      fprintf(f, ",\"enable_when\":{\"%s\":[", S_rand(2) ? "or" : "and");
      for (k = 0; k < n; k++) {
        size_t j = S_pick(i, k, n);

        fprintf(f, "%s", k ? "," : "");
        S_atom(f, j, types[j], nopts[j]);
      }
      fprintf(f, "]}");
    }
    fprintf(f, "}");
  }
  fprintf(f, "],\"rules\":[\n{\"id\":\"always\",\"when\":true,\"cite\":["
          "\"cd-what-it-is\"],\"because\":\"Always.\"}");
  for (i = 1; i < nr; i++) {
    size_t base = (size_t)S_rand((unsigned)nq);

    n = S_shape == SH_FANIN || S_shape == SH_NUMBERS ||
        S_shape == SH_SECTIONS ? 5 + S_rand(4)
        : S_shape == SH_TIGHT ? 3
        : 2 + S_rand(S_shape == SH_WIDE ? 5 : 3);  /* 5-8: wide rules */
    fprintf(f, ",\n{\"id\":\"r%zu\",\"when\":{\"%s\":[", i,
            S_rand(3) && S_shape != SH_TIGHT ? "or" : "and");
    for (k = 0; k < n; k++) {
      size_t j = S_shape == SH_FAR || S_shape == SH_TIGHT
                     ? (size_t)S_rand((unsigned)nq)
                 : base + k < nq ? base + k : base - k;

      int neg = S_shape == SH_SECTIONS && S_rand(4) == 0;

      fprintf(f, "%s%s", k ? "," : "", neg ? "{\"!\":" : "");
      S_atom(f, j, types[j], nopts[j]);
      fprintf(f, "%s", neg ? "}" : "");
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

/* A large request: glibc consolidates its free lists of small blocks
** then (malloc_consolidate), so the pending work of earlier frees (the
** bare parse's tree, the previous run's pack) is done here, untimed,
** and not billed to the next timed region's first large allocation, as
** bench_pack does. */
static void S_settle(void) {
  char *volatile probe = malloc(4096); /* volatile: must not be elided */

  if (probe)
    probe[0] = 1;
  free(probe);
}

/* The resident set now, in bytes (Linux), or 0. */
static double S_rss_now(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  unsigned long size = 0, res = 0;

  if (!f)
    return 0;
  if (fscanf(f, "%lu %lu", &size, &res) != 2)
    res = 0;
  fclose(f);
  return (double)res * (double)sysconf(_SC_PAGESIZE);
}

/*
** One size, in this (child) process: prints one line. The load and the
** check are timed apart (best of the runs). Memory: the peak after the
** first load (also as growth over what the process held before it made
** the pack: at 1k that is mostly the process's own), and the peak after
** its check against what was resident before the check: the check's own
** share (an upper bound of it: the allocator may keep what the load freed
** and the check reuse it).
*/
static int S_one(const char *dir, size_t nq, const cdg_passages *ps) {
  char path[1024];
  size_t len, r;
  char *text;
  unsigned char *types = malloc(nq), *nopts = malloc(nq);
  double t0, t1, c0, c1, parse = 1e9, check = 1e9, load = 1e9;
  double cparse = 1e9, ccheck = 1e9, cload = 1e9;
  double peak_load = 0, before_check = 0, peak_check = 0;
  double base = S_rss_now(); /* the process's own, before the pack */
  struct rusage ru;
  size_t findings = 0;

  snprintf(path, sizeof path, "%s/bench-check-%s-%zu.json", dir,
           S_shapes[S_shape], nq);
  if (!types || !nopts || S_write(path, nq, ps, types, nopts) != 0 ||
      !(text = S_read(path, &len)))
    return 1;
  for (r = 0; r < (nq < 10000 ? 20u : nq < 100000 ? 3u : 1u); r++) {
    cJSON *j;
    cdg_pack *pack = NULL;
    cdg_lint *lint = NULL;
    cdg_error err;

    if (r > 0) {  /* the parse after the first run: the peaks stay the
                     pack's and the check's */
      S_settle();
      t0 = S_now();
      c0 = S_cpu();
      j = cJSON_ParseWithLength(text, len);
      if (S_now() - t0 < parse)
        parse = S_now() - t0;
      if (S_cpu() - c0 < cparse)
        cparse = S_cpu() - c0;
      cJSON_Delete(j);
    }
    S_settle();
    t0 = S_now();
    c0 = S_cpu();
    if (cdg_pack_load(text, len, path, &pack, &err) != CDG_OK) {
      fprintf(stderr, "bench_check: %s: %s\n", path, err.message);
      return 1;
    }
    t1 = S_now();
    c1 = S_cpu();
    if (r == 0) {
      getrusage(RUSAGE_SELF, &ru);
      peak_load = (double)ru.ru_maxrss * 1e3;
      before_check = S_rss_now();
    }
    if (cdg_lint_run(pack, ps, &lint) != CDG_OK) {
      fprintf(stderr, "bench_check: %s: out of memory\n", path);
      return 1;
    }
    if (r == 0) {
      getrusage(RUSAGE_SELF, &ru);
      peak_check = (double)ru.ru_maxrss * 1e3;
    }
    if (t1 - t0 < load)
      load = t1 - t0;
    if (c1 - c0 < cload)
      cload = c1 - c0;
    if (S_now() - t1 < check)
      check = S_now() - t1;
    if (S_cpu() - c1 < ccheck)
      ccheck = S_cpu() - c1;
    findings = cdg_lint_count(lint);
    cdg_lint_free(lint);
    cdg_pack_free(pack);
  }
  if (parse > 1e8) {  /* one run (100k): parse once, after it */
    t0 = S_now();
    c0 = S_cpu();
    cJSON_Delete(cJSON_ParseWithLength(text, len));
    parse = S_now() - t0;
    cparse = S_cpu() - c0;
  }
  printf("%7zu q %6.1f MB: parse %7.4f s; load %7.4f s (%5.2fx, cpu "
         "%5.2fx), check %7.4f s (%5.2fx, cpu %5.2fx), sum %5.2fx; %6.2f "
         "us/q checked; "
         "RSS load %6.1f MB (%4.1fx file; +%6.1f MB, %4.1fx file, over the "
         "process's own %4.1f MB), check +%6.1f MB (%4.1fx file); "
         "%zu findings\n",
         nq, (double)len / 1e6, parse, load, load / parse, cload / cparse,
         check,
         check / parse, ccheck / cparse, (load + check) / parse,
         check / (double)nq * 1e6, peak_load / 1e6, peak_load / (double)len,
         (peak_load - base) / 1e6, (peak_load - base) / (double)len,
         base / 1e6,
         (peak_check > peak_load ? peak_check - before_check : 0) / 1e6,
         (peak_check > peak_load ? peak_check - before_check : 0) /
             (double)len,
         findings);
  fflush(stdout);
  cdg_free(text);
  free(types);
  free(nopts);
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
    fprintf(stderr, "usage: bench_check OUTDIR [SEED [MAXQ [SHAPE]]]\n");
    return 64;
  }
  S_seed = argc > 2 ? strtoul(argv[2], NULL, 10) : 1;
  for (S_shape = 0; argc > 4 && S_shape < SH_N &&
                    strcmp(argv[4], S_shapes[S_shape]) != 0;
       S_shape++)
    ;
  if (S_shape == SH_N) {
    fprintf(stderr, "bench_check: unknown shape \"%s\"\n", argv[4]);
    return 64;
  }
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
  /* 5 ms: issue 12's target for the shipped pack, which holds for pack
  ** 2.0 too (34 questions, 13 rules; issue 14 allowed it 10 ms). */
  printf("built-in pack: load+check %.2f ms (target < 5 ms); shape %s, "
         "seed %lu\n", best * 1e3, S_shapes[S_shape], S_seed);
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
