#include "sm_rdoc.h"

#include "sm_buf.h"
#include "sm_funnel.h"
#include "sm_prisma.h"
#include "sm_rob.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>


static char *numbered(const char *label, int n, const char *text)
{
	return text && *text ? sm_asprintf("%s %d. %s", label, n, text)
			     : sm_asprintf("%s %d.", label, n);
}

/* Scale a figure block down to the content box (never up). */
static void fit(struct sm_rblock *b)
{
	double room_h = SM_RDOC_CONTENT_H - b->cap_h - SM_RDOC_CAPTION_GAP;
	b->scale = fmin(1, fmin(SM_RDOC_CONTENT_W / b->obj_w, room_h / b->obj_h));
	b->h = b->obj_h * b->scale + (b->text ? b->cap_h + SM_RDOC_CAPTION_GAP : 0);
}

static sm_status fig_block(struct sm_ctx *ctx, struct sm_rdoc *d, struct sm_fig *fig,
			   const char *caption)
{
	struct sm_rblock *b = sm_rdoc_add(ctx, d, SM_RB_FIG);
	if (!b)
		return SM_EINTERNAL;
	b->fig = fig;
	b->obj_w = fig->width;
	b->obj_h = fig->height;
	b->space_before = SM_RDOC_FIGURE_SPACE;
	char *cap = numbered("Figure", ++d->nfigures, caption);
	if (!cap)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	sm_status s = sm_rdoc_caption(ctx, d, b, cap);
	fit(b);
	return s;
}

static void funnel_release(void *p)
{
	sm_funnel_layout_free(p);
}

static void prisma_release(void *p)
{
	sm_prisma_layout_free(p);
}

static void rob_release(void *p)
{
	sm_rob_layout_free(p);
}

static void forest_release(void *p)
{
	sm_forest_free(p);
}

static void table_release(void *p)
{
	sm_table_free(p);
}

static void table_fig_release(void *p)
{
	sm_table_fig_free(p);
}

/* The heading and paragraphs just before a figure or table stay on its
 * first page: they are marked to keep with what follows, and their height
 * is what the first page must leave them (0 without a heading there). */
static double heading_lead(struct sm_rdoc *d)
{
	double lead = 0;
	for (size_t i = d->nblocks; i-- > 0;) {
		struct sm_rblock *b = &d->blocks[i];
		if (b->kind != SM_RB_TEXT)
			return 0;
		lead += b->space_before + b->h;
		if (b->outline) {
			for (size_t j = i; j < d->nblocks; j++)
				d->blocks[j].keep_with_next = 1;
			return lead;
		}
	}
	return 0;
}

/* Height a forest page uses: its lowest text or mark plus the margin. */
static double forest_used(const struct sm_flayout *l, int page, double margin)
{
	double bottom = 0;
	for (size_t i = l->page_text[page]; i < l->page_text[page + 1]; i++)
		bottom = fmax(bottom, l->texts[i].box.y1);
	for (size_t i = l->page_mark[page]; i < l->page_mark[page + 1]; i++)
		bottom = fmax(bottom, fmax(l->marks[i].y1, l->marks[i].cy + l->marks[i].size));
	return fmin(l->height, bottom + margin);
}

static sm_status forest(struct sm_ctx *ctx, struct sm_rdoc *d, const cJSON *results,
			const struct sm_report_opts *opts, const struct sm_rfig_req *req)
{
	int n = ++d->nfigures;
	char *cap = numbered("Figure", n, req->caption);
	struct sm_rblock probe = { 0 };
	sm_status s = cap ? sm_rdoc_caption(ctx, d, &probe, cap)
			  : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	if (s != SM_OK) {
		free(cap);
		return s;
	}
	struct sm_forest_opts fo;
	sm_forest_opts_init(&fo);
	fo.analysis = req->which;
	fo.style = opts->style;
	fo.title = "";
	fo.rob = !strcmp(req->kind, "forest+rob");
	double lead = heading_lead(d);
	struct sm_forest *f = sm_forest_new(ctx, results, &fo,
					    SM_RDOC_CONTENT_H - probe.cap_h - SM_RDOC_CAPTION_GAP -
						    lead - SM_RDOC_FIGURE_SPACE);
	if (!f || sm_rdoc_own(ctx, d, f, forest_release) != SM_OK) {
		free(cap);
		return SM_EINPUT;
	}
	const struct sm_flayout *l = sm_forest_get_layout(f);
	for (int p = 0; p < l->npages; p++) {
		struct sm_rblock *b = sm_rdoc_add(ctx, d, SM_RB_FOREST);
		if (!b) {
			free(cap);
			return SM_EINTERNAL;
		}
		b->forest = f;
		b->page = p;
		b->obj_w = l->width;
		b->obj_h = forest_used(l, p, d->style->margin);
		b->space_before = p == 0 ? SM_RDOC_FIGURE_SPACE : 0;
		if (p == l->npages - 1) {
			sm_rdoc_caption(ctx, d, b, cap);
			cap = NULL;
		}
		fit(b);
	}
	free(cap);
	return SM_OK;
}

