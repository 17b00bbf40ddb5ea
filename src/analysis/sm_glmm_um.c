/* The unconditional models of rma.glmm: UM.FS (fixed study effects, lme4
 * glmer with nAGQ = 7) and UM.RS (random study intercepts; Laplace for the
 * random-effects model as metafor forces nAGQ = 1, nAGQ = 7 otherwise).
 *
 * UM.FS: treated eta = alpha_i + mu + theta u/2, control eta = alpha_i -
 * theta u/2 (metafor's coding = 1/2).  Each study's deviance depends on its
 * own alpha_i and the shared (theta, mu) only, so alpha_i is profiled out
 * study by study; the inverse Hessian of the profile over (theta, mu) is
 * the (theta, mu) block of the inverse of the full Hessian (Schur
 * complement), so the standard error is lme4's.  theta enters as u's sd of
 * either sign: the deviance is even in it, and tau2 = theta^2. */
#include "sm_glmm_int.h"

#include <math.h>
#include <string.h>

/* The two arms of table i with the random-effect covariates given. */
static void arms(const struct sm_glmm_data *g, size_t i, double zt1, double zt2, double zc1,
		 double zc2, struct sm_binobs o[2])
{
	o[0] = g->arm[2 * i];
	o[1] = g->arm[2 * i + 1];
	o[0].z1 = zt1;
	o[0].z2 = zt2;
	o[1].z1 = zc1;
	o[1].z2 = zc2;
}

/* ---- UM.FS ---------------------------------------------------------------- */

struct umfs {
	struct sm_glmm_data *g;
	int random;
	size_t i;        /* the study of a per-study evaluation */
	double theta, mu;
};

static void umfs_obs(const struct sm_glmm_data *g, size_t i, double alpha, double mu,
		     struct sm_binobs o[2])
{
	arms(g, i, 0.5, 0, -0.5, 0, o);
	o[0].off = alpha + mu;
	o[1].off = alpha;
}

static sm_status umfs_study(struct sm_ctx *ctx, void *data, double alpha, double *f)
{
	struct umfs *m = data;
	struct sm_binobs o[2];
	umfs_obs(m->g, m->i, alpha, m->mu, o);
	return sm_agq_cluster(ctx, &m->g->agq, o, 2, m->theta, &m->g->mode[m->i], f);
}

/* The profile deviance at x = (theta, mu) (random) or (mu). */
static sm_status umfs_profile(struct sm_ctx *ctx, void *data, const double *x, double *f)
{
	struct umfs *m = data;
	m->theta = m->random ? x[0] : 0;
	m->mu = m->random ? x[1] : x[0];
	double total = 0;
	for (m->i = 0; m->i < m->g->k; m->i++) {
		double fi;
		sm_status st = sm_glmm_minimize1(ctx, umfs_study, m, &m->g->inner[m->i], &fi);
		if (st != SM_OK)
			return st;
		total += fi;
	}
	*f = total;
	return SM_OK;
}

static void umfs_start(struct sm_glmm_data *g)
{
	for (size_t i = 0; i < g->k; i++) {
		g->inner[i] = log((g->ci[i] + 0.5) / (g->di[i] + 0.5));
		g->mode[i] = 0;
	}
}

/* Woolf's log odds ratios of the tables without a zero cell, with their
 * information: the saturated model of the unconditional likelihood. */
static int has_zero_cell(const struct sm_glmm_data *g, size_t i)
{
	return g->ai[i] == 0 || g->bi[i] == 0 || g->ci[i] == 0 || g->di[i] == 0;
}

static double woolf_wald(const struct sm_glmm_data *g)
{
	double sw = 0, swt = 0;
	for (size_t i = 0; i < g->k; i++) {
		if (has_zero_cell(g, i))
			continue;
		double t = log(g->ai[i] * g->di[i] / (g->bi[i] * g->ci[i]));
		double w = 1 / (1 / g->ai[i] + 1 / g->bi[i] + 1 / g->ci[i] + 1 / g->di[i]);
		sw += w;
		swt += w * t;
	}
	if (!(sw > 0))
		return 0;
	double mean = swt / sw, q = 0;
	for (size_t i = 0; i < g->k; i++) {
		if (has_zero_cell(g, i))
			continue;
		double t = log(g->ai[i] * g->di[i] / (g->bi[i] * g->ci[i]));
		double w = 1 / (1 / g->ai[i] + 1 / g->bi[i] + 1 / g->ci[i] + 1 / g->di[i]);
		q += w * (t - mean) * (t - mean);
	}
	return q;
}

/* Copy estimate and variance from a minimum: V = 2 H^-1 (lme4's vcov from
 * the deviance's Hessian), b the parameter at index ib. */
