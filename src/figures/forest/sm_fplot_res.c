/* sm_fplot_res.c -- the typed results read into forest rows (sm_fplot.h).
 *
 * Numbers are taken as the results hold them: display values from
 * "transformed" (never back-transformed here), years from "year", arm
 * totals from "totals". */
#include "sm_fplot.h"

#include "sm_buf.h"
#include "sm_fmt.h"
#include "sm_method.h"
#include "sm_words.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* What building one plot needs besides the plot. */
struct build {
	struct sm_ctx *ctx;
	struct sm_fplot *p;
	const struct sm_style *st;
	const struct sm_fplot_req *req;
	struct sm_buf excluded; /* "label (reason)" list for the note */
	int failed;             /* allocation failure */
};

static char *dup(struct build *b, const char *s)
{
	char *d = s ? strdup(s) : NULL;
	if (s && !d)
		b->failed = 1;
	return d;
}

static char *take(struct build *b, struct sm_buf *buf)
{
	if (buf->failed) {
		sm_buf_release(buf);
		b->failed = 1;
		return NULL;
	}
	return sm_buf_take(buf);
}

static char *fmt_num(struct build *b, double x, int dec)
{
	if (!isfinite(x))
		return NULL;
	char *s = sm_fmt_num_str(x, dec);
	if (!s)
		b->failed = 1;
	return s;
}

/* Counts are whole numbers in the input; anything else is shown as is. */
static char *fmt_count(struct build *b, double x)
{
	return fmt_num(b, x, x == floor(x) ? 0 : 1);
}

static struct sm_frow *add(struct build *b, enum sm_frow_kind kind)
{
	struct sm_frow *r = sm_fplot_add(b->p, kind);
	if (!r)
		b->failed = 1;
	return r;
}

/* est, "[lb,", "ub]" into the three effect cells. */
static void effect_cells(struct build *b, struct sm_frow *r)
{
	int dec = b->st->d_effect;
	if (isfinite(r->est))
		r->cell[SM_COL_EST] = fmt_num(b, r->est, dec);
	if (!isfinite(r->lb) || !isfinite(r->ub))
		return;
	struct sm_buf lb, ub;
	sm_buf_init(&lb);
	sm_buf_init(&ub);
	sm_buf_putc(&lb, '[');
	sm_fmt_num(&lb, r->lb, dec);
	sm_buf_putc(&lb, ',');
	sm_fmt_num(&ub, r->ub, dec);
	sm_buf_putc(&ub, ']');
	r->cell[SM_COL_LB] = take(b, &lb);
	r->cell[SM_COL_UB] = take(b, &ub);
}

/* Two-arm counts (ai/n1i, ci/n2i), or the one group of a proportion
 * (xi/ni) in the first arm. */
static void count_cells(struct build *b, struct sm_frow *r, const struct sm_res_study *s)
{
	int one = b->p->single_arm;
	r->cell[SM_COL_EV1] = fmt_count(b, one ? s->xi : s->ai);
	r->cell[SM_COL_N1] = fmt_count(b, one ? s->ni : s->n1i);
	if (one)
		return;
	r->cell[SM_COL_EV2] = fmt_count(b, s->ci);
	r->cell[SM_COL_N2] = fmt_count(b, s->n2i);
}

static void weight_cell(struct build *b, struct sm_frow *r, double w)
{
	r->weight = w;
	if (!isfinite(w))
		return;
	struct sm_buf buf;
	sm_buf_init(&buf);
	sm_fmt_num(&buf, w, b->st->d_weight);
	sm_buf_putc(&buf, '%');
	r->cell[SM_COL_WEIGHT] = take(b, &buf);
}

static void add_study(struct build *b, const struct sm_res_study *s)
{
	struct sm_frow *r = add(b, SM_ROW_STUDY);
	if (!r)
		return;
	r->cell[SM_COL_LABEL] = dup(b, s->label ? s->label : "?");
	r->study_id = dup(b, s->study_id);
	r->cell[SM_COL_LABEL2] = dup(b, s->event);
	count_cells(b, r, s);
	weight_cell(b, r, s->weight);
	/* Absent, the values are NaN: the row says "not estimable". */
	r->est = s->transformed.yi;
	r->lb = s->transformed.ci_lb;
	r->ub = s->transformed.ci_ub;
	effect_cells(b, r);
	if (!isfinite(r->est))
		r->span = dup(b, b->st->l_excluded);
	r->year = s->year;
}

