/* sm_table_check.c -- the table of what `safemeta check` found, from the
 * results' "check" block (the analysis stage's findings): one row per
 * reported analysis, with its findings, and one for the PRISMA flow when
 * its arithmetic does not add up.
 *
 * Findings are worded for print: the compared values from the finding's
 * own fields, named in words (sm_words_reported: "lower CI bound", not
 * ci_lb), with true minus signs (U+2212) and plus-minus (U+00B1); the
 * analysis stage's sentences (counts, the paper's own contradictions,
 * PRISMA) with the same typography and any field name in words. */
#include "sm_table_int.h"

#include "sm_buf.h"
#include "sm_json_out.h"
#include "sm_strmap.h"
#include "sm_words.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MINUS "\u2212"
#define PLUS_MINUS "\u00b1"

/* The kinds of findings as the table words them. */
static const char *kind_word(const char *kind)
{
	return kind && !strcmp(kind, "prisma") ? "PRISMA" : kind ? kind : "?";
}

/* Decimals v prints with in its shortest round-trip form (1e-05 -> 5). */
static int decimals_of(double v)
{
	char buf[64];
	sm_json_shortest(buf, sizeof buf, v);
	const char *e = strchr(buf, 'e');
	int exp10 = e ? atoi(e + 1) : 0;
	const char *dot = strchr(buf, '.');
	int frac = 0;
	for (const char *p = dot ? dot + 1 : buf + strlen(buf); *p && *p != 'e'; p++)
		frac++;
	return frac - exp10 > 0 ? frac - exp10 : 0;
}

/* v with `dec` decimals and a true minus sign ("-0.00" prints as 0). */
static void put_fixed(struct sm_buf *b, double v, int dec)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%.*f", dec, fabs(v));
	sm_buf_printf(b, "%s%s", v < 0 && strtod(buf, NULL) != 0 ? MINUS : "", buf);
}

/* A recomputed value beside a reported one: the reported decimals, at least
 * two significant digits, and enough decimals that the two never print
 * alike. */
static void put_beside(struct sm_buf *b, double c, double reported)
{
	int dec = decimals_of(reported);
	if (c != 0 && dec < 1 - (int)floor(log10(fabs(c))))
		dec = 1 - (int)floor(log10(fabs(c)));
	for (; dec < 12; dec++) {
		char x[64], y[64];
		snprintf(x, sizeof x, "%.*f", dec, c);
		snprintf(y, sizeof y, "%.*f", dec, reported);
		if (strcmp(x, y) != 0)
			break;
	}
	put_fixed(b, c, dec);
}

static int is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* Field names the analysis stage's sentences may hold, in words. */
static const char *const field_keys[] = { "ci_lb", "ci_ub", "pi_lb", "pi_ub", "Q_p",
					  "rstudent_bound", "begg_p", "egger_p",
					  "studies_stated", "tau2", "I2", "H2" };

/* The length of the field name at s (a whole word), or 0. */
static size_t field_at(const char *s, const char **words)
{
	for (size_t i = 0; i < sizeof field_keys / sizeof field_keys[0]; i++) {
		size_t n = strlen(field_keys[i]);
		if (!strncmp(s, field_keys[i], n) && !is_word_char(s[n])) {
			*words = sm_words_reported(field_keys[i]);
			return n;
		}
	}
	return 0;
}

/* A sentence of the analysis stage set for print: "-" before a number is
 * a minus sign (not in "k-1" or "1e-05"), "+-" is plus-minus, field names
 * are words. */
static void put_typeset(struct sm_buf *b, const char *s)
{
	for (const char *p = s; *p;) {
		char prev = p > s ? p[-1] : ' ';
		const char *words = NULL;
		size_t n = !is_word_char(prev) ? field_at(p, &words) : 0;
		if (n) {
			sm_buf_puts(b, words);
			p += n;
		} else if (p[0] == '+' && p[1] == '-') {
			sm_buf_puts(b, PLUS_MINUS);
			p += 2;
		} else if (p[0] == '-' && (p[1] == '.' || (p[1] >= '0' && p[1] <= '9')) &&
			   !is_word_char(prev) && prev != '.') {
			sm_buf_puts(b, MINUS);
			p++;
		} else {
			sm_buf_printf(b, "%c", *p++);
		}
	}
}

/* What the analysis stage gives as the likely cause of a value finding
 * (its sentence after "likely cause: "), or NULL. */
static const char *cause_of(const char *message)
{
	const char *c = message ? strstr(message, "likely cause: ") : NULL;
	return c ? c + strlen("likely cause: ") : NULL;
}

static int is_kind(const struct sm_res_check_finding *f, const char *kind)
{
	return f->kind && !strcmp(f->kind, kind);
}

