/* Risk-of-bias figures: one circle per judgement at its cell, symbols,
 * summary shares, domain keys, sizes that grow with the studies. */
#include "sm_test.h"

#include "sm_buf.h"
#include "sm_canvas.h"
#include "sm_rob.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FIX "tests/fixtures/results/"

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
	char *cmd = sm_asprintf("pdftotext -raw '%s' -", pdf);
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

static struct sm_rob_layout *layout(struct fx *f, const cJSON *r, const struct sm_rob_opts *o)
{
	struct sm_rob_layout *l = NULL;
	expect_ok(f, sm_rob_layout(f->ctx, r, o, &l));
	/* no text over text, nothing off the page */
	const struct sm_box page = { 0, 0, l->fig->width, l->fig->height };
	for (size_t i = 0; i < l->fig->ntexts; i++) {
		assert_true(inside(&l->fig->texts[i].box, &page));
		for (size_t j = 0; j < i; j++)
			assert_false(sm_box_overlap(&l->fig->texts[i].box, &l->fig->texts[j].box));
	}
	return l;
}

static const char *word_of(int level)
{
	static const char *const w[] = { "low", "unclear", "some", "high", "critical", "noinfo" };
	return level >= 0 ? w[level] : NULL;
}

/* Cells: the judgement of the review file, a circle at the cell with the
 * right symbol on it; the shares of the summary bars. */
static void test_msc_cells(void **state)
{
	struct fx *f = *state;
	struct sm_rob_opts o;
	sm_rob_opts_init(&o);
	struct sm_rob_layout *l = layout(f, f->msc, &o);
	const cJSON *rob = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(f->msc, "review"), "risk_of_bias");
	const cJSON *js = cJSON_GetObjectItemCaseSensitive(rob, "judgments");
	assert_int_equal(l->nstudies, 36);
	assert_int_equal(l->ndomains, 7);
	assert_false(l->overall_shown);
	int low[7] = { 0 };
	for (int i = 0; i < l->nstudies; i++) {
		const cJSON *vals = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(js, i),
								    "values");
		for (int d = 0; d < 7; d++) {
			const char *want = cJSON_GetArrayItem(vals, d)->valuestring;
			int c = i * 7 + d;
			assert_string_equal(word_of(l->level[c]), want);
			low[d] += !strcmp(want, "low");
			if (d > 0)
				assert_true(l->cx[c] - l->cx[c - 1] >= 2 * l->radius);
			if (i > 0)
				assert_true(l->cy[c] - l->cy[c - 7] >= 2 * l->radius);
		}
	}
	int cells = 0, symbols = 0;
	for (size_t i = 0; i < l->fig->nitems; i++) {
		const struct sm_fig_item *it = &l->fig->items[i];
		if (it->tag != SM_RT_CELL)
			continue;
		cells++;
		assert_true(it->x0 == l->cx[it->ref] && it->y0 == l->cy[it->ref]);
	}
	for (size_t i = 0; i < l->fig->ntexts; i++) {
		const struct sm_fig_text *t = &l->fig->texts[i];
		if (t->tag != SM_RT_SYMBOL)
			continue;
		symbols++;
		const char *want = l->level[t->ref] == SM_ROB_LOW ? "+"
				   : l->level[t->ref] == SM_ROB_UNCLEAR ? "?" : "\xe2\x88\x92";
		assert_string_equal(t->text, want);
		/* centred on its circle */
		sm_check_close((t->box.x0 + t->box.x1) / 2, l->cx[t->ref], 0, 1e-6, "symbol x");
		sm_check_close((t->box.y0 + t->box.y1) / 2, l->cy[t->ref], 0, 1e-6, "symbol y");
	}
	assert_int_equal(cells, 36 * 7);
	assert_int_equal(symbols, 36 * 7);
	for (int d = 0; d < 7; d++) {
		sm_check_close(l->share[d * SM_ROB_NLEVELS + SM_ROB_LOW], low[d] / 36.0, 1e-12, 0,
			       "share low D%d", d + 1);
		double sum = 0;
		for (int k = 0; k < SM_ROB_NLEVELS; k++)
			sum += l->share[d * SM_ROB_NLEVELS + k];
		sm_check_close(sum, 1, 1e-12, 0, "shares of D%d", d + 1);
	}
	sm_rob_layout_free(l);
}

static void test_msc_content(void **state)
{
	struct fx *f = *state;
	struct sm_rob_opts o;
	sm_rob_opts_init(&o);
	const char *names[] = { "r.pdf", "r.svg", "r.png", "s.pdf", "s.svg", "s.png" };
	for (int i = 0; i < 6; i++) {
		char *p = sm_asprintf("%s/%s", f->dir, names[i]);
		expect_ok(f, sm_rob_render(f->ctx, f->msc, &o, p));
		free(p);
	}
	struct sm_rob_layout *l = layout(f, f->msc, &o);
	check_formats(f, "r", l->fig, 300);
	sm_rob_layout_free(l);
	const char *ext[] = { "pdf", "svg", "png" };
	for (int i = 0; i < 3; i++) {
		char *a = sm_asprintf("%s/r.%s", f->dir, ext[i]);
		char *b = sm_asprintf("%s/s.%s", f->dir, ext[i]);
		same_files(a, b);
		free(a);
		free(b);
	}
	char *pdf = sm_asprintf("%s/r.pdf", f->dir);
	overlap_tool(pdf);
	char *text = pdf_text(pdf);
	const cJSON *review = cJSON_GetObjectItemCaseSensitive(f->msc, "review");
	const cJSON *rob = cJSON_GetObjectItemCaseSensitive(review, "risk_of_bias");
	const cJSON *d;
	int i = 1;
	cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(rob, "domains")) {
		char *key = sm_asprintf("D%d: %s", i++, d->valuestring);
		expect_text(text, key);
		free(key);
	}
	const cJSON *s;
	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(review, "studies"))
		expect_text(text, cJSON_GetObjectItemCaseSensitive(s, "label")->valuestring);
	expect_text(text, "Low risk of bias");
	expect_text(text, "Unclear risk of bias");
	expect_text(text, "High risk of bias");
	expect_text(text, "100%");
	free(text);
	free(pdf);
}

