#include "sm_exact2x2.h"

#include "sm_nchg.h"
#include "sm_stats.h"

#include <float.h>
#include <math.h>

/* ---- Fisher's noncentral hypergeometric, on the log odds-ratio scale ---- */

/* The log weights of the support at theta, relative to their largest:
 * lc[y] + theta (y - x) - max.  Sums of exp() of them are then >= 1. */
static double log_weight(const struct sm_nchg *h, long y, double theta)
{
	return h->lc[y - h->lo] + theta * (double)(y - h->x);
}

static double max_weight(const struct sm_nchg *h, double theta)
{
	double m = -INFINITY;
	for (long y = h->lo; y <= h->hi; y++)
		m = fmax(m, log_weight(h, y, theta));
	return m;
}

/* P(X <= x | theta) (upper = 0) or P(X >= x | theta) (upper = 1). */
static double tail(const struct sm_nchg *h, double theta, int upper)
{
	double m = max_weight(h, theta);
	struct sm_ksum all = { 0, 0 }, part = { 0, 0 };
	for (long y = h->lo; y <= h->hi; y++) {
		double e = exp(log_weight(h, y, theta) - m);
		sm_ksum_add(&all, e);
		if (upper ? y >= h->x : y <= h->x)
			sm_ksum_add(&part, e);
	}
	return sm_ksum_get(&part) / sm_ksum_get(&all);
}

static double mean_x(const struct sm_nchg *h, double theta)
{
	double m = max_weight(h, theta);
	struct sm_ksum all = { 0, 0 }, first = { 0, 0 };
	for (long y = h->lo; y <= h->hi; y++) {
		double e = exp(log_weight(h, y, theta) - m);
		sm_ksum_add(&all, e);
		sm_ksum_add(&first, e * (double)(y - h->lo));
	}
	return (double)h->lo + sm_ksum_get(&first) / sm_ksum_get(&all);
}

enum target { T_MEAN, T_LOWER_TAIL, T_UPPER_TAIL };

static double eval(const struct sm_nchg *h, enum target t, double theta)
{
	switch (t) {
	case T_MEAN: return mean_x(h, theta);
	case T_LOWER_TAIL: return tail(h, theta, 0);
	case T_UPPER_TAIL: return tail(h, theta, 1);
	}
	return NAN;
}

/* The theta where f(theta) = goal, f increasing (rising = 1) or decreasing,
 * by bracketing from 0 outward and bisecting to the last bit of theta
 * (absolute 1e-15 near 0, where the odds ratio is then exact to 1e-15). */
static double solve_theta(const struct sm_nchg *h, enum target t, int rising, double goal)
{
	double lo = -1, hi = 1;
	/* below the root f - goal has the sign -rising; above it +rising */
	while (lo > -1e4 && (eval(h, t, lo) - goal) * (rising ? 1 : -1) > 0)
		lo *= 2;
	while (hi < 1e4 && (eval(h, t, hi) - goal) * (rising ? 1 : -1) < 0)
		hi *= 2;
	for (int i = 0; i < 2000; i++) {
		double mid = lo + (hi - lo) / 2;
		if (mid <= lo || mid >= hi || hi - lo <= 1e-15 * fmax(1, fabs(mid)))
			break;
		if ((eval(h, t, mid) - goal) * (rising ? 1 : -1) < 0)
			lo = mid;
		else
			hi = mid;
	}
	return lo + (hi - lo) / 2;
}

static sm_status check_counts(struct sm_ctx *ctx, double a, double n1, double c, double n2)
{
	int ok = a >= 0 && c >= 0 && n1 >= 1 && n2 >= 1 && a <= n1 && c <= n2 &&
		 a == floor(a) && c == floor(c) && n1 == floor(n1) && n2 == floor(n2) &&
		 n1 + n2 <= 9007199254740992.0;
	return ok ? SM_OK : SM_FAIL(ctx, SM_EINPUT, "a 2x2 table needs whole counts with "
				    "0 <= events <= patients and at least 1 patient per arm; "
				    "got %g/%g and %g/%g", a, n1, c, n2);
}

/* R's two-sided P: the null probabilities at most the observed one (with
 * R's relative allowance of 1e-7). */
static double two_sided_p(const struct sm_nchg *h)
{
	double m = max_weight(h, 0);
	double allow = log1p(1e-7);
	struct sm_ksum all = { 0, 0 }, part = { 0, 0 };
	for (long y = h->lo; y <= h->hi; y++) {
		double e = exp(h->lc[y - h->lo] - m);
		sm_ksum_add(&all, e);
		if (h->lc[y - h->lo] <= allow)
			sm_ksum_add(&part, e);
	}
	return fmin(1, sm_ksum_get(&part) / sm_ksum_get(&all));
}

