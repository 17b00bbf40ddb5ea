/* Tests of the safety-domain table: counts, verdict wording, absolute
 * effects, on the IV MSC review's real results and on hand-made cases. */
#include "sm_test.h"

#include "sm_domain_table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cJSON *load_fixture(const char *name)
{
	char *rel = NULL;
	size_t n = strlen(name) + 64;
	rel = malloc(n);
	assert_non_null(rel);
	snprintf(rel, n, "tests/fixtures/results/%s.results.json", name);
	char *path = sm_test_path(rel);
	char *text = sm_test_slurp(path);
	cJSON *doc = cJSON_Parse(text);
	assert_non_null(doc);
	free(text);
	free(path);
	free(rel);
	return doc;
}

static const cJSON *row_named(const cJSON *table, const char *name)
{
	const cJSON *r;
	cJSON_ArrayForEach(r, cJSON_GetObjectItem(table, "rows"))
		if (!strcmp(cJSON_GetObjectItem(r, "analysis")->valuestring, name))
			return r;
	fail_msg("no row '%s'", name);
	return NULL;
}

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);
	assert_true(cJSON_IsNumber(v));
	return v->valuedouble;
}

static const char *text(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);
	assert_true(cJSON_IsString(v));
	return v->valuestring;
}

static void msc_counts(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	cJSON *res = load_fixture("msc-iv-rct");
	cJSON *t = sm_domain_table_json(ctx, res);
	assert_non_null(t);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(t, "rows")), 16);
	assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(t, "arm_labels"), 0)->valuestring,
			    "MSC");
	/* Seed README: gastrointestinal has 39 rows from 18 trials in Table 3,
	 * infections 21 trials. */
	const cJSON *gi = row_named(t, "Gastrointestinal disorders");
	assert_int_equal((int)num(gi, "k"), 39);
	assert_int_equal((int)num(gi, "k_studies"), 18);
	const cJSON *inf = row_named(t, "Infections and infestations");
	assert_int_equal((int)num(inf, "k"), 44);
	assert_int_equal((int)num(inf, "k_studies"), 21);
	assert_int_equal((int)num(inf, "events_t"), 120);
	assert_int_equal((int)num(inf, "n_t"), 1300);
	assert_int_equal((int)num(inf, "events_c"), 134);
	assert_int_equal((int)num(inf, "n_c"), 1029);
	/* Summing over comparisons counts a study's patients once per row;
	 * by study each is counted once, so the total is smaller. */
	assert_true(num(inf, "n_t_by_study") < num(inf, "n_t"));
	assert_true(num(inf, "n_t_by_study") > 0);
	/* General disorders: OR = exp(0.28853774221101613). */
	const cJSON *gen = row_named(t, "General disorders and administration site conditions");
	sm_check_close(num(gen, "estimate"), exp(0.28853774221101613), 1e-12, 0, "general OR");
	sm_check_close(num(gen, "egger_p"), 0.04376488054581456, 1e-12, 0, "general egger");
	sm_check_close(num(gen, "begg_p"), 0.1816028219898918, 1e-12, 0, "general begg");
	sm_check_close(num(gen, "tau2"), 0.37535218855411534, 1e-12, 0, "general tau2");
	/* The verdict states the evidence of absence: the one-sided 95% bound of
	 * the Mantel-Haenszel risk difference, 32.8 + 1.645 x 20.5 per 1000. */
	const cJSON *ev = cJSON_GetObjectItem(
		cJSON_GetArrayItem(cJSON_GetObjectItem(res, "analyses"), 0), "evidence_of_absence");
	sm_check_close(num(gen, "excess_upper_per_1000"), num(ev, "rd_upper_per_1000"), 0, 0,
		       "general bound");
	assert_string_equal(text(gen, "verdict"),
			    "No significant difference; excess risk above 61.3 per 1000 excluded");
	assert_string_equal(text(gen, "verdict_code"), "no_difference");
	cJSON_Delete(t);
	cJSON_Delete(res);
	sm_ctx_free(ctx);
}

/* Issue 13.1: under Mantel-Haenszel without a continuity correction the
 * deaths domain has effect sizes for 4 tables, but the pooled OR stands on
 * all 13 (the "mh" block's k; 9 rows are "excluded" with pooled_table).
 * The row must describe the analysis that pooled: k = 13 and the studies
 * of all 13 tables, not 4 and the studies of 4. */
