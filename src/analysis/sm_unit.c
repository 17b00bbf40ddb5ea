#include "sm_unit.h"

#include "sm_buf.h"
#include "sm_json_out.h"
#include "sm_strmap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Warnings list at most this many studies by name, then "and N more". */
#define UNIT_NAMES_SHOWN 8

struct sm_clusters {
	const struct sm_review *review;
	const char *column;
	const char **value;        /* per review outcome */
};

void sm_clusters_free(struct sm_clusters *c)
{
	if (!c)
		return;
	free(c->value);
	free(c);
}

const char *sm_clusters_column(const struct sm_clusters *c)
{
	return c->column;
}

/* The readers give every row the index of its study (sm_outcome.study),
 * and rows made from rows (per-study aggregates) copy it. */
const struct sm_study *sm_clusters_study(const struct sm_clusters *c,
					 const struct sm_outcome *o)
{
	return o->study < c->review->n_studies ? &c->review->studies[o->study] : NULL;
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n >= t && !strcmp(s + n - t, tail);
}

/* Where a problem with a column is reported: the CSV header when the rows
 * come from a CSV, else the first outcome row of the review JSON. */
static void column_pos(const struct sm_review *r, const char **file, int *line)
{
	const struct sm_outcome *o = r->n_outcomes ? &r->outcomes[0] : NULL;
	*file = o && o->src_file ? o->src_file : r->path;
	int inline_json = o && !strcmp(*file, r->path) && ends_with(r->path, ".json");
	*line = !o ? 0 : inline_json ? o->src_line : 1;
}

static const char *char_value(const struct sm_study *s, const char *key)
{
	for (size_t i = 0; i < s->n_chars; i++)
		if (!strcmp(s->char_keys[i], key))
			return s->char_values[i];
	return NULL;
}

/* "district, country" : the characteristic keys of the studies, once each. */
static char *known_columns(const struct sm_review *r)
{
	struct sm_strmap *seen = sm_strmap_new();
	struct sm_buf b;
	sm_buf_init(&b);
	size_t n = 0;
	for (size_t i = 0; seen && i < r->n_studies; i++) {
		for (size_t j = 0; j < r->studies[i].n_chars; j++) {
			const char *k = r->studies[i].char_keys[j];
			if (sm_strmap_put(seen, k, 0, NULL) == 1)
				sm_buf_printf(&b, "%s'%s'", n++ ? ", " : "", k);
		}
	}
	sm_strmap_free(seen);
	return sm_buf_take(&b);
}

static sm_status unknown_column(struct sm_ctx *ctx, const struct sm_review *r, const char *col)
{
	const char *file;
	int line;
	column_pos(r, &file, &line);
	char *known = known_columns(r);
	sm_status st = SM_FAIL_POS(ctx, SM_EINPUT, file, line, 0, col,
		"unknown cluster column '%s'; expected 'study' or a study characteristic (%s)",
		col, known && *known ? known : "the studies have no characteristics");
	free(known);
	return st;
}

static sm_status fill_values(struct sm_ctx *ctx, struct sm_clusters *c)
{
	const struct sm_review *r = c->review;
	int study = !strcmp(c->column, "study");
	int any = study;
	for (size_t i = 0; !any && i < r->n_studies; i++)
		any = char_value(&r->studies[i], c->column) != NULL;
	if (!any)
		return unknown_column(ctx, r, c->column);
	for (size_t i = 0; i < r->n_outcomes; i++) {
		const struct sm_outcome *o = &r->outcomes[i];
		const struct sm_study *s = sm_clusters_study(c, o);
		c->value[i] = study ? o->study_id : s ? char_value(s, c->column) : NULL;
		if (!c->value[i])
			return SM_FAIL_POS(ctx, SM_EINPUT, o->src_file, o->src_line, 0, c->column,
				"study '%s' has no value for the cluster column '%s'; expected "
				"every study with outcome rows to have one", o->study_id, c->column);
	}
	return SM_OK;
}

struct sm_clusters *sm_clusters_new(struct sm_ctx *ctx, const struct sm_review *review,
				    const char *column)
{
	struct sm_clusters *c = calloc(1, sizeof *c);
	if (c) {
		c->review = review;
		c->column = column;
		c->value = sm_alloc_array(review->n_outcomes ? review->n_outcomes : 1,
					  sizeof *c->value);
	}
	if (!c || !c->value) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		sm_clusters_free(c);
		return NULL;
	}
	if (fill_values(ctx, c) != SM_OK) {
		sm_clusters_free(c);
		return NULL;
	}
	return c;
}

