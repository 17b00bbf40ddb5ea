/* Funnel plots: point geometry, shared axes, content, outliers, formats,
 * determinism, text overlap. */
#include "sm_test.h"

#include "sm_buf.h"
#include "sm_canvas.h"
#include "sm_funnel.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FIX "tests/fixtures/results/"
#define GENERAL "General disorders and administration site conditions"

struct fx {
	struct sm_ctx *ctx;
	cJSON *msc, *sae, *tum, *allo;
	char dir[64];
};

static cJSON *load_json(const char *rel)
{
	char *path = sm_test_path(rel);
	char *text = sm_test_slurp(path);
	cJSON *j = cJSON_Parse(text);
	assert_non_null(j);
	free(text);
	free(path);
	return j;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	f->ctx = sm_ctx_new();
	sm_ctx_set_home(f->ctx, getenv("SAFEMETA_HOME") ? getenv("SAFEMETA_HOME") : ".");
	sm_ctx_set_epoch(f->ctx, 1700000000);
	f->msc = load_json(FIX "msc-iv-rct.results.json");
	f->sae = load_json(FIX "iv-sae-70.results.json");
	f->tum = load_json(FIX "tumorigenicity.results.json");
	f->allo = load_json(FIX "allogeneic-review.results.json");
	strcpy(f->dir, "/tmp/sm_fig_XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char *cmd = sm_asprintf("rm -rf %s", f->dir);
	if (system(cmd) != 0)
		print_error("cannot remove %s\n", f->dir);
	free(cmd);
	cJSON_Delete(f->msc);
	cJSON_Delete(f->sae);
	cJSON_Delete(f->tum);
	cJSON_Delete(f->allo);
	sm_ctx_free(f->ctx);
	free(f);
	return 0;
}

static void expect_ok(struct fx *f, sm_status s)
{
	if (s != SM_OK) {
		char *m = sm_diag_format(sm_ctx_error(f->ctx));
		print_error("render failed: %s\n", m ? m : "?");
		free(m);
	}
	assert_int_equal(s, SM_OK);
}

static void expect_fail(struct fx *f, sm_status s, const char *words)
{
	assert_int_equal(s, SM_EINPUT);
	const struct sm_diag *d = sm_ctx_error(f->ctx);
	assert_non_null(d);
	if (!strstr(d->msg, words)) {
		print_error("message \"%s\" lacks \"%s\"\n", d->msg, words);
		fail();
	}
	sm_ctx_clear_error(f->ctx);
}

static char *run_ok(const char *cmd)
{
	char *out = NULL, *err = NULL;
	int st = sm_test_run(cmd, &out, &err);
	if (st != 0)
		print_error("`%s` exited %d: %s%s\n", cmd, st, out, err);
	assert_int_equal(st, 0);
	free(err);
	return out;
}

/* Runs of white space (no-break spaces too) become one space. */
static void squeeze(char *s)
{
	char *w = s;
	int sp = 0;
	for (char *r = s; *r; r++) {
		int nb = (unsigned char)r[0] == 0xc2 && (unsigned char)r[1] == 0xa0;
		int is = nb || *r == ' ' || *r == '\n' || *r == '\t' || *r == '\f';
		if (nb)
			r++;
		if (is && sp)
			continue;
		*w++ = is ? ' ' : *r;
		sp = is;
	}
	*w = 0;
}

static char *pdf_text(const char *pdf)
{
	char *cmd = sm_asprintf("pdftotext -layout '%s' -", pdf);
	char *out = run_ok(cmd);
	free(cmd);
	squeeze(out);
	return out;
}

static void expect_text(const char *hay, const char *needle)
{
	if (!strstr(hay, needle)) {
		print_error("\"%s\" not in the PDF text:\n%s\n", needle, hay);
		fail();
	}
}

static void overlap_tool(const char *pdf)
{
	char *tool = sm_test_path("tests/tools/pdf-text-overlap");
	char *cmd = sm_asprintf("python3 '%s' '%s'", tool, pdf);
	free(run_ok(cmd));
	free(cmd);
	free(tool);
}

static unsigned long be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | p[2] << 8 | p[3];
}

