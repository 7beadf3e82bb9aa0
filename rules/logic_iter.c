/*
** logic_iter.c: the iterating operators of compiled JsonLogic: map,
** filter, reduce, all, none, some; and their compiled bodies.
**
** A body made only of numbers, booleans, the item ({"var": ""}; in
** reduce, "current" and "accumulator") and the arithmetic, comparison and
** logical operators has a type known when compiling (number or boolean),
** given a number for the item (and the accumulator). Such a body is marked
** (logic_iter_mark) and, on the typed path, runs over each number item as
** doubles: no value built, nothing allocated, with the same coercions as
** the general evaluator (parseFloat for + and *, Number for the rest). Any
** other item (or accumulator) goes through the general evaluator, item by
** item. At the top of a condition, such an iteration over an array of the
** data is tested without a context at all (logic_iter_test).
*/
#include <math.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "logic_int.h"

/* ---- Compiling: the type of a body ------------------------------------ */

/* The body types, in node.vt: an operator node of a typed body holds its
** result type (V_NUM or V_BOOL), and an iterating node its body's. A
** literal has its own vt; {"var": ...} of the item is always a number. */
#define S_NO V_UNDEF

/* What a body's var reads (S_type's mode): the item, reduce's current and
** accumulator, or, in an expression at the rule's top scope (F_NUM), a
** slot of the frame (a plain {"var": "name"} resolved to one). */
enum { S_M_ITEM, S_M_REDUCE, S_M_TOP };

static int S_is_item(const node *nd, int mode) {
  if (mode == S_M_TOP && nd->fast == F_VAR_DFLT) /* a number default */
    return nd->n == 2 && KIDS(nd)[1].op == N_LIT && KIDS(nd)[1].vt == V_NUM;
  if (nd->op != LOGIC_OP_VAR || nd->vt != V_STR || nd->n != 0)
    return 0;
  if (mode == S_M_TOP) /* a slot, or a path from one (S_slot) */
    return nd->fast == F_VAR;
  if (mode == S_M_REDUCE)
    return nd->neg == VK_CUR || nd->neg == VK_ACC;
  return nd->aux == 0; /* {"var": ""} or {"var": null}: the item */
}

/* Whether nd reads a member of an object item: {"var": "key"} in map,
** filter, all, none, some; {"var": "current.key"} in reduce (one key, no
** further dot). Typed as a number: an item whose member is anything else
** (or that is not an object) goes through the general evaluator. */
static int S_is_field(const node *nd, int mode) {
  if (nd->op != LOGIC_OP_VAR || nd->vt != V_STR || nd->n != 0)
    return 0;
  if (mode == S_M_ITEM)
    return nd->aux > 0 && nd->neg == VK_KEY;
  return mode == S_M_REDUCE && nd->neg == VK_PATH && nd->aux > 8 &&
         memcmp(nd->u.s, "current.", 8) == 0 &&
         !memchr(nd->u.s + 8, '.', nd->aux - 8);
}

/* The type of a node of a typed body: a var (the item) is a number. */
#define S_T(nd) ((nd)->op == LOGIC_OP_VAR ? V_NUM : (nd)->vt)

/* The operators a typed body may hold. */
static int S_typable(int op) {
  switch (op) {
  case LOGIC_OP_ADD: case LOGIC_OP_MAX: case LOGIC_OP_MIN:
  case LOGIC_OP_MUL: case LOGIC_OP_SUB: case LOGIC_OP_DIV:
  case LOGIC_OP_MOD: case LOGIC_OP_GT: case LOGIC_OP_GE:
  case LOGIC_OP_LT: case LOGIC_OP_LE: case LOGIC_OP_EQ:
  case LOGIC_OP_NE: case LOGIC_OP_SEQ: case LOGIC_OP_SNE:
  case LOGIC_OP_NOT: case LOGIC_OP_NOTNOT: case LOGIC_OP_AND:
  case LOGIC_OP_OR: case LOGIC_OP_IF: return 1;
  default: return 0;
  }
}

/* The type of nd's value when the item (mode S_M_TOP: every slot read) is
** a number, setting vt of every typed operator below (each node once per
** call; at the top scope each operator's ancestors call it again, which
** CDG_MAX_LOGIC_DEPTH bounds); S_NO when not known. */
static int S_type(node *nd, int mode) {
  node *k = KIDS(nd);
  int t = S_NO;
  size_t i, n = nd->n;

  if (nd->op == N_LIT)
    return nd->vt == V_NUM || nd->vt == V_BOOL ? nd->vt : S_NO;
  if (nd->op == LOGIC_OP_VAR)
    return S_is_item(nd, mode) || S_is_field(nd, mode) ? V_NUM : S_NO;
  if (nd->op >= LOGIC_OP_COUNT || !S_typable(nd->op))
    return S_NO;
  for (i = 0; i < n; i++)
    if (S_type(&k[i], mode) == S_NO)
      return S_NO;
  switch (nd->op) {
  case LOGIC_OP_ADD:
  case LOGIC_OP_MAX:
  case LOGIC_OP_MIN: t = V_NUM; break;
  case LOGIC_OP_MUL: /* one argument: that argument itself */
    t = n == 0 ? S_NO : n == 1 ? S_T(k) : V_NUM;
    break;
  case LOGIC_OP_SUB: t = n >= 1 ? V_NUM : S_NO; break;
  case LOGIC_OP_DIV:
  case LOGIC_OP_MOD: t = n >= 2 ? V_NUM : S_NO; break;
  case LOGIC_OP_NOT:
  case LOGIC_OP_NOTNOT: t = n >= 1 ? V_BOOL : S_NO; break;
  case LOGIC_OP_AND:
  case LOGIC_OP_OR: /* the value of one argument: all of one type */
    t = n >= 1 ? S_T(&k[0]) : S_NO;
    for (i = 1; i < n; i++)
      if (S_T(&k[i]) != t)
        t = S_NO;
    break;
  case LOGIC_OP_IF: /* every branch of one type, and an else */
    if (n % 2 == 0)
      return S_NO;
    t = S_T(&k[n - 1]);
    for (i = 1; i < n; i += 2)
      if (S_T(&k[i]) != t)
        t = S_NO;
    break;
  default: /* comparisons */
    t = n >= 2 ? V_BOOL : S_NO;
    break;
  }
  if (t != S_NO)
    nd->vt = (unsigned char)t;
  return t;
}

/* What a typed body reads of its item: the item itself (a number), or
** members of it (an object). */
enum { S_R_ITEM = 1, S_R_FIELD = 2 };

static int S_reads(const node *nd, int mode) {
  int r = 0;
  size_t i;

  if (nd->op == LOGIC_OP_VAR)
    return S_is_field(nd, mode) ? S_R_FIELD
           : nd->neg == VK_ACC  ? 0
                                : S_R_ITEM;
  for (i = 0; i < nd->n; i++)
    r |= S_reads(&KIDS(nd)[i], mode);
  return r;
}

void logic_iter_mark(node *nd) {
  int mode = nd->op == LOGIC_OP_REDUCE ? S_M_REDUCE : S_M_ITEM, r;

  if (nd->op < LOGIC_OP_MAP || nd->op > LOGIC_OP_SOME || nd->n < 2)
    return;
  nd->vt = (unsigned char)S_type(&KIDS(nd)[1], mode);
  if (nd->op == LOGIC_OP_REDUCE && nd->vt != V_NUM)
    nd->vt = S_NO; /* the accumulator stays a number */
  if (nd->vt == S_NO)
    return;
  /* neg: the body reads members, so only object items run typed; one
  ** that reads the item too runs none */
  r = S_reads(&KIDS(nd)[1], mode);
  if (r == (S_R_ITEM | S_R_FIELD))
    nd->vt = S_NO;
  else
    nd->neg = r == S_R_FIELD;
}

/* ---- Evaluating a typed body ------------------------------------------ */

/* parseFloat(String(x)) and Number(x) of a typed value. */
#define S_PF(t, x) ((t) == V_NUM ? (x) + 0.0 : NAN) /* -0 + 0 is 0 */
#define S_TRUE(t, x) logic_num_true((t), (x)) /* logic_int.h */

typedef struct S_item {
  double cur, acc;
  const cJSON *obj;     /* an object item (then cur is not read), or NULL */
  unsigned long steps; /* what the general evaluator would count */
  const logic_frame *f; /* F_NUM: the slots' frame */
  int bail;             /* F_NUM: a slot held no number */
} S_item;

typedef double (*S_fn)(const node *nd, S_item *it);
static const S_fn S_fns[LOGIC_OP_COUNT];

/* The first member p[0..len) (len > 0) of object obj, as S_member finds
** it, or NULL. */
static inline const cJSON *S_key(const cJSON *obj, const char *p,
                                 size_t len) {
  const cJSON *ch;
  size_t j;

  for (ch = obj->child; ch; ch = ch->next) {
    const char *k = ch->string;
    if (k[0] != p[0]) /* the usual mismatch */
      continue;
    for (j = 1; j < len && k[j] == p[j]; j++)
      ;
    if (j == len && k[j] == '\0')
      return ch;
  }
  return NULL;
}

/* Member p[0..len) of object obj: 1 with *x its number, or 0 (no such
** member, or not a number: the general evaluator decides). */
static inline int S_key_num(const cJSON *obj, const char *p, size_t len,
                            double *x) {
  const cJSON *ch = S_key(obj, p, len);

  if (!ch || (ch->type & 0xFF) != cJSON_Number)
    return 0;
  *x = ch->valuedouble;
  return 1;
}

/* A member of the object item (S_is_field): its number, or bail. */
static double S_field(const node *nd, S_item *it) {
  const char *p = nd->neg == VK_PATH ? nd->u.s + 8 : nd->u.s;
  size_t len = nd->neg == VK_PATH ? nd->aux - 8 : nd->aux;
  double x;

  if (it->obj && S_key_num(it->obj, p, len, &x))
    return x;
  it->bail = 1;
  return 0;
}

/* S_slot's path: the rest p[0..end) of {"var": "name.rest"} from the
** slot's object x, as logic_var_path walks it: its number, or bail (not an
** object, an empty segment, a path through anything but objects, not a
** number at its end: the general evaluator decides); a member not found,
** when dflt is set: *dflt. Apart, so that S_slot stays small. */
static __attribute__((noinline)) double
S_path_num(const lf_val *x, const char *p, const char *end,
           const double *dflt, S_item *it) {
  const char *dot;
  const cJSON *j, *m;
  double d;

  if (x->stamp != it->f->stamp || x->v.t != V_JOBJ)
    goto bail;
  j = x->v.u.j;
  for (;;) {
    for (dot = p; dot < end && *dot != '.'; dot++) /* keys are short */
      ;
    if (dot == p)
      goto bail;
    if (!(m = S_key(j, p, (size_t)(dot - p))))
      goto absent;
    if (dot == end) {
      if ((m->type & 0xFF) != cJSON_Number)
        goto bail;
      d = m->valuedouble;
      return d;
    }
    if ((m->type & 0xFF) != cJSON_Object)
      goto bail;
    j = m;
    p = dot + 1;
  }
absent:
  if (dflt)
    return *dflt;
bail:
  it->bail = 1;
  return 0;
}

