#include "sm_analysis_json.h"

#include "sm_absence.h"
#include "sm_buf.h"
#include "sm_cumul_order.h"
#include "sm_confint.h"
#include "sm_display_scale.h"
#include "sm_fsn.h"
#include "sm_glmm_json.h"
#include "sm_influence.h"
#include "sm_json_fast.h"
#include "sm_json_out.h"
#include "sm_mh.h"
#include "sm_multilevel_json.h"
#include "sm_peto.h"
#include "sm_pool.h"
#include "sm_proportion.h"
#include "sm_json_stream.h"
#include "sm_row_index.h"
#include "sm_row_spool.h"
#include "sm_rare_json.h"
#include "sm_ranktest.h"
#include "sm_regtest.h"
#include "sm_rma.h"
#include "sm_sensitivity.h"
#include "sm_text_ahead.h"
#include "sm_stats.h"
#include "sm_study_extra.h"
#include "sm_trimfill.h"
#include "sm_unit.h"
#include "sm_weights.h"

#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

struct ahead;

/* Everything computed for one analysis, gathered before it is written. */
struct analysis {
	struct sm_ctx *ctx;
	const struct sm_review *review;
	const struct sm_analysis_data *data;
	const struct sm_run_settings *settings;
	struct sm_rma_opts rma;   /* the inverse-variance model behind diagnostics */
	struct sm_rma_fit fit;    /* pooled result (MH/Peto values copied in) */
	/* Influence and trim-and-fill need an inverse-variance model; for MH,
	 * Peto and RevMan pooling it is the matching IV fit (FE or DL). */
	struct sm_rma_fit diag_fit;
	struct sm_mh_result *mh;  /* NULL unless 2x2 with OR/RR/RD */
	struct sm_peto_result *peto;
	struct sm_glmm_fit glmm;  /* GLMM pooling only */
	struct sm_influence inf;
	int have_inf;
	struct sm_loo_row *cumul; /* k rows, NULL when not computed */
	double *weights;          /* percent, k */
	/* Percent, one per row (d->n): the weight of each row in the pooled
	 * estimate; Mantel-Haenszel and Peto pool every table, also those
	 * without an estimable effect size; NAN for rows outside the model. */
	double *row_weights;
	enum sm_transf transf;
	double nhm;               /* harmonic mean of ni (PFT) */
	/* The three-level model of rows within clusters (have_ml).  Under
	 * --model multilevel (ml_main) it is the pooled result: fit holds its
	 * numbers and row_fit the row-level model's. */
	struct sm_ml_fit ml;
	int have_ml, ml_main;
	struct sm_rma_fit row_fit;
	/* Egger's slope (NAN when not fitted): trim-and-fill takes its side
	 * from it instead of fitting the same meta-regression again */
	double egger_slope;
	cJSON *obj;
	cJSON *warnings;
	struct sm_row_spool *spool; /* NULL: the rows stay whole in obj */
	struct sm_json_stream *stream; /* NULL: the "studies" rows are not streamed */
	/* NULL: a streamed text row keeps a small object in the tree; else
	 * none, and the index tells the later readers the row */
	struct sm_row_index *index;
	int index_failed;
	size_t ctx_warnings; /* the context's warnings before this analysis */
	size_t taken;        /* library warnings taken into `warnings` */
	size_t left_out;     /* library warnings beyond SM_ANALYSIS_LIB_WARNINGS */
	struct ahead *ahead; /* NULL: every step is computed at its place */
};

/* At most this many library warnings (one per failed refit) are written per
 * analysis; the rest are counted in one line (k failed refits would
 * otherwise be k lines, and their deduplication O(k^2)). */
#define SM_ANALYSIS_LIB_WARNINGS 50

/* A step that fails for these data leaves its keys null and says why. */
static void note_failure(struct analysis *a, const char *what)
{
	const struct sm_diag *d = sm_ctx_error(a->ctx);
	char *msg = sm_asprintf("%s: %s", what, d && d->msg ? d->msg : "not computed");
	if (msg)
		cJSON_AddItemToArray(a->warnings, cJSON_CreateString(msg));
	free(msg);
	sm_ctx_clear_error(a->ctx);
}

static void add_warning(struct analysis *a, const char *msg)
{
	cJSON_AddItemToArray(a->warnings, cJSON_CreateString(msg));
}

static int has_warning(const struct analysis *a, const char *msg)
{
	const cJSON *w;
	cJSON_ArrayForEach(w, a->warnings) {
		if (cJSON_IsString(w) && !strcmp(w->valuestring, msg))
			return 1;
	}
	return 0;
}

/* Warnings the library raised in the context during a step of this analysis
 * (a refit that failed, tau2 reset to 0) belong to it: they move into its
 * "warnings", once each, in order, instead of reaching only stderr. */
static void take_ctx_warnings(struct analysis *a)
{
	size_t n = sm_ctx_warning_count(a->ctx);
	for (size_t i = a->ctx_warnings; i < n; i++) {
		const char *w = sm_ctx_warning(a->ctx, i);
		if (!w || has_warning(a, w))
			continue;
		if (a->taken < SM_ANALYSIS_LIB_WARNINGS) {
			add_warning(a, w);
			a->taken++;
		} else {
			a->left_out++;
		}
	}
	sm_ctx_truncate_warnings(a->ctx, a->ctx_warnings);
}

static void note_left_out_warnings(struct analysis *a)
{
	if (!a->left_out)
		return;
	char *msg = sm_asprintf("%zu more warnings of this analysis (failed refits) are left out",
				a->left_out);
	if (msg)
		add_warning(a, msg);
	free(msg);
}

static double crit_z(double level)
{
	return sm_qnorm_upper((1 - level / 100) / 2);
}

static int is_random(const struct analysis *a)
{
	return a->fit.method != SM_FE;
}

static double display(const struct analysis *a, double x)
{
	return sm_transf_apply(a->transf, x, a->nhm);
}

static enum sm_mh_measure mh_measure(enum sm_measure m)
{
	return m == SM_RR ? SM_MH_RR : m == SM_RD ? SM_MH_RD : SM_MH_OR;
}

/* ---- the pooled model ------------------------------------------------ */

/* Say which analysis failed: a review has many. */
static sm_status name_failure(struct analysis *a)
{
	const struct sm_diag *d = sm_ctx_error(a->ctx);
	if (!d)
		return SM_FAIL(a->ctx, SM_EINTERNAL, "analysis '%s' failed", a->data->name);
	sm_status code = d->code;
	char *msg = sm_asprintf("analysis '%s' (%s): %s", a->data->name,
				a->settings->method_label, d->msg);
	sm_ctx_clear_error(a->ctx);
	SM_FAIL_POS(a->ctx, code, a->review->path, 0, 0, NULL, "%s", msg ? msg : "failed");
	free(msg);
	return code;
}

/* Copy a Mantel-Haenszel or Peto result into the fit, so that every
 * method is written the same way; what such models lack (tau2) is NAN. */
static void fit_from_common(struct sm_rma_fit *f, size_t k, double b, double se, double z,
			    double p, double lb, double ub, double QE, double QEdf, double QEp,
			    double I2, double H2)
{
	*f = (struct sm_rma_fit){ .k = k, .p = 1, .method = SM_FE, .test = SM_TEST_Z,
				  .b = b, .se = se, .stat = z, .df = NAN, .pval = p,
				  .ci_lb = lb, .ci_ub = ub, .pi_lb = lb, .pi_ub = ub,
				  .tau2 = 0, .se_tau2 = NAN, .I2 = I2, .H2 = H2, .QE = QE,
				  .QE_df = QEdf, .QEp = QEp, .s2w = 1 };
}

/* RevMan 5's random-effects model for dichotomous data: tau2 by the
 * DerSimonian-Laird moment formula, but with Q taken around the
 * Mantel-Haenszel estimate; the pooled estimate then uses 1/(vi + tau2). */
static sm_status fit_revman(struct analysis *a)
{
	const struct sm_analysis_data *d = a->data;
	double sw = 0, sw2 = 0, q = 0;
	for (size_t i = 0; i < d->k; i++) {
		double w = 1 / d->vi[i];
		sw += w;
		sw2 += w * w;
		q += w * (d->yi[i] - a->mh->b) * (d->yi[i] - a->mh->b);
	}
	double df = (double)d->k - 1;
	double tau2 = d->k > 1 ? fmax(0, (q - df) / (sw - sw2 / sw)) : 0;
	if (sm_rma_fit_fixed_tau2(a->ctx, d->yi, d->vi, d->k, &a->rma, tau2, &a->fit) != SM_OK)
		return SM_EINPUT;
	a->fit.QE = q;
	a->fit.QEp = d->k > 1 ? sm_pchisq_upper(q, df) : 1;
	a->fit.I2 = d->k > 1 && q > 0 ? fmax(0, 100 * (q - df) / q) : 0;
	a->fit.H2 = d->k > 1 ? q / df : 1;
	return SM_OK;
}

/* A GLMM (metafor's rma.glmm) over the raw counts: its estimate, tau2
 * and Wald-type heterogeneity test take the places of rma.uni's. */
static sm_status fit_glmm(struct analysis *a)
{
	int random = a->settings->method == SM_ML;
	if (sm_glmm_analysis_fit(a->ctx, a->data, a->settings, random, &a->glmm) != SM_OK)
		return SM_EINPUT;
	const struct sm_glmm_fit *g = &a->glmm;
	fit_from_common(&a->fit, g->k, g->b, g->se, g->zval, g->pval, g->ci_lb, g->ci_ub,
			g->QE_wld, g->QE_df, g->QEp_wld, g->I2, g->H2);
	a->fit.method = random ? SM_ML : SM_FE;
	a->fit.tau2 = g->tau2;
	a->fit.se_tau2 = g->se_tau2;
	a->fit.pi_lb = g->pi_lb;
	a->fit.pi_ub = g->pi_ub;
	a->fit.vt = g->vt;
	return SM_OK;
}

/* Mantel-Haenszel and Peto pool the raw tables of every row. */
static int pools_tables(const struct analysis *a)
{
	return a->settings->pooling == SM_POOL_MH || a->settings->pooling == SM_POOL_PETO;
}

/* The row weights of the studies in the model; NAN for the others. */
static void rows_from_studies(struct analysis *a)
{
	const struct sm_analysis_data *d = a->data;
	for (size_t i = 0; i < d->n; i++)
		a->row_weights[i] = NAN;
	for (size_t j = 0; j < d->k; j++)
		a->row_weights[d->idx[j]] = a->weights[j];
}

/* Each table's share of the Mantel-Haenszel or Peto estimate (metafor's
 * weights(rma.mh) and weights(rma.peto)), over all rows. */
static sm_status table_weights(struct analysis *a)
{
	const struct sm_analysis_data *d = a->data;
	enum sm_mh_measure m = a->settings->pooling == SM_POOL_PETO
				       ? SM_MH_PETO : mh_measure(a->settings->esc.measure);
	if (sm_weights_2x2(a->ctx, m, d->ai, d->n1i, d->ci, d->n2i, d->n, a->row_weights) !=
	    SM_OK)
		return SM_EINPUT;
	for (size_t j = 0; j < d->k; j++)
		a->weights[j] = a->row_weights[d->idx[j]];
	return SM_OK;
}

