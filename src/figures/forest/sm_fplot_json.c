/* sm_fplot_json.c -- reading a results JSON into forest rows (sm_fplot.h). */
#include "sm_fplot.h"

#include "sm_buf.h"
#include "sm_fmt.h"
#include "sm_method.h"
#include "sm_words.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* What building one plot needs besides the plot. */
struct build {
	struct sm_ctx *ctx;
	struct sm_fplot *p;
	const struct sm_style *st;
	const struct sm_fplot_req *req;
	struct sm_buf excluded; /* "label (reason)" list for the note */
	int failed;             /* allocation failure */
};

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

static char *dup(struct build *b, const char *s)
{
	char *d = s ? strdup(s) : NULL;
	if (s && !d)
		b->failed = 1;
	return d;
}

static char *take(struct build *b, struct sm_buf *buf)
{
	if (buf->failed) {
		sm_buf_release(buf);
		b->failed = 1;
		return NULL;
	}
	return sm_buf_take(buf);
}

static char *fmt_num(struct build *b, double x, int dec)
{
	if (!isfinite(x))
		return NULL;
	char *s = sm_fmt_num_str(x, dec);
	if (!s)
		b->failed = 1;
	return s;
}

/* Counts are whole numbers in the input; anything else is shown as is. */
static char *fmt_count(struct build *b, double x)
{
	return fmt_num(b, x, x == floor(x) ? 0 : 1);
}

static struct sm_frow *add(struct build *b, enum sm_frow_kind kind)
{
	struct sm_frow *r = sm_fplot_add(b->p, kind);
	if (!r)
		b->failed = 1;
	return r;
}

/* Year from a "year" field or the first 19xx/20xx in the label. */
static double study_year(const cJSON *s, const char *label)
{
	double y = num(s, "year");
	if (isfinite(y) || !label)
		return y;
	for (const char *p = label; p[0]; p++) {
		if ((p > label && isdigit((unsigned char)p[-1])) ||
		    !((p[0] == '1' && p[1] == '9') || (p[0] == '2' && p[1] == '0')))
			continue;
		if (isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) &&
		    !isdigit((unsigned char)p[4]))
			return atof(p);
	}
	return NAN;
}

/* est, "[lb,", "ub]" into the three effect cells. */
static void effect_cells(struct build *b, struct sm_frow *r)
{
	int dec = b->st->d_effect;
	if (isfinite(r->est))
		r->cell[SM_COL_EST] = fmt_num(b, r->est, dec);
	if (!isfinite(r->lb) || !isfinite(r->ub))
		return;
	struct sm_buf lb, ub;
	sm_buf_init(&lb);
	sm_buf_init(&ub);
	sm_buf_putc(&lb, '[');
	sm_fmt_num(&lb, r->lb, dec);
	sm_buf_putc(&lb, ',');
	sm_fmt_num(&ub, r->ub, dec);
	sm_buf_putc(&ub, ']');
	r->cell[SM_COL_LB] = take(b, &lb);
	r->cell[SM_COL_UB] = take(b, &ub);
}

/* Two-arm counts (ai/n1i, ci/n2i) or one group (xi/ni) in the first arm. */
static void count_cells(struct build *b, struct sm_frow *r, const cJSON *s)
{
	int one = cJSON_GetObjectItemCaseSensitive(s, "xi") != NULL;
	r->cell[SM_COL_EV1] = fmt_count(b, num(s, one ? "xi" : "ai"));
	r->cell[SM_COL_N1] = fmt_count(b, num(s, one ? "ni" : "n1i"));
	if (one)
		return;
	r->cell[SM_COL_EV2] = fmt_count(b, num(s, "ci"));
	r->cell[SM_COL_N2] = fmt_count(b, num(s, "n2i"));
}

static void weight_cell(struct build *b, struct sm_frow *r, double w)
{
	r->weight = w;
	if (!isfinite(w))
		return;
	struct sm_buf buf;
	sm_buf_init(&buf);
	sm_fmt_num(&buf, w, b->st->d_weight);
	sm_buf_putc(&buf, '%');
	r->cell[SM_COL_WEIGHT] = take(b, &buf);
}

