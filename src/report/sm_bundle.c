#include "sm_bundle.h"

#include "sm_atomic.h"
#include "sm_buf.h"
#include "sm_export.h"
#include "sm_table.h"
#include "sm_forest.h"
#include "sm_funnel.h"
#include "sm_report.h"
#include "sm_prisma.h"
#include "sm_rob.h"

#include <glib.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void sm_bundle_opts_init(struct sm_bundle_opts *opts)
{
	memset(opts, 0, sizeof *opts);
	opts->figures = 1;
	opts->report = 1;
}

enum figure_kind { FIG_FOREST, FIG_FUNNEL, FIG_PRISMA, FIG_ROB, FIG_REPORT };

/* One figure file to draw. */
struct figure_job {
	enum figure_kind kind;
	char *path;          /* DIR/figures/NAME.EXT (DIR/report.pdf) */
	char *relative;      /* figures/NAME.EXT (report.pdf), for the manifest */
	const char *analysis; /* analysis name, "summary" or "all"; NULL otherwise */
	sm_status status;
	char *error;         /* formatted diagnostic when status != SM_OK */
};

struct job_list {
	struct figure_job *jobs;
	size_t n, cap;
};

static int jobs_add(struct job_list *l, enum figure_kind kind, const char *dir,
		    const char *name, const char *ext, const char *analysis)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 32;
		struct figure_job *j = sm_realloc_array(l->jobs, cap, sizeof *j);
		if (!j)
			return -1;
		l->jobs = j;
		l->cap = cap;
	}
	struct figure_job *j = &l->jobs[l->n];
	memset(j, 0, sizeof *j);
	j->kind = kind;
	j->relative = kind == FIG_REPORT ? strdup("report.pdf")
					 : sm_asprintf("figures/%s.%s", name, ext);
	j->path = sm_asprintf("%s/%s", dir, j->relative);
	j->analysis = analysis;
	if (!j->relative || !j->path)
		return -1;
	l->n++;
	return 0;
}

static void jobs_release(struct job_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->jobs[i].path);
		free(l->jobs[i].relative);
		free(l->jobs[i].error);
	}
	free(l->jobs);
}

/* Safe, unique base names: two domains may map to the same safe name. */
static char *unique_name(const char *prefix, const char *name, char **used, size_t n_used)
{
	char *safe = sm_safe_filename(name, 60);
	char *base = sm_asprintf("%s-%s", prefix, safe); /* "-name" when prefix is "" */
	free(safe);
	for (int suffix = 2; base; suffix++) {
		int clash = 0;
		for (size_t i = 0; i < n_used && !clash; i++)
			clash = !strcmp(used[i], base);
		if (!clash)
			return base;
		char *stem = sm_asprintf("%s-%d", base, suffix);
		free(base);
		base = stem;
	}
	return NULL;
}

static const char *const figure_exts[] = { "pdf", "svg", "png" };

static int add_three(struct job_list *jobs, enum figure_kind kind, const char *dir,
		     const char *base, const char *analysis)
{
	for (size_t e = 0; e < 3; e++)
		if (jobs_add(jobs, kind, dir, base, figure_exts[e], analysis) != 0)
			return -1;
	return 0;
}

/* Every figure of the review: per analysis a forest and a funnel plot;
 * across analyses the summary forest and the funnel small multiples;
 * the PRISMA flow and the risk-of-bias figure when the review has them. */
