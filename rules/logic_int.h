/*
** logic_int.h: the compiled form of a JsonLogic rule, shared by the
** compiler (logic_compile.c, logic_fuse.c), the evaluator (logic_eval.c,
** logic_iter.c, logic_strops.c),
** the typed view of the data (logic_slots.c) and the entry points
** (logic.c). Private to the library.
*/
#ifndef CDG_LOGIC_INT_H
#define CDG_LOGIC_INT_H

#include <stdint.h>

#include "logic.h"
#include "logic_slots.h"
#include "logic_value.h"

/* Node kinds: an operator (logic_opcode), or one of these. */
enum {
  N_LIT = LOGIC_OP_COUNT, /* a literal */
  N_ARRAY                 /* an array whose items are evaluated */
};

/*
** Typed forms (node.fast) of an operator node at the rule's top scope
** (where the data is the frame's): tried first when a frame is given; any
** value they cannot decide falls back to the node's general evaluation.
*/
enum {
  F_NONE,
  F_VAR,     /* {"var": "name.rest"}: slot, then the rest of the path */
  F_EQ,      /* == or === of a slot and a string: code test (neg: !=) */
  F_IN_MULTI,/* {"in": ["code", slot]}: bit test of a multi answer */
  F_IN_SET,  /* {"in": [slot, ["code", ...]]}: mask test of a single */
  F_SOME,    /* some/none/all over a slot of a predicate that tests the */
  F_NONE_OF, /* item against a set of codes (v.u.m), or (neg) its */
  F_ALL,     /* complement */
  F_MISSING, /* {"missing": ["name", ...]}: slot presence */
  F_MISSING_SOME, /* {"missing_some": [number, ["name", ...]]} */
  F_CMP,     /* <, <=, >, >= of numbers and slots: number compare */
  F_IF,      /* if over kids tried typed first */
  F_AND,     /* and, or over kids tried typed first */
  F_OR,
  F_NOT,     /* ! (neg) or !! of one kid; of F_MISSING: no array made */
  F_NUM,     /* arithmetic, comparison or == of numbers, booleans and
             ** slots: evaluated over doubles (logic_iter.c), vt its type */
  F_MISSING_P, /* F_MISSING, F_MISSING_SOME with a dotted key: the rest */
  F_MISSING_SOME_P, /* walked from the first segment's slot */
  F_VAR_DFLT, /* {"var": ["name.rest", literal]}: the name's slot (aux;
              ** neg when a path), or the default when it is absent */
  F_SCMP      /* <, <=, >, >= of a slot and a string: string compare */
};

/* node.neg of {"var": "key"} without a slot: what the key is. */
enum {
  VK_KEY,  /* one key */
  VK_PATH, /* a path with dots */
  VK_CUR,  /* "current" and "accumulator": reduce's scope reads them */
  VK_ACC
};

/*
** A node: 24 bytes (a compiled rule costs at most about twice its JSON
** text). Its kids are contiguous, k nodes after it; a literal's value is
** in the node itself (vt, aux, u: S_LIT_VALUE), as is a var key's string.
*/
typedef struct node {
  unsigned char op;   /* logic_opcode, N_LIT or N_ARRAY */
  unsigned char fast; /* F_*: the typed form, or F_NONE */
  unsigned char neg;  /* F_EQ, F_SOME...: the negated test; {"var":
                      ** "key"}: VK_* (F_VAR: 1 when a path) */
  unsigned char vt;   /* N_LIT: the value's type (V_*); var key: V_STR;
                      ** N_ARRAY: V_JARR when its items are constant
                      ** (u.j the rule's array); else V_UNDEF */
  uint32_t n;         /* kids */
  uint32_t k;         /* kids: offset of the first from this node; var key
                      ** with F_VAR, a key literal of F_MISSING*: slot */
  uint32_t aux;       /* N_LIT, var key: bytes of the string;
                      ** typed operator forms: the slot; an iteration
                      ** with a typed body: the offset from the node to
                      ** its program (logic_iter_progs), or 0 */
  lv_u u;             /* N_LIT, var key, constant N_ARRAY: the payload;
                      ** F_EQ: the code (u.m);
                      ** F_IN_*, F_SOME...: the codes' bit set (u.m) */
} node;

