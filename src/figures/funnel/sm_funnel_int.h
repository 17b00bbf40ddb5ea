/*
 * sm_funnel_int.h -- between the funnel's reader and its layout (private).
 *
 * Ownership: sm_funnel_read() fills a struct sm_funnel_data the caller
 * releases with sm_funnel_data_release(); titles, labels and the measure
 * are borrowed from the results, group names are owned.
 */
#ifndef SM_FUNNEL_INT_H
#define SM_FUNNEL_INT_H

#include "sm_axis.h"
#include "sm_funnel.h"

#include <stddef.h>

/* Points are coloured and shaped by group: colours x shapes stay distinct. */
#define SM_FUNNEL_MAX_GROUPS 8

struct sm_funnel_point {
	double yi, se, n;   /* as in the results (analysis scale); n NAN when unknown */
	double x, y;        /* where it is drawn (pt) */
	int filled;         /* imputed by trim and fill */
	int outlier;
	int group;          /* index into the data's groups, or -1 */
	int ref;            /* index in the analysis' studies (trimfill.filled when filled) */
	const char *label;  /* borrowed, or NULL */
};

/* What a panel presents of its analysis (README "Small-study effects"):
 * the funnel itself from SM_FUNNEL_MIN_K studies on; Egger, Begg and trim
 * and fill only when the results do not flag k as below their minimum. */
struct sm_funnel_panel {
	const char *title;  /* the analysis' name (borrowed) */
	const struct sm_res_analysis *a; /* borrowed */
	int k;
	double est, egger_p, begg_p, egger_limit, egger_slope;
	int k0;
	int drawn;          /* k >= SM_FUNNEL_MIN_K: points, axes and region */
	int tested;         /* the small-study results are presented */
	double min_k;       /* the results' small_study.min_k (NAN when absent) */
	int adjusted;       /* trim and fill shown with k0 > 0: the adjusted line,
			     * and the region centred on it (as metafor) */
	double centre;      /* where the pseudo-confidence region is centred */
	struct sm_box plot; /* the plotting area */
	struct sm_axis xa;  /* x: display scale (ratios for log axes) */
	struct sm_axis ya;  /* y: x0/x1 here are the page y of lo and hi */
	struct sm_funnel_point *pts;
	size_t npts;
};

struct sm_funnel_data {
	enum sm_funnel_y ymode;
	int log;            /* ratio measure on a log axis */
	const char *measure; /* of the first panel's analysis */
	struct sm_funnel_panel *panels;
	int npanels;
	char **groups;      /* distinct values of the --group-by field */
	int ngroups;
};

/* The panels (titles, numbers, points without positions). */
sm_status sm_funnel_read(struct sm_ctx *ctx, const struct sm_res *res,
			 const struct sm_funnel_options *opts, struct sm_funnel_data *l);
void sm_funnel_data_release(struct sm_funnel_data *l);

/* The choices of --y, in the order of enum sm_funnel_y. */
extern const char *const sm_funnel_y_choices[];

/* Lay the funnel(s) out: *out is a finished figure on success.  per_page
 * > 0: small multiples continue on new pages of that many panels (a
 * report); 0: all on one page (a file). */
sm_status sm_funnel_lay(struct sm_ctx *ctx, const struct sm_res *res,
			const struct sm_funnel_options *opts, int per_page, struct sm_fig **out);

#endif
