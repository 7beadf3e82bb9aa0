/*
** lint.c: the pack linter behind `cdguide check`: its findings, and the
** driver that runs the static pass (lint_static.c) and then the path
** passes (lint_sym.c, or lint_enum.c for the enumeration).
*/
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "lint.h"

/* ---- Findings --------------------------------------------------------- */

void lint_add(lint_ctx *L, const char *pointer, const char *fmt, ...) {
  cdg_lint *o = L->out;
  cdg_error e;
  va_list ap;

  if (L->nomem)
    return;
  /* Cut as the record cuts them: the findings are then as if kept in
  ** it. The file is the pack's, the same for all. */
  va_start(ap, fmt);
  cdg_error_setv(&e, CDG_ERR_PACK, NULL, pointer, fmt, ap);
  va_end(ap);
  if (cdg_grow_raw(&o->note, o->nnote, &o->capnote, sizeof *o->note) < 0) {
    L->nomem = 1;
    return;
  }
  o->note[o->nnote] = o->pool.len;
  cdg_buf_put(&o->pool, e.pointer, strlen(e.pointer) + 1);
  cdg_buf_put(&o->pool, e.message, strlen(e.message) + 1);
  if (o->pool.failed) {
    L->nomem = 1;
    return;
  }
  o->nnote++;
}

/* Where the value at pointer p starts in the pack's text, when p names a
** condition (/questions/N/enable_when, /rules/N/when) the pack keeps as
** its span of that text; else SIZE_MAX, and the pointer is looked for. */
static size_t S_known(const cdg_pack *pack, const char *p) {
  static const char *const lists[] = {"/questions/", "/rules/"};
  static const char *const conds[] = {"/enable_when", "/when"};
  size_t k, n = 0, len;
  const char *s = NULL;

  for (k = 0; k < 2; k++)
    if (strncmp(p, lists[k], len = strlen(lists[k])) == 0)
      break;
  if (k == 2 || p[len] < '0' || p[len] > '9' ||
      (p[len] == '0' && p[len + 1] >= '0' && p[len + 1] <= '9'))
    return SIZE_MAX;
  for (p += len; *p >= '0' && *p <= '9' && n < SIZE_MAX / 10; p++)
    n = 10 * n + (size_t)(*p - '0');
  if (strcmp(p, conds[k]) != 0)
    return SIZE_MAX;
  if (k == 0 && n < pack->nquestions)
    s = pack->questions[n].enable_when.s;
  else if (k == 1 && n < pack->nrules)
    s = pack->rules[n].when.s;
  /* as integers: a copy is no part of the text's array */
  if (!s || (uintptr_t)s - (uintptr_t)pack->text >= pack->len)
    return SIZE_MAX;
  return (size_t)((uintptr_t)s - (uintptr_t)pack->text);
}

/* The findings as records, with the line:col of each, found in about one
** pass over the text (one scan per finding would make a large pack's
** check quadratic); the notes are freed. 0, or -1 when out of memory. */
static int S_findings(const cdg_pack *pack, cdg_lint *o) {
  size_t n = o->nnote, n1 = n ? n : 1, i;
  const char **ptr = cdg_malloc(n1 * sizeof *ptr);
  size_t *at = cdg_malloc(n1 * sizeof *at);
  int *line = cdg_malloc(n1 * sizeof *line);
  int *col = cdg_malloc(n1 * sizeof *col);
  int rc = -1;

  o->f = cdg_calloc(n1, sizeof *o->f);
  if (ptr && at && line && col && o->f) {
    for (i = 0; i < n; i++) {
      const char *p = o->pool.data + o->note[i];

      ptr[i] = p[0] ? p : NULL;
      at[i] = p[0] && pack->text ? S_known(pack, p) : SIZE_MAX;
    }
    rc = pack->text ? json_pointers_linecol(pack->text, pack->len, ptr, at,
                                            n, line, col)
                    : 0;
    for (i = 0; rc == 0 && i < n; i++) {
      const char *p = o->pool.data + o->note[i];

      cdg_error_set(&o->f[i].err, CDG_ERR_PACK, pack->file, p, "%s",
                    p + strlen(p) + 1);
      o->f[i].err.line = pack->text ? line[i] : 0;
      o->f[i].err.col = pack->text ? col[i] : 0;
      o->f[i].seq = i;
    }
    o->n = rc == 0 ? n : 0;
  }
  cdg_free(ptr);
  cdg_free(at);
  cdg_free(line);
  cdg_free(col);
  cdg_free(o->note);
  o->note = NULL;
  o->nnote = o->capnote = 0;
  cdg_buf_free(&o->pool);
  return rc;
}

