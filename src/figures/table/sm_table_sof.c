/* The GRADE summary-of-findings table ("sof") from the results'
 * summary_of_findings block (written by the analysis stage, sm_sof.c): one
 * row per rated outcome in GRADEpro's layout -- participants (studies),
 * certainty with its symbols and the marks of the reasons for rating down,
 * the relative effect, and the anticipated absolute effects per 1000
 * patients.  Every number is the results'; this file only formats them. */
#include "sm_table_int.h"

#include "sm_buf.h"
#include "sm_fmt.h"
#include "sm_measure.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { F_OUTCOME, F_PARTICIPANTS, F_CERTAINTY, F_RELATIVE, F_CONTROL, F_TREATED, F_DIFF, F_N };

#define CIRCLE_PLUS "\xe2\x8a\x95"   /* U+2295 */
#define CIRCLE_OPEN "\xe2\x97\x8b"   /* U+25CB */
#define EM_DASH "\xe2\x80\x94"
#define NBSP "\xc2\xa0"

/* GRADE's four levels as filled circles of four, and the word. */
static void fmt_certainty(struct sm_buf *b, const struct sm_res_sof_row *row)
{
	static const char *const levels[] = { "very low", "low", "moderate", "high" };
	int filled = 0;
	for (int i = 0; i < 4; i++)
		if (row->certainty && !strcmp(row->certainty, levels[i]))
			filled = i + 1;
	if (!filled) {
		sm_buf_puts(b, row->certainty ? row->certainty : "");
		return;
	}
	for (int i = 0; i < 4; i++)
		sm_buf_puts(b, i < filled ? CIRCLE_PLUS : CIRCLE_OPEN);
	sm_buf_printf(b, " %c%s", row->certainty[0] - 'a' + 'A', row->certainty + 1);
	/* the marks of the reasons for rating down, as GRADEpro prints them */
	int marks = 0;
	for (size_t i = 0; i < row->downgrades.n; i++) {
		const struct sm_res_sof_downgrade *d = &row->downgrades.v[i];
		if (d->footnote && d->rating && strcmp(d->rating, "not serious") != 0)
			sm_buf_printf(b, "%s%s", marks++ ? "," : " ", d->footnote);
	}
}

/* "OR 0.51 (0.26 to 1.01)"; a risk difference has no relative effect. */
static void fmt_relative(struct sm_buf *b, const struct sm_res_sof_row *row)
{
	if (!row->measure || sm_measure_axis(row->measure) != SM_AXIS_RATIO || isnan(row->estimate)) {
		sm_buf_puts(b, EM_DASH);
		return;
	}
	sm_buf_printf(b, "%s ", row->measure);
	sm_fmt_num(b, row->estimate, 2);
	sm_buf_puts(b, " (");
	sm_fmt_num(b, row->ci_lb, 2);
	sm_buf_puts(b, " to ");
	sm_fmt_num(b, row->ci_ub, 2);
	sm_buf_puts(b, ")");
}

static void fmt_per_1000(struct sm_buf *b, double x)
{
	if (isnan(x)) {
		sm_buf_puts(b, EM_DASH);
		return;
	}
	sm_fmt_num(b, x, 0);
}

/* "83 fewer" / "2 more", GRADEpro's words for a difference per 1000. */
static void fmt_change(struct sm_buf *b, double x)
{
	sm_fmt_num(b, fabs(x), 0);
	sm_buf_puts(b, x < 0 ? NBSP "fewer" : NBSP "more");
}

static void fmt_difference(struct sm_buf *b, const struct sm_res_sof_row *row)
{
	if (isnan(row->difference_per_1000)) {
		sm_buf_puts(b, EM_DASH);
		return;
	}
	fmt_change(b, row->difference_per_1000);
	sm_buf_puts(b, " (");
	fmt_change(b, row->difference_ci_lb_per_1000);
	sm_buf_puts(b, " to ");
	fmt_change(b, row->difference_ci_ub_per_1000);
	sm_buf_puts(b, ")");
}

static sm_status sof_row(struct sm_ctx *ctx, struct sm_table *t, const struct sm_res_sof_row *row,
			 struct sm_buf *b)
{
	long r = sm_table_add_row(ctx, t);
	if (r < 0)
		return SM_EINTERNAL;
	sm_buf_puts(b, row->outcome ? row->outcome : row->analysis ? row->analysis : "");
	if (row->importance)
		sm_buf_printf(b, " (%s)", row->importance);
	sm_status st = sm_table_put(ctx, t, r, F_OUTCOME, b);
	sm_fmt_num(b, row->participants, 0);
	sm_buf_puts(b, " (");
	sm_fmt_num(b, row->studies, 0);
	sm_buf_puts(b, row->studies == 1 ? " study)" : " studies)");
	if (st == SM_OK)
		st = sm_table_put(ctx, t, r, F_PARTICIPANTS, b);
	fmt_certainty(b, row);
	if (st == SM_OK)
		st = sm_table_put(ctx, t, r, F_CERTAINTY, b);
	fmt_relative(b, row);
	if (st == SM_OK)
		st = sm_table_put(ctx, t, r, F_RELATIVE, b);
	fmt_per_1000(b, row->control_per_1000);
	if (st == SM_OK)
		st = sm_table_put(ctx, t, r, F_CONTROL, b);
	fmt_per_1000(b, row->treated_per_1000);
	if (st == SM_OK)
		st = sm_table_put(ctx, t, r, F_TREATED, b);
	fmt_difference(b, row);
	return st == SM_OK ? sm_table_put(ctx, t, r, F_DIFF, b) : st;
}

