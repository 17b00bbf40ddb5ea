/* Tests of the canvas's own PNG writer: pixels survive a decode by libpng,
 * chunks and CRCs are well formed (also for large and incompressible images),
 * transparency is kept and un-premultiplied, the resolution is recorded,
 * bytes are deterministic, and write errors are reported. */
#include "sm_test.h"

#include "sm_image_cmp.h"

#include "sm_atomic.h"
#include "sm_buf.h"
#include "sm_canvas.h"

#include <dirent.h>
#include <errno.h>
#include <png.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* A whole PNG file, as written. */
struct blob {
	char *data;
	size_t len;
};

typedef sm_status (*png_writer)(struct sm_ctx *, cairo_surface_t *, double,
				 struct sm_canvas_sink *);

/* The PNG `write` makes of `s`, in memory. */
static struct blob write_png_with(png_writer write, cairo_surface_t *s, double dpi)
{
	struct sm_ctx *ctx = sm_ctx_new();
	char *data = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&data, &len);
	assert_non_null(f);
	struct sm_canvas_sink sink = { f, "memory.png", 0 };
	assert_int_equal(write(ctx, s, dpi, &sink), SM_OK);
	assert_int_equal(fclose(f), 0);
	sm_ctx_free(ctx);
	return (struct blob){ data, len };
}

static struct blob write_png(cairo_surface_t *s, double dpi)
{
	return write_png_with(sm_canvas_write_png, s, dpi);
}

/* Decode with libpng's own reader into 8-bit RGBA; fails the test when
 * libpng rejects the file (bad CRC, bad zlib stream, bad header). */
static unsigned char *decode(const struct blob *b, png_uint_32 *w, png_uint_32 *h)
{
	unsigned ww = 0, hh = 0;
	unsigned char *px = sm_image_decode(b->data, b->len, &ww, &hh);
	assert_non_null(px);
	*w = ww;
	*h = hh;
	return px;
}

/* The IHDR colour type byte (2 = RGB, 6 = RGBA). */
static int colour_type(const struct blob *b)
{
	assert_true(b->len > 33);
	assert_memory_equal(b->data + 12, "IHDR", 4);
	return (unsigned char)b->data[25];
}

/* Pixels per metre from the pHYs chunk, or -1 when there is none. */
static long phys_ppm(const struct blob *b)
{
	for (size_t i = 8; i + 12 <= b->len;) {
		const unsigned char *p = (const unsigned char *)b->data + i;
		unsigned long n = (unsigned long)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
		if (!memcmp(p + 4, "pHYs", 4) && n == 9) {
			assert_int_equal(p[16], 1); /* unit: metre */
			return (long)((unsigned long)p[8] << 24 | p[9] << 16 | p[10] << 8 | p[11]);
		}
		i += 12 + n;
	}
	return -1;
}

static void set_pixel(cairo_surface_t *s, int x, int y, uint32_t argb)
{
	unsigned char *row = cairo_image_surface_get_data(s) +
			     (size_t)y * (size_t)cairo_image_surface_get_stride(s);
	memcpy(row + 4 * x, &argb, 4);
}

/* Every pixel of an opaque pattern comes back as written, as RGB. */
static void opaque_pixels_round_trip(void **state)
{
	(void)state;
	int w = 37, h = 11; /* odd sizes: no row padding assumptions */
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cairo_surface_flush(s);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			set_pixel(s, x, y, 0xff000000u | (uint32_t)(x * 7) << 16 |
					      (uint32_t)(y * 23) << 8 | (uint32_t)((x * y) & 0xff));
	cairo_surface_mark_dirty(s);
	struct blob b = write_png(s, 300);
	assert_int_equal(colour_type(&b), 2);
	/* 300 dpi = 11811.02 px/m */
	assert_int_equal(phys_ppm(&b), 11811);
	png_uint_32 pw, ph;
	unsigned char *px = decode(&b, &pw, &ph);
	assert_int_equal(pw, w);
	assert_int_equal(ph, h);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			const unsigned char *p = px + 4 * ((size_t)y * w + x);
			assert_int_equal(p[0], x * 7);
			assert_int_equal(p[1], y * 23);
			assert_int_equal(p[2], (x * y) & 0xff);
			assert_int_equal(p[3], 255);
		}
	/* same pixels, same bytes */
	struct blob again = write_png(s, 300);
	assert_int_equal(again.len, b.len);
	assert_memory_equal(again.data, b.data, b.len);
	free(again.data);
	free(px);
	free(b.data);
	cairo_surface_destroy(s);
}

