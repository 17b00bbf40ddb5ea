#include "sm_rdoc.h"

#include "sm_buf.h"
#include "sm_figure.h"
#include "sm_supplement.h"
#include "sm_table.h"
#include "sm_table_layout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* "Figure 3. TEXT", or "Figure S3. TEXT" in a supplement. */
static char *numbered(const struct sm_rdoc *d, const char *label, int n, const char *text)
{
	const char *s = d->supplement ? "S" : "";
	return text && *text ? sm_asprintf("%s %s%d. %s", label, s, n, text)
			     : sm_asprintf("%s %s%d.", label, s, n);
}

/* A dry walk records an item instead of laying it out. */
static sm_status collect(struct sm_ctx *ctx, struct sm_rdoc *d, enum sm_supp_type type,
			 const char *caption, const char *kind, const char *which)
{
	type == SM_SUPP_FIGURE ? d->nfigures++ : d->ntables++;
	return sm_supp_add(ctx, d->collect, type, caption, kind, which) ? SM_OK : SM_EINTERNAL;
}

/* Text on report pages is not made smaller than this much above the
 * style's minimum size (a table set smaller, a figure shrunk): the checks
 * of printed text size measure word boxes (about 1.15 times the size),
 * which read the bundled Liberation Sans about 3 % small, so text at
 * exactly the minimum would read below it. */
#define SIZE_MARGIN 0.5

static double table_floor(const struct sm_rdoc *d)
{
	return fmin(d->style->small, d->style->min_size + SIZE_MARGIN);
}

/* The least scale at which the smallest text of page p of a figure is
 * still at `floor` (1 when it is already at or below it: never smaller). */
static double legible_scale(const struct sm_fig *fig, int p, double floor)
{
	double smallest = INFINITY;
	for (size_t i = fig->page_text[p]; i < fig->page_text[p + 1]; i++)
		smallest = fmin(smallest, fig->texts[i].st.size);
	return isfinite(smallest) && smallest > floor ? floor / smallest : 1;
}

/* Scale a figure block down to the content box (never up).  A figure (or
 * a table row taller than a page) that fits only below its legible size is
 * a warning: a report page cannot hold it whole otherwise. */
