/*
 * sm_trimfill.h -- Duval & Tweedie trim-and-fill with the L0 estimator, as
 * metafor's trimfill() for an intercept-only fit: side from the sign of the
 * yi ~ sqrt(vi) slope, iterative k0, se(k0), mirrored studies and the fit
 * (same method, z test) of the filled data.
 *
 * Ownership: struct sm_trimfill owns yi/vi/fill (sm_trimfill_release).
 */
#ifndef SM_TRIMFILL_H
#define SM_TRIMFILL_H

#include "sm_ctx.h"
#include "sm_rma.h"

#include <stddef.h>

struct sm_trimfill {
	int side_right;     /* 1: missing studies on the right, 0: left */
	size_t k0;          /* studies filled */
	double se_k0;
	size_t k;           /* k + k0 */
	double *yi, *vi;    /* k + k0: original studies in input order, then fills */
	int *fill;          /* 1 for filled studies */
	struct sm_rma_fit fit; /* filled-data fit; the original fit when k0 = 0 */
	int iterations;
	int exact_fits;     /* fits done by sm_rma_fit (all of them below k = 1000) */
};

/* `full` is the fit of yi/vi with opts (returned unchanged when k0 = 0).
 * Errors (SM_EINPUT): side estimation needs k >= 3 for random-effects
 * methods; "Processing terminated since k = 0." when k0 reaches k.
 *
 * Cost: from k = 1000 on, the trimmed fits (which only need b) and the fit
 * of the filled data come from prefix sums of the sorted studies
 * (sm_isub), O(1) per fit for every method, and the side from the slope
 * alone; each k0 iteration then costs one O(k) rank pass. */
#define SM_TRIMFILL_FAST_K 1000
sm_status sm_trimfill(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
		      const struct sm_rma_opts *opts, const struct sm_rma_fit *full,
		      struct sm_trimfill *out);

/* The same with the side taken from regtest's slope of yi ~ sqrt(vi) with
 * the same method (side right when slope < 0), for a caller that has fitted
 * that model already: Egger's test (model "rma") is that model, and its
 * slope does not depend on the test (z or knha).  Saves a second fit of the
 * meta-regression (about a fifth of the time at k = 10^6). */
sm_status sm_trimfill_slope(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
			    const struct sm_rma_opts *opts, const struct sm_rma_fit *full,
			    double slope, struct sm_trimfill *out);

/* AUTO as above; EXACT fits every trimmed set, the filled data and the side
 * model with sm_rma_fit / sm_regtest whatever k (the reference for tests). */
enum sm_trimfill_path { SM_TRIMFILL_AUTO, SM_TRIMFILL_EXACT };
sm_status sm_trimfill_path(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
			   const struct sm_rma_opts *opts, const struct sm_rma_fit *full,
			   enum sm_trimfill_path path, struct sm_trimfill *out);
void sm_trimfill_release(struct sm_trimfill *t);

#endif
