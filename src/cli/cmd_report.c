/*
 * cmd_report.c -- `safemeta report REVIEW.json [-o DIR]` and `--all`: the
 * bundle of one review (results JSON, figures, tables, PDF report) or of
 * every review in data/.
 */
#include "cli.h"
#include "cli_opts.h"

#include "sm_atomic.h"
#include "sm_buf.h"
#include "sm_bundle.h"
#include "sm_results.h"
#include "sm_fonts.h"
#include "sm_results_diff.h"
#include "sm_strmap.h"
#include "sm_review_read.h"
#include "sm_style.h"

#include <dirent.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cmd_report_usage[] =
	"usage: safemeta report REVIEW.json [-o DIR] [--template T] [--style S]\n"
	"                       [--width W] [--dpi N] [--supplement [--zip]]\n"
	"                       [analysis options]\n"
	"       safemeta report --all [-o DIR] [--template T] [--style S] [--width W]\n"
	"                       [--dpi N]\n"
	"       safemeta report REVIEW.json|--all --check [--against RESULTS.json]\n"
	"                       [--tolerance X]\n"
	"\n"
	"Builds the supplementary bundle of a review in DIR (default out/ID/,\n"
	"ID being the review's metadata.id): report.pdf, results.json, figures/\n"
	"(every figure as PDF, SVG and PNG), tables/ (CSV, XLSX, Markdown, DOCX)\n"
	"and MANIFEST.sha256 (check it with `sha256sum -c MANIFEST.sha256` in DIR).\n"
	"DIR is replaced as a whole once the bundle is complete: a failed or\n"
	"interrupted run leaves the previous bundle as it was, files of DIR the\n"
	"bundle did not write are left alone, and one run at a time may write DIR.\n"
	"--all does this for every review in the data/ folder of the safemeta\n"
	"installation, into DIR/ID/ (DIR defaults to out).  This is the default\n"
	"job when safemeta runs without a command.\n"
	"\n"
	"  --template T     report template: a .tmpl file or a name under\n"
	"                   templates/ (default: report; see the README)\n"
	"  --supplement     a journal supplement: figures and tables numbered S1,\n"
	"                   S2, ... as the report numbers them, in files named so\n"
	"                   (figures/S1-forest-summary.pdf), with an index\n"
	"                   (index.txt and a page of the report)\n"
	"  --zip            with --supplement: also DIR/supplement.zip of every\n"
	"                   file, the same bytes on every run\n"
	"  --style S        figure style, as for render: default, journal (black\n"
	"                   and grey only) or a .json file; report.pdf too\n"
	"  --width W        width of the figure files: single (85 mm), onehalf\n"
	"                   (120 mm), double (175 mm) or a length; a figure that\n"
	"                   cannot take it (PRISMA needs 120 mm) keeps its own,\n"
	"                   with a warning; report.pdf keeps its page width\n"
	"  --dpi N          PNG resolution (36 to 2400, default 300); a figure too\n"
	"                   large for a PNG at N is drawn at the highest dpi that\n"
	"                   fits, with a warning\n"
	"  --check          write nothing; compare freshly computed results with\n"
	"                   the committed results.json (DIR/results.json, or\n"
	"                   --against FILE) and exit 1 when anything changed\n"
	"                   beyond the tolerance\n"
	"  --tolerance X    relative tolerance of --check (default 1e-6)\n"
	"\n"
	"The analysis options of `safemeta analyze` apply.\n";

/* Options of report only, taken out before the shared analysis parser. */
struct report_opts {
	int all, check, supplement, zip;
	const char *against, *template_name;
	const char *style, *width; /* figure style and width (NULL: defaults) */
	double dpi;                /* 0: 300 */
	double tolerance;
};

static sm_status check_against(struct sm_cli *cli, const cJSON *fresh, const char *path,
			       double tolerance);
static int check_figure_opts(struct sm_cli *cli, const struct report_opts *ro);

/* SIGINT, SIGTERM and SIGHUP while a bundle is written: the handler only
 * records the signal; the bundle's workers read it between files, remove
 * their temporary folder and return, and the signal is raised again with
 * its default action (exit status 128 + signal number).  A signal handler
 * can reach nothing but a static: this one flag is the CLI's, never the
 * library's. */
static volatile sig_atomic_t caught_signal;

static void on_signal(int signo)
{
	caught_signal = signo;
}

static const int caught_signals[] = { SIGINT, SIGTERM, SIGHUP };
#define N_CAUGHT (sizeof caught_signals / sizeof caught_signals[0])

