/* sm_fplot_notes.c -- the notes of a forest (sm_fplot_int.h): heterogeneity
 * with its τ² estimator, one test line per pooled model named after it,
 * the unit-of-analysis footnote and the method line.  Every number is the
 * results' own. */
#include "sm_fplot_int.h"

#include "sm_fmt.h"
#include "sm_method.h"
#include "sm_words.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* " (P = 0.18)" with no-break spaces: a note that wraps never leaves
 * "(P =" at a line's end and its value on the next. */
static void p_glued(struct build *b, struct sm_buf *t, double p)
{
	struct sm_buf w;
	sm_buf_init(&w);
	sm_fmt_p(&w, p, b->st->d_p);
	sm_buf_puts(t, " (");
	for (size_t i = 0; !w.failed && i < w.len; i++) {
		if (w.data[i] == ' ')
			sm_buf_puts(t, "\xc2\xa0");
		else
			sm_buf_putc(t, w.data[i]);
	}
	sm_buf_putc(t, ')');
	if (w.failed)
		t->failed = 1;
	sm_buf_release(&w);
}

void sm_fb_q(struct build *b, struct sm_buf *t, double Q, double df, double p)
{
	sm_buf_puts(t, "Q = ");
	sm_fmt_num(t, Q, b->st->d_stat);
	if (isfinite(df))
		sm_buf_printf(t, ", df = %.0f", df);
	if (isfinite(p))
		p_glued(b, t, p);
}

static int is_random(const struct sm_res_analysis *a)
{
	if (a->tau2_estimator)
		return strcmp(a->tau2_estimator, "none") != 0;
	return sm_method_label_is_random(a->method);
}

/* "Heterogeneity: τ² = 0.38 (REML); Q = 46.51, df = 35 (P = 0.09); I² = 25%";
 * one study: "Heterogeneity: not applicable" (RevMan). */
static void tests_into(struct build *b, const struct sm_res_analysis *a, struct sm_buf *t);

/* With compact notes, the heterogeneity note goes on with the tests for
 * overall effect (sm_fb_tests then adds none). */
static void note_with_tests(struct build *b, const struct sm_res_analysis *a, struct sm_buf *t,
			    int trailing)
{
	if (b->req->compact_notes)
		tests_into(b, a, t);
	if (t->len == 0) {
		sm_buf_release(t);
		return;
	}
	sm_fb_note(b, t, trailing);
}

void sm_fb_heterogeneity(struct build *b, const struct sm_res_analysis *a, int trailing)
{
	const struct sm_style *st = b->st;
	struct sm_buf t;
	sm_buf_init(&t);
	if (sm_fb_k(a) <= 1) {
		sm_buf_puts(&t, "Heterogeneity: not applicable");
		note_with_tests(b, a, &t, trailing);
		return;
	}
	int multilevel = a->model && !strcmp(a->model, "multilevel");
	double tau2 = is_random(a) && !multilevel ? a->tau2 : NAN;
	if (!isfinite(a->Q) && !isfinite(tau2) && !isfinite(a->I2) && !multilevel) {
		note_with_tests(b, a, &t, trailing);
		return;
	}
	sm_buf_puts(&t, "Heterogeneity: ");
	const char *sep = "";
	if (multilevel && isfinite(a->sigma2[0]) && isfinite(a->sigma2[1])) {
		sm_buf_puts(&t, "\xcf\x83\xc2\xb2 = ");
		sm_fmt_num(&t, a->sigma2[0], st->d_tau2);
		sm_buf_puts(&t, " (between clusters), ");
		sm_fmt_num(&t, a->sigma2[1], st->d_tau2);
		sm_buf_puts(&t, " (within)");
		sep = "; ";
	} else if (isfinite(tau2)) {
		sm_buf_puts(&t, "\xcf\x84\xc2\xb2 = ");
		sm_fmt_num(&t, tau2, st->d_tau2);
		if (a->tau2_estimator)
			sm_buf_printf(&t, " (%s)", a->tau2_estimator);
		sep = "; ";
	}
	if (isfinite(a->Q)) {
		sm_buf_puts(&t, sep);
		sm_fb_q(b, &t, a->Q, a->Q_df, a->Q_p);
		sep = "; ";
	}
	if (isfinite(a->I2) && !multilevel) {
		sm_buf_printf(&t, "%sI\xc2\xb2 = ", sep);
		sm_fmt_num(&t, a->I2, st->d_i2);
		sm_buf_putc(&t, '%');
	}
	note_with_tests(b, a, &t, trailing);
}

