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
 * The walk keeps its open containers on a stack with, for each, the last
 * child written, so that it can stop where the document is not built yet
 * and go on later (sm_json_stream_enter/_row/_leave while it is built,
 * sm_json_stream_finish for the rest): a separator is written before each
 * child but the first, since whether another follows is not known yet.
 *
 * Rows spooled at the depth they sit at (sm_row_spool.h) with nothing
 * added to them since are not read back: consecutive ones, which lie in the
 * spool with the ", " between them, collect into one run that the kernel
 * copies when the next other output comes.
 */
#include "sm_json_stream.h"

#include "sm_json_fast.h"
#include "sm_row_spool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

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

/* An open container: what of it is out. */
struct frame {
	cJSON *c;
	const struct plan *p; /* its rule (NULL: its children printed whole) */
	int depth, object;
	/* Its last child written (NULL: none yet).  Everything after it is
	 * still to be written: children are appended as the document is
	 * built, and a child written while the document is built stays in
	 * the tree, as later blocks read it. */
	cJSON *last;
	size_t n_out;
	/* not yet linked: the caller appends it to the parent before leaving */
	int pending;
};

#define SM_JSON_STREAM_MAX_OPEN 16

struct sm_json_stream {
	FILE *f;
	struct sm_row_spool *spool; /* NULL: no row was spooled */
	int failed;                 /* out of memory, or a spooled row unreadable */
	struct sm_buf text;         /* output not yet written to f */
	long long at;               /* f's offset of text's first byte */
	/* spooled rows [run_at, run_end) due before text, and whether the
	 * ", " after the last of them is owed too */
	int run_open, run_sep;
	long long run_at, run_end;
	cJSON *root; /* the document, once begun */
	struct frame stack[SM_JSON_STREAM_MAX_OPEN];
	size_t n;    /* open containers, root first */
};

/* Output collects in o->text and goes to f in pieces of FLUSH_AT bytes
 * that end at offsets of f divisible by FLUSH_AT: the document is
 * thousands of small pieces (a key, a tab, a row), and a file system with
 * large folios (ext4 on Linux 6.x) can cache a whole aligned 2 MiB write
 * as one folio instead of 512 pages (dd of 812 MB here: 0.2-0.6 s of
 * system time in aligned 2 MiB writes, 1.2-2.6 s in 1 MiB ones; in
 * analyze itself the kernel's copy of the bytes still dominates, see
 * tests/bench/README.md "Sixth round: rows"). */
#define FLUSH_AT ((size_t)2 << 20)

static void write_out(struct sm_json_stream *o, size_t n)
{
	if (o->text.failed)
		o->failed = 1;
	else if (!o->failed && n && fwrite(o->text.data, 1, n, o->f) != n)
		o->failed = 1;
	o->at += (long long)n;
	sm_buf_drop_front(&o->text, n);
}

/* Everything held, now. */
static void flush(struct sm_json_stream *o)
{
	write_out(o, o->text.len);
}

/* Once FLUSH_AT bytes are held: what ends at the last aligned offset (the
 * rest, less than FLUSH_AT, stays for the next piece). */
static void flush_due(struct sm_json_stream *o)
{
	if (o->text.len < FLUSH_AT)
		return;
	size_t over = (size_t)((unsigned long long)(o->at + (long long)o->text.len) % FLUSH_AT);
	write_out(o, o->text.len - over);
}

/* Writes out the open run of rows (and what came before it). */
static void settle(struct sm_json_stream *o)
{
	o->run_open = 0;
	flush(o);
	if (!o->failed &&
	    sm_row_spool_copy(o->spool, o->run_at, (size_t)(o->run_end - o->run_at), o->f) != 0)
		o->failed = 1;
	o->at += o->run_end - o->run_at;
	if (o->run_sep)
		sm_buf_append(&o->text, ", ", 2);
	o->run_sep = 0;
}

static void emit(struct sm_json_stream *o, const char *p, size_t n)
{
	if (o->run_open)
		settle(o);
	sm_buf_append(&o->text, p, n);
	flush_due(o);
}

static void emit_s(struct sm_json_stream *o, const char *s)
{
	emit(o, s, strlen(s));
}

static void emit_c(struct sm_json_stream *o, char c)
{
	emit(o, &c, 1);
}

static void tabs(struct sm_json_stream *o, int n)
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
static void write_indented(struct sm_json_stream *o, const char *p, size_t n, int from, int depth)
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
static void print_whole(struct sm_json_stream *o, const cJSON *item, int depth)
{
	if (o->run_open)
		settle(o);
	if (sm_json_fast_print(&o->text, item, depth) != 0) {
		o->failed = 1;
		return;
	}
	flush_due(o);
}

