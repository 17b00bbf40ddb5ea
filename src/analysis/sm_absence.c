#include "sm_absence.h"

#include "sm_buf.h"
#include "sm_domain_table.h"
#include "sm_json_out.h"
#include "sm_mh.h"
#include "sm_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double sm_absence_crit(double level, double df)
{
	double alpha = 1 - level / 100;
	return isfinite(df) && df > 0 ? sm_qt_upper(alpha, df) : sm_qnorm_upper(alpha);
}

double sm_absence_ois(double p0, double margin, double level, double power)
{
	if (!(p0 > 0 && p0 < 1) || !(margin > 0))
		return NAN;
	double z = sm_qnorm_upper(1 - level / 100) + sm_qnorm_upper(1 - power / 100);
	double per_arm = z * z * 2 * p0 * (1 - p0) / (margin * margin);
	return 2 * ceil(per_arm * (1 - 1e-12));
}

/* What the computation gathers before it is written. */
struct absence {
	double p0, events_t, events_c, n_t, n_c;
	double pat_t, pat_c; /* patients counted once per study (largest arm) */
	int zero_events;
	double rd, rd_lb, rd_ub, rd_upper;     /* MH risk difference */
	double bc, bc_lb, bc_ub, bc_upper;     /* back-calculated from the pooled ratio */
	double exact_upper, rule_of_three;     /* no events at all */
	double excluded_above;
	const char *excluded_method;
	char *bc_method;
	double margin, ois, fraction;
	int margin_excluded;                   /* -1: no margin */
};

static void note(cJSON *warnings, const char *msg)
{
	if (msg)
		cJSON_AddItemToArray(warnings, cJSON_CreateString(msg));
}

static sm_status count(struct sm_ctx *ctx, const struct sm_review *r,
		       const struct sm_analysis_data *d, struct absence *x)
{
	double *big = calloc(2 * (r->n_studies ? r->n_studies : 1), sizeof *big);
	if (!big)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	for (size_t i = 0; i < d->n; i++) {
		x->events_t += d->ai[i];
		x->events_c += d->ci[i];
		x->n_t += d->n1i[i];
		x->n_c += d->n2i[i];
		size_t st = d->rows[i]->study < r->n_studies ? d->rows[i]->study : 0;
		big[2 * st] = fmax(big[2 * st], d->n1i[i]);
		big[2 * st + 1] = fmax(big[2 * st + 1], d->n2i[i]);
	}
	for (size_t j = 0; j < r->n_studies; j++) {
		x->pat_t += big[2 * j];
		x->pat_c += big[2 * j + 1];
	}
	free(big);
	x->p0 = x->events_c / x->n_c;
	x->zero_events = x->events_t == 0 && x->events_c == 0;
	return SM_OK;
}

static void mh_rd(struct sm_ctx *ctx, const struct sm_analysis_data *d, double level,
		  struct absence *x, cJSON *warnings)
{
	struct sm_mh_result *mh = NULL;
	if (sm_mh_run(ctx, SM_MH_RD, d->ai, d->n1i, d->ci, d->n2i, d->n, level, &mh) != SM_OK) {
		const struct sm_diag *dg = sm_ctx_error(ctx);
		char *w = sm_asprintf("evidence of absence: Mantel-Haenszel risk difference: %s",
				      dg && dg->msg ? dg->msg : "not computed");
		note(warnings, w);
		free(w);
		sm_ctx_clear_error(ctx);
		return;
	}
	if (!isnan(mh->b) && !x->zero_events) {
		x->rd = 1000 * mh->b;
		x->rd_lb = 1000 * mh->ci_lb;
		x->rd_ub = 1000 * mh->ci_ub;
		x->rd_upper = 1000 * (mh->b + sm_absence_crit(level, NAN) * mh->se);
	}
	sm_mh_result_free(mh);
}

/* The excess implied by a pooled value on the model scale. */
static double excess(const struct sm_absence_pooled *p, double p0, double v)
{
	if (!strcmp(p->measure, "RD"))
		return 1000 * v;
	double p1 = sm_domain_treated_risk(p->measure, p0, exp(v));
	return isnan(p1) ? NAN : 1000 * (p1 - p0);
}

