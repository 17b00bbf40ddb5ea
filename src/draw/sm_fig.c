#include "sm_fig.h"

#include "sm_buf.h"
#include "sm_svg_text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void sm_fig_text_release(struct sm_fig_text *t)
{
	if (!t->kept)
		free(t->text);
	t->text = NULL;
}

int sm_box_overlap(const struct sm_box *a, const struct sm_box *b)
{
	const double eps = 1e-6;
	return a->x0 < b->x1 - eps && b->x0 < a->x1 - eps &&
	       a->y0 < b->y1 - eps && b->y0 < a->y1 - eps;
}

void sm_fig_free(struct sm_fig *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nitems; i++)
		free(f->items[i].pts);
	for (size_t i = 0; i < f->ntexts; i++)
		sm_fig_text_release(&f->texts[i]);
	free(f->items);
	free(f->texts);
	free(f->page_item);
	free(f->page_text);
	free(f->page_used);
	sm_text_free(f->text);
	sm_fonts_free(f->fonts);
	sm_style_free(f->style);
	free(f);
}

/* The style's fonts must all be among the loaded files: its family in
 * regular, bold and italic, each fallback family (a comma-separated list)
 * in regular. */
static sm_status require_fonts(struct sm_ctx *ctx, struct sm_fig *f)
{
	static const int faces[][2] = { { 0, 0 }, { 1, 0 }, { 0, 1 } };
	for (int i = 0; i < 3; i++) {
		sm_status s = sm_fonts_require(ctx, f->fonts, f->style->family, faces[i][0],
					       faces[i][1]);
		if (s != SM_OK)
			return s;
	}
	char *list = strdup(f->style->fallback);
	if (!list)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	sm_status s = SM_OK;
	for (char *p = list, *next; s == SM_OK && p; p = next) {
		next = strchr(p, ',');
		if (next)
			*next++ = '\0';
		p += strspn(p, " ");
		size_t n = strlen(p);
		while (n > 0 && p[n - 1] == ' ')
			p[--n] = '\0';
		if (n > 0)
			s = sm_fonts_require(ctx, f->fonts, p, 0, 0);
	}
	free(list);
	return s;
}

struct sm_fig *sm_fig_new(struct sm_ctx *ctx, const char *style)
{
	struct sm_fig *f = calloc(1, sizeof *f);
	if (!f) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	if (!(f->style = sm_style_load(ctx, style)) ||
	    !(f->fonts = sm_fonts_new_home_with(ctx, f->style->font_files)) ||
	    require_fonts(ctx, f) != SM_OK || !(f->text = sm_text_new(ctx, f->fonts)) ||
	    sm_text_set_fallback(ctx, f->text, f->style->fallback) != SM_OK) {
		sm_fig_free(f);
		return NULL;
	}
	return f;
}

sm_status sm_fig_width(struct sm_ctx *ctx, const struct sm_fig *f, const char *width,
		       double min_mm, double *pt)
{
	*pt = f->style->width;
	if (width)
		return sm_style_width(ctx, width, min_mm, pt);
	return sm_style_width_check(ctx, *pt, min_mm);
}

struct sm_tstyle sm_fig_role(const struct sm_fig *f, enum sm_fig_role role)
{
	const struct sm_style *s = f->style;
	struct sm_tstyle t = { .family = s->family, .size = s->size };
	switch (role) {
	case SM_FR_BOLD: t.bold = 1; break;
	case SM_FR_SMALL: t.size = s->small; break;
	case SM_FR_SMALL_BOLD: t.size = s->small, t.bold = 1; break;
	case SM_FR_TITLE: t.size = s->title, t.bold = 1; break;
	case SM_FR_ITALIC: t.italic = 1; break;
	default: break;
	}
	return t;
}

sm_status sm_fig_measure(struct sm_ctx *ctx, struct sm_fig *f, const struct sm_tstyle *st,
			 const char *utf8, struct sm_extent *ext)
{
	return sm_text_measure(ctx, f->text, st, utf8, ext);
}

