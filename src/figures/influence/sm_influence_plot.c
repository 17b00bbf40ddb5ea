/* sm_influence_plot.c -- the influence plot's layout (sm_influence_plot.h):
 * eight panels in a grid, each axis fitted to its values and reference
 * lines, and the caption under them. */
#include "sm_influence_plot_int.h"

#include "sm_axis.h"
#include "sm_buf.h"
#include "sm_fmt.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define IP_TICK 2.5   /* tick length (pt) */
#define IP_MAXREF 3   /* reference lines of a panel, at most */
#define IP_ROW_GAP 6  /* between a row's x labels and the next row's titles (pt) */

struct refline {
	double v;
	int dotted;
};

struct panel {
	const char *title;
	int log;          /* cov.r: a log axis, as metafor's logcov */
	int from_zero;    /* cook.d, hat, weight: the axis starts at 0, as metafor */
	double *v;        /* one value per study in the model; NAN for a null */
	size_t n, nfinite;
	struct refline ref[IP_MAXREF]; /* NAN: not drawn (the index stays) */
	int nref;
	struct sm_axis ya; /* x0/x1: the page y of lo and hi */
	double left, right, top, bottom; /* the plot area */
};

struct lay {
	struct sm_ctx *ctx;
	struct sm_fig *f;
	const struct sm_res_analysis *a;
	const struct sm_res_influence_summary *is;
	size_t *idx;      /* the studies in the model: indices into a->studies */
	size_t n;
	double *vals;     /* SM_INFL_NPANELS x n */
	struct panel p[SM_INFL_NPANELS];
	struct sm_tstyle tick, ptitle;
	int ncol;
	size_t xstep;     /* every xstep-th position is labelled */
};

static const char *const titles[SM_INFL_NPANELS] = {
	"rstudent", "dffits", "cook.d", "cov.r", "tau2.del", "QE.del", "hat", "weight (%)"
};

int sm_infl_drawable(const struct sm_res_analysis *a)
{
	return a->influence_summary.present && a->influence_summary.computed == 1 &&
	       isfinite(a->k) && a->k >= SM_INFL_MIN_K;
}

static const struct sm_res_analysis *find_analysis(struct sm_ctx *ctx, const struct sm_res *res,
						   const char *name)
{
	if (!name) {
		for (size_t i = 0; i < res->analyses.n; i++)
			if (sm_infl_drawable(&res->analyses.v[i]))
				return &res->analyses.v[i];
		SM_FAIL(ctx, SM_EINPUT, "no analysis of these results has influence diagnostics; "
			"expected an analysis of at least %d studies whose "
			"influence_summary.computed is true", SM_INFL_MIN_K);
		return NULL;
	}
	const struct sm_res_analysis *a = sm_res_analysis_named(res, name);
	if (!a) {
		SM_FAIL(ctx, SM_EINPUT, "no analysis named '%s'; expected the name of an analysis "
			"of the results", name);
		return NULL;
	}
	if (sm_infl_drawable(a))
		return a;
	if (a->influence_summary.present && a->influence_summary.computed == 1)
		SM_FAIL(ctx, SM_EINPUT, "analysis '%s' has %g studies; expected at least %d for "
			"an influence plot", name, a->k, SM_INFL_MIN_K);
	else
		SM_FAIL(ctx, SM_EINPUT, "analysis '%s' has no influence diagnostics (%s); "
			"expected an analysis of at least %d studies whose "
			"influence_summary.computed is true", name,
			a->influence_summary.present ? "influence_summary.computed is false"
						     : "its results hold no influence_summary",
			SM_INFL_MIN_K);
	return NULL;
}

static double value_of(const struct sm_res_study *s, int panel)
{
	switch (panel) {
	case SM_IP_RSTUDENT: return s->rstudent;
	case SM_IP_DFFITS: return s->dffits;
	case SM_IP_COOKS: return s->cooks;
	case SM_IP_COV_R: return s->cov_r;
	case SM_IP_TAU2_DEL: return s->tau2_del;
	case SM_IP_QE_DEL: return s->Q_del;
	case SM_IP_HAT: return s->hat;
	case SM_IP_WEIGHT: return s->weight;
	default: return NAN;
	}
}

