/* The optional parts of the review JSON: PRISMA flow, risk of bias,
 * free-form tables and reported results.  Each is checked, then moved
 * from the parsed tree into the review. */
#include "sm_buf.h"
#include "sm_review_parts.h"
#include "sm_robscale.h"
#include "sm_strmap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- PRISMA ---- */

static const char *const prisma_counts[] = {
	"previous_studies", "previous_reports", "records_databases", "records_registers",
	"records_identified", "duplicates_removed", "automation_excluded", "other_removed",
	"records_screened", "records_excluded", "reports_sought", "reports_not_retrieved",
	"reports_assessed", "reports_excluded", "new_studies_included", "new_reports_included",
	"studies_included", "reports_included", NULL
};
static const char *const prisma_keys[] = {
	"template", "previous_studies", "previous_reports", "databases", "registers",
	"records_databases", "records_registers", "records_identified", "duplicates_removed", "automation_excluded", "other_removed",
	"records_screened", "records_excluded", "reports_sought", "reports_not_retrieved",
	"reports_assessed", "reports_excluded", "exclusion_reasons", "other_methods",
	"new_studies_included", "new_reports_included", "studies_included", "reports_included",
	"notes", NULL
};
static const char *const other_keys[] = {
	"sources", "records_identified", "reports_sought", "reports_not_retrieved", "reports_assessed",
	"reports_excluded", "exclusion_reasons", NULL
};
/* other_keys without the list of reasons: the keys that hold one count */
static const char *const other_counts[] = {
	"records_identified", "reports_sought", "reports_not_retrieved", "reports_assessed",
	"reports_excluded", NULL
};
static const char *const templates[] = { "new", "updated", NULL };

static sm_status counts(struct sm_jv *v, const cJSON *obj, const struct sm_jpath *p,
			const char *const *keys)
{
	sm_status s = SM_OK;
	for (size_t i = 0; keys[i] && !s; i++)
		if (cJSON_GetObjectItemCaseSensitive(obj, keys[i]))
			s = sm_jv_number(v, obj, keys[i], p, SM_RULE_COUNT, 0, 1, NULL);
	return s;
}

/* One {"<label>": "text", "n": count} of a list of named counts. */
static sm_status named_count(struct sm_jv *v, const cJSON *e, const struct sm_jpath *ep,
			     size_t index, void *label_arg)
{
	const char *label = label_arg;
	const char *const keys[] = { label, "n", NULL };
	sm_status s;
	(void)index;
	if ((s = sm_jv_object(v, e, ep)) || (s = sm_jv_keys(v, e, ep, keys)) ||
	    (s = sm_jv_string(v, e, label, ep, 1, NULL)) ||
	    (s = sm_jv_number(v, e, "n", ep, SM_RULE_COUNT, 1, 1, NULL)))
		return s;
	return SM_OK;
}

/* [{"<label>": "text", "n": count}, ...] */
static sm_status named_counts(struct sm_jv *v, const cJSON *obj, const char *key,
			      const char *label, const struct sm_jpath *p)
{
	return sm_jv_each(v, obj, key, p, named_count, (void *)label);
}

static sm_status other_methods(struct sm_jv *v, const cJSON *obj, const struct sm_jpath *p)
{
	struct sm_jpath k = JV_KEY(p, "other_methods");
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(obj, "other_methods");
	sm_status s;
	if (!o || cJSON_IsNull(o))
		return SM_OK;
	if ((s = sm_jv_object(v, o, &k)) || (s = sm_jv_keys(v, o, &k, other_keys)) ||
	    (s = counts(v, o, &k, other_counts)) ||
	    (s = named_counts(v, o, "sources", "name", &k)))
		return s;
	return named_counts(v, o, "exclusion_reasons", "reason", &k);
}

sm_status sm_rv_prisma(struct sm_jv *v, cJSON *root, const struct sm_jpath *rootp)
{
	struct sm_jpath p = JV_KEY(rootp, "prisma");
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(root, "prisma");
	sm_status s;
	if (!o)
		return SM_OK;
	if ((s = sm_jv_object(v, o, &p)) || (s = sm_jv_keys(v, o, &p, prisma_keys)) ||
	    (s = sm_jv_enum(v, o, "template", &p, templates, NULL)) ||
	    (s = counts(v, o, &p, prisma_counts)) ||
	    (s = named_counts(v, o, "databases", "name", &p)) ||
	    (s = named_counts(v, o, "registers", "name", &p)) ||
	    (s = named_counts(v, o, "exclusion_reasons", "reason", &p)) ||
	    (s = other_methods(v, o, &p)) || (s = sm_jv_strings(v, o, "notes", &p)))
		return s;
	v->r->prisma = cJSON_DetachItemFromObjectCaseSensitive(root, "prisma");
	return SM_OK;
}

