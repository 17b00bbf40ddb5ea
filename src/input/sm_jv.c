#include "sm_jv.h"

#include "sm_buf.h"
#include "sm_limits.h"
#include "sm_textfile.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sm_status sm_jv_fail(struct sm_jv *v, const struct sm_jpath *p, enum sm_jpos_what what,
		     const char *fmt, ...)
{
	if (sm_ctx_error(v->ctx))
		return SM_EINPUT;
	size_t off = 0;
	sm_json_locate(v->text, v->len, p, what, &off);
	va_list ap;
	va_start(ap, fmt);
	char *msg = sm_vasprintf(fmt, ap);
	va_end(ap);
	char *path = sm_jpath_format(p);
	if (!msg || !path) {
		free(msg);
		free(path);
		return SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
	}
	if (*path)
		sm_textfile_fail(v->ctx, v->file, v->text, v->len, off, path, "field '%s': %s",
			     path, msg);
	else
		sm_textfile_fail(v->ctx, v->file, v->text, v->len, off, NULL, "%s", msg);
	free(msg);
	free(path);
	return SM_EINPUT;
}

sm_status sm_jv_bad(struct sm_jv *v, const struct sm_jpath *p, const char *expected)
{
	size_t off = 0;
	char got[200];
	sm_json_locate(v->text, v->len, p, SM_JPOS_VALUE, &off);
	sm_json_excerpt(v->text, v->len, off, got, sizeof got, 40);
	return sm_jv_fail(v, p, SM_JPOS_VALUE, "%s, got %s", expected, got);
}

sm_status sm_jv_missing(struct sm_jv *v, const struct sm_jpath *p, const char *expected)
{
	return sm_jv_fail(v, p, SM_JPOS_VALUE, "missing required key; %s", expected);
}

void sm_jv_join(char *buf, size_t size, const char *const *names)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; names[i] && o < size; i++) {
		int n = snprintf(buf + o, size - o, "%s%s", i ? ", " : "", names[i]);
		if (n < 0)
			break;
		o += (size_t)n;
	}
}

static int in_list(const char *s, const char *const *names)
{
	for (size_t i = 0; names[i]; i++)
		if (strcmp(s, names[i]) == 0)
			return 1;
	return 0;
}

sm_status sm_jv_keys(struct sm_jv *v, const cJSON *obj, const struct sm_jpath *p,
		     const char *const *allowed)
{
	for (const cJSON *c = obj->child; c; c = c->next) {
		if (in_list(c->string, allowed))
			continue;
		char list[600];
		sm_jv_join(list, sizeof list, allowed);
		struct sm_jpath k = JV_KEY(p, c->string);
		return sm_jv_fail(v, &k, SM_JPOS_KEY, "unknown key; expected one of %s", list);
	}
	return SM_OK;
}

sm_status sm_jv_object(struct sm_jv *v, const cJSON *item, const struct sm_jpath *p)
{
	return cJSON_IsObject(item) ? SM_OK : sm_jv_bad(v, p, "expected an object");
}

sm_status sm_jv_array(struct sm_jv *v, const cJSON *item, const struct sm_jpath *p)
{
	return cJSON_IsArray(item) ? SM_OK : sm_jv_bad(v, p, "expected an array");
}

sm_status sm_jv_each(struct sm_jv *v, const cJSON *obj, const char *key, const struct sm_jpath *p,
		     sm_jv_item_fn each, void *arg)
{
	struct sm_jpath k = JV_KEY(p, key);
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!arr)
		return SM_OK;
	sm_status s = sm_jv_array(v, arr, &k);
	size_t i = 0;
	for (const cJSON *e = arr->child; e && !s; e = e->next, i++) {
		struct sm_jpath ep = JV_IDX(&k, i);
		s = each(v, e, &ep, i, arg);
	}
	return s;
}