static void add_study(struct build *b, const char *measure, const cJSON *s)
{
	struct sm_frow *r = add(b, SM_ROW_STUDY);
	if (!r)
		return;
	const char *label = str(s, "label");
	r->cell[SM_COL_LABEL] = dup(b, label ? label : "?");
	r->study_id = dup(b, str(s, "study_id"));
	const char *label2 = str(s, "label2") ? str(s, "label2") : str(s, "event");
	r->cell[SM_COL_LABEL2] = dup(b, label2);
	count_cells(b, r, s);
	weight_cell(b, r, num(s, "weight"));
	const cJSON *tr = cJSON_GetObjectItemCaseSensitive(s, "transformed");
	if (cJSON_IsObject(tr)) {
		r->est = num(tr, "yi");
		r->lb = num(tr, "ci_lb");
		r->ub = num(tr, "ci_ub");
	} else {
		double ni = isfinite(num(s, "ni")) ? num(s, "ni") : num(s, "n1i");
		r->est = sm_measure_display(measure, num(s, "yi"), ni);
		r->lb = sm_measure_display(measure, num(s, "ci_lb"), ni);
		r->ub = sm_measure_display(measure, num(s, "ci_ub"), ni);
	}
	effect_cells(b, r);
	if (!isfinite(r->est))
		r->span = dup(b, b->st->l_excluded);
	r->year = study_year(s, label);
}

static void add_excluded(struct build *b, const cJSON *e)
{
	struct sm_frow *r = add(b, SM_ROW_EXCLUDED);
	if (!r)
		return;
	const char *label = str(e, "label") ? str(e, "label") : "?";
	const char *reason = str(e, "reason");
	r->cell[SM_COL_LABEL] = dup(b, label);
	r->study_id = dup(b, str(e, "study_id"));
	count_cells(b, r, e);
	r->span = dup(b, b->st->l_excluded);
	r->italic = r->muted = 1;
	r->year = study_year(e, label);
	sm_buf_printf(&b->excluded, "%s%s", b->excluded.len ? "; " : "", label);
	if (reason)
		sm_buf_printf(&b->excluded, " (%s)", reason);
}

/* Sums of a count over the studies; NaN when any is missing. */
static double study_sum(const cJSON *a, const char *key)
{
	const cJSON *studies = cJSON_GetObjectItemCaseSensitive(a, "studies");
	const cJSON *s;
	double sum = 0;
	int n = 0;
	cJSON_ArrayForEach(s, studies) {
		double v = num(s, key);
		if (!isfinite(v))
			return NAN;
		sum += v;
		n++;
	}
	return n ? sum : NAN;
}

/* An arm total of the analysis: from its "totals" (written by analyze, so
 * right even without per-study rows), else summed over the studies.
 * `key` is events_t, n_t, events_c or n_c. */
static double arm_total(const cJSON *a, const char *key)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(a, "totals");
	if (isfinite(num(t, key)))
		return num(t, key);
	int one = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(a, "studies"), 0), "xi") != NULL;
	static const char *const keys[][3] = {
		{ "events_t", "ai", "xi" }, { "n_t", "n1i", "ni" },
		{ "events_c", "ci", NULL }, { "n_c", "n2i", NULL },
	};
	for (size_t i = 0; i < 4; i++)
		if (!strcmp(key, keys[i][0]))
			return keys[i][1 + one] ? study_sum(a, keys[i][1 + one]) : NAN;
	return NAN;
}

static void add_studies(struct build *b, const cJSON *a)
{
	const char *measure = b->p->measure;
	size_t from = b->p->nrows;
	const cJSON *s;
	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(a, "studies"))
		add_study(b, measure, s);
	sm_fplot_sort(b->p, from, b->p->nrows, b->req->sort);
	from = b->p->nrows;
	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(a, "excluded"))
		add_excluded(b, s);
	sm_fplot_sort(b->p, from, b->p->nrows,
		      b->req->sort == SM_SORT_YEAR ? SM_SORT_YEAR : SM_SORT_INPUT);
}

