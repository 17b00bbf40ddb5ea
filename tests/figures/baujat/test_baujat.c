/* The Baujat plot (sm_baujat.h) of dat.bcg (RR, REML) and of crowded
 * analyses (40, 44 and 70 studies): one point per study where the axes put
 * baujat_x and baujat_y, both axes from 0, every study labelled with no
 * label on another label, a point, a leader or the frame, no text below
 * the style's minimum, the caption, the studies without coordinates, the
 * plan, the bad requests, and the label placement on its own. */
#include "sm_render_test.h"

#include "sm_baujat.h"
#include "sm_baujat_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BCG "tests/fixtures/render/sens-bcg.results.json"
#define MSC "tests/fixtures/render/sens-msc.results.json"
#define SIM40 "tests/fixtures/render/sim40-subgroups.results.json"
#define MH "tests/fixtures/render/msc-saes-mh.results.json"
#define K1 "tests/fixtures/render/k1.results.json"

static sm_status lay_with(struct sm_ctx *ctx, const struct sm_res *r, const char *analysis,
			  const char *width, const char *style, int symbol, struct sm_fig **fig)
{
	struct sm_baujat_options o;
	sm_figure_baujat.opts_init(&o);
	o.common.analysis = analysis;
	o.common.width = width;
	o.common.style = style;
	o.symbol = symbol;
	const struct sm_figure_env env = { .format = SM_CANVAS_PNG, .page_height = 0,
					   .max_width = 0, .first_page_height = 0 };
	*fig = NULL;
	return sm_figure_baujat.layout(ctx, r, &o, &env, fig);
}

static sm_status lay(struct sm_ctx *ctx, const struct sm_res *r, const char *analysis,
		     const char *width, struct sm_fig **fig)
{
	return lay_with(ctx, r, analysis, width, NULL, SM_BJ_SYMBOL_LABEL, fig);
}

static const struct sm_fig_item *point(const struct sm_fig *f, size_t study)
{
	for (size_t i = 0; i < f->nitems; i++)
		if (f->items[i].tag == SM_BJ_POINT && f->items[i].ref == (int)study)
			return &f->items[i];
	return NULL;
}

static size_t count_items(const struct sm_fig *f, int tag)
{
	size_t n = 0;
	for (size_t i = 0; i < f->nitems; i++)
		n += f->items[i].tag == tag;
	return n;
}

static const struct sm_fig_text *text_tagged(const struct sm_fig *f, int tag)
{
	for (size_t i = 0; i < f->ntexts; i++)
		if (f->texts[i].tag == tag)
			return &f->texts[i];
	return NULL;
}

/* The frame: the box the SM_BJ_FRAME lines draw. */
static struct sm_box frame_of(const struct sm_fig *f)
{
	struct sm_box b = { INFINITY, INFINITY, -INFINITY, -INFINITY };
	for (size_t i = 0; i < f->nitems; i++) {
		const struct sm_fig_item *it = &f->items[i];
		if (it->tag != SM_BJ_FRAME)
			continue;
		b.x0 = fmin(b.x0, fmin(it->x0, it->x1));
		b.x1 = fmax(b.x1, fmax(it->x0, it->x1));
		b.y0 = fmin(b.y0, fmin(it->y0, it->y1));
		b.y1 = fmax(b.y1, fmax(it->y0, it->y1));
	}
	assert_int_equal(count_items(f, SM_BJ_FRAME), 4);
	return b;
}

static struct sm_box disc(const struct sm_fig_item *c)
{
	return (struct sm_box){ c->x0 - c->r, c->y0 - c->r, c->x0 + c->r, c->y0 + c->r };
}

/* Labels inside the frame, clear of its lines, of each other, of every
 * point and of every leader; leaders cross no label; no two texts overlap;
 * every text inside the page and at or above the style's minimum size. */
