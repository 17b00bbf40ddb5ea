/* sm_res_read.c -- decoding a results document into the typed model
 * (sm_res.h), driven by the key table (sm_res_keys.h).
 *
 * yajl delivers the document token by token; a stack of frames knows what
 * each token must be (a key of this object, an element of that list) and
 * writes it straight into the C structs, so no tree of the whole file is
 * ever built: memory is the typed model plus the text.  Positions: yajl
 * says where the current token ends; its start is the first character
 * after the previous token that is not white space, ',' or ':'.  Paths for
 * messages are formatted from the stack only when something is wrong. */
#include "sm_res_int.h"

#include "sm_decimal.h"

#include "sm_buf.h"
#include "sm_json_pos.h"
#include "sm_limits.h"
#include "sm_textfile.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>
#include <errno.h>
#include <unistd.h>

enum frame_kind {
	F_OBJ,   /* an object of the key table */
	F_LIST,  /* a list of objects */
	F_STRS,  /* a list of strings */
	F_NUMS,  /* a list of numbers */
	F_PAIR,  /* [lower, upper] */
	F_CHARS, /* an object of free-form values */
	F_ROWS,  /* a list of rows */
	F_ROW,   /* a row of free-form values */
	F_ANY    /* skipped */
};

struct frame {
	enum frame_kind kind;
	const struct sm_robj *obj;  /* F_OBJ: its keys; F_LIST: the elements' */
	char *base;                 /* F_OBJ: the struct; others: the member */
	const struct sm_rkey *key;  /* F_OBJ: the key whose value comes next */
	const char *via;            /* the key this frame is the value of (path) */
	size_t next;                /* F_OBJ: index of the key expected next */
	uint64_t seen[SM_RES_MAX_KEYS / 64]; /* F_OBJ: keys met so far, one bit each */
	size_t n, cap;              /* list frames: items so far, capacity */
	size_t start;               /* offset of its '{' or '[' */
	int depth;                  /* F_ANY: nesting below it */
	const char *pending;        /* F_CHARS: the key of the next value */
	int loose;                  /* F_LIST: its objects may lack required keys;
				     * F_OBJ: one of those */
};

#define MAX_FRAMES 32

struct rd {
	struct sm_ctx *ctx;
	const char *path, *text;
	size_t len;
	yajl_handle h;
	struct sm_res *res;
	struct frame st[MAX_FRAMES];
	int top;        /* index of the innermost frame; -1 before the document */
	size_t prev_end; /* where the previous token ended */
	size_t bom;      /* bytes of a UTF-8 BOM yajl was not shown */
	size_t base;     /* streamed: where the chunk yajl is parsing starts (bom excluded) */
	int failed;
};

/* Where the token yajl just delivered ends, as an offset into text. */
static size_t consumed(const struct rd *r)
{
	return r->bom + r->base + yajl_get_bytes_consumed(r->h);
}

/* ---- positions and messages ------------------------------------------------ */

static size_t token_start(const struct rd *r)
{
	size_t i = r->prev_end;
	while (i < r->len && strchr(" \t\r\n,:", r->text[i]) && r->text[i])
		i++;
	return i;
}

static int is_list(const struct frame *f)
{
	return f->kind == F_LIST || f->kind == F_STRS || f->kind == F_NUMS || f->kind == F_PAIR ||
	       f->kind == F_ROWS || f->kind == F_ROW;
}

/* The path of the value being decoded ("analyses[2].k"): the keys and
 * indices down the stack, then the innermost object's current key (or
 * `key`, a key that is not in the table). */
static void path_of(const struct rd *r, struct sm_buf *b, const char *key, size_t keylen)
{
	for (int i = 0; i <= r->top; i++) {
		const struct frame *f = &r->st[i];
		if (f->via)
			sm_buf_printf(b, "%s%s", b->len ? "." : "", f->via);
		/* below the top a list's last item is being decoded; at the top
		 * the item that failed was not added yet */
		if (is_list(f))
			sm_buf_printf(b, "[%zu]", i < r->top ? f->n - 1 : f->n);
	}
	const struct frame *t = r->top >= 0 ? &r->st[r->top] : NULL;
	if (t && t->kind == F_OBJ && t->key)
		sm_buf_printf(b, "%s%s", b->len ? "." : "", t->key->key);
	else if (t && t->kind == F_CHARS && t->pending)
		sm_buf_printf(b, "%s%s", b->len ? "." : "", t->pending);
	else if (key)
		sm_buf_printf(b, "%s%.*s", b->len ? "." : "", (int)keylen, key);
}

