/*
 * sm_fmt.h -- numbers as figures print them.
 *
 * Fixed decimals, a true minus sign (U+2212) instead of a hyphen, no
 * "-0.00", and P values the way reviews quote them.  Every function appends
 * to an sm_buf, so callers build a label in one buffer.
 *
 * Ownership: nothing is allocated except inside the caller's buffer.
 */
#ifndef SM_FMT_H
#define SM_FMT_H

#include "sm_buf.h"

#define SM_MINUS "\xe2\x88\x92" /* U+2212 MINUS SIGN */

/* From this magnitude on numbers print as "1.23×10⁹" (3 significant
 * digits): fixed decimals of larger values are noise. */
#define SM_FMT_EXP_FROM 1e9

/* x with `dec` decimals (past SM_FMT_EXP_FROM: 3 significant digits times
 * a power of ten); NaN or infinity appends "NA". */
void sm_fmt_num(struct sm_buf *b, double x, int dec);
/* x with as few decimals as it needs (at most 6), e.g. axis labels 0.5, 10. */
void sm_fmt_short(struct sm_buf *b, double x);
/* "P = 0.09", "P = 0.004", "P < 0.001" (dec = decimals for P >= 0.01). */
void sm_fmt_p(struct sm_buf *b, double p, int dec);
/* Formatted into a new string (NULL on allocation failure). */
char *sm_fmt_num_str(double x, int dec);
/* sm_fmt_short() into a new string (NULL on allocation failure): axis
 * tick labels. */
char *sm_fmt_short_str(double x);

#endif
