/*
 * sm_faxis.h -- the effect axis of a forest: limits and ticks from the data,
 * or from the reader's --xlim and --at (display scale), on the ratio (log)
 * scale, a linear one, or a proportion's from 0.
 *
 * Ticks step through 1-2-5 values.  On the ratio scale the axis is
 * symmetric around 1 (both "Favours" sides get the same room) and the
 * ticks are every s-th value of ... 0.1 0.2 0.5 1 2 5 10 ... (s = 1, 2, 3,
 * 6, ...: s = 2 gives RevMan's 0.05 0.2 1 5 20, s = 3 the decades); on a
 * linear axis the step is 1, 2 or 5 times a power of ten and the limits
 * the multiples of it that cover the data and 0.  Level 0 is the densest
 * set of at most seven ticks; the layout asks for the next level while the
 * labels crowd.  --xlim fixes the limits (ticks inside them, the ends
 * labelled), --at the ticks themselves (limits their range unless --xlim
 * is given); data beyond the limits get arrows.
 *
 * Ownership: plain values; nothing allocated.
 */
#ifndef SM_FAXIS_H
#define SM_FAXIS_H

#include "sm_axis.h"
#include "sm_ctx.h"

#include <stddef.h>

enum sm_faxis_kind { SM_FAXIS_RATIO, SM_FAXIS_LINEAR, SM_FAXIS_PROP };

struct sm_faxis_spec {
	int has_xlim;
	double xlim[2];
	size_t nat;                      /* 0: ticks from the data */
	double at[SM_AXIS_MAX_TICKS];
};

/* Parse "--xlim LO,HI" and "--at V1,V2,..." (either may be NULL) for an
 * axis of `kind`; SM_EINPUT naming the option and what was expected. */
sm_status sm_faxis_parse(struct sm_ctx *ctx, const char *xlim, const char *at,
			 enum sm_faxis_kind kind, struct sm_faxis_spec *spec);

/* Limits and ticks covering the data [lo, hi] (display scale; the null
 * value 1 or 0 always inside unless --xlim or --at say otherwise) at
 * density `level` (0 the densest).  prop_max: the largest value of a
 * proportion axis (1 per patient, 100 per 100, ...).  Returns 0 when
 * `level` is coarser than any there is (the axis is then level - 1's). */
int sm_faxis_fit(struct sm_axis *a, enum sm_faxis_kind kind, const struct sm_faxis_spec *spec,
		 double lo, double hi, double prop_max, int level);

#endif