/* S_path_num of F_VAR node nd (a path: neg). */
static double S_slot_path(const node *nd, S_item *it) {
  if (!nd->neg) {
    it->bail = 1;
    return 0;
  }
  return S_path_num(&it->f->v[nd->k], nd->u.s + it->f->s->v[nd->k].len + 1,
                    nd->u.s + nd->aux, NULL, it);
}

/* F_NUM's slot: its number; else a path from it, or bail (absent, or
** any other type: the general evaluator decides). */
static inline __attribute__((always_inline)) double S_slot(const node *nd,
                                                         S_item *it) {
  const lf_val *x = &it->f->v[nd->k];

  if (x->stamp == it->f->stamp && x->v.t == V_NUM && !nd->neg)
    return x->v.u.d;
  return S_slot_path(nd, it);
}

/* F_NUM's {"var": ["name.rest", number]}: the slot's number (or its
** path's), or the default when it is absent; anything else bails (null is
** found, not absent). */
static __attribute__((noinline)) double S_slot_dflt(const node *nd,
                                                  S_item *it) {
  const lf_val *x = &it->f->v[nd->aux];
  const node *key = KIDS(nd);

  if (x->stamp != it->f->stamp)
    return key[1].u.d;
  if (!nd->neg && x->v.t == V_NUM)
    return x->v.u.d;
  if (!nd->neg) {
    it->bail = 1;
    return 0;
  }
  return S_path_num(x, key->u.s + it->f->s->v[nd->aux].len + 1,
                    key->u.s + key->aux, &key[1].u.d, it);
}

/* The value of a node of a typed body (a boolean as 0 or 1): literals and
** the item inline, operators through S_fns (one small function each, so
** that none pays for another's registers). */
static inline double S_num(const node *nd, S_item *it) {
  if (nd->op == N_LIT)
    return nd->vt == V_NUM ? nd->u.d : nd->u.b;
  it->steps++;
  if (nd->op == LOGIC_OP_VAR) {
    if (nd->fast == F_VAR) /* F_NUM's slot (never in a body) */
      return S_slot(nd, it);
    if (nd->fast == F_VAR_DFLT)
      return S_slot_dflt(nd, it);
    if (nd->neg == VK_ACC)
      return it->acc;
    if (!it->obj) /* a number item */
      return it->cur;
    return S_field(nd, it); /* an object item's member (S_is_field) */
  }
  return S_fns[nd->op](nd, it);
}

/* Kids [from, n) evaluated for nothing, as json-logic-js evaluates every
** argument. */
static void S_rest(const node *nd, size_t from, S_item *it) {
  size_t i;

  for (i = from; i < nd->n; i++)
    (void)S_num(&KIDS(nd)[i], it);
}

/* The sum is never -0 (parseFloat gives 0 for it), so that the general
** evaluator's (a == 0 ? 0 : a) is a itself. */
static double S_add(const node *nd, S_item *it) {
  const node *k = KIDS(nd);
  double a = 0, x;
  size_t i;

  if (nd->n == 2) { /* the usual case */
    a = S_num(&k[0], it);
    x = S_num(&k[1], it);
    return S_PF(S_T(&k[0]), a) + S_PF(S_T(&k[1]), x);
  }
  for (i = 0; i < nd->n; i++) {
    x = S_num(&k[i], it);
    a += S_PF(S_T(&k[i]), x);
  }
  return a;
}

static double S_mul(const node *nd, S_item *it) {
  const node *k = KIDS(nd);
  double a = S_num(&k[0], it), x;
  size_t i;

  if (nd->n == 1) /* reduce without an initial value: the item itself */
    return a;
  a = S_PF(S_T(&k[0]), a);
  for (i = 1; i < nd->n; i++) {
    x = S_num(&k[i], it);
    a = (a == 0 ? 0 : a) * S_PF(S_T(&k[i]), x);
  }
  return a;
}

/* Math.max / Math.min of a (so far) and x: NaN wins, +0 above -0. */
static inline double S_mm(int max, double a, double x) {
  if (isnan(x) || isnan(a))
    return NAN;
  if (max ? (x > a || (x == 0 && a == 0 && !signbit(x)))
          : (x < a || (x == 0 && a == 0 && signbit(x))))
    return x;
  return a;
}

static double S_minmax(const node *nd, S_item *it) {
  const node *k = KIDS(nd);
  int max = nd->op == LOGIC_OP_MAX;
  double a = max ? -INFINITY : INFINITY, x;
  size_t i;

  for (i = 0; i < nd->n; i++) {
    x = S_num(&k[i], it);
    a = S_mm(max, a, x);
  }
  return a;
}

static double S_sub(const node *nd, S_item *it) {
  const node *k = KIDS(nd);
  double a = S_num(&k[0], it), b;

  if (nd->n == 1)
    return -a;
  b = S_num(&k[1], it);
  S_rest(nd, 2, it);
  return a - b;
}

static double S_div(const node *nd, S_item *it) {
  const node *k = KIDS(nd);
  double a = S_num(&k[0], it), b = S_num(&k[1], it);

  S_rest(nd, 2, it);
  return a / b;
}

/* fmod, integers (the usual operands) without the library's loop: the
** remainder has the dividend's sign, -0 included. */
static inline double S_fmod(double a, double b) {
  double r;

  if (a >= -9007199254740992.0 && a <= 9007199254740992.0 &&
      b >= 1 && b <= 9007199254740992.0 && a == (double)(long long)a &&
      b == (double)(long long)b) {
    r = (double)((long long)a % (long long)b);
    return r == 0 ? copysign(0.0, a) : r;
  }
  return fmod(a, b);
}

static double S_mod(const node *nd, S_item *it) {
  const node *k = KIDS(nd);
  double a = S_num(&k[0], it), b = S_num(&k[1], it);

  S_rest(nd, 2, it);
  return S_fmod(a, b);
}

/* Comparisons (booleans as 0 and 1: JavaScript's ToNumber); between, a <
** b < c, for < and <= (a third argument of > and >= is ignored). */
static double S_cmp(const node *nd, S_item *it) {
  const node *k = KIDS(nd);
  double a = S_num(&k[0], it), b = S_num(&k[1], it), x = 0;
  int r;

  if (nd->n > 2) {
    x = S_num(&k[2], it);
    S_rest(nd, 3, it);
  }
  switch (nd->op) {
  case LOGIC_OP_GT: return a > b;
  case LOGIC_OP_GE: return a >= b;
  case LOGIC_OP_LT: r = a < b; return r && nd->n > 2 ? b < x : r;
  default: r = a <= b; return r && nd->n > 2 ? b <= x : r;
  }
}

static double S_eq(const node *nd, S_item *it) {
  const node *k = KIDS(nd);
  double a = S_num(&k[0], it), b = S_num(&k[1], it);
  int r;

  S_rest(nd, 2, it);
  switch (nd->op) {
  case LOGIC_OP_EQ: return a == b;
  case LOGIC_OP_NE: return !(a == b);
  default:
    r = S_T(&k[0]) == S_T(&k[1]) && a == b;
    return nd->op == LOGIC_OP_SEQ ? r : !r;
  }
}

static double S_not(const node *nd, S_item *it) {
  const node *k = KIDS(nd);
  double a = S_num(&k[0], it);

  S_rest(nd, 1, it);
  return S_TRUE(S_T(&k[0]), a) == (nd->op == LOGIC_OP_NOTNOT);
}

static double S_andor(const node *nd, S_item *it) {
  const node *k = KIDS(nd);
  double a = 0;
  size_t i;

  for (i = 0; i < nd->n; i++) {
    a = S_num(&k[i], it);
    if (S_TRUE(S_T(&k[i]), a) == (nd->op == LOGIC_OP_OR))
      return a;
  }
  return a;
}

static double S_if(const node *nd, S_item *it) { /* odd n */
  const node *k = KIDS(nd);
  double a;
  size_t i;

  for (i = 0; i + 1 < nd->n; i += 2)
    if (a = S_num(&k[i], it), S_TRUE(S_T(&k[i]), a))
      return S_num(&k[i + 1], it);
  return S_num(&k[nd->n - 1], it);
}

/* Only the operators S_typable accepts are reached. */
static const S_fn S_fns[LOGIC_OP_COUNT] = {
    [LOGIC_OP_ADD] = S_add,    [LOGIC_OP_MUL] = S_mul,
    [LOGIC_OP_MAX] = S_minmax, [LOGIC_OP_MIN] = S_minmax,
    [LOGIC_OP_SUB] = S_sub,    [LOGIC_OP_DIV] = S_div,
    [LOGIC_OP_MOD] = S_mod,    [LOGIC_OP_GT] = S_cmp,
    [LOGIC_OP_GE] = S_cmp,     [LOGIC_OP_LT] = S_cmp,
    [LOGIC_OP_LE] = S_cmp,     [LOGIC_OP_EQ] = S_eq,
    [LOGIC_OP_NE] = S_eq,      [LOGIC_OP_SEQ] = S_eq,
    [LOGIC_OP_SNE] = S_eq,     [LOGIC_OP_NOT] = S_not,
    [LOGIC_OP_NOTNOT] = S_not, [LOGIC_OP_AND] = S_andor,
    [LOGIC_OP_OR] = S_andor,   [LOGIC_OP_IF] = S_if,
};

/* ---- A typed body as a program ----------------------------------------- */

/* An iterating operator runs its typed body once per item: walking the
** tree each time costs a call and a dozen tests per node. A body without
** and, or, if (so that every item takes the same steps) is flattened
** into three-address operations over registers of doubles (the item, the
** accumulator, the literals and the operations' results), which the items
** then run in a loop. The program is built when the rule is compiled
** (logic_iter_progs) and kept after the rule's nodes, so that an
** evaluation only looks it up (building it was about 450 instructions
** each time the operator ran, and each time per outer item for an inner
** iteration). The operations are the S_fns' above, with the same
** coercions; a kid that an operator evaluates for nothing (S_rest) is
** pure, so only its steps are counted; a body with a boolean operand of +
** or * (parseFloat: NaN) keeps the tree. A body that reads one member of
** object items (and not the item) runs the same way on that member's
** numbers (S_gather_key). An expression at the top scope of three
** operators or more (F_NUM) runs as a program too, its slots loaded into
** registers first (S_num_run): a call per operator is most of a deep
** tree walk's cost. */
enum {
  P_ADD, P_MUL, P_SUB, P_DIV, P_MOD, P_GT, P_GE, P_LT, P_LE, P_EQ, P_NE,
  P_MAX, P_MIN, P_LT3, P_LE3, /* a < b < c, a <= b <= c */
  P_NEG, P_NOT_N, P_NOT_B, P_TRUE_N, P_TRUE_B, /* of a */
  P_MODK /* % of a literal integer b from 1 to 2^53: S_fmod's usual case */
};

#define P_MAXOPS 16
#define P_MAXREG 24
#define P_BLOCK 16 /* items run together, an operation at a time */
#define P_CUR 0 /* the registers of the item and the accumulator */
#define P_ACC 1

typedef struct P_op {
  unsigned char op, d, a, b, c;
} P_op;

/* F_NUM's load of the var node at offset off from its own (S_slot,
** S_slot_dflt) into register reg; slot: a plain {"var": "name"}'s, read
** straight from the frame while it holds a number, or P_NOSLOT. */
#define P_NOSLOT UINT32_MAX

typedef struct P_load {
  uint32_t off, reg, slot;
} P_load;

