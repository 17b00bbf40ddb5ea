/*
 * sm_res_path.c -- a value of the typed results by its path in the
 * document ("analyses[0].transformed.ci_lb"), found through the key table,
 * so the library's callers read what the README documents without the
 * structs of sm_res.h.
 */
#include "sm_res.h"
#include "sm_res_keys.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Where a path leads: the key of its last segment and its member. */
struct leaf {
	const struct sm_rkey *key;
	const char *member;
	long index; /* the last segment's [i], or -1 */
};

/* Every SM_RES_LIST is {T *v; size_t n;} (see sm_res_read.c's
 * list_append): the pointer first, then the count. */
static const char *list_items(const char *member, size_t *n)
{
	const char *v;
	memcpy(&v, member, sizeof v);
	memcpy(n, member + sizeof v, sizeof *n);
	return v;
}

/* One segment "name" or "name[i]" at *p: its name (name, len) and index
 * (-1 when none); *p moves past it and its dot. */
struct seg {
	const char *name;
	size_t len;
	long index;
};

static int next_segment(const char **p, struct seg *sg)
{
	const char *s = *p;
	sg->name = s;
	sg->len = strcspn(s, ".[");
	sg->index = -1;
	const char *q = s + sg->len;
	if (*q == '[') {
		char *end;
		long i = strtol(q + 1, &end, 10);
		if (end == q + 1 || *end != ']' || i < 0)
			return -1;
		sg->index = i;
		q = end + 1;
	}
	if (*q == '.' && q[1])
		q++;
	else if (*q)
		return -1;
	*p = q;
	return sg->len > 0 ? 0 : -1;
}

/* The element [index] of a list of objects, or NULL. */
static const char *list_element(const struct sm_rkey *k, const char *member, long index)
{
	size_t n;
	const char *v = list_items(member, &n);
	return index >= 0 && (size_t)index < n ? v + (size_t)index * k->obj->size : NULL;
}

/* Follow the path down the objects; the last segment is the leaf (its
 * index, if any, is left to the caller: an item of a list of values). */
static int walk(const struct sm_res *res, const char *path, struct leaf *out)
{
	const struct sm_robj *obj = &sm_res_doc_schema;
	const char *base = (const char *)res;
	const char *p = path;
	if (!res || !path)
		return -1;
	for (;;) {
		struct seg sg;
		if (next_segment(&p, &sg) != 0)
			return -1;
		const struct sm_rkey *k = sm_rkey_find(obj, sg.name, sg.len);
		if (!k)
			return -1;
		const char *member = base + k->offset;
		if (!*p) {
			*out = (struct leaf){ k, member, sg.index };
			return 0;
		}
		if (k->type == SM_RK_LIST) {
			base = list_element(k, member, sg.index);
		} else if (k->type == SM_RK_OBJ && sg.index < 0) {
			base = *(const int *)member ? member : NULL;
		} else if (k->type == SM_RK_REF && sg.index < 0) {
			memcpy(&base, member, sizeof base);
		} else {
			return -1;
		}
		if (!base)
			return -1;
		obj = k->obj;
	}
}

double sm_res_number(const struct sm_res *res, const char *path)
{
	struct leaf l;
	if (walk(res, path, &l) != 0)
		return NAN;
	const char *m = l.member;
	switch (l.key->type) {
	case SM_RK_NUM:
		return l.index < 0 ? *(const double *)m : NAN;
	case SM_RK_BOOL:
		return l.index < 0 && *(const int *)m >= 0 ? *(const int *)m : NAN;
	case SM_RK_PAIR:
		return l.index == 0 || l.index == 1 ? ((const double *)m)[l.index] : NAN;
	case SM_RK_BOOL2: {
		int b = l.index == 0 || l.index == 1 ? ((const int *)m)[l.index] : -1;
		return b >= 0 ? b : NAN;
	}
	case SM_RK_NUMS: {
		size_t n;
		const double *v = (const double *)list_items(m, &n);
		return l.index >= 0 && (size_t)l.index < n ? v[l.index] : NAN;
	}
	default:
		return NAN;
	}
}

const char *sm_res_string(const struct sm_res *res, const char *path)
{
	struct leaf l;
	if (walk(res, path, &l) != 0)
		return NULL;
	if (l.key->type == SM_RK_STR && l.index < 0)
		return *(const char *const *)l.member;
	if (l.key->type == SM_RK_STRS) {
		size_t n;
		const char *const *v = (const char *const *)list_items(l.member, &n);
		return l.index >= 0 && (size_t)l.index < n ? v[l.index] : NULL;
	}
	return NULL;
}

size_t sm_res_count(const struct sm_res *res, const char *path)
{
	struct leaf l;
	if (walk(res, path, &l) != 0 || l.index >= 0)
		return 0;
	enum sm_rk_type t = l.key->type;
	if (t != SM_RK_LIST && t != SM_RK_NUMS && t != SM_RK_STRS && t != SM_RK_CHARS &&
	    t != SM_RK_ROWS)
		return 0;
	size_t n;
	list_items(l.member, &n);
	return n;
}
