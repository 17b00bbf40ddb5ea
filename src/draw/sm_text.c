#include "sm_text.h"

#include "sm_text_cache.h"
#include "sm_text_fast.h"

#include "sm_buf.h"

#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

struct sm_text {
	struct sm_fonts *fonts; /* borrowed: the figure owns both, fonts longer */
	PangoContext *pctx;
	PangoLayout *layout;
	struct sm_tcache *cache;
	struct sm_tfast *fast; /* texts measured without a layout */
	int fast_on;
	size_t nfast;      /* texts measured so */
	/* The style the layout is set up for: most texts in a row share one,
	 * and setting it again would make Pango redo its font lookups. */
	struct sm_tstyle set;
	char *set_family; /* owned copy of set.family */
	int has_set;
	char *fallback;   /* families after every text's own */
	/* Texts named in warnings about missing glyphs, and the character:
	 * a text measured again (another width) or a part of it (a word the
	 * layout tries on its own) is not named again. */
	char *warned[SM_TEXT_MAX_GLYPH_WARNINGS];
	gunichar warned_char[SM_TEXT_MAX_GLYPH_WARNINGS];
	int glyph_warnings;
	/* Kept texts drawn through the engine are drawn from these. */
	struct sm_tglyphs buf;
};

void sm_text_free(struct sm_text *t)
{
	if (!t)
		return;
	sm_tcache_free(t->cache);
	sm_tfast_free(t->fast);
	sm_tglyphs_release(&t->buf);
	free(t->set_family);
	free(t->fallback);
	for (int i = 0; i < t->glyph_warnings && i < SM_TEXT_MAX_GLYPH_WARNINGS; i++)
		free(t->warned[i]);
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
	t->cache = sm_tcache_new();
	t->fast = sm_tfast_new();
	t->fast_on = 1;
	t->fallback = strdup(SM_FONTS_FALLBACK);
	t->fonts = fonts;
	t->pctx = pango_font_map_create_context(sm_fonts_map(fonts));
	if (t->pctx) {
		pango_cairo_context_set_font_options(t->pctx, fo);
		pango_cairo_context_set_resolution(t->pctx, 72.0);
		pango_context_set_round_glyph_positions(t->pctx, FALSE);
		t->layout = pango_layout_new(t->pctx);
	}
	cairo_font_options_destroy(fo);
	if (t->pctx)
		/* Han characters follow the family list, never the language of
		 * the environment; a fixed language keeps the itemiser's choice
		 * of fontsets fixed too. */
		pango_context_set_language(t->pctx, pango_language_from_string("en"));
	if (!t->layout || !t->cache || !t->fast || !t->fallback) {
		sm_text_free(t);
		SM_FAIL(ctx, SM_EINTERNAL, "cannot create a text layout");
		return NULL;
	}
	return t;
}

sm_status sm_text_set_fallback(struct sm_ctx *ctx, struct sm_text *t, const char *families)
{
	char *copy = strdup(families ? families : "");
	if (!copy)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	free(t->fallback);
	for (int i = 0; i < t->glyph_warnings && i < SM_TEXT_MAX_GLYPH_WARNINGS; i++)
		free(t->warned[i]);
	t->fallback = copy;
	t->has_set = 0;
	sm_tfast_reset(t->fast); /* other fonts may set the same characters */
	return SM_OK;
}

void sm_text_set_fast(struct sm_text *t, int on)
{
	t->fast_on = on != 0;
}

size_t sm_text_fast_count(const struct sm_text *t)
{
	return t->nfast;
}

char *sm_text_families(const struct sm_text *t, const char *family)
{
	/* A family that already ends with the fallbacks (the forest names them
	 * itself) is not given them twice. */
	size_t nf = strlen(family), nb = strlen(t->fallback);
	if (!nb || (nf >= nb && !strcmp(family + nf - nb, t->fallback)))
		return strdup(family);
	return sm_asprintf("%s, %s", family, t->fallback);
}

