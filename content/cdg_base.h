/*
** cdg_base.h: the base layer of libcdguide, public so that the commands
** use the same pieces: a growable buffer, UTF-8, a string hash, a JSON
** string escaper and a whole-file reader. (The error builder is with the
** error record, in cdg_content.h; the arena is internal, content/arena.h.)
**
** One owner per concept, as cmark has one cmark_strbuf and one utf8.c.
** All memory comes from the library's allocator (cdg_malloc). No function
** prints or exits.
*/
#ifndef CDG_BASE_H
#define CDG_BASE_H

#include <stdarg.h>
#include <stddef.h>

#include "cdg_content.h"

/* ---- Growable buffer -------------------------------------------------- */

/*
** A byte buffer that grows as text is appended, always NUL-terminated once
** anything is in it. A failed allocation is sticky: the buffer keeps what
** it had, every later append does nothing, and failed stays 1, so a writer
** appends freely and checks once at the end (as cmark_strbuf).
** Initialise with CDG_BUF_INIT or cdg_buf_init; free with cdg_buf_free.
*/
typedef struct cdg_buf {
  char *data;  /* NULL until the first append; then len bytes and a NUL */
  size_t len;
  size_t cap;  /* bytes allocated at data */
  int failed;  /* an allocation failed */
} cdg_buf;

#define CDG_BUF_INIT {NULL, 0, 0, 0}

void cdg_buf_init(cdg_buf *b);

/* Frees the contents and empties b; b itself is the caller's. */
void cdg_buf_free(cdg_buf *b);

/* Room for extra more bytes and a NUL. 0, or -1 (and failed set). */
int cdg_buf_grow(cdg_buf *b, size_t extra);

