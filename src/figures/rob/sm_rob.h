/*
 * sm_rob.h -- risk-of-bias figures from the review in a results JSON
 * ("review"."risk_of_bias", study labels from "review"."studies").
 *
 * RoB 1, RoB 2 and ROBINS-I, with whatever domains the review declares.
 * The traffic-light plot has one row per study and one column per domain
 * (D1..Dn, then Overall when any study has one), each judgement a coloured
 * circle that also carries a symbol (+ low, ? unclear / no information,
 * ! some concerns / moderate, − high / serious, × critical) so that it
 * reads in greyscale; the domain keys are spelt out under the plot.  The
 * summary plot has one horizontal bar per domain: the percentage of
 * studies at each judgement, optionally weighted by study size (the
 * largest arm total a study has in any analysis of the results).
 *
 * Ownership: opts and results are borrowed; sm_rob_layout() returns a
 * layout freed with sm_rob_layout_free(), which owns its figure.
 */
#ifndef SM_ROB_H
#define SM_ROB_H

#include "sm_ctx.h"
#include "sm_fig.h"
#include "sm_robscale.h"

#include <cjson/cJSON.h>

enum sm_rob_plot { SM_ROB_BOTH, SM_ROB_TRAFFIC, SM_ROB_SUMMARY };

struct sm_rob_opts {
	const char *style;  /* template name or .json path; NULL = "default" */
	const char *width;  /* NULL: the style's width */
	double dpi;         /* PNG only; 0 = 300 */
	enum sm_rob_plot plot;
	int weighted;       /* summary bars weighted by study size */
	int overall;        /* the overall column when judged (default 1) */
	const char *title;  /* NULL: none */
};

void sm_rob_opts_init(struct sm_rob_opts *opts);
/* "both", "traffic" or "summary". */
sm_status sm_rob_plot_parse(struct sm_ctx *ctx, const char *text, enum sm_rob_plot *plot);

/* Tags of the figure's items and texts. */
enum sm_rob_tag { SM_RT_OTHER, SM_RT_CELL, SM_RT_SYMBOL, SM_RT_STUDY, SM_RT_DOMAIN_KEY,
		  SM_RT_HEADER, SM_RT_BAR, SM_RT_BAR_LABEL, SM_RT_LEGEND, SM_RT_AXIS };

struct sm_rob_layout {
	struct sm_fig *fig;
	int nstudies, ndomains; /* ndomains counts the overall column when shown */
	int overall_shown;
	/* [study * ndomains + domain]: level, and the cell's centre */
	enum sm_rob_level *level;
	double *cx, *cy;
	double radius;
	/* summary: per domain, per level, the share (0..1) and bar extent */
	double *share;          /* [domain * SM_ROB_NLEVELS + level] */
	struct sm_box *bars;    /* one per domain */
};

sm_status sm_rob_layout(struct sm_ctx *ctx, const cJSON *results, const struct sm_rob_opts *opts,
			struct sm_rob_layout **out);
void sm_rob_layout_free(struct sm_rob_layout *l);
sm_status sm_rob_draw_on(struct sm_ctx *ctx, struct sm_canvas *c, const struct sm_rob_layout *l,
			 double x, double y);
sm_status sm_rob_render(struct sm_ctx *ctx, const cJSON *results, const struct sm_rob_opts *opts,
			const char *out_path);

#endif
