/* Forest plots: content, geometry, formats, determinism, pagination. */
#include "sm_render_test.h"

#include "sm_axis.h"
#include "sm_buf.h"
#include "sm_canvas.h"
#include "sm_fmt.h"
#include "sm_forest.h"
#include "sm_rob.h"

#include <cairo.h>

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
/* A made-up updated review: RoB 2 with overall judgements, one study not
 * assessed, a five-column PRISMA diagram. */
#define UPDATED "tests/fixtures/results/updated-review.results.json"

struct fx {
	struct sm_ctx *ctx;
	cJSON *sample, *msc;
	char dir[64];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	f->ctx = sm_ctx_new();
	sm_ctx_set_home(f->ctx, getenv("SAFEMETA_HOME") ? getenv("SAFEMETA_HOME") : ".");
	sm_ctx_set_epoch(f->ctx, 1700000000);
	f->sample = sm_render_load_json(SAMPLE);
	f->msc = sm_render_load_json(MSC);
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

/* Each page's texts and marks are the run the page index gives it. */
static void check_pages(const struct sm_flayout *l)
{
	assert_true(l->npages >= 1);
	assert_int_equal(l->page_text[0], 0);
	assert_int_equal(l->page_mark[0], 0);
	assert_int_equal(l->page_text[l->npages], l->ntexts);
	assert_int_equal(l->page_mark[l->npages], l->nmarks);
	for (int p = 0; p < l->npages; p++) {
		/* every page has its header texts and at least its axis */
		assert_true(l->page_text[p] < l->page_text[p + 1]);
		assert_true(l->page_mark[p] < l->page_mark[p + 1]);
		for (size_t i = l->page_text[p]; i < l->page_text[p + 1]; i++)
			assert_int_equal(l->texts[i].page, p);
		for (size_t i = l->page_mark[p]; i < l->page_mark[p + 1]; i++)
			assert_int_equal(l->marks[i].page, p);
	}
}

static int check_layout(const struct sm_flayout *l)
{
	const struct sm_axis *a = &l->axis;
	check_pages(l);
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
	cJSON *res = sm_render_load_json(PROP);
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
		cJSON *res = sm_render_load_json(files[i]);
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

/* The MSC results with the studies of every analysis added to the first;
 * its name and study count in *name and *n. */
static cJSON *many_studies(struct fx *f, const char **name, int *n)
{
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
	*n = cJSON_GetArraySize(studies);
	assert_true(*n > 200);
	*name = cJSON_GetObjectItemCaseSensitive(first, "name")->valuestring;
	return big;
}

/* Hundreds of studies: pages, each with the header and an axis. */
static void test_pagination(void **state)
{
	struct fx *f = *state;
	const char *name;
	int n;
	cJSON *big = many_studies(f, &name, &n);
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

/* Risk-of-bias columns ------------------------------------------------- */

static const cJSON *jget(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static const cJSON *rob_of(const cJSON *res)
{
	return jget(jget(res, "review"), "risk_of_bias");
}

static const cJSON *judgement_of(const cJSON *res, const char *id)
{
	const cJSON *j;
	cJSON_ArrayForEach(j, jget(rob_of(res), "judgments"))
		if (!strcmp(jget(j, "study")->valuestring, id))
			return j;
	return NULL;
}

/* The levels of sm_rob.h for the words of RoB 1 and RoB 2; -1 for null. */
static int level_of_word(const cJSON *v)
{
	static const struct { const char *w; int level; } words[] = {
		{ "low", SM_ROB_LOW }, { "unclear", SM_ROB_UNCLEAR },
		{ "some concerns", SM_ROB_SOME }, { "high", SM_ROB_HIGH },
	};
	for (size_t i = 0; cJSON_IsString(v) && i < sizeof words / sizeof words[0]; i++)
		if (!strcmp(v->valuestring, words[i].w))
			return words[i].level;
	assert_true(v == NULL || cJSON_IsNull(v));
	return -1;
}

static const char *symbol_of(int level)
{
	return level == SM_ROB_LOW ? "+" : level == SM_ROB_UNCLEAR ? "?"
	       : level == SM_ROB_SOME ? "!" : "\xe2\x88\x92";
}

static const struct sm_ftext *text_at(const struct sm_flayout *l, int page, const char *s,
				      double cx)
{
	for (size_t i = 0; i < l->ntexts; i++) {
		const struct sm_ftext *t = &l->texts[i];
		if (t->page == page && !strcmp(t->text, s) &&
		    fabs((t->box.x0 + t->box.x1) / 2 - cx) < 0.1)
			return t;
	}
	return NULL;
}

/* The circle of study row `row`, column `d`, as the review judged it:
 * on the row's square (or interval), under its head, right of the graph,
 * with the level's symbol on it (none when not judged). */
static void check_circle(const struct sm_flayout *l, const struct sm_fmark *m,
			 const cJSON *j, int nd)
{
	int d = m->col;
	const cJSON *v = d < nd ? cJSON_GetArrayItem(jget(j, "values"), d) : jget(j, "overall");
	assert_int_equal(m->level, level_of_word(v));
	const struct sm_fmark *on = NULL;
	for (size_t i = 0; i < l->nmarks; i++)
		if (l->marks[i].row == m->row && (l->marks[i].kind == SM_MARK_SQUARE ||
						  (!on && l->marks[i].kind == SM_MARK_CI)))
			on = &l->marks[i];
	assert_non_null(on);
	assert_int_equal(on->page, m->page);
	sm_check_close(m->cy, on->cy, 0, 0.1, "row %d circle %d y", m->row, d);
	char head[16];
	snprintf(head, sizeof head, "D%d", d + 1);
	if (!text_at(l, m->page, d < nd ? head : "Overall", m->cx)) {
		print_error("no head over the circle of row %d column %d\n", m->row, d);
		fail();
	}
	assert_true(m->cx - m->size / 2 > l->axis.x1);
	assert_true(m->cx + m->size / 2 <= l->width);
	int symbols = 0;
	for (size_t i = 0; i < l->ntexts; i++) {
		const struct sm_ftext *t = &l->texts[i];
		if (t->role != SM_ROLE_SYMBOL || t->page != m->page ||
		    fabs((t->box.x0 + t->box.x1) / 2 - m->cx) > 0.01 ||
		    fabs((t->box.y0 + t->box.y1) / 2 - m->cy) > 0.01)
			continue;
		symbols++;
		assert_string_equal(t->text, symbol_of(m->level));
		assert_true(t->coloured);
	}
	assert_int_equal(symbols, m->level >= 0);
}

/* Rows are the analysis' studies in input order: a study with a judgement
 * has one circle per column, a study without one none.  Returns the
 * number of circles. */
static int check_rob(const struct sm_flayout *l, const cJSON *res, const cJSON *a, int ncols)
{
	int nd = cJSON_GetArraySize(jget(rob_of(res), "domains")), row = 0, circles = 0;
	const cJSON *s;
	assert_true(l->axis.x1 - l->axis.x0 >= 30 / 25.4 * 72 - 1e-6);
	cJSON_ArrayForEach(s, jget(a, "studies")) {
		const cJSON *j = judgement_of(res, jget(s, "study_id")->valuestring);
		int per_col[16] = { 0 }, n = 0;
		for (size_t i = 0; i < l->nmarks; i++) {
			const struct sm_fmark *m = &l->marks[i];
			if (m->kind != SM_MARK_ROB || m->row != row)
				continue;
			assert_non_null(j);
			assert_true(m->col >= 0 && m->col < ncols);
			per_col[m->col]++;
			check_circle(l, m, j, nd);
			n++;
		}
		assert_int_equal(n, j ? ncols : 0);
		for (int d = 0; j && d < ncols; d++)
			assert_int_equal(per_col[d], 1);
		circles += n;
		row++;
	}
	return circles;
}

static struct sm_flayout *rob_layout(struct fx *f, const cJSON *res, const char *an,
				     int paginate)
{
	struct sm_forest_opts o;
	sm_forest_opts_init(&o);
	o.analysis = an;
	o.rob = 1;
	struct sm_flayout *l = NULL;
	expect_ok(f, sm_forest_layout(f->ctx, res, &o, paginate, &l));
	check_layout(l);
	return l;
}

static const cJSON *analysis_named(const cJSON *res, const char *name)
{
	const cJSON *a;
	cJSON_ArrayForEach(a, jget(res, "analyses"))
		if (!strcmp(name_of(a), name))
			return a;
	fail();
	return NULL;
}

/* Pixel (x, y) in points of a PNG at `dpi`, as 0xRRGGBB. */
static unsigned pixel(cairo_surface_t *png, double x, double y, double dpi)
{
	int px = (int)lround(x * dpi / 72), py = (int)lround(y * dpi / 72);
	assert_true(px >= 0 && py >= 0 && px < cairo_image_surface_get_width(png) &&
		    py < cairo_image_surface_get_height(png));
	const unsigned char *row = cairo_image_surface_get_data(png) +
				   (size_t)py * (size_t)cairo_image_surface_get_stride(png);
	uint32_t v;
	memcpy(&v, row + 4 * (size_t)px, 4);
	return v & 0xFFFFFF;
}

/* Within `tol` in every channel. */
static int near_rgb(unsigned a, unsigned b, int tol)
{
	for (int sh = 0; sh < 24; sh += 8)
		if (abs((int)((a >> sh) & 255) - (int)((b >> sh) & 255)) > tol)
			return 0;
	return 1;
}

/* The circles' fills in the PNG: Okabe-Ito green for low, yellow for
 * unclear, vermillion for high. */
static void check_colours(struct fx *f, const cJSON *res, const struct sm_flayout *l)
{
	struct sm_forest_opts o;
	sm_forest_opts_init(&o);
	o.analysis = GENERAL;
	o.rob = 1;
	o.dpi = 150;
	char *path = sm_asprintf("%s/rob-colours.png", f->dir);
	expect_ok(f, sm_forest_render(f->ctx, res, &o, path));
	cairo_surface_t *png = cairo_image_surface_create_from_png(path);
	assert_int_equal(cairo_surface_status(png), CAIRO_STATUS_SUCCESS);
	cairo_surface_flush(png);
	static const unsigned fill[] = { 0x009E73, 0xF0E442, 0xF0E442, 0xD55E00 };
	int seen[4] = { 0 };
	for (size_t i = 0; i < l->nmarks; i++) {
		const struct sm_fmark *m = &l->marks[i];
		if (m->kind != SM_MARK_ROB || m->level < 0)
			continue;
		/* Right of the symbol, inside the outline. */
		unsigned got = pixel(png, m->cx + 0.3 * m->size, m->cy, 150);
		if (!near_rgb(got, fill[m->level], 4)) {
			print_error("circle of row %d column %d is #%06X, expected #%06X\n", m->row,
				    m->col, got, fill[m->level]);
			fail();
		}
		seen[m->level] = 1;
	}
	assert_true(seen[SM_ROB_LOW] && seen[SM_ROB_UNCLEAR] && seen[SM_ROB_HIGH]);
	cairo_surface_destroy(png);
	free(path);
}

/* MSC "General disorders": seven RoB 1 columns beside the forest, every
 * study judged; keys and legend under the plot; the figure stays 175 mm
 * wide and its graph keeps its minimum width. */
static void test_rob_columns(void **state)
{
	struct fx *f = *state;
	const cJSON *a = analysis_named(f->msc, GENERAL);
	struct sm_flayout *l = rob_layout(f, f->msc, GENERAL, 0);
	sm_check_close(l->width, 175 / 25.4 * 72, 1e-12, 0, "width");
	assert_int_equal(check_rob(l, f->msc, a, 7), 36 * 7);
	assert_true(has_text(l, "Risk of bias"));
	for (int d = 1; d <= 7; d++) {
		char head[8];
		snprintf(head, sizeof head, "D%d", d);
		assert_true(has_text(l, head));
	}
	assert_false(has_text(l, "Overall"));
	int legend = 0;
	for (size_t i = 0; i < l->nmarks; i++)
		legend += l->marks[i].kind == SM_MARK_ROB && l->marks[i].row < 0;
	assert_int_equal(legend, 3); /* low, unclear, high */
	check_colours(f, f->msc, l);
	sm_flayout_free(l);
	/* paginated (PDF) the circles stay on their rows' pages */
	l = rob_layout(f, f->msc, GENERAL, 1);
	assert_true(l->npages >= 2);
	assert_int_equal(check_rob(l, f->msc, a, 7), 36 * 7);
	sm_flayout_free(l);

	struct sm_forest_opts o;
	sm_forest_opts_init(&o);
	o.analysis = GENERAL;
	o.rob = 1;
	char *pdf = sm_asprintf("%s/rob.pdf", f->dir);
	expect_ok(f, sm_forest_render(f->ctx, f->msc, &o, pdf));
	sm_render_overlap_tool(pdf);
	char *text = sm_render_pdf_text(pdf, 0);
	const cJSON *d;
	int i = 1;
	cJSON_ArrayForEach(d, jget(rob_of(f->msc), "domains")) {
		char *key = sm_asprintf("D%d: %s", i++, d->valuestring);
		sm_render_expect_text(text, key);
		free(key);
	}
	sm_render_expect_text(text, "Low risk of bias");
	sm_render_expect_text(text, "Unclear risk of bias");
	sm_render_expect_text(text, "High risk of bias");
	free(text);
	free(pdf);
}

/* A study without a judgement gets empty cells; a domain not assessed an
 * empty ring without a symbol, named in the legend. */
static void test_rob_missing(void **state)
{
	struct fx *f = *state;
	cJSON *res = cJSON_Duplicate(f->msc, 1);
	cJSON *js = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(res, "review"),
						 "risk_of_bias"), "judgments");
	int k = 0;
	cJSON *j;
	cJSON_ArrayForEach(j, js) {
		const char *id = jget(j, "study")->valuestring;
		if (!strcmp(id, "hare2009"))
			cJSON_ReplaceItemInArray(cJSON_GetObjectItemCaseSensitive(j, "values"), 2,
						 cJSON_CreateNull());
		if (!strcmp(id, "lee2010"))
			break;
		k++;
	}
	assert_non_null(j);
	cJSON_DeleteItemFromArray(js, k);
	const cJSON *a = analysis_named(res, GENERAL);
	struct sm_flayout *l = rob_layout(f, res, GENERAL, 0);
	/* lee2010 has one row in this analysis */
	assert_int_equal(check_rob(l, res, a, 7), 35 * 7);
	int rings = 0;
	for (size_t i = 0; i < l->nmarks; i++)
		rings += l->marks[i].kind == SM_MARK_ROB && l->marks[i].level < 0 &&
			 l->marks[i].row >= 0;
	assert_int_equal(rings, 2); /* hare2009 (a) and (b), D3 */
	assert_true(has_text(l, "Not assessed"));
	sm_flayout_free(l);
	cJSON_Delete(res);
}

/* RoB 2 with an overall column; one study never assessed. */
static void test_rob_overall(void **state)
{
	struct fx *f = *state;
	cJSON *res = sm_render_load_json(UPDATED);
	struct sm_flayout *l = rob_layout(f, res, NULL, 1);
	assert_int_equal(check_rob(l, res, analysis(res, 0), 6), 4 * 6);
	assert_true(has_text(l, "Overall"));
	assert_true(has_text(l, "Some concerns"));
	assert_true(has_text(l, "Not assessed")); /* Costa et al., D3 */
	sm_flayout_free(l);
	char *pdf = sm_asprintf("%s/rob2.pdf", f->dir);
	struct sm_forest_opts o;
	sm_forest_opts_init(&o);
	o.rob = 1;
	expect_ok(f, sm_forest_render(f->ctx, res, &o, pdf));
	sm_render_overlap_tool(pdf);
	char *text = sm_render_pdf_text(pdf, 0);
	sm_render_expect_text(text, "D5: Selection of the reported result");
	free(text);
	free(pdf);
	cJSON_Delete(res);
}

/* No judgements, or no study rows: a clear error. */
static void test_rob_errors(void **state)
{
	struct fx *f = *state;
	struct sm_forest_opts o;
	sm_forest_opts_init(&o);
	o.rob = 1;
	struct sm_flayout *l = NULL;
	assert_int_equal(sm_forest_layout(f->ctx, f->sample, &o, 1, &l), SM_EINPUT);
	assert_null(l);
	assert_string_equal(sm_ctx_error(f->ctx)->msg, "the results have no risk-of-bias "
			    "judgments; expected review.risk_of_bias");
	sm_ctx_clear_error(f->ctx);
	o.analysis = "summary";
	assert_int_equal(sm_forest_layout(f->ctx, f->msc, &o, 1, &l), SM_EINPUT);
	assert_non_null(strstr(sm_ctx_error(f->ctx)->msg, "need study rows"));
	sm_ctx_clear_error(f->ctx);
}

/* Widths beyond the largest poster are refused, saying the bound. */
static void test_width_limit(void **state)
{
	struct fx *f = *state;
	struct sm_forest_opts o;
	sm_forest_opts_init(&o);
	o.width = "10000mm";
	struct sm_flayout *l = NULL;
	assert_int_equal(sm_forest_layout(f->ctx, f->sample, &o, 1, &l), SM_EINPUT);
	assert_null(l);
	assert_string_equal(sm_ctx_error(f->ctx)->msg, "figure width 10000 mm is too wide; "
			    "expected at most 1200 mm");
	sm_ctx_clear_error(f->ctx);
	o.width = "1200mm";
	o.analysis = "SAEs deaths";
	expect_ok(f, sm_forest_layout(f->ctx, f->sample, &o, 1, &l));
	sm_check_close(l->width, 1200 / 25.4 * 72, 1e-12, 0, "widest");
	sm_flayout_free(l);
}

/* Drawing ------------------------------------------------------------- */

static unsigned rgb_of(struct sm_rgb c)
{
	return (unsigned)lround(c.r * 255) << 16 | (unsigned)lround(c.g * 255) << 8 |
	       (unsigned)lround(c.b * 255);
}

/* The pixel holding the point (x, y) pt, unlike pixel(), which takes the
 * one nearest in its corner: a thin line covers it in full. */
static unsigned pixel_at(cairo_surface_t *img, double x, double y, double dpi)
{
	return pixel(img, floor(x * dpi / 72) * 72 / dpi, floor(y * dpi / 72) * 72 / dpi, dpi);
}

/* An x on the interval's line clear of its square, its arrow heads and the
 * null line at nx, or NAN when it has no such stretch. */
static double bare_x(const struct sm_fmark *m, const struct sm_fmark *sq, double nx)
{
	double lo = m->x0 + 8, hi = m->x1 - 8; /* past arrow heads and caps */
	double cut0 = hi, cut1 = hi;
	if (sq) {
		cut0 = sq->cx - sq->size / 2 - 1;
		cut1 = sq->cx + sq->size / 2 + 1;
	}
	double spans[2][2] = { { lo, fmin(hi, cut0) }, { fmax(lo, cut1), hi } };
	for (int i = 0; i < 2; i++)
		for (double x = spans[i][0]; x <= spans[i][1]; x += 1)
			if (fabs(x - nx) > 2)
				return x;
	return NAN;
}

/* A page of the PDF rasterised: every square, diamond and interval of the
 * layout's page is there, in its colour, where the layout put it. */
static int check_page_marks(struct fx *f, const char *pdf, const struct sm_flayout *l, int page,
			    const struct sm_style *st)
{
	const double dpi = 300;
	char *png = sm_asprintf("%s/page%d", f->dir, page);
	char *cmd = sm_asprintf("pdftoppm -r %g -f %d -l %d -png -singlefile '%s' '%s'", dpi,
				page + 1, page + 1, pdf, png);
	free(sm_render_run_ok(cmd));
	free(cmd);
	char *file = sm_asprintf("%s.png", png);
	cairo_surface_t *img = cairo_image_surface_create_from_png(file);
	assert_int_equal(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
	cairo_surface_flush(img);
	const struct sm_fmark *m = l->marks + l->page_mark[page], *end = l->marks +
									 l->page_mark[page + 1];
	double nx = NAN;
	for (const struct sm_fmark *k = m; k < end; k++)
		if (k->kind == SM_MARK_NULL)
			nx = k->x0;
	int seen = 0;
	for (const struct sm_fmark *k = m; k < end; k++) {
		unsigned want = 0, got = 0;
		if (k->kind == SM_MARK_SQUARE || k->kind == SM_MARK_DIAMOND) {
			want = rgb_of(k->kind == SM_MARK_SQUARE ? st->c_square : st->c_diamond);
			got = pixel_at(img, k->cx, k->cy, dpi);
		} else if (k->kind == SM_MARK_CI || k->kind == SM_MARK_PI) {
			const struct sm_fmark *sq = k + 1 < end && k[1].kind == SM_MARK_SQUARE
						    ? k + 1 : NULL;
			double x = bare_x(k, sq, nx);
			if (isnan(x))
				continue;
			want = rgb_of(k->kind == SM_MARK_CI ? st->c_ci : st->c_pi);
			got = pixel_at(img, x, k->cy, dpi);
		} else {
			continue;
		}
		/* thin lines are anti-aliased */
		if (!near_rgb(got, want, 32)) {
			print_error("page %d: mark %d of row %d is #%06X, expected #%06X\n",
				    page + 1, (int)k->kind, k->row, got, want);
			fail();
		}
		seen++;
	}
	cairo_surface_destroy(img);
	free(file);
	free(png);
	return seen;
}

/* The top left pixel of page 1 of a PDF rasterised keeping transparency,
 * as 0xAARRGGBB. */
static uint32_t pdf_corner(struct fx *f, const char *pdf)
{
	char *png = sm_asprintf("%s/corner", f->dir);
	char *cmd = sm_asprintf("pdftocairo -png -transp -singlefile -r 20 -f 1 -l 1 '%s' '%s'",
				pdf, png);
	free(sm_render_run_ok(cmd));
	free(cmd);
	char *file = sm_asprintf("%s.png", png);
	cairo_surface_t *img = cairo_image_surface_create_from_png(file);
	assert_int_equal(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
	cairo_surface_flush(img);
	uint32_t v;
	memcpy(&v, cairo_image_surface_get_data(img), 4);
	cairo_surface_destroy(img);
	free(file);
	free(png);
	return v;
}

/* A long forest in PDF: its first, second and last pages carry their own
 * squares, intervals and diamonds (each page is drawn from its part of the
 * layout, each kind of mark in one go), on an opaque white ground. */
static void test_draw_pages(void **state)
{
	struct fx *f = *state;
	const char *name;
	int n;
	cJSON *big = many_studies(f, &name, &n);
	char *pdf = render(f, big, name, "pages.pdf");
	struct sm_flayout *l = layout_of(f, big, name, NULL, 1);
	struct sm_style *st = sm_style_load(f->ctx, NULL);
	assert_non_null(st);
	assert_true(l->npages >= 3);
	const int pages[] = { 0, 1, l->npages - 1 };
	for (int i = 0; i < 3; i++)
		assert_true(check_page_marks(f, pdf, l, pages[i], st) >= 10);
	assert_int_equal(pdf_corner(f, pdf), 0xFFFFFFFFu);
	sm_style_free(st);
	sm_flayout_free(l);
	free(pdf);
	cJSON_Delete(big);
}

/* A PNG that could only be too tall is refused before the plot is laid
 * out, with a height no larger than the real one (rows of one line here,
 * so that the bound is near it). */
static void test_png_too_tall(void **state)
{
	struct fx *f = *state;
	const char *name;
	int n;
	cJSON *big = many_studies(f, &name, &n);
	struct sm_forest_opts o;
	sm_forest_opts_init(&o);
	o.analysis = name;
	o.columns = "study,effect";
	o.dpi = 2400;
	char *png = sm_asprintf("%s/tall.png", f->dir);
	assert_int_equal(sm_forest_render(f->ctx, big, &o, png), SM_EINPUT);
	const char *msg = sm_ctx_error(f->ctx)->msg;
	long w = 0, h = 0;
	int used = 0;
	assert_int_equal(sscanf(msg, "PNG of %ld x at least %ld px at 2400 dpi is too large; %n",
				&w, &h, &used), 2);
	assert_true(used > 0);
	assert_string_equal(msg + used, "expected at most 32767 px a side (use PDF for long "
			    "plots or a lower --dpi)");
	assert_int_equal(w, lround(175 / 25.4 * 2400));
	assert_true(h > 32767);
	assert_int_not_equal(access(png, F_OK), 0);
	sm_ctx_clear_error(f->ctx);
	struct sm_flayout *l = NULL;
	expect_ok(f, sm_forest_layout(f->ctx, big, &o, 0, &l));
	long real = sm_canvas_px(l->height, 2400);
	if (!(h <= real && h > real / 2)) {
		print_error("bound %ld px for a PNG %ld px tall\n", h, real);
		fail();
	}
	sm_flayout_free(l);
	free(png);
	cJSON_Delete(big);
}

/* Under ASan: fontconfig loads the system configuration once per process
 * (cairo's FreeType backend asks for it) and keeps it until exit. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

static void expect_error_words(struct sm_ctx *ctx, const char *part)
{
	const struct sm_diag *d = sm_ctx_error(ctx);
	assert_non_null(d);
	if (!strstr(d->msg, part)) {
		print_error("error \"%s\" lacks \"%s\"\n", d->msg, part);
		fail();
	}
	sm_ctx_clear_error(ctx);
}

/* A style naming a font we do not ship stops the render; nothing written. */
static void test_render_errors(void **state)
{
	struct fx *f = *state;
	struct sm_ctx *ctx = f->ctx;
	const cJSON *res = f->sample;
	char *style = sm_asprintf("%s/helvetica.style.json", f->dir);
	FILE *sf = fopen(style, "w");
	assert_non_null(sf);
	fputs("{\"font\": {\"family\": \"Helvetica\"}}", sf);
	fclose(sf);
	struct sm_forest_opts o;
	sm_forest_opts_init(&o);
	o.style = style;
	const char *out = "/tmp/sm_render_error_test.pdf";
	unlink(out);
	assert_int_equal(sm_forest_render(ctx, res, &o, out), SM_EINPUT);
	expect_error_words(ctx, "\"Helvetica\" not found");
	assert_int_equal(access(out, F_OK), -1);
	o.style = NULL;
	o.analysis = "Cardiac disorders";
	assert_int_equal(sm_forest_render(ctx, res, &o, out), SM_EINPUT);
	expect_error_words(ctx, "no analysis named \"Cardiac disorders\"");
	o.analysis = NULL;
	assert_int_equal(sm_forest_render(ctx, res, &o, "/tmp/x.jpg"), SM_EINPUT);
	expect_error_words(ctx, ".pdf, .svg or .png");
	o.columns = "study,pvalue";
	assert_int_equal(sm_forest_render(ctx, res, &o, out), SM_EINPUT);
	expect_error_words(ctx, "unknown column");
	o.columns = NULL;
	o.width = "single";
	assert_int_equal(sm_forest_render(ctx, res, &o, out), SM_EINPUT);
	expect_error_words(ctx, "does not fit in 85 mm");
	sm_ctx_set_home(ctx, "/nonexistent");
	o.width = NULL;
	assert_int_equal(sm_forest_render(ctx, res, &o, out), SM_EINPUT);
	assert_non_null(sm_ctx_error(ctx));
	unlink(style);
	free(style);
	sm_ctx_set_home(ctx, getenv("SAFEMETA_HOME") ? getenv("SAFEMETA_HOME") : ".");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_render_errors, setup, teardown),
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
		cmocka_unit_test_setup_teardown(test_rob_columns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rob_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rob_overall, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rob_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_width_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_draw_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_png_too_tall, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
