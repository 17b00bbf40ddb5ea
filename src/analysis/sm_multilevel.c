#include "sm_multilevel.h"

#include "sm_buf.h"
#include "sm_stats.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A step at or below this fraction of a component (plus a floor scaled
 * to the sampling variances) ends the iteration: the Newton step's size is
 * then the remaining error, far below what the output prints. */
#define ML_STEP_TOL 1e-14
#define ML_MAX_HALVINGS 60
/* Steps below this relative size are taken without a strict increase of
 * the likelihood, which cannot resolve them. */
#define ML_NEAR_TOL 1e-6

struct sm_ml_opts sm_ml_defaults(enum sm_method method, int t_test, double level)
{
	struct sm_ml_opts o = { method, t_test, level, 1000 };
	return o;
}

/* Per-cluster sums of one evaluation (n_clusters each). */
struct ml_ws {
	double *W, *Q2, *Q3, *S, *Rw, *Rw2;
};

static void ws_release(struct ml_ws *w)
{
	free(w->W);
}

static sm_status ws_init(struct sm_ctx *ctx, struct ml_ws *w, size_t n)
{
	w->W = sm_alloc_array(6 * n, sizeof(double));
	if (!w->W)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	w->Q2 = w->W + n;
	w->Q3 = w->Q2 + n;
	w->S = w->Q3 + n;
	w->Rw = w->S + n;
	w->Rw2 = w->Rw + n;
	return SM_OK;
}

/* The likelihood at one sigma2 with its derivatives in (sigma2[0],
 * sigma2[1]): g the score, H the Hessian, F the expected information. */
struct ml_eval {
	double ll, b, A;
	double g[2], H[2][2], F[2][2];
};

/* Sums over clusters that the derivatives are made of (see evaluate). */
struct ml_terms {
	double A, trVi, U1, U2, T22, Uv11, Uv12, Uv22;
	double R1, R2, ru1, ru2, Rv11, Rv12, Rv22, rss, logdet;
};

/* Row pass 1: per-cluster weight sums, then b and the u = V^-1 1 terms. */
static void first_pass(const struct sm_ml_data *d, const double s[2], struct ml_ws *w,
		       struct ml_terms *t, double *b)
{
	size_t n = d->n_clusters;
	memset(w->W, 0, 6 * n * sizeof(double));
	struct sm_ksum logdet = { 0, 0 };
	for (size_t i = 0; i < d->k; i++) {
		size_t c = d->cluster[i];
		double wi = 1 / (d->vi[i] + s[1]);
		w->W[c] += wi;
		w->Q2[c] += wi * wi;
		w->Q3[c] += wi * wi * wi;
		w->S[c] += wi * d->yi[i];
		sm_ksum_add(&logdet, log(d->vi[i] + s[1]));
	}
	struct sm_ksum A = { 0, 0 }, B = { 0, 0 }, trVi = { 0, 0 }, U1 = { 0, 0 }, U2 = { 0, 0 };
	struct sm_ksum T22 = { 0, 0 }, Uv11 = { 0, 0 }, Uv12 = { 0, 0 }, Uv22 = { 0, 0 };
	for (size_t c = 0; c < n; c++) {
		if (w->W[c] == 0)
			continue; /* a cluster without rows */
		double a = 1 + s[0] * w->W[c], h = s[0] / a, Wa = w->W[c] / a;
		sm_ksum_add(&logdet, log(a));
		sm_ksum_add(&A, Wa);
		sm_ksum_add(&B, w->S[c] / a);
		sm_ksum_add(&trVi, -h * w->Q2[c]);
		sm_ksum_add(&U1, Wa * Wa);
		sm_ksum_add(&U2, w->Q2[c] / (a * a));
		sm_ksum_add(&T22, w->Q2[c] - 2 * h * w->Q3[c] + h * h * w->Q2[c] * w->Q2[c]);
		sm_ksum_add(&Uv11, Wa * Wa * Wa);
		sm_ksum_add(&Uv12, Wa * w->Q2[c] / (a * a));
		sm_ksum_add(&Uv22, (w->Q3[c] - h * w->Q2[c] * w->Q2[c]) / (a * a));
	}
	t->A = sm_ksum_get(&A);
	*b = sm_ksum_get(&B) / t->A;
	t->trVi = sm_ksum_get(&trVi);
	t->U1 = sm_ksum_get(&U1);
	t->U2 = sm_ksum_get(&U2);
	t->T22 = sm_ksum_get(&T22);
	t->Uv11 = sm_ksum_get(&Uv11);
	t->Uv12 = sm_ksum_get(&Uv12);
	t->Uv22 = sm_ksum_get(&Uv22);
	t->logdet = sm_ksum_get(&logdet);
}