static void set_refs(struct panel *p, int id, const struct sm_res_influence_summary *is)
{
	struct refline none = { NAN, 0 };
	for (int i = 0; i < IP_MAXREF; i++)
		p->ref[i] = none;
	switch (id) {
	case SM_IP_RSTUDENT:
	case SM_IP_DFFITS: {
		double b = id == SM_IP_RSTUDENT ? is->rstudent_line : is->dffits_bound;
		p->ref[0] = (struct refline){ 0, 0 };
		p->ref[1] = (struct refline){ -b, 1 };
		p->ref[2] = (struct refline){ b, 1 };
		p->nref = 3;
		break;
	}
	case SM_IP_COOKS:
		p->ref[0] = (struct refline){ is->cooks_bound, 1 };
		p->nref = 1;
		break;
	case SM_IP_COV_R:
		p->ref[0] = (struct refline){ is->cov_r_line, 0 };
		p->nref = 1;
		break;
	case SM_IP_TAU2_DEL:
		p->ref[0] = (struct refline){ is->tau2_line, 0 };
		p->nref = 1;
		break;
	case SM_IP_QE_DEL:
		p->ref[0] = (struct refline){ is->QE_line, 0 };
		p->ref[1] = (struct refline){ is->QE_df, 1 };
		p->nref = 2;
		break;
	case SM_IP_HAT:
		p->ref[0] = (struct refline){ is->hat_mean, 0 };
		p->ref[1] = (struct refline){ is->hat_bound, 1 };
		p->nref = 2;
		break;
	default:
		p->ref[0] = (struct refline){ is->weight_mean, 0 };
		p->nref = 1;
		break;
	}
	/* a log axis holds no line at or below 0 */
	for (int i = 0; i < p->nref; i++)
		if (p->log && !(p->ref[i].v > 0))
			p->ref[i].v = NAN;
}

static sm_status read_values(struct lay *L)
{
	const struct sm_res_analysis *a = L->a;
	size_t ns = a->studies.n;
	L->idx = sm_alloc_array(ns ? ns : 1, sizeof *L->idx);
	L->vals = sm_alloc_array(SM_INFL_NPANELS * (ns ? ns : 1), sizeof *L->vals);
	if (!L->idx || !L->vals)
		return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
	for (size_t i = 0; i < ns; i++)
		if (sm_res_study_pooled(&a->studies.v[i]))
			L->idx[L->n++] = i;
	for (int id = 0; id < SM_INFL_NPANELS; id++) {
		struct panel *p = &L->p[id];
		p->title = titles[id];
		p->log = id == SM_IP_COV_R;
		p->from_zero = id == SM_IP_COOKS || id == SM_IP_HAT || id == SM_IP_WEIGHT;
		p->v = L->vals + (size_t)id * L->n;
		p->n = L->n;
		for (size_t j = 0; j < L->n; j++) {
			double v = value_of(&a->studies.v[L->idx[j]], id);
			p->v[j] = isfinite(v) && (!p->log || v > 0) ? v : NAN;
			p->nfinite += isfinite(p->v[j]);
		}
		set_refs(p, id, L->is);
	}
	return SM_OK;
}

/* Keep the ticks of `a` inside [lo, hi] and make those the limits (R's
 * plots: the data with 4% to spare, ticks at readable values inside);
 * when fewer than two ticks would stay, the readable limits stay too. */
static void clip_ticks(struct sm_axis *a, double lo, double hi)
{
	int n = 0;
	double eps = (hi - lo) * 1e-9;
	for (int i = 0; i < a->nticks; i++)
		n += a->ticks[i] >= lo - eps && a->ticks[i] <= hi + eps;
	if (n < 2)
		return;
	int m = 0;
	for (int i = 0; i < a->nticks; i++)
		if (a->ticks[i] >= lo - eps && a->ticks[i] <= hi + eps) {
			a->ticks[m] = a->ticks[i];
			/* the ends of the data are no axis ends: every other tick
			 * from the first goes first when thinning */
			a->rank[m] = m % 2;
			m++;
		}
	a->nticks = m;
	a->lo = lo;
	a->hi = hi;
}

/* The y axis over the values and the reference lines (metafor's rstudent
 * panel holds -2..2 as well), `pad` of the range to spare on both sides
 * (R's plots leave 4%; more when a marker would cross the frame). */
