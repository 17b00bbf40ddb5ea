/* Tests of the rows a streamed build keeps out of the tree
 * (sm_row_index.h) and of the readers given them: the rows in their order,
 * text rows between tree rows, and the study count of the domain table and
 * of `check` over both. */
#include "sm_test.h"

#include "sm_check.h"
#include "sm_domain_table.h"
#include "sm_row_index.h"

#include <math.h>
#include <string.h>

/* An analysis "A" with one tree row (study x, arms 10 and 12) in
 * "studies", and review.reported stating one study. */
static cJSON *doc_with_one_tree_row(cJSON **studies)
{
	cJSON *doc = cJSON_Parse(
		"{\"settings\": {\"level\": 95},"
		" \"review\": {\"reported\": {\"analyses\": [{\"name\": \"A\", \"studies_stated\": 1}]}},"
		" \"analyses\": [{\"name\": \"A\", \"k\": 3, \"studies\": ["
		"  {\"label\": \"x lab\", \"study_id\": \"x\", \"n1i\": 10, \"n2i\": 12, \"fisher_p\": 0.5}],"
		" \"excluded\": []}]}");
	assert_non_null(doc);
	*studies = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "analyses"), 0), "studies");
	return doc;
}

static void rows_in_order(void **state)
{
	(void)state;
	cJSON *studies;
	cJSON *doc = doc_with_one_tree_row(&studies);
	struct sm_outcome y = { .study_id = "y", .label = "y lab", .event = "death" };
	struct sm_outcome z = { .study_id = NULL, .label = "z lab" };
	struct sm_row_index *x = sm_row_index_new();
	assert_non_null(x);
	assert_int_equal(sm_row_index_add(x, studies, &y), 0);
	assert_int_equal(sm_row_index_add(x, studies, NULL), 0);
	assert_int_equal(sm_row_index_add(x, studies, &z), 0);
	assert_int_equal(sm_row_index_size(x, studies), 3);
	assert_int_equal(sm_row_index_size(NULL, studies), 1);
	struct sm_row_iter it;
	struct sm_row_view v;
	sm_row_iter_begin(&it, x, studies);
	assert_true(sm_row_iter_next(&it, &v));
	assert_string_equal(v.study_id, "y");
	assert_string_equal(v.event, "death");
	assert_true(v.has_fisher_p);
	assert_true(isnan(v.fisher_p) && isnan(v.n1i));
	assert_true(sm_row_iter_next(&it, &v));
	assert_string_equal(v.study_id, "x");
	assert_string_equal(v.label, "x lab");
	assert_null(v.event);
	assert_true(v.n1i == 10 && v.n2i == 12 && v.fisher_p == 0.5);
	assert_true(sm_row_iter_next(&it, &v));
	assert_null(v.study_id);
	assert_string_equal(v.label, "z lab");
	assert_false(sm_row_iter_next(&it, &v));
	/* a list's rows are added together: not again after another list's */
	cJSON *other = cJSON_CreateArray();
	assert_int_equal(sm_row_index_add(x, other, NULL), 0);
	assert_int_equal(sm_row_index_add(x, studies, &y), -1);
	cJSON_Delete(other);
	sm_row_index_free(x);
	cJSON_Delete(doc);
}

/* The domain table's and check's study count see the indexed rows: y, x
 * and z (by its label) are three studies, y twice is one. */
static void study_count(void **state)
{
	(void)state;
	cJSON *studies;
	cJSON *doc = doc_with_one_tree_row(&studies);
	const cJSON *a = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "analyses"), 0);
	struct sm_outcome y = { .study_id = "y", .label = "y lab" };
	struct sm_outcome z = { .label = "z lab" };
	struct sm_row_index *x = sm_row_index_new();
	assert_non_null(x);
	assert_int_equal(sm_row_index_add(x, studies, &y), 0);
	assert_int_equal(sm_row_index_add(x, studies, NULL), 0);
	assert_int_equal(sm_row_index_add(x, studies, &y), 0);
	assert_int_equal(sm_row_index_add(x, studies, &z), 0);
	assert_int_equal(sm_domain_table_studies(a), 1);
	assert_int_equal(sm_domain_table_studies_indexed(a, x), 3);

	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_check *c = sm_check_run(ctx, doc);
	assert_non_null(c);
	for (size_t i = 0; i < c->n_findings; i++)
		assert_false(c->findings[i].kind == SM_CHECK_COUNT);
	sm_check_free(c);
	c = sm_check_run_indexed(ctx, doc, x);
	assert_non_null(c);
	int counts = 0;
	for (size_t i = 0; i < c->n_findings; i++) {
		const struct sm_check_finding *f = &c->findings[i];
		if (f->kind != SM_CHECK_COUNT || strcmp(f->field, "studies_stated"))
			continue;
		counts++;
		assert_int_equal((int)f->reported, 1);
		assert_int_equal((int)f->computed, 3);
	}
	assert_int_equal(counts, 1);
	sm_check_free(c);
	sm_ctx_free(ctx);
	sm_row_index_free(x);
	cJSON_Delete(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rows_in_order),
		cmocka_unit_test(study_count),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