#define KIDS(nd) ((nd) + (nd)->k)

/* The value of a literal node. */
static inline value node_value(const node *nd) {
  value v;

  v.t = nd->vt;
  v.id = 0;
  v.n = nd->aux;
  v.u = nd->u;
  return v;
}

/* One allocation: the struct, the nodes, then the programs of typed
** iteration bodies (logic_iter_progs), when the rule has any. */
struct logic_expr {
  cJSON *copy;  /* the rule, or NULL when borrowed; literals point into it */
  const logic_slots *slots; /* the table the names were resolved in */
};

static inline node *logic_nodes(const logic_expr *e) {
  return (node *)(e + 1);
}

/* ---- Slots and frames (logic_slots.c) ---------------------------------- */

/* The strings rules compare a slot with: a chain through the table's
** pool (one allocation for every slot's codes: a pack has a slot per
** question). */
typedef struct ls_code {
  const char *s;
  uint32_t n;
  uint32_t next; /* pool index + 1, or 0 */
} ls_code;

typedef struct ls_slot {
  const char *name;    /* NUL-terminated */
  const char *alias;   /* the same string elsewhere (logic_slots_alias) */
  uint32_t len;        /* strlen(name) */
  uint32_t hash;       /* ls_hash(name, len), folded */
  uint32_t first, last; /* the codes' chain: pool index + 1, or 0 */
  uint32_t ncodes;
  unsigned char owned; /* name copied (cdg_free with the table) */
  unsigned char nums;  /* a typed body iterates it at the top scope: the
                       ** frame keeps an array of numbers as doubles */
} ls_slot;

struct logic_slots {
  ls_slot *v;
  size_t n, cap;
  uint32_t *tab; /* open addressing: slot + 1, or 0 */
  size_t tabcap; /* a power of two, at least twice n */
  unsigned gen;  /* bumped whenever a code or a slot is added */
  ls_code *codes; /* the pool */
  size_t ncodes, capcodes;
  uint32_t *atab; /* the slots with an alias, by its address: slot + 1 */
  size_t nalias, capalias; /* capalias: 0 or a power of two */
  char **pool;   /* strings copied for rules not borrowed */
  size_t npool, cappool;
};

/* The typed value of one slot in a frame. */
enum {
  LF_PLAIN, /* anything the typed tests do not read */
  LF_STR,   /* a string: code is its code, or -1 (no constant equals it) */
  LF_STRS   /* an array of strings only: bits (codes < 64), other (an item
            ** whose code is -1 or >= 64), count */
};

typedef struct lf_val {
  value v;
  uint64_t bits;
  unsigned stamp; /* the frame's stamp when set; else absent */
  int code;
  unsigned char kind, other;
  uint16_t num0, nnum; /* ls_slot.nums: the items in the frame's nums (in
                       ** the padding: a slot's value stays 48 bytes) */
} lf_val;

/* The slots of the data's first keys by their place in the object, with
** the key's address last time (checked against the slot's name before
** use: the address may hold another key by now). By place, not by a hash
** of the address, so that no two keys take each other's entry. */
#define LF_KEYCACHE 128

/* The doubles a frame keeps for the number arrays of ls_slot.nums slots
** (a typed body then runs over them, not over a cJSON list); a longer
** array is iterated from the data. */
#define LF_NUMS 128 /* below 2^16: lf_val's num0, nnum */

/* A key no slot is named by (LF_NOSLOT), short enough to be copied into
** its entry, is remembered too, for the slots table's gen: data often
** holds keys that no rule reads. */
#define LF_NOSLOT UINT32_MAX