/* Row pass 2: the residual terms, with r = V^-1 (y - b). */
static void second_pass(const struct sm_ml_data *d, const double s[2], double b,
			struct ml_ws *w, struct ml_terms *t)
{
	size_t n = d->n_clusters;
	struct sm_ksum R2 = { 0, 0 }, rss = { 0, 0 }, trw = { 0, 0 };
	for (size_t i = 0; i < d->k; i++) {
		size_t c = d->cluster[i];
		double wi = 1 / (d->vi[i] + s[1]);
		double a = 1 + s[0] * w->W[c];
		double Ec = w->S[c] - b * w->W[c];
		double e = d->yi[i] - b;
		double r = wi * (e - s[0] * Ec / a);
		w->Rw[c] += wi * r;
		w->Rw2[c] += wi * r * r;
		sm_ksum_add(&R2, r * r);
		sm_ksum_add(&rss, e * r);
		sm_ksum_add(&trw, wi);
	}
	struct sm_ksum R1 = { 0, 0 }, ru1 = { 0, 0 }, ru2 = { 0, 0 };
	struct sm_ksum Rv11 = { 0, 0 }, Rv12 = { 0, 0 }, Rv22 = { 0, 0 };
	for (size_t c = 0; c < n; c++) {
		if (w->W[c] == 0)
			continue;
		double a = 1 + s[0] * w->W[c], Wa = w->W[c] / a;
		double Ea = (w->S[c] - b * w->W[c]) / a; /* sum of r over the cluster */
		sm_ksum_add(&R1, Ea * Ea);
		sm_ksum_add(&ru1, Ea * Wa);
		sm_ksum_add(&ru2, w->Rw[c] / a);
		sm_ksum_add(&Rv11, Ea * Ea * Wa);
		sm_ksum_add(&Rv12, Ea * w->Rw[c] / a);
		sm_ksum_add(&Rv22, w->Rw2[c] - s[0] / a * w->Rw[c] * w->Rw[c]);
	}
	t->trVi += sm_ksum_get(&trw);
	t->R1 = sm_ksum_get(&R1);
	t->R2 = sm_ksum_get(&R2);
	t->ru1 = sm_ksum_get(&ru1);
	t->ru2 = sm_ksum_get(&ru2);
	t->Rv11 = sm_ksum_get(&Rv11);
	t->Rv12 = sm_ksum_get(&Rv12);
	t->Rv22 = sm_ksum_get(&Rv22);
	t->rss = sm_ksum_get(&rss);
}

/*
 * With V1 = blockdiag(J) and V2 = I the derivatives of the marginal
 * covariance, u = V^-1 1, r = V^-1 (y - b), A = 1'V^-1 1 and P the REML
 * projection V^-1 - u u'/A:
 *   score_r  = -1/2 tr(P Vr) + 1/2 r'Vr r      (ML: V^-1 in the trace)
 *   Hessian  =  1/2 tr(P Vr P Vs) - r'Vr P Vs r (ML: V^-1 in the trace)
 *   expected =  1/2 tr(P Vr P Vs)               (ML: V^-1)
 * where tr(P Vr P Vs) = tr(Vi Vr Vi Vs) - 2 u'Vr Vi Vs u / A
 * + (u'Vr u)(u'Vs u) / A^2 and r'Vr P Vs r = r'Vr Vi Vs r - (r'Vr u)(r'Vs u)/A;
 * every term is a sum of per-cluster closed forms (the terms above).
 */
