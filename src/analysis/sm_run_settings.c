#include "sm_run_settings.h"

#include "sm_buf.h"
#include "sm_columns.h"

#include <math.h>
#include <string.h>

void sm_analysis_opts_init(struct sm_analysis_opts *opts)
{
	memset(opts, 0, sizeof *opts);
}

/* Names as given by the user; NULL members mean "not given". */
struct named_settings {
	const char *measure, *method, *test, *to, *glmm;
	double add, level;
	int drop00;
	int add_set, level_set, drop00_set;
};

struct preset {
	const char *name;
	const char *method; /* NULL: keep */
	const char *test;
	const char *to;
	int drop00;
};

/* metafor: rma.uni defaults.  revman5: RevMan 5's M-H random-effects
 * analysis, which adds 1/2 only to tables with a zero cell and leaves out
 * double-zero tables.  cochrane2025: the Cochrane Handbook's current advice
 * (REML, Hartung-Knapp, t-based prediction interval). */
static const struct preset presets[] = {
	{ "metafor", "REML", "z", "only0", 0 },
	{ "revman5", "MH-DL", "z", "only0", 1 },
	{ "cochrane2025", "REML", "knha", "only0", 0 },
};

static const struct preset *find_preset(const char *name)
{
	for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++)
		if (!strcmp(presets[i].name, name))
			return &presets[i];
	return NULL;
}

static void overlay_review(struct named_settings *n, const struct sm_settings *s)
{
	if (s->measure)
		n->measure = s->measure;
	if (s->method)
		n->method = s->method;
	if (s->test)
		n->test = s->test;
	if (s->to)
		n->to = s->to;
	if (s->glmm)
		n->glmm = s->glmm;
	if (s->add_set) {
		n->add = s->add;
		n->add_set = 1;
	}
	if (s->level_set) {
		n->level = s->level;
		n->level_set = 1;
	}
	if (s->drop00_set) {
		n->drop00 = s->drop00;
		n->drop00_set = 1;
	}
}

static void overlay_opts(struct named_settings *n, const struct sm_analysis_opts *o)
{
	if (o->measure)
		n->measure = o->measure;
	if (o->method)
		n->method = o->method;
	if (o->test)
		n->test = o->test;
	if (o->to)
		n->to = o->to;
	if (o->glmm)
		n->glmm = o->glmm;
	if (o->add_set) {
		n->add = o->add;
		n->add_set = 1;
	}
	if (o->level_set) {
		n->level = o->level;
		n->level_set = 1;
	}
	if (o->drop00_set) {
		n->drop00 = o->drop00;
		n->drop00_set = 1;
	}
}

static const char *default_measure(enum sm_data_kind kind)
{
	switch (kind) {
	case SM_KIND_2X2: return "OR";
	case SM_KIND_PROP: return "PLO";
	case SM_KIND_GENERIC: return "GEN";
	case SM_KIND_NONE: break;
	}
	return "OR";
}

static int measure_fits_kind(enum sm_measure m, enum sm_data_kind kind)
{
	switch (kind) {
	case SM_KIND_2X2: return m == SM_OR || m == SM_RR || m == SM_RD || m == SM_PETO;
	case SM_KIND_PROP: return m == SM_PR || m == SM_PLO || m == SM_PAS || m == SM_PFT;
	case SM_KIND_GENERIC: return m == SM_GEN;
	case SM_KIND_NONE: return 1;
	}
	return 0;
}

static sm_status resolve_measure(struct sm_ctx *ctx, const struct sm_review *r,
				 const char *name, struct sm_run_settings *out)
{
	int m = sm_measure_parse(name);
	if (m < 0)
		return SM_FAIL(ctx, SM_EINPUT,
			       "measure '%s' is unknown; expected one of OR RR RD PETO PR PLO PAS PFT GEN",
			       name);
	if (!measure_fits_kind((enum sm_measure)m, r->kind))
		return SM_FAIL_POS(ctx, SM_EINPUT, r->path, 0, 0, "measure",
				   "measure '%s' does not apply to %s data; expected one of %s", name,
				   sm_data_kind_name(r->kind),
				   r->kind == SM_KIND_2X2    ? "OR RR RD PETO"
				   : r->kind == SM_KIND_PROP ? "PR PLO PAS PFT"
							     : "GEN");
	out->esc = sm_escalc_defaults((enum sm_measure)m);
	return SM_OK;
}