static sm_status take_estimate(struct sm_ctx *ctx, const struct sm_glmm_min *mn, size_t ib,
			       double *b, double *var_b, double *v_full)
{
	double h[SM_GLMM_MAXP * SM_GLMM_MAXP];
	memcpy(h, mn->hess, sizeof h);
	sm_status st = sm_glmm_spd_inverse(ctx, h, mn->d);
	if (st != SM_OK)
		return st;
	*b = mn->x[ib];
	*var_b = 2 * h[ib * mn->d + ib];
	if (v_full)
		for (size_t i = 0; i < mn->d * mn->d; i++)
			v_full[i] = 2 * h[i];
	return SM_OK;
}

static const double unit_scale[SM_GLMM_MAXP] = { 1, 1, 1, 1 };

sm_status sm_glmm_fit_um_fs(struct sm_ctx *ctx, struct sm_glmm_data *g, int random,
			    struct sm_glmm_fit *fit, struct sm_glmm_het *het)
{
	struct umfs m = { .g = g, .random = 0 };
	struct sm_glmm_min fe, ml;
	umfs_start(g);
	double x0 = 0;
	sm_status st = sm_glmm_minimize(ctx, umfs_profile, &m, 1, &x0, unit_scale, &fe);
	if (st != SM_OK)
		return st;
	double ll_fe = g->ll_sat_um - fe.f / 2, var;
	if (het) {
		het->ll_fe = ll_fe;
		het->ll_qe = g->ll_sat_um;
		het->wald = woolf_wald(g);
		het->ok = 1;
	}
	if (!random) {
		fit->tau2 = 0;
		fit->ll = ll_fe;
		fit->dev = fe.f;
		if ((st = take_estimate(ctx, &fe, 0, &fit->b, &var, NULL)) != SM_OK)
			return st;
		fit->se = sqrt(var);
		return SM_OK;
	}
	m.random = 1;
	double start[2] = { 0.5, fe.x[0] };
	st = sm_glmm_minimize(ctx, umfs_profile, &m, 2, start, unit_scale, &ml);
	if (st != SM_OK)
		return st;
	fit->tau2 = ml.x[0] * ml.x[0];
	fit->ll = g->ll_sat_um - ml.f / 2;
	fit->dev = ml.f;
	if ((st = take_estimate(ctx, &ml, 1, &fit->b, &var, NULL)) != SM_OK)
		return st;
	fit->se = sqrt(var);
	return SM_OK;
}

/* ---- UM.RS ---------------------------------------------------------------- */

/* Treated eta = c + mu + sigma u1 + tau u2/2, control eta = c + sigma u1 -
 * tau u2/2; the common-effect version has tau = 0 and one random effect.
 * The saturated model frees each study's log odds ratio L_i (profiled out);
 * a treated arm with no events or only events has L_i = -inf or +inf, and
 * then adds nothing to the deviance: the study keeps its control arm. */
enum umrs_kind { UMRS_FE, UMRS_ML, UMRS_SAT };

struct umrs {
	struct sm_glmm_data *g;
	enum umrs_kind kind;
	size_t i;
	double sigma, c, fixed_L; /* per-study evaluation of the saturated model */
	int hold_L;               /* saturated: keep L_i at g->inner (Hessian) */
};

static int arm_saturates(const struct sm_glmm_data *g, size_t i)
{
	return g->ai[i] == 0 || g->bi[i] == 0;
}

static sm_status umrs_sat_study(struct sm_ctx *ctx, void *data, double L, double *f)
{
	struct umrs *m = data;
	const struct sm_glmm_data *g = m->g;
	struct sm_binobs o[2];
	arms(g, m->i, 1, 0, 1, 0, o);
	o[0].off = m->c + L;
	o[1].off = m->c;
	return sm_agq_cluster(ctx, &g->agq, o, 2, m->sigma, &m->g->mode[m->i], f);
}

static sm_status umrs_control_only(struct sm_ctx *ctx, struct umrs *m, double *f)
{
	const struct sm_glmm_data *g = m->g;
	struct sm_binobs o = g->arm[2 * m->i + 1];
	o.z1 = 1;
	o.off = m->c;
	return sm_agq_cluster(ctx, &g->agq, &o, 1, m->sigma, &m->g->mode[m->i], f);
}