static void fit(struct sm_ctx *ctx, const struct sm_rdoc *d, struct sm_rblock *b)
{
	double caption = b->text ? b->cap_h + SM_RDOC_CAPTION_GAP : 0;
	double room_h = sm_rdoc_content_h(b->landscape) - caption;
	double scale = fmin(sm_rdoc_content_w(b->landscape) / b->obj_w, room_h / b->obj_h);
	b->scale = scale > 1 - 1e-9 ? 1 : scale; /* a table laid out to fill the width */
	b->h = b->obj_h * b->scale + caption;
	if (b->scale < b->min_scale - 1e-9)
		sm_ctx_warn(ctx, "report: page %d of %s %d only fits a report page with "
			    "its smallest text at %.1f pt, below %.1f pt (the style's minimum "
			    "%.1f pt and a margin)", b->page + 1,
			    b->caption_above ? "table" : "figure",
			    b->caption_above ? d->ntables : d->nfigures,
			    table_floor(d) * b->scale / b->min_scale, table_floor(d),
			    d->style->min_size);
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

/* The heading chain just before a figure or table: the text blocks back
 * to the last heading, and the headings right before that one (a section
 * heading over a subsection heading).  They stay on the object's first
 * page: they are marked to keep with what follows. */
struct lead {
	size_t start;  /* first block of the chain (nblocks when none) */
	double h;      /* its height, the spaces between its blocks included */
	double space;  /* the space above its first block (mid-page) */
};

static struct lead heading_lead(struct sm_rdoc *d)
{
	struct lead none = { d->nblocks, 0, 0 };
	size_t i = d->nblocks;
	/* a paragraph set line by line is not kept with what follows */
	while (i > 0 && d->blocks[i - 1].kind == SM_RB_TEXT && !d->blocks[i - 1].outline &&
	       !d->blocks[i - 1].part)
		i--;
	if (i == 0 || d->blocks[i - 1].kind != SM_RB_TEXT || !d->blocks[i - 1].outline)
		return none;
	i--; /* the heading */
	while (i > 0 && d->blocks[i - 1].kind == SM_RB_TEXT && d->blocks[i - 1].keep_with_next)
		i--;
	struct lead l = { i, 0, d->blocks[i].space_before };
	for (size_t j = i; j < d->nblocks; j++) {
		d->blocks[j].keep_with_next = 1;
		l.h += (j > i ? d->blocks[j].space_before : 0) + d->blocks[j].h;
	}
	return l;
}

/* A kind's options for a report page: the report's style, no figure title
 * (the caption names the figure), no line stating the methods under it
 * (the report's Methods section states them once), and the template's
 * argument for the kind's positional option.  Owned by the document. */
static void *report_opts(struct sm_ctx *ctx, struct sm_rdoc *d, const struct sm_figure_kind *kind,
			 const struct sm_report_opts *opts, const char *which)
{
	void *o = sm_figure_opts_new(ctx, kind);
	if (!o || sm_rdoc_own(ctx, d, o, opts_release) != SM_OK)
		return NULL;
	struct sm_figure_common *c = o;
	c->style = opts->style;
	c->title = "";
	const struct sm_fopt *method_line = sm_figure_opt(kind, "no-method-line");
	if (method_line && sm_figure_opts_set(ctx, kind, o, method_line, NULL) != SM_OK)
		return NULL;
	/* a forest on a report page: event names unwrapped (a wrapped one
	 * doubles its row), its rows at the size of its notes (it is drawn
	 * so that the smallest text is at the legible minimum: body text
	 * larger than that only makes the rows taller) and the notes short
	 * (the Methods section and the text above the forest say the rest) */
	static const char *const report_flags[] = { "wide-labels", "dense", "compact-notes" };
	for (size_t i = 0; i < sizeof report_flags / sizeof report_flags[0]; i++) {
		const struct sm_fopt *flag = sm_figure_opt(kind, report_flags[i]);
		if (flag && sm_figure_opts_set(ctx, kind, o, flag, NULL) != SM_OK)
			return NULL;
	}
	if (which && kind->positional &&
	    sm_figure_opts_set(ctx, kind, o, sm_figure_opt(kind, kind->positional), which) != SM_OK)
		return NULL;
	return o;
}

/* Lay a kind out for report pages of `room`, the first of `first` (0: a
 * fresh page), to be drawn at `scale`; the document owns the figure. */
static struct sm_fig *lay_out(struct sm_ctx *ctx, struct sm_rdoc *d,
			      const struct sm_figure_kind *kind, const struct sm_res *res,
			      const void *o, double room, double first, double scale)
{
	struct sm_figure_env env = { SM_CANVAS_PDF, room / scale, SM_RDOC_CONTENT_W / scale,
				     first > 0 && first < room ? first / scale : 0 };
	struct sm_fig *fig = NULL;
	if (kind->layout(ctx, res, o, &env, &fig) != SM_OK)
		return NULL;
	return sm_rdoc_own(ctx, d, fig, fig_release) == SM_OK ? fig : NULL;
}

/* One block per page of the figure; the caption goes under the last page
 * (a figure) or over the first (a table: never scaled, on landscape pages
 * when `landscape`).  Takes `cap`. */
static sm_status page_blocks(struct sm_ctx *ctx, struct sm_rdoc *d, struct sm_fig *fig,
			     char *cap, int is_table, int landscape)
{
	for (int p = 0; p < fig->npages; p++) {
		struct sm_rblock *b = sm_rdoc_add(ctx, d, SM_RB_FIG);
		if (!b) {
			free(cap);
			return SM_EINTERNAL;
		}
		b->fig = fig;
		b->page = p;
		b->caption_above = is_table;
		b->landscape = landscape;
		b->min_scale = is_table ? 1 : legible_scale(fig, p, table_floor(d));
		b->obj_w = fig->width;
		b->obj_h = sm_fig_page_used(fig, p);
		b->space_before = p == 0 ? SM_RDOC_FIGURE_SPACE : 0;
		if (p == (is_table ? 0 : fig->npages - 1)) {
			sm_rdoc_caption_at(ctx, d, b, cap, sm_rdoc_content_w(landscape));
			cap = NULL;
		}
		fit(ctx, d, b);
	}
	free(cap);
	return SM_OK;
}

/* The room a paged figure or table has on each page: the content box less
 * its caption and the gap (what leads it takes room on its first page
 * only: first_room); *caption: the caption's height and gap.  A one-page
 * kind is scaled to fit instead (room 0). */
static sm_status room_for(struct sm_ctx *ctx, struct sm_rdoc *d,
			  const struct sm_figure_kind *kind, const char *cap, double *room,
			  double *caption)
{
	*room = *caption = 0;
	if (!kind->paged)
		return SM_OK;
	struct sm_rblock probe = { 0 };
	sm_status s = sm_rdoc_caption(ctx, d, &probe, (char *)cap);
	probe.text = NULL; /* the caption stays the caller's */
	*caption = probe.cap_h + SM_RDOC_CAPTION_GAP;
	*room = SM_RDOC_CONTENT_H - *caption;
	return s;
}

/* The heading chain before an object that starts the next page stays
 * where the pager has got to (d->settled) when it has paragraphs and fits
 * there whole: the object no longer keeps it along.  1 when it stays. */
static int lead_stays(struct sm_rdoc *d, double content)
{
	struct lead lead = heading_lead(d);
	/* a figure the pager holds back goes first: the object follows it */
	struct sm_rcursor at = d->settled;
	sm_rpage_release_held(d, &at);
	double y = at.y;
	if (lead.h <= 0 || lead.start + 1 >= d->nblocks || y <= 0 ||
	    y + lead.space + lead.h > content)
		return 0;
	d->blocks[d->nblocks - 1].keep_with_next = 0;
	return 1;
}

/* The room the first page of a paged figure or table has: below its
 * heading chain where the pager has got to (less `caption`: its height and
 * gap), when at least `head` fits there (a table's header and first rows);
 * else on a fresh page.  Then the heading chain stays where it is when it
 * has paragraphs and fits there whole (the object starts the next page:
 * a page is not left empty under a heading that moves), else it moves
 * along to the fresh page. */
static double first_room(struct sm_rdoc *d, int landscape, double head, double caption)
{
	struct lead lead = heading_lead(d);
	sm_rpage_advance(d, &d->settled, lead.start);
	for (size_t j = lead.start; j < d->nblocks; j++)
		d->blocks[j].landscape = landscape;
	double content = sm_rdoc_content_h(landscape);
	/* a figure the pager holds back goes first: the object follows it */
	struct sm_rcursor at = d->settled;
	sm_rpage_release_held(d, &at);
	double y = at.landscape == landscape ? at.y : 0;
	double above = lead.h > 0 ? (y > 0 ? lead.space : 0) + lead.h + SM_RDOC_FIGURE_SPACE
				  : (y > 0 ? SM_RDOC_FIGURE_SPACE : 0);
	double room = content - y - above - caption;
	if (y == 0 || room >= head)
		return room;
	if (lead_stays(d, content))
		return content - caption;
	return content - (lead.h > 0 ? lead.h + SM_RDOC_FIGURE_SPACE : 0) - caption;
}

/* The least room worth starting a paged figure in, as a share of a page. */
#define FIGURE_FIRST_MIN 0.3

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
	if (d->collect)
		return collect(ctx, d, SM_SUPP_FIGURE, req->caption, req->kind, req->which);
	void *o = report_opts(ctx, d, kind, opts, req->which);
	const struct sm_fopt *rob_opt = rob ? sm_figure_opt(kind, "rob") : NULL;
	if (!o || (rob_opt && sm_figure_opts_set(ctx, kind, o, rob_opt, NULL) != SM_OK))
		return sm_ctx_status(ctx, SM_EINTERNAL);
	char *cap = numbered(d, "Figure", ++d->nfigures, req->caption);
	double room = 0, first = 0, caption = 0;
	sm_status s = cap ? room_for(ctx, d, kind, cap, &room, &caption)
			  : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	/* a paged figure starts below what precedes it when a good part of
	 * a page is left there */
	if (s == SM_OK && kind->paged)
		first = first_room(d, 0, FIGURE_FIRST_MIN * SM_RDOC_CONTENT_H, caption);
	struct sm_fig *fig = s == SM_OK ? lay_out(ctx, d, kind, res, o, room, first, 1) : NULL;
	/* a paged figure (a forest) is set as small as its smallest text
	 * allows: laid out again wider and taller, then drawn at that scale,
	 * it fills the width and takes fewer pages */
	double least = 0;
	for (int p = 0; fig && kind->paged && p < fig->npages; p++)
		least = fmax(least, legible_scale(fig, p, table_floor(d)));
	if (fig && kind->paged && least < 1 - 1e-6) {
		/* (rounded down: drawn to the content width, its text stays legible) */
		double mm = floor(SM_RDOC_CONTENT_W / least / SM_PT_PER_MM * 1000) / 1000;
		char *width = sm_asprintf("%.3fmm", mm);
		if (!width || sm_rdoc_own(ctx, d, width, free) != SM_OK) {
			free(cap);
			return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		}
		((struct sm_figure_common *)o)->width = width;
		struct sm_fig *wide = lay_out(ctx, d, kind, res, o, room, first, least);
		/* (its text must not be smaller than planned: else as it was) */
		double again = 0;
		for (int p = 0; wide && p < wide->npages; p++)
			again = fmax(again, legible_scale(wide, p, table_floor(d)));
		if (!wide || again > least + 1e-9)
			least = 1;
		else
			fig = wide;
	}
	/* a figure that did not take the room left (it moves whole to the next
	 * page) leaves its heading chain where it is when that fits there */
	if (fig && kind->paged && first > 0 &&
	    sm_fig_page_used(fig, 0) * (least < 1 - 1e-6 ? least : 1) > first + 0.5)
		lead_stays(d, SM_RDOC_CONTENT_H);
	if (!fig) {
		free(cap);
		return sm_ctx_status(ctx, SM_EINPUT);
	}
	return page_blocks(ctx, d, fig, cap, 0, 0);
}