/* A value compared in words from its fields. */
static int is_compared(const struct sm_res_check_finding *f)
{
	return (is_kind(f, "value") || is_kind(f, "direction")) && isfinite(f->reported) &&
	       isfinite(f->computed);
}

/* "lower CI bound reported as −2.42 (± 0.005), recomputed −2.85" */
static void put_compared(struct sm_buf *b, const struct sm_res_check_finding *f)
{
	sm_buf_printf(b, "%s reported as ", sm_words_reported(f->field));
	put_fixed(b, f->reported, decimals_of(f->reported));
	if (isfinite(f->tolerance) && f->tolerance > 0) {
		sm_buf_puts(b, " (" PLUS_MINUS " ");
		put_fixed(b, f->tolerance, decimals_of(f->tolerance));
		sm_buf_puts(b, ")");
	}
	sm_buf_puts(b, ", recomputed ");
	put_beside(b, f->computed, f->reported);
}

/* One finding as a line: a value compared in words from its fields, or
 * the analysis stage's sentence typeset. */
static void put_finding(struct sm_buf *b, const struct sm_res *res,
			const struct sm_res_check_finding *f)
{
	sm_buf_printf(b, "\u2022 %s: ", kind_word(f->kind));
	const char *field = sm_words_reported(f->field);
	if (is_compared(f)) {
		put_compared(b, f);
		const char *cause = cause_of(f->message);
		if (cause) {
			sm_buf_puts(b, "; likely cause: ");
			put_typeset(b, cause);
		}
		return;
	}
	const struct sm_res_analysis *a = f->analysis ? sm_res_analysis_named(res, f->analysis)
						      : NULL;
	if (is_kind(f, "not computable") && isfinite(f->reported) && a && isfinite(a->k)) {
		sm_buf_printf(b, "the paper gives its %s as ", field);
		put_fixed(b, f->reported, decimals_of(f->reported));
		sm_buf_printf(b, ", but it cannot be computed for these data (k = %.0f)", a->k);
		return;
	}
	put_typeset(b, f->message ? f->message : "");
}

/* One analysis' findings (indices into the check's list, in its order)
 * and, for each, the next one whose compared value shares its likely
 * cause (SIZE_MAX: none); first[k] says whether k starts such a group of
 * two or more. */
struct run {
	const size_t *idx;
	size_t n;
	size_t *next;
	unsigned char *first;
};

/* The groups of one run, in linear time: a map from cause to the last
 * finding met with it. */
static int link_causes(const struct sm_res_check *c, struct run *r)
{
	struct sm_strmap *last = sm_strmap_new();
	size_t *tail = sm_alloc_array(r->n + 1, sizeof *tail);
	if (!last || !tail) {
		sm_strmap_free(last);
		free(tail);
		return -1;
	}
	for (size_t k = 0; k < r->n; k++) {
		const struct sm_res_check_finding *f = &c->findings.v[r->idx[k]];
		const char *cause = is_compared(f) ? cause_of(f->message) : NULL;
		r->next[k] = SIZE_MAX;
		r->first[k] = 0;
		size_t slot;
		int put = cause ? sm_strmap_put(last, cause, k, &slot) : 1;
		if (put < 0) {
			sm_strmap_free(last);
			free(tail);
			return -1;
		}
		tail[k] = k;
		if (put == 0) { /* slot: the group's first finding */
			r->next[tail[slot]] = k;
			tail[slot] = k;
			r->first[slot] = 1;
		}
	}
	sm_strmap_free(last);
	free(tail);
	return 0;
}

/* The compared values that share a likely cause, as one line: the cause
 * once, then each value (ten lines each ending "likely cause: the paper's
 * k (4) differs from the data's (3)" said it ten times). */
static void put_group(struct sm_buf *b, const struct sm_res_check *c, const struct run *r,
		      size_t k)
{
	const struct sm_res_check_finding *f = &c->findings.v[r->idx[k]];
	sm_buf_puts(b, "\u2022 values, likely cause of each: ");
	put_typeset(b, cause_of(f->message));
	sm_buf_puts(b, ": ");
	for (size_t i = k; i != SIZE_MAX; i = r->next[i]) {
		sm_buf_puts(b, i == k ? "" : "; ");
		put_compared(b, &c->findings.v[r->idx[i]]);
	}
}

