/*
 * sm_json_fast.c -- cJSON_Print()'s text without cJSON's printer (see
 * sm_json_fast.h).
 */
#include "sm_json_fast.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* 10^0 .. 10^22 are exact doubles; 10^0 .. 10^27 exact in an x87 long
 * double (5^27 < 2^64). */
static const double pow10_d[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};
static const long double pow10_l[] = {
	1e0L, 1e1L, 1e2L, 1e3L, 1e4L, 1e5L, 1e6L, 1e7L, 1e8L, 1e9L, 1e10L,
	1e11L, 1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L, 1e20L,
	1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L,
};
static const uint64_t pow10_u[] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL,
	100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL,
	1000000000000ULL, 10000000000000ULL, 100000000000000ULL, 1000000000000000ULL,
	10000000000000000ULL, 100000000000000000ULL,
};

#define MAX_POW_L 27

/* a (positive, finite) rounded to prec significant digits as sprintf does:
 * *n with exactly prec digits and a = *n * 10^(*x - prec + 1).  Returns 0,
 * or -1 when the product is too close to a rounding boundary to be sure or
 * out of the exact range (the caller then uses sprintf). */
static int round_digits(double a, int prec, uint64_t *n, int *x)
{
#if LDBL_MANT_DIG < 64
	(void)a;
	(void)prec;
	(void)n;
	(void)x;
	return -1;
#else
	int e2;
	frexp(a, &e2);
	int e = (int)floor((e2 - 1) * 0.30102999566398120);
	long double lo = (long double)pow10_u[prec - 1], hi = (long double)pow10_u[prec];
	long double s = 0;
	for (int tries = 0; tries < 3; tries++) {
		int k = prec - 1 - e;
		if (k > MAX_POW_L || k < -MAX_POW_L)
			return -1;
		s = k >= 0 ? (long double)a * pow10_l[k] : (long double)a / pow10_l[-k];
		if (s < lo)
			e--;
		else if (s >= hi)
			e++;
		else
			break;
	}
	if (s < lo || s >= hi)
		return -1;
	/* one rounding of a 64-bit significand: |error| <= s * 2^-64, under
	 * 2^-8 at 17 digits (s < 10^17 < 2^57), 2^-14 at 15 */
	long double tol = prec <= 15 ? 1e-3L : 1e-2L;
	if (s - lo < tol || hi - s < tol)
		return -1;
	long double fl = floorl(s);
	long double f = s - fl;
	if (fabsl(f - 0.5L) < tol)
		return -1;
	uint64_t v = (uint64_t)fl + (f > 0.5L);
	if (v == pow10_u[prec]) {
		v = pow10_u[prec - 1];
		e++;
	}
	*n = v;
	*x = e;
	return 0;
#endif
}

/* %1.<prec>g of the value with digits n (prec of them) and exponent x. */
static size_t format_g(char *buf, int neg, uint64_t n, int x, int prec)
{
	char d[24];
	for (int i = prec - 1; i >= 0; i--) {
		d[i] = (char)('0' + n % 10);
		n /= 10;
	}
	int nd = prec;
	char *p = buf;
	if (neg)
		*p++ = '-';
	if (x < -4 || x >= prec) {
		while (nd > 1 && d[nd - 1] == '0')
			nd--;
		*p++ = d[0];
		if (nd > 1) {
			*p++ = '.';
			memcpy(p, d + 1, (size_t)(nd - 1));
			p += nd - 1;
		}
		*p++ = 'e';
		*p++ = x < 0 ? '-' : '+';
		int ax = x < 0 ? -x : x;
		if (ax >= 100)
			*p++ = (char)('0' + ax / 100);
		*p++ = (char)('0' + ax / 10 % 10);
		*p++ = (char)('0' + ax % 10);
	} else if (x >= 0) {
		int keep = nd; /* digits after the point: prec - 1 - x, trailing zeros cut */
		while (keep > x + 1 && d[keep - 1] == '0')
			keep--;
		memcpy(p, d, (size_t)(x + 1));
		p += x + 1;
		if (keep > x + 1) {
			*p++ = '.';
			memcpy(p, d + x + 1, (size_t)(keep - x - 1));
			p += keep - x - 1;
		}
	} else {
		while (nd > 1 && d[nd - 1] == '0')
			nd--;
		*p++ = '0';
		*p++ = '.';
		for (int i = 0; i < -x - 1; i++)
			*p++ = '0';
		memcpy(p, d, (size_t)nd);
		p += nd;
	}
	*p = '\0';
	return (size_t)(p - buf);
}

