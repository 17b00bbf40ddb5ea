#include "sm_bundle.h"

#include "sm_atomic.h"
#include "sm_bundle_dir.h"
#include "sm_canvas.h"
#include "sm_buf.h"
#include "sm_export.h"
#include "sm_figure.h"
#include "sm_json_out.h"
#include "sm_pool.h"
#include "sm_report.h"
#include "sm_res.h"
#include "sm_rtmpl.h"
#include "sm_supplement.h"
#include "sm_strmap.h"
#include "sm_style.h"
#include "sm_table.h"
#include "sm_zip.h"

#include <glib.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sm_bundle_opts_init(struct sm_bundle_opts *opts)
{
	memset(opts, 0, sizeof *opts);
	opts->figures = 1;
	opts->report = 1;
}

/* One file to draw: a figure of a kind (kind set) or the report. */
struct job {
	const struct sm_figure_kind *kind;
	const char *arg;     /* the kind's positional option, borrowed from the plan */
	const char *flag;    /* a flag option of the kind to set, or NULL */
	char *path;          /* TMP/figures/NAME.EXT (TMP/report.pdf), TMP being the
			      * temporary folder; NULL until it exists */
	char *relative;      /* figures/NAME.EXT (report.pdf), for the manifest */
	size_t raster;       /* an SVG job: the PNG job of its figure, drawn from the
			      * same layout by this job (SIZE_MAX: none) */
	size_t vector;       /* an SVG job of a one-page kind: the PDF job of its
			      * figure, also drawn by this job (SIZE_MAX: none) */
	int by_partner;      /* a PNG or PDF job its SVG job draws: never run itself */
	double cost;
	char sha[65];         /* the file's SHA-256 in hex, taken by the worker that
			       * drew it (the manifest's otherwise serial tail);
			       * "" when not taken */
	sm_status status;
	struct sm_diag error; /* when status != SM_OK: the worker's record, copied */
	char **warnings;      /* the worker's warnings, in order */
	size_t nwarnings;
};

struct job_list {
	struct job *jobs;
	size_t n, cap;
};

static struct job *jobs_add(struct job_list *l, const char *dir, const char *relative)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 32;
		struct job *j = sm_realloc_array(l->jobs, cap, sizeof *j);
		if (!j)
			return NULL;
		l->jobs = j;
		l->cap = cap;
	}
	struct job *j = &l->jobs[l->n];
	memset(j, 0, sizeof *j);
	j->raster = SIZE_MAX;
	j->vector = SIZE_MAX;
	j->relative = strdup(relative);
	j->path = dir ? sm_asprintf("%s/%s", dir, relative) : NULL;
	if (!j->relative || (dir && !j->path)) {
		free(j->relative);
		free(j->path);
		return NULL;
	}
	l->n++;
	return j;
}

static void diag_release(struct sm_diag *d)
{
	free(d->file);
	free(d->field);
	free(d->msg);
}

static void jobs_release(struct job_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct job *j = &l->jobs[i];
		free(j->path);
		free(j->relative);
		diag_release(&j->error);
		for (size_t k = 0; k < j->nwarnings; k++)
			free(j->warnings[k]);
		free(j->warnings);
	}
	free(l->jobs);
}

static const char *const figure_exts[] = { "pdf", "svg", "png", NULL };
static const char *const table_exts[] = { "csv", "xlsx", "md", "docx", NULL };
#define N_TABLE_EXTS (sizeof table_exts / sizeof table_exts[0] - 1)

/* "figures/BASE.pdf, .svg, .png" */
static char *files_of(const char *folder, const char *base, const char *const *exts)
{
	struct sm_buf b;
	sm_buf_init(&b);
	sm_buf_printf(&b, "%s/%s.%s", folder, base, exts[0]);
	for (size_t i = 1; exts[i]; i++)
		sm_buf_printf(&b, ", .%s", exts[i]);
	return sm_buf_take(&b);
}

/* A supplement names the report's figures and tables and the bundle's
 * others by their numbers (sm_supplement.h) and records each item's files;
 * its figure jobs replace the plan's. */