static int grow(void **arr, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 1;
	size_t nc = *cap ? *cap * 2 : 32;
	void *p = sm_realloc_array(*arr, nc, size);
	if (!p)
		return 0;
	*arr = p;
	*cap = nc;
	return 1;
}

sm_status sm_fig_put_text(struct sm_ctx *ctx, struct sm_fig *f, const struct sm_tstyle *st,
			  const char *utf8, double x, double y, struct sm_rgb colour,
			  int tag, int ref, struct sm_fig_text **out)
{
	struct sm_extent e;
	const struct sm_tentry *kept = NULL;
	sm_status s = sm_text_measure_kept(ctx, f->text, st, utf8, &e, &kept);
	if (s != SM_OK)
		return s;
	/* A kept text is the cache's copy: no string of its own. */
	char *copy = kept ? (char *)sm_text_kept_text(kept) : strdup(utf8);
	if (!copy || !grow((void **)&f->texts, &f->cap_texts, f->ntexts, sizeof *f->texts)) {
		if (!kept)
			free(copy);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	struct sm_fig_text *t = &f->texts[f->ntexts++];
	*t = (struct sm_fig_text){ .box = { x + e.left, y, x + e.left + e.width, y + e.height },
				   .ox = x, .oy = y, .text = copy, .st = *st, .colour = colour,
				   .tag = tag, .ref = ref, .page = f->page, .kept = kept };
	f->finished = 0;
	if (out)
		*out = t;
	return SM_OK;
}

sm_status sm_fig_put_aligned(struct sm_ctx *ctx, struct sm_fig *f, const struct sm_tstyle *st,
			     const char *utf8, double x, double y, int align, unsigned at,
			     int tag, int ref)
{
	struct sm_extent e = { 0 };
	sm_status s = sm_text_measure(ctx, f->text, st, utf8, &e);
	if (s != SM_OK)
		return s;
	double ox = align < 0 ? x : align == 0 ? x - e.width / 2 : x - e.width;
	if (at & SM_FIG_AT_INK)
		ox -= e.left;
	double oy = at & SM_FIG_AT_VMID ? y - e.height / 2 : y;
	return sm_fig_put_text(ctx, f, st, utf8, ox, oy, f->style->c_text, tag, ref, NULL);
}

struct sm_fig_item *sm_fig_add(struct sm_ctx *ctx, struct sm_fig *f, enum sm_fig_kind kind)
{
	if (!grow((void **)&f->items, &f->cap_items, f->nitems, sizeof *f->items)) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	struct sm_fig_item *it = &f->items[f->nitems++];
	*it = (struct sm_fig_item){ .kind = kind, .lw = 0.5, .stroke = 1, .page = f->page };
	f->finished = 0;
	return it;
}

struct sm_fig_item *sm_fig_add_poly(struct sm_ctx *ctx, struct sm_fig *f, enum sm_fig_kind kind,
				    const double *xy, size_t n)
{
	double *pts = sm_alloc_array(n * 2, sizeof *pts);
	if (!pts) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	memcpy(pts, xy, n * 2 * sizeof *pts);
	struct sm_fig_item *it = sm_fig_add(ctx, f, kind);
	if (!it) {
		free(pts);
		return NULL;
	}
	it->pts = pts;
	it->npts = n;
	return it;
}

void sm_fig_set_page(struct sm_fig *f, int page)
{
	f->page = page;
	if (page + 1 > f->npages)
		f->npages = page + 1;
}

/* Stable merge sort of the items by (page, layer): a layout adds items row
 * by row, and the order within a layer is the order of painting. */
static int item_before(const struct sm_fig_item *a, const struct sm_fig_item *b)
{
	return a->page != b->page ? a->page < b->page : a->layer < b->layer;
}

static void merge_items(struct sm_fig_item *v, struct sm_fig_item *tmp, size_t n)
{
	if (n < 2)
		return;
	size_t h = n / 2;
	merge_items(v, tmp, h);
	merge_items(v + h, tmp, n - h);
	size_t i = 0, j = h, k = 0;
	while (i < h && j < n)
		tmp[k++] = item_before(&v[j], &v[i]) ? v[j++] : v[i++];
	while (i < h)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof *v);
}