static void catch_signals(struct sigaction *saved)
{
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = 0 };
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < N_CAUGHT; i++) {
		sigaction(caught_signals[i], NULL, &saved[i]);
		if (saved[i].sa_handler != SIG_IGN) /* nohup's SIGHUP stays ignored */
			sigaction(caught_signals[i], &sa, NULL);
	}
}

/* Puts back the previous handlers; a signal caught meanwhile is raised
 * again now, with the default action. */
static void release_signals(struct sm_cli *cli, const struct sigaction *saved)
{
	for (size_t i = 0; i < N_CAUGHT; i++)
		sigaction(caught_signals[i], &saved[i], NULL);
	int signo = caught_signal;
	if (!signo)
		return;
	sm_cli_finish(cli, SM_EOUTPUT); /* "interrupted; the previous bundle is left ..." */
	fflush(stderr);
	signal(signo, SIG_DFL);
	raise(signo);
}

static sm_status write_bundle(struct sm_cli *cli, const char *review_path,
			      const struct sm_analysis_opts *opts, const struct report_opts *ro,
			      const char *out_root, const char *out_dir)
{
	struct sm_review *review = sm_cli_load_review(cli->ctx, review_path, opts);
	if (!review)
		return SM_EINPUT;
	char *safe_id = sm_safe_filename(review->id ? review->id : "review", 64);
	char *dir = out_dir ? strdup(out_dir) : sm_asprintf("%s/%s", out_root, safe_id);
	free(safe_id);
	sm_status st = dir ? SM_OK : SM_FAIL(cli->ctx, SM_EINTERNAL, "out of memory");
	cJSON *results = NULL;
	if (st == SM_OK) {
		sm_cli_progress(cli, "analysing %s", review_path);
		results = sm_results_build(cli->ctx, review, opts);
		if (!results)
			st = SM_EINPUT;
		else
			sm_cli_print_result_warnings(cli, results);
	}
	if (st == SM_OK && ro->check) {
		char *committed = ro->against ? strdup(ro->against)
					      : sm_asprintf("%s/results.json", dir);
		st = committed ? check_against(cli, results, committed, ro->tolerance)
			       : SM_FAIL(cli->ctx, SM_EINTERNAL, "out of memory");
		free(committed);
		cJSON_Delete(results);
		sm_review_free(review);
		free(dir);
		return st;
	}
	if (st == SM_OK) {
		struct sm_bundle_opts bo;
		sm_bundle_opts_init(&bo);
		bo.report_template = ro->template_name;
		bo.supplement = ro->supplement;
		bo.zip = ro->zip;
		bo.style = ro->style;
		bo.width = ro->width;
		bo.dpi = ro->dpi;
		bo.threads = opts->threads;
		bo.cancel = &caught_signal;
		bo.source = review_path;
		sm_cli_progress(cli, "drawing figures, tables and the report");
		struct sigaction saved[N_CAUGHT];
		catch_signals(saved);
		cli->writing_bundle = dir;
		st = sm_bundle_write(cli->ctx, results, dir, &bo);
		cli->writing_bundle = NULL;
		release_signals(cli, saved);
		if (st == SM_OK)
			sm_cli_progress(cli, "wrote the bundle in %s", dir);
	}
	cJSON_Delete(results);
	sm_review_free(review);
	free(dir);
	return st;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The bundled reviews, sorted so that runs are reproducible. */
static char **list_reviews(struct sm_ctx *ctx, const char *data_dir, size_t *n)
{
	*n = 0;
	DIR *d = opendir(data_dir);
	if (!d) {
		SM_FAIL_POS(ctx, SM_EINPUT, data_dir, 0, 0, NULL,
			    "cannot open the data folder; expected the bundled reviews there");
		return NULL;
	}
	char **names = NULL;
	size_t cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0 || e->d_name[0] == '.')
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 8;
			char **grown = sm_realloc_array(names, cap, sizeof *names);
			if (!grown)
				break;
			names = grown;
		}
		names[(*n)++] = sm_asprintf("%s/%s", data_dir, e->d_name);
	}
	closedir(d);
	if (names)
		qsort(names, *n, sizeof *names, compare_names);
	return names;
}

/* The folder of review i, for a message: its own id, and when the other's
 * differs in case only, why the two are still one folder. */
static char *clash_text(const char *out_root, const char *id, const char *other)
{
	return strcmp(id, other) ? sm_asprintf("%s/%s, the folder %s/%s on a case-insensitive "
					       "file system (macOS, Windows),", out_root, id,
					       out_root, other)
				 : sm_asprintf("%s/%s,", out_root, id);
}

