/* The safety-domain table: numbers from the results' domain table
 * (computed by the analysis stage) formatted for print; nothing is
 * recomputed here.
 *
 * Egger's and Begg's P values of an analysis the results flag as below the
 * small-study minimum print "not tested"; I2 and tau2 of one study "not
 * applicable".  Proportions get their own columns: the model's estimate
 * and the crude incidence with its exact interval, both per display_per
 * patients (the analysis stage's choice), no test against 0, and no
 * "0.00 [0.00, 0.00]" for data with events. */
#include "sm_table_int.h"

#include "sm_buf.h"
#include "sm_fmt.h"
#include "sm_measure.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { C_DOMAIN, C_K, C_ARM1, C_ARM2, C_EFFECT, C_P, C_I2, C_TAU2, C_EGGER, C_BEGG,
       C_RISK2, C_RISK1, C_VERDICT, C_EXCESS, C_CRUDE, C_N };

/* The columns of a table of comparisons (C_EXCESS only when a row has its
 * bound), and of one of proportions. */
static const int compare_cols[] = { C_DOMAIN, C_K, C_ARM1, C_ARM2, C_EFFECT, C_P, C_I2,
				    C_TAU2, C_EGGER, C_BEGG, C_RISK2, C_RISK1, C_VERDICT,
				    C_EXCESS };
static const int prop_cols[] = { C_DOMAIN, C_K, C_ARM1, C_EFFECT, C_CRUDE, C_I2, C_TAU2,
				 C_EGGER, C_BEGG };

/* One row with what it needs of its analysis (NULL when the results hold
 * no analysis of that name) and the proportions' common scale. */
struct row_of {
	const struct sm_res_domain_row *row;
	const struct sm_res_analysis *a;
	double per; /* the header's "per N", or 0 when rows differ (then in cells) */
};

static void fmt_p(struct sm_buf *b, double p)
{
	if (isnan(p))
		sm_buf_puts(b, "NA");
	else if (p < 0.001)
		sm_buf_puts(b, "<0.001");
	else
		sm_fmt_num(b, p, 3);
}

static void fmt_interval(struct sm_buf *b, double est, double lb, double ub, int dec)
{
	sm_fmt_num(b, est, dec);
	sm_buf_puts(b, " [");
	sm_fmt_num(b, lb, dec);
	sm_buf_puts(b, ", ");
	sm_fmt_num(b, ub, dec);
	sm_buf_puts(b, "]");
}

static int below_min_k(const struct row_of *r)
{
	return r->a && r->a->small_study.below_min_k == 1;
}

static double row_per(const struct row_of *r)
{
	return r->a && r->a->display_per > 0 ? r->a->display_per : 1;
}

/* A proportion per its analysis' scale: "1.34 [0.16, 4.82]", "per 1000"
 * after it when the header does not say; "not interpretable" when the
 * whole interval prints as 0.00 although events occurred. */
static void fmt_prop(struct sm_buf *b, const struct row_of *r, double est, double lb, double ub)
{
	double per = row_per(r);
	double events = r->a && r->a->crude.present ? r->a->crude.events : r->row->events_t;
	if (events > 0 && fabs(est * per) < 0.005 && fabs(ub * per) < 0.005) {
		sm_buf_puts(b, "not interpretable\xc2\xb9");
		return;
	}
	fmt_interval(b, est * per, lb * per, ub * per, 2);
	if (!r->per && per > 1)
		sm_buf_printf(b, " per %g", per);
}

/* The crude incidence with its exact interval, or the zero-event bounds. */
static void fmt_crude(struct sm_buf *b, const struct row_of *r)
{
	const struct sm_res_analysis *a = r->a;
	if (a && a->zero_events.present) {
		double per = row_per(r);
		sm_buf_puts(b, "no events; upper bound ");
		sm_fmt_num(b, a->zero_events.upper_exact * per, 2);
		sm_buf_puts(b, " (rule of three ");
		sm_fmt_num(b, a->zero_events.upper_rule_of_three * per, 2);
		sm_buf_puts(b, ")");
		if (!r->per && per > 1)
			sm_buf_printf(b, " per %g", per);
	} else if (a && a->crude.present) {
		fmt_prop(b, r, a->crude.proportion, a->crude.exact_ci[0], a->crude.exact_ci[1]);
	}
}

