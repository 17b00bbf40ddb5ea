/*
 * sm_fplot.h -- what a forest plot shows, before any measuring.
 *
 * The typed results (sm_res.h) are read once into rows of ready-formatted
 * cells (strings) plus the numbers the graph column needs on the display
 * scale (odds ratios, not log odds).  Every number comes from the results
 * as they are: display values from "transformed", years from the study's
 * "year", arm totals from "totals", weights from the model each weight
 * column names (the studies' "weight", a fit's "weights").  Nothing is
 * back-transformed, summed or guessed here; a value the results lack gives
 * an empty cell (a study without a display value is "not estimable").
 * Only formatting happens, and two changes of unit the reader asks for:
 * ratio measures on the log scale (--scale log) take the analysis-scale
 * values the results hold, and proportions are shown per 100 or per 1000
 * patients (--per; chosen from the crude incidence by default).
 *
 * Every row that states a number names the model it comes from: pooled
 * rows, weight columns and the test lines say common effect, random
 * effects or multilevel; the method line says how.
 *
 * Ownership: sm_fplot_build() returns a plot freed with sm_fplot_free(),
 * which owns every string in it.  The results are borrowed.
 */
#ifndef SM_FPLOT_H
#define SM_FPLOT_H

#include "sm_ctx.h"
#include "sm_measure.h"
#include "sm_res.h"
#include "sm_style.h"

#include <stddef.h>

/* Text columns, left to right; the graph comes after them. */
/* Two weight columns when the plot shows pooled rows of two models (the
 * common-effect one first), else one. */
enum sm_fcol {
	SM_COL_LABEL, SM_COL_LABEL2, SM_COL_K, SM_COL_EV1, SM_COL_N1, SM_COL_EV2,
	SM_COL_N2, SM_COL_WEIGHT, SM_COL_WEIGHT2, SM_COL_I2, SM_COL_EST, SM_COL_LB,
	SM_COL_UB, SM_NCOLS
};

enum sm_frow_kind {
	SM_ROW_HEADING,  /* subgroup name */
	SM_ROW_STUDY,    /* square + CI */
	SM_ROW_EXCLUDED, /* study left out of pooling */
	SM_ROW_POOLED,   /* diamond */
	SM_ROW_PI,       /* prediction interval line */
	SM_ROW_TOTALS,   /* total events per arm */
	SM_ROW_NOTE,     /* heterogeneity, tests: text left of the graph */
	SM_ROW_GAP       /* half-height spacer */
};

struct sm_frow {
	enum sm_frow_kind kind;
	char *cell[SM_NCOLS];
	char *span;  /* text over EST..UB in place of the three cells */
	char *note;  /* NOTE and HEADING rows */
	int bold, italic, muted;
	int hollow;         /* POOLED: an outlined diamond (the crude incidence) */
	int trailing;       /* NOTE under the whole figure, below the axis */
	double est, lb, ub; /* display scale; NaN when absent */
	double weight;      /* percent in the pooled model (square sizes); NaN when absent */
	double year;        /* sort key; NaN when unknown */
	size_t order;       /* input order */
	char *study_id;     /* STUDY and EXCLUDED rows: the study's id, or NULL */
	int *rob;           /* [plot->nrob] risk-of-bias levels (enum sm_rob_level,
			     * -1 = not judged); NULL when the study has none */
};

enum sm_forest_sort { SM_SORT_INPUT, SM_SORT_YEAR, SM_SORT_EFFECT, SM_SORT_WEIGHT };

/* Units of a proportion (--per): chosen from the data, or per patient, per
 * 100 or per 1000 patients. */
enum sm_forest_per { SM_PER_AUTO, SM_PER_1, SM_PER_100, SM_PER_1000 };

/* What to build; borrowed strings. */
struct sm_fplot_req {
	const char *analysis; /* see sm_forest_options */
	enum sm_forest_sort sort;
	const char *columns;  /* comma list or NULL */
	int summary_only;
	const char *title;    /* NULL: default; "": none */
	int rob;              /* risk-of-bias columns beside the graph */
	int log_scale;        /* ratio measures on the log scale */
	enum sm_forest_per per;
	int overall_test;     /* proportions: the test against 0 too */
	int compact_notes;    /* heterogeneity and the tests in one note, the
			       * unit of analysis in a line (a report's text
			       * says the rest) */
};

struct sm_fplot {
	char *title;
	char *measure;      /* code, e.g. "OR" */
	int level;
	enum sm_axis_kind axis; /* SM_AXIS_DIFF for ratios on the log scale */
	int log_scale;          /* ratio measure, analysis-scale values */
	double per;             /* proportions: shown per this many patients */
	int dec;                /* decimals of the effect columns */
	int show[SM_NCOLS]; /* columns the user allows */
	char *head[SM_NCOLS];
	char *arm1, *arm2;  /* group headers over EV1/N1 and EV2/N2 */
	char *weight_group; /* group header over the weight columns ("Weight"),
			     * when their heads name models; else NULL */
	int single_arm;     /* one group (proportions): no arm headers */
	char *graph_head;   /* over the graph column */
	char *favours_left, *favours_right;
	char *method;       /* method line, or NULL */
	/* Risk-of-bias columns (req->rob): heads "D1".."Dn" (then "Overall"
	 * when a study has an overall judgement) and the domain each stands
	 * for (NULL for Overall); the tool's name ("RoB1", ...). */
	int nrob;
	char **rob_head, **rob_key;
	char *rob_tool;
	/* A dashed vertical line over the rows at ref (display scale) when
	 * has_ref: the full pooled estimate of a leave-one-out or cumulative
	 * forest.  The forest itself has none. */
	int has_ref;
	double ref;
	struct sm_frow *rows;
	size_t nrows, cap;
};

struct sm_fplot *sm_fplot_build(struct sm_ctx *ctx, const struct sm_res *res,
				const struct sm_fplot_req *req,
				const struct sm_style *style);
void sm_fplot_free(struct sm_fplot *p);

/* Read "review"."risk_of_bias" into the columns and the study rows'
 * levels (by study id); fails when the results have none. */
sm_status sm_fplot_rob(struct sm_ctx *ctx, struct sm_fplot *p, const struct sm_res *res);

/* Append an empty row (NaN numbers); NULL on allocation failure. */
struct sm_frow *sm_fplot_add(struct sm_fplot *p, enum sm_frow_kind kind);
/* Sort rows [from, to) by `sort` (stable: ties keep input order). */
void sm_fplot_sort(struct sm_fplot *p, size_t from, size_t to, enum sm_forest_sort sort);
/* Parse "input", "year", "effect", "weight". */
sm_status sm_forest_sort_parse(struct sm_ctx *ctx, const char *text,
			       enum sm_forest_sort *sort);
/* Parse a column list ("study,label2,k,events,weight,i2,effect") into show[]. */
sm_status sm_fplot_columns(struct sm_ctx *ctx, const char *list, int show[SM_NCOLS]);

#endif
