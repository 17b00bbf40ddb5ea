/*
 * sm_canvas.h -- a drawing surface in physical units for PDF, SVG and PNG.
 *
 * The user space of the cairo_t is points (1/72 in) with the origin at the
 * top left of the page, whatever the format: PNG is scaled to its DPI.  The
 * file is written through sm_atomic, so a failed render leaves no partial
 * file.  Output is deterministic: PDF dates come from SOURCE_DATE_EPOCH
 * (sm_ctx_epoch) or are fixed.
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

enum sm_canvas_format { SM_CANVAS_PDF, SM_CANVAS_SVG, SM_CANVAS_PNG };

#define SM_PT_PER_MM (72.0 / 25.4)

/* Largest PNG side in pixels (cairo's image surface limit). */
#define SM_PNG_MAX_PX 32767

/* Format from the file name's extension (.pdf, .svg, .png, any case). */
sm_status sm_canvas_format_of(struct sm_ctx *ctx, const char *path,
			      enum sm_canvas_format *fmt);

/* Pixel size of a PNG side of `pt` points at `dpi`. */
long sm_canvas_px(double pt, double dpi);

struct sm_canvas;

/* A canvas of width x height points (every page of a PDF has that size);
 * dpi is used for PNG only.  NULL on failure. */
struct sm_canvas *sm_canvas_open(struct sm_ctx *ctx, const char *path,
				 double width, double height, double dpi);
enum sm_canvas_format sm_canvas_format(const struct sm_canvas *c);
cairo_t *sm_canvas_cr(struct sm_canvas *c);
/* Paint the current page opaque white (a PNG is white from the start).
 * Painted first, the ground also spares cairo work on a vector page: its
 * analysis of the page then holds one rectangle containing every later
 * drawing operation, instead of a region that grows with each of them
 * (10,000-study forest: PDF 0.45 -> 0.39 s, SVG on one page 7 -> 0.7 s). */
void sm_canvas_paint_white(struct sm_canvas *c);
/* End the current page and start another (PDF only). */
sm_status sm_canvas_next_page(struct sm_ctx *ctx, struct sm_canvas *c);
sm_status sm_canvas_close(struct sm_ctx *ctx, struct sm_canvas *c);
void sm_canvas_abort(struct sm_canvas *c);

/* Write a 32-bit image surface (RGB24, or ARGB32: RGBA when some pixel is
 * not opaque) as an 8-bit PNG to `out`, with `dpi` in its pHYs chunk (none
 * when dpi <= 0).  Fast zlib settings, no timestamp: the same pixels give
 * the same bytes.  The surface is borrowed; `out` stays open. */
sm_status sm_canvas_write_png(struct sm_ctx *ctx, cairo_surface_t *image, double dpi,
			      FILE *out);

#endif
