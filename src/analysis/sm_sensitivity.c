#include "sm_sensitivity.h"

#include "sm_analysis_json.h"
#include "sm_buf.h"
#include "sm_columns.h"
#include "sm_glmm_json.h"
#include "sm_json_out.h"
#include "sm_robscale.h"
#include "sm_rma.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define RULE_TEXT                                                                           \
	"a study is at high risk of bias when its overall judgment is at the tool's level "  \
	"'high' (RoB1 and RoB2: high; ROBINS-I: serious or critical); without an overall "   \
	"judgment, when any domain is judged so; studies without judgments stay in"

/* The numbers of one row; NAN where the model has none. */
struct vals {
	double k, b, lb, ub, p, tau2, I2, t_b, t_lb, t_ub;
};

static const struct vals no_vals = { NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN };

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *obj(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsObject(v) ? v : NULL;
}

static cJSON *add_row(cJSON *rows, const char *label, const char *method, const char *model,
		      const struct vals *v, const char *note)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "label", label);
	sm_json_add_string(o, "method", method);
	sm_json_add_string(o, "model", model);
	sm_json_add_number(o, "k", v->k);
	sm_json_add_number(o, "estimate", v->b);
	sm_json_add_number(o, "ci_lb", v->lb);
	sm_json_add_number(o, "ci_ub", v->ub);
	sm_json_add_number(o, "p", v->p);
	sm_json_add_number(o, "tau2", v->tau2);
	sm_json_add_number(o, "I2", v->I2);
	cJSON *t = cJSON_AddObjectToObject(o, "transformed");
	sm_json_add_number(t, "estimate", v->t_b);
	sm_json_add_number(t, "ci_lb", v->t_lb);
	sm_json_add_number(t, "ci_ub", v->t_ub);
	cJSON_AddArrayToObject(o, "excluded");
	sm_json_add_string(o, "note", note);
	cJSON_AddItemToArray(rows, o);
	return o;
}

/* The values of an analysis object (the analysis itself, or a refit). */
static struct vals vals_of_analysis(const cJSON *a)
{
	const cJSON *t = obj(a, "transformed");
	struct vals v = { num(a, "k"), num(a, "estimate"), num(a, "ci_lb"), num(a, "ci_ub"),
			  num(a, "p"), num(a, "tau2"), num(a, "I2"), num(t, "estimate"),
			  num(t, "ci_lb"), num(t, "ci_ub") };
	return v;
}

static struct vals vals_of_fit(const struct sm_rma_fit *f, int random,
			       const struct sm_display *disp)
{
	struct vals v = { (double)f->k, f->b, f->ci_lb, f->ci_ub, f->pval,
			  random ? f->tau2 : NAN, f->I2,
			  sm_transf_apply(disp->transf, f->b, disp->nhm),
			  sm_transf_apply(disp->transf, f->ci_lb, disp->nhm),
			  sm_transf_apply(disp->transf, f->ci_ub, disp->nhm) };
	return v;
}

/* A fit's failure: null numbers, and the reason in the row (not in the
 * analysis' warnings: a subset too small to fit is a finding of the table,
 * not a problem of the analysis). */
static void failed_row(struct sm_ctx *ctx, cJSON *rows, const char *label, const char *method,
		       const char *model)
{
	const struct sm_diag *d = sm_ctx_error(ctx);
	char *note = sm_asprintf("not computed: %s", d && d->msg ? d->msg : "failed");
	add_row(rows, label, method, model, &no_vals, note);
	free(note);
	sm_ctx_clear_error(ctx);
}

/* ---- subsets ------------------------------------------------------------- */

/* The parent's clusters carried to the rows of a subset, renumbered by
 * first appearance (as sm_unit_assign numbers them). */
