/* Funnel plots: point geometry, shared axes, content, outliers, formats,
 * determinism, text overlap; the figure kind (options, bundle plan, cost).
 * Positions are checked against the axes as the figure labels them: the
 * tick marks and their printed values give the mapping, so a point drawn
 * off its value shows. */
#include "sm_render_test.h"

#include "sm_buf.h"
#include "sm_canvas.h"
#include "sm_funnel.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GENERAL "General disorders and administration site conditions"
#define NB "\xc2\xa0" /* a no-break space: "k = 4" never wraps */

static struct sm_funnel_options options(void)
{
	struct sm_funnel_options o;
	sm_figure_funnel.opts_init(&o);
	return o;
}

static sm_status lay(struct sm_render_fx *f, const struct sm_res *r,
		     const struct sm_funnel_options *o, struct sm_fig **fig)
{
	const struct sm_figure_env env = { .format = SM_CANVAS_PDF, .page_height = 0, .max_width = 0 };
	return sm_figure_funnel.layout(f->ctx, r, o, &env, fig);
}

static struct sm_fig *lay_ok(struct sm_render_fx *f, const struct sm_res *r,
			     const struct sm_funnel_options *o)
{
	struct sm_fig *fig = NULL;
	sm_render_expect_ok(f, lay(f, r, o, &fig));
	assert_non_null(fig);
	assert_true(fig->finished);
	return fig;
}

static char *render(struct sm_render_fx *f, const struct sm_res *r,
		    const struct sm_funnel_options *o, const char *name)
{
	char *path = sm_asprintf("%s/%s", f->dir, name);
	struct sm_fig *fig = lay_ok(f, r, o);
	sm_render_expect_ok(f, sm_fig_write(f->ctx, fig, path, o->common.dpi));
	sm_fig_free(fig);
	return path;
}

static const struct sm_res_analysis *analysis(const struct sm_res *r, const char *name)
{
	const struct sm_res_analysis *a = sm_res_analysis_named(r, name);
	assert_non_null(a);
	return a;
}

/* The plotting areas, in the order of the panels. */
static size_t plots(const struct sm_fig *fig, struct sm_box *out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < fig->nitems; i++) {
		const struct sm_fig_item *it = &fig->items[i];
		if (it->tag == SM_FT_PLOT && it->kind == SM_FIG_RECT) {
			if (n < max)
				out[n] = (struct sm_box){ it->x0, it->y0, it->x1, it->y1 };
			n++;
		}
	}
	return n;
}

static double tick_value(const char *text)
{
	char buf[64];
	const char *minus = "\xe2\x88\x92";
	if (!strncmp(text, minus, 3))
		snprintf(buf, sizeof buf, "-%s", text + 3);
	else
		snprintf(buf, sizeof buf, "%s", text);
	char *end = NULL;
	double v = strtod(buf, &end);
	assert_true(end && *end == 0);
	return v;
}

/* An axis as drawn: its ticks (page position, printed value) and the
 * mapping through its first and last tick, pos = a + b * f(value) with
 * f = log on a log axis (every tick is checked to lie on it). */
struct drawn_axis {
	double pos[32], value[32];
	int n;
	double a, b;
};

/* Page position of an analysis-scale value (log(ratio) on a log axis). */
static double axis_pos(const struct drawn_axis *ax, double v)
{
	return ax->a + ax->b * v;
}

/* The analysis-scale value at a page position. */
static double axis_value_at(const struct drawn_axis *ax, double pos)
{
	return (pos - ax->a) / ax->b;
}

static int is_x_tick(const struct sm_fig_item *it, const struct sm_box *p)
{
	return it->x0 == it->x1 && fabs(it->y0 - p->y1) < 1e-9 && it->x0 >= p->x0 - 1e-6 &&
	       it->x0 <= p->x1 + 1e-6;
}

static int is_y_tick(const struct sm_fig_item *it, const struct sm_box *p)
{
	return it->y0 == it->y1 && fabs(it->x1 - p->x0) < 1e-9 && it->y0 >= p->y0 - 1e-6 &&
	       it->y0 <= p->y1 + 1e-6;
}

/* The label centred on a tick mark at `pos` (below the plot for x, left
 * of it for y). */
static const struct sm_fig_text *tick_label(const struct sm_fig *fig, const struct sm_box *p,
					    int x, double pos)
{
	for (size_t j = 0; j < fig->ntexts; j++) {
		const struct sm_fig_text *t = &fig->texts[j];
		double cx = (t->box.x0 + t->box.x1) / 2, cy = (t->box.y0 + t->box.y1) / 2;
		if (t->tag == SM_FT_TICK && (x ? fabs(cx - pos) < 0.01 && t->box.y0 > p->y1
					       : fabs(cy - pos) < 0.01 && t->box.x1 <= p->x0))
			return t;
	}
	return NULL;
}

/* The x (x = 1) or y axis of the panel with plotting area p. */
static void drawn(const struct sm_fig *fig, const struct sm_box *p, int x, int logscale,
		  struct drawn_axis *ax)
{
	memset(ax, 0, sizeof *ax);
	for (size_t i = 0; i < fig->nitems; i++) {
		const struct sm_fig_item *it = &fig->items[i];
		if (it->tag != SM_FT_AXIS || it->kind != SM_FIG_LINE ||
		    !(x ? is_x_tick(it, p) : is_y_tick(it, p)))
			continue;
		double pos = x ? it->x0 : it->y0;
		const struct sm_fig_text *t = tick_label(fig, p, x, pos);
		assert_non_null(t);
		assert_true(ax->n < 32);
		ax->pos[ax->n] = pos;
		ax->value[ax->n++] = tick_value(t->text);
	}
	assert_true(ax->n >= 2);
	double f0 = logscale ? log(ax->value[0]) : ax->value[0];
	double f1 = logscale ? log(ax->value[ax->n - 1]) : ax->value[ax->n - 1];
	ax->b = (ax->pos[ax->n - 1] - ax->pos[0]) / (f1 - f0);
	ax->a = ax->pos[0] - ax->b * f0;
	for (int i = 0; i < ax->n; i++)
		sm_check_close(ax->pos[i], axis_pos(ax, logscale ? log(ax->value[i]) : ax->value[i]),
			       0, 1e-9, "tick %d on the %s axis", i, x ? "x" : "y");
}

