#include "sm_funnel.h"

#include "sm_buf.h"
#include "sm_fmt.h"
#include "sm_funnel_int.h"
#include "sm_measure.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Standard normal quantiles for two-sided 90%, 95% and 99%: constants of
 * the drawing (contour and pseudo-CI geometry), not estimates. */
#define Z90 1.6448536269514722
#define Z95 1.959963984540054
#define Z99 2.5758293035489004
#define NSAMPLES 64
/* Dash of the trim-and-fill estimate's line (the region's is 2.5). */
#define ADJUSTED_DASH 1.5

/* Layout state. */
struct lay {
	struct sm_ctx *ctx;
	struct sm_funnel_data *l;
	struct sm_fig *f;
	const struct sm_funnel_options *o;
	int small;            /* small multiples: small type throughout */
	int has_null;
	int per_page;         /* panels a page; 0: all on one */
	struct sm_tstyle body, bold, tick;
	double radius;
};

const char *const sm_funnel_y_choices[] = { "se", "precision", "n", NULL };

static double yvalue(enum sm_funnel_y mode, double se, double n)
{
	return mode == SM_FUNNEL_SE ? se : mode == SM_FUNNEL_PRECISION ? 1 / se : n;
}

/* Page y of a study with standard error se and size n in a panel. */
static double map_y(const struct sm_funnel_data *l, const struct sm_funnel_panel *p, double se,
		    double n)
{
	return sm_axis_map(&p->ya, yvalue(l->ymode, se, n));
}

/* Page x of an analysis-scale value in a panel. */
static double map_x(const struct sm_funnel_data *l, const struct sm_funnel_panel *p, double yi)
{
	return sm_axis_map(&p->xa, l->log ? exp(yi) : yi);
}

/* A point is drawn unless its y is unknown (sample size of an imputed
 * study). */
static int drawable(const struct sm_funnel_data *l, const struct sm_funnel_point *pt)
{
	return isfinite(yvalue(l->ymode, pt->se, pt->n)) && (l->ymode != SM_FUNNEL_N || pt->n > 0);
}

/* Proportions have no value of "no effect" to centre contours on. */
static int measure_has_null(const char *m)
{
	return sm_measure_axis(m) != SM_AXIS_PROP;
}

/* Shared limits over every panel: points and pooled estimates. */
static void fit_axes(struct lay *L, struct sm_axis *xa, struct sm_axis *ya)
{
	const struct sm_funnel_data *l = L->l;
	double xlo = INFINITY, xhi = -INFINITY, yhi = 0;
	for (int i = 0; i < l->npanels; i++) {
		const struct sm_funnel_panel *p = &l->panels[i];
		if (!p->drawn)
			continue;
		for (size_t j = 0; j < p->npts; j++) {
			if (!drawable(l, &p->pts[j]))
				continue;
			xlo = fmin(xlo, p->pts[j].yi);
			xhi = fmax(xhi, p->pts[j].yi);
			yhi = fmax(yhi, yvalue(l->ymode, p->pts[j].se, p->pts[j].n));
		}
		if (isfinite(p->est)) {
			xlo = fmin(xlo, p->est);
			xhi = fmax(xhi, p->est);
		}
		if (p->adjusted) {
			xlo = fmin(xlo, p->centre);
			xhi = fmax(xhi, p->centre);
		}
	}
	if (!(xhi >= xlo))
		xlo = xhi = 0;
	if (L->o->contours) {
		xlo = fmin(xlo, 0);
		xhi = fmax(xhi, 0);
	}
	sm_axis_fit_range(xa, l->log, l->log ? exp(xlo) : xlo, l->log ? exp(xhi) : xhi);
	sm_axis_fit_range(ya, 0, 0, yhi > 0 ? yhi : 1);
}

static char *tick_text(double v)
{
	struct sm_buf b;
	sm_buf_init(&b);
	sm_fmt_short(&b, v);
	return b.failed ? (sm_buf_release(&b), NULL) : sm_buf_take(&b);
}

static sm_status tick_width(struct lay *L, double v, double *w)
{
	char *t = tick_text(v);
	if (!t)
		return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
	struct sm_extent e = { 0 };
	sm_status s = sm_fig_measure(L->ctx, L->f, &L->tick, t, &e);
	free(t);
	*w = s == SM_OK ? e.width : 0;
	return s;
}

/* Drop x ticks until neighbouring labels keep a gap on a plot `w` wide. */
static sm_status thin_x(struct lay *L, struct sm_axis *xa, double w)
{
	for (;;) {
		xa->x0 = 0;
		xa->x1 = w;
		int ok = 1;
		double prev_right = -INFINITY;
		for (int i = 0; i < xa->nticks && ok; i++) {
			double tw;
			if (tick_width(L, xa->ticks[i], &tw) != SM_OK)
				return SM_EINPUT;
			double c = sm_axis_map(xa, xa->ticks[i]);
			ok = c - tw / 2 >= prev_right + 3;
			prev_right = c + tw / 2;
		}
		if (ok || !sm_axis_thin(xa))
			return SM_OK;
	}
}

