#include "sm_text_fast.h"

#include <hb-ot.h>
#include <hb.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#define SM_TFAST_MAX_STYLES 16

/* What a character alone shapes to (Pango units). */
struct fchar {
	unsigned char state; /* enum sm_tfast_state */
	uint32_t glyph;
	int width, xoff, yoff;
};

struct sm_tfast_style {
	struct sm_tstyle st;
	char *family;      /* owned copy of st.family */
	PangoFont *font;   /* F: the font of the first character checked */
	int font_ok;       /* F passed the font-wide checks */
	hb_set_t *touched; /* glyphs a lookup other than single/pair may change */
	hb_buffer_t *buf;
	int height, baseline, run_baseline; /* of the first character's layout */
	struct fchar ch[128];
	/* Pairs of safe characters (printable ASCII, 95 x 95), checked when
	 * first side by side in a text: enum sm_tfast_state. */
	unsigned char pair[95][95];
};

struct sm_tfast {
	struct sm_tfast_style *styles[SM_TFAST_MAX_STYLES];
	int n;
	int full; /* more styles than kept: the others take the layout */
};

struct sm_tfast *sm_tfast_new(void)
{
	return calloc(1, sizeof(struct sm_tfast));
}

static void style_free(struct sm_tfast_style *s)
{
	if (!s)
		return;
	if (s->font)
		g_object_unref(s->font);
	hb_set_destroy(s->touched);
	hb_buffer_destroy(s->buf);
	free(s->family);
	free(s);
}

void sm_tfast_reset(struct sm_tfast *f)
{
	if (!f)
		return;
	for (int i = 0; i < f->n; i++)
		style_free(f->styles[i]);
	f->n = 0;
	f->full = 0;
}

void sm_tfast_free(struct sm_tfast *f)
{
	sm_tfast_reset(f);
	free(f);
}

static int same_style(const struct sm_tfast_style *s, const struct sm_tstyle *st)
{
	const struct sm_tstyle *a = &s->st;
	return !strcmp(s->family, st->family) && a->size == st->size && a->bold == st->bold &&
	       a->italic == st->italic && a->tabular == st->tabular && a->align == st->align;
}

struct sm_tfast_style *sm_tfast_style(struct sm_tfast *f, const struct sm_tstyle *st)
{
	if (!f || !st->family || st->wrap > 0 || st->ellipsize > 0)
		return NULL;
	for (int i = 0; i < f->n; i++)
		if (same_style(f->styles[i], st))
			return f->styles[i];
	if (f->n == SM_TFAST_MAX_STYLES)
		return NULL;
	struct sm_tfast_style *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->family = strdup(st->family);
	s->touched = hb_set_create();
	s->buf = hb_buffer_create();
	if (!s->family || !hb_set_allocation_successful(s->touched) ||
	    !hb_buffer_allocation_successful(s->buf)) {
		style_free(s);
		return NULL;
	}
	s->st = *st;
	s->st.family = s->family;
	f->styles[f->n++] = s;
	return s;
}

enum sm_tfast_state sm_tfast_char(const struct sm_tfast_style *s, unsigned char c)
{
	if (c < 0x20 || c > 0x7e)
		return SM_TFAST_UNSAFE;
	return (enum sm_tfast_state)s->ch[c].state;
}

/* ---- the font-wide checks ------------------------------------------------ */

static unsigned be16(const char *p)
{
	return (unsigned)(unsigned char)p[0] << 8 | (unsigned char)p[1];
}

static int has_table(hb_face_t *face, hb_tag_t tag)
{
	hb_blob_t *b = hb_face_reference_table(face, tag);
	unsigned n = hb_blob_get_length(b);
	hb_blob_destroy(b);
	return n > 0;
}

/* A 'kern' table of the OpenType kind (version 0) whose subtables are all
 * pairs (formats 0 and 2), or none: kerning only between neighbours. */
