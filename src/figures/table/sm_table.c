/* The table model and the tables a review carries (characteristics and
 * free-form tables). */
#include "sm_table.h"

#include "sm_buf.h"
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

/* ---- what the results document offers -------------------------------- */

const cJSON *sm_table_review(const cJSON *results, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(results, "review"), key);
}

static int has_characteristics(const cJSON *results)
{
	const cJSON *s;
	cJSON_ArrayForEach(s, sm_table_review(results, "studies"))
		if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(s, "characteristics")))
			return 1;
	return 0;
}

const char **sm_table_names(const cJSON *results, size_t *n)
{
	const cJSON *tables = sm_table_review(results, "tables");
	size_t cap = (size_t)cJSON_GetArraySize(tables) + 2;
	const char **names = sm_alloc_array(cap, sizeof *names);
	*n = 0;
	if (!names)
		return NULL;
	if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(results, "domain_table")))
		names[(*n)++] = "domains";
	if (has_characteristics(results))
		names[(*n)++] = "characteristics";
	const cJSON *t;
	cJSON_ArrayForEach(t, tables) {
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(t, "id");
		if (cJSON_IsString(id))
			names[(*n)++] = id->valuestring;
	}
	return names;
}

/* A free-form cell: text as is, a number in its shortest form. */
static char *cell_text(const cJSON *v)
{
	if (cJSON_IsString(v))
		return strdup(v->valuestring);
	if (cJSON_IsNumber(v)) {
		char buf[64];
		for (int prec = 1; prec <= 17; prec++) {
			snprintf(buf, sizeof buf, "%.*g", prec, v->valuedouble);
			if (strtod(buf, NULL) == v->valuedouble)
				break;
		}
		return strdup(buf);
	}
	if (cJSON_IsBool(v))
		return strdup(cJSON_IsTrue(v) ? "true" : "false");
	return strdup("");
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

static sm_status fill_row(struct sm_ctx *ctx, struct sm_table *t, const cJSON *row)
{
	long r = sm_table_add_row(ctx, t);
	if (r < 0)
		return SM_EINTERNAL;
	for (size_t c = 0; c < t->ncols; c++) {
		char *s = cell_text(cJSON_GetArrayItem(row, (int)c));
		if (!s)
			return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		free(t->cells[(size_t)r * t->ncols + c]);
		t->cells[(size_t)r * t->ncols + c] = s;
	}
	return SM_OK;
}

static struct sm_table *free_form(struct sm_ctx *ctx, const cJSON *spec, const char *name)
{
	const cJSON *cols = cJSON_GetObjectItemCaseSensitive(spec, "columns");
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(spec, "rows");
	struct sm_table *t = sm_table_new(ctx, name, (size_t)cJSON_GetArraySize(cols));
	if (!t)
		return NULL;
	const cJSON *title = cJSON_GetObjectItemCaseSensitive(spec, "title");
	const cJSON *foot = cJSON_GetObjectItemCaseSensitive(spec, "footnote");
	sm_status st = sm_table_set_title(ctx, t, cJSON_IsString(title) ? title->valuestring : NULL,
					  cJSON_IsString(foot) ? foot->valuestring : NULL);
	for (size_t c = 0; st == SM_OK && c < t->ncols; c++) {
		const cJSON *h = cJSON_GetArrayItem(cols, (int)c);
		st = sm_table_set_header(ctx, t, c, cJSON_IsString(h) ? h->valuestring : "",
					 SM_ALIGN_LEFT);
	}
	const cJSON *row;
	cJSON_ArrayForEach(row, rows) {
		if (st == SM_OK)
			st = fill_row(ctx, t, row);
	}
	guess_alignment(t);
	if (st != SM_OK) {
		sm_table_free(t);
		return NULL;
	}
	return t;
}

/* ---- study characteristics ------------------------------------------- */

/* Keys in order of first appearance over all studies. */
static const char **char_keys(const cJSON *studies, size_t *n)
{
	size_t cap = 0;
	const cJSON *s, *kv;
	cJSON_ArrayForEach(s, studies)
		cap += (size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(s, "characteristics"));
	const char **keys = sm_alloc_array(cap ? cap : 1, sizeof *keys);
	*n = 0;
	cJSON_ArrayForEach(s, studies) {
		cJSON_ArrayForEach(kv, cJSON_GetObjectItemCaseSensitive(s, "characteristics")) {
			size_t i = 0;
			while (keys && i < *n && strcmp(keys[i], kv->string))
				i++;
			if (keys && i == *n)
				keys[(*n)++] = kv->string;
		}
	}
	return keys;
}

static struct sm_table *characteristics(struct sm_ctx *ctx, const cJSON *results)
{
	const cJSON *studies = sm_table_review(results, "studies");
	size_t nk;
	const char **keys = char_keys(studies, &nk);
	struct sm_table *t = keys ? sm_table_new(ctx, "characteristics", nk + 1) : NULL;
	sm_status st = t ? sm_table_set_title(ctx, t, "Characteristics of included studies", NULL)
			 : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	if (st == SM_OK)
		st = sm_table_set_header(ctx, t, 0, "Study", SM_ALIGN_LEFT);
	for (size_t c = 0; st == SM_OK && c < nk; c++)
		st = sm_table_set_header(ctx, t, c + 1, keys[c], SM_ALIGN_LEFT);
	const cJSON *s;
	cJSON_ArrayForEach(s, studies) {
		long r = st == SM_OK ? sm_table_add_row(ctx, t) : -1;
		if (r < 0) {
			st = SM_EINTERNAL;
			break;
		}
		const cJSON *label = cJSON_GetObjectItemCaseSensitive(s, "label");
		st = sm_table_set(ctx, t, (size_t)r, 0, cJSON_IsString(label) ? label->valuestring : "");
		const cJSON *ch = cJSON_GetObjectItemCaseSensitive(s, "characteristics");
		for (size_t c = 0; st == SM_OK && c < nk; c++) {
			char *v = cell_text(cJSON_GetObjectItemCaseSensitive(ch, keys[c]));
			st = v ? sm_table_set(ctx, t, (size_t)r, c + 1, v)
			       : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
			free(v);
		}
	}
	free(keys);
	if (st != SM_OK) {
		sm_table_free(t);
		return NULL;
	}
	guess_alignment(t);
	return t;
}

struct sm_table *sm_table_from_results(struct sm_ctx *ctx, const cJSON *results,
				       const char *name)
{
	if (!strcmp(name, "domains"))
		return sm_table_domains(ctx, results);
	if (!strcmp(name, "characteristics") && has_characteristics(results))
		return characteristics(ctx, results);
	const cJSON *t;
	cJSON_ArrayForEach(t, sm_table_review(results, "tables")) {
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(t, "id");
		if (cJSON_IsString(id) && !strcmp(id->valuestring, name))
			return free_form(ctx, t, name);
	}
	struct sm_buf b;
	sm_buf_init(&b);
	size_t n = 0;
	const char **names = sm_table_names(results, &n);
	for (size_t i = 0; names && i < n; i++)
		sm_buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
	free(names);
	SM_FAIL(ctx, SM_EINPUT, "no table '%s' in the results; expected one of: %s", name,
		b.len ? b.data : "(none)");
	sm_buf_release(&b);
	return NULL;
}
