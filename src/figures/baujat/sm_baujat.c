/* sm_baujat.c -- the Baujat plot's layout (sm_baujat.h): one framed plot
 * area with both axes from 0, the studies' points and labels
 * (sm_baujat_int.h places them), the caption and the key under it. */
#include "sm_baujat.h"

#include "sm_axis.h"
#include "sm_baujat_int.h"
#include "sm_buf.h"
#include "sm_fmt.h"
#include "sm_measure.h"
#include "sm_method.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BJ_R 1.8        /* point radius (pt) */
#define BJ_TICK 3.0     /* tick length (pt) */
#define BJ_HEAD 1.08    /* the axes reach at least this far past the largest value */
#define BJ_GROW 1.3     /* a crowded plot grows taller by this ... */
#define BJ_NGROW 3      /* ... at most this many times */
/* Past this many points, or when they cannot all be labelled, only the
 * BJ_TOP most outlying are (fewer, halving, while even they do not fit). */
#define BJ_MAX_LABELLED 80
#define BJ_TOP 10

struct pt {
	double x, y;
	size_t study;
	double px, py; /* on the page */
	size_t lab;    /* its label (several points that coincide share one) */
};

struct lay {
	struct sm_ctx *ctx;
	struct sm_fig *f;
	const struct sm_res_analysis *a;
	struct pt *pts;
	size_t npts, nmissing;
	struct sm_bj_lab *labs; /* nlabs */
	size_t nlabs;
	size_t *lab_pt;     /* the first point of each label */
	char **texts;       /* each label's text (numbers or study labels) */
	double *text_left;  /* each label's extent.left */
	int numbered;
	double same;        /* numbers: points this close share a label (pt) */
	size_t limit;       /* 0: every point labelled; else the `limit` most outlying */
	unsigned char *chosen; /* with a limit: the points labelled */
	struct sm_tstyle body, tick;
	struct sm_tstyle lab;  /* the labels: small, numbers wrapped at 1/3 of the plot */
	struct sm_axis xa, ya;
};

static int has_xy(const struct sm_res_study *s)
{
	return isfinite(s->baujat_x) && isfinite(s->baujat_y);
}

static size_t count_xy(const struct sm_res_analysis *a)
{
	size_t n = 0;
	for (size_t i = 0; i < a->studies.n; i++)
		n += has_xy(&a->studies.v[i]);
	return n;
}

static const struct sm_res_analysis *find_analysis(struct sm_ctx *ctx, const struct sm_res *res,
						   const char *name)
{
	if (!name) {
		for (size_t i = 0; i < res->analyses.n; i++)
			if (count_xy(&res->analyses.v[i]) >= 2)
				return &res->analyses.v[i];
		SM_FAIL(ctx, SM_EINPUT, "no analysis of these results has Baujat coordinates "
			"(baujat_x, baujat_y) for 2 or more studies; expected results of "
			"`safemeta analyze` of an analysis with k >= 2");
		return NULL;
	}
	const struct sm_res_analysis *a = sm_res_analysis_named(res, name);
	if (!a) {
		SM_FAIL(ctx, SM_EINPUT, "no analysis named '%s'; expected the name of an analysis "
			"of the results", name);
		return NULL;
	}
	size_t n = count_xy(a);
	if (n < 2) {
		SM_FAIL(ctx, SM_EINPUT, "analysis '%s' has Baujat coordinates (baujat_x, "
			"baujat_y) for %zu of its %zu studies; expected 2 or more for a Baujat "
			"plot", name, n, a->studies.n);
		return NULL;
	}
	return a;
}

static char *label_of(const struct sm_res_study *s, size_t i)
{
	if (s->label && *s->label)
		return sm_asprintf("%s", s->label);
	if (s->study_id && *s->study_id)
		return sm_asprintf("%s", s->study_id);
	return sm_asprintf("Study %zu", i + 1);
}

