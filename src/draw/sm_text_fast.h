/*
 * sm_text_fast.h -- texts measured without a layout, when shaping them is
 * provably putting their characters' glyphs side by side (private to
 * sm_text.c).
 *
 * A forest of 10^5 studies has about 500,000 distinct texts ("s3227",
 * "0.23", "0.71]"), and laying each out with Pango (itemising, shaping,
 * breaking) was a fifth of the run before the first page could be drawn.
 * For a text of printable ASCII characters in one style, the shaping is
 * the concatenation of its characters' own shapings when
 *
 *   - each character alone is one glyph of one and the same font F, drawn
 *     on one line with the same height and baseline (Pango's layout of the
 *     character, so its numbers are Pango's);
 *   - no GSUB lookup HarfBuzz applies for this style (scripts Latin and
 *     Common, language "en", tnum when tabular: the plans' own lookups)
 *     has the glyph among its inputs, and no GPOS lookup other than single
 *     and pair adjustment or mark attachment (types 1, 2, 4, 5, 6) does,
 *     and the glyph is no mark (GDEF): nothing can change a glyph, and
 *     only neighbours can move each other;
 *   - F has no AAT tables (morx, mort, kerx) and its 'kern' table, if any,
 *     has pair subtables only (formats 0 and 2);
 *   - every two neighbours of the text, shaped by HarfBuzz alone in either
 *     script, give the two glyphs with their single advances and offsets:
 *     no pair moves ("11" and "1." are kerned in Liberation Sans, so a
 *     text with them takes the layout).
 *
 * Then the width is the sum of the characters' advances and the glyphs
 * are theirs at the summed offsets, which is what Pango's layout gives
 * (tests/draw/test_text_fast.c compares both for every kept text of a
 * forest and for random strings).  Each character and each pair of
 * neighbours is checked once per style, the first time a text has it;
 * any other text takes the layout.
 */
#ifndef SM_TEXT_FAST_H
#define SM_TEXT_FAST_H

#include "sm_text.h"
#include "sm_text_cache.h"

#include <pango/pango.h>

/* The longest text put together this way (bytes). */
#define SM_TFAST_MAX_LEN 64

struct sm_tfast;
struct sm_tfast_style;

struct sm_tfast *sm_tfast_new(void);
void sm_tfast_free(struct sm_tfast *f);
/* Forget every check (the fonts or the fallback families changed). */
void sm_tfast_reset(struct sm_tfast *f);

/* The checks of style `st`, NULL when its texts always take the layout
 * (wrapped, cut, too many styles, out of memory). */
struct sm_tfast_style *sm_tfast_style(struct sm_tfast *f, const struct sm_tstyle *st);

enum sm_tfast_state { SM_TFAST_UNKNOWN, SM_TFAST_SAFE, SM_TFAST_UNSAFE };

enum sm_tfast_state sm_tfast_char(const struct sm_tfast_style *s, unsigned char c);

/* Whether safe characters a, b side by side stay as each alone (checked
 * the first time). */
enum sm_tfast_state sm_tfast_pair(struct sm_tfast_style *s, unsigned char a, unsigned char b);

/* Check character `c`, which `layout` holds alone, set in the style. */
void sm_tfast_admit(struct sm_tfast_style *s, unsigned char c, PangoLayout *layout);

/* A text of safe characters (len bytes): its extent and glyphs (room for
 * len), the font and the run's baseline. */
void sm_tfast_compose(const struct sm_tfast_style *s, const char *utf8, size_t len,
		      struct sm_extent *ext, struct sm_tglyph *g, PangoFont **font,
		      int *baseline);

#endif
