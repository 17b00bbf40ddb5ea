/*
 * sm_rare_json.h -- the rare-event method comparison of one 2x2 analysis:
 * the pooled odds ratio (and risk difference) by the methods that differ
 * most when events are rare, side by side, so that a reader sees whether
 * the answer depends on the method.  One row per method:
 *
 *   IV    inverse variance, random effects, with the analysis' continuity
 *         correction (add, to, drop00): OR and RD
 *   MH    Mantel-Haenszel, common effect, no correction: OR and RD
 *   PETO  Peto's one-step odds ratio
 *   GLMM  metafor's rma.glmm, random effects (ML): UM.FS and CM.EL
 *
 * Each row names its model and carries everything a table or a "method
 * forest" needs (display-scale estimate and CI, p, the analysis-scale
 * estimate and se, tau2, the studies used, the null value); a row that
 * cannot be computed has null numbers and its reason in `note` (also added
 * to the analysis' warnings).  The GLMM rows are skipped above
 * SM_RARE_GLMM_MAX_K tables, with a note.
 *
 * Ownership: returns a new cJSON object the caller adds or deletes.
 */
#ifndef SM_RARE_JSON_H
#define SM_RARE_JSON_H

#include "sm_analysis_data.h"
#include "sm_run_settings.h"

#include <cjson/cJSON.h>

/* UM.FS profiles one study parameter per table and CM.EL sums each
 * table's conditional distribution at every quadrature node: both cost
 * O(k) per likelihood, a few hundred likelihoods a fit (about 1 ms per
 * table for CM.EL on the bundled reviews).  Above this many tables the
 * GLMM rows are left out, with a note. */
#define SM_RARE_GLMM_MAX_K 2000

cJSON *sm_rare_events_json(struct sm_ctx *ctx, const struct sm_analysis_data *d,
			   const struct sm_run_settings *s, cJSON *warnings);

#endif
