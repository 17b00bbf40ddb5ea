/* Funnel plots: point geometry, shared axes, content, outliers, formats,
 * determinism, text overlap. */
#include "sm_render_test.h"

#include "sm_buf.h"
#include "sm_canvas.h"
#include "sm_funnel.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GENERAL "General disorders and administration site conditions"

static char *render(struct sm_render_fx *f, const cJSON *r, const struct sm_funnel_opts *o,
		    const char *name)
{
	char *path = sm_asprintf("%s/%s", f->dir, name);
	sm_render_expect_ok(f, sm_funnel_render(f->ctx, r, o, path));
	return path;
}

static const cJSON *analysis(const cJSON *results, const char *name)
{
	const cJSON *a;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(results, "analyses"))
		if (!strcmp(cJSON_GetObjectItemCaseSensitive(a, "name")->valuestring, name))
			return a;
	fail();
	return NULL;
}

/* Our own log-scale mapping, independent of sm_axis. */
static double expect_x(const struct sm_funnel_panel *p, double yi)
{
	double t = (yi - log(p->xa.lo)) / (log(p->xa.hi) - log(p->xa.lo));
	return p->plot.x0 + t * (p->plot.x1 - p->plot.x0);
}

/* Every study of the analysis at its mapped place, imputed ones open. */
static void test_geometry(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_funnel_opts o;
	sm_funnel_opts_init(&o);
	o.analysis = GENERAL;
	struct sm_funnel_layout *l = NULL;
	sm_render_expect_ok(f, sm_funnel_layout(f->ctx, f->msc, &o, &l));
	assert_int_equal(l->npanels, 1);
	assert_true(l->log);
	const struct sm_funnel_panel *p = &l->panels[0];
	const cJSON *a = analysis(f->msc, GENERAL);
	const cJSON *studies = cJSON_GetObjectItemCaseSensitive(a, "studies");
	int k = cJSON_GetArraySize(studies);
	int k0 = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(a, "trimfill"),
						  "k0")->valueint;
	assert_int_equal(k, 36);
	assert_int_equal(k0, 10);
	assert_int_equal((int)p->npts, k + k0);
	double semax = 0;
	for (int i = 0; i < k; i++) {
		const cJSON *s = cJSON_GetArrayItem(studies, i);
		double yi = cJSON_GetObjectItemCaseSensitive(s, "yi")->valuedouble;
		double se = sqrt(cJSON_GetObjectItemCaseSensitive(s, "vi")->valuedouble);
		semax = fmax(semax, se);
		const struct sm_funnel_point *pt = &p->pts[i];
		assert_false(pt->filled);
		sm_check_close(pt->x, expect_x(p, yi), 0, 1e-9, "x of study %d", i);
		double ty = p->plot.y0 + se / p->ya.hi * (p->plot.y1 - p->plot.y0);
		sm_check_close(pt->y, ty, 0, 1e-9, "y of study %d", i);
		assert_true(pt->x >= p->plot.x0 && pt->x <= p->plot.x1);
	}
	/* 0 at the top; the axis ends just below the largest standard error */
	assert_true(p->ya.lo == 0 && p->ya.hi >= semax && p->ya.hi < semax * 1.5);
	int markers = 0, open = 0;
	for (size_t i = 0; i < l->fig->nitems; i++) {
		const struct sm_fig_item *it = &l->fig->items[i];
		if (it->kind != SM_FIG_MARKER || it->tag == SM_FT_LEGEND)
			continue;
		markers++;
		const struct sm_funnel_point *pt = &p->pts[it->ref];
		assert_true(fabs(it->x0 - pt->x) < 1e-9 && fabs(it->y0 - pt->y) < 1e-9);
		assert_int_equal(it->tag == SM_FT_FILLED, pt->filled);
		/* imputed studies are drawn open (white) */
		if (pt->filled) {
			open++;
			assert_true(it->fc.r == 1 && it->fc.g == 1 && it->fc.b == 1);
		}
	}
	assert_int_equal(markers, k + k0);
	assert_int_equal(open, k0);
	/* the estimate line at exp(estimate) */
	double est = cJSON_GetObjectItemCaseSensitive(a, "estimate")->valuedouble;
	int lines = 0;
	for (size_t i = 0; i < l->fig->nitems; i++)
		if (l->fig->items[i].tag == SM_FT_ESTIMATE) {
			lines++;
			sm_check_close(l->fig->items[i].x0, expect_x(p, est), 0, 1e-9, "estimate x");
		}
	assert_int_equal(lines, 1);
	sm_funnel_layout_free(l);
}

