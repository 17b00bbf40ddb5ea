/* The typed results model: the key table, the README generated from it,
 * reading real documents, and the positioned errors of broken ones. */
#include "sm_test.h"

#include "sm_buf.h"
#include "sm_res.h"
#include "sm_res_keys.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BEGIN "<!-- results-keys:begin -->\n"
#define END "<!-- results-keys:end -->"

/* Every object of the table (each once: an analysis holds its subgroups'
 * analyses): at most 64 keys (the reader keeps a 64-bit set of the keys
 * met), each member inside its struct, no key twice. */
static const struct sm_robj *visited[128];
static size_t nvisited;

static void check_object(const struct sm_robj *o, int depth)
{
	for (size_t i = 0; i < nvisited; i++)
		if (visited[i] == o)
			return;
	assert_true(nvisited < sizeof visited / sizeof visited[0]);
	visited[nvisited++] = o;
	assert_true(depth < 12);
	assert_true(o->nkeys > 0 && o->nkeys <= SM_RES_MAX_KEYS);
	for (size_t i = 0; i < o->nkeys; i++) {
		const struct sm_rkey *k = &o->keys[i];
		assert_true(k->offset < o->size);
		assert_non_null(k->doc);
		assert_true(strlen(k->doc) > 0);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(o->keys[j].key, k->key);
		if (k->type == SM_RK_OBJ || k->type == SM_RK_LIST) {
			assert_non_null(k->obj);
			check_object(k->obj, depth + 1);
		}
	}
	/* the struct's first member is `present`, set for every object met */
	assert_true(o->size >= sizeof(int));
}

static void test_key_table(void **state)
{
	(void)state;
	check_object(&sm_res_doc_schema, 0);
	assert_non_null(sm_rkey_find(&sm_res_doc_schema, "results_version", 15));
	assert_null(sm_rkey_find(&sm_res_doc_schema, "results", 7));
}

/* The README's reference is the key table, word for word. */
static void test_readme_matches_table(void **state)
{
	(void)state;
	char *want = sm_res_keys_markdown();
	assert_non_null(want);
	sm_test_readme_block(BEGIN, END, want, "src/results/sm_res_keys.c");
	free(want);
}

static struct sm_res *read_ok(const char *rel)
{
	char *path = sm_test_path(rel);
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_res *r = sm_res_read(ctx, path);
	if (!r) {
		char *m = sm_diag_format(sm_ctx_error(ctx));
		print_error("%s: %s\n", rel, m ? m : "?");
		free(m);
	}
	assert_non_null(r);
	sm_ctx_free(ctx);
	free(path);
	return r;
}

/* Real documents: what the typed model holds is what the file says. */
static void test_reads_real_documents(void **state)
{
	(void)state;
	struct sm_res *r = read_ok("tests/fixtures/results/msc-iv-rct.results.json");
	assert_int_equal(r->results_version, SM_RESULTS_VERSION);
	assert_int_equal(r->analyses.n, 16);
	const struct sm_res_analysis *a = sm_res_analysis_named(r, "Cardiac disorders");
	assert_non_null(a);
	assert_string_equal(a->measure, "OR");
	assert_true(a->k == (double)a->studies.n);
	assert_true(a->transformed.present);
	sm_check_close(a->transformed.estimate, exp(a->estimate), 1e-15, 0, "exp(estimate)");
	assert_true(a->egger.present && a->begg.present && a->trimfill.present);
	assert_true(a->mh.present && a->peto.present);
	assert_false(a->crude.present);
	assert_int_equal(a->studies.v[0].zero_cell.present, 1);
	assert_true(isnan(a->df)); /* a z test has no df: null */
	assert_true(r->review.risk_of_bias.present);
	assert_int_equal(r->review.risk_of_bias.domains.n, 7);
	assert_true(r->review.prisma.present);
	assert_non_null(sm_res_study_info(r, "hare2009"));
	assert_true(r->domain_table.present);
	assert_int_equal(r->domain_table.rows.n, 16);
	assert_true(r->review.has_reported);
	sm_res_free(r);

	r = read_ok("tests/fixtures/results/iv-sae-70.results.json");
	a = &r->analyses.v[0];
	assert_true(a->crude.present);
	assert_true(a->crude.exact_ci[0] <= a->crude.proportion &&
		    a->crude.proportion <= a->crude.exact_ci[1]);
	assert_true(a->studies.v[0].exact_ci[1] > 0);
	sm_res_free(r);

	r = read_ok("tests/fixtures/results/tumorigenicity.results.json");
	assert_int_equal(r->analyses.n, 0);
	assert_true(r->review.tables.n > 0);
	assert_true(r->review.tables.v[0].rows.n > 0);
	sm_res_free(r);
	sm_res_free(NULL);
}

