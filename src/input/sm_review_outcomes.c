/* The "outcomes" part of the review JSON: rows inline or from a CSV. */
#include "sm_buf.h"
#include "sm_dialect.h"
#include "sm_limits.h"
#include "sm_review_parts.h"
#include "sm_strmap.h"
#include "sm_textfile.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const outcome_keys[] = {
	"study", "domain", "sub", "event", "ai", "n1i", "ci", "n2i", "xi", "ni",
	"yi", "vi", "sei", NULL
};
static const char *const csv_keys[] = { "csv", "ignore", NULL };

struct rows {
	struct sm_strmap *ids;   /* study id -> index */
	const size_t *offsets;   /* of each outcome object, for line numbers */
	size_t line_off;         /* line counting cursor */
	int line_no;
	size_t first_index;      /* outcome that fixed the data kind */
};

static int has(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key) != NULL;
}

static enum sm_data_kind row_kind(const cJSON *o)
{
	if (has(o, "ai") || has(o, "n1i") || has(o, "ci") || has(o, "n2i"))
		return SM_KIND_2X2;
	if (has(o, "xi") || has(o, "ni"))
		return SM_KIND_PROP;
	if (has(o, "yi") || has(o, "vi") || has(o, "sei"))
		return SM_KIND_GENERIC;
	return SM_KIND_NONE;
}

static const char *kind_text(enum sm_data_kind k)
{
	switch (k) {
	case SM_KIND_2X2: return "2x2 counts (ai, n1i, ci, n2i)";
	case SM_KIND_PROP: return "a proportion (xi, ni)";
	case SM_KIND_GENERIC: return "a generic effect size (yi with vi or sei)";
	case SM_KIND_NONE: break;
	}
	return "no data";
}

static sm_status le_total(struct sm_jv *v, const struct sm_jpath *p, const char *ev,
			  const char *tot, double e, double n)
{
	if (e <= n)
		return SM_OK;
	struct sm_jpath k = JV_KEY(p, ev);
	return sm_jv_fail(v, &k, SM_JPOS_VALUE, "%.0f events exceed the total %s = %.0f; "
			  "expected %s <= %s", e, tot, n, ev, tot);
}

static sm_status numbers_2x2(struct sm_jv *v, const cJSON *o, const struct sm_jpath *p,
			     struct sm_outcome *out)
{
	sm_status s;
	if ((s = sm_jv_number(v, o, "ai", p, SM_RULE_COUNT, 1, 0, &out->ai)) ||
	    (s = sm_jv_number(v, o, "n1i", p, SM_RULE_TOTAL, 1, 0, &out->n1i)) ||
	    (s = sm_jv_number(v, o, "ci", p, SM_RULE_COUNT, 1, 0, &out->ci)) ||
	    (s = sm_jv_number(v, o, "n2i", p, SM_RULE_TOTAL, 1, 0, &out->n2i)) ||
	    (s = le_total(v, p, "ai", "n1i", out->ai, out->n1i)))
		return s;
	return le_total(v, p, "ci", "n2i", out->ci, out->n2i);
}

static sm_status numbers_generic(struct sm_jv *v, const cJSON *o, const struct sm_jpath *p,
				 struct sm_outcome *out)
{
	sm_status s = sm_jv_number(v, o, "yi", p, SM_RULE_FINITE, 1, 0, &out->yi);
	if (s)
		return s;
	int hv = has(o, "vi"), hs = has(o, "sei");
	if (hv && hs) {
		struct sm_jpath k = JV_KEY(p, "sei");
		return sm_jv_fail(v, &k, SM_JPOS_KEY, "both vi and sei given; expected one");
	}
	if (!hv && !hs) {
		struct sm_jpath k = JV_KEY(p, "vi");
		return sm_jv_missing(v, &k, "expected vi or sei with yi");
	}
	if (hv)
		return sm_jv_number(v, o, "vi", p, SM_RULE_POSITIVE, 1, 0, &out->vi);
	if ((s = sm_jv_number(v, o, "sei", p, SM_RULE_POSITIVE, 1, 0, &out->vi)))
		return s;
	out->vi *= out->vi;
	if (!isfinite(out->vi) || out->vi <= 0) {
		struct sm_jpath k = JV_KEY(p, "sei");
		return sm_jv_bad(v, &k, "squared standard error out of range; expected a "
				 "positive number below 1e154");
	}
	return SM_OK;
}

