/*
 * sm_rob.h -- risk-of-bias figures from the review in the results
 * (review.risk_of_bias, study labels from review.studies).
 *
 * RoB 1, RoB 2 and ROBINS-I, with whatever domains the review declares.
 * The traffic-light plot has one row per study and one column per domain
 * (D1..Dn, then Overall when any study has one), each judgement a coloured
 * circle that also carries a symbol (+ low, ? unclear / no information,
 * ! some concerns / moderate, − high / serious, × critical) so that it
 * reads in greyscale; the domain keys are spelt out under the plot.  The
 * summary plot has one horizontal bar per domain: the percentage of
 * studies at each judgement, each segment carrying the judgement's symbol
 * where it fits and hatched when high (diagonal) or critical (crossed),
 * so the bars too read without colour; optionally weighted by study size (the
 * largest total, n1i + n2i or ni, a study has in any analysis of the
 * results).  The tools' words and levels are the model's (sm_robscale.h).
 *
 * Ownership: options and results are borrowed; a layout hands back a
 * finished figure the caller frees with sm_fig_free().
 */
#ifndef SM_ROB_H
#define SM_ROB_H

#include "sm_ctx.h"
#include "sm_fig.h"
#include "sm_figure.h"
#include "sm_robscale.h"

enum sm_rob_plot { SM_ROB_BOTH, SM_ROB_TRAFFIC, SM_ROB_SUMMARY };

/* The options of `render rob` (sm_figure_rob). */
struct sm_rob_options {
	struct sm_figure_common common; /* title NULL or "": none */
	int plot;           /* enum sm_rob_plot */
	int weighted;       /* summary bars weighted by study size */
	int overall;        /* the overall column when judged (default 1) */
};

extern const struct sm_figure_kind sm_figure_rob;

/* Tags of the figure's items and texts.  Refs: a cell's circle and
 * symbol, study * ncolumns + column (the overall column last); a study
 * label, its judgement's index; a header or domain key, its column; a
 * bar segment, its symbol, hatching and percentage, domain * SM_ROB_NLEVELS
 * + level; a legend entry, its level (-1: not assessed). */
enum sm_rob_tag { SM_RT_OTHER, SM_RT_CELL, SM_RT_SYMBOL, SM_RT_STUDY, SM_RT_DOMAIN_KEY,
		  SM_RT_HEADER, SM_RT_BAR, SM_RT_BAR_LABEL, SM_RT_LEGEND, SM_RT_AXIS,
		  SM_RT_BAR_SYMBOL, SM_RT_HATCH };

#endif