/* A NOTE row taking the text of `t`. */
static void add_note(struct build *b, struct sm_buf *t, int trailing)
{
	struct sm_frow *r = add(b, SM_ROW_NOTE);
	if (!r) {
		sm_buf_release(t);
		return;
	}
	r->note = take(b, t);
	r->trailing = trailing;
}

/* "Heterogeneity: τ² = 0.38; Q = 46.51, df = 35 (P = 0.09); I² = 25%" */
static void note_heterogeneity(struct build *b, const cJSON *a, int trailing)
{
	const struct sm_style *st = b->st;
	double tau2 = num(a, "tau2"), q = num(a, "Q"), df = num(a, "Q_df");
	double qp = num(a, "Q_p"), i2 = num(a, "I2");
	if (!isfinite(q) && !isfinite(tau2) && !isfinite(i2))
		return;
	struct sm_buf t;
	sm_buf_init(&t);
	sm_buf_puts(&t, "Heterogeneity: ");
	const char *sep = "";
	if (isfinite(tau2) && sm_method_label_is_random(str(a, "method"))) {
		sm_buf_puts(&t, "\xcf\x84\xc2\xb2 = ");
		sm_fmt_num(&t, tau2, st->d_tau2);
		sep = "; ";
	}
	if (isfinite(q)) {
		sm_buf_printf(&t, "%sQ = ", sep);
		sm_fmt_num(&t, q, st->d_stat);
		if (isfinite(df))
			sm_buf_printf(&t, ", df = %.0f", df);
		if (isfinite(qp)) {
			sm_buf_puts(&t, " (");
			sm_fmt_p(&t, qp, st->d_p);
			sm_buf_putc(&t, ')');
		}
		sep = "; ";
	}
	if (isfinite(i2)) {
		sm_buf_printf(&t, "%sI\xc2\xb2 = ", sep);
		sm_fmt_num(&t, i2, st->d_i2);
		sm_buf_putc(&t, '%');
	}
	add_note(b, &t, trailing);
}

/* "Test for overall effect: Z = 1.28 (P = 0.20)" (t with df for KNHA). */
static void note_overall(struct build *b, const cJSON *a, int trailing)
{
	double stat = num(a, "stat"), p = num(a, "p"), df = num(a, "df");
	if (!isfinite(stat))
		return;
	struct sm_buf t;
	sm_buf_init(&t);
	const char *test = str(a, "test");
	int is_t = (test && !strcmp(test, "knha")) || isfinite(df);
	sm_buf_printf(&t, "Test for overall effect: %s = ", is_t ? "t" : "Z");
	sm_fmt_num(&t, stat, b->st->d_stat);
	if (is_t && isfinite(df))
		sm_buf_printf(&t, ", df = %.0f", df);
	if (isfinite(p)) {
		sm_buf_puts(&t, " (");
		sm_fmt_p(&t, p, b->st->d_p);
		sm_buf_putc(&t, ')');
	}
	add_note(b, &t, trailing);
}

static const char *model_label(const char *method)
{
	static const char *const names[][2] = {
		{ "FE", "Common effect (inverse variance)" },
		{ "EE", "Common effect (inverse variance)" },
		{ "CE", "Common effect (inverse variance)" },
		{ "MH", "Common effect (Mantel\xe2\x80\x93Haenszel)" },
		{ "PETO", "Common effect (Peto)" },
	};
	for (size_t i = 0; method && i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(method, names[i][0]))
			return names[i][1];
	return NULL;
}

/* Display-scale pooled values: from "transformed" when given. */
static void pooled_values(struct build *b, const cJSON *fit, struct sm_frow *r,
			  double *pi_lb, double *pi_ub)
{
	const cJSON *tr = cJSON_GetObjectItemCaseSensitive(fit, "transformed");
	const char *m = b->p->measure;
	if (cJSON_IsObject(tr)) {
		r->est = num(tr, "estimate");
		r->lb = num(tr, "ci_lb");
		r->ub = num(tr, "ci_ub");
		*pi_lb = num(tr, "pi_lb");
		*pi_ub = num(tr, "pi_ub");
	} else {
		r->est = sm_measure_display(m, num(fit, "estimate"), NAN);
		r->lb = sm_measure_display(m, num(fit, "ci_lb"), NAN);
		r->ub = sm_measure_display(m, num(fit, "ci_ub"), NAN);
		*pi_lb = sm_measure_display(m, num(fit, "pi_lb"), NAN);
		*pi_ub = sm_measure_display(m, num(fit, "pi_ub"), NAN);
	}
}

