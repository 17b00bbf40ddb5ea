#include "sm_rare_json.h"

#include "sm_buf.h"
#include "sm_glmm.h"
#include "sm_json_out.h"
#include "sm_mh.h"
#include "sm_peto.h"
#include "sm_rma.h"
#include "sm_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One row of the comparison, on the analysis scale (log OR or RD). */
struct row {
	const char *method;  /* IV, MH, PETO, GLMM */
	const char *measure; /* OR, RD */
	const char *glmm;    /* UM.FS, CM.EL or NULL */
	char *model;         /* the model in words (owned) */
	double b, se, lb, ub, p, tau2;
	double I2;           /* percent; as the method's own fit reports it */
	size_t k_used;
	char *note;          /* owned, NULL when none */
};

struct rare {
	struct sm_ctx *ctx;
	const struct sm_analysis_data *d;
	const struct sm_run_settings *s;
	cJSON *warnings;
	size_t k_double_zero;
};

static void row_init(struct row *r, const char *method, const char *measure, const char *glmm)
{
	memset(r, 0, sizeof *r);
	r->method = method;
	r->measure = measure;
	r->glmm = glmm;
	r->b = r->se = r->lb = r->ub = r->p = r->tau2 = r->I2 = NAN;
}

/* The row cannot be computed: its numbers stay null, the reason goes to
 * the note and the analysis' warnings. */
static void row_fail(struct rare *x, struct row *r, const char *why)
{
	const struct sm_diag *d = sm_ctx_error(x->ctx);
	free(r->note);
	r->note = sm_asprintf("%s", why ? why : d && d->msg ? d->msg : "not computed");
	sm_ctx_clear_error(x->ctx);
	char *w = sm_asprintf("rare-event comparison, %s %s%s%s: %s", r->method, r->measure,
			      r->glmm ? " " : "", r->glmm ? r->glmm : "",
			      r->note ? r->note : "not computed");
	if (w)
		cJSON_AddItemToArray(x->warnings, cJSON_CreateString(w));
	free(w);
	r->b = r->se = r->lb = r->ub = r->p = r->tau2 = r->I2 = NAN;
}

static const char *to_words(enum sm_to to)
{
	switch (to) {
	case SM_TO_ONLY0: return "to every cell of studies with a zero cell";
	case SM_TO_ALL: return "to every cell of every study";
	case SM_TO_IF0ALL: return "to every cell of every study (a study has a zero cell)";
	case SM_TO_NONE: return "nowhere";
	}
	return "";
}

/* The inverse-variance row's model: the analysis' own when it is an IV
 * random-effects model, else REML (metafor's default; RevMan's DL variant
 * is replaced by the standard DerSimonian-Laird estimator). */
static struct sm_rma_opts iv_options(const struct sm_run_settings *s)
{
	struct sm_rma_opts o = sm_run_settings_rma(s);
	if (s->pooling == SM_POOL_IV && s->method != SM_FE)
		return o;
	o.method = s->pooling == SM_POOL_REVMAN_DL ? SM_DL : SM_REML;
	o.test = SM_TEST_Z;
	return o;
}