/* ARGB32: opaque gives RGB, any translucent pixel gives RGBA with cairo's
 * premultiplied values divided back out. */
static void alpha_is_kept_unpremultiplied(void **state)
{
	(void)state;
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 3, 1);
	cairo_surface_flush(s);
	set_pixel(s, 0, 0, 0xff102030u);
	set_pixel(s, 1, 0, 0xff405060u);
	set_pixel(s, 2, 0, 0xff708090u);
	cairo_surface_mark_dirty(s);
	struct blob b = write_png(s, 0);
	assert_int_equal(colour_type(&b), 2);
	assert_int_equal(phys_ppm(&b), -1); /* dpi 0: no resolution claimed */
	free(b.data);

	cairo_surface_flush(s);
	set_pixel(s, 1, 0, 0x80402000u); /* a = 128, premultiplied r = 64, g = 32 */
	set_pixel(s, 2, 0, 0x00000000u); /* fully transparent */
	cairo_surface_mark_dirty(s);
	b = write_png(s, 96);
	assert_int_equal(colour_type(&b), 6);
	assert_int_equal(phys_ppm(&b), 3780);
	png_uint_32 w, h;
	unsigned char *px = decode(&b, &w, &h);
	const unsigned char want[12] = { 0x10, 0x20, 0x30, 255, 128, 64, 0, 128, 0, 0, 0, 0 };
	assert_memory_equal(px, want, sizeof want);
	free(px);
	free(b.data);
	cairo_surface_destroy(s);
}

/* A full device: the error is SM_EOUTPUT with a message, nothing printed. */
static void write_errors_are_reported(void **state)
{
	(void)state;
	FILE *f = fopen("/dev/full", "w");
	assert_non_null(f);
	setvbuf(f, NULL, _IONBF, 0); /* fail at the first write, not at fclose */
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 64, 64);
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_canvas_sink sink = { f, "/dev/full", 0 };
	assert_int_equal(sm_canvas_write_png(ctx, s, 300, &sink), SM_EOUTPUT);
	assert_non_null(strstr(sm_ctx_error(ctx)->msg,
			       "cannot write the PNG: No space left on device"));
	assert_string_equal(sm_ctx_error(ctx)->file, "/dev/full");
	sm_ctx_clear_error(ctx);
	cairo_surface_t *a8 = cairo_image_surface_create(CAIRO_FORMAT_A8, 4, 4);
	assert_int_equal(sm_canvas_write_png(ctx, a8, 300, &sink), SM_EINTERNAL);
	assert_non_null(strstr(sm_ctx_error(ctx)->msg, "expected a 32-bit image"));
	cairo_surface_destroy(a8);
	cairo_surface_destroy(s);
	sm_ctx_free(ctx);
	fclose(f);
}

static char *render_square(const char *dir, const char *name)
{
	struct sm_ctx *ctx = sm_ctx_new();
	char *path = sm_asprintf("%s/%s", dir, name);
	/* 72 x 36 pt at 144 dpi = 144 x 72 px; a black square 10..20 pt */
	struct sm_canvas *c = sm_canvas_open(ctx, path, 72, 36, 144);
	assert_non_null(c);
	cairo_t *cr = sm_canvas_cr(c);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_rectangle(cr, 10, 10, 10, 10);
	cairo_fill(cr);
	assert_int_equal(sm_canvas_close(ctx, c), SM_OK);
	sm_ctx_free(ctx);
	return path;
}

/* Through the canvas: white page, the square where it was drawn, the
 * DPI's pixel size, and the same bytes on a second render. */
