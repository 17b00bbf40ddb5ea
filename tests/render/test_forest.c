/* Forest plots: content, geometry, formats, determinism, pagination. */
#include "sm_render_test.h"

#include "sm_axis.h"
#include "sm_buf.h"
#include "sm_canvas.h"
#include "sm_fmt.h"
#include "sm_forest.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SAMPLE "tests/fixtures/render/results-sample.json"
/* Real output of `safemeta analyze` on the reviews in data/. */
#define MSC "tests/fixtures/results/msc-iv-rct.results.json"
#define PROP "tests/fixtures/results/iv-sae-70.results.json"
/* The "SAEs deaths" analysis of `safemeta analyze data/msc-iv-rct.json
 * --method MH` (and --method PETO), alone. */
#define MH "tests/fixtures/render/msc-saes-mh.results.json"
#define PETO "tests/fixtures/render/msc-saes-peto.results.json"
#define GENERAL "General disorders and administration site conditions"

struct fx {
	struct sm_ctx *ctx;
	cJSON *sample, *msc;
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
	f->sample = load_json(SAMPLE);
	f->msc = load_json(MSC);
	strcpy(f->dir, "/tmp/sm_render_XXXXXX");
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
	cJSON_Delete(f->sample);
	cJSON_Delete(f->msc);
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
	sm_ctx_clear_warnings(f->ctx);
}

static char *render(struct fx *f, const cJSON *results, const char *analysis,
		    const char *name)
{
	struct sm_forest_opts o;
	sm_forest_opts_init(&o);
	o.analysis = analysis;
	char *path = sm_asprintf("%s/%s", f->dir, name);
	expect_ok(f, sm_forest_render(f->ctx, results, &o, path));
	return path;
}

/* Run a command; return its stdout (caller frees) and check the status. */
/* All runs of white space become one space. */
static void squeeze(char *s)
{
	char *w = s;
	int sp = 0;
	for (char *r = s; *r; r++) {
		int is = *r == ' ' || *r == '\n' || *r == '\t' || *r == '\f';
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
	char *out = sm_render_run_ok(cmd);
	free(cmd);
	squeeze(out);
	return out;
}

static double num(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* Our own formatting of the expected strings, independent of the plot. */
static char *fmt2(double x)
{
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%.2f", fabs(x));
	return sm_asprintf("%s%s", x < 0 && strcmp(tmp, "0.00") ? "\xe2\x88\x92" : "", tmp);
}

static const char *name_of(const cJSON *a)
{
	return cJSON_GetObjectItemCaseSensitive(a, "name")->valuestring;
}

/* Layout holds a text that is exactly `s` (wrapped or not). */
static int has_text(const struct sm_flayout *l, const char *s)
{
	for (size_t i = 0; i < l->ntexts; i++)
		if (!strcmp(l->texts[i].text, s))
			return 1;
	return 0;
}

static struct sm_flayout *layout_of(struct fx *f, const cJSON *res, const char *an,
				    const char *width, int paginate);

/* The numbers of a study row in the PDF text; its label, which may wrap,
 * in the layout. */
static void expect_study(const char *text, const struct sm_flayout *lay, const cJSON *s)
{
	const char *label = cJSON_GetObjectItemCaseSensitive(s, "label")->valuestring;
	if (!has_text(lay, label)) {
		print_error("label \"%s\" not in the layout\n", label);
		fail();
	}
	char *e = fmt2(exp(num(s, "yi"))), *l = fmt2(exp(num(s, "ci_lb")));
	char *u = fmt2(exp(num(s, "ci_ub")));
	char *want = sm_asprintf(" %.0f %.0f %.0f %.0f %.1f%% %s [%s, %s]", num(s, "ai"),
				 num(s, "n1i"), num(s, "ci"), num(s, "n2i"),
				 num(s, "weight"), e, l, u);
	sm_render_expect_text(text, want);
	free(want);
	free(e);
	free(l);
	free(u);
}

static const cJSON *analysis(const cJSON *results, int i)
{
	return cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(results, "analyses"), i);
}

static void test_content(void **state)
{
	struct fx *f = *state;
	const cJSON *a = analysis(f->sample, 1);
	char *pdf = render(f, f->sample, "SAEs deaths", "content.pdf");
	char *text = pdf_text(pdf);
	struct sm_flayout *lay = layout_of(f, f->sample, "SAEs deaths", NULL, 1);
	const cJSON *s;
	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(a, "studies"))
		expect_study(text, lay, s);
	sm_flayout_free(lay);
	const cJSON *tr = cJSON_GetObjectItemCaseSensitive(a, "transformed");
	char *e = fmt2(num(tr, "estimate")), *l = fmt2(num(tr, "ci_lb"));
	char *u = fmt2(num(tr, "ci_ub")), *pl = fmt2(num(tr, "pi_lb"));
	char *pu = fmt2(num(tr, "pi_ub"));
	char *want = sm_asprintf("Random effects (DL) %s [%s, %s]", e, l, u);
	sm_render_expect_text(text, want);
	free(want);
	want = sm_asprintf("Prediction interval [%s, %s]", pl, pu);
	sm_render_expect_text(text, want);
	free(want);
	char *z = fmt2(num(a, "stat"));
	want = sm_asprintf("Heterogeneity: \xcf\x84\xc2\xb2 = %.2f; Q = %.2f, df = %.0f "
			   "(P = %.2f); I\xc2\xb2 = %.0f%%", num(a, "tau2"), num(a, "Q"),
			   num(a, "Q_df"), num(a, "Q_p"), num(a, "I2"));
	sm_render_expect_text(text, want);
	free(want);
	want = sm_asprintf("Test for overall effect: Z = %s (P = %.2f)", z, num(a, "p"));
	sm_render_expect_text(text, want);
	free(want);
	sm_render_expect_text(text, "Total events 25 45");
	sm_render_expect_text(text, "Favours MSC");
	sm_render_expect_text(text, "Favours Control");
	sm_render_expect_text(text, "Common effect (inverse variance)");
	sm_render_expect_text(text, "safemeta " SM_VERSION);
	sm_render_expect_text(text, "DerSimonian\xe2\x80\x93Laird");
	sm_render_expect_text(text, "\xc3\x81lvaro-Gracia et al., 2017");
	free(e), free(l), free(u), free(pl), free(pu), free(z);
	free(text);
	free(pdf);
}

