/*
** interactive.c: the questionnaire's run and its walk loop: open the
** session (resume, --from), ask until the walk is done and confirmed, and
** record every change. Every change is an event appended to the session
** journal and fsynced before the next question is shown, so a signal, a
** closed terminal or a crash loses at most the line being typed. Going
** back or a change that disables a question deletes nothing: the answers
** stay in the journal and come back as defaults. The last step is a
** numbered summary to change any answer by its number, then confirm. The
** dialogue goes to stderr and the report to stdout, so `cdguide >
** report.txt` still shows the questions. One question is ask.c; help,
** why, review and the summary are screens.c; the output is dialogue.c.
*/
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "interactive.h"
#include "ask.h"
#include "dialogue.h"
#include "journal.h"
#include "output.h"
#include "prompt.h"
#include "report.h"
#include "screens.h"
#include "session.h"

/* Write the queued events. Returns 0 or an exit code, having printed. */
static int S_commit(dlg_run *r) {
  cdg_error err;
  int rc = journal_commit(r->j, &err);

  if (rc != 0)
    cli_print_error(&err);
  return rc;
}

/*
** Record what a walker call did to qid: kind ("answered", "skipped",
** "went_back"), then "hidden" for every other answer in before (the
** answers before the call, deleted here) that no longer counts. A change
** after finishing reopens the session first. Written before the prompt
** moves on. Returns 0 or an exit code.
*/
static int S_record(dlg_run *r, const char *kind, const char *qid,
                    cJSON *before) {
  cJSON *after = dlg_json(cdg_walker_answers(r->w)), *c;
  int bad = !after || !before;

  if (!bad && journal_finished(r->j))
    bad = journal_add(r->j, "reopened", NULL, NULL, NULL);
  if (!bad)
    bad = journal_add(r->j, kind, qid,
                      strcmp(kind, "answered") == 0
                          ? cJSON_GetObjectItemCaseSensitive(after, qid)
                          : NULL,
                      NULL);
  for (c = before ? before->child : NULL; c && !bad; c = c->next)
    if (strcmp(c->string, qid) != 0 && !cJSON_HasObjectItem(after, c->string))
      bad = journal_add(r->j, "hidden", c->string, NULL, NULL);
  cJSON_Delete(after);
  cJSON_Delete(before);
  return bad ? dlg_nomem() : S_commit(r);
}

/* ---- The summary ------------------------------------------------------- */

/* At the end of input that is not a terminal: say what is missing. */
static void S_say_missing(dlg_run *r) {
  size_t answered = 0, remaining = 0;

  if (!r->q) {
    fputs("Input ended before the answers were confirmed: press Enter at "
          "the summary to finish.\n",
          r->out);
    return;
  }
  cdg_walker_progress(r->w, &answered, &remaining);
  if (remaining == 0)
    remaining = 1;
  fprintf(r->out,
          "Input ended with about %zu question%s still to answer; the "
          "next is:\n  ",
          remaining, remaining == 1 ? "" : "s");
  dlg_put(r, cdg_question_text(r->q));
  fputc('\n', r->out);
}

/* The report through the one output path. */
static int S_report(dlg_run *r) {
  report_input in;
  session_file f;
  session_events ev;
  cdg_error err;
  cli_output out;
  char date[32];
  int rc;

  if ((rc = output_open(&out, r->o->output)) != 0)
    return rc;
  cli_date_now(date);
  memset(&in, 0, sizeof in);
  in.pack = r->pack;
  in.ps = r->ps;
  in.answers = cdg_walker_answers(r->w);
  in.date = date;
  in.width = output_is_stdout(&out) ? cli_term_width(STDOUT_FILENO) : 80;
  in.color = r->o->color_stdout && output_is_stdout(&out);
  /* The history of the journal, for the report document. */
  memset(&f, 0, sizeof f);
  memset(&ev, 0, sizeof ev);
  if (session_read(r->path, r->pack, 1, &f, &err) == CDG_OK && f.j &&
      session_events_of(f.j, &ev) == 0) {
    in.history = ev.ev;
    in.nhistory = ev.n;
  }
  fputc('\n', r->out);
  rc = output_close(&out, report_write(out.fp, r->o->format, &in));
  session_events_free(&ev);
  session_file_free(&f);
  return rc;
}

/* After Ctrl-Z and fg: the screen being answered, again. */
static void S_redraw(void *arg) {
  dlg_run *r = arg;

  if (r->summary)
    screen_summary(r);
  else if (r->q)
    ask_show(r);
}