typedef struct lf_key {
  const char *key;
  uint32_t slot;  /* or LF_NOSLOT */
  unsigned gen;   /* LF_NOSLOT: the table's gen then */
  char name[16];  /* LF_NOSLOT: the key */
} lf_key;

struct logic_frame {
  const logic_slots *s;
  lf_key keys[LF_KEYCACHE];
  const logic_slots *live; /* s when the typed path may be taken: fast
                           ** on, filled with an object */
  lf_val *v;
  size_t cap;
  unsigned stamp, gen;
  int fast, isobj, ok;
  const cJSON *data;
  uint32_t nnums; /* nums used since the last fill */
  double nums[LF_NUMS];
};

/* The hash of the slots table: a word at a time, as a frame hashes every
** key of the data once per fill (FNV-1a, a byte at a time, is a chain of
** multiplications as long as the key). */
uint32_t ls_hash(const char *s, size_t n);

/* Slot of name[0..n) (NUL-terminated or not) in s, or -1. */
long ls_find(const logic_slots *s, const char *name, size_t n);
/* Slot of name[0..n), added when new (borrowing name when it is
** NUL-terminated at n and borrow is set); -1 when out of memory. */
long ls_add(logic_slots *s, const char *name, size_t n, int borrow);
/* Code of str[0..n) in slot, added when new; -1 when out of memory. */
long ls_code_add(logic_slots *s, size_t slot, const char *str, size_t n,
                 int borrow);

/* ---- Compiling and evaluating ------------------------------------------ */

/* logic_test of nd on frame f by the typed forms alone, with no context
** (nothing to allocate, a bounded number of steps): 0 or 1, or
** LOGIC_TEST_UNDECIDED when some node needs the general evaluator. *acc
** (0 at the rule's root) adds the steps of the arithmetic, the iterations
** and the and, or, if and ! that join them, at least what the general
** evaluator would count for them: past the limit, the rule is left to it
** (which fails it), however many kids share them. */
#define LOGIC_TEST_UNDECIDED 2
int logic_test_typed(const logic_frame *f, const node *nd,
                     unsigned long *acc);

/* The node whose truth is that of nd (at the top scope): nd, or past the
** if's whose conditions the typed forms decide, the branch taken (a null
** literal when none is), *acc adding the steps of the if's and their
** conditions as logic_test_typed counts them; NULL when a condition is
** undecided. The general evaluator then needs to run only that node. */
const node *logic_test_branch(const logic_frame *f, const node *nd,
                              unsigned long *acc);

/* The typed forms and folded constants of e's nodes (logic_fuse.c). Only
** allocates in s; -1 when out of memory. */
int logic_fuse(logic_expr *e, logic_slots *s, int borrow);

/* The typed form of nd (nd->fast) on c->frame: 0 with *out set, -1 on
** error, or LOGIC_UNDECIDED when the general evaluation must decide. */
#define LOGIC_UNDECIDED 1
int logic_eval_typed(lv_ctx *c, const node *nd, value *out);

/* A path segment p[0..len) as an array index (digits, no leading 0, at
** most 9), or -1 (logic_eval.c). */
long logic_path_index(const char *p, size_t len);

/* The rest p[0..end) of a var path from cur (logic_eval.c). */
int logic_var_path(lv_ctx *c, value cur, const char *p, const char *end,
                   const value *dflt, value *out);

/* Evaluate nd on data into *out: 0, or -1 with c->st (and c->err) set. */
int logic_eval_node(lv_ctx *c, const node *nd, const value *data,
                    value *out);
/* The same without counting a step or trying the typed form. */
int logic_eval_general(lv_ctx *c, const node *nd, const value *data,
                       value *out);

/* {"var": "key"} inline in its node, counting a step (logic_eval.c). */
int logic_var_key_step(lv_ctx *c, const node *nd, const value *data,
                       value *out);