/* metafor's rma.glmm with measure OR: ML (random effects) or FE. */
static sm_status resolve_glmm(struct sm_ctx *ctx, const struct sm_review *r, const char *name,
			      struct sm_run_settings *out)
{
	if (r->kind != SM_KIND_2X2)
		return SM_FAIL(ctx, SM_EINPUT, "method '%s' models 2x2 counts; the review has %s data",
			       name, sm_data_kind_name(r->kind));
	if (out->esc.measure != SM_OR)
		return SM_FAIL(ctx, SM_EINPUT, "method '%s' needs measure OR; got %s (rma.glmm's "
			       "RR and RD are experimental in metafor and not supported; person-time "
			       "data, for IRR, are not part of the review format)",
			       name, sm_measure_name(out->esc.measure));
	out->pooling = SM_POOL_GLMM;
	out->method = !strcmp(name, "GLMM") ? SM_ML : SM_FE;
	out->method_label = name;
	return SM_OK;
}

static sm_status resolve_method(struct sm_ctx *ctx, const struct sm_review *r,
				const char *name, struct sm_run_settings *out)
{
	out->method_label = name;
	if (!strcmp(name, "MH") || !strcmp(name, "PETO") || !strcmp(name, "MH-DL")) {
		if (r->kind != SM_KIND_2X2)
			return SM_FAIL(ctx, SM_EINPUT,
				       "method '%s' pools 2x2 counts; the review has %s data", name,
				       sm_data_kind_name(r->kind));
		if (!strcmp(name, "PETO")) {
			out->pooling = SM_POOL_PETO;
			out->method = SM_FE;
			out->esc.measure = SM_PETO;
			return SM_OK;
		}
		if (out->esc.measure == SM_PETO)
			return SM_FAIL(ctx, SM_EINPUT,
				       "method '%s' needs measure OR, RR or RD; got PETO", name);
		out->pooling = !strcmp(name, "MH") ? SM_POOL_MH : SM_POOL_REVMAN_DL;
		out->method = !strcmp(name, "MH") ? SM_FE : SM_DL;
		if (out->pooling == SM_POOL_REVMAN_DL)
			out->method_label = "DL";
		return SM_OK;
	}
	if (!strcmp(name, "GLMM") || !strcmp(name, "GLMM-FE"))
		return resolve_glmm(ctx, r, name, out);
	int m = sm_method_parse(name);
	if (m < 0)
		return SM_FAIL(ctx, SM_EINPUT,
			       "method '%s' is unknown; expected one of FE MH PETO DL HE HS SJ ML REML "
			       "EB PM GLMM GLMM-FE", name);
	out->pooling = SM_POOL_IV;
	out->method = (enum sm_method)m;
	return SM_OK;
}

static sm_status resolve_to(struct sm_ctx *ctx, const char *name, enum sm_to *to)
{
	int t = sm_to_parse(name);
	if (t >= 0) {
		*to = (enum sm_to)t;
		return SM_OK;
	}
	return SM_FAIL(ctx, SM_EINPUT, "'to' value '%s' is unknown; expected only0, all, if0all or none",
		       name);
}

/* The unit-of-analysis settings (review, then command line).  The
 * multilevel model is fitted by REML or ML: a method the command line names
 * for it must be one of those; a method from the review or a preset also
 * serves the row-level model, and the multilevel fit then uses REML. */
