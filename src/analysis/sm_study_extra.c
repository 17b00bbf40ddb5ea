#include "sm_study_extra.h"

#include "sm_buf.h"
#include "sm_exact2x2.h"
#include "sm_json_out.h"
#include "sm_stats.h"

#include <math.h>
#include <stdlib.h>

static void fail_note(struct sm_ctx *ctx, cJSON *warnings, const char *what, const char *label)
{
	const struct sm_diag *dg = sm_ctx_error(ctx);
	char *w = sm_asprintf("%s of '%s': %s", what, label,
			      dg && dg->msg ? dg->msg : "not computed");
	if (w)
		cJSON_AddItemToArray(warnings, cJSON_CreateString(w));
	free(w);
	sm_ctx_clear_error(ctx);
}

static void write_rd_interval(struct sm_ctx *ctx, const struct sm_analysis_data *d, size_t row,
			      const struct sm_run_settings *s, double wald_lb, double wald_ub,
			      cJSON *st, cJSON *warnings)
{
	double a = d->ai[row], n1 = d->n1i[row], c = d->ci[row], n2 = d->n2i[row];
	int zero = a == 0 || c == 0 || a == n1 || c == n2;
	cJSON *o = cJSON_AddObjectToObject(st, "rd_interval");
	double lb = wald_lb, ub = wald_ub;
	const char *why = NULL;
	if (zero || isnan(wald_lb)) {
		double z = sm_qnorm_upper((1 - s->level / 100) / 2);
		if (sm_mn_interval(ctx, a, n1, c, n2, z, &lb, &ub) != SM_OK) {
			fail_note(ctx, warnings, "score interval", d->rows[row]->label);
			lb = ub = NAN;
		}
		why = zero ? "a zero cell: the Wald interval of the table is degenerate"
			   : "not in the model: no Wald interval";
	}
	cJSON_AddStringToObject(o, "method", why ? "miettinen-nurminen" : "wald");
	sm_json_add_number(o, "ci_lb", lb);
	sm_json_add_number(o, "ci_ub", ub);
	sm_json_add_string(o, "reason", why);
}

void sm_study_extra_write(struct sm_ctx *ctx, const struct sm_analysis_data *d, size_t row,
			  const struct sm_run_settings *s, double wald_lb, double wald_ub,
			  cJSON *st, cJSON *warnings)
{
	if (!d->ai)
		return;
	double p = NAN;
	/* a row given as an effect size (yi, vi) has no table to test: null,
	 * without a warning per study */
	int table = !isnan(d->ai[row]) && !isnan(d->n1i[row]) && !isnan(d->ci[row]) &&
		    !isnan(d->n2i[row]);
	if (table &&
	    sm_fisher_exact_p(ctx, d->ai[row], d->n1i[row], d->ci[row], d->n2i[row], &p) != SM_OK)
		fail_note(ctx, warnings, "Fisher's exact test", d->rows[row]->label);
	sm_json_add_number(st, "fisher_p", p);
	if (s->esc.measure == SM_RD)
		write_rd_interval(ctx, d, row, s, wald_lb, wald_ub, st, warnings);
}

static void add_label(cJSON *list, const struct sm_analysis_data *d, size_t j)
{
	cJSON_AddItemToArray(list, cJSON_CreateString(d->rows[d->idx[j]]->label));
}

/* The lines plot.infl.rma.uni draws in its panels, as numbers so the
 * renderer draws them from the results (p = 1: intercept-only). */
static void add_plot_lines(cJSON *o, size_t k, int have, const struct sm_rma_fit *full)
{
	const double p = 1, kk = (double)k;
	sm_json_add_number(o, "rstudent_line", sm_qnorm_upper(0.025));
	sm_json_add_number(o, "dffits_bound", 3 * sqrt(p / (kk - p)));
	sm_json_add_number(o, "hat_mean", p / kk);
	sm_json_add_number(o, "hat_bound", 3 * p / kk);
	sm_json_add_number(o, "dfbs_bound", 1);
	sm_json_add_number(o, "cov_r_line", 1);
	sm_json_add_number(o, "weight_mean", 100 / kk);
	sm_json_add_number(o, "tau2_line", have && full ? full->tau2 : NAN);
	sm_json_add_number(o, "QE_line", have && full ? full->QE : NAN);
	sm_json_add_number(o, "QE_df", kk - p);
}

cJSON *sm_influence_summary_json(const struct sm_analysis_data *d,
				 const struct sm_influence *inf, const struct sm_rma_fit *full)
{
	cJSON *o = cJSON_CreateObject();
	double cook_bound = sm_qchisq(0.5, 1);
	int have = inf && !inf->undefined;
	cJSON_AddBoolToObject(o, "computed", have);
	cJSON *infl = cJSON_AddArrayToObject(o, "influential");
	cJSON *out = cJSON_AddArrayToObject(o, "outliers");
	cJSON *cook = cJSON_AddArrayToObject(o, "cooks_above_median");
	for (size_t j = 0; have && j < d->k; j++) {
		if (inf->inf[j] == 1)
			add_label(infl, d, j);
		if (fabs(inf->rstudent[j]) > inf->rstudent_crit)
			add_label(out, d, j);
		if (inf->cook_d[j] > cook_bound)
			add_label(cook, d, j);
	}
	sm_json_add_number(o, "rstudent_bound", have ? inf->rstudent_crit : NAN);
	sm_json_add_number(o, "cooks_bound", cook_bound);
	add_plot_lines(o, d->k, have, full);
	cJSON_AddStringToObject(o, "method",
				"metafor influence(): influential when |DFFITS| > 3 sqrt(p/(k - p)), "
				"Cook's distance above the chi-square(p) median, hat > 3p/k or "
				"|DFBETAS| > 1 (p = 1); outlier when |rstudent| exceeds the "
				"Bonferroni bound qnorm(1 - 0.05/(2k)); Cook's distance against "
				"qchisq(0.5, 1)");
	return o;
}
