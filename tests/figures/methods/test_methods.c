/* The method forest (sm_methods.h) of the MSC review's domains: one row
 * per rare-event method of the analysis's measure, squares of one size at
 * the results' estimates and intervals at their bounds on one log axis,
 * the numbers as the results hold them, the footnote's k, the plan, and the
 * bad requests. */
#include "sm_render_test.h"

#include "sm_buf.h"
#include "sm_methods.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static sm_status lay(struct sm_ctx *ctx, const struct sm_res *r, const char *analysis,
		     const char *width, struct sm_fig **fig)
{
	struct sm_methods_options o;
	sm_figure_methods.opts_init(&o);
	o.common.analysis = analysis;
	o.common.width = width;
	const struct sm_figure_env env = { .format = SM_CANVAS_PNG, .page_height = 0, .max_width = 0 };
	*fig = NULL;
	return sm_figure_methods.layout(ctx, r, &o, &env, fig);
}

static const struct sm_fig_item *item(const struct sm_fig *f, int tag, int ref)
{
	for (size_t i = 0; i < f->nitems; i++)
		if (f->items[i].tag == tag && f->items[i].ref == ref)
			return &f->items[i];
	return NULL;
}

static size_t count(const struct sm_fig *f, int tag)
{
	size_t n = 0;
	for (size_t i = 0; i < f->nitems; i++)
		n += f->items[i].tag == tag;
	return n;
}

static int has_text(const struct sm_fig *f, int tag, int ref, const char *s)
{
	for (size_t i = 0; i < f->ntexts; i++)
		if (f->texts[i].tag == tag && f->texts[i].ref == ref && strstr(f->texts[i].text, s))
			return 1;
	return 0;
}

static void rows_at_results(struct sm_render_fx *f, const struct sm_res_analysis *a,
			    const char *width)
{
	struct sm_fig *fig;
	sm_render_expect_ok(f, lay(f->ctx, f->rmsc, a->name, width, &fig));
	const struct sm_res_rare *r = &a->rare_events;
	size_t rows = 0, first = SIZE_MAX, last = 0;
	for (size_t i = 0; i < r->methods.n; i++)
		if (!strcmp(r->methods.v[i].measure, a->measure)) {
			rows++;
			first = first == SIZE_MAX ? i : first;
			last = i;
		}
	assert_true(rows >= 5); /* IV, MH, Peto, GLMM UM.FS, CM.EL */
	assert_int_equal(count(fig, SM_MT_SQUARE), rows);
	assert_int_equal(count(fig, SM_MT_CI), rows);
	/* page x = c + d log(value), fitted through the first and last rows'
	 * estimates; every bound and estimate lies on it */
	const struct sm_fig_item *s0 = item(fig, SM_MT_SQUARE, (int)first);
	const struct sm_fig_item *s1 = item(fig, SM_MT_SQUARE, (int)last);
	double e0 = log(r->methods.v[first].estimate), e1 = log(r->methods.v[last].estimate);
	double d = ((s1->x0 + s1->x1) - (s0->x0 + s0->x1)) / 2 / (e1 - e0);
	double c = (s0->x0 + s0->x1) / 2 - d * e0;
	double side = s0->x1 - s0->x0;
	for (size_t i = 0; i < r->methods.n; i++) {
		const struct sm_res_rare_method *m = &r->methods.v[i];
		if (strcmp(m->measure, a->measure))
			continue;
		const struct sm_fig_item *sq = item(fig, SM_MT_SQUARE, (int)i);
		const struct sm_fig_item *ci = item(fig, SM_MT_CI, (int)i);
		assert_non_null(sq);
		assert_non_null(ci);
		assert_true(fabs((sq->x1 - sq->x0) - side) < 1e-9); /* equal sizes */
		assert_true(fabs((sq->x0 + sq->x1) / 2 - (c + d * log(m->estimate))) < 1e-6);
		assert_true(fabs(ci->x0 - (c + d * log(m->ci_lb))) < 1e-6);
		assert_true(fabs(ci->x1 - (c + d * log(m->ci_ub))) < 1e-6);
		char *num = sm_asprintf("%.2f [%.2f, %.2f]", m->estimate, m->ci_lb, m->ci_ub);
		assert_true(has_text(fig, SM_MT_NUMBERS, (int)i, num));
		free(num);
		char *k = sm_asprintf("k = %.0f", m->k_used);
		assert_true(has_text(fig, SM_MT_NUMBERS, (int)i, k));
		free(k);
	}
	/* the null line at 1 */
	const struct sm_fig_item *nl = item(fig, SM_MT_NULL, -1);
	assert_non_null(nl);
	assert_true(fabs(nl->x0 - c) < 1e-6);
	char *foot = sm_asprintf("k = %.0f studies, %.0f with no event in either arm", r->k,
				 r->k_double_zero);
	assert_true(has_text(fig, SM_MT_FOOT, -1, foot));
	free(foot);
	/* texts inside the page, none smaller than the small role, none overlapping */
	struct sm_tstyle small = sm_fig_role(fig, SM_FR_SMALL);
	struct sm_box page = { 0, 0, fig->width, fig->height };
	for (size_t i = 0; i < fig->ntexts; i++) {
		assert_true(fig->texts[i].st.size >= small.size - 1e-9);
		assert_true(sm_render_inside(&fig->texts[i].box, &page));
		for (size_t j = i + 1; j < fig->ntexts; j++)
			assert_false(sm_box_overlap(&fig->texts[i].box, &fig->texts[j].box));
	}
	sm_fig_free(fig);
}

