#include "sm_multilevel_json.h"

#include "sm_buf.h"
#include "sm_json_out.h"
#include "sm_robust.h"

#include <math.h>
#include <stdlib.h>

static double shown(const struct sm_display *disp, double x)
{
	return sm_transf_apply(disp->transf, x, disp->nhm);
}

sm_status sm_multilevel_fit_analysis(struct sm_ctx *ctx, const struct sm_analysis_data *d,
				     const struct sm_run_settings *s, struct sm_ml_fit *out)
{
	struct sm_ml_opts o = sm_ml_defaults(s->ml_method, s->test == SM_TEST_KNHA, s->level);
	struct sm_ml_data md = { d->yi, d->vi, d->cluster, d->k, d->n_clusters };
	return sm_ml_fit(ctx, &md, &o, out);
}

static void note(cJSON *warnings, struct sm_ctx *ctx, const char *what)
{
	const struct sm_diag *dg = sm_ctx_error(ctx);
	char *msg = sm_asprintf("%s: %s", what, dg && dg->msg ? dg->msg : "not computed");
	if (msg)
		cJSON_AddItemToArray(warnings, cJSON_CreateString(msg));
	free(msg);
	sm_ctx_clear_error(ctx);
}

cJSON *sm_robust_json(struct sm_ctx *ctx, const struct sm_analysis_data *d,
		      const struct sm_run_settings *s, const double sigma2[2], double b,
		      int rma_uni, const struct sm_display *disp, cJSON *warnings)
{
	double mean_w = 1;
	if (rma_uni) {
		mean_w = 0;
		for (size_t i = 0; i < d->k; i++)
			mean_w += 1 / (d->vi[i] + sigma2[1]) / (double)d->k;
	}
	struct sm_robust_model m = { d->yi, d->vi, d->cluster, d->k, d->n_clusters,
				     { sigma2[0], sigma2[1] }, b, mean_w };
	enum sm_robust_type type = s->robust == 2 ? SM_ROBUST_CR2 : SM_ROBUST_CR1;
	struct sm_robust r;
	if (sm_robust_fit(ctx, &m, type, s->level, &r) != SM_OK) {
		note(warnings, ctx, "cluster-robust inference");
		return cJSON_CreateNull();
	}
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "method", sm_robust_name(type));
	cJSON_AddStringToObject(o, "cluster", s->cluster);
	cJSON_AddNumberToObject(o, "clusters", (double)r.n_clusters);
	sm_json_add_number(o, "estimate", r.b);
	sm_json_add_number(o, "se", r.se);
	sm_json_add_number(o, "stat", r.stat);
	sm_json_add_number(o, "df", r.df);
	sm_json_add_number(o, "p", r.pval);
	sm_json_add_number(o, "ci_lb", r.ci_lb);
	sm_json_add_number(o, "ci_ub", r.ci_ub);
	cJSON_AddStringToObject(o, "df_method", type == SM_ROBUST_CR2
				? "Satterthwaite" : "clusters - 1");
	cJSON *t = cJSON_AddObjectToObject(o, "transformed");
	sm_json_add_number(t, "estimate", shown(disp, r.b));
	sm_json_add_number(t, "ci_lb", shown(disp, r.ci_lb));
	sm_json_add_number(t, "ci_ub", shown(disp, r.ci_ub));
	return o;
}

cJSON *sm_multilevel_json(struct sm_ctx *ctx, const struct sm_ml_fit *f,
			  const struct sm_analysis_data *d, const struct sm_run_settings *s,
			  const struct sm_display *disp, cJSON *warnings)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "model", "multilevel");
	cJSON_AddStringToObject(o, "method", f->method == SM_ML ? "ML" : "REML");
	cJSON_AddStringToObject(o, "test", f->t_test ? "t" : "z");
	cJSON *levels = cJSON_AddArrayToObject(o, "levels");
	cJSON_AddItemToArray(levels, cJSON_CreateString(s->cluster));
	cJSON_AddItemToArray(levels, cJSON_CreateString("row"));
	cJSON_AddNumberToObject(o, "k", (double)f->k);
	sm_json_add_array(o, "sigma2", f->sigma2, 2);
	double nlevels[2] = { (double)f->n_clusters, (double)f->k };
	sm_json_add_array(o, "sigma2_nlevels", nlevels, 2);
	cJSON *zero = cJSON_AddArrayToObject(o, "sigma2_at_zero");
	for (int j = 0; j < 2; j++)
		cJSON_AddItemToArray(zero, cJSON_CreateBool(f->at_zero[j]));
	sm_json_add_number(o, "estimate", f->b);
	sm_json_add_number(o, "se", f->se);
	sm_json_add_number(o, "stat", f->stat);
	sm_json_add_number(o, "df", f->df);
	sm_json_add_number(o, "p", f->pval);
	sm_json_add_number(o, "ci_lb", f->ci_lb);
	sm_json_add_number(o, "ci_ub", f->ci_ub);
	sm_json_add_number(o, "pi_lb", f->pi_lb);
	sm_json_add_number(o, "pi_ub", f->pi_ub);
	sm_json_add_number(o, "Q", f->QE);
	sm_json_add_number(o, "Q_df", f->QE_df);
	sm_json_add_number(o, "Q_p", f->QEp);
	sm_json_add_number(o, "logLik", f->ll);
	cJSON *t = cJSON_AddObjectToObject(o, "transformed");
	sm_json_add_number(t, "estimate", shown(disp, f->b));
	sm_json_add_number(t, "ci_lb", shown(disp, f->ci_lb));
	sm_json_add_number(t, "ci_ub", shown(disp, f->ci_ub));
	sm_json_add_number(t, "pi_lb", shown(disp, f->pi_lb));
	sm_json_add_number(t, "pi_ub", shown(disp, f->pi_ub));
	if (s->robust)
		cJSON_AddItemToObject(o, "robust", sm_robust_json(ctx, d, s, f->sigma2, f->b, 0,
								   disp, warnings));
	else
		cJSON_AddNullToObject(o, "robust");
	return o;
}
