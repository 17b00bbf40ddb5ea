#include "sm_canvas.h"

#include "sm_atomic.h"
#include "sm_buf.h"
#include "sm_fonts.h"

#include <cairo-pdf.h>
#include <cairo-ps.h>
#include <cairo-svg.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct sm_canvas {
	enum sm_canvas_format fmt;
	struct sm_atomic *af;
	struct sm_canvas_sink sink; /* af's stream, for the writers */
	char *path;		    /* owned: the sink's name of the file */
	cairo_surface_t *surface;
	cairo_t *cr;
	double width, height;
	struct sm_canvas_opts opts; /* PNG and TIFF (the profile string is owned) */
	struct sm_buf svg; /* SVG and EPS are held back to fix cairo's ids and dates */
	char *svg_tail;    /* SVG: written before the closing </svg> */
	int painted;       /* a raster already white (its memory filled so) */
};

struct sm_canvas_pixels {
	unsigned char *data;
	size_t size;
};

struct sm_canvas_pixels *sm_canvas_pixels_new(void)
{
	return calloc(1, sizeof(struct sm_canvas_pixels));
}

void sm_canvas_pixels_free(struct sm_canvas_pixels *px)
{
	if (!px)
		return;
	free(px->data);
	free(px);
}

/* At least `size` bytes of px, or NULL when out of memory.  What it held
 * is not kept (so the old memory goes before the larger comes). */
static unsigned char *pixels_take(struct sm_canvas_pixels *px, size_t size)
{
	if (size > px->size) {
		free(px->data);
		px->data = malloc(size);
		px->size = px->data ? size : 0;
	}
	return px->data;
}

int sm_canvas_is_raster(enum sm_canvas_format fmt)
{
	return fmt == SM_CANVAS_PNG || fmt == SM_CANVAS_TIFF;
}

sm_status sm_canvas_format_of(struct sm_ctx *ctx, const char *path,
			      enum sm_canvas_format *fmt)
{
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');
	if (dot && (!slash || dot > slash)) {
		if (!strcasecmp(dot, ".pdf")) {
			*fmt = SM_CANVAS_PDF;
			return SM_OK;
		}
		if (!strcasecmp(dot, ".svg")) {
			*fmt = SM_CANVAS_SVG;
			return SM_OK;
		}
		if (!strcasecmp(dot, ".png")) {
			*fmt = SM_CANVAS_PNG;
			return SM_OK;
		}
		if (!strcasecmp(dot, ".tif") || !strcasecmp(dot, ".tiff")) {
			*fmt = SM_CANVAS_TIFF;
			return SM_OK;
		}
		if (!strcasecmp(dot, ".eps")) {
			*fmt = SM_CANVAS_EPS;
			return SM_OK;
		}
	}
	return SM_FAIL_POS(ctx, SM_EINPUT, path, 0, 0, NULL,
			   "unknown figure format; expected a file name ending in "
			   ".pdf, .svg or .png (screen and vector) or .tif, .tiff or "
			   ".eps (print)");
}

long sm_canvas_px(double pt, double dpi)
{
	return lround(pt / 72.0 * dpi);
}

int sm_canvas_sink_write(struct sm_canvas_sink *sink, const void *data, size_t len)
{
	if (sink->err)
		return -1;
	if (len && fwrite(data, 1, len, sink->f) != len) {
		sink->err = errno ? errno : EIO;
		return -1;
	}
	return 0;
}

static int sink_puts(struct sm_canvas_sink *sink, const char *text)
{
	return sm_canvas_sink_write(sink, text, strlen(text));
}

sm_status sm_canvas_sink_fail(struct sm_ctx *ctx, const struct sm_canvas_sink *sink,
			      const char *what, const char *why)
{
	const char *cause = sink->err ? strerror(sink->err) : why && *why ? why : "write error";
	return SM_FAIL_POS(ctx, SM_EOUTPUT, sink->path, 0, 0, NULL,
			   "cannot write the %s: %s; expected a writable output with free "
			   "space", what, cause);
}

static cairo_status_t write_stream(void *closure, const unsigned char *data,
				   unsigned int len)
{
	return sm_canvas_sink_write(closure, data, len) == 0 ? CAIRO_STATUS_SUCCESS
							     : CAIRO_STATUS_WRITE_ERROR;
}

