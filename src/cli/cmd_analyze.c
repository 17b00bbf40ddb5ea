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

const char cmd_analyze_usage[] =
	"usage: safemeta analyze INPUT [options]\n"
	"\n"
	"INPUT is a review JSON file or a CSV of per-study data. Writes the\n"
	"results JSON to standard output, or to FILE with -o.\n"
	"\n"
	"options (each overrides the review's settings):\n"
	"  --preset NAME        metafor | revman5 | cochrane2025\n"
	"  --measure M          OR RR RD PETO | PR PLO PAS PFT | GEN\n"
	"  --method M           FE MH PETO DL HE HS SJ ML REML EB PM | GLMM GLMM-FE\n"
	"  --glmm MODEL         GLMM of --method GLMM: UM.FS (default) UM.RS CM.EL CM.AL\n"
	"  --test T             z | knha (Hartung-Knapp)\n"
	"  --add X              continuity correction added to zero cells (default 0.5)\n"
	"  --to R               only0 | all | if0all | none\n"
	"  --drop00             drop double-zero studies\n"
	"  --outcome-by F       which outcome field separates the analyses:\n"
	"                       domain (default) | event | none (one analysis);\n"
	"                       separate outcomes are never tested against each other\n"
	"  --by COLUMN          subgroups of each analysis by a study characteristic\n"
	"                       or outcome column (e.g. route, year): per-subgroup\n"
	"                       results and the tests for subgroup differences;\n"
	"                       --by none: no subgroups\n"
	"  --mods A,B           meta-regression on moderators (numeric, or text as\n"
	"                       categories), as rma(yi, vi, mods = ~ A + B)\n"
	"  --level L            confidence level in percent (default 95)\n"
	"  --stepadj X          shorten Fisher scoring steps (0 < X <= 1) when ML,\n"
	"                       REML or EB do not converge\n"
	"  --no-studies         leave the per-study rows out of the output\n"
	"                       (every statistic is still computed)\n"
	"  --model M            standard (rows pooled as studies) | multilevel\n"
	"                       (rows within clusters, rma.mv REML; ML with --method ML)\n"
	"  --cluster COLUMN     what groups rows: study (default) or a study\n"
	"                       characteristic\n"
	"  --robust[=T]         cluster-robust inference: cr1 (default; metafor\n"
	"                       robust, adjust = TRUE) | cr2 (clubSandwich CR2,\n"
	"                       Satterthwaite df) | none\n"
	"  --aggregate          also pool one row per study with bounds on the\n"
	"                       patients with an event (lower and upper)\n"
	"  --harm-margin X      the excess risk per 1000 treated that would matter:\n"
	"                       says whether the data exclude it, and the patients\n"
	"                       needed to (evidence of absence, 2x2 data)\n"
	"  -o, --output FILE    write here (atomically) instead of stdout\n";

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
