/*
 * cmd_check.c -- `safemeta check REVIEW.json`: read and validate a review,
 * run its analyses, and report every problem found.
 */
#include "cli.h"
#include "cli_opts.h"

#include "sm_results.h"
#include "sm_review_read.h"

#include <getopt.h>
#include <stdio.h>

const char cmd_check_usage[] =
	"usage: safemeta check REVIEW.json [analysis options]\n"
	"\n"
	"Reads the review (or CSV) and reports the first input error with its\n"
	"FILE:LINE:COLUMN, then runs every analysis of the review.\n"
	"Exit code 0 when the review is valid, 2 on an input error.\n";

int cmd_check(struct sm_cli *cli, int argc, char **argv)
{
	struct sm_analysis_opts opts;
	sm_analysis_opts_init(&opts);
	const char *output = NULL;
	int rc = sm_cli_parse_analysis_opts(cli, "check", argc, argv, &opts, &output);
	if (rc >= 0)
		return rc;
	if (optind != argc - 1)
		return sm_cli_usage_error(cli, "check", "expected one REVIEW.json");
	const char *input = argv[optind];
	struct sm_review *review = sm_review_load_any(cli->ctx, input);
	if (!review)
		return sm_cli_finish(cli, SM_EINPUT);
	cJSON *results = sm_results_build(cli->ctx, review, &opts);
	sm_review_free(review);
	if (!results)
		return sm_cli_finish(cli, SM_EINPUT);
	cJSON *analyses = cJSON_GetObjectItemCaseSensitive(results, "analyses");
	printf("%s: valid review; %d analyses computed\n", input, cJSON_GetArraySize(analyses));
	cJSON_Delete(results);
	return sm_cli_finish(cli, SM_OK);
}
