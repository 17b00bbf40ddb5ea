/*
 * sm_csv.h -- RFC 4180 CSV reading on libcsv, row by row, with the byte
 * offset of every field so that errors name FILE:LINE:COL.
 *
 * Accepted: UTF-8 with or without BOM, LF, CRLF or CR line ends, quoted
 * fields holding commas, doubled quotes and line breaks, blank lines
 * (skipped).  Spaces and tabs around unquoted fields are trimmed.  Rejected
 * with a positioned error: a quote inside an unquoted field, text after a
 * closing quote, a quoted field never closed (reported where it started),
 * rows whose field count differs from the header's, fields longer than
 * SM_MAX_LABEL_BYTES, more than SM_MAX_ROWS data rows.
 *
 * Ownership: rows handed to the callback are borrowed and valid only
 * during the call.  The caller owns `data`.
 */
#ifndef SM_CSV_H
#define SM_CSV_H

#include "sm_ctx.h"

#include <stddef.h>

/* The text being parsed; used to turn offsets into line/column. */
struct sm_csv_src {
	const char *file; /* name used in messages */
	const char *data;
	size_t len;
};

struct sm_csv_row {
	size_t index;          /* 0 = header line, 1 = first data row, ... */
	size_t n;              /* number of fields */
	char **fields;         /* NUL-terminated, never NULL */
	const size_t *offsets; /* byte offset where each field starts */
};

/* Called once per row, header first.  A non-SM_OK return stops parsing and
 * is returned by sm_csv_parse (the callback records the error in ctx). */
typedef sm_status (*sm_csv_row_fn)(struct sm_ctx *ctx, const struct sm_csv_src *src,
				   const struct sm_csv_row *row, void *user);

/* Parses src (a BOM is skipped) and calls fn for every row.  *n_rows (may
 * be NULL) receives the number of rows seen including the header. */
sm_status sm_csv_parse(struct sm_ctx *ctx, const struct sm_csv_src *src, sm_csv_row_fn fn,
		       void *user, size_t *n_rows);

/* Records SM_EINPUT at FILE:LINE:COL of byte `offset` of src. */
sm_status sm_csv_fail(struct sm_ctx *ctx, const struct sm_csv_src *src, size_t offset,
		      const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#endif