/* One test: "Z = 1.28 (P = 0.20)", t with its df for Knapp-Hartung. */
static void test_words(struct build *b, const struct pooled *v, struct sm_buf *t)
{
	int is_t = (v->test && (!strcmp(v->test, "knha") || !strcmp(v->test, "t"))) ||
		   isfinite(v->df);
	sm_buf_printf(t, "%s = ", is_t ? "t" : "Z");
	sm_fmt_num(t, v->stat, b->st->d_stat);
	if (is_t && isfinite(v->df))
		sm_buf_printf(t, ", df = %.0f", v->df);
	if (isfinite(v->p))
		p_glued(b, t, v->p);
}

/* Compact notes: "; overall effect: common Z = 0.52 (P = 0.60), random
 * Z = 1.28 (P = 0.20)" after the heterogeneity (or alone, capitalised,
 * when there is none); the pooled rows above name the models in full. */
static void tests_into(struct build *b, const struct sm_res_analysis *a, struct sm_buf *t)
{
	if (!sm_fb_shows_test(b))
		return;
	struct pooled v[18];
	size_t n = sm_fb_pooled(b, a, v, 18);
	int any = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(v[i].stat))
			continue;
		if (!any)
			sm_buf_puts(t, t->len ? "; overall effect: " : "Overall effect: ");
		else
			sm_buf_puts(t, ", ");
		any = 1;
		static const char *const brief[] = { "common ", "random ", "multilevel " };
		if (n > 1 && v[i].kind >= 0 && v[i].kind < 3)
			sm_buf_puts(t, brief[v[i].kind]);
		test_words(b, &v[i], t);
	}
}

/* "Test for overall effect (random effects): Z = 1.28 (P = 0.20)", t with
 * its df for Knapp-Hartung; one line per pooled model shown. */
void sm_fb_tests(struct build *b, const struct sm_res_analysis *a, int trailing)
{
	if (!sm_fb_shows_test(b) || b->req->compact_notes)
		return;
	struct pooled v[18];
	size_t n = sm_fb_pooled(b, a, v, 18);
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(v[i].stat))
			continue;
		struct sm_buf t;
		sm_buf_init(&t);
		sm_buf_printf(&t, "Test for overall effect (%s): ", sm_fb_model_words(v[i].kind));
		test_words(b, &v[i], &t);
		sm_fb_note(b, &t, trailing);
	}
}

/* "Unit of analysis: several rows from one study: Lin et al., 2017 (7 rows),
 * ...; one control arm counted in several rows: ...": the rows pooled as
 * independent studies are not independent. */
void sm_fb_unit_note(struct build *b, const struct sm_res_analysis *a)
{
	const struct sm_res_unit *u = &a->unit_of_analysis;
	if (!u->present || (!u->studies_with_several_rows.n && !u->shared_control_arms.n))
		return;
	struct sm_buf t;
	sm_buf_init(&t);
	sm_buf_puts(&t, "Unit of analysis: ");
	if (b->req->compact_notes && isfinite(u->rows) && isfinite(u->studies)) {
		/* which studies and arms: the report's text above the forest */
		sm_buf_printf(&t, "%.0f rows from %.0f studies, pooled as independent "
			      "studies%s.", u->rows, u->studies,
			      a->multilevel.present && a->model && strcmp(a->model, "multilevel")
				      ? " (the multilevel model pools rows within studies)" : "");
		sm_fb_note(b, &t, 1);
		return;
	}
	if (isfinite(u->rows) && isfinite(u->studies))
		sm_buf_printf(&t, "%.0f rows from %.0f studies; ", u->rows, u->studies);
	if (u->studies_with_several_rows.n) {
		sm_buf_puts(&t, "several rows from one study: ");
		for (size_t i = 0; i < u->studies_with_several_rows.n; i++) {
			const struct sm_res_several_rows *s = &u->studies_with_several_rows.v[i];
			sm_buf_printf(&t, "%s%s (%.0f rows)", i ? ", " : "",
				      s->label ? s->label : s->study_id ? s->study_id : "?", s->rows);
		}
	}
	if (u->shared_control_arms.n) {
		sm_buf_printf(&t, "%sone control arm in several rows: ",
			      u->studies_with_several_rows.n ? "; " : "");
		for (size_t i = 0; i < u->shared_control_arms.n; i++) {
			const struct sm_res_shared_control *s = &u->shared_control_arms.v[i];
			sm_buf_printf(&t, "%s%s (%.0f of %.0f, %.0f rows)", i ? ", " : "",
				      s->label ? s->label : s->study_id ? s->study_id : "?",
				      s->events_c, s->n_c, s->rows);
		}
	}
	sm_buf_puts(&t, ". Rows of one study share its patients; pooled as independent "
		    "studies they overstate the evidence");
	if (a->multilevel.present && a->model && strcmp(a->model, "multilevel"))
		sm_buf_puts(&t, " (the multilevel model pools rows within studies)");
	sm_buf_putc(&t, '.');
	sm_fb_note(b, &t, 1);
}