static int kern_is_pairs(hb_face_t *face)
{
	hb_blob_t *b = hb_face_reference_table(face, HB_TAG('k', 'e', 'r', 'n'));
	unsigned n;
	const char *p = hb_blob_get_data(b, &n);
	int ok = 1;
	if (n > 0) {
		ok = n >= 4 && be16(p) == 0;
		unsigned count = ok ? be16(p + 2) : 0, at = 4;
		for (unsigned i = 0; ok && i < count; i++) {
			/* version, length, coverage (format in the high byte) */
			ok = at + 6 <= n;
			if (!ok)
				break;
			unsigned len = be16(p + at + 2), format = be16(p + at + 4) >> 8;
			ok = (format == 0 || format == 2) && len >= 6;
			at += len;
		}
	}
	hb_blob_destroy(b);
	return ok;
}

/* The type of GPOS lookup `i` (an extension's own type); 0 when the
 * table cannot be read (its glyphs then count as touched).  HarfBuzz has
 * no call for it: three fields of the LookupList are read. */
static unsigned gpos_lookup_type(const char *p, unsigned n, unsigned i)
{
	if (n < 10)
		return 0;
	unsigned list = be16(p + 8);
	if (list + 2 > n || i >= be16(p + list) || list + 4 + 2 * i > n)
		return 0;
	unsigned at = list + be16(p + list + 2 + 2 * i);
	if (at + 6 > n)
		return 0;
	unsigned type = be16(p + at);
	if (type != 9)
		return type;
	/* Extension: every subtable names the type; the first is read and
	 * the others must agree (the format says they do). */
	if (at + 8 > n || be16(p + at + 4) == 0)
		return 0;
	unsigned ext = at + be16(p + at + 6);
	return ext + 4 <= n ? be16(p + ext + 2) : 0;
}

static void set_props(hb_buffer_t *b, hb_script_t script)
{
	hb_buffer_set_direction(b, HB_DIRECTION_LTR);
	hb_buffer_set_script(b, script);
	hb_buffer_set_language(b, hb_language_from_string("en", -1));
}

static const hb_script_t scripts[] = { HB_SCRIPT_LATIN, HB_SCRIPT_COMMON };

/* The glyphs of the lookups HarfBuzz's plans for this style apply that
 * may do more than move a glyph alone or against its neighbour.  Single
 * and pair adjustments (GPOS 1, 2) and mark attachments (4, 5, 6: they
 * act at a glyph of their mark coverage and attach it to the glyph before,
 * skipping marks; no safe glyph is a mark, so that is its neighbour) are
 * left out: they are seen in a character alone or in a pair. */
static int collect_touched(struct sm_tfast_style *s, hb_face_t *face)
{
	hb_feature_t tnum;
	hb_feature_from_string("tnum", -1, &tnum);
	hb_blob_t *gpos = hb_face_reference_table(face, HB_OT_TAG_GPOS);
	unsigned gn;
	const char *gp = hb_blob_get_data(gpos, &gn);
	int ok = 1;
	for (size_t k = 0; ok && k < sizeof scripts / sizeof scripts[0]; k++) {
		hb_segment_properties_t props = HB_SEGMENT_PROPERTIES_DEFAULT;
		props.direction = HB_DIRECTION_LTR;
		props.script = scripts[k];
		props.language = hb_language_from_string("en", -1);
		hb_shape_plan_t *plan = hb_shape_plan_create_cached(face, &props, &tnum,
								    s->st.tabular ? 1 : 0, NULL);
		for (int table = 0; ok && table < 2; table++) {
			hb_tag_t tag = table ? HB_OT_TAG_GPOS : HB_OT_TAG_GSUB;
			hb_set_t *lookups = hb_set_create();
			hb_ot_shape_plan_collect_lookups(plan, tag, lookups);
			ok = hb_set_allocation_successful(lookups);
			for (hb_codepoint_t l = HB_SET_VALUE_INVALID; ok && hb_set_next(lookups, &l);) {
				unsigned type = table ? gpos_lookup_type(gp, gn, l) : 0;
				if (type == 1 || type == 2 || type == 4 || type == 5 || type == 6)
					continue;
				hb_ot_layout_lookup_collect_glyphs(face, tag, l, NULL, s->touched,
								   NULL, NULL);
			}
			hb_set_destroy(lookups);
		}
		hb_shape_plan_destroy(plan);
	}
	hb_blob_destroy(gpos);
	return ok && hb_set_allocation_successful(s->touched);
}

