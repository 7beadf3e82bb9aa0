/*
** lintpack.h: the small packs test_lint.c and test_lint_forms.c lint,
** written with ' for " (linttest_load swaps them): PACK around lists of
** questions and rules, single question a (x, y), and a rule that always
** fires. SHA is the built-in source text's.
*/
#ifndef CDG_TEST_LINTPACK_H
#define CDG_TEST_LINTPACK_H

#define SHA "25a7936f8257a0ff7bbdcd9daa319262c0ea914c94d5bbe64bf2968c2801b20d"
#define PACK(questions, rules)                                              \
  "{'id':'t','version':'1.0.0','title':'T','source':{'title':'S',"          \
  "'publisher':'NICE','sha256':'" SHA "'},'questions':[" questions          \
  "],'rules':[" rules "]}"

#define Q_A                                                                 \
  "{'id':'a','type':'single','text':'A?','options':[{'code':'x','label':"   \
  "'X'},{'code':'y','label':'Y'}]}"
#define R_ALWAYS                                                            \
  "{'id':'always','when':true,'cite':['cd-what-it-is'],'because':'b'}"

#endif
