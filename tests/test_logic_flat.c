/*
** test_logic_flat.c: the compact compiled form (rules/logic_int.h): what a
** rule costs after folding, and a frame's memory of data keys by address.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "logic_slots.h"

static logic_expr *S_compile(logic_slots *s, const char *text) {
  cJSON *r = cJSON_Parse(text);
  logic_expr *e = NULL;
  cdg_error err;

  assert_non_null(r);
  if (logic_compile_in(r, s, 0, &e, &err) != CDG_OK)
    fail_msg("%s: %s", text, err.message);
  cJSON_Delete(r);
  return e;
}

/* Folding leaves the nodes of the operations it replaced unreachable: the
** rule is moved into an allocation of what is left, so a rule that folds
** to a constant costs what the constant costs. */
static void test_folded_rule_costs_its_constant(void **state) {
  logic_expr *a, *b, *c;

  (void)state;
  a = S_compile(NULL, "{\"+\":[1,{\"*\":[2,3]}]}");
  b = S_compile(NULL, "7");
  c = S_compile(NULL, "{\"+\":[1,{\"*\":[2,{\"var\":\"x\"}]}]}");
  assert_int_equal(logic_size(a), logic_size(b));
  assert_true(logic_size(c) > logic_size(b)); /* 5 nodes, not folded */
  assert_int_equal(logic_test(a, NULL), 1);
  logic_free(a);
  logic_free(b);
  logic_free(c);
}

/* A frame finds a slot by a key's address only while that address still
** holds the slot's name: a key rewritten in place between fills is read
** under its new name. */
static void test_frame_key_address_rechecked(void **state) {
  logic_slots *s = logic_slots_create();
  logic_expr *ea, *eb;
  logic_frame *f;
  cJSON *d = cJSON_Parse("{\"aa\":\"x\"}");

  (void)state;
  assert_non_null(s);
  assert_non_null(d);
  ea = S_compile(s, "{\"==\":[{\"var\":\"aa\"},\"x\"]}");
  eb = S_compile(s, "{\"==\":[{\"var\":\"bb\"},\"x\"]}");
  f = logic_frame_create(s);
  assert_non_null(f);
  assert_int_equal(logic_frame_fill(f, d), CDG_OK);
  assert_int_equal(logic_test_frame(ea, f), 1);
  assert_int_equal(logic_test_frame(eb, f), 0);
  memcpy(d->child->string, "bb", 2); /* same address, another key */
  assert_int_equal(logic_frame_fill(f, d), CDG_OK);
  assert_int_equal(logic_test_frame(ea, f), 0);
  assert_int_equal(logic_test_frame(eb, f), 1);
  memcpy(d->child->string, "cc", 2); /* a key no rule reads */
  assert_int_equal(logic_frame_fill(f, d), CDG_OK);
  assert_int_equal(logic_test_frame(ea, f), 0);
  assert_int_equal(logic_test_frame(eb, f), 0);
  logic_frame_free(f);
  logic_free(ea);
  logic_free(eb);
  logic_slots_free(s);
  cJSON_Delete(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_folded_rule_costs_its_constant),
      cmocka_unit_test(test_frame_key_address_rechecked),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
