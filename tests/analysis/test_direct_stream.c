/*
 * test_direct_stream.c -- the results document written while it is built
 * (sm_results_build_streamed(): rows straight into the output, what
 * `safemeta analyze` does for -o and a regular standard output) has the
 * bytes of the tree built whole and printed the old way
 * (sm_results_print()), for every review under data/, the reference sets
 * with several estimators, subgroups (their analyses fall back to the
 * spool), meta-regression, the multilevel model with robust errors and
 * aggregates, several analyses, a GRADE summary and the small fixtures;
 * that the rows really went out during the build (the output holds the
 * review's and the first analysis' rows before sm_json_stream_finish());
 * and that a failure after rows went out is reported as without a stream.
 */
#include "sm_test.h"

#include "sm_json_stream.h"
#include "sm_results.h"
#include "sm_review_read.h"
#include "sm_row_spool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct opt {
	const char *method, *by, *mods, *model, *robust, *outcome_by, *cols;
	int aggregate;
	int untreed; /* every row of "studies" written as text: none kept in the tree */
};

/* The review, with the CSV columns o->cols ("a,b") kept, as the CLI keeps
 * those its options name. */
static struct sm_review *load(struct sm_ctx *ctx, const char *path, const struct opt *o)
{
	const char *cols[4];
	size_t n = 0;
	static char names[128];
	snprintf(names, sizeof names, "%s", o->cols ? o->cols : "");
	for (char *p = names; *p && n < 4;) {
		cols[n++] = p;
		char *comma = strchr(p, ',');
		if (!comma)
			break;
		*comma = 0;
		p = comma + 1;
	}
	struct sm_load_opts lo = { cols, n };
	struct sm_review *r = sm_review_load_any_opts(ctx, path, &lo);
	if (!r)
		print_error("%s: %s\n", path, sm_ctx_error(ctx)->msg);
	assert_non_null(r);
	return r;
}

static void set_opts(struct sm_analysis_opts *opts, const struct opt *o)
{
	sm_analysis_opts_init(opts);
	opts->method = o->method;
	opts->by = o->by;
	opts->mods = o->mods;
	opts->model = o->model;
	opts->robust = o->robust;
	opts->outcome_by = o->outcome_by;
	if (o->aggregate) {
		opts->aggregate = 1;
		opts->aggregate_set = 1;
	}
}

/* rel built whole and printed, against the same built with its rows
 * streamed into a file as they are made. */
static void check_review(const char *rel, const struct opt *o)
{
	char *path = rel[0] == '/' ? strdup(rel) : sm_test_path(rel);
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_review *r = load(ctx, path, o);
	struct sm_analysis_opts opts;
	set_opts(&opts, o);
	cJSON *doc = sm_results_build(ctx, r, &opts);
	if (!doc) {
		print_error("%s: %s\n", path, sm_ctx_error(ctx)->msg);
		fail();
	}
	char *want = sm_results_print(doc);
	assert_non_null(want);

	FILE *f = tmpfile();
	assert_non_null(f);
	struct sm_row_spool *spool = sm_row_spool_new();
	struct sm_json_stream *st = sm_json_stream_new(f, spool);
	assert_non_null(spool);
	assert_non_null(st);
	cJSON *built = sm_results_build_streamed(ctx, r, &opts, spool, st);
	if (!built) {
		print_error("%s: %s\n", path, sm_ctx_error(ctx)->msg);
		fail();
	}
	assert_false(sm_row_spool_failed(spool));
	assert_false(sm_json_stream_failed(st));
	/* the rows went out while it was built, not at the end: the output
	 * already runs past the first row of the review's or the first
	 * analysis' list */
	const cJSON *a0 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(built, "analyses"),
					     0);
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(a0, "studies");
	sm_json_stream_flush(st);
	fflush(f);
	long during = ftell(f);
	const char *first = strstr(want, "\"studies\":\t[{");
	if (first)
		assert_true(during > first - want);
	/* a streamed row is cut down to the keys later blocks read (those of
	 * an analysis with subgroups are spooled, and cut too) */
	const cJSON *row = cJSON_GetArrayItem(rows, 0);
	if (row)
		assert_null(cJSON_GetObjectItemCaseSensitive(row, "yi"));
	/* a row written as text keeps no node at all (the later blocks read
	 * it from the build's row index; their bytes are compared below) */
	if (o->untreed) {
		const cJSON *a;
		cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(built, "analyses")) {
			const cJSON *list = cJSON_GetObjectItemCaseSensitive(a, "studies");
			assert_true(cJSON_IsArray(list));
			assert_int_equal(cJSON_GetArraySize(list), 0);
		}
	}
	assert_int_equal(sm_json_stream_finish(st), 0);
	long len = ftell(f);
	assert_true(len >= 0);
	char *got = calloc(1, (size_t)len + 1);
	assert_non_null(got);
	rewind(f);
	assert_int_equal(fread(got, 1, (size_t)len, f), (size_t)len);
	char what[512];
	snprintf(what, sizeof what, "%s method %s by %s mods %s model %s", rel,
		 o->method ? o->method : "-", o->by ? o->by : "-", o->mods ? o->mods : "-",
		 o->model ? o->model : "-");
	sm_test_same_bytes(want, got, what);
	free(got);
	free(want);
	fclose(f);
	sm_json_stream_free(st);
	sm_row_spool_free(spool);
	cJSON_Delete(doc);
	sm_review_free(r);
	sm_ctx_free(ctx);
	free(path);
}

