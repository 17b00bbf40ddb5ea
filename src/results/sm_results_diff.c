#include "sm_results_diff.h"

#include "sm_buf.h"
#include "sm_json_out.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct walk {
	struct sm_results_diff *d;
	double tol;
	size_t max;
	int oom;
};

/* A value in a few characters, for the description of a difference. */
static char *brief(const cJSON *v)
{
	if (!v)
		return strdup("(absent)");
	if (cJSON_IsNumber(v)) {
		char buf[40];
		sm_json_shortest(buf, sizeof buf, v->valuedouble);
		return strdup(buf);
	}
	if (cJSON_IsString(v))
		return sm_asprintf("\"%.60s%s\"", v->valuestring,
				   strlen(v->valuestring) > 60 ? "..." : "");
	if (cJSON_IsArray(v))
		return sm_asprintf("a list of %d", cJSON_GetArraySize(v));
	if (cJSON_IsObject(v))
		return strdup("an object");
	return strdup(cJSON_IsNull(v) ? "null" : cJSON_IsTrue(v) ? "true" : "false");
}

static void note(struct walk *w, const char *path, const cJSON *a, const cJSON *b)
{
	struct sm_results_diff *d = w->d;
	d->count++;
	if (d->nlines >= w->max)
		return;
	char *x = brief(a), *y = brief(b);
	char *line = x && y ? sm_asprintf("%s: committed %s, now %s", path, x, y) : NULL;
	free(x);
	free(y);
	if (!line) {
		w->oom = 1;
		return;
	}
	d->lines[d->nlines++] = line;
}

static int same_number(double a, double b, double tol)
{
	if (a == b || (isnan(a) && isnan(b)))
		return 1;
	double diff = fabs(a - b);
	return diff <= 1e-12 || diff <= tol * fmax(fabs(a), fabs(b));
}

static void compare(struct walk *w, const char *path, const cJSON *a, const cJSON *b);

static void compare_objects(struct walk *w, const char *path, const cJSON *a, const cJSON *b)
{
	const cJSON *x;
	cJSON_ArrayForEach(x, a) {
		if (!*path && (!strcmp(x->string, "safemeta") || !strcmp(x->string, "input")))
			continue;
		char *sub = sm_asprintf("%s%s%s", path, *path ? "." : "", x->string);
		if (!sub) {
			w->oom = 1;
			return;
		}
		compare(w, sub, x, cJSON_GetObjectItemCaseSensitive(b, x->string));
		free(sub);
	}
	cJSON_ArrayForEach(x, b) {
		if (cJSON_GetObjectItemCaseSensitive(a, x->string))
			continue;
		if (!*path && (!strcmp(x->string, "safemeta") || !strcmp(x->string, "input")))
			continue;
		char *sub = sm_asprintf("%s%s%s", path, *path ? "." : "", x->string);
		if (sub)
			note(w, sub, NULL, x);
		free(sub);
	}
}

static void compare(struct walk *w, const char *path, const cJSON *a, const cJSON *b)
{
	if (!b || (a->type & 0xFF) != (b->type & 0xFF)) {
		note(w, path, a, b);
		return;
	}
	if (cJSON_IsNumber(a)) {
		if (!same_number(a->valuedouble, b->valuedouble, w->tol))
			note(w, path, a, b);
	} else if (cJSON_IsString(a)) {
		if (strcmp(a->valuestring, b->valuestring) != 0)
			note(w, path, a, b);
	} else if (cJSON_IsArray(a)) {
		if (cJSON_GetArraySize(a) != cJSON_GetArraySize(b)) {
			note(w, path, a, b);
			return;
		}
		const cJSON *x = a->child, *y = b->child;
		for (int i = 0; x && y && !w->oom; i++, x = x->next, y = y->next) {
			char *sub = sm_asprintf("%s[%d]", path, i);
			if (!sub) {
				w->oom = 1;
				return;
			}
			compare(w, sub, x, y);
			free(sub);
		}
	} else if (cJSON_IsObject(a)) {
		compare_objects(w, path, a, b);
	}
}

struct sm_results_diff *sm_results_diff(const cJSON *committed, const cJSON *fresh,
					double rel_tol, size_t max_lines)
{
	struct sm_results_diff *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->lines = sm_alloc_array(max_lines ? max_lines : 1, sizeof *d->lines);
	if (!d->lines) {
		free(d);
		return NULL;
	}
	struct walk w = { d, rel_tol, max_lines, 0 };
	compare(&w, "", committed, fresh);
	if (w.oom) {
		sm_results_diff_free(d);
		return NULL;
	}
	return d;
}

void sm_results_diff_free(struct sm_results_diff *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nlines; i++)
		free(d->lines[i]);
	free(d->lines);
	free(d);
}
