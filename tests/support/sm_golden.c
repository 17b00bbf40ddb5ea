#include "sm_golden.h"

#include "sm_buf.h"
#include "sm_test.h"

#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct sm_golden {
	cJSON *root;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **sm_golden_datasets(size_t *n)
{
	*n = 0;
	char *dir = sm_test_path("tests/golden");
	DIR *d = dir ? opendir(dir) : NULL;
	char **list = NULL;
	size_t cap = 0;
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *p = sm_asprintf("%s/%s/expected.json", dir, e->d_name);
		struct stat sb;
		int ok = p && stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
		free(p);
		if (!ok)
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 8;
			char **nl = realloc(list, cap * sizeof *nl);
			if (!nl)
				break;
			list = nl;
		}
		list[(*n)++] = strdup(e->d_name);
	}
	if (d)
		closedir(d);
	free(dir);
	if (list)
		qsort(list, *n, sizeof *list, cmp_str);
	return list;
}

struct sm_golden *sm_golden_load(const char *name)
{
	char *rel = sm_asprintf("tests/golden/%s/expected.json", name);
	char *path = rel ? sm_test_path(rel) : NULL;
	free(rel);
	char *text = NULL;
	int rc = path ? sm_read_file(path, 0, &text, NULL) : -1;
	free(path);
	if (rc != 0)
		return NULL;
	cJSON *root = cJSON_Parse(text);
	free(text);
	struct sm_golden *g = root ? calloc(1, sizeof *g) : NULL;
	if (!g) {
		cJSON_Delete(root);
		return NULL;
	}
	g->root = root;
	return g;
}

void sm_golden_free(struct sm_golden *g)
{
	if (!g)
		return;
	cJSON_Delete(g->root);
	free(g);
}

const cJSON *sm_golden_root(const struct sm_golden *g)
{
	return g ? g->root : NULL;
}

const cJSON *sm_golden_get(const cJSON *node, const char *path)
{
	char part[512];
	while (node && path && *path) {
		size_t len = strcspn(path, "/");
		if (len >= sizeof part)
			return NULL;
		memcpy(part, path, len);
		part[len] = 0;
		path += len + (path[len] == '/');
		if (cJSON_IsArray(node)) {
			char *end;
			long i = strtol(part, &end, 10);
			node = *end || i < 0 ? NULL : cJSON_GetArrayItem(node, (int)i);
		} else {
			node = cJSON_GetObjectItemCaseSensitive(node, part);
		}
	}
	return node;
}

const char *sm_golden_str(const cJSON *node, const char *path)
{
	const cJSON *n = sm_golden_get(node, path);
	return cJSON_IsString(n) ? n->valuestring : NULL;
}

static double note_value(const char *note)
{
	if (note && strcmp(note, "Inf") == 0)
		return INFINITY;
	if (note && strcmp(note, "-Inf") == 0)
		return -INFINITY;
	return NAN;
}

/* The note of `path`'s last component: sibling "<key>_note". */
static const cJSON *note_of(const cJSON *node, const char *path)
{
	char *np = sm_asprintf("%s_note", path);
	const cJSON *n = np ? sm_golden_get(node, np) : NULL;
	free(np);
	return n;
}

static int decode(const cJSON *v, double *out)
{
	if (cJSON_IsNumber(v)) {
		*out = v->valuedouble;
		return 1;
	}
	if (cJSON_IsBool(v)) {
		*out = cJSON_IsTrue(v) ? 1 : 0;
		return 1;
	}
	return 0;
}

int sm_golden_num(const cJSON *node, const char *path, double *out)
{
	const cJSON *v = sm_golden_get(node, path);
	if (decode(v, out))
		return 1;
	if (!cJSON_IsNull(v))
		return 0;
	const cJSON *note = note_of(node, path);
	*out = note_value(cJSON_IsString(note) ? note->valuestring : NULL);
	return 1;
}

int sm_golden_num_at(const cJSON *node, const char *path, size_t i, double *out)
{
	const cJSON *arr = sm_golden_get(node, path);
	if (!cJSON_IsArray(arr))
		return 0;
	const cJSON *v = cJSON_GetArrayItem(arr, (int)i);
	if (decode(v, out))
		return 1;
	if (!cJSON_IsNull(v))
		return 0;
	*out = NAN;
	const cJSON *note = note_of(node, path), *kind;
	cJSON_ArrayForEach(kind, note) {
		const cJSON *pos;
		cJSON_ArrayForEach(pos, kind) {
			if (cJSON_IsNumber(pos) && (size_t)pos->valuedouble == i + 1)
				*out = note_value(kind->string);
		}
	}
	return 1;
}

size_t sm_golden_len(const cJSON *node, const char *path)
{
	const cJSON *arr = sm_golden_get(node, path);
	return cJSON_IsArray(arr) ? (size_t)cJSON_GetArraySize(arr) : 0;
}

/* ---- input.csv (RFC 4180) ---------------------------------------------- */

struct row_builder {
	char **cells;
	size_t n, cap;
};

