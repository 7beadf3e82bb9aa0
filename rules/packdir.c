/*
** packdir.c: packs from a directory and the built-in pack (helper layer).
**
** Uses only the public API and file reading, as lauxlib does for Lua.
*/
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cdg_rules.h"

extern const char cdg_embedded_pack[];
extern const size_t cdg_embedded_pack_len;

static cdg_status S_fail(cdg_error *err, cdg_status st, const char *file,
                         const char *message) {
  if (err) {
    cdg_error_clear(err);
    snprintf(err->file, sizeof err->file, "%s", file);
    snprintf(err->message, sizeof err->message, "%s", message);
  }
  return st;
}

/* Read all of path into *buf (NUL-terminated, caller frees). */
static cdg_status S_read(const char *path, char **buf, size_t *len,
                         cdg_error *err) {
  FILE *f = fopen(path, "rb");
  size_t cap = 0, n = 0, got;
  char *b = NULL, *nb;

  *buf = NULL;
  if (!f)
    return S_fail(err, errno == ENOENT ? CDG_ERR_NOTFOUND : CDG_ERR_IO,
                  path, strerror(errno));
  do {
    if (cap - n < 4096) {
      cap = cap ? cap * 2 : 65536;
      if (!(nb = cdg_realloc(b, cap))) {
        cdg_free(b);
        fclose(f);
        return S_fail(err, CDG_ERR_NOMEM, path, "out of memory");
      }
      b = nb;
    }
    got = fread(b + n, 1, cap - n - 1, f);
    n += got;
  } while (got > 0);
  if (ferror(f)) {
    int e = errno;

    cdg_free(b);
    fclose(f);
    return S_fail(err, CDG_ERR_IO, path, strerror(e));
  }
  fclose(f);
  b[n] = '\0';
  *buf = b;
  *len = n;
  return CDG_OK;
}

cdg_status cdg_pack_load_dir(const char *dir, cdg_pack **out,
                             cdg_error *err) {
  size_t dlen = strlen(dir), len = 0;
  char *path = cdg_malloc(dlen + sizeof "/pack.json"), *text;
  cdg_status st;

  *out = NULL;
  if (!path)
    return S_fail(err, CDG_ERR_NOMEM, dir, "out of memory");
  memcpy(path, dir, dlen);
  strcpy(path + dlen, dlen && dir[dlen - 1] == '/' ? "pack.json"
                                                  : "/pack.json");
  st = S_read(path, &text, &len, err);
  if (!st) {
    st = cdg_pack_load(text, len, path, out, err);
    cdg_free(text);
  }
  cdg_free(path);
  return st;
}

cdg_status cdg_pack_builtin(cdg_pack **out, cdg_error *err) {
  return cdg_pack_load(cdg_embedded_pack, cdg_embedded_pack_len,
                       "rules/packs/cervical-dystonia/pack.json", out, err);
}
