/*
** pack_get.c: the accessors of a loaded pack, its questions and its rules
** (cdg_rules.h), over the model of pack.h that pack.c builds.
*/
#include <string.h>

#include "json.h"
#include "pack.h"

/* ---- Accessors -------------------------------------------------------- */

const char *cdg_pack_id(const cdg_pack *pack) { return pack->id; }
const char *cdg_pack_version(const cdg_pack *pack) { return pack->version; }
const char *cdg_pack_title(const cdg_pack *pack) { return pack->title; }
const char *cdg_pack_file(const cdg_pack *pack) { return pack->file; }

const char *cdg_pack_source_title(const cdg_pack *pack) {
  return pack->source_title;
}

const char *cdg_pack_source_publisher(const cdg_pack *pack) {
  return pack->source_publisher;
}

const char *cdg_pack_source_sha256(const cdg_pack *pack) {
  return pack->source_sha256;
}

size_t cdg_pack_question_count(const cdg_pack *pack) {
  return pack->nquestions;
}

const cdg_question *cdg_pack_question(const cdg_pack *pack, size_t i) {
  return i < pack->nquestions ? &pack->questions[i] : NULL;
}

const cdg_question *cdg_pack_find_question(const cdg_pack *pack,
                                           const char *id) {
  long i = pack && id ? pack_index_get(&pack->qindex, id) : -1;

  return i >= 0 ? &pack->questions[i] : NULL;
}

int cdg_pack_reads_version(const cdg_pack *pack, const char *version) {
  size_t i;

  if (strcmp(version, pack->version) == 0)
    return 1;
  for (i = 0; i < pack->nreads; i++)
    if (strcmp(version, pack->reads[i]) == 0)
      return 1;
  return 0;
}

const char *cdg_question_id(const cdg_question *q) { return q->id; }
cdg_qtype cdg_question_type(const cdg_question *q) { return q->type; }
cdg_qformat cdg_question_format(const cdg_question *q) { return q->format; }

const char *cdg_question_type_name(const cdg_question *q) {
  size_t t;

  for (t = 0; t < PACK_NQTYPES; t++)
    if (pack_qtypes[t].type == q->type && pack_qtypes[t].format == q->format)
      return pack_qtypes[t].name;
  return "";  /* not reached: the loader sets only these */
}
const char *cdg_question_text(const cdg_question *q) { return q->text; }
const char *cdg_question_help(const cdg_question *q) { return q->help; }
int cdg_question_required(const cdg_question *q) { return q->required; }
size_t cdg_question_index(const cdg_question *q) { return q->index; }

size_t cdg_question_option_count(const cdg_question *q) {
  return q->noptions;
}

const char *cdg_question_option_code(const cdg_question *q, size_t i) {
  return i < q->noptions ? q->options[i].code : NULL;
}

const char *cdg_question_option_label(const cdg_question *q, size_t i) {
  return i < q->noptions ? q->options[i].label : NULL;
}

int cdg_question_option_exclusive(const cdg_question *q, size_t i) {
  return i < q->noptions && q->options[i].exclusive;
}

/* Linear: questions have a handful of options. */
long cdg_question_find_option(const cdg_question *q, const char *code) {
  size_t i;

  for (i = 0; code && i < q->noptions; i++)
    if (strcmp(q->options[i].code, code) == 0)
      return (long)i;
  return -1;
}

/* Returns 1 for min only, 2 for max only, 3 for both; an absent bound is
** left as 0. */
int cdg_question_range(const cdg_question *q, double *min, double *max) {
  if (min)
    *min = q->min;
  if (max)
    *max = q->max;
  return q->has_range;
}

int cdg_question_conditional(const cdg_question *q) {
  return q->enable_when.s != NULL;
}

char *cdg_question_enable_when_json(const cdg_question *q) {
  json_store *s = json_store_create();
  const cJSON *tree = NULL;
  char *text = NULL;

  if (s && pack_cond_tree(q->enable_when, s, &tree) == CDG_OK && tree)
    text = cJSON_PrintUnformatted(tree);
  json_store_free(s);
  return text;
}

size_t cdg_question_passage_count(const cdg_question *q) {
  return q->npassages;
}

const char *cdg_question_passage(const cdg_question *q, size_t i) {
  return i < q->npassages ? q->passages[i] : NULL;
}

size_t cdg_pack_rule_count(const cdg_pack *pack) { return pack->nrules; }

const char *cdg_rule_id(const cdg_pack *pack, size_t r) {
  return r < pack->nrules ? pack->rules[r].id : NULL;
}

const char *cdg_rule_because(const cdg_pack *pack, size_t r) {
  return r < pack->nrules ? pack->rules[r].because : NULL;
}

size_t cdg_rule_cite_count(const cdg_pack *pack, size_t r) {
  return r < pack->nrules ? pack->rules[r].ncite : 0;
}

const char *cdg_rule_cite(const cdg_pack *pack, size_t r, size_t i) {
  return r < pack->nrules && i < pack->rules[r].ncite ? pack->rules[r].cite[i]
                                                      : NULL;
}
