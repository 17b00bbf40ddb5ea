/*
 * sm_results_build.c -- review in, results document out: resolve the
 * settings, split the outcomes into separate outcomes (one analysis each,
 * never compared with each other), run each analysis with its subgroups
 * and meta-regression when asked, and carry the review's other sections
 * along.
 */
#include "sm_results.h"

#include "sm_aggregate_tables.h"
#include "sm_analysis_data.h"
#include "sm_analysis_json.h"
#include "sm_buf.h"
#include "sm_check.h"
#include "sm_columns.h"
#include "sm_domain_table.h"
#include "sm_init.h"
#include "sm_json_stream.h"
#include "sm_res.h"
#include "sm_row_index.h"
#include "sm_row_spool.h"
#include "sm_json_out.h"
#include "sm_prisma_check.h"
#include "sm_sof.h"
#include "sm_metareg_json.h"
#include "sm_multiplicity.h"
#include "sm_run_settings.h"
#include "sm_subgroup.h"
#include "sm_unit.h"
#include "sm_strmap.h"
#include "sm_subgroups_json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The separate outcomes in order of first appearance (as metafor's factor
 * levels in the goldens), each with its rows in input order. */
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

/* The analysis a row belongs to: its domain, its event, or "all". */
static const char *outcome_of(const struct sm_outcome *o, const char *outcome_by)
{
	const char *v = NULL;
	if (!strcmp(outcome_by, "domain"))
		v = o->domain;
	else if (!strcmp(outcome_by, "event"))
		v = o->event;
	return v ? v : "all";
}

static sm_status make_groups(struct sm_ctx *ctx, const struct sm_review *r,
			     const char *outcome_by, struct groups *g)
{
	size_t n = r->n_outcomes;
	memset(g, 0, sizeof *g);
	g->names = sm_alloc_array(n ? n : 1, sizeof *g->names);
	g->counts = sm_alloc_array(n ? n : 1, sizeof *g->counts);
	g->rows = sm_alloc_array(n ? n : 1, sizeof *g->rows);
	size_t *which = sm_alloc_array(n ? n : 1, sizeof *which);
	struct sm_strmap *index = sm_strmap_new();
	sm_status st = g->names && g->counts && g->rows && which && index
		       ? SM_OK : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	for (size_t i = 0; st == SM_OK && i < n; i++) {
		const char *name = outcome_of(&r->outcomes[i], outcome_by);
		size_t gi = g->n;
		int put = sm_strmap_put(index, name, gi, &gi);
		if (put < 0) {
			st = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
			break;
		}
		if (put == 1) {
			g->names[gi] = name;
			g->counts[gi] = 0;
			g->n++;
		}
		which[i] = gi;
		g->counts[gi]++;
	}
	sm_strmap_free(index);
	for (size_t gi = 0; st == SM_OK && gi < g->n; gi++) {
		g->rows[gi] = sm_alloc_array(g->counts[gi], sizeof **g->rows);
		if (!g->rows[gi])
			st = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		g->counts[gi] = 0;
	}
	for (size_t i = 0; st == SM_OK && i < n; i++)
		g->rows[which[i]][g->counts[which[i]]++] = &r->outcomes[i];
	free(which);
	return st;
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
	cJSON_AddStringToObject(o, "to", sm_to_name(s->esc.to));
	cJSON_AddBoolToObject(o, "drop00", s->esc.drop00);
	sm_json_add_string(o, "outcome_by", *s->outcome_by ? s->outcome_by : NULL);
	sm_json_add_string(o, "subgroup_by", s->subgroup_by);
	size_t n_mods = 0;
	const char **mods = sm_run_settings_mods(s, &n_mods);
	if (n_mods) {
		cJSON *m = cJSON_AddArrayToObject(o, "mods");
		for (size_t i = 0; i < n_mods; i++)
			cJSON_AddItemToArray(m, cJSON_CreateString(mods[i]));
	} else {
		cJSON_AddNullToObject(o, "mods");
	}
	free(mods);
	cJSON_AddStringToObject(o, "model", s->multilevel ? "multilevel" : "standard");
	cJSON_AddStringToObject(o, "cluster", s->cluster);
	static const char *const robust[] = { "none", "cr1", "cr2" };
	cJSON_AddStringToObject(o, "robust", robust[s->robust]);
	cJSON_AddBoolToObject(o, "aggregate", s->aggregate);
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
	cJSON *nums = NULL;
	for (size_t i = 0; i < s->n_chars; i++) {
		cJSON_AddStringToObject(chars, s->char_keys[i], s->char_values[i]);
		if (!s->char_numbers || isnan(s->char_numbers[i]))
			continue;
		/* the numbers behind the display texts, for moderators and axes */
		if (!nums)
			nums = cJSON_AddObjectToObject(o, "characteristics_numeric");
		cJSON *v = cJSON_AddObjectToObject(nums, s->char_keys[i]);
		sm_json_add_number(v, "value", s->char_numbers[i]);
		sm_json_add_string(v, "unit", s->char_units ? s->char_units[i] : NULL);
	}
	return o;
}

