/*
 * cli_results.c -- reading a results document given on the command line
 * (render, report --check).
 */
#include "cli.h"

#include "sm_buf.h"
#include "sm_limits.h"
#include "sm_res.h"
#include "sm_textfile.h"

#include <stdlib.h>

/* The results document, with a clear error when it is not one; with
 * `validate` it must also pass the typed results reader (keys, types,
 * ranges, display values), as everything drawn from it must. */
cJSON *sm_cli_load_results(struct sm_ctx *ctx, const char *path, int validate)
{
	char *text = NULL;
	size_t len = 0;
	if (sm_textfile_load_max(ctx, path, SM_MAX_RESULTS_BYTES, NULL, &text, &len) != SM_OK)
		return NULL;
	struct sm_res *res = validate ? sm_res_parse(ctx, path, text, len) : NULL;
	if (validate && !res) {
		free(text);
		return NULL;
	}
	sm_res_free(res);
	const char *end = NULL;
	cJSON *doc = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
	if (!doc || !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "analyses"))) {
		int line = 0, col = 0;
		if (!doc && end)
			sm_textfile_linecol(text, len, (size_t)(end - text), &line, &col);
		SM_FAIL_POS(ctx, SM_EINPUT, path, line, col, NULL,
			    doc ? "not a results file: no 'analyses' array; expected the output of "
				  "'safemeta analyze'"
				: "invalid JSON; expected the output of 'safemeta analyze'");
		cJSON_Delete(doc);
		doc = NULL;
	}
	free(text);
	return doc;
}