typedef struct P_prog {
  P_op op[P_MAXOPS];
  double r[P_MAXREG];
  unsigned char lit[P_MAXREG]; /* the register holds a literal */
  size_t len, nreg;
  int res;             /* the body's register */
  unsigned long steps; /* the body's steps per item, the item's included */
  const char *key;     /* the member of object items the body reads (in */
  size_t klen;         /* P_CUR), or NULL: the items are numbers */
  const node *top;     /* F_NUM's node: its slots are loaded, or NULL */
  P_load load[P_MAXREG]; /* F_NUM: the var nodes loaded, from top */
  size_t nload;
} P_prog;

/* A program as the rule keeps it, after its nodes: the header, then
** double r[nreg], P_op op[len] (what P_prog holds, sized to the program:
** 40 to 80 bytes for the usual bodies, not the 330 of a P_prog), and
** unsigned char lanes[nreg]: 1 for a register no operation writes (a
** literal, a constant) read lane by lane, as an operand (not the divisor
** of P_MODK, read once) or as the result: P_vec_init fills those.
** Read only: an evaluation runs it on registers of its own. */
typedef struct P_code {
  uint32_t steps;
  unsigned char len, nreg, res;
  unsigned char cmp; /* the last operation compares a register (not a
                     ** literal) with a literal: P_GT to P_NE */
  const char *key;   /* P_prog's: the rule's string */
  uint32_t klen;
  unsigned char nload; /* F_NUM: the slots loaded before it runs */
} P_code;

#define P_R(pc) ((const double *)((pc) + 1))
#define P_OPS(pc) ((const P_op *)(P_R(pc) + (pc)->nreg))
#define P_LANES(pc) ((const unsigned char *)(P_OPS(pc) + (pc)->len))
#define P_LOADS_AT(len, nreg)                                                 \
  ((sizeof(P_code) + (nreg) * (sizeof(double) + 1) + (len) * sizeof(P_op) +   \
    3) & ~(size_t)3)
#define P_LOADS(pc)                                                           \
  ((const P_load *)(const void *)((const char *)(pc) +                        \
                                  P_LOADS_AT((pc)->len, (pc)->nreg)))
/* Its bytes, a multiple of 8 (the next one's doubles stay aligned). */
#define P_CODE_SIZE(len, nreg, nload)                                         \
  ((P_LOADS_AT(len, nreg) + (nload) * sizeof(P_load) + 7) & ~(size_t)7)

/* A new register holding x (a literal), or for a result: its index, or -1
** when there are too many. */
static int P_reg(P_prog *p, double x) {
  if (p->nreg >= P_MAXREG)
    return -1;
  p->r[p->nreg] = x;
  p->lit[p->nreg] = 0;
  return (int)p->nreg++;
}

/* Append op of registers a, b, c into a new register: that register, or
** -1 when the program would be too long. */
static int P_emit(P_prog *p, int op, int a, int b, int c) {
  P_op *o;
  int d;

  if (a < 0 || b < 0 || c < 0 || p->len >= P_MAXOPS ||
      (d = P_reg(p, 0)) < 0)
    return -1;
  o = &p->op[p->len++];
  o->op = (unsigned char)op;
  o->d = (unsigned char)d;
  o->a = (unsigned char)a;
  o->b = (unsigned char)b;
  o->c = (unsigned char)c;
  return d;
}

/* The steps of a pure kid (its nodes but the literals); -1 when they
** vary (and, or, if). */
static long P_steps(const node *nd) {
  long s = nd->op == N_LIT ? 0 : 1, x;
  size_t i;

  if (nd->op == LOGIC_OP_AND || nd->op == LOGIC_OP_OR ||
      nd->op == LOGIC_OP_IF)
    return -1;
  for (i = 0; i < nd->n; i++) {
    if ((x = P_steps(&KIDS(nd)[i])) < 0)
      return -1;
    s += x;
  }
  return s;
}

/* Kids [from, n) of nd, evaluated for nothing: their steps counted; 0,
** or -1 when they vary. */
static int P_rest(P_prog *p, const node *nd, size_t from) {
  long x;
  size_t i;

  for (i = from; i < nd->n; i++) {
    if ((x = P_steps(&KIDS(nd)[i])) < 0)
      return -1;
    p->steps += (unsigned long)x;
  }
  return 0;
}

static int P_node(P_prog *p, const node *nd);

/* A binary operation on kids 0 and 1, the rest evaluated for nothing. */
static int P_bin(P_prog *p, const node *nd, int op) {
  const node *k = KIDS(nd);
  int a = P_node(p, &k[0]), b = a < 0 ? -1 : P_node(p, &k[1]);

  if (b < 0 || P_rest(p, nd, 2) < 0)
    return -1;
  return P_emit(p, op, a, b, 0);
}

/* +, *, max, min: a chain of binary operations from x0 (a register; -2:
** the first kid), each kid's value the second operand. */
static int P_chain(P_prog *p, const node *nd, int op, int x0, int pf) {
  const node *k = KIDS(nd);
  size_t i;
  int a = x0;

  for (i = 0; i < nd->n && (a >= 0 || (a == -2 && i == 0)); i++) {
    if (pf && S_T(&k[i]) != V_NUM)
      return -1; /* parseFloat of a boolean */
    if (x0 == -2 && i == 0) /* the first kid is the first operand */
      a = P_node(p, &k[0]);
    else
      a = P_emit(p, op, a, P_node(p, &k[i]), 0);
  }
  return a;
}

/* Whether o (a P_MOD) divides by a literal integer from 1 to 2^53. */
static int S_modk(const P_prog *p, const P_op *o) {
  double b = p->r[o->b];

  return p->lit[o->b] && b >= 1 && b <= 9007199254740992.0 &&
         b == (double)(long long)b;
}

static int P_op_node(P_prog *p, const node *nd) {
  const node *k = KIDS(nd);
  int a, b, c, t;

  switch (nd->op) {
  case LOGIC_OP_ADD: /* (x0 + 0) + (x1 + 0), ... (never -0), as S_add */
    if (nd->n < 2)
      return P_chain(p, nd, P_ADD, P_reg(p, 0), 1);
    return P_chain(p, nd, P_ADD, -2, 1);
  case LOGIC_OP_MUL: /* one argument: that argument itself */
    return nd->n == 1 ? P_node(p, k) : P_chain(p, nd, P_MUL, -2, 1);
  case LOGIC_OP_MAX:
    return P_chain(p, nd, P_MAX, P_reg(p, -INFINITY), 0);
  case LOGIC_OP_MIN:
    return P_chain(p, nd, P_MIN, P_reg(p, INFINITY), 0);
  case LOGIC_OP_SUB:
    if (nd->n == 1)
      return P_emit(p, P_NEG, P_node(p, k), 0, 0);
    return P_bin(p, nd, P_SUB);
  case LOGIC_OP_DIV: return P_bin(p, nd, P_DIV);
  case LOGIC_OP_MOD:
    if ((a = P_bin(p, nd, P_MOD)) >= 0 && S_modk(p, &p->op[p->len - 1]))
      p->op[p->len - 1].op = P_MODK;
    return a;
  case LOGIC_OP_GT: return P_bin(p, nd, P_GT);
  case LOGIC_OP_GE: return P_bin(p, nd, P_GE);
  case LOGIC_OP_LT:
  case LOGIC_OP_LE:
    t = nd->op == LOGIC_OP_LT;
    if (nd->n == 2)
      return P_bin(p, nd, t ? P_LT : P_LE);
    a = P_node(p, &k[0]);
    b = a < 0 ? -1 : P_node(p, &k[1]);
    c = b < 0 ? -1 : P_node(p, &k[2]);
    if (c < 0 || P_rest(p, nd, 3) < 0)
      return -1;
    return P_emit(p, t ? P_LT3 : P_LE3, a, b, c);
  case LOGIC_OP_EQ: return P_bin(p, nd, P_EQ);
  case LOGIC_OP_NE: return P_bin(p, nd, P_NE);
  case LOGIC_OP_SEQ:
  case LOGIC_OP_SNE:
    if (S_T(&k[0]) == S_T(&k[1])) /* one type: == of the doubles */
      return P_bin(p, nd, nd->op == LOGIC_OP_SEQ ? P_EQ : P_NE);
    if (P_rest(p, nd, 0) < 0) /* two types: a constant */
      return -1;
    return P_reg(p, nd->op == LOGIC_OP_SNE);
  case LOGIC_OP_NOT:
  case LOGIC_OP_NOTNOT:
    t = S_T(k) == V_NUM;
    if ((a = P_node(p, k)) < 0 || P_rest(p, nd, 1) < 0)
      return -1;
    return P_emit(p, nd->op == LOGIC_OP_NOT ? (t ? P_NOT_N : P_NOT_B)
                                             : (t ? P_TRUE_N : P_TRUE_B),
                  a, 0, 0);
  default: /* and, or, if: steps that vary by item */
    return -1;
  }
}

/* The register of nd's value, its steps counted (as S_num); -1 when it
** cannot be flattened. */
static int P_node(P_prog *p, const node *nd) {
  double x;
  size_t i;
  int r;

  if (nd->op == N_LIT) { /* one register for each value (bit for bit) */
    x = nd->vt == V_NUM ? nd->u.d : nd->u.b;
    for (i = 0; i < p->nreg; i++)
      if (p->lit[i] && memcmp(&p->r[i], &x, sizeof x) == 0)
        return (int)i;
    if ((r = P_reg(p, x)) >= 0)
      p->lit[r] = 1;
    return r;
  }
  p->steps++;
  if (p->top && (nd->fast == F_VAR || nd->fast == F_VAR_DFLT)) {
    if ((r = P_reg(p, 0)) >= 0) { /* F_NUM's slot, loaded before the run */
      p->load[p->nload].off = (uint32_t)(nd - p->top);
      p->load[p->nload].slot =
          nd->fast == F_VAR && !nd->neg ? nd->k : P_NOSLOT;
      p->load[p->nload++].reg = (uint32_t)r;
    }
    return r;
  }
  if (nd->op == LOGIC_OP_VAR) {
    if (nd->aux && nd->neg != VK_CUR && nd->neg != VK_ACC) {
      /* a member of an object item (S_is_field): one key only, gathered
      ** into P_CUR, as the body reads no item itself (logic_iter_mark) */
      const char *k = nd->neg == VK_PATH ? nd->u.s + 8 : nd->u.s;
      size_t len = nd->neg == VK_PATH ? nd->aux - 8 : nd->aux;
      if (p->key && (p->klen != len || memcmp(p->key, k, len) != 0))
        return -1;
      p->key = k;
      p->klen = len;
    }
    return nd->neg == VK_ACC ? P_ACC : P_CUR;
  }
  return P_op_node(p, nd);
}

/* The program of nd: a typed body (top NULL), or an F_NUM node (top nd:
** its slots loaded into registers, its steps its own nodes', as
** logic_num_eval counts them; a body's count the item's too). 0, or -1
** when it has none. */
static int P_build(P_prog *p, const node *nd, const node *top) {
  p->len = 0;
  p->nreg = 2; /* F_NUM does not use P_CUR and P_ACC: a body's layout */
  p->r[P_CUR] = p->r[P_ACC] = 0;
  p->lit[P_CUR] = p->lit[P_ACC] = 0; /* S_modk asks of a divisor */
  p->steps = top ? 0 : 1;
  p->key = NULL;
  p->klen = 0;
  p->top = top;
  p->nload = 0;
  p->res = P_node(p, nd);
  return p->res < 0 ? -1 : 0;
}