static int fail_at(struct rd *r, size_t offset, const char *key, size_t keylen, const char *fmt,
		   ...) __attribute__((format(printf, 5, 6)));

static int fail_at(struct rd *r, size_t offset, const char *key, size_t keylen, const char *fmt,
		   ...)
{
	if (r->failed)
		return 0;
	r->failed = 1;
	struct sm_buf p, m;
	sm_buf_init(&p);
	sm_buf_init(&m);
	path_of(r, &p, key, keylen);
	va_list ap;
	va_start(ap, fmt);
	sm_buf_vprintf(&m, fmt, ap);
	va_end(ap);
	if (p.failed || m.failed) {
		SM_FAIL(r->ctx, SM_EINTERNAL, "out of memory");
	} else if (p.len) {
		sm_textfile_fail(r->ctx, r->path, r->text, r->len, offset, p.data, "field '%s': %s",
				 p.data, m.data);
	} else {
		sm_textfile_fail(r->ctx, r->path, r->text, r->len, offset, NULL, "%s", m.data);
	}
	sm_buf_release(&p);
	sm_buf_release(&m);
	return 0;
}

static int oom(struct rd *r)
{
	if (!r->failed)
		SM_FAIL(r->ctx, SM_EINTERNAL, "out of memory");
	r->failed = 1;
	return 0;
}

/* What a key's value must be, in words. */
static void expected(struct sm_buf *b, const struct sm_rkey *k)
{
	switch (k->type) {
	case SM_RK_NUM:
		if ((k->flags & SM_RK_INT) && (k->flags & SM_RK_POS))
			sm_buf_puts(b, "a positive whole number");
		else if ((k->flags & SM_RK_INT) && (k->flags & SM_RK_NONNEG))
			sm_buf_puts(b, "a non-negative whole number");
		else if (k->flags & SM_RK_INT)
			sm_buf_puts(b, "a whole number");
		else if (k->flags & SM_RK_PROB)
			sm_buf_puts(b, "a number from 0 to 1");
		else if (k->flags & SM_RK_PCT)
			sm_buf_puts(b, "a percentage from 0 to 100");
		else if (k->flags & SM_RK_POS)
			sm_buf_puts(b, "a positive number");
		else if (k->flags & SM_RK_NONNEG)
			sm_buf_puts(b, "a non-negative number");
		else
			sm_buf_puts(b, "a finite number");
		break;
	case SM_RK_BOOL: sm_buf_puts(b, "true or false"); break;
	case SM_RK_STR:
		if (k->words) {
			sm_buf_puts(b, "one of ");
			for (const char *const *w = k->words; *w; w++)
				sm_buf_printf(b, "%s%s", w == k->words ? "" : ", ", *w);
		} else {
			sm_buf_puts(b, "a string");
		}
		break;
	case SM_RK_OBJ: case SM_RK_CHARS: sm_buf_puts(b, "an object"); break;
	case SM_RK_LIST: sm_buf_puts(b, "a list of objects"); break;
	case SM_RK_STRS: sm_buf_puts(b, "a list of strings"); break;
	case SM_RK_NUMS: sm_buf_puts(b, "a list of numbers"); break;
	case SM_RK_PAIR: sm_buf_puts(b, "a list of two numbers [lower, upper]"); break;
	case SM_RK_BOOL2: sm_buf_puts(b, "a list of two booleans"); break;
	case SM_RK_REF: sm_buf_puts(b, "an object"); break;
	case SM_RK_ROWS: sm_buf_puts(b, "a list of rows (lists of cells)"); break;
	case SM_RK_ANY: case SM_RK_IGNORE: sm_buf_puts(b, "a JSON value"); break;
	}
	if (k->flags & SM_RK_NULLABLE)
		sm_buf_puts(b, " or null");
}

static int bad_value(struct rd *r, const struct sm_rkey *k, const char *extra)
{
	size_t at = token_start(r);
	char got[96];
	sm_json_excerpt(r->text, r->len, at, got, sizeof got, 24);
	struct sm_buf e;
	sm_buf_init(&e);
	expected(&e, k);
	int rc = fail_at(r, at, NULL, 0, "expected %s%s, got %s", e.data ? e.data : "?",
			 extra ? extra : "", got);
	sm_buf_release(&e);
	return rc;
}