/* Stop on a signal: everything confirmed is already saved. */
static int S_stop(dlg_run *r, int sig) {
  fputc('\n', r->out);
  if (sig == SIGINT)
    fputs("Interrupted. ", r->out);
  dlg_say_resume(r);
  return sig == SIGINT ? CLI_EX_INTERRUPTED
         : sig == SIGHUP ? CLI_EX_HUP
                         : CLI_EX_TERM;
}

static int S_is(const char *line, const char *a, const char *b) {
  return strcasecmp(line, a) == 0 || (b && strcasecmp(line, b) == 0);
}

/* A line at the summary. Returns 1 to finish, 0 to go on, or -1 - the
** exit code. */
static int S_at_summary(dlg_run *r, const char *line, size_t n) {
  char *end;
  long k;

  if (n == 0 || S_is(line, "finish", "done"))
    return 1;
  k = strtol(line, &end, 10);
  if (*end == '\0' && k >= 1 && (r->q = screen_item(r, (size_t)k)) != NULL) {
    r->summary = 0;
    return 0;
  }
  fputs("Type the number of the answer to change, or press Enter to "
        "finish.\n",
        r->out);
  return 0;
}

/* Ask until the walk is done and confirmed, the user quits, input ends or
** a signal arrives. Returns the exit code. */
static int S_loop(dlg_run *r) {
  const cdg_question *shown = NULL, *picked = NULL;
  const char *raw;
  char *line = NULL;
  size_t n;
  int rc = 0, first = 1, shown_summary = 0;

  for (;;) {
    cdg_free(line);
    line = NULL;
    r->q = picked ? picked : cdg_walker_next(r->w);
    r->summary = r->q == NULL;
    if (r->summary && !shown_summary) {
      screen_summary(r);
      shown_summary = 1;
      shown = NULL;
    } else if (!r->summary && r->q != shown) {
      if (first)
        fputs("Answer by number, or type the start of an answer and press "
              "Tab.\nType ? for help, why, back, review, or q to save and "
              "quit.\n",
              r->out);
      first = 0;
      ask_show(r);
      shown = r->q;
      shown_summary = 0;
    }
    switch (prompt_read(r->in, r->prompt, &raw)) {
    case PROMPT_LINE: break;
    case PROMPT_EOF:
      fputc('\n', r->out);
      if (r->plain)
        S_say_missing(r);
      dlg_say_resume(r);
      return r->plain ? EX_DATAERR : 0;
    case PROMPT_SIGNAL: return S_stop(r, prompt_signal());
    case PROMPT_ERROR:
    default:
      cli_errorf("cannot read the answer: %s", strerror(errno));
      dlg_say_resume(r);
      return EX_IOERR;
    }
    /* A trimmed copy: the prompt's buffer is only borrowed. */
    while (dlg_is_space(*raw))
      raw++;
    n = strlen(raw);
    while (n > 0 && dlg_is_space(raw[n - 1]))
      n--;
    if (!(line = cdg_malloc(n + 1)))
      return dlg_nomem();
    memcpy(line, raw, n);
    line[n] = '\0';

    if (S_is(line, "?", "help")) {
      if (r->summary)
        dlg_put_wrapped(r,
                        "Type the number of an answer to change it, Enter "
                        "to confirm them all and finish, back to the last "
                        "question, or q to save and quit.",
                        0, 0);
      else
        screen_help(r);
    } else if (S_is(line, "why", NULL)) {
      screen_why(r);
    } else if (S_is(line, "review", NULL)) {
      screen_review(r);
    } else if (S_is(line, "q", "quit")) {
      cdg_free(line);
      dlg_say_resume(r);
      return 0;
    } else if (S_is(line, "<", "back")) {
      cJSON *before;

      if (picked) { /* back to the summary, nothing changed */
        picked = NULL;
        continue;
      }
      before = dlg_json(cdg_walker_answers(r->w));
      if (cdg_walker_back(r->w) != CDG_OK) {
        cJSON_Delete(before);
        fputs("This is the first question.\n", r->out);
        continue;
      }
      r->q = cdg_walker_next(r->w);
      if (r->q && (rc = S_record(r, "went_back", cdg_question_id(r->q),
                                 before)) != 0)
        break;
      if (!r->q)
        cJSON_Delete(before);
      shown = NULL;
    } else if (r->summary) {
      int k = S_at_summary(r, line, n);

      if (k == 1)
        break;
      picked = r->q;
      shown = NULL;
    } else {
      cJSON *before = dlg_json(cdg_walker_answers(r->w));
      int skip = S_is(line, "skip", NULL);

      if (skip ? ask_skip(r) : n == 0 ? ask_answer_default(r) : ask_answer(r, line)) {
        skip = skip || !cdg_answers_has(cdg_walker_answers(r->w),
                                        cdg_question_id(r->q));
        if ((rc = S_record(r, skip ? "skipped" : "answered",
                           cdg_question_id(r->q), before)) != 0)
          break;
        picked = NULL;
      } else {
        cJSON_Delete(before);
        shown = NULL; /* the question again after the explanation */
      }
    }
  }
  cdg_free(line);
  if (rc != 0)
    return rc;
  if (!journal_finished(r->j)) {
    if (journal_add(r->j, "finished", NULL, NULL, NULL) != 0)
      return dlg_nomem();
    if ((rc = S_commit(r)) != 0)
      return rc;
  }
  rc = S_report(r);
  fputs("The answers are saved in ", r->out);
  dlg_put(r, r->path);
  fputs("\n", r->out);
  return rc;
}

