#include "sm_review.h"

#include "sm_buf.h"
#include "sm_limits.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct sm_review *sm_review_new(void)
{
	return calloc(1, sizeof(struct sm_review));
}

static void study_release(struct sm_study *s)
{
	free(s->id);
	free(s->label);
	free(s->ref);
	for (size_t i = 0; i < s->n_chars; i++) {
		free(s->char_keys[i]);
		free(s->char_values[i]);
	}
	free(s->char_keys);
	free(s->char_values);
}

static void outcome_release(struct sm_outcome *o)
{
	free(o->study_id);
	free(o->label);
	free(o->group);
	free(o->event);
	free(o->sub);
}

static void settings_release(struct sm_settings *s)
{
	free(s->preset);
	free(s->measure);
	free(s->method);
	free(s->test);
	free(s->to);
	free(s->group_by);
	free(s->arm_labels[0]);
	free(s->arm_labels[1]);
	free(s->outcome_label);
}

void sm_review_free(struct sm_review *r)
{
	if (!r)
		return;
	free(r->path);
	free(r->id);
	free(r->title);
	settings_release(&r->settings);
	for (size_t i = 0; i < r->n_studies; i++)
		study_release(&r->studies[i]);
	free(r->studies);
	for (size_t i = 0; i < r->n_outcomes; i++)
		outcome_release(&r->outcomes[i]);
	free(r->outcomes);
	cJSON_Delete(r->metadata);
	cJSON_Delete(r->prisma);
	cJSON_Delete(r->risk_of_bias);
	cJSON_Delete(r->tables);
	cJSON_Delete(r->reported);
	for (size_t i = 0; i < r->n_files; i++)
		free(r->files[i]);
	free(r->files);
	free(r);
}

/* Grows *arr (of n elements, capacity *cap) to hold one more; 0 on success. */
static int grow(void **arr, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return 0;
	size_t ncap = *cap ? 2 * *cap : 16;
	void *p = sm_realloc_array(*arr, ncap, size);
	if (!p)
		return -1;
	*arr = p;
	*cap = ncap;
	return 0;
}

struct sm_outcome *sm_review_add_outcome(struct sm_review *r)
{
	if (r->n_outcomes >= SM_MAX_ROWS)
		return NULL;
	void *arr = r->outcomes;
	if (grow(&arr, r->n_outcomes, &r->cap_outcomes, sizeof *r->outcomes) != 0)
		return NULL;
	r->outcomes = arr;
	struct sm_outcome *o = &r->outcomes[r->n_outcomes++];
	memset(o, 0, sizeof *o);
	o->ai = o->n1i = o->ci = o->n2i = NAN;
	o->xi = o->ni = o->yi = o->vi = NAN;
	return o;
}

struct sm_study *sm_review_add_study(struct sm_review *r)
{
	void *arr = r->studies;
	if (grow(&arr, r->n_studies, &r->cap_studies, sizeof *r->studies) != 0)
		return NULL;
	r->studies = arr;
	struct sm_study *s = &r->studies[r->n_studies++];
	memset(s, 0, sizeof *s);
	return s;
}

const char *sm_review_intern_file(struct sm_review *r, const char *file)
{
	for (size_t i = 0; i < r->n_files; i++)
		if (strcmp(r->files[i], file) == 0)
			return r->files[i];
	char **f = sm_realloc_array(r->files, r->n_files + 1, sizeof *f);
	if (!f)
		return NULL;
	r->files = f;
	char *copy = strdup(file);
	if (!copy)
		return NULL;
	f[r->n_files++] = copy;
	return copy;
}

const struct sm_study *sm_review_find_study(const struct sm_review *r, const char *id)
{
	for (size_t i = 0; i < r->n_studies; i++)
		if (strcmp(r->studies[i].id, id) == 0)
			return &r->studies[i];
	return NULL;
}

const char *sm_data_kind_name(enum sm_data_kind kind)
{
	switch (kind) {
	case SM_KIND_2X2: return "2x2";
	case SM_KIND_PROP: return "proportion";
	case SM_KIND_GENERIC: return "generic";
	case SM_KIND_NONE: break;
	}
	return "none";
}
