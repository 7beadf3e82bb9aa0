/* PLACEHOLDER: cli/common.c is being written. */
typedef int cdg_placeholder_common;
