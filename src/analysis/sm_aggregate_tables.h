/*
 * sm_aggregate_tables.h -- the review's 2x2 comparisons reported only in
 * total ("aggregate_tables": events and patients per arm, no per-study
 * rows): each analysed as one table, exactly (sm_exact2x2.h):
 *   Fisher's exact test, the conditional maximum-likelihood odds ratio and
 *   its exact interval (R's fisher.test); the risk difference with its
 *   Miettinen-Nurminen score interval and its one-sided level-% upper
 *   bound (the largest excess risk the counts exclude); and a sentence.
 * Such counts pool patients of different studies as if from one trial, so
 * they answer less than a meta-analysis would; they are what some papers
 * give, and these are the tests that fit them.
 *
 * Ownership: returns a new array (NULL on out of memory, in ctx).
 */
#ifndef SM_AGGREGATE_TABLES_H
#define SM_AGGREGATE_TABLES_H

#include "sm_ctx.h"
#include "sm_review.h"

#include <cjson/cJSON.h>

cJSON *sm_aggregate_tables_json(struct sm_ctx *ctx, const struct sm_review *r, double level);

#endif