static int items_sorted(const struct sm_fig *f)
{
	for (size_t i = 1; i < f->nitems; i++)
		if (item_before(&f->items[i], &f->items[i - 1]))
			return 0;
	return 1;
}

/* Items in painting order.  A layout adds them page by page, so usually
 * only the layers within each page are out of order: then each page is
 * sorted on its own with scratch room for the largest page, not for the
 * whole figure (at 10^5 studies that was 35 MB on top of the items). */
static int sort_items(struct sm_fig *f)
{
	size_t most = 0, from = 0;
	int by_page = 1;
	for (size_t i = 1; i <= f->nitems; i++) {
		if (i < f->nitems && f->items[i].page < f->items[i - 1].page)
			by_page = 0;
		if (i == f->nitems || f->items[i].page != f->items[from].page) {
			most = i - from > most ? i - from : most;
			from = i;
		}
	}
	if (!by_page)
		most = f->nitems;
	if (most == 0)
		return 1;
	struct sm_fig_item *tmp = sm_alloc_array(most, sizeof *tmp);
	if (!tmp)
		return 0;
	if (!by_page) {
		merge_items(f->items, tmp, f->nitems);
	} else {
		from = 0;
		for (size_t i = 1; i <= f->nitems; i++)
			if (i == f->nitems || f->items[i].page != f->items[from].page) {
				merge_items(f->items + from, tmp, i - from);
				from = i;
			}
	}
	free(tmp);
	return 1;
}

/* Texts in painting order: by page, and within a page those painted
 * before the items first. */
static int text_before(const struct sm_fig_text *a, const struct sm_fig_text *b)
{
	return a->page != b->page ? a->page < b->page : a->before_items > b->before_items;
}

static int texts_sorted(const struct sm_fig *f)
{
	for (size_t i = 1; i < f->ntexts; i++)
		if (text_before(&f->texts[i], &f->texts[i - 1]))
			return 0;
	return 1;
}

/* Texts in painting order, stable (counting sort on the page number and
 * before_items). */
static int sort_texts(struct sm_fig *f)
{
	struct sm_fig_text *tmp = sm_alloc_array(f->ntexts, sizeof *tmp);
	if (!tmp)
		return 0;
	size_t k = 0;
	for (int p = 0; p < f->npages; p++)
		for (int early = 1; early >= 0; early--)
			for (size_t i = 0; i < f->ntexts; i++)
				if (f->texts[i].page == p && !f->texts[i].before_items == !early)
					tmp[k++] = f->texts[i];
	memcpy(f->texts, tmp, f->ntexts * sizeof *tmp);
	free(tmp);
	return 1;
}

sm_status sm_fig_set_page_used(struct sm_ctx *ctx, struct sm_fig *f, int page, double h)
{
	if (page >= f->npages)
		f->npages = page + 1;
	double *u = sm_realloc_array(f->page_used, (size_t)f->npages, sizeof *u);
	if (!u)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	/* pages not recorded yet use all of their height */
	for (int p = 0; p < f->npages; p++)
		if (!f->page_used || p >= f->npages_used)
			u[p] = -1;
	f->page_used = u;
	f->npages_used = f->npages;
	f->page_used[page] = h;
	return SM_OK;
}

double sm_fig_page_used(const struct sm_fig *f, int page)
{
	if (f->page_used && page >= 0 && page < f->npages_used && f->page_used[page] >= 0)
		return f->page_used[page];
	return f->height;
}