static void expect_clean(const struct sm_fig *f)
{
	struct sm_box fr = frame_of(f), page = { 0, 0, f->width, f->height };
	double min = f->style->min_size;
	for (size_t i = 0; i < f->ntexts; i++) {
		const struct sm_fig_text *t = &f->texts[i];
		assert_true(t->st.size >= min - 1e-9);
		assert_true(sm_render_inside(&t->box, &page));
		for (size_t j = i + 1; j < f->ntexts; j++)
			if (sm_box_overlap(&t->box, &f->texts[j].box)) {
				print_error("texts overlap: '%s' and '%s'\n", t->text,
					    f->texts[j].text);
				fail();
			}
		if (t->tag != SM_BJ_LABEL)
			continue;
		assert_true(t->box.x0 > fr.x0 && t->box.x1 < fr.x1 && t->box.y0 > fr.y0 &&
			    t->box.y1 < fr.y1);
		for (size_t k = 0; k < f->nitems; k++) {
			const struct sm_fig_item *it = &f->items[k];
			if (it->tag == SM_BJ_POINT) {
				struct sm_box d = disc(it);
				if (sm_box_overlap(&t->box, &d)) {
					print_error("label '%s' on point %d\n", t->text, it->ref);
					fail();
				}
			} else if (it->tag == SM_BJ_LEADER) {
				/* a leader ends on its own label's edge, inside no label */
				if (sm_bj_segment_hits(it->x0, it->y0, it->x1, it->y1, &t->box)) {
					print_error("leader of %d through label '%s'\n", it->ref,
						    t->text);
					fail();
				}
			}
		}
	}
}

/* Each study's number (its index + 1) appears in exactly one label. */
static void expect_numbered(const struct sm_fig *f, size_t k)
{
	int *seen = calloc(k, sizeof *seen);
	assert_non_null(seen);
	for (size_t i = 0; i < f->ntexts; i++) {
		if (f->texts[i].tag != SM_BJ_LABEL)
			continue;
		const char *p = f->texts[i].text;
		while (*p) {
			char *end;
			long v = strtol(p, &end, 10);
			assert_true(end > p && v >= 1 && (size_t)v <= k);
			seen[v - 1]++;
			p = end;
			if (*p == ',')
				p++;
			if (!strncmp(p, "\xe2\x80\x8b", 3))
				p += 3;
		}
	}
	for (size_t i = 0; i < k; i++)
		assert_int_equal(seen[i], 1);
	free(seen);
}

/* Page position = a + b * value on both axes, fitted through two points. */
struct map {
	double ax, bx, ay, by;
};

static void points_on_axes(void **state)
{
	struct sm_render_fx *f = *state;
	const struct sm_res_analysis *a = &f->rdoc->analyses.v[0];
	struct sm_fig *fig;
	sm_render_expect_ok(f, lay(f->ctx, f->rdoc, NULL, "120mm", &fig));
	assert_int_equal(a->studies.n, 13);
	assert_int_equal(count_items(fig, SM_BJ_POINT), 13);
	size_t lo = 0, hi = 0;
	for (size_t i = 0; i < 13; i++) {
		assert_non_null(point(fig, i));
		if (a->studies.v[i].baujat_x < a->studies.v[lo].baujat_x)
			lo = i;
		if (a->studies.v[i].baujat_x > a->studies.v[hi].baujat_x)
			hi = i;
	}
	const struct sm_res_study *sl = &a->studies.v[lo], *sh = &a->studies.v[hi];
	const struct sm_fig_item *p = point(fig, lo), *q = point(fig, hi);
	struct map mp;
	mp.bx = (q->x0 - p->x0) / (sh->baujat_x - sl->baujat_x);
	mp.ax = p->x0 - mp.bx * sl->baujat_x;
	mp.by = (q->y0 - p->y0) / (sh->baujat_y - sl->baujat_y);
	mp.ay = p->y0 - mp.by * sl->baujat_y;
	assert_true(mp.bx > 0 && mp.by < 0);
	for (size_t i = 0; i < 13; i++) {
		const struct sm_fig_item *c = point(fig, i);
		assert_true(fabs(c->x0 - (mp.ax + mp.bx * a->studies.v[i].baujat_x)) < 1e-6);
		assert_true(fabs(c->y0 - (mp.ay + mp.by * a->studies.v[i].baujat_y)) < 1e-6);
	}
	/* both axes from 0: the "0" tick labels sit where the map puts 0, and
	 * no tick label is below 0 */
	int x0 = 0, y0 = 0;
	for (size_t i = 0; i < fig->ntexts; i++) {
		const struct sm_fig_text *t = &fig->texts[i];
		if (t->tag != SM_BJ_TICK)
			continue;
		assert_true(t->text[0] != '-' && strncmp(t->text, "\xe2\x88\x92", 3));
		if (strcmp(t->text, "0"))
			continue;
		double cx = (t->box.x0 + t->box.x1) / 2, cy = (t->box.y0 + t->box.y1) / 2;
		if (fabs(cx - mp.ax) < 0.01)
			x0 = 1;
		if (fabs(cy - mp.ay) < 0.01)
			y0 = 1;
	}
	assert_true(x0 && y0);
	/* the titles as metafor's for a random-effects model */
	assert_string_equal(text_tagged(fig, SM_BJ_XTITLE)->text, "Squared Pearson residual");
	assert_string_equal(text_tagged(fig, SM_BJ_YTITLE)->text, "Influence on overall result");
	const char *cap = text_tagged(fig, SM_BJ_CAPTION)->text;
	sm_render_expect_text(cap, "Baujat plot of the random-effects model (REML), 13 studies");
	sm_render_expect_text(cap, "Log risk ratio");
	assert_null(strstr(cap, "not shown"));
	expect_clean(fig);
	sm_fig_free(fig);
}