static void row_iv(struct rare *x, struct row *r, enum sm_measure m)
{
	const struct sm_analysis_data *d = x->d;
	struct sm_rma_opts o = iv_options(x->s);
	struct sm_escalc_opts esc = x->s->esc;
	esc.measure = m;
	r->model = sm_asprintf("inverse variance, random effects (%s%s); %g added %s; "
			       "double-zero studies %s", sm_method_name(o.method),
			       o.test == SM_TEST_KNHA ? ", Hartung-Knapp" : "", esc.add,
			       esc.add > 0 ? to_words(esc.to) : "nowhere",
			       esc.drop00 ? "left out" : "kept");
	struct sm_escalc_row *rows = sm_alloc_array(d->n, sizeof *rows);
	double *yv = sm_alloc_array(2 * d->n, sizeof *yv);
	if (!rows || !yv) {
		free(rows);
		free(yv);
		row_fail(x, r, "out of memory");
		return;
	}
	double *yi = yv, *vi = yv + d->n;
	size_t k = 0;
	sm_status st = sm_escalc_2x2(x->ctx, d->ai, d->n1i, d->ci, d->n2i, d->n, &esc, rows);
	for (size_t i = 0; st == SM_OK && i < d->n; i++) {
		if (isfinite(rows[i].yi) && isfinite(rows[i].vi)) {
			yi[k] = rows[i].yi;
			vi[k] = rows[i].vi;
			k++;
		}
	}
	struct sm_rma_fit f;
	if (st == SM_OK && k == 0)
		row_fail(x, r, "no study has a finite effect size");
	else if (st != SM_OK || sm_rma_fit(x->ctx, yi, vi, k, &o, &f) != SM_OK)
		row_fail(x, r, NULL);
	else {
		r->b = f.b;
		r->se = f.se;
		r->lb = f.ci_lb;
		r->ub = f.ci_ub;
		r->p = f.pval;
		r->tau2 = f.tau2;
		r->I2 = f.I2;
		r->k_used = k;
	}
	free(rows);
	free(yv);
}

static void row_mh(struct rare *x, struct row *r, enum sm_mh_measure m)
{
	const struct sm_analysis_data *d = x->d;
	r->model = sm_asprintf("Mantel-Haenszel, common effect; no continuity correction%s",
			       m == SM_MH_RD ? "; double-zero studies count (risk difference 0)"
					     : "; double-zero studies add nothing");
	struct sm_mh_result *mh = NULL;
	if (sm_mh_run(x->ctx, m, d->ai, d->n1i, d->ci, d->n2i, d->n, x->s->level, &mh) != SM_OK) {
		row_fail(x, r, NULL);
		return;
	}
	if (isnan(mh->b)) {
		row_fail(x, r, mh->note ? mh->note : "the Mantel-Haenszel estimate does not exist");
	} else {
		r->b = mh->b;
		r->se = mh->se;
		r->lb = mh->ci_lb;
		r->ub = mh->ci_ub;
		r->p = mh->pval;
		r->I2 = mh->I2;
		r->k_used = m == SM_MH_RD ? d->n : d->n - x->k_double_zero;
	}
	sm_mh_result_free(mh);
}

static void row_peto(struct rare *x, struct row *r)
{
	const struct sm_analysis_data *d = x->d;
	r->model = sm_asprintf("%s", "Peto's one-step odds ratio, common effect; no continuity "
				     "correction");
	struct sm_peto_result *p = NULL;
	if (sm_peto_run(x->ctx, d->ai, d->n1i, d->ci, d->n2i, d->n, x->s->level, &p) != SM_OK) {
		row_fail(x, r, NULL);
		return;
	}
	r->b = p->b;
	r->se = p->se;
	r->lb = p->ci_lb;
	r->ub = p->ci_ub;
	r->p = p->pval;
	r->I2 = p->I2;
	r->k_used = p->k_pos;
	sm_peto_result_free(p);
}

static void row_glmm(struct rare *x, struct row *r, enum sm_glmm_model model)
{
	const struct sm_analysis_data *d = x->d;
	r->model = sm_asprintf("GLMM (metafor rma.glmm %s: %s), random effects (ML); no "
			       "continuity correction; double-zero studies left out",
			       sm_glmm_model_name(model), sm_glmm_model_phrase(model));
	if (d->n > SM_RARE_GLMM_MAX_K) {
		char *why = sm_asprintf("skipped: %zu studies, above the limit of %d for the "
					"comparison's GLMMs", d->n, SM_RARE_GLMM_MAX_K);
		row_fail(x, r, why ? why : "skipped");
		free(why);
		return;
	}
	struct sm_glmm_opts o = sm_glmm_defaults(model, 1);
	o.level = x->s->level;
	o.esc.add = x->s->esc.add;
	o.esc.to = x->s->esc.to;
	struct sm_glmm_fit f;
	if (sm_glmm_run(x->ctx, d->ai, d->n1i, d->ci, d->n2i, d->n, &o, &f) != SM_OK) {
		row_fail(x, r, NULL);
		return;
	}
	r->b = f.b;
	r->se = f.se;
	r->lb = f.ci_lb;
	r->ub = f.ci_ub;
	r->p = f.pval;
	r->tau2 = f.tau2;
	r->I2 = f.I2;
	r->k_used = f.k;
}

