/*
 * The one-word presets reproduce their references (tests/golden/presets/
 * presets.json, made by tests/golden/gen/presets.R with metafor 3.8-1):
 *   metafor       REML, z (compared with the tight-control fit)
 *   revman5       MH common effect; DL with tau2 from the MH-based Q
 *   cochrane2025  REML, Hartung-Knapp, t prediction interval
 *
 * RevMan 5 keeps double-zero studies for the risk difference (an RD of 0 is
 * informative) while the reference drops them for every measure, so the
 * revman5 random-effects row is compared for OR and RR only.
 */
#include "sm_test.h"

#include "sm_buf.h"
#include "sm_results.h"
#include "sm_review_read.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REL 1e-9
#define ABS 1e-9

static const cJSON *get(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = get(o, key);
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static long compared;

static void cmp(const cJSON *ours, const char *our_key, const cJSON *ref, const char *ref_key,
		const char *where)
{
	if (!get(ref, ref_key))
		return;
	sm_check_close(num(ours, our_key), num(ref, ref_key), REL, ABS, "%s %s", where, our_key);
	compared++;
}

static void cmp_fit(const cJSON *a, const cJSON *ref, const char *where)
{
	cmp(a, "estimate", ref, "b", where);
	cmp(a, "se", ref, "se", where);
	cmp(a, "p", ref, "pval", where);
	cmp(a, "ci_lb", ref, "ci.lb", where);
	cmp(a, "ci_ub", ref, "ci.ub", where);
	cmp(a, "tau2", ref, "tau2", where);
	cmp(a, "pi_lb", ref, "pi.lb", where);
	cmp(a, "pi_ub", ref, "pi.ub", where);
	cmp(a, "stat", ref, get(ref, "tval") ? "tval" : "zval", where);
	cmp(a, "Q", ref, "QE", where);
	cmp(a, "I2", ref, "I2", where);
}

/* An analysis, or a subgroup of one (the reference's groups are the
 * subgroups of the input's "group" column). */
static const cJSON *find_analysis(const cJSON *results, const char *name)
{
	const cJSON *a, *g;
	cJSON_ArrayForEach(a, get(results, "analyses")) {
		if (!strcmp(get(a, "name")->valuestring, name))
			return a;
		cJSON_ArrayForEach(g, get(get(a, "subgroups"), "groups"))
			if (!strcmp(get(g, "name")->valuestring, name))
				return g;
	}
	return NULL;
}

static void check_preset(const struct sm_review *review, const cJSON *ref_set,
			 const char *preset, const char *measure, const char *dataset)
{
	struct sm_analysis_opts opts;
	sm_analysis_opts_init(&opts);
	opts.preset = preset;
	opts.measure = measure;
	opts.by = "group";
	struct sm_ctx *ctx = sm_ctx_new();
	int stepadj = 0;
	const cJSON *ra;
	cJSON_ArrayForEach(ra, get(ref_set, "analyses")) {
		const cJSON *r = get(get(get(ra, "measures"), measure), "cochrane2025_tight");
		if (!strcmp(preset, "metafor"))
			r = get(get(get(ra, "measures"), measure), "metafor_tight");
		if (r && get(r, "tight_control_error"))
			stepadj = 1;
	}
	if (stepadj)
		opts.stepadj = 0.5;
	/* the references' tight control: metafor's absolute threshold 1e-12
	 * (meta.tight); safemeta's default full precision differs from where
	 * that rule stops by up to ~1e-8 relative for small tau2 */
	opts.threshold = 1e-12;
	cJSON *results = sm_results_build(ctx, review, &opts);
	opts.by = "";
	cJSON *pooled = results ? sm_results_build(ctx, review, &opts) : NULL;
	if (!results || !pooled) {
		print_error("%s %s %s: %s\n", dataset, preset, measure, sm_ctx_error(ctx)->msg);
		fail();
	}
	cJSON_ArrayForEach(ra, get(ref_set, "analyses")) {
		const char *name = get(ra, "name")->valuestring;
		/* "all" is the analysis of every study, without groups. */
		const cJSON *a = !strcmp(name, "all") ? find_analysis(pooled, "all")
						      : find_analysis(results, name);
		assert_non_null(a);
		const cJSON *m = get(get(ra, "measures"), measure);
		char where[512];
		snprintf(where, sizeof where, "%s/%s %s %s", dataset, name, measure, preset);
		if (!strcmp(preset, "revman5")) {
			const cJSON *mh = get(get(m, "revman5"), "fixed_mh");
			if (mh && !get(mh, "error")) {
				cmp(get(a, "mh"), "estimate", mh, "b", where);
				cmp(get(a, "mh"), "se", mh, "se", where);
				cmp(get(a, "mh"), "p", mh, "pval", where);
			}
			const cJSON *dl = get(get(m, "revman5"), "random_dl");
			const cJSON *het = get(get(m, "revman5"), "heterogeneity");
			if (strcmp(measure, "RD") != 0 && dl && !get(dl, "error")) {
				cmp_fit(a, dl, where);
				cmp(a, "Q", het, "Q", where);
				cmp(a, "I2", het, "I2", where);
				cmp(a, "tau2", het, "tau2", where);
			}
		} else {
			const char *key = !strcmp(preset, "metafor") ? "metafor_tight"
								     : "cochrane2025_tight";
			const cJSON *fit = get(m, key);
			if (fit && !get(fit, "error"))
				cmp_fit(a, fit, where);
		}
	}
	cJSON_Delete(results);
	cJSON_Delete(pooled);
	sm_ctx_free(ctx);
}

static void presets_match_their_references(void **state)
{
	(void)state;
	char *text = sm_test_slurp("tests/golden/presets/presets.json");
	cJSON *ref = cJSON_Parse(text);
	free(text);
	assert_non_null(ref);
	const cJSON *ds;
	int datasets = 0;
	cJSON_ArrayForEach(ds, get(ref, "datasets")) {
		struct sm_ctx *ctx = sm_ctx_new();
		struct sm_review *review = sm_review_load_csv(ctx, get(ds, "input")->valuestring);
		assert_non_null(review);
		static const char *const presets[] = { "metafor", "revman5", "cochrane2025" };
		static const char *const measures[] = { "OR", "RR", "RD" };
		for (int p = 0; p < 3; p++)
			for (int m = 0; m < 3; m++)
				check_preset(review, ds, presets[p], measures[m], ds->string);
		sm_review_free(review);
		sm_ctx_free(ctx);
		datasets++;
	}
	cJSON_Delete(ref);
	printf("compared %ld preset values on %d datasets\n", compared, datasets);
	assert_true(compared > 500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(presets_match_their_references),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
