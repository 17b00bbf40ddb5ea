/*
 * sm_textfile.h -- byte-level text helpers shared by the input readers:
 * UTF-8 validation and byte offset -> line/column conversion.
 *
 * Lines are physical lines: a line ends at LF, CRLF or a lone CR.  Columns
 * count UTF-8 characters (not bytes), 1-based, so that an editor's cursor
 * lands on the reported spot.  No allocation, no ownership.
 */
#ifndef SM_TEXTFILE_H
#define SM_TEXTFILE_H

#include "sm_ctx.h"

#include <stddef.h>

/* Returns len when text[0..len) is valid UTF-8 (no overlongs, no
 * surrogates, nothing above U+10FFFF); otherwise the offset of the first
 * byte of the first invalid sequence. */
size_t sm_utf8_check(const char *text, size_t len);

/* 1-based line and column (in characters) of the byte at `offset`;
 * offset == len names the position just after the last character. */
void sm_textfile_linecol(const char *text, size_t len, size_t offset, int *line, int *col);

/* Length of a UTF-8 BOM at the start of text (3 or 0). */
size_t sm_textfile_bom(const char *text, size_t len);

/* Number of UTF-8 characters in a NUL-terminated valid UTF-8 string. */
size_t sm_utf8_chars(const char *s);


/* Reads a whole input file (at most SM_MAX_FILE_BYTES) and checks that it
 * is UTF-8 without NUL bytes (a UTF-16 byte order mark is named as such).
 * Only regular files are read (sm_textfile_regular), opened non-blocking.  On success *data (NUL-terminated, caller
 * frees) and *len are set.  Errors (SM_EINPUT) name the file and, for a bad
 * byte, its line and column. */
sm_status sm_textfile_load(struct sm_ctx *ctx, const char *path, char **data, size_t *len);

/* The checks of sm_textfile_load on text already in memory (at most
 * SM_MAX_FILE_BYTES, UTF-8, no NUL byte); `path` names it in messages. */
sm_status sm_textfile_check(struct sm_ctx *ctx, const char *path, const char *text, size_t len);

/* As sm_textfile_load / sm_textfile_check under another size limit (e.g.
 * SM_MAX_JSON_BYTES); a file too large gets "file too large; expected at
 * most N MiB" followed by hint (may be NULL). */
sm_status sm_textfile_load_max(struct sm_ctx *ctx, const char *path, size_t max_bytes,
			       const char *hint, char **data, size_t *len);
sm_status sm_textfile_check_max(struct sm_ctx *ctx, const char *path, size_t max_bytes,
				const char *hint, const char *text, size_t len);

/* SM_OK unless path names something other than a regular file (a named
 * FIFO, a directory, a device, a socket): then SM_EINPUT "PATH: is a FIFO;
 * expected a regular file".  A pipe named by an open descriptor
 * (/dev/stdin, /dev/fd/N, /proc/self/fd/N) is accepted: it has a writer.  A path that cannot be looked at passes (the reader
 * reports why it cannot be read).  Never opens, so never blocks. */
sm_status sm_textfile_regular(struct sm_ctx *ctx, const char *path);

/* The error of a file over max_bytes (SM_EINPUT). */
sm_status sm_textfile_too_large(struct sm_ctx *ctx, const char *path, size_t max_bytes,
				const char *hint);

/* Records an SM_EINPUT error at the line/column of byte `offset` of text
 * (offset == (size_t)-1: no position).  Returns SM_EINPUT. */
sm_status sm_textfile_fail(struct sm_ctx *ctx, const char *file, const char *text, size_t len,
		       size_t offset, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

/* Writes at most max_chars characters of s to buf (size >= 4*max_chars+8)
 * as a double-quoted excerpt ("abc..." when cut), for "got ..." parts of
 * messages. */
void sm_textfile_excerpt(char *buf, size_t size, const char *s, size_t max_chars);

#endif
