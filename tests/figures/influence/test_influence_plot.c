/* The influence plot (sm_influence_plot.h) of dat.bcg (RR, REML) and of
 * the MSC deaths (MH, 2 influential studies): every point where its
 * panel's axis puts the results' value, k points a panel, each reference
 * line at its results value, influential studies as diamonds in the accent
 * colour, the grid at 85 and 175 mm without overlapping or small text, the
 * caption, the plan, and the analyses without diagnostics. */
#include "sm_render_test.h"

#include "sm_buf.h"
#include "sm_influence_plot.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BCG "tests/fixtures/render/sens-bcg.results.json"
#define MH "tests/fixtures/render/msc-saes-mh.results.json"
#define K1 "tests/fixtures/render/k1.results.json"

static sm_status lay(struct sm_ctx *ctx, const struct sm_res *r, const char *analysis,
		     const char *width, const char *style, struct sm_fig **fig)
{
	struct sm_infl_options o;
	sm_figure_influence.opts_init(&o);
	o.common.analysis = analysis;
	o.common.width = width;
	o.common.style = style;
	const struct sm_figure_env env = { .format = SM_CANVAS_PNG, .page_height = 0,
					   .max_width = 0, .first_page_height = 0 };
	*fig = NULL;
	return sm_figure_influence.layout(ctx, r, &o, &env, fig);
}

static double study_value(const struct sm_res_study *s, int panel)
{
	const double v[SM_INFL_NPANELS] = { s->rstudent, s->dffits, s->cooks, s->cov_r,
					    s->tau2_del, s->Q_del, s->hat, s->weight };
	return v[panel];
}

/* The reference lines of each panel, in the order of the header. */
static int ref_values(const struct sm_res_influence_summary *is, int panel, double *v)
{
	switch (panel) {
	case SM_IP_RSTUDENT:
		v[0] = 0, v[1] = -is->rstudent_line, v[2] = is->rstudent_line;
		return 3;
	case SM_IP_DFFITS:
		v[0] = 0, v[1] = -is->dffits_bound, v[2] = is->dffits_bound;
		return 3;
	case SM_IP_COOKS: v[0] = is->cooks_bound; return 1;
	case SM_IP_COV_R: v[0] = is->cov_r_line; return 1;
	case SM_IP_TAU2_DEL: v[0] = is->tau2_line; return 1;
	case SM_IP_QE_DEL: v[0] = is->QE_line, v[1] = is->QE_df; return 2;
	case SM_IP_HAT: v[0] = is->hat_mean, v[1] = is->hat_bound; return 2;
	default: v[0] = is->weight_mean; return 1;
	}
}

/* A tick label's number ("−0.5" with a true minus sign). */
static double label_value(const char *t)
{
	char buf[64];
	size_t n = 0;
	for (const char *p = t; *p && n + 1 < sizeof buf; p++) {
		if (!strncmp(p, "\xe2\x88\x92", 3)) {
			buf[n++] = '-';
			p += 2;
		} else {
			buf[n++] = *p;
		}
	}
	buf[n] = 0;
	char *end;
	double v = strtod(buf, &end);
	assert_true(*end == 0 && end != buf);
	return v;
}

/* The panel's axis as the figure shows it: page y = a + b * f(value),
 * f = log on cov.r, from the first and last y tick and their labels. */
struct yaxis {
	double a, b;
	int log, ok;
};