/* ---- risk of bias ---- */

static const char *const rob_keys[] = { "tool", "domains", "judgments", NULL };
static const char *const judgment_keys[] = { "study", "values", "overall", NULL };

/* A judgment value: null (not assessed) or a word of the tool's scale,
 * spelt as the scale spells it. */
static sm_status rob_value(struct sm_jv *v, const cJSON *e, const struct sm_jpath *p,
			   const struct sm_rob_tool *t)
{
	if (cJSON_IsNull(e))
		return SM_OK;
	if (cJSON_IsString(e) && sm_rob_tool_has_word(t, e->valuestring))
		return SM_OK;
	char list[200], expected[260];
	sm_jv_join(list, sizeof list, t->words);
	snprintf(expected, sizeof expected, "not on the %s scale; expected one of %s or null",
		 t->name, list);
	return sm_jv_bad(v, p, expected);
}

static sm_status rob_domains(struct sm_jv *v, cJSON *rob, const struct sm_jpath *p,
			     const struct sm_rob_tool *t, size_t *n)
{
	struct sm_jpath k = JV_KEY(p, "domains");
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(rob, "domains");
	sm_status s;
	if (d) {
		if ((s = sm_jv_strings(v, rob, "domains", p)))
			return s;
		*n = (size_t)cJSON_GetArraySize(d);
		if (*n == 0)
			return sm_jv_bad(v, &k, "no domains; expected at least one");
		return SM_OK;
	}
	/* filled in, so that readers of the tree need not know the tools */
	size_t m = 0;
	while (t->domains[m])
		m++;
	cJSON *arr = cJSON_CreateStringArray(t->domains, (int)m);
	if (!arr || !cJSON_AddItemToObject(rob, "domains", arr)) {
		cJSON_Delete(arr);
		return SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
	}
	*n = m;
	return SM_OK;
}

/* Study ids of the review, and the studies judged so far: both looked up
 * once per judgment, so a long list costs linear time. */
struct rob_maps {
	struct sm_strmap *ids, *seen;
};

static sm_status rob_judgment(struct sm_jv *v, const cJSON *j, const struct sm_jpath *p,
			      const struct sm_rob_tool *t, size_t n_domains,
			      const struct rob_maps *maps, size_t index)
{
	sm_status s;
	if ((s = sm_jv_object(v, j, p)) || (s = sm_jv_keys(v, j, p, judgment_keys)) ||
	    (s = sm_jv_string(v, j, "study", p, 1, NULL)))
		return s;
	struct sm_jpath ks = JV_KEY(p, "study");
	const char *study = cJSON_GetObjectItemCaseSensitive(j, "study")->valuestring;
	size_t first = 0;
	int put = sm_strmap_put(maps->seen, study, index, &first);
	if (!sm_strmap_get(maps->ids, study, NULL))
		s = sm_jv_bad(v, &ks, "unknown study; expected a studies[].id");
	else if (put == 0)
		s = sm_jv_fail(v, &ks, SM_JPOS_VALUE, "second judgment for study \"%s\" (also "
			       "judgments[%zu]); expected one per study", study, first);
	else if (put < 0)
		s = SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
	if (s)
		return s;
	struct sm_jpath kv = JV_KEY(p, "values");
	const cJSON *vals = cJSON_GetObjectItemCaseSensitive(j, "values");
	if (!vals)
		return sm_jv_missing(v, &kv, "expected one judgment per domain");
	if ((s = sm_jv_array(v, vals, &kv)))
		return s;
	size_t n = (size_t)cJSON_GetArraySize(vals);
	if (n != n_domains)
		return sm_jv_fail(v, &kv, SM_JPOS_VALUE, "%zu values for %zu domains; expected "
				  "one value per domain", n, n_domains);
	size_t i = 0;
	for (const cJSON *e = vals->child; e && !s; e = e->next, i++) {
		struct sm_jpath ep = JV_IDX(&kv, i);
		s = rob_value(v, e, &ep, t);
	}
	const cJSON *overall = cJSON_GetObjectItemCaseSensitive(j, "overall");
	struct sm_jpath ko = JV_KEY(p, "overall");
	return s || !overall ? s : rob_value(v, overall, &ko, t);
}