/* RoB 2 with an overall column and 60 studies: every level, taller. */
static void test_rob2_many(void **state)
{
	struct fx *f = *state;
	cJSON *r = cJSON_Duplicate(f->msc, 1);
	cJSON *review = cJSON_GetObjectItemCaseSensitive(r, "review");
	cJSON *studies = cJSON_CreateArray(), *js = cJSON_CreateArray();
	static const char *const w[] = { "low", "some concerns", "high" };
	for (int i = 0; i < 60; i++) {
		char id[32], label[64];
		snprintf(id, sizeof id, "s%d", i);
		snprintf(label, sizeof label, "Study number %d et al., %d", i, 1990 + i % 30);
		cJSON *s = cJSON_CreateObject();
		cJSON_AddStringToObject(s, "id", id);
		cJSON_AddStringToObject(s, "label", label);
		cJSON_AddItemToArray(studies, s);
		cJSON *j = cJSON_CreateObject(), *v = cJSON_CreateArray();
		cJSON_AddStringToObject(j, "study", id);
		for (int d = 0; d < 5; d++)
			cJSON_AddItemToArray(v, i == 0 && d == 0 ? cJSON_CreateNull()
						: cJSON_CreateString(w[(i + d) % 3]));
		cJSON_AddItemToObject(j, "values", v);
		cJSON_AddStringToObject(j, "overall", w[i % 3]);
		cJSON_AddItemToArray(js, j);
	}
	cJSON *rob = cJSON_CreateObject();
	cJSON_AddStringToObject(rob, "tool", "RoB2");
	cJSON *doms = cJSON_CreateArray();
	const char *dn[] = { "Randomization process", "Deviations from intended interventions",
			     "Missing outcome data", "Measurement of the outcome",
			     "Selection of the reported result" };
	for (int d = 0; d < 5; d++)
		cJSON_AddItemToArray(doms, cJSON_CreateString(dn[d]));
	cJSON_AddItemToObject(rob, "domains", doms);
	cJSON_AddItemToObject(rob, "judgments", js);
	cJSON_ReplaceItemInObjectCaseSensitive(review, "studies", studies);
	cJSON_ReplaceItemInObjectCaseSensitive(review, "risk_of_bias", rob);
	struct sm_rob_opts o;
	sm_rob_opts_init(&o);
	struct sm_rob_layout *l = layout(f, r, &o);
	assert_true(l->overall_shown);
	assert_int_equal(l->ndomains, 6);
	assert_int_equal(l->level[0], SM_ROB_NONE);
	/* the overall column holds the overall judgements */
	assert_int_equal(l->level[1 * 6 + 5], SM_ROB_SOME);
	/* D1 shares leave out the study not assessed */
	sm_check_close(l->share[0 * SM_ROB_NLEVELS + SM_ROB_LOW], 19.0 / 59, 1e-12, 0, "D1 low");
	double h = l->fig->height;
	sm_rob_layout_free(l);
	char *pdf = sm_asprintf("%s/rob2.pdf", f->dir);
	expect_ok(f, sm_rob_render(f->ctx, r, &o, pdf));
	overlap_tool(pdf);
	char *text = pdf_text(pdf);
	expect_text(text, "Overall");
	expect_text(text, "Some concerns");
	expect_text(text, "Not assessed");
	free(text);
	free(pdf);
	o.overall = 0;
	o.plot = SM_ROB_TRAFFIC;
	l = layout(f, r, &o);
	assert_int_equal(l->ndomains, 5);
	assert_true(l->fig->height < h);
	sm_rob_layout_free(l);
	/* a word the tool does not use */
	cJSON *v = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(js, 3), "values");
	cJSON_ReplaceItemInArray(v, 0, cJSON_CreateString("unclear"));
	expect_fail(f, sm_rob_layout(f->ctx, r, &o, &l), "not a RoB2 judgement");
	assert_null(l);
	cJSON_Delete(r);
	expect_fail(f, sm_rob_layout(f->ctx, f->sae, &o, &l), "no risk-of-bias");
}

static void test_weighted(void **state)
{
	struct fx *f = *state;
	struct sm_rob_opts o;
	sm_rob_opts_init(&o);
	o.weighted = 1;
	o.plot = SM_ROB_SUMMARY;
	struct sm_rob_layout *l = layout(f, f->msc, &o);
	/* weighted shares differ from counts but still add up to one */
	double sum = 0;
	for (int k = 0; k < SM_ROB_NLEVELS; k++)
		sum += l->share[k];
	sm_check_close(sum, 1, 1e-12, 0, "weighted D1");
	/* studies without outcome rows have no size: left out, with a warning */
	assert_true(sm_ctx_warning_count(f->ctx) > 0);
	assert_non_null(strstr(sm_ctx_warning(f->ctx, 0), "zhang2012"));
	sm_rob_layout_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_msc_cells, setup, teardown),
		cmocka_unit_test_setup_teardown(test_msc_content, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rob2_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_weighted, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