static void fit_axis(struct panel *p, int id, double pad)
{
	double lo = INFINITY, hi = -INFINITY;
	for (size_t j = 0; j < p->n; j++)
		if (isfinite(p->v[j])) {
			lo = fmin(lo, p->v[j]);
			hi = fmax(hi, p->v[j]);
		}
	if (!(hi >= lo)) {
		/* no value to draw: a frame without ticks or lines */
		sm_axis_fit_range(&p->ya, 0, 0, 1);
		p->ya.nticks = 0;
		for (int i = 0; i < p->nref; i++)
			p->ref[i].v = NAN;
		return;
	}
	for (int i = 0; i < p->nref; i++)
		if (isfinite(p->ref[i].v)) {
			lo = fmin(lo, p->ref[i].v);
			hi = fmax(hi, p->ref[i].v);
		}
	if (id == SM_IP_RSTUDENT) {
		lo = fmin(lo, -2);
		hi = fmax(hi, 2);
	}
	if (p->from_zero)
		lo = fmin(lo, 0);
	if (p->log) {
		double l0 = log(lo), l1 = log(hi), d = l1 > l0 ? (l1 - l0) * pad : 0.05;
		lo = exp(l0 - d);
		hi = exp(l1 + d);
		/* readable linear values, on the log axis, when the range is
		 * narrow (cov.r is mostly near 1); 1-2-5 values otherwise */
		sm_axis_fit_range(&p->ya, 0, lo, hi);
		if (!(p->ya.lo > 0) || hi / lo > 4)
			sm_axis_fit_range(&p->ya, 1, lo, hi);
		p->ya.log = 1;
		clip_ticks(&p->ya, lo, hi);
		return;
	}
	if (hi - lo > 1e-12 * fmax(1, fabs(hi))) {
		double d = (hi - lo) * pad;
		lo -= d;
		hi += d;
	} else if (hi == 0) {
		/* every value 0 (tau2.del of a model whose tau2 is 0): 0..1,
		 * since none of these diagnostics is negative at 0 */
		lo = -pad;
		hi = 1 + pad;
	} else {
		double d = fabs(hi) * 0.1;
		lo -= d;
		hi += d;
	}
	sm_axis_fit_range(&p->ya, 0, lo, hi);
	clip_ticks(&p->ya, lo, hi);
}

static sm_status measure(struct lay *L, const struct sm_tstyle *st, const char *s,
			 struct sm_extent *e)
{
	*e = (struct sm_extent){ 0 };
	return sm_fig_measure(L->ctx, L->f, st, s, e);
}

/* Put text with its box's left/centre/right (align -1/0/1) at x and its
 * vertical centre (vmid) or top at y. */
static sm_status put(struct lay *L, const struct sm_tstyle *st, const char *s, double x,
		     double y, int align, int vmid, int tag, int ref)
{
	unsigned at = vmid ? SM_FIG_AT_VMID : 0u;
	return sm_fig_put_aligned(L->ctx, L->f, st, s, x, y, align, at, tag, ref);
}

static sm_status put_num(struct lay *L, double v, double x, double y, int align, int vmid,
			 int tag, int ref)
{
	char *t = sm_fmt_short_str(v);
	if (!t)
		return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
	sm_status s = put(L, &L->tick, t, x, y, align, vmid, tag, ref);
	free(t);
	return s;
}

static sm_status num_width(struct lay *L, double v, double *w)
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

static struct sm_fig_item *line_item(struct lay *L, double x0, double y0, double x1, double y1,
				     int tag, int ref)
{
	struct sm_fig_item *it = sm_fig_add(L->ctx, L->f, SM_FIG_LINE);
	if (it)
		*it = (struct sm_fig_item){ .kind = SM_FIG_LINE, .tag = tag, .ref = ref,
					    .page = it->page, .x0 = x0, .y0 = y0, .x1 = x1,
					    .y1 = y1, .stroke = 1, .sc = L->f->style->c_text,
					    .lw = L->f->style->lw_axis, .layer = 2 };
	return it;
}

/* Page x of position j (0-based) of a panel: the middle of its slot. */
static double pos_x(const struct lay *L, const struct panel *p, size_t j)
{
	return p->left + ((double)j + 0.5) * (p->right - p->left) / (double)L->n;
}

