/*
 * sm_mh.h -- Mantel-Haenszel pooling of 2x2 tables, as metafor's rma.mh()
 * (3.8-1, default arguments) for measures OR, RR and RD.
 *
 * Table i: ai events of n1i in the treated arm, ci events of n2i in the
 * control arm (bi = n1i - ai, di = n2i - ci).  The pooled estimate uses the
 * raw counts (no continuity correction; double-zero tables are kept and
 * only matter for RD).  The heterogeneity statistics use escalc values
 * computed with add = 1/2, to = "only0", drop00 = TRUE; those yi/vi are
 * returned with NAN for dropped tables.
 *
 * When the estimate does not exist (OR: R = 0 or S = 0; RR: no events in
 * one arm over all tables) every estimate-dependent field is NAN, as
 * metafor's NA, and `note` says why; nothing is made up.
 *
 * Ownership: sm_mh_run() allocates the result; sm_mh_result_free() frees it
 * with its yi/vi arrays.  `note` points to static storage.
 */
#ifndef SM_MH_H
#define SM_MH_H

#include "sm_ctx.h"

#include <stddef.h>

enum sm_mh_measure {
	SM_MH_OR, /* log odds ratio */
	SM_MH_RR, /* log risk ratio */
	SM_MH_RD, /* risk difference */
	SM_MH_PETO /* Peto log odds ratio: only for sm_mh_escalc00 (used by sm_peto) */
};

struct sm_mh_result {
	enum sm_mh_measure measure;
	size_t k;         /* tables given (all count, double-zero included) */
	size_t k_yi;      /* tables with an escalc yi (double-zero dropped) */
	double b;         /* pooled estimate (log OR, log RR or RD) */
	double se;        /* its standard error (Robins-Breslow-Greenland for OR,
			   * Greenland-Robins for RR, Sato-Greenland-Robins for RD) */
	double zval;      /* b / se */
	double pval;      /* two-sided normal p-value */
	double ci_lb;     /* b -/+ qnorm(1 - alpha/2) se, alpha = 1 - level/100 */
	double ci_ub;
	double b_exp;     /* exp(b) (R/S) for OR and RR; NAN for RD */
	double QE;        /* inverse-variance Q around b (escalc yi/vi); 0 if k_yi <= 1 */
	double QEdf;      /* k_yi - 1 */
	double QEp;       /* chi-square p of QE; 1 if k_yi <= 1 */
	double I2;        /* max(0, 100 (QE - df)/QE) in percent; 0 if k_yi <= 1 */
	double H2;        /* QE / df; 1 if k_yi <= 1 */
	/* OR only, NAN for RR/RD: */
	double CMH, CMHp; /* Cochran-Mantel-Haenszel, continuity-corrected, (Ni-1) */
	double CO, COp;   /* Cochran's statistic (variance with Ni) */
	double BD, BDp;   /* Breslow-Day; p NAN unless k_pos > 1 */
	double TA, TAp;   /* Breslow-Day with Tarone's correction */
	long k_pos;       /* OR: tables entering BD/TA (0 when b is NAN); -1 for RR/RD */
	const char *note; /* NULL, or why b does not exist */
	double *yi;       /* k escalc values (drop00), NAN where dropped */
	double *vi;
};

/* level: confidence level in percent, 0 < level < 100 (metafor: 95).
 * Counts must be finite, >= 0, ai <= n1i, ci <= n2i, n1i + n2i > 0; k >= 1.
 * SM_EINPUT for invalid input, SM_EINTERNAL when memory runs out. */
sm_status sm_mh_run(struct sm_ctx *ctx, enum sm_mh_measure measure, const double *ai,
		    const double *n1i, const double *ci, const double *n2i, size_t k,
		    double level, struct sm_mh_result **out);
void sm_mh_result_free(struct sm_mh_result *r);

/* Validate 2x2 counts as described at sm_mh_run (shared with sm_peto). */
sm_status sm_mh_check_tables(struct sm_ctx *ctx, const double *ai, const double *n1i,
			     const double *ci, const double *n2i, size_t k);

/* escalc(measure, add = 1/2, to = "only0", drop00 = TRUE) for one table:
 * NAN yi/vi for a double-zero table (ai = ci = 0 or bi = di = 0) or a
 * non-finite result; otherwise 1/2 is added to all four cells when any is
 * 0.  Returns 1 when yi/vi exist, 0 when they are NAN. */
int sm_mh_escalc00(enum sm_mh_measure measure, double ai, double n1i, double ci, double n2i,
		   double *yi, double *vi);

#endif