static struct yaxis panel_axis(const struct sm_fig *f, int panel)
{
	struct yaxis ax = { .log = panel == SM_IP_COV_R };
	double y[2] = { 0 }, v[2] = { 0 };
	int n = 0;
	for (size_t i = 0; i < f->nitems; i++) {
		const struct sm_fig_item *it = &f->items[i];
		if (it->tag != SM_IF_YTICK || SM_INFL_REF_PANEL(it->ref) != panel)
			continue;
		const char *label = NULL;
		for (size_t t = 0; t < f->ntexts; t++)
			if (f->texts[t].tag == SM_IF_YLABEL && f->texts[t].ref == it->ref)
				label = f->texts[t].text;
		assert_non_null(label);
		/* the label is centred on its tick */
		int slot = n == 0 ? 0 : 1;
		y[slot] = it->y0;
		v[slot] = label_value(label);
		n++;
	}
	if (n < 2)
		return ax;
	double f0 = ax.log ? log(v[0]) : v[0], f1 = ax.log ? log(v[1]) : v[1];
	ax.b = (y[1] - y[0]) / (f1 - f0);
	ax.a = y[0] - ax.b * f0;
	ax.ok = ax.b < 0; /* larger values higher up */
	return ax;
}

static double axis_y(const struct yaxis *ax, double v)
{
	return ax->a + ax->b * (ax->log ? log(v) : v);
}

static const struct sm_fig_item *point(const struct sm_fig *f, int panel, size_t study)
{
	for (size_t i = 0; i < f->nitems; i++)
		if (f->items[i].tag == SM_IF_POINT && f->items[i].ref == SM_INFL_REF(panel, (int)study))
			return &f->items[i];
	return NULL;
}

static int count(const struct sm_fig *f, int tag, int panel)
{
	int n = 0;
	for (size_t i = 0; i < f->nitems; i++)
		n += f->items[i].tag == tag && SM_INFL_REF_PANEL(f->items[i].ref) == panel;
	return n;
}

static const char *caption(const struct sm_fig *f)
{
	for (size_t i = 0; i < f->ntexts; i++)
		if (f->texts[i].tag == SM_IF_CAPTION)
			return f->texts[i].text;
	return NULL;
}

/* Every point and line of every panel where the panel's axis puts the
 * results' value; points left to right in the studies' order. */
static void check_positions(const struct sm_fig *fig, const struct sm_res_analysis *a)
{
	const struct sm_res_influence_summary *is = &a->influence_summary;
	for (int p = 0; p < SM_INFL_NPANELS; p++) {
		size_t finite = 0;
		for (size_t i = 0; i < a->studies.n; i++)
			finite += isfinite(study_value(&a->studies.v[i], p));
		assert_int_equal(count(fig, SM_IF_POINT, p), (int)finite);
		assert_int_equal(count(fig, SM_IF_FRAME, p), 1);
		if (finite == 0) {
			/* no values: no lines, a note */
			assert_int_equal(count(fig, SM_IF_DASHED, p) + count(fig, SM_IF_DOTTED, p), 0);
			continue;
		}
		struct yaxis ax = panel_axis(fig, p);
		assert_true(ax.ok);
		double prev_x = -INFINITY;
		for (size_t i = 0; i < a->studies.n; i++) {
			double v = study_value(&a->studies.v[i], p);
			const struct sm_fig_item *pt = point(fig, p, i);
			if (!isfinite(v)) {
				assert_null(pt);
				continue;
			}
			assert_non_null(pt);
			assert_true(fabs(pt->y0 - axis_y(&ax, v)) < 1e-6);
			assert_true(pt->x0 > prev_x);
			prev_x = pt->x0;
		}
		double want[3];
		int nref = ref_values(is, p, want);
		int lines = 0;
		for (size_t i = 0; i < fig->nitems; i++) {
			const struct sm_fig_item *it = &fig->items[i];
			if ((it->tag != SM_IF_DASHED && it->tag != SM_IF_DOTTED) ||
			    SM_INFL_REF_PANEL(it->ref) != p)
				continue;
			int k = SM_INFL_REF_INDEX(it->ref);
			assert_true(k < nref);
			/* bounds dotted, centres dashed, as metafor */
			int dotted = (p <= SM_IP_DFFITS && k > 0) || p == SM_IP_COOKS || k == 1;
			assert_int_equal(it->tag, dotted ? SM_IF_DOTTED : SM_IF_DASHED);
			assert_true(it->dash > 0);
			assert_true(fabs(it->y0 - axis_y(&ax, want[k])) < 1e-6);
			assert_true(fabs(it->y1 - it->y0) < 1e-12);
			lines++;
		}
		int finite_refs = 0;
		for (int k = 0; k < nref; k++)
			finite_refs += isfinite(want[k]);
		assert_int_equal(lines, finite_refs);
	}
}

