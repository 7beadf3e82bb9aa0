/* PLACEHOLDER: rules/answers.c is being written. */
typedef int cdg_placeholder_answers;