static cJSON *row_json(const struct row *r)
{
	cJSON *o = cJSON_CreateObject();
	int ratio = !strcmp(r->measure, "OR");
	cJSON_AddStringToObject(o, "method", r->method);
	cJSON_AddStringToObject(o, "measure", r->measure);
	sm_json_add_string(o, "glmm", r->glmm);
	sm_json_add_string(o, "model", r->model);
	sm_json_add_number(o, "estimate", ratio ? exp(r->b) : r->b);
	sm_json_add_number(o, "ci_lb", ratio ? exp(r->lb) : r->lb);
	sm_json_add_number(o, "ci_ub", ratio ? exp(r->ub) : r->ub);
	sm_json_add_number(o, "p", r->p);
	sm_json_add_number(o, "log_estimate", ratio ? r->b : NAN);
	sm_json_add_number(o, "se", r->se);
	sm_json_add_number(o, "tau2", r->tau2);
	sm_json_add_number(o, "I2", r->I2);
	cJSON_AddNumberToObject(o, "null", ratio ? 1 : 0);
	cJSON_AddNumberToObject(o, "k_used", (double)r->k_used);
	sm_json_add_string(o, "note", r->note);
	return o;
}

cJSON *sm_rare_events_json(struct sm_ctx *ctx, const struct sm_analysis_data *d,
			   const struct sm_run_settings *s, cJSON *warnings)
{
	struct rare x = { .ctx = ctx, .d = d, .s = s, .warnings = warnings };
	size_t zero_cell = 0;
	for (size_t i = 0; i < d->n; i++) {
		double a = d->ai[i], b = d->n1i[i] - a, c = d->ci[i], e = d->n2i[i] - c;
		x.k_double_zero += (a == 0 && c == 0) || (b == 0 && e == 0);
		zero_cell += a == 0 || b == 0 || c == 0 || e == 0;
	}
	struct row rows[7];
	row_init(&rows[0], "IV", "OR", NULL);
	row_iv(&x, &rows[0], SM_OR);
	row_init(&rows[1], "MH", "OR", NULL);
	row_mh(&x, &rows[1], SM_MH_OR);
	row_init(&rows[2], "PETO", "OR", NULL);
	row_peto(&x, &rows[2]);
	row_init(&rows[3], "GLMM", "OR", "UM.FS");
	row_glmm(&x, &rows[3], SM_GLMM_UM_FS);
	row_init(&rows[4], "GLMM", "OR", "CM.EL");
	row_glmm(&x, &rows[4], SM_GLMM_CM_EL);
	row_init(&rows[5], "IV", "RD", NULL);
	row_iv(&x, &rows[5], SM_RD);
	row_init(&rows[6], "MH", "RD", NULL);
	row_mh(&x, &rows[6], SM_MH_RD);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "k", (double)d->n);
	cJSON_AddNumberToObject(o, "k_double_zero", (double)x.k_double_zero);
	cJSON_AddNumberToObject(o, "k_zero_cell", (double)zero_cell);
	sm_json_add_number(o, "level", s->level);
	cJSON *methods = cJSON_AddArrayToObject(o, "methods");
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		cJSON_AddItemToArray(methods, row_json(&rows[i]));
		free(rows[i].model);
		free(rows[i].note);
	}
	return o;
}
