/* escape.c: the JSON string escaper of the library (cdg_base.h). */
#include <string.h>

#include "cdg_base.h"

size_t cdg_json_escape_char(const char *str, size_t avail, unsigned flags,
                            size_t *used, char out[6]) {
  static const char hex[] = "0123456789abcdef";
  const unsigned char *s = (const unsigned char *)str;
  unsigned char ch = s[0];
  unsigned long c = ch;
  size_t k = 1;

  if (ch >= 0x20 && ch != '"' && ch != '\\' && ch < 0x7F) {
    *used = 1;
    return 0;
  }
  if (ch >= 0x80 || ch == 0x7F) {
    /* a lone surrogate is written escaped, as JSON.stringify does */
    k = cdg_wtf8_decode(str, avail, &c);
    *used = k ? k : 1;
    if (k == 0 || ((c < 0xD800 || c > 0xDFFF) &&
                   (!(flags & CDG_JSON_ESC_SAFE) || !cdg_char_unsafe(c))))
      return 0;
  }
  *used = k;
  out[0] = '\\';
  switch (ch) {
  case '"': out[1] = '"'; return 2;
  case '\\': out[1] = '\\'; return 2;
  case '\b': out[1] = 'b'; return 2;
  case '\f': out[1] = 'f'; return 2;
  case '\n': out[1] = 'n'; return 2;
  case '\r': out[1] = 'r'; return 2;
  case '\t': out[1] = 't'; return 2;
  default: break;
  }
  out[1] = 'u';
  out[2] = hex[(c >> 12) & 15];
  out[3] = hex[(c >> 8) & 15];
  out[4] = hex[(c >> 4) & 15];
  out[5] = hex[c & 15];
  return 6;
}

int cdg_buf_json_string(cdg_buf *b, const char *str, size_t n,
                        unsigned flags) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0, run = 0, k, len;
  char esc[6];

  cdg_buf_putc(b, '"');
  while (i < n) {
    if (s[i] >= 0x20 && s[i] != '"' && s[i] != '\\' && s[i] < 0x7F) {
      i++; /* the common case, without a call */
      continue;
    }
    len = cdg_json_escape_char(str + i, n - i, flags, &k, esc);
    if (len) {
      cdg_buf_put(b, str + run, i - run);
      cdg_buf_put(b, esc, len);
      run = i + k;
    }
    i += k;
  }
  cdg_buf_put(b, str + run, i - run);
  return cdg_buf_putc(b, '"');
}