static sm_status y_gutter(struct lay *L, const struct sm_axis *ya, double *w)
{
	*w = 0;
	for (int i = 0; i < ya->nticks; i++) {
		double tw = 0;
		sm_status st = tick_width(L, ya->ticks[i], &tw);
		if (st != SM_OK)
			return st;
		*w = fmax(*w, tw);
	}
	*w += 5;
	return SM_OK;
}

static struct sm_fig_item *add(struct lay *L, enum sm_fig_kind k, int tag)
{
	struct sm_fig_item *it = sm_fig_add(L->ctx, L->f, k);
	if (it)
		it->tag = tag;
	return it;
}

static sm_status text(struct lay *L, const struct sm_tstyle *st, const char *s, double x,
		      double y, int tag, struct sm_fig_text **out)
{
	return sm_fig_put_text(L->ctx, L->f, st, s, x, y, L->f->style->c_text, tag, -1, out);
}

/* Page x of a model-scale value, kept within cairo's comfortable range. */
static double px(const struct sm_funnel_panel *p, int log, double v)
{
	double x = sm_axis_map(&p->xa, log ? exp(fmax(fmin(v, 700), -700)) : v);
	return fmax(fmin(x, p->plot.x1 + 500), p->plot.x0 - 500);
}

/* Standard error at step i of the y axis (top to bottom or back). */
static double se_at(const struct lay *L, const struct sm_funnel_panel *p, int i)
{
	double v = p->ya.lo + (p->ya.hi - p->ya.lo) * i / NSAMPLES;
	if (L->l->ymode == SM_FUNNEL_SE)
		return v;
	return v > 0 ? 1 / v : 1e6;
}

/* The curve centre + z * se over the y axis (z may be negative). */
static void curve(const struct lay *L, const struct sm_funnel_panel *p, double centre,
		  double z, double *xy)
{
	for (int i = 0; i <= NSAMPLES; i++) {
		double se = se_at(L, p, i);
		xy[2 * i] = px(p, L->l->log, centre + z * se);
		xy[2 * i + 1] = sm_axis_map(&p->ya, p->ya.lo + (p->ya.hi - p->ya.lo) * i / NSAMPLES);
	}
}

/* The region |x - centre| < z * se, filled. */
static sm_status wedge(struct lay *L, const struct sm_funnel_panel *p, double centre,
		       double z, struct sm_rgb fill, int tag)
{
	double xy[4 * (NSAMPLES + 1)];
	curve(L, p, centre, -z, xy);
	double right[2 * (NSAMPLES + 1)];
	curve(L, p, centre, z, right);
	for (int i = 0; i <= NSAMPLES; i++) {
		xy[2 * (NSAMPLES + 1) + 2 * i] = right[2 * (NSAMPLES - i)];
		xy[2 * (NSAMPLES + 1) + 2 * i + 1] = right[2 * (NSAMPLES - i) + 1];
	}
	struct sm_fig_item *it = sm_fig_add_poly(L->ctx, L->f, SM_FIG_POLY, xy,
						 2 * (NSAMPLES + 1));
	if (!it)
		return SM_EINTERNAL;
	it->tag = tag;
	it->fill = 1;
	it->stroke = 0;
	it->fc = fill;
	return SM_OK;
}

static sm_status boundary(struct lay *L, const struct sm_funnel_panel *p, double centre,
			  double z, double dash, struct sm_rgb colour, int tag)
{
	for (int side = -1; side <= 1; side += 2) {
		double xy[2 * (NSAMPLES + 1)];
		curve(L, p, centre, side * z, xy);
		struct sm_fig_item *it = sm_fig_add_poly(L->ctx, L->f, SM_FIG_PATH, xy,
							 NSAMPLES + 1);
		if (!it)
			return SM_EINTERNAL;
		it->tag = tag;
		it->dash = dash;
		it->sc = colour;
		it->lw = L->f->style->lw_funnel_region;
		if (z == 0)
			break;
	}
	return SM_OK;
}

