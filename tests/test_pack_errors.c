/*
** test_pack_errors.c: the pack loader refuses what is not a pack, with the
** status, message, file and JSON Pointer of the first fault: missing and
** unknown fields, wrong types, a missing directory, no text, no file
** name. Split from test_pack.c.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdg_rules.h"
#include "fixture.h"

static void test_load_dir_missing(void **state) {
  cdg_pack *pack = NULL;
  cdg_error err;
  char line[1024];

  (void)state;
  assert_int_equal(
      cdg_pack_load_dir(CDG_SOURCE_DIR "/tests/fixtures/nope/", &pack, &err),
      CDG_ERR_NOTFOUND);
  assert_null(pack);
  cdg_error_format(&err, line, sizeof line);
  assert_string_equal(line, CDG_SOURCE_DIR "/tests/fixtures/nope/pack.json: "
                                           "No such file or directory");
  /* The empty directory name is the root's pack.json. */
  assert_int_equal(cdg_pack_load_dir("", &pack, &err), CDG_ERR_NOTFOUND);
  assert_string_equal(err.file, "/pack.json");
  /* A file where the directory should be: bad input, not an I/O error. */
  assert_int_equal(cdg_pack_load_dir(CDG_SOURCE_DIR "/tests/fixtures/mini/"
                                                    "pack.json",
                                     &pack, &err),
                   CDG_ERR_NOTFOUND);
  assert_string_equal(err.message, "Not a directory");
}

/* No text at all (NULL, 0 bytes) is a syntax error, not undefined
** behaviour (UBSan would flag a memcpy from NULL). */
static void test_load_nothing(void **state) {
  cdg_pack *pack = (cdg_pack *)1;
  cdg_error err;

  (void)state;
  assert_int_equal(cdg_pack_load(NULL, 0, "t.json", &pack, &err),
                   CDG_ERR_SYNTAX);
  assert_null(pack);
  assert_string_equal(err.message, "unexpected end of input");
}

