/* How risk-of-bias levels are drawn: the colour of a judgement's circle
 * and the symbol it carries (the words and levels are the model's,
 * sm_robscale.h). */
#include "sm_rob_int.h"

const char *sm_rob_symbol(enum sm_rob_level level)
{
	static const char *const sym[SM_ROB_NLEVELS] = {
		"+", "?", "!", "\xe2\x88\x92", "\xc3\x97", "?"
	};
	return level >= 0 && level < SM_ROB_NLEVELS ? sym[level] : "";
}

struct sm_rgb sm_rob_colour(enum sm_rob_level level, int symbol)
{
	/* Okabe-Ito green, yellow, vermillion; a dark red for critical and
	 * grey for no information.  Symbols in white on the dark fills. */
	static const unsigned fill[SM_ROB_NLEVELS] = { 0x009E73, 0xF0E442, 0xF0E442, 0xD55E00,
						       0x7A1F1F, 0xBDBDBD };
	static const int dark[SM_ROB_NLEVELS] = { 1, 0, 0, 1, 1, 0 };
	if (level < 0 || level >= SM_ROB_NLEVELS)
		return sm_fig_rgb(symbol ? 0x000000 : 0xFFFFFF);
	if (symbol)
		return sm_fig_rgb(dark[level] ? 0xFFFFFF : 0x000000);
	return sm_fig_rgb(fill[level]);
}
