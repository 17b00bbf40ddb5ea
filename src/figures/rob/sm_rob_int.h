/*
 * sm_rob_int.h -- how risk-of-bias levels are drawn (colours and symbols,
 * also used by the forest's risk-of-bias columns) and what the figure
 * reads from the results (private to the figure).
 *
 * Ownership: strings returned are static.  sm_rob_read() fills a struct
 * sm_rob_data whose arrays the caller releases with sm_rob_data_release();
 * its strings are borrowed from the results.
 */
#ifndef SM_ROB_INT_H
#define SM_ROB_INT_H

#include "sm_rob.h"

/* The symbol a circle carries. */
const char *sm_rob_symbol(enum sm_rob_level level);
/* The circle's fill (symbol = 0) or the symbol's colour (symbol = 1) in
 * the default style (for drawings without a style at hand). */
struct sm_rgb sm_rob_colour(enum sm_rob_level level, int symbol);
/* The style's fill of a level, and the colour of a symbol on it. */
struct sm_rgb sm_rob_fill(const struct sm_style *st, enum sm_rob_level level);
struct sm_rgb sm_rob_ink(const struct sm_style *st, enum sm_rob_level level);
/* Hatching of a bar segment: 0 none, 1 diagonal lines (high), 2 crossed
 * lines (critical). */
int sm_rob_hatch(enum sm_rob_level level);

/* The judgements as the figure draws them. */
struct sm_rob_data {
	const char *tool;
	int nstudies, ncols;      /* ncols counts the overall column when shown */
	int overall_shown;
	const char **labels;      /* per study: its label, else its id */
	const char **domains;     /* per column; the overall column is "Overall" */
	enum sm_rob_level *level; /* [study * ncols + column] */
	double *weight;           /* per study: 1, or its size when weighted (0: none) */
};

/* Read review.risk_of_bias; the overall column only when o->overall and
 * some study has an overall judgement; weights when o->weighted (a study
 * without a size gets 0 and a warning). */
sm_status sm_rob_read(struct sm_ctx *ctx, const struct sm_res *res,
		      const struct sm_rob_options *o, struct sm_rob_data *d);
void sm_rob_data_release(struct sm_rob_data *d);

/* The choices of --plot, in the order of enum sm_rob_plot. */
extern const char *const sm_rob_plot_choices[];

/* Lay the figure out: *out is a finished figure on success. */
sm_status sm_rob_lay(struct sm_ctx *ctx, const struct sm_res *res,
		     const struct sm_rob_options *o, struct sm_fig **out);

#endif
