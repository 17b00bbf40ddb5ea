/* XLSX through libxlsxwriter.  The library writes to a file name, so the
 * workbook goes to a temporary name in the target's folder and is renamed
 * into place only when complete (as sm_atomic does for streams). */
#include "sm_export.h"

#include "sm_buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef SM_HAVE_XLSXWRITER
#include <xlsxwriter.h>

/* Excel limits a sheet name to 31 characters without []:*?/\ . */
static void sheet_name(char *out, size_t size, const char *id)
{
	size_t j = 0;
	for (const char *p = id; *p && j + 1 < size && j < 31; p++)
		out[j++] = strchr("[]:*?/\\", *p) ? '_' : *p;
	out[j] = '\0';
	if (!j)
		snprintf(out, size, "table");
}

static int fill(lxw_workbook *wb, const struct sm_table *t)
{
	char name[40];
	sheet_name(name, sizeof name, t->id);
	lxw_worksheet *ws = workbook_add_worksheet(wb, name);
	lxw_format *bold = workbook_add_format(wb);
	lxw_format *wrap = workbook_add_format(wb);
	if (!ws || !bold || !wrap)
		return -1;
	format_set_bold(bold);
	format_set_text_wrap(bold);
	format_set_text_wrap(wrap);
	lxw_row_t row = 0;
	int err = 0;
	if (t->title)
		err |= worksheet_write_string(ws, row++, 0, t->title, bold) != LXW_NO_ERROR;
	for (size_t c = 0; c < t->ncols; c++)
		err |= worksheet_write_string(ws, row, (lxw_col_t)c, t->headers[c], bold) !=
		       LXW_NO_ERROR;
	row++;
	/* Cells stay text: they are formatted for print ("0.73 [0.54, 0.98]"). */
	for (size_t r = 0; r < t->nrows; r++, row++)
		for (size_t c = 0; c < t->ncols; c++)
			err |= worksheet_write_string(ws, row, (lxw_col_t)c,
						      sm_table_cell(t, r, c), wrap) != LXW_NO_ERROR;
	if (t->footnote)
		err |= worksheet_write_string(ws, row + 1, 0, t->footnote, NULL) != LXW_NO_ERROR;
	return err ? -1 : 0;
}

sm_status sm_export_xlsx(struct sm_ctx *ctx, const struct sm_table *t, const char *path)
{
	char *tmp = sm_asprintf("%s.tmp%ld", path, (long)getpid());
	if (!tmp)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	lxw_workbook *wb = workbook_new(tmp);
	int bad = !wb;
	/* A fixed creation date keeps the file identical from run to run. */
	long long epoch = sm_ctx_epoch(ctx);
	/* libxlsxwriter reads created = 0 as "now": the epoch itself (a
	 * SOURCE_DATE_EPOCH of 0) becomes its first second instead. */
	time_t created = epoch > 0 ? (time_t)epoch : epoch == 0 ? 1 : 946684800;
	lxw_doc_properties props = { .created = created };
	if (!bad)
		bad = workbook_set_properties(wb, &props) != LXW_NO_ERROR || fill(wb, t) != 0;
	if (wb && workbook_close(wb) != LXW_NO_ERROR)
		bad = 1;
	if (!bad && rename(tmp, path) != 0)
		bad = 1;
	if (bad) {
		unlink(tmp);
		free(tmp);
		return SM_FAIL_POS(ctx, SM_EOUTPUT, path, 0, 0, NULL,
				   "cannot write the XLSX file; expected a writable folder");
	}
	free(tmp);
	return SM_OK;
}

#else

sm_status sm_export_xlsx(struct sm_ctx *ctx, const struct sm_table *t, const char *path)
{
	(void)t;
	return SM_FAIL_POS(ctx, SM_EOUTPUT, path, 0, 0, NULL,
			   "this safemeta was built without libxlsxwriter; expected .csv or .md");
}

#endif
