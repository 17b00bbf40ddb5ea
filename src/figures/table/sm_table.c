/* The table model and the tables a review carries (characteristics and
 * free-form tables). */
#include "sm_table.h"

#include "sm_buf.h"
#include "sm_json_out.h"
#include "sm_table_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

struct sm_table *sm_table_new(struct sm_ctx *ctx, const char *id, size_t ncols)
{
	struct sm_table *t = calloc(1, sizeof *t);
	if (t) {
		t->ncols = ncols;
		t->id = dup_or_empty(id);
		t->headers = sm_alloc_array(ncols ? ncols : 1, sizeof *t->headers);
		t->align = sm_alloc_array(ncols ? ncols : 1, sizeof *t->align);
		for (size_t c = 0; t->headers && c < ncols; c++)
			if (!(t->headers[c] = strdup("")))
				break;
	}
	if (!t || !t->id || !t->headers || !t->align ||
	    (ncols && !t->headers[ncols - 1])) {
		sm_table_free(t);
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	return t;
}

void sm_table_free(struct sm_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; t->cells && i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	for (size_t c = 0; t->headers && c < t->ncols; c++)
		free(t->headers[c]);
	free(t->cells);
	free(t->headers);
	free(t->align);
	free(t->id);
	free(t->title);
	free(t->footnote);
	free(t);
}

long sm_table_add_row(struct sm_ctx *ctx, struct sm_table *t)
{
	size_t n = (t->nrows + 1) * t->ncols;
	char **cells = sm_realloc_array(t->cells, n ? n : 1, sizeof *cells);
	if (!cells) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return -1;
	}
	t->cells = cells;
	for (size_t c = 0; c < t->ncols; c++) {
		cells[t->nrows * t->ncols + c] = strdup("");
		if (!cells[t->nrows * t->ncols + c]) {
			for (size_t j = 0; j < c; j++)
				free(cells[t->nrows * t->ncols + j]);
			SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
			return -1;
		}
	}
	return (long)t->nrows++;
}

static sm_status replace(struct sm_ctx *ctx, char **slot, const char *text)
{
	char *s = dup_or_empty(text);
	if (!s)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	free(*slot);
	*slot = s;
	return SM_OK;
}

sm_status sm_table_set(struct sm_ctx *ctx, struct sm_table *t, size_t row, size_t col,
		       const char *text)
{
	if (row >= t->nrows || col >= t->ncols)
		return SM_FAIL(ctx, SM_EINTERNAL, "table cell %zu,%zu out of range", row, col);
	return replace(ctx, &t->cells[row * t->ncols + col], text);
}

sm_status sm_table_set_header(struct sm_ctx *ctx, struct sm_table *t, size_t col,
			      const char *text, enum sm_align align)
{
	if (col >= t->ncols)
		return SM_FAIL(ctx, SM_EINTERNAL, "table column %zu out of range", col);
	t->align[col] = align;
	return replace(ctx, &t->headers[col], text);
}

sm_status sm_table_set_title(struct sm_ctx *ctx, struct sm_table *t, const char *title,
			     const char *footnote)
{
	free(t->title);
	free(t->footnote);
	t->title = title ? strdup(title) : NULL;
	t->footnote = footnote ? strdup(footnote) : NULL;
	if ((title && !t->title) || (footnote && !t->footnote))
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	return SM_OK;
}

/* ---- what the results offer ------------------------------------------- */

static int has_characteristics(const struct sm_res *res)
{
	for (size_t i = 0; i < res->review.studies.n; i++)
		if (res->review.studies.v[i].characteristics.n)
			return 1;
	return 0;
}

const char **sm_table_names_in(const struct sm_res *res, size_t *n)
{
	const char **names = sm_alloc_array(res->review.tables.n + 5, sizeof *names);
	*n = 0;
	if (!names)
		return NULL;
	if (res->domain_table.present)
		names[(*n)++] = "domains";
	if (has_characteristics(res))
		names[(*n)++] = "characteristics";
	if (sm_table_has_sensitivity(res))
		names[(*n)++] = "sensitivity";
	if (sm_table_has_rare_events(res))
		names[(*n)++] = "rare_events";
	if (sm_table_has_sof(res))
		names[(*n)++] = "sof";
	for (size_t i = 0; i < res->review.tables.n; i++)
		if (res->review.tables.v[i].id)
			names[(*n)++] = res->review.tables.v[i].id;
	return names;
}

