/*
 * sm_style.h -- the look of a figure, loaded from templates/NAME.style.json.
 *
 * A style file overrides built-in defaults key by key; an unknown key or a
 * value of the wrong kind is an error, so a typo never goes unnoticed.  The
 * keys (sections "font", "lines", "colours", "decimals", "headers",
 * "labels", "layout", "output") are listed in templates/default.style.json.
 *
 * Print.  The default colours are chosen so that every set of categorical
 * colours (risk-of-bias judgements, PRISMA bars, funnel contour regions)
 * differs by at least SM_STYLE_MIN_LUMA_GAP in luma (Rec. 601), so they
 * stay apart when printed in grey; colours.greyscale = true draws every
 * colour of every figure as its luma grey (the "journal" style).  Lengths
 * are strings with a unit ("85mm", "0.5cm", "3in", "6pt") or a width
 * preset: "single" (85 mm), "onehalf" (120 mm), "double" (175 mm).
 * Labels may hold {arm1}, {arm2}, {measure} and {level}.
 *
 * Ownership: sm_style_load() returns a style freed with sm_style_free(); it
 * owns all its strings.
 */
#ifndef SM_STYLE_H
#define SM_STYLE_H

#include "sm_ctx.h"

struct sm_rgb {
	double r, g, b;
};

/* Least luma difference (of 255) between the categorical colours of the
 * default style. */
#define SM_STYLE_MIN_LUMA_GAP 40

/* Rec. 601 luma of a colour, 0..255. */
double sm_rgb_luma(struct sm_rgb c);
/* The grey of the same luma. */
struct sm_rgb sm_rgb_grey(struct sm_rgb c);

/* Risk-of-bias judgement fills, in the order of enum sm_rob_level
 * (sm_robscale.h): low, unclear, some concerns, high, critical, no
 * information. */
#define SM_STYLE_NROB 6
/* Funnel contour regions, 0.05 < P < 0.10, 0.01 < P < 0.05, P < 0.01. */
#define SM_STYLE_NCONTOUR 3

struct sm_style {
	char *name;
	/* font */
	char *family;
	/* Families for glyphs the main font lacks, in order, separated by
	 * commas: Greek and math (DejaVu Sans), Chinese and Japanese (Noto Sans
	 * CJK, sm_fonts.h). */
	char *fallback;
	/* A user's own font files ("/path/Arial.ttf"), one path per line, or
	 * NULL: loaded beside the bundled fonts (sm_fonts_new_with); their
	 * SHA-256 goes into a bundle's MANIFEST. */
	char *font_files;
	double size, small, title, min_size; /* pt */
	/* lines (pt) */
	double lw_ci, lw_axis, lw_null, lw_rule, lw_diamond, lw_pi;
	/* funnel plots: pseudo-confidence region, pooled estimate, Egger line,
	 * study markers, imputed (trim-and-fill) markers, legend swatches */
	double lw_funnel_region, lw_funnel_estimate, lw_funnel_egger;
	double lw_marker, lw_marker_imputed, lw_swatch;
	/* colours */
	struct sm_rgb c_text, c_muted, c_square, c_ci, c_diamond, c_diamond_line;
	struct sm_rgb c_pi, c_null, c_rule;
	struct sm_rgb c_rob[SM_STYLE_NROB];
	struct sm_rgb c_prisma_header, c_prisma_stage;
	struct sm_rgb c_contour[SM_STYLE_NCONTOUR];
	int greyscale;      /* 1: every colour drawn as its luma grey */
	/* decimals */
	int d_effect, d_weight, d_stat, d_p, d_tau2, d_i2;
	/* headers */
	char *h_study, *h_domain, *h_events, *h_total, *h_weight, *h_effect;
	char *h_k, *h_i2;
	/* labels */
	char *arm1, *arm2, *favours_left, *favours_right;
	char *l_total, *l_subtotal, *l_total_events, *l_pi, *l_excluded;
	/* layout (pt unless said) */
	double width, margin, col_gap, graph_min, page_height;
	double row_height;  /* line pitch as a multiple of the font size */
	double square_max;  /* largest square side as a fraction of a row */
	/* output */
	int cmyk;           /* TIFF: CMYK (littleCMS, from sRGB) instead of RGB */
	char *cmyk_profile; /* the CMYK ICC profile (default SM_CANVAS_CMYK_PROFILE) */
	int svg_text;       /* SVG: real <text> elements instead of outlines */
};

/* The default style's fill of a risk-of-bias level (0..SM_STYLE_NROB-1),
 * for drawings that have no style at hand. */
struct sm_rgb sm_style_rob_default(int level);

/* `name` is a template name (templates/<name>.style.json under the home
 * folder) or a path to a .json file; NULL means "default". */
struct sm_style *sm_style_load(struct sm_ctx *ctx, const char *name);
/* The built-in defaults alone (what default.style.json also says). */
struct sm_style *sm_style_defaults(struct sm_ctx *ctx);
void sm_style_free(struct sm_style *style);

/* For a bundle's MANIFEST: a line "# font SHA256  PATH" per font file the
 * style `name` names (font.file), appended to `out`; nothing for a style
 * without its own fonts.  SM_EINPUT when a file cannot be read. */
struct sm_buf;
sm_status sm_style_font_record(struct sm_ctx *ctx, const char *name, struct sm_buf *out);

/* The key (e.g. "rob_low") of the first value that differs between two
 * styles, or NULL when every value is the same. */
const char *sm_style_differs(const struct sm_style *a, const struct sm_style *b);

/* The widest figure, and so the longest length a style may hold: a little
 * over the long side of A0 (1189 mm), the largest poster; wider pages
 * only make huge files and exceed PNG and PDF viewer limits. */
#define SM_STYLE_MAX_MM 1200.0

/* "85mm", "8.5cm", "3.3in", "240pt" or a preset name, into points; at
 * most SM_STYLE_MAX_MM. */
sm_status sm_style_length(struct sm_ctx *ctx, const char *text, double *pt);
/* A figure width (a length as above) from min_mm to SM_STYLE_MAX_MM, with
 * an error that says which bound it breaks. */
sm_status sm_style_width(struct sm_ctx *ctx, const char *text, double min_mm, double *pt);
/* The same bounds on a width already in points. */
sm_status sm_style_width_check(struct sm_ctx *ctx, double pt, double min_mm);

/* Copy of `tmpl` with {arm1} {arm2} {measure} {level} replaced; NULL on
 * allocation failure.  Unknown placeholders stay as written. */
char *sm_style_expand(const char *tmpl, const char *arm1, const char *arm2,
		      const char *measure, int level);

#endif
