/*
** pack_report.c: the pack's optional "report" member, what the writers
** show that depends on the pack: the prior-treatment recap, the review's
** topic and the section that closes every report. Checked against the
** questions, so it is read after them.
*/
#include <string.h>

#include "pack.h"

/* The question named by the string member key of o, which must have type
** t (borrowed from the pack; NULL and CDG_OK when absent and optional). */
static cdg_status S_question_ref(const cdg_pack *p, cdg_error *err,
                                 const pack_obj *o, const char *ptr,
                                 const char *key, int required, cdg_qtype t,
                                 const cdg_question **out) {
  const char *id = NULL;
  char at[PACK_PTR];
  long i;
  cdg_status st = pack_string(p, err, o, ptr, key, required, &id);

  *out = NULL;
  if (st || !id)
    return st;
  pack_ptr_key(at, sizeof at, ptr, key);
  if ((i = pack_index_get(&p->qindex, id)) < 0)
    return pack_error_at(p, err, CDG_ERR_PACK, at, "unknown question \"%s\"",
                         id);
  if (p->questions[i].type != t)
    return pack_error_at(p, err, CDG_ERR_PACK, at,
                         "question \"%s\" must be a %s question", id,
                         pack_qtypes[t].name); /* rows 0-3 are the cdg_qtypes */
  *out = &p->questions[i];
  return CDG_OK;
}

/* An array of question ids at ptr/key into *out (in the arena), each an
** existing question listed once. */
static cdg_status S_question_list(cdg_pack *p, cdg_error *err, const cJSON *arr,
                                  const char *ptr, const char *key,
                                  const cdg_question ***out, size_t *n) {
  const char **ids = NULL;
  char at[PACK_PTR], item[PACK_PTR];
  size_t i, j;
  long q;
  cdg_status st;

  if ((st = pack_string_array(p, err, arr, ptr, key, &ids, n)))
    return st;
  *out = cdg_arena_calloc(p->arena, *n ? *n : 1, sizeof **out);
  if (!*out)
    return pack_nomem(p, err);
  pack_ptr_key(at, sizeof at, ptr, key);
  for (i = 0; i < *n; i++) {
    pack_ptr_index(item, sizeof item, at, i);
    if ((q = pack_index_get(&p->qindex, ids[i])) < 0)
      return pack_error_at(p, err, CDG_ERR_PACK, item,
                           "unknown question \"%s\"", ids[i]);
    for (j = 0; j < i; j++)
      if ((*out)[j] == &p->questions[q])
        return pack_error_at(p, err, CDG_ERR_PACK, item,
                             "question \"%s\" is listed twice", ids[i]);
    (*out)[i] = &p->questions[q];
  }
  return CDG_OK;
}

/* One treatment of the recap: {"code", "outcome"}. Room is left for more
** per-treatment questions (details) as further members. */
static cdg_status S_treatment(cdg_pack *p, cdg_error *err, const cJSON *to,
                              const char *ptr, size_t k) {
  static const char *const keys[] = {"code", "outcome", "details", NULL};
  PACK_KEYS_FIT(keys);
  pack_report *r = &p->report;
  pack_treatment *t = &r->treatment[k];
  const cJSON *v;
  const cdg_question *q = r->treatments;
  const char *code = NULL;
  char at[PACK_PTR];
  size_t i, j;
  pack_obj f;
  cdg_status st;

  if (!cJSON_IsObject(to))
    return pack_error_at(p, err, CDG_ERR_PACK, ptr,
                         "a treatment must be an object");
  if ((st = pack_known_keys(p, err, to, ptr, keys, &f)) ||
      (st = pack_string(p, err, &f, ptr, "code", 1, &code)) ||
      (st = S_question_ref(p, err, &f, ptr, "outcome", 0, CDG_Q_SINGLE,
                           &r->treatment[k].outcome)))
    return st;
  pack_ptr_key(at, sizeof at, ptr, "code");
  for (i = 0; i < q->noptions && strcmp(q->options[i].code, code) != 0; i++)
    ;
  if (i == q->noptions || q->options[i].exclusive)
    return pack_error_at(p, err, CDG_ERR_PACK, at,
                         "\"%s\" is not a treatment of question \"%s\"",
                         code, q->id);
  for (j = 0; j < k; j++)
    if (r->treatment[j].option == i)
      return pack_error_at(p, err, CDG_ERR_PACK, at,
                           "treatment \"%s\" is listed twice", code);
  t->option = i;
  if (!(v = pack_field(&f, "details")))
    return CDG_OK;
  if ((st = S_question_list(p, err, v, ptr, "details", &t->details,
                            &t->ndetails)))
    return st;
  /* The list and the outcome have their own places in every report. */
  for (j = 0; j < t->ndetails; j++)
    if (t->details[j] == q || t->details[j] == t->outcome) {
      pack_ptr_key(at, sizeof at, ptr, "details");
      pack_ptr_index(at, sizeof at, at, j);
      return pack_error_at(p, err, CDG_ERR_PACK, at,
                           "question \"%s\" is the %s, not a detail",
                           t->details[j]->id,
                           t->details[j] == q ? "list of treatments"
                                              : "treatment's outcome");
    }
  return CDG_OK;
}

