#include "sm_domain_table.h"

#include "sm_buf.h"
#include "sm_json_out.h"
#include "sm_row_index.h"
#include "sm_strmap.h"
#include <limits.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char counting_note[] =
	"k = comparisons (rows in the pooled estimate: under Mantel-Haenszel or Peto "
	"pooling every table, also those without an effect size of their own); "
	"k_studies = distinct studies among them; events and "
	"patients are summed over comparisons, so a patient of a study with several "
	"comparisons in a domain counts once per comparison; n_t_by_study and n_c_by_study "
	"count each study once, with its largest arm";

static int is_ratio(const char *m)
{
	return !strcmp(m, "OR") || !strcmp(m, "RR") || !strcmp(m, "PETO");
}

static int is_comparison(const char *m)
{
	return is_ratio(m) || !strcmp(m, "RD") || !strcmp(m, "GEN");
}

enum sm_direction sm_domain_direction(const char *measure, double ci_lb, double ci_ub)
{
	/* The model scale is log for ratios, so the null value is 0 for all. */
	if (!measure || !is_comparison(measure) || isnan(ci_lb) || isnan(ci_ub))
		return SM_DIR_NA;
	if (ci_ub < 0)
		return SM_DIR_FEWER;
	if (ci_lb > 0)
		return SM_DIR_MORE;
	return SM_DIR_NONE;
}

char *sm_domain_verdict(const char *measure, enum sm_direction dir, const char *arm1)
{
	if (dir == SM_DIR_NA)
		return NULL;
	if (dir == SM_DIR_NONE)
		return sm_asprintf("No significant difference");
	/* A generic effect size has no known event direction. */
	int gen = measure && !strcmp(measure, "GEN");
	const char *word = dir == SM_DIR_FEWER ? (gen ? "Lower values" : "Fewer events")
					       : (gen ? "Higher values" : "More events");
	return sm_asprintf("%s with %s", word, arm1 ? arm1 : "treatment");
}

double sm_domain_treated_risk(const char *measure, double p0, double effect)
{
	if (!measure || !isfinite(p0) || !isfinite(effect) || p0 < 0 || p0 > 1)
		return NAN;
	if (!strcmp(measure, "OR") || !strcmp(measure, "PETO")) {
		double den = 1 - p0 + effect * p0;
		return den > 0 ? effect * p0 / den : NAN;
	}
	if (!strcmp(measure, "RR"))
		return fmin(1, effect * p0);
	if (!strcmp(measure, "RD"))
		return fmin(1, fmax(0, p0 + effect));
	return NAN;
}

/* ---- reading the results document ---------------------------------- */

