#include "sm_analysis_data.h"

#include "sm_buf.h"

#include <math.h>
#include <stdlib.h>

void sm_analysis_data_free(struct sm_analysis_data *d)
{
	if (!d)
		return;
	free(d->rows);
	free(d->ai);
	free(d->n1i);
	free(d->ci);
	free(d->n2i);
	free(d->xi);
	free(d->ni);
	free(d->esc);
	free(d->idx);
	free(d->yi);
	free(d->vi);
	free(d->cluster);
	free(d->cluster_label);
	free(d);
}

static int alloc_arrays(struct sm_analysis_data *d, size_t n)
{
	d->rows = sm_alloc_array(n, sizeof *d->rows);
	d->ai = sm_alloc_array(n, sizeof(double));
	d->n1i = sm_alloc_array(n, sizeof(double));
	d->ci = sm_alloc_array(n, sizeof(double));
	d->n2i = sm_alloc_array(n, sizeof(double));
	d->xi = sm_alloc_array(n, sizeof(double));
	d->ni = sm_alloc_array(n, sizeof(double));
	d->esc = sm_alloc_array(n, sizeof *d->esc);
	d->idx = sm_alloc_array(n, sizeof *d->idx);
	d->yi = sm_alloc_array(n, sizeof(double));
	d->vi = sm_alloc_array(n, sizeof(double));
	return d->rows && d->ai && d->n1i && d->ci && d->n2i && d->xi && d->ni && d->esc &&
	       d->idx && d->yi && d->vi;
}

static sm_status compute_effects(struct sm_ctx *ctx, const struct sm_review *review,
				 struct sm_analysis_data *d, const struct sm_run_settings *s)
{
	switch (review->kind) {
	case SM_KIND_2X2:
		return sm_escalc_2x2(ctx, d->ai, d->n1i, d->ci, d->n2i, d->n, &s->esc, d->esc);
	case SM_KIND_PROP:
		return sm_escalc_prop(ctx, d->xi, d->ni, d->n, &s->esc, d->esc);
	case SM_KIND_GENERIC:
		for (size_t i = 0; i < d->n; i++) {
			d->esc[i] = (struct sm_escalc_row){ .yi = d->rows[i]->yi,
							    .vi = d->rows[i]->vi };
		}
		return SM_OK;
	case SM_KIND_NONE:
		break;
	}
	return SM_FAIL(ctx, SM_EINPUT, "the review has no per-study data to analyse");
}

struct sm_analysis_data *sm_analysis_data_new(struct sm_ctx *ctx, const struct sm_review *review,
					      const char *name,
					      const struct sm_outcome **rows, size_t n,
					      const struct sm_run_settings *settings)
{
	struct sm_analysis_data *d = calloc(1, sizeof *d);
	if (!d || !alloc_arrays(d, n)) {
		sm_analysis_data_free(d);
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	d->name = name;
	d->n = n;
	for (size_t i = 0; i < n; i++) {
		const struct sm_outcome *o = rows[i];
		d->rows[i] = o;
		d->ai[i] = o->ai;
		d->n1i[i] = o->n1i;
		d->ci[i] = o->ci;
		d->n2i[i] = o->n2i;
		d->xi[i] = o->xi;
		d->ni[i] = o->ni;
	}
	if (compute_effects(ctx, review, d, settings) != SM_OK) {
		sm_analysis_data_free(d);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		if (isfinite(d->esc[i].yi) && isfinite(d->esc[i].vi) && d->esc[i].vi > 0) {
			d->idx[d->k] = i;
			d->yi[d->k] = d->esc[i].yi;
			d->vi[d->k] = d->esc[i].vi;
			d->k++;
		}
	}
	return d;
}
