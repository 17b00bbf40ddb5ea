#include "sm_image_cmp.h"

#include "sm_buf.h"

#include <png.h>
#include <stdlib.h>
#include <string.h>

unsigned char *sm_image_decode(const void *data, size_t len, unsigned *w, unsigned *h)
{
	png_image img;
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&img, data, len))
		return NULL;
	img.format = PNG_FORMAT_RGBA;
	unsigned char *px = malloc(PNG_IMAGE_SIZE(img));
	if (!px || !png_image_finish_read(&img, NULL, px, 0, NULL)) {
		png_image_free(&img);
		free(px);
		return NULL;
	}
	*w = img.width;
	*h = img.height;
	return px;
}

static void write_diff(const char *path, const unsigned char *ref, const unsigned char *got,
		       unsigned w, unsigned h, int tolerance)
{
	unsigned char *d = malloc((size_t)w * h * 4);
	if (!d)
		return;
	for (size_t i = 0; i < (size_t)w * h; i++) {
		int off = 0;
		for (int c = 0; c < 4; c++)
			off |= abs(ref[4 * i + c] - got[4 * i + c]) > tolerance;
		unsigned char g = (unsigned char)(255 - (255 - ref[4 * i]) / 4);
		d[4 * i] = off ? 255 : g;
		d[4 * i + 1] = off ? 0 : g;
		d[4 * i + 2] = off ? 0 : g;
		d[4 * i + 3] = 255;
	}
	png_image img;
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	img.width = w;
	img.height = h;
	img.format = PNG_FORMAT_RGBA;
	png_image_write_to_file(&img, path, 0, d, 0, NULL);
	free(d);
}

int sm_image_compare(const char *got, const char *ref, int tolerance, const char *diff_png,
		     struct sm_image_diff *out)
{
	memset(out, 0, sizeof *out);
	char *a = NULL, *b = NULL;
	size_t la = 0, lb = 0;
	if (sm_read_file(got, 0, &a, &la) != 0 || sm_read_file(ref, 0, &b, &lb) != 0) {
		free(a);
		free(b);
		return -1;
	}
	out->same_bytes = la == lb && !memcmp(a, b, la);
	unsigned wa = 0, ha = 0, wb = 0, hb = 0;
	unsigned char *pa = sm_image_decode(a, la, &wa, &ha);
	unsigned char *pb = sm_image_decode(b, lb, &wb, &hb);
	free(a);
	free(b);
	if (!pa || !pb) {
		free(pa);
		free(pb);
		return -1;
	}
	out->width = wa;
	out->height = ha;
	out->same_size = wa == wb && ha == hb;
	if (out->same_size) {
		for (size_t i = 0; i < (size_t)wa * ha; i++) {
			int worst = 0;
			for (int c = 0; c < 4; c++) {
				int d = abs(pa[4 * i + c] - pb[4 * i + c]);
				worst = d > worst ? d : worst;
			}
			out->max_channel = worst > out->max_channel ? worst : out->max_channel;
			out->pixels_over += worst > tolerance;
		}
		if (out->pixels_over && diff_png)
			write_diff(diff_png, pb, pa, wa, ha, tolerance);
	}
	free(pa);
	free(pb);
	return 0;
}
