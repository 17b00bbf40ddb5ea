/*
 * sm_reported.h -- the vocabulary of what a paper reports beyond numbers
 * (the review's "reported" section, examples/FORMAT.md): the tests a paper
 * says it used on an aggregate 2x2 comparison, and the claims about an
 * analysis that `safemeta check` compares with the recomputed results.
 *
 * Ownership: static NULL-terminated lists of static strings.
 */
#ifndef SM_REPORTED_H
#define SM_REPORTED_H

/* reported.comparisons[].test */
extern const char *const sm_reported_tests[];

/* reported.analyses[].claims[].claim */
#define SM_CLAIM_NO_INFLUENTIAL "no influential study"
#define SM_CLAIM_NO_OUTLIER "no outlier"
extern const char *const sm_reported_claims[];

/* 1 for a test of paired or continuous measurements (a t-test), which
 * counts of events in two independent groups cannot support. */
int sm_reported_test_needs_measurements(const char *test);

#endif