static int bad_item(struct rd *r, const char *what)
{
	size_t at = token_start(r);
	char got[96];
	sm_json_excerpt(r->text, r->len, at, got, sizeof got, 24);
	return fail_at(r, at, NULL, 0, "expected %s, got %s", what, got);
}

/* ---- frames ------------------------------------------------------------------ */

static struct frame *top(struct rd *r)
{
	return &r->st[r->top];
}

static struct frame *push(struct rd *r, enum frame_kind kind, const struct sm_robj *obj,
			  char *base, const char *via, size_t start)
{
	if (r->top + 1 >= MAX_FRAMES) {
		fail_at(r, start, NULL, 0, "nested too deeply; expected the layout of a results "
			"document");
		return NULL;
	}
	struct frame *f = &r->st[++r->top];
	*f = (struct frame){ .kind = kind, .obj = obj, .base = base, .via = via, .start = start };
	return f;
}

/* Where the value about to be decoded goes: the key of an object frame,
 * or a new item of a list frame.  *k receives the key that describes it
 * (for list items: the list's key as seen from its parent). */
static const struct sm_rkey *slot_key(struct rd *r)
{
	struct frame *f = top(r);
	if (f->kind == F_OBJ)
		return f->key;
	/* the parent object's current key describes the list */
	if (r->top > 0 && r->st[r->top - 1].kind == F_OBJ)
		return r->st[r->top - 1].key;
	return NULL;
}

static struct sm_res_cell *new_cell(struct rd *r, struct frame *f);

/* Grow a {v, n} list member by one zeroed item of `size` bytes; the new
 * item, or NULL on out of memory. */
static void *list_append(struct rd *r, struct frame *f, size_t size)
{
	/* Every SM_RES_LIST is {T *v; size_t n;}: the pointer first, then the
	 * count; written through memcpy, not through a struct of another type. */
	void *v;
	memcpy(&v, f->base, sizeof v);
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 4;
		v = sm_res_mem_realloc(r->res->mem, v, cap, size);
		if (!v)
			return NULL;
		memcpy(f->base, &v, sizeof v);
		f->cap = cap;
	}
	char *item = (char *)v + f->n * size;
	memset(item, 0, size);
	f->n++;
	memcpy(f->base + sizeof v, &f->n, sizeof f->n);
	return item;
}

/* ---- scalars ------------------------------------------------------------------ */

static int check_range(struct rd *r, const struct sm_rkey *k, double v)
{
	unsigned fl = k->flags;
	if (((fl & SM_RK_INT) && v != floor(v)) || ((fl & SM_RK_NONNEG) && v < 0) ||
	    ((fl & SM_RK_POS) && !(v > 0)) || ((fl & SM_RK_PROB) && (v < 0 || v > 1)) ||
	    ((fl & SM_RK_PCT) && (v < 0 || v > 100)))
		return bad_value(r, k, NULL);
	return 1;
}

/* A scalar for the top frame: kind 'n' number (v), 's' string (s, len),
 * 'b' boolean (v), '0' null. */
