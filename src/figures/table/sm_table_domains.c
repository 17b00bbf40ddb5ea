/* The safety-domain table: numbers from "domain_table" (computed by the
 * analysis stage) formatted for print; nothing is recomputed here. */
#include "sm_table_int.h"

#include "sm_buf.h"
#include "sm_fmt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { C_DOMAIN, C_K, C_ARM1, C_ARM2, C_EFFECT, C_P, C_I2, C_TAU2, C_EGGER, C_BEGG,
       C_RISK2, C_RISK1, C_VERDICT, C_N };

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

static const char *measure_label(const char *m)
{
	if (!m)
		return "Effect";
	if (!strcmp(m, "PETO"))
		return "Peto OR";
	if (!strcmp(m, "PR") || !strcmp(m, "PLO") || !strcmp(m, "PAS") || !strcmp(m, "PFT"))
		return "Proportion";
	if (!strcmp(m, "GEN"))
		return "Effect";
	return m;
}

/* Format one cell into b (emptied first). */
static void cell(struct sm_buf *b, const cJSON *row, int col)
{
	const cJSON *abs_ = cJSON_GetObjectItemCaseSensitive(row, "absolute");
	sm_buf_reset(b);
	switch (col) {
	case C_DOMAIN: sm_buf_puts(b, str(row, "analysis") ? str(row, "analysis") : ""); break;
	case C_K:
		sm_fmt_num(b, num(row, "k"), 0);
		if (!isnan(num(row, "k_studies"))) {
			sm_buf_puts(b, " (");
			sm_fmt_num(b, num(row, "k_studies"), 0);
			sm_buf_puts(b, ")");
		}
		break;
	case C_ARM1: case C_ARM2: {
		const char *e = col == C_ARM1 ? "events_t" : "events_c";
		const char *n = col == C_ARM1 ? "n_t" : "n_c";
		if (isnan(num(row, n)))
			break;
		sm_fmt_num(b, num(row, e), 0);
		sm_buf_puts(b, "/");
		sm_fmt_num(b, num(row, n), 0);
		break;
	}
	case C_EFFECT:
		fmt_interval(b, num(row, "estimate"), num(row, "ci_lb"), num(row, "ci_ub"), 2);
		break;
	case C_P: fmt_p(b, num(row, "p")); break;
	case C_I2: sm_fmt_num(b, num(row, "I2"), 1); break;
	case C_TAU2: sm_fmt_num(b, num(row, "tau2"), 3); break;
	case C_EGGER: fmt_p(b, num(row, "egger_p")); break;
	case C_BEGG: fmt_p(b, num(row, "begg_p")); break;
	case C_RISK2:
		if (cJSON_IsObject(abs_))
			sm_fmt_num(b, num(abs_, "control_per_1000"), 0);
		break;
	case C_RISK1:
		if (cJSON_IsObject(abs_))
			fmt_interval(b, num(abs_, "treated_per_1000"),
				     num(abs_, "treated_ci_lb_per_1000"),
				     num(abs_, "treated_ci_ub_per_1000"), 0);
		break;
	case C_VERDICT: sm_buf_puts(b, str(row, "verdict") ? str(row, "verdict") : ""); break;
	default: break;
	}
	if (!b->data)
		sm_buf_puts(b, "");
}

static sm_status headers(struct sm_ctx *ctx, struct sm_table *t, const cJSON *dt,
			 const char *measure)
{
	const cJSON *arms = cJSON_GetObjectItemCaseSensitive(dt, "arm_labels");
	const cJSON *a1 = cJSON_GetArrayItem(arms, 0), *a2 = cJSON_GetArrayItem(arms, 1);
	const char *arm1 = cJSON_IsString(a1) ? a1->valuestring : "Treatment";
	const char *arm2 = cJSON_IsString(a2) ? a2->valuestring : "Control";
	double level = num(dt, "level");
	char *h[C_N] = { 0 };
	h[C_DOMAIN] = sm_asprintf("Domain");
	h[C_K] = sm_asprintf("k (studies)");
	h[C_ARM1] = sm_asprintf("%s events/N", arm1);
	h[C_ARM2] = sm_asprintf("%s events/N", arm2);
	h[C_EFFECT] = sm_asprintf("%s [%g%% CI]", measure_label(measure),
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

struct sm_table *sm_table_domains(struct sm_ctx *ctx, const cJSON *results)
{
	const cJSON *dt = cJSON_GetObjectItemCaseSensitive(results, "domain_table");
	if (!cJSON_IsObject(dt)) {
		SM_FAIL(ctx, SM_EINPUT, "the results have no 'domain_table'; expected results "
			"written by this version of 'safemeta analyze'");
		return NULL;
	}
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(dt, "rows");
	const char *measure = str(cJSON_GetArrayItem(rows, 0), "measure");
	struct sm_table *t = sm_table_new(ctx, "domains", C_N);
	sm_status st = t ? headers(ctx, t, dt, measure) : SM_EINTERNAL;
	if (st == SM_OK)
		st = sm_table_set_title(ctx, t, "Safety domains: pooled results", footnote);
	struct sm_buf b;
	sm_buf_init(&b);
	const cJSON *row;
	cJSON_ArrayForEach(row, rows) {
		long r = st == SM_OK ? sm_table_add_row(ctx, t) : -1;
		for (int c = 0; r >= 0 && st == SM_OK && c < C_N; c++) {
			cell(&b, row, c);
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
