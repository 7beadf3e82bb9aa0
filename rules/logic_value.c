/*
** logic_value.c: JsonLogic values, the evaluation arena, and JavaScript's
** equality and ordering on values (json-logic-js 2.0.5 semantics).
*/
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "logic_value.h"

const value lv_undef = {V_UNDEF, 0, 0, {0}};
const value lv_null = {V_NULL, 0, 0, {0}};

size_t lv_len(const value *v) {
  const cJSON *c;
  size_t n = 0;

  if (v->t == V_ARR)
    return v->n;
  for (c = v->u.j->child; c; c = c->next)
    n++;
  return n;
}

/* ---- Evaluation context and arena -------------------------------------- */

struct lv_chunk {
  struct lv_chunk *next;
};




void lv_ctx_done(lv_ctx *c) {
  lv_chunk *k, *next;

  for (k = c->chunks; k; k = next) {
    next = k->next;
    cdg_free(k);
  }
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
int lv_fail(lv_ctx *c, cdg_status st, const char *fmt, ...) {
  va_list ap;

  if (c->st == CDG_OK) {
    c->st = st;
    va_start(ap, fmt);
    vsnprintf(c->msg, sizeof c->msg, fmt, ap);
    va_end(ap);
  }
  return -1;
}

#define S_ALIGN (sizeof(max_align_t))
#define S_HDR (((sizeof(lv_chunk) + S_ALIGN - 1) / S_ALIGN) * S_ALIGN)

void *lv_alloc(lv_ctx *c, size_t size) {
  size_t need, csize;
  lv_chunk *k;
  char *p;

  if (size > LOGIC_MAX_BYTES) {
    lv_fail(c, CDG_ERR_LOGIC, "evaluation needs more than %lu bytes",
           (unsigned long)LOGIC_MAX_BYTES);
    return NULL;
  }
  need = (size + S_ALIGN - 1) / S_ALIGN * S_ALIGN;
  if ((size_t)(c->end - c->cur) >= need) {
    p = c->cur;
    c->cur += need;
    return p;
  }
  csize = S_HDR + (need > LOGIC_CHUNK ? need : LOGIC_CHUNK);
  if (c->bytes + csize > LOGIC_MAX_BYTES + LOGIC_CHUNK) {
    lv_fail(c, CDG_ERR_LOGIC, "evaluation needs more than %lu bytes",
           (unsigned long)LOGIC_MAX_BYTES);
    return NULL;
  }
  k = cdg_malloc(csize);
  if (!k) {
    lv_fail(c, CDG_ERR_NOMEM, "out of memory");
    return NULL;
  }
  k->next = c->chunks;
  c->chunks = k;
  c->bytes += csize;
  p = (char *)k + S_HDR;
  c->cur = p + need;
  c->end = (char *)k + csize;
  return p;
}

value *lv_alloc_values(lv_ctx *c, size_t n) {
  if (n > LOGIC_MAX_BYTES / sizeof(value)) {
    lv_fail(c, CDG_ERR_LOGIC, "evaluation needs more than %lu bytes",
           (unsigned long)LOGIC_MAX_BYTES);
    return NULL;
  }
  return lv_alloc(c, n ? n * sizeof(value) : 1);
}



int lv_sb_put(lv_ctx *c, lv_sb *sb, const char *s, size_t n) {
  const unsigned char *e, *u = (const unsigned char *)s;
  unsigned cp;
  size_t cap;
  char *p;

  e = sb->n >= 3 ? (const unsigned char *)sb->p + sb->n - 3 : NULL;
  if (e && n >= 3 && e[0] == 0xED && (e[1] & 0xF0) == 0xA0 &&
      u[0] == 0xED && (u[1] & 0xF0) == 0xB0) {
    /* a lone high and a lone low surrogate join into one character */
    cp = 0x10000 + ((((unsigned)(e[1] & 0x0F) << 6) | (e[2] & 0x3F)) << 10) +
         (((unsigned)(u[1] & 0x0F) << 6) | (u[2] & 0x3F));
    sb->p[sb->n - 3] = (char)(0xF0 | (cp >> 18));
    sb->p[sb->n - 2] = (char)(0x80 | ((cp >> 12) & 0x3F));
    sb->p[sb->n - 1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    sb->p[sb->n] = (char)(0x80 | (cp & 0x3F));
    sb->n++;
    s += 3;
    n -= 3;
  }

  if (n > LOGIC_MAX_BYTES || sb->n + n + 1 > LOGIC_MAX_BYTES)
    return lv_fail(c, CDG_ERR_LOGIC, "evaluation needs more than %lu bytes",
                  (unsigned long)LOGIC_MAX_BYTES);
  if (sb->n + n + 1 > sb->cap) {
    cap = sb->cap ? sb->cap : 32;
    while (cap < sb->n + n + 1)
      cap *= 2;
    if (sb->p && sb->p + sb->cap == c->cur &&
        (size_t)(c->end - sb->p) >= cap) {
      c->cur = sb->p + cap;
    } else {
      p = lv_alloc(c, cap);
      if (!p)
        return -1;
      if (sb->n)
        memcpy(p, sb->p, sb->n);
      sb->p = p;
    }
    sb->cap = cap;
  }
  memcpy(sb->p + sb->n, s, n);
  sb->n += n;
  sb->p[sb->n] = '\0';
  return 0;
}


/* ---- Equality and comparison -------------------------------------------- */

enum { J_UNDEF, J_NULL, J_BOOL, J_NUM, J_STR, J_OBJ };

static int S_jstype(const value *v) {
  switch (v->t) {
  case V_UNDEF: return J_UNDEF;
  case V_NULL: return J_NULL;
  case V_BOOL: return J_BOOL;
  case V_NUM: return J_NUM;
  case V_STR: return J_STR;
  default: return J_OBJ;
  }
}

/* Object identity: the same borrowed node, or the same made array. */
static int S_same(const value *a, const value *b) {
  if (a->t != b->t)
    return 0;
  if (a->t == V_ARR)
    return a->id == b->id;
  if (a->t == V_CTX)
    return a->u.c == b->u.c;
  return a->u.j == b->u.j;
}

/* === */
int lv_strict_eq(const value *a, const value *b) {
  int ta = S_jstype(a);

  if (ta != S_jstype(b))
    return 0;
  switch (ta) {
  case J_UNDEF:
  case J_NULL: return 1;
  case J_BOOL: return a->u.b == b->u.b;
  case J_NUM: return a->u.d == b->u.d;
  case J_STR: return a->n == b->n && memcmp(a->u.s, b->u.s, a->n) == 0;
  default: return S_same(a, b);
  }
}

/* == with JavaScript's coercions. Returns 0 or 1, -1 on error. */
int lv_loose_eq(lv_ctx *c, const value *a0, const value *b0) {
  value a = *a0, b = *b0, p;
  int ta, tb;

  for (;;) {
    ta = S_jstype(&a);
    tb = S_jstype(&b);
    if (ta == tb)
      return lv_strict_eq(&a, &b);
    if (ta <= J_NULL && tb <= J_NULL)
      return 1;
    if (ta <= J_NULL || tb <= J_NULL)
      return 0;
    if (ta == J_NUM && tb == J_STR)
      return a.u.d == lv_tonum(&b);
    if (ta == J_STR && tb == J_NUM)
      return lv_tonum(&a) == b.u.d;
    if (ta == J_BOOL) {
      a = lv_num(a.u.b);
    } else if (tb == J_BOOL) {
      b = lv_num(b.u.b);
    } else if (ta == J_OBJ && tb == J_NUM) {
      return lv_tonum(&a) == b.u.d;
    } else if (tb == J_OBJ && ta == J_NUM) {
      return a.u.d == lv_tonum(&b);
    } else if (ta == J_OBJ && tb == J_STR) {
      if (lv_tostr(c, &a, &p) < 0)
        return -1;
      a = p;
    } else if (tb == J_OBJ && ta == J_STR) {
      if (lv_tostr(c, &b, &p) < 0)
        return -1;
      b = p;
    } else {
      return 0;
    }
  }
}

/* Abstract relational comparison: strings (and objects, which become
** strings) by UTF-16 units, anything else as numbers. -2 on error. */
int lv_cmp(lv_ctx *c, const value *a, const value *b) {
  value pa, pb;
  double x, y;
  int sa = a->t == V_STR || lv_is_obj(a), sb = b->t == V_STR || lv_is_obj(b);

  if (sa && sb) {
    if (lv_tostr(c, a, &pa) < 0 || lv_tostr(c, b, &pb) < 0)
      return -2;
    return lv_u16cmp(pa.u.s, pa.n, pb.u.s, pb.n);
  }
  x = lv_tonum(a);
  y = lv_tonum(b);
  if (isnan(x) || isnan(y))
    return CMP_NONE;
  return x < y ? CMP_LT : x > y ? CMP_GT : CMP_EQ;
}

