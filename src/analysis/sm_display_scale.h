/*
 * sm_display_scale.h -- the scale proportions are shown on: per 100, per
 * 1000, ... patients, chosen from the data so that rare events never print
 * as 0.00.
 *
 * The rule (one for the report, the tables and the forest, which read the
 * choice from the results' "display_per"): the smallest power of ten from
 * 100 up at which the proportion that characterises the analysis is at
 * least 1, i.e. its first significant digit stands before the decimal
 * point, so two decimals show three significant digits.  That proportion
 * is the crude incidence (all events over all patients) when there are
 * events, else the exact upper bound of the zero-event case; 10^6 at most.
 * A proportion of 1% or more is shown per 100 (as a percentage).
 *
 * Ownership: pure functions, nothing allocated.
 */
#ifndef SM_DISPLAY_SCALE_H
#define SM_DISPLAY_SCALE_H

/* The largest multiplier the rule picks. */
#define SM_DISPLAY_PER_MAX 1e6

/* 100, 1000, ..., SM_DISPLAY_PER_MAX for a proportion p in (0, 1]; 100
 * for p = 0, p > 1 or NAN (nothing smaller to show). */
double sm_display_scale_per(double p);

#endif
