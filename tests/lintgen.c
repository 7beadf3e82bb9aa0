/*
** lintgen.c: see lintgen.h. Shapes 0 and 1 are the two generators
** test_lint_sym.c had before they were merged, call for call on
** lintgen_rand, so a seed gives the same pack as before; shape 2 adds
** what they left out.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lintgen.h"

#define SHA "25a7936f8257a0ff7bbdcd9daa319262c0ea914c94d5bbe64bf2968c2801b20d"

static unsigned long S_seed = 12345;

void lintgen_seed(unsigned long seed) { S_seed = seed; }

unsigned lintgen_rand(unsigned n) {
  S_seed = S_seed * 6364136223846793005UL + 1442695040888963407UL;
  return (unsigned)((S_seed >> 33) % n);
}

#define S_rand lintgen_rand
typedef lintgen_buf S_buf;

static void S_put(S_buf *b, const char *fmt, ...) {
  va_list ap;

  va_start(ap, fmt);
  b->n += (size_t)vsnprintf(b->s + b->n, sizeof b->s - b->n, fmt, ap);
  va_end(ap);
  assert_true(b->n < sizeof b->s);
}

/* Question types of the pack being generated: 0 single, 1 multi, 2
** number, 3 text (shapes 0 and 1); 4 integer and 5 date (shape 2). */
static int S_type[8];
static unsigned S_nopt[8];  /* options of a single or multi question */
static int S_ranged[8];     /* shape 1: number of min 0, max 10 */
static const char *const S_types[] = {"single", "multi", "number",
                                      "text",   "integer", "date"};

/* ---- Shape 0 ---------------------------------------------------------- */

/* An atom over question q. */
static void S_atom(S_buf *b, unsigned q) {
  static const char *const ord[] = {"<", "<=", ">", ">=", "==", "!="};

  switch (S_type[q]) {
  case 0:
    switch (S_rand(4)) {
    case 0: S_put(b, "{\"==\":[{\"var\":\"q%u\"},\"c%u\"]}", q, S_rand(3)); break;
    case 1: S_put(b, "{\"in\":[{\"var\":\"q%u\"},[\"c%u\",\"c%u\"]]}", q, S_rand(3), S_rand(3)); break;
    case 2: S_put(b, "{\"!\":{\"missing\":[\"q%u\"]}}", q); break;
    default: S_put(b, "{\"!=\":[{\"var\":\"q%u\"},\"c%u\"]}", q, S_rand(3)); break;
    }
    break;
  case 1:
    if (S_rand(4) == 0)
      S_put(b, "{\"missing\":[\"q%u\"]}", q);
    else
      S_put(b, "{\"in\":[\"c%u\",{\"var\":\"q%u\"}]}", S_rand(S_nopt[q]), q);
    break;
  case 2:
    switch (S_rand(4)) {
    case 0: S_put(b, "{\"var\":\"q%u\"}", q); break;
    case 1: S_put(b, "{\"<\":[%u,{\"var\":\"q%u\"},%u]}", 3 * S_rand(2), q, 6 + 3 * S_rand(2)); break;
    default: S_put(b, "{\"%s\":[{\"var\":\"q%u\"},%u]}", ord[S_rand(6)], q, 3 * S_rand(4)); break;
    }
    break;
  default:
    S_put(b, "{\"==\":[{\"var\":\"q%u\"},\"%s\"]}", q, S_rand(2) ? "a" : "b");
    break;
  }
}

/* A condition over questions 0..n-1, nested up to depth. */
static void S_cond(S_buf *b, unsigned n, int depth) {
  unsigned k = depth > 0 ? S_rand(6) : 0, i, m;

  if (k <= 2) {
    S_atom(b, S_rand(n));
  } else if (k == 3) {
    S_put(b, "{\"!\":");
    S_cond(b, n, depth - 1);
    S_put(b, "}");
  } else if (k == 4 && S_rand(3) == 0) {
    S_put(b, "{\"if\":[");
    S_cond(b, n, depth - 1);
    S_put(b, ",");
    S_cond(b, n, depth - 1);
    S_put(b, ",");
    S_cond(b, n, depth - 1);
    S_put(b, "]}");
  } else {
    S_put(b, "{\"%s\":[", k == 4 ? "and" : "or");
    for (i = 0, m = 2 + S_rand(2); i < m; i++) {
      if (i)
        S_put(b, ",");
      S_cond(b, n, depth - 1);
    }
    S_put(b, "]}");
  }
}