sm_status sm_jv_string(struct sm_jv *v, const cJSON *obj, const char *key,
		       const struct sm_jpath *p, int required, const char **out)
{
	struct sm_jpath k = JV_KEY(p, key);
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (out)
		*out = NULL;
	if (!item)
		return required ? sm_jv_missing(v, &k, "expected a string") : SM_OK;
	if (!cJSON_IsString(item))
		return sm_jv_bad(v, &k, "expected a string");
	size_t n = strlen(item->valuestring);
	if (n == 0)
		return sm_jv_fail(v, &k, SM_JPOS_VALUE, "empty string; expected some text");
	if (n > SM_MAX_LABEL_BYTES)
		return sm_jv_fail(v, &k, SM_JPOS_VALUE, "text too long (%zu bytes); expected "
				  "at most %zu bytes", n, SM_MAX_LABEL_BYTES);
	if (out && !(*out = sm_review_str(v->r, item->valuestring)))
		return SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
	return SM_OK;
}

sm_status sm_jv_text(struct sm_jv *v, const cJSON *obj, const char *key,
		     const struct sm_jpath *p, int required)
{
	struct sm_jpath k = JV_KEY(p, key);
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!item)
		return required ? sm_jv_missing(v, &k, "expected a string") : SM_OK;
	if (!cJSON_IsString(item))
		return sm_jv_bad(v, &k, "expected a string");
	size_t n = strlen(item->valuestring);
	if (n > SM_MAX_TEXT_BYTES)
		return sm_jv_fail(v, &k, SM_JPOS_VALUE, "text too long (%zu bytes); expected "
				  "at most %zu bytes", n, SM_MAX_TEXT_BYTES);
	return SM_OK;
}

sm_status sm_jv_enum(struct sm_jv *v, const cJSON *obj, const char *key,
		     const struct sm_jpath *p, const char *const *names, const char **out)
{
	struct sm_jpath k = JV_KEY(p, key);
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	char list[400];
	sm_jv_join(list, sizeof list, names);
	if (out)
		*out = NULL;
	if (!item)
		return SM_OK;
	if (!cJSON_IsString(item) || !in_list(item->valuestring, names)) {
		size_t off = 0;
		char got[200];
		sm_json_locate(v->text, v->len, &k, SM_JPOS_VALUE, &off);
		sm_json_excerpt(v->text, v->len, off, got, sizeof got, 40);
		return sm_jv_fail(v, &k, SM_JPOS_VALUE, "%s %s; expected one of %s",
				  cJSON_IsString(item) ? "unknown value" : "expected a string, got",
				  got, list);
	}
	if (out && !(*out = sm_review_str(v->r, item->valuestring)))
		return SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
	return SM_OK;
}

sm_status sm_jv_number(struct sm_jv *v, const cJSON *obj, const char *key,
		       const struct sm_jpath *p, enum sm_value_rule rule, int required,
		       int nullable, double *out)
{
	struct sm_jpath k = JV_KEY(p, key);
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	char expected[80];
	snprintf(expected, sizeof expected, "expected %s%s", sm_value_rule_text(rule),
		 nullable ? " or null" : "");
	if (out)
		*out = NAN;
	if (!item || (nullable && cJSON_IsNull(item)))
		return required && !item ? sm_jv_missing(v, &k, expected) : SM_OK;
	if (!cJSON_IsNumber(item))
		return sm_jv_bad(v, &k, expected);
	if (!isfinite(item->valuedouble))
		return sm_jv_bad(v, &k, "number out of range; expected a finite number");
	const char *bad = sm_value_check(item->valuedouble, rule);
	if (bad)
		return sm_jv_bad(v, &k, bad);
	if (out)
		*out = item->valuedouble;
	return SM_OK;
}

sm_status sm_jv_strings(struct sm_jv *v, const cJSON *obj, const char *key,
			const struct sm_jpath *p)
{
	struct sm_jpath k = JV_KEY(p, key);
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!item)
		return SM_OK;
	if (!cJSON_IsArray(item))
		return sm_jv_bad(v, &k, "expected an array of strings");
	size_t i = 0;
	for (const cJSON *c = item->child; c; c = c->next, i++) {
		struct sm_jpath e = JV_IDX(&k, i);
		if (!cJSON_IsString(c))
			return sm_jv_bad(v, &e, "expected a string");
	}
	return SM_OK;
}
