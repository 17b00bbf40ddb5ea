/*
 * cmd_render.c -- `safemeta render FIGURE RESULTS.json -o FILE`: one figure
 * from a results JSON; the format follows the extension (.pdf .svg .png).
 * The rendering stage reads the results document only: nothing here
 * recomputes a statistic.
 */
#include "cli.h"
#include "cli_opts.h"

#include "sm_buf.h"
#include "sm_forest.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cmd_render_usage[] =
	"usage: safemeta render FIGURE RESULTS.json [options] -o FILE.pdf|.svg|.png\n"
	"\n"
	"FIGURE is one of: forest (funnel, prisma and rob are not available yet).\n"
	"RESULTS.json is the output of `safemeta analyze`.\n"
	"\n"
	"common options:\n"
	"  -o, --output FILE      the figure; format from the extension\n"
	"  --style NAME           a style in templates/ (default) or a .json path\n"
	"  --width W              single | onehalf | double | e.g. 150mm, 6in\n"
	"  --dpi N                PNG resolution (default 300)\n"
	"\n"
	"forest options:\n"
	"  --analysis NAME        one analysis; 'all' (subgroups) or 'summary'\n"
	"                         (one row per analysis) (default: all)\n"
	"  --sort KEY             input | year | effect | weight\n"
	"  --columns LIST         from study,label2,k,events,weight,i2,effect\n"
	"  --summary-only         pooled rows without the studies\n"
	"  --no-method-line       leave out the line stating the methods\n"
	"  --wrap-labels          wrap long study labels\n"
	"  --title TEXT           figure title ('' for none)\n";

/* The results document, with a clear error when it is not one. */
static cJSON *load_results(struct sm_ctx *ctx, const char *path)
{
	char *text = NULL;
	size_t len = 0;
	if (sm_read_file(path, (size_t)256 << 20, &text, &len) != 0) {
		SM_FAIL_POS(ctx, SM_EINPUT, path, 0, 0, NULL,
			    "cannot read the results file; expected the output of 'safemeta analyze'");
		return NULL;
	}
	const char *end = NULL;
	cJSON *doc = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
	if (!doc || !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "analyses"))) {
		int line = 1, col = 1;
		for (const char *p = text; end && p < end; p++) {
			if (*p == '\n') {
				line++;
				col = 1;
			} else if (((unsigned char)*p & 0xC0) != 0x80) {
				col++;
			}
		}
		SM_FAIL_POS(ctx, SM_EINPUT, path, doc ? 0 : line, doc ? 0 : col, NULL,
			    doc ? "not a results file: no 'analyses' array; expected the output of "
				  "'safemeta analyze'"
				: "invalid JSON; expected the output of 'safemeta analyze'");
		cJSON_Delete(doc);
		doc = NULL;
	}
	free(text);
	return doc;
}

enum { OPT_ANALYSIS = 300, OPT_STYLE, OPT_WIDTH, OPT_DPI, OPT_SORT, OPT_COLUMNS,
       OPT_SUMMARY_ONLY, OPT_NO_METHOD_LINE, OPT_WRAP, OPT_TITLE };

static int render_forest(struct sm_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "analysis", required_argument, NULL, OPT_ANALYSIS },
		{ "style", required_argument, NULL, OPT_STYLE },
		{ "width", required_argument, NULL, OPT_WIDTH },
		{ "dpi", required_argument, NULL, OPT_DPI },
		{ "sort", required_argument, NULL, OPT_SORT },
		{ "columns", required_argument, NULL, OPT_COLUMNS },
		{ "summary-only", no_argument, NULL, OPT_SUMMARY_ONLY },
		{ "no-method-line", no_argument, NULL, OPT_NO_METHOD_LINE },
		{ "wrap-labels", no_argument, NULL, OPT_WRAP },
		{ "title", required_argument, NULL, OPT_TITLE },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	struct sm_forest_opts opts;
	sm_forest_opts_init(&opts);
	const char *output = NULL;
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":o:", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_ANALYSIS: opts.analysis = optarg; break;
		case OPT_STYLE: opts.style = optarg; break;
		case OPT_WIDTH: opts.width = optarg; break;
		case OPT_DPI:
			if (sm_cli_parse_double(optarg, &opts.dpi) != 0 || opts.dpi < 36 ||
			    opts.dpi > 2400)
				return sm_cli_usage_error(cli, "render",
					"option '--dpi': expected a number from 36 to 2400, got '%s'", optarg);
			break;
		case OPT_SORT:
			if (sm_forest_sort_parse(cli->ctx, optarg, &opts.sort) != SM_OK)
				return sm_cli_finish(cli, SM_EINPUT);
			break;
		case OPT_COLUMNS: opts.columns = optarg; break;
		case OPT_SUMMARY_ONLY: opts.summary_only = 1; break;
		case OPT_NO_METHOD_LINE: opts.show_method_line = 0; break;
		case OPT_WRAP: opts.wrap_labels = 1; break;
		case OPT_TITLE: opts.title = optarg; break;
		case 'o': output = optarg; break;
		case ':':
			return sm_cli_usage_error(cli, "render", "option '%s' needs a value",
						  argv[optind - 1]);
		default:
			return sm_cli_usage_error(cli, "render", "unknown option '%s'",
						  argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return sm_cli_usage_error(cli, "render", "expected one RESULTS.json");
	if (!output)
		return sm_cli_usage_error(cli, "render", "missing -o FILE");
	cJSON *results = load_results(cli->ctx, argv[optind]);
	if (!results)
		return sm_cli_finish(cli, SM_EINPUT);
	sm_status st = sm_forest_render(cli->ctx, results, &opts, output);
	cJSON_Delete(results);
	return sm_cli_finish(cli, st);
}

int cmd_render(struct sm_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return sm_cli_usage_error(cli, "render", "missing FIGURE");
	if (!strcmp(argv[1], "forest"))
		return render_forest(cli, argc - 1, argv + 1);
	return sm_cli_usage_error(cli, "render",
				  "figure '%s' is not available in this version of safemeta; "
				  "expected forest", argv[1]);
}