static void test_reviews(void **state)
{
	(void)state;
	static const char *const reviews[] = {
		"data/allogeneic-review.json", "data/iv-sae-70.json", "data/msc-iv-rct.json",
		"data/tumorigenicity.json", "examples/msc-iv-rct-grade.json",
		"examples/minimal-review.json",
	};
	static const struct opt plain = { 0 };
	static const struct opt mh = { .method = "MH" };
	static const struct opt peto = { .method = "PETO" };
	for (size_t i = 0; i < sizeof reviews / sizeof *reviews; i++)
		check_review(reviews[i], &plain);
	/* several analyses, multiplicity terms, 2x2 pooling */
	check_review("data/msc-iv-rct.json", &mh);
	check_review("data/msc-iv-rct.json", &peto);
}

static void test_reference_sets(void **state)
{
	(void)state;
	static const char *const sets[] = { "bcg", "debruin2009", "egger2001", "hine1989",
					    "lee2004", "li2007", "msc-table3" };
	static const char *const methods[] = { NULL, "DL", "REML", "FE" };
	for (size_t i = 0; i < sizeof sets / sizeof *sets; i++) {
		char rel[128];
		snprintf(rel, sizeof rel, "tests/golden/%s/input.csv", sets[i]);
		for (size_t m = 0; m < sizeof methods / sizeof *methods; m++) {
			struct opt o = { .method = methods[m] };
			check_review(rel, &o);
		}
	}
}

static void test_subgroups_metareg_multilevel(void **state)
{
	(void)state;
	/* subgroups tag every row: those analyses are spooled, not streamed */
	check_review("tests/golden/bcg/input.csv",
		     &(struct opt){ .method = "REML", .by = "group" });
	static const char *const bcg = "tests/golden/subgroups-metareg/bcg.csv";
	check_review(bcg,
		     &(struct opt){ .method = "REML", .mods = "ablat", .cols = "ablat,alloc" });
	check_review(bcg, &(struct opt){ .method = "REML", .mods = "ablat,year", .by = "alloc",
					 .cols = "ablat,alloc" });
	check_review(bcg, &(struct opt){ .method = "DL", .by = "alloc", .cols = "ablat,alloc" });
	check_review("tests/golden/multilevel/assink2016.csv",
		     &(struct opt){ .model = "multilevel", .robust = "cr2", .aggregate = 1 });
	check_review("tests/golden/multilevel/konstantopoulos2011.csv",
		     &(struct opt){ .model = "multilevel" });
	/* several analyses, the second with subgroups and the third without */
	check_review("data/msc-iv-rct.json", &(struct opt){ .by = "Phase" });
}

