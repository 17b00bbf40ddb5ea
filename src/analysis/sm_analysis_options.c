#include "sm_analysis_options.h"

#include "sm_buf.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A strictly numeric, finite value; 0 on success. */
static int parse_number(const char *text, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	if (errno != 0 || end == text || *end != '\0' || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

/* 1 when `value` is one of the NULL-terminated `words`. */
static int one_of(const char *value, const char *const *words)
{
	for (; *words; words++)
		if (!strcmp(value, *words))
			return 1;
	return 0;
}

static const char *set_preset(struct sm_analysis_opts *o, const char *v)
{
	o->preset = v;
	return NULL;
}

static const char *set_measure(struct sm_analysis_opts *o, const char *v)
{
	o->measure = v;
	return NULL;
}

static const char *set_method(struct sm_analysis_opts *o, const char *v)
{
	o->method = v;
	return NULL;
}

static const char *set_glmm(struct sm_analysis_opts *o, const char *v)
{
	o->glmm = v;
	return NULL;
}

static const char *set_test(struct sm_analysis_opts *o, const char *v)
{
	o->test = v;
	return NULL;
}

static const char *set_add(struct sm_analysis_opts *o, const char *v)
{
	if (parse_number(v, &o->add) != 0 || o->add < 0)
		return "a non-negative number";
	o->add_set = 1;
	return NULL;
}

static const char *set_to(struct sm_analysis_opts *o, const char *v)
{
	o->to = v;
	return NULL;
}

static const char *set_drop00(struct sm_analysis_opts *o, const char *v)
{
	(void)v;
	o->drop00 = 1;
	o->drop00_set = 1;
	return NULL;
}

static const char *const outcome_fields[] = { "domain", "event", "none", NULL };

static const char *set_outcome_by(struct sm_analysis_opts *o, const char *v)
{
	if (!one_of(v, outcome_fields))
		return "domain, event or none";
	o->outcome_by = v;
	return NULL;
}

static const char *set_by(struct sm_analysis_opts *o, const char *v)
{
	o->by = v;
	return NULL;
}

static const char *set_mods(struct sm_analysis_opts *o, const char *v)
{
	o->mods = v;
	return NULL;
}

static const char *set_level(struct sm_analysis_opts *o, const char *v)
{
	if (parse_number(v, &o->level) != 0 || o->level <= 0 || o->level >= 100)
		return "a percentage between 0 and 100";
	o->level_set = 1;
	return NULL;
}

static const char *set_stepadj(struct sm_analysis_opts *o, const char *v)
{
	if (parse_number(v, &o->stepadj) != 0 || o->stepadj <= 0 || o->stepadj > 1)
		return "a number in (0, 1]";
	return NULL;
}

static const char *set_no_studies(struct sm_analysis_opts *o, const char *v)
{
	(void)v;
	o->no_studies = 1;
	return NULL;
}

static const char *const models[] = { "standard", "multilevel", NULL };

static const char *set_model(struct sm_analysis_opts *o, const char *v)
{
	if (!one_of(v, models))
		return "standard or multilevel";
	o->model = v;
	return NULL;
}

static const char *set_cluster(struct sm_analysis_opts *o, const char *v)
{
	if (!*v)
		return "a column name";
	o->cluster = v;
	return NULL;
}

static const char *const robust_types[] = { "cr1", "cr2", "none", NULL };

static const char *set_robust(struct sm_analysis_opts *o, const char *v)
{
	if (!v)
		v = "cr1";
	if (!one_of(v, robust_types))
		return "cr1, cr2 or none";
	o->robust = v;
	return NULL;
}

static const char *set_aggregate(struct sm_analysis_opts *o, const char *v)
{
	(void)v;
	o->aggregate = 1;
	o->aggregate_set = 1;
	return NULL;
}

/* A whole number from lo to hi into *out; -1 when v is not one. */
static int parse_whole(const char *v, int lo, int hi, int *out)
{
	double x;
	if (parse_number(v, &x) != 0 || x != floor(x) || x < lo || x > hi)
		return -1;
	*out = (int)x;
	return 0;
}

static const char *set_small_study_min_k(struct sm_analysis_opts *o, const char *v)
{
	if (parse_whole(v, 1, 1000000, &o->small_study_min_k) != 0)
		return "a whole number of studies from 1 to 1000000";
	return NULL;
}

static const char *set_threads(struct sm_analysis_opts *o, const char *v)
{
	if (parse_whole(v, 0, 64, &o->threads) != 0)
		return "a whole number of threads from 0 (the CPUs) to 64";
	return NULL;
}

static const char *set_harm_margin(struct sm_analysis_opts *o, const char *v)
{
	if (parse_number(v, &o->harm_margin) != 0 || !(o->harm_margin > 0 && o->harm_margin <= 1000))
		return "an excess risk per 1000 above 0 and at most 1000";
	o->harm_margin_set = 1;
	return NULL;
}

static const char *set_sensitivity_exclude(struct sm_analysis_opts *o, const char *v)
{
	if (!*v || *v == '=')
		return "a study field, FIELD or FIELD=VALUE";
	o->sensitivity_exclude = v;
	return NULL;
}

static const char *set_cumul_order(struct sm_analysis_opts *o, const char *v)
{
	if (!*v)
		return "input, year or a study column";
	o->cumul_order = v;
	return NULL;
}

static const struct sm_aopt options[] = {
	{ "preset", SM_AOPT_REQUIRED, "NAME", "metafor | revman5 | cochrane2025", NULL,
	  set_preset },
	{ "measure", SM_AOPT_REQUIRED, "M", "OR RR RD PETO | PR PLO PAS PFT | GEN", NULL,
	  set_measure },
	{ "method", SM_AOPT_REQUIRED, "M", "FE MH PETO DL HE HS SJ ML REML EB PM | GLMM GLMM-FE",
	  NULL, set_method },
	{ "glmm", SM_AOPT_REQUIRED, "MODEL",
	  "GLMM of --method GLMM: UM.FS (default) UM.RS CM.EL CM.AL", NULL, set_glmm },
	{ "test", SM_AOPT_REQUIRED, "T", "z | knha (Hartung-Knapp)", NULL, set_test },
	{ "add", SM_AOPT_REQUIRED, "X", "continuity correction added to zero cells (default 0.5)",
	  NULL, set_add },
	{ "to", SM_AOPT_REQUIRED, "R", "only0 | all | if0all | none", NULL, set_to },
	{ "drop00", SM_AOPT_NONE, NULL, "drop double-zero studies", NULL, set_drop00 },
	{ "outcome-by", SM_AOPT_REQUIRED, "F",
	  "which outcome field separates the analyses:\n"
	  "domain (default) | event | none (one analysis);\n"
	  "separate outcomes are never tested against each other", NULL, set_outcome_by },
	{ "by", SM_AOPT_REQUIRED, "COLUMN",
	  "subgroups of each analysis by a study characteristic\n"
	  "or outcome column (e.g. route, year): per-subgroup\n"
	  "results and the tests for subgroup differences;\n"
	  "--by none: no subgroups", NULL, set_by },
	{ "mods", SM_AOPT_REQUIRED, "A,B",
	  "meta-regression on moderators (numeric, or text as\n"
	  "categories), as rma(yi, vi, mods = ~ A + B)", NULL, set_mods },
	{ "level", SM_AOPT_REQUIRED, "L", "confidence level in percent (default 95)", NULL,
	  set_level },
	{ "stepadj", SM_AOPT_REQUIRED, "X",
	  "shorten Fisher scoring steps (0 < X <= 1) when ML,\n"
	  "REML or EB do not converge", NULL, set_stepadj },
	{ "no-studies", SM_AOPT_NONE, NULL,
	  "leave the per-study rows out of the output\n"
	  "(every statistic is still computed)", NULL, set_no_studies },
	{ "model", SM_AOPT_REQUIRED, "M",
	  "standard (rows pooled as studies) | multilevel\n"
	  "(rows within clusters, rma.mv REML; ML with --method ML)", NULL, set_model },
	{ "cluster", SM_AOPT_REQUIRED, "COLUMN",
	  "what groups rows: study (default) or a study\n"
	  "characteristic", NULL, set_cluster },
	{ "robust", SM_AOPT_OPTIONAL, "T",
	  "cluster-robust inference: cr1 (default; metafor\n"
	  "robust, adjust = TRUE) | cr2 (clubSandwich CR2,\n"
	  "Satterthwaite df) | none", robust_types, set_robust },
	{ "aggregate", SM_AOPT_NONE, NULL,
	  "also pool one row per study with bounds on the\n"
	  "patients with an event (lower and upper)", NULL, set_aggregate },
	{ "small-study-min-k", SM_AOPT_REQUIRED, "N",
	  "fewest studies for which Egger's and Begg's tests\n"
	  "and trim and fill are presented (default 10, the\n"
	  "Cochrane Handbook's advice; meta's k.min)", NULL, set_small_study_min_k },
	{ "threads", SM_AOPT_REQUIRED, "N",
	  "threads to use: an analysis' second thread for its\n"
	  "small-study tests, report's figure workers; 0 = the\n"
	  "CPUs (default), 1 = one; the output is the same", NULL, set_threads },
	{ "harm-margin", SM_AOPT_REQUIRED, "X",
	  "the excess risk per 1000 treated that would matter:\n"
	  "says whether the data exclude it, and the patients\n"
	  "needed to (evidence of absence, 2x2 data)", NULL, set_harm_margin },
	{ "sensitivity-exclude", SM_AOPT_REQUIRED, "FIELD[=VALUE]",
	  "a row of the sensitivity table without the studies\n"
	  "flagged by this study characteristic or outcome\n"
	  "column: true, yes or 1 (or equal to VALUE)", NULL, set_sensitivity_exclude },
	{ "cumul-order", SM_AOPT_REQUIRED, "KEY",
	  "order of the cumulative meta-analysis: year (the\n"
	  "default when every study has one), input, or a study\n"
	  "column (ascending; studies without a value last)", NULL, set_cumul_order },
};

const struct sm_aopt *sm_analysis_options(size_t *n)
{
	*n = sizeof options / sizeof options[0];
	return options;
}

const struct sm_aopt *sm_analysis_option_named(const char *name)
{
	for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
		if (!strcmp(options[i].name, name))
			return &options[i];
	return NULL;
}

struct sm_analysis_opts *sm_analysis_opts_new(void)
{
	struct sm_analysis_opts *o = malloc(sizeof *o);
	if (o)
		sm_analysis_opts_init(o);
	return o;
}

void sm_analysis_opts_free(struct sm_analysis_opts *opts)
{
	free(opts);
}

sm_status sm_analysis_opts_set(struct sm_ctx *ctx, struct sm_analysis_opts *opts,
			       const char *name, const char *value)
{
	const struct sm_aopt *o = name ? sm_analysis_option_named(name) : NULL;
	if (!o)
		return SM_FAIL(ctx, SM_EINPUT, "unknown option '--%s'", name ? name : "");
	if (o->value == SM_AOPT_NONE && value)
		return SM_FAIL(ctx, SM_EINPUT, "option '--%s' takes no value, got '%s'", o->name,
			       value);
	if (o->value == SM_AOPT_REQUIRED && !value)
		return SM_FAIL(ctx, SM_EINPUT, "option '--%s' needs a value", o->name);
	const char *expected = o->set(opts, value);
	if (expected)
		return SM_FAIL(ctx, SM_EINPUT, "option '--%s': expected %s, got '%s'", o->name,
			       expected, value ? value : "");
	return SM_OK;
}

/* Help text as one markdown cell: lines joined, '|' escaped. */
static void markdown_cell(struct sm_buf *b, const char *text)
{
	for (const char *p = text; *p; p++) {
		if (*p == '\n')
			sm_buf_putc(b, ' ');
		else if (*p == '|')
			sm_buf_puts(b, "\\|");
		else
			sm_buf_putc(b, *p);
	}
}

char *sm_analysis_options_markdown(void)
{
	struct sm_buf b;
	sm_buf_init(&b);
	sm_buf_puts(&b, "| option | meaning |\n|---|---|\n");
	for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
		const struct sm_aopt *o = &options[i];
		sm_buf_printf(&b, "| `--%s", o->name);
		if (o->value == SM_AOPT_OPTIONAL)
			sm_buf_printf(&b, "[=%s]", o->metavar);
		else if (o->metavar)
			sm_buf_printf(&b, " %s", o->metavar);
		sm_buf_puts(&b, "` | ");
		markdown_cell(&b, o->help);
		sm_buf_puts(&b, " |\n");
	}
	return sm_buf_take(&b);
}
