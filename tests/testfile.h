/* testfile.h: reading a whole file and removing a tree, in a test. */
#ifndef CDG_TEST_TESTFILE_H
#define CDG_TEST_TESTFILE_H

#include <stddef.h>

/* The whole file at path, NUL-terminated, in a malloc'ed buffer the caller
** frees; its length in *len when len is not NULL. A file that cannot be
** opened or read fails the test. */
char *testfile_read(const char *path, size_t *len);

/* As testfile_read, for rel, a path inside the source tree. */
char *testfile_source(const char *rel, size_t *len);

/* Remove path and, if it is a directory, all below it (rm -rf); links are
** removed, not followed. */
void testfile_rmtree(const char *path);

#endif