/* How a table is set on report pages. */
struct table_fit {
	double size;   /* font size (pt) */
	int landscape;
	int fit_width; /* even the minimum size on landscape is too wide: words break */
	double head;   /* what its first page must hold: the header and two rows
			* (the footnote too for a table of one or two rows) */
};

/* A table at most this share of a page tall is not split over two. */
#define SHORT_TABLE 0.3

/* One trial layout, unpaginated, its geometry only, measured in
 * `measurer` (the table's layout at the size chosen then looks its text
 * up instead of shaping it again): 1 when it fits the width of the page. */
static sm_status try_fit(struct sm_ctx *ctx, const struct sm_rdoc *d, const struct sm_table *t,
			 const struct sm_report_opts *opts, struct sm_fig *measurer,
			 struct table_fit *f, int *fits)
{
	struct sm_table_req req = { .style = opts->style, .font_size = f->size, .bare = 1,
				    .width_pt = sm_rdoc_content_w(f->landscape),
				    .fit_width = f->fit_width, .min_size = table_floor(d),
				    .into = measurer, .measure_only = 1 };
	struct sm_fig *fig = NULL;
	struct sm_table_layout *l = NULL;
	sm_status s = sm_table_lay_out(ctx, t, &req, &fig, &l);
	if (s != SM_OK)
		return s;
	*fits = l->table_w <= req.width_pt + 1e-6;
	f->head = l->head_h;
	for (size_t r = 0; r < l->nrows && r < 2; r++)
		f->head += l->row_h[r];
	if (l->nrows <= 2 && l->foot_h > 0)
		f->head += 2 * l->pad + l->foot_h;
	/* a short table is not split: it starts where it all fits */
	double whole = l->head_h + (l->foot_h > 0 ? 2 * l->pad + l->foot_h : 0);
	for (size_t r = 0; r < l->nrows; r++)
		whole += l->row_h[r];
	if (whole <= SHORT_TABLE * sm_rdoc_content_h(f->landscape))
		f->head = whole;
	sm_table_layout_free(l);
	sm_fig_free(fig);
	return SM_OK;
}

