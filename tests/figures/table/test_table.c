/* Tests of tables: content built from results, layout (widths, wrapping,
 * pages with the header repeated) and the PDF/SVG/PNG files. */
#define _GNU_SOURCE /* memmem */
#include "sm_test.h"

#include "sm_buf.h"
#include "sm_fonts.h"
#include "sm_style.h"
#include "sm_table.h"
#include "sm_table_layout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fix {
	struct sm_ctx *ctx;
	struct sm_fonts *fonts;
	struct sm_text *text;
	struct sm_style *style;
	char dir[64];
};

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof *f);
	f->ctx = sm_ctx_new();
	sm_ctx_set_home(f->ctx, getenv("SAFEMETA_HOME") ? getenv("SAFEMETA_HOME") : ".");
	f->fonts = sm_fonts_new_home(f->ctx);
	f->text = f->fonts ? sm_text_new(f->ctx, f->fonts) : NULL;
	f->style = sm_style_defaults(f->ctx);
	strcpy(f->dir, "/tmp/sm_table_XXXXXX");
	if (!f->text || !f->style || !mkdtemp(f->dir))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;
	char *cmd = sm_asprintf("rm -rf '%s'", f->dir);
	if (cmd && system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", f->dir);
	free(cmd);
	sm_style_free(f->style);
	sm_text_free(f->text);
	sm_fonts_free(f->fonts);
	sm_ctx_free(f->ctx);
	free(f);
	return 0;
}

static cJSON *load_fixture(const char *name)
{
	char rel[256];
	snprintf(rel, sizeof rel, "tests/fixtures/results/%s.results.json", name);
	char *path = sm_test_path(rel);
	char *text = sm_test_slurp(path);
	cJSON *doc = cJSON_Parse(text);
	assert_non_null(doc);
	free(text);
	free(path);
	return doc;
}

/* The domain table as the analysis stage writes it (two domains). */
static const char domain_results[] =
	"{\"analyses\":[],\"review\":{},\"domain_table\":{\"arm_labels\":[\"MSC\",\"Control\"],"
	"\"level\":95,\"rows\":["
	"{\"analysis\":\"Infections and infestations\",\"measure\":\"OR\",\"k\":44,"
	"\"k_studies\":21,\"events_t\":120,\"n_t\":1300,\"events_c\":134,\"n_c\":1029,"
	"\"estimate\":0.7297,\"ci_lb\":0.5434,\"ci_ub\":0.9795,\"p\":0.0358,\"I2\":0,"
	"\"tau2\":0,\"egger_p\":0.181,\"begg_p\":0.598,\"direction\":\"fewer\","
	"\"verdict\":\"Fewer events with MSC\",\"absolute\":{\"control_per_1000\":130.2,"
	"\"treated_per_1000\":98.4,\"treated_ci_lb_per_1000\":75.2,"
	"\"treated_ci_ub_per_1000\":127.8}},"
	"{\"analysis\":\"Hematological\",\"measure\":\"OR\",\"k\":2,\"k_studies\":2,"
	"\"events_t\":4,\"n_t\":44,\"events_c\":4,\"n_c\":35,\"estimate\":0.62,"
	"\"ci_lb\":0.13,\"ci_ub\":2.89,\"p\":0.0004,\"I2\":0,\"tau2\":0,\"egger_p\":null,"
	"\"begg_p\":1,\"verdict\":\"No significant difference\",\"absolute\":null}]}}";

static void domain_table_cells(void **state)
{
	struct fix *f = *state;
	cJSON *res = cJSON_Parse(domain_results);
	struct sm_table *t = sm_table_from_results(f->ctx, res, "domains");
	assert_non_null(t);
	assert_int_equal(t->nrows, 2);
	assert_int_equal(t->ncols, 13);
	assert_string_equal(t->headers[2], "MSC events/N");
	assert_string_equal(t->headers[3], "Control events/N");
	assert_string_equal(t->headers[4], "OR [95% CI]");
	assert_string_equal(sm_table_cell(t, 0, 0), "Infections and infestations");
	assert_string_equal(sm_table_cell(t, 0, 1), "44 (21)");
	assert_string_equal(sm_table_cell(t, 0, 2), "120/1300");
	assert_string_equal(sm_table_cell(t, 0, 4), "0.73 [0.54, 0.98]");
	assert_string_equal(sm_table_cell(t, 0, 5), "0.036");
	assert_string_equal(sm_table_cell(t, 0, 10), "130");
	assert_string_equal(sm_table_cell(t, 0, 11), "98 [75, 128]");
	assert_string_equal(sm_table_cell(t, 0, 12), "Fewer events with MSC");
	assert_string_equal(sm_table_cell(t, 1, 5), "<0.001");
	assert_string_equal(sm_table_cell(t, 1, 8), "NA");
	assert_string_equal(sm_table_cell(t, 1, 11), "");
	assert_int_equal(t->align[4], SM_ALIGN_RIGHT);
	assert_int_equal(t->align[12], SM_ALIGN_LEFT);
	assert_non_null(strstr(t->footnote, "summed over comparisons"));
	sm_table_free(t);
	size_t n;
	const char **names = sm_table_names(res, &n);
	assert_int_equal(n, 1);
	assert_string_equal(names[0], "domains");
	free(names);
	cJSON_Delete(res);
	/* The renderer never computes the table itself. */
	res = load_fixture("tumorigenicity");
	assert_null(sm_table_from_results(f->ctx, res, "domains"));
	assert_int_equal(sm_ctx_error(f->ctx)->code, SM_EINPUT);
	sm_ctx_clear_error(f->ctx);
	cJSON_Delete(res);
}