/* The operator nodes of the tree at nd, counted up to 3. */
static int P_opnodes(const node *nd, int n) {
  size_t i;

  if (nd->op == N_LIT || nd->op == LOGIC_OP_VAR)
    return n;
  for (i = 0, n++; i < nd->n && n < 3; i++)
    n = P_opnodes(&KIDS(nd)[i], n);
  return n;
}

/* The register of a var operand of a body, as P_node gives it without
** counting its step; -1 when it is no register (a member, a literal). */
static int P_var_reg(const node *nd) {
  if (nd->op != LOGIC_OP_VAR || nd->vt != V_STR || nd->n != 0 ||
      (nd->aux && nd->neg != VK_CUR && nd->neg != VK_ACC))
    return -1;
  return nd->neg == VK_ACC ? P_ACC : P_CUR;
}

/* The program of a body of one binary operation on the item (current,
** accumulator) and a literal or another var, as P_build makes it, but
** with a comparison with the literal first turned around (3 < a: a > 3),
** so that S_iter_prog compares the items with the literal directly. 0, or
** -1 when b is no such body. */
static int P_quick(P_prog *p, const node *b) {
  static const unsigned char ops[][2] = {
      [LOGIC_OP_GT] = {P_GT, P_LT},  [LOGIC_OP_GE] = {P_GE, P_LE},
      [LOGIC_OP_LT] = {P_LT, P_GT},  [LOGIC_OP_LE] = {P_LE, P_GE},
      [LOGIC_OP_EQ] = {P_EQ, P_EQ},  [LOGIC_OP_NE] = {P_NE, P_NE},
      [LOGIC_OP_SEQ] = {P_EQ, P_EQ}, [LOGIC_OP_SNE] = {P_NE, P_NE},
      [LOGIC_OP_ADD] = {P_ADD, 0},   [LOGIC_OP_MUL] = {P_MUL, 0},
      [LOGIC_OP_SUB] = {P_SUB, 0},   [LOGIC_OP_DIV] = {P_DIV, 0},
      [LOGIC_OP_MOD] = {P_MOD, 0}};
  const node *k = KIDS(b);
  int r[2], i, op, flip, pf = b->op == LOGIC_OP_ADD || b->op == LOGIC_OP_MUL;

  if (b->n != 2 || b->op >= sizeof ops / sizeof ops[0] ||
      (!ops[b->op][0] && b->op != LOGIC_OP_ADD))
    return -1;
  p->nreg = 2;
  p->lit[P_CUR] = p->lit[P_ACC] = 0;
  p->steps = 2; /* the item and the operation */
  p->key = NULL; /* a member is no register here: P_build's */
  p->klen = 0;
  p->top = NULL;
  p->nload = 0;
  for (i = 0; i < 2; i++) {
    if ((r[i] = P_var_reg(&k[i])) >= 0) {
      p->steps++;
      continue;
    }
    if (k[i].op != N_LIT || (k[i].vt != V_NUM && (k[i].vt != V_BOOL || pf)))
      return -1; /* parseFloat of a boolean: P_chain makes no program */
    r[i] = (int)p->nreg;
    p->r[p->nreg] = k[i].vt == V_NUM ? k[i].u.d : k[i].u.b;
    p->lit[p->nreg++] = 1;
  }
  if (p->nreg == 4 || ((b->op == LOGIC_OP_SEQ || b->op == LOGIC_OP_SNE) &&
                       S_T(&k[0]) != S_T(&k[1])))
    return -1; /* two literals (folded), === of two types: P_build's */
  flip = ops[b->op][1] && p->lit[r[0]];
  op = ops[b->op][flip];
  p->r[P_CUR] = p->r[P_ACC] = p->r[p->nreg] = 0;
  p->lit[p->nreg] = 0;
  p->len = 1;
  p->op[0].op = (unsigned char)op;
  p->op[0].d = (unsigned char)p->nreg;
  p->op[0].a = (unsigned char)r[flip];
  p->op[0].b = (unsigned char)r[!flip];
  p->op[0].c = 0;
  p->res = (int)p->nreg++;
  if (op == P_MOD && S_modk(p, &p->op[0]))
    p->op[0].op = P_MODK;
  return 0;
}

/* Whether iterating node nd's typed body reads members of object items
** (logic_iter_mark), rather than number items. */
#define S_FIELDS(nd) ((nd)->fast == F_NONE && (nd)->neg)

/* Whether iterating node nd may have a program: a typed body (the body
** itself may still have none: and, or, if, two members...). An iteration
** with a typed form (F_SOME...) keeps its slot in aux. */
static int S_progable(const node *nd) {
  return nd->op >= LOGIC_OP_MAP && nd->op <= LOGIC_OP_SOME && nd->n >= 2 &&
         nd->vt != S_NO && nd->fast == F_NONE;
}

/* The program of iterating node nd (built when compiling), or NULL. */
static inline const P_code *S_prog(const node *nd) {
  return nd->fast == F_NONE && nd->aux
             ? (const P_code *)(const void *)((const char *)nd + nd->aux)
             : NULL;
}

/* F_NUM node nd's program (built when compiling), or NULL (the tree
** walk then): fewer than three operators, too long, a boolean operand of
** + or *, a kid of another F_NUM's, or no memory for programs. */
static inline const P_code *S_num_prog(const node *nd) {
  return nd->fast == F_NUM && nd->aux
             ? (const P_code *)(const void *)((const char *)nd + nd->aux)
             : NULL;
}

/* logic_iter_progs of the tree at nd, in_num when an F_NUM node above
** holds it in its own program. */
static size_t S_progs(node *nd, char *at, int in_num) {
  size_t size = 0, i, len;
  int num = nd->fast == F_NUM;
  const P_op *last;
  unsigned char *lanes;
  P_code *pc;
  P_prog p;

  for (i = 0; i < nd->n; i++)
    size += S_progs(&KIDS(nd)[i], at ? at + size : NULL, in_num || num);
  /* F_NUM: none for fewer than three operators, whose tree walk costs
  ** less than a program's set-up (it pays a call per operator, not per
  ** argument) */
  if (num ? in_num || P_opnodes(nd, 0) < 3 || P_build(&p, nd, nd) != 0
          : !S_progable(nd) ||
                (P_quick(&p, KIDS(nd) + 1) != 0 &&
                 P_build(&p, KIDS(nd) + 1, NULL) != 0) ||
                (S_FIELDS(nd) != 0) != (p.key != NULL))
    return size;
  if (p.steps > UINT32_MAX || p.klen > UINT32_MAX)
    return size;
  len = P_CODE_SIZE(p.len, p.nreg, p.nload);
  if (!at)
    return size + len;
  pc = (P_code *)(void *)(at + size);
  pc->steps = (uint32_t)p.steps;
  pc->len = (unsigned char)p.len;
  pc->nreg = (unsigned char)p.nreg;
  pc->res = (unsigned char)p.res;
  pc->key = p.key;
  pc->klen = (uint32_t)p.klen;
  pc->nload = (unsigned char)p.nload;
  last = p.len ? &p.op[p.len - 1] : NULL; /* none: the item, a literal */
  pc->cmp = last && last->op >= P_GT && last->op <= P_NE &&
            !p.lit[last->a] && p.lit[last->b];
  memcpy((double *)P_R(pc), p.r, p.nreg * sizeof *p.r);
  memcpy((P_op *)P_OPS(pc), p.op, p.len * sizeof *p.op);
  /* read lane by lane: the result, and operands (one unused is P_CUR) */
  lanes = (unsigned char *)P_LANES(pc);
  memset(lanes, 0, p.nreg);
  lanes[p.res] = 1;
  for (i = 0; i < p.len; i++) {
    lanes[p.op[i].a] = 1;
    lanes[p.op[i].b] |= p.op[i].op != P_MODK;
    lanes[p.op[i].c] = 1;
  }
  for (i = 0; i < p.len; i++) /* but an operation's own result */
    lanes[p.op[i].d] = 0;
  memcpy((P_load *)P_LOADS(pc), p.load, p.nload * sizeof *p.load);
  /* after the nodes, so a positive offset below the rule's bytes */
  nd->aux = (uint32_t)((char *)pc - (char *)nd);
  return size + len;
}

size_t logic_iter_progs(node *nd, char *at) {
  return S_progs(nd, at, 0);
}

size_t logic_iter_prog_size(const node *nd) {
  const P_code *pc = S_num_prog(nd);

  if (!pc && (nd->op < LOGIC_OP_MAP || nd->op > LOGIC_OP_SOME ||
              !(pc = S_prog(nd))))
    return 0;
  return P_CODE_SIZE(pc->len, pc->nreg, pc->nload);
}

/* Run program p on the item and accumulator in registers r (a copy of
** its own): the body's value. fwd (a constant): the last result taken
** from x, not loaded back from where it was just stored, as a long chain
** of operations (F_NUM's) waits on each store otherwise; a body run item
** after item overlaps one item's chain with the next's without it. */
static inline __attribute__((always_inline)) double
P_run(const P_code *p, double *r, int fwd) {
  double a, b, x = 0;
  const P_op *o = P_OPS(p), *end = o + p->len;
  unsigned last = P_MAXREG; /* the register x was stored in */

  for (; o < end; o++) {
    a = fwd && o->a == last ? x : r[o->a];
    b = fwd && o->b == last ? x : r[o->b];
    switch (o->op) {
    case P_ADD: x = (a + 0.0) + (b + 0.0); break;
    case P_MUL: x = (a == 0 ? 0.0 : a) * (b + 0.0); break;
    case P_SUB: x = a - b; break;
    case P_DIV: x = a / b; break;
    case P_MOD:
    case P_MODK: x = S_fmod(a, b); break;
    case P_GT: x = a > b; break;
    case P_GE: x = a >= b; break;
    case P_LT: x = a < b; break;
    case P_LE: x = a <= b; break;
    case P_EQ: x = a == b; break;
    case P_NE: x = !(a == b); break;
    case P_MAX: x = S_mm(1, a, b); break;
    case P_MIN: x = S_mm(0, a, b); break;
    case P_LT3: x = a < b && b < r[o->c]; break;
    case P_LE3: x = a <= b && b <= r[o->c]; break;
    case P_NEG: x = -a; break;
    case P_NOT_N: x = !S_TRUE(V_NUM, a); break;
    case P_NOT_B: x = !S_TRUE(V_BOOL, a); break;
    case P_TRUE_N: x = S_TRUE(V_NUM, a); break;
    default: x = S_TRUE(V_BOOL, a); break;
    }
    r[o->d] = x;
    last = o->d;
  }
  return r[p->res];
}