static int push_cell(struct row_builder *r, struct sm_buf *b)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 8;
		char **nc = realloc(r->cells, r->cap * sizeof *nc);
		if (!nc)
			return -1;
		r->cells = nc;
	}
	char *s = sm_buf_take(b);
	r->cells[r->n++] = s ? s : strdup("");
	return 0;
}

/* Parse one record starting at *p; returns 0 at end of input. */
static int parse_record(const char **p, struct row_builder *r)
{
	const char *s = *p;
	if (!*s)
		return 0;
	struct sm_buf b;
	sm_buf_init(&b);
	for (;;) {
		if (*s == '"') {
			s++;
			while (*s && !(*s == '"' && s[1] != '"')) {
				if (*s == '"')
					s++;
				sm_buf_putc(&b, *s++);
			}
			if (*s == '"')
				s++;
		}
		while (*s && *s != ',' && *s != '\n' && *s != '\r')
			sm_buf_putc(&b, *s++);
		if (push_cell(r, &b)) {
			sm_buf_release(&b);
			return -1;
		}
		if (*s == ',') {
			s++;
			continue;
		}
		break;
	}
	if (*s == '\r')
		s++;
	if (*s == '\n')
		s++;
	*p = s;
	sm_buf_release(&b);
	return 1;
}

struct sm_golden_csv *sm_golden_csv_load(const char *name)
{
	char *rel = sm_asprintf("tests/golden/%s/input.csv", name);
	char *path = rel ? sm_test_path(rel) : NULL;
	free(rel);
	char *text = NULL;
	int rc = path ? sm_read_file(path, 0, &text, NULL) : -1;
	free(path);
	if (rc != 0)
		return NULL;
	struct sm_golden_csv *c = calloc(1, sizeof *c);
	const char *p = text;
	struct row_builder hdr = {0};
	if (!c || parse_record(&p, &hdr) != 1) {
		free(c);
		free(text);
		return NULL;
	}
	c->ncol = hdr.n;
	c->names = hdr.cells;
	c->cells = calloc(c->ncol, sizeof *c->cells);
	size_t cap = 0;
	struct row_builder r = {0};
	while (c->cells && parse_record(&p, &r) == 1) {
		if (r.n == 1 && r.cells[0][0] == 0) { /* blank line */
			free(r.cells[0]);
			r.n = 0;
			continue;
		}
		if (c->nrow == cap) {
			cap = cap ? 2 * cap : 64;
			for (size_t j = 0; j < c->ncol; j++)
				c->cells[j] = realloc(c->cells[j], cap * sizeof(char *));
		}
		for (size_t j = 0; j < c->ncol; j++)
			c->cells[j][c->nrow] = j < r.n ? r.cells[j] : strdup("");
		for (size_t j = c->ncol; j < r.n; j++)
			free(r.cells[j]);
		r.n = 0;
		c->nrow++;
	}
	free(r.cells);
	free(text);
	return c;
}

void sm_golden_csv_free(struct sm_golden_csv *c)
{
	if (!c)
		return;
	for (size_t j = 0; j < c->ncol; j++) {
		for (size_t i = 0; c->cells && c->cells[j] && i < c->nrow; i++)
			free(c->cells[j][i]);
		if (c->cells)
			free(c->cells[j]);
		free(c->names[j]);
	}
	free(c->cells);
	free(c->names);
	free(c);
}

int sm_golden_csv_col(const struct sm_golden_csv *c, const char *name)
{
	for (size_t j = 0; j < c->ncol; j++)
		if (strcmp(c->names[j], name) == 0)
			return (int)j;
	return -1;
}

static double table_cell(const struct sm_golden_csv *csv, const char *col, size_t row)
{
	int c = sm_golden_csv_col(csv, col);
	assert_true(c >= 0);
	assert_true(row < csv->nrow);
	return strtod(csv->cells[c][row], NULL);
}

void sm_golden_tables_load(const struct sm_golden_csv *csv, const cJSON *analysis,
			   struct sm_golden_tables *t)
{
	t->k = sm_golden_len(analysis, "rows");
	assert_true(t->k > 0);
	t->ai = calloc(t->k, sizeof(double));
	t->n1i = calloc(t->k, sizeof(double));
	t->ci = calloc(t->k, sizeof(double));
	t->n2i = calloc(t->k, sizeof(double));
	assert_true(t->ai && t->n1i && t->ci && t->n2i);
	for (size_t i = 0; i < t->k; i++) {
		double row;
		assert_true(sm_golden_num_at(analysis, "rows", i, &row));
		size_t r = (size_t)row - 1;
		t->ai[i] = table_cell(csv, "ai", r);
		t->n1i[i] = table_cell(csv, "n1i", r);
		t->ci[i] = table_cell(csv, "ci", r);
		t->n2i[i] = table_cell(csv, "n2i", r);
	}
}

void sm_golden_tables_release(struct sm_golden_tables *t)
{
	free(t->ai);
	free(t->n1i);
	free(t->ci);
	free(t->n2i);
}