static void add_excluded(struct build *b, const struct sm_res_study *e)
{
	struct sm_frow *r = add(b, SM_ROW_EXCLUDED);
	if (!r)
		return;
	const char *label = e->label ? e->label : "?";
	r->cell[SM_COL_LABEL] = dup(b, label);
	r->study_id = dup(b, e->study_id);
	count_cells(b, r, e);
	r->span = dup(b, b->st->l_excluded);
	r->italic = r->muted = 1;
	r->year = e->year;
	sm_buf_printf(&b->excluded, "%s%s", b->excluded.len ? "; " : "", label);
	if (e->reason)
		sm_buf_printf(&b->excluded, " (%s)", e->reason);
}

static void add_studies(struct build *b, const struct sm_res_analysis *a)
{
	size_t from = b->p->nrows;
	for (size_t i = 0; i < a->studies.n; i++)
		add_study(b, &a->studies.v[i]);
	sm_fplot_sort(b->p, from, b->p->nrows, b->req->sort);
	from = b->p->nrows;
	for (size_t i = 0; i < a->excluded.n; i++)
		add_excluded(b, &a->excluded.v[i]);
	sm_fplot_sort(b->p, from, b->p->nrows,
		      b->req->sort == SM_SORT_YEAR ? SM_SORT_YEAR : SM_SORT_INPUT);
}

/* A NOTE row taking the text of `t`. */
static void add_note(struct build *b, struct sm_buf *t, int trailing)
{
	struct sm_frow *r = add(b, SM_ROW_NOTE);
	if (!r) {
		sm_buf_release(t);
		return;
	}
	r->note = take(b, t);
	r->trailing = trailing;
}

/* "Heterogeneity: τ² = 0.38; Q = 46.51, df = 35 (P = 0.09); I² = 25%" */
static void note_heterogeneity(struct build *b, const struct sm_res_analysis *a, int trailing)
{
	const struct sm_style *st = b->st;
	if (!isfinite(a->Q) && !isfinite(a->tau2) && !isfinite(a->I2))
		return;
	struct sm_buf t;
	sm_buf_init(&t);
	sm_buf_puts(&t, "Heterogeneity: ");
	const char *sep = "";
	if (isfinite(a->tau2) && sm_method_label_is_random(a->method)) {
		sm_buf_puts(&t, "\xcf\x84\xc2\xb2 = ");
		sm_fmt_num(&t, a->tau2, st->d_tau2);
		sep = "; ";
	}
	if (isfinite(a->Q)) {
		sm_buf_printf(&t, "%sQ = ", sep);
		sm_fmt_num(&t, a->Q, st->d_stat);
		if (isfinite(a->Q_df))
			sm_buf_printf(&t, ", df = %.0f", a->Q_df);
		if (isfinite(a->Q_p)) {
			sm_buf_puts(&t, " (");
			sm_fmt_p(&t, a->Q_p, st->d_p);
			sm_buf_putc(&t, ')');
		}
		sep = "; ";
	}
	if (isfinite(a->I2)) {
		sm_buf_printf(&t, "%sI\xc2\xb2 = ", sep);
		sm_fmt_num(&t, a->I2, st->d_i2);
		sm_buf_putc(&t, '%');
	}
	add_note(b, &t, trailing);
}

/* "Test for overall effect: Z = 1.28 (P = 0.20)" (t with df for KNHA). */
static void note_overall(struct build *b, const struct sm_res_analysis *a, int trailing)
{
	if (!isfinite(a->stat))
		return;
	struct sm_buf t;
	sm_buf_init(&t);
	int is_t = (a->test && !strcmp(a->test, "knha")) || isfinite(a->df);
	sm_buf_printf(&t, "Test for overall effect: %s = ", is_t ? "t" : "Z");
	sm_fmt_num(&t, a->stat, b->st->d_stat);
	if (is_t && isfinite(a->df))
		sm_buf_printf(&t, ", df = %.0f", a->df);
	if (isfinite(a->p)) {
		sm_buf_puts(&t, " (");
		sm_fmt_p(&t, a->p, b->st->d_p);
		sm_buf_putc(&t, ')');
	}
	add_note(b, &t, trailing);
}