static sm_status plan_figures(struct sm_ctx *ctx, const cJSON *results, const char *dir,
			      int with_report, struct job_list *jobs)
{
	const cJSON *analyses = cJSON_GetObjectItemCaseSensitive(results, "analyses");
	const cJSON *review = cJSON_GetObjectItemCaseSensitive(results, "review");
	size_t n = (size_t)cJSON_GetArraySize(analyses);
	char **used = sm_alloc_array(n + 1, sizeof *used);
	if (!used)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	size_t n_used = 0;
	int failed = 0;
	const cJSON *a;
	cJSON_ArrayForEach(a, analyses) {
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(a, "name");
		if (!cJSON_IsString(name))
			continue;
		char *base = unique_name("", name->valuestring, used, n_used);
		if (!base) {
			failed = 1;
			break;
		}
		used[n_used++] = base;
		char *forest = sm_asprintf("forest%s", base);
		char *funnel = sm_asprintf("funnel%s", base);
		failed = !forest || !funnel ||
			 add_three(jobs, FIG_FOREST, dir, forest, name->valuestring) != 0 ||
			 add_three(jobs, FIG_FUNNEL, dir, funnel, name->valuestring) != 0;
		free(forest);
		free(funnel);
		if (failed)
			break;
	}
	if (!failed && n > 1)
		failed = add_three(jobs, FIG_FOREST, dir, "forest-summary", "summary") != 0 ||
			 add_three(jobs, FIG_FUNNEL, dir, "funnel-all", "all") != 0;
	if (!failed && cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(review, "prisma")))
		failed = add_three(jobs, FIG_PRISMA, dir, "prisma", NULL) != 0;
	if (!failed && cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(review, "risk_of_bias")))
		failed = add_three(jobs, FIG_ROB, dir, "risk-of-bias", NULL) != 0;
	/* the report is one more job: it lays its figures out again, so it
	 * runs beside the figure files instead of after them */
	if (!failed && with_report)
		failed = jobs_add(jobs, FIG_REPORT, dir, "report", "pdf", NULL) != 0;
	for (size_t i = 0; i < n_used; i++)
		free(used[i]);
	free(used);
	return failed ? SM_FAIL(ctx, SM_EINTERNAL, "out of memory") : SM_OK;
}

struct pool {
	const cJSON *results;
	const struct sm_bundle_opts *opts;
	const char *home;
	long long epoch;
	struct job_list *jobs;
	const size_t *order; /* indices into jobs, in the order to draw them */
	size_t next;
	pthread_mutex_t lock;
};

static sm_status render_job(struct sm_ctx *ctx, const struct pool *p,
			    const struct figure_job *job)
{
	double dpi = p->opts->dpi;
	const char *style = p->opts->style;
	switch (job->kind) {
	case FIG_FOREST: {
		struct sm_forest_opts o;
		sm_forest_opts_init(&o);
		o.analysis = job->analysis;
		o.style = style;
		if (dpi > 0)
			o.dpi = dpi;
		return sm_forest_render(ctx, p->results, &o, job->path);
	}
	case FIG_FUNNEL: {
		struct sm_funnel_opts o;
		sm_funnel_opts_init(&o);
		o.analysis = job->analysis;
		o.style = style;
		if (dpi > 0)
			o.dpi = dpi;
		return sm_funnel_render(ctx, p->results, &o, job->path);
	}
	case FIG_PRISMA: {
		struct sm_prisma_opts o;
		sm_prisma_opts_init(&o);
		o.style = style;
		if (dpi > 0)
			o.dpi = dpi;
		return sm_prisma_render(ctx, p->results, &o, job->path);
	}
	case FIG_REPORT: {
		struct sm_report_opts o;
		sm_report_opts_init(&o);
		o.template_name = p->opts->report_template;
		o.style = style;
		return sm_report_write(ctx, p->results, &o, job->path);
	}
	case FIG_ROB: {
		struct sm_rob_opts o;
		sm_rob_opts_init(&o);
		o.style = style;
		if (dpi > 0)
			o.dpi = dpi;
		return sm_rob_render(ctx, p->results, &o, job->path);
	}
	}
	return SM_FAIL(ctx, SM_EINTERNAL, "unknown figure kind");
}

/* One context per worker, reused for all its figures: the font map it
 * caches (sm_fonts_new_home) is built once per thread, not per figure. */
