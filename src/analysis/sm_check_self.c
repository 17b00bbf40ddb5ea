/* The paper's own contradictions: reported values judged against each
 * other, each within its rounding interval. */
#include "sm_check_impl.h"

#include "sm_stats.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

struct val {
	double v, tol;
};

static struct val rep(const struct sm_check_run_state *s, const struct sm_check_rep *r,
		      const char *key)
{
	double v = sm_check_rep_value(r, key);
	return (struct val){ v, sm_check_rep_tol(s, key, v) };
}

static int disjoint(struct val x, double lo, double hi)
{
	const double eps = 1e-12;
	return x.v + x.tol < lo - eps || x.v - x.tol > hi + eps;
}

static void p_vs_z(struct sm_check_run_state *s, struct sm_check_rep *r)
{
	struct val z = rep(s, r, "z"), p = rep(s, r, "p");
	if (!isfinite(z.v) || !isfinite(p.v))
		return;
	double lo = sm_p2_norm(fabs(z.v) + z.tol), hi = sm_p2_norm(fmax(0, fabs(z.v) - z.tol));
	if (!disjoint(p, lo, hi))
		return;
	r->self_p = 1;
	r->imp_lo[SM_IMP_P] = lo;
	r->imp_hi[SM_IMP_P] = hi;
	double implied = sm_p2_norm(z.v);
	char pb[64], zb[64], ib[64];
	sm_json_shortest(pb, sizeof pb, p.v);
	sm_json_shortest(zb, sizeof zb, z.v);
	sm_check_fmt(ib, sizeof ib, implied, sm_check_decimals(p.v), p.v);
	sm_check_add(s, SM_CHECK_SELF, r->name, "p", p.v, implied, p.tol,
		     "the paper's P = %s contradicts its own Z = %s, which gives P = %s", pb, zb,
		     ib);
}

static void qp_vs_q(struct sm_check_run_state *s, struct sm_check_rep *r)
{
	struct val q = rep(s, r, "Q"), qp = rep(s, r, "Q_p");
	if (!isfinite(q.v) || !isfinite(qp.v) || !(r->df >= 1))
		return;
	double lo = sm_pchisq_upper(q.v + q.tol, r->df);
	double hi = sm_pchisq_upper(fmax(0, q.v - q.tol), r->df);
	if (!disjoint(qp, lo, hi))
		return;
	r->self_qp = 1;
	r->imp_lo[SM_IMP_QP] = lo;
	r->imp_hi[SM_IMP_QP] = hi;
	double implied = sm_pchisq_upper(q.v, r->df);
	char pb[64], qb[64], ib[64];
	sm_json_shortest(pb, sizeof pb, qp.v);
	sm_json_shortest(qb, sizeof qb, q.v);
	sm_check_fmt(ib, sizeof ib, implied, sm_check_decimals(qp.v), qp.v);
	sm_check_add(s, SM_CHECK_SELF, r->name, "Q_p", qp.v, implied, qp.tol,
		     "the paper's Q P = %s contradicts its own Q = %s on %.0f df, which gives "
		     "P = %s", pb, qb, r->df, ib);
}

static double i2_of_q(double q, double df)
{
	return q > 0 ? 100 * fmax(0, (q - df) / q) : 0;
}

/* I² = (Q - df) / Q holds for DerSimonian-Laird and common-effect models
 * only; other estimators define I² through their own tau². */
static void i2_vs_q(struct sm_check_run_state *s, struct sm_check_rep *r)
{
	const cJSON *est = cJSON_GetObjectItemCaseSensitive(r->computed, "tau2_estimator");
	if (!cJSON_IsString(est) || (strcmp(est->valuestring, "DL") &&
				     strcmp(est->valuestring, "none")))
		return;
	struct val q = rep(s, r, "Q"), i2 = rep(s, r, "I2");
	if (!isfinite(q.v) || !isfinite(i2.v) || !(r->df >= 1))
		return;
	double lo = i2_of_q(fmax(0, q.v - q.tol), r->df), hi = i2_of_q(q.v + q.tol, r->df);
	if (!disjoint(i2, lo, hi))
		return;
	r->self_i2 = 1;
	r->imp_lo[SM_IMP_I2] = lo;
	r->imp_hi[SM_IMP_I2] = hi;
	double implied = i2_of_q(q.v, r->df);
	char ib[64], qb[64], jb[64];
	sm_json_shortest(ib, sizeof ib, i2.v);
	sm_json_shortest(qb, sizeof qb, q.v);
	sm_check_fmt(jb, sizeof jb, implied, sm_check_decimals(i2.v), i2.v);
	sm_check_add(s, SM_CHECK_SELF, r->name, "I2", i2.v, implied, i2.tol,
		     "the paper's I2 = %s%% does not match its own Q = %s on %.0f df, which gives "
		     "I2 = %s%%", ib, qb, r->df, jb);
}

