/*
** dialogue.c: the questionnaire's output: sanitised and wrapped text, the
** resume hint, and the helpers every screen of the run uses.
*/
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dialogue.h"
#include "render.h"

const char *const dlg_commands[DLG_NCOMMANDS] = {"back", "help", "quit",
                                                 "review", "skip", "why"};

int dlg_is_space(char c) { return c == ' ' || c == '\t'; }

/* Text from the pack or the user, never raw escapes. */
void dlg_put(dlg_run *r, const char *s) {
  cli_put_sanitized(r->out, s, strlen(s));
}

/* At most CDG_MAX_SHOWN bytes of what the user typed, whole characters,
** sanitised, in quotes. */
void dlg_put_input(dlg_run *r, const char *s, size_t n) {
  size_t m = cdg_utf8_prefix(s, n, CDG_MAX_SHOWN);

  fputc('"', r->out);
  cli_put_sanitized(r->out, s, m);
  fputs(m < n ? "...\"" : "\"", r->out);
}

void dlg_style(dlg_run *r, const char *sgr) {
  if (r->color)
    fprintf(r->out, "\033[%sm", sgr);
}

#define S_MAX_WIDTH 100 /* longer lines are hard to read */

/* The dialogue's width, read again at each render so that the text
** rewraps after the terminal is resized (SIGWINCH). */
int dlg_width(void) {
  int w = cli_term_width(STDERR_FILENO);

  return w > S_MAX_WIDTH ? S_MAX_WIDTH : w;
}

/* Write text sanitised and wrapped to the terminal: the first line
** indented by indent columns, the others by hang. */
void dlg_put_wrapped(dlg_run *r, const char *text, int indent, int hang) {
  render rr;

  render_init(&rr, r->out, dlg_width());
  render_textf(&rr, indent, hang, "%s", text);
}

/* A path as one shell word: single-quoted unless it is plain. */
static void S_put_shell_word(dlg_run *r, const char *s) {
  size_t n;

  if (s[0] == '-')
    fputs("./", r->out);  /* never read as an option */
  if (s[0] && s[strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                          "0123456789_./-+:@%,=")] == '\0') {
    dlg_put(r, s);
    return;
  }
  fputc('\'', r->out);
  for (;;) {
    n = strcspn(s, "'");
    cli_put_sanitized(r->out, s, n);
    if (!s[n])
      break;
    fputs("'\\''", r->out);
    s += n + 1;
  }
  fputc('\'', r->out);
}

/* The command to run this program again: "cdguide" when that is what
** PATH finds, else its absolute path. */
static void S_put_program(dlg_run *r) {
  char self[PATH_MAX], found[PATH_MAX], cand[PATH_MAX];
  const char *path = getenv("PATH"), *p, *end;
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);

  if (n <= 0) {
    fputs("cdguide", r->out);
    return;
  }
  self[n] = '\0';
  for (p = path; p && *p; p = *end ? end + 1 : end) {
    end = strchr(p, ':');
    if (!end)
      end = p + strlen(p);
    if (end > p &&
        snprintf(cand, sizeof cand, "%.*s/cdguide", (int)(end - p), p) <
            (int)sizeof cand &&
        realpath(cand, found) && strcmp(found, self) == 0) {
      fputs("cdguide", r->out);
      return;
    }
  }
  S_put_shell_word(r, self);
}

void dlg_say_resume(dlg_run *r) {
  if (!journal_exists(r->j)) {
    fputs("No answer was given; no session file was made.\n", r->out);
    return;
  }
  fputs("Your answers are saved. To continue later:\n  ", r->out);
  S_put_program(r);
  fputs(" resume ", r->out);
  if (r->o->pack_dir) {
    fputs("--pack ", r->out);
    S_put_shell_word(r, r->o->pack_dir);
    fputc(' ', r->out);
  }
  S_put_shell_word(r, r->path);
  fputc('\n', r->out);
}

cJSON *dlg_json(const cdg_answers *a) {
  char *t = cdg_answers_to_json(a);
  cJSON *o = t ? cJSON_Parse(t) : NULL;

  cdg_free(t);
  return o;
}

int dlg_nomem(void) {
  cli_errorf("out of memory");
  return cli_exit_code(CDG_ERR_NOMEM);
}
