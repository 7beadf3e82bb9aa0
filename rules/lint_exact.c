/*
** lint_exact.c: see lint_exact.h. Single and multi questions are tried
** with every answer, so whatever a condition does with them is exact; a
** number or text is tried only with representatives, so each way it is
** read must be one whose value is the same across a representative's
** class. The scan is kept apart from the symbolic checker's (lint_abs.c)
** on purpose: the oracle does not borrow the checker's judgement.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint_exact.h"
#include "logic.h"

int lint_number_ok(const cdg_question *q, double x) {
  return isfinite(x) && (q->format != CDG_QF_INTEGER || cdg_whole_number(x)) &&
         (!(q->has_range & 1) || x >= q->min) &&
         (!(q->has_range & 2) || x <= q->max);
}

static int S_dbl_cmp(const void *pa, const void *pb) {
  double a = *(const double *)pa, b = *(const double *)pb;

  return a < b ? -1 : a > b;
}

/* The number one past x towards dir (+1 or -1): x + dir, or the next
** double where that rounds back to x (1e17 + 1 is 1e17). */
static double S_past(double x, double dir) {
  double y = x + dir;

  return y != x ? y : nextafter(x, dir * INFINITY);
}

static void S_add(const cdg_question *q, double *out, size_t *n, double x) {
  if (lint_number_ok(q, x))
    out[(*n)++] = x;
}

size_t lint_number_values(const cdg_question *q, const lint_q *s,
                          double *out) {
  int whole = q->format == CDG_QF_INTEGER;
  double *cut = out + 2 * (s->nnum + 3); /* the scratch half */
  size_t n = 0, nc = 0, i, m;

  cut[nc++] = 0;
  if (q->has_range & 1)
    cut[nc++] = q->min;
  if (q->has_range & 2)
    cut[nc++] = q->max;
  for (i = 0; i < s->nnum; i++)
    cut[nc++] = s->num[i];
  qsort(cut, nc, sizeof *cut, S_dbl_cmp);
  for (i = 1, m = 1; i < nc; i++)
    if (cut[i] != cut[m - 1])
      cut[m++] = cut[i];
  nc = m;
  S_add(q, out, &n, whole ? floor(cut[0]) - 1 : S_past(cut[0], -1));
  for (i = 0; i < nc; i++) {
    S_add(q, out, &n, cut[i]);
    if (i + 1 == nc)
      S_add(q, out, &n, whole ? floor(cut[i]) + 1 : S_past(cut[i], 1));
    else if (!whole)
      S_add(q, out, &n, cut[i] + (cut[i + 1] - cut[i]) / 2);
    else if (floor(cut[i]) + 1 < cut[i + 1])
      S_add(q, out, &n, floor(cut[i]) + 1);
  }
  /* Rounding may repeat a value (a midpoint of two close cuts). */
  for (i = 1, m = n ? 1 : 0; i < n; i++)
    if (out[i] != out[m - 1])
      out[m++] = out[i];
  return m;
}

/* ---- Exactness -------------------------------------------------------- */

static int S_is(const cJSON *v, int type) {
  return v && (v->type & 0xFF) == type;
}

static int S_literal(const cJSON *v) {
  return v && !S_is(v, cJSON_Array) && !S_is(v, cJSON_Object);
}

/* What a var names: -1 not a constant name, 0 a single or multi question
** or no question (read whole), 1 a number or text question. *dflt: it has
** a default. */
static int S_name(const cdg_pack *pack, const cJSON *args, int *dflt) {
  const cJSON *a = S_is(args, cJSON_Array) ? args->child : args;
  const cdg_question *q;
  char buf[256];
  size_t seg;

  *dflt = S_is(args, cJSON_Array) && a && a->next;
  if (S_is(args, cJSON_Array) && !a)
    return 0; /* {"var": []}: the whole data... */
  if (S_is(a, cJSON_Number) && cdg_whole_number(a->valuedouble) &&
      fabs(a->valuedouble) < 1e15) {
    /* {"var": 1} reads key "1": null unless a question has that id. */
    snprintf(buf, sizeof buf, "%.0f", a->valuedouble);
    return cdg_pack_find_question(pack, buf) ? -1 : 0;
  }
  if (!S_is(a, cJSON_String) || a->valuestring[0] == '\0')
    return -1; /* a computed name, the whole data */
  /* "q.x" reads inside the answer to q: exact when q's answers are all
  ** tried (a single or multi) or there is no q (null). */
  seg = strcspn(a->valuestring, ".");
  if (seg >= sizeof buf)
    return -1;
  memcpy(buf, a->valuestring, seg);
  buf[seg] = '\0';
  q = cdg_pack_find_question(pack, buf);
  if (!q || q->type == CDG_Q_SINGLE || q->type == CDG_Q_MULTI)
    return 0;
  return a->valuestring[seg] ? -1 : 1;
}

/* The number or text question node reads whole ({"var":"q"}, no
** default), or NULL. */
static const cdg_question *S_plain(const cdg_pack *pack, const cJSON *node) {
  const cJSON *a;
  const cdg_question *q;
  int d;

  if (!S_is(node, cJSON_Object) || !node->child || node->child->next ||
      strcmp(node->child->string, "var") != 0 ||
      S_name(pack, node->child, &d) != 1 || d)
    return NULL;
  a = node->child;
  q = cdg_pack_find_question(pack, S_is(a, cJSON_Array) ? a->child->valuestring
                                                        : a->valuestring);
  return q;
}

static int S_walk(const cdg_pack *pack, const cJSON *node, int truth,
                  int scope);

