/*
** logic.h: internal JsonLogic evaluator (https://jsonlogic.com).
**
** Expressions are compiled once from a cJSON tree (operators resolved,
** unknown ones rejected) and evaluated many times against a data tree, with
** json-logic-js semantics: JavaScript truthiness, loose equality, numeric
** coercion.
*/
#ifndef CDG_LOGIC_H
#define CDG_LOGIC_H

#include <cjson/cJSON.h>

#include "cdg_content.h"

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