static sm_status numbers(struct sm_jv *v, const cJSON *o, const struct sm_jpath *p,
			 enum sm_data_kind kind, struct sm_outcome *out)
{
	sm_status s;
	switch (kind) {
	case SM_KIND_2X2:
		return numbers_2x2(v, o, p, out);
	case SM_KIND_PROP:
		if ((s = sm_jv_number(v, o, "xi", p, SM_RULE_COUNT, 1, 0, &out->xi)) ||
		    (s = sm_jv_number(v, o, "ni", p, SM_RULE_TOTAL, 1, 0, &out->ni)))
			return s;
		return le_total(v, p, "xi", "ni", out->xi, out->ni);
	case SM_KIND_GENERIC:
		return numbers_generic(v, o, p, out);
	case SM_KIND_NONE:
		break;
	}
	return SM_OK;
}

/* Keys of other kinds in a row (e.g. "xi" in a 2x2 row) are an error. */
static sm_status foreign_keys(struct sm_jv *v, const cJSON *o, const struct sm_jpath *p,
			      enum sm_data_kind kind)
{
	static const char *const k2[] = { "ai", "n1i", "ci", "n2i" };
	static const char *const kp[] = { "xi", "ni" };
	static const char *const kg[] = { "yi", "vi", "sei" };
	const char *const *lists[] = { k2, kp, kg };
	const size_t sizes[] = { 4, 2, 3 };
	const enum sm_data_kind kinds[] = { SM_KIND_2X2, SM_KIND_PROP, SM_KIND_GENERIC };
	for (int l = 0; l < 3; l++) {
		if (kinds[l] == kind)
			continue;
		for (size_t i = 0; i < sizes[l]; i++) {
			if (!has(o, lists[l][i]))
				continue;
			struct sm_jpath k = JV_KEY(p, lists[l][i]);
			return sm_jv_fail(v, &k, SM_JPOS_KEY, "key of another data kind in a row "
					  "of %s; expected one data kind per row",
					  kind_text(kind));
		}
	}
	return SM_OK;
}

static sm_status row_study(struct sm_jv *v, const cJSON *o, const struct sm_jpath *p,
			   struct rows *rows, struct sm_outcome *out, const struct sm_study **st)
{
	sm_status s = sm_jv_string(v, o, "study", p, 1, NULL);
	if (s)
		return s;
	const char *id = cJSON_GetObjectItemCaseSensitive(o, "study")->valuestring;
	size_t idx = 0;
	if (!sm_strmap_get(rows->ids, id, &idx)) {
		struct sm_jpath k = JV_KEY(p, "study");
		return sm_jv_bad(v, &k, "unknown study; expected a studies[].id");
	}
	*st = &v->r->studies[idx];
	out->study_id = (*st)->id;
	out->study = idx;
	return SM_OK;
}

/* An optional text member, checked as by sm_jv_string; rows with the same
 * value share one copy. */
static sm_status shared_text(struct sm_jv *v, const cJSON *o, const char *key,
			     const struct sm_jpath *p, const char **out)
{
	*out = NULL;
	sm_status s = sm_jv_string(v, o, key, p, 0, NULL);
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(o, key);
	if (s || !item)
		return s;
	*out = sm_review_intern(v->r, item->valuestring);
	return *out ? SM_OK : SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
}

static sm_status row_texts(struct sm_jv *v, const cJSON *o, const struct sm_jpath *p,
			   const struct sm_study *st, struct sm_outcome *out)
{
	sm_status s;
	if ((s = shared_text(v, o, "domain", p, &out->domain)) ||
	    (s = shared_text(v, o, "sub", p, &out->sub)) ||
	    (s = shared_text(v, o, "event", p, &out->event)))
		return s;
	out->group = out->domain;
	if (!out->group)
		out->group = sm_review_intern(v->r, "all");
	out->label = out->sub ? sm_review_strf(v->r, "%s (%s)", st->label, out->sub) : st->label;
	if (!out->group || !out->label)
		return SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
	out->year = st->year;
	return SM_OK;
}

static int line_at(struct rows *rows, const struct sm_jv *v, size_t off)
{
	for (size_t i = rows->line_off; i < off; i++) {
		char c = v->text[i];
		if (c == '\n' || (c == '\r' && (i + 1 >= v->len || v->text[i + 1] != '\n')))
			rows->line_no++;
	}
	rows->line_off = off;
	return rows->line_no;
}