/* Index of each of n keys among the distinct keys, by first appearance;
 * labels[] (n slots) gets each distinct key.  Returns the count, or
 * (size_t)-1 on out of memory. */
static size_t number_keys(const char *const *keys, size_t n, size_t *index,
			  const char **labels)
{
	struct sm_strmap *m = sm_strmap_new();
	if (!m)
		return (size_t)-1;
	size_t count = 0;
	for (size_t i = 0; i < n; i++) {
		size_t old;
		int put = sm_strmap_put(m, keys[i], count, &old);
		if (put < 0) {
			sm_strmap_free(m);
			return (size_t)-1;
		}
		if (put == 1)
			labels[count] = keys[i];
		index[i] = put == 1 ? count++ : old;
	}
	sm_strmap_free(m);
	return count;
}

/* As number_keys for the studies of n rows (row(i, arg)), through their
 * study indices instead of hashing their ids: labels[] gets each distinct
 * study's id.  Returns the count, or (size_t)-1 on out of memory. */
static size_t number_studies(const struct sm_review *r,
			     const struct sm_outcome *(*row)(size_t i, const void *arg),
			     const void *arg, size_t n, size_t *index, const char **labels)
{
	size_t *number = sm_alloc_array(r->n_studies ? r->n_studies : 1, sizeof *number);
	if (!number)
		return (size_t)-1;
	for (size_t s = 0; s < r->n_studies; s++)
		number[s] = (size_t)-1;
	size_t count = 0;
	for (size_t i = 0; i < n; i++) {
		const struct sm_outcome *o = row(i, arg);
		if (o->study >= r->n_studies) {
			free(number);
			return (size_t)-1;
		}
		if (number[o->study] == (size_t)-1) {
			labels[count] = o->study_id;
			number[o->study] = count++;
		}
		index[i] = number[o->study];
	}
	free(number);
	return count;
}

/* The included rows of d, in order (for number_studies). */
static const struct sm_outcome *included_row(size_t j, const void *arg)
{
	const struct sm_analysis_data *d = arg;
	return d->rows[d->idx[j]];
}

/* Every row of d, included or not. */
static const struct sm_outcome *any_row(size_t i, const void *arg)
{
	const struct sm_analysis_data *d = arg;
	return d->rows[i];
}

/* The value of a review row from the table, else (a row made here, such
 * as a per-study aggregate) from its study. */
static const char *cluster_value(const struct sm_clusters *c, const struct sm_outcome *o)
{
	const struct sm_review *r = c->review;
	if (r->n_outcomes && o >= r->outcomes && o < r->outcomes + r->n_outcomes)
		return c->value[o - r->outcomes];
	if (!strcmp(c->column, "study"))
		return o->study_id;
	const struct sm_study *s = sm_clusters_study(c, o);
	const char *v = s ? char_value(s, c->column) : NULL;
	return v ? v : o->study_id;
}

sm_status sm_unit_assign(struct sm_ctx *ctx, const struct sm_clusters *c,
			 struct sm_analysis_data *d)
{
	size_t k = d->k ? d->k : 1;
	const char **keys = sm_alloc_array(k, sizeof *keys);
	d->cluster = sm_alloc_array(k, sizeof *d->cluster);
	d->cluster_label = sm_alloc_array(k, sizeof *d->cluster_label);
	size_t n = (size_t)-1;
	if (keys && d->cluster && d->cluster_label && !strcmp(c->column, "study")) {
		n = number_studies(c->review, included_row, d, d->k, d->cluster, d->cluster_label);
	} else if (keys && d->cluster && d->cluster_label) {
		for (size_t j = 0; j < d->k; j++)
			keys[j] = cluster_value(c, d->rows[d->idx[j]]);
		n = number_keys(keys, d->k, d->cluster, d->cluster_label);
	}
	free(keys);
	if (n == (size_t)-1)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	d->n_clusters = n;
	return SM_OK;
}

int sm_unit_several_rows(const struct sm_analysis_data *d)
{
	return d->cluster && d->n_clusters < d->k;
}

/* ---- detection ----------------------------------------------------------- */

/* Rows of one analysis grouped by a key index: members of group g are
 * order[start[g] .. start[g + 1]), in row order. */
struct grouping {
	size_t n;
	size_t *start, *order;
};