/* reduce's body run by p, on registers r (a copy of its own), over the
** n items of cur from accumulator acc: the last accumulator. A body of
** one operation (the usual {"+": [current, accumulator]}) has its loop
** without the dispatch. */
static inline __attribute__((always_inline)) double
P_fold(const P_code *p, double *r, const double *cur,
                     size_t n, double acc) {
  const P_op *o = P_OPS(p);
  size_t i;

  if (p->len == 1 && o->d == p->res) {
    if (o->op == P_ADD && ((o->a == P_CUR && o->b == P_ACC) ||
                           (o->a == P_ACC && o->b == P_CUR))) {
      /* current + accumulator: once the accumulator is not -0 (no sum
      ** is), (x + 0) + acc is x + acc; without the registers in memory
      ** the loop waits on one addition per item, not three steps */
      acc += 0.0;
      for (i = 0; i < n; i++)
        acc += cur[i];
      return acc;
    }
    switch (o->op) {
#define P_FOLD(x)                                                             \
  for (i = 0; i < n; i++) {                                                   \
    r[P_CUR] = cur[i];                                                        \
    r[P_ACC] = acc;                                                           \
    acc = (x);                                                                \
  }                                                                           \
  return acc
    case P_ADD: P_FOLD((r[o->a] + 0.0) + (r[o->b] + 0.0));
    case P_MUL: P_FOLD((r[o->a] == 0 ? 0.0 : r[o->a]) * (r[o->b] + 0.0));
    case P_SUB: P_FOLD(r[o->a] - r[o->b]);
    case P_MAX: P_FOLD(S_mm(1, r[o->a], r[o->b]));
    case P_MIN: P_FOLD(S_mm(0, r[o->a], r[o->b]));
#undef P_FOLD
    default: break;
    }
  }
  for (i = 0; i < n; i++) {
    r[P_CUR] = cur[i];
    r[P_ACC] = acc;
    acc = P_run(p, r, 0);
  }
  return acc;
}

/* S_fmod(a, b) for b an integer from 1 to 2^53 (S_modk), bi as an
** integer: the remainder has the dividend's sign, so copysign gives it,
** and -0 for a zero remainder of a negative a, without a branch. */
static inline double S_modk1(double a, double b, long long bi) {
  long long ai;

  if (fabs(a) <= 9007199254740992.0 && (double)(ai = (long long)a) == a)
    return copysign((double)(ai % bi), a);
  return fmod(a, b);
}

/* S_modk1 of each a[i] into d[i]. With SSE2, two items at a time when
** both are integers of 32 bits (their round trip through int32 is exact;
** NaN and any other value come back changed): the quotient of doubles a /
** b is then within |a| / b * 2^-53 < 1 / b of the true one, so no integer
** lies between them, its truncation q is exact, and so is a - q * b
** (integers no larger than a): packed, where the integer division is one
** item at a time, and slow. */
static void S_modk_run(double *d, const double *a, double b, size_t n) {
  long long bi = (long long)b;
  size_t i = 0;
#if defined(__SSE2__)
  const __m128d vb = _mm_set1_pd(b), sign = _mm_set1_pd(-0.0);
  __m128d x, q, r;

  for (; i + 2 <= n; i += 2) {
    x = _mm_loadu_pd(a + i);
    if (_mm_movemask_pd(_mm_cmpeq_pd(
            _mm_cvtepi32_pd(_mm_cvttpd_epi32(x)), x)) != 3) {
      d[i] = S_modk1(a[i], b, bi);
      d[i + 1] = S_modk1(a[i + 1], b, bi);
      continue;
    }
    q = _mm_cvtepi32_pd(_mm_cvttpd_epi32(_mm_div_pd(x, vb)));
    r = _mm_sub_pd(x, _mm_mul_pd(q, vb));
    _mm_storeu_pd(d + i, _mm_or_pd(_mm_andnot_pd(sign, r),
                                   _mm_and_pd(sign, x))); /* copysign */
  }
#endif
  for (; i < n; i++)
    d[i] = S_modk1(a[i], b, bi);
}

/* The program's registers for P_BLOCK items at a time. */
typedef struct P_vec {
  double r[P_MAXREG][P_BLOCK];
} P_vec;

/* The literals and constants of p read lane by lane (P_LANES) into every
** lane of v, but register skip (once per evaluation of the iterating
** operator: the operations only write their own registers). */
static void P_vec_init(const P_code *p, P_vec *v, size_t skip) {
  const double *r = P_R(p);
  const unsigned char *lanes = P_LANES(p);
  size_t i, j;

  for (i = P_ACC + 1; i < p->nreg; i++)
    if (lanes[i] && i != skip)
      for (j = 0; j < P_BLOCK; j++)
        v->r[i][j] = r[i];
}

/* Run the first len operations of p over the n items in v's P_CUR lanes
** (all of them: the body's values in v->r[p->res]). A loop per
** operation: the dispatch is paid once per block, not per item. */
static void P_run_vec(const P_code *p, size_t len, P_vec *v, size_t n) {
  const P_op *o = P_OPS(p), *end = o + len;
  size_t i;

  for (; o < end; o++) {
    double *d = v->r[o->d];
    const double *a = v->r[o->a], *b = v->r[o->b], *c = v->r[o->c];
    switch (o->op) {
#define P_LOOP(x) for (i = 0; i < n; i++) d[i] = (x); break
    case P_ADD: P_LOOP((a[i] + 0.0) + (b[i] + 0.0));
    case P_MUL: P_LOOP((a[i] == 0 ? 0.0 : a[i]) * (b[i] + 0.0));
    case P_SUB: P_LOOP(a[i] - b[i]);
    case P_DIV: P_LOOP(a[i] / b[i]);
    case P_MOD: P_LOOP(S_fmod(a[i], b[i]));
    case P_MODK: S_modk_run(d, a, P_R(p)[o->b], n); break; /* a literal */
    case P_GT: P_LOOP(a[i] > b[i]);
    case P_GE: P_LOOP(a[i] >= b[i]);
    case P_LT: P_LOOP(a[i] < b[i]);
    case P_LE: P_LOOP(a[i] <= b[i]);
    case P_EQ: P_LOOP(a[i] == b[i]);
    case P_NE: P_LOOP(!(a[i] == b[i]));
    case P_MAX: P_LOOP(S_mm(1, a[i], b[i]));
    case P_MIN: P_LOOP(S_mm(0, a[i], b[i]));
    case P_LT3: P_LOOP(a[i] < b[i] && b[i] < c[i]);
    case P_LE3: P_LOOP(a[i] <= b[i] && b[i] <= c[i]);
    case P_NEG: P_LOOP(-a[i]);
    case P_NOT_N: P_LOOP(!S_TRUE(V_NUM, a[i]));
    case P_NOT_B: P_LOOP(!S_TRUE(V_BOOL, a[i]));
    case P_TRUE_N: P_LOOP(S_TRUE(V_NUM, a[i]));
    default: P_LOOP(S_TRUE(V_BOOL, a[i]));
#undef P_LOOP
    }
  }
}

/* ---- Typed expressions at the top scope (F_NUM) ------------------------ */

/* Whether nd reads a slot somewhere (else folding has made it a
** literal, or it reads nothing typed). */
static int S_reads_slot(const node *nd) {
  size_t i;

  if (nd->op == LOGIC_OP_VAR)
    return 1;
  for (i = 0; i < nd->n; i++)
    if (S_reads_slot(&KIDS(nd)[i]))
      return 1;
  return 0;
}

void logic_num_mark(node *nd) {
  if (nd->fast != F_NONE || nd->op >= LOGIC_OP_COUNT)
    return;
  switch (nd->op) {
  case LOGIC_OP_ADD: case LOGIC_OP_MAX: case LOGIC_OP_MIN:
  case LOGIC_OP_MUL: case LOGIC_OP_SUB: case LOGIC_OP_DIV:
  case LOGIC_OP_MOD: case LOGIC_OP_GT: case LOGIC_OP_GE:
  case LOGIC_OP_LT: case LOGIC_OP_LE: case LOGIC_OP_EQ:
  case LOGIC_OP_NE: case LOGIC_OP_SEQ: case LOGIC_OP_SNE:
    if (S_type(nd, S_M_TOP) != S_NO && S_reads_slot(nd))
      nd->fast = F_NUM;
    return;
  default: return;
  }
}

/* logic_num_eval by F_NUM node nd's program pc: the slots into
** registers, then the operations. Apart, so that the tree walk's frame
** stays small. */
static __attribute__((noinline)) int S_num_run(const logic_frame *f,
                                               const node *nd,
                                               const P_code *pc, double *x,
                                               unsigned long *steps) {
  const P_load *ld = P_LOADS(pc);
  double r[P_MAXREG];
  const lf_val *v;
  const node *k;
  S_item it;
  size_t i;

  it.f = f;
  it.bail = 0;
  memcpy(r, P_R(pc), pc->nreg * sizeof *r);
  for (i = 0; i < pc->nload; i++) {
    if (ld[i].slot != P_NOSLOT &&
        (v = &f->v[ld[i].slot])->stamp == f->stamp && v->v.t == V_NUM) {
      r[ld[i].reg] = v->v.u.d; /* S_slot's usual case */
      continue;
    }
    k = nd + ld[i].off;
    r[ld[i].reg] = k->fast == F_VAR ? S_slot(k, &it) : S_slot_dflt(k, &it);
    if (it.bail)
      return LOGIC_UNDECIDED;
  }
  *x = P_run(pc, r, 1);
  *steps = pc->steps;
  return 0;
}

int logic_num_eval(const logic_frame *f, const node *nd, double *x,
                   unsigned long *steps) {
  S_item it;

  if (nd->aux) /* S_num_prog */
    return S_num_run(f, nd, S_num_prog(nd), x, steps);
  it.cur = it.acc = 0;
  it.obj = NULL;
  it.steps = 0;
  it.f = f;
  it.bail = 0;
  *x = S_num(nd, &it);
  *steps = it.steps;
  return it.bail ? LOGIC_UNDECIDED : 0;
}

/* The body's value as a value of its type (iterating node nd's vt). */
value logic_num_box(const node *nd, double x) {
  return nd->vt == V_NUM ? lv_num(x) : lv_bool(x != 0);
}

/* A typed body on an item (a number, or an object whose members it
** reads), counting the item's step and the body's: 0 with *x set, -1 (too
** many steps), or LOGIC_UNDECIDED with nothing counted when a member read
** is not a number (the general evaluator runs the item). */
static inline int S_run(lv_ctx *c, const node *body, S_item *it,
                        double *x) {
  it->steps = 1;
  it->bail = 0;
  *x = S_num(body, it);
  if (it->bail)
    return LOGIC_UNDECIDED;
  return logic_steps(c, it->steps);
}

/* An item the typed body of nd may run on: a number, or for a body that
** reads members, an object. */
static inline int S_typable_item(const node *nd, const value *v,
                                 S_item *it) {
  if (v->t != (S_FIELDS(nd) ? V_JOBJ : V_NUM))
    return 0;
  it->cur = v->t == V_NUM ? v->u.d : 0;
  it->obj = v->t == V_JOBJ ? v->u.j : NULL;
  return 1;
}

/* An array's items: from the frame's doubles when it keeps them (the
** array of a slot, all numbers: logic_frame_fill), else from the array. */
typedef struct S_src {
  lv_iter it;
  const double *d; /* every item, or NULL */
  size_t i, n;
} S_src;

static inline void S_src_init(lv_ctx *c, const node *nd, const value *arr,
                              S_src *s) {
  const node *k;
  const lf_val *x;

  lv_iter_init(&s->it, arr);
  s->d = NULL;
  s->i = s->n = 0;
  if (nd->n == 0)
    return;  /* {"reduce": []}: no array node to read */
  k = KIDS(nd);
  /* F_VAR: a var at the top scope (the array is an item's otherwise) */
  if (k->fast != F_VAR || k->op != LOGIC_OP_VAR || k->neg || !c->frame ||
      arr->t != V_JARR)
    return;
  x = &c->frame->v[k->k];
  if (x->stamp == c->frame->stamp && x->nnum && x->v.t == V_JARR &&
      x->v.u.j == arr->u.j) {
    s->d = c->frame->nums + x->num0;
    s->n = x->nnum;
    s->it.j = NULL;
  }
}

