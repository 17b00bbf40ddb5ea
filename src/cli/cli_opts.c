#include "cli_opts.h"

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

enum { OPT_PRESET = 256, OPT_MEASURE, OPT_METHOD, OPT_TEST, OPT_ADD, OPT_TO,
       OPT_DROP00, OPT_BY, OPT_LEVEL, OPT_STEPADJ, OPT_NO_STUDIES, OPT_GLMM };

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
		{ "level", required_argument, NULL, OPT_LEVEL },
		{ "stepadj", required_argument, NULL, OPT_STEPADJ },
		{ "no-studies", no_argument, NULL, OPT_NO_STUDIES },
		{ "glmm", required_argument, NULL, OPT_GLMM },
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
