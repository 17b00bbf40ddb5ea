/* rma.glmm for 2x2 tables: the studies, metafor's checks and messages,
 * and the statistics every model shares (tests, I2, heterogeneity). */
#include "sm_glmm.h"

#include "sm_buf.h"
#include "sm_glmm_int.h"
#include "sm_mh.h"
#include "sm_rma.h"
#include "sm_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Nodes of lme4's adaptive Gauss-Hermite rule (metafor's nAGQ = 7). */
#define GLMM_NAGQ 7

static const char *const model_names[] = { "UM.FS", "UM.RS", "CM.EL", "CM.AL" };

const char *sm_glmm_model_name(enum sm_glmm_model m)
{
	return model_names[m];
}

int sm_glmm_model_parse(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(name, model_names[i]))
			return i;
	return -1;
}

const char *sm_glmm_model_phrase(enum sm_glmm_model m)
{
	switch (m) {
	case SM_GLMM_UM_FS: return "unconditional model with fixed study effects";
	case SM_GLMM_UM_RS: return "unconditional model with random study effects";
	case SM_GLMM_CM_EL: return "conditional model with exact likelihood";
	case SM_GLMM_CM_AL: return "conditional model with approximate likelihood";
	}
	return "";
}

struct sm_glmm_opts sm_glmm_defaults(enum sm_glmm_model model, int random)
{
	struct sm_glmm_opts o = { .model = model, .random = random, .level = 95,
				  .esc = sm_escalc_defaults(SM_OR) };
	return o;
}

void sm_glmm_data_release(struct sm_glmm_data *g)
{
	if (g->nchg)
		for (size_t i = 0; i < g->k; i++)
			sm_nchg_release(&g->nchg[i]);
	free(g->nchg);
	if (g->gl)
		gsl_integration_glfixed_table_free(g->gl);
	free(g->ai);
	free(g->arm);
	free(g->inner);
	free(g->mode);
	memset(g, 0, sizeof *g);
}

sm_status sm_glmm_data_init(struct sm_ctx *ctx, struct sm_glmm_data *g, enum sm_glmm_model model,
			    const double *ai, const double *bi, const double *ci,
			    const double *di, size_t k)
{
	memset(g, 0, sizeof *g);
	g->k = k;
	g->ai = sm_alloc_array(4 * k, sizeof *g->ai);
	g->arm = sm_alloc_array(2 * k, sizeof *g->arm);
	g->inner = sm_alloc_array(2 * k, sizeof *g->inner);
	g->mode = sm_alloc_array(2 * k, sizeof *g->mode);
	if (model == SM_GLMM_CM_EL) {
		g->nchg = sm_alloc_array(k, sizeof *g->nchg);
		g->gl = gsl_integration_glfixed_table_alloc(EL_NODES);
	}
	if (!g->ai || !g->arm || !g->inner || !g->mode ||
	    (model == SM_GLMM_CM_EL && (!g->nchg || !g->gl))) {
		sm_glmm_data_release(g);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory (GLMM, k = %zu)", k);
	}
	g->bi = g->ai + k;
	g->ci = g->ai + 2 * k;
	g->di = g->ai + 3 * k;
	memcpy(g->ai, ai, k * sizeof *ai);
	memcpy(g->bi, bi, k * sizeof *bi);
	memcpy(g->ci, ci, k * sizeof *ci);
	memcpy(g->di, di, k * sizeof *di);
	for (size_t i = 0; i < k; i++) {
		sm_binobs_set(&g->arm[2 * i], ai[i], ai[i] + bi[i], 0, 0);
		sm_binobs_set(&g->arm[2 * i + 1], ci[i], ci[i] + di[i], 0, 0);
		struct sm_binobs ev;
		sm_binobs_set(&ev, ai[i], ai[i] + ci[i], 0, 0);
		g->ll_sat_um += sm_binobs_ll_sat(&g->arm[2 * i]) + sm_binobs_ll_sat(&g->arm[2 * i + 1]);
		g->ll_sat_cm += sm_binobs_ll_sat(&ev);
	}
	sm_status st = sm_agq_rule_init(ctx, &g->agq, GLMM_NAGQ);
	for (size_t i = 0; st == SM_OK && model == SM_GLMM_CM_EL && i < k; i++)
		st = sm_nchg_init(ctx, &g->nchg[i], ai[i], ai[i] + bi[i], ci[i], ci[i] + di[i]);
	if (st != SM_OK)
		sm_glmm_data_release(g);
	return st;
}

