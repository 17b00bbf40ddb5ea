/* The meta-regression bubble plot (sm_bubble.h) of dat.bcg (RR, REML,
 * mods = ~ ablat): one circle per study at its moderator value and risk
 * ratio with area proportional to its weight, the fitted line where the
 * results' coefficients put it, the band at the results' CI bounds, the
 * caption's model test, the plan, and the bad requests. */
#include "sm_render_test.h"

#include "sm_bubble.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FIXTURE "tests/fixtures/render/sens-bcg.results.json"
#define NO_MR "tests/fixtures/render/bcg-rr-reml.results.json"

static sm_status lay(struct sm_ctx *ctx, const struct sm_res *r, const char *analysis,
		     const char *mod, const char *width, struct sm_fig **fig)
{
	struct sm_bubble_options o;
	sm_figure_bubble.opts_init(&o);
	o.common.analysis = analysis;
	o.common.width = width;
	o.moderator = mod;
	const struct sm_figure_env env = { .format = SM_CANVAS_PNG, .page_height = 0, .max_width = 0 };
	*fig = NULL;
	return sm_figure_bubble.layout(ctx, r, &o, &env, fig);
}

static const struct sm_fig_item *point(const struct sm_fig *f, size_t study)
{
	for (size_t i = 0; i < f->nitems; i++)
		if (f->items[i].tag == SM_BB_POINT && f->items[i].ref == (int)study)
			return &f->items[i];
	return NULL;
}

static const struct sm_fig_item *first(const struct sm_fig *f, int tag)
{
	for (size_t i = 0; i < f->nitems; i++)
		if (f->items[i].tag == tag)
			return &f->items[i];
	return NULL;
}

static double ablat(const struct sm_res_mr_study *s)
{
	for (size_t j = 0; j < s->moderators.n; j++)
		if (!strcmp(s->moderators.v[j].key, "ablat"))
			return s->moderators.v[j].value.v;
	return NAN;
}

/* Page position = a + b * value, fitted through two studies' circles. */
struct map {
	double ax, bx, ay, by;
};

static struct map page_map(const struct sm_fig *f, const struct sm_res_metareg *m, size_t i,
			   size_t j)
{
	const struct sm_fig_item *p = point(f, i), *q = point(f, j);
	double xi = ablat(&m->studies.v[i]), xj = ablat(&m->studies.v[j]);
	double yi = m->studies.v[i].yi, yj = m->studies.v[j].yi; /* log RR: the log axis */
	struct map mp;
	mp.bx = (q->x0 - p->x0) / (xj - xi);
	mp.ax = p->x0 - mp.bx * xi;
	mp.by = (q->y0 - p->y0) / (yj - yi);
	mp.ay = p->y0 - mp.by * yi;
	return mp;
}

