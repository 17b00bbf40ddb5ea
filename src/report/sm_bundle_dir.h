/*
 * sm_bundle_dir.h -- the folder a bundle goes to, replaced as a whole.
 *
 * A bundle is written into a fresh sibling folder PARENT/.NAME.tmp.XXXXXX
 * (same filesystem) and swapped in at the end, so that a failed or
 * interrupted run leaves the previous bundle in DIR = PARENT/NAME exactly
 * as it was:
 *
 *   open     refuses a DIR that is a symbolic link (SM_EINPUT: no link is
 *            followed or replaced) or not a folder (SM_EOUTPUT); creates
 *            PARENT; takes flock(LOCK_EX|LOCK_NB) on PARENT/.NAME.lock (a
 *            second writer fails at once, SM_EOUTPUT "another safemeta is
 *            writing DIR"; the lock file stays); removes, under the lock,
 *            every PARENT/.NAME.tmp.* and .NAME.old.* left by a run that was
 *            killed (a warning names each); creates the temporary folder.
 *   commit   DIR absent: renames the temporary to DIR.  DIR holding only
 *            files of a bundle (those its MANIFEST.sha256 lists, and those
 *            of the new one): swaps the two folders in one
 *            renameat2(RENAME_EXCHANGE) (two renames where the filesystem
 *            has no exchange) and removes the old.  DIR holding other
 *            ("foreign") entries: writes their names to the journal
 *            .safemeta-foreign in the temporary folder (synced), moves them
 *            in there, swaps the same way, removes the journal, and names
 *            them in a warning; a failure before the swap moves them back.
 *            DIR the working folder (never renamed away): the new files are
 *            moved in one by one (MANIFEST.sha256 last), the old bundle's
 *            other files removed.  A foreign entry where the bundle has a
 *            file or folder (a `results.json` or `figures` link) is refused
 *            (SM_EOUTPUT) before anything moves.  A stale temporary folder
 *            with a journal (a run killed before its swap) has its entries
 *            put back into DIR before it is removed; it is kept, with a
 *            warning, when an entry's place in DIR is taken again.
 *   close    removes the temporary folder if it is still there and
 *            releases the lock.
 *
 * Removal is bounded (sm_remove_tree): at most a given depth, entries
 * opened with O_NOFOLLOW | O_DIRECTORY relative to their parent, links
 * removed and never followed, one pass over each folder.
 *
 * Ownership: sm_bundle_dir_open() returns a handle freed by
 * sm_bundle_dir_close().  No process-wide state: the caller's cancel flag
 * (set by its signal handler) is only read.
 */
#ifndef SM_BUNDLE_DIR_H
#define SM_BUNDLE_DIR_H

#include "sm_ctx.h"

#include <signal.h>
#include <stddef.h>

/* Deepest folder level sm_remove_tree descends to by default (a bundle has
 * two). */
#define SM_BUNDLE_DIR_MAX_DEPTH 16

struct sm_bundle_dir;

/* NULL with the error in ctx. */
struct sm_bundle_dir *sm_bundle_dir_open(struct sm_ctx *ctx, const char *dir);
/* The folder to write the bundle into (borrowed). */
const char *sm_bundle_dir_tmp(const struct sm_bundle_dir *bd);
/* The target as given (borrowed). */
const char *sm_bundle_dir_target(const struct sm_bundle_dir *bd);
/* Swap the finished bundle in; `files` are its relative paths
 * ("figures/x.pdf"), MANIFEST.sha256 included.  On error DIR is as it was
 * (but for a failure halfway through the one-by-one moves, which the
 * message says). */
sm_status sm_bundle_dir_commit(struct sm_ctx *ctx, struct sm_bundle_dir *bd,
			       const char *const *files, size_t n);
void sm_bundle_dir_close(struct sm_bundle_dir *bd);

/* Removes `name` in the folder dirfd (AT_FDCWD: the working folder): a file
 * or link, or a folder with everything in it down to max_depth levels
 * below.  Links are never followed.  0 on success (or when it does not
 * exist); -1 with errno (ELOOP: deeper than max_depth; what could be
 * removed is). */
int sm_remove_tree(int dirfd, const char *name, int max_depth);

#endif
