/*
 * sm_check_accept.h -- `safemeta check --accept FILE`: the findings a
 * repository has accepted (a findings file as `check -o` writes it) against
 * those found now, so that CI fails only on a new or changed disagreement.
 *
 * A finding is identified by its kind, analysis and field; findings with
 * the same identity are matched in order.  A matched finding has changed
 * when its reported value differs, or its computed value by more than 1e-6
 * relative (1e-12 absolute near 0); its message is not compared (wording
 * may improve between versions).  Accepted findings no longer found are
 * listed (resolved) but do not fail.
 *
 * Ownership: sm_check_accept_run fills a report whose text the caller
 * frees with sm_check_accept_release.
 */
#ifndef SM_CHECK_ACCEPT_H
#define SM_CHECK_ACCEPT_H

#include "sm_check.h"

struct sm_check_accept {
	size_t accepted, unchanged, added, changed, resolved;
	char *text; /* one line per new, changed and resolved finding, then a summary */
};

/* Reads the accepted findings from path (errors: SM_EINPUT at FILE:LINE:COL
 * naming the field). */
sm_status sm_check_accept_run(struct sm_ctx *ctx, const struct sm_check *now, const char *path,
			      struct sm_check_accept *out);
void sm_check_accept_release(struct sm_check_accept *a);

#endif
