/* PLACEHOLDER: rules/outcome.c is being written. */
typedef int cdg_placeholder_outcome;
