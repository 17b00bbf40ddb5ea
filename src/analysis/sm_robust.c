#include "sm_robust.h"

#include "sm_buf.h"
#include "sm_stats.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* clubSandwich's matrix_power: eigenvalues at or below 10^-12 count as 0 */
#define CR2_EIGEN_TOL 1e-12

const char *sm_robust_name(enum sm_robust_type t)
{
	return t == SM_ROBUST_CR2 ? "CR2" : "CR1";
}

/* Rows grouped by cluster (a counting sort): rows of cluster c are
 * order[start[c] .. start[c + 1]). */
struct by_cluster {
	size_t *start, *order;
};

static sm_status group_rows(struct sm_ctx *ctx, const struct sm_robust_model *m,
			    struct by_cluster *g)
{
	g->start = calloc(m->n_clusters + 1, sizeof *g->start);
	g->order = sm_alloc_array(m->k ? m->k : 1, sizeof *g->order);
	if (!g->start || !g->order)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	for (size_t i = 0; i < m->k; i++)
		g->start[m->cluster[i] + 1]++;
	for (size_t c = 0; c < m->n_clusters; c++)
		g->start[c + 1] += g->start[c];
	size_t *fill = sm_alloc_array(m->n_clusters ? m->n_clusters : 1, sizeof *fill);
	if (!fill)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	memcpy(fill, g->start, m->n_clusters * sizeof *fill);
	for (size_t i = 0; i < m->k; i++)
		g->order[fill[m->cluster[i]]++] = i;
	free(fill);
	return SM_OK;
}

static void by_cluster_release(struct by_cluster *g)
{
	free(g->start);
	free(g->order);
}

/* Sum of u = V^-1 1 over cluster rows (closed form of the rank-one block)
 * and of u e: 1'W1 and 1'W e of the cluster. */
static void cluster_uw(const struct sm_robust_model *m, const struct by_cluster *g, size_t c,
		       double *sum_u, double *sum_ue)
{
	double W = 0, WE = 0;
	for (size_t p = g->start[c]; p < g->start[c + 1]; p++) {
		size_t i = g->order[p];
		double w = 1 / (m->vi[i] + m->sigma2[1]);
		W += w;
		WE += w * (m->yi[i] - m->b);
	}
	double a = 1 + m->sigma2[0] * W;
	*sum_u = W / a;
	*sum_ue = WE / a;
}

static void finish(struct sm_robust *r, double b, double var, double df, double level)
{
	r->b = b;
	r->se = sqrt(var);
	r->stat = b / r->se;
	r->df = df;
	r->pval = sm_p2_t(r->stat, df);
	double crit = sm_qt_upper((1 - level / 100) / 2, df);
	r->ci_lb = b - crit * r->se;
	r->ci_ub = b + crit * r->se;
}

static sm_status cr1(const struct sm_robust_model *m, const struct by_cluster *g,
		     double level, struct sm_robust *r)
{
	struct sm_ksum A = { 0, 0 }, meat = { 0, 0 };
	for (size_t c = 0; c < m->n_clusters; c++) {
		double su, sue;
		cluster_uw(m, g, c, &su, &sue);
		sm_ksum_add(&A, su);
		sm_ksum_add(&meat, sue * sue);
	}
	double n = (double)m->n_clusters, a = sm_ksum_get(&A);
	double var = sm_ksum_get(&meat) / (a * a) * n / (n - 1);
	finish(r, m->b, var, n - 1, level);
	return SM_OK;
}

/* One cluster of CR2: with Theta its block of V, W = Theta^-1, L the
 * Cholesky factor of Theta and Mu = (sum of 1'W1)^-1, the adjustment is
 * A = L G^-1/2 L' with G = L'(Theta - Mu 11')L, and the cluster's row
 * of the estimating equation is E = 1'W A.  Out: E e (the meat term),
 * E Theta E' and E 1 (the Satterthwaite terms). */
struct cr2_ws {
	gsl_matrix *theta, *L, *C, *T, *G, *Q, *A;
	gsl_vector *x, *lambda, *E;
	gsl_eigen_symmv_workspace *eig;
};

