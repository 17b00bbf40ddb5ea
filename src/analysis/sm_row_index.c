/* Rows of "studies" kept out of the tree (sm_row_index.h). */
#include "sm_row_index.h"
#include "sm_buf.h"

#include <math.h>
#include <stdlib.h>

struct row_list {
	const cJSON *list;
	const struct sm_outcome **rows;
	size_t n, cap, in_tree;
};

struct sm_row_index {
	struct row_list *lists; /* one an analysis: few, searched in order */
	size_t n, cap;
};

struct sm_row_index *sm_row_index_new(void)
{
	return calloc(1, sizeof(struct sm_row_index));
}

void sm_row_index_free(struct sm_row_index *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->n; i++)
		free(x->lists[i].rows);
	free(x->lists);
	free(x);
}

static const struct row_list *find(const struct sm_row_index *x, const cJSON *list)
{
	for (size_t i = 0; x && i < x->n; i++)
		if (x->lists[i].list == list)
			return &x->lists[i];
	return NULL;
}

/* The rows are added list after list: the last one, or a new one. */
static struct row_list *list_for(struct sm_row_index *x, const cJSON *list)
{
	if (x->n && x->lists[x->n - 1].list == list)
		return &x->lists[x->n - 1];
	if (find(x, list))
		return NULL; /* a list's rows are added together */
	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 4;
		struct row_list *l = realloc(x->lists, cap * sizeof *l);
		if (!l)
			return NULL;
		x->lists = l;
		x->cap = cap;
	}
	x->lists[x->n] = (struct row_list){ .list = list };
	return &x->lists[x->n++];
}

int sm_row_index_add(struct sm_row_index *x, const cJSON *list, const struct sm_outcome *o)
{
	struct row_list *l = x ? list_for(x, list) : NULL;
	if (!l)
		return -1;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		const struct sm_outcome **rows = sm_alloc_array(cap, sizeof *rows);
		if (!rows)
			return -1;
		for (size_t i = 0; i < l->n; i++)
			rows[i] = l->rows[i];
		free(l->rows);
		l->rows = rows;
		l->cap = cap;
	}
	l->rows[l->n++] = o;
	l->in_tree += !o;
	return 0;
}

size_t sm_row_index_size(const struct sm_row_index *x, const cJSON *list)
{
	size_t children = (size_t)cJSON_GetArraySize(list);
	const struct row_list *l = find(x, list);
	return l ? children - l->in_tree + l->n : children;
}

void sm_row_iter_begin(struct sm_row_iter *it, const struct sm_row_index *x, const cJSON *list)
{
	const struct row_list *l = find(x, list);
	*it = (struct sm_row_iter){ .next_child = cJSON_IsArray(list) ? list->child : NULL,
				    .rows = l ? l->rows : NULL,
				    .n = l ? l->n : 0 };
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

int sm_row_iter_next(struct sm_row_iter *it, struct sm_row_view *v)
{
	const struct sm_outcome *o = NULL;
	if (it->rows) {
		if (it->i == it->n)
			return 0;
		o = it->rows[it->i++];
	}
	if (o) {
		*v = (struct sm_row_view){ o->label, o->study_id, o->event, NAN, NAN, 1, NAN };
		return 1;
	}
	const cJSON *s = it->next_child;
	if (!s)
		return 0;
	it->next_child = s->next;
	*v = (struct sm_row_view){ str(s, "label"), str(s, "study_id"), str(s, "event"),
				   num(s, "n1i"), num(s, "n2i"),
				   cJSON_GetObjectItemCaseSensitive(s, "fisher_p") != NULL,
				   num(s, "fisher_p") };
	return 1;
}
