#include "sm_svg_text.h"

#include "sm_buf.h"
#include "sm_fig.h"

#include <fontconfig/fontconfig.h>
#include <glib.h>
#include <hb-subset.h>
#include <hb.h>
#include <math.h>
#include <pango/pangofc-font.h>
#include <stdlib.h>
#include <string.h>

/* A face texts were set in, and the characters drawn with it. */
struct face {
	char *file;
	int index;
	int bold, italic;
	hb_set_t *chars;
};

struct writer {
	struct sm_ctx *ctx;
	const struct sm_fig *f;
	struct face *faces;
	size_t nfaces, cap;
	struct sm_buf texts;
	int grey;
};

static void faces_release(struct writer *w)
{
	for (size_t i = 0; i < w->nfaces; i++) {
		free(w->faces[i].file);
		hb_set_destroy(w->faces[i].chars);
	}
	free(w->faces);
}

/* The number of the face of `font`, added when new; -1 when out of
 * memory or the font has no file (never for our fonts). */
static int face_of(struct writer *w, PangoFont *font)
{
	if (!PANGO_IS_FC_FONT(font))
		return -1;
	FcPattern *pat = pango_fc_font_get_pattern(PANGO_FC_FONT(font));
	FcChar8 *file = NULL;
	int index = 0, weight = FC_WEIGHT_REGULAR, slant = FC_SLANT_ROMAN;
	if (!pat || FcPatternGetString(pat, FC_FILE, 0, &file) != FcResultMatch)
		return -1;
	FcPatternGetInteger(pat, FC_INDEX, 0, &index);
	FcPatternGetInteger(pat, FC_WEIGHT, 0, &weight);
	FcPatternGetInteger(pat, FC_SLANT, 0, &slant);
	for (size_t i = 0; i < w->nfaces; i++)
		if (w->faces[i].index == index && !strcmp(w->faces[i].file, (const char *)file))
			return (int)i;
	if (w->nfaces == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 8;
		struct face *g = sm_realloc_array(w->faces, cap, sizeof *g);
		if (!g)
			return -1;
		w->faces = g;
		w->cap = cap;
	}
	struct face *fc = &w->faces[w->nfaces];
	*fc = (struct face){ strdup((const char *)file), index, weight >= FC_WEIGHT_BOLD,
			     slant != FC_SLANT_ROMAN, hb_set_create() };
	if (!fc->file || !hb_set_allocation_successful(fc->chars)) {
		free(fc->file);
		hb_set_destroy(fc->chars);
		return -1;
	}
	return (int)w->nfaces++;
}

/* Text for XML character data or an attribute value. */
static void xml_text(struct sm_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '&')
			sm_buf_puts(b, "&amp;");
		else if (c == '<')
			sm_buf_puts(b, "&lt;");
		else if (c == '>')
			sm_buf_puts(b, "&gt;");
		else if (c == '"')
			sm_buf_puts(b, "&quot;");
		else if ((unsigned char)c < 0x20 && c != '\t')
			sm_buf_putc(b, ' ');
		else
			sm_buf_putc(b, c);
	}
}

/* Numbers with up to 3 decimals and no trailing zeros: 0.001 pt is far
 * below what any device shows, and the output stays short. */
static void num(struct sm_buf *b, double x)
{
	char s[32];
	snprintf(s, sizeof s, "%.3f", fabs(x) < 5e-4 ? 0.0 : x);
	char *e = s + strlen(s);
	while (e > s && e[-1] == '0')
		*--e = '\0';
	if (e > s && e[-1] == '.')
		*--e = '\0';
	sm_buf_puts(b, s);
}

static void add_chars(hb_set_t *set, const char *s, size_t n)
{
	for (const char *p = s; p < s + n; p = g_utf8_next_char(p))
		hb_set_add(set, g_utf8_get_char(p));
}

/* One run of one font as a <text> element. */
static sm_status put_run(struct writer *w, const struct sm_fig_text *t, const char *text,
			 PangoGlyphItem *run, double x, double y, double width)
{
	PangoItem *item = run->item;
	int fi = face_of(w, item->analysis.font);
	if (fi < 0)
		return SM_FAIL(w->ctx, SM_EINTERNAL, "cannot tell the font of a text");
	const struct face *fc = &w->faces[fi];
	int ellipsis = (item->analysis.flags & PANGO_ANALYSIS_FLAG_IS_ELLIPSIS) != 0;
	const char *s = ellipsis ? "\xe2\x80\xa6" : text + item->offset;
	size_t n = ellipsis ? 3 : (size_t)item->length;
	add_chars(fc->chars, s, n);
	struct sm_rgb c = w->grey ? sm_rgb_grey(t->colour) : t->colour;
	char *families = sm_text_families(w->f->text, t->st.family);
	struct sm_buf *b = &w->texts;
	sm_buf_puts(b, "<text x=\"");
	num(b, x);
	sm_buf_puts(b, "\" y=\"");
	num(b, y);
	sm_buf_printf(b, "\" font-family=\"sm-f%d, ", fi);
	xml_text(b, families ? families : t->st.family,
		 strlen(families ? families : t->st.family));
	sm_buf_puts(b, "\" font-size=\"");
	num(b, t->st.size);
	sm_buf_puts(b, "\"");
	if (fc->bold)
		sm_buf_puts(b, " font-weight=\"bold\"");
	if (fc->italic)
		sm_buf_puts(b, " font-style=\"italic\"");
	sm_buf_printf(b, " fill=\"#%02X%02X%02X\" textLength=\"", (int)lround(c.r * 255),
		      (int)lround(c.g * 255), (int)lround(c.b * 255));
	num(b, width);
	sm_buf_puts(b, "\" lengthAdjust=\"spacingAndGlyphs\" xml:space=\"preserve\">");
	xml_text(b, s, n);
	sm_buf_puts(b, "</text>\n");
	free(families);
	return b->failed ? SM_FAIL(w->ctx, SM_EINTERNAL, "out of memory") : SM_OK;
}

