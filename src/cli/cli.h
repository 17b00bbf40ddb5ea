/*
 * cli.h -- the safemeta command line: a table of subcommands over the
 * library.  Only this layer prints to stdout/stderr or chooses exit codes.
 */
#ifndef SM_CLI_H
#define SM_CLI_H

#include "sm_ctx.h"

#include <cjson/cJSON.h>
#include <stdio.h>

struct sm_cli {
	struct sm_ctx *ctx;
	const char *argv0;
	int quiet; /* --quiet: no progress on stderr */
	/* What is being written, so that an end by GLib's out-of-memory
	 * (cli_glib.h) removes its temporaries: a figure's path (its
	 * PATH.tmp.XXXXXX) and a bundle's folder (its .NAME.tmp.XXXXXX); NULL
	 * when none.  Borrowed. */
	const char *writing_file;
	const char *writing_bundle;
};

typedef int (*sm_cli_fn)(struct sm_cli *cli, int argc, char **argv);

struct sm_cli_command {
	const char *name;
	sm_cli_fn run;
	const char *summary;
	const char *usage;        /* full --help text, or NULL when help() writes it */
	void (*help)(FILE *out);  /* --help built from data (render: the figure kinds) */
};

int cmd_analyze(struct sm_cli *cli, int argc, char **argv);
int cmd_render(struct sm_cli *cli, int argc, char **argv);
int cmd_report(struct sm_cli *cli, int argc, char **argv);
int cmd_check(struct sm_cli *cli, int argc, char **argv);

void cmd_analyze_help(FILE *out);
void cmd_render_help(FILE *out);
extern const char cmd_report_usage[];
extern const char cmd_check_usage[];

/* Print the recorded error (if any) as "safemeta: FILE:LINE:COL: msg" and
 * the warnings, and return the exit code for `status`. */
int sm_cli_finish(struct sm_cli *cli, sm_status status);
/* Print warnings collected in the context to stderr (prefix "warning: "). */
/* "safemeta: " a b c (NULL parts skipped) and a newline on stderr, control
 * characters escaped as \xNN: every message goes through here. */
void sm_cli_eputs(const char *a, const char *b, const char *c);
void sm_cli_print_warnings(struct sm_cli *cli);
/* Print the "warnings" of every analysis of a results document on stderr
 * ("safemeta: warning: ANALYSIS: text"), unless --quiet. */
void sm_cli_print_result_warnings(struct sm_cli *cli, const cJSON *results);
/* Usage error: print message and the command's usage hint; returns 2. */
int sm_cli_usage_error(struct sm_cli *cli, const char *command, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Progress line on stderr unless --quiet. */
void sm_cli_progress(struct sm_cli *cli, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A results document written by `safemeta analyze`, or NULL with a clear
 * error (FILE:LINE:COL) in ctx; `validate`: it must pass the typed results
 * reader too (what is drawn).  Free with cJSON_Delete. */
cJSON *sm_cli_load_results(struct sm_ctx *ctx, const char *path, int validate);

/* 1 when argv[i] is -h/--help. */
int sm_cli_wants_help(int argc, char **argv);

#endif
