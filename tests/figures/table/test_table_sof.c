/* The GRADE summary-of-findings table (src/figures/table/sm_table_sof.c):
 * every cell is a number of the results' summary_of_findings, formatted;
 * the first row is also checked by hand against the committed fixture
 * (OR 0.5123 [0.2591, 1.0129], control risk 189.87 per 1000). */
#include "sm_render_test.h"

#include "sm_buf.h"
#include "sm_fmt.h"
#include "sm_table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GRADE "tests/fixtures/render/msc-grade.results.json"

static int setup(void **state)
{
	return sm_render_fx_setup_doc(state, GRADE);
}

static char *rounded(double x)
{
	return sm_fmt_num_str(x, 0);
}

/* "83 fewer" etc. from a value of the results. */
static char *change(double x)
{
	char *n = sm_fmt_num_str(fabs(x), 0);
	char *s = sm_asprintf("%s\xc2\xa0%s", n, x < 0 ? "fewer" : "more");
	free(n);
	return s;
}

static void hand_checked_first_row(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_table *t = sm_table_from_res(f->ctx, f->rdoc, "sof");
	assert_non_null(t);
	assert_int_equal(t->ncols, 7);
	assert_int_equal(t->nrows, 3);
	assert_string_equal(t->headers[4], "Risk with Control per 1000");
	assert_string_equal(t->headers[5], "Risk with MSC per 1000");
	assert_string_equal(sm_table_cell(t, 0, 0), "Serious adverse events and deaths (critical)");
	assert_string_equal(sm_table_cell(t, 0, 1), "304 (8 studies)");
	/* low certainty: two of four circles; rated down for risk of bias (a)
	 * and imprecision (b) */
	assert_string_equal(sm_table_cell(t, 0, 2),
			    "\xe2\x8a\x95\xe2\x8a\x95\xe2\x97\x8b\xe2\x97\x8b Low a,b");
	assert_string_equal(sm_table_cell(t, 0, 3), "OR 0.51 (0.26 to 1.01)");
	assert_string_equal(sm_table_cell(t, 0, 4), "190");
	assert_string_equal(sm_table_cell(t, 0, 5), "107");
	assert_string_equal(sm_table_cell(t, 0, 6),
			    "83\xc2\xa0" "fewer (133\xc2\xa0" "fewer to 2\xc2\xa0more)");
	sm_table_free(t);
}

/* Every row against its results row; every mark a row prints has its text
 * in the footnote. */
static void rows_are_the_results(void **state)
{
	struct sm_render_fx *f = *state;
	const struct sm_res_sof *sof = &f->rdoc->summary_of_findings;
	struct sm_table *t = sm_table_from_res(f->ctx, f->rdoc, "sof");
	assert_non_null(t);
	assert_int_equal(t->nrows, sof->rows.n);
	for (size_t i = 0; i < sof->rows.n; i++) {
		const struct sm_res_sof_row *r = &sof->rows.v[i];
		char *c = rounded(r->control_per_1000), *tr = rounded(r->treated_per_1000);
		assert_string_equal(sm_table_cell(t, i, 4), c);
		assert_string_equal(sm_table_cell(t, i, 5), tr);
		char *d = change(r->difference_per_1000);
		assert_int_equal(strncmp(sm_table_cell(t, i, 6), d, strlen(d)), 0);
		free(c);
		free(tr);
		free(d);
		for (size_t j = 0; j < r->downgrades.n; j++) {
			const struct sm_res_sof_downgrade *g = &r->downgrades.v[j];
			if (!g->footnote || !strcmp(g->rating, "not serious"))
				continue;
			assert_non_null(strstr(sm_table_cell(t, i, 2), g->footnote));
			int found = 0;
			for (size_t k = 0; k < sof->footnotes.n; k++)
				if (!strcmp(sof->footnotes.v[k].mark, g->footnote)) {
					found = 1;
					assert_non_null(strstr(t->footnote, sof->footnotes.v[k].text));
				}
			assert_true(found);
		}
	}
	assert_non_null(strstr(t->footnote, "GRADE certainty: high"));
	sm_table_free(t);
	/* the bundle exports it */
	size_t n;
	const char **names = sm_table_names_in(f->rdoc, &n);
	int listed = 0;
	for (size_t i = 0; i < n; i++)
		listed |= !strcmp(names[i], "sof");
	free(names);
	assert_true(listed);
}

/* Results without GRADE ratings: an input error naming the review key, and
 * no "sof" among the bundle's tables. */
static void without_ratings(void **state)
{
	struct sm_render_fx *f = *state;
	assert_null(sm_table_from_res(f->ctx, f->rmsc, "sof"));
	assert_int_equal(sm_ctx_error(f->ctx)->code, SM_EINPUT);
	assert_non_null(strstr(sm_ctx_error(f->ctx)->msg, "'grade'"));
	sm_ctx_clear_error(f->ctx);
	size_t n;
	const char **names = sm_table_names_in(f->rmsc, &n);
	for (size_t i = 0; i < n; i++)
		assert_string_not_equal(names[i], "sof");
	free(names);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(hand_checked_first_row, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(rows_are_the_results, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(without_ratings, setup, sm_render_fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
