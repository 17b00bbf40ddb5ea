/* sm_rvalue_analysis.c -- the sentences of one analysis for report
 * templates (sm_rvalue.h: formats pooled, heterogeneity, small_study,
 * influence, unit).
 * Numbers are the results' own, printed; proportions on the analysis'
 * display scale ("display_per"), which is a unit, not a statistic. */
#include "sm_rvalue.h"

#include "sm_measure.h"
#include "sm_words.h"

#include <math.h>
#include <string.h>

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *obj(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsObject(v) ? v : NULL;
}

/* How an analysis prints its display-scale values. */
struct scale {
	int prop;       /* a proportion: per `per` patients */
	double per;     /* 1 unless a proportion with display_per */
	double level;
	const char *measure;
	double events;  /* a proportion's crude events (NAN when unknown) */
};

static struct scale scale_of(const cJSON *a)
{
	struct scale s = { 0, 1, num(a, "level"), str(a, "measure"),
			   num(obj(a, "crude"), "events") };
	s.prop = s.measure && sm_measure_axis(s.measure) == SM_AXIS_PROP;
	double per = num(a, "display_per");
	if (s.prop && per > 0)
		s.per = per;
	if (!isfinite(s.level))
		s.level = 95;
	return s;
}

/* A display-scale value with two decimals ("1.34"), "per 1000" after a
 * proportion's when `unit`. */
static void value(struct sm_buf *b, const struct scale *s, double v, int unit)
{
	sm_rvalue_number(b, v * s->per, 2);
	if (unit && s->prop && s->per > 1)
		sm_buf_printf(b, " per %g", s->per);
}

/* "0.69 (95% CI 0.49 to 0.98)" on the display scale; `p` >= 0 adds
 * "; p = ..." inside the bracket. */
static void p_value(struct sm_buf *b, double p);
static int prints_zero(const struct scale *s, double v)
{
	return fabs(v * s->per) < 0.005;
}

static void interval_p(struct sm_buf *b, const struct scale *s, const char *ci, double est,
		       double lb, double ub, double p)
{
	/* with two decimals at this scale a model's value below 0.005 reads
	 * "0.00": with events that is the back-transformation's artefact
	 * (Freeman-Tukey with rare events), never a finding to print */
	if (s->prop && s->events > 0 && prints_zero(s, est) && prints_zero(s, ub)) {
		sm_buf_puts(b, "not interpretable (it back-transforms to 0 although events "
			    "occurred)");
		return;
	}
	value(b, s, est, 1);
	if (!isfinite(lb) || !isfinite(ub))
		return;
	sm_buf_printf(b, " (%s%g%% CI ", ci, s->level);
	value(b, s, lb, 0);
	sm_buf_puts(b, " to ");
	value(b, s, ub, 0);
	if (p >= 0 || isnan(p)) {
		sm_buf_puts(b, "; ");
		p_value(b, p);
	}
	sm_buf_puts(b, ")");
}

static void interval(struct sm_buf *b, const struct scale *s, const char *ci, double est,
		     double lb, double ub)
{
	interval_p(b, s, ci, est, lb, ub, -1);
}

/* "p = 0.044", "p < 0.001", "p not computed". */
static void p_value(struct sm_buf *b, double p)
{
	if (!isfinite(p)) {
		sm_buf_puts(b, "p not computed");
	} else if (p < 0.001) {
		sm_buf_puts(b, "p < 0.001");
	} else {
		sm_buf_puts(b, "p = ");
		sm_rvalue_number(b, p, 3);
	}
}

static const char *studies(double k)
{
	return k == 1 ? "study" : "studies";
}

/* Proportions: the crude incidence with its exact interval first, then the
 * model's estimate unless it prints as zero although events occurred; no
 * test against a proportion of 0.  No events: the upper bounds, in words. */
