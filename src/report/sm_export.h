/*
 * sm_export.h -- tables as supplementary files: CSV (RFC 4180: fields with
 * a comma, quote, CR, LF or surrounding space are quoted, quotes doubled,
 * CRLF line ends, UTF-8 without BOM), XLSX (libxlsxwriter, when safemeta
 * was built with it) and Markdown (GitHub pipe tables: '|' escaped as
 * '\|', '\' as '\\', line breaks as <br>).
 *
 * CSV holds the header row and the data only; XLSX, Markdown and DOCX also
 * carry the title and footnote.  Files are written atomically; output depends on
 * the table only (XLSX dates come from SOURCE_DATE_EPOCH or a fixed date).
 *
 * Ownership: the string functions return text the caller frees; tables
 * are borrowed.
 */
#ifndef SM_EXPORT_H
#define SM_EXPORT_H

#include "sm_ctx.h"
#include "sm_table.h"

enum sm_export_format { SM_EXPORT_CSV, SM_EXPORT_XLSX, SM_EXPORT_MD, SM_EXPORT_DOCX };

/* From the extension: .csv, .xlsx, .md, .docx (any case). */
sm_status sm_export_format_of(struct sm_ctx *ctx, const char *path,
			      enum sm_export_format *fmt);

/* NULL on allocation failure. */
char *sm_export_csv(const struct sm_table *t);
char *sm_export_markdown(const struct sm_table *t);

/* SM_EOUTPUT when safemeta was built without libxlsxwriter. */
sm_status sm_export_xlsx(struct sm_ctx *ctx, const struct sm_table *t, const char *path);

/* Write t to path in the format of its extension. */
sm_status sm_export_write(struct sm_ctx *ctx, const struct sm_table *t, const char *path);

#endif