sm_status sm_fisher_exact(struct sm_ctx *ctx, double a, double n1, double c, double n2,
			  double level, struct sm_fisher *out)
{
	out->p = out->estimate = out->ci_lb = out->ci_ub = NAN;
	if (check_counts(ctx, a, n1, c, n2) != SM_OK)
		return SM_EINPUT;
	struct sm_nchg h;
	sm_status st = sm_nchg_init(ctx, &h, a, n1, c, n2);
	if (st != SM_OK)
		return st;
	double half = (1 - level / 100) / 2;
	out->p = two_sided_p(&h);
	/* R's rules at the ends of the support (checked in its order) */
	out->estimate = h.x == h.lo ? 0 : h.x == h.hi ? INFINITY
		      : exp(solve_theta(&h, T_MEAN, 1, (double)h.x));
	out->ci_lb = h.x == h.lo ? 0 : exp(solve_theta(&h, T_UPPER_TAIL, 1, half));
	out->ci_ub = h.x == h.hi ? INFINITY : exp(solve_theta(&h, T_LOWER_TAIL, 0, half));
	sm_nchg_release(&h);
	return SM_OK;
}

sm_status sm_fisher_exact_p(struct sm_ctx *ctx, double a, double n1, double c, double n2,
			    double *p)
{
	*p = NAN;
	if (check_counts(ctx, a, n1, c, n2) != SM_OK)
		return SM_EINPUT;
	struct sm_nchg h;
	sm_status st = sm_nchg_init(ctx, &h, a, n1, c, n2);
	if (st != SM_OK)
		return st;
	*p = two_sided_p(&h);
	sm_nchg_release(&h);
	return SM_OK;
}

/* ---- Miettinen-Nurminen ---------------------------------------------------- */

/* The treated risk maximising the likelihood under p1 - p2 = d
 * (Farrington & Manning 1990, eq. for the constrained estimates). */
static double restricted_p1(double p1h, double p2h, double n1, double n2, double d)
{
	double th = n2 / n1;
	double A = 1 + th;
	double B = -(1 + th + p1h + th * p2h + d * (th + 2));
	double C = d * d + d * (2 * p1h + th + 1) + p1h + th * p2h;
	double D = -p1h * d * (1 + d);
	double v = B * B * B / (27 * A * A * A) - B * C / (6 * A * A) + D / (2 * A);
	double s = B * B / (9 * A * A) - C / (3 * A);
	double u = (v < 0 ? -1 : 1) * sqrt(fmax(0, s));
	double r = u != 0 ? v / (u * u * u) : 0;
	double w = (M_PI + acos(fmin(1, fmax(-1, r)))) / 3;
	double p1 = 2 * u * cos(w) - B / (3 * A);
	/* rounding may leave it a hair outside the feasible range */
	return fmin(fmin(1, 1 + d), fmax(fmax(0, d), p1));
}

double sm_mn_score(double a, double n1, double c, double n2, double d)
{
	double p1h = a / n1, p2h = c / n2, N = n1 + n2;
	double p1 = restricted_p1(p1h, p2h, n1, n2, d), p2 = p1 - d;
	double var = (p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2) * N / (N - 1);
	double num = p1h - p2h - d;
	if (!(var > 0))
		return num > 0 ? INFINITY : num < 0 ? -INFINITY : 0;
	return num / sqrt(var);
}

/* d in [lo, hi] with Z(d) = goal; Z decreasing. */
static double solve_d(double a, double n1, double c, double n2, double goal, double lo, double hi)
{
	for (int i = 0; i < 200; i++) {
		double mid = lo + (hi - lo) / 2;
		if (mid <= lo || mid >= hi || hi - lo <= 1e-16)
			break;
		if (sm_mn_score(a, n1, c, n2, mid) > goal)
			lo = mid;
		else
			hi = mid;
	}
	return lo + (hi - lo) / 2;
}

sm_status sm_mn_interval(struct sm_ctx *ctx, double a, double n1, double c, double n2,
			 double z, double *lb, double *ub)
{
	*lb = *ub = NAN;
	if (check_counts(ctx, a, n1, c, n2) != SM_OK)
		return SM_EINPUT;
	if (!(z > 0) || !isfinite(z))
		return SM_FAIL(ctx, SM_EINPUT, "score interval: critical value %g; expected a "
			       "positive number", z);
	double dhat = a / n1 - c / n2;
	*lb = dhat <= -1 ? -1 : solve_d(a, n1, c, n2, z, -1, dhat);
	*ub = dhat >= 1 ? 1 : solve_d(a, n1, c, n2, -z, dhat, 1);
	return SM_OK;
}
