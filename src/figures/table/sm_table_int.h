/*
 * sm_table_int.h -- internals shared by the sm_table*.c files.
 *
 * Ownership: as in sm_table.h.
 */
#ifndef SM_TABLE_INT_H
#define SM_TABLE_INT_H

#include "sm_buf.h"
#include "sm_table.h"

/* The safety-domain table formatted for print (sm_table_domains.c). */
struct sm_table *sm_table_domains(struct sm_ctx *ctx, const struct sm_res *res);
/* What check found, one row per reported analysis (sm_table_check.c). */
struct sm_table *sm_table_check(struct sm_ctx *ctx, const struct sm_res *res);

/* The sensitivity table of one analysis by name, or of every analysis
 * (analysis NULL: an "Analysis" column first); the rare-event method table
 * of the review (sm_table_sens.c).  NULL with SM_EINPUT when the results
 * hold no such block. */
struct sm_table *sm_table_sensitivity(struct sm_ctx *ctx, const struct sm_res *res,
				      const char *analysis);
struct sm_table *sm_table_rare_events(struct sm_ctx *ctx, const struct sm_res *res);
int sm_table_has_sensitivity(const struct sm_res *res);
int sm_table_has_rare_events(const struct sm_res *res);
/* The GRADE summary of findings (sm_table_sof.c); NULL with SM_EINPUT when
 * the results have none. */
struct sm_table *sm_table_sof(struct sm_ctx *ctx, const struct sm_res *res);
int sm_table_has_sof(const struct sm_res *res);

/* Set cell (r, c) to the text of b and empty b; a failed buffer is out of
 * memory (sm_table_sens.c). */
sm_status sm_table_put(struct sm_ctx *ctx, struct sm_table *t, long r, size_t c,
		       struct sm_buf *b);

/* Fail with SM_EINPUT naming the tables there are: no table `name`, or
 * none chosen (name NULL). */
sm_status sm_table_unknown(struct sm_ctx *ctx, const struct sm_res *res, const char *name);

#endif
