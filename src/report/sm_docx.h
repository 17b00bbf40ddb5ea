/*
 * sm_docx.h -- a table as a Word document (DOCX): the smallest OOXML
 * package Word and LibreOffice open, built in memory with libzip and
 * written atomically.
 *
 * Parts, in this order: [Content_Types].xml, _rels/.rels,
 * word/_rels/document.xml.rels, word/document.xml (the title as a bold
 * paragraph, the table, the footnote as a small paragraph), word/styles.xml
 * (Normal in Liberation Sans 9 pt, so the table looks like the figures).
 * The table is a real Word table: a header row repeated on every page,
 * three rules (above and below the header, below the last row) as journals
 * set them, numbers right-aligned as in the figures, line breaks as breaks;
 * A4 landscape when the table has more than 6 columns.  Same table, same
 * bytes: every entry has the DOS time of SOURCE_DATE_EPOCH (1980-01-01
 * before it; UTC), no extra fields, deflate at a fixed level.
 *
 * Ownership: the table is borrowed; sm_docx_package() returns a buffer
 * the caller frees.
 */
#ifndef SM_DOCX_H
#define SM_DOCX_H

#include "sm_ctx.h"
#include "sm_table.h"

#include <stddef.h>

/* The package in memory (*data malloc'ed, *len bytes). */
sm_status sm_docx_package(struct sm_ctx *ctx, const struct sm_table *t, char **data,
			  size_t *len);

/* The package written to `path`. */
sm_status sm_docx_write(struct sm_ctx *ctx, const struct sm_table *t, const char *path);

#endif
