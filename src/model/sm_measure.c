#include "sm_measure.h"

#include <math.h>
#include <string.h>

static const char *const measure_names[] = {
	"OR", "RR", "RD", "PETO", "PR", "PLO", "PAS", "PFT", "GEN"
};

const char *sm_measure_name(enum sm_measure m)
{
	if ((size_t)m < sizeof measure_names / sizeof measure_names[0])
		return measure_names[m];
	return "?";
}

int sm_measure_parse(const char *code)
{
	for (size_t i = 0; code && i < sizeof measure_names / sizeof measure_names[0]; i++)
		if (strcmp(code, measure_names[i]) == 0)
			return (int)i;
	return -1;
}

struct measure_info {
	const char *code, *title, *shrt, *scale;
	enum sm_axis_kind axis;
};

static const struct measure_info measures[] = {
	{ "OR", "Odds ratio", "OR", "Log odds ratio", SM_AXIS_RATIO },
	{ "RR", "Risk ratio", "RR", "Log risk ratio", SM_AXIS_RATIO },
	{ "PETO", "Peto odds ratio", "Peto OR", "Log Peto odds ratio", SM_AXIS_RATIO },
	{ "HR", "Hazard ratio", "HR", "Log hazard ratio", SM_AXIS_RATIO },
	{ "IRR", "Incidence rate ratio", "IRR", "Log incidence rate ratio", SM_AXIS_RATIO },
	{ "RD", "Risk difference", "RD", "Risk difference", SM_AXIS_DIFF },
	{ "PR", "Proportion", "Proportion", "Proportion", SM_AXIS_PROP },
	{ "PLO", "Proportion, pooled as logit", "Proportion", "Log odds (proportion)",
	  SM_AXIS_PROP },
	{ "PAS", "Proportion, pooled as arcsine", "Proportion", "Arcsine-transformed proportion",
	  SM_AXIS_PROP },
	{ "PFT", "Proportion, pooled as Freeman\xe2\x80\x93Tukey double arcsine",
	  "Proportion", "Freeman\xe2\x80\x93Tukey transformed proportion", SM_AXIS_PROP },
	{ "GEN", "Effect size", "Effect", "Effect size", SM_AXIS_DIFF },
};

static const struct measure_info *measure_find(const char *code)
{
	for (size_t i = 0; i < sizeof measures / sizeof measures[0]; i++)
		if (code && !strcmp(measures[i].code, code))
			return &measures[i];
	return &measures[sizeof measures / sizeof measures[0] - 1];
}

const char *sm_measure_title(const char *code)
{
	return measure_find(code)->title;
}

const char *sm_measure_short(const char *code)
{
	return measure_find(code)->shrt;
}

const char *sm_measure_scale_title(const char *code)
{
	return measure_find(code)->scale;
}

enum sm_axis_kind sm_measure_axis(const char *code)
{
	return measure_find(code)->axis;
}

enum sm_transf sm_measure_transf(enum sm_measure m)
{
	switch (m) {
	case SM_OR: case SM_RR: case SM_PETO: return SM_TRANSF_EXP;
	case SM_PLO: return SM_TRANSF_ILOGIT;
	case SM_PAS: return SM_TRANSF_IARCSIN;
	case SM_PFT: return SM_TRANSF_IPFT_HM;
	default: return SM_TRANSF_NONE;
	}
}

static const char *const transf_names[] = { "none", "exp", "ilogit", "iarcsin", "ipft.hm" };

const char *sm_transf_name(enum sm_transf t)
{
	if ((size_t)t < sizeof transf_names / sizeof transf_names[0])
		return transf_names[t];
	return "?";
}

int sm_transf_parse(const char *name)
{
	for (size_t i = 0; name && i < sizeof transf_names / sizeof transf_names[0]; i++)
		if (strcmp(name, transf_names[i]) == 0)
			return (int)i;
	return -1;
}

double sm_transf_ilogit(double x)
{
	return 1 / (1 + exp(-x));
}

double sm_transf_iarcsin(double x)
{
	if (isnan(x))
		return x;
	if (x < 0)
		return 0;
	if (x > asin(1.0))
		return 1;
	double s = sin(x);
	return s * s;
}

double sm_transf_pft(double p, double n)
{
	double x = p * n;
	return 0.5 * (asin(sqrt(x / (n + 1))) + asin(sqrt((x + 1) / (n + 1))));
}

static double sign(double x)
{
	return x > 0 ? 1 : (x < 0 ? -1 : 0);
}

double sm_transf_ipft(double x, double n)
{
	if (isnan(x) || isnan(n))
		return NAN;
	/* metafor clamps outside the range of the forward transform, which also
	 * covers x = 0 where the formula divides by sin(0). */
	if (x > sm_transf_pft(1, n))
		return 1;
	if (x < sm_transf_pft(0, n))
		return 0;
	double s = sin(2 * x);
	double t = s + (s - 1 / s) / n;
	double z = 0.5 * (1 - sign(cos(2 * x)) * sqrt(1 - t * t));
	return z;
}

double sm_transf_apply(enum sm_transf t, double x, double n)
{
	switch (t) {
	case SM_TRANSF_EXP: return exp(x);
	case SM_TRANSF_ILOGIT: return sm_transf_ilogit(x);
	case SM_TRANSF_IARCSIN: return sm_transf_iarcsin(x);
	case SM_TRANSF_IPFT_HM: return sm_transf_ipft(x, n);
	case SM_TRANSF_NONE: break;
	}
	return x;
}