static int same_style(const struct sm_text *t, const struct sm_tstyle *st)
{
	const struct sm_tstyle *a = &t->set;
	return t->has_set && st->family && !strcmp(t->set_family, st->family) &&
	       a->size == st->size && a->bold == st->bold && a->italic == st->italic &&
	       a->tabular == st->tabular && a->wrap == st->wrap &&
	       a->ellipsize == st->ellipsize && a->align == st->align;
}

static void remember_style(struct sm_text *t, const struct sm_tstyle *st)
{
	free(t->set_family);
	t->set_family = st->family ? strdup(st->family) : NULL;
	t->set = *st;
	t->has_set = t->set_family != NULL;
}

static void set_style(struct sm_text *t, const struct sm_tstyle *st)
{
	PangoFontDescription *fd = pango_font_description_new();
	char *families = sm_text_families(t, st->family);
	pango_font_description_set_family(fd, families ? families : st->family);
	free(families);
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
}

static void setup(struct sm_text *t, const struct sm_tstyle *st, const char *utf8)
{
	if (!same_style(t, st)) {
		set_style(t, st);
		remember_style(t, st);
	}
	pango_layout_set_text(t->layout, utf8, -1);
}

/* As setup; a text with a character the fonts read so far lack has the
 * external fonts read (once) and is laid out again with them.  Every text
 * is measured before it is drawn, so drawing needs no such check. */
static sm_status setup_measured(struct sm_ctx *ctx, struct sm_text *t,
				const struct sm_tstyle *st, const char *utf8)
{
	setup(t, st, utf8);
	int added = 0;
	if (pango_layout_get_unknown_glyphs_count(t->layout) > 0) {
		sm_status s = sm_fonts_load_external(ctx, t->fonts, &added);
		if (s != SM_OK)
			return s;
	}
	if (added) {
		pango_layout_context_changed(t->layout);
		sm_tfast_reset(t->fast);
	}
	return SM_OK;
}

/* A text that is not kept is drawn run by run at the positions its layout
 * gave, through Pango's renderer; a kept one (draw_kept_run) gets the same
 * cairo calls from its kept glyphs, so it looks the same either way
 * (tests/draw/test_text.c compares their pixels, test_fig.c their PDF). */
static void draw_run(cairo_t *cr, const char *text, PangoGlyphItem *glyphs, double x,
		     double y, int run_x, int baseline)
{
	cairo_move_to(cr, x + (double)run_x / PANGO_SCALE, y + (double)baseline / PANGO_SCALE);
	pango_cairo_show_glyph_item(cr, text, glyphs);
}

static void draw_layout(cairo_t *cr, PangoLayout *layout, double x, double y)
{
	const char *text = pango_layout_get_text(layout);
	PangoLayoutIter *it = pango_layout_get_iter(layout);
	do {
		PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);
		if (!run)
			continue;
		PangoRectangle logical;
		pango_layout_iter_get_run_extents(it, NULL, &logical);
		draw_run(cr, text, run, x, y, logical.x, pango_layout_iter_get_baseline(it));
	} while (pango_layout_iter_next_run(it));
	pango_layout_iter_free(it);
}

/* The first character of the laid-out text that no loaded font has (Pango
 * draws it as a box: an "unknown glyph" holding the code point). */
static gunichar first_missing(PangoLayout *layout)
{
	gunichar c = 0;
	PangoLayoutIter *it = pango_layout_get_iter(layout);
	do {
		PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);
		for (int i = 0; run && !c && i < run->glyphs->num_glyphs; i++) {
			PangoGlyph g = run->glyphs->glyphs[i].glyph;
			if (g & PANGO_GLYPH_UNKNOWN_FLAG)
				c = g & ~PANGO_GLYPH_UNKNOWN_FLAG;
		}
	} while (!c && pango_layout_iter_next_run(it));
	pango_layout_iter_free(it);
	return c;
}

