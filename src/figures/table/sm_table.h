/*
 * sm_table.h -- a table as text cells, built from a results document, and
 * drawn to PDF, SVG or PNG.
 *
 * Tables come from the results JSON only (nothing is recomputed here):
 *   "domains"          the safety-domain table ("domain_table", written by
 *                      the analysis stage) formatted for print;
 *   "characteristics"  one row per study with its characteristics;
 *   any other name     a free-form table of the review ("tables"[].id).
 * Cells are UTF-8 strings; numbers from free-form tables are written in
 * their shortest form, null as an empty cell.
 *
 * Drawing wraps cell text to fit the page width (columns get at least
 * their longest word, the rest of the width in proportion to what each
 * column would need unwrapped; a table whose words do not fit widens the
 * page instead of breaking words), and a PDF breaks across pages with the
 * header row repeated; SVG and PNG are one tall page.
 *
 * Ownership: sm_table_* constructors return a table freed with
 * sm_table_free(), which owns all its strings; results is borrowed.  A
 * kept table (sm_table_fig_new) owns its style and fonts and borrows the
 * table; free it with sm_table_fig_free().
 */
#ifndef SM_TABLE_H
#define SM_TABLE_H

#include "sm_canvas.h"
#include "sm_ctx.h"
#include "sm_text.h"

#include <cjson/cJSON.h>
#include <stddef.h>

struct sm_table {
	char *id;
	char *title;    /* NULL when none */
	char *footnote; /* NULL when none */
	size_t ncols, nrows;
	char **headers;       /* ncols */
	enum sm_align *align; /* ncols: numbers right, text left */
	char **cells;         /* nrows * ncols, row-major; never NULL */
};

struct sm_table *sm_table_new(struct sm_ctx *ctx, const char *id, size_t ncols);
void sm_table_free(struct sm_table *t);
/* Append an empty row (cells ""); returns its index or -1 (error in ctx). */
long sm_table_add_row(struct sm_ctx *ctx, struct sm_table *t);
/* Set a cell / header / title / footnote to a copy of text (NULL = ""). */
sm_status sm_table_set(struct sm_ctx *ctx, struct sm_table *t, size_t row, size_t col,
		       const char *text);
sm_status sm_table_set_header(struct sm_ctx *ctx, struct sm_table *t, size_t col,
			      const char *text, enum sm_align align);
sm_status sm_table_set_title(struct sm_ctx *ctx, struct sm_table *t, const char *title,
			     const char *footnote);
static inline const char *sm_table_cell(const struct sm_table *t, size_t row, size_t col)
{
	return t->cells[row * t->ncols + col];
}

/* The names of the tables a results document offers, in order: "domains"
 * (when it has a domain table), "characteristics" (when studies have
 * characteristics), then the review's own table ids.  Newly allocated
 * array of borrowed strings (free() the array only). */
const char **sm_table_names(const cJSON *results, size_t *n);

/* Build one table by name (see above); NULL with SM_EINPUT when there is
 * no such table. */
struct sm_table *sm_table_from_results(struct sm_ctx *ctx, const cJSON *results,
				       const char *name);

struct sm_table_opts {
	const char *style; /* template name or .json path; NULL = "default" */
	const char *width; /* "175mm", "double", ...; NULL = the style's width */
	double dpi;        /* PNG only; 0 = 300 */
	double font_size;  /* pt; 0 = the style's small size */
};

void sm_table_opts_init(struct sm_table_opts *opts);

sm_status sm_table_render(struct sm_ctx *ctx, const struct sm_table *t,
			  const struct sm_table_opts *opts, const char *out_path);

/* A table laid out once and kept drawable, for a report page: no page
 * margin, at most `width` pt wide (0 = the style's width), split into pages
 * of at most `page_h` pt (0 = one page), the header row repeated.  It
 * borrows `t` (keep the table alive and unchanged); a report that captions
 * the table itself clears t->title first.  NULL on failure. */
struct sm_table_fig;
struct sm_table_fig *sm_table_fig_new(struct sm_ctx *ctx, const struct sm_table *t,
				      const struct sm_table_opts *opts, double width,
				      double page_h);
void sm_table_fig_free(struct sm_table_fig *tf);
int sm_table_fig_pages(const struct sm_table_fig *tf);
/* Width of the table and the height it uses on `page`. */
double sm_table_fig_width(const struct sm_table_fig *tf);
double sm_table_fig_height(const struct sm_table_fig *tf, int page);
sm_status sm_table_fig_draw_on(struct sm_ctx *ctx, struct sm_canvas *c,
			       const struct sm_table_fig *tf, int page, double x, double y);

#endif
