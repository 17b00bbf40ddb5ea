/*
 * cli_opts.h -- option parsing shared by the commands that run the analysis
 * stage (analyze, report, check).
 */
#ifndef SM_CLI_OPTS_H
#define SM_CLI_OPTS_H

#include "cli.h"
#include "sm_results.h"

/* Parse argv (argv[0] is the command name) with getopt_long, filling opts
 * and *output (-o).  Options may follow positional arguments (GNU getopt
 * permutes them to the end); afterwards optind indexes the positionals.
 * The options are those of the table in sm_analysis_options.h.  Returns -1
 * to go on, or an exit code (usage error). */
int sm_cli_parse_analysis_opts(struct sm_cli *cli, const char *command, int argc,
			       char **argv, struct sm_analysis_opts *opts,
			       const char **output);

/* The analysis options' lines of --help (from their table). */
void sm_cli_analysis_options_help(FILE *out);

/* The CSV columns the options name (--by, --mods), to be read as study
 * characteristics by the loader (sm_load_opts).  Owns its arrays:
 * sm_cli_columns_release. */
struct sm_cli_columns {
	const char **names;
	size_t n;
	const char **mods; /* the split --mods list */
	char *sens_field;  /* the FIELD of --sensitivity-exclude FIELD[=VALUE] */
};

/* 0 on success, -1 on out of memory. */
int sm_cli_columns_init(struct sm_cli_columns *c, const struct sm_analysis_opts *opts);
void sm_cli_columns_release(struct sm_cli_columns *c);

/* The review or CSV at path, read with the columns the options name. */
struct sm_review *sm_cli_load_review(struct sm_ctx *ctx, const char *path,
				     const struct sm_analysis_opts *opts);

/* Parse a strictly numeric option value; 0 on success. */
int sm_cli_parse_double(const char *text, double *out);

#endif
