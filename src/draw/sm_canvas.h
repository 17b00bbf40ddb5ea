/*
 * sm_canvas.h -- a drawing surface in physical units for PDF, SVG, PNG, TIFF
 * and EPS.
 *
 * The user space of the cairo_t is points (1/72 in) with the origin at the
 * top left of the page, whatever the format: PNG and TIFF are scaled to
 * their DPI.  The file is written through sm_atomic, so a failed render
 * leaves no partial file.  Output is deterministic: PDF and EPS dates come
 * from SOURCE_DATE_EPOCH (sm_ctx_epoch) or are fixed; PNG and TIFF carry
 * no date at all.
 *
 * TIFF (sm_canvas_tiff.c): LZW with the horizontal predictor, resolution
 * tags, 8-bit RGB, or CMYK converted from sRGB by littleCMS through a CMYK
 * ICC profile (perceptual intent).  Below 300 dpi a warning says what
 * journals ask for.  EPS: cairo's PostScript surface in EPS mode (one
 * page), its creation date replaced by the fixed one.
 *
 * Ownership: sm_canvas_open() returns a canvas that must be ended with
 * exactly one of sm_canvas_close() (writes the file) or sm_canvas_abort();
 * both free it.  The cairo_t is borrowed from the canvas.
 */
#ifndef SM_CANVAS_H
#define SM_CANVAS_H

#include "sm_ctx.h"

#include <cairo.h>
#include <stdio.h>
#include <time.h>

enum sm_canvas_format { SM_CANVAS_PDF, SM_CANVAS_SVG, SM_CANVAS_PNG, SM_CANVAS_TIFF,
			 SM_CANVAS_EPS };

/* 1 for the formats drawn as pixels (PNG, TIFF). */
int sm_canvas_is_raster(enum sm_canvas_format fmt);

#define SM_PT_PER_MM (72.0 / 25.4)

/* Largest PNG side in pixels (cairo's image surface limit). */
#define SM_PNG_MAX_PX 32767

/* Format from the file name's extension (.pdf, .svg, .png, .tif or .tiff,
 * .eps; any case). */
sm_status sm_canvas_format_of(struct sm_ctx *ctx, const char *path,
			      enum sm_canvas_format *fmt);

/* Pixel size of a PNG side of `pt` points at `dpi`. */
long sm_canvas_px(double pt, double dpi);

/* The CMYK profile a TIFF is converted to unless told another
 * (Ghostscript's SWOP-like default, Debian package libgs-common). */
#define SM_CANVAS_CMYK_PROFILE "/usr/share/color/icc/ghostscript/default_cmyk.icc"

/* Least TIFF resolution most journals accept (below it: a warning). */
#define SM_TIFF_MIN_DPI 300

struct sm_canvas;

/* Pixel memory that one raster canvas after another draws into (a bundle
 * worker's PNGs): a 300-dpi figure is tens of MB, and fresh memory for
 * each costs its page faults, the kernel's zeroing and unmapping it again
 * (about 3 % of a whole report).  It grows to the largest raster drawn
 * and is kept until freed.  One canvas at a time: a canvas opened with it
 * must be closed or aborted before the next is opened with it. */
struct sm_canvas_pixels;
struct sm_canvas_pixels *sm_canvas_pixels_new(void);
void sm_canvas_pixels_free(struct sm_canvas_pixels *px);

/* How a raster is written. */
struct sm_canvas_opts {
	double dpi;               /* PNG and TIFF */
	int cmyk;                 /* TIFF: CMYK instead of RGB */
	const char *cmyk_profile; /* its ICC profile (borrowed); NULL: the default */
	/* PNG and TIFF: drawn in this memory (borrowed); NULL: memory of its own */
	struct sm_canvas_pixels *pixels;
};

/* A canvas of width x height points (every page of a PDF has that size);
 * dpi is used for PNG and TIFF only.  NULL on failure. */
struct sm_canvas *sm_canvas_open(struct sm_ctx *ctx, const char *path,
				 double width, double height, double dpi);
struct sm_canvas *sm_canvas_open_with(struct sm_ctx *ctx, const char *path, double width,
				      double height, const struct sm_canvas_opts *opts);
enum sm_canvas_format sm_canvas_format(const struct sm_canvas *c);
cairo_t *sm_canvas_cr(struct sm_canvas *c);
/* Paint the current page opaque white (a PNG is white from the start).
 * Painted first, the ground also spares cairo work on a vector page: its
 * analysis of the page then holds one rectangle containing every later
 * drawing operation, instead of a region that grows with each of them
 * (10,000-study forest: PDF 0.45 -> 0.39 s, SVG on one page 7 -> 0.7 s). */
void sm_canvas_paint_white(struct sm_canvas *c);
/* SVG only: XML written just before the closing </svg> (the SVG text
 * writer's fonts and texts); copied. */
sm_status sm_canvas_svg_tail(struct sm_ctx *ctx, struct sm_canvas *c, const char *xml);
/* End the current page and start another (PDF only). */
sm_status sm_canvas_next_page(struct sm_ctx *ctx, struct sm_canvas *c);
sm_status sm_canvas_close(struct sm_ctx *ctx, struct sm_canvas *c);
void sm_canvas_abort(struct sm_canvas *c);

/* Where a figure's bytes go: the stream, the path it stands for (for
 * messages) and the errno of the first write that failed (0 while none
 * did), so a full disk is named as such, with the file. */
struct sm_canvas_sink {
	FILE *f;
	const char *path;
	int err;
};

/* Writes len bytes; 0, or -1 with the cause kept in sink->err. */
int sm_canvas_sink_write(struct sm_canvas_sink *sink, const void *data, size_t len);

/* SM_EOUTPUT: "PATH: cannot write the WHAT: CAUSE; expected ...", CAUSE
 * the kept errno, else `why`, else "write error". */
sm_status sm_canvas_sink_fail(struct sm_ctx *ctx, const struct sm_canvas_sink *sink,
			      const char *what, const char *why);

/* Write a 32-bit image surface (RGB24, or ARGB32: RGBA when some pixel is
 * not opaque) as an 8-bit PNG to `out`, with `dpi` in its pHYs chunk (none
 * when dpi <= 0).  Deflated whole by libdeflate, no timestamp: the same pixels give
 * the same bytes.  The surface is borrowed; `out` stays open and names
 * the file in messages. */
sm_status sm_canvas_write_png(struct sm_ctx *ctx, cairo_surface_t *image, double dpi,
			      struct sm_canvas_sink *out);
/* The same, for a surface that is destroyed next (the canvas's own): its
 * pixels may be overwritten (an RGB24 one's are: the PNG's image data is
 * built over them instead of in a copy as large). */
sm_status sm_canvas_write_png_spent(struct sm_ctx *ctx, cairo_surface_t *image, double dpi,
				    struct sm_canvas_sink *out);

/* The same surface (opaque RGB24) as a TIFF: LZW, resolution tags, no
 * date; CMYK through the profile when opts->cmyk. */
sm_status sm_canvas_write_tiff(struct sm_ctx *ctx, cairo_surface_t *image,
			       const struct sm_canvas_opts *opts, struct sm_canvas_sink *out);

/* The date a deterministic output carries: SOURCE_DATE_EPOCH, else
 * 1970-01-01, as broken-down UTC time; 0 on success. */
int sm_canvas_date(struct sm_ctx *ctx, struct tm *tm);

#endif