static void test_content_excluded_and_subgroups(void **state)
{
	struct fx *f = *state;
	char *pdf = render(f, f->sample, "all", "subgroups.pdf");
	char *text = pdf_text(pdf);
	sm_render_expect_text(text, "Hepatobiliary disorders");
	sm_render_expect_text(text, "Fern\xc3\xa1ndez et al., 2019 0 21 0 20 Not estimable");
	sm_render_expect_text(text, "Not pooled: Fern\xc3\xa1ndez et al., 2019 (no events in either arm)");
	sm_render_expect_text(text, "Subtotal (95% CI)");
	sm_render_expect_text(text, "Test for subgroup differences: Q = 0.44, df = 1 (P = 0.51)");
	free(text);
	free(pdf);
}

static void test_content_summary(void **state)
{
	struct fx *f = *state;
	char *pdf = render(f, f->msc, "summary", "summary.pdf");
	char *text = pdf_text(pdf);
	struct sm_flayout *l = layout_of(f, f->msc, "summary", NULL, 1);
	const cJSON *a;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(f->msc, "analyses")) {
		/* Long domain names wrap, so the name is checked in the layout and
		 * the numbers, which stay on the row's first line, in the PDF. */
		if (!has_text(l, name_of(a))) {
			print_error("domain \"%s\" not in the summary\n", name_of(a));
			fail();
		}
		const cJSON *tr = cJSON_GetObjectItemCaseSensitive(a, "transformed");
		const cJSON *tot = cJSON_GetObjectItemCaseSensitive(a, "totals");
		char *e = fmt2(num(tr, "estimate")), *lo = fmt2(num(tr, "ci_lb"));
		char *u = fmt2(num(tr, "ci_ub"));
		char *want = sm_asprintf("%.0f %.0f %.0f %.0f %.0f %.0f%% %s [%s, %s]",
					 num(a, "k"), num(tot, "events_t"), num(tot, "n_t"),
					 num(tot, "events_c"), num(tot, "n_c"), num(a, "I2"),
					 e, lo, u);
		sm_render_expect_text(text, want);
		free(want);
		free(e), free(lo), free(u);
	}
	sm_flayout_free(l);
	free(text);
	free(pdf);
}

