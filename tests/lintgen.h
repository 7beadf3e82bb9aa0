/*
** lintgen.h: random small packs for the linter's differential test
** (test_lint_sym.c): random questions of every type, enable_when and rule
** conditions over the operators packs use, each decided exactly by both
** the symbolic checker and the path enumeration.
*/
#ifndef CDG_TEST_LINTGEN_H
#define CDG_TEST_LINTGEN_H

#include <stddef.h>

typedef struct lintgen_buf {
  char s[16384];
  size_t n;
} lintgen_buf;

/* The generator's state: 12345 at start. */
void lintgen_seed(unsigned long seed);
/* A random condition over questions 0..n-1 of the pack lintgen_pack
** made last (shape 2's forms), as JSON text in b (appended). */
void lintgen_cond(lintgen_buf *b, unsigned n);
/* A number in 0..n-1 (n > 0), from the generator's state. */
unsigned lintgen_rand(unsigned n);
/* One pack of up to 5 questions and 4 rules as JSON text in b: shape 0,
** the first generator's forms; 1, more operator forms; 2, every question
** type and operator form together; 3, as 2 with single and multi
** questions only, and rules citing "cd-onset" or "cd-what-it-is". */
void lintgen_pack(lintgen_buf *b, int shape);

#endif
