/* PLACEHOLDER: rules/pack.c is being written. */
typedef int cdg_placeholder_pack;
