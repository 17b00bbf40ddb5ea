/* sm_fplot_rob.c -- risk-of-bias judgements beside a forest (sm_fplot.h):
 * the review's tool and domains, and the levels of each study row, found
 * by the row's study id.  Only the results document is read. */
#include "sm_fplot.h"

#include "sm_buf.h"
#include "sm_rob_int.h"

#include <stdlib.h>
#include <string.h>

static const cJSON *get(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static const char *jstr(const cJSON *o, const char *key)
{
	const cJSON *v = get(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int is_study_row(const struct sm_frow *r)
{
	return r->kind == SM_ROW_STUDY || r->kind == SM_ROW_EXCLUDED;
}

/* The first judgement of study `id`, or NULL. */
static const cJSON *judgement_of(const cJSON *js, const char *id)
{
	const cJSON *j;
	cJSON_ArrayForEach(j, js) {
		const char *sid = jstr(j, "study");
		if (sid && id && !strcmp(sid, id))
			return j;
	}
	return NULL;
}

/* Column heads D1..Dn (and Overall when any study has an overall
 * judgement, as the traffic-light plot does) with the domains' names. */
static sm_status columns(struct sm_ctx *ctx, struct sm_fplot *p, const cJSON *rob, int *ndom)
{
	const cJSON *doms = get(rob, "domains"), *js = get(rob, "judgments"), *j;
	const char *tool = jstr(rob, "tool");
	int nd = cJSON_GetArraySize(doms), overall = 0;
	if (!tool || nd == 0 || !cJSON_IsArray(js))
		return SM_FAIL(ctx, SM_EINPUT, "risk of bias without a tool, domains or "
			       "judgements; expected them in the review file");
	cJSON_ArrayForEach(j, js)
		overall |= cJSON_IsString(get(j, "overall"));
	int n = nd + overall;
	p->rob_head = sm_alloc_array((size_t)n, sizeof *p->rob_head);
	p->rob_key = sm_alloc_array((size_t)n, sizeof *p->rob_key);
	p->rob_tool = strdup(tool);
	if (!p->rob_head || !p->rob_key || !p->rob_tool)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	p->nrob = n;
	int failed = 0;
	for (int d = 0; d < nd; d++) {
		const cJSON *v = cJSON_GetArrayItem(doms, d);
		p->rob_head[d] = sm_asprintf("D%d", d + 1);
		p->rob_key[d] = strdup(cJSON_IsString(v) ? v->valuestring : "?");
		failed |= !p->rob_head[d] || !p->rob_key[d];
	}
	if (overall)
		failed |= !(p->rob_head[nd] = strdup("Overall"));
	*ndom = nd;
	return failed ? SM_FAIL(ctx, SM_EINTERNAL, "out of memory") : SM_OK;
}

static sm_status row_levels(struct sm_ctx *ctx, const struct sm_fplot *p, struct sm_frow *r,
			    const cJSON *j, int nd)
{
	if (!(r->rob = sm_alloc_array((size_t)p->nrob, sizeof *r->rob)))
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	const cJSON *vals = get(j, "values");
	for (int d = 0; d < p->nrob; d++) {
		const cJSON *v = d < nd ? cJSON_GetArrayItem(vals, d) : get(j, "overall");
		const char *word = cJSON_IsString(v) ? v->valuestring : NULL;
		int lv = sm_rob_level_of(p->rob_tool, word);
		if (lv == -2)
			return SM_FAIL(ctx, SM_EINPUT, "risk of bias of '%s': '%s' is not a %s "
				       "judgement; expected a word of the tool's scale",
				       r->study_id, word, p->rob_tool);
		r->rob[d] = lv;
	}
	return SM_OK;
}

sm_status sm_fplot_rob(struct sm_ctx *ctx, struct sm_fplot *p, const cJSON *results)
{
	const cJSON *rob = get(get(results, "review"), "risk_of_bias");
	if (!cJSON_IsObject(rob))
		return SM_FAIL(ctx, SM_EINPUT, "the results have no risk-of-bias judgments; "
			       "expected review.risk_of_bias");
	size_t studies = 0;
	for (size_t i = 0; i < p->nrows; i++)
		studies += is_study_row(&p->rows[i]);
	if (!studies)
		return SM_FAIL(ctx, SM_EINPUT, "risk-of-bias columns need study rows; expected a "
			       "forest of studies, not the summary forest or --summary-only");
	int nd = 0;
	sm_status s = columns(ctx, p, rob, &nd);
	const cJSON *js = get(rob, "judgments");
	size_t judged = 0;
	for (size_t i = 0; i < p->nrows && s == SM_OK; i++) {
		struct sm_frow *r = &p->rows[i];
		const cJSON *j = is_study_row(r) ? judgement_of(js, r->study_id) : NULL;
		if (j) {
			s = row_levels(ctx, p, r, j, nd);
			judged++;
		}
	}
	if (s == SM_OK && !judged)
		sm_ctx_warn(ctx, "risk of bias: no study of the forest plot has a judgement; "
			    "its columns stay empty");
	return s;
}
