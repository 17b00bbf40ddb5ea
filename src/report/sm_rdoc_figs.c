#include "sm_rdoc.h"

#include "sm_buf.h"
#include "sm_figure.h"
#include "sm_table.h"

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

static void fig_release(void *p)
{
	sm_fig_free(p);
}

static void table_release(void *p)
{
	sm_table_free(p);
}

static void opts_release(void *p)
{
	sm_figure_opts_free(p);
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

/* A kind's options for a report page: the report's style, no figure title
 * (the caption names the figure), and the template's argument for the
 * kind's positional option.  Owned by the document. */
static void *report_opts(struct sm_ctx *ctx, struct sm_rdoc *d, const struct sm_figure_kind *kind,
			 const struct sm_report_opts *opts, const char *which)
{
	void *o = sm_figure_opts_new(ctx, kind);
	if (!o || sm_rdoc_own(ctx, d, o, opts_release) != SM_OK)
		return NULL;
	struct sm_figure_common *c = o;
	c->style = opts->style;
	c->title = "";
	if (which && kind->positional &&
	    sm_figure_opts_set(ctx, kind, o, sm_figure_opt(kind, kind->positional), which) != SM_OK)
		return NULL;
	return o;
}

/* Lay a kind out for report pages that leave `room` below what precedes it
 * on the first page; the document owns the figure. */
static struct sm_fig *lay_out(struct sm_ctx *ctx, struct sm_rdoc *d,
			      const struct sm_figure_kind *kind, const struct sm_res *res,
			      const void *o, double room)
{
	struct sm_figure_env env = { SM_CANVAS_PDF, room, SM_RDOC_CONTENT_W };
	struct sm_fig *fig = NULL;
	if (kind->layout(ctx, res, o, &env, &fig) != SM_OK)
		return NULL;
	return sm_rdoc_own(ctx, d, fig, fig_release) == SM_OK ? fig : NULL;
}

/* One block per page of the figure; the caption goes under the last page
 * (a figure) or over the first (a table).  Takes `cap`. */
static sm_status page_blocks(struct sm_ctx *ctx, struct sm_rdoc *d, struct sm_fig *fig,
			     char *cap, int caption_above)
{
	for (int p = 0; p < fig->npages; p++) {
		struct sm_rblock *b = sm_rdoc_add(ctx, d, SM_RB_FIG);
		if (!b) {
			free(cap);
			return SM_EINTERNAL;
		}
		b->fig = fig;
		b->page = p;
		b->caption_above = caption_above;
		b->obj_w = fig->width;
		b->obj_h = sm_fig_page_used(fig, p);
		b->space_before = p == 0 ? SM_RDOC_FIGURE_SPACE : 0;
		if (p == (caption_above ? 0 : fig->npages - 1)) {
			sm_rdoc_caption(ctx, d, b, cap);
			cap = NULL;
		}
		fit(b);
	}
	free(cap);
	return SM_OK;
}

/* The room a paged figure or table has on each page: the content box less
 * its caption, the gap, what leads it (kept on its first page) and the
 * space above it.  A one-page kind is scaled to fit instead (room 0). */
static sm_status room_for(struct sm_ctx *ctx, struct sm_rdoc *d,
			  const struct sm_figure_kind *kind, const char *cap, double *room)
{
	*room = 0;
	if (!kind->paged)
		return SM_OK;
	struct sm_rblock probe = { 0 };
	sm_status s = sm_rdoc_caption(ctx, d, &probe, (char *)cap);
	probe.text = NULL; /* the caption stays the caller's */
	*room = SM_RDOC_CONTENT_H - probe.cap_h - SM_RDOC_CAPTION_GAP - heading_lead(d) -
		SM_RDOC_FIGURE_SPACE;
	return s;
}

/* `forest+rob` is the forest with its risk-of-bias columns (the template
 * language's name for `@figure forest --rob`). */
static const struct sm_figure_kind *kind_of(const char *name, int *rob)
{
	*rob = !strcmp(name, "forest+rob");
	return sm_figure_kind_named(*rob ? "forest" : name);
}

sm_status sm_rdoc_figure(struct sm_ctx *ctx, struct sm_rdoc *d, const struct sm_res *res,
			 const struct sm_report_opts *opts, const struct sm_rfig_req *req)
{
	int rob = 0;
	const struct sm_figure_kind *kind = kind_of(req->kind, &rob);
	if (!kind)
		return SM_FAIL(ctx, SM_EINPUT, "unknown figure '%s'", req->kind);
	void *o = report_opts(ctx, d, kind, opts, req->which);
	const struct sm_fopt *rob_opt = rob ? sm_figure_opt(kind, "rob") : NULL;
	if (!o || (rob_opt && sm_figure_opts_set(ctx, kind, o, rob_opt, NULL) != SM_OK))
		return sm_ctx_error(ctx) ? sm_ctx_error(ctx)->code : SM_EINTERNAL;
	char *cap = numbered("Figure", ++d->nfigures, req->caption);
	double room = 0;
	sm_status s = cap ? room_for(ctx, d, kind, cap, &room)
			  : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	struct sm_fig *fig = s == SM_OK ? lay_out(ctx, d, kind, res, o, room) : NULL;
	if (!fig) {
		free(cap);
		return sm_ctx_error(ctx) ? sm_ctx_error(ctx)->code : SM_EINPUT;
	}
	return page_blocks(ctx, d, fig, cap, 0);
}

/* A table of the results by name, laid out by the table kind in pages
 * whose first one's room is what a fresh page offers below the caption (a
 * table always starts where it fits its header and first rows: the pager
 * moves it to a new page otherwise).  Takes `cap`. */
static sm_status table_blocks(struct sm_ctx *ctx, struct sm_rdoc *d, const struct sm_res *res,
			      const struct sm_report_opts *opts, const char *name, char *cap)
{
	const struct sm_figure_kind *kind = sm_figure_kind_named("table");
	void *o = kind ? report_opts(ctx, d, kind, opts, name) : NULL;
	double room = 0;
	sm_status s = o ? room_for(ctx, d, kind, cap, &room) : SM_EINTERNAL;
	struct sm_fig *fig = s == SM_OK ? lay_out(ctx, d, kind, res, o, room) : NULL;
	if (!fig) {
		free(cap);
		return sm_ctx_error(ctx) ? sm_ctx_error(ctx)->code : SM_EINPUT;
	}
	return page_blocks(ctx, d, fig, cap, 1);
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

sm_status sm_rdoc_table(struct sm_ctx *ctx, struct sm_rdoc *d, const struct sm_res *res,
			const struct sm_report_opts *opts, const char *name, const char *caption)
{
	struct sm_table *t = sm_table_from_res(ctx, res, name);
	if (!t || sm_rdoc_own(ctx, d, t, table_release) != SM_OK)
		return SM_EINPUT;
	char *cap = numbered("Table", ++d->ntables, caption ? caption : unnumbered(t->title));
	if (!cap)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	return table_blocks(ctx, d, res, opts, name, cap);
}

sm_status sm_rdoc_check(struct sm_ctx *ctx, struct sm_rdoc *d, const struct sm_res *res,
			const struct sm_report_opts *opts)
{
	const struct sm_res_check *c = &res->check;
	if (!c->present)
		return SM_FAIL(ctx, SM_EINPUT, "the results hold no check findings; expected a "
			       "results document written by safemeta analyze");
	size_t reproduced = 0, findings = c->findings.n;
	for (size_t i = 0; i < c->analyses.n; i++)
		reproduced += c->analyses.v[i].reproduced == 1;
	char *summary = c->analyses.n
		? sm_asprintf("%zu of %zu reported analyses reproduce from the data (k and every "
			      "reported value agree within the rounding of the printed digits); "
			      "%zu finding%s in all.", reproduced, c->analyses.n, findings,
			      findings == 1 ? "" : "s")
		: sm_asprintf("The review file reports no pooled values to compare; %zu "
			      "finding%s on the PRISMA flow.", findings, findings == 1 ? "" : "s");
	sm_status s = summary ? sm_rdoc_text(ctx, d, summary, &d->body, d->body.size * 0.6)
			      : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	struct sm_table *t = s == SM_OK ? sm_table_from_res(ctx, res, "check") : NULL;
	if (s == SM_OK && (!t || sm_rdoc_own(ctx, d, t, table_release) != SM_OK))
		return SM_EINTERNAL;
	if (s != SM_OK || t->nrows == 0)
		return s;
	char *cap = numbered("Table", ++d->ntables,
			     "Reported values compared with the recomputed results.");
	return cap ? table_blocks(ctx, d, res, opts, "check", cap)
		   : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
}
