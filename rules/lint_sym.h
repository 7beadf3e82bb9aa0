/*
** lint_sym.h: state shared by the symbolic checker's two files:
** lint_abs.c encodes the pack (the abstraction of each question, the
** conditions as clauses), lint_sym.c asks the properties.
*/
#ifndef CDG_LINT_SYM_H
#define CDG_LINT_SYM_H

#include <setjmp.h>
#include <stddef.h>

#include <picosat/picosat.h>

#include "lint.h"

#define SYM_LEAF_ROWS 4096   /* rows of one leaf's table */
#define SYM_MULTI_BITS 12    /* options of a multi tabulated by subsets */
#define SYM_PROPAGATIONS 20000000ULL /* per call: the budget */
#define SYM_TEXT_MAX 2000
#define SYM_QUICK_DECISIONS 50 /* decisions of a quick "impossible?" call */
#define SYM_RANDOM_PATHS 16  /* random answer paths before the first call */    /* longest text answer (answers.c) */

/* A block PicoSAT holds, in a doubly linked list. */
typedef struct sym_blk {
  struct sym_blk *prev, *next;
  max_align_t align[];
} sym_blk;

/* A question in the abstraction. */
typedef struct sym_q {
  int e;                /* enabled */
  int v;                /* first value (or multi option) variable */
  size_t ndom;          /* values (multi: options) */
  double *num;          /* number: the representatives */
  const char **str;     /* text: the representatives */
  char *other;          /* text: the one not compared with */
} sym_q;

/* The checker: the formula, scratch space, and the path being checked. */
typedef struct sym_ctx {
  lint_ctx *L;
  const cdg_pack *pack;
  PicoSAT *sat;
  sym_blk *blocks;      /* held by PicoSAT */
  jmp_buf oom;
  sym_q *q;
  int *f;               /* rule r fires */
  int *elit;            /* question i enabled (S->q[i].e) */
  int tru;              /* the constant true */
  int *lits;            /* scratch clause */
  size_t nlits, caplits;
  size_t reads[64];     /* questions a leaf reads */
  size_t nreads;
  int inexact;          /* the leaf is not decided exactly */
  int undecided;        /* the condition being compiled has a free leaf */
  int failed;           /* it cannot be evaluated on some answers */
  unsigned char *qok, *rok;   /* shown on a real path (or, with *never,
                                 proved impossible) */
  unsigned char *qnever, *rnever;
  long *val;            /* path: -1 absent, else value index (multi: mask) */
  unsigned char *en;    /* path: enabled */
  unsigned char *fired; /* path: rule fired */
  cJSON *data;          /* scratch answers for the evaluator */
  logic_expr *own;      /* scratch compiled leaf */
  unsigned long seed;   /* of the random paths */
} sym_ctx;

/* A fresh variable; a literal of the clause being built; the end of it
** (added, scratch emptied); a two-literal clause. Out of memory longjmps
** to S->oom, as every function here does. */
int sym_var(sym_ctx *S);
void sym_lit(sym_ctx *S, int lit);
void sym_end(sym_ctx *S);
void sym_c2(sym_ctx *S, int a, int b);

/* A variable x <-> a and b. */
int sym_and(sym_ctx *S, int a, int b);

/* The literal of one condition (at pointer of the pack, named what id in
** findings): reports it when not decided exactly, or when it cannot be
** evaluated on some answers. e: node compiled, or NULL. */
int sym_condition(sym_ctx *S, const cJSON *node, const logic_expr *e,
                  const char *pointer, const char *what, const char *id);

/* Set question i in data to answer k (-1: absent; multi: the mask).
** 0, or -1 when out of memory. */
int sym_put(const sym_ctx *S, cJSON *data, size_t i, long k);

/* Variables of every question and literals of every condition. */
void sym_build(sym_ctx *S);

#endif
