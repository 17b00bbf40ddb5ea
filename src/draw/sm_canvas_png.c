/*
 * sm_canvas_png.c -- PNG output of an image surface: the chunks written
 * here, the image data deflated whole by libdeflate.
 *
 * cairo_surface_write_to_png() uses zlib's default level and lets libpng try
 * every row filter; on 300-dpi figures (mostly white, sharp edges) that was
 * two thirds of a whole report's time for 3 % smaller files.  libpng at zlib
 * level 3 without a row filter was five times faster; libdeflate at its
 * level 2 on the whole image (filter byte 0 on every row) is faster again
 * and about 11 % smaller (the 113 PNGs of the MSC bundle, 838 MB of pixels:
 * zlib 3 1.73 s CPU and 24.9 MB, libdeflate 2 1.45 s and 22.1 MB; the row
 * filters Sub and Up make the files 13-22 % larger and are no faster, see
 * tests/bench/README.md).  libdeflate's output depends only on the input,
 * the level and its version: the same pixels give the same bytes.
 */
#include "sm_canvas.h"

#include <libdeflate.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SM_PNG_LEVEL 2
/* IDAT chunks of at most this many bytes (any size up to 2^31 - 1 is valid;
 * decoders stream them either way). */
#define SM_PNG_CHUNK (1024 * 1024)

struct png_src {
	const unsigned char *data;
	int width, height, stride;
	int alpha; /* 1: RGBA (some pixel not opaque), 0: RGB */
	int ssse3; /* the CPU has SSSE3's byte shuffle (rgb_ssse3) */
};

#if defined(__GNUC__) && defined(__x86_64__)
#define SM_PNG_SSSE3 1
#include <tmmintrin.h>

/* Four opaque pixels (16 bytes) to 12 bytes of RGB in one shuffle: three
 * times the portable loop's speed (0.1 s against 0.3 s for 30 figures of
 * 2100 x 1500 pixels), which was a tenth of a report.  Each store writes
 * 16 bytes, the last 4 of them the next pixels' place, so it stops while
 * at least 6 pixels remain; the portable loop does the rest.  Returns the
 * AND of the pixels it converted (as convert_row) and sets *done. */
__attribute__((target("ssse3"))) static uint32_t rgb_ssse3(const unsigned char *in,
							unsigned char *o, int width, int *done)
{
	const __m128i order = _mm_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1,
					    -1);
	__m128i all = _mm_set1_epi32(-1);
	int x = 0;
	for (; x + 6 <= width; x += 4, in += 16, o += 12) {
		__m128i p = _mm_loadu_si128((const __m128i *)(const void *)in);
		all = _mm_and_si128(all, p);
		_mm_storeu_si128((__m128i *)(void *)o, _mm_shuffle_epi8(p, order));
	}
	uint32_t a[4];
	_mm_storeu_si128((__m128i *)(void *)a, all);
	*done = x;
	return a[0] & a[1] & a[2] & a[3];
}
#endif

static unsigned char unpremultiply(uint32_t c, uint32_t a)
{
	return a == 0 ? 0 : (unsigned char)((c * 255 + a / 2) / a);
}

/* Cairo's native-endian pixels to PNG byte order: two loops, so that the
 * opaque case (every figure) stays a tight one.  Returns the AND of the
 * row's pixels as RGB (its top byte 0xff when every alpha byte was), else
 * 0xffffffff. */
