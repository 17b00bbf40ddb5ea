/*
 * sm_rob_int.h -- the colours and symbols of risk-of-bias levels (private
 * to the renderer; the words and levels are the model's, sm_robscale.h).
 *
 * Ownership: strings returned are static.
 */
#ifndef SM_ROB_INT_H
#define SM_ROB_INT_H

#include "sm_rob.h"

/* The symbol a circle carries. */
const char *sm_rob_symbol(enum sm_rob_level level);
/* The circle's fill (symbol = 0) or the symbol's colour (symbol = 1). */
struct sm_rgb sm_rob_colour(enum sm_rob_level level, int symbol);

#endif