/* At 175 mm the studies' own labels fit; at 85 mm they do not, and the
 * numbers with a key stand in. */
static void labels_at_widths(void **state)
{
	struct sm_render_fx *f = *state;
	const struct sm_res_analysis *a = &f->rdoc->analyses.v[0];
	const char *styles[] = { NULL, "journal" };
	for (int s = 0; s < 2; s++) {
		struct sm_fig *fig;
		sm_render_expect_ok(f, lay_with(f->ctx, f->rdoc, "all", "175mm", styles[s],
						SM_BJ_SYMBOL_LABEL, &fig));
		expect_clean(fig);
		size_t n = 0;
		for (size_t i = 0; i < fig->ntexts; i++) {
			const struct sm_fig_text *t = &fig->texts[i];
			if (t->tag != SM_BJ_LABEL)
				continue;
			assert_true(t->ref >= 0 && (size_t)t->ref < a->studies.n);
			assert_string_equal(t->text, a->studies.v[t->ref].label);
			n++;
		}
		assert_int_equal(n, 13);
		assert_null(text_tagged(fig, SM_BJ_KEY));
		sm_fig_free(fig);
		sm_render_expect_ok(f, lay_with(f->ctx, f->rdoc, "all", "85mm", styles[s],
						SM_BJ_SYMBOL_LABEL, &fig));
		expect_clean(fig);
		expect_numbered(fig, 13);
		const struct sm_fig_text *key = text_tagged(fig, SM_BJ_KEY);
		assert_non_null(key);
		sm_render_expect_text(key->text, "1\xc2\xa0" "Aronson, 1948; 2\xc2\xa0" "Ferguson");
		sm_fig_free(fig);
	}
	/* --symbol number at any width */
	struct sm_fig *fig;
	sm_render_expect_ok(f, lay_with(f->ctx, f->rdoc, "all", "175mm", NULL,
					SM_BJ_SYMBOL_NUMBER, &fig));
	expect_clean(fig);
	expect_numbered(fig, 13);
	assert_non_null(text_tagged(fig, SM_BJ_KEY));
	sm_fig_free(fig);
}

static void crowded(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_res *msc = sm_render_load_res(MSC), *sim = sm_render_load_res(SIM40);
	struct {
		const struct sm_res *r;
		const char *analysis;
		size_t k;
	} cases[] = { { sim, "all", 40 }, { msc, "Infections and infestations", 44 },
		      { f->rsae, "all", 70 } };
	const char *widths[] = { "85mm", "175mm" };
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
		for (int w = 0; w < 2; w++) {
			struct sm_fig *fig;
			sm_render_expect_ok(f, lay(f->ctx, cases[c].r, cases[c].analysis,
						   widths[w], &fig));
			assert_int_equal(count_items(fig, SM_BJ_POINT), cases[c].k);
			expect_clean(fig);
			expect_numbered(fig, cases[c].k);
			sm_fig_free(fig);
		}
	sm_res_free(msc);
	sm_res_free(sim);
}

/* 120 studies (sim40's three times, the copies shifted): only the 10 most
 * outlying are labelled, each the largest relative to the axes' largest. */
