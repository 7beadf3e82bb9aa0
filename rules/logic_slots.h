/*
** logic_slots.h: a typed view of the data for compiled JsonLogic.
**
** Rules compiled together against one logic_slots (logic_compile_in) have
** each top-level var name resolved to a slot, and each string constant
** they compare a slot with interned as a small code of that slot. A
** logic_frame is the per-data side: filled once from a data object (one
** hash probe per member), it holds each slot's value with its code (single
** answer) or bit set of codes (multi answer), so that ==, in and
** some/all/none over a slot are integer and bit tests. Everything else, and
** any value the typed form cannot decide, goes through the general
** evaluator, whose results are json-logic-js's; a frame with the fast path
** off evaluates every rule through it alone (tests compare the two).
**
** Filling and evaluating allocate nothing once the frame exists (the
** frame grows only when rules were compiled into its slots after it was
** made). Private to the library.
*/
#ifndef CDG_LOGIC_SLOTS_H
#define CDG_LOGIC_SLOTS_H

#include <cjson/cJSON.h>

#include "logic.h"

typedef struct logic_slots logic_slots;
typedef struct logic_frame logic_frame;

/* An empty table; NULL when out of memory. Free with logic_slots_free. */
logic_slots *logic_slots_create(void);
void logic_slots_free(logic_slots *s);

/* The number of slots (distinct top-level names) the rules read. */
size_t logic_slots_count(const logic_slots *s);

/*
** As logic_compile (borrow 0) or logic_compile_ref (borrow 1), resolving
** the rule's names into s, which gains slots and codes. With borrow set,
** s may keep pointers into expr: expr must outlive s too. s must outlive
** the result. s NULL: as logic_compile / logic_compile_ref.
*/
cdg_status logic_compile_in(const cJSON *expr, logic_slots *s, int borrow,
                            logic_expr **out, cdg_error *err);

/*
** As logic_compile_in with borrow set, but what the result and s would
** borrow from expr (its strings, constant arrays and object literals) is
** copied into store first: expr may go at once, store must outlive both.
** For the pack, which keeps no condition trees.
*/
typedef struct json_store json_store;
cdg_status logic_compile_into(const cJSON *expr, logic_slots *s,
                              json_store *store, logic_expr **out,
                              cdg_error *err);

/*
** Let a frame know name, a slot's name that outlives s (a pack's question
** id), by its address: a data object whose keys are those very strings
** (the answers, keyed by the pack's question ids) is then typed without
** hashing or comparing its keys. A name no slot has is ignored. 0, or -1
** when out of memory.
*/
int logic_slots_alias(logic_slots *s, const char *name);

/* Give back the room s keeps for more slots and codes (a pack, once
** loaded, compiles no more). */
void logic_slots_trim(logic_slots *s);

/* A frame for the slots of s (which must outlive it), empty; NULL when out
** of memory. Free with logic_frame_free. */
logic_frame *logic_frame_create(const logic_slots *s);
void logic_frame_free(logic_frame *f);

/*
** Point f at data (borrowed; it must outlive the evaluations; NULL is
** null): each member whose key is a slot's name becomes that slot's value,
** typed. CDG_OK, or CDG_ERR_NOMEM when the frame had to grow and could
** not (then every evaluation on f takes the general path).
*/
cdg_status logic_frame_fill(logic_frame *f, const cJSON *data);

/*
** After a member keyed key was added to f's data object (v is that member,
** borrowed), type it as logic_frame_fill would have: for a walker that
** builds its answers one at a time without filling the frame again for
** each. A key no slot has is ignored, as fill ignores it.
*/
void logic_frame_put(logic_frame *f, const char *key, const cJSON *v);

/* Turn the typed path on (the default) or off: off, rules evaluated on f
** go through the general evaluator only. */
void logic_frame_set_fast(logic_frame *f, int on);

/* logic_test and logic_eval on f's data. A rule compiled without f's slots
** is evaluated by the general path, with the same result. */
int logic_test_frame(const logic_expr *e, const logic_frame *f);
cdg_status logic_eval_frame(const logic_expr *e, const logic_frame *f,
                            cJSON **result, cdg_error *err);

/* The bytes e holds (its nodes, constants and copied strings), not
** counting the tree it borrows nor the slots table. */
size_t logic_size(const logic_expr *e);

#endif
