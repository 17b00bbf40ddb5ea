/* The library's own entry points (src/api/safemeta.h): values by path
 * through the key table, options by name, figures by kind to a file or a
 * write function, the bundle, and the errors of each. */
#include "sm_render_test.h"

#include "safemeta.h"
#include "sm_res.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_values_by_path(void **state)
{
	struct sm_render_fx *f = *state;
	const struct sm_res *r = f->rmsc;
	const struct sm_res_analysis *a = &r->analyses.v[1];
	assert_true(sm_res_number(r, "analyses[1].estimate") == a->estimate);
	assert_true(sm_res_number(r, "analyses[1].k") == a->k);
	assert_true(sm_res_number(r, "analyses[1].transformed.ci_lb") == a->transformed.ci_lb);
	assert_true(sm_res_number(r, "analyses[1].studies[1].yi") == a->studies.v[1].yi);
	assert_true(sm_res_number(r, "analyses[1].tau2_ci[1]") == a->tau2_ci[1]);
	assert_string_equal(sm_res_string(r, "analyses[1].name"), a->name);
	assert_string_equal(sm_res_string(r, "analyses[1].studies[1].label"),
			    a->studies.v[1].label);
	assert_int_equal(sm_res_count(r, "analyses"), r->analyses.n);
	assert_int_equal(sm_res_count(r, "analyses[1].studies"), a->studies.n);
	assert_true(sm_res_count(r, "analyses") > 10);
	/* a pair of the crude incidence, a boolean read as 0/1 */
	const struct sm_res *s = f->rsae;
	assert_true(sm_res_number(s, "analyses[0].crude.exact_ci[1]") ==
		    s->analyses.v[0].crude.exact_ci[1]);
	assert_true(sm_res_number(s, "analyses[0].drop00") == s->analyses.v[0].drop00);
	/* what names no value */
	const char *bad[] = { "analyses[99].estimate", "analyses.estimate", "nope",
			      "analyses[1].", "analyses[-1].k", "analyses[1].name",
			      "analyses[1].tau2_ci[2]", "analyses[1]estimate", "", NULL };
	for (size_t i = 0; bad[i]; i++)
		assert_true(isnan(sm_res_number(r, bad[i])));
	assert_null(sm_res_string(r, "analyses[1].k"));
	assert_int_equal(sm_res_count(r, "analyses[1].k"), 0);
	assert_true(isnan(sm_res_number(NULL, "analyses[0].k")));
}

static void test_options_by_name(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_analysis_opts *o = sm_analysis_opts_new();
	assert_non_null(o);
	assert_int_equal(sm_analysis_opts_set(f->ctx, o, "method", "DL"), SM_OK);
	struct sm_review *review = sm_review_load_any(f->ctx, "examples/minimal-review.json");
	assert_non_null(review);
	char *json = sm_analyze_json(f->ctx, review, o);
	assert_non_null(json);
	assert_non_null(strstr(json, "\"method\":\t\"DL\""));
	free(json);
	sm_review_free(review);
	assert_int_equal(sm_analysis_opts_set(f->ctx, o, "level", "150"), SM_EINPUT);
	char *m = sm_diag_format(sm_ctx_error(f->ctx));
	assert_string_equal(m, "option '--level': expected a percentage between 0 and 100, "
			       "got '150'");
	free(m);
	sm_ctx_clear_error(f->ctx);
	sm_analysis_opts_free(o);
}

struct sink {
	size_t bytes;
	int refuse; /* refuse the write after this many calls (0: never) */
	int calls;
};

static int to_sink(void *closure, const unsigned char *data, size_t len)
{
	struct sink *s = closure;
	(void)data;
	if (s->refuse && ++s->calls >= s->refuse)
		return -1;
	s->bytes += len;
	return 0;
}

static size_t entries(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	size_t n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static void test_figures_by_kind(void **state)
{
	struct sm_render_fx *f = *state;
	assert_true(sm_figure_kind_count() >= 5);
	assert_string_equal(sm_figure_kind_name(0), "forest");
	assert_null(sm_figure_kind_name(sm_figure_kind_count()));
	const char *options[] = { "analysis", f->rmsc->analyses.v[1].name, "width", "double",
				  NULL };
	char path[128];
	snprintf(path, sizeof path, "%s/forest.png", f->dir);
	sm_render_expect_ok(f, sm_render(f->ctx, f->rmsc, "forest", options, path));
	struct stat st;
	assert_int_equal(stat(path, &st), 0);

	/* the same bytes through a write function; a private folder used on the
	 * way is gone afterwards, also when the write function refuses */
	char tmpdir[128];
	snprintf(tmpdir, sizeof tmpdir, "%s/tmp", f->dir);
	assert_int_equal(mkdir(tmpdir, 0700), 0);
	char *old = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
	setenv("TMPDIR", tmpdir, 1);
	struct sink sink = { 0 };
	sm_render_expect_ok(f, sm_render_to(f->ctx, f->rmsc, "forest", options, "png", to_sink,
					    &sink));
	assert_int_equal(sink.bytes, (size_t)st.st_size);
	struct sink refusing = { .refuse = 1 };
	assert_int_equal(sm_render_to(f->ctx, f->rmsc, "forest", options, "pdf", to_sink,
				      &refusing), SM_EOUTPUT);
	sm_ctx_clear_error(f->ctx);
	assert_int_equal(entries(tmpdir), 0);
	if (old)
		setenv("TMPDIR", old, 1);
	else
		unsetenv("TMPDIR");
	free(old);

	sm_render_expect_fail(f, sm_render(f->ctx, f->rmsc, "pie", NULL, path),
			      "unknown figure 'pie'; expected forest");
	const char *unknown[] = { "colour", "red", NULL };
	sm_render_expect_fail(f, sm_render(f->ctx, f->rmsc, "funnel", unknown, path),
			      "unknown option 'colour' of a funnel figure");
	sm_render_expect_fail(f, sm_render_to(f->ctx, f->rmsc, "forest", NULL, "gif", to_sink,
					      &sink), "expected pdf, svg or png");
}

static void test_bundle(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_review *review = sm_review_load_any(f->ctx, "examples/minimal-review.json");
	assert_non_null(review);
	char dir[128], manifest[160];
	snprintf(dir, sizeof dir, "%s/bundle/minimal", f->dir);
	sm_render_expect_ok(f, sm_report_bundle(f->ctx, review, NULL, dir, NULL));
	snprintf(manifest, sizeof manifest, "%s/MANIFEST.sha256", dir);
	assert_int_equal(access(manifest, R_OK), 0);
	sm_render_expect_fail(f, sm_report_bundle(f->ctx, review, NULL, dir, "no-such-template"),
			      "cannot read file");
	sm_review_free(review);
	assert_string_equal(sm_version(), SM_VERSION);
}

int main(void)
{
	sm_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values_by_path),
		cmocka_unit_test(test_options_by_name),
		cmocka_unit_test(test_figures_by_kind),
		cmocka_unit_test(test_bundle),
	};
	return cmocka_run_group_tests(tests, sm_render_fx_setup, sm_render_fx_teardown);
}
