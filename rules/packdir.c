/*
** packdir.c: packs from a directory and the built-in pack (helper layer).
**
** Uses only the public API and file reading, as lauxlib does for Lua.
*/
#include <string.h>

#include "cdg_base.h"
#include "cdg_rules.h"

extern const char cdg_embedded_pack[];
extern const size_t cdg_embedded_pack_len;

cdg_status cdg_pack_load_dir(const char *dir, cdg_pack **out,
                             cdg_error *err) {
  size_t dlen = strlen(dir), len = 0;
  char *path = cdg_malloc(dlen + sizeof "/pack.json"), *text;
  cdg_status st;

  *out = NULL;
  if (!path)
    return cdg_error_set(err, CDG_ERR_NOMEM, dir, NULL, "out of memory");
  memcpy(path, dir, dlen);
  strcpy(path + dlen, dlen && dir[dlen - 1] == '/' ? "pack.json"
                                                  : "/pack.json");
  st = cdg_read_file(path, &text, &len, err);
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