/* The pseudo-CI boundary passes through est +- 1.96 se at the bottom. */
static void test_region(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_funnel_opts o;
	sm_funnel_opts_init(&o);
	o.analysis = GENERAL;
	o.contours = 1;
	o.egger_line = 1;
	struct sm_funnel_layout *l = NULL;
	sm_render_expect_ok(f, sm_funnel_layout(f->ctx, f->msc, &o, &l));
	const struct sm_funnel_panel *p = &l->panels[0];
	int paths = 0, wedges = 0, egger = 0;
	for (size_t i = 0; i < l->fig->nitems; i++) {
		const struct sm_fig_item *it = &l->fig->items[i];
		if (it->tag == SM_FT_REGION && it->kind == SM_FIG_PATH) {
			const double *last = &it->pts[2 * (it->npts - 1)];
			double want = p->est + (paths ? 1 : -1) * 1.959964 * p->ya.hi;
			sm_check_close(last[0], expect_x(p, want), 0, 1e-3, "region bottom");
			sm_check_close(last[1], p->plot.y1, 0, 1e-9, "region reaches the bottom");
			sm_check_close(it->pts[0], expect_x(p, p->est), 0, 1e-3, "apex");
			paths++;
		}
		wedges += it->tag == SM_FT_CONTOUR && it->kind == SM_FIG_POLY;
		if (it->tag == SM_FT_EGGER) {
			egger++;
			/* at se = 0 the line is at the Egger limit */
			sm_check_close(it->pts[0], expect_x(p, p->egger_limit), 0, 1e-3, "egger");
		}
	}
	assert_int_equal(paths, 2);
	assert_int_equal(wedges, 3);
	assert_int_equal(egger, 1);
	sm_funnel_layout_free(l);
	/* proportions have no null to centre contours on */
	o.analysis = NULL;
	sm_render_expect_fail(f, sm_funnel_layout(f->ctx, f->sae, &o, &l), "null");
	assert_null(l);
}

/* One titled panel per domain, shared axes, no text problem. */
static void test_multiples(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_funnel_opts o;
	sm_funnel_opts_init(&o);
	o.analysis = "all";
	struct sm_funnel_layout *l = NULL;
	sm_render_expect_ok(f, sm_funnel_layout(f->ctx, f->msc, &o, &l));
	assert_int_equal(l->npanels, 16);
	int titles = 0;
	for (size_t i = 0; i < l->fig->ntexts; i++)
		titles += l->fig->texts[i].tag == SM_FT_TITLE;
	assert_int_equal(titles, 16);
	for (int i = 1; i < l->npanels; i++) {
		assert_true(l->panels[i].xa.lo == l->panels[0].xa.lo);
		assert_true(l->panels[i].ya.hi == l->panels[0].ya.hi);
		for (int j = 0; j < i; j++)
			assert_false(sm_box_overlap(&l->panels[i].plot, &l->panels[j].plot));
	}
	const struct sm_box page = { 0, 0, l->fig->width, l->fig->height };
	for (size_t i = 0; i < l->fig->ntexts; i++)
		assert_true(sm_render_inside(&l->fig->texts[i].box, &page));
	sm_funnel_layout_free(l);
	char *pdf = render(f, f->msc, &o, "all.pdf");
	sm_render_overlap_tool(pdf);
	char *text = sm_render_pdf_text(pdf, 1);
	const cJSON *a;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(f->msc, "analyses")) {
		char *k = sm_asprintf("k = %d", cJSON_GetObjectItemCaseSensitive(a, "k")->valueint);
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
	struct sm_funnel_opts o;
	sm_funnel_opts_init(&o);
	o.analysis = GENERAL;
	o.contours = 1;
	o.ci99 = 1;
	char *pdf = render(f, f->msc, &o, "one.pdf");
	char *text = sm_render_pdf_text(pdf, 1);
	const cJSON *a = analysis(f->msc, GENERAL);
	char want[64];
	snprintf(want, sizeof want, "Egger\xe2\x80\x99s test P = %.2f",
		 cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(a, "egger"),
						  "p")->valuedouble);
	sm_render_expect_text(text, want);
	snprintf(want, sizeof want, "Begg\xe2\x80\x99s test P = %.2f",
		 cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(a, "begg"),
						  "p")->valuedouble);
	sm_render_expect_text(text, want);
	sm_render_expect_text(text, "k = 36");
	sm_render_expect_text(text, "imputed 10");
	sm_render_expect_text(text, "Odds ratio (log scale)");
	sm_render_expect_text(text, "Standard error");
	sm_render_expect_text(text, "Significance contours centred on the null");
	sm_render_expect_text(text, "centred on the pooled estimate");
	sm_render_expect_text(text, "P < 0.01");
	sm_render_expect_text(text, "Pseudo 99%");
	sm_render_overlap_tool(pdf);
	free(text);
	free(pdf);
}