static cairo_status_t write_buf(void *closure, const unsigned char *data,
				unsigned int len)
{
	struct sm_buf *b = closure;
	sm_buf_append(b, data, len);
	return b->failed ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

/* Cairo names SVG groups "surfaceN" with a counter shared by the whole
 * process, so a second figure would differ from the first; number them
 * from 1 in order of appearance instead. */
/* The first `key` in [p, end), or NULL. */
static const char *find(const char *p, const char *end, const char *key)
{
	size_t n = strlen(key);
	for (; p + n <= end; p++)
		if (*p == *key && !memcmp(p, key, n))
			return p;
	return NULL;
}

static int svg_renumber(const char *data, size_t len, struct sm_canvas_sink *out)
{
	long map[64][2];
	int n = 0;
	const char *p = data, *end = data + len;
	while (p < end) {
		const char *hit = find(p, end, "surface");
		if (!hit) {
			sm_canvas_sink_write(out, p, (size_t)(end - p));
			break;
		}
		hit += 7;
		sm_canvas_sink_write(out, p, (size_t)(hit - p));
		char *after;
		long id = strtol(hit, &after, 10);
		if (after == hit) {
			p = hit;
			continue;
		}
		int i = 0;
		while (i < n && map[i][0] != id)
			i++;
		if (i == n && n < 64) {
			map[n][0] = id;
			map[n][1] = n + 1;
			n++;
		}
		char number[24];
		snprintf(number, sizeof number, "%ld", i < n ? map[i][1] : id);
		sink_puts(out, number);
		p = after;
	}
	return out->err ? -1 : 0;
}

int sm_canvas_date(struct sm_ctx *ctx, struct tm *tm)
{
	long long epoch = sm_ctx_epoch(ctx);
	time_t t = epoch >= 0 ? (time_t)epoch : 0;
	return gmtime_r(&t, tm) ? 0 : -1;
}

/* The SVG with its groups renumbered and the tail (if any) before the
 * closing tag. */
static int svg_write(const struct sm_canvas *c, struct sm_canvas_sink *out)
{
	const char *data = c->svg.data ? c->svg.data : "";
	size_t len = c->svg.len, cut = len;
	if (c->svg_tail)
		for (size_t i = len; i >= 6; i--)
			if (!memcmp(data + i - 6, "</svg>", 6)) {
				cut = i - 6;
				break;
			}
	if (svg_renumber(data, cut, out) != 0)
		return -1;
	if (c->svg_tail)
		sink_puts(out, c->svg_tail);
	sm_canvas_sink_write(out, data + cut, len - cut);
	return out->err ? -1 : 0;
}

sm_status sm_canvas_svg_tail(struct sm_ctx *ctx, struct sm_canvas *c, const char *xml)
{
	if (c->fmt != SM_CANVAS_SVG)
		return SM_FAIL(ctx, SM_EINTERNAL, "only an SVG has a tail");
	free(c->svg_tail);
	if (!(c->svg_tail = strdup(xml)))
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	return SM_OK;
}

/* Cairo would stamp the current time into the PDF; a fixed date keeps
 * outputs byte-identical. */
static void pdf_dates(struct sm_ctx *ctx, cairo_surface_t *s)
{
	struct tm tm;
	char date[32];
	if (sm_canvas_date(ctx, &tm) != 0 ||
	    !strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm))
		return;
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, date);
}

/* Cairo 1.16 writes the time of the run as the EPS "%%CreationDate" (in
 * ctime's form, local time) and has no way to set it: the line is
 * rewritten with the fixed date, in the same form. */
static int eps_write(struct sm_ctx *ctx, const struct sm_buf *in, struct sm_canvas_sink *out)
{
	static const char key[] = "%%CreationDate: ";
	const char *hit = in->len ? strstr(in->data, key) : NULL;
	if (!hit || hit - in->data > 4096)
		return sm_canvas_sink_write(out, in->data, in->len);
	const char *eol = strchr(hit, '\n');
	struct tm tm;
	char date[64];
	if (!eol || sm_canvas_date(ctx, &tm) != 0 ||
	    !strftime(date, sizeof date, "%a %b %e %H:%M:%S %Y", &tm))
		return -1;
	size_t head = (size_t)(hit - in->data) + sizeof key - 1;
	sm_canvas_sink_write(out, in->data, head);
	sink_puts(out, date);
	sm_canvas_sink_write(out, eol, in->len - (size_t)(eol - in->data));
	return out->err ? -1 : 0;
}