static void bcg_points_and_lines(void **state)
{
	struct sm_render_fx *f = *state;
	const struct sm_res_analysis *a = &f->rdoc->analyses.v[0];
	assert_int_equal(a->studies.n, 13);
	struct sm_fig *fig;
	sm_render_expect_ok(f, lay(f->ctx, f->rdoc, NULL, "120mm", NULL, &fig));
	check_positions(fig, a);
	/* k points in each panel, on the same x in every panel */
	for (int p = 0; p < SM_INFL_NPANELS; p++)
		assert_int_equal(count(fig, SM_IF_POINT, p), 13);
	for (size_t i = 0; i < 13; i++)
		assert_true(fabs(point(fig, SM_IP_HAT, i)->x0 - point(fig, SM_IP_RSTUDENT, i)->x0 -
				 (point(fig, SM_IP_HAT, 0)->x0 - point(fig, SM_IP_RSTUDENT, 0)->x0)) <
			    1e-9);
	/* no study of dat.bcg is influential: circles only */
	for (size_t i = 0; i < fig->nitems; i++)
		if (fig->items[i].tag == SM_IF_POINT)
			assert_int_equal(fig->items[i].marker, SM_MK_CIRCLE);
	const char *cap = caption(fig);
	assert_non_null(cap);
	sm_render_expect_text(cap, "Influential (metafor criteria): none.");
	sm_render_expect_text(cap, "\xc2\xb1" "1.96 (rstudent)");
	sm_render_expect_text(cap, "\xcf\x84\xc2\xb2 = 0.313 (tau2.del)");
	sm_render_expect_text(cap, "QE = 152.23 (QE.del)");
	sm_render_expect_text(cap, "k \xe2\x88\x92 p = 12 (QE.del)");
	/* numbers kept with their labels by no-break spaces */
	sm_render_expect_text(cap, "1\xc2\xa0" "Aronson, 1948; 2\xc2\xa0" "Ferguson & Simes, 1949");
	assert_null(strstr(cap, "Null values"));
	sm_fig_free(fig);
}

static void influential_marked(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_res *mh = sm_render_load_res(MH);
	const struct sm_res_analysis *a = &mh->analyses.v[0];
	assert_int_equal(a->influence_summary.influential.n, 2);
	struct sm_fig *fig;
	sm_render_expect_ok(f, lay(f->ctx, mh, NULL, "85mm", NULL, &fig));
	check_positions(fig, a);
	int diamonds = 0;
	for (size_t i = 0; i < a->studies.n; i++) {
		const struct sm_res_study *s = &a->studies.v[i];
		int named = 0;
		for (size_t j = 0; j < a->influence_summary.influential.n; j++)
			named |= !strcmp(a->influence_summary.influential.v[j], s->label);
		assert_int_equal(named, s->influential == 1);
		for (int p = 0; p < SM_INFL_NPANELS; p++) {
			const struct sm_fig_item *pt = point(fig, p, i);
			if (!pt)
				continue;
			struct sm_rgb want = named ? fig->style->c_diamond : fig->style->c_square;
			assert_int_equal(pt->marker, named ? SM_MK_DIAMOND : SM_MK_CIRCLE);
			assert_true(pt->fc.r == want.r && pt->fc.g == want.g && pt->fc.b == want.b);
			diamonds += named;
		}
	}
	/* two studies in the seven panels with values (tau2.del has none) */
	assert_int_equal(diamonds, 2 * 7);
	assert_int_equal(count(fig, SM_IF_POINT, SM_IP_TAU2_DEL), 0);
	int note = 0;
	for (size_t i = 0; i < fig->ntexts; i++)
		note += fig->texts[i].tag == SM_IF_NOTE &&
			SM_INFL_REF_PANEL(fig->texts[i].ref) == SM_IP_TAU2_DEL;
	assert_int_equal(note, 1);
	const char *cap = caption(fig);
	sm_render_expect_text(cap, "Influential (metafor criteria): Ning et al., 2008; "
			      "Lin et al., 2017 (a) (diamonds).");
	sm_render_expect_text(cap, "Null values, not drawn: tau2.del (13 studies).");
	/* the full model's tau2 is not listed for a panel without values */
	assert_null(strstr(cap, "(tau2.del),"));
	sm_fig_free(fig);
	sm_res_free(mh);
}

