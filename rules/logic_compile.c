/*
** logic_compile.c: a JsonLogic rule (a cJSON tree) compiled into a node
** tree in one allocation: operators looked up in the table once, unknown
** ones and deep nesting rejected with the JSON Pointer of the offending
** part, constant arrays built ahead of time; then constants folded and
** typed forms marked (logic_typed.c).
*/
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "logic_int.h"

/* A JSON object is an operation when it has exactly one key, as in
** json-logic-js; any other object ({} too) is a literal. */
static const cJSON *S_op_key(const cJSON *j) {
  return cJSON_IsObject(j) && j->child && !j->child->next ? j->child : NULL;
}

typedef struct S_comp {
  size_t nodes;
  int track;      /* keep ptr: set only to name an error found before */
  char ptr[1024];
  size_t plen;
  cdg_error *err;
} S_comp;

/* Push tok on the pointer of the part being compiled; returns the old
** length, to cut back to. */
static size_t S_ptr_push(S_comp *k, const char *tok) {
  size_t old = k->plen;

  if (k->track)
    k->plen = json_ptr_push(k->ptr, sizeof k->ptr, k->plen, tok);
  return old;
}

static void S_ptr_pop(S_comp *k, size_t old) {
  k->plen = old;
  k->ptr[old] = '\0';
}

static cdg_status S_comp_err(S_comp *k, const char *msg) {
  if (k->err && k->track) {
    cdg_error_set(k->err, CDG_ERR_LOGIC, NULL, NULL, "%s", msg);
    json_ptr_append(k->err->pointer, sizeof k->err->pointer, 0, k->ptr);
  }
  return CDG_ERR_LOGIC;
}

static cdg_status S_count(S_comp *k, const cJSON *j, int depth);

/* An array of literals only: the rule's array is the value. */
static int S_const_array(const cJSON *j) {
  const cJSON *c;

  for (c = j->child; c; c = c->next)
    if (S_op_key(c) || cJSON_IsArray(c))
      return 0;
  return 1;
}

/* {"var": "key"} or {"var": ["key"]}: the key, which the var node holds
** itself (no node of its own: most of a pack's nodes are vars), or NULL. */
static const cJSON *S_var_key(const cJSON *j) {
  const cJSON *key = S_op_key(j);

  if (!key || strcmp(key->string, "var") != 0)
    return NULL;
  if (cJSON_IsArray(key) && key->child && !key->child->next)
    key = key->child;
  return cJSON_IsString(key) ? key : NULL;
}

/* Count the items of a list (an array, or an operator's arguments). */
static cdg_status S_count_list(S_comp *k, const cJSON *list, int depth) {
  const cJSON *c;
  cdg_status st = CDG_OK;
  char idx[24], *d;
  size_t old, i = 0, n;

  for (c = list->child; c && st == CDG_OK; c = c->next, i++) {
    if (!k->track) {
      st = S_count(k, c, depth);
      continue;
    }
    /* the index by hand: snprintf here was a tenth of a pack's load */
    d = idx + sizeof idx;
    *--d = '\0';
    n = i;
    do
      *--d = (char)('0' + n % 10);
    while ((n /= 10) != 0);
    old = S_ptr_push(k, d);
    st = S_count(k, c, depth);
    S_ptr_pop(k, old);
  }
  return st;
}

/* First pass: count nodes, reject unknown operators and
** deep nesting, with the JSON Pointer of the offending value. */
static cdg_status S_count(S_comp *k, const cJSON *j, int depth) {
  const cJSON *key = S_op_key(j);
  cdg_status st;
  char msg[160];
  size_t old;

  k->nodes++;
  if (!key && !cJSON_IsArray(j))
    return CDG_OK;
  if (depth >= CDG_MAX_LOGIC_DEPTH) {
    snprintf(msg, sizeof msg, "expression nested deeper than %d levels",
             CDG_MAX_LOGIC_DEPTH);
    return S_comp_err(k, msg);
  }
  if (cJSON_IsArray(j)) {
    return S_count_list(k, j, depth + 1);
  }
  if (!logic_op_find(key->string)) {
    snprintf(msg, sizeof msg, "unknown operator \"%.100s\"", key->string);
    return S_comp_err(k, msg);
  }
  if (S_var_key(j))
    return CDG_OK; /* the key lives in the var node */
  old = S_ptr_push(k, key->string);
  st = cJSON_IsArray(key) ? S_count_list(k, key, depth + 1)
                          : S_count(k, key, depth + 1);
  S_ptr_pop(k, old);
  return st;
}

