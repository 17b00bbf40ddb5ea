/*
 * test_text_rows.c -- the per-study rows written as text in a streamed
 * build (sm_analysis_json.c write_studies()) have the same bytes with one
 * thread (the serial loop) as with two (chunks of rows made ahead on a
 * second thread, sm_text_ahead.h), and as the tree built whole and
 * printed: for k just below, at and above a multiple of the chunk
 * (SM_TEXT_CHUNK_ROWS, 1024 model rows), with influence and cumulative
 * rows (DL) and without (REML above the iterative limit is not tested
 * here: too slow), with several analyses in one review (each its own run
 * of text rows, between the tree's blocks) and with subgroups (spooled
 * tree rows beside streamed text rows).
 */
#include "sm_test.h"

#include "sm_json_stream.h"
#include "sm_results.h"
#include "sm_review_read.h"
#include "sm_row_spool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK 1024 /* SM_TEXT_CHUNK_ROWS in sm_analysis_json.c */

struct opt {
	const char *method, *outcome_by, *by;
	int threads;
};

/* The review with the column "arm" kept (not a subgroup column by its
 * name: only --by makes it one). */
static struct sm_review *load(struct sm_ctx *ctx, const char *path)
{
	const char *cols[1] = { "arm" };
	struct sm_load_opts lo = { cols, 1 };
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
	opts->outcome_by = o->outcome_by;
	opts->by = o->by;
	opts->threads = o->threads;
}

/* The document of path streamed into a file while it is built. */
static char *streamed(const char *path, const struct opt *o)
{
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_review *r = load(ctx, path);
	struct sm_analysis_opts opts;
	set_opts(&opts, o);
	FILE *f = tmpfile();
	assert_non_null(f);
	struct sm_row_spool *spool = sm_row_spool_new();
	struct sm_json_stream *st = sm_json_stream_new(f, spool);
	assert_non_null(spool);
	assert_non_null(st);
	cJSON *built = sm_results_build_streamed(ctx, r, &opts, spool, st);
	if (!built)
		print_error("%s: %s\n", path, sm_ctx_error(ctx)->msg);
	assert_non_null(built);
	assert_false(sm_json_stream_failed(st));
	assert_int_equal(sm_json_stream_finish(st), 0);
	long len = ftell(f);
	assert_true(len > 0);
	char *got = calloc(1, (size_t)len + 1);
	assert_non_null(got);
	rewind(f);
	assert_int_equal(fread(got, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	sm_json_stream_free(st);
	sm_row_spool_free(spool);
	sm_review_free(r);
	sm_ctx_free(ctx);
	return got;
}

/* The document built whole and printed (one thread). */
static char *whole(const char *path, const struct opt *o)
{
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_review *r = load(ctx, path);
	struct sm_analysis_opts opts;
	set_opts(&opts, o);
	opts.threads = 1;
	cJSON *doc = sm_results_build(ctx, r, &opts);
	assert_non_null(doc);
	char *text = sm_results_print(doc);
	assert_non_null(text);
	cJSON_Delete(doc);
	sm_review_free(r);
	sm_ctx_free(ctx);
	return text;
}

static void check(const char *path, struct opt o, const char *what)
{
	char *want = whole(path, &o);
	o.threads = 1;
	char *one = streamed(path, &o);
	o.threads = 2;
	char *two = streamed(path, &o);
	char label[256];
	snprintf(label, sizeof label, "%s, one thread", what);
	sm_test_same_bytes(want, one, label);
	snprintf(label, sizeof label, "%s, two threads", what);
	sm_test_same_bytes(want, two, label);
	free(want);
	free(one);
	free(two);
}

/* n yi/vi rows into dir/name.csv, with a domain column (domains[i % 3]
 * when given), a column "arm" for subgroups, labels that need escaping, events on
 * some rows and years on others. */
static char *write_csv(const char *dir, const char *name, int n, int domains)
{
	char *path = malloc(strlen(dir) + strlen(name) + 8);
	assert_non_null(path);
	sprintf(path, "%s/%s.csv", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("study,yi,vi,domain,arm,event,year\n", f);
	for (int i = 0; i < n; i++)
		fprintf(f, "\"s%d \"\"q\"\"\\\",%.17g,%.17g,%s,%s,%s,%s\n", i,
			0.3 * ((i * 7919) % 101) / 101 - 0.1, 0.01 + 0.2 * ((i * 104729) % 89) / 89,
			domains && i % 3 ? (i % 3 == 1 ? "Efficacy" : "Safety") : "Other",
			i % 4 ? "a" : "b", i % 2 ? "death" : "", i % 5 ? "2001" : "");
	fclose(f);
	return path;
}

static void chunk_boundaries(void **state)
{
	(void)state;
	char dir[] = "/tmp/sm-text-rows-XXXXXX";
	assert_non_null(mkdtemp(dir));
	static const int ks[] = { 1, 2, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 3 * CHUNK + 1 };
	for (size_t i = 0; i < sizeof ks / sizeof *ks; i++) {
		char name[32], what[64];
		snprintf(name, sizeof name, "k%d", ks[i]);
		char *path = write_csv(dir, name, ks[i], 0);
		snprintf(what, sizeof what, "k = %d, DL", ks[i]);
		check(path, (struct opt){ .method = "DL" }, what);
		if (ks[i] <= CHUNK + 1) {
			snprintf(what, sizeof what, "k = %d, REML", ks[i]);
			check(path, (struct opt){ .method = "REML" }, what);
		}
		remove(path);
		free(path);
	}
	remove(dir);
}

/* Several analyses (each a run of text rows, 1366/1367 of them, between
 * the tree's blocks), and subgroups (their analyses' rows spooled tree
 * rows, the others' text rows). */
static void analyses_and_subgroups(void **state)
{
	(void)state;
	char dir[] = "/tmp/sm-text-rows-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = write_csv(dir, "domains", 4100, 1);
	check(path, (struct opt){ .method = "DL", .outcome_by = "domain" }, "three analyses");
	check(path, (struct opt){ .method = "DL", .by = "arm" }, "subgroups");
	remove(path);
	free(path);
	remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chunk_boundaries),
		cmocka_unit_test(analyses_and_subgroups),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
