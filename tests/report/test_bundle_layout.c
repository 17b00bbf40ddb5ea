/* A bundle draws a one-page figure's PDF, SVG and PNG from one layout and
 * a paged one's PDF from a layout of its own (sm_bundle.c): either way
 * every figure file is byte for byte what `safemeta render` writes of
 * that figure alone, for every figure the kinds plan for a review. */
#include "sm_render_test.h"

#include "sm_buf.h"
#include "sm_bundle.h"
#include "sm_figure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DPI 36

static char *slurp(const char *path, size_t *len)
{
	char *data = NULL;
	*len = 0;
	if (sm_read_file(path, 0, &data, len) != 0) {
		print_error("cannot read %s\n", path);
		fail();
	}
	return data;
}

static void same_bytes(const char *a, const char *b)
{
	size_t na, nb;
	char *x = slurp(a, &na), *y = slurp(b, &nb);
	if (na != nb || memcmp(x, y, na)) {
		print_error("%s (%zu bytes) differs from %s (%zu bytes)\n", a, na, b, nb);
		fail();
	}
	free(x);
	free(y);
}

/* The figure `job` alone, as `render` draws it, to DIR/solo.EXT. */
static char *render_alone(struct sm_render_fx *f, const struct sm_res *res,
			  const struct sm_figure_job *job, const char *ext)
{
	const struct sm_figure_kind *kind = job->kind;
	void *o = sm_figure_opts_new(f->ctx, kind);
	assert_non_null(o);
	((struct sm_figure_common *)o)->dpi = DPI;
	if (job->arg && kind->positional)
		sm_render_expect_ok(f, sm_figure_opts_set(f->ctx, kind, o,
							  sm_figure_opt(kind, kind->positional),
							  job->arg));
	char *path = sm_asprintf("%s/solo.%s", f->dir, ext);
	sm_render_expect_ok(f, sm_figure_render(f->ctx, kind, res, o, path));
	sm_figure_opts_free(o);
	return path;
}

static void check_review(struct sm_render_fx *f, const cJSON *doc, const struct sm_res *res)
{
	char *dir = sm_asprintf("%s/b", f->dir);
	struct sm_bundle_opts o;
	sm_bundle_opts_init(&o);
	o.dpi = DPI;
	o.threads = 2;
	o.report = 0;
	sm_render_expect_ok(f, sm_bundle_write(f->ctx, doc, dir, &o));
	size_t nk, one_page = 0, paged = 0;
	const struct sm_figure_kind *const *kinds = sm_figure_kinds(&nk);
	struct sm_figure_plan plan = { 0 };
	for (size_t k = 0; k < nk; k++)
		if (kinds[k]->plan)
			sm_render_expect_ok(f, kinds[k]->plan(f->ctx, res, &plan));
	for (size_t i = 0; i < plan.n; i++) {
		const struct sm_figure_job *job = &plan.jobs[i];
		/* the PNG's bytes are the SVG's layout drawn at the bundle's
		 * dpi with fitting (render_fit), not a plain render: pixels
		 * are covered by the reference-image tests */
		for (int e = 0; e < 2; e++) {
			const char *ext = e ? "svg" : "pdf";
			char *solo = render_alone(f, res, job, ext);
			char *in = sm_asprintf("%s/figures/%s.%s", dir, job->base, ext);
			same_bytes(in, solo);
			free(in);
			free(solo);
		}
		if (job->kind->paged)
			paged++;
		else
			one_page++;
	}
	/* both paths were taken */
	assert_true(one_page >= 4);
	assert_true(paged >= 2);
	sm_figure_plan_release(&plan);
	free(dir);
}

static void msc_figures_match_render(void **state)
{
	struct sm_render_fx *f = *state;
	check_review(f, f->msc, f->rmsc);
}

static void sae_figures_match_render(void **state)
{
	struct sm_render_fx *f = *state;
	check_review(f, f->sae, f->rsae);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(msc_figures_match_render, sm_render_fx_setup,
						sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(sae_figures_match_render, sm_render_fx_setup,
						sm_render_fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