static void mh_without_correction_counts_every_pooled_table(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	char *path = sm_test_path("tests/fixtures/render/msc-deaths-mh-none.results.json");
	char *body = sm_test_slurp(path);
	cJSON *res = cJSON_Parse(body);
	assert_non_null(res);
	const cJSON *a = cJSON_GetArrayItem(cJSON_GetObjectItem(res, "analyses"), 0);
	assert_int_equal((int)num(a, "k"), 4);
	double mh_k = num(cJSON_GetObjectItem(a, "mh"), "k");
	assert_int_equal((int)mh_k, 13);
	cJSON *t = sm_domain_table_json(ctx, res);
	assert_non_null(t);
	const cJSON *r = row_named(t, "SAEs deaths");
	assert_int_equal((int)num(r, "k"), (int)mh_k);
	/* distinct study ids over studies[] and the pooled excluded[] rows */
	const char *ids[32];
	int n = 0;
	const char *arrays[] = { "studies", "excluded" };
	for (int i = 0; i < 2; i++) {
		const cJSON *s;
		cJSON_ArrayForEach(s, cJSON_GetObjectItem(a, arrays[i])) {
			const char *id = text(s, "study_id");
			int seen = 0;
			for (int j = 0; j < n; j++)
				seen |= !strcmp(ids[j], id);
			if (!seen && n < 32)
				ids[n++] = id;
		}
	}
	assert_true(n > 3);
	assert_int_equal((int)num(r, "k_studies"), n);
	/* the events and patients were already those of all 13 tables */
	assert_int_equal((int)num(r, "n_t"), (int)num(cJSON_GetObjectItem(a, "totals"), "n_t"));
	cJSON_Delete(t);
	cJSON_Delete(res);
	free(body);
	free(path);
	sm_ctx_free(ctx);
}

/* The reference for n_t_by_study / n_c_by_study: the rows sorted by study
 * id, each study's largest arm, summed in id order (what count_studies did
 * before it grouped by hash; the sums are compared to the bit). */
struct ref_row {
	const char *id;
	double n1, n2;
};

static void by_study_reference(const cJSON *a, double *s1, double *s2, int *distinct)
{
	struct ref_row rows[256];
	int m = 0;
	const cJSON *r;
	cJSON_ArrayForEach(r, cJSON_GetObjectItem(a, "studies")) {
		assert_true(m < 256);
		const cJSON *n1 = cJSON_GetObjectItem(r, "n1i"), *n2 = cJSON_GetObjectItem(r, "n2i");
		struct ref_row row = { text(r, "study_id"), cJSON_IsNumber(n1) ? n1->valuedouble : NAN,
				       cJSON_IsNumber(n2) ? n2->valuedouble : NAN };
		int j = m++;
		for (; j > 0 && strcmp(rows[j - 1].id, row.id) > 0; j--)
			rows[j] = rows[j - 1];
		rows[j] = row;
	}
	*s1 = *s2 = 0;
	*distinct = 0;
	for (int i = 0; i < m;) {
		double b1 = rows[i].n1, b2 = rows[i].n2;
		int j = i + 1;
		for (; j < m && !strcmp(rows[j].id, rows[i].id); j++) {
			b1 = fmax(b1, rows[j].n1);
			b2 = fmax(b2, rows[j].n2);
		}
		*s1 += b1;
		*s2 += b2;
		(*distinct)++;
		i = j;
	}
}

/* Sets every row's arms: whole numbers (grouped by hash, summed in any
 * order) or fractions whose sum depends on the order (the sorted way). */
static void set_arms(cJSON *a, int fractional)
{
	int i = 0;
	cJSON *r;
	cJSON_ArrayForEach(r, cJSON_GetObjectItem(a, "studies")) {
		double n1 = fractional ? 1.0 / (i + 3) + 1e6 * (i % 5) : 10 + (i * 37) % 23;
		double n2 = fractional ? 0.1 * (i % 7) + 1e-9 * i : 12 + (i * 11) % 19;
		cJSON_ReplaceItemInObject(r, "n1i", cJSON_CreateNumber(n1));
		cJSON_ReplaceItemInObject(r, "n2i", cJSON_CreateNumber(n2));
		i++;
	}
}

