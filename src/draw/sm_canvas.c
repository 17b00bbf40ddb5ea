#include "sm_canvas.h"

#include "sm_atomic.h"
#include "sm_buf.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct sm_canvas {
	enum sm_canvas_format fmt;
	struct sm_atomic *af;
	cairo_surface_t *surface;
	cairo_t *cr;
	double width, height;
	double dpi;          /* PNG only */
	struct sm_buf svg; /* SVG is held back to fix cairo's ids */
};

/* Cairo's largest image side. */

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
	}
	return SM_FAIL_POS(ctx, SM_EINPUT, path, 0, 0, NULL,
			   "unknown figure format; expected a file name ending in "
			   ".pdf, .svg or .png");
}

long sm_canvas_px(double pt, double dpi)
{
	return lround(pt / 72.0 * dpi);
}

static cairo_status_t write_stream(void *closure, const unsigned char *data,
				   unsigned int len)
{
	FILE *f = closure;
	return fwrite(data, 1, len, f) == len ? CAIRO_STATUS_SUCCESS
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
static int svg_renumber(const struct sm_buf *in, FILE *out)
{
	long map[64][2];
	int n = 0;
	const char *p = in->data, *end = in->data + in->len;
	while (p < end) {
		const char *hit = strstr(p, "surface");
		if (!hit || hit >= end) {
			fwrite(p, 1, (size_t)(end - p), out);
			break;
		}
		hit += 7;
		fwrite(p, 1, (size_t)(hit - p), out);
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
		fprintf(out, "%ld", i < n ? map[i][1] : id);
		p = after;
	}
	return ferror(out) ? -1 : 0;
}

/* Cairo would stamp the current time into the PDF; a fixed date keeps
 * outputs byte-identical. */
static void pdf_dates(struct sm_ctx *ctx, cairo_surface_t *s)
{
	long long epoch = sm_ctx_epoch(ctx);
	time_t t = epoch >= 0 ? (time_t)epoch : 0;
	struct tm tm;
	char date[32];
	if (!gmtime_r(&t, &tm) ||
	    !strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm))
		return;
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, date);
}

static sm_status make_surface(struct sm_ctx *ctx, struct sm_canvas *c,
			      const char *path, double dpi)
{
	FILE *f = sm_atomic_stream(c->af);
	if (c->fmt == SM_CANVAS_PDF) {
		c->surface = cairo_pdf_surface_create_for_stream(write_stream, f,
								 c->width, c->height);
		pdf_dates(ctx, c->surface);
	} else if (c->fmt == SM_CANVAS_SVG) {
		c->surface = cairo_svg_surface_create_for_stream(write_buf, &c->svg,
								 c->width, c->height);
		cairo_svg_surface_set_document_unit(c->surface, CAIRO_SVG_UNIT_PT);
	} else {
		long w = sm_canvas_px(c->width, dpi), h = sm_canvas_px(c->height, dpi);
		if (!(dpi >= 10 && dpi <= 2400) || w > SM_PNG_MAX_PX || h > SM_PNG_MAX_PX)
			return SM_FAIL_POS(ctx, SM_EINPUT, path, 0, 0, NULL,
					   "PNG of %ld x %ld px at %g dpi is too large; "
					   "expected at most %d px a side (use PDF for "
					   "long plots or a lower --dpi)", w, h, dpi,
					   SM_PNG_MAX_PX);
		/* Opaque: the figure is painted white first, and the PNG writer
		 * need not look for transparency. */
		c->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)w, (int)h);
		c->dpi = dpi;
	}
	if (cairo_surface_status(c->surface) != CAIRO_STATUS_SUCCESS)
		return SM_FAIL(ctx, SM_EINTERNAL, "cannot create the drawing surface: %s",
			       cairo_status_to_string(cairo_surface_status(c->surface)));
	c->cr = cairo_create(c->surface);
	if (cairo_status(c->cr) != CAIRO_STATUS_SUCCESS)
		return SM_FAIL(ctx, SM_EINTERNAL, "cannot draw: %s",
			       cairo_status_to_string(cairo_status(c->cr)));
	if (c->fmt == SM_CANVAS_PNG) {
		/* Journals want an opaque white figure, not transparency. */
		cairo_set_source_rgb(c->cr, 1, 1, 1);
		cairo_paint(c->cr);
		cairo_scale(c->cr, dpi / 72.0, dpi / 72.0);
	}
	return SM_OK;
}

struct sm_canvas *sm_canvas_open(struct sm_ctx *ctx, const char *path,
				 double width, double height, double dpi)
{
	struct sm_canvas *c = calloc(1, sizeof *c);
	if (!c) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	c->width = width;
	c->height = height;
	sm_buf_init(&c->svg);
	if (sm_canvas_format_of(ctx, path, &c->fmt) != SM_OK ||
	    !(c->af = sm_atomic_open(ctx, path)) ||
	    make_surface(ctx, c, path, dpi) != SM_OK) {
		sm_canvas_abort(c);
		return NULL;
	}
	return c;
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
	if (c->fmt == SM_CANVAS_PNG)
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
	if (st == CAIRO_STATUS_SUCCESS && c->fmt == SM_CANVAS_PNG) {
		sm_status ps = sm_canvas_write_png(ctx, c->surface, c->dpi,
						   sm_atomic_stream(c->af));
		if (ps != SM_OK) {
			sm_canvas_abort(c);
			return ps;
		}
	}
	cairo_surface_finish(c->surface);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(c->surface);
	release(c);
	if (st == CAIRO_STATUS_SUCCESS && c->fmt == SM_CANVAS_SVG &&
	    (c->svg.failed || svg_renumber(&c->svg, sm_atomic_stream(c->af)) != 0))
		st = c->svg.failed ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_WRITE_ERROR;
	if (st != CAIRO_STATUS_SUCCESS) {
		sm_canvas_abort(c);
		return SM_FAIL(ctx, st == CAIRO_STATUS_WRITE_ERROR ? SM_EOUTPUT
								   : SM_EINTERNAL,
			       "cannot write the figure: %s", cairo_status_to_string(st));
	}
	sm_status s = sm_atomic_commit(ctx, c->af);
	sm_buf_release(&c->svg);
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
	free(c);
}
