/*
 * cmd_check.c -- `safemeta check REVIEW.json`: recompute every analysis of
 * the review and compare it with what the paper reported; print each
 * disagreement with its likely cause.
 */
#include "cli.h"
#include "cli_opts.h"

#include "sm_atomic.h"
#include "sm_check.h"
#include "sm_check_accept.h"
#include "sm_results.h"
#include "sm_review_read.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cmd_check_usage[] =
	"usage: safemeta check REVIEW.json [analysis options] [-o FINDINGS.json]\n"
	"                      [--accept ACCEPTED.json]\n"
	"\n"
	"Reads the review, recomputes every analysis, and compares the results\n"
	"with the values the review says the paper reported (\"reported\"): k, Z,\n"
	"P, estimate, CI, Q, Q P, tau2, I2, studentized-residual bound, rank and\n"
	"regression test P.  A value agrees when it is within half a unit of its\n"
	"last printed decimal.  Also lists the paper's own contradictions (a P\n"
	"that does not follow from its Z, or its Q and df; an I2 that does not\n"
	"follow from Q; a CI that contradicts P; opposite signs), study counts\n"
	"that differ from the data, the paper's claims in words (\"no influential\n"
	"study\", \"no outlier\") against the influence diagnostics, tests the\n"
	"reported counts cannot support, and the PRISMA flow arithmetic.\n"
	"\n"
	"  -o FILE          also write the findings as JSON\n"
	"  --accept FILE    the findings a repository accepts (a file -o wrote):\n"
	"                   exit 1 only on a new or changed finding, listed\n"
	"\n"
	"exit codes: 0 everything agrees (or only accepted findings), 1 disagreements\n"
	"found, 2 input error\n";

static sm_status write_json(struct sm_ctx *ctx, const struct sm_check *c, const char *path)
{
	cJSON *j = sm_check_json(c);
	char *text = j ? cJSON_Print(j) : NULL;
	cJSON_Delete(j);
	if (!text)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	size_t len = strlen(text);
	sm_status st = SM_EINTERNAL;
	char *withnl = malloc(len + 2);
	if (withnl) {
		memcpy(withnl, text, len);
		withnl[len] = '\n';
		withnl[len + 1] = '\0';
		st = sm_atomic_write(ctx, path, withnl, len + 1);
	} else {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	free(withnl);
	cJSON_free(text);
	return st;
}

/* With --accept: only new or changed findings fail. */
static sm_status against_accepted(struct sm_cli *cli, const struct sm_check *c,
				  const char *accept)
{
	struct sm_check_accept a;
	sm_status st = sm_check_accept_run(cli->ctx, c, accept, &a);
	if (st != SM_OK)
		return st;
	printf("\n%s: ", accept);
	fputs(a.text, stdout);
	st = a.added || a.changed ? SM_EDISAGREE : SM_OK;
	sm_check_accept_release(&a);
	return st;
}

static int report(struct sm_cli *cli, const cJSON *results, const char *input,
		  const char *output, const char *accept)
{
	struct sm_check *c = sm_check_run(cli->ctx, results);
	if (!c)
		return sm_cli_finish(cli, sm_ctx_error(cli->ctx)->code);
	char *text = sm_check_text(c, input);
	if (!text) {
		sm_check_free(c);
		return sm_cli_finish(cli, SM_FAIL(cli->ctx, SM_EINTERNAL, "out of memory"));
	}
	fputs(text, stdout);
	free(text);
	sm_status st = output ? write_json(cli->ctx, c, output) : SM_OK;
	if (st == SM_OK && accept)
		st = against_accepted(cli, c, accept);
	else if (st == SM_OK && sm_check_count(c) > 0)
		st = SM_EDISAGREE;
	sm_check_free(c);
	return sm_cli_finish(cli, st);
}

/* Takes "--accept FILE" / "--accept=FILE" out of argv (the analysis
 * options parser does not know it); -1 when it lacks its value. */
static int take_accept(int *argc, char **argv, const char **accept)
{
	int out = 1;
	for (int i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "--")) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		if (!strncmp(argv[i], "--accept=", 9)) {
			*accept = argv[i] + 9;
		} else if (!strcmp(argv[i], "--accept")) {
			if (i + 1 >= *argc)
				return -1;
			*accept = argv[++i];
		} else {
			argv[out++] = argv[i];
		}
	}
	*argc = out;
	return 0;
}

int cmd_check(struct sm_cli *cli, int argc, char **argv)
{
	struct sm_analysis_opts opts;
	sm_analysis_opts_init(&opts);
	const char *output = NULL, *accept = NULL;
	if (take_accept(&argc, argv, &accept) != 0)
		return sm_cli_usage_error(cli, "check", "option '--accept' needs a value");
	if (accept && !*accept)
		return sm_cli_usage_error(cli, "check", "option '--accept': expected a findings "
					  "file, got ''");
	int rc = sm_cli_parse_analysis_opts(cli, "check", argc, argv, &opts, &output);
	if (rc >= 0)
		return rc;
	if (optind != argc - 1)
		return sm_cli_usage_error(cli, "check", "expected one REVIEW.json");
	const char *input = argv[optind];
	struct sm_review *review = sm_cli_load_review(cli->ctx, input, &opts);
	if (!review)
		return sm_cli_finish(cli, SM_EINPUT);
	cJSON *results = sm_results_build(cli->ctx, review, &opts);
	sm_review_free(review);
	if (!results)
		return sm_cli_finish(cli, SM_EINPUT);
	rc = report(cli, results, input, output, accept);
	cJSON_Delete(results);
	return rc;
}
