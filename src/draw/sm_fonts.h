/*
 * sm_fonts.h -- a private font map over the fonts bundled with safemeta.
 *
 * Figures must look the same on every machine, so text is set only in the
 * fonts of <home>/fonts: a private fontconfig configuration holds just that
 * folder, the files listed in its external-fonts.txt (fonts of Debian
 * packages at fixed paths: Noto Sans CJK for Chinese and Japanese, too
 * large to bundle) and the files a style names itself (font.file), and a
 * Pango font map of its own uses it.  Nothing process-global (the default
 * font map, the default FcConfig) is touched.  A family that is not among
 * those files is an error, never a silent fallback to a system font; a
 * listed file that is missing is an error naming its package.
 *
 * Which font draws a character is decided by the text's family list, the
 * style's family then its fallbacks (sm_text.h), never by fontconfig's
 * preferences for the reader's language.
 *
 * The files of external-fonts.txt ("PATH<TAB>PACKAGE<TAB>FAMILIES") are
 * checked to exist when the map is built but read only when first needed:
 * a text with a character no other font has (sm_text.c lays it out again
 * then), or a family only they provide with a face other than regular.  A
 * text without such characters is set exactly as if they were never read,
 * since they come after every bundled font in each family list.
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

/* The fallback families of text whose style names none (the default
 * style's font.fallback). */
#define SM_FONTS_FALLBACK "DejaVu Sans, Noto Sans CJK SC"

/* Address space (MiB) that must be free before fontconfig and Pango run for
 * a figure (sm_fonts_new_home*: they crash or abort when an allocation
 * fails); less is "out of memory", exit 4. */
#define SM_FONTS_HEADROOM_MB 64

/* SM_EINTERNAL ("out of memory") unless SM_FONTS_HEADROOM_MB of address
 * space are free now.  sm_fonts_new_home* check it first; a canvas checks it
 * again once its (possibly large) raster surface is allocated, before any
 * text is laid out on it. */
sm_status sm_fonts_check_headroom(struct sm_ctx *ctx);

/* Load every font file of `dir` (those of its external-fonts.txt when first
 * needed); NULL (error in ctx) when the folder is missing or holds no font,
 * or a listed file is missing. */
struct sm_fonts *sm_fonts_new(struct sm_ctx *ctx, const char *dir);
/* The same and the files of `extra` (one path a line, a style's font.file;
 * NULL: none). */
struct sm_fonts *sm_fonts_new_with(struct sm_ctx *ctx, const char *dir, const char *extra);
/* The same with dir = sm_ctx_home(ctx) + "/fonts", shared through the
 * context: a later call with the same home (and extra files) returns the
 * same object. */
struct sm_fonts *sm_fonts_new_home(struct sm_ctx *ctx);
struct sm_fonts *sm_fonts_new_home_with(struct sm_ctx *ctx, const char *extra);
/* Drop one reference; NULL is a no-op. */
void sm_fonts_free(struct sm_fonts *fonts);

PangoFontMap *sm_fonts_map(struct sm_fonts *fonts);

/* Read the files of external-fonts.txt now, if they are not read yet (they
 * are read when a text has a character the other fonts lack, or a family
 * only they can provide is required).  *added: 1 when fonts were added, so
 * that a text laid out without them should be laid out again. */
sm_status sm_fonts_load_external(struct sm_ctx *ctx, struct sm_fonts *fonts, int *added);

/* 1 once the files of external-fonts.txt have been read. */
int sm_fonts_external_read(const struct sm_fonts *fonts);

/* Fail unless `family` has a face of the given weight and slant among the
 * loaded files (bold/italic: 0 or 1). */
sm_status sm_fonts_require(struct sm_ctx *ctx, struct sm_fonts *fonts,
			   const char *family, int bold, int italic);

#endif