static void add_pi(struct build *b, double lb, double ub)
{
	struct sm_frow *r = add(b, SM_ROW_PI);
	if (!r)
		return;
	r->cell[SM_COL_LABEL] = dup(b, b->st->l_pi);
	r->lb = lb;
	r->ub = ub;
	effect_cells(b, r);
}

/* One pooled row per fit: the analysis itself and any in its "fits". */
static void add_pooled(struct build *b, const cJSON *a, const char *total_label)
{
	const cJSON *fits[16] = { a };
	int n = 1;
	const cJSON *f;
	cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(a, "fits"))
		if (n < 16 && cJSON_IsObject(f))
			fits[n++] = f;
	/* Common-effect rows first, as readers expect: stable by insertion. */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && sm_method_label_is_random(str(fits[j - 1], "method")) &&
				!sm_method_label_is_random(str(fits[j], "method")); j--) {
			const cJSON *t = fits[j];
			fits[j] = fits[j - 1];
			fits[j - 1] = t;
		}
	for (int i = 0; i < n; i++) {
		struct sm_frow *r = add(b, SM_ROW_POOLED);
		if (!r)
			return;
		const char *method = str(fits[i], "method");
		r->bold = 1;
		/* A lone inverse-variance row is just the total; Mantel-Haenszel
		 * and Peto rows always say so, since their numbers differ from the
		 * inverse-variance ones readers may compare with. */
		if (!method || (n == 1 && !sm_method_label_is_mh_peto(method))) {
			r->cell[SM_COL_LABEL] = dup(b, total_label);
		} else {
			struct sm_buf t;
			sm_buf_init(&t);
			const char *ml = model_label(method);
			if (ml)
				sm_buf_puts(&t, ml);
			else
				sm_buf_printf(&t, "Random effects (%s)", method);
			r->cell[SM_COL_LABEL] = take(b, &t);
		}
		double pi_lb, pi_ub;
		pooled_values(b, fits[i], r, &pi_lb, &pi_ub);
		effect_cells(b, r);
		if (i == 0) {
			r->cell[SM_COL_N1] = fmt_count(b, arm_total(a, "n_t"));
			r->cell[SM_COL_N2] = fmt_count(b, arm_total(a, "n_c"));
			if (isfinite(study_sum(a, "weight")))
				weight_cell(b, r, 100.0);
		}
		if (sm_method_label_is_random(method) && isfinite(pi_lb) && isfinite(pi_ub))
			add_pi(b, pi_lb, pi_ub);
	}
}

static void add_totals(struct build *b, const cJSON *a)
{
	double e1 = arm_total(a, "events_t"), e2 = arm_total(a, "events_c");
	if ((!isfinite(e1) && !isfinite(e2)) || !b->p->show[SM_COL_EV1])
		return;
	struct sm_frow *r = add(b, SM_ROW_TOTALS);
	if (!r)
		return;
	r->cell[SM_COL_LABEL] = dup(b, b->st->l_total_events);
	r->cell[SM_COL_EV1] = fmt_count(b, e1);
	r->cell[SM_COL_EV2] = fmt_count(b, e2);
}

static char *expand(struct build *b, const char *tmpl)
{
	char *s = sm_style_expand(tmpl, b->p->arm1, b->p->arm2,
				  sm_measure_short(b->p->measure), b->p->level);
	if (!s)
		b->failed = 1;
	return s;
}

/* Studies, pooled rows, totals and notes of one analysis. */
static void add_analysis(struct build *b, const cJSON *a, int subtotal)
{
	if (!b->req->summary_only)
		add_studies(b, a);
	char *label = expand(b, subtotal ? b->st->l_subtotal : b->st->l_total);
	if (label)
		add_pooled(b, a, label);
	free(label);
	if (!b->req->summary_only)
		add_totals(b, a);
	note_heterogeneity(b, a, !subtotal);
	note_overall(b, a, !subtotal);
}

