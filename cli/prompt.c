/* PLACEHOLDER: cli/prompt.c is being written. */
typedef int cdg_placeholder_prompt;
