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
	struct sm_buf text;         /* the value being printed */
};

static void tabs(struct out *o, int n)
{
	static const char t[] = "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";
	while (n > 0) {
		int m = n < (int)(sizeof t - 1) ? n : (int)(sizeof t - 1);
		fwrite(t, 1, (size_t)m, o->f);
		n -= m;
	}
}

/* Text laid out at depth 0, written as it sits at depth. */
static void write_indented(struct out *o, const char *p, size_t n, int depth)
{
	const char *end = p + n;
	for (const char *nl; (nl = memchr(p, '\n', (size_t)(end - p))); p = nl + 1) {
		fwrite(p, 1, (size_t)(nl - p + 1), o->f);
		tabs(o, depth);
	}
	fwrite(p, 1, (size_t)(end - p), o->f);
}

/* One value as cJSON_Print() lays it out at the given depth. */
static void print_whole(struct out *o, const cJSON *item, int depth)
{
	sm_buf_reset(&o->text);
	if (sm_json_fast_print(&o->text, item, depth) != 0) {
		o->failed = 1;
		return;
	}
	fwrite(o->text.data, 1, o->text.len, o->f);
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
	size_t len, kept;
	const char *text = sm_row_spool_text(o->spool, row, &len, &kept);
	if (!text || len < 2 || text[len - 1] != '}') {
		o->failed = 1;
		return;
	}
	const cJSON *c = row->child;
	for (size_t i = 0; c && i < kept; i++)
		c = c->next;
	if (!c) {
		write_indented(o, text, len, depth);
		return;
	}
	write_indented(o, text, len - 2, depth); /* without "\n}" */
	for (; c; c = c->next) {
		fputs(",\n", o->f);
		tabs(o, depth + 1);
		print_key(o, c->string);
		fputs(":\t", o->f);
		print_whole(o, c, depth + 1);
	}
	fputc('\n', o->f);
	tabs(o, depth);
	fputc('}', o->f);
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
			fputs(":\t", o->f);
		}
		const struct plan *r = rule_for(p, object ? child->string : NULL);
		if (o->spool && sm_row_spool_has(child))
			stream_spooled(o, child, depth + 1);
		else
			stream_value(o, child, depth + 1, r);
		cJSON_Delete(child);
		if (c->child)
			fputs(object ? ",\n" : ", ", o->f);
		else if (object)
			fputc('\n', o->f);
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
		fputs("{\n", o->f);
		stream_children(o, item, depth, p);
		tabs(o, depth);
		fputc('}', o->f);
	} else {
		fputc('[', o->f);
		stream_children(o, item, depth, p);
		fputc(']', o->f);
	}
}

int sm_json_stream_results(cJSON *doc, struct sm_row_spool *spool, FILE *out)
{
	struct out o = { .f = out, .spool = spool, .failed = 0 };
	if (!doc)
		return -1;
	sm_buf_init(&o.text);
	stream_value(&o, doc, 0, &results_plan);
	sm_buf_release(&o.text);
	cJSON_Delete(doc);
	if (!o.failed)
		fputc('\n', out);
	return o.failed || ferror(out) ? -1 : 0;
}
