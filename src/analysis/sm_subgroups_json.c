#include "sm_subgroups_json.h"

#include "sm_buf.h"
#include "sm_json_out.h"
#include "sm_rma.h"
#include "sm_strmap.h"
#include "sm_subgroup.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The analysis' rows split by level, levels in order of first appearance
 * (as meta orders subgroups): one pass to number them, one to place rows. */
struct split {
	size_t G;
	const char **levels;   /* G names: review strings, or owned copies */
	char **owned;          /* copies of numbers printed as levels (years) */
	size_t n_owned;
	size_t *level_of_row;  /* d->n */
	size_t *start, *count; /* G each: rows of level g are rows[start[g]...] */
	const struct sm_outcome **rows;
};

static void split_release(struct split *sp)
{
	for (size_t i = 0; i < sp->n_owned; i++)
		free(sp->owned[i]);
	free(sp->owned);
	free(sp->levels);
	free(sp->level_of_row);
	free(sp->start);
	free(sp->rows);
	memset(sp, 0, sizeof *sp);
}

static int new_level(struct split *sp, struct sm_strmap *map, const char *t, const char *buf)
{
	const char *key = t;
	if (t == buf) { /* printed into the caller's buffer: keep a copy */
		char *copy = strdup(buf);
		if (!copy)
			return -1;
		sp->owned[sp->n_owned++] = copy;
		key = copy;
	}
	if (sm_strmap_put(map, key, sp->G, NULL) < 0)
		return -1;
	sp->levels[sp->G++] = key;
	return 0;
}

static sm_status number_levels(struct sm_ctx *ctx, const struct sm_analysis_data *d,
			       const struct sm_column *col, struct split *sp)
{
	struct sm_strmap *map = sm_strmap_new();
	if (!map)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	sm_status st = SM_OK;
	for (size_t i = 0; st == SM_OK && i < d->n; i++) {
		struct sm_column_value v;
		char buf[32];
		sm_column_get(col, d->rows[i], &v);
		const char *t = sm_column_text(&v, buf, sizeof buf);
		size_t g = 0;
		if (!t)
			st = SM_FAIL(ctx, SM_EINTERNAL, "row %zu has no value; expected one", i + 1);
		else if (sm_strmap_get(map, t, &g))
			sp->level_of_row[i] = g;
		else if (new_level(sp, map, t, buf) != 0)
			st = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		else
			sp->level_of_row[i] = sp->G - 1;
	}
	sm_strmap_free(map);
	return st;
}

static sm_status split_rows(struct sm_ctx *ctx, const struct sm_analysis_data *d,
			    const struct sm_column *col, struct split *sp)
{
	size_t n = d->n ? d->n : 1;
	memset(sp, 0, sizeof *sp);
	sp->levels = sm_alloc_array(n, sizeof *sp->levels);
	sp->owned = sm_alloc_array(n, sizeof *sp->owned);
	sp->level_of_row = sm_alloc_array(n, sizeof *sp->level_of_row);
	sp->start = sm_alloc_array(2 * n, sizeof *sp->start);
	sp->rows = sm_alloc_array(n, sizeof *sp->rows);
	if (!sp->levels || !sp->owned || !sp->level_of_row || !sp->start || !sp->rows)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	sp->count = sp->start + n;
	sm_status st = number_levels(ctx, d, col, sp);
	if (st)
		return st;
	memset(sp->count, 0, sp->G * sizeof *sp->count);
	for (size_t i = 0; i < d->n; i++)
		sp->count[sp->level_of_row[i]]++;
	size_t at = 0;
	for (size_t g = 0; g < sp->G; g++) {
		sp->start[g] = at;
		at += sp->count[g];
		sp->count[g] = 0;
	}
	for (size_t i = 0; i < d->n; i++) {
		size_t g = sp->level_of_row[i];
		sp->rows[sp->start[g] + sp->count[g]++] = d->rows[i];
	}
	return SM_OK;
}