static void warn_missing(struct sm_ctx *ctx, struct sm_text *t, const char *utf8)
{
	gunichar c = first_missing(t->layout);
	int n = t->glyph_warnings < SM_TEXT_MAX_GLYPH_WARNINGS ? t->glyph_warnings
							       : SM_TEXT_MAX_GLYPH_WARNINGS;
	for (int i = 0; i < n; i++)
		if (t->warned_char[i] == c && strstr(t->warned[i], utf8))
			return;
	if (t->glyph_warnings > SM_TEXT_MAX_GLYPH_WARNINGS)
		return;
	if (t->glyph_warnings == SM_TEXT_MAX_GLYPH_WARNINGS) {
		t->glyph_warnings++;
		sm_ctx_warn(ctx, "more texts have characters no font has; only the first %d "
			    "are named", SM_TEXT_MAX_GLYPH_WARNINGS);
		return;
	}
	t->warned[n] = strdup(utf8);
	if (!t->warned[n])
		return;
	t->warned_char[n] = c;
	t->glyph_warnings++;
	/* The text as given, cut at a character boundary. */
	const char *end = utf8;
	for (int k = 0; *end && k < 60; k++)
		end = g_utf8_next_char(end);
	sm_ctx_warn(ctx, "no font has the character U+%04X in \"%.*s%s\"; it is drawn as a "
		    "box (expected characters of the fonts in fonts/, fonts/external-fonts.txt "
		    "or the style's font.file)", (unsigned)c, (int)(end - utf8), utf8,
		    *end ? "..." : "");
}

sm_status sm_text_measure(struct sm_ctx *ctx, struct sm_text *t,
			  const struct sm_tstyle *st, const char *utf8,
			  struct sm_extent *ext)
{
	const struct sm_tentry *kept;
	return sm_text_measure_kept(ctx, t, st, utf8, ext, &kept);
}

/* A text of characters each checked (sm_text_fast.h) is put together
 * from their glyphs; 1 when it was, 0 when it takes the layout. */
static int measure_fast(struct sm_text *t, const struct sm_tstyle *st, const char *utf8,
			struct sm_extent *ext, const struct sm_tentry **kept)
{
	struct sm_tfast_style *fs = sm_tfast_style(t->fast, st);
	size_t len = 0;
	if (!fs)
		return 0;
	for (; utf8[len]; len++) {
		unsigned char c = (unsigned char)utf8[len];
		if (len == SM_TFAST_MAX_LEN)
			return 0;
		if (sm_tfast_char(fs, c) == SM_TFAST_UNKNOWN) {
			const char one[2] = { (char)c, 0 };
			setup(t, st, one);
			sm_tfast_admit(fs, c, t->layout);
		}
		if (sm_tfast_char(fs, c) != SM_TFAST_SAFE ||
		    (len > 0 && sm_tfast_pair(fs, (unsigned char)utf8[len - 1], c) != SM_TFAST_SAFE))
			return 0;
	}
	if (!len)
		return 0;
	struct sm_tglyph g[SM_TFAST_MAX_LEN];
	PangoFont *font;
	int baseline;
	sm_tfast_compose(fs, utf8, len, ext, g, &font, &baseline);
	*kept = sm_tcache_add_run(t->cache, st, utf8, ext, font, g, (int)len, baseline);
	t->nfast++;
	return 1;
}

sm_status sm_text_measure_kept(struct sm_ctx *ctx, struct sm_text *t,
			       const struct sm_tstyle *st, const char *utf8,
			       struct sm_extent *ext, const struct sm_tentry **kept)
{
	const struct sm_tentry *hit = sm_tcache_find(t->cache, st, utf8);
	*kept = hit;
	if (hit) {
		*ext = hit->ext;
		return SM_OK;
	}
	if (t->fast_on && measure_fast(t, st, utf8, ext, kept))
		return SM_OK;
	/* Pango would print a warning and draw boxes for bad bytes. */
	if (!g_utf8_validate(utf8, -1, NULL))
		return SM_FAIL(ctx, SM_EINPUT, "text is not valid UTF-8: \"%.40s\"; "
			       "expected UTF-8 labels", utf8);
	sm_status s = setup_measured(ctx, t, st, utf8);
	if (s != SM_OK)
		return s;
	PangoRectangle logical;
	pango_layout_get_extents(t->layout, NULL, &logical);
	ext->width = (double)logical.width / PANGO_SCALE;
	ext->height = (double)logical.height / PANGO_SCALE;
	ext->baseline = (double)pango_layout_get_baseline(t->layout) / PANGO_SCALE;
	ext->lines = pango_layout_get_line_count(t->layout);
	ext->left = (double)logical.x / PANGO_SCALE;
	if (pango_layout_get_unknown_glyphs_count(t->layout) > 0)
		warn_missing(ctx, t, utf8);
	/* not kept: shaped again when drawn */
	*kept = sm_tcache_add(t->cache, st, utf8, ext, t->layout);
	return SM_OK;
}