/* cJSON's compare_double(): equal within DBL_EPSILON relative. */
static int near(double a, double b)
{
	double m = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
	return fabs(a - b) <= m * DBL_EPSILON;
}

/* What cJSON 1.7 does, word for word. */
static size_t slow_number(char *buf, double d)
{
	double test = 0;
	int len = snprintf(buf, 32, "%1.15g", d);
	if (sscanf(buf, "%lg", &test) != 1 || !near(test, d))
		len = snprintf(buf, 32, "%1.17g", d);
	return len > 0 ? (size_t)len : 0;
}

size_t sm_json_fast_number(char *buf, double d)
{
	if (isnan(d) || isinf(d)) {
		memcpy(buf, "null", 5);
		return 4;
	}
	if (d == floor(d) && fabs(d) < 1e15) { /* %1.15g prints it in full */
		char tmp[24];
		char *p = tmp + sizeof tmp;
		uint64_t u = (uint64_t)fabs(d);
		do {
			*--p = (char)('0' + u % 10);
			u /= 10;
		} while (u);
		if (signbit(d))
			*--p = '-';
		size_t len = (size_t)(tmp + sizeof tmp - p);
		memcpy(buf, p, len);
		buf[len] = '\0';
		return len;
	}
	double a = fabs(d);
	uint64_t n17, n;
	int x17, x;
	/* One scaling, to 17 digits (what most computed values need), and
	 * the 15 from them.  In units of the 17th digit (the value scaled
	 * is under 10^17), 15 digits read back within DBL_EPSILON (near())
	 * only when the value is within 34 of a 15-digit decimal: 22 for
	 * near() and 11 for the read-back's own rounding.  n17 then ends in
	 * 66..99 or 00..34, never in the tie 50, and n17 rounded to 15 digits
	 * is the value rounded to 15 (n17 is the integer nearest the scaled
	 * value, which lies within 1/2 of it, on the tie's side). */
	if (round_digits(a, 17, &n17, &x17) != 0)
		return slow_number(buf, d);
	uint64_t r = n17 % 100;
	if (r > 35 && r < 65)
		return format_g(buf, d < 0, n17, x17, 17);
	n = n17 / 100 + (r > 50);
	x = x17;
	if (n == pow10_u[15]) { /* 9.99..9 up to the next decade */
		n = pow10_u[14];
		x++;
	}
	/* the read-back of the 15 digits: n * 10^(x - 14), rounded once */
	int k = x - 14;
	if (k > 22 || k < -22)
		return slow_number(buf, d);
	double t = k >= 0 ? (double)n * pow10_d[k] : (double)n / pow10_d[-k];
	if (near(t, a))
		return format_g(buf, d < 0, n, x, 15);
	return format_g(buf, d < 0, n17, x17, 17);
}

/* sm_buf_append() and sm_buf_putc() for the printer's many short pieces
 * (a row is ~150 of them): a copy in place while the buffer has room, the
 * growing call only when it has not. */
static inline void add(struct sm_buf *b, const char *s, size_t n)
{
	if (!b->failed && b->len + n < b->cap) {
		memcpy(b->data + b->len, s, n);
		b->len += n;
		b->data[b->len] = '\0';
	} else {
		sm_buf_append(b, s, n);
	}
}

static inline void add_c(struct sm_buf *b, char c)
{
	add(b, &c, 1);
}

