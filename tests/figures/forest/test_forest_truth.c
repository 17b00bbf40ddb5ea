/* The forest tells the truth (issues 13, 14 and 17): each test below checks
 * one thing the page says against the results it is drawn from, and each
 * failed on the forest of main (139efb8), as its comment says.
 *
 *  - MH and Peto pooling: every table the estimate pools is a study row
 *    with its weight, none "Not pooled" (13.1);
 *  - two weight columns, each named with its model and totalling 100% on
 *    its own pooled row; every test line and the heterogeneity line name
 *    their model and estimator (13.2);
 *  - proportions per 1000 with exact intervals, the crude incidence, no
 *    test against 0, the zero-event bound in words (13.3);
 *  - subgroups of one analysis: overall rows, shares of the total, the
 *    tests for subgroup differences named (13.4);
 *  - k = 1: heterogeneity not applicable, no prediction interval (13.7);
 *  - default titles (13.10); the unit-of-analysis footnote and the
 *    multilevel row (14.1);
 *  - axis: 1-2-5 ticks, --xlim, --at, --scale log, one off-scale study
 *    (17.1); layout: the graph's share, labels on one line, cut cells,
 *    short labels, favours alike (17.2); pagination (17.3); the
 *    --summary-only header (17.4). */
#include "sm_render_test.h"

#include "sm_axis.h"
#include "sm_buf.h"
#include "sm_canvas.h"
#include "sm_faxis.h"
#include "sm_forest.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define R "tests/fixtures/render/"
#define MHNONE R "msc-deaths-mh-none.results.json"
#define BCG R "bcg-rr-reml.results.json"
#define BCGBY R "bcg-rr-reml-by-group.results.json"
#define ZERO R "zero-events-pr.results.json"
#define ONE R "one-study.results.json"
#define SIM40 R "sim40-subgroups.results.json"
#define MSC "tests/fixtures/results/msc-iv-rct.results.json"
#define PROP "tests/fixtures/results/iv-sae-70.results.json"
#define ELLIPSIS "\xe2\x80\xa6"
#define NBSP "\xc2\xa0" /* the notes keep "P = 0.18" on one line */
#define TAU2 "\xcf\x84\xc2\xb2"

/* Forest tests keep no warnings between calls. */
static void expect_ok(struct sm_render_fx *f, sm_status s)
{
	sm_render_expect_ok(f, s);
	sm_ctx_clear_warnings(f->ctx);
}

static struct sm_forest_options opts_for(const char *analysis)
{
	struct sm_forest_options o;
	sm_forest_options_init(&o);
	o.common.analysis = analysis;
	return o;
}

static struct sm_flayout *lay(struct sm_render_fx *f, const struct sm_res *res,
			      const struct sm_forest_options *o, int paginate, double page_h)
{
	struct sm_forest_target t = { .paginate = paginate, .page_height = page_h, .png_dpi = 0 };
	struct sm_flayout *l = NULL;
	expect_ok(f, sm_forest_build(f->ctx, res, o, &t, &l));
	assert_non_null(l);
	return l;
}

static struct sm_flayout *lay_of(struct sm_render_fx *f, const struct sm_res *res, const char *an)
{
	struct sm_forest_options o = opts_for(an);
	return lay(f, res, &o, 1, 0);
}

/* The PDF's text, white space squeezed. */
static char *pdf_of(struct sm_render_fx *f, const struct sm_res *res, const struct sm_forest_options *o,
		    const char *name)
{
	struct sm_figure_env env = { 0 };
	char *path = sm_asprintf("%s/%s", f->dir, name);
	assert_int_equal(sm_canvas_format_of(f->ctx, path, &env.format), SM_OK);
	struct sm_fig *fig = NULL;
	expect_ok(f, sm_figure_forest.layout(f->ctx, res, o, &env, &fig));
	expect_ok(f, sm_fig_write(f->ctx, fig, path, o->common.dpi));
	sm_fig_free(fig);
	sm_render_overlap_tool(path);
	char *text = sm_render_pdf_text(path, 1);
	free(path);
	return text;
}