static int check_layout(const struct sm_flayout *l)
{
	const struct sm_axis *a = &l->axis;
	int squares = 0;
	double ratio = NAN;
	for (size_t i = 0; i < l->nmarks; i++) {
		const struct sm_fmark *m = &l->marks[i];
		if (m->kind == SM_MARK_SQUARE) {
			squares++;
			sm_check_close(m->cx, sm_axis_map(a, m->est), 0, 0.1, "square %zu x", i);
			/* area proportional to weight: side^2 / weight constant */
			if (m->size > 1.5 + 1e-9 && isfinite(m->weight)) {
				double r = m->size * m->size / m->weight;
				if (isnan(ratio))
					ratio = r;
				sm_check_close(r, ratio, 1e-9, 0, "square %zu area/weight", i);
			}
		} else if (m->kind == SM_MARK_DIAMOND) {
			sm_check_close(m->cx, sm_axis_map(a, m->est), 0, 0.1, "diamond %zu centre", i);
			sm_check_close(m->x0, sm_axis_map(a, m->lb), 0, 0.1, "diamond %zu lower", i);
			sm_check_close(m->x1, sm_axis_map(a, m->ub), 0, 0.1, "diamond %zu upper", i);
		} else if (m->kind == SM_MARK_CI) {
			if (!m->arrow_lo)
				sm_check_close(m->x0, sm_axis_map(a, m->lb), 0, 0.1, "ci %zu lower", i);
			if (!m->arrow_hi)
				sm_check_close(m->x1, sm_axis_map(a, m->ub), 0, 0.1, "ci %zu upper", i);
			assert_true(m->arrow_lo == (m->lb < a->lo));
			assert_true(m->arrow_hi == (m->ub > a->hi));
		}
	}
	for (size_t i = 0; i < l->ntexts; i++) {
		const struct sm_ftext *t = &l->texts[i];
		if (t->box.x0 < -0.01 || t->box.y0 < -0.01 || t->box.x1 > l->width + 0.01 ||
		    t->box.y1 > l->height + 0.01) {
			print_error("text \"%s\" leaves the page\n", t->text);
			fail();
		}
		for (size_t j = i + 1; j < l->ntexts; j++)
			if (l->texts[j].page == t->page && sm_box_overlap(&t->box, &l->texts[j].box)) {
				print_error("\"%s\" overlaps \"%s\"\n", t->text, l->texts[j].text);
				fail();
			}
	}
	return squares;
}

static struct sm_flayout *layout_of(struct fx *f, const cJSON *res, const char *an,
				    const char *width, int paginate)
{
	struct sm_forest_opts o;
	sm_forest_opts_init(&o);
	o.analysis = an;
	o.width = width;
	struct sm_flayout *l = NULL;
	expect_ok(f, sm_forest_layout(f->ctx, res, &o, paginate, &l));
	return l;
}

static void test_geometry(void **state)
{
	struct fx *f = *state;
	const char *names[] = { "SAEs deaths", "Hepatobiliary disorders", "all" };
	for (int i = 0; i < 3; i++) {
		struct sm_flayout *l = layout_of(f, f->sample, names[i], NULL, 1);
		int squares = check_layout(l);
		assert_true(squares >= 5);
		sm_flayout_free(l);
	}
	/* every MSC domain, at two widths */
	const cJSON *a;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(f->msc, "analyses")) {
		const char *name = cJSON_GetObjectItemCaseSensitive(a, "name")->valuestring;
		struct sm_flayout *l = layout_of(f, f->msc, name, "double", 1);
		assert_int_equal(check_layout(l), (int)num(a, "k"));
		sm_flayout_free(l);
	}
	struct sm_flayout *l = layout_of(f, f->msc, "summary", "double", 0);
	check_layout(l);
	sm_flayout_free(l);
}