/* PDF fonts embedded, SVG well formed, PNG of the figure's size. */
static void check_formats(struct fx *f, const char *base, const struct sm_fig *fig, double dpi)
{
	char *pdf = sm_asprintf("%s/%s.pdf", f->dir, base);
	char *cmd = sm_asprintf("pdffonts '%s'", pdf);
	char *out = run_ok(cmd);
	int fonts = 0;
	for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
		if (!strncmp(line, "name", 4) || !strncmp(line, "----", 4))
			continue;
		fonts++;
		if (!strstr(line, " yes yes ")) {
			print_error("font not embedded and subset: %s\n", line);
			fail();
		}
	}
	assert_true(fonts >= 1);
	free(out);
	free(cmd);
	cmd = sm_asprintf("xmllint --noout '%s/%s.svg'", f->dir, base);
	free(run_ok(cmd));
	free(cmd);
	char *png = sm_asprintf("%s/%s.png", f->dir, base);
	char *data = NULL;
	size_t len = 0;
	assert_int_equal(sm_read_file(png, 0, &data, &len), 0);
	assert_true(len > 24);
	const unsigned char *u = (const unsigned char *)data;
	assert_memory_equal(u + 12, "IHDR", 4);
	assert_int_equal(be32(u + 16), sm_canvas_px(fig->width, dpi));
	assert_int_equal(be32(u + 20), sm_canvas_px(fig->height, dpi));
	free(data);
	free(png);
	free(pdf);
}

static void same_files(const char *a, const char *b)
{
	char *cmd = sm_asprintf("cmp '%s' '%s'", a, b);
	free(run_ok(cmd));
	free(cmd);
}

/* Every text of a tag lies inside the given box. */
static int inside(const struct sm_box *in, const struct sm_box *out)
{
	return in->x0 >= out->x0 - 0.01 && in->x1 <= out->x1 + 0.01 && in->y0 >= out->y0 - 0.01 &&
	       in->y1 <= out->y1 + 0.01;
}

/* ASan: fontconfig keeps the system configuration until exit. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

static char *render(struct fx *f, const cJSON *r, const struct sm_funnel_opts *o,
		    const char *name)
{
	char *path = sm_asprintf("%s/%s", f->dir, name);
	expect_ok(f, sm_funnel_render(f->ctx, r, o, path));
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
	struct fx *f = *state;
	struct sm_funnel_opts o;
	sm_funnel_opts_init(&o);
	o.analysis = GENERAL;
	struct sm_funnel_layout *l = NULL;
	expect_ok(f, sm_funnel_layout(f->ctx, f->msc, &o, &l));
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
	struct fx *f = *state;
	struct sm_funnel_opts o;
	sm_funnel_opts_init(&o);
	o.analysis = GENERAL;
	o.contours = 1;
	o.egger_line = 1;
	struct sm_funnel_layout *l = NULL;
	expect_ok(f, sm_funnel_layout(f->ctx, f->msc, &o, &l));
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
	expect_fail(f, sm_funnel_layout(f->ctx, f->sae, &o, &l), "null");
	assert_null(l);
}

/* One titled panel per domain, shared axes, no text problem. */
static void test_multiples(void **state)
{
	struct fx *f = *state;
	struct sm_funnel_opts o;
	sm_funnel_opts_init(&o);
	o.analysis = "all";
	struct sm_funnel_layout *l = NULL;
	expect_ok(f, sm_funnel_layout(f->ctx, f->msc, &o, &l));
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
		assert_true(inside(&l->fig->texts[i].box, &page));
	sm_funnel_layout_free(l);
	char *pdf = render(f, f->msc, &o, "all.pdf");
	overlap_tool(pdf);
	char *text = pdf_text(pdf);
	const cJSON *a;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(f->msc, "analyses")) {
		char *k = sm_asprintf("k = %d", cJSON_GetObjectItemCaseSensitive(a, "k")->valueint);
		expect_text(text, k);
		free(k);
	}
	expect_text(text, "Neoplasms benign");
	free(text);
	free(pdf);
}

