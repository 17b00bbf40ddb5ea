/*
 * sm_review_read.h -- loading a review: the review JSON of
 * examples/FORMAT.md, or a bare outcome CSV.
 *
 * Every check of the format happens here, and the first problem stops the
 * load with one SM_EINPUT diagnostic in ctx naming FILE:LINE:COL and, for
 * JSON, the field path (e.g. "outcomes[3].ai").  Limits: sm_limits.h.
 *
 * Ownership: the returned review belongs to the caller (sm_review_free).
 * NULL is returned on any error.
 */
#ifndef SM_REVIEW_READ_H
#define SM_REVIEW_READ_H

#include "sm_ctx.h"
#include "sm_review.h"

#include <stddef.h>

/* A review JSON file.  A CSV named by "outcomes": {"csv": ...} is read
 * relative to the folder of path. */
struct sm_review *sm_review_load(struct sm_ctx *ctx, const char *path);

/* A bare outcome CSV: studies are made from the study column (or numbered
 * "Study 1", ...); id is the file name without extension, made safe. */
struct sm_review *sm_review_load_csv(struct sm_ctx *ctx, const char *path);

/* As sm_review_load / sm_review_load_csv on text already in memory (for
 * tests and fuzzing); `path` names it in messages and anchors a relative
 * "outcomes": {"csv": ...}.  The text is checked as a file's would be
 * (UTF-8, no NUL byte, size limit) and is not retained. */
struct sm_review *sm_review_parse(struct sm_ctx *ctx, const char *path, const char *text,
				  size_t len);
struct sm_review *sm_review_parse_csv(struct sm_ctx *ctx, const char *path, const char *text,
				      size_t len);

/* JSON for a ".json" name, CSV for ".csv"/".txt"; otherwise by content
 * (a first non-blank '{' means JSON). */
struct sm_review *sm_review_load_any(struct sm_ctx *ctx, const char *path);

/* What a load reads beyond the format: the CSV columns an option names
 * (--by, --mods, --cluster), kept as study characteristics (the review's
 * own settings.subgroup_by and settings.mods are added to them).  Other
 * unknown CSV columns stay an error.  Borrowed for the call only. */
struct sm_load_opts {
	const char *const *columns;
	size_t n_columns;
};

/* As sm_review_load_any with load options (NULL: none). */
struct sm_review *sm_review_load_any_opts(struct sm_ctx *ctx, const char *path,
					  const struct sm_load_opts *opts);

#endif