static void add_note(struct sm_glmm_fit *f, const char *note)
{
	if (f->n_notes < SM_GLMM_MAX_NOTES)
		f->notes[f->n_notes++] = note;
}

/* metafor: vt = (k.yi - p) / tr(P) with the escalc vi (I2 = 100 tau2 /
 * (vt + tau2), H2 = tau2/vt + 1). */
static sm_status typical_variance(struct sm_ctx *ctx, const struct sm_glmm_data *g,
				  const struct sm_escalc_opts *esc_in, struct sm_glmm_fit *f)
{
	struct sm_escalc_opts esc = *esc_in;
	esc.measure = SM_OR;
	esc.drop00 = 1;
	struct sm_escalc_row *rows = sm_alloc_array(g->k, sizeof *rows);
	double *n1 = sm_alloc_array(2 * g->k, sizeof *n1);
	if (!rows || !n1) {
		free(rows);
		free(n1);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	double *n2 = n1 + g->k;
	for (size_t i = 0; i < g->k; i++) {
		n1[i] = g->ai[i] + g->bi[i];
		n2[i] = g->ci[i] + g->di[i];
	}
	sm_status st = sm_escalc_2x2(ctx, g->ai, n1, g->ci, n2, g->k, &esc, rows);
	double sw = 0, sw2 = 0;
	f->k_yi = 0;
	for (size_t i = 0; st == SM_OK && i < g->k; i++) {
		if (!isfinite(rows[i].yi) || !isfinite(rows[i].vi))
			continue;
		double w = 1 / rows[i].vi;
		sw += w;
		sw2 += w * w;
		f->k_yi++;
	}
	free(rows);
	free(n1);
	f->vt = ((double)f->k_yi - 1) / (sw - sw2 / sw);
	f->I2 = 100 * f->tau2 / (f->vt + f->tau2);
	f->H2 = f->tau2 / f->vt + 1;
	return st;
}

static void heterogeneity(struct sm_glmm_fit *f, const struct sm_glmm_het *h)
{
	f->QE_wld = f->QEp_wld = f->QE_lrt = f->QEp_lrt = f->QE_df = NAN;
	if (f->k < 2 || !h->ok)
		return;
	f->QE_wld = h->wald > 0 ? h->wald : 0;
	double lrt = -2 * (h->ll_fe - h->ll_qe);
	f->QE_lrt = lrt > 0 ? lrt : 0;
	f->QE_df = (double)f->k - 1;
	f->QEp_wld = sm_pchisq_upper(f->QE_wld, f->QE_df);
	f->QEp_lrt = sm_pchisq_upper(f->QE_lrt, f->QE_df);
}

/* metafor (CM.EL with ML): warn when the standard error is far from that
 * of the random-effects Peto model (ratio of the sds beyond 100). */
static void peto_check(struct sm_ctx *ctx, const struct sm_glmm_data *g, struct sm_glmm_fit *f)
{
	struct sm_escalc_opts esc = { .measure = SM_PETO, .add = 0, .to = SM_TO_ONLY0 };
	struct sm_escalc_row *rows = sm_alloc_array(g->k, sizeof *rows);
	double *buf = sm_alloc_array(4 * g->k, sizeof *buf);
	if (!rows || !buf) {
		free(rows);
		free(buf);
		return;
	}
	double *n1 = buf, *n2 = buf + g->k, *yi = buf + 2 * g->k, *vi = buf + 3 * g->k;
	for (size_t i = 0; i < g->k; i++) {
		n1[i] = g->ai[i] + g->bi[i];
		n2[i] = g->ci[i] + g->di[i];
	}
	size_t n = 0;
	if (sm_escalc_2x2(ctx, g->ai, n1, g->ci, n2, g->k, &esc, rows) == SM_OK) {
		for (size_t i = 0; i < g->k; i++) {
			if (isfinite(rows[i].yi) && isfinite(rows[i].vi)) {
				yi[n] = rows[i].yi;
				vi[n] = rows[i].vi;
				n++;
			}
		}
	}
	struct sm_rma_opts ro = sm_rma_tight(SM_REML, SM_TEST_Z);
	struct sm_rma_fit rf;
	if (n > 1 && sm_rma_fit(ctx, yi, vi, n, &ro, &rf) == SM_OK) {
		double ratio = rf.se / f->se;
		if (ratio >= 100)
			add_note(f, "Standard errors of fixed effects appear to be unusually small. "
				    "Treat results with caution.");
		if (ratio <= 1.0 / 100)
			add_note(f, "Standard errors of fixed effects appear to be unusually large. "
				    "Treat results with caution.");
	}
	sm_ctx_clear_error(ctx);
	free(rows);
	free(buf);
}

/* The conditional likelihood has a finite maximum only when the tables'
 * treated-arm events are not all at the lower (or all at the upper) end
 * of their supports: otherwise the pooled odds ratio is 0 or infinite. */
static int odds_ratio_exists(const struct sm_glmm_data *g)
{
	int all_low = 1, all_high = 1;
	for (size_t i = 0; i < g->k; i++) {
		double m = g->ai[i] + g->ci[i], n1 = g->ai[i] + g->bi[i], n2 = g->ci[i] + g->di[i];
		double lo = m - n2 > 0 ? m - n2 : 0, hi = n1 < m ? n1 : m;
		all_low &= g->ai[i] == lo;
		all_high &= g->ai[i] == hi;
	}
	return !all_low && !all_high;
}

static sm_status fit_model(struct sm_ctx *ctx, struct sm_glmm_data *g,
			   const struct sm_glmm_opts *o, struct sm_glmm_fit *f,
			   struct sm_glmm_het *het)
{
	switch (o->model) {
	case SM_GLMM_UM_FS: return sm_glmm_fit_um_fs(ctx, g, o->random, f, het);
	case SM_GLMM_UM_RS: return sm_glmm_fit_um_rs(ctx, g, o->random, f, het);
	case SM_GLMM_CM_EL: return sm_glmm_fit_cm_el(ctx, g, o->random, f, het);
	case SM_GLMM_CM_AL: return sm_glmm_fit_cm_al(ctx, g, o->random, f, het);
	}
	return SM_FAIL(ctx, SM_EINTERNAL, "unknown GLMM");
}

/* Tables without a double zero, as metafor's drop00 = TRUE. */
static sm_status kept_tables(struct sm_ctx *ctx, const double *ai, const double *n1i,
			     const double *ci, const double *n2i, size_t n, double **out,
			     size_t *k)
{
	double *t = sm_alloc_array(4 * (n ? n : 1), sizeof *t);
	if (!t)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		double a = ai[i], b = n1i[i] - ai[i], c = ci[i], d = n2i[i] - ci[i];
		if ((a == 0 && c == 0) || (b == 0 && d == 0))
			continue;
		t[m] = a;
		t[n + m] = b;
		t[2 * n + m] = c;
		t[3 * n + m] = d;
		m++;
	}
	*out = t;
	*k = m;
	return SM_OK;
}

