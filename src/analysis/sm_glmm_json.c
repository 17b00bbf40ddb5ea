#include "sm_glmm_json.h"

#include "sm_buf.h"
#include "sm_json_out.h"

#include <math.h>
#include <stdlib.h>

sm_status sm_glmm_analysis_fit(struct sm_ctx *ctx, const struct sm_analysis_data *d,
			       const struct sm_run_settings *s, int random,
			       struct sm_glmm_fit *out)
{
	struct sm_glmm_opts o = sm_glmm_defaults(s->glmm, random);
	o.level = s->level;
	o.esc.add = s->esc.add;
	o.esc.to = s->esc.to;
	return sm_glmm_run(ctx, d->ai, d->n1i, d->ci, d->n2i, d->n, &o, out);
}

/* lme4's quadrature nodes behind each model as metafor calls it. */
static int nagq(const struct sm_glmm_fit *f)
{
	switch (f->model) {
	case SM_GLMM_UM_FS:
	case SM_GLMM_CM_AL: return f->random ? 7 : 0; /* the common-effect fits are glm */
	case SM_GLMM_UM_RS: return f->random ? 1 : 7;
	case SM_GLMM_CM_EL: return 0;
	}
	return 0;
}

void sm_glmm_json_write(cJSON *obj, const struct sm_glmm_fit *f, cJSON *warnings)
{
	cJSON *g = cJSON_AddObjectToObject(obj, "glmm");
	cJSON_AddStringToObject(g, "model", sm_glmm_model_name(f->model));
	cJSON_AddStringToObject(g, "model_name", sm_glmm_model_phrase(f->model));
	cJSON_AddStringToObject(g, "method", f->random ? "ML" : "FE");
	int q = nagq(f);
	if (q)
		cJSON_AddNumberToObject(g, "nAGQ", q);
	else
		cJSON_AddNullToObject(g, "nAGQ");
	cJSON_AddNumberToObject(g, "k", (double)f->k);
	cJSON_AddNumberToObject(g, "k_all", (double)f->k_all);
	cJSON_AddNumberToObject(g, "k_omitted", (double)(f->k_all - f->k));
	cJSON_AddNumberToObject(g, "k_yi", (double)f->k_yi);
	sm_json_add_number(g, "tau2", f->tau2);
	sm_json_add_number(g, "se_tau2", f->se_tau2);
	sm_json_add_number(g, "sigma2", f->sigma2);
	sm_json_add_number(g, "vt", f->vt);
	sm_json_add_number(g, "I2", f->I2);
	sm_json_add_number(g, "H2", f->H2);
	sm_json_add_number(g, "QE_wald", f->QE_wld);
	sm_json_add_number(g, "QE_wald_df", f->QE_df);
	sm_json_add_number(g, "QE_wald_p", f->QEp_wld);
	sm_json_add_number(g, "QE_lrt", f->QE_lrt);
	sm_json_add_number(g, "QE_lrt_df", f->QE_df);
	sm_json_add_number(g, "QE_lrt_p", f->QEp_lrt);
	sm_json_add_number(g, "loglik", f->ll);
	for (size_t i = 0; warnings && i < f->n_notes; i++) {
		char *msg = sm_asprintf("GLMM (%s): %s", sm_glmm_model_name(f->model), f->notes[i]);
		if (msg)
			cJSON_AddItemToArray(warnings, cJSON_CreateString(msg));
		free(msg);
	}
}
