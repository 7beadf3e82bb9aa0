/* PLACEHOLDER: rules/walker.c is being written. */
typedef int cdg_placeholder_walker;