static void most_outlying(void **state)
{
	struct sm_render_fx *f = *state;
	cJSON *doc = sm_render_load_json(SIM40);
	cJSON *a = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "analyses"), 0);
	cJSON *studies = cJSON_GetObjectItem(a, "studies");
	int k = cJSON_GetArraySize(studies);
	for (int c = 1; c < 3; c++)
		for (int i = 0; i < k; i++) {
			cJSON *s = cJSON_Duplicate(cJSON_GetArrayItem(studies, i), 1);
			double x = cJSON_GetObjectItem(s, "baujat_x")->valuedouble;
			cJSON_ReplaceItemInObject(s, "baujat_x", cJSON_CreateNumber(x * (1 + 0.1 * c)));
			char label[32];
			snprintf(label, sizeof label, "copy %d of %d", c, i + 1);
			cJSON_ReplaceItemInObject(s, "label", cJSON_CreateString(label));
			cJSON_AddItemToArray(studies, s);
		}
	/* what lists the studies besides them */
	cJSON_DeleteItemFromObject(a, "cumul_order");
	cJSON_DeleteItemFromObject(a, "subgroups");
	cJSON_ReplaceItemInObject(a, "k", cJSON_CreateNumber(3 * k));
	if (cJSON_GetObjectItem(a, "k_rows"))
		cJSON_ReplaceItemInObject(a, "k_rows", cJSON_CreateNumber(3 * k));
	struct sm_res *r = sm_render_typed(f, doc);
	const struct sm_res_analysis *an = &r->analyses.v[0];
	assert_int_equal(an->studies.n, 120);
	double xmax = 0, ymax = 0;
	for (size_t i = 0; i < 120; i++) {
		xmax = fmax(xmax, an->studies.v[i].baujat_x);
		ymax = fmax(ymax, an->studies.v[i].baujat_y);
	}
	struct sm_fig *fig;
	sm_render_expect_ok(f, lay(f->ctx, r, "all", "120mm", &fig));
	assert_int_equal(count_items(fig, SM_BJ_POINT), 120);
	expect_clean(fig);
	double lowest_in = INFINITY;
	size_t n = 0;
	for (size_t i = 0; i < fig->ntexts; i++)
		if (fig->texts[i].tag == SM_BJ_LABEL) {
			const struct sm_res_study *s = &an->studies.v[fig->texts[i].ref];
			lowest_in = fmin(lowest_in, fmax(s->baujat_x / xmax, s->baujat_y / ymax));
			n++;
		}
	assert_int_equal(n, 10);
	/* no unlabelled study is more outlying than a labelled one */
	for (size_t i = 0; i < 120; i++) {
		const struct sm_res_study *s = &an->studies.v[i];
		int labelled = 0;
		for (size_t j = 0; j < fig->ntexts; j++)
			labelled |= fig->texts[j].tag == SM_BJ_LABEL && fig->texts[j].ref == (int)i;
		if (!labelled)
			assert_true(fmax(s->baujat_x / xmax, s->baujat_y / ymax) <= lowest_in);
	}
	sm_render_expect_text(text_tagged(fig, SM_BJ_CAPTION)->text,
			      "Labelled: the 10 studies of largest contribution or influence");
	sm_fig_free(fig);
	sm_res_free(r);
	cJSON_Delete(doc);
}

/* Studies without coordinates are left out and counted. */
static void missing_coordinates(void **state)
{
	struct sm_render_fx *f = *state;
	cJSON *doc = cJSON_Duplicate(f->doc, 1);
	cJSON *studies = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc,
		"analyses"), 0), "studies");
	cJSON_ReplaceItemInObject(cJSON_GetArrayItem(studies, 2), "baujat_x", cJSON_CreateNull());
	cJSON_ReplaceItemInObject(cJSON_GetArrayItem(studies, 7), "baujat_y", cJSON_CreateNull());
	struct sm_res *r = sm_render_typed(f, doc);
	struct sm_fig *fig;
	sm_render_expect_ok(f, lay(f->ctx, r, "all", "120mm", &fig));
	assert_int_equal(count_items(fig, SM_BJ_POINT), 11);
	assert_null(point(fig, 2));
	assert_null(point(fig, 7));
	sm_render_expect_text(text_tagged(fig, SM_BJ_CAPTION)->text,
			      "11 studies. Horizontal");
	sm_render_expect_text(text_tagged(fig, SM_BJ_CAPTION)->text,
			      "2 studies without both coordinates are not shown.");
	expect_clean(fig);
	sm_fig_free(fig);
	sm_res_free(r);
	cJSON_Delete(doc);
}

/* A common-effect model (MH, with its inverse-variance twin's
 * coordinates): metafor's other x title. */