static void no_overlap(const struct sm_fig *fig)
{
	struct sm_box page = { 0, 0, fig->width, fig->height };
	for (size_t i = 0; i < fig->ntexts; i++) {
		assert_true(fig->texts[i].st.size >= fig->style->min_size - 1e-9);
		assert_true(sm_render_inside(&fig->texts[i].box, &page));
		for (size_t j = i + 1; j < fig->ntexts; j++)
			if (sm_box_overlap(&fig->texts[i].box, &fig->texts[j].box))
				fail_msg("'%s' overlaps '%s'", fig->texts[i].text, fig->texts[j].text);
	}
	/* no text over a panel's plot area but its note */
	for (size_t i = 0; i < fig->nitems; i++) {
		const struct sm_fig_item *fr = &fig->items[i];
		if (fr->tag != SM_IF_FRAME)
			continue;
		struct sm_box b = { fr->x0, fr->y0, fr->x1, fr->y1 };
		assert_true(sm_render_inside(&b, &page));
		for (size_t t = 0; t < fig->ntexts; t++)
			if (fig->texts[t].tag != SM_IF_NOTE)
				assert_false(sm_box_overlap(&fig->texts[t].box, &b));
	}
}

static int columns(const struct sm_fig *fig)
{
	double xs[SM_INFL_NPANELS];
	int n = 0;
	for (size_t i = 0; i < fig->nitems; i++) {
		if (fig->items[i].tag != SM_IF_FRAME)
			continue;
		int seen = 0;
		for (int j = 0; j < n; j++)
			seen |= fabs(xs[j] - fig->items[i].x0) < 1e-9;
		if (!seen)
			xs[n++] = fig->items[i].x0;
	}
	return n;
}

static void grid_at_widths(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_res *mh = sm_render_load_res(MH);
	const char *widths[] = { "85mm", "120mm", "175mm" };
	const int cols[] = { 2, 2, 4 };
	const char *styles[] = { NULL, "journal" };
	const struct sm_res *docs[] = { f->rdoc, mh, f->rmsc };
	for (int w = 0; w < 3; w++)
		for (int st = 0; st < 2; st++)
			for (int d = 0; d < 3; d++) {
				struct sm_fig *fig;
				const char *an = d == 2 ? "Infections and infestations" : NULL;
				sm_render_expect_ok(f, lay(f->ctx, docs[d], an, widths[w], styles[st],
							   &fig));
				assert_int_equal(columns(fig), cols[w]);
				no_overlap(fig);
				sm_fig_free(fig);
			}
	/* the PDF through the overlap tool, and the same bytes twice */
	struct sm_infl_options o;
	sm_figure_influence.opts_init(&o);
	o.common.width = "85mm";
	char *pdf = sm_asprintf("%s/infl.pdf", f->dir), *a = sm_asprintf("%s/a.png", f->dir),
	     *b = sm_asprintf("%s/b.png", f->dir);
	sm_render_expect_ok(f, sm_figure_render(f->ctx, &sm_figure_influence, mh, &o, pdf));
	sm_render_overlap_tool(pdf);
	char *text = sm_render_pdf_text(pdf, 0);
	sm_render_expect_text(text, "cook.d");
	sm_render_expect_text(text, "Influential (metafor criteria)");
	free(text);
	o.common.dpi = 100;
	sm_render_expect_ok(f, sm_figure_render(f->ctx, &sm_figure_influence, mh, &o, a));
	sm_render_expect_ok(f, sm_figure_render(f->ctx, &sm_figure_influence, mh, &o, b));
	sm_render_same_files(a, b);
	/* PDF fonts embedded, SVG well formed, PNG of the figure's size */
	struct sm_fig *fig;
	sm_render_expect_ok(f, lay(f->ctx, mh, NULL, "85mm", NULL, &fig));
	const char *ext[] = { "pdf", "svg", "png" };
	for (int e = 0; e < 3; e++) {
		char *path = sm_asprintf("%s/fmt.%s", f->dir, ext[e]);
		sm_render_expect_ok(f, sm_fig_write(f->ctx, fig, path, 150));
		free(path);
	}
	sm_render_check_formats(f, "fmt", fig, 150);
	sm_fig_free(fig);
	free(pdf);
	free(a);
	free(b);
	sm_res_free(mh);
}