/* Markers of studies (not of the legend). */
static int study_marker(const struct sm_fig_item *it)
{
	return it->kind == SM_FIG_MARKER && (it->tag == SM_FT_POINT || it->tag == SM_FT_FILLED);
}

static int same_rgb(struct sm_rgb a, struct sm_rgb b)
{
	return a.r == b.r && a.g == b.g && a.b == b.b;
}

static int has_text(const struct sm_fig *fig, int tag, const char *text)
{
	for (size_t i = 0; i < fig->ntexts; i++)
		if ((tag < 0 || fig->texts[i].tag == tag) && !strcmp(fig->texts[i].text, text))
			return 1;
	return 0;
}

/* Every study of the analysis at its mapped place, imputed ones open. */
static void test_geometry(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_funnel_options o = options();
	o.common.analysis = GENERAL;
	struct sm_fig *fig = lay_ok(f, f->rmsc, &o);
	struct sm_box p;
	assert_int_equal(plots(fig, &p, 1), 1);
	/* a ratio on a log axis, labelled so */
	assert_true(has_text(fig, SM_FT_OTHER, "Odds ratio (log scale)"));
	struct drawn_axis xa, ya;
	drawn(fig, &p, 1, 1, &xa);
	drawn(fig, &p, 0, 0, &ya);
	const struct sm_res_analysis *a = analysis(f->rmsc, GENERAL);
	int k = (int)a->studies.n, k0 = (int)a->trimfill.k0;
	assert_int_equal(k, 36);
	assert_int_equal(k0, 10);
	assert_int_equal((int)a->trimfill.filled.n, k0);
	double semax = 0;
	for (int i = 0; i < k; i++)
		semax = fmax(semax, sqrt(a->studies.v[i].vi));
	/* 0 at the top; the axis ends just below the largest standard error */
	sm_check_close(axis_pos(&ya, 0), p.y0, 0, 1e-9, "se 0 at the top");
	double se_hi = axis_value_at(&ya, p.y1);
	assert_true(se_hi >= semax && se_hi < semax * 1.5);
	int markers = 0, open = 0, seen[36] = { 0 };
	for (size_t i = 0; i < fig->nitems; i++) {
		const struct sm_fig_item *it = &fig->items[i];
		if (!study_marker(it))
			continue;
		markers++;
		int filled = it->tag == SM_FT_FILLED;
		assert_true(it->ref >= 0 && it->ref < (filled ? k0 : k));
		double yi = filled ? a->trimfill.filled.v[it->ref].yi : a->studies.v[it->ref].yi;
		double vi = filled ? a->trimfill.filled.v[it->ref].vi : a->studies.v[it->ref].vi;
		sm_check_close(it->x0, axis_pos(&xa, yi), 0, 1e-9, "x of marker %zu", i);
		sm_check_close(it->y0, p.y0 + sqrt(vi) / se_hi * (p.y1 - p.y0), 0, 1e-9,
			       "y of marker %zu", i);
		assert_true(it->x0 >= p.x0 && it->x0 <= p.x1);
		if (!filled)
			seen[it->ref]++;
		/* imputed studies are drawn open (white) */
		if (filled) {
			open++;
			assert_true(it->fc.r == 1 && it->fc.g == 1 && it->fc.b == 1);
		} else {
			assert_false(it->fc.r == 1 && it->fc.g == 1 && it->fc.b == 1);
		}
	}
	assert_int_equal(markers, k + k0);
	assert_int_equal(open, k0);
	for (int i = 0; i < k; i++)
		assert_int_equal(seen[i], 1);
	/* the estimate line at exp(estimate) */
	int lines = 0;
	for (size_t i = 0; i < fig->nitems; i++)
		if (fig->items[i].tag == SM_FT_ESTIMATE) {
			lines++;
			sm_check_close(fig->items[i].x0, axis_pos(&xa, a->estimate), 0, 1e-9,
				       "estimate x");
		}
	assert_int_equal(lines, 1);
	sm_fig_free(fig);
}

/* The pseudo-CI boundary passes through est +- 1.96 se at the bottom. */
static void test_region(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_funnel_options o = options();
	o.common.analysis = GENERAL;
	o.contours = 1;
	o.egger_line = 1;
	struct sm_fig *fig = lay_ok(f, f->rmsc, &o);
	const struct sm_res_analysis *a = analysis(f->rmsc, GENERAL);
	struct sm_box p;
	assert_int_equal(plots(fig, &p, 1), 1);
	struct drawn_axis xa, ya;
	drawn(fig, &p, 1, 1, &xa);
	drawn(fig, &p, 0, 0, &ya);
	double se_hi = axis_value_at(&ya, p.y1);
	int paths = 0, wedges = 0, egger = 0;
	for (size_t i = 0; i < fig->nitems; i++) {
		const struct sm_fig_item *it = &fig->items[i];
		if (it->tag == SM_FT_REGION && it->kind == SM_FIG_PATH) {
			/* trim and fill imputed 10 studies: the region is centred on
			 * the adjusted estimate, as metafor's funnel(trimfill(...)) */
			double centre = a->trimfill.estimate;
			const double *last = &it->pts[2 * (it->npts - 1)];
			double want = centre + (paths ? 1 : -1) * 1.959964 * se_hi;
			sm_check_close(last[0], axis_pos(&xa, want), 0, 1e-3, "region bottom");
			sm_check_close(last[1], p.y1, 0, 1e-9, "region reaches the bottom");
			sm_check_close(it->pts[0], axis_pos(&xa, centre), 0, 1e-3, "apex");
			paths++;
		}
		wedges += it->tag == SM_FT_CONTOUR && it->kind == SM_FIG_POLY;
		if (it->tag == SM_FT_EGGER) {
			egger++;
			/* at se = 0 the line is at the Egger limit */
			sm_check_close(it->pts[0], axis_pos(&xa, a->egger.limit), 0, 1e-3, "egger");
		}
	}
	assert_int_equal(paths, 2);
	assert_int_equal(wedges, 3);
	assert_int_equal(egger, 1);
	sm_fig_free(fig);
	/* proportions have no null to centre contours on */
	o.common.analysis = NULL;
	fig = NULL;
	sm_render_expect_fail(f, lay(f, f->rsae, &o, &fig), "null");
	assert_null(fig);
}