sm_status sm_fig_finish(struct sm_ctx *ctx, struct sm_fig *f)
{
	if (f->finished)
		return SM_OK;
	if (f->npages < 1)
		f->npages = 1;
	for (size_t i = 0; i < f->nitems; i++)
		if (f->items[i].page >= f->npages)
			f->npages = f->items[i].page + 1;
	for (size_t i = 0; i < f->ntexts; i++)
		if (f->texts[i].page >= f->npages)
			f->npages = f->texts[i].page + 1;
	if (!items_sorted(f) && !sort_items(f))
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	if (!texts_sorted(f) && !sort_texts(f))
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	free(f->page_item);
	free(f->page_text);
	f->page_item = sm_alloc_array((size_t)f->npages + 1, sizeof *f->page_item);
	f->page_text = sm_alloc_array((size_t)f->npages + 1, sizeof *f->page_text);
	if (!f->page_item || !f->page_text)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	size_t i = 0, t = 0;
	for (int p = 0; p <= f->npages; p++) {
		while (i < f->nitems && f->items[i].page < p)
			i++;
		while (t < f->ntexts && f->texts[t].page < p)
			t++;
		f->page_item[p] = i;
		f->page_text[p] = t;
	}
	f->page_item[f->npages] = f->nitems;
	f->page_text[f->npages] = f->ntexts;
	f->finished = 1;
	return SM_OK;
}

static void rounded_rect(cairo_t *cr, const struct sm_fig_item *it)
{
	double x0 = it->x0, y0 = it->y0, x1 = it->x1, y1 = it->y1;
	double r = fmin(it->r, fmin(x1 - x0, y1 - y0) / 2);
	if (r <= 0) {
		cairo_rectangle(cr, x0, y0, x1 - x0, y1 - y0);
		return;
	}
	cairo_new_sub_path(cr);
	cairo_arc(cr, x1 - r, y0 + r, r, -M_PI / 2, 0);
	cairo_arc(cr, x1 - r, y1 - r, r, 0, M_PI / 2);
	cairo_arc(cr, x0 + r, y1 - r, r, M_PI / 2, M_PI);
	cairo_arc(cr, x0 + r, y0 + r, r, M_PI, 1.5 * M_PI);
	cairo_close_path(cr);
}

static void marker_path(cairo_t *cr, const struct sm_fig_item *it)
{
	double x = it->x0, y = it->y0, s = it->r;
	switch (it->marker) {
	case SM_MK_SQUARE:
		cairo_rectangle(cr, x - s * 0.88, y - s * 0.88, s * 1.76, s * 1.76);
		break;
	case SM_MK_TRIANGLE:
	case SM_MK_TRIANGLE_DOWN: {
		double d = it->marker == SM_MK_TRIANGLE ? 1 : -1;
		cairo_move_to(cr, x, y - d * s * 1.15);
		cairo_line_to(cr, x + s * 1.1, y + d * s * 0.75);
		cairo_line_to(cr, x - s * 1.1, y + d * s * 0.75);
		cairo_close_path(cr);
		break;
	}
	case SM_MK_DIAMOND:
		cairo_move_to(cr, x, y - s * 1.2);
		cairo_line_to(cr, x + s * 1.2, y);
		cairo_line_to(cr, x, y + s * 1.2);
		cairo_line_to(cr, x - s * 1.2, y);
		cairo_close_path(cr);
		break;
	default:
		cairo_new_sub_path(cr);
		cairo_arc(cr, x, y, s, 0, 2 * M_PI);
		cairo_close_path(cr);
		break;
	}
}

static void arrow_head(cairo_t *cr, const struct sm_fig_item *it, int grey)
{
	double dx = it->x1 - it->x0, dy = it->y1 - it->y0;
	double len = hypot(dx, dy);
	if (len <= 0)
		return;
	double ux = dx / len, uy = dy / len, h = it->r > 0 ? it->r : 4;
	cairo_move_to(cr, it->x1, it->y1);
	cairo_line_to(cr, it->x1 - ux * h - uy * h * 0.4, it->y1 - uy * h + ux * h * 0.4);
	cairo_line_to(cr, it->x1 - ux * h + uy * h * 0.4, it->y1 - uy * h - ux * h * 0.4);
	cairo_close_path(cr);
	struct sm_rgb c = grey ? sm_rgb_grey(it->sc) : it->sc;
	cairo_set_source_rgb(cr, c.r, c.g, c.b);
	cairo_fill(cr);
}