static sm_status regions(struct lay *L, const struct sm_funnel_panel *p)
{
	const struct sm_style *st = L->f->style;
	struct sm_fig_item *it = add(L, SM_FIG_CLIP, SM_FT_OTHER);
	if (!it)
		return SM_EINTERNAL;
	it->x0 = p->plot.x0, it->y0 = p->plot.y0, it->x1 = p->plot.x1, it->y1 = p->plot.y1;
	sm_status s = SM_OK;
	int curves = L->l->ymode != SM_FUNNEL_N;
	if (L->o->contours && curves) {
		if (!(it = add(L, SM_FIG_RECT, SM_FT_CONTOUR)))
			return SM_EINTERNAL;
		it->x0 = p->plot.x0, it->y0 = p->plot.y0, it->x1 = p->plot.x1, it->y1 = p->plot.y1;
		it->fill = 1, it->stroke = 0, it->fc = st->c_contour[2];
		const double z[] = { Z99, Z95, Z90 };
		const struct sm_rgb c[] = { st->c_contour[1], st->c_contour[0], sm_fig_rgb(0xFFFFFF) };
		for (int i = 0; i < 3 && s == SM_OK; i++)
			s = wedge(L, p, 0, z[i], c[i], SM_FT_CONTOUR);
	}
	if (s == SM_OK && curves && isfinite(p->centre)) {
		s = boundary(L, p, p->centre, Z95, 2.5, st->c_text, SM_FT_REGION);
		if (s == SM_OK && L->o->ci99)
			s = boundary(L, p, p->centre, Z99, 0.8, st->c_text, SM_FT_REGION);
	}
	if (s == SM_OK && isfinite(p->est)) {
		if (!(it = add(L, SM_FIG_LINE, SM_FT_ESTIMATE)))
			return SM_EINTERNAL;
		it->x0 = it->x1 = map_x(L->l, p, p->est);
		it->y0 = p->plot.y0, it->y1 = p->plot.y1, it->sc = st->c_diamond;
		it->lw = st->lw_funnel_estimate;
	}
	if (s == SM_OK && p->adjusted) {
		/* the same width as the pooled line; dashed and in the study colour,
		 * so the two stay apart in grey */
		if (!(it = add(L, SM_FIG_LINE, SM_FT_ADJUSTED)))
			return SM_EINTERNAL;
		it->x0 = it->x1 = map_x(L->l, p, p->centre);
		it->y0 = p->plot.y0, it->y1 = p->plot.y1, it->sc = st->c_square;
		it->lw = st->lw_funnel_estimate;
		it->dash = ADJUSTED_DASH;
	}
	if (s == SM_OK && L->o->egger_line && p->tested && curves && isfinite(p->egger_limit) &&
	    isfinite(p->egger_slope)) {
		double xy[2 * (NSAMPLES + 1)];
		for (int i = 0; i <= NSAMPLES; i++) {
			double se = se_at(L, p, i);
			xy[2 * i] = px(p, L->l->log, p->egger_limit + p->egger_slope * se);
			xy[2 * i + 1] = sm_axis_map(&p->ya, p->ya.lo +
						    (p->ya.hi - p->ya.lo) * i / NSAMPLES);
		}
		if (!(it = sm_fig_add_poly(L->ctx, L->f, SM_FIG_PATH, xy, NSAMPLES + 1)))
			return SM_EINTERNAL;
		it->tag = SM_FT_EGGER, it->sc = sm_fig_palette(2), it->lw = st->lw_funnel_egger;
	}
	if (s == SM_OK && !add(L, SM_FIG_UNCLIP, SM_FT_OTHER))
		return SM_EINTERNAL;
	return s;
}

static void marker_style(struct lay *L, struct sm_fig_item *it, const struct sm_funnel_point *pt)
{
	it->r = L->radius;
	it->lw = L->f->style->lw_marker;
	it->fill = 1;
	if (pt->filled) {
		it->fc = sm_fig_rgb(0xFFFFFF);
		it->sc = L->f->style->c_text;
		it->lw = L->f->style->lw_marker_imputed;
		return;
	}
	int g = pt->group >= 0 ? pt->group : 0;
	it->fc = pt->group >= 0 ? sm_fig_palette(g) : L->f->style->c_square;
	it->marker = (enum sm_fig_marker)(g % SM_NMARKERS);
	it->sc = L->f->style->c_text;
}

/* An outlier's label right of its point, or left when that leaves the
 * plot; moved down past labels already placed. */
static sm_status outlier_label(struct lay *L, const struct sm_funnel_panel *p,
			       const struct sm_funnel_point *pt, size_t first_label)
{
	struct sm_tstyle st = L->tick;
	struct sm_extent e;
	if (sm_fig_measure(L->ctx, L->f, &st, pt->label, &e) != SM_OK)
		return SM_EINPUT;
	double x = pt->x + L->radius + 1.5;
	if (x + e.width > p->plot.x1)
		x = pt->x - L->radius - 1.5 - e.width;
	double y = pt->y - e.height / 2;
	for (int tries = 0; tries < 20; tries++) {
		struct sm_box b = { x, y, x + e.width, y + e.height };
		int hit = 0;
		for (size_t i = first_label; i < L->f->ntexts && !hit; i++)
			hit = sm_box_overlap(&b, &L->f->texts[i].box);
		if (!hit)
			break;
		y += e.height;
	}
	return text(L, &st, pt->label, x, y, SM_FT_LABEL, NULL);
}

static sm_status points(struct lay *L, struct sm_funnel_panel *p)
{
	/* Imputed studies first, so that observed ones stay on top. */
	for (int pass = 1; pass >= 0; pass--)
		for (size_t i = 0; i < p->npts; i++) {
			struct sm_funnel_point *pt = &p->pts[i];
			if (pt->filled != pass || !drawable(L->l, pt))
				continue;
			pt->x = map_x(L->l, p, pt->yi);
			pt->y = map_y(L->l, p, pt->se, pt->n);
			struct sm_fig_item *it = add(L, SM_FIG_MARKER, pass ? SM_FT_FILLED
									    : SM_FT_POINT);
			if (!it)
				return SM_EINTERNAL;
			it->ref = pt->ref;
			it->x0 = pt->x, it->y0 = pt->y;
			marker_style(L, it, pt);
		}
	size_t first = L->f->ntexts;
	for (size_t i = 0; i < p->npts && L->o->label_outliers; i++)
		if (p->pts[i].outlier && p->pts[i].label && !p->pts[i].filled &&
		    drawable(L->l, &p->pts[i]) &&
		    outlier_label(L, p, &p->pts[i], first) != SM_OK)
			return SM_EINPUT;
	return SM_OK;
}

