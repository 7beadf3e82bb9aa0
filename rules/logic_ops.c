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

/* The operators of each first byte, ending in S_END: the loader and the
** linter look up every operator node of a pack, and a walk of the whole
** table was 2.6% of checking one. */
#define S_END 255
static const unsigned char S_by_eq[] = {LOGIC_OP_EQ, LOGIC_OP_SEQ, S_END},
    S_by_not[] = {LOGIC_OP_NOT, LOGIC_OP_NOTNOT, LOGIC_OP_NE, LOGIC_OP_SNE,
                  S_END},
    S_by_gt[] = {LOGIC_OP_GT, LOGIC_OP_GE, S_END},
    S_by_lt[] = {LOGIC_OP_LT, LOGIC_OP_LE, S_END},
    S_by_a[] = {LOGIC_OP_AND, LOGIC_OP_ALL, S_END},
    S_by_c[] = {LOGIC_OP_CAT, S_END},
    S_by_f[] = {LOGIC_OP_FILTER, S_END},
    S_by_i[] = {LOGIC_OP_IF, LOGIC_OP_IN, S_END},
    S_by_l[] = {LOGIC_OP_LOG, S_END},
    S_by_m[] = {LOGIC_OP_MISSING, LOGIC_OP_MISSING_SOME, LOGIC_OP_MAX,
                LOGIC_OP_MIN, LOGIC_OP_MAP, LOGIC_OP_MERGE, S_END},
    S_by_n[] = {LOGIC_OP_NONE, S_END},
    S_by_o[] = {LOGIC_OP_OR, S_END},
    S_by_r[] = {LOGIC_OP_REDUCE, S_END},
    S_by_s[] = {LOGIC_OP_SOME, LOGIC_OP_SUBSTR, S_END},
    S_by_v[] = {LOGIC_OP_VAR, S_END},
    S_by_add[] = {LOGIC_OP_ADD, S_END}, S_by_sub[] = {LOGIC_OP_SUB, S_END},
    S_by_mul[] = {LOGIC_OP_MUL, S_END}, S_by_div[] = {LOGIC_OP_DIV, S_END},
    S_by_mod[] = {LOGIC_OP_MOD, S_END},
    S_by_alias[] = {LOGIC_OP_COUNT, S_END}; /* "?:" */

const logic_op *logic_op_find(const char *name) {
  const unsigned char *c;

  switch (name[0]) {
  case '=': c = S_by_eq; break;
  case '!': c = S_by_not; break;
  case '>': c = S_by_gt; break;
  case '<': c = S_by_lt; break;
  case '+': c = S_by_add; break;
  case '-': c = S_by_sub; break;
  case '*': c = S_by_mul; break;
  case '/': c = S_by_div; break;
  case '%': c = S_by_mod; break;
  case '?': c = S_by_alias; break;
  case 'a': c = S_by_a; break;
  case 'c': c = S_by_c; break;
  case 'f': c = S_by_f; break;
  case 'i': c = S_by_i; break;
  case 'l': c = S_by_l; break;
  case 'm': c = S_by_m; break;
  case 'n': c = S_by_n; break;
  case 'o': c = S_by_o; break;
  case 'r': c = S_by_r; break;
  case 's': c = S_by_s; break;
  case 'v': c = S_by_v; break;
  default: return NULL;
  }
  for (; *c != S_END; c++)
    if (strcmp(S_ops[*c].name, name) == 0)
      return &S_ops[*c];
  return NULL;
}

const logic_op *logic_op_get(logic_opcode code) {
  return (unsigned)code < LOGIC_OP_COUNT ? &S_ops[code] : NULL;
}