static sm_status umrs_dev(struct sm_ctx *ctx, void *data, const double *x, double *f)
{
	struct umrs *m = data;
	struct sm_glmm_data *g = m->g;
	double total = 0;
	sm_status st = SM_OK;
	for (size_t i = 0; i < g->k && st == SM_OK; i++) {
		double fi = 0;
		struct sm_binobs o[2];
		arms(g, i, 1, 0.5, 1, -0.5, o);
		switch (m->kind) {
		case UMRS_FE: /* x = (sigma, c, mu) */
			o[0].off = x[1] + x[2];
			o[1].off = x[1];
			st = sm_agq_cluster(ctx, &g->agq, o, 2, x[0], &g->mode[i], &fi);
			break;
		case UMRS_ML: /* x = (sigma, tau, c, mu) */
			o[0].off = x[2] + x[3];
			o[1].off = x[2];
			st = sm_laplace2_cluster(ctx, o, 2, x[0], x[1], &g->mode[2 * i], &fi);
			break;
		case UMRS_SAT: /* x = (sigma, c) */
			m->i = i;
			m->sigma = x[0];
			m->c = x[1];
			if (arm_saturates(g, i))
				st = umrs_control_only(ctx, m, &fi);
			else if (m->hold_L)
				st = umrs_sat_study(ctx, m, g->inner[i], &fi);
			else
				st = sm_glmm_minimize1(ctx, umrs_sat_study, m, &g->inner[i], &fi);
			break;
		}
		total += fi;
	}
	*f = total;
	return st;
}

/* One study's deviance over (sigma, c, L_i), for the saturated Hessian. */
struct umrs_one {
	struct umrs *m;
	size_t i;
};

static sm_status umrs_one_dev(struct sm_ctx *ctx, void *data, const double *x, double *f)
{
	struct umrs_one *o = data;
	o->m->i = o->i;
	o->m->sigma = x[0];
	o->m->c = x[1];
	return umrs_sat_study(ctx, o->m, x[2], f);
}

/* Wald test of equal L_i in the saturated model: with A the inverse
 * covariance of the L_i (half the Schur complement of the deviance's
 * Hessian after eliminating sigma and c), W = L'AL - (1'AL)^2 / 1'A1.
 * A = D - B E^-1 B' is diagonal plus rank two, so every product is O(k). */
static sm_status umrs_sat_wald(struct sm_ctx *ctx, struct umrs *m, const double *x, double f0,
			       double *wald)
{
	struct sm_glmm_data *g = m->g;
	size_t k = g->k, n = 0;
	double E[4] = { 0, 0, 0, 0 }, sB1[2] = { 0, 0 }, sBL[2] = { 0, 0 };
	double sD1 = 0, sDL = 0, sDLL = 0;
	double scale[3] = { 1, 1, 1 };
	m->hold_L = 1;
	double hx[4];
	sm_status st = sm_glmm_hessian(ctx, umrs_dev, m, 2, x, scale, f0, hx);
	m->hold_L = 0;
	if (st != SM_OK)
		return st;
	memcpy(E, hx, sizeof E);
	for (size_t i = 0; i < k && st == SM_OK; i++) {
		if (arm_saturates(g, i))
			continue;
		struct umrs_one one = { m, i };
		double p[3] = { x[0], x[1], g->inner[i] }, fi, h[9];
		if ((st = umrs_one_dev(ctx, &one, p, &fi)) != SM_OK ||
		    (st = sm_glmm_hessian(ctx, umrs_one_dev, &one, 3, p, scale, fi, h)) != SM_OK)
			break;
		double D = h[8] / 2, B0 = h[2] / 2, B1 = h[5] / 2, L = g->inner[i];
		sD1 += D;
		sDL += D * L;
		sDLL += D * L * L;
		sB1[0] += B0;
		sB1[1] += B1;
		sBL[0] += B0 * L;
		sBL[1] += B1 * L;
		n++;
	}
	if (st != SM_OK)
		return st;
	if (n < 2) {
		*wald = 0;
		return SM_OK;
	}
	/* E/2 is the (sigma, c) block of half the Hessian */
	for (size_t i = 0; i < 4; i++)
		E[i] /= 2;
	if ((st = sm_glmm_spd_inverse(ctx, E, 2)) != SM_OK)
		return st;
	/* u'Av = u'Dv - (B'u)' E^-1 (B'v) */
	double q11 = sB1[0] * (E[0] * sB1[0] + E[1] * sB1[1]) +
		     sB1[1] * (E[2] * sB1[0] + E[3] * sB1[1]);
	double q1L = sB1[0] * (E[0] * sBL[0] + E[1] * sBL[1]) +
		     sB1[1] * (E[2] * sBL[0] + E[3] * sBL[1]);
	double qLL = sBL[0] * (E[0] * sBL[0] + E[1] * sBL[1]) +
		     sBL[1] * (E[2] * sBL[0] + E[3] * sBL[1]);
	double a11 = sD1 - q11, a1L = sDL - q1L, aLL = sDLL - qLL;
	*wald = aLL - a1L * a1L / a11;
	return SM_OK;
}

