#include "sm_check_accept.h"

#include "sm_buf.h"
#include "sm_json_pos.h"
#include "sm_json_out.h"
#include "sm_strmap.h"
#include "sm_textfile.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One accepted finding as read from the file. */
struct accepted {
	const char *kind, *analysis, *field;
	double reported, computed;
	char *id;     /* kind \x1f analysis \x1f field (owned) */
	size_t next;  /* next accepted finding of the same identity, or SIZE_MAX */
	int used;
};

struct reader {
	struct sm_ctx *ctx;
	const char *path, *text;
	size_t len;
};

static sm_status fail_at(const struct reader *r, const char *field, const char *what)
{
	size_t off = 0;
	if (!sm_json_locate_str(r->text, r->len, field, &off))
		off = 0;
	return sm_textfile_fail(r->ctx, r->path, r->text, r->len, off, field,
				"field '%s': %s", field, what);
}

static char *identity(const char *kind, const char *analysis, const char *field)
{
	return sm_asprintf("%s\x1f%s\x1f%s", kind, analysis ? analysis : "", field ? field : "");
}

/* A string member, or null when nullable; *ok = 0 when neither. */
static const char *opt_str(const cJSON *o, const char *key, int nullable, int *ok)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	if (cJSON_IsString(v))
		return v->valuestring;
	*ok = nullable && (!v || cJSON_IsNull(v));
	return NULL;
}

static double opt_num(const cJSON *o, const char *key, int *ok)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	if (cJSON_IsNumber(v))
		return v->valuedouble;
	*ok = !v || cJSON_IsNull(v);
	return NAN;
}

static sm_status read_one(const struct reader *r, const cJSON *f, size_t i, struct accepted *a)
{
	char field[96];
	static const char *const keys[] = { "kind", "analysis", "field", "reported", "computed" };
	for (int k = 0; k < 5; k++) {
		int ok = 1;
		if (k == 0)
			a->kind = opt_str(f, "kind", 0, &ok);
		else if (k == 1)
			a->analysis = opt_str(f, "analysis", 1, &ok);
		else if (k == 2)
			a->field = opt_str(f, "field", 1, &ok);
		else if (k == 3)
			a->reported = opt_num(f, "reported", &ok);
		else
			a->computed = opt_num(f, "computed", &ok);
		if (!ok) {
			snprintf(field, sizeof field, "findings[%zu].%s", i, keys[k]);
			return fail_at(r, field, k == 0 ? "expected the finding's kind (a string)"
					   : k < 3 ? "expected a string or null"
						   : "expected a number or null");
		}
	}
	a->id = identity(a->kind, a->analysis, a->field);
	a->next = SIZE_MAX;
	return a->id ? SM_OK : SM_FAIL(r->ctx, SM_EINTERNAL, "out of memory");
}

static int same_number(double a, double b, double rel)
{
	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b);
	return fabs(a - b) <= rel * fmax(fabs(a), fabs(b)) + 1e-12;
}

static void describe(struct sm_buf *b, const char *what, const char *kind, const char *analysis,
		     const char *field)
{
	sm_buf_printf(b, "%s: %s finding", what, kind);
	if (analysis)
		sm_buf_printf(b, " in '%s'", analysis);
	if (field)
		sm_buf_printf(b, " (%s)", field);
}

static void number(struct sm_buf *b, double v)
{
	char s[40];
	if (isnan(v))
		sm_buf_puts(b, "none");
	else {
		sm_json_shortest(s, sizeof s, v);
		sm_buf_puts(b, s);
	}
}

static const char *kind_of(const struct sm_check *now, const cJSON *j, size_t i)
{
	(void)now;
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(j, (int)i), "kind");
	return cJSON_IsString(k) ? k->valuestring : "?";
}