PangoLayout *sm_text_layout(struct sm_text *t, const struct sm_tstyle *st, const char *utf8)
{
	setup(t, st, utf8);
	return t->layout;
}

/* Room for n items in a scratch array. */
static int reserve(void **v, size_t *cap, size_t n, size_t size)
{
	if (n <= *cap)
		return 1;
	size_t nc = *cap ? *cap : 64;
	while (nc < n)
		nc *= 2;
	void *p = sm_realloc_array(*v, nc, size);
	if (!p)
		return 0;
	*v = p;
	*cap = nc;
	return 1;
}

/* A kept run, shown as Pango's cairo renderer shows it (the same glyph
 * positions from the same current point, the same clusters), without
 * shaping state or a save/restore per run: cairo records the same
 * operation. */
static void place_glyphs(cairo_glyph_t *out, cairo_t *cr, const struct sm_trun *r, double x,
			 double y)
{
	double bx, by;
	cairo_move_to(cr, x + (double)r->x / PANGO_SCALE, y + (double)r->baseline / PANGO_SCALE);
	cairo_get_current_point(cr, &bx, &by);
	for (int i = 0; i < r->nglyphs; i++) {
		const struct sm_tglyph *g = &r->g[i];
		out[i] = (cairo_glyph_t){ g->index, bx + (double)g->x / PANGO_SCALE,
					  g->y == 0 ? by : by + (double)g->y / PANGO_SCALE };
	}
}

static void draw_kept_run(struct sm_tglyphs *b, cairo_t *cr, const char *text,
			  const struct sm_trun *r, double x, double y, int with_clusters)
{
	const cairo_text_cluster_t *cl = r->cl ? r->cl : b->ones;
	place_glyphs(b->glyphs, cr, r, x, y);
	cairo_set_scaled_font(cr, r->sf);
	if (with_clusters)
		cairo_show_text_glyphs(cr, text + r->off, r->len, b->glyphs, r->nglyphs, cl,
				       r->nclusters, r->backward ? CAIRO_TEXT_CLUSTER_FLAG_BACKWARD
								 : 0);
	else
		cairo_show_glyphs(cr, b->glyphs, r->nglyphs);
}

void sm_text_draw(struct sm_text *t, cairo_t *cr, const struct sm_tstyle *st,
		  const char *utf8, double x, double y)
{
	const struct sm_tentry *hit = sm_tcache_find(t->cache, st, utf8);
	if (hit && sm_text_draw_kept(t, cr, hit, x, y))
		return;
	setup(t, st, utf8);
	draw_layout(cr, t->layout, x, y);
}

const char *sm_text_kept_text(const struct sm_tentry *e)
{
	return e->text;
}

void sm_tglyphs_release(struct sm_tglyphs *b)
{
	free(b->glyphs);
	free(b->ones);
	free(b->bglyphs);
	free(b->bclusters);
	free(b->butf8);
	*b = (struct sm_tglyphs){ 0 };
}

struct sm_tglyphs *sm_text_glyphs(struct sm_text *t)
{
	return &t->buf;
}

int sm_text_draw_kept(struct sm_text *t, cairo_t *cr, const struct sm_tentry *e, double x,
		      double y)
{
	return sm_text_draw_kept_with(&t->buf, cr, e, x, y);
}

/* Scratch room for a run of n glyphs drawn by draw_kept_run(). */
static int room_for_run(struct sm_tglyphs *b, size_t n)
{
	size_t had = b->cap_ones;
	if (!reserve((void **)&b->glyphs, &b->cap_glyphs, n, sizeof *b->glyphs) ||
	    !reserve((void **)&b->ones, &b->cap_ones, n, sizeof *b->ones))
		return 0;
	for (size_t i = had; i < b->cap_ones; i++)
		b->ones[i] = (cairo_text_cluster_t){ 1, 1 };
	return 1;
}

