/*
** bench_journal.c: the session journal. (1) Appending one answer through
** the journal (event built, one write, fsync) against a bare write plus
** fsync of the same bytes: target within 2x. (2) Resuming a journal of
** 10,000 events: the real binary, `cdguide resume F` with input at its
** end, its wall time and max RSS (target under 20 ms and 4 MB).
** Usage: bench_journal DIR CDGUIDE
*/
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "journal.h"

static double S_now(void) {
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int S_cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

#define S_N 200

int main(int argc, char **argv) {
  char path[512], bare[512];
  double tj[S_N], tb[S_N], t0, best = 1e9, rss = 0;
  cJSON *v = cJSON_CreateString("adult");
  journal *j;
  cdg_error err;
  size_t len, i;
  char *line;
  int fd, k, shape;
  FILE *fp;

  if (argc != 3) {
    fprintf(stderr, "usage: bench_journal DIR CDGUIDE\n");
    return 64;
  }
  snprintf(path, sizeof path, "%s/journal.jsonl", argv[1]);
  snprintf(bare, sizeof bare, "%s/bare.jsonl", argv[1]);
  unlink(path);
  unlink(bare);
  j = journal_new(path);
  if (!j || journal_set_pack(j, "cervical-dystonia", "1.0.0") ||
      journal_open(j, &err) || journal_add(j, "answered", "age_group", v, NULL) ||
      journal_commit(j, &err))
    return 70;
  line = "{\"seq\":2,\"time\":\"2026-12-02T22:11:06Z\",\"event\":\"answered\","
         "\"question\":\"age_group\",\"answer\":\"adult\"}\n";
  len = strlen(line);
  fd = open(bare, O_WRONLY | O_CREAT | O_APPEND, 0600);
  for (i = 0; i < S_N; i++) {
    t0 = S_now();
    if (journal_add(j, "answered", "age_group", v, NULL) ||
        journal_commit(j, &err))
      return 70;
    tj[i] = S_now() - t0;
    t0 = S_now();
    if (write(fd, line, len) != (ssize_t)len || fsync(fd) != 0)
      return 74;
    tb[i] = S_now() - t0;
  }
  close(fd);
  journal_free(j);
  cJSON_Delete(v);
  qsort(tj, S_N, sizeof *tj, S_cmp);
  qsort(tb, S_N, sizeof *tb, S_cmp);
  printf("append one answer + fsync: journal %.1f us, bare write+fsync "
         "%.1f us (median of %d): %.2fx (target < 2x)\n",
         tj[S_N / 2] * 1e6, tb[S_N / 2] * 1e6, S_N, tj[S_N / 2] / tb[S_N / 2]);

  /* Journals of 10,000 events in two shapes: (a) one answer changed back
  ** and forth, every line in the writer's fixed shape; (b) a mix: lists,
  ** hidden and went_back events, and one line in ten a text answer with
  ** non-ASCII characters, which takes the general parser. */
  for (shape = 0; shape < 2; shape++) {
    best = 1e9;
    rss = 0;
    fp = fopen(path, "w");
    if (!fp)
      return 73;
    fprintf(fp, "{\"seq\":1,\"time\":\"2026-12-02T22:11:06Z\",\"event\":"
                "\"started\",\"cdguide_session\":2,\"pack\":{\"id\":"
                "\"cervical-dystonia\",\"version\":\"1.0.0\"},\"by\":"
                "\"bench\"}\n");
    for (i = 2; i <= 10000; i++) {
      const char *head = "{\"seq\":%zu,\"time\":\"2026-12-02T22:11:06Z\","
                         "\"event\":";
      fprintf(fp, head, i);
      if (shape == 0)
        fprintf(fp, "\"%s\",\"question\":\"age_group\",\"answer\":"
                    "\"%s\"}\n",
                i == 2 ? "answered" : "changed", i % 2 ? "adult" : "child");
      else if (i % 10 == 0)
        fprintf(fp, "\"answered\",\"question\":\"note\",\"answer\":"
                    "\"douleur cervicale, %zu ann\u00e9es\"}\n", i);
      else if (i % 10 == 3)
        fprintf(fp, "\"hidden\",\"question\":\"outcome_physiotherapy\"}\n");
      else if (i % 10 == 7)
        fprintf(fp, "\"went_back\",\"question\":\"posture\"}\n");
      else
        fprintf(fp, "\"answered\",\"question\":\"posture\",\"answer\":"
                    "[\"torticollis\",\"%s\"]}\n",
                i % 2 ? "retrocollis" : "anterocollis");
    }
    fclose(fp);
    for (k = 0; k < 5; k++) {
      struct rusage ru;
      int st, devnull = open("/dev/null", O_RDWR);
      pid_t pid;

      t0 = S_now();
      pid = fork();
      if (pid == 0) {
        dup2(devnull, 0);
        dup2(devnull, 1);
        dup2(devnull, 2);
        execl(argv[2], argv[2], "resume", path, (char *)NULL);
        _exit(127);
      }
      if (pid < 0 || wait4(pid, &st, 0, &ru) != pid)
        return 71;
      close(devnull);
      if (S_now() - t0 < best)
        best = S_now() - t0;
      if (ru.ru_maxrss / 1024.0 > rss)
        rss = ru.ru_maxrss / 1024.0;
      /* input ends at once: 65 with questions left; (b) names a question
      ** the pack does not have, 65 too, after reading the whole journal */
      if (!WIFEXITED(st) || WEXITSTATUS(st) != 65)
        fprintf(stderr, "resume exited %d\n", WEXITSTATUS(st));
    }
    printf("resume of a 10,000-event journal (%s): %.1f ms (best of 5), "
           "max RSS %.2f MB (targets < 20 ms, < 4 MB)\n",
           shape == 0 ? "one answer changed" : "mixed, 10% general parser",
           best * 1e3, rss);
  }
  return 0;
}