/* The largest size from the style's small size down to the floor (in
 * steps of half a point) at which the table fits a portrait page, else a
 * landscape one; else landscape at the floor with its words broken. */
static sm_status choose_fit(struct sm_ctx *ctx, const struct sm_rdoc *d,
			    const struct sm_table *t, const struct sm_report_opts *opts,
			    struct sm_fig *measurer, struct table_fit *out)
{
	const struct sm_style *st = d->style;
	double floor = table_floor(d);
	for (int landscape = 0; landscape < 2; landscape++)
		for (double size = st->small;; size = fmax(floor, size - 0.5)) {
			*out = (struct table_fit){ size, landscape, 0, 0 };
			int fits = 0;
			sm_status s = try_fit(ctx, d, t, opts, measurer, out, &fits);
			if (s != SM_OK || fits)
				return s;
			if (size <= floor)
				break;
		}
	*out = (struct table_fit){ floor, 1, 1, 0 };
	int fits = 0;
	return try_fit(ctx, d, t, opts, measurer, out, &fits);
}

/* A last page this empty is worth a smaller size (down to the floor) that
 * saves it. */
#define SPARE_LAST_PAGE 0.4

/* A figure of lay_out_table's, unless it is req->into (the caller's). */
static void drop_layout(struct sm_fig *fig, const struct sm_table_req *req)
{
	if (fig != req->into)
		sm_fig_free(fig);
}