static void back_calc(const struct sm_absence_pooled *p, double level, struct absence *x,
		      cJSON *warnings)
{
	int rd = !strcmp(p->measure, "RD");
	x->bc_method = rd ? sm_asprintf("the pooled risk difference of the analysis (%s)",
					p->method)
			  : sm_asprintf("the pooled %s of the analysis (%s) at the pooled crude "
					"control risk", !strcmp(p->measure, "RR") ? "risk ratio"
					: "odds ratio", p->method);
	if (!rd && !(x->p0 > 0)) {
		note(warnings, "evidence of absence: the control risk is 0, so a pooled ratio "
			       "implies no absolute excess; the back-calculation is null");
		return;
	}
	x->bc = excess(p, x->p0, p->b);
	x->bc_lb = excess(p, x->p0, p->ci_lb);
	x->bc_ub = excess(p, x->p0, p->ci_ub);
	x->bc_upper = excess(p, x->p0, p->b + sm_absence_crit(level, p->df) * p->se);
}

static void decide(const struct sm_run_settings *s, struct absence *x, cJSON *warnings)
{
	double L = s->level / 100;
	if (x->zero_events) {
		x->exact_upper = x->pat_t > 0 ? 1000 * -expm1(log1p(-L) / x->pat_t) : NAN;
		x->rule_of_three = x->pat_t > 0 ? 3000 / x->pat_t : NAN;
		x->excluded_above = x->exact_upper;
		x->excluded_method = "exact one-sided bound on the treated risk (no events in any "
				     "study), which bounds the excess risk";
	} else if (!isnan(x->rd_upper)) {
		x->excluded_above = x->rd_upper;
		x->excluded_method = "one-sided upper bound of the Mantel-Haenszel risk difference";
	} else if (!isnan(x->bc_upper)) {
		x->excluded_above = x->bc_upper;
		x->excluded_method = "one-sided upper bound of the back-calculated risk difference";
	}
	x->margin = s->harm_margin;
	x->margin_excluded = -1;
	if (isnan(x->margin))
		return;
	if (!isnan(x->excluded_above))
		x->margin_excluded = x->excluded_above < x->margin;
	if (x->zero_events) {
		/* exact: n with 1 - (1 - L)^(1/n) below the margin, per arm */
		double per_arm = ceil(log1p(-L) / log1p(-x->margin / 1000) * (1 + 1e-12));
		x->ois = 2 * per_arm;
	} else {
		x->ois = sm_absence_ois(x->p0, x->margin / 1000, s->level, s->harm_power);
	}
	if (isnan(x->ois))
		note(warnings, "evidence of absence: the optimal information size needs a control "
			       "risk above 0 and below 1");
	x->fraction = (x->pat_t + x->pat_c) / x->ois;
}

static char *statement(const struct absence *x, const struct sm_run_settings *s,
		       const char *arm1)
{
	struct sm_buf b;
	sm_buf_init(&b);
	if (x->zero_events)
		sm_buf_printf(&b, "No events in %.0f %s and %.0f control patients: the data exclude "
			      "an excess risk above %.3g per 1000 with %s (exact one-sided %g%% "
			      "bound; rule of three: %.3g per 1000).", x->pat_t, arm1, x->pat_c,
			      x->excluded_above, arm1, s->level, x->rule_of_three);
	else if (!isnan(x->excluded_above))
		sm_buf_printf(&b, "The data exclude an excess risk above %.3g per 1000 with %s "
			      "(%s, one-sided %g%%).", x->excluded_above, arm1,
			      x->excluded_method, s->level);
	else
		sm_buf_puts(&b, "No bound on the excess risk can be computed for these data.");
	if (x->margin_excluded == 1)
		sm_buf_printf(&b, " The harm margin of %g per 1000 is excluded.", x->margin);
	else if (x->margin_excluded == 0 && !isnan(x->ois))
		sm_buf_printf(&b, " The harm margin of %g per 1000 is not excluded; about %.0f "
			      "patients (1:1) would be needed to exclude it with %g%% power, %.0f "
			      "are observed.", x->margin, x->ois, s->harm_power,
			      x->pat_t + x->pat_c);
	else if (x->margin_excluded == 0)
		sm_buf_printf(&b, " The harm margin of %g per 1000 is not excluded.", x->margin);
	return sm_buf_take(&b);
}

