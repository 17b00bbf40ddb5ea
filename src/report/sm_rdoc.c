#include "sm_rdoc.h"

#include "sm_buf.h"
#include "sm_figure.h"
#include "sm_fonts.h"
#include "sm_rvalue.h"
#include "sm_table.h"

#include <stdlib.h>
#include <string.h>

struct sm_rblock *sm_rdoc_add(struct sm_ctx *ctx, struct sm_rdoc *d, enum sm_rblock_kind kind)
{
	if (d->nblocks == d->cap_blocks) {
		size_t cap = d->cap_blocks ? 2 * d->cap_blocks : 64;
		struct sm_rblock *grown = sm_realloc_array(d->blocks, cap, sizeof *grown);
		if (!grown) {
			SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
			return NULL;
		}
		d->blocks = grown;
		d->cap_blocks = cap;
	}
	struct sm_rblock *b = &d->blocks[d->nblocks++];
	*b = (struct sm_rblock){ .kind = kind, .scale = 1 };
	return b;
}

sm_status sm_rdoc_own(struct sm_ctx *ctx, struct sm_rdoc *d, void *p, void (*release)(void *))
{
	if (d->nowned == d->cap_owned) {
		size_t cap = d->cap_owned ? 2 * d->cap_owned : 32;
		struct sm_rowned *grown = sm_realloc_array(d->owned, cap, sizeof *grown);
		if (!grown) {
			release(p);
			return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		}
		d->owned = grown;
		d->cap_owned = cap;
	}
	d->owned[d->nowned++] = (struct sm_rowned){ p, release };
	return SM_OK;
}

static sm_status text_block(struct sm_ctx *ctx, struct sm_rdoc *d, char *text,
			     const struct sm_tstyle *st, double space_before, int part)
{
	struct sm_rblock *b = sm_rdoc_add(ctx, d, SM_RB_TEXT);
	if (!b) {
		free(text);
		return SM_EINTERNAL;
	}
	b->text = text;
	b->st = *st;
	b->st.wrap = SM_RDOC_CONTENT_W;
	b->space_before = space_before;
	b->part = part;
	struct sm_extent e;
	sm_status s = sm_text_measure(ctx, d->text, &b->st, text, &e);
	b->h = e.height;
	return s;
}

/* A paragraph taller than this share of a page is set line by line, so
 * that it flows on over the next pages instead of running off one. */
#define SPLIT_PARAGRAPH 0.3

/* The lines of the last block (a tall paragraph) as blocks of their own:
 * the first two and the last two stay together (no line alone at the foot
 * or the top of a page). */
static sm_status split_lines(struct sm_ctx *ctx, struct sm_rdoc *d)
{
	struct sm_rblock whole = d->blocks[d->nblocks - 1];
	PangoLayout *layout = sm_text_layout(d->text, &whole.st, whole.text);
	int n = layout ? pango_layout_get_line_count(layout) : 0;
	if (n < 2)
		return SM_OK;
	int *starts = sm_alloc_array((size_t)n + 1, sizeof *starts);
	if (!starts)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	for (int i = 0; i < n; i++)
		starts[i] = pango_layout_get_line_readonly(layout, i)->start_index;
	starts[n] = (int)strlen(whole.text);
	d->nblocks--; /* the lines replace it; `whole` keeps its text */
	sm_status s = SM_OK;
	for (int i = 0; s == SM_OK && i < n; i++) {
		size_t len = (size_t)(starts[i + 1] - starts[i]);
		while (len > 0 && strchr(" \n", whole.text[starts[i] + (int)len - 1]))
			len--;
		char *line = strndup(whole.text + starts[i], len);
		s = line ? text_block(ctx, d, line, &whole.st, i == 0 ? whole.space_before : 0, 1)
			 : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		if (s == SM_OK)
			d->blocks[d->nblocks - 1].keep_with_next = i == 0 || i == n - 2;
	}
	free(starts);
	free(whole.text);
	return s;
}

sm_status sm_rdoc_text(struct sm_ctx *ctx, struct sm_rdoc *d, char *text,
		       const struct sm_tstyle *st, double space_before)
{
	sm_status s = text_block(ctx, d, text, st, space_before, 0);
	if (s == SM_OK && d->blocks[d->nblocks - 1].h > SPLIT_PARAGRAPH * SM_RDOC_CONTENT_H)
		s = split_lines(ctx, d);
	return s;
}

