/*
 * sm_api.c -- the library's entry points that are more than a stage's own
 * function (safemeta.h declares them all): analysis to JSON text,
 * rendering a figure kind by name, the bundle of a review.
 */
#include "safemeta.h"

#include "sm_analysis_options.h"
#include "sm_atomic.h"
#include "sm_buf.h"
#include "sm_bundle.h"
#include "sm_figure.h"
#include "sm_res.h"
#include "sm_results.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The status of the error a stage recorded when it returned NULL. */
static sm_status recorded(const struct sm_ctx *ctx)
{
	const struct sm_diag *d = sm_ctx_error(ctx);
	return d ? d->code : SM_EINTERNAL;
}

const char *sm_version(void)
{
	return SM_VERSION;
}

char *sm_analyze_json(struct sm_ctx *ctx, const struct sm_review *review,
		      const struct sm_analysis_opts *opts)
{
	struct sm_analysis_opts none;
	if (!opts) {
		sm_analysis_opts_init(&none);
		opts = &none;
	}
	cJSON *doc = sm_results_build(ctx, review, opts);
	if (!doc)
		return NULL;
	char *text = sm_results_print(doc);
	cJSON_Delete(doc);
	if (!text)
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	return text;
}

sm_status sm_write_file(struct sm_ctx *ctx, const char *path, const void *data, size_t len)
{
	return sm_atomic_write(ctx, path, data, len);
}

size_t sm_figure_kind_count(void)
{
	size_t n;
	sm_figure_kinds(&n);
	return n;
}

const char *sm_figure_kind_name(size_t i)
{
	size_t n;
	const struct sm_figure_kind *const *kinds = sm_figure_kinds(&n);
	return i < n ? kinds[i]->name : NULL;
}

/* The kind's options with `options` (name, value pairs) set; NULL with the
 * error in ctx. */
static void *figure_opts(struct sm_ctx *ctx, const struct sm_figure_kind *kind,
			 const char *const *options)
{
	void *opts = sm_figure_opts_new(ctx, kind);
	for (size_t i = 0; opts && options && options[i]; i += 2) {
		const struct sm_fopt *o = sm_figure_opt(kind, options[i]);
		sm_status s = o ? sm_figure_opts_set(ctx, kind, opts, o, options[i + 1])
				: SM_FAIL(ctx, SM_EINPUT,
					  "unknown option '%s' of a %s figure; expected one of "
					  "`safemeta render --help`", options[i], kind->name);
		if (s != SM_OK) {
			sm_figure_opts_free(opts);
			opts = NULL;
		}
	}
	return opts;
}

static const struct sm_figure_kind *kind_named(struct sm_ctx *ctx, const char *name)
{
	const struct sm_figure_kind *kind = name ? sm_figure_kind_named(name) : NULL;
	if (!kind) {
		char list[256];
		sm_figure_kind_list(list, sizeof list);
		SM_FAIL(ctx, SM_EINPUT, "unknown figure '%s'; expected %s", name ? name : "", list);
	}
	return kind;
}

sm_status sm_render(struct sm_ctx *ctx, const struct sm_res *res, const char *kind_name,
		    const char *const *options, const char *path)
{
	const struct sm_figure_kind *kind = kind_named(ctx, kind_name);
	if (!kind)
		return SM_EINPUT;
	void *opts = figure_opts(ctx, kind, options);
	if (!opts)
		return recorded(ctx);
	sm_status s = sm_figure_render(ctx, kind, res, opts, path);
	sm_figure_opts_free(opts);
	return s;
}

/* Hand a file's bytes to `write` in pieces. */
static sm_status stream_file(struct sm_ctx *ctx, const char *path, sm_write_fn write,
			     void *closure)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return SM_FAIL(ctx, SM_EINTERNAL, "cannot read back the figure %s", path);
	unsigned char buf[1 << 16];
	size_t n;
	sm_status s = SM_OK;
	while (s == SM_OK && (n = fread(buf, 1, sizeof buf, f)) > 0)
		if (write(closure, buf, n) != 0)
			s = SM_FAIL(ctx, SM_EOUTPUT, "the write function refused the figure's bytes");
	if (s == SM_OK && ferror(f))
		s = SM_FAIL(ctx, SM_EINTERNAL, "cannot read back the figure %s", path);
	fclose(f);
	return s;
}

/* The figure is drawn into a private temporary folder and handed over from
 * there: the canvas writes files atomically, and a figure the write
 * function refuses halfway leaves nothing behind. */
sm_status sm_render_to(struct sm_ctx *ctx, const struct sm_res *res, const char *kind,
		       const char *const *options, const char *format, sm_write_fn write,
		       void *closure)
{
	if (!format || (strcmp(format, "pdf") && strcmp(format, "svg") && strcmp(format, "png")))
		return SM_FAIL(ctx, SM_EINPUT, "unknown figure format '%s'; expected pdf, svg or png",
			       format ? format : "");
	const char *tmp = getenv("TMPDIR");
	char *dir = sm_asprintf("%s/safemeta-figure-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!dir)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	if (!mkdtemp(dir)) {
		free(dir);
		return SM_FAIL(ctx, SM_EOUTPUT, "cannot make a temporary folder for the figure");
	}
	char *path = sm_asprintf("%s/figure.%s", dir, format);
	sm_status s = path ? sm_render(ctx, res, kind, options, path)
			   : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	if (s == SM_OK)
		s = stream_file(ctx, path, write, closure);
	if (path)
		unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
	return s;
}

sm_status sm_report_bundle(struct sm_ctx *ctx, const struct sm_review *review,
			   const struct sm_analysis_opts *opts, const char *dir,
			   const char *template_name)
{
	struct sm_analysis_opts none;
	if (!opts) {
		sm_analysis_opts_init(&none);
		opts = &none;
	}
	sm_status s = sm_mkdir_p(ctx, dir);
	if (s != SM_OK)
		return s;
	cJSON *doc = sm_results_build(ctx, review, opts);
	if (!doc)
		return recorded(ctx);
	struct sm_bundle_opts bo;
	sm_bundle_opts_init(&bo);
	bo.report_template = template_name;
	s = sm_bundle_write(ctx, doc, dir, &bo);
	cJSON_Delete(doc);
	return s;
}