static void canvas_png_is_opaque_and_deterministic(void **state)
{
	(void)state;
	char dir[] = "/tmp/sm-test-canvas-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *p1 = render_square(dir, "a.png"), *p2 = render_square(dir, "b.png");
	struct blob b1, b2;
	assert_int_equal(sm_read_file(p1, 0, &b1.data, &b1.len), 0);
	assert_int_equal(sm_read_file(p2, 0, &b2.data, &b2.len), 0);
	assert_int_equal(b1.len, b2.len);
	assert_memory_equal(b1.data, b2.data, b1.len);
	assert_int_equal(colour_type(&b1), 2);
	assert_int_equal(phys_ppm(&b1), 5669); /* 144 dpi */
	png_uint_32 w, h;
	unsigned char *px = decode(&b1, &w, &h);
	assert_int_equal(w, 144);
	assert_int_equal(h, 72);
	const unsigned char *corner = px, *inside = px + 4 * (30 * 144 + 30);
	assert_int_equal(corner[0], 255);
	assert_int_equal(corner[1], 255);
	assert_int_equal(inside[0], 0);
	assert_int_equal(inside[2], 0);
	free(px);
	free(b1.data);
	free(b2.data);
	unlink(p1);
	unlink(p2);
	free(p1);
	free(p2);
	rmdir(dir);
}

/* Entries of dir other than "." and "..". */
static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

/* Enough marks that every format outgrows the stdio buffer, so the
 * writers themselves meet the error, not only the final flush. */
static void draw_noise(cairo_t *cr)
{
	unsigned x = 12345;
	for (int i = 0; i < 3000; i++) {
		x = x * 1103515245u + 12345u;
		cairo_set_source_rgb(cr, (x >> 8 & 255) / 255.0, (x >> 16 & 255) / 255.0,
				     (x >> 24) / 255.0);
		cairo_rectangle(cr, (x >> 4) % 190, (x >> 12) % 190, 1 + x % 9, 1 + (x >> 20) % 9);
		cairo_fill(cr);
	}
}

/* A file size limit (as a full disk, but reproducible): every format fails
 * with SM_EOUTPUT naming the file and the system's cause, and leaves
 * neither the file nor a temporary behind. */
static void full_output_names_the_cause(void **state)
{
	(void)state;
	static const char *const names[] = { "f.pdf", "f.svg", "f.png", "f.tif", "f.eps" };
	char dir[] = "/tmp/sm-test-full-XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct rlimit old;
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		struct sm_ctx *ctx = sm_ctx_new();
		char *path = sm_asprintf("%s/%s", dir, names[i]);
		struct sm_canvas *c = sm_canvas_open(ctx, path, 200, 200, 300);
		assert_non_null(c);
		draw_noise(sm_canvas_cr(c));
		struct rlimit small = { 64, old.rlim_max };
		assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
		sm_status st = sm_canvas_close(ctx, c);
		assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
		assert_int_equal(st, SM_EOUTPUT);
		const struct sm_diag *d = sm_ctx_error(ctx);
		assert_non_null(d->file);
		assert_string_equal(d->file, path);
		assert_non_null(strstr(d->msg, strerror(EFBIG)));
		assert_int_equal(entries(dir), 0);
		free(path);
		sm_ctx_free(ctx);
	}
	signal(SIGXFSZ, old_handler);
	rmdir(dir);
}

/* CRC-32 of PNG chunks, bit by bit (ISO 3309), independent of the
 * encoder's libdeflate_crc32. */
static uint32_t crc32_bits(uint32_t crc, const unsigned char *p, size_t n)
{
	crc = ~crc;
	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = crc & 1 ? 0xedb88320u ^ (crc >> 1) : crc >> 1;
	}
	return ~crc;
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The signature, IHDR first, IEND last and empty, every chunk's CRC right,
 * no IDAT over 1 MiB; returns the number of IDAT chunks. */
static int check_chunks(const struct blob *b)
{
	const unsigned char *d = (const unsigned char *)b->data;
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	assert_true(b->len >= 8 + 25 + 12);
	assert_memory_equal(d, sig, 8);
	assert_memory_equal(d + 12, "IHDR", 4);
	int idat = 0, end = 0;
	for (size_t i = 8; i < b->len;) {
		assert_false(end); /* nothing after IEND */
		assert_true(i + 12 <= b->len);
		uint32_t n = get32(d + i);
		assert_true(i + 12 + n <= b->len);
		assert_int_equal(get32(d + i + 8 + n), crc32_bits(0, d + i + 4, 4 + (size_t)n));
		if (!memcmp(d + i + 4, "IDAT", 4)) {
			assert_true(n <= 1024 * 1024);
			idat++;
		}
		if (!memcmp(d + i + 4, "IEND", 4)) {
			assert_int_equal(n, 0);
			end = 1;
		}
		i += 12 + n;
	}
	assert_true(end);
	assert_true(idat > 0);
	return idat;
}

