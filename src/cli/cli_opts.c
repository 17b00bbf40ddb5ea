#include "cli_opts.h"

#include "sm_columns.h"
#include "sm_review_read.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int sm_cli_parse_double(const char *text, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	if (errno != 0 || end == text || *end != '\0' || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

int sm_cli_columns_init(struct sm_cli_columns *c, const struct sm_analysis_opts *opts)
{
	memset(c, 0, sizeof *c);
	size_t n_mods = 0;
	if (opts->mods && *opts->mods && !(c->mods = sm_names_split(opts->mods, &n_mods)) &&
	    strspn(opts->mods, " ,\t") != strlen(opts->mods))
		return -1;
	c->names = malloc((n_mods + 1) * sizeof *c->names);
	if (!c->names)
		return -1;
	if (opts->by && *opts->by)
		c->names[c->n++] = opts->by;
	for (size_t i = 0; i < n_mods; i++)
		c->names[c->n++] = c->mods[i];
	return 0;
}

void sm_cli_columns_release(struct sm_cli_columns *c)
{
	free(c->names);
	free(c->mods);
	memset(c, 0, sizeof *c);
}

struct sm_review *sm_cli_load_review(struct sm_ctx *ctx, const char *path,
				     const struct sm_analysis_opts *opts)
{
	struct sm_cli_columns cols;
	if (sm_cli_columns_init(&cols, opts) != 0) {
		sm_cli_columns_release(&cols);
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	struct sm_load_opts lo = { cols.names, cols.n };
	struct sm_review *r = sm_review_load_any_opts(ctx, path, &lo);
	sm_cli_columns_release(&cols);
	return r;
}

enum { OPT_PRESET = 256, OPT_MEASURE, OPT_METHOD, OPT_TEST, OPT_ADD, OPT_TO,
       OPT_DROP00, OPT_BY, OPT_LEVEL, OPT_STEPADJ, OPT_NO_STUDIES, OPT_MODEL, OPT_CLUSTER,
       OPT_ROBUST, OPT_AGGREGATE, OPT_OUTCOME_BY, OPT_MODS,
       OPT_GLMM, OPT_HARM_MARGIN };

/* --robust takes an optional type, also as the next argument
 * (`--robust cr2`, as well as `--robust=cr2`); alone it means cr1. */
static const char *robust_type(int argc, char **argv)
{
	if (optarg)
		return optarg;
	if (optind < argc && (!strcmp(argv[optind], "cr1") || !strcmp(argv[optind], "cr2") ||
			      !strcmp(argv[optind], "none")))
		return argv[optind++];
	return "cr1";
}

int sm_cli_parse_analysis_opts(struct sm_cli *cli, const char *command, int argc,
			       char **argv, struct sm_analysis_opts *opts,
			       const char **output)
{
	static const struct option longopts[] = {
		{ "preset", required_argument, NULL, OPT_PRESET },
		{ "measure", required_argument, NULL, OPT_MEASURE },
		{ "method", required_argument, NULL, OPT_METHOD },
		{ "test", required_argument, NULL, OPT_TEST },
		{ "add", required_argument, NULL, OPT_ADD },
		{ "to", required_argument, NULL, OPT_TO },
		{ "drop00", no_argument, NULL, OPT_DROP00 },
		{ "by", required_argument, NULL, OPT_BY },
		{ "outcome-by", required_argument, NULL, OPT_OUTCOME_BY },
		{ "mods", required_argument, NULL, OPT_MODS },
		{ "level", required_argument, NULL, OPT_LEVEL },
		{ "stepadj", required_argument, NULL, OPT_STEPADJ },
		{ "no-studies", no_argument, NULL, OPT_NO_STUDIES },
		{ "model", required_argument, NULL, OPT_MODEL },
		{ "cluster", required_argument, NULL, OPT_CLUSTER },
		{ "robust", optional_argument, NULL, OPT_ROBUST },
		{ "aggregate", no_argument, NULL, OPT_AGGREGATE },
		{ "glmm", required_argument, NULL, OPT_GLMM },
		{ "harm-margin", required_argument, NULL, OPT_HARM_MARGIN },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":o:q", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_PRESET: opts->preset = optarg; break;
		case OPT_MEASURE: opts->measure = optarg; break;
		case OPT_METHOD: opts->method = optarg; break;
		case OPT_TEST: opts->test = optarg; break;
		case OPT_TO: opts->to = optarg; break;
		case OPT_BY: opts->by = optarg; break;
		case OPT_MODS: opts->mods = optarg; break;
		case OPT_OUTCOME_BY:
			if (strcmp(optarg, "domain") && strcmp(optarg, "event") &&
			    strcmp(optarg, "none"))
				return sm_cli_usage_error(cli, command,
					"option '--outcome-by': expected domain, event or none, got '%s'",
					optarg);
			opts->outcome_by = optarg;
			break;
		case OPT_GLMM: opts->glmm = optarg; break;
		case OPT_DROP00: opts->drop00 = 1; opts->drop00_set = 1; break;
		case OPT_ADD:
			if (sm_cli_parse_double(optarg, &opts->add) != 0 || opts->add < 0)
				return sm_cli_usage_error(cli, command,
					"option '--add': expected a non-negative number, got '%s'", optarg);
			opts->add_set = 1;
			break;
		case OPT_LEVEL:
			if (sm_cli_parse_double(optarg, &opts->level) != 0 ||
			    opts->level <= 0 || opts->level >= 100)
				return sm_cli_usage_error(cli, command,
					"option '--level': expected a percentage between 0 and 100, got '%s'",
					optarg);
			opts->level_set = 1;
			break;
		case OPT_STEPADJ:
			if (sm_cli_parse_double(optarg, &opts->stepadj) != 0 ||
			    opts->stepadj <= 0 || opts->stepadj > 1)
				return sm_cli_usage_error(cli, command,
					"option '--stepadj': expected a number in (0, 1], got '%s'", optarg);
			break;
		case OPT_NO_STUDIES: opts->no_studies = 1; break;
		case OPT_MODEL:
			if (strcmp(optarg, "standard") != 0 && strcmp(optarg, "multilevel") != 0)
				return sm_cli_usage_error(cli, command,
					"option '--model': expected standard or multilevel, got '%s'",
					optarg);
			opts->model = optarg;
			break;
		case OPT_CLUSTER:
			if (!*optarg)
				return sm_cli_usage_error(cli, command,
					"option '--cluster': expected a column name, got ''");
			opts->cluster = optarg;
			break;
		case OPT_ROBUST:
			opts->robust = robust_type(argc, argv);
			if (strcmp(opts->robust, "cr1") != 0 && strcmp(opts->robust, "cr2") != 0 &&
			    strcmp(opts->robust, "none") != 0)
				return sm_cli_usage_error(cli, command,
					"option '--robust': expected cr1, cr2 or none, got '%s'",
					opts->robust);
			break;
		case OPT_HARM_MARGIN:
			if (sm_cli_parse_double(optarg, &opts->harm_margin) != 0 ||
			    !(opts->harm_margin > 0 && opts->harm_margin <= 1000))
				return sm_cli_usage_error(cli, command,
					"option '--harm-margin': expected an excess risk per 1000 "
					"above 0 and at most 1000, got '%s'", optarg);
			opts->harm_margin_set = 1;
			break;
		case OPT_AGGREGATE: opts->aggregate = 1; opts->aggregate_set = 1; break;
		case 'o': *output = optarg; break;
		case 'q': cli->quiet = 1; break;
		case ':':
			return sm_cli_usage_error(cli, command, "option '%s' needs a value",
						  argv[optind - 1]);
		default:
			return sm_cli_usage_error(cli, command, "unknown option '%s'",
						  argv[optind - 1]);
		}
	}
	return -1;
}