static void test_pack_errors(void **state) {
  static const struct {
    const char *pack, *message, *pointer;
  } cases[] = {
      {"{" QP_HEAD ",'questions':[" QP_Q_A "]}", "missing required field \"rules\"",
       ""},
      {"{" QP_HEAD ",'rules':[]}", "missing required field \"questions\"", ""},
      {"{'version':'1','title':'T','source':" QP_SOURCE
       ",'questions':[],'rules':[]}",
       "missing required field \"id\"", ""},
      {"{'id':'','version':'1','title':'T','source':" QP_SOURCE
       ",'questions':[],'rules':[]}",
       "\"id\" must be a non-empty string", "/id"},
      {"{'id':'t','version':'1','title':'T','questions':[],'rules':[]}",
       "missing required field \"source\"", ""},
      {"{'id':'t','version':'1','title':'T','source':{'publisher':'N',"
       "'sha256':'" QP_SHA "'},'questions':[],'rules':[]}",
       "missing required field \"title\"", "/source"},
      {"{'id':'t','version':'1','title':'T','source':{'title':'S',"
       "'publisher':'N','sha256':'" QP_SHA "','url':'u'},'questions':[],"
       "'rules':[]}",
       "unknown field \"url\"", "/source/url"},
      {"{'id':'t','version':'1','title':'T','source':{'title':'S',"
       "'publisher':'N','sha256':'25A7936f8257a0ff7bbdcd9daa319262c0ea914c94d"
       "5bbe64bf2968c2801b20d'},'questions':[],'rules':[]}",
       "\"sha256\" must be 64 lower-case hex digits", "/source/sha256"},
      {"{'id':'t','version':'1','title':'T','source':{'title':'S',"
       "'publisher':'N','sha256':'" QP_SHA "0'},'questions':[],'rules':[]}",
       "\"sha256\" must be 64 lower-case hex digits", "/source/sha256"},
      {QP_PACK(QP_Q_A, QP_R_ALWAYS) "x", NULL, NULL},
      {"{" QP_HEAD ",'questions':[" QP_Q_A "],'rules':{}}",
       "\"rules\" must be an array", "/rules"},
      {QP_PACK("{'id':'','type':'single','text':'A?','options':[{'code':'x',"
            "'label':'X'}]}",
            QP_R_ALWAYS),
       "\"id\" must be a non-empty string", "/questions/0/id"},
      {QP_PACK("{'id':'a-b','type':'single','text':'A?','options':[{'code':'x',"
            "'label':'X'}]}",
            QP_R_ALWAYS),
       "question id \"a-b\" must match [a-z0-9_]+", "/questions/0/id"},
      {QP_PACK("{'id':'caf\xC3\xA9','type':'single','text':'A?','options':[{"
            "'code':'x','label':'X'}]}",
            QP_R_ALWAYS),
       "question id \"caf\xC3\xA9\" must match [a-z0-9_]+", "/questions/0/id"},
      {QP_PACK("{'id':'a{','type':'single','text':'A?','options':[{"
            "'code':'x','label':'X'}]}",
            QP_R_ALWAYS),
       "question id \"a{\" must match [a-z0-9_]+", "/questions/0/id"},
      {QP_PACK("{'id':'a','type':1,'text':'A?'}", QP_R_ALWAYS),
       "\"type\" must be a string", "/questions/0/type"},
      {QP_PACK("{'id':'a','type':'single','text':''}", QP_R_ALWAYS),
       "\"text\" must be a non-empty string", "/questions/0/text"},
      {QP_PACK("{'id':'a','type':'single','text':'A?','options':[{'label':'X'}]}",
            QP_R_ALWAYS),
       "missing required field \"code\"", "/questions/0/options/0"},
      {QP_PACK("{'id':'a','type':'single','text':'A?','options':[{'code':'x',"
            "'label':'X','note':1}]}",
            QP_R_ALWAYS),
       "unknown field \"note\"", "/questions/0/options/0/note"},
      {QP_PACK("{'id':'a','type':'single','text':'A?','options':[{'code':'x'}]}",
            QP_R_ALWAYS),
       "missing required field \"label\"", "/questions/0/options/0"},
      {QP_PACK("{'id':'a','type':'text','text':'A?','min':1}", QP_R_ALWAYS),
       "\"min\" applies only to number and integer questions", "/questions/0/min"},
      {QP_PACK("{'id':'n','type':'number','text':'N?','max':'9'}", QP_R_ALWAYS),
       "\"max\" must be a number", "/questions/0/max"},
      {QP_PACK("{'id':'a','type':'text','text':'A?','passages':['cd-onset','']}",
            QP_R_ALWAYS),
       "\"passages\" must list non-empty strings", "/questions/0/passages/1"},
      {QP_PACK(QP_Q_A, "{'when':true,'cite':['cd-onset'],'because':'b'}"),
       "missing required field \"id\"", "/rules/0"},
      {QP_PACK(QP_Q_A, "{'id':'r','cite':['cd-onset'],'because':'b'}"),
       "missing required field \"when\"", "/rules/0"},
      {QP_PACK(QP_Q_A, "{'id':'r','when':true,'cite':['cd-onset'],'because':'b',"
                 "'advice':'x'}"),
       "unknown field \"advice\"", "/rules/0/advice"},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    char *json = fixture_json(cases[i].pack);
    cdg_pack *pack = NULL;
    cdg_error err;
    cdg_status st;

    st = cdg_pack_load(json, strlen(json), "t.json", &pack, &err);
    free(json);
    if (st == CDG_OK)
      fail_msg("case %zu: loaded, expected an error", i);
    assert_null(pack);
    if (!cases[i].pointer) { /* trailing data: a syntax error */
      assert_int_equal(st, CDG_ERR_SYNTAX);
      continue;
    }
    assert_int_equal(st, CDG_ERR_PACK);
    if ((cases[i].message && strcmp(err.message, cases[i].message) != 0) ||
        strcmp(err.pointer, cases[i].pointer) != 0)
      fail_msg("case %zu: %s (at %s), expected %s (at %s)", i, err.message,
               err.pointer, cases[i].message ? cases[i].message : "...",
               cases[i].pointer);
    assert_string_equal(err.file, "t.json");
  }
}

/* No file name: "<pack>"; no error record: the status alone. */
static void test_pack_no_file(void **state) {
  cdg_pack *pack = NULL;
  cdg_error err;

  (void)state;
  assert_int_equal(cdg_pack_load("[]", 2, NULL, &pack, &err), CDG_ERR_PACK);
  assert_string_equal(err.file, "<pack>");
  assert_int_equal(cdg_pack_load("[]", 2, "p", &pack, NULL), CDG_ERR_PACK);
  assert_null(pack);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_load_dir_missing),
      cmocka_unit_test(test_load_nothing),
      cmocka_unit_test(test_pack_errors),
      cmocka_unit_test(test_pack_no_file),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
