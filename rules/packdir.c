/* PLACEHOLDER: rules/packdir.c is being written. */
typedef int cdg_placeholder_packdir;
