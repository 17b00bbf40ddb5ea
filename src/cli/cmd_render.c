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
#include "sm_table.h"
#include "sm_textfile.h"
#include "sm_funnel.h"
#include "sm_prisma.h"
#include "sm_rob.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cmd_render_usage[] =
	"usage: safemeta render FIGURE RESULTS.json [options] -o FILE.pdf|.svg|.png\n"
	"\n"
	"FIGURE is one of: forest, funnel, prisma, rob, table.\n"
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
	"  --wrap-labels          wrap the study and event columns at 30% of the width\n"
	"                         (they wrap by themselves when needed to fit)\n"
	"  --rob                  risk-of-bias columns (D1..Dn, Overall) right of the\n"
	"                         graph, from the review's risk_of_bias judgements\n"
	"  --title TEXT           figure title ('' for none)\n"
	"\n"
	"funnel options:\n"
	"  --analysis NAME        one analysis; 'all': one panel per analysis\n"
	"                         (default: the only analysis, else all)\n"
	"  --y se|precision|n     the y axis (default se, 0 at the top)\n"
	"  --contours             significance contours around the null\n"
	"                         (P 0.10, 0.05, 0.01)\n"
	"  --ci99                 add the pseudo 99% confidence region\n"
	"  --egger-line           draw the Egger regression line\n"
	"  --no-trimfill          leave out the trim-and-fill studies\n"
	"  --no-outlier-labels    do not label studies beyond the outlier bound\n"
	"  --group-by FIELD       colour and shape points by a study field\n"
	"                         (e.g. event)\n"
	"  --title TEXT           title of a single funnel ('' for none)\n"
	"\n"
	"prisma options (PRISMA 2020 flow diagram of the review):\n"
	"  --title TEXT           a title above the diagram\n"
	"\n"
	"rob options (risk-of-bias figure of the review):\n"
	"  --plot both|traffic|summary   which plot(s) (default both)\n"
	"  --weighted             summary bars weighted by study size\n"
	"  --no-overall           leave out the overall column\n"
	"\n"
	"table options:\n"
	"  --table NAME           domains | characteristics | a review table id\n";

enum { OPT_ANALYSIS = 300, OPT_STYLE, OPT_WIDTH, OPT_DPI, OPT_SORT, OPT_COLUMNS,
       OPT_SUMMARY_ONLY, OPT_NO_METHOD_LINE, OPT_WRAP, OPT_TITLE, OPT_Y, OPT_CONTOURS,
       OPT_CI99, OPT_EGGER, OPT_NO_TRIMFILL, OPT_NO_OUTLIERS, OPT_GROUP_BY, OPT_PLOT,
       OPT_WEIGHTED, OPT_NO_OVERALL, OPT_TABLE, OPT_ROB };

/* Options every figure takes. */
#define COMMON_OPTIONS                                            \
	{ "style", required_argument, NULL, OPT_STYLE },          \
	{ "width", required_argument, NULL, OPT_WIDTH },          \
	{ "dpi", required_argument, NULL, OPT_DPI },              \
	{ "title", required_argument, NULL, OPT_TITLE },          \
	{ "output", required_argument, NULL, 'o' }

static int parse_dpi(struct sm_cli *cli, const char *text, double *dpi)
{
	if (sm_cli_parse_double(text, dpi) != 0 || *dpi < 36 || *dpi > 2400)
		return sm_cli_usage_error(cli, "render",
			"option '--dpi': expected a number from 36 to 2400, got '%s'", text);
	return -1;
}

static int bad_option(struct sm_cli *cli, int c, char **argv)
{
	if (c == ':')
		return sm_cli_usage_error(cli, "render", "option '%s' needs a value",
					  argv[optind - 1]);
	return sm_cli_usage_error(cli, "render", "unknown option '%s'", argv[optind - 1]);
}

/* The one RESULTS.json after the options, and -o: -1 when both are there,
 * else the exit code of the usage error. */
static int positional(struct sm_cli *cli, int argc, const char *output)
{
	if (optind != argc - 1)
		return sm_cli_usage_error(cli, "render", "expected one RESULTS.json");
	if (!output)
		return sm_cli_usage_error(cli, "render", "missing -o FILE");
	return -1;
}

