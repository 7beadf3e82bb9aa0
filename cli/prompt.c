/*
** prompt.c: line input for the questionnaire: libedit through its native
** histedit.h API at a terminal, plain reads otherwise.
**
** libedit's own signal handling (EL_SIGNAL) is not used: its handler
** re-raises the signal with kill(0, sig), which reaches the whole process
** group. Instead libedit reads characters through S_getc (EL_GETCFN), which
** waits in pselect with the signals unblocked and ends the line with an
** error when one arrives; el_gets then restores the terminal and returns.
**
** No History is ever created and no editrc is read: nothing typed is kept
** after its line is handed back, and nothing is written to any file.
**
** Without EL_SIGNAL, libedit does not see SIGCONT or SIGWINCH either: after
** Ctrl-Z and fg the shell has left the terminal cooked (it would echo what
** is typed, and libedit too), and after a resize libedit would wrap at
** the old width. Both only set a flag; the wait in S_wait_read then puts
** the terminal back in raw mode and redraws, or tells libedit the size.
*/
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/select.h>
#include <unistd.h>
#include <wchar.h>

#include <histedit.h>

#include "cdg_base.h"
#include "cdg_limits.h"
#include "cli.h"
#include "prompt.h"

struct prompt {
  int fd;                    /* input: see S_open_input */
  FILE *out;
  EditLine *el;              /* NULL when reading plainly */
  const char *text;          /* the prompt of the current read */
  mbstate_t mbs;             /* decoding state of S_getc */
  const char *const *words, *const *more;
  size_t nwords, nmore;
  cdg_buf buf;               /* plain input, or the copy of the line */
  size_t pos;                /* plain: bytes of buf consumed */
  int eof;                   /* input has ended */
  int tty;                   /* input is a terminal */
  void (*redraw)(void *);    /* shows the question again (SIGCONT) */
  void *redraw_arg;
};

/* ---- Signals ----------------------------------------------------------- */

static const int S_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define S_NSIGNALS (sizeof S_signals / sizeof S_signals[0])

/* Signals that do not end a read: continued after a stop, resized. */
static const int S_notes[] = {SIGCONT, SIGWINCH};
#define S_NNOTES (sizeof S_notes / sizeof S_notes[0])

static volatile sig_atomic_t S_sig, S_cont, S_winch;
static struct sigaction S_old_action[S_NSIGNALS], S_old_note[S_NNOTES];
static int S_installed[S_NSIGNALS], S_noted[S_NNOTES];
static sigset_t S_old_mask;  /* the mask while waiting for input */

static void S_handler(int signo) { S_sig = signo; }

static void S_note(int signo) {
  if (signo == SIGCONT)
    S_cont = 1;
  else
    S_winch = 1;
}

int prompt_signals_install(void) {
  struct sigaction sa;
  sigset_t block;
  size_t i;

  memset(&sa, 0, sizeof sa);
  sa.sa_handler = S_handler;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  /* no SA_RESTART: the wait must end */
  sigemptyset(&block);
  for (i = 0; i < S_NSIGNALS; i++) {
    S_installed[i] = 0;
    if (sigaction(S_signals[i], NULL, &S_old_action[i]) != 0)
      return -1;
    if (S_old_action[i].sa_handler == SIG_IGN)
      continue;
    sigaddset(&block, S_signals[i]);
    if (sigaction(S_signals[i], &sa, NULL) != 0)
      return -1;
    S_installed[i] = 1;
  }
  sa.sa_handler = S_note;
  sa.sa_flags = SA_RESTART; /* a note never ends a write */
  for (i = 0; i < S_NNOTES; i++) {
    S_noted[i] = 0;
    if (sigaction(S_notes[i], &sa, &S_old_note[i]) != 0)
      return -1;
    sigaddset(&block, S_notes[i]);
    S_noted[i] = 1;
  }
  return sigprocmask(SIG_BLOCK, &block, &S_old_mask);
}

void prompt_signals_restore(void) {
  size_t i;

  for (i = 0; i < S_NSIGNALS; i++)
    if (S_installed[i])
      sigaction(S_signals[i], &S_old_action[i], NULL);
  for (i = 0; i < S_NNOTES; i++)
    if (S_noted[i])
      sigaction(S_notes[i], &S_old_note[i], NULL);
  sigprocmask(SIG_SETMASK, &S_old_mask, NULL);
}

