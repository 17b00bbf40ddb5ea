/*
 * sm_text_cache.h -- shaped text kept between measuring and drawing (private
 * to sm_text.c).
 *
 * A figure measures each piece of text two or three times while it lays
 * itself out, then draws it once; each time Pango itemises, shapes and
 * breaks the text again, which was most of the time of a 10,000-study forest
 * plot.  The cache keeps, per style and text, the extent and the shaped runs
 * (glyphs and their positions in the layout), so that text is shaped once
 * and drawn from the runs.
 *
 * An entry is one block (key, runs, glyphs, clusters) holding what cairo
 * needs to show the text and nothing of Pango's item structures: at 10^5
 * studies the cache held ~600,000 texts.  Texts with a glyph no font has
 * (drawn as a box by Pango) or a font cairo cannot draw are not kept.
 *
 * Ownership: the cache owns its entries, their keys and their runs; lookups
 * return borrowed entries, valid until sm_tcache_free().  Once the entries
 * hold about SM_TCACHE_MAX_BYTES, new texts are no longer kept (they are
 * shaped again when drawn), so memory stays bounded for any figure.
 */
#ifndef SM_TEXT_CACHE_H
#define SM_TEXT_CACHE_H

#include "sm_text.h"

#include <cairo.h>
#include <pango/pango.h>
#include <stdint.h>

#define SM_TCACHE_MAX_BYTES (96u << 20)

/* One glyph of a kept run: its index and its offset from the run's origin
 * in Pango units (the advances of the glyphs before it plus its own
 * offset), so that drawing computes the very doubles Pango's renderer
 * would. */
struct sm_tglyph {
	uint32_t index;
	int32_t x, y;
};

/* One shaped run of one font, with its left edge and baseline in Pango
 * units from the top left of the layout.  Its glyphs are the drawable ones
 * (Pango's empty glyphs left out); clusters map them to the bytes
 * text[off .. off + len) as cairo wants them for PDF text, NULL when every
 * cluster is one byte and one glyph (plain ASCII; built when drawn). */
struct sm_trun {
	PangoFont *font;            /* a reference */
	cairo_scaled_font_t *sf;    /* the font's, borrowed */
	const struct sm_tglyph *g;
	const cairo_text_cluster_t *cl;
	int nglyphs, nclusters;
	int off, len;
	int backward;
	int x, baseline;
};

struct sm_tentry {
	const char *text; /* the text, inside the key */
	struct sm_extent ext;
	const struct sm_trun *runs;
	size_t nruns;
};

struct sm_tcache;

struct sm_tcache *sm_tcache_new(void);
void sm_tcache_free(struct sm_tcache *c);

/* The entry of (style, text), or NULL. */
const struct sm_tentry *sm_tcache_find(struct sm_tcache *c, const struct sm_tstyle *st,
				       const char *utf8);

/* Keep the extent and the runs of `layout`, which holds `utf8` set in
 * style `st`.  Returns the new entry, or NULL when it is not kept (cache
 * full, out of memory): callers then simply shape again. */
const struct sm_tentry *sm_tcache_add(struct sm_tcache *c, const struct sm_tstyle *st,
				      const char *utf8, const struct sm_extent *ext,
				      PangoLayout *layout);

/* Keep a text of one run of `font` whose glyphs were put together without
 * a layout (sm_text_fast.h): glyphs g[0..n) (offsets as in struct
 * sm_tglyph), one byte and one glyph per cluster, the run at x = 0 on
 * `baseline` (Pango units).  What sm_tcache_add() keeps of a layout that
 * shaped the text the same way.  NULL when not kept. */
const struct sm_tentry *sm_tcache_add_run(struct sm_tcache *c, const struct sm_tstyle *st,
					  const char *utf8, const struct sm_extent *ext,
					  PangoFont *font, const struct sm_tglyph *g, int n,
					  int baseline);

#endif