/* S_next from the frame's doubles (a body without a program over them:
** not inline, so that the usual iteration stays small). */
static int S_next_d(S_src *s, value *out) {
  if (s->i >= s->n)
    return 0;
  *out = lv_num(s->d[s->i++]);
  return 1;
}

/* lv_iter_next, numbers of the data inline (the typed bodies' items);
** inline in every loop (gcc would not: a call per item). */
static inline __attribute__((always_inline)) int S_next(S_src *s,
                                                        value *out) {
  lv_iter *it = &s->it;
  const cJSON *j = it->j;

  if (s->d)
    return S_next_d(s, out);

  if (j && (j->type & 0xFF) == cJSON_Number) {
    it->j = j->next;
    out->t = V_NUM;
    out->id = 0;
    out->n = 0;
    out->u.d = j->valuedouble;
    return 1;
  }
  return lv_iter_next(it, out);
}

/* ---- The operators ---------------------------------------------------- */

/* filter, all, none, some on the truth t of an item's body: 1 when that
** decides the value (*out set), else 0 (filter: the item kept in res). */
static inline int S_decide(const node *nd, int t, const value *item,
                           value *res, size_t *m, value *out) {
  if (nd->op == LOGIC_OP_FILTER) {
    if (t)
      res[(*m)++] = *item;
    return 0;
  }
  if (nd->op == LOGIC_OP_ALL ? !t : t) {
    *out = lv_bool(nd->op == LOGIC_OP_SOME);
    return 1;
  }
  return 0;
}

/* The value of map, filter, all, none, some once every item has run. */
static value S_end(lv_ctx *c, const node *nd, const value *arr,
                   const S_src *it, value *res, size_t m) {
  if (res)
    return lv_new_arr(c, res, m);
  if (nd->op == LOGIC_OP_ALL) /* not empty (lv_len walks a cJSON list) */
    return lv_bool(it->d ? it->n > 0
                   : arr->t == V_JARR ? arr->u.j->child != NULL
                                      : arr->n > 0);
  return lv_bool(nd->op == LOGIC_OP_NONE);
}

/* Whether body b is in, ==, !=, === or !== of two operands that are
** literals (in: a constant array second too) or {"var": "key"} of the
** item, so that S_pair may evaluate it (a body over strings, which has no
** typed form). */
static int S_is_pair(const node *b) {
  const node *k = KIDS(b);
  size_t i;

  if (b->n != 2 || (b->op != LOGIC_OP_IN && b->op != LOGIC_OP_EQ &&
                    b->op != LOGIC_OP_NE && b->op != LOGIC_OP_SEQ &&
                    b->op != LOGIC_OP_SNE))
    return 0;
  for (i = 0; i < 2; i++)
    if (k[i].op != N_LIT &&
        !(k[i].op == LOGIC_OP_VAR && k[i].vt == V_STR &&
          (k[i].neg == VK_KEY || k[i].neg == VK_PATH)) &&
        !(b->op == LOGIC_OP_IN && i == 1 && k[i].op == N_ARRAY &&
          k[i].vt == V_JARR))
      return 0;
  return 1;
}

/* Pair body b on item: what logic_eval_node does for it (S_do_in,
** S_do_eq, S_do_seq), the same steps in the same order, without the
** dispatch and the argument loop. 0 with *out set, or -1. */
static int S_pair(lv_ctx *c, const node *b, const value *item, value *out) {
  const node *k = KIDS(b);
  value v[2];
  size_t i;
  int r;

  if (logic_step(c) < 0)
    return -1;
  for (i = 0; i < 2; i++) {
    if (k[i].op == LOGIC_OP_VAR) {
      if (logic_var_key_step(c, &k[i], item, &v[i]) < 0)
        return -1;
    } else {
      v[i] = node_value(&k[i]);
      if (k[i].op == N_ARRAY) { /* S_do_array: a step, a fresh identity */
        if (logic_step(c) < 0)
          return -1;
        v[i].id = ++c->ids;
      }
    }
  }
  switch (b->op) {
  case LOGIC_OP_IN:
    r = k[1].op == N_ARRAY ? logic_in_lits(&v[0], KIDS(&k[1]), k[1].n)
                           : logic_op_in(c, &v[0], &v[1]);
    break;
  case LOGIC_OP_SEQ:
  case LOGIC_OP_SNE:
    r = lv_strict_eq(&v[0], &v[1]) == (b->op == LOGIC_OP_SEQ);
    break;
  default:
    if (v[0].t == V_STR && v[1].t == V_STR)
      r = v[0].n == v[1].n && memcmp(v[0].u.s, v[1].u.s, v[0].n) == 0;
    else if (v[0].t == V_NUM && v[1].t == V_NUM)
      r = v[0].u.d == v[1].u.d;
    else
      r = lv_loose_eq(c, &v[0], &v[1]);
    if (r >= 0 && b->op == LOGIC_OP_NE)
      r = !r;
    break;
  }
  if (r < 0)
    return -1;
  *out = lv_bool(r);
  return 0;
}

/* Whether body b is ==, !=, === or !== of a string literal and
** {"var": "key"} (a member of object items) or {"var": ""} (the item):
** *var and *lit its operands (S_strpair). */
static int S_is_strpair(const node *b, const node **var, const node **lit) {
  const node *k = KIDS(b);
  int i;

  if (b->n != 2 || (b->op != LOGIC_OP_EQ && b->op != LOGIC_OP_NE &&
                    b->op != LOGIC_OP_SEQ && b->op != LOGIC_OP_SNE))
    return 0;
  for (i = 0; i < 2; i++)
    if (k[i].op == LOGIC_OP_VAR && k[i].vt == V_STR && k[i].n == 0 &&
        (k[i].aux == 0 || k[i].neg == VK_KEY) && k[1 - i].op == N_LIT &&
        k[1 - i].vt == V_STR) {
      *var = &k[i];
      *lit = &k[1 - i];
      return 1;
    }
  return 0;
}

/* Body b (S_is_strpair) on item where its operand is a string or absent:
** its truth (0 or 1); else 2 (the general evaluator decides, with its
** coercions). */
static inline int S_strpair_of(const node *b, const node *var,
                               const node *lit, const value *item) {
  const cJSON *m;
  const char *s;
  size_t n;
  int r;

  if (var->aux == 0) { /* the item: a string */
    if (item->t != V_STR)
      return 2;
    s = item->u.s;
    n = item->n;
  } else { /* a member of an object; absent: null, equal to no string */
    if (item->t != V_JOBJ)
      return 2;
    m = S_key(item->u.j, var->u.s, var->aux);
    if (m && (m->type & 0xFF) != cJSON_String)
      return 2;
    s = m ? m->valuestring : NULL;
    n = s ? strlen(s) : 0;
  }
  r = s && n == lit->aux && memcmp(s, lit->u.s, n) == 0;
  return b->op == LOGIC_OP_EQ || b->op == LOGIC_OP_SEQ ? r : !r;
}

/* S_strpair_of, the three steps the general evaluator counts for it
** counted (nothing counted for 2), or -1 past the step limit. Between
** those steps nothing can fail, so counting them together gives the same
** errors. */
static inline int S_strpair(lv_ctx *c, const node *b, const node *var,
                            const node *lit, const value *item) {
  int r = S_strpair_of(b, var, lit, item);

  if (r == 2)
    return 2;
  if (logic_steps(c, 3) < 0) /* the item's, the pair's, the var's */
    return -1;
  return r;
}

/* One item through the general evaluator (map: its value into res):
** 0, 1 when it decides the value (*out set), or -1. pair: the body is
** S_is_pair's. */
static inline int S_general(lv_ctx *c, const node *nd, const node *logic,
                            int pair, const value *item, value *res,
                            size_t *m, value *out) {
  value r;

  if (logic_step(c) < 0 ||
      (pair ? S_pair(c, logic, item, &r)
            : logic_eval_arg(c, logic, item, &r)) < 0)
    return -1;
  if (nd->op == LOGIC_OP_MAP) {
    res[(*m)++] = r;
    return 0;
  }
  return S_decide(nd, lv_truthy(&r), item, res, m, out);
}

/* The next run of number items of it, at most P_BLOCK, into cur: how
** many; *src their values when the array is of values (else NULL: each is
** lv_num of its number, as S_next makes it). */
static size_t S_gather(S_src *s, double *cur, const value **src) {
  lv_iter *it = &s->it;
  const cJSON *j = it->j;
  size_t n = 0;

  if (s->d) {
    *src = NULL;
    n = s->n - s->i < P_BLOCK ? s->n - s->i : P_BLOCK;
    memcpy(cur, s->d + s->i, n * sizeof *cur);
    s->i += n;
    return n;
  }
  if (it->a) {
    *src = it->a + it->i;
    for (; n < P_BLOCK && it->i < it->n && it->a[it->i].t == V_NUM; n++)
      cur[n] = it->a[it->i++].u.d;
    return n;
  }
  *src = NULL;
  for (; n < P_BLOCK && j && (j->type & 0xFF) == cJSON_Number; n++) {
    cur[n] = j->valuedouble;
    j = j->next;
  }
  it->j = j;
  return n;
}

/* S_gather for a body that reads a member of object items (P_code.key):
** the member's number of each item of the next run whose member is one,
** into cur; the items into obj (a cJSON array), or *src (an array of
** values). The frame's doubles are numbers, no objects: none. */
static size_t S_gather_key(S_src *s, const P_code *pr, double *cur,
                           const value **src, const cJSON **obj) {
  lv_iter *it = &s->it;
  const cJSON *j = it->j;
  size_t n = 0;

  *src = NULL;
  if (s->d)
    return 0;
  if (it->a) {
    *src = it->a + it->i;
    for (; n < P_BLOCK && it->i < it->n && it->a[it->i].t == V_JOBJ &&
           S_key_num(it->a[it->i].u.j, pr->key, pr->klen, &cur[n]);
         n++)
      it->i++;
    return n;
  }
  for (; n < P_BLOCK && j && (j->type & 0xFF) == cJSON_Object &&
         S_key_num(j, pr->key, pr->klen, &cur[n]);
       n++) {
    obj[n] = j;
    j = j->next;
  }
  it->j = j;
  return n;
}

/* The items of bits t of a run that S_gather or S_gather_key took,
** appended to res from m: the new m (one loop per kind of item; inline,
** as the loop it replaced was). */
static inline __attribute__((always_inline)) size_t
S_keep(value *res, size_t m, unsigned t, const value *src,
       const cJSON *const *obj, const P_code *pr, const double *cur) {
  if (src)
    for (; t; t &= t - 1)
      res[m++] = src[__builtin_ctz(t)];
  else if (!pr->key)
    for (; t; t &= t - 1)
      res[m++] = lv_num(cur[__builtin_ctz(t)]);
  else
    for (; t; t &= t - 1)
      lv_json(&res[m++], obj[__builtin_ctz(t)]);
  return m;
}

/* S_TRUE of a body's value of either type (a boolean is 0 or 1), without
** branches. */
#define S_TRUE2(x) (((x) < 0) | ((x) > 0))