int prompt_signal(void) { return (int)S_sig; }

/*
** Continued after a stop (Ctrl-Z, fg): the shell has set the terminal as
** it likes it. Raw mode again (libedit thinks it never left it, so cooked
** first), then the question and the line as typed so far.
*/
static void S_continued(prompt *p) {
  if (!p->tty)
    return; /* a pipe: nothing was drawn */
  if (p->el) {
    el_set(p->el, EL_PREP_TERM, 0);
    el_set(p->el, EL_PREP_TERM, 1);
  }
  if (p->redraw)
    p->redraw(p->redraw_arg);
  if (p->el)
    el_set(p->el, EL_REFRESH);
  else
    fputs(p->text ? p->text : "", p->out);
  fflush(p->out);
}

/*
** Read up to size bytes from p->fd once it is readable; the signals are
** unblocked only inside pselect. fd is non-blocking at a terminal: Ctrl-C
** flushes the terminal's input, so what pselect saw may be gone by the
** read, which must then not wait. Returns the count, 0 at end of input,
** or -1 (errno EINTR when a signal arrived).
*/
static ssize_t S_wait_read(prompt *p, void *buf, size_t size) {
  int fd = p->fd;
  fd_set in;
  ssize_t n;

  for (;;) {
    if (S_sig) {
      errno = EINTR;
      return -1;
    }
    if (S_cont) {
      S_cont = 0;
      S_continued(p);
    }
    if (S_winch) {
      S_winch = 0;
      if (p->el)
        el_resize(p->el);
    }
    FD_ZERO(&in);
    FD_SET(fd, &in);
    if (pselect(fd + 1, &in, NULL, NULL, NULL, &S_old_mask) < 0) {
      if (errno == EINTR)
        continue;  /* S_sig is checked at the top */
      return -1;
    }
    n = read(fd, buf, size);
    if (n >= 0 || (errno != EINTR && errno != EAGAIN))
      return n;
  }
}