static sm_status inherit_clusters(struct sm_ctx *ctx, const struct sm_analysis_data *parent,
				  struct sm_analysis_data *sd)
{
	size_t k = sd->k ? sd->k : 1, nc = parent->n_clusters ? parent->n_clusters : 1;
	size_t *remap = sm_alloc_array(nc, sizeof *remap);
	sd->cluster = sm_alloc_array(k, sizeof *sd->cluster);
	sd->cluster_label = sm_alloc_array(k, sizeof *sd->cluster_label);
	if (!remap || !sd->cluster || !sd->cluster_label) {
		free(remap);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	for (size_t c = 0; c < nc; c++)
		remap[c] = SIZE_MAX;
	size_t n = 0, jp = 0;
	for (size_t j = 0; j < sd->k; j++) {
		const struct sm_outcome *row = sd->rows[sd->idx[j]];
		/* subset rows keep the parent's order: one forward scan */
		while (jp < parent->k && parent->rows[parent->idx[jp]] != row)
			jp++;
		size_t c = jp < parent->k ? parent->cluster[jp] : 0;
		if (remap[c] == SIZE_MAX) {
			remap[c] = n;
			sd->cluster_label[n++] = parent->cluster_label[c];
		}
		sd->cluster[j] = remap[c];
	}
	sd->n_clusters = n;
	free(remap);
	return SM_OK;
}

/* The analysis of the rows with keep[i] set, with the same settings; NULL
 * with the reason in ctx. */
static cJSON *refit_rows(struct sm_ctx *ctx, const struct sm_review *review,
			 const struct sm_analysis_data *data, const struct sm_run_settings *settings,
			 const unsigned char *keep)
{
	size_t n = 0;
	const struct sm_outcome **rows = sm_alloc_array(data->n ? data->n : 1, sizeof *rows);
	if (!rows) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < data->n; i++)
		if (keep[i])
			rows[n++] = data->rows[i];
	struct sm_run_settings one = *settings;
	one.sensitivity_refit = 1;
	one.no_studies = 1;
	cJSON *a = NULL;
	struct sm_analysis_data *sd =
		n ? sm_analysis_data_new(ctx, review, data->name, rows, n, &one) : NULL;
	if (!n)
		SM_FAIL(ctx, SM_EINPUT, "no study is left");
	else if (sd && (!data->cluster || inherit_clusters(ctx, data, sd) == SM_OK))
		a = sm_analysis_json(ctx, review, sd, &one);
	sm_analysis_data_free(sd);
	free(rows);
	return a;
}

/* A study's ids, each once, in row order, into the row's "excluded". */
static void list_excluded(cJSON *row, const struct sm_analysis_data *data,
			  const unsigned char *keep)
{
	cJSON *ex = cJSON_GetObjectItemCaseSensitive(row, "excluded");
	for (size_t i = 0; i < data->n; i++) {
		const char *id = data->rows[i]->study_id;
		int seen = 0;
		const cJSON *e;
		cJSON_ArrayForEach(e, ex)
			seen |= !strcmp(e->valuestring, id);
		if (!keep[i] && !seen)
			cJSON_AddItemToArray(ex, cJSON_CreateString(id));
	}
}

static void subset_row(struct sm_ctx *ctx, const struct sm_review *review,
		       const struct sm_analysis_data *data, const struct sm_run_settings *s,
		       const cJSON *analysis, const unsigned char *keep, const char *label,
		       cJSON *rows, cJSON *warnings)
{
	const char *method = str(analysis, "method"), *model = str(analysis, "model");
	size_t dropped = 0;
	for (size_t i = 0; i < data->n; i++)
		dropped += !keep[i];
	cJSON *a = dropped ? refit_rows(ctx, review, data, s, keep) : NULL;
	cJSON *row;
	if (!dropped) {
		struct vals v = vals_of_analysis(analysis);
		row = add_row(rows, label, method, model, &v, "no study is excluded: the values "
							       "are those of all studies");
	} else if (!a) {
		failed_row(ctx, rows, label, method, model);
		row = cJSON_GetArrayItem(rows, cJSON_GetArraySize(rows) - 1);
	} else {
		struct vals v = vals_of_analysis(a);
		row = add_row(rows, label, str(a, "method"), str(a, "model"), &v, NULL);
	}
	list_excluded(row, data, keep);
	cJSON_Delete(a);
}

/* ---- which studies a row leaves out -------------------------------------- */

static int rob_high(const char *tool, const char *word)
{
	int l = sm_rob_level_of(tool, word);
	return l == SM_ROB_HIGH || l == SM_ROB_CRITICAL;
}

static int study_high(const char *tool, const cJSON *j)
{
	const cJSON *overall = cJSON_GetObjectItemCaseSensitive(j, "overall");
	if (cJSON_IsString(overall))
		return rob_high(tool, overall->valuestring);
	const cJSON *v;
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(j, "values"))
		if (cJSON_IsString(v) && rob_high(tool, v->valuestring))
			return 1;
	return 0;
}