static int scalar(struct rd *r, char kind, double v, const char *s, size_t len)
{
	if (r->failed)
		return 0;
	if (r->top < 0)
		return fail_at(r, token_start(r), NULL, 0, "expected an object (a results "
			       "document written by safemeta analyze)");
	struct frame *f = top(r);
	if (f->kind == F_ANY)
		return 1;
	if (f->kind == F_CHARS || f->kind == F_ROW) {
		struct sm_res_cell *c = new_cell(r, f);
		if (!c)
			return r->failed ? 0 : oom(r);
		if (kind == 's') {
			c->kind = SM_CELL_STRING;
			if (!(c->s = sm_res_mem_str(r->res->mem, s, len)))
				return oom(r);
		} else if (kind == 'n') {
			c->kind = SM_CELL_NUMBER;
			c->v = v;
		} else if (kind == 'b') {
			c->kind = SM_CELL_BOOL;
			c->v = v;
		}
		return 1;
	}
	const struct sm_rkey *k = slot_key(r);
	if (!k)
		return fail_at(r, token_start(r), NULL, 0, "unexpected value");
	if (f->kind == F_STRS) {
		if (kind != 's' && kind != '0')
			return bad_item(r, "a string or null");
		const char **item = list_append(r, f, sizeof(const char *));
		if (!item)
			return oom(r);
		if (kind == 's' && !(*item = sm_res_mem_str(r->res->mem, s, len)))
			return oom(r);
		return 1;
	}
	if (f->kind == F_NUMS) {
		if (kind != 'n' && kind != '0')
			return bad_item(r, "a number or null");
		double *item = list_append(r, f, sizeof(double));
		if (!item)
			return oom(r);
		*item = kind == 'n' ? v : NAN;
		return 1;
	}
	if (f->kind == F_PAIR && k->type == SM_RK_BOOL2) {
		if (f->n >= 2)
			return bad_item(r, "no more than two booleans");
		if (kind != 'b' && kind != '0')
			return bad_item(r, "true, false or null");
		((int *)f->base)[f->n++] = kind == 'b' ? (int)v : -1;
		return 1;
	}
	if (f->kind == F_PAIR) {
		if (f->n >= 2)
			return bad_item(r, "no more than two numbers [lower, upper]");
		if (kind != 'n' && kind != '0')
			return bad_item(r, "a number or null");
		((double *)f->base)[f->n++] = kind == 'n' ? v : NAN;
		return 1;
	}
	if (f->kind != F_OBJ)
		return bad_value(r, k, NULL);
	if (k->type == SM_RK_IGNORE)
		return 1;
	char *m = f->base + k->offset;
	if (kind == '0') {
		if (!(k->flags & SM_RK_NULLABLE))
			return bad_value(r, k, NULL);
		return 1; /* members start as null */
	}
	switch (k->type) {
	case SM_RK_NUM:
		if (kind != 'n')
			return bad_value(r, k, NULL);
		if (!check_range(r, k, v))
			return 0;
		*(double *)m = v;
		return 1;
	case SM_RK_BOOL:
		if (kind != 'b')
			return bad_value(r, k, NULL);
		*(int *)m = (int)v;
		return 1;
	case SM_RK_STR:
		if (kind != 's')
			return bad_value(r, k, NULL);
		if (k->words) {
			const char *const *w = k->words;
			while (*w && (strlen(*w) != len || memcmp(*w, s, len)))
				w++;
			if (!*w)
				return bad_value(r, k, NULL);
		}
		if (!(*(const char **)m = sm_res_mem_str(r->res->mem, s, len)))
			return oom(r);
		return 1;
	case SM_RK_ANY:
		*(int *)m = 1;
		return 1;
	default:
		return bad_value(r, k, NULL);
	}
}

static int on_null(void *ctx)
{
	return scalar(ctx, '0', 0, NULL, 0);
}

static int on_bool(void *ctx, int b)
{
	return scalar(ctx, 'b', b ? 1 : 0, NULL, 0);
}

static int on_number(void *ctx, const char *s, size_t len)
{
	struct rd *r = ctx;
	char buf[64];
	double v = NAN;
	if (sm_decimal_parse(s, len, &v) != 0 && len < sizeof buf) {
		memcpy(buf, s, len);
		buf[len] = 0;
		v = strtod(buf, NULL);
	}
	int rc = isfinite(v) ? scalar(r, 'n', v, NULL, 0)
			     : (r->top >= 0 && top(r)->kind == F_ANY)
			     ? 1
			     : fail_at(r, token_start(r), NULL, 0,
				       "number out of range; expected a finite number");
	r->prev_end = consumed(r);
	return rc;
}

static int on_string(void *ctx, const unsigned char *s, size_t len)
{
	struct rd *r = ctx;
	int rc;
	if (memchr(s, 0, len))
		rc = fail_at(r, token_start(r), NULL, 0, "string holds a NUL character; "
			     "expected text");
	else if (len > SM_MAX_TEXT_BYTES)
		rc = fail_at(r, token_start(r), NULL, 0, "string of %zu bytes; expected at most "
			     "%zu", len, (size_t)SM_MAX_TEXT_BYTES);
	else
		rc = scalar(r, 's', 0, (const char *)s, len);
	r->prev_end = consumed(r);
	return rc;
}

static int on_null_tok(void *ctx)
{
	struct rd *r = ctx;
	int rc = on_null(ctx);
	r->prev_end = consumed(r);
	return rc;
}

static int on_bool_tok(void *ctx, int b)
{
	struct rd *r = ctx;
	int rc = on_bool(ctx, b);
	r->prev_end = consumed(r);
	return rc;
}

/* ---- free-form cells ----------------------------------------------------------- */