/* Format one cell into b (emptied first). */
static void cell(struct sm_buf *b, const struct row_of *r, int prop, int col)
{
	const struct sm_res_domain_row *row = r->row;
	const struct sm_res_absolute *abs_ = &row->absolute;
	int one = row->k == 1;
	sm_buf_reset(b);
	switch (col) {
	case C_DOMAIN: sm_buf_puts(b, row->analysis ? row->analysis : ""); break;
	case C_K:
		sm_fmt_num(b, row->k, 0);
		if (!isnan(row->k_studies)) {
			sm_buf_puts(b, " (");
			sm_fmt_num(b, row->k_studies, 0);
			sm_buf_puts(b, ")");
		}
		break;
	case C_ARM1: case C_ARM2: {
		double e = col == C_ARM1 ? row->events_t : row->events_c;
		double n = col == C_ARM1 ? row->n_t : row->n_c;
		if (isnan(n))
			break;
		sm_fmt_num(b, e, 0);
		sm_buf_puts(b, "/");
		sm_fmt_num(b, n, 0);
		break;
	}
	case C_EFFECT:
		if (prop && r->a && r->a->zero_events.present)
			sm_buf_puts(b, "not estimable\xc2\xb2");
		else if (prop)
			fmt_prop(b, r, row->estimate, row->ci_lb, row->ci_ub);
		else
			fmt_interval(b, row->estimate, row->ci_lb, row->ci_ub, 2);
		break;
	case C_CRUDE: fmt_crude(b, r); break;
	case C_P: fmt_p(b, row->p); break;
	case C_I2:
		if (one)
			sm_buf_puts(b, "not applicable");
		else
			sm_fmt_num(b, row->I2, 1);
		break;
	case C_TAU2:
		if (one)
			sm_buf_puts(b, "not applicable");
		else
			sm_fmt_num(b, row->tau2, 3);
		break;
	case C_EGGER: case C_BEGG:
		if (below_min_k(r))
			sm_buf_puts(b, "not tested");
		else
			fmt_p(b, col == C_EGGER ? row->egger_p : row->begg_p);
		break;
	case C_RISK2:
		if (abs_->present)
			sm_fmt_num(b, abs_->control_per_1000, 0);
		break;
	case C_RISK1:
		if (abs_->present)
			fmt_interval(b, abs_->treated_per_1000, abs_->treated_ci_lb_per_1000,
				     abs_->treated_ci_ub_per_1000, 0);
		break;
	case C_VERDICT:
		/* The excess-risk bound has a column of its own; the verdict
		 * repeated it in words, five lines a row in a narrow column. */
		if (row->verdict_code && !strcmp(row->verdict_code, "no_difference"))
			sm_buf_puts(b, "No significant difference");
		else
			sm_buf_puts(b, row->verdict ? row->verdict : "");
		break;
	case C_EXCESS:
		if (isfinite(row->excess_upper_per_1000))
			sm_fmt_num(b, row->excess_upper_per_1000, 1);
		break;
	default: break;
	}
	if (!b->data)
		sm_buf_puts(b, "");
}

static const char *arm_label(const struct sm_res_domain_table *dt, size_t i, const char *dflt)
{
	return i < dt->arm_labels.n && dt->arm_labels.v[i] ? dt->arm_labels.v[i] : dflt;
}

/* The effect column is headed by the measure's short name ("OR", "Peto
 * OR"); a table of proportions says on which scale it counts. */