/* A member name, escaped as cJSON escapes it. */
static void print_key(struct sm_json_stream *o, const char *key)
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

/* A spooled row: its text up to the closing brace, then the members added
 * to it after it was spooled (a subgroup), then the brace. */
static void stream_spooled(struct sm_json_stream *o, const cJSON *row, int depth)
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

static void stream_value(struct sm_json_stream *o, cJSON *item, int depth,
			 const struct plan *p, int keep);

/* The separator before the next child of f, then its key. */
static void child_start(struct sm_json_stream *o, struct frame *f, const char *key)
{
	if (f->n_out && f->object)
		emit_s(o, ",\n");
	else if (f->n_out && o->run_open)
		o->run_sep = 1; /* owed: the next row may lie right after */
	else if (f->n_out)
		emit_s(o, ", ");
	if (f->object) {
		tabs(o, f->depth + 1);
		print_key(o, key);
		emit_s(o, ":\t");
	}
	f->n_out++;
}

/* One child of f, complete. */
static void put_child(struct sm_json_stream *o, struct frame *f, cJSON *child, int keep)
{
	child_start(o, f, child->string);
	if (o->spool && sm_row_spool_has(child))
		stream_spooled(o, child, f->depth + 1);
	else
		stream_value(o, child, f->depth + 1,
			     rule_for(f->p, f->object ? child->string : NULL), keep);
}

static void open_frame(struct sm_json_stream *o, struct frame *f)
{
	emit_s(o, f->object ? "{\n" : "[");
}

static void close_frame(struct sm_json_stream *o, const struct frame *f)
{
	if (f->object) {
		if (f->n_out)
			emit_c(o, '\n');
		tabs(o, f->depth);
		emit_c(o, '}');
	} else {
		emit_c(o, ']');
	}
}

/* The children of f after the ones already out.  With keep they stay in
 * the tree (later blocks read them); without, each is detached, written
 * and freed as soon as it is out, so that the tree shrinks as the file
 * grows. */
static void put_rest(struct sm_json_stream *o, struct frame *f, int keep)
{
	cJSON *c = f->last ? f->last->next : f->c->child;
	while (!o->failed && c) {
		cJSON *next = c->next;
		if (keep) {
			put_child(o, f, c, 1);
			f->last = c;
		} else {
			cJSON_DetachItemViaPointer(f->c, c);
			put_child(o, f, c, 0);
			cJSON_Delete(c);
		}
		c = next;
	}
}

static void stream_value(struct sm_json_stream *o, cJSON *item, int depth,
			 const struct plan *p, int keep)
{
	int walk = p && (cJSON_IsObject(item) || cJSON_IsArray(item)) && p->sub;
	if (!walk) {
		print_whole(o, item, depth);
		return;
	}
	struct frame f = { .c = item, .p = p, .depth = depth, .object = cJSON_IsObject(item) };
	open_frame(o, &f);
	put_rest(o, &f, keep);
	close_frame(o, &f);
}

static struct sm_json_stream *out_new(FILE *f, struct sm_row_spool *spool)
{
	struct sm_json_stream *o = calloc(1, sizeof *o);
	if (!o)
		return NULL;
	o->f = f;
	o->spool = spool;
	sm_buf_init(&o->text);
	/* where the output stands (a pipe has no offset: any is as good;
	 * its ESPIPE is not the errno a caller reads after a failed write) */
	int e = errno;
	off_t at = ftello(f);
	errno = e;
	o->at = at > 0 ? (long long)at : 0;
	return o;
}

struct sm_json_stream *sm_json_stream_new(FILE *out, struct sm_row_spool *spool)
{
	return out_new(out, spool);
}

void sm_json_stream_free(struct sm_json_stream *s)
{
	if (!s)
		return;
	sm_buf_release(&s->text);
	free(s);
}

void sm_json_stream_begin(struct sm_json_stream *s, cJSON *doc)
{
	if (s->n || s->root || (!cJSON_IsObject(doc) && !cJSON_IsArray(doc))) {
		s->failed = 1;
		return;
	}
	s->root = doc;
	s->stack[0] = (struct frame){ .c = doc, .p = &results_plan, .depth = 0,
				      .object = cJSON_IsObject(doc) };
	s->n = 1;
	open_frame(s, &s->stack[0]);
}

int sm_json_stream_begun(const struct sm_json_stream *s)
{
	return s && s->root;
}

const cJSON *sm_json_stream_top(const struct sm_json_stream *s)
{
	return s && s->n ? s->stack[s->n - 1].c : NULL;
}

