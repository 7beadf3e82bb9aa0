/* PLACEHOLDER: cli/report.c is being written. */
typedef int cdg_placeholder_report;
