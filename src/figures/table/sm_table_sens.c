/* The sensitivity table of an analysis (analyses[].sensitivity) and the
 * rare-event method table of a review (analyses[].rare_events): numbers
 * the analysis stage computed, formatted for print; nothing is
 * recomputed.  Estimates are shown on the display scale (odds ratios,
 * proportions per display_per), as the forest and domain table show them;
 * risk differences per 1000 patients. */
#include "sm_table_int.h"

#include "sm_buf.h"
#include "sm_fmt.h"
#include "sm_measure.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fmt_p(struct sm_buf *b, double p)
{
	if (isnan(p))
		return;
	if (p < 0.001)
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

/* Cells are filled from one scratch buffer; a failed buffer is an error. */
sm_status sm_table_put(struct sm_ctx *ctx, struct sm_table *t, long r, size_t c, struct sm_buf *b)
{
	if (b->failed)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	sm_status st = sm_table_set(ctx, t, (size_t)r, c, b->data ? b->data : "");
	sm_buf_reset(b);
	return st;
}

static sm_status headers(struct sm_ctx *ctx, struct sm_table *t, const char *const *names,
			 const enum sm_align *align, size_t n)
{
	sm_status st = SM_OK;
	for (size_t i = 0; st == SM_OK && i < n; i++)
		st = sm_table_set_header(ctx, t, i, names[i], align[i]);
	return st;
}

/* ---- sensitivity ----------------------------------------------------------- */

enum { S_ANALYSIS, S_LABEL, S_MODEL, S_K, S_EFFECT, S_P, S_TAU2, S_I2, S_N };

static double per_of(const struct sm_res_analysis *a)
{
	return sm_measure_axis(a->measure) == SM_AXIS_PROP && a->display_per > 0 ? a->display_per
										  : 1;
}

/* Trim and fill below the small-study minimum is computed but not shown:
 * its row is left out, the rules (said once per report) say why. */
static int not_presented(const struct sm_res_analysis *a, const struct sm_res_sens_row *r)
{
	return a->small_study.below_min_k == 1 && !strcmp(r->label, "Trim-and-fill adjusted");
}

static void fmt_model(struct sm_buf *b, const struct sm_res_sens_row *r)
{
	sm_buf_puts(b, r->method ? r->method : "");
	if (r->model && strcmp(r->model, "standard") != 0)
		sm_buf_printf(b, "%s%s", r->method ? ", " : "", r->model);
}

static sm_status sens_row(struct sm_ctx *ctx, struct sm_table *t, const struct sm_res_analysis *a,
			  const struct sm_res_sens_row *r, int first, size_t c0, struct sm_buf *b)
{
	long row = sm_table_add_row(ctx, t);
	if (row < 0)
		return SM_EINTERNAL;
	sm_status st = SM_OK;
	if (c0 && first)
		sm_buf_puts(b, a->name ? a->name : "");
	if (c0)
		st = sm_table_put(ctx, t, row, 0, b);
	sm_buf_puts(b, r->label);
	if (st == SM_OK)
		st = sm_table_put(ctx, t, row, c0 + S_LABEL - 1, b);
	fmt_model(b, r);
	if (st == SM_OK)
		st = sm_table_put(ctx, t, row, c0 + S_MODEL - 1, b);
	if (!isnan(r->k))
		sm_fmt_num(b, r->k, 0);
	if (st == SM_OK)
		st = sm_table_put(ctx, t, row, c0 + S_K - 1, b);
	double per = per_of(a);
	int shown = !isnan(r->estimate);
	if (!shown)
		sm_buf_puts(b, "not estimable");
	else
		fmt_interval(b, r->transformed.estimate * per, r->transformed.ci_lb * per,
			     r->transformed.ci_ub * per, 2);
	if (st == SM_OK)
		st = sm_table_put(ctx, t, row, c0 + S_EFFECT - 1, b);
	if (shown)
		fmt_p(b, r->p);
	if (st == SM_OK)
		st = sm_table_put(ctx, t, row, c0 + S_P - 1, b);
	if (shown && !isnan(r->tau2))
		sm_fmt_num(b, r->tau2, 3);
	if (st == SM_OK)
		st = sm_table_put(ctx, t, row, c0 + S_TAU2 - 1, b);
	if (shown && !isnan(r->I2))
		sm_fmt_num(b, r->I2, 1);
	return st == SM_OK ? sm_table_put(ctx, t, row, c0 + S_I2 - 1, b) : st;
}

static const struct sm_res_sens_row *row_labelled(const struct sm_res_sensitivity *s,
						   const char *label)
{
	for (size_t i = 0; i < s->rows.n; i++)
		if (s->rows.v[i].label && !strcmp(s->rows.v[i].label, label))
			return &s->rows.v[i];
	return NULL;
}

static int same_num(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

/* The random-effects row of a random-effects analysis is the analysis
 * itself: the row "All studies" says it already (same model, same
 * numbers), so it is left out rather than printed twice. */
static int repeats_all(const struct sm_res_sensitivity *s, const struct sm_res_sens_row *r)
{
	const struct sm_res_sens_row *all = row_labelled(s, "All studies");
	if (!all || r == all || !r->label || strcmp(r->label, "Random effects") != 0)
		return 0;
	return !strcmp(all->method ? all->method : "", r->method ? r->method : "") &&
	       !strcmp(all->model ? all->model : "", r->model ? r->model : "") &&
	       same_num(all->k, r->k) && same_num(all->estimate, r->estimate) &&
	       same_num(all->ci_lb, r->ci_lb) && same_num(all->ci_ub, r->ci_ub) &&
	       same_num(all->p, r->p) && same_num(all->tau2, r->tau2) &&
	       same_num(all->I2, r->I2) && r->excluded.n == 0 && !r->note;
}

/* A row's note that every analysis with a row of that label has word for
 * word (the multilevel model's "variance components in ..."), in a review
 * of more than one such analysis: the rules say it once, a table of its
 * own would repeat it under every analysis. */
static int shared_note(const struct sm_res *res, const struct sm_res_sens_row *r)
{
	if (!r->label || !r->note)
		return 0;
	size_t with = 0;
	for (size_t i = 0; i < res->analyses.n; i++) {
		const struct sm_res_sensitivity *s = &res->analyses.v[i].sensitivity;
		const struct sm_res_sens_row *o = s->present ? row_labelled(s, r->label) : NULL;
		if (!o)
			continue;
		if (!o->note || strcmp(o->note, r->note) != 0)
			return 0;
		with++;
	}
	return with > 1;
}

/* What the rows of one analysis need said: the rule, and each row's note. */
static void sens_notes(struct sm_buf *b, const struct sm_res *res,
		       const struct sm_res_analysis *a, int with_rows)
{
	const struct sm_res_sensitivity *s = &a->sensitivity;
	for (size_t i = 0; with_rows && i < s->rows.n; i++) {
		const struct sm_res_sens_row *r = &s->rows.v[i];
		if (repeats_all(s, r))
			continue; /* the rules say it */
		if (r->excluded.n) {
			sm_buf_printf(b, " %s: without ", r->label);
			for (size_t j = 0; j < r->excluded.n; j++)
				sm_buf_printf(b, "%s%s", j ? ", " : "", r->excluded.v[j]);
			sm_buf_puts(b, ".");
		}
		if (r->note && !not_presented(a, r) && !shared_note(res, r))
			sm_buf_printf(b, " %s: %s.", r->label, r->note);
	}
}

/* The notes shared_note() takes out of the tables, once each, in the order
 * of the first analysis that has them. */
static void shared_notes(struct sm_buf *b, const struct sm_res *res)
{
	for (size_t i = 0; i < res->analyses.n; i++) {
		const struct sm_res_sensitivity *s = &res->analyses.v[i].sensitivity;
		for (size_t j = 0; s->present && j < s->rows.n; j++) {
			const struct sm_res_sens_row *r = &s->rows.v[j];
			if (!shared_note(res, r) || row_labelled(s, r->label) != r)
				continue;
			int said = 0; /* by an analysis before */
			for (size_t e = 0; !said && e < i; e++)
				said = res->analyses.v[e].sensitivity.present &&
				       row_labelled(&res->analyses.v[e].sensitivity, r->label);
			if (!said)
				sm_buf_printf(b, " %s: %s.", r->label, r->note);
		}
	}
}

/* What every row follows, the same for each analysis of a review. */
static void sens_rules(struct sm_buf *b, const struct sm_res *res,
		       const struct sm_res_analysis *a)
{
	sm_buf_puts(b, "Each row is a refit with the analysis' own method and settings, or the "
		       "result of another model the analysis computed. \xcf\x84\xc2\xb2 and "
		       "I\xc2\xb2 are blank where the model has none.");
	if (a && a->sensitivity.high_risk_of_bias && res->review.risk_of_bias.present)
		sm_buf_printf(b, " High risk of bias: %s.", a->sensitivity.high_risk_of_bias);
	if (a && a->small_study.present)
		sm_buf_printf(b, " Trim and fill is not assessed below %g studies (Cochrane "
			      "Handbook, section 13.3.5.4): those analyses have no row of it.",
			      a->small_study.min_k);
	/* said here, not in every table: the rules are said once a report */
	sm_buf_puts(b, " Random effects: left out where it is the analysis' own model (the row "
		       "All studies).");
	shared_notes(b, res);
}

static char *sens_footnote(const struct sm_res *res, const struct sm_res_analysis *one)
{
	const struct sm_res_analysis *a = one ? one : res->analyses.n ? &res->analyses.v[0] : NULL;
	struct sm_buf b;
	sm_buf_init(&b);
	sens_rules(&b, res, a);
	if (one)
		sens_notes(&b, res, one, 1);
	return b.failed ? (sm_buf_release(&b), NULL) : sm_buf_take(&b);
}

char *sm_table_sens_rules(const struct sm_res *res, const char *analysis)
{
	const struct sm_res_analysis *a = analysis ? sm_res_analysis_named(res, analysis)
				   : res->analyses.n ? &res->analyses.v[0] : NULL;
	struct sm_buf b;
	sm_buf_init(&b);
	sens_rules(&b, res, a);
	return b.failed ? (sm_buf_release(&b), NULL) : sm_buf_take(&b);
}

/* The analyses the table shows: one by name, or all with a block. */
static sm_status sens_analyses(struct sm_ctx *ctx, const struct sm_res *res, const char *name,
			       const struct sm_res_analysis **one)
{
	*one = NULL;
	if (name) {
		*one = sm_res_analysis_named(res, name);
		if (!*one)
			return SM_FAIL(ctx, SM_EINPUT, "table 'sensitivity': no analysis '%s' in the "
				       "results; expected one of the analyses' names", name);
		if (!(*one)->sensitivity.present)
			return SM_FAIL(ctx, SM_EINPUT, "table 'sensitivity': analysis '%s' has no "
				       "sensitivity block; expected results of this version of "
				       "'safemeta analyze'", name);
		return SM_OK;
	}
	for (size_t i = 0; i < res->analyses.n; i++)
		if (res->analyses.v[i].sensitivity.present)
			return SM_OK;
	return SM_FAIL(ctx, SM_EINPUT, "table 'sensitivity': no analysis has a sensitivity "
		       "block; expected results of this version of 'safemeta analyze'");
}

struct sm_table *sm_table_sensitivity(struct sm_ctx *ctx, const struct sm_res *res,
				      const char *analysis)
{
	const struct sm_res_analysis *one;
	if (sens_analyses(ctx, res, analysis, &one) != SM_OK)
		return NULL;
	const struct sm_res_analysis *first = one ? one : &res->analyses.v[0];
	const char *measure = first->measure ? first->measure : "";
	double level = isnan(first->level) ? 95 : first->level, per = per_of(first);
	char effect[64];
	if (per > 1)
		snprintf(effect, sizeof effect, "%s per %g [%g%% CI]", sm_measure_short(measure),
			 per, level);
	else
		snprintf(effect, sizeof effect, "%s [%g%% CI]", sm_measure_short(measure), level);
	const char *names[S_N] = { "Analysis", "Sensitivity analysis", "Model", "k", effect, "P",
				   "\xcf\x84\xc2\xb2", "I\xc2\xb2 (%)" };
	static const enum sm_align align[S_N] = { SM_ALIGN_LEFT, SM_ALIGN_LEFT, SM_ALIGN_LEFT,
						  SM_ALIGN_RIGHT, SM_ALIGN_RIGHT, SM_ALIGN_RIGHT,
						  SM_ALIGN_RIGHT, SM_ALIGN_RIGHT };
	size_t c0 = one ? 0 : 1, ncols = S_N - 1 + c0;
	char *note = sens_footnote(res, one);
	char *title = one ? sm_asprintf("Sensitivity analyses: %s", one->name)
			  : strdup("Sensitivity analyses");
	struct sm_table *t = note && title ? sm_table_new(ctx, "sensitivity", ncols) : NULL;
	sm_status st = t ? headers(ctx, t, names + 1 - c0, align + 1 - c0, ncols)
			 : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	if (st == SM_OK)
		st = sm_table_set_title(ctx, t, title, note);
	struct sm_buf b;
	sm_buf_init(&b);
	for (size_t i = 0; st == SM_OK && i < res->analyses.n; i++) {
		const struct sm_res_analysis *a = &res->analyses.v[i];
		if ((one && a != one) || !a->sensitivity.present)
			continue;
		for (size_t j = 0; st == SM_OK && j < a->sensitivity.rows.n; j++) {
			const struct sm_res_sens_row *r = &a->sensitivity.rows.v[j];
			if (!repeats_all(&a->sensitivity, r) && !not_presented(a, r))
				st = sens_row(ctx, t, a, r, j == 0, c0, &b);
		}
	}
	sm_buf_release(&b);
	free(note);
	free(title);
	if (st != SM_OK) {
		sm_table_free(t);
		return NULL;
	}
	return t;
}

/* ---- rare events ------------------------------------------------------------ */

/* One row per domain and scale (OR, then RD per 1000), one column per
 * method: the methods side by side read as a comparison, where a row per
 * method (7 per domain) took over two pages.  The risk-difference row
 * names its scale where its domain's name would go (a column of its own
 * for "OR"/"RD" left the names two lines a row).  P and tau2 are left to
 * the method forests and results.json (the footnote says where). */
enum { R_DOMAIN, R_K, R_FIRST };
#define R_RD_LABEL "RD per 1000"

/* The most methods a table compares (the analysis stage writes 7 rows of
 * 5 methods); more are left out. */
#define R_MAX_METHODS 12

static const char *method_words(const struct sm_res_rare_method *m)
{
	if (!strcmp(m->method, "IV"))
		return "Inverse variance, random effects (corrected)";
	if (!strcmp(m->method, "MH"))
		return "Mantel-Haenszel";
	if (!strcmp(m->method, "PETO"))
		return "Peto";
	return NULL; /* GLMM: its model's name */
}

/* A column's header: short, the footnote gives the model in words. */
static void method_head(struct sm_buf *b, const struct sm_res_rare_method *m)
{
	if (!strcmp(m->method, "IV"))
		sm_buf_puts(b, "Inverse variance (corrected)");
	else if (method_words(m))
		sm_buf_puts(b, method_words(m));
	else
		sm_buf_printf(b, "GLMM %s", m->glmm ? m->glmm : "");
}

static int is_rd(const struct sm_res_rare_method *m)
{
	return m->measure && !strcmp(m->measure, "RD");
}

static int same_method(const struct sm_res_rare_method *a, const struct sm_res_rare_method *b)
{
	return !strcmp(a->method, b->method) &&
	       !strcmp(a->glmm ? a->glmm : "", b->glmm ? b->glmm : "");
}

/* The methods of every domain, in the order they first appear. */
struct rare_cols {
	const struct sm_res_rare_method *v[R_MAX_METHODS];
	size_t n;
};

static void rare_columns(const struct sm_res *res, struct rare_cols *cols)
{
	cols->n = 0;
	for (size_t i = 0; i < res->analyses.n; i++) {
		const struct sm_res_rare *r = &res->analyses.v[i].rare_events;
		for (size_t j = 0; r->present && j < r->methods.n; j++) {
			const struct sm_res_rare_method *m = &r->methods.v[j];
			size_t c = 0;
			while (c < cols->n && !same_method(cols->v[c], m))
				c++;
			if (c == cols->n && cols->n < R_MAX_METHODS && m->method)
				cols->v[cols->n++] = m;
		}
	}
}

/* The row of one domain on one scale (rd: risk differences per 1000). */
static sm_status rare_row(struct sm_ctx *ctx, struct sm_table *t, const struct sm_res_analysis *a,
			  const struct rare_cols *cols, int rd, int first, struct sm_buf *b)
{
	long row = sm_table_add_row(ctx, t);
	if (row < 0)
		return SM_EINTERNAL;
	if (first)
		sm_buf_puts(b, a->name ? a->name : "");
	if (rd) /* (a domain of risk differences only: after its name) */
		sm_buf_puts(b, first ? " (" R_RD_LABEL ")" : R_RD_LABEL);
	sm_status st = sm_table_put(ctx, t, row, R_DOMAIN, b);
	if (first) {
		sm_fmt_num(b, a->rare_events.k, 0);
		sm_buf_puts(b, " (");
		sm_fmt_num(b, a->rare_events.k_double_zero, 0);
		sm_buf_puts(b, ")");
	}
	if (st == SM_OK)
		st = sm_table_put(ctx, t, row, R_K, b);
	for (size_t c = 0; st == SM_OK && c < cols->n; c++) {
		for (size_t j = 0; j < a->rare_events.methods.n; j++) {
			const struct sm_res_rare_method *m = &a->rare_events.methods.v[j];
			if (!m->method || is_rd(m) != rd || !same_method(m, cols->v[c]))
				continue;
			/* risk differences per 1000 in whole patients, as the
			 * domain table gives risks per 1000: a tenth of a patient
			 * per 1000 is beyond what these counts tell, and the wider
			 * cells squeezed the domain names to three lines a row */
			double f = rd ? 1000 : 1;
			if (isnan(m->estimate))
				sm_buf_puts(b, "not estimable");
			else
				fmt_interval(b, m->estimate * f, m->ci_lb * f, m->ci_ub * f,
					     rd ? 0 : 2);
			break;
		}
		st = sm_table_put(ctx, t, row, R_FIRST + c, b);
	}
	return st;
}

/* Each method's model in words, once (the first domain that has it), and
 * where what the table leaves out is. */
static char *rare_footnote(const struct sm_res *res, double level)
{
	struct sm_buf b;
	sm_buf_init(&b);
	sm_buf_printf(&b, "k: studies in the domain (double-zero studies). Estimates with %g%% "
		      "CI: odds ratios in the row of the domain's name, risk differences per "
		      "1000 patients in the row " R_RD_LABEL " under it. ", level);
	const char *seen[16];
	size_t ns = 0;
	for (size_t i = 0; i < res->analyses.n; i++) {
		const struct sm_res_rare *r = &res->analyses.v[i].rare_events;
		for (size_t j = 0; r->present && j < r->methods.n; j++) {
			const struct sm_res_rare_method *m = &r->methods.v[j];
			int dup = 0;
			for (size_t s = 0; s < ns; s++)
				dup |= !strcmp(seen[s], m->model ? m->model : "");
			if (dup || !m->model || ns == sizeof seen / sizeof seen[0] || is_rd(m))
				continue;
			seen[ns++] = m->model;
			const char *w = method_words(m);
			sm_buf_printf(&b, "%s%s%s: %s.", ns > 1 ? " " : "", w ? w : "GLMM ",
				      w ? "" : (m->glmm ? m->glmm : ""), m->model);
		}
	}
	sm_buf_puts(&b, " The P value and \xcf\x84\xc2\xb2 of each method are in the method "
			"forest plot of each domain (figures/methods-DOMAIN) and in results.json "
			"(analyses[].rare_events).");
	return b.failed ? (sm_buf_release(&b), NULL) : sm_buf_take(&b);
}

static int has_rare(const struct sm_res *res)
{
	for (size_t i = 0; i < res->analyses.n; i++)
		if (res->analyses.v[i].rare_events.present)
			return 1;
	return 0;
}

/* Whether the domain has a method on the scale (rd 1: RD). */
static int has_scale(const struct sm_res_rare *r, int rd)
{
	for (size_t j = 0; j < r->methods.n; j++)
		if (r->methods.v[j].method && is_rd(&r->methods.v[j]) == rd)
			return 1;
	return 0;
}

struct sm_table *sm_table_rare_events(struct sm_ctx *ctx, const struct sm_res *res)
{
	if (!has_rare(res)) {
		SM_FAIL(ctx, SM_EINPUT, "table 'rare_events': no analysis has 'rare_events'; "
			"expected 2x2 data analysed by this version of 'safemeta analyze'");
		return NULL;
	}
	double level = NAN;
	for (size_t i = 0; isnan(level) && i < res->analyses.n; i++)
		if (res->analyses.v[i].rare_events.present)
			level = res->analyses.v[i].rare_events.level;
	struct rare_cols cols;
	rare_columns(res, &cols);
	char *note = rare_footnote(res, isnan(level) ? 95 : level);
	struct sm_table *t = note ? sm_table_new(ctx, "rare_events", R_FIRST + cols.n) : NULL;
	sm_status st = t ? SM_OK : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	if (st == SM_OK)
		st = sm_table_set_header(ctx, t, R_DOMAIN, "Domain", SM_ALIGN_LEFT);
	if (st == SM_OK)
		st = sm_table_set_header(ctx, t, R_K, "k (double zero)", SM_ALIGN_RIGHT);
	struct sm_buf b;
	sm_buf_init(&b);
	for (size_t c = 0; st == SM_OK && c < cols.n; c++) {
		method_head(&b, cols.v[c]);
		st = b.failed ? SM_FAIL(ctx, SM_EINTERNAL, "out of memory")
			      : sm_table_set_header(ctx, t, R_FIRST + c, b.data, SM_ALIGN_RIGHT);
		sm_buf_reset(&b);
	}
	if (st == SM_OK)
		st = sm_table_set_title(ctx, t, "Rare events: the pooled effect by method", note);
	for (size_t i = 0; st == SM_OK && i < res->analyses.n; i++) {
		const struct sm_res_analysis *a = &res->analyses.v[i];
		if (!a->rare_events.present)
			continue;
		int first = 1;
		for (int rd = 0; st == SM_OK && rd < 2; rd++) {
			if (!has_scale(&a->rare_events, rd))
				continue;
			st = rare_row(ctx, t, a, &cols, rd, first, &b);
			first = 0;
		}
	}
	sm_buf_release(&b);
	free(note);
	if (st != SM_OK) {
		sm_table_free(t);
		return NULL;
	}
	return t;
}

int sm_table_has_sensitivity(const struct sm_res *res)
{
	for (size_t i = 0; i < res->analyses.n; i++)
		if (res->analyses.v[i].sensitivity.present)
			return 1;
	return 0;
}

int sm_table_has_rare_events(const struct sm_res *res)
{
	return has_rare(res);
}
