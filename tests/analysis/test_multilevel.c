/*
 * The three-level model (sm_multilevel) and cluster-robust inference
 * (sm_robust) against R metafor 3.8-1 / clubSandwich 0.5.8:
 * tests/golden/multilevel/multilevel.json (generator
 * tests/golden/gen/multilevel.R), on dat.konstantopoulos2011,
 * dat.assink2016 and the 16 domains of the MSC review (rows within trials).
 *
 * The reference sigma2 are the exact REML/ML maxima (the generator polishes
 * metafor's optimiser result with Newton on the analytic score and keeps
 * boundary components at exactly 0); every other number is metafor's own
 * at those sigma2.  Tolerance 1e-9 relative (1e-12 absolute near 0), far
 * inside the project's 1e-6 for REML.  A component the reference has at 0
 * must be exactly 0 here.
 */
#include "sm_test.h"

#include "sm_buf.h"
#include "sm_multilevel.h"
#include "sm_robust.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REL 1e-9
#define ABS 1e-12
#define GOLDEN "tests/golden/multilevel/multilevel.json"

static const cJSON *get(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = get(o, key);
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static double at(const cJSON *o, const char *key, int i)
{
	const cJSON *v = cJSON_GetArrayItem(get(o, key), i);
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static cJSON *load(void)
{
	char *text = sm_test_slurp(GOLDEN);
	cJSON *doc = cJSON_Parse(text);
	free(text);
	assert_non_null(doc);
	return doc;
}

/* The rows of one case: yi, vi and 0-based cluster indices. */
struct rows {
	size_t k, n_clusters;
	double *yi, *vi;
	size_t *cluster;
};

static void rows_load(const cJSON *c, struct rows *r)
{
	r->k = (size_t)cJSON_GetArraySize(get(c, "yi"));
	assert_true(r->k > 0);
	r->yi = sm_alloc_array(r->k, sizeof(double));
	r->vi = sm_alloc_array(r->k, sizeof(double));
	r->cluster = sm_alloc_array(r->k, sizeof(size_t));
	r->n_clusters = 0;
	for (size_t i = 0; i < r->k; i++) {
		r->yi[i] = at(c, "yi", (int)i);
		r->vi[i] = at(c, "vi", (int)i);
		r->cluster[i] = (size_t)at(c, "cluster", (int)i);
		if (r->cluster[i] + 1 > r->n_clusters)
			r->n_clusters = r->cluster[i] + 1;
	}
}

static void rows_free(struct rows *r)
{
	free(r->yi);
	free(r->vi);
	free(r->cluster);
}

struct tally {
	long compared;
	double worst_metafor; /* largest rel. difference of b from metafor's optimiser */
};

static void close_to(struct tally *t, double got, double want, const char *where,
		     const char *what)
{
	sm_check_close(got, want, REL, ABS, "%s %s", where, what);
	t->compared++;
}

static void check_robust(struct tally *t, const struct sm_robust_model *m, const cJSON *gold,
			 enum sm_robust_type type, const char *where)
{
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_robust r;
	if (sm_robust_fit(ctx, m, type, 95, &r) != SM_OK)
		fail_msg("%s %s: %s", where, sm_robust_name(type), sm_ctx_error(ctx)->msg);
	char w[300];
	snprintf(w, sizeof w, "%s %s", where, sm_robust_name(type));
	assert_string_equal(get(gold, "vbest")->valuestring, sm_robust_name(type));
	close_to(t, r.se, num(gold, "se"), w, "se");
	close_to(t, r.stat, num(gold, "tval"), w, "t");
	close_to(t, r.df, num(gold, "dfs"), w, "df");
	close_to(t, r.pval, num(gold, "pval"), w, "p");
	close_to(t, r.ci_lb, num(gold, "ci.lb"), w, "ci_lb");
	close_to(t, r.ci_ub, num(gold, "ci.ub"), w, "ci_ub");
	assert_int_equal((int)r.n_clusters, (int)num(gold, "n_clusters"));
	sm_ctx_free(ctx);
}

static void check_ml(struct tally *t, const struct rows *r, const cJSON *gold, const char *where)
{
	const char *method = get(gold, "method")->valuestring;
	int t_test = !strcmp(get(gold, "test")->valuestring, "t");
	struct sm_ml_opts o = sm_ml_defaults(!strcmp(method, "ML") ? SM_ML : SM_REML, t_test, 95);
	struct sm_ml_data d = { r->yi, r->vi, r->cluster, r->k, r->n_clusters };
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_ml_fit f;
	if (sm_ml_fit(ctx, &d, &o, &f) != SM_OK)
		fail_msg("%s: %s", where, sm_ctx_error(ctx)->msg);
	for (int j = 0; j < 2; j++) {
		int zero = cJSON_IsTrue(cJSON_GetArrayItem(get(gold, "fixed_at_zero"), j));
		if (zero && f.sigma2[j] != 0)
			fail_msg("%s sigma2[%d] = %.17g; the maximum is on the boundary 0", where, j,
				 f.sigma2[j]);
		assert_int_equal(f.at_zero[j], zero);
		close_to(t, f.sigma2[j], at(gold, "sigma2", j), where, j ? "sigma2[1]" : "sigma2[0]");
	}
	close_to(t, f.b, num(gold, "b"), where, "b");
	close_to(t, f.se, num(gold, "se"), where, "se");
	close_to(t, f.stat, num(gold, t_test ? "tval" : "zval"), where, "stat");
	if (t_test)
		close_to(t, f.df, num(gold, "dfs"), where, "df");
	close_to(t, f.pval, num(gold, "pval"), where, "p");
	close_to(t, f.ci_lb, num(gold, "ci.lb"), where, "ci_lb");
	close_to(t, f.ci_ub, num(gold, "ci.ub"), where, "ci_ub");
	close_to(t, f.pi_lb, num(gold, "pi.lb"), where, "pi_lb");
	close_to(t, f.pi_ub, num(gold, "pi.ub"), where, "pi_ub");
	close_to(t, f.QE, num(gold, "QE"), where, "QE");
	close_to(t, f.QEp, num(gold, "QEp"), where, "QEp");
	close_to(t, f.ll, num(gold, "logLik"), where, "logLik");
	/* at the reference's sigma2 the fixed-sigma2 fit is metafor's */
	struct sm_ml_fit fx;
	double gs[2] = { at(gold, "sigma2", 0), at(gold, "sigma2", 1) };
	assert_int_equal(sm_ml_fit_fixed(ctx, &d, &o, gs, &fx), SM_OK);
	close_to(t, fx.b, num(gold, "b"), where, "fixed b");
	close_to(t, fx.se, num(gold, "se"), where, "fixed se");
	close_to(t, fx.ll, num(gold, "logLik"), where, "fixed logLik");
	/* our maximum is never below metafor's optimiser's */
	assert_true(f.ll >= num(gold, "metafor_logLik") - 1e-12);
	double mb = num(gold, "metafor_b");
	double rel = fabs(f.b - mb) / fmax(fabs(mb), 1e-300);
	if (rel > t->worst_metafor)
		t->worst_metafor = rel;
	double *w = sm_alloc_array(r->k, sizeof(double));
	assert_int_equal(sm_ml_weights(ctx, &d, f.sigma2, w), SM_OK);
	for (size_t i = 0; i < r->k; i++)
		close_to(t, w[i], at(gold, "weights", (int)i), where, "weight");
	free(w);
	const cJSON *rb = get(gold, "robust");
	if (rb) {
		struct sm_robust_model m = { r->yi, r->vi, r->cluster, r->k, r->n_clusters,
					     { f.sigma2[0], f.sigma2[1] }, f.b, 1 };
		check_robust(t, &m, get(rb, "cr1"), SM_ROBUST_CR1, where);
		check_robust(t, &m, get(rb, "cr2"), SM_ROBUST_CR2, where);
	}
	sm_ctx_free(ctx);
}

/* Robust inference on the rma.uni fits of the reference (tau2 and b given). */
static void check_uni(struct tally *t, const struct rows *r, const cJSON *uni, const char *where)
{
	const cJSON *u;
	cJSON_ArrayForEach(u, uni) {
		double tau2 = num(u, "tau2"), mean_w = 0;
		for (size_t i = 0; i < r->k; i++)
			mean_w += 1 / (r->vi[i] + tau2) / (double)r->k;
		struct sm_robust_model m = { r->yi, r->vi, r->cluster, r->k, r->n_clusters,
					     { 0, tau2 }, num(u, "b"), mean_w };
		char w[300];
		snprintf(w, sizeof w, "%s rma.uni %s", where, u->string);
		const cJSON *rb = get(u, "robust");
		check_robust(t, &m, get(rb, "cr2"), SM_ROBUST_CR2, w);
		if (!get(u, "s2w")) {
			check_robust(t, &m, get(rb, "cr1"), SM_ROBUST_CR1, w);
			continue;
		}
		/* metafor's robust() of a knha fit keeps s2w in its bread: its SE
		 * is s2w times the sandwich of the same model (see sm_robust.h) */
		struct sm_ctx *ctx = sm_ctx_new();
		struct sm_robust rr;
		assert_int_equal(sm_robust_fit(ctx, &m, SM_ROBUST_CR1, 95, &rr), SM_OK);
		close_to(t, rr.se * num(u, "s2w"), num(get(rb, "cr1"), "se"), w, "CR1 se (knha)");
		sm_ctx_free(ctx);
	}
}

static void every_case(void **state)
{
	(void)state;
	cJSON *doc = load();
	struct tally t = { 0, 0 };
	int fits = 0;
	const cJSON *c;
	cJSON_ArrayForEach(c, get(doc, "generic")) {
		struct rows r;
		rows_load(c, &r);
		const cJSON *f;
		cJSON_ArrayForEach(f, get(c, "multilevel")) {
			char where[200];
			snprintf(where, sizeof where, "%s %s", get(c, "name")->valuestring, f->string);
			check_ml(&t, &r, f, where);
			fits++;
		}
		check_uni(&t, &r, get(c, "uni"), get(c, "name")->valuestring);
		rows_free(&r);
	}
	cJSON_ArrayForEach(c, get(get(doc, "msc"), "analyses")) {
		struct rows r;
		rows_load(c, &r);
		const cJSON *f;
		cJSON_ArrayForEach(f, get(c, "multilevel")) {
			char where[300];
			snprintf(where, sizeof where, "msc %s %s", get(c, "name")->valuestring,
				 f->string);
			check_ml(&t, &r, f, where);
			fits++;
		}
		if (cJSON_IsObject(get(c, "uni")))
			check_uni(&t, &r, get(c, "uni"), get(c, "name")->valuestring);
		rows_free(&r);
	}
	printf("multilevel: %d fits, %ld values compared with metafor (rel %g); largest "
	       "difference of the estimate from metafor's own optimiser: %.2g relative\n",
	       fits, t.compared, REL, t.worst_metafor);
	assert_true(fits >= 20);
	cJSON_Delete(doc);
}

/* Hand-checkable: with no rows sharing a cluster beyond pairs and equal
 * vi, the fit is invariant to the order of rows and of cluster labels. */
static void order_invariance(void **state)
{
	(void)state;
	double y[] = { 0.1, 0.4, -0.3, 0.8, 0.2, 0.5, 1.1 };
	double v[] = { 0.04, 0.05, 0.09, 0.02, 0.03, 0.06, 0.05 };
	size_t c1[] = { 0, 0, 1, 1, 2, 2, 3 };
	size_t perm[] = { 6, 2, 4, 0, 5, 1, 3 };
	double y2[7], v2[7];
	size_t c2[7];
	for (int i = 0; i < 7; i++) {
		y2[i] = y[perm[i]];
		v2[i] = v[perm[i]];
		c2[i] = 3 - c1[perm[i]];
	}
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_ml_opts o = sm_ml_defaults(SM_REML, 0, 95);
	struct sm_ml_data d1 = { y, v, c1, 7, 4 }, d2 = { y2, v2, c2, 7, 4 };
	struct sm_ml_fit f1, f2;
	assert_int_equal(sm_ml_fit(ctx, &d1, &o, &f1), SM_OK);
	assert_int_equal(sm_ml_fit(ctx, &d2, &o, &f2), SM_OK);
	sm_check_close(f2.b, f1.b, 1e-12, 1e-15, "b under permutation");
	sm_check_close(f2.sigma2[0], f1.sigma2[0], 1e-9, 1e-15, "sigma2[0] under permutation");
	sm_check_close(f2.sigma2[1], f1.sigma2[1], 1e-9, 1e-15, "sigma2[1] under permutation");
	sm_ctx_free(ctx);
}

/* Inputs the model cannot take are input errors with the reason. */
static void refusals(void **state)
{
	(void)state;
	double y[] = { 0.1, 0.4, -0.3 }, v[] = { 0.04, 0.05, 0.09 };
	size_t one[] = { 0, 0, 0 }, singletons[] = { 0, 1, 2 };
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_ml_opts o = sm_ml_defaults(SM_REML, 0, 95);
	struct sm_ml_fit f;
	struct sm_ml_data d1 = { y, v, one, 3, 1 }, d2 = { y, v, singletons, 3, 3 };
	assert_int_equal(sm_ml_fit(ctx, &d1, &o, &f), SM_EINPUT);
	assert_non_null(strstr(sm_ctx_error(ctx)->msg, "at least 2 clusters"));
	sm_ctx_clear_error(ctx);
	assert_int_equal(sm_ml_fit(ctx, &d2, &o, &f), SM_EINPUT);
	assert_non_null(strstr(sm_ctx_error(ctx)->msg, "not identifiable"));
	sm_ctx_clear_error(ctx);
	o.method = SM_DL;
	size_t two[] = { 0, 0, 1 };
	struct sm_ml_data d3 = { y, v, two, 3, 2 };
	assert_int_equal(sm_ml_fit(ctx, &d3, &o, &f), SM_EINPUT);
	sm_ctx_clear_error(ctx);
	struct sm_robust_model m = { y, v, one, 3, 1, { 0, 0 }, 0, 1 };
	struct sm_robust r;
	assert_int_equal(sm_robust_fit(ctx, &m, SM_ROBUST_CR1, 95, &r), SM_EINPUT);
	sm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_case),
		cmocka_unit_test(order_invariance),
		cmocka_unit_test(refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