/* The label of a common-effect pooled row (a row of the plot, not a
 * sentence: sm_words has the sentence forms). */
static const char *model_label(const char *method)
{
	static const char *const names[][2] = {
		{ "FE", "Common effect (inverse variance)" },
		{ "EE", "Common effect (inverse variance)" },
		{ "CE", "Common effect (inverse variance)" },
		{ "MH", "Common effect (Mantel\xe2\x80\x93Haenszel)" },
		{ "PETO", "Common effect (Peto)" },
	};
	for (size_t i = 0; method && i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(method, names[i][0]))
			return names[i][1];
	return NULL;
}

/* One pooled estimate on the display scale: the analysis' own or one of
 * its "fits" (which carry no prediction interval). */
struct pooled {
	const char *method;
	double est, lb, ub, pi_lb, pi_ub;
};

static struct pooled analysis_pooled(const struct sm_res_analysis *a)
{
	const struct sm_res_transformed *t = &a->transformed;
	if (!t->present)
		return (struct pooled){ a->method, NAN, NAN, NAN, NAN, NAN };
	return (struct pooled){ a->method, t->estimate, t->ci_lb, t->ci_ub, t->pi_lb, t->pi_ub };
}

static struct pooled fit_pooled(const struct sm_res_fit *f)
{
	const struct sm_res_fit_transformed *t = &f->transformed;
	if (!t->present)
		return (struct pooled){ f->method, NAN, NAN, NAN, NAN, NAN };
	return (struct pooled){ f->method, t->estimate, t->ci_lb, t->ci_ub, NAN, NAN };
}

static void add_pi(struct build *b, double lb, double ub)
{
	struct sm_frow *r = add(b, SM_ROW_PI);
	if (!r)
		return;
	r->cell[SM_COL_LABEL] = dup(b, b->st->l_pi);
	r->lb = lb;
	r->ub = ub;
	effect_cells(b, r);
}

/* Every study of the analysis has a weight (and there is one): the pooled
 * row then shows the weights' total. */
static int all_weighted(const struct sm_res_analysis *a)
{
	for (size_t i = 0; i < a->studies.n; i++)
		if (!isfinite(a->studies.v[i].weight))
			return 0;
	return a->studies.n > 0;
}

static void pooled_label(struct build *b, struct sm_frow *r, const char *method, int n,
			 const char *total_label)
{
	/* A lone inverse-variance row is just the total; Mantel-Haenszel and
	 * Peto rows always say so, since their numbers differ from the
	 * inverse-variance ones readers may compare with. */
	if (!method || (n == 1 && !sm_method_label_is_mh_peto(method))) {
		r->cell[SM_COL_LABEL] = dup(b, total_label);
		return;
	}
	struct sm_buf t;
	sm_buf_init(&t);
	const char *ml = model_label(method);
	if (ml)
		sm_buf_puts(&t, ml);
	else
		sm_buf_printf(&t, "Random effects (%s)", method);
	r->cell[SM_COL_LABEL] = take(b, &t);
}

/* One pooled row per fit: the analysis itself and any in its "fits". */
static void add_pooled(struct build *b, const struct sm_res_analysis *a, const char *total_label)
{
	struct pooled fits[16] = { analysis_pooled(a) };
	int n = 1;
	for (size_t i = 0; i < a->fits.n && n < 16; i++)
		fits[n++] = fit_pooled(&a->fits.v[i]);
	/* Common-effect rows first, as readers expect: stable by insertion. */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && sm_method_label_is_random(fits[j - 1].method) &&
				!sm_method_label_is_random(fits[j].method); j--) {
			struct pooled t = fits[j];
			fits[j] = fits[j - 1];
			fits[j - 1] = t;
		}
	for (int i = 0; i < n; i++) {
		struct sm_frow *r = add(b, SM_ROW_POOLED);
		if (!r)
			return;
		r->bold = 1;
		pooled_label(b, r, fits[i].method, n, total_label);
		r->est = fits[i].est;
		r->lb = fits[i].lb;
		r->ub = fits[i].ub;
		effect_cells(b, r);
		if (i == 0) {
			r->cell[SM_COL_N1] = fmt_count(b, a->totals.n_t);
			r->cell[SM_COL_N2] = fmt_count(b, a->totals.n_c);
			if (all_weighted(a))
				weight_cell(b, r, 100.0);
		}
		if (sm_method_label_is_random(fits[i].method) && isfinite(fits[i].pi_lb) &&
		    isfinite(fits[i].pi_ub))
			add_pi(b, fits[i].pi_lb, fits[i].pi_ub);
	}
}

