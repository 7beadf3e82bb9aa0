/*
** test_e2e.c: the real binary (CDG_BINARY) driven in a pseudo-terminal
** (forkpty) and through pipes: answers by number and by label with Tab,
** back and change, help and why, Ctrl-C and resume, Ctrl-D, end of input,
** SIGKILL after every answer, and refused session files.
**
** A small expect: wait (5 s at most) for a string in the output, then type.
*/
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "session.h"
#include "testfile.h"

/* Generous: only a failing wait takes this long, and CI runs the ASan build
** of the program two tests at a time on two cores. */
#define S_TIMEOUT_MS 30000

static char S_dir[64];  /* the temporary directory of the whole run */
static int S_allow_color;  /* 0: children run with NO_COLOR=1 */
static const char *S_stdout_to; /* a file for the child's stdout, or NULL */

/* ---- Files ------------------------------------------------------------- */

static const char *S_path(const char *name) {
  static char buf[8][256];
  static int k;
  char *p = buf[k++ % 8];
  snprintf(p, 256, "%s/%s", S_dir, name);
  return p;
}

static void S_write(const char *path, const char *text) {
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  fputs(text, fp);
  assert_int_equal(fclose(fp), 0);
}

/* The answers that count in session file path (the fold of its journal,
** for no particular pack), as a cJSON tree (caller deletes). */
static cJSON *S_session_answers(const char *path) {
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
static void S_check_answers(const char *path, const char *expected) {
  cJSON *a = S_session_answers(path), *e = cJSON_Parse(expected);
  char *got = cJSON_PrintUnformatted(a);

  assert_non_null(e);
  if (!cJSON_Compare(a, e, 1))
    fail_msg("%s: answers %s, expected %s", path, got, expected);
  cJSON_free(got);
  cJSON_Delete(a);
  cJSON_Delete(e);
}

/* ---- A terminal ---------------------------------------------------------- */

typedef struct S_term {
  pid_t pid;
  int fd;
  char out[1 << 16];
  size_t len;   /* bytes in out */
  size_t mark;  /* S_expect searches from here */
  int status;
} S_term;

static void S_child_env(void) {
  setenv("XDG_STATE_HOME", S_path("state"), 1);
  setenv("HOME", S_path("home"), 1);
  setenv("TERM", "xterm", 1);
  setenv("LANG", "C.UTF-8", 1);
  if (S_allow_color)
    unsetenv("NO_COLOR");
  else
    setenv("NO_COLOR", "1", 1);
  unsetenv("LC_ALL");
}

/* Start the binary with args (NULL-terminated, without argv[0]) in a
** pseudo-terminal of 80x24. */
static void S_spawn(S_term *t, const char *const *args) {
  struct winsize ws = {24, 80, 0, 0};
  char *argv[16];
  size_t i;

  memset(t, 0, sizeof *t);
  argv[0] = (char *)CDG_BINARY;
  for (i = 0; args[i] && i < 14; i++)
    argv[i + 1] = (char *)args[i];
  argv[i + 1] = NULL;
  t->pid = forkpty(&t->fd, NULL, NULL, &ws);
  assert_true(t->pid >= 0);
  if (t->pid == 0) {
    S_child_env();
    if (S_stdout_to) {
      int fd = open(S_stdout_to, O_WRONLY | O_CREAT | O_TRUNC, 0600);

      if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
        _exit(126);
      close(fd);
    }
    execv(CDG_BINARY, argv);
    _exit(127);
  }
  t->status = -1;
}

/* Read what is there within ms; 0 on timeout, -1 at end of output. */
static int S_pump(S_term *t, int ms) {
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

static long S_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* memmem over the output after the mark. */
static const char *S_find(const S_term *t, const char *s) {
  size_t n = strlen(s), i;

  for (i = t->mark; i + n <= t->len; i++)
    if (memcmp(t->out + i, s, n) == 0)
      return t->out + i;
  return NULL;
}

/* Wait for s in the output; move the mark past it. */
static void S_expect(S_term *t, const char *s) {
  long end = S_now_ms() + S_TIMEOUT_MS;
  const char *at;

  for (;;) {
    if ((at = S_find(t, s))) {
      t->mark = (size_t)(at - t->out) + strlen(s);
      return;
    }
    if (S_now_ms() > end || S_pump(t, 50) < 0) {
      if ((at = S_find(t, s))) {
        t->mark = (size_t)(at - t->out) + strlen(s);
        return;
      }
      fail_msg("expected \"%s\"; the terminal showed:\n%s", s,
               t->out + (t->len > 1500 ? t->len - 1500 : 0));
    }
  }
}

static void S_send(S_term *t, const char *s) {
  size_t n = strlen(s);
  assert_int_equal(write(t->fd, s, n), (ssize_t)n);
}

/* Wait for the child to exit (reading its output meanwhile); its exit
** status, or 128 + signal. */
static int S_wait(S_term *t) {
  long end = S_now_ms() + S_TIMEOUT_MS;
  int st;

  for (;;) {
    pid_t r = waitpid(t->pid, &st, WNOHANG);
    if (r == t->pid)
      break;
    if (S_now_ms() > end) {
      kill(t->pid, SIGKILL);
      waitpid(t->pid, &st, 0);
      close(t->fd);
      fail_msg("the program did not exit; it showed:\n%s",
               t->out + (t->len > 1500 ? t->len - 1500 : 0));
    }
    S_pump(t, 20);
  }
  while (S_pump(t, 0) > 0)
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
static void S_send_eof(S_term *t) {
  S_expect(t, "> ");
  S_pump(t, 50);
  S_send(t, "\004");
}

/* Answer the current prompt with line and Enter. */
static void S_answer(S_term *t, const char *line) {
  S_expect(t, "> ");
  S_send(t, line);
  S_send(t, "\r");
}

/* ---- Pipes --------------------------------------------------------------- */

typedef struct S_piped {
  char out[1 << 17], err[1 << 16];
  size_t nout, nerr;
  int status;
} S_piped;

/* Run the binary with args, input on stdin (then end of input), no
** terminal anywhere. */
static void S_run_piped(S_piped *r, const char *const *args,
                        const char *input, size_t ninput) {
  int in[2], out[2], err[2], st;
  char *argv[16];
  size_t i, sent = 0;
  long end = S_now_ms() + S_TIMEOUT_MS;
  pid_t pid;

  memset(r, 0, sizeof *r);
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
    if (S_now_ms() > end) {
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

static int setup(void **state) {
  (void)state;
  snprintf(S_dir, sizeof S_dir, "/tmp/cdg-e2e-XXXXXX");
  if (!mkdtemp(S_dir))
    return -1;
  return 0;
}

static int teardown(void **state) {
  (void)state;
  testfile_rmtree(S_dir);
  return 0;
}

/* ---- Cases ------------------------------------------------------------- */

static void test_full_by_numbers(void **state) {
  const char *path = S_path("numbers.json");
  const char *args[] = {"--session", path, NULL};
  struct stat sb;
  S_term t;

  (void)state;
  S_spawn(&t, args);
  S_expect(&t, "Question 1 of about");
  S_expect(&t, "Which way is your head pulled?");
  S_expect(&t, "(choose one or more, e.g. 1 3)");
  S_answer(&t, "3");
  S_expect(&t, "Question 2 of about");
  S_expect(&t, "(choose one)");
  S_answer(&t, "2");
  S_answer(&t, "2");
  S_expect(&t, "Which of these treatments");
  S_answer(&t, "1 3");
  S_expect(&t, "How did physiotherapy go?");
  S_answer(&t, "1");
  S_expect(&t, "How did the botulinum toxin injections go?");
  S_answer(&t, "3");
  /* The numbered summary, confirmed with Enter, then the report: a
  ** not-helping treatment cites the denervation passage. */
  S_expect(&t, "That was the last question. Your answers:");
  S_expect(&t, " 6) How did the botulinum toxin injections go?");
  S_answer(&t, "");
  S_expect(&t, "spd-alternative");
  assert_int_equal(S_wait(&t), 0);
  assert_non_null(strstr(t.out, path));
  S_check_answers(path,
                  "{\"posture\": [\"torticollis\"], \"age_group\": \"adult\","
                  " \"duration\": \"1_to_5_years\", \"treatments_tried\": "
                  "[\"physiotherapy\", \"botulinum_toxin\"], "
                  "\"outcome_physiotherapy\": \"helped\", "
                  "\"outcome_botulinum_toxin\": \"not_helped\"}");
  assert_int_equal(stat(path, &sb), 0);
  assert_int_equal(sb.st_mode & 07777, 0600);
}

static void test_labels_and_tab(void **state) {
  const char *path = S_path("labels.json");
  const char *args[] = {"--session", path, NULL};
  S_term t;

  (void)state;
  S_spawn(&t, args);
  S_expect(&t, "Which way is your head pulled?");
  S_expect(&t, "> ");
  S_send(&t, "to\t");
  S_expect(&t, "To the side (torticollis)");
  S_send(&t, "\r");
  S_expect(&t, "child or an adult?");
  S_expect(&t, "> ");
  S_send(&t, "an\t");
  S_expect(&t, "An adult");
  S_send(&t, "\r");
  /* A label typed in full, in another case. */
  S_answer(&t, "more THAN 5 years");
  S_expect(&t, "Which of these treatments");
  S_expect(&t, "> ");
  S_send(&t, "phys\t, bot\t");
  S_expect(&t, "Botulinum toxin injections (such as Botox)");
  S_send(&t, "\r");
  S_expect(&t, "How did physiotherapy go?");
  /* Codes work too, and a unique prefix of a label. */
  S_answer(&t, "partly_helped");
  S_expect(&t, "botulinum toxin injections go?");
  S_answer(&t, "stopped");
  S_expect(&t, "That was the last question");
  S_answer(&t, "");
  S_expect(&t, "adverse-events-yellow-card");
  assert_int_equal(S_wait(&t), 0);
  S_check_answers(path,
                  "{\"posture\": [\"torticollis\"], \"age_group\": \"adult\","
                  " \"duration\": \"over_5_years\", \"treatments_tried\": "
                  "[\"physiotherapy\", \"botulinum_toxin\"], "
                  "\"outcome_physiotherapy\": \"partly_helped\", "
                  "\"outcome_botulinum_toxin\": \"stopped_side_effects\"}");
}

/* Tab on an empty line lists every label; a pack label holding ESC and
** BEL is listed sanitised, never raw. */
static void test_tab_list_sanitised(void **state) {
  const char *dir = S_path("tabpack"), *path = S_path("tablist.json");
  const char *args[] = {"--pack", dir, "--session", path, NULL};
  char *pack = testfile_read(
      CDG_SOURCE_DIR "/tests/bad/check/escape-in-label.json", NULL);
  S_term t;

  (void)state;
  assert_int_equal(mkdir(dir, 0700), 0);
  S_write(S_path("tabpack/pack.json"), pack);
  free(pack);
  S_spawn(&t, args);
  S_expect(&t, "Which way is the head pulled?");
  S_expect(&t, "> ");
  S_send(&t, "\t");
  S_expect(&t, "  Back\xEF\xBF\xBD[2Jwards\xEF\xBF\xBD");
  S_expect(&t, "  Turned to one side");
  t.mark = 0;
  assert_null(S_find(&t, "\033[2J"));
  S_send(&t, "\025q\r");
  assert_int_equal(S_wait(&t), 0);
}

static void test_invalid_answers(void **state) {
  const char *path = S_path("invalid.json");
  const char *args[] = {"--session", path, NULL};
  S_term t;

  (void)state;
  S_spawn(&t, args);
  S_answer(&t, "9");
  S_expect(&t, "There is no option 9: choose 1 to 4.");
  S_expect(&t, "Which way is your head pulled?");
  S_answer(&t, "sideways");
  S_expect(&t, "\"sideways\" is not one of the answers");
  /* "Not sure" may not be combined with a posture. */
  S_answer(&t, "1 4");
  S_expect(&t, "Which way is your head pulled?");
  S_answer(&t, "1");
  S_expect(&t, "child or an adult?");
  S_answer(&t, "1 2");
  S_expect(&t, "Choose only one answer");
  S_answer(&t, "q");
  assert_int_equal(S_wait(&t), 0);
  S_check_answers(path, "{\"posture\": [\"retrocollis\"]}");
}

static void test_back_and_change(void **state) {
  const char *path = S_path("back.json");
  const char *args[] = {"--session", path, NULL};
  S_term t;

  (void)state;
  S_spawn(&t, args);
  S_answer(&t, "2");
  S_answer(&t, "2");
  S_answer(&t, "3");
  S_expect(&t, "Which of these treatments");
  S_answer(&t, "3 4");
  S_expect(&t, "botulinum toxin injections go?");
  S_answer(&t, "3");
  S_expect(&t, "How did the brain surgery go?");
  S_answer(&t, "<");
  /* Back: the old answer is the default. */
  S_expect(&t, "botulinum toxin injections go?");
  S_expect(&t, "[3] > ");
  S_send(&t, "back\r");
  S_expect(&t, "Which of these treatments");
  S_expect(&t, "[3 4] > ");
  S_send(&t, "5\r");
  S_expect(&t, "That was the last question");
  S_answer(&t, "");
  assert_int_equal(S_wait(&t), 0);
  S_check_answers(path, "{\"posture\": [\"anterocollis\"], \"age_group\": "
                        "\"adult\", \"duration\": \"over_5_years\", "
                        "\"treatments_tried\": [\"none\"]}");
}

/* Optional questions (the fixture pack's side_effects and years): Enter
** with nothing shown, or skip, leaves them unanswered; required ones
** refuse skip. A text default is shown as typed, UTF-8 and all. */
static void test_skip_optional(void **state) {
  const char *path = S_path("skip.json");
  const char *args[] = {"--pack", CDG_SOURCE_DIR "/tests/fixtures/mini",
                        "--session", path, NULL};
  S_term t;

  (void)state;
  S_spawn(&t, args);
  S_answer(&t, "skip");
  S_expect(&t, "This question needs an answer.");
  S_answer(&t, "1");
  S_answer(&t, "2");
  S_answer(&t, "2");
  S_expect(&t, "How did botulinum toxin go?");
  S_answer(&t, "3");
  S_expect(&t, "Which side effects?");
  S_expect(&t, "(optional: press Enter to leave it unanswered)");
  S_answer(&t, "");
  S_expect(&t, "Years since onset?");
  S_answer(&t, "back");
  S_expect(&t, "Which side effects?");
  S_answer(&t, "M\xC3\xBC" "de");
  S_expect(&t, "Years since onset?");
  S_answer(&t, "back");
  S_expect(&t, "(optional: type skip to leave it unanswered)");
  S_expect(&t, "[M\xC3\xBC" "de] > "); /* not "M??de" */
  S_send(&t, "skip\r");
  S_expect(&t, "Years since onset?");
  S_answer(&t, "skip");
  S_expect(&t, "That was the last question");
  S_answer(&t, "");
  assert_int_equal(S_wait(&t), 0);
  S_check_answers(path, "{\"posture\": [\"retrocollis\"], \"age_group\": "
                        "\"adult\", \"tried\": [\"toxin\"], "
                        "\"outcome_toxin\": \"stopped_side_effects\"}");
}

static void test_enter_takes_default(void **state) {
  const char *path = S_path("default.json");
  const char *args[] = {"--session", path, NULL};
  S_term t;

  (void)state;
  S_spawn(&t, args);
  S_answer(&t, "1 3");
  S_expect(&t, "child or an adult?");
  S_answer(&t, "back");
  S_expect(&t, "[1 3] > ");
  S_send(&t, "\r");
  S_expect(&t, "child or an adult?");
  S_answer(&t, "q");
  assert_int_equal(S_wait(&t), 0);
  S_check_answers(path, "{\"posture\": [\"retrocollis\", \"torticollis\"]}");
}

/* Keys libedit would give other meanings: M-x (its command line) and
** the history keys (with no history, they cleared the line) do nothing. */
static void test_editor_keys_inert(void **state) {
  const char *path = S_path("keys.json");
  S_term t;

  (void)state;
  S_spawn(&t, (const char *const[]){"--session", path, NULL});
  S_expect(&t, "> ");
  S_send(&t, "\033x2\033[A\020\016\r");
  S_expect(&t, "Question 2 of about");
  S_answer(&t, "q");
  assert_int_equal(S_wait(&t), 0);
  S_check_answers(path, "{\"posture\": [\"anterocollis\"]}");
}

static void test_help_and_why(void **state) {
  const char *path = S_path("why.json");
  const char *args[] = {"--session", path, NULL};
  S_term t;

  (void)state;
  S_spawn(&t, args);
  S_answer(&t, "?");
  S_expect(&t, "Choose every one that fits.");
  S_answer(&t, "why");
  S_expect(&t, "about-cervical-dystonia");
  S_answer(&t, "2");
  S_expect(&t, "child or an adult?");
  S_answer(&t, "why");
  S_expect(&t, "cd-postures");
  S_expect(&t, "posture-recorded");
  S_answer(&t, "review");
  S_expect(&t, "Forwards (anterocollis)");
  S_answer(&t, "q");
  S_expect(&t, "cdguide resume");
  assert_int_equal(S_wait(&t), 0);
}

static void test_ctrl_c_then_resume(void **state) {
  const char *path = S_path("ctrlc.json");
  const char *args[] = {"--session", path, NULL};
  const char *resume[] = {"resume", path, NULL};
  S_term t;

  (void)state;
  S_spawn(&t, args);
  S_answer(&t, "1");
  S_answer(&t, "1");
  S_expect(&t, "How long have you had");
  S_expect(&t, "> ");
  S_send(&t, "2");  /* typed, never confirmed */
  S_send(&t, "\003");
  S_expect(&t, "cdguide resume");
  assert_int_equal(S_wait(&t), 130);
  S_check_answers(path,
                  "{\"posture\": [\"retrocollis\"], \"age_group\": \"child\"}");

  S_spawn(&t, resume);
  S_expect(&t, "Question 3 of about");
  S_expect(&t, "How long have you had");
  S_answer(&t, "4");
  S_expect(&t, "Which of these treatments");
  S_send_eof(&t);
  S_expect(&t, "cdguide resume");
  assert_int_equal(S_wait(&t), 0);
  S_check_answers(path, "{\"posture\": [\"retrocollis\"], \"age_group\": "
                        "\"child\", \"duration\": \"not_sure\"}");
}

static void test_ctrl_d(void **state) {
  const char *path = S_path("ctrld.json");
  const char *args[] = {"--session", path, NULL};
  S_term t;

  (void)state;
  S_spawn(&t, args);
  S_answer(&t, "4");
  S_expect(&t, "child or an adult?");
  S_send_eof(&t);
  S_expect(&t, "cdguide resume");
  assert_int_equal(S_wait(&t), 0);
  assert_non_null(strstr(t.out, path));
  S_check_answers(path, "{\"posture\": [\"not_sure\"]}");
}

static void test_sigterm_and_sighup(void **state) {
  const char *path = S_path("term.json");
  const char *args[] = {"--session", path, NULL};
  S_term t;

  (void)state;
  S_spawn(&t, args);
  S_answer(&t, "3");
  S_expect(&t, "child or an adult?");
  S_expect(&t, "> ");
  kill(t.pid, SIGTERM);
  assert_int_equal(S_wait(&t), 143);
  S_check_answers(path, "{\"posture\": [\"torticollis\"]}");

  S_spawn(&t, (const char *const[]){"resume", path, NULL});
  S_expect(&t, "child or an adult?");
  S_expect(&t, "> ");
  kill(t.pid, SIGHUP);
  assert_int_equal(S_wait(&t), 129);
  S_check_answers(path, "{\"posture\": [\"torticollis\"]}");
}

/* Colour at a terminal, none with --no-color (nor with NO_COLOR, which
** every other case sets). */
static void test_color(void **state) {
  const char *path = S_path("color.json");
  S_term t;

  (void)state;
  S_allow_color = 1;
  S_spawn(&t, (const char *const[]){"--session", path, NULL});
  S_expect(&t, "\033[1mWhich way is your head pulled?");
  S_answer(&t, "1");
  S_answer(&t, "back");
  S_answer(&t, "q");
  assert_int_equal(S_wait(&t), 0);

  /* The dialogue is on the terminal (stderr) even when the report goes
  ** to a file: coloured, and the report is not. */
  S_stdout_to = S_path("color-report.txt");
  S_spawn(&t, (const char *const[]){"resume", path, NULL});
  S_expect(&t, "\033[1mWhich way is your head pulled?");
  S_answer(&t, "q");
  assert_int_equal(S_wait(&t), 0);
  S_stdout_to = NULL;

  S_spawn(&t, (const char *const[]){"resume", "--no-color", path, NULL});
  S_expect(&t, "Which way is your head pulled?");
  S_answer(&t, "q");
  assert_int_equal(S_wait(&t), 0);
  S_allow_color = 0;
  assert_null(strstr(t.out, "\033[1m"));
  assert_null(strstr(t.out, "\033[2m"));
}

/* One scripted walk of seven questions, killed with SIGKILL after each
** answer in turn: every confirmed answer must be in the session file. */
static void test_sigkill_at_every_question(void **state) {
  static const char *const input[] = {"3", "2", "2", "1 3 4", "1", "2", "3"};
  static const char *const qid[] = {
      "posture",          "age_group",             "duration",
      "treatments_tried", "outcome_physiotherapy", "outcome_botulinum_toxin",
      "outcome_brain_surgery"};
  static const char *const next[] = {
      "Question 2 of", "Question 3 of", "Question 4 of", "Question 5 of",
      "Question 6 of", "Question 7 of", "That was the last question"};
  const size_t nq = sizeof input / sizeof input[0];
  cdg_pack *pack = NULL;
  cdg_error err;
  size_t k, i;
  char name[32];

  (void)state;
  cdg_error_clear(&err);
  assert_int_equal(cdg_pack_builtin(&pack, &err), CDG_OK);
  for (k = 1; k <= nq; k++) {
    const char *path;
    cdg_answers *a = NULL;
    S_term t;

    snprintf(name, sizeof name, "kill-%zu.json", k);
    path = S_path(name);
    S_spawn(&t, (const char *const[]){"--session", path, NULL});
    for (i = 0; i < k; i++) {
      S_answer(&t, input[i]);
      S_expect(&t, next[i]);
    }
    kill(t.pid, SIGKILL);
    S_wait(&t);
    if (session_load(path, pack, &a, &err) != CDG_OK)
      fail_msg("killed after %zu answers: %s: %s", k, path, err.message);
    for (i = 0; i < nq; i++)
      if (cdg_answers_has(a, qid[i]) != (i < k))
        fail_msg("killed after %zu answers: %s is %s", k, qid[i],
                 i < k ? "missing" : "there");
    cdg_answers_free(a);
  }
  cdg_pack_free(pack);
}

static void test_piped_to_report(void **state) {
  static const char input[] = "3\n2\n2\n5\n\n";
  const char *path = S_path("piped.json");
  static S_piped r;

  (void)state;
  S_run_piped(&r, (const char *const[]){"--session", path, NULL}, input,
              sizeof input - 1);
  if (r.status != 0)
    fail_msg("piped run exited %d; stderr:\n%s", r.status, r.err);
  /* The report is on stdout, the questions on stderr. */
  assert_non_null(strstr(r.out, "standard-treatment"));
  assert_null(strstr(r.out, "Question 1 of about"));
  assert_non_null(strstr(r.err, "Which way is your head pulled?"));
  assert_null(strchr(r.out, '\033'));
  S_check_answers(path, "{\"posture\": [\"torticollis\"], \"age_group\": "
                        "\"adult\", \"duration\": \"1_to_5_years\", "
                        "\"treatments_tried\": [\"none\"]}");
}

static void test_piped_eof_midway(void **state) {
  static const char input[] = "3\n2\n";
  const char *path = S_path("eof.json");
  static S_piped r;

  (void)state;
  S_run_piped(&r, (const char *const[]){"--session", path, NULL}, input,
              sizeof input - 1);
  /* Input that ends early says what is missing, and is not success. */
  assert_int_equal(r.status, 65);
  assert_non_null(strstr(r.err, "Input ended with about"));
  assert_non_null(strstr(r.err, "the next is:\n  How long have you had"));
  assert_non_null(strstr(r.err, " resume "));
  assert_non_null(strstr(r.err, path));
  S_check_answers(path,
                  "{\"posture\": [\"torticollis\"], \"age_group\": \"adult\"}");
}

/* A question with more options than fit on one screen (70) is answered by
** its last number: the questionnaire offers every option the loader
** allows. */
static void test_many_options(void **state) {
  static char pack[16384];
  static S_piped r;
  const char *path = S_path("many.json");
  char dir[96];
  size_t n;
  int i;

  (void)state;
  n = (size_t)snprintf(pack, sizeof pack,
                       "{\"id\": \"many\", \"version\": \"0.1.0\", "
                       "\"title\": \"Many options\", \"source\": "
                       "{\"title\": \"Invented\", \"publisher\": \"Nobody\", "
                       "\"sha256\": \"%064d\"}, \"questions\": [{\"id\": "
                       "\"pick\", \"type\": \"single\", \"text\": \"Pick "
                       "one\", \"options\": [",
                       0);
  for (i = 1; i <= 70; i++)
    n += (size_t)snprintf(pack + n, sizeof pack - n,
                          "%s{\"code\": \"o%d\", \"label\": \"Option %d\"}",
                          i > 1 ? ", " : "", i, i);
  snprintf(pack + n, sizeof pack - n,
           "]}], \"rules\": [{\"id\": \"always\", \"when\": true, "
           "\"cite\": [\"cd-what-it-is\"], \"because\": \"Always.\"}]}");
  snprintf(dir, sizeof dir, "%s/many", S_dir);
  assert_int_equal(mkdir(dir, 0700), 0);
  S_write(S_path("many/pack.json"), pack);
  S_run_piped(&r,
              (const char *const[]){"--pack", dir, "--session", path, NULL},
              "70\n\n", 4);
  if (r.status != 0)
    fail_msg("exit %d; stderr:\n%s", r.status, r.err);
  assert_non_null(strstr(r.err, "70) Option 70"));
  S_check_answers(path, "{\"pick\": \"o70\"}");
}

/* The resume command is one shell word even with spaces and quotes. */
static void test_resume_command_quoted(void **state) {
  const char *path = S_path("it's mine.json");
  char expected[512];
  static S_piped r;

  (void)state;
  S_run_piped(&r, (const char *const[]){"--session", path, NULL}, "1\n", 2);
  assert_int_equal(r.status, 65);
  snprintf(expected, sizeof expected, " resume '%s/it'\\''s mine.json'",
           S_dir);
  if (!strstr(r.err, expected))
    fail_msg("expected %s in:\n%s", expected, r.err);
  S_check_answers(path, "{\"posture\": [\"retrocollis\"]}");
}

/* Escape sequences, control bytes, NULs and invalid UTF-8 as answers:
** explained, never echoed raw, and the run ends cleanly at end of input. */
static void test_piped_hostile_bytes(void **state) {
  static const char input[] = "\033[31mred\n"
                              "\x9b"
                              "31m\n"
                              "1\0002\n"
                              "\xff\xfe\xc3\n"
                              "\033]0;title\007\n"
                              "1";
  const char *path = S_path("hostile.json");
  static S_piped r;

  (void)state;
  S_run_piped(&r, (const char *const[]){"--session", path, NULL}, input,
              sizeof input - 1);
  assert_int_equal(r.status, 65);
  assert_null(strstr(r.err, "\033["));
  assert_null(strstr(r.err, "\033]"));
  assert_null(strchr(r.err, '\x9b'));
  assert_null(strchr(r.err, '\a'));
  assert_non_null(strstr(r.err, "is not one of the answers"));
  /* The last line had no line end, and still counts. */
  S_check_answers(path, "{\"posture\": [\"retrocollis\"]}");
}

/* A session file that cannot be used is refused and left as it was. */
static void test_resume_refused_untouched(void **state) {
  static const char corrupt[] = "{\"cdguide_session\": 1, \"pack\": {";
  static const char old[] =
      "{\"cdguide_session\": 1, \"pack\": {\"id\": \"cervical-dystonia\", "
      "\"version\": \"0.9.0\"}, \"answers\": {}}\n";
  const char *bad = S_path("corrupt.json"), *stale = S_path("old.json");
  static S_piped r;
  char *after;

  (void)state;
  S_write(bad, corrupt);
  S_run_piped(&r, (const char *const[]){"resume", bad, NULL}, "", 0);
  assert_int_equal(r.status, 65);
  assert_non_null(strstr(r.err, bad));
  after = testfile_read(bad, NULL);
  assert_string_equal(after, corrupt);
  free(after);

  S_write(stale, old);
  S_run_piped(&r, (const char *const[]){"resume", stale, NULL}, "", 0);
  assert_int_equal(r.status, 65);
  assert_non_null(strstr(r.err, "session was saved with pack "
                                "cervical-dystonia 0.9.0; this is 1.0.0"));
  after = testfile_read(stale, NULL);
  assert_string_equal(after, old);
  free(after);
}

/* A session file that cannot be created stops the run before the first
** question, with exit 73 (EX_CANTCREAT). */
static void test_session_cannot_be_created(void **state) {
  const char *file = S_path("plain-file");
  char path[300];
  static S_piped r;

  (void)state;
  S_write(file, "x");
  snprintf(path, sizeof path, "%s/s.json", file);
  S_run_piped(&r, (const char *const[]){"--session", path, NULL}, "1\n", 2);
  assert_int_equal(r.status, 73);
  assert_non_null(strstr(r.err, path));
  assert_null(strstr(r.err, "Which way is your head pulled?"));
}

/* Without --session the file goes under $XDG_STATE_HOME/cdguide. */
static void test_default_session_path(void **state) {
  static S_piped r;
  const char *dir = S_path("state/cdguide");
  char *p, *end;
  struct stat sb;

  (void)state;
  S_run_piped(&r, (const char *const[]){NULL}, "2\n", 2);
  if (r.status != 65)
    fail_msg("exit %d; stderr:\n%s", r.status, r.err);
  p = strstr(r.err, dir);
  assert_non_null(p);
  end = strstr(p, ".json");
  assert_non_null(end);
  end[5] = '\0';
  assert_int_equal(stat(dir, &sb), 0);
  assert_int_equal(sb.st_mode & 07777, 0700);
  S_check_answers(p, "{\"posture\": [\"anterocollis\"]}");
}


/* ---- Issue 13: the journal ------------------------------------------- */

/* Going back five times deletes nothing: the answers stay in the journal
** and come back as defaults on resume. */
static void test_back_never_deletes(void **state) {
  static const char input[] = "3\n2\n2\n1\n<\n<\n<\n<\n<\nq\n";
  const char *path = S_path("back5.json");
  static S_piped r;
  journal *j = NULL;
  cdg_error err;
  S_term t;

  (void)state;
  S_run_piped(&r, (const char *const[]){"--session", path, NULL}, input,
              sizeof input - 1);
  assert_int_equal(r.status, 0);
  assert_int_equal(session_read_any(path, &j, &err), CDG_OK);
  assert_int_equal(cJSON_GetArraySize(journal_current(j)), 0);
  assert_int_equal(cJSON_GetArraySize(journal_said(j)), 4);
  journal_free(j);
  S_spawn(&t, (const char *const[]){"resume", path, NULL});
  S_expect(&t, "Which way is your head pulled?");
  S_expect(&t, "[3] > ");
  S_send(&t, "\r");
  S_expect(&t, "[2] > ");
  S_send(&t, "q\r");
  assert_int_equal(S_wait(&t), 0);
}

/* One writer: a second resume while the first has the file open is 75,
** naming the file; the file is unchanged. */
static void test_second_writer_refused(void **state) {
  const char *path = S_path("two.json");
  static S_piped r;
  char *before, *after;
  S_term t;

  (void)state;
  S_run_piped(&r, (const char *const[]){"--session", path, NULL}, "1\nq\n",
              4);
  assert_int_equal(r.status, 0);
  S_spawn(&t, (const char *const[]){"resume", path, NULL});
  S_expect(&t, "child or an adult?");
  S_expect(&t, "> ");
  before = testfile_read(path, NULL);
  S_run_piped(&r, (const char *const[]){"resume", path, NULL}, "2\n", 2);
  assert_int_equal(r.status, 75);
  assert_non_null(strstr(r.err, path));
  assert_non_null(strstr(r.err, "in use"));
  after = testfile_read(path, NULL);
  assert_string_equal(after, before);
  free(before);
  free(after);
  S_send(&t, "q\r");
  assert_int_equal(S_wait(&t), 0);
  /* review still reads it while a questionnaire has it open. */
}

/* A read-only session file is never replaced: 77, nothing changed. */
static void test_read_only_session(void **state) {
  const char *path = S_path("ro.json");
  static S_piped r;
  char *before, *after;

  (void)state;
  S_run_piped(&r, (const char *const[]){"--session", path, NULL}, "1\nq\n",
              4);
  assert_int_equal(chmod(path, 0400), 0);
  before = testfile_read(path, NULL);
  S_run_piped(&r, (const char *const[]){"resume", path, NULL}, "2\nq\n", 4);
  assert_int_equal(r.status, 77);
  assert_non_null(strstr(r.err, "read-only"));
  assert_null(strstr(r.err, "child or an adult?"));
  after = testfile_read(path, NULL);
  assert_string_equal(after, before);
  free(before);
  free(after);
}

/* cdguide </dev/null makes no session file. */
static void test_no_input_no_file(void **state) {
  const char *path = S_path("never.json");
  static S_piped r;
  struct stat sb;

  (void)state;
  S_run_piped(&r, (const char *const[]){"--session", path, NULL}, "", 0);
  assert_int_equal(r.status, 65);
  assert_non_null(strstr(r.err, "no session file was made"));
  assert_int_equal(lstat(path, &sb), -1);
}

/* --output: '-' and /dev/stdout are standard output; a read-only file is
** refused before the first question. */
static void test_output_path(void **state) {
  const char *answers = CDG_SOURCE_DIR "/tests/golden/mini-answers.json";
  const char *ro = S_path("ro-report.txt"), *dash = S_path("-");
  static S_piped r;
  struct stat sb;

  (void)state;
  S_run_piped(&r, (const char *const[]){"run", "--pack",
                                        CDG_SOURCE_DIR "/tests/fixtures/mini",
                                        "--answers", answers, "--output", "-",
                                        NULL},
              "", 0);
  assert_int_equal(r.status, 0);
  assert_true(r.nout > 0);
  assert_int_equal(lstat("-", &sb), -1);
  assert_int_equal(lstat(dash, &sb), -1);
  S_run_piped(&r, (const char *const[]){"run", "--pack",
                                        CDG_SOURCE_DIR "/tests/fixtures/mini",
                                        "--answers", answers, "--output",
                                        "/dev/stdout", NULL},
              "", 0);
  assert_int_equal(r.status, 0);
  assert_true(r.nout > 0);
  S_write(ro, "keep\n");
  assert_int_equal(chmod(ro, 0400), 0);
  S_run_piped(&r, (const char *const[]){"run", "--output", ro, NULL}, "1\n",
              2);
  assert_int_equal(r.status, 77);
  assert_null(strstr(r.err, "Which way is your head pulled?"));
}

/* The numbered summary: change one answer by its number, then confirm;
** the change is a journal event with the old and the new answer. */
static void test_summary_change(void **state) {
  const char *path = S_path("summary.json");
  static S_piped r;
  S_term t;

  (void)state;
  S_spawn(&t, (const char *const[]){"--session", path, NULL});
  S_answer(&t, "3");
  S_answer(&t, "2");
  S_answer(&t, "2");
  S_answer(&t, "5");
  S_expect(&t, "That was the last question. Your answers:");
  S_expect(&t, " 2) Are these answers about a child or an adult?");
  S_answer(&t, "2");
  S_expect(&t, "child or an adult?");
  S_answer(&t, "1");
  S_expect(&t, "Your answers:");
  S_answer(&t, "");
  S_expect(&t, "standard-treatment");
  assert_int_equal(S_wait(&t), 0);
  S_check_answers(path, "{\"posture\": [\"torticollis\"], \"age_group\": "
                        "\"child\", \"duration\": \"1_to_5_years\", "
                        "\"treatments_tried\": [\"none\"]}");
  S_run_piped(&r, (const char *const[]){"review", "--history", path, NULL},
              "", 0);
  assert_int_equal(r.status, 0);
  assert_non_null(strstr(r.out, "changed: Are these answers about a child "
                                "or an adult?\n        An adult -> A child"));
  assert_non_null(strstr(r.out, "finished"));
  /* resume of a finished session opens the summary */
  S_spawn(&t, (const char *const[]){"resume", path, NULL});
  S_expect(&t, "That was the last question. Your answers:");
  S_answer(&t, "q");
  assert_int_equal(S_wait(&t), 0);
}

/* run --from OLD: each question offers the old answer; Enter keeps it. */
static void test_run_from(void **state) {
  const char *old = S_path("from-old.json"), *path = S_path("from-new.json");
  static S_piped r;
  char *text;

  (void)state;
  S_run_piped(&r, (const char *const[]){"--session", old, NULL},
              "3\n2\n2\n5\n\n", 10);
  assert_int_equal(r.status, 0);
  S_run_piped(&r,
              (const char *const[]){"run", "--from", old, "--session", path,
                                    NULL},
              "\n\n\n\n\n", 5);
  if (r.status != 0)
    fail_msg("exit %d; stderr:\n%s", r.status, r.err);
  assert_non_null(strstr(r.err, "Starting from the answers in"));
  assert_non_null(strstr(r.err, "[3] > "));
  S_check_answers(path, "{\"posture\": [\"torticollis\"], \"age_group\": "
                        "\"adult\", \"duration\": \"1_to_5_years\", "
                        "\"treatments_tried\": [\"none\"]}");
  text = testfile_read(path, NULL);
  assert_non_null(strstr(text, "\"event\":\"started_from\""));
  assert_non_null(strstr(text, "\"version\":\"1.0.0\""));
  free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_full_by_numbers),
      cmocka_unit_test(test_labels_and_tab),
      cmocka_unit_test(test_tab_list_sanitised),
      cmocka_unit_test(test_invalid_answers),
      cmocka_unit_test(test_back_and_change),
      cmocka_unit_test(test_skip_optional),
      cmocka_unit_test(test_enter_takes_default),
      cmocka_unit_test(test_editor_keys_inert),
      cmocka_unit_test(test_help_and_why),
      cmocka_unit_test(test_ctrl_c_then_resume),
      cmocka_unit_test(test_ctrl_d),
      cmocka_unit_test(test_sigterm_and_sighup),
      cmocka_unit_test(test_color),
      cmocka_unit_test(test_sigkill_at_every_question),
      cmocka_unit_test(test_piped_to_report),
      cmocka_unit_test(test_piped_eof_midway),
      cmocka_unit_test(test_many_options),
      cmocka_unit_test(test_resume_command_quoted),
      cmocka_unit_test(test_piped_hostile_bytes),
      cmocka_unit_test(test_resume_refused_untouched),
      cmocka_unit_test(test_session_cannot_be_created),
      cmocka_unit_test(test_default_session_path),
      cmocka_unit_test(test_back_never_deletes),
      cmocka_unit_test(test_second_writer_refused),
      cmocka_unit_test(test_read_only_session),
      cmocka_unit_test(test_no_input_no_file),
      cmocka_unit_test(test_output_path),
      cmocka_unit_test(test_summary_change),
      cmocka_unit_test(test_run_from),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