sm_status sm_rdoc_figure(struct sm_ctx *ctx, struct sm_rdoc *d, const cJSON *results,
			 const struct sm_report_opts *opts, const struct sm_rfig_req *req)
{
	if (!strncmp(req->kind, "forest", 6))
		return forest(ctx, d, results, opts, req);
	sm_status s;
	struct sm_fig *fig = NULL;
	if (!strcmp(req->kind, "funnel")) {
		struct sm_funnel_opts o;
		sm_funnel_opts_init(&o);
		o.analysis = req->which;
		o.style = opts->style;
		o.title = req->which && strcmp(req->which, "all") ? "" : NULL;
		struct sm_funnel_layout *l = NULL;
		s = sm_funnel_layout(ctx, results, &o, &l);
		if (s == SM_OK && (s = sm_rdoc_own(ctx, d, l, funnel_release)) == SM_OK)
			fig = l->fig;
	} else if (!strcmp(req->kind, "prisma")) {
		struct sm_prisma_opts o;
		sm_prisma_opts_init(&o);
		o.style = opts->style;
		struct sm_prisma_layout *l = NULL;
		s = sm_prisma_layout(ctx, results, &o, &l);
		if (s == SM_OK && (s = sm_rdoc_own(ctx, d, l, prisma_release)) == SM_OK)
			fig = l->fig;
	} else {
		struct sm_rob_opts o;
		sm_rob_opts_init(&o);
		o.style = opts->style;
		if (req->which && (s = sm_rob_plot_parse(ctx, req->which, &o.plot)) != SM_OK)
			return s;
		struct sm_rob_layout *l = NULL;
		s = sm_rob_layout(ctx, results, &o, &l);
		if (s == SM_OK && (s = sm_rdoc_own(ctx, d, l, rob_release)) == SM_OK)
			fig = l->fig;
	}
	return s == SM_OK ? fig_block(ctx, d, fig, req->caption) : s;
}

/* Lay a table out in pages: the first page's room is what a fresh page
 * offers below the caption; a table always starts where it fits its
 * header and first rows (the pager moves it to a new page otherwise). */
static sm_status table_blocks(struct sm_ctx *ctx, struct sm_rdoc *d, struct sm_table *t,
			      const struct sm_report_opts *opts, char *cap)
{
	struct sm_rblock probe = { 0 };
	sm_status s = sm_rdoc_caption(ctx, d, &probe, cap);
	if (s != SM_OK) {
		free(cap);
		return s;
	}
	struct sm_table_opts to;
	sm_table_opts_init(&to);
	to.style = opts->style;
	double lead = heading_lead(d);
	struct sm_table_fig *tf = sm_table_fig_new(ctx, t, &to, SM_RDOC_CONTENT_W,
						   SM_RDOC_CONTENT_H - probe.cap_h - SM_RDOC_CAPTION_GAP -
							   lead - SM_RDOC_FIGURE_SPACE);
	if (!tf || sm_rdoc_own(ctx, d, tf, table_fig_release) != SM_OK) {
		free(cap);
		return SM_EINPUT;
	}
	for (int p = 0; p < sm_table_fig_pages(tf); p++) {
		struct sm_rblock *b = sm_rdoc_add(ctx, d, SM_RB_TABLE);
		if (!b) {
			free(cap);
			return SM_EINTERNAL;
		}
		b->table = tf;
		b->page = p;
		b->caption_above = 1;
		b->obj_w = sm_table_fig_width(tf);
		b->obj_h = sm_table_fig_height(tf, p);
		b->space_before = p == 0 ? SM_RDOC_FIGURE_SPACE : 0;
		if (p == 0) {
			sm_rdoc_caption(ctx, d, b, cap);
			cap = NULL;
		}
		fit(b);
	}
	free(cap);
	return SM_OK;
}

/* A review's own title without its number ("Table 2. Follow-up" ->
 * "Follow-up"): the report numbers tables itself. */
