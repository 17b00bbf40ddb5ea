/*
 * sm_prisma_int.h -- the PRISMA boxes' wording (private to the renderer).
 *
 * Ownership: sm_prisma_text() returns a string the caller frees.
 */
#ifndef SM_PRISMA_INT_H
#define SM_PRISMA_INT_H

#include "sm_prisma.h"

enum sm_prisma_slot { SM_PS_IDENTIFIED, SM_PS_REMOVED, SM_PS_OTHER_IDENTIFIED, SM_PS_SCREENED,
		      SM_PS_EXCLUDED, SM_PS_SOUGHT, SM_PS_NOT_RETRIEVED, SM_PS_ASSESSED,
		      SM_PS_REPORTS_EXCLUDED, SM_PS_PREVIOUS, SM_PS_INCLUDED };

/* The text of a box from the prisma object (or its other_methods). */
char *sm_prisma_text(enum sm_prisma_slot slot, const cJSON *p);
/* 1 when o[key] is a reported count. */
int sm_prisma_has(const cJSON *o, const char *key);

#endif
