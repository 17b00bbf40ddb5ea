/* Tests of the canvas's own PNG writer: pixels survive a decode by libpng,
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

static struct blob write_png(cairo_surface_t *s, double dpi)
{
	struct sm_ctx *ctx = sm_ctx_new();
	char *data = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&data, &len);
	assert_non_null(f);
	struct sm_canvas_sink sink = { f, "memory.png", 0 };
	assert_int_equal(sm_canvas_write_png(ctx, s, dpi, &sink), SM_OK);
	assert_int_equal(fclose(f), 0);
	sm_ctx_free(ctx);
	return (struct blob){ data, len };
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(opaque_pixels_round_trip),
		cmocka_unit_test(alpha_is_kept_unpremultiplied),
		cmocka_unit_test(write_errors_are_reported),
		cmocka_unit_test(full_output_names_the_cause),
		cmocka_unit_test(canvas_png_is_opaque_and_deterministic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