_Static_assert(P_BLOCK < 32, "a block's truths are the bits of an unsigned");

/* The truth of comparison op (P_GT to P_NE) of each of the n items x
** with b: bit i for item i, one loop per operator. With SSE2, four items
** at a time by packed comparisons (ordered, as C's operators, but for !=,
** true of NaN as !(x == b) is), the bits taken by movemask: a compare, a
** set, a shift and an or per item otherwise. */
static inline __attribute__((always_inline)) unsigned
S_cmp_mask(int op, const double *x, double b, size_t n) {
  unsigned m = 0;
  size_t i = 0;
#if defined(__SSE2__)
  const __m128d vb = _mm_set1_pd(b);

  switch (op) {
#define S_VLOOP(f)                                                            \
  for (; i + 4 <= n; i += 4)                                                  \
    m |= (unsigned)(_mm_movemask_pd(f(_mm_loadu_pd(x + i), vb)) |            \
                    _mm_movemask_pd(f(_mm_loadu_pd(x + i + 2), vb)) << 2)     \
         << i;                                                                \
  break
  case P_GT: S_VLOOP(_mm_cmpgt_pd);
  case P_GE: S_VLOOP(_mm_cmpge_pd);
  case P_LT: S_VLOOP(_mm_cmplt_pd);
  case P_LE: S_VLOOP(_mm_cmple_pd);
  case P_EQ: S_VLOOP(_mm_cmpeq_pd);
  default: S_VLOOP(_mm_cmpneq_pd);
#undef S_VLOOP
  }
#endif
  switch (op) { /* the rest */
#define S_LOOP(e) for (; i < n; i++) m |= (unsigned)(e) << i; break
  case P_GT: S_LOOP(x[i] > b);
  case P_GE: S_LOOP(x[i] >= b);
  case P_LT: S_LOOP(x[i] < b);
  case P_LE: S_LOOP(x[i] <= b);
  case P_EQ: S_LOOP(x[i] == b);
  default: S_LOOP(!(x[i] == b));
#undef S_LOOP
  }
  return m;
}

/* map, filter, all, none, some of a body with program pr over the rest
** of array arr from it (m items already in res): runs of number items
** P_BLOCK at a time (their steps counted up to the item that decides, as
** one at a time would), any other item through the general evaluator. */
static int S_iter_prog(lv_ctx *c, const node *nd, const node *logic,
                       const P_code *pr, S_src *it, const value *arr,
                       value *res, size_t m, value *out) {
  P_vec v;
  value item;
  const value *src;
  const cJSON *obj[P_BLOCK]; /* object items (S_gather_key) */
  const double *x = v.r[pr->res], *cur = v.r[P_CUR];
  const P_op *o = pr->cmp ? P_OPS(pr) + pr->len - 1 : NULL; /* the last */
  size_t n, i, k;
  unsigned t; /* bit i: item i's body is true */
  int want = nd->op != LOGIC_OP_ALL, rc;
  /* a body that ends in a comparison with a literal (the usual filter,
  ** some...): the truths straight from its operand, not made doubles to
  ** be tested again; of the item itself, no registers */
  int cmp = nd->op != LOGIC_OP_MAP && pr->cmp;

  if (!cmp || pr->len > 1) /* the last comparison's literal read once */
    P_vec_init(pr, &v, cmp ? o->b : P_CUR);
  for (;;) {
    n = pr->key ? S_gather_key(it, pr, v.r[P_CUR], &src, obj)
                : S_gather(it, v.r[P_CUR], &src);
    k = n;
    if (cmp) {
      if (pr->len > 1)
        P_run_vec(pr, pr->len - 1, &v, n);
      t = S_cmp_mask(o->op, v.r[o->a], P_R(pr)[o->b], n);
      if (nd->op == LOGIC_OP_FILTER) {
        m = S_keep(res, m, t, src, obj, pr, cur);
      } else { /* the first item that decides */
        if (!want)
          t = ~t & ((1u << n) - 1);
        if (t)
          k = (size_t)__builtin_ctz(t);
      }
    } else {
      P_run_vec(pr, pr->len, &v, n);
      if (nd->op == LOGIC_OP_MAP) {
        for (i = 0; i < n; i++)
          res[m++] = logic_num_box(nd, x[i]);
      } else if (nd->op == LOGIC_OP_FILTER) {
        for (t = 0, i = 0; i < n; i++)
          t |= (unsigned)S_TRUE2(x[i]) << i;
        m = S_keep(res, m, t, src, obj, pr, cur);
      } else { /* the first item that decides */
        for (k = 0; k < n && S_TRUE2(x[k]) != want; k++)
          ;
      }
    }
    if (logic_steps(c, (unsigned long)pr->steps * (k < n ? k + 1 : n)) < 0)
      return -1;
    if (k < n) {
      *out = lv_bool(nd->op == LOGIC_OP_SOME);
      return 0;
    }
    if (n == P_BLOCK)
      continue;
    if (!S_next(it, &item)) /* the end, else an item not a number */
      break;
    if ((rc = S_general(c, nd, logic, 0, &item, res, &m, out)) != 0)
      return rc < 0 ? -1 : 0;
  }
  *out = S_end(c, nd, arr, it, res, m);
  return 0;
}

/* reduce: the accumulator through each item, with the item as current. */
static int S_reduce(lv_ctx *c, const node *nd, const node *logic,
                    int typed, const value *arr, const value *data,
                    value *out) {
  const P_code *pr = NULL;
  double curs[P_BLOCK], regs[P_MAXREG], x;
  const cJSON *obj[P_BLOCK];
  const value *src;
  lv_scope sc;
  S_src it;
  S_item ti;
  value r;
  size_t n;
  int rc;

  sc.acc = lv_null;
  if (nd->n > 2 && logic_eval_arg(c, &KIDS(nd)[2], data, &sc.acc) < 0)
    return -1;
  S_src_init(c, nd, arr, &it);
  if (typed && (pr = S_prog(nd)) != NULL)
    memcpy(regs, P_R(pr), pr->nreg * sizeof *regs);
  for (;;) {
    value scope = {V_CTX, 0, 0, {0}};
    if (pr && sc.acc.t == V_NUM) { /* a run of number items */
      n = pr->key ? S_gather_key(&it, pr, curs, &src, obj)
                  : S_gather(&it, curs, &src);
      sc.acc.u.d = P_fold(pr, regs, curs, n, sc.acc.u.d);
      if (logic_steps(c, (unsigned long)pr->steps * n) < 0)
        return -1;
      if (n == P_BLOCK)
        continue;
    }
    if (!S_next(&it, &sc.cur))
      break;
    if (typed && sc.acc.t == V_NUM && S_typable_item(nd, &sc.cur, &ti)) {
      ti.acc = sc.acc.u.d;
      if ((rc = S_run(c, logic, &ti, &x)) < 0)
        return -1;
      if (rc == 0) {
        sc.acc.u.d = x;
        continue;
      }
    }
    if (logic_step(c) < 0)
      return -1;
    sc.copy = NULL;
    sc.on_stack = 1;
    scope.u.c = &sc;
    if (logic_eval_arg(c, logic, &scope, &r) < 0)
      return -1;
    sc.acc = r;
  }
  *out = sc.acc;
  return 0;
}

/* S_items for a body S_is_strpair takes (never typed: a string): each
** item by S_strpair, or where it cannot say, by the general evaluator. A
** loop of its own, so that S_items' stays as it was. */
static __attribute__((noinline)) int
S_items_str(lv_ctx *c, const node *nd, const node *logic, const node *var,
            const node *lit, S_src *it, const value *arr, value *res,
            value *out) {
  value item;
  size_t m = 0;
  int t;

  while (S_next(it, &item)) {
    t = S_strpair(c, logic, var, lit, &item);
    if (t == 2) { /* the general evaluator: S_pair's result, its coercions */
      if ((t = S_general(c, nd, logic, 0, &item, res, &m, out)) != 0)
        return t < 0 ? -1 : 0;
      continue;
    }
    if (t < 0)
      return -1;
    if (nd->op == LOGIC_OP_MAP)
      res[m++] = lv_bool(t);
    else if (S_decide(nd, t, &item, res, &m, out))
      return 0;
  }
  *out = S_end(c, nd, arr, it, res, m);
  return 0;
}

/* map, filter, all, none, some item by item: typed items through the
** typed body, the others through the general evaluator. */
static int S_items(lv_ctx *c, const node *nd, const node *logic, int typed,
                   S_src *it, const value *arr, value *res, value *out) {
  value item;
  S_item ti;
  double x;
  const node *var, *lit;
  size_t m = 0;
  int t, pair = S_is_pair(logic);

  if (pair && S_is_strpair(logic, &var, &lit))
    return S_items_str(c, nd, logic, var, lit, it, arr, res, out);
  while (S_next(it, &item)) {
    if (typed && S_typable_item(nd, &item, &ti)) {
      ti.acc = 0;
      if ((t = S_run(c, logic, &ti, &x)) < 0)
        return -1;
      if (t == 0) {
        if (nd->op == LOGIC_OP_MAP)
          res[m++] = logic_num_box(nd, x);
        else if (S_decide(nd, S_TRUE(nd->vt, x), &item, res, &m, out))
          return 0;
        continue;
      }
    }
    if ((t = S_general(c, nd, logic, pair, &item, res, &m, out)) != 0)
      return t < 0 ? -1 : 0;
  }
  *out = S_end(c, nd, arr, it, res, m);
  return 0;
}

/* Whether some of the n items d has the truth want by program pr's body:
** a body of one comparison of the item with a literal by S_cmp_mask, a
** block at a time, the others by P_run on registers r. */
static int S_test_any(const P_code *pr, double *r, const double *d, size_t n,
                      int want) {
  const P_op *o = P_OPS(pr);
  unsigned t;
  size_t i, len;
  double x;

  if (pr->len == 1 && pr->cmp && o->a == P_CUR) {
    for (i = 0; i < n; i += len) {
      len = n - i < P_BLOCK ? n - i : P_BLOCK;
      t = S_cmp_mask(o->op, d + i, P_R(pr)[o->b], len);
      if (want ? t != 0 : t != (1u << len) - 1)
        return 1;
    }
    return 0;
  }
  for (i = 0; i < n; i++) {
    r[P_CUR] = d[i];
    x = P_run(pr, r, 0);
    if ((x < 0 || x > 0) == want) /* S_TRUE2 */
      return 1;
  }
  return 0;
}

/* The next items from *j (a cJSON list) into d, at most P_BLOCK: each a
** number, or for a body that reads a member (pr->key) an object whose
** member is one. How many; or P_BLOCK + 1 at any other item. */
static size_t S_test_gather(const P_code *pr, const cJSON **j, double *d) {
  const cJSON *c = *j;
  size_t n = 0;

  for (; c && n < P_BLOCK; c = c->next, n++)
    if (pr->key ? (c->type & 0xFF) != cJSON_Object ||
                      !S_key_num(c, pr->key, pr->klen, &d[n])
                : (c->type & 0xFF) != cJSON_Number)
      return P_BLOCK + 1;
    else if (!pr->key)
      d[n] = c->valuedouble;
  *j = c;
  return n;
}

