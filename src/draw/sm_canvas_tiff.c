/*
 * sm_canvas_tiff.c -- TIFF output of an image surface through libtiff, and
 * CMYK through littleCMS.
 *
 * The file is what journals' figure checkers ask for: one image, 8 bits a
 * sample, LZW with the horizontal predictor (lossless, about the size of
 * the PNG), the resolution in the XResolution/YResolution tags (inch), RGB
 * or CMYK (Photometric "separated", ink set CMYK).  No DateTime or other
 * tag that changes between runs is written, so the same pixels give the
 * same bytes.  Errors of libtiff and littleCMS are caught per handle and
 * per context (no process-wide handler is installed) and named in the
 * diagnostic.
 */
#include "sm_canvas.h"

#include <errno.h>
#include <lcms2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <tiffio.h>

#define SM_TIFF_WHY 160

/* libtiff on the atomic writer's stream (a regular file, so it can seek). */
static tmsize_t t_read(thandle_t h, void *buf, tmsize_t n)
{
	return (tmsize_t)fread(buf, 1, (size_t)n, ((struct sm_canvas_sink *)h)->f);
}

static tmsize_t t_write(thandle_t h, void *buf, tmsize_t n)
{
	return sm_canvas_sink_write(h, buf, (size_t)n) == 0 ? n : 0;
}

static toff_t t_seek(thandle_t h, toff_t off, int whence)
{
	struct sm_canvas_sink *sink = h;
	if (fseeko(sink->f, (off_t)off, whence) != 0) {
		if (!sink->err)
			sink->err = errno;
		return (toff_t)-1;
	}
	return (toff_t)ftello(sink->f);
}

static int t_close(thandle_t h)
{
	(void)h;
	return 0; /* the atomic writer closes the stream */
}

static toff_t t_size(thandle_t h)
{
	FILE *f = ((struct sm_canvas_sink *)h)->f;
	off_t here = ftello(f);
	if (here < 0 || fseeko(f, 0, SEEK_END) != 0)
		return 0;
	off_t end = ftello(f);
	fseeko(f, here, SEEK_SET);
	return end < 0 ? 0 : (toff_t)end;
}

static int t_map(thandle_t h, void **base, toff_t *size)
{
	(void)h, (void)base, (void)size;
	return 0;
}

static void t_unmap(thandle_t h, void *base, toff_t size)
{
	(void)h, (void)base, (void)size;
}

static int t_error(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap)
{
	(void)tif, (void)module;
	char *why = user;
	if (!why[0])
		vsnprintf(why, SM_TIFF_WHY, fmt, ap);
	return 1; /* handled: libtiff prints nothing */
}

static int t_warning(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap)
{
	(void)tif, (void)user, (void)module, (void)fmt, (void)ap;
	return 1;
}

static void lcms_error(cmsContext c, cmsUInt32Number code, const char *text)
{
	(void)code;
	char *why = cmsGetContextUserData(c);
	if (why && !why[0])
		snprintf(why, SM_TIFF_WHY, "%s", text);
}

/* Cairo's native-endian 0x00RRGGBB pixels of row y as R, G, B bytes. */
static void rgb_row(const unsigned char *data, int stride, int width, int y,
		    unsigned char *out)
{
	const unsigned char *in = data + (size_t)y * (size_t)stride;
	for (int x = 0; x < width; x++, in += 4, out += 3) {
		uint32_t p;
		memcpy(&p, in, 4);
		out[0] = (unsigned char)(p >> 16);
		out[1] = (unsigned char)(p >> 8);
		out[2] = (unsigned char)p;
	}
}

struct tiff_job {
	const unsigned char *data;
	int width, height, stride;
	double dpi;
	cmsHTRANSFORM to_cmyk; /* NULL: RGB */
	char why[SM_TIFF_WHY];
};

static int set_tags(TIFF *tif, const struct tiff_job *j)
{
	int samples = j->to_cmyk ? 4 : 3;
	int ok = TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, (uint32_t)j->width) &&
		 TIFFSetField(tif, TIFFTAG_IMAGELENGTH, (uint32_t)j->height) &&
		 TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 8) &&
		 TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, samples) &&
		 TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG) &&
		 TIFFSetField(tif, TIFFTAG_ORIENTATION, ORIENTATION_TOPLEFT) &&
		 TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_LZW) &&
		 TIFFSetField(tif, TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL) &&
		 TIFFSetField(tif, TIFFTAG_XRESOLUTION, (float)j->dpi) &&
		 TIFFSetField(tif, TIFFTAG_YRESOLUTION, (float)j->dpi) &&
		 TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
	if (ok && j->to_cmyk)
		ok = TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_SEPARATED) &&
		     TIFFSetField(tif, TIFFTAG_INKSET, INKSET_CMYK);
	else if (ok)
		ok = TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
	return ok && TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, TIFFDefaultStripSize(tif, 0));
}

