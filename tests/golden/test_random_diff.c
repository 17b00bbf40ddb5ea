/*
 * Random and edge-case differential test against R metafor 3.8-1: every
 * value of tests/golden/random-diff/reference.json (written by
 * tests/golden/gen/random_diff.R under the keys of safemeta's results JSON)
 * is compared with safemeta's analysis of the same data, measure, method,
 * test and zero-cell rule, and the number of values compared must be the
 * number the generator wrote.
 *
 * Tolerance: 1e-6 relative, or 1e-9 absolute for values near 0 (metafor's
 * own absolute stopping rule, threshold 1e-14 at best, leaves tau2 near 0
 * at ~1e-14 instead of 0; an I2 of 1e-12 % against 0 is agreement).  Where
 * metafor's Fisher scoring needed a looser threshold than 1e-14 (recorded
 * in the run: 1e-12 .. 1e-8, where 1e-14 is below the spacing of doubles
 * at its tau2), that tau2 is above 64, so the threshold is still below
 * 1e-9 relative to it and the same tolerance holds.
 *
 * A run that metafor refuses must fail in safemeta too; a block metafor
 * refuses ("errors") must be null in safemeta with a warning that names it.
 *
 * Differences by design, each asserted as safemeta's own behaviour instead
 * and counted (BY_DESIGN_VALUES): with every yi equal (dataset "yi-equal")
 * metafor's estimates differ from the common value in the last bit, and two
 * of its results rest on that rounding noise: trim-and-fill iterates k0 on
 * the signs of yi - b = +-1e-16 until "did not converge" (safemeta: yi - b
 * is 0, k0 = 0), and the knha Egger slope of -2e-15 over a standard error
 * of 0 gives stat -Inf, p 0 (safemeta: the slope is 0, 0/0 is null with a
 * warning).
 */
#include "sm_test.h"

#include "sm_buf.h"
#include "sm_results.h"
#include "sm_review_read.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REL 1e-6
#define ABS 1e-9
#define MAX_REPORTED 200
#define BY_DESIGN_VALUES 15

struct diff {
	long compared, failed, runs, refused, by_design;
	const char *dataset;    /* of the current run */
	const cJSON *analysis;  /* safemeta's analysis of the current run */
	double max_rel;   /* largest relative difference where 1e-6 relative decides */
	double max_abs;   /* largest absolute difference where 1e-9 absolute decides */
	char max_where[512];
};