/* path made absolute (not resolving links): what the messages show, so
** that the resume command works from any directory. Caller frees. */
static char *S_absolute(const char *path) {
  char cwd[PATH_MAX], *abs;
  size_t n;

  if (path[0] == '/' || !getcwd(cwd, sizeof cwd))
    cwd[0] = '\0';
  n = strlen(cwd) + 1 + strlen(path) + 1;
  if (!(abs = cdg_malloc(n)))
    return NULL;
  snprintf(abs, n, "%s%s%s", cwd, cwd[0] ? "/" : "", path);
  return abs;
}

/* Add the answers a (restored from a file that is not this journal) to
** the journal, as answered. */
static int S_import(dlg_run *r, const cdg_answers *a) {
  cJSON *o = dlg_json(a), *c;
  int bad = !o;

  for (c = o ? o->child : NULL; c && !bad; c = c->next)
    bad = journal_add(r->j, "answered", c->string, c, NULL);
  cJSON_Delete(o);
  return bad;
}

/*
** run --from OLD: the answers of OLD become defaults, carried over by
** question id and option code where both are still valid here; a line
** says which were left out and why. The journal names the source.
*/
static int S_from(dlg_run *r, const char *from) {
  journal *old = NULL;
  cJSON *extra = NULL, *carried, *left, *p, *c, *item;
  cdg_error err;
  cdg_status st;
  char *abs = NULL;
  int bad, rc = 0;

  if ((st = session_read_any(from, &old, &err)) != CDG_OK) {
    cli_print_error(&err);
    return cli_exit_code(st);
  }
  if (!r->defaults && cdg_answers_new(r->pack, &r->defaults) != CDG_OK) {
    journal_free(old);
    return dlg_nomem();
  }
  abs = S_absolute(from);
  bad = !(extra = cJSON_CreateObject()) || !abs ||
        !cJSON_AddStringToObject(extra, "file", abs) ||
        !(p = cJSON_AddObjectToObject(extra, "pack")) ||
        !cJSON_AddStringToObject(p, "id", journal_pack_id(old)
                                              ? journal_pack_id(old)
                                              : cdg_pack_id(r->pack)) ||
        !cJSON_AddStringToObject(p, "version",
                                 journal_pack_version(old)
                                     ? journal_pack_version(old)
                                     : cdg_pack_version(r->pack)) ||
        !(carried = cJSON_AddObjectToObject(extra, "answers")) ||
        !(left = cJSON_AddArrayToObject(extra, "left_out"));
  for (c = bad ? NULL : journal_current(old)->child; c && !bad; c = c->next) {
    const cdg_question *q = cdg_pack_find_question(r->pack, c->string);
    const char *why;

    cdg_error_clear(&err);
    if (q && (st = session_set_value(r->defaults, q, c, &err)) == CDG_OK) {
      cJSON *d = cJSON_Duplicate(c, 1);

      /* cJSON_AddItemToObject does not free an item it could not add. */
      if ((bad = !d || !cJSON_AddItemToObject(carried, c->string, d)))
        cJSON_Delete(d);
      continue;
    }
    if (st == CDG_ERR_NOMEM) {
      bad = 1;
      break;
    }
    why = !q ? "no such question in this version" : err.message;
    bad = !(item = cJSON_CreateObject()) ||
          !cJSON_AddItemToArray(left, item) ||
          !cJSON_AddStringToObject(item, "question", c->string) ||
          !cJSON_AddStringToObject(item, "why", why);
  }
  if (!bad)
    bad = journal_add(r->j, "started_from", NULL, NULL, extra);
  if (bad) {
    rc = dlg_nomem();
    goto out;
  }
  fputs("Starting from the answers in ", r->out);
  dlg_put(r, from);
  fputs(" (pack ", r->out);
  dlg_put(r, cJSON_GetObjectItem(p, "id")->valuestring);
  fputc(' ', r->out);
  dlg_put(r, cJSON_GetObjectItem(p, "version")->valuestring);
  fputs("): each question shows the old answer; press Enter to keep it.\n",
        r->out);
  for (c = left->child; c; c = c->next) {
    fputs(c == left->child ? "Left out, to be asked afresh: " : "; ", r->out);
    dlg_put(r, cJSON_GetObjectItem(c, "question")->valuestring);
    fputs(" (", r->out);
    dlg_put(r, cJSON_GetObjectItem(c, "why")->valuestring);
    fputc(')', r->out);
    if (!c->next)
      fputs(".\n", r->out);
  }
out:
  cdg_free(abs);
  cJSON_Delete(extra);
  journal_free(old);
  return rc;
}

