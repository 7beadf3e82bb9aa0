/*
** session.h: session files, under $XDG_STATE_HOME/cdguide/ (0700
** directories, 0600 files) unless named. A session is a journal of events
** (format 2, journal.h). Format 1, one JSON object
** {"cdguide_session": 1, "pack": {"id": ..., "version": ...},
**  "updated": "...", "answers": {...}}, is still read, and converted to a
** journal when next written, the old file kept beside it.
*/
#ifndef CDG_SESSION_H
#define CDG_SESSION_H

#include "cli.h"
#include "journal.h"
#include "cdg_report.h"

/* A new default session path under the state directory. Caller frees with
** cdg_free. */
cdg_status session_default_path(char **path, cdg_error *err);

/* Save answers for pack to path atomically, in format 1 (what older
** versions wrote; tests make format 1 files with it). */
cdg_status session_save(const char *path, const cdg_pack *pack,
                        const cdg_answers *a, cdg_error *err);

/*
** Load a session file, or a plain answers file, or a FHIR
** QuestionnaireResponse, checked against pack. A session for another pack
** id or version is refused (CDG_ERR_ANSWER). Caller frees *out.
*/
cdg_status session_load(const char *path, const cdg_pack *pack,
                        cdg_answers **out, cdg_error *err);

/* What session_load_kind found in the file. */
typedef enum session_kind {
  SESSION_KIND_SESSION = 0,  /* a cdguide session file */
  SESSION_KIND_ANSWERS,      /* a plain answers object */
  SESSION_KIND_FHIR          /* a FHIR QuestionnaireResponse */
} session_kind;

/* session_load that also says which kind of file it read (kind may be
** NULL). */
cdg_status session_load_kind(const char *path, const cdg_pack *pack,
                             cdg_answers **out, session_kind *kind,
                             cdg_error *err);

/* session_load_kind on text already read (len bytes, not necessarily
** NUL-terminated); path names it in errors. */
cdg_status session_parse(const cdg_pack *pack, const char *text, size_t len,
                         const char *path, cdg_answers **out,
                         session_kind *kind, cdg_error *err);

/* Write text to path atomically (for --output). */
cdg_status session_write_atomic(const char *path, const char *data,
                                size_t len, cdg_error *err);

/* A session file read for the questionnaire or for history. */
typedef struct session_file {
  session_kind kind;
  int format;             /* 1 or 2 for a session file */
  journal *j;             /* the fold (format 2), or NULL */
  cdg_answers *answers;   /* the answers that count, checked */
  cdg_answers *defaults;  /* every answer last said that is still valid */
  cJSON *format1;         /* format 1: its answers object */
  char updated[32];       /* format 1: its "updated" */
} session_file;

/*
** Read path (any kind session_load reads) for pack, streaming a journal
** (with history set, keeping its history). Fills *f; free it with
** session_file_free. A journal for another pack version is refused.
*/
cdg_status session_read(const char *path, const cdg_pack *pack, int history,
                        session_file *f, cdg_error *err);
void session_file_free(session_file *f);

/* Read path as a journal (or format 1 file) for no particular pack: the
** answers as JSON, for run --from. *j is the fold; free with
** journal_free. */
cdg_status session_read_any(const char *path, journal **j, cdg_error *err);

/*
** Set answer v (JSON as in an answers file) to question q in a, checked
** against the question alone (not enablement).
*/
cdg_status session_set_value(cdg_answers *a, const cdg_question *q,
                             const cJSON *v, cdg_error *err);

/* A journal's history (read with history) as report events: strings
** borrowed from j, answers printed as JSON. */
typedef struct session_events {
  cdg_report_event *ev;
  size_t n;
} session_events;

/* Fill *e from j (a journal read with history). Returns 0 or -1 out of
** memory; free with session_events_free either way. */
int session_events_of(const journal *j, session_events *e);
void session_events_free(session_events *e);

#endif
