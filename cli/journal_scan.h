/*
** journal_scan.h: the fast path of reading a journal. The writer writes
** most events in one fixed shape,
**   {"seq":N,"time":"T","event":"E"[,"question":"Q"][,"answer":A]}
** with A a string or a list of strings; a line of exactly that shape, its
** strings printable ASCII without escapes, is turned into its event object
** here without the general JSON scan and parse (the cost of resuming a
** long journal). Any other line is left to them: what this accepts, they
** would accept as the same object.
*/
#ifndef CDG_JOURNAL_SCAN_H
#define CDG_JOURNAL_SCAN_H

#include <stddef.h>

#include <cjson/cJSON.h>

/*
** The event on the n bytes at s (no line end), when it has the fixed
** shape: a new object the caller deletes. NULL otherwise, with *nomem set
** when it had the shape but memory ran out.
*/
cJSON *journal_scan_line(const char *s, size_t n, int *nomem);

#endif
