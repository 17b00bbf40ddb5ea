/* Reported against recomputed: counts and values of each analysis. */
#include "sm_check_impl.h"

#include "sm_buf.h"
#include "sm_domain_table.h"
#include "sm_reported.h"
#include "sm_stats.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double sm_check_num(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static const char *str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

double sm_check_rep_value(const struct sm_check_rep *r, const char *key)
{
	return sm_check_num(r->obj, key);
}

double sm_check_rep_tol(const struct sm_check_run_state *s, const char *key, double v)
{
	if (!isfinite(v))
		return NAN;
	if (v != 0)
		return sm_check_tolerance(v);
	/* A printed zero lost its decimals: take the finest of its siblings. */
	int best = 0;
	const cJSON *a;
	cJSON_ArrayForEach(a, s->reported) {
		double w = sm_check_num(a, key);
		if (isfinite(w) && w != 0 && sm_check_decimals(w) > best)
			best = sm_check_decimals(w);
	}
	return 0.5 * pow(10, -best);
}

void sm_check_add(struct sm_check_run_state *s, enum sm_check_kind kind, const char *analysis,
		  const char *field, double reported, double computed, double tol,
		  const char *fmt, ...)
{
	struct sm_check *c = s->report;
	if (s->oom)
		return;
	if (c->n_findings == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		void *p = sm_realloc_array(c->findings, cap, sizeof *c->findings);
		if (!p) {
			s->oom = 1;
			return;
		}
		c->findings = p;
		s->cap = cap;
	}
	va_list ap;
	va_start(ap, fmt);
	char *msg = sm_vasprintf(fmt, ap);
	va_end(ap);
	struct sm_check_finding *f = &c->findings[c->n_findings];
	*f = (struct sm_check_finding){ kind, analysis ? strdup(analysis) : NULL,
					field ? strdup(field) : NULL, reported, computed, tol,
					msg };
	if (!msg || (analysis && !f->analysis) || (field && !f->field)) {
		free(f->analysis);
		free(f->field);
		free(msg);
		s->oom = 1;
		return;
	}
	c->n_findings++;
}

/* ---- counts ----------------------------------------------------------- */

/* The k whose Bonferroni bound z(1 - 0.05 / 2k) is nearest to `bound`. */
static double k_from_bound(double bound)
{
	if (!(bound > 0))
		return NAN;
	double tail = sm_p2_norm(bound) / 2;
	return tail > 0 ? round(0.05 / (2 * tail)) : NAN;
}

static void check_k(struct sm_check_run_state *s, struct sm_check_rep *r)
{
	double kc = sm_check_num(r->computed, "k");
	r->k_differs = isfinite(r->k_paper) && r->k_paper != kc;
	if (!r->k_differs)
		return;
	double bound = sm_check_rep_value(r, "rstudent_bound");
	double kb = k_from_bound(bound);
	char extra[128] = "";
	if (isfinite(kb))
		snprintf(extra, sizeof extra,
			 " (its studentized-residual bound %g implies k = %.0f)", bound, kb);
	sm_check_add(s, SM_CHECK_COUNT, r->name, "k", r->k_paper, kc, 0,
		     "the paper's analysis used k = %.0f comparisons; the data have %.0f%s",
		     r->k_paper, kc, extra);
}

static void check_studies(struct sm_check_run_state *s, struct sm_check_rep *r)
{
	double stated = sm_check_rep_value(r, "studies_stated");
	int have = sm_domain_table_studies_indexed(r->computed, s->rows);
	if (!isfinite(stated) || have < 0 || stated == have)
		return;
	sm_check_add(s, SM_CHECK_COUNT, r->name, "studies_stated", stated, have, 0,
		     "the paper states %.0f studies; the data have %d distinct studies "
		     "(%.0f comparisons)", stated, have, sm_check_num(r->computed, "k"));
}

/* ---- values ----------------------------------------------------------- */

struct field {
	const char *key;    /* in "reported" */
	const char *sub;    /* object of the computed analysis, or NULL */
	const char *ckey;   /* in the computed analysis */
	int self_slot;      /* SM_IMP_* or -1 */
	int effect;         /* on the effect scale (sign and log/ratio causes) */
};

