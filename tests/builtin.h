/*
** builtin.h: a cmocka group setup and teardown that load the built-in pack
** and passages once for a test program.
*/
#ifndef CDG_TEST_BUILTIN_H
#define CDG_TEST_BUILTIN_H

#include "cdg_rules.h"

typedef struct builtin_fixture {
  cdg_pack *pack;
  cdg_passages *ps;
} builtin_fixture;

/* Sets *state to a builtin_fixture; -1 (with a message) if either fails to
** load. */
int builtin_setup(void **state);

/* Frees what builtin_setup loaded. */
int builtin_teardown(void **state);

#endif