static char *header(int c, const struct sm_res_domain_table *dt, const char *measure, int prop,
		    double per)
{
	const char *arm1 = arm_label(dt, 0, "Treatment");
	const char *arm2 = arm_label(dt, 1, "Control");
	double level = isnan(dt->level) ? 95 : dt->level;
	char scale[32] = "";
	if (per > 1)
		snprintf(scale, sizeof scale, " per %g", per);
	switch (c) {
	case C_DOMAIN: return sm_asprintf("Domain");
	case C_K: return sm_asprintf("k (studies)");
	case C_ARM1: return prop ? sm_asprintf("Events/N") : sm_asprintf("%s events/N", arm1);
	case C_ARM2: return sm_asprintf("%s events/N", arm2);
	case C_EFFECT:
		return prop ? sm_asprintf("Pooled incidence%s [%g%% CI]", scale, level)
			    : sm_asprintf("%s [%g%% CI]", sm_measure_short(measure), level);
	case C_CRUDE: return sm_asprintf("Crude incidence%s [exact %g%% CI]", scale, level);
	case C_P: return sm_asprintf("P");
	case C_I2: return sm_asprintf("I\xc2\xb2 (%%)");
	case C_TAU2: return sm_asprintf("\xcf\x84\xc2\xb2");
	case C_EGGER: return sm_asprintf("Egger P");
	case C_BEGG: return sm_asprintf("Begg P");
	case C_RISK2: return sm_asprintf("%s risk per 1000", arm2);
	case C_RISK1: return sm_asprintf("%s risk per 1000 [%g%% CI]", arm1, level);
	case C_VERDICT: return sm_asprintf("Direction of evidence");
	case C_EXCESS: return sm_asprintf("Excess risk bound per 1000");
	default: return NULL;
	}
}

static sm_status headers(struct sm_ctx *ctx, struct sm_table *t,
			 const struct sm_res_domain_table *dt, const char *measure, int prop,
			 double per, const int *cols, size_t ncols)
{
	sm_status st = SM_OK;
	for (size_t i = 0; i < ncols && st == SM_OK; i++) {
		int c = cols[i];
		char *h = header(c, dt, measure, prop, per);
		enum sm_align al = c == C_DOMAIN || c == C_VERDICT ? SM_ALIGN_LEFT : SM_ALIGN_RIGHT;
		st = h ? sm_table_set_header(ctx, t, i, h, al)
		       : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		free(h);
	}
	return st;
}

static const char compare_note[] =
	"k: comparisons entering the model (distinct studies). Events/N are summed over "
	"comparisons, so a patient of a study with several comparisons in a domain counts "
	"once per comparison. Risk per 1000: control risk = pooled control events/N; "
	"treated risk from the pooled ratio (OR: p1 = OR p0 / (1 - p0 + OR p0); RR: RR p0; "
	"RD: p0 + RD). Direction of evidence from the confidence interval of the pooled "
	"effect (a ratio interval entirely below 1 means fewer events in the treated arm).";

static const char prop_note[] =
	"k: studies entering the model. Incidences are given per 100 patients, or per 1000 or "
	"more when events are rarer: the smallest power of ten from 100 at which the crude "
	"incidence is at least 1. Crude incidence: all events over all patients, "
	"with the exact (Clopper\xe2\x80\x93Pearson) interval. Proportions are not tested "
	"against 0.";

/* What the cells' words mean, for those the table uses. */
static char *footnote_of(const struct row_of *rows, size_t n, int prop)
{
	int tested_not = 0, one = 0, artefact = 0, none = 0, excess = 0;
	double min_k = NAN;
	struct sm_buf cellb;
	sm_buf_init(&cellb);
	for (size_t i = 0; i < n; i++) {
		tested_not |= below_min_k(&rows[i]);
		if (below_min_k(&rows[i]))
			min_k = rows[i].a->small_study.min_k;
		one |= rows[i].row->k == 1;
		excess |= !prop && isfinite(rows[i].row->excess_upper_per_1000);
		if (prop) {
			cell(&cellb, &rows[i], prop, C_EFFECT);
			artefact |= cellb.data && strstr(cellb.data, "not interpretable") != NULL;
			none |= cellb.data && strstr(cellb.data, "not estimable") != NULL;
		}
	}
	sm_buf_release(&cellb);
	struct sm_buf b;
	sm_buf_init(&b);
	sm_buf_puts(&b, prop ? prop_note : compare_note);
	if (tested_not)
		sm_buf_printf(&b, " Not tested: fewer than %g studies, too few for tests of funnel "
			      "asymmetry (Cochrane Handbook, section 13.3.5.4).", min_k);
	if (excess)
		sm_buf_puts(&b, " Excess risk bound: the one-sided upper bound of the excess risk "
			    "per 1000 treated (evidence of absence); the data exclude a larger "
			    "excess, and a bound below 0 means no excess risk.");
	if (one)
		sm_buf_puts(&b, " Not applicable: one study has no heterogeneity.");
	if (artefact)
		sm_buf_puts(&b, " \xc2\xb9 The model's back-transformed estimate is 0 although "
			    "events occurred (a back-transformation with rare events): read the "
			    "crude incidence.");
	if (none)
		sm_buf_puts(&b, " \xc2\xb2 No event in any study: the exact one-sided upper bound "
			    "and the rule of three (3/N) are given instead.");
	return b.failed ? (sm_buf_release(&b), NULL) : sm_buf_take(&b);
}

