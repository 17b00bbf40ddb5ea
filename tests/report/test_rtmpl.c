/*
 * test_rtmpl.c -- the report template language: structure, exact error
 * messages with line and column, and placeholder values.
 */
#include "sm_test.h"

#include "sm_rtmpl.h"
#include "sm_rvalue.h"

#include <stdlib.h>
#include <string.h>

static struct sm_rtmpl *parse(struct sm_ctx *ctx, const char *text)
{
	return sm_rtmpl_parse(ctx, "t.tmpl", text, strlen(text));
}

static void expect_error(const char *text, const char *message)
{
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_rtmpl *t = parse(ctx, text);
	assert_null(t);
	char *got = sm_diag_format(sm_ctx_error(ctx));
	assert_string_equal(got, message);
	free(got);
	sm_ctx_free(ctx);
}

static void test_structure(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_rtmpl *t = parse(ctx, "%% comment\n"
				   "@title The {{review.title}}\n"
				   "# Methods\n"
				   "First line\r\n"
				   "second line.\n"
				   "\n"
				   "@each analysis\n"
				   "## {{analysis.name}}\n"
				   "@figure forest | Forest: {{analysis.name|lower}}\n"
				   "@if !analysis.egger\n"
				   "No test.\n"
				   "@end\n"
				   "@end\n"
				   "@table domains | Domains\n");
	assert_non_null(t);
	assert_int_equal(t->nnodes, 5);
	assert_int_equal(t->nodes[0].kind, SM_RN_TITLE);
	assert_string_equal(t->nodes[0].text, "The {{review.title}}");
	assert_int_equal(t->nodes[1].kind, SM_RN_HEADING);
	assert_int_equal(t->nodes[1].level, 1);
	assert_int_equal(t->nodes[2].kind, SM_RN_PARA);
	assert_string_equal(t->nodes[2].text, "First line second line.");
	assert_int_equal(t->nodes[2].line, 4);
	const struct sm_rnode *each = &t->nodes[3];
	assert_int_equal(each->kind, SM_RN_EACH);
	assert_int_equal(each->nbody, 3);
	assert_int_equal(each->body[0].level, 2);
	assert_int_equal(each->body[1].kind, SM_RN_FIGURE);
	assert_string_equal(each->body[1].name, "forest");
	assert_null(each->body[1].arg);
	assert_string_equal(each->body[1].text, "Forest: {{analysis.name|lower}}");
	assert_int_equal(each->body[2].kind, SM_RN_IF);
	assert_int_equal(each->body[2].negate, 1);
	assert_string_equal(each->body[2].name, "analysis.egger");
	assert_int_equal(each->body[2].nbody, 1);
	assert_int_equal(t->nodes[4].kind, SM_RN_TABLE);
	assert_string_equal(t->nodes[4].name, "domains");
	assert_string_equal(t->nodes[4].text, "Domains");
	sm_rtmpl_free(t);
	sm_ctx_free(ctx);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("text\n@fgure prisma\n",
		     "t.tmpl:2:1: unknown directive '@fgure'; expected title, subtitle, meta, "
		     "page, figure, table, tables, check, index, each, if or end");
	expect_error("@each analysis\n## x\n",
		     "t.tmpl:1:1: block opened here is not closed; expected @end");
	expect_error("@end\n", "t.tmpl:1:1: @end without @each or @if; expected an open block");
	expect_error("Pooled {{analyses.k}}\n",
		     "t.tmpl:1:8: unknown placeholder root 'analyses'; expected results, review, "
		     "settings, safemeta, analysis, row or report");
	expect_error("x\n  p = {{analysis.p|p}}\n",
		     "t.tmpl:2:5: 'analysis' outside @each analysis; expected it inside the block");
	expect_error("@each analysis\n{{analysis.p|pp}}\n@end\n",
		     "t.tmpl:2:1: unknown format 'pp'; expected 0-9, p, name, lower, count, "
		     "join, model, correction, pooled, heterogeneity, small_study, influence or unit");
	{
		/* every kind of the figure table but "table", and forest+rob */
		struct sm_ctx *ctx = sm_ctx_new();
		assert_null(parse(ctx, "@figure funnels\n"));
		char *got = sm_diag_format(sm_ctx_error(ctx));
		assert_non_null(strstr(got, "t.tmpl:1:9: unknown figure 'funnels'; expected forest, "
					    "funnel, prisma, rob, "));
		assert_non_null(strstr(got, "leave1out, cumulative, "));
		assert_non_null(strstr(got, ", forest+rob (tables: @table)"));
		assert_null(strstr(got, "table,"));
		free(got);
		sm_ctx_free(ctx);
	}
	expect_error("@figure rob both2\n",
		     "t.tmpl:1:9: unknown risk-of-bias plot 'both2'; expected both, traffic or "
		     "summary");
	expect_error("@figure forest | x\n",
		     "t.tmpl:1:9: @figure forest needs an analysis outside @each; expected a "
		     "NAME, summary (forest) or all (funnel)");
	expect_error("The {{review.title\n", "t.tmpl:1:5: placeholder not closed; expected }}");
	expect_error("@page now\n",
		     "t.tmpl:1:7: unexpected text after @page; expected nothing else on the line");
	expect_error("### Deep\n",
		     "t.tmpl:1:3: heading level 3 is not supported; expected # or ##");
	expect_error("@if | x\n@end\n",
		     "t.tmpl:1:5: @if needs a name before '|'; expected @figure KIND, @table NAME, "
		     "@meta KEY, @each analysis or @if PATH");
	expect_error("ok\n\xff\n", "t.tmpl:2:1: invalid UTF-8 (byte 0xFF); expected UTF-8 text");
}