static void common_effect(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_res *r = sm_render_load_res(MH);
	struct sm_fig *fig;
	sm_render_expect_ok(f, lay(f->ctx, r, NULL, "120mm", &fig));
	assert_string_equal(text_tagged(fig, SM_BJ_XTITLE)->text,
			    "Contribution to overall heterogeneity");
	sm_render_expect_text(text_tagged(fig, SM_BJ_CAPTION)->text,
			      "inverse-variance common-effect model (the analysis pools with MH)");
	expect_clean(fig);
	sm_fig_free(fig);
	sm_res_free(r);
}

static void plan_and_errors(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_res *msc = sm_render_load_res(MSC), *k1 = sm_render_load_res(K1);
	struct sm_figure_plan p = { 0 };
	sm_render_expect_ok(f, sm_figure_baujat.plan(f->ctx, msc, &p));
	assert_int_equal(p.n, 2);
	assert_string_equal(p.jobs[0].arg, "Infections and infestations");
	assert_string_equal(p.jobs[1].arg, "Cardiac disorders");
	assert_true(!strncmp(p.jobs[0].base, "baujat-", 7));
	sm_figure_plan_release(&p);
	struct sm_figure_plan q = { 0 };
	sm_render_expect_ok(f, sm_figure_baujat.plan(f->ctx, k1, &q));
	assert_int_equal(q.n, 0);
	sm_figure_plan_release(&q);
	struct sm_fig *fig;
	sm_render_expect_fail(f, lay(f->ctx, k1, "all", NULL, &fig),
			      "analysis 'all' has Baujat coordinates (baujat_x, baujat_y) for 0 of "
			      "its 1 studies; expected 2 or more");
	sm_render_expect_fail(f, lay(f->ctx, k1, NULL, NULL, &fig),
			      "no analysis of these results has Baujat coordinates");
	sm_render_expect_fail(f, lay(f->ctx, f->rdoc, "nope", NULL, &fig),
			      "no analysis named 'nope'");
	sm_res_free(msc);
	sm_res_free(k1);
}

/* The same figure twice. */
static void deterministic(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_fig *a, *b;
	sm_render_expect_ok(f, lay(f->ctx, f->rsae, "all", "120mm", &a));
	sm_render_expect_ok(f, lay(f->ctx, f->rsae, "all", "120mm", &b));
	assert_int_equal(a->nitems, b->nitems);
	assert_int_equal(a->ntexts, b->ntexts);
	for (size_t i = 0; i < a->nitems; i++)
		assert_memory_equal(&a->items[i].x0, &b->items[i].x0, 4 * sizeof(double));
	for (size_t i = 0; i < a->ntexts; i++) {
		assert_string_equal(a->texts[i].text, b->texts[i].text);
		assert_memory_equal(&a->texts[i].box, &b->texts[i].box, sizeof a->texts[i].box);
	}
	sm_fig_free(a);
	sm_fig_free(b);
}

/* Whatever the placement placed is inside the frame and clear of every
 * point, label and leader; returns how many it left unplaced. */
static size_t placed_clean(struct sm_bj_lab *v, size_t n, const struct sm_box *fr)
{
	size_t left = sm_bj_place(v, n, fr), none = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i].placed == SM_BJ_UNPLACED) {
			none++;
			continue;
		}
		assert_true(v[i].box.x0 >= fr->x0 && v[i].box.x1 <= fr->x1 &&
			    v[i].box.y0 >= fr->y0 && v[i].box.y1 <= fr->y1);
		assert_true(fabs(v[i].box.x1 - v[i].box.x0 - v[i].w) < 1e-9);
		for (size_t j = 0; j < n; j++) {
			struct sm_box d = { v[j].px - v[j].pr, v[j].py - v[j].pr,
					    v[j].px + v[j].pr, v[j].py + v[j].pr };
			if (j != i)
				assert_false(sm_box_overlap(&v[i].box, &d));
			if (j == i || v[j].placed == SM_BJ_UNPLACED)
				continue;
			assert_false(sm_box_overlap(&v[i].box, &v[j].box));
			if (v[j].placed == SM_BJ_LEADERED)
				assert_false(sm_bj_segment_hits(v[j].lx0, v[j].ly0, v[j].lx1,
								v[j].ly1, &v[i].box));
		}
	}
	assert_int_equal(left, none);
	return left;
}

/* The placement alone: 25 points in a grid with 12 pt between centres and
 * a point in the frame's corner all get a place; 25 points 2.5 pt apart
 * (a crowd the layout would give shared labels) get what room there is. */