static void zero_rule(struct sm_buf *t, const cJSON *a)
{
	double add_v = num(a, "add");
	const char *to = str(a, "to");
	const cJSON *drop = cJSON_GetObjectItemCaseSensitive(a, "drop00");
	if (isfinite(add_v) && add_v > 0 && to && strcmp(to, "none")) {
		sm_buf_puts(t, "; zero cells: ");
		sm_fmt_short(t, add_v);
		if (!strcmp(to, "all"))
			sm_buf_puts(t, " added to every cell of every study");
		else if (!strcmp(to, "if0all"))
			sm_buf_puts(t, " added to every cell of every study if any has a zero");
		else
			sm_buf_puts(t, " added to each cell of studies with a zero cell");
		/* rma.mh and rma.peto pool the raw counts. */
		if (sm_method_label_is_mh_peto(str(a, "method")))
			sm_buf_puts(t, " (study rows only)");
	} else if (isfinite(add_v) || to) {
		sm_buf_puts(t, "; no zero-cell correction");
	}
	if (cJSON_IsTrue(drop))
		sm_buf_puts(t, "; studies without events in both arms left out");
}

/* How pooled proportions came back from the pooling scale. */
static void back_transform(struct sm_buf *t, const cJSON *a)
{
	const cJSON *tr = cJSON_GetObjectItemCaseSensitive(a, "transformed");
	const char *fn = str(tr, "function");
	double hm = num(tr, "ni_harmonic_mean");
	if (fn && !strcmp(fn, "ipft.hm") && isfinite(hm)) {
		sm_buf_puts(t, "; pooled values back-transformed with the harmonic mean "
			    "of the study sizes (n = ");
		sm_fmt_num(t, hm, 2);
		sm_buf_putc(t, ')');
	}
}

/* Measure, model, τ² estimator, test/CI, zero-cell rule, version. */
static void method_line(struct build *b, const cJSON *a)
{
	struct sm_buf t;
	sm_buf_init(&t);
	const char *m = str(a, "method"), *test = str(a, "test");
	sm_buf_printf(&t, "%s (%s)", sm_measure_title(b->p->measure), b->p->measure);
	const char *mn = sm_words_model_line(m);
	if (mn)
		sm_buf_printf(&t, ", %s", mn);
	else if (m)
		sm_buf_printf(&t, ", method %s", m);
	const cJSON *f;
	cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(a, "fits")) {
		const char *fm = sm_words_model_line(str(f, "method"));
		if (fm)
			sm_buf_printf(&t, " and %s", fm);
	}
	if (test && !strcmp(test, "knha"))
		sm_buf_puts(&t, "; Knapp\xe2\x80\x93Hartung t test and CI");
	else
		sm_buf_puts(&t, "; Wald-type z test and CI");
	sm_buf_printf(&t, " (%d%%)", b->p->level);
	back_transform(&t, a);
	zero_rule(&t, a);
	sm_buf_puts(&t, "; safemeta " SM_VERSION);
	b->p->method = take(b, &t);
}

static void arm_labels(struct build *b, const cJSON *results)
{
	const cJSON *review = cJSON_GetObjectItemCaseSensitive(results, "review");
	const cJSON *settings = cJSON_GetObjectItemCaseSensitive(review, "settings");
	const cJSON *arms = cJSON_GetObjectItemCaseSensitive(settings, "arm_labels");
	const cJSON *a1 = cJSON_GetArrayItem(arms, 0), *a2 = cJSON_GetArrayItem(arms, 1);
	int given = cJSON_IsString(a1) && cJSON_IsString(a2);
	b->p->arm1 = dup(b, given ? a1->valuestring : b->st->arm1);
	b->p->arm2 = dup(b, given ? a2->valuestring : b->st->arm2);
}