static int is_comparison(const cJSON *computed)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(computed, "measure");
	static const char *const ok[] = { "OR", "RR", "RD", "PETO", "GEN" };
	for (size_t i = 0; cJSON_IsString(m) && i < sizeof ok / sizeof ok[0]; i++)
		if (!strcmp(m->valuestring, ok[i]))
			return 1;
	return 0;
}

static void ci_vs_p(struct sm_check_run_state *s, struct sm_check_rep *r)
{
	struct val lb = rep(s, r, "ci_lb"), ub = rep(s, r, "ci_ub"), p = rep(s, r, "p");
	if (!isfinite(lb.v) || !isfinite(ub.v) || !isfinite(p.v) || !is_comparison(r->computed))
		return;
	int excludes = ub.v + ub.tol < 0 || lb.v - lb.tol > 0;
	int includes = lb.v + lb.tol < 0 && ub.v - ub.tol > 0;
	char lbb[64], ubb[64], pb[64];
	sm_json_shortest(lbb, sizeof lbb, lb.v);
	sm_json_shortest(ubb, sizeof ubb, ub.v);
	sm_json_shortest(pb, sizeof pb, p.v);
	double level = 100 * (1 - s->alpha);
	if (excludes && p.v - p.tol > s->alpha)
		sm_check_add(s, SM_CHECK_SELF, r->name, "ci", p.v, NAN, p.tol,
			     "the paper's %g%% CI (%s to %s) excludes 0, yet its P = %s is above "
			     "%g", level, lbb, ubb, pb, s->alpha);
	else if (includes && p.v + p.tol < s->alpha)
		sm_check_add(s, SM_CHECK_SELF, r->name, "ci", p.v, NAN, p.tol,
			     "the paper's %g%% CI (%s to %s) includes 0, yet its P = %s is below "
			     "%g", level, lbb, ubb, pb, s->alpha);
}

static void signs(struct sm_check_run_state *s, struct sm_check_rep *r)
{
	struct val est = rep(s, r, "estimate"), z = rep(s, r, "z");
	struct val lb = rep(s, r, "ci_lb"), ub = rep(s, r, "ci_ub");
	char eb[64], ob[64], pb[64];
	sm_json_shortest(eb, sizeof eb, est.v);
	if (isfinite(est.v) && isfinite(z.v) && fabs(est.v) > est.tol && fabs(z.v) > z.tol &&
	    (est.v < 0) != (z.v < 0)) {
		sm_json_shortest(ob, sizeof ob, z.v);
		sm_check_add(s, SM_CHECK_SELF, r->name, "z", z.v, NAN, z.tol,
			     "the paper's Z = %s and estimate = %s have opposite signs; "
			     "likely a sign (direction) misread", ob, eb);
	}
	if (isfinite(est.v) && isfinite(lb.v) && isfinite(ub.v) &&
	    (est.v + est.tol < lb.v - lb.tol || est.v - est.tol > ub.v + ub.tol)) {
		sm_json_shortest(ob, sizeof ob, lb.v);
		sm_json_shortest(pb, sizeof pb, ub.v);
		sm_check_add(s, SM_CHECK_SELF, r->name, "estimate", est.v, NAN, est.tol,
			     "the paper's estimate %s lies outside its own CI (%s to %s)", eb, ob,
			     pb);
	}
}

void sm_check_self(struct sm_check_run_state *s, struct sm_check_rep *r)
{
	p_vs_z(s, r);
	qp_vs_q(s, r);
	i2_vs_q(s, r);
	ci_vs_p(s, r);
	signs(s, r);
}
