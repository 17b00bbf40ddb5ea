/*
 * sm_funnel_int.h -- between the funnel's reader and its layout (private).
 *
 * Ownership: sm_funnel_read() fills a layout the caller owns.
 */
#ifndef SM_FUNNEL_INT_H
#define SM_FUNNEL_INT_H

#include "sm_funnel.h"

/* Points are coloured and shaped by group: colours x shapes stay distinct. */
#define SM_FUNNEL_MAX_GROUPS 8

/* The panels (titles, numbers, points without positions). */
sm_status sm_funnel_read(struct sm_ctx *ctx, const cJSON *results,
			 const struct sm_funnel_opts *opts, struct sm_funnel_layout *l);
/* The measure of the first analysis, or NULL. */
const char *sm_funnel_measure(const cJSON *results);

#endif