static void evaluate(const struct sm_ml_data *d, const double s[2], int reml,
		     struct ml_ws *w, struct ml_eval *e)
{
	struct ml_terms t;
	double b;
	first_pass(d, s, w, &t, &b);
	second_pass(d, s, b, w, &t);
	double k = (double)d->k, l2pi = log(2 * M_PI);
	double uVu[2] = { t.U1, t.U2 };
	double T[2][2] = { { t.U1, t.U2 }, { t.U2, t.T22 } };
	double Uv[2][2] = { { t.Uv11, t.Uv12 }, { t.Uv12, t.Uv22 } };
	double Rv[2][2] = { { t.Rv11, t.Rv12 }, { t.Rv12, t.Rv22 } };
	double ru[2] = { t.ru1, t.ru2 };
	double rVr[2] = { t.R1, t.R2 };
	double trV[2] = { t.A, t.trVi };
	e->b = b;
	e->A = t.A;
	if (reml)
		e->ll = -0.5 * (k - 1) * l2pi + 0.5 * log(k) - 0.5 * t.logdet - 0.5 * log(t.A) -
			0.5 * t.rss;
	else
		e->ll = -0.5 * k * l2pi - 0.5 * t.logdet - 0.5 * t.rss;
	for (int r = 0; r < 2; r++) {
		double tr = reml ? trV[r] - uVu[r] / t.A : trV[r];
		e->g[r] = -0.5 * tr + 0.5 * rVr[r];
		for (int q = 0; q < 2; q++) {
			double tpp = T[r][q];
			if (reml)
				tpp += -2 * Uv[r][q] / t.A + uVu[r] * uVu[q] / (t.A * t.A);
			double rpr = Rv[r][q] - ru[r] * ru[q] / t.A;
			e->F[r][q] = 0.5 * tpp;
			e->H[r][q] = 0.5 * tpp - rpr;
		}
	}
}

/* Candidate steps x (s + x >= 0) from the local quadratic model: the
 * Newton step in both components (Fisher scoring where -H is not positive
 * definite), projected on the box, and the step along each boundary face
 * (one component to 0, Newton in the other: where the maximum is on the
 * boundary this is the exact reduced problem, which converges
 * quadratically even where the full Hessian is indefinite).  Returns the
 * number of candidates. */
static int candidate_steps(const struct ml_eval *e, const double s[2], double x[3][2])
{
	double a = -e->H[0][0], b = -e->H[0][1], c = -e->H[1][1];
	int pd = a > 0 && c > 0 && a * c - b * b > 0;
	double M[2][2];
	for (int r = 0; r < 2; r++)
		for (int q = 0; q < 2; q++)
			M[r][q] = pd ? -e->H[r][q] : e->F[r][q];
	int n = 0;
	double det = M[0][0] * M[1][1] - M[0][1] * M[1][0];
	if (det > 0) {
		x[n][0] = (M[1][1] * e->g[0] - M[0][1] * e->g[1]) / det;
		x[n][1] = (M[0][0] * e->g[1] - M[1][0] * e->g[0]) / det;
		for (int r = 0; r < 2; r++)
			if (x[n][r] < -s[r])
				x[n][r] = -s[r];
		n++;
	}
	for (int r = 0; r < 2; r++) {
		int o = 1 - r;
		int newton = e->H[o][o] < 0;
		double moo = newton ? -e->H[o][o] : e->F[o][o];
		double mor = newton ? -e->H[o][r] : e->F[o][r];
		if (!(moo > 0))
			continue;
		x[n][r] = -s[r];
		double xo = (e->g[o] + mor * s[r]) / moo;
		x[n][o] = xo < -s[o] ? -s[o] : xo;
		n++;
	}
	return n;
}

/* s + t x, landing exactly on 0 where a full step asks for it. */
static void step_to(const double s[2], const double x[2], double t, double out[2])
{
	for (int r = 0; r < 2; r++)
		out[r] = t == 1 && x[r] == -s[r] ? 0 : fmax(0, s[r] + t * x[r]);
}

/* Starting values as rma.mv: the residual variance around the
 * common-effect estimate beyond the typical vi, split in two. */
static void start_values(const struct sm_ml_data *d, double s[2])
{
	struct sm_ksum sw = { 0, 0 }, swy = { 0, 0 }, sinv = { 0, 0 };
	for (size_t i = 0; i < d->k; i++) {
		sm_ksum_add(&sw, 1 / d->vi[i]);
		sm_ksum_add(&swy, d->yi[i] / d->vi[i]);
	}
	double bfe = sm_ksum_get(&swy) / sm_ksum_get(&sw);
	double mean = 0, ss = 0;
	for (size_t i = 0; i < d->k; i++)
		mean += (d->yi[i] - bfe) / (double)d->k;
	for (size_t i = 0; i < d->k; i++) {
		double r = d->yi[i] - bfe - mean;
		ss += r * r;
		sm_ksum_add(&sinv, 1 / d->vi[i]);
	}
	double total = ss / (double)(d->k - 1) - 1 / (sm_ksum_get(&sinv) / (double)d->k);
	total = fmax(0.002, total);
	s[0] = s[1] = total / 2;
}

