/*
 * sm_canvas_png.c -- PNG output of an image surface through libpng.
 *
 * cairo_surface_write_to_png() uses zlib's default level and lets libpng try
 * every row filter; on 300-dpi figures (mostly white, sharp edges) that was
 * two thirds of a whole report's time for 3 % smaller files.  Level 3 with no
 * row filter compresses about five times faster (measured on the MSC
 * bundle's 36 PNGs: 0.6 s instead of 3 s, 8.6 MB instead of 8.4 MB); higher
 * levels turn on lazy matching, which costs far more than it saves here.
 */
#include "sm_canvas.h"

#include <math.h>
#include <png.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SM_PNG_LEVEL 3
/* Bigger IDAT chunks: fewer chunk headers and CRC restarts. */
#define SM_PNG_CHUNK (256 * 1024)
#define SM_PNG_WHY 128

struct png_src {
	const unsigned char *data;
	int width, height, stride;
	int alpha; /* 1: RGBA (some pixel not opaque), 0: RGB */
};

/* libpng's defaults print to stderr; a library must not.  The message is
 * kept for the diagnostic. */
static void png_fail(png_structp png, png_const_charp msg)
{
	char *why = png_get_error_ptr(png);
	snprintf(why, SM_PNG_WHY, "%s", msg ? msg : "libpng error");
	png_longjmp(png, 1);
}

static void png_warn(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

static void png_out(png_structp png, png_bytep data, size_t len)
{
	if (sm_canvas_sink_write(png_get_io_ptr(png), data, len) != 0)
		png_error(png, "write error");
}

static void png_flush_none(png_structp png)
{
	(void)png;
}

static uint32_t pixel_at(const struct png_src *s, int x, int y)
{
	uint32_t p;
	memcpy(&p, s->data + (size_t)y * (size_t)s->stride + 4 * (size_t)x, 4);
	return p;
}

/* Any pixel not fully opaque in an ARGB32 surface?  The canvas paints white
 * first, so figures never have one; other callers may. */
static int has_alpha(const struct png_src *s)
{
	for (int y = 0; y < s->height; y++)
		for (int x = 0; x < s->width; x++)
			if ((pixel_at(s, x, y) >> 24) != 0xff)
				return 1;
	return 0;
}

static unsigned char unpremultiply(uint32_t c, uint32_t a)
{
	return a == 0 ? 0 : (unsigned char)((c * 255 + a / 2) / a);
}

/* Cairo's native-endian pixels to PNG byte order: two loops, so that the
 * opaque case (every figure) stays a tight one. */
static void convert_row(const struct png_src *s, int y, unsigned char *row)
{
	const unsigned char *in = s->data + (size_t)y * (size_t)s->stride;
	unsigned char *o = row;
	if (!s->alpha) {
		for (int x = 0; x < s->width; x++, in += 4, o += 3) {
			uint32_t p;
			memcpy(&p, in, 4);
			o[0] = (unsigned char)(p >> 16);
			o[1] = (unsigned char)(p >> 8);
			o[2] = (unsigned char)p;
		}
		return;
	}
	for (int x = 0; x < s->width; x++, in += 4, o += 4) {
		uint32_t p;
		memcpy(&p, in, 4);
		uint32_t a = p >> 24;
		o[0] = unpremultiply((p >> 16) & 0xff, a);
		o[1] = unpremultiply((p >> 8) & 0xff, a);
		o[2] = unpremultiply(p & 0xff, a);
		o[3] = (unsigned char)a;
	}
}

static void set_header(png_structp png, png_infop info, const struct png_src *s, double dpi)
{
	png_set_IHDR(png, info, (png_uint_32)s->width, (png_uint_32)s->height, 8,
		     s->alpha ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
		     PNG_FILTER_TYPE_DEFAULT);
	/* The resolution, so that a journal's checker sees 300 dpi. */
	if (dpi > 0)
		png_set_pHYs(png, info, (png_uint_32)lround(dpi / 0.0254),
			     (png_uint_32)lround(dpi / 0.0254), PNG_RESOLUTION_METER);
	png_set_compression_level(png, SM_PNG_LEVEL);
	png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
	png_set_compression_buffer_size(png, SM_PNG_CHUNK);
}

/* Returns 0, or -1 when libpng failed (it jumps back here). */
static int encode(png_structp png, png_infop info, const struct png_src *s, double dpi,
		  struct sm_canvas_sink *out, unsigned char *row)
{
	if (setjmp(png_jmpbuf(png)))
		return -1;
	png_set_write_fn(png, out, png_out, png_flush_none);
	set_header(png, info, s, dpi);
	png_write_info(png, info);
	for (int y = 0; y < s->height; y++) {
		convert_row(s, y, row);
		png_write_row(png, row);
	}
	png_write_end(png, info);
	return 0;
}

sm_status sm_canvas_write_png(struct sm_ctx *ctx, cairo_surface_t *image, double dpi,
			      struct sm_canvas_sink *out)
{
	cairo_surface_flush(image);
	cairo_format_t fmt = cairo_image_surface_get_format(image);
	if (cairo_surface_status(image) != CAIRO_STATUS_SUCCESS ||
	    (fmt != CAIRO_FORMAT_ARGB32 && fmt != CAIRO_FORMAT_RGB24))
		return SM_FAIL(ctx, SM_EINTERNAL, "cannot write a PNG of this surface; "
			       "expected a 32-bit image surface");
	struct png_src s = { cairo_image_surface_get_data(image),
			     cairo_image_surface_get_width(image),
			     cairo_image_surface_get_height(image),
			     cairo_image_surface_get_stride(image), 0 };
	if (!s.data || s.width <= 0 || s.height <= 0)
		return SM_FAIL(ctx, SM_EINTERNAL, "cannot write a PNG of an empty image");
	s.alpha = fmt == CAIRO_FORMAT_ARGB32 && has_alpha(&s);
	unsigned char *row = malloc((size_t)s.width * 4);
	char why[SM_PNG_WHY] = "";
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, why, png_fail,
						  png_warn);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	int rc = row && info ? encode(png, info, &s, dpi, out, row) : -2;
	png_destroy_write_struct(png ? &png : NULL, info ? &info : NULL);
	free(row);
	if (rc == -2)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	if (rc != 0 || out->err || ferror(out->f))
		return sm_canvas_sink_fail(ctx, out, "PNG", why);
	return SM_OK;
}