/* ---- Shape 1 ----------------------------------------------------------
** The other shapes packs write, each also decided exactly by both
** checkers: var as ["q"], === and !==, comparisons of three, in over a
** list, missing of one name or of a nested list, missing_some, !!, the
** iteration operators over a multi, if without an else and with several
** pairs, ?:, and/or of one, ! of a list; number questions without a
** range; texts compared with "other" (the checker's own name for any
** other text).
*/
static void S_atom2(S_buf *b, unsigned q) {
  unsigned o = S_rand(S_type[q] <= 1 ? S_nopt[q] : 3);

  switch (S_type[q] * 10 + S_rand(7)) {
  case 0: S_put(b, "{\"==\":[{\"var\":[\"q%u\"]},\"c%u\"]}", q, o); break;
  case 1: S_put(b, "{\"===\":[\"c%u\",{\"var\":\"q%u\"}]}", o, q); break;
  case 2: S_put(b, "{\"in\":[{\"var\":\"q%u\"},[\"c%u\"]]}", q, o); break;
  case 3: S_put(b, "{\"missing\":\"q%u\"}", q); break;
  case 4: S_put(b, "{\"!\":[{\"missing\":[[\"q%u\"]]}]}", q); break;
  case 5: S_put(b, "{\"!!\":{\"var\":\"q%u\"}}", q); break;
  case 6: S_put(b, "{\"!==\":[{\"var\":\"q%u\"},\"c%u\"]}", q, o); break;
  case 10: case 11:
    S_put(b, "{\"some\":[{\"var\":\"q%u\"},{\"==\":[{\"var\":\"\"},\"c%u\"]}]}",
          q, o);
    break;
  case 12:
    S_put(b, "{\"all\":[{\"var\":\"q%u\"},{\"!=\":[{\"var\":\"\"},\"c%u\"]}]}",
          q, o);
    break;
  case 13:
    S_put(b, "{\"none\":[{\"var\":\"q%u\"},{\"==\":[{\"var\":\"\"},\"c%u\"]}]}",
          q, o);
    break;
  case 14: S_put(b, "{\"in\":[\"c%u\",{\"var\":[\"q%u\"]}]}", o, q); break;
  case 15: S_put(b, "{\"missing_some\":[1,[\"q%u\"]]}", q); break;
  case 16: S_put(b, "{\"!\":{\"var\":\"q%u\"}}", q); break;
  case 20: S_put(b, "{\"<=\":[3,{\"var\":[\"q%u\"]},9]}", q); break;
  case 21: S_put(b, "{\"in\":[{\"var\":\"q%u\"},[3,9]]}", q); break;
  case 22: S_put(b, "{\"===\":[{\"var\":\"q%u\"},%u]}", q, 3 * o); break;
  case 23: S_put(b, "{\">\":[{\"var\":\"q%u\"},-3]}", q); break;
  case 24: S_put(b, "{\"!==\":[%u,{\"var\":\"q%u\"}]}", 3 * o, q); break;
  case 25: case 26:
    if (S_ranged[q])
      S_put(b, "{\"!!\":[{\"var\":\"q%u\"}]}", q);
    else
      S_put(b, "{\">=\":[{\"var\":\"q%u\"},%u]}", q, 3 * o);
    break;
  case 30: case 31:
    S_put(b, "{\"===\":[{\"var\":\"q%u\"},\"%s\"]}", q, o ? "a" : "other");
    break;
  case 32: case 33:
    S_put(b, "{\"in\":[{\"var\":\"q%u\"},[\"a\",\"other\"]]}", q);
    break;
  case 34: case 35:
    S_put(b, "{\"!=\":[\"b\",{\"var\":[\"q%u\"]}]}", q);
    break;
  default: S_put(b, "{\"!==\":[{\"var\":\"q%u\"},\"a\"]}", q); break;
  }
}

