#include "sm_metareg_json.h"

#include "sm_buf.h"
#include "sm_json_out.h"
#include "sm_metareg.h"
#include "sm_proportion.h"
#include "sm_rma.h"
#include "sm_strmap.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* One moderator as it enters the design. */
struct moderator {
	const struct sm_column *col;
	int numeric;
	const char *unit;        /* numeric only; NULL without one */
	const char **levels;     /* categorical: sorted, levels[0] the reference */
	size_t n_levels;
	size_t first, n_cols;    /* its columns of the design */
	double min, max, mean;   /* numeric: over the studies in the model */
};

/* The design of one analysis: k studies (the analysis' included rows). */
struct model {
	size_t k, p;
	const struct sm_outcome **rows; /* k */
	double *x;                      /* k x p, column-major; column 0 = 1 */
	char **names;                   /* p coefficient names */
	struct moderator *mods;
	size_t n_mods;
};

static void model_release(struct model *md)
{
	for (size_t j = 0; md->names && j < md->p; j++)
		free(md->names[j]);
	for (size_t i = 0; md->mods && i < md->n_mods; i++)
		free(md->mods[i].levels);
	free(md->names);
	free(md->mods);
	free(md->x);
	free(md->rows);
	memset(md, 0, sizeof *md);
}

/* ---- reading the moderators -------------------------------------------- */

