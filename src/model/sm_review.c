#include "sm_review.h"

#include "sm_buf.h"
#include "sm_limits.h"
#include "sm_strmap.h"
#include "sm_strpool.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct sm_review *sm_review_new(void)
{
	struct sm_review *r = calloc(1, sizeof *r);
	if (r && !(r->strings = sm_strpool_new())) {
		free(r);
		return NULL;
	}
	if (r) {
		/* "not given" for the numbers a reader may leave unset */
		r->settings.add = r->settings.level = NAN;
		r->settings.harm_margin_per_1000 = NAN;
	}
	return r;
}

void sm_review_free(struct sm_review *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_studies; i++) {
		free(r->studies[i].char_keys);
		free(r->studies[i].char_values);
		free(r->studies[i].char_numbers);
		free(r->studies[i].char_units);
	}
	free(r->cols.names);
	free(r->cols.header_col);
	free(r->cols.text);
	free(r->cols.num);
	free(r->settings.mods);
	free(r->studies);
	free(r->outcomes);
	cJSON_Delete(r->metadata);
	cJSON_Delete(r->prisma);
	cJSON_Delete(r->grade);
	cJSON_Delete(r->risk_of_bias);
	cJSON_Delete(r->tables);
	cJSON_Delete(r->reported);
	cJSON_Delete(r->aggregate_tables);
	free(r->files);
	sm_strmap_free(r->interned);
	sm_strpool_free(r->strings);
	free(r);
}

const char *sm_review_str(struct sm_review *r, const char *s)
{
	return sm_strpool_add(r->strings, s);
}

const char *sm_review_strn(struct sm_review *r, const char *s, size_t n)
{
	return sm_strpool_addn(r->strings, s, n);
}

const char *sm_review_strf(struct sm_review *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *s = sm_strpool_vprintf(r->strings, fmt, ap);
	va_end(ap);
	return s;
}

const char *sm_review_intern(struct sm_review *r, const char *s)
{
	if (!r->interned && !(r->interned = sm_strmap_new()))
		return NULL;
	const char *old = sm_strmap_key(r->interned, s);
	if (old)
		return old;
	const char *copy = sm_strpool_add(r->strings, s);
	if (!copy || sm_strmap_put(r->interned, copy, 0, NULL) < 0)
		return NULL;
	return copy;
}

/* Sets the capacity of *arr (n elements in use) to exactly cap. */
static int resize(void **arr, size_t n, size_t *cap, size_t want, size_t size)
{
	if (want < n)
		want = n;
	if (want == *cap)
		return 0;
	void *p = sm_realloc_array(*arr, want ? want : 1, size);
	if (!p)
		return -1;
	*arr = p;
	*cap = want;
	return 0;
}

/* Grows *arr (of n elements, capacity *cap) to hold one more; 0 on success. */
static int grow(void **arr, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return 0;
	return resize(arr, n, cap, *cap ? 2 * *cap : 16, size);
}

int sm_review_reserve(struct sm_review *r, size_t n_outcomes, size_t n_studies)
{
	void *o = r->outcomes, *s = r->studies;
	int bad = 0;
	if (n_outcomes > r->cap_outcomes)
		bad |= resize(&o, r->n_outcomes, &r->cap_outcomes, n_outcomes,
			      sizeof *r->outcomes);
	r->outcomes = o;
	if (n_studies > r->cap_studies)
		bad |= resize(&s, r->n_studies, &r->cap_studies, n_studies, sizeof *r->studies);
	r->studies = s;
	return bad ? -1 : 0;
}

void sm_review_pack(struct sm_review *r)
{
	sm_strmap_free(r->interned);
	r->interned = NULL;
	/* shrinking cannot lose data; on failure the larger array stays */
	void *o = r->outcomes, *s = r->studies;
	if (r->n_outcomes)
		resize(&o, r->n_outcomes, &r->cap_outcomes, r->n_outcomes, sizeof *r->outcomes);
	r->outcomes = o;
	if (r->n_studies)
		resize(&s, r->n_studies, &r->cap_studies, r->n_studies, sizeof *r->studies);
	r->studies = s;
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
	const char **f = sm_realloc_array(r->files, r->n_files + 1, sizeof *f);
	if (!f)
		return NULL;
	r->files = f;
	const char *copy = sm_strpool_add(r->strings, file);
	if (!copy)
		return NULL;
	f[r->n_files++] = copy;
	return copy;
}

int sm_review_row_columns_init(struct sm_review *r, const char *file, const char *const *names,
			       const int *header_col, size_t n, size_t rows)
{
	struct sm_row_columns *c = &r->cols;
	if (c->n || n == 0)
		return c->n && n ? -1 : 0; /* one CSV per review */
	size_t cells = rows ? rows * n : n;
	if (rows && cells / rows != n)
		return -1;
	c->names = sm_alloc_array(n, sizeof *c->names);
	c->header_col = sm_alloc_array(n, sizeof *c->header_col);
	c->text = sm_alloc_array(cells, sizeof *c->text);
	c->num = sm_alloc_array(cells, sizeof *c->num);
	c->file = sm_review_str(r, file);
	if (!c->names || !c->header_col || !c->text || !c->num || !c->file)
		return -1;
	for (size_t j = 0; j < n; j++) {
		if (!(c->names[j] = sm_review_str(r, names[j])))
			return -1;
		c->header_col[j] = header_col[j];
	}
	for (size_t i = 0; i < cells; i++) {
		c->text[i] = NULL;
		c->num[i] = NAN;
	}
	c->n = n;
	c->cap_rows = rows;
	return 0;
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
