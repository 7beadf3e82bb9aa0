/*
** lint_enum.h: the path enumeration's state, shared by lint_enum.c (the
** walk over answer paths) and lint_enum_report.c (its findings). Not a
** public interface: cdg_lint_enumerate and lint_enum_run are.
*/
#ifndef CDG_RULES_LINT_ENUM_H
#define CDG_RULES_LINT_ENUM_H

#include <stddef.h>

#include "lint.h"
#include "logic_slots.h"

/* The answers one question branches over, for the component being
** enumerated; the cJSON nodes come from a pool reused by every component. */
typedef struct enum_dom {
  size_t item;          /* first pool node: one per answer (multi: option) */
  size_t nitem;
  size_t arr;           /* multi: pool node of the array answer */
  size_t mask;          /* multi: first of its subsets in E->masks */
  size_t nval;          /* answers to branch over, absent not counted */
  size_t memo;          /* enable_when memo: 1 + offset in E->memo, or 0 */
} enum_dom;

/* One answer of the example path that cites nothing. */
typedef struct enum_ex {
  int present;
  union {
    unsigned long mask; /* multi */
    double num;         /* number */
    const char *str;    /* single (the code) and text */
  } u;
} enum_ex;

/* A position of the component being enumerated: its answers, and where
** the walk is there. */
typedef struct enum_at {
  enum_dom dom;
  size_t alt;           /* answer being tried */
  size_t nalt;          /* answers to try */
  size_t cur;           /* 0 absent, k + 1 answer k */
  size_t fired;         /* rules fired up to here */
  unsigned char on;     /* enabled on this prefix */
} enum_at;

typedef struct enum_state {
  unsigned long long budget; /* complete paths per component */
  int trying;           /* 1: a component too large ends the pass quietly */
  size_t ncomp;
  size_t *cstart;       /* component c: positions cstart[c]..cstart[c+1] */
  size_t *order;        /* position -> question index, topological */
  size_t *pos;          /* question index -> position */
  size_t *comp;         /* question index -> component */
  size_t *rstart;       /* rules decided at position g: rlist[rstart[g]..] */
  size_t *rlist;        /* (g = number of questions: constant rules) */
  const size_t *rreads, *rrstart;     /* what rule r reads (lint_ctx) */
  const size_t *ereads, *erstart;     /* what enable_when of q reads */
  const unsigned char *ropaque, *eopaque; /* reads what cannot be named */
  size_t *rstride, *estride;  /* memo strides of what each reads */
  size_t *rmemo;        /* rule -> 1 + memo offset, or 0 */
  enum_at *at;             /* at[k]: position base + k, in the component */
  size_t base;          /* being enumerated: its first position */
  enum_ex *ex;             /* position -> answer on a path citing nothing */
  unsigned char *reached, *rfired, *csilent;
  unsigned char *cbad;  /* 1 too large, 2 reads what is not tried exactly */
  const unsigned char *qinx, *rinx; /* not decided exactly (L's) */
  int inexact;          /* some condition is not */
  unsigned char *qfailed, *rfailed; /* enable_when / rule failed on a path */
  cJSON **pool;         /* reusable nodes for answers */
  size_t npool;         /* in use by the current component */
  size_t nmade, cappool;
  unsigned long *masks;
  size_t nmasks, capmasks;
  double *vals;
  size_t capvals;
  signed char *memo;    /* -1 unknown, 0 false, 1 true */
  size_t nmemo, capmemo;
  cJSON *data;          /* the answers of the current prefix */
  logic_frame *frame;   /* the same, typed for the compiled conditions */
} enum_state;

/* The findings of a finished enumeration (lint_enum_report.c). */
void lint_enum_report(lint_ctx *L, enum_state *E);

#endif
