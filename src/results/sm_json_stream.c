/*
 * sm_json_stream.c -- the results document printed container by container
 * (see sm_json_stream.h).
 *
 * cJSON_Print() lays a value out from its depth alone: an object's members
 * sit on their own lines, indented one tab per level, an array's elements
 * follow each other on the opening line.  A value printed on its own
 * therefore differs from the same value printed in place only by the tabs
 * after each of its newlines (strings never hold a raw newline: cJSON
 * escapes it), which is what print_whole() adds back.
 *
 * Rows spooled at the depth they sit at (sm_row_spool.h) with nothing
 * added to them since are not read back: consecutive ones, which lie in the
 * spool with the ", " between them, collect into one run that the kernel
 * copies when the next other output comes.
 */
#include "sm_json_stream.h"

#include "sm_json_fast.h"
#include "sm_row_spool.h"

#include <stdlib.h>
#include <string.h>

/* Which containers are walked instead of printed whole: a rule names an
 * object member (key) or every element of an array (key NULL).  A rule with
 * sub set is walked, its children matched against sub[0 .. n_sub); a child
 * no rule names is printed whole (so every_row with n_sub 0: a list whose
 * rows are each printed whole). */
struct plan {
	const char *key;
	const struct plan *sub;
	size_t n_sub;
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const struct plan every_row[] = { { NULL, NULL, 0 } };
static const struct plan analysis_parts[] = {
	{ "studies", every_row, 0 }, /* n_sub 0: rows printed whole */
	{ "excluded", every_row, 0 },
};
static const struct plan each_analysis[] = {
	{ NULL, analysis_parts, N_OF(analysis_parts) },
};
static const struct plan review_parts[] = { { "studies", every_row, 0 } };
static const struct plan multiplicity_parts[] = { { "terms", every_row, 0 } };
static const struct plan root_parts[] = {
	{ "review", review_parts, N_OF(review_parts) },
	{ "analyses", each_analysis, N_OF(each_analysis) },
	{ "multiplicity", multiplicity_parts, N_OF(multiplicity_parts) },
};
static const struct plan results_plan = { NULL, root_parts, N_OF(root_parts) };

struct out {
	FILE *f;
	struct sm_row_spool *spool; /* NULL: no row was spooled */
	int failed;                 /* out of memory, or a spooled row unreadable */
	struct sm_buf text;         /* output not yet written to f */
	/* spooled rows [run_at, run_end) due before text, and whether the
	 * ", " after the last of them is owed too */
	int run_open, run_sep;
	long long run_at, run_end;
};

#define FLUSH_AT ((size_t)1 << 20)

/* Output collects in o->text and goes to f a mebibyte at a time: the
 * document is thousands of small pieces (a key, a tab, a row). */
static void flush(struct out *o)
{
	if (o->text.failed)
		o->failed = 1;
	else if (o->text.len && fwrite(o->text.data, 1, o->text.len, o->f) != o->text.len)
		o->failed = 1;
	sm_buf_reset(&o->text);
}

/* Writes out the open run of rows (and what came before it). */
static void settle(struct out *o)
{
	o->run_open = 0;
	flush(o);
	if (!o->failed &&
	    sm_row_spool_copy(o->spool, o->run_at, (size_t)(o->run_end - o->run_at), o->f) != 0)
		o->failed = 1;
	if (o->run_sep)
		sm_buf_append(&o->text, ", ", 2);
	o->run_sep = 0;
}

static void emit(struct out *o, const char *p, size_t n)
{
	if (o->run_open)
		settle(o);
	sm_buf_append(&o->text, p, n);
	if (o->text.len >= FLUSH_AT)
		flush(o);
}

static void emit_s(struct out *o, const char *s)
{
	emit(o, s, strlen(s));
}

static void emit_c(struct out *o, char c)
{
	emit(o, &c, 1);
}

static void tabs(struct out *o, int n)
{
	static const char t[] = "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";
	while (n > 0) {
		int m = n < (int)(sizeof t - 1) ? n : (int)(sizeof t - 1);
		emit(o, t, (size_t)m);
		n -= m;
	}
}

/* Text laid out at depth from (each line after the first starts with that
 * many tabs), written as it sits at depth. */
static void write_indented(struct out *o, const char *p, size_t n, int from, int depth)
{
	const char *end = p + n;
	for (const char *nl; (nl = memchr(p, '\n', (size_t)(end - p))); p = nl + 1) {
		emit(o, p, (size_t)(nl - p + 1));
		tabs(o, depth);
		for (int i = 0; i < from && nl + 1 < end && nl[1] == '\t'; i++)
			nl++;
	}
	emit(o, p, (size_t)(end - p));
}

/* One value as cJSON_Print() lays it out at the given depth. */
static void print_whole(struct out *o, const cJSON *item, int depth)
{
	if (o->run_open)
		settle(o);
	if (sm_json_fast_print(&o->text, item, depth) != 0) {
		o->failed = 1;
		return;
	}
	if (o->text.len >= FLUSH_AT)
		flush(o);
}

/* A member name, escaped as cJSON escapes it. */
static void print_key(struct out *o, const char *key)
{
	const cJSON ref = { .type = cJSON_String | cJSON_IsReference, .valuestring = (char *)key };
	print_whole(o, &ref, 0);
}

static const struct plan *rule_for(const struct plan *p, const char *key)
{
	for (size_t i = 0; p && i < p->n_sub; i++) {
		const char *k = p->sub[i].key;
		if (key ? k && !strcmp(k, key) : !k)
			return &p->sub[i];
	}
	return NULL;
}

static void stream_value(struct out *o, cJSON *item, int depth, const struct plan *p);

/* A spooled row: its text up to the closing brace, then the members added
 * to it after it was spooled (a subgroup), then the brace. */
static void stream_spooled(struct out *o, const cJSON *row, int depth)
{
	long long at;
	size_t len, kept;
	int from;
	sm_row_spool_where(row, &at, &len, &kept, &from);
	const cJSON *c = row->child;
	for (size_t i = 0; c && i < kept; i++)
		c = c->next;
	if (!c && from == depth && len >= 2) {
		/* its bytes as they stand in the spool */
		if (o->run_open && o->run_sep && at == o->run_end + 2) {
			o->run_end = at + (long long)len;
			o->run_sep = 0;
			return;
		}
		if (o->run_open)
			settle(o);
		o->run_open = 1;
		o->run_at = at;
		o->run_end = at + (long long)len;
		return;
	}
	const char *text = sm_row_spool_text(o->spool, row, &len, &kept, &from);
	if (!text || len < 2 || text[len - 1] != '}') {
		o->failed = 1;
		return;
	}
	if (!c) {
		write_indented(o, text, len, from, depth);
		return;
	}
	/* without "\n" and the closing brace's tabs and brace */
	write_indented(o, text, len - 2 - (size_t)from, from, depth);
	for (; c; c = c->next) {
		emit_s(o, ",\n");
		tabs(o, depth + 1);
		print_key(o, c->string);
		emit_s(o, ":\t");
		print_whole(o, c, depth + 1);
	}
	emit_c(o, '\n');
	tabs(o, depth);
	emit_c(o, '}');
}

/* The children of a walked container, each detached, written and freed as
 * soon as it is out. */
static void stream_children(struct out *o, cJSON *c, int depth, const struct plan *p)
{
	int object = cJSON_IsObject(c);
	for (cJSON *child; !o->failed && (child = c->child);) {
		cJSON_DetachItemViaPointer(c, child);
		if (object) {
			tabs(o, depth + 1);
			print_key(o, child->string);
			emit_s(o, ":\t");
		}
		const struct plan *r = rule_for(p, object ? child->string : NULL);
		if (o->spool && sm_row_spool_has(child))
			stream_spooled(o, child, depth + 1);
		else
			stream_value(o, child, depth + 1, r);
		cJSON_Delete(child);
		if (c->child && !object && o->run_open)
			o->run_sep = 1; /* the next row may lie right after */
		else if (c->child)
			emit_s(o, object ? ",\n" : ", ");
		else if (object)
			emit_c(o, '\n');
	}
}

static void stream_value(struct out *o, cJSON *item, int depth, const struct plan *p)
{
	int walk = p && (cJSON_IsObject(item) || cJSON_IsArray(item)) && p->sub;
	if (!walk) {
		print_whole(o, item, depth);
		return;
	}
	if (cJSON_IsObject(item)) {
		emit_s(o, "{\n");
		stream_children(o, item, depth, p);
		tabs(o, depth);
		emit_c(o, '}');
	} else {
		emit_c(o, '[');
		stream_children(o, item, depth, p);
		emit_c(o, ']');
	}
}

int sm_json_stream_results(cJSON *doc, struct sm_row_spool *spool, FILE *out)
{
	struct out o = { .f = out, .spool = spool, .failed = 0 };
	if (!doc)
		return -1;
	sm_buf_init(&o.text);
	stream_value(&o, doc, 0, &results_plan);
	cJSON_Delete(doc);
	if (!o.failed)
		emit_c(&o, '\n'); /* also settles a last run */
	flush(&o);
	sm_buf_release(&o.text);
	return o.failed || ferror(out) ? -1 : 0;
}