/* logic_eval_node, with literals and {"var": "key"} (most arguments)
** inline: the same steps counted. */
static inline int logic_eval_arg(lv_ctx *c, const node *nd,
                                 const value *data, value *out) {
  if (nd->op == N_LIT) {
    *out = node_value(nd);
    return 0;
  }
  if (nd->op == LOGIC_OP_VAR && nd->vt == V_STR)
    return logic_var_key_step(c, nd, data, out);
  return logic_eval_node(c, nd, data, out);
}

/* Operators evaluated outside logic_eval.c, with logic_eval_general's
** signature or on evaluated arguments: logic_iter.c (map, filter, reduce,
** all, none, some) and logic_strops.c (cat; substr on v[0..3); in: 0, 1
** or -1). */
int logic_op_iter(lv_ctx *c, const node *nd, const value *data,
                  value *out);
/* Mark iterating node nd whose body is typed (numbers and booleans over a
** number item): its vt is then the body's type (logic_iter.c). */
void logic_iter_mark(node *nd);
/* The programs of the typed iteration bodies in the tree at nd, built
** once for all evaluations: their bytes; written from at (each
** iterating node's aux then the offset to its own) unless at is NULL.
** Nothing allocated. */
size_t logic_iter_progs(node *nd, char *at);
/* The bytes of iterating node nd's program (0: it has none). */
size_t logic_iter_prog_size(const node *nd);
/* The truth of some, all, none, filter or reduce node nd (F_NONE) whose
** typed body has a program, over a slot's array of numbers (the frame's
** doubles, or the data's) or of objects whose member the body reads: 0
** or 1, adding to *acc at least the steps the general evaluator would
** count (past the limit: undecided); or LOGIC_TEST_UNDECIDED, at any
** other item. */
int logic_iter_test(const logic_frame *f, const node *nd, unsigned long *acc);
/* Mark nd F_NUM when it is such an expression at the top scope. */
void logic_num_mark(node *nd);
/* F_NUM node nd on frame f: 0 with *x (a boolean as 0 or 1) and *steps
** (what the general evaluator counts, nd included) set, or
** LOGIC_UNDECIDED when a slot holds no number. */
int logic_num_eval(const logic_frame *f, const node *nd, double *x,
                   unsigned long *steps);
/* x as a value of nd's type (vt: V_NUM or V_BOOL). */
value logic_num_box(const node *nd, double x);
/* JsonLogic truthiness of x of type t (V_NUM, or V_BOOL as 0 or 1). */
static inline int logic_num_true(int t, double x) {
  return t == V_NUM ? x != 0 && !isnan(x) : x != 0;
}
int logic_op_cat(lv_ctx *c, const node *nd, const value *data, value *out);
int logic_op_substr(lv_ctx *c, const value *v, value *out);
int logic_op_in(lv_ctx *c, const value *a, const value *b);
/* in's test of a in a rule's constant array (N_ARRAY with V_JARR), whose
** items are the literal nodes kids[0..n): logic_op_in's answer, without
** measuring the array's strings again. */
int logic_in_lits(const value *a, const node *kids, size_t n);
/* in's test of string s[0..sn) in string b[0..bn): 0 or 1. */
int logic_str_in(const char *s, size_t sn, const char *b, size_t bn);

/* The steps an evaluation may take: CDG_MAX_LOGIC_STEPS unless a test
** set it (logic_set_step_limit). */
extern unsigned long logic_step_limit;

/* Count one unit of work (an operation, or one item of an iteration)
** against logic_step_limit: 0, or -1 with the error set. */
int logic_step_fail(lv_ctx *c);
static inline int logic_step(lv_ctx *c) {
  return ++c->steps > logic_step_limit ? logic_step_fail(c) : 0;
}

/* Count n units at once (a typed body's, a block of items'): the same. */
static inline int logic_steps(lv_ctx *c, unsigned long n) {
  c->steps += n;
  return c->steps > logic_step_limit ? logic_step_fail(c) : 0;
}

#endif