static const char results_json[] =
	"{\"safemeta\": \"9.9\", \"settings\": {\"measure\": \"OR\", \"method\": \"REML\", "
	"\"add\": 0.5, \"to\": \"only0\", \"drop00\": true, \"level\": 95},"
	" \"review\": {\"title\": \"T\", \"metadata\": {\"authors\": [\"A\", \"B\"]}},"
	" \"analyses\": [{\"name\": \"Cardiac\", \"estimate\": -0.12345, \"p\": 0.0004,"
	" \"tau2\": 0, \"egger\": null, \"k\": 12, \"flag\": false}]}";

static char *expand(struct sm_ctx *ctx, const cJSON *results, const char *text)
{
	struct sm_rscope sc = { results, cJSON_GetArrayItem(
					 cJSON_GetObjectItem(results, "analyses"), 0),
				NULL, "t.tmpl", 7, NULL };
	return sm_rvalue_expand(ctx, &sc, text);
}

static void expect_expand(const cJSON *results, const char *text, const char *want)
{
	struct sm_ctx *ctx = sm_ctx_new();
	char *got = expand(ctx, results, text);
	if (!got)
		fail_msg("%s: %s", text, sm_diag_format(sm_ctx_error(ctx)));
	assert_string_equal(got, want);
	free(got);
	sm_ctx_free(ctx);
}

static void test_values(void **state)
{
	(void)state;
	cJSON *r = cJSON_Parse(results_json);
	assert_non_null(r);
	expect_expand(r, "{{analysis.estimate|3}}", "\u22120.123");
	expect_expand(r, "{{analysis.estimate}}", "\u22120.1235");
	expect_expand(r, "{{analysis.k}} and {{analysis.tau2|2}}", "12 and 0.00");
	expect_expand(r, "p = {{analysis.p|p}}", "p = < 0.001");
	expect_expand(r, "{{analysis.egger.p|p}}", "n/a");
	expect_expand(r, "{{analysis.flag}}", "no");
	expect_expand(r, "{{review.metadata.authors}}; {{review.metadata.authors|count}}",
		      "A, B; 2");
	expect_expand(r, "{{review.metadata.authors.1}}", "B");
	expect_expand(r, "{{settings.measure|name}}s", "odds ratios");
	expect_expand(r, "{{analysis.name|lower}}", "cardiac");
	expect_expand(r, "{{settings.method|model}}",
		      "a random-effects model with the restricted maximum-likelihood estimator "
		      "of \u03c4\u00b2");
	expect_expand(r, "{{settings|correction}}",
		      "0.5 was added to every cell of studies with a zero cell; studies without "
		      "events in either arm were left out.");
	expect_expand(r, "v{{safemeta}}", "v9.9");

	struct sm_ctx *ctx = sm_ctx_new();
	assert_null(expand(ctx, r, "x {{analysis.estimat|2}}"));
	char *msg = sm_diag_format(sm_ctx_error(ctx));
	assert_string_equal(msg, "t.tmpl:7:3: no value 'analysis.estimat' in the results; "
			    "expected an existing key (guard optional ones with @if)");
	free(msg);
	sm_ctx_free(ctx);
	ctx = sm_ctx_new();
	assert_null(expand(ctx, r, "{{review.metadata}}"));
	msg = sm_diag_format(sm_ctx_error(ctx));
	assert_string_equal(msg, "t.tmpl:7:1: 'review.metadata' is a group of values; expected "
			    "a key inside it (or |count)");
	free(msg);
	sm_ctx_free(ctx);

	const cJSON *v = NULL;
	ctx = sm_ctx_new();
	struct sm_rscope sc = { r, NULL, NULL, "t.tmpl", 1, NULL };
	assert_int_equal(sm_rvalue_lookup(ctx, &sc, "review.metadata.authors", &v), SM_OK);
	assert_true(sm_rvalue_present(v));
	assert_int_equal(sm_rvalue_lookup(ctx, &sc, "review.prisma", &v), SM_OK);
	assert_false(sm_rvalue_present(v));
	sm_ctx_free(ctx);
	cJSON_Delete(r);
}

/* The shipped template parses. */
static void test_default_template(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	char *home = sm_test_path("");
	sm_ctx_set_home(ctx, home);
	struct sm_rtmpl *t = sm_rtmpl_load(ctx, NULL);
	if (!t)
		fail_msg("%s", sm_diag_format(sm_ctx_error(ctx)));
	assert_true(t->nnodes > 10);
	sm_rtmpl_free(t);
	free(home);
	sm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_structure),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_default_template),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