static void plan_and_errors(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_figure_plan p = { 0 };
	sm_render_expect_ok(f, sm_figure_influence.plan(f->ctx, f->rdoc, &p));
	assert_int_equal(p.n, 1);
	assert_string_equal(p.jobs[0].base, "influence-all");
	assert_string_equal(p.jobs[0].arg, "all");
	sm_figure_plan_release(&p);
	/* the MSC review: every analysis of 3 studies or more, not the one of 2 */
	const char *two = "Hematological or oncological disorders";
	const struct sm_res_analysis *a2 = NULL;
	size_t want = 0;
	for (size_t i = 0; i < f->rmsc->analyses.n; i++) {
		const struct sm_res_analysis *a = &f->rmsc->analyses.v[i];
		want += a->k >= 3 && a->influence_summary.computed == 1;
		if (!strncmp(a->name, two, strlen(two)))
			a2 = a;
	}
	assert_non_null(a2);
	assert_true(a2->k == 2 && a2->influence_summary.computed == 1);
	sm_render_expect_ok(f, sm_figure_influence.plan(f->ctx, f->rmsc, &p));
	assert_int_equal(p.n, want);
	assert_true(want == f->rmsc->analyses.n - 1);
	for (size_t i = 0; i < p.n; i++) {
		assert_true(!strncmp(p.jobs[i].base, "influence-", 10));
		assert_true(strcmp(p.jobs[i].arg, a2->name) != 0);
	}
	sm_figure_plan_release(&p);
	struct sm_fig *fig;
	sm_render_expect_fail(f, lay(f->ctx, f->rmsc, a2->name, NULL, NULL, &fig),
			      "has 2 studies; expected at least 3");
	struct sm_res *k1 = sm_render_load_res(K1);
	sm_render_expect_ok(f, sm_figure_influence.plan(f->ctx, k1, &p));
	assert_int_equal(p.n, 0);
	sm_figure_plan_release(&p);
	sm_render_expect_fail(f, lay(f->ctx, k1, "all", NULL, NULL, &fig),
			      "analysis 'all' has no influence diagnostics");
	sm_render_expect_fail(f, lay(f->ctx, k1, NULL, NULL, NULL, &fig),
			      "no analysis of these results has influence diagnostics");
	sm_render_expect_fail(f, lay(f->ctx, f->rdoc, "nope", NULL, NULL, &fig),
			      "no analysis named 'nope'");
	sm_res_free(k1);
}

static int setup(void **state)
{
	return sm_render_fx_setup_doc(state, BCG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(bcg_points_and_lines, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(influential_marked, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(grid_at_widths, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(plan_and_errors, setup, sm_render_fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