static void S_cond2(S_buf *b, unsigned n, int depth) {
  unsigned k = depth > 0 ? S_rand(8) : 0, i, m;
  static const char *const ops[] = {"if", "?:", "and", "or", "!", "!!"};

  if (k <= 1) {
    S_atom2(b, S_rand(n));
    return;
  }
  k -= 2;
  if (k == 0) /* if: one pair, no else, or two pairs and an else */
    m = S_rand(2) ? 2 : 5;
  else if (k == 1)
    m = 3;
  else if (k <= 3)
    m = 1 + S_rand(3);
  else
    m = 1;
  S_put(b, "{\"%s\":[", ops[k]);
  for (i = 0; i < m; i++) {
    if (i)
      S_put(b, ",");
    S_cond2(b, n, depth - 1);
  }
  S_put(b, "]}");
}

/* ---- Shape 2 ----------------------------------------------------------
** Every question type (integer and date too, numbers with no bound, one
** or two), the operators of shapes 0 and 1 on each where packs use them,
** in over a string and var with a default (on a single question),
** missing_some over two names, if chains of up to three pairs, constant
** conditions. Not generated, as the symbolic checker does not decide them
** (it says so: test_lint_leaves.c) and the enumeration is not exact on
** them: a text read by in over a string (a substring of it), a number or
** text read through var with a default.
*/
static const char *const S_nums[] = {"-3", "0", "2.5", "3", "4", "10"};
static const char *const S_dates[] = {"2019", "2020-05", "2019-04-23"};
static const char *const S_ops[] = {"==", "===", "!=", "!==",
                                    "<",  "<=",  ">",  ">="};

/* An atom any question takes: presence and truth. */
static void S_any3(S_buf *b, unsigned q, unsigned n) {
  switch (S_rand(6)) {
  case 0: S_put(b, "{\"missing\":[\"q%u\"]}", q); break;
  case 1: S_put(b, "{\"missing\":\"q%u\"}", q); break;
  case 2:
    S_put(b, "{\"missing_some\":[1,[\"q%u\",\"q%u\"]]}", q, S_rand(n));
    break;
  case 3: S_put(b, "{\"!\":{\"var\":\"q%u\"}}", q); break;
  case 4: S_put(b, "{\"!!\":[{\"var\":\"q%u\"}]}", q); break;
  default: S_put(b, "{\"var\":\"q%u\"}", q); break;
  }
}