static int render_forest(struct sm_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "analysis", required_argument, NULL, OPT_ANALYSIS },
		{ "sort", required_argument, NULL, OPT_SORT },
		{ "columns", required_argument, NULL, OPT_COLUMNS },
		{ "summary-only", no_argument, NULL, OPT_SUMMARY_ONLY },
		{ "no-method-line", no_argument, NULL, OPT_NO_METHOD_LINE },
		{ "wrap-labels", no_argument, NULL, OPT_WRAP },
		{ "rob", no_argument, NULL, OPT_ROB },
		COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct sm_forest_opts opts;
	sm_forest_opts_init(&opts);
	const char *output = NULL;
	optind = 1;
	opterr = 0;
	int c, rc = -1;
	while (rc < 0 && (c = getopt_long(argc, argv, ":o:", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_ANALYSIS: opts.analysis = optarg; break;
		case OPT_STYLE: opts.style = optarg; break;
		case OPT_WIDTH: opts.width = optarg; break;
		case OPT_DPI: rc = parse_dpi(cli, optarg, &opts.dpi); break;
		case OPT_SORT:
			if (sm_forest_sort_parse(cli->ctx, optarg, &opts.sort) != SM_OK)
				return sm_cli_finish(cli, SM_EINPUT);
			break;
		case OPT_COLUMNS: opts.columns = optarg; break;
		case OPT_SUMMARY_ONLY: opts.summary_only = 1; break;
		case OPT_NO_METHOD_LINE: opts.show_method_line = 0; break;
		case OPT_WRAP: opts.wrap_labels = 1; break;
		case OPT_ROB: opts.rob = 1; break;
		case OPT_TITLE: opts.title = optarg; break;
		case 'o': output = optarg; break;
		default: return bad_option(cli, c, argv);
		}
	}
	if (rc < 0)
		rc = positional(cli, argc, output);
	if (rc >= 0)
		return rc;
	cJSON *results = sm_cli_load_results(cli->ctx, argv[optind], 1);
	if (!results)
		return sm_cli_finish(cli, SM_EINPUT);
	sm_status st = sm_forest_render(cli->ctx, results, &opts, output);
	cJSON_Delete(results);
	return sm_cli_finish(cli, st);
}

static int render_funnel(struct sm_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "analysis", required_argument, NULL, OPT_ANALYSIS },
		{ "y", required_argument, NULL, OPT_Y },
		{ "contours", no_argument, NULL, OPT_CONTOURS },
		{ "ci99", no_argument, NULL, OPT_CI99 },
		{ "egger-line", no_argument, NULL, OPT_EGGER },
		{ "no-trimfill", no_argument, NULL, OPT_NO_TRIMFILL },
		{ "no-outlier-labels", no_argument, NULL, OPT_NO_OUTLIERS },
		{ "group-by", required_argument, NULL, OPT_GROUP_BY },
		COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct sm_funnel_opts opts;
	sm_funnel_opts_init(&opts);
	const char *output = NULL;
	optind = 1;
	opterr = 0;
	int c, rc = -1;
	while (rc < 0 && (c = getopt_long(argc, argv, ":o:", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_ANALYSIS: opts.analysis = optarg; break;
		case OPT_Y:
			if (sm_funnel_y_parse(cli->ctx, optarg, &opts.y) != SM_OK)
				return sm_cli_finish(cli, SM_EINPUT);
			break;
		case OPT_CONTOURS: opts.contours = 1; break;
		case OPT_CI99: opts.ci99 = 1; break;
		case OPT_EGGER: opts.egger_line = 1; break;
		case OPT_NO_TRIMFILL: opts.trimfill = 0; break;
		case OPT_NO_OUTLIERS: opts.label_outliers = 0; break;
		case OPT_GROUP_BY: opts.group_by = optarg; break;
		case OPT_STYLE: opts.style = optarg; break;
		case OPT_WIDTH: opts.width = optarg; break;
		case OPT_DPI: rc = parse_dpi(cli, optarg, &opts.dpi); break;
		case OPT_TITLE: opts.title = optarg; break;
		case 'o': output = optarg; break;
		default: return bad_option(cli, c, argv);
		}
	}
	if (rc < 0)
		rc = positional(cli, argc, output);
	if (rc >= 0)
		return rc;
	cJSON *results = sm_cli_load_results(cli->ctx, argv[optind], 1);
	if (!results)
		return sm_cli_finish(cli, SM_EINPUT);
	sm_status st = sm_funnel_render(cli->ctx, results, &opts, output);
	cJSON_Delete(results);
	return sm_cli_finish(cli, st);
}