static int group_by_index(const size_t *index, size_t k, size_t n, struct grouping *g)
{
	g->n = n;
	g->start = calloc(n + 1, sizeof *g->start);
	g->order = sm_alloc_array(k ? k : 1, sizeof *g->order);
	size_t *fill = sm_alloc_array(n ? n : 1, sizeof *fill);
	if (!g->start || !g->order || !fill) {
		free(fill);
		return -1;
	}
	for (size_t i = 0; i < k; i++)
		g->start[index[i] + 1]++;
	for (size_t i = 0; i < n; i++)
		g->start[i + 1] += g->start[i];
	memcpy(fill, g->start, n * sizeof *fill);
	for (size_t i = 0; i < k; i++)
		g->order[fill[index[i]]++] = i;
	free(fill);
	return 0;
}

static void grouping_release(struct grouping *g)
{
	free(g->start);
	free(g->order);
}

static const char *study_label(const struct sm_clusters *c, const struct sm_outcome *o)
{
	const struct sm_study *s = sm_clusters_study(c, o);
	return s ? s->label : o->study_id;
}

/* The included rows of d as outcomes. */
static const struct sm_outcome *row_at(const struct sm_analysis_data *d, size_t j)
{
	return d->rows[d->idx[j]];
}

static cJSON *labels_json(const struct sm_analysis_data *d, const size_t *members, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(row_at(d, members[i])->label));
	return a;
}

/* Text of a warning list: "a: 7, b: 4, ... and 3 more". */
struct name_list {
	struct sm_buf buf;
	size_t n;
};

/* Adds one entry (taking ownership of the text). */
static void name_list_add(struct name_list *l, char *entry)
{
	if (l->n++ < UNIT_NAMES_SHOWN && entry)
		sm_buf_printf(&l->buf, "%s%s", l->n > 1 ? ", " : "", entry);
	free(entry);
}

static char *name_list_take(struct name_list *l)
{
	if (l->n > UNIT_NAMES_SHOWN)
		sm_buf_printf(&l->buf, " and %zu more", l->n - UNIT_NAMES_SHOWN);
	return sm_buf_take(&l->buf);
}

static void add_warning(cJSON *warnings, char *msg)
{
	if (msg && warnings)
		cJSON_AddItemToArray(warnings, cJSON_CreateString(msg));
	free(msg);
}

static cJSON *several_rows(const struct sm_clusters *c, const struct sm_analysis_data *d,
			   const struct grouping *g, int with_labels, cJSON *warnings)
{
	cJSON *list = cJSON_CreateArray();
	struct name_list names = { { 0 }, 0 };
	sm_buf_init(&names.buf);
	for (size_t s = 0; s < g->n; s++) {
		size_t m = g->start[s + 1] - g->start[s];
		if (m < 2)
			continue;
		const struct sm_outcome *o = row_at(d, g->order[g->start[s]]);
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "study_id", o->study_id);
		cJSON_AddStringToObject(e, "label", study_label(c, o));
		cJSON_AddNumberToObject(e, "rows", (double)m);
		if (with_labels)
			cJSON_AddItemToObject(e, "labels", labels_json(d, g->order + g->start[s], m));
		cJSON_AddItemToArray(list, e);
		name_list_add(&names, sm_asprintf("%s: %zu rows", o->study_id, m));
	}
	char *text = name_list_take(&names);
	if (names.n)
		add_warning(warnings, sm_asprintf(
			"unit of analysis: the %zu rows come from %zu studies, and %zu %s "
			"several rows (%s); rows of one study share its patients, so "
			"pooling them as independent studies overstates the evidence (see "
			"\"unit_of_analysis\"; \"multilevel\" has the three-level model of rows "
			"within studies, --aggregate the per-study bounds)",
			d->k, g->n, names.n, names.n == 1 ? "study contributes" : "studies contribute",
			text ? text : ""));
	free(text);
	return list;
}

/* Rows of one study with identical control counts, ordered by study, then
 * control n and events, then row. */
struct arm_key {
	size_t study, row;
	double n, events;
};

static int arm_cmp(const void *pa, const void *pb)
{
	const struct arm_key *a = pa, *b = pb;
	if (a->study != b->study)
		return a->study < b->study ? -1 : 1;
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	if (a->events != b->events)
		return a->events < b->events ? -1 : 1;
	return a->row < b->row ? -1 : a->row > b->row;
}

/* A group of at least two rows with one control arm. */
struct arm_group {
	const struct arm_key *first;
	size_t m;
};

static int first_row_cmp(const void *pa, const void *pb)
{
	const struct arm_group *a = pa, *b = pb;
	return a->first->row < b->first->row ? -1 : a->first->row > b->first->row;
}