/* The frame, the ticks and their labels of panel `id`. */
static sm_status draw_axes(struct lay *L, int id)
{
	struct panel *p = &L->p[id];
	struct sm_fig_item *fr = sm_fig_add(L->ctx, L->f, SM_FIG_RECT);
	if (!fr)
		return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
	fr->tag = SM_IF_FRAME;
	fr->ref = SM_INFL_REF(id, 0);
	fr->x0 = p->left;
	fr->y0 = p->top;
	fr->x1 = p->right;
	fr->y1 = p->bottom;
	fr->stroke = 1;
	fr->sc = L->f->style->c_text;
	fr->lw = L->f->style->lw_axis;
	fr->layer = 2;
	sm_status s = SM_OK;
	for (int i = 0; i < p->ya.nticks && s == SM_OK; i++) {
		double y = sm_axis_map(&p->ya, p->ya.ticks[i]);
		if (!line_item(L, p->left - IP_TICK, y, p->left, y, SM_IF_YTICK, SM_INFL_REF(id, i)))
			return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
		s = put_num(L, p->ya.ticks[i], p->left - IP_TICK - 1.5, y, 1, 1, SM_IF_YLABEL,
			    SM_INFL_REF(id, i));
	}
	double slot = (p->right - p->left) / (double)L->n;
	for (size_t j = 0; j < L->n && s == SM_OK; j++) {
		int labelled = L->xstep == 1 || (j + 1) % L->xstep == 0;
		if (!labelled && slot < 2)
			continue;
		double x = pos_x(L, p, j), len = labelled ? IP_TICK : IP_TICK * 0.5;
		if (!line_item(L, x, p->bottom, x, p->bottom + len, SM_IF_XTICK,
			       SM_INFL_REF(id, (int)j)))
			return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
		if (labelled)
			s = put_num(L, (double)(L->idx[j] + 1), x, p->bottom + IP_TICK + 1, 0, 0,
				    SM_IF_XLABEL, SM_INFL_REF(id, (int)j));
	}
	return s;
}

/* Reference lines (layer 0), the joining line (1), the points (3, the
 * influential ones on top at 4). */
static sm_status draw_data(struct lay *L, int id)
{
	struct panel *p = &L->p[id];
	const struct sm_style *st = L->f->style;
	for (int i = 0; i < p->nref; i++) {
		if (!isfinite(p->ref[i].v))
			continue;
		double y = sm_axis_map(&p->ya, p->ref[i].v);
		struct sm_fig_item *it = line_item(L, p->left, y, p->right, y,
						   p->ref[i].dotted ? SM_IF_DOTTED : SM_IF_DASHED,
						   SM_INFL_REF(id, i));
		if (!it)
			return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
		it->sc = st->c_muted;
		it->lw = st->lw_null;
		it->dash = p->ref[i].dotted ? 0.8 : 2.5;
		it->layer = 0;
	}
	if (p->nfinite == 0)
		return put(L, &L->tick, "no values", (p->left + p->right) / 2,
			   (p->top + p->bottom) / 2, 0, 1, SM_IF_NOTE, SM_INFL_REF(id, 0));
	double *xy = sm_alloc_array(2 * p->nfinite, sizeof *xy);
	if (!xy)
		return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
	size_t m = 0;
	for (size_t j = 0; j < L->n; j++)
		if (isfinite(p->v[j])) {
			xy[2 * m] = pos_x(L, p, j);
			xy[2 * m++ + 1] = sm_axis_map(&p->ya, p->v[j]);
		}
	struct sm_fig_item *ln = m >= 2 ? sm_fig_add_poly(L->ctx, L->f, SM_FIG_PATH, xy, m) : NULL;
	free(xy);
	if (m >= 2 && !ln)
		return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
	if (ln) {
		ln->tag = SM_IF_PATH;
		ln->ref = SM_INFL_REF(id, 0);
		ln->stroke = 1;
		ln->sc = st->c_text;
		ln->lw = st->lw_axis;
		ln->layer = 1;
	}
	double slot = (p->right - p->left) / (double)L->n;
	double r = fmin(2.0, fmax(1.1, slot * 0.32));
	for (size_t j = 0; j < L->n; j++) {
		if (!isfinite(p->v[j]))
			continue;
		int infl = L->a->studies.v[L->idx[j]].influential == 1;
		struct sm_fig_item *c = sm_fig_add(L->ctx, L->f, SM_FIG_MARKER);
		if (!c)
			return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
		c->tag = SM_IF_POINT;
		c->ref = SM_INFL_REF(id, (int)L->idx[j]);
		c->x0 = pos_x(L, p, j);
		c->y0 = sm_axis_map(&p->ya, p->v[j]);
		/* influential: a larger diamond in the accent colour, so that
		 * shape tells them apart in greyscale as well */
		c->marker = infl ? SM_MK_DIAMOND : SM_MK_CIRCLE;
		c->r = infl ? r * 1.3 : r;
		c->fill = 1;
		c->stroke = 1;
		c->fc = infl ? st->c_diamond : st->c_square;
		c->sc = infl ? st->c_text : sm_fig_rgb(0xFFFFFF);
		c->lw = st->lw_marker;
		c->layer = infl ? 4 : 3;
	}
	return SM_OK;
}