static sm_status fit_model(struct analysis *a)
{
	const struct sm_analysis_data *d = a->data;
	switch (a->settings->pooling) {
	case SM_POOL_MH:
		if (!a->mh || isnan(a->mh->b))
			return SM_FAIL(a->ctx, SM_EINPUT, "analysis '%s': Mantel-Haenszel estimate does not exist (%s)",
				       d->name, a->mh && a->mh->note ? a->mh->note : "no tables");
		fit_from_common(&a->fit, d->k, a->mh->b, a->mh->se, a->mh->zval, a->mh->pval,
				a->mh->ci_lb, a->mh->ci_ub, a->mh->QE, a->mh->QEdf, a->mh->QEp,
				a->mh->I2, a->mh->H2);
		break;
	case SM_POOL_PETO:
		if (!a->peto)
			return name_failure(a); /* why: the error of sm_peto_run */
		fit_from_common(&a->fit, d->k, a->peto->b, a->peto->se, a->peto->zval,
				a->peto->pval, a->peto->ci_lb, a->peto->ci_ub, a->peto->QE,
				a->peto->QEdf, a->peto->QEp, a->peto->I2, a->peto->H2);
		break;
	case SM_POOL_REVMAN_DL:
		if (!a->mh || isnan(a->mh->b))
			return SM_FAIL(a->ctx, SM_EINPUT, "analysis '%s': Mantel-Haenszel estimate does not exist",
				       d->name);
		if (fit_revman(a) != SM_OK)
			return SM_EINPUT;
		break;
	case SM_POOL_IV:
		if (sm_rma_fit(a->ctx, d->yi, d->vi, d->k, &a->rma, &a->fit) != SM_OK)
			return name_failure(a);
		break;
	case SM_POOL_GLMM:
		if (fit_glmm(a) != SM_OK)
			return name_failure(a);
		break;
	}
	a->diag_fit = a->fit;
	if (a->settings->pooling != SM_POOL_IV &&
	    sm_rma_fit(a->ctx, d->yi, d->vi, d->k, &a->rma, &a->diag_fit) != SM_OK)
		return SM_EINPUT;
	a->weights = sm_alloc_array(d->k, sizeof(double));
	a->row_weights = sm_alloc_array(d->n, sizeof(double));
	if (!a->weights || !a->row_weights)
		return SM_FAIL(a->ctx, SM_EINTERNAL, "out of memory");
	if (pools_tables(a))
		return table_weights(a);
	struct sm_rma_fit wfit = a->fit;
	if (a->settings->pooling == SM_POOL_GLMM)
		wfit = a->diag_fit; /* a GLMM has no study weights: those of its IV twin */
	if (sm_rma_weights(a->ctx, &wfit, d->vi, d->k, a->weights) != SM_OK)
		return SM_EINPUT;
	rows_from_studies(a);
	return SM_OK;
}

/* ---- the unit of analysis ---------------------------------------------- */

/* An error of the rows of this analysis: FILE:LINE of its first row. */
static sm_status fail_rows(struct analysis *a, const char *msg)
{
	const struct sm_diag *d = sm_ctx_error(a->ctx);
	char *text = sm_asprintf("analysis '%s': %s", a->data->name,
				 msg ? msg : d && d->msg ? d->msg : "failed");
	sm_status code = d ? d->code : SM_EINPUT;
	sm_ctx_clear_error(a->ctx);
	const struct sm_outcome *o = a->data->rows[a->data->idx[0]];
	SM_FAIL_POS(a->ctx, code, o->src_file, o->src_line, 0, a->settings->cluster, "%s",
		    text ? text : "failed");
	free(text);
	return code;
}

/* Under --model multilevel the three-level fit becomes the pooled result;
 * the row-level fit stays for the diagnostics (diag_fit) and in "fits". */
static sm_status make_multilevel_main(struct analysis *a)
{
	a->row_fit = a->fit;
	struct sm_rma_fit *f = &a->fit;
	const struct sm_ml_fit *m = &a->ml;
	f->method = m->method;
	f->b = m->b;
	f->se = m->se;
	f->stat = m->stat;
	f->df = m->df;
	f->pval = m->pval;
	f->ci_lb = m->ci_lb;
	f->ci_ub = m->ci_ub;
	f->pi_lb = m->pi_lb;
	f->pi_ub = m->pi_ub;
	f->tau2 = f->se_tau2 = f->I2 = f->H2 = NAN;
	f->QE = m->QE;
	f->QE_df = m->QE_df;
	f->QEp = m->QEp;
	struct sm_ml_data md = { a->data->yi, a->data->vi, a->data->cluster, a->data->k,
				 a->data->n_clusters };
	add_warning(a, "model multilevel: the pooled result is the three-level model of rows "
		       "within clusters; Egger's and Begg's tests, fail-safe N, trim-and-fill and "
		       "the influence, leave-one-out and cumulative results are those of the "
		       "row-level model (rows as independent studies)");
	if (sm_ml_weights(a->ctx, &md, m->sigma2, a->weights) != SM_OK)
		return SM_EINPUT;
	rows_from_studies(a);
	return SM_OK;
}

/* The three-level model: the pooled result under --model multilevel, else
 * a side result wherever a cluster holds several rows (a failure is then a
 * warning).  A cluster column that the user chose, or that robust
 * inference needs, must have two levels. */
static sm_status fit_multilevel(struct analysis *a)
{
	const struct sm_analysis_data *d = a->data;
	const struct sm_run_settings *s = a->settings;
	if (!d->cluster)
		return SM_OK;
	int strict = s->multilevel || s->robust || s->cluster_given;
	if (strict && d->n_clusters < 2) {
		char *msg = sm_asprintf("the cluster column '%s' has one level ('%s') in this "
					"analysis; expected at least 2 clusters", s->cluster,
					d->n_clusters ? d->cluster_label[0] : "");
		sm_status st = fail_rows(a, msg ? msg : "one cluster");
		free(msg);
		return st;
	}
	if (!sm_unit_several_rows(d)) {
		/* one row per cluster: sigma2[0] and sigma2[1] only enter as their
		 * sum, so the three-level model is the two-level one */
		if (s->multilevel)
			add_warning(a, "model multilevel: every cluster has one row, so the two "
				       "variance components are not identifiable and the three-level "
				       "model is the standard one; the pooled result is the row-level "
				       "model (\"model\": \"standard\")");
		return SM_OK;
	}
	if (sm_multilevel_fit_analysis(a->ctx, d, s, &a->ml) != SM_OK) {
		if (s->multilevel)
			return fail_rows(a, NULL);
		note_failure(a, "multilevel model");
		return SM_OK;
	}
	a->have_ml = 1;
	a->ml_main = s->multilevel;
	return a->ml_main ? make_multilevel_main(a) : SM_OK;
}

static struct sm_display display_of(const struct analysis *a)
{
	struct sm_display disp = { a->transf, a->nhm };
	return disp;
}

/* "sigma2", "sigma2_nlevels" (the main model's, null unless multilevel),
 * "multilevel" and "robust" (the main model's, null unless asked). */
static void write_unit_models(struct analysis *a)
{
	const struct sm_ml_fit *m = &a->ml;
	struct sm_display disp = display_of(a);
	double nlevels[2] = { (double)m->n_clusters, (double)m->k };
	if (a->ml_main) {
		sm_json_add_array(a->obj, "sigma2", m->sigma2, 2);
		sm_json_add_array(a->obj, "sigma2_nlevels", nlevels, 2);
	} else {
		cJSON_AddNullToObject(a->obj, "sigma2");
		cJSON_AddNullToObject(a->obj, "sigma2_nlevels");
	}
	if (a->have_ml)
		cJSON_AddItemToObject(a->obj, "multilevel",
				      sm_multilevel_json(a->ctx, m, a->data, a->settings, &disp,
							 a->warnings));
	else
		cJSON_AddNullToObject(a->obj, "multilevel");
	enum sm_pooling pool = a->settings->pooling;
	if (!a->settings->robust || !a->data->cluster) {
		cJSON_AddNullToObject(a->obj, "robust");
	} else if (a->ml_main) {
		cJSON_AddItemToObject(a->obj, "robust",
				      sm_robust_json(a->ctx, a->data, a->settings, m->sigma2, m->b, 0,
						     &disp, a->warnings));
	} else if (pool == SM_POOL_IV || pool == SM_POOL_REVMAN_DL) {
		double s2[2] = { 0, is_random(a) ? a->fit.tau2 : 0 };
		cJSON_AddItemToObject(a->obj, "robust",
				      sm_robust_json(a->ctx, a->data, a->settings, s2, a->fit.b, 1,
						     &disp, a->warnings));
	} else {
		char *msg = sm_asprintf("cluster-robust inference: needs an inverse-variance "
					"model; method %s has none (see \"multilevel\")",
					a->settings->method_label);
		if (msg)
			add_warning(a, msg);
		free(msg);
		cJSON_AddNullToObject(a->obj, "robust");
	}
}

/* ---- writers ---------------------------------------------------------- */

static void write_header(struct analysis *a)
{
	const struct sm_run_settings *s = a->settings;
	cJSON_AddStringToObject(a->obj, "name", a->data->name);
	cJSON_AddStringToObject(a->obj, "model", a->ml_main ? "multilevel" : "standard");
	cJSON_AddStringToObject(a->obj, "measure", sm_measure_name(s->esc.measure));
	cJSON_AddStringToObject(a->obj, "method",
				a->ml_main ? sm_method_name(a->ml.method) : s->method_label);
	cJSON_AddStringToObject(a->obj, "test", a->ml_main ? (a->ml.t_test ? "t" : "z")
							   : sm_test_name(a->fit.test));
	sm_json_add_number(a->obj, "level", s->level);
	cJSON_AddNumberToObject(a->obj, "k", (double)a->data->k);
	cJSON_AddNumberToObject(a->obj, "k_rows", (double)a->data->n);
	cJSON_AddStringToObject(a->obj, "tau2_estimator",
				is_random(a) ? sm_method_name(a->fit.method) : "none");
	sm_json_add_number(a->obj, "add", s->esc.add);
	cJSON_AddStringToObject(a->obj, "to", sm_to_name(s->esc.to));
	cJSON_AddBoolToObject(a->obj, "drop00", s->esc.drop00);
}

