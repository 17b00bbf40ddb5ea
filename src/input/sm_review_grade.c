/* The review's GRADE ratings ("grade"): per analysis, the certainty of the
 * evidence, GRADEpro's five reasons for downgrading with their footnotes,
 * the importance and an optional control risk.  Checked, then detached
 * into the review; the analysis stage turns them into the summary of
 * findings (sm_sof.h). */
#include "sm_review_parts.h"
#include "sm_strmap.h"

#include <math.h>
#include <string.h>

static const char *const grade_keys[] = {
	"analysis", "outcome", "certainty", "importance", "control_risk_per_1000",
	"risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias",
	NULL
};
static const char *const domain_keys[] = { "rating", "footnote", NULL };
static const char *const certainties[] = { "high", "moderate", "low", "very low", NULL };
static const char *const importances[] = { "critical", "important", "not important", NULL };
static const char *const ratings[] = { "not serious", "serious", "very serious", NULL };

/* GRADEpro's domains, in its order (sm_sof.c reads the same keys). */
const char *const sm_rv_grade_domains[] = { "risk_of_bias", "inconsistency", "indirectness",
					    "imprecision", "publication_bias", NULL };

/* {"rating": ..., "footnote": ...}: a downgrade must say why. */
static sm_status domain(struct sm_jv *v, const cJSON *o, const char *key,
			const struct sm_jpath *p)
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(o, key);
	struct sm_jpath k = JV_KEY(p, key);
	const char *rating = NULL;
	sm_status s;
	if (!d)
		return SM_OK; /* not rated down */
	if ((s = sm_jv_object(v, d, &k)) || (s = sm_jv_keys(v, d, &k, domain_keys)) ||
	    (s = sm_jv_enum(v, d, "rating", &k, ratings, &rating)))
		return s;
	if (!rating) {
		struct sm_jpath r = JV_KEY(&k, "rating");
		return sm_jv_missing(v, &r, "expected not serious, serious or very serious");
	}
	if (strcmp(rating, "not serious") && !cJSON_GetObjectItemCaseSensitive(d, "footnote")) {
		struct sm_jpath f = JV_KEY(&k, "footnote");
		return sm_jv_missing(v, &f, "expected the reason for rating down, as a footnote");
	}
	return sm_jv_text(v, d, "footnote", &k, 0);
}

static sm_status rating(struct sm_jv *v, const cJSON *o, const struct sm_jpath *p)
{
	const char *certainty = NULL;
	sm_status s;
	if ((s = sm_jv_object(v, o, p)) || (s = sm_jv_keys(v, o, p, grade_keys)) ||
	    (s = sm_jv_string(v, o, "analysis", p, 1, NULL)) ||
	    (s = sm_jv_string(v, o, "outcome", p, 0, NULL)) ||
	    (s = sm_jv_enum(v, o, "certainty", p, certainties, &certainty)) ||
	    (s = sm_jv_enum(v, o, "importance", p, importances, NULL)))
		return s;
	if (!certainty) {
		struct sm_jpath c = JV_KEY(p, "certainty");
		return sm_jv_missing(v, &c, "expected high, moderate, low or very low");
	}
	double cr = NAN;
	if ((s = sm_jv_number(v, o, "control_risk_per_1000", p, SM_RULE_POSITIVE, 0, 0, &cr)))
		return s;
	if (cr >= 1000) {
		struct sm_jpath c = JV_KEY(p, "control_risk_per_1000");
		return sm_jv_bad(v, &c, "expected a risk per 1000 above 0 and below 1000");
	}
	for (size_t i = 0; sm_rv_grade_domains[i]; i++)
		if ((s = domain(v, o, sm_rv_grade_domains[i], p)))
			return s;
	return SM_OK;
}

/* One rating; one per analysis, since a second would be silently lost. */
static sm_status rating_item(struct sm_jv *v, const cJSON *e, const struct sm_jpath *ep,
			     size_t index, void *seen_arg)
{
	struct sm_strmap *seen = seen_arg;
	sm_status s = rating(v, e, ep);
	if (s)
		return s;
	const char *a = cJSON_GetObjectItemCaseSensitive(e, "analysis")->valuestring;
	size_t first = 0;
	int put = sm_strmap_put(seen, a, index, &first);
	if (put < 0)
		return SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
	if (put == 0) {
		struct sm_jpath ap = JV_KEY(ep, "analysis");
		return sm_jv_fail(v, &ap, SM_JPOS_VALUE, "second rating of \"%s\" (also grade[%zu]); "
				  "expected one per analysis", a, first);
	}
	return SM_OK;
}

sm_status sm_rv_grade(struct sm_jv *v, cJSON *root, const struct sm_jpath *rootp)
{
	struct sm_strmap *seen = sm_strmap_new();
	if (!seen)
		return SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
	sm_status s = sm_jv_each(v, root, "grade", rootp, rating_item, seen);
	sm_strmap_free(seen);
	if (!s)
		v->r->grade = cJSON_DetachItemFromObjectCaseSensitive(root, "grade");
	return s;
}
