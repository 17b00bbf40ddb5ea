/*
 * sm_image_cmp.h -- comparing rendered PNGs with reference images, as
 * cairo's test suite does: identical bytes pass at once; otherwise both
 * are decoded and the figure fails only when pixels changed by more than a
 * channel tolerance (anti-aliasing of a different libpixman may move a
 * channel by a unit or two; a moved or resized mark moves it by a lot).
 *
 * Ownership: sm_image_decode() returns pixels the caller frees.
 */
#ifndef SM_IMAGE_CMP_H
#define SM_IMAGE_CMP_H

#include <stddef.h>

/* 8-bit RGBA pixels of a PNG in memory, or NULL when libpng refuses it. */
unsigned char *sm_image_decode(const void *data, size_t len, unsigned *w, unsigned *h);

struct sm_image_diff {
	int same_bytes;      /* the files are identical */
	int same_size;       /* width and height agree */
	unsigned width, height;
	size_t pixels_over;  /* pixels with some channel off by more than the tolerance */
	int max_channel;     /* the largest channel difference (0..255) */
};

/* Compare file `got` with reference `ref` (paths); 0 when both decoded.
 * When the images differ beyond `tolerance`, `diff_png` (may be NULL) gets
 * an image of the differing pixels (red over a faded copy of the reference). */
int sm_image_compare(const char *got, const char *ref, int tolerance, const char *diff_png,
		     struct sm_image_diff *out);

#endif