/* keep[i] = 0 for the rows of studies at high risk of bias. */
static void keep_low_rob(const cJSON *rob, const struct sm_analysis_data *data,
			 unsigned char *keep)
{
	const char *tool = str(rob, "tool");
	for (size_t i = 0; i < data->n; i++) {
		keep[i] = 1;
		const cJSON *j;
		cJSON_ArrayForEach(j, cJSON_GetObjectItemCaseSensitive(rob, "judgments")) {
			const char *id = str(j, "study");
			if (id && !strcmp(id, data->rows[i]->study_id) && study_high(tool, j))
				keep[i] = 0;
		}
	}
}

static int truthy(const struct sm_column_value *v)
{
	static const char *const yes[] = { "true", "yes", "y", "1", NULL };
	if (!v->text)
		return !isnan(v->num) && v->num != 0;
	for (const char *const *w = yes; *w; w++)
		if (!strcasecmp(v->text, *w))
			return 1;
	return 0;
}

/* keep[i] = 0 where FIELD is true (or equals VALUE); SM_EINPUT when the
 * review has no such field.  *label gets the row's label (caller frees). */
static sm_status keep_unflagged(struct sm_ctx *ctx, const struct sm_review *review,
				const char *spec, const struct sm_analysis_data *data,
				unsigned char *keep, char **label)
{
	const char *eq = strchr(spec, '=');
	char *field = eq ? strndup(spec, (size_t)(eq - spec)) : strdup(spec);
	if (!field)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	struct sm_column col;
	sm_status st = sm_column_find(ctx, review, field, "--sensitivity-exclude", &col);
	for (size_t i = 0; st == SM_OK && i < data->n; i++) {
		struct sm_column_value v;
		sm_column_get(&col, data->rows[i], &v);
		char buf[32];
		const char *t = sm_column_text(&v, buf, sizeof buf);
		keep[i] = eq ? !(t && !strcmp(t, eq + 1)) : !truthy(&v);
	}
	*label = st == SM_OK ? sm_asprintf("Excluding %s", spec) : NULL;
	free(field);
	if (st == SM_OK && !*label)
		st = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	return st;
}

/* ---- the other models ---------------------------------------------------- */

static int analysis_random(const cJSON *analysis)
{
	const char *t = str(analysis, "tau2_estimator");
	return t && strcmp(t, "none") != 0;
}

static void rma_row(struct sm_ctx *ctx, const struct sm_analysis_data *data,
		    const struct sm_run_settings *s, const struct sm_display *disp,
		    enum sm_method method, const char *label, cJSON *rows, cJSON *warnings)
{
	struct sm_rma_opts o = sm_run_settings_rma(s);
	o.method = method;
	if (method == SM_FE)
		o.test = SM_TEST_Z; /* as the analysis' own common-effect row */
	struct sm_rma_fit f;
	if (sm_rma_fit(ctx, data->yi, data->vi, data->k, &o, &f) != SM_OK) {
		failed_row(ctx, rows, label, sm_method_name(method), "standard");
		return;
	}
	struct vals v = vals_of_fit(&f, method != SM_FE, disp);
	add_row(rows, label, sm_method_name(method), "standard", &v, NULL);
}

static void glmm_row(struct sm_ctx *ctx, const struct sm_analysis_data *data,
		     const struct sm_run_settings *s, int random, const char *label, cJSON *rows,
		     cJSON *warnings)
{
	char model[64];
	snprintf(model, sizeof model, "GLMM %s", sm_glmm_model_name(s->glmm));
	struct sm_glmm_fit g;
	if (sm_glmm_analysis_fit(ctx, data, s, random, &g) != SM_OK) {
		failed_row(ctx, rows, label, random ? "ML" : "FE", model);
		return;
	}
	/* the GLMMs are fitted for odds ratios only */
	struct vals v = { (double)g.k, g.b, g.ci_lb, g.ci_ub, g.pval, random ? g.tau2 : NAN,
			  random ? g.I2 : NAN, exp(g.b), exp(g.ci_lb), exp(g.ci_ub) };
	add_row(rows, label, random ? "ML" : "FE", model, &v, NULL);
}