static cJSON *shared_arm_json(const struct sm_clusters *c, const struct sm_analysis_data *d,
			      const struct arm_group *g, int with_labels)
{
	const struct sm_outcome *o = row_at(d, g->first->row);
	cJSON *e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "study_id", o->study_id);
	cJSON_AddStringToObject(e, "label", study_label(c, o));
	sm_json_add_number(e, "n_c", g->first->n);
	sm_json_add_number(e, "events_c", g->first->events);
	cJSON_AddNumberToObject(e, "rows", (double)g->m);
	if (!with_labels)
		return e;
	cJSON *labels = cJSON_AddArrayToObject(e, "labels");
	for (size_t i = 0; i < g->m; i++)
		cJSON_AddItemToArray(labels, cJSON_CreateString(row_at(d, g->first[i].row)->label));
	return e;
}

static void warn_shared(const struct sm_analysis_data *d, const struct arm_group *groups,
			size_t n, cJSON *warnings)
{
	struct name_list names = { { 0 }, 0 };
	sm_buf_init(&names.buf);
	for (size_t h = 0; h < n; h++)
		name_list_add(&names, sm_asprintf("%s: %.0f/%.0f in %zu rows",
						  row_at(d, groups[h].first->row)->study_id,
						  groups[h].first->events, groups[h].first->n,
						  groups[h].m));
	char *text = name_list_take(&names);
	if (n)
		add_warning(warnings, sm_asprintf(
			"shared control arms: %zu control %s the analysis more than once "
			"(%s): rows of one study with identical control counts are the same "
			"control patients counted again (see \"unit_of_analysis\")",
			n, n == 1 ? "arm enters" : "arms enter", text ? text : ""));
	free(text);
}

static cJSON *shared_arms(const struct sm_clusters *c, const struct sm_analysis_data *d,
			  const size_t *study, int with_labels, cJSON *warnings)
{
	cJSON *list = cJSON_CreateArray();
	size_t k = d->k;
	struct arm_key *keys = sm_alloc_array(k ? k : 1, sizeof *keys);
	struct arm_group *groups = sm_alloc_array(k ? k : 1, sizeof *groups);
	if (!keys || !groups) {
		free(keys);
		free(groups);
		return list;
	}
	for (size_t j = 0; j < k; j++)
		keys[j] = (struct arm_key){ study[j], j, d->n2i[d->idx[j]], d->ci[d->idx[j]] };
	qsort(keys, k, sizeof *keys, arm_cmp);
	size_t n = 0;
	for (size_t a = 0, b; a < k; a = b) {
		for (b = a + 1; b < k && keys[b].study == keys[a].study && keys[b].n == keys[a].n &&
				keys[b].events == keys[a].events; b++)
			;
		if (b - a > 1)
			groups[n++] = (struct arm_group){ &keys[a], b - a };
	}
	qsort(groups, n, sizeof *groups, first_row_cmp);
	for (size_t h = 0; h < n; h++)
		cJSON_AddItemToArray(list, shared_arm_json(c, d, &groups[h], with_labels));
	warn_shared(d, groups, n, warnings);
	free(keys);
	free(groups);
	return list;
}

cJSON *sm_unit_detect_json(struct sm_ctx *ctx, const struct sm_review *review,
			   const struct sm_clusters *c, const struct sm_analysis_data *d,
			   int with_labels, cJSON *warnings)
{
	size_t k = d->k ? d->k : 1;
	const char **labels = sm_alloc_array(k, sizeof *labels);
	size_t *study = sm_alloc_array(k, sizeof *study);
	struct grouping g = { 0, NULL, NULL };
	cJSON *o = NULL;
	size_t n = (size_t)-1;
	if (labels && study)
		n = number_studies(review, included_row, d, d->k, study, labels);
	/* one row per study: nothing to group or sort (shared control arms are
	 * rows of one study too) */
	int one_row_each = n == d->k;
	if (n != (size_t)-1 && (one_row_each || group_by_index(study, d->k, n, &g) == 0)) {
		o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "rows", (double)d->k);
		cJSON_AddNumberToObject(o, "studies", (double)n);
		cJSON_AddStringToObject(o, "cluster", sm_clusters_column(c));
		cJSON_AddNumberToObject(o, "clusters", (double)d->n_clusters);
		cJSON_AddItemToObject(o, "studies_with_several_rows",
				      one_row_each ? cJSON_CreateArray()
						   : several_rows(c, d, &g, with_labels, warnings));
		cJSON_AddItemToObject(o, "shared_control_arms",
				      review->kind == SM_KIND_2X2 && !one_row_each
					      ? shared_arms(c, d, study, with_labels, warnings)
					      : cJSON_CreateArray());
	}
	grouping_release(&g);
	free(labels);
	free(study);
	if (!o)
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	return o;
}