static const struct field fields[] = {
	{ "estimate", NULL, "estimate", -1, 1 },
	{ "ci_lb", NULL, "ci_lb", -1, 1 },
	{ "ci_ub", NULL, "ci_ub", -1, 1 },
	{ "se", NULL, "se", -1, 0 },
	{ "z", NULL, "stat", -1, 1 },
	{ "p", NULL, "p", SM_IMP_P, 0 },
	{ "pi_lb", NULL, "pi_lb", -1, 1 },
	{ "pi_ub", NULL, "pi_ub", -1, 1 },
	{ "Q", NULL, "Q", -1, 0 },
	{ "Q_p", NULL, "Q_p", SM_IMP_QP, 0 },
	{ "tau2", NULL, "tau2", -1, 0 },
	{ "I2", NULL, "I2", SM_IMP_I2, 0 },
	{ "H2", NULL, "H2", -1, 0 },
	{ "rstudent_bound", NULL, "rstudent_bound", -1, 0 },
	{ "begg_p", "begg", "p", -1, 0 },
	{ "egger_p", "egger", "p", -1, 0 },
};

static int close_to(double a, double b, double tol)
{
	/* The slack absorbs binary representation (0.29 + 0.005). */
	return fabs(a - b) <= tol * (1 + 1e-9) + 1e-12;
}

static int is_self_explained(const struct sm_check_rep *r, int slot, double c)
{
	int flagged = slot == SM_IMP_P ? r->self_p : slot == SM_IMP_QP ? r->self_qp
				 : slot == SM_IMP_I2 ? r->self_i2 : 0;
	return flagged && c >= r->imp_lo[slot] - 1e-9 && c <= r->imp_hi[slot] + 1e-9;
}

static int is_ratio_measure(const cJSON *computed)
{
	const char *m = str(computed, "measure");
	return m && (!strcmp(m, "OR") || !strcmp(m, "RR") || !strcmp(m, "PETO"));
}

static void report_value(struct sm_check_run_state *s, const struct sm_check_rep *r,
			 const struct field *f, double v, double c, double tol)
{
	char rb[64], cb[64], cause[128];
	sm_json_shortest(rb, sizeof rb, v);
	sm_check_fmt(cb, sizeof cb, c, sm_check_decimals(v), v);
	enum sm_check_kind kind = SM_CHECK_VALUE;
	if (r->k_differs) {
		snprintf(cause, sizeof cause, "the paper's k (%.0f) differs from the data's (%.0f)",
			 r->k_paper, sm_check_num(r->computed, "k"));
	} else if (f->effect && close_to(v, -c, tol) && !close_to(v, 0, tol)) {
		kind = SM_CHECK_DIRECTION;
		snprintf(cause, sizeof cause, "a sign (direction) misread: the recomputed value "
			 "has the opposite sign");
	} else if (f->effect && is_ratio_measure(r->computed) && strcmp(f->key, "z") &&
		   close_to(v, exp(c), tol)) {
		kind = SM_CHECK_DIRECTION;
		snprintf(cause, sizeof cause, "reported on the ratio scale; the check expects "
			 "the log scale");
	} else {
		snprintf(cause, sizeof cause, "not found (other rows, zero-cell correction or "
			 "estimator?)");
	}
	sm_check_add(s, kind, r->name, f->key, v, c, tol,
		     "reported %s = %s (+-%g), recomputed %s; likely cause: %s", f->key, rb, tol,
		     cb, cause);
}

static int check_value(struct sm_check_run_state *s, const struct sm_check_rep *r,
		       const struct field *f)
{
	double v = sm_check_rep_value(r, f->key);
	if (!isfinite(v))
		return 0;
	const cJSON *src = f->sub ? cJSON_GetObjectItemCaseSensitive(r->computed, f->sub)
				  : r->computed;
	double c = sm_check_num(src, f->ckey);
	double tol = sm_check_rep_tol(s, f->key, v);
	if (!isfinite(c)) {
		char rb[64];
		sm_json_shortest(rb, sizeof rb, v);
		sm_check_add(s, SM_CHECK_UNDEFINED, r->name, f->key, v, NAN, tol,
			     "the paper gives %s = %s, but it cannot be computed for these data "
			     "(k = %.0f)", f->key, rb, sm_check_num(r->computed, "k"));
		return 1;
	}
	if (close_to(v, c, tol) || is_self_explained(r, f->self_slot, c))
		return 1;
	report_value(s, r, f, v, c, tol);
	return 1;
}

/* ---- claims in words ------------------------------------------------------ */