/* 3 significant digits, at least 2 decimals, at most 6 ("0.0769", "0.313",
 * "152.23"); whole numbers as they are ("1", "12"). */
static void fmt3(struct sm_buf *b, double v)
{
	if (isfinite(v) && v == round(v) && fabs(v) < 1e9) {
		sm_fmt_short(b, v);
		return;
	}
	int dec = 2;
	if (v != 0 && isfinite(v))
		dec = (int)fmax(2, fmin(6, 2 - floor(log10(fabs(v)))));
	sm_fmt_num(b, v, dec);
}

static void list_labels(struct sm_buf *b, const sm_res_strings *l)
{
	if (l->n == 0)
		sm_buf_puts(b, "none");
	for (size_t i = 0; i < l->n; i++)
		sm_buf_printf(b, "%s%s", i ? "; " : "", l->v[i] ? l->v[i] : "?");
}

/* One "value (panel)" item of the lines' list, when the value is finite. */
static void line_note(struct sm_buf *b, int *first, const char *what, double v,
		      const char *unit, const char *panel)
{
	if (!isfinite(v))
		return;
	sm_buf_puts(b, *first ? "" : ", ");
	*first = 0;
	sm_buf_puts(b, what);
	fmt3(b, v);
	sm_buf_printf(b, "%s (%s)", unit, panel);
}

static char *caption(struct lay *L, const struct sm_infl_options *o)
{
	const struct sm_res_influence_summary *is = L->is;
	struct sm_buf b;
	sm_buf_init(&b);
	sm_buf_printf(&b, "Influence diagnostics of the %zu studies in the model, as metafor's "
		      "plot(influence()); x: the study's number. Dashed lines: ", L->n);
	/* a panel without values draws no lines: they are not listed */
#define P(id, v) (L->p[id].nfinite ? (v) : NAN)
	int first = 1;
	sm_buf_puts(&b, "0 (rstudent, dffits)");
	first = 0;
	line_note(&b, &first, "", P(SM_IP_COV_R, is->cov_r_line), "", "cov.r");
	line_note(&b, &first, "the full model's \xcf\x84\xc2\xb2 = ", P(SM_IP_TAU2_DEL, is->tau2_line), "",
		  "tau2.del");
	line_note(&b, &first, "the full model's QE = ", P(SM_IP_QE_DEL, is->QE_line), "", "QE.del");
	line_note(&b, &first, "p/k = ", P(SM_IP_HAT, is->hat_mean), "", "hat");
	line_note(&b, &first, "100/k = ", P(SM_IP_WEIGHT, is->weight_mean), "%", "weight");
	sm_buf_puts(&b, "; dotted: ");
	first = 1;
	line_note(&b, &first, "\xc2\xb1", P(SM_IP_RSTUDENT, is->rstudent_line), "", "rstudent");
	line_note(&b, &first, "\xc2\xb1" "3\xe2\x88\x9a(p/(k\xc2\xa0\xe2\x88\x92\xc2\xa0p)) = \xc2\xb1",
		  P(SM_IP_DFFITS, is->dffits_bound), "", "dffits");
	line_note(&b, &first, "the chi-square(1) median ", P(SM_IP_COOKS, is->cooks_bound), "", "cook.d");
	line_note(&b, &first, "k \xe2\x88\x92 p = ", P(SM_IP_QE_DEL, is->QE_df), "", "QE.del");
	line_note(&b, &first, "3p/k = ", P(SM_IP_HAT, is->hat_bound), "", "hat");
#undef P
	if (first)
		sm_buf_puts(&b, "none");
	sm_buf_puts(&b, ". Influential (metafor criteria): ");
	list_labels(&b, &is->influential);
	sm_buf_puts(&b, is->influential.n ? " (diamonds)." : ".");
	sm_buf_puts(&b, " Outliers (rstudent beyond \xc2\xb1");
	fmt3(&b, is->rstudent_bound);
	sm_buf_puts(&b, "): ");
	list_labels(&b, &is->outliers);
	sm_buf_puts(&b, ".");
	int nulls = 0;
	for (int id = 0; id < SM_INFL_NPANELS; id++) {
		size_t miss = L->p[id].n - L->p[id].nfinite;
		if (!miss)
			continue;
		sm_buf_printf(&b, "%s%s (%zu %s)", nulls++ ? ", " : " Null values, not drawn: ",
			      L->p[id].title, miss, miss == 1 ? "study" : "studies");
	}
	if (nulls)
		sm_buf_puts(&b, ".");
	if (o->study_key) {
		sm_buf_puts(&b, " Studies: ");
		for (size_t j = 0; j < L->n; j++) {
			const struct sm_res_study *s = &L->a->studies.v[L->idx[j]];
			const char *lab = s->label ? s->label : s->study_id ? s->study_id : "?";
			/* a no-break space keeps a number with its label */
			sm_buf_printf(&b, "%s%zu\xc2\xa0%s", j ? "; " : "", L->idx[j] + 1, lab);
		}
		sm_buf_puts(&b, ".");
	}
	return b.failed ? (sm_buf_release(&b), NULL) : sm_buf_take(&b);
}

