/* sm_cumul_order.c -- the order of the cumulative analysis (sm_cumul_order.h). */
#include "sm_cumul_order.h"

#include "sm_buf.h"
#include "sm_columns.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct key {
	size_t j;         /* the study (index into d->yi) */
	int missing;
	double num;       /* numeric sort */
	const char *text; /* text sort */
};

static int cmp_num(const void *x, const void *y)
{
	const struct key *a = x, *b = y;
	if (a->missing != b->missing)
		return a->missing - b->missing;
	if (!a->missing && a->num != b->num)
		return a->num < b->num ? -1 : 1;
	return a->j < b->j ? -1 : a->j > b->j;
}

static int cmp_text(const void *x, const void *y)
{
	const struct key *a = x, *b = y;
	if (a->missing != b->missing)
		return a->missing - b->missing;
	int c = a->missing ? 0 : strcmp(a->text, b->text);
	if (c)
		return c;
	return a->j < b->j ? -1 : a->j > b->j;
}

static int all_years(const struct sm_analysis_data *d)
{
	for (size_t j = 0; j < d->k; j++)
		if (d->rows[d->idx[j]]->year <= 0)
			return 0;
	return 1;
}

/* Keys of a column: numbers when every known value is one. */
static sm_status column_keys(struct sm_ctx *ctx, const struct sm_review *r,
			     const struct sm_analysis_data *d, const char *name, struct key *keys,
			     int *numeric)
{
	struct sm_column col;
	sm_status s = sm_column_find(ctx, r, name, "--cumul-order", &col);
	if (s != SM_OK)
		return s;
	*numeric = 1;
	for (size_t j = 0; j < d->k; j++) {
		struct sm_column_value v;
		sm_column_get(&col, d->rows[d->idx[j]], &v);
		keys[j].missing = sm_column_missing(&v);
		keys[j].num = v.num;
		keys[j].text = v.text ? v.text : "";
		if (!keys[j].missing && !isfinite(v.num))
			*numeric = 0;
	}
	return SM_OK;
}

sm_status sm_cumul_order(struct sm_ctx *ctx, const struct sm_review *r,
			 const struct sm_analysis_data *d, const char *want, size_t *perm,
			 const char **by)
{
	if (!want)
		want = all_years(d) ? "year" : "input";
	*by = want;
	for (size_t j = 0; j < d->k; j++)
		perm[j] = j;
	if (!strcmp(want, "input") || d->k == 0)
		return SM_OK;
	struct key *keys = sm_alloc_array(d->k, sizeof *keys);
	if (!keys)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	for (size_t j = 0; j < d->k; j++)
		keys[j] = (struct key){ j, 0, NAN, "" };
	int numeric = 1;
	sm_status s = SM_OK;
	if (!strcmp(want, "year")) {
		for (size_t j = 0; j < d->k; j++) {
			int y = d->rows[d->idx[j]]->year;
			keys[j].missing = y <= 0;
			keys[j].num = y;
		}
	} else {
		s = column_keys(ctx, r, d, want, keys, &numeric);
	}
	if (s == SM_OK) {
		qsort(keys, d->k, sizeof *keys, numeric ? cmp_num : cmp_text);
		for (size_t j = 0; j < d->k; j++)
			perm[j] = keys[j].j;
	}
	free(keys);
	return s;
}
