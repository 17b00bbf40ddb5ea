/*
 * sm_results_build.c -- review in, results document out: resolve the
 * settings, split the outcomes into groups, run one analysis per group, test
 * subgroup differences, and carry the review's other sections along.
 */
#include "sm_results.h"

#include "sm_analysis_data.h"
#include "sm_analysis_json.h"
#include "sm_buf.h"
#include "sm_domain_table.h"
#include "sm_json_out.h"
#include "sm_prisma_check.h"
#include "sm_run_settings.h"
#include "sm_subgroup.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Groups in order of first appearance (as metafor's factor levels in the
 * goldens), each with its rows in input order. */
struct groups {
	size_t n;
	const char **names;
	size_t *counts;
	const struct sm_outcome ***rows;
};

static void groups_release(struct groups *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->rows[i]);
	free(g->names);
	free(g->counts);
	free(g->rows);
}

static int group_index(const struct groups *g, const char *name)
{
	for (size_t i = 0; i < g->n; i++)
		if (!strcmp(g->names[i], name))
			return (int)i;
	return -1;
}

static sm_status make_groups(struct sm_ctx *ctx, const struct sm_review *r, int grouped,
			     struct groups *g)
{
	size_t n = r->n_outcomes;
	memset(g, 0, sizeof *g);
	g->names = sm_alloc_array(n ? n : 1, sizeof *g->names);
	g->counts = sm_alloc_array(n ? n : 1, sizeof *g->counts);
	g->rows = sm_alloc_array(n ? n : 1, sizeof *g->rows);
	size_t *which = sm_alloc_array(n ? n : 1, sizeof *which);
	if (!g->names || !g->counts || !g->rows || !which) {
		free(which);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	/* Group lookup is linear in the number of groups, which is small
	 * (domains, subgroups); the rows themselves are visited twice. */
	for (size_t i = 0; i < n; i++) {
		const char *name = grouped ? r->outcomes[i].group : "all";
		int gi = group_index(g, name);
		if (gi < 0) {
			gi = (int)g->n++;
			g->names[gi] = name;
		}
		which[i] = (size_t)gi;
		g->counts[gi]++;
	}
	for (size_t gi = 0; gi < g->n; gi++) {
		g->rows[gi] = sm_alloc_array(g->counts[gi], sizeof **g->rows);
		if (!g->rows[gi]) {
			free(which);
			return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		}
		g->counts[gi] = 0;
	}
	for (size_t i = 0; i < n; i++)
		g->rows[which[i]][g->counts[which[i]]++] = &r->outcomes[i];
	free(which);
	return SM_OK;
}

static cJSON *settings_json(const struct sm_run_settings *s)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "preset", s->preset);
	cJSON_AddStringToObject(o, "measure", sm_measure_name(s->esc.measure));
	cJSON_AddStringToObject(o, "method", s->method_label);
	cJSON_AddStringToObject(o, "tau2_estimator",
				s->pooling == SM_POOL_MH || s->pooling == SM_POOL_PETO
					? "none" : sm_method_name(s->method));
	cJSON_AddStringToObject(o, "test", sm_test_name(s->test));
	sm_json_add_number(o, "level", s->level);
	sm_json_add_number(o, "add", s->esc.add);
	static const char *const tos[] = { "only0", "all", "if0all", "none" };
	cJSON_AddStringToObject(o, "to", tos[s->esc.to]);
	cJSON_AddBoolToObject(o, "drop00", s->esc.drop00);
	sm_json_add_string(o, "group_by", s->group_by && *s->group_by ? s->group_by : NULL);
	return o;
}

static void add_copy(cJSON *obj, const char *key, const cJSON *item)
{
	if (item)
		cJSON_AddItemToObject(obj, key, cJSON_Duplicate(item, 1));
	else
		cJSON_AddNullToObject(obj, key);
}