static void points_line_band(void **state)
{
	struct sm_render_fx *f = *state;
	const struct sm_res_analysis *a = &f->rdoc->analyses.v[0];
	const struct sm_res_metareg *m = &a->meta_regression;
	struct sm_fig *fig;
	sm_render_expect_ok(f, lay(f->ctx, f->rdoc, NULL, NULL, "120mm", &fig));
	/* one circle per study, area proportional to weight */
	assert_int_equal(m->studies.n, 13);
	size_t heaviest = 0;
	for (size_t i = 0; i < m->studies.n; i++) {
		assert_non_null(point(fig, i));
		if (m->studies.v[i].weight > m->studies.v[heaviest].weight)
			heaviest = i;
	}
	const struct sm_fig_item *h = point(fig, heaviest);
	for (size_t i = 0; i < m->studies.n; i++) {
		const struct sm_fig_item *p = point(fig, i);
		double area = p->r * p->r / (h->r * h->r);
		if (p->r > 1.2 + 1e-9)
			assert_true(fabs(area - m->studies.v[i].weight / m->studies.v[heaviest].weight)
				    < 1e-9);
	}
	/* the axes are linear in the moderator and in log RR: every circle
	 * lies on the map two of them give */
	size_t lo = 0, hi = 0;
	for (size_t i = 0; i < m->studies.n; i++) {
		if (ablat(&m->studies.v[i]) < ablat(&m->studies.v[lo]))
			lo = i;
		if (m->studies.v[i].yi > m->studies.v[hi].yi)
			hi = i;
	}
	struct map mp = page_map(fig, m, lo, hi);
	for (size_t i = 0; i < m->studies.n; i++) {
		const struct sm_fig_item *p = point(fig, i);
		assert_true(fabs(p->x0 - (mp.ax + mp.bx * ablat(&m->studies.v[i]))) < 1e-6);
		assert_true(fabs(p->y0 - (mp.ay + mp.by * m->studies.v[i].yi)) < 1e-6);
	}
	/* the line's ends: intercept + slope * x of the results' coefficients */
	assert_int_equal(m->coefficients.n, 2);
	assert_string_equal(m->coefficients.v[1].name, "ablat");
	double b0 = m->coefficients.v[0].estimate, b1 = m->coefficients.v[1].estimate;
	const struct sm_res_bubble *b = &m->bubble.v[0];
	size_t n = b->line.x.n;
	const struct sm_fig_item *ln = first(fig, SM_BB_LINE);
	assert_non_null(ln);
	assert_int_equal(ln->npts, n);
	size_t ends[2] = { 0, n - 1 };
	for (int e = 0; e < 2; e++) {
		double x = b->line.x.v[ends[e]], fit = b0 + b1 * x;
		assert_true(fabs(b->line.estimate.v[ends[e]] - fit) < 1e-9);
		assert_true(fabs(ln->pts[2 * ends[e]] - (mp.ax + mp.bx * x)) < 1e-6);
		assert_true(fabs(ln->pts[2 * ends[e] + 1] - (mp.ay + mp.by * fit)) < 1e-6);
	}
	/* the band: upper bounds left to right, then lower bounds back */
	const struct sm_fig_item *band = first(fig, SM_BB_BAND);
	assert_non_null(band);
	assert_int_equal(band->npts, 2 * n);
	for (size_t i = 0; i < n; i++) {
		assert_true(fabs(band->pts[2 * i + 1] - (mp.ay + mp.by * b->line.ci_ub.v[i])) < 1e-6);
		size_t k = 2 * n - 1 - i;
		assert_true(fabs(band->pts[2 * k + 1] - (mp.ay + mp.by * b->line.ci_lb.v[i])) < 1e-6);
	}
	/* texts inside the page, none below the small role */
	struct sm_tstyle small = sm_fig_role(fig, SM_FR_SMALL);
	struct sm_box page = { 0, 0, fig->width, fig->height };
	int caption = 0;
	for (size_t i = 0; i < fig->ntexts; i++) {
		assert_true(fig->texts[i].st.size >= small.size - 1e-9);
		assert_true(sm_render_inside(&fig->texts[i].box, &page));
		if (fig->texts[i].tag == SM_BB_CAPTION) {
			caption = 1;
			sm_render_expect_text(fig->texts[i].text, "QM = 16.36 (df = 1), P < 0.001");
			sm_render_expect_text(fig->texts[i].text, "R\xc2\xb2 = 75.6%");
			sm_render_expect_text(fig->texts[i].text, "Other moderators held at: none");
		}
	}
	assert_true(caption);
	sm_fig_free(fig);
}

static void narrow_and_wide(void **state)
{
	struct sm_render_fx *f = *state;
	const char *widths[] = { "85mm", "175mm" };
	for (int w = 0; w < 2; w++) {
		struct sm_fig *fig;
		sm_render_expect_ok(f, lay(f->ctx, f->rdoc, "all", "ablat", widths[w], &fig));
		for (size_t i = 0; i < fig->ntexts; i++)
			for (size_t j = i + 1; j < fig->ntexts; j++)
				assert_false(sm_box_overlap(&fig->texts[i].box, &fig->texts[j].box));
		sm_fig_free(fig);
	}
}

static void plan_and_errors(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_figure_plan p = { 0 };
	sm_render_expect_ok(f, sm_figure_bubble.plan(f->ctx, f->rdoc, &p));
	assert_int_equal(p.n, 1);
	assert_string_equal(p.jobs[0].base, "bubble-all");
	assert_string_equal(p.jobs[0].arg, "all");
	sm_figure_plan_release(&p);
	struct sm_res *none = sm_render_load_res(NO_MR);
	struct sm_figure_plan q = { 0 };
	sm_render_expect_ok(f, sm_figure_bubble.plan(f->ctx, none, &q));
	assert_int_equal(q.n, 0);
	sm_figure_plan_release(&q);
	struct sm_fig *fig;
	sm_render_expect_fail(f, lay(f->ctx, none, "all", NULL, NULL, &fig),
			      "analysis 'all' has no meta-regression");
	sm_render_expect_fail(f, lay(f->ctx, none, NULL, NULL, NULL, &fig), "analyze --mods");
	sm_render_expect_fail(f, lay(f->ctx, f->rdoc, "all", "year", NULL, &fig),
			      "no bubble plot for moderator 'year'");
	sm_render_expect_fail(f, lay(f->ctx, f->rdoc, "nope", NULL, NULL, &fig),
			      "no analysis named 'nope'");
	sm_res_free(none);
}

static int setup(void **state)
{
	return sm_render_fx_setup_doc(state, FIXTURE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(points_line_band, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(narrow_and_wide, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(plan_and_errors, setup, sm_render_fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