/* The analysis' own row under its label, or the other model refitted. */
static void model_rows(struct sm_ctx *ctx, const struct sm_analysis_data *data,
		       const struct sm_run_settings *s, const struct sm_display *disp,
		       const cJSON *analysis, cJSON *rows, cJSON *warnings)
{
	const char *method = str(analysis, "method"), *model = str(analysis, "model");
	int ml = s->multilevel && model && !strcmp(model, "multilevel");
	int random = analysis_random(analysis) && !ml;
	struct vals own = vals_of_analysis(analysis);
	if (!random && !ml) {
		add_row(rows, "Common effect", method, model, &own, NULL);
	} else if (s->pooling == SM_POOL_GLMM) {
		glmm_row(ctx, data, s, 0, "Common effect", rows, warnings);
	} else if (s->pooling == SM_POOL_REVMAN_DL && obj(analysis, "mh")) {
		/* RevMan's random-effects model sits beside Mantel-Haenszel */
		const cJSON *mh = obj(analysis, "mh");
		struct vals v = { num(mh, "k"), num(mh, "estimate"), num(mh, "ci_lb"),
				  num(mh, "ci_ub"), num(mh, "p"), NAN, num(mh, "I2"),
				  sm_transf_apply(disp->transf, num(mh, "estimate"), disp->nhm),
				  sm_transf_apply(disp->transf, num(mh, "ci_lb"), disp->nhm),
				  sm_transf_apply(disp->transf, num(mh, "ci_ub"), disp->nhm) };
		add_row(rows, "Common effect", "MH", "standard", &v, NULL);
	} else {
		rma_row(ctx, data, s, disp, SM_FE, "Common effect", rows, warnings);
	}
	if (random) {
		add_row(rows, "Random effects", method, model, &own, NULL);
	} else if (s->pooling == SM_POOL_GLMM) {
		glmm_row(ctx, data, s, 1, "Random effects", rows, warnings);
	} else {
		/* the random-effects partner of a common-effect analysis: the
		 * analysis' own estimator where it has one (multilevel), else
		 * DerSimonian-Laird beside MH and Peto (RevMan's pairing) and
		 * metafor's default REML beside an inverse-variance FE model */
		enum sm_method m = s->method != SM_FE ? s->method
				   : s->pooling == SM_POOL_IV ? SM_REML : SM_DL;
		rma_row(ctx, data, s, disp, m, "Random effects", rows, warnings);
	}
}

/* The analysis' model over the studies plus the filled ones (metafor's
 * trimfill refits the model it was given on the augmented data). */
static void trimfill_row(struct sm_ctx *ctx, const struct sm_analysis_data *data,
			 const struct sm_run_settings *s, const struct sm_display *disp,
			 const cJSON *analysis, cJSON *rows, cJSON *warnings)
{
	const cJSON *tf = obj(analysis, "trimfill");
	if (!tf || isnan(num(tf, "k0")))
		return;
	const cJSON *filled = cJSON_GetObjectItemCaseSensitive(tf, "filled");
	size_t k0 = (size_t)cJSON_GetArraySize(filled), k = data->k + k0;
	double *yi = sm_alloc_array(k, sizeof *yi), *vi = sm_alloc_array(k, sizeof *vi);
	struct sm_rma_opts o = sm_run_settings_rma(s);
	const char *label = "Trim-and-fill adjusted";
	struct sm_rma_fit f;
	if (!yi || !vi) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		failed_row(ctx, rows, label, sm_method_name(o.method), "standard");
	} else {
		memcpy(yi, data->yi, data->k * sizeof *yi);
		memcpy(vi, data->vi, data->k * sizeof *vi);
		size_t j = data->k;
		const cJSON *e;
		cJSON_ArrayForEach(e, filled) {
			yi[j] = num(e, "yi");
			vi[j++] = num(e, "vi");
		}
		if (sm_rma_fit(ctx, yi, vi, k, &o, &f) != SM_OK) {
			failed_row(ctx, rows, label, sm_method_name(o.method), "standard");
		} else {
			const cJSON *ss = obj(analysis, "small_study");
			char *note = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ss, "below_min_k"))
					     ? sm_asprintf("k = %zu is below the small-study minimum "
							   "of %g studies: not to be interpreted",
							   data->k, num(ss, "min_k"))
					     : sm_asprintf("%zu studies filled on the %s", k0,
							   str(tf, "side") ? str(tf, "side") : "?");
			struct vals v = vals_of_fit(&f, o.method != SM_FE, disp);
			add_row(rows, label, sm_method_name(o.method), "standard", &v, note);
			free(note);
		}
	}
	free(yi);
	free(vi);
}