static int same_rgb(struct sm_rgb a, struct sm_rgb b)
{
	return a.r == b.r && a.g == b.g && a.b == b.b;
}

/* The colour of the source, set only when it changes: setting it again
 * would make cairo build a new source for every text of a long page.
 * With `grey` (a greyscale style) every colour is drawn as its luma. */
struct brush {
	cairo_t *cr;
	struct sm_rgb c;
	int set;
	int grey;
	/* Scratch room for kept texts drawn on a thread of their own
	 * (sm_fig_page_draw), which must not use the engine; NULL: the
	 * engine's own.  `failed`: such a text could not be drawn. */
	struct sm_tglyphs *buf;
	int may_shape; /* with buf: a text that is not kept may be shaped */
	int failed;    /* what stopped a text (SM_FIG_PAGE_OOM, _SHAPES), else 0 */
	/* With buf, on a PDF: kept texts are shown in batches
	 * (sm_text_batch_kept), flushed before anything else is drawn. */
	int batch;
};

static void brush_flush(struct brush *b)
{
	if (b->batch)
		sm_text_batch_flush(b->buf, b->cr);
}

static void brush_colour(struct brush *b, struct sm_rgb c)
{
	if (b->grey)
		c = sm_rgb_grey(c);
	if (b->set && same_rgb(b->c, c))
		return;
	brush_flush(b);
	cairo_set_source_rgb(b->cr, c.r, c.g, c.b);
	b->c = c;
	b->set = 1;
}

/* Fill and/or stroke the current path as the item says. */
static void paint(struct brush *br, const struct sm_fig_item *it)
{
	cairo_t *cr = br->cr;
	if (it->fill) {
		brush_colour(br, it->fc);
		if (it->stroke)
			cairo_fill_preserve(cr);
		else
			cairo_fill(cr);
	}
	if (it->stroke) {
		if (it->dash > 0) {
			double d[1] = { it->dash };
			cairo_set_dash(cr, d, 1, 0);
		}
		cairo_set_line_width(cr, it->lw);
		brush_colour(br, it->sc);
		cairo_stroke(cr);
		if (it->dash > 0)
			cairo_set_dash(cr, NULL, 0, 0);
	}
	cairo_new_path(cr);
}

/* Items of one batch: the same batch value and the same paint. */
static int same_paint(const struct sm_fig_item *a, const struct sm_fig_item *b)
{
	return a->batch && a->batch == b->batch && a->fill == b->fill &&
	       a->stroke == b->stroke &&
	       (!a->fill || same_rgb(a->fc, b->fc)) &&
	       (!a->stroke || (same_rgb(a->sc, b->sc) && a->lw == b->lw && a->dash == b->dash));
}

/* Add the item's outline to the current path; 0 for the kinds that paint
 * or change state themselves (arrows, clips). */
static int add_path(cairo_t *cr, const struct sm_fig_item *it)
{
	switch (it->kind) {
	case SM_FIG_LINE:
		cairo_move_to(cr, it->x0, it->y0);
		cairo_line_to(cr, it->x1, it->y1);
		return 1;
	case SM_FIG_RECT:
		rounded_rect(cr, it);
		return 1;
	case SM_FIG_CIRCLE:
		cairo_new_sub_path(cr);
		cairo_arc(cr, it->x0, it->y0, it->r, 0, 2 * M_PI);
		cairo_close_path(cr);
		return 1;
	case SM_FIG_MARKER:
		marker_path(cr, it);
		return 1;
	case SM_FIG_POLY:
	case SM_FIG_PATH:
		for (size_t i = 0; i < it->npts; i++)
			(i ? cairo_line_to : cairo_move_to)(cr, it->pts[2 * i], it->pts[2 * i + 1]);
		if (it->kind == SM_FIG_POLY)
			cairo_close_path(cr);
		return 1;
	default:
		return 0;
	}
}

