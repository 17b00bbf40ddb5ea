#include "sm_text_cache.h"

#include "sm_buf.h"

#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A key is the style's bytes, the family, a NUL and the text: two keys are
 * equal exactly when style and text are. */
struct tkey {
	const char *data;
	size_t len;
	guint hash;
};

struct tslot {
	struct tkey key; /* data owned */
	struct sm_tentry e;
};

struct sm_tcache {
	GHashTable *map; /* struct tkey * -> struct tslot *, keys inside the slots */
	struct sm_buf scratch;
	size_t bytes;    /* what the entries hold, roughly */
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

static void slot_free(gpointer p)
{
	struct tslot *s = p;
	for (size_t i = 0; i < s->e.nruns; i++)
		pango_glyph_item_free(s->e.runs[i].glyphs);
	free(s->e.runs);
	free((char *)s->key.data);
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
	free(c);
}

/* FNV-1a: keys are short, and this needs no state. */
static guint fnv1a(const char *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 16777619u;
	}
	return h;
}

/* The key of (st, utf8) in c->scratch; *text_off is where the text starts. */
static int make_key(struct sm_tcache *c, const struct sm_tstyle *st, const char *utf8,
		    struct tkey *k, size_t *text_off)
{
	struct sm_buf *b = &c->scratch;
	sm_buf_reset(b);
	sm_buf_append(b, &st->size, sizeof st->size);
	sm_buf_append(b, &st->wrap, sizeof st->wrap);
	sm_buf_append(b, &st->ellipsize, sizeof st->ellipsize);
	sm_buf_putc(b, (char)((st->bold != 0) | (st->italic != 0) << 1 |
			      (st->tabular != 0) << 2 | (int)st->align << 3));
	sm_buf_puts(b, st->family ? st->family : "");
	sm_buf_append(b, "", 1);
	*text_off = b->len;
	sm_buf_puts(b, utf8);
	if (b->failed)
		return -1;
	k->data = b->data;
	k->len = b->len;
	k->hash = fnv1a(b->data, b->len);
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

/* Rough heap use of one run, to bound the cache. */
static size_t run_bytes(const PangoGlyphItem *g)
{
	return sizeof *g + sizeof *g->item + sizeof *g->glyphs + 64 +
	       (size_t)g->glyphs->num_glyphs * (sizeof *g->glyphs->glyphs + sizeof(int));
}

static int add_run(struct sm_tentry *e, size_t *cap, PangoLayoutIter *it, size_t *bytes)
{
	PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);
	if (!run) /* the end of a line */
		return 0;
	if (e->nruns == *cap) {
		size_t n = *cap ? 2 * *cap : 2;
		struct sm_trun *r = sm_realloc_array(e->runs, n, sizeof *r);
		if (!r)
			return -1;
		e->runs = r;
		*cap = n;
	}
	PangoRectangle logical;
	pango_layout_iter_get_run_extents(it, NULL, &logical);
	struct sm_trun *r = &e->runs[e->nruns];
	r->x = logical.x;
	r->baseline = pango_layout_iter_get_baseline(it);
	if (!(r->glyphs = pango_glyph_item_copy(run)))
		return -1;
	e->nruns++;
	*bytes += run_bytes(run);
	return 0;
}

static int copy_runs(struct sm_tentry *e, PangoLayout *layout, size_t *bytes)
{
	PangoLayoutIter *it = pango_layout_get_iter(layout);
	size_t cap = 0;
	int rc = 0;
	do
		rc = add_run(e, &cap, it, bytes);
	while (rc == 0 && pango_layout_iter_next_run(it));
	pango_layout_iter_free(it);
	return rc;
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
	s = calloc(1, sizeof *s);
	char *data = malloc(k.len + 1);
	if (!s || !data) {
		free(s);
		free(data);
		return NULL;
	}
	memcpy(data, k.data, k.len + 1);
	s->key = (struct tkey){ data, k.len, k.hash };
	s->e.text = data + off;
	s->e.ext = *ext;
	size_t bytes = sizeof *s + k.len + 64;
	if (copy_runs(&s->e, layout, &bytes) != 0) {
		slot_free(s);
		return NULL;
	}
	c->bytes += bytes;
	g_hash_table_insert(c->map, &s->key, s);
	return &s->e;
}
