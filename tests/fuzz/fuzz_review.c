/*
 * fuzz_review.c -- libFuzzer harness for the review JSON reader (and, see
 * fuzz_analyse.h, the analysis of what it read).  The review "lives" in a
 * folder that does not exist, so an "outcomes": {"csv": ...} never reads a
 * real file.
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
	struct sm_review *r = sm_review_parse(ctx, "/nonexistent-fuzz/review.json",
					      (const char *)data, size);
	if (r) {
		fuzz_analyse(ctx, r);
		sm_review_free(r);
	}
	sm_ctx_free(ctx);
	return 0;
}