/* Log axis: ticks symmetric around 1 and mapped monotonically. */
static void test_axis(void **state)
{
	(void)state;
	struct sm_axis a = { 0 };
	sm_axis_fit(&a, 1, 0.06, 3.6);
	sm_check_close(a.lo, 0.05, 1e-12, 0, "lo");
	sm_check_close(a.hi, 20, 1e-12, 0, "hi");
	a.x0 = 100, a.x1 = 300;
	sm_check_close(sm_axis_map(&a, 1), 200, 1e-12, 0, "1 in the middle");
	sm_check_close(sm_axis_map(&a, 20), 300, 1e-12, 0, "hi end");
	while (sm_axis_thin(&a))
		;
	assert_int_equal(a.nticks, 3); /* 0.05, 1, 20 stay */
	sm_axis_fit(&a, 0, -0.13, 0.04);
	sm_check_close(a.lo, -0.2, 1e-12, 0, "linear lo");
	sm_check_close(a.hi, 0.2, 1e-12, 0, "linear hi");
}

static unsigned long be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | p[2] << 8 | p[3];
}

static void test_formats(void **state)
{
	struct fx *f = *state;
	char *pdf = render(f, f->sample, "SAEs deaths", "fmt.pdf");
	char *cmd = sm_asprintf("pdffonts '%s'", pdf);
	char *out = sm_render_run_ok(cmd);
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
	assert_true(fonts >= 2);
	free(out);
	free(cmd);

	char *svg = render(f, f->sample, "SAEs deaths", "fmt.svg");
	cmd = sm_asprintf("xmllint --noout '%s'", svg);
	free(sm_render_run_ok(cmd));
	free(cmd);

	struct sm_forest_opts o;
	sm_forest_opts_init(&o);
	o.analysis = "SAEs deaths";
	o.width = "single";
	o.columns = "study,effect";
	o.wrap_labels = 1;
	const double dpis[] = { 300, 150 };
	for (int i = 0; i < 2; i++) {
		o.dpi = dpis[i];
		char *png = sm_asprintf("%s/fmt%d.png", f->dir, i);
		expect_ok(f, sm_forest_render(f->ctx, f->sample, &o, png));
		char *data = NULL;
		size_t len = 0;
		assert_int_equal(sm_read_file(png, 0, &data, &len), 0);
		assert_true(len > 24);
		const unsigned char *u = (const unsigned char *)data;
		assert_memory_equal(u + 12, "IHDR", 4);
		/* 85 mm at the DPI, rounded to whole pixels */
		assert_int_equal(be32(u + 16), lround(85 / 25.4 * dpis[i]));
		struct sm_flayout *l = NULL;
		expect_ok(f, sm_forest_layout(f->ctx, f->sample, &o, 0, &l));
		assert_int_equal(be32(u + 20), sm_canvas_px(l->height, dpis[i]));
		sm_flayout_free(l);
		free(data);
		free(png);
	}
	free(svg);
	free(pdf);
}

static void same_bytes(struct fx *f, const char *ext)
{
	char *a = sm_asprintf("one.%s", ext), *b = sm_asprintf("two.%s", ext);
	char *pa = render(f, f->sample, "all", a), *pb = render(f, f->sample, "all", b);
	char *cmd = sm_asprintf("cmp '%s' '%s'", pa, pb);
	free(sm_render_run_ok(cmd));
	free(cmd), free(a), free(b), free(pa), free(pb);
}

static void test_determinism(void **state)
{
	struct fx *f = *state;
	same_bytes(f, "pdf");
	same_bytes(f, "svg");
	same_bytes(f, "png");
}

static void png_width_is(const char *png, long px)
{
	char *data = NULL;
	size_t len = 0;
	assert_int_equal(sm_read_file(png, 0, &data, &len), 0);
	assert_true(len > 24);
	const unsigned char *u = (const unsigned char *)data;
	assert_memory_equal(u + 12, "IHDR", 4);
	assert_int_equal(be32(u + 16), px);
	free(data);
}

/* Every MSC domain and the summary forest, at the default width (175 mm),
 * in all three formats: clean PDF text, valid SVG, PNG of the right size. */