static uint32_t convert_row(const struct png_src *s, const unsigned char *in, unsigned char *row)
{
	unsigned char *o = row;
	uint32_t all = 0xffffffffu;
	if (!s->alpha) {
		int x = 0;
#ifdef SM_PNG_SSSE3
		if (s->ssse3) {
			all = rgb_ssse3(in, o, s->width, &x);
			in += 4 * (size_t)x;
			o += 3 * (size_t)x;
		}
#endif
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		/* four pixels (0xAARRGGBB words) to 12 bytes in three stores:
		 * byte-reversed and shifted, a word's low three bytes are R, G,
		 * B in memory order.  This loop was a tenth of a report. */
		for (; x + 4 <= s->width; x += 4, in += 16, o += 12) {
			uint32_t p[4], w[3];
			memcpy(p, in, 16);
			all &= p[0] & p[1] & p[2] & p[3];
			for (int k = 0; k < 4; k++)
				p[k] = __builtin_bswap32(p[k]) >> 8;
			w[0] = p[0] | p[1] << 24;
			w[1] = p[1] >> 8 | p[2] << 16;
			w[2] = p[2] >> 16 | p[3] << 8;
			memcpy(o, w, 12);
		}
#endif
		for (; x < s->width; x++, in += 4, o += 3) {
			uint32_t p;
			memcpy(&p, in, 4);
			all &= p;
			o[0] = (unsigned char)(p >> 16);
			o[1] = (unsigned char)(p >> 8);
			o[2] = (unsigned char)p;
		}
		return all;
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
	return all;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* One chunk: length, type, data, the CRC of type and data. */
static int put_chunk(struct sm_canvas_sink *out, const char *type, const unsigned char *data,
		     size_t len)
{
	unsigned char head[8], tail[4];
	put32(head, (uint32_t)len);
	memcpy(head + 4, type, 4);
	uint32_t crc = libdeflate_crc32(0, head + 4, 4);
	if (len) /* like zlib's, crc32(c, NULL, 0) is the initial value, not c */
		crc = libdeflate_crc32(crc, data, len);
	put32(tail, crc);
	return sm_canvas_sink_write(out, head, 8) || sm_canvas_sink_write(out, data, len) ||
	       sm_canvas_sink_write(out, tail, 4) ? -1 : 0;
}

/* The rows as PNG's filtered image data: each a filter byte 0 (none) and
 * its pixels.  NULL when out of memory, or (*alpha set) when s is taken as
 * opaque, `check` is set and some pixel is not: an ARGB32 surface is
 * converted as RGB and its alpha checked on the way, instead of first
 * reading all of it for that (the canvas paints white first, so figures
 * never have a translucent pixel; other callers may).
 *
 * `in_place` (RGB only): the data is built over the surface's own pixels,
 * which it never overtakes (row y ends at (y + 1) (3 w + 1) bytes, row
 * y + 1 of the pixels starts at (y + 1) stride, stride >= 4 w), each row
 * read out first; so a 300-dpi figure needs no second copy of its
 * pixels (about 15 MB a figure, fresh pages to fault in each time). */
static unsigned char *filtered_rows(const struct png_src *s, int check, int in_place,
				    size_t *len, int *alpha)
{
	size_t row = 1 + (size_t)s->width * (s->alpha ? 4 : 3), bytes = 4 * (size_t)s->width;
	unsigned char *raw = in_place ? (unsigned char *)s->data : malloc(row * (size_t)s->height);
	unsigned char *cur = in_place ? malloc(2 * bytes) : NULL, *prev = cur ? cur + bytes : NULL;
	if (!raw || (in_place && !cur)) {
		if (!in_place)
			free(raw);
		return NULL;
	}
	for (int y = 0; y < s->height; y++) {
		unsigned char *r = raw + row * (size_t)y;
		const unsigned char *in = s->data + (size_t)y * (size_t)s->stride;
		const unsigned char *above = in - s->stride;
		if (in_place) { /* read it before its bytes are written over */
			unsigned char *t = prev;
			prev = cur;
			cur = t;
			memcpy(cur, in, bytes);
			in = cur;
			above = prev;
		}
		r[0] = 0;
		/* a row like the one above (margins, a plot's blank space): its
		 * bytes again, without converting each pixel */
		if (y > 0 && !memcmp(in, above, bytes)) {
			memcpy(r + 1, r + 1 - row, row - 1);
		} else if ((convert_row(s, in, r + 1) >> 24) != 0xff && check && !s->alpha) {
			free(raw);
			*alpha = 1;
			return NULL;
		}
	}
	free(cur < prev ? cur : prev);
	*len = row * (size_t)s->height;
	return raw;
}

/* The zlib stream of the image data, in *z (caller frees); 0, or -1 when
 * out of memory.  The figures deflate to a few percent of their pixels, so
 * a buffer of an eighth is tried first and the worst-case bound only when
 * that does not suffice (rare, and then the image is small to begin with
 * or noisy). */
static int deflate_rows(const unsigned char *raw, size_t len, unsigned char **z, size_t *zlen)
{
	struct libdeflate_compressor *c = libdeflate_alloc_compressor(SM_PNG_LEVEL);
	if (!c)
		return -1;
	size_t bound = libdeflate_zlib_compress_bound(c, len), cap = len / 8 + 4096;
	*z = NULL;
	*zlen = 0;
	for (int attempt = 0; attempt < 2 && !*zlen; attempt++) {
		size_t size = attempt ? bound : cap < bound ? cap : bound;
		free(*z);
		*z = malloc(size);
		if (!*z)
			break;
		*zlen = libdeflate_zlib_compress(c, raw, len, *z, size);
	}
	libdeflate_free_compressor(c);
	if (!*zlen) {
		free(*z);
		*z = NULL;
		return -1;
	}
	return 0;
}

static int put_png(struct sm_canvas_sink *out, const struct png_src *s, double dpi,
		   const unsigned char *z, size_t zlen)
{
	static const unsigned char signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a,
						    '\n' };
	unsigned char ihdr[13];
	put32(ihdr, (uint32_t)s->width);
	put32(ihdr + 4, (uint32_t)s->height);
	ihdr[8] = 8;                 /* bits per sample */
	ihdr[9] = s->alpha ? 6 : 2;  /* RGBA : RGB */
	ihdr[10] = ihdr[11] = ihdr[12] = 0; /* deflate, adaptive filters, no interlace */
	if (sm_canvas_sink_write(out, signature, sizeof signature) ||
	    put_chunk(out, "IHDR", ihdr, sizeof ihdr))
		return -1;
	if (dpi > 0) { /* the resolution, so that a journal's checker sees 300 dpi */
		unsigned char phys[9];
		uint32_t ppm = (uint32_t)lround(dpi / 0.0254);
		put32(phys, ppm);
		put32(phys + 4, ppm);
		phys[8] = 1; /* metre */
		if (put_chunk(out, "pHYs", phys, sizeof phys))
			return -1;
	}
	for (size_t at = 0; at < zlen; at += SM_PNG_CHUNK)
		if (put_chunk(out, "IDAT", z + at, zlen - at < SM_PNG_CHUNK ? zlen - at
									: SM_PNG_CHUNK))
			return -1;
	return put_chunk(out, "IEND", NULL, 0);
}

static sm_status write_png(struct sm_ctx *ctx, cairo_surface_t *image, double dpi,
			   struct sm_canvas_sink *out, int owned)
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
			     cairo_image_surface_get_stride(image), 0, 0 };