/* A study flagged as outlier is labelled; groups get a legend entry each. */
static void test_outliers_groups(void **state)
{
	struct sm_render_fx *f = *state;
	cJSON *r = cJSON_Duplicate(f->msc, 1);
	cJSON *a = (cJSON *)analysis(r, GENERAL);
	cJSON *s = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(a, "studies"), 3);
	cJSON_ReplaceItemInObjectCaseSensitive(s, "outlier", cJSON_CreateTrue());
	const char *label = cJSON_GetObjectItemCaseSensitive(s, "label")->valuestring;
	struct sm_funnel_opts o;
	sm_funnel_opts_init(&o);
	o.analysis = GENERAL;
	o.group_by = "year";
	struct sm_funnel_layout *l = NULL;
	sm_render_expect_fail(f, sm_funnel_layout(f->ctx, r, &o, &l), "more than");
	o.group_by = "zzz_absent";
	sm_render_expect_ok(f, sm_funnel_layout(f->ctx, r, &o, &l));
	assert_int_equal(l->ngroups, 1);
	int labels = 0;
	for (size_t i = 0; i < l->fig->ntexts; i++)
		if (l->fig->texts[i].tag == SM_FT_LABEL) {
			labels++;
			assert_string_equal(l->fig->texts[i].text, label);
		}
	assert_int_equal(labels, 1);
	sm_funnel_layout_free(l);
	o.label_outliers = 0;
	o.group_by = NULL;
	sm_render_expect_ok(f, sm_funnel_layout(f->ctx, r, &o, &l));
	for (size_t i = 0; i < l->fig->ntexts; i++)
		assert_int_not_equal(l->fig->texts[i].tag, SM_FT_LABEL);
	sm_funnel_layout_free(l);
	cJSON_Delete(r);
}

static void test_formats_determinism(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_funnel_opts o;
	sm_funnel_opts_init(&o);
	o.y = SM_FUNNEL_PRECISION;
	const char *names[] = { "sae.pdf", "sae.svg", "sae.png", "sae2.pdf", "sae2.svg",
				"sae2.png" };
	for (int i = 0; i < 6; i++)
		free(render(f, f->sae, &o, names[i]));
	struct sm_funnel_layout *l = NULL;
	sm_render_expect_ok(f, sm_funnel_layout(f->ctx, f->sae, &o, &l));
	/* precision grows upwards: the most precise study is the highest */
	const struct sm_funnel_panel *p = &l->panels[0];
	size_t best = 0;
	for (size_t i = 1; i < p->npts; i++)
		if (!p->pts[i].filled && p->pts[i].se < p->pts[best].se)
			best = i;
	for (size_t i = 0; i < p->npts; i++)
		assert_true(p->pts[i].y >= p->pts[best].y - 1e-9);
	sm_check_close(l->fig->width, 120 * 72 / 25.4, 0, 1e-6, "default width");
	sm_render_check_formats(f, "sae", l->fig, 300);
	sm_funnel_layout_free(l);
	const char *ext[] = { "pdf", "svg", "png" };
	for (int i = 0; i < 3; i++) {
		char *a = sm_asprintf("%s/sae.%s", f->dir, ext[i]);
		char *b = sm_asprintf("%s/sae2.%s", f->dir, ext[i]);
		sm_render_same_files(a, b);
		free(a);
		free(b);
	}
	char *pdf = sm_asprintf("%s/sae.pdf", f->dir);
	sm_render_overlap_tool(pdf);
	char *text = sm_render_pdf_text(pdf, 1);
	sm_render_expect_text(text, "Precision (1/SE)");
	sm_render_expect_text(text, "Freeman\xe2\x80\x93Tukey transformed proportion");
	free(text);
	free(pdf);
	o.analysis = "nope";
	sm_render_expect_fail(f, sm_funnel_layout(f->ctx, f->sae, &o, &l), "no analysis named");
	o.analysis = NULL;
	sm_render_expect_fail(f, sm_funnel_layout(f->ctx, f->tum, &o, &l), "no analysis");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_geometry, sm_render_fx_setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_region, sm_render_fx_setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_multiples, sm_render_fx_setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_content, sm_render_fx_setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_outliers_groups, sm_render_fx_setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_formats_determinism, sm_render_fx_setup, sm_render_fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
