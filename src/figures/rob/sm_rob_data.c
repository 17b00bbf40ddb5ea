/* Risk-of-bias judgements as the review file declares them: the tool's
 * words, levels, colours and symbols. */
#include "sm_rob_int.h"

#include <string.h>
#include <strings.h>

struct word {
	const char *tool, *word;
	enum sm_rob_level level;
	const char *label;
};

static const struct word words[] = {
	{ "RoB1", "low", SM_ROB_LOW, "Low risk of bias" },
	{ "RoB1", "unclear", SM_ROB_UNCLEAR, "Unclear risk of bias" },
	{ "RoB1", "high", SM_ROB_HIGH, "High risk of bias" },
	{ "RoB2", "low", SM_ROB_LOW, "Low risk of bias" },
	{ "RoB2", "some concerns", SM_ROB_SOME, "Some concerns" },
	{ "RoB2", "high", SM_ROB_HIGH, "High risk of bias" },
	{ "ROBINS-I", "low", SM_ROB_LOW, "Low" },
	{ "ROBINS-I", "moderate", SM_ROB_SOME, "Moderate" },
	{ "ROBINS-I", "serious", SM_ROB_HIGH, "Serious" },
	{ "ROBINS-I", "critical", SM_ROB_CRITICAL, "Critical" },
	{ "ROBINS-I", "no information", SM_ROB_NOINFO, "No information" },
};

#define NWORDS (sizeof words / sizeof words[0])

int sm_rob_level_of(const char *tool, const char *word)
{
	if (!word)
		return SM_ROB_NONE;
	for (size_t i = 0; i < NWORDS; i++)
		if (tool && !strcmp(words[i].tool, tool) && !strcasecmp(words[i].word, word))
			return words[i].level;
	return -2;
}

const char *sm_rob_label(const char *tool, enum sm_rob_level level)
{
	for (size_t i = 0; i < NWORDS; i++)
		if (!strcmp(words[i].tool, tool) && words[i].level == level)
			return words[i].label;
	return NULL;
}

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