static void test_msc_every_format(void **state)
{
	struct fx *f = *state;
	const cJSON *a;
	int i = 0, n = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(f->msc, "analyses"));
	assert_int_equal(n, 16);
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(f->msc, "analyses")) {
		for (int v = 0; v < 1 + (i == n - 1); v++, i++) {
			const char *an = v ? "summary" : name_of(a);
			char *names[3] = { sm_asprintf("msc%d.pdf", i), sm_asprintf("msc%d.svg", i),
					   sm_asprintf("msc%d.png", i) };
			char *pdf = render(f, f->msc, an, names[0]);
			char *svg = render(f, f->msc, an, names[1]);
			char *png = render(f, f->msc, an, names[2]);
			sm_render_overlap_tool(pdf);
			char *cmd = sm_asprintf("xmllint --noout '%s'", svg);
			free(sm_render_run_ok(cmd));
			free(cmd);
			png_width_is(png, lround(175 / 25.4 * 300));
			for (int k = 0; k < 3; k++)
				free(names[k]);
			free(pdf), free(svg), free(png);
		}
	}
	assert_int_equal(i, 17);
	char *pdf = render(f, f->sample, "all", "subgroups.pdf");
	sm_render_overlap_tool(pdf);
	free(pdf);
}

/* The event names of "General disorders" (up to 76 characters) wrap at the
 * style's font size instead of failing; text columns read left-aligned,
 * number columns right-aligned. */
static void test_wrap_label2(void **state)
{
	struct fx *f = *state;
	struct sm_flayout *l = layout_of(f, f->msc, GENERAL, NULL, 1);
	sm_check_close(l->size_used, 8, 0, 1e-9, "font size kept");
	check_layout(l);
	const cJSON *a = NULL;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(f->msc, "analyses"))
		if (!strcmp(name_of(a), GENERAL))
			break;
	assert_non_null(a);
	double ev_x0 = NAN, w_x1 = NAN, lab_x0 = NAN;
	int wrapped = 0, events = 0;
	const cJSON *s;
	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(a, "studies")) {
		const char *ev = cJSON_GetObjectItemCaseSensitive(s, "event")->valuestring;
		const char *lab = cJSON_GetObjectItemCaseSensitive(s, "label")->valuestring;
		char *w = sm_asprintf("%.1f%%", num(s, "weight"));
		for (size_t i = 0; i < l->ntexts; i++) {
			const struct sm_ftext *t = &l->texts[i];
			if (!strcmp(t->text, ev)) {
				events++;
				if (isnan(ev_x0))
					ev_x0 = t->box.x0;
				sm_check_close(t->box.x0, ev_x0, 0, 1e-6, "\"%s\" left edge", ev);
				if (t->wrap > 0) {
					wrapped++;
					assert_true(t->box.x1 - t->box.x0 <= t->wrap + 1e-6);
				}
			} else if (!strcmp(t->text, lab)) {
				if (isnan(lab_x0))
					lab_x0 = t->box.x0;
				sm_check_close(t->box.x0, lab_x0, 0, 1e-6, "\"%s\" left edge", lab);
			} else if (!strcmp(t->text, w)) {
				if (isnan(w_x1))
					w_x1 = t->box.x1;
				sm_check_close(t->box.x1, w_x1, 0, 1e-6, "\"%s\" right edge", w);
			}
		}
		free(w);
	}
	assert_true(events >= 36);
	assert_true(wrapped > 0);
	/* The longest event name takes more than one line. */
	int tall = 0;
	for (size_t i = 0; i < l->ntexts; i++)
		tall |= strlen(l->texts[i].text) > 70 && l->texts[i].box.y1 - l->texts[i].box.y0 >
			2 * l->role[SM_ROLE_BODY].size;
	assert_true(tall);
	assert_true(lab_x0 < ev_x0 && ev_x0 < w_x1);
	sm_flayout_free(l);
	/* At 120 mm all columns cannot fit (the error test below); without
	 * the counts they do, wrapped. */
	struct sm_forest_opts o;
	sm_forest_opts_init(&o);
	o.analysis = GENERAL;
	o.width = "onehalf";
	o.columns = "study,label2,weight,effect";
	expect_ok(f, sm_forest_layout(f->ctx, f->msc, &o, 1, &l));
	check_layout(l);
	sm_flayout_free(l);
}