static void draw_arrow(struct brush *br, const struct sm_fig_item *it)
{
	cairo_t *cr = br->cr;
	/* Stop the shaft inside the head so that the tip stays sharp. */
	double dx = it->x1 - it->x0, dy = it->y1 - it->y0, len = hypot(dx, dy);
	double h = (it->r > 0 ? it->r : 4) * 0.8;
	double t = len > h ? (len - h) / len : 0;
	cairo_move_to(cr, it->x0, it->y0);
	cairo_line_to(cr, it->x0 + dx * t, it->y0 + dy * t);
	paint(br, it);
	arrow_head(cr, it, br->grey);
	br->set = 0; /* arrow_head set the source itself */
}

/* Paint items [from, to): batches as one path each. */
static void draw_items(struct brush *br, const struct sm_fig_item *items, size_t from, size_t to)
{
	cairo_t *cr = br->cr;
	int depth = 0;
	for (size_t i = from; i < to; i++) {
		const struct sm_fig_item *it = &items[i];
		if (it->kind == SM_FIG_UNCLIP) {
			if (depth == 0)
				continue; /* unbalanced: never restore the caller's state */
			depth--;
			cairo_restore(cr);
			br->set = 0;
			continue;
		}
		if (it->kind == SM_FIG_CLIP) {
			depth++;
			cairo_save(cr);
			cairo_rectangle(cr, it->x0, it->y0, it->x1 - it->x0, it->y1 - it->y0);
			cairo_clip(cr);
			continue;
		}
		if (it->kind == SM_FIG_ARROW) {
			draw_arrow(br, it);
			continue;
		}
		add_path(cr, it);
		while (i + 1 < to && same_paint(it, &items[i + 1]) && add_path(cr, &items[i + 1]))
			i++;
		paint(br, it);
	}
	while (depth-- > 0)
		cairo_restore(cr);
}

static void draw_text(const struct sm_fig *f, struct brush *br, const struct sm_fig_text *t)
{
	brush_colour(br, t->colour);
	if (t->kept && br->batch && sm_text_batch_kept(br->buf, br->cr, t->kept, t->ox, t->oy))
		return;
	if (t->kept && !br->batch &&
	    (br->buf ? sm_text_draw_kept_with(br->buf, br->cr, t->kept, t->ox, t->oy)
		     : sm_text_draw_kept(f->text, br->cr, t->kept, t->ox, t->oy)))
		return;
	brush_flush(br);
	if (br->buf && !br->may_shape) {
		br->failed = t->kept ? SM_FIG_PAGE_OOM : SM_FIG_PAGE_SHAPES;
		return;
	}
	sm_text_draw(f->text, br->cr, &t->st, t->text, t->ox, t->oy);
}

/* Paint items and texts, each in painting order, at (x, y): texts marked
 * before_items, the items, the other texts. */
static void draw_lists(const struct sm_fig *f, struct brush *br, const struct sm_fig_item *items,
		       size_t nitems, const struct sm_fig_text *texts, size_t ntexts, double x,
		       double y)
{
	cairo_t *cr = br->cr;
	cairo_save(cr);
	cairo_translate(cr, x, y);
	cairo_new_path(cr);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
	size_t i = 0;
	for (; i < ntexts && texts[i].before_items; i++)
		draw_text(f, br, &texts[i]);
	brush_flush(br);
	draw_items(br, items, 0, nitems);
	br->set = 0;
	for (; i < ntexts; i++)
		draw_text(f, br, &texts[i]);
	brush_flush(br);
	cairo_restore(cr);
}

