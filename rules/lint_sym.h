/*
** lint_sym.h: state shared by the symbolic checker's files. lint_abs.c
** builds the abstraction of each question and each condition as a small
** circuit over it (leaves tabulated by the evaluator); lint_cnf.c turns
** the part of the circuit a query needs into clauses for PicoSAT;
** lint_sym.c asks the properties.
*/
#ifndef CDG_LINT_SYM_H
#define CDG_LINT_SYM_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

#include <picosat/picosat.h>

#include "lint.h"
#include "logic_slots.h"

#define SYM_LEAF_ROWS 4096   /* rows of one leaf's table */
#define SYM_MULTI_BITS 12    /* options of a multi tabulated by subsets */
#define SYM_OPT_MULTI 6      /* wider multis: membership leaves by option */
#define SYM_MASK_BITS 62     /* options a path's mask holds (long) */
#define SYM_PROPAGATIONS 20000000ULL /* per call: the budget */
#define SYM_RANDOM_PATHS 8   /* random answer paths, at least */
#define SYM_GREEDY_PATHS 8   /* guided paths, at most, while they settle */
#define SYM_PROP_ROUNDS 256  /* paths guided by propagation, at most */
#define SYM_PROP_SINGLE 32   /* then paths for one open property each */
#define SYM_PROP_PROOF 64    /* propagation steps per node, proving */
#define SYM_PROP_GUIDE 16    /* the same for guided paths, per round */
#define SYM_PROP_DEPTH 3     /* ors split, nested, to refute what is left */
#define SYM_PROP_WINDOW 64   /* questions before one a probe looks at */
#define SYM_NEED_QUESTIONS 8 /* a property's needs kept (sym_prop_need) */
#define SYM_QUICK_DECISIONS 1000 /* of a first SAT call for one property */
#define SYM_SAT_WINDOW 256   /* questions before one its own solver keeps */
#define SYM_WINDOW_BUDGET 2000000 /* propagations of that solver */
#define SYM_WINDOW_TOTAL 32   /* of all of them, per circuit node */
#define SYM_TRIES 64         /* tries of one property alone (S_tries) */
#define SYM_TRY_WORK 16      /* questions their paths run, per question */
#define SYM_TRY_STEPS 16     /* their propagation steps, per node */
#define SYM_SILENT_TRIES 8   /* paths firing no rule, before the solver */

/* A block PicoSAT holds, in a doubly linked list. */
typedef struct sym_blk {
  struct sym_blk *prev, *next;
  max_align_t align[];
} sym_blk;

/* A question in the abstraction. What the paths and the propagation
** read of every question they meet comes first, in 29 bytes: one cache
** line where the array is 16 bytes past one (a large calloc), where the
** exclusive options and the flags after them had been in the next. */
typedef struct sym_q {
  int en;               /* circuit literal: enable_when holds */
  uint32_t ndom;        /* values (multi: options) */
  uint32_t w;           /* table width (sym_width) */
  uint32_t n0, n1;      /* its condition's nodes */
  uint32_t pos;         /* its place in topological order */
  unsigned char und;    /* its condition has a free leaf */
  unsigned char poss;   /* over-approximation: 1 can be absent, 2 answered */
  unsigned char wide;   /* sym_wide */
  unsigned char multi, required;  /* of the question: the paths and the
                                     propagation ask them of every one */
  int e;                /* SAT: enabled (0 until encoded) */
  int v;                /* SAT: first value (or multi option) variable */
  uint64_t excl;        /* multi: its exclusive options (the first 62) */
  double *num;          /* number: the representatives */
  const char **str;     /* text: the representatives */
} sym_q;

/* A slot of the table of leaves by shape: the shape's hash, and the leaf
** + 1 (0 empty). */
typedef struct sym_lslot {
  uint32_t key, leaf;
} sym_lslot;

