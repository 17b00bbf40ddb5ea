/*
 * sm_fdraw.h -- drawing one page of a forest layout on a cairo context.
 *
 * Only paints what the layout says, in user units of points; all decisions
 * about positions were taken by sm_flayout.
 *
 * Ownership: everything is borrowed.
 */
#ifndef SM_FDRAW_H
#define SM_FDRAW_H

#include "sm_flayout.h"
#include "sm_style.h"
#include "sm_text.h"

#include <cairo.h>

void sm_fdraw_page(struct sm_text *text, cairo_t *cr, const struct sm_flayout *l,
		   const struct sm_style *style, int page);

#endif