static void draw_page(const struct sm_fig *f, cairo_t *cr, int page, double x, double y,
		      int with_texts)
{
	if (!f->finished || page < 0 || page >= f->npages)
		return;
	/* On a PDF the engine's kept texts are shown in batches too (the
	 * same file, fewer cairo calls); other targets get one call a run. */
	int batch = cairo_surface_has_show_text_glyphs(cairo_get_target(cr));
	struct brush br = { .cr = cr, .grey = f->style && f->style->greyscale,
			    .buf = batch ? sm_text_glyphs(f->text) : NULL, .may_shape = 1,
			    .batch = batch };
	size_t t0 = f->page_text[page], t1 = with_texts ? f->page_text[page + 1] : t0;
	size_t i0 = f->page_item[page], i1 = f->page_item[page + 1];
	draw_lists(f, &br, f->items ? f->items + i0 : NULL, i1 - i0,
		   f->texts ? f->texts + t0 : NULL, t1 - t0, x, y);
}

void sm_fig_page_free(struct sm_fig_page *pg)
{
	if (!pg)
		return;
	for (size_t i = 0; i < pg->nitems; i++)
		free(pg->items[i].pts);
	for (size_t i = 0; i < pg->ntexts; i++)
		sm_fig_text_release(&pg->texts[i]);
	free(pg->items);
	free(pg->texts);
	free(pg);
}

