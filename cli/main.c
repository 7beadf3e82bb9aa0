/*
** main.c: the cdguide command line. Parses options by hand, as jq does
** (short and long forms side by side, "--opt=value" and "--opt value"),
** runs one command and turns its result into an exit status (cli.h).
*/
#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fhir.h"
#include "interactive.h"
#include "output.h"
#include "report.h"
#include "session.h"

/* Options, as bits, so each command lists the ones it takes. */
enum {
  O_PACK = 1 << 0,
  O_SESSION = 1 << 1,
  O_ANSWERS = 1 << 2,
  O_FORMAT = 1 << 3,
  O_OUTPUT = 1 << 4,
  O_NOCOLOR = 1 << 5,
  O_TOPIC = 1 << 6,
  O_ENUMERATE = 1 << 7,
  O_FROM = 1 << 8,
  O_HISTORY = 1 << 9
};

typedef struct S_option {
  char shortopt; /* 0 for none */
  const char *longopt;
  unsigned flag;
  int has_value;
} S_option;

static const S_option S_options[] = {
    {'p', "pack", O_PACK, 1},       {'s', "session", O_SESSION, 1},
    {'a', "answers", O_ANSWERS, 1}, {'f', "format", O_FORMAT, 1},
    {'o', "output", O_OUTPUT, 1},   {0, "no-color", O_NOCOLOR, 0},
    {'t', "topic", O_TOPIC, 1},     {0, "enumerate", O_ENUMERATE, 0},
    {0, "from", O_FROM, 1},         {0, "history", O_HISTORY, 0},
};

typedef struct S_args S_args;

typedef struct S_command {
  const char *name; /* "" for plain cdguide */
  unsigned opts;
  int min_args, max_args; /* max_args -1: any number */
  const char *arg_name;   /* the first argument, for "missing ..." */
  int (*run)(S_args *a);
  const char *usage;
} S_command;

struct S_args {
  const S_command *cmd;
  cli_opts o;
  const char *topic;
  char **args; /* positional arguments, in argv */
  int nargs;
  int help, version, history;
  int enumerate;
};

/* ---- Usage texts ------------------------------------------------------ */

static const char S_usage_main[] =
    "Usage: cdguide [--session F] [--pack DIR] [--no-color]\n"
    "       cdguide COMMAND [OPTIONS] [ARGUMENTS]\n"
    "\n"
    "A questionnaire on cervical dystonia for a clinician and a patient.\n"
    "Its rules point to verbatim passages of NICE's guidance on selective\n"
    "peripheral denervation. It never makes a clinical decision.\n"
    "Without a command, runs the questionnaire.\n"
    "\n"
    "Commands:\n"
    "  run            the questionnaire, or a report from an answers file\n"
    "  resume F       continue a saved session\n"
    "  review F       prior-treatment history before a referral\n"
    "  check          lint a pack\n"
    "  passages       show guidance passages\n"
    "  export-fhir    the questionnaire as a FHIR R4 Questionnaire\n"
    "  logic RULE     evaluate one JsonLogic expression\n"
    "\n"
    "Options:\n"
    "  -s, --session F   session file, continued when it exists\n"
    "                    (default: a new one under $XDG_STATE_HOME/cdguide)\n"
    "  -p, --pack DIR    use DIR/pack.json instead of the built-in pack\n"
    "      --no-color    no colour (also NO_COLOR, TERM=dumb, no terminal)\n"
    "  -h, --help        show this help\n"
    "  -V, --version     show the version\n"
    "\n"
    "Run 'cdguide COMMAND --help' for a command. See cdguide(1).\n";

static const char S_usage_run[] =
    "Usage: cdguide run [--session F] [--from OLD] [--format FORMAT]\n"
    "                   [--output F] [--pack DIR] [--no-color]\n"
    "       cdguide run --answers F [--format FORMAT] [--output F]"
    " [--pack DIR]\n"
    "\n"
    "Without --answers, runs the questionnaire, saving every answer to the\n"
    "session file, and writes the report once every question is answered.\n"
    "With --answers, writes the report for an answers file, a session\n"
    "file or a FHIR QuestionnaireResponse.\n"
    "\n"
    "Options:\n"
    "  -a, --answers F   answers, session or QuestionnaireResponse file\n"
    "  -f, --format FORMAT\n"
    "                    text (default), markdown, json, html or fhir\n"
    "  -o, --output F    write the report to F (atomically) instead of\n"
    "                    standard output ('-': standard output)\n"
    "  -s, --session F   session file for the questionnaire (continued\n"
    "                    when it exists)\n"
    "      --from OLD    start a new session from the answers of the\n"
    "                    session OLD: each is offered to confirm or change\n"
    "  -p, --pack DIR    use DIR/pack.json instead of the built-in pack\n"
    "      --no-color    no colour\n"
    "  -h, --help        show this help\n";

