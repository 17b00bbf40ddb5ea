/* Leave-one-out and cumulative forests (sm_refit.h; both kinds, the cumulative one links the leave-one-out one) of dat.bcg (RR, REML):
 * one row per study, the values drawn are the results' refits, the
 * reference line stands at the pooled estimate, the cumulative rows follow
 * analyses[].cumul_order, and the bad requests fail with what was expected. */
#include "sm_render_test.h"

#include "sm_buf.h"
#include "sm_cumulative.h"
#include "sm_forest.h"
#include "sm_leave1out.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FIXTURE "tests/fixtures/render/sens-bcg.results.json"

static struct sm_ctx *new_ctx(void)
{
	struct sm_ctx *ctx = sm_ctx_new();
	sm_ctx_set_home(ctx, getenv("SAFEMETA_HOME") ? getenv("SAFEMETA_HOME") : ".");
	return ctx;
}

static struct sm_fig *lay(struct sm_ctx *ctx, const struct sm_figure_kind *kind,
			  const struct sm_res *r, const char *width)
{
	struct sm_refit_options o;
	kind->opts_init(&o);
	o.common.width = width;
	const struct sm_figure_env env = { .format = SM_CANVAS_PNG, .page_height = 0, .max_width = 0 };
	struct sm_fig *fig = NULL;
	sm_status s = kind->layout(ctx, r, &o, &env, &fig);
	if (s != SM_OK)
		print_error("%s\n", sm_ctx_error(ctx)->msg);
	assert_int_equal(s, SM_OK);
	return fig;
}

/* Texts of tag SM_FOREST_CELL whose row is `row`, joined. */
static int has_cell(const struct sm_fig *f, int row, const char *text)
{
	for (size_t i = 0; i < f->ntexts; i++)
		if (f->texts[i].tag == SM_FOREST_CELL && f->texts[i].ref == row &&
		    !strcmp(f->texts[i].text, text))
			return 1;
	return 0;
}

static size_t count_items(const struct sm_fig *f, int tag)
{
	size_t n = 0;
	for (size_t i = 0; i < f->nitems; i++)
		n += f->items[i].tag == tag;
	return n;
}

static const struct sm_fig_item *item(const struct sm_fig *f, int tag, int ref)
{
	for (size_t i = 0; i < f->nitems; i++)
		if (f->items[i].tag == tag && (ref < 0 || f->items[i].ref == ref))
			return &f->items[i];
	return NULL;
}

static void leave1out_rows(void **state)
{
	(void)state;
	struct sm_ctx *ctx = new_ctx();
	struct sm_res *r = sm_render_load_res(FIXTURE);
	const struct sm_res_analysis *a = &r->analyses.v[0];
	assert_int_equal(a->studies.n, 13);
	struct sm_fig *f = lay(ctx, &sm_figure_leave1out, r, "175mm");
	/* 13 squares, one diamond, one reference line */
	assert_int_equal(count_items(f, SM_FOREST_SQUARE), 13);
	assert_int_equal(count_items(f, SM_FOREST_DIAMOND), 1);
	assert_int_equal(count_items(f, SM_FOREST_REF), 1);
	for (size_t i = 0; i < a->studies.n; i++) {
		const struct sm_res_study *s = &a->studies.v[i];
		char *label = sm_asprintf("Omitting %s", s->label);
		assert_true(has_cell(f, (int)i, label));
		free(label);
		char *est = sm_asprintf("%.2f", s->loo.transformed.estimate);
		assert_true(has_cell(f, (int)i, est));
		free(est);
	}
	/* the squares' order on the axis is the order of the refits' estimates,
	 * and the reference line lies where the pooled estimate does: between
	 * the squares of refits below and above it */
	const struct sm_fig_item *ref = item(f, SM_FOREST_REF, -1);
	for (size_t i = 0; i < a->studies.n; i++) {
		const struct sm_fig_item *sq = item(f, SM_FOREST_SQUARE, (int)i);
		assert_non_null(sq);
		double cx = (sq->x0 + sq->x1) / 2;
		double e = a->studies.v[i].loo.transformed.estimate, p = a->transformed.estimate;
		if (e < p - 1e-3)
			assert_true(cx < ref->x0);
		if (e > p + 1e-3)
			assert_true(cx > ref->x0);
		for (size_t j = 0; j < a->studies.n; j++) {
			const struct sm_fig_item *sj = item(f, SM_FOREST_SQUARE, (int)j);
			double ej = a->studies.v[j].loo.transformed.estimate;
			if (ej > e + 1e-9)
				assert_true((sj->x0 + sj->x1) / 2 > cx);
		}
	}
	char *pooled = sm_asprintf("%.2f", a->transformed.estimate);
	assert_true(has_cell(f, 13, pooled));
	free(pooled);
	sm_fig_free(f);
	/* narrow: the tau² and I² columns go, "Omitting" too, nothing else */
	f = lay(ctx, &sm_figure_leave1out, r, "85mm");
	assert_int_equal(count_items(f, SM_FOREST_SQUARE), 13);
	assert_true(has_cell(f, 0, a->studies.v[0].label));
	sm_fig_free(f);
	sm_res_free(r);
	sm_ctx_free(ctx);
}

