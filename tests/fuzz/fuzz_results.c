/*
 * fuzz_results.c -- libFuzzer harness for the typed results reader: any
 * byte string is decoded and validated (sm_res_parse), and must either
 * read or fail with a diagnostic, never crash, leak or hang.
 */
#include "sm_ctx.h"
#include "sm_res.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sm_ctx *ctx = sm_ctx_new();
	if (!ctx)
		return 0;
	struct sm_res *r = sm_res_parse(ctx, "fuzz.json", (const char *)data, size);
	if (!r && !sm_ctx_error(ctx))
		__builtin_trap(); /* a refusal always says why */
	sm_res_free(r);
	sm_ctx_free(ctx);
	return 0;
}