/* By position in the file; findings with no position go last. */
static int S_finding_cmp(const void *pa, const void *pb) {
  const lint_finding *a = pa, *b = pb;
  long la = a->err.line > 0 ? a->err.line : 0x7fffffffL;
  long lb = b->err.line > 0 ? b->err.line : 0x7fffffffL;

  if (la != lb)
    return la < lb ? -1 : 1;
  if (a->err.col != b->err.col)
    return a->err.col < b->err.col ? -1 : 1;
  return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* ---- Condition trees -------------------------------------------------- */

/* The scratch store is renewed past this many bytes: the trees of a few
** conditions at a time, whatever the size of the pack. */
#define S_TREES (256 * 1024)

const cJSON *lint_cond_tree(lint_ctx *L, pack_text t) {
  const cJSON *tree;

  if (!t.s)
    return NULL;
  if (L->trees && json_store_bytes(L->trees) > S_TREES) {
    json_store_free(L->trees);
    L->trees = NULL;
  }
  if ((!L->trees && !(L->trees = json_store_create())) ||
      pack_cond_tree(t, L->trees, &tree) != CDG_OK) {
    L->nomem = 1;
    return NULL;
  }
  return tree;
}

const char *lint_keep_str(lint_ctx *L, const char *s) {
  const char *c = NULL;

  if (L->keep || (L->keep = json_store_create()))
    c = json_store_strdup(L->keep, s);
  if (!c)
    L->nomem = 1;
  return c;
}

/* ---- Driver ----------------------------------------------------------- */

static const char *S_passage(const void *ps, size_t i) {
  return cdg_passage_id(ps, i);
}

static int S_run(lint_ctx *L, const cdg_passages *ps, int enumerate) {
  const cdg_pack *pack = L->pack;
  size_t nq = pack->nquestions, nr = pack->nrules, i;
  size_t n1 = nq ? nq : 1, r1 = nr ? nr : 1;

  if (pack_index_init(&L->pids, ps ? cdg_passages_count(ps) : 0, S_passage,
                      ps) < 0)
    return -1;
  L->ps = ps;
  L->have_ps = ps != NULL;
  for (i = 0; ps && i < cdg_passages_count(ps); i++)
    (void)pack_index_put(&L->pids, i, cdg_hash(cdg_passage_id(ps, i)));
  L->q = cdg_calloc(n1, sizeof *L->q);
  L->erstart = cdg_calloc(nq + 1, sizeof *L->erstart);
  L->rrstart = cdg_calloc(nr + 1, sizeof *L->rrstart);
  L->eopaque = cdg_calloc(n1, 1);
  L->ropaque = cdg_calloc(r1, 1);
  L->einexact = cdg_calloc(n1, 1);
  L->rinexact = cdg_calloc(r1, 1);
  if (!L->q || !L->erstart || !L->rrstart || !L->eopaque || !L->ropaque ||
      !L->einexact || !L->rinexact)
    return -1;
  for (i = 0; i < nq; i++)
    L->q[i].uf = i;
  if (lint_static_run(L) < 0)
    return -1;
  if (enumerate) {
    if (lint_enum_run(L) < 0)
      return -1;
  } else {
    /* Packs of small independent groups are decided exactly, fastest, by
    ** enumerating each; the rest, and citation properties, which only the
    ** symbolic checker states, go to the SAT solver. */
    int t = L->prop_id ? 0 : lint_enum_try(L, lint_probe());
    if (t < 0 || (t == 0 && lint_sym_run(L) < 0))
      return -1;
  }
  return L->nomem ? -1 : 0;
}

static cdg_status S_lint(const cdg_pack *pack, const cdg_passages *ps,
                         int enumerate, const lint_ctx *prop,
                         cdg_lint **out) {
  lint_ctx L;
  size_t i;
  int rc;

  *out = NULL;
  memset(&L, 0, sizeof L);
  if (prop) {
    L.prop_id = prop->prop_id;
    L.prop_passages = prop->prop_passages;
    L.prop_n = prop->prop_n;
    L.prop_iff = prop->prop_iff;
    L.prop_expr = prop->prop_expr;
  }
  L.pack = pack;
  L.out = cdg_calloc(1, sizeof *L.out);
  if (!L.out)
    return CDG_ERR_NOMEM;
  L.out->paths = 1;  /* a pack with no questions has the empty path */
  L.out->enumerated = enumerate;
  rc = S_run(&L, ps, enumerate);
  if (L.q)
    for (i = 0; i < pack->nquestions; i++) {
      cdg_free(L.q[i].num);
      cdg_free(L.q[i].str);
      while (L.q[i].nown > 0)
        cdg_free(L.q[i].own[--L.q[i].nown]);
      cdg_free(L.q[i].own);
    }
  cdg_free(L.q);
  cdg_free(L.reads);
  cdg_free(L.ereads);
  cdg_free(L.erstart);
  cdg_free(L.rreads);
  cdg_free(L.rrstart);
  cdg_free(L.eopaque);
  cdg_free(L.ropaque);
  cdg_free(L.einexact);
  cdg_free(L.rinexact);
  pack_index_free(&L.pids);
  json_store_free(L.trees);
  json_store_free(L.keep);
  if (rc < 0 || L.nomem || S_findings(pack, L.out) < 0) {
    cdg_lint_free(L.out);
    return CDG_ERR_NOMEM;
  }
  if (L.out->n > 1)
    qsort(L.out->f, L.out->n, sizeof *L.out->f, S_finding_cmp);
  *out = L.out;
  return CDG_OK;
}

cdg_status cdg_lint_run(const cdg_pack *pack, const cdg_passages *ps,
                        cdg_lint **out) {
  return S_lint(pack, ps, 0, NULL, out);
}

cdg_status cdg_lint_check_cites(const cdg_pack *pack, const cdg_passages *ps,
                                const char *id, const char *const *passages,
                                size_t n, const char *iff,
                                cdg_lint **out, cdg_error *err) {
  cJSON *tree;
  logic_expr *e = NULL;
  lint_ctx prop;
  cdg_status st;

  *out = NULL;
  cdg_error_clear(err);
  if ((st = json_parse(iff, strlen(iff), "iff", &tree, err)) != CDG_OK)
    return st;
  if ((st = logic_compile_ref(tree, &e, err)) != CDG_OK) {
    cJSON_Delete(tree);
    return st;
  }
  memset(&prop, 0, sizeof prop);
  prop.prop_id = id;
  prop.prop_passages = passages;
  prop.prop_n = n;
  prop.prop_iff = tree;
  prop.prop_expr = e;
  st = S_lint(pack, ps, 0, &prop, out);
  logic_free(e);
  cJSON_Delete(tree);
  return st;
}

cdg_status cdg_lint_enumerate(const cdg_pack *pack, const cdg_passages *ps,
                              cdg_lint **out) {
  return S_lint(pack, ps, 1, NULL, out);
}

void cdg_lint_free(cdg_lint *l) {
  if (!l)
    return;
  cdg_free(l->f);
  cdg_free(l->note);
  cdg_buf_free(&l->pool);
  cdg_free(l);
}

size_t cdg_lint_count(const cdg_lint *l) { return l ? l->n : 0; }

const cdg_error *cdg_lint_error(const cdg_lint *l, size_t i) {
  return l && i < l->n ? &l->f[i].err : NULL;
}

unsigned long long cdg_lint_paths(const cdg_lint *l) {
  return l ? l->paths : 0;
}

int cdg_lint_enumerated(const cdg_lint *l) { return l ? l->enumerated : 0; }

size_t cdg_lint_proved(const cdg_lint *l) { return l ? l->nproved : 0; }

/* JSON string of s for an example path, by the library's escaper, one
** character at a time so as to stop at a whole one once the string is
** CDG_LINT_EXAMPLE_MAX bytes long. */
size_t lint_json_str(char *buf, size_t n, const char *s) {
  size_t start = n, len = strlen(s), i = 0, k, e;

  buf[n++] = '"';
  while (i < len && n - start < CDG_LINT_EXAMPLE_MAX) {
    e = cdg_json_escape_char(s + i, len - i, CDG_JSON_ESC_SAFE, &k, buf + n);
    if (e == 0) {
      memcpy(buf + n, s + i, k);
      e = k;
    }
    n += e;
    i += k;
  }
  buf[n++] = '"';
  return n;
}

int lint_example_put(char *out, size_t *n, const char *one, size_t k) {
  if (*n + 1 + k + 1 > CDG_LINT_EXAMPLE_MAX) {
    memcpy(out + *n, *n > 1 ? ",..." : "...", *n > 1 ? 4 : 3);
    *n += *n > 1 ? 4 : 3;
    return 1;
  }
  if (*n > 1)
    out[(*n)++] = ',';
  memcpy(out + *n, one, k);
  *n += k;
  return 0;
}