static int encode(TIFF *tif, struct tiff_job *j)
{
	if (!set_tags(tif, j))
		return -1;
	unsigned char *rgb = malloc((size_t)j->width * 3);
	unsigned char *cmyk = j->to_cmyk ? malloc((size_t)j->width * 4) : NULL;
	int rc = rgb && (!j->to_cmyk || cmyk) ? 0 : -2;
	for (int y = 0; rc == 0 && y < j->height; y++) {
		rgb_row(j->data, j->stride, j->width, y, rgb);
		if (j->to_cmyk)
			cmsDoTransform(j->to_cmyk, rgb, cmyk, (cmsUInt32Number)j->width);
		if (TIFFWriteScanline(tif, j->to_cmyk ? cmyk : rgb, (uint32_t)y, 0) < 0)
			rc = -1;
	}
	free(rgb);
	free(cmyk);
	return rc;
}

/* sRGB to the CMYK profile, perceptual intent; NULL with j->why set. */
static cmsHTRANSFORM cmyk_transform(cmsContext lc, const char *profile, char *why)
{
	cmsHPROFILE srgb = cmsCreate_sRGBProfileTHR(lc);
	cmsHPROFILE out = cmsOpenProfileFromFileTHR(lc, profile, "r");
	cmsHTRANSFORM t = NULL;
	if (out && cmsGetColorSpace(out) != cmsSigCmykData)
		snprintf(why, SM_TIFF_WHY, "not a CMYK profile");
	else if (srgb && out)
		t = cmsCreateTransformTHR(lc, srgb, TYPE_RGB_8, out, TYPE_CMYK_8,
					  INTENT_PERCEPTUAL, 0);
	if (srgb)
		cmsCloseProfile(srgb);
	if (out)
		cmsCloseProfile(out);
	if (!t && !why[0])
		snprintf(why, SM_TIFF_WHY, "cannot read it");
	return t;
}

sm_status sm_canvas_write_tiff(struct sm_ctx *ctx, cairo_surface_t *image,
			       const struct sm_canvas_opts *opts, struct sm_canvas_sink *out)
{
	cairo_surface_flush(image);
	struct tiff_job j = { cairo_image_surface_get_data(image),
			      cairo_image_surface_get_width(image),
			      cairo_image_surface_get_height(image),
			      cairo_image_surface_get_stride(image), opts->dpi, NULL, "" };
	if (cairo_surface_status(image) != CAIRO_STATUS_SUCCESS || !j.data ||
	    cairo_image_surface_get_format(image) != CAIRO_FORMAT_RGB24)
		return SM_FAIL(ctx, SM_EINTERNAL, "cannot write a TIFF of this surface; "
			       "expected an opaque 32-bit image surface");
	cmsContext lc = NULL;
	if (opts->cmyk) {
		const char *profile = opts->cmyk_profile ? opts->cmyk_profile
							 : SM_CANVAS_CMYK_PROFILE;
		lc = cmsCreateContext(NULL, j.why);
		if (!lc)
			return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		cmsSetLogErrorHandlerTHR(lc, lcms_error);
		j.to_cmyk = cmyk_transform(lc, profile, j.why);
		if (!j.to_cmyk) {
			cmsDeleteContext(lc);
			return SM_FAIL_POS(ctx, SM_EINPUT, profile, 0, 0, "output.cmyk_profile",
					   "cannot use the CMYK profile (%s); expected a CMYK ICC "
					   "profile (Debian package libgs-common has the default)",
					   j.why);
		}
	}
	TIFFOpenOptions *to = TIFFOpenOptionsAlloc();
	TIFF *tif = NULL;
	if (to) {
		TIFFOpenOptionsSetErrorHandlerExtR(to, t_error, j.why);
		TIFFOpenOptionsSetWarningHandlerExtR(to, t_warning, NULL);
		tif = TIFFClientOpenExt("figure.tif", "w", (thandle_t)out, t_read, t_write,
					t_seek, t_close, t_size, t_map, t_unmap, to);
	}
	int rc = tif ? encode(tif, &j) : -2;
	if (tif) {
		if (rc == 0 && !TIFFWriteDirectory(tif))
			rc = -1;
		TIFFClose(tif);
	}
	TIFFOpenOptionsFree(to);
	if (j.to_cmyk)
		cmsDeleteTransform(j.to_cmyk);
	if (lc)
		cmsDeleteContext(lc);
	if (rc == -2)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	if (rc == 0 && fflush(out->f) != 0 && !out->err)
		out->err = errno;
	if (rc != 0 || out->err || ferror(out->f))
		return sm_canvas_sink_fail(ctx, out, "TIFF", j.why);
	return SM_OK;
}