/*
** The descriptor to read: at a terminal, the terminal opened again with
** O_NONBLOCK (a file description of our own, so the shell's stdin keeps
** its flags); otherwise 0, where data pselect saw stays until read.
*/
static int S_open_input(void) {
  const char *tty;
  int fd;

  if (!isatty(0) || !(tty = ttyname(0)))
    return 0;
  fd = open(tty, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  return fd >= 0 ? fd : 0;
}

/* ---- libedit ----------------------------------------------------------- */

static prompt *S_prompt_of(EditLine *el) {
  void *p = NULL;

  el_get(el, EL_CLIENTDATA, &p);
  return p;
}

static char *S_prompt_text(EditLine *el) {
  prompt *p = S_prompt_of(el);

  return (char *)(p && p->text ? p->text : "");
}

/* One character for libedit, decoded in the locale (LC_CTYPE). Invalid
** bytes and NULs are dropped. Returns 1, 0 at end of input, -1 on error
** or signal. */
static int S_getc(EditLine *el, wchar_t *wc) {
  prompt *p = S_prompt_of(el);
  unsigned char b;
  size_t r;
  ssize_t n;

  for (;;) {
    n = S_wait_read(p, &b, 1);
    if (n <= 0) {
      /* A terminal that went away reads as 0 bytes or EIO. */
      p->eof = n == 0 || errno == EIO;
      *wc = L'\0';
      return n == 0 ? 0 : -1;
    }
    r = mbrtowc(wc, (const char *)&b, 1, &p->mbs);
    if (r == (size_t)-2)
      continue;
    if (r == (size_t)-1) {
      memset(&p->mbs, 0, sizeof p->mbs);
      continue;
    }
    if (r == 0)
      continue;
    return 1;
  }
}

/* Length of the longest prefix that a and b share, ignoring ASCII case. */
static size_t S_common(const char *a, const char *b) {
  size_t i = 0;

  while (a[i] && b[i] &&
         tolower((unsigned char)a[i]) == tolower((unsigned char)b[i]))
    i++;
  return i;
}

/* Words of list that start with the n bytes at s (ASCII case ignored):
** how many, the first, and the prefix they all share. */
static size_t S_matches(const char *const *list, size_t count, const char *s,
                        size_t n, const char **first, size_t *shared) {
  size_t i, found = 0;

  for (i = 0; i < count; i++) {
    if (strlen(list[i]) < n || strncasecmp(list[i], s, n) != 0)
      continue;
    if (found++ == 0) {
      *first = list[i];
      *shared = strlen(list[i]);
    } else {
      size_t c = S_common(*first, list[i]);
      if (c < *shared)
        *shared = c;
    }
  }
  return found;
}

/* The longest prefix of the first k bytes of s that ends on a character
** boundary: a completion never cuts a multibyte character in two. */
static size_t S_whole(const char *s, size_t k) {
  size_t n = 0, len;

  while (n < k && (len = cdg_utf8_decode(s + n, k - n, NULL)) > 0)
    n += len;
  return n;
}

/* Print the words that start with the n bytes at s, one a line. The
** words are labels and codes from the pack: sanitised. */
static void S_list(prompt *p, const char *const *list, size_t count,
                   const char *s, size_t n) {
  size_t i;

  fputc('\n', p->out);
  for (i = 0; i < count; i++)
    if (strlen(list[i]) >= n && strncasecmp(list[i], s, n) == 0)
    {
      fputs("  ", p->out);
      cli_put_sanitized(p->out, list[i], strlen(list[i]));
      fputc('\n', p->out);
    }
}

/*
** Tab: complete the answer being typed at the cursor, which starts after
** the last comma (so "Physiotherapy, Bot" completes "Bot"), or else after
** the last space. A unique match replaces the typed word; several extend
** it to what they share, or are listed when that adds nothing.
*/
static unsigned char S_complete(EditLine *el, int ch) {
  prompt *p = S_prompt_of(el);
  const LineInfo *li = el_line(el);
  const char *starts[2], *s, *first = NULL;
  const char *const *list;
  char word[1024];
  size_t k, n, shared = 0, found, count;

  (void)ch;
  starts[0] = starts[1] = li->buffer;
  for (s = li->cursor; s > li->buffer; s--)
    if (s[-1] == ',') {
      starts[0] = s;
      break;
    }
  for (s = li->cursor; s > li->buffer; s--)
    if (s[-1] == ' ' || s[-1] == ',') {
      starts[1] = s;
      break;
    }
  while (starts[0] < li->cursor && *starts[0] == ' ')
    starts[0]++;
  for (k = 0; k < 4; k++) {
    s = starts[k % 2];
    n = (size_t)(li->cursor - s);
    list = k < 2 ? p->words : p->more;
    count = k < 2 ? p->nwords : p->nmore;
    found = S_matches(list, count, s, n, &first, &shared);
    if (found == 0)
      continue;
    if (shared > n)
      shared = n + S_whole(first + n, shared - n);
    if (found > 1 && shared <= n) {
      S_list(p, list, count, s, n);
      return CC_REDISPLAY;
    }
    if (shared >= sizeof word)
      return CC_ERROR;
    memcpy(word, first, shared);
    word[shared] = '\0';
    el_deletestr(el, (int)cdg_utf8_count(s, n));
    return el_insertstr(el, word) == 0 ? CC_REFRESH : CC_ERROR;
  }
  return CC_ERROR;
}

/* Keys of the emacs map that must do nothing here (see prompt_new). */
static const char *const S_unbound[] = {
    "^[x", "^[X", "^N",   "^P",   "^R",   "^S",   "^[n",  "^[N",
    "^[p", "^[P", "^[[A", "^[[B", "^[OA", "^[OB", "\\U+00CE", "\\U+00D0",
    "\\U+00EE", "\\U+00F0"};

prompt *prompt_new(const char *prog, FILE *out, int edit) {
  prompt *p = cdg_calloc(1, sizeof *p);
  size_t i;

  if (!p)
    return NULL;
  p->out = out;
  p->fd = S_open_input();
  p->tty = isatty(0);
  if (!edit)
    return p;
  p->el = el_init(prog, stdin, out, out);
  if (!p->el) {
    prompt_free(p);
    return NULL;
  }
  el_set(p->el, EL_CLIENTDATA, (void *)p);
  el_set(p->el, EL_EDITOR, "emacs");
  el_set(p->el, EL_PROMPT, S_prompt_text);
  el_set(p->el, EL_GETCFN, S_getc);
  /* The wide form: the narrow one duplicates the strings and leaks them. */
  el_wset(p->el, EL_ADDFN, L"cdg-complete", L"Complete an answer",
          S_complete);
  el_set(p->el, EL_BIND, "^I", "cdg-complete", NULL);
  /* No extended command line (M-x runs editline's own commands, and some
  ** crash it) and, with no history, no history keys: they would only
  ** clear the line being typed. Those keys beep instead. */
  for (i = 0; i < sizeof S_unbound / sizeof S_unbound[0]; i++)
    el_set(p->el, EL_BIND, S_unbound[i], "ed-unassigned", NULL);
  /* In emacs mode these characters mean M-x; here they are letters. */
  el_set(p->el, EL_BIND, "\\U+00D8", "ed-insert", NULL);
  el_set(p->el, EL_BIND, "\\U+00F8", "ed-insert", NULL);
  return p;
}

void prompt_free(prompt *p) {
  if (!p)
    return;
  if (p->el)
    el_end(p->el);
  if (p->fd > 0)
    close(p->fd);
  cdg_buf_free(&p->buf);
  cdg_free(p);
}

void prompt_set_redraw(prompt *p, void (*redraw)(void *), void *arg) {
  p->redraw = redraw;
  p->redraw_arg = arg;
}

void prompt_set_words(prompt *p, const char *const *words, size_t n,
                      const char *const *more, size_t nmore) {
  p->words = words;
  p->nwords = n;
  p->more = more;
  p->nmore = nmore;
}

/* Hand out the n bytes at p->buf + at as a line (NULs become DEL). The
** byte after them is in the buffer: a line end, or its NUL. */
static const char *S_take(prompt *p, size_t at, size_t n) {
  char *line = p->buf.data + at;
  size_t i;

  for (i = 0; i < n; i++)
    if (line[i] == '\0')
      line[i] = '\x7f';
  if (n > 0 && line[n - 1] == '\r')
    n--;
  line[n] = '\0';
  return line;
}

static prompt_status S_read_plain(prompt *p, const char **line) {
  char *nl;
  ssize_t got;
  size_t n;

  fputs(p->text, p->out);
  fflush(p->out);
  for (;;) {
    n = p->buf.len - p->pos;
    nl = n ? memchr(p->buf.data + p->pos, '\n', n) : NULL;
    if (nl || (n > 0 && (p->eof || n >= CDG_MAX_PROMPT_LINE))) {
      size_t at = p->pos, take = nl ? (size_t)(nl - (p->buf.data + at)) : n;
      p->pos += nl ? take + 1 : take;
      *line = S_take(p, at, take);
      return PROMPT_LINE;
    }
    if (p->eof)
      return PROMPT_EOF;
    if (p->pos > 0) {
      memmove(p->buf.data, p->buf.data + p->pos, n);
      cdg_buf_truncate(&p->buf, n);
      p->pos = 0;
    }
    if (cdg_buf_grow(&p->buf, 4096) != 0) {
      errno = ENOMEM;
      return PROMPT_ERROR;
    }
    got = S_wait_read(p, p->buf.data + p->buf.len,
                      p->buf.cap - p->buf.len - 1);
    if (got < 0)
      return S_sig ? PROMPT_SIGNAL : PROMPT_ERROR;
    if (got == 0)
      p->eof = 1;
    p->buf.len += (size_t)got;
    p->buf.data[p->buf.len] = '\0';
  }
}

prompt_status prompt_read(prompt *p, const char *text, const char **line) {
  const char *s;
  size_t n;
  int count = 0;

  *line = NULL;
  p->text = text;
  if (!p->el)
    return S_read_plain(p, line);
  memset(&p->mbs, 0, sizeof p->mbs);
  s = el_gets(p->el, &count);
  if (!s) {
    if (S_sig)
      return PROMPT_SIGNAL;
    return count == 0 || p->eof ? PROMPT_EOF : PROMPT_ERROR;
  }
  n = strlen(s);
  cdg_buf_truncate(&p->buf, 0);
  if (cdg_buf_put(&p->buf, s, n) != 0) {
    errno = ENOMEM;
    return PROMPT_ERROR;
  }
  if (n > 0 && p->buf.data[n - 1] == '\n')
    n--;
  *line = S_take(p, 0, n);
  return PROMPT_LINE;
}