/* Lay the table out at req's size (into req->into, when given: the
 * caller frees that one unless it is *out); when that leaves a last page
 * less than SPARE_LAST_PAGE full, at the largest smaller size (not below
 * the floor) that takes fewer pages, if any does. */
static sm_status lay_out_table(struct sm_ctx *ctx, const struct sm_rdoc *d,
			       const struct sm_table *t, struct sm_table_req *req,
			       struct sm_fig **out)
{
	sm_status s = sm_table_lay_out(ctx, t, req, out, NULL);
	double size = req->font_size;
	while (s == SM_OK && (*out)->npages > 1 && size > table_floor(d) &&
	       sm_fig_page_used(*out, (*out)->npages - 1) < SPARE_LAST_PAGE * req->page_h) {
		size = fmax(table_floor(d), size - 0.5);
		struct sm_table_req smaller = *req;
		smaller.font_size = size;
		smaller.into = NULL;
		struct sm_fig *fig = NULL;
		s = sm_table_lay_out(ctx, t, &smaller, &fig, NULL);
		if (s == SM_OK && fig->npages < (*out)->npages) {
			drop_layout(*out, req);
			*out = fig;
			smaller.into = req->into;
			*req = smaller;
			break;
		}
		sm_fig_free(fig);
	}
	if (s != SM_OK) {
		drop_layout(*out, req);
		*out = NULL;
	}
	return s;
}

/* A table on report pages: never scaled, at the size and orientation that
 * fit (choose_fit), starting where it is when it can (first_room), the
 * caption over its first page.  Takes `cap`; the document owns `t`. */
static sm_status table_blocks(struct sm_ctx *ctx, struct sm_rdoc *d, struct sm_table *t,
			      const struct sm_report_opts *opts, char *cap)
{
	free(t->title); /* the caption names the table */
	t->title = NULL;
	struct table_fit f;
	struct sm_fig *measurer = sm_table_measurer(ctx, opts->style);
	if (!measurer) {
		free(cap);
		return sm_ctx_status(ctx, SM_EINPUT);
	}
	sm_status s = choose_fit(ctx, d, t, opts, measurer, &f);
	struct sm_rblock probe = { 0 };
	if (s == SM_OK)
		s = sm_rdoc_caption_at(ctx, d, &probe, cap, sm_rdoc_content_w(f.landscape));
	struct sm_table_req req = {
		.style = opts->style, .font_size = f.size, .bare = 1, .fit_width = f.fit_width,
		.width_pt = sm_rdoc_content_w(f.landscape),
		.page_h = sm_rdoc_content_h(f.landscape), .min_size = table_floor(d),
		.into = measurer,
	};
	if (s == SM_OK)
		req.first_page_h = first_room(d, f.landscape, f.head,
					      cap ? probe.cap_h + SM_RDOC_CAPTION_GAP : 0);
	struct sm_fig *fig = NULL;
	if (s == SM_OK)
		s = lay_out_table(ctx, d, t, &req, &fig);
	if (fig != measurer)
		sm_fig_free(measurer);
	if (s == SM_OK)
		s = sm_rdoc_own(ctx, d, fig, fig_release);
	if (s != SM_OK) {
		free(cap);
		return s;
	}
	if (f.fit_width)
		sm_ctx_warn(ctx, "report: table %d is too wide for a landscape page at the "
			    "style's minimum size %.1f pt; its longest words are broken",
			    d->ntables, f.size);
	return page_blocks(ctx, d, fig, cap, 1, f.landscape);
}

/* A review's own title without its number ("Table 2. Follow-up",
 * "Table 2: Follow-up", "Table 2 | Follow-up", "Table 2 – Follow-up" ->
 * "Follow-up"): the report numbers tables itself. */