static void add_totals(struct build *b, const struct sm_res_analysis *a)
{
	double e1 = a->totals.events_t, e2 = a->totals.events_c;
	if ((!isfinite(e1) && !isfinite(e2)) || !b->p->show[SM_COL_EV1])
		return;
	struct sm_frow *r = add(b, SM_ROW_TOTALS);
	if (!r)
		return;
	r->cell[SM_COL_LABEL] = dup(b, b->st->l_total_events);
	r->cell[SM_COL_EV1] = fmt_count(b, e1);
	r->cell[SM_COL_EV2] = fmt_count(b, e2);
}

static char *expand(struct build *b, const char *tmpl)
{
	char *s = sm_style_expand(tmpl, b->p->arm1, b->p->arm2,
				  sm_measure_short(b->p->measure), b->p->level);
	if (!s)
		b->failed = 1;
	return s;
}

/* Studies, pooled rows, totals and notes of one analysis. */
static void add_analysis(struct build *b, const struct sm_res_analysis *a, int subtotal)
{
	if (!b->req->summary_only)
		add_studies(b, a);
	char *label = expand(b, subtotal ? b->st->l_subtotal : b->st->l_total);
	if (label)
		add_pooled(b, a, label);
	free(label);
	if (!b->req->summary_only)
		add_totals(b, a);
	note_heterogeneity(b, a, !subtotal);
	note_overall(b, a, !subtotal);
}

static void zero_rule(struct sm_buf *t, const struct sm_res_analysis *a)
{
	double add_v = a->add;
	const char *to = a->to;
	if (isfinite(add_v) && add_v > 0 && to && strcmp(to, "none")) {
		sm_buf_puts(t, "; zero cells: ");
		sm_fmt_short(t, add_v);
		if (!strcmp(to, "all"))
			sm_buf_puts(t, " added to every cell of every study");
		else if (!strcmp(to, "if0all"))
			sm_buf_puts(t, " added to every cell of every study if any has a zero");
		else
			sm_buf_puts(t, " added to each cell of studies with a zero cell");
		/* rma.mh and rma.peto pool the raw counts. */
		if (sm_method_label_is_mh_peto(a->method))
			sm_buf_puts(t, " (study rows only)");
	} else if (isfinite(add_v) || to) {
		sm_buf_puts(t, "; no zero-cell correction");
	}
	if (a->drop00 == 1)
		sm_buf_puts(t, "; studies without events in both arms left out");
}

/* How pooled proportions came back from the pooling scale. */
static void back_transform(struct sm_buf *t, const struct sm_res_analysis *a)
{
	const char *fn = a->transformed.function;
	double hm = a->transformed.ni_harmonic_mean;
	if (fn && !strcmp(fn, "ipft.hm") && isfinite(hm)) {
		sm_buf_puts(t, "; pooled values back-transformed with the harmonic mean "
			    "of the study sizes (n = ");
		sm_fmt_num(t, hm, 2);
		sm_buf_putc(t, ')');
	}
}

