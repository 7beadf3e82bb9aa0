/*
** output.c: stdout, a device written directly, or an atomic file.
*/
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"
#include "session.h"

static int S_is_stdout(const char *path) {
  return !path || strcmp(path, "-") == 0 || strcmp(path, "/dev/stdout") == 0;
}

int output_check(const char *path) {
  char dir[PATH_MAX];
  const char *slash;
  struct stat sb;
  int n;

  if (S_is_stdout(path))
    return 0;
  slash = strrchr(path, '/');
  if (!*(slash ? slash + 1 : path)) {
    cli_errorf("%s: not a file name", path);
    return EX_CANTCREAT;
  }
  if (lstat(path, &sb) == 0) {
    if (S_ISLNK(sb.st_mode)) {
      cli_errorf("%s: is a symbolic link; not writing through it", path);
      return EX_CANTCREAT;
    }
    if (S_ISDIR(sb.st_mode)) {
      cli_errorf("%s: not a regular file", path);
      return EX_CANTCREAT;
    }
    /* The mode bits, not access(2): root may write anything. */
    if (S_ISREG(sb.st_mode) && !(sb.st_mode & S_IWUSR)) {
      cli_errorf("%s: is read-only; not replaced", path);
      return EX_NOPERM;
    }
    if (!S_ISREG(sb.st_mode) && access(path, W_OK) != 0) {
      cli_errorf("%s: cannot write: %s", path, strerror(errno));
      return EX_CANTCREAT;
    }
    if (!S_ISREG(sb.st_mode))
      return 0;
  } else if (errno != ENOENT) {
    cli_errorf("%s: cannot write: %s", path, strerror(errno));
    return EX_CANTCREAT;
  }
  if (!slash)
    n = snprintf(dir, sizeof dir, ".");
  else if (slash == path)
    n = snprintf(dir, sizeof dir, "/");
  else
    n = snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
  if (n < 0 || (size_t)n >= sizeof dir) {
    cli_errorf("%s: path too long", path);
    return EX_CANTCREAT;
  }
  if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode) ||
      access(dir, W_OK | X_OK) != 0) {
    cli_errorf("%s: cannot create a file in %s: %s", path, dir,
               strerror(stat(dir, &sb) != 0  ? errno
                        : !S_ISDIR(sb.st_mode) ? ENOTDIR
                                               : EACCES));
    return EX_CANTCREAT;
  }
  return 0;
}

int output_open(cli_output *o, const char *path) {
  struct stat sb;
  int rc;

  memset(o, 0, sizeof *o);
  if (S_is_stdout(path)) {
    o->fp = stdout;
    return 0;
  }
  o->path = path;
  if ((rc = output_check(path)) != 0)
    return rc;
  if (lstat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
    o->direct = 1;
    if (!(o->fp = fopen(path, "w"))) {
      cli_errorf("%s: cannot write: %s", path, strerror(errno));
      return EX_CANTCREAT;
    }
    return 0;
  }
  if (!(o->fp = open_memstream(&o->buf, &o->len))) {
    cli_errorf("out of memory");
    return cli_exit_code(CDG_ERR_NOMEM);
  }
  return 0;
}

int output_is_stdout(const cli_output *o) { return o->path == NULL; }

int output_close(cli_output *o, int rc) {
  cdg_error err;

  if (!o->fp)
    return rc;
  if (!o->path) {
    o->fp = NULL;
    return rc; /* main flushes stdout and reports its errors */
  }
  if (o->direct) {
    if (fclose(o->fp) != 0 && rc == 0) {
      cli_errorf("%s: cannot write: %s", o->path, strerror(errno));
      rc = EX_IOERR;
    }
    o->fp = NULL;
    return rc;
  }
  /* open_memstream's fclose only fails when out of memory. */
  if (fclose(o->fp) != 0 && rc == 0) {
    cli_errorf("out of memory");
    rc = cli_exit_code(CDG_ERR_NOMEM);
  }
  o->fp = NULL;
  if (rc == 0) {
    cdg_error_clear(&err);
    if (session_write_atomic(o->path, o->buf, o->len, &err) != CDG_OK) {
      cli_print_error(&err);
      rc = EX_CANTCREAT;
    }
  }
  free(o->buf);
  o->buf = NULL;
  return rc;
}