/* The smallest of 1, 2, 5, 10, 20, ... positions apart that labels of
 * width w keep 2 pt apart at slots `slot` wide. */
static size_t label_step(double slot, double w)
{
	static const size_t mult[] = { 1, 2, 5 };
	for (size_t p = 1; p < 100000; p *= 10)
		for (int m = 0; m < 3; m++)
			if ((double)(p * mult[m]) * slot >= w + 2)
				return p * mult[m];
	return 100000;
}

static sm_status lay_out(struct lay *L, const struct sm_infl_options *o, const char *title,
			 double width)
{
	const struct sm_style *st = L->f->style;
	double margin = st->margin, y = margin, gap = st->col_gap;
	struct sm_extent e;
	sm_status s = SM_OK;
	if (title && *title) {
		struct sm_tstyle bold = sm_fig_role(L->f, SM_FR_BOLD);
		bold.wrap = width - 2 * margin;
		s = measure(L, &bold, title, &e);
		if (s == SM_OK)
			s = sm_fig_put_text(L->ctx, L->f, &bold, title, margin, y, st->c_text,
					    SM_IF_TITLE, -1, NULL);
		y += e.height + 4;
	}
	double th = 0, lh = 0, xw = 0;
	s = s == SM_OK ? measure(L, &L->ptitle, "Qy", &e) : s;
	th = e.height;
	if (s == SM_OK)
		s = measure(L, &L->tick, "0", &e);
	lh = e.height;
	if (s == SM_OK)
		s = num_width(L, (double)(L->idx[L->n - 1] + 1), &xw);
	int nrow = SM_INFL_NPANELS / L->ncol;
	double cw = (width - 2 * margin - (L->ncol - 1) * gap) / L->ncol;
	double rpad = xw / 2 + 0.5, pw = 0, ph = 0, lpad = 0;
	/* one gutter for every panel, so that the grid lines up; the axes
	 * again once the plot height says how much room a marker needs */
	double pad = 0.04;
	for (int pass = 0; pass < 2 && s == SM_OK; pass++) {
		double gutter = 0;
		for (int id = 0; id < SM_INFL_NPANELS && s == SM_OK; id++) {
			fit_axis(&L->p[id], id, pad);
			for (int i = 0; i < L->p[id].ya.nticks && s == SM_OK; i++) {
				double w;
				s = num_width(L, L->p[id].ya.ticks[i], &w);
				gutter = fmax(gutter, w);
			}
		}
		lpad = gutter + IP_TICK + 1.5;
		pw = cw - lpad - rpad;
		ph = fmin(fmax(pw * 0.62, 16 * SM_PT_PER_MM), 40 * SM_PT_PER_MM);
		/* the largest marker (an influential diamond) inside the frame */
		pad = fmax(0.04, 4.0 / ph);
	}
	if (s == SM_OK && pw < 40)
		s = SM_FAIL(L->ctx, SM_EINPUT, "figure too narrow for an influence plot; expected "
			    "a wider --width");
	if (s != SM_OK)
		return s;
	L->xstep = label_step(pw / (double)L->n, xw);
	for (int r = 0; r < nrow && s == SM_OK; r++) {
		double top = y + th + 2;
		for (int c = 0; c < L->ncol && s == SM_OK; c++) {
			int id = r * L->ncol + c;
			struct panel *p = &L->p[id];
			double x = margin + c * (cw + gap);
			p->left = x + lpad;
			p->right = x + cw - rpad;
			p->top = top;
			p->bottom = top + ph;
			p->ya.x0 = p->bottom;
			p->ya.x1 = p->top;
			while (p->ya.nticks > 2 && ph / (p->ya.nticks - 1) < L->tick.size * 1.6 &&
			       sm_axis_thin(&p->ya))
				;
			s = put(L, &L->ptitle, p->title, (p->left + p->right) / 2, y, 0, 0,
				SM_IF_PTITLE, SM_INFL_REF(id, 0));
			if (s == SM_OK)
				s = draw_data(L, id);
			if (s == SM_OK)
				s = draw_axes(L, id);
		}
		y = top + ph + IP_TICK + 1 + lh + IP_ROW_GAP;
	}
	char *cap = s == SM_OK ? caption(L, o) : NULL;
	if (s == SM_OK && !cap)
		s = SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
	struct sm_tstyle cs = L->tick;
	cs.wrap = width - 2 * margin;
	if (s == SM_OK)
		s = measure(L, &cs, cap, &e);
	if (s == SM_OK)
		s = sm_fig_put_text(L->ctx, L->f, &cs, cap, margin, y, st->c_text, SM_IF_CAPTION,
				    -1, NULL);
	y += e.height + margin;
	free(cap);
	L->f->width = width;
	L->f->height = y;
	return s;
}