static double num(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static double num_in(const cJSON *obj, const char *sub, const char *key)
{
	return num(cJSON_GetObjectItemCaseSensitive(obj, sub), key);
}

static const char *str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

struct study_ref {
	const char *id;
	double n1, n2;
};

static int cmp_ref(const void *a, const void *b)
{
	return strcmp(((const struct study_ref *)a)->id, ((const struct study_ref *)b)->id);
}

static int add_ref(struct study_ref *refs, int m, const struct sm_row_view *s)
{
	const char *id = s->study_id ? s->study_id : s->label;
	if (id)
		refs[m++] = (struct study_ref){ id, s->n1i, s->n2i };
	return m;
}

/* Whether summing these values gives the same double in any order: every
 * finite one a whole number and their magnitudes together within 2^53, so
 * each partial sum is exact (NaN and infinities give NaN or the infinity in
 * any order). */
static int order_free(double abs_sum, int whole)
{
	return whole && abs_sum <= 9007199254740992.0;
}

static void note_term(double b, double *abs_sum, int *whole)
{
	if (!isfinite(b))
		return;
	*abs_sum += fabs(b);
	*whole &= b == nearbyint(b);
}

/* count_studies in O(m): the rows grouped by id in a hash map (first
 * appearance order) instead of sorted, each group's largest arms summed in
 * that order, which is the sorted order's sum when order_free() holds (arm
 * sizes are counts).  The groups are compacted to refs[0 .. *ng), each with
 * its largest arms.  Returns 1 when the sums are set, 0 when they are not
 * order-free (the caller then sorts the groups, as before, for the same
 * bytes), -1 on out of memory. */
static int group_refs(struct study_ref *refs, int m, int *ng_out, double *n1_by,
		      double *n2_by)
{
	struct sm_strmap *map = sm_strmap_new();
	if (!map)
		return -1;
	int ng = 0;
	*ng_out = 0;
	for (int i = 0; i < m; i++) {
		size_t g = 0;
		int put = sm_strmap_put(map, refs[i].id, (size_t)ng, &g);
		if (put < 0) {
			sm_strmap_free(map);
			return -1;
		}
		if (put) {
			/* groups compact at the front: ng <= i */
			refs[ng++] = refs[i];
			continue;
		}
		refs[g].n1 = fmax(refs[g].n1, refs[i].n1);
		refs[g].n2 = fmax(refs[g].n2, refs[i].n2);
	}
	sm_strmap_free(map);
	*ng_out = ng;
	double a1 = 0, a2 = 0, s1 = 0, s2 = 0;
	int w1 = 1, w2 = 1;
	for (int g = 0; g < ng; g++) {
		note_term(refs[g].n1, &a1, &w1);
		note_term(refs[g].n2, &a2, &w2);
		s1 += refs[g].n1;
		s2 += refs[g].n2;
	}
	if (!order_free(a1, w1) || !order_free(a2, w2))
		return 0;
	*n1_by = s1;
	*n2_by = s2;
	return 1;
}

/* Distinct studies among the rows in the model and each study's largest
 * arms: the studies, and the excluded rows whose tables a Mantel-Haenszel
 * or Peto estimate pools (`pooled_table`).  Returns -1 when the rows are
 * not in the document. */
static int count_studies(const cJSON *studies, const cJSON *excluded,
			 const struct sm_row_index *index, double *n1_by, double *n2_by)
{
	*n1_by = *n2_by = NAN;
	if (!cJSON_IsArray(studies))
		return -1;
	size_t n = sm_row_index_size(index, studies) + (size_t)cJSON_GetArraySize(excluded);
	if (n > INT_MAX)
		return -1;
	struct study_ref *refs = sm_alloc_array(n ? n : 1, sizeof *refs);
	if (!refs)
		return -1;
	int m = 0;
	struct sm_row_iter it;
	struct sm_row_view v;
	sm_row_iter_begin(&it, index, studies);
	while (sm_row_iter_next(&it, &v))
		m = add_ref(refs, m, &v);
	const cJSON *s;
	sm_row_iter_begin(&it, NULL, excluded);
	cJSON_ArrayForEach(s, excluded)
		if (sm_row_iter_next(&it, &v) &&
		    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "pooled_table")))
			m = add_ref(refs, m, &v);
	int ng = 0, grouped = group_refs(refs, m, &ng, n1_by, n2_by);
	if (grouped != 0) {
		free(refs);
		return grouped > 0 ? ng : -1;
	}
	m = ng;
	qsort(refs, (size_t)m, sizeof *refs, cmp_ref);
	int distinct = 0;
	double s1 = 0, s2 = 0;
	for (int i = 0; i < m;) {
		double b1 = refs[i].n1, b2 = refs[i].n2;
		int j = i + 1;
		for (; j < m && !strcmp(refs[j].id, refs[i].id); j++) {
			b1 = fmax(b1, refs[j].n1);
			b2 = fmax(b2, refs[j].n2);
		}
		s1 += b1;
		s2 += b2;
		distinct++;
		i = j;
	}
	free(refs);
	*n1_by = s1;
	*n2_by = s2;
	return distinct;
}

static int studies_of(const cJSON *a, const struct sm_row_index *index, double *n1_by,
		      double *n2_by)
{
	return count_studies(cJSON_GetObjectItemCaseSensitive(a, "studies"),
			     cJSON_GetObjectItemCaseSensitive(a, "excluded"), index, n1_by, n2_by);
}

int sm_domain_table_studies(const cJSON *analysis)
{
	return sm_domain_table_studies_indexed(analysis, NULL);
}

int sm_domain_table_studies_indexed(const cJSON *analysis, const struct sm_row_index *index)
{
	double n1, n2;
	return studies_of(analysis, index, &n1, &n2);
}

/* The rows the pooled estimate stands on: under Mantel-Haenszel or Peto
 * pooling every table (k of the "mh" or "peto" block, which includes rows
 * without an effect size of their own), else the analysis' k. */
static double pooled_k(const cJSON *a)
{
	const char *method = str(a, "method");
	double k = NAN;
	if (method && !strcmp(method, "MH"))
		k = num_in(a, "mh", "k");
	else if (method && !strcmp(method, "PETO"))
		k = num_in(a, "peto", "k");
	return isfinite(k) ? k : num(a, "k");
}

/* ---- one row -------------------------------------------------------- */

static void add_counts(cJSON *row, const cJSON *a, const struct sm_row_index *index)
{
	cJSON_AddNumberToObject(row, "k", pooled_k(a));
	double n1_by, n2_by;
	int ks = studies_of(a, index, &n1_by, &n2_by);
	sm_json_add_number(row, "k_studies", ks >= 0 ? (double)ks : NAN);
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(a, "totals");
	sm_json_add_number(row, "events_t", num(t, "events_t"));
	sm_json_add_number(row, "n_t", num(t, "n_t"));
	sm_json_add_number(row, "events_c", num(t, "events_c"));
	sm_json_add_number(row, "n_c", num(t, "n_c"));
	sm_json_add_number(row, "n_t_by_study", ks >= 0 ? n1_by : NAN);
	int two_arm = cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(t, "n_c"));
	sm_json_add_number(row, "n_c_by_study", ks >= 0 && two_arm ? n2_by : NAN);
}

