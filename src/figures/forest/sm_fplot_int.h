/*
 * sm_fplot_int.h -- the state of one run of the forest's row builder and
 * the helpers its parts share (private to sm_fplot_*.c): the core
 * (sm_fplot_res.c), the notes and the method line (sm_fplot_notes.c),
 * proportions (sm_fplot_prop.c) and subgroups of one analysis
 * (sm_fplot_sub.c).
 *
 * Ownership: the state borrows the results, the style and the request;
 * strings made by the helpers belong to the plot rows they are put in.
 */
#ifndef SM_FPLOT_INT_H
#define SM_FPLOT_INT_H

#include "sm_buf.h"
#include "sm_fplot.h"

/* A weight column: whose weights it shows. */
enum sm_fweights {
	SM_W_NONE,
	SM_W_MODEL, /* the analysis' own model: the studies' "weight" */
	SM_W_FIT    /* a common-effect fit beside it: that fit's "weights" */
};

struct build {
	struct sm_ctx *ctx;
	struct sm_fplot *p;
	const struct sm_style *st;
	const struct sm_fplot_req *req;
	const struct sm_res *res;
	struct sm_buf excluded; /* "label (reason)" list for the note */
	int failed;             /* allocation failure */
	/* The weight columns of the analysis being built: what each shows,
	 * the fit whose weights WEIGHT shows (SM_W_FIT), and for pooled rows
	 * which column their 100% goes in. */
	enum sm_fweights wcol[2];
	const struct sm_res_fit *wfit;
};

/* One pooled estimate on the display scale: the analysis' own, one of its
 * "fits" or its multilevel model. */
struct pooled {
	const char *method;
	int kind;           /* enum sm_fpool */
	double est, lb, ub, pi_lb, pi_ub;
	double stat, p, df; /* its test */
	const char *test;
	const struct sm_res_fit *fit; /* the fit it is, or NULL */
	int own;                      /* the analysis' own model */
};

enum sm_fpool { SM_POOL_COMMON, SM_POOL_RANDOM, SM_POOL_MULTILEVEL };

char *sm_fb_dup(struct build *b, const char *s);
char *sm_fb_take(struct build *b, struct sm_buf *buf);
char *sm_fb_num(struct build *b, double x, int dec);
char *sm_fb_count(struct build *b, double x);
char *sm_fb_pct(struct build *b, double w);
struct sm_frow *sm_fb_add(struct build *b, enum sm_frow_kind kind);
/* est, "[lb,", "ub]" into the three effect cells. */
void sm_fb_effect_cells(struct build *b, struct sm_frow *r);
/* A NOTE row taking the text of `t`. */
void sm_fb_note(struct build *b, struct sm_buf *t, int trailing);

/* The analysis' pooled rows in the order drawn (common effect first): its
 * own, its fits and its side multilevel model; n of at most `max`. */
size_t sm_fb_pooled(const struct build *b, const struct sm_res_analysis *a,
		    struct pooled *out, size_t max);
/* "common effect", "random effects" or "multilevel model". */
const char *sm_fb_model_words(int kind);
/* Studies in the pooled estimate: Mantel-Haenszel and Peto pool tables
 * without an effect size too. */
double sm_fb_k(const struct sm_res_analysis *a);
/* The test of a pooled estimate is shown (proportions: only when asked). */
int sm_fb_shows_test(const struct build *b);

/* Notes (sm_fplot_notes.c). */
void sm_fb_heterogeneity(struct build *b, const struct sm_res_analysis *a, int trailing);
void sm_fb_tests(struct build *b, const struct sm_res_analysis *a, int trailing);
void sm_fb_unit_note(struct build *b, const struct sm_res_analysis *a);
void sm_fb_method_line(struct build *b, const struct sm_res_analysis *a, int own_only);
/* "Q = 4.21, df = 2 (P = 0.12)" into t. */
void sm_fb_q(struct build *b, struct sm_buf *t, double Q, double df, double p);

/* Proportions (sm_fplot_prop.c). */
/* The unit and decimals of the plot, from the request or the data. */
void sm_fb_prop_scale(struct build *b, const struct sm_res_analysis *a);
/* A study's observed proportion and exact interval (per p->per). */
void sm_fb_prop_study(struct build *b, struct sm_frow *r, const struct sm_res_study *s);
/* The crude incidence row, the note when the model's back-transformed
 * value cannot be read, and the zero-event bound. */
void sm_fb_prop_pooled(struct build *b, const struct sm_res_analysis *a);
/* 1 when a pooled value (est, lb) of the analysis cannot be read on the
 * display scale: the back-transformation says "no events" although events
 * occurred, or there were no events at all. */
int sm_fb_prop_unreadable(const struct build *b, const struct sm_res_analysis *a, double est,
			  double lb);

/* Subgroups of one analysis (sm_fplot_sub.c): every subgroup with its
 * studies, pooled rows and notes, then the overall rows and the tests for
 * subgroup differences. */
void sm_fb_subgroups(struct build *b, const struct sm_res_analysis *a);

/* The core (sm_fplot_res.c), for the parts above. */
void sm_fb_study(struct build *b, const struct sm_res_analysis *a, const struct sm_res_study *s,
		 size_t index);
void sm_fb_excluded(struct build *b, const struct sm_res_study *e);
/* Pooled rows, totals and notes of an analysis (subtotal: a subgroup,
 * whose 100% is its share `share`). */
void sm_fb_pooled_block(struct build *b, const struct sm_res_analysis *a, int subtotal,
			double share);
char *sm_fb_expand(struct build *b, const char *tmpl);

#endif
