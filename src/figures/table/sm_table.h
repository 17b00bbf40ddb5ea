/*
 * sm_table.h -- a table as text cells, built from the typed results, and
 * laid out into the display list (sm_fig.h) for PDF, SVG, PNG or a report
 * page.
 *
 * Tables come from the results only (nothing is recomputed here):
 *   "domains"          the safety-domain table (res->domain_table, written
 *                      by the analysis stage) formatted for print;
 *   "characteristics"  one row per study with its characteristics;
 *   "sensitivity"      every analysis' sensitivity table (analyses[].
 *                      sensitivity), one block of rows per analysis;
 *   "sensitivity:NAME" that of analysis NAME only (what `@table
 *                      sensitivity` inside `@each analysis` asks for);
 *   "rare_events"      the rare-event methods of every 2x2 analysis
 *                      (analyses[].rare_events), one block per domain;
 *   "sof"              the GRADE summary of findings (summary_of_findings):
 *                      one row per rated outcome, GRADEpro's columns;
 *   "check"            what `safemeta check` found (the results' "check"):
 *                      one row per reported analysis; not among the names
 *                      a bundle exports;
 *   any other name     a free-form table of the review (review.tables[].id).
 * Cells are UTF-8 strings; numbers from free-form tables and
 * characteristics are written in their shortest form, null as an empty
 * cell.  The text-cell table (struct sm_table) is also what the CSV, XLSX
 * and Markdown exports write.
 *
 * Layout wraps cell text to fit the page width (columns get at least their
 * longest word, the rest of the width in proportion to what each column
 * would need unwrapped; a table whose words do not fit widens the page
 * instead of breaking words, unless asked to keep the width), and a
 * paginated layout (PDF) breaks across pages with the header row repeated
 * (the first page may be shorter: a table that starts part way down a
 * report page); the last page never holds one row alone when the page
 * before can spare one, and a footnote takes rows along rather than stand
 * alone on a page.  SVG and PNG are one tall page.
 *
 * Display list: texts tagged SM_TT_TITLE (page 0, painted before the
 * rules), SM_TT_HEAD (ref = column, on every page with rows), SM_TT_CELL
 * (ref = row * ncols + column; empty cells have none), SM_TT_FOOT; items
 * are the three rules of each page with rows (SM_TT_RULE_TOP,
 * SM_TT_RULE_HEAD, SM_TT_RULE_BOTTOM; ref = page).
 *
 * Ownership: sm_table_* constructors return a table freed with
 * sm_table_free(), which owns all its strings; results are borrowed.
 * sm_table_names_in() returns an array of strings borrowed from the
 * results (free() the array only).  sm_table_lay_out() returns a figure
 * (sm_fig_free) that owns copies of every string it draws, and a geometry
 * (sm_table_layout_free) that borrows nothing.
 */
#ifndef SM_TABLE_H
#define SM_TABLE_H

#include "sm_canvas.h"
#include "sm_ctx.h"
#include "sm_fig.h"
#include "sm_figure.h"
#include "sm_res.h"
#include "sm_text.h"

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

/* The name of one analysis' sensitivity table is this prefix + its name. */
#define SM_TABLE_SENS_PREFIX "sensitivity:"

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

/* The names of the tables the results offer, in order: "domains" (when
 * they have a domain table), "characteristics" (when studies have
 * characteristics), then the review's own table ids.  NULL on out of
 * memory. */
const char **sm_table_names_in(const struct sm_res *res, size_t *n);

/* Build one table by name (see above); NULL with SM_EINPUT when there is
 * no such table (the message lists the names there are). */
struct sm_table *sm_table_from_res(struct sm_ctx *ctx, const struct sm_res *res,
				   const char *name);

/* The rules the footnote of every sensitivity table of a review starts
 * with (those of analysis `analysis`, or of the first analysis when
 * NULL): a report says them once and refers to that table after.  NULL
 * on out of memory; free() it. */
char *sm_table_sens_rules(const struct sm_res *res, const char *analysis);

/* ---- layout ------------------------------------------------------------- */

/* What the display list of a table shows (sm_fig tag). */
enum sm_table_tag { SM_TT_TITLE = 1, SM_TT_HEAD, SM_TT_CELL, SM_TT_FOOT, SM_TT_RULE_TOP,
		    SM_TT_RULE_HEAD, SM_TT_RULE_BOTTOM };

/* How to lay a table out. */
struct sm_table_req {
	const char *style; /* template name or .json path; NULL = "default" */
	const char *width; /* "175mm", "double", ...; NULL = the style's width */
	double width_pt;   /* > 0: exactly this width (pt); `width` is ignored */
	double font_size;  /* pt; 0 = the style's small size */
	double page_h;     /* > 0: pages of this height (pt); 0: one page as tall
			    * as the table; < 0: pages of the style's height */
	double first_page_h; /* > 0 (paginated): page 0 is this tall instead (a
			      * report page the table starts part way down) */
	int bare;          /* no page margin (a table placed on a report page) */
	int fit_width;     /* never wider than the width: the longest words
			    * break instead (a report page of fixed width) */
	double min_size;   /* > the style's minimum: no text is set smaller (the
			    * footnote, normally half a point under the cells) */
	/* Trial layouts then the one drawn (a report's table): laid out in
	 * this figure (borrowed, from sm_table_measurer()) instead of a new
	 * one, so that what a trial at the same size measured is looked up,
	 * not shaped again; NULL: a new figure. */
	struct sm_fig *into;
	int measure_only;  /* with `into`: the geometry only, nothing drawn into
			    * it (*fig stays NULL); it can take the next layout */
};

/* An empty figure for req.into (the style's, as sm_table_lay_out makes);
 * NULL on failure.  The caller frees it unless a layout into it
 * succeeded that was not measure_only: *fig is then this figure. */
struct sm_fig *sm_table_measurer(struct sm_ctx *ctx, const char *style);

/* Where the cells went (sm_table_layout.h).  The height the table uses on
 * `page` (from the page's top, margin included) is what the figure records
 * as that page's used height (sm_fig_page_used). */
struct sm_table_layout;
void sm_table_layout_free(struct sm_table_layout *l);
double sm_table_layout_used(const struct sm_table_layout *l, int page);

/* Lay `t` out into a finished figure (*fig) and, when `geometry` is not
 * NULL, hand back where everything went.  The figure copies what it
 * draws, so `t` may go right after. */
sm_status sm_table_lay_out(struct sm_ctx *ctx, const struct sm_table *t,
			   const struct sm_table_req *req, struct sm_fig **fig,
			   struct sm_table_layout **geometry);

/* ---- the figure kind ---------------------------------------------------- */

/* Options of `render table`: the common ones (analysis and title unused
 * except that title "" drops the table's own title and another title
 * replaces it) and the table's name. */
struct sm_table_fopts {
	struct sm_figure_common common;
	const char *table; /* domains | characteristics | a review table id (required) */
};

/* The kind: its layout is sm_table_from_res() then sm_table_lay_out(),
 * paginated for PDF (at env->page_height when > 0, else at the style's
 * page height, as `render table` always did); env->max_width > 0 lays out
 * a bare table of that width for a report page.  No bundle figures (the
 * bundle writes tables as CSV, XLSX and Markdown). */
extern const struct sm_figure_kind sm_figure_table;

#endif
