#include "sm_json_pos.h"

#include "sm_buf.h"
#include "sm_limits.h"
#include "sm_strmap.h"
#include "sm_textfile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct scan {
	const char *t;
	size_t len, i;
	int depth;
	size_t err_off; /* first error only */
	char *msg;
	int failed;
	int nomem; /* the failure is memory, not the text */
};

static int fail(struct scan *s, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct scan *s, size_t off, const char *fmt, ...)
{
	if (s->failed)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	s->msg = sm_vasprintf(fmt, ap);
	va_end(ap);
	s->err_off = off;
	s->failed = 1;
	s->nomem = !s->msg;
	return -1;
}

static int fail_nomem(struct scan *s, size_t off)
{
	if (s->failed)
		return -1;
	s->err_off = off;
	s->failed = 1;
	s->nomem = 1;
	return -1;
}

static void skip_ws(struct scan *s)
{
	while (s->i < s->len) {
		char c = s->t[s->i];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		s->i++;
	}
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Reads 4 hex digits at s->i; -1 when they are not there. */
static long hex4(struct scan *s)
{
	if (s->len - s->i < 4)
		return -1;
	long v = 0;
	for (int k = 0; k < 4; k++) {
		int h = hexval(s->t[s->i + k]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	s->i += 4;
	return v;
}

static void put_utf8(struct sm_buf *b, unsigned long cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	sm_buf_append(b, u, n);
}

/* \uXXXX (the backslash and 'u' already read), with surrogate pairs. */
static int scan_unicode(struct scan *s, size_t esc, struct sm_buf *out)
{
	long hi = hex4(s);
	if (hi < 0)
		return fail(s, esc, "invalid \\u escape; expected four hex digits");
	unsigned long cp = (unsigned long)hi;
	if (hi >= 0xDC00 && hi <= 0xDFFF)
		return fail(s, esc, "lone UTF-16 low surrogate in \\u escape; expected a "
			    "high surrogate first");
	if (hi >= 0xD800 && hi <= 0xDBFF) {
		long lo = -1;
		if (s->len - s->i >= 2 && s->t[s->i] == '\\' && s->t[s->i + 1] == 'u') {
			s->i += 2;
			lo = hex4(s);
		}
		if (lo < 0xDC00 || lo > 0xDFFF)
			return fail(s, esc, "unpaired UTF-16 high surrogate in \\u escape; "
				    "expected a \\uDC00-\\uDFFF escape after it");
		cp = 0x10000 + (((unsigned long)hi - 0xD800) << 10) + ((unsigned long)lo - 0xDC00);
	}
	if (cp == 0)
		return fail(s, esc, "\\u0000 in a string; expected no NUL characters");
	if (out)
		put_utf8(out, cp);
	return 0;
}

static int scan_escape(struct scan *s, struct sm_buf *out)
{
	size_t esc = s->i - 1;
	if (s->i >= s->len)
		return fail(s, esc, "unterminated string; expected a closing '\"'");
	char c = s->t[s->i++];
	const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
	const char *p = strchr(from, c);
	if (c == 'u')
		return scan_unicode(s, esc, out);
	if (!p || !c)
		return fail(s, esc, "invalid escape '\\%c'; expected one of \\\" \\\\ \\/ \\b "
			    "\\f \\n \\r \\t \\uXXXX", c);
	if (out)
		sm_buf_putc(out, to[p - from]);
	return 0;
}

/* A string starting at the '"' at s->i; decoded into out when not NULL. */
static int scan_string(struct scan *s, struct sm_buf *out)
{
	size_t start = s->i++;
	while (s->i < s->len) {
		unsigned char c = (unsigned char)s->t[s->i];
		if (c == '"') {
			s->i++;
			return 0;
		}
		if (c < 0x20)
			return fail(s, s->i, "control character in a string; expected it "
				    "escaped (e.g. \\n)");
		s->i++;
		if (c == '\\') {
			if (scan_escape(s, out) != 0)
				return -1;
		} else if (out) {
			sm_buf_putc(out, (char)c);
		}
	}
	return fail(s, start, "unterminated string; expected a closing '\"'");
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static size_t digits(struct scan *s)
{
	size_t n = 0;
	while (s->i < s->len && is_digit(s->t[s->i])) {
		s->i++;
		n++;
	}
	return n;
}

static int bad_number(struct scan *s, size_t start)
{
	size_t end = start;
	while (end < s->len && end - start < 40 && strchr("+-.eE0123456789", s->t[end]) &&
	       s->t[end])
		end++;
	return fail(s, start, "invalid number '%.*s'; expected a JSON number such as 12, "
		    "-0.5 or 1e-3", (int)(end - start), s->t + start);
}

static int scan_number(struct scan *s)
{
	size_t start = s->i;
	if (s->t[s->i] == '-')
		s->i++;
	if (s->i < s->len && s->t[s->i] == '0') {
		s->i++;
		if (s->i < s->len && is_digit(s->t[s->i]))
			return bad_number(s, start); /* leading zero */
	} else if (digits(s) == 0) {
		return bad_number(s, start);
	}
	if (s->i < s->len && s->t[s->i] == '.') {
		s->i++;
		if (digits(s) == 0)
			return bad_number(s, start);
	}
	if (s->i < s->len && (s->t[s->i] == 'e' || s->t[s->i] == 'E')) {
		s->i++;
		if (s->i < s->len && (s->t[s->i] == '+' || s->t[s->i] == '-'))
			s->i++;
		if (digits(s) == 0)
			return bad_number(s, start);
	}
	return 0;
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int scan_word(struct scan *s)
{
	size_t start = s->i;
	while (s->i < s->len && is_alpha(s->t[s->i]) && s->i - start < 40)
		s->i++;
	size_t n = s->i - start;
	const char *w = s->t + start;
	if ((n == 4 && !memcmp(w, "true", 4)) || (n == 5 && !memcmp(w, "false", 5)) ||
	    (n == 4 && !memcmp(w, "null", 4)))
		return 0;
	return fail(s, start, "invalid literal '%.*s'; expected a string, number, object, "
		    "array, true, false or null", (int)n, w);
}

static int scan_value(struct scan *s);

static int scan_array(struct scan *s)
{
	s->i++; /* '[' */
	skip_ws(s);
	if (s->i < s->len && s->t[s->i] == ']') {
		s->i++;
		return 0;
	}
	for (;;) {
		skip_ws(s);
		if (s->i < s->len && s->t[s->i] == ']')
			return fail(s, s->i, "trailing comma before ']'; expected another value");
		if (scan_value(s) != 0)
			return -1;
		skip_ws(s);
		if (s->i < s->len && s->t[s->i] == ',') {
			s->i++;
			continue;
		}
		if (s->i < s->len && s->t[s->i] == ']') {
			s->i++;
			return 0;
		}
		return fail(s, s->i, "%s; expected ',' or ']' after an array element",
			    s->i < s->len ? "unexpected character" : "unexpected end of file");
	}
}

/* Keys of the object being scanned, for the duplicate check. */
struct keys {
	struct sm_strmap *map;
	char **names;
	size_t n;
};

static void keys_free(struct keys *k)
{
	sm_strmap_free(k->map);
	for (size_t i = 0; i < k->n; i++)
		free(k->names[i]);
	free(k->names);
}

/* Adds a key; 1 if new, 0 if repeated, -1 on out of memory. */
static int keys_add(struct keys *k, char *name)
{
	if (!k->map && !(k->map = sm_strmap_new()))
		return -1;
	char **n = sm_realloc_array(k->names, k->n + 1, sizeof *n);
	if (!n)
		return -1;
	k->names = n;
	k->names[k->n++] = name;
	int r = sm_strmap_put(k->map, name, k->n - 1, NULL);
	return r;
}

static int scan_member(struct scan *s, struct keys *k)
{
	if (s->i >= s->len || s->t[s->i] != '"')
		return fail(s, s->i, "%s; expected a quoted key",
			    s->i < s->len ? "unexpected character" : "unexpected end of file");
	size_t key_off = s->i;
	struct sm_buf b;
	sm_buf_init(&b);
	if (scan_string(s, &b) != 0) {
		sm_buf_release(&b);
		return -1;
	}
	sm_buf_putc(&b, '\0'); /* an empty key still gets a string */
	char *name = sm_buf_take(&b);
	int added = name ? keys_add(k, name) : -1;
	if (added < 0) {
		if (!k->n || k->names[k->n - 1] != name)
			free(name);
		return fail_nomem(s, key_off);
	}
	if (added == 0) {
		/* the key may be very long: quote an excerpt */
		char ex[4 * 40 + 8];
		sm_textfile_excerpt(ex, sizeof ex, name, 40);
		return fail(s, key_off, "duplicate key %s; expected each key once per object", ex);
	}
	skip_ws(s);
	if (s->i >= s->len || s->t[s->i] != ':')
		return fail(s, s->i, "%s; expected ':' after the key",
			    s->i < s->len ? "unexpected character" : "unexpected end of file");
	s->i++;
	return scan_value(s);
}

static int scan_object(struct scan *s)
{
	s->i++; /* '{' */
	skip_ws(s);
	if (s->i < s->len && s->t[s->i] == '}') {
		s->i++;
		return 0;
	}
	struct keys k = { 0 };
	int rc = -1;
	for (;;) {
		skip_ws(s);
		if (s->i < s->len && s->t[s->i] == '}') {
			fail(s, s->i, "trailing comma before '}'; expected another key");
			break;
		}
		if (scan_member(s, &k) != 0)
			break;
		skip_ws(s);
		if (s->i < s->len && s->t[s->i] == ',') {
			s->i++;
			continue;
		}
		if (s->i < s->len && s->t[s->i] == '}') {
			s->i++;
			rc = 0;
			break;
		}
		fail(s, s->i, "%s; expected ',' or '}' after an object member",
		     s->i < s->len ? "unexpected character" : "unexpected end of file");
		break;
	}
	keys_free(&k);
	return rc;
}

static int scan_value(struct scan *s)
{
	skip_ws(s);
	if (s->i >= s->len)
		return fail(s, s->i, "unexpected end of file; expected a value");
	char c = s->t[s->i];
	if (c == '{' || c == '[') {
		if (s->depth >= SM_MAX_JSON_DEPTH)
			return fail(s, s->i, "nesting deeper than %d levels; expected a "
				    "flatter document", SM_MAX_JSON_DEPTH);
		s->depth++;
		int rc = c == '{' ? scan_object(s) : scan_array(s);
		s->depth--;
		return rc;
	}
	if (c == '"')
		return scan_string(s, NULL);
	if (c == '-' || is_digit(c))
		return scan_number(s);
	if (is_alpha(c))
		return scan_word(s);
	if (c == '/')
		return fail(s, s->i, "comment in JSON; expected a value (JSON has no comments)");
	if (c == '\'')
		return fail(s, s->i, "single quote; expected a value (JSON strings take "
			    "double quotes)");
	return fail(s, s->i, "unexpected character; expected a value");
}

int sm_json_scan(const char *text, size_t len, size_t *offset, char **msg)
{
	struct scan s = { .t = text, .len = len };
	*msg = NULL;
	*offset = 0;
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		s.i = 3; /* tolerated: editors on some systems write it */
	skip_ws(&s);
	if (s.i >= len) {
		fail(&s, s.i, "empty file; expected a JSON object");
	} else if (scan_value(&s) == 0) {
		skip_ws(&s);
		if (s.i < len)
			fail(&s, s.i, "unexpected text after the JSON value; expected end of file");
	}
	if (!s.failed)
		return 0;
	*offset = s.err_off;
	if (s.nomem) {
		free(s.msg);
		return SM_JSON_SCAN_NOMEM;
	}
	*msg = s.msg;
	return -1;
}

/* ---- navigation in text known to be valid ---- */

static void skip_value(struct scan *s)
{
	skip_ws(s);
	char c = s->t[s->i];
	if (c == '"') {
		scan_string(s, NULL);
	} else if (c == '{' || c == '[') {
		/* skip to the matching bracket; strings may hold brackets */
		int depth = 0;
		while (s->i < s->len) {
			char d = s->t[s->i];
			if (d == '"') {
				scan_string(s, NULL);
				continue;
			}
			s->i++;
			if (d == '{' || d == '[')
				depth++;
			else if ((d == '}' || d == ']') && --depth == 0)
				return;
		}
	} else {
		while (s->i < s->len && !strchr(",]} \t\r\n", s->t[s->i]))
			s->i++;
	}
}

/* Moves s->i from '{' to the value of `key`; *key_off gets the key's offset.
 * 0 when the key is not there. */
static int find_key(struct scan *s, const char *key, size_t *key_off)
{
	s->i++;
	for (;;) {
		skip_ws(s);
		if (s->i >= s->len || s->t[s->i] != '"')
			return 0; /* '}' */
		*key_off = s->i;
		struct sm_buf b;
		sm_buf_init(&b);
		scan_string(s, &b);
		int same = b.len == strlen(key) && (b.len == 0 || !memcmp(b.data, key, b.len));
		sm_buf_release(&b);
		skip_ws(s);
		s->i++; /* ':' */
		skip_ws(s);
		if (same)
			return 1;
		skip_value(s);
		skip_ws(s);
		if (s->i < s->len && s->t[s->i] == ',')
			s->i++;
	}
}

static int find_index(struct scan *s, size_t index)
{
	s->i++;
	for (size_t k = 0;; k++) {
		skip_ws(s);
		if (s->i >= s->len || s->t[s->i] == ']')
			return 0;
		if (k == index)
			return 1;
		skip_value(s);
		skip_ws(s);
		if (s->i < s->len && s->t[s->i] == ',')
			s->i++;
	}
}

int sm_json_locate(const char *text, size_t len, const struct sm_jpath *path,
		   enum sm_jpos_what what, size_t *offset)
{
	size_t depth = 0;
	for (const struct sm_jpath *p = path; p; p = p->up)
		depth++;
	const struct sm_jpath **steps = sm_alloc_array(depth ? depth : 1, sizeof *steps);
	struct scan s = { .t = text, .len = len };
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		s.i = 3;
	skip_ws(&s);
	*offset = s.i;
	if (!steps)
		return 0;
	size_t k = depth;
	for (const struct sm_jpath *p = path; p; p = p->up)
		steps[--k] = p;
	int found = 1;
	size_t key_off = s.i;
	for (k = 0; k < depth && found; k++) {
		skip_ws(&s);
		size_t here = s.i;
		char c = s.i < len ? text[s.i] : '\0';
		if (steps[k]->key)
			found = c == '{' && find_key(&s, steps[k]->key, &key_off);
		else
			found = c == '[' && find_index(&s, steps[k]->index);
		if (!found)
			*offset = here;
	}
	free(steps);
	if (!found)
		return 0;
	skip_ws(&s);
	*offset = what == SM_JPOS_KEY && path && path->key ? key_off : s.i;
	return 1;
}

char *sm_jpath_format(const struct sm_jpath *p)
{
	if (!p)
		return strdup("");
	char *up = sm_jpath_format(p->up);
	if (!up)
		return NULL;
	char *out;
	if (p->key)
		out = sm_asprintf("%s%s%s", up, *up ? "." : "", p->key);
	else
		out = sm_asprintf("%s[%zu]", up, p->index);
	free(up);
	return out;
}

int sm_json_locate_str(const char *text, size_t len, const char *path, size_t *offset)
{
	size_t n = strlen(path);
	struct sm_jpath *steps = sm_alloc_array(n + 1, sizeof *steps);
	char *keys = malloc(2 * n + 2); /* every key with its NUL */
	if (!steps || !keys) {
		free(steps);
		free(keys);
		*offset = 0;
		return 0;
	}
	const struct sm_jpath *last = NULL;
	size_t k = 0;
	char *kp = keys;
	const char *p = path;
	while (*p) {
		if (*p == '.') {
			p++;
			continue;
		}
		struct sm_jpath *st = &steps[k++];
		st->up = last;
		if (*p == '[') {
			char *end;
			st->index = strtoul(p + 1, &end, 10);
			p = end + (*end == ']');
		} else {
			size_t m = strcspn(p, ".[");
			memcpy(kp, p, m);
			kp[m] = '\0';
			st->key = kp;
			kp += m + 1;
			p += m;
		}
		last = st;
	}
	int found = sm_json_locate(text, len, last, SM_JPOS_VALUE, offset);
	free(steps);
	free(keys);
	return found;
}

void sm_json_excerpt(const char *text, size_t len, size_t offset, char *buf, size_t size,
		     size_t max_chars)
{
	if (size == 0)
		return;
	if (offset >= len) {
		snprintf(buf, size, "nothing");
		return;
	}
	char c = text[offset];
	if (c == '{' || c == '[') {
		snprintf(buf, size, "%s", c == '{' ? "an object" : "an array");
		return;
	}
	struct scan s = { .t = text, .len = len, .i = offset };
	skip_value(&s);
	free(s.msg); /* a value cut short is shown up to where it stops */
	size_t o = 0, chars = 0, i = offset;
	while (i < s.i) {
		size_t n = 1;
		while (i + n < s.i && (text[i + n] & 0xC0) == 0x80)
			n++;
		if (chars == max_chars || o + n + 5 > size)
			break;
		memcpy(buf + o, text + i, n);
		o += n;
		i += n;
		chars++;
	}
	if (i < s.i) {
		memcpy(buf + o, "...", 3);
		o += 3;
		if (c == '"')
			buf[o++] = '"';
	}
	buf[o] = '\0';
}

size_t *sm_json_elements(const char *text, size_t len, const struct sm_jpath *path, size_t *n)
{
	size_t off = 0;
	*n = 0;
	if (!sm_json_locate(text, len, path, SM_JPOS_VALUE, &off) || off >= len || text[off] != '[')
		return NULL;
	struct scan s = { .t = text, .len = len, .i = off + 1 };
	size_t cap = 16, k = 0;
	size_t *out = sm_alloc_array(cap, sizeof *out);
	while (out) {
		skip_ws(&s);
		if (s.i >= len || text[s.i] == ']')
			break;
		if (k == cap) {
			size_t *o = sm_realloc_array(out, cap * 2, sizeof *o);
			if (!o) {
				free(out);
				return NULL;
			}
			out = o;
			cap *= 2;
		}
		out[k++] = s.i;
		skip_value(&s);
		skip_ws(&s);
		if (s.i < len && text[s.i] == ',')
			s.i++;
	}
	*n = k;
	return out;
}