static void add_fit_row(struct analysis *a, cJSON *fits, const char *method, const char *model,
			const struct sm_rma_fit *f)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "method", method);
	cJSON_AddStringToObject(o, "model", model);
	cJSON_AddStringToObject(o, "test", sm_test_name(f->test));
	sm_json_add_number(o, "estimate", f->b);
	sm_json_add_number(o, "se", f->se);
	sm_json_add_number(o, "ci_lb", f->ci_lb);
	sm_json_add_number(o, "ci_ub", f->ci_ub);
	sm_json_add_number(o, "stat", f->stat);
	sm_json_add_number(o, "p", f->pval);
	cJSON *t = cJSON_AddObjectToObject(o, "transformed");
	sm_json_add_number(t, "estimate", display(a, f->b));
	sm_json_add_number(t, "ci_lb", display(a, f->ci_lb));
	sm_json_add_number(t, "ci_ub", display(a, f->ci_ub));
	cJSON_AddItemToArray(fits, o);
}

/* "weights" of the fit just added: the studies' inverse-variance weights
 * in it (percent, in the order of "studies"), so that a forest can show
 * the weights of every pooled row it draws.  Left out under --no-studies
 * (nothing to line them up with). */
static void add_fit_weights(struct analysis *a, cJSON *fits, const struct sm_rma_fit *f)
{
	const struct sm_analysis_data *d = a->data;
	if (a->settings->no_studies)
		return;
	double *w = sm_alloc_array(d->k ? d->k : 1, sizeof *w);
	if (!w || sm_rma_weights(a->ctx, f, d->vi, d->k, w) != SM_OK) {
		if (w)
			note_failure(a, "weights of the common-effect model");
		free(w);
		return;
	}
	cJSON *fit = cJSON_GetArrayItem(fits, cJSON_GetArraySize(fits) - 1);
	/* streamed out (a->spool): one raw item, the same text, not k nodes */
	cJSON *raw = a->spool ? sm_json_fast_raw_numbers(w, d->k) : NULL;
	if (raw)
		cJSON_AddItemToObject(fit, "weights", raw);
	else
		sm_json_add_array(fit, "weights", w, d->k);
	free(w);
}

/* The common-effect version of a random-effects GLMM (metafor's method =
 * "FE" of the same model). */
static void write_glmm_fe_fit(struct analysis *a, cJSON *fits)
{
	struct sm_glmm_fit f;
	if (sm_glmm_analysis_fit(a->ctx, a->data, a->settings, 0, &f) != SM_OK) {
		note_failure(a, "common-effect GLMM");
		return;
	}
	struct sm_rma_fit row_fit = { .b = f.b, .se = f.se, .ci_lb = f.ci_lb, .ci_ub = f.ci_ub,
				      .stat = f.zval, .pval = f.pval, .test = SM_TEST_Z };
	add_fit_row(a, fits, "FE", "standard", &row_fit);
	cJSON *row = cJSON_GetArrayItem(fits, cJSON_GetArraySize(fits) - 1);
	cJSON_AddStringToObject(row, "glmm", sm_glmm_model_name(f.model));
}

/* Other pooled rows a forest plot may show beside the main one: the
 * common-effect (inverse-variance) model of a random-effects analysis. */
/* ... and under --model multilevel the row-level model (rows as studies)
 * unless that is the common-effect row already there. */
static void write_other_fits(struct analysis *a)
{
	cJSON *fits = cJSON_AddArrayToObject(a->obj, "fits");
	if (is_random(a) && a->settings->pooling == SM_POOL_GLMM) {
		write_glmm_fe_fit(a, fits);
	} else if (is_random(a)) {
		struct sm_rma_opts fe = a->rma;
		fe.method = SM_FE;
		fe.test = SM_TEST_Z;
		struct sm_rma_fit f;
		if (sm_rma_fit(a->ctx, a->data->yi, a->data->vi, a->data->k, &fe, &f) == SM_OK) {
			add_fit_row(a, fits, "FE", "standard", &f);
			add_fit_weights(a, fits, &f);
		} else {
			note_failure(a, "common-effect model");
		}
	}
	int row_is_fe = a->settings->pooling == SM_POOL_IV && a->row_fit.method == SM_FE;
	if (a->ml_main && !row_is_fe) {
		add_fit_row(a, fits, a->settings->method_label, "standard", &a->row_fit);
		add_fit_weights(a, fits, &a->row_fit);
	}
}

static void write_pooled(struct analysis *a)
{
	const struct sm_rma_fit *f = &a->fit;
	sm_json_add_number(a->obj, "estimate", f->b);
	sm_json_add_number(a->obj, "se", f->se);
	sm_json_add_number(a->obj, "ci_lb", f->ci_lb);
	sm_json_add_number(a->obj, "ci_ub", f->ci_ub);
	sm_json_add_number(a->obj, "stat", f->stat);
	sm_json_add_number(a->obj, "df", f->df);
	sm_json_add_number(a->obj, "p", f->pval);
	/* A common-effect model has no prediction interval (metafor gives
	 * none); writing the CI there would suggest one. */
	int re = is_random(a);
	sm_json_add_number(a->obj, "pi_lb", re ? f->pi_lb : NAN);
	sm_json_add_number(a->obj, "pi_ub", re ? f->pi_ub : NAN);
	sm_json_add_number(a->obj, "tau2", re ? f->tau2 : NAN);
	sm_json_add_number(a->obj, "tau2_se", re ? f->se_tau2 : NAN);
	sm_json_add_number(a->obj, "I2", f->I2);
	sm_json_add_number(a->obj, "H2", f->H2);
	sm_json_add_number(a->obj, "Q", f->QE);
	sm_json_add_number(a->obj, "Q_df", f->QE_df);
	sm_json_add_number(a->obj, "Q_p", f->QEp);
	if (a->data->k > 0)
		sm_json_add_number(a->obj, "rstudent_bound",
				   sm_qnorm_upper(0.05 / (2.0 * (double)a->data->k)));
}

/* ---- the small-study tests and the tau2 interval, computed ahead --------
 * With more than one thread (settings->threads) these steps are computed
 * before the document is written, on a second thread Egger's test (it needs
 * the model's options only) while this one fits the model, then trim and
 * fill (which takes the fit and Egger's slope) while this one computes
 * Begg's test, the tau2 interval and fail-safe N and goes on with the
 * influence diagnostics.
 * Each records into a context of its own, merged onto the analysis' at the
 * step's place (sm_pool_merge_ctx), so that the document, its warnings and
 * the error reported are those of the serial order. */

struct confint_step {
	int tried, ok;
	struct sm_confint ci;
};

struct egger_step {
	int ok;
	struct sm_regtest r;
};

struct begg_step {
	int ok;
	struct sm_ranktest *r;
};

struct fsn_step {
	int ok;
	struct sm_fsn_all f;
};

struct trimfill_step {
	sm_status st;
	struct sm_trimfill t;
};

enum { AHEAD_CONFINT, AHEAD_EGGER, AHEAD_BEGG, AHEAD_FSN, AHEAD_TRIMFILL, AHEAD_N };

struct ahead {
	struct analysis *a;
	struct sm_ctx *ctx[AHEAD_N];
	struct confint_step confint;
	struct egger_step egger;
	struct begg_step begg;
	struct fsn_step fsn;
	struct trimfill_step trimfill;
	struct sm_pool_task side; /* Egger's test, then trim and fill */
	size_t threads;
};

/* Where struct ahead holds each step's record, and its size. */
static const struct {
	size_t offset, size;
} ahead_slots[AHEAD_N] = {
	[AHEAD_CONFINT] = { offsetof(struct ahead, confint), sizeof(struct confint_step) },
	[AHEAD_EGGER] = { offsetof(struct ahead, egger), sizeof(struct egger_step) },
	[AHEAD_BEGG] = { offsetof(struct ahead, begg), sizeof(struct begg_step) },
	[AHEAD_FSN] = { offsetof(struct ahead, fsn), sizeof(struct fsn_step) },
	[AHEAD_TRIMFILL] = { offsetof(struct ahead, trimfill), sizeof(struct trimfill_step) },
};

/* 1 when the step was computed ahead: its record is moved into `out` (the
 * held copy is cleared, so that what it owns is the writer's to free) and
 * its context merged onto the analysis' here, at the step's place, after
 * waiting for the second thread when the step is one of its.  0 when the
 * caller computes it in place. */
static int take_ahead(struct analysis *a, int step, void *out, size_t size)
{
	if (!a->ahead)
		return 0;
	if (step == AHEAD_EGGER || step == AHEAD_TRIMFILL)
		sm_pool_join(&a->ahead->side);
	sm_pool_merge_ctx(a->ctx, a->ahead->ctx[step]);
	char *held = (char *)a->ahead + ahead_slots[step].offset;
	assert(size == ahead_slots[step].size);
	memcpy(out, held, size);
	memset(held, 0, size);
	return 1;
}

static int confint_glmm(const struct analysis *a)
{
	return a->settings->pooling == SM_POOL_GLMM && is_random(a);
}

static void compute_confint(const struct analysis *a, struct sm_ctx *ctx, struct confint_step *c)
{
	c->tried = !a->ml_main && is_random(a) && a->data->k > 1 && !confint_glmm(a);
	c->ok = c->tried && sm_confint_tau2(ctx, a->data->yi, a->data->vi, a->data->k, &a->fit,
					    a->settings->level, 0, &c->ci) == SM_OK;
}

static void write_confint(struct analysis *a)
{
	struct confint_step c;
	if (!take_ahead(a, AHEAD_CONFINT, &c, sizeof c))
		compute_confint(a, a->ctx, &c);
	int ok = c.ok;
	const struct sm_confint ci = c.ci;
	if (confint_glmm(a)) {
		/* metafor has no confint() for rma.glmm either */
		add_warning(a, "tau2 confidence interval: not available for a GLMM");
		sm_json_add_pair(a->obj, "tau2_ci", NAN, NAN);
		sm_json_add_pair(a->obj, "I2_ci", NAN, NAN);
		sm_json_add_pair(a->obj, "H2_ci", NAN, NAN);
		return;
	}
	if (!ok && c.tried)
		note_failure(a, "tau2 confidence interval");
	sm_json_add_pair(a->obj, "tau2_ci", ok ? ci.tau2.ci_lb : NAN, ok ? ci.tau2.ci_ub : NAN);
	sm_json_add_pair(a->obj, "I2_ci", ok ? ci.I2.ci_lb : NAN, ok ? ci.I2.ci_ub : NAN);
	sm_json_add_pair(a->obj, "H2_ci", ok ? ci.H2.ci_lb : NAN, ok ? ci.H2.ci_ub : NAN);
	if (ok && ci.ci_null)
		add_warning(a, "tau2 confidence interval: Q is smaller than its expected range even "
			       "at tau2 = 0, so the Q-profile interval is {0}");
	else if (ok && (ci.lb_sign || ci.ub_sign))
		add_warning(a, "tau2 confidence interval: a bound is the limit of the search interval");
}

