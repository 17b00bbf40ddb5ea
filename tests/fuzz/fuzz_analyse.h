/*
 * fuzz_analyse.h -- shared by the reader harnesses: a review that loads is
 * analysed with the default options when the harness is built with
 * SM_FUZZ_ANALYZE (linked to the results stage), so that odd but valid data
 * reaches the statistics and the results JSON too.
 */
#ifndef SM_FUZZ_ANALYSE_H
#define SM_FUZZ_ANALYSE_H

#include "sm_ctx.h"
#include "sm_review.h"

#include <stdlib.h>

#ifdef SM_FUZZ_ANALYZE
#include "sm_results.h"

static void fuzz_analyse(struct sm_ctx *ctx, const struct sm_review *r)
{
	struct sm_analysis_opts opts;
	sm_analysis_opts_init(&opts);
	cJSON *res = sm_results_build(ctx, r, &opts);
	if (res)
		free(sm_results_print(res));
	cJSON_Delete(res);
}
#else
static void fuzz_analyse(struct sm_ctx *ctx, const struct sm_review *r)
{
	(void)ctx;
	(void)r;
}
#endif

#endif
