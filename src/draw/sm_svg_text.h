/*
 * sm_svg_text.h -- SVG whose text is text: <text> elements that can be
 * edited, searched and copied, with the fonts embedded as subsets.
 *
 * Cairo's SVG surface has no text mode: it writes every glyph as an
 * outline.  This writer takes the figure's display list instead: cairo
 * draws the shapes (items) into the SVG, and each text of the list becomes
 * <text> elements written here, one per run of one font, at the position,
 * size, weight, slant and colour its layout gave (wrapped texts line by
 * line, an ellipsis as "…").  Each run names the face it was set in and
 * then the style's families; textLength pins its width, so a viewer that
 * falls back to another font still keeps the columns.  The faces used are
 * embedded as @font-face subsets (HarfBuzz hb-subset, the characters the
 * figure uses, no hinting) in base64, so the file draws the same anywhere
 * and stays small (tens of KB a face).  Same figure, same bytes.
 *
 * Ownership: the figure is borrowed.
 */
#ifndef SM_SVG_TEXT_H
#define SM_SVG_TEXT_H

#include "sm_ctx.h"

struct sm_fig;

/* Page 0 of the figure as an SVG at `path` (written atomically). */
sm_status sm_svg_text_write(struct sm_ctx *ctx, struct sm_fig *f, const char *path);

#endif
