#include "sm_csv.h"

#include "sm_buf.h"
#include "sm_limits.h"
#include "sm_textfile.h"

#include <csv.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Parser state shared with the libcsv callbacks.  The input is fed to
 * libcsv in chunks that end at each ',', CR or LF, and libcsv only ends a
 * field or row on such a byte, so a callback always fires at the last byte
 * of the current chunk: that gives exact field positions for free. */
struct csv_state {
	struct sm_ctx *ctx;
	const struct sm_csv_src *src;
	sm_csv_row_fn fn;
	void *user;
	sm_status status;
	size_t chunk_end;  /* offset just past the current chunk */
	size_t next_start; /* where the next field may start (before spaces) */
	size_t n_rows;     /* rows completed, header included */
	size_t n_header;   /* fields in the header */
	struct sm_buf text; /* the row's fields, each NUL-terminated, end to end */
	size_t *starts;     /* where each field begins in text */
	char **fields;      /* pointers into text, set when the row is complete */
	size_t *offsets;
	size_t n, cap;
};

/* Offset of the first byte of the field that begins at or after `from`:
 * blanks are trimmed by libcsv, and a row's first field also skips the line
 * breaks of blank lines before it. */
static size_t field_start(const struct csv_state *st, size_t from, size_t limit)
{
	const char *d = st->src->data;
	while (from < limit) {
		char c = d[from];
		if (c == ' ' || c == '\t' || (st->n == 0 && (c == '\r' || c == '\n')))
			from++;
		else
			break;
	}
	return from;
}

static void clear_fields(struct csv_state *st)
{
	st->n = 0;
	sm_buf_reset(&st->text);
}

/* Field text goes into one buffer reused by every row: a row costs no
 * allocation once the buffer has grown to the longest row. */
static int push_field(struct csv_state *st, const char *s, size_t len, size_t offset)
{
	if (st->n == st->cap) {
		size_t cap = st->cap ? 2 * st->cap : 16;
		char **f = sm_realloc_array(st->fields, cap, sizeof *f);
		if (f)
			st->fields = f;
		size_t *o = sm_realloc_array(st->offsets, cap, sizeof *o);
		if (o)
			st->offsets = o;
		size_t *b = sm_realloc_array(st->starts, cap, sizeof *b);
		if (b)
			st->starts = b;
		if (!f || !o || !b)
			return -1;
		st->cap = cap;
	}
	st->starts[st->n] = st->text.len;
	sm_buf_append(&st->text, s, len);
	sm_buf_putc(&st->text, '\0');
	if (st->text.failed)
		return -1;
	st->offsets[st->n] = offset;
	st->n++;
	return 0;
}

static void on_field(void *s, size_t len, void *data)
{
	struct csv_state *st = data;
	if (st->status != SM_OK)
		return;
	size_t end = st->chunk_end ? st->chunk_end - 1 : 0;
	if (st->chunk_end == st->src->len && st->src->len > 0) {
		char last = st->src->data[st->src->len - 1];
		if (last != ',' && last != '\r' && last != '\n')
			end = st->src->len; /* field ended by end of input */
	}
	size_t start = field_start(st, st->next_start, end);
	st->next_start = end + 1;
	if (len > SM_MAX_LABEL_BYTES) {
		st->status = sm_csv_fail(st->ctx, st->src, start, NULL,
					 "field too long (%zu bytes); expected at most %zu bytes",
					 len, SM_MAX_LABEL_BYTES);
		return;
	}
	if (push_field(st, s ? s : "", s ? len : 0, start) != 0)
		st->status = SM_FAIL(st->ctx, SM_EINTERNAL, "out of memory reading CSV");
}