/* ---- the subgroups' own analyses --------------------------------------- */

/* Per subgroup what the tests need: its estimates, or k = 0. */
struct level_fit {
	size_t k;
	struct sm_analysis_pooled pooled;
};

static void add_warning(cJSON *warnings, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add_warning(cJSON *warnings, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = sm_vasprintf(fmt, ap);
	va_end(ap);
	if (msg)
		cJSON_AddItemToArray(warnings, cJSON_CreateString(msg));
	free(msg);
}

/* A subgroup whose rows all left the model: no analysis, only its counts. */
static cJSON *empty_level(const char *level, size_t rows)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", level);
	cJSON_AddNumberToObject(o, "k", 0);
	cJSON_AddNumberToObject(o, "k_rows", (double)rows);
	cJSON *w = cJSON_AddArrayToObject(o, "warnings");
	cJSON_AddItemToArray(w, cJSON_CreateString("no study of this subgroup has a finite effect "
						   "size: it is left out of the tests"));
	return o;
}

/* The analysis of subgroup g; NULL on error (in ctx). */
static cJSON *level_json(struct sm_ctx *ctx, const struct sm_review *r,
			 const struct sm_analysis_data *d, const struct sm_run_settings *s,
			 const struct sm_column *col, const struct split *sp, size_t g,
			 struct level_fit *lf)
{
	/* the data's name says which analysis failed, should one fail */
	char *name = sm_asprintf("%s / %s = %s", d->name, col->name, sp->levels[g]);
	if (!name) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	struct sm_analysis_data *dg = sm_analysis_data_new(ctx, r, name, sp->rows + sp->start[g],
							   sp->count[g], s);
	cJSON *o = NULL;
	if (dg && dg->k == 0) {
		o = empty_level(sp->levels[g], dg->n);
	} else if (dg) {
		o = sm_analysis_json_pooled(ctx, r, dg, s, &lf->pooled);
		lf->k = dg->k;
		if (o)
			cJSON_ReplaceItemInObjectCaseSensitive(o, "name",
							       cJSON_CreateString(sp->levels[g]));
	}
	sm_analysis_data_free(dg);
	free(name);
	return o;
}

/* Each subgroup's share of the analysis' total weight (the overall model),
 * as meta and RevMan show beside the subgroup rows. */
static void add_weight_shares(cJSON *groups, const struct sm_analysis_data *d,
			      const struct split *sp, const struct sm_analysis_pooled *overall)
{
	double *share = calloc(sp->G ? sp->G : 1, sizeof *share);
	if (!share)
		return;
	/* by row: Mantel-Haenszel and Peto weigh rows without an effect size */
	for (size_t i = 0; i < d->n && overall->row_weights; i++)
		if (isfinite(overall->row_weights[i]))
			share[sp->level_of_row[i]] += overall->row_weights[i];
	size_t g = 0;
	const cJSON *o;
	cJSON_ArrayForEach(o, groups) {
		sm_json_add_number((cJSON *)o, "weight", overall->row_weights ? share[g] : NAN);
		g++;
	}
	free(share);
}

/* Every study and excluded row of the analysis gets its subgroup. */
static void tag_studies(cJSON *analysis, const struct sm_analysis_data *d,
			const struct split *sp)
{
	cJSON *studies = cJSON_GetObjectItemCaseSensitive(analysis, "studies");
	cJSON *excluded = cJSON_GetObjectItemCaseSensitive(analysis, "excluded");
	cJSON *st = studies ? studies->child : NULL, *ex = excluded ? excluded->child : NULL;
	size_t j = 0;
	for (size_t row = 0; row < d->n; row++) {
		int in = j < d->k && d->idx[j] == row;
		cJSON *item = in ? st : ex;
		if (item)
			cJSON_AddStringToObject(item, "subgroup", sp->levels[sp->level_of_row[row]]);
		if (in) {
			st = st ? st->next : NULL;
			j++;
		} else {
			ex = ex ? ex->next : NULL;
		}
	}
}

