/*
 * sm_fig.h -- a figure as a display list: shapes and texts placed in points
 * from the top left of their page, measured completely before anything is
 * drawn.
 *
 * Every figure kind (forest, funnel, PRISMA, risk of bias, table) lays out
 * into an sm_fig; tests read the items (tag/ref say what each one shows), a
 * file gets every page (sm_fig_write), and a report draws any page at any
 * place of its own pages (sm_fig_draw_page).  The figure keeps its style,
 * fonts and text engine alive, so it can be drawn long after it was laid
 * out.
 *
 * Pages and order.  A figure has npages pages of width x height (a long
 * forest or table continues on the next page; most figures have one).
 * Items are painted page by page in the order of their `layer`, and in the
 * order they were added within a layer; texts come after the items of
 * their page, except those marked `before_items` (a table's title, which
 * tables have always painted before their rules), which come before them.
 * sm_fig_finish() fixes that order once the layout is done.
 *
 * Batches.  Cairo does work for every drawing operation of a vector page,
 * and a page of a long forest holds hundreds of intervals: consecutive
 * items marked `batch` whose paint is the same (fill, stroke, colours,
 * line width, dash) are gathered into one path and painted once.  Only
 * items that never overlap may be batched, so the picture is the one
 * painting them one by one would give.  The value of `batch` names the
 * batch: neighbours with different values are painted apart even when
 * their paint happens to be the same (two groups a style gives one look).
 *
 * Ownership: sm_fig_new() returns a figure freed with sm_fig_free(); it
 * owns its style, fonts, strings and polygon points.  Pointers returned by
 * sm_fig_add()/sm_fig_put_text() are valid until the next add.
 */
#ifndef SM_FIG_H
#define SM_FIG_H

#include "sm_canvas.h"
#include "sm_ctx.h"
#include "sm_fonts.h"
#include "sm_style.h"
#include "sm_text.h"

#include <cairo.h>
#include <stddef.h>

/* A rectangle in points, y down. */
struct sm_box {
	double x0, y0, x1, y1;
};

/* 1 when the two boxes share interior area (touching edges do not). */
int sm_box_overlap(const struct sm_box *a, const struct sm_box *b);

enum sm_fig_kind {
	SM_FIG_LINE,   /* x0,y0 -> x1,y1 */
	SM_FIG_ARROW,  /* a line with a filled head at x1,y1 */
	SM_FIG_RECT,   /* corners x0,y0 and x1,y1; r = corner radius */
	SM_FIG_CIRCLE, /* centre x0,y0, radius r */
	SM_FIG_MARKER, /* centre x0,y0, size r (half-width), shape `marker` */
	SM_FIG_POLY,   /* closed polygon through pts */
	SM_FIG_PATH,   /* open polyline through pts */
	SM_FIG_CLIP,   /* later items are clipped to the rect x0,y0..x1,y1 */
	SM_FIG_UNCLIP  /* end of the last clip */
};

enum sm_fig_marker { SM_MK_CIRCLE, SM_MK_SQUARE, SM_MK_TRIANGLE, SM_MK_DIAMOND,
		     SM_MK_TRIANGLE_DOWN, SM_NMARKERS };

struct sm_fig_item {
	enum sm_fig_kind kind;
	int tag, ref;   /* figure-specific: what the item shows, which datum */
	int page;       /* 0-based */
	int layer;      /* painting order within the page: lower first */
	int batch;      /* nonzero: may share one path with its neighbours of
			 * the same value (see above) */
	double x0, y0, x1, y1, r;
	enum sm_fig_marker marker;
	double *pts;    /* x,y pairs (SM_FIG_POLY), owned */
	size_t npts;
	int fill, stroke;
	struct sm_rgb fc, sc;
	double lw;
	double dash;    /* > 0: dashed, this long on and off */
};

struct sm_fig_text {
	struct sm_box box;  /* logical box of the ink-bearing lines */
	double ox, oy;      /* layout origin (top left, before alignment) */
	char *text;         /* owned, or the kept copy when `kept` (read only) */
	struct sm_tstyle st;
	struct sm_rgb colour;
	int tag, ref;
	int page;           /* 0-based */
	int before_items;   /* painted before the items of its page, not after */
	/* Its shaping as the figure's text engine keeps it (NULL: not kept),
	 * so drawing needs no lookup and the text needs no copy of its own;
	 * borrowed from f->text. */
	const struct sm_tentry *kept;
};

/* Free what a text owns (its string unless kept), for a layout that takes
 * texts back (sm_fig_free does it for the rest). */
