/* transitional: removed when src/report and src/cli use sm_figure_table
 *
 * The entry points src/report and src/cli still call, as thin wrappers:
 * a results document held as cJSON is read through sm_res_from_json (the
 * checks a file gets), tables are laid out with sm_table_lay_out and
 * drawn from the display list. */
#include "sm_table.h"

#include "sm_table_layout.h"

#include <stdlib.h>
#include <string.h>

/* How the wrapped documents are named in messages (the caller parsed them
 * and did not say from where). */
static const char wrapped_name[] = "results.json";

/* transitional: removed when src/report and src/cli use sm_figure_table */
const char **sm_table_names(const struct cJSON *results, size_t *n)
{
	*n = 0;
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_res *res = ctx ? sm_res_from_json(ctx, wrapped_name, results) : NULL;
	size_t k = 0;
	const char **names = res ? sm_table_names_in(res, &k) : NULL;
	/* One block: the array, then the strings it points to, so that the
	 * caller's free() of the array releases everything. */
	size_t bytes = (k + 1) * sizeof(char *);
	for (size_t i = 0; names && i < k; i++)
		bytes += strlen(names[i]) + 1;
	const char **out = names ? malloc(bytes) : NULL;
	if (out) {
		char *p = (char *)(out + k + 1);
		for (size_t i = 0; i < k; i++) {
			size_t len = strlen(names[i]) + 1;
			memcpy(p, names[i], len);
			out[i] = p;
			p += len;
		}
		out[k] = NULL;
		*n = k;
	}
	free(names);
	sm_res_free(res);
	sm_ctx_free(ctx);
	return out;
}

/* transitional: removed when src/report and src/cli use sm_figure_table */
struct sm_table *sm_table_from_results(struct sm_ctx *ctx, const struct cJSON *results,
				       const char *name)
{
	struct sm_res *res = sm_res_from_json(ctx, wrapped_name, results);
	struct sm_table *t = res ? sm_table_from_res(ctx, res, name) : NULL;
	sm_res_free(res);
	return t;
}

/* transitional: removed when src/report and src/cli use sm_figure_table */
void sm_table_opts_init(struct sm_table_opts *opts)
{
	*opts = (struct sm_table_opts){ .dpi = 300 };
}

/* transitional: removed when src/report and src/cli use sm_figure_table */
sm_status sm_table_render(struct sm_ctx *ctx, const struct sm_table *t,
			  const struct sm_table_opts *opts, const char *out_path)
{
	enum sm_canvas_format fmt;
	sm_status s = sm_canvas_format_of(ctx, out_path, &fmt);
	if (s != SM_OK)
		return s;
	struct sm_table_req req = { .style = opts->style, .width = opts->width,
				    .font_size = opts->font_size,
				    .page_h = fmt == SM_CANVAS_PDF ? -1 : 0 };
	struct sm_fig *f = NULL;
	s = sm_table_lay_out(ctx, t, &req, &f, NULL);
	if (s == SM_OK)
		s = sm_fig_write(ctx, f, out_path, opts->dpi > 0 ? opts->dpi : 300);
	sm_fig_free(f);
	return s;
}

/* transitional: removed when src/report and src/cli use sm_figure_table */
struct sm_table_fig {
	struct sm_fig *fig;
	struct sm_table_layout *layout;
};

/* transitional: removed when src/report and src/cli use sm_figure_table */
struct sm_table_fig *sm_table_fig_new(struct sm_ctx *ctx, const struct sm_table *t,
				      const struct sm_table_opts *opts, double width,
				      double page_h)
{
	struct sm_table_fig *tf = calloc(1, sizeof *tf);
	if (!tf) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	struct sm_table_req req = { .style = opts->style, .width_pt = width,
				    .font_size = opts->font_size,
				    .page_h = page_h > 0 ? page_h : 0, .bare = 1 };
	if (sm_table_lay_out(ctx, t, &req, &tf->fig, &tf->layout) != SM_OK) {
		sm_table_fig_free(tf);
		return NULL;
	}
	return tf;
}

/* transitional: removed when src/report and src/cli use sm_figure_table */
void sm_table_fig_free(struct sm_table_fig *tf)
{
	if (!tf)
		return;
	sm_table_layout_free(tf->layout);
	sm_fig_free(tf->fig);
	free(tf);
}

/* transitional: removed when src/report and src/cli use sm_figure_table */
int sm_table_fig_pages(const struct sm_table_fig *tf)
{
	return sm_table_layout_pages(tf->layout);
}

/* transitional: removed when src/report and src/cli use sm_figure_table */
double sm_table_fig_width(const struct sm_table_fig *tf)
{
	return sm_table_layout_width(tf->layout);
}

/* transitional: removed when src/report and src/cli use sm_figure_table */
double sm_table_fig_height(const struct sm_table_fig *tf, int page)
{
	return sm_table_layout_used(tf->layout, page);
}

/* transitional: removed when src/report and src/cli use sm_figure_table */
sm_status sm_table_fig_draw_on(struct sm_ctx *ctx, struct sm_canvas *c,
			       const struct sm_table_fig *tf, int page, double x, double y)
{
	if (page < 0 || page >= sm_table_layout_pages(tf->layout))
		return SM_FAIL(ctx, SM_EINTERNAL, "table page %d does not exist", page);
	return sm_fig_draw_page(ctx, c, tf->fig, page, x, y);
}