static int render_prisma(struct sm_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct sm_prisma_opts opts;
	sm_prisma_opts_init(&opts);
	const char *output = NULL;
	optind = 1;
	opterr = 0;
	int c, rc = -1;
	while (rc < 0 && (c = getopt_long(argc, argv, ":o:", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_STYLE: opts.style = optarg; break;
		case OPT_WIDTH: opts.width = optarg; break;
		case OPT_DPI: rc = parse_dpi(cli, optarg, &opts.dpi); break;
		case OPT_TITLE: opts.title = optarg; break;
		case 'o': output = optarg; break;
		default: return bad_option(cli, c, argv);
		}
	}
	if (rc < 0)
		rc = positional(cli, argc, output);
	if (rc >= 0)
		return rc;
	cJSON *results = sm_cli_load_results(cli->ctx, argv[optind], 1);
	if (!results)
		return sm_cli_finish(cli, SM_EINPUT);
	sm_status st = sm_prisma_render(cli->ctx, results, &opts, output);
	cJSON_Delete(results);
	return sm_cli_finish(cli, st);
}

static int render_rob(struct sm_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "plot", required_argument, NULL, OPT_PLOT },
		{ "weighted", no_argument, NULL, OPT_WEIGHTED },
		{ "no-overall", no_argument, NULL, OPT_NO_OVERALL },
		COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct sm_rob_opts opts;
	sm_rob_opts_init(&opts);
	const char *output = NULL;
	optind = 1;
	opterr = 0;
	int c, rc = -1;
	while (rc < 0 && (c = getopt_long(argc, argv, ":o:", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_PLOT:
			if (sm_rob_plot_parse(cli->ctx, optarg, &opts.plot) != SM_OK)
				return sm_cli_finish(cli, SM_EINPUT);
			break;
		case OPT_WEIGHTED: opts.weighted = 1; break;
		case OPT_NO_OVERALL: opts.overall = 0; break;
		case OPT_STYLE: opts.style = optarg; break;
		case OPT_WIDTH: opts.width = optarg; break;
		case OPT_DPI: rc = parse_dpi(cli, optarg, &opts.dpi); break;
		case OPT_TITLE: opts.title = optarg; break;
		case 'o': output = optarg; break;
		default: return bad_option(cli, c, argv);
		}
	}
	if (rc < 0)
		rc = positional(cli, argc, output);
	if (rc >= 0)
		return rc;
	cJSON *results = sm_cli_load_results(cli->ctx, argv[optind], 1);
	if (!results)
		return sm_cli_finish(cli, SM_EINPUT);
	sm_status st = sm_rob_render(cli->ctx, results, &opts, output);
	cJSON_Delete(results);
	return sm_cli_finish(cli, st);
}

static int render_table(struct sm_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "table", required_argument, NULL, OPT_TABLE },
		{ "style", required_argument, NULL, OPT_STYLE },
		{ "width", required_argument, NULL, OPT_WIDTH },
		{ "dpi", required_argument, NULL, OPT_DPI },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	struct sm_table_opts opts;
	sm_table_opts_init(&opts);
	const char *name = NULL, *output = NULL;
	optind = 1;
	opterr = 0;
	int c, rc = -1;
	while (rc < 0 && (c = getopt_long(argc, argv, ":o:", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_TABLE: name = optarg; break;
		case OPT_STYLE: opts.style = optarg; break;
		case OPT_WIDTH: opts.width = optarg; break;
		case OPT_DPI: rc = parse_dpi(cli, optarg, &opts.dpi); break;
		case 'o': output = optarg; break;
		default: return bad_option(cli, c, argv);
		}
	}
	if (rc < 0 && optind == argc - 1 && !name)
		return sm_cli_usage_error(cli, "render", "missing --table NAME");
	if (rc < 0)
		rc = positional(cli, argc, output);
	if (rc >= 0)
		return rc;
	cJSON *results = sm_cli_load_results(cli->ctx, argv[optind], 1);
	if (!results)
		return sm_cli_finish(cli, SM_EINPUT);
	struct sm_table *t = sm_table_from_results(cli->ctx, results, name);
	sm_status st = t ? sm_table_render(cli->ctx, t, &opts, output) : SM_EINPUT;
	sm_table_free(t);
	cJSON_Delete(results);
	return sm_cli_finish(cli, st);
}

int cmd_render(struct sm_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return sm_cli_usage_error(cli, "render", "missing FIGURE");
	if (!strcmp(argv[1], "forest"))
		return render_forest(cli, argc - 1, argv + 1);
	if (!strcmp(argv[1], "funnel"))
		return render_funnel(cli, argc - 1, argv + 1);
	if (!strcmp(argv[1], "prisma"))
		return render_prisma(cli, argc - 1, argv + 1);
	if (!strcmp(argv[1], "rob"))
		return render_rob(cli, argc - 1, argv + 1);
	if (!strcmp(argv[1], "table"))
		return render_table(cli, argc - 1, argv + 1);
	return sm_cli_usage_error(cli, "render", "unknown figure '%s'; expected forest, funnel, "
				  "prisma, rob or table", argv[1]);
}
