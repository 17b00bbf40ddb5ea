/* sm_fplot_rob.c -- risk-of-bias judgements beside a forest (sm_fplot.h):
 * the review's tool and domains, and the levels of each study row, found
 * by the row's study id.  Only the results are read. */
#include "sm_fplot.h"

#include "sm_buf.h"
#include "sm_rob_int.h"

#include <stdlib.h>
#include <string.h>

static int is_study_row(const struct sm_frow *r)
{
	return r->kind == SM_ROW_STUDY || r->kind == SM_ROW_EXCLUDED;
}

/* The judgements ordered by study id (ties in document order), so that
 * each row finds its study's first judgement in O(log n). */
struct index {
	const struct sm_res_rob_judgment **by_id;
	size_t n;
};

static int cmp_judgment(const void *x, const void *y)
{
	const struct sm_res_rob_judgment *a = *(const struct sm_res_rob_judgment *const *)x;
	const struct sm_res_rob_judgment *b = *(const struct sm_res_rob_judgment *const *)y;
	int c = strcmp(a->study, b->study);
	return c ? c : (a > b) - (a < b);
}

static int index_build(struct index *ix, const struct sm_res_rob *rob)
{
	size_t n = rob->judgments.n;
	ix->by_id = sm_alloc_array(n ? n : 1, sizeof *ix->by_id);
	if (!ix->by_id)
		return -1;
	ix->n = 0;
	for (size_t i = 0; i < n; i++)
		if (rob->judgments.v[i].study) /* one without a study matches none */
			ix->by_id[ix->n++] = &rob->judgments.v[i];
	qsort(ix->by_id, ix->n, sizeof *ix->by_id, cmp_judgment);
	return 0;
}

/* The first judgement of study `id`, or NULL. */
static const struct sm_res_rob_judgment *judgment_of(const struct index *ix, const char *id)
{
	if (!id)
		return NULL;
	size_t lo = 0, hi = ix->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(ix->by_id[mid]->study, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ix->n && !strcmp(ix->by_id[lo]->study, id) ? ix->by_id[lo] : NULL;
}

/* Column heads D1..Dn (and Overall when any study has an overall
 * judgement, as the traffic-light plot does) with the domains' names. */
static sm_status columns(struct sm_ctx *ctx, struct sm_fplot *p, const struct sm_res_rob *rob,
			 int *ndom)
{
	int nd = (int)rob->domains.n, overall = 0;
	if (!rob->tool || nd == 0)
		return SM_FAIL(ctx, SM_EINPUT, "risk of bias without a tool, domains or "
			       "judgements; expected them in the review file");
	for (size_t i = 0; i < rob->judgments.n; i++)
		overall |= rob->judgments.v[i].overall != NULL;
	int n = nd + overall;
	p->rob_head = sm_alloc_array((size_t)n, sizeof *p->rob_head);
	p->rob_key = sm_alloc_array((size_t)n, sizeof *p->rob_key);
	p->rob_tool = strdup(rob->tool);
	if (!p->rob_head || !p->rob_key || !p->rob_tool)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	p->nrob = n;
	int failed = 0;
	for (int d = 0; d < nd; d++) {
		const char *v = rob->domains.v[d];
		p->rob_head[d] = sm_asprintf("D%d", d + 1);
		p->rob_key[d] = strdup(v ? v : "?");
		failed |= !p->rob_head[d] || !p->rob_key[d];
	}
	if (overall)
		failed |= !(p->rob_head[nd] = strdup("Overall"));
	*ndom = nd;
	return failed ? SM_FAIL(ctx, SM_EINTERNAL, "out of memory") : SM_OK;
}

static sm_status row_levels(struct sm_ctx *ctx, const struct sm_fplot *p, struct sm_frow *r,
			    const struct sm_res_rob_judgment *j, int nd)
{
	if (!(r->rob = sm_alloc_array((size_t)p->nrob, sizeof *r->rob)))
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	for (int d = 0; d < p->nrob; d++) {
		const char *word = d < nd ? ((size_t)d < j->values.n ? j->values.v[d] : NULL)
					  : j->overall;
		int lv = sm_rob_level_of(p->rob_tool, word);
		if (lv == -2)
			return SM_FAIL(ctx, SM_EINPUT, "risk of bias of '%s': '%s' is not a %s "
				       "judgement; expected a word of the tool's scale",
				       r->study_id, word, p->rob_tool);
		r->rob[d] = lv;
	}
	return SM_OK;
}

sm_status sm_fplot_rob(struct sm_ctx *ctx, struct sm_fplot *p, const struct sm_res *res)
{
	const struct sm_res_rob *rob = &res->review.risk_of_bias;
	if (!rob->present)
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
	struct index ix = { 0 };
	if (s == SM_OK && index_build(&ix, rob) != 0)
		s = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	size_t judged = 0;
	for (size_t i = 0; i < p->nrows && s == SM_OK; i++) {
		struct sm_frow *r = &p->rows[i];
		const struct sm_res_rob_judgment *j =
			is_study_row(r) ? judgment_of(&ix, r->study_id) : NULL;
		if (j) {
			s = row_levels(ctx, p, r, j, nd);
			judged++;
		}
	}
	free(ix.by_id);
	if (s == SM_OK && !judged)
		sm_ctx_warn(ctx, "risk of bias: no study of the forest plot has a judgement; "
			    "its columns stay empty");
	return s;
}
