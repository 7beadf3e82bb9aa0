/* PLACEHOLDER: rules/logic.c is being written. */
typedef int cdg_placeholder_logic;