/* One titled panel per domain, shared axes, no text problem. */
static void test_multiples(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_funnel_options o = options();
	o.common.analysis = "all";
	struct sm_fig *fig = lay_ok(f, f->rmsc, &o);
	struct sm_box p[20];
	/* every domain has its titled panel; the one of k = 2 has no plot */
	assert_int_equal(plots(fig, p, 20), 15);
	int titles = 0;
	for (size_t i = 0; i < fig->ntexts; i++)
		titles += fig->texts[i].tag == SM_FT_TITLE;
	assert_int_equal(titles, 16);
	assert_true(has_text(fig, SM_FT_NOTE, "k" NB "=" NB "2: fewer than 3 studies, no funnel plot"));
	struct drawn_axis x0, y0;
	drawn(fig, &p[0], 1, 1, &x0);
	drawn(fig, &p[0], 0, 0, &y0);
	for (int i = 1; i < 15; i++) {
		/* the same ticks at the same places of every panel */
		struct drawn_axis xa, ya;
		drawn(fig, &p[i], 1, 1, &xa);
		drawn(fig, &p[i], 0, 0, &ya);
		assert_int_equal(xa.n, x0.n);
		assert_int_equal(ya.n, y0.n);
		for (int t = 0; t < xa.n; t++) {
			assert_true(xa.value[t] == x0.value[t]);
			sm_check_close(xa.pos[t] - p[i].x0, x0.pos[t] - p[0].x0, 0, 1e-9, "x tick");
		}
		for (int t = 0; t < ya.n; t++) {
			assert_true(ya.value[t] == y0.value[t]);
			sm_check_close(ya.pos[t] - p[i].y0, y0.pos[t] - p[0].y0, 0, 1e-9, "y tick");
		}
		sm_check_close(p[i].x1 - p[i].x0, p[0].x1 - p[0].x0, 0, 1e-9, "plot width");
		sm_check_close(p[i].y1 - p[i].y0, p[0].y1 - p[0].y0, 0, 1e-9, "plot height");
		for (int j = 0; j < i; j++)
			assert_false(sm_box_overlap(&p[i], &p[j]));
	}
	const struct sm_box page = { 0, 0, fig->width, fig->height };
	for (size_t i = 0; i < fig->ntexts; i++)
		assert_true(sm_render_inside(&fig->texts[i].box, &page));
	sm_fig_free(fig);
	char *pdf = render(f, f->rmsc, &o, "all.pdf");
	sm_render_overlap_tool(pdf);
	char *text = sm_render_pdf_text(pdf, 1);
	for (size_t i = 0; i < f->rmsc->analyses.n; i++) {
		char *k = sm_asprintf("k = %d", (int)f->rmsc->analyses.v[i].k);
		sm_render_expect_text(text, k);
		free(k);
	}
	sm_render_expect_text(text, "Neoplasms benign");
	free(text);
	free(pdf);
}

/* The annotation gives k, the Egger and Begg P values, k0. */
static void test_content(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_funnel_options o = options();
	o.common.analysis = GENERAL;
	o.contours = 1;
	o.ci99 = 1;
	char *pdf = render(f, f->rmsc, &o, "one.pdf");
	char *text = sm_render_pdf_text(pdf, 1);
	const struct sm_res_analysis *a = analysis(f->rmsc, GENERAL);
	char want[64];
	snprintf(want, sizeof want, "Egger\xe2\x80\x99s test P = %.2f", a->egger.p);
	sm_render_expect_text(text, want);
	snprintf(want, sizeof want, "Begg\xe2\x80\x99s test P = %.2f", a->begg.p);
	sm_render_expect_text(text, want);
	sm_render_expect_text(text, "k = 36");
	sm_render_expect_text(text, "Trim and fill: 10 studies imputed on the left");
	sm_render_expect_text(text, "Odds ratio (log scale)");
	sm_render_expect_text(text, "Standard error");
	sm_render_expect_text(text, "Significance contours centred on the null");
	sm_render_expect_text(text, "centred on the adjusted estimate");
	sm_render_expect_text(text, "P < 0.01");
	sm_render_expect_text(text, "Pseudo 99%");
	sm_render_overlap_tool(pdf);
	free(text);
	free(pdf);
}

static int count_tag(const struct sm_fig *fig, int tag)
{
	int n = 0;
	for (size_t i = 0; i < fig->ntexts; i++)
		n += fig->texts[i].tag == tag;
	return n;
}

/* A study flagged as outlier is labelled; groups get a legend entry each;
 * --group-by takes the fields studies have and names them otherwise. */
