/* CSV and Markdown writers, and the dispatch by extension. */
#include "sm_export.h"

#include "sm_atomic.h"
#include "sm_buf.h"
#include "sm_docx.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

sm_status sm_export_format_of(struct sm_ctx *ctx, const char *path,
			      enum sm_export_format *fmt)
{
	const char *dot = strrchr(path, '.');
	if (dot && !strcasecmp(dot, ".csv"))
		*fmt = SM_EXPORT_CSV;
	else if (dot && !strcasecmp(dot, ".xlsx"))
		*fmt = SM_EXPORT_XLSX;
	else if (dot && !strcasecmp(dot, ".md"))
		*fmt = SM_EXPORT_MD;
	else if (dot && !strcasecmp(dot, ".docx"))
		*fmt = SM_EXPORT_DOCX;
	else
		return SM_FAIL(ctx, SM_EINPUT, "cannot tell the table format of '%s'; expected "
			       "a name ending in .csv, .xlsx, .md or .docx", path);
	return SM_OK;
}

/* A cell a spreadsheet would run as a formula (OWASP "CSV injection"):
 * it starts with = + - @, a tab or a carriage return, and is not simply a
 * number ("-0.25" stays a number). */
static int formula_like(const char *s)
{
	if (!strchr("=+-@\t\r", s[0]) || !s[0])
		return 0;
	char *end = NULL;
	(void)strtod(s, &end);
	return end == s || *end != '\0';
}

static int needs_quotes(const char *s)
{
	size_t n = strlen(s);
	return strpbrk(s, ",\"\r\n") || (n && (s[0] == ' ' || s[n - 1] == ' ')) ||
	       formula_like(s);
}

/* RFC 4180 quoting; a formula-like cell is also prefixed with ' inside the
 * quotes, so that spreadsheets show it as text. */
static void csv_field(struct sm_buf *b, const char *s)
{
	if (!needs_quotes(s)) {
		sm_buf_puts(b, s);
		return;
	}
	sm_buf_putc(b, '"');
	if (formula_like(s))
		sm_buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '"')
			sm_buf_putc(b, '"');
		sm_buf_putc(b, *s);
	}
	sm_buf_putc(b, '"');
}

static void csv_row(struct sm_buf *b, const char *const *fields, size_t n)
{
	for (size_t c = 0; c < n; c++) {
		if (c)
			sm_buf_putc(b, ',');
		csv_field(b, fields[c]);
	}
	sm_buf_puts(b, "\r\n");
}

char *sm_export_csv(const struct sm_table *t)
{
	struct sm_buf b;
	sm_buf_init(&b);
	csv_row(&b, (const char *const *)t->headers, t->ncols);
	for (size_t r = 0; r < t->nrows; r++)
		csv_row(&b, (const char *const *)&t->cells[r * t->ncols], t->ncols);
	if (b.failed) {
		sm_buf_release(&b);
		return NULL;
	}
	return sm_buf_take(&b);
}

static void md_text(struct sm_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '|' || *s == '\\')
			sm_buf_putc(b, '\\');
		if (*s == '\n')
			sm_buf_puts(b, "<br>");
		else if (*s != '\r')
			sm_buf_putc(b, *s);
	}
}

static void md_row(struct sm_buf *b, const char *const *fields, size_t n)
{
	sm_buf_putc(b, '|');
	for (size_t c = 0; c < n; c++) {
		sm_buf_putc(b, ' ');
		md_text(b, fields[c]);
		sm_buf_puts(b, " |");
	}
	sm_buf_putc(b, '\n');
}

char *sm_export_markdown(const struct sm_table *t)
{
	struct sm_buf b;
	sm_buf_init(&b);
	if (t->title) {
		sm_buf_puts(&b, "**");
		md_text(&b, t->title);
		sm_buf_puts(&b, "**\n\n");
	}
	md_row(&b, (const char *const *)t->headers, t->ncols);
	sm_buf_putc(&b, '|');
	for (size_t c = 0; c < t->ncols; c++)
		sm_buf_puts(&b, t->align[c] == SM_ALIGN_RIGHT ? " ---: |"
				: t->align[c] == SM_ALIGN_CENTER ? " :---: |" : " --- |");
	sm_buf_putc(&b, '\n');
	for (size_t r = 0; r < t->nrows; r++)
		md_row(&b, (const char *const *)&t->cells[r * t->ncols], t->ncols);
	if (t->footnote) {
		sm_buf_putc(&b, '\n');
		md_text(&b, t->footnote);
		sm_buf_putc(&b, '\n');
	}
	if (b.failed) {
		sm_buf_release(&b);
		return NULL;
	}
	return sm_buf_take(&b);
}

sm_status sm_export_write(struct sm_ctx *ctx, const struct sm_table *t, const char *path)
{
	enum sm_export_format fmt;
	sm_status st = sm_export_format_of(ctx, path, &fmt);
	if (st != SM_OK)
		return st;
	if (fmt == SM_EXPORT_XLSX)
		return sm_export_xlsx(ctx, t, path);
	if (fmt == SM_EXPORT_DOCX)
		return sm_docx_write(ctx, t, path);
	char *text = fmt == SM_EXPORT_CSV ? sm_export_csv(t) : sm_export_markdown(t);
	if (!text)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	st = sm_atomic_write(ctx, path, text, strlen(text));
	free(text);
	return st;
}