static void write_transformed(struct analysis *a)
{
	cJSON *t = cJSON_AddObjectToObject(a->obj, "transformed");
	const struct sm_rma_fit *f = &a->fit;
	cJSON_AddStringToObject(t, "function", sm_transf_name(a->transf));
	sm_json_add_number(t, "estimate", display(a, f->b));
	sm_json_add_number(t, "ci_lb", display(a, f->ci_lb));
	sm_json_add_number(t, "ci_ub", display(a, f->ci_ub));
	sm_json_add_number(t, "pi_lb", is_random(a) ? display(a, f->pi_lb) : NAN);
	sm_json_add_number(t, "pi_ub", is_random(a) ? display(a, f->pi_ub) : NAN);
	if (a->transf == SM_TRANSF_IPFT_HM)
		sm_json_add_number(t, "ni_harmonic_mean", a->nhm);
}

static void compute_egger(struct analysis *a, struct sm_ctx *ctx, struct egger_step *e)
{
	struct sm_rma_opts o = a->rma;
	e->ok = sm_regtest(ctx, a->data->yi, a->data->vi, a->data->k, &o, &e->r) == SM_OK;
	a->egger_slope = e->ok ? e->r.b[1] : NAN;
}

static void write_egger(struct analysis *a)
{
	cJSON *e = cJSON_AddObjectToObject(a->obj, "egger");
	struct egger_step step;
	if (!take_ahead(a, AHEAD_EGGER, &step, sizeof step))
		compute_egger(a, a->ctx, &step);
	int ok = step.ok;
	const struct sm_regtest r = step.r;
	if (!ok)
		note_failure(a, "egger");
	else if (isnan(r.stat) && r.se[1] == 0)
		add_warning(a, "egger: the effect sizes lie on the regression line (residual "
			       "variance 0 with --test knha) and the slope is exactly 0, so its "
			       "test statistic is 0/0 and is not defined (metafor reports an "
			       "infinite statistic and p = 0 there, from rounding noise in the "
			       "slope)");
	sm_json_add_number(e, "stat", ok ? r.stat : NAN);
	sm_json_add_number(e, "df", ok ? r.df : NAN);
	sm_json_add_number(e, "p", ok ? r.pval : NAN);
	sm_json_add_number(e, "slope", ok ? r.b[1] : NAN);
	sm_json_add_number(e, "limit", ok ? r.est : NAN);
	sm_json_add_number(e, "limit_ci_lb", ok ? r.ci_lb : NAN);
	sm_json_add_number(e, "limit_ci_ub", ok ? r.ci_ub : NAN);
	cJSON_AddStringToObject(e, "model", "rma: yi ~ sei, same method and test as the fit");
}

static void compute_begg(const struct analysis *a, struct sm_ctx *ctx, struct begg_step *b)
{
	b->r = NULL;
	b->ok = a->data->k >= 2 &&
		sm_ranktest_run(ctx, a->data->yi, a->data->vi, a->data->k, &b->r) == SM_OK;
}

static void write_begg(struct analysis *a)
{
	cJSON *begg = cJSON_AddObjectToObject(a->obj, "begg");
	struct begg_step step;
	if (!take_ahead(a, AHEAD_BEGG, &step, sizeof step))
		compute_begg(a, a->ctx, &step);
	struct sm_ranktest *r = step.r;
	if (!step.ok) {
		if (a->data->k < 2)
			add_warning(a, "begg: the rank correlation test needs at least 2 studies");
		else
			note_failure(a, "begg");
		sm_json_add_number(begg, "tau", NAN);
		sm_json_add_number(begg, "p", NAN);
		return;
	}
	sm_json_add_number(begg, "tau", r->tau);
	sm_json_add_number(begg, "p", r->pval);
	cJSON_AddStringToObject(begg, "p_method", r->pval_method_name);
	cJSON_AddStringToObject(begg, "statistic_name", r->statistic_name);
	sm_json_add_number(begg, "statistic", r->statistic);
	sm_ranktest_free(r);
}

static void compute_fsn(const struct analysis *a, struct sm_ctx *ctx, struct fsn_step *f)
{
	f->ok = sm_fsn_run(ctx, a->data->yi, a->data->vi, a->data->k, 0.05, &f->f) == SM_OK;
}

static void write_failsafe(struct analysis *a)
{
	cJSON *o = cJSON_AddObjectToObject(a->obj, "failsafe");
	struct fsn_step step;
	if (!take_ahead(a, AHEAD_FSN, &step, sizeof step))
		compute_fsn(a, a->ctx, &step);
	int ok = step.ok;
	const struct sm_fsn_all f = step.f;
	if (!ok)
		note_failure(a, "fail-safe N");
	sm_json_add_number(o, "rosenthal", ok ? f.rosenthal.fsnum : NAN);
	sm_json_add_number(o, "rosenthal_p", ok ? f.rosenthal.pval : NAN);
	sm_json_add_number(o, "orwin", ok ? f.orwin.fsnum : NAN);
	sm_json_add_number(o, "orwin_target", ok ? f.orwin.target : NAN);
	sm_json_add_number(o, "rosenberg", ok ? f.rosenberg.fsnum : NAN);
	sm_json_add_number(o, "rosenberg_p", ok ? f.rosenberg.pval : NAN);
}

static void compute_trimfill(const struct analysis *a, struct sm_ctx *ctx,
			     struct trimfill_step *step)
{
	struct sm_trimfill *t = &step->t;
	memset(t, 0, sizeof *t);
	const double *yi = a->data->yi;
	size_t k = a->data->k;
	/* Egger's model is trim-and-fill's side model (same method; the test,
	 * z or knha, does not change the slope): from SM_TRIMFILL_FAST_K on,
	 * where the side comes from that slope alone, its slope is taken
	 * (test analysis/fastpaths: the same fit to the bit), saving a second
	 * meta-regression, a tenth of a k = 10^6 run.  Not when every yi is
	 * equal: Egger's slope is then exactly 0, a direct fit's is rounding
	 * noise whose sign the side ("left"/"right") reports. */
	int constant = 1;
	for (size_t i = 1; constant && i < k; i++)
		constant = yi[i] == yi[0];
	int use_egger = k >= SM_TRIMFILL_FAST_K && isfinite(a->egger_slope) && !constant;
	step->st = use_egger ? sm_trimfill_slope(ctx, yi, a->data->vi, k, &a->rma, &a->diag_fit,
						 a->egger_slope, t)
			     : sm_trimfill(ctx, yi, a->data->vi, k, &a->rma, &a->diag_fit, t);
}

static void write_trimfill(struct analysis *a)
{
	cJSON *o = cJSON_AddObjectToObject(a->obj, "trimfill");
	struct trimfill_step step;
	if (!take_ahead(a, AHEAD_TRIMFILL, &step, sizeof step))
		compute_trimfill(a, a->ctx, &step);
	struct sm_trimfill t = step.t;
	if (step.st != SM_OK) {
		note_failure(a, "trim-and-fill");
		sm_json_add_number(o, "k0", NAN);
		return;
	}
	cJSON_AddNumberToObject(o, "k0", (double)t.k0);
	sm_json_add_number(o, "k0_se", t.se_k0);
	cJSON_AddStringToObject(o, "side", t.side_right ? "right" : "left");
	cJSON_AddStringToObject(o, "estimator", "L0");
	sm_json_add_number(o, "estimate", t.fit.b);
	sm_json_add_number(o, "se", t.fit.se);
	sm_json_add_number(o, "ci_lb", t.fit.ci_lb);
	sm_json_add_number(o, "ci_ub", t.fit.ci_ub);
	sm_json_add_number(o, "p", t.fit.pval);
	sm_json_add_number(o, "tau2", is_random(a) ? t.fit.tau2 : NAN);
	cJSON *tr = cJSON_AddObjectToObject(o, "transformed");
	sm_json_add_number(tr, "estimate", display(a, t.fit.b));
	sm_json_add_number(tr, "ci_lb", display(a, t.fit.ci_lb));
	sm_json_add_number(tr, "ci_ub", display(a, t.fit.ci_ub));
	cJSON *filled = cJSON_AddArrayToObject(o, "filled");
	for (size_t i = 0; i < t.k; i++) {
		if (!t.fill[i])
			continue;
		cJSON *f = cJSON_CreateObject();
		sm_json_add_number(f, "yi", t.yi[i]);
		sm_json_add_number(f, "vi", t.vi[i]);
		cJSON_AddItemToArray(filled, f);
	}
	sm_trimfill_release(&t);
}

/* Egger's and Begg's tests and trim and fill stay computed at every k, but
 * below the minimum they are flagged: figures and the report leave them
 * out (README "Small-study effects"). */
static void write_small_study(struct analysis *a)
{
	cJSON *o = cJSON_AddObjectToObject(a->obj, "small_study");
	int min_k = a->settings->small_study_min_k;
	cJSON_AddNumberToObject(o, "min_k", min_k);
	cJSON_AddBoolToObject(o, "below_min_k", a->data->k < (size_t)min_k);
}

static void write_mh(struct analysis *a)
{
	if (!a->mh)
		return;
	const struct sm_mh_result *m = a->mh;
	cJSON *o = cJSON_AddObjectToObject(a->obj, "mh");
	cJSON_AddNumberToObject(o, "k", (double)m->k);
	cJSON_AddNumberToObject(o, "k_yi", (double)m->k_yi);
	sm_json_add_number(o, "estimate", m->b);
	sm_json_add_number(o, "se", m->se);
	sm_json_add_number(o, "stat", m->zval);
	sm_json_add_number(o, "p", m->pval);
	sm_json_add_number(o, "ci_lb", m->ci_lb);
	sm_json_add_number(o, "ci_ub", m->ci_ub);
	sm_json_add_number(o, "Q", m->QE);
	sm_json_add_number(o, "Q_df", m->QEdf);
	sm_json_add_number(o, "Q_p", m->QEp);
	sm_json_add_number(o, "I2", m->I2);
	sm_json_add_number(o, "H2", m->H2);
	if (m->measure == SM_MH_OR) {
		sm_json_add_number(o, "CMH", m->CMH);
		sm_json_add_number(o, "CMH_p", m->CMHp);
		sm_json_add_number(o, "BD", m->BD);
		sm_json_add_number(o, "BD_p", m->BDp);
		sm_json_add_number(o, "tarone", m->TA);
		sm_json_add_number(o, "tarone_p", m->TAp);
		cJSON_AddNumberToObject(o, "k_pos", (double)m->k_pos);
	}
	sm_json_add_string(o, "note", m->note);
}

static void write_peto(struct analysis *a)
{
	if (!a->peto)
		return;
	const struct sm_peto_result *p = a->peto;
	cJSON *o = cJSON_AddObjectToObject(a->obj, "peto");
	cJSON_AddNumberToObject(o, "k", (double)p->k);
	cJSON_AddNumberToObject(o, "k_yi", (double)p->k_yi);
	sm_json_add_number(o, "estimate", p->b);
	sm_json_add_number(o, "se", p->se);
	sm_json_add_number(o, "stat", p->zval);
	sm_json_add_number(o, "p", p->pval);
	sm_json_add_number(o, "ci_lb", p->ci_lb);
	sm_json_add_number(o, "ci_ub", p->ci_ub);
	sm_json_add_number(o, "Q", p->QE);
	sm_json_add_number(o, "Q_df", p->QEdf);
	sm_json_add_number(o, "Q_p", p->QEp);
	sm_json_add_number(o, "I2", p->I2);
	sm_json_add_number(o, "H2", p->H2);
}