static sm_status read_points(struct lay *L)
{
	const struct sm_res_analysis *a = L->a;
	size_t n = a->studies.n ? a->studies.n : 1;
	L->pts = calloc(n, sizeof *L->pts);
	L->labs = calloc(n, sizeof *L->labs);
	L->texts = calloc(n, sizeof *L->texts);
	L->text_left = calloc(n, sizeof *L->text_left);
	L->lab_pt = calloc(n, sizeof *L->lab_pt);
	L->chosen = calloc(n, 1);
	if (!L->pts || !L->labs || !L->texts || !L->text_left || !L->lab_pt || !L->chosen)
		return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
	for (size_t i = 0; i < a->studies.n; i++) {
		const struct sm_res_study *s = &a->studies.v[i];
		if (has_xy(s))
			L->pts[L->npts++] = (struct pt){ .x = s->baujat_x, .y = s->baujat_y,
							 .study = i, .px = 0, .py = 0, .lab = 0 };
		else
			L->nmissing++;
	}
	return SM_OK;
}

static void free_texts(struct lay *L)
{
	for (size_t i = 0; L->texts && i < L->nlabs; i++) {
		free(L->texts[i]);
		L->texts[i] = NULL;
	}
}

static void fit_axes(struct lay *L)
{
	double xhi = 0, yhi = 0;
	for (size_t i = 0; i < L->npts; i++) {
		xhi = fmax(xhi, L->pts[i].x);
		yhi = fmax(yhi, L->pts[i].y);
	}
	/* from 0, with room above the largest value for its label */
	sm_axis_fit_range(&L->xa, 0, 0, xhi > 0 ? xhi * BJ_HEAD : 1);
	sm_axis_fit_range(&L->ya, 0, 0, yhi > 0 ? yhi * BJ_HEAD : 1);
}

static sm_status measure(struct lay *L, const struct sm_tstyle *st, const char *s,
			 struct sm_extent *e)
{
	*e = (struct sm_extent){ 0 };
	return sm_fig_measure(L->ctx, L->f, st, s, e);
}

/* Text with its box's left/centre/right (align -1/0/1) at x and its
 * vertical centre (vmid) or top at y. */
static sm_status put(struct lay *L, const struct sm_tstyle *st, const char *s, double x,
		     double y, int align, int vmid, int tag)
{
	unsigned at = (vmid ? SM_FIG_AT_VMID : 0u) | SM_FIG_AT_INK;
	return sm_fig_put_aligned(L->ctx, L->f, st, s, x, y, align, at, tag, -1);
}

static sm_status tick_width(struct lay *L, double v, double *w)
{
	char *t = sm_fmt_short_str(v);
	if (!t)
		return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
	struct sm_extent e;
	sm_status s = measure(L, &L->tick, t, &e);
	free(t);
	*w = e.width;
	return s;
}

static sm_status widest_tick(struct lay *L, const struct sm_axis *ax, double *w)
{
	*w = 0;
	for (int i = 0; i < ax->nticks; i++) {
		double tw;
		sm_status s = tick_width(L, ax->ticks[i], &tw);
		if (s != SM_OK)
			return s;
		*w = fmax(*w, tw);
	}
	return SM_OK;
}

/* Drop x ticks until neighbouring labels keep a gap of 3 pt. */
static sm_status thin_x(struct lay *L)
{
	for (;;) {
		int ok = 1;
		double prev = -INFINITY;
		for (int i = 0; i < L->xa.nticks && ok; i++) {
			double w;
			sm_status s = tick_width(L, L->xa.ticks[i], &w);
			if (s != SM_OK)
				return s;
			double c = sm_axis_map(&L->xa, L->xa.ticks[i]);
			ok = c - w / 2 >= prev + 3;
			prev = c + w / 2;
		}
		if (ok || !sm_axis_thin(&L->xa))
			return SM_OK;
	}
}

static struct sm_fig_item *line_item(struct lay *L, double x0, double y0, double x1, double y1,
				     int tag, int ref)
{
	struct sm_fig_item *it = sm_fig_add(L->ctx, L->f, SM_FIG_LINE);
	if (it) {
		*it = (struct sm_fig_item){ .kind = SM_FIG_LINE, .tag = tag, .ref = ref,
					    .page = it->page, .x0 = x0, .y0 = y0, .x1 = x1,
					    .y1 = y1, .stroke = 1, .sc = L->f->style->c_text,
					    .lw = L->f->style->lw_axis };
	}
	return it;
}

/* Numbers: points closer than this share one label, "3,7,12" (pt); in a
 * crowd, points that touch. */
#define BJ_SAME 1.0
#define BJ_SAME_CROWD (2 * BJ_R)
/* ... and in a thick crowd, points up to this far apart (doubling) */
#define BJ_SAME_MAX 30.0

/* The points on the page, and which label each one has: its own, or
 * (numbers) that of an earlier point at the same place. */