static void review_tables(void **state)
{
	struct fix *f = *state;
	cJSON *res = load_fixture("msc-iv-rct");
	struct sm_table *t = sm_table_from_results(f->ctx, res, "characteristics");
	assert_non_null(t);
	assert_int_equal(t->nrows, 36);
	assert_int_equal(t->ncols, 17); /* Study + 14 printed + 2 row-identity keys */
	assert_string_equal(t->headers[1], "Country");
	assert_string_equal(sm_table_cell(t, 0, 0), "Ning et al., 2008");
	assert_string_equal(sm_table_cell(t, 1, 1), "USA");
	sm_table_free(t);
	t = sm_table_from_results(f->ctx, res, "table2");
	assert_non_null(t);
	assert_int_equal(t->nrows, 36);
	assert_int_equal(t->ncols, 16);
	assert_string_equal(t->title, "Table 2 | Study characteristics of randomized control trials");
	assert_non_null(t->footnote);
	sm_table_free(t);
	cJSON_Delete(res);

	res = load_fixture("allogeneic-review");
	size_t n;
	const char **names = sm_table_names(res, &n);
	assert_int_equal(n, 4);
	assert_string_equal(names[3], "table4");
	free(names);
	assert_null(sm_table_from_results(f->ctx, res, "table9"));
	assert_string_equal(sm_ctx_error(f->ctx)->msg,
			    "no table 'table9' in the results; expected one of: "
			    "table1, table2, table3, table4");
	sm_ctx_clear_error(f->ctx);
	cJSON_Delete(res);
	/* Numbers in free-form tables print in their shortest form, null as "". */
	res = cJSON_Parse("{\"analyses\":[],\"review\":{\"tables\":[{\"id\":\"x\",\"columns\":"
			  "[\"a\",\"b\"],\"rows\":[[0.1,null],[12,\"t\"]]}]}}");
	t = sm_table_from_results(f->ctx, res, "x");
	assert_string_equal(sm_table_cell(t, 0, 0), "0.1");
	assert_string_equal(sm_table_cell(t, 0, 1), "");
	assert_string_equal(sm_table_cell(t, 1, 0), "12");
	assert_int_equal(t->align[0], SM_ALIGN_RIGHT);
	assert_int_equal(t->align[1], SM_ALIGN_LEFT);
	sm_table_free(t);
	cJSON_Delete(res);
}

static void pages_repeat_the_header(void **state)
{
	struct fix *f = *state;
	cJSON *res = load_fixture("iv-sae-70");
	struct sm_table *t = sm_table_from_results(f->ctx, res, "table1");
	assert_non_null(t);
	double page_h = 250 * 72 / 25.4, width = 175 * 72 / 25.4;
	struct sm_table_layout *l = NULL;
	assert_int_equal(sm_table_layout_build(f->ctx, f->text, t, f->style, width, 0, page_h, &l),
			 SM_OK);
	assert_true(l->npages >= 2);
	assert_true(l->page_w <= width + 1e-9); /* seven columns fit, nothing widens */
	double used = l->gap * (double)(t->ncols - 1);
	for (size_t c = 0; c < t->ncols; c++)
		used += l->col_w[c];
	assert_true(used <= width - 2 * l->margin + 1e-6);
	int page = -1;
	for (size_t r = 0; r < t->nrows; r++) {
		assert_true(l->row_y[r] + l->row_h[r] <= page_h - l->margin + 1e-9);
		if (l->row_page[r] != page) {
			/* First row of each page sits right under that page's header. */
			assert_int_equal(l->row_page[r], page + 1);
			page = l->row_page[r];
			sm_check_close(l->row_y[r], sm_table_layout_head_y(l, page) + l->head_h,
				       1e-12, 1e-9, "row %zu below the header", r);
		} else {
			sm_check_close(l->row_y[r], l->row_y[r - 1] + l->row_h[r - 1], 1e-12, 1e-9,
				       "row %zu follows", r);
		}
	}
	assert_int_equal(page, l->npages - 1 - (l->foot_page > page));
	sm_table_layout_free(l);
	/* Unpaginated (SVG, PNG): one page as tall as the table. */
	assert_int_equal(sm_table_layout_build(f->ctx, f->text, t, f->style, width, 0, 0, &l),
			 SM_OK);
	assert_int_equal(l->npages, 1);
	sm_check_close(l->page_h, l->foot_y + l->foot_h + l->margin, 1e-12, 0, "page height");
	sm_table_layout_free(l);
	sm_table_free(t);
	cJSON_Delete(res);
}