/* Pixels of a pseudo-random (LCG) or a figure-like (white, a few lines,
 * runs of equal rows) opaque image. */
static cairo_surface_t *test_image(int w, int h, int noisy)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cairo_surface_flush(s);
	uint32_t state = 12345;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			state = state * 1664525u + 1013904223u;
			/* rows that differ from the one above only in their last
			 * pixel, against a writer that compares rows too little */
			int dark = x % 97 == 0 || y == h / 3 || (x == w - 1 && y % 5 == 0);
			uint32_t px = noisy ? state >> 8 : dark ? 0x203040 : 0xffffff;
			set_pixel(s, x, y, 0xff000000u | px);
		}
	cairo_surface_mark_dirty(s);
	return s;
}

static void same_pixels(cairo_surface_t *s, const struct blob *b)
{
	png_uint_32 w, h;
	unsigned char *px = decode(b, &w, &h);
	assert_int_equal(w, cairo_image_surface_get_width(s));
	assert_int_equal(h, cairo_image_surface_get_height(s));
	const unsigned char *data = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	for (png_uint_32 y = 0; y < h; y++)
		for (png_uint_32 x = 0; x < w; x++) {
			uint32_t p;
			memcpy(&p, data + (size_t)y * (size_t)stride + 4 * x, 4);
			const unsigned char *q = px + 4 * ((size_t)y * w + x);
			assert_int_equal(q[0], (p >> 16) & 0xff);
			assert_int_equal(q[1], (p >> 8) & 0xff);
			assert_int_equal(q[2], p & 0xff);
			assert_int_equal(q[3], 255);
		}
	free(px);
}

/* The chunks are well formed (a reader that skips CRCs would not notice a
 * wrong one); an incompressible image, larger than the first output
 * buffer the encoder tries and than one IDAT chunk, round-trips too; a
 * figure-like one compresses to a few percent in one chunk. */
static void chunks_and_large_images(void **state)
{
	(void)state;
	cairo_surface_t *noise = test_image(700, 600, 1), *plain = test_image(2000, 1500, 0);
	struct blob b = write_png(noise, 300);
	assert_true(check_chunks(&b) >= 2);
	assert_true(b.len > 700 * 600 * 3); /* stored: more than the pixels */
	same_pixels(noise, &b);
	free(b.data);
	b = write_png(plain, 300);
	assert_int_equal(check_chunks(&b), 1);
	assert_true(b.len < 2000 * 1500 * 3 / 50);
	same_pixels(plain, &b);
	free(b.data);
	cairo_surface_t *one = test_image(1, 1, 0);
	struct blob tiny = write_png(one, 0);
	check_chunks(&tiny);
	same_pixels(one, &tiny);
	free(tiny.data);
	cairo_surface_destroy(one);
	cairo_surface_destroy(noise);
	cairo_surface_destroy(plain);
}


/* The canvas's writer builds the image data over the surface's own pixels:
 * the same bytes as from a copy, for wide, narrow (one pixel: its rows
 * are exactly as long as the data's) and noisy images, with and without
 * runs of equal rows. */
static void spent_surface_same_bytes(void **state)
{
	(void)state;
	const int sizes[][3] = { { 2000, 1500, 0 }, { 700, 600, 1 }, { 1, 50, 0 }, { 1, 9, 1 },
				 { 5, 3, 1 }, { 37, 11, 0 } };
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		cairo_surface_t *keep = test_image(sizes[k][0], sizes[k][1], sizes[k][2]);
		cairo_surface_t *spent = test_image(sizes[k][0], sizes[k][1], sizes[k][2]);
		struct blob a = write_png(keep, 300), b = write_png_with(sm_canvas_write_png_spent, spent, 300);
		assert_int_equal(a.len, b.len);
		assert_memory_equal(a.data, b.data, a.len);
		same_pixels(keep, &b);
		free(a.data);
		free(b.data);
		cairo_surface_destroy(keep);
		cairo_surface_destroy(spent);
	}
}

