/*
 * fuzz_template.c -- libFuzzer harness for the report template reader:
 * each input is parsed as a template, and every text of the parsed
 * template is expanded against a small results document (placeholders,
 * formats, paths).  Figures are not drawn: that is the renderers' part.
 */
#include "sm_ctx.h"
#include "sm_rtmpl.h"
#include "sm_rvalue.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char results_json[] =
	"{\"safemeta\": \"0\", \"settings\": {\"measure\": \"OR\", \"method\": \"DL\", "
	"\"add\": 0.5, \"to\": \"only0\", \"drop00\": false, \"level\": 95},"
	" \"review\": {\"title\": \"T\", \"metadata\": {\"authors\": [\"A\", 2, null]}},"
	" \"analyses\": [{\"name\": \"X\", \"estimate\": -0.5, \"p\": 1e-9, \"egger\": null,"
	" \"k\": 3, \"list\": [[1], {\"a\": true}]}], \"domain_table\": {\"rows\": []}}";

static void expand_all(struct sm_ctx *ctx, struct sm_rscope *sc, const struct sm_rnode *n,
		       size_t count)
{
	for (size_t i = 0; i < count; i++) {
		const char *texts[] = { n[i].text, n[i].arg, n[i].name };
		sc->line = n[i].line;
		for (size_t j = 0; j < 3; j++) {
			if (!texts[j])
				continue;
			free(sm_rvalue_expand(ctx, sc, texts[j]));
			sm_ctx_clear_error(ctx);
		}
		if (n[i].kind == SM_RN_IF) {
			const cJSON *v = NULL;
			if (sm_rvalue_lookup(ctx, sc, n[i].name, &v) == SM_OK)
				(void)sm_rvalue_present(v);
			sm_ctx_clear_error(ctx);
		}
		expand_all(ctx, sc, n[i].body, n[i].nbody);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sm_ctx *ctx = sm_ctx_new();
	cJSON *results = cJSON_Parse(results_json);
	if (ctx && results) {
		struct sm_rtmpl *t = sm_rtmpl_parse(ctx, "fuzz.tmpl", (const char *)data, size);
		if (t) {
			struct sm_rscope sc = { results,
						cJSON_GetArrayItem(
							cJSON_GetObjectItem(results, "analyses"), 0),
						NULL, "fuzz.tmpl", 0, NULL };
			expand_all(ctx, &sc, t->nodes, t->nnodes);
		}
		sm_rtmpl_free(t);
	}
	cJSON_Delete(results);
	sm_ctx_free(ctx);
	return 0;
}