static void expect_error(const char *text, const char *where, const char *words)
{
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_res *r = sm_res_parse(ctx, "r.json", text, strlen(text));
	assert_null(r);
	const struct sm_diag *d = sm_ctx_error(ctx);
	assert_non_null(d);
	assert_int_equal(d->code, SM_EINPUT);
	char *m = sm_diag_format(d);
	if (!strstr(m, where) || !strstr(m, words)) {
		print_error("\"%s\" lacks \"%s\" or \"%s\"\n", m, where, words);
		fail();
	}
	free(m);
	sm_ctx_free(ctx);
}

/* Small documents broken in one place each, at the API (the CLI cases
 * results-* run the same through `safemeta render`). */
static void test_positioned_errors(void **state)
{
	(void)state;
	expect_error("", "r.json", "empty file");
	expect_error("[1]", "r.json:1:1", "got a list");
	expect_error("{\"results_version\": 1,\n \"x\": 2}", "r.json:2:2",
		     "field 'x': unknown key");
	expect_error("{\"results_version\": \"1\"}", "r.json:1:21",
		     "field 'results_version': expected a positive whole number, got \"1\"");
	expect_error("{\"results_version\": 1, \"results_version\": 1}", "r.json:1:24",
		     "duplicate key");
	expect_error("{\"results_version\": 1", "r.json:1:22", "expected");
	expect_error("{\"results_version\": 1}", "r.json:1:1", "missing required key 'safemeta'");
	expect_error("\xef\xbb\xbf{\"results_version\": 2}", "r.json:1:1",
		     "missing required key 'safemeta'");
	expect_error("{\"results_version\": 1e999}", "r.json:1:21", "finite");
}

/* The MSC results fixture as a tree, to be broken by a test. */
static cJSON *msc_results_doc(void)
{
	char *path = sm_test_path("tests/fixtures/results/msc-iv-rct.results.json");
	char *text = sm_test_slurp(path);
	cJSON *doc = cJSON_Parse(text);
	assert_non_null(doc);
	free(text);
	free(path);
	return doc;
}

/* The broken document is refused with an error naming `where` and `words`;
 * doc is freed. */
static void expect_refused(cJSON *doc, const char *name, const char *where, const char *words)
{
	char *broken = cJSON_Print(doc);
	struct sm_ctx *ctx = sm_ctx_new();
	assert_null(sm_res_parse(ctx, name, broken, strlen(broken)));
	char *m = sm_diag_format(sm_ctx_error(ctx));
	if (!strstr(m, where) || !strstr(m, words)) {
		print_error("\"%s\" lacks \"%s\" or \"%s\"\n", m, where, words);
		fail();
	}
	free(m);
	sm_ctx_free(ctx);
	cJSON_free(broken);
	cJSON_Delete(doc);
}

/* Every display-scale value is checked against its analysis-scale one:
 * the trim-and-fill adjusted estimate too (a renderer draws it). */
static void test_display_values_checked(void **state)
{
	(void)state;
	cJSON *doc = msc_results_doc();
	cJSON *a = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "analyses"), 0);
	cJSON *tr = cJSON_GetObjectItem(cJSON_GetObjectItem(a, "trimfill"), "transformed");
	cJSON *est = cJSON_GetObjectItem(tr, "estimate");
	assert_true(cJSON_IsNumber(est));
	cJSON_SetNumberValue(est, est->valuedouble * 1.01);
	expect_refused(doc, "tf.json", "analyses[0].trimfill.transformed.estimate",
		       "expected the display-scale value");
}