static void put_string(struct sm_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	add_c(b, '"');
	if (s) {
		const char *run = s;
		const unsigned char *p = (const unsigned char *)s;
		for (; *p; p++) {
			if (*p >= 32 && *p != '"' && *p != '\\')
				continue;
			add(b, run, (size_t)((const char *)p - run));
			run = (const char *)p + 1;
			char esc[7] = { '\\', 0 };
			size_t n = 2;
			switch (*p) {
			case '"': esc[1] = '"'; break;
			case '\\': esc[1] = '\\'; break;
			case '\b': esc[1] = 'b'; break;
			case '\f': esc[1] = 'f'; break;
			case '\n': esc[1] = 'n'; break;
			case '\r': esc[1] = 'r'; break;
			case '\t': esc[1] = 't'; break;
			default:
				memcpy(esc + 1, "u00", 3);
				esc[4] = hex[*p >> 4];
				esc[5] = hex[*p & 15];
				n = 6;
			}
			add(b, esc, n);
		}
		add(b, run, (size_t)((const char *)p - run)); /* p is at the NUL */
	}
	add_c(b, '"');
}

static void put_tabs(struct sm_buf *b, int n)
{
	static const char t[] = "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";
	while (n > 0) {
		int m = n < (int)(sizeof t - 1) ? n : (int)(sizeof t - 1);
		add(b, t, (size_t)m);
		n -= m;
	}
}

/* depth as cJSON's output_buffer->depth when item is reached. */
static int print_value(struct sm_buf *b, const cJSON *item, int depth)
{
	char num[32];
	switch (item->type & 0xFF) {
	case cJSON_NULL: add(b, "null", 4); return 0;
	case cJSON_False: add(b, "false", 5); return 0;
	case cJSON_True: add(b, "true", 4); return 0;
	case cJSON_Number:
		add(b, num, sm_json_fast_number(num, item->valuedouble));
		return 0;
	case cJSON_Raw:
		if (!item->valuestring)
			return -1;
		add(b, item->valuestring, strlen(item->valuestring));
		return 0;
	case cJSON_String: put_string(b, item->valuestring); return 0;
	case cJSON_Array:
		add_c(b, '[');
		for (const cJSON *c = item->child; c; c = c->next) {
			if (print_value(b, c, depth + 1) != 0)
				return -1;
			if (c->next)
				add(b, ", ", 2);
		}
		add_c(b, ']');
		return 0;
	case cJSON_Object:
		add(b, "{\n", 2);
		for (const cJSON *c = item->child; c; c = c->next) {
			put_tabs(b, depth + 1);
			put_string(b, c->string);
			add(b, ":\t", 2);
			if (print_value(b, c, depth + 1) != 0)
				return -1;
			if (c->next)
				add_c(b, ',');
			add_c(b, '\n');
		}
		put_tabs(b, depth);
		add_c(b, '}');
		return 0;
	default:
		return -1;
	}
}

int sm_json_fast_print(struct sm_buf *b, const cJSON *item, int depth)
{
	if (!item || print_value(b, item, depth) != 0)
		return -1;
	return b->failed ? -1 : 0;
}

/* The buffer's text as a raw item (printed verbatim by cJSON). */
static cJSON *raw_of(struct sm_buf *b)
{
	cJSON *raw = b->failed ? NULL : cJSON_CreateRaw(b->data);
	sm_buf_release(b);
	return raw;
}

cJSON *sm_json_fast_raw_numbers(const double *v, size_t n)
{
	struct sm_buf b;
	sm_buf_init(&b);
	add_c(&b, '[');
	char num[32];
	for (size_t i = 0; i < n; i++) {
		if (isinf(v[i])) { /* needs the "_infinite" sibling: not here */
			sm_buf_release(&b);
			return NULL;
		}
		if (i)
			add(&b, ", ", 2);
		add(&b, num, sm_json_fast_number(num, v[i]));
	}
	add_c(&b, ']');
	return raw_of(&b);
}