static void cr2_ws_free(struct cr2_ws *w)
{
	gsl_matrix *ms[] = { w->theta, w->L, w->C, w->T, w->G, w->Q, w->A };
	for (size_t i = 0; i < sizeof ms / sizeof ms[0]; i++)
		if (ms[i])
			gsl_matrix_free(ms[i]);
	if (w->x)
		gsl_vector_free(w->x);
	if (w->lambda)
		gsl_vector_free(w->lambda);
	if (w->E)
		gsl_vector_free(w->E);
	if (w->eig)
		gsl_eigen_symmv_free(w->eig);
	memset(w, 0, sizeof *w);
}

static int cr2_ws_alloc(struct cr2_ws *w, size_t n)
{
	memset(w, 0, sizeof *w);
	gsl_matrix **ms[] = { &w->theta, &w->L, &w->C, &w->T, &w->G, &w->Q, &w->A };
	for (size_t i = 0; i < sizeof ms / sizeof ms[0]; i++)
		if (!(*ms[i] = gsl_matrix_alloc(n, n)))
			return -1;
	w->x = gsl_vector_alloc(n);
	w->lambda = gsl_vector_alloc(n);
	w->E = gsl_vector_alloc(n);
	w->eig = gsl_eigen_symmv_alloc(n);
	return w->x && w->lambda && w->E && w->eig ? 0 : -1;
}

static sm_status cr2_cluster(struct sm_ctx *ctx, const struct sm_robust_model *m,
			     const size_t *rows, size_t n, double Mu, double *Ee,
			     double *ETE, double *E1)
{
	struct cr2_ws w;
	sm_status st = SM_OK;
	if (cr2_ws_alloc(&w, n) != 0) {
		cr2_ws_free(&w);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	double ts2 = m->weight_scale * m->weight_scale;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			gsl_matrix_set(w.theta, i, j, m->sigma2[0] +
				       (i == j ? m->vi[rows[i]] + m->sigma2[1] : 0));
	gsl_matrix_memcpy(w.L, w.theta);
	if (gsl_linalg_cholesky_decomp1(w.L) != GSL_SUCCESS) {
		st = SM_FAIL(ctx, SM_EINPUT, "CR2: a cluster's covariance is not positive definite");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			gsl_matrix_set(w.L, i, j, 0);
	/* W1 by solving Theta x = 1 with the factor */
	gsl_vector_set_all(w.x, 1);
	gsl_blas_dtrsv(CblasLower, CblasNoTrans, CblasNonUnit, w.L, w.x);
	gsl_blas_dtrsv(CblasLower, CblasTrans, CblasNonUnit, w.L, w.x);
	gsl_matrix_memcpy(w.C, w.theta);
	gsl_matrix_add_constant(w.C, -Mu);
	gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1, w.C, w.L, 0, w.T);
	gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1, w.L, w.T, 0, w.G);
	if (gsl_eigen_symmv(w.G, w.lambda, w.Q, w.eig) != GSL_SUCCESS) {
		st = SM_FAIL(ctx, SM_EINPUT, "CR2: eigendecomposition failed");
		goto out;
	}
	/* T = Q diag(lambda^-1/2), then G^-1/2 = T Q' (in C) */
	for (size_t j = 0; j < n; j++) {
		double l = gsl_vector_get(w.lambda, j);
		double f = l * ts2 > CR2_EIGEN_TOL ? 1 / sqrt(l) : 0;
		for (size_t i = 0; i < n; i++)
			gsl_matrix_set(w.T, i, j, gsl_matrix_get(w.Q, i, j) * f);
	}
	gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1, w.T, w.Q, 0, w.C);
	/* A = L C L' */
	gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1, w.L, w.C, 0, w.T);
	gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1, w.T, w.L, 0, w.A);
	/* E = (W1)' A */
	gsl_blas_dgemv(CblasTrans, 1, w.A, w.x, 0, w.E);
	double ee = 0, e1 = 0;
	for (size_t i = 0; i < n; i++) {
		double Ei = gsl_vector_get(w.E, i);
		ee += Ei * (m->yi[rows[i]] - m->b);
		e1 += Ei;
	}
	gsl_blas_dgemv(CblasNoTrans, 1, w.theta, w.E, 0, w.x);
	double ete;
	gsl_blas_ddot(w.E, w.x, &ete);
	*Ee = ee;
	*ETE = ete;
	*E1 = e1;