/* A study's values are checked one by one (the check that passes them all
 * without naming their paths must miss none): a broken display value of a
 * leave-one-out or cumulative refit, of the study, or its order is named
 * with its path. */
static void expect_study_error(const char *study, const char *refit, const char *key,
			       double factor, const char *where, const char *words)
{
	cJSON *doc = msc_results_doc();
	cJSON *a = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "analyses"), 0);
	cJSON *st = cJSON_GetArrayItem(cJSON_GetObjectItem(a, "studies"), atoi(study));
	cJSON *o = refit ? cJSON_GetObjectItem(st, refit) : st;
	if (strchr(key, '.')) /* "transformed.ci_ub" */
		o = cJSON_GetObjectItem(o, "transformed");
	cJSON *v = cJSON_GetObjectItem(o, strchr(key, '.') ? strchr(key, '.') + 1 : key);
	assert_true(cJSON_IsNumber(v));
	cJSON_SetNumberValue(v, v->valuedouble * factor);
	expect_refused(doc, "s.json", where, words);
}

static void test_study_values_checked(void **state)
{
	(void)state;
	const char *disp = "expected the display-scale value";
	expect_study_error("2", "loo", "transformed.ci_ub", 1.01,
			   "analyses[0].studies[2].loo.transformed.ci_ub", disp);
	expect_study_error("5", "cumul", "transformed.estimate", 0.99,
			   "analyses[0].studies[5].cumul.transformed.estimate", disp);
	expect_study_error("7", NULL, "transformed.yi", 1.01,
			   "analyses[0].studies[7].transformed.yi", disp);
	expect_study_error("9", NULL, "ci_lb", -1e6, "analyses[0].studies[9]",
			   "does not contain the estimate");
	expect_study_error("3", "loo", "ci_ub", -1e6, "analyses[0].studies[3].loo",
			   "does not contain the estimate");
}

/* A document from another version is refused before anything is drawn. */
static void test_version(void **state)
{
	(void)state;
	char *path = sm_test_path("tests/fixtures/results/allogeneic-review.results.json");
	char *text = sm_test_slurp(path);
	char *v = strstr(text, "\"results_version\":\t1");
	assert_non_null(v);
	v[strlen("\"results_version\":\t")] = '3';
	struct sm_ctx *ctx = sm_ctx_new();
	assert_null(sm_res_parse(ctx, "old.json", text, strlen(text)));
	assert_non_null(strstr(sm_ctx_error(ctx)->msg, "version 3; expected 1"));
	assert_int_equal(sm_ctx_error(ctx)->line, 2);
	sm_ctx_free(ctx);
	free(text);
	free(path);
}

/* yajl's failure on text the scanner accepts is out of memory (exit 4),
 * except for invalid UTF-8 in a string, which yajl checks and the scanner
 * does not: that stays an input error with its position. */
static void test_bad_utf8_is_input_error(void **state)
{
	(void)state;
	const char *text = "{\"results_version\": 1, \"x\": \"a\xff\"}";
	struct sm_ctx *ctx = sm_ctx_new();
	assert_null(sm_res_parse(ctx, "u.json", text, strlen(text)));
	const struct sm_diag *d = sm_ctx_error(ctx);
	assert_non_null(d);
	assert_int_equal(d->code, SM_EINPUT);
	assert_non_null(strstr(d->msg, "invalid UTF-8 (byte 0xFF)"));
	assert_int_equal(d->col, 31);
	sm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_table),
		cmocka_unit_test(test_bad_utf8_is_input_error),
		cmocka_unit_test(test_readme_matches_table),
		cmocka_unit_test(test_reads_real_documents),
		cmocka_unit_test(test_positioned_errors),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_display_values_checked),
		cmocka_unit_test(test_study_values_checked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
