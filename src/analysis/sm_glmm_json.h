/*
 * sm_glmm_json.h -- an analysis pooled by a GLMM (--method GLMM or
 * GLMM-FE, metafor's rma.glmm): the fit over the analysis' 2x2 counts and
 * its "glmm" block in the results (keys listed in the README).
 *
 * Ownership: the fit is a plain value; the writers add to caller objects.
 */
#ifndef SM_GLMM_JSON_H
#define SM_GLMM_JSON_H

#include "sm_analysis_data.h"
#include "sm_glmm.h"
#include "sm_run_settings.h"

#include <cjson/cJSON.h>

/* The model of the settings (s->glmm, ML when s->method is SM_ML) over
 * every row of d (double-zero tables are left out by the model itself). */
sm_status sm_glmm_analysis_fit(struct sm_ctx *ctx, const struct sm_analysis_data *d,
			       const struct sm_run_settings *s, int random,
			       struct sm_glmm_fit *out);

/* obj["glmm"] = { model, model_name, method, nAGQ, k, k_all, k_omitted,
 * k_yi, tau2, se_tau2, sigma2, vt, I2, H2, QE_wald, QE_wald_df, QE_wald_p,
 * QE_lrt, QE_lrt_df, QE_lrt_p, loglik }; metafor's warnings go to
 * `warnings` prefixed with the model. */
void sm_glmm_json_write(cJSON *obj, const struct sm_glmm_fit *f, cJSON *warnings);

#endif
