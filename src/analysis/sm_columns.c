#include "sm_columns.h"

#include "sm_buf.h"
#include "sm_strmap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const fields[] = { "domain", "event", "sub", "study", "year" };
#define N_FIELDS (sizeof fields / sizeof fields[0])

/* Every name a column could have, in lookup order, each once. */
struct names {
	const char **v;
	enum sm_column_source *src;
	size_t *index;
	size_t n, cap;
	struct sm_strmap *seen;
};

static int names_add(struct names *ns, const char *name, enum sm_column_source src, size_t i)
{
	int put = sm_strmap_put(ns->seen, name, ns->n, NULL);
	if (put <= 0)
		return put; /* already listed (an earlier source wins), or out of memory */
	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? 2 * ns->cap : 16;
		const char **v = sm_realloc_array(ns->v, cap, sizeof *v);
		if (v)
			ns->v = v;
		enum sm_column_source *s = sm_realloc_array(ns->src, cap, sizeof *s);
		if (s)
			ns->src = s;
		size_t *x = sm_realloc_array(ns->index, cap, sizeof *x);
		if (x)
			ns->index = x;
		if (!v || !s || !x)
			return -1;
		ns->cap = cap;
	}
	ns->v[ns->n] = name;
	ns->src[ns->n] = src;
	ns->index[ns->n] = i;
	ns->n++;
	return 1;
}

static void names_release(struct names *ns)
{
	free(ns->v);
	free(ns->src);
	free(ns->index);
	sm_strmap_free(ns->seen);
}

/* O(rows columns + characteristics): the characteristic keys are collected
 * once through a hash set. */
static int collect(const struct sm_review *r, struct names *ns)
{
	memset(ns, 0, sizeof *ns);
	if (!(ns->seen = sm_strmap_new()))
		return -1;
	for (size_t j = 0; j < r->cols.n; j++)
		if (names_add(ns, r->cols.names[j], SM_COLSRC_ROW, j) < 0)
			return -1;
	for (size_t j = 0; j < N_FIELDS; j++)
		if (names_add(ns, fields[j], SM_COLSRC_FIELD, j) < 0)
			return -1;
	for (size_t i = 0; i < r->n_studies; i++)
		for (size_t j = 0; j < r->studies[i].n_chars; j++)
			if (names_add(ns, r->studies[i].char_keys[j], SM_COLSRC_STUDY, 0) < 0)
				return -1;
	return 0;
}

static sm_status not_found(struct sm_ctx *ctx, const struct sm_review *r, const char *name,
			   const char *what, const struct names *ns, int ambiguous)
{
	struct sm_buf b;
	sm_buf_init(&b);
	for (size_t i = 0; i < ns->n; i++)
		sm_buf_printf(&b, "%s'%s'", i ? ", " : "", ns->v[i]);
	sm_status st = SM_FAIL_POS(ctx, SM_EINPUT, r->path, 0, 0, name,
				   "%s '%s': %s; expected one of the review's columns: %s", what,
				   name, ambiguous ? "matches several columns when case is ignored"
						   : "no such study characteristic or outcome column",
				   b.data ? b.data : "");
	sm_buf_release(&b);
	return st;
}

