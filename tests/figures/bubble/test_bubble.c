/* The bubble plot of a meta-regression (sm_bubble.h) of dat.bcg on ablat
 * (RR, REML): one bubble per study, areas in proportion to the weights,
 * the fitted line ending where the results' coefficients put it (hand
 * check: exp(b0 + b1 x) at the line's ends, read back through the drawn
 * tick labels), texts at least the style's minimum, and the bad requests
 * fail with what was expected. */
#include "sm_render_test.h"

#include "sm_bubble.h"

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

static sm_status lay(struct sm_ctx *ctx, const struct sm_res *r, const char *analysis,
		     const char *moderator, const char *width, struct sm_fig **fig)
{
	struct sm_bubble_options o;
	sm_figure_bubble.opts_init(&o);
	o.common.analysis = analysis;
	o.common.width = width;
	o.moderator = moderator;
	const struct sm_figure_env env = { .format = SM_CANVAS_PNG, .page_height = 0, .max_width = 0 };
	return sm_figure_bubble.layout(ctx, r, &o, &env, fig);
}

/* The page coordinate (x or y) of the centre of tick label `text` of axis
 * `axis` (0 x, 1 y). */
static double tick_at(const struct sm_fig *f, int axis, const char *text)
{
	for (size_t i = 0; i < f->ntexts; i++)
		if (f->texts[i].tag == SM_BUBBLE_TICK && f->texts[i].ref == axis &&
		    !strcmp(f->texts[i].text, text))
			return axis == 0 ? (f->texts[i].box.x0 + f->texts[i].box.x1) / 2
					 : (f->texts[i].box.y0 + f->texts[i].box.y1) / 2;
	fail_msg("no tick label '%s' on axis %d", text, axis);
	return NAN;
}

static const struct sm_fig_item *item(const struct sm_fig *f, int tag)
{
	for (size_t i = 0; i < f->nitems; i++)
		if (f->items[i].tag == tag)
			return &f->items[i];
	fail_msg("no item of tag %d", tag);
	return NULL;
}

static void points_and_line(void **state)
{
	(void)state;
	struct sm_ctx *ctx = new_ctx();
	struct sm_res *r = sm_render_load_res(FIXTURE);
	const struct sm_res_metareg *mr = &r->analyses.v[0].meta_regression;
	assert_true(mr->present && mr->coefficients.n == 2 && mr->bubble.n == 1);
	const char *widths[] = { "85mm", "120mm", "175mm" };
	for (size_t w = 0; w < 3; w++) {
		struct sm_fig *f = NULL;
		assert_int_equal(lay(ctx, r, NULL, NULL, widths[w], &f), SM_OK);
		/* one bubble per study, radius ~ sqrt(weight) */
		size_t n = 0, big = 0;
		for (size_t i = 0; i < f->nitems; i++)
			if (f->items[i].tag == SM_BUBBLE_POINT) {
				n++;
				big = f->items[i].r > f->items[big].r ? i : big;
			}
		assert_int_equal(n, mr->studies.n);
		for (size_t i = 0; i < f->nitems; i++)
			if (f->items[i].tag == SM_BUBBLE_POINT) {
				double ratio = f->items[i].r / f->items[big].r;
				double wr = mr->studies.v[f->items[i].ref].weight /
					    mr->studies.v[f->items[big].ref].weight;
				assert_true(fabs(ratio * ratio - wr) < 1e-9 || f->items[i].r == 1.0);
			}
		/* the line's ends at exp(b0 + b1 x), through the ticks 0.5, 1
		 * (y) and 10, 20 (x); the labels' centres are within 0.05 pt of
		 * their tick marks */
		double y1 = tick_at(f, 1, "1"), y05 = tick_at(f, 1, "0.5");
		double x10 = tick_at(f, 0, "10"), x20 = tick_at(f, 0, "20");
		const struct sm_fig_item *ln = item(f, SM_BUBBLE_LINE);
		const struct sm_res_line *rl = &mr->bubble.v[0].line;
		double b0 = mr->coefficients.v[0].estimate, b1 = mr->coefficients.v[1].estimate;
		size_t ends[2] = { 0, rl->x.n - 1 };
		assert_int_equal(ln->npts, rl->x.n);
		for (int e = 0; e < 2; e++) {
			double x = rl->x.v[ends[e]], fit = b0 + b1 * x;
			assert_true(fabs(rl->estimate.v[ends[e]] - fit) < 1e-9 * fabs(fit) + 1e-12);
			double want_y = y1 + (fit - log(1)) / (log(0.5) - log(1)) * (y05 - y1);
			double want_x = x10 + (x - 10) / 10 * (x20 - x10);
			assert_true(fabs(ln->pts[2 * ends[e]] - want_x) < 0.05);
			assert_true(fabs(ln->pts[2 * ends[e] + 1] - want_y) < 0.05);
		}
		/* the band holds the line */
		assert_int_equal(item(f, SM_BUBBLE_BAND)->npts, 2 * rl->x.n);
		int caption = 0;
		for (size_t i = 0; i < f->ntexts; i++) {
			assert_true(f->texts[i].st.size >= f->style->min_size);
			caption |= f->texts[i].tag == SM_BUBBLE_CAPTION &&
				   strstr(f->texts[i].text, "QM = 16.36") &&
				   strstr(f->texts[i].text, "R\xc2\xb2 = 75.6%");
		}
		assert_true(caption);
		sm_fig_free(f);
	}
	sm_res_free(r);
	sm_ctx_free(ctx);
}

static void errors(void **state)
{
	(void)state;
	struct sm_ctx *ctx = new_ctx();
	struct sm_res *msc = sm_render_load_res("tests/fixtures/render/sens-msc.results.json");
	struct sm_fig *f = NULL;
	const char *name = msc->analyses.v[0].name;
	assert_int_equal(lay(ctx, msc, name, NULL, NULL, &f), SM_EINPUT);
	assert_null(f);
	assert_non_null(strstr(sm_ctx_error(ctx)->msg, name));
	assert_non_null(strstr(sm_ctx_error(ctx)->msg, "analyze --mods"));
	sm_ctx_free(ctx);
	ctx = new_ctx();
	struct sm_res *bcg = sm_render_load_res(FIXTURE);
	assert_int_equal(lay(ctx, bcg, NULL, "year", NULL, &f), SM_EINPUT);
	assert_non_null(strstr(sm_ctx_error(ctx)->msg, "\"year\""));
	sm_res_free(bcg);
	sm_res_free(msc);
	sm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(points_and_line),
		cmocka_unit_test(errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
