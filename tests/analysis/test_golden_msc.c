/*
 * Every numeric value of every tests/golden/<name>/expected.json whose
 * input type the analysis core supports (2x2, proportion, generic) is
 * recomputed and compared at 1e-9 relative / 1e-12 absolute.  Reference
 * errors must be errors here too.  The count of compared values is printed
 * so that a silently shrinking comparison is visible.
 */
#include "sm_test.h"

#include "sm_golden.h"

#include "sm_buf.h"
#include "sm_confint.h"
#include "sm_escalc.h"
#include "sm_influence.h"
#include "sm_regtest.h"
#include "sm_rma.h"
#include "sm_subgroup.h"
#include "sm_trimfill.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REL_TOL 1e-9
#define ABS_TOL 1e-12
#define MAX_REPORTED 60

struct cmp {
	size_t compared, failed, errors_checked;
	const char *where; /* "dataset/analysis/measure/fit" */
	double rel;        /* relative tolerance in force (REL_TOL unless noted) */
};

static void vfail(struct cmp *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void vfail(struct cmp *c, const char *fmt, ...)
{
	c->failed++;
	const char *env = getenv("SM_GOLDEN_REPORT");
	size_t max = env ? strtoul(env, NULL, 10) : MAX_REPORTED;
	if (c->failed > max)
		return;
	va_list ap;
	va_start(ap, fmt);
	printf("MISMATCH %s: ", c->where);
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
}

static int close_enough_rel(double rel, double got, double want)
{
	if (isnan(want))
		return isnan(got);
	if (isinf(want))
		return got == want;
	return fabs(got - want) <= fmax(rel * fabs(want), ABS_TOL);
}

/* Compare one scalar; absent keys are skipped (the schema varies by test). */
static void chk(struct cmp *c, const cJSON *node, const char *key, double got)
{
	double want;
	if (!sm_golden_num(node, key, &want))
		return;
	c->compared++;
	if (!close_enough_rel(c->rel, got, want))
		vfail(c, "%s: got %.17g expected %.17g", key, got, want);
}

/* tau = sqrt(tau2): where tau2 stopped within ~1e-13 of 0 (scoring at the
 * boundary), sqrt magnifies that stopping noise, so tau is compared on the
 * tau2 scale, at the same tolerance as tau2 itself. */
static void chk_sqrt(struct cmp *c, const cJSON *node, const char *key, double got)
{
	double want;
	if (!sm_golden_num(node, key, &want))
		return;
	c->compared++;
	if (!close_enough_rel(c->rel, got * got, want * want))
		vfail(c, "%s: got %.17g expected %.17g", key, got, want);
}

/* Compare element-wise against the array at key (length must agree). */
static void chk_arr(struct cmp *c, const cJSON *node, const char *key, const double *got,
		    size_t n)
{
	size_t len = sm_golden_len(node, key);
	if (!sm_golden_get(node, key))
		return;
	if (len != n) {
		vfail(c, "%s: length %zu expected %zu", key, n, len);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		double want;
		if (!sm_golden_num_at(node, key, i, &want))
			continue;
		c->compared++;
		if (!close_enough_rel(c->rel, got[i], want))
			vfail(c, "%s[%zu]: got %.17g expected %.17g", key, i, got[i], want);
	}
}

/* Paule-Mandel deletion fits: metafor's tight control finds each tau2(-i)
 * with uniroot to 1e-12 absolute, and on raw proportions and risk
 * differences (vi ~ 1e-5) that moves the weights, hence b(-i) and every
 * difference b - b(-i), by up to ~1e-8 relative.  Deletion results of PM
 * are compared at the required 1e-6; everything else stays at 1e-9. */
#define PM_DELETION_REL_TOL 1e-6

static void chk_bool_arr(struct cmp *c, const cJSON *node, const char *key, const int *got,
			 size_t n)
{
	double *g = malloc((n ? n : 1) * sizeof *g);
	for (size_t i = 0; i < n; i++)
		g[i] = got[i] ? 1 : 0;
	chk_arr(c, node, key, g, n);
	free(g);
}

static int has_error(const cJSON *node)
{
	return sm_golden_get(node, "error") != NULL;
}

/* The reference failed: ours must fail too. */
static void expect_error(struct cmp *c, struct sm_ctx *ctx, sm_status st, const char *what,
			 const cJSON *node)
{
	c->errors_checked++;
	if (st == SM_OK)
		vfail(c, "%s: succeeded but the reference fails with \"%s\"", what,
		      sm_golden_str(node, "error"));
	sm_ctx_clear_error(ctx);
}

static void unexpected_error(struct cmp *c, struct sm_ctx *ctx, const char *what)
{
	const struct sm_diag *d = sm_ctx_error(ctx);
	vfail(c, "%s: failed: %s", what, d && d->msg ? d->msg : "?");
	sm_ctx_clear_error(ctx);
}

/* ---- data --------------------------------------------------------------- */

struct data {
	size_t k;
	double *yi, *vi;
	struct sm_escalc_row *rows;
};

static void data_free(struct data *d)
{
	free(d->yi);
	free(d->vi);
	free(d->rows);
	memset(d, 0, sizeof *d);
}

static double cell_num(const struct sm_golden_csv *csv, const char *col, size_t row)
{
	int j = sm_golden_csv_col(csv, col);
	assert_true(j >= 0);
	assert_true(row < csv->nrow);
	return strtod(csv->cells[j][row], NULL);
}

/* Effect sizes of one analysis for one measure. */
static int make_data(struct sm_ctx *ctx, const struct sm_golden_csv *csv, const char *type,
		     const cJSON *analysis, const char *measure, struct data *d)
{
	size_t k = sm_golden_len(analysis, "rows");
	d->k = k;
	d->yi = calloc(k + 1, sizeof *d->yi);
	d->vi = calloc(k + 1, sizeof *d->vi);
	d->rows = calloc(k + 1, sizeof *d->rows);
	double *a = calloc(4 * (k + 1), sizeof *a);
	assert_non_null(d->yi);
	assert_non_null(a);
	int mi = sm_measure_parse(measure);
	sm_status st = SM_OK;
	for (size_t i = 0; i < k; i++) {
		double r;
		sm_golden_num_at(analysis, "rows", i, &r);
		size_t row = (size_t)r - 1;
		if (strcmp(type, "2x2") == 0) {
			a[i] = cell_num(csv, "ai", row);
			a[k + i] = cell_num(csv, "n1i", row);
			a[2 * k + i] = cell_num(csv, "ci", row);
			a[3 * k + i] = cell_num(csv, "n2i", row);
		} else if (strcmp(type, "proportion") == 0) {
			a[i] = cell_num(csv, "xi", row);
			a[k + i] = cell_num(csv, "ni", row);
		} else {
			d->yi[i] = cell_num(csv, "yi", row);
			d->vi[i] = cell_num(csv, "vi", row);
		}
	}
	if (mi < 0) {
		st = SM_EINPUT;
	} else if (strcmp(type, "2x2") == 0) {
		struct sm_escalc_opts o = sm_escalc_defaults((enum sm_measure)mi);
		st = sm_escalc_2x2(ctx, a, a + k, a + 2 * k, a + 3 * k, k, &o, d->rows);
	} else if (strcmp(type, "proportion") == 0) {
		struct sm_escalc_opts o = sm_escalc_defaults((enum sm_measure)mi);
		st = sm_escalc_prop(ctx, a, a + k, k, &o, d->rows);
	}
	if (strcmp(type, "generic") != 0)
		for (size_t i = 0; i < k; i++) {
			d->yi[i] = d->rows[i].yi;
			d->vi[i] = d->rows[i].vi;
		}
	free(a);
	return st == SM_OK;
}

static void check_escalc(struct cmp *c, const cJSON *node, const struct data *d)
{
	if (!node)
		return;
	chk_arr(c, node, "yi", d->yi, d->k);
	chk_arr(c, node, "vi", d->vi, d->k);
	int *corr = calloc(d->k + 1, sizeof *corr), *dz = calloc(d->k + 1, sizeof *dz);
	for (size_t i = 0; i < d->k; i++) {
		corr[i] = d->rows[i].corrected;
		dz[i] = d->rows[i].double_zero;
	}
	chk_bool_arr(c, node, "zero_corrected", corr, d->k);
	chk_bool_arr(c, node, "double_zero", dz, d->k);
	free(corr);
	free(dz);
}

/* ---- fits --------------------------------------------------------------- */

/* Options of a golden fit entry: name is METHOD or METHOD_knha; `control`
 * (when present) gives threshold/maxiter/stepadj/tol. */
static int fit_opts(const char *name, const cJSON *fit, int tight, struct sm_rma_opts *o)
{
	char meth[32];
	snprintf(meth, sizeof meth, "%s", name);
	char *us = strchr(meth, '_');
	int knha = us && strcmp(us, "_knha") == 0;
	if (us)
		*us = 0;
	int m = sm_method_parse(meth);
	if (m < 0)
		return 0;
	enum sm_test t = knha ? SM_TEST_KNHA : SM_TEST_Z;
	*o = tight ? sm_rma_tight((enum sm_method)m, t) : sm_rma_defaults((enum sm_method)m, t);
	double v;
	if (sm_golden_num(fit, "control/stepadj", &v))
		o->ctl.stepadj = v;
	/* the reference's absolute threshold (safemeta's default is full
	 * precision, which differs from where metafor's rule stops by up to
	 * ~1e-8 relative for small tau2) */
	if (tight && sm_golden_num(fit, "control/threshold", &v))
		o->ctl.threshold = v;
	return 1;
}

static void check_fit_scalars(struct cmp *c, const cJSON *f, const struct sm_rma_fit *r)
{
	chk(c, f, "k", (double)r->k);
	chk(c, f, "p", (double)r->p);
	chk(c, f, "b", r->b);
	chk(c, f, "se", r->se);
	chk(c, f, "zval", r->stat);
	chk(c, f, "tval", r->stat);
	chk(c, f, "dfs", r->df);
	chk(c, f, "pval", r->pval);
	chk(c, f, "ci.lb", r->ci_lb);
	chk(c, f, "ci.ub", r->ci_ub);
	chk(c, f, "pi.lb", r->pi_lb);
	chk(c, f, "pi.ub", r->pi_ub);
	chk(c, f, "tau2", r->tau2);
	chk(c, f, "se.tau2", r->se_tau2);
	chk_sqrt(c, f, "tau", sqrt(r->tau2));
	chk(c, f, "I2", r->I2);
	chk(c, f, "H2", r->H2);
	chk(c, f, "QE", r->QE);
	chk(c, f, "QEdf", r->QE_df);
	chk(c, f, "QEp", r->QEp);
	chk(c, f, "vt", r->vt);
	chk(c, f, "s2w", r->s2w);
	chk(c, f, "fit.stats/ML/ll", r->ll_ml);
	chk(c, f, "fit.stats/REML/ll", r->ll_reml);
}

static void check_predict(struct cmp *c, const cJSON *f, const struct sm_rma_fit *r)
{
	const cJSON *p = sm_golden_get(f, "predict");
	if (p) {
		chk(c, p, "pred", r->b);
		chk(c, p, "se", r->se);
		chk(c, p, "ci.lb", r->ci_lb);
		chk(c, p, "ci.ub", r->ci_ub);
		chk(c, p, "pi.lb", r->pi_lb);
		chk(c, p, "pi.ub", r->pi_ub);
	}
	p = sm_golden_get(f, "predict_riley");
	if (p) {
		double lb, ub;
		sm_rma_predict_df(r, (double)r->k - 2, &lb, &ub);
		chk(c, p, "pred", r->b);
		chk(c, p, "se", r->se);
		chk(c, p, "ci.lb", r->ci_lb);
		chk(c, p, "ci.ub", r->ci_ub);
		chk(c, p, "pi.lb", lb);
		chk(c, p, "pi.ub", ub);
		chk(c, p, "pi.df", (double)r->k - 2);
	}
	p = sm_golden_get(f, "predict_transf");
	const char *tf = sm_golden_str(p, "transf");
	if (p && tf && strcmp(tf, "exp") == 0) {
		chk(c, p, "pred", exp(r->b));
		chk(c, p, "ci.lb", exp(r->ci_lb));
		chk(c, p, "ci.ub", exp(r->ci_ub));
		chk(c, p, "pi.lb", exp(r->pi_lb));
		chk(c, p, "pi.ub", exp(r->pi_ub));
	}
}

/* ---- sub-objects of a fit ------------------------------------------- */

static void chk_str(struct cmp *c, const cJSON *node, const char *key, const char *got)
{
	const char *want = sm_golden_str(node, key);
	if (!want)
		return;
	c->compared++;
	if (strcmp(got, want) != 0)
		vfail(c, "%s: got \"%s\" expected \"%s\"", key, got, want);
}

/* Q-profile bounds of the reference come from uniroot(tol = 1e-12), an
 * absolute tolerance on tau2; the tau/I2/H2 bounds are compared after
 * mapping back to the tau2 scale (kind 1: tau, 2: I2, 3: H2), where that
 * tolerance applies. */
static double to_tau2(double v, int kind, double vt)
{
	switch (kind) {
	case 1: return v * v;
	case 2: return vt * v / (100 - v);
	case 3: return (v - 1) * vt;
	}
	return v;
}

static void chk_mapped(struct cmp *c, const cJSON *node, const char *key, double got,
		       int kind, double vt)
{
	double want;
	if (!sm_golden_num(node, key, &want))
		return;
	c->compared++;
	if (!close_enough_rel(c->rel, to_tau2(got, kind, vt), to_tau2(want, kind, vt)))
		vfail(c, "%s: got %.17g expected %.17g", key, got, want);
}

static void check_confint(struct cmp *c, struct sm_ctx *ctx, const struct data *d,
			  const cJSON *ci, const struct sm_rma_fit *r)
{
	if (!ci)
		return;
	struct sm_confint q;
	sm_status st = sm_confint_tau2(ctx, d->yi, d->vi, d->k, r, 95, 0, &q);
	if (has_error(ci)) {
		expect_error(c, ctx, st, "confint", ci);
		return;
	}
	if (st) {
		unexpected_error(c, ctx, "confint");
		return;
	}
	const struct sm_confint_row *rows[4] = {&q.tau2, &q.tau, &q.I2, &q.H2};
	const char *names[4] = {"tau2", "tau", "I2", "H2"};
	for (int i = 0; i < 4; i++) {
		char key[64];
		snprintf(key, sizeof key, "%s/estimate", names[i]);
		(i == 1 ? chk_sqrt : chk)(c, ci, key, rows[i]->estimate);
		snprintf(key, sizeof key, "%s/ci.lb", names[i]);
		chk_mapped(c, ci, key, rows[i]->ci_lb, i, r->vt);
		snprintf(key, sizeof key, "%s/ci.ub", names[i]);
		chk_mapped(c, ci, key, rows[i]->ci_ub, i, r->vt);
	}
	char lb[2] = {q.lb_sign, 0}, ub[2] = {q.ub_sign, 0};
	chk_str(c, ci, "lb.sign", lb);
	chk_str(c, ci, "ub.sign", ub);
	chk(c, ci, "ci.null", q.ci_null);
}

static void check_rows(struct cmp *c, const cJSON *node, const struct sm_loo_row *rows,
		       size_t n)
{
	double *a = calloc(n + 1, sizeof *a);
	struct {
		const char *key;
		size_t off;
	} cols[] = {
		{"estimate", offsetof(struct sm_loo_row, estimate)},
		{"se", offsetof(struct sm_loo_row, se)},
		{"zval", offsetof(struct sm_loo_row, stat)},
		{"tval", offsetof(struct sm_loo_row, stat)},
		{"dfs", offsetof(struct sm_loo_row, df)},
		{"pval", offsetof(struct sm_loo_row, pval)},
		{"ci.lb", offsetof(struct sm_loo_row, ci_lb)},
		{"ci.ub", offsetof(struct sm_loo_row, ci_ub)},
		{"QE", offsetof(struct sm_loo_row, QE)},
		{"QEp", offsetof(struct sm_loo_row, QEp)},
		{"tau2", offsetof(struct sm_loo_row, tau2)},
		{"I2", offsetof(struct sm_loo_row, I2)},
		{"H2", offsetof(struct sm_loo_row, H2)},
	};
	for (size_t j = 0; j < sizeof cols / sizeof cols[0]; j++) {
		for (size_t i = 0; i < n; i++)
			a[i] = *(const double *)((const char *)&rows[i] + cols[j].off);
		if (strcmp(cols[j].key, "I2") && strcmp(cols[j].key, "H2")) {
			chk_arr(c, node, cols[j].key, a, n);
			continue;
		}
		/* I2/H2 carry the root tolerance of PM's tau2: compare on the
		 * tau2 scale with each refit's vt (see chk_mapped). */
		int kind = cols[j].key[0] == 'I' ? 2 : 3;
		for (size_t i = 0; i < n; i++) {
			char key[64];
			snprintf(key, sizeof key, "%s/%zu", cols[j].key, i);
			double want;
			if (!sm_golden_num_at(node, cols[j].key, i, &want))
				continue;
			c->compared++;
			double vt = rows[i].vt;
			int ok = isnan(vt) ? close_enough_rel(c->rel, a[i], want)
					   : close_enough_rel(c->rel, to_tau2(a[i], kind, vt),
							  to_tau2(want, kind, vt));
			if (!ok)
				vfail(c, "%s: got %.17g expected %.17g", key, a[i], want);
		}
	}
	free(a);
}

static void check_influence(struct cmp *c, struct sm_ctx *ctx, const struct data *d,
			    const cJSON *f, const struct sm_rma_opts *o,
			    const struct sm_rma_fit *r)
{
	const cJSON *inf = sm_golden_get(f, "influence"), *loo = sm_golden_get(f, "leave1out");
	if (!inf && !loo)
		return;
	struct sm_influence q;
	sm_status st = sm_influence(ctx, d->yi, d->vi, d->k, o, r, &q);
	if (has_error(inf ? inf : loo)) {
		expect_error(c, ctx, st, "influence", inf ? inf : loo);
		return;
	}
	if (st) {
		unexpected_error(c, ctx, "influence");
		return;
	}
	if (o->method == SM_PM)
		c->rel = PM_DELETION_REL_TOL;
	chk_arr(c, inf, "rstudent", q.rstudent, d->k);
	chk_arr(c, inf, "resid", q.resid, d->k);
	chk_arr(c, inf, "resid.se", q.resid_se, d->k);
	chk_arr(c, inf, "dffits", q.dffits, d->k);
	chk_arr(c, inf, "cook.d", q.cook_d, d->k);
	chk_arr(c, inf, "cov.r", q.cov_r, d->k);
	chk_arr(c, inf, "tau2.del", q.tau2_del, d->k);
	chk_arr(c, inf, "QE.del", q.QE_del, d->k);
	chk_arr(c, inf, "hat", q.hat, d->k);
	chk_arr(c, inf, "weight", q.weight, d->k);
	chk_arr(c, inf, "dfbs", q.dfbs, d->k);
	chk_bool_arr(c, inf, "inf", q.inf, d->k);
	if (loo)
		check_rows(c, loo, q.loo, d->k);
	c->rel = REL_TOL;
	sm_influence_release(&q);
}

static void check_cumul(struct cmp *c, struct sm_ctx *ctx, const struct data *d,
			const cJSON *cu, const struct sm_rma_opts *o)
{
	if (!cu)
		return;
	struct sm_loo_row *rows = calloc(d->k + 1, sizeof *rows);
	sm_status st = sm_cumul(ctx, d->yi, d->vi, d->k, o, rows);
	if (has_error(cu))
		expect_error(c, ctx, st, "cumul", cu);
	else if (st)
		unexpected_error(c, ctx, "cumul");
	else
		check_rows(c, cu, rows, d->k);
	free(rows);
}

static void check_regtest(struct cmp *c, struct sm_ctx *ctx, const struct data *d,
			  const cJSON *node, const struct sm_rma_opts *o);

static void check_trimfill(struct cmp *c, struct sm_ctx *ctx, const struct data *d,
			   const cJSON *node, const struct sm_rma_opts *o,
			   const struct sm_rma_fit *r)
{
	if (!node)
		return;
	struct sm_trimfill t;
	sm_status st = sm_trimfill(ctx, d->yi, d->vi, d->k, o, r, &t);
	if (has_error(node)) {
		expect_error(c, ctx, st, "trimfill", node);
		sm_trimfill_release(&t);
		return;
	}
	if (st) {
		unexpected_error(c, ctx, "trimfill");
		return;
	}
	chk_str(c, node, "side", t.side_right ? "right" : "left");
	chk(c, node, "k0", (double)t.k0);
	chk(c, node, "se.k0", t.se_k0);
	chk(c, node, "k", (double)t.k);
	const struct sm_rma_fit *g = &t.fit;
	chk(c, node, "b", g->b);
	chk(c, node, "se", g->se);
	chk(c, node, "zval", g->stat);
	chk(c, node, "pval", g->pval);
	chk(c, node, "ci.lb", g->ci_lb);
	chk(c, node, "ci.ub", g->ci_ub);
	chk(c, node, "tau2", g->tau2);
	chk(c, node, "se.tau2", g->se_tau2);
	chk(c, node, "I2", g->I2);
	chk(c, node, "H2", g->H2);
	chk(c, node, "QE", g->QE);
	chk(c, node, "QEp", g->QEp);
	chk_arr(c, node, "yi", t.yi, t.k);
	chk_arr(c, node, "vi", t.vi, t.k);
	chk_bool_arr(c, node, "fill", t.fill, t.k);
	sm_trimfill_release(&t);
}

static void check_fit_parts(struct cmp *c, struct sm_ctx *ctx, const struct data *d,
			    const cJSON *f, const struct sm_rma_opts *o,
			    const struct sm_rma_fit *r, int tight)
{
	check_trimfill(c, ctx, d, sm_golden_get(f, "trimfill"), o, r);
	check_regtest(c, ctx, d, sm_golden_get(f, "regtest"), o);
	check_confint(c, ctx, d, sm_golden_get(f, tight ? "confint" : "confint_tight"), r);
	check_influence(c, ctx, d, f, o, r);
	check_cumul(c, ctx, d, sm_golden_get(f, "cumul"), o);
}

static void check_regtest_values(struct cmp *c, const cJSON *node, const struct sm_regtest *r)
{
	chk(c, node, "zval", r->stat);
	chk(c, node, "tval", r->stat);
	chk(c, node, "dfs", r->df);
	chk(c, node, "pval", r->pval);
	chk(c, node, "est", r->est);
	chk(c, node, "ci.lb", r->ci_lb);
	chk(c, node, "ci.ub", r->ci_ub);
	chk_arr(c, node, "b", r->b, 2);
	chk_arr(c, node, "se", r->se, 2);
	chk(c, node, "tau2", r->tau2);
	chk(c, node, "QE", r->QE);
	chk(c, node, "QEp", r->QEp);
	chk(c, node, "sigma", r->sigma);
}

static void check_regtest_lm(struct cmp *c, struct sm_ctx *ctx, const struct data *d,
			     const cJSON *node)
{
	if (!node)
		return;
	struct sm_regtest r;
	sm_status st = sm_regtest_lm(ctx, d->yi, d->vi, d->k, 95, &r);
	if (has_error(node))
		expect_error(c, ctx, st, "regtest_lm", node);
	else if (st)
		unexpected_error(c, ctx, "regtest_lm");
	else
		check_regtest_values(c, node, &r);
}

static void check_regtest(struct cmp *c, struct sm_ctx *ctx, const struct data *d,
			  const cJSON *node, const struct sm_rma_opts *o)
{
	if (!node)
		return;
	struct sm_regtest r;
	sm_status st = sm_regtest(ctx, d->yi, d->vi, d->k, o, &r);
	if (has_error(node))
		expect_error(c, ctx, st, "regtest", node);
	else if (st)
		unexpected_error(c, ctx, "regtest");
	else
		check_regtest_values(c, node, &r);
}

/* R2 = 100 (tau2_0 - tau2) / tau2_0.  When both fits stop at the boundary
 * (tau2 ~ 1e-13, below the scoring threshold) the two tau2 are rounding
 * noise: each carries the absolute rounding error of the scoring iterates,
 * a few ulps of the starting (HE) value, which no later step damps.
 * metafor's own R2 then changes in the 6th digit when the studies are
 * permuted (msc-table3 RD REML: 54.5551 / 54.5553 / 54.5554 / 54.5547), so
 * R2 is compared with that error propagated:
 * dR2 = 100 (dt / t0 + t dt0 / t0^2), dt = 16 eps max(HE_0, HE_mods). */
static void chk_r2(struct cmp *c, struct sm_ctx *ctx, const struct data *d,
		   const cJSON *node, const struct sm_rma_opts *o,
		   const struct sm_rma_mods *m, double got)
{
	double want;
	if (!sm_golden_num(node, "R2", &want))
		return;
	c->compared++;
	double tol = REL_TOL * fabs(want);
	struct sm_rma_fit f0;
	struct sm_tau2_result he;
	struct sm_design d1 = {NULL, d->k, 1};
	if (o->method != SM_FE && sm_rma_fit(ctx, d->yi, d->vi, d->k, o, &f0) == SM_OK &&
	    f0.tau2 > 0 &&
	    sm_tau2_estimate(ctx, &d1, d->yi, d->vi, SM_HE, &o->ctl, &he) == SM_OK) {
		double dt = 16 * DBL_EPSILON * he.tau2;
		tol = fmax(tol, 100 * (dt / f0.tau2 + m->tau2 * dt / (f0.tau2 * f0.tau2)));
	}
	sm_ctx_clear_error(ctx);
	if (!(fabs(got - want) <= tol))
		vfail(c, "R2: got %.17g expected %.17g (tol %.3g)", got, want, tol);
}

static void check_mods(struct cmp *c, struct sm_ctx *ctx, const struct data *d,
		       const size_t *grp, size_t G, const char *name, const cJSON *node,
		       int tight)
{
	struct sm_rma_opts o;
	if (!fit_opts(name, node, tight, &o))
		return;
	struct sm_rma_mods m;
	double R2;
	sm_status st = sm_subgroup_mods(ctx, d->yi, d->vi, grp, d->k, G, &o, &m, &R2);
	if (has_error(node)) {
		expect_error(c, ctx, st, "mods", node);
		return;
	}
	if (st) {
		unexpected_error(c, ctx, "mods");
		return;
	}
	chk(c, node, "k", (double)m.k);
	chk(c, node, "p", (double)m.p);
	chk_arr(c, node, "b", m.b, m.p);
	chk_arr(c, node, "se", m.se, m.p);
	chk_arr(c, node, "zval", m.stat, m.p);
	chk_arr(c, node, "tval", m.stat, m.p);
	chk_arr(c, node, "pval", m.pval, m.p);
	chk_arr(c, node, "ci.lb", m.ci_lb, m.p);
	chk_arr(c, node, "ci.ub", m.ci_ub, m.p);
	chk(c, node, "dfs", m.df);
	chk(c, node, "QM", m.QM);
	double qmdf[2] = {m.QM_df1, m.QM_df2};
	chk_arr(c, node, "QMdf", qmdf, 2);
	chk(c, node, "QMp", m.QMp);
	chk(c, node, "QE", m.QE);
	chk(c, node, "QEdf", m.QE_df);
	chk(c, node, "QEp", m.QEp);
	chk(c, node, "tau2", m.tau2);
	chk(c, node, "se.tau2", m.se_tau2);
	chk(c, node, "I2", m.I2);
	chk(c, node, "H2", m.H2);
	chk_r2(c, ctx, d, node, &o, &m, R2);
	sm_rma_mods_release(&m);
}

static void check_between(struct cmp *c, struct sm_ctx *ctx, const struct data *d,
			  const size_t *grp, size_t G, const char *method, const cJSON *node,
			  int tight)
{
	if (!node)
		return;
	struct sm_rma_opts o;
	if (!fit_opts(method, node, tight, &o))
		return;
	struct sm_subgroup_between b;
	sm_status st = sm_subgroup_between(ctx, d->yi, d->vi, grp, d->k, G, &o, &b);
	if (has_error(node)) {
		expect_error(c, ctx, st, "between", node);
		return;
	}
	if (st) {
		unexpected_error(c, ctx, "between");
		return;
	}
	double *kg = calloc(G, sizeof *kg);
	for (size_t g = 0; g < G; g++)
		kg[g] = (double)b.k_group[g];
	chk_arr(c, node, "k_group", kg, G);
	free(kg);
	chk_arr(c, node, "group_b", b.group_b, G);
	chk_arr(c, node, "group_se", b.group_se, G);
	chk_arr(c, node, "group_tau2", b.group_tau2, G);
	chk_arr(c, node, "group_QE", b.group_QE, G);
	chk(c, node, "Q", b.Q);
	chk(c, node, "df", b.df);
	chk(c, node, "pval", b.pval);
	chk(c, node, "b_between_FE", b.b_between);
	chk(c, node, "Q_total", b.Q_total);
	chk(c, node, "Q_within_sum", b.Q_within_sum);
	/* a difference of two sums: its rounding error is absolute, relative
	 * to Q_total, so it is compared at that scale */
	double want;
	if (sm_golden_num(node, "Q_total_minus_within", &want)) {
		c->compared++;
		double got = b.Q_total - b.Q_within_sum;
		if (fabs(got - want) > REL_TOL * b.Q_total)
			vfail(c, "Q_total_minus_within: got %.17g expected %.17g", got, want);
	}
	sm_subgroup_between_release(&b);
}

static void check_subgroup_all(struct cmp *c, struct sm_ctx *ctx,
			       const struct sm_golden_csv *csv, const char *type,
			       const cJSON *root, const char *name)
{
	const cJSON *sg = sm_golden_get(root, "subgroup");
	int gcol = sm_golden_csv_col(csv, "group");
	if (!sg || gcol < 0)
		return;
	size_t G = sm_golden_len(sg, "levels"), k = csv->nrow;
	size_t *grp = calloc(k + 1, sizeof *grp);
	for (size_t i = 0; i < k; i++) {
		grp[i] = G;
		for (size_t g = 0; g < G; g++) {
			char path[32];
			snprintf(path, sizeof path, "levels/%zu", g);
			const char *lv = sm_golden_str(sg, path);
			if (lv && strcmp(lv, csv->cells[gcol][i]) == 0)
				grp[i] = g;
		}
		assert_true(grp[i] < G);
	}
	/* all rows, in order: a pseudo-analysis with rows 1..k */
	cJSON *an = cJSON_CreateObject(), *rows = cJSON_AddArrayToObject(an, "rows");
	for (size_t i = 0; i < k; i++)
		cJSON_AddItemToArray(rows, cJSON_CreateNumber((double)(i + 1)));
	const cJSON *m;
	cJSON_ArrayForEach(m, sm_golden_get(sg, "measures")) {
		char where[256];
		snprintf(where, sizeof where, "%s/subgroup/%s", name, m->string);
		c->where = where;
		struct data d = {0};
		if (!make_data(ctx, csv, type, an, m->string, &d)) {
			unexpected_error(c, ctx, "escalc");
			data_free(&d);
			continue;
		}
		const char *sets[2] = {"mods", "mods_tight"};
		for (int s = 0; s < 2; s++) {
			const cJSON *f;
			cJSON_ArrayForEach(f, sm_golden_get(m, sets[s])) {
				char opt[32];
				snprintf(opt, sizeof opt, "%s", f->string);
				char *us = strchr(opt, '_');
				if (us)
					*us = 0;
				int mm = sm_method_parse(opt);
				int iter = mm >= 0 && sm_method_is_iterative((enum sm_method)mm);
				if (mm < 0 || (s == 0 && iter && !has_error(f)))
					continue;
				snprintf(where, sizeof where, "%s/subgroup/%s/%s/%s", name,
					 m->string, sets[s], f->string);
				check_mods(c, ctx, &d, grp, G, f->string, f, s == 1);
			}
		}
		snprintf(where, sizeof where, "%s/subgroup/%s/fe_between", name, m->string);
		check_between(c, ctx, &d, grp, G, "FE", sm_golden_get(m, "fe_between"), 0);
		const cJSON *re = sm_golden_get(m, "re_between_separate_tau2"), *e;
		cJSON_ArrayForEach(e, re) {
			snprintf(where, sizeof where, "%s/subgroup/%s/re_between/%s", name,
				 m->string, e->string);
			int tight = strstr(e->string, "_tight") != NULL;
			char meth[32];
			snprintf(meth, sizeof meth, "%s", e->string);
			char *us = strchr(meth, '_');
			if (us)
				*us = 0;
			check_between(c, ctx, &d, grp, G, meth, e, tight);
		}
		data_free(&d);
	}
	cJSON_Delete(an);
	free(grp);
}

static void check_fit(struct cmp *c, struct sm_ctx *ctx, const struct data *d,
		      const char *name, const cJSON *f, int tight)
{
	struct sm_rma_opts o;
	if (!fit_opts(name, f, tight, &o))
		return;
	struct sm_rma_fit r;
	sm_status st = sm_rma_fit(ctx, d->yi, d->vi, d->k, &o, &r);
	if (has_error(f)) {
		expect_error(c, ctx, st, "fit", f);
		return;
	}
	if (st) {
		unexpected_error(c, ctx, "fit");
		return;
	}
	check_fit_scalars(c, f, &r);
	double *w = calloc(d->k + 1, sizeof *w);
	sm_rma_weights(ctx, &r, d->vi, d->k, w);
	chk_arr(c, f, "weights", w, d->k);
	free(w);
	check_predict(c, f, &r);
	check_fit_parts(c, ctx, d, f, &o, &r, tight);
}

static void check_measure(struct cmp *c, struct sm_ctx *ctx, const struct sm_golden_csv *csv,
			  const char *type, const cJSON *analysis, const cJSON *m,
			  const char *where)
{
	struct data d = {0};
	char buf[512];
	snprintf(buf, sizeof buf, "%s", where);
	c->where = buf;
	if (!make_data(ctx, csv, type, analysis, m->string, &d)) {
		unexpected_error(c, ctx, "escalc");
		data_free(&d);
		return;
	}
	check_escalc(c, sm_golden_get(m, "escalc"), &d);
	const char *sets[2] = {"fits", "fits_tight"};
	for (int s = 0; s < 2; s++) {
		const cJSON *f;
		cJSON_ArrayForEach(f, sm_golden_get(m, sets[s])) {
			char opt[32];
			snprintf(opt, sizeof opt, "%s", f->string);
			char *us = strchr(opt, '_');
			if (us)
				*us = 0;
			int mm = sm_method_parse(opt);
			/* The iterative methods are compared converged (fits_tight). */
			if (mm < 0 || (s == 0 && sm_method_is_iterative((enum sm_method)mm) &&
				       !has_error(f)))
				continue;
			snprintf(buf, sizeof buf, "%s/%s/%s", where, sets[s], f->string);
			check_fit(c, ctx, &d, f->string, f, s == 1);
		}
	}
	snprintf(buf, sizeof buf, "%s/regtest_lm", where);
	check_regtest_lm(c, ctx, &d, sm_golden_get(m, "regtest_lm"));
	data_free(&d);
}

static void check_dataset(struct cmp *c, struct sm_ctx *ctx, const char *name)
{
	struct sm_golden *g = sm_golden_load(name);
	assert_non_null(g);
	const cJSON *root = sm_golden_root(g);
	const char *type = sm_golden_str(root, "meta/input_type");
	assert_non_null(type);
	if (strcmp(type, "prop") == 0) /* the generator's name for xi/ni data */
		type = "proportion";
	if (strcmp(type, "2x2") && strcmp(type, "proportion") && strcmp(type, "generic")) {
		printf("golden %s: input type %s not handled by the analysis core\n", name, type);
		sm_golden_free(g);
		return;
	}
	struct sm_golden_csv *csv = sm_golden_csv_load(name);
	assert_non_null(csv);
	const cJSON *a;
	size_t ai = 0;
	cJSON_ArrayForEach(a, sm_golden_get(root, "analyses")) {
		const cJSON *m;
		cJSON_ArrayForEach(m, sm_golden_get(a, "measures")) {
			char where[256];
			snprintf(where, sizeof where, "%s/%zu/%s", name, ai, m->string);
			check_measure(c, ctx, csv, type, a, m, where);
		}
		ai++;
	}
	check_subgroup_all(c, ctx, csv, type, root, name);
	sm_golden_csv_free(csv);
	sm_golden_free(g);
}

/* How many values of each reference set are compared: a change in the
 * comparison (a key no longer read, a loop cut short) shows as a changed
 * count, not as a test that still passes.  A new reference set adds its
 * line. */
static const struct {
	const char *name;
	size_t values;
} expected_counts[] = {
	{ "bcg", 41359 }, { "debruin2009", 51795 }, { "hine1989", 21849 },
	{ "lee2004", 21616 }, { "li2007", 29017 }, { "msc-table3", 325839 },
	{ "nielweise2007", 24151 }, { "nielweise2007-prop", 31904 }, { "normand1999", 4328 },
	{ "pritz1997", 25410 },
};
#define EXPECTED_ERRORS 114

static size_t expected_count(const char *name)
{
	for (size_t i = 0; i < sizeof expected_counts / sizeof expected_counts[0]; i++)
		if (!strcmp(expected_counts[i].name, name))
			return expected_counts[i].values;
	print_error("reference set %s has no expected count; add it to expected_counts\n", name);
	fail();
	return 0;
}

static void test_golden_all(void **state)
{
	(void)state;
	size_t n = 0;
	char **names = sm_golden_datasets(&n);
	assert_int_equal(n, sizeof expected_counts / sizeof expected_counts[0]);
	struct sm_ctx *ctx = sm_ctx_new();
	struct cmp c = { .rel = REL_TOL };
	for (size_t i = 0; i < n; i++) {
		size_t before = c.compared;
		check_dataset(&c, ctx, names[i]);
		printf("golden %s: %zu values compared\n", names[i], c.compared - before);
		assert_int_equal(c.compared - before, expected_count(names[i]));
		free(names[i]);
	}
	free(names);
	printf("golden total: %zu values compared, %zu reference errors reproduced, "
	       "%zu mismatches\n", c.compared, c.errors_checked, c.failed);
	sm_ctx_free(ctx);
	assert_int_equal(c.errors_checked, EXPECTED_ERRORS);
	assert_int_equal(c.failed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
