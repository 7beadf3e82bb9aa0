/* PLACEHOLDER: rules/lint.c is being written. */
typedef int cdg_placeholder_lint;
