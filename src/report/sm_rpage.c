#include "sm_rdoc.h"

#include "sm_buf.h"

#include <cairo-pdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* A figure shrinks to this share of its size to end a page rather than
 * leave the rest of the page empty (never below its legible size). */
#define SHRINK_TO_FIT 0.7

/* What must fit on the page together with block i: itself, and for a
 * heading also the start of what follows (a heading never ends a page).
 * A chain kept together that no page holds whole keeps only its next
 * block: it cannot move as one, and must not break at every block. */
static double need_of(const struct sm_rdoc *d, size_t i)
{
	const struct sm_rblock *b = &d->blocks[i];
	double need = b->h, next = b->h;
	for (size_t j = i; d->blocks[j].keep_with_next && j + 1 < d->nblocks; j++) {
		const struct sm_rblock *n = &d->blocks[j + 1];
		if (n->kind == SM_RB_PAGE)
			break;
		need += n->space_before + n->h;
		if (j == i)
			next = need;
	}
	double page = sm_rdoc_content_h(b->landscape);
	return need <= page + 0.01 ? need : fmin(next, page);
}

static void new_page(struct sm_rcursor *c)
{
	c->page++;
	c->y = 0;
}

/* Place block i at the cursor (or on a new page) and move the cursor on;
 * *out is where it went, unless a page break. */
static int place(const struct sm_rdoc *d, size_t i, struct sm_rcursor *c, struct sm_rplace *out)
{
	const struct sm_rblock *b = &d->blocks[i];
	if (b->kind == SM_RB_PAGE) {
		if (c->y > 0)
			new_page(c);
		return 0;
	}
	/* a page turns only between pages */
	if (b->landscape != c->landscape) {
		if (c->y > 0)
			new_page(c);
		c->landscape = b->landscape;
	}
	double room = sm_rdoc_content_h(c->landscape);
	double space = c->y > 0 ? b->space_before : 0;
	/* continued pages of a forest or table always start a page */
	int continued = b->kind == SM_RB_FIG && b->page > 0;
	double scale = b->scale, h = b->h;
	if (c->y > 0 && !continued && b->kind == SM_RB_FIG && c->y + space + h > room + 0.01) {
		double caption = b->text ? b->cap_h + SM_RDOC_CAPTION_GAP : 0;
		double fits = (room - c->y - space - caption) / b->obj_h;
		if (fits >= fmax(SHRINK_TO_FIT * b->scale, b->min_scale)) {
			scale = fits;
			h = b->obj_h * fits + caption;
		}
	}
	if (c->y > 0 &&
	    (continued || c->y + space + fmax(h, need_of(d, i) - b->h + h) > room + 0.01)) {
		new_page(c);
		space = 0;
		scale = b->scale;
		h = b->h;
	}
	*out = (struct sm_rplace){ i, c->page, c->y + space, scale };
	c->y += space + h;
	c->placed = 1;
	return 1;
}

/* 1 when block i may go before a figure held back for the next page: it
 * is text, or a table that ends on this page, as are the blocks it keeps
 * with; never another figure (figures stay in the order of their numbers)
 * nor a page break or turn. */
static int may_fill(const struct sm_rdoc *d, size_t i, int landscape)
{
	for (size_t j = i; j < d->nblocks; j++) {
		const struct sm_rblock *b = &d->blocks[j];
		if (b->kind == SM_RB_PAGE || b->landscape != landscape)
			return 0;
		if (b->kind == SM_RB_FIG &&
		    (!b->caption_above || b->page > 0 ||
		     (j + 1 < d->nblocks && d->blocks[j + 1].kind == SM_RB_FIG &&
		      d->blocks[j + 1].page > 0)))
			return 0;
		if (!b->keep_with_next)
			return 1;
	}
	return 1;
}

/* 1 when placing block i leaves the cursor on its page. */
static int stays(const struct sm_rdoc *d, size_t i, const struct sm_rcursor *c)
{
	struct sm_rcursor t = *c;
	struct sm_rplace unused;
	place(d, i, &t, &unused);
	return t.page == c->page;
}

/* The figure held back opens the next page. */
static int release(const struct sm_rdoc *d, struct sm_rcursor *c, struct sm_rplace *out)
{
	if (!c->held)
		return 0;
	c->held = 0;
	new_page(c);
	return place(d, c->held_block, c, out);
}