/* "A, B and 2 more" from a list of labels. */
static void join_labels(char *buf, size_t size, const cJSON *list)
{
	size_t n = (size_t)cJSON_GetArraySize(list), used = 0, shown = 0;
	buf[0] = '\0';
	const cJSON *l;
	cJSON_ArrayForEach(l, list) {
		if (!cJSON_IsString(l))
			continue;
		if (shown == 6) {
			snprintf(buf + used, size - used, " and %zu more", n - shown);
			return;
		}
		int w = snprintf(buf + used, size - used, "%s%s", shown ? ", " : "", l->valuestring);
		if (w < 0 || (size_t)w >= size - used)
			return;
		used += (size_t)w;
		shown++;
	}
}

static void check_claim(struct sm_check_run_state *s, const struct sm_check_rep *r,
			const cJSON *claim)
{
	const char *what = str(claim, "claim");
	const cJSON *inf = cJSON_GetObjectItemCaseSensitive(r->computed, "influence_summary");
	if (!what || !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(inf, "computed")))
		return;
	const cJSON *flagged = cJSON_GetObjectItemCaseSensitive(inf, "influential");
	const cJSON *cooks = cJSON_GetObjectItemCaseSensitive(inf, "cooks_above_median");
	const cJSON *outliers = cJSON_GetObjectItemCaseSensitive(inf, "outliers");
	double k = sm_check_num(r->computed, "k");
	char names[512], more[600] = "";
	if (!strcmp(what, SM_CLAIM_NO_INFLUENTIAL) &&
	    (cJSON_GetArraySize(flagged) > 0 || cJSON_GetArraySize(cooks) > 0)) {
		join_labels(names, sizeof names, flagged);
		if (cJSON_GetArraySize(cooks) > 0) {
			char c[512];
			join_labels(c, sizeof c, cooks);
			snprintf(more, sizeof more, "; Cook's distance is above the chi-square(1) "
				 "median for %d: %s", cJSON_GetArraySize(cooks), c);
		}
		sm_check_add(s, SM_CHECK_CLAIM, r->name, what, NAN,
			     cJSON_GetArraySize(flagged), 0,
			     "the paper claims no influential study, but metafor's influence() "
			     "flags %d of %.0f as influential%s%s%s", cJSON_GetArraySize(flagged), k,
			     cJSON_GetArraySize(flagged) ? ": " : "", names, more);
	} else if (!strcmp(what, SM_CLAIM_NO_OUTLIER) && cJSON_GetArraySize(outliers) > 0) {
		join_labels(names, sizeof names, outliers);
		sm_check_add(s, SM_CHECK_CLAIM, r->name, what, NAN, cJSON_GetArraySize(outliers), 0,
			     "the paper claims no outlier, but %d of %.0f studies have |rstudent| "
			     "above the bound %.4g: %s", cJSON_GetArraySize(outliers), k,
			     sm_check_num(inf, "rstudent_bound"), names);
	}
}

static void check_claims(struct sm_check_run_state *s, const struct sm_check_rep *r)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(r->obj, "claims"))
		check_claim(s, r, c);
}

/* ---- aggregate comparisons ----------------------------------------------- */

static const cJSON *find_table(const cJSON *results, const char *id)
{
	const cJSON *t;
	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(results, "aggregate_tables")) {
		const char *tid = str(t, "id");
		if (tid && id && !strcmp(tid, id))
			return t;
	}
	return NULL;
}

static void check_comparisons(struct sm_check_run_state *s, const cJSON *results)
{
	const cJSON *reported = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(results, "review"), "reported");
	const cJSON *c;
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(reported, "comparisons")) {
		const char *test = str(c, "test");
		const cJSON *t = find_table(results, str(c, "table"));
		if (!t || !sm_reported_test_needs_measurements(test))
			continue;
		double p = sm_check_num(c, "p"), fp = sm_check_num(t, "fisher_p");
		char pb[64] = "";
		if (isfinite(p))
			snprintf(pb, sizeof pb, " (P = %g)", p);
		sm_check_add(s, SM_CHECK_METHOD, str(t, "name"), "test", p, fp, NAN,
			     "the paper compares %.0f/%.0f with %.0f/%.0f by a %s%s, which needs "
			     "paired or continuous measurements; these are event counts in two "
			     "independent groups. Fisher's exact test gives P = %.3g, odds ratio "
			     "%.3g [%.3g, %.3g]; risk difference %.3g per 1000 [%.3g, %.3g] "
			     "(Miettinen-Nurminen)", sm_check_num(t, "events_t"),
			     sm_check_num(t, "n_t"), sm_check_num(t, "events_c"),
			     sm_check_num(t, "n_c"), test, pb, fp, sm_check_num(t, "or_estimate"),
			     sm_check_num(t, "or_ci_lb"), sm_check_num(t, "or_ci_ub"),
			     sm_check_num(t, "rd_per_1000"), sm_check_num(t, "rd_ci_lb_per_1000"),
			     sm_check_num(t, "rd_ci_ub_per_1000"));
	}
}

