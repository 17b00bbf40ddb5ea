#include "cli_opts.h"

#include "sm_analysis_options.h"
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
	c->names = malloc((n_mods + 2) * sizeof *c->names);
	if (!c->names)
		return -1;
	if (opts->by && *opts->by)
		c->names[c->n++] = opts->by;
	if (opts->sensitivity_exclude) {
		const char *f = opts->sensitivity_exclude, *eq = strchr(f, '=');
		if (!(c->sens_field = eq ? strndup(f, (size_t)(eq - f)) : strdup(f)))
			return -1;
		c->names[c->n++] = c->sens_field;
	}
	for (size_t i = 0; i < n_mods; i++)
		c->names[c->n++] = c->mods[i];
	/* a CSV column the cumulative analysis is ordered by is read too */
	const char *co = opts->cumul_order;
	if (co && *co && strcmp(co, "input") && strcmp(co, "year"))
		c->names[c->n++] = co;
	return 0;
}

void sm_cli_columns_release(struct sm_cli_columns *c)
{
	free(c->names);
	free(c->mods);
	free(c->sens_field);
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

/* --name[=VALUE] given alone takes VALUE from the next argument when it is
 * one of the option's choices (`--robust cr2` as well as `--robust=cr2`). */
static const char *optional_value(const struct sm_aopt *o, int argc, char **argv)
{
	if (optarg)
		return optarg;
	if (optind < argc && o->choices)
		for (const char *const *c = o->choices; *c; c++)
			if (!strcmp(argv[optind], *c))
				return argv[optind++];
	return NULL;
}

static const int has_arg_of[] = {
	[SM_AOPT_NONE] = no_argument,
	[SM_AOPT_REQUIRED] = required_argument,
	[SM_AOPT_OPTIONAL] = optional_argument,
};

/* getopt's table for the analysis options (val 256 + their index), then
 * -o/--output and -q/--quiet; NULL on out of memory.  Caller frees. */
static struct option *analysis_longopts(const struct sm_aopt *table, size_t n)
{
	struct option *lo = calloc(n + 3, sizeof *lo);
	if (!lo)
		return NULL;
	for (size_t i = 0; i < n; i++)
		lo[i] = (struct option){ table[i].name, has_arg_of[table[i].value], NULL,
					 256 + (int)i };
	lo[n] = (struct option){ "output", required_argument, NULL, 'o' };
	lo[n + 1] = (struct option){ "quiet", no_argument, NULL, 'q' };
	return lo;
}

static int set_option(struct sm_cli *cli, const char *command, const struct sm_aopt *o,
		      int argc, char **argv, struct sm_analysis_opts *opts)
{
	const char *value = o->value == SM_AOPT_OPTIONAL ? optional_value(o, argc, argv)
							 : optarg;
	const char *expected = o->set(opts, value);
	if (!expected)
		return -1;
	return sm_cli_usage_error(cli, command, "option '--%s': expected %s, got '%s'", o->name,
				  expected, value ? value : "");
}

int sm_cli_parse_analysis_opts(struct sm_cli *cli, const char *command, int argc,
			       char **argv, struct sm_analysis_opts *opts,
			       const char **output)
{
	size_t n;
	const struct sm_aopt *table = sm_analysis_options(&n);
	struct option *longopts = analysis_longopts(table, n);
	if (!longopts)
		return sm_cli_finish(cli, SM_FAIL(cli->ctx, SM_EINTERNAL, "out of memory"));
	optind = 1;
	opterr = 0;
	int c, rc = -1;
	while (rc < 0 && (c = getopt_long(argc, argv, ":o:q", longopts, NULL)) != -1) {
		if (c >= 256 && (size_t)(c - 256) < n)
			rc = set_option(cli, command, &table[c - 256], argc, argv, opts);
		else if (c == 'o')
			*output = optarg;
		else if (c == 'q')
			cli->quiet = 1;
		else if (c == ':')
			rc = sm_cli_usage_error(cli, command, "option '%s' needs a value",
						argv[optind - 1]);
		else
			rc = sm_cli_usage_error(cli, command, "unknown option '%s'",
						argv[optind - 1]);
	}
	free(longopts);
	return rc;
}

void sm_cli_analysis_options_help(FILE *out)
{
	enum { COLUMN = 23 };
	size_t n;
	const struct sm_aopt *table = sm_analysis_options(&n);
	for (size_t i = 0; i < n; i++) {
		const struct sm_aopt *o = &table[i];
		char head[64];
		if (o->value == SM_AOPT_OPTIONAL)
			snprintf(head, sizeof head, "  --%s[=%s]", o->name, o->metavar);
		else
			snprintf(head, sizeof head, "  --%s%s%s", o->name, o->metavar ? " " : "",
				 o->metavar ? o->metavar : "");
		fprintf(out, "%-*s", COLUMN, head);
		if (strlen(head) >= COLUMN)
			fprintf(out, "\n%-*s", COLUMN, "");
		for (const char *p = o->help; *p; p++) {
			fputc(*p, out);
			if (*p == '\n')
				fprintf(out, "%-*s", COLUMN, "");
		}
		fputc('\n', out);
	}
}
