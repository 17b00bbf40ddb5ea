/*
 * sm_res_keys.h -- the key table of the results document: every object,
 * every key with its type, range and meaning, and where it lands in the
 * typed model (sm_res.h).
 *
 * One table serves three ends: the reader (sm_res_read.c) decodes and
 * validates with it, the writer's output is checked against it (every
 * document the analysis writes is read back by the bundle), and the
 * README's "Results JSON" section is generated from it (a test compares
 * them), so the documentation cannot drift from what is written and read.
 *
 * Ownership: static data.
 */
#ifndef SM_RES_KEYS_H
#define SM_RES_KEYS_H

#include <stddef.h>

enum sm_rk_type {
	SM_RK_NUM,   /* double; null/absent = NAN */
	SM_RK_BOOL,  /* int 1/0; null/absent = -1 */
	SM_RK_STR,   /* const char *; null/absent = NULL */
	SM_RK_OBJ,   /* an embedded struct described by `obj` (present = 0 when null/absent) */
	SM_RK_LIST,  /* SM_RES_LIST of `obj` structs */
	SM_RK_STRS,  /* sm_res_strings: strings or nulls */
	SM_RK_NUMS,  /* sm_res_numbers: numbers or nulls */
	SM_RK_PAIR,  /* double[2]: [lower, upper], numbers or nulls */
	SM_RK_BOOL2, /* int[2]: two booleans (or nulls, -1) */
	SM_RK_REF,   /* a pointer to a struct described by `obj`, NULL when null/absent */
	SM_RK_CHARS, /* an object of free-form values: SM_RES_LIST(struct sm_res_char) */
	SM_RK_ROWS,  /* a list of lists of free-form values: SM_RES_LIST(struct sm_res_row) */
	SM_RK_ANY,   /* any JSON value, checked for syntax only (an int at offset: 1 when
		      * present and not null) */
	SM_RK_IGNORE /* any JSON value, not kept (the <key>_infinite siblings) */
};

/* Flags of a key. */
enum {
	SM_RK_NULLABLE = 1 << 0, /* may be null */
	SM_RK_OPTIONAL = 1 << 1, /* may be absent */
	SM_RK_INT = 1 << 2,      /* a whole number */
	SM_RK_NONNEG = 1 << 3,   /* >= 0 */
	SM_RK_PROB = 1 << 4,     /* 0 <= x <= 1 */
	SM_RK_PCT = 1 << 5,      /* 0 <= x <= 100 */
	SM_RK_POS = 1 << 6,      /* > 0 */
	SM_RK_LOOSE = 1 << 7     /* LIST: its objects may leave out required keys
				  * (an empty subgroup: its name and counts only) */
};

struct sm_robj;

struct sm_rkey {
	const char *key;
	enum sm_rk_type type;
	unsigned flags;
	size_t offset;                 /* of the member in the object's struct */
	const struct sm_robj *obj;     /* OBJ, LIST: the object's description */
	const char *const *words;      /* STR: the allowed values (NULL-terminated), or NULL */
	const char *doc;               /* what it holds, for the README */
};

/* The most keys an object may describe (the reader keeps one bit per key;
 * tests/results/test_res.c checks every object against it). */
#define SM_RES_MAX_KEYS 128

struct sm_robj {
	const char *name;              /* for the README ("analysis", "study") */
	size_t size;                   /* of its struct */
	const struct sm_rkey *keys;
	size_t nkeys;
};

/* The document's top-level object. */
extern const struct sm_robj sm_res_doc_schema;

/* The key table as Markdown, one table per object in document order (the
 * README's "Results JSON" section between its generated-by markers);
 * newly allocated, NULL on out of memory. */
char *sm_res_keys_markdown(void);

/* The key of an object by name, or NULL. */
const struct sm_rkey *sm_rkey_find(const struct sm_robj *o, const char *key, size_t len);

#endif