static const char S_usage_resume[] =
    "Usage: cdguide resume [--pack DIR] [--no-color] F\n"
    "\n"
    "Continue the questionnaire from the session file F.\n"
    "\n"
    "Options:\n"
    "  -p, --pack DIR    use DIR/pack.json instead of the built-in pack\n"
    "      --no-color    no colour\n"
    "  -h, --help        show this help\n";

static const char S_usage_review[] =
    "Usage: cdguide review [--history] [--format FMT] [--output F]\n"
    "                      [--pack DIR] [--no-color] F\n"
    "\n"
    "Show the prior-treatment history in F (a session, answers or FHIR\n"
    "QuestionnaireResponse file) before a referral: each standard\n"
    "treatment, tried or not and its outcome, the treatments with no\n"
    "outcome recorded, and the passages on denervation the rules cite.\n"
    "\n"
    "Options:\n"
    "      --history     list every change in the session file instead:\n"
    "                    its time, the old and the new answer\n"
    "  -f, --format FMT  text (the review, the default), or markdown,\n"
    "                    json, html or fhir: the whole report\n"
    "  -o, --output F    write to F (atomically) instead of standard\n"
    "                    output ('-': standard output)\n"
    "  -p, --pack DIR    use DIR/pack.json instead of the built-in pack\n"
    "      --no-color    no colour\n"
    "  -h, --help        show this help\n";

static const char S_usage_check[] =
    "Usage: cdguide check [--pack DIR] [--enumerate]\n"
    "\n"
    "Check a pack against the guidance passages: references, types,\n"
    "cycles, and proves for every complete answer path, without listing\n"
    "them, that each question can be enabled, each rule can fire and no\n"
    "path cites nothing. Prints each problem as file:line:col: message;\n"
    "a condition it cannot decide exactly is a problem too. Exit status 0\n"
    "when clean, 65 otherwise, 70 when out of memory.\n"
    "\n"
    "Options:\n"
    "  -p, --pack DIR    check DIR/pack.json instead of the built-in pack\n"
    "      --enumerate   list every complete answer path instead (slow;\n"
    "                    over 5,000,000 in a group is an error)\n"
    "  -h, --help        show this help\n";

static const char S_usage_passages[] =
    "Usage: cdguide passages [--topic T] [ID...]\n"
    "\n"
    "Show guidance passages (id, section, text): all of them, those on a\n"
    "topic, or those with the given ids, verbatim from the source.\n"
    "\n"
    "Options:\n"
    "  -t, --topic T     only passages on topic T (an unknown T lists the"
    " topics)\n"
    "  -h, --help        show this help\n";

static const char S_usage_export[] =
    "Usage: cdguide export-fhir [--pack DIR]\n"
    "\n"
    "Write the questionnaire as a FHIR R4 Questionnaire (JSON).\n"
    "\n"
    "Options:\n"
    "  -p, --pack DIR    export DIR/pack.json instead of the built-in pack\n"
    "  -h, --help        show this help\n";

static const char S_usage_logic[] =
    "Usage: cdguide logic RULE [DATA]\n"
    "\n"
    "Evaluate the JsonLogic expression RULE on the JSON value DATA (null\n"
    "when absent) and print the result as JSON.\n"
    "\n"
    "Options:\n"
    "  -h, --help        show this help\n";

/* ---- Helpers ------------------------------------------------------------ */