const char *sm_rdoc_unnumbered(const char *title)
{
	if (!title || strncmp(title, "Table ", 6) != 0)
		return title;
	const char *s = title + 6;
	size_t n = strspn(s, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
	if (n == 0 || n > 4)
		return title;
	s += n;
	s += strspn(s, " ");
	static const char *const seps[] = { ".", ":", "|", "- ", "\u2013", "\u2014" };
	size_t len = 0;
	for (size_t i = 0; !len && i < sizeof seps / sizeof seps[0]; i++)
		if (!strncmp(s, seps[i], strlen(seps[i])))
			len = strlen(seps[i]);
	if (!len)
		return title;
	s += len;
	s += strspn(s, " ");
	return *s ? s : title;
}

/* A sensitivity table after the first says the rules their footnotes
 * share once: "Rules as in Table N.", then its own rows' notes (sixteen
 * tables repeating five lines each took most of a page). */
static sm_status shared_rules(struct sm_ctx *ctx, struct sm_rdoc *d, const struct sm_res *res,
			      struct sm_table *t, const char *name)
{
	size_t np = strlen(SM_TABLE_SENS_PREFIX);
	if (strncmp(name, SM_TABLE_SENS_PREFIX, np) != 0 || !t->footnote)
		return SM_OK;
	char *rules = sm_table_sens_rules(res, name + np);
	if (!rules)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	size_t n = strlen(rules);
	if (strncmp(t->footnote, rules, n) != 0) {
		free(rules);
		return SM_OK;
	}
	if (!d->sens_rules) {
		d->sens_rules = rules;
		d->sens_rules_table = d->ntables;
		return SM_OK;
	}
	int same = !strcmp(d->sens_rules, rules);
	free(rules);
	if (!same)
		return SM_OK;
	char *foot = sm_asprintf("Rules as in Table %s%d.%s", d->supplement ? "S" : "",
				 d->sens_rules_table, t->footnote + n);
	if (!foot)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	free(t->footnote);
	t->footnote = foot;
	return SM_OK;
}

sm_status sm_rdoc_table(struct sm_ctx *ctx, struct sm_rdoc *d, const struct sm_res *res,
			const struct sm_report_opts *opts, const char *name, const char *caption)
{
	struct sm_table *t = sm_table_from_res(ctx, res, name);
	if (!t || sm_rdoc_own(ctx, d, t, table_release) != SM_OK)
		return SM_EINPUT;
	const char *text = caption ? caption : sm_rdoc_unnumbered(t->title);
	if (d->collect)
		return collect(ctx, d, SM_SUPP_TABLE, text, NULL, name);
	char *cap = numbered(d, "Table", ++d->ntables, text);
	if (!cap)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	sm_status s = shared_rules(ctx, d, res, t, name);
	if (s != SM_OK) {
		free(cap);
		return s;
	}
	return table_blocks(ctx, d, t, opts, cap);
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
	static const char what[] = "Reported values compared with the recomputed results.";
	if (d->collect)
		return collect(ctx, d, SM_SUPP_TABLE, what, NULL, "check");
	char *cap = numbered(d, "Table", ++d->ntables, what);
	return cap ? table_blocks(ctx, d, t, opts, cap)
		   : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
}

sm_status sm_rdoc_index(struct sm_ctx *ctx, struct sm_rdoc *d, const struct sm_report_opts *opts)
{
	if (!d->supplement || d->collect || !d->index || d->index_done)
		return SM_OK;
	d->index_done = 1;
	struct sm_table *t = sm_supp_index_table(ctx, d->index);
	if (!t || sm_rdoc_own(ctx, d, t, table_release) != SM_OK)
		return SM_EINTERNAL;
	char *head = strdup("Index of the supplementary material");
	sm_status s = head ? sm_rdoc_text(ctx, d, head, &d->h1, 16)
			   : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	if (s != SM_OK)
		return s;
	struct sm_rblock *b = &d->blocks[d->nblocks - 1];
	b->outline = 1;
	b->keep_with_next = 1;
	int files = 0;
	for (size_t i = 0; i < d->index->n; i++)
		files |= d->index->v[i].files != NULL;
	char *intro = strdup(files ? "Every figure and table of this supplement with its number, "
				     "its caption and the files it is supplied in (index.txt "
				     "lists the same)."
				   : "Every figure and table of this supplement with its number "
				     "and its caption.");
	s = intro ? sm_rdoc_text(ctx, d, intro, &d->body, d->body.size * 0.6)
		  : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	return s == SM_OK ? table_blocks(ctx, d, t, opts, NULL) : s;
}
