/*
 * main.c -- entry point: global options, subcommand dispatch, and the
 * default job (no command: build the reports of the bundled reviews).
 */
#include "cli.h"

#include "sm_buf.h"
#include "sm_init.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char main_usage[] =
	"usage: safemeta [--version] [--help] [--quiet] <command> [<args>]\n"
	"\n"
	"With no command, safemeta builds the reports of every review in data/\n"
	"into out/ (the same as `safemeta report --all`).\n"
	"\n"
	"commands:\n"
	"  analyze   compute effect sizes and pooled results; write results JSON\n"
	"  render    draw one figure (forest, funnel, prisma, rob) from results JSON\n"
	"  report    build the PDF report and supplementary bundle of a review\n"
	"  check     validate a review and compare it with what the paper reported\n"
	"\n"
	"Run `safemeta <command> --help` for the options of a command.\n"
	"exit codes: 0 success, 1 disagreements found, 2 usage or input error,\n"
	"            3 output could not be written, 4 internal error\n";

static const struct sm_cli_command commands[] = {
	{ "analyze", cmd_analyze, "compute pooled results", NULL, cmd_analyze_help },
	{ "render", cmd_render, "draw a figure", NULL, cmd_render_help },
	{ "report", cmd_report, "build a report", cmd_report_usage, NULL },
	{ "check", cmd_check, "check a review", cmd_check_usage, NULL },
};

int sm_cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			return 0;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return 1;
	}
	return 0;
}

void sm_cli_print_warnings(struct sm_cli *cli)
{
	size_t n = sm_ctx_warning_count(cli->ctx);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "safemeta: warning: %s\n", sm_ctx_warning(cli->ctx, i));
	sm_ctx_clear_warnings(cli->ctx);
}

void sm_cli_print_result_warnings(struct sm_cli *cli, const cJSON *results)
{
	if (cli->quiet)
		return;
	const cJSON *a;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(results, "analyses")) {
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(a, "name");
		const cJSON *w;
		cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(a, "warnings")) {
			if (cJSON_IsString(w))
				fprintf(stderr, "safemeta: warning: %s: %s\n",
					cJSON_IsString(name) ? name->valuestring : "analysis",
					w->valuestring);
		}
	}
}

int sm_cli_finish(struct sm_cli *cli, sm_status status)
{
	sm_cli_print_warnings(cli);
	const struct sm_diag *d = sm_ctx_error(cli->ctx);
	if (d) {
		char *text = sm_diag_format(d);
		fprintf(stderr, "safemeta: %s\n", text ? text : "out of memory");
		free(text);
		if (status == SM_OK)
			status = d->code;
	}
	return (int)status;
}

int sm_cli_usage_error(struct sm_cli *cli, const char *command, const char *fmt, ...)
{
	(void)cli;
	va_list ap;
	va_start(ap, fmt);
	fputs("safemeta: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (command)
		fprintf(stderr, "\nTry 'safemeta %s --help'.\n", command);
	else
		fputs("\nTry 'safemeta --help'.\n", stderr);
	return SM_EINPUT;
}

void sm_cli_progress(struct sm_cli *cli, const char *fmt, ...)
{
	if (cli->quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	fputs("safemeta: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* The bundled fonts, templates and data live in SAFEMETA_HOME when it is
 * set, else where the library finds its installation (sm_ctx_home). */
static void find_home(struct sm_ctx *ctx)
{
	const char *env = getenv("SAFEMETA_HOME");
	if (env && *env)
		sm_ctx_set_home(ctx, env);
}

static void read_epoch(struct sm_ctx *ctx)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	if (!s || !*s)
		return;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno == 0 && *end == '\0' && v >= 0)
		sm_ctx_set_epoch(ctx, v);
}

static int run(struct sm_cli *cli, int argc, char **argv)
{
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--version")) {
			printf("safemeta %s\n", SM_VERSION);
			return 0;
		}
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(main_usage, stdout);
			return 0;
		}
		if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")) {
			cli->quiet = 1;
			continue;
		}
		return sm_cli_usage_error(cli, NULL, "unknown option '%s'", argv[i]);
	}
	if (i == argc) {
		char *default_args[] = { "report", "--all", NULL };
		return cmd_report(cli, 2, default_args);
	}
	for (size_t c = 0; c < sizeof commands / sizeof commands[0]; c++) {
		if (strcmp(argv[i], commands[c].name) != 0)
			continue;
		if (sm_cli_wants_help(argc - i, argv + i)) {
			if (commands[c].help)
				commands[c].help(stdout);
			else
				fputs(commands[c].usage, stdout);
			return 0;
		}
		return commands[c].run(cli, argc - i, argv + i);
	}
	return sm_cli_usage_error(cli, NULL, "unknown command '%s'", argv[i]);
}

int main(int argc, char **argv)
{
	struct sm_cli cli = { .argv0 = argv[0] };
	sm_init();
	cli.ctx = sm_ctx_new();
	if (!cli.ctx) {
		fputs("safemeta: out of memory\n", stderr);
		return SM_EINTERNAL;
	}
	find_home(cli.ctx);
	read_epoch(cli.ctx);
	int rc = run(&cli, argc, argv);
	sm_ctx_free(cli.ctx);
	return rc;
}