static void run_job(struct sm_ctx *ctx, struct pool *p, struct figure_job *job)
{
	sm_ctx_clear_error(ctx);
	sm_ctx_clear_warnings(ctx);
	job->status = render_job(ctx, p, job);
	if (job->status != SM_OK && sm_ctx_error(ctx))
		job->error = sm_diag_format(sm_ctx_error(ctx));
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	struct sm_ctx *ctx = sm_ctx_new();
	if (ctx) {
		sm_ctx_set_home(ctx, p->home);
		sm_ctx_set_epoch(ctx, p->epoch);
	}
	for (;;) {
		pthread_mutex_lock(&p->lock);
		size_t i = p->next++;
		pthread_mutex_unlock(&p->lock);
		if (i >= p->jobs->n)
			break;
		struct figure_job *job = &p->jobs->jobs[p->order[i]];
		if (ctx)
			run_job(ctx, p, job);
		else
			job->status = SM_EINTERNAL;
	}
	sm_ctx_free(ctx);
	return NULL;
}

static int worker_count(const struct sm_bundle_opts *opts, size_t jobs)
{
	long n = opts->threads > 0 ? opts->threads : sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	if (n > 8)
		n = 8;
	if ((size_t)n > jobs)
		n = (long)jobs;
	return (int)n;
}

/* Rough drawing cost of a figure (ms of CPU on the MSC review): a 300-dpi
 * PNG costs about four times its PDF or SVG, mostly compression; a forest
 * plot grows with its rows. */