/* ---- per-study aggregates ------------------------------------------------- */

/* Bounds of one study's arm: events and size over its rows. */
struct arm {
	double max_events, sum_events, max_n, min_n;
};

static void arm_add(struct arm *a, double events, double n, int first)
{
	if (first) {
		*a = (struct arm){ events, events, n, n };
		return;
	}
	a->max_events = fmax(a->max_events, events);
	a->sum_events += events;
	a->max_n = fmax(a->max_n, n);
	a->min_n = fmin(a->min_n, n);
}

static double arm_bound(const struct arm *a, int upper)
{
	return upper ? fmin(a->sum_events, a->max_n) : a->max_events;
}

struct study_arms {
	struct arm t, c;
	const struct sm_outcome *first;
};

static void aggregate_row(const struct sm_clusters *cl, const struct sm_review *r,
			  const struct study_arms *s, int upper, struct sm_outcome *o)
{
	const struct sm_study *st = sm_clusters_study(cl, s->first);
	*o = *s->first;
	o->label = st ? st->label : s->first->study_id;
	o->sub = NULL;
	o->event = NULL;
	o->year = st && st->year > 0 ? st->year : s->first->year;
	if (r->kind == SM_KIND_PROP) {
		o->xi = arm_bound(&s->t, upper);
		o->ni = s->t.max_n;
	} else {
		o->ai = arm_bound(&s->t, upper);
		o->n1i = s->t.max_n;
		o->ci = arm_bound(&s->c, upper);
		o->n2i = s->c.max_n;
	}
}

static void note_sizes(const struct study_arms *arms, size_t n, int prop, cJSON *warnings)
{
	struct name_list names = { { 0 }, 0 };
	sm_buf_init(&names.buf);
	for (size_t i = 0; i < n; i++) {
		const struct study_arms *s = &arms[i];
		if (s->t.min_n != s->t.max_n)
			name_list_add(&names, sm_asprintf("%s (%s %.0f to %.0f)", s->first->study_id,
							  prop ? "patients" : "treated",
							  s->t.min_n, s->t.max_n));
		else if (!prop && s->c.min_n != s->c.max_n)
			name_list_add(&names, sm_asprintf("%s (control %.0f to %.0f)",
							  s->first->study_id, s->c.min_n,
							  s->c.max_n));
	}
	char *text = name_list_take(&names);
	if (names.n)
		add_warning(warnings, sm_asprintf(
			"aggregate: the rows of %zu studies give different arm sizes (%s); the "
			"per-study rows use the largest", names.n, text ? text : ""));
	free(text);
}

struct sm_outcome *sm_unit_aggregate(struct sm_ctx *ctx, const struct sm_review *review,
				     const struct sm_clusters *c,
				     const struct sm_analysis_data *d, int upper,
				     size_t *n_out, cJSON *warnings)
{
	*n_out = 0;
	if (review->kind != SM_KIND_2X2 && review->kind != SM_KIND_PROP) {
		SM_FAIL(ctx, SM_EINPUT, "per-study aggregates need event counts (2x2 or "
			"proportion data); the review has %s data", sm_data_kind_name(review->kind));
		return NULL;
	}
	size_t n = d->n ? d->n : 1;
	const char **labels = sm_alloc_array(n, sizeof *labels);
	size_t *study = sm_alloc_array(n, sizeof *study);
	struct study_arms *arms = calloc(n, sizeof *arms);
	struct sm_outcome *out = NULL;
	size_t ns = (size_t)-1;
	if (labels && study && arms)
		ns = number_studies(review, any_row, d, d->n, study, labels);
	if (ns != (size_t)-1)
		out = sm_alloc_array(ns ? ns : 1, sizeof *out);
	if (out) {
		int prop = review->kind == SM_KIND_PROP;
		for (size_t i = 0; i < d->n; i++) {
			struct study_arms *s = &arms[study[i]];
			int first = s->first == NULL;
			if (first)
				s->first = d->rows[i];
			arm_add(&s->t, prop ? d->xi[i] : d->ai[i], prop ? d->ni[i] : d->n1i[i], first);
			if (!prop)
				arm_add(&s->c, d->ci[i], d->n2i[i], first);
		}
		for (size_t s = 0; s < ns; s++)
			aggregate_row(c, review, &arms[s], upper, &out[s]);
		if (warnings)
			note_sizes(arms, ns, prop, warnings);
		*n_out = ns;
	}
	free(labels);
	free(study);
	free(arms);
	if (!out)
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	return out;
}