static sm_status plan_supplement(struct sm_ctx *ctx, const struct sm_res *res,
				 const struct sm_figure_plan *plan, struct sm_supp *supp)
{
	size_t n = 0;
	const char **tables = sm_table_names_in(res, &n);
	if (!tables)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	sm_status s = sm_supp_complete(ctx, supp, res, plan, tables, n);
	free(tables);
	for (size_t i = 0; s == SM_OK && i < supp->n; i++) {
		struct sm_supp_item *it = &supp->v[i];
		int fig = it->type == SM_SUPP_FIGURE;
		it->files = files_of(fig ? "figures" : "tables", it->base,
				     fig ? figure_exts : table_exts);
		if (!it->files)
			s = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	return s;
}

/* The three files of the figure whose jobs end at the list's end (PDF,
 * SVG, PNG): a raster is laid out as for an SVG, so the SVG job draws the
 * PNG from its own layout instead of laying the figure out again; a kind
 * of one page lays out the same for a PDF too (sm_figure.h, `paged`), so
 * there the SVG job draws all three (a Baujat plot's label placement, the
 * costliest layout, then runs once a figure instead of twice). */
static void pair_last_three(struct job_list *jobs, const struct sm_figure_kind *kind)
{
	struct job *pdf = &jobs->jobs[jobs->n - 3], *svg = &jobs->jobs[jobs->n - 2];
	struct job *png = &jobs->jobs[jobs->n - 1];
	svg->raster = jobs->n - 1;
	png->by_partner = 1;
	if (!kind->paged) {
		svg->vector = jobs->n - 3;
		pdf->by_partner = 1;
	}
}

/* The figures every kind plans for these results, each in three formats,
 * then the report: it lays its figures out again, so it runs beside the
 * figure files instead of after them. */
static sm_status plan_jobs(struct sm_ctx *ctx, const struct sm_res *res, const char *dir,
			   int with_figures, int with_report, struct sm_figure_plan *plan,
			   struct sm_supp *supp, struct job_list *jobs)
{
	size_t nk;
	const struct sm_figure_kind *const *kinds = sm_figure_kinds(&nk);
	for (size_t k = 0; with_figures && k < nk; k++)
		if (kinds[k]->plan) {
			sm_status s = kinds[k]->plan(ctx, res, plan);
			if (s != SM_OK)
				return s;
		}
	if (supp) {
		sm_status s = plan_supplement(ctx, res, plan, supp);
		for (size_t i = 0; s == SM_OK && i < supp->n; i++) {
			const struct sm_supp_item *it = &supp->v[i];
			for (size_t e = 0; it->type == SM_SUPP_FIGURE && e < 3; e++) {
				char *rel = sm_asprintf("figures/%s.%s", it->base, figure_exts[e]);
				struct job *j = rel ? jobs_add(jobs, dir, rel) : NULL;
				free(rel);
				if (!j)
					return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
				*j = (struct job){ .kind = it->fkind, .arg = it->which,
						   .flag = it->flag, .path = j->path,
						   .relative = j->relative, .raster = SIZE_MAX,
						   .vector = SIZE_MAX };
			}
			if (it->type == SM_SUPP_FIGURE)
				pair_last_three(jobs, it->fkind);
		}
		if (s == SM_OK && with_report && !jobs_add(jobs, dir, "report.pdf"))
			s = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return s;
	}
	for (size_t i = 0; i < plan->n; i++) {
		const struct sm_figure_job *p = &plan->jobs[i];
		for (size_t e = 0; e < 3; e++) {
			char *rel = sm_asprintf("figures/%s.%s", p->base, figure_exts[e]);
			struct job *j = rel ? jobs_add(jobs, dir, rel) : NULL;
			free(rel);
			if (!j)
				return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
			j->kind = p->kind;
			j->arg = p->arg;
		}
		pair_last_three(jobs, p->kind);
	}
	if (with_report && !jobs_add(jobs, dir, "report.pdf"))
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	return SM_OK;
}

struct pool {
	const cJSON *doc;
	const struct sm_res *res;
	const struct sm_rtmpl *tmpl;
	const struct sm_bundle_opts *opts;
	const struct sm_supp *supp; /* a supplement's list, or NULL */
	const char *target;         /* DIR as given, for messages */
	const char *home;
	long long epoch;
	struct job_list *jobs;
	const size_t *order; /* indices into jobs, in the order to draw them */
	size_t norder;       /* the jobs run (a PNG drawn by its SVG job is not) */
	size_t next;
	pthread_mutex_t lock;
};

/* A figure file.  A raster is laid out as for an SVG (one page, the same
 * layout; no kind refuses it for its size before drawing) and drawn at a
 * lower resolution, with a warning, when it is too large for a PNG at the
 * bundle's: a valid review never fails on its size.  `pdf_path`: the
 * figure's PDF, drawn first from the same layout (a one-page kind). */
static sm_status render_fit(struct sm_ctx *ctx, const struct sm_figure_kind *kind,
			    const struct sm_res *res, const void *o, const char *path,
			    const char *png_path, const char *pdf_path,
			    struct sm_canvas_pixels *pixels)
{
	struct sm_figure_env env = { 0 };
	sm_status s = sm_canvas_format_of(ctx, path, &env.format);
	int raster = s == SM_OK && sm_canvas_is_raster(env.format);
	if (s != SM_OK || (!raster && !png_path))
		return s != SM_OK ? s : sm_figure_render(ctx, kind, res, o, path);
	env.format = SM_CANVAS_SVG;
	struct sm_fig *fig = NULL;
	s = kind->layout(ctx, res, o, &env, &fig);
	double dpi = sm_figure_common_of(o)->dpi;
	struct sm_fig_write_opts wo = { .dpi = dpi, .fit = 1, .pixels = pixels };
	if (s == SM_OK && !raster && pdf_path)
		s = sm_fig_write(ctx, fig, pdf_path, dpi);
	if (s == SM_OK && !raster) /* the SVG, then its PNG from the same layout */
		s = sm_fig_write(ctx, fig, path, dpi);
	if (s == SM_OK)
		s = sm_fig_write_with(ctx, fig, raster ? path : png_path, &wo);
	sm_fig_free(fig);
	return s;
}

static sm_status draw_figure(struct sm_ctx *ctx, const struct pool *p, const struct job *job,
			     struct sm_canvas_pixels *pixels)
{
	const struct sm_figure_kind *kind = job->kind;
	void *o = sm_figure_opts_new(ctx, kind);
	if (!o)
		return SM_EINTERNAL;
	struct sm_figure_common *c = o;
	c->style = p->opts->style;
	c->width = p->opts->width;
	if (p->opts->dpi > 0)
		c->dpi = p->opts->dpi;
	sm_status s = SM_OK;
	if (job->arg && kind->positional)
		s = sm_figure_opts_set(ctx, kind, o, sm_figure_opt(kind, kind->positional), job->arg);
	if (s == SM_OK && job->flag)
		s = sm_figure_opts_set(ctx, kind, o, sm_figure_opt(kind, job->flag), NULL);
	const char *png = job->raster != SIZE_MAX ? p->jobs->jobs[job->raster].path : NULL;
	const char *pdf = job->vector != SIZE_MAX ? p->jobs->jobs[job->vector].path : NULL;
	if (s == SM_OK)
		s = render_fit(ctx, kind, p->res, o, job->path, png, pdf, pixels);
	if (s == SM_EINPUT && c->width && sm_ctx_error(ctx)) {
		/* A width the figure cannot take (a PRISMA flow needs 120 mm): the
		 * figure's own width, with a warning, rather than no bundle. */
		char *why = sm_diag_format(sm_ctx_error(ctx));
		sm_ctx_clear_error(ctx);
		c->width = NULL;
		s = render_fit(ctx, kind, p->res, o, job->path, png, pdf, pixels);
		if (s == SM_OK)
			sm_ctx_warn(ctx, "not drawn at --width %s (%s): drawn at its default width",
				    p->opts->width, why ? why : "too narrow");
		free(why);
	}
	sm_figure_opts_free(o);
	return s;
}

static sm_status draw_job(struct sm_ctx *ctx, const struct pool *p, const struct job *job,
			  struct sm_canvas_pixels *pixels)
{
	if (job->kind)
		return draw_figure(ctx, p, job, pixels);
	struct sm_report_opts o;
	sm_report_opts_init(&o);
	o.tmpl = p->tmpl;
	o.style = p->opts->style;
	o.supplement = p->supp != NULL;
	o.supp = p->supp;
	return sm_report_write(ctx, p->doc, p->res, &o, job->path);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* One context per worker, reused for all its figures: the font map it
 * caches (sm_fonts_new_home) is built once per thread, not per figure.
 * What a job leaves in the context (its error record, its warnings) is
 * copied into the job for the caller. */
static void run_job(struct sm_ctx *ctx, struct pool *p, struct job *job,
		    struct sm_canvas_pixels *pixels)
{
	sm_ctx_clear_error(ctx);
	sm_ctx_clear_warnings(ctx);
	job->status = draw_job(ctx, p, job, pixels);
	const struct sm_diag *d = sm_ctx_error(ctx);
	if (job->status != SM_OK && d)
		job->error = (struct sm_diag){ d->code, dup_or_null(d->file), d->line, d->col,
					       dup_or_null(d->field), dup_or_null(d->msg),
					       d->src_file, d->src_line };
	size_t n = sm_ctx_warning_count(ctx);
	job->warnings = n ? calloc(n, sizeof *job->warnings) : NULL;
	for (size_t i = 0; job->warnings && i < n; i++)
		if ((job->warnings[job->nwarnings] = strdup(sm_ctx_warning(ctx, i))))
			job->nwarnings++;
}

/* The checksums of the files a job drew, while the file is still in the
 * page cache and the other worker draws: the manifest then only reads
 * what the workers did not.  A file that cannot be read back is left to
 * the manifest, which reports it. */
static void checksum_job(struct pool *p, struct job *job)
{
	if (job->status != SM_OK)
		return;
	const size_t partners[2] = { job->raster, job->vector };
	if (sm_sha256_file(job->path, job->sha) != 0)
		job->sha[0] = 0;
	for (int k = 0; k < 2; k++) {
		struct job *o = partners[k] != SIZE_MAX ? &p->jobs->jobs[partners[k]] : NULL;
		if (o && sm_sha256_file(o->path, o->sha) != 0)
			o->sha[0] = 0;
	}
}

static void worker(void *arg)
{
	struct pool *p = arg;
	struct sm_ctx *ctx = sm_ctx_new();
	/* the worker's rasters one after another in the same memory (NULL when
	 * it cannot be had: each in its own, as before) */
	struct sm_canvas_pixels *pixels = sm_canvas_pixels_new();
	if (ctx) {
		sm_ctx_set_home(ctx, p->home);
		sm_ctx_set_epoch(ctx, p->epoch);
	}
	for (;;) {
		pthread_mutex_lock(&p->lock);
		size_t i = p->next++;
		pthread_mutex_unlock(&p->lock);
		if (i >= p->norder || (p->opts->cancel && *p->opts->cancel))
			break;
		struct job *job = &p->jobs->jobs[p->order[i]];
		if (ctx) {
			run_job(ctx, p, job, pixels);
			checksum_job(p, job);
		} else {
			job->status = SM_EINTERNAL;
		}
	}
	sm_canvas_pixels_free(pixels);
	sm_ctx_free(ctx);
}

static int worker_count(const struct sm_bundle_opts *opts, size_t jobs)
{
	size_t n = sm_pool_threads(opts->threads);
	if (n > SM_BUNDLE_MAX_WORKERS)
		n = SM_BUNDLE_MAX_WORKERS;
	if (n > jobs)
		n = jobs;
	return (int)n;
}

/* Rough drawing cost of a job, from its kind: a 300-dpi PNG costs about
 * four times its PDF or SVG (mostly compression); the report is the
 * longest job of all. */
static double job_cost(struct sm_ctx *ctx, const struct pool *p, const struct job *j)
{
	if (!j->kind)
		return 1e9;
	void *o = sm_figure_opts_new(ctx, j->kind);
	double cost = 10;
	if (o && (!j->arg || !j->kind->positional ||
		  sm_figure_opts_set(ctx, j->kind, o, sm_figure_opt(j->kind, j->kind->positional),
				     j->arg) == SM_OK) && j->kind->cost)
		cost = j->kind->cost(p->res, o);
	sm_figure_opts_free(o);
	sm_ctx_clear_error(ctx); /* a cost is a guess: the drawing reports any error */
	const char *dot = strrchr(j->path, '.');
	return dot && !strcmp(dot, ".png") ? cost : cost / 4;
}

struct ranked {
	double cost;
	size_t index;
};

static int by_cost_desc(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->cost != y->cost)
		return x->cost > y->cost ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Biggest figures first, so that no long one starts last while the other
 * worker idles (longest-processing-time-first scheduling).  Returns the job
 * indices in drawing order (caller frees), NULL when out of memory. */
static size_t *plan_order(struct sm_ctx *ctx, const struct pool *p, const struct job_list *jobs,
			   size_t *n)
{
	struct ranked *r = sm_alloc_array(jobs->n + 1, sizeof *r);
	size_t *order = sm_alloc_array(jobs->n + 1, sizeof *order);
	*n = 0;
	if (r && order) {
		for (size_t i = 0; i < jobs->n; i++) {
			const struct job *j = &jobs->jobs[i];
			if (j->by_partner)
				continue;
			double cost = job_cost(ctx, p, j);
			if (j->raster != SIZE_MAX)
				cost += job_cost(ctx, p, &jobs->jobs[j->raster]);
			if (j->vector != SIZE_MAX)
				cost += job_cost(ctx, p, &jobs->jobs[j->vector]);
			r[(*n)++] = (struct ranked){ cost, i };
		}
		qsort(r, *n, sizeof *r, by_cost_desc);
		for (size_t i = 0; i < *n; i++)
			order[i] = r[i].index;
	} else {
		free(order);
		order = NULL;
	}
	free(r);
	return order;
}

/* The jobs' warnings in figure order, each text once per figure (its three
 * formats say the same), as "figures/NAME: text". */
static void hand_back_warnings(struct sm_ctx *ctx, const struct job_list *jobs)
{
	for (size_t i = 0; i < jobs->n; i++) {
		const struct job *j = &jobs->jobs[i];
		const char *dot = strrchr(j->relative, '.');
		int stem = dot ? (int)(dot - j->relative) : (int)strlen(j->relative);
		for (size_t w = 0; w < j->nwarnings; w++) {
			int seen = 0;
			for (size_t k = i; k-- > 0 && !seen;) {
				const struct job *o = &jobs->jobs[k];
				if (o->kind != j->kind || strncmp(o->relative, j->relative, (size_t)stem))
					break;
				for (size_t v = 0; v < o->nwarnings && !seen; v++)
					seen = !strcmp(o->warnings[v], j->warnings[w]);
			}
			if (!seen)
				sm_ctx_warn(ctx, "%.*s: %s", j->kind ? stem : (int)strlen(j->relative),
					    j->relative, j->warnings[w]);
		}
	}
}

/* The first failure in figure order, as the worker recorded it: its own
 * FILE:LINE:COL (a template's, a results field's), or the figure's file
 * when the record names none. */
static sm_status hand_back_error(struct sm_ctx *ctx, const struct job_list *jobs,
				 const char *target)
{
	for (size_t i = 0; i < jobs->n; i++) {
		const struct job *j = &jobs->jobs[i];
		if (j->status == SM_OK)
			continue;
		const struct sm_diag *d = &j->error;
		char *path = sm_asprintf("%s/%s", target, j->relative);
		sm_status s;
		if (!d->msg)
			s = SM_FAIL_POS(ctx, j->status, path ? path : j->relative, 0, 0, NULL,
					"cannot draw: %s", sm_strerror(j->status));
		else /* the record's out of memory whatever the step returned,
		      * as the CLI's exit code does (sm_cli_finish) */
			s = sm_fail_at(ctx, d->code == SM_EINTERNAL ? SM_EINTERNAL : j->status,
				       d->src_file, d->src_line,
				       d->file ? d->file : path ? path : j->relative, d->line,
				       d->col, d->field, "%s", d->msg);
		free(path);
		return s;
	}
	return SM_OK;
}

static int cancelled(const struct sm_bundle_opts *opts)
{
	return opts->cancel && *opts->cancel;
}

static sm_status interrupted(struct sm_ctx *ctx, const char *target)
{
	return SM_FAIL_POS(ctx, SM_EOUTPUT, target, 0, 0, NULL,
			   "interrupted; the previous bundle is left as it was");
}

static sm_status draw_all(struct sm_ctx *ctx, struct pool *p)
{
	size_t *order = plan_order(ctx, p, p->jobs, &p->norder);
	if (!order)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	p->order = order;
	pthread_mutex_init(&p->lock, NULL);
	int n = worker_count(p->opts, p->norder);
	/* workers 1..n-1 on threads of their own (one that cannot be started
	 * works through the queue at once, sm_pool_start); the calling thread
	 * is worker 0 */
	struct sm_pool_task others[SM_BUNDLE_MAX_WORKERS];
	for (int i = 1; i < n; i++)
		sm_pool_start(&others[i], (size_t)n, worker, p);
	worker(p);
	for (int i = 1; i < n; i++)
		sm_pool_join(&others[i]);
	pthread_mutex_destroy(&p->lock);
	free(order);
	if (cancelled(p->opts))
		return interrupted(ctx, p->target);
	hand_back_warnings(ctx, p->jobs);
	return hand_back_error(ctx, p->jobs, p->target);
}

int sm_sha256_file(const char *path, char out[65])
{
	char *data = NULL;
	size_t len = 0;
	if (sm_read_file(path, 0, &data, &len) != 0)
		return -1;
	gchar *hex = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data, len);
	free(data);
	if (!hex)
		return -1;
	snprintf(out, 65, "%s", hex);
	g_free(hex);
	return 0;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* `taken`: relative name -> index into `jobs` of the files whose checksum
 * a worker took (NULL: none). */
static sm_status write_manifest(struct sm_ctx *ctx, const char *dir, char **files, size_t n,
			      const char *style, const struct sm_strmap *taken,
			      const struct job_list *jobs)
{
	qsort(files, n, sizeof *files, compare_strings);
	struct sm_buf b;
	sm_buf_init(&b);
	sm_status fs = sm_style_font_record(ctx, style, &b);
	if (fs != SM_OK) {
		sm_buf_release(&b);
		return fs;
	}
	for (size_t i = 0; i < n; i++) {
		size_t at;
		if (taken && sm_strmap_get(taken, files[i], &at)) {
			sm_buf_printf(&b, "%s  %s\n", jobs->jobs[at].sha, files[i]);
			continue;
		}
		char *path = sm_asprintf("%s/%s", dir, files[i]);
		char hex[65];
		int rc = path ? sm_sha256_file(path, hex) : -1;
		free(path);
		if (rc != 0) {
			sm_buf_release(&b);
			return SM_FAIL_POS(ctx, SM_EOUTPUT, files[i], 0, 0, NULL,
					   "cannot read back a bundle file for its checksum");
		}
		sm_buf_printf(&b, "%s  %s\n", hex, files[i]);
	}
	char *path = sm_asprintf("%s/MANIFEST.sha256", dir);
	sm_status st = b.failed || !path ? SM_FAIL(ctx, SM_EINTERNAL, "out of memory")
					 : sm_atomic_write(ctx, path, b.data ? b.data : "", b.len);
	free(path);
	sm_buf_release(&b);
	return st;
}

/* The tables to export and their file names: every table of the results
 * by its own name, or a supplement's tables by their numbers.  Arrays of
 * *n (names borrowed, bases owned); NULL when out of memory. */
static const char **tables_to_write(const struct sm_res *res, const struct sm_supp *supp,
				    char ***bases, size_t *n)
{
	const char **names = supp ? sm_alloc_array(supp->n + 1, sizeof *names)
				  : sm_table_names_in(res, n);
	*bases = names ? sm_alloc_array((supp ? supp->n : *n) + 1, sizeof **bases) : NULL;
	if (!*bases) {
		free(names);
		return NULL;
	}
	if (supp) {
		*n = 0;
		for (size_t i = 0; i < supp->n; i++)
			if (supp->v[i].type == SM_SUPP_TABLE) {
				names[*n] = supp->v[i].which;
				(*bases)[(*n)++] = strdup(supp->v[i].base);
			}
	} else {
		for (size_t i = 0; i < *n; i++)
			(*bases)[i] = sm_safe_filename(names[i], 60);
	}
	for (size_t i = 0; i < *n; i++)
		if (!(*bases)[i]) {
			for (size_t k = 0; k < *n; k++)
				free((*bases)[k]);
			free(*bases);
			free(names);
			return NULL;
		}
	return names;
}

struct bundle {
	char *text;
	struct sm_res *res;
	struct sm_rtmpl *tmpl;
	struct sm_figure_plan plan;
	struct job_list jobs;
	const char **tnames; /* the tables to export (borrowed) */
	char **tbases;       /* their file names without folder and extension */
	size_t ntab;
	char **tables;       /* the table files written, relative */
	size_t ntables;
	struct sm_supp supp; /* a supplement's items (opts->supplement) */
};

static void bundle_release(struct bundle *b)
{
	free(b->text);
	sm_res_free(b->res);
	sm_rtmpl_free(b->tmpl);
	sm_figure_plan_release(&b->plan);
	jobs_release(&b->jobs);
	for (size_t i = 0; i < b->ntab; i++)
		free(b->tbases[i]);
	free(b->tbases);
	free(b->tnames);
	for (size_t i = 0; i < b->ntables; i++)
		free(b->tables[i]);
	free(b->tables);
	sm_supp_release(&b->supp);
}

/* Every table of the results (or of the supplement) as CSV, XLSX,
 * Markdown and DOCX under tables/; the relative names go to b->tables. */
static sm_status write_tables(struct sm_ctx *ctx, const char *dir, struct bundle *b,
			      const struct sm_bundle_opts *opts)
{
	size_t n = b->ntab;
	char *tdir = n ? sm_asprintf("%s/tables", dir) : NULL;
	sm_status st = !n ? SM_OK : tdir ? sm_mkdir_p(ctx, tdir)
					 : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	free(tdir);
	char **out = sm_alloc_array(N_TABLE_EXTS * n + 1, sizeof *out);
	if (st == SM_OK && !out)
		st = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	size_t count = 0;
	for (size_t i = 0; st == SM_OK && i < n; i++) {
		if (cancelled(opts)) {
			st = interrupted(ctx, dir);
			break;
		}
		struct sm_table *t = sm_table_from_res(ctx, b->res, b->tnames[i]);
		if (!t) {
			st = sm_ctx_status(ctx, SM_EINTERNAL);
			break;
		}
		for (size_t e = 0; st == SM_OK && e < N_TABLE_EXTS; e++) {
			char *rel = sm_asprintf("tables/%s.%s", b->tbases[i], table_exts[e]);
			char *path = rel ? sm_asprintf("%s/%s", dir, rel) : NULL;
			st = rel && path ? sm_export_write(ctx, t, path)
					 : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
			free(path);
			if (st == SM_OK)
				out[count++] = rel;
			else
				free(rel);
		}
		sm_table_free(t);
	}
	b->tables = out;
	b->ntables = count;
	return st;
}

/* results.json: the text every figure of the bundle is drawn from. */
static sm_status write_results(struct sm_ctx *ctx, const char *dir, const char *text)
{
	char *path = sm_asprintf("%s/results.json", dir);
	sm_status st = path ? sm_atomic_write(ctx, path, text, strlen(text))
			    : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	free(path);
	return st;
}

/* The document as the renderers will read it: printed, then read back by
 * the typed reader.  A refusal here is the writer's fault, not the user's. */
static struct sm_res *read_back(struct sm_ctx *ctx, const char *text)
{
	struct sm_res *res = sm_res_parse(ctx, "results.json", text, strlen(text));
	if (!res && sm_ctx_error(ctx)) {
		char *m = sm_diag_format(sm_ctx_error(ctx));
		sm_ctx_clear_error(ctx);
		SM_FAIL(ctx, SM_EINTERNAL, "the results do not read back (%s); this is a bug",
			m ? m : "?");
		free(m);
	}
	return res;
}

/* ---- checks before anything is written ---- */

/* Column (from 1) of `arg` on line `line` of the template file, after its
 * first `skip` words (the directive, a figure's kind); 1 when it cannot be
 * found. */
static int arg_column(const char *path, long line, int skip, const char *arg)
{
	char *text = NULL;
	size_t len = 0;
	if (!path || sm_read_file(path, 0, &text, &len) != 0)
		return 1;
	const char *p = text;
	for (long l = 1; l < line && p; l++) {
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	int col = 1;
	if (p) {
		const char *end = strchr(p, '\n');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		const char *after = p;
		for (int w = 0; w < skip && after; w++) {
			while ((size_t)(after - p) < n && (*after == ' ' || *after == '\t'))
				after++;
			while ((size_t)(after - p) < n && *after != ' ' && *after != '\t')
				after++;
		}
		const char *hit = strstr(after, arg);
		if (hit && (size_t)(hit - p) < n)
			col = (int)(hit - p) + 1;
	}
	free(text);
	return col;
}

/* The names an analysis argument may take, for a message. */
static char *analysis_names(const struct sm_res *res)
{
	struct sm_buf b;
	sm_buf_init(&b);
	sm_buf_puts(&b, "the name of an analysis (");
	for (size_t i = 0; i < res->analyses.n && i < 12; i++)
		if (res->analyses.v[i].name)
			sm_buf_printf(&b, "%s\"%s\"", i ? ", " : "", res->analyses.v[i].name);
	if (res->analyses.n > 12)
		sm_buf_printf(&b, " and %zu more", res->analyses.n - 12);
	sm_buf_puts(&b, "), summary or all");
	return sm_buf_take(&b);
}

/* A literal figure argument of the template is one the kind takes and,
 * for an analysis, names one: a misspelt name is the template's error, at
 * its line and column, found before anything is drawn. */
static sm_status check_figure_node(struct sm_ctx *ctx, const struct sm_rtmpl *t,
				   const struct sm_rnode *n, const struct sm_res *res)
{
	if (!n->name || !n->arg || strstr(n->arg, "{{"))
		return SM_OK;
	int rob = !strcmp(n->name, "forest+rob");
	const struct sm_figure_kind *kind = sm_figure_kind_named(rob ? "forest" : n->name);
	if (!kind || !kind->positional)
		return SM_OK;
	void *o = sm_figure_opts_new(ctx, kind);
	if (!o)
		return SM_EINTERNAL;
	sm_status s = sm_figure_opts_set(ctx, kind, o, sm_figure_opt(kind, kind->positional),
					 n->arg);
	sm_figure_opts_free(o);
	char *why = NULL;
	if (s != SM_OK) {
		why = sm_ctx_error(ctx) && sm_ctx_error(ctx)->msg ? strdup(sm_ctx_error(ctx)->msg)
								   : NULL;
		sm_ctx_clear_error(ctx);
	} else if (!strcmp(kind->positional, "analysis") && strcmp(n->arg, "summary") &&
		   strcmp(n->arg, "all")) {
		int found = 0;
		for (size_t i = 0; i < res->analyses.n && !found; i++)
			found = res->analyses.v[i].name && !strcmp(res->analyses.v[i].name, n->arg);
		if (found)
			return SM_OK;
		char *names = analysis_names(res);
		why = sm_asprintf("no analysis named \"%s\" in the results; expected %s", n->arg,
				  names ? names : "the name of an analysis");
		free(names);
		s = SM_EINPUT;
	}
	if (s == SM_OK)
		return SM_OK;
	s = SM_FAIL_POS(ctx, s, t->path, (int)n->line, arg_column(t->path, n->line, 2, n->arg),
			NULL, "@figure %s: %s", n->name, why ? why : "bad argument");
	free(why);
	return s;
}

/* A literal @table name is one the results can give (the same lookup as
 * the report's, sm_table_from_res). */
static sm_status check_table_node(struct sm_ctx *ctx, const struct sm_rtmpl *t,
				  const struct sm_rnode *n, const struct sm_res *res)
{
	if (!n->name || strstr(n->name, "{{"))
		return SM_OK;
	struct sm_table *table = sm_table_from_res(ctx, res, n->name);
	if (table) {
		sm_table_free(table);
		return SM_OK;
	}
	const struct sm_diag *d = sm_ctx_error(ctx);
	if (!d || d->code != SM_EINPUT || !d->msg)
		return d ? d->code : SM_EINTERNAL;
	char *why = strdup(d->msg);
	sm_ctx_clear_error(ctx);
	sm_status s = SM_FAIL_POS(ctx, SM_EINPUT, t->path, (int)n->line,
				  arg_column(t->path, n->line, 1, n->name), NULL, "@table: %s",
				  why ? why : "no such table");
	free(why);
	return s;
}

/* The figures and tables the template always shows (not those under an
 * @if, which may guard exactly what these results lack). */
static sm_status check_nodes(struct sm_ctx *ctx, const struct sm_rtmpl *t,
			     const struct sm_rnode *nodes, size_t n, const struct sm_res *res,
			     int depth)
{
	if (depth > 64) /* the parser nests far less; a guard, not a limit */
		return SM_OK;
	for (size_t i = 0; i < n; i++) {
		const struct sm_rnode *node = &nodes[i];
		sm_status s = node->kind == SM_RN_FIGURE ? check_figure_node(ctx, t, node, res)
			      : node->kind == SM_RN_TABLE ? check_table_node(ctx, t, node, res)
			      : node->kind == SM_RN_EACH && node->nbody
				      ? check_nodes(ctx, t, node->body, node->nbody, res, depth + 1)
				      : SM_OK;
		if (s != SM_OK)
			return s;
	}
	return SM_OK;
}

/* A short description of a job's source, for a message. */
static char *job_source(const struct job *j)
{
	if (!j->kind)
		return strdup("the report");
	if (j->arg && (!strcmp(j->arg, "summary") || !strcmp(j->arg, "all")))
		return sm_asprintf("the %s figure of every analysis (%s)", j->kind->name, j->arg);
	return j->arg ? sm_asprintf("the %s figure of \"%s\"", j->kind->name, j->arg)
		      : sm_asprintf("the %s figure", j->kind->name);
}

/* Counts the review's own tables with id `id`. */
static size_t review_tables_named(const struct sm_res *res, const char *id)
{
	size_t k = 0;
	for (size_t i = 0; i < res->review.tables.n; i++)
		k += res->review.tables.v[i].id && !strcmp(res->review.tables.v[i].id, id);
	return k;
}

static sm_status table_clash(struct sm_ctx *ctx, const struct sm_res *res, const char *file,
			     const char *a, const char *b, const char *base_a, const char *base)
{
	if (!strcmp(a, b) && review_tables_named(res, a) < 2)
		return SM_FAIL_POS(ctx, SM_EINPUT, file, 0, 0, NULL,
				   "the review's table \"%s\" has the name of a table the bundle "
				   "makes (tables/%s.*); expected another id", a, base);
	if (!strcmp(a, b))
		return SM_FAIL_POS(ctx, SM_EINPUT, file, 0, 0, NULL,
				   "two tables of the review have the id \"%s\"; expected each id "
				   "once", a);
	if (strcmp(base_a, base))
		return SM_FAIL_POS(ctx, SM_EINPUT, file, 0, 0, NULL,
				   "tables \"%s\" and \"%s\" would be written to tables/%s.* and "
				   "tables/%s.*, one file on a case-insensitive file system (macOS, "
				   "Windows); expected ids that differ in more than case",
				   a, b, base_a, base);
	return SM_FAIL_POS(ctx, SM_EINPUT, file, 0, 0, NULL,
			   "tables \"%s\" and \"%s\" would both be written to tables/%s.*; "
			   "expected ids that differ in letters, digits, '-', '_' or '.'", a, b,
			   base);
}

/* A set of file names compared as a case-insensitive file system (macOS,
 * Windows) compares them: "Renal.csv" and "renal.csv" are one file there,
 * so a bundle copied to such a disk would lose one. */
struct folded {
	struct sm_strmap *map;
	char **keys; /* owned, the map borrows them */
	size_t n, cap;
};

static void folded_release(struct folded *f)
{
	sm_strmap_free(f->map);
	for (size_t i = 0; i < f->n; i++)
		free(f->keys[i]);
	free(f->keys);
	memset(f, 0, sizeof *f);
}

/* As sm_strmap_put, on the folded name. */
static int folded_put(struct folded *f, const char *name, size_t value, size_t *old)
{
	if (!f->map && !(f->map = sm_strmap_new()))
		return -1;
	if (f->n == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 16;
		char **keys = sm_alloc_array(cap, sizeof *keys);
		if (!keys)
			return -1;
		if (f->n)
			memcpy(keys, f->keys, f->n * sizeof *keys);
		free(f->keys);
		f->keys = keys;
		f->cap = cap;
	}
	char *key = sm_filename_fold(name);
	int r = key ? sm_strmap_put(f->map, key, value, old) : -1;
	if (r == 1)
		f->keys[f->n++] = key;
	else
		free(key);
	return r;
}

static sm_status job_clash(struct sm_ctx *ctx, const char *file, const struct bundle *b,
			   size_t k, size_t i, const char *other_path)
{
	const struct job *j = &b->jobs.jobs[i];
	char *x = k == SIZE_MAX ? strdup("a file of the bundle") : job_source(&b->jobs.jobs[k]);
	char *y = job_source(j);
	sm_status s;
	if (strcmp(j->relative, other_path))
		s = SM_FAIL_POS(ctx, SM_EINPUT, file, 0, 0, NULL,
				"%s and %s would be written to %s and %s, one file on a "
				"case-insensitive file system (macOS, Windows); expected analysis "
				"names that differ in more than case",
				x ? x : "?", y ? y : "?", other_path, j->relative);
	else
		s = SM_FAIL_POS(ctx, SM_EINPUT, file, 0, 0, NULL,
				"%s and %s would both be written to %s; expected analysis names "
				"that differ in letters, digits, '-', '_' or '.'",
				x ? x : "?", y ? y : "?", j->relative);
	free(x);
	free(y);
	return s;
}

/* No two tables for one file name, compared folded. */
static sm_status check_table_paths(struct sm_ctx *ctx, const struct bundle *b, const char *file)
{
	struct folded seen = { 0 };
	sm_status s = SM_OK;
	for (size_t i = 0; i < b->ntab && s == SM_OK; i++) {
		size_t k;
		int r = folded_put(&seen, b->tbases[i], i, &k);
		if (r < 0)
			s = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		else if (r == 0)
			s = table_clash(ctx, b->res, file, b->tnames[k], b->tnames[i],
					b->tbases[k], b->tbases[i]);
	}
	folded_release(&seen);
	return s;
}

/* No two jobs for one path: the reserved analysis names, the tables'
 * file names, and every file of the bundle once, also where two paths
 * differ in case only.  SM_EINPUT names both sources, at the review (as
 * the results record it). */
static sm_status check_paths(struct sm_ctx *ctx, const struct bundle *b, const char *source)
{
	const struct sm_res *res = b->res;
	const char *file = source ? source : res->input ? res->input : "results.json";
	/* one analysis has no summary forest and no funnel page */
	for (size_t i = 0; res->analyses.n > 1 && i < res->analyses.n; i++) {
		const char *name = res->analyses.v[i].name;
		if (name && (!strcmp(name, "summary") || !strcmp(name, "all")))
			return SM_FAIL_POS(ctx, SM_EINPUT, file, 0, 0, NULL,
					   "analysis \"%s\": the name is reserved (the summary "
					   "forest, every funnel: figures forest-summary and "
					   "funnel-all); expected another name", name);
	}
	sm_status s = check_table_paths(ctx, b, file);
	if (s != SM_OK)
		return s;
	static const char *const fixed[] = { "results.json", "index.txt", "MANIFEST.sha256",
					     "supplement.zip" };
	const size_t nfixed = sizeof fixed / sizeof fixed[0];
	struct folded seen = { 0 };
	for (size_t i = 0; i < nfixed && s == SM_OK; i++)
		if (folded_put(&seen, fixed[i], SIZE_MAX - nfixed + i, NULL) < 0)
			s = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	for (size_t i = 0; i < b->jobs.n && s == SM_OK; i++) {
		size_t k;
		int r = folded_put(&seen, b->jobs.jobs[i].relative, i, &k);
		if (r < 0)
			s = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		else if (r == 0)
			s = job_clash(ctx, file, b, k >= SIZE_MAX - nfixed ? SIZE_MAX : k, i,
				      k >= SIZE_MAX - nfixed ? fixed[k - (SIZE_MAX - nfixed)]
							     : b->jobs.jobs[k].relative);
	}
	folded_release(&seen);
	return s;
}

/* Everything that can be refused before a file is written: the document
 * reads back, the template parses and its figures name what the results
 * hold, the figures are planned, no two files share a path. */
static sm_status prepare(struct sm_ctx *ctx, const cJSON *results,
			 const struct sm_bundle_opts *opts, struct bundle *b)
{
	if (!(b->text = sm_json_print(results)))
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	if (!(b->res = read_back(ctx, b->text)))
		return sm_ctx_status(ctx, SM_EINTERNAL);
	if (opts->figures && opts->report &&
	    !(b->tmpl = sm_rtmpl_load(ctx, opts->report_template)))
		return SM_EINPUT;
	if (b->tmpl) {
		sm_status s = check_nodes(ctx, b->tmpl, b->tmpl->nodes, b->tmpl->nnodes, b->res, 0);
		if (s != SM_OK)
			return s;
	}
	if (opts->supplement && b->tmpl) {
		/* the report's own figures and tables, in its order and numbers */
		struct sm_report_opts o;
		sm_report_opts_init(&o);
		o.tmpl = b->tmpl;
		o.style = opts->style;
		sm_status s = sm_report_items(ctx, results, b->res, &o, &b->supp);
		if (s != SM_OK)
			return s;
	}
	sm_status s = plan_jobs(ctx, b->res, NULL, opts->figures, opts->figures && opts->report,
				&b->plan, opts->supplement ? &b->supp : NULL, &b->jobs);
	if (s != SM_OK)
		return s;
	b->tnames = tables_to_write(b->res, opts->supplement ? &b->supp : NULL, &b->tbases,
				    &b->ntab);
	if (!b->tnames)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	return check_paths(ctx, b, opts->source);
}

/* A supplement's index.txt, from the same list as the report's captions,
 * its index page and the file names. */
static sm_status write_index(struct sm_ctx *ctx, const char *dir, const struct bundle *b)
{
	char *text = sm_supp_index_text(&b->supp, b->res);
	char *path = sm_asprintf("%s/index.txt", dir);
	sm_status st = text && path ? sm_atomic_write(ctx, path, text, strlen(text))
				    : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	free(path);
	free(text);
	return st;
}

/* Every file of the bundle but the manifest (borrowed names), with room
 * for two more; NULL when out of memory. */
static const char **bundle_files(const struct bundle *b, int with_index, size_t *n)
{
	*n = 1 + b->jobs.n + b->ntables + (size_t)with_index;
	const char **files = sm_alloc_array(*n + 2, sizeof *files);
	if (!files)
		return NULL;
	files[0] = "results.json";
	for (size_t i = 0; i < b->jobs.n; i++)
		files[i + 1] = b->jobs.jobs[i].relative;
	for (size_t i = 0; i < b->ntables; i++)
		files[1 + b->jobs.n + i] = b->tables[i];
	if (with_index)
		files[*n - 1] = "index.txt";
	return files;
}

static sm_status manifest(struct sm_ctx *ctx, const char *dir, const struct bundle *b,
			  int with_index, const char *style)
{
	size_t n;
	const char **files = bundle_files(b, with_index, &n);
	if (!files)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	/* without the map (out of memory) every file is read here */
	struct sm_strmap *taken = sm_strmap_new();
	for (size_t i = 0; taken && i < b->jobs.n; i++)
		if (b->jobs.jobs[i].sha[0] &&
		    sm_strmap_put(taken, b->jobs.jobs[i].relative, i, NULL) < 0) {
			sm_strmap_free(taken);
			taken = NULL;
		}
	sm_status st = write_manifest(ctx, dir, (char **)files, n, style, taken, &b->jobs);
	sm_strmap_free(taken);
	free(files);
	return st;
}

/* The finished bundle, manifest included, as DIR/supplement.zip. */
static sm_status zip_bundle(struct sm_ctx *ctx, const char *dir, const struct bundle *b)
{
	size_t n;
	const char **files = bundle_files(b, 1, &n);
	if (!files)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	files[n++] = "MANIFEST.sha256";
	char *path = sm_asprintf("%s/supplement.zip", dir);
	sm_status st = path ? sm_zip_write(ctx, dir, files, n, path, sm_ctx_epoch(ctx))
			    : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	free(path);
	free(files);
	return st;
}

/* The bundle's files written into the temporary folder tmp. */
static sm_status write_into(struct sm_ctx *ctx, const cJSON *results, const char *tmp,
			    const char *target, const struct sm_bundle_opts *opts,
			    struct bundle *b)
{
	for (size_t i = 0; i < b->jobs.n; i++)
		if (!(b->jobs.jobs[i].path = sm_asprintf("%s/%s", tmp, b->jobs.jobs[i].relative)))
			return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	sm_status st = write_results(ctx, tmp, b->text);
	if (st == SM_OK)
		st = write_tables(ctx, tmp, b, opts);
	if (st == SM_OK && b->jobs.n > 0) {
		char *figdir = sm_asprintf("%s/figures", tmp);
		st = figdir ? sm_mkdir_p(ctx, figdir) : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		free(figdir);
		struct pool p = { .doc = results, .res = b->res, .tmpl = b->tmpl, .opts = opts,
				  .supp = opts->supplement ? &b->supp : NULL, .target = target,
				  .home = sm_ctx_home(ctx), .epoch = sm_ctx_epoch(ctx),
				  .jobs = &b->jobs };
		if (st == SM_OK)
			st = draw_all(ctx, &p);
	}
	if (st == SM_OK && opts->supplement)
		st = write_index(ctx, tmp, b);
	if (st == SM_OK)
		st = manifest(ctx, tmp, b, opts->supplement, opts->style);
	/* the zip, once the bundle is complete */
	if (st == SM_OK && opts->supplement && opts->zip)
		st = zip_bundle(ctx, tmp, b);
	if (st == SM_OK && cancelled(opts))
		st = interrupted(ctx, target);
	return st;
}

/* An error naming a file in the temporary folder names it in DIR. */
static void retarget_error(struct sm_ctx *ctx, const char *tmp, const char *target)
{
	const struct sm_diag *d = sm_ctx_error(ctx);
	size_t n = strlen(tmp);
	if (!d || !d->file || strncmp(d->file, tmp, n) || (d->file[n] && d->file[n] != '/'))
		return;
	struct sm_diag c = { d->code, sm_asprintf("%s%s", target, d->file + n), d->line, d->col,
			     dup_or_null(d->field), dup_or_null(d->msg), d->src_file,
			     d->src_line };
	if (!c.file || !c.msg) {
		diag_release(&c);
		return;
	}
	sm_ctx_clear_error(ctx);
	sm_fail_at(ctx, c.code, c.src_file, c.src_line, c.file, c.line, c.col, c.field, "%s",
		   c.msg);
	diag_release(&c);
}

sm_status sm_bundle_write(struct sm_ctx *ctx, const cJSON *results, const char *dir,
			  const struct sm_bundle_opts *opts)
{
	struct bundle b = { 0 };
	sm_status st = prepare(ctx, results, opts, &b);
	struct sm_bundle_dir *bd = st == SM_OK ? sm_bundle_dir_open(ctx, dir) : NULL;
	if (st == SM_OK && !bd)
		st = sm_ctx_status(ctx, SM_EOUTPUT);
	if (st == SM_OK) {
		st = write_into(ctx, results, sm_bundle_dir_tmp(bd), dir, opts, &b);
		retarget_error(ctx, sm_bundle_dir_tmp(bd), dir);
	}
	if (st == SM_OK) {
		size_t n;
		const char **files = bundle_files(&b, opts->supplement, &n);
		if (files) {
			files[n++] = "MANIFEST.sha256";
			if (opts->supplement && opts->zip)
				files[n++] = "supplement.zip";
		}
		st = files ? sm_bundle_dir_commit(ctx, bd, files, n)
			   : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		free(files);
	}
	sm_bundle_dir_close(bd);
	bundle_release(&b);
	return st;
}