/* When nothing can make the plot fit, an error says so and what to do. */
static void test_too_narrow(void **state)
{
	struct fx *f = *state;
	struct sm_forest_opts o;
	sm_forest_opts_init(&o);
	o.analysis = GENERAL;
	o.width = "45mm";
	struct sm_flayout *l = NULL;
	assert_int_equal(sm_forest_layout(f->ctx, f->msc, &o, 1, &l), SM_EINPUT);
	assert_null(l);
	const struct sm_diag *d = sm_ctx_error(f->ctx);
	assert_non_null(d);
	assert_non_null(strstr(d->msg, "does not fit in 45 mm"));
	assert_non_null(strstr(d->msg, "expected a wider --width or fewer --columns"));
	sm_ctx_clear_error(f->ctx);
	sm_ctx_clear_warnings(f->ctx);
}

/* 70 single-arm studies pooled as Freeman-Tukey proportions: the display
 * scale, a linear axis from 0, events/total of the one group. */
static void test_proportions(void **state)
{
	struct fx *f = *state;
	cJSON *res = load_json(PROP);
	const cJSON *a = analysis(res, 0);
	struct sm_flayout *l = layout_of(f, res, NULL, NULL, 1);
	assert_int_equal(check_layout(l), 70);
	const struct sm_axis *ax = &l->axis;
	assert_false(ax->log);
	sm_check_close(ax->lo, 0, 0, 1e-12, "axis from 0");
	assert_true(ax->hi > 0 && ax->hi <= 1);
	sm_check_close(ax->ticks[0], 0, 0, 1e-12, "first tick");
	assert_true(ax->nticks >= 3);
	/* Squares sit at the back-transformed proportions. */
	size_t k = 0;
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(a, "studies")->child;
	for (size_t i = 0; i < l->nmarks && s; i++)
		if (l->marks[i].kind == SM_MARK_SQUARE) {
			const cJSON *tr = cJSON_GetObjectItemCaseSensitive(s, "transformed");
			sm_check_close(l->marks[i].est, num(tr, "yi"), 0, 1e-12, "square %zu", k);
			s = s->next, k++;
		}
	assert_int_equal(k, 70);
	for (size_t i = 0; i < l->nmarks; i++)
		assert_true(l->marks[i].kind != SM_MARK_NULL);
	assert_true(has_text(l, "Proportion"));
	assert_false(has_text(l, "Control"));
	assert_false(has_text(l, "Treatment"));
	sm_flayout_free(l);

	char *pdf = render(f, res, NULL, "prop.pdf");
	sm_render_overlap_tool(pdf);
	char *text = pdf_text(pdf);
	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(a, "studies")) {
		const cJSON *tr = cJSON_GetObjectItemCaseSensitive(s, "transformed");
		char *e = fmt2(num(tr, "yi")), *lo = fmt2(num(tr, "ci_lb"));
		char *u = fmt2(num(tr, "ci_ub"));
		char *want = sm_asprintf("%s %.0f %.0f %.1f%% %s [%s, %s]",
					 cJSON_GetObjectItemCaseSensitive(s, "label")->valuestring,
					 num(s, "xi"), num(s, "ni"), num(s, "weight"), e, lo, u);
		sm_render_expect_text(text, want);
		free(want);
		free(e), free(lo), free(u);
	}
	const cJSON *tr = cJSON_GetObjectItemCaseSensitive(a, "transformed");
	const cJSON *tot = cJSON_GetObjectItemCaseSensitive(a, "totals");
	char *e = fmt2(num(tr, "estimate")), *lo = fmt2(num(tr, "ci_lb"));
	char *u = fmt2(num(tr, "ci_ub"));
	char *want = sm_asprintf("Random effects (DL) %s [%s, %s]", e, lo, u);
	sm_render_expect_text(text, want);
	free(want);
	want = sm_asprintf("Total events %.0f", num(tot, "events_t"));
	sm_render_expect_text(text, want);
	free(want);
	sm_render_expect_text(text, "Freeman\xe2\x80\x93Tukey");
	assert_null(strstr(text, "Favours"));
	free(e), free(lo), free(u);
	free(text);
	free(pdf);
	cJSON_Delete(res);
}

/* Mantel-Haenszel and Peto analyses: the pooled row is that estimate and
 * says so; the method line names it. */