/* An atom over question q, of questions 0..n-1. */
static void S_atom3(S_buf *b, unsigned q, unsigned n) {
  unsigned o = S_type[q] <= 1 ? S_rand(S_nopt[q]) : 0, p;
  const char *c = S_nums[S_rand(6)], *d = S_nums[S_rand(6)];

  p = S_type[q] <= 1 ? S_rand(S_nopt[q]) : 0;
  if (S_rand(25) == 0) {
    S_put(b, S_rand(2) ? "true" : "false");
    return;
  }
  switch (S_type[q]) {
  case 0:
    switch (S_rand(8)) {
    case 0: S_put(b, "{\"==\":[{\"var\":\"q%u\"},\"c%u\"]}", q, o); break;
    case 1: S_put(b, "{\"===\":[\"c%u\",{\"var\":[\"q%u\"]}]}", o, q); break;
    case 2: S_put(b, "{\"!=\":[{\"var\":\"q%u\"},\"c%u\"]}", q, o); break;
    case 3: S_put(b, "{\"!==\":[\"c%u\",{\"var\":\"q%u\"}]}", o, q); break;
    case 4:
      S_put(b, "{\"in\":[{\"var\":\"q%u\"},[\"c%u\",\"c%u\"]]}", q, o, p);
      break;
    case 5: S_put(b, "{\"in\":[{\"var\":\"q%u\"},\"c%uc%u\"]}", q, o, p); break;
    case 6:
      S_put(b, "{\"==\":[{\"var\":[\"q%u\",\"c%u\"]},\"c%u\"]}", q, o, p);
      break;
    default: S_any3(b, q, n); break;
    }
    break;
  case 1:
    switch (S_rand(8)) {
    case 0: S_put(b, "{\"in\":[\"c%u\",{\"var\":\"q%u\"}]}", o, q); break;
    case 1:
      S_put(b, "{\"some\":[{\"var\":\"q%u\"},{\"==\":[{\"var\":\"\"},"
            "\"c%u\"]}]}", q, o);
      break;
    case 2:
      S_put(b, "{\"all\":[{\"var\":\"q%u\"},{\"!=\":[{\"var\":\"\"},"
            "\"c%u\"]}]}", q, o);
      break;
    case 3:
      S_put(b, "{\"none\":[{\"var\":\"q%u\"},{\"in\":[{\"var\":\"\"},"
            "[\"c%u\",\"c%u\"]]}]}", q, o, p);
      break;
    case 4:
      S_put(b, "{\"some\":[{\"var\":\"q%u\"},{\"===\":[{\"var\":\"\"},"
            "\"c%u\"]}]}", q, o);
      break;
    case 5: S_put(b, "{\"!\":{\"in\":[\"c%u\",{\"var\":[\"q%u\"]}]}}", o, q); break;
    default: S_any3(b, q, n); break;
    }
    break;
  case 2:
  case 4:
    switch (S_rand(6)) {
    case 0:
      S_put(b, "{\"%s\":[{\"var\":\"q%u\"},%s]}", S_ops[S_rand(8)], q, c);
      break;
    case 1:
      S_put(b, "{\"%s\":[%s,{\"var\":\"q%u\"}]}", S_ops[S_rand(8)], c, q);
      break;
    case 2:
      S_put(b, "{\"%s\":[%s,{\"var\":\"q%u\"},%s]}", S_rand(2) ? "<" : "<=",
            c, q, d);
      break;
    case 3: S_put(b, "{\"in\":[{\"var\":\"q%u\"},[%s,%s]]}", q, c, d); break;
    default: S_any3(b, q, n); break;
    }
    break;
  case 3:
    c = S_rand(3) ? (S_rand(2) ? "a" : "b") : "other";
    switch (S_rand(7)) {
    case 0: S_put(b, "{\"==\":[{\"var\":\"q%u\"},\"%s\"]}", q, c); break;
    case 1: S_put(b, "{\"!==\":[\"%s\",{\"var\":\"q%u\"}]}", c, q); break;
    case 2: S_put(b, "{\"in\":[{\"var\":\"q%u\"},[\"a\",\"%s\"]]}", q, c); break;
    case 3: S_put(b, "{\"===\":[{\"var\":[\"q%u\"]},\"%s\"]}", q, c); break;
    case 4: S_put(b, "{\"!=\":[{\"var\":\"q%u\"},\"%s\"]}", q, c); break;
    default: S_any3(b, q, n); break;
    }
    break;
  default:
    c = S_dates[S_rand(3)];
    switch (S_rand(5)) {
    case 0: S_put(b, "{\"==\":[{\"var\":\"q%u\"},\"%s\"]}", q, c); break;
    case 1: S_put(b, "{\"!=\":[\"%s\",{\"var\":\"q%u\"}]}", c, q); break;
    case 2:
      S_put(b, "{\"in\":[{\"var\":\"q%u\"},[\"%s\",\"2019\"]]}", q, c);
      break;
    default: S_any3(b, q, n); break;
    }
    break;
  }
}

