/*
 * main.c -- entry point: global options, subcommand dispatch, and the
 * default job (no command: build the reports of the bundled reviews).
 */
/* pthread_setattr_default_np */
#define _GNU_SOURCE
#include "cli.h"
#include "cli_glib.h"

#include "sm_buf.h"
#include "sm_init.h"

#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
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

/* Writes "safemeta: " + the parts + a newline to stderr with every control
 * character (C0, DEL, C1) of the parts as \xNN, so that a label or file
 * name cannot move the cursor, recolour the terminal or forge a line. */
void sm_cli_eputs(const char *a, const char *b, const char *c)
{
	const char *parts[] = { a, b, c };
	fputs("safemeta: ", stderr);
	for (size_t i = 0; i < 3; i++) {
		const unsigned char *s = (const unsigned char *)parts[i];
		for (; s && *s; s++) {
			int c1 = s[0] == 0xC2 && s[1] >= 0x80 && s[1] <= 0x9F;
			if (*s < 0x20 || *s == 0x7F || c1) {
				fprintf(stderr, "\\x%02X", c1 ? s[1] : *s);
				s += c1;
			} else {
				fputc(*s, stderr);
			}
		}
	}
	fputc('\n', stderr);
}

static void veputs(const char *fmt, va_list ap)
{
	char *text = sm_vasprintf(fmt, ap);
	sm_cli_eputs(text ? text : "out of memory", NULL, NULL);
	free(text);
}

void sm_cli_print_warnings(struct sm_cli *cli)
{
	size_t n = sm_ctx_warning_count(cli->ctx);
	for (size_t i = 0; i < n; i++)
		sm_cli_eputs("warning: ", sm_ctx_warning(cli->ctx, i), NULL);
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
			if (!cJSON_IsString(w))
				continue;
			char *line = sm_asprintf("%s: %s",
						 cJSON_IsString(name) ? name->valuestring
								      : "analysis",
						 w->valuestring);
			sm_cli_eputs("warning: ", line ? line : "out of memory", NULL);
			free(line);
		}
	}
}

int sm_cli_finish(struct sm_cli *cli, sm_status status)
{
	sm_cli_print_warnings(cli);
	const struct sm_diag *d = sm_ctx_error(cli->ctx);
	if (d) {
		char *text = sm_diag_format(d);
		sm_cli_eputs(text ? text : "out of memory", NULL, NULL);
		free(text);
		/* Out of memory (or another internal error) is exit 4 whatever the
		 * failing step would have reported (an input it could not read). */
		if (status == SM_OK || d->code == SM_EINTERNAL)
			status = d->code;
	}
	return (int)status;
}

int sm_cli_usage_error(struct sm_cli *cli, const char *command, const char *fmt, ...)
{
	(void)cli;
	va_list ap;
	va_start(ap, fmt);
	veputs(fmt, ap);
	va_end(ap);
	if (command)
		fprintf(stderr, "Try 'safemeta %s --help'.\n", command);
	else
		fputs("Try 'safemeta --help'.\n", stderr);
	return SM_EINPUT;
}

void sm_cli_progress(struct sm_cli *cli, const char *fmt, ...)
{
	if (cli->quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	veputs(fmt, ap);
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

/* Stacks of threads started without their own size (Pango's, one per font
 * match, and the bundle's workers): 2 MiB, not RLIMIT_STACK (8 MiB).  GLib
 * aborts when Pango cannot start such a thread, so under a memory limit the
 * address space their stacks take decides how often that happens; Pango
 * and fontconfig run on far smaller stacks elsewhere (musl: 128 KiB). */
#define SM_THREAD_STACK ((size_t)2 << 20)

static void limit_thread_stacks(void)
{
	pthread_attr_t a;
	if (pthread_getattr_default_np(&a) != 0)
		return;
	size_t size = 0;
	if (pthread_attr_getstacksize(&a, &size) == 0 && size > SM_THREAD_STACK &&
	    pthread_attr_setstacksize(&a, SM_THREAD_STACK) == 0)
		pthread_setattr_default_np(&a);
	pthread_attr_destroy(&a);
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
	sm_cli_glib_malloc_slices(argv);
	struct sm_cli cli = { .argv0 = argv[0] };
	/* The process is the CLI's: at most two malloc arenas.  glibc reserves
	 * 64 MiB of address space per arena, up to 8 per core, and Pango starts
	 * a thread per font match; under a memory limit (ulimit -v) those
	 * reservations, not the data, would exhaust it, and fonts and drawing
	 * could never be given the room they need (sm_fonts.h, README "Exit
	 * codes").  Two arenas cost nothing measurable in time. */
	mallopt(M_ARENA_MAX, 2);
	limit_thread_stacks();
	/* A file size limit (ulimit -f) would kill the process mid-write and
	 * leave its temporaries; ignored, the write fails with EFBIG and is
	 * reported as any full disk is (exit 3, the file named, nothing left). */
	signal(SIGXFSZ, SIG_IGN);
	sm_cli_glib_oom_exit(&cli);
	sm_cli_crash_as_oom(&cli);
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
