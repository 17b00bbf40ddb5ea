/*
 * sm_analysis_options.h -- the analysis options, described once.
 *
 * One table names every option that overrides a review's settings, its
 * value, its help and how its text sets struct sm_analysis_opts.  The
 * command line builds its getopt table and the --help of analyze, report and
 * check from it, and a program using the library sets the same options by
 * name (sm_analysis_opts_set), with the same checks and the same messages.
 *
 * Ownership: the table is static.  Setters store the value text itself
 * (not a copy) in the options: it must live as long as the options do.
 */
#ifndef SM_ANALYSIS_OPTIONS_H
#define SM_ANALYSIS_OPTIONS_H

#include "sm_ctx.h"
#include "sm_results.h"

#include <stddef.h>

enum sm_aopt_value {
	SM_AOPT_NONE,     /* a flag: --name */
	SM_AOPT_REQUIRED, /* --name VALUE */
	SM_AOPT_OPTIONAL  /* --name[=VALUE]; also `--name VALUE` when VALUE is
			   * one of `choices` (so `--robust cr2` works) */
};

struct sm_aopt {
	const char *name;            /* --name */
	enum sm_aopt_value value;
	const char *metavar;         /* "M" in --help; NULL for flags */
	const char *help;            /* lines separated by \n */
	const char *const *choices;  /* SM_AOPT_OPTIONAL: the values taken from
				      * the next argument; NULL-terminated */
	/* Store the value (NULL for a flag, or an optional option given alone).
	 * Returns NULL, or what was expected ("a non-negative number") for the
	 * message "option '--name': expected ..., got 'VALUE'". */
	const char *(*set)(struct sm_analysis_opts *opts, const char *value);
};

/* The table, in the order of --help. */
const struct sm_aopt *sm_analysis_options(size_t *n);

/* The option called `name` (without the dashes), or NULL. */
const struct sm_aopt *sm_analysis_option_named(const char *name);

/* Options on the heap (for the library's callers, who do not see the
 * struct), all unset; NULL on out of memory. */
struct sm_analysis_opts *sm_analysis_opts_new(void);
void sm_analysis_opts_free(struct sm_analysis_opts *opts);

/* Set an option by name, as `--name value` would: SM_EINPUT with the
 * message of the command line for an unknown option or a bad value. */
sm_status sm_analysis_opts_set(struct sm_ctx *ctx, struct sm_analysis_opts *opts,
			       const char *name, const char *value);

/* The README's table of the options (markdown, a row per option), or NULL
 * on out of memory.  Caller frees. */
char *sm_analysis_options_markdown(void);

#endif