static sm_status check_row(struct csv_state *st)
{
	if (st->n_rows == 0) {
		st->n_header = st->n;
		return SM_OK;
	}
	if (st->n_rows > SM_MAX_ROWS)
		return sm_csv_fail(st->ctx, st->src, st->offsets[0], NULL,
				   "too many rows; expected at most %zu data rows", SM_MAX_ROWS);
	if (st->n != st->n_header)
		return sm_csv_fail(st->ctx, st->src, st->offsets[0], NULL,
				   "ragged row: %zu field%s; expected %zu as in the header",
				   st->n, st->n == 1 ? "" : "s", st->n_header);
	return SM_OK;
}

static void on_row(int term, void *data)
{
	struct csv_state *st = data;
	(void)term;
	if (st->status != SM_OK)
		return;
	if (st->n == 0)
		return; /* defensive: libcsv skips blank lines itself */
	st->status = check_row(st);
	for (size_t i = 0; i < st->n; i++)
		st->fields[i] = st->text.data + st->starts[i];
	if (st->status == SM_OK) {
		struct sm_csv_row row = { st->n_rows, st->n, st->fields, st->offsets };
		st->status = st->fn(st->ctx, st->src, &row, st->user);
	}
	st->n_rows++;
	clear_fields(st);
}

/* Length of the next chunk starting at `at`: up to and including the next
 * ',', CR or LF, or the rest of the input. */
static size_t next_chunk(const char *d, size_t at, size_t len)
{
	size_t i = at;
	while (i < len && d[i] != ',' && d[i] != '\n' && d[i] != '\r')
		i++;
	return i < len ? i - at + 1 : len - at;
}

static sm_status parse_error(struct csv_state *st, size_t at)
{
	const char *d = st->src->data;
	if (d[at] == '"')
		return sm_csv_fail(st->ctx, st->src, at, NULL,
				   "quote inside an unquoted field; expected the whole field "
				   "quoted, with inner quotes doubled");
	return sm_csv_fail(st->ctx, st->src, at, NULL,
			   "unexpected text after a closing quote; expected ',' or end of line");
}

static sm_status run(struct csv_state *st, struct csv_parser *p)
{
	const char *d = st->src->data;
	size_t len = st->src->len;
	size_t at = sm_textfile_bom(d, len);
	st->next_start = at;
	while (at < len && st->status == SM_OK) {
		size_t n = next_chunk(d, at, len);
		st->chunk_end = at + n;
		size_t used = csv_parse(p, d + at, n, on_field, on_row, st);
		if (st->status != SM_OK)
			return st->status;
		if (used != n) {
			if (csv_error(p) == CSV_EPARSE)
				return parse_error(st, at + used);
			return SM_FAIL(st->ctx, SM_EINTERNAL, "out of memory reading CSV");
		}
		at += n;
	}
	if (st->status != SM_OK)
		return st->status;
	st->chunk_end = len;
	if (csv_fini(p, on_field, on_row, st) != 0 && st->status == SM_OK) {
		size_t start = field_start(st, st->next_start, len);
		return sm_csv_fail(st->ctx, st->src, start, NULL,
				   "unbalanced quote: this quoted field is never closed; "
				   "expected a closing '\"'");
	}
	return st->status;
}

sm_status sm_csv_parse(struct sm_ctx *ctx, const struct sm_csv_src *src, sm_csv_row_fn fn,
		       void *user, size_t *n_rows)
{
	struct csv_state st = { .ctx = ctx, .src = src, .fn = fn, .user = user };
	sm_buf_init(&st.text);
	struct csv_parser p;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return SM_FAIL(ctx, SM_EINTERNAL, "cannot initialise the CSV parser");
	sm_status status = run(&st, &p);
	csv_free(&p);
	sm_buf_release(&st.text);
	free(st.starts);
	free(st.fields);
	free(st.offsets);
	if (n_rows)
		*n_rows = st.n_rows;
	return status;
}

sm_status sm_csv_fail(struct sm_ctx *ctx, const struct sm_csv_src *src, size_t offset,
		      const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = sm_vasprintf(fmt, ap);
	va_end(ap);
	sm_status st = sm_textfile_fail(ctx, src->file, src->data, src->len, offset, field, "%s",
				    msg ? msg : "out of memory");
	free(msg);
	return st;
}
