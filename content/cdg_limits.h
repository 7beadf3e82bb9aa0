/*
** cdg_limits.h: every limit of libcdguide and of the cdguide commands,
** each with its reason, in one place (as SQLite's sqliteLimit.h). A limit
** is what the program refuses, or where it stops, on purpose: input past
** one is an error named as such, never a crash or a silent cut, unless
** the comment says the text is cut.
**
** Public: the commands must agree with the library (a question the loader
** accepts must be one the questionnaire can ask).
*/
#ifndef CDG_LIMITS_H
#define CDG_LIMITS_H

/* ---- Input files ------------------------------------------------------ */

/* The largest file read whole (pack, passages, answers, session). A pack
** of 100,000 questions is about 50 MB; the text and its tree are held in
** memory together, at several times the size of the text. The compiled
** JsonLogic form (rules/logic_int.h) keeps string lengths and offsets in
** 32 bits; that is safe only because no input exceeds this bound (1 GiB <
** 4 GiB): raising it past 4 GiB needs wider fields there. */
#define CDG_MAX_FILE_BYTES (1024UL << 20)

/* The deepest JSON nesting read (cJSON allows 1,000). No file of the
** library nests more than a few tens; this keeps every recursive walk of
** a tree (printing, comparing, the linter's pointer stack) well within
** the stack. */
#define CDG_MAX_JSON_DEPTH 256

/* ---- Packs ------------------------------------------------------------ */

/* Options of one single or multi question. No questionnaire needs more;
** answers, reports and the questionnaire look options up by going
** through them, which this keeps quick. The questionnaire offers every
** option, so any question the loader takes can be answered there. */
#define CDG_MAX_OPTIONS 1000

/* ---- Answers ---------------------------------------------------------- */

/* Bytes of a text answer: it ends up verbatim in every report. */
#define CDG_MAX_TEXT_ANSWER 2000

/* Bytes of a value from the input quoted in a message, cut on a character
** boundary and marked "...": a 1 MB code still gives a one-line error. */
#define CDG_MAX_SHOWN 60

/* The earliest year of a date answer: no living patient's treatment is
** older, so an earlier year is a slip of the keyboard ("1024"). */
#define CDG_MIN_DATE_YEAR 1900

/* ---- JsonLogic -------------------------------------------------------- */

/* Nesting of one JsonLogic rule: the evaluator recurses on it. */
#define CDG_MAX_LOGIC_DEPTH 100

/* Node evaluations in one evaluation: map and reduce over big arrays can
** otherwise run for minutes on a pack's condition. */
#define CDG_MAX_LOGIC_STEPS 10000000UL

/* Arena bytes one evaluation may use (strings from cat, arrays from map
** or merge): a condition cannot exhaust memory. */
#define CDG_MAX_LOGIC_BYTES (16UL << 20)

/* ---- Reports ---------------------------------------------------------- */

/* Answers a fired rule reads for which the report works out which made it
** fire: every subset of them is evaluated (2^12 = 4,096 evaluations).
** A rule reading more lists every answer it reads. */
#define CDG_MAX_EXPLAIN 12

/* ---- Linter ----------------------------------------------------------- */

/* Complete answer paths enumerated per component of the pack before the
** linter says the pack is too large to check in full. */
#define CDG_LINT_BUDGET 5000000ULL

/* Complete answer paths per component up to which `cdguide check` decides
** the pack by enumeration, which is fastest for small independent groups;
** a pack with a larger component goes to the symbolic checker. A path
** costs the enumeration about 5,000 instructions: at 10,000 the shipped
** pack (153,664 paths) spent 48M of them before giving up, where the
** symbolic checker proves it all in 7M. */
#define CDG_LINT_PROBE 1000ULL

/* Options of a multi question the linter enumerates (2^24 subsets); a
** multi with more is too large to check. */
#define CDG_LINT_MAX_BITS 24

/* Characters of the example answer path the linter shows. */
#define CDG_LINT_EXAMPLE_MAX 200

/* Memo entries per condition in the linter. */
#define CDG_LINT_MEMO_MAX 4096

/* JSON Pointer tokens the linter keeps: more than CDG_MAX_JSON_DEPTH
** nesting levels plus the JsonLogic operators within. */
#define CDG_LINT_DEPTH 1100

/* ---- Commands --------------------------------------------------------- */

/* Bytes of one line typed at the plain (non-terminal) prompt; a longer
** line is cut into pieces of this size. */
#define CDG_MAX_PROMPT_LINE 65536

/* The narrowest width reports are wrapped to; narrower terminals are
** taken as this, so that a word never wraps letter by letter. */
#define CDG_MIN_WIDTH 20

/* The width used when the output is not a terminal. */
#define CDG_DEFAULT_WIDTH 80

#endif