/* The review's own sections, so that a renderer needs nothing else, as
 * root's "review".  With no_studies the per-study list is left out like
 * the analyses' rows: at k = 10^6 it was most of the document and of the
 * peak memory.  With stream the rows are written out as they are made
 * (everything before them in the document is final by then) and the
 * review is closed at once: nothing after changes it. */
static void review_json(cJSON *root, const struct sm_review *r, int no_studies,
			struct sm_row_spool *spool, struct sm_json_stream *stream)
{
	cJSON *o = cJSON_AddObjectToObject(root, "review");
	if (!o)
		return;
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
		if (stream && studies) {
			sm_json_stream_enter(stream, o);
			sm_json_stream_enter(stream, studies);
		}
		for (size_t i = 0; i < r->n_studies; i++) {
			cJSON *st = study_json(&r->studies[i]);
			if (spool && !stream) /* nothing later reads these rows */
				sm_row_spool_put(spool, st, SM_ROW_DEPTH_REVIEW, NULL, 0);
			cJSON_AddItemToArray(studies, st);
			if (stream) /* the same: written and gone */
				sm_json_stream_row_drop(stream, st);
		}
		if (stream && studies)
			sm_json_stream_leave(stream);
	}
	add_copy(o, "prisma", r->prisma);
	cJSON_AddItemToObject(o, "prisma_findings", sm_prisma_check(r->prisma));
	add_copy(o, "risk_of_bias", r->risk_of_bias);
	add_copy(o, "tables", r->tables);
	add_copy(o, "reported", r->reported);
	if (stream && sm_json_stream_top(stream) == o)
		sm_json_stream_leave(stream);
}

/* The columns the settings name, found once for every analysis. */
struct columns {
	struct sm_column by;
	int have_by;
	struct sm_column *mods;
	size_t n_mods;
};

