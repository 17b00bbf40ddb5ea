/* The risk-of-bias tools, their default domains and judgement scales
 * (sm_robscale.h): the tools' own wording (Higgins et al. 2011; Sterne et
 * al. 2019; Sterne et al. 2016). */
#include "sm_robscale.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

static const char *const rob1_domains[] = {
	"Random sequence generation", "Allocation concealment",
	"Blinding of participants and personnel", "Blinding of outcome assessment",
	"Incomplete outcome data", "Selective reporting", "Other bias", NULL
};
static const char *const rob1_words[] = { "low", "unclear", "high", NULL };
static const enum sm_rob_level rob1_levels[] = { SM_ROB_LOW, SM_ROB_UNCLEAR, SM_ROB_HIGH };
static const char *const rob1_labels[] = { "Low risk of bias", "Unclear risk of bias",
					   "High risk of bias" };

static const char *const rob2_domains[] = {
	"Randomisation process", "Deviations from intended interventions",
	"Missing outcome data", "Measurement of the outcome",
	"Selection of the reported result", NULL
};
static const char *const rob2_words[] = { "low", "some concerns", "high", NULL };
static const enum sm_rob_level rob2_levels[] = { SM_ROB_LOW, SM_ROB_SOME, SM_ROB_HIGH };
static const char *const rob2_labels[] = { "Low risk of bias", "Some concerns",
					   "High risk of bias" };

static const char *const robins_domains[] = {
	"Bias due to confounding", "Bias in selection of participants",
	"Bias in classification of interventions",
	"Bias due to deviations from intended interventions", "Bias due to missing data",
	"Bias in measurement of outcomes", "Bias in selection of the reported result", NULL
};
static const char *const robins_words[] = {
	"low", "moderate", "serious", "critical", "no information", NULL
};
static const enum sm_rob_level robins_levels[] = { SM_ROB_LOW, SM_ROB_SOME, SM_ROB_HIGH,
						   SM_ROB_CRITICAL, SM_ROB_NOINFO };
static const char *const robins_labels[] = { "Low", "Moderate", "Serious", "Critical",
					     "No information" };

static const struct sm_rob_tool tools[] = {
	{ "RoB1", rob1_domains, rob1_words, rob1_levels, rob1_labels },
	{ "RoB2", rob2_domains, rob2_words, rob2_levels, rob2_labels },
	{ "ROBINS-I", robins_domains, robins_words, robins_levels, robins_labels },
};

#define NTOOLS (sizeof tools / sizeof tools[0])

const char *const sm_rob_tool_names[] = { "RoB1", "RoB2", "ROBINS-I", NULL };

const struct sm_rob_tool *sm_rob_tool_named(const char *name)
{
	for (size_t i = 0; name && i < NTOOLS; i++)
		if (!strcmp(tools[i].name, name))
			return &tools[i];
	return NULL;
}

int sm_rob_tool_has_word(const struct sm_rob_tool *tool, const char *word)
{
	for (size_t i = 0; tool && word && tool->words[i]; i++)
		if (!strcmp(tool->words[i], word))
			return 1;
	return 0;
}

int sm_rob_level_of(const char *tool, const char *word)
{
	if (!word)
		return SM_ROB_NONE;
	const struct sm_rob_tool *t = sm_rob_tool_named(tool);
	for (size_t i = 0; t && t->words[i]; i++)
		if (!strcasecmp(t->words[i], word))
			return t->levels[i];
	return SM_ROB_NOT_ON_SCALE;
}

const char *sm_rob_label(const char *tool, enum sm_rob_level level)
{
	if (level == SM_ROB_NONE)
		return "Not assessed";
	const struct sm_rob_tool *t = sm_rob_tool_named(tool);
	for (size_t i = 0; t && t->words[i]; i++)
		if (t->levels[i] == level)
			return t->labels[i];
	return NULL;
}
