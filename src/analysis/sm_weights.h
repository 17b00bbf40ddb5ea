/*
 * sm_weights.h -- the study weights of Mantel-Haenszel and Peto pooling, as
 * metafor's weights(rma.mh(...)) and weights(rma.peto(...)) (3.8-1): the
 * share (percent) each 2x2 table has in the pooled estimate, computed from
 * the raw counts.  A table that adds nothing to the estimate (OR: no
 * non-event in the treated arm or no event in the control arm, so every
 * double-zero table; Peto: no events or no non-events at all) weighs 0.
 *
 *   MH OR  wi = bi ci / Ni         MH RR  wi = ci n1i / Ni
 *   MH RD  wi = n1i n2i / Ni       Peto   wi = xt yt (n1i/Ni) (n2i/Ni) / (Ni - 1)
 *
 * with bi = n1i - ai, Ni = n1i + n2i, xt = ai + ci, yt = Ni - xt (Peto's
 * hypergeometric variance; 0 for a table of one patient).
 *
 * Ownership: pure functions over caller arrays; nothing allocated.
 */
#ifndef SM_WEIGHTS_H
#define SM_WEIGHTS_H

#include "sm_ctx.h"
#include "sm_mh.h"

#include <stddef.h>

/* weight_pct[i] for the k tables (counts valid as for sm_mh_run).  When no
 * table has a positive weight the estimate does not exist and every weight
 * is NAN (as metafor's 0/0).  measure SM_MH_PETO gives Peto's weights. */
sm_status sm_weights_2x2(struct sm_ctx *ctx, enum sm_mh_measure measure, const double *ai,
			 const double *n1i, const double *ci, const double *n2i, size_t k,
			 double *weight_pct);

#endif