/* Measure, model, τ² estimator, test/CI, zero-cell rule, version. */
static void method_line(struct build *b, const struct sm_res_analysis *a)
{
	struct sm_buf t;
	sm_buf_init(&t);
	sm_buf_printf(&t, "%s (%s)", sm_measure_title(b->p->measure), b->p->measure);
	const char *mn = sm_words_model_line(a->method);
	if (mn)
		sm_buf_printf(&t, ", %s", mn);
	else if (a->method)
		sm_buf_printf(&t, ", method %s", a->method);
	for (size_t i = 0; i < a->fits.n; i++) {
		const char *fm = sm_words_model_line(a->fits.v[i].method);
		if (fm)
			sm_buf_printf(&t, " and %s", fm);
	}
	if (a->test && !strcmp(a->test, "knha"))
		sm_buf_puts(&t, "; Knapp\xe2\x80\x93Hartung t test and CI");
	else
		sm_buf_puts(&t, "; Wald-type z test and CI");
	sm_buf_printf(&t, " (%d%%)", b->p->level);
	back_transform(&t, a);
	zero_rule(&t, a);
	sm_buf_puts(&t, "; safemeta " SM_VERSION);
	b->p->method = take(b, &t);
}

static void arm_labels(struct build *b, const struct sm_res *res)
{
	const sm_res_strings *arms = &res->review.settings.arm_labels;
	int given = arms->n >= 2 && arms->v[0] && arms->v[1];
	b->p->arm1 = dup(b, given ? arms->v[0] : b->st->arm1);
	b->p->arm2 = dup(b, given ? arms->v[1] : b->st->arm2);
}

static void headers(struct build *b, int summary)
{
	struct sm_fplot *p = b->p;
	const struct sm_style *st = b->st;
	p->head[SM_COL_LABEL] = expand(b, summary ? st->h_domain : st->h_study);
	/* Not a style key yet (templates/ belongs to the shared layer). */
	p->head[SM_COL_LABEL2] = dup(b, "Outcome");
	p->head[SM_COL_K] = expand(b, st->h_k);
	p->head[SM_COL_EV1] = expand(b, st->h_events);
	p->head[SM_COL_EV2] = expand(b, st->h_events);
	p->head[SM_COL_N1] = expand(b, st->h_total);
	p->head[SM_COL_N2] = expand(b, st->h_total);
	p->head[SM_COL_WEIGHT] = expand(b, st->h_weight);
	p->head[SM_COL_I2] = expand(b, st->h_i2);
	p->head[SM_COL_EST] = expand(b, st->h_effect);
	if (p->axis != SM_AXIS_PROP) {
		p->favours_left = expand(b, st->favours_left);
		p->favours_right = expand(b, st->favours_right);
	}
	/* The graph shows proportions whatever scale they were pooled on. */
	p->graph_head = dup(b, p->axis == SM_AXIS_PROP ? sm_measure_short(p->measure)
						       : sm_measure_title(p->measure));
}

static int is_all(const struct sm_res_analysis *a)
{
	return a->name && !strcmp(a->name, "all");
}

static void summary_row(struct build *b, const struct sm_res_analysis *a)
{
	struct sm_frow *r = add(b, SM_ROW_POOLED);
	if (!r)
		return;
	r->cell[SM_COL_LABEL] = dup(b, a->name ? a->name : "?");
	r->bold = is_all(a);
	r->cell[SM_COL_K] = fmt_count(b, a->k);
	r->cell[SM_COL_EV1] = fmt_count(b, a->totals.events_t);
	r->cell[SM_COL_N1] = fmt_count(b, a->totals.n_t);
	r->cell[SM_COL_EV2] = fmt_count(b, a->totals.events_c);
	r->cell[SM_COL_N2] = fmt_count(b, a->totals.n_c);
	if (isfinite(a->I2)) {
		struct sm_buf t;
		sm_buf_init(&t);
		sm_fmt_num(&t, a->I2, b->st->d_i2);
		sm_buf_putc(&t, '%');
		r->cell[SM_COL_I2] = take(b, &t);
	}
	struct pooled v = analysis_pooled(a);
	r->est = v.est;
	r->lb = v.lb;
	r->ub = v.ub;
	effect_cells(b, r);
	r->weight = a->k; /* "weight" order of a summary: most studies first */
}

static void build_summary(struct build *b, const struct sm_res *res)
{
	const struct sm_res_analysis *all = NULL;
	size_t from = b->p->nrows;
	for (size_t i = 0; i < res->analyses.n; i++) {
		const struct sm_res_analysis *a = &res->analyses.v[i];
		if (is_all(a))
			all = a;
		else
			summary_row(b, a);
	}
	sm_fplot_sort(b->p, from, b->p->nrows, b->req->sort);
	if (all)
		summary_row(b, all);
}

