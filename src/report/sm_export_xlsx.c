/* XLSX through libxlsxwriter.
 *
 * libxlsxwriter writes to a file name, opened with fopen(): a predictable
 * name in a shared folder could be a planted link.  So the workbook is made
 * in a private folder (mkdtemp, mode 0700, PATH.tmp.XXXXXX next to the
 * target), which also holds libxlsxwriter's own temporary files (tmpdir),
 * and its bytes are then written to PATH by the atomic writer (sm_atomic:
 * O_EXCL|O_NOFOLLOW temporary, fsync, rename).  The folder is removed on
 * every path.
 *
 * Excel's limits are met before libxlsxwriter sees the text, so it never
 * refuses (nor prints) anything: a sheet name is at most 31 characters cut
 * on a UTF-8 boundary, without []:*?/\ (each becomes '_'), control
 * characters or a leading or trailing apostrophe; a cell longer than 32,767
 * characters is cut to that many (on a UTF-8 boundary) with a warning naming
 * the table, row and column (the CSV export keeps the whole text). */
#include "sm_export.h"

#include "sm_atomic.h"
#include "sm_buf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef SM_HAVE_XLSXWRITER
#include <xlsxwriter.h>

/* Excel's limits, in characters. */
#define XLSX_SHEET_MAX 31
#define XLSX_CELL_MAX 32767

/* Bytes of the first `max` UTF-8 characters of s (all of s when shorter). */
static size_t utf8_prefix(const char *s, size_t max)
{
	size_t i = 0;
	for (size_t chars = 0; s[i]; i++) {
		if (((unsigned char)s[i] & 0xC0) == 0x80)
			continue;
		if (chars++ == max)
			break;
	}
	return i;
}

/* The sheet name of table id `id` in out (>= 4 * 31 + 1 bytes). */
static void sheet_name(char *out, const char *id)
{
	size_t n = utf8_prefix(id, XLSX_SHEET_MAX);
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)id[i];
		out[j++] = c < 0x20 || c == 0x7F || strchr("[]:*?/\\", c) ? '_' : (char)c;
	}
	out[j] = '\0';
	if (j && out[0] == '\'')
		out[0] = '_';
	if (j && out[j - 1] == '\'')
		out[j - 1] = '_';
	if (!j)
		snprintf(out, 4 * XLSX_SHEET_MAX + 1, "table");
}

/* A cell's text within Excel's limit: `s` itself, or a cut copy in *cut
 * (freed by the caller) after a warning. */
static const char *cell_text(struct sm_ctx *ctx, const struct sm_table *t, const char *what,
			     size_t row, size_t col, const char *s, char **cut)
{
	*cut = NULL;
	size_t n = utf8_prefix(s, XLSX_CELL_MAX);
	if (!s[n])
		return s;
	if (!(*cut = strndup(s, n)))
		return NULL;
	if (row)
		sm_ctx_warn(ctx, "table '%s': row %zu, column %zu: cut to %d characters in the "
			    "XLSX file (Excel's limit for a cell); the CSV export holds the whole "
			    "text", t->id, row, col + 1, XLSX_CELL_MAX);
	else
		sm_ctx_warn(ctx, "table '%s': %s cut to %d characters in the XLSX file (Excel's "
			    "limit for a cell); the Markdown export holds the whole text", t->id,
			    what, XLSX_CELL_MAX);
	return *cut;
}

/* Write one cell; LXW_ERROR_MEMORY_MALLOC_FAILED when the cut copy cannot be
 * made. */
static lxw_error put(struct sm_ctx *ctx, const struct sm_table *t, lxw_worksheet *ws,
		     lxw_row_t r, lxw_col_t c, const char *what, size_t row, const char *s,
		     lxw_format *f)
{
	char *cut;
	const char *text = cell_text(ctx, t, what, row, c, s, &cut);
	if (!text)
		return LXW_ERROR_MEMORY_MALLOC_FAILED;
	lxw_error e = worksheet_write_string(ws, r, c, text, f);
	free(cut);
	return e;
}

static lxw_error fill(struct sm_ctx *ctx, lxw_workbook *wb, const struct sm_table *t)
{
	char name[4 * XLSX_SHEET_MAX + 1];
	sheet_name(name, t->id);
	lxw_worksheet *ws = workbook_add_worksheet(wb, name);
	lxw_format *bold = workbook_add_format(wb);
	lxw_format *wrap = workbook_add_format(wb);
	if (!ws || !bold || !wrap)
		return LXW_ERROR_MEMORY_MALLOC_FAILED;
	if (t->nrows + 3 > LXW_ROW_MAX || t->ncols > LXW_COL_MAX)
		return LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE;
	format_set_bold(bold);
	format_set_text_wrap(bold);
	format_set_text_wrap(wrap);
	lxw_row_t row = 0;
	lxw_error e = LXW_NO_ERROR;
	if (t->title)
		e = put(ctx, t, ws, row++, 0, "the title", 0, t->title, bold);
	for (size_t c = 0; c < t->ncols && !e; c++)
		e = put(ctx, t, ws, row, (lxw_col_t)c, "a column header", 0, t->headers[c],
			bold);
	row++;
	/* Cells stay text: they are formatted for print ("0.73 [0.54, 0.98]"). */
	for (size_t r = 0; r < t->nrows && !e; r++, row++)
		for (size_t c = 0; c < t->ncols && !e; c++)
			e = put(ctx, t, ws, row, (lxw_col_t)c, "data", r + 1,
				sm_table_cell(t, r, c), wrap);
	if (t->footnote && !e)
		e = put(ctx, t, ws, row + 1, 0, "the footnote", 0, t->footnote, NULL);
	return e;
}