/* Print a usage error and the hint to the command's help, all on one
** line, through cli_errorf: the message quotes argv, which is sanitised
** like any other input. Built in a cdg_buf, so a long argument is not
** cut before the hint. Returns 64. */
static int S_usage_error(const S_args *a, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static int S_usage_error(const S_args *a, const char *fmt, ...) {
  cdg_buf msg = CDG_BUF_INIT;
  va_list ap;

  va_start(ap, fmt);
  cdg_buf_vprintf(&msg, fmt, ap);
  va_end(ap);
  cdg_buf_printf(&msg, ". Try 'cdguide%s%s --help'.",
                 a->cmd && a->cmd->name[0] ? " " : "",
                 a->cmd ? a->cmd->name : "");
  cli_errorf("%s", msg.failed ? "out of memory" : cdg_buf_cstr(&msg));
  cdg_buf_free(&msg);
  return EX_USAGE;
}

/* What report and review work from: the pack and passages, an answers
** file walked again (for completeness), and the report input over them. */
typedef struct S_loaded {
  cdg_pack *pack;
  cdg_passages *ps;
  cdg_answers *answers;
  cdg_walker *w;
  char date[32];
  report_input in;
} S_loaded;

/* Load l for the session, answers or QuestionnaireResponse file path.
** Returns 0 or an exit code, having printed; S_unload(l) either way. */
static int S_load(const S_args *a, const char *path, S_loaded *l) {
  cdg_error err;
  cdg_status st;
  int rc;

  memset(l, 0, sizeof *l);
  if ((rc = cli_load(&a->o, &l->pack, &l->ps)) != 0)
    return rc;
  cdg_error_clear(&err);
  st = session_load(path, l->pack, &l->answers, &err);
  if (st != CDG_OK) {
    cli_print_error(&err);
    return cli_exit_code(st);
  }
  st = cdg_walker_new(l->pack, &l->w);
  if (st == CDG_OK)
    st = cdg_walker_restore(l->w, l->answers);
  if (st != CDG_OK) {
    cli_errorf("%s: %s", path, cdg_status_str(st));
    return cli_exit_code(st);
  }
  cli_date_now(l->date);
  l->in.pack = l->pack;
  l->in.ps = l->ps;
  l->in.answers = cdg_walker_answers(l->w);
  l->in.date = l->date;
  l->in.width = cli_term_width(STDOUT_FILENO);
  return 0;
}

static void S_unload(S_loaded *l) {
  cdg_walker_free(l->w);
  cdg_answers_free(l->answers);
  cdg_pack_free(l->pack);
  cdg_passages_free(l->ps);
}

/* ---- Commands ----------------------------------------------------------- */

/* run --answers F and review F (path): a report through the one output
** path. Review's text is the review itself; every other format is the
** whole report document, as run writes it. */
static int S_report(S_args *a, const char *path, int review) {
  S_loaded l;
  cli_output out;
  session_file f;
  session_events ev;
  cdg_error err;
  int rc;

  memset(&out, 0, sizeof out);
  memset(&f, 0, sizeof f);
  memset(&ev, 0, sizeof ev);
  if ((rc = output_check(a->o.output)) != 0)
    return rc;
  if ((rc = S_load(a, path, &l)) != 0 ||
      (rc = output_open(&out, a->o.output)) != 0)
    goto out;
  l.in.color = a->o.color_stdout && output_is_stdout(&out);
  /* wrapped to what it goes to: the terminal's width, else the default */
  l.in.width = cli_term_width(fileno(out.fp));
  /* A journal's history goes into the report document. */
  if (session_read(path, l.pack, 1, &f, &err) == CDG_OK && f.j &&
      session_events_of(f.j, &ev) == 0) {
    l.in.history = ev.ev;
    l.in.nhistory = ev.n;
    /* Said as resume says it: the report lacks that one event. */
    if (journal_torn_line(f.j))
      cli_errorf("%s:%zu: the last line was cut short (the program stopped "
                 "while writing it); ignored",
                 path, journal_torn_line(f.j));
  }
  rc = output_close(&out, review && a->o.format == CLI_FORMAT_TEXT
                              ? report_review(out.fp, &l.in)
                              : report_write(out.fp, a->o.format, &l.in));
out:
  session_events_free(&ev);
  session_file_free(&f);
  S_unload(&l);
  return rc;
}

/* Plain cdguide, run without --answers, and resume F. */
static int S_cmd_interactive(S_args *a) {
  cdg_pack *pack = NULL;
  cdg_passages *ps = NULL;
  int resume = strcmp(a->cmd->name, "resume") == 0, rc;

  if (a->o.answers)
    return S_report(a, a->o.answers, 0);
  if (resume)
    a->o.session = a->args[0];
  if ((rc = cli_load(&a->o, &pack, &ps)) != 0)
    goto out;
  rc = interactive_run(&a->o, pack, ps, resume);
out:
  cdg_pack_free(pack);
  cdg_passages_free(ps);
  return rc;
}

/* An answer (JSON as a journal holds it) in the question's words. */
static void S_put_value(const cdg_question *q, const cJSON *v) {
  const cJSON *c;
  long k;

  if (!v) {
    fputs("(none)", stdout);
    return;
  }
  if (cJSON_IsNumber(v)) {
    printf("%g", v->valuedouble);
    return;
  }
  if (cJSON_IsString(v) && (!q || cdg_question_type(q) == CDG_Q_TEXT)) {
    cli_put_sanitized(stdout, v->valuestring, strlen(v->valuestring));
    return;
  }
  for (c = cJSON_IsArray(v) ? v->child : v; c; c = cJSON_IsArray(v) ? c->next : NULL) {
    const char *s = cJSON_GetStringValue(c);
    if (!s)
      continue;
    if (c != v && c != v->child)
      fputs("; ", stdout);
    k = q ? cdg_question_find_option(q, s) : -1;
    s = k >= 0 ? cdg_question_option_label(q, (size_t)k) : s;
    cli_put_sanitized(stdout, s, strlen(s));
  }
}

/* review F --history: every event of the journal, oldest first. */
static int S_history(S_args *a) {
  cdg_pack *pack = NULL;
  cdg_passages *ps = NULL;
  session_file f;
  const cJSON *h;
  cdg_error err;
  cdg_status st;
  int rc;

  memset(&f, 0, sizeof f);
  if ((rc = cli_load(&a->o, &pack, &ps)) != 0)
    goto out;
  if ((st = session_read(a->args[0], pack, 1, &f, &err)) != CDG_OK) {
    cli_print_error(&err);
    rc = cli_exit_code(st);
    goto out;
  }
  if (!f.j) {
    cli_errorf("%s: has no history (it is not a session journal)",
               a->args[0]);
    rc = EX_DATAERR;
    goto out;
  }
  if (journal_torn_line(f.j))
    cli_errorf("%s:%zu: the last line was cut short (the program stopped "
               "while writing it); ignored",
               a->args[0], journal_torn_line(f.j));
  cJSON_ArrayForEach(h, journal_history(f.j)) {
    const char *ev = cJSON_GetStringValue(cJSON_GetObjectItem(h, "event"));
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(h, "question"));
    const char *t = cJSON_GetStringValue(cJSON_GetObjectItem(h, "time"));
    const cdg_question *q = id ? cdg_pack_find_question(pack, id) : NULL;

    printf("%4d  ", (int)cJSON_GetNumberValue(cJSON_GetObjectItem(h, "seq")));
    cli_put_sanitized(stdout, t, strlen(t));
    printf("  %s", ev);
    if (id) {
      fputs(": ", stdout);
      if (q)
        cli_put_sanitized(stdout, cdg_question_text(q),
                          strlen(cdg_question_text(q)));
      else
        cli_put_sanitized(stdout, id, strlen(id));
    }
    if (strcmp(ev, "answered") == 0 || strcmp(ev, "changed") == 0) {
      fputs("\n        ", stdout);
      if (strcmp(ev, "changed") == 0) {
        S_put_value(q, cJSON_GetObjectItem(h, "old"));
        fputs(" -> ", stdout);
      }
      S_put_value(q, cJSON_GetObjectItem(h, "new"));
    } else if (cJSON_GetObjectItem(h, "old")) {
      fputs("\n        kept: ", stdout);
      S_put_value(q, cJSON_GetObjectItem(h, "old"));
    }
    putchar('\n');
  }
out:
  session_file_free(&f);
  cdg_pack_free(pack);
  cdg_passages_free(ps);
  return rc;
}