static sm_status tick_label(struct lay *L, double v, double x, double y, int align)
{
	char *t = tick_text(v);
	if (!t)
		return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
	struct sm_extent e;
	sm_status s = sm_fig_measure(L->ctx, L->f, &L->tick, t, &e);
	if (s == SM_OK) {
		/* align: 0 = centred under x, 1 = right-aligned at x, centred on y */
		double tx = align ? x - e.width : x - e.width / 2;
		double ty = align ? y - e.height / 2 : y;
		s = text(L, &L->tick, t, tx, ty, SM_FT_TICK, NULL);
	}
	free(t);
	return s;
}

static sm_status axes(struct lay *L, const struct sm_funnel_panel *p)
{
	const struct sm_style *st = L->f->style;
	struct sm_fig_item *it = add(L, SM_FIG_RECT, SM_FT_PLOT);
	if (!it)
		return SM_EINTERNAL;
	it->x0 = p->plot.x0, it->y0 = p->plot.y0, it->x1 = p->plot.x1, it->y1 = p->plot.y1;
	it->lw = st->lw_axis, it->sc = st->c_text;
	for (int i = 0; i < p->xa.nticks; i++) {
		double x = sm_axis_map(&p->xa, p->xa.ticks[i]);
		if (!(it = add(L, SM_FIG_LINE, SM_FT_AXIS)))
			return SM_EINTERNAL;
		it->x0 = it->x1 = x, it->y0 = p->plot.y1, it->y1 = p->plot.y1 + 3;
		it->lw = st->lw_axis, it->sc = st->c_text;
		if (tick_label(L, p->xa.ticks[i], x, p->plot.y1 + 4, 0) != SM_OK)
			return SM_EINPUT;
	}
	for (int i = 0; i < p->ya.nticks; i++) {
		double y = sm_axis_map(&p->ya, p->ya.ticks[i]);
		if (!(it = add(L, SM_FIG_LINE, SM_FT_AXIS)))
			return SM_EINTERNAL;
		it->x0 = p->plot.x0 - 3, it->x1 = p->plot.x0, it->y0 = it->y1 = y;
		it->lw = st->lw_axis, it->sc = st->c_text;
		if (tick_label(L, p->ya.ticks[i], p->plot.x0 - 4, y, 1) != SM_OK)
			return SM_EINPUT;
	}
	return SM_OK;
}

/* Spaces inside one item become no-break spaces: wrapping splits the
 * line between items only. */
static void glue(struct sm_buf *b, size_t from)
{
	struct sm_buf t;
	sm_buf_init(&t);
	for (size_t i = from; i < b->len; i++)
		if (b->data[i] == ' ')
			sm_buf_puts(&t, "\xc2\xa0");
		else
			sm_buf_putc(&t, b->data[i]);
	b->len = from;
	sm_buf_append(b, t.data ? t.data : "", t.len);
	b->failed |= t.failed;
	sm_buf_release(&t);
}

