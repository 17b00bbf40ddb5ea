#include "sm_fplot.h"

#include "sm_buf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void row_release(struct sm_frow *r)
{
	for (int c = 0; c < SM_NCOLS; c++)
		free(r->cell[c]);
	free(r->span);
	free(r->note);
	free(r->study_id);
	free(r->rob);
}

void sm_fplot_free(struct sm_fplot *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nrows; i++)
		row_release(&p->rows[i]);
	free(p->rows);
	for (int c = 0; c < SM_NCOLS; c++)
		free(p->head[c]);
	free(p->title);
	free(p->measure);
	free(p->arm1);
	free(p->arm2);
	free(p->weight_group);
	free(p->graph_head);
	free(p->favours_left);
	free(p->favours_right);
	free(p->method);
	for (int i = 0; i < p->nrob; i++) {
		free(p->rob_head[i]);
		free(p->rob_key[i]);
	}
	free(p->rob_head);
	free(p->rob_key);
	free(p->rob_tool);
	free(p);
}

struct sm_frow *sm_fplot_add(struct sm_fplot *p, enum sm_frow_kind kind)
{
	if (p->nrows == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 32;
		struct sm_frow *rows = sm_realloc_array(p->rows, cap, sizeof *rows);
		if (!rows)
			return NULL;
		p->rows = rows;
		p->cap = cap;
	}
	struct sm_frow *r = &p->rows[p->nrows];
	memset(r, 0, sizeof *r);
	r->kind = kind;
	r->est = r->lb = r->ub = r->weight = r->year = NAN;
	r->order = p->nrows++;
	return r;
}

/* NaN keys sort last. */
static int cmp_key(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) - isnan(b);
	return (a > b) - (a < b);
}

static int cmp_order(const struct sm_frow *a, const struct sm_frow *b)
{
	return (a->order > b->order) - (a->order < b->order);
}

static int cmp_year(const void *x, const void *y)
{
	const struct sm_frow *a = x, *b = y;
	int c = cmp_key(a->year, b->year);
	return c ? c : cmp_order(a, b);
}

static int cmp_effect(const void *x, const void *y)
{
	const struct sm_frow *a = x, *b = y;
	int c = cmp_key(a->est, b->est);
	return c ? c : cmp_order(a, b);
}

static int cmp_weight(const void *x, const void *y)
{
	const struct sm_frow *a = x, *b = y;
	/* Heaviest first. */
	int c = cmp_key(-a->weight, -b->weight);
	return c ? c : cmp_order(a, b);
}

void sm_fplot_sort(struct sm_fplot *p, size_t from, size_t to, enum sm_forest_sort sort)
{
	if (to <= from + 1 || sort == SM_SORT_INPUT)
		return;
	int (*cmp)(const void *, const void *) = sort == SM_SORT_YEAR ? cmp_year
						 : sort == SM_SORT_EFFECT ? cmp_effect
									  : cmp_weight;
	qsort(p->rows + from, to - from, sizeof *p->rows, cmp);
}

sm_status sm_forest_sort_parse(struct sm_ctx *ctx, const char *text,
			       enum sm_forest_sort *sort)
{
	static const char *const names[] = { "input", "year", "effect", "weight" };
	for (int i = 0; i < 4; i++)
		if (!strcmp(text, names[i])) {
			*sort = (enum sm_forest_sort)i;
			return SM_OK;
		}
	return SM_FAIL(ctx, SM_EINPUT, "unknown sort order \"%s\"; expected input, "
		       "year, effect or weight", text);
}

sm_status sm_fplot_columns(struct sm_ctx *ctx, const char *list, int show[SM_NCOLS])
{
	for (int c = 0; c < SM_NCOLS; c++)
		show[c] = list == NULL;
	if (!list)
		return SM_OK;
	show[SM_COL_LABEL] = 1; /* a row without its name means nothing */
	const char *p = list;
	while (*p) {
		size_t n = strcspn(p, ",");
		int hit = 0;
#define COL_IS(name) (n == strlen(name) && !strncmp(p, name, n) && (hit = 1))
		if (COL_IS("study")) {
		} else if (COL_IS("label2")) {
			show[SM_COL_LABEL2] = 1;
		} else if (COL_IS("k")) {
			show[SM_COL_K] = 1;
		} else if (COL_IS("events")) {
			show[SM_COL_EV1] = show[SM_COL_N1] = 1;
			show[SM_COL_EV2] = show[SM_COL_N2] = 1;
		} else if (COL_IS("weight")) {
			show[SM_COL_WEIGHT] = show[SM_COL_WEIGHT2] = 1;
		} else if (COL_IS("i2")) {
			show[SM_COL_I2] = 1;
		} else if (COL_IS("effect")) {
			show[SM_COL_EST] = show[SM_COL_LB] = show[SM_COL_UB] = 1;
		}
#undef COL_IS
		if (!hit)
			return SM_FAIL(ctx, SM_EINPUT, "unknown column \"%.*s\"; expected a "
				       "comma list of study, label2, k, events, weight, i2, "
				       "effect", (int)n, p);
		p += n;
		if (*p == ',')
			p++;
	}
	return SM_OK;
}
