/* The safety-domain table: numbers from the results' domain table
 * (computed by the analysis stage) formatted for print; nothing is
 * recomputed here. */
#include "sm_table_int.h"

#include "sm_buf.h"
#include "sm_fmt.h"
#include "sm_measure.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { C_DOMAIN, C_K, C_ARM1, C_ARM2, C_EFFECT, C_P, C_I2, C_TAU2, C_EGGER, C_BEGG,
       C_RISK2, C_RISK1, C_VERDICT, C_N };

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

/* Format one cell into b (emptied first). */
static void cell(struct sm_buf *b, const struct sm_res_domain_row *row, int col)
{
	const struct sm_res_absolute *abs_ = &row->absolute;
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
	case C_EFFECT: fmt_interval(b, row->estimate, row->ci_lb, row->ci_ub, 2); break;
	case C_P: fmt_p(b, row->p); break;
	case C_I2: sm_fmt_num(b, row->I2, 1); break;
	case C_TAU2: sm_fmt_num(b, row->tau2, 3); break;
	case C_EGGER: fmt_p(b, row->egger_p); break;
	case C_BEGG: fmt_p(b, row->begg_p); break;
	case C_RISK2:
		if (abs_->present)
			sm_fmt_num(b, abs_->control_per_1000, 0);
		break;
	case C_RISK1:
		if (abs_->present)
			fmt_interval(b, abs_->treated_per_1000, abs_->treated_ci_lb_per_1000,
				     abs_->treated_ci_ub_per_1000, 0);
		break;
	case C_VERDICT: sm_buf_puts(b, row->verdict ? row->verdict : ""); break;
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
 * OR", "Proportion"). */
static sm_status headers(struct sm_ctx *ctx, struct sm_table *t,
			 const struct sm_res_domain_table *dt, const char *measure)
{
	const char *arm1 = arm_label(dt, 0, "Treatment");
	const char *arm2 = arm_label(dt, 1, "Control");
	double level = dt->level;
	char *h[C_N] = { 0 };
	h[C_DOMAIN] = sm_asprintf("Domain");
	h[C_K] = sm_asprintf("k (studies)");
	h[C_ARM1] = sm_asprintf("%s events/N", arm1);
	h[C_ARM2] = sm_asprintf("%s events/N", arm2);
	h[C_EFFECT] = sm_asprintf("%s [%g%% CI]", sm_measure_short(measure),
				  isnan(level) ? 95 : level);
	h[C_P] = sm_asprintf("P");
	h[C_I2] = sm_asprintf("I\xc2\xb2 (%%)");
	h[C_TAU2] = sm_asprintf("\xcf\x84\xc2\xb2");
	h[C_EGGER] = sm_asprintf("Egger P");
	h[C_BEGG] = sm_asprintf("Begg P");
	h[C_RISK2] = sm_asprintf("%s risk per 1000", arm2);
	h[C_RISK1] = sm_asprintf("%s risk per 1000 [%g%% CI]", arm1, isnan(level) ? 95 : level);
	h[C_VERDICT] = sm_asprintf("Direction of evidence");
	sm_status st = SM_OK;
	for (int c = 0; c < C_N; c++) {
		enum sm_align al = c == C_DOMAIN || c == C_VERDICT ? SM_ALIGN_LEFT : SM_ALIGN_RIGHT;
		if (st == SM_OK)
			st = h[c] ? sm_table_set_header(ctx, t, (size_t)c, h[c], al)
				  : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		free(h[c]);
	}
	return st;
}

static const char footnote[] =
	"k: comparisons entering the model (distinct studies). Events/N are summed over "
	"comparisons, so a patient of a study with several comparisons in a domain counts "
	"once per comparison. Risk per 1000: control risk = pooled control events/N; "
	"treated risk from the pooled ratio (OR: p1 = OR p0 / (1 - p0 + OR p0); RR: RR p0; "
	"RD: p0 + RD). Direction of evidence from the confidence interval of the pooled "
	"effect (a ratio interval entirely below 1 means fewer events in the treated arm).";

struct sm_table *sm_table_domains(struct sm_ctx *ctx, const struct sm_res *res)
{
	const struct sm_res_domain_table *dt = &res->domain_table;
	if (!dt->present) {
		SM_FAIL(ctx, SM_EINPUT, "the results have no 'domain_table'; expected results "
			"written by this version of 'safemeta analyze'");
		return NULL;
	}
	const char *measure = dt->rows.n ? dt->rows.v[0].measure : NULL;
	struct sm_table *t = sm_table_new(ctx, "domains", C_N);
	sm_status st = t ? headers(ctx, t, dt, measure) : SM_EINTERNAL;
	if (st == SM_OK)
		st = sm_table_set_title(ctx, t, "Safety domains: pooled results", footnote);
	struct sm_buf b;
	sm_buf_init(&b);
	for (size_t i = 0; st == SM_OK && i < dt->rows.n; i++) {
		long r = sm_table_add_row(ctx, t);
		for (int c = 0; r >= 0 && st == SM_OK && c < C_N; c++) {
			cell(&b, &dt->rows.v[i], c);
			st = b.failed ? SM_FAIL(ctx, SM_EINTERNAL, "out of memory")
				      : sm_table_set(ctx, t, (size_t)r, (size_t)c, b.data);
		}
		if (r < 0)
			st = SM_EINTERNAL;
	}
	sm_buf_release(&b);
	if (st != SM_OK) {
		sm_table_free(t);
		return NULL;
	}
	return t;
}
