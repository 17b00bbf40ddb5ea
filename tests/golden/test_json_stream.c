/*
 * test_json_stream.c -- the streamed results document (sm_json_stream.h)
 * has the bytes of the printed tree (sm_json_print), for every reference
 * set under tests/golden/ with several estimators and with subgroups, for
 * the reviews under data/ (per-study rows, multiplicity terms, check),
 * both with the rows spooled as `safemeta analyze` builds them and without,
 * for every committed results fixture, and for hand-made documents with
 * the layouts cJSON treats specially (empty containers, escaped keys).
 */
#include "sm_test.h"

#include "sm_json_out.h"
#include "sm_json_stream.h"
#include "sm_results.h"
#include "sm_row_spool.h"
#include "sm_review_read.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the streamer writes for doc (which it frees). */
static char *streamed(cJSON *doc, struct sm_row_spool *spool)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(sm_json_stream_results(doc, spool, f), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void check_doc(cJSON *doc, const char *what)
{
	char *want = sm_json_print(doc);
	assert_non_null(want);
	char *got = streamed(doc, NULL);
	sm_test_same_bytes(want, got, what);
	free(want);
	free(got);
}

/* The document of path built whole and printed, against the same built
 * with its rows spooled and streamed (what `safemeta analyze` does). */
static void check_build(const char *path, const char *method, const char *by)
{
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_review *r = sm_review_load_any(ctx, path);
	if (!r) {
		print_error("%s: %s\n", path, sm_ctx_error(ctx)->msg);
		fail();
	}
	struct sm_analysis_opts opts;
	sm_analysis_opts_init(&opts);
	if (method)
		opts.method = method;
	if (by)
		opts.by = by;
	cJSON *doc = sm_results_build(ctx, r, &opts);
	struct sm_row_spool *spool = sm_row_spool_new();
	assert_non_null(spool);
	cJSON *spooled = doc ? sm_results_build_spooled(ctx, r, &opts, spool) : NULL;
	if (!doc || !spooled) {
		print_error("%s %s: %s\n", path, method ? method : "", sm_ctx_error(ctx)->msg);
		fail();
	}
	assert_false(sm_row_spool_failed(spool));
	char what[512];
	snprintf(what, sizeof what, "%s %s %s", path, method ? method : "default",
		 by ? by : "");
	char *want = sm_json_print(doc);
	assert_non_null(want);
	/* the spooled tree really is cut down: its first row kept only the
	 * keys the later blocks read */
	const cJSON *a0 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(spooled, "analyses"), 0);
	const cJSON *row = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(a0, "studies"), 0);
	if (row) {
		assert_true(sm_row_spool_has(row));
		assert_null(cJSON_GetObjectItemCaseSensitive(row, "yi"));
	}
	char *got = streamed(spooled, spool);
	sm_test_same_bytes(want, got, what);
	/* and the tree streamed without a spool is the same too */
	char *plain = streamed(doc, NULL);
	sm_test_same_bytes(want, plain, what);
	free(want);
	free(got);
	free(plain);
	sm_row_spool_free(spool);
	sm_review_free(r);
	sm_ctx_free(ctx);
}

static void test_reference_sets(void **state)
{
	(void)state;
	static const char *const sets[] = { "bcg", "debruin2009", "egger2001", "hine1989",
					    "lee2004", "li2007", "msc-table3" };
	static const char *const methods[] = { NULL, "DL", "REML", "FE" };
	int done = 0;
	for (size_t i = 0; i < sizeof sets / sizeof *sets; i++) {
		char rel[128];
		snprintf(rel, sizeof rel, "tests/golden/%s/input.csv", sets[i]);
		char *path = sm_test_path(rel);
		FILE *f = fopen(path, "r");
		if (f) {
			fclose(f);
			for (size_t m = 0; m < sizeof methods / sizeof *methods; m++)
				check_build(path, methods[m], NULL);
			done++;
		}
		free(path);
	}
	assert_true(done >= 5);
	char *bcg = sm_test_path("tests/golden/bcg/input.csv");
	check_build(bcg, "REML", "group"); /* subgroup tags in the rows */
	free(bcg);
}

static void test_reviews(void **state)
{
	(void)state;
	static const char *const reviews[] = { "allogeneic-review", "iv-sae-70", "msc-iv-rct",
					       "tumorigenicity" };
	for (size_t i = 0; i < sizeof reviews / sizeof *reviews; i++) {
		char rel[128];
		snprintf(rel, sizeof rel, "data/%s.json", reviews[i]);
		char *path = sm_test_path(rel);
		check_build(path, NULL, NULL);
		free(path);
	}
}