static int S_args(const cdg_pack *pack, const cJSON *args, int truth,
                  int scope) {
  const cJSON *c;

  if (!S_is(args, cJSON_Array))
    return S_walk(pack, args, truth, scope);
  for (c = args->child; c; c = c->next)
    if (!S_walk(pack, c, truth, scope))
      return 0;
  return 1;
}

/* A comparison with constants of a number or text read whole. */
static int S_compare(const cdg_pack *pack, logic_opcode op,
                     const cJSON *args) {
  const cJSON *c;
  const cdg_question *q = NULL;
  size_t n = 0, nvar = 0;

  if (!S_is(args, cJSON_Array))
    return 0;
  /* n < n reads n twice and is still one comparison of n. */
  for (c = args->child; c; c = c->next, n++)
    if (S_plain(pack, c)) {
      if (q && S_plain(pack, c) != q)
        return 0;
      q = S_plain(pack, c);
      nvar++;
    } else if (!S_is(c, cJSON_String) && !S_is(c, cJSON_Number)) {
      return 0; /* true == "1" is Number(): no representative for it */
    }
  if (nvar == 0)
    return 0;
  switch (op) {
  case LOGIC_OP_EQ: case LOGIC_OP_SEQ: case LOGIC_OP_NE: case LOGIC_OP_SNE:
    return n == 2;
  case LOGIC_OP_LT: case LOGIC_OP_LE: case LOGIC_OP_GT: case LOGIC_OP_GE:
    return (n == 2 || n == 3) && q->type == CDG_Q_NUMBER;
  default:
    return 0;
  }
}

/* {"in": [number or text read whole, [constants of its kind]]}. */
static int S_in(const cdg_pack *pack, const cJSON *args) {
  const cdg_question *q;
  const cJSON *c;

  if (!S_is(args, cJSON_Array) || !args->child ||
      !(q = S_plain(pack, args->child)) || !args->child->next ||
      args->child->next->next || !S_is(args->child->next, cJSON_Array))
    return 0;
  for (c = args->child->next->child; c; c = c->next)
    if (!S_is(c, q->type == CDG_Q_NUMBER ? cJSON_Number : cJSON_String))
      return 0;
  return 1;
}

/* missing and missing_some of constant names: presence, tried for every
** question (absent is a branch of each optional or disabled one). */
static int S_names(const cJSON *list) {
  const cJSON *c;

  if (S_literal(list))
    return 1;
  if (!S_is(list, cJSON_Array))
    return 0;
  /* Any constant is a name (missing takes String() of it). */
  for (c = list->child; c; c = c->next)
    if (!S_literal(c) && !(S_is(c, cJSON_Array) && c == list->child &&
                           S_names(c)))
      return 0;
  return 1;
}

/*
** Whether node is exact; truth: only its truth is used (a number or text
** read whole is then exact: 0 is a cut, no text answer is ""); scope:
** inside an iteration, where var names the element (of a single or
** multi answer, or of an exact value).
*/
static int S_walk(const cdg_pack *pack, const cJSON *node, int truth,
                  int scope) {
  const cJSON *args, *c;
  const logic_op *o;
  int d, k;

  if (S_is(node, cJSON_Array))
    return S_args(pack, node, 0, scope);
  if (!S_is(node, cJSON_Object))
    return 1;
  if (!node->child)
    return 1; /* {}: a constant */
  if (node->child->next)
    return 0;
  args = node->child;
  if (!(o = logic_op_find(args->string))) /* a loaded pack has none */
    return S_args(pack, args, 0, scope);
  switch (o->code) {
  case LOGIC_OP_VAR:
    if (scope) /* the element: no answer is read */
      return S_is(args, cJSON_Array) ? S_args(pack, args, 0, scope)
                                     : S_literal(args);
    k = S_name(pack, args, &d);
    if (k < 0 || (k == 1 && (d || !truth)))
      return 0;
    return !d || S_walk(pack, args->child->next, 0, scope);
  case LOGIC_OP_MISSING:
  case LOGIC_OP_MISSING_SOME:
    if (scope)
      return S_args(pack, args, 0, scope);
    if (o->code == LOGIC_OP_MISSING)
      return S_names(args);
    return S_is(args, cJSON_Array) && S_is(args->child, cJSON_Number) &&
           args->child->next && !args->child->next->next &&
           S_is(args->child->next, cJSON_Array) && S_names(args->child->next);
  case LOGIC_OP_NOT:
  case LOGIC_OP_NOTNOT:
    return S_args(pack, args, 1, scope);
  case LOGIC_OP_AND:
  case LOGIC_OP_OR:
    return S_args(pack, args, truth, scope);
  case LOGIC_OP_IF:
    /* Conditions for their truth, the values as the whole is used. */
    if (!S_is(args, cJSON_Array))
      return S_walk(pack, args, truth, scope);
    for (c = args->child, k = 0; c; c = c->next, k++)
      if (!S_walk(pack, c, (k % 2 == 0 && c->next) ? 1 : truth, scope))
        return 0;
    return 1;
  default:
    break;
  }
  if (!scope && S_compare(pack, o->code, args))
    return 1;
  if (!scope && o->code == LOGIC_OP_IN && S_in(pack, args))
    return 1;
  if ((o->flags & LOGIC_OP_REBINDS) && S_is(args, cJSON_Array) &&
      args->child) {
    /* The list, then the body over its elements, then reduce's start. */
    if (!S_walk(pack, args->child, 0, scope))
      return 0;
    for (c = args->child->next, k = 1; c; c = c->next, k++)
      if (!S_walk(pack, c, 0, k == 1 ? 1 : scope))
        return 0;
    return 1;
  }
  return S_args(pack, args, 0, scope);
}

int lint_exact(const cdg_pack *pack, const cJSON *node) {
  return !node || S_walk(pack, node, 1, 0);
}
