/* Risk-of-bias figures: one circle per judgement at its cell, symbols,
 * summary shares, domain keys, sizes that grow with the studies. */
#include "sm_render_test.h"

#include "sm_buf.h"
#include "sm_canvas.h"
#include "sm_rob.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct sm_rob_layout *layout(struct sm_render_fx *f, const cJSON *r, const struct sm_rob_opts *o)
{
	struct sm_rob_layout *l = NULL;
	sm_render_expect_ok(f, sm_rob_layout(f->ctx, r, o, &l));
	/* no text over text, nothing off the page */
	const struct sm_box page = { 0, 0, l->fig->width, l->fig->height };
	for (size_t i = 0; i < l->fig->ntexts; i++) {
		assert_true(sm_render_inside(&l->fig->texts[i].box, &page));
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
	struct sm_render_fx *f = *state;
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
	struct sm_render_fx *f = *state;
	struct sm_rob_opts o;
	sm_rob_opts_init(&o);
	const char *names[] = { "r.pdf", "r.svg", "r.png", "s.pdf", "s.svg", "s.png" };
	for (int i = 0; i < 6; i++) {
		char *p = sm_asprintf("%s/%s", f->dir, names[i]);
		sm_render_expect_ok(f, sm_rob_render(f->ctx, f->msc, &o, p));
		free(p);
	}
	struct sm_rob_layout *l = layout(f, f->msc, &o);
	sm_render_check_formats(f, "r", l->fig, 300);
	sm_rob_layout_free(l);
	const char *ext[] = { "pdf", "svg", "png" };
	for (int i = 0; i < 3; i++) {
		char *a = sm_asprintf("%s/r.%s", f->dir, ext[i]);
		char *b = sm_asprintf("%s/s.%s", f->dir, ext[i]);
		sm_render_same_files(a, b);
		free(a);
		free(b);
	}
	char *pdf = sm_asprintf("%s/r.pdf", f->dir);
	sm_render_overlap_tool(pdf);
	char *text = sm_render_pdf_text(pdf, 0);
	const cJSON *review = cJSON_GetObjectItemCaseSensitive(f->msc, "review");
	const cJSON *rob = cJSON_GetObjectItemCaseSensitive(review, "risk_of_bias");
	const cJSON *d;
	int i = 1;
	cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(rob, "domains")) {
		char *key = sm_asprintf("D%d: %s", i++, d->valuestring);
		sm_render_expect_text(text, key);
		free(key);
	}
	const cJSON *s;
	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(review, "studies"))
		sm_render_expect_text(text, cJSON_GetObjectItemCaseSensitive(s, "label")->valuestring);
	sm_render_expect_text(text, "Low risk of bias");
	sm_render_expect_text(text, "Unclear risk of bias");
	sm_render_expect_text(text, "High risk of bias");
	sm_render_expect_text(text, "100%");
	free(text);
	free(pdf);
}

/* RoB 2 with an overall column and 60 studies: every level, taller. */
static void test_rob2_many(void **state)
{
	struct sm_render_fx *f = *state;
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
	sm_render_expect_ok(f, sm_rob_render(f->ctx, r, &o, pdf));
	sm_render_overlap_tool(pdf);
	char *text = sm_render_pdf_text(pdf, 0);
	sm_render_expect_text(text, "Overall");
	sm_render_expect_text(text, "Some concerns");
	sm_render_expect_text(text, "Not assessed");
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
	sm_render_expect_fail(f, sm_rob_layout(f->ctx, r, &o, &l), "not a RoB2 judgement");
	assert_null(l);
	cJSON_Delete(r);
	sm_render_expect_fail(f, sm_rob_layout(f->ctx, f->sae, &o, &l), "no risk-of-bias");
}

static void test_weighted(void **state)
{
	struct sm_render_fx *f = *state;
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

/* Right edge of everything drawn: texts and circles. */
static double content_right(const struct sm_fig *fig)
{
	double x = 0;
	for (size_t i = 0; i < fig->ntexts; i++)
		x = fmax(x, fig->texts[i].box.x1);
	for (size_t i = 0; i < fig->nitems; i++)
		if (fig->items[i].kind == SM_FIG_CIRCLE)
			x = fmax(x, fig->items[i].x0 + fig->items[i].r);
	return x;
}

/* The content ends at the right margin (a point of slack) and no key,
 * legend entry or title wrapped. */
static void check_tight(const struct sm_fig *fig)
{
	double margin = 2 / 25.4 * 72, right = content_right(fig);
	assert_true(right <= fig->width - margin + 1e-6);
	assert_true(right >= fig->width - margin - 1.01);
	for (size_t i = 0; i < fig->ntexts; i++) {
		const struct sm_fig_text *t = &fig->texts[i];
		if (t->tag == SM_RT_DOMAIN_KEY || t->tag == SM_RT_LEGEND || t->tag == SM_RT_OTHER)
			assert_true(t->box.y1 - t->box.y0 < 1.6 * t->st.size);
	}
}

/* The traffic-light plot alone is as wide as its content (here the legend
 * or a domain key, each on one line), not the style's 175 mm; with the
 * summary bars it keeps the full width. */
static void test_traffic_shrinks(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_rob_opts o;
	sm_rob_opts_init(&o);
	o.plot = SM_ROB_TRAFFIC;
	struct sm_rob_layout *l = layout(f, f->msc, &o);
	double w = l->fig->width;
	assert_true(w < 120 / 25.4 * 72);
	check_tight(l->fig);
	sm_rob_layout_free(l);
	/* a title wider than the grid widens it */
	o.title = "Risk of bias of the randomised trials of intravenous MSC, as judged";
	l = layout(f, f->msc, &o);
	assert_true(l->fig->width > w);
	check_tight(l->fig);
	sm_rob_layout_free(l);
	/* ... up to the style's width, where it wraps */
	o.title = "Risk of bias of the randomised trials of intravenous mesenchymal stromal "
		  "cells in every indication, as judged by the authors of the review";
	l = layout(f, f->msc, &o);
	sm_check_close(l->fig->width, 175 / 25.4 * 72, 1e-12, 0, "long title: full width");
	sm_rob_layout_free(l);
	o.title = NULL;
	o.plot = SM_ROB_BOTH;
	l = layout(f, f->msc, &o);
	sm_check_close(l->fig->width, 175 / 25.4 * 72, 1e-12, 0, "both: full width");
	sm_rob_layout_free(l);
	o.width = "10000mm";
	sm_render_expect_fail(f, sm_rob_layout(f->ctx, f->msc, &o, &l),
			      "figure width 10000 mm is too wide; expected at most 1200 mm");
	assert_null(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_msc_cells, sm_render_fx_setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_msc_content, sm_render_fx_setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_rob2_many, sm_render_fx_setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_weighted, sm_render_fx_setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_traffic_shrinks, sm_render_fx_setup,
						sm_render_fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