static void every_domain(void **state)
{
	struct sm_render_fx *f = *state;
	const char *widths[] = { "85mm", "120mm", "175mm" };
	for (size_t i = 0; i < f->rmsc->analyses.n; i++)
		if (f->rmsc->analyses.v[i].rare_events.present)
			rows_at_results(f, &f->rmsc->analyses.v[i], widths[i % 3]);
}

static void plan_and_errors(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_figure_plan p = { 0 };
	sm_render_expect_ok(f, sm_figure_methods.plan(f->ctx, f->rmsc, &p));
	size_t want = 0;
	for (size_t i = 0; i < f->rmsc->analyses.n; i++)
		want += f->rmsc->analyses.v[i].rare_events.present;
	assert_true(want > 0);
	assert_int_equal(p.n, want);
	assert_true(!strncmp(p.jobs[0].base, "methods-", 8));
	sm_figure_plan_release(&p);
	struct sm_fig *fig;
	sm_render_expect_fail(f, lay(f->ctx, f->rmsc, "nope", NULL, &fig),
			      "no analysis named 'nope'");
	/* dat.bcg without its rare_events block */
	cJSON *doc = sm_render_load_json("tests/fixtures/render/sens-bcg.results.json");
	cJSON *a0 = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "analyses"), 0);
	assert_non_null(cJSON_GetObjectItem(a0, "rare_events"));
	cJSON_DeleteItemFromObject(a0, "rare_events");
	struct sm_res *bcg = sm_render_typed(f, doc);
	sm_render_expect_fail(f, lay(f->ctx, bcg, "all", NULL, &fig),
			      "analysis 'all' has no rare_events block");
	sm_render_expect_fail(f, lay(f->ctx, bcg, NULL, NULL, &fig),
			      "no analysis of these results compares rare-event methods");
	struct sm_figure_plan q = { 0 };
	sm_render_expect_ok(f, sm_figure_methods.plan(f->ctx, bcg, &q));
	assert_int_equal(q.n, 0);
	sm_figure_plan_release(&q);
	sm_res_free(bcg);
	cJSON_Delete(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(every_domain, sm_render_fx_setup,
						sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(plan_and_errors, sm_render_fx_setup,
						sm_render_fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
