/*
 * sm_rvalue.h -- placeholders of report templates: {{PATH}} or
 * {{PATH|FORMAT}}, replaced by values of the results document.
 *
 * PATH is dot-separated keys (a number indexes an array) under a root:
 *   results   the whole results document
 *   review    results.review (title, metadata, prisma, ...)
 *   settings  results.settings (measure, method, add, to, ...)
 *   safemeta  the version that computed the results
 *   analysis  the current analysis of an @each block
 *   row       the current analysis's row of the safety-domain table
 * FORMAT: 0..9 (fixed decimals), p (P values: "< 0.001" or 3 decimals),
 * name (a code in words: OR -> odds ratio, DL -> DerSimonian-Laird, ...),
 * lower, count (items of an array or object), join (", " between items),
 * model (a method code as "a random-effects model with the ... estimator
 * of tau^2" or "a common-effect ... model"), correction (a settings object's
 * continuity correction as a sentence), and three sentences of an analysis
 * object (sm_rvalue_analysis.c): pooled (the pooled estimate with its CI
 * and p on the display scale; proportions per display_per patients with
 * the crude incidence and its exact CI first, no test against 0, the zero-
 * event upper bounds in words), heterogeneity (I2, tau2, Q and the
 * prediction interval; "not applicable" for one study), small_study
 * (Egger, Begg and trim and fill, or "k = 4: fewer than 10 studies, tests
 * for funnel asymmetry not shown").
 * Without a format, integers print as integers, other numbers with 4
 * significant digits, arrays joined with ", ", booleans as yes/no and
 * null as "n/a".  Negative numbers use the minus sign U+2212.
 *
 * A PATH that does not exist is an error naming the template line (a typo
 * never prints silently); use @if to guard keys only some analyses have.
 *
 * Ownership: strings returned are new (free()); cJSON values borrowed.
 */
#ifndef SM_RVALUE_H
#define SM_RVALUE_H

#include "sm_buf.h"
#include "sm_ctx.h"

#include <cjson/cJSON.h>

struct sm_rscope {
	const cJSON *results;
	const cJSON *analysis; /* NULL outside @each */
	const cJSON *row;      /* NULL when the analysis has no table row */
	const char *path;      /* template file, for messages */
	long line;
	const cJSON *report;   /* the report being built: {"supplement": true|false};
				* NULL: none */
};

/* Check the placeholders of one template line (column numbers from 1);
 * in_each says whether the analysis/row roots are available. */
sm_status sm_rvalue_check(struct sm_ctx *ctx, const char *path, long line, const char *text,
			  int in_each);

/* text with every placeholder replaced; NULL with the error in ctx. */
char *sm_rvalue_expand(struct sm_ctx *ctx, const struct sm_rscope *sc, const char *text);

/* The value at PATH (borrowed; NULL when it does not exist, which is not
 * an error here); fails only on an unknown root. */
sm_status sm_rvalue_lookup(struct sm_ctx *ctx, const struct sm_rscope *sc, const char *path,
			   const cJSON **out);

/* 1 when a value is there: not NULL, not null or false, not an empty
 * string, array or object. */
int sm_rvalue_present(const cJSON *v);

/* A number as templates print it: `decimals` fixed (-1: integers plain,
 * else 4 significant digits), U+2212 for a minus, no "-0", n/a for NAN. */
void sm_rvalue_number(struct sm_buf *b, double v, int decimals);

/* The analysis sentence `fmt` (pooled, heterogeneity, small_study,
 * influence: metafor influence() findings and the leave-one-out range;
 * unit: several rows per study and the multilevel result) of an
 * analysis object appended to b; 0 when fmt is none of them. */
int sm_rvalue_analysis_words(struct sm_buf *b, const char *fmt, const cJSON *analysis);

#endif