/* Two reviews whose ids give one folder, also one that differs in case
 * only, are refused before anything is written, naming both files. */
static sm_status check_review_ids(struct sm_cli *cli, char **reviews, size_t n,
				  const struct sm_analysis_opts *opts, const char *out_root)
{
	struct sm_strmap *seen = sm_strmap_new();
	char **ids = sm_alloc_array(n + 1, sizeof *ids);
	char **keys = sm_alloc_array(n + 1, sizeof *keys);
	sm_status st = seen && ids && keys ? SM_OK
					   : SM_FAIL(cli->ctx, SM_EINTERNAL, "out of memory");
	size_t nids = 0;
	for (size_t i = 0; i < n && st == SM_OK; i++) {
		struct sm_review *review = sm_cli_load_review(cli->ctx, reviews[i], opts);
		if (!review) {
			st = SM_EINPUT;
			break;
		}
		ids[nids] = sm_safe_filename(review->id ? review->id : "review", 64);
		sm_review_free(review);
		keys[nids] = ids[nids] ? sm_filename_fold(ids[nids]) : NULL;
		size_t k;
		int r = keys[nids] ? sm_strmap_put(seen, keys[nids], nids, &k) : -1;
		if (r == 1) {
			nids++;
			continue;
		}
		if (r < 0) {
			st = SM_FAIL(cli->ctx, SM_EINTERNAL, "out of memory");
		} else {
			char *where = clash_text(out_root, ids[nids], ids[k]);
			st = SM_FAIL_POS(cli->ctx, SM_EINPUT, reviews[i], 0, 0, NULL,
					 "its review id gives the folder %s as that of %s does; "
					 "expected a metadata.id of its own",
					 where ? where : ids[nids], reviews[k]);
			free(where);
		}
		free(ids[nids]);
		free(keys[nids]);
	}
	sm_strmap_free(seen); /* borrows the keys */
	for (size_t i = 0; i < nids; i++) {
		free(ids[i]);
		free(keys[i]);
	}
	free(ids);
	free(keys);
	return st;
}

static int report_all(struct sm_cli *cli, const struct sm_analysis_opts *opts,
		      const struct report_opts *ro, const char *out_root)
{
	char *data_dir = sm_asprintf("%s/data", sm_ctx_home(cli->ctx) ? sm_ctx_home(cli->ctx) : ".");
	size_t n = 0;
	char **reviews = list_reviews(cli->ctx, data_dir, &n);
	free(data_dir);
	sm_status st = reviews || n == 0 ? SM_OK : SM_EINPUT;
	if (reviews && n == 0)
		st = SM_FAIL(cli->ctx, SM_EINPUT, "no review files (*.json) in the data folder");
	if (st == SM_OK && !ro->check)
		st = check_review_ids(cli, reviews, n, opts, out_root);
	for (size_t i = 0; i < n && st == SM_OK; i++)
		st = write_bundle(cli, reviews[i], opts, ro, out_root, NULL);
	for (size_t i = 0; i < n; i++)
		free(reviews[i]);
	free(reviews);
	return sm_cli_finish(cli, st);
}

/* Takes the report-only options out of argv (into args); returns -1 to go
 * on or an exit code. */
static int strip_report_opts(struct sm_cli *cli, int argc, char **argv, char **args, int *n,
			     struct report_opts *ro)
{
	*n = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		int takes = i > 0 && (!strcmp(a, "--against") || !strcmp(a, "--template") ||
				      !strcmp(a, "--tolerance") || !strcmp(a, "--style") ||
				      !strcmp(a, "--width") || !strcmp(a, "--dpi"));
		if (takes && i + 1 >= argc)
			return sm_cli_usage_error(cli, "report", "option '%s' needs a value", a);
		if (i > 0 && !strcmp(a, "--all"))
			ro->all = 1;
		else if (i > 0 && !strcmp(a, "--check"))
			ro->check = 1;
		else if (i > 0 && !strcmp(a, "--supplement"))
			ro->supplement = 1;
		else if (i > 0 && !strcmp(a, "--zip"))
			ro->zip = 1;
		else if (takes && !strcmp(a, "--against"))
			ro->against = argv[++i];
		else if (takes && !strcmp(a, "--template"))
			ro->template_name = argv[++i];
		else if (takes && !strcmp(a, "--style"))
			ro->style = argv[++i];
		else if (takes && !strcmp(a, "--width"))
			ro->width = argv[++i];
		else if (takes && !strcmp(a, "--dpi") &&
			 (sm_cli_parse_double(argv[++i], &ro->dpi) != 0 || !(ro->dpi >= 36) ||
			  ro->dpi > 2400))
			return sm_cli_usage_error(cli, "report", "option '--dpi': expected a "
						  "number from 36 to 2400, got '%s'", argv[i]);
		else if (takes && !strcmp(a, "--dpi"))
			continue;
		else if (takes && (sm_cli_parse_double(argv[++i], &ro->tolerance) != 0 ||
				   !(ro->tolerance >= 0) || ro->tolerance >= 1))
			return sm_cli_usage_error(cli, "report", "option '--tolerance': expected "
						  "a number in [0, 1), got '%s'", argv[i]);
		else if (!takes)
			args[(*n)++] = argv[i];
	}
	if (ro->against && !ro->check)
		return sm_cli_usage_error(cli, "report", "--against goes with --check");
	if (ro->zip && !ro->supplement)
		return sm_cli_usage_error(cli, "report", "--zip goes with --supplement");
	if (ro->supplement && ro->check)
		return sm_cli_usage_error(cli, "report", "--check writes nothing; expected "
					  "--check or --supplement, not both");
	if (ro->against && ro->all)
		return sm_cli_usage_error(cli, "report", "--against names one file; expected one "
					  "REVIEW.json, not --all");
	return check_figure_opts(cli, ro);
}