/* Circuit nodes; a literal is a node index, negative for its negation;
** node 1 is true. Children have lower indexes than their parents. */
enum { SYM_TRUE, SYM_LEAF, SYM_FREE, SYM_AND, SYM_ITE };

typedef struct sym_node {
  unsigned char op;
  int a, b, c;          /* AND: a, b; ITE: c ? a : b; LEAF: leaf index */
} sym_node;

/* A leaf: what it reads and its table (1 false, 2 true, made with it;
** rows by the reads' answer indexes, the first read varying fastest). */
typedef struct sym_leaf {
  uint32_t r0, t0;          /* in S->lreads, in S->tab */
  uint32_t rows;            /* of its table */
  uint32_t opt;             /* an option leaf: option opt - 1 of a wide
                               multi, rows absent, without it, with it */
  uint32_t shape, nshape;   /* a leaf lint_share.c entered: its shape's
                               bytes, in S->shapes */
  unsigned char nreads;     /* at most sizeof S->reads / sizeof *S->reads */
  unsigned char failed;     /* the evaluator failed on some row */
} sym_leaf;

/* An undo record of the propagation: node item (>= 0) or question
** -(i + 1), with the question's old answer set. */
typedef struct sym_trail {
  long item;
  uint64_t old, must, cannot;
} sym_trail;

/* What the propagation holds of a question: one cache line (qs is
** aligned), where four arrays took four for each question it met. */
typedef struct sym_qs {
  uint64_t qa;          /* the answers allowed */
  uint64_t qroot;       /* the same with no assumption */
  uint64_t must, cannot; /* a wide multi (option leaves): options it must
                            have, and cannot have, when answered; its qa
                            is then 1 absent, 2 answered */
} sym_qs;

/* What a probe of one property alone found it needs (sym_prop_need): the
** answers allowed to the SYM_NEED_QUESTIONS earliest questions it
** restricted. */
typedef struct sym_need {
  uint32_t n;           /* entries */
  uint32_t q[SYM_NEED_QUESTIONS];
  uint64_t qa[SYM_NEED_QUESTIONS];
} sym_need;

/* Unit propagation on the circuit (lint_prop.c). */
typedef struct sym_prop {
  unsigned char *nst;   /* each node: 0 unknown, 1 false, 2 true */
  sym_qs *qs;           /* each question, in qsraw */
  void *qsraw;
  struct sym_lq {
    uint64_t t;         /* a leaf reading one question: its true rows */
    int32_t q;          /* and that question (S_leafq); -2 an option leaf,
                           else -1: the propagation visits a leaf with one
                           cache line of these, not three */
  } *lq;                /* by leaf */
  uint32_t *enq;        /* the question (+ 1) whose enable_when node is n */
  uint32_t *pstart, *par; /* parents of node n: par[pstart[n]..] */
  size_t *mstart, *mleaf; /* leaf nodes reading question i and others,
                             all tracked (S_rows): mleaf[mstart[i]..] */
  long *q;              /* work queue */
  size_t nq, capq;
  sym_trail *t;         /* trail, for undo */
  size_t nt, capt;
  int conflict;
  unsigned long long steps;  /* all steps so far, against the budgets */
  /* The scope (sym_prop_scope): nodes n < lim, and of the rules' nodes
  ** only those from lo; questions at topological positions <= qlim. */
  size_t lim, lo, qlim;
  size_t wlo, whi;      /* of the questions' nodes, only wlo <= n < whi */
  uint32_t *needof;     /* each property (question i, rule nq + r): its
                           entry in need + 1, 0 none */
  sym_need *need;
  size_t nneed, capneed;
} sym_prop;

