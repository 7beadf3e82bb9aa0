/* PLACEHOLDER: cli/session.c is being written. */
typedef int cdg_placeholder_session;