static int S_cmd_review(S_args *a) {
  return a->history ? S_history(a) : S_report(a, a->args[0], 1);
}

static int S_cmd_check(S_args *a) {
  cdg_pack *pack = NULL;
  cdg_passages *ps = NULL;
  cdg_lint *lint = NULL;
  size_t i, n;
  int rc;

  /* A big pack can have thousands of findings: a write per line, not per
  ** fragment of each (stderr is unbuffered; nothing has been written to
  ** it yet, as setvbuf requires). */
  setvbuf(stderr, NULL, _IOLBF, BUFSIZ);
  if ((rc = cli_load(&a->o, &pack, &ps)) != 0)
    goto out;
  if ((a->enumerate ? cdg_lint_enumerate(pack, ps, &lint)
                    : cdg_lint_run(pack, ps, &lint)) != CDG_OK) {
    cli_errorf("out of memory");
    rc = cli_exit_code(CDG_ERR_NOMEM);
    goto out;
  }
  n = cdg_lint_count(lint);
  for (i = 0; i < n; i++)
    cli_print_error(cdg_lint_error(lint, i));
  if (n > 0) {
    rc = EX_DATAERR;
    goto out;
  }
  /* The id and version come from the pack file: shown sanitised. */
  fputs("cdguide: pack ", stdout);
  cli_put_sanitized(stdout, cdg_pack_id(pack), strlen(cdg_pack_id(pack)));
  fputc(' ', stdout);
  cli_put_sanitized(stdout, cdg_pack_version(pack),
                    strlen(cdg_pack_version(pack)));
  printf(": clean (%zu question%s, %zu rule%s, ",
         cdg_pack_question_count(pack),
         cdg_pack_question_count(pack) == 1 ? "" : "s",
         cdg_pack_rule_count(pack), cdg_pack_rule_count(pack) == 1 ? "" : "s");
  /* ULLONG_MAX (about 1.8 x 10^19) stands for any larger product. */
  if (!cdg_lint_enumerated(lint))
    printf("every answer path proved)\n");
  else if (cdg_lint_paths(lint) == ULLONG_MAX)
    printf("more than 10^19 answer paths checked)\n");
  else
    printf("%llu answer paths checked)\n", cdg_lint_paths(lint));
out:
  cdg_lint_free(lint);
  cdg_pack_free(pack);
  cdg_passages_free(ps);
  return rc;
}