void sm_rpage_release_held(const struct sm_rdoc *d, struct sm_rcursor *c)
{
	struct sm_rplace unused;
	release(d, c, &unused);
}

/* Place block i as LaTeX floats figures: a figure that does not fit in
 * the rest of the page (shrunk as far as it may) is held back, and the
 * text and tables after it fill the page; it then opens the next page,
 * before the first block that does not fit (or may not fill).  The
 * places go to out[0..n) in page order; returns n (0 to 2). */
static int step(const struct sm_rdoc *d, size_t i, struct sm_rcursor *c, struct sm_rplace *out)
{
	const struct sm_rblock *b = &d->blocks[i];
	int n = 0;
	if (c->held) {
		if (may_fill(d, i, c->landscape) && stays(d, i, c))
			return place(d, i, c, out);
		n = release(d, c, out);
	}
	if (c->y > 0 && b->kind == SM_RB_FIG && !b->caption_above && b->page == 0 &&
	    b->landscape == c->landscape && !stays(d, i, c)) {
		c->held = 1;
		c->held_block = i;
		return n;
	}
	return n + place(d, i, c, out + n);
}

void sm_rpage_advance(const struct sm_rdoc *d, struct sm_rcursor *c, size_t upto)
{
	struct sm_rplace unused[2];
	for (; c->next < upto && c->next < d->nblocks; c->next++)
		step(d, c->next, c, unused);
}

void sm_rpage_flow_release(struct sm_rflow *f)
{
	free(f->pl);
	free(f->landscape);
	*f = (struct sm_rflow){ 0 };
}

sm_status sm_rpage_flow(struct sm_ctx *ctx, const struct sm_rdoc *d, struct sm_rflow *out)
{
	size_t cap = d->nblocks ? d->nblocks + 1 : 1;
	*out = (struct sm_rflow){ sm_alloc_array(cap, sizeof *out->pl), 0, 0,
				  calloc(cap, 1) };
	if (!out->pl || !out->landscape) {
		sm_rpage_flow_release(out);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	struct sm_rcursor c = { 0 };
	for (size_t i = 0; i <= d->nblocks; i++) {
		int n = i < d->nblocks ? step(d, i, &c, &out->pl[out->n])
				       : release(d, &c, &out->pl[out->n]);
		for (int k = 0; k < n; k++)
			out->landscape[out->pl[out->n + k].page] =
				(unsigned char)d->blocks[out->pl[out->n + k].block].landscape;
		out->n += (size_t)n;
	}
	out->npages = c.page + 1;
	return SM_OK;
}

static void draw_object(struct sm_ctx *ctx, struct sm_canvas *c, const struct sm_rblock *b,
			double scale, double x, double y)
{
	cairo_t *cr = sm_canvas_cr(c);
	cairo_save(cr);
	cairo_translate(cr, x, y);
	cairo_scale(cr, scale, scale);
	if (b->fig)
		sm_fig_draw_page(ctx, c, b->fig, b->page, 0, 0);
	cairo_restore(cr);
}

static void draw_text(const struct sm_rdoc *d, cairo_t *cr, const struct sm_tstyle *st,
		      const char *text, double x, double y, struct sm_rgb colour)
{
	cairo_set_source_rgb(cr, colour.r, colour.g, colour.b);
	sm_text_draw(d->text, cr, st, text, x, y);
}

static void draw_block(struct sm_ctx *ctx, const struct sm_rdoc *d, struct sm_canvas *c,
		       const struct sm_rblock *b, double scale, double y)
{
	cairo_t *cr = sm_canvas_cr(c);
	double x = SM_RDOC_MARGIN_X;
	if (b->kind == SM_RB_TEXT) {
		draw_text(d, cr, &b->st, b->text, x, y, d->style->c_text);
		return;
	}
	double w = b->obj_w * scale, h = b->obj_h * scale;
	double ox = x + fmax(0, (sm_rdoc_content_w(b->landscape) - w) / 2);
	if (b->caption_above && b->text) {
		draw_text(d, cr, &b->st, b->text, x, y, d->style->c_text);
		draw_object(ctx, c, b, scale, ox, y + b->cap_h + SM_RDOC_CAPTION_GAP);
	} else {
		draw_object(ctx, c, b, scale, ox, y);
		if (b->text)
			draw_text(d, cr, &b->st, b->text, x, y + h + SM_RDOC_CAPTION_GAP,
				  d->style->c_text);
	}
}

static void footer(struct sm_ctx *ctx, const struct sm_rdoc *d, cairo_t *cr, int page,
		   int npages, int landscape)
{
	char num[48];
	snprintf(num, sizeof num, "%d / %d", page + 1, npages);
	struct sm_tstyle st = d->small;
	double page_w = landscape ? SM_RDOC_PAGE_H : SM_RDOC_PAGE_W;
	double page_h = landscape ? SM_RDOC_PAGE_W : SM_RDOC_PAGE_H;
	double y = page_h - SM_RDOC_MARGIN_BOTTOM + 6 * SM_PT_PER_MM;
	struct sm_extent e;
	if (sm_text_measure(ctx, d->text, &st, num, &e) != SM_OK)
		return;
	draw_text(d, cr, &st, num, page_w - SM_RDOC_MARGIN_X - e.width, y, d->style->c_muted);
	const char *left = d->footer ? d->footer : d->title;
	if (left && *left) {
		st.ellipsize = sm_rdoc_content_w(landscape) - e.width - 8 * SM_PT_PER_MM;
		draw_text(d, cr, &st, left, SM_RDOC_MARGIN_X, y, d->style->c_muted);
	}
}

static void metadata(const struct sm_rdoc *d, cairo_surface_t *s)
{
	if (d->title)
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, d->title);
	if (d->author)
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, d->author);
	if (d->subject)
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT, d->subject);
	if (d->keywords)
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_KEYWORDS, d->keywords);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "safemeta " SM_VERSION);
}