static void test_mh_peto(void **state)
{
	struct fx *f = *state;
	const char *files[] = { MH, PETO };
	const char *names[] = { "Mantel\xe2\x80\x93Haenszel", "Peto" };
	for (int i = 0; i < 2; i++) {
		cJSON *res = load_json(files[i]);
		const cJSON *a = analysis(res, 0);
		const cJSON *tr = cJSON_GetObjectItemCaseSensitive(a, "transformed");
		char *pdf = render(f, res, NULL, i ? "peto.pdf" : "mh.pdf");
		sm_render_overlap_tool(pdf);
		char *text = pdf_text(pdf);
		char *e = fmt2(num(tr, "estimate")), *lo = fmt2(num(tr, "ci_lb"));
		char *u = fmt2(num(tr, "ci_ub"));
		char *want = sm_asprintf("Common effect (%s) %.0f %.0f 100.0%% %s [%s, %s]",
					 names[i], num(cJSON_GetObjectItemCaseSensitive(a, "totals"),
						       "n_t"),
					 num(cJSON_GetObjectItemCaseSensitive(a, "totals"), "n_c"),
					 e, lo, u);
		sm_render_expect_text(text, want);
		free(want);
		want = sm_asprintf("common-effect model (%s)", names[i]);
		sm_render_expect_text(text, want);
		free(want);
		/* One pooled row only, and no prediction interval. */
		assert_null(strstr(text, "Random effects"));
		assert_null(strstr(text, "Prediction interval"));
		assert_null(strstr(text, "\xcf\x84\xc2\xb2 ="));
		struct sm_flayout *l = layout_of(f, res, NULL, NULL, 1);
		int diamonds = 0;
		for (size_t m = 0; m < l->nmarks; m++)
			diamonds += l->marks[m].kind == SM_MARK_DIAMOND;
		assert_int_equal(diamonds, 1);
		check_layout(l);
		sm_flayout_free(l);
		free(e), free(lo), free(u);
		free(text);
		free(pdf);
		cJSON_Delete(res);
	}
}

/* Hundreds of studies: pages, each with the header and an axis. */
static void test_pagination(void **state)
{
	struct fx *f = *state;
	cJSON *big = cJSON_Duplicate(f->msc, 1);
	cJSON *analyses = cJSON_GetObjectItemCaseSensitive(big, "analyses");
	cJSON *first = cJSON_GetArrayItem(analyses, 0);
	cJSON *studies = cJSON_GetObjectItemCaseSensitive(first, "studies");
	cJSON *a;
	cJSON_ArrayForEach(a, analyses) {
		if (a == first)
			continue;
		cJSON *s;
		cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(a, "studies"))
			cJSON_AddItemToArray(studies, cJSON_Duplicate(s, 1));
	}
	int n = cJSON_GetArraySize(studies);
	assert_true(n > 200);
	const char *name = cJSON_GetObjectItemCaseSensitive(first, "name")->valuestring;
	char *pdf = render(f, big, name, "long.pdf");
	sm_render_overlap_tool(pdf);
	struct sm_flayout *l = layout_of(f, big, name, NULL, 1);
	assert_true(l->npages >= 3);
	assert_true(l->height <= 250 / 25.4 * 72 + 0.01);
	int heads = 0, axes = 0, squares = check_layout(l);
	for (size_t i = 0; i < l->ntexts; i++)
		heads += !strcmp(l->texts[i].text, "Study");
	for (size_t i = 0; i < l->nmarks; i++)
		axes += l->marks[i].kind == SM_MARK_AXIS;
	assert_int_equal(heads, l->npages);
	assert_int_equal(axes, l->npages);
	assert_int_equal(squares, n);
	char *cmd = sm_asprintf("pdfinfo '%s' | grep -c '^Pages: *%d$'", pdf, l->npages);
	free(sm_render_run_ok(cmd));
	free(cmd);
	sm_flayout_free(l);
	free(pdf);
	cJSON_Delete(big);
}

/* Under ASan: fontconfig loads the system configuration once per process
 * (cairo's FreeType backend asks for it) and keeps it until exit. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_axis),
		cmocka_unit_test_setup_teardown(test_content, setup, teardown),
		cmocka_unit_test_setup_teardown(test_content_excluded_and_subgroups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_content_summary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_geometry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_formats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_determinism, setup, teardown),
		cmocka_unit_test_setup_teardown(test_msc_every_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrap_label2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_narrow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_proportions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mh_peto, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pagination, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