static int S_has_topic(const cdg_passages *ps, size_t i, const char *topic) {
  size_t t;

  for (t = 0; t < cdg_passage_topic_count(ps, i); t++)
    if (strcmp(cdg_passage_topic(ps, i, t), topic) == 0)
      return 1;
  return 0;
}

/* Say that topic is unknown, and list the topics there are, each once in
** the order they first appear. */
static void S_no_topic(const cdg_passages *ps, const char *topic) {
  char list[1024];
  size_t i, t, j, k, len = 0;

  list[0] = '\0';
  for (i = 0; i < cdg_passages_count(ps); i++)
    for (t = 0; t < cdg_passage_topic_count(ps, i); t++) {
      const char *name = cdg_passage_topic(ps, i, t);
      int seen = 0;

      for (j = 0; j < i && !seen; j++)
        seen = S_has_topic(ps, j, name);
      for (k = 0; k < t && !seen; k++)
        seen = strcmp(cdg_passage_topic(ps, i, k), name) == 0;
      if (!seen && len < sizeof list)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
                                len ? ", " : "", name);
    }
  cli_errorf("no passage has the topic '%s' (topics: %s)", topic, list);
}

/* passages [--topic T] [ID...]: an unknown id or topic is missing input
** (66, like CDG_ERR_NOTFOUND), reported before anything is printed. */
static int S_cmd_passages(S_args *a) {
  cdg_passages *ps = NULL;
  cdg_error err;
  cdg_status st;
  size_t i, n, shown = 0;
  int k, rc = 0, width = cli_term_width(STDOUT_FILENO);

  cdg_error_clear(&err);
  if ((st = cdg_passages_builtin(&ps, &err)) != CDG_OK) {
    cli_print_error(&err);
    rc = cli_exit_code(st);
    goto out;
  }
  n = cdg_passages_count(ps);
  for (k = 0; k < a->nargs; k++)
    if (cdg_passages_find(ps, a->args[k]) < 0) {
      cli_errorf("no passage has the id '%s'", a->args[k]);
      rc = EX_NOINPUT;
    }
  if (rc != 0)
    goto out;
  for (k = 0; k < a->nargs && rc == 0; k++)
    rc = report_passage(stdout, ps,
                        (size_t)cdg_passages_find(ps, a->args[k]), width);
  for (i = 0; a->nargs == 0 && i < n && rc == 0; i++) {
    if (a->topic && !S_has_topic(ps, i, a->topic))
      continue;
    rc = report_passage(stdout, ps, i, width);
    shown++;
  }
  if (a->topic && shown == 0) {
    S_no_topic(ps, a->topic);
    rc = EX_NOINPUT;
  }
out:
  cdg_passages_free(ps);
  return rc;
}