static void headers(struct build *b, int summary)
{
	struct sm_fplot *p = b->p;
	const struct sm_style *st = b->st;
	p->head[SM_COL_LABEL] = expand(b, summary ? st->h_domain : st->h_study);
	/* Not a style key yet (templates/ belongs to the shared layer). */
	p->head[SM_COL_LABEL2] = dup(b, "Outcome");
	p->head[SM_COL_K] = expand(b, st->h_k);
	p->head[SM_COL_EV1] = expand(b, st->h_events);
	p->head[SM_COL_EV2] = expand(b, st->h_events);
	p->head[SM_COL_N1] = expand(b, st->h_total);
	p->head[SM_COL_N2] = expand(b, st->h_total);
	p->head[SM_COL_WEIGHT] = expand(b, st->h_weight);
	p->head[SM_COL_I2] = expand(b, st->h_i2);
	p->head[SM_COL_EST] = expand(b, st->h_effect);
	if (p->axis != SM_AXIS_PROP) {
		p->favours_left = expand(b, st->favours_left);
		p->favours_right = expand(b, st->favours_right);
	}
	/* The graph shows proportions whatever scale they were pooled on. */
	p->graph_head = dup(b, p->axis == SM_AXIS_PROP ? sm_measure_short(p->measure)
						       : sm_measure_title(p->measure));
}

static const cJSON *find_analysis(const cJSON *analyses, const char *name)
{
	const cJSON *a;
	cJSON_ArrayForEach(a, analyses) {
		const char *n = str(a, "name");
		if (n && name && !strcmp(n, name))
			return a;
	}
	return NULL;
}

static void summary_row(struct build *b, const cJSON *a)
{
	struct sm_frow *r = add(b, SM_ROW_POOLED);
	if (!r)
		return;
	const char *name = str(a, "name");
	r->cell[SM_COL_LABEL] = dup(b, name ? name : "?");
	r->bold = name && !strcmp(name, "all");
	r->cell[SM_COL_K] = fmt_count(b, num(a, "k"));
	r->cell[SM_COL_EV1] = fmt_count(b, arm_total(a, "events_t"));
	r->cell[SM_COL_N1] = fmt_count(b, arm_total(a, "n_t"));
	r->cell[SM_COL_EV2] = fmt_count(b, arm_total(a, "events_c"));
	r->cell[SM_COL_N2] = fmt_count(b, arm_total(a, "n_c"));
	double i2 = num(a, "I2");
	if (isfinite(i2)) {
		struct sm_buf t;
		sm_buf_init(&t);
		sm_fmt_num(&t, i2, b->st->d_i2);
		sm_buf_putc(&t, '%');
		r->cell[SM_COL_I2] = take(b, &t);
	}
	double pl, pu;
	pooled_values(b, a, r, &pl, &pu);
	effect_cells(b, r);
	r->weight = num(a, "k"); /* "weight" order of a summary: most studies first */
}

static void build_summary(struct build *b, const cJSON *analyses)
{
	const cJSON *a, *all = NULL;
	size_t from = b->p->nrows;
	cJSON_ArrayForEach(a, analyses) {
		const char *n = str(a, "name");
		if (n && !strcmp(n, "all"))
			all = a;
		else
			summary_row(b, a);
	}
	sm_fplot_sort(b->p, from, b->p->nrows, b->req->sort);
	if (all)
		summary_row(b, all);
}

static void build_subgroups(struct build *b, const cJSON *results, const cJSON *analyses)
{
	const cJSON *a, *all = NULL;
	cJSON_ArrayForEach(a, analyses) {
		const char *n = str(a, "name");
		if (n && !strcmp(n, "all")) {
			all = a;
			continue;
		}
		struct sm_frow *h = add(b, SM_ROW_HEADING);
		if (h) {
			h->note = dup(b, n ? n : "?");
			h->bold = 1;
		}
		add_analysis(b, a, 1);
		add(b, SM_ROW_GAP);
	}
	if (all)
		add_analysis(b, all, 0);
	const cJSON *sg = cJSON_GetObjectItemCaseSensitive(results, "subgroups");
	double q = num(sg, "Q_between"), df = num(sg, "df"), p = num(sg, "p");
	if (!isfinite(q))
		return;
	struct sm_buf t;
	sm_buf_init(&t);
	sm_buf_puts(&t, "Test for subgroup differences: Q = ");
	sm_fmt_num(&t, q, b->st->d_stat);
	if (isfinite(df))
		sm_buf_printf(&t, ", df = %.0f", df);
	if (isfinite(p)) {
		sm_buf_puts(&t, " (");
		sm_fmt_p(&t, p, b->st->d_p);
		sm_buf_putc(&t, ')');
	}
	add_note(b, &t, 1);
}

