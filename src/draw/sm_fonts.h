/*
 * sm_fonts.h -- a private font map over the fonts bundled with safemeta.
 *
 * Figures must look the same on every machine, so text is set only in the
 * fonts of <home>/fonts: a private fontconfig configuration holds just that
 * folder, and a Pango font map of its own uses it.  Nothing process-global
 * (the default font map, the default FcConfig) is touched.  A family that is
 * not in the folder is an error, never a silent fallback to a system font.
 *
 * Building the map (reading the font files, Pango's caches of fonts and
 * glyphs) costs more than drawing a small figure, so sm_fonts_new_home()
 * keeps the map it built in the context's cache slot (sm_ctx_cache) and
 * hands the same one out again to later calls on that context.
 *
 * Ownership: sm_fonts is reference counted.  sm_fonts_new() and
 * sm_fonts_new_home() each return one reference that the caller releases
 * with sm_fonts_free(); the object goes when its last reference does (the
 * context holds one for the map it keeps, released by sm_ctx_free() or when
 * the slot is reused).  The font map it hands out is borrowed from it.
 * Like its context, an sm_fonts is used by one thread at a time.
 */
#ifndef SM_FONTS_H
#define SM_FONTS_H

#include "sm_ctx.h"

#include <pango/pango.h>

struct sm_fonts;

/* Load every font file of `dir`; NULL (error in ctx) when the folder is
 * missing or holds no font. */
struct sm_fonts *sm_fonts_new(struct sm_ctx *ctx, const char *dir);
/* The same with dir = sm_ctx_home(ctx) + "/fonts", shared through the
 * context: a later call with the same home returns the same object. */
struct sm_fonts *sm_fonts_new_home(struct sm_ctx *ctx);
/* Drop one reference; NULL is a no-op. */
void sm_fonts_free(struct sm_fonts *fonts);

PangoFontMap *sm_fonts_map(struct sm_fonts *fonts);

/* Fail unless `family` has a face of the given weight and slant among the
 * bundled files (bold/italic: 0 or 1). */
sm_status sm_fonts_require(struct sm_ctx *ctx, struct sm_fonts *fonts,
			   const char *family, int bold, int italic);

#endif
