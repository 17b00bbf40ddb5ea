/* The review's "aggregate_tables": 2x2 comparisons reported only in total
 * (examples/FORMAT.md), and what "reported" says about them and about the
 * analyses ("comparisons", "claims"). */
#include "sm_review_parts.h"
#include "sm_strmap.h"

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
			   size_t index, void *ids_arg)
{
	struct sm_strmap *ids = ids_arg;
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
	size_t first = 0;
	int put = sm_strmap_put(ids, id, index, &first);
	if (put < 0)
		return SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
	if (put == 0) {
		struct sm_jpath k = JV_KEY(p, "id");
		return sm_jv_fail(v, &k, SM_JPOS_VALUE, "id \"%s\" is used by "
				  "aggregate_tables[%zu] too; expected unique ids", id, first);
	}
	return SM_OK;
}

sm_status sm_rv_aggregate_tables(struct sm_jv *v, cJSON *root, const struct sm_jpath *rootp)
{
	struct sm_strmap *ids = sm_strmap_new();
	if (!ids)
		return SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
	sm_status s = sm_jv_each(v, root, "aggregate_tables", rootp, one_table, ids);
	sm_strmap_free(ids);
	if (!s)
		v->r->aggregate_tables =
			cJSON_DetachItemFromObjectCaseSensitive(root, "aggregate_tables");
	return s;
}

/* ---- reported.comparisons and reported.analyses[].claims ---- */

static const char *const comparison_keys[] = { "table", "test", "p", "quote", NULL };

static sm_status comparison(struct sm_jv *v, const cJSON *c, const struct sm_jpath *cp,
			    size_t index, void *arg)
{
	sm_status s;
	(void)index;
	(void)arg;
	const char *table = NULL;
	double pv = NAN;
	if ((s = sm_jv_object(v, c, cp)) || (s = sm_jv_keys(v, c, cp, comparison_keys)) ||
	    (s = sm_jv_string(v, c, "table", cp, 1, &table)) ||
	    (s = sm_jv_enum(v, c, "test", cp, sm_reported_tests, NULL)) ||
	    (s = sm_jv_number(v, c, "p", cp, SM_RULE_FINITE, 0, 1, &pv)) ||
	    (s = sm_jv_text(v, c, "quote", cp, 0)))
		return s;
	if (!cJSON_GetObjectItemCaseSensitive(c, "test")) {
		struct sm_jpath tp = JV_KEY(cp, "test");
		return sm_jv_missing(v, &tp, "expected the test the paper used (or \"not "
				     "stated\")");
	}
	if (!isnan(pv) && !(pv >= 0 && pv <= 1)) {
		struct sm_jpath pp = JV_KEY(cp, "p");
		return sm_jv_bad(v, &pp, "expected a P value between 0 and 1");
	}
	int found = 0;
	const cJSON *t;
	cJSON_ArrayForEach(t, v->r->aggregate_tables) {
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(t, "id");
		found |= cJSON_IsString(id) && !strcmp(id->valuestring, table);
	}
	if (!found) {
		struct sm_jpath tp = JV_KEY(cp, "table");
		return sm_jv_fail(v, &tp, SM_JPOS_VALUE, "no aggregate table \"%s\"; expected "
				  "the id of one of the review's aggregate_tables", table);
	}
	return SM_OK;
}

sm_status sm_rv_comparisons(struct sm_jv *v, const cJSON *rep, const struct sm_jpath *p)
{
	return sm_jv_each(v, rep, "comparisons", p, comparison, NULL);
}

static const char *const claim_keys[] = { "claim", "quote", NULL };

static sm_status claim(struct sm_jv *v, const cJSON *c, const struct sm_jpath *cp, size_t index,
		       void *arg)
{
	sm_status s;
	(void)index;
	(void)arg;
	if ((s = sm_jv_object(v, c, cp)) || (s = sm_jv_keys(v, c, cp, claim_keys)) ||
	    (s = sm_jv_enum(v, c, "claim", cp, sm_reported_claims, NULL)) ||
	    (s = sm_jv_text(v, c, "quote", cp, 0)))
		return s;
	if (!cJSON_GetObjectItemCaseSensitive(c, "claim")) {
		struct sm_jpath tp = JV_KEY(cp, "claim");
		return sm_jv_missing(v, &tp, "expected what the paper claims");
	}
	return SM_OK;
}

sm_status sm_rv_claims(struct sm_jv *v, const cJSON *a, const struct sm_jpath *p)
{
	return sm_jv_each(v, a, "claims", p, claim, NULL);
}
