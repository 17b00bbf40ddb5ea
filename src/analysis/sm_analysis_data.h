/*
 * sm_analysis_data.h -- the rows of one analysis (one group of outcomes)
 * prepared for the numerics: counts, effect sizes and the zero-cell ledger,
 * with the studies that enter the model separated from those left out.
 *
 * Ownership: sm_analysis_data_new() allocates; sm_analysis_data_free()
 * releases all arrays.  `rows` point into the review, which must outlive it.
 */
#ifndef SM_ANALYSIS_DATA_H
#define SM_ANALYSIS_DATA_H

#include "sm_escalc.h"
#include "sm_review.h"
#include "sm_run_settings.h"

struct sm_analysis_data {
	const char *name;                 /* group name, or "all" */
	size_t n;                         /* rows in the group */
	const struct sm_outcome **rows;   /* n rows, input order */
	double *ai, *n1i, *ci, *n2i;      /* 2x2 counts (n each) */
	double *xi, *ni;                  /* proportions */
	struct sm_escalc_row *esc;        /* n ledger entries */
	/* Studies entering the model (finite yi, vi): k of them, in order. */
	size_t k;
	size_t *idx; /* index into rows of each included study */
	double *yi, *vi;
	/* Clusters of the included rows (sm_unit_assign; NULL before): the
	 * cluster of row j of yi, in 0..n_clusters - 1 by first appearance,
	 * and each cluster's value of the cluster column. */
	size_t *cluster;
	size_t n_clusters;
	const char **cluster_label;
};

/* Build from the rows of one group; SM_EINPUT for invalid counts. */
struct sm_analysis_data *sm_analysis_data_new(struct sm_ctx *ctx, const struct sm_review *review,
					      const char *name,
					      const struct sm_outcome **rows, size_t n,
					      const struct sm_run_settings *settings);
void sm_analysis_data_free(struct sm_analysis_data *d);

#endif