struct sm_fig_page *sm_fig_take_page(struct sm_ctx *ctx, struct sm_fig *f)
{
	struct sm_fig_page *pg = calloc(1, sizeof *pg);
	size_t ni = f->nitems, nt = f->ntexts;
	if (pg) {
		pg->items = sm_alloc_array(ni ? ni : 1, sizeof *pg->items);
		pg->texts = sm_alloc_array(nt ? nt : 1, sizeof *pg->texts);
	}
	if (!pg || !pg->items || !pg->texts) {
		if (pg) {
			free(pg->items);
			free(pg->texts);
		}
		free(pg);
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	pg->page = f->page;
	/* The items in painting order (stable by layer, as sm_fig_finish
	 * sorts a page), sorted in place with the page's array as scratch. */
	merge_items(f->items, pg->items, ni);
	memcpy(pg->items, f->items, ni * sizeof *pg->items);
	pg->nitems = ni;
	for (int early = 1; early >= 0; early--)
		for (size_t i = 0; i < nt; i++)
			if (!f->texts[i].before_items == !early)
				pg->texts[pg->ntexts++] = f->texts[i];
	for (size_t i = 0; i < nt; i++)
		pg->shapes |= !pg->texts[i].kept;
	/* Strings and points now belong to the page. */
	f->nitems = 0;
	f->ntexts = 0;
	return pg;
}

int sm_fig_page_draw(const struct sm_fig *f, cairo_t *cr, const struct sm_fig_page *pg,
		     struct sm_tglyphs *buf, int may_shape)
{
	struct brush br = { .cr = cr, .grey = f->style && f->style->greyscale, .buf = buf,
			    .may_shape = may_shape,
			    .batch = buf && cairo_surface_has_show_text_glyphs(cairo_get_target(cr)) };
	draw_lists(f, &br, pg->items, pg->nitems, pg->texts, pg->ntexts, 0, 0);
	return br.failed;
}

void sm_fig_draw(const struct sm_fig *f, cairo_t *cr, int page, double x, double y)
{
	draw_page(f, cr, page, x, y, 1);
}

void sm_fig_draw_items(const struct sm_fig *f, cairo_t *cr, int page, double x, double y)
{
	draw_page(f, cr, page, x, y, 0);
}

sm_status sm_fig_draw_page(struct sm_ctx *ctx, struct sm_canvas *c, struct sm_fig *f, int page,
			   double x, double y)
{
	if (sm_fig_finish(ctx, f) != SM_OK)
		return SM_EINTERNAL;
	if (page < 0 || page >= f->npages)
		return SM_FAIL(ctx, SM_EINTERNAL, "figure page %d does not exist", page);
	cairo_t *cr = sm_canvas_cr(c);
	sm_fig_draw(f, cr, page, x, y);
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		return SM_FAIL(ctx, SM_EINTERNAL, "cannot draw the figure: %s",
			       cairo_status_to_string(cairo_status(cr)));
	return SM_OK;
}

sm_status sm_fig_draw_on(struct sm_ctx *ctx, struct sm_canvas *c, struct sm_fig *f, double x,
			 double y)
{
	return sm_fig_draw_page(ctx, c, f, 0, x, y);
}

/* The highest whole dpi (at most `dpi`) at which a w x h pt raster fits
 * SM_PNG_MAX_PX a side; 0 when not even 1 dpi does. */
static double fitting_dpi(double w, double h, double dpi)
{
	double d = floor(dpi);
	double side = fmax(w, h);
	if (sm_canvas_px(side, d) <= SM_PNG_MAX_PX)
		return dpi;
	d = floor(SM_PNG_MAX_PX * 72.0 / side);
	while (d >= 1 && sm_canvas_px(side, d) > SM_PNG_MAX_PX)
		d--;
	return d >= 1 ? d : 0;
}

sm_status sm_fig_write_with(struct sm_ctx *ctx, struct sm_fig *f, const char *path,
			    const struct sm_fig_write_opts *opts)
{
	if (sm_fig_finish(ctx, f) != SM_OK)
		return SM_EINTERNAL;
	enum sm_canvas_format fmt;
	if (sm_canvas_format_of(ctx, path, &fmt) != SM_OK)
		return SM_EINPUT;
	if (fmt == SM_CANVAS_SVG && f->style && f->style->svg_text)
		return sm_svg_text_write(ctx, f, path);
	struct sm_canvas_opts co = { .dpi = opts->dpi > 0 ? opts->dpi : 300,
				     .cmyk = f->style && f->style->cmyk,
				     .cmyk_profile = f->style ? f->style->cmyk_profile : NULL,
				     .pixels = opts->pixels };
	if (opts->fit && sm_canvas_is_raster(fmt)) {
		double fit = fitting_dpi(f->width, f->height, co.dpi);
		if (fit > 0 && fit < co.dpi) {
			sm_ctx_warn(ctx, "%.0f x %.0f mm is too large for a %s at %g dpi (at most "
				    "%d px a side): drawn at %g dpi (the PDF and SVG have it in "
				    "full)", f->width / SM_PT_PER_MM, f->height / SM_PT_PER_MM,
				    fmt == SM_CANVAS_TIFF ? "TIFF" : "PNG", co.dpi, SM_PNG_MAX_PX,
				    fit);
			co.dpi = fit;
		}
	}
	struct sm_canvas *c = sm_canvas_open_with(ctx, path, f->width, f->height, &co);
	if (!c)
		return sm_ctx_status(ctx, SM_EOUTPUT);
	int pages = sm_canvas_format(c) == SM_CANVAS_PDF ? f->npages : 1;
	for (int p = 0; p < pages; p++) {
		if ((p > 0 && sm_canvas_next_page(ctx, c) != SM_OK) ||
		    (f->opaque && (sm_canvas_paint_white(c), 0)) ||
		    sm_fig_draw_page(ctx, c, f, p, 0, 0) != SM_OK) {
			sm_canvas_abort(c);
			return sm_ctx_status(ctx, SM_EINTERNAL);
		}
	}
	return sm_canvas_close(ctx, c);
}

sm_status sm_fig_write(struct sm_ctx *ctx, struct sm_fig *f, const char *path, double dpi)
{
	struct sm_fig_write_opts o = { .dpi = dpi };
	return sm_fig_write_with(ctx, f, path, &o);
}

struct sm_rgb sm_fig_rgb(unsigned hex)
{
	struct sm_rgb c = { ((hex >> 16) & 255) / 255.0, ((hex >> 8) & 255) / 255.0,
			    (hex & 255) / 255.0 };
	return c;
}

struct sm_rgb sm_fig_palette(int i)
{
	/* Okabe-Ito, most distinct first; black last. */
	static const unsigned hex[] = { 0x0072B2, 0xD55E00, 0x009E73, 0xCC79A7,
					0xE69F00, 0x56B4E9, 0xF0E442, 0x000000 };
	int n = (int)(sizeof hex / sizeof hex[0]);
	return sm_fig_rgb(hex[((i % n) + n) % n]);
}