static int check_fixture_dir(const char *rel)
{
	char *dir = sm_test_path(rel);
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	for (struct dirent *e; (e = readdir(d));) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 5, ".json"))
			continue;
		char path[1024];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		char *text = sm_test_slurp(path);
		cJSON *doc = cJSON_Parse(text);
		assert_non_null(doc);
		check_doc(doc, path);
		free(text);
		n++;
	}
	closedir(d);
	free(dir);
	return n;
}

static void test_fixtures(void **state)
{
	(void)state;
	assert_true(check_fixture_dir("tests/fixtures/results") >= 4);
	assert_true(check_fixture_dir("tests/fixtures/render") >= 10);
}

/* Empty objects and lists at every walked level, a key that needs escaping,
 * nested lists inside rows, a document with nothing but scalars. */
static void test_layouts(void **state)
{
	(void)state;
	static const char *const docs[] = {
		"{}",
		"{\"analyses\": []}",
		"{\"analyses\": [{}], \"review\": {}}",
		"{\"a\\\"b\\n\": 1, \"analyses\": [{\"studies\": [], \"excluded\": [{}]}]}",
		"{\"review\": {\"studies\": [{\"id\": \"x\", \"c\": {\"k\": [1, [2, {}]]}}, {}]}, "
		"\"analyses\": [{\"name\": \"t\\u00e9\", \"studies\": [{\"yi\": 0.1, "
		"\"loo\": {\"b\": [1e-300, -2.5]}}, {\"yi\": null}], \"w\": [[], {}]}, "
		"{\"studies\": null}], \"multiplicity\": {\"terms\": [{\"p\": 1}]}, \"x\": true}",
		"{\"multiplicity\": {\"terms\": null}, \"analyses\": {\"studies\": [1]}}",
	};
	for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
		cJSON *doc = cJSON_Parse(docs[i]);
		assert_non_null(doc);
		check_doc(doc, docs[i]);
	}
}

/* A document of several pieces of 2 MiB (the streamer writes pieces that
 * end at aligned offsets of its output and keeps the rest), into a file
 * that stands at an offset not aligned, and into memory. */
static cJSON *large_doc(void)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON *a = cJSON_CreateObject();
	cJSON_AddItemToArray(cJSON_AddArrayToObject(doc, "analyses"), a);
	cJSON *rows = cJSON_AddArrayToObject(a, "studies");
	for (int i = 0; i < 80000; i++) {
		cJSON *r = cJSON_CreateObject();
		char label[32];
		snprintf(label, sizeof label, "study %d", i);
		cJSON_AddStringToObject(r, "label", label);
		cJSON_AddNumberToObject(r, "yi", 1.0 / (i + 3));
		cJSON_AddNumberToObject(r, "vi", i * 1e-3 + 0.1);
		cJSON_AddItemToObject(r, "loo", cJSON_CreateDoubleArray((double[]){ i, -0.5, 1e-9 * i }, 3));
		cJSON_AddItemToArray(rows, r);
	}
	cJSON_AddStringToObject(doc, "after", "the rows");
	return doc;
}

static void test_large_document(void **state)
{
	(void)state;
	cJSON *doc = large_doc();
	char *want = sm_json_print(doc);
	assert_non_null(want);
	size_t want_len = strlen(want);
	assert_true(want_len > (size_t)5 << 20);
	char *got = streamed(doc, NULL);
	sm_test_same_bytes(want, got, "large document, in memory");
	free(got);
	FILE *f = tmpfile();
	assert_non_null(f);
	static const char lead[] = "1234567";
	assert_int_equal(fwrite(lead, 1, sizeof lead - 1, f), sizeof lead - 1);
	assert_int_equal(sm_json_stream_results(large_doc(), NULL, f), 0);
	assert_int_equal(fflush(f), 0);
	rewind(f);
	char *back = malloc(want_len + sizeof lead + 2);
	assert_non_null(back);
	size_t n = fread(back, 1, want_len + sizeof lead + 1, f);
	assert_int_equal(n, want_len + sizeof lead - 1);
	back[n] = '\0';
	assert_memory_equal(back, lead, sizeof lead - 1);
	sm_test_same_bytes(want, back + sizeof lead - 1, "large document, in a file at offset 7");
	free(back);
	fclose(f);
	free(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layouts),
		cmocka_unit_test(test_large_document),
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_reference_sets),
		cmocka_unit_test(test_reviews),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
