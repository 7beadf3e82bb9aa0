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
      k = cdg_utf8_decode(str + i, n - i, &c);
      if (k == 0 && ch == 0xED && i + 2 < n && (s[i + 1] & 0xE0) == 0xA0 &&
          (s[i + 2] & 0xC0) == 0x80) {
        /* a lone surrogate: JSON.stringify writes it escaped */
        c = 0xD000 | ((unsigned long)(s[i + 1] & 0x3F) << 6) |
            (s[i + 2] & 0x3Fu);
        k = 3;
      } else if (k == 0 || !(flags & CDG_JSON_ESC_SAFE) ||
                 !cdg_char_unsafe(c)) {
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
