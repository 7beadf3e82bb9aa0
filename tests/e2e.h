/*
** e2e.h: a small expect for the end-to-end tests: the real binary
** (CDG_BINARY) in a pseudo-terminal (forkpty) or through pipes, in one
** temporary directory per test program. Wait (30 s at most) for a string
** in the output, then type.
*/
#ifndef CDG_TEST_E2E_H
#define CDG_TEST_E2E_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

extern char e2e_dir[64];           /* the temporary directory of the run */
extern int e2e_allow_color;        /* 0: children run with NO_COLOR=1 */
extern const char *e2e_stdout_to;  /* a file for the child's stdout, or NULL */
extern const char *e2e_term_name;  /* TERM of the children ("xterm") */
/* Unless NULL, e2e_spawn and e2e_run_piped add "--pack" e2e_pack to the
** binary's arguments (when they name no pack): the scripts written for
** pack 1.0's eight questions run against the 1.0 fixture. */
extern const char *e2e_pack;
/* The pack 1.0 fixture, for e2e_pack. */
#define E2E_PACK1 CDG_SOURCE_DIR "/tests/fixtures/pack-1.0"

/* name in the run's directory (one of 8 rotating buffers). */
const char *e2e_path(const char *name);

/* Write text to path; fails the test if it cannot. */
void e2e_write(const char *path, const char *text);

/* The answers that count in session file path (the fold of its journal),
** as a cJSON tree (caller deletes). */
cJSON *e2e_session_answers(const char *path);

/* Session file path holds exactly the answers written in expected. */
void e2e_check_answers(const char *path, const char *expected);

typedef struct e2e_term e2e_term;
/* Wait until the program has the terminal out of canonical mode (the
** line editor's raw mode): keys typed before that are echoed by the
** terminal itself. */
void e2e_wait_raw(e2e_term *t);

typedef struct e2e_term {
  pid_t pid;
  int fd;
  char out[1 << 16];
  size_t len;   /* bytes in out */
  size_t mark;  /* e2e_expect searches from here */
  int status;
} e2e_term;

/* Start prog (or the binary) with args (NULL-terminated, without argv[0])
** in a pseudo-terminal of 80x24. */
void e2e_spawn_prog(e2e_term *t, const char *prog, const char *const *args);
void e2e_spawn(e2e_term *t, const char *const *args);

/* Read what is there within ms; 0 on timeout, -1 at end of output. */
int e2e_pump(e2e_term *t, int ms);

long e2e_now_ms(void);

/* s in the output after the mark, or NULL. */
const char *e2e_find(const e2e_term *t, const char *s);

/* Wait for s in the output; move the mark past it. */
void e2e_expect(e2e_term *t, const char *s);

void e2e_send(e2e_term *t, const char *s);

/* Wait for the child to exit; its exit status, or 128 + signal. */
int e2e_wait(e2e_term *t);

/* Ctrl-D at the prompt, once libedit has the terminal in raw mode. */
void e2e_send_eof(e2e_term *t);

/* Answer the current prompt with line and Enter. */
void e2e_answer(e2e_term *t, const char *line);

typedef struct e2e_piped {
  char out[1 << 17], err[1 << 16];
  size_t nout, nerr;
  int status;
} e2e_piped;

/* Run the binary with args, input on stdin (then end of input), no
** terminal anywhere. */
void e2e_run_piped(e2e_piped *r, const char *const *args, const char *input,
                   size_t ninput);

/* The group set-up and tear-down: make and remove e2e_dir. */
int e2e_setup(void **state);
int e2e_teardown(void **state);

#endif
