/* The "studies" part of the review JSON. */
#include "sm_buf.h"
#include "sm_review_parts.h"
#include "sm_strmap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const study_keys[] = {
	"id", "label", "year", "ref", "characteristics", NULL
};

static sm_status read_year(struct sm_jv *v, const cJSON *obj, const struct sm_jpath *p,
			   int *year)
{
	double y = NAN;
	sm_status s = sm_jv_number(v, obj, "year", p, SM_RULE_COUNT, 0, 1, &y);
	if (s)
		return s;
	if (isnan(y)) {
		*year = 0;
		return SM_OK;
	}
	if (y < 1 || y > 9999) {
		struct sm_jpath k = JV_KEY(p, "year");
		return sm_jv_bad(v, &k, "expected a year from 1 to 9999");
	}
	*year = (int)y;
	return SM_OK;
}

/* A ref is a string or a whole number (reference numbers). */
static sm_status read_ref(struct sm_jv *v, const cJSON *obj, const struct sm_jpath *p,
			  const char **ref)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, "ref");
	if (item && cJSON_IsNumber(item)) {
		struct sm_jpath k = JV_KEY(p, "ref");
		double d = item->valuedouble;
		if (!isfinite(d) || d != floor(d) || d < 0 || d > 1e15)
			return sm_jv_bad(v, &k, "expected a string or a reference number");
		*ref = sm_review_strf(v->r, "%.0f", d);
		return *ref ? SM_OK : SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
	}
	return sm_jv_string(v, obj, "ref", p, 0, ref);
}

static sm_status read_characteristics(struct sm_jv *v, const cJSON *obj,
				      const struct sm_jpath *p, struct sm_study *st)
{
	struct sm_jpath k = JV_KEY(p, "characteristics");
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(obj, "characteristics");
	if (!c)
		return SM_OK;
	if (!cJSON_IsObject(c))
		return sm_jv_bad(v, &k, "expected an object of texts");
	size_t n = (size_t)cJSON_GetArraySize(c);
	st->char_keys = sm_alloc_array(n ? n : 1, sizeof *st->char_keys);
	st->char_values = sm_alloc_array(n ? n : 1, sizeof *st->char_values);
	if (!st->char_keys || !st->char_values)
		return SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
	for (const cJSON *e = c->child; e; e = e->next) {
		struct sm_jpath ep = JV_KEY(&k, e->string);
		const char *val;
		if (cJSON_IsString(e))
			val = sm_review_str(v->r, e->valuestring);
		else if (cJSON_IsNumber(e) && isfinite(e->valuedouble))
			val = sm_review_strf(v->r, "%.15g", e->valuedouble);
		else
			return sm_jv_bad(v, &ep, "expected a string or a number");
		const char *key = sm_review_str(v->r, e->string);
		st->char_keys[st->n_chars] = key;
		st->char_values[st->n_chars] = val;
		st->n_chars++;
		if (!key || !val)
			return SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
	}
	return SM_OK;
}

static sm_status read_study(struct sm_jv *v, const cJSON *obj, const struct sm_jpath *p)
{
	sm_status s;
	if ((s = sm_jv_object(v, obj, p)) || (s = sm_jv_keys(v, obj, p, study_keys)))
		return s;
	struct sm_study *st = sm_review_add_study(v->r);
	if (!st)
		return SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
	if ((s = sm_jv_string(v, obj, "id", p, 1, &st->id)) ||
	    (s = sm_jv_string(v, obj, "label", p, 1, &st->label)) ||
	    (s = read_year(v, obj, p, &st->year)) || (s = read_ref(v, obj, p, &st->ref)))
		return s;
	return read_characteristics(v, obj, p, st);
}

sm_status sm_rv_studies(struct sm_jv *v, const cJSON *root, const struct sm_jpath *rootp)
{
	struct sm_jpath p = JV_KEY(rootp, "studies");
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "studies");
	if (!arr)
		return sm_jv_missing(v, &p, "expected an array of studies (may be empty)");
	sm_status s = sm_jv_array(v, arr, &p);
	if (s)
		return s;
	struct sm_strmap *ids = sm_strmap_new();
	if (!ids)
		return SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
	size_t i = 0;
	for (const cJSON *e = arr->child; e && !s; e = e->next, i++) {
		struct sm_jpath ep = JV_IDX(&p, i);
		s = read_study(v, e, &ep);
		if (s)
			break;
		size_t first = 0;
		int put = sm_strmap_put(ids, v->r->studies[i].id, i, &first);
		if (put < 0) {
			s = SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
		} else if (put == 0) {
			struct sm_jpath k = JV_KEY(&ep, "id");
			s = sm_jv_fail(v, &k, SM_JPOS_VALUE, "duplicate study id \"%s\" (also "
				       "studies[%zu]); expected unique ids", v->r->studies[i].id,
				       first);
		}
	}
	sm_strmap_free(ids);
	return s;
}
