/* PLACEHOLDER: cli/fhir.c is being written. */
typedef int cdg_placeholder_fhir;
