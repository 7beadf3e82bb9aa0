/*
** render.h: the one wrap-and-sanitise renderer of the command line, shared
** by the questionnaire and the text and markdown reports. Text from the
** pack or the user is sanitised (cli_put_sanitized) before its columns are
** counted, and lines break at spaces; a word longer than a line is cut.
*/
#ifndef CDG_RENDER_H
#define CDG_RENDER_H

#include <stdarg.h>
#include <stdio.h>

typedef struct render {
  FILE *f;
  int width; /* columns; at least CDG_MIN_WIDTH (render_init) */
  int oom;   /* set when an allocation failed while writing */
} render;

/* A renderer writing to f, width columns wide (CDG_DEFAULT_WIDTH when
** width <= 0, CDG_MIN_WIDTH when narrower). */
void render_init(render *r, FILE *f, int width);

/* Columns of n bytes of sanitised UTF-8: one per code point. */
int render_cols(const char *s, size_t n);

/* printf into a new sanitised string (caller frees with free), or NULL
** after setting r->oom. */
char *render_vclean(render *r, const char *fmt, va_list ap);
char *render_clean(render *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/*
** Write the sanitised s word by word from column col (what is before it
** on the line is already written), breaking lines at spaces so that no
** line is wider than r->width; continuation lines start with hang spaces.
** Ends the line.
*/
void render_wrap(render *r, int col, int hang, const char *s);

/* indent spaces, then the printf text sanitised and wrapped as above. */
void render_textf(render *r, int indent, int hang, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* n spaces. */
void render_spaces(render *r, int n);

#endif
