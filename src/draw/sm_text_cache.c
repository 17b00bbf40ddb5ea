#include "sm_text_cache.h"

#include "sm_buf.h"

#include <glib.h>
#include <pango/pangocairo.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A key is the style's bytes, the number of its family (families are few
 * and long, "Liberation Sans, DejaVu Sans, ..."; spelt out they were half
 * of each key) and the text: two keys are equal exactly when style and
 * text are. */
struct tkey {
	const char *data;
	size_t len;
	guint hash;
};

struct tslot {
	struct tkey key; /* data inside the slot's block */
	struct sm_tentry e;
};

struct sm_tcache {
	GHashTable *map; /* struct tkey * -> struct tslot *, keys inside the slots */
	struct sm_buf scratch;
	size_t bytes;    /* what the entries hold, roughly */
	char **families; /* owned copies; a key holds the index */
	size_t nfamilies;
};

static guint key_hash(gconstpointer p)
{
	return ((const struct tkey *)p)->hash;
}

static gboolean key_equal(gconstpointer a, gconstpointer b)
{
	const struct tkey *x = a, *y = b;
	return x->len == y->len && !memcmp(x->data, y->data, x->len);
}

/* A slot is one block; its runs hold references to their fonts. */
static void slot_free(gpointer p)
{
	struct tslot *s = p;
	for (size_t i = 0; i < s->e.nruns; i++)
		g_object_unref(s->e.runs[i].font);
	free(s);
}

struct sm_tcache *sm_tcache_new(void)
{
	struct sm_tcache *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	sm_buf_init(&c->scratch);
	c->map = g_hash_table_new_full(key_hash, key_equal, NULL, slot_free);
	return c;
}

void sm_tcache_free(struct sm_tcache *c)
{
	if (!c)
		return;
	g_hash_table_destroy(c->map);
	sm_buf_release(&c->scratch);
	for (size_t i = 0; i < c->nfamilies; i++)
		free(c->families[i]);
	free(c->families);
	free(c);
}

/* A multiply-xorshift hash eight bytes at a time (keys are 40-80 bytes:
 * the style, the family list, the text); byte-wise FNV-1a was 3 % of a
 * 10^5-study forest.  Only the table's layout depends on it, never the
 * output. */
static guint key_hash_of(const char *p, size_t n)
{
	const uint64_t m = 0x9E3779B97F4A7C15u;
	uint64_t h = n * m;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		h = (h ^ w) * m;
		h ^= h >> 29;
	}
	uint64_t w = 0;
	memcpy(&w, p + i, n - i);
	h = (h ^ w) * m;
	h ^= h >> 32;
	return (guint)h;
}

/* The number of a family, added when new; -1 when out of memory. */
static int64_t family_id(struct sm_tcache *c, const char *family)
{
	for (size_t i = 0; i < c->nfamilies; i++)
		if (!strcmp(c->families[i], family))
			return (int64_t)i;
	char **v = sm_realloc_array(c->families, c->nfamilies + 1, sizeof *v);
	if (!v)
		return -1;
	c->families = v;
	if (!(v[c->nfamilies] = strdup(family)))
		return -1;
	return (int64_t)c->nfamilies++;
}

/* The key of (st, utf8) in c->scratch; *text_off is where the text starts. */
static int make_key(struct sm_tcache *c, const struct sm_tstyle *st, const char *utf8,
		    struct tkey *k, size_t *text_off)
{
	int64_t fam = family_id(c, st->family ? st->family : "");
	if (fam < 0)
		return -1;
	uint32_t fam32 = (uint32_t)fam;
	struct sm_buf *b = &c->scratch;
	sm_buf_reset(b);
	sm_buf_append(b, &st->size, sizeof st->size);
	sm_buf_append(b, &st->wrap, sizeof st->wrap);
	sm_buf_append(b, &st->ellipsize, sizeof st->ellipsize);
	sm_buf_putc(b, (char)((st->bold != 0) | (st->italic != 0) << 1 |
			      (st->tabular != 0) << 2 | (int)st->align << 3));
	sm_buf_append(b, &fam32, sizeof fam32);
	*text_off = b->len;
	sm_buf_puts(b, utf8);
	if (b->failed)
		return -1;
	k->data = b->data;
	k->len = b->len;
	k->hash = key_hash_of(b->data, b->len);
	return 0;
}

const struct sm_tentry *sm_tcache_find(struct sm_tcache *c, const struct sm_tstyle *st,
				       const char *utf8)
{
	struct tkey k;
	size_t off;
	if (make_key(c, st, utf8, &k, &off) != 0)
		return NULL;
	struct tslot *s = g_hash_table_lookup(c->map, &k);
	return s ? &s->e : NULL;
}

/* What one layout run becomes: counted first, then written into the
 * entry's block. */
struct run_plan {
	PangoGlyphItem *gi;
	int x, baseline;
	int nglyphs, nclusters, simple;
};