static void add_effect(cJSON *row, const cJSON *a)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(a, "transformed");
	sm_json_add_number(row, "estimate", num(t, "estimate"));
	sm_json_add_number(row, "ci_lb", num(t, "ci_lb"));
	sm_json_add_number(row, "ci_ub", num(t, "ci_ub"));
	sm_json_add_number(row, "p", num(a, "p"));
	sm_json_add_number(row, "I2", num(a, "I2"));
	sm_json_add_number(row, "tau2", num(a, "tau2"));
	sm_json_add_number(row, "egger_p", num_in(a, "egger", "p"));
	sm_json_add_number(row, "begg_p", num_in(a, "begg", "p"));
}

/* The verdict of a 2x2 row from its pooled interval and its evidence of
 * absence (see the header's vocabulary); other rows keep the direction
 * words of sm_domain_verdict. */
static void add_verdict(cJSON *row, const cJSON *a, const char *measure, const char *arm1)
{
	enum sm_direction dir = sm_domain_direction(measure, num(a, "ci_lb"), num(a, "ci_ub"));
	static const char *const names[] = { "fewer", "none", "more", NULL };
	sm_json_add_string(row, "direction", dir == SM_DIR_NA ? NULL : names[dir + 1]);
	const cJSON *ev = cJSON_GetObjectItemCaseSensitive(a, "evidence_of_absence");
	double upper = num(ev, "excluded_above_per_1000"), margin = num(ev, "harm_margin_per_1000");
	struct sm_domain_verdict v = sm_domain_verdict_of(dir, ev ? upper : NAN, margin, arm1);
	char *text = v.text ? NULL : sm_domain_verdict(measure, dir, arm1);
	sm_json_add_string(row, "verdict", v.text ? v.text : text);
	sm_json_add_string(row, "verdict_code", v.text ? v.code : NULL);
	sm_json_add_string(row, "verdict_basis", v.text ? v.basis : NULL);
	sm_json_add_number(row, "excess_upper_per_1000", ev ? upper : NAN);
	sm_json_add_number(row, "harm_margin_per_1000", ev ? margin : NAN);
	free(v.text);
	free(text);
}

struct sm_domain_verdict sm_domain_verdict_of(enum sm_direction dir, double upper,
					      double margin, const char *arm1)
{
	struct sm_domain_verdict v = { NULL, NULL, NULL };
	const char *arm = arm1 ? arm1 : "treatment";
	if (dir == SM_DIR_NA || (dir == SM_DIR_NONE && isnan(upper)))
		return v;
	if (dir == SM_DIR_MORE) {
		v.code = "increased";
		v.text = sm_asprintf("More events with %s", arm);
		v.basis = "the pooled interval lies above no difference";
	} else if (dir == SM_DIR_FEWER) {
		v.code = "decreased";
		v.text = sm_asprintf("Fewer events with %s", arm);
		v.basis = "the pooled interval lies below no difference";
	} else if (isfinite(margin) && upper < margin) {
		v.code = "margin_excluded";
		v.text = sm_asprintf("Excess risk above %.3g per 1000 excluded", margin);
		v.basis = "the one-sided upper bound of the excess risk is below the harm margin";
	} else if (isfinite(margin)) {
		v.code = "inconclusive";
		v.text = sm_asprintf("Inconclusive: cannot exclude %.3g per 1000", margin);
		v.basis = "the one-sided upper bound of the excess risk reaches the harm margin";
	} else if (upper <= 0) {
		/* the bound itself is below no difference (the MH risk difference
		 * can exclude 0 where the pooled ratio does not) */
		v.code = "no_difference";
		v.text = sm_asprintf("No significant difference; no excess risk (upper bound "
				     "\u2212%.3g per 1000)", -upper);
		v.basis = "the pooled interval includes no difference; the one-sided upper bound "
			  "of the excess risk is below 0 (no harm margin set)";
	} else {
		v.code = "no_difference";
		v.text = sm_asprintf("No significant difference; excess risk above %.3g per 1000 "
				     "excluded", upper);
		v.basis = "the pooled interval includes no difference; the bound is the one-sided "
			  "upper bound of the excess risk (no harm margin set)";
	}
	return v;
}