/* A style or width the figures would refuse is refused before anything is
 * analysed or written: the style loads (its fonts too), the width is a
 * length of at most SM_STYLE_MAX_MM. */
static int check_figure_opts(struct sm_cli *cli, const struct report_opts *ro)
{
	if (ro->style) {
		struct sm_style *st = sm_style_load(cli->ctx, ro->style);
		struct sm_fonts *fonts = st ? sm_fonts_new_home_with(cli->ctx, st->font_files)
					    : NULL;
		sm_fonts_free(fonts);
		sm_style_free(st);
		if (!fonts)
			return sm_cli_finish(cli, SM_EINPUT);
	}
	double pt;
	if (ro->width && sm_style_width(cli->ctx, ro->width, 0, &pt) != SM_OK)
		return sm_cli_finish(cli, SM_EINPUT);
	return -1;
}

int cmd_report(struct sm_cli *cli, int argc, char **argv)
{
	struct report_opts ro = { .tolerance = 1e-6 };
	char **args = calloc((size_t)argc + 1, sizeof *args);
	if (!args)
		return SM_EINTERNAL;
	int n = 0;
	int rc = strip_report_opts(cli, argc, argv, args, &n, &ro);
	if (rc >= 0) {
		free(args);
		return rc;
	}
	struct sm_analysis_opts opts;
	sm_analysis_opts_init(&opts);
	const char *output = NULL;
	rc = sm_cli_parse_analysis_opts(cli, "report", n, args, &opts, &output);
	int positional = n - optind;
	const char *review = positional == 1 ? args[optind] : NULL;
	free(args);
	if (rc >= 0)
		return rc;
	if (ro.all && positional == 0)
		return report_all(cli, &opts, &ro, output ? output : "out");
	if (ro.all || positional != 1)
		return sm_cli_usage_error(cli, "report",
					  "expected one REVIEW.json or --all");
	return sm_cli_finish(cli, write_bundle(cli, review, &opts, &ro, "out", output));
}

static sm_status check_against(struct sm_cli *cli, const cJSON *fresh, const char *path,
			       double tolerance)
{
	cJSON *committed = sm_cli_load_results(cli->ctx, path, 0);
	if (!committed)
		return SM_EINPUT;
	struct sm_results_diff *d = sm_results_diff(committed, fresh, tolerance, 20);
	cJSON_Delete(committed);
	if (!d)
		return SM_FAIL(cli->ctx, SM_EINTERNAL, "out of memory");
	sm_status st = SM_OK;
	if (d->count == 0) {
		sm_cli_progress(cli, "%s: results unchanged (relative tolerance %g)", path,
				tolerance);
	} else {
		for (size_t i = 0; i < d->nlines; i++)
			sm_cli_eputs(path, ": ", d->lines[i]);
		if (d->count > d->nlines)
			fprintf(stderr, "safemeta: %s: ... and %zu more\n", path,
				d->count - d->nlines);
		st = SM_FAIL_POS(cli->ctx, SM_EDISAGREE, path, 0, 0, NULL,
				 "%zu value%s changed beyond the relative tolerance %g; expected "
				 "the committed results", d->count, d->count == 1 ? "" : "s",
				 tolerance);
	}
	sm_results_diff_free(d);
	return st;
}