static void long_cells_wrap(void **state)
{
	struct fix *f = *state;
	struct sm_table *t = sm_table_new(f->ctx, "w", 2);
	sm_table_set_header(f->ctx, t, 0, "Name", SM_ALIGN_LEFT);
	sm_table_set_header(f->ctx, t, 1, "Comment", SM_ALIGN_LEFT);
	sm_table_add_row(f->ctx, t);
	sm_table_add_row(f->ctx, t);
	sm_table_set(f->ctx, t, 0, 0, "short");
	sm_table_set(f->ctx, t, 0, 1, "one line");
	sm_table_set(f->ctx, t, 1, 0, "short");
	sm_table_set(f->ctx, t, 1, 1, "a long comment that cannot fit on one line of a narrow "
				      "page and must therefore be wrapped over several lines");
	struct sm_table_layout *l = NULL;
	assert_int_equal(sm_table_layout_build(f->ctx, f->text, t, f->style, 60 * 72 / 25.4, 0, 0,
					       &l), SM_OK);
	assert_true(l->row_h[1] > 2 * l->row_h[0]);
	assert_true(l->col_x[1] + l->col_w[1] <= 60 * 72 / 25.4 - l->margin + 1e-9);
	sm_table_layout_free(l);
	/* A word wider than the page widens the page instead of breaking. */
	sm_table_set(f->ctx, t, 0, 1, "Pneumonoultramicroscopicsilicovolcanoconiosis-"
				      "Pneumonoultramicroscopicsilicovolcanoconiosis");
	assert_int_equal(sm_table_layout_build(f->ctx, f->text, t, f->style, 30 * 72 / 25.4, 0, 0,
					       &l), SM_OK);
	assert_true(l->page_w > 30 * 72 / 25.4);
	sm_table_layout_free(l);
	sm_table_free(t);
}

static char *slurp_bin(const char *path, size_t *len)
{
	char *data = NULL;
	assert_int_equal(sm_read_file(path, 0, &data, len), 0);
	return data;
}

static void renders_every_format(void **state)
{
	struct fix *f = *state;
	cJSON *res = load_fixture("iv-sae-70");
	struct sm_table *t = sm_table_from_results(f->ctx, res, "table1");
	struct sm_table_opts o;
	sm_table_opts_init(&o);
	o.dpi = 72;
	struct sm_table_layout *l = NULL;
	assert_int_equal(sm_table_layout_build(f->ctx, f->text, t, f->style, f->style->width, 0,
					       f->style->page_height, &l), SM_OK);
	assert_true(l->npages >= 2);
	char count[32];
	snprintf(count, sizeof count, "/Count %d", l->npages);
	sm_table_layout_free(l);
	static const char *const ext[] = { "pdf", "svg", "png" };
	for (int i = 0; i < 3; i++) {
		char *path = sm_asprintf("%s/t.%s", f->dir, ext[i]);
		assert_int_equal(sm_table_render(f->ctx, t, &o, path), SM_OK);
		size_t len;
		char *data = slurp_bin(path, &len);
		if (i == 0) {
			assert_memory_equal(data, "%PDF", 4);
			/* The page tree holds as many pages as the layout. */
			/* The PDF holds NUL bytes: search all of it. */
			if (!memmem(data, len, count, strlen(count)))
				fail_msg("no '%s' in the PDF", count);
		} else if (i == 1) {
			assert_non_null(strstr(data, "<svg"));
		} else {
			assert_memory_equal(data, "\x89PNG", 4);
		}
		free(data);
		free(path);
	}
	char *bad = sm_asprintf("%s/t.txt", f->dir);
	assert_int_equal(sm_table_render(f->ctx, t, &o, bad), SM_EINPUT);
	sm_ctx_clear_error(f->ctx);
	assert_int_equal(access(bad, F_OK), -1);
	free(bad);
	sm_table_free(t);
	cJSON_Delete(res);
}

/* Under ASan: fontconfig loads the system configuration once per process
 * and keeps it until exit (the same suppression as the other render tests). */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(domain_table_cells, setup, teardown),
		cmocka_unit_test_setup_teardown(review_tables, setup, teardown),
		cmocka_unit_test_setup_teardown(pages_repeat_the_header, setup, teardown),
		cmocka_unit_test_setup_teardown(long_cells_wrap, setup, teardown),
		cmocka_unit_test_setup_teardown(renders_every_format, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