static void test_outliers_groups(void **state)
{
	struct sm_render_fx *f = *state;
	cJSON *r = cJSON_Duplicate(f->msc, 1);
	cJSON *a = NULL;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(r, "analyses"))
		if (!strcmp(cJSON_GetObjectItemCaseSensitive(a, "name")->valuestring, GENERAL))
			break;
	assert_non_null(a);
	cJSON *studies = cJSON_GetObjectItemCaseSensitive(a, "studies");
	cJSON *s = cJSON_GetArrayItem(studies, 3);
	cJSON_ReplaceItemInObjectCaseSensitive(s, "outlier", cJSON_CreateTrue());
	char *label = strdup(cJSON_GetObjectItemCaseSensitive(s, "label")->valuestring);
	struct sm_res *res = sm_res_from_json(f->ctx, "outlier", r);
	assert_non_null(res);
	struct sm_funnel_options o = options();
	o.common.analysis = GENERAL;
	o.group_by = "year";
	struct sm_fig *fig = NULL;
	sm_render_expect_fail(f, lay(f, res, &o, &fig), "more than");
	assert_null(fig);
	/* a field the studies do not have: refused, naming the ones they have */
	o.group_by = "zzz_absent";
	sm_render_expect_fail(f, lay(f, res, &o, &fig),
			      "'zzz_absent': the studies have no such field; expected group, "
			      "event, study_id, label or year");
	assert_null(fig);
	/* one value for every study: one group, named in the legend */
	o.group_by = "group";
	fig = lay_ok(f, res, &o);
	assert_true(has_text(fig, SM_FT_LEGEND, GENERAL));
	assert_false(has_text(fig, SM_FT_LEGEND, "Study"));
	assert_int_equal(count_tag(fig, SM_FT_LABEL), 1);
	for (size_t i = 0; i < fig->ntexts; i++)
		if (fig->texts[i].tag == SM_FT_LABEL)
			assert_string_equal(fig->texts[i].text, label);
	sm_fig_free(fig);
	sm_res_free(res);
	/* a field no study states: one group, "not stated" */
	cJSON_ArrayForEach(s, studies)
		cJSON_DeleteItemFromObjectCaseSensitive(s, "year");
	assert_non_null(res = sm_res_from_json(f->ctx, "no years", r));
	o.group_by = "year";
	fig = lay_ok(f, res, &o);
	assert_true(has_text(fig, SM_FT_LEGEND, "not stated"));
	assert_false(has_text(fig, SM_FT_LEGEND, "Study"));
	assert_int_equal(count_tag(fig, SM_FT_LABEL), 1);
	sm_fig_free(fig);
	o.label_outliers = 0;
	o.group_by = NULL;
	fig = lay_ok(f, res, &o);
	assert_int_equal(count_tag(fig, SM_FT_LABEL), 0);
	assert_true(has_text(fig, SM_FT_LEGEND, "Study"));
	sm_fig_free(fig);
	sm_res_free(res);
	free(label);
	cJSON_Delete(r);
}

/* --group-by event: one legend entry per event of the studies drawn, in
 * the order they first come, and each point in its event's colour and
 * shape. */
static void test_group_by_event(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_res *r = sm_render_load_res("tests/fixtures/render/msc-saes-mh.results.json");
	const struct sm_res_analysis *a = &r->analyses.v[0];
	const char *events[8];
	int nevents = 0;
	for (size_t i = 0; i < a->studies.n; i++) {
		const struct sm_res_study *st = &a->studies.v[i];
		if (!isfinite(st->yi) || !(st->vi > 0))
			continue;
		const char *e = st->event ? st->event : "not stated";
		int seen = 0;
		for (int j = 0; j < nevents; j++)
			seen |= !strcmp(events[j], e);
		if (!seen) {
			assert_true(nevents < 8);
			events[nevents++] = e;
		}
	}
	assert_true(nevents >= 3);
	struct sm_funnel_options o = options();
	o.group_by = "event";
	struct sm_fig *fig = lay_ok(f, r, &o);
	assert_false(has_text(fig, SM_FT_LEGEND, "Study"));
	/* the legend's entries in order: the events first */
	int at = 0;
	for (size_t i = 0; i < fig->ntexts && at < nevents; i++)
		if (fig->texts[i].tag == SM_FT_LEGEND) {
			assert_string_equal(fig->texts[i].text, events[at]);
			at++;
		}
	assert_int_equal(at, nevents);
	int points = 0;
	for (size_t i = 0; i < fig->nitems; i++) {
		const struct sm_fig_item *it = &fig->items[i];
		if (it->kind != SM_FIG_MARKER || it->tag != SM_FT_POINT)
			continue;
		const char *e = a->studies.v[it->ref].event;
		int g = -1;
		for (int j = 0; j < nevents; j++)
			if (!strcmp(events[j], e ? e : "not stated"))
				g = j;
		assert_true(g >= 0);
		assert_true(same_rgb(it->fc, sm_fig_palette(g)));
		assert_int_equal(it->marker, g % SM_NMARKERS);
		points++;
	}
	assert_true(points > nevents);
	sm_fig_free(fig);
	sm_res_free(r);
}


static double ref_num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	assert_true(cJSON_IsNumber(v));
	return v->valuedouble;
}

static int count_items(const struct sm_fig *fig, int tag)
{
	int n = 0;
	for (size_t i = 0; i < fig->nitems; i++)
		n += fig->items[i].tag == tag && fig->items[i].kind != SM_FIG_UNCLIP;
	return n;
}

/* metafor's funnel(trimfill(rma(yi, vi, method = "DL"))) of dat.egger2001
 * (odds ratios): both estimates drawn and named, the region centred on the
 * adjusted one, the 7 imputed studies open at metafor's yi and vi, and k0,
 * the side and the adjusted OR with its CI stated; every number against
 * tests/golden/egger2001/reference.json (metafor 3.8-1). */
