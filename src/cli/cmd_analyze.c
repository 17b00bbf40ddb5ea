/*
 * cmd_analyze.c -- `safemeta analyze INPUT [options]`: review JSON or CSV in,
 * results JSON out (stdout unless -o).
 */
#include "cli.h"
#include "cli_opts.h"

#include "sm_atomic.h"
#include "sm_buf.h"
#include "sm_results.h"
#include "sm_review_read.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cmd_analyze_help(FILE *out)
{
	fputs("usage: safemeta analyze INPUT [options]\n"
	      "\n"
	      "INPUT is a review JSON file or a CSV of per-study data. Writes the\n"
	      "results JSON to standard output, or to FILE with -o.\n"
	      "\n"
	      "options (each overrides the review's settings):\n", out);
	sm_cli_analysis_options_help(out);
	fputs("  -o, --output FILE    write here (atomically) instead of stdout\n", out);
}

int cmd_analyze(struct sm_cli *cli, int argc, char **argv)
{
	struct sm_analysis_opts opts;
	sm_analysis_opts_init(&opts);
	const char *output = NULL;
	int rc = sm_cli_parse_analysis_opts(cli, "analyze", argc, argv, &opts, &output);
	if (rc >= 0)
		return rc;
	if (optind != argc - 1)
		return sm_cli_usage_error(cli, "analyze",
					  optind >= argc ? "missing INPUT" : "too many arguments");
	const char *input = argv[optind];

	struct sm_review *review = sm_cli_load_review(cli->ctx, input, &opts);
	if (!review)
		return sm_cli_finish(cli, SM_EINPUT);
	cJSON *results = sm_results_build(cli->ctx, review, &opts);
	sm_review_free(review);
	if (!results)
		return sm_cli_finish(cli, SM_EINPUT);
	sm_cli_print_result_warnings(cli, results);
	if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(results, "analyses")) == 0)
		sm_ctx_warn(cli->ctx, "%s has no per-study outcomes: no analysis was run (the review's "
			    "PRISMA counts, risk of bias and tables are in the results)", input);
	char *text = sm_results_print(results);
	cJSON_Delete(results);
	if (!text) {
		SM_FAIL(cli->ctx, SM_EINTERNAL, "out of memory");
		return sm_cli_finish(cli, SM_EINTERNAL);
	}
	sm_status st = SM_OK;
	if (output)
		st = sm_atomic_write(cli->ctx, output, text, strlen(text));
	else if (fputs(text, stdout) == EOF || fflush(stdout) != 0)
		st = SM_FAIL(cli->ctx, SM_EOUTPUT, "cannot write to standard output");
	free(text);
	return sm_cli_finish(cli, st);
}