static void excluded_note(struct build *b)
{
	if (!b->excluded.len)
		return;
	struct sm_buf t;
	sm_buf_init(&t);
	sm_buf_printf(&t, "Not pooled: %s", b->excluded.data);
	add_note(b, &t, 1);
}

static sm_status no_analysis(struct sm_ctx *ctx, const cJSON *analyses, const char *name)
{
	struct sm_buf names;
	sm_buf_init(&names);
	const cJSON *a;
	cJSON_ArrayForEach(a, analyses) {
		const char *n = str(a, "name");
		sm_buf_printf(&names, "%s\"%s\"", names.len ? ", " : "", n ? n : "?");
	}
	sm_status s = SM_FAIL(ctx, SM_EINPUT, "no analysis named \"%s\"; expected all, "
			      "summary or one of %s", name, names.data ? names.data : "");
	sm_buf_release(&names);
	return s;
}

/* Pick the analyses and the kind of plot; fills title and measure. */
static sm_status build_rows(struct build *b, const cJSON *results, const cJSON *analyses)
{
	const char *want = b->req->analysis;
	const cJSON *one = find_analysis(analyses, want);
	int summary = !one && want && !strcmp(want, "summary");
	if (!one && !want && cJSON_GetArraySize(analyses) == 1)
		one = cJSON_GetArrayItem(analyses, 0);
	if (!one && want && !summary && strcmp(want, "all"))
		return no_analysis(b->ctx, analyses, want);
	const cJSON *first = one ? one : cJSON_GetArrayItem(analyses, 0);
	const char *measure = str(first, "measure");
	double level = num(first, "level");
	b->p->measure = dup(b, measure ? measure : "GEN");
	b->p->level = isfinite(level) ? (int)lround(level) : 95;
	b->p->axis = sm_measure_axis(b->p->measure);
	b->p->single_arm = b->p->axis == SM_AXIS_PROP;
	arm_labels(b, results);
	headers(b, summary);
	const char *title = b->req->title;
	const cJSON *review = cJSON_GetObjectItemCaseSensitive(results, "review");
	if (!title)
		title = one ? str(one, "name") : str(review, "title");
	if (title && !strcmp(title, "all"))
		title = str(review, "title");
	b->p->title = title && *title ? dup(b, title) : NULL;
	if (summary)
		build_summary(b, analyses);
	else if (one)
		add_analysis(b, one, 0);
	else
		build_subgroups(b, results, analyses);
	excluded_note(b);
	method_line(b, first);
	return SM_OK;
}

struct sm_fplot *sm_fplot_build(struct sm_ctx *ctx, const cJSON *results,
				const struct sm_fplot_req *req,
				const struct sm_style *style)
{
	const cJSON *analyses = cJSON_GetObjectItemCaseSensitive(results, "analyses");
	if (!cJSON_IsArray(analyses) || cJSON_GetArraySize(analyses) == 0) {
		SM_FAIL(ctx, SM_EINPUT, "results hold no analyses; expected the JSON "
			"written by safemeta analyze");
		return NULL;
	}
	struct build b = { ctx, calloc(1, sizeof *b.p), style, req, { 0 }, 0 };
	sm_buf_init(&b.excluded);
	if (!b.p) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	sm_status s = sm_fplot_columns(ctx, req->columns, b.p->show);
	if (s == SM_OK)
		s = build_rows(&b, results, analyses);
	if (s == SM_OK && req->rob && !b.failed)
		s = sm_fplot_rob(ctx, b.p, results);
	if (s == SM_OK && (b.failed || b.excluded.failed))
		s = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	sm_buf_release(&b.excluded);
	if (s != SM_OK) {
		sm_fplot_free(b.p);
		return NULL;
	}
	return b.p;
}
