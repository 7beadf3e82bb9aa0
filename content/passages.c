/* PLACEHOLDER: content/passages.c is being written. */
typedef int cdg_placeholder_passages;