/* A free-form cell: text as is, a number in its shortest form, null as
 * nothing. */
static char *cell_text(const struct sm_res_cell *v)
{
	char buf[64];
	switch (v ? v->kind : SM_CELL_NULL) {
	case SM_CELL_STRING: return strdup(v->s ? v->s : "");
	case SM_CELL_NUMBER:
		sm_json_shortest(buf, sizeof buf, v->v);
		return strdup(buf);
	case SM_CELL_BOOL: return strdup(v->v != 0 ? "true" : "false");
	default: return strdup("");
	}
}

static int is_numeric_text(const char *s)
{
	if (!*s)
		return 0;
	char *end;
	(void)strtod(s, &end);
	return *end == '\0';
}

/* Right-align a column whose non-empty cells are all numbers. */
static void guess_alignment(struct sm_table *t)
{
	for (size_t c = 0; c < t->ncols; c++) {
		int numeric = 0, other = 0;
		for (size_t r = 0; r < t->nrows; r++) {
			const char *s = sm_table_cell(t, r, c);
			if (*s)
				is_numeric_text(s) ? numeric++ : other++;
		}
		t->align[c] = numeric && !other ? SM_ALIGN_RIGHT : SM_ALIGN_LEFT;
	}
}

/* Put the text of v into cell (row, col). */
static sm_status put_cell(struct sm_ctx *ctx, struct sm_table *t, size_t row, size_t col,
			  const struct sm_res_cell *v)
{
	char *s = cell_text(v);
	if (!s)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	free(t->cells[row * t->ncols + col]);
	t->cells[row * t->ncols + col] = s;
	return SM_OK;
}

static sm_status fill_row(struct sm_ctx *ctx, struct sm_table *t, const struct sm_res_row *row)
{
	long r = sm_table_add_row(ctx, t);
	if (r < 0)
		return SM_EINTERNAL;
	sm_status st = SM_OK;
	for (size_t c = 0; st == SM_OK && c < t->ncols && c < row->cells.n; c++)
		st = put_cell(ctx, t, (size_t)r, c, &row->cells.v[c]);
	return st;
}

static struct sm_table *free_form(struct sm_ctx *ctx, const struct sm_res_table *spec,
				  const char *name)
{
	struct sm_table *t = sm_table_new(ctx, name, spec->columns.n);
	if (!t)
		return NULL;
	sm_status st = sm_table_set_title(ctx, t, spec->title, spec->footnote);
	for (size_t c = 0; st == SM_OK && c < t->ncols; c++)
		st = sm_table_set_header(ctx, t, c, spec->columns.v[c], SM_ALIGN_LEFT);
	for (size_t r = 0; st == SM_OK && r < spec->rows.n; r++)
		st = fill_row(ctx, t, &spec->rows.v[r]);
	guess_alignment(t);
	if (st != SM_OK) {
		sm_table_free(t);
		return NULL;
	}
	return t;
}

/* ---- study characteristics ------------------------------------------- */

static long key_index(const char *const *keys, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(keys[i], key))
			return (long)i;
	return -1;
}

/* Keys in order of first appearance over all studies (linear search per
 * characteristic: a review has a handful of distinct keys). */
static const char **char_keys(const struct sm_res *res, size_t *n)
{
	size_t cap = 0;
	for (size_t i = 0; i < res->review.studies.n; i++)
		cap += res->review.studies.v[i].characteristics.n;
	const char **keys = sm_alloc_array(cap ? cap : 1, sizeof *keys);
	*n = 0;
	for (size_t i = 0; keys && i < res->review.studies.n; i++) {
		const struct sm_res_study_info *s = &res->review.studies.v[i];
		for (size_t j = 0; j < s->characteristics.n; j++) {
			const char *key = s->characteristics.v[j].key;
			if (key && key_index(keys, *n, key) < 0)
				keys[(*n)++] = key;
		}
	}
	return keys;
}