static void group_points(struct lay *L)
{
	L->nlabs = 0;
	for (size_t i = 0; i < L->npts; i++) {
		struct pt *p = &L->pts[i];
		p->px = sm_axis_map(&L->xa, p->x);
		p->py = sm_axis_map(&L->ya, p->y);
		p->lab = L->nlabs;
		int bare = L->limit && !L->chosen[i];
		for (size_t g = 0; L->numbered && !bare && g < L->nlabs; g++) {
			const struct pt *q = &L->pts[L->lab_pt[g]];
			if (!L->labs[g].obstacle &&
			    hypot(p->px - q->px, p->py - q->py) < L->same) {
				p->lab = g;
				break;
			}
		}
		if (p->lab == L->nlabs) {
			L->lab_pt[L->nlabs] = i;
			L->labs[L->nlabs++] = (struct sm_bj_lab){ .px = p->px, .py = p->py,
								  .pr = BJ_R, .obstacle = bare };
		} else {
			struct sm_bj_lab *l = &L->labs[p->lab];
			l->pr = fmax(l->pr, hypot(p->px - l->px, p->py - l->py) + BJ_R);
		}
	}
}

/* The labels' texts and sizes, numbers or the studies' labels. */
static sm_status make_texts(struct lay *L)
{
	free_texts(L);
	group_points(L);
	for (size_t g = 0; g < L->nlabs; g++) {
		if (L->labs[g].obstacle)
			continue;
		struct sm_buf b;
		sm_buf_init(&b);
		for (size_t i = L->lab_pt[g]; i < L->npts; i++) {
			size_t st = L->pts[i].study;
			if (L->pts[i].lab != g)
				continue;
			if (L->numbered) {
				/* a zero-width space lets a long list wrap */
				sm_buf_printf(&b, "%s%zu", i == L->lab_pt[g] ? "" : ",\xe2\x80\x8b",
					      st + 1);
			} else {
				char *lab = label_of(&L->a->studies.v[st], st);
				if (lab)
					sm_buf_puts(&b, lab);
				else
					b.failed = 1;
				free(lab);
			}
		}
		L->texts[g] = b.failed ? (sm_buf_release(&b), NULL) : sm_buf_take(&b);
		if (!L->texts[g])
			return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
		struct sm_extent e;
		sm_status s = measure(L, &L->lab, L->texts[g], &e);
		if (s != SM_OK)
			return s;
		L->labs[g].w = e.width;
		L->labs[g].h = e.height;
		L->text_left[g] = e.left;
	}
	return SM_OK;
}

/* Place the labels; 1 when they all found a place (and, for study
 * labels, few needed a leader). */
static int try_place(struct lay *L, const struct sm_box *frame)
{
	if (sm_bj_place(L->labs, L->nlabs, frame) > 0)
		return 0;
	size_t lead = 0, n = 0;
	for (size_t i = 0; i < L->nlabs; i++) {
		lead += L->labs[i].placed == SM_BJ_LEADERED;
		n += !L->labs[i].obstacle;
	}
	/* long labels far from their points read worse than numbers */
	return L->numbered || 4 * lead <= n;
}

static sm_status draw_frame(struct lay *L, const struct sm_box *fr)
{
	if (!line_item(L, fr->x0, fr->y1, fr->x1, fr->y1, SM_BJ_FRAME, -1) ||
	    !line_item(L, fr->x0, fr->y0, fr->x0, fr->y1, SM_BJ_FRAME, -1) ||
	    !line_item(L, fr->x0, fr->y0, fr->x1, fr->y0, SM_BJ_FRAME, -1) ||
	    !line_item(L, fr->x1, fr->y0, fr->x1, fr->y1, SM_BJ_FRAME, -1))
		return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
	sm_status s = SM_OK;
	for (int i = 0; i < L->xa.nticks && s == SM_OK; i++) {
		double x = sm_axis_map(&L->xa, L->xa.ticks[i]);
		if (!line_item(L, x, fr->y1, x, fr->y1 + BJ_TICK, SM_BJ_AXIS, -1))
			return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
		char *t = sm_fmt_short_str(L->xa.ticks[i]);
		s = t ? put(L, &L->tick, t, x, fr->y1 + BJ_TICK + 1, 0, 0, SM_BJ_TICK)
		      : SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
		free(t);
	}
	for (int i = 0; i < L->ya.nticks && s == SM_OK; i++) {
		double y = sm_axis_map(&L->ya, L->ya.ticks[i]);
		if (!line_item(L, fr->x0 - BJ_TICK, y, fr->x0, y, SM_BJ_AXIS, -1))
			return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
		char *t = sm_fmt_short_str(L->ya.ticks[i]);
		s = t ? put(L, &L->tick, t, fr->x0 - BJ_TICK - 2, y, 1, 1, SM_BJ_TICK)
		      : SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
		free(t);
	}
	return s;
}