/* The checker: circuit, formula, scratch space, the path being checked. */
typedef struct sym_ctx {
  lint_ctx *L;
  const cdg_pack *pack;
  PicoSAT *sat;
  sym_blk *blocks;      /* held by PicoSAT */
  jmp_buf oom;
  sym_q *q;
  sym_node *node;
  size_t nnode, capnode;
  sym_leaf *leaf;           /* kept small: paths and probes walk them all */
  size_t nleaf, capleaf;
  const cJSON *lnode;       /* the leaf being made (S->nleaf): its tree */
  const logic_expr *lwhole; /* and its compiled form, when the whole
                               condition */
  size_t *lreads;
  size_t nlreads, caplreads;
  unsigned char *tab;
  size_t ntab, captab;
  int *nvar;            /* SAT literal of each node, 0 until encoded */
  size_t capnvar;
  unsigned char *nval;  /* path: value of each node; over-approximation:
                           1 can be false, 2 can be true */
  int *f;               /* circuit literal: rule r fires */
  unsigned char *rund;  /* rule r has a free leaf */
  size_t *rn;           /* nodes of rule r: rn[r]..rn[r + 1] */
  int tru;              /* SAT: the constant true */
  int *lits;            /* scratch clause */
  size_t nlits, caplits;
  size_t reads[64];     /* questions a leaf reads */
  size_t nreads;
  int inexact;          /* the leaf is not decided exactly */
  int undecided;        /* the condition being compiled has a free leaf */
  int failed;           /* it cannot be evaluated on some answers */
  unsigned char *qok, *rok;   /* shown on a real path (or, with *never,
                                 proved impossible) */
  unsigned char *qnever, *rnever;
  unsigned char *mark;  /* cone: question marked */
  size_t *stack;        /* cone: work list */
  long *val;            /* path: -1 absent, else value index (multi: mask) */
  uint32_t *prow;       /* path: the table index of val (0 absent; read
                           by tabulated leaves only, so under
                           SYM_LEAF_ROWS), apart from S->q: a leaf reads
                           it of a question anywhere in the pack */
  unsigned char *en;    /* path: enabled */
  unsigned char *fired; /* path: rule fired */
  unsigned char *want;  /* guided path: 1 want node false, 2 true */
  size_t *wopen, nwopen; /* sym_wants: the questions, then the rules (nq
                           + r), open when it last looked, in order */
  uint64_t *wmark;      /* the questions (bits by topological position)
                           whose conditions' nodes hold wants */
  uint64_t *rmark;      /* the same of the rules, by rule */
  int wlocal;           /* each condition's nodes point only among
                           themselves (and to node 1): sym_wants walks the
                           marked ones only */
  size_t *qleaf, *qlstart;  /* leaf nodes reading question i alone:
                               qleaf[qlstart[i]..qlstart[i + 1]] */
  uint32_t *qlt0;       /* and the table of each (its leaf's t0): guided
                           answers score them without node and leaf */
  int *slit;            /* SAT literals of the properties being asked */
  int silent;           /* a real path citing nothing was found */
  char silentex[CDG_LINT_EXAMPLE_MAX + 8];  /* its answers */
  int bad;              /* the path is not complete */
  cJSON *data;          /* scratch answers for the evaluator */
  logic_frame *frame;   /* data typed for the compiled conditions */
  sym_lslot *lht;       /* leaves by shape (lint_share.c) */
  size_t lhtcap;
  cdg_buf shapes;       /* the shapes of the leaves in lht */
  cdg_buf shape;        /* scratch: the shape being looked up */
  logic_expr *own;      /* scratch compiled leaf */
  unsigned long seed;   /* of the random paths */
  int satok;            /* the solver was created */
  int part;             /* model paths run the encoded cones only */
  int cone;             /* paths run the marked cones only (sym_cone_add) */
  int pchoose;          /* P_PROP paths propagate each answer they take */
  int answerable;       /* every question has a valid answer */
  unsigned char *cmark; /* each question: in the marked cones */
  size_t *clist, ncl;   /* the questions marked */
  uint64_t *cpos;       /* the same, bits by topological position */
  sym_prop pq;          /* unit propagation */
  int *wsave;           /* sym_refute_window: the pack's solver's state */
  size_t capwsave;
  unsigned long long wprops; /* propagations of those solvers so far */
} sym_ctx;