static void by_study_sums_as_sorted(void **state)
{
	(void)state;
	for (int fractional = 0; fractional < 2; fractional++) {
		struct sm_ctx *ctx = sm_ctx_new();
		cJSON *res = load_fixture("msc-iv-rct");
		cJSON *a;
		cJSON_ArrayForEach(a, cJSON_GetObjectItem(res, "analyses"))
			set_arms(a, fractional);
		cJSON *t = sm_domain_table_json(ctx, res);
		assert_non_null(t);
		int checked = 0, repeated = 0;
		cJSON_ArrayForEach(a, cJSON_GetObjectItem(res, "analyses")) {
			double s1, s2;
			int distinct;
			by_study_reference(a, &s1, &s2, &distinct);
			const cJSON *r = row_named(t, text(a, "name"));
			assert_int_equal((int)num(r, "k_studies"), distinct);
			repeated |= distinct < cJSON_GetArraySize(cJSON_GetObjectItem(a, "studies"));
			if (num(r, "n_t_by_study") != s1 || num(r, "n_c_by_study") != s2)
				fail_msg("%s (%s arms): by study %.17g / %.17g, expected %.17g / %.17g",
					 text(a, "name"), fractional ? "fractional" : "whole",
					 num(r, "n_t_by_study"), num(r, "n_c_by_study"), s1, s2);
			checked++;
		}
		assert_int_equal(checked, 16);
		assert_true(repeated); /* some study has several rows in a domain */
		cJSON_Delete(t);
		cJSON_Delete(res);
		sm_ctx_free(ctx);
	}
}

/* The paper's abstract calls infections an "elevated risk in the MSC
 * group", but the pooled log OR is -0.32 (CI -0.61 to -0.02): fewer. */
/* The verdict vocabulary of 2x2 rows (sm_domain_table.h): the direction
 * first, then the bound U against the margin M. */
