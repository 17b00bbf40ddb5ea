/* How risk-of-bias levels are drawn: the colour of a judgement's circle
 * or bar, the symbol it carries and the hatching of the worst levels (the
 * words and levels are the model's, sm_robscale.h).  The fills come from
 * the style (colours.rob_*), whose defaults keep the lumas of the levels
 * at least SM_STYLE_MIN_LUMA_GAP apart; the symbols and the hatching tell
 * the levels apart without colour at all. */
#include "sm_rob_int.h"

const char *sm_rob_symbol(enum sm_rob_level level)
{
	static const char *const sym[SM_ROB_NLEVELS] = {
		"+", "?", "!", "\xe2\x88\x92", "\xc3\x97", "?"
	};
	return level >= 0 && level < SM_ROB_NLEVELS ? sym[level] : "";
}

/* Symbols in white on fills darker than mid-grey, else in black. */
static struct sm_rgb ink_on(struct sm_rgb fill)
{
	return sm_fig_rgb(sm_rgb_luma(fill) < 140 ? 0xFFFFFF : 0x000000);
}

struct sm_rgb sm_rob_colour(enum sm_rob_level level, int symbol)
{
	if (level < 0 || level >= SM_ROB_NLEVELS)
		return sm_fig_rgb(symbol ? 0x000000 : 0xFFFFFF);
	struct sm_rgb fill = sm_style_rob_default((int)level);
	return symbol ? ink_on(fill) : fill;
}

struct sm_rgb sm_rob_fill(const struct sm_style *st, enum sm_rob_level level)
{
	if (level < 0 || level >= SM_ROB_NLEVELS)
		return sm_fig_rgb(0xFFFFFF);
	return st->c_rob[level];
}

struct sm_rgb sm_rob_ink(const struct sm_style *st, enum sm_rob_level level)
{
	return ink_on(sm_rob_fill(st, level));
}

int sm_rob_hatch(enum sm_rob_level level)
{
	return level == SM_ROB_HIGH ? 1 : level == SM_ROB_CRITICAL ? 2 : 0;
}