/* One analysis' findings as bullet lines; NULL on out of memory. */
static char *findings_of(const struct sm_res *res, const size_t *idx, size_t n)
{
	const struct sm_res_check *c = &res->check;
	struct run r = { idx, n, sm_alloc_array(n + 1, sizeof *r.next), calloc(n + 1, 1) };
	struct sm_buf b;
	sm_buf_init(&b);
	if (!r.next || !r.first || link_causes(c, &r) != 0)
		b.failed = 1;
	/* a finding in a group later than its first went out with it */
	unsigned char *done = b.failed ? NULL : calloc(n + 1, 1);
	for (size_t k = 0; done && k < n; k++) {
		if (done[k])
			continue;
		if (b.len)
			sm_buf_puts(&b, "\n");
		if (r.first[k]) {
			put_group(&b, c, &r, k);
			for (size_t i = k; i != SIZE_MAX; i = r.next[i])
				done[i] = 1;
		} else {
			put_finding(&b, res, &c->findings.v[idx[k]]);
		}
	}
	int failed = b.failed || !done;
	free(done);
	free(r.next);
	free(r.first);
	if (failed) {
		sm_buf_release(&b);
		return NULL;
	}
	return b.data ? sm_buf_take(&b) : strdup("");
}

/* The findings' indices grouped by analysis, each group in the check's
 * order: one sort instead of a scan of every finding per analysis. */
struct keyed {
	const char *name; /* NULL: the review's own (PRISMA) */
	size_t i;
};

static int by_name_then_index(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = !x->name || !y->name ? (x->name != NULL) - (y->name != NULL)
				     : strcmp(x->name, y->name);
	return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* [*lo, *hi) of sorted: the findings of analysis `name`. */
static void range_of(const struct keyed *sorted, size_t n, const char *name, size_t *lo,
		     size_t *hi)
{
	struct keyed probe = { name, 0 };
	size_t a = 0, z = n;
	while (a < z) { /* the first not before (name, 0) */
		size_t mid = a + (z - a) / 2;
		if (by_name_then_index(&sorted[mid], &probe) < 0)
			a = mid + 1;
		else
			z = mid;
	}
	*lo = a;
	while (a < n && !by_name_then_index(&(struct keyed){ sorted[a].name, 0 }, &probe))
		a++;
	*hi = a;
}

static sm_status add_row(struct sm_ctx *ctx, struct sm_table *t, const char *name,
			 const char *result, const char *findings)
{
	long r = sm_table_add_row(ctx, t);
	if (r < 0)
		return SM_EINTERNAL;
	sm_status s = sm_table_set(ctx, t, (size_t)r, 0, name);
	if (s == SM_OK)
		s = sm_table_set(ctx, t, (size_t)r, 1, result);
	if (s == SM_OK)
		s = sm_table_set(ctx, t, (size_t)r, 2, *findings ? findings : "none");
	return s;
}

struct sm_table *sm_table_check(struct sm_ctx *ctx, const struct sm_res *res)
{
	const struct sm_res_check *c = &res->check;
	if (!c->present) {
		SM_FAIL(ctx, SM_EINPUT, "the results hold no check findings; expected a results "
			"document written by safemeta analyze");
		return NULL;
	}
	struct sm_table *t = sm_table_new(ctx, "check", 3);
	if (!t)
		return NULL;
	static const char *const heads[] = { "Analysis", "Result", "Findings" };
	sm_status s = sm_table_set_title(ctx, t, "Reported values compared with the recomputed "
					 "results", NULL);
	for (size_t i = 0; s == SM_OK && i < 3; i++)
		s = sm_table_set_header(ctx, t, i, heads[i], SM_ALIGN_LEFT);
	size_t nf = c->findings.n;
	struct keyed *sorted = sm_alloc_array(nf + 1, sizeof *sorted);
	size_t *idx = sm_alloc_array(nf + 1, sizeof *idx);
	if (s == SM_OK && (!sorted || !idx))
		s = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	for (size_t i = 0; s == SM_OK && i < nf; i++)
		sorted[i] = (struct keyed){ c->findings.v[i].analysis, i };
	if (s == SM_OK && nf)
		qsort(sorted, nf, sizeof *sorted, by_name_then_index);
	for (size_t i = 0; s == SM_OK && i <= c->analyses.n; i++) {
		const struct sm_res_check_analysis *a = i < c->analyses.n ? &c->analyses.v[i] : NULL;
		size_t lo, hi;
		range_of(sorted, nf, a ? a->name : NULL, &lo, &hi);
		for (size_t k = lo; k < hi; k++)
			idx[k - lo] = sorted[k].i;
		char *text = findings_of(res, idx, hi - lo);
		if (!text)
			s = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		else if (a)
			s = add_row(ctx, t, a->name, a->reproduced == 1 ? "reproduced"
							: "not reproduced", text);
		else if (*text)
			s = add_row(ctx, t, "PRISMA flow", "arithmetic does not add up", text);
		free(text);
	}
	free(sorted);
	free(idx);
	if (s != SM_OK) {
		sm_table_free(t);
		return NULL;
	}
	return t;
}
