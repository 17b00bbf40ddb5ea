/*
 * sm_funnel.h -- funnel plots from a results JSON, to PDF, SVG or PNG.
 *
 * x: the effect (ratio measures on a log axis labelled on the ratio scale);
 * y: standard error with 0 at the top (or precision, or sample size).
 * Drawn: the pseudo 95% (and optionally 99%) confidence region centred on
 * the pooled estimate, optionally the contour-enhanced bands of
 * significance centred on the null, trim-and-fill studies as open points,
 * the Egger line (from the results' egger.limit and egger.slope), and the
 * labels of studies beyond the outlier bound.  Every number comes from the
 * results document: nothing is estimated here.  Several analyses make a
 * page of small multiples with shared axes, one titled panel each.
 *
 * Ownership: opts and results are borrowed; sm_funnel_layout() hands back
 * a layout freed with sm_funnel_layout_free(), which owns its figure.
 */
#ifndef SM_FUNNEL_H
#define SM_FUNNEL_H

#include "sm_axis.h"
#include "sm_ctx.h"
#include "sm_fig.h"

#include <cjson/cJSON.h>

enum sm_funnel_y { SM_FUNNEL_SE, SM_FUNNEL_PRECISION, SM_FUNNEL_N };

struct sm_funnel_opts {
	/* NULL: the only analysis, or all of them as small multiples; "all":
	 * small multiples (unless an analysis has that name); otherwise the
	 * analysis of that name. */
	const char *analysis;
	const char *style;  /* template name or .json path; NULL = "default" */
	const char *width;  /* NULL: 120 mm for one funnel, the style's for several */
	double dpi;         /* PNG only; 0 = 300 */
	enum sm_funnel_y y;
	int contours;       /* significance contours around the null */
	int ci99;           /* add the pseudo 99% region */
	int egger_line;
	int trimfill;       /* imputed studies as open points (default 1) */
	int label_outliers; /* default 1 */
	const char *group_by; /* study field ("event", "group", ...) to colour by */
	const char *title;  /* NULL: the analysis name; "": none (one funnel) */
};

void sm_funnel_opts_init(struct sm_funnel_opts *opts);
/* "se", "precision" or "n". */
sm_status sm_funnel_y_parse(struct sm_ctx *ctx, const char *text, enum sm_funnel_y *y);

/* Tags of the figure's items and texts. */
enum sm_funnel_tag { SM_FT_OTHER, SM_FT_POINT, SM_FT_FILLED, SM_FT_REGION, SM_FT_CONTOUR,
		     SM_FT_ESTIMATE, SM_FT_EGGER, SM_FT_AXIS, SM_FT_TICK, SM_FT_TITLE,
		     SM_FT_LABEL, SM_FT_ANNOT, SM_FT_LEGEND, SM_FT_PLOT };

struct sm_funnel_point {
	double yi, se, n;   /* as in the results (model scale) */
	double x, y;        /* where it is drawn (pt) */
	int filled;         /* imputed by trim and fill */
	int outlier;
	int group;          /* index into the layout's groups, or -1 */
	const char *label;  /* borrowed from the layout's strings, or NULL */
};

struct sm_funnel_panel {
	char *title;
	int k;
	double est, egger_p, begg_p, egger_limit, egger_slope;
	int k0;
	struct sm_box plot; /* the plotting area */
	struct sm_axis xa;  /* x: display scale (ratios for log axes) */
	struct sm_axis ya;  /* y: x0/x1 here are the page y of lo and hi */
	struct sm_funnel_point *pts;
	size_t npts;
};

struct sm_funnel_layout {
	struct sm_fig *fig;
	enum sm_funnel_y ymode;
	int log;            /* ratio measure on a log axis */
	struct sm_funnel_panel *panels;
	int npanels;
	char **groups;      /* distinct values of opts->group_by */
	int ngroups;
	char **strings;     /* study labels the points refer to */
	size_t nstrings;
};

sm_status sm_funnel_layout(struct sm_ctx *ctx, const cJSON *results,
			   const struct sm_funnel_opts *opts, struct sm_funnel_layout **out);
void sm_funnel_layout_free(struct sm_funnel_layout *l);

/* Draw the whole figure with its top left at (x, y) of the canvas's page. */
sm_status sm_funnel_draw_on(struct sm_ctx *ctx, struct sm_canvas *c,
			    const struct sm_funnel_layout *l, double x, double y);

sm_status sm_funnel_render(struct sm_ctx *ctx, const cJSON *results,
			   const struct sm_funnel_opts *opts, const char *out_path);

/* Page y of a study with standard error se and size n in a panel. */
double sm_funnel_map_y(const struct sm_funnel_layout *l, const struct sm_funnel_panel *p,
		       double se, double n);
/* Page x of a model-scale value in a panel. */
double sm_funnel_map_x(const struct sm_funnel_layout *l, const struct sm_funnel_panel *p,
		       double yi);

#endif