/* A bookmark to the top of block b at page y. */
static void outline(cairo_surface_t *s, const struct sm_rblock *b, int page, double y,
		    int *parent)
{
	char link[96];
	snprintf(link, sizeof link, "page=%d pos=[%.2f %.2f]", page + 1, SM_RDOC_MARGIN_X,
		 fmax(0, y - 4));
	int up = b->outline == 1 || *parent <= 0 ? CAIRO_PDF_OUTLINE_ROOT : *parent;
	int id = cairo_pdf_surface_add_outline(s, up, b->text, link, 0);
	if (b->outline == 1)
		*parent = id;
}

sm_status sm_rpage_draw(struct sm_ctx *ctx, const struct sm_rdoc *d, const struct sm_rflow *f,
			const char *pdf_path)
{
	const struct sm_rplace *pl = f->pl;
	int npages = f->npages;
	struct sm_canvas *c = sm_canvas_open(ctx, pdf_path, SM_RDOC_PAGE_W, SM_RDOC_PAGE_H, 72);
	if (!c)
		return sm_ctx_status(ctx, SM_EOUTPUT);
	if (sm_canvas_format(c) != SM_CANVAS_PDF) {
		sm_canvas_abort(c);
		return SM_FAIL(ctx, SM_EINPUT,
			       "report '%s' is not a .pdf file; expected a PDF path",
			       pdf_path);
	}
	cairo_surface_t *surface = cairo_get_target(sm_canvas_cr(c));
	metadata(d, surface);
	sm_status s = SM_OK;
	size_t i = 0, nplaced = f->n;
	int parent = 0;
	for (int page = 0; s == SM_OK && page < npages; page++) {
		if (page > 0)
			s = sm_canvas_next_page(ctx, c);
		/* the size of the page to come, before anything is drawn on it */
		int landscape = f->landscape[page];
		cairo_pdf_surface_set_size(surface, landscape ? SM_RDOC_PAGE_H : SM_RDOC_PAGE_W,
					   landscape ? SM_RDOC_PAGE_W : SM_RDOC_PAGE_H);
		sm_canvas_paint_white(c);
		for (; s == SM_OK && i < nplaced && pl[i].page == page; i++) {
			const struct sm_rblock *b = &d->blocks[pl[i].block];
			double y = SM_RDOC_MARGIN_TOP + pl[i].y;
			draw_block(ctx, d, c, b, pl[i].scale, y);
			if (b->outline)
				outline(surface, b, page, y, &parent);
		}
		footer(ctx, d, sm_canvas_cr(c), page, npages, landscape);
	}
	if (s == SM_OK && sm_ctx_error(ctx))
		s = sm_ctx_error(ctx)->code;
	if (s != SM_OK) {
		sm_canvas_abort(c);
		return s;
	}
	return sm_canvas_close(ctx, c);
}