static int font_checks(struct sm_tfast_style *s)
{
	hb_font_t *hf = pango_font_get_hb_font(s->font);
	if (!hf)
		return 0;
	hb_face_t *face = hb_font_get_face(hf);
	if (has_table(face, HB_TAG('m', 'o', 'r', 'x')) ||
	    has_table(face, HB_TAG('m', 'o', 'r', 't')) ||
	    has_table(face, HB_TAG('k', 'e', 'r', 'x')) || !kern_is_pairs(face))
		return 0;
	return collect_touched(s, face);
}

/* ---- one character ------------------------------------------------------ */

/* The one glyph of a layout holding one character alone, with its font
 * and line; 0 when it is anything else. */
static int single_glyph(PangoLayout *layout, PangoFont **font, PangoGlyphInfo *info,
			int *height, int *baseline, int *run_baseline)
{
	if (pango_layout_get_line_count(layout) != 1 ||
	    pango_layout_get_unknown_glyphs_count(layout) != 0)
		return 0;
	PangoRectangle logical;
	pango_layout_get_extents(layout, NULL, &logical);
	PangoLayoutIter *it = pango_layout_get_iter(layout);
	PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);
	int ok = run && run->glyphs->num_glyphs == 1 && logical.x == 0;
	if (ok) {
		PangoRectangle rl;
		pango_layout_iter_get_run_extents(it, NULL, &rl);
		*run_baseline = pango_layout_iter_get_baseline(it);
		*info = run->glyphs->glyphs[0];
		*font = run->item->analysis.font;
		ok = rl.x == 0 && info->glyph != PANGO_GLYPH_EMPTY &&
		     !(info->glyph & PANGO_GLYPH_UNKNOWN_FLAG) && run->item->length == 1 &&
		     !(run->item->analysis.level & 1) && PANGO_IS_CAIRO_FONT(*font) &&
		     logical.width == info->geometry.width;
		/* no second run: only the end of the line follows */
		ok = ok && (!pango_layout_iter_next_run(it) ||
			    (!pango_layout_iter_get_run_readonly(it) &&
			     !pango_layout_iter_next_run(it)));
	}
	pango_layout_iter_free(it);
	*height = logical.height;
	*baseline = pango_layout_get_baseline(layout);
	return ok;
}

/* Shape the len bytes of `text` with HarfBuzz in `script`, as Pango
 * would for this style; 0 when out of memory. */
static int shape(struct sm_tfast_style *s, hb_font_t *hf, hb_script_t script, const char *text,
		 int len)
{
	hb_feature_t tnum;
	hb_feature_from_string("tnum", -1, &tnum);
	hb_buffer_clear_contents(s->buf);
	set_props(s->buf, script);
	hb_buffer_add_utf8(s->buf, text, len, 0, len);
	hb_shape(hf, s->buf, &tnum, s->st.tabular ? 1 : 0);
	return hb_buffer_allocation_successful(s->buf);
}

