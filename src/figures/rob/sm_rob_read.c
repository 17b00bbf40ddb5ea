/* What a risk-of-bias figure draws, read from the typed results: the
 * judgements turned into levels with the tool's scale, the study labels of
 * the review, and (weighted summaries) each study's size.  Study ids are
 * looked up in hash maps built once, so a long review costs linear time. */
#include "sm_rob_int.h"

#include "sm_buf.h"
#include "sm_strmap.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void sm_rob_data_release(struct sm_rob_data *d)
{
	free(d->labels);
	free(d->domains);
	free(d->level);
	free(d->weight);
	memset(d, 0, sizeof *d);
}

/* Each study's label (its id when unlabelled, "?" without an id), the
 * first of the review's studies with that id. */
static sm_status labels(struct sm_ctx *ctx, const struct sm_res *res, struct sm_rob_data *d)
{
	const struct sm_res_rob *rob = &res->review.risk_of_bias;
	struct sm_strmap *ids = sm_strmap_new();
	if (!ids)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	sm_status s = SM_OK;
	for (size_t i = 0; i < res->review.studies.n && s == SM_OK; i++) {
		const char *id = res->review.studies.v[i].id;
		if (id && sm_strmap_put(ids, id, i, NULL) < 0)
			s = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	for (int i = 0; i < d->nstudies && s == SM_OK; i++) {
		const char *id = rob->judgments.v[i].study;
		size_t at;
		d->labels[i] = id ? id : "?";
		if (id && sm_strmap_get(ids, id, &at) && res->review.studies.v[at].label)
			d->labels[i] = res->review.studies.v[at].label;
	}
	sm_strmap_free(ids);
	return s;
}

/* A study's size: n1i + n2i (or ni) of its row in an analysis, the
 * largest over the analyses (a count the results list, not an estimate).
 * sizes[] is indexed as the ids were put into `ids`. */
static sm_status sizes(struct sm_ctx *ctx, const struct sm_res *res, struct sm_strmap *ids,
		       double **out)
{
	size_t n = 0, total = 0;
	for (size_t a = 0; a < res->analyses.n; a++)
		total += res->analyses.v[a].studies.n;
	double *best = sm_alloc_array(total ? total : 1, sizeof *best);
	if (!best)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	for (size_t a = 0; a < res->analyses.n; a++)
		for (size_t j = 0; j < res->analyses.v[a].studies.n; j++) {
			const struct sm_res_study *s = &res->analyses.v[a].studies.v[j];
			if (!s->study_id)
				continue;
			size_t at = n;
			int put = sm_strmap_put(ids, s->study_id, n, &at);
			if (put < 0) {
				free(best);
				return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
			}
			if (put == 1)
				best[n++] = NAN;
			double size = isfinite(s->ni) ? s->ni : s->n1i + s->n2i;
			if (isfinite(size) && !(size <= best[at]))
				best[at] = size;
		}
	*out = best;
	return SM_OK;
}

/* Weights for the summary bars: 1 each, or the study's size; never a
 * guessed size: a study without one is left out of the weighted bars. */
static sm_status weights(struct sm_ctx *ctx, const struct sm_res *res,
			 const struct sm_rob_options *o, struct sm_rob_data *d)
{
	for (int i = 0; i < d->nstudies; i++)
		d->weight[i] = 1;
	if (!o->weighted)
		return SM_OK;
	struct sm_strmap *ids = sm_strmap_new();
	double *best = NULL;
	sm_status s = ids ? sizes(ctx, res, ids, &best)
			  : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	for (int i = 0; i < d->nstudies && s == SM_OK; i++) {
		const char *id = res->review.risk_of_bias.judgments.v[i].study;
		size_t at;
		d->weight[i] = id && sm_strmap_get(ids, id, &at) ? best[at] : NAN;
		if (!(d->weight[i] > 0)) {
			d->weight[i] = 0;
			sm_ctx_warn(ctx, "risk of bias: study '%s' has no size in the analyses; "
				    "left out of the weighted summary", id ? id : "?");
		}
	}
	free(best);
	sm_strmap_free(ids);
	return s;
}

static sm_status levels(struct sm_ctx *ctx, const struct sm_res_rob *rob, struct sm_rob_data *d)
{
	int nd = d->ncols - d->overall_shown;
	for (int i = 0; i < d->nstudies; i++) {
		const struct sm_res_rob_judgment *j = &rob->judgments.v[i];
		for (int c = 0; c < d->ncols; c++) {
			const char *word = c < nd ? ((size_t)c < j->values.n ? j->values.v[c] : NULL)
						  : j->overall;
			int lv = sm_rob_level_of(d->tool, word);
			if (lv == SM_ROB_NOT_ON_SCALE)
				return SM_FAIL(ctx, SM_EINPUT, "risk of bias of '%s': '%s' is not a "
					       "%s judgement; expected a word of the tool's scale",
					       j->study ? j->study : "?", word, d->tool);
			d->level[i * d->ncols + c] = (enum sm_rob_level)lv;
		}
	}
	return SM_OK;
}

sm_status sm_rob_read(struct sm_ctx *ctx, const struct sm_res *res,
		      const struct sm_rob_options *o, struct sm_rob_data *d)
{
	memset(d, 0, sizeof *d);
	const struct sm_res_rob *rob = &res->review.risk_of_bias;
	if (!rob->present)
		return SM_FAIL(ctx, SM_EINPUT, "the results hold no risk-of-bias judgements; "
			       "expected 'risk_of_bias' in the review file (see examples/FORMAT.md)");
	d->tool = rob->tool;
	size_t nd = rob->domains.n, ns = rob->judgments.n;
	if (!d->tool || nd == 0 || ns == 0)
		return SM_FAIL(ctx, SM_EINPUT, "risk of bias without a tool, domains or "
			       "judgements; expected them in the review file");
	if (ns > INT_MAX / (nd + 1))
		return SM_FAIL(ctx, SM_EINPUT, "risk of bias of %zu studies in %zu domains is "
			       "too many to draw; expected fewer", ns, nd);
	for (size_t i = 0; i < ns; i++)
		if (o->overall && rob->judgments.v[i].overall)
			d->overall_shown = 1;
	d->nstudies = (int)ns;
	d->ncols = (int)nd + d->overall_shown;
	size_t cells = ns * (size_t)d->ncols;
	d->labels = sm_alloc_array(ns, sizeof *d->labels);
	d->domains = sm_alloc_array((size_t)d->ncols, sizeof *d->domains);
	d->level = sm_alloc_array(cells, sizeof *d->level);
	d->weight = sm_alloc_array(ns, sizeof *d->weight);
	if (!d->labels || !d->domains || !d->level || !d->weight)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	for (size_t c = 0; c < nd; c++)
		d->domains[c] = rob->domains.v[c] ? rob->domains.v[c] : "?";
	if (d->overall_shown)
		d->domains[nd] = "Overall";
	sm_status s = labels(ctx, res, d);
	if (s == SM_OK)
		s = levels(ctx, rob, d);
	if (s == SM_OK)
		s = weights(ctx, res, o, d);
	return s;
}