static sm_status find_columns(struct sm_ctx *ctx, const struct sm_review *r,
			      const struct sm_run_settings *s, struct columns *c)
{
	memset(c, 0, sizeof *c);
	sm_status st = SM_OK;
	if (s->subgroup_by) {
		st = sm_column_find(ctx, r, s->subgroup_by, "--by", &c->by);
		c->have_by = st == SM_OK;
	}
	size_t n = 0;
	const char **names = st == SM_OK ? sm_run_settings_mods(s, &n) : NULL;
	if (st == SM_OK && n) {
		c->mods = sm_alloc_array(n, sizeof *c->mods);
		if (!c->mods)
			st = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		for (size_t i = 0; st == SM_OK && i < n; i++)
			st = sm_column_find(ctx, r, names[i], "--mods", &c->mods[i]);
		c->n_mods = n;
	} else if (st == SM_OK && (s->mods_list || s->n_mods)) {
		st = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	free(names);
	return st;
}

/* One separate outcome: its analysis, and within it its subgroups and its
 * meta-regression when asked for. */
static cJSON *outcome_json(struct sm_ctx *ctx, const struct sm_review *r,
			   const struct sm_analysis_data *d, const struct sm_run_settings *s,
			   const struct columns *c, int several, struct sm_row_spool *spool,
			   struct sm_json_stream *stream, struct sm_row_index *index)
{
	struct sm_analysis_pooled pooled;
	memset(&pooled, 0, sizeof pooled);
	/* the pooled values only when subgroups need them (one more FE fit);
	 * the subgroups tag every row after it is made, so those rows are
	 * spooled, not streamed */
	cJSON *a = sm_analysis_json_indexed(ctx, r, d, s, c->have_by ? &pooled : NULL, spool,
					    c->have_by ? NULL : stream, index);
	cJSON *sg = a && c->have_by ? sm_subgroups_json(ctx, r, d, s, &c->by, &pooled, a) : NULL;
	cJSON *mr = a && c->n_mods && (sg || !c->have_by)
		    ? sm_metareg_json(ctx, r, d, s, c->mods, c->n_mods, several,
				      cJSON_GetObjectItemCaseSensitive(a, "warnings"))
		    : NULL;
	sm_analysis_pooled_release(&pooled);
	if (a && ((c->have_by && !sg) || (c->n_mods && !mr))) {
		cJSON_Delete(a); /* the error is in ctx */
		cJSON_Delete(sg);
		return NULL;
	}
	if (sg)
		cJSON_AddItemToObject(a, "subgroups", sg);
	if (mr)
		cJSON_AddItemToObject(a, "meta_regression", mr);
	return a;
}

static void add_unit_keys(struct sm_ctx *ctx, const struct sm_review *r,
			  const struct sm_clusters *cl, const struct sm_analysis_data *d,
			  const struct sm_run_settings *s, cJSON *a);

/* One analysis of the per-study rows of d (lower or upper bound), with the
 * same settings but no further unit-of-analysis steps; null with the reason
 * in warnings when it cannot be run. */
static cJSON *aggregate_json(struct sm_ctx *ctx, const struct sm_review *r,
			     const struct sm_clusters *cl, const struct sm_analysis_data *d,
			     const struct sm_run_settings *s, int upper, cJSON *warnings)
{
	size_t n = 0;
	struct sm_outcome *rows = sm_unit_aggregate(ctx, r, cl, d, upper, &n,
						    upper ? NULL : warnings);
	const struct sm_outcome **ptrs = rows ? sm_alloc_array(n ? n : 1, sizeof *ptrs) : NULL;
	cJSON *a = NULL;
	if (ptrs) {
		for (size_t i = 0; i < n; i++)
			ptrs[i] = &rows[i];
		struct sm_run_settings one = *s;
		one.multilevel = 0;
		one.robust = 0;
		one.aggregate = 0;
		one.cluster_given = 0;
		struct sm_analysis_data *ad = sm_analysis_data_new(ctx, r, d->name, ptrs, n, &one);
		if (ad && sm_unit_assign(ctx, cl, ad) == SM_OK)
			a = sm_analysis_json(ctx, r, ad, &one);
		if (a) {
			cJSON_AddStringToObject(a, "aggregate", upper ? "upper" : "lower");
			add_unit_keys(ctx, r, cl, ad, &one, a);
		}
		sm_analysis_data_free(ad);
	}
	free(ptrs);
	free(rows);
	if (a)
		return a;
	const struct sm_diag *dg = sm_ctx_error(ctx);
	char *msg = sm_asprintf("aggregate (%s bound): %s", upper ? "upper" : "lower",
				dg && dg->msg ? dg->msg : "not computed");
	if (msg)
		cJSON_AddItemToArray(warnings, cJSON_CreateString(msg));
	free(msg);
	sm_ctx_clear_error(ctx);
	return cJSON_CreateNull();
}

/* The unit-of-analysis keys computed outside the analysis proper: the
 * detection and the per-study aggregates, placed before "warnings". */
static void add_unit_keys(struct sm_ctx *ctx, const struct sm_review *r,
			  const struct sm_clusters *cl, const struct sm_analysis_data *d,
			  const struct sm_run_settings *s, cJSON *a)
{
	cJSON *warnings = cJSON_DetachItemFromObjectCaseSensitive(a, "warnings");
	cJSON *unit = sm_unit_detect_json(ctx, r, cl, d, !s->no_studies, warnings);
	if (unit)
		cJSON_AddItemToObject(a, "unit_of_analysis", unit);
	else
		cJSON_AddNullToObject(a, "unit_of_analysis");
	sm_ctx_clear_error(ctx);
	for (int upper = 0; upper < 2; upper++) {
		const char *key = upper ? "aggregate_upper" : "aggregate_lower";
		if (s->aggregate)
			cJSON_AddItemToObject(a, key, aggregate_json(ctx, r, cl, d, s, upper, warnings));
		else
			cJSON_AddNullToObject(a, key);
	}
	cJSON_AddItemToObject(a, "warnings", warnings);
}

static sm_status run_analyses(struct sm_ctx *ctx, const struct sm_review *r,
			      const struct sm_run_settings *s, cJSON *root,
			      struct sm_row_spool *spool, struct sm_json_stream *stream,
			      struct sm_row_index *index)
{
	struct groups g;
	struct columns c;
	struct sm_clusters *cl = sm_clusters_new(ctx, r, s->cluster);
	if (!cl)
		return sm_ctx_status(ctx, SM_EINTERNAL);
	sm_status st = find_columns(ctx, r, s, &c);
	if (st == SM_OK)
		st = make_groups(ctx, r, s->outcome_by, &g);
	else
		memset(&g, 0, sizeof g);
	cJSON *analyses = cJSON_AddArrayToObject(root, "analyses");
	if (stream && analyses) /* the review before it is final */
		sm_json_stream_enter(stream, analyses);
	for (size_t gi = 0; st == SM_OK && gi < g.n; gi++) {
		struct sm_analysis_data *d =
			sm_analysis_data_new(ctx, r, g.names[gi], g.rows[gi], g.counts[gi], s);
		if (d && sm_unit_assign(ctx, cl, d) != SM_OK) {
			sm_analysis_data_free(d);
			d = NULL;
		}
		cJSON *a = d ? outcome_json(ctx, r, d, s, &c, g.n > 1, spool, stream, index) : NULL;
		if (a)
			add_unit_keys(ctx, r, cl, d, s, a);
		sm_analysis_data_free(d);
		if (!a)
			st = sm_ctx_status(ctx, SM_EINTERNAL);
		else
			cJSON_AddItemToArray(analyses, a);
		/* its rows went out: the rest of it is final now */
		if (a && stream && sm_json_stream_top(stream) == a)
			sm_json_stream_leave(stream);
	}
	free(c.mods);
	groups_release(&g);
	sm_clusters_free(cl);
	return st;
}

static const char *input_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash && slash[1] ? slash + 1 : path;
}

