/*
 * sm_sof.h -- the GRADE summary of findings: per rated analysis (the
 * review's "grade"), its participants and studies, the certainty with the
 * reasons for rating down (footnotes a, b, c ... in order of first use,
 * one letter per distinct text), the relative effect and GRADEpro's
 * anticipated absolute effects per 1000.
 *
 * Computed from the domain table already in the results document (its
 * pooled effect on the display scale, its counts).  The assumed risk with
 * control is the review's control_risk_per_1000 when given, else the
 * studies' own (control events / control patients, GRADEpro's "study
 * population"); the corresponding risk with intervention and its interval
 * come from the pooled effect and its interval with that control risk CR,
 * as GRADEpro does: OR (and Peto OR): OR CR / (1 - CR + OR CR); RR: RR CR;
 * RD: CR + RD (kept within 0..1000 as the domain table does,
 * sm_domain_treated_risk).  Other measures get no absolute effects.
 * A rating that names no analysis is left out with a warning.
 *
 * Ownership: sm_sof_json() returns a new object (caller deletes), or NULL
 * when the review has no ratings or on out of memory (error in ctx).
 */
#ifndef SM_SOF_H
#define SM_SOF_H

#include "sm_ctx.h"
#include "sm_review.h"

#include <cjson/cJSON.h>

cJSON *sm_sof_json(struct sm_ctx *ctx, const struct sm_review *r, const cJSON *results);

#endif