static sm_status fail_at(struct sm_ctx *ctx, const struct sm_column *col,
			 const struct sm_outcome *o, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static sm_status fail_at(struct sm_ctx *ctx, const struct sm_column *col,
			 const struct sm_outcome *o, const char *fmt, ...)
{
	const char *file;
	int line;
	char field[1200];
	sm_column_where(col, o, &file, &line, field, sizeof field);
	va_list ap;
	va_start(ap, fmt);
	char *msg = sm_vasprintf(fmt, ap);
	va_end(ap);
	sm_status st = SM_FAIL_POS(ctx, SM_EINPUT, file, line, 0, field, "%s: %s", field,
				   msg ? msg : "invalid moderator");
	free(msg);
	return st;
}

static int same_unit(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Numeric when every value is a number, categorical when none is; units
 * of a numeric moderator agree. */
static sm_status moderator_type(struct sm_ctx *ctx, const struct model *md,
				struct moderator *m, const char *analysis)
{
	size_t first_num = md->k, first_text = md->k;
	for (size_t i = 0; i < md->k; i++) {
		struct sm_column_value v;
		sm_column_get(m->col, md->rows[i], &v);
		size_t *first = isnan(v.num) ? &first_text : &first_num;
		if (*first == md->k)
			*first = i;
	}
	if (first_num < md->k && first_text < md->k) {
		struct sm_column_value v;
		sm_column_get(m->col, md->rows[first_text], &v);
		return fail_at(ctx, m->col, md->rows[first_text],
			       "moderator '%s' is a number for %s but text (\"%s\") for %s in "
			       "analysis '%s'; expected numbers for every study, or text for every "
			       "study (categories)", m->col->name, md->rows[first_num]->label,
			       v.text ? v.text : "", md->rows[first_text]->label, analysis);
	}
	m->numeric = first_num < md->k;
	if (!m->numeric)
		return SM_OK;
	struct sm_column_value v0;
	sm_column_get(m->col, md->rows[0], &v0);
	m->unit = v0.unit;
	for (size_t i = 1; i < md->k; i++) {
		struct sm_column_value v;
		sm_column_get(m->col, md->rows[i], &v);
		if (!same_unit(v.unit, m->unit))
			return fail_at(ctx, m->col, md->rows[i],
				       "moderator '%s' is in %s%s%s for %s but in %s%s%s for %s; "
				       "expected one unit", m->col->name, m->unit ? "'" : "",
				       m->unit ? m->unit : "no unit", m->unit ? "'" : "",
				       md->rows[0]->label, v.unit ? "'" : "",
				       v.unit ? v.unit : "no unit", v.unit ? "'" : "",
				       md->rows[i]->label);
	}
	return SM_OK;
}

static int cmp_text(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The sorted levels of a categorical moderator: R sorts a character
 * column's values to make its factor levels (byte order here, as R in
 * the C locale). */
static sm_status moderator_levels(struct sm_ctx *ctx, const struct model *md,
				  struct moderator *m)
{
	struct sm_strmap *seen = sm_strmap_new();
	m->levels = sm_alloc_array(md->k, sizeof *m->levels);
	if (!seen || !m->levels) {
		sm_strmap_free(seen);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	for (size_t i = 0; i < md->k; i++) {
		struct sm_column_value v;
		sm_column_get(m->col, md->rows[i], &v);
		int put = sm_strmap_put(seen, v.text, m->n_levels, NULL);
		if (put < 0) {
			sm_strmap_free(seen);
			return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		}
		if (put == 1)
			m->levels[m->n_levels++] = v.text;
	}
	sm_strmap_free(seen);
	qsort(m->levels, m->n_levels, sizeof *m->levels, cmp_text);
	return SM_OK;
}

static size_t level_index(const struct moderator *m, const char *text)
{
	const char *const *hit = bsearch(&text, m->levels, m->n_levels, sizeof *m->levels,
					 cmp_text);
	return hit ? (size_t)(hit - m->levels) : 0;
}

static sm_status read_moderators(struct sm_ctx *ctx, struct model *md,
				 const struct sm_column *cols, size_t n, const char *analysis)
{
	md->mods = calloc(n, sizeof *md->mods);
	if (!md->mods)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	md->n_mods = n;
	md->p = 1;
	for (size_t i = 0; i < n; i++) {
		struct moderator *m = &md->mods[i];
		m->col = &cols[i];
		sm_status st = sm_column_require(ctx, m->col, md->rows, md->k, analysis, "moderator");
		if (!st)
			st = moderator_type(ctx, md, m, analysis);
		if (!st && !m->numeric)
			st = moderator_levels(ctx, md, m);
		if (st)
			return st;
		m->first = md->p;
		m->n_cols = m->numeric ? 1 : (m->n_levels > 0 ? m->n_levels - 1 : 0);
		md->p += m->n_cols;
	}
	return SM_OK;
}

/* ---- the design ---------------------------------------------------------- */

static sm_status fill_design(struct sm_ctx *ctx, struct model *md)
{
	size_t k = md->k;
	md->x = sm_alloc_array(k * md->p, sizeof *md->x);
	md->names = sm_alloc_array(md->p, sizeof *md->names);
	if (!md->x || !md->names || k * md->p / md->p != k)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	for (size_t i = 0; i < k; i++)
		md->x[i] = 1;
	md->names[0] = strdup("intrcpt");
	int bad = !md->names[0];
	for (size_t j = 0; j < md->n_mods; j++) {
		struct moderator *m = &md->mods[j];
		double *col = md->x + m->first * k;
		struct sm_ksum sum = {0, 0};
		m->min = INFINITY;
		m->max = -INFINITY;
		for (size_t i = 0; i < k; i++) {
			struct sm_column_value v;
			sm_column_get(m->col, md->rows[i], &v);
			if (m->numeric) {
				col[i] = v.num;
				sm_ksum_add(&sum, v.num);
				m->min = fmin(m->min, v.num);
				m->max = fmax(m->max, v.num);
			} else {
				size_t l = level_index(m, v.text);
				if (l > 0)
					col[(l - 1) * k + i] = 1;
			}
		}
		m->mean = m->numeric ? sm_ksum_get(&sum) / (double)k : NAN;
		for (size_t c = 0; c < m->n_cols; c++) {
			md->names[m->first + c] = m->numeric ? strdup(m->col->name)
				: sm_asprintf("%s%s", m->col->name, m->levels[c + 1]);
			bad |= !md->names[m->first + c];
		}
	}
	return bad ? SM_FAIL(ctx, SM_EINTERNAL, "out of memory") : SM_OK;
}

/* A model that cannot be fitted to these data: an input error for a
 * review of one analysis, a null result with the reason otherwise. */
struct unfit {
	struct sm_ctx *ctx;
	int several;
	cJSON *warnings;
	const char *analysis;
};

static cJSON *unfit(const struct unfit *u, const char *file, int line, const char *field,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static cJSON *unfit(const struct unfit *u, const char *file, int line, const char *field,
		    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = sm_vasprintf(fmt, ap);
	va_end(ap);
	if (!msg) {
		SM_FAIL(u->ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	cJSON *out = NULL;
	if (u->several) {
		char *w = sm_asprintf("meta-regression not fitted: %s", msg);
		if (w)
			cJSON_AddItemToArray(u->warnings, cJSON_CreateString(w));
		free(w);
		out = cJSON_CreateNull();
	} else if (field) {
		SM_FAIL_POS(u->ctx, SM_EINPUT, file, line, 0, field, "%s: %s", field, msg);
	} else {
		SM_FAIL_POS(u->ctx, SM_EINPUT, file, line, 0, NULL, "%s", msg);
	}
	free(msg);
	return out;
}

static cJSON *unfit_at(const struct unfit *u, const struct sm_column *col,
		       const struct sm_outcome *o, const char *msg)
{
	const char *file;
	int line;
	char field[1200];
	sm_column_where(col, o, &file, &line, field, sizeof field);
	return unfit(u, file, line, field, "%s", msg);
}

/* Constant, collinear or too few studies: the message, or NULL when the
 * model can be fitted. */
static char *estimable(const struct model *md, enum sm_method method, const char *analysis,
		       const struct sm_column **col, double *work)
{
	for (size_t j = 0; j < md->n_mods; j++) {
		const struct moderator *m = &md->mods[j];
		int constant = m->numeric ? m->min == m->max : m->n_levels < 2;
		*col = m->col;
		if (constant)
			return m->numeric
				? sm_asprintf("moderator '%s' is constant (%.15g) in the %zu studies of "
					      "analysis '%s'; expected at least two different values",
					      m->col->name, m->min, md->k, analysis)
				: sm_asprintf("moderator '%s' is constant (\"%s\") in the %zu studies "
					      "of analysis '%s'; expected at least two different values",
					      m->col->name, m->levels[0], md->k, analysis);
	}
	*col = NULL;
	size_t need = method == SM_FE ? md->p : md->p + 1;
	/* with fewer studies than coefficients the design is collinear too,
	 * but the number of studies is the reason */
	if (md->k >= md->p) {
		size_t bad = sm_design_redundant(md->x, md->k, md->p, SM_RANK_TOL, work);
		if (bad < md->p) {
			const struct moderator *m = md->mods;
			for (size_t j = 0; j < md->n_mods; j++)
				if (bad >= md->mods[j].first)
					m = &md->mods[j];
			*col = m->col;
			return sm_asprintf("moderator '%s' (coefficient '%s') is collinear with the "
					   "intercept and the moderators before it in analysis '%s' "
					   "(rank decision with relative tolerance %g, as R's lm); "
					   "expected moderators that are not linear combinations of "
					   "each other", m->col->name, md->names[bad], analysis,
					   SM_RANK_TOL);
		}
		if (md->k >= need)
			return NULL;
	}
	return sm_asprintf("analysis '%s' has %zu studies for a model with %zu coefficients%s; "
				   "expected at least %zu studies", analysis, md->k, md->p,
				   method == SM_FE ? "" : " and tau2", need);
}

/* ---- writing ------------------------------------------------------------- */

/* What the writers share: the fit, its transformation and the design. */
struct writer {
	const struct model *md;
	const struct sm_rma_mods *m;
	const struct sm_analysis_data *d;
	const struct sm_run_settings *s;
	enum sm_transf transf;
	double nhm;    /* harmonic mean of the ni (PFT) */
	int random;
};

static double display(const struct writer *w, double x)
{
	return sm_transf_apply(w->transf, x, w->nhm);
}

static char *model_text(const struct model *md, const struct sm_rma_mods *m)
{
	struct sm_buf b;
	sm_buf_init(&b);
	sm_buf_puts(&b, "rma(yi, vi, mods = ~ ");
	for (size_t j = 0; j < md->n_mods; j++)
		sm_buf_printf(&b, "%s%s", j ? " + " : "", md->mods[j].col->name);
	sm_buf_printf(&b, ", method = \"%s\", test = \"%s\")", sm_method_name(m->method),
		      sm_test_name(m->test));
	return sm_buf_take(&b);
}

static void write_moderators(cJSON *out, const struct model *md)
{
	cJSON *arr = cJSON_AddArrayToObject(out, "moderators");
	for (size_t j = 0; j < md->n_mods; j++) {
		const struct moderator *m = &md->mods[j];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", m->col->name);
		cJSON_AddStringToObject(o, "source", sm_column_source_name(m->col));
		cJSON_AddStringToObject(o, "type", m->numeric ? "numeric" : "categorical");
		sm_json_add_string(o, "unit", m->unit);
		if (m->numeric) {
			sm_json_add_number(o, "min", m->min);
			sm_json_add_number(o, "max", m->max);
			sm_json_add_number(o, "mean", m->mean);
		} else {
			cJSON *lv = cJSON_AddArrayToObject(o, "levels");
			for (size_t l = 0; l < m->n_levels; l++)
				cJSON_AddItemToArray(lv, cJSON_CreateString(m->levels[l]));
			cJSON_AddStringToObject(o, "reference", m->levels[0]);
		}
		cJSON *names = cJSON_AddArrayToObject(o, "coefficients");
		for (size_t c = 0; c < m->n_cols; c++)
			cJSON_AddItemToArray(names, cJSON_CreateString(md->names[m->first + c]));
		cJSON_AddItemToArray(arr, o);
	}
}

static void write_fit(cJSON *out, const struct writer *w, double R2)
{
	const struct sm_rma_mods *m = w->m;
	cJSON *coefs = cJSON_AddArrayToObject(out, "coefficients");
	for (size_t a = 0; a < m->p; a++) {
		cJSON *c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "name", w->md->names[a]);
		sm_json_add_number(c, "estimate", m->b[a]);
		sm_json_add_number(c, "se", m->se[a]);
		sm_json_add_number(c, "stat", m->stat[a]);
		sm_json_add_number(c, "p", m->pval[a]);
		sm_json_add_number(c, "ci_lb", m->ci_lb[a]);
		sm_json_add_number(c, "ci_ub", m->ci_ub[a]);
		cJSON_AddItemToArray(coefs, c);
	}
	cJSON_AddStringToObject(out, "stat_name", m->test == SM_TEST_KNHA ? "t" : "z");
	sm_json_add_number(out, "df", m->df);
	sm_json_add_number(out, "QM", m->QM);
	sm_json_add_number(out, "QM_df", m->QM_df1);
	sm_json_add_number(out, "QM_df2", m->QM_df2);
	sm_json_add_number(out, "QM_p", m->QMp);
	cJSON_AddStringToObject(out, "QM_distribution", m->test == SM_TEST_KNHA ? "F" : "chisq");
	sm_json_add_number(out, "QE", m->QE);
	sm_json_add_number(out, "QE_df", m->QE_df);
	sm_json_add_number(out, "QE_p", m->QEp);
	sm_json_add_number(out, "tau2", w->random ? m->tau2 : NAN);
	sm_json_add_number(out, "tau2_se", w->random ? m->se_tau2 : NAN);
	sm_json_add_number(out, "I2", m->I2);
	sm_json_add_number(out, "H2", m->H2);
	sm_json_add_number(out, "R2", R2);
}

/* The studies in the model, with their moderator values and weights
 * (100 w / sum w, w = 1/(vi + tau2), metafor's weights()). */
static void write_studies(cJSON *out, const struct writer *w)
{
	const struct model *md = w->md;
	const struct sm_analysis_data *d = w->d;
	struct sm_ksum sw = {0, 0};
	for (size_t j = 0; j < md->k; j++)
		sm_ksum_add(&sw, 1 / (d->vi[j] + w->m->tau2));
	double total = sm_ksum_get(&sw);
	cJSON *arr = cJSON_AddArrayToObject(out, "studies");
	for (size_t j = 0; j < md->k; j++) {
		const struct sm_outcome *o = md->rows[j];
		cJSON *st = cJSON_CreateObject();
		cJSON_AddStringToObject(st, "label", o->label);
		cJSON_AddStringToObject(st, "study_id", o->study_id);
		cJSON *vals = cJSON_AddObjectToObject(st, "moderators");
		for (size_t i = 0; i < md->n_mods; i++) {
			const struct moderator *m = &md->mods[i];
			struct sm_column_value v;
			sm_column_get(m->col, o, &v);
			if (m->numeric)
				sm_json_add_number(vals, m->col->name, v.num);
			else
				cJSON_AddStringToObject(vals, m->col->name, v.text);
		}
		sm_json_add_number(st, "yi", d->yi[j]);
		sm_json_add_number(st, "vi", d->vi[j]);
		sm_json_add_number(st, "weight", 100 * (1 / (d->vi[j] + w->m->tau2)) / total);
		/* metafor back-transforms a single PFT study with its own n */
		double n_own = w->transf == SM_TRANSF_IPFT_HM ? d->ni[d->idx[j]] : w->nhm;
		cJSON *t = cJSON_AddObjectToObject(st, "transformed");
		sm_json_add_number(t, "yi", sm_transf_apply(w->transf, d->yi[j], n_own));
		cJSON_AddItemToArray(arr, st);
	}
}

/* The fitted line over one numeric moderator's range, the other design
 * columns at their means over the studies (as metafor's regplot). */
static cJSON *bubble_json(const struct writer *w, const struct moderator *m, double *xnew)
{
	const struct model *md = w->md;
	size_t n = SM_BUBBLE_POINTS;
	for (size_t c = 0; c < md->p; c++) {
		struct sm_ksum s = {0, 0};
		for (size_t i = 0; i < md->k; i++)
			sm_ksum_add(&s, md->x[c * md->k + i]);
		xnew[c] = sm_ksum_get(&s) / (double)md->k;
	}
	double *v = sm_alloc_array(11 * n, sizeof *v);
	if (!v)
		return NULL;
	double *xs = v, *est = v + n, *se = v + 2 * n, *lb = v + 3 * n, *ub = v + 4 * n,
	       *plb = v + 5 * n, *pub = v + 6 * n;
	for (size_t i = 0; i < n; i++) {
		xs[i] = i + 1 == n ? m->max
			: m->min + (m->max - m->min) * (double)i / (double)(n - 1);
		xnew[m->first] = xs[i];
		struct sm_metareg_pred pr;
		sm_metareg_predict(w->m, xnew, w->s->level, &pr);
		est[i] = pr.pred;
		se[i] = pr.se;
		lb[i] = pr.ci_lb;
		ub[i] = pr.ci_ub;
		plb[i] = w->random ? pr.pi_lb : NAN;
		pub[i] = w->random ? pr.pi_ub : NAN;
	}
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "moderator", m->col->name);
	sm_json_add_string(o, "unit", m->unit);
	char *label = m->unit ? sm_asprintf("%s (%s)", m->col->name, m->unit) : NULL;
	cJSON_AddStringToObject(o, "axis_label", label ? label : m->col->name);
	free(label);
	cJSON_AddStringToObject(o, "others", md->p > 2
		? "the other columns of the design at their means over the studies (metafor "
		  "regplot)" : "none");
	cJSON *line = cJSON_AddObjectToObject(o, "line");
	sm_json_add_array(line, "x", xs, n);
	sm_json_add_array(line, "estimate", est, n);
	sm_json_add_array(line, "se", se, n);
	sm_json_add_array(line, "ci_lb", lb, n);
	sm_json_add_array(line, "ci_ub", ub, n);
	sm_json_add_array(line, "pi_lb", plb, n);
	sm_json_add_array(line, "pi_ub", pub, n);
	static const char *const names[] = { "none", "exp", "ilogit", "iarcsin", "ipft.hm" };
	cJSON *t = cJSON_AddObjectToObject(line, "transformed");
	cJSON_AddStringToObject(t, "function", names[w->transf]);
	double *src[] = { est, lb, ub, plb, pub };
	const char *keys[] = { "estimate", "ci_lb", "ci_ub", "pi_lb", "pi_ub" };
	double *tv = v + 7 * n;
	for (size_t a = 0; a < 5; a++) {
		for (size_t i = 0; i < n; i++)
			tv[i] = display(w, src[a][i]);
		sm_json_add_array(t, keys[a], tv, n);
	}
	free(v);
	return o;
}

static sm_status write_bubbles(struct sm_ctx *ctx, cJSON *out, const struct writer *w)
{
	cJSON *arr = cJSON_AddArrayToObject(out, "bubble");
	double *xnew = sm_alloc_array(w->md->p, sizeof *xnew);
	if (!xnew)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	sm_status st = SM_OK;
	for (size_t j = 0; st == SM_OK && j < w->md->n_mods; j++) {
		if (!w->md->mods[j].numeric)
			continue;
		cJSON *b = bubble_json(w, &w->md->mods[j], xnew);
		if (b)
			cJSON_AddItemToArray(arr, b);
		else
			st = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	free(xnew);
	return st;
}

/* ---- orchestration --------------------------------------------------------- */


/* A fit that fails (non-convergence) says which analysis it was. */
static cJSON *name_failure(struct sm_ctx *ctx, const struct sm_analysis_data *d,
			   const struct sm_rma_opts *o)
{
	const struct sm_diag *dg = sm_ctx_error(ctx);
	sm_status code = dg ? dg->code : SM_EINTERNAL;
	char *msg = sm_asprintf("analysis '%s', meta-regression (%s): %s", d->name,
				sm_method_name(o->method), dg && dg->msg ? dg->msg : "failed");
	sm_ctx_clear_error(ctx);
	const struct sm_outcome *first = d->n ? d->rows[0] : NULL;
	SM_FAIL_POS(ctx, code, first ? first->src_file : NULL, 0, 0, NULL, "%s",
		    msg ? msg : "meta-regression failed");
	free(msg);
	return NULL;
}

static cJSON *fit_json(struct sm_ctx *ctx, const struct model *md,
		       const struct sm_analysis_data *d, const struct sm_run_settings *s,
		       const struct sm_rma_opts *o)
{
	struct sm_design des = { md->x, md->k, md->p };
	struct sm_rma_mods m;
	double R2 = NAN;
	if (sm_rma_mods_fit(ctx, &des, d->yi, d->vi, o, &m) != SM_OK)
		return name_failure(ctx, d, o);
	if (sm_metareg_R2(ctx, d->yi, d->vi, d->k, o, &m, &R2) != SM_OK) {
		sm_rma_mods_release(&m);
		return name_failure(ctx, d, o);
	}
	struct writer w = { md, &m, d, s, sm_measure_transf(s->esc.measure), NAN,
			    o->method != SM_FE };
	if (w.transf == SM_TRANSF_IPFT_HM) {
		double *ni = sm_alloc_array(d->k, sizeof *ni);
		for (size_t j = 0; ni && j < d->k; j++)
			ni[j] = d->ni[d->idx[j]];
		w.nhm = ni ? sm_harmonic_mean(ni, d->k) : NAN;
		free(ni);
	}
	cJSON *out = cJSON_CreateObject();
	char *model = model_text(md, &m);
	sm_json_add_string(out, "model", model);
	free(model);
	cJSON_AddStringToObject(out, "method", sm_method_name(m.method));
	cJSON_AddStringToObject(out, "test", sm_test_name(m.test));
	cJSON_AddNumberToObject(out, "k", (double)md->k);
	cJSON_AddNumberToObject(out, "p", (double)md->p);
	write_moderators(out, md);
	write_fit(out, &w, R2);
	static const char *const names[] = { "none", "exp", "ilogit", "iarcsin", "ipft.hm" };
	cJSON_AddStringToObject(out, "transformed_function", names[w.transf]);
	if (!s->no_studies)
		write_studies(out, &w);
	sm_status st = write_bubbles(ctx, out, &w);
	sm_rma_mods_release(&m);
	if (st) {
		cJSON_Delete(out);
		return NULL;
	}
	return out;
}

cJSON *sm_metareg_json(struct sm_ctx *ctx, const struct sm_review *review,
		       const struct sm_analysis_data *d, const struct sm_run_settings *s,
		       const struct sm_column *mods, size_t n_mods, int several,
		       cJSON *warnings)
{
	(void)review;
	struct model md = { .k = d->k };
	md.rows = sm_alloc_array(d->k ? d->k : 1, sizeof *md.rows);
	if (!md.rows) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	for (size_t j = 0; j < d->k; j++)
		md.rows[j] = d->rows[d->idx[j]];
	struct sm_rma_opts o = sm_run_settings_iv(s);
	cJSON *out = NULL;
	double *work = NULL;
	if (read_moderators(ctx, &md, mods, n_mods, d->name) == SM_OK &&
	    fill_design(ctx, &md) == SM_OK &&
	    (work = sm_alloc_array(md.k * md.p, sizeof *work)) != NULL) {
		const struct sm_column *col = NULL;
		char *why = estimable(&md, o.method, d->name, &col, work);
		struct unfit u = { ctx, several, warnings, d->name };
		if (why && col)
			out = unfit_at(&u, col, md.rows[0], why);
		else if (why)
			out = unfit(&u, md.rows[0]->src_file, md.rows[0]->src_line, NULL, "%s", why);
		else
			out = fit_json(ctx, &md, d, s, &o);
		free(why);
	} else if (!sm_ctx_error(ctx)) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	free(work);
	model_release(&md);
	return out;
}
