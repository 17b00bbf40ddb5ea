/*
 * cmd_render.c -- `safemeta render FIGURE RESULTS.json -o FILE`: one figure
 * from a results JSON; the format follows the extension (.pdf .svg .png
 * .tif .eps).  --svg-text and --cmyk set the style's output.svg_text and
 * output.cmyk for this figure.
 *
 * Everything here comes from the table of figure kinds (sm_figure.h): the
 * kinds, their options (getopt's table and the help text are built from
 * the options' descriptions), their defaults.  The results are read by the
 * typed reader, so a broken document stops before anything is drawn.
 */
#include "cli.h"
#include "cli_opts.h"

#include "sm_atomic.h"
#include "sm_buf.h"
#include "sm_figure.h"
#include "sm_res.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "  --name ARG" padded to a column, then the help (continuation lines
 * indented to it). */
static void help_line(FILE *out, const struct sm_fopt *o)
{
	char head[64];
	snprintf(head, sizeof head, "  --%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
	fprintf(out, "%-25s", head);
	if (strlen(head) >= 25)
		fprintf(out, "\n%-25s", "");
	for (const char *p = o->help; *p; p++) {
		fputc(*p, out);
		if (*p == '\n')
			fprintf(out, "%-25s", "");
	}
	fputc('\n', out);
}

void cmd_render_help(FILE *out)
{
	size_t nk, nc;
	const struct sm_figure_kind *const *kinds = sm_figure_kinds(&nk);
	const struct sm_fopt *common = sm_figure_common_opts(&nc);
	fputs("usage: safemeta render FIGURE RESULTS.json [options] "
	      "-o FILE.pdf|.svg|.png|.tif|.eps\n\n"
	      "FIGURE is one of:", out);
	for (size_t i = 0; i < nk; i++)
		fprintf(out, "%s %s", i ? "," : "", kinds[i]->name);
	fputs(".\nRESULTS.json is the output of `safemeta analyze`.\n\n", out);
	for (size_t i = 0; i < nk; i++)
		fprintf(out, "  %-10s %s\n", kinds[i]->name, kinds[i]->summary);
	fputs("\ncommon options:\n  -o, --output FILE      the figure; format from the extension\n"
	      "                         (.pdf .svg .png .tif .eps)\n"
	      "  --svg-text             SVG: text as <text> elements with the fonts\n"
	      "                         embedded as subsets (default: glyph outlines)\n"
	      "  --cmyk                 TIFF: CMYK (littleCMS from sRGB) instead of RGB\n",
	      out);
	for (size_t i = 0; i < nc; i++)
		help_line(out, &common[i]);
	for (size_t i = 0; i < nk; i++) {
		fprintf(out, "\n%s options:\n", kinds[i]->name);
		for (size_t j = 0; j < kinds[i]->nopts; j++)
			help_line(out, &kinds[i]->opts[j]);
		if (kinds[i]->nopts == 0)
			fputs("  (the common options only)\n", out);
	}
}

/* getopt's table for a kind: its options, the common ones, -o; val is the
 * index into `all` (+ 256), whose entries point at the descriptions. */
struct optset {
	struct option *longopts;
	const struct sm_fopt **all;
	size_t n;
};

static int optset_build(const struct sm_figure_kind *kind, struct optset *s)
{
	size_t nc;
	const struct sm_fopt *common = sm_figure_common_opts(&nc);
	size_t n = kind->nopts + nc;
	s->longopts = calloc(n + 4, sizeof *s->longopts);
	s->all = calloc(n, sizeof *s->all);
	if (!s->longopts || !s->all)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct sm_fopt *o = i < kind->nopts ? &kind->opts[i] : &common[i - kind->nopts];
		s->all[i] = o;
		int flag = o->type == SM_FOPT_FLAG || o->type == SM_FOPT_UNFLAG;
		s->longopts[i] = (struct option){ o->name, flag ? no_argument : required_argument,
						  NULL, 256 + (int)i };
	}
	s->longopts[n] = (struct option){ "output", required_argument, NULL, 'o' };
	s->longopts[n + 1] = (struct option){ "svg-text", no_argument, NULL, 'S' };
	s->longopts[n + 2] = (struct option){ "cmyk", no_argument, NULL, 'K' };
	s->n = n;
	return 0;
}

static void optset_free(struct optset *s)
{
	free(s->longopts);
	free(s->all);
}

/* The figure's output switches (--svg-text, --cmyk). */
struct render_flags {
	int svg_text, cmyk;
};

/* Lay the figure out and write it as sm_figure_render() does, with the
 * switches set on the figure's style first. */