sm_status sm_rdoc_caption(struct sm_ctx *ctx, struct sm_rdoc *d, struct sm_rblock *b,
			  char *caption)
{
	return sm_rdoc_caption_at(ctx, d, b, caption, SM_RDOC_CONTENT_W);
}

sm_status sm_rdoc_caption_at(struct sm_ctx *ctx, struct sm_rdoc *d, struct sm_rblock *b,
			     char *caption, double width)
{
	b->text = caption;
	b->st = d->caption;
	b->st.wrap = width;
	if (!caption)
		return SM_OK;
	struct sm_extent e;
	sm_status s = sm_text_measure(ctx, d->text, &b->st, caption, &e);
	b->cap_h = e.height;
	return s;
}

static void styles(struct sm_rdoc *d)
{
	const char *fam = d->style->family;
	d->body = (struct sm_tstyle){ .family = fam, .size = 10 };
	d->small = (struct sm_tstyle){ .family = fam, .size = 8.5 };
	d->caption = (struct sm_tstyle){ .family = fam, .size = 9 };
	d->title_st = (struct sm_tstyle){ .family = fam, .size = 20, .bold = 1 };
	d->subtitle_st = (struct sm_tstyle){ .family = fam, .size = 12 };
	d->h1 = (struct sm_tstyle){ .family = fam, .size = 14, .bold = 1 };
	d->h2 = (struct sm_tstyle){ .family = fam, .size = 11.5, .bold = 1 };
}

struct walk {
	struct sm_ctx *ctx;
	struct sm_rdoc *d;
	const cJSON *results;    /* for the placeholders */
	const struct sm_res *res; /* for what is drawn */
	const struct sm_report_opts *opts;
	struct sm_rscope sc;
	size_t marks; /* of the figures and tables laid out so far */
};

static sm_status walk_nodes(struct walk *w, const struct sm_rnode *nodes, size_t n);

static char *expand(struct walk *w, const char *text)
{
	return text ? sm_rvalue_expand(w->ctx, &w->sc, text) : NULL;
}

static sm_status add_text(struct walk *w, const struct sm_rnode *n, const struct sm_tstyle *st,
			  double space, int outline)
{
	char *t = expand(w, n->text);
	if (!t)
		return SM_EINPUT;
	sm_status s = sm_rdoc_text(w->ctx, w->d, t, st, space);
	if (s == SM_OK) {
		struct sm_rblock *b = &w->d->blocks[w->d->nblocks - 1];
		b->outline = outline;
		b->keep_with_next = outline > 0;
	}
	return s;
}

static sm_status set_meta(struct walk *w, const struct sm_rnode *n)
{
	char **slot = !strcmp(n->name, "author")     ? &w->d->author
		      : !strcmp(n->name, "subject")  ? &w->d->subject
		      : !strcmp(n->name, "keywords") ? &w->d->keywords
		      : !strcmp(n->name, "footer")   ? &w->d->footer
						     : NULL;
	if (!slot)
		return SM_FAIL_POS(w->ctx, SM_EINPUT, w->sc.path, (int)n->line, 1, NULL,
				   "unknown @meta '%s'; expected author, subject, keywords or "
				   "footer", n->name);
	char *v = expand(w, n->arg ? n->arg : "");
	if (!v)
		return SM_EINPUT;
	free(*slot);
	*slot = v;
	return SM_OK;
}

static sm_status figure(struct walk *w, const struct sm_rnode *n)
{
	char *which = expand(w, n->arg);
	char *caption = expand(w, n->text);
	sm_status s = SM_OK;
	if ((n->arg && !which) || (n->text && !caption))
		s = SM_EINPUT;
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(w->sc.analysis, "name");
	int own = s == SM_OK && !which && cJSON_IsString(name);
	if (own)
		which = strdup(name->valuestring);
	/* inside @each, an analysis the kind has nothing to draw of (too few
	 * studies, no diagnostics) is passed over, as the bundle passes it */
	const struct sm_figure_kind *kind = own ? sm_figure_kind_named(n->name) : NULL;
	int wanted = kind && which ? sm_figure_plans(w->ctx, kind, w->res, which) : 1;
	if (wanted < 0)
		s = SM_FAIL(w->ctx, SM_EINTERNAL, "out of memory");
	if (s == SM_OK && wanted == 0) {
		free(which);
		free(caption);
		return SM_OK;
	}
	struct sm_rfig_req req = { n->name, which, caption };
	if (s == SM_OK)
		s = sm_rdoc_figure(w->ctx, w->d, w->res, w->opts, &req);
	free(which);
	free(caption);
	return s;
}