static int S_cmd_export(S_args *a) {
  cdg_pack *pack = NULL;
  cdg_passages *ps = NULL;
  int rc;

  if ((rc = cli_load(&a->o, &pack, &ps)) != 0)
    goto out;
  rc = fhir_write_questionnaire(stdout, pack, ps);
out:
  cdg_pack_free(pack);
  cdg_passages_free(ps);
  return rc;
}

static int S_cmd_logic(S_args *a) {
  char *result = NULL;
  cdg_error err;
  cdg_status st;
  int rc = 0;

  cdg_error_clear(&err);
  st = cdg_logic_eval_json(a->args[0], a->nargs > 1 ? a->args[1] : NULL,
                           &result, &err);
  if (st != CDG_OK) {
    cli_print_error(&err);
    rc = cli_exit_code(st);
    goto out;
  }
  cli_put_json(stdout, result);
  putchar('\n');
out:
  cdg_free(result);
  return rc;
}

static const S_command S_commands[] = {
    {"", O_SESSION | O_PACK | O_NOCOLOR, 0, 0, "", S_cmd_interactive,
     S_usage_main},
    {"run",
     O_SESSION | O_PACK | O_NOCOLOR | O_ANSWERS | O_FORMAT | O_OUTPUT |
         O_FROM,
     0, 0,
     "", S_cmd_interactive, S_usage_run},
    {"resume", O_PACK | O_NOCOLOR, 1, 1, "session file", S_cmd_interactive,
     S_usage_resume},
    {"review", O_PACK | O_NOCOLOR | O_HISTORY | O_FORMAT | O_OUTPUT, 1, 1,
     "file", S_cmd_review,
     S_usage_review},
    {"check", O_PACK | O_ENUMERATE, 0, 0, "", S_cmd_check, S_usage_check},
    {"passages", O_TOPIC, 0, -1, "", S_cmd_passages, S_usage_passages},
    {"export-fhir", O_PACK, 0, 0, "", S_cmd_export, S_usage_export},
    {"logic", 0, 1, 2, "RULE", S_cmd_logic, S_usage_logic},
};

/* ---- Parsing ------------------------------------------------------------ */

/*
** Match arg against an option: "-x", "-xVALUE", "--long", "--long=VALUE".
** Sets *inline_value to the attached value, or NULL.
*/
static int S_isoption(const char *arg, char shortopt, const char *longopt,
                      const char **inline_value) {
  size_t n = strlen(longopt);

  *inline_value = NULL;
  if (arg[1] == '-') {
    if (strncmp(arg + 2, longopt, n) != 0)
      return 0;
    if (arg[2 + n] == '=')
      *inline_value = arg + 3 + n;
    return arg[2 + n] == '\0' || arg[2 + n] == '=';
  }
  if (!shortopt || arg[1] != shortopt)
    return 0;
  if (arg[2])
    *inline_value = arg + 2;
  return 1;
}

static int S_set_format(S_args *a, const char *v) {
  static const char *const names[] = {"text", "markdown", "json", "fhir",
                                      "html"};
  size_t i;

  for (i = 0; i < sizeof names / sizeof *names; i++)
    if (strcmp(v, names[i]) == 0) {
      a->o.format = (cli_format)i;
      return 0;
    }
  return S_usage_error(
      a, "unknown format '%s' (text, markdown, json, html or fhir)", v);
}

static int S_set(S_args *a, unsigned flag, const char *v) {
  switch (flag) {
  case O_PACK: a->o.pack_dir = v; break;
  case O_SESSION: a->o.session = v; break;
  case O_ANSWERS: a->o.answers = v; break;
  case O_FORMAT: return S_set_format(a, v);
  case O_OUTPUT: a->o.output = v; break;
  case O_NOCOLOR: a->o.no_color = 1; break;
  case O_TOPIC: a->topic = v; break;
  case O_ENUMERATE: a->enumerate = 1; break;
  case O_FROM: a->o.from = v; break;
  case O_HISTORY: a->history = 1; break;
  }
  return 0;
}