static sm_status build(struct lay *L, const struct sm_res *res, const struct sm_infl_options *o,
		       const struct sm_figure_env *env)
{
	if (!(L->a = find_analysis(L->ctx, res, o->common.analysis)))
		return SM_EINPUT;
	L->is = &L->a->influence_summary;
	sm_status s = read_values(L);
	if (s != SM_OK)
		return s;
	if (L->n < SM_INFL_MIN_K)
		return SM_FAIL(L->ctx, SM_EINPUT, "analysis '%s' has %zu studies in the model; "
			       "expected at least %d for an influence plot", L->a->name, L->n,
			       SM_INFL_MIN_K);
	double width;
	if (sm_fig_width(L->ctx, L->f, o->common.width ? o->common.width : "120mm", 60,
			 &width) != SM_OK)
		return SM_EINPUT;
	if (env && env->max_width > 0 && width > env->max_width)
		width = env->max_width;
	L->ncol = width <= SM_INFL_NARROW_MM * SM_PT_PER_MM + 1e-6 ? 2 : 4;
	L->tick = sm_fig_role(L->f, SM_FR_SMALL);
	L->ptitle = sm_fig_role(L->f, SM_FR_SMALL_BOLD);
	const char *title = o->common.title;
	if (!title)
		title = res->analyses.n > 1 ? L->a->name : NULL;
	s = lay_out(L, o, title, width);
	return s == SM_OK ? sm_fig_finish(L->ctx, L->f) : s;
}

sm_status sm_infl_lay(struct sm_ctx *ctx, const struct sm_res *res,
		      const struct sm_infl_options *opts, const struct sm_figure_env *env,
		      struct sm_fig **out)
{
	*out = NULL;
	struct lay L = { .ctx = ctx };
	sm_status s = (L.f = sm_fig_new(ctx, opts->common.style)) ? build(&L, res, opts, env)
								 : sm_ctx_status(ctx, SM_EINPUT);
	free(L.idx);
	free(L.vals);
	if (s != SM_OK) {
		sm_fig_free(L.f);
		return s;
	}
	*out = L.f;
	return SM_OK;
}