/* Totals of the rows in the pooled estimate: the studies, or under
 * Mantel-Haenszel and Peto pooling every table. */
static void write_totals(struct analysis *a)
{
	const struct sm_analysis_data *d = a->data;
	double e1 = 0, n1 = 0, e2 = 0, n2 = 0;
	int all = pools_tables(a) && !a->ml_main;
	for (size_t j = 0; j < (all ? d->n : d->k); j++) {
		size_t i = all ? j : d->idx[j];
		e1 += a->review->kind == SM_KIND_PROP ? d->xi[i] : d->ai[i];
		n1 += a->review->kind == SM_KIND_PROP ? d->ni[i] : d->n1i[i];
		e2 += d->ci[i];
		n2 += d->n2i[i];
	}
	if (a->review->kind == SM_KIND_GENERIC)
		return;
	cJSON *t = cJSON_AddObjectToObject(a->obj, "totals");
	sm_json_add_number(t, "events_t", e1);
	sm_json_add_number(t, "n_t", n1);
	if (a->review->kind == SM_KIND_2X2) {
		sm_json_add_number(t, "events_c", e2);
		sm_json_add_number(t, "n_c", n2);
	}
}

/* The crude pooled incidence (all events over all patients) with its exact
 * interval: the plain summary a reader can check by hand, and the one that
 * stays meaningful when events are too rare for a transformed model. */
static void write_crude_proportion(struct analysis *a, double *crude)
{
	const struct sm_analysis_data *d = a->data;
	double x = 0, n = 0;
	for (size_t i = 0; i < d->n; i++) {
		x += d->xi[i];
		n += d->ni[i];
	}
	struct sm_prop_ci ci;
	if (sm_prop_clopper_pearson(a->ctx, x, n, a->settings->level, &ci) != SM_OK) {
		note_failure(a, "crude incidence");
		return;
	}
	cJSON *o = cJSON_AddObjectToObject(a->obj, "crude");
	*crude = ci.est;
	sm_json_add_number(o, "events", x);
	sm_json_add_number(o, "patients", n);
	sm_json_add_number(o, "proportion", ci.est);
	sm_json_add_pair(o, "exact_ci", ci.lower, ci.upper);
	/* The Freeman-Tukey inverse with the harmonic mean of the ni maps
	 * pooled values below the transform of zero events to exactly 0: with
	 * rare events the back-transformed estimate then says "no events" even
	 * though events occurred (Schwarzer et al., 2019). */
	if (a->transf == SM_TRANSF_IPFT_HM && x > 0 &&
	    display(a, a->fit.b) == 0 && display(a, a->fit.ci_lb) == 0) {
		char *msg = sm_asprintf(
			"the Freeman-Tukey back-transformation (harmonic mean n = %.1f) maps the "
			"pooled estimate to 0 although %.0f events occurred in %.0f patients; the "
			"back-transformed value is not interpretable here: see \"crude\" for the "
			"exact pooled incidence", a->nhm, x, n);
		if (msg)
			add_warning(a, msg);
		free(msg);
	}
}

static void write_zero_events(struct analysis *a)
{
	if (a->review->kind != SM_KIND_PROP)
		return;
	double crude = NAN;
	write_crude_proportion(a, &crude);
	struct sm_zero_events z;
	const struct sm_analysis_data *d = a->data;
	if (sm_prop_zero_events(a->ctx, d->xi, d->ni, d->n, a->settings->level, &z) != SM_OK) {
		note_failure(a, "zero events");
		return;
	}
	/* the scale proportions are shown on: from the crude incidence, or
	 * from the upper bound when nothing happened */
	double per = sm_display_scale_per(z.applies ? z.upper_exact : crude);
	cJSON_AddNumberToObject(a->obj, "display_per", per);
	if (!z.applies)
		return;
	cJSON *o = cJSON_AddObjectToObject(a->obj, "zero_events");
	sm_json_add_number(o, "n_total", z.n_total);
	sm_json_add_number(o, "level", z.level);
	sm_json_add_number(o, "upper_exact", z.upper_exact);
	sm_json_add_number(o, "upper_rule_of_three", z.upper_rule_of_three);
	char *msg = sm_asprintf("no events in any study (0 of %.0f patients): a pooled incidence "
				"of zero is not meaningful; the one-sided %g%% upper bound is %.4g "
				"(rule of three: %.4g)", z.n_total, z.level, z.upper_exact,
				z.upper_rule_of_three);
	if (msg)
		add_warning(a, msg);
	free(msg);
}

/* ---- per-study rows ---------------------------------------------------- */

static void write_study_counts(const struct analysis *a, cJSON *st, size_t row)
{
	const struct sm_analysis_data *d = a->data;
	switch (a->review->kind) {
	case SM_KIND_2X2:
		sm_json_add_number(st, "ai", d->ai[row]);
		sm_json_add_number(st, "n1i", d->n1i[row]);
		sm_json_add_number(st, "ci", d->ci[row]);
		sm_json_add_number(st, "n2i", d->n2i[row]);
		break;
	case SM_KIND_PROP:
		sm_json_add_number(st, "xi", d->xi[row]);
		sm_json_add_number(st, "ni", d->ni[row]);
		break;
	default:
		break;
	}
}

/* A row's label or study id.  Streamed, the rows' kept keys are read
 * while the review is still there (the caller keeps it until the document
 * is out): its text, not a copy (two small allocations a row, 64 MB at
 * k = 10^6).  Absent when s is NULL, as cJSON_AddStringToObject() does. */
static void add_label(const struct analysis *a, cJSON *st, const char *key, const char *s)
{
	if (!a->stream)
		cJSON_AddStringToObject(st, key, s);
	else if (s)
		cJSON_AddItemToObject(st, key, cJSON_CreateStringReference(s));
}

static cJSON *study_base(const struct analysis *a, size_t row)
{
	const struct sm_outcome *o = a->data->rows[row];
	cJSON *st = cJSON_CreateObject();
	add_label(a, st, "label", o->label);
	add_label(a, st, "study_id", o->study_id);
	cJSON_AddStringToObject(st, "group", o->group);
	sm_json_add_string(st, "event", o->event);
	if (o->year > 0)
		cJSON_AddNumberToObject(st, "year", o->year);
	write_study_counts(a, st, row);
	return st;
}

static void write_ledger(const struct sm_escalc_row *e, cJSON *st)
{
	cJSON *z = cJSON_AddObjectToObject(st, "zero_cell");
	sm_json_add_number(z, "added", e->corrected ? e->added : 0);
	cJSON_AddBoolToObject(z, "double_zero", e->double_zero);
	cJSON_AddBoolToObject(z, "dropped", e->dropped);
	sm_json_add_string(z, "reason", e->reason);
}

/* A refit with its display-scale values, back-transformed as the pooled
 * estimate is (a PFT proportion with the harmonic mean of the whole
 * analysis, as the forest of leave1out()/cumul() with the analysis' targs). */
static void write_loo_row(const struct analysis *a, cJSON *o, const struct sm_loo_row *r)
{
	sm_json_add_number(o, "estimate", r->estimate);
	sm_json_add_number(o, "se", r->se);
	sm_json_add_number(o, "ci_lb", r->ci_lb);
	sm_json_add_number(o, "ci_ub", r->ci_ub);
	sm_json_add_number(o, "p", r->pval);
	sm_json_add_number(o, "tau2", is_random(a) ? r->tau2 : NAN);
	sm_json_add_number(o, "I2", r->I2);
	sm_json_add_number(o, "Q", r->QE);
	cJSON *t = cJSON_AddObjectToObject(o, "transformed");
	sm_json_add_number(t, "estimate", sm_transf_apply(a->transf, r->estimate, a->nhm));
	sm_json_add_number(t, "ci_lb", sm_transf_apply(a->transf, r->ci_lb, a->nhm));
	sm_json_add_number(t, "ci_ub", sm_transf_apply(a->transf, r->ci_ub, a->nhm));
}

static void write_influence(const struct analysis *a, cJSON *st, size_t j)
{
	if (!a->have_inf)
		return;
	const struct sm_influence *f = &a->inf;
	sm_json_add_number(st, "rstudent", f->rstudent[j]);
	sm_json_add_number(st, "dffits", f->dffits[j]);
	sm_json_add_number(st, "cooks", f->cook_d[j]);
	sm_json_add_number(st, "cov_r", f->cov_r[j]);
	sm_json_add_number(st, "tau2_del", is_random(a) ? f->tau2_del[j] : NAN);
	sm_json_add_number(st, "Q_del", f->QE_del[j]);
	sm_json_add_number(st, "hat", f->hat[j]);
	sm_json_add_number(st, "dfbs", f->dfbs[j]);
	double bx, by;
	sm_baujat(a->data->yi[j], a->data->vi[j], &a->diag_fit, &f->loo[j], &bx, &by);
	sm_json_add_number(st, "baujat_x", bx);
	sm_json_add_number(st, "baujat_y", by);
	/* a flag is null where the statistics behind it were not computed */
	if (f->inf[j] == SM_FLAG_NA)
		cJSON_AddNullToObject(st, "influential");
	else
		cJSON_AddBoolToObject(st, "influential", f->inf[j]);
	if (isnan(f->rstudent[j]))
		cJSON_AddNullToObject(st, "outlier");
	else
		cJSON_AddBoolToObject(st, "outlier", fabs(f->rstudent[j]) > f->rstudent_crit);
	write_loo_row(a, cJSON_AddObjectToObject(st, "loo"), &f->loo[j]);
}

static void write_study_effect(const struct analysis *a, cJSON *st, size_t j, size_t row)
{
	const struct sm_analysis_data *d = a->data;
	double z = crit_z(a->settings->level);
	double lb = d->yi[j] - z * sqrt(d->vi[j]), ub = d->yi[j] + z * sqrt(d->vi[j]);
	sm_json_add_number(st, "yi", d->yi[j]);
	sm_json_add_number(st, "vi", d->vi[j]);
	sm_json_add_number(st, "ci_lb", lb);
	sm_json_add_number(st, "ci_ub", ub);
	sm_json_add_number(st, "weight", a->weights[j]);
	cJSON *t = cJSON_AddObjectToObject(st, "transformed");
	/* metafor back-transforms a single PFT study with its own n. */
	double n_own = a->transf == SM_TRANSF_IPFT_HM ? d->ni[row] : a->nhm;
	sm_json_add_number(t, "yi", sm_transf_apply(a->transf, d->yi[j], n_own));
	sm_json_add_number(t, "ci_lb", sm_transf_apply(a->transf, lb, n_own));
	sm_json_add_number(t, "ci_ub", sm_transf_apply(a->transf, ub, n_own));
}

