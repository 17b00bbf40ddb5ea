/*
 * sm_wls.c -- the weighted-least-squares engine of sm_stats.h: solves and
 * the traces of P for a k x p design from p x p cross-products, each in one
 * pass over the rows (several sums side by side), with the sums a scoring
 * step needs kept from the solve that precedes it.
 */
#include "sm_stats.h"

#include "sm_buf.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- weighted least squares ------------------------------------------- */

/* Accumulator jobs per pass: at most 4 cross-product matrices (tr_pdpd)
 * plus X'Wy. */
#define WLS_JOBS 4

static size_t n_pairs(size_t p)
{
	return p * (p + 1) / 2;
}

sm_status sm_wls_init(struct sm_ctx *ctx, struct sm_wls *m, const struct sm_design *d)
{
	memset(m, 0, sizeof *m);
	m->d = *d;
	size_t p = d->p;
	if (p == 0 || (!d->x && p != 1))
		return SM_FAIL(ctx, SM_EINTERNAL, "invalid design; expected p >= 1");
	double *work = sm_alloc_array(6 * p * p + p, sizeof *work);
	m->acc = sm_alloc_array(WLS_JOBS * (n_pairs(p) + 1) + p, sizeof *m->acc);
	if (!work || !m->acc) {
		free(work);
		free(m->acc);
		m->acc = NULL;
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	m->vb = work;
	m->m1 = work + p * p;
	m->m2 = work + 2 * p * p;
	m->m3 = work + 3 * p * p;
	m->b = work + 4 * p * p;
	m->cw2 = work + 4 * p * p + p;
	m->cw3 = work + 5 * p * p + p;
	return SM_OK;
}

void sm_wls_release(struct sm_wls *m)
{
	free(m->vb);
	free(m->acc);
	memset(m, 0, sizeof *m);
}

/* One weighted sum of a pass: X' diag(f) X (out, p x p) and, when diag is
 * set, sum f as well, with f_i = w_i^pw d1_i d2_i (NULL factors = 1). */
struct xjob {
	int pw;
	const double *d1, *d2;
	double *out;
	double *diag; /* NULL: not wanted */
	int diag_pw;  /* power of w in the diagonal sum */
};

/* f multiplied in the order x_a x_c w ... w d1 d2, as every caller of the
 * traces always did: the sums are bit-for-bit those of separate passes. */
static double job_factor(double f, const double *w, int pw, const double *d1,
			 const double *d2, size_t i)
{
	for (int e = 0; e < pw && w; e++)
		f *= w[i];
	if (d1)
		f *= d1[i];
	if (d2)
		f *= d2[i];
	return f;
}

/* All jobs (and X'Wy into xwy when y is given) in one pass over the rows:
 * each sum sees the same terms in the same order as a pass of its own. */
static void run_jobs_any(struct sm_wls *m, const double *w, struct xjob *jobs, size_t nj,
			 const double *y, double *xwy)
{
	const struct sm_design *d = &m->d;
	size_t k = d->k, p = d->p, np = n_pairs(p), stride = np + 1;
	struct sm_ksum *acc = m->acc, *ya = acc + WLS_JOBS * stride;
	memset(acc, 0, (WLS_JOBS * stride + p) * sizeof *acc);
	for (size_t i = 0; i < k; i++) {
		for (size_t j = 0; j < nj; j++) {
			const struct xjob *jb = &jobs[j];
			struct sm_ksum *a = acc + j * stride;
			if (jb->diag)
				sm_ksum_add(&a[np],
					    job_factor(1, w, jb->diag_pw, jb->d1, jb->d2, i));
			if (!d->x) {
				sm_ksum_add(&a[0], job_factor(1, w, jb->pw, jb->d1, jb->d2, i));
				continue;
			}
			size_t q = 0;
			for (size_t r = 0; r < p; r++) {
				double xr = d->x[r * k + i];
				for (size_t c = r; c < p; c++, q++) {
					double xc = d->x[c * k + i];
					if (xr == 0 || xc == 0)
						continue;
					sm_ksum_add(&a[q], job_factor(xr * xc, w, jb->pw, jb->d1,
								      jb->d2, i));
				}
			}
		}
		for (size_t r = 0; y && r < p; r++)
			sm_ksum_add(&ya[r], sm_design_at(d, i, r) * (w ? w[i] : 1) * y[i]);
	}
	for (size_t j = 0; j < nj; j++) {
		const struct sm_ksum *a = acc + j * stride;
		size_t q = 0;
		double *o = jobs[j].out;
		for (size_t r = 0; r < p; r++)
			for (size_t c = r; c < p; c++, q++)
				o[r * p + c] = o[c * p + r] = sm_ksum_get(&a[q]);
		if (jobs[j].diag)
			*jobs[j].diag = sm_ksum_get(&a[np]);
	}
	for (size_t r = 0; y && r < p; r++)
		xwy[r] = sm_ksum_get(&ya[r]);
}

/* x * w^pw * d1 * d2 with the factors multiplied in job_factor's order (a
 * factor of 1 changes nothing, so absent factors multiply by 1). */
static inline double factor2(double x, double wi, int pw, double a, double b)
{
	for (int e = 0; e < pw; e++)
		x *= wi;
	return x * a * b;
}

/* The same for two columns (meta-regression on one moderator, as Egger's
 * test), written out: the generic loops cost three times the sums. */
SM_AVX2_CLONES
static void run_jobs_p2(struct sm_wls *m, const double *w, struct xjob *jobs, size_t nj,
			const double *y, double *xwy)
{
	size_t k = m->d.k;
	const double *x0 = m->d.x, *x1 = m->d.x + k;
	/* per job {x0x0, x0x1, x1x1, diagonal} as the four lanes of one
	 * compensated sum (sm_v4d, each lane sm_ksum_add's operations); a
	 * term left out (a zero column entry, no diagonal) adds an exact 0,
	 * which leaves a finite sum's bits as they are (a non-finite sum has
	 * a NaN correction already) */
	sm_v4d as[WLS_JOBS], ac[WLS_JOBS];
	struct sm_ksum2 ya;
	memset(as, 0, sizeof as);
	memset(ac, 0, sizeof ac);
	memset(&ya, 0, sizeof ya);
	for (size_t i = 0; i < k; i++) {
		double c0 = x0[i], c1 = x1[i], wi = w ? w[i] : 1;
		int n0 = c0 != 0, n1 = c1 != 0;
		for (size_t j = 0; j < nj; j++) {
			const struct xjob *jb = &jobs[j];
			double f1 = jb->d1 ? jb->d1[i] : 1, f2 = jb->d2 ? jb->d2[i] : 1;
			sm_v4d x = {n0 ? factor2(c0 * c0, wi, jb->pw, f1, f2) : 0,
				    n0 && n1 ? factor2(c0 * c1, wi, jb->pw, f1, f2) : 0,
				    n1 ? factor2(c1 * c1, wi, jb->pw, f1, f2) : 0,
				    jb->diag ? factor2(1, wi, jb->diag_pw, f1, f2) : 0};
			sm_v4d t = as[j] + x;
			sm_v4d z = t - as[j];
			ac[j] += (as[j] - (t - z)) + (x - z);
			as[j] = t;
		}
		if (y)
			sm_ksum2_add(&ya, (sm_v2d){c0 * wi * y[i], c1 * wi * y[i]});
	}
	for (size_t j = 0; j < nj; j++) {
		double *o = jobs[j].out;
		o[0] = as[j][0] + ac[j][0];
		o[1] = o[2] = as[j][1] + ac[j][1];
		o[3] = as[j][2] + ac[j][2];
		if (jobs[j].diag)
			*jobs[j].diag = as[j][3] + ac[j][3];
	}
	if (y) {
		struct sm_ksum y0 = sm_ksum2_lane(&ya, 0), y1 = sm_ksum2_lane(&ya, 1);
		xwy[0] = sm_ksum_get(&y0);
		xwy[1] = sm_ksum_get(&y1);
	}
}

static void run_jobs(struct sm_wls *m, const double *w, struct xjob *jobs, size_t nj,
		     const double *y, double *xwy)
{
	if (m->d.x && m->d.p == 2)
		run_jobs_p2(m, w, jobs, nj, y, xwy);
	else
		run_jobs_any(m, w, jobs, nj, y, xwy);
}

/* tr(A B) for p x p row-major matrices. */
static double tr_ab(const double *a, const double *b, size_t p)
{
	double s = 0;
	for (size_t i = 0; i < p; i++)
		for (size_t j = 0; j < p; j++)
			s += a[i * p + j] * b[j * p + i];
	return s;
}

/* out = A B (p x p). */
static void mat_mul(const double *a, const double *b, double *out, size_t p)
{
	for (size_t i = 0; i < p; i++)
		for (size_t j = 0; j < p; j++) {
			double s = 0;
			for (size_t l = 0; l < p; l++)
				s += a[i * p + l] * b[l * p + j];
			out[i * p + j] = s;
		}
}

/* Intercept-only first pass: sum w, sum w y and, for the traces of the same
 * weights, sum w^2 and sum w^3 (each in the order a pass of its own used),
 * as the four lanes of one compensated sum (sm_v4d: each lane
 * sm_ksum_add's operations on its own terms, so the bits of four sums).
 * With vi given, the weights are made in the same pass, w_i = 1 / (vi_i +
 * tau2) (sm_tau2_q's, into wout), four divisions at a time.  Built for
 * AVX2 too (target_clones): the same lane operations, the same bits. */
SM_AVX2_CLONES
static void solve1_sums(struct sm_wls *m, const double *y, const double *w,
			double *wout, const double *vi, double tau2)
{
	sm_v4d s = {0, 0, 0, 0}, c = {0, 0, 0, 0};
	size_t k = m->d.k;
	double wb[4];
	for (size_t i0 = 0; i0 < k; i0 += 4) {
		size_t n = k - i0 < 4 ? k - i0 : 4;
		if (vi && n == 4) {
			sm_v4d v, t = {tau2, tau2, tau2, tau2}, one = {1, 1, 1, 1};
			memcpy(&v, vi + i0, sizeof v);
			v = one / (v + t);
			memcpy(wout + i0, &v, sizeof v);
			memcpy(wb, &v, sizeof v);
		} else {
			for (size_t l = 0; l < n; l++)
				wb[l] = vi ? (wout[i0 + l] = 1 / (vi[i0 + l] + tau2))
					   : w ? w[i0 + l] : 1;
		}
		for (size_t l = 0; l < n; l++) {
			double wi = wb[l], w2 = wi * wi;
			sm_v4d x = {wi, wi * y[i0 + l], w2, w2 * wi};
			sm_v4d t = s + x;
			sm_v4d z = t - s;
			c += (s - (t - z)) + (x - z);
			s = t;
		}
	}
	m->m1[0] = s[0] + c[0];
	m->m2[0] = s[1] + c[1];
	m->sw2 = s[2] + c[2];
	m->sw3 = s[3] + c[3];
}

static sm_status solve_coefs(struct sm_ctx *ctx, struct sm_wls *m, const double *y,
			     const double *w)
{
	size_t k = m->d.k, p = m->d.p;
	if (p == 1) {
		if (!(m->m1[0] > 0) || !isfinite(m->m1[0]))
			return SM_FAIL(ctx, SM_EINPUT, "sum of weights is not positive; "
				       "expected positive finite weights");
		/* metafor's operation order: vb from chol2inv(chol(.)) (LAPACK
		 * dpotrf/dpotri: (1/sqrt(a))^2), then b = (vb X'W) y.  With one
		 * study b then differs from yi in the last bit exactly as in R,
		 * and trimfill's sign test on yi - b depends on that bit. */
		double ir = 1 / sqrt(m->m1[0]);
		m->vb[0] = ir * ir;
		struct sm_ksum bs = {0, 0};
		for (size_t i = 0; i < k; i++)
			sm_ksum_add(&bs, (m->vb[0] * sm_design_at(&m->d, i, 0) * (w ? w[i] : 1)) *
					 y[i]);
		m->b[0] = sm_ksum_get(&bs);
		m->logdet = log(m->m1[0]);
		return SM_OK;
	}
	memcpy(m->vb, m->m1, p * p * sizeof *m->vb);
	gsl_matrix_view mv = gsl_matrix_view_array(m->vb, p, p);
	if (gsl_linalg_cholesky_decomp1(&mv.matrix) != GSL_SUCCESS)
		return SM_FAIL(ctx, SM_EINPUT, "model matrix is not of full rank; "
			       "expected linearly independent moderators");
	double ld = 0;
	for (size_t a = 0; a < p; a++)
		ld += 2 * log(m->vb[a * p + a]);
	m->logdet = ld;
	if (gsl_linalg_cholesky_invert(&mv.matrix) != GSL_SUCCESS)
		return SM_FAIL(ctx, SM_EINPUT, "cannot invert X'WX; "
			       "expected a well-conditioned model matrix");
	for (size_t a = 0; a < p; a++) {
		double s = 0;
		for (size_t c = 0; c < p; c++)
			s += m->vb[a * p + c] * m->m2[c];
		m->b[a] = s;
	}
	return SM_OK;
}

/* The solve after the first pass: coefficients, then the residual sums in
 * one pass ({w r^2, (w r)^2} as one sm_ksum2; sum w is the first pass's
 * sum of the same terms in the same order when the model is intercept-only). */
static sm_status solve_rest(struct sm_ctx *ctx, struct sm_wls *m, const double *y,
			    const double *w)
{
	size_t k = m->d.k;
	sm_status st = solve_coefs(ctx, m, y, w);
	if (st)
		return st;
	struct sm_ksum2 rr = {{0, 0}, {0, 0}};
	struct sm_ksum sw = {0, 0};
	const double *x0 = m->d.x, *x1 = m->d.x && m->d.p == 2 ? m->d.x + k : NULL;
	int own_sw = m->d.x != NULL;
	for (size_t i = 0; i < k; i++) {
		double r;
		if (x1) {
			/* sm_wls_resid for two columns, the same operations */
			double f = 0;
			f += x0[i] * m->b[0];
			f += x1[i] * m->b[1];
			r = y[i] - f;
		} else if (!x0) {
			/* sm_wls_resid for the intercept (x = 1, 1 b = b) */
			double f = 0;
			f += m->b[0];
			r = y[i] - f;
		} else {
			r = sm_wls_resid(m, y, i);
		}
		double wi = w ? w[i] : 1;
		double wr = wi * r;
		/* w r r is (w r) r */
		sm_ksum2_add(&rr, (sm_v2d){wr, wr} * (sm_v2d){r, wr});
		if (own_sw)
			sm_ksum_add(&sw, wi);
	}
	struct sm_ksum rss = sm_ksum2_lane(&rr, 0), ypp = sm_ksum2_lane(&rr, 1);
	m->rss = sm_ksum_get(&rss);
	m->sum_w = own_sw ? sm_ksum_get(&sw) : m->m1[0];
	m->ypp = sm_ksum_get(&ypp);
	m->last_y = y;
	m->last_w = w;
	m->cached = 1;
	return SM_OK;
}

sm_status sm_wls_solve(struct sm_ctx *ctx, struct sm_wls *m, const double *y,
		       const double *w)
{
	m->cached = 0;
	m->pdpd_ready = 0;
	if (!m->d.x) {
		solve1_sums(m, y, w, NULL, NULL, 0);
	} else {
		struct xjob j = {1, NULL, NULL, m->m1, NULL, 0};
		run_jobs(m, w, &j, 1, y, m->m2);
	}
	return solve_rest(ctx, m, y, w);
}

sm_status sm_wls_solve_tau2(struct sm_ctx *ctx, struct sm_wls *m, const double *y,
			    double *w, const double *vi, double tau2)
{
	if (m->d.x) {
		for (size_t i = 0; i < m->d.k; i++)
			w[i] = 1 / (vi[i] + tau2);
		return sm_wls_solve(ctx, m, y, w);
	}
	m->cached = 0;
	m->pdpd_ready = 0;
	solve1_sums(m, y, NULL, w, vi, tau2);
	return solve_rest(ctx, m, y, w);
}

double sm_wls_resid(const struct sm_wls *m, const double *y, size_t i)
{
	double f = 0;
	for (size_t a = 0; a < m->d.p; a++)
		f += sm_design_at(&m->d, i, a) * m->b[a];
	return y[i] - f;
}

double sm_wls_ypp_y(const struct sm_wls *m, const double *y, const double *w)
{
	if (m->cached && y == m->last_y && w == m->last_w)
		return m->ypp;
	struct sm_ksum s = {0, 0};
	for (size_t i = 0; i < m->d.k; i++) {
		double wr = (w ? w[i] : 1) * sm_wls_resid(m, y, i);
		sm_ksum_add(&s, wr * wr);
	}
	return sm_ksum_get(&s);
}

/* The intercept-only traces come from the last solve's sums when they are
 * of the same weights. */
static int cached_moments(const struct sm_wls *m, const double *w)
{
	return m->cached && !m->d.x && w == m->last_w;
}

/* tr(P D) = sum w d - tr(vb X' W^2 D X) */
double sm_wls_tr_pd(struct sm_wls *m, const double *w, const double *d)
{
	size_t p = m->d.p;
	double diag;
	if (!d && cached_moments(m, w)) {
		m->m1[0] = m->sw2;
		diag = m->sum_w;
	} else if (!d && m->cached && w == m->last_w) {
		/* the sums of tr_pdpd(w, NULL, NULL) in the same pass */
		struct xjob j[2] = {{2, NULL, NULL, m->m1, &diag, 1},
				    {3, NULL, NULL, m->cw3, &m->csw2, 2}};
		run_jobs(m, w, j, 2, NULL, NULL);
		memcpy(m->cw2, m->m1, p * p * sizeof *m->cw2);
		m->pdpd_ready = 1;
	} else {
		struct xjob j = {2, d, NULL, m->m1, &diag, 1};
		run_jobs(m, w, &j, 1, NULL, NULL);
	}
	return diag - tr_ab(m->vb, m->m1, p);
}

/* tr(P D1 P D2) = sum w^2 d1 d2 - 2 tr(vb X' W^3 D1 D2 X)
 *                 + tr(vb X'W^2 D1 X vb X'W^2 D2 X) */
double sm_wls_tr_pdpd(struct sm_wls *m, const double *w, const double *d1,
		      const double *d2)
{
	size_t p = m->d.p;
	double t1;
	if (!d1 && !d2 && cached_moments(m, w)) {
		t1 = m->sw2;
		m->m3[0] = m->sw3;
		m->m1[0] = m->sw2;
		m->m2[0] = m->sw2;
	} else if (!d1 && !d2 && m->pdpd_ready && m->cached && w == m->last_w) {
		t1 = m->csw2;
		memcpy(m->m3, m->cw3, p * p * sizeof *m->m3);
		memcpy(m->m1, m->cw2, p * p * sizeof *m->m1);
		memcpy(m->m2, m->cw2, p * p * sizeof *m->m2);
	} else {
		/* m3 holds X'W^3 D1 D2 X until its trace is taken */
		struct xjob j[3] = {{3, d1, d2, m->m3, &t1, 2}, {2, d1, NULL, m->m1, NULL, 0},
				    {2, d2, NULL, m->m2, NULL, 0}};
		run_jobs(m, w, j, d1 == d2 ? 2 : 3, NULL, NULL);
		if (d1 == d2)
			memcpy(m->m2, m->m1, p * p * sizeof *m->m2);
	}
	double t2 = tr_ab(m->vb, m->m3, p);
	mat_mul(m->vb, m->m1, m->m3, p);  /* vb M1 */
	mat_mul(m->vb, m->m2, m->m1, p);  /* vb M2 */
	double t3 = tr_ab(m->m3, m->m1, p);
	return t1 - 2 * t2 + t3;
}