/* Count the drawable glyphs and the clusters of a run, as Pango's cairo
 * renderer does; 0 when the run is not kept (a glyph no font has, a font
 * cairo cannot draw). */
static int plan_run(struct run_plan *p, PangoGlyphItem *gi, const char *text)
{
	PangoGlyphString *gs = gi->glyphs;
	p->gi = gi;
	p->nglyphs = 0;
	for (int i = 0; i < gs->num_glyphs; i++) {
		PangoGlyph g = gs->glyphs[i].glyph;
		if (g & PANGO_GLYPH_UNKNOWN_FLAG)
			return 0;
		if (g != PANGO_GLYPH_EMPTY)
			p->nglyphs++;
	}
	PangoFont *font = gi->item->analysis.font;
	if (!PANGO_IS_CAIRO_FONT(font))
		return 0;
	cairo_scaled_font_t *sf = pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(font));
	if (!sf || cairo_scaled_font_status(sf) != CAIRO_STATUS_SUCCESS)
		return 0;
	p->nclusters = 0;
	p->simple = 1;
	PangoGlyphItemIter it;
	if (pango_glyph_item_iter_init_start(&it, gi, text)) {
		do {
			int bytes = it.end_index - it.start_index;
			int glyphs = it.end_glyph - it.start_glyph;
			if (glyphs < 0)
				glyphs = -glyphs;
			if (bytes != 1 || glyphs != 1)
				p->simple = 0;
			p->nclusters++;
		} while (pango_glyph_item_iter_next_cluster(&it));
	}
	if (p->nclusters != p->nglyphs || (gi->item->analysis.level & 1))
		p->simple = 0;
	return 1;
}

/* Write the glyphs and clusters of a planned run. */
static void fill_run(struct sm_trun *r, const struct run_plan *p, const char *text,
		     struct sm_tglyph *g, cairo_text_cluster_t *cl)
{
	PangoGlyphItem *gi = p->gi;
	PangoGlyphString *gs = gi->glyphs;
	int backward = (gi->item->analysis.level & 1) != 0;
	int xpos = 0, n = 0;
	for (int i = 0; i < gs->num_glyphs; i++) {
		const PangoGlyphInfo *info = &gs->glyphs[i];
		if (info->glyph != PANGO_GLYPH_EMPTY)
			g[n++] = (struct sm_tglyph){ info->glyph, xpos + info->geometry.x_offset,
						     info->geometry.y_offset };
		xpos += info->geometry.width;
	}
	if (!p->simple) {
		/* The clusters as Pango's renderer counts them: bytes and glyphs
		 * of each, the empty glyphs not counted. */
		int k = 0;
		PangoGlyphItemIter it;
		if (pango_glyph_item_iter_init_start(&it, gi, text)) {
			do {
				int bytes = it.end_index - it.start_index;
				int glyphs = backward ? it.start_glyph - it.end_glyph
						      : it.end_glyph - it.start_glyph;
				int lo = it.start_glyph < it.end_glyph + 1 ? it.start_glyph
									   : it.end_glyph + 1;
				int hi = it.start_glyph + 1 > it.end_glyph ? it.start_glyph + 1
									   : it.end_glyph;
				for (int i = lo; i < hi; i++)
					if (gs->glyphs[i].glyph == PANGO_GLYPH_EMPTY)
						glyphs--;
				cl[k++] = (cairo_text_cluster_t){ bytes, glyphs };
			} while (pango_glyph_item_iter_next_cluster(&it));
		}
	}
	PangoFont *font = gi->item->analysis.font;
	*r = (struct sm_trun){ .font = g_object_ref(font),
			       .sf = pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(font)),
			       .g = g, .cl = p->simple ? NULL : cl, .nglyphs = p->nglyphs,
			       .nclusters = p->nclusters, .off = gi->item->offset,
			       .len = gi->item->length, .backward = backward, .x = p->x,
			       .baseline = p->baseline };
}

/* The runs of a layout, planned; -1 when one is not kept or out of
 * memory. */
static int plan_runs(PangoLayout *layout, const char *text, struct run_plan **out, size_t *n)
{
	struct run_plan *v = NULL;
	size_t cap = 0, k = 0;
	int rc = 0;
	PangoLayoutIter *it = pango_layout_get_iter(layout);
	do {
		PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);
		if (!run) /* the end of a line */
			continue;
		if (k == cap) {
			size_t nc = cap ? 2 * cap : 2;
			struct run_plan *r = sm_realloc_array(v, nc, sizeof *r);
			if (!r) {
				rc = -1;
				break;
			}
			v = r;
			cap = nc;
		}
		PangoRectangle logical;
		pango_layout_iter_get_run_extents(it, NULL, &logical);
		v[k].x = logical.x;
		v[k].baseline = pango_layout_iter_get_baseline(it);
		if (!plan_run(&v[k], run, text)) {
			rc = -1;
			break;
		}
		k++;
	} while (pango_layout_iter_next_run(it));
	pango_layout_iter_free(it);
	if (rc != 0) {
		free(v);
		return -1;
	}
	*out = v;
	*n = k;
	return 0;
}