static void test_trimfill_egger2001(void **state)
{
	struct sm_render_fx *f = *state;
	cJSON *ref = sm_render_load_json("tests/golden/egger2001/reference.json");
	const cJSON *rfit = cJSON_GetObjectItemCaseSensitive(ref, "fit");
	const cJSON *rtf = cJSON_GetObjectItemCaseSensitive(ref, "trimfill");
	struct sm_res *r = sm_render_load_res("tests/fixtures/render/egger2001-dl.results.json");
	const struct sm_res_analysis *a = &r->analyses.v[0];
	/* the results are metafor's (1e-6 relative) */
	int k0 = (int)ref_num(rtf, "k0");
	assert_int_equal(k0, 7);
	assert_int_equal((int)a->trimfill.k0, k0);
	assert_string_equal(a->trimfill.side, "right");
	sm_check_close(a->estimate, ref_num(rfit, "estimate"), 1e-6, 0, "pooled");
	sm_check_close(a->trimfill.estimate, ref_num(rtf, "estimate"), 1e-6, 0, "adjusted");
	sm_check_close(a->trimfill.transformed.estimate, ref_num(rtf, "estimate_exp"), 1e-6, 0,
		       "adjusted OR");
	sm_check_close(a->trimfill.transformed.ci_lb, ref_num(rtf, "ci_lb_exp"), 1e-6, 0, "lb");
	sm_check_close(a->trimfill.transformed.ci_ub, ref_num(rtf, "ci_ub_exp"), 1e-6, 0, "ub");

	struct sm_funnel_options o = options();
	struct sm_fig *fig = lay_ok(f, r, &o);
	struct sm_box p;
	assert_int_equal(plots(fig, &p, 1), 1);
	struct drawn_axis xa, ya;
	drawn(fig, &p, 1, 1, &xa);
	drawn(fig, &p, 0, 0, &ya);
	double se_hi = axis_value_at(&ya, p.y1);
	double pooled = ref_num(rfit, "estimate"), adjusted = ref_num(rtf, "estimate");
	assert_int_equal(count_items(fig, SM_FT_ESTIMATE), 1);
	assert_int_equal(count_items(fig, SM_FT_ADJUSTED), 1);
	int paths = 0, open = 0;
	const cJSON *fyi = cJSON_GetObjectItemCaseSensitive(rtf, "filled_yi");
	const cJSON *fvi = cJSON_GetObjectItemCaseSensitive(rtf, "filled_vi");
	for (size_t i = 0; i < fig->nitems; i++) {
		const struct sm_fig_item *it = &fig->items[i];
		if (it->tag == SM_FT_ESTIMATE)
			sm_check_close(it->x0, axis_pos(&xa, pooled), 0, 1e-6, "pooled line");
		if (it->tag == SM_FT_ADJUSTED) {
			sm_check_close(it->x0, axis_pos(&xa, adjusted), 0, 1e-6, "adjusted line");
			assert_true(it->dash > 0); /* told apart from the pooled line in grey */
		}
		if (it->tag == SM_FT_REGION && it->kind == SM_FIG_PATH) {
			sm_check_close(it->pts[0], axis_pos(&xa, adjusted), 0, 1e-3, "apex");
			const double *last = &it->pts[2 * (it->npts - 1)];
			double want = adjusted + (paths ? 1 : -1) * 1.959964 * se_hi;
			sm_check_close(last[0], axis_pos(&xa, want), 0, 1e-3, "region bottom");
			paths++;
		}
		if (it->kind == SM_FIG_MARKER && it->tag == SM_FT_FILLED) {
			double yi = cJSON_GetArrayItem(fyi, it->ref)->valuedouble;
			double vi = cJSON_GetArrayItem(fvi, it->ref)->valuedouble;
			sm_check_close(it->x0, axis_pos(&xa, yi), 0, 1e-6, "imputed x");
			sm_check_close(it->y0, p.y0 + sqrt(vi) / se_hi * (p.y1 - p.y0), 0, 1e-6,
				       "imputed y");
			assert_true(it->fc.r == 1 && it->fc.g == 1 && it->fc.b == 1);
			assert_int_equal(it->marker, SM_MK_CIRCLE);
			open++;
		}
	}
	assert_int_equal(paths, 2);
	assert_int_equal(open, k0);
	assert_true(has_text(fig, SM_FT_LEGEND, "Pooled estimate (observed studies, unadjusted)"));
	assert_true(has_text(fig, SM_FT_LEGEND,
			     "Adjusted estimate (trim and fill: observed and imputed studies)"));
	assert_true(has_text(fig, SM_FT_LEGEND,
			     "Pseudo 95% confidence region (centred on the adjusted estimate)"));
	assert_true(has_text(fig, SM_FT_LEGEND, "Imputed study (trim and fill)"));
	sm_fig_free(fig);
	char *pdf = render(f, r, &o, "egger2001.pdf");
	char *text = sm_render_pdf_text(pdf, 0);
	char want[200];
	snprintf(want, sizeof want, "Trim and fill: %d studies imputed on the right; adjusted OR "
		 "%.2f (95%% CI %.2f to %.2f)", k0, ref_num(rtf, "estimate_exp"),
		 ref_num(rtf, "ci_lb_exp"), ref_num(rtf, "ci_ub_exp"));
	sm_render_expect_text(text, want);
	snprintf(want, sizeof want, "unadjusted OR %.2f (95%% CI %.2f to %.2f)",
		 ref_num(rfit, "estimate_exp"), ref_num(rfit, "ci_lb_exp"),
		 ref_num(rfit, "ci_ub_exp"));
	sm_render_expect_text(text, want);
	sm_render_overlap_tool(pdf);
	free(text);
	free(pdf);
	/* without the imputed studies: one line, the region on the pooled estimate */
	o.trimfill = 0;
	fig = lay_ok(f, r, &o);
	assert_int_equal(count_items(fig, SM_FT_ADJUSTED), 0);
	assert_int_equal(count_items(fig, SM_FT_FILLED), 0);
	assert_int_equal(plots(fig, &p, 1), 1);
	drawn(fig, &p, 1, 1, &xa);
	for (size_t i = 0; i < fig->nitems; i++)
		if (fig->items[i].tag == SM_FT_REGION && fig->items[i].kind == SM_FIG_PATH)
			sm_check_close(fig->items[i].pts[0], axis_pos(&xa, pooled), 0, 1e-3, "apex");
	assert_true(has_text(fig, SM_FT_LEGEND, "Pooled estimate"));
	assert_true(has_text(fig, SM_FT_LEGEND,
			     "Pseudo 95% confidence region (centred on the pooled estimate)"));
	sm_fig_free(fig);
	sm_res_free(r);
	cJSON_Delete(ref);
}

