/* file.c: the whole-file reader of the library (cdg_base.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cdg_base.h"
#include "cdg_limits.h"

static cdg_status S_file_error(cdg_error *err, const char *path, int e) {
  return cdg_error_set(err,
                       e == ENOENT || e == ENOTDIR ? CDG_ERR_NOTFOUND
                                                   : CDG_ERR_IO,
                       path, NULL, "%s", strerror(e));
}

static cdg_status S_too_large(cdg_error *err, const char *path) {
  return cdg_error_set(err, CDG_ERR_NOTFOUND, path, NULL,
                       "larger than %lu MiB, too large to read",
                       (unsigned long)(CDG_MAX_FILE_BYTES >> 20));
}

cdg_status cdg_read_file(const char *path, char **buf, size_t *len,
                         cdg_error *err) {
  FILE *f;
  struct stat sb;
  cdg_buf b = CDG_BUF_INIT;
  size_t got;
  cdg_status st = CDG_OK;

  *buf = NULL;
  *len = 0;
  f = fopen(path, "rb");
  if (!f)
    return S_file_error(err, path, errno);
  /* fopen succeeds on a directory and reading it fails (EISDIR): that is
  ** bad input, named as such, not a failing disk. */
  sb.st_mode = 0;
  sb.st_size = 0;
  (void)fstat(fileno(f), &sb); /* if it fails, reading tells */
  if (S_ISDIR(sb.st_mode) || sb.st_size > (off_t)CDG_MAX_FILE_BYTES) {
    fclose(f);
    return S_ISDIR(sb.st_mode)
               ? cdg_error_set(err, CDG_ERR_NOTFOUND, path, NULL,
                               "is a directory, not a file")
               : S_too_large(err, path);
  }
  for (;;) {
    if (cdg_buf_grow(&b, b.len < 4096 ? 4096 : b.len) != 0) {
      st = cdg_error_set(err, CDG_ERR_NOMEM, path, NULL, "out of memory");
      break;
    }
    got = fread(b.data + b.len, 1, b.cap - b.len - 1, f);
    b.len += got;
    b.data[b.len] = '\0';
    if (b.len > CDG_MAX_FILE_BYTES) { /* a pipe, or a file that grew */
      st = S_too_large(err, path);
      break;
    }
    if (got == 0)
      break;
  }
  if (!st && ferror(f))
    st = S_file_error(err, path, errno ? errno : EIO);
  fclose(f);
  if (st) {
    cdg_buf_free(&b);
    return st;
  }
  *buf = cdg_buf_detach(&b, len); /* cannot fail: b has grown */
  return CDG_OK;
}