static void pooled_proportion(struct sm_buf *b, const cJSON *a, const struct scale *s)
{
	const cJSON *z = obj(a, "zero_events"), *c = obj(a, "crude");
	double k = num(a, "k");
	if (z) {
		sm_buf_puts(b, "No events occurred in ");
		sm_rvalue_number(b, num(z, "n_total"), -1);
		sm_buf_puts(b, " patients (");
		sm_rvalue_number(b, k, -1);
		sm_buf_printf(b, " %s): the exact one-sided %g%% upper bound on the incidence is ",
			      studies(k), num(z, "level"));
		value(b, s, num(z, "upper_exact"), 1);
		sm_buf_puts(b, " (rule of three: ");
		value(b, s, num(z, "upper_rule_of_three"), 1);
		sm_buf_puts(b, "); a pooled incidence of zero would not be meaningful.");
		return;
	}
	double events = c ? num(c, "events") : NAN;
	if (c) {
		const cJSON *ci = cJSON_GetObjectItemCaseSensitive(c, "exact_ci");
		sm_buf_puts(b, "The crude incidence was ");
		sm_rvalue_number(b, events, -1);
		sm_buf_printf(b, " event%s in ", events == 1 ? "" : "s");
		sm_rvalue_number(b, num(c, "patients"), -1);
		sm_buf_puts(b, " patients, ");
		interval(b, s, "exact ", num(c, "proportion"),
			 cJSON_IsNumber(cJSON_GetArrayItem(ci, 0)) ? cJSON_GetArrayItem(ci, 0)->valuedouble : NAN,
			 cJSON_IsNumber(cJSON_GetArrayItem(ci, 1)) ? cJSON_GetArrayItem(ci, 1)->valuedouble : NAN);
		sm_buf_puts(b, ". ");
	}
	const cJSON *t = obj(a, "transformed");
	double est = num(t, "estimate");
	if (events > 0 && prints_zero(s, est)) {
		sm_buf_printf(b, "The model pooled the %s; its estimate back-transforms to 0 "
			      "although events occurred, so it is not interpretable here (see the "
			      "analysis warnings): the crude incidence is the summary.",
			      sm_words(s->measure));
		return;
	}
	sm_buf_puts(b, "The pooled proportion from ");
	sm_rvalue_number(b, k, -1);
	sm_buf_printf(b, " %s (pooled as the %s) was ", studies(k), sm_words(s->measure));
	interval(b, s, "", est, num(t, "ci_lb"), num(t, "ci_ub"));
	sm_buf_puts(b, ".");
}

static void pooled(struct sm_buf *b, const cJSON *a)
{
	struct scale s = scale_of(a);
	if (s.prop) {
		pooled_proportion(b, a, &s);
		return;
	}
	const cJSON *t = obj(a, "transformed");
	double k = num(a, "k");
	sm_buf_printf(b, "The pooled %s from ", s.measure ? s.measure : "estimate");
	sm_rvalue_number(b, k, -1);
	sm_buf_printf(b, " comparison%s was ", k == 1 ? "" : "s");
	interval_p(b, &s, "", num(t, "estimate"), num(t, "ci_lb"), num(t, "ci_ub"), num(a, "p"));
	sm_buf_puts(b, ".");
}

/* One study has no heterogeneity and no prediction interval (RevMan's
 * "not applicable"). */
static void heterogeneity(struct sm_buf *b, const cJSON *a)
{
	struct scale s = scale_of(a);
	if (!(num(a, "k") >= 2)) {
		sm_buf_puts(b, "Heterogeneity: not applicable (one study); no prediction interval.");
		return;
	}
	sm_buf_puts(b, "Heterogeneity: I\u00b2 = ");
	sm_rvalue_number(b, num(a, "I2"), 1);
	sm_buf_puts(b, "%");
	double tau2 = num(a, "tau2");
	if (isfinite(tau2)) {
		sm_buf_puts(b, ", \u03c4\u00b2 = ");
		sm_rvalue_number(b, tau2, 4);
	}
	sm_buf_puts(b, " (Q = ");
	sm_rvalue_number(b, num(a, "Q"), 2);
	sm_buf_puts(b, " on ");
	sm_rvalue_number(b, num(a, "Q_df"), -1);
	sm_buf_puts(b, " df, ");
	p_value(b, num(a, "Q_p"));
	sm_buf_puts(b, ")");
	const cJSON *t = obj(a, "transformed");
	double lo = num(t, "pi_lb"), hi = num(t, "pi_ub");
	int artefact = s.prop && s.events > 0 && prints_zero(&s, hi);
	if (isfinite(tau2) && isfinite(lo) && isfinite(hi) && !artefact) {
		sm_buf_printf(b, "; %g%% prediction interval ", s.level);
		value(b, &s, lo, 0);
		sm_buf_puts(b, " to ");
		value(b, &s, hi, 1);
	}
	sm_buf_puts(b, ".");
}