/* SAT: a fresh variable; a literal of the clause being built; the end of
** it (added, scratch emptied); a two-literal clause. Out of memory
** longjmps to S->oom, as every function here does. */
int sym_var(sym_ctx *S);
void sym_lit(sym_ctx *S, int lit);
void sym_end(sym_ctx *S);
void sym_c2(sym_ctx *S, int a, int b);

/* Circuit: a node; a AND b (folding constants). */
int sym_node_new(sym_ctx *S, int op, int a, int b, int c);
int sym_cand(sym_ctx *S, int a, int b);

/* The circuit literal of one condition (at pointer of the pack, named
** what id in findings): reports it when not decided exactly, or when it
** cannot be evaluated on some answers. e: node compiled, or NULL. */
int sym_condition(sym_ctx *S, const cJSON *node, const logic_expr *e,
                  const char *pointer, const char *what, const char *id);

/* lint_share.c: a leaf tabulated already with the shape of leaf l (which
** reads question i alone), or l itself, entered then. */
size_t sym_shared(sym_ctx *S, size_t l, size_t i);

/* Set question i in data to answer k (-1: absent; multi: the mask).
** 0, or -1 when out of memory. */
int sym_put(const sym_ctx *S, cJSON *data, size_t i, long k);
/* logic_test of e on data through the checker's frame, as the walker and
** the outcome evaluate (longjmps when out of memory). */
int sym_test(sym_ctx *S, const logic_expr *e, const cJSON *data);

/* Domains of every question and the circuit of every condition. */
void sym_build(sym_ctx *S);

/* Whether question i is a multi read by option leaves (wider than
** SYM_OPT_MULTI, at most SYM_MASK_BITS options). Inline, as sym_width:
** the paths and the propagation ask them for every question they run. */
static inline int sym_wide(const sym_ctx *S, size_t i) { return S->q[i].wide; }

/* Whether answer k (table index: 0 absent, else value + 1; multi: the
** mask) is a valid answer of question i. */
int sym_valid(const sym_ctx *S, size_t i, size_t k);

/* Table width of question i (0: too many answers to tabulate). */
static inline size_t sym_width(const sym_ctx *S, size_t i) {
  return S->q[i].w;
}

/* The row of option leaf lf (lf->opt set) for answer v of its wide multi
** (the path's -1 absent, else the mask). */
size_t sym_row(const sym_leaf *lf, long v);

/* lint_cnf.c: create the solver (once); encode question i with
** everything it transitively reads (its cone); rule r with its cone;
** everything; nodes n0..n1 (their leaves' questions encoded); the SAT
** literal of an encoded circuit literal. */
void sym_sat_init(sym_ctx *S);
void sym_encode_cone(sym_ctx *S, size_t i);
void sym_encode_rule(sym_ctx *S, size_t r);
void sym_encode_all(sym_ctx *S);
void sym_encode_range(sym_ctx *S, size_t n0, size_t n1);
int sym_sat_lit(const sym_ctx *S, int lit);
/* Whether question i is proved never enabled by a formula of its own (the
** pack's solver untouched) that keeps the conditions of its cone only
** within win topological positions before it, the rest free, and the
** questions proved never as facts: fewer constraints than the pack's, so
** a proof: 1 proved, else 0 (satisfiable, or over the budget of
** propagations). */
int sym_refute_window(sym_ctx *S, size_t i, size_t win,
                      unsigned long long budget);

