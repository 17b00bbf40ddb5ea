/* Bare CSV reviews and the choice between CSV and JSON by name/content. */
#include "sm_review_read.h"

#include "sm_atomic.h"
#include "sm_buf.h"
#include "sm_dialect.h"
#include "sm_review_parts.h"
#include "sm_textfile.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* File name without folder and extension, made a safe id ([A-Za-z0-9_-]). */
static char *id_from_path(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	char *stem = strdup(base);
	if (!stem)
		return NULL;
	char *dot = strrchr(stem, '.');
	if (dot && dot != stem)
		*dot = '\0';
	char *id = sm_safe_filename(stem, 64);
	free(stem);
	for (char *p = id; p && *p; p++)
		if (*p == '.')
			*p = '-';
	return id;
}

struct sm_review *sm_rv_load_csv_text(struct sm_ctx *ctx, const char *path, const char *data,
				      size_t len, const struct sm_load_opts *load)
{
	struct sm_review *r = sm_review_new();
	char *id = id_from_path(path);
	if (!r || !id || !(r->path = sm_review_str(r, path)) || !(r->id = sm_review_str(r, id))) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		free(id);
		sm_review_free(r);
		return NULL;
	}
	free(id);
	r->title = r->id;
	struct sm_csv_src src = { path, data, len };
	struct sm_dialect_opts opts = { 0 };
	if (load) {
		opts.columns = load->columns;
		opts.n_columns = load->n_columns;
	}
	if (sm_dialect_read(ctx, &src, &opts, r) != SM_OK) {
		sm_review_free(r);
		return NULL;
	}
	sm_review_pack(r);
	return r;
}

struct sm_review *sm_review_load_csv(struct sm_ctx *ctx, const char *path)
{
	char *data = NULL;
	size_t len = 0;
	if (sm_textfile_load(ctx, path, &data, &len) != SM_OK)
		return NULL;
	struct sm_review *r = sm_rv_load_csv_text(ctx, path, data, len, NULL);
	free(data);
	return r;
}

struct sm_review *sm_review_parse_csv(struct sm_ctx *ctx, const char *path, const char *text,
				      size_t len)
{
	if (sm_textfile_check(ctx, path, text, len) != SM_OK)
		return NULL;
	char *copy = malloc(len + 1); /* the reader relies on a terminating NUL */
	if (!copy) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	memcpy(copy, text, len);
	copy[len] = '\0';
	struct sm_review *r = sm_rv_load_csv_text(ctx, path, copy, len, NULL);
	free(copy);
	return r;
}

static int has_ext(const char *path, const char *ext)
{
	size_t n = strlen(path), e = strlen(ext);
	return n > e && strcasecmp(path + n - e, ext) == 0;
}

/* The file is read once (it may be a pipe) and parsed from memory, under
 * the CSV limit unless the name says JSON; sniffed JSON gets its own limit
 * checked once in memory. */
struct sm_review *sm_review_load_any(struct sm_ctx *ctx, const char *path)
{
	return sm_review_load_any_opts(ctx, path, NULL);
}

struct sm_review *sm_review_load_any_opts(struct sm_ctx *ctx, const char *path,
					  const struct sm_load_opts *load)
{
	char *data = NULL;
	size_t len = 0;
	int json = has_ext(path, ".json");
	int csv = has_ext(path, ".csv") || has_ext(path, ".txt");
	size_t max = json ? SM_MAX_JSON_BYTES : SM_MAX_FILE_BYTES;
	const char *hint = json ? SM_RV_JSON_HINT : NULL;
	if (sm_textfile_load_max(ctx, path, max, hint, &data, &len) != SM_OK)
		return NULL;
	if (!json && !csv) {
		size_t i = sm_textfile_bom(data, len);
		while (i < len && strchr(" \t\r\n", data[i]))
			i++;
		json = i < len && data[i] == '{';
	}
	struct sm_review *r = NULL;
	if (json && len > SM_MAX_JSON_BYTES)
		sm_textfile_too_large(ctx, path, SM_MAX_JSON_BYTES, SM_RV_JSON_HINT);
	else
		r = json ? sm_rv_load_text(ctx, path, data, len, load)
			 : sm_rv_load_csv_text(ctx, path, data, len, load);
	free(data);
	return r;
}
