/*
 * sm_zip.h -- a folder's files as one deterministic zip (libzip): the same
 * files give the same bytes wherever the folder is and whenever it is
 * made.  Entries are in byte order of their names; every entry has the
 * same time (SOURCE_DATE_EPOCH, or 1980-01-01 00:00 UTC, the earliest a zip
 * can hold, when unset or earlier), the same permissions (rw-r--r--) and
 * deflate at level 9; no extra fields, no comment.
 *
 * Ownership: nothing is retained; `files` are borrowed.
 */
#ifndef SM_ZIP_H
#define SM_ZIP_H

#include "sm_ctx.h"

#include <stddef.h>

/* The zip time of a Unix time (UTC; clamped to the years 1980-2107). */
void sm_zip_dostime(long long epoch, unsigned short *time, unsigned short *date);

/* Writes zip_path (replaced whole, or left as it was on error) holding
 * DIR/files[i] as entries files[i] (relative paths with '/'); epoch < 0:
 * unset. */
sm_status sm_zip_write(struct sm_ctx *ctx, const char *dir, const char *const *files, size_t n,
		       const char *zip_path, long long epoch);

#endif
