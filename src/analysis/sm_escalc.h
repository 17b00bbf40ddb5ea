/*
 * sm_escalc.h -- effect sizes and sampling variances per study, as R
 * metafor's escalc() with its defaults (add = 1/2, to = "only0",
 * drop00 = FALSE, vtype = "LS").
 *
 * Ownership: the caller provides every array; out has k entries.  The
 * `reason` strings in the ledger are static and must not be freed.
 */
#ifndef SM_ESCALC_H
#define SM_ESCALC_H

#include "sm_ctx.h"
#include "sm_measure.h"
#include "sm_method.h"

#include <stddef.h>

struct sm_escalc_opts {
	enum sm_measure measure;
	double add;    /* 0.5 by default; 0 for PAS and PFT (metafor: only when
			  the user gives add) */
	enum sm_to to;
	int drop00;    /* drop double-zero / double-all tables (yi = vi = NAN) */
};

/* Defaults of metafor for the measure. */
struct sm_escalc_opts sm_escalc_defaults(enum sm_measure measure);

/* One study: effect, variance and a ledger of what was done to it. */
struct sm_escalc_row {
	double yi, vi;
	int corrected;     /* `added` was added to every cell */
	double added;
	int double_zero;   /* 2x2: ai = ci = 0 or bi = di = 0 */
	int dropped;       /* yi/vi are NAN */
	const char *reason; /* why corrected or dropped; NULL when neither */
};

/* 2x2 tables (ai events of n1i, ci events of n2i).  Measures OR, RR, RD,
 * PETO.  Counts must be finite, non-negative, ai <= n1i, ci <= n2i;
 * otherwise SM_EINPUT naming the study (0-based index + 1). */
sm_status sm_escalc_2x2(struct sm_ctx *ctx, const double *ai, const double *n1i,
			const double *ci, const double *n2i, size_t k,
			const struct sm_escalc_opts *opts, struct sm_escalc_row *out);

/* Proportions xi of ni.  Measures PR, PLO, PAS, PFT. */
sm_status sm_escalc_prop(struct sm_ctx *ctx, const double *xi, const double *ni,
			 size_t k, const struct sm_escalc_opts *opts,
			 struct sm_escalc_row *out);


#endif