/* ---- tests for subgroup differences ------------------------------------ */

/* Q test between the subgroup estimates b (variances v), n of them. */
static cJSON *between_json(struct sm_ctx *ctx, const double *b, const double *v, size_t n,
			   const char *model, cJSON *warnings, const char *which)
{
	struct sm_rma_opts fe = sm_rma_tight(SM_FE, SM_TEST_Z);
	struct sm_rma_fit f;
	if (sm_rma_fit(ctx, b, v, n, &fe, &f) != SM_OK) {
		const struct sm_diag *dg = sm_ctx_error(ctx);
		add_warning(warnings, "%s: %s", which, dg && dg->msg ? dg->msg : "not computed");
		sm_ctx_clear_error(ctx);
		return cJSON_CreateNull();
	}
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "model", model);
	cJSON_AddNumberToObject(o, "subgroups", (double)n);
	sm_json_add_number(o, "Q", f.QE);
	sm_json_add_number(o, "Q_df", f.QE_df);
	sm_json_add_number(o, "Q_p", f.QEp);
	return o;
}

static const char *common_model_name(const struct sm_run_settings *s)
{
	switch (s->pooling) {
	case SM_POOL_MH:
	case SM_POOL_REVMAN_DL:
		return "Mantel-Haenszel common-effect estimate of each subgroup; Q test between "
		       "the subgroup estimates (meta: Q.b.common)";
	case SM_POOL_PETO:
		return "Peto common-effect estimate of each subgroup; Q test between the "
		       "subgroup estimates (meta: Q.b.common)";
	case SM_POOL_IV:
	case SM_POOL_GLMM: /* its subgroups' common-effect twins are rma FE fits */
		break;
	}
	return "inverse-variance common-effect (FE) estimate of each subgroup; Q test between "
	       "the subgroup estimates (meta: Q.b.common; metafor: QM of rma(yi, vi, mods = "
	       "~ factor(subgroup), method = \"FE\"))";
}


static cJSON *mixed_json(struct sm_ctx *ctx, const struct sm_analysis_data *d,
			 const size_t *code, size_t G, const char *const *levels,
			 const struct sm_run_settings *s, cJSON *warnings)
{
	const char *which = "mixed-effects test for subgroup differences";
	if (G > SM_SUBGROUP_MODS_MAX_LEVELS) {
		add_warning(warnings, "%s: %zu subgroups are more than %d; not computed", which, G,
			    SM_SUBGROUP_MODS_MAX_LEVELS);
		return cJSON_CreateNull();
	}
	struct sm_rma_opts o = sm_run_settings_iv(s);
	size_t need = o.method == SM_FE ? G : G + 1;
	if (d->k < need) {
		add_warning(warnings, "%s: %zu studies for %zu coefficients%s; expected at least %zu "
			    "studies", which, d->k, G, o.method == SM_FE ? "" : " and tau2", need);
		return cJSON_CreateNull();
	}
	struct sm_rma_mods m;
	double R2 = NAN;
	if (sm_subgroup_mods(ctx, d->yi, d->vi, code, d->k, G, &o, &m, &R2) != SM_OK) {
		const struct sm_diag *dg = sm_ctx_error(ctx);
		add_warning(warnings, "%s: %s", which, dg && dg->msg ? dg->msg : "not computed");
		sm_ctx_clear_error(ctx);
		return cJSON_CreateNull();
	}
	cJSON *out = cJSON_CreateObject();
	char *model = sm_asprintf("rma(yi, vi, mods = ~ factor(subgroup), method = \"%s\", "
				  "test = \"%s\"): one residual tau2 for all subgroups",
				  sm_method_name(o.method), sm_test_name(m.test));
	sm_json_add_string(out, "model", model);
	free(model);
	cJSON_AddStringToObject(out, "method", sm_method_name(o.method));
	cJSON_AddStringToObject(out, "test", sm_test_name(m.test));
	cJSON_AddNumberToObject(out, "k", (double)d->k);
	sm_json_add_number(out, "QM", m.QM);
	sm_json_add_number(out, "QM_df", m.QM_df1);
	sm_json_add_number(out, "QM_df2", m.QM_df2);
	sm_json_add_number(out, "QM_p", m.QMp);
	cJSON_AddStringToObject(out, "QM_distribution", m.test == SM_TEST_KNHA ? "F" : "chisq");
	sm_json_add_number(out, "QE", m.QE);
	sm_json_add_number(out, "QE_df", m.QE_df);
	sm_json_add_number(out, "QE_p", m.QEp);
	int re = o.method != SM_FE;
	sm_json_add_number(out, "tau2", re ? m.tau2 : NAN);
	sm_json_add_number(out, "I2", m.I2);
	sm_json_add_number(out, "R2", R2);
	cJSON_AddStringToObject(out, "reference", levels[0]);
	cJSON *coefs = cJSON_AddArrayToObject(out, "coefficients");
	for (size_t g = 0; g < G; g++) {
		cJSON *c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "name", g ? levels[g] : "intrcpt");
		sm_json_add_number(c, "estimate", m.b[g]);
		sm_json_add_number(c, "se", m.se[g]);
		sm_json_add_number(c, "stat", m.stat[g]);
		sm_json_add_number(c, "p", m.pval[g]);
		sm_json_add_number(c, "ci_lb", m.ci_lb[g]);
		sm_json_add_number(c, "ci_ub", m.ci_ub[g]);
		cJSON_AddItemToArray(coefs, c);
	}
	sm_rma_mods_release(&m);
	return out;
}