static void cumulative_rows(void **state)
{
	(void)state;
	struct sm_ctx *ctx = new_ctx();
	struct sm_res *r = sm_render_load_res(FIXTURE);
	const struct sm_res_analysis *a = &r->analyses.v[0];
	assert_string_equal(a->cumul_order.by, "year");
	assert_int_equal(a->cumul_order.studies.n, 13);
	struct sm_fig *f = lay(ctx, &sm_figure_cumulative, r, "175mm");
	assert_int_equal(count_items(f, SM_FOREST_SQUARE), 13);
	assert_int_equal(count_items(f, SM_FOREST_DIAMOND), 0);
	assert_int_equal(count_items(f, SM_FOREST_REF), 1);
	double last_year = 0;
	for (size_t i = 0; i < 13; i++) {
		const struct sm_res_study *s = &a->studies.v[(size_t)a->cumul_order.studies.v[i]];
		assert_true(has_cell(f, (int)i, s->label));
		char *k = sm_asprintf("%zu", i + 1);
		assert_true(has_cell(f, (int)i, k));
		free(k);
		char *est = sm_asprintf("%.2f", s->cumul.transformed.estimate);
		assert_true(has_cell(f, (int)i, est));
		free(est);
		assert_true(s->year >= last_year); /* by year */
		last_year = s->year;
	}
	/* the last row is all studies: its estimate is the pooled one */
	const struct sm_res_study *last = &a->studies.v[(size_t)a->cumul_order.studies.v[12]];
	assert_true(fabs(last->cumul.estimate - a->estimate) < 1e-9 * fabs(a->estimate));
	sm_fig_free(f);
	sm_res_free(r);
	sm_ctx_free(ctx);
}

static void errors(void **state)
{
	(void)state;
	struct sm_ctx *ctx = new_ctx();
	struct sm_res *r = sm_render_load_res(FIXTURE);
	struct sm_refit_options o;
	sm_figure_leave1out.opts_init(&o);
	o.common.analysis = "nothing";
	const struct sm_figure_env env = { .format = SM_CANVAS_PNG, .page_height = 0, .max_width = 0 };
	struct sm_fig *fig = NULL;
	assert_int_equal(sm_figure_leave1out.layout(ctx, r, &o, &env, &fig), SM_EINPUT);
	assert_null(fig);
	assert_non_null(strstr(sm_ctx_error(ctx)->msg, "no analysis named \"nothing\""));
	sm_ctx_clear_error(ctx);
	/* results without the refits' display values (an older analyze) */
	struct sm_res *old = sm_render_load_res("tests/fixtures/render/bcg-rr-reml-older.results.json");
	o.common.analysis = NULL;
	assert_int_equal(sm_figure_cumulative.layout(ctx, old, &o, &env, &fig), SM_EINPUT);
	assert_non_null(strstr(sm_ctx_error(ctx)->msg, "run it again"));
	/* the bundle plans figures only where the data are */
	struct sm_figure_plan p = { 0 };
	assert_int_equal(sm_figure_leave1out.plan(ctx, old, &p), SM_OK);
	assert_int_equal(p.n, 0);
	assert_int_equal(sm_figure_leave1out.plan(ctx, r, &p), SM_OK);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.jobs[0].base, "leave1out-all");
	sm_figure_plan_release(&p);
	sm_res_free(old);
	sm_res_free(r);
	sm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(leave1out_rows),
		cmocka_unit_test(cumulative_rows),
		cmocka_unit_test(errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
