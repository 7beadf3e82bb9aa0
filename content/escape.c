/* escape.c: the JSON string escaper of the library (cdg_base.h). */
#include <string.h>

#include "cdg_base.h"

int cdg_buf_json_string(cdg_buf *b, const char *str, size_t n,
                        unsigned flags) {
  static const char hex[] = "0123456789abcdef";
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0, run = 0, k;
  unsigned long c;
  char esc[8];

  cdg_buf_putc(b, '"');
  while (i < n) {
    unsigned char ch = s[i];
    const char *rep = NULL;

    k = 1;
    if (ch >= 0x20 && ch != '"' && ch != '\\' && ch < 0x7F) {
      i++;
      continue;
    }
    if (ch >= 0x80 || ch == 0x7F) {
      /* a lone surrogate is written escaped, as JSON.stringify does */
      k = cdg_wtf8_decode(str + i, n - i, &c);
      if (k == 0 || ((c < 0xD800 || c > 0xDFFF) &&
                     (!(flags & CDG_JSON_ESC_SAFE) || !cdg_char_unsafe(c)))) {
        i += k ? k : 1;
        continue;
      }
    } else {
      c = ch;
      switch (ch) {
      case '"': rep = "\\\""; break;
      case '\\': rep = "\\\\"; break;
      case '\b': rep = "\\b"; break;
      case '\f': rep = "\\f"; break;
      case '\n': rep = "\\n"; break;
      case '\r': rep = "\\r"; break;
      case '\t': rep = "\\t"; break;
      default: break;
      }
    }
    cdg_buf_put(b, str + run, i - run);
    if (rep) {
      cdg_buf_puts(b, rep);
    } else {
      memcpy(esc, "\\u", 2);
      esc[2] = hex[(c >> 12) & 15];
      esc[3] = hex[(c >> 8) & 15];
      esc[4] = hex[(c >> 4) & 15];
      esc[5] = hex[c & 15];
      cdg_buf_put(b, esc, 6);
    }
    i += k;
    run = i;
  }
  cdg_buf_put(b, str + run, i - run);
  return cdg_buf_putc(b, '"');
}