static sm_status render_to(struct sm_ctx *ctx, const struct sm_figure_kind *kind,
			   const struct sm_res *res, const void *opts, const char *path,
			   const struct render_flags *fl)
{
	struct sm_figure_env env = { 0 };
	sm_status s = sm_canvas_format_of(ctx, path, &env.format);
	if (s != SM_OK)
		return s;
	if (fl->svg_text && env.format != SM_CANVAS_SVG)
		return SM_FAIL_POS(ctx, SM_EINPUT, path, 0, 0, NULL, "--svg-text is for SVG "
				   "output; expected -o FILE.svg");
	if (fl->cmyk && env.format != SM_CANVAS_TIFF)
		return SM_FAIL_POS(ctx, SM_EINPUT, path, 0, 0, NULL, "--cmyk is for TIFF "
				   "output; expected -o FILE.tif");
	/* --svg-text and --cmyk are for other formats: a PDF of a kind that
	 * writes its pages as it lays them out has nothing to set. */
	if (kind->write_pdf && env.format == SM_CANVAS_PDF)
		return kind->write_pdf(ctx, res, opts, &env, path);
	struct sm_fig *fig = NULL;
	s = kind->layout(ctx, res, opts, &env, &fig);
	if (s == SM_OK) {
		fig->style->svg_text |= fl->svg_text;
		fig->style->cmyk |= fl->cmyk;
		struct sm_fig_write_opts wo = { .dpi = sm_figure_common_of(opts)->dpi };
		s = sm_fig_write_with(ctx, fig, path, &wo);
	}
	sm_fig_free(fig);
	return s;
}

/* A figure's input error without a file about what the results hold
 * ("results hold no analyses", "no analysis named ...") names the results
 * document, as every message names its FILE; errors of an option
 * ("--xlim ...", "figure width ...") stay as they are. */
static void name_results_file(struct sm_ctx *ctx, const char *path)
{
	const struct sm_diag *d = sm_ctx_error(ctx);
	if (!d || d->file || !d->msg || !strncmp(d->msg, "--", 2) ||
	    !strncmp(d->msg, "figure ", 7))
		return;
	char *msg = strdup(d->msg), *field = d->field ? strdup(d->field) : NULL;
	sm_status code = d->code;
	if (!msg) {
		free(field);
		return;
	}
	sm_ctx_clear_error(ctx);
	SM_FAIL_POS(ctx, code, path, 0, 0, field, "%s", msg);
	free(msg);
	free(field);
}

static int render_kind(struct sm_cli *cli, const struct sm_figure_kind *kind, int argc,
		       char **argv)
{
	struct render_flags fl = { 0 };
	struct optset set = { 0 };
	void *opts = sm_figure_opts_new(cli->ctx, kind);
	if (!opts || optset_build(kind, &set) != 0) {
		optset_free(&set);
		sm_figure_opts_free(opts);
		return sm_cli_finish(cli, SM_FAIL(cli->ctx, SM_EINTERNAL, "out of memory"));
	}
	const char *output = NULL;
	optind = 1;
	opterr = 0;
	int c, rc = -1;
	while (rc < 0 && (c = getopt_long(argc, argv, ":o:", set.longopts, NULL)) != -1) {
		if (c == 'o') {
			output = optarg;
		} else if (c == 'S') {
			fl.svg_text = 1;
		} else if (c == 'K') {
			fl.cmyk = 1;
		} else if (c >= 256 && (size_t)(c - 256) < set.n) {
			const struct sm_fopt *o = set.all[c - 256];
			if (sm_figure_opts_set(cli->ctx, kind, opts, o, optarg) != SM_OK) {
				char *m = sm_diag_format(sm_ctx_error(cli->ctx));
				sm_ctx_clear_error(cli->ctx);
				rc = sm_cli_usage_error(cli, "render", "%s", m ? m : "bad option");
				free(m);
			}
		} else if (c == ':') {
			rc = sm_cli_usage_error(cli, "render", "option '%s' needs a value",
						argv[optind - 1]);
		} else {
			rc = sm_cli_usage_error(cli, "render", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (rc < 0 && optind != argc - 1)
		rc = sm_cli_usage_error(cli, "render", "expected one RESULTS.json");
	if (rc < 0 && !output)
		rc = sm_cli_usage_error(cli, "render", "missing -o FILE");
	if (rc < 0 && sm_output_is_input(cli->ctx, output, argv[optind]))
		rc = sm_cli_finish(cli, SM_EINPUT);
	if (rc < 0) {
		struct sm_res *res = sm_res_read(cli->ctx, argv[optind]);
		cli->writing_file = output;
		sm_status st = res ? render_to(cli->ctx, kind, res, opts, output, &fl) : SM_EINPUT;
		cli->writing_file = NULL;
		sm_res_free(res);
		if (st == SM_EINPUT)
			name_results_file(cli->ctx, argv[optind]);
		rc = sm_cli_finish(cli, st);
	}
	optset_free(&set);
	sm_figure_opts_free(opts);
	return rc;
}

int cmd_render(struct sm_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return sm_cli_usage_error(cli, "render", "missing FIGURE");
	const struct sm_figure_kind *kind = sm_figure_kind_named(argv[1]);
	if (!kind) {
		char list[256];
		sm_figure_kind_list(list, sizeof list);
		return sm_cli_usage_error(cli, "render", "unknown figure '%s'; expected %s", argv[1],
					  list);
	}
	return render_kind(cli, kind, argc - 1, argv + 1);
}