static cJSON *analysis_json(cJSON *doc, const char *name)
{
	cJSON *a = NULL;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(doc, "analyses"))
		if (!strcmp(cJSON_GetObjectItemCaseSensitive(a, "name")->valuestring, name))
			return a;
	fail_msg("no analysis %s", name);
	return NULL;
}

static int any_text_with(const struct sm_fig *fig, const char *part)
{
	for (size_t i = 0; i < fig->ntexts; i++)
		if (strstr(fig->texts[i].text, part))
			return 1;
	return 0;
}

#define MUSC "Musculoskeletal and connective tissue disorders"
#define HEMA "Hematological or oncological disorders"

/* Below the results' small-study minimum (k = 4 < 10) the funnel shows
 * neither the tests, nor the Egger line, nor trim and fill, and says why;
 * with the flag cleared (a lower minimum) they are back.  Below 3 studies
 * there is no funnel at all. */
static void test_small_k(void **state)
{
	struct sm_render_fx *f = *state;
	const struct sm_res_analysis *a = analysis(f->rmsc, MUSC);
	assert_int_equal((int)a->k, 4);
	assert_int_equal(a->small_study.below_min_k, 1);
	assert_true(a->small_study.min_k == 10);
	assert_true(isfinite(a->egger.p) && isfinite(a->begg.p)); /* computed, flagged */
	assert_int_equal((int)a->trimfill.k0, 1);
	struct sm_funnel_options o = options();
	o.common.analysis = MUSC;
	o.egger_line = 1;
	struct sm_fig *fig = lay_ok(f, f->rmsc, &o);
	assert_int_equal(count_items(fig, SM_FT_EGGER), 0);
	assert_int_equal(count_items(fig, SM_FT_FILLED), 0);
	assert_int_equal(count_items(fig, SM_FT_ADJUSTED), 0);
	assert_int_equal(count_items(fig, SM_FT_POINT), 4);
	assert_true(has_text(fig, SM_FT_ANNOT,
			     "k" NB "=" NB "4: fewer than 10 studies, tests for funnel "
			     "asymmetry not shown"));
	assert_false(any_text_with(fig, "Egger"));
	assert_false(any_text_with(fig, "Begg"));
	assert_false(any_text_with(fig, "mputed"));
	sm_fig_free(fig);
	/* a minimum the study count meets: tests, line and trim and fill shown */
	cJSON *doc = cJSON_Duplicate(f->msc, 1);
	cJSON *ss = cJSON_GetObjectItemCaseSensitive(analysis_json(doc, MUSC), "small_study");
	cJSON_ReplaceItemInObjectCaseSensitive(ss, "min_k", cJSON_CreateNumber(3));
	cJSON_ReplaceItemInObjectCaseSensitive(ss, "below_min_k", cJSON_CreateFalse());
	struct sm_res *res = sm_res_from_json(f->ctx, "min_k 3", doc);
	assert_non_null(res);
	fig = lay_ok(f, res, &o);
	assert_int_equal(count_items(fig, SM_FT_EGGER), 1);
	assert_int_equal(count_items(fig, SM_FT_FILLED), 1);
	assert_int_equal(count_items(fig, SM_FT_ADJUSTED), 1);
	assert_true(any_text_with(fig, "Egger"));
	assert_true(any_text_with(fig, "1" NB "study" NB "imputed"));
	sm_fig_free(fig);
	sm_res_free(res);
	cJSON_Delete(doc);
	/* k = 2: no plot, no point, the reason in its place; still a figure */
	o.common.analysis = HEMA;
	fig = lay_ok(f, f->rmsc, &o);
	struct sm_box p;
	assert_int_equal(plots(fig, &p, 1), 0);
	assert_int_equal(count_items(fig, SM_FT_POINT), 0);
	assert_int_equal(count_items(fig, SM_FT_REGION), 0);
	assert_int_equal(count_items(fig, SM_FT_ESTIMATE), 0);
	assert_int_equal(count_tag(fig, SM_FT_LEGEND), 0);
	assert_true(has_text(fig, SM_FT_NOTE, "k" NB "=" NB "2: fewer than 3 studies, no funnel plot"));
	assert_true(fig->height < 100); /* no empty plotting area */
	sm_fig_free(fig);
	char *pdf = render(f, f->rmsc, &o, "hema.pdf");
	sm_render_overlap_tool(pdf);
	free(pdf);
	/* the small multiples: domains under the minimum are marked "not tested" */
	o.common.analysis = "all";
	o.egger_line = 0;
	fig = lay_ok(f, f->rmsc, &o);
	int not_tested = 0, tested = 0;
	for (size_t i = 0; i < fig->ntexts; i++) {
		if (fig->texts[i].tag != SM_FT_ANNOT)
			continue;
		not_tested += strstr(fig->texts[i].text, "not tested") != NULL;
		tested += strstr(fig->texts[i].text, "Egger") != NULL;
	}
	int below = 0, above = 0;
	for (size_t i = 0; i < f->rmsc->analyses.n; i++) {
		double k = f->rmsc->analyses.v[i].k;
		below += k >= 3 && k < 10;
		above += k >= 10;
	}
	assert_int_equal(below, 7);
	assert_int_equal(above, 8);
	assert_int_equal(not_tested, below);
	assert_int_equal(tested, above);
	assert_int_equal(count_items(fig, SM_FT_EGGER), 0); /* --egger-line only where tested */
	sm_fig_free(fig);
	o.egger_line = 1;
	fig = lay_ok(f, f->rmsc, &o);
	assert_int_equal(count_items(fig, SM_FT_EGGER), above);
	sm_fig_free(fig);
}

/* On a report page the small multiples hold at most 16 panels: 20
 * analyses make two pages (16 and 4), each with its legend; a file keeps
 * them on one page. */