static double job_cost(const cJSON *results, const struct figure_job *j)
{
	const cJSON *analyses = cJSON_GetObjectItemCaseSensitive(results, "analyses");
	double rows = cJSON_GetArraySize(analyses); /* summary and "all" plots */
	const cJSON *a;
	cJSON_ArrayForEach(a, analyses) {
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(a, "name");
		const cJSON *k = cJSON_GetObjectItemCaseSensitive(a, "k");
		if (j->analysis && cJSON_IsString(name) && cJSON_IsNumber(k) &&
		    !strcmp(name->valuestring, j->analysis)) {
			rows = k->valuedouble;
			break;
		}
	}
	double cost = 0;
	switch (j->kind) {
	case FIG_FOREST: cost = 10 + 2 * rows; break;
	case FIG_FUNNEL: cost = j->analysis && !strcmp(j->analysis, "all") ? 4 * rows : 14; break;
	case FIG_PRISMA: cost = 20; break;
	case FIG_ROB: cost = 60; break;
	case FIG_REPORT: cost = 1e9; break; /* the longest job of all */
	}
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
static size_t *plan_order(const cJSON *results, const struct job_list *jobs)
{
	struct ranked *r = sm_alloc_array(jobs->n, sizeof *r);
	size_t *order = sm_alloc_array(jobs->n, sizeof *order);
	if (r && order) {
		for (size_t i = 0; i < jobs->n; i++)
			r[i] = (struct ranked){ job_cost(results, &jobs->jobs[i]), i };
		qsort(r, jobs->n, sizeof *r, by_cost_desc);
		for (size_t i = 0; i < jobs->n; i++)
			order[i] = r[i].index;
	} else {
		free(order);
		order = NULL;
	}
	free(r);
	return order;
}

static sm_status draw_figures(struct sm_ctx *ctx, const cJSON *results,
			      const struct sm_bundle_opts *opts, struct job_list *jobs)
{
	size_t *order = plan_order(results, jobs);
	if (!order)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	struct pool p = { .results = results, .opts = opts, .home = sm_ctx_home(ctx),
			  .epoch = sm_ctx_epoch(ctx), .jobs = jobs, .order = order };
	pthread_mutex_init(&p.lock, NULL);
	int n = worker_count(opts, jobs->n);
	pthread_t threads[8];
	int started = 0;
	for (int i = 1; i < n; i++)
		if (pthread_create(&threads[started], NULL, worker, &p) == 0)
			started++;
	worker(&p); /* the calling thread works too */
	for (int i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	pthread_mutex_destroy(&p.lock);
	free(order);
	for (size_t i = 0; i < jobs->n; i++) {
		const struct figure_job *j = &jobs->jobs[i];
		if (j->status != SM_OK)
			return SM_FAIL_POS(ctx, j->status, j->path, 0, 0, NULL, "cannot draw figure: %s",
					   j->error ? j->error : sm_strerror(j->status));
	}
	return SM_OK;
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

static sm_status write_manifest(struct sm_ctx *ctx, const char *dir, char **files, size_t n)
{
	qsort(files, n, sizeof *files, compare_strings);
	struct sm_buf b;
	sm_buf_init(&b);
	for (size_t i = 0; i < n; i++) {
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

/* Every table of the review as CSV, XLSX and Markdown under tables/;
 * the relative names are appended to *names (caller frees them). */
static sm_status write_tables(struct sm_ctx *ctx, const cJSON *results, const char *dir,
			      char ***names, size_t *n_names)
{
	static const char *const exts[] = { "csv", "xlsx", "md" };
	size_t n = 0;
	const char **tables = sm_table_names(results, &n);
	if (!tables || n == 0) {
		free(tables);
		return SM_OK;
	}
	char *tdir = sm_asprintf("%s/tables", dir);
	sm_status st = tdir ? sm_mkdir_p(ctx, tdir) : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	free(tdir);
	char **out = sm_alloc_array(3 * n, sizeof *out);
	if (st == SM_OK && !out)
		st = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	size_t count = 0;
	for (size_t i = 0; st == SM_OK && i < n; i++) {
		struct sm_table *t = sm_table_from_results(ctx, results, tables[i]);
		if (!t) {
			st = sm_ctx_error(ctx) ? sm_ctx_error(ctx)->code : SM_EINTERNAL;
			break;
		}
		char *safe = sm_safe_filename(tables[i], 60);
		for (size_t e = 0; st == SM_OK && e < 3; e++) {
			char *rel = sm_asprintf("tables/%s.%s", safe, exts[e]);
			char *path = sm_asprintf("%s/%s", dir, rel);
			st = rel && path ? sm_export_write(ctx, t, path)
					 : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
			free(path);
			if (st == SM_OK)
				out[count++] = rel;
			else
				free(rel);
		}
		free(safe);
		sm_table_free(t);
	}
	free(tables);
	*names = out;
	*n_names = count;
	return st;
}

sm_status sm_bundle_write(struct sm_ctx *ctx, const cJSON *results, const char *dir,
			  const struct sm_bundle_opts *opts)
{
	struct job_list jobs = { 0 };
	char **table_files = NULL;
	size_t n_tables = 0;
	sm_status st = write_tables(ctx, results, dir, &table_files, &n_tables);
	if (st == SM_OK && opts->figures) {
		char *figdir = sm_asprintf("%s/figures", dir);
		st = figdir ? sm_mkdir_p(ctx, figdir) : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		free(figdir);
		if (st == SM_OK)
			st = plan_figures(ctx, results, dir, opts->report, &jobs);
		if (st == SM_OK && jobs.n > 0)
			st = draw_figures(ctx, results, opts, &jobs);
	}
	if (st == SM_OK) {
		size_t n = 1 + jobs.n + n_tables;
		char **files = sm_alloc_array(n, sizeof *files);
		if (!files) {
			st = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		} else {
			files[0] = "results.json";
			for (size_t i = 0; i < jobs.n; i++)
				files[i + 1] = jobs.jobs[i].relative;
			for (size_t i = 0; i < n_tables; i++)
				files[1 + jobs.n + i] = table_files[i];
			st = write_manifest(ctx, dir, files, n);
			free(files);
		}
	}
	for (size_t i = 0; i < n_tables; i++)
		free(table_files[i]);
	free(table_files);
	jobs_release(&jobs);
	return st;
}
