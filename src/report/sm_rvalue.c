#include "sm_rvalue.h"

#include "sm_buf.h"
#include "sm_words.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const roots[] = { "results", "review", "settings", "safemeta", "analysis",
				     "row", "report", NULL };
static const char *const formats[] = { "p", "name", "lower", "count", "join", "model",
				       "correction", "pooled", "heterogeneity", "small_study",
				       "influence", "unit", NULL };

static int in_list(const char *s, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == n && !strncmp(s, *list, n))
			return 1;
	return 0;
}

static int is_decimals(const char *s, size_t n)
{
	return n == 1 && s[0] >= '0' && s[0] <= '9';
}

static int path_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '-';
}

static sm_status check_one(struct sm_ctx *ctx, const char *path, long line, int col,
			   const char *s, size_t n, int in_each)
{
	while (n && *s == ' ') {
		s++;
		n--;
	}
	while (n && s[n - 1] == ' ')
		n--;
	const char *bar = memchr(s, '|', n);
	size_t plen = bar ? (size_t)(bar - s) : n;
	while (plen && s[plen - 1] == ' ')
		plen--;
	for (size_t i = 0; i < plen; i++)
		if (!path_char(s[i]))
			return SM_FAIL_POS(ctx, SM_EINPUT, path, (int)line, col, NULL,
					   "bad character '%c' in placeholder '%.*s'; expected "
					   "letters, digits, '_', '-' and dots", s[i], (int)n, s);
	size_t rlen = 0;
	while (rlen < plen && s[rlen] != '.')
		rlen++;
	if (!in_list(s, rlen, roots))
		return SM_FAIL_POS(ctx, SM_EINPUT, path, (int)line, col, NULL,
				   "unknown placeholder root '%.*s'; expected results, review, "
				   "settings, safemeta, analysis, row or report", (int)rlen, s);
	if (!in_each && (in_list(s, rlen, (const char *const[]){ "analysis", "row", NULL })))
		return SM_FAIL_POS(ctx, SM_EINPUT, path, (int)line, col, NULL,
				   "'%.*s' outside @each analysis; expected it inside the block",
				   (int)rlen, s);
	if (!bar)
		return SM_OK;
	const char *f = bar + 1;
	size_t flen = (size_t)(s + n - f);
	while (flen && *f == ' ') {
		f++;
		flen--;
	}
	if (!in_list(f, flen, formats) && !is_decimals(f, flen))
		return SM_FAIL_POS(ctx, SM_EINPUT, path, (int)line, col, NULL,
				   "unknown format '%.*s'; expected 0-9, p, name, lower, count, "
				   "join, model, correction, pooled, heterogeneity, small_study, influence or unit",
				   (int)flen, f);
	return SM_OK;
}

static int column_of(const char *text, const char *at)
{
	int col = 1;
	for (const char *c = text; c < at; c++)
		col += ((unsigned char)*c & 0xC0) != 0x80;
	return col;
}

sm_status sm_rvalue_check(struct sm_ctx *ctx, const char *path, long line, const char *text,
			  int in_each)
{
	const char *s = text;
	while ((s = strstr(s, "{{")) != NULL) {
		const char *e = strstr(s + 2, "}}");
		if (!e)
			return SM_FAIL_POS(ctx, SM_EINPUT, path, (int)line, column_of(text, s),
					   NULL, "placeholder not closed; expected }}");
		sm_status st = check_one(ctx, path, line, column_of(text, s), s + 2,
					 (size_t)(e - s - 2), in_each);
		if (st != SM_OK)
			return st;
		s = e + 2;
	}
	return SM_OK;
}

static const cJSON *root_value(const struct sm_rscope *sc, const char *root, size_t n)
{
	const cJSON *r = sc->results;
	if (n == 7 && !strncmp(root, "results", n))
		return r;
	if (n == 8 && !strncmp(root, "analysis", n))
		return sc->analysis;
	if (n == 3 && !strncmp(root, "row", n))
		return sc->row;
	if (n == 6 && !strncmp(root, "report", n))
		return sc->report;
	char key[16];
	snprintf(key, sizeof key, "%.*s", (int)n, root);
	return cJSON_GetObjectItemCaseSensitive(r, key);
}

static const cJSON *step(const cJSON *v, const char *key, size_t n)
{
	char buf[256];
	if (n >= sizeof buf)
		return NULL;
	memcpy(buf, key, n);
	buf[n] = '\0';
	if (cJSON_IsArray(v)) {
		/* digits only, accumulated with an overflow check: an index of
		 * 2^32 + 1 must not wrap to item 1 */
		size_t i = 0, size = (size_t)cJSON_GetArraySize(v);
		for (size_t j = 0; j < n; j++) {
			if (buf[j] < '0' || buf[j] > '9' || i > (SIZE_MAX - 9) / 10)
				return NULL;
			i = i * 10 + (size_t)(buf[j] - '0');
		}
		return n == 0 || i >= size ? NULL : cJSON_GetArrayItem(v, (int)i);
	}
	return cJSON_IsObject(v) ? cJSON_GetObjectItemCaseSensitive(v, buf) : NULL;
}