static cJSON *study_json(const struct sm_study *s)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "id", s->id);
	cJSON_AddStringToObject(o, "label", s->label);
	if (s->year > 0)
		cJSON_AddNumberToObject(o, "year", s->year);
	sm_json_add_string(o, "ref", s->ref);
	cJSON *chars = cJSON_AddObjectToObject(o, "characteristics");
	for (size_t i = 0; i < s->n_chars; i++)
		cJSON_AddStringToObject(chars, s->char_keys[i], s->char_values[i]);
	return o;
}

/* The review's own sections, so that a renderer needs nothing else.  With
 * no_studies the per-study list is left out like the analyses' rows: at
 * k = 10^6 it was most of the document and of the peak memory. */
static cJSON *review_json(const struct sm_review *r, int no_studies)
{
	cJSON *o = cJSON_CreateObject();
	sm_json_add_string(o, "id", r->id);
	sm_json_add_string(o, "title", r->title);
	cJSON_AddStringToObject(o, "data", sm_data_kind_name(r->kind));
	add_copy(o, "metadata", r->metadata);
	cJSON *settings = cJSON_AddObjectToObject(o, "settings");
	cJSON *labels = cJSON_AddArrayToObject(settings, "arm_labels");
	for (int i = 0; i < 2; i++) {
		const char *dflt = i == 0 ? "Treatment" : "Control";
		const char *l = r->settings.arm_labels[i];
		cJSON_AddItemToArray(labels, cJSON_CreateString(l ? l : dflt));
	}
	sm_json_add_string(settings, "outcome_label", r->settings.outcome_label);
	if (!no_studies) {
		cJSON *studies = cJSON_AddArrayToObject(o, "studies");
		for (size_t i = 0; i < r->n_studies; i++)
			cJSON_AddItemToArray(studies, study_json(&r->studies[i]));
	}
	add_copy(o, "prisma", r->prisma);
	cJSON_AddItemToObject(o, "prisma_findings", sm_prisma_check(r->prisma));
	add_copy(o, "risk_of_bias", r->risk_of_bias);
	add_copy(o, "tables", r->tables);
	add_copy(o, "reported", r->reported);
	return o;
}

/* The studies of every group, side by side, for the subgroup test. */
struct pooled_groups {
	double *yi, *vi;
	size_t *group;
	size_t k;
};

static void pooled_add(struct pooled_groups *p, const struct sm_analysis_data *d, size_t gi)
{
	for (size_t j = 0; j < d->k; j++) {
		p->yi[p->k] = d->yi[j];
		p->vi[p->k] = d->vi[j];
		p->group[p->k] = gi;
		p->k++;
	}
}

/* Test for subgroup differences: the groups' own estimates compared by a
 * Q test (each group with its own tau2, as RevMan does), and metafor's
 * moderator test (one common residual tau2, mixed-effects model). */
static cJSON *subgroups_json(struct sm_ctx *ctx, const struct pooled_groups *p, size_t G,
			     const struct sm_run_settings *s)
{
	struct sm_rma_opts o = sm_run_settings_rma(s);
	if (s->pooling != SM_POOL_IV && s->pooling != SM_POOL_GLMM)
		o.method = s->pooling == SM_POOL_REVMAN_DL ? SM_DL : SM_FE;
	o.test = SM_TEST_Z;
	struct sm_subgroup_between b;
	memset(&b, 0, sizeof b);
	if (sm_subgroup_between(ctx, p->yi, p->vi, p->group, p->k, G, &o, &b) != SM_OK) {
		sm_ctx_clear_error(ctx);
		return cJSON_CreateNull();
	}
	cJSON *out = cJSON_CreateObject();
	cJSON_AddNumberToObject(out, "groups", (double)G);
	sm_json_add_number(out, "Q_between", b.Q);
	sm_json_add_number(out, "df", b.df);
	sm_json_add_number(out, "p", b.pval);
	cJSON_AddStringToObject(out, "model", o.method == SM_FE
		? "common effect within groups"
		: "random effects within groups, each group with its own tau2");
	sm_subgroup_between_release(&b);
	struct sm_rma_mods m;
	double R2 = NAN;
	memset(&m, 0, sizeof m);
	cJSON *mods = cJSON_AddObjectToObject(out, "moderator_test");
	if (sm_subgroup_mods(ctx, p->yi, p->vi, p->group, p->k, G, &o, &m, &R2) == SM_OK) {
		sm_json_add_number(mods, "QM", m.QM);
		sm_json_add_number(mods, "QM_df", m.QM_df1);
		sm_json_add_number(mods, "QM_p", m.QMp);
		sm_json_add_number(mods, "QE", m.QE);
		sm_json_add_number(mods, "QE_df", m.QE_df);
		sm_json_add_number(mods, "QE_p", m.QEp);
		sm_json_add_number(mods, "tau2", o.method == SM_FE ? NAN : m.tau2);
		sm_json_add_number(mods, "R2", R2);
		sm_rma_mods_release(&m);
	} else {
		const struct sm_diag *d = sm_ctx_error(ctx);
		sm_json_add_string(mods, "error", d ? d->msg : "not computed");
		sm_ctx_clear_error(ctx);
	}
	return out;
}