static sm_status rob_judgments(struct sm_jv *v, const cJSON *rob, const struct sm_jpath *p,
			       const struct sm_rob_tool *t, size_t n_domains)
{
	struct sm_jpath k = JV_KEY(p, "judgments");
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(rob, "judgments");
	if (!arr)
		return sm_jv_missing(v, &k, "expected an array of judgments");
	sm_status s = sm_jv_array(v, arr, &k);
	if (s)
		return s;
	struct rob_maps maps = { sm_strmap_new(), sm_strmap_new() };
	if (!maps.ids || !maps.seen)
		s = SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
	for (size_t i = 0; !s && i < v->r->n_studies; i++)
		if (sm_strmap_put(maps.ids, v->r->studies[i].id, i, NULL) < 0)
			s = SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
	size_t i = 0;
	for (const cJSON *e = arr->child; e && !s; e = e->next, i++) {
		struct sm_jpath ep = JV_IDX(&k, i);
		s = rob_judgment(v, e, &ep, t, n_domains, &maps, i);
	}
	sm_strmap_free(maps.ids);
	sm_strmap_free(maps.seen);
	return s;
}

sm_status sm_rv_risk_of_bias(struct sm_jv *v, cJSON *root, const struct sm_jpath *rootp)
{
	struct sm_jpath p = JV_KEY(rootp, "risk_of_bias");
	cJSON *rob = cJSON_GetObjectItemCaseSensitive(root, "risk_of_bias");
	sm_status s;
	const char *tool = NULL;
	if (!rob)
		return SM_OK;
	if ((s = sm_jv_object(v, rob, &p)) || (s = sm_jv_keys(v, rob, &p, rob_keys)))
		return s;
	struct sm_jpath kt = JV_KEY(&p, "tool");
	if (!cJSON_GetObjectItemCaseSensitive(rob, "tool"))
		return sm_jv_missing(v, &kt, "expected RoB1, RoB2 or ROBINS-I");
	if ((s = sm_jv_enum(v, rob, "tool", &p, sm_rob_tool_names, &tool)))
		return s;
	const struct sm_rob_tool *t = sm_rob_tool_named(tool);
	if (!t)
		return SM_FAIL(v->ctx, SM_EINTERNAL, "risk-of-bias tool '%s' has no scale", tool);
	size_t n_domains = 0;
	if ((s = rob_domains(v, rob, &p, t, &n_domains)) ||
	    (s = rob_judgments(v, rob, &p, t, n_domains)))
		return s;
	v->r->risk_of_bias = cJSON_DetachItemFromObjectCaseSensitive(root, "risk_of_bias");
	return SM_OK;
}

/* ---- tables ---- */

static const char *const table_keys[] = { "id", "title", "columns", "rows", "footnote", NULL };

static sm_status table_rows(struct sm_jv *v, const cJSON *t, const struct sm_jpath *p,
			    size_t n_cols)
{
	struct sm_jpath k = JV_KEY(p, "rows");
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(t, "rows");
	sm_status s;
	if (!rows)
		return sm_jv_missing(v, &k, "expected an array of rows");
	if ((s = sm_jv_array(v, rows, &k)))
		return s;
	size_t i = 0;
	for (const cJSON *row = rows->child; row; row = row->next, i++) {
		struct sm_jpath rp = JV_IDX(&k, i);
		if ((s = sm_jv_array(v, row, &rp)))
			return s;
		size_t n = (size_t)cJSON_GetArraySize(row);
		if (n != n_cols)
			return sm_jv_fail(v, &rp, SM_JPOS_VALUE, "row of %zu cells; expected %zu "
					  "as in columns", n, n_cols);
		size_t j = 0;
		for (const cJSON *c = row->child; c; c = c->next, j++) {
			struct sm_jpath cp = JV_IDX(&rp, j);
			int ok = cJSON_IsString(c) || cJSON_IsNull(c) ||
				 (cJSON_IsNumber(c) && isfinite(c->valuedouble));
			if (!ok)
				return sm_jv_bad(v, &cp, "expected a string, a number or null");
		}
	}
	return SM_OK;
}

