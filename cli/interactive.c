/* PLACEHOLDER: cli/interactive.c is being written. */
typedef int cdg_placeholder_interactive;