/* Egger, Begg and trim and fill, or why they are not shown. */
static void small_study(struct sm_buf *b, const cJSON *a)
{
	struct scale s = scale_of(a);
	const cJSON *ss = obj(a, "small_study");
	if (ss && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ss, "below_min_k"))) {
		sm_buf_puts(b, "k = ");
		sm_rvalue_number(b, num(a, "k"), -1);
		sm_buf_puts(b, ": fewer than ");
		sm_rvalue_number(b, num(ss, "min_k"), -1);
		sm_buf_puts(b, " studies, tests for funnel asymmetry not shown.");
		return;
	}
	sm_buf_puts(b, "Egger\u2019s test ");
	p_value(b, num(obj(a, "egger"), "p"));
	sm_buf_puts(b, "; Begg\u2019s test ");
	p_value(b, num(obj(a, "begg"), "p"));
	sm_buf_puts(b, ".");
	const cJSON *tf = obj(a, "trimfill");
	double k0 = num(tf, "k0");
	if (!isfinite(k0))
		return;
	if (k0 == 0) {
		sm_buf_puts(b, " Trim and fill imputed no study.");
		return;
	}
	const char *side = str(tf, "side");
	sm_buf_puts(b, " Trim and fill imputed ");
	sm_rvalue_number(b, k0, -1);
	sm_buf_printf(b, " %s on the %s", studies(k0), side ? side : "?");
	const cJSON *t = obj(tf, "transformed");
	if (t && isfinite(num(t, "estimate"))) {
		sm_buf_printf(b, ": adjusted %s ", s.prop ? "proportion" : s.measure);
		interval(b, &s, "", num(t, "estimate"), num(t, "ci_lb"), num(t, "ci_ub"));
	}
	sm_buf_puts(b, ".");
}

/* The labels of a list, "a, b and c"; 0 when empty. */
static int labels(struct sm_buf *b, const cJSON *list)
{
	int n = cJSON_IsArray(list) ? cJSON_GetArraySize(list) : 0, i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, list) {
		if (!cJSON_IsString(e))
			continue;
		sm_buf_printf(b, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ", e->valuestring);
		i++;
	}
	return i;
}

/* The studies whose omission moves the pooled estimate most down and up
 * (picked from the leave-one-out refits of the results, not recomputed). */
static void loo_range(struct sm_buf *b, const cJSON *a, const struct scale *s)
{
	const cJSON *lo = NULL, *hi = NULL, *st;
	double lov = INFINITY, hiv = -INFINITY;
	cJSON_ArrayForEach(st, cJSON_GetObjectItemCaseSensitive(a, "studies")) {
		double v = num(obj(obj(st, "loo"), "transformed"), "estimate");
		if (!isfinite(v))
			continue;
		if (v < lov)
			lov = v, lo = st;
		if (v > hiv)
			hiv = v, hi = st;
	}
	if (!lo || !hi || lo == hi)
		return;
	sm_buf_printf(b, " Omitting one study at a time, the %s ranged from ",
		      s->prop ? "proportion" : s->measure ? s->measure : "estimate");
	value(b, s, lov, 0);
	sm_buf_printf(b, " (without %s) to ", str(lo, "label") ? str(lo, "label") : "?");
	value(b, s, hiv, 1);
	sm_buf_printf(b, " (without %s).", str(hi, "label") ? str(hi, "label") : "?");
}

/* metafor influence() findings in words: influential studies, outliers
 * against the Bonferroni bound, and how far one omission moves the result. */
