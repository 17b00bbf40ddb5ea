/*
 * sm_method.h -- the vocabulary of pooling: tau^2 estimators, tests, the
 * zero-cell rules, and what a method label of a results document means.
 *
 * Ownership: plain values and static strings.
 */
#ifndef SM_METHOD_H
#define SM_METHOD_H

enum sm_method { SM_FE, SM_DL, SM_HE, SM_HS, SM_SJ, SM_ML, SM_REML, SM_EB, SM_PM };

const char *sm_method_name(enum sm_method m); /* "DL"; "?" when out of range */
int sm_method_parse(const char *name);        /* -1 when unknown */
int sm_method_is_iterative(enum sm_method m); /* ML, REML, EB, PM */

enum sm_test { SM_TEST_Z, SM_TEST_KNHA };

const char *sm_test_name(enum sm_test t); /* "z", "knha" */
int sm_test_parse(const char *name);      /* -1 when unknown */

/* When to add the continuity correction `add` (metafor's `to`). */
enum sm_to { SM_TO_ONLY0, SM_TO_ALL, SM_TO_IF0ALL, SM_TO_NONE };

const char *sm_to_name(enum sm_to to); /* "only0", "all", "if0all", "none" */
int sm_to_parse(const char *name);     /* -1 when unknown */

/* A method label of a results document ("FE", "MH", "PETO", "DL", ...)
 * pools with a common effect (FE, EE, CE, MH, PETO) or with random effects
 * (every tau^2 estimator); NULL counts as common. */
int sm_method_label_is_random(const char *label);
/* Mantel-Haenszel or Peto pooling of the counts. */
int sm_method_label_is_mh_peto(const char *label);

#endif