static void zero_rule(struct sm_buf *t, const struct sm_res_analysis *a)
{
	double add_v = a->add;
	const char *to = a->to;
	int mh = sm_method_label_is_mh_peto(a->method);
	if (isfinite(add_v) && add_v > 0 && to && strcmp(to, "none")) {
		sm_buf_puts(t, "; zero cells: ");
		sm_fmt_short(t, add_v);
		if (!strcmp(to, "all"))
			sm_buf_puts(t, " added to every cell of every study");
		else if (!strcmp(to, "if0all"))
			sm_buf_puts(t, " added to every cell of every study if any has a zero");
		else
			sm_buf_puts(t, " added to each cell of studies with a zero cell");
		/* rma.mh and rma.peto pool the raw counts. */
		if (mh)
			sm_buf_puts(t, " (study rows only)");
	} else if (isfinite(add_v) || to) {
		sm_buf_puts(t, "; no zero-cell correction");
	}
	if (a->method && !strcmp(a->method, "MH"))
		sm_buf_puts(t, "; the Mantel\xe2\x80\x93Haenszel estimate pools the raw tables, its "
			    "Q the log ratios with 1/2 added to tables with a zero cell (rma.mh)");
	if (a->drop00 == 1)
		sm_buf_puts(t, "; studies without events in both arms left out");
}

/* How pooled proportions came back from the pooling scale. */
static void back_transform(struct sm_buf *t, const struct sm_res_analysis *a)
{
	const char *fn = a->transformed.function;
	double hm = a->transformed.ni_harmonic_mean;
	if (fn && !strcmp(fn, "ipft.hm") && isfinite(hm)) {
		sm_buf_puts(t, "; pooled values back-transformed with the harmonic mean "
			    "of the study sizes (n = ");
		sm_fmt_num(t, hm, 2);
		sm_buf_putc(t, ')');
	}
}

/* Measure, models, τ² estimator, test/CI, zero-cell rule, version;
 * own_only: the analysis' own model only (the summary forest draws no
 * other). */
void sm_fb_method_line(struct build *b, const struct sm_res_analysis *a, int own_only)
{
	struct sm_buf t;
	sm_buf_init(&t);
	sm_buf_printf(&t, "%s (%s)", sm_measure_title(b->p->measure), b->p->measure);
	if (b->p->log_scale)
		sm_buf_puts(&t, " on the log scale");
	const char *mn = sm_words_model_line(a->method);
	if (a->model && !strcmp(a->model, "multilevel"))
		sm_buf_printf(&t, ", multilevel model (rows within clusters, %s)",
			      a->method ? a->method : "REML");
	else if (mn)
		sm_buf_printf(&t, ", %s", mn);
	else if (a->method)
		sm_buf_printf(&t, ", method %s", a->method);
	for (size_t i = 0; i < a->fits.n && !own_only; i++) {
		const char *fm = sm_words_model_line(a->fits.v[i].method);
		if (fm)
			sm_buf_printf(&t, " and %s", fm);
	}
	if (!own_only && a->multilevel.present && !(a->model && !strcmp(a->model, "multilevel")))
		sm_buf_printf(&t, " and multilevel model (rows within %s, %s)",
			      a->multilevel.levels.n ? a->multilevel.levels.v[0] : "studies",
			      a->multilevel.method ? a->multilevel.method : "REML");
	if (a->test && !strcmp(a->test, "knha"))
		sm_buf_puts(&t, "; Knapp\xe2\x80\x93Hartung t test and CI");
	else
		sm_buf_puts(&t, "; Wald-type z test and CI");
	sm_buf_printf(&t, " (%d%%)", b->p->level);
	if (b->p->per > 0)
		sm_buf_puts(&t, "; study and crude intervals exact (Clopper\xe2\x80\x93Pearson)");
	back_transform(&t, a);
	zero_rule(&t, a);
	sm_buf_puts(&t, "; safemeta " SM_VERSION);
	b->p->method = sm_fb_take(b, &t);
}