static sm_status read_row(struct sm_jv *v, const cJSON *o, const struct sm_jpath *p,
			  size_t i, struct rows *rows)
{
	sm_status s;
	if ((s = sm_jv_object(v, o, p)) || (s = sm_jv_keys(v, o, p, outcome_keys)))
		return s;
	enum sm_data_kind kind = row_kind(o);
	if (kind == SM_KIND_NONE)
		return sm_jv_fail(v, p, SM_JPOS_VALUE, "no data; expected ai, n1i, ci, n2i or "
				  "xi, ni or yi with vi or sei");
	if (v->r->kind == SM_KIND_NONE) {
		v->r->kind = kind;
		rows->first_index = i;
	} else if (kind != v->r->kind) {
		return sm_jv_fail(v, p, SM_JPOS_VALUE, "row has %s but outcomes[%zu] has %s; "
				  "expected one data kind per review", kind_text(kind),
				  rows->first_index, kind_text(v->r->kind));
	}
	if ((s = foreign_keys(v, o, p, kind)))
		return s;
	struct sm_outcome *out = sm_review_add_outcome(v->r);
	if (!out)
		return SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
	const struct sm_study *st = NULL;
	out->src_file = v->r->files[0];
	out->src_line = rows->offsets ? line_at(rows, v, rows->offsets[i]) : 0;
	if ((s = row_study(v, o, p, rows, out, &st)) || (s = row_texts(v, o, p, st, out)))
		return s;
	return numbers(v, o, p, kind, out);
}

static sm_status index_ids(struct sm_jv *v, struct rows *rows)
{
	rows->ids = sm_strmap_new();
	if (!rows->ids)
		return SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
	for (size_t i = 0; i < v->r->n_studies; i++)
		if (sm_strmap_put(rows->ids, v->r->studies[i].id, i, NULL) < 0)
			return SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
	return SM_OK;
}

static sm_status read_rows(struct sm_jv *v, const cJSON *arr, const struct sm_jpath *p)
{
	size_t n = (size_t)cJSON_GetArraySize(arr);
	if (n > SM_MAX_ROWS)
		return sm_jv_fail(v, p, SM_JPOS_VALUE, "too many outcomes (%zu); expected at "
				  "most %zu", n, SM_MAX_ROWS);
	if (!sm_review_intern_file(v->r, v->file) ||
	    sm_review_reserve(v->r, v->r->n_outcomes + n, 0) != 0)
		return SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
	struct rows rows = { .line_no = 1 };
	size_t n_off = 0;
	size_t *offsets = sm_json_elements(v->text, v->len, p, &n_off);
	rows.offsets = n_off == n ? offsets : NULL;
	sm_status s = index_ids(v, &rows);
	size_t i = 0;
	for (const cJSON *e = arr->child; e && !s; e = e->next, i++) {
		struct sm_jpath ep = JV_IDX(p, i);
		s = read_row(v, e, &ep, i, &rows);
	}
	free(offsets);
	sm_strmap_free(rows.ids);
	return s;
}

/* The CSV's path: relative to the folder of the review file. */
static char *csv_path(const char *review, const char *csv)
{
	const char *slash = strrchr(review, '/');
	if (csv[0] == '/' || !slash)
		return strdup(csv);
	return sm_asprintf("%.*s/%s", (int)(slash - review), review, csv);
}

static sm_status read_ignore(struct sm_jv *v, const cJSON *obj, const struct sm_jpath *p,
			     const char ***names, size_t *n)
{
	sm_status s = sm_jv_strings(v, obj, "ignore", p);
	const cJSON *ig = cJSON_GetObjectItemCaseSensitive(obj, "ignore");
	*names = NULL;
	*n = 0;
	if (s || !ig)
		return s;
	size_t k = (size_t)cJSON_GetArraySize(ig);
	*names = sm_alloc_array(k ? k : 1, sizeof **names);
	if (!*names)
		return SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
	for (const cJSON *e = ig->child; e; e = e->next)
		(*names)[(*n)++] = e->valuestring;
	return SM_OK;
}

/* The CSV columns to keep as study characteristics: those the load options
 * name and the review's own subgroup_by and mods. */
static sm_status named_columns(struct sm_jv *v, const char ***out, size_t *n)
{
	const struct sm_settings *st = &v->r->settings;
	size_t from_opts = v->load ? v->load->n_columns : 0;
	size_t cap = from_opts + st->n_mods + 1;
	const char **names = sm_alloc_array(cap, sizeof *names);
	if (!names)
		return SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
	size_t k = 0;
	for (size_t i = 0; i < from_opts; i++)
		names[k++] = v->load->columns[i];
	for (size_t i = 0; i < st->n_mods; i++)
		names[k++] = st->mods[i];
	if (st->subgroup_by)
		names[k++] = st->subgroup_by;
	*out = names;
	*n = k;
	return SM_OK;
}