static const cJSON *get(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static void report(struct diff *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void report(struct diff *d, const char *fmt, ...)
{
	d->failed++;
	if (d->failed > MAX_REPORTED)
		return;
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* The flag of obj[key] (i < 0) or of its element i, from the sibling
 * "<key>_infinite": 1, -1, or 0 when absent. */
static int inf_flag(const cJSON *obj, const char *key, int i)
{
	if (!obj || !key)
		return 0;
	char name[128];
	snprintf(name, sizeof name, "%s_infinite", key);
	const cJSON *f = get(obj, name);
	if (i >= 0)
		f = cJSON_IsArray(f) ? cJSON_GetArrayItem(f, i) : NULL;
	return cJSON_IsNumber(f) ? (int)f->valuedouble : 0;
}

static void cmp_number(struct diff *d, double want, const cJSON *got, const char *path)
{
	if (!cJSON_IsNumber(got)) {
		report(d, "%s: expected %.17g, got %s", path, want,
		       got ? (cJSON_IsNull(got) ? "null" : "a non-number") : "nothing");
		return;
	}
	double g = got->valuedouble, diff = fabs(g - want);
	double tol = fmax(REL * fabs(want), ABS);
	if (REL * fabs(want) >= ABS) {
		double rel = diff / fabs(want);
		if (rel > d->max_rel) {
			d->max_rel = rel;
			snprintf(d->max_where, sizeof d->max_where, "%s", path);
		}
	} else if (diff > d->max_abs) {
		d->max_abs = diff;
	}
	if (!(diff <= tol))
		report(d, "%s: got %.17g expected %.17g (rel %.3g)", path, g, want,
		       want != 0 ? diff / fabs(want) : diff);
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);
	return n >= m && !strcmp(s + n - m, tail);
}

static int has_warning(const cJSON *analysis, const char *words)
{
	const cJSON *w;
	cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(analysis, "warnings"))
		if (cJSON_IsString(w) && strstr(w->valuestring, words))
			return 1;
	return 0;
}

/* A value that differs from metafor by design (see the top): 1 when path is
 * one, after checking safemeta's own answer there. */
static int by_design(struct diff *d, const cJSON *got, int got_inf, const char *path)
{
	if (strcmp(d->dataset, "yi-equal") != 0)
		return 0;
	if (ends_with(path, ".trimfill.k0")) {
		d->by_design++;
		if (!cJSON_IsNumber(got) || got->valuedouble != 0)
			report(d, "%s: all yi equal: expected k0 = 0", path);
		return 1;
	}
	if (ends_with(path, " knha.egger.stat") || ends_with(path, " knha.egger.p")) {
		if (!got || !cJSON_IsNull(got) || got_inf || !has_warning(d->analysis, "0/0"))
			report(d, "%s: all yi equal: expected null and the 0/0 warning", path);
		d->by_design++;
		return 1;
	}
	return 0;
}

/* One expected scalar (number, bool, string, or null: NA, or +-Inf when
 * want_inf is set) against ours. */
static void cmp_leaf(struct diff *d, const cJSON *want, int want_inf, const cJSON *got,
		     int got_inf, const char *path)
{
	d->compared++;
	if (by_design(d, got, got_inf, path))
		return;
	if (cJSON_IsNumber(want)) {
		cmp_number(d, want->valuedouble, got, path);
	} else if (cJSON_IsBool(want)) {
		if (!cJSON_IsBool(got) || cJSON_IsTrue(got) != cJSON_IsTrue(want))
			report(d, "%s: expected %s, got %s", path,
			       cJSON_IsTrue(want) ? "true" : "false",
			       cJSON_IsBool(got) ? (cJSON_IsTrue(got) ? "true" : "false")
						 : "a non-boolean");
	} else if (cJSON_IsString(want)) {
		if (!cJSON_IsString(got) || strcmp(got->valuestring, want->valuestring) != 0)
			report(d, "%s: expected \"%s\", got %s", path, want->valuestring,
			       cJSON_IsString(got) ? got->valuestring : "a non-string");
	} else if (got && !cJSON_IsNull(got)) {
		report(d, "%s: expected null%s, got a value", path,
		       want_inf ? (want_inf > 0 ? " (Inf)" : " (-Inf)") : "");
	} else if (want_inf != got_inf) {
		report(d, "%s: expected %s, got %s", path,
		       want_inf ? (want_inf > 0 ? "Inf" : "-Inf") : "NA",
		       got_inf ? (got_inf > 0 ? "Inf" : "-Inf") : "NA");
	}
}

static int is_flag_key(const char *key)
{
	return ends_with(key, "_infinite");
}

static void cmp_members(struct diff *d, const cJSON *want, const cJSON *got, const char *path);

/* Per-study values given as columns (want: key -> array over the studies,
 * or an object of such for loo/cumul) against ours, an array of study
 * objects: column key of keys[0..depth) at element i is studies[i].keys.key. */
static void cmp_columns(struct diff *d, const cJSON *want, const cJSON *studies,
			const char **keys, int depth, const char *path)
{
	const cJSON *c;
	char sub[512];
	cJSON_ArrayForEach(c, want) {
		if (is_flag_key(c->string))
			continue;
		if (cJSON_IsObject(c) && depth < 3) {
			keys[depth] = c->string;
			cmp_columns(d, c, studies, keys, depth + 1, path);
			continue;
		}
		int n = cJSON_GetArraySize(c);
		if (cJSON_GetArraySize(studies) != n)
			report(d, "%s: %d studies expected, got %d", path, n,
			       cJSON_GetArraySize(studies));
		for (int i = 0; i < n; i++) {
			const cJSON *parent = cJSON_GetArrayItem(studies, i);
			int len = snprintf(sub, sizeof sub, "%s[%d]", path, i);
			for (int j = 0; j < depth; j++) {
				parent = cJSON_IsObject(parent) ? get(parent, keys[j]) : NULL;
				len += snprintf(sub + len, sizeof sub - (size_t)len, ".%s",
						keys[j]);
			}
			snprintf(sub + len, sizeof sub - (size_t)len, ".%s", c->string);
			const cJSON *got = cJSON_IsObject(parent) ? get(parent, c->string) : NULL;
			cmp_leaf(d, cJSON_GetArrayItem(c, i), inf_flag(want, c->string, i), got,
				 inf_flag(parent, c->string, -1), sub);
		}
	}
}

/* want[key] (a member of want_parent) against got_parent[key]. */
static void cmp_value(struct diff *d, const cJSON *want, const cJSON *want_parent,
		      const cJSON *got_parent, const char *key, const char *path)
{
	const cJSON *got = cJSON_IsObject(got_parent) ? get(got_parent, key) : NULL;
	if (cJSON_IsObject(want) && !strcmp(key, "studies")) {
		const char *keys[3];
		if (!cJSON_IsArray(got))
			report(d, "%s: expected the studies", path);
		cmp_columns(d, want, cJSON_IsArray(got) ? got : NULL, keys, 0, path);
	} else if (cJSON_IsObject(want)) {
		if (!cJSON_IsObject(got))
			report(d, "%s: expected an object, got %s", path,
			       got ? "another type" : "nothing");
		cmp_members(d, want, got, path);
	} else if (cJSON_IsArray(want)) {
		int n = cJSON_GetArraySize(want);
		if (!cJSON_IsArray(got) || cJSON_GetArraySize(got) != n)
			report(d, "%s: expected an array of %d", path, n);
		char sub[512];
		for (int i = 0; i < n; i++) {
			if (snprintf(sub, sizeof sub, "%s[%d]", path, i) >= (int)sizeof sub)
				sub[sizeof sub - 1] = 0; /* a long path is cut in messages only */
			const cJSON *w = cJSON_GetArrayItem(want, i);
			const cJSON *g = cJSON_IsArray(got) ? cJSON_GetArrayItem(got, i) : NULL;
			if (cJSON_IsObject(w)) /* trimfill.filled: objects of scalars */
				cmp_members(d, w, g, sub);
			else
				cmp_leaf(d, w, inf_flag(want_parent, key, i), g,
					 inf_flag(got_parent, key, i), sub);
		}
	} else {
		cmp_leaf(d, want, inf_flag(want_parent, key, -1), got,
			 inf_flag(got_parent, key, -1), path);
	}
}

static void cmp_members(struct diff *d, const cJSON *want, const cJSON *got, const char *path)
{
	const cJSON *c;
	char sub[512];
	cJSON_ArrayForEach(c, want) {
		if (is_flag_key(c->string))
			continue; /* compared with its key */
		if (snprintf(sub, sizeof sub, "%s.%s", path, c->string) >= (int)sizeof sub)
			sub[sizeof sub - 1] = 0;
		cmp_value(d, c, want, got, c->string, sub);
	}
}

/* Words of the warning safemeta gives where metafor refused a block. */
static const char *warning_word(const char *block)
{
	static const char *const map[][2] = {
		{ "confint", "tau2 confidence interval" }, { "egger", "egger" },
		{ "begg", "begg" }, { "trimfill", "trim-and-fill" },
		{ "influence", "influence" }, { "influence_rows", "leave-one-out" },
		{ "leave1out", "leave-one-out" }, { "leave1out_rows", "leave-one-out" },
		{ "cumul", "cumulative" }, { "cumul_rows", "cumulative" },
		{ "failsafe", "fail-safe" }, { "mh", "Mantel-Haenszel" },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (!strcmp(block, map[i][0]))
			return map[i][1];
	return block;
}

static void check_refusals(struct diff *d, const cJSON *errors, const cJSON *analysis,
			   const char *where)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, errors) {
		if (!strcmp(d->dataset, "yi-equal") && !strcmp(e->string, "trimfill"))
			continue; /* by design, see the top */
		const char *word = warning_word(e->string);
		int found = 0;
		const cJSON *w;
		cJSON_ArrayForEach(w, get(analysis, "warnings"))
			found |= cJSON_IsString(w) && strstr(w->valuestring, word) != NULL;
		if (!found)
			report(d, "%s: metafor refuses %s (%s); no warning with \"%s\"", where,
			       e->string, cJSON_IsString(e) ? e->valuestring : "", word);
	}
}