/* The review's aggregate 2x2 comparisons, computed (before the check, which
 * compares the paper's tests with them); root is freed on failure. */
static cJSON *add_aggregate_tables(struct sm_ctx *ctx, const struct sm_review *r,
				   const struct sm_run_settings *s, cJSON *root)
{
	if (!r->aggregate_tables)
		return root;
	cJSON *t = sm_aggregate_tables_json(ctx, r, s->level);
	if (!t) {
		cJSON_Delete(root);
		return NULL;
	}
	cJSON_AddItemToObject(root, "aggregate_tables", t);
	return root;
}

/* What `safemeta check` finds belongs to the document, so that a report
 * shows it without computing anything itself.  Takes root; NULL on out of
 * memory. */
static cJSON *add_check(struct sm_ctx *ctx, cJSON *root, const struct sm_row_index *index)
{
	struct sm_check *check = sm_check_run_indexed(ctx, root, index);
	cJSON *cj = check ? sm_check_json(check) : NULL;
	sm_check_free(check);
	if (!cj) {
		cJSON_Delete(root);
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	cJSON_AddItemToObject(root, "check", cj);
	return root;
}

cJSON *sm_results_build(struct sm_ctx *ctx, const struct sm_review *review,
			const struct sm_analysis_opts *opts)
{
	return sm_results_build_spooled(ctx, review, opts, NULL);
}

cJSON *sm_results_build_spooled(struct sm_ctx *ctx, const struct sm_review *review,
				const struct sm_analysis_opts *opts, struct sm_row_spool *spool)
{
	return sm_results_build_streamed(ctx, review, opts, spool, NULL);
}

static cJSON *build(struct sm_ctx *ctx, const struct sm_review *review,
		    const struct sm_analysis_opts *opts, struct sm_row_spool *spool,
		    struct sm_json_stream *stream, struct sm_row_index *index)
{
	if (!sm_init_done()) {
		SM_FAIL(ctx, SM_EINTERNAL, "sm_init() was not called before the analysis; "
			"expected it once at start-up (it turns GSL's aborting error handler off)");
		return NULL;
	}
	struct sm_run_settings s;
	if (sm_run_settings_resolve(ctx, review, opts, &s) != SM_OK)
		return NULL;
	cJSON *root = cJSON_CreateObject();
	if (!root) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	/* without rows there is nothing to write once instead of twice */
	if (s.no_studies)
		stream = NULL;
	if (stream)
		sm_json_stream_begin(stream, root);
	cJSON_AddNumberToObject(root, "results_version", SM_RESULTS_VERSION);
	cJSON_AddStringToObject(root, "safemeta", SM_VERSION);
	/* The file name only (its path relative to the review's own folder):
	 * the same review gives the same bytes wherever it lies and however
	 * its path was typed. */
	sm_json_add_string(root, "input", review->path ? input_name(review->path) : NULL);
	cJSON_AddItemToObject(root, "settings", settings_json(&s));
	review_json(root, review, s.no_studies, spool, stream);
	if (review->n_outcomes == 0) {
		cJSON_AddArrayToObject(root, "analyses");
		root = add_aggregate_tables(ctx, review, &s, root);
		return root ? add_check(ctx, root, index) : NULL;
	}
	if (run_analyses(ctx, review, &s, root, spool, stream, index) != SM_OK) {
		cJSON_Delete(root);
		return NULL;
	}
	/* every analysis is final: the terms can follow them out */
	if (stream && sm_json_stream_top(stream) == cJSON_GetObjectItemCaseSensitive(root,
										     "analyses"))
		sm_json_stream_leave(stream);
	else
		stream = NULL;
	cJSON *mult = sm_multiplicity_json_indexed(ctx, root, spool, stream, index);
	if (!mult) {
		cJSON_Delete(root);
		return NULL;
	}
	cJSON_AddItemToObject(root, "multiplicity", mult);
	if (stream && sm_json_stream_top(stream) == mult)
		sm_json_stream_leave(stream);
	cJSON *table = sm_domain_table_json_indexed(ctx, root, index);
	if (table)
		cJSON_AddItemToObject(root, "domain_table", table);
	if (review->grade) /* the GRADE summary of findings (sm_sof.h) */
		cJSON_AddItemToObject(root, "summary_of_findings", sm_sof_json(ctx, review, root));
	root = add_aggregate_tables(ctx, review, &s, root);
	return root ? add_check(ctx, root, index) : NULL;
}

/* A step noted as failed for these data is part of the results; an internal
 * error (out of memory) that a step's caller cleared, or that a block left
 * recorded while leaving itself out (the domain table), is not: the whole
 * build fails with it, so that no shorter document is ever written. */
cJSON *sm_results_build_streamed(struct sm_ctx *ctx, const struct sm_review *review,
				 const struct sm_analysis_opts *opts, struct sm_row_spool *spool,
				 struct sm_json_stream *stream)
{
	unsigned long cleared = sm_ctx_internal_cleared(ctx);
	unsigned long json_failed = sm_init_json_failures();
	int had_error = sm_ctx_error(ctx) != NULL;
	/* streamed: the text rows are kept out of the tree, in the index */
	struct sm_row_index *index = stream ? sm_row_index_new() : NULL;
	if (stream && !index) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	cJSON *root = build(ctx, review, opts, spool, stream, index);
	sm_row_index_free(index); /* its readers are done */
	if (!root)
		return NULL;
	const struct sm_diag *d = sm_ctx_error(ctx);
	if (sm_init_json_failures() != json_failed) {
		cJSON_Delete(root);
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory (members of the results could not be "
			"made)");
		return NULL;
	}
	if ((!had_error && d && d->code == SM_EINTERNAL) ||
	    sm_ctx_internal_cleared(ctx) != cleared) {
		cJSON_Delete(root);
		sm_ctx_raise_cleared(ctx);
		return NULL;
	}
	return root;
}

char *sm_results_print(const cJSON *results)
{
	return sm_json_print(results);
}
