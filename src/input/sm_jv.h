/*
 * sm_jv.h -- checking a cJSON tree against the review format, with every
 * error placed at FILE:LINE:COL of the offending value (internal to the
 * review reader; see sm_review_read.h for the public entry points).
 *
 * Messages read "field 'outcomes[3].ai': expected a non-negative integer,
 * got \"abc\"".  Paths are chains of struct sm_jpath on the C stack, so a
 * valid file costs no path formatting at all.
 *
 * Ownership: struct sm_jv borrows everything it points to.  Strings handed
 * out through `const char **out` belong to the review v->r (its string
 * pool) and live as long as it.
 */
#ifndef SM_JV_H
#define SM_JV_H

#include "sm_ctx.h"
#include "sm_json_pos.h"
#include "sm_number.h"
#include "sm_review.h"
#include "sm_review_read.h"

#include <cjson/cJSON.h>

struct sm_jv {
	struct sm_ctx *ctx;
	const char *file; /* review path as given */
	const char *text; /* raw review text (BOM included) */
	size_t len;
	struct sm_review *r;
	const struct sm_load_opts *load; /* NULL: none */
};

/* A path step below parent: JV_KEY(&p, "ai"), JV_IDX(&p, 3). */
#define JV_KEY(parent, k) ((struct sm_jpath){ (parent), (k), 0 })
#define JV_IDX(parent, i) ((struct sm_jpath){ (parent), NULL, (i) })

/* Records SM_EINPUT at the value (or key) p names: "field 'P': MSG".  For
 * the root path the message stands alone.  Returns SM_EINPUT. */
sm_status sm_jv_fail(struct sm_jv *v, const struct sm_jpath *p, enum sm_jpos_what what,
		     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* "field 'P': EXPECTED, got EXCERPT" at the value. */
sm_status sm_jv_bad(struct sm_jv *v, const struct sm_jpath *p, const char *expected);

/* "field 'P': missing required key; EXPECTED" at the enclosing object. */
sm_status sm_jv_missing(struct sm_jv *v, const struct sm_jpath *p, const char *expected);

/* Fails on the first key of obj not in allowed (NULL-terminated list). */
sm_status sm_jv_keys(struct sm_jv *v, const cJSON *obj, const struct sm_jpath *p,
		     const char *const *allowed);

/* Type checks; item must not be NULL. */
sm_status sm_jv_object(struct sm_jv *v, const cJSON *item, const struct sm_jpath *p);
sm_status sm_jv_array(struct sm_jv *v, const cJSON *item, const struct sm_jpath *p);

/* Member `key` of obj as a string of 1..SM_MAX_LABEL_BYTES bytes.  Absent:
 * SM_EINPUT when required, else SM_OK with *out = NULL.  out may be NULL
 * (check only). */
sm_status sm_jv_string(struct sm_jv *v, const cJSON *obj, const char *key,
		       const struct sm_jpath *p, int required, const char **out);

/* As sm_jv_string for free text: up to SM_MAX_TEXT_BYTES, may be empty. */
sm_status sm_jv_text(struct sm_jv *v, const cJSON *obj, const char *key,
		     const struct sm_jpath *p, int required);

/* Member `key` as one of the NULL-terminated names; *out as for
 * sm_jv_string. */
sm_status sm_jv_enum(struct sm_jv *v, const cJSON *obj, const char *key,
		     const struct sm_jpath *p, const char *const *names, const char **out);

/* Member `key` as a number obeying rule.  Absent (or null when nullable):
 * SM_EINPUT when required, else SM_OK with *out = NAN (*out may be NULL). */
sm_status sm_jv_number(struct sm_jv *v, const cJSON *obj, const char *key,
		       const struct sm_jpath *p, enum sm_value_rule rule, int required,
		       int nullable, double *out);

/* What sm_jv_each calls for element `index` of an array, at path p. */
typedef sm_status (*sm_jv_item_fn)(struct sm_jv *v, const cJSON *item, const struct sm_jpath *p,
				   size_t index, void *arg);

/* The optional array obj[key] (obj at path p): absent is SM_OK; anything
 * but an array fails at its position; else each(v, element, path, i, arg)
 * for every element in order, stopping at the first failure. */
sm_status sm_jv_each(struct sm_jv *v, const cJSON *obj, const char *key, const struct sm_jpath *p,
		     sm_jv_item_fn each, void *arg);

/* Member `key`, when present, as a list of strings. */
sm_status sm_jv_strings(struct sm_jv *v, const cJSON *obj, const char *key,
			const struct sm_jpath *p);

/* Joins a NULL-terminated list as "a, b, c" into buf. */
void sm_jv_join(char *buf, size_t size, const char *const *names);

#endif