static struct sm_res_cell *new_cell(struct rd *r, struct frame *f)
{
	if (f->kind == F_ROW) {
		struct sm_res_cell *c = list_append(r, f, sizeof *c);
		return c;
	}
	struct sm_res_char *ch = list_append(r, f, sizeof *ch);
	if (!ch)
		return NULL;
	ch->key = f->pending;
	f->pending = NULL;
	return &ch->value;
}

/* ---- objects and lists ------------------------------------------------------------ */

static void init_object(const struct sm_robj *o, char *base);

static void init_member(const struct sm_rkey *k, char *m)
{
	switch (k->type) {
	case SM_RK_NUM: *(double *)m = NAN; break;
	case SM_RK_BOOL: *(int *)m = -1; break;
	case SM_RK_PAIR: ((double *)m)[0] = ((double *)m)[1] = NAN; break;
	case SM_RK_BOOL2: ((int *)m)[0] = ((int *)m)[1] = -1; break;
	case SM_RK_OBJ: init_object(k->obj, m); break;
	default: break; /* strings NULL, lists empty, ANY 0 (memset) */
	}
}

/* Every member null; present stays 0 until the object is met. */
static void init_object(const struct sm_robj *o, char *base)
{
	memset(base, 0, o->size);
	for (size_t i = 0; i < o->nkeys; i++)
		init_member(&o->keys[i], base + o->keys[i].offset);
}

/* The '{' or '[' at `at` opens the value of the current slot; messages
 * about it point at it (prev_end still ends the token before). */
static int open_container(struct rd *r, int is_map, size_t at)
{
	if (r->top < 0) {
		if (!is_map)
			return fail_at(r, at, NULL, 0, "expected an object (a results document "
				       "written by safemeta analyze), got a list");
		/* the document's memory and name survive its members' reset */
		struct sm_res_mem *mem = r->res->mem;
		const char *path = r->res->path;
		init_object(&sm_res_doc_schema, (char *)r->res);
		r->res->mem = mem;
		r->res->path = path;
		r->res->present = 1;
		return push(r, F_OBJ, &sm_res_doc_schema, (char *)r->res, NULL, at) != NULL;
	}
	struct frame *f = top(r);
	if (f->kind == F_ANY) {
		if (++f->depth > SM_MAX_JSON_DEPTH)
			return fail_at(r, at, NULL, 0, "nested deeper than %d levels; expected at "
				       "most that", SM_MAX_JSON_DEPTH);
		return 1;
	}
	if (f->kind == F_CHARS || f->kind == F_ROW)
		return fail_at(r, at, NULL, 0, "expected a string, number, boolean or null, "
			       "got %s", is_map ? "an object" : "a list");
	const struct sm_rkey *k = slot_key(r);
	if (!k)
		return fail_at(r, at, NULL, 0, "unexpected %s", is_map ? "object" : "list");
	if (f->kind == F_ROWS) {
		if (is_map)
			return bad_value(r, k, NULL);
		struct sm_res_row *row = list_append(r, f, sizeof *row);
		if (!row)
			return oom(r);
		return push(r, F_ROW, NULL, (char *)&row->cells, NULL, at) != NULL;
	}
	if (f->kind == F_LIST) {
		if (!is_map)
			return bad_value(r, k, NULL);
		char *item = list_append(r, f, f->obj->size);
		if (!item)
			return oom(r);
		init_object(f->obj, item);
		((int *)item)[0] = 1; /* present */
		struct frame *o = push(r, F_OBJ, f->obj, item, NULL, at);
		if (o)
			o->loose = f->loose;
		return o != NULL;
	}
	if (f->kind != F_OBJ)
		return bad_value(r, k, NULL);
	char *m = f->base + k->offset;
	const char *via = k->key;
	switch (k->type) {
	case SM_RK_OBJ:
		if (!is_map)
			return bad_value(r, k, NULL);
		*(int *)m = 1;
		return push(r, F_OBJ, k->obj, m, via, at) != NULL;
	case SM_RK_CHARS:
		if (!is_map)
			return bad_value(r, k, NULL);
		return push(r, F_CHARS, NULL, m, via, at) != NULL;
	case SM_RK_LIST: {
		if (is_map)
			return bad_value(r, k, NULL);
		struct frame *l = push(r, F_LIST, k->obj, m, via, at);
		if (l)
			l->loose = (k->flags & SM_RK_LOOSE) != 0;
		return l != NULL;
	}
	case SM_RK_NUMS:
		if (is_map)
			return bad_value(r, k, NULL);
		return push(r, F_NUMS, NULL, m, via, at) != NULL;
	case SM_RK_STRS:
		if (is_map)
			return bad_value(r, k, NULL);
		return push(r, F_STRS, NULL, m, via, at) != NULL;
	case SM_RK_PAIR:
	case SM_RK_BOOL2:
		if (is_map)
			return bad_value(r, k, NULL);
		return push(r, F_PAIR, NULL, m, via, at) != NULL;
	case SM_RK_REF: {
		/* an object of its own behind a pointer (an analysis inside an
		 * analysis) */
		if (!is_map)
			return bad_value(r, k, NULL);
		char *item = sm_res_mem_realloc(r->res->mem, NULL, 1, k->obj->size);
		if (!item)
			return oom(r);
		init_object(k->obj, item);
		((int *)item)[0] = 1;
		memcpy(m, &item, sizeof item);
		return push(r, F_OBJ, k->obj, item, via, at) != NULL;
	}
	case SM_RK_ROWS:
		if (is_map)
			return bad_value(r, k, NULL);
		return push(r, F_ROWS, NULL, m, via, at) != NULL;
	case SM_RK_IGNORE:
	case SM_RK_ANY: {
		if (k->type == SM_RK_ANY)
			*(int *)m = 1;
		struct frame *a = push(r, F_ANY, NULL, NULL, via, at);
		if (a)
			a->depth = 1;
		return a != NULL;
	}
	default:
		return bad_value(r, k, NULL);
	}
}

