#include "sm_text.h"

#include <pango/pangocairo.h>
#include <stdlib.h>

struct sm_text {
	PangoContext *pctx;
	PangoLayout *layout;
};

void sm_text_free(struct sm_text *t)
{
	if (!t)
		return;
	if (t->layout)
		g_object_unref(t->layout);
	if (t->pctx)
		g_object_unref(t->pctx);
	free(t);
}

struct sm_text *sm_text_new(struct sm_ctx *ctx, struct sm_fonts *fonts)
{
	struct sm_text *t = calloc(1, sizeof *t);
	cairo_font_options_t *fo = cairo_font_options_create();
	if (!t || cairo_font_options_status(fo) != CAIRO_STATUS_SUCCESS) {
		free(t);
		cairo_font_options_destroy(fo);
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	/* Hinted metrics would differ between the PNG raster and the vector
	 * formats and between resolutions; outlines only, everywhere. */
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	t->pctx = pango_font_map_create_context(sm_fonts_map(fonts));
	if (t->pctx) {
		pango_cairo_context_set_font_options(t->pctx, fo);
		pango_cairo_context_set_resolution(t->pctx, 72.0);
		pango_context_set_round_glyph_positions(t->pctx, FALSE);
		t->layout = pango_layout_new(t->pctx);
	}
	cairo_font_options_destroy(fo);
	if (!t->layout) {
		sm_text_free(t);
		SM_FAIL(ctx, SM_EINTERNAL, "cannot create a text layout");
		return NULL;
	}
	return t;
}

static void setup(struct sm_text *t, const struct sm_tstyle *st, const char *utf8)
{
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, st->family);
	pango_font_description_set_absolute_size(fd, st->size * PANGO_SCALE);
	pango_font_description_set_weight(fd, st->bold ? PANGO_WEIGHT_BOLD
						     : PANGO_WEIGHT_NORMAL);
	pango_font_description_set_style(fd, st->italic ? PANGO_STYLE_ITALIC
						      : PANGO_STYLE_NORMAL);
	pango_layout_set_font_description(t->layout, fd);
	pango_font_description_free(fd);

	PangoAttrList *attrs = pango_attr_list_new();
	if (st->tabular)
		pango_attr_list_insert(attrs, pango_attr_font_features_new("tnum 1"));
	pango_layout_set_attributes(t->layout, attrs);
	pango_attr_list_unref(attrs);

	double width = st->wrap > 0 ? st->wrap : st->ellipsize;
	pango_layout_set_width(t->layout, width > 0 ? (int)(width * PANGO_SCALE) : -1);
	pango_layout_set_wrap(t->layout, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_ellipsize(t->layout, st->ellipsize > 0 && st->wrap <= 0
					   ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
	PangoAlignment al = st->align == SM_ALIGN_RIGHT ? PANGO_ALIGN_RIGHT
			    : st->align == SM_ALIGN_CENTER ? PANGO_ALIGN_CENTER
							   : PANGO_ALIGN_LEFT;
	pango_layout_set_alignment(t->layout, al);
	pango_layout_set_text(t->layout, utf8, -1);
}

sm_status sm_text_measure(struct sm_ctx *ctx, struct sm_text *t,
			  const struct sm_tstyle *st, const char *utf8,
			  struct sm_extent *ext)
{
	/* Pango would print a warning and draw boxes for bad bytes. */
	if (!g_utf8_validate(utf8, -1, NULL))
		return SM_FAIL(ctx, SM_EINPUT, "text is not valid UTF-8: \"%.40s\"; "
			       "expected UTF-8 labels", utf8);
	setup(t, st, utf8);
	PangoRectangle logical;
	pango_layout_get_extents(t->layout, NULL, &logical);
	ext->width = (double)logical.width / PANGO_SCALE;
	ext->height = (double)logical.height / PANGO_SCALE;
	ext->baseline = (double)pango_layout_get_baseline(t->layout) / PANGO_SCALE;
	ext->lines = pango_layout_get_line_count(t->layout);
	ext->left = (double)logical.x / PANGO_SCALE;
	return SM_OK;
}

void sm_text_draw(struct sm_text *t, cairo_t *cr, const struct sm_tstyle *st,
		  const char *utf8, double x, double y)
{
	setup(t, st, utf8);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, t->layout);
}
