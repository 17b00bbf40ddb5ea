/*
 * cli_results.c -- reading a results document given on the command line
 * (render, report --check).
 */
#include "cli.h"

#include "sm_buf.h"
#include "sm_json_pos.h"
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
	size_t bom = sm_textfile_bom(text, len);
	cJSON *doc = cJSON_ParseWithLengthOpts(text + bom, len - bom + 1, NULL, 1);
	size_t off = 0;
	char *msg = NULL;
	/* cJSON fails alike on bad text and a failed malloc: the scanner says
	 * which (it accepts what cJSON parses; see sm_json_scan). */
	int scan = doc ? 0 : sm_json_scan(text, len, &off, &msg);
	if (!doc && scan != -1) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	} else if (!doc) {
		sm_textfile_fail(ctx, path, text, len, off, NULL, "%s", msg);
	} else if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "analyses"))) {
		SM_FAIL_POS(ctx, SM_EINPUT, path, 0, 0, NULL,
			    "not a results file: no 'analyses' array; expected the output of "
			    "'safemeta analyze'");
		cJSON_Delete(doc);
		doc = NULL;
	}
	free(msg);
	free(text);
	return doc;
}