/* lint_prop.c: the state with no assumption (1 on a conflict: no
** complete path); probe: assume lit, propagate: 1 conflict (proof that no
** complete path has lit), 0 none, -1 over the step limit; the state is
** kept only when keep and 0. undo: back to a trail mark (pq.nt). */
int sym_prop_init(sym_ctx *S);
/* Propagate only inside the cone of item k (question k, or rule k - nq
** when k >= nq; anything else: everywhere). A question's enabledness and
** a rule's firing depend on their cone alone, and any answers of the cone
** extend to a complete path, so no conflict lies outside it: the same
** proofs, at the cost of the cone instead of the pack. */
void sym_prop_scope(sym_ctx *S, size_t k);
int sym_prop_probe(sym_ctx *S, int lit, int keep);
/* lit, true on every complete path, into the state for good, everywhere
** and with no step limit: a value is set once and kept, so all the facts
** together cost the circuit's size, where a probe's limit cut off (and
** dropped) the long cascades a never-enabled hub starts. 1 on a conflict
** (no complete path: the state is left as it was). */
int sym_prop_fact(sym_ctx *S, int lit);
void sym_prop_undo(sym_ctx *S, size_t mark);
/* After a probe of property k (question k, rule k - nq) alone that kept
** its state from trail mark mark on: keep what it needs of the earliest
** questions it restricted. Those hold on every complete path with k, so
** sym_prop_needless(S, k), 1 when the state allows none of one of them,
** is a proof that no path with the state's assumptions has k too. */
void sym_prop_need(sym_ctx *S, size_t k, size_t mark);
int sym_prop_needless(const sym_ctx *S, size_t k);
/* Question i takes path answer v (-1 absent; multi: the mask) in the
** state, propagated: 0, or 1 on a conflict or -1 over the step limit
** (the state then as it was). Untracked questions: 0, nothing done. */
int sym_prop_answer(sym_ctx *S, size_t i, long v);
/* 1 when lit is refuted: propagation, then up to depth splits of the ors
** the state needs, every branch in conflict. A proof; state unchanged. */
int sym_prop_refute(sym_ctx *S, int lit, int depth);

/* Decide the ors (ands that fail with both sides open) the trail holds
** from mark from, one side then the other: 0, or 1 when both sides of one
** conflict (the caller undoes). A heuristic, for guided paths only. */
int sym_prop_decide(sym_ctx *S, size_t from);
void sym_prop_free(sym_ctx *S);

/* ---- Paths (lint_paths.c) --------------------------------------------- */

/* How sym_path chooses each answer: the SAT model's, at random, guided
** towards the open properties, or by the propagation's facts. */
enum { P_MODEL, P_RANDOM, P_GUIDED, P_PROP };

/* Mark the cone of item k (question k, or rule k - nq): what it reads,
** transitively. -1 when a condition in it reads names known only from
** the answers (paths must then run everything). clear: none marked, and
** S->cone off. */
int sym_cone_add(sym_ctx *S, size_t k);
void sym_cone_clear(sym_ctx *S);

/* A real path, in topological order (of the marked cones only, when
** S->cone); returns how many properties it settled that were open. */
size_t sym_path(sym_ctx *S, int mode);
/* logic_test of e on the path's answers to what it reads (all when
** opaque): for a condition with a free leaf. */
int sym_eval(sym_ctx *S, const logic_expr *e, const size_t *reads,
             size_t n, int opaque);
/* The checker's random numbers (a fixed seed: runs repeat). */
unsigned long sym_next(sym_ctx *S);
/* Which way each node should go for the open properties to hold. */
void sym_wants(sym_ctx *S);
/* The single-question leaves of each question, for guided paths. */
void sym_leaf_index(sym_ctx *S);
/* The over-approximation of what each question can hold: a question no
** complete path enables and a rule none fires are proved so. Returns 1
** when some rule fires on every complete path. */
int sym_over(sym_ctx *S);
/* The current path as an answers object into out (cut past
** CDG_LINT_EXAMPLE_MAX); 1 when cdg_answers_parse takes it and the
** evaluator agrees with the path on every rule, else 0. */
int sym_witness(sym_ctx *S, char *out);

#endif
