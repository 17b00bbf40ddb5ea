#include "sm_fig.h"

#include "sm_buf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
		free(f->texts[i].text);
	free(f->items);
	free(f->texts);
	sm_text_free(f->text);
	sm_fonts_free(f->fonts);
	sm_style_free(f->style);
	free(f);
}

/* The style's fonts must all be among the bundled files. */
static sm_status require_fonts(struct sm_ctx *ctx, struct sm_fig *f)
{
	static const int faces[][2] = { { 0, 0 }, { 1, 0 }, { 0, 1 } };
	for (int i = 0; i < 3; i++) {
		sm_status s = sm_fonts_require(ctx, f->fonts, f->style->family, faces[i][0],
					       faces[i][1]);
		if (s != SM_OK)
			return s;
	}
	return sm_fonts_require(ctx, f->fonts, f->style->fallback, 0, 0);
}

struct sm_fig *sm_fig_new(struct sm_ctx *ctx, const char *style)
{
	struct sm_fig *f = calloc(1, sizeof *f);
	if (!f) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	if (!(f->style = sm_style_load(ctx, style)) || !(f->fonts = sm_fonts_new_home(ctx)) ||
	    require_fonts(ctx, f) != SM_OK || !(f->text = sm_text_new(ctx, f->fonts))) {
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
	sm_status s = sm_text_measure(ctx, f->text, st, utf8, &e);
	if (s != SM_OK)
		return s;
	char *copy = strdup(utf8);
	if (!copy || !grow((void **)&f->texts, &f->cap_texts, f->ntexts, sizeof *f->texts)) {
		free(copy);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	struct sm_fig_text *t = &f->texts[f->ntexts++];
	*t = (struct sm_fig_text){ .box = { x + e.left, y, x + e.left + e.width, y + e.height },
				   .ox = x, .oy = y, .text = copy, .st = *st, .colour = colour,
				   .tag = tag, .ref = ref };
	if (out)
		*out = t;
	return SM_OK;
}

struct sm_fig_item *sm_fig_add(struct sm_ctx *ctx, struct sm_fig *f, enum sm_fig_kind kind)
{
	if (!grow((void **)&f->items, &f->cap_items, f->nitems, sizeof *f->items)) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	struct sm_fig_item *it = &f->items[f->nitems++];
	*it = (struct sm_fig_item){ .kind = kind, .lw = 0.5, .stroke = 1 };
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

static void arrow_head(cairo_t *cr, const struct sm_fig_item *it)
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
	cairo_set_source_rgb(cr, it->sc.r, it->sc.g, it->sc.b);
	cairo_fill(cr);
}

static void paint(cairo_t *cr, const struct sm_fig_item *it)
{
	if (it->fill) {
		cairo_set_source_rgb(cr, it->fc.r, it->fc.g, it->fc.b);
		if (it->stroke)
			cairo_fill_preserve(cr);
		else
			cairo_fill(cr);
	}
	if (it->stroke) {
		double d[1] = { it->dash };
		cairo_set_dash(cr, d, it->dash > 0 ? 1 : 0, 0);
		cairo_set_line_width(cr, it->lw);
		cairo_set_source_rgb(cr, it->sc.r, it->sc.g, it->sc.b);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
	}
	cairo_new_path(cr);
}

static void draw_item(cairo_t *cr, const struct sm_fig_item *it)
{
	switch (it->kind) {
	case SM_FIG_LINE:
		cairo_move_to(cr, it->x0, it->y0);
		cairo_line_to(cr, it->x1, it->y1);
		break;
	case SM_FIG_ARROW: {
		/* Stop the shaft inside the head so that the tip stays sharp. */
		double dx = it->x1 - it->x0, dy = it->y1 - it->y0, len = hypot(dx, dy);
		double h = (it->r > 0 ? it->r : 4) * 0.8;
		double t = len > h ? (len - h) / len : 0;
		cairo_move_to(cr, it->x0, it->y0);
		cairo_line_to(cr, it->x0 + dx * t, it->y0 + dy * t);
		paint(cr, it);
		arrow_head(cr, it);
		return;
	}
	case SM_FIG_RECT:
		rounded_rect(cr, it);
		break;
	case SM_FIG_CIRCLE:
		cairo_new_sub_path(cr);
		cairo_arc(cr, it->x0, it->y0, it->r, 0, 2 * M_PI);
		cairo_close_path(cr);
		break;
	case SM_FIG_MARKER:
		marker_path(cr, it);
		break;
	case SM_FIG_POLY:
	case SM_FIG_PATH:
		for (size_t i = 0; i < it->npts; i++)
			(i ? cairo_line_to : cairo_move_to)(cr, it->pts[2 * i], it->pts[2 * i + 1]);
		if (it->kind == SM_FIG_POLY)
			cairo_close_path(cr);
		break;
	case SM_FIG_CLIP:
		cairo_save(cr);
		cairo_rectangle(cr, it->x0, it->y0, it->x1 - it->x0, it->y1 - it->y0);
		cairo_clip(cr);
		return;
	case SM_FIG_UNCLIP:
		cairo_restore(cr);
		return;
	}
	paint(cr, it);
}

void sm_fig_draw(const struct sm_fig *f, cairo_t *cr, double x, double y)
{
	cairo_save(cr);
	cairo_translate(cr, x, y);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
	int depth = 0;
	for (size_t i = 0; i < f->nitems; i++) {
		const struct sm_fig_item *it = &f->items[i];
		if (it->kind == SM_FIG_UNCLIP && depth == 0)
			continue; /* unbalanced: never restore the caller's state */
		depth += it->kind == SM_FIG_CLIP ? 1 : it->kind == SM_FIG_UNCLIP ? -1 : 0;
		draw_item(cr, it);
	}
	while (depth-- > 0)
		cairo_restore(cr);
	for (size_t i = 0; i < f->ntexts; i++) {
		const struct sm_fig_text *t = &f->texts[i];
		cairo_set_source_rgb(cr, t->colour.r, t->colour.g, t->colour.b);
		sm_text_draw(f->text, cr, &t->st, t->text, t->ox, t->oy);
	}
	cairo_restore(cr);
}

sm_status sm_fig_draw_on(struct sm_ctx *ctx, struct sm_canvas *c, const struct sm_fig *f,
			 double x, double y)
{
	cairo_t *cr = sm_canvas_cr(c);
	sm_fig_draw(f, cr, x, y);
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		return SM_FAIL(ctx, SM_EINTERNAL, "cannot draw the figure: %s",
			       cairo_status_to_string(cairo_status(cr)));
	return SM_OK;
}

sm_status sm_fig_write(struct sm_ctx *ctx, const struct sm_fig *f, const char *path,
		       double dpi)
{
	struct sm_canvas *c = sm_canvas_open(ctx, path, f->width, f->height, dpi > 0 ? dpi : 300);
	if (!c)
		return sm_ctx_error(ctx) ? sm_ctx_error(ctx)->code : SM_EOUTPUT;
	if (sm_fig_draw_on(ctx, c, f, 0, 0) != SM_OK) {
		sm_canvas_abort(c);
		return SM_EINTERNAL;
	}
	return sm_canvas_close(ctx, c);
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

double sm_fig_num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

const char *sm_fig_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}
