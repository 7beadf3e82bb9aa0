/*
** logic_ops.c: the table of JsonLogic operators (logic.h).
*/
#include <string.h>

#include "logic.h"

/* In opcode order, so that S_ops[code] is the operator of a code; "?:"
** (an alias) comes last. */
static const logic_op S_ops[] = {
    {"var", LOGIC_OP_VAR, 2, 0},
    {"missing", LOGIC_OP_MISSING, LOGIC_NARGS_ALL, 0},
    {"missing_some", LOGIC_OP_MISSING_SOME, 2, 0},
    {"if", LOGIC_OP_IF, LOGIC_NARGS_ALL, 0},
    {"==", LOGIC_OP_EQ, 2, 0},
    {"===", LOGIC_OP_SEQ, 2, 0},
    {"!=", LOGIC_OP_NE, 2, 0},
    {"!==", LOGIC_OP_SNE, 2, 0},
    {"!", LOGIC_OP_NOT, 1, 0},
    {"!!", LOGIC_OP_NOTNOT, 1, 0},
    {"or", LOGIC_OP_OR, LOGIC_NARGS_ALL, 0},
    {"and", LOGIC_OP_AND, LOGIC_NARGS_ALL, 0},
    {">", LOGIC_OP_GT, 2, 0},
    {">=", LOGIC_OP_GE, 2, 0},
    {"<", LOGIC_OP_LT, 3, 0}, /* a < b < c: "between" */
    {"<=", LOGIC_OP_LE, 3, 0},
    {"max", LOGIC_OP_MAX, LOGIC_NARGS_ALL, 0},
    {"min", LOGIC_OP_MIN, LOGIC_NARGS_ALL, 0},
    {"+", LOGIC_OP_ADD, LOGIC_NARGS_ALL, 0},
    {"-", LOGIC_OP_SUB, 2, 0},
    {"*", LOGIC_OP_MUL, LOGIC_NARGS_ALL, 0},
    {"/", LOGIC_OP_DIV, 2, 0},
    {"%", LOGIC_OP_MOD, 2, 0},
    {"map", LOGIC_OP_MAP, 2, LOGIC_OP_REBINDS},
    {"filter", LOGIC_OP_FILTER, 2, LOGIC_OP_REBINDS},
    {"reduce", LOGIC_OP_REDUCE, 3, LOGIC_OP_REBINDS},
    {"all", LOGIC_OP_ALL, 2, LOGIC_OP_REBINDS},
    {"none", LOGIC_OP_NONE, 2, LOGIC_OP_REBINDS},
    {"some", LOGIC_OP_SOME, 2, LOGIC_OP_REBINDS},
    {"merge", LOGIC_OP_MERGE, LOGIC_NARGS_ALL, 0},
    {"in", LOGIC_OP_IN, 2, 0},
    {"cat", LOGIC_OP_CAT, LOGIC_NARGS_ALL, 0},
    {"substr", LOGIC_OP_SUBSTR, 3, 0},
    {"log", LOGIC_OP_LOG, 1, 0},
    {"?:", LOGIC_OP_IF, LOGIC_NARGS_ALL, 0},
};

_Static_assert(sizeof S_ops / sizeof S_ops[0] == LOGIC_OP_COUNT + 1,
               "one entry per opcode, and the alias");

const logic_op *logic_op_find(const char *name) {
  size_t i;

  /* the first byte rules out most: the loader and linter call this once
  ** per node of a pack */
  for (i = 0; i < sizeof S_ops / sizeof S_ops[0]; i++)
    if (S_ops[i].name[0] == name[0] && strcmp(S_ops[i].name, name) == 0)
      return &S_ops[i];
  return NULL;
}

const logic_op *logic_op_get(logic_opcode code) {
  return (unsigned)code < LOGIC_OP_COUNT ? &S_ops[code] : NULL;
}
