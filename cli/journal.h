/*
** journal.h: a session as an append-only journal (format 2, JSON Lines).
**
** Every line is one event, a JSON object with "seq" (1, 2, ...), "time"
** (UTC, ISO 8601) and "event". The first is "started", naming the pack;
** then "answered" or "changed" (question, answer), "hidden" (a change
** disabled the question; its answer is kept), "skipped", "went_back",
** "resumed", "finished", "reopened", "started_from" (answers carried over
** from another session, and those left out). Each event is written whole
** and fsynced before the questionnaire moves on: a crash loses at most the
** event being written. A last line without its line end is that event: it
** is reported (journal_torn_line) and ignored, and cut off before the next
** write. The current answers are the fold of the events.
**
** The fold knows nothing of the pack: session.c checks the answers.
*/
#ifndef CDG_JOURNAL_H
#define CDG_JOURNAL_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include <cjson/cJSON.h>

#include "cli.h"

#define JOURNAL_FORMAT 2

typedef struct journal journal;

/* A journal with no events for the file at path (not opened). Returns
** NULL when out of memory. */
journal *journal_new(const char *path);
void journal_free(journal *j);

/* 1 if the text's first line is a journal's "started" event (format 2). */
int journal_sniff(const char *text, size_t len);

/*
** Fold the events of text (len bytes) into j, which must be new. With
** history set, journal_history lists every event. Bad lines other than a
** torn last one are CDG_ERR_SYNTAX or CDG_ERR_ANSWER with path:line:col.
*/
cdg_status journal_parse(journal *j, const char *text, size_t len,
                         int history, cdg_error *err);

/* The same, reading fp line by line (memory stays small). */
cdg_status journal_read(journal *j, FILE *fp, int history, cdg_error *err);

/* What the fold holds. Objects are {question id: answer as in an answers
** file}; borrowed from j. */
const char *journal_pack_id(const journal *j);
const char *journal_pack_version(const journal *j);
const cJSON *journal_current(const journal *j); /* answers that count */
const cJSON *journal_said(const journal *j);    /* the last said, all */
const cJSON *journal_skips(const journal *j);   /* {id: true} skipped */
const cJSON *journal_carried(const journal *j); /* from started_from */
/* The line of question id's last answer, for messages (0: none). */
size_t journal_line_of(const journal *j, const char *id);
int journal_finished(const journal *j);
size_t journal_event_count(const journal *j);
size_t journal_torn_line(const journal *j); /* 0 when none */
/* Every event, when read with history: objects with seq, time, event and,
** for a question, "question", "old" and "new" answers where they apply. */
const cJSON *journal_history(const journal *j);

/* ---- Writing ---------------------------------------------------------- */

/*
** Make j the one writer of its file. An existing file is opened (never
** through a symbolic link) and locked (flock, exclusive); a new one is
** only checked (its directory must exist and be writable) and is created
** with the first event. Returns 0, or an exit code with err: EX_TEMPFAIL
** when another program holds the lock, EX_NOPERM for a file without write
** permission (nothing is changed), EX_CANTCREAT, EX_IOERR.
*/
int journal_open(journal *j, cdg_error *err);

/* Write a format 1 file (whose answers are in format1, a JSON object,
** recorded at time) as a journal at the first commit; the old file is
** kept as PATH.format1. */
int journal_convert_format1(journal *j, const cJSON *format1,
                            const char *time, cdg_error *err);

/* The pack the journal is for (the started event names it). Copies. */
int journal_set_pack(journal *j, const char *id, const char *version);

/*
** Queue an event. kind is an event name; qid (or NULL) its question;
** value (or NULL) the answer, copied. "answered" becomes "changed" when
** the question had another answer before. extra (or NULL) is an object
** whose members are added (copied). Returns 0 or -1 out of memory.
*/
int journal_add(journal *j, const char *kind, const char *qid,
                const cJSON *value, const cJSON *extra);

/* Write the queued events, creating the file first when needed, and fsync.
** On failure the file is as it was before (a partial write is cut off)
** and the queue is dropped, but the fold is ahead of the file: stop
** writing. Returns 0 or an exit code with err. */
int journal_commit(journal *j, cdg_error *err);

/* Whether the file exists on disk (an event was ever written). */
int journal_exists(const journal *j);
const char *journal_path(const journal *j);

/* For tests: the write(2) that journal_commit calls (NULL: write). */
extern ssize_t (*journal_write_hook)(int fd, const void *buf, size_t n);

#endif