static void S_cond3(S_buf *b, unsigned n, int depth) {
  static const char *const ops[] = {"!", "!!", "and", "or", "if", "?:"};
  unsigned k = depth > 0 ? S_rand(9) : 0, i, m;

  if (k <= 2) {
    S_atom3(b, S_rand(n), n);
    return;
  }
  k -= 3;
  if (k <= 1)
    m = 1;
  else if (k <= 3)
    m = 1 + S_rand(3);
  else if (k == 4) /* if: 1 to 3 pairs, and an else or not */
    m = 2 * (1 + S_rand(3)) + S_rand(2);
  else
    m = 3;
  S_put(b, "{\"%s\":[", ops[k]);
  for (i = 0; i < m; i++) {
    if (i)
      S_put(b, ",");
    S_cond3(b, n, depth - 1);
  }
  S_put(b, "]}");
}

/* ---- The pack --------------------------------------------------------- */

void lintgen_pack(lintgen_buf *b, int shape) {
  unsigned nq = 1 + S_rand(5), nr = 1 + S_rand(shape >= 2 ? 4 : 3), i, k,
           no, wide = 0;
  static const char *const mins[] = {"-5", "0", "3"}, *const maxs[] = {"4",
                                                                     "10"};

  b->n = 0;
  S_put(b, "{\"id\":\"r\",\"version\":\"1\",\"title\":\"T\",\"source\":{"
        "\"title\":\"S\",\"publisher\":\"P\",\"sha256\":\"" SHA "\"},"
        "\"questions\":[");
  for (i = 0; i < nq; i++) {
    S_type[i] = (int)S_rand(shape == 3 ? 2 : shape == 2 ? 6 : 4);
    S_put(b, "%s{\"id\":\"q%u\",\"type\":\"%s\",\"text\":\"Q?\"", i ? "," : "",
          i, S_types[S_type[i]]);
    if (S_rand(3) == 0)
      S_put(b, ",\"required\":false");
    if (S_type[i] <= 1) {
      no = 2 + S_rand(2);
      /* Now and then one wide multi: the checker reads it by option. */
      if (shape != 1 && S_type[i] == 1 && !wide && S_rand(5) == 0)
        no = wide = 7 + S_rand(2);
      S_nopt[i] = no;
      S_put(b, ",\"options\":[");
      for (k = 0; k < no; k++)
        S_put(b, "%s{\"code\":\"c%u\",\"label\":\"C%u\"%s}", k ? "," : "", k,
              k, S_type[i] == 1 && (k == 2 || (shape != 1 && k == 6)) &&
                     S_rand(2) ? ",\"exclusive\":true" : "");
      S_put(b, "]");
    } else if (shape == 0 && S_type[i] == 2) {
      S_put(b, ",\"min\":0,\"max\":10");
    } else if (shape == 1 && S_type[i] == 2 &&
               (S_ranged[i] = S_rand(2) != 0) != 0) {
      S_put(b, ",\"min\":0,\"max\":10");
    } else if (shape >= 2 && (S_type[i] == 2 || S_type[i] == 4)) {
      k = S_rand(4); /* no bound, min, max, both */
      if (k & 1)
        S_put(b, ",\"min\":%s", mins[S_rand(3)]);
      if (k & 2)
        S_put(b, ",\"max\":%s", maxs[S_rand(2)]);
    }
    if (i > 0 && S_rand(5) < 3) {
      S_put(b, ",\"enable_when\":");
      if (shape == 0)
        S_cond(b, i, 2);
      else if (shape == 1)
        S_cond2(b, i, 2);
      else
        S_cond3(b, i, 2);
    }
    S_put(b, "}");
  }
  S_put(b, "],\"rules\":[");
  for (i = 0; i < nr; i++) {
    S_put(b, "%s{\"id\":\"r%u\",\"when\":", i ? "," : "", i);
    if (shape == 0)
      S_cond(b, nq, 2);
    else if (shape == 1)
      S_cond2(b, nq, 2);
    else
      S_cond3(b, nq, 2);
    /* Shape 3 cites one of two passages, for a citation property. */
    S_put(b, ",\"cite\":[\"%s\"],\"because\":\"b\"}",
          shape == 3 && S_rand(2) ? "cd-what-it-is" : "cd-onset");
  }
  S_put(b, "]}");
}

void lintgen_cond(lintgen_buf *b, unsigned n) { S_cond3(b, n, 2); }
