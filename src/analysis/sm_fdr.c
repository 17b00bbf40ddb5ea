#include "sm_fdr.h"

#include "sm_buf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct item {
	double p;
	size_t i;
};

/* Decreasing P; ties by index so that the order is deterministic. */
static int cmp_desc(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	if (x->p != y->p)
		return x->p > y->p ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

sm_status sm_bh_adjust(struct sm_ctx *ctx, const double *p, size_t n, double *out)
{
	struct item *it = sm_alloc_array(n ? n : 1, sizeof *it);
	if (!it)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		out[i] = NAN;
		if (!isnan(p[i]))
			it[m++] = (struct item){ p[i], i };
	}
	qsort(it, m, sizeof *it, cmp_desc);
	double run = INFINITY;
	for (size_t r = 0; r < m; r++) {
		double rank = (double)(m - r); /* rank in increasing order */
		run = fmin(run, (double)m / rank * it[r].p);
		out[it[r].i] = fmin(1, run);
	}
	free(it);
	return SM_OK;
}

void sm_dfdr_release(struct sm_dfdr *d)
{
	free(d->group_p);
	free(d->group_adj);
	free(d->group_flag);
	free(d->term_adj);
	free(d->term_flag);
	memset(d, 0, sizeof *d);
}

/* Terms ordered by group (counting sort): start[g] .. start[g + 1]. */
static sm_status by_group(struct sm_ctx *ctx, const size_t *group, size_t n, size_t ng,
			  size_t **start, size_t **order)
{
	*start = calloc(ng + 1, sizeof **start);
	*order = sm_alloc_array(n ? n : 1, sizeof **order);
	if (!*start || !*order)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	for (size_t i = 0; i < n; i++)
		(*start)[group[i] + 1]++;
	for (size_t g = 0; g < ng; g++)
		(*start)[g + 1] += (*start)[g];
	size_t *fill = sm_alloc_array(ng ? ng : 1, sizeof *fill);
	if (!fill)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	memcpy(fill, *start, ng * sizeof *fill);
	for (size_t i = 0; i < n; i++)
		(*order)[fill[group[i]]++] = i;
	free(fill);
	return SM_OK;
}

sm_status sm_dfdr_run(struct sm_ctx *ctx, const double *p, const size_t *group, size_t n,
		      size_t n_groups, double alpha1, double alpha2, struct sm_dfdr *out)
{
	memset(out, 0, sizeof *out);
	out->n_groups = n_groups;
	out->n = n;
	size_t *start = NULL, *order = NULL;
	double *gp = sm_alloc_array(n ? n : 1, sizeof *gp), *ga = sm_alloc_array(n ? n : 1, sizeof *ga);
	out->group_p = sm_alloc_array(n_groups ? n_groups : 1, sizeof *out->group_p);
	out->group_adj = sm_alloc_array(n_groups ? n_groups : 1, sizeof *out->group_adj);
	out->group_flag = sm_alloc_array(n_groups ? n_groups : 1, sizeof *out->group_flag);
	out->term_adj = sm_alloc_array(n ? n : 1, sizeof *out->term_adj);
	out->term_flag = sm_alloc_array(n ? n : 1, sizeof *out->term_flag);
	sm_status st = gp && ga && out->group_p && out->group_adj && out->group_flag &&
		       out->term_adj && out->term_flag
		       ? by_group(ctx, group, n, n_groups, &start, &order)
		       : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	for (size_t g = 0; st == SM_OK && g < n_groups; g++) {
		size_t m = start[g + 1] - start[g];
		for (size_t j = 0; j < m; j++)
			gp[j] = p[order[start[g] + j]];
		st = sm_bh_adjust(ctx, gp, m, ga);
		double best = NAN;
		for (size_t j = 0; st == SM_OK && j < m; j++) {
			out->term_adj[order[start[g] + j]] = ga[j];
			if (!isnan(ga[j]) && !(ga[j] >= best))
				best = ga[j];
		}
		out->group_p[g] = best;
	}
	if (st == SM_OK)
		st = sm_bh_adjust(ctx, out->group_p, n_groups, out->group_adj);
	for (size_t g = 0; st == SM_OK && g < n_groups; g++)
		out->group_flag[g] = !isnan(out->group_adj[g]) && out->group_adj[g] <= alpha1;
	for (size_t i = 0; st == SM_OK && i < n; i++)
		out->term_flag[i] = out->group_flag[group[i]] && !isnan(out->term_adj[i]) &&
				    out->term_adj[i] <= alpha2;
	free(start);
	free(order);
	free(gp);
	free(ga);
	if (st != SM_OK)
		sm_dfdr_release(out);
	return st;
}