int sm_text_draw_kept_with(struct sm_tglyphs *b, cairo_t *cr, const struct sm_tentry *e,
			   double x, double y)
{
	/* Vector surfaces that keep text (PDF) get it with its clusters, as
	 * Pango gives it them; rasters only the glyphs. */
	int clusters = cairo_surface_has_show_text_glyphs(cairo_get_target(cr));
	size_t most = 0;
	for (size_t i = 0; i < e->nruns; i++)
		if ((size_t)e->runs[i].nglyphs > most)
			most = (size_t)e->runs[i].nglyphs;
	if (!room_for_run(b, most))
		return 0;
	for (size_t i = 0; i < e->nruns; i++)
		draw_kept_run(b, cr, e->text, &e->runs[i], x, y, clusters);
	return 1;
}

void sm_text_batch_flush(struct sm_tglyphs *b, cairo_t *cr)
{
	if (b->nbglyphs > 0) {
		cairo_set_scaled_font(cr, b->batch_sf);
		cairo_show_text_glyphs(cr, b->butf8, (int)b->nbutf8, b->bglyphs,
				       (int)b->nbglyphs, b->bclusters, (int)b->nbclusters, 0);
	}
	b->nbglyphs = b->nbclusters = b->nbutf8 = 0;
	b->batch_sf = NULL;
}

/* Room for one more run in the batch. */
static int batch_room(struct sm_tglyphs *b, const struct sm_trun *r)
{
	return reserve((void **)&b->bglyphs, &b->cap_bglyphs, b->nbglyphs + (size_t)r->nglyphs,
		       sizeof *b->bglyphs) &&
	       reserve((void **)&b->bclusters, &b->cap_bclusters,
		       b->nbclusters + (size_t)r->nclusters, sizeof *b->bclusters) &&
	       reserve((void **)&b->butf8, &b->cap_butf8, b->nbutf8 + (size_t)r->len,
		       sizeof *b->butf8);
}

/* A run shown on its own, then, as draw_kept_run() shows it: a backward
 * one (its clusters count from the run's end, so it cannot follow
 * another's) or one of more glyphs than an int of a call can count. */
static int batchable(const struct sm_tglyphs *b, const struct sm_trun *r)
{
	const size_t most = 1u << 20;
	return !r->backward && b->nbglyphs + (size_t)r->nglyphs < most &&
	       b->nbutf8 + (size_t)r->len < most;
}

int sm_text_batch_kept(struct sm_tglyphs *b, cairo_t *cr, const struct sm_tentry *e, double x,
		       double y)
{
	for (size_t i = 0; i < e->nruns; i++) {
		const struct sm_trun *r = &e->runs[i];
		if (r->sf != b->batch_sf || !batchable(b, r))
			sm_text_batch_flush(b, cr);
		if (!batchable(b, r)) {
			if (!room_for_run(b, (size_t)r->nglyphs))
				return 0;
			draw_kept_run(b, cr, e->text, r, x, y, 1);
			continue;
		}
		if (!batch_room(b, r)) {
			sm_text_batch_flush(b, cr);
			return 0;
		}
		b->batch_sf = r->sf;
		place_glyphs(b->bglyphs + b->nbglyphs, cr, r, x, y);
		b->nbglyphs += (size_t)r->nglyphs;
		if (r->cl) {
			memcpy(b->bclusters + b->nbclusters, r->cl,
			       (size_t)r->nclusters * sizeof *r->cl);
		} else {
			for (int k = 0; k < r->nclusters; k++)
				b->bclusters[b->nbclusters + (size_t)k] =
					(cairo_text_cluster_t){ 1, 1 };
		}
		b->nbclusters += (size_t)r->nclusters;
		memcpy(b->butf8 + b->nbutf8, e->text + r->off, (size_t)r->len);
		b->nbutf8 += (size_t)r->len;
	}
	return 1;
}