static const char *unnumbered(const char *title)
{
	if (!title || strncmp(title, "Table ", 6) != 0)
		return title;
	const char *s = title + 6;
	size_t n = strspn(s, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
	if (n == 0 || n > 4 || (s[n] != '.' && s[n] != ':'))
		return title;
	s += n + 1;
	while (*s == ' ')
		s++;
	return *s ? s : title;
}

sm_status sm_rdoc_table(struct sm_ctx *ctx, struct sm_rdoc *d, const cJSON *results,
			const struct sm_report_opts *opts, const char *name, const char *caption)
{
	struct sm_table *t = sm_table_from_results(ctx, results, name);
	if (!t || sm_rdoc_own(ctx, d, t, table_release) != SM_OK)
		return SM_EINPUT;
	char *cap = numbered("Table", ++d->ntables, caption ? caption : unnumbered(t->title));
	free(t->title);
	t->title = NULL;
	if (!cap)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	return table_blocks(ctx, d, t, opts, cap);
}

/* The kinds of findings as the report's table words them. */
static const char *kind_word(const char *kind)
{
	return kind && !strcmp(kind, "prisma") ? "PRISMA" : kind ? kind : "?";
}

static const char *str_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* One row per reported analysis (and one for the PRISMA flow when it has
 * findings): what the analysis stage's check found, from the document. */
static sm_status check_rows(struct sm_ctx *ctx, struct sm_table *t, const cJSON *check)
{
	const cJSON *analyses = cJSON_GetObjectItemCaseSensitive(check, "analyses");
	const cJSON *findings = cJSON_GetObjectItemCaseSensitive(check, "findings");
	int n = cJSON_GetArraySize(analyses);
	for (int i = 0; i <= n; i++) {
		const cJSON *a = i < n ? cJSON_GetArrayItem(analyses, i) : NULL;
		const char *name = a ? str_of(a, "name") : NULL;
		struct sm_buf b;
		sm_buf_init(&b);
		const cJSON *f;
		cJSON_ArrayForEach(f, findings) {
			const char *fa = str_of(f, "analysis");
			if ((name == NULL) != (fa == NULL) || (name && strcmp(name, fa) != 0))
				continue;
			sm_buf_printf(&b, "%s\u2022 %s: %s", b.len ? "\n" : "",
				      kind_word(str_of(f, "kind")), str_of(f, "message"));
		}
		if (!name && !b.len) {
			sm_buf_release(&b);
			continue;
		}
		char *text = sm_buf_take(&b);
		long r = sm_table_add_row(ctx, t);
		const char *status = !name ? "arithmetic does not add up"
				     : cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a, "reproduced"))
				     ? "reproduced" : "not reproduced";
		sm_status s = r < 0 || !text ? SM_EINTERNAL : SM_OK;
		if (s == SM_OK)
			s = sm_table_set(ctx, t, (size_t)r, 0, name ? name : "PRISMA flow");
		if (s == SM_OK)
			s = sm_table_set(ctx, t, (size_t)r, 1, status);
		if (s == SM_OK)
			s = sm_table_set(ctx, t, (size_t)r, 2, *text ? text : "none");
		free(text);
		if (s != SM_OK)
			return s;
	}
	return SM_OK;
}

sm_status sm_rdoc_check(struct sm_ctx *ctx, struct sm_rdoc *d, const cJSON *results,
			const struct sm_report_opts *opts)
{
	const cJSON *check = cJSON_GetObjectItemCaseSensitive(results, "check");
	if (!cJSON_IsObject(check))
		return SM_FAIL(ctx, SM_EINPUT, "the results hold no check findings; expected a "
			       "results document written by safemeta analyze");
	const cJSON *analyses = cJSON_GetObjectItemCaseSensitive(check, "analyses");
	size_t n_analyses = (size_t)cJSON_GetArraySize(analyses), reproduced = 0;
	size_t findings = (size_t)cJSON_GetArraySize(
		cJSON_GetObjectItemCaseSensitive(check, "findings"));
	const cJSON *a;
	cJSON_ArrayForEach(a, analyses)
		reproduced += cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a, "reproduced"));
	char *summary = n_analyses
		? sm_asprintf("%zu of %zu reported analyses reproduce from the data (k and every "
			      "reported value agree within the rounding of the printed digits); "
			      "%zu finding%s in all.", reproduced, n_analyses, findings,
			      findings == 1 ? "" : "s")
		: sm_asprintf("The review file reports no pooled values to compare; %zu "
			      "finding%s on the PRISMA flow.", findings, findings == 1 ? "" : "s");
	sm_status s = summary ? sm_rdoc_text(ctx, d, summary, &d->body, d->body.size * 0.6)
			      : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	struct sm_table *t = s == SM_OK ? sm_table_new(ctx, "check", 3) : NULL;
	if (s == SM_OK && !t)
		s = SM_EINTERNAL;
	if (s == SM_OK && (s = sm_rdoc_own(ctx, d, t, table_release)) != SM_OK)
		t = NULL;
	static const char *const heads[] = { "Analysis", "Result", "Findings" };
	for (size_t i = 0; s == SM_OK && i < 3; i++)
		s = sm_table_set_header(ctx, t, i, heads[i], SM_ALIGN_LEFT);
	if (s == SM_OK)
		s = check_rows(ctx, t, check);
	if (s != SM_OK || t->nrows == 0)
		return s;
	char *cap = numbered("Table", ++d->ntables,
			     "Reported values compared with the recomputed results.");
	return cap ? table_blocks(ctx, d, t, opts, cap) : SM_FAIL(ctx, SM_EINTERNAL, "oom");
}