/* Open the session: the journal to write (locked) and the answers to start
** from. Returns 0 or an exit code, having printed the error. */
static int S_start(dlg_run *r, int resume) {
  session_file f;
  struct stat before, after;
  cdg_error err;
  cdg_status st;
  const char *from = r->o->session;
  char *p = NULL;
  int loaded, rc;
  const cJSON *c;

  memset(&f, 0, sizeof f);
  cdg_error_clear(&err);
  if (resume && !from) {
    cli_errorf("resume needs a session file");
    return EX_USAGE;
  }
  /* An --output that cannot be written is found before any question. */
  if ((rc = output_check(r->o->output)) != 0)
    return rc;
  /* --session F continues F when it exists, rather than overwrite it. */
  loaded = from && (resume || lstat(from, &before) == 0);
  /* An empty file is what a crash right after a session file was created
  ** leaves: no answer was ever in it. A new session starts in it, so
  ** nothing is lost (and the file named is the one written). */
  if (loaded && stat(from, &before) == 0 && S_ISREG(before.st_mode) &&
      before.st_size == 0) {
    fputs("The session file ", r->out);
    dlg_put(r, from);
    fputs(" is empty (no answer was ever saved in it): starting a new "
          "session in it.\n",
          r->out);
    loaded = 0;
  }
  if (loaded && r->o->from) {
    cli_errorf("%s: exists; --from starts a new session", from);
    return EX_USAGE;
  }
  if (loaded) {
    if (stat(from, &before) != 0)
      memset(&before, 0, sizeof before);
    st = session_read(from, r->pack, 0, &f, &err);
    if (st == CDG_OK)
      st = cdg_walker_restore(r->w, f.answers);
    if (st != CDG_OK) {
      if (!err.message[0])
        cdg_error_set(&err, st, from, NULL, "%s", cdg_status_str(st));
      cli_print_error(&err);
      session_file_free(&f);
      return cli_exit_code(st);
    }
    if (f.j && journal_torn_line(f.j))
      cli_errorf("%s:%zu: the last line was cut short (the program stopped "
                 "while writing it); ignored",
                 from, journal_torn_line(f.j));
    /* Skipped questions stay skipped. */
    for (c = f.j ? journal_skips(f.j)->child : NULL; c; c = c->next) {
      const cdg_question *q = cdg_pack_find_question(r->pack, c->string);
      if (q && !cdg_question_required(q) &&
          cdg_answers_enabled(cdg_walker_answers(r->w), q) > 0)
        cdg_walker_skip(r->w, c->string, NULL);
    }
    r->defaults = f.defaults;
    f.defaults = NULL;
  }
  if (loaded && f.kind == SESSION_KIND_SESSION && f.j) {
    r->j = f.j; /* the fold goes on as the writer */
    f.j = NULL;
  } else {
    if (!(loaded && f.kind == SESSION_KIND_SESSION) && from && loaded) {
      /* An answers or FHIR file is input, never overwritten. */
      from = NULL;
    }
    if (!from && (st = session_default_path(&p, &err)) != CDG_OK) {
      cli_print_error(&err);
      session_file_free(&f);
      return EX_CANTCREAT;
    }
    r->j = journal_new(p ? p : from);
    cdg_free(p);
    if (!r->j || journal_set_pack(r->j, cdg_pack_id(r->pack),
                                  cdg_pack_version(r->pack)) != 0 ||
        (f.format1 && journal_convert_format1(r->j, f.format1, f.updated,
                                              &err) != 0)) {
      session_file_free(&f);
      return dlg_nomem();
    }
  }
  if (!journal_pack_id(r->j) &&
      journal_set_pack(r->j, cdg_pack_id(r->pack), cdg_pack_version(r->pack)))
    rc = dlg_nomem();
  else if ((rc = journal_open(r->j, &err)) != 0)
    cli_print_error(&err);
  else if (loaded && f.kind == SESSION_KIND_SESSION &&
           stat(journal_path(r->j), &after) == 0 &&
           (after.st_size != before.st_size ||
            after.st_mtim.tv_sec != before.st_mtim.tv_sec ||
            after.st_mtim.tv_nsec != before.st_mtim.tv_nsec)) {
    cli_errorf("%s: changed while it was being read (by another cdguide?); "
               "try again",
               journal_path(r->j));
    rc = EX_TEMPFAIL;
  }
  if (rc == 0 && !(r->path = S_absolute(journal_path(r->j))))
    rc = dlg_nomem();
  /* Queued: written with the first change, so looking changes nothing. */
  if (rc == 0 && loaded && f.kind == SESSION_KIND_SESSION && !f.format1 &&
      journal_add(r->j, "resumed", NULL, NULL, NULL) != 0)
    rc = dlg_nomem();
  if (rc == 0 && loaded && f.kind != SESSION_KIND_SESSION &&
      S_import(r, f.answers) != 0)
    rc = dlg_nomem();
  if (rc == 0 && loaded) {
    fputs("Continuing with the answers in ", r->out);
    dlg_put(r, r->o->session);
    fputs(".\n", r->out);
  }
  if (rc == 0 && r->o->from)
    rc = S_from(r, r->o->from);
  if (rc == 0) {
    fputs("Your answers are saved as you go in ", r->out);
    dlg_put(r, r->path);
    fputs(".\n", r->out);
  }
  session_file_free(&f);
  return rc;
}