static void write_exact_ci(struct analysis *a, cJSON *st, size_t row)
{
	if (a->review->kind != SM_KIND_PROP)
		return;
	struct sm_prop_ci ci;
	if (sm_prop_clopper_pearson(a->ctx, a->data->xi[row], a->data->ni[row],
				    a->settings->level, &ci) != SM_OK) {
		note_failure(a, "exact confidence interval");
		return;
	}
	sm_json_add_number(st, "proportion", ci.est);
	sm_json_add_pair(st, "exact_ci", ci.lower, ci.upper);
}

/* A row without an effect size of its own whose table the Mantel-Haenszel
 * or Peto estimate still pools: its weight there, and that it is pooled. */
static void write_pooled_table(const struct analysis *a, cJSON *st, size_t row)
{
	if (!pools_tables(a) || a->ml_main)
		return;
	sm_json_add_number(st, "weight", a->row_weights[row]);
	cJSON_AddBoolToObject(st, "pooled_table", 1);
}

/* What a spooled row keeps in the tree: the keys the document's later
 * blocks read from the rows (the multiplicity terms: label, event,
 * fisher_p; the domain table: study_id, label, n1i, n2i). */
static const char *const spool_keep[] = { "label", "study_id", "event", "n1i", "n2i",
					  "fisher_p" };

static void add_row(struct analysis *a, cJSON *list, cJSON *st, int streamed)
{
	size_t n_keep = sizeof spool_keep / sizeof *spool_keep;
	if (a->spool && !streamed)
		sm_row_spool_put(a->spool, st, SM_ROW_DEPTH_ANALYSIS, spool_keep, n_keep);
	cJSON_AddItemToArray(list, st);
	if (!streamed)
		return;
	sm_json_stream_row(a->stream, st, spool_keep, n_keep);
	/* A kept null (no event, no arm sizes) reads as an absent key (NULL
	 * or NaN) to the blocks after, which test the presence of fisher_p
	 * alone: one node a row less (64 MB at k = 10^6). */
	for (cJSON *c = st->child, *next; c; c = next) {
		next = c->next;
		if (cJSON_IsNull(c) && strcmp(c->string, "fisher_p"))
			cJSON_Delete(cJSON_DetachItemViaPointer(st, c));
	}
}

/* ---- rows written as text ---------------------------------------------- */

/* write_loo_row()'s members, as text. */
static void text_loo_row(const struct analysis *a, struct sm_json_obj *w,
			 const struct sm_loo_row *r)
{
	sm_json_obj_number(w, "estimate", r->estimate);
	sm_json_obj_number(w, "se", r->se);
	sm_json_obj_number(w, "ci_lb", r->ci_lb);
	sm_json_obj_number(w, "ci_ub", r->ci_ub);
	sm_json_obj_number(w, "p", r->pval);
	sm_json_obj_number(w, "tau2", is_random(a) ? r->tau2 : NAN);
	sm_json_obj_number(w, "I2", r->I2);
	sm_json_obj_number(w, "Q", r->QE);
	sm_json_obj_open(w, "transformed");
	sm_json_obj_number(w, "estimate", sm_transf_apply(a->transf, r->estimate, a->nhm));
	sm_json_obj_number(w, "ci_lb", sm_transf_apply(a->transf, r->ci_lb, a->nhm));
	sm_json_obj_number(w, "ci_ub", sm_transf_apply(a->transf, r->ci_ub, a->nhm));
	sm_json_obj_close(w);
}

/* Whether data row `row` of "studies" can be written as text, without a
 * tree: streamed, and a row with only the members text_row() writes (no
 * arm counts, proportion, table for a Fisher test or RD interval: those
 * build the row's tree as before). */
static int row_as_text(const struct analysis *a, size_t row)
{
	const struct sm_analysis_data *d = a->data;
	return a->review->kind == SM_KIND_GENERIC && a->settings->esc.measure != SM_RD &&
	       (isnan(d->ai[row]) || isnan(d->n1i[row]) || isnan(d->ci[row]) ||
		isnan(d->n2i[row]));
}

/* Model row j (data row `row`) with the bytes the tree of study_base(),
 * write_study_effect(), sm_study_extra_write(), write_ledger(),
 * write_influence() and the cumul row prints at the depth of an analysis'
 * rows; nothing of it is kept in the tree (the build's row index has the
 * row for the later blocks).  z is crit_z() of the level (a quantile per
 * row otherwise).  It reads only what is final before the rows are
 * written (the data, weights, influence and cumulative rows), so that a
 * second thread can make rows ahead (text_chunk()). */
static void text_row(const struct analysis *a, double z, struct sm_buf *b, size_t j, size_t row)
{
	const struct sm_analysis_data *d = a->data;
	const struct sm_outcome *o = d->rows[row];
	struct sm_json_obj w;
	sm_json_obj_begin(&w, b, SM_ROW_DEPTH_ANALYSIS);
	if (o->label)
		sm_json_obj_string(&w, "label", o->label);
	if (o->study_id)
		sm_json_obj_string(&w, "study_id", o->study_id);
	if (o->group)
		sm_json_obj_string(&w, "group", o->group);
	sm_json_obj_string(&w, "event", o->event);
	if (o->year > 0)
		sm_json_obj_number(&w, "year", o->year);
	double lb = d->yi[j] - z * sqrt(d->vi[j]), ub = d->yi[j] + z * sqrt(d->vi[j]);
	sm_json_obj_number(&w, "yi", d->yi[j]);
	sm_json_obj_number(&w, "vi", d->vi[j]);
	sm_json_obj_number(&w, "ci_lb", lb);
	sm_json_obj_number(&w, "ci_ub", ub);
	sm_json_obj_number(&w, "weight", a->weights[j]);
	sm_json_obj_open(&w, "transformed");
	double n_own = a->transf == SM_TRANSF_IPFT_HM ? d->ni[row] : a->nhm;
	sm_json_obj_number(&w, "yi", sm_transf_apply(a->transf, d->yi[j], n_own));
	sm_json_obj_number(&w, "ci_lb", sm_transf_apply(a->transf, lb, n_own));
	sm_json_obj_number(&w, "ci_ub", sm_transf_apply(a->transf, ub, n_own));
	sm_json_obj_close(&w);
	/* sm_study_extra_write() of a row without a table */
	sm_json_obj_null(&w, "fisher_p");
	const struct sm_escalc_row *e = &d->esc[row];
	sm_json_obj_open(&w, "zero_cell");
	sm_json_obj_number(&w, "added", e->corrected ? e->added : 0);
	sm_json_obj_bool(&w, "double_zero", e->double_zero);
	sm_json_obj_bool(&w, "dropped", e->dropped);
	sm_json_obj_string(&w, "reason", e->reason);
	sm_json_obj_close(&w);
	if (a->have_inf) {
		const struct sm_influence *f = &a->inf;
		sm_json_obj_number(&w, "rstudent", f->rstudent[j]);
		sm_json_obj_number(&w, "dffits", f->dffits[j]);
		sm_json_obj_number(&w, "cooks", f->cook_d[j]);
		sm_json_obj_number(&w, "cov_r", f->cov_r[j]);
		sm_json_obj_number(&w, "tau2_del", is_random(a) ? f->tau2_del[j] : NAN);
		sm_json_obj_number(&w, "Q_del", f->QE_del[j]);
		sm_json_obj_number(&w, "hat", f->hat[j]);
		sm_json_obj_number(&w, "dfbs", f->dfbs[j]);
		double bx, by;
		sm_baujat(d->yi[j], d->vi[j], &a->diag_fit, &f->loo[j], &bx, &by);
		sm_json_obj_number(&w, "baujat_x", bx);
		sm_json_obj_number(&w, "baujat_y", by);
		if (f->inf[j] == SM_FLAG_NA)
			sm_json_obj_null(&w, "influential");
		else
			sm_json_obj_bool(&w, "influential", f->inf[j]);
		if (isnan(f->rstudent[j]))
			sm_json_obj_null(&w, "outlier");
		else
			sm_json_obj_bool(&w, "outlier", fabs(f->rstudent[j]) > f->rstudent_crit);
		sm_json_obj_open(&w, "loo");
		text_loo_row(a, &w, &f->loo[j]);
		sm_json_obj_close(&w);
	}
	if (a->cumul) {
		sm_json_obj_open(&w, "cumul");
		text_loo_row(a, &w, &a->cumul[j]);
		sm_json_obj_close(&w);
	}
	sm_json_obj_close(&w);
}

/* Notes a streamed row of list in the index: o for a row kept out of the
 * tree, NULL for one in it.  Out of memory fails the build (an internal
 * error on the context, sm_results_build_streamed()). */
static void index_row(struct analysis *a, const cJSON *list, const struct sm_outcome *o)
{
	if (a->index && sm_row_index_add(a->index, list, o) != 0 && !a->index_failed) {
		a->index_failed = 1;
		SM_FAIL(a->ctx, SM_EINTERNAL, "out of memory");
	}
}

/* ---- text rows made ahead on a second thread ---------------------------
 * The text rows of a long list are made in chunks of model rows
 * (sm_text_ahead.h): a second thread formats the next chunks while this
 * one writes the current one and builds the tree rows between them (those,
 * the row index, the stream, the warnings and the context stay here).  A
 * chunk's text is that of its rows, whichever thread makes it. */

/* Model rows per chunk: a few milliseconds of formatting, a few hundred
 * KiB to a few MiB of text per buffer (sm_text_ahead keeps three). */
#define SM_TEXT_CHUNK_ROWS 1024

/* Studies from which the rows take a second thread by default (threads =
 * 0; a caller asking for 2 or more gets it at every k above one chunk):
 * below, the rows take under about 20 ms to format (with influence and
 * cumulative rows) and the thread's start and hand-overs are hardly worth
 * it (tests/bench/README.md, "Seventh round: rows on two threads"). */
#define SM_TEXT_AHEAD_MIN_ROWS 4096

struct text_rows {
	const struct analysis *a;
	double z;
};

/* sm_text_chunk_fn: the text rows among model rows [c * C, (c + 1) * C). */
static size_t text_chunk(void *arg, size_t c, struct sm_buf *text, size_t *ends)
{
	const struct text_rows *t = arg;
	const struct sm_analysis_data *d = t->a->data;
	size_t from = c * SM_TEXT_CHUNK_ROWS, n = 0;
	size_t to = d->k - from < SM_TEXT_CHUNK_ROWS ? d->k : from + SM_TEXT_CHUNK_ROWS;
	for (size_t j = from; j < to; j++) {
		if (!row_as_text(t->a, d->idx[j]))
			continue;
		text_row(t->a, t->z, text, j, d->idx[j]);
		ends[n++] = text->len;
	}
	return n;
}

/* The chunks as the caller takes them. */
struct text_feed {
	struct sm_text_ahead *ahead; /* NULL: each row is made at its place */
	const struct sm_buf *text;   /* the chunk taken last */
	const size_t *ends;
	size_t n_rows, pos;          /* its rows, the next one's number */
	size_t taken;                /* chunks taken */
};

/* Bytes each chunk buffer starts with: the first text row's size times
 * the rows of a chunk, and a quarter more (labels differ in length); a
 * chunk that needs more grows its buffer. */