/* The row's multiplicity-adjusted P values (sm_multiplicity.h). */
static void add_multiplicity(cJSON *row, const cJSON *m)
{
	sm_json_add_number(row, "p_bh", num(m, "p_bh"));
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(m, "signal_bh");
	if (cJSON_IsBool(f))
		cJSON_AddBoolToObject(row, "signal_bh", cJSON_IsTrue(f));
	else
		cJSON_AddNullToObject(row, "signal_bh");
	sm_json_add_number(row, "p_dfdr", num(m, "dfdr_p"));
	f = cJSON_GetObjectItemCaseSensitive(m, "signal_dfdr");
	if (cJSON_IsBool(f))
		cJSON_AddBoolToObject(row, "signal_dfdr", cJSON_IsTrue(f));
	else
		cJSON_AddNullToObject(row, "signal_dfdr");
	sm_json_add_number(row, "terms_flagged_dfdr", num(m, "terms_flagged"));
}

static void add_absolute(cJSON *row, const cJSON *a, const char *measure)
{
	const cJSON *tot = cJSON_GetObjectItemCaseSensitive(a, "totals");
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(a, "transformed");
	double p0 = num(tot, "events_c") / num(tot, "n_c");
	double est = num(t, "estimate"), lb = num(t, "ci_lb"), ub = num(t, "ci_ub");
	if (!strcmp(measure, "RD")) {
		est = num(a, "estimate");
		lb = num(a, "ci_lb");
		ub = num(a, "ci_ub");
	}
	double p1 = sm_domain_treated_risk(measure, p0, est);
	if (isnan(p1)) {
		cJSON_AddNullToObject(row, "absolute");
		return;
	}
	cJSON *o = cJSON_AddObjectToObject(row, "absolute");
	sm_json_add_number(o, "control_per_1000", 1000 * p0);
	sm_json_add_number(o, "treated_per_1000", 1000 * p1);
	/* The transforms are monotone increasing, so the bounds map to bounds. */
	double p1_lb = sm_domain_treated_risk(measure, p0, lb);
	double p1_ub = sm_domain_treated_risk(measure, p0, ub);
	sm_json_add_number(o, "treated_ci_lb_per_1000", 1000 * p1_lb);
	sm_json_add_number(o, "treated_ci_ub_per_1000", 1000 * p1_ub);
	sm_json_add_number(o, "difference_per_1000", 1000 * (p1 - p0));
	sm_json_add_number(o, "difference_ci_lb_per_1000", 1000 * (p1_lb - p0));
	sm_json_add_number(o, "difference_ci_ub_per_1000", 1000 * (p1_ub - p0));
}

static cJSON *row_json(const cJSON *a, const cJSON *mult, const char *arm1,
		       const struct sm_row_index *index)
{
	cJSON *row = cJSON_CreateObject();
	const char *measure = str(a, "measure");
	if (!measure)
		measure = "?";
	sm_json_add_string(row, "analysis", str(a, "name"));
	cJSON_AddStringToObject(row, "measure", measure);
	add_counts(row, a, index);
	add_effect(row, a);
	add_verdict(row, a, measure, arm1);
	add_multiplicity(row, mult);
	add_absolute(row, a, measure);
	return row;
}

cJSON *sm_domain_table_json(struct sm_ctx *ctx, const cJSON *results)
{
	return sm_domain_table_json_indexed(ctx, results, NULL);
}

cJSON *sm_domain_table_json_indexed(struct sm_ctx *ctx, const cJSON *results,
				    const struct sm_row_index *index)
{
	const cJSON *settings = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(results, "review"), "settings");
	const cJSON *labels = cJSON_GetObjectItemCaseSensitive(settings, "arm_labels");
	const cJSON *l1 = cJSON_GetArrayItem(labels, 0), *l2 = cJSON_GetArrayItem(labels, 1);
	const char *arm1 = cJSON_IsString(l1) ? l1->valuestring : "Treatment";
	const char *arm2 = cJSON_IsString(l2) ? l2->valuestring : "Control";
	cJSON *o = cJSON_CreateObject();
	if (!o) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	cJSON *arms = cJSON_AddArrayToObject(o, "arm_labels");
	cJSON_AddItemToArray(arms, cJSON_CreateString(arm1));
	cJSON_AddItemToArray(arms, cJSON_CreateString(arm2));
	sm_json_add_number(o, "level", num(cJSON_GetObjectItemCaseSensitive(results, "settings"),
					   "level"));
	cJSON_AddStringToObject(o, "counting", counting_note);
	cJSON *rows = cJSON_AddArrayToObject(o, "rows");
	const cJSON *mult = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(results, "multiplicity"), "domains");
	const cJSON *a;
	int i = 0;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(results, "analyses"))
		cJSON_AddItemToArray(rows, row_json(a, cJSON_GetArrayItem(mult, i++), arm1, index));
	/* cJSON signals allocation failure only through missing items. */
	if (!rows || cJSON_GetArraySize(rows) !=
			     cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(results, "analyses"))) {
		cJSON_Delete(o);
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	return o;
}
