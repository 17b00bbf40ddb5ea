/*
 * sm_rob_int.h -- the words, colours and symbols of risk-of-bias tools
 * (private to the renderer).
 *
 * Ownership: strings returned are static.
 */
#ifndef SM_ROB_INT_H
#define SM_ROB_INT_H

#include "sm_rob.h"

/* The legend text of a level in a tool, or NULL when the tool lacks it. */
const char *sm_rob_label(const char *tool, enum sm_rob_level level);
/* The symbol a circle carries. */
const char *sm_rob_symbol(enum sm_rob_level level);
/* The circle's fill (symbol = 0) or the symbol's colour (symbol = 1). */
struct sm_rgb sm_rob_colour(enum sm_rob_level level, int symbol);

#endif