/* Leaders (layer 0), points (1), labels. */
static sm_status draw_data(struct lay *L)
{
	const struct sm_style *st = L->f->style;
	for (size_t i = 0; i < L->npts; i++) {
		struct sm_fig_item *c = sm_fig_add(L->ctx, L->f, SM_FIG_CIRCLE);
		if (!c)
			return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
		c->tag = SM_BJ_POINT;
		c->ref = (int)L->pts[i].study;
		c->x0 = L->pts[i].px;
		c->y0 = L->pts[i].py;
		c->r = BJ_R;
		c->layer = 1;
		c->fill = 1;
		c->stroke = 1;
		c->fc = st->c_square;
		/* a white rim keeps coinciding points apart */
		c->sc = sm_fig_rgb(0xFFFFFF);
		c->lw = st->lw_marker;
	}
	for (size_t g = 0; g < L->nlabs; g++) {
		const struct sm_bj_lab *l = &L->labs[g];
		int ref = (int)L->pts[L->lab_pt[g]].study;
		if (l->obstacle)
			continue;
		if (l->placed == SM_BJ_LEADERED) {
			struct sm_fig_item *ln = line_item(L, l->lx0, l->ly0, l->lx1, l->ly1,
							   SM_BJ_LEADER, ref);
			if (!ln)
				return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
			ln->lw = st->lw_axis * 0.7;
			ln->sc = st->c_muted;
		}
		sm_status s = sm_fig_put_text(L->ctx, L->f, &L->lab, L->texts[g],
					      l->box.x0 - L->text_left[g], l->box.y0, st->c_text,
					      SM_BJ_LABEL, ref, NULL);
		if (s != SM_OK)
			return s;
	}
	return SM_OK;
}

static int is_random(const struct sm_res_analysis *a)
{
	if (a->tau2_estimator)
		return strcmp(a->tau2_estimator, "none") != 0;
	return sm_method_label_is_random(a->method);
}

static int is_multilevel(const struct sm_res_analysis *a)
{
	return a->model && !strcmp(a->model, "multilevel");
}

/* "Baujat plot of the random-effects model (REML), 13 studies. ...": the
 * model, what the axes are, the scale, the studies left out. */
static char *caption(struct lay *L)
{
	const struct sm_res_analysis *a = L->a;
	struct sm_buf b;
	sm_buf_init(&b);
	int random = is_random(a);
	int iv = !sm_method_label_is_mh_peto(a->method) && !a->glmm.present && !is_multilevel(a);
	sm_buf_printf(&b, "Baujat plot of the %s%s model", iv ? "" : "inverse-variance ",
		      random ? "random-effects" : "common-effect");
	if (a->tau2_estimator && strcmp(a->tau2_estimator, "none"))
		sm_buf_printf(&b, " (%s)", a->tau2_estimator);
	if (!iv) {
		sm_buf_printf(&b, " (the analysis pools %s", is_multilevel(a) ? "a multilevel model"
			      : a->glmm.present ? "a GLMM" : "with ");
		if (!is_multilevel(a) && !a->glmm.present)
			sm_buf_puts(&b, a->method ? a->method : "counts");
		sm_buf_puts(&b, is_multilevel(a) ? "; rows as independent studies)" : ")");
	}
	sm_buf_printf(&b, ", %zu studies. Horizontal: each study's ", L->npts);
	if (random)
		sm_buf_puts(&b, "squared Pearson residual, its contribution to the overall "
			    "heterogeneity");
	else
		sm_buf_puts(&b, "contribution to the overall heterogeneity Q, its squared "
			    "residual over its variance");
	sm_buf_puts(&b, "; vertical: its influence on the overall result, the squared change "
		    "of the pooled estimate when the study is left out over the variance of the "
		    "estimate without it.");
	const char *scale = sm_measure_scale_title(a->measure);
	if (scale && *scale)
		sm_buf_printf(&b, " Scale of the analysis: %s.", scale);
	if (L->limit == SIZE_MAX)
		sm_buf_printf(&b, " Too many studies to label at this width.");
	else if (L->limit)
		sm_buf_printf(&b, " Labelled: the %zu studies of largest contribution or "
			      "influence (relative to the largest of each).", L->limit);
	if (L->nmissing)
		sm_buf_printf(&b, " %zu %s without both coordinates %s not shown.", L->nmissing,
			      L->nmissing == 1 ? "study" : "studies",
			      L->nmissing == 1 ? "is" : "are");
	return b.failed ? (sm_buf_release(&b), NULL) : sm_buf_take(&b);
}

