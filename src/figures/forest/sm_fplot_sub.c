/* sm_fplot_sub.c -- the subgroups of one analysis on a forest
 * (sm_fplot_int.h): per subgroup its heading, its studies with their
 * weights in the overall model (shares of the total, as meta and RevMan
 * show them), its pooled rows with the subgroup's share and its notes;
 * then the overall pooled rows and the tests for subgroup differences,
 * each named with its model.  Studies are put in their subgroups in one
 * pass (a map from subgroup names), so the cost stays linear. */
#include "sm_fplot_int.h"

#include "sm_strmap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* "Test for subgroup differences (random effects, τ² per subgroup): Q = ..." */
static void between_note(struct build *b, const struct sm_res_between *t, const char *model)
{
	if (!t->present || !isfinite(t->Q))
		return;
	struct sm_buf s;
	sm_buf_init(&s);
	sm_buf_printf(&s, "Test for subgroup differences (%s): ", model);
	sm_fb_q(b, &s, t->Q, t->Q_df, t->Q_p);
	sm_fb_note(b, &s, 1);
}

/* The subgroup (index into groups) of every study and excluded row, by
 * its "subgroup" name; SIZE_MAX when it names none. */
static size_t *group_of(struct build *b, const struct sm_res_subgroups_of *sg,
			const struct sm_res_analysis *a)
{
	size_t n = a->studies.n + a->excluded.n;
	size_t *g = calloc(n ? n : 1, sizeof *g);
	struct sm_strmap *map = sm_strmap_new();
	int ok = g && map;
	for (size_t i = 0; ok && i < sg->groups.n; i++)
		if (sg->groups.v[i].name)
			ok = sm_strmap_put(map, sg->groups.v[i].name, i, NULL) >= 0;
	for (size_t i = 0; ok && i < n; i++) {
		const struct sm_res_study *s = i < a->studies.n ? &a->studies.v[i]
								: &a->excluded.v[i - a->studies.n];
		size_t v;
		g[i] = s->subgroup && sm_strmap_get(map, s->subgroup, &v) ? v : (size_t)-1;
	}
	sm_strmap_free(map);
	if (!ok) {
		free(g);
		b->failed = 1;
		return NULL;
	}
	return g;
}

static void group_studies(struct build *b, const struct sm_res_analysis *a, const size_t *g,
			  size_t group)
{
	size_t from = b->p->nrows;
	for (size_t i = 0; i < a->studies.n; i++)
		if (g[i] == group)
			sm_fb_study(b, a, &a->studies.v[i], i);
	for (size_t i = 0; i < a->excluded.n; i++)
		if (g[a->studies.n + i] == group && a->excluded.v[i].pooled_table == 1)
			sm_fb_excluded(b, &a->excluded.v[i]);
	sm_fplot_sort(b->p, from, b->p->nrows, b->req->sort);
	from = b->p->nrows;
	for (size_t i = 0; i < a->excluded.n; i++)
		if (g[a->studies.n + i] == group && a->excluded.v[i].pooled_table != 1)
			sm_fb_excluded(b, &a->excluded.v[i]);
	sm_fplot_sort(b->p, from, b->p->nrows,
		      b->req->sort == SM_SORT_YEAR ? SM_SORT_YEAR : SM_SORT_INPUT);
}

void sm_fb_subgroups(struct build *b, const struct sm_res_analysis *a)
{
	const struct sm_res_subgroups_of *sg = &a->subgroups;
	size_t *g = b->req->summary_only ? NULL : group_of(b, sg, a);
	if (!b->req->summary_only && !g)
		return;
	for (size_t i = 0; i < sg->groups.n; i++) {
		const struct sm_res_analysis *sub = &sg->groups.v[i];
		struct sm_frow *h = sm_fb_add(b, SM_ROW_HEADING);
		if (h) {
			h->note = sm_fb_dup(b, sub->name ? sub->name : "?");
			h->bold = 1;
		}
		if (g)
			group_studies(b, a, g, i);
		if (sub->k > 0) {
			sm_fb_pooled_block(b, sub, 1, sub->weight);
		} else {
			struct sm_buf t;
			sm_buf_init(&t);
			sm_buf_puts(&t, "No study of this subgroup has an effect size: not pooled");
			sm_fb_note(b, &t, 0);
		}
		sm_fb_add(b, SM_ROW_GAP);
	}
	free(g);
	sm_fb_pooled_block(b, a, 0, NAN);
	/* the tests of the models whose rows are shown: common effect always
	 * (an analysis' common-effect twin), random effects with a τ² per
	 * subgroup when the analysis pools random effects (meta's default) */
	const struct sm_res_subgroup_tests *t = &sg->tests;
	between_note(b, &t->common_effect, "common effect");
	between_note(b, &t->random_effects_separate_tau2,
		     "random effects, \xcf\x84\xc2\xb2 per subgroup");
}