static void test_report_pages(void **state)
{
	struct sm_render_fx *f = *state;
	cJSON *doc = cJSON_Duplicate(f->msc, 1);
	cJSON *as = cJSON_GetObjectItemCaseSensitive(doc, "analyses");
	for (int i = 0; i < 4; i++) {
		cJSON *copy = cJSON_Duplicate(cJSON_GetArrayItem(as, i), 1);
		char name[32];
		snprintf(name, sizeof name, "Copy %d", i + 1);
		cJSON_ReplaceItemInObjectCaseSensitive(copy, "name", cJSON_CreateString(name));
		cJSON_AddItemToArray(as, copy);
	}
	struct sm_res *res = sm_res_from_json(f->ctx, "20 analyses", doc);
	assert_non_null(res);
	assert_int_equal((int)res->analyses.n, 20);
	struct sm_funnel_options o = options();
	o.common.analysis = "all";
	const struct sm_figure_env report = { .format = SM_CANVAS_PDF, .page_height = 0, .max_width = 480 };
	struct sm_fig *fig = NULL;
	sm_render_expect_ok(f, sm_figure_funnel.layout(f->ctx, res, &o, &report, &fig));
	assert_int_equal(fig->npages, 2);
	int titles[2] = { 0 }, legends[2] = { 0 };
	for (size_t i = 0; i < fig->ntexts; i++) {
		const struct sm_fig_text *t = &fig->texts[i];
		titles[t->page] += t->tag == SM_FT_TITLE;
		legends[t->page] += t->tag == SM_FT_LEGEND && !strcmp(t->text, "Study");
	}
	assert_int_equal(titles[0], 16);
	assert_int_equal(titles[1], 4);
	assert_int_equal(legends[0], 1);
	assert_int_equal(legends[1], 1);
	/* the second page is shorter, and says so */
	assert_true(sm_fig_page_used(fig, 1) < sm_fig_page_used(fig, 0));
	assert_true(sm_fig_page_used(fig, 0) <= fig->height + 1e-9);
	sm_fig_free(fig);
	const struct sm_figure_env file = { .format = SM_CANVAS_PDF, .page_height = 0, .max_width = 0 };
	fig = NULL;
	sm_render_expect_ok(f, sm_figure_funnel.layout(f->ctx, res, &o, &file, &fig));
	assert_int_equal(fig->npages, 1);
	assert_int_equal(count_tag(fig, SM_FT_TITLE), 20);
	sm_fig_free(fig);
	sm_res_free(res);
	cJSON_Delete(doc);
}


/* The 70-study SAE review (2 events in 1496 patients, Freeman-Tukey): the
 * estimates back-transform to 0, so the funnel says so instead of printing
 * "0.00 per 1000 (95% CI 0.00 to 0.00)". */
static void test_rare_proportion_text(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_funnel_options o = options();
	char *pdf = render(f, f->rsae, &o, "sae-text.pdf");
	char *text = sm_render_pdf_text(pdf, 0);
	sm_render_expect_text(text, "Trim and fill: 31 studies imputed on the left; adjusted "
			      "proportion not interpretable (0 after back-transformation)");
	assert_null(strstr(text, "0.00 per 1000"));
	assert_null(strstr(text, "CI 0.00 to 0.00"));
	free(text);
	free(pdf);
}

static void test_formats_determinism(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_funnel_options o = options();
	o.y = SM_FUNNEL_PRECISION;
	const char *names[] = { "sae.pdf", "sae.svg", "sae.png", "sae2.pdf", "sae2.svg",
				"sae2.png" };
	for (int i = 0; i < 6; i++)
		free(render(f, f->rsae, &o, names[i]));
	struct sm_fig *fig = lay_ok(f, f->rsae, &o);
	/* precision grows upwards: the most precise study is the highest */
	const struct sm_res_analysis *a = &f->rsae->analyses.v[0];
	double best_se = INFINITY, best_y = NAN;
	for (size_t i = 0; i < fig->nitems; i++) {
		const struct sm_fig_item *it = &fig->items[i];
		if (it->kind == SM_FIG_MARKER && it->tag == SM_FT_POINT &&
		    sqrt(a->studies.v[it->ref].vi) < best_se) {
			best_se = sqrt(a->studies.v[it->ref].vi);
			best_y = it->y0;
		}
	}
	assert_true(isfinite(best_y));
	for (size_t i = 0; i < fig->nitems; i++)
		if (study_marker(&fig->items[i]))
			assert_true(fig->items[i].y0 >= best_y - 1e-9);
	sm_check_close(fig->width, 120 * 72 / 25.4, 0, 1e-6, "default width");
	sm_render_check_formats(f, "sae", fig, 300);
	sm_fig_free(fig);
	const char *ext[] = { "pdf", "svg", "png" };
	for (int i = 0; i < 3; i++) {
		char *x = sm_asprintf("%s/sae.%s", f->dir, ext[i]);
		char *y = sm_asprintf("%s/sae2.%s", f->dir, ext[i]);
		sm_render_same_files(x, y);
		free(x);
		free(y);
	}
	char *pdf = sm_asprintf("%s/sae.pdf", f->dir);
	sm_render_overlap_tool(pdf);
	char *text = sm_render_pdf_text(pdf, 1);
	sm_render_expect_text(text, "Precision (1/SE)");
	sm_render_expect_text(text, "Freeman\xe2\x80\x93Tukey transformed proportion");
	free(text);
	free(pdf);
	fig = NULL;
	o.common.analysis = "nope";
	sm_render_expect_fail(f, lay(f, f->rsae, &o, &fig), "no analysis named");
	o.common.analysis = NULL;
	sm_render_expect_fail(f, lay(f, f->rtum, &o, &fig), "no analysis");
	assert_null(fig);
}

/* The kind: options as `render funnel` names them, defaults, where each
 * lands; the bundle's funnels and their cost. */