sm_status sm_column_find(struct sm_ctx *ctx, const struct sm_review *r, const char *name,
			 const char *what, struct sm_column *out)
{
	struct names ns;
	if (collect(r, &ns) != 0) {
		names_release(&ns);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	size_t hit = ns.n, folded = ns.n, n_folded = 0;
	for (size_t i = 0; i < ns.n && hit == ns.n; i++) {
		if (!strcmp(ns.v[i], name))
			hit = i;
		else if (!strcasecmp(ns.v[i], name) && n_folded++ == 0)
			folded = i;
	}
	if (hit == ns.n && n_folded == 1)
		hit = folded;
	sm_status st = SM_OK;
	if (hit == ns.n)
		st = not_found(ctx, r, name, what, &ns, n_folded > 1);
	else
		*out = (struct sm_column){ ns.v[hit], ns.src[hit], ns.index[hit], r };
	names_release(&ns);
	return st;
}

static void study_value(const struct sm_column *c, const struct sm_study *s,
			struct sm_column_value *v)
{
	for (size_t j = 0; j < s->n_chars; j++) {
		if (strcmp(s->char_keys[j], c->name) != 0)
			continue;
		v->text = s->char_values[j];
		v->num = s->char_numbers ? s->char_numbers[j] : NAN;
		v->unit = s->char_units ? s->char_units[j] : NULL;
		return;
	}
}

static void field_value(const struct sm_column *c, const struct sm_outcome *o,
			struct sm_column_value *v)
{
	const struct sm_study *s = &c->review->studies[o->study];
	switch (c->index) {
	case 0: v->text = o->domain; break;
	case 1: v->text = o->event; break;
	case 2: v->text = o->sub; break;
	case 3: v->text = s->label; break;
	default:
		if (o->year > 0)
			v->num = o->year; /* text from sm_column_text */
		break;
	}
}

void sm_column_get(const struct sm_column *c, const struct sm_outcome *o,
		   struct sm_column_value *v)
{
	*v = (struct sm_column_value){ NULL, NAN, NULL };
	const struct sm_review *r = c->review;
	switch (c->source) {
	case SM_COLSRC_ROW: {
		size_t at = (size_t)(o - r->outcomes) * r->cols.n + c->index;
		v->text = r->cols.text[at];
		v->num = r->cols.num[at];
		break;
	}
	case SM_COLSRC_FIELD:
		field_value(c, o, v);
		break;
	case SM_COLSRC_STUDY:
		study_value(c, &r->studies[o->study], v);
		break;
	}
}

const char *sm_column_text(const struct sm_column_value *v, char *buf, size_t size)
{
	if (v->text || isnan(v->num))
		return v->text;
	snprintf(buf, size, "%.15g", v->num);
	return buf;
}

int sm_column_missing(const struct sm_column_value *v)
{
	return !v->text && isnan(v->num);
}

const char *sm_column_source_name(const struct sm_column *c)
{
	switch (c->source) {
	case SM_COLSRC_ROW: return "outcome column";
	case SM_COLSRC_FIELD: return "outcome field";
	case SM_COLSRC_STUDY: break;
	}
	return "study characteristic";
}

void sm_column_where(const struct sm_column *c, const struct sm_outcome *o, const char **file,
		     int *line, char *field, size_t size)
{
	const struct sm_review *r = c->review;
	if (c->source == SM_COLSRC_STUDY) {
		const struct sm_study *s = &r->studies[o->study];
		*file = r->path;
		*line = s->src_line;
		snprintf(field, size, "field 'studies[%zu].characteristics.%s'", s->src_index,
			 c->name);
		return;
	}
	*file = o->src_file ? o->src_file : r->path;
	*line = o->src_line;
	/* a CSV column, or an outcome field of the review JSON */
	int csv = c->source == SM_COLSRC_ROW || (o->src_file && o->src_file != r->path &&
						 strcmp(o->src_file, r->path) != 0);
	snprintf(field, size, csv ? "column '%s'" : "field '%s'", c->name);
}

sm_status sm_column_require(struct sm_ctx *ctx, const struct sm_column *col,
			    const struct sm_outcome *const *rows, size_t n, const char *analysis,
			    const char *what)
{
	size_t missing = 0, first = 0;
	struct sm_buf names;
	sm_buf_init(&names);
	for (size_t i = 0; i < n; i++) {
		struct sm_column_value v;
		sm_column_get(col, rows[i], &v);
		if (!sm_column_missing(&v))
			continue;
		if (missing == 0)
			first = i;
		if (missing < 5)
			sm_buf_printf(&names, "%s%s", missing ? ", " : "", rows[i]->label);
		missing++;
	}
	if (!missing) {
		sm_buf_release(&names);
		return SM_OK;
	}
	const char *file;
	int line;
	char field[1200];
	sm_column_where(col, rows[first], &file, &line, field, sizeof field);
	sm_status st = SM_FAIL_POS(ctx, SM_EINPUT, file, line, 0, field,
				   "%s: %s '%s' has no value for %zu of the %zu rows of "
				   "analysis '%s' (%s%s); expected a value for every row",
				   field, what, col->name, missing, n, analysis,
				   names.data ? names.data : "", missing > 5 ? ", ..." : "");
	sm_buf_release(&names);
	return st;
}

const char **sm_names_split(const char *list, size_t *n)
{
	*n = 0;
	if (!list)
		return NULL;
	size_t len = strlen(list), parts = 1;
	for (const char *p = list; *p; p++)
		parts += *p == ',';
	const char **out = malloc(parts * sizeof *out + len + 1);
	if (!out)
		return NULL;
	char *text = (char *)(out + parts);
	memcpy(text, list, len + 1);
	for (char *tok = text; tok;) {
		char *comma = strchr(tok, ',');
		if (comma)
			*comma = '\0';
		while (*tok == ' ' || *tok == '\t')
			tok++;
		char *end = tok + strlen(tok);
		while (end > tok && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (*tok)
			out[(*n)++] = tok;
		tok = comma ? comma + 1 : NULL;
	}
	if (*n == 0) {
		free(out);
		return NULL;
	}
	return out;
}