static void umrs_start(struct sm_glmm_data *g)
{
	for (size_t i = 0; i < g->k; i++) {
		g->inner[i] = log((g->ai[i] + 0.5) / (g->bi[i] + 0.5)) -
			      log((g->ci[i] + 0.5) / (g->di[i] + 0.5));
		g->mode[2 * i] = g->mode[2 * i + 1] = 0;
	}
}

sm_status sm_glmm_fit_um_rs(struct sm_ctx *ctx, struct sm_glmm_data *g, int random,
			    struct sm_glmm_fit *fit, struct sm_glmm_het *het)
{
	double sa = 0, sn = 0;
	for (size_t i = 0; i < g->k; i++) {
		sa += g->ci[i];
		sn += g->ci[i] + g->di[i];
	}
	struct umrs m = { .g = g, .kind = UMRS_FE };
	struct sm_glmm_min fe, ml, sat;
	umrs_start(g);
	double x0[3] = { 1, log(sa + 0.5) - log(sn - sa + 0.5), 0 }, var;
	sm_status st = sm_glmm_minimize(ctx, umrs_dev, &m, 3, x0, unit_scale, &fe);
	if (st != SM_OK)
		return st;
	if (het) {
		memset(het, 0, sizeof *het);
		het->ll_fe = g->ll_sat_um - fe.f / 2;
		m.kind = UMRS_SAT;
		double xs[2] = { fe.x[0], fe.x[1] };
		umrs_start(g);
		if (g->k > 1 && sm_glmm_minimize(ctx, umrs_dev, &m, 2, xs, unit_scale, &sat) == SM_OK &&
		    umrs_sat_wald(ctx, &m, sat.x, sat.f, &het->wald) == SM_OK) {
			het->ll_qe = g->ll_sat_um - sat.f / 2;
			het->ok = 1;
		} else {
			sm_ctx_clear_error(ctx);
		}
	}
	if (!random) {
		fit->tau2 = 0;
		fit->sigma2 = fe.x[0] * fe.x[0];
		fit->ll = g->ll_sat_um - fe.f / 2;
		fit->dev = fe.f;
		if ((st = take_estimate(ctx, &fe, 2, &fit->b, &var, NULL)) != SM_OK)
			return st;
		fit->se = sqrt(var);
		return SM_OK;
	}
	m.kind = UMRS_ML;
	umrs_start(g);
	double x1[4] = { fe.x[0], 0.5, fe.x[1], fe.x[2] };
	if ((st = sm_glmm_minimize(ctx, umrs_dev, &m, 4, x1, unit_scale, &ml)) != SM_OK)
		return st;
	fit->sigma2 = ml.x[0] * ml.x[0];
	fit->tau2 = ml.x[1] * ml.x[1];
	fit->ll = g->ll_sat_um - ml.f / 2;
	/* lme4's Laplace objective carries the binomial constants */
	fit->dev = ml.f - 2 * g->ll_sat_um;
	if ((st = take_estimate(ctx, &ml, 3, &fit->b, &var, NULL)) != SM_OK)
		return st;
	fit->se = sqrt(var);
	return SM_OK;
}

sm_status sm_glmm_um_objective_at(struct sm_ctx *ctx, struct sm_glmm_data *g,
				  enum sm_glmm_model model, int random, const double *theta,
				  const double *beta, double *dev)
{
	double total = 0;
	sm_status st = SM_OK;
	for (size_t i = 0; i < g->k && st == SM_OK; i++) {
		double fi = 0, u[2] = { 0, 0 };
		struct sm_binobs o[2];
		if (model == SM_GLMM_UM_FS) {
			arms(g, i, 0.5, 0, -0.5, 0, o);
			o[0].off = beta[1 + i] + beta[0];
			o[1].off = beta[1 + i];
			st = sm_agq_cluster(ctx, &g->agq, o, 2, random ? theta[0] : 0, u, &fi);
		} else {
			arms(g, i, 1, 0.5, 1, -0.5, o);
			o[0].off = beta[1] + beta[0];
			o[1].off = beta[1];
			if (random)
				st = sm_laplace2_cluster(ctx, o, 2, theta[0], theta[1], u, &fi);
			else
				st = sm_agq_cluster(ctx, &g->agq, o, 2, theta[0], u, &fi);
		}
		total += fi;
	}
	*dev = model == SM_GLMM_UM_RS && random ? total - 2 * g->ll_sat_um : total;
	return st;
}
