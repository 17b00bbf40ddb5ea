/*
 * fuzz_csv.c -- libFuzzer harness for the outcome CSV reader (a bare CSV as
 * given to `safemeta analyze`), and, see fuzz_analyse.h, the analysis of
 * what it read.
 */
#include "fuzz_analyse.h"
#include "sm_ctx.h"
#include "sm_review.h"
#include "sm_review_read.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sm_ctx *ctx = sm_ctx_new();
	if (!ctx)
		return 0;
	struct sm_review *r = sm_review_parse_csv(ctx, "fuzz.csv", (const char *)data, size);
	if (r) {
		fuzz_analyse(ctx, r);
		sm_review_free(r);
	}
	sm_ctx_free(ctx);
	return 0;
}
