#include "sm_subgroup.h"

#include "sm_buf.h"
#include "sm_metareg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static sm_status check_groups(struct sm_ctx *ctx, const size_t *group, size_t k, size_t G)
{
	if (G == 0 || k == 0)
		return SM_FAIL(ctx, SM_EINPUT, "no groups or studies; expected k >= 1, G >= 1");
	for (size_t i = 0; i < k; i++)
		if (group[i] >= G)
			return SM_FAIL(ctx, SM_EINPUT, "study %zu has group %zu; expected < %zu",
				       i + 1, group[i], G);
	return SM_OK;
}

sm_status sm_subgroup_mods(struct sm_ctx *ctx, const double *yi, const double *vi,
			   const size_t *group, size_t k, size_t G,
			   const struct sm_rma_opts *opts, struct sm_rma_mods *out,
			   double *R2)
{
	memset(out, 0, sizeof *out);
	sm_status st = check_groups(ctx, group, k, G);
	if (st)
		return st;
	double *x = sm_alloc_array(k * G, sizeof *x);
	if (!x)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	for (size_t i = 0; i < k; i++) {
		x[i] = 1;
		if (group[i] > 0)
			x[group[i] * k + i] = 1;
	}
	struct sm_design d = {x, k, G};
	st = sm_rma_mods_fit(ctx, &d, yi, vi, opts, out);
	free(x);
	if (st)
		return st;
	if ((st = sm_metareg_R2(ctx, yi, vi, k, opts, out, R2)))
		sm_rma_mods_release(out);
	return st;
}

void sm_subgroup_between_release(struct sm_subgroup_between *b)
{
	if (!b)
		return;
	free(b->k_group);
	free(b->group_b);
	memset(b, 0, sizeof *b);
}

sm_status sm_subgroup_between(struct sm_ctx *ctx, const double *yi, const double *vi,
			      const size_t *group, size_t k, size_t G,
			      const struct sm_rma_opts *opts,
			      struct sm_subgroup_between *out)
{
	memset(out, 0, sizeof *out);
	sm_status st = check_groups(ctx, group, k, G);
	if (st)
		return st;
	out->G = G;
	out->k_group = sm_alloc_array(G, sizeof *out->k_group);
	out->group_b = sm_alloc_array(5 * G, sizeof *out->group_b);
	/* the studies ordered by group (a counting sort: O(k + G)) */
	double *y = sm_alloc_array(2 * k, sizeof *y);
	size_t *start = sm_alloc_array(G + 1, sizeof *start);
	if (!out->k_group || !out->group_b || !y || !start) {
		free(y);
		free(start);
		sm_subgroup_between_release(out);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	out->group_se = out->group_b + G;
	out->group_tau2 = out->group_b + 2 * G;
	out->group_QE = out->group_b + 3 * G;
	double *gv = out->group_b + 4 * G;
	double *v = y + k;
	struct sm_ksum qw = {0, 0};
	for (size_t i = 0; i < k; i++)
		out->k_group[group[i]]++;
	for (size_t g = 0; g < G; g++)
		start[g + 1] = start[g] + out->k_group[g];
	for (size_t i = 0; i < k; i++) {
		size_t at = start[group[i]]++;
		y[at] = yi[i];
		v[at] = vi[i];
	}
	for (size_t g = 0; g < G && !st; g++) {
		size_t n = out->k_group[g];
		size_t from = start[g] - n; /* start[g] has moved to the group's end */
		struct sm_rma_fit f;
		if (n == 0) {
			st = SM_FAIL(ctx, SM_EINPUT, "group %zu has no studies; expected >= 1",
				     g + 1);
			break;
		}
		if ((st = sm_rma_fit(ctx, y + from, v + from, n, opts, &f)))
			break;
		out->group_b[g] = f.b;
		out->group_se[g] = f.se;
		out->group_tau2[g] = f.tau2;
		out->group_QE[g] = f.QE;
		gv[g] = f.se * f.se;
		sm_ksum_add(&qw, f.QE);
	}
	free(y);
	free(start);
	struct sm_rma_opts fe = sm_rma_defaults(SM_FE, SM_TEST_Z);
	struct sm_rma_fit between, total;
	if (!st)
		st = sm_rma_fit(ctx, out->group_b, gv, G, &fe, &between);
	if (!st)
		st = sm_rma_fit(ctx, yi, vi, k, &fe, &total);
	if (st) {
		sm_subgroup_between_release(out);
		return st;
	}
	out->Q = between.QE;
	out->df = between.QE_df;
	out->pval = between.QEp;
	out->b_between = between.b;
	out->Q_total = total.QE;
	out->Q_within_sum = sm_ksum_get(&qw);
	return SM_OK;
}