static const char *str_or(const cJSON *o, const char *key, const char *dflt)
{
	const cJSON *v = get(o, key);
	return cJSON_IsString(v) ? v->valuestring : dflt;
}

static void check_run(struct diff *d, const struct sm_review *review, const cJSON *run,
		      const char *dataset)
{
	struct sm_analysis_opts opts;
	sm_analysis_opts_init(&opts);
	opts.measure = str_or(run, "measure", NULL);
	opts.method = str_or(run, "method", NULL);
	opts.test = str_or(run, "test", NULL);
	opts.to = str_or(run, "to", NULL);
	opts.by = "";
	opts.drop00 = cJSON_IsTrue(get(run, "drop00"));
	opts.drop00_set = 1;
	const cJSON *add = get(run, "add");
	if (cJSON_IsNumber(add)) {
		opts.add = add->valuedouble;
		opts.add_set = 1;
	}
	char where[256];
	snprintf(where, sizeof where, "%s %s %s %s%s%s", dataset, opts.measure, opts.method,
		 opts.test, opts.drop00 ? " drop00" : "", cJSON_IsNumber(add) ? " add" : "");
	struct sm_ctx *ctx = sm_ctx_new();
	cJSON *results = sm_results_build(ctx, review, &opts);
	d->runs++;
	const cJSON *err = get(run, "error");
	if (err) {
		d->refused++;
		if (results)
			report(d, "%s: metafor refuses (%s); safemeta gave results", where,
			       err->valuestring);
	} else if (!results) {
		report(d, "%s: safemeta failed: %s", where, sm_ctx_error(ctx)->msg);
	} else {
		const cJSON *a = cJSON_GetArrayItem(get(results, "analyses"), 0);
		d->dataset = dataset;
		d->analysis = a;
		cmp_members(d, get(run, "expected"), a, where);
		check_refusals(d, get(run, "errors"), a, where);
	}
	cJSON_Delete(results);
	sm_ctx_free(ctx);
}