void sm_fig_text_release(struct sm_fig_text *t);

/* Text roles, set from the style's font sizes. */
enum sm_fig_role { SM_FR_BODY, SM_FR_BOLD, SM_FR_SMALL, SM_FR_SMALL_BOLD, SM_FR_TITLE,
		   SM_FR_ITALIC, SM_NFR };

struct sm_fig {
	double width, height; /* of every page (pt) */
	int npages;           /* 1 unless the layout continues on more pages */
	int page;             /* the page sm_fig_add() and sm_fig_put_text() put on */
	struct sm_fig_item *items;
	size_t nitems, cap_items;
	struct sm_fig_text *texts;
	size_t ntexts, cap_texts;
	/* After sm_fig_finish(): page p holds items [page_item[p],
	 * page_item[p + 1]) and texts [page_text[p], page_text[p + 1])
	 * (npages + 1 entries each), so drawing a page visits only its own. */
	size_t *page_item, *page_text;
	int finished;
	int opaque;           /* pages are painted white before anything else */
	/* How much of each page the content takes (npages entries), for a
	 * report that places the pages one after another; NULL: all of it. */
	double *page_used;
	int npages_used;      /* entries of page_used */
	struct sm_style *style;
	struct sm_fonts *fonts;
	struct sm_text *text;
};

/* A blank figure with the style `style` (template name or .json; NULL =
 * default) whose fonts were checked against the bundled ones.  NULL on
 * failure. */
struct sm_fig *sm_fig_new(struct sm_ctx *ctx, const char *style);
void sm_fig_free(struct sm_fig *f);

/* The width to lay out at: `width` ("175mm", "double", ...) or the
 * style's; fails below min_mm. */
sm_status sm_fig_width(struct sm_ctx *ctx, const struct sm_fig *f, const char *width,
		       double min_mm, double *pt);

/* The text style of a role (family from the style). */
struct sm_tstyle sm_fig_role(const struct sm_fig *f, enum sm_fig_role role);

sm_status sm_fig_measure(struct sm_ctx *ctx, struct sm_fig *f, const struct sm_tstyle *st,
			 const char *utf8, struct sm_extent *ext);
/* Measure and place text with its layout origin at (x, y); *out (may be
 * NULL) receives the entry. */
sm_status sm_fig_put_text(struct sm_ctx *ctx, struct sm_fig *f, const struct sm_tstyle *st,
			  const char *utf8, double x, double y, struct sm_rgb colour,
			  int tag, int ref, struct sm_fig_text **out);
/* How sm_fig_put_aligned() reads y, and which box it aligns. */
enum {
	SM_FIG_AT_VMID = 1, /* y is the text's vertical centre, not its top */
	SM_FIG_AT_INK = 2   /* align the inked box (the extent's left offset counted) */
};
/* Place text in the style's text colour with its box's left, centre or
 * right (align -1, 0, 1) at x and its top (or centre) at y. */
sm_status sm_fig_put_aligned(struct sm_ctx *ctx, struct sm_fig *f, const struct sm_tstyle *st,
			     const char *utf8, double x, double y, int align, unsigned at,
			     int tag, int ref);
/* A zeroed item of that kind (line width 0.5, black stroke), or NULL. */
struct sm_fig_item *sm_fig_add(struct sm_ctx *ctx, struct sm_fig *f, enum sm_fig_kind kind);
/* A polygon (kind SM_FIG_POLY) or polyline (SM_FIG_PATH) through n points
 * (x,y pairs, copied). */
struct sm_fig_item *sm_fig_add_poly(struct sm_ctx *ctx, struct sm_fig *f, enum sm_fig_kind kind,
				    const double *xy, size_t n);

/* Start page `page` (0-based; npages grows to hold it): later items and
 * texts go there. */
void sm_fig_set_page(struct sm_fig *f, int page);

/* Record that page `page` uses `h` of its height (see page_used). */
sm_status sm_fig_set_page_used(struct sm_ctx *ctx, struct sm_fig *f, int page, double h);
/* The height page `page` uses: page_used, else the page height. */
double sm_fig_page_used(const struct sm_fig *f, int page);

/* Sort items by page and layer (stable) and texts by page, and index the
 * pages.  Called by the draw and write functions when the layout did not;
 * a figure is not changed after it. */
sm_status sm_fig_finish(struct sm_ctx *ctx, struct sm_fig *f);

/* Paint page `page` with its top left at (x, y) of the cairo context (the
 * figure must be finished). */