cJSON *sm_json_fast_raw_indices(const size_t *v, size_t n)
{
	struct sm_buf b;
	sm_buf_init(&b);
	add_c(&b, '[');
	char num[32];
	for (size_t i = 0; i < n; i++) {
		if (i)
			add(&b, ", ", 2);
		add(&b, num, sm_json_fast_number(num, (double)v[i]));
	}
	add_c(&b, ']');
	return raw_of(&b);
}

/* ---- an object written member by member ----------------------------- */

void sm_json_obj_begin(struct sm_json_obj *w, struct sm_buf *b, int depth)
{
	w->b = b;
	w->depth = depth;
	w->level = 0;
	w->n[0] = 0;
	add(b, "{\n", 2);
}

/* The length of s when cJSON prints it unescaped (no control character,
 * quote or backslash), else SIZE_MAX. */
static size_t plain_length(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	for (; *p; p++) {
		if (*p < 32 || *p == '"' || *p == '\\')
			return SIZE_MAX;
	}
	return (size_t)(p - (const unsigned char *)s);
}

/* The separator before a member of the innermost object and its key.  A
 * row has about 40 keys, each five short pieces: a plain key (all of
 * them, in practice) goes in as one piece where the buffer has room. */
static void obj_key(struct sm_json_obj *w, const char *key)
{
	struct sm_buf *b = w->b;
	int sep = w->n[w->level]++ != 0;
	size_t tabs = (size_t)(w->depth + w->level + 1), len = plain_length(key);
	if (len != SIZE_MAX && !b->failed && len < b->cap && tabs < b->cap &&
	    b->len + 2 + tabs + len + 4 < b->cap) {
		char *p = b->data + b->len;
		if (sep) {
			*p++ = ',';
			*p++ = '\n';
		}
		memset(p, '\t', tabs);
		p += tabs;
		*p++ = '"';
		memcpy(p, key, len);
		p += len;
		memcpy(p, "\":\t", 3);
		p += 3;
		*p = '\0';
		b->len = (size_t)(p - b->data);
		return;
	}
	if (sep)
		add(b, ",\n", 2);
	put_tabs(b, (int)tabs);
	put_string(b, key);
	add(b, ":\t", 2);
}

void sm_json_obj_number(struct sm_json_obj *w, const char *key, double v)
{
	obj_key(w, key);
	if (!isfinite(v)) {
		add(w->b, "null", 4);
	} else {
		char num[32];
		add(w->b, num, sm_json_fast_number(num, v));
	}
	if (!isinf(v))
		return;
	/* sm_json_add_number()'s sibling for an infinity (keys are short
	 * literals) */
	char name[128];
	if ((size_t)snprintf(name, sizeof name, "%s_infinite", key) >= sizeof name) {
		w->b->failed = 1;
		return;
	}
	obj_key(w, name);
	add(w->b, v > 0 ? "1" : "-1", v > 0 ? 1 : 2);
}

void sm_json_obj_string(struct sm_json_obj *w, const char *key, const char *s)
{
	obj_key(w, key);
	if (s)
		put_string(w->b, s);
	else
		add(w->b, "null", 4);
}

void sm_json_obj_bool(struct sm_json_obj *w, const char *key, int v)
{
	obj_key(w, key);
	if (v)
		add(w->b, "true", 4);
	else
		add(w->b, "false", 5);
}

void sm_json_obj_null(struct sm_json_obj *w, const char *key)
{
	obj_key(w, key);
	add(w->b, "null", 4);
}

void sm_json_obj_open(struct sm_json_obj *w, const char *key)
{
	if (w->level + 1 >= SM_JSON_OBJ_MAX_LEVELS) {
		w->b->failed = 1;
		return;
	}
	obj_key(w, key);
	add(w->b, "{\n", 2);
	w->n[++w->level] = 0;
}

void sm_json_obj_close(struct sm_json_obj *w)
{
	if (w->n[w->level])
		add_c(w->b, '\n');
	put_tabs(w->b, w->depth + w->level);
	add_c(w->b, '}');
	if (w->level)
		w->level--;
}