static void influence(struct sm_buf *b, const cJSON *a)
{
	struct scale s = scale_of(a);
	const cJSON *is = obj(a, "influence_summary");
	if (!is || !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(is, "computed"))) {
		sm_buf_puts(b, num(a, "k") >= 2 ? "Influence: not assessed."
					       : "Influence: not applicable (one study).");
		return;
	}
	sm_buf_puts(b, "Influence (metafor\u2019s criteria): ");
	if (!labels(b, cJSON_GetObjectItemCaseSensitive(is, "influential")))
		sm_buf_puts(b, "no study was influential");
	else
		sm_buf_puts(b, cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
				       is, "influential")) == 1 ? " was influential"
								: " were influential");
	sm_buf_puts(b, "; ");
	if (!labels(b, cJSON_GetObjectItemCaseSensitive(is, "outliers")))
		sm_buf_puts(b, "no studentized residual was beyond");
	else
		sm_buf_puts(b, cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
				       is, "outliers")) == 1 ? " had a studentized residual beyond"
							     : " had studentized residuals beyond");
	sm_buf_puts(b, " \u00b1");
	sm_rvalue_number(b, num(is, "rstudent_bound"), 2);
	sm_buf_puts(b, " (Bonferroni).");
	loo_range(b, a, &s);
}

/* Several rows per study: how many, and the three-level model's result
 * beside the row-level one when the analysis fitted it. */
static void unit(struct sm_buf *b, const cJSON *a)
{
	struct scale s = scale_of(a);
	const cJSON *u = obj(a, "unit_of_analysis");
	const cJSON *several = cJSON_GetObjectItemCaseSensitive(u, "studies_with_several_rows");
	const cJSON *shared = cJSON_GetObjectItemCaseSensitive(u, "shared_control_arms");
	int n_several = cJSON_IsArray(several) ? cJSON_GetArraySize(several) : 0;
	int n_shared = cJSON_IsArray(shared) ? cJSON_GetArraySize(shared) : 0;
	if (!u || (n_several == 0 && n_shared == 0))
		return;
	sm_buf_puts(b, "Unit of analysis: ");
	sm_rvalue_number(b, num(u, "rows"), -1);
	sm_buf_puts(b, " rows from ");
	sm_rvalue_number(b, num(u, "studies"), -1);
	sm_buf_printf(b, " studies; %d %s more than one row", n_several,
		      n_several == 1 ? "study contributes" : "studies contribute");
	if (n_shared)
		sm_buf_printf(b, ", %d control %s counted more than once", n_shared,
			      n_shared == 1 ? "arm is" : "arms are");
	sm_buf_puts(b, ", so the rows are not independent.");
	const cJSON *ml = obj(a, "multilevel"), *t = obj(ml, "transformed");
	if (!ml || !t) {
		sm_buf_puts(b, " The pooled result above treats them as independent "
			    "(\u2018safemeta analyze --model multilevel\u2019 models rows within studies).");
		return;
	}
	sm_buf_printf(b, " A three-level model (rows within %s, %s) gives %s ",
		      str(u, "cluster") ? str(u, "cluster") : "study",
		      str(ml, "method") ? str(ml, "method") : "REML",
		      s.prop ? "a proportion of" : s.measure ? s.measure : "an estimate of");
	interval_p(b, &s, "", num(t, "estimate"), num(t, "ci_lb"), num(t, "ci_ub"), num(ml, "p"));
	const cJSON *sig = cJSON_GetObjectItemCaseSensitive(ml, "sigma2");
	if (cJSON_GetArraySize(sig) == 2) {
		sm_buf_puts(b, "; \u03c3\u00b2 between studies ");
		sm_rvalue_number(b, cJSON_GetArrayItem(sig, 0)->valuedouble, 4);
		sm_buf_puts(b, ", within studies ");
		sm_rvalue_number(b, cJSON_GetArrayItem(sig, 1)->valuedouble, 4);
	}
	sm_buf_puts(b, ", beside the row-level result above.");
}

int sm_rvalue_analysis_words(struct sm_buf *b, const char *fmt, const cJSON *analysis)
{
	if (!cJSON_IsObject(analysis))
		return 0;
	if (!strcmp(fmt, "pooled"))
		pooled(b, analysis);
	else if (!strcmp(fmt, "heterogeneity"))
		heterogeneity(b, analysis);
	else if (!strcmp(fmt, "small_study"))
		small_study(b, analysis);
	else if (!strcmp(fmt, "influence"))
		influence(b, analysis);
	else if (!strcmp(fmt, "unit"))
		unit(b, analysis);
	else
		return 0;
	return 1;
}