/* The multilevel and cluster-robust results beside a row-level analysis. */
static void unit_rows(const struct sm_run_settings *s, const cJSON *analysis, cJSON *rows)
{
	const cJSON *ml = obj(analysis, "multilevel");
	if (ml && !s->multilevel) {
		const cJSON *t = obj(ml, "transformed");
		struct vals v = { num(ml, "k"), num(ml, "estimate"), num(ml, "ci_lb"),
				  num(ml, "ci_ub"), num(ml, "p"), NAN, NAN, num(t, "estimate"),
				  num(t, "ci_lb"), num(t, "ci_ub") };
		add_row(rows, "Multilevel (rows within clusters)", str(ml, "method"), "multilevel",
			&v, "variance components in \"multilevel\".sigma2");
	}
	const cJSON *rb = obj(analysis, "robust");
	if (rb) {
		const cJSON *t = obj(rb, "transformed");
		struct vals v = { num(analysis, "k"), num(rb, "estimate"), num(rb, "ci_lb"),
				  num(rb, "ci_ub"), num(rb, "p"), NAN, NAN, num(t, "estimate"),
				  num(t, "ci_lb"), num(t, "ci_ub") };
		char *note = sm_asprintf("%g clusters", num(rb, "clusters"));
		add_row(rows, "Cluster-robust", str(rb, "method"), str(analysis, "model"), &v,
			note);
		free(note);
	}
}

/* The GLMM rows of the rare-event comparison, on the odds-ratio scale of
 * an OR analysis (other measures are on another scale). */
static void glmm_rows(const struct sm_run_settings *s, const cJSON *analysis, cJSON *rows)
{
	const char *measure = str(analysis, "measure");
	const cJSON *m;
	if (!measure || strcmp(measure, "OR") != 0)
		return;
	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(obj(analysis, "rare_events"),
							       "methods")) {
		const char *g = str(m, "glmm");
		if (!g || strcmp(str(m, "method") ? str(m, "method") : "", "GLMM") != 0)
			continue;
		if (s->pooling == SM_POOL_GLMM && !strcmp(g, sm_glmm_model_name(s->glmm)))
			continue; /* the analysis itself */
		struct vals v = { num(m, "k_used"), num(m, "log_estimate"), log(num(m, "ci_lb")),
				  log(num(m, "ci_ub")), num(m, "p"), num(m, "tau2"), num(m, "I2"),
				  num(m, "estimate"), num(m, "ci_lb"), num(m, "ci_ub") };
		char label[64], model[64];
		snprintf(label, sizeof label, "Rare events: GLMM %s", g);
		snprintf(model, sizeof model, "GLMM %s", g);
		add_row(rows, label, "ML", model, &v, str(m, "note"));
	}
}

/* ---- the block ----------------------------------------------------------- */

sm_status sm_sensitivity_add(struct sm_ctx *ctx, const struct sm_review *review,
			     const struct sm_analysis_data *data,
			     const struct sm_run_settings *settings,
			     const struct sm_display *disp, cJSON *analysis, cJSON *warnings)
{
	if (settings->sensitivity_refit)
		return SM_OK;
	unsigned char *keep = sm_alloc_array(data->n ? data->n : 1, 1);
	if (!keep)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	char *flag_label = NULL;
	unsigned char *flag_keep = NULL;
	sm_status st = SM_OK;
	if (settings->sensitivity_exclude) {
		flag_keep = sm_alloc_array(data->n ? data->n : 1, 1);
		st = flag_keep ? keep_unflagged(ctx, review, settings->sensitivity_exclude, data,
						flag_keep, &flag_label)
			       : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	if (st != SM_OK) {
		free(keep);
		free(flag_keep);
		return st;
	}
	cJSON *o = cJSON_AddObjectToObject(analysis, "sensitivity");
	cJSON_AddStringToObject(o, "high_risk_of_bias", RULE_TEXT);
	sm_json_add_string(o, "exclude_field", settings->sensitivity_exclude);
	cJSON *rows = cJSON_AddArrayToObject(o, "rows");
	struct vals all = vals_of_analysis(analysis);
	add_row(rows, "All studies", str(analysis, "method"), str(analysis, "model"), &all, NULL);
	if (review->risk_of_bias) {
		keep_low_rob(review->risk_of_bias, data, keep);
		subset_row(ctx, review, data, settings, analysis, keep,
			   "Excluding high risk of bias", rows, warnings);
	}
	if (flag_keep)
		subset_row(ctx, review, data, settings, analysis, flag_keep, flag_label, rows,
			   warnings);
	model_rows(ctx, data, settings, disp, analysis, rows, warnings);
	trimfill_row(ctx, data, settings, disp, analysis, rows, warnings);
	unit_rows(settings, analysis, rows);
	glmm_rows(settings, analysis, rows);
	free(keep);
	free(flag_keep);
	free(flag_label);
	return SM_OK;
}