static sm_status read_csv(struct sm_jv *v, const cJSON *obj, const struct sm_jpath *p)
{
	sm_status s;
	const char *csv = NULL;
	if ((s = sm_jv_keys(v, obj, p, csv_keys)) ||
	    (s = sm_jv_string(v, obj, "csv", p, 1, &csv)))
		return s;
	const char **ignore = NULL;
	size_t n_ignore = 0;
	char *path = csv_path(v->file, csv);
	char *data = NULL;
	size_t len = 0;
	/* non-blocking: a FIFO named here must not hang the probe */
	int fd = path ? open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC) : -1;
	if (!path) {
		s = SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
	} else if (fd < 0) {
		struct sm_jpath k = JV_KEY(p, "csv");
		s = sm_jv_fail(v, &k, SM_JPOS_VALUE, "cannot read %s: %s; expected a CSV file "
			       "(paths are relative to the review file)", path, strerror(errno));
	} else {
		close(fd);
		s = read_ignore(v, obj, p, &ignore, &n_ignore);
	}
	if (!s)
		s = sm_textfile_load(v->ctx, path, &data, &len);
	const char **named = NULL;
	size_t n_named = 0;
	if (!s)
		s = named_columns(v, &named, &n_named);
	if (!s) {
		struct sm_csv_src src = { path, data, len };
		struct sm_dialect_opts opts = { ignore, n_ignore, 1,
						" or list it in the review's outcomes.ignore",
						named, n_named };
		s = sm_dialect_read(v->ctx, &src, &opts, v->r);
	}
	free(named);
	free(data);
	free(ignore);
	free(path);
	return s;
}

sm_status sm_rv_outcomes(struct sm_jv *v, const cJSON *root, const struct sm_jpath *rootp)
{
	struct sm_jpath p = JV_KEY(rootp, "outcomes");
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(root, "outcomes");
	if (!o)
		return SM_OK;
	if (cJSON_IsObject(o))
		return read_csv(v, o, &p);
	if (!cJSON_IsArray(o))
		return sm_jv_bad(v, &p, "expected an array of outcome rows or {\"csv\": \"file\"}");
	return read_rows(v, o, &p);
}

/* Which measures fit which data. */
static enum sm_data_kind measure_kind(const char *m)
{
	static const char *const m2[] = { "OR", "RR", "RD", "PETO", NULL };
	static const char *const mp[] = { "PR", "PLO", "PAS", "PFT", NULL };
	for (size_t i = 0; m2[i]; i++)
		if (!strcmp(m, m2[i]))
			return SM_KIND_2X2;
	for (size_t i = 0; mp[i]; i++)
		if (!strcmp(m, mp[i]))
			return SM_KIND_PROP;
	return SM_KIND_GENERIC;
}

static sm_status apply_outcome_by(struct sm_jv *v)
{
	const char *g = v->r->settings.outcome_by;
	if (!g || !strcmp(g, "domain"))
		return SM_OK;
	for (size_t i = 0; i < v->r->n_outcomes; i++) {
		struct sm_outcome *o = &v->r->outcomes[i];
		o->group = !strcmp(g, "event") && o->event ? o->event
							   : sm_review_intern(v->r, "all");
		if (!o->group)
			return SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
	}
	return SM_OK;
}

sm_status sm_rv_settings_check(struct sm_jv *v, const struct sm_jpath *rootp)
{
	const struct sm_settings *st = &v->r->settings;
	if (st->measure && v->r->kind != SM_KIND_NONE &&
	    measure_kind(st->measure) != v->r->kind) {
		struct sm_jpath sp = JV_KEY(rootp, "settings");
		struct sm_jpath k = JV_KEY(&sp, "measure");
		return sm_jv_fail(v, &k, SM_JPOS_VALUE, "measure %s does not fit the outcomes, "
				  "which are %s; expected %s", st->measure,
				  kind_text(v->r->kind),
				  v->r->kind == SM_KIND_2X2 ? "OR, RR, RD or PETO" :
				  v->r->kind == SM_KIND_PROP ? "PR, PLO, PAS or PFT" : "GEN");
	}
	return apply_outcome_by(v);
}