static sm_status lookup_at(struct sm_ctx *ctx, const struct sm_rscope *sc, const char *path,
			   int col, const cJSON **out)
{
	size_t n = strcspn(path, ".");
	if (!in_list(path, n, roots))
		return SM_FAIL_POS(ctx, SM_EINPUT, sc->path, (int)sc->line, col, NULL,
				   "unknown placeholder root '%.*s'", (int)n, path);
	const cJSON *v = root_value(sc, path, n);
	const char *s = path + n;
	/* below a null there is nothing: the value is null (printed n/a), not
	 * missing, so an optional statistic (egger when k < 3) needs no guard */
	while (v && !cJSON_IsNull(v) && *s == '.') {
		s++;
		size_t k = strcspn(s, ".");
		v = step(v, s, k);
		s += k;
	}
	*out = v;
	return SM_OK;
}

sm_status sm_rvalue_lookup(struct sm_ctx *ctx, const struct sm_rscope *sc, const char *path,
			   const cJSON **out)
{
	return lookup_at(ctx, sc, path, 1, out);
}

int sm_rvalue_present(const cJSON *v)
{
	if (!v || cJSON_IsNull(v) || cJSON_IsFalse(v))
		return 0;
	if (cJSON_IsString(v))
		return v->valuestring[0] != '\0';
	if (cJSON_IsArray(v) || cJSON_IsObject(v))
		return v->child != NULL;
	return 1;
}

/* A number as printed, with U+2212 for a minus and no "-0". */
void sm_rvalue_number(struct sm_buf *b, double v, int decimals)
{
	char tmp[64];
	if (!isfinite(v)) {
		sm_buf_puts(b, isnan(v) ? "n/a" : v > 0 ? "\u221e" : "\u2212\u221e");
		return;
	}
	if (decimals >= 0)
		snprintf(tmp, sizeof tmp, "%.*f", decimals, v);
	else if (v == floor(v) && fabs(v) < 1e15)
		snprintf(tmp, sizeof tmp, "%.0f", v);
	else
		snprintf(tmp, sizeof tmp, "%.4g", v);
	const char *s = tmp;
	if (*s == '-') {
		s++;
		if (strspn(s, "0.") != strlen(s))
			sm_buf_puts(b, "\u2212");
	}
	sm_buf_puts(b, s);
}

static void put_plain(struct sm_buf *b, const cJSON *v, int decimals);

static void put_join(struct sm_buf *b, const cJSON *v, int decimals)
{
	const cJSON *it;
	int first = 1;
	cJSON_ArrayForEach(it, v) {
		if (!first)
			sm_buf_puts(b, ", ");
		first = 0;
		put_plain(b, it, decimals);
	}
}

static void put_plain(struct sm_buf *b, const cJSON *v, int decimals)
{
	if (cJSON_IsNumber(v))
		sm_rvalue_number(b, v->valuedouble, decimals);
	else if (cJSON_IsString(v))
		sm_buf_puts(b, v->valuestring);
	else if (cJSON_IsBool(v))
		sm_buf_puts(b, cJSON_IsTrue(v) ? "yes" : "no");
	else if (cJSON_IsArray(v))
		put_join(b, v, decimals);
	else
		sm_buf_puts(b, "n/a");
}

/* The continuity correction of a settings object, as a sentence. */
static void put_correction(struct sm_buf *b, const cJSON *settings)
{
	const cJSON *add = cJSON_GetObjectItemCaseSensitive(settings, "add");
	const cJSON *to = cJSON_GetObjectItemCaseSensitive(settings, "to");
	const cJSON *drop = cJSON_GetObjectItemCaseSensitive(settings, "drop00");
	const cJSON *measure = cJSON_GetObjectItemCaseSensitive(settings, "measure");
	if (cJSON_IsString(measure) && !strcmp(measure->valuestring, "GEN")) {
		sm_buf_puts(b, "Effect sizes and variances were taken as given.");
		return;
	}
	if (!cJSON_IsNumber(add) || add->valuedouble == 0 || !cJSON_IsString(to) ||
	    !strcmp(to->valuestring, "none")) {
		sm_buf_puts(b, "No continuity correction was applied.");
		return;
	}
	sm_rvalue_number(b, add->valuedouble, -1);
	sm_buf_printf(b, " was added to every cell of %s; studies without events in either "
		      "arm were %s.", sm_words(to->valuestring),
		      cJSON_IsTrue(drop) ? "left out" : "kept");
}