void sm_fig_draw(const struct sm_fig *f, cairo_t *cr, int page, double x, double y);
/* The same on the current page of a canvas (e.g. one page of a report). */
sm_status sm_fig_draw_page(struct sm_ctx *ctx, struct sm_canvas *c, struct sm_fig *f, int page,
			   double x, double y);
/* Page 0 on the current page of a canvas. */
sm_status sm_fig_draw_on(struct sm_ctx *ctx, struct sm_canvas *c, struct sm_fig *f, double x,
			 double y);
/* A file of the figure's page size holding every page (PDF) or the first
 * (SVG, PNG; a figure meant for those is laid out as one page).  Format
 * from the path; `dpi` for PNG (0 = 300).  Pages are white when the
 * figure is `opaque`, transparent otherwise. */
sm_status sm_fig_write(struct sm_ctx *ctx, struct sm_fig *f, const char *path, double dpi);

/* How sm_fig_write_with() writes.  The style says the rest: output.cmyk
 * (TIFF in CMYK), output.svg_text (SVG text as <text>, sm_svg_text.h),
 * colours.greyscale. */
struct sm_fig_write_opts {
	double dpi; /* PNG and TIFF; 0 = 300 */
	/* 1: a raster larger than SM_PNG_MAX_PX a side at dpi is drawn at the
	 * highest whole dpi that fits, with a warning naming the file and the
	 * dpi used, instead of failing (a bundle never fails a valid review
	 * on its size). */
	int fit;
	struct sm_canvas_pixels *pixels; /* PNG and TIFF: drawn in it (borrowed); NULL: fresh */
};
sm_status sm_fig_write_with(struct sm_ctx *ctx, struct sm_fig *f, const char *path,
			    const struct sm_fig_write_opts *opts);

/* Paint only the items (no texts) of page `page` at (x, y): the SVG text
 * writer draws the shapes with cairo and writes the texts itself. */
void sm_fig_draw_items(const struct sm_fig *f, cairo_t *cr, int page, double x, double y);

/* A page taken out of a figure as soon as it is laid out (a long forest
 * to PDF, sm_fig_pipe.h): its items and texts in painting order, owned by
 * the page, so that the figure holds one page at a time. */
struct sm_fig_page {
	int page;
	struct sm_fig_item *items;
	size_t nitems;
	struct sm_fig_text *texts;
	size_t ntexts;
	int shapes; /* a text is not kept: drawing it shapes it with the engine */
};

/* Take every item and text the figure holds (all on its current page)
 * into a page, sorted as sm_fig_finish() sorts a page; the figure keeps
 * its arrays' room for the next.  NULL when out of memory. */
struct sm_fig_page *sm_fig_take_page(struct sm_ctx *ctx, struct sm_fig *f);
/* Paint a taken page at the top left of cr as sm_fig_draw() paints a
 * page: the same cairo calls in the same order.  `buf` is the scratch
 * room of kept texts (sm_text.h); with may_shape 0 the figure's text
 * engine is not touched, and a text it would have to shape (pg->shapes:
 * SM_FIG_PAGE_SHAPES) or a kept text without room (SM_FIG_PAGE_OOM) is
 * left out and said.  0 when every text was drawn. */
enum { SM_FIG_PAGE_OOM = 1, SM_FIG_PAGE_SHAPES = 2 };
int sm_fig_page_draw(const struct sm_fig *f, cairo_t *cr, const struct sm_fig_page *pg,
		     struct sm_tglyphs *buf, int may_shape);
void sm_fig_page_free(struct sm_fig_page *pg);

/* One legend entry: a swatch drawn like `swatch` (kind SM_FIG_MARKER,
 * SM_FIG_LINE, SM_FIG_RECT or SM_FIG_CIRCLE; positions are ignored; any
 * other kind: no swatch, the text heads a group) and its text. */
struct sm_fig_legend_entry {
	struct sm_fig_item swatch;
	const char *text;
};

/* Lay a legend out as a flow of entries from (x, y), wrapping at `width`;
 * *height receives the height used. */
sm_status sm_fig_legend(struct sm_ctx *ctx, struct sm_fig *f, const struct sm_tstyle *st,
			const struct sm_fig_legend_entry *e, size_t n, double x, double y,
			double width, int tag, double *height);

/* Okabe-Ito colour i (cycled), for groups of points. */
struct sm_rgb sm_fig_palette(int i);
struct sm_rgb sm_fig_rgb(unsigned hex);

#endif