/* One study's row: its label, then each key's value (the first one when a
 * study repeats a key). */
static sm_status study_row(struct sm_ctx *ctx, struct sm_table *t, const char *const *keys,
			   size_t nk, const struct sm_res_study_info *s, unsigned char *seen)
{
	long r = sm_table_add_row(ctx, t);
	if (r < 0)
		return SM_EINTERNAL;
	sm_status st = sm_table_set(ctx, t, (size_t)r, 0, s->label);
	memset(seen, 0, nk ? nk : 1);
	for (size_t j = 0; st == SM_OK && j < s->characteristics.n; j++) {
		const struct sm_res_char *ch = &s->characteristics.v[j];
		long c = ch->key ? key_index(keys, nk, ch->key) : -1;
		if (c < 0 || seen[c])
			continue;
		seen[c] = 1;
		st = put_cell(ctx, t, (size_t)r, (size_t)c + 1, &ch->value);
	}
	return st;
}

static struct sm_table *characteristics(struct sm_ctx *ctx, const struct sm_res *res)
{
	size_t nk;
	const char **keys = char_keys(res, &nk);
	unsigned char *seen = keys ? malloc(nk ? nk : 1) : NULL;
	struct sm_table *t = seen ? sm_table_new(ctx, "characteristics", nk + 1) : NULL;
	sm_status st = t ? sm_table_set_title(ctx, t, "Characteristics of included studies", NULL)
			 : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	if (st == SM_OK)
		st = sm_table_set_header(ctx, t, 0, "Study", SM_ALIGN_LEFT);
	for (size_t c = 0; st == SM_OK && c < nk; c++)
		st = sm_table_set_header(ctx, t, c + 1, keys[c], SM_ALIGN_LEFT);
	for (size_t i = 0; st == SM_OK && i < res->review.studies.n; i++)
		st = study_row(ctx, t, keys, nk, &res->review.studies.v[i], seen);
	free(seen);
	free(keys);
	if (st != SM_OK) {
		sm_table_free(t);
		return NULL;
	}
	guess_alignment(t);
	return t;
}

struct sm_table *sm_table_from_res(struct sm_ctx *ctx, const struct sm_res *res,
				   const char *name)
{
	if (!strcmp(name, "domains"))
		return sm_table_domains(ctx, res);
	if (!strcmp(name, "check"))
		return sm_table_check(ctx, res);
	if (!strcmp(name, "sensitivity"))
		return sm_table_sensitivity(ctx, res, NULL);
	if (!strncmp(name, SM_TABLE_SENS_PREFIX, strlen(SM_TABLE_SENS_PREFIX)))
		return sm_table_sensitivity(ctx, res, name + strlen(SM_TABLE_SENS_PREFIX));
	if (!strcmp(name, "rare_events"))
		return sm_table_rare_events(ctx, res);
	if (!strcmp(name, "sof"))
		return sm_table_sof(ctx, res);
	if (!strcmp(name, "characteristics") && has_characteristics(res))
		return characteristics(ctx, res);
	for (size_t i = 0; i < res->review.tables.n; i++) {
		const struct sm_res_table *spec = &res->review.tables.v[i];
		if (spec->id && !strcmp(spec->id, name))
			return free_form(ctx, spec, name);
	}
	sm_table_unknown(ctx, res, name);
	return NULL;
}

sm_status sm_table_unknown(struct sm_ctx *ctx, const struct sm_res *res, const char *name)
{
	struct sm_buf b;
	sm_buf_init(&b);
	size_t n = 0;
	const char **names = sm_table_names_in(res, &n);
	for (size_t i = 0; names && i < n; i++)
		sm_buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
	free(names);
	sm_status s = name ? SM_FAIL(ctx, SM_EINPUT, "no table '%s' in the results; expected "
				     "one of: %s", name, b.len ? b.data : "(none)")
			   : SM_FAIL(ctx, SM_EINPUT, "no table chosen; expected --table NAME, "
				     "one of: %s", b.len ? b.data : "(none)");
	sm_buf_release(&b);
	return s;
}