static int start_container(struct rd *r, int is_map)
{
	if (r->failed)
		return 0;
	int rc = open_container(r, is_map, token_start(r));
	r->prev_end = consumed(r);
	return rc;
}

static int on_start_map(void *ctx)
{
	return start_container(ctx, 1);
}

static int on_start_array(void *ctx)
{
	return start_container(ctx, 0);
}

static int missing_keys(struct rd *r, struct frame *f)
{
	if (f->loose)
		return 1;
	for (size_t i = 0; i < f->obj->nkeys; i++) {
		const struct sm_rkey *k = &f->obj->keys[i];
		if ((f->seen[i / 64] >> (i % 64) & 1) || (k->flags & SM_RK_OPTIONAL))
			continue;
		struct sm_buf e;
		sm_buf_init(&e);
		expected(&e, k);
		f->key = NULL;
		const char *hint = !strcmp(k->key, "results_version")
			? "; this is not a results document of this safemeta (run safemeta analyze "
			  "again to write one)"
			: "";
		int rc = fail_at(r, f->start, NULL, 0, "missing required key '%s' (%s)%s",
				 k->key, e.data ? e.data : "?", hint);
		sm_buf_release(&e);
		return rc;
	}
	return 1;
}

static int end_container(struct rd *r)
{
	if (r->failed)
		return 0;
	size_t end = consumed(r);
	struct frame *f = top(r);
	if (f->kind == F_ANY && --f->depth > 0) {
		r->prev_end = end;
		return 1;
	}
	if (f->kind == F_OBJ && !missing_keys(r, f))
		return 0;
	if (f->kind == F_PAIR && f->n != 2) {
		/* name the pair itself, at its '[' */
		r->top--;
		r->prev_end = f->start;
		const struct sm_rkey *k = slot_key(r);
		return k ? bad_value(r, k, NULL) : 0;
	}
	r->top--;
	r->prev_end = end;
	if (r->top >= 0 && top(r)->kind == F_OBJ)
		top(r)->key = NULL;
	return 1;
}

static int on_end(void *ctx)
{
	return end_container(ctx);
}

static int unknown_key(struct rd *r, const struct frame *f, const char *s, size_t len)
{
	struct sm_buf e;
	sm_buf_init(&e);
	for (size_t i = 0; i < f->obj->nkeys; i++)
		sm_buf_printf(&e, "%s%s", i ? ", " : "", f->obj->keys[i].key);
	int rc = fail_at(r, token_start(r), s, len, "unknown key; expected one of %s",
			 e.data ? e.data : "?");
	sm_buf_release(&e);
	return rc;
}

/* "<key>_infinite" beside a number (or pair, or list of numbers) of the
 * object: the sign of a statistic that is infinite where the number is
 * null (README, "Results JSON"); validated as JSON, not kept. */