/* Effect sizes given as yi, vi: their rows are written as text, without a
 * tree (text_row in sm_analysis_json.c). */
static void test_effect_size_rows(void **state)
{
	(void)state;
	static const char *const methods[] = { NULL, "DL", "REML", "FE", "PM" };
	for (size_t m = 0; m < sizeof methods / sizeof *methods; m++) {
		struct opt o = { .method = methods[m], .untreed = 1 };
		check_review("tests/golden/normand1999/input.csv", &o);
		o.cols = "country,design";
		check_review("tests/golden/subgroups-metareg/hackshaw1998.csv", &o);
	}
	check_review("tests/golden/subgroups-metareg/hackshaw1998.csv",
		     &(struct opt){ .by = "country", .cols = "country,design" });
	check_review("tests/golden/subgroups-metareg/hackshaw1998.csv",
		     &(struct opt){ .mods = "year", .cols = "country,design", .untreed = 1 });
	/* several analyses (domains), events, a label that needs escaping, a
	 * study in two rows, years and none */
	char dir[] = "/tmp/sm-direct-stream-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[1024];
	snprintf(path, sizeof path, "%s/rows.csv", dir);
	FILE *in = fopen(path, "w");
	assert_non_null(in);
	fputs("study,yi,vi,domain,event,year\n", in);
	for (int i = 0; i < 300; i++)
		fprintf(in, "\"s%d \"\"q\"\"\\\",%.17g,%.17g,%s,%s,%s\n", i % 290,
			0.3 * ((i * 7919) % 101) / 101 - 0.1, 0.01 + 0.2 * ((i * 104729) % 89) / 89,
			i % 3 ? "Efficacy" : "Safety", i % 2 ? "death" : "", i % 5 ? "2001" : "");
	fclose(in);
	check_review(path, &(struct opt){ .outcome_by = "domain", .untreed = 1 });
	check_review(path, &(struct opt){ .outcome_by = "domain", .method = "DL", .untreed = 1 });
	check_review(path, &(struct opt){ .outcome_by = "event", .by = "domain" });
	remove(path);
	remove(dir);
}

/* A failure after rows went out: NULL with the error of the build without
 * a stream, and the output had rows in it (the caller takes it back). */
static void test_failure_after_rows(void **state)
{
	(void)state;
	char dir[] = "/tmp/sm-direct-stream-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[1024];
	snprintf(path, sizeof path, "%s/constant.csv", dir);
	FILE *in = fopen(path, "w");
	assert_non_null(in);
	fputs("study,yi,vi,x\na,0.1,0.01,1\nb,0.2,0.02,1\nc,0.3,0.03,1\n", in);
	fclose(in);
	struct sm_ctx *ctx = sm_ctx_new();
	const struct opt o = { .mods = "x", .cols = "x" };
	struct sm_review *r = load(ctx, path, &o);
	struct sm_analysis_opts opts;
	set_opts(&opts, &o);
	assert_null(sm_results_build(ctx, r, &opts));
	char *want = strdup(sm_ctx_error(ctx)->msg);
	sm_ctx_clear_error(ctx);
	FILE *f = tmpfile();
	struct sm_row_spool *spool = sm_row_spool_new();
	struct sm_json_stream *st = sm_json_stream_new(f, spool);
	assert_null(sm_results_build_streamed(ctx, r, &opts, spool, st));
	assert_string_equal(sm_ctx_error(ctx)->msg, want);
	sm_json_stream_flush(st);
	fflush(f);
	assert_true(ftell(f) > 0);
	fclose(f);
	sm_json_stream_free(st);
	sm_row_spool_free(spool);
	free(want);
	sm_review_free(r);
	sm_ctx_free(ctx);
	remove(path);
	remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reviews),
		cmocka_unit_test(test_reference_sets),
		cmocka_unit_test(test_subgroups_metareg_multilevel),
		cmocka_unit_test(test_effect_size_rows),
		cmocka_unit_test(test_failure_after_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