static void build_subgroups(struct build *b, const struct sm_res *res)
{
	const struct sm_res_analysis *all = NULL;
	for (size_t i = 0; i < res->analyses.n; i++) {
		const struct sm_res_analysis *a = &res->analyses.v[i];
		if (is_all(a)) {
			all = a;
			continue;
		}
		struct sm_frow *h = add(b, SM_ROW_HEADING);
		if (h) {
			h->note = dup(b, a->name ? a->name : "?");
			h->bold = 1;
		}
		add_analysis(b, a, 1);
		add(b, SM_ROW_GAP);
	}
	if (all)
		add_analysis(b, all, 0);
	/* Separate outcomes stacked on one plot are not subgroups: no test
	 * between them (the patients are the same). */
}

static void excluded_note(struct build *b)
{
	if (!b->excluded.len)
		return;
	struct sm_buf t;
	sm_buf_init(&t);
	sm_buf_printf(&t, "Not pooled: %s", b->excluded.data);
	add_note(b, &t, 1);
}

static sm_status no_analysis(struct sm_ctx *ctx, const struct sm_res *res, const char *name)
{
	struct sm_buf names;
	sm_buf_init(&names);
	for (size_t i = 0; i < res->analyses.n; i++) {
		const char *n = res->analyses.v[i].name;
		sm_buf_printf(&names, "%s\"%s\"", names.len ? ", " : "", n ? n : "?");
	}
	sm_status s = SM_FAIL(ctx, SM_EINPUT, "no analysis named \"%s\"; expected all, "
			      "summary or one of %s", name, names.data ? names.data : "");
	sm_buf_release(&names);
	return s;
}

/* Pick the analyses and the kind of plot; fills title and measure. */
static sm_status build_rows(struct build *b, const struct sm_res *res)
{
	const char *want = b->req->analysis;
	const struct sm_res_analysis *one = sm_res_analysis_named(res, want);
	int summary = !one && want && !strcmp(want, "summary");
	if (!one && !want && res->analyses.n == 1)
		one = &res->analyses.v[0];
	if (!one && want && !summary && strcmp(want, "all"))
		return no_analysis(b->ctx, res, want);
	const struct sm_res_analysis *first = one ? one : &res->analyses.v[0];
	b->p->measure = dup(b, first->measure ? first->measure : "GEN");
	b->p->level = isfinite(first->level) ? (int)lround(first->level) : 95;
	b->p->axis = sm_measure_axis(b->p->measure);
	b->p->single_arm = b->p->axis == SM_AXIS_PROP;
	arm_labels(b, res);
	headers(b, summary);
	const char *title = b->req->title;
	if (!title)
		title = one ? one->name : res->review.title;
	if (title && !strcmp(title, "all"))
		title = res->review.title;
	b->p->title = title && *title ? dup(b, title) : NULL;
	if (summary)
		build_summary(b, res);
	else if (one)
		add_analysis(b, one, 0);
	else
		build_subgroups(b, res);
	excluded_note(b);
	method_line(b, first);
	return SM_OK;
}

struct sm_fplot *sm_fplot_build(struct sm_ctx *ctx, const struct sm_res *res,
				const struct sm_fplot_req *req,
				const struct sm_style *style)
{
	if (res->analyses.n == 0) {
		SM_FAIL(ctx, SM_EINPUT, "results hold no analyses; expected the JSON "
			"written by safemeta analyze");
		return NULL;
	}
	struct build b = { ctx, calloc(1, sizeof *b.p), style, req, { 0 }, 0 };
	sm_buf_init(&b.excluded);
	if (!b.p) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	sm_status s = sm_fplot_columns(ctx, req->columns, b.p->show);
	if (s == SM_OK)
		s = build_rows(&b, res);
	if (s == SM_OK && req->rob && !b.failed)
		s = sm_fplot_rob(ctx, b.p, res);
	if (s == SM_OK && (b.failed || b.excluded.failed))
		s = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	sm_buf_release(&b.excluded);
	if (s != SM_OK) {
		sm_fplot_free(b.p);
		return NULL;
	}
	return b.p;
}