static const struct sm_rkey infinite_key = { "<key>_infinite", SM_RK_IGNORE, SM_RK_OPTIONAL, 0,
					     NULL, NULL, "the sign of an infinite value" };

static const struct sm_rkey *infinite_sibling(const struct sm_robj *o, const char *s, size_t len)
{
	static const char suffix[] = "_infinite";
	size_t n = sizeof suffix - 1;
	if (len <= n || memcmp(s + len - n, suffix, n))
		return NULL;
	const struct sm_rkey *k = sm_rkey_find(o, s, len - n);
	if (!k || (k->type != SM_RK_NUM && k->type != SM_RK_PAIR && k->type != SM_RK_NUMS))
		return NULL;
	return &infinite_key;
}

/* Characteristics are few per study: a linear look for a repeated key. */
static int chars_has(const struct frame *f, const char *s, size_t len)
{
	const SM_RES_LIST(struct sm_res_char) *list = (const void *)f->base;
	for (size_t i = 0; i < list->n; i++)
		if (strlen(list->v[i].key) == len && !memcmp(list->v[i].key, s, len))
			return 1;
	return 0;
}

static int on_key(void *ctx, const unsigned char *key, size_t len)
{
	struct rd *r = ctx;
	if (r->failed)
		return 0;
	const char *s = (const char *)key;
	struct frame *f = top(r);
	int rc = 1;
	if (f->kind == F_CHARS) {
		if (memchr(s, 0, len))
			rc = fail_at(r, token_start(r), NULL, 0, "key holds a NUL character");
		else if (chars_has(f, s, len))
			rc = fail_at(r, token_start(r), s, len, "duplicate key; expected each key "
				     "once");
		else if (!(f->pending = sm_res_mem_str(r->res->mem, s, len)))
			rc = oom(r);
	} else if (f->kind == F_OBJ) {
		/* The writer's order is the table's: try the next key first. */
		const struct sm_rkey *k = NULL;
		const struct sm_robj *o = f->obj;
		if (f->next < o->nkeys && strlen(o->keys[f->next].key) == len &&
		    !memcmp(o->keys[f->next].key, s, len))
			k = &o->keys[f->next];
		else
			k = sm_rkey_find(o, s, len);
		if (!k)
			k = infinite_sibling(o, s, len);
		if (!k) {
			f->key = NULL;
			rc = unknown_key(r, f, s, len);
		} else if (k->type == SM_RK_IGNORE) {
			f->key = k;
		} else {
			size_t i = (size_t)(k - o->keys);
			f->next = i + 1;
			if (f->seen[i / 64] >> (i % 64) & 1) {
				f->key = NULL;
				rc = fail_at(r, token_start(r), s, len, "duplicate key; expected "
					     "each key once");
			} else {
				f->seen[i / 64] |= (uint64_t)1 << (i % 64);
				f->key = k;
			}
		}
	}
	r->prev_end = consumed(r);
	return rc;
}

static const yajl_callbacks callbacks = {
	.yajl_null = on_null_tok,
	.yajl_boolean = on_bool_tok,
	.yajl_number = on_number,
	.yajl_string = on_string,
	.yajl_start_map = on_start_map,
	.yajl_map_key = on_key,
	.yajl_end_map = on_end,
	.yajl_start_array = on_start_array,
	.yajl_end_array = on_end,
};

/* A syntax error: sm_json_scan words it precisely and says where.  When it
 * accepts the text, yajl failed for want of memory (sm_json_scan). */
static void syntax_error(struct rd *r)
{
	size_t off = 0;
	char *msg = NULL;
	int scan = sm_json_scan(r->text, r->len, &off, &msg);
	size_t bad = scan == 0 ? sm_utf8_check(r->text, r->len) : r->len;
	if (bad < r->len) {
		/* yajl checks UTF-8 in strings, the scanner does not */
		sm_textfile_fail(r->ctx, r->path, r->text, r->len, bad, NULL, "invalid UTF-8 "
				 "(byte 0x%02X); expected UTF-8 text", (unsigned char)r->text[bad]);
		return;
	}
	if (scan != -1 || !msg) {
		free(msg);
		SM_FAIL(r->ctx, SM_EINTERNAL, "out of memory");
		return;
	}
	sm_textfile_fail(r->ctx, r->path, r->text, r->len, off, NULL, "%s", msg);
	free(msg);
}