/* "recap": {"question", "treatments": [...], "not_recorded": [codes]}. */
static cdg_status S_recap(cdg_pack *p, cdg_error *err, const cJSON *ro) {
  static const char *const keys[] = {"question", "treatments",
                                     "not_recorded", NULL};
  PACK_KEYS_FIT(keys);
  static const char ptr[] = "/report/recap";
  pack_report *r = &p->report;
  char at[PACK_PTR], item[PACK_PTR];
  const cJSON *arr, *c;
  size_t i, k = 0;
  pack_obj f;
  cdg_status st;

  if (!cJSON_IsObject(ro))
    return pack_type_error(p, err, "/report", "recap", "an object");
  if ((st = pack_known_keys(p, err, ro, ptr, keys, &f)) ||
      (st = S_question_ref(p, err, &f, ptr, "question", 1, CDG_Q_MULTI,
                           &r->treatments)) ||
      (st = pack_member(p, err, &f, ptr, "treatments", 1, &arr)))
    return st;
  if (!cJSON_IsArray(arr) || !arr->child)
    return pack_type_error(p, err, ptr, "treatments", "a non-empty array");
  r->ntreatments = (size_t)cJSON_GetArraySize(arr);
  r->treatment =
      cdg_arena_calloc(p->arena, r->ntreatments, sizeof *r->treatment);
  if (!r->treatment)
    return pack_nomem(p, err);
  pack_ptr_key(at, sizeof at, ptr, "treatments");
  for (c = arr->child; c; c = c->next, k++) {
    pack_ptr_index(item, sizeof item, at, k);
    if ((st = S_treatment(p, err, c, item, k)))
      return st;
  }
  c = pack_field(&f, "not_recorded");
  if (c && (st = pack_string_array(p, err, c, ptr, "not_recorded",
                                &r->not_recorded, &r->nnot_recorded)))
    return st;
  /* A code no outcome has is a typo that would hide nothing, silently. */
  for (i = 0; i < r->nnot_recorded; i++) {
    for (k = 0; k < r->ntreatments; k++)
      if (r->treatment[k].outcome &&
          cdg_question_find_option(r->treatment[k].outcome,
                                   r->not_recorded[i]) >= 0)
        break;
    if (k == r->ntreatments) {
      pack_ptr_key(at, sizeof at, ptr, "not_recorded");
      pack_ptr_index(item, sizeof item, at, i);
      return pack_error_at(p, err, CDG_ERR_PACK, item,
                           "\"%s\" is not an option of any outcome "
                           "question",
                           r->not_recorded[i]);
    }
  }
  return CDG_OK;
}

/*
** The optional "report" member: what the writers show that depends on
** the pack (the recap, the review's topic, the closing section). Checked
** against the questions, so it comes after them.
*/
cdg_status pack_report_member(cdg_pack *p, cdg_error *err,
                                  const pack_obj *root) {
  static const char *const keys[] = {"recap", "review_topic",
                                     "closing_section", "summary", NULL};
  PACK_KEYS_FIT(keys);
  pack_report *r = &p->report;
  const cJSON *ro = pack_field(root, "report"), *v;
  pack_obj f;
  cdg_status st;

  if (!ro)
    return CDG_OK;
  if (!cJSON_IsObject(ro))
    return pack_type_error(p, err, "", "report", "an object");
  if ((st = pack_known_keys(p, err, ro, "/report", keys, &f)) ||
      (st = pack_string(p, err, &f, "/report", "review_topic", 0,
                     &r->review_topic)) ||
      (st = pack_string(p, err, &f, "/report", "closing_section", 0,
                     &r->closing_section)))
    return st;
  if ((r->review_topic && !r->review_topic[0]) ||
      (r->closing_section && !r->closing_section[0]))
    return pack_type_error(p, err, "/report",
                        r->review_topic && !r->review_topic[0]
                            ? "review_topic"
                            : "closing_section",
                        "a non-empty string");
  if ((v = pack_field(&f, "summary")) &&
      (st = S_question_list(p, err, v, "/report", "summary", &r->summary,
                            &r->nsummary)))
    return st;
  v = pack_field(&f, "recap");
  return v ? S_recap(p, err, v) : CDG_OK;
}