#ifdef SM_PNG_SSSE3
	s.ssse3 = __builtin_cpu_supports("ssse3");
#endif
	if (!s.data || s.width <= 0 || s.height <= 0)
		return SM_FAIL(ctx, SM_EINTERNAL, "cannot write a PNG of an empty image");
	size_t len = 0, zlen = 0;
	int check = fmt == CAIRO_FORMAT_ARGB32, in_place = owned && !check;
	unsigned char *raw = filtered_rows(&s, check, in_place, &len, &s.alpha), *z = NULL;
	if (!raw && s.alpha) /* translucent: again, as RGBA */
		raw = filtered_rows(&s, 0, 0, &len, &s.alpha);
	int rc = raw ? deflate_rows(raw, len, &z, &zlen) : -1;
	if (!in_place)
		free(raw);
	if (rc != 0)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	rc = put_png(out, &s, dpi, z, zlen);
	free(z);
	if (rc != 0 || out->err || ferror(out->f))
		return sm_canvas_sink_fail(ctx, out, "PNG", NULL);
	return SM_OK;
}

sm_status sm_canvas_write_png(struct sm_ctx *ctx, cairo_surface_t *image, double dpi,
			      struct sm_canvas_sink *out)
{
	return write_png(ctx, image, dpi, out, 0);
}

sm_status sm_canvas_write_png_spent(struct sm_ctx *ctx, cairo_surface_t *image, double dpi,
				    struct sm_canvas_sink *out)
{
	return write_png(ctx, image, dpi, out, 1);
}
