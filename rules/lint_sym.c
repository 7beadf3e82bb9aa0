/* lint_sym.c: placeholder */
#include "lint.h"
int lint_sym_run(lint_ctx *L) { return lint_enum_run(L); }