/* Characters a and b side by side shape as each alone, in each script. */
static int pair_stays(struct sm_tfast_style *s, hb_font_t *hf, unsigned char a, unsigned char b)
{
	for (size_t k = 0; k < sizeof scripts / sizeof scripts[0]; k++) {
		hb_glyph_info_t one[2];
		hb_glyph_position_t pos[2];
		const char text[2] = { (char)a, (char)b };
		for (int i = 0; i < 2; i++) {
			if (!shape(s, hf, scripts[k], text + i, 1) ||
			    hb_buffer_get_length(s->buf) != 1)
				return 0;
			one[i] = hb_buffer_get_glyph_infos(s->buf, NULL)[0];
			pos[i] = hb_buffer_get_glyph_positions(s->buf, NULL)[0];
		}
		if (!shape(s, hf, scripts[k], text, 2) || hb_buffer_get_length(s->buf) != 2)
			return 0;
		const hb_glyph_info_t *gi = hb_buffer_get_glyph_infos(s->buf, NULL);
		const hb_glyph_position_t *gp = hb_buffer_get_glyph_positions(s->buf, NULL);
		for (int i = 0; i < 2; i++)
			if (gi[i].codepoint != one[i].codepoint ||
			    gp[i].x_advance != pos[i].x_advance ||
			    gp[i].y_advance != pos[i].y_advance ||
			    gp[i].x_offset != pos[i].x_offset || gp[i].y_offset != pos[i].y_offset)
				return 0;
	}
	return 1;
}

void sm_tfast_admit(struct sm_tfast_style *s, unsigned char c, PangoLayout *layout)
{
	if (c < 0x20 || c > 0x7e || s->ch[c].state != SM_TFAST_UNKNOWN)
		return;
	struct fchar *fc = &s->ch[c];
	fc->state = SM_TFAST_UNSAFE;
	PangoFont *font = NULL;
	PangoGlyphInfo info = { 0 };
	int height = 0, baseline = 0, run_baseline = 0;
	if (!single_glyph(layout, &font, &info, &height, &baseline, &run_baseline))
		return;
	if (!s->font) {
		s->font = g_object_ref(font);
		s->height = height;
		s->baseline = baseline;
		s->run_baseline = run_baseline;
		s->font_ok = font_checks(s);
	}
	if (!s->font_ok || font != s->font || height != s->height || baseline != s->baseline ||
	    run_baseline != s->run_baseline || hb_set_has(s->touched, info.glyph))
		return;
	hb_face_t *face = hb_font_get_face(pango_font_get_hb_font(font));
	if (hb_ot_layout_get_glyph_class(face, info.glyph) == HB_OT_LAYOUT_GLYPH_CLASS_MARK)
		return;
	*fc = (struct fchar){ SM_TFAST_SAFE, info.glyph, info.geometry.width,
			      info.geometry.x_offset, info.geometry.y_offset };
}

enum sm_tfast_state sm_tfast_pair(struct sm_tfast_style *s, unsigned char a, unsigned char b)
{
	unsigned char *p = &s->pair[a - 0x20][b - 0x20];
	if (*p == SM_TFAST_UNKNOWN)
		*p = pair_stays(s, pango_font_get_hb_font(s->font), a, b) ? SM_TFAST_SAFE
									  : SM_TFAST_UNSAFE;
	return (enum sm_tfast_state)*p;
}

void sm_tfast_compose(const struct sm_tfast_style *s, const char *utf8, size_t len,
		      struct sm_extent *ext, struct sm_tglyph *g, PangoFont **font,
		      int *baseline)
{
	int x = 0;
	for (size_t i = 0; i < len; i++) {
		const struct fchar *fc = &s->ch[(unsigned char)utf8[i]];
		g[i] = (struct sm_tglyph){ fc->glyph, x + fc->xoff, fc->yoff };
		x += fc->width;
	}
	/* As sm_text_measure_kept() reads a layout's extents. */
	*ext = (struct sm_extent){ .left = 0, .width = (double)x / PANGO_SCALE,
				   .height = (double)s->height / PANGO_SCALE,
				   .baseline = (double)s->baseline / PANGO_SCALE, .lines = 1 };
	*font = s->font;
	*baseline = s->run_baseline;
}