/* Append n bytes of s, the string s, the byte c, or printf output. Each
** returns 0, or -1 when the buffer has failed (now or before). */
int cdg_buf_put(cdg_buf *b, const void *s, size_t n);
int cdg_buf_puts(cdg_buf *b, const char *s);
int cdg_buf_putc(cdg_buf *b, int c);
int cdg_buf_printf(cdg_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
int cdg_buf_vprintf(cdg_buf *b, const char *fmt, va_list ap);

/* printf into a new string, which the caller frees with cdg_free; NULL
** when out of memory. */
char *cdg_strdup_printf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Cut the contents to len bytes (no-op when already shorter). */
void cdg_buf_truncate(cdg_buf *b, size_t len);

/* The contents as a string: "" when empty. Borrowed from b. */
const char *cdg_buf_cstr(const cdg_buf *b);

/*
** Hand the contents over: a NUL-terminated string the caller frees with
** cdg_free (*len, if not NULL, its length), and b is empty again. NULL
** when the buffer has failed (the contents are then freed) or when out of
** memory for an empty one.
*/
char *cdg_buf_detach(cdg_buf *b, size_t *len);

/* ---- Growable arrays ------------------------------------------------- */

/*
** Room for one more item in an array of n items of size bytes, *cap of
** them allocated; items is the address of the array's pointer (a T **,
** NULL-initialised). When full it is doubled (to 16 items at first) and
** the new room zeroed. 0, or -1 when out of memory or the size would
** overflow, with the array and *cap left as they were.
*/
int cdg_grow(void *items, size_t n, size_t *cap, size_t size);
/* The same, the new room left as it is: for big arrays whose items are
** each written before they are read (zeroing touches every page of the
** doubled room at once, and a page touched is memory held). */
int cdg_grow_raw(void *items, size_t n, size_t *cap, size_t size);

/* ---- UTF-8 ------------------------------------------------------------ */

/*
** The one UTF-8 decoder (RFC 3629): the length (1..4) of the valid
** sequence at s, with at most avail bytes readable, and its code point in
** *cp (when cp is not NULL); 0 when it is not one: a stray or invalid
** byte, an overlong form, a surrogate, a value above U+10FFFF, a sequence
** cut by avail, or avail 0. A NUL byte is a valid sequence of 1.
*/
size_t cdg_utf8_decode(const char *s, size_t avail, unsigned long *cp);

/* The number of leading bytes of s[0..n) that are valid UTF-8: n when
** all of it is. */
size_t cdg_utf8_valid(const char *s, size_t n);

/* The number of characters (code points) in the valid UTF-8 s[0..n);
** each invalid byte counts as one. */
size_t cdg_utf8_count(const char *s, size_t n);

/* Encode cp (at most U+10FFFF, not a surrogate) into out; returns the
** length 1..4, or 0 for a value that has no UTF-8 form. */
size_t cdg_utf8_encode(unsigned long cp, char out[4]);

/* The bytes of the longest prefix of s[0..n) of at most max bytes that
** does not cut a character (n when it fits); a stray byte counts as one
** character, as a printer shows it as one U+FFFD. */
size_t cdg_utf8_prefix(const char *s, size_t n, size_t max);

/*
** A text as shown in a one-line message: s copied into dst (size at
** least 4 bytes) whole when it has at most size - 4 bytes; a longer one is
** cut to its cdg_utf8_prefix of size - 4 bytes and marked "...",
** so that a 1 MB code or key still gives a short, whole message. Control
** bytes are kept: whoever prints the message sanitises it. Returns dst.
*/
char *cdg_utf8_cut(char *dst, size_t size, const char *s);

/*
** Generalised UTF-8 (WTF-8), the form of JavaScript's strings that the
** JsonLogic evaluator keeps: as cdg_utf8_decode and cdg_utf8_encode, but
** a lone surrogate U+D800..U+DFFF is also a character, in its 3-byte form
** (ED A0..BF 80..BF), as cutting a surrogate pair in two leaves it.
*/
size_t cdg_wtf8_decode(const char *s, size_t avail, unsigned long *cp);
size_t cdg_wtf8_encode(unsigned long cp, char out[4]);

/* ---- Hash ------------------------------------------------------------- */

/* The string hash of every hash table of the library (FNV-1a, folded). */
size_t cdg_hash(const char *s);

/* ---- JSON strings ----------------------------------------------------- */

/* Flags of cdg_buf_json_string. */
#define CDG_JSON_ESC_SAFE 1u /* also escape DEL, the C1 controls and the
                                bidirectional formatting characters, so
                                that JSON shown on a terminal cannot
                                drive it */

/*
** Append s[0..n) to b as a JSON string, with its quotes: '"' and '\\'
** escaped, the C0 controls as \b \f \n \r \t or \u00XX (as cJSON prints
** them), and with CDG_JSON_ESC_SAFE the characters listed there as \uXXXX.
** A lone surrogate in generalised UTF-8 (ED A0..BF xx, as a JavaScript
** substring can make) is written as its \uXXXX escape, as JSON.stringify
** does; any other byte that is not UTF-8 is copied as it is (the
** library's strings are checked UTF-8). Returns 0, or -1 when b failed.
*/
int cdg_buf_json_string(cdg_buf *b, const char *s, size_t n, unsigned flags);

/*
** The same escape for the one character at s (avail > 0 bytes readable),
** for a caller that writes into storage of its own: *used gets the bytes
** of s it takes (1..4), and the escape (2 or 6 bytes) goes to out and its
** length is returned; 0 when the character goes as it is.
*/
size_t cdg_json_escape_char(const char *s, size_t avail, unsigned flags,
                            size_t *used, char out[6]);

/* Whether the code point c must not reach a terminal raw: a control (C0,
** DEL, C1) or a bidirectional formatting character. */
int cdg_char_unsafe(unsigned long c);

/* ---- Files ------------------------------------------------------------ */

/*
** Read the whole file at path into a NUL-terminated buffer (*buf, which
** the caller frees with cdg_free; *len bytes before the NUL). A file that
** does not exist is CDG_ERR_NOTFOUND; a directory, or a file larger than
** CDG_MAX_FILE_BYTES, is CDG_ERR_NOTFOUND too (not a file to read: bad
** input, not a failing disk); a read error is CDG_ERR_IO. err names the
** path. *buf is NULL after a failure.
*/
cdg_status cdg_read_file(const char *path, char **buf, size_t *len,
                         cdg_error *err);

#endif