/* The footnotes of the ratings, where the control risks come from, and
 * GRADE's definitions of its levels. */
static char *sof_footnote(const struct sm_res_sof *sof)
{
	struct sm_buf b;
	sm_buf_init(&b);
	for (size_t i = 0; i < sof->footnotes.n; i++)
		sm_buf_printf(&b, "%s. %s ", sof->footnotes.v[i].mark ? sof->footnotes.v[i].mark : "?",
			      sof->footnotes.v[i].text ? sof->footnotes.v[i].text : "");
	int from_studies = 0, from_review = 0;
	for (size_t i = 0; i < sof->rows.n; i++) {
		const char *src = sof->rows.v[i].control_source;
		from_studies |= src && !strcmp(src, "studies");
		from_review |= src && !strcmp(src, "review");
	}
	sm_buf_printf(&b, "The risk with treatment (and its %g%% CI) is based on the risk in the "
		      "control group and the relative effect of the intervention; the control "
		      "risk is %s. ", sof->level,
		      from_studies && from_review ? "that of the included studies, or the review's "
						    "where it gives one"
		      : from_review ? "the one the review gives"
				    : "the pooled control-arm risk of the included studies");
	sm_buf_puts(&b, "GRADE certainty: high, the true effect lies close to the estimate; "
		    "moderate, it is likely close to it but may be substantially different; low, "
		    "it may be substantially different; very low, it is likely substantially "
		    "different.");
	return b.failed ? (sm_buf_release(&b), NULL) : sm_buf_take(&b);
}

struct sm_table *sm_table_sof(struct sm_ctx *ctx, const struct sm_res *res)
{
	const struct sm_res_sof *sof = &res->summary_of_findings;
	if (!sof->present || sof->rows.n == 0) {
		SM_FAIL(ctx, SM_EINPUT, "table 'sof': the results hold no 'summary_of_findings'; "
			"expected a review with GRADE ratings (review key 'grade')");
		return NULL;
	}
	const char *treated = sof->arm_labels.n > 0 ? sof->arm_labels.v[0] : "treatment";
	const char *control = sof->arm_labels.n > 1 ? sof->arm_labels.v[1] : "control";
	char relative[48], with_control[112], with_treated[112], diff[48];
	snprintf(relative, sizeof relative, "Relative effect (%g%% CI)", sof->level);
	snprintf(with_control, sizeof with_control, "Risk with %s per 1000", control);
	snprintf(with_treated, sizeof with_treated, "Risk with %s per 1000", treated);
	snprintf(diff, sizeof diff, "Difference per 1000 (%g%% CI)", sof->level);
	const char *names[F_N] = { "Outcome (importance)", "Participants (studies)",
				   "Certainty of the evidence", relative, with_control,
				   with_treated, diff };
	static const enum sm_align align[F_N] = { SM_ALIGN_LEFT,  SM_ALIGN_RIGHT, SM_ALIGN_LEFT,
						  SM_ALIGN_RIGHT, SM_ALIGN_RIGHT, SM_ALIGN_RIGHT,
						  SM_ALIGN_RIGHT };
	char *note = sof_footnote(sof);
	struct sm_table *t = note ? sm_table_new(ctx, "sof", F_N) : NULL;
	sm_status st = t ? SM_OK : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	for (size_t i = 0; st == SM_OK && i < F_N; i++)
		st = sm_table_set_header(ctx, t, i, names[i], align[i]);
	if (st == SM_OK)
		st = sm_table_set_title(ctx, t, "Summary of findings", note);
	struct sm_buf b;
	sm_buf_init(&b);
	for (size_t i = 0; st == SM_OK && i < sof->rows.n; i++)
		st = sof_row(ctx, t, &sof->rows.v[i], &b);
	sm_buf_release(&b);
	free(note);
	if (st != SM_OK) {
		sm_table_free(t);
		return NULL;
	}
	return t;
}

int sm_table_has_sof(const struct sm_res *res)
{
	return res->summary_of_findings.present && res->summary_of_findings.rows.n > 0;
}