static sm_status make_raster(struct sm_ctx *ctx, struct sm_canvas *c, const char *path)
{
	double dpi = c->opts.dpi;
	const char *what = c->fmt == SM_CANVAS_TIFF ? "TIFF" : "PNG";
	long w = sm_canvas_px(c->width, dpi), h = sm_canvas_px(c->height, dpi);
	if (!(dpi >= 1 && dpi <= 2400) || w > SM_PNG_MAX_PX || h > SM_PNG_MAX_PX)
		return SM_FAIL_POS(ctx, SM_EINPUT, path, 0, 0, NULL,
				   "%s of %ld x %ld px at %g dpi is too large; "
				   "expected at most %d px a side (use PDF for "
				   "long plots or a lower --dpi)", what, w, h, dpi,
				   SM_PNG_MAX_PX);
	if (c->fmt == SM_CANVAS_TIFF && dpi < SM_TIFF_MIN_DPI)
		sm_ctx_warn(ctx, "%s: TIFF at %g dpi; most journals require 300 to 600 dpi "
			    "(1000 or more for line art)", path, dpi);
	/* Opaque: the figure is painted white first, and the writers need not
	 * look for transparency. */
	int pw = (int)(w > 0 ? w : 1), ph = (int)(h > 0 ? h : 1);
	if (!c->opts.pixels) {
		c->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
		return SM_OK;
	}
	int stride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, pw);
	size_t size = (size_t)stride * (size_t)ph;
	unsigned char *data = stride > 0 ? pixels_take(c->opts.pixels, size) : NULL;
	if (!data)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory for a %d x %d px %s", pw, ph,
			       what);
	/* White as cairo paints it on RGB24 (every byte 0xff, the unused one
	 * too; test draw/canvas pixels_white_is_cairos_white): one memset instead of a paint */
	memset(data, 0xff, size);
	c->painted = 1;
	c->surface = cairo_image_surface_create_for_data(data, CAIRO_FORMAT_RGB24, pw, ph, stride);
	return SM_OK;
}

static sm_status make_surface(struct sm_ctx *ctx, struct sm_canvas *c,
			      const char *path)
{
	c->sink = (struct sm_canvas_sink){ sm_atomic_stream(c->af), c->path, 0 };
	if (c->fmt == SM_CANVAS_PDF) {
		c->surface = cairo_pdf_surface_create_for_stream(write_stream, &c->sink,
								 c->width, c->height);
		pdf_dates(ctx, c->surface);
	} else if (c->fmt == SM_CANVAS_SVG) {
		c->surface = cairo_svg_surface_create_for_stream(write_buf, &c->svg,
								 c->width, c->height);
		cairo_svg_surface_set_document_unit(c->surface, CAIRO_SVG_UNIT_PT);
	} else if (c->fmt == SM_CANVAS_EPS) {
		c->surface = cairo_ps_surface_create_for_stream(write_buf, &c->svg,
								c->width, c->height);
		cairo_ps_surface_set_eps(c->surface, 1);
	} else {
		sm_status s = make_raster(ctx, c, path);
		if (s != SM_OK)
			return s;
	}
	if (cairo_surface_status(c->surface) != CAIRO_STATUS_SUCCESS)
		return SM_FAIL(ctx, SM_EINTERNAL, "cannot create the drawing surface: %s",
			       cairo_status_to_string(cairo_surface_status(c->surface)));
	c->cr = cairo_create(c->surface);
	if (cairo_status(c->cr) != CAIRO_STATUS_SUCCESS)
		return SM_FAIL(ctx, SM_EINTERNAL, "cannot draw: %s",
			       cairo_status_to_string(cairo_status(c->cr)));
	/* Text is laid out next, by Pango, which aborts when out of memory. */
	if (sm_fonts_check_headroom(ctx) != SM_OK)
		return SM_EINTERNAL;
	if (sm_canvas_is_raster(c->fmt)) {
		/* Journals want an opaque white figure, not transparency. */
		cairo_set_source_rgb(c->cr, 1, 1, 1);
		if (!c->painted)
			cairo_paint(c->cr);
		cairo_scale(c->cr, c->opts.dpi / 72.0, c->opts.dpi / 72.0);
	}
	return SM_OK;
}