static size_t chunk_reserve(const struct text_rows *t)
{
	const struct sm_analysis_data *d = t->a->data;
	for (size_t j = 0; j < d->k; j++) {
		if (!row_as_text(t->a, d->idx[j]))
			continue;
		struct sm_buf one;
		sm_buf_init(&one);
		text_row(t->a, t->z, &one, j, d->idx[j]);
		size_t len = one.failed ? 0 : one.len;
		sm_buf_release(&one);
		size_t rows = d->k < SM_TEXT_CHUNK_ROWS ? d->k : SM_TEXT_CHUNK_ROWS;
		return len * rows + len * rows / 4 + 4096;
	}
	return 0;
}

/* With a second thread allowed (settings->threads) for rows this many,
 * the chunks' maker; else, or without memory for it, none (feed->ahead
 * NULL: the serial loop). */
static void feed_start(struct text_feed *feed, const struct text_rows *t)
{
	memset(feed, 0, sizeof *feed);
	const struct analysis *a = t->a;
	size_t threads = sm_pool_threads(a->settings->threads);
	size_t k = a->data->k;
	if (threads < 2 || (a->settings->threads == 0 && k < SM_TEXT_AHEAD_MIN_ROWS))
		return;
	size_t n_chunks = k / SM_TEXT_CHUNK_ROWS + (k % SM_TEXT_CHUNK_ROWS != 0);
	size_t reserve = chunk_reserve(t);
	if (reserve)
		feed->ahead = sm_text_ahead_new(n_chunks, SM_TEXT_CHUNK_ROWS, reserve, text_chunk,
						(void *)t, threads);
}

/* The text of model row j, the next text row; NULL when out of memory. */
static const char *fed_row(struct text_feed *feed, size_t j, size_t *len)
{
	*len = 0;
	while (feed->taken <= j / SM_TEXT_CHUNK_ROWS) {
		feed->text = sm_text_ahead_next(feed->ahead, &feed->ends, &feed->n_rows);
		feed->pos = 0;
		feed->taken++;
		if (!feed->text)
			return NULL;
	}
	if (!feed->text || feed->text->failed || feed->pos >= feed->n_rows)
		return NULL;
	size_t from = feed->pos ? feed->ends[feed->pos - 1] : 0;
	*len = feed->ends[feed->pos] - from;
	feed->pos++;
	return feed->text->data + from;
}

static void write_studies(struct analysis *a)
{
	const struct sm_analysis_data *d = a->data;
	cJSON *studies = cJSON_AddArrayToObject(a->obj, "studies");
	cJSON *excluded = cJSON_AddArrayToObject(a->obj, "excluded");
	/* everything of the analysis before its rows is final here */
	int streamed = a->stream && studies && excluded;
	if (streamed) {
		sm_json_stream_enter(a->stream, a->obj);
		sm_json_stream_enter(a->stream, studies);
	}
	int as_text = streamed && d->ai && d->n1i && d->ci && d->n2i;
	struct text_rows rows = { a, crit_z(a->settings->level) };
	struct text_feed feed = { 0 };
	if (as_text)
		feed_start(&feed, &rows);
	struct sm_buf text;
	sm_buf_init(&text);
	size_t j = 0;
	for (size_t row = 0; row < d->n; row++) {
		if (as_text && j < d->k && d->idx[j] == row && row_as_text(a, row)) {
			const char *t;
			size_t len;
			if (feed.ahead) {
				t = fed_row(&feed, j, &len);
			} else {
				sm_buf_reset(&text);
				text_row(a, rows.z, &text, j, row);
				t = text.failed ? NULL : text.data;
				len = text.len;
			}
			index_row(a, studies, d->rows[row]);
			/* out of memory: no text, which fails the stream */
			sm_json_stream_row_untreed(a->stream, t, len);
			j++;
			continue;
		}
		cJSON *st = study_base(a, row);
		const struct sm_escalc_row *e = &d->esc[row];
		write_exact_ci(a, st, row);
		if (j < d->k && d->idx[j] == row) {
			write_study_effect(a, st, j, row);
			double z = crit_z(a->settings->level), h = z * sqrt(d->vi[j]);
			sm_study_extra_write(a->ctx, d, row, a->settings, d->yi[j] - h,
					     d->yi[j] + h, st, a->warnings);
			write_ledger(e, st);
			write_influence(a, st, j);
			if (a->cumul)
				write_loo_row(a, cJSON_AddObjectToObject(st, "cumul"), &a->cumul[j]);
			if (streamed)
				index_row(a, studies, NULL);
			add_row(a, studies, st, streamed);
			j++;
		} else {
			sm_study_extra_write(a->ctx, d, row, a->settings, NAN, NAN, st,
					     a->warnings);
			cJSON_AddStringToObject(st, "reason",
						e->reason ? e->reason : "no finite effect size");
			write_pooled_table(a, st, row);
			write_ledger(e, st);
			add_row(a, excluded, st, 0);
		}
	}
	sm_text_ahead_free(feed.ahead);
	sm_buf_release(&text);
	if (streamed)
		sm_json_stream_leave(a->stream);
}

/* ---- findings a report states in words ------------------------------------ */

/* "influence_summary" (every analysis with k >= 2) and, for 2x2 data,
 * "evidence_of_absence" (sm_absence.h). */
static void write_findings(struct analysis *a)
{
	if (a->data->k >= 2)
		cJSON_AddItemToObject(a->obj, "influence_summary",
				      sm_influence_summary_json(a->data, a->have_inf ? &a->inf
										: NULL,
								  &a->diag_fit));
	if (a->review->kind != SM_KIND_2X2)
		return;
	struct sm_absence_pooled p = { sm_measure_name(a->settings->esc.measure),
				       a->ml_main ? sm_method_name(a->ml.method)
						  : a->settings->method_label,
				       a->fit.b, a->fit.se, a->fit.ci_lb, a->fit.ci_ub, a->fit.df };
	cJSON *ev = sm_absence_json(a->ctx, a->review, a->data, a->settings, &p, a->warnings);
	if (ev)
		cJSON_AddItemToObject(a->obj, "evidence_of_absence", ev);
	else
		note_failure(a, "evidence of absence");
}

/* ---- orchestration ------------------------------------------------------ */

static void run_common_models(struct analysis *a)
{
	const struct sm_analysis_data *d = a->data;
	if (a->review->kind != SM_KIND_2X2)
		return;
	enum sm_measure m = a->settings->esc.measure;
	if ((m == SM_OR || m == SM_RR || m == SM_RD) &&
	    sm_mh_run(a->ctx, mh_measure(m), d->ai, d->n1i, d->ci, d->n2i, d->n,
		      a->settings->level, &a->mh) != SM_OK)
		note_failure(a, "Mantel-Haenszel");
	/* Beside another pooling method rma.peto is a side result: data without
	 * a Peto estimate just leave the "peto" block out.  Peto pooling needs
	 * it, and fit_model reports the reason as the analysis' error. */
	if ((m == SM_OR || m == SM_PETO) &&
	    sm_peto_run(a->ctx, d->ai, d->n1i, d->ci, d->n2i, d->n, a->settings->level,
			&a->peto) != SM_OK && a->settings->pooling != SM_POOL_PETO) {
		if (sm_ctx_error(a->ctx)->code == SM_EINPUT)
			sm_ctx_clear_error(a->ctx);
		else
			note_failure(a, "Peto");
	}
}

/* The cumulative fits in the order sm_cumul_order() gives, each stored
 * with the study it added (a->cumul[j] is the fit up to study j), and the
 * order in "cumul_order". */
static sm_status run_cumul_ordered(struct analysis *a)
{
	const struct sm_analysis_data *d = a->data;
	size_t k = d->k;
	size_t *perm = sm_alloc_array(k ? k : 1, sizeof *perm);
	double *y = sm_alloc_array(k ? k : 1, sizeof *y), *v = sm_alloc_array(k ? k : 1, sizeof *v);
	struct sm_loo_row *rows = sm_alloc_array(k ? k : 1, sizeof *rows);
	a->cumul = sm_alloc_array(k ? k : 1, sizeof *a->cumul);
	const char *by = NULL;
	sm_status s = perm && y && v && rows && a->cumul ? SM_OK
			  : SM_FAIL(a->ctx, SM_EINTERNAL, "out of memory");
	if (s == SM_OK)
		s = sm_cumul_order(a->ctx, a->review, d, a->settings->cumul_order, perm, &by);
	for (size_t i = 0; s == SM_OK && i < k; i++) {
		y[i] = d->yi[perm[i]];
		v[i] = d->vi[perm[i]];
	}
	if (s == SM_OK)
		s = sm_cumul(a->ctx, y, v, k, &a->rma, rows);
	if (s == SM_OK) {
		for (size_t i = 0; i < k; i++)
			a->cumul[perm[i]] = rows[i];
		cJSON *o = cJSON_AddObjectToObject(a->obj, "cumul_order");
		cJSON_AddStringToObject(o, "by", by);
		cJSON *raw = a->spool ? sm_json_fast_raw_indices(perm, k) : NULL;
		if (raw) {
			cJSON_AddItemToObject(o, "studies", raw);
		} else {
			cJSON *list = cJSON_AddArrayToObject(o, "studies");
			for (size_t i = 0; i < k; i++)
				cJSON_AddItemToArray(list, cJSON_CreateNumber((double)perm[i]));
		}
	}
	free(perm);
	free(y);
	free(v);
	free(rows);
	return s;
}

/* Cumulative meta-analysis, also of a single study (its one row is that
 * study's fit, as metafor's cumul() gives it). */
static void run_cumul(struct analysis *a)
{
	const struct sm_analysis_data *d = a->data;
	if (d->k > SM_CUMUL_MAX_K) {
		char *msg = sm_asprintf("cumulative meta-analysis skipped: k = %zu is above the "
					"limit of %d studies", d->k, SM_CUMUL_MAX_K);
		if (msg)
			add_warning(a, msg);
		free(msg);
		return;
	}
	if (run_cumul_ordered(a) != SM_OK) {
		note_failure(a, "cumulative meta-analysis");
		free(a->cumul);
		a->cumul = NULL;
	}
}

