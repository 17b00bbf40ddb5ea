/*
 * sm_fig.h -- a figure as a display list: shapes and texts placed in points
 * from the figure's top left, measured completely before anything is drawn.
 *
 * Funnel plots, PRISMA flow diagrams and risk-of-bias figures are built as
 * an sm_fig; tests read the items (tag/ref say what each one shows) and a
 * report builder draws the figure at any place of any canvas page with
 * sm_fig_draw_on().  The figure keeps its style, fonts and text engine
 * alive, so it can be drawn long after it was laid out.
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
#include <cjson/cJSON.h>
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
	char *text;
	struct sm_tstyle st;
	struct sm_rgb colour;
	int tag, ref;
};

/* Text roles, set from the style's font sizes. */
enum sm_fig_role { SM_FR_BODY, SM_FR_BOLD, SM_FR_SMALL, SM_FR_SMALL_BOLD, SM_FR_TITLE,
		   SM_FR_ITALIC, SM_NFR };

struct sm_fig {
	double width, height; /* pt */
	struct sm_fig_item *items;
	size_t nitems, cap_items;
	struct sm_fig_text *texts;
	size_t ntexts, cap_texts;
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
/* A zeroed item of that kind (line width 0.5, black stroke), or NULL. */
struct sm_fig_item *sm_fig_add(struct sm_ctx *ctx, struct sm_fig *f, enum sm_fig_kind kind);
/* A polygon (kind SM_FIG_POLY) or polyline (SM_FIG_PATH) through n points
 * (x,y pairs, copied). */
struct sm_fig_item *sm_fig_add_poly(struct sm_ctx *ctx, struct sm_fig *f, enum sm_fig_kind kind,
				    const double *xy, size_t n);

/* Paint the figure with its top left at (x, y) of the cairo context. */
void sm_fig_draw(const struct sm_fig *f, cairo_t *cr, double x, double y);
/* The same on the current page of a canvas (e.g. one page of a report). */
sm_status sm_fig_draw_on(struct sm_ctx *ctx, struct sm_canvas *c, const struct sm_fig *f,
			 double x, double y);
/* A file of the figure's size holding the figure (format from the path). */
sm_status sm_fig_write(struct sm_ctx *ctx, const struct sm_fig *f, const char *path,
		       double dpi);

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

/* A member of a JSON object as a number (NaN when absent, null or not a
 * number) or a string (NULL likewise); borrowed. */
double sm_fig_num(const cJSON *o, const char *key);
const char *sm_fig_str(const cJSON *o, const char *key);

/* Okabe-Ito colour i (cycled), for groups of points. */
struct sm_rgb sm_fig_palette(int i);
struct sm_rgb sm_fig_rgb(unsigned hex);

#endif