static sm_status check_data(struct sm_ctx *ctx, const struct sm_ml_data *d)
{
	if (d->n_clusters < 2)
		return SM_FAIL(ctx, SM_EINPUT, "the multilevel model needs at least 2 clusters; "
			       "got %zu", d->n_clusters);
	size_t *count = calloc(d->n_clusters, sizeof *count);
	if (!count)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	int several = 0;
	sm_status st = SM_OK;
	for (size_t i = 0; i < d->k && st == SM_OK; i++) {
		if (d->cluster[i] >= d->n_clusters)
			st = SM_FAIL(ctx, SM_EINTERNAL, "cluster index %zu out of range", d->cluster[i]);
		else if (!isfinite(d->yi[i]) || !isfinite(d->vi[i]) || d->vi[i] <= 0)
			st = SM_FAIL(ctx, SM_EINPUT, "row %zu: yi and vi must be finite and vi > 0",
				     i + 1);
		else
			several |= ++count[d->cluster[i]] > 1;
	}
	free(count);
	if (st == SM_OK && !several)
		st = SM_FAIL(ctx, SM_EINPUT, "no cluster has more than one row, so the two variance "
			     "components of the multilevel model are not identifiable; expected "
			     "at least one cluster with several rows");
	return st;
}

static int step_small(const double x[2], const double s[2], double floor, double tol)
{
	return fabs(x[0]) <= tol * (s[0] + floor) && fabs(x[1]) <= tol * (s[1] + floor);
}

/* Maximise the likelihood over sigma2 >= 0: at each iteration the best of
 * the candidate steps (by the likelihood itself), halved until it ascends;
 * done when the chosen step is negligible. */
static sm_status estimate(struct sm_ctx *ctx, const struct sm_ml_data *d,
			  const struct sm_ml_opts *o, struct ml_ws *w, double s[2],
			  int *iterations)
{
	int reml = o->method == SM_REML;
	double vmean = 0;
	for (size_t i = 0; i < d->k; i++)
		vmean += d->vi[i] / (double)d->k;
	double floor = 1e-8 * vmean;
	start_values(d, s);
	struct ml_eval e, en, best_e;
	evaluate(d, s, reml, w, &e);
	for (int it = 1; it <= o->maxiter; it++) {
		double x[3][2], sn[2], best_s[2] = { s[0], s[1] }, best_x[2] = { 0, 0 };
		int n = candidate_steps(&e, s, x), found = 0;
		for (int h = 0; h < ML_MAX_HALVINGS && !found; h++) {
			double t = ldexp(1, -h);
			for (int c = 0; c < n; c++) {
				step_to(s, x[c], t, sn);
				evaluate(d, sn, reml, w, &en);
				/* within about 1e-6 of a maximum the likelihood is flat to
				 * rounding: there the quadratic model decides */
				double dx[2] = { sn[0] - s[0], sn[1] - s[1] };
				int up = en.ll > e.ll ||
					 (step_small(dx, s, floor, ML_NEAR_TOL) &&
					  en.ll >= e.ll - 8 * DBL_EPSILON * fabs(e.ll));
				if (isfinite(en.ll) && up && (!found || en.ll > best_e.ll)) {
					found = 1;
					best_e = en;
					best_s[0] = sn[0];
					best_s[1] = sn[1];
					best_x[0] = sn[0] - s[0];
					best_x[1] = sn[1] - s[1];
				}
			}
		}
		if (!found) {
			/* no ascent left: the maximum, unless a step was still large */
			*iterations = it;
			for (int c = 0; c < n; c++)
				if (step_small(x[c], s, floor, 1e-7))
					return SM_OK;
			return SM_FAIL(ctx, SM_EINPUT, "the multilevel %s fit did not converge "
				       "(no ascent along the Newton steps)", sm_method_name(o->method));
		}
		s[0] = best_s[0];
		s[1] = best_s[1];
		e = best_e;
		if (step_small(best_x, s, floor, ML_STEP_TOL)) {
			*iterations = it;
			return SM_OK;
		}
	}
	return SM_FAIL(ctx, SM_EINPUT, "the multilevel %s fit did not converge in %d iterations",
		       sm_method_name(o->method), o->maxiter);
}