static void run_diagnostics(struct analysis *a)
{
	const struct sm_analysis_data *d = a->data;
	if (d->k < 2) {
		add_warning(a, "influence, leave-one-out: need at least 2 studies");
		run_cumul(a);
		return;
	}
	memset(&a->inf, 0, sizeof a->inf);
	if (sm_method_is_iterative(a->rma.method) && d->k > SM_LOO_ITERATIVE_MAX_K) {
		char *msg = sm_asprintf("influence, leave-one-out and cumulative analysis skipped: "
					"k = %zu is above the limit of %d studies for %s",
					d->k, SM_LOO_ITERATIVE_MAX_K, sm_method_name(a->rma.method));
		if (msg)
			add_warning(a, msg);
		free(msg);
		return;
	}
	/* without the rows only the influence summary reads the result */
	enum sm_inf_keep keep = a->settings->no_studies ? SM_INF_SUMMARY : SM_INF_ALL;
	if (sm_influence_keep(a->ctx, d->yi, d->vi, d->k, &a->rma, &a->diag_fit, SM_LOO_AUTO,
			      keep, &a->inf) == SM_OK)
		a->have_inf = 1;
	else
		note_failure(a, "influence");
	if (a->have_inf && a->inf.undefined)
		add_warning(a, "influence: the pooled estimate has variance 0 (se = 0), so the "
			       "case diagnostics (rstudent, dffits, Cook's distance, covariance "
			       "ratio, hat, DFBETAS) and the influential and outlier flags are not "
			       "defined and are null (metafor's influence() refuses); the "
			       "leave-one-out rows are computed");
	run_cumul(a);
}

static void run_egger(void *arg)
{
	struct ahead *h = arg;
	compute_egger(h->a, h->ctx[AHEAD_EGGER], &h->egger);
}

static void run_trimfill(void *arg)
{
	struct ahead *h = arg;
	compute_trimfill(h->a, h->ctx[AHEAD_TRIMFILL], &h->trimfill);
}

static void ahead_free(struct ahead *h)
{
	if (!h)
		return;
	sm_pool_join(&h->side);
	sm_ranktest_free(h->begg.r);
	if (h->trimfill.st == SM_OK)
		sm_trimfill_release(&h->trimfill.t);
	for (int i = 0; i < AHEAD_N; i++)
		sm_ctx_free(h->ctx[i]);
	free(h);
}

/* Studies from which an analysis takes a second thread by default
 * (threads = 0; a caller asking for 2 or more gets it at every k).  Below,
 * its steps take a few tens of ms in all, and the thread is not free: its
 * first allocation makes glibc reserve a malloc arena, 64 MiB of address
 * space, which under `ulimit -v` leaves the rest of the run less (at
 * k = 10^5 between 106 and 118 MiB, tests/cli/oom.sh, the run failed with
 * exit 4 as it must, but in 27-38 s instead of 8-10 s, most of it in
 * failing mmap calls). */
#define SM_AHEAD_MIN_K 200000

/* With a second thread Egger's test starts now, before the model is
 * fitted (see struct ahead); without one, or without memory for the
 * steps' contexts, each step is computed at its place. */
static void start_ahead(struct analysis *a)
{
	size_t threads = sm_pool_threads(a->settings->threads);
	if (threads < 2 || (a->settings->threads == 0 && a->data->k < SM_AHEAD_MIN_K))
		return;
	struct ahead *h = calloc(1, sizeof *h);
	for (int i = 0; h && i < AHEAD_N; i++) {
		if (!(h->ctx[i] = sm_ctx_new())) {
			ahead_free(h);
			return;
		}
	}
	if (!h)
		return;
	h->a = a;
	h->threads = threads;
	a->ahead = h;
	sm_pool_start(&h->side, threads, run_egger, h);
}

/* The model is fitted: trim and fill follows Egger's test on the second
 * thread, the other steps are computed here meanwhile. */
static void continue_ahead(struct analysis *a)
{
	struct ahead *h = a->ahead;
	if (!h)
		return;
	sm_pool_join(&h->side);
	sm_pool_start(&h->side, h->threads, run_trimfill, h);
	compute_begg(a, h->ctx[AHEAD_BEGG], &h->begg);
	compute_confint(a, h->ctx[AHEAD_CONFINT], &h->confint);
	compute_fsn(a, h->ctx[AHEAD_FSN], &h->fsn);
}

static void choose_transform(struct analysis *a)
{
	a->transf = sm_measure_transf(a->settings->esc.measure);
	if (a->transf == SM_TRANSF_IPFT_HM) {
		double *ni = sm_alloc_array(a->data->k, sizeof(double));
		for (size_t j = 0; ni && j < a->data->k; j++)
			ni[j] = a->data->ni[a->data->idx[j]];
		a->nhm = ni ? sm_harmonic_mean(ni, a->data->k) : NAN;
		free(ni);
	}
}

static void note_ledger(struct analysis *a)
{
	size_t corrected = 0;
	for (size_t i = 0; i < a->data->n; i++)
		corrected += a->data->esc[i].corrected;
	char *msg = NULL;
	if (corrected)
		msg = sm_asprintf("continuity correction: %g added to every cell of %zu of %zu "
				  "studies with a zero cell", a->settings->esc.add, corrected,
				  a->data->n);
	if (msg)
		add_warning(a, msg);
	free(msg);
	size_t excluded = a->data->n - a->data->k;
	if (!excluded)
		return;
	if (pools_tables(a) && !a->ml_main)
		msg = sm_asprintf("%zu of %zu studies have no effect size of their own (see "
				  "\"excluded\"); the %s estimate pools their tables too "
				  "(\"pooled_table\"), the per-study diagnostics leave them out",
				  excluded, a->data->n,
				  a->settings->pooling == SM_POOL_PETO ? "Peto" : "Mantel-Haenszel");
	else
		msg = sm_asprintf("%zu of %zu studies left out of the model (see \"excluded\")",
				  excluded, a->data->n);
	if (msg)
		add_warning(a, msg);
	free(msg);
}

static void analysis_release(struct analysis *a)
{
	ahead_free(a->ahead);
	a->ahead = NULL;
	sm_mh_result_free(a->mh);
	sm_peto_result_free(a->peto);
	if (a->have_inf)
		sm_influence_release(&a->inf);
	free(a->cumul);
	free(a->weights);
	free(a->row_weights);
}

/* The common-effect twin of the pooled model, for subgroup tests. */
static void fill_pooled(struct analysis *a, struct sm_analysis_pooled *p)
{
	p->random = is_random(a);
	p->b = a->fit.b;
	p->se = a->fit.se;
	p->common_b = a->fit.b;
	p->common_se = a->fit.se;
	p->k = a->data->k;
	if (a->settings->pooling == SM_POOL_REVMAN_DL && a->mh) {
		p->common_b = a->mh->b;
		p->common_se = a->mh->se;
	} else if (p->random) {
		struct sm_rma_opts fe = a->rma;
		fe.method = SM_FE;
		fe.test = SM_TEST_Z;
		struct sm_rma_fit f;
		if (sm_rma_fit(a->ctx, a->data->yi, a->data->vi, a->data->k, &fe, &f) == SM_OK) {
			p->common_b = f.b;
			p->common_se = f.se;
		} else {
			sm_ctx_clear_error(a->ctx); /* noted by write_other_fits */
			p->common_b = p->common_se = NAN;
		}
	}
	p->weights = a->weights; /* handed over */
	a->weights = NULL;
	p->row_weights = a->row_weights;
	a->row_weights = NULL;
}

void sm_analysis_pooled_release(struct sm_analysis_pooled *p)
{
	if (!p)
		return;
	free(p->weights);
	free(p->row_weights);
	memset(p, 0, sizeof *p);
}

cJSON *sm_analysis_json(struct sm_ctx *ctx, const struct sm_review *review,
			const struct sm_analysis_data *data,
			const struct sm_run_settings *settings)
{
	return sm_analysis_json_pooled(ctx, review, data, settings, NULL);
}

cJSON *sm_analysis_json_pooled(struct sm_ctx *ctx, const struct sm_review *review,
			       const struct sm_analysis_data *data,
			       const struct sm_run_settings *settings,
			       struct sm_analysis_pooled *pooled)
{
	return sm_analysis_json_spooled(ctx, review, data, settings, pooled, NULL);
}

cJSON *sm_analysis_json_spooled(struct sm_ctx *ctx, const struct sm_review *review,
				const struct sm_analysis_data *data,
				const struct sm_run_settings *settings,
				struct sm_analysis_pooled *pooled, struct sm_row_spool *spool)
{
	return sm_analysis_json_indexed(ctx, review, data, settings, pooled, spool, NULL, NULL);
}

cJSON *sm_analysis_json_indexed(struct sm_ctx *ctx, const struct sm_review *review,
				const struct sm_analysis_data *data,
				const struct sm_run_settings *settings,
				struct sm_analysis_pooled *pooled, struct sm_row_spool *spool,
				struct sm_json_stream *stream, struct sm_row_index *index)
{
	struct analysis a = { .ctx = ctx, .review = review, .data = data, .settings = settings,
			      .spool = spool, .stream = stream, .index = stream ? index : NULL,
			      .egger_slope = NAN };
	if (pooled)
		memset(pooled, 0, sizeof *pooled);
	if (data->k == 0) {
		SM_FAIL_POS(ctx, SM_EINPUT, review->path, 0, 0, NULL,
			    "analysis '%s' has no study with a finite effect size (k = 0); "
			    "expected at least one", data->name);
		return NULL;
	}
	a.obj = cJSON_CreateObject();
	a.warnings = cJSON_CreateArray();
	a.ctx_warnings = sm_ctx_warning_count(ctx);
	a.rma = sm_run_settings_rma(settings); /* the inverse-variance model's options */
	start_ahead(&a);
	run_common_models(&a);
	if (fit_model(&a) != SM_OK) {
		cJSON_Delete(a.obj);
		cJSON_Delete(a.warnings);
		analysis_release(&a);
		return NULL;
	}
	take_ctx_warnings(&a);
	choose_transform(&a);
	if (fit_multilevel(&a) != SM_OK) {
		cJSON_Delete(a.obj);
		cJSON_Delete(a.warnings);
		analysis_release(&a);
		return NULL;
	}
	take_ctx_warnings(&a);
	continue_ahead(&a);
	static void (*const steps[])(struct analysis *) = {
		note_ledger, run_diagnostics, write_header, write_pooled, write_confint,
		write_transformed, write_totals, write_zero_events, write_egger, write_begg,
		write_failsafe, write_trimfill, write_small_study, write_other_fits, write_unit_models, write_mh,
		write_peto,
	};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		steps[i](&a);
		take_ctx_warnings(&a);
	}
	if (settings->pooling == SM_POOL_GLMM)
		sm_glmm_json_write(a.obj, &a.glmm, a.warnings);
	if (review->kind == SM_KIND_2X2)
		cJSON_AddItemToObject(a.obj, "rare_events",
				      sm_rare_events_json(ctx, data, settings, a.warnings));
	take_ctx_warnings(&a);
	write_findings(&a);
	struct sm_display disp = display_of(&a);
	if (sm_sensitivity_add(ctx, review, data, settings, &disp, a.obj, a.warnings) != SM_OK) {
		cJSON_Delete(a.obj);
		cJSON_Delete(a.warnings);
		analysis_release(&a);
		return NULL;
	}
	take_ctx_warnings(&a);
	if (!settings->no_studies)
		write_studies(&a);
	take_ctx_warnings(&a);
	note_left_out_warnings(&a);
	cJSON_AddItemToObject(a.obj, "warnings", a.warnings);
	if (pooled)
		fill_pooled(&a, pooled);
	analysis_release(&a);
	return a.obj;
}
