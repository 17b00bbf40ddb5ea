/*
 * sm_style.h -- the look of a figure, loaded from templates/NAME.style.json.
 *
 * A style file overrides built-in defaults key by key; an unknown key or a
 * value of the wrong kind is an error, so a typo never goes unnoticed.  The
 * keys (sections "font", "lines", "colours", "decimals", "headers",
 * "labels", "layout") are listed in templates/default.style.json.  Lengths
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

struct sm_style {
	char *name;
	/* font */
	char *family;
	char *fallback; /* family for glyphs the main font lacks (Greek, math) */
	double size, small, title, min_size; /* pt */
	/* lines (pt) */
	double lw_ci, lw_axis, lw_null, lw_rule, lw_diamond, lw_pi;
	/* colours */
	struct sm_rgb c_text, c_muted, c_square, c_ci, c_diamond, c_diamond_line;
	struct sm_rgb c_pi, c_null, c_rule;
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
};

/* `name` is a template name (templates/<name>.style.json under the home
 * folder) or a path to a .json file; NULL means "default". */
struct sm_style *sm_style_load(struct sm_ctx *ctx, const char *name);
/* The built-in defaults alone (what default.style.json also says). */
struct sm_style *sm_style_defaults(struct sm_ctx *ctx);
void sm_style_free(struct sm_style *style);

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