/* A fresh RGB24 surface painted white, as make_raster paints it: every
 * byte 0xff (the unused one too), which is what the canvas's memset of
 * reused pixel memory writes instead. */
static void pixels_white_is_cairos_white(void **state)
{
	(void)state;
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 37, 5);
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	const unsigned char *d = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	for (int y = 0; y < 5; y++)
		for (int x = 0; x < 4 * 37; x++)
			assert_int_equal(d[y * stride + x], 0xff);
	cairo_surface_destroy(s);
}

/* w x h pt at dpi to dir/name: translucent, antialiased shapes (they
 * read the pixels under them) in the memory of `pixels` (NULL: its own).
 * Returns the file's bytes. */
static struct blob render_shapes(const char *dir, const char *name, double w, double h,
				 double dpi, struct sm_canvas_pixels *pixels)
{
	struct sm_ctx *ctx = sm_ctx_new();
	char *path = sm_asprintf("%s/%s", dir, name);
	struct sm_canvas_opts o = { .dpi = dpi, .pixels = pixels };
	struct sm_canvas *c = sm_canvas_open_with(ctx, path, w, h, &o);
	assert_non_null(c);
	cairo_t *cr = sm_canvas_cr(c);
	cairo_set_source_rgba(cr, 0.8, 0.2, 0.1, 0.5);
	cairo_arc(cr, w / 3, h / 2, h / 3, 0, 6.283185307179586);
	cairo_fill(cr);
	cairo_set_source_rgba(cr, 0, 0.4, 0.7, 0.7);
	cairo_set_line_width(cr, 1.3);
	cairo_move_to(cr, 0.5, h - 1);
	cairo_line_to(cr, w - 2, 1.7);
	cairo_stroke(cr);
	assert_int_equal(sm_canvas_close(ctx, c), SM_OK);
	struct blob b;
	assert_int_equal(sm_read_file(path, 0, &b.data, &b.len), 0);
	unlink(path);
	free(path);
	sm_ctx_free(ctx);
	return b;
}

/* Rasters drawn one after another in the same pixel memory (larger,
 * smaller, other widths: what the last left there, its in-place PNG data
 * included) are the bytes each makes in memory of its own, PNG and TIFF. */
static void pixels_reused_same_bytes(void **state)
{
	(void)state;
	char dir[] = "/tmp/sm-test-canvas-XXXXXX";
	assert_non_null(mkdtemp(dir));
	const double sizes[][3] = { { 72, 36, 300 }, { 200, 150, 300 }, { 30, 90, 144 },
				    { 200, 150, 300 }, { 7, 3, 72 }, { 150, 200, 300 } };
	const char *const names[] = { "f.png", "f.tif" };
	struct sm_canvas_pixels *pixels = sm_canvas_pixels_new();
	assert_non_null(pixels);
	for (int n = 0; n < 2; n++)
		for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
			const double *z = sizes[k];
			struct blob own = render_shapes(dir, names[n], z[0], z[1], z[2], NULL);
			struct blob reused = render_shapes(dir, names[n], z[0], z[1], z[2], pixels);
			assert_int_equal(own.len, reused.len);
			assert_memory_equal(own.data, reused.data, own.len);
			free(own.data);
			free(reused.data);
		}
	sm_canvas_pixels_free(pixels);
	sm_canvas_pixels_free(NULL);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(opaque_pixels_round_trip),
		cmocka_unit_test(alpha_is_kept_unpremultiplied),
		cmocka_unit_test(write_errors_are_reported),
		cmocka_unit_test(full_output_names_the_cause),
		cmocka_unit_test(canvas_png_is_opaque_and_deterministic),
		cmocka_unit_test(chunks_and_large_images),
		cmocka_unit_test(spent_surface_same_bytes),
		cmocka_unit_test(pixels_white_is_cairos_white),
		cmocka_unit_test(pixels_reused_same_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
