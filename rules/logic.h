/*
** logic.h: internal JsonLogic evaluator (https://jsonlogic.com).
**
** Expressions are compiled once from a cJSON tree (operators resolved,
** unknown ones rejected, constants folded) and evaluated many times against
** a data tree, with json-logic-js semantics: JavaScript truthiness, loose
** equality, numeric coercion. Rules compiled together into a slots table
** are evaluated faster on a frame of their data (logic_slots.h), with the
** same results.
*/
#ifndef CDG_LOGIC_H
#define CDG_LOGIC_H

#include <cjson/cJSON.h>

#include "cdg_content.h"

/*
** The JsonLogic operators: one table, read by the compiler, the evaluator,
** the loader and the linter. nargs is how many arguments the operator
** reads (LOGIC_NARGS_ALL: every one); an operator with LOGIC_OP_REBINDS
** evaluates its second argument once per element of its first, with the
** element (reduce: {"current", "accumulator"}) as the data.
*/
typedef enum logic_opcode {
  LOGIC_OP_VAR, LOGIC_OP_MISSING, LOGIC_OP_MISSING_SOME, LOGIC_OP_IF,
  LOGIC_OP_EQ, LOGIC_OP_SEQ, LOGIC_OP_NE, LOGIC_OP_SNE, LOGIC_OP_NOT,
  LOGIC_OP_NOTNOT, LOGIC_OP_OR, LOGIC_OP_AND, LOGIC_OP_GT, LOGIC_OP_GE,
  LOGIC_OP_LT, LOGIC_OP_LE, LOGIC_OP_MAX, LOGIC_OP_MIN, LOGIC_OP_ADD,
  LOGIC_OP_SUB, LOGIC_OP_MUL, LOGIC_OP_DIV, LOGIC_OP_MOD, LOGIC_OP_MAP,
  LOGIC_OP_FILTER, LOGIC_OP_REDUCE, LOGIC_OP_ALL, LOGIC_OP_NONE,
  LOGIC_OP_SOME, LOGIC_OP_MERGE, LOGIC_OP_IN, LOGIC_OP_CAT, LOGIC_OP_SUBSTR,
  LOGIC_OP_LOG,
  LOGIC_OP_COUNT
} logic_opcode;

#define LOGIC_NARGS_ALL 0
#define LOGIC_OP_REBINDS 1

typedef struct logic_op {
  const char *name;     /* "?:" is another name of "if" */
  logic_opcode code;
  unsigned char nargs;  /* LOGIC_NARGS_ALL or a count */
  unsigned char flags;  /* LOGIC_OP_REBINDS */
} logic_op;

/* The operator called name, or NULL when JsonLogic has none. */
const logic_op *logic_op_find(const char *name);

/* The operator of a code (its first name). */
const logic_op *logic_op_get(logic_opcode code);

typedef struct logic_expr logic_expr;

/*
** Compile expr (borrowed; not kept). On an unknown operator or a malformed
** expression returns CDG_ERR_LOGIC, with err->pointer set to the JSON
** Pointer of the offending part relative to expr ("" for expr itself) and
** err->message naming the problem. Caller frees with logic_free.
*/
cdg_status logic_compile(const cJSON *expr, logic_expr **out, cdg_error *err);

/* As logic_compile, but borrowing expr, which must outlive the result:
** for the pack, which keeps its tree until it is freed. */
cdg_status logic_compile_ref(const cJSON *expr, logic_expr **out,
                             cdg_error *err);

void logic_free(logic_expr *e);

/* Set the steps an evaluation may take (0: CDG_MAX_LOGIC_STEPS, the
** default): a test hook, so that rules at the limit are cheap to run. */
void logic_set_step_limit(unsigned long steps);

/*
** Evaluate on data (borrowed; NULL means null). Every string in data has
** its valuestring and every object member its key, as in the trees that
** json_parse and cJSON's constructors make. *result is a new tree the
** caller frees with cJSON_Delete.
*/
cdg_status logic_eval(const logic_expr *e, const cJSON *data, cJSON **result,
                      cdg_error *err);

/*
** Evaluate and apply JsonLogic truthiness: 1 truthy, 0 falsy,
** LOGIC_NOMEM when out of memory, LOGIC_FAIL when the expression cannot be
** evaluated on this data (a step or memory limit, or an operation
** json-logic-js throws on).
*/
#define LOGIC_NOMEM (-1)
#define LOGIC_FAIL (-2)
int logic_test(const logic_expr *e, const cJSON *data);

/* 1 if a value is truthy by JsonLogic's rules (empty array is falsy). */
int logic_truthy(const cJSON *v);

#endif
