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

/* A numeric characteristic written {"value": 1.5e6, "unit": "cells/kg",
 * "text": "1.5 x 10^6 /kg"}: value required, unit and display text
 * optional.  Shown as its text, else as the number with its unit. */
static sm_status read_measured(struct sm_jv *v, const cJSON *e, const struct sm_jpath *ep,
			       double *num, const char **unit, const char **text)
{
	static const char *const keys[] = { "value", "unit", "text", NULL };
	sm_status s;
	if ((s = sm_jv_keys(v, e, ep, keys)) ||
	    (s = sm_jv_number(v, e, "value", ep, SM_RULE_FINITE, 1, 0, num)) ||
	    (s = sm_jv_string(v, e, "unit", ep, 0, unit)) ||
	    (s = sm_jv_string(v, e, "text", ep, 0, text)))
		return s;
	if (!*text)
		*text = *unit ? sm_review_strf(v->r, "%.15g %s", *num, *unit)
			      : sm_review_strf(v->r, "%.15g", *num);
	return *text ? SM_OK : SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
}

static sm_status read_characteristic(struct sm_jv *v, const cJSON *e, const struct sm_jpath *ep,
				     struct sm_study *st)
{
	size_t i = st->n_chars;
	const char *val = NULL, *unit = NULL;
	double num = NAN;
	if (cJSON_IsString(e)) {
		val = sm_review_str(v->r, e->valuestring);
	} else if (cJSON_IsNumber(e) && isfinite(e->valuedouble)) {
		num = e->valuedouble;
		val = sm_review_strf(v->r, "%.15g", num);
	} else if (cJSON_IsObject(e)) {
		sm_status s = read_measured(v, e, ep, &num, &unit, &val);
		if (s)
			return s;
	} else {
		return sm_jv_bad(v, ep, "expected a string, a number or {\"value\": NUMBER, "
				 "\"unit\": TEXT}");
	}
	st->char_keys[i] = sm_review_str(v->r, e->string);
	st->char_values[i] = val;
	st->char_numbers[i] = num;
	st->char_units[i] = unit;
	st->n_chars++;
	return st->char_keys[i] && val ? SM_OK : SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
}

static sm_status read_characteristics(struct sm_jv *v, const cJSON *obj,
				      const struct sm_jpath *p, struct sm_study *st)
{
	struct sm_jpath k = JV_KEY(p, "characteristics");
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(obj, "characteristics");
	if (!c)
		return SM_OK;
	if (!cJSON_IsObject(c))
		return sm_jv_bad(v, &k, "expected an object of texts and numbers");
	size_t n = (size_t)cJSON_GetArraySize(c);
	st->char_keys = sm_alloc_array(n ? n : 1, sizeof *st->char_keys);
	st->char_values = sm_alloc_array(n ? n : 1, sizeof *st->char_values);
	st->char_numbers = sm_alloc_array(n ? n : 1, sizeof *st->char_numbers);
	st->char_units = sm_alloc_array(n ? n : 1, sizeof *st->char_units);
	if (!st->char_keys || !st->char_values || !st->char_numbers || !st->char_units)
		return SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
	for (const cJSON *e = c->child; e; e = e->next) {
		struct sm_jpath ep = JV_KEY(&k, e->string);
		sm_status s = read_characteristic(v, e, &ep, st);
		if (s)
			return s;
	}
	return SM_OK;
}

/* Line numbers counted on from the previous study: one pass in all. */
struct line_cursor {
	size_t off;
	int line;
};

static int line_at(struct line_cursor *c, const struct sm_jv *v, size_t off)
{
	for (size_t i = c->off; i < off && i < v->len; i++) {
		char ch = v->text[i];
		if (ch == '\n' || (ch == '\r' && (i + 1 >= v->len || v->text[i + 1] != '\n')))
			c->line++;
	}
	c->off = off;
	return c->line;
}

static sm_status read_study(struct sm_jv *v, const cJSON *obj, const struct sm_jpath *p,
			    int line)
{
	sm_status s;
	if ((s = sm_jv_object(v, obj, p)) || (s = sm_jv_keys(v, obj, p, study_keys)))
		return s;
	struct sm_study *st = sm_review_add_study(v->r);
	if (!st)
		return SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
	st->src_line = line;
	st->src_index = p->index;
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
	/* each study's line, for messages about its characteristics later */
	size_t n_off = 0;
	size_t *offsets = sm_json_elements(v->text, v->len, &p, &n_off);
	if (n_off != (size_t)cJSON_GetArraySize(arr)) {
		free(offsets);
		offsets = NULL;
	}
	struct line_cursor lc = { 0, 1 };
	size_t i = 0;
	for (const cJSON *e = arr->child; e && !s; e = e->next, i++) {
		struct sm_jpath ep = JV_IDX(&p, i);
		s = read_study(v, e, &ep, offsets ? line_at(&lc, v, offsets[i]) : 0);
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
	free(offsets);
	sm_strmap_free(ids);
	return s;
}