/* One option at argv[*i]; may take the next argument as its value. */
static int S_parse_option(S_args *a, int argc, char **argv, int *i) {
  const char *arg = argv[*i], *v;
  size_t k;

  if (S_isoption(arg, 'h', "help", &v) ||
      S_isoption(arg, 'V', "version", &v)) {
    if (v)
      return S_usage_error(a, "option '%s' takes no value", arg);
    if (S_isoption(arg, 'h', "help", &v))
      a->help = 1;
    else
      a->version = 1;
    return 0;
  }
  for (k = 0; k < sizeof S_options / sizeof *S_options; k++) {
    const S_option *opt = &S_options[k];

    if (!S_isoption(arg, opt->shortopt, opt->longopt, &v))
      continue;
    if (!(a->cmd->opts & opt->flag))
      return S_usage_error(a, "'cdguide%s%s' has no option '%s'",
                           a->cmd->name[0] ? " " : "", a->cmd->name, arg);
    if (!opt->has_value) {
      if (v)
        return S_usage_error(a, "option '%s' takes no value", arg);
      return S_set(a, opt->flag, NULL);
    }
    if (!v) {
      if (*i + 1 >= argc)
        return S_usage_error(a, "option '%s' needs a value", arg);
      v = argv[++*i];
    }
    return S_set(a, opt->flag, v);
  }
  return S_usage_error(a, "unknown option '%s'", arg);
}

/* Fill a from argv. Positional arguments are gathered at the front of
** the argv slots already read, so no allocation is needed. */
static int S_parse(int argc, char **argv, S_args *a) {
  int i = 1, only_args = 0, rc;
  size_t k;

  a->cmd = &S_commands[0];
  if (argc > 1 && argv[1][0] != '-') {
    for (k = 1; k < sizeof S_commands / sizeof *S_commands; k++)
      if (strcmp(argv[1], S_commands[k].name) == 0)
        a->cmd = &S_commands[k];
    if (a->cmd == &S_commands[0])
      return S_usage_error(a, "unknown command '%s'", argv[1]);
    i = 2;
  }
  a->args = argv + i;
  for (; i < argc; i++) {
    rc = 0;
    if (!only_args && strcmp(argv[i], "--") == 0)
      only_args = 1;
    else if (!only_args && argv[i][0] == '-' && argv[i][1])
      rc = S_parse_option(a, argc, argv, &i);
    else
      a->args[a->nargs++] = argv[i];
    if (rc != 0)
      return rc;
  }
  if (a->help || a->version)
    return 0;
  if (a->nargs < a->cmd->min_args)
    return S_usage_error(a, "missing the %s argument", a->cmd->arg_name);
  if (a->cmd->max_args >= 0 && a->nargs > a->cmd->max_args)
    return S_usage_error(a, "unexpected argument '%s'",
                         a->args[a->cmd->max_args]);
  if (a->o.answers && a->o.session)
    return S_usage_error(a, "--session cannot be used with --answers");
  if (a->o.answers && a->o.from)
    return S_usage_error(a, "--from cannot be used with --answers");
  if (a->topic && a->nargs > 0)
    return S_usage_error(a, "give --topic or passage ids, not both");
  return 0;
}

int main(int argc, char **argv) {
  S_args a;
  int rc;

  memset(&a, 0, sizeof a);
  if ((rc = S_parse(argc, argv, &a)) != 0)
    goto out;
  if (a.help) {
    fputs(a.cmd->usage, stdout);
    goto out;
  }
  if (a.version) {
    printf("cdguide %s\n", cdg_version());
    goto out;
  }
  a.o.color_stdout = cli_color_wanted(a.o.no_color, STDOUT_FILENO);
  rc = a.cmd->run(&a);
out:
  if (fflush(stdout) != 0 || ferror(stdout)) {
    cli_errorf("cannot write to standard output: %s", strerror(errno));
    if (rc == 0)
      rc = EX_IOERR;
  }
  return rc;
}