static sm_status table(struct walk *w, const struct sm_rnode *n)
{
	char *caption = expand(w, n->text);
	if (n->text && !caption)
		return SM_EINPUT;
	/* inside @each analysis, the sensitivity table is that analysis' own */
	const cJSON *an = cJSON_GetObjectItemCaseSensitive(w->sc.analysis, "name");
	char *own = !strcmp(n->name, "sensitivity") && cJSON_IsString(an)
			    ? sm_asprintf("%s%s", SM_TABLE_SENS_PREFIX, an->valuestring) : NULL;
	sm_status s = sm_rdoc_table(w->ctx, w->d, w->res, w->opts, own ? own : n->name, caption);
	free(own);
	free(caption);
	return s;
}

static sm_status all_tables(struct walk *w)
{
	const struct sm_res_review *r = &w->res->review;
	for (size_t i = 0; i < r->tables.n; i++) {
		if (!r->tables.v[i].id)
			continue;
		sm_status s = sm_rdoc_table(w->ctx, w->d, w->res, w->opts, r->tables.v[i].id,
					    NULL);
		if (s != SM_OK)
			return s;
	}
	return SM_OK;
}

/* The safety-domain table row of an analysis, matched by name. */
static const cJSON *table_row(const cJSON *results, const cJSON *analysis)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(analysis, "name");
	const cJSON *dt = cJSON_GetObjectItemCaseSensitive(results, "domain_table");
	const cJSON *r;
	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(dt, "rows")) {
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(r, "analysis");
		if (cJSON_IsString(a) && cJSON_IsString(name) &&
		    !strcmp(a->valuestring, name->valuestring))
			return r;
	}
	return NULL;
}

static sm_status each(struct walk *w, const struct sm_rnode *n)
{
	const cJSON *a;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(w->results, "analyses")) {
		w->sc.analysis = a;
		w->sc.row = table_row(w->results, a);
		sm_status s = walk_nodes(w, n->body, n->nbody);
		if (s != SM_OK)
			return s;
	}
	w->sc.analysis = NULL;
	w->sc.row = NULL;
	return SM_OK;
}

static sm_status walk_node(struct walk *w, const struct sm_rnode *n)
{
	struct sm_rdoc *d = w->d;
	w->sc.line = n->line;
	switch (n->kind) {
	case SM_RN_PARA:
		return add_text(w, n, &d->body, d->body.size * 0.6, 0);
	case SM_RN_HEADING:
		return add_text(w, n, n->level == 1 ? &d->h1 : &d->h2,
				n->level == 1 ? 16 : 10, n->level);
	case SM_RN_TITLE: {
		char *t = expand(w, n->text);
		if (!t)
			return SM_EINPUT;
		free(d->title);
		d->title = t;
		return add_text(w, n, &d->title_st, 0, 1);
	}
	case SM_RN_SUBTITLE:
		return add_text(w, n, &d->subtitle_st, 8, 0);
	case SM_RN_META:
		return set_meta(w, n);
	case SM_RN_PAGE:
		return sm_rdoc_add(w->ctx, d, SM_RB_PAGE) ? SM_OK : SM_EINTERNAL;
	case SM_RN_FIGURE:
		return figure(w, n);
	case SM_RN_TABLE:
		return table(w, n);
	case SM_RN_TABLES:
		return all_tables(w);
	case SM_RN_CHECK:
		return sm_rdoc_check(w->ctx, d, w->res, w->opts);
	case SM_RN_INDEX:
		return sm_rdoc_index(w->ctx, d, w->opts);
	case SM_RN_EACH:
		return each(w, n);
	case SM_RN_IF: {
		const cJSON *v = NULL;
		sm_status s = sm_rvalue_lookup(w->ctx, &w->sc, n->name, &v);
		if (s != SM_OK || sm_rvalue_present(v) == n->negate)
			return s;
		return walk_nodes(w, n->body, n->nbody);
	}
	}
	return SM_OK;
}

/* Adds the marks and texts of the figures and tables from block `from` on
 * (a figure of several pages counted once) and holds them to the cap. */