static void verdict_vocabulary(void **state)
{
	(void)state;
	struct {
		enum sm_direction dir;
		double upper, margin;
		const char *code, *text;
	} cases[] = {
		{ SM_DIR_MORE, 80, 10, "increased", "More events with MSC" },
		{ SM_DIR_FEWER, -3, 10, "decreased", "Fewer events with MSC" },
		{ SM_DIR_NONE, 9.99, 10, "margin_excluded", "Excess risk above 10 per 1000 excluded" },
		{ SM_DIR_NONE, 10, 10, "inconclusive", "Inconclusive: cannot exclude 10 per 1000" },
		{ SM_DIR_NONE, 61.26, NAN, "no_difference",
		  "No significant difference; excess risk above 61.3 per 1000 excluded" },
		/* a bound below 0 is no excess at all, not "excess above -4.82" */
		{ SM_DIR_NONE, -4.82, NAN, "no_difference",
		  "No significant difference; no excess risk (upper bound \u22124.82 per 1000)" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct sm_domain_verdict v = sm_domain_verdict_of(cases[i].dir, cases[i].upper,
								  cases[i].margin, "MSC");
		assert_string_equal(v.code, cases[i].code);
		assert_string_equal(v.text, cases[i].text);
		assert_non_null(v.basis);
		free(v.text);
	}
	/* no bound (proportions, generic data): no verdict of this kind */
	struct sm_domain_verdict v = sm_domain_verdict_of(SM_DIR_NONE, NAN, NAN, "MSC");
	assert_null(v.text);
	v = sm_domain_verdict_of(SM_DIR_NA, 5, 10, "MSC");
	assert_null(v.text);
}

static void msc_infections_are_fewer_events(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	cJSON *res = load_fixture("msc-iv-rct");
	cJSON *t = sm_domain_table_json(ctx, res);
	const cJSON *inf = row_named(t, "Infections and infestations");
	assert_string_equal(text(inf, "verdict"), "Fewer events with MSC");
	assert_string_equal(text(inf, "direction"), "fewer");
	assert_string_equal(text(inf, "verdict_code"), "decreased");
	assert_true(num(inf, "ci_ub") < 1);
	/* Every other domain's interval includes 1 (deaths: -1.35 to 0.013). */
	const cJSON *r;
	int fewer = 0;
	cJSON_ArrayForEach(r, cJSON_GetObjectItem(t, "rows")) {
		if (!strcmp(text(r, "direction"), "fewer"))
			fewer++;
		else
			assert_string_equal(text(r, "verdict_code"), "no_difference");
	}
	assert_int_equal(fewer, 1);
	cJSON_Delete(t);
	cJSON_Delete(res);
	sm_ctx_free(ctx);
}

static void paper_values_give_the_right_wording(void **state)
{
	(void)state;
	/* The printed interval itself, on the log scale. */
	enum sm_direction d = sm_domain_direction("OR", -0.61, -0.02);
	assert_int_equal(d, SM_DIR_FEWER);
	char *v = sm_domain_verdict("OR", d, "MSC");
	assert_string_equal(v, "Fewer events with MSC");
	free(v);
	v = sm_domain_verdict("RR", sm_domain_direction("RR", 0.1, 0.9), "MSC");
	assert_string_equal(v, "More events with MSC");
	free(v);
	v = sm_domain_verdict("RD", sm_domain_direction("RD", -0.01, 0.02), "MSC");
	assert_string_equal(v, "No significant difference");
	free(v);
	v = sm_domain_verdict("GEN", sm_domain_direction("GEN", -2, -1), "Drug");
	assert_string_equal(v, "Lower values with Drug");
	free(v);
	/* A single-arm proportion has nothing to compare with. */
	assert_int_equal(sm_domain_direction("PFT", 0.1, 0.2), SM_DIR_NA);
	assert_null(sm_domain_verdict("PFT", SM_DIR_NA, "MSC"));
	/* A bound that touches the null value is not "entirely below". */
	assert_int_equal(sm_domain_direction("OR", -0.5, 0), SM_DIR_NONE);
}

static void absolute_effects_by_hand(void **state)
{
	(void)state;
	/* p0 = 0.2, OR = 0.5: odds 0.25 -> 0.125 -> risk 0.125/1.125. */
	sm_check_close(sm_domain_treated_risk("OR", 0.2, 0.5), 0.125 / 1.125, 1e-14, 0, "OR");
	sm_check_close(sm_domain_treated_risk("PETO", 0.2, 0.5), 0.125 / 1.125, 1e-14, 0, "Peto");
	sm_check_close(sm_domain_treated_risk("RR", 0.2, 0.5), 0.1, 1e-14, 0, "RR");
	sm_check_close(sm_domain_treated_risk("RR", 0.6, 2), 1, 1e-14, 0, "RR capped");
	sm_check_close(sm_domain_treated_risk("RD", 0.2, -0.05), 0.15, 1e-14, 0, "RD");
	sm_check_close(sm_domain_treated_risk("RD", 0.02, -0.05), 0, 0, 0, "RD clamped");
	assert_true(isnan(sm_domain_treated_risk("PLO", 0.2, 0.5)));
	assert_true(isnan(sm_domain_treated_risk("OR", NAN, 0.5)));

	/* Through the table: infections, p0 = 134/1029, OR from the fixture. */
	struct sm_ctx *ctx = sm_ctx_new();
	cJSON *res = load_fixture("msc-iv-rct");
	cJSON *t = sm_domain_table_json(ctx, res);
	const cJSON *inf = row_named(t, "Infections and infestations");
	const cJSON *abs_ = cJSON_GetObjectItem(inf, "absolute");
	double p0 = 134.0 / 1029.0, orr = num(inf, "estimate"), lb = num(inf, "ci_lb");
	sm_check_close(num(abs_, "control_per_1000"), 1000 * p0, 1e-12, 0, "control risk");
	double p1 = orr * p0 / (1 - p0 + orr * p0);
	sm_check_close(num(abs_, "treated_per_1000"), 1000 * p1, 1e-12, 0, "treated risk");
	sm_check_close(num(abs_, "treated_ci_lb_per_1000"), 1000 * lb * p0 / (1 - p0 + lb * p0),
		       1e-12, 0, "treated lower");
	assert_true(num(abs_, "treated_ci_ub_per_1000") < num(abs_, "control_per_1000"));
	assert_true(num(abs_, "difference_per_1000") < 0);
	cJSON_Delete(t);
	cJSON_Delete(res);
	sm_ctx_free(ctx);
}

static void single_arm_review(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	cJSON *res = load_fixture("iv-sae-70");
	cJSON *t = sm_domain_table_json(ctx, res);
	const cJSON *r = row_named(t, "all");
	assert_int_equal((int)num(r, "k"), 70);
	assert_int_equal((int)num(r, "events_t"), 2);
	assert_int_equal((int)num(r, "n_t"), 1496);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(r, "verdict")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(r, "absolute")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(r, "n_c")));
	cJSON_Delete(t);
	cJSON_Delete(res);
	/* A review without analyses has an empty table. */
	res = load_fixture("tumorigenicity");
	t = sm_domain_table_json(ctx, res);
	assert_non_null(t);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(t, "rows")), 0);
	cJSON_Delete(t);
	cJSON_Delete(res);
	sm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(msc_counts),
		cmocka_unit_test(mh_without_correction_counts_every_pooled_table),
		cmocka_unit_test(by_study_sums_as_sorted),
		cmocka_unit_test(msc_infections_are_fewer_events),
		cmocka_unit_test(verdict_vocabulary),
		cmocka_unit_test(paper_values_give_the_right_wording),
		cmocka_unit_test(absolute_effects_by_hand),
		cmocka_unit_test(single_arm_review),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