static sm_status put_value(struct sm_ctx *ctx, const struct sm_rscope *sc, struct sm_buf *b,
			   const char *path, const char *fmt, const cJSON *v, int col)
{
	if (!strcmp(fmt, "correction") && cJSON_IsObject(v)) {
		put_correction(b, v);
		return SM_OK;
	}
	if (cJSON_IsObject(v) && sm_rvalue_analysis_words(b, fmt, v))
		return SM_OK;
	if (!strcmp(fmt, "model") && cJSON_IsString(v)) {
		sm_buf_puts(b, sm_words_model_sentence(v->valuestring));
		return SM_OK;
	}
	if (cJSON_IsObject(v) && strcmp(fmt, "count") != 0)
		return SM_FAIL_POS(ctx, SM_EINPUT, sc->path, (int)sc->line, col, NULL,
				   "'%s' is a group of values; expected a key inside it "
				   "(or |count)", path);
	if (!strcmp(fmt, "count")) {
		if (!cJSON_IsArray(v) && !cJSON_IsObject(v))
			return SM_FAIL_POS(ctx, SM_EINPUT, sc->path, (int)sc->line, col, NULL,
					   "'%s' is not a list; expected a list with |count",
					   path);
		sm_rvalue_number(b, cJSON_GetArraySize(v), -1);
	} else if (!strcmp(fmt, "p") && cJSON_IsNumber(v)) {
		if (v->valuedouble < 0.001)
			sm_buf_puts(b, "< 0.001");
		else
			sm_rvalue_number(b, v->valuedouble, 3);
	} else if (!strcmp(fmt, "name") && cJSON_IsString(v)) {
		sm_buf_puts(b, sm_words(v->valuestring));
	} else if (!strcmp(fmt, "lower") && cJSON_IsString(v)) {
		size_t at = b->len;
		sm_buf_puts(b, v->valuestring);
		for (size_t i = at; b->data && i < b->len; i++)
			if (b->data[i] >= 'A' && b->data[i] <= 'Z')
				b->data[i] = (char)(b->data[i] - 'A' + 'a');
	} else {
		put_plain(b, v, fmt[0] >= '0' && fmt[0] <= '9' ? fmt[0] - '0' : -1);
	}
	return SM_OK;
}

static sm_status expand_one(struct sm_ctx *ctx, const struct sm_rscope *sc, struct sm_buf *b,
			    const char *s, size_t n, int col)
{
	char buf[512];
	snprintf(buf, sizeof buf, "%.*s", (int)n, s);
	char *path = buf, *fmt = strchr(buf, '|');
	if (fmt)
		*fmt++ = '\0';
	while (*path == ' ')
		path++;
	for (char *e = path + strlen(path); e > path && e[-1] == ' ';)
		*--e = '\0';
	while (fmt && *fmt == ' ')
		fmt++;
	for (char *e = fmt ? fmt + strlen(fmt) : NULL; e && e > fmt && e[-1] == ' ';)
		*--e = '\0';
	const cJSON *v = NULL;
	sm_status st = lookup_at(ctx, sc, path, col, &v);
	if (st != SM_OK)
		return st;
	if (!v)
		return SM_FAIL_POS(ctx, SM_EINPUT, sc->path, (int)sc->line, col, NULL,
				   "no value '%s' in the results; expected an existing key "
				   "(guard optional ones with @if)", path);
	return put_value(ctx, sc, b, path, fmt ? fmt : "", v, col);
}

char *sm_rvalue_expand(struct sm_ctx *ctx, const struct sm_rscope *sc, const char *text)
{
	struct sm_buf b;
	sm_buf_init(&b);
	const char *s = text;
	sm_status st = SM_OK;
	for (const char *p; st == SM_OK && (p = strstr(s, "{{")) != NULL;) {
		const char *e = strstr(p + 2, "}}");
		if (!e) {
			st = SM_FAIL_POS(ctx, SM_EINPUT, sc->path, (int)sc->line,
					 column_of(text, p), NULL,
					 "placeholder not closed; expected }}");
			break;
		}
		sm_buf_append(&b, s, (size_t)(p - s));
		/* the column of the placeholder in the text (its line's, for a
		 * one-line paragraph) */
		st = expand_one(ctx, sc, &b, p + 2, (size_t)(e - p - 2), column_of(text, p));
		s = e + 2;
	}
	if (st != SM_OK) {
		sm_buf_release(&b);
		return NULL;
	}
	sm_buf_puts(&b, s);
	char *out = sm_buf_take(&b);
	if (!out)
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	return out;
}
