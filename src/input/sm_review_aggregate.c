/* The review's "aggregate_tables": 2x2 comparisons reported only in total
 * (examples/FORMAT.md), and what "reported" says about them and about the
 * analyses ("comparisons", "claims"). */
#include "sm_review_parts.h"

#include <math.h>
#include <string.h>

static const char *const table_keys[] = { "id", "name", "events_t", "n_t", "events_c", "n_c",
					   "note", NULL };

static sm_status events_within(struct sm_jv *v, const cJSON *t, const struct sm_jpath *p,
			       const char *events, const char *total)
{
	double e = cJSON_GetObjectItemCaseSensitive(t, events)->valuedouble;
	double n = cJSON_GetObjectItemCaseSensitive(t, total)->valuedouble;
	if (e <= n)
		return SM_OK;
	struct sm_jpath k = JV_KEY(p, events);
	return sm_jv_fail(v, &k, SM_JPOS_VALUE, "%.0f events but %s = %.0f; expected at most "
			  "%s events", e, total, n, total);
}

static sm_status one_table(struct sm_jv *v, const cJSON *t, const struct sm_jpath *p,
			   const cJSON *arr, size_t index)
{
	sm_status s;
	const char *id = NULL;
	if ((s = sm_jv_object(v, t, p)) || (s = sm_jv_keys(v, t, p, table_keys)) ||
	    (s = sm_jv_string(v, t, "id", p, 1, &id)) ||
	    (s = sm_jv_string(v, t, "name", p, 1, NULL)) ||
	    (s = sm_jv_number(v, t, "events_t", p, SM_RULE_COUNT, 1, 0, NULL)) ||
	    (s = sm_jv_number(v, t, "n_t", p, SM_RULE_TOTAL, 1, 0, NULL)) ||
	    (s = sm_jv_number(v, t, "events_c", p, SM_RULE_COUNT, 1, 0, NULL)) ||
	    (s = sm_jv_number(v, t, "n_c", p, SM_RULE_TOTAL, 1, 0, NULL)) ||
	    (s = sm_jv_text(v, t, "note", p, 0)) ||
	    (s = events_within(v, t, p, "events_t", "n_t")) ||
	    (s = events_within(v, t, p, "events_c", "n_c")))
		return s;
	size_t j = 0;
	for (const cJSON *o = arr->child; o && j < index; o = o->next, j++) {
		const cJSON *oid = cJSON_GetObjectItemCaseSensitive(o, "id");
		if (cJSON_IsString(oid) && !strcmp(oid->valuestring, id)) {
			struct sm_jpath k = JV_KEY(p, "id");
			return sm_jv_fail(v, &k, SM_JPOS_VALUE, "id \"%s\" is used by "
					  "aggregate_tables[%zu] too; expected unique ids", id, j);
		}
	}
	return SM_OK;
}

sm_status sm_rv_aggregate_tables(struct sm_jv *v, cJSON *root, const struct sm_jpath *rootp)
{
	struct sm_jpath p = JV_KEY(rootp, "aggregate_tables");
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "aggregate_tables");
	sm_status s;
	if (!arr)
		return SM_OK;
	if ((s = sm_jv_array(v, arr, &p)))
		return s;
	size_t i = 0;
	for (const cJSON *t = arr->child; t; t = t->next, i++) {
		struct sm_jpath tp = JV_IDX(&p, i);
		if ((s = one_table(v, t, &tp, arr, i)))
			return s;
	}
	v->r->aggregate_tables = cJSON_DetachItemFromObjectCaseSensitive(root, "aggregate_tables");
	return SM_OK;
}

/* ---- reported.comparisons and reported.analyses[].claims ---- */

static const char *const comparison_keys[] = { "table", "test", "p", "quote", NULL };

sm_status sm_rv_comparisons(struct sm_jv *v, const cJSON *rep, const struct sm_jpath *p)
{
	struct sm_jpath k = JV_KEY(p, "comparisons");
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(rep, "comparisons");
	sm_status s;
	if (!arr)
		return SM_OK;
	if ((s = sm_jv_array(v, arr, &k)))
		return s;
	size_t i = 0;
	for (const cJSON *c = arr->child; c; c = c->next, i++) {
		struct sm_jpath cp = JV_IDX(&k, i);
		const char *table = NULL;
		double pv = NAN;
		if ((s = sm_jv_object(v, c, &cp)) || (s = sm_jv_keys(v, c, &cp, comparison_keys)) ||
		    (s = sm_jv_string(v, c, "table", &cp, 1, &table)) ||
		    (s = sm_jv_enum(v, c, "test", &cp, sm_reported_tests, NULL)) ||
		    (s = sm_jv_number(v, c, "p", &cp, SM_RULE_FINITE, 0, 1, &pv)) ||
		    (s = sm_jv_text(v, c, "quote", &cp, 0)))
			return s;
		if (!cJSON_GetObjectItemCaseSensitive(c, "test")) {
			struct sm_jpath tp = JV_KEY(&cp, "test");
			return sm_jv_missing(v, &tp, "expected the test the paper used (or \"not "
					     "stated\")");
		}
		if (!isnan(pv) && !(pv >= 0 && pv <= 1)) {
			struct sm_jpath pp = JV_KEY(&cp, "p");
			return sm_jv_bad(v, &pp, "expected a P value between 0 and 1");
		}
		int found = 0;
		const cJSON *t;
		cJSON_ArrayForEach(t, v->r->aggregate_tables) {
			const cJSON *id = cJSON_GetObjectItemCaseSensitive(t, "id");
			found |= cJSON_IsString(id) && !strcmp(id->valuestring, table);
		}
		if (!found) {
			struct sm_jpath tp = JV_KEY(&cp, "table");
			return sm_jv_fail(v, &tp, SM_JPOS_VALUE, "no aggregate table \"%s\"; expected "
					  "the id of one of the review's aggregate_tables", table);
		}
	}
	return SM_OK;
}

static const char *const claim_keys[] = { "claim", "quote", NULL };

sm_status sm_rv_claims(struct sm_jv *v, const cJSON *a, const struct sm_jpath *p)
{
	struct sm_jpath k = JV_KEY(p, "claims");
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(a, "claims");
	sm_status s;
	if (!arr)
		return SM_OK;
	if ((s = sm_jv_array(v, arr, &k)))
		return s;
	size_t i = 0;
	for (const cJSON *c = arr->child; c; c = c->next, i++) {
		struct sm_jpath cp = JV_IDX(&k, i);
		if ((s = sm_jv_object(v, c, &cp)) || (s = sm_jv_keys(v, c, &cp, claim_keys)) ||
		    (s = sm_jv_enum(v, c, "claim", &cp, sm_reported_claims, NULL)) ||
		    (s = sm_jv_text(v, c, "quote", &cp, 0)))
			return s;
		if (!cJSON_GetObjectItemCaseSensitive(c, "claim")) {
			struct sm_jpath tp = JV_KEY(&cp, "claim");
			return sm_jv_missing(v, &tp, "expected what the paper claims");
		}
	}
	return SM_OK;
}