/* Every run of a text, from the layout that measured it. */
static sm_status put_text(struct writer *w, const struct sm_fig_text *t)
{
	PangoLayout *layout = sm_text_layout(w->f->text, &t->st, t->text);
	const char *text = pango_layout_get_text(layout);
	PangoLayoutIter *it = pango_layout_get_iter(layout);
	sm_status s = SM_OK;
	do {
		PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);
		if (!run)
			continue;
		PangoRectangle logical;
		pango_layout_iter_get_run_extents(it, NULL, &logical);
		double x = t->ox + (double)logical.x / PANGO_SCALE;
		double y = t->oy + (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
		s = put_run(w, t, text, run, x, y, (double)logical.width / PANGO_SCALE);
	} while (s == SM_OK && pango_layout_iter_next_run(it));
	pango_layout_iter_free(it);
	return s;
}

/* A face cut to the characters drawn with it, as an @font-face rule. */
static sm_status embed(struct writer *w, struct sm_buf *b, int i)
{
	const struct face *fc = &w->faces[i];
	hb_blob_t *blob = hb_blob_create_from_file_or_fail(fc->file);
	hb_face_t *face = blob ? hb_face_create(blob, (unsigned)fc->index) : NULL;
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	hb_face_t *sub = NULL;
	if (face && in) {
		hb_set_union(hb_subset_input_unicode_set(in), fc->chars);
		hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
		sub = hb_subset_or_fail(face, in);
	}
	hb_blob_t *out = sub ? hb_face_reference_blob(sub) : NULL;
	unsigned len = 0;
	const char *data = out ? hb_blob_get_data(out, &len) : NULL;
	hb_blob_t *cff = face ? hb_face_reference_table(face, HB_TAG('C', 'F', 'F', ' ')) : NULL;
	int otf = cff && hb_blob_get_length(cff) > 0;
	gchar *b64 = data && len ? g_base64_encode((const guchar *)data, len) : NULL;
	if (b64)
		sm_buf_printf(b, "@font-face{font-family:\"sm-f%d\";src:url(data:font/%s;base64,"
			      "%s)}\n", i, otf ? "otf" : "ttf", b64);
	g_free(b64);
	hb_blob_destroy(cff);
	hb_blob_destroy(out);
	hb_face_destroy(sub);
	hb_subset_input_destroy(in);
	hb_face_destroy(face);
	hb_blob_destroy(blob);
	if (!b64)
		return SM_FAIL(w->ctx, SM_EINTERNAL, "cannot embed the font %s in the SVG",
			       fc->file);
	return SM_OK;
}

static sm_status tail(struct writer *w, struct sm_buf *b)
{
	sm_status s = SM_OK;
	const struct sm_fig *f = w->f;
	for (size_t i = f->page_text[0]; s == SM_OK && i < f->page_text[1]; i++)
		s = put_text(w, &f->texts[i]);
	if (s != SM_OK)
		return s;
	sm_buf_puts(b, "<style>\n");
	for (size_t i = 0; s == SM_OK && i < w->nfaces; i++)
		s = embed(w, b, (int)i);
	sm_buf_puts(b, "</style>\n<g id=\"texts\">\n");
	sm_buf_append(b, w->texts.data ? w->texts.data : "", w->texts.len);
	sm_buf_puts(b, "</g>\n");
	if (s == SM_OK && (b->failed || w->texts.failed))
		s = SM_FAIL(w->ctx, SM_EINTERNAL, "out of memory");
	return s;
}

sm_status sm_svg_text_write(struct sm_ctx *ctx, struct sm_fig *f, const char *path)
{
	if (sm_fig_finish(ctx, f) != SM_OK)
		return SM_EINTERNAL;
	struct sm_canvas *c = sm_canvas_open(ctx, path, f->width, f->height, 0);
	if (!c)
		return sm_ctx_status(ctx, SM_EOUTPUT);
	if (sm_canvas_format(c) != SM_CANVAS_SVG) {
		sm_canvas_abort(c);
		return SM_FAIL_POS(ctx, SM_EINPUT, path, 0, 0, NULL,
				   "SVG text is for SVG files; expected a name ending in .svg");
	}
	if (f->opaque)
		sm_canvas_paint_white(c);
	sm_fig_draw_items(f, sm_canvas_cr(c), 0, 0, 0);
	struct writer w = { .ctx = ctx, .f = f, .grey = f->style && f->style->greyscale };
	sm_buf_init(&w.texts);
	struct sm_buf b;
	sm_buf_init(&b);
	sm_status s = tail(&w, &b);
	if (s == SM_OK)
		s = sm_canvas_svg_tail(ctx, c, b.data ? b.data : "");
	sm_buf_release(&b);
	sm_buf_release(&w.texts);
	faces_release(&w);
	if (s != SM_OK) {
		sm_canvas_abort(c);
		return s;
	}
	return sm_canvas_close(ctx, c);
}
