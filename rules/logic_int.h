/*
** logic_int.h: the compiled form of a JsonLogic rule, shared by the
** compiler (logic_compile.c), the evaluator (logic_eval.c) and the entry
** points (logic.c). Private to the library.
*/
#ifndef CDG_LOGIC_INT_H
#define CDG_LOGIC_INT_H

#include "logic.h"
#include "logic_value.h"

/* Node kinds: an operator (logic_opcode), or one of these. */
enum {
  N_LIT = LOGIC_OP_COUNT, /* a literal */
  N_ARRAY                 /* an array whose items are evaluated */
};

typedef struct node {
  unsigned char op;   /* logic_opcode, N_LIT or N_ARRAY */
  size_t n;           /* arguments */
  struct node *kids;  /* n nodes, contiguous */
  value v;            /* N_LIT: the value; N_ARRAY: constant items */
} node;

/* One allocation: the struct, then the nodes, then the items. */
struct logic_expr {
  cJSON *copy;  /* the rule, or NULL when borrowed; literals point into it */
  node *nodes;
  value *items;
};

/* Evaluate nd on data into *out: 0, or -1 with c->st and c->msg set. */
int logic_eval_node(lv_ctx *c, const node *nd, const value *data,
                    value *out);

#endif