out:
	cr2_ws_free(&w);
	return st;
}

/*
 * CR2 variance (sum_j (E_j e_j)^2) M^2 with M = (1'W1)^-1; Satterthwaite
 * df from clubSandwich's P = diag(g) - h h', g_j = M^2 E_j Theta_j E_j',
 * h_j^2 = M^3 (E_j 1)^2: df = 2 tr(P)^2 / V with V = 2 sum(P^2).
 */
static sm_status cr2(struct sm_ctx *ctx, const struct sm_robust_model *m,
		     const struct by_cluster *g, double level, struct sm_robust *r)
{
	struct sm_ksum A = { 0, 0 };
	for (size_t c = 0; c < m->n_clusters; c++) {
		size_t n = g->start[c + 1] - g->start[c];
		if (n > SM_ROBUST_CR2_MAX_ROWS)
			return SM_FAIL(ctx, SM_EINPUT, "CR2: a cluster has %zu rows, above the limit "
				       "of %d (the adjustment costs the cube of a cluster's rows)",
				       n, SM_ROBUST_CR2_MAX_ROWS);
		double su, sue;
		cluster_uw(m, g, c, &su, &sue);
		sm_ksum_add(&A, su);
	}
	double M = 1 / sm_ksum_get(&A);
	struct sm_ksum meat = { 0, 0 }, sg = { 0, 0 }, sh = { 0, 0 }, sg2 = { 0, 0 },
		       sgh = { 0, 0 };
	for (size_t c = 0; c < m->n_clusters; c++) {
		size_t n = g->start[c + 1] - g->start[c];
		double Ee = 0, ETE = 0, E1 = 0;
		if (n == 0)
			continue;
		sm_status st = cr2_cluster(ctx, m, g->order + g->start[c], n, M, &Ee, &ETE, &E1);
		if (st)
			return st;
		double gj = M * M * ETE, hj = M * M * M * E1 * E1;
		sm_ksum_add(&meat, Ee * Ee);
		sm_ksum_add(&sg, gj);
		sm_ksum_add(&sh, hj);
		sm_ksum_add(&sg2, gj * gj);
		sm_ksum_add(&sgh, gj * hj);
	}
	double tr = sm_ksum_get(&sg) - sm_ksum_get(&sh);
	double h = sm_ksum_get(&sh);
	double ss = sm_ksum_get(&sg2) - 2 * sm_ksum_get(&sgh) + h * h;
	double df = tr * tr / ss;
	if (!(df > 0) || !isfinite(df))
		return SM_FAIL(ctx, SM_EINPUT, "CR2: the Satterthwaite degrees of freedom do not "
			       "exist for these clusters");
	finish(r, m->b, sm_ksum_get(&meat) * M * M, df, level);
	return SM_OK;
}

sm_status sm_robust_fit(struct sm_ctx *ctx, const struct sm_robust_model *m,
			enum sm_robust_type type, double level, struct sm_robust *out)
{
	memset(out, 0, sizeof *out);
	out->type = type;
	out->n_clusters = m->n_clusters;
	if (m->n_clusters < 2)
		return SM_FAIL(ctx, SM_EINPUT, "cluster-robust inference needs at least 2 clusters; "
			       "got %zu", m->n_clusters);
	for (size_t i = 0; i < m->k; i++)
		if (m->cluster[i] >= m->n_clusters)
			return SM_FAIL(ctx, SM_EINTERNAL, "cluster index out of range");
	struct by_cluster g = { NULL, NULL };
	sm_status st = group_rows(ctx, m, &g);
	if (st == SM_OK)
		st = type == SM_ROBUST_CR2 ? cr2(ctx, m, &g, level, out) : cr1(m, &g, level, out);
	by_cluster_release(&g);
	return st;
}
