/*
** bench_startup_pty.c: time from starting cdguide in a pseudo-terminal to
** its first prompt ("> "), over many runs; then it is told "q".
**
** Usage: bench_startup_pty CDGUIDE RUNS DIR
** Prints the minimum, median and 90th percentile in milliseconds. Session
** files go to DIR. Uses posix_openpt, so it needs no libutil.
*/
#define _XOPEN_SOURCE 700 /* posix_openpt, grantpt, ptsname */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static double S_ms(const struct timespec *a, const struct timespec *b) {
  return (double)(b->tv_sec - a->tv_sec) * 1e3 +
         (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

static int S_cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* One run: the milliseconds to the first prompt, or -1. */
static double S_run(const char *bin, const char *session) {
  struct timespec t0, t1;
  char buf[8192];
  size_t len = 0;
  int master, status;
  pid_t pid;
  double ms = -1;

  clock_gettime(CLOCK_MONOTONIC, &t0);
  master = posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0)
    return -1;
  pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    int slave;
    setsid();
    slave = open(ptsname(master), O_RDWR);
    if (slave < 0)
      _exit(126);
    ioctl(slave, TIOCSCTTY, 0);
    dup2(slave, 0);
    dup2(slave, 1);
    dup2(slave, 2);
    close(master);
    setenv("TERM", "xterm", 1);
    execl(bin, bin, "--session", session, (char *)NULL);
    _exit(127);
  }
  for (;;) {
    struct pollfd p = {master, POLLIN, 0};
    ssize_t n;
    if (poll(&p, 1, 5000) <= 0)
      break;
    n = read(master, buf + len, sizeof buf - len - 1);
    if (n <= 0)
      break;
    len += (size_t)n;
    buf[len] = '\0';
    if (strstr(buf, "> ")) {
      clock_gettime(CLOCK_MONOTONIC, &t1);
      ms = S_ms(&t0, &t1);
      break;
    }
    if (len + 1 >= sizeof buf)
      len = 0;
  }
  if (write(master, "q\r", 2) != 2)
    kill(pid, SIGKILL);
  /* Drain until the child closes the terminal, then reap it. */
  for (;;) {
    struct pollfd p = {master, POLLIN, 0};
    if (poll(&p, 1, 5000) <= 0 || read(master, buf, sizeof buf) <= 0)
      break;
  }
  waitpid(pid, &status, 0);
  close(master);
  return ms;
}

int main(int argc, char **argv) {
  double *t;
  int runs, i, ok = 0;
  char session[4096];

  if (argc != 4 || (runs = atoi(argv[2])) <= 0) {
    fprintf(stderr, "usage: bench_startup_pty CDGUIDE RUNS DIR\n");
    return 64;
  }
  t = calloc((size_t)runs, sizeof *t);
  if (!t)
    return 70;
  for (i = 0; i < runs; i++) {
    double ms;
    snprintf(session, sizeof session, "%s/s-%d.json", argv[3], i);
    ms = S_run(argv[1], session);
    if (ms >= 0)
      t[ok++] = ms;
  }
  if (ok == 0) {
    fprintf(stderr, "bench_startup_pty: no run reached the prompt\n");
    free(t);
    return 1;
  }
  qsort(t, (size_t)ok, sizeof *t, S_cmp);
  printf("start-up to first prompt (pty, %d runs): min %.2f ms, median "
         "%.2f ms, p90 %.2f ms\n",
         ok, t[0], t[ok / 2], t[(ok * 9) / 10 < ok ? (ok * 9) / 10 : ok - 1]);
  free(t);
  return 0;
}