/* One allocation for an entry: the slot, `key_at - sizeof slot` bytes of
 * runs, glyphs and clusters for the caller to fill, then the key (which
 * holds the text).  Not in the table until slot_insert(). */
static struct tslot *slot_new(const struct tkey *k, size_t off, const struct sm_extent *ext,
			      size_t key_at)
{
	struct tslot *s = malloc(key_at + k->len + 1);
	if (!s)
		return NULL;
	char *data = (char *)s + key_at;
	memcpy(data, k->data, k->len + 1);
	s->key = (struct tkey){ data, k->len, k->hash };
	s->e.text = data + off;
	s->e.ext = *ext;
	return s;
}

static void slot_insert(struct sm_tcache *c, struct tslot *s)
{
	/* the key ends the block */
	size_t size = (size_t)(s->key.data - (const char *)s) + s->key.len + 1;
	c->bytes += size + 32; /* the allocation's and the table's overhead */
	g_hash_table_insert(c->map, &s->key, s);
}

const struct sm_tentry *sm_tcache_add(struct sm_tcache *c, const struct sm_tstyle *st,
				      const char *utf8, const struct sm_extent *ext,
				      PangoLayout *layout)
{
	struct tkey k;
	size_t off;
	if (c->bytes >= SM_TCACHE_MAX_BYTES || make_key(c, st, utf8, &k, &off) != 0)
		return NULL;
	struct tslot *s = g_hash_table_lookup(c->map, &k);
	if (s)
		return &s->e;
	const char *text = pango_layout_get_text(layout);
	struct run_plan *plan = NULL;
	size_t nruns = 0;
	if (plan_runs(layout, text, &plan, &nruns) != 0)
		return NULL;
	/* One block: the slot, the runs, the glyphs, the clusters, the key. */
	size_t ng = 0, nc = 0;
	for (size_t i = 0; i < nruns; i++) {
		ng += (size_t)plan[i].nglyphs;
		nc += plan[i].simple ? 0 : (size_t)plan[i].nclusters;
	}
	size_t runs_at = sizeof *s;
	size_t glyphs_at = runs_at + nruns * sizeof(struct sm_trun);
	size_t clusters_at = glyphs_at + ng * sizeof(struct sm_tglyph);
	size_t key_at = clusters_at + nc * sizeof(cairo_text_cluster_t);
	s = slot_new(&k, off, ext, key_at);
	if (!s) {
		free(plan);
		return NULL;
	}
	char *block = (char *)s;
	struct sm_trun *runs = (struct sm_trun *)(block + runs_at);
	struct sm_tglyph *g = (struct sm_tglyph *)(block + glyphs_at);
	cairo_text_cluster_t *cl = (cairo_text_cluster_t *)(block + clusters_at);
	for (size_t i = 0; i < nruns; i++) {
		fill_run(&runs[i], &plan[i], text, g, cl);
		g += plan[i].nglyphs;
		cl += plan[i].simple ? 0 : plan[i].nclusters;
	}
	s->e.runs = runs;
	s->e.nruns = nruns;
	free(plan);
	slot_insert(c, s);
	return &s->e;
}

const struct sm_tentry *sm_tcache_add_run(struct sm_tcache *c, const struct sm_tstyle *st,
					  const char *utf8, const struct sm_extent *ext,
					  PangoFont *font, const struct sm_tglyph *g, int n,
					  int baseline)
{
	struct tkey k;
	size_t off;
	if (c->bytes >= SM_TCACHE_MAX_BYTES || make_key(c, st, utf8, &k, &off) != 0)
		return NULL;
	struct tslot *s = g_hash_table_lookup(c->map, &k);
	if (s)
		return &s->e;
	/* The block sm_tcache_add() makes of a one-run layout. */
	size_t runs_at = sizeof *s;
	size_t glyphs_at = runs_at + sizeof(struct sm_trun);
	size_t key_at = glyphs_at + (size_t)n * sizeof(struct sm_tglyph);
	s = slot_new(&k, off, ext, key_at);
	if (!s)
		return NULL;
	char *block = (char *)s;
	struct sm_trun *run = (struct sm_trun *)(block + runs_at);
	struct sm_tglyph *gl = (struct sm_tglyph *)(block + glyphs_at);
	memcpy(gl, g, (size_t)n * sizeof *gl);
	*run = (struct sm_trun){ .font = g_object_ref(font),
				 .sf = pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(font)),
				 .g = gl, .cl = NULL, .nglyphs = n, .nclusters = n, .off = 0,
				 .len = n, .backward = 0, .x = 0, .baseline = baseline };
	s->e.runs = run;
	s->e.nruns = 1;
	slot_insert(c, s);
	return &s->e;
}