/* Appends an item (its spaces no-break) after a separator. */
static void item(struct sm_buf *b, const char *sep, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void item(struct sm_buf *b, const char *sep, const char *fmt, ...)
{
	if (b->len && sep)
		sm_buf_puts(b, sep);
	size_t at = b->len;
	va_list ap;
	va_start(ap, fmt);
	char *t = sm_vasprintf(fmt, ap);
	va_end(ap);
	if (!t) {
		b->failed = 1;
		return;
	}
	sm_buf_puts(b, t);
	free(t);
	glue(b, at);
}

/* A display-scale value as printed: a proportion per the analysis'
 * display_per ("1.34"), anything else as it is. */
static void put_value(struct lay *L, struct sm_buf *b, const struct sm_res_analysis *a, double v)
{
	int prop = sm_measure_axis(a->measure) == SM_AXIS_PROP;
	double per = prop && a->display_per > 0 ? a->display_per : 1;
	sm_fmt_num(b, v * per, L->f->style->d_effect);
}

/* "OR 0.69 (95% CI 0.49 to 0.98)", small: "OR 0.69 [0.49, 0.98]"; a
 * proportion "per 1000" after its value. */
static char *estimate_text(struct lay *L, const struct sm_res_analysis *a, const char *what,
			   double est, double lb, double ub)
{
	struct sm_buf b;
	sm_buf_init(&b);
	sm_buf_printf(&b, "%s%s", what, *what ? " " : "");
	int prop = sm_measure_axis(a->measure) == SM_AXIS_PROP;
	/* with two decimals at the analysis' scale a value below 0.005 reads
	 * 0.00: with events that is the back-transformation's artefact (the
	 * Freeman-Tukey inverse with rare events), never a number to print */
	double per = prop && a->display_per > 0 ? a->display_per : 1;
	if (prop && a->crude.present && a->crude.events > 0 && fabs(est * per) < 0.005 &&
	    fabs(ub * per) < 0.005) {
		sm_buf_puts(&b, "not interpretable (0 after back-transformation)");
		return b.failed ? (sm_buf_release(&b), NULL) : sm_buf_take(&b);
	}
	put_value(L, &b, a, est);
	if (prop && a->display_per > 0)
		sm_buf_printf(&b, " per %g", a->display_per);
	if (isfinite(lb) && isfinite(ub)) {
		sm_buf_puts(&b, L->small ? " [" : " (");
		if (!L->small)
			sm_buf_printf(&b, "%g%% CI ", isfinite(a->level) ? a->level : 95);
		put_value(L, &b, a, lb);
		sm_buf_puts(&b, L->small ? ", " : " to ");
		put_value(L, &b, a, ub);
		sm_buf_puts(&b, L->small ? "]" : ")");
	}
	return b.failed ? (sm_buf_release(&b), NULL) : sm_buf_take(&b);
}

/* Trim and fill as stated under the plot: k0, the side, the adjusted
 * estimate with its CI and (one funnel) the unadjusted one beside it. */
static void trimfill_text(struct lay *L, const struct sm_funnel_panel *p, struct sm_buf *b,
			  const char *sep)
{
	const struct sm_res_analysis *a = p->a;
	const struct sm_res_trimfill *tf = &a->trimfill;
	const char *side = tf->side ? tf->side : "?";
	const char *m = sm_measure_short(a->measure);
	if (p->k0 == 0) {
		item(b, sep, "%s", L->small ? "none imputed" : "Trim and fill: no study imputed");
		return;
	}
	if (L->small)
		item(b, sep, "%d imputed (%s)", p->k0, side);
	else
		item(b, sep, "Trim and fill: %d stud%s imputed on the %s", p->k0,
		     p->k0 == 1 ? "y" : "ies", side);
	const struct sm_res_trimfill_transformed *t = &tf->transformed;
	if (!t->present || !isfinite(t->estimate))
		return;
	/* in a sentence a proportion is a common noun */
	if (!L->small && sm_measure_axis(a->measure) == SM_AXIS_PROP)
		m = "proportion";
	char *w_adj = L->small ? NULL : sm_asprintf("adjusted %s", m);
	char *w_raw = L->small ? NULL : sm_asprintf("unadjusted %s", m);
	char *adj = L->small || w_adj ? estimate_text(L, a, L->small ? m : w_adj, t->estimate,
						     t->ci_lb, t->ci_ub)
				      : NULL;
	char *raw = w_raw ? estimate_text(L, a, w_raw, a->transformed.estimate,
					  a->transformed.ci_lb, a->transformed.ci_ub)
			  : NULL;
	if (!adj || (!L->small && !raw))
		b->failed = 1;
	else if (L->small)
		item(b, ": ", "%s", adj);
	else {
		item(b, "; ", "%s", adj);
		item(b, ", ", "%s", raw);
	}
	free(w_adj);
	free(w_raw);
	free(adj);
	free(raw);
}

/* The text under a panel: k, the tests and trim and fill, or why they are
 * not shown. */
static char *annotation(struct lay *L, const struct sm_funnel_panel *p)
{
	struct sm_buf b;
	sm_buf_init(&b);
	int d = L->f->style->d_p;
	const char *sep = L->small ? "; " : " \xc2\xb7 ";
	/* a note wraps between its words; only "k = 4" is kept together */
	if (!p->drawn) {
		item(&b, NULL, "k = %d", p->k);
		sm_buf_printf(&b, ": fewer than %d studies, no funnel plot", SM_FUNNEL_MIN_K);
	} else if (!p->tested) {
		item(&b, NULL, "k = %d", p->k);
		sm_buf_printf(&b, ": fewer than %g studies, %s", p->min_k,
			      L->small ? "not tested" : "tests for funnel asymmetry not shown");
	} else {
		item(&b, NULL, "k = %d", p->k);
		struct sm_buf t;
		for (int test = 0; test < 2; test++) {
			double pv = test ? p->begg_p : p->egger_p;
			if (!isfinite(pv))
				continue;
			sm_buf_init(&t);
			sm_buf_printf(&t, "%s%s ", test ? "Begg" : "Egger",
				      L->small ? "" : "\xe2\x80\x99s test");
			sm_fmt_p(&t, pv, d);
			item(&b, sep, "%s", t.data ? t.data : "");
			b.failed |= t.failed;
			sm_buf_release(&t);
		}
		if (L->o->trimfill && isfinite(p->a->trimfill.k0))
			trimfill_text(L, p, &b, L->small ? sep : "\n");
	}
	return b.failed ? (sm_buf_release(&b), NULL) : sm_buf_take(&b);
}

/* Heights of the parts of a cell, the same for every panel. */
struct cell {
	double w, title_h, ylab_h, gutter, right, plot_w, plot_h, below_h, xlab_h, annot_h;
};

static const char *ylabel(enum sm_funnel_y m)
{
	return m == SM_FUNNEL_SE ? "Standard error"
	       : m == SM_FUNNEL_PRECISION ? "Precision (1/SE)" : "Sample size";
}

/* The x axis: a ratio's name on its log axis, else the scale pooled on. */
static char *xlabel(struct lay *L)
{
	if (L->l->log)
		return sm_asprintf("%s (log scale)", sm_measure_title(L->l->measure));
	return sm_asprintf("%s", sm_measure_scale_title(L->l->measure));
}

static sm_status text_h(struct lay *L, const struct sm_tstyle *st, const char *s, double *h)
{
	struct sm_extent e;
	sm_status r = sm_fig_measure(L->ctx, L->f, st, s, &e);
	*h = fmax(*h, e.height);
	return r;
}

static const char *panel_title(struct lay *L, const struct sm_funnel_panel *p)
{
	if (L->l->npanels == 1 && L->o->common.title)
		return L->o->common.title;
	return p->title;
}

static sm_status measure_cell(struct lay *L, struct cell *c, const struct sm_axis *ya,
			      const char *xl)
{
	struct sm_tstyle tt = L->bold, wrapped = L->body;
	tt.wrap = wrapped.wrap = c->w;
	sm_status s = SM_OK;
	for (int i = 0; i < L->l->npanels && s == SM_OK; i++) {
		const char *t = panel_title(L, &L->l->panels[i]);
		if (t && *t)
			s = text_h(L, &tt, t, &c->title_h);
		if (!L->l->panels[i].drawn)
			continue; /* its note stands in the plot's place */
		char *an = annotation(L, &L->l->panels[i]);
		if (!an)
			return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
		if (s == SM_OK)
			s = text_h(L, &wrapped, an, &c->annot_h);
		free(an);
	}
	if (s == SM_OK)
		s = text_h(L, &L->tick, ylabel(L->l->ymode), &c->ylab_h);
	if (s == SM_OK)
		s = text_h(L, &wrapped, xl, &c->xlab_h);
	if (s == SM_OK)
		s = text_h(L, &L->tick, "0123456789", &c->below_h);
	if (s == SM_OK)
		s = y_gutter(L, ya, &c->gutter);
	return s;
}

/* A panel without its funnel (too few studies): the reason, centred where
 * the plot would be. */
static sm_status note(struct lay *L, const struct sm_funnel_panel *p,
		      const struct sm_tstyle *wrapped)
{
	char *an = annotation(L, p);
	if (!an)
		return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
	struct sm_tstyle st = *wrapped;
	st.wrap = p->plot.x1 - p->plot.x0;
	struct sm_extent e = { 0 };
	sm_status s = sm_fig_measure(L->ctx, L->f, &st, an, &e);
	double y = (p->plot.y0 + p->plot.y1) / 2 - e.height / 2;
	if (s == SM_OK)
		s = sm_fig_put_text(L->ctx, L->f, &st, an, p->plot.x0, y, L->f->style->c_muted,
				    SM_FT_NOTE, -1, NULL);
	free(an);
	return s;
}

static sm_status lay_panel(struct lay *L, struct sm_funnel_panel *p, const struct cell *c,
			   double x, double y, const char *xl)
{
	struct sm_tstyle tt = L->bold, wrapped = L->body;
	tt.wrap = wrapped.wrap = c->w;
	tt.align = wrapped.align = SM_ALIGN_CENTER;
	const char *t = panel_title(L, p);
	sm_status s = SM_OK;
	if (t && *t)
		s = text(L, &tt, t, x, y, SM_FT_TITLE, NULL);
	double top = y + c->title_h + (c->title_h > 0 ? 3 : 0);
	/* The top y tick label is centred on the plot's edge: keep it clear of
	 * the axis title. */
	double py = top + c->ylab_h + c->below_h / 2 + 1;
	p->plot = (struct sm_box){ x + c->gutter, py, x + c->gutter + c->plot_w, py + c->plot_h };
	if (s == SM_OK && !p->drawn)
		return note(L, p, &wrapped);
	if (s == SM_OK)
		s = text(L, &L->tick, ylabel(L->l->ymode), x, top, SM_FT_OTHER, NULL);
	p->xa.x0 = p->plot.x0, p->xa.x1 = p->plot.x1;
	int up = L->l->ymode != SM_FUNNEL_SE; /* precision and n grow upwards */
	p->ya.x0 = up ? p->plot.y1 : p->plot.y0;
	p->ya.x1 = up ? p->plot.y0 : p->plot.y1;
	if (s == SM_OK)
		s = regions(L, p);
	if (s == SM_OK)
		s = axes(L, p);
	if (s == SM_OK)
		s = points(L, p);
	double by = p->plot.y1 + 4 + c->below_h + 2;
	if (s == SM_OK)
		s = text(L, &wrapped, xl, x, by, SM_FT_OTHER, NULL);
	char *an = annotation(L, p);
	if (!an)
		return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
	if (s == SM_OK)
		s = text(L, &wrapped, an, x, by + c->xlab_h + 2, SM_FT_ANNOT, NULL);
	free(an);
	return s;
}

static double cell_height(const struct cell *c)
{
	return c->title_h + (c->title_h > 0 ? 3 : 0) + c->ylab_h + c->below_h / 2 + 1 +
	       c->plot_h + 4 +
	       c->below_h + 2 + c->xlab_h + 2 + c->annot_h;
}

/* Which marks the panels show, for the legend. */
struct shown {
	int drawn, filled, adjusted, pooled_centred, egger;
};

static struct shown shown_marks(const struct lay *L)
{
	struct shown w = { 0 };
	for (int i = 0; i < L->l->npanels; i++) {
		const struct sm_funnel_panel *p = &L->l->panels[i];
		if (!p->drawn)
			continue;
		w.drawn = 1;
		for (size_t j = 0; j < p->npts; j++)
			w.filled |= p->pts[j].filled && drawable(L->l, &p->pts[j]);
		w.adjusted |= p->adjusted;
		w.pooled_centred |= !p->adjusted;
		w.egger |= p->tested && isfinite(p->egger_limit) && isfinite(p->egger_slope);
	}
	return w;
}

/* Where the pseudo-confidence region is centred, as the legend says it. */
static const char *region_words(const struct shown *w)
{
	if (w->adjusted && w->pooled_centred)
		return "Pseudo 95% confidence region (centred on the adjusted estimate where "
		       "studies were imputed, else on the pooled estimate)";
	return w->adjusted ? "Pseudo 95% confidence region (centred on the adjusted estimate)"
			   : "Pseudo 95% confidence region (centred on the pooled estimate)";
}

/* What the marks mean; the contour shades say which side of which P. */
static sm_status legend(struct lay *L, double x, double y, double width, double *h)
{
	const struct sm_style *st = L->f->style;
	struct sm_fig_legend_entry e[SM_FUNNEL_MAX_GROUPS + 12];
	size_t n = 0;
	struct shown w = shown_marks(L);
	*h = 0;
	if (!w.drawn)
		return SM_OK; /* no panel has marks to explain */
	struct sm_fig_item m = { .kind = SM_FIG_MARKER, .r = L->radius, .fill = 1, .stroke = 1,
				 .lw = st->lw_marker, .fc = st->c_square, .sc = st->c_text };
	if (L->l->ngroups == 0)
		e[n++] = (struct sm_fig_legend_entry){ m, "Study" };
	for (int g = 0; g < L->l->ngroups; g++) {
		m.fc = sm_fig_palette(g);
		m.marker = (enum sm_fig_marker)(g % SM_NMARKERS);
		e[n++] = (struct sm_fig_legend_entry){ m, L->l->groups[g] };
	}
	if (w.filled) {
		m.fc = sm_fig_rgb(0xFFFFFF), m.marker = SM_MK_CIRCLE, m.lw = st->lw_marker_imputed;
		e[n++] = (struct sm_fig_legend_entry){ m, "Imputed study (trim and fill)" };
	}
	struct sm_fig_item line = { .kind = SM_FIG_LINE, .stroke = 1,
				    .lw = st->lw_funnel_estimate, .sc = st->c_diamond };
	e[n++] = (struct sm_fig_legend_entry){ line, w.adjusted ? "Pooled estimate (observed "
								  "studies, unadjusted)"
								: "Pooled estimate" };
	if (w.adjusted) {
		struct sm_fig_item adj = line;
		adj.sc = st->c_square, adj.dash = ADJUSTED_DASH;
		e[n++] = (struct sm_fig_legend_entry){ adj, "Adjusted estimate (trim and fill: "
							    "observed and imputed studies)" };
	}
	int curves = L->l->ymode != SM_FUNNEL_N;
	line.sc = st->c_text, line.lw = st->lw_funnel_region, line.dash = 2.5;
	if (curves)
		e[n++] = (struct sm_fig_legend_entry){ line, region_words(&w) };
	line.dash = 0.8;
	if (curves && L->o->ci99)
		e[n++] = (struct sm_fig_legend_entry){ line, "Pseudo 99% region" };
	line.dash = 0, line.sc = sm_fig_palette(2), line.lw = st->lw_funnel_egger;
	if (curves && L->o->egger_line && w.egger)
		e[n++] = (struct sm_fig_legend_entry){ line, "Egger regression line" };
	if (curves && L->o->contours) {
		struct sm_fig_item none = { .kind = SM_FIG_UNCLIP };
		e[n++] = (struct sm_fig_legend_entry){ none, "Significance contours centred on "
						       "the null:" };
		static const char *const what[] = { "0.05 < P < 0.10", "0.01 < P < 0.05",
						     "P < 0.01" };
		struct sm_fig_item box = { .kind = SM_FIG_RECT, .fill = 1, .stroke = 1,
					   .lw = st->lw_swatch, .sc = st->c_muted };
		for (int i = 0; i < 3; i++) {
			box.fc = st->c_contour[i];
			e[n++] = (struct sm_fig_legend_entry){ box, what[i] };
		}
	}
	struct sm_tstyle ts = L->tick;
	return sm_fig_legend(L->ctx, L->f, &ts, e, n, x, y, width, SM_FT_LEGEND, h);
}

/* The panels in a grid, L->per_page of them a page (0: all on one), each
 * page with the legend under its panels. */
static sm_status lay_grid(struct lay *L, double width)
{
	struct sm_funnel_data *l = L->l;
	double margin = L->f->style->margin, gap = L->small ? 6 * SM_PT_PER_MM : 0;
	int per = L->per_page > 0 && L->per_page < l->npanels ? L->per_page : l->npanels;
	int ncol = per == 1 ? 1 : per <= 4 ? 2 : per <= 9 ? 3 : 4;
	struct sm_axis xa, ya;
	fit_axes(L, &xa, &ya);
	char *xl = xlabel(L);
	if (!xl)
		return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
	struct cell c = { .w = (width - 2 * margin - gap * (ncol - 1)) / ncol };
	sm_status s = measure_cell(L, &c, &ya, xl);
	double last_w = 0;
	if (s == SM_OK)
		s = tick_width(L, xa.ticks[xa.nticks - 1], &last_w);
	c.right = last_w / 2 + 1;
	c.plot_w = c.w - c.gutter - c.right;
	if (s == SM_OK && c.plot_w < 60)
		s = SM_FAIL(L->ctx, SM_EINPUT, "figure too narrow for %d funnel panels; "
			    "expected a wider --width", per);
	if (s == SM_OK)
		s = thin_x(L, &xa, c.plot_w);
	c.plot_h = c.plot_w * (L->small ? 0.8 : 0.75);
	if (l->npanels == 1 && !l->panels[0].drawn)
		c.plot_h = 3 * L->body.size; /* only the note: no empty plot area */
	double ch = cell_height(&c), rgap = L->small ? 5 * SM_PT_PER_MM : 0;
	L->f->width = width;
	double tallest = 0;
	for (int first = 0, page = 0; first < l->npanels && s == SM_OK; first += per, page++) {
		sm_fig_set_page(L->f, page);
		int n = l->npanels - first < per ? l->npanels - first : per;
		for (int i = 0; i < n && s == SM_OK; i++) {
			struct sm_funnel_panel *p = &l->panels[first + i];
			p->xa = xa;
			p->ya = ya;
			double x = margin + (i % ncol) * (c.w + gap);
			double y = margin + (i / ncol) * (ch + rgap);
			s = lay_panel(L, p, &c, x, y, xl);
		}
		int nrow = (n + ncol - 1) / ncol;
		double h = margin + nrow * ch + (nrow - 1) * rgap + 6, lh = 0;
		if (s == SM_OK)
			s = legend(L, margin, h, width - 2 * margin, &lh);
		h += lh + margin;
		if (s == SM_OK && l->npanels > per)
			s = sm_fig_set_page_used(L->ctx, L->f, page, h);
		tallest = fmax(tallest, h);
	}
	free(xl);
	L->f->height = tallest;
	return s;
}

static sm_status build(struct lay *L, const struct sm_res *res)
{
	const struct sm_funnel_options *o = L->o;
	sm_status s = sm_funnel_read(L->ctx, res, o, L->l);
	if (s != SM_OK)
		return s;
	L->small = L->l->npanels > 1;
	L->has_null = measure_has_null(L->l->measure);
	if (o->contours && !L->has_null)
		return SM_FAIL(L->ctx, SM_EINPUT, "significance contours need a null value; "
			       "expected a ratio or difference measure, not a proportion");
	const char *w = o->common.width ? o->common.width : L->small ? NULL : "120mm";
	double width;
	if (sm_fig_width(L->ctx, L->f, w, L->small ? 100 : 50, &width) != SM_OK)
		return SM_EINPUT;
	if (!o->common.width && !L->small)
		width = fmin(width, L->f->style->width);
	L->body = sm_fig_role(L->f, L->small ? SM_FR_SMALL : SM_FR_BODY);
	L->bold = sm_fig_role(L->f, L->small ? SM_FR_SMALL_BOLD : SM_FR_BOLD);
	L->tick = sm_fig_role(L->f, SM_FR_SMALL);
	L->radius = L->small ? 1.6 : 2.2;
	s = lay_grid(L, width);
	return s == SM_OK ? sm_fig_finish(L->ctx, L->f) : s;
}

sm_status sm_funnel_lay(struct sm_ctx *ctx, const struct sm_res *res,
			const struct sm_funnel_options *opts, int per_page, struct sm_fig **out)
{
	*out = NULL;
	struct sm_funnel_data data = { 0 };
	struct lay L = { .ctx = ctx, .l = &data, .o = opts, .per_page = per_page };
	sm_status s = (L.f = sm_fig_new(ctx, L.o->common.style)) ? build(&L, res)
								       : sm_ctx_status(ctx, SM_EINPUT);
	sm_funnel_data_release(&data);
	if (s != SM_OK) {
		sm_fig_free(L.f);
		return s;
	}
	*out = L.f;
	return SM_OK;
}
