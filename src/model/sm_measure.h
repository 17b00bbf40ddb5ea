/*
 * sm_measure.h -- the vocabulary of effect measures: codes, names, the
 * scale a measure is pooled on and the back-transformation to the scale it
 * is shown on.  Shared by the analysis (which writes both scales into the
 * results) and the results reader (which checks that they agree), so the
 * two can never disagree about what "PFT" means.
 *
 * Back-transformations (metafor 3.8-1 names):
 *   exp            OR, RR, PETO (log scale)
 *   ilogit         PLO: 1/(1 + exp(-x))
 *   iarcsin        PAS: sin(x)^2, 0 below x = 0, 1 above x = pi/2
 *   ipft.hm        PFT: Miller's inverse of the Freeman-Tukey double arcsine
 *                  with n = the harmonic mean of the ni (one study: its own
 *                  n); 0 below the value of p = 0, 1 above that of p = 1
 *   none           PR, RD, GEN
 *
 * Ownership: plain values and static strings; nothing here allocates.
 */
#ifndef SM_MEASURE_H
#define SM_MEASURE_H

#include <stddef.h>

enum sm_measure { SM_OR, SM_RR, SM_RD, SM_PETO, SM_PR, SM_PLO, SM_PAS, SM_PFT, SM_GEN };

/* Short code ("OR", "RR", ...; "?" when out of range) and back (-1 when
 * unknown). */
const char *sm_measure_name(enum sm_measure m);
int sm_measure_parse(const char *code);

/* How a measure's display scale is drawn. */
enum sm_axis_kind { SM_AXIS_RATIO, SM_AXIS_DIFF, SM_AXIS_PROP };

/* By code, for what a results document names (also HR, IRR); an unknown
 * code is a generic effect size. */
const char *sm_measure_title(const char *code); /* "Odds ratio" */
const char *sm_measure_short(const char *code); /* "OR", "Proportion" */
/* The scale a measure is pooled on, for an axis drawn on it: "Log odds
 * ratio", "Log odds (proportion)", "Risk difference". */
const char *sm_measure_scale_title(const char *code);
enum sm_axis_kind sm_measure_axis(const char *code);

enum sm_transf {
	SM_TRANSF_NONE,    /* identity */
	SM_TRANSF_EXP,     /* exp */
	SM_TRANSF_ILOGIT,  /* transf.ilogit */
	SM_TRANSF_IARCSIN, /* transf.iarcsin */
	SM_TRANSF_IPFT_HM  /* transf.ipft.hm; needs the harmonic mean of the ni */
};

/* The back-transformation of a measure, its results name ("none", "exp",
 * "ilogit", "iarcsin", "ipft.hm") and the name back (-1 when unknown). */
enum sm_transf sm_measure_transf(enum sm_measure m);
const char *sm_transf_name(enum sm_transf t);
int sm_transf_parse(const char *name);

double sm_transf_ilogit(double x);
double sm_transf_iarcsin(double x);
/* Freeman-Tukey transform of proportion p with sample size n
 * (metafor's transf.pft): (asin(sqrt(pn/(n+1))) + asin(sqrt((pn+1)/(n+1))))/2. */
double sm_transf_pft(double p, double n);
/* Inverse Freeman-Tukey for sample size n (transf.ipft): NAN where the
 * formula has no real value and x lies between the limits. */
double sm_transf_ipft(double x, double n);
/* Apply t to x; n is used by SM_TRANSF_IPFT_HM only. */
double sm_transf_apply(enum sm_transf t, double x, double n);

#endif