/* ---- analyses ------------------------------------------------------------ */

static const cJSON *find_computed(const cJSON *results, const char *name)
{
	const cJSON *a;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(results, "analyses")) {
		const char *n = str(a, "name");
		if (n && !strcmp(n, name))
			return a;
	}
	return NULL;
}

static void check_analysis(struct sm_check_run_state *s, const cJSON *rep, const cJSON *results,
			   struct sm_check_analysis *out)
{
	struct sm_check_rep r = { .obj = rep, .name = str(rep, "name") };
	out->name = strdup(r.name ? r.name : "?");
	if (!out->name) {
		s->oom = 1;
		return;
	}
	r.computed = r.name ? find_computed(results, r.name) : NULL;
	if (!r.computed) {
		sm_check_add(s, SM_CHECK_UNMATCHED, out->name, "name", NAN, NAN, NAN,
			     "the review reports an analysis '%s' but none of that name was "
			     "computed; expected the name of an analysis (a separate outcome)", out->name);
		return;
	}
	r.k_paper = sm_check_num(rep, "k");
	r.df = isfinite(r.k_paper) ? r.k_paper - 1 : sm_check_num(r.computed, "Q_df");
	size_t before = s->report->n_findings;
	check_k(s, &r);
	check_studies(s, &r);
	sm_check_self(s, &r);
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		out->values_compared += (size_t)check_value(s, &r, &fields[i]);
	check_claims(s, &r);
	out->reproduced = 1;
	for (size_t i = before; i < s->report->n_findings; i++) {
		const struct sm_check_finding *f = &s->report->findings[i];
		if (f->kind == SM_CHECK_VALUE || f->kind == SM_CHECK_DIRECTION ||
		    (f->kind == SM_CHECK_COUNT && !strcmp(f->field, "k")))
			out->reproduced = 0;
	}
}

static void check_prisma(struct sm_check_run_state *s, const cJSON *results)
{
	const cJSON *review = cJSON_GetObjectItemCaseSensitive(results, "review");
	const cJSON *f;
	cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(review, "prisma_findings")) {
		const char *msg = str(f, "message");
		sm_check_add(s, SM_CHECK_PRISMA, NULL, str(f, "step"), sm_check_num(f, "reported"),
			     sm_check_num(f, "expected"), 0, "%s", msg ? msg : "inconsistent");
	}
}

void sm_check_free(struct sm_check *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_findings; i++) {
		free(c->findings[i].analysis);
		free(c->findings[i].field);
		free(c->findings[i].message);
	}
	for (size_t i = 0; i < c->n_analyses; i++)
		free(c->analyses[i].name);
	free(c->findings);
	free(c->analyses);
	free(c);
}

struct sm_check *sm_check_run(struct sm_ctx *ctx, const cJSON *results)
{
	return sm_check_run_indexed(ctx, results, NULL);
}

struct sm_check *sm_check_run_indexed(struct sm_ctx *ctx, const cJSON *results,
				      const struct sm_row_index *rows)
{
	if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(results, "analyses"))) {
		SM_FAIL(ctx, SM_EINPUT, "not a results document: no 'analyses' array; "
			"expected the output of 'safemeta analyze'");
		return NULL;
	}
	const cJSON *review = cJSON_GetObjectItemCaseSensitive(results, "review");
	double level = sm_check_num(cJSON_GetObjectItemCaseSensitive(results, "settings"), "level");
	struct sm_check_run_state s = {
		.ctx = ctx,
		.report = calloc(1, sizeof(struct sm_check)),
		.reported = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(review, "reported"), "analyses"),
		.alpha = isfinite(level) ? 1 - level / 100 : 0.05,
		.rows = rows,
	};
	int n = cJSON_GetArraySize(s.reported);
	if (s.report && n > 0) {
		s.report->analyses = sm_alloc_array((size_t)n, sizeof *s.report->analyses);
		s.oom = !s.report->analyses;
	}
	const cJSON *rep;
	cJSON_ArrayForEach(rep, s.reported) {
		if (!s.report || s.oom)
			break;
		check_analysis(&s, rep, results, &s.report->analyses[s.report->n_analyses++]);
	}
	if (s.report && !s.oom)
		check_comparisons(&s, results);
	if (s.report && !s.oom)
		check_prisma(&s, results);
	if (!s.report || s.oom) {
		sm_check_free(s.report);
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	return s.report;
}