/* Match the findings found now against the accepted ones. */
static sm_status compare(struct sm_ctx *ctx, const struct sm_check *now, struct accepted *acc,
			 size_t n, struct sm_check_accept *out)
{
	struct sm_strmap *map = sm_strmap_new();
	size_t *tail = sm_alloc_array(n ? n : 1, sizeof *tail);
	cJSON *nowj = sm_check_json(now);
	const cJSON *nowf = cJSON_GetObjectItemCaseSensitive(nowj, "findings");
	sm_status st = map && tail && nowj ? SM_OK : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	for (size_t i = 0; st == SM_OK && i < n; i++) {
		size_t head;
		int put = sm_strmap_put(map, acc[i].id, i, &head);
		if (put < 0)
			st = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		else if (put == 1)
			tail[i] = i;
		else {
			acc[tail[head]].next = i;
			tail[head] = i;
		}
	}
	struct sm_buf b;
	sm_buf_init(&b);
	for (size_t i = 0; st == SM_OK && i < now->n_findings; i++) {
		const struct sm_check_finding *f = &now->findings[i];
		const char *kind = kind_of(now, nowf, i);
		char *id = identity(kind, f->analysis, f->field);
		size_t j = SIZE_MAX;
		if (!id) {
			st = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
			break;
		}
		if (sm_strmap_get(map, id, &j))
			while (j != SIZE_MAX && acc[j].used)
				j = acc[j].next;
		free(id);
		if (j == SIZE_MAX) {
			out->added++;
			describe(&b, "new", kind, f->analysis, f->field);
			sm_buf_printf(&b, ": %s\n", f->message);
			continue;
		}
		acc[j].used = 1;
		if (same_number(acc[j].reported, f->reported, 1e-9) &&
		    same_number(acc[j].computed, f->computed, 1e-6)) {
			out->unchanged++;
			continue;
		}
		out->changed++;
		describe(&b, "changed", kind, f->analysis, f->field);
		sm_buf_puts(&b, ": reported ");
		number(&b, acc[j].reported);
		sm_buf_puts(&b, " -> ");
		number(&b, f->reported);
		sm_buf_puts(&b, ", computed ");
		number(&b, acc[j].computed);
		sm_buf_puts(&b, " -> ");
		number(&b, f->computed);
		sm_buf_printf(&b, "; now: %s\n", f->message);
	}
	for (size_t j = 0; st == SM_OK && j < n; j++) {
		if (acc[j].used)
			continue;
		out->resolved++;
		describe(&b, "resolved", acc[j].kind, acc[j].analysis, acc[j].field);
		sm_buf_puts(&b, ": accepted, no longer found\n");
	}
	sm_buf_printf(&b, "accepted findings: %zu unchanged, %zu new, %zu changed, %zu resolved\n",
		      out->unchanged, out->added, out->changed, out->resolved);
	out->text = sm_buf_take(&b);
	if (st == SM_OK && !out->text)
		st = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	cJSON_Delete(nowj);
	free(tail);
	sm_strmap_free(map);
	return st;
}

sm_status sm_check_accept_run(struct sm_ctx *ctx, const struct sm_check *now, const char *path,
			      struct sm_check_accept *out)
{
	memset(out, 0, sizeof *out);
	char *text = NULL;
	size_t len = 0;
	sm_status st = sm_textfile_load(ctx, path, &text, &len);
	if (st != SM_OK)
		return st;
	struct reader r = { ctx, path, text, len };
	size_t off = 0;
	char *msg = NULL;
	cJSON *doc = NULL;
	int scan = sm_json_scan(text, len, &off, &msg);
	if (scan == SM_JSON_SCAN_NOMEM) {
		st = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	} else if (scan != 0) {
		st = sm_textfile_fail(ctx, path, text, len, off, NULL, "%s", msg);
		free(msg);
	} else if (!(doc = cJSON_ParseWithLength(text, len))) {
		st = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(doc, "findings");
	if (st == SM_OK && !cJSON_IsArray(list))
		st = sm_textfile_fail(ctx, path, text, len, 0, "findings",
				      "field 'findings': missing or not a list; expected the findings "
				      "file that 'safemeta check -o' writes");
	size_t n = st == SM_OK ? (size_t)cJSON_GetArraySize(list) : 0;
	struct accepted *acc = st == SM_OK ? calloc(n ? n : 1, sizeof *acc) : NULL;
	if (st == SM_OK && !acc)
		st = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	size_t i = 0;
	const cJSON *f;
	cJSON_ArrayForEach(f, list) {
		if (st != SM_OK)
			break;
		if (!cJSON_IsObject(f)) {
			char field[48];
			snprintf(field, sizeof field, "findings[%zu]", i);
			st = fail_at(&r, field, "expected an object (a finding)");
			break;
		}
		st = read_one(&r, f, i, &acc[i]);
		i++;
	}
	out->accepted = n;
	if (st == SM_OK)
		st = compare(ctx, now, acc, n, out);
	for (size_t j = 0; acc && j < n; j++)
		free(acc[j].id);
	free(acc);
	cJSON_Delete(doc);
	free(text);
	return st;
}

void sm_check_accept_release(struct sm_check_accept *a)
{
	free(a->text);
	a->text = NULL;
}
