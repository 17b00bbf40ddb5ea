#include "sm_pseries.h"

#include "sm_buf.h"
#include "sm_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Smallest n with (1 + r)^3 sum_{m >= n} C(m+2, 2) r^m < 2^-56: the tail of
 * the q = 3 series (the slowest of q = 1..3) relative to its value, which is
 * at least (1 + r)^-3 times the leading sum for non-negative terms. */
size_t sm_pseries_terms(double r)
{
	double lim = ldexp(1, -56) / ((1 + r) * (1 + r) * (1 + r));
	for (size_t n = 1; n < 400; n++) {
		double term = (double)(n + 2) * (double)(n + 1) / 2 * pow(r, (double)n);
		double ratio = r * (double)(n + 3) / (double)(n + 1);
		if (ratio < 1 && term / (1 - ratio) < lim)
			return n;
	}
	return 400;
}

void sm_pseries_release(struct sm_pseries *ps)
{
	if (!ps)
		return;
	free(ps->m);
	free(ps->pm);
	free(ps->plsum);
	memset(ps, 0, sizeof *ps);
}

/* Compensated accumulators of the 3 (n + 3) power sums, sums and
 * corrections in separate arrays so that the additions of one study (all
 * independent) can run side by side; pw and pw2 take the terms of two
 * studies. */
struct acc {
	double *s, *c, *pw, *pw2;
	size_t len;
	struct sm_ksum ls;
};

/* The powers iu^1..iu^ns of two studies at once, each lane the running
 * product p *= iu of its own study, as one at a time: the chain of
 * multiplications is a study's slow part, and two chains share its
 * latency. */
static void acc_powers2(size_t ns, double iu0, double iu1, double *restrict pw0,
			double *restrict pw1)
{
	sm_v2d p = {iu0, iu1}, iu = p;
	for (size_t s = 0; s < ns; s++) {
		pw0[s] = p[0];
		pw1[s] = p[1];
		p *= iu;
	}
}

static void acc_powers(size_t ns, double iu, double *restrict pw)
{
	double p = iu;
	for (size_t s = 0; s < ns; s++) {
		pw[s] = p;
		p *= iu;
	}
}

/* Adds the study whose powers pw[0..ns) holds (its other rows are made
 * in pw[ns..3 ns)), four sums a time (sm_v4d lanes).  Built twice (the processor's AVX2 chosen when the
 * program loads): the same operations, the same bits. */
SM_AVX2_CLONES
static void acc_add(struct acc *a, double *restrict pw, double z)
{
	size_t ns = a->len / 3, len = a->len;
	double *restrict sum = a->s, *restrict cor = a->c;
	double zz = z * z;
	/* two sums per instruction (sm_ksum2_add's lanes): the same
	 * operations as one at a time, so the same bits */
	sm_v2d vz = {z, z}, vzz = {zz, zz};
	size_t s = 0;
	for (; s + 2 <= ns; s += 2) {
		sm_v2d q = sm_v2d_load(pw + s);
		sm_v2d_store(pw + ns + s, vz * q);
		sm_v2d_store(pw + 2 * ns + s, vzz * q);
	}
	for (; s < ns; s++) {
		pw[ns + s] = z * pw[s];
		pw[2 * ns + s] = zz * pw[s];
	}
	for (s = 0; s + 4 <= len; s += 4) {
		/* memcpy: no alignment assumed; values, not calls (no v4d
		 * crosses a function boundary of the default build) */
		sm_v4d x, sv, cv;
		memcpy(&x, pw + s, sizeof x);
		memcpy(&sv, sum + s, sizeof sv);
		memcpy(&cv, cor + s, sizeof cv);
		sm_v4d t = sv + x;
		sm_v4d d = t - sv;
		cv += (sv - (t - d)) + (x - d);
		memcpy(cor + s, &cv, sizeof cv);
		memcpy(sum + s, &t, sizeof t);
	}
	for (; s < len; s++) {
		/* sm_ksum_add over arrays: the additions are independent */
		double t = sum[s] + pw[s];
		double d = t - sum[s];
		cor[s] += (sum[s] - (t - d)) + (pw[s] - d);
		sum[s] = t;
	}
}

static void acc_get(const struct acc *a, double *out, double *lsum)
{
	for (size_t s = 0; s < a->len; s++)
		out[s] = a->s[s] + a->c[s];
	*lsum = sm_ksum_get(&a->ls);
}