/* Every lxw_error in the documented form. */
static sm_status fail_lxw(struct sm_ctx *ctx, const char *path, lxw_error e, int err)
{
	if (e == LXW_ERROR_MEMORY_MALLOC_FAILED)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	if (e == LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE)
		return SM_FAIL_POS(ctx, SM_EINPUT, path, 0, 0, NULL,
				   "the table has more rows or columns than a worksheet holds; "
				   "expected at most %d rows and %d columns (write .csv)",
				   LXW_ROW_MAX - 3, LXW_COL_MAX);
	if (e == LXW_ERROR_CREATING_XLSX_FILE || e == LXW_ERROR_CREATING_TMPFILE ||
	    e == LXW_ERROR_READING_TMPFILE || e == LXW_ERROR_ZIP_FILE_OPERATION ||
	    e == LXW_ERROR_ZIP_FILE_ADD || e == LXW_ERROR_ZIP_CLOSE)
		return SM_FAIL_POS(ctx, SM_EOUTPUT, path, 0, 0, NULL,
				   "cannot write the XLSX file: %s (%s); expected a writable "
				   "folder with free space", lxw_strerror(e),
				   err ? strerror(err) : "no system error");
	return SM_FAIL_POS(ctx, SM_EINTERNAL, path, 0, 0, NULL,
			   "cannot build the XLSX file: %s; expected libxlsxwriter to accept "
			   "the table", lxw_strerror(e));
}

/* A private folder next to path: PATH.tmp.XXXXXX, mode 0700. */
static char *private_dir(struct sm_ctx *ctx, const char *path)
{
	char *dir = sm_asprintf("%s.tmp.XXXXXX", path);
	if (!dir) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	if (!mkdtemp(dir)) {
		int err = errno;
		free(dir);
		if (err == ENOMEM)
			SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		else
			SM_FAIL_POS(ctx, SM_EOUTPUT, path, 0, 0, NULL, "cannot create a temporary "
				    "folder next to it: %s; expected a writable folder",
				    strerror(err));
		return NULL;
	}
	return dir;
}

/* Build the workbook as file `book`; SM_OK or the error recorded. */
static sm_status build(struct sm_ctx *ctx, const struct sm_table *t, const char *path,
		       char *dir, const char *book)
{
	lxw_workbook_options opt = { .constant_memory = 0, .tmpdir = dir, .use_zip64 = 0 };
	errno = 0;
	lxw_workbook *wb = workbook_new_opt(book, &opt);
	if (!wb)
		return fail_lxw(ctx, path, errno == ENOMEM ? LXW_ERROR_MEMORY_MALLOC_FAILED
				: LXW_ERROR_CREATING_XLSX_FILE, errno);
	/* A fixed creation date keeps the file identical from run to run. */
	long long epoch = sm_ctx_epoch(ctx);
	/* libxlsxwriter reads created = 0 as "now": the epoch itself (a
	 * SOURCE_DATE_EPOCH of 0) becomes its first second instead. */
	time_t created = epoch > 0 ? (time_t)epoch : epoch == 0 ? 1 : 946684800;
	lxw_doc_properties props = { .created = created };
	lxw_error e = workbook_set_properties(wb, &props);
	if (!e)
		e = fill(ctx, wb, t);
	errno = 0;
	/* Closing also frees the workbook, whatever went wrong before. */
	lxw_error closed = workbook_close(wb);
	int err = errno;
	if (!e)
		e = closed;
	return e ? fail_lxw(ctx, path, e, err) : SM_OK;
}

sm_status sm_export_xlsx(struct sm_ctx *ctx, const struct sm_table *t, const char *path)
{
	char *dir = private_dir(ctx, path);
	if (!dir)
		return sm_ctx_error(ctx)->code;
	char *book = sm_asprintf("%s/book.xlsx", dir);
	sm_status st = book ? build(ctx, t, path, dir, book)
			    : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	char *data = NULL;
	size_t len = 0;
	if (st == SM_OK && sm_read_file(book, 0, &data, &len) != 0)
		st = errno == ENOMEM ? SM_FAIL(ctx, SM_EINTERNAL, "out of memory")
				     : SM_FAIL_POS(ctx, SM_EOUTPUT, path, 0, 0, NULL,
						   "cannot read back the XLSX file: %s; expected "
						   "a readable temporary folder", strerror(errno));
	if (book)
		unlink(book);
	rmdir(dir);
	if (st == SM_OK)
		st = sm_atomic_write(ctx, path, data, len);
	free(data);
	free(book);
	free(dir);
	return st;
}

#else

sm_status sm_export_xlsx(struct sm_ctx *ctx, const struct sm_table *t, const char *path)
{
	(void)t;
	return SM_FAIL_POS(ctx, SM_EOUTPUT, path, 0, 0, NULL,
			   "this safemeta was built without libxlsxwriter; expected .csv or .md");
}

#endif