int interactive_run(const cli_opts *o, const cdg_pack *pack,
                    const cdg_passages *ps, int resume) {
  dlg_run r;
  int rc, edit;
  const char *term = getenv("TERM");

  setlocale(LC_CTYPE, "");
  memset(&r, 0, sizeof r);
  r.o = o;
  r.pack = pack;
  r.ps = ps;
  r.out = stderr;
  r.plain = !isatty(STDIN_FILENO);
  /* The dialogue is on stderr: colour it when that is a terminal, even
  ** with the report going to a file. */
  r.color = cli_color_wanted(o->no_color, STDERR_FILENO);
  if (cdg_walker_new(pack, &r.w) != CDG_OK) {
    cli_errorf("out of memory");
    return cli_exit_code(CDG_ERR_NOMEM);
  }
  if ((rc = S_start(&r, resume)) != 0)
    goto out;
  /* libedit when both ends are terminals. Under TERM=dumb (or none) it
  ** redraws a line with a carriage return only, so Tab completes there
  ** too; but not in an Emacs shell buffer, which edits the line itself
  ** and sends it whole. */
  edit = isatty(STDIN_FILENO) && isatty(STDERR_FILENO) &&
         !(getenv("INSIDE_EMACS") && (!term || !term[0] ||
                                     strcmp(term, "dumb") == 0));
  if (prompt_signals_install() != 0) {
    cli_errorf("cannot install signal handlers: %s", strerror(errno));
    rc = EX_OSERR;
    goto out;
  }
  /* Should libedit fail to start, plain reading still works. */
  r.in = prompt_new("cdguide", r.out, edit);
  if (!r.in && edit)
    r.in = prompt_new("cdguide", r.out, 0);
  if (r.in)
    prompt_set_redraw(r.in, S_redraw, &r);
  if (!r.in) {
    cli_errorf("out of memory");
    rc = cli_exit_code(CDG_ERR_NOMEM);
  } else {
    rc = S_loop(&r);
  }
  prompt_free(r.in);
  prompt_signals_restore();
out:
  cdg_walker_free(r.w);
  journal_free(r.j);
  cdg_answers_free(r.defaults);
  cdg_free(r.path);
  return rc;
}
