/*
 * cmd_analyze.c -- `safemeta analyze INPUT [options]`: review JSON or CSV in,
 * results JSON out (stdout unless -o).
 */
#include "cli.h"
#include "cli_opts.h"

#include "sm_atomic.h"
#include "sm_buf.h"
#include "sm_json_stream.h"
#include "sm_row_spool.h"
#include "sm_results.h"
#include "sm_review_read.h"

#include <errno.h>
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

/* The per-study rows' temporary file failed: its cause. */
static sm_status spool_failed(struct sm_cli *cli, const struct sm_row_spool *spool)
{
	int e = sm_row_spool_errno(spool);
	return SM_FAIL(cli->ctx, SM_EOUTPUT, "cannot write the per-study rows to a temporary "
		       "file%s%s; expected free space in $TMPDIR or /tmp (and no smaller file "
		       "size limit than the results need)", e ? ": " : "", e ? strerror(e) : "");
}

/* Streams results (freed) to output, atomically, or to stdout. */
static sm_status write_results(struct sm_cli *cli, cJSON *results, struct sm_row_spool *spool,
			       const char *output)
{
	if (sm_row_spool_failed(spool) == SM_ROW_SPOOL_NOMEM) {
		cJSON_Delete(results);
		return SM_FAIL(cli->ctx, SM_EINTERNAL, "out of memory");
	}
	if (sm_row_spool_failed(spool)) {
		cJSON_Delete(results);
		return spool_failed(cli, spool);
	}
	if (!output) {
		errno = 0;
		if (sm_json_stream_results(results, spool, stdout) != 0 || fflush(stdout) != 0)
			return sm_row_spool_failed(spool) == 1
				       ? spool_failed(cli, spool)
				       : SM_FAIL(cli->ctx, SM_EOUTPUT,
						 "cannot write to standard output: %s",
						 errno ? strerror(errno) : "out of memory");
		return SM_OK;
	}
	struct sm_atomic *af = sm_atomic_open(cli->ctx, output);
	if (!af) {
		cJSON_Delete(results);
		return SM_EOUTPUT;
	}
	errno = 0;
	if (sm_json_stream_results(results, spool, sm_atomic_stream(af)) != 0) {
		/* the failing write's errno (ENOSPC on a full disk), else memory */
		int e = ferror(sm_atomic_stream(af)) ? errno : 0;
		sm_atomic_abort(af);
		if (sm_row_spool_failed(spool) == 1)
			return spool_failed(cli, spool);
		return SM_FAIL_POS(cli->ctx, SM_EOUTPUT, output, 0, 0, NULL,
				   "cannot write the results: %s; expected a writable output "
				   "with free space", e ? strerror(e) : "out of memory");
	}
	return sm_atomic_commit(cli->ctx, af);
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
	if (output && sm_output_is_input(cli->ctx, output, input))
		return sm_cli_finish(cli, SM_EINPUT);

	struct sm_review *review = sm_cli_load_review(cli->ctx, input, &opts);
	if (!review)
		return sm_cli_finish(cli, SM_EINPUT);
	/* The per-study rows go to a temporary file as they are made and the
	 * document is streamed out (sm_row_spool.h, sm_json_stream.h): memory
	 * a few bytes per row, not kilobytes. */
	struct sm_row_spool *spool = sm_row_spool_new();
	if (!spool) {
		sm_review_free(review);
		SM_FAIL(cli->ctx, SM_EOUTPUT, "cannot create a temporary file for the per-study "
			"rows; expected a writable temporary folder ($TMPDIR or /tmp)");
		return sm_cli_finish(cli, SM_EOUTPUT);
	}
	cJSON *results = sm_results_build_spooled(cli->ctx, review, &opts, spool);
	sm_review_free(review);
	if (!results) {
		sm_row_spool_free(spool);
		return sm_cli_finish(cli, SM_EINPUT);
	}
	sm_cli_print_result_warnings(cli, results);
	if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(results, "analyses")) == 0)
		sm_ctx_warn(cli->ctx, "%s has no per-study outcomes: no analysis was run (the review's "
			    "PRISMA counts, risk of bias and tables are in the results)", input);
	sm_status st = write_results(cli, results, spool, output);
	sm_row_spool_free(spool);
	return sm_cli_finish(cli, st);
}