/* "1 Aronson, 1948; 2 Ferguson & Simes, 1949; ..." */
static char *key_text(struct lay *L)
{
	struct sm_buf b;
	sm_buf_init(&b);
	int shared = 0;
	for (size_t g = 0; g < L->nlabs; g++)
		shared |= !L->labs[g].obstacle && L->texts[g] && strchr(L->texts[g], ',');
	sm_buf_puts(&b, shared ? "Studies (numbers joined by commas: points at one place): "
			       : "Studies: ");
	int any = 0;
	for (size_t i = 0; i < L->npts; i++) {
		size_t st = L->pts[i].study;
		if (L->limit && !L->chosen[i])
			continue;
		char *lab = label_of(&L->a->studies.v[st], st);
		if (!lab) {
			sm_buf_release(&b);
			return NULL;
		}
		/* a no-break space keeps a number with its label */
		sm_buf_printf(&b, "%s%zu\xc2\xa0%s", any++ ? "; " : "", st + 1, lab);
		free(lab);
	}
	sm_buf_puts(&b, ".");
	return b.failed ? (sm_buf_release(&b), NULL) : sm_buf_take(&b);
}

static const char *x_title(const struct sm_res_analysis *a)
{
	/* metafor's xlab: a random-effects residual is not a share of Q */
	return is_random(a) ? "Squared Pearson residual" : "Contribution to overall heterogeneity";
}

/* The frame lies this far outside the axes' ends (as R's plots, 4%), so
 * that no point sits on it. */
static double inset(double extent)
{
	return fmax(0.04 * extent, BJ_R + 3);
}

/* Mark the `limit` points most outlying on either axis (each relative to
 * the largest of its axis), ties by study order. */
