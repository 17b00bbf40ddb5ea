/*
 * sm_dialect.h -- outcome tables in CSV: recognises the column dialects of
 * examples/FORMAT.md (metafor ai/n1i/ci/n2i, meta event.e/n.e/event.c/n.c,
 * RevMan "Experimental Events"..., events_t/n_t/events_c/n_c,
 * e_t/n_t/e_c/n_c, yi with vi or sei, xi/ni) and turns rows into outcomes.
 *
 * Header names are matched ignoring ASCII case and surrounding blanks.
 * Every error is SM_EINPUT at FILE:LINE:COL of the CSV.
 *
 * The study label, domain (outcome), subgroup, year, sub and event columns
 * have fixed names; kept columns go to the review's row columns.
 *
 * Ownership: nothing is retained from src or opts; outcomes and studies are
 * appended to the review, which owns them.
 */
#ifndef SM_DIALECT_H
#define SM_DIALECT_H

#include "sm_csv.h"
#include "sm_review.h"

struct sm_dialect_opts {
	const char *const *ignore; /* header names to skip (any case) */
	size_t n_ignore;
	/* 0: a bare CSV; studies are made from the study labels (or "Study N"
	 * when there is no study column).  1: the review's studies exist
	 * already and every row's study must name one by id or label. */
	int match_studies;
	const char *ignore_hint; /* appended to unknown-column errors, or NULL */
	/* Columns to keep as study characteristics (named by --by, --mods,
	 * --cluster or the review's settings); other unknown columns are an
	 * error.  A subgroup column ("subgroup", "group") is always kept. */
	const char *const *columns;
	size_t n_columns;
};

/* Reads the CSV text and appends its rows to r->outcomes; sets r->kind. */
sm_status sm_dialect_read(struct sm_ctx *ctx, const struct sm_csv_src *src,
			  const struct sm_dialect_opts *opts, struct sm_review *r);

#endif
