/*
 * sm_cumul_order.h -- the order in which a cumulative meta-analysis adds
 * its studies (analyze --cumul-order), as the `order` argument of metafor's
 * cumul(res, order = ...).
 *
 * "input": the order of the data; "year": publication year; any other
 * name: a study characteristic or outcome column (sm_columns.h).  Without
 * a choice: by year when every study in the model has one, else input
 * order.  Numbers sort ascending when every known value is a number,
 * otherwise the values sort as text (byte order, the C locale; R's order()
 * collates by locale, which agrees for ASCII letters of one case).
 * Studies without a value go last, and ties keep input order, as R's
 * order() (stable, na.last = TRUE).
 *
 * Ownership: nothing is kept; `by` points at the choice or a constant.
 */
#ifndef SM_CUMUL_ORDER_H
#define SM_CUMUL_ORDER_H

#include "sm_analysis_data.h"
#include "sm_ctx.h"
#include "sm_review.h"

#include <stddef.h>

/* perm[0..d->k): the included studies (indices into d->yi) in the order
 * they are added; *by: "input", "year" or the column's name.  SM_EINPUT
 * for a column that does not exist. */
sm_status sm_cumul_order(struct sm_ctx *ctx, const struct sm_review *r,
			 const struct sm_analysis_data *d, const char *want, size_t *perm,
			 const char **by);

#endif