sm_status sm_glmm_run(struct sm_ctx *ctx, const double *ai, const double *n1i,
		      const double *ci, const double *n2i, size_t n,
		      const struct sm_glmm_opts *opts, struct sm_glmm_fit *out)
{
	memset(out, 0, sizeof *out);
	out->model = opts->model;
	out->random = opts->random;
	out->k_all = n;
	out->se_tau2 = out->sigma2 = NAN;
	if (!(opts->level > 0 && opts->level < 100))
		return SM_FAIL(ctx, SM_EINPUT, "level = %g; expected a percentage between 0 and 100",
			       opts->level);
	sm_status st = sm_mh_check_tables(ctx, ai, n1i, ci, n2i, n);
	double *t = NULL;
	size_t k = 0;
	if (st == SM_OK)
		st = kept_tables(ctx, ai, n1i, ci, n2i, n, &t, &k);
	if (st != SM_OK)
		return st;
	out->k = k;
	if (k < n)
		add_note(out, "Studies with NAs omitted from model fitting.");
	if (k < 1) {
		free(t);
		return SM_FAIL(ctx, SM_EINPUT, "Processing terminated since k = 0 (every table is "
			       "double-zero); expected at least one table with events");
	}
	if (opts->random && k < 2) {
		free(t);
		return SM_FAIL(ctx, SM_EINPUT, "Number of parameters to be estimated is larger than "
			       "the number of observations (k = 1 table for an estimate and tau2); "
			       "expected at least 2 tables");
	}
	struct sm_glmm_data g;
	st = sm_glmm_data_init(ctx, &g, opts->model, t, t + n, t + 2 * n, t + 3 * n, k);
	free(t);
	if (st != SM_OK)
		return st;
	if (!odds_ratio_exists(&g)) {
		sm_glmm_data_release(&g);
		return SM_FAIL(ctx, SM_EINPUT, "the pooled odds ratio is 0 or infinite (in every "
			       "table the treated arm has the fewest or the most events its margins "
			       "allow); a GLMM cannot estimate it");
	}
	struct sm_glmm_het het = { 0 };
	st = fit_model(ctx, &g, opts, out, &het);
	if (st != SM_OK) {
		const struct sm_diag *d = sm_ctx_error(ctx);
		char *msg = sm_asprintf("Cannot fit %s model (%s, %s): %s",
					opts->random ? "ML" : "FE", sm_glmm_model_name(opts->model),
					sm_glmm_model_phrase(opts->model),
					d && d->msg ? d->msg : "failed");
		sm_ctx_clear_error(ctx);
		SM_FAIL(ctx, st, "%s", msg ? msg : "Cannot fit the GLMM");
		free(msg);
		sm_glmm_data_release(&g);
		return st;
	}
	double crit = sm_qnorm_upper((1 - opts->level / 100) / 2);
	out->zval = out->b / out->se;
	out->pval = sm_p2_norm(out->zval);
	out->ci_lb = out->b - crit * out->se;
	out->ci_ub = out->b + crit * out->se;
	double pse = sqrt(out->se * out->se + out->tau2);
	out->pi_lb = opts->random ? out->b - crit * pse : out->ci_lb;
	out->pi_ub = opts->random ? out->b + crit * pse : out->ci_ub;
	heterogeneity(out, &het);
	st = typical_variance(ctx, &g, &opts->esc, out);
	if (st == SM_OK && out->k_yi < n)
		add_note(out, "Some yi/vi values are NA.");
	if (st == SM_OK && opts->model == SM_GLMM_CM_EL && opts->random)
		peto_check(ctx, &g, out);
	sm_glmm_data_release(&g);
	return st;
}

sm_status sm_glmm_objective_at(struct sm_ctx *ctx, struct sm_glmm_data *g,
			       enum sm_glmm_model model, int random, const double *theta,
			       const double *beta, double *dev)
{
	if (model == SM_GLMM_UM_FS || model == SM_GLMM_UM_RS)
		return sm_glmm_um_objective_at(ctx, g, model, random, theta, beta, dev);
	return sm_glmm_cm_objective_at(ctx, g, model, random, theta, beta, dev);
}