static sm_status run_analyses(struct sm_ctx *ctx, const struct sm_review *r,
			      const struct sm_run_settings *s, cJSON *root)
{
	int grouped = s->group_by && *s->group_by;
	struct groups g;
	sm_status st = make_groups(ctx, r, grouped, &g);
	/* the studies side by side only when there are groups to compare */
	size_t n = st == SM_OK && g.n > 1 ? r->n_outcomes : 0;
	struct pooled_groups p = { NULL, NULL, NULL, 0 };
	if (n) {
		p.yi = sm_alloc_array(n, sizeof(double));
		p.vi = sm_alloc_array(n, sizeof(double));
		p.group = sm_alloc_array(n, sizeof(size_t));
		if (!p.yi || !p.vi || !p.group)
			st = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	cJSON *analyses = cJSON_AddArrayToObject(root, "analyses");
	for (size_t gi = 0; st == SM_OK && gi < g.n; gi++) {
		struct sm_analysis_data *d =
			sm_analysis_data_new(ctx, r, g.names[gi], g.rows[gi], g.counts[gi], s);
		cJSON *a = d ? sm_analysis_json(ctx, r, d, s) : NULL;
		if (d && p.yi)
			pooled_add(&p, d, gi);
		sm_analysis_data_free(d);
		if (!a)
			st = sm_ctx_error(ctx) ? sm_ctx_error(ctx)->code : SM_EINTERNAL;
		else
			cJSON_AddItemToArray(analyses, a);
	}
	if (st == SM_OK && g.n > 1)
		cJSON_AddItemToObject(root, "subgroups", subgroups_json(ctx, &p, g.n, s));
	else
		cJSON_AddNullToObject(root, "subgroups");
	free(p.yi);
	free(p.vi);
	free(p.group);
	groups_release(&g);
	return st;
}

cJSON *sm_results_build(struct sm_ctx *ctx, const struct sm_review *review,
			const struct sm_analysis_opts *opts)
{
	struct sm_run_settings s;
	if (sm_run_settings_resolve(ctx, review, opts, &s) != SM_OK)
		return NULL;
	cJSON *root = cJSON_CreateObject();
	if (!root) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	cJSON_AddStringToObject(root, "safemeta", SM_VERSION);
	sm_json_add_string(root, "input", review->path);
	cJSON_AddItemToObject(root, "settings", settings_json(&s));
	cJSON_AddItemToObject(root, "review", review_json(review, s.no_studies));
	if (review->n_outcomes == 0) {
		cJSON_AddArrayToObject(root, "analyses");
		cJSON_AddNullToObject(root, "subgroups");
		return root;
	}
	if (run_analyses(ctx, review, &s, root) != SM_OK) {
		cJSON_Delete(root);
		return NULL;
	}
	cJSON *table = sm_domain_table_json(ctx, root);
	if (table)
		cJSON_AddItemToObject(root, "domain_table", table);
	return root;
}

char *sm_results_print(const cJSON *results)
{
	char *text = cJSON_Print(results);
	if (!text)
		return NULL;
	char *out = sm_asprintf("%s\n", text);
	cJSON_free(text);
	return out;
}
