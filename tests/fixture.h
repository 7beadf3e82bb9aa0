/*
** fixture.h: cmocka group setups and teardowns that load, once for a test
** program, the pack and passages its tests share.
*/
#ifndef CDG_TEST_FIXTURE_H
#define CDG_TEST_FIXTURE_H

#include <cjson/cJSON.h>

#include "cdg_rules.h"

typedef struct builtin_fixture {
  cdg_pack *pack;
  cdg_passages *ps;
} builtin_fixture;

/* Sets *state to a builtin_fixture with the built-in pack and passages;
** -1 (with a message) if either fails to load. */
int builtin_setup(void **state);

/* The same with the pack 1.0.0 fixture (tests/fixtures/pack-1.0) in place
** of the built-in pack (2.0.0 since issue 14), for tests whose point
** is 1.0's content: its eight questions, its path counts, its wording.
** builtin_teardown frees it. */
int pack1_setup(void **state);

/* Loads the pack 1.0.0 fixture into *out. */
cdg_status fixture_pack1(cdg_pack **out, cdg_error *err);

/* Loads text (named file) again and again, the n-th allocation failing
** for n = 1, 1 + step, ... up to the allocations of a whole load, and
** asserts each load either succeeds or fails with CDG_ERR_NOMEM, leaking
** nothing. Returns how many failed (a caller asserts it is not 0). */
long fixture_load_sweep(const char *text, size_t len, const char *file,
                        long step);

/* Frees what builtin_setup or pack1_setup loaded. */
int builtin_teardown(void **state);

/* Sets *state to the cdg_pack of tests/fixtures/mini; -1 if it fails to
** load. */
int mini_setup(void **state);

/* Frees the pack mini_setup loaded. */
int mini_teardown(void **state);

/*
** Packs written in C strings with ' for ": a minimal valid header and
** source (QP_HEAD), one single question (QP_Q_A), a rule that always
** fires (QP_R_ALWAYS), and QP_PACK(questions, rules) around them.
*/
#define QP_SHA "25a7936f8257a0ff7bbdcd9daa319262c0ea914c94d5bbe64bf2968c2801b20d"
#define QP_SOURCE "{'title':'S','publisher':'NICE','sha256':'" QP_SHA "'}"
#define QP_HEAD "'id':'t','version':'1.0.0','title':'T','source':" QP_SOURCE
#define QP_Q_A                                                                 \
  "{'id':'a','type':'single','text':'A?','options':[{'code':'x','label':"      \
  "'X'},{'code':'y','label':'Y'}]}"
#define QP_R_ALWAYS                                                            \
  "{'id':'always','when':true,'cite':['cd-what-it-is'],'because':'b'}"
#define QP_PACK(questions, rules)                                              \
  "{" QP_HEAD ",'questions':[" questions "],'rules':[" rules "]}"

/* quoted with every ' turned into "; the caller frees it with free. */
char *fixture_json(const char *quoted);

/* The pack written in quoted (see fixture_json), named "t.json"; fails the
** test, with the error, if it does not load. Free with cdg_pack_free. */
cdg_pack *fixture_pack(const char *quoted);

/* Two JSON reports (cdguide run --format json) hold the same answers and
** cite the same passages, member for member; what names them in a
** failure. */
void fixture_same_report(const cJSON *a, const cJSON *b, const char *what);

#endif