void sm_json_stream_enter(struct sm_json_stream *s, cJSON *child)
{
	if (!s->n || s->n == SM_JSON_STREAM_MAX_OPEN || (!cJSON_IsObject(child) &&
							 !cJSON_IsArray(child))) {
		s->failed = 1;
		return;
	}
	struct frame *f = &s->stack[s->n - 1];
	cJSON *c = f->last ? f->last->next : f->c->child;
	for (; !s->failed && c && c != child; c = c->next) {
		put_child(s, f, c, 1);
		f->last = c;
	}
	/* not found: the next element the caller appends (a pending member
	 * of an object is named already) */
	int pending = c != child;
	if (pending && f->object && !child->string)
		s->failed = 1;
	if (s->failed)
		return;
	child_start(s, f, child->string);
	if (!pending)
		f->last = child;
	struct frame *in = &s->stack[s->n++];
	*in = (struct frame){ .c = child, .depth = f->depth + 1, .object = cJSON_IsObject(child),
			      .pending = pending,
			      .p = rule_for(f->p, f->object ? child->string : NULL) };
	open_frame(s, in);
}

/* Closes the top frame; a pending container must have been appended to
 * its parent by now (as its last child). */
static void pop(struct sm_json_stream *o)
{
	struct frame *f = &o->stack[--o->n];
	close_frame(o, f);
	if (!f->pending || !o->n)
		return;
	struct frame *up = &o->stack[o->n - 1];
	if (!up->c->child || up->c->child->prev != f->c)
		o->failed = 1; /* it would be printed twice, or never */
	up->last = f->c;
}

void sm_json_stream_leave(struct sm_json_stream *s)
{
	if (s->n < 2) {
		s->failed = 1;
		return;
	}
	put_rest(s, &s->stack[s->n - 1], 1);
	if (!s->failed)
		pop(s);
}

void sm_json_stream_row(struct sm_json_stream *s, cJSON *row, const char *const *keep,
			size_t n_keep)
{
	struct frame *f = s->n ? &s->stack[s->n - 1] : NULL;
	cJSON *next = !f ? NULL : f->last ? f->last->next : f->c->child;
	if (!f || next != row || row->next || !cJSON_IsObject(row))
		s->failed = 1;
	if (!s->failed) {
		put_child(s, f, row, 1);
		f->last = row;
	}
	/* also after a failure: the tree stays small while the build goes on
	 * to the error the output gets */
	sm_row_cut(row, keep, n_keep);
}

void sm_json_stream_row_untreed(struct sm_json_stream *s, const char *text, size_t len)
{
	struct frame *f = s->n ? &s->stack[s->n - 1] : NULL;
	cJSON *next = !f ? NULL : f->last ? f->last->next : f->c->child;
	if (!f || f->object || next || !text)
		s->failed = 1;
	if (s->failed)
		return;
	child_start(s, f, NULL);
	emit(s, text, len); /* f->last stays: nothing of it is in the tree */
}

void sm_json_stream_row_drop(struct sm_json_stream *s, cJSON *row)
{
	struct frame *f = s->n ? &s->stack[s->n - 1] : NULL;
	cJSON *next = !f ? NULL : f->last ? f->last->next : f->c->child;
	if (!f || next != row || row->next)
		s->failed = 1;
	if (!s->failed)
		put_child(s, f, row, 1); /* f->last stays: row is gone */
	if (f && next == row)
		cJSON_Delete(cJSON_DetachItemViaPointer(f->c, row));
}

void sm_json_stream_flush(struct sm_json_stream *s)
{
	if (s->run_open)
		settle(s);
	flush(s);
}

int sm_json_stream_failed(const struct sm_json_stream *s)
{
	return s->failed || s->text.failed;
}

int sm_json_stream_finish(struct sm_json_stream *s)
{
	while (s->n && !s->failed) {
		put_rest(s, &s->stack[s->n - 1], 0);
		if (!s->failed)
			pop(s);
	}
	cJSON_Delete(s->root);
	s->root = NULL;
	if (!s->failed)
		emit_c(s, '\n'); /* also settles a last run */
	flush(s);
	return s->failed || ferror(s->f) ? -1 : 0;
}

int sm_json_stream_results(cJSON *doc, struct sm_row_spool *spool, FILE *out)
{
	if (!doc)
		return -1;
	struct sm_json_stream *o = out_new(out, spool);
	if (!o) {
		cJSON_Delete(doc);
		return -1;
	}
	int rc;
	if (cJSON_IsObject(doc) || cJSON_IsArray(doc)) {
		sm_json_stream_begin(o, doc);
		rc = sm_json_stream_finish(o);
	} else {
		print_whole(o, doc, 0);
		cJSON_Delete(doc);
		if (!o->failed)
			emit_c(o, '\n');
		flush(o);
		rc = o->failed || ferror(out) ? -1 : 0;
	}
	sm_json_stream_free(o);
	return rc;
}