/* Inference at sigma2, as rma.mv. */
static void infer(const struct sm_ml_data *d, const struct sm_ml_opts *o,
		  const struct ml_eval *e, const double s[2], struct sm_ml_fit *f)
{
	double alpha = (1 - o->level / 100) / 2;
	f->b = e->b;
	f->se = sqrt(1 / e->A);
	f->stat = f->b / f->se;
	double crit;
	if (o->t_test) {
		f->df = (double)d->k - 1;
		f->pval = sm_p2_t(f->stat, f->df);
		crit = sm_qt_upper(alpha, f->df);
	} else {
		f->df = NAN;
		f->pval = sm_p2_norm(f->stat);
		crit = sm_qnorm_upper(alpha);
	}
	f->ci_lb = f->b - crit * f->se;
	f->ci_ub = f->b + crit * f->se;
	double pse = sqrt(f->se * f->se + s[0] + s[1]);
	f->pi_lb = f->b - crit * pse;
	f->pi_ub = f->b + crit * pse;
	f->ll = e->ll;
	/* Cochran's Q around the common-effect estimate (weights 1/vi) */
	struct sm_ksum sw = { 0, 0 }, swy = { 0, 0 }, q = { 0, 0 };
	for (size_t i = 0; i < d->k; i++) {
		sm_ksum_add(&sw, 1 / d->vi[i]);
		sm_ksum_add(&swy, d->yi[i] / d->vi[i]);
	}
	double bfe = sm_ksum_get(&swy) / sm_ksum_get(&sw);
	for (size_t i = 0; i < d->k; i++)
		sm_ksum_add(&q, (d->yi[i] - bfe) * (d->yi[i] - bfe) / d->vi[i]);
	f->QE_df = (double)d->k - 1;
	f->QE = sm_ksum_get(&q);
	f->QEp = sm_pchisq_upper(f->QE, f->QE_df);
}

static sm_status fit_at(struct sm_ctx *ctx, const struct sm_ml_data *d,
			const struct sm_ml_opts *o, const double s[2], int estimated,
			struct sm_ml_fit *out)
{
	if (o->method != SM_REML && o->method != SM_ML)
		return SM_FAIL(ctx, SM_EINPUT, "the multilevel model is fitted by REML or ML; "
			       "got %s", sm_method_name(o->method));
	sm_status st = check_data(ctx, d);
	if (st)
		return st;
	struct ml_ws w;
	if (ws_init(ctx, &w, d->n_clusters) != SM_OK)
		return SM_EINTERNAL;
	memset(out, 0, sizeof *out);
	double sig[2] = { s ? s[0] : 0, s ? s[1] : 0 };
	int iterations = 0;
	if (estimated)
		st = estimate(ctx, d, o, &w, sig, &iterations);
	else if (!(sig[0] >= 0 && sig[1] >= 0 && isfinite(sig[0]) && isfinite(sig[1])))
		st = SM_FAIL(ctx, SM_EINPUT, "sigma2 must be finite and >= 0");
	if (st == SM_OK) {
		struct ml_eval e;
		evaluate(d, sig, o->method == SM_REML, &w, &e);
		out->k = d->k;
		out->n_clusters = d->n_clusters;
		out->method = o->method;
		out->t_test = o->t_test;
		out->sigma2[0] = sig[0];
		out->sigma2[1] = sig[1];
		out->at_zero[0] = sig[0] == 0;
		out->at_zero[1] = sig[1] == 0;
		out->iterations = iterations;
		infer(d, o, &e, sig, out);
	}
	ws_release(&w);
	return st;
}

sm_status sm_ml_fit(struct sm_ctx *ctx, const struct sm_ml_data *d,
		    const struct sm_ml_opts *opts, struct sm_ml_fit *out)
{
	return fit_at(ctx, d, opts, NULL, 1, out);
}

sm_status sm_ml_fit_fixed(struct sm_ctx *ctx, const struct sm_ml_data *d,
			  const struct sm_ml_opts *opts, const double sigma2[2],
			  struct sm_ml_fit *out)
{
	return fit_at(ctx, d, opts, sigma2, 0, out);
}

sm_status sm_ml_weights(struct sm_ctx *ctx, const struct sm_ml_data *d,
			const double sigma2[2], double *weight_pct)
{
	double *W = calloc(d->n_clusters ? d->n_clusters : 1, sizeof *W);
	if (!W)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	for (size_t i = 0; i < d->k; i++)
		W[d->cluster[i]] += 1 / (d->vi[i] + sigma2[1]);
	struct sm_ksum sum = { 0, 0 };
	for (size_t i = 0; i < d->k; i++) {
		double wi = 1 / (d->vi[i] + sigma2[1]);
		double a = 1 + sigma2[0] * W[d->cluster[i]];
		weight_pct[i] = wi - sigma2[0] / a * wi * wi;
		sm_ksum_add(&sum, weight_pct[i]);
	}
	double total = sm_ksum_get(&sum);
	for (size_t i = 0; i < d->k; i++)
		weight_pct[i] = 100 * weight_pct[i] / total;
	free(W);
	return SM_OK;
}
