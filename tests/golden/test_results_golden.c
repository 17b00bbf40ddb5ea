/*
 * End-to-end check of the analysis stage against R metafor: for every
 * dataset in tests/golden/<name>/ (input.csv + expected.json), every measure
 * and every method, `safemeta analyze` (the reader, the settings, the
 * results builder) must produce the values metafor produced, key by key.
 *
 * Iterative estimators are compared with `fits_tight` (converged to full
 * precision); closed-form ones with `fits`.
 */
#include "sm_test.h"

#include "sm_buf.h"
#include "sm_res.h"
#include "sm_results.h"
#include "sm_review_read.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REL 1e-9
#define ABS 1e-9 /* the absolute tolerance near zero */

struct counter {
	long compared;
	long analyses;
};

static const cJSON *get(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

/* A golden number: null (NA/NaN) reads as NAN. */
static double num(const cJSON *o, const char *key)
{
	const cJSON *v = get(o, key);
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static void cmp(struct counter *c, const cJSON *ours, const char *our_key, const cJSON *gold,
		const char *gold_key, const char *where)
{
	const cJSON *g = get(gold, gold_key);
	if (!g)
		return; /* metafor has no such value for this fit */
	double want = cJSON_IsNumber(g) ? g->valuedouble : NAN;
	double got = num(ours, our_key);
	sm_check_close(got, want, REL, ABS, "%s %s", where, our_key);
	c->compared++;
}

static void cmp_pooled(struct counter *c, const cJSON *a, const cJSON *fit, const char *where)
{
	int knha = get(fit, "tval") != NULL;
	cmp(c, a, "estimate", fit, "b", where);
	cmp(c, a, "se", fit, "se", where);
	cmp(c, a, "stat", fit, knha ? "tval" : "zval", where);
	if (knha)
		cmp(c, a, "df", fit, "dfs", where);
	cmp(c, a, "p", fit, "pval", where);
	cmp(c, a, "ci_lb", fit, "ci.lb", where);
	cmp(c, a, "ci_ub", fit, "ci.ub", where);
	cmp(c, a, "pi_lb", fit, "pi.lb", where);
	cmp(c, a, "pi_ub", fit, "pi.ub", where);
	if (strcmp(get(fit, "method")->valuestring, "FE") != 0) {
		cmp(c, a, "tau2", fit, "tau2", where);
		cmp(c, a, "tau2_se", fit, "se.tau2", where);
	}
	cmp(c, a, "I2", fit, "I2", where);
	cmp(c, a, "H2", fit, "H2", where);
	cmp(c, a, "Q", fit, "QE", where);
	cmp(c, a, "Q_df", fit, "QEdf", where);
	cmp(c, a, "Q_p", fit, "QEp", where);
}

static void cmp_studies(struct counter *c, const cJSON *a, const cJSON *measure,
			const cJSON *fit, const char *where)
{
	const cJSON *studies = get(a, "studies");
	const cJSON *esc = get(measure, "escalc");
	const cJSON *yi = get(esc, "yi"), *vi = get(esc, "vi");
	const cJSON *w = get(fit, "weights");
	int k = cJSON_GetArraySize(studies);
	assert_int_equal(k, cJSON_GetArraySize(w));
	for (int i = 0; i < k; i++) {
		const cJSON *s = cJSON_GetArrayItem(studies, i);
		char at[640];
		snprintf(at, sizeof at, "%s study %d", where, i + 1);
		sm_check_close(num(s, "yi"), cJSON_GetArrayItem(yi, i)->valuedouble, REL, ABS,
			       "%s yi", at);
		sm_check_close(num(s, "vi"), cJSON_GetArrayItem(vi, i)->valuedouble, REL, ABS,
			       "%s vi", at);
		sm_check_close(num(s, "weight"), cJSON_GetArrayItem(w, i)->valuedouble, REL, ABS,
			       "%s weight", at);
		c->compared += 3;
	}
}

static void cmp_begg(struct counter *c, const cJSON *a, const cJSON *measure, const char *where)
{
	const cJSON *rt = get(measure, "ranktest");
	if (!rt || get(rt, "error"))
		return;
	cmp(c, get(a, "begg"), "tau", rt, "tau", where);
	cmp(c, get(a, "begg"), "p", rt, "pval", where);
}

/* An object nested in ours under key, compared with a golden block. */
static void cmp_block(struct counter *c, const cJSON *ours, const cJSON *gold,
		      const char *const (*pairs)[2], size_t n, const char *where)
{
	if (!gold || get(gold, "error"))
		return;
	for (size_t i = 0; i < n; i++)
		cmp(c, ours, pairs[i][0], gold, pairs[i][1], where);
}

static void cmp_diagnostics(struct counter *c, const cJSON *a, const cJSON *m,
			    const cJSON *fit, int knha, const char *where)
{
	static const char *const egger[][2] = {
		{ "p", "pval" }, { "limit", "est" }, { "limit_ci_lb", "ci.lb" },
		{ "limit_ci_ub", "ci.ub" },
	};
	const cJSON *rt = get(fit, "regtest");
	cmp_block(c, get(a, "egger"), rt, egger, 4, where);
	if (rt && !get(rt, "error"))
		cmp(c, get(a, "egger"), "stat", rt, knha ? "tval" : "zval", where);

	const cJSON *ci = get(fit, get(fit, "confint_tight") ? "confint_tight" : "confint");
	if (ci && !get(ci, "error") && !knha) {
		const char *keys[] = { "tau2", "I2", "H2" };
		for (int i = 0; i < 3; i++) {
			char ours[16];
			snprintf(ours, sizeof ours, "%s_ci", keys[i]);
			const cJSON *pair = get(a, ours);
			const cJSON *g = get(ci, keys[i]);
			double lb = cJSON_IsNumber(cJSON_GetArrayItem(pair, 0))
					    ? cJSON_GetArrayItem(pair, 0)->valuedouble : NAN;
			double ub = cJSON_IsNumber(cJSON_GetArrayItem(pair, 1))
					    ? cJSON_GetArrayItem(pair, 1)->valuedouble : NAN;
			sm_check_close(lb, num(g, "ci.lb"), 1e-8, ABS, "%s %s lb", where, ours);
			sm_check_close(ub, num(g, "ci.ub"), 1e-8, ABS, "%s %s ub", where, ours);
			c->compared += 2;
		}
	}

	static const char *const tf[][2] = {
		{ "k0", "k0" }, { "k0_se", "se.k0" }, { "estimate", "b" }, { "se", "se" },
		{ "ci_lb", "ci.lb" }, { "ci_ub", "ci.ub" }, { "p", "pval" },
	};
	if (!knha)
		cmp_block(c, get(a, "trimfill"), get(fit, "trimfill"), tf, 7, where);

	const cJSON *inf = get(fit, "influence");
	const cJSON *loo = get(fit, "leave1out");
	const cJSON *cum = get(fit, "cumul");
	const cJSON *studies = get(a, "studies");
	for (int i = 0; inf && !get(inf, "error") && i < cJSON_GetArraySize(studies); i++) {
		const cJSON *s = cJSON_GetArrayItem(studies, i);
		static const char *const cols[][2] = {
			{ "rstudent", "rstudent" }, { "dffits", "dffits" }, { "cooks", "cook.d" },
			{ "cov_r", "cov.r" }, { "Q_del", "QE.del" }, { "hat", "hat" },
			{ "dfbs", "dfbs" },
		};
		/* Paule-Mandel deletion fits in the reference are found by uniroot
		 * to 1e-12 absolute; differences of estimates amplify that to
		 * ~1e-9 relative where vi is tiny (see tests/analysis). */
		double rel = strstr(where, " PM") ? 1e-6 : REL; /* the bar */
		for (size_t j = 0; j < sizeof cols / sizeof cols[0]; j++) {
			const cJSON *col = get(inf, cols[j][1]);
			const cJSON *v = cJSON_GetArrayItem(col, i);
			sm_check_close(num(s, cols[j][0]), cJSON_IsNumber(v) ? v->valuedouble : NAN,
				       rel, ABS, "%s study %d %s", where, i + 1, cols[j][0]);
			c->compared++;
		}
		const cJSON *flag = cJSON_GetArrayItem(get(inf, "inf"), i);
		assert_int_equal(cJSON_IsTrue(get(s, "influential")), cJSON_IsTrue(flag));
		const struct { const cJSON *g; const char *key; } sets[] = {
			{ loo, "loo" }, { cum, "cumul" },
		};
		for (int t = 0; t < 2; t++) {
			if (!sets[t].g || get(sets[t].g, "error"))
				continue;
			const cJSON *v = cJSON_GetArrayItem(get(sets[t].g, "estimate"), i);
			const cJSON *ub = cJSON_GetArrayItem(get(sets[t].g, "ci.ub"), i);
			const cJSON *ours = get(s, sets[t].key);
			sm_check_close(num(ours, "estimate"), cJSON_IsNumber(v) ? v->valuedouble : NAN,
				       REL, ABS, "%s study %d %s estimate", where, i + 1, sets[t].key);
			sm_check_close(num(ours, "ci_ub"), cJSON_IsNumber(ub) ? ub->valuedouble : NAN,
				       REL, ABS, "%s study %d %s ci_ub", where, i + 1, sets[t].key);
			c->compared += 2;
		}
	}
	(void)m;
}

/* Measure-level results that do not depend on the tau2 method. */
static void cmp_measure_level(struct counter *c, const cJSON *a, const cJSON *m,
			      const char *where)
{
	static const char *const fsn[][2] = { { "rosenthal", "fsnum" }, { "rosenthal_p", "pval" } };
	cmp_block(c, get(a, "failsafe"), get(get(m, "fsn"), "Rosenthal"), fsn, 2, where);
	static const char *const orwin[][2] = { { "orwin", "fsnum" } };
	cmp_block(c, get(a, "failsafe"), get(get(m, "fsn"), "Orwin"), orwin, 1, where);
	static const char *const rosenberg[][2] = { { "rosenberg", "fsnum" },
						    { "rosenberg_p", "pval" } };
	cmp_block(c, get(a, "failsafe"), get(get(m, "fsn"), "Rosenberg"), rosenberg, 2, where);
	static const char *const mh[][2] = {
		{ "estimate", "b" }, { "se", "se" }, { "p", "pval" }, { "ci_lb", "ci.lb" },
		{ "ci_ub", "ci.ub" }, { "Q", "QE" }, { "Q_p", "QEp" }, { "I2", "I2" },
		{ "CMH", "CMH" }, { "BD", "BD" }, { "tarone", "TA" },
	};
	if (get(a, "mh"))
		cmp_block(c, get(a, "mh"), get(m, "mh"), mh, sizeof mh / sizeof mh[0], where);
	static const char *const peto[][2] = {
		{ "estimate", "b" }, { "se", "se" }, { "p", "pval" }, { "Q", "QE" }, { "I2", "I2" },
	};
	if (get(a, "peto"))
		cmp_block(c, get(a, "peto"), get(m, "peto"), peto, 5, where);
}

/* The tests for subgroup differences of the analysis holding the subgroups:
 * common effect (FE within), random effects with a tau2 per subgroup (the
 * golden's re_between_separate_tau2, DL and tight REML) and the mixed-
 * effects model with one tau2 (mods, mods_tight). */
static void cmp_subgroups(struct counter *c, const cJSON *analysis, const cJSON *gold,
			  const char *measure, const char *key, const char *method, int iterative,
			  const char *where)
{
	const cJSON *sg = get(get(get(gold, "subgroup"), "measures"), measure);
	const cJSON *tests = get(get(analysis, "subgroups"), "tests");
	assert_non_null(tests);
	if (!sg)
		return;
	const cJSON *fe = get(sg, "fe_between");
	if (fe && !get(fe, "error")) {
		cmp(c, get(tests, "common_effect"), "Q", fe, "Q", where);
		cmp(c, get(tests, "common_effect"), "Q_df", fe, "df", where);
		cmp(c, get(tests, "common_effect"), "Q_p", fe, "pval", where);
	}
	const cJSON *between = NULL;
	if (!strcmp(key, "DL"))
		between = get(get(sg, "re_between_separate_tau2"), "DL");
	else if (!strcmp(key, "REML"))
		between = get(get(sg, "re_between_separate_tau2"), "REML_tight");
	if (between && !get(between, "error")) {
		cmp(c, get(tests, "random_effects_separate_tau2"), "Q", between, "Q", where);
		cmp(c, get(tests, "random_effects_separate_tau2"), "Q_p", between, "pval", where);
	}
	const cJSON *mods = get(get(sg, iterative ? "mods_tight" : "mods"), key);
	if (!mods || get(mods, "error"))
		return;
	const cJSON *ours = get(tests, "mixed_effects_common_tau2");
	assert_true(cJSON_IsObject(ours));
	cmp(c, ours, "QM", mods, "QM", where);
	cmp(c, ours, "QM_p", mods, "QMp", where);
	cmp(c, ours, "QE", mods, "QE", where);
	cmp(c, ours, "QE_p", mods, "QEp", where);
	if (strcmp(method, "FE") != 0)
		cmp(c, ours, "tau2", mods, "tau2", where);
	const cJSON *coef;
	int i = 0;
	cJSON_ArrayForEach(coef, get(ours, "coefficients")) {
		double want = cJSON_GetArrayItem(get(mods, "b"), i)->valuedouble;
		double want_se = cJSON_GetArrayItem(get(mods, "se"), i)->valuedouble;
		sm_check_close(num(coef, "estimate"), want, REL, ABS, "%s coefficient %d", where, i);
		sm_check_close(num(coef, "se"), want_se, REL, ABS, "%s coefficient se %d", where, i);
		c->compared += 2;
		i++;
	}
	assert_int_equal(i, cJSON_GetArraySize(get(mods, "b")));
}

static const cJSON *golden_analysis(const cJSON *gold, const char *name)
{
	const cJSON *an;
	cJSON_ArrayForEach(an, get(gold, "analyses")) {
		if (!strcmp(get(an, "name")->valuestring, name))
			return an;
	}
	return NULL;
}

/* metafor's tight refit needed stepadj = 0.5 somewhere in this set. */
static int needs_stepadj(const cJSON *gold, const char *measure, const char *key)
{
	const cJSON *an;
	cJSON_ArrayForEach(an, get(gold, "analyses")) {
		const cJSON *fit = get(get(get(get(an, "measures"), measure), "fits_tight"), key);
		if (fit && get(fit, "tight_control_error"))
			return 1;
	}
	return 0;
}

static void check_method(struct counter *c, const char *dataset, const struct sm_review *review,
			 const cJSON *gold, const char *measure, const char *method, int knha,
			 int grouped)
{
	struct sm_analysis_opts opts;
	sm_analysis_opts_init(&opts);
	char tkey[32];
	snprintf(tkey, sizeof tkey, "%s%s", method, knha ? "_knha" : "");
	if (needs_stepadj(gold, measure, tkey))
		opts.stepadj = 0.5;
	/* Reproduce the reference's own control (metafor's absolute threshold,
	 * meta.tight_control): safemeta's default full precision differs from
	 * where that rule stops by up to ~1e-8 relative for small tau2 (RD). */
	const cJSON *thr = get(get(get(gold, "meta"), "tight_control"), "threshold");
	if (cJSON_IsNumber(thr))
		opts.threshold = thr->valuedouble;
	opts.measure = measure;
	opts.method = method;
	opts.test = knha ? "knha" : "z";
	opts.by = grouped ? "group" : "";
	struct sm_ctx *ctx = sm_ctx_new();
	cJSON *results = sm_results_build(ctx, review, &opts);
	if (!results) {
		print_error("%s %s %s: %s\n", dataset, measure, method, sm_ctx_error(ctx)->msg);
		fail();
	}
	/* What the writer wrote is what the typed reader accepts, for every
	 * measure, method and test of every reference set. */
	struct sm_res *typed = sm_res_from_json(ctx, dataset, results);
	if (!typed) {
		char *m = sm_diag_format(sm_ctx_error(ctx));
		print_error("%s %s %s: results do not read back: %s\n", dataset, measure, method,
			    m ? m : "?");
		free(m);
		fail();
	}
	sm_res_free(typed);
	char key[32];
	snprintf(key, sizeof key, "%s%s", method, knha ? "_knha" : "");
	int iterative = !strcmp(method, "REML") || !strcmp(method, "ML") ||
			!strcmp(method, "PM") || !strcmp(method, "EB");
	/* The input's groups are subgroups of one analysis ("all"): the
	 * golden's per-group analyses are its subgroups. */
	const cJSON *top = get(results, "analyses");
	assert_int_equal(cJSON_GetArraySize(top), 1);
	const cJSON *all = cJSON_GetArrayItem(top, 0);
	assert_string_equal(get(all, "name")->valuestring, "all");
	assert_null(get(results, "subgroups")); /* no test between separate outcomes */
	const cJSON *list[2] = { top, grouped ? get(get(all, "subgroups"), "groups") : NULL };
	if (grouped)
		assert_non_null(list[1]);
	for (int l = 0; l < 2; l++) {
		const cJSON *a;
		cJSON_ArrayForEach(a, list[l]) {
			const char *name = get(a, "name")->valuestring;
			const cJSON *ga = golden_analysis(gold, name);
			if (!ga) {
				/* msc-table3 has only its groups, no pooled "all" */
				assert_string_equal(name, "all");
				continue;
			}
			const cJSON *m = get(get(ga, "measures"), measure);
			const cJSON *fit = get(get(m, iterative ? "fits_tight" : "fits"), key);
			if (!fit || get(fit, "error"))
				continue; /* metafor refused; checked by the error tests */
			char where[512];
			snprintf(where, sizeof where, "%s/%s %s %s", dataset, name, measure, key);
			cmp_pooled(c, a, fit, where);
			cmp_studies(c, a, m, fit, where);
			cmp_diagnostics(c, a, m, fit, knha, where);
			if (!knha && !strcmp(method, "DL")) {
				cmp_begg(c, a, m, where);
				cmp_measure_level(c, a, m, where);
			}
			c->analyses++;
		}
	}
	if (grouped) {
		char where[256];
		snprintf(where, sizeof where, "%s subgroups %s %s", dataset, measure, key);
		cmp_subgroups(c, all, gold, measure, key, method, iterative, where);
	}
	cJSON_Delete(results);
	sm_ctx_free(ctx);
}

static void check_dataset(struct counter *c, const char *dir)
{
	char *exp_path = sm_asprintf("tests/golden/%s/expected.json", dir);
	char *csv_path = sm_asprintf("tests/golden/%s/input.csv", dir);
	char *text = sm_test_slurp(exp_path);
	cJSON *gold = cJSON_Parse(text);
	free(text);
	assert_non_null(gold);
	const cJSON *meta = get(gold, "meta");
	int grouped = cJSON_IsString(get(meta, "group_variable")) &&
		      get(get(gold, "subgroup"), "levels") != NULL;
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_review *review = sm_review_load_csv(ctx, csv_path);
	if (!review) {
		print_error("%s: %s\n", csv_path, sm_ctx_error(ctx)->msg);
		fail();
	}
	static const char *const methods[] = { "FE", "DL", "HE", "HS", "SJ",
					       "REML", "ML", "PM", "EB" };
	const cJSON *measure;
	cJSON_ArrayForEach(measure, get(meta, "measures")) {
		for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
			check_method(c, dir, review, gold, measure->valuestring, methods[i], 0,
				     grouped);
		check_method(c, dir, review, gold, measure->valuestring, "DL", 1, grouped);
		check_method(c, dir, review, gold, measure->valuestring, "REML", 1, grouped);
	}
	sm_review_free(review);
	sm_ctx_free(ctx);
	cJSON_Delete(gold);
	free(exp_path);
	free(csv_path);
}

static void every_golden_dataset(void **state)
{
	(void)state;
	struct counter c = { 0, 0 };
	DIR *d = opendir("tests/golden");
	assert_non_null(d);
	struct dirent *e;
	int datasets = 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char *csv = sm_asprintf("tests/golden/%s/input.csv", e->d_name);
		char *exp = sm_asprintf("tests/golden/%s/expected.json", e->d_name);
		FILE *f = fopen(csv, "r"), *g = fopen(exp, "r");
		free(csv);
		free(exp);
		if (f)
			fclose(f);
		if (g)
			fclose(g);
		if (!f || !g)
			continue;
		check_dataset(&c, e->d_name);
		datasets++;
	}
	closedir(d);
	printf("compared %ld values in %ld analyses of %d datasets with metafor\n", c.compared,
	       c.analyses, datasets);
	/* Exact counts: a comparison that silently stopped reading a key would
	 * still pass a "more than" bound.  A new reference set changes them. */
	assert_int_equal(datasets, 10);
	assert_int_equal(c.analyses, 1089);
	assert_int_equal(c.compared, 221872);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_golden_dataset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