/* logic_iter_test's item of truth t for some, all, none or filter
** (filter's kept in *kept, as it runs every item): 1 when it decides the
** truth, *res then set. */
static inline int S_test_item(int op, int t, int *kept, int *res) {
  if (op == LOGIC_OP_FILTER) {
    *kept |= t;
    return 0;
  }
  if (op == LOGIC_OP_ALL ? !t : t) {
    *res = op == LOGIC_OP_SOME;
    return 1;
  }
  return 0;
}

/* Their truth once every item of array arr ran, none deciding. */
static inline int S_test_end(int op, const cJSON *arr, int kept) {
  switch (op) {
  case LOGIC_OP_ALL: return arr->child != NULL; /* of none: false */
  case LOGIC_OP_NONE: return 1;
  default: return kept; /* filter: true with items; some: none was */
  }
}

/* reduce's initial value into *acc when it is a number literal: 0, else
** -1 (the general evaluator's). */
static int S_test_init(const node *nd, double *acc) {
  const node *k = KIDS(nd);

  if (nd->op != LOGIC_OP_REDUCE)
    return 0;
  if (nd->n < 3 || k[2].op != N_LIT || k[2].vt != V_NUM)
    return -1;
  *acc = k[2].u.d;
  return 0;
}

/* Whether nd is {"var": ""} (the item) or {"var": "key"} (a member of an
** object item), as S_is_strpair takes them. */
static int S_item_var(const node *nd) {
  return nd->op == LOGIC_OP_VAR && nd->vt == V_STR && nd->n == 0 &&
         (nd->aux == 0 || nd->neg == VK_KEY);
}

static int S_test_prog(const node *nd, const P_code *pr, const cJSON *j,
                       const double *d, size_t left, unsigned long *acc);
_Static_assert(LOGIC_TEST_UNDECIDED == 2, "S_test_pairs takes both as 2");

/* logic_iter_test of some, all, none or filter over its slot's array
** whose body compares a string literal with the item or a member of it
** (S_is_strpair), or is in
** of a string literal in it (a substring of a string), or in of it in a
** constant array, or iterates the item (an array) with a program: over
** items where those can say without coercions, the steps counted as the
** general evaluator counts them (for a pair: the item's, the pair's, the
** var's and the array's). */
static int S_test_pairs(const logic_frame *f, const node *nd,
                        unsigned long *acc) {
  const node *k = KIDS(nd), *b = &k[1], *bk = KIDS(b), *var, *lit;
  const cJSON *arr = f->v[k->k].v.u.j, *j, *m;
  const P_code *pr = NULL;
  value item, v;
  unsigned long steps = 3;
  int op = nd->op, form, t, kept = 0, res;

  if (op == LOGIC_OP_REDUCE || nd->n != 2)
    return LOGIC_TEST_UNDECIDED;
  if (S_is_strpair(b, &var, &lit)) {
    form = 0;
  } else if (b->op == LOGIC_OP_IN && b->n == 2 && bk[0].op == N_LIT &&
             bk[0].vt == V_STR && S_item_var(&bk[1])) {
    form = 1; /* {"in": ["text", item]} */
    lit = &bk[0];
    var = &bk[1];
  } else if (b->op == LOGIC_OP_IN && b->n == 2 && S_item_var(&bk[0]) &&
             bk[1].op == N_ARRAY && bk[1].vt == V_JARR) {
    form = 2; /* {"in": [item, ["a", "b"]]} */
    lit = NULL;
    var = &bk[0];
    steps = 4;
  } else if (b->op >= LOGIC_OP_FILTER && b->op <= LOGIC_OP_SOME &&
             b->n >= 2 && (pr = S_prog(b)) != NULL && bk->op == LOGIC_OP_VAR &&
             bk->vt == V_STR && bk->n == 0 && bk->aux == 0) {
    form = 3; /* {"some": [item, body]}: the item's, the inner's, its var's */
    lit = var = NULL;
  } else {
    return LOGIC_TEST_UNDECIDED;
  }
  for (j = arr->child; j; j = j->next) {
    lv_json(&item, j);
    if ((*acc += steps) > logic_step_limit)
      return LOGIC_TEST_UNDECIDED;
    if (form == 0) {
      t = S_strpair_of(b, var, lit, &item);
    } else if (form == 3) {
      t = item.t == V_JARR ? S_test_prog(b, pr, j->child, NULL, 0, acc) : 2;
    } else {
      t = 2;
      v = item;
      if (var->aux) { /* a member, present (absent: the general one's) */
        m = item.t == V_JOBJ ? S_key(item.u.j, var->u.s, var->aux) : NULL;
        if (m)
          lv_json(&v, m);
        else
          v.t = V_UNDEF;
      }
      if (form == 1 && v.t == V_STR)
        t = logic_str_in(lit->u.s, lit->aux, v.u.s, v.n);
      else if (form == 2 && (v.t == V_STR || v.t == V_NUM ||
                             v.t == V_BOOL || v.t == V_NULL))
        t = logic_in_lits(&v, KIDS(&bk[1]), bk[1].n);
    }
    if (t == 2) /* S_strpair_of's "the general evaluator's", as
                ** LOGIC_TEST_UNDECIDED is */
      return LOGIC_TEST_UNDECIDED;
    if (S_test_item(op, t, &kept, &res))
      return res;
  }
  return S_test_end(op, arr, kept);
}

/* The truth of iterating node nd (not map) with program pr over the
** items from j, or the left doubles d when d is set; the steps of its
** items added to *acc. */
static int S_test_prog(const node *nd, const P_code *pr, const cJSON *j,
                       const double *d, size_t left, unsigned long *acc) {
  double buf[P_BLOCK], r[P_MAXREG], sum = 0;
  size_t n;
  int op = nd->op, any = 0, kept = 0;

  if (S_test_init(nd, &sum) < 0)
    return LOGIC_TEST_UNDECIDED;
  memcpy(r, P_R(pr), pr->nreg * sizeof *r);
  for (;;) {
    if (d) /* all at once */
      n = left;
    else if ((n = S_test_gather(pr, &j, buf)) > P_BLOCK)
      return LOGIC_TEST_UNDECIDED; /* the general evaluator's item */
    /* at most the steps the general evaluator counts: past the limit, it
    ** fails the rule */
    if ((*acc += (unsigned long)pr->steps * n) > logic_step_limit)
      return LOGIC_TEST_UNDECIDED;
    any |= n > 0;
    switch (op) {
    case LOGIC_OP_SOME:
      if (S_test_any(pr, r, d ? d : buf, n, 1))
        return 1;
      break;
    case LOGIC_OP_FILTER: /* every item runs, as the general one counts */
      kept = kept || S_test_any(pr, r, d ? d : buf, n, 1);
      break;
    case LOGIC_OP_ALL:
      if (S_test_any(pr, r, d ? d : buf, n, 0))
        return 0;
      break;
    case LOGIC_OP_NONE:
      if (S_test_any(pr, r, d ? d : buf, n, 1))
        return 0;
      break;
    default:
      sum = P_fold(pr, r, d ? d : buf, n, sum);
      break;
    }
    if (d || n < P_BLOCK)
      break;
  }
  switch (op) {
  case LOGIC_OP_ALL: return any; /* of no items: false */
  case LOGIC_OP_NONE: return 1;
  case LOGIC_OP_FILTER: return kept; /* an array is true when it has items */
  case LOGIC_OP_REDUCE: return S_TRUE(V_NUM, sum);
  default: return 0;
  }
}

/* logic_iter_test of a typed body without a program (and, or, if...)
** over its slot's array: each item through the tree as S_items and
** S_reduce run it, counting the steps S_num counts. */
static int S_test_tree(const logic_frame *f, const node *nd,
                       unsigned long *acc) {
  const node *k = KIDS(nd);
  const cJSON *arr = f->v[k->k].v.u.j, *j;
  value v;
  S_item it;
  double r;
  int op = nd->op, kept = 0, res;

  it.acc = 0;
  it.f = f;
  if (S_test_init(nd, &it.acc) < 0)
    return LOGIC_TEST_UNDECIDED;
  for (j = arr->child; j; j = j->next) {
    lv_json(&v, j);
    if (!S_typable_item(nd, &v, &it))
      return LOGIC_TEST_UNDECIDED;
    it.steps = 1; /* the item's, as S_run counts */
    it.bail = 0;
    r = S_num(&k[1], &it);
    if (it.bail || (*acc += it.steps) > logic_step_limit)
      return LOGIC_TEST_UNDECIDED;
    if (op == LOGIC_OP_REDUCE) {
      it.acc = r;
      continue;
    }
    if (S_test_item(op, S_TRUE(nd->vt, r), &kept, &res))
      return res;
  }
  return op == LOGIC_OP_REDUCE ? S_TRUE(V_NUM, it.acc)
                               : S_test_end(op, arr, kept);
}

int logic_iter_test(const logic_frame *f, const node *nd,
                    unsigned long *acc) {
  const P_code *pr = S_prog(nd);
  const node *k = KIDS(nd);
  const lf_val *x;

  if (nd->n < 2 || k->op != LOGIC_OP_VAR || k->fast != F_VAR || k->neg)
    return LOGIC_TEST_UNDECIDED;
  x = &f->v[k->k];
  if (x->stamp != f->stamp || x->v.t != V_JARR)
    return LOGIC_TEST_UNDECIDED;
  *acc += 2; /* the operator and its var */
  if (!pr)
    return nd->vt != S_NO ? S_test_tree(f, nd, acc)
                          : S_test_pairs(f, nd, acc);
  if (x->nnum && !pr->key) /* the frame's doubles */
    return S_test_prog(nd, pr, NULL, f->nums + x->num0, x->nnum, acc);
  return S_test_prog(nd, pr, x->v.u.j->child, NULL, 0, acc);
}

/* map, filter, reduce, all, none, some: the first argument is the array,
** the second the logic applied to each item (with the item as data). */
int logic_op_iter(lv_ctx *c, const node *nd, const value *data,
                  value *out) {
  static const node S_absent = {N_LIT, 0, 0, V_UNDEF, 0, 0, 0, {0}};
  const node *logic = nd->n > 1 ? &KIDS(nd)[1] : &S_absent;
  /* the compiled body, on the typed path only (the general one is the
  ** reference it is checked against) */
  int typed = c->frame && nd->vt != S_NO;
  value arr, *res = NULL;
  const P_code *pr;
  S_src it;

  arr = lv_undef;
  if (nd->n > 0 && logic_eval_arg(c, &KIDS(nd)[0], data, &arr) < 0)
    return -1;
  if (nd->op == LOGIC_OP_REDUCE)
    return S_reduce(c, nd, logic, typed, &arr, data, out);
  if (!lv_is_arr(&arr)) {
    *out = nd->op == LOGIC_OP_MAP || nd->op == LOGIC_OP_FILTER
               ? lv_new_arr(c, NULL, 0)
               : lv_bool(nd->op == LOGIC_OP_NONE);
    return 0;
  }
  S_src_init(c, nd, &arr, &it);
  if (nd->op == LOGIC_OP_MAP || nd->op == LOGIC_OP_FILTER) {
    res = lv_alloc_values(c, it.d ? it.n : lv_len(&arr));
    if (!res)
      return -1;
  }
  if (typed && (pr = S_prog(nd)) != NULL)
    return S_iter_prog(c, nd, logic, pr, &it, &arr, res, 0, out);
  return S_items(c, nd, logic, typed, &it, &arr, res, out);
}