static sm_status resolve_unit(struct sm_ctx *ctx, const struct sm_review *review,
			      const struct sm_analysis_opts *opts, struct sm_run_settings *out)
{
	const struct sm_settings *rs = &review->settings;
	const char *model = opts->model ? opts->model : rs->model ? rs->model : "standard";
	if (strcmp(model, "standard") != 0 && strcmp(model, "multilevel") != 0)
		return SM_FAIL(ctx, SM_EINPUT, "model '%s' is unknown; expected standard or multilevel",
			       model);
	out->multilevel = !strcmp(model, "multilevel");
	out->ml_method = out->pooling == SM_POOL_IV && out->method == SM_ML ? SM_ML : SM_REML;
	if (out->multilevel && opts->method && strcmp(opts->method, "REML") != 0 &&
	    strcmp(opts->method, "ML") != 0)
		return SM_FAIL(ctx, SM_EINPUT, "model 'multilevel' is fitted by REML or ML; "
			       "method '%s' does not apply to it", opts->method);
	const char *robust = opts->robust ? opts->robust : rs->robust ? rs->robust : "none";
	if (!strcmp(robust, "none"))
		out->robust = 0;
	else if (!strcmp(robust, "cr1"))
		out->robust = 1;
	else if (!strcmp(robust, "cr2"))
		out->robust = 2;
	else
		return SM_FAIL(ctx, SM_EINPUT, "robust '%s' is unknown; expected none, cr1 or cr2",
			       robust);
	out->cluster_given = opts->cluster || rs->cluster;
	out->cluster = opts->cluster ? opts->cluster : rs->cluster ? rs->cluster : "study";
	if (!*out->cluster)
		return SM_FAIL(ctx, SM_EINPUT, "the cluster column name is empty; expected 'study' "
			       "or a study characteristic");
	out->aggregate = opts->aggregate_set ? opts->aggregate : rs->aggregate_set && rs->aggregate;
	return SM_OK;
}

/* Separate outcomes, subgroups and moderators.  Outcomes are separated by
 * their domain unless told otherwise; "none" pools every row in one
 * analysis. */
static sm_status resolve_structure(struct sm_ctx *ctx, const struct sm_review *review,
				   const struct sm_analysis_opts *opts,
				   struct sm_run_settings *out)
{
	const char *ob = opts->outcome_by ? opts->outcome_by
			 : review->settings.outcome_by ? review->settings.outcome_by : "domain";
	if (!strcmp(ob, "none") || !*ob)
		ob = "";
	else if (strcmp(ob, "domain") != 0 && strcmp(ob, "event") != 0)
		return SM_FAIL(ctx, SM_EINPUT, "outcomes by '%s' is unknown; expected domain, "
			       "event or none", ob);
	out->outcome_by = ob;
	const char *by = opts->by ? opts->by : review->settings.subgroup_by;
	out->subgroup_by = by && *by && strcmp(by, "none") != 0 ? by : NULL;
	if (opts->mods) {
		out->mods_list = *opts->mods ? opts->mods : NULL;
	} else {
		out->mods = review->settings.mods;
		out->n_mods = review->settings.n_mods;
	}
	return SM_OK;
}

const char **sm_run_settings_mods(const struct sm_run_settings *s, size_t *n)
{
	*n = 0;
	if (s->mods_list)
		return sm_names_split(s->mods_list, n);
	if (!s->n_mods)
		return NULL;
	const char **out = sm_alloc_array(s->n_mods, sizeof *out);
	if (!out)
		return NULL;
	memcpy(out, s->mods, s->n_mods * sizeof *out);
	*n = s->n_mods;
	return out;
}

