/*
 * sm_table_layout.h -- where every cell of a table goes: column widths,
 * wrapped row heights, and the rows of each page (the header row repeats
 * on every page).  Measured with the same text engine that draws.
 *
 * Ownership: sm_table_layout_build() returns a layout freed with
 * sm_table_layout_free() (declared in sm_table.h); its text styles borrow
 * the style's family name, nothing else is borrowed after it returns.
 */
#ifndef SM_TABLE_LAYOUT_H
#define SM_TABLE_LAYOUT_H

#include "sm_style.h"
#include "sm_table.h"
#include "sm_text.h"

struct sm_table_layout {
	double page_w, page_h; /* canvas size of every page (pt) */
	double first_h;        /* > 0: the height page 0 may use (a report page
				* the table starts on part way down) */
	int words_broken;      /* the width was too narrow for the longest words */
	double margin, gap, pad; /* page margin, column gap, padding above/below text */
	double table_w;
	double table_x;        /* left edge of the rules and the first column */
	double text_w;         /* the title's and the footnote's width: the page's
				* content width, or the table's when wider */
	size_t ncols, nrows;
	double *col_x, *col_w; /* ncols: left edge and width of each text box */
	double title_h;        /* 0 without a title (first page only) */
	double head_h;         /* header row, padding included */
	double foot_h;         /* 0 without a footnote */
	double *row_h;         /* nrows, padding included */
	double *row_y;         /* nrows: top of the row on its page */
	int *row_page;         /* nrows */
	int npages;
	int foot_page;         /* page of the footnote */
	double foot_y;
	struct sm_tstyle body, head, title, foot;
};

/* What to lay out for. */
struct sm_table_geom {
	double width;     /* total width (pt) of the page */
	double font_size; /* pt; 0 = the style's small size */
	double page_h;    /* > 0 paginates (PDF); 0: one page as tall as the table */
	double first_h;   /* > 0 (with page_h): page 0 is this tall instead */
	int fit_width;    /* 1: never wider than `width` (long words break) */
	double min_size;  /* > the style's minimum: no text smaller (the footnote) */
	int centre;       /* a table narrower than the width is centred under its
			   * title and footnote (else at the left margin) */
};

/* NULL in *out and an error when the page (page 0: first_h) is too short
 * for the header and the first row. */
sm_status sm_table_layout_build(struct sm_ctx *ctx, struct sm_text *text,
				const struct sm_table *t, const struct sm_style *style,
				const struct sm_table_geom *geom, struct sm_table_layout **out);

/* The y of the header row's top on `page` (below the title on page 0). */
double sm_table_layout_head_y(const struct sm_table_layout *l, int page);
/* Where the table's rules and header end on `page`: the bottom of the last
 * row there (the header's bottom on a page without rows). */
double sm_table_layout_rows_end(const struct sm_table_layout *l, int page);
/* 1 when `page` shows the header row and rules: a page with rows, and page
 * 0 of any table (a footnote alone on the last page has none). */
int sm_table_layout_has_header(const struct sm_table_layout *l, int page);

#endif
