/* e2e.c: the end-to-end tests' expect (e2e.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "e2e.h"
#include "session.h"
#include "testfile.h"

/* Generous: only a failing wait takes this long, and CI runs the ASan build
** of the program two tests at a time on two cores. */
#ifndef E2E_TIMEOUT_MS
#define E2E_TIMEOUT_MS 30000
#endif

char e2e_dir[64];  /* the temporary directory of the whole run */
int e2e_allow_color;  /* 0: children run with NO_COLOR=1 */
const char *e2e_stdout_to; /* a file for the child's stdout, or NULL */
const char *e2e_term_name = "xterm"; /* TERM of the children */
const char *e2e_pack;                /* "--pack" for the binary, or NULL */

/* ---- Files ------------------------------------------------------------- */

const char *e2e_path(const char *name) {
  static char buf[8][256];
  static int k;
  char *p = buf[k++ % 8];
  snprintf(p, 256, "%s/%s", e2e_dir, name);
  return p;
}

void e2e_write(const char *path, const char *text) {
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  fputs(text, fp);
  assert_int_equal(fclose(fp), 0);
}

/* The answers that count in session file path (the fold of its journal,
** for no particular pack), as a cJSON tree (caller deletes). */
cJSON *e2e_session_answers(const char *path) {
  journal *j = NULL;
  cdg_error err;
  cJSON *a;

  cdg_error_clear(&err);
  if (session_read_any(path, &j, &err) != CDG_OK)
    fail_msg("session file %s: %s", path, err.message);
  a = cJSON_Duplicate(journal_current(j), 1);
  journal_free(j);
  return a;
}

/* Session file path holds exactly the answers written in expected. */
void e2e_check_answers(const char *path, const char *expected) {
  cJSON *a = e2e_session_answers(path), *e = cJSON_Parse(expected);
  char *got = cJSON_PrintUnformatted(a);

  assert_non_null(e);
  if (!cJSON_Compare(a, e, 1))
    fail_msg("%s: answers %s, expected %s", path, got, expected);
  cJSON_free(got);
  cJSON_Delete(a);
  cJSON_Delete(e);
}

/* ---- A terminal ---------------------------------------------------------- */


static void S_child_env(void) {
  setenv("XDG_STATE_HOME", e2e_path("state"), 1);
  setenv("HOME", e2e_path("home"), 1);
  setenv("TERM", e2e_term_name, 1);
  setenv("LANG", "C.UTF-8", 1);
  if (e2e_allow_color)
    unsetenv("NO_COLOR");
  else
    setenv("NO_COLOR", "1", 1);
  unsetenv("LC_ALL");
}

void e2e_spawn_prog(e2e_term *t, const char *prog,
                    const char *const *args) {
  struct winsize ws = {24, 80, 0, 0};
  char *argv[16];
  size_t i;

  memset(t, 0, sizeof *t);
  argv[0] = (char *)prog;
  for (i = 0; args[i] && i < 14; i++)
    argv[i + 1] = (char *)args[i];
  argv[i + 1] = NULL;
  t->pid = forkpty(&t->fd, NULL, NULL, &ws);
  assert_true(t->pid >= 0);
  if (t->pid == 0) {
    S_child_env();
    if (e2e_stdout_to) {
      int fd = open(e2e_stdout_to, O_WRONLY | O_CREAT | O_TRUNC, 0600);

      if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
        _exit(126);
      close(fd);
    }
    execv(prog, argv);
    _exit(127);
  }
  t->status = -1;
}

/* args with "--pack" e2e_pack appended (if set and no --pack in args),
** in out (16 slots). */
static const char *const *S_with_pack(const char *const *args,
                                      const char **out) {
  size_t i, has = 0;

  for (i = 0; args[i] && i < 12; i++) {
    out[i] = args[i];
    has |= strcmp(args[i], "--pack") == 0;
  }
  if (e2e_pack && !has) {
    out[i++] = "--pack";
    out[i++] = e2e_pack;
  }
  out[i] = NULL;
  return out;
}

void e2e_spawn(e2e_term *t, const char *const *args) {
  const char *a[16];

  e2e_spawn_prog(t, CDG_BINARY, S_with_pack(args, a));
}

/* Read what is there within ms; 0 on timeout, -1 at end of output. */
int e2e_pump(e2e_term *t, int ms) {
  struct pollfd p = {t->fd, POLLIN, 0};
  ssize_t n;

  if (poll(&p, 1, ms) <= 0)
    return 0;
  if (t->len + 1 >= sizeof t->out) {
    /* Keep the last half: expectations look at recent output. */
    size_t keep = sizeof t->out / 2;
    memmove(t->out, t->out + t->len - keep, keep);
    t->mark = t->mark > t->len - keep ? t->mark - (t->len - keep) : 0;
    t->len = keep;
  }
  n = read(t->fd, t->out + t->len, sizeof t->out - t->len - 1);
  if (n <= 0)
    return -1;  /* EIO once the child has gone */
  t->len += (size_t)n;
  t->out[t->len] = '\0';
  return 1;
}

long e2e_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* memmem over the output after the mark. */
const char *e2e_find(const e2e_term *t, const char *s) {
  size_t n = strlen(s), i;

  for (i = t->mark; i + n <= t->len; i++)
    if (memcmp(t->out + i, s, n) == 0)
      return t->out + i;
  return NULL;
}