sm_status sm_run_settings_resolve(struct sm_ctx *ctx, const struct sm_review *review,
				  const struct sm_analysis_opts *opts,
				  struct sm_run_settings *out)
{
	memset(out, 0, sizeof *out);
	const char *preset_name = opts->preset ? opts->preset
				  : review->settings.preset ? review->settings.preset
							    : "metafor";
	const struct preset *p = find_preset(preset_name);
	if (!p)
		return SM_FAIL(ctx, SM_EINPUT,
			       "preset '%s' is unknown; expected metafor, revman5 or cochrane2025",
			       preset_name);
	struct named_settings n = { .measure = default_measure(review->kind), .method = p->method,
				    .test = p->test, .to = p->to, .add = 0.5, .level = 95,
				    .drop00 = p->drop00 };
	overlay_review(&n, &review->settings);
	overlay_opts(&n, opts);
	/* A preset named on the command line wins over the review's own
	 * choices of method and test: that is what naming it asks for. */
	if (opts->preset) {
		n.method = opts->method ? opts->method : p->method;
		n.test = opts->test ? opts->test : p->test;
	}
	out->preset = p->name;
	sm_status st = resolve_measure(ctx, review, n.measure, out);
	if (st == SM_OK)
		st = resolve_method(ctx, review, n.method, out);
	if (st == SM_OK)
		st = resolve_to(ctx, n.to, &out->esc.to);
	if (st == SM_OK && n.glmm) {
		int g = sm_glmm_model_parse(n.glmm);
		if (g < 0)
			st = SM_FAIL(ctx, SM_EINPUT, "GLMM '%s' is unknown; expected UM.FS, UM.RS, "
				     "CM.EL or CM.AL", n.glmm);
		out->glmm = (enum sm_glmm_model)(g < 0 ? 0 : g);
	}
	if (st != SM_OK)
		return st;
	if (!strcmp(n.test, "z"))
		out->test = SM_TEST_Z;
	else if (!strcmp(n.test, "knha"))
		out->test = SM_TEST_KNHA;
	else
		return SM_FAIL(ctx, SM_EINPUT, "test '%s' is unknown; expected z or knha", n.test);
	if (out->pooling != SM_POOL_IV && out->test == SM_TEST_KNHA)
		return SM_FAIL(ctx, SM_EINPUT,
			       "test 'knha' needs inverse-variance pooling; method '%s' uses z", n.method);
	/* metafor's escalc adds nothing for the arcsine measures unless `add`
	 * is given; given, it applies it with `to` as for the others. */
	if (out->esc.measure == SM_PAS || out->esc.measure == SM_PFT)
		out->esc.add = n.add_set ? n.add : 0;
	else if (out->esc.measure != SM_GEN)
		out->esc.add = n.add;
	out->esc.drop00 = n.drop00;
	/* RevMan 5 leaves out double-zero tables for ratio measures only: for a
	 * risk difference they carry information (an RD of 0). */
	if (!n.drop00_set && out->pooling == SM_POOL_REVMAN_DL && out->esc.measure == SM_RD)
		out->esc.drop00 = 0;
	out->level = n.level;
	if ((st = resolve_structure(ctx, review, opts, out)) != SM_OK)
		return st;
	out->stepadj = opts->stepadj > 0 ? opts->stepadj : 1;
	out->threshold = opts->threshold > 0 ? opts->threshold : 0;
	out->no_studies = opts->no_studies;
	out->threads = opts->threads;
	out->small_study_min_k = opts->small_study_min_k > 0 ? opts->small_study_min_k
				 : review->settings.small_study_min_k > 0
					 ? review->settings.small_study_min_k
					 : SM_SMALL_STUDY_MIN_K;
	out->harm_margin = opts->harm_margin_set ? opts->harm_margin
			   : review->settings.harm_margin_per_1000;
	out->harm_power = SM_HARM_POWER;
	out->sensitivity_exclude = opts->sensitivity_exclude;
	out->sensitivity_refit = 0;
	out->cumul_order = opts->cumul_order;
	/* a column to order by must exist: an input error now, not a warning
	 * of every analysis */
	const char *co = opts->cumul_order;
	struct sm_column col;
	if (co && strcmp(co, "input") && strcmp(co, "year") &&
	    (st = sm_column_find(ctx, review, co, "--cumul-order", &col)) != SM_OK)
		return st;
	return resolve_unit(ctx, review, opts, out);
}

struct sm_rma_opts sm_run_settings_rma(const struct sm_run_settings *s)
{
	struct sm_rma_opts o = sm_rma_tight(s->method, s->test);
	o.level = s->level;
	o.ctl.stepadj = s->stepadj;
	o.ctl.threshold = s->threshold;
	return o;
}

struct sm_rma_opts sm_run_settings_iv(const struct sm_run_settings *s)
{
	struct sm_rma_opts o = sm_run_settings_rma(s);
	if (s->pooling != SM_POOL_IV && s->pooling != SM_POOL_GLMM) {
		o.method = s->pooling == SM_POOL_REVMAN_DL ? SM_DL : SM_FE;
		o.test = SM_TEST_Z;
	}
	return o;
}