struct sm_canvas *sm_canvas_open_with(struct sm_ctx *ctx, const char *path, double width,
				      double height, const struct sm_canvas_opts *opts)
{
	struct sm_canvas *c = calloc(1, sizeof *c);
	if (!c) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	c->width = width;
	c->height = height;
	c->opts = *opts;
	c->opts.cmyk_profile = NULL;
	sm_buf_init(&c->svg);
	if (opts->cmyk && opts->cmyk_profile &&
	    !(c->opts.cmyk_profile = strdup(opts->cmyk_profile))) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		sm_canvas_abort(c);
		return NULL;
	}
	if (!(c->path = strdup(path))) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		sm_canvas_abort(c);
		return NULL;
	}
	if (sm_canvas_format_of(ctx, path, &c->fmt) != SM_OK ||
	    !(c->af = sm_atomic_open(ctx, path)) || make_surface(ctx, c, path) != SM_OK) {
		sm_canvas_abort(c);
		return NULL;
	}
	return c;
}

struct sm_canvas *sm_canvas_open(struct sm_ctx *ctx, const char *path,
				 double width, double height, double dpi)
{
	struct sm_canvas_opts o = { .dpi = dpi };
	return sm_canvas_open_with(ctx, path, width, height, &o);
}

enum sm_canvas_format sm_canvas_format(const struct sm_canvas *c)
{
	return c->fmt;
}

cairo_t *sm_canvas_cr(struct sm_canvas *c)
{
	return c->cr;
}

void sm_canvas_paint_white(struct sm_canvas *c)
{
	if (sm_canvas_is_raster(c->fmt))
		return;
	cairo_save(c->cr);
	cairo_set_source_rgb(c->cr, 1, 1, 1);
	cairo_paint(c->cr);
	cairo_restore(c->cr);
}

sm_status sm_canvas_next_page(struct sm_ctx *ctx, struct sm_canvas *c)
{
	if (c->fmt != SM_CANVAS_PDF)
		return SM_FAIL(ctx, SM_EINTERNAL, "only a PDF has pages");
	cairo_show_page(c->cr);
	return SM_OK;
}

static void release(struct sm_canvas *c)
{
	if (c->cr)
		cairo_destroy(c->cr);
	if (c->surface)
		cairo_surface_destroy(c->surface);
	c->cr = NULL;
	c->surface = NULL;
}

sm_status sm_canvas_close(struct sm_ctx *ctx, struct sm_canvas *c)
{
	cairo_status_t st = cairo_status(c->cr);
	if (st == CAIRO_STATUS_SUCCESS && sm_canvas_is_raster(c->fmt)) {
		sm_status ps = c->fmt == SM_CANVAS_PNG
				       ? sm_canvas_write_png_spent(ctx, c->surface, c->opts.dpi,
								   &c->sink)
				       : sm_canvas_write_tiff(ctx, c->surface, &c->opts, &c->sink);
		if (ps != SM_OK) {
			sm_canvas_abort(c);
			return ps;
		}
	}
	/* cairo's PostScript surface spools pages to a temporary file of its
	 * own: a write error there leaves only errno to say why. */
	errno = 0;
	cairo_surface_finish(c->surface);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(c->surface);
	if (st == CAIRO_STATUS_WRITE_ERROR && !c->sink.err)
		c->sink.err = errno;
	release(c);
	if (st == CAIRO_STATUS_SUCCESS && c->fmt == SM_CANVAS_SVG &&
	    (c->svg.failed || svg_write(c, &c->sink) != 0))
		st = c->svg.failed ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_WRITE_ERROR;
	if (st == CAIRO_STATUS_SUCCESS && c->fmt == SM_CANVAS_EPS &&
	    (c->svg.failed || eps_write(ctx, &c->svg, &c->sink) != 0))
		st = c->svg.failed ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_WRITE_ERROR;
	if (st != CAIRO_STATUS_SUCCESS) {
		static const char *const names[] = { "PDF", "SVG", "PNG", "TIFF", "EPS" };
		sm_status s = st == CAIRO_STATUS_WRITE_ERROR
				      ? sm_canvas_sink_fail(ctx, &c->sink, names[c->fmt],
							    cairo_status_to_string(st))
				      : SM_FAIL(ctx, SM_EINTERNAL, "cannot write the figure: %s",
						cairo_status_to_string(st));
		sm_canvas_abort(c);
		return s;
	}
	sm_status s = sm_atomic_commit(ctx, c->af);
	sm_buf_release(&c->svg);
	free((char *)c->opts.cmyk_profile);
	free(c->svg_tail);
	free(c->path);
	free(c);
	return s;
}

void sm_canvas_abort(struct sm_canvas *c)
{
	if (!c)
		return;
	release(c);
	sm_atomic_abort(c->af);
	sm_buf_release(&c->svg);
	free((char *)c->opts.cmyk_profile);
	free(c->svg_tail);
	free(c->path);
	free(c);
}