static sm_status choose(struct lay *L)
{
	double xmax = 0, ymax = 0;
	for (size_t i = 0; i < L->npts; i++) {
		xmax = fmax(xmax, L->pts[i].x);
		ymax = fmax(ymax, L->pts[i].y);
	}
	double *score = calloc(L->npts ? L->npts : 1, sizeof *score);
	size_t *order = calloc(L->npts ? L->npts : 1, sizeof *order);
	if (!score || !order) {
		free(score);
		free(order);
		return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
	}
	for (size_t i = 0; i < L->npts; i++) {
		score[i] = fmax(xmax > 0 ? L->pts[i].x / xmax : 0,
				ymax > 0 ? L->pts[i].y / ymax : 0);
		order[i] = i;
	}
	/* insertion sort: stable, and the lists are short enough */
	for (size_t i = 1; i < L->npts; i++)
		for (size_t j = i; j > 0 && score[order[j]] > score[order[j - 1]]; j--) {
			size_t t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	memset(L->chosen, 0, L->npts);
	for (size_t i = 0; i < L->npts && L->limit != SIZE_MAX && i < L->limit; i++)
		L->chosen[order[i]] = 1;
	free(score);
	free(order);
	return SM_OK;
}

/* The plot's height, grown until the labels all find a place; in a crowd
 * past that, only the most outlying points are labelled (or none). */
static sm_status place_labels(struct lay *L, struct sm_box *fr, double plot_h, int numbered)
{
	double h0 = plot_h;
	if (L->npts > BJ_MAX_LABELLED)
		L->limit = BJ_TOP;
	for (int grow = 0;;) {
		fr->y1 = fr->y0 + plot_h;
		double pad = inset(plot_h);
		L->ya.x0 = fr->y1 - pad;
		L->ya.x1 = fr->y0 + pad;
		L->lab = L->tick;
		L->lab.wrap = L->numbered ? fmax(60, (fr->x1 - fr->x0) / 3) : 0;
		sm_status s = L->limit ? choose(L) : SM_OK;
		if (s == SM_OK)
			s = make_texts(L);
		if (s != SM_OK)
			return s;
		if (L->limit == SIZE_MAX)
			for (size_t g = 0; g < L->nlabs; g++)
				L->labs[g].obstacle = 1;
		if (L->limit == SIZE_MAX || try_place(L, fr))
			return SM_OK;
		if (!L->numbered) {
			L->numbered = 1;
			continue;
		}
		if (L->same < BJ_SAME_MAX) {
			L->same = L->same < BJ_SAME_CROWD ? BJ_SAME_CROWD : 2 * L->same;
			continue;
		}
		if (!L->limit && grow < BJ_NGROW) {
			grow++;
			plot_h *= BJ_GROW;
			continue;
		}
		/* the most outlying only, from the start again at the first height */
		L->limit = !L->limit ? BJ_TOP : L->limit > 1 ? L->limit / 2 : SIZE_MAX;
		L->numbered = numbered;
		L->same = BJ_SAME;
		plot_h = h0;
	}
}

/* Title, y title, plot, x ticks and title, caption, key, top to bottom. */
static sm_status lay_out(struct lay *L, const char *title, double width)
{
	const struct sm_style *st = L->f->style;
	double margin = st->margin, y = margin;
	struct sm_tstyle bold = sm_fig_role(L->f, SM_FR_BOLD);
	struct sm_extent e = { 0 };
	sm_status s = SM_OK;
	if (title && *title) {
		bold.wrap = width - 2 * margin;
		s = measure(L, &bold, title, &e);
		if (s == SM_OK)
			s = sm_fig_put_text(L->ctx, L->f, &bold, title, margin, y, st->c_text,
					    SM_BJ_TITLE, -1, NULL);
		y += e.height + 4;
	}
	const char *yt = "Influence on overall result", *xt = x_title(L->a);
	double gutter = 0, last = 0;
	if (s == SM_OK)
		s = widest_tick(L, &L->ya, &gutter);
	if (s == SM_OK && L->xa.nticks > 0)
		s = tick_width(L, L->xa.ticks[L->xa.nticks - 1], &last);
	struct sm_box fr = { margin + gutter + BJ_TICK + 2, 0, width - margin - fmax(last / 2, 2),
			     0 };
	if (s == SM_OK && fr.x1 - fr.x0 < 80)
		s = SM_FAIL(L->ctx, SM_EINPUT, "figure too narrow for a Baujat plot; expected a "
			    "wider --width");
	if (s == SM_OK)
		s = put(L, &L->tick, yt, margin, y, -1, 0, SM_BJ_YTITLE);
	if (s == SM_OK)
		s = measure(L, &L->tick, yt, &e);
	y += e.height + 4;
	fr.y0 = y;
	double plot_h = fmin((fr.x1 - fr.x0) * 0.75, 110 * SM_PT_PER_MM);
	L->xa.x0 = fr.x0 + inset(fr.x1 - fr.x0);
	L->xa.x1 = fr.x1 - inset(fr.x1 - fr.x0);
	if (s == SM_OK)
		s = thin_x(L);
	while (s == SM_OK && L->ya.nticks > 2 && plot_h / L->ya.nticks < L->tick.size * 1.6 &&
	       sm_axis_thin(&L->ya))
		;
	if (s == SM_OK)
		s = place_labels(L, &fr, plot_h, L->numbered);
	if (s == SM_OK)
		s = draw_data(L);
	if (s == SM_OK)
		s = draw_frame(L, &fr);
	y = fr.y1 + BJ_TICK + 1;
	if (s == SM_OK)
		s = measure(L, &L->tick, "0", &e);
	y += e.height + 3;
	if (s == SM_OK)
		s = put(L, &L->body, xt, (fr.x0 + fr.x1) / 2, y, 0, 0, SM_BJ_XTITLE);
	if (s == SM_OK)
		s = measure(L, &L->body, xt, &e);
	y += e.height + 6;
	struct sm_tstyle cs = L->tick;
	cs.wrap = width - 2 * margin;
	char *cap = s == SM_OK ? caption(L) : NULL;
	if (s == SM_OK && !cap)
		s = SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
	if (s == SM_OK)
		s = measure(L, &cs, cap, &e);
	if (s == SM_OK)
		s = sm_fig_put_text(L->ctx, L->f, &cs, cap, margin, y, st->c_text, SM_BJ_CAPTION,
				    -1, NULL);
	y += e.height;
	free(cap);
	if (s == SM_OK && L->numbered && L->limit != SIZE_MAX) {
		char *key = key_text(L);
		s = key ? measure(L, &cs, key, &e) : SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
		if (s == SM_OK)
			s = sm_fig_put_text(L->ctx, L->f, &cs, key, margin, y + 3, st->c_text,
					    SM_BJ_KEY, -1, NULL);
		y += e.height + 3;
		free(key);
	}
	L->f->width = width;
	L->f->height = y + margin;
	return s;
}

static sm_status build(struct lay *L, const struct sm_res *res, const struct sm_baujat_options *o)
{
	if (!(L->a = find_analysis(L->ctx, res, o->common.analysis)))
		return SM_EINPUT;
	sm_status s = read_points(L);
	if (s != SM_OK)
		return s;
	double width;
	if (sm_fig_width(L->ctx, L->f, o->common.width ? o->common.width : "120mm", 60,
			 &width) != SM_OK)
		return SM_EINPUT;
	L->body = sm_fig_role(L->f, SM_FR_BODY);
	L->tick = sm_fig_role(L->f, SM_FR_SMALL);
	L->numbered = o->symbol == SM_BJ_SYMBOL_NUMBER;
	L->same = BJ_SAME;
	fit_axes(L);
	s = lay_out(L, o->common.title, width);
	return s == SM_OK ? sm_fig_finish(L->ctx, L->f) : s;
}

static sm_status layout(struct sm_ctx *ctx, const struct sm_res *res, const void *opts,
			const struct sm_figure_env *env, struct sm_fig **out)
{
	(void)env;
	*out = NULL;
	struct lay L = { .ctx = ctx };
	sm_status s = (L.f = sm_fig_new(ctx, sm_figure_common_of(opts)->style))
		? build(&L, res, opts) : sm_ctx_status(ctx, SM_EINPUT);
	free_texts(&L);
	free(L.texts);
	free(L.text_left);
	free(L.lab_pt);
	free(L.chosen);
	free(L.labs);
	free(L.pts);
	if (s != SM_OK) {
		sm_fig_free(L.f);
		return s;
	}
	*out = L.f;
	return SM_OK;
}

static void options_init(void *opts)
{
	*(struct sm_baujat_options *)opts = (struct sm_baujat_options){
		.common.dpi = 300, .symbol = SM_BJ_SYMBOL_LABEL };
}

static int has_xy_pair(const struct sm_res_analysis *a, const void *arg)
{
	(void)arg;
	return count_xy(a) >= 2;
}

/* baujat-<analysis> for every analysis with two or more studies that have
 * Baujat coordinates. */
static sm_status plan(struct sm_ctx *ctx, const struct sm_res *res, struct sm_figure_plan *p)
{
	return sm_figure_plan_per_analysis(ctx, res, p, &sm_figure_baujat, has_xy_pair, NULL);
}

/* The label placement grows with the square of the points labelled. */
static double cost(const struct sm_res *res, const void *opts)
{
	const char *name = sm_figure_common_of(opts)->analysis;
	const struct sm_res_analysis *a = name ? sm_res_analysis_named(res, name) : NULL;
	double n = a ? fmin((double)count_xy(a), BJ_MAX_LABELLED) : 13;
	return 10 + 0.3 * n * n;
}

#define OPT(m) offsetof(struct sm_baujat_options, m)

static const char *const symbol_names[] = { "label", "number", NULL };

static const struct sm_fopt baujat_opts[] = {
	{ "symbol", SM_FOPT_CHOICE, OPT(symbol), "label|number",
	  "mark the studies by their labels (default; numbers with\n"
	  "a key when the labels do not fit) or by their numbers", symbol_names, 0, 0 },
};

const struct sm_figure_kind sm_figure_baujat = {
	.name = "baujat",
	.summary = "Baujat plot of an analysis: heterogeneity against influence (metafor baujat)",
	.positional = "analysis",
	.opts = baujat_opts,
	.nopts = sizeof baujat_opts / sizeof baujat_opts[0],
	.opts_size = sizeof(struct sm_baujat_options),
	.opts_init = options_init,
	.layout = layout,
	.plan = plan,
	.cost = cost,
};
