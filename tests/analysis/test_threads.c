/*
 * test_threads.c -- an analysis with a second thread (sm_analysis_opts
 * .threads = 2: Egger's test and trim and fill beside Begg's test, the tau2
 * interval and fail-safe N, sm_analysis_json.c "computed ahead") writes the
 * bytes of the serial one (threads = 1), with the same warnings in the
 * same order and the same error, on reviews of 2x2 tables, reference
 * sets with several estimators and tests, GLMM, the multilevel model, and
 * small data where steps fail or warn (k = 1, k = 2, every yi equal).
 */
#include "sm_test.h"

#include "sm_results.h"
#include "sm_review_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct opt {
	const char *method, *test, *model, *measure;
};

struct run {
	char *doc;
	char *err;
	size_t n_warnings;
	char **warnings;
};

static struct run build(const char *path, const struct opt *o, int threads)
{
	struct run out = { 0 };
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_review *r = sm_review_load_any(ctx, path);
	if (!r)
		print_error("%s: %s\n", path, sm_ctx_error(ctx)->msg);
	assert_non_null(r);
	struct sm_analysis_opts opts;
	sm_analysis_opts_init(&opts);
	opts.method = o->method;
	opts.test = o->test;
	opts.model = o->model;
	opts.measure = o->measure;
	opts.threads = threads;
	cJSON *doc = sm_results_build(ctx, r, &opts);
	if (doc) {
		out.doc = sm_results_print(doc);
		assert_non_null(out.doc);
	} else {
		const struct sm_diag *d = sm_ctx_error(ctx);
		out.err = strdup(d && d->msg ? d->msg : "(none)");
	}
	out.n_warnings = sm_ctx_warning_count(ctx);
	out.warnings = calloc(out.n_warnings + 1, sizeof *out.warnings);
	for (size_t i = 0; i < out.n_warnings; i++)
		out.warnings[i] = strdup(sm_ctx_warning(ctx, i));
	cJSON_Delete(doc);
	sm_review_free(r);
	sm_ctx_free(ctx);
	return out;
}

static void run_release(struct run *r)
{
	for (size_t i = 0; i < r->n_warnings; i++)
		free(r->warnings[i]);
	free(r->warnings);
	free(r->doc);
	free(r->err);
}

static void check(const char *rel, const struct opt *o)
{
	char *path = rel[0] == '/' ? strdup(rel) : sm_test_path(rel);
	struct run one = build(path, o, 1), two = build(path, o, 2);
	char what[512];
	snprintf(what, sizeof what, "%s method %s test %s model %s measure %s", rel,
		 o->method ? o->method : "-", o->test ? o->test : "-",
		 o->model ? o->model : "-", o->measure ? o->measure : "-");
	if ((one.doc == NULL) != (two.doc == NULL)) {
		print_error("%s: one thread %s, two %s\n", what, one.doc ? "built" : one.err,
			    two.doc ? "built" : two.err);
		fail();
	}
	if (one.doc)
		sm_test_same_bytes(one.doc, two.doc, what);
	else
		assert_string_equal(one.err, two.err);
	assert_int_equal(one.n_warnings, two.n_warnings);
	for (size_t i = 0; i < one.n_warnings; i++)
		assert_string_equal(one.warnings[i], two.warnings[i]);
	run_release(&one);
	run_release(&two);
	free(path);
}

static void test_reviews(void **state)
{
	(void)state;
	/* several analyses, 2x2 tables pooled by MH and Peto, a GLMM (no tau2
	 * interval); the GLMM fits of the rare-event comparison make these the
	 * slow part of the test */
	static const char *const reviews[] = {
		"data/iv-sae-70.json", "data/msc-iv-rct.json", "examples/minimal-review.json",
	};
	for (size_t i = 0; i < sizeof reviews / sizeof *reviews; i++)
		check(reviews[i], &(struct opt){ 0 });
	check("data/msc-iv-rct.json", &(struct opt){ .method = "PETO" });
	check("examples/minimal-review.json", &(struct opt){ .method = "MH" });
	check("examples/minimal-review.json", &(struct opt){ .method = "GLMM" });
}

static void test_reference_sets(void **state)
{
	(void)state;
	static const char *const sets[] = { "bcg", "debruin2009", "egger2001", "hine1989",
					    "lee2004", "li2007", "msc-table3", "normand1999" };
	static const char *const methods[] = { NULL, "DL", "SJ" };
	for (size_t i = 0; i < sizeof sets / sizeof *sets; i++) {
		char rel[128];
		snprintf(rel, sizeof rel, "tests/golden/%s/input.csv", sets[i]);
		for (size_t m = 0; m < sizeof methods / sizeof *methods; m++)
			check(rel, &(struct opt){ .method = methods[m] });
		check(rel, &(struct opt){ .test = "knha" });
	}
	check("tests/golden/multilevel/konstantopoulos2011.csv",
	      &(struct opt){ .model = "multilevel" });
}

/* yi/vi data written to dir/name.csv: n rows, yi from f(i). */
static char *write_csv(const char *dir, const char *name, int n, double (*yi)(int))
{
	char *path = malloc(strlen(dir) + strlen(name) + 8);
	assert_non_null(path);
	sprintf(path, "%s/%s.csv", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("study,yi,vi\n", f);
	for (int i = 0; i < n; i++)
		fprintf(f, "s%d,%.17g,%.17g\n", i, yi(i), 0.01 + 0.2 * ((i * 104729) % 89) / 89);
	fclose(f);
	return path;
}

static double spread(int i)
{
	return 0.3 * ((i * 7919) % 101) / 101 - 0.1;
}

static double constant(int i)
{
	(void)i;
	return 0.25;
}

/* Steps that fail or warn: Begg's test and the interval need k >= 2, every
 * yi equal gives Egger's 0/0 under knha, a large k takes trim and fill's
 * side from Egger's slope. */
static void test_small_and_degenerate(void **state)
{
	(void)state;
	char dir[] = "/tmp/sm-threads-XXXXXX";
	assert_non_null(mkdtemp(dir));
	static const char *const methods[] = { "DL", "REML", "FE" };
	const struct { const char *name; int n; double (*yi)(int); } sets[] = {
		{ "one", 1, spread }, { "two", 2, spread }, { "three", 3, spread },
		{ "equal", 12, constant }, { "large", 1200, spread },
	};
	for (size_t s = 0; s < sizeof sets / sizeof *sets; s++) {
		char *path = write_csv(dir, sets[s].name, sets[s].n, sets[s].yi);
		for (size_t m = 0; m < sizeof methods / sizeof *methods; m++) {
			check(path, &(struct opt){ .method = methods[m] });
			if (sets[s].n < 100)
				check(path, &(struct opt){ .method = methods[m], .test = "knha" });
		}
		remove(path);
		free(path);
	}
	remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reviews),
		cmocka_unit_test(test_reference_sets),
		cmocka_unit_test(test_small_and_degenerate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