typedef struct S_build {
  node *nodes;
  size_t used;
  json_store *own; /* strings and JSON literals copied here, or NULL */
  int nomem;       /* a copy failed */
} S_build;

static void S_build_node(S_build *b, const cJSON *j, node *nd);

static void S_build_kids(S_build *b, const cJSON *list, node *nd) {
  const cJSON *c;
  node *kids = b->nodes + b->used;
  size_t i = 0;

  nd->n = (uint32_t)cJSON_GetArraySize(list);
  nd->k = (uint32_t)(kids - nd);
  b->used += nd->n;
  for (c = list->child; c; c = c->next)
    S_build_node(b, c, &kids[i++]);
}

/* A literal: its value in the node; a string, array or object copied
** into b->own when set. */
static void S_lit(S_build *b, node *nd, const cJSON *j) {
  value v;

  memset(&v, 0, sizeof v); /* a boolean sets part of v.u */
  lv_json(&v, j);
  if (b->own && v.t == V_STR && !(v.u.s = json_store_strdup(b->own, v.u.s)))
    b->nomem = 1;
  if (b->own && (v.t == V_JARR || v.t == V_JOBJ) &&
      !(v.u.j = json_store_copy(b->own, j)))
    b->nomem = 1;
  nd->vt = v.t;
  nd->aux = (uint32_t)v.n; /* strings of at most CDG_MAX_FILE_BYTES */
  nd->u = v.u;
}

static void S_build_node(S_build *b, const cJSON *j, node *nd) {
  const cJSON *key = S_op_key(j);

  memset(nd, 0, sizeof *nd);
  nd->vt = V_UNDEF;
  if (S_var_key(j)) { /* n 0, the key in the node: logic_int.h */
    nd->op = LOGIC_OP_VAR;
    S_lit(b, nd, S_var_key(j));
    if (b->nomem)
      return;
    if (memchr(nd->u.s, '.', nd->aux))
      nd->neg = VK_PATH;
    else if (nd->aux == 7 && memcmp(nd->u.s, "current", 7) == 0)
      nd->neg = VK_CUR;
    else if (nd->aux == 11 && memcmp(nd->u.s, "accumulator", 11) == 0)
      nd->neg = VK_ACC;
    return;
  }
  if (key) {
    nd->op = (unsigned char)logic_op_find(key->string)->code;
    if (cJSON_IsArray(key)) {
      S_build_kids(b, key, nd);
    } else {
      nd->n = 1;
      nd->k = (uint32_t)(b->nodes + b->used++ - nd);
      S_build_node(b, key, KIDS(nd));
    }
    return;
  }
  if (cJSON_IsArray(j)) {
    json_store *own = b->own;

    nd->op = N_ARRAY;
    if (!S_const_array(j)) {
      S_build_kids(b, j, nd);
      return;
    }
    /* constant: the rule's own array (or its copy), a fresh one at each
    ** evaluation (its identity: logic_value.h), without allocating; its
    ** items borrow from it */
    if (own && !(j = json_store_copy(own, j))) {
      b->nomem = 1;
      return;
    }
    b->own = NULL;
    S_build_kids(b, j, nd);
    b->own = own;
    nd->vt = V_JARR;
    nd->u.j = j;
    return;
  }
  nd->op = N_LIT;
  S_lit(b, nd, j);
}

/* Nodes of the tree at nd (what folding left). */
static void S_tally(const node *nd, size_t *nodes) {
  size_t i;

  ++*nodes;
  for (i = 0; i < nd->n; i++)
    S_tally(&KIDS(nd)[i], nodes);
}

/* Copy the tree at src into b, kids after their parent as built. */
static void S_copy(S_build *b, const node *src, node *dst) {
  node *kids;
  size_t i;

  *dst = *src;
  if (src->n == 0)
    return; /* k, if set, is a slot */
  kids = b->nodes + b->used;
  b->used += src->n;
  dst->k = (uint32_t)(kids - dst);
  for (i = 0; i < src->n; i++)
    S_copy(b, &KIDS(src)[i], &kids[i]);
}

