/*
** lint.h: internal state the linter's passes share. lint.c keeps the
** findings and drives the passes: lint_static.c, the static pass (ids,
** passages, the names and constants each condition reads), then the
** path analysis: lint_sym.c proves the path properties symbolically,
** lint_enum.c enumerates answer paths (the oracle, `check --enumerate`).
*/
#ifndef CDG_LINT_H
#define CDG_LINT_H

#include <stddef.h>

#include "cdg_base.h"
#include "cdg_limits.h"
#include "pack.h"

typedef struct lint_finding {
  cdg_error err;
  size_t seq;  /* order found, to keep the sort stable */
} lint_finding;

struct cdg_lint {
  lint_finding *f;      /* the findings, once the check is done */
  size_t n;
  /* While it runs, finding i is its pointer and message, each with its
  ** NUL, at pool.data + note[i] (a big pack has thousands: a cdg_error
  ** each would cost a kilobyte apiece at the check's peak). */
  size_t *note;
  size_t nnote, capnote;
  cdg_buf pool;
  unsigned long long paths;  /* enumeration: complete paths covered, the
                                product of the components' counts,
                                ULLONG_MAX if larger */
  int enumerated;            /* 1: paths counts them; 0: proved */
  size_t nproved;            /* path properties proved */
};

/* One token of a JSON Pointer: a key, or an index when key is NULL. Kept
** as tokens and written out only for a finding. */
typedef struct lint_tok {
  const char *key;
  size_t index;
} lint_tok;

/* Lint state of one question. */
typedef struct lint_q {
  size_t uf;            /* union-find parent */
  double *num;          /* numbers it is compared with */
  size_t nnum, capnum;
  const char **str;     /* text: strings it is compared with; after the
                           static pass, its representatives (lint_text) */
  size_t nstr, capstr;
  char **own;           /* strings made for it: numbers as text, "other" */
  size_t nown, capown;
  unsigned char ordered; /* text compared by <, <=, >, >= */
} lint_q;

typedef struct lint_ctx {
  const cdg_pack *pack;
  const cdg_passages *ps;
  cdg_lint *out;
  int nomem;
  pack_index pids;      /* passage ids of ps (its own lookup is linear) */
  int have_ps;
  lint_q *q;
  lint_tok tok[CDG_LINT_DEPTH];  /* JSON Pointer of the node being walked */
  size_t ntok;
  char ptr[1024];       /* the same, written out for a finding */
  size_t *reads;        /* questions read by the tree being walked */
  size_t nreads, capreads;
  int opaque;           /* it also reads what the linter cannot name */
  const char *last[2];  /* the last names looked up, by address */
  long lastq[2];
  const cdg_question *owner; /* whose enable_when is walked, or NULL */
  /* What each condition reads, from the static pass: enable_when of
  ** question i reads ereads[erstart[i]..erstart[i+1]], rule r reads
  ** rreads[rrstart[r]..]; opaque when it reads what cannot be named. */
  size_t *ereads, *erstart;
  size_t *rreads, *rrstart;
  unsigned char *eopaque, *ropaque;
  /* Not decided exactly by the enumeration (lint_exact), the same way. */
  unsigned char *einexact, *rinexact;
  /* A citation property to prove (cdg_lint_check_cites), or prop_id
  ** NULL: each passage listed is cited exactly when prop_iff holds. */
  const char *prop_id;
  const char *const *prop_passages;
  size_t prop_n;
  const cJSON *prop_iff;
  const logic_expr *prop_expr;
  /* The pack keeps no condition trees: each pass parses one at a time
  ** into trees (lint_cond_tree), and what it keeps of one (the strings
  ** text questions are compared with) goes into keep. */
  json_store *trees, *keep;
} lint_ctx;

/* Add a finding at pointer (of the pack); sets L->nomem when out of
** memory. */
void lint_add(lint_ctx *L, const char *pointer, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* The tree of condition t, parsed into L->trees, valid until the next
** call (the store is renewed as it fills); NULL when there is none, or
** with L->nomem set when out of memory. */
const cJSON *lint_cond_tree(lint_ctx *L, pack_text t);

/* A copy of s in L->keep (created when first wanted), or NULL with
** L->nomem set when out of memory. */
const char *lint_keep_str(lint_ctx *L, const char *s);

/* The union-find root of question i. */
size_t lint_find(lint_q *q, size_t i);

/* Append s to buf at n as a JSON string, cut after a whole character once
** it is CDG_LINT_EXAMPLE_MAX bytes long; buf has room for
** CDG_LINT_EXAMPLE_MAX + 8 more bytes. Returns the new length. */
size_t lint_json_str(char *buf, size_t n, const char *s);

/* The static pass (lint_static.c): findings added, and what each
** condition reads recorded in L. 0, or -1 when out of memory. */
int lint_static_run(lint_ctx *L);

/* The representatives of text question i, the static pass's last step:
** in L->q[i].str, each constant it is compared with that is a valid
** answer, a text that Number() reads as each number it is compared with,
** and last a text none of these is (for every other answer). 0, or -1
** when out of memory. */
int lint_text(lint_ctx *L, size_t i);

/* The path passes, after the static pass: 0, or -1 when out of memory. */
int lint_enum_run(lint_ctx *L);
int lint_sym_run(lint_ctx *L);
/* The enumeration when every component has at most budget complete paths:
** 1 when it decided every property (findings added), 0 when a component
** is larger (nothing added), -1 when out of memory. */
int lint_enum_try(lint_ctx *L, unsigned long long budget);
/* The budget cdg_lint_run tries the enumeration with (lint_set_probe). */
unsigned long long lint_probe(void);

/*
** Append one answer ("id":value, k bytes) to the example answers object
** out, n bytes so far (from "{"). Past CDG_LINT_EXAMPLE_MAX it writes
** "..." instead and returns 1: the example is cut after whole answers.
*/
int lint_example_put(char *out, size_t *n, const char *one, size_t k);

#endif
