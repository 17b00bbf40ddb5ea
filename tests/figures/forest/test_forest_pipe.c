/* A long forest written to PDF page by page while it is laid out
 * (sm_flayout_build_to, sm_fig_pipe.h): the file is the one the figure
 * laid out whole gives, byte for byte, with the drawer on a second thread
 * or not, every run; a page whose text the engine must shape (a glyph no
 * font has) is drawn by the layout's thread in its turn; the kind's
 * write_pdf (what `render forest -o f.pdf` runs) gives the same file.
 * Built with ASan, the runs also catch a page freed before it is drawn. */
#include "sm_render_test.h"

#include "sm_buf.h"
#include "sm_canvas.h"
#include "sm_fig_pipe.h"
#include "sm_forest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MSC "tests/fixtures/results/msc-iv-rct.results.json"
#define RUNS 5

static int setup(void **state)
{
	return sm_render_fx_setup_doc(state, MSC);
}

/* The MSC results with the studies of every analysis added to the first,
 * `copies` times over (hundreds of studies, many pages); with `boxed` one
 * study's label in the middle has a character no font has. */
static cJSON *long_doc(struct sm_render_fx *f, int copies, int boxed, const char **name)
{
	cJSON *big = cJSON_Duplicate(f->doc, 1);
	cJSON *analyses = cJSON_GetObjectItemCaseSensitive(big, "analyses");
	cJSON *first = cJSON_GetArrayItem(analyses, 0);
	cJSON *studies = cJSON_GetObjectItemCaseSensitive(first, "studies");
	for (int c = 0; c < copies; c++) {
		cJSON *a;
		cJSON_ArrayForEach(a, analyses) {
			if (a == first)
				continue;
			cJSON *s;
			cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(a, "studies"))
				cJSON_AddItemToArray(studies, cJSON_Duplicate(s, 1));
		}
	}
	int n = cJSON_GetArraySize(studies);
	assert_true(n > 200 * copies);
	if (boxed) {
		cJSON *s = cJSON_GetArrayItem(studies, n / 2);
		cJSON_ReplaceItemInObjectCaseSensitive(
			s, "label", cJSON_CreateString("odd \xf4\x8f\xbf\xbd mark")); /* U+10FFFD */
	}
	cJSON_SetNumberValue(cJSON_GetObjectItemCaseSensitive(first, "k"), n);
	cJSON_SetNumberValue(cJSON_GetObjectItemCaseSensitive(first, "k_rows"), n);
	/* each study's cumulative index no longer fits: left out */
	cJSON *a;
	cJSON_ArrayForEach(a, analyses)
		cJSON_DeleteItemFromObject(a, "cumul_order");
	*name = cJSON_GetObjectItemCaseSensitive(first, "name")->valuestring;
	return big;
}

static struct sm_forest_options opts_for(const char *analysis)
{
	struct sm_forest_options o;
	sm_forest_options_init(&o);
	o.common.analysis = analysis;
	return o;
}

/* The figure laid out whole, then written: the path every other format
 * takes. */
static char *whole(struct sm_render_fx *f, const struct sm_res *res, const char *an,
		   int *npages)
{
	struct sm_forest_options o = opts_for(an);
	struct sm_forest_target t = { .paginate = 1 };
	struct sm_flayout *l = NULL;
	sm_render_expect_ok(f, sm_forest_build(f->ctx, res, &o, &t, &l));
	*npages = l->fig->npages;
	char *path = sm_asprintf("%s/whole.pdf", f->dir);
	sm_render_expect_ok(f, sm_fig_write(f->ctx, l->fig, path, 0));
	sm_flayout_free(l);
	return path;
}

/* The same forest streamed; the figure left holds no page. */
static char *streamed(struct sm_render_fx *f, const struct sm_res *res, const char *an,
		      int threaded, int run, int npages)
{
	struct sm_forest_options o = opts_for(an);
	char *path = sm_asprintf("%s/pipe-%d-%d.pdf", f->dir, threaded, run);
	struct sm_flayout_stream to = { path, threaded };
	struct sm_forest_target t = { .paginate = 1, .stream = &to };
	struct sm_flayout *l = NULL;
	sm_render_expect_ok(f, sm_forest_build(f->ctx, res, &o, &t, &l));
	assert_int_equal(l->fig->npages, npages);
	assert_int_equal(l->fig->nitems, 0);
	assert_int_equal(l->fig->ntexts, 0);
	sm_flayout_free(l);
	return path;
}

static void same_every_way(struct sm_render_fx *f, int boxed)
{
	const char *name;
	cJSON *big = long_doc(f, 3, boxed, &name);
	struct sm_res *res = sm_render_typed(f, big);
	int npages;
	char *ref = whole(f, res, name, &npages);
	assert_true(npages >= 10);
	for (int run = 0; run < RUNS; run++) {
		char *p = streamed(f, res, name, 1, run, npages);
		sm_render_same_files(ref, p);
		free(p);
	}
	char *one = streamed(f, res, name, 0, 0, npages);
	sm_render_same_files(ref, one);
	free(one);
	/* what `render forest -o f.pdf` runs */
	char *cli = sm_asprintf("%s/kind.pdf", f->dir);
	struct sm_forest_options o = opts_for(name);
	struct sm_figure_env env = { .format = SM_CANVAS_PDF };
	assert_non_null(sm_figure_forest.write_pdf);
	sm_render_expect_ok(f, sm_figure_forest.write_pdf(f->ctx, res, &o, &env, cli));
	sm_render_same_files(ref, cli);
	free(cli);
	sm_ctx_clear_warnings(f->ctx);
	free(ref);
	sm_res_free(res);
	cJSON_Delete(big);
}

/* Every text kept: each page drawn on the second thread. */
static void test_same_bytes(void **state)
{
	same_every_way(*state, 0);
}

/* One page needs the engine to draw a text: the layout's thread draws it,
 * between the drawer's pages. */
static void test_same_bytes_with_a_shaped_text(void **state)
{
	same_every_way(*state, 1);
}

/* A PDF that cannot be written fails before any page, as a file output
 * error, and leaves no file. */
static void test_unwritable(void **state)
{
	struct sm_render_fx *f = *state;
	const char *name;
	cJSON *big = long_doc(f, 1, 0, &name);
	struct sm_res *res = sm_render_typed(f, big);
	struct sm_forest_options o = opts_for(name);
	char *path = sm_asprintf("%s/no/such/dir/f.pdf", f->dir);
	struct sm_flayout_stream to = { path, 1 };
	struct sm_forest_target t = { .paginate = 1, .stream = &to };
	struct sm_flayout *l = NULL;
	sm_status s = sm_forest_build(f->ctx, res, &o, &t, &l);
	assert_int_equal(s, SM_EOUTPUT);
	assert_null(l);
	FILE *fp = fopen(path, "rb");
	assert_null(fp);
	sm_ctx_clear_error(f->ctx);
	free(path);
	sm_res_free(res);
	cJSON_Delete(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_same_bytes, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_same_bytes_with_a_shaped_text, setup,
						sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_unwritable, setup, sm_render_fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