/* Folding left nodes no longer reachable: move the rule into an
** allocation of its live nodes only, so that it costs what it holds, and
** of the programs of its typed iteration bodies after them
** (logic_iter_progs: none, and no bytes, for most rules). Out of memory:
** e as it is, without programs (its typed bodies then run on the tree,
** with the same results). */
static logic_expr *S_compact(logic_expr *e, size_t built) {
  size_t nodes = 0, size, progs = logic_iter_progs(logic_nodes(e), NULL);
  logic_expr *n;
  S_build b;

  S_tally(logic_nodes(e), &nodes);
  size = sizeof *e + nodes * sizeof(node);
  if (size >= built) { /* nothing folded away: the nodes stay */
    if (progs && (n = cdg_realloc(e, built + progs)) != NULL) {
      e = n;
      logic_iter_progs(logic_nodes(e), (char *)e + built);
    }
    return e;
  }
  if (!(n = cdg_calloc(1, size + progs)))
    return e;
  *n = *e;
  b.nodes = logic_nodes(n);
  b.used = 1;
  S_copy(&b, logic_nodes(e), b.nodes);
  cdg_free(e);
  if (progs)
    logic_iter_progs(logic_nodes(n), (char *)n + size);
  return n;
}

static cdg_status S_compile(const cJSON *expr, logic_slots *slots,
                            int borrow, json_store *own, logic_expr **out,
                            cdg_error *err) {
  S_comp k;
  S_build b;
  logic_expr *e;
  cdg_status st;
  size_t size;

  *out = NULL;
  if (!expr)
    return cdg_error_set(err, CDG_ERR_LOGIC, NULL, NULL, "no expression");
  k.nodes = 0;
  k.track = 0;
  k.ptr[0] = '\0';
  k.plen = 0;
  k.err = err;
  st = S_count(&k, expr, 0);
  if (st != CDG_OK) {
    /* again, keeping the pointer: every rule of a pack is counted, few
    ** fail, and building it was a tenth of the count */
    k.track = 1;
    return S_count(&k, expr, 0);
  }
  /* Nodes and values hold doubles and pointers, as the struct does. */
  _Static_assert(sizeof(logic_expr) % _Alignof(node) == 0 &&
                     sizeof(node) % _Alignof(value) == 0,
                 "logic_expr parts misaligned");
  size = sizeof *e + k.nodes * sizeof(node);
  e = cdg_calloc(1, size);
  if (!e)
    return cdg_error_set(err, CDG_ERR_NOMEM, NULL, NULL, "out of memory");
  if (!borrow && !(expr = e->copy = cJSON_Duplicate(expr, 1))) {
    cdg_free(e);
    return cdg_error_set(err, CDG_ERR_NOMEM, NULL, NULL, "out of memory");
  }
  b.nodes = logic_nodes(e);
  b.used = 1;
  b.own = own;
  b.nomem = 0;
  S_build_node(&b, expr, b.nodes);
  if (b.nomem) { /* what was copied stays in own, unused */
    cdg_free(e);
    return cdg_error_set(err, CDG_ERR_NOMEM, NULL, NULL, "out of memory");
  }
  logic_fuse(e, slots, borrow);
  *out = S_compact(e, size);
  return CDG_OK;
}

cdg_status logic_compile(const cJSON *expr, logic_expr **out,
                         cdg_error *err) {
  return S_compile(expr, NULL, 0, NULL, out, err);
}

cdg_status logic_compile_ref(const cJSON *expr, logic_expr **out,
                             cdg_error *err) {
  return S_compile(expr, NULL, 1, NULL, out, err);
}

cdg_status logic_compile_in(const cJSON *expr, logic_slots *s, int borrow,
                            logic_expr **out, cdg_error *err) {
  return S_compile(expr, s, borrow != 0, NULL, out, err);
}

cdg_status logic_compile_into(const cJSON *expr, logic_slots *s,
                              json_store *store, logic_expr **out,
                              cdg_error *err) {
  return S_compile(expr, s, 1, store, out, err);
}

/* Bytes of nd and the nodes below it, with their programs. */
static size_t S_size(const node *nd) {
  size_t size = sizeof *nd + logic_iter_prog_size(nd), i;

  for (i = 0; i < nd->n; i++)
    size += S_size(&KIDS(nd)[i]);
  return size;
}

size_t logic_size(const logic_expr *e) {
  return e ? sizeof *e + S_size(logic_nodes(e)) : 0;
}

void logic_free(logic_expr *e) {
  if (!e)
    return;
  cJSON_Delete(e->copy);
  cdg_free(e);
}

