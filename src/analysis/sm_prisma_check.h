/*
 * sm_prisma_check.h -- the arithmetic of a PRISMA 2020 flow.
 *
 * Each box of the flow should follow from the ones above it.  Reviews often
 * report counts that do not add up (the IV MSC paper: 207 assessed, 169
 * excluded, 36 included); the diagram shows what the authors reported, and
 * this check lists every step where the numbers disagree.  A step is only
 * checked when every count it involves was reported (not null).
 *
 * A flow with counts missing is flagged too, not left to be drawn as a row
 * of "not reported" boxes: every count null gives one finding; otherwise
 * each core box of the template (records identified, screened, excluded,
 * reports assessed, excluded, studies included; for an updated review the
 * previous, new and total studies; for other methods their identified,
 * assessed and excluded) that is null or absent gives one, with expected
 * and reported null.
 *
 * Ownership: returns a new cJSON array (caller deletes) of findings
 * { "step", "expected", "reported", "message" }: the arithmetic first, then
 * the missing counts; empty when consistent and complete.
 */
#ifndef SM_PRISMA_CHECK_H
#define SM_PRISMA_CHECK_H

#include <cjson/cJSON.h>

cJSON *sm_prisma_check(const cJSON *prisma);

#endif
