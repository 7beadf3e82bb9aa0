/* PLACEHOLDER: content/json.c is being written. */
typedef int cdg_placeholder_json;