static sm_status build(struct sm_ctx *ctx, struct sm_pseries *ps)
{
	size_t ns = ps->n + 3, len = 3 * ns, k = ps->k;
	struct acc a = {sm_alloc_array(4 * len, sizeof(double)), NULL, NULL, NULL, len, {0, 0}};
	ps->m = sm_alloc_array(len, sizeof *ps->m);
	if (ps->nb) {
		ps->pm = sm_alloc_array(ps->nb * len, sizeof *ps->pm);
		ps->plsum = sm_alloc_array(ps->nb, sizeof *ps->plsum);
	}
	if (!a.s || !ps->m || (ps->nb && (!ps->pm || !ps->plsum))) {
		free(a.s);
		sm_pseries_release(ps);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	a.c = a.s + len;
	a.pw = a.s + 2 * len;
	a.pw2 = a.s + 3 * len;
	for (size_t j = 0; j < k; j++) {
		double u = ps->v[j] + ps->c;
		/* an even j makes the powers of j and j + 1, an odd j has its
		 * own from there */
		if (j % 2 == 0 && j + 1 < k)
			acc_powers2(ns, ps->umin / u, ps->umin / (ps->v[j + 1] + ps->c), a.pw,
				    a.pw2);
		else if (j % 2 == 0)
			acc_powers(ns, ps->umin / u, a.pw);
		acc_add(&a, j % 2 ? a.pw2 : a.pw, ps->y[j] - ps->yc);
		if (ps->logs)
			sm_ksum_add(&a.ls, log(u));
		if (ps->nb && (j + 1) % ps->block == 0 && (j + 1) / ps->block <= ps->nb) {
			size_t b = (j + 1) / ps->block - 1;
			acc_get(&a, ps->pm + b * len, &ps->plsum[b]);
		}
	}
	acc_get(&a, ps->m, &ps->lsum);
	free(a.s);
	return SM_OK;
}

/* Sums are kept scaled by umin^s (uu = u / umin >= 1), so no power of a tiny
 * variance overflows. */
sm_status sm_pseries_init_prefix(struct sm_ctx *ctx, struct sm_pseries *ps,
				 const double *y, const double *v, size_t k, double c,
				 double rho, size_t block, int logs)
{
	memset(ps, 0, sizeof *ps);
	if (k == 0 || !(rho > 0 && rho <= 0.5) || !(c >= 0))
		return SM_FAIL(ctx, SM_EINTERNAL, "invalid series centre; expected k >= 1, "
			       "c >= 0, 0 < rho <= 0.5");
	double umin = INFINITY;
	struct sm_ksum sw = {0, 0}, swy = {0, 0};
	for (size_t j = 0; j < k; j++) {
		double u = v[j] + c;
		umin = fmin(umin, u);
		sm_ksum_add(&sw, 1 / u);
		sm_ksum_add(&swy, y[j] / u);
	}
	if (!(umin > 0) || !isfinite(sm_ksum_get(&sw)))
		return SM_FAIL(ctx, SM_EINPUT, "variances plus tau2 are not positive; "
			       "expected vi + tau2 > 0");
	ps->c = c;
	ps->rho = rho;
	ps->umin = umin;
	ps->n = sm_pseries_terms(rho);
	ps->yc = sm_ksum_get(&swy) / sm_ksum_get(&sw);
	for (int q = 0; q < 3; q++)
		ps->iscale[q] = pow(umin, -(double)(q + 1));
	ps->logs = logs;
	ps->k = k;
	ps->block = block;
	ps->nb = block ? k / block : 0;
	ps->y = y;
	ps->v = v;
	return build(ctx, ps);
}

int sm_pseries_covers(const struct sm_pseries *ps, double t)
{
	return ps->m && fabs(t - ps->c) <= ps->rho * ps->umin;
}

/* The series of one table of power sums at t (covered, q in 1..3). */
static void series(const struct sm_pseries *ps, const double *tab, double t, int q,
		   double out[3])
{
	double nd = -(t - ps->c) / ps->umin;
	size_t ns = ps->n + 3;
	double scale = ps->iscale[q - 1];
	for (int a = 0; a < 3; a++) {
		const double *m = tab + (size_t)a * ns;
		double acc = 0;
		for (size_t i = ps->n; i-- > 0;) {
			/* C(i + q - 1, q - 1) for q = 1..3 */
			double bin = q == 1 ? 1 : q == 2 ? (double)(i + 1)
						  : (double)(i + 2) * (double)(i + 1) / 2;
			acc = acc * nd + bin * m[i + (size_t)q - 1];
		}
		out[a] = acc * scale;
	}
}

/* log(u + d) = log u + sum_{n >= 1} (-1)^(n+1) (d/u)^n / n */
static double log_series(const struct sm_pseries *ps, const double *tab, double lsum,
			 double t)
{
	double dd = (t - ps->c) / ps->umin, acc = 0;
	for (size_t i = ps->n + 2; i >= 1; i--)
		acc = acc * -dd + tab[i - 1] / (double)i;
	return lsum + dd * acc;
}

int sm_pseries_logsum(const struct sm_pseries *ps, double t, double *out)
{
	if (!sm_pseries_covers(ps, t) || !ps->logs)
		return 0;
	*out = log_series(ps, ps->m, ps->lsum, t);
	return 1;
}

/* The boundary a prefix of len studies starts from: its table index + 1
 * (0 = no boundary, start from zero sums). */
static size_t boundary(const struct sm_pseries *ps, size_t len)
{
	size_t j = ps->block ? len / ps->block : 0;
	return j > ps->nb ? ps->nb : j;
}

int sm_pseries_logsum_prefix(const struct sm_pseries *ps, size_t len, double t,
			     double *out)
{
	if (len == ps->k)
		return sm_pseries_logsum(ps, t, out);
	if (!sm_pseries_covers(ps, t) || len > ps->k || !ps->block || !ps->logs)
		return 0;
	size_t j = boundary(ps, len), ns = ps->n + 3;
	struct sm_ksum s = {0, 0};
	if (j)
		s.s = log_series(ps, ps->pm + (j - 1) * 3 * ns, ps->plsum[j - 1], t);
	for (size_t i = j * ps->block; i < len; i++)
		sm_ksum_add(&s, log(ps->v[i] + t));
	*out = sm_ksum_get(&s);
	return 1;
}

int sm_pseries_sums(const struct sm_pseries *ps, size_t len, double t, int qmax,
		    double out[3][3])
{
	if (!sm_pseries_covers(ps, t) || len > ps->k || (len < ps->k && !ps->block) ||
	    qmax < 1 || qmax > 3)
		return 0;
	size_t j = len == ps->k ? 0 : boundary(ps, len), ns = ps->n + 3;
	const double *tab = len == ps->k ? ps->m : j ? ps->pm + (j - 1) * 3 * ns : NULL;
	struct sm_ksum s[3][3];
	for (int q = 0; q < qmax; q++) {
		double base[3] = {0, 0, 0};
		if (tab)
			series(ps, tab, t, q + 1, base);
		for (int a = 0; a < 3; a++)
			s[q][a] = (struct sm_ksum){base[a], 0};
	}
	for (size_t i = len == ps->k ? len : j * ps->block; i < len; i++) {
		double w = 1 / (ps->v[i] + t), z = ps->y[i] - ps->yc, wq = w;
		for (int q = 0; q < qmax; q++, wq *= w) {
			sm_ksum_add(&s[q][0], wq);
			sm_ksum_add(&s[q][1], wq * z);
			sm_ksum_add(&s[q][2], wq * z * z);
		}
	}
	for (int q = 0; q < qmax; q++)
		for (int a = 0; a < 3; a++)
			out[q][a] = sm_ksum_get(&s[q][a]);
	return 1;
}

/* ---- banks of centres ----------------------------------------------------- */

void sm_pbank_init(struct sm_pbank *b, const double *y, const double *v, size_t k,
		   size_t block, int logs, double rho_new)
{
	memset(b, 0, sizeof *b);
	b->y = y;
	b->v = v;
	b->k = k;
	b->block = block;
	b->logs = logs;
	b->rho_new = rho_new;
}

void sm_pbank_release(struct sm_pbank *b)
{
	for (size_t j = 0; j < b->n; j++)
		sm_pseries_release(&b->c[j]);
	b->n = 0;
}

sm_status sm_pbank_add(struct sm_ctx *ctx, struct sm_pbank *b, double c, double rho)
{
	if (b->n == SM_PBANK_MAX)
		return SM_OK;
	sm_status st = sm_pseries_init_prefix(ctx, &b->c[b->n], b->y, b->v, b->k, c, rho,
					      b->block, b->logs);
	if (!st)
		b->n++;
	else
		b->failed = 1;
	return st;
}

const struct sm_pseries *sm_pbank_find(const struct sm_pbank *b, double t)
{
	for (size_t j = 0; j < b->n; j++)
		if (sm_pseries_covers(&b->c[j], t))
			return &b->c[j];
	return NULL;
}

sm_status sm_pbank_status(struct sm_ctx *ctx, const struct sm_pbank *b)
{
	if (!b->failed)
		return SM_OK;
	return SM_FAIL(ctx, SM_EINTERNAL, "out of memory (the power series of %zu studies)", b->k);
}

const struct sm_pseries *sm_pbank_get(struct sm_pbank *b, double t)
{
	const struct sm_pseries *ps = sm_pbank_find(b, t);
	if (ps || !(b->rho_new > 0) || b->n == SM_PBANK_MAX || b->failed || !(t >= 0) ||
	    !isfinite(t))
		return ps;
	/* no context: a centre that cannot be built only means slower refits */
	if (sm_pbank_add(NULL, b, t, b->rho_new) != SM_OK)
		return NULL;
	return &b->c[b->n - 1];
}