/* The three tests over the subgroups with studies (G_eff of them). */
static cJSON *tests_json(struct sm_ctx *ctx, const struct sm_analysis_data *d,
			 const struct sm_run_settings *s, const struct split *sp,
			 const struct level_fit *lf, int random, cJSON *warnings)
{
	cJSON *t = cJSON_CreateObject();
	size_t G = sp->G;
	double *arr = sm_alloc_array(4 * G, sizeof *arr);
	size_t *eff = sm_alloc_array(G, sizeof *eff), *code = sm_alloc_array(d->k ? d->k : 1,
									     sizeof *code);
	const char **names = sm_alloc_array(G, sizeof *names);
	if (!arr || !eff || !code || !names) {
		free(arr);
		free(eff);
		free(code);
		free(names);
		cJSON_Delete(t);
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	double *cb = arr, *cv = arr + G, *rb = arr + 2 * G, *rv = arr + 3 * G;
	size_t n = 0;
	for (size_t g = 0; g < G; g++) {
		eff[g] = SIZE_MAX;
		if (lf[g].k == 0)
			continue;
		eff[g] = n;
		names[n] = sp->levels[g];
		cb[n] = lf[g].pooled.common_b;
		cv[n] = lf[g].pooled.common_se * lf[g].pooled.common_se;
		rb[n] = lf[g].pooled.b;
		rv[n] = lf[g].pooled.se * lf[g].pooled.se;
		n++;
	}
	if (n < 2) {
		if (G > 1) /* else said already */
			add_warning(warnings, "test for subgroup differences: %zu subgroup%s with "
				    "studies; expected at least 2", n, n == 1 ? "" : "s");
		cJSON_AddNullToObject(t, "common_effect");
		cJSON_AddNullToObject(t, "random_effects_separate_tau2");
		cJSON_AddNullToObject(t, "mixed_effects_common_tau2");
	} else {
		cJSON_AddItemToObject(t, "common_effect",
				      between_json(ctx, cb, cv, n, common_model_name(s), warnings,
						   "common-effect test for subgroup differences"));
		if (random) {
			char *model = sm_asprintf(
				"random-effects estimate (%s) of each subgroup with its own tau2, "
				"standard errors as shown (test = \"%s\"); Q test between the "
				"subgroup estimates (meta: Q.b.random)",
				sm_method_name(s->pooling == SM_POOL_REVMAN_DL ? SM_DL : s->method),
				sm_test_name(s->test));
			cJSON_AddItemToObject(t, "random_effects_separate_tau2",
					      between_json(ctx, rb, rv, n, model ? model : "",
							   warnings, "random-effects test for "
							   "subgroup differences"));
			free(model);
		} else {
			cJSON_AddNullToObject(t, "random_effects_separate_tau2");
		}
		for (size_t j = 0; j < d->k; j++)
			code[j] = eff[sp->level_of_row[d->idx[j]]];
		cJSON_AddItemToObject(t, "mixed_effects_common_tau2",
				      mixed_json(ctx, d, code, n, names, s, warnings));
	}
	free(arr);
	free(eff);
	free(code);
	free(names);
	return t;
}

static void move_warnings(const cJSON *from, cJSON *to, const char *by)
{
	const cJSON *w;
	cJSON_ArrayForEach(w, from) {
		char *msg = sm_asprintf("subgroups by '%s': %s", by, w->valuestring);
		if (msg && to)
			cJSON_AddItemToArray(to, cJSON_CreateString(msg));
		free(msg);
	}
}

cJSON *sm_subgroups_json(struct sm_ctx *ctx, const struct sm_review *review,
			 const struct sm_analysis_data *d, const struct sm_run_settings *s,
			 const struct sm_column *col, const struct sm_analysis_pooled *overall,
			 cJSON *analysis)
{
	if (sm_column_require(ctx, col, d->rows, d->n, d->name, "subgroup column") != SM_OK)
		return NULL;
	struct split sp;
	if (split_rows(ctx, d, col, &sp) != SM_OK) {
		split_release(&sp);
		return NULL;
	}
	struct level_fit *lf = calloc(sp.G ? sp.G : 1, sizeof *lf);
	cJSON *out = cJSON_CreateObject(), *warnings = cJSON_CreateArray();
	/* reasons for null tests go to the analysis' warnings, as every
	 * statistic's do; collected here first so a failure leaves none */
	cJSON_AddStringToObject(out, "by", col->name);
	cJSON_AddStringToObject(out, "source", sm_column_source_name(col));
	cJSON *levels = cJSON_AddArrayToObject(out, "levels");
	cJSON *groups = cJSON_AddArrayToObject(out, "groups");
	sm_status st = lf ? SM_OK : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	for (size_t g = 0; st == SM_OK && g < sp.G; g++) {
		cJSON_AddItemToArray(levels, cJSON_CreateString(sp.levels[g]));
		cJSON *o = level_json(ctx, review, d, s, col, &sp, g, &lf[g]);
		if (!o)
			st = sm_ctx_status(ctx, SM_EINTERNAL);
		else
			cJSON_AddItemToArray(groups, o);
	}
	cJSON *tests = NULL;
	if (st == SM_OK) {
		if (sp.G == 1)
			add_warning(warnings, "one value ('%s') in this analysis: no subgroups to "
				    "compare", sp.levels[0]);
		add_weight_shares(groups, d, &sp, overall);
		tests = tests_json(ctx, d, s, &sp, lf, overall->random, warnings);
		if (!tests)
			st = SM_EINTERNAL;
	}
	if (st == SM_OK) {
		cJSON_AddItemToObject(out, "tests", tests);
		tag_studies(analysis, d, &sp);
		move_warnings(warnings, cJSON_GetObjectItemCaseSensitive(analysis, "warnings"),
			      col->name);
	} else {
		cJSON_Delete(out);
		out = NULL;
	}
	cJSON_Delete(warnings);
	for (size_t g = 0; lf && g < sp.G; g++)
		sm_analysis_pooled_release(&lf[g].pooled);
	free(lf);
	split_release(&sp);
	return out;
}