/* Wait for s in the output; move the mark past it. */
void e2e_expect(e2e_term *t, const char *s) {
  long end = e2e_now_ms() + E2E_TIMEOUT_MS;
  const char *at;

  for (;;) {
    if ((at = e2e_find(t, s))) {
      t->mark = (size_t)(at - t->out) + strlen(s);
      return;
    }
    if (e2e_now_ms() > end || e2e_pump(t, 50) < 0) {
      if ((at = e2e_find(t, s))) {
        t->mark = (size_t)(at - t->out) + strlen(s);
        return;
      }
      if (getenv("E2E_DUMP")) { /* cmocka cuts long messages */
        FILE *f = fopen(getenv("E2E_DUMP"), "wb");

        if (f) {
          fwrite(t->out, 1, t->len, f);
          fclose(f);
        }
      }
      fail_msg("expected \"%s\"; the terminal showed:\n%s", s,
               t->out + (t->len > 1500 ? t->len - 1500 : 0));
    }
  }
}

void e2e_wait_raw(e2e_term *t) {
  long end = e2e_now_ms() + E2E_TIMEOUT_MS;
  struct termios tio;

  while (tcgetattr(t->fd, &tio) == 0 && (tio.c_lflag & ICANON) &&
         e2e_now_ms() < end)
    e2e_pump(t, 5);
}

void e2e_send(e2e_term *t, const char *s) {
  size_t n = strlen(s);
  assert_int_equal(write(t->fd, s, n), (ssize_t)n);
}

/* Wait for the child to exit (reading its output meanwhile); its exit
** status, or 128 + signal. */
int e2e_wait(e2e_term *t) {
  long end = e2e_now_ms() + E2E_TIMEOUT_MS;
  int st;

  for (;;) {
    pid_t r = waitpid(t->pid, &st, WNOHANG);
    if (r == t->pid)
      break;
    if (e2e_now_ms() > end) {
      kill(t->pid, SIGKILL);
      waitpid(t->pid, &st, 0);
      close(t->fd);
      fail_msg("the program did not exit; it showed:\n%s",
               t->out + (t->len > 1500 ? t->len - 1500 : 0));
    }
    e2e_pump(t, 20);
  }
  while (e2e_pump(t, 0) > 0)
    ;
  close(t->fd);
  t->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  return t->status;
}

/*
** Ctrl-D at the prompt. libedit prints the prompt just before it puts the
** terminal in raw mode; a ^D typed in that moment would be the cooked
** mode's end-of-line, not a character. So wait for the prompt, then a
** little.
*/
void e2e_send_eof(e2e_term *t) {
  e2e_expect(t, "> ");
  e2e_pump(t, 50);
  e2e_send(t, "\004");
}

/* Answer the current prompt with line and Enter. */
void e2e_answer(e2e_term *t, const char *line) {
  e2e_expect(t, "> ");
  e2e_send(t, line);
  e2e_send(t, "\r");
}

/* ---- Pipes --------------------------------------------------------------- */


/* Run the binary with args, input on stdin (then end of input), no
** terminal anywhere. */
void e2e_run_piped(e2e_piped *r, const char *const *args,
                        const char *input, size_t ninput) {
  int in[2], out[2], err[2], st;
  char *argv[16];
  size_t i, sent = 0;
  long end = e2e_now_ms() + E2E_TIMEOUT_MS;
  pid_t pid;
  const char *a[16];

  memset(r, 0, sizeof *r);
  args = S_with_pack(args, a);
  argv[0] = (char *)CDG_BINARY;
  for (i = 0; args[i] && i < 14; i++)
    argv[i + 1] = (char *)args[i];
  argv[i + 1] = NULL;
  assert_int_equal(pipe(in), 0);
  assert_int_equal(pipe(out), 0);
  assert_int_equal(pipe(err), 0);
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    close(in[1]);
    close(out[0]);
    close(err[0]);
    setsid();  /* no controlling terminal */
    S_child_env();
    execv(CDG_BINARY, argv);
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  fcntl(in[1], F_SETFL, O_NONBLOCK);
  signal(SIGPIPE, SIG_IGN);
  for (;;) {
    struct pollfd p[3] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0},
                          {in[1], POLLOUT, 0}};
    int np = in[1] >= 0 ? 3 : 2;
    if (out[0] < 0 && err[0] < 0)
      break;
    if (e2e_now_ms() > end) {
      kill(pid, SIGKILL);
      waitpid(pid, &st, 0);
      fail_msg("piped run did not finish; stderr:\n%s", r->err);
    }
    if (poll(p, (nfds_t)np, 100) <= 0)
      continue;
    if (np == 3 && (p[2].revents & (POLLOUT | POLLERR))) {
      ssize_t w = sent < ninput ? write(in[1], input + sent, ninput - sent)
                                : 0;
      if (w > 0)
        sent += (size_t)w;
      if (sent >= ninput || w < 0) {
        close(in[1]);
        in[1] = -1;
      }
    }
    for (i = 0; i < 2; i++) {
      int *fd = i == 0 ? &out[0] : &err[0];
      char *buf = i == 0 ? r->out : r->err;
      size_t *n = i == 0 ? &r->nout : &r->nerr;
      size_t cap = i == 0 ? sizeof r->out : sizeof r->err;
      ssize_t got;
      if (*fd < 0 || !(p[i].revents & (POLLIN | POLLHUP)))
        continue;
      got = read(*fd, buf + *n, cap - *n - 1);
      if (got <= 0) {
        close(*fd);
        *fd = -1;
      } else {
        *n += (size_t)got;
        buf[*n] = '\0';
      }
    }
  }
  if (in[1] >= 0)
    close(in[1]);
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
    ;
  r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* ---- Set-up ------------------------------------------------------------ */

int e2e_setup(void **state) {
  (void)state;
  snprintf(e2e_dir, sizeof e2e_dir, "/tmp/cdg-e2e-XXXXXX");
  if (!mkdtemp(e2e_dir))
    return -1;
  return 0;
}

int e2e_teardown(void **state) {
  (void)state;
  testfile_rmtree(e2e_dir);
  return 0;
}

