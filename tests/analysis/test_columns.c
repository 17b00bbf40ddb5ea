/* Finding the column --by and --mods name: lookup order, case, the list of
 * names when there is none, values row by row, and "a,b" lists. */
#include "sm_test.h"

#include "sm_buf.h"
#include "sm_columns.h"
#include "sm_review_read.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char review[] =
	"{\"safemeta_review\": 1, \"metadata\": {\"id\": \"c\", \"title\": \"T\"},\n"
	"\"studies\": [\n"
	"{\"id\": \"a\", \"label\": \"A\", \"year\": 2001, \"characteristics\": {\"Route\": "
	"\"IV\", \"dose\": {\"value\": 2, \"unit\": \"mg\"}, \"ROUTE\": \"x\"}},\n"
	"{\"id\": \"b\", \"label\": \"B\", \"year\": 2003, \"characteristics\": {\"Dose\": 1}}],\n"
	"\"outcomes\": [{\"study\": \"a\", \"domain\": \"Cardiac\", \"ai\": 1, \"n1i\": 10, "
	"\"ci\": 2, \"n2i\": 10},\n"
	"{\"study\": \"b\", \"ai\": 1, \"n1i\": 10, \"ci\": 2, \"n2i\": 10}]}\n";

static struct sm_review *load(struct sm_ctx *ctx)
{
	struct sm_review *r = sm_review_parse(ctx, "c.json", review, sizeof review - 1);
	if (!r)
		fail_msg("%s", sm_ctx_error(ctx)->msg);
	return r;
}

static void lookup_and_values(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_review *r = load(ctx);
	struct sm_column c;
	struct sm_column_value v;
	char buf[32];
	/* an outcome field: the row's domain, missing on the second row */
	assert_int_equal(sm_column_find(ctx, r, "domain", "--by", &c), SM_OK);
	assert_string_equal(sm_column_source_name(&c), "outcome field");
	sm_column_get(&c, &r->outcomes[0], &v);
	assert_string_equal(v.text, "Cardiac");
	sm_column_get(&c, &r->outcomes[1], &v);
	assert_true(sm_column_missing(&v));
	/* the year is a number, printed as a level */
	assert_int_equal(sm_column_find(ctx, r, "year", "--by", &c), SM_OK);
	sm_column_get(&c, &r->outcomes[1], &v);
	assert_true(v.num == 2003);
	assert_string_equal(sm_column_text(&v, buf, sizeof buf), "2003");
	/* exact match first: "dose" is study a's, "Dose" study b's */
	assert_int_equal(sm_column_find(ctx, r, "dose", "--mods", &c), SM_OK);
	assert_string_equal(c.name, "dose");
	sm_column_get(&c, &r->outcomes[0], &v);
	assert_true(v.num == 2);
	assert_string_equal(v.unit, "mg");
	sm_column_get(&c, &r->outcomes[1], &v);
	assert_true(sm_column_missing(&v));
	/* case ignored when it picks one name */
	assert_int_equal(sm_column_find(ctx, r, "STUDY", "--by", &c), SM_OK);
	assert_string_equal(c.name, "study");
	sm_column_get(&c, &r->outcomes[1], &v);
	assert_string_equal(v.text, "B");
	char file_field[200];
	const char *file;
	int line;
	assert_int_equal(sm_column_find(ctx, r, "Dose", "--mods", &c), SM_OK);
	sm_column_where(&c, &r->outcomes[1], &file, &line, file_field, sizeof file_field);
	assert_string_equal(file, "c.json");
	assert_int_equal(line, 4);
	assert_string_equal(file_field, "field 'studies[1].characteristics.Dose'");
	sm_review_free(r);
	sm_ctx_free(ctx);
}

static void no_such_column(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_review *r = load(ctx);
	struct sm_column c;
	/* "route" matches Route and ROUTE when case is ignored */
	assert_int_equal(sm_column_find(ctx, r, "route", "--by", &c), SM_EINPUT);
	char *msg = sm_diag_format(sm_ctx_error(ctx));
	assert_string_equal(msg, "c.json: --by 'route': matches several columns when case is "
			    "ignored; expected one of the review's columns: 'domain', 'event', "
			    "'sub', 'study', 'year', 'Route', 'dose', 'ROUTE', 'Dose'");
	free(msg);
	sm_ctx_clear_error(ctx);
	assert_int_equal(sm_column_find(ctx, r, "source", "--mods", &c), SM_EINPUT);
	assert_non_null(strstr(sm_ctx_error(ctx)->msg, "--mods 'source': no such study "
			       "characteristic or outcome column"));
	sm_review_free(r);
	sm_ctx_free(ctx);
}

static void missing_values_are_named(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_review *r = load(ctx);
	struct sm_column c;
	assert_int_equal(sm_column_find(ctx, r, "Route", "--by", &c), SM_OK);
	const struct sm_outcome *rows[2] = { &r->outcomes[0], &r->outcomes[1] };
	assert_int_equal(sm_column_require(ctx, &c, rows, 1, "all", "subgroup column"), SM_OK);
	assert_int_equal(sm_column_require(ctx, &c, rows, 2, "all", "subgroup column"),
			 SM_EINPUT);
	char *msg = sm_diag_format(sm_ctx_error(ctx));
	assert_string_equal(msg, "c.json:4: field 'studies[1].characteristics.Route': subgroup "
			    "column 'Route' has no value for 1 of the 2 rows of analysis 'all' (B); "
			    "expected a value for every row");
	free(msg);
	sm_review_free(r);
	sm_ctx_free(ctx);
}

static void name_lists(void **state)
{
	(void)state;
	size_t n = 0;
	const char **v = sm_names_split(" ablat , year,,alloc ", &n);
	assert_int_equal(n, 3);
	assert_string_equal(v[0], "ablat");
	assert_string_equal(v[1], "year");
	assert_string_equal(v[2], "alloc");
	free(v);
	assert_null(sm_names_split(" , ", &n));
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lookup_and_values),
		cmocka_unit_test(no_such_column),
		cmocka_unit_test(missing_values_are_named),
		cmocka_unit_test(name_lists),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