/* The annotation gives k, the Egger and Begg P values, k0. */
static void test_content(void **state)
{
	struct fx *f = *state;
	struct sm_funnel_opts o;
	sm_funnel_opts_init(&o);
	o.analysis = GENERAL;
	o.contours = 1;
	o.ci99 = 1;
	char *pdf = render(f, f->msc, &o, "one.pdf");
	char *text = pdf_text(pdf);
	const cJSON *a = analysis(f->msc, GENERAL);
	char want[64];
	snprintf(want, sizeof want, "Egger\xe2\x80\x99s test P = %.2f",
		 cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(a, "egger"),
						  "p")->valuedouble);
	expect_text(text, want);
	snprintf(want, sizeof want, "Begg\xe2\x80\x99s test P = %.2f",
		 cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(a, "begg"),
						  "p")->valuedouble);
	expect_text(text, want);
	expect_text(text, "k = 36");
	expect_text(text, "imputed 10");
	expect_text(text, "Odds ratio (log scale)");
	expect_text(text, "Standard error");
	expect_text(text, "Significance contours centred on the null");
	expect_text(text, "centred on the pooled estimate");
	expect_text(text, "P < 0.01");
	expect_text(text, "Pseudo 99%");
	overlap_tool(pdf);
	free(text);
	free(pdf);
}

/* A study flagged as outlier is labelled; groups get a legend entry each. */
static void test_outliers_groups(void **state)
{
	struct fx *f = *state;
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
	expect_fail(f, sm_funnel_layout(f->ctx, r, &o, &l), "more than");
	o.group_by = "zzz_absent";
	expect_ok(f, sm_funnel_layout(f->ctx, r, &o, &l));
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
	expect_ok(f, sm_funnel_layout(f->ctx, r, &o, &l));
	for (size_t i = 0; i < l->fig->ntexts; i++)
		assert_int_not_equal(l->fig->texts[i].tag, SM_FT_LABEL);
	sm_funnel_layout_free(l);
	cJSON_Delete(r);
}

static void test_formats_determinism(void **state)
{
	struct fx *f = *state;
	struct sm_funnel_opts o;
	sm_funnel_opts_init(&o);
	o.y = SM_FUNNEL_PRECISION;
	const char *names[] = { "sae.pdf", "sae.svg", "sae.png", "sae2.pdf", "sae2.svg",
				"sae2.png" };
	for (int i = 0; i < 6; i++)
		free(render(f, f->sae, &o, names[i]));
	struct sm_funnel_layout *l = NULL;
	expect_ok(f, sm_funnel_layout(f->ctx, f->sae, &o, &l));
	/* precision grows upwards: the most precise study is the highest */
	const struct sm_funnel_panel *p = &l->panels[0];
	size_t best = 0;
	for (size_t i = 1; i < p->npts; i++)
		if (!p->pts[i].filled && p->pts[i].se < p->pts[best].se)
			best = i;
	for (size_t i = 0; i < p->npts; i++)
		assert_true(p->pts[i].y >= p->pts[best].y - 1e-9);
	sm_check_close(l->fig->width, 120 * 72 / 25.4, 0, 1e-6, "default width");
	check_formats(f, "sae", l->fig, 300);
	sm_funnel_layout_free(l);
	const char *ext[] = { "pdf", "svg", "png" };
	for (int i = 0; i < 3; i++) {
		char *a = sm_asprintf("%s/sae.%s", f->dir, ext[i]);
		char *b = sm_asprintf("%s/sae2.%s", f->dir, ext[i]);
		same_files(a, b);
		free(a);
		free(b);
	}
	char *pdf = sm_asprintf("%s/sae.pdf", f->dir);
	overlap_tool(pdf);
	char *text = pdf_text(pdf);
	expect_text(text, "Precision (1/SE)");
	expect_text(text, "Freeman\xe2\x80\x93Tukey transformed proportion");
	free(text);
	free(pdf);
	o.analysis = "nope";
	expect_fail(f, sm_funnel_layout(f->ctx, f->sae, &o, &l), "no analysis named");
	o.analysis = NULL;
	expect_fail(f, sm_funnel_layout(f->ctx, f->tum, &o, &l), "no analysis");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_geometry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_region, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multiples, setup, teardown),
		cmocka_unit_test_setup_teardown(test_content, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outliers_groups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_formats_determinism, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
