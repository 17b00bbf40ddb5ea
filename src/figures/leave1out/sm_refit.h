/*
 * sm_refit.h -- forests of refits: the leave-one-out forest (metafor's
 * forest(leave1out(res))) and the cumulative forest (forest(cumul(res))),
 * laid out by the forest's own layout (sm_flayout.h).
 *
 * Leave-one-out: one row per study, "Omitting <label>", with the estimate
 * and CI of the model refitted without it (analyses[].studies[].loo), tau²
 * and I² of that refit; the full pooled estimate as the bottom row (a
 * diamond) and as a dashed reference line over the rows.  Cumulative: row
 * i the model of the first i studies in the order the analysis used
 * (analyses[].cumul_order; input order for results that do not say), k,
 * tau², I², and the full estimate as the reference line (the last row is
 * that estimate).  Values are drawn on the display scale from the refits'
 * "transformed" (odds ratios, proportions per 100 or 1000 patients as the
 * analysis' display_per says), or the analysis scale under --scale log:
 * nothing is back-transformed here.
 *
 * Ownership: options and results are borrowed; the figure handed back is
 * the caller's (sm_fig_free()).
 */
#ifndef SM_REFIT_H
#define SM_REFIT_H

#include "sm_ctx.h"
#include "sm_fig.h"
#include "sm_figure.h"
#include "sm_res.h"

enum sm_refit_kind { SM_REFIT_LOO, SM_REFIT_CUMUL };

/* Fewest studies for each: with 2, a leave-one-out row is the other
 * study's own estimate (nothing is pooled); a cumulative forest of 2 has
 * one pooled row. */
#define SM_REFIT_LOO_MIN_K 3
#define SM_REFIT_CUMUL_MIN_K 2

/* The options of `render leave1out` and `render cumulative`.
 * common.analysis: NULL = the only analysis; otherwise the analysis of
 * that name.  common.title NULL: the analysis' name; "": none. */
struct sm_refit_options {
	struct sm_figure_common common;
	int scale;           /* ratio measures: 0 the ratio scale, 1 the log scale */
	const char *xlim;    /* "LO,HI" on the display scale, or NULL */
	const char *at;      /* "V1,V2,..." ticks, or NULL */
	int show_method_line;
};

void sm_refit_options_init(void *opts);

/* Options both kinds take (after the common ones): the rows of each
 * kind's table, so that both describe them alike. */
extern const char *const sm_refit_scale_names[];
#define SM_REFIT_FOPTS                                                                       \
	{ "scale", SM_FOPT_CHOICE, offsetof(struct sm_refit_options, scale), "ratio|log",     \
	  "ratio measures: the ratio scale (default) or the log\n"                           \
	  "scale (log odds ratios)", sm_refit_scale_names, 0, 0 },                           \
	{ "xlim", SM_FOPT_STRING, offsetof(struct sm_refit_options, xlim), "LO,HI",           \
	  "axis limits on the display scale (e.g. 0.1,10);\n"                                \
	  "intervals beyond them end in arrows", NULL, 0, 0 },                               \
	{ "at", SM_FOPT_STRING, offsetof(struct sm_refit_options, at), "V1,V2,...",           \
	  "axis ticks on the display scale (e.g. 0.2,0.5,1,2,5)", NULL, 0, 0 },              \
	{ "no-method-line", SM_FOPT_UNFLAG, offsetof(struct sm_refit_options, show_method_line), \
	  NULL, "leave out the line stating the model refitted", NULL, 0, 0 }

/* Lay out the forest of `kind` for env. */
sm_status sm_refit_lay(struct sm_ctx *ctx, const struct sm_res *res,
		       const struct sm_refit_options *opts, const struct sm_figure_env *env,
		       enum sm_refit_kind kind, struct sm_fig **out);

/* 1 when analysis `a` has what a forest of `kind` needs (enough studies,
 * every study's refit with its display values): the bundle plans it. */
int sm_refit_has_data(const struct sm_res_analysis *a, enum sm_refit_kind kind);

/* The bundle's figures of `kind`: <prefix>-<safe analysis name> for every
 * analysis with the data. */
sm_status sm_refit_plan(struct sm_ctx *ctx, const struct sm_res *res,
			const struct sm_figure_kind *kind, enum sm_refit_kind which,
			struct sm_figure_plan *plan);

/* A forest costs about 10 ms plus 2 a row. */
double sm_refit_cost(const struct sm_res *res, const void *opts);

#endif
