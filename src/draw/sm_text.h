/*
 * sm_text.h -- setting text with Pango in physical units (1 unit = 1 pt).
 *
 * Every piece of text in a figure is measured with the same layout engine
 * that later draws it, so a layout computed before drawing holds exactly.
 * Metrics are device independent (no hinting, unrounded glyph positions):
 * PDF, SVG and PNG get the same positions.
 *
 * Each (style, text) is shaped once: its extent and glyph runs are kept
 * (sm_text_cache.h, bounded in size), so measuring again is a lookup and
 * drawing places the kept glyphs.  Text is always drawn run by run at the
 * positions its layout gave, cached or not.
 *
 * Fonts.  Every text is set in its family followed by the fallback
 * families (SM_FONTS_FALLBACK unless sm_text_set_fallback() says others),
 * so the font that draws a character depends only on that list and the
 * loaded files, never on the reader's language settings.  A character no
 * loaded font has is drawn as a box and named in a warning (U+XXXX and the
 * text it is in), once per text, at most SM_TEXT_MAX_GLYPH_WARNINGS times.
 *
 * Ownership: sm_text_new() borrows the font map (keep the sm_fonts alive
 * until sm_text_free(), which releases the Pango objects and the cache).
 * Strings passed in are borrowed and copied when kept.  One thread at a
 * time.
 */
#ifndef SM_TEXT_H
#define SM_TEXT_H

#include "sm_ctx.h"
#include "sm_fonts.h"

#include <cairo.h>
#include <pango/pango.h>
#include <stddef.h>

enum sm_align { SM_ALIGN_LEFT, SM_ALIGN_CENTER, SM_ALIGN_RIGHT };

/* How one piece of text is set. */
/* (Doubles first, then the ints: no padding, as every figure text holds
 * one.) */
struct sm_tstyle {
	const char *family;
	double size;   /* pt */
	double wrap;   /* > 0: wrap at this width (pt), words first */
	double ellipsize; /* > 0: cut with an ellipsis at this width (pt) */
	int bold;
	int italic;
	int tabular;   /* tabular figures, for columns of numbers */
	enum sm_align align; /* alignment of wrapped lines */
};

/* Logical box of a text (origin = top left) and its first baseline. */
struct sm_extent {
	double left;  /* where the box starts right of the origin (wrapped,
		       * centred or right-aligned lines) */
	double width;
	double height;
	double baseline;
	int lines;
};

struct sm_text;

#define SM_TEXT_MAX_GLYPH_WARNINGS 20

struct sm_text *sm_text_new(struct sm_ctx *ctx, struct sm_fonts *fonts);
void sm_text_free(struct sm_text *t);
/* The fallback families ("A, B"), copied; set before the first text. */
sm_status sm_text_set_fallback(struct sm_ctx *ctx, struct sm_text *t, const char *families);

/* Texts of printable ASCII whose shaping is provably their characters'
 * glyphs side by side are measured without a layout (sm_text_fast.h), with
 * the very numbers and glyphs Pango's layout gives; on by default.  Off:
 * every text is laid out (the tests compare both). */
void sm_text_set_fast(struct sm_text *t, int on);
/* How many texts were measured so. */
size_t sm_text_fast_count(const struct sm_text *t);

/* The family list a text of family `family` is set in ("family, fallback"),
 * as the SVG text writer names it; the caller frees it. */
char *sm_text_families(const struct sm_text *t, const char *family);

/* The layout of a text, set up as it is measured and drawn, for writers
 * that need its lines (sm_svg_text.c); valid until the next call on t. */
PangoLayout *sm_text_layout(struct sm_text *t, const struct sm_tstyle *st, const char *utf8);

/* Fails (SM_EINPUT) on text that is not valid UTF-8. */
sm_status sm_text_measure(struct sm_ctx *ctx, struct sm_text *t,
			  const struct sm_tstyle *st, const char *utf8,
			  struct sm_extent *ext);

/* A text as shaped and kept by sm_text_measure_kept(), drawn again without
 * looking it up; valid until sm_text_free(). */
struct sm_tentry;

/* As sm_text_measure; *kept receives the kept shaping of the text, or NULL
 * when it is not kept (then draw it with sm_text_draw). */
sm_status sm_text_measure_kept(struct sm_ctx *ctx, struct sm_text *t,
			       const struct sm_tstyle *st, const char *utf8,
			       struct sm_extent *ext, const struct sm_tentry **kept);

/* The text a kept shaping is of (NUL-terminated, valid as long as t). */
const char *sm_text_kept_text(const struct sm_tentry *e);

/* Draw a kept text with the top left of its logical box at (x, y), exactly
 * as sm_text_draw() draws it; 0 (nothing drawn) when out of memory. */
int sm_text_draw_kept(struct sm_text *t, cairo_t *cr, const struct sm_tentry *e, double x,
		      double y);

/* The scratch room drawing a kept text needs (the glyphs at their places,
 * one-byte-one-glyph clusters), grown as needed.  The engine has its own;
 * a thread that draws kept texts while another lays out with the engine
 * brings one of its own (sm_fig_pipe.h): a kept entry is never changed
 * or freed before sm_text_free(), so drawing from it needs nothing else of
 * the engine.  Zero-initialise; free with sm_tglyphs_release(). */
struct sm_tglyphs {
	cairo_glyph_t *glyphs;
	cairo_text_cluster_t *ones;
	size_t cap_glyphs, cap_ones;
	/* The batch (sm_text_batch_kept): glyphs of one scaled font not
	 * shown yet, their text and clusters. */
	cairo_scaled_font_t *batch_sf;
	cairo_glyph_t *bglyphs;
	cairo_text_cluster_t *bclusters;
	char *butf8;
	size_t nbglyphs, nbclusters, nbutf8;
	size_t cap_bglyphs, cap_bclusters, cap_butf8;
};
void sm_tglyphs_release(struct sm_tglyphs *b);

/* The engine's own scratch room, the one sm_text_draw_kept() uses: for
 * drawing (and batching) kept texts on the engine's thread. */
struct sm_tglyphs *sm_text_glyphs(struct sm_text *t);

/* Kept texts shown in batches, for a PDF: the runs of consecutive texts in
 * one scaled font are shown by one cairo_show_text_glyphs() call with the
 * same glyphs at the same places, the same text and clusters in the same
 * order, instead of one call per run.  cairo's PDF operators write glyphs
 * the same way whichever call brings them, and every cairo call has a
 * cost at each page's replay.  The caller flushes before anything else
 * changes the cairo state the texts are drawn in (the source, the path's
 * painting, the clip, a save or restore) and at the end; only for a target
 * with cairo_surface_has_show_text_glyphs().  0 (nothing added, the batch
 * flushed) when out of memory. */
int sm_text_batch_kept(struct sm_tglyphs *b, cairo_t *cr, const struct sm_tentry *e, double x,
		       double y);
void sm_text_batch_flush(struct sm_tglyphs *b, cairo_t *cr);

/* sm_text_draw_kept() with the scratch room `b`: touches neither the
 * engine nor Pango. */
int sm_text_draw_kept_with(struct sm_tglyphs *b, cairo_t *cr, const struct sm_tentry *e,
			   double x, double y);

/* Draw with the top left of the logical box at (x, y) in the current
 * colour; the text must have been measured (validated) before. */
void sm_text_draw(struct sm_text *t, cairo_t *cr, const struct sm_tstyle *st,
		  const char *utf8, double x, double y);

#endif