static const cJSON *jget(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static double num(const cJSON *o, const char *k)
{
	const cJSON *v = jget(o, k);
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static cJSON *mget(cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static const cJSON *first_analysis(const cJSON *doc)
{
	return cJSON_GetArrayItem(jget(doc, "analyses"), 0);
}

static const cJSON *analysis_named(const cJSON *doc, const char *name)
{
	const cJSON *a;
	cJSON_ArrayForEach(a, jget(doc, "analyses"))
		if (!strcmp(jget(a, "name")->valuestring, name))
			return a;
	fail();
	return NULL;
}

static int has_text(const struct sm_flayout *l, const char *s)
{
	for (size_t i = 0; i < l->fig->ntexts; i++)
		if (!strcmp(l->fig->texts[i].text, s))
			return 1;
	return 0;
}

/* The first text with this tag that starts with `prefix`, or NULL. */
static const struct sm_fig_text *text_starting(const struct sm_flayout *l, int tag,
					       const char *prefix)
{
	for (size_t i = 0; i < l->fig->ntexts; i++) {
		const struct sm_fig_text *t = &l->fig->texts[i];
		if ((tag < 0 || t->tag == tag) && !strncmp(t->text, prefix, strlen(prefix)))
			return t;
	}
	return NULL;
}

static const struct sm_frow *row_labelled(const struct sm_flayout *l, const char *label)
{
	for (size_t i = 0; i < l->plot->nrows; i++)
		if (l->plot->rows[i].cell[SM_COL_LABEL] &&
		    !strcmp(l->plot->rows[i].cell[SM_COL_LABEL], label))
			return &l->plot->rows[i];
	print_error("no row \"%s\"\n", label);
	fail();
	return NULL;
}

static int count_kind(const struct sm_flayout *l, enum sm_frow_kind kind)
{
	int n = 0;
	for (size_t i = 0; i < l->plot->nrows; i++)
		n += l->plot->rows[i].kind == kind;
	return n;
}

static char *pct(double w)
{
	return sm_asprintf("%.1f%%", w);
}

static void expect_cell(const struct sm_frow *r, int col, const char *want)
{
	if (!want) {
		assert_null(r->cell[col]);
		return;
	}
	assert_non_null(r->cell[col]);
	assert_string_equal(r->cell[col], want);
}

static void expect_pct(const struct sm_frow *r, int col, double w)
{
	char *s = pct(w);
	expect_cell(r, col, s);
	free(s);
}

/* 13.1: `--method MH --to none` on the deaths domain.  Main drew 4 study
 * rows, 9 tables "Not pooled" under an estimate that pools all 13, and
 * inverse-variance weights. */
static void test_mh_pools_every_table(void **state)
{
	struct sm_render_fx *f = *state;
	cJSON *doc = sm_render_load_json(MHNONE);
	struct sm_res *res = sm_render_load_res(MHNONE);
	const cJSON *a = first_analysis(doc);
	struct sm_flayout *l = lay_of(f, res, NULL);
	int k = (int)num(jget(a, "mh"), "k");
	assert_int_equal(k, 13);
	assert_int_equal((int)num(a, "k"), 4);
	assert_int_equal(count_kind(l, SM_ROW_STUDY), k);
	assert_int_equal(count_kind(l, SM_ROW_EXCLUDED), 0);
	assert_null(text_starting(l, -1, "Not pooled"));
	/* each table with its Mantel-Haenszel weight, the 9 without an effect
	 * size "not estimable"; all of them in the totals of the pooled row */
	double n_t = 0, n_c = 0;
	int not_est = 0;
	const char *lists[] = { "studies", "excluded" };
	for (int li = 0; li < 2; li++) {
		const cJSON *s;
		cJSON_ArrayForEach(s, jget(a, lists[li])) {
			const struct sm_frow *r = row_labelled(l, jget(s, "label")->valuestring);
			assert_int_equal(r->kind, SM_ROW_STUDY);
			expect_pct(r, SM_COL_WEIGHT, num(s, "weight"));
			if (li == 1) {
				assert_true(cJSON_IsTrue(jget(s, "pooled_table")));
				assert_string_equal(r->span, "Not estimable");
				not_est++;
			}
			n_t += num(s, "n1i");
			n_c += num(s, "n2i");
		}
	}
	assert_int_equal(not_est, 9);
	const struct sm_frow *p = row_labelled(l, "Common effect model (MH)");
	char *s = sm_asprintf("%.0f", n_t);
	expect_cell(p, SM_COL_N1, s);
	free(s);
	s = sm_asprintf("%.0f", n_c);
	expect_cell(p, SM_COL_N2, s);
	free(s);
	expect_cell(p, SM_COL_WEIGHT, "100.0%");
	assert_non_null(text_starting(l, SM_FOREST_NOTE, "Heterogeneity: Q = 14.43, df = 12"));
	sm_flayout_free(l);
	sm_res_free(res);
	cJSON_Delete(doc);
}

/* 13.2: bcg, RR, REML.  Main had one Weight column of random-effects
 * weights with "100.0%" on the common-effect row, and unnamed test lines. */
static void test_two_weight_columns(void **state)
{
	struct sm_render_fx *f = *state;
	cJSON *doc = sm_render_load_json(BCG);
	struct sm_res *res = sm_render_load_res(BCG);
	const cJSON *a = first_analysis(doc);
	const cJSON *fe = cJSON_GetArrayItem(jget(a, "fits"), 0);
	assert_string_equal(jget(fe, "method")->valuestring, "FE");
	struct sm_flayout *l = lay_of(f, res, NULL);
	assert_string_equal(l->plot->weight_group, "Weight");
	assert_string_equal(l->plot->head[SM_COL_WEIGHT], "Common");
	assert_string_equal(l->plot->head[SM_COL_WEIGHT2], "Random");
	int i = 0;
	const cJSON *s;
	cJSON_ArrayForEach(s, jget(a, "studies")) {
		const struct sm_frow *r = row_labelled(l, jget(s, "label")->valuestring);
		expect_pct(r, SM_COL_WEIGHT, cJSON_GetArrayItem(jget(fe, "weights"), i++)->valuedouble);
		expect_pct(r, SM_COL_WEIGHT2, num(s, "weight"));
	}
	const struct sm_frow *tpt = row_labelled(l, "TPT Madras, 1980");
	expect_cell(tpt, SM_COL_WEIGHT, "41.4%");
	expect_cell(tpt, SM_COL_WEIGHT2, "10.2%");
	const struct sm_frow *ce = row_labelled(l, "Common effect model");
	const struct sm_frow *re = row_labelled(l, "Random effects model");
	expect_cell(ce, SM_COL_WEIGHT, "100.0%");
	expect_cell(ce, SM_COL_WEIGHT2, NULL);
	expect_cell(re, SM_COL_WEIGHT, NULL);
	expect_cell(re, SM_COL_WEIGHT2, "100.0%");
	assert_non_null(text_starting(l, SM_FOREST_NOTE, "Heterogeneity: " TAU2 " = 0.31 (REML);"));
	assert_non_null(text_starting(l, SM_FOREST_NOTE,
				      "Test for overall effect (common effect): Z = "));
	assert_non_null(text_starting(l, SM_FOREST_NOTE,
				      "Test for overall effect (random effects): Z = "));
	assert_null(text_starting(l, SM_FOREST_NOTE, "Test for overall effect:"));
	sm_flayout_free(l);
	sm_res_free(res);
	cJSON_Delete(doc);
	/* τ² = 0: both columns would print the same, so one is shown */
	struct sm_res *msc = sm_render_load_res(MSC);
	l = lay_of(f, msc, "Cardiac disorders");
	for (size_t r = 0; r < l->plot->nrows; r++)
		assert_null(l->plot->rows[r].cell[SM_COL_WEIGHT2]);
	expect_cell(row_labelled(l, "Random effects model"), SM_COL_WEIGHT, "100.0%");
	sm_flayout_free(l);
	sm_res_free(msc);
}

/* 13.3: no events in any of five studies.  Main printed the model's
 * back-transformed value and its test against 0, and no bound. */
static void test_zero_events(void **state)
{
	struct sm_render_fx *f = *state;
	cJSON *doc = sm_render_load_json(ZERO);
	struct sm_res *res = sm_render_load_res(ZERO);
	const cJSON *z = jget(first_analysis(doc), "zero_events");
	struct sm_forest_options o = opts_for(NULL);
	struct sm_flayout *l = lay(f, res, &o, 1, 0);
	/* `auto` is the analysis' unit: an upper bound of 2.5% is per 100 */
	double per = num(first_analysis(doc), "display_per");
	sm_check_close(per, 100, 0, 0, "display_per of the fixture");
	sm_check_close(l->plot->per, per, 0, 0, "per display_per");
	int dec = l->plot->dec;
	char *want = sm_asprintf("No events in %.0f patients: the pooled model's value is not "
				 "meaningful; the exact one-sided 95%% upper bound of the incidence "
				 "is %.*f per 100, and the rule of three gives %.*f per 100.",
				 num(z, "n_total"), dec, 100 * num(z, "upper_exact"), dec,
				 100 * num(z, "upper_rule_of_three"));
	assert_true(has_text(l, want));
	free(want);
	sm_flayout_free(l);
	/* per 1000 when asked, whatever the analysis' unit */
	o.per = SM_PER_1000;
	l = lay(f, res, &o, 1, 0);
	sm_check_close(l->plot->per, 1000, 0, 0, "per 1000");
	o.per = SM_PER_AUTO;
	assert_string_equal(row_labelled(l, "Random effects model")->span,
			    "not interpretable");
	const struct sm_frow *crude = row_labelled(l, "Crude incidence (exact CI)");
	assert_true(crude->hollow);
	assert_null(text_starting(l, SM_FOREST_NOTE, "Test for overall effect"));
	sm_flayout_free(l);
	/* asked for: the test, and per 100 patients */
	o.overall_test = 1;
	o.per = SM_PER_100;
	l = lay(f, res, &o, 1, 0);
	sm_check_close(l->plot->per, 100, 0, 0, "per 100");
	assert_string_equal(l->plot->head[SM_COL_EST], "Per 100 [95% CI]");
	assert_non_null(text_starting(l, SM_FOREST_NOTE, "Test for overall effect (random effects)"));
	sm_flayout_free(l);
	o.per = SM_PER_1;
	l = lay(f, res, &o, 1, 0);
	assert_string_equal(l->plot->head[SM_COL_EST], "Proportion [95% CI]");
	sm_flayout_free(l);
	sm_res_free(res);
	cJSON_Delete(doc);
}

/* 13.4: bcg with its subgroups (column "group").  Main drew the analysis as
 * if it had none: no subgroup rows, no tests for subgroup differences. */
static void test_subgroup_forest(void **state)
{
	struct sm_render_fx *f = *state;
	cJSON *doc = sm_render_load_json(BCGBY);
	struct sm_res *res = sm_render_load_res(BCGBY);
	const cJSON *a = first_analysis(doc), *sg = jget(a, "subgroups");
	struct sm_flayout *l = lay_of(f, res, NULL);
	const struct sm_fplot *p = l->plot;
	size_t g = 0;
	int heads = 0;
	for (size_t i = 0; i < p->nrows; i++) {
		const struct sm_frow *r = &p->rows[i];
		if (r->kind != SM_ROW_HEADING)
			continue;
		const cJSON *grp = cJSON_GetArrayItem(jget(sg, "groups"), (int)g++);
		assert_string_equal(r->note, jget(grp, "name")->valuestring);
		heads++;
		/* its studies, with their weights in the overall model */
		size_t j = i + 1;
		const cJSON *s;
		cJSON_ArrayForEach(s, jget(a, "studies")) {
			if (strcmp(jget(s, "subgroup")->valuestring, r->note))
				continue;
			const struct sm_frow *st = &p->rows[j++];
			assert_int_equal(st->kind, SM_ROW_STUDY);
			assert_string_equal(st->cell[SM_COL_LABEL], jget(s, "label")->valuestring);
			expect_pct(st, SM_COL_WEIGHT, num(s, "weight"));
		}
		/* its pooled rows: the random-effects one carries its share */
		assert_int_equal(p->rows[j].kind, SM_ROW_POOLED);
		assert_string_equal(p->rows[j + 1].cell[SM_COL_LABEL], "Random effects model");
		expect_pct(&p->rows[j + 1], SM_COL_WEIGHT, num(grp, "weight"));
		sm_check_close(p->rows[j + 1].est, num(jget(grp, "transformed"), "estimate"), 1e-15,
			       0, "subgroup %s", r->note);
	}
	assert_int_equal(heads, 3);
	/* then the overall rows, 100% */
	const struct sm_frow *last = NULL;
	for (size_t i = 0; i < p->nrows; i++)
		if (p->rows[i].kind == SM_ROW_POOLED && p->rows[i].cell[SM_COL_LABEL] &&
		    !strcmp(p->rows[i].cell[SM_COL_LABEL], "Random effects model"))
			last = &p->rows[i];
	expect_cell(last, SM_COL_WEIGHT, "100.0%");
	sm_check_close(last->est, num(jget(a, "transformed"), "estimate"), 1e-15, 0, "overall");
	const cJSON *t = jget(sg, "tests");
	const cJSON *tr = jget(t, "random_effects_separate_tau2"), *tc = jget(t, "common_effect");
	char *want = sm_asprintf("Test for subgroup differences (random effects, " TAU2
				 " per subgroup): Q = %.2f, df = %.0f (P" NBSP "=" NBSP "%.2f)",
				 num(tr, "Q"),
				 num(tr, "Q_df"), num(tr, "Q_p"));
	assert_true(has_text(l, want));
	free(want);
	want = sm_asprintf("Test for subgroup differences (common effect): Q = %.2f, df = %.0f "
			   "(P" NBSP "<" NBSP "0.001)", num(tc, "Q"), num(tc, "Q_df"));
	assert_true(has_text(l, want));
	free(want);
	assert_string_equal(p->weight_group, "Weight");
	assert_string_equal(p->head[SM_COL_WEIGHT], "Random");
	sm_flayout_free(l);
	struct sm_forest_options o = opts_for(NULL);
	char *text = pdf_of(f, res, &o, "subgroups.pdf");
	sm_render_expect_text(text, "alternate");
	free(text);
	sm_res_free(res);
	cJSON_Delete(doc);
}

/* 13.7: one study.  Main printed "Heterogeneity: τ² = 0.00; Q = 0.00, df =
 * 0" and a prediction interval. */
static void test_one_study(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_res *res = sm_render_load_res(ONE);
	struct sm_flayout *l = lay_of(f, res, NULL);
	assert_true(has_text(l, "Heterogeneity: not applicable"));
	assert_int_equal(count_kind(l, SM_ROW_PI), 0);
	assert_null(text_starting(l, SM_FOREST_NOTE, "Heterogeneity: " TAU2));
	sm_flayout_free(l);
	sm_res_free(res);
}

/* 13.10: titles.  Main titled a CSV's forest after its file ("input") and
 * the 70-study review's only analysis after the review instead of its
 * outcome. */
static void test_default_titles(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_res *res = sm_render_load_res(BCG);
	assert_string_equal(res->review.title, "input");
	struct sm_flayout *l = lay_of(f, res, NULL);
	assert_null(l->plot->title);
	sm_flayout_free(l);
	sm_res_free(res);
	res = sm_render_load_res(PROP);
	assert_string_equal(res->analyses.v[0].name, "all");
	l = lay_of(f, res, NULL);
	assert_string_equal(l->plot->title, res->review.settings.outcome_label);
	sm_flayout_free(l);
	sm_res_free(res);
	res = sm_render_load_res(MSC);
	l = lay_of(f, res, "summary");
	assert_string_equal(l->plot->title, res->review.title);
	sm_flayout_free(l);
	l = lay_of(f, res, "Cardiac disorders");
	assert_string_equal(l->plot->title, "Cardiac disorders");
	sm_flayout_free(l);
	sm_res_free(res);
}

/* 14.1: rows sharing a study or a control arm.  Main said nothing of them
 * on the forest and drew no multilevel row. */
static void test_unit_of_analysis(void **state)
{
	struct sm_render_fx *f = *state;
	cJSON *doc = sm_render_load_json(MSC);
	struct sm_res *res = sm_render_load_res(MSC);
	const char *name = "Infections and infestations";
	const cJSON *a = analysis_named(doc, name), *u = jget(a, "unit_of_analysis");
	struct sm_flayout *l = lay_of(f, res, name);
	const struct sm_fig_text *t = text_starting(l, SM_FOREST_NOTE, "Unit of analysis: ");
	assert_non_null(t);
	const cJSON *s;
	int n = 0;
	cJSON_ArrayForEach(s, jget(u, "studies_with_several_rows")) {
		char *want = sm_asprintf("%s (%.0f rows)", jget(s, "label")->valuestring,
					 num(s, "rows"));
		assert_non_null(strstr(t->text, want));
		free(want);
		n++;
	}
	cJSON_ArrayForEach(s, jget(u, "shared_control_arms")) {
		char *want = sm_asprintf("%s (%.0f of %.0f, %.0f rows)",
					 jget(s, "label")->valuestring, num(s, "events_c"),
					 num(s, "n_c"), num(s, "rows"));
		assert_non_null(strstr(t->text, want));
		free(want);
		n++;
	}
	assert_true(n >= 10);
	const struct sm_frow *ml = row_labelled(l, "Multilevel model");
	assert_int_equal(ml->kind, SM_ROW_POOLED);
	sm_check_close(ml->est, num(jget(jget(a, "multilevel"), "transformed"), "estimate"), 1e-15,
		       0, "multilevel estimate");
	assert_non_null(text_starting(l, SM_FOREST_NOTE, "Test for overall effect (multilevel model)"));
	sm_flayout_free(l);
	/* one row per study: no footnote, no multilevel row */
	l = lay_of(f, res, "Renal & urinary disorders");
	assert_null(text_starting(l, SM_FOREST_NOTE, "Unit of analysis"));
	assert_false(has_text(l, "Multilevel model"));
	sm_flayout_free(l);
	sm_res_free(res);
	cJSON_Delete(doc);
}

static void expect_ticks(const struct sm_axis *a, const double *want, int n, const char *what)
{
	if (a->nticks != n) {
		print_error("%s: %d ticks, expected %d\n", what, a->nticks, n);
		fail();
	}
	for (int i = 0; i < n; i++)
		sm_check_close(a->ticks[i], want[i], 1e-12, 1e-12, "%s tick %d", what, i);
	sm_check_close(a->lo, want[0], 1e-12, 1e-12, "%s lo", what);
	sm_check_close(a->hi, want[n - 1], 1e-12, 1e-12, "%s hi", what);
}

/* 17.1: ticks.  Main's were 0.05 1 20 (0.2 and 5 thinned away first),
 * ±0.5 for RD data within -0.25..0.11, and steps of 1.25 for an SMD. */
static void test_axis_ticks(void **state)
{
	(void)state;
	struct sm_axis a;
	const double revman[] = { 0.05, 0.2, 1, 5, 20 };
	assert_true(sm_faxis_fit(&a, SM_FAXIS_RATIO, NULL, 0.06, 3.6, 1, 0));
	assert_true(a.log);
	expect_ticks(&a, revman, 5, "ratio");
	const double narrow[] = { 0.5, 1, 2 };
	assert_true(sm_faxis_fit(&a, SM_FAXIS_RATIO, NULL, 0.7, 1.6, 1, 0));
	expect_ticks(&a, narrow, 3, "narrow ratio");
	/* coarser levels cover the data with fewer ticks */
	assert_true(sm_faxis_fit(&a, SM_FAXIS_RATIO, NULL, 0.06, 3.6, 1, 1));
	const double decades[] = { 0.01, 0.1, 1, 10, 100 };
	expect_ticks(&a, decades, 5, "decades");
	const double rd[] = { -0.3, -0.2, -0.1, 0, 0.1, 0.2 };
	assert_true(sm_faxis_fit(&a, SM_FAXIS_LINEAR, NULL, -0.25, 0.11, 1, 0));
	assert_false(a.log);
	expect_ticks(&a, rd, 6, "risk difference");
	const double smd[] = { -4, -3, -2, -1, 0, 1, 2 };
	assert_true(sm_faxis_fit(&a, SM_FAXIS_LINEAR, NULL, -3.2, 1.1, 1, 0));
	expect_ticks(&a, smd, 7, "SMD");
	/* all positive: the null is not the end, so both sides have room */
	const double pos[] = { -0.05, 0, 0.05, 0.1, 0.15, 0.2, 0.25 };
	assert_true(sm_faxis_fit(&a, SM_FAXIS_LINEAR, NULL, 0.02, 0.23, 1, 0));
	expect_ticks(&a, pos, 7, "positive");
	const double prop[] = { 0, 1, 2, 3, 4, 5 };
	assert_true(sm_faxis_fit(&a, SM_FAXIS_PROP, NULL, 0, 4.8, 1000, 0));
	expect_ticks(&a, prop, 6, "per 1000");
	/* --xlim: the ends labelled, the grid inside; --at: exactly those */
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_faxis_spec sp;
	assert_int_equal(sm_faxis_parse(ctx, "0.1,10", NULL, SM_FAXIS_RATIO, &sp), SM_OK);
	assert_true(sm_faxis_fit(&a, SM_FAXIS_RATIO, &sp, 0.06, 3.6, 1, 0));
	const double xl[] = { 0.1, 0.2, 0.5, 1, 2, 5, 10 };
	expect_ticks(&a, xl, 7, "xlim");
	assert_int_equal(sm_faxis_parse(ctx, NULL, "2, 0.5,1", SM_FAXIS_RATIO, &sp), SM_OK);
	assert_true(sm_faxis_fit(&a, SM_FAXIS_RATIO, &sp, 0.06, 3.6, 1, 0));
	expect_ticks(&a, narrow, 3, "at");
	assert_false(sm_faxis_fit(&a, SM_FAXIS_RATIO, &sp, 0.06, 3.6, 1, 1));
	static const char *const bad_xlim[] = { "2,1", "0,1", "a,b", "1", "1,2,3", "1,", "" };
	for (size_t i = 0; i < sizeof bad_xlim / sizeof bad_xlim[0]; i++) {
		assert_int_equal(sm_faxis_parse(ctx, bad_xlim[i], NULL, SM_FAXIS_RATIO, &sp),
				 SM_EINPUT);
		assert_non_null(strstr(sm_ctx_error(ctx)->msg, "--xlim"));
		sm_ctx_clear_error(ctx);
	}
	assert_int_equal(sm_faxis_parse(ctx, "-1,1", NULL, SM_FAXIS_LINEAR, &sp), SM_OK);
	static const char *const bad_at[] = { "1", "0,1", "1,1", "x" };
	for (size_t i = 0; i < sizeof bad_at / sizeof bad_at[0]; i++) {
		assert_int_equal(sm_faxis_parse(ctx, NULL, bad_at[i], SM_FAXIS_RATIO, &sp),
				 SM_EINPUT);
		assert_non_null(strstr(sm_ctx_error(ctx)->msg, "--at"));
		sm_ctx_clear_error(ctx);
	}
	sm_ctx_free(ctx);
}

/* 17.1 on the page: --xlim, --at, --scale log, and one study with an odds
 * ratio of 2450, which stretched main's axis to 0.0001-10000. */
static void test_axis_options(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_res *res = sm_render_load_res(BCG);
	struct sm_forest_options o = opts_for(NULL);
	o.xlim = "0.1,10";
	struct sm_flayout *l = lay(f, res, &o, 1, 0);
	sm_check_close(l->axis.lo, 0.1, 1e-12, 0, "xlim lo");
	sm_check_close(l->axis.hi, 10, 1e-12, 0, "xlim hi");
	sm_flayout_free(l);
	o.xlim = NULL;
	o.at = "0.25,0.5,1,2";
	l = lay(f, res, &o, 1, 0);
	const double at[] = { 0.25, 0.5, 1, 2 };
	expect_ticks(&l->axis, at, 4, "at");
	sm_flayout_free(l);
	/* the log scale: the analysis-scale values, a linear axis around 0 */
	o.at = NULL;
	o.scale = 1;
	l = lay(f, res, &o, 1, 0);
	assert_false(l->axis.log);
	assert_true(l->axis.lo < 0 && l->axis.hi > 0);
	const struct sm_res_study *s0 = &res->analyses.v[0].studies.v[0];
	const struct sm_frow *r = row_labelled(l, s0->label);
	sm_check_close(r->est, s0->yi, 1e-15, 0, "log RR");
	sm_check_close(r->lb, s0->ci_lb, 1e-15, 0, "log lower");
	assert_string_equal(l->plot->head[SM_COL_EST], "log RR [95% CI]");
	assert_string_equal(l->plot->graph_head, "Log risk ratio");
	sm_flayout_free(l);
	sm_res_free(res);
	/* a proportion has one scale */
	res = sm_render_load_res(PROP);
	struct sm_flayout *bad = NULL;
	struct sm_forest_target t = { .paginate = 1, .page_height = 0, .png_dpi = 0 };
	assert_int_equal(sm_forest_build(f->ctx, res, &o, &t, &bad), SM_EINPUT);
	assert_non_null(strstr(sm_ctx_error(f->ctx)->msg, "--scale log"));
	sm_ctx_clear_error(f->ctx);
	sm_res_free(res);
	/* one far-off study gets an arrow; the axis stays within 0.01..100 */
	cJSON *doc = sm_render_load_json(BCG);
	cJSON *st = cJSON_GetArrayItem(mget(cJSON_GetArrayItem(mget(doc, "analyses"), 0), "studies"),
				      0);
	double yi = log(2450), se = 0.5;
	cJSON_SetNumberValue(mget(st, "yi"), yi);
	cJSON_SetNumberValue(mget(st, "ci_lb"), yi - 1.959963984540054 * se);
	cJSON_SetNumberValue(mget(st, "ci_ub"), yi + 1.959963984540054 * se);
	cJSON *tr = mget(st, "transformed");
	cJSON_SetNumberValue(mget(tr, "yi"), exp(yi));
	cJSON_SetNumberValue(mget(tr, "ci_lb"), exp(yi - 1.959963984540054 * se));
	cJSON_SetNumberValue(mget(tr, "ci_ub"), exp(yi + 1.959963984540054 * se));
	res = sm_render_typed(f, doc);
	l = lay_of(f, res, NULL);
	assert_true(l->axis.hi <= 100 && l->axis.lo >= 0.01);
	for (size_t i = 0; i < l->fig->nitems; i++) {
		const struct sm_fig_item *it = &l->fig->items[i];
		const struct sm_frow *row = it->ref >= 0 ? &l->plot->rows[it->ref] : NULL;
		if (row && row->est > 1000)
			assert_int_not_equal(it->tag, SM_FOREST_SQUARE);
	}
	int arrows = 0;
	for (size_t i = 0; i < l->fig->nitems; i++)
		arrows += l->fig->items[i].tag == SM_FOREST_CI_ARROW &&
			  l->plot->rows[l->fig->items[i].ref].est > 1000;
	assert_int_equal(arrows, 1);
	sm_flayout_free(l);
	sm_res_free(res);
	cJSON_Delete(doc);
}

/* The two favours labels take the same number of lines. */
static void expect_favours_alike(const struct sm_flayout *l)
{
	const struct sm_fig_text *fl = NULL, *fr = NULL;
	for (size_t i = 0; i < l->fig->ntexts; i++)
		if (l->fig->texts[i].tag == SM_FOREST_FAVOURS)
			*(fl ? &fr : &fl) = &l->fig->texts[i];
	assert_non_null(fr);
	sm_check_close(fl->box.y1 - fl->box.y0, fr->box.y1 - fr->box.y0, 0, 0.01, "favours");
}

/* 17.2: the graph's share, one-line labels, cut cells, short labels,
 * favours alike.  Main gave the graph its 30 mm minimum (19% at 175 mm),
 * wrapped long labels into tall rows, labelled the pooled rows "Common
 * effect (inverse variance)" and wrapped one favours label only. */
static void test_layout(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_res *msc = sm_render_load_res(MSC);
	struct sm_forest_options o = opts_for("Cardiac disorders");
	o.columns = "study,label2,weight,effect";
	struct sm_flayout *l = lay(f, msc, &o, 1, 0);
	double inner = l->fig->width - 2 * l->fig->style->margin;
	double graph = l->axis.x1 - l->axis.x0;
	if (!(graph >= 0.33 * inner)) {
		print_error("graph %.1f pt of %.1f (%.0f%%)\n", graph, inner, 100 * graph / inner);
		fail();
	}
	assert_true(has_text(l, "Common effect model"));
	assert_true(has_text(l, "Random effects model"));
	assert_false(has_text(l, "Common effect (inverse variance)"));
	sm_flayout_free(l);
	/* study labels on one line when there is room */
	struct sm_res *bcg = sm_render_load_res(BCG);
	o = opts_for(NULL);
	o.columns = "study,weight,effect";
	l = lay(f, bcg, &o, 1, 0);
	double line = l->role[SM_ROLE_BODY].size * 1.5;
	for (size_t i = 0; i < l->fig->ntexts; i++) {
		const struct sm_fig_text *t = &l->fig->texts[i];
		if (t->tag == SM_FOREST_CELL)
			assert_true(t->box.y1 - t->box.y0 < line);
	}
	expect_favours_alike(l);
	sm_flayout_free(l);
	sm_res_free(bcg);
	/* "Favours MSC" would fit where "Favours Control" wraps: both wrap */
	l = lay_of(f, msc, "Cardiac disorders");
	expect_favours_alike(l);
	sm_flayout_free(l);
	/* a label of 400 characters is cut to two lines with "…" */
	cJSON *doc = sm_render_load_json(BCG);
	cJSON *st = cJSON_GetArrayItem(mget(cJSON_GetArrayItem(mget(doc, "analyses"), 0), "studies"),
				      2);
	char longl[420];
	for (int i = 0; i < 400; i++)
		longl[i] = i % 9 == 8 ? ' ' : 'a' + i % 7;
	longl[400] = 0;
	cJSON_ReplaceItemInObjectCaseSensitive(st, "label", cJSON_CreateString(longl));
	struct sm_res *res = sm_render_typed(f, doc);
	o = opts_for(NULL);
	l = lay(f, res, &o, 1, 0);
	const struct sm_frow *cut = NULL;
	for (size_t i = 0; i < l->plot->nrows; i++)
		if (l->plot->rows[i].cell[SM_COL_LABEL] &&
		    !strncmp(l->plot->rows[i].cell[SM_COL_LABEL], "abcdefg", 7))
			cut = &l->plot->rows[i];
	assert_non_null(cut);
	const char *c = cut->cell[SM_COL_LABEL];
	assert_true(strlen(c) < 400);
	assert_string_equal(c + strlen(c) - strlen(ELLIPSIS), ELLIPSIS);
	for (size_t i = 0; i < l->fig->ntexts; i++)
		if (!strcmp(l->fig->texts[i].text, c))
			assert_true(l->fig->texts[i].box.y1 - l->fig->texts[i].box.y0 <
				    2.6 * l->role[SM_ROLE_BODY].size);
	sm_flayout_free(l);
	sm_res_free(res);
	cJSON_Delete(doc);
	sm_res_free(msc);
}

/* The rows of page p: the plot rows its cell, heading and note texts name. */
static void rows_on_page(const struct sm_flayout *l, int page, size_t *lo, size_t *hi)
{
	*lo = (size_t)-1;
	*hi = 0;
	for (size_t i = 0; i < l->fig->ntexts; i++) {
		const struct sm_fig_text *t = &l->fig->texts[i];
		if (t->page != page || t->ref < 0 ||
		    (t->tag != SM_FOREST_CELL && t->tag != SM_FOREST_HEADING &&
		     t->tag != SM_FOREST_NOTE))
			continue;
		if (t->tag == SM_FOREST_HEADING && strstr(t->text, "(continued)"))
			continue;
		if (l->plot->rows[t->ref].trailing)
			continue;
		*lo = (size_t)t->ref < *lo ? (size_t)t->ref : *lo;
		*hi = (size_t)t->ref > *hi ? (size_t)t->ref : *hi;
	}
}

static int is_study(const struct sm_frow *r)
{
	return r->kind == SM_ROW_STUDY || r->kind == SM_ROW_EXCLUDED;
}

/* 17.3: pages of a subgrouped forest.  Main opened pages with a subgroup's
 * rows and no heading, left pooled rows alone on a page, and said nothing
 * of a page going on. */
static void check_pages_continue(const struct sm_flayout *l)
{
	const struct sm_fplot *p = l->plot;
	int np = l->fig->npages;
	assert_true(np >= 2);
	for (int pg = 0; pg < np; pg++) {
		size_t lo, hi;
		rows_on_page(l, pg, &lo, &hi);
		assert_true(lo <= hi);
		/* the page's subgroup, if it opens inside one */
		size_t h = (size_t)-1;
		for (size_t i = 0; i <= lo; i++) {
			if (p->rows[i].kind == SM_ROW_HEADING)
				h = i;
			if (p->rows[i].kind == SM_ROW_GAP)
				h = (size_t)-1;
		}
		if (pg > 0 && h != (size_t)-1 && h < lo) {
			char *want = sm_asprintf("%s (continued)", p->rows[h].note);
			int seen = 0;
			for (size_t i = 0; i < l->fig->ntexts; i++)
				seen |= l->fig->texts[i].page == pg &&
					!strcmp(l->fig->texts[i].text, want);
			if (!seen) {
				print_error("page %d: no \"%s\"\n", pg + 1, want);
				fail();
			}
			free(want);
		}
		/* a pooled block keeps two of its studies with it */
		for (size_t i = lo; i <= hi; i++) {
			if (p->rows[i].kind != SM_ROW_POOLED || (i > 0 && p->rows[i - 1].kind ==
								 SM_ROW_POOLED))
				continue;
			int with = 0, block = 0;
			for (size_t j = i; j-- > 0 && p->rows[j].kind != SM_ROW_HEADING &&
					   p->rows[j].kind != SM_ROW_GAP;) {
				block += is_study(&p->rows[j]);
				with += is_study(&p->rows[j]) && j >= lo;
			}
			if (with < (block < 2 ? block : 2)) {
				print_error("page %d: pooled row %zu with %d of its studies\n", pg + 1,
					    i, with);
				fail();
			}
		}
		int cont = 0, title = 0;
		for (size_t i = 0; i < l->fig->ntexts; i++) {
			const struct sm_fig_text *t = &l->fig->texts[i];
			if (t->page != pg)
				continue;
			cont += t->tag == SM_FOREST_CONTINUED;
			title += t->tag == SM_FOREST_TITLE && strstr(t->text, "(continued)");
		}
		assert_int_equal(cont, pg < np - 1);
		assert_int_equal(title, pg > 0);
	}
}

static void test_pagination(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_res *res = sm_render_load_res(SIM40);
	for (double h = 300; h <= 700; h += 100) {
		struct sm_forest_options o = opts_for(NULL);
		struct sm_flayout *l = lay(f, res, &o, 1, h);
		check_pages_continue(l);
		sm_flayout_free(l);
		/* a report's figure has no title: "(continued)" alone */
		o.common.title = "";
		l = lay(f, res, &o, 1, h);
		check_pages_continue(l);
		sm_flayout_free(l);
	}
	struct sm_forest_options o = opts_for(NULL);
	char *text = pdf_of(f, res, &o, "sim40.pdf");
	sm_render_expect_text(text, "Continued on the next page");
	free(text);
	sm_res_free(res);
}

/* A forest that starts part way down a report page (env.first_page_height):
 * its first page fits that room, the others the full page, every row is
 * drawn once; a forest that fits the room whole stays one page.  Failed on
 * main before first_page_height: page 0 was as tall as the others. */
static void test_short_first_page(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_res *res = sm_render_load_res(SIM40);
	const struct sm_figure_kind *kind = &sm_figure_forest;
	struct sm_forest_options o = opts_for(NULL);
	o.common.title = "";
	const struct sm_figure_env full = { .format = SM_CANVAS_PDF, .page_height = 600 };
	const struct sm_figure_env part = { .format = SM_CANVAS_PDF, .page_height = 600,
					    .first_page_height = 250 };
	struct sm_fig *a = NULL, *b = NULL;
	expect_ok(f, kind->layout(f->ctx, res, &o, &full, &a));
	expect_ok(f, kind->layout(f->ctx, res, &o, &part, &b));
	assert_true(a->npages >= 2);
	assert_true(sm_fig_page_used(a, 0) > 250);
	assert_true(sm_fig_page_used(b, 0) <= 250 + 0.5);
	for (int p = 1; p < b->npages; p++)
		assert_true(sm_fig_page_used(b, p) <= 600 + 0.5);
	assert_true(b->npages >= a->npages);
	/* the same cells over all pages (each row drawn once) */
	size_t na = 0, nb = 0;
	for (size_t i = 0; i < a->ntexts; i++)
		na += a->texts[i].tag == SM_FOREST_CELL;
	for (size_t i = 0; i < b->ntexts; i++)
		nb += b->texts[i].tag == SM_FOREST_CELL;
	assert_int_equal(na, nb);
	sm_fig_free(a);
	sm_fig_free(b);
	/* one study fits any room whole: one page */
	struct sm_res *one = sm_render_load_res(ONE);
	struct sm_forest_options o1 = opts_for(NULL);
	expect_ok(f, kind->layout(f->ctx, one, &o1, &part, &b));
	assert_int_equal(b->npages, 1);
	sm_fig_free(b);
	sm_res_free(one);
	sm_res_free(res);
}

/* 17.4: --summary-only.  Main centred "MSC" over a column it did not show,
 * on top of "Control". */
static void test_summary_only_header(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_res *res = sm_render_load_res(MSC);
	struct sm_forest_options o = opts_for("Cardiac disorders");
	o.summary_only = 1;
	struct sm_flayout *l = lay(f, res, &o, 1, 0);
	const struct sm_fig_text *msc = NULL, *ctl = NULL;
	for (size_t i = 0; i < l->fig->ntexts; i++) {
		const struct sm_fig_text *t = &l->fig->texts[i];
		if (t->tag == SM_FOREST_HEAD && !strcmp(t->text, "MSC"))
			msc = t;
		if (t->tag == SM_FOREST_HEAD && !strcmp(t->text, "Control"))
			ctl = t;
	}
	assert_non_null(msc);
	assert_non_null(ctl);
	assert_false(sm_box_overlap(&msc->box, &ctl->box));
	assert_true(msc->box.x1 < ctl->box.x0);
	sm_flayout_free(l);
	char *text = pdf_of(f, res, &o, "summary-only.pdf");
	free(text);
	sm_res_free(res);
}

/* Under ASan: fontconfig keeps its configuration until exit. */
/* Default visibility: the build hides symbols, and the sanitizer runtime
 * finds this hook only when it is exported. */
__attribute__((visibility("default"))) const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mh_pools_every_table, sm_render_fx_setup_bare, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_two_weight_columns, sm_render_fx_setup_bare, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_zero_events, sm_render_fx_setup_bare, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_subgroup_forest, sm_render_fx_setup_bare, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_one_study, sm_render_fx_setup_bare, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_default_titles, sm_render_fx_setup_bare, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_unit_of_analysis, sm_render_fx_setup_bare, sm_render_fx_teardown),
		cmocka_unit_test(test_axis_ticks),
		cmocka_unit_test_setup_teardown(test_axis_options, sm_render_fx_setup_bare, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_layout, sm_render_fx_setup_bare, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_pagination, sm_render_fx_setup_bare, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_short_first_page, sm_render_fx_setup_bare,
						sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_summary_only_header, sm_render_fx_setup_bare, sm_render_fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
