/*
** fixture.h: cmocka group setups and teardowns that load, once for a test
** program, the pack and passages its tests share.
*/
#ifndef CDG_TEST_FIXTURE_H
#define CDG_TEST_FIXTURE_H

#include "cdg_rules.h"

typedef struct builtin_fixture {
  cdg_pack *pack;
  cdg_passages *ps;
} builtin_fixture;

/* Sets *state to a builtin_fixture with the built-in pack and passages;
** -1 (with a message) if either fails to load. */
int builtin_setup(void **state);

/* Frees what builtin_setup loaded. */
int builtin_teardown(void **state);

/* Sets *state to the cdg_pack of tests/fixtures/mini; -1 if it fails to
** load. */
int mini_setup(void **state);

/* Frees the pack mini_setup loaded. */
int mini_teardown(void **state);

#endif
