/*
 * cmd_report.c -- `safemeta report REVIEW.json [-o DIR]` and `--all`: the
 * bundle of one review (results JSON, figures, tables, PDF report) or of
 * every review in data/.
 */
#include "cli.h"
#include "cli_opts.h"

#include "sm_atomic.h"
#include "sm_buf.h"
#include "sm_bundle.h"
#include "sm_results.h"
#include "sm_review_read.h"

#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cmd_report_usage[] =
	"usage: safemeta report REVIEW.json [-o DIR] [analysis options]\n"
	"       safemeta report --all [-o DIR]\n"
	"\n"
	"Builds the supplementary bundle of a review in DIR (default out/ID/,\n"
	"ID being the review's metadata.id): results.json, figures/ (every\n"
	"figure as PDF, SVG and PNG) and MANIFEST.sha256 (check it with\n"
	"`sha256sum -c MANIFEST.sha256` inside DIR).\n"
	"--all does this for every review in the data/ folder of the safemeta\n"
	"installation, into DIR/ID/ (DIR defaults to out).  This is the default\n"
	"job when safemeta runs without a command.\n"
	"\n"
	"The analysis options of `safemeta analyze` apply.\n";

static sm_status write_bundle(struct sm_cli *cli, const char *review_path,
			      const struct sm_analysis_opts *opts, const char *out_root,
			      const char *out_dir)
{
	struct sm_review *review = sm_review_load_any(cli->ctx, review_path);
	if (!review)
		return SM_EINPUT;
	char *safe_id = sm_safe_filename(review->id ? review->id : "review", 64);
	char *dir = out_dir ? strdup(out_dir) : sm_asprintf("%s/%s", out_root, safe_id);
	free(safe_id);
	sm_status st = sm_mkdir_p(cli->ctx, dir);
	cJSON *results = NULL;
	if (st == SM_OK) {
		sm_cli_progress(cli, "analysing %s", review_path);
		results = sm_results_build(cli->ctx, review, opts);
		if (!results)
			st = SM_EINPUT;
		else
			sm_cli_print_result_warnings(cli, results);
	}
	if (st == SM_OK) {
		char *text = sm_results_print(results);
		char *path = sm_asprintf("%s/results.json", dir);
		st = text && path ? sm_atomic_write(cli->ctx, path, text, strlen(text))
				  : SM_FAIL(cli->ctx, SM_EINTERNAL, "out of memory");
		if (st == SM_OK)
			sm_cli_progress(cli, "wrote %s", path);
		free(text);
		free(path);
	}
	if (st == SM_OK) {
		struct sm_bundle_opts bo;
		sm_bundle_opts_init(&bo);
		st = sm_bundle_write(cli->ctx, results, dir, &bo);
		if (st == SM_OK)
			sm_cli_progress(cli, "wrote the bundle in %s", dir);
	}
	cJSON_Delete(results);
	sm_review_free(review);
	free(dir);
	return st;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The bundled reviews, sorted so that runs are reproducible. */
static char **list_reviews(struct sm_ctx *ctx, const char *data_dir, size_t *n)
{
	*n = 0;
	DIR *d = opendir(data_dir);
	if (!d) {
		SM_FAIL_POS(ctx, SM_EINPUT, data_dir, 0, 0, NULL,
			    "cannot open the data folder; expected the bundled reviews there");
		return NULL;
	}
	char **names = NULL;
	size_t cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0 || e->d_name[0] == '.')
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 8;
			char **grown = sm_realloc_array(names, cap, sizeof *names);
			if (!grown)
				break;
			names = grown;
		}
		names[(*n)++] = sm_asprintf("%s/%s", data_dir, e->d_name);
	}
	closedir(d);
	if (names)
		qsort(names, *n, sizeof *names, compare_names);
	return names;
}

static int report_all(struct sm_cli *cli, const struct sm_analysis_opts *opts,
		      const char *out_root)
{
	char *data_dir = sm_asprintf("%s/data", sm_ctx_home(cli->ctx) ? sm_ctx_home(cli->ctx) : ".");
	size_t n = 0;
	char **reviews = list_reviews(cli->ctx, data_dir, &n);
	free(data_dir);
	sm_status st = reviews || n == 0 ? SM_OK : SM_EINPUT;
	if (reviews && n == 0)
		st = SM_FAIL(cli->ctx, SM_EINPUT, "no review files (*.json) in the data folder");
	for (size_t i = 0; i < n && st == SM_OK; i++)
		st = write_bundle(cli, reviews[i], opts, out_root, NULL);
	for (size_t i = 0; i < n; i++)
		free(reviews[i]);
	free(reviews);
	return sm_cli_finish(cli, st);
}

int cmd_report(struct sm_cli *cli, int argc, char **argv)
{
	int all = 0;
	/* --all is specific to report; strip it before the shared parser. */
	char **args = calloc((size_t)argc + 1, sizeof *args);
	if (!args)
		return SM_EINTERNAL;
	int n = 0;
	for (int i = 0; i < argc; i++) {
		if (i > 0 && !strcmp(argv[i], "--all"))
			all = 1;
		else
			args[n++] = argv[i];
	}
	struct sm_analysis_opts opts;
	sm_analysis_opts_init(&opts);
	const char *output = NULL;
	int rc = sm_cli_parse_analysis_opts(cli, "report", n, args, &opts, &output);
	int positional = n - optind;
	const char *review = positional == 1 ? args[optind] : NULL;
	free(args);
	if (rc >= 0)
		return rc;
	if (all && positional == 0)
		return report_all(cli, &opts, output ? output : "out");
	if (all || positional != 1)
		return sm_cli_usage_error(cli, "report",
					  "expected one REVIEW.json or --all");
	return sm_cli_finish(cli, write_bundle(cli, review, &opts, "out", output));
}