sm_status sm_res_decode(struct sm_ctx *ctx, struct sm_res *res, const char *path,
			const char *text, size_t len)
{
	struct rd r = { .ctx = ctx, .path = path, .text = text, .len = len, .res = res,
			.top = -1 };
	size_t bom = sm_textfile_bom(text, len);
	r.h = yajl_alloc(&callbacks, NULL, &r);
	if (!r.h)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	r.prev_end = bom;
	r.bom = bom;
	yajl_status s = yajl_parse(r.h, (const unsigned char *)text + bom, len - bom);
	if (s == yajl_status_ok)
		s = yajl_complete_parse(r.h);
	yajl_free(r.h);
	if (r.failed)
		return sm_ctx_status(ctx, SM_EINPUT);
	if (s != yajl_status_ok) {
		syntax_error(&r);
		return sm_ctx_status(ctx, SM_EINPUT);
	}
	if (!res->present)
		return sm_textfile_fail(ctx, path, text, len, bom, NULL, "empty document; expected "
					"a results document written by safemeta analyze");
	return SM_OK;
}

/* ---- streamed ------------------------------------------------------------------ */

/* Chunks of the streamed read: the text is never held whole, so reading a
 * results file costs the document it becomes, not the file's size too. */
#define STREAM_CHUNK ((size_t)4 << 20)

static ssize_t read_full(int fd, unsigned char *buf, size_t want)
{
	size_t got = 0;
	while (got < want) {
		ssize_t n = read(fd, buf + got, want - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/* How many of the n bytes of buf go to the parser now: all valid UTF-8
 * without NUL, but an incomplete sequence at the end (more may follow)
 * waits for the next chunk.  -1: the text is not UTF-8 or holds a NUL. */
static ssize_t checked_prefix(const unsigned char *buf, size_t n, int at_end)
{
	size_t ok = sm_utf8_check((const char *)buf, n);
	if (ok < n && (at_end || n - ok >= 4 || buf[ok] < 0xC2))
		return -1;
	if (memchr(buf, '\0', ok))
		return -1;
	return (ssize_t)ok;
}

sm_status sm_res_decode_fd(struct sm_ctx *ctx, struct sm_res *res, const char *path, int fd,
			   size_t max_bytes)
{
	/* no text: positions are not known, and any failure is decoded again
	 * from the whole text by the caller for its message */
	struct rd r = { .ctx = ctx, .path = path, .text = "", .len = 0, .res = res, .top = -1 };
	unsigned char *buf = malloc(STREAM_CHUNK);
	r.h = buf ? yajl_alloc(&callbacks, NULL, &r) : NULL;
	if (!r.h) {
		free(buf);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	size_t keep = 0, total = 0;
	int first = 1, bad = 0;
	yajl_status s = yajl_status_ok;
	for (;;) {
		ssize_t n = read_full(fd, buf + keep, STREAM_CHUNK - keep);
		if (n < 0) {
			bad = 1;
			break;
		}
		total += (size_t)n;
		size_t have = keep + (size_t)n;
		int at_end = (size_t)n < STREAM_CHUNK - keep;
		ssize_t ok = total > max_bytes ? -1 : checked_prefix(buf, have, at_end);
		size_t skip = 0;
		if (first && ok >= 0) {
			if (have >= 2 && ((buf[0] == 0xFF && buf[1] == 0xFE) ||
					  (buf[0] == 0xFE && buf[1] == 0xFF)))
				ok = -1;
			skip = sm_textfile_bom((const char *)buf, have);
			r.bom = r.prev_end = skip;
		}
		if (ok < 0) {
			bad = 1;
			break;
		}
		s = yajl_parse(r.h, buf + skip, (size_t)ok - skip);
		if (r.failed || s != yajl_status_ok)
			break;
		r.base += (size_t)ok - skip;
		keep = have - (size_t)ok;
		memmove(buf, buf + ok, keep);
		first = 0;
		if (at_end)
			break;
	}
	if (!bad && !r.failed && s == yajl_status_ok)
		s = yajl_complete_parse(r.h);
	yajl_free(r.h);
	free(buf);
	if (sm_ctx_error(ctx) && sm_ctx_error(ctx)->code == SM_EINTERNAL)
		return SM_EINTERNAL;
	if (bad || r.failed || s != yajl_status_ok || !res->present)
		return SM_EINPUT; /* the caller decodes the whole text for the message */
	return SM_OK;
}