static void write(cJSON *o, const struct absence *x, const struct sm_run_settings *s,
		  const char *arm1)
{
	sm_json_add_number(o, "level_one_sided", s->level);
	sm_json_add_number(o, "control_risk_per_1000", 1000 * x->p0);
	cJSON_AddStringToObject(o, "control_risk_source",
				"pooled crude control risk: control events / control patients, "
				"summed over the analysis' rows");
	cJSON_AddStringToObject(o, "rd_method",
				"Mantel-Haenszel risk difference: common effect, no continuity "
				"correction, double-zero studies count, Sato's variance");
	sm_json_add_number(o, "rd_per_1000", x->rd);
	sm_json_add_number(o, "rd_ci_lb_per_1000", x->rd_lb);
	sm_json_add_number(o, "rd_ci_ub_per_1000", x->rd_ub);
	sm_json_add_number(o, "rd_upper_per_1000", x->rd_upper);
	sm_json_add_string(o, "backcalc_method", x->bc_method);
	sm_json_add_number(o, "backcalc_per_1000", x->bc);
	sm_json_add_number(o, "backcalc_ci_lb_per_1000", x->bc_lb);
	sm_json_add_number(o, "backcalc_ci_ub_per_1000", x->bc_ub);
	sm_json_add_number(o, "backcalc_upper_per_1000", x->bc_upper);
	cJSON_AddBoolToObject(o, "zero_events", x->zero_events);
	sm_json_add_number(o, "patients_t", x->pat_t);
	sm_json_add_number(o, "patients_c", x->pat_c);
	sm_json_add_number(o, "exact_upper_per_1000", x->exact_upper);
	sm_json_add_number(o, "rule_of_three_per_1000", x->rule_of_three);
	sm_json_add_number(o, "excluded_above_per_1000", x->excluded_above);
	sm_json_add_string(o, "excluded_method", x->excluded_method);
	sm_json_add_number(o, "harm_margin_per_1000", x->margin);
	if (x->margin_excluded < 0)
		cJSON_AddNullToObject(o, "margin_excluded");
	else
		cJSON_AddBoolToObject(o, "margin_excluded", x->margin_excluded);
	sm_json_add_number(o, "power", isnan(x->margin) ? NAN : s->harm_power);
	sm_json_add_number(o, "ois_total", x->ois);
	sm_json_add_number(o, "information_fraction", x->fraction);
	sm_json_add_string(o, "ois_method", isnan(x->margin) ? NULL : x->zero_events
			   ? "exact: patients per arm for which no events would give an exact "
			     "one-sided bound below the margin (1:1)"
			   : "non-inferiority sample size of two proportions at the control risk, "
			     "true excess 0 (Blackwelder 1982; Chow, Shao & Wang 2008, sec. 4.2), "
			     "1:1");
	char *text = statement(x, s, arm1);
	sm_json_add_string(o, "statement", text);
	free(text);
}

cJSON *sm_absence_json(struct sm_ctx *ctx, const struct sm_review *r,
		       const struct sm_analysis_data *d, const struct sm_run_settings *s,
		       const struct sm_absence_pooled *pooled, cJSON *warnings)
{
	struct absence x;
	memset(&x, 0, sizeof x);
	x.rd = x.rd_lb = x.rd_ub = x.rd_upper = NAN;
	x.bc = x.bc_lb = x.bc_ub = x.bc_upper = NAN;
	x.exact_upper = x.rule_of_three = x.excluded_above = NAN;
	x.ois = x.fraction = NAN;
	if (count(ctx, r, d, &x) != SM_OK)
		return NULL;
	mh_rd(ctx, d, s->level, &x, warnings);
	back_calc(pooled, s->level, &x, warnings);
	decide(s, &x, warnings);
	const char *arm1 = r->settings.arm_labels[0] ? r->settings.arm_labels[0] : "treatment";
	cJSON *o = cJSON_CreateObject();
	if (o)
		write(o, &x, s, arm1);
	free(x.bc_method);
	if (!o)
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	return o;
}
