/*
** failalloc.h: an allocator for allocation-failure tests. Installed with
** cdg_set_allocator, it fails the fail_at-th allocation (malloc or realloc,
** counted from 1) of a run, counts the allocations asked for, and counts
** the blocks it handed out that have not come back through its free.
*/
#ifndef CDG_TEST_FAILALLOC_H
#define CDG_TEST_FAILALLOC_H

/* Reset the counters and install the allocator; fail_at 0: none fails. */
void failalloc_start(long fail_at);

/* Put back the default allocator; the counters keep their values. */
void failalloc_stop(void);

/* Allocations asked for since failalloc_start, the failed one included. */
long failalloc_count(void);

/* Blocks allocated since failalloc_start and not yet freed. */
long failalloc_live(void);

#endif