static void test_kind(void **state)
{
	struct sm_render_fx *f = *state;
	const struct sm_figure_kind *k = &sm_figure_funnel;
	assert_string_equal(k->name, "funnel");
	assert_string_equal(k->positional, "analysis");
	assert_int_equal(k->opts_size, sizeof(struct sm_funnel_options));
	static const struct { const char *name; enum sm_fopt_type type; size_t offset; } want[] = {
		{ "y", SM_FOPT_CHOICE, offsetof(struct sm_funnel_options, y) },
		{ "contours", SM_FOPT_FLAG, offsetof(struct sm_funnel_options, contours) },
		{ "ci99", SM_FOPT_FLAG, offsetof(struct sm_funnel_options, ci99) },
		{ "egger-line", SM_FOPT_FLAG, offsetof(struct sm_funnel_options, egger_line) },
		{ "no-trimfill", SM_FOPT_UNFLAG, offsetof(struct sm_funnel_options, trimfill) },
		{ "no-outlier-labels", SM_FOPT_UNFLAG,
		  offsetof(struct sm_funnel_options, label_outliers) },
		{ "group-by", SM_FOPT_STRING, offsetof(struct sm_funnel_options, group_by) },
	};
	assert_int_equal(k->nopts, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < k->nopts; i++) {
		assert_string_equal(k->opts[i].name, want[i].name);
		assert_int_equal(k->opts[i].type, want[i].type);
		assert_int_equal(k->opts[i].offset, want[i].offset);
		assert_non_null(k->opts[i].help);
	}
	const char *const *y = k->opts[0].choices;
	assert_string_equal(y[SM_FUNNEL_SE], "se");
	assert_string_equal(y[SM_FUNNEL_PRECISION], "precision");
	assert_string_equal(y[SM_FUNNEL_N], "n");
	assert_null(y[3]);
	assert_non_null(strstr(k->opts[6].help, "group, event, study_id, label or year"));
	struct sm_funnel_options o;
	memset(&o, 0x55, sizeof o);
	k->opts_init(&o);
	assert_null(o.common.analysis);
	assert_null(o.common.style);
	assert_null(o.common.width);
	assert_null(o.common.title);
	assert_null(o.group_by);
	assert_true(o.common.dpi == 300);
	assert_int_equal(o.y, SM_FUNNEL_SE);
	assert_int_equal(o.contours + o.ci99 + o.egger_line, 0);
	assert_int_equal(o.trimfill, 1);
	assert_int_equal(o.label_outliers, 1);

	/* a funnel per analysis of at least 3 studies, named as the bundle
	 * names them, then "all" (the k = 2 domain has its panel only) */
	struct sm_figure_plan plan = { 0 };
	sm_render_expect_ok(f, k->plan(f->ctx, f->rmsc, &plan));
	assert_int_equal(plan.n, 16);
	for (size_t i = 0, j = 0; i < 16; i++) {
		if (f->rmsc->analyses.v[i].k < 3)
			continue;
		assert_ptr_equal(plan.jobs[j].kind, k);
		assert_string_equal(plan.jobs[j].arg, f->rmsc->analyses.v[i].name);
		assert_int_equal(strncmp(plan.jobs[j].base, "funnel-", 7), 0);
		j++;
	}
	for (size_t i = 0; i < 15; i++)
		assert_string_not_equal(plan.jobs[i].arg, "Hematological or oncological disorders");
	int general = 0;
	for (size_t i = 0; i < 15; i++)
		if (!strcmp(plan.jobs[i].arg, GENERAL)) {
			general++;
			assert_string_equal(plan.jobs[i].base,
					    "funnel-General-disorders-and-administration-site-"
					    "conditions");
		}
	assert_int_equal(general, 1);
	assert_string_equal(plan.jobs[15].base, "funnel-all");
	assert_string_equal(plan.jobs[15].arg, "all");
	sm_figure_plan_release(&plan);
	/* one analysis (named "all"): its funnel only */
	sm_render_expect_ok(f, k->plan(f->ctx, f->rsae, &plan));
	assert_int_equal(plan.n, 1);
	assert_string_equal(plan.jobs[0].base, "funnel-all");
	assert_string_equal(plan.jobs[0].arg, "all");
	sm_figure_plan_release(&plan);
	/* no analysis: no funnel */
	sm_render_expect_ok(f, k->plan(f->ctx, f->rtum, &plan));
	assert_int_equal(plan.n, 0);
	sm_figure_plan_release(&plan);
	/* two names with one safe name stay apart */
	cJSON *r = cJSON_Duplicate(f->msc, 1);
	cJSON *as = cJSON_GetObjectItemCaseSensitive(r, "analyses");
	cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetArrayItem(as, 0), "name",
					       cJSON_CreateString("Same name"));
	cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetArrayItem(as, 1), "name",
					       cJSON_CreateString("Same/name"));
	struct sm_res *res = sm_res_from_json(f->ctx, "names", r);
	assert_non_null(res);
	sm_render_expect_ok(f, k->plan(f->ctx, res, &plan));
	assert_string_equal(plan.jobs[0].base, "funnel-Same-name");
	assert_string_equal(plan.jobs[1].base, "funnel-Same-name-2");
	assert_string_equal(plan.jobs[1].arg, "Same/name");
	sm_figure_plan_release(&plan);
	sm_res_free(res);
	cJSON_Delete(r);

	/* cost: 14 for one funnel, 4 per panel of a page of them */
	o.common.analysis = GENERAL;
	assert_true(k->cost(f->rmsc, &o) == 14);
	o.common.analysis = NULL;
	assert_true(k->cost(f->rmsc, &o) == 14);
	o.common.analysis = "all";
	assert_true(k->cost(f->rmsc, &o) == 4 * 16);
	/* an analysis named "all": as many as its studies */
	assert_true(k->cost(f->rsae, &o) == 4 * f->rsae->analyses.v[0].k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_geometry, sm_render_fx_setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_region, sm_render_fx_setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_multiples, sm_render_fx_setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_content, sm_render_fx_setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_outliers_groups, sm_render_fx_setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_group_by_event, sm_render_fx_setup,
						sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_formats_determinism, sm_render_fx_setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_trimfill_egger2001, sm_render_fx_setup,
						sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_small_k, sm_render_fx_setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_rare_proportion_text, sm_render_fx_setup,
						sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_report_pages, sm_render_fx_setup,
						sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_kind, sm_render_fx_setup, sm_render_fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
