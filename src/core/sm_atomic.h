/*
 * sm_atomic.h -- atomic output files.
 *
 * Every output safemeta writes goes to a temporary file in the target's own
 * folder, is flushed and fsync'ed, and is renamed into place only when
 * complete.  A failure at any point removes the temporary file and leaves the
 * previous output (if any) untouched.  A symbolic link is followed: the
 * file it names is replaced, the link stays.  An existing device or pipe
 * (say /dev/stdout) is written in place, never replaced.
 *
 * Ownership: sm_atomic_open() returns a handle the caller must end with
 * exactly one of sm_atomic_commit() or sm_atomic_abort(); both free it.
 */
#ifndef SM_ATOMIC_H
#define SM_ATOMIC_H

#include "sm_ctx.h"

#include <stdio.h>

struct sm_atomic;

/* NULL on failure (the error is recorded in ctx as SM_EOUTPUT). */
struct sm_atomic *sm_atomic_open(struct sm_ctx *ctx, const char *path);
/* The same for an output that may be large (a results file): past
 * direct_after bytes (SM_DIRECT_AFTER, sm_direct.h) its temporary file is
 * written with O_DIRECT where the file system allows it, with the same
 * bytes, errors and rename; a device or pipe is opened as above. */
struct sm_atomic *sm_atomic_open_large(struct sm_ctx *ctx, const char *path,
				       size_t direct_after);
/* Bytes of af's temporary written with O_DIRECT so far (0: none, or not
 * a large output). */
long long sm_atomic_direct_bytes(const struct sm_atomic *af);
/* The stream to write to; borrowed, valid until commit/abort. */
FILE *sm_atomic_stream(struct sm_atomic *af);
sm_status sm_atomic_commit(struct sm_ctx *ctx, struct sm_atomic *af);
void sm_atomic_abort(struct sm_atomic *af);

/* Write a whole buffer to path atomically. */
sm_status sm_atomic_write(struct sm_ctx *ctx, const char *path,
			  const void *data, size_t len);

/* 1 when output names the same file as input (same device and inode, also
 * through links or another spelling of the path): then SM_EINPUT "OUTPUT:
 * is the input INPUT; expected ..." is recorded.  0 when they differ or
 * output does not exist yet. */
int sm_output_is_input(struct sm_ctx *ctx, const char *output, const char *input);

/* Create a directory and its parents (mode 0777 & umask); SM_EOUTPUT on
 * failure. */
sm_status sm_mkdir_p(struct sm_ctx *ctx, const char *dir);

/* Turn an arbitrary name taken from the input (study, domain, review title)
 * into a safe single path component: ASCII letters, digits, '-', '_' and
 * '.', no leading dot, never "." or "..", at most max_len bytes (>= 8).
 * Returns a newly allocated string. */
char *sm_safe_filename(const char *name, size_t max_len);

/* The key under which a case-insensitive file system (macOS, Windows)
 * stores the file name `name`: ASCII letters in lower case (safe file
 * names hold no others).  Two names with one key are one file there.
 * Returns a newly allocated string, NULL on out of memory. */
char *sm_filename_fold(const char *name);

/* Six random characters (a-z, 0-9) and a NUL: the suffix of every
 * temporary file and folder; 0, or -1 with errno (no entropy). */
int sm_tmp_suffix(char suffix[7]);

/* 1 when `name` is `prefix` and then the six random characters (a-z, 0-9)
 * this module and the bundle's folder give a temporary: "f.png.tmp." for
 * f.png's, ".b.tmp." or ".b.old." for bundle b's (".b.tmp.tmp.x1y2z3" is
 * one of "b.tmp", not of "b"). */
int sm_tmp_name_is(const char *name, const char *prefix);

#endif