static void placement(void **state)
{
	(void)state;
	struct sm_bj_lab v[26];
	struct sm_box fr = { 0, 0, 200, 150 };
	for (int i = 0; i < 25; i++)
		v[i] = (struct sm_bj_lab){ .px = 70 + (i % 5) * 12.0, .py = 50 + (i / 5) * 12.0,
					   .pr = 1.8, .w = 6 + (i % 3) * 4, .h = 7 };
	v[25] = (struct sm_bj_lab){ .px = 1, .py = 149, .pr = 1.8, .w = 30, .h = 7 };
	assert_int_equal(placed_clean(v, 26, &fr), 0);
	size_t lead = 0;
	for (int i = 0; i < 26; i++)
		lead += v[i].placed == SM_BJ_LEADERED;
	assert_true(lead < 26);
	/* the corner point's label went beside it, up and to the right */
	assert_int_equal(v[25].placed, SM_BJ_BESIDE);
	assert_true(v[25].box.x0 > 1 && v[25].box.y1 < 149);
	for (int i = 0; i < 25; i++)
		v[i] = (struct sm_bj_lab){ .px = 90 + (i % 5) * 2.5, .py = 65 + (i / 5) * 2.5,
					   .pr = 1.8, .w = 6 + (i % 3) * 4, .h = 7 };
	assert_true(placed_clean(v, 25, &fr) < 25);
	/* segments: through, along an edge (not inside), beside */
	struct sm_box b = { 10, 10, 20, 20 };
	assert_true(sm_bj_segment_hits(0, 15, 30, 15, &b));
	assert_true(sm_bj_segment_hits(15, 15, 15, 40, &b));
	assert_false(sm_bj_segment_hits(0, 10, 30, 10, &b));
	assert_false(sm_bj_segment_hits(0, 0, 9, 30, &b));
}

/* The grid finds the same places as asking every object: random crowds
 * (clusters, points on the frame's edge and outside it, obstacles, a
 * coordinate that is not finite) of 1 to 59 labels, placed both ways,
 * end in the same bytes. */
static void grid_same_as_scan(void **state)
{
	(void)state;
	enum { MAX = 60 };
	struct sm_bj_lab a[MAX], b[MAX];
	uint32_t seed = 20261203;
	size_t leadered = 0, unplaced = 0;
	for (int round = 0; round < 30; round++) {
		size_t n = 1 + (size_t)round * 2;
		struct sm_box fr = { 10, 20, 10 + 120 + round * 3, 20 + 90 + round * 2 };
		double spread = round % 3 == 0 ? 8 : round % 3 == 1 ? 30 : 200;
		for (size_t i = 0; i < n; i++) {
			double r[4];
			for (int k = 0; k < 4; k++) {
				seed = seed * 1664525u + 1013904223u;
				r[k] = (seed >> 8) / 16777216.0;
			}
			double cx = (fr.x0 + fr.x1) / 2, cy = (fr.y0 + fr.y1) / 2;
			a[i] = (struct sm_bj_lab){ .px = cx + (r[0] - 0.5) * spread,
						   .py = cy + (r[1] - 0.5) * spread * 0.7,
						   .pr = 1.5 + r[2], .w = 5 + 30 * r[3], .h = 7,
						   .obstacle = i % 7 == 3 };
			if (i % 11 == 5)
				a[i].px = fr.x1 + 2 * r[2]; /* on or past the edge */
		}
		if (round == 17)
			a[0].py = NAN;
		memcpy(b, a, n * sizeof *a);
		size_t la = sm_bj_place(a, n, &fr), lb = sm_bj_place_scan(b, n, &fr);
		assert_int_equal(la, lb);
		for (size_t i = 0; i < n; i++) {
			assert_int_equal(a[i].placed, b[i].placed);
			assert_memory_equal(&a[i], &b[i], sizeof a[i]);
			leadered += a[i].placed == SM_BJ_LEADERED;
		}
		unplaced += la > 0;
	}
	/* the crowds took every path: leaders, and labels that found no place */
	assert_true(leadered > 50);
	assert_true(unplaced > 0);
}

static int setup(void **state)
{
	return sm_render_fx_setup_doc(state, BCG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(points_on_axes, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(labels_at_widths, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(crowded, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(most_outlying, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(missing_coordinates, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(common_effect, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(plan_and_errors, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(deterministic, setup, sm_render_fx_teardown),
		cmocka_unit_test(placement),
		cmocka_unit_test(grid_same_as_scan),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