static void random_diff(void **state)
{
	(void)state;
	char *text = sm_test_slurp("tests/golden/random-diff/reference.json");
	cJSON *ref = cJSON_Parse(text);
	free(text);
	assert_non_null(ref);
	struct diff d;
	memset(&d, 0, sizeof d);
	const cJSON *ds;
	int datasets = 0;
	cJSON_ArrayForEach(ds, get(ref, "datasets")) {
		const char *name = get(ds, "name")->valuestring;
		const char *csv = get(ds, "csv")->valuestring;
		char *path = sm_asprintf("%s.csv", name);
		struct sm_ctx *ctx = sm_ctx_new();
		struct sm_review *review = sm_review_parse_csv(ctx, path, csv, strlen(csv));
		if (!review) {
			print_error("%s: %s\n", name, sm_ctx_error(ctx)->msg);
			fail();
		}
		const cJSON *run;
		cJSON_ArrayForEach(run, get(ds, "runs"))
			check_run(&d, review, run, name);
		sm_review_free(review);
		sm_ctx_free(ctx);
		free(path);
		datasets++;
	}
	double want = get(get(ref, "meta"), "values")->valuedouble;
	printf("random differential test: %d datasets, %ld runs (%ld refused by metafor), "
	       "%ld values compared (%.0f written, %ld of them different by design), %ld "
	       "disagree; max relative difference %.3g (at %s), max absolute difference %.3g "
	       "of values below 1e-3\n", datasets, d.runs, d.refused, d.compared, want,
	       d.by_design, d.failed, d.max_rel, d.max_where, d.max_abs);
	cJSON_Delete(ref);
	assert_int_equal(d.failed, 0);
	assert_true((double)d.compared == want);
	assert_int_equal(d.by_design, BY_DESIGN_VALUES);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(random_diff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
