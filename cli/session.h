/*
** session.h: session files. Every confirmed answer is written at once,
** atomically (temporary file, fsync, rename, no symlinks followed), under
** $XDG_STATE_HOME/cdguide/ (0700 directories, 0600 files).
**
** Format: {"cdguide_session": 1, "pack": {"id": ..., "version": ...},
**          "updated": "...", "answers": {...}}
*/
#ifndef CDG_SESSION_H
#define CDG_SESSION_H

#include "cli.h"

/* A new default session path under the state directory. Caller frees with
** cdg_free. */
cdg_status session_default_path(char **path, cdg_error *err);

/* Save answers for pack to path atomically. */
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

#endif