/* The rows with their analyses, and the scale they share (0 if none). */
static struct row_of *rows_of(const struct sm_res *res, double *per)
{
	const struct sm_res_domain_table *dt = &res->domain_table;
	struct row_of *rows = sm_alloc_array(dt->rows.n ? dt->rows.n : 1, sizeof *rows);
	if (!rows)
		return NULL;
	*per = NAN;
	for (size_t i = 0; i < dt->rows.n; i++) {
		rows[i].row = &dt->rows.v[i];
		rows[i].a = dt->rows.v[i].analysis
			    ? sm_res_analysis_named(res, dt->rows.v[i].analysis) : NULL;
		double p = row_per(&rows[i]);
		*per = isnan(*per) || *per == p ? p : 0;
	}
	if (isnan(*per))
		*per = 0;
	for (size_t i = 0; i < dt->rows.n; i++)
		rows[i].per = *per;
	return rows;
}

/* A row of 2x2 data states the excess risk its data exclude. */
static int has_excess(const struct sm_res_domain_table *dt)
{
	for (size_t i = 0; i < dt->rows.n; i++)
		if (isfinite(dt->rows.v[i].excess_upper_per_1000))
			return 1;
	return 0;
}

struct sm_table *sm_table_domains(struct sm_ctx *ctx, const struct sm_res *res)
{
	const struct sm_res_domain_table *dt = &res->domain_table;
	if (!dt->present) {
		SM_FAIL(ctx, SM_EINPUT, "the results have no 'domain_table'; expected results "
			"written by this version of 'safemeta analyze'");
		return NULL;
	}
	const char *measure = dt->rows.n ? dt->rows.v[0].measure : NULL;
	int prop = measure && sm_measure_axis(measure) == SM_AXIS_PROP;
	const int *cols = prop ? prop_cols : compare_cols;
	size_t ncols = prop ? sizeof prop_cols / sizeof prop_cols[0]
			    : sizeof compare_cols / sizeof compare_cols[0];
	double per = 0;
	struct row_of *rows = rows_of(res, &per);
	if (!prop && !has_excess(dt))
		ncols--; /* C_EXCESS is compare_cols' last */
	char *note = rows ? footnote_of(rows, dt->rows.n, prop) : NULL;
	struct sm_table *t = note ? sm_table_new(ctx, "domains", ncols) : NULL;
	sm_status st = t ? headers(ctx, t, dt, measure, prop, per, cols, ncols)
			 : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	if (st == SM_OK)
		st = sm_table_set_title(ctx, t, "Safety domains: pooled results", note);
	struct sm_buf b;
	sm_buf_init(&b);
	for (size_t i = 0; st == SM_OK && i < dt->rows.n; i++) {
		long r = sm_table_add_row(ctx, t);
		for (size_t c = 0; r >= 0 && st == SM_OK && c < ncols; c++) {
			cell(&b, &rows[i], prop, cols[c]);
			st = b.failed ? SM_FAIL(ctx, SM_EINTERNAL, "out of memory")
				      : sm_table_set(ctx, t, (size_t)r, c, b.data);
		}
		if (r < 0)
			st = SM_EINTERNAL;
	}
	sm_buf_release(&b);
	free(rows);
	free(note);
	if (st != SM_OK) {
		sm_table_free(t);
		return NULL;
	}
	return t;
}
