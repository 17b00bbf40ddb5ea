#include "sm_words.h"

#include <stddef.h>
#include <string.h>

/* Codes of the results document in words, for methods paragraphs. */
static const char *const names[][2] = {
	{ "OR", "odds ratio" }, { "RR", "risk ratio" }, { "RD", "risk difference" },
	{ "PETO", "Peto odds ratio" }, { "PR", "proportion" },
	{ "PLO", "logit-transformed proportion" },
	{ "PAS", "arcsine-transformed proportion" },
	{ "PFT", "Freeman\u2013Tukey double-arcsine-transformed proportion" },
	{ "GEN", "effect size given in the data" },
	{ "FE", "common-effect (inverse-variance)" },
	{ "DL", "DerSimonian\u2013Laird" }, { "HE", "Hedges" }, { "HS", "Hunter\u2013Schmidt" },
	{ "SJ", "Sidik\u2013Jonkman" }, { "ML", "maximum-likelihood" },
	{ "REML", "restricted maximum-likelihood" }, { "EB", "empirical Bayes" },
	{ "PM", "Paule\u2013Mandel" },
	{ "z", "the normal distribution (Wald-type z tests)" },
	{ "knha", "the Hartung\u2013Knapp adjustment (t distribution)" },
	{ "t", "the t distribution" },
	{ "only0", "studies with a zero cell" }, { "all", "all studies" },
	{ "if0all", "all studies of an analysis in which any study has a zero cell" },
	{ "none", "no study" },
	{ "metafor", "metafor defaults" }, { "revman5", "RevMan 5 conventions" },
	{ "cochrane2025", "current Cochrane Handbook recommendations" },
};

const char *sm_words(const char *code)
{
	for (size_t i = 0; code && i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(names[i][0], code))
			return names[i][1];
	return code;
}

/* label, sentence, figure line */
static const char *const models[][3] = {
	{ "FE", "a common-effect (inverse-variance) model", "common-effect model (inverse variance)" },
	{ "EE", "a common-effect (inverse-variance) model", "common-effect model (inverse variance)" },
	{ "CE", "a common-effect (inverse-variance) model", NULL },
	{ "MH", "a common-effect (Mantel\u2013Haenszel) model",
	  "common-effect model (Mantel\u2013Haenszel)" },
	{ "PETO", "a common-effect (Peto) model", "common-effect model (Peto)" },
	{ "DL", "a random-effects model with the DerSimonian\u2013Laird estimator of \u03c4\u00b2",
	  "random-effects model, \u03c4\u00b2 by DerSimonian\u2013Laird" },
	{ "HE", "a random-effects model with the Hedges estimator of \u03c4\u00b2",
	  "random-effects model, \u03c4\u00b2 by Hedges" },
	{ "HS", "a random-effects model with the Hunter\u2013Schmidt estimator of \u03c4\u00b2",
	  "random-effects model, \u03c4\u00b2 by Hunter\u2013Schmidt" },
	{ "SJ", "a random-effects model with the Sidik\u2013Jonkman estimator of \u03c4\u00b2",
	  "random-effects model, \u03c4\u00b2 by Sidik\u2013Jonkman" },
	{ "ML", "a random-effects model with the maximum-likelihood estimator of \u03c4\u00b2",
	  "random-effects model, \u03c4\u00b2 by maximum likelihood" },
	{ "REML", "a random-effects model with the restricted maximum-likelihood estimator of "
		  "\u03c4\u00b2",
	  "random-effects model, \u03c4\u00b2 by restricted maximum likelihood" },
	{ "EB", "a random-effects model with the empirical Bayes estimator of \u03c4\u00b2",
	  "random-effects model, \u03c4\u00b2 by empirical Bayes" },
	{ "PM", "a random-effects model with the Paule\u2013Mandel estimator of \u03c4\u00b2",
	  "random-effects model, \u03c4\u00b2 by Paule\u2013Mandel" },
};

static const char *const *model_of(const char *label)
{
	for (size_t i = 0; label && i < sizeof models / sizeof models[0]; i++)
		if (!strcmp(models[i][0], label))
			return models[i];
	return NULL;
}

const char *sm_words_model_sentence(const char *label)
{
	const char *const *m = model_of(label);
	return m ? m[1] : "a random-effects model";
}

const char *sm_words_model_line(const char *label)
{
	const char *const *m = model_of(label);
	return m ? m[2] : NULL;
}

/* The keys of "reported" (examples/FORMAT.md) and the check's own fields. */
static const char *const reported[][2] = {
	{ "estimate", "estimate" }, { "ci_lb", "lower CI bound" }, { "ci_ub", "upper CI bound" },
	{ "se", "standard error" }, { "z", "z statistic" }, { "p", "P value" },
	{ "pi_lb", "lower prediction-interval bound" },
	{ "pi_ub", "upper prediction-interval bound" }, { "Q", "Q statistic" },
	{ "Q_p", "P value of Q" }, { "tau2", "\u03c4\u00b2" }, { "I2", "I\u00b2" },
	{ "H2", "H\u00b2" }, { "rstudent_bound", "studentized-residual bound" },
	{ "begg_p", "Begg's test P value" }, { "egger_p", "Egger's test P value" },
	{ "k", "number of comparisons (k)" }, { "studies_stated", "number of studies" },
	{ "ci", "confidence interval" }, { "name", "analysis name" },
};

const char *sm_words_reported(const char *key)
{
	for (size_t i = 0; key && i < sizeof reported / sizeof reported[0]; i++)
		if (!strcmp(reported[i][0], key))
			return reported[i][1];
	return key;
}