static sm_status table(struct sm_jv *v, const cJSON *t, const struct sm_jpath *p)
{
	sm_status s;
	struct sm_jpath kc = JV_KEY(p, "columns");
	const cJSON *cols = cJSON_GetObjectItemCaseSensitive(t, "columns");
	if ((s = sm_jv_object(v, t, p)) || (s = sm_jv_keys(v, t, p, table_keys)) ||
	    (s = sm_jv_string(v, t, "id", p, 1, NULL)) ||
	    (s = sm_jv_text(v, t, "title", p, 0)) ||
	    (s = sm_jv_text(v, t, "footnote", p, 0)))
		return s;
	if (!cols)
		return sm_jv_missing(v, &kc, "expected an array of column names");
	if ((s = sm_jv_strings(v, t, "columns", p)))
		return s;
	return table_rows(v, t, p, (size_t)cJSON_GetArraySize(cols));
}

static sm_status table_item(struct sm_jv *v, const cJSON *t, const struct sm_jpath *tp,
			    size_t index, void *arg)
{
	(void)index;
	(void)arg;
	return table(v, t, tp);
}

sm_status sm_rv_tables(struct sm_jv *v, cJSON *root, const struct sm_jpath *rootp)
{
	sm_status s = sm_jv_each(v, root, "tables", rootp, table_item, NULL);
	if (!s)
		v->r->tables = cJSON_DetachItemFromObjectCaseSensitive(root, "tables");
	return s;
}

/* ---- reported results ---- */

static const char *const reported_keys[] = { "analyses", "comparisons", "notes", NULL };
static const char *const analysis_numbers[] = {
	"z", "p", "estimate", "ci_lb", "ci_ub", "Q", "Q_p", "tau2", "I2", "H2", "se",
	"pi_lb", "pi_ub", "rstudent_bound", "begg_p", "egger_p", NULL
};
static const char *const analysis_counts[] = { "k", "studies_stated", NULL };
static const char *const analysis_keys[] = {
	"name", "measure", "method", "note", "k", "studies_stated", "z", "p", "estimate",
	"ci_lb", "ci_ub", "Q", "Q_p", "tau2", "I2", "H2", "se", "pi_lb", "pi_ub",
	"rstudent_bound", "begg_p", "egger_p", "claims", NULL
};

static sm_status analysis(struct sm_jv *v, const cJSON *a, const struct sm_jpath *p,
			  size_t index, void *arg)
{
	sm_status s;
	(void)index;
	(void)arg;
	if ((s = sm_jv_object(v, a, p)) || (s = sm_jv_keys(v, a, p, analysis_keys)) ||
	    (s = sm_jv_string(v, a, "name", p, 1, NULL)) ||
	    (s = sm_jv_string(v, a, "measure", p, 0, NULL)) ||
	    (s = sm_jv_string(v, a, "method", p, 0, NULL)) ||
	    (s = sm_jv_text(v, a, "note", p, 0)) ||
	    (s = counts(v, a, p, analysis_counts)) || (s = sm_rv_claims(v, a, p)))
		return s;
	for (size_t i = 0; analysis_numbers[i]; i++)
		if ((s = sm_jv_number(v, a, analysis_numbers[i], p, SM_RULE_FINITE, 0, 1, NULL)))
			return s;
	return SM_OK;
}

sm_status sm_rv_reported(struct sm_jv *v, cJSON *root, const struct sm_jpath *rootp)
{
	struct sm_jpath p = JV_KEY(rootp, "reported");
	const cJSON *rep = cJSON_GetObjectItemCaseSensitive(root, "reported");
	sm_status s;
	if (!rep)
		return SM_OK;
	if ((s = sm_jv_object(v, rep, &p)) || (s = sm_jv_keys(v, rep, &p, reported_keys)) ||
	    (s = sm_jv_strings(v, rep, "notes", &p)) || (s = sm_rv_comparisons(v, rep, &p)))
		return s;
	if ((s = sm_jv_each(v, rep, "analyses", &p, analysis, NULL)))
		return s;
	v->r->reported = cJSON_DetachItemFromObjectCaseSensitive(root, "reported");
	return SM_OK;
}