static sm_status count_marks(struct walk *w, size_t from, const struct sm_rnode *n)
{
	const struct sm_fig *last = from ? w->d->blocks[from - 1].fig : NULL;
	for (size_t i = from; i < w->d->nblocks; i++) {
		const struct sm_rblock *b = &w->d->blocks[i];
		if (b->kind == SM_RB_FIG && b->fig && b->fig != last)
			w->marks += b->fig->nitems + b->fig->ntexts;
		last = b->fig;
	}
	size_t cap = w->opts->max_marks ? w->opts->max_marks : SM_RTMPL_MAX_MARKS;
	if (w->marks <= cap)
		return SM_OK;
	return SM_FAIL_POS(w->ctx, SM_EINPUT, w->sc.path, (int)n->line, 1, NULL,
			   "the report's figures and tables would hold more than %zu marks and "
			   "texts (%zu with this line's); expected a template that repeats "
			   "large figures and tables less (README \"Report templates\")",
			   cap, w->marks);
}

static sm_status walk_nodes(struct walk *w, const struct sm_rnode *nodes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t from = w->d->nblocks;
		sm_status s = walk_node(w, &nodes[i]);
		if (s == SM_OK && nodes[i].kind != SM_RN_EACH && nodes[i].kind != SM_RN_IF)
			s = count_marks(w, from, &nodes[i]);
		if (s != SM_OK)
			return s;
	}
	return SM_OK;
}

void sm_rdoc_free(struct sm_rdoc *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nblocks; i++)
		free(d->blocks[i].text);
	free(d->blocks);
	for (size_t i = d->nowned; i-- > 0;)
		d->owned[i].release(d->owned[i].p);
	free(d->owned);
	free(d->title);
	free(d->author);
	free(d->subject);
	free(d->keywords);
	free(d->footer);
	free(d->sens_rules);
	sm_text_free(d->text);
	sm_fonts_free(d->fonts);
	sm_style_free(d->style);
	free(d);
}

static sm_status open_fonts(struct sm_ctx *ctx, struct sm_rdoc *d,
			    const struct sm_report_opts *opts)
{
	if (!(d->style = sm_style_load(ctx, opts->style)))
		return SM_EINPUT;
	if (!(d->fonts = sm_fonts_new_home(ctx)))
		return SM_EINPUT;
	for (int bold = 0; bold < 2; bold++) {
		sm_status s = sm_fonts_require(ctx, d->fonts, d->style->family, bold, 0);
		if (s != SM_OK)
			return s;
	}
	if (!(d->text = sm_text_new(ctx, d->fonts)))
		return SM_EINTERNAL;
	styles(d);
	return SM_OK;
}

struct sm_rdoc *sm_rdoc_build(struct sm_ctx *ctx, const cJSON *results, const struct sm_res *res,
			      const struct sm_rtmpl *tmpl, const struct sm_report_opts *opts,
			      struct sm_supp *collect, const struct sm_supp *index)
{
	struct sm_rdoc *d = calloc(1, sizeof *d);
	if (!d) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	d->supplement = opts->supplement;
	d->collect = collect;
	d->index = index;
	sm_status s = sm_rtmpl_check_cost(
		ctx, tmpl, (size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(results,
											 "analyses")));
	if (s == SM_OK)
		s = open_fonts(ctx, d, opts);
	/* what a template may ask of the report itself (@if report.supplement) */
	cJSON *report = cJSON_CreateObject();
	if (s == SM_OK && (!report || !cJSON_AddBoolToObject(report, "supplement",
							     opts->supplement != 0)))
		s = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	struct walk w = { ctx, d, results, res, opts,
			  { .results = results, .path = tmpl->path, .report = report }, 0 };
	if (s == SM_OK)
		s = walk_nodes(&w, tmpl->nodes, tmpl->nnodes);
	cJSON_Delete(report);
	/* a supplement without @index ends with it, on a page of its own */
	if (s == SM_OK && d->supplement && !d->index_done && !collect && index &&
	    !sm_rdoc_add(ctx, d, SM_RB_PAGE))
		s = SM_EINTERNAL;
	if (s == SM_OK && d->supplement && !d->index_done && !collect && index)
		s = sm_rdoc_index(ctx, d, opts);
	d->index = NULL; /* borrowed for the build only */
	if (s != SM_OK) {
		sm_rdoc_free(d);
		return NULL;
	}
	return d;
}
