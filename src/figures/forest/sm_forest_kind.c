/* sm_forest_kind.c -- the forest figure kind (sm_figure.h): its options
 * described once, the layout for a file or a report page, the bundle's
 * forests and their cost. */
#include "sm_forest.h"

#include "sm_atomic.h"
#include "sm_buf.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* A PDF continues on new pages of env->page_height (a report's room for
 * the figure) or, when that is 0 (a file), of the style's page height, as
 * `render forest` always did; SVG and PNG are one page. */
static sm_status layout(struct sm_ctx *ctx, const struct sm_res *res, const void *opts,
			const struct sm_figure_env *env, struct sm_fig **out)
{
	const struct sm_forest_options *o = opts;
	double dpi = o->common.dpi > 0 ? o->common.dpi : 300;
	struct sm_forest_target t = { env->format == SM_CANVAS_PDF, env->page_height,
				      env->format == SM_CANVAS_PNG ? dpi : 0, NULL,
				      env->first_page_height, NULL };
	struct sm_flayout *l = NULL;
	*out = NULL;
	sm_status s = sm_forest_build(ctx, res, o, &t, &l);
	if (s == SM_OK)
		*out = sm_flayout_take_fig(l);
	sm_flayout_free(l);
	return s;
}

/* A PDF file: each page is drawn (on a second thread) while the next is
 * laid out, and freed, so that neither time nor memory hold the whole
 * figure (sm_fig_pipe.h); the file is the one layout() would give. */
static sm_status write_pdf(struct sm_ctx *ctx, const struct sm_res *res, const void *opts,
			   const struct sm_figure_env *env, const char *path)
{
	const struct sm_forest_options *o = opts;
	struct sm_flayout_stream out = { path, 1 };
	struct sm_forest_target t = { 1, env->page_height, 0, NULL, env->first_page_height,
				      &out };
	struct sm_flayout *l = NULL;
	sm_status s = sm_forest_build(ctx, res, o, &t, &l);
	sm_flayout_free(l);
	return s;
}

/* Per analysis forest-<safe name> (the bundle's funnels share the names),
 * and the summary forest when there is more than one analysis. */
static sm_status plan(struct sm_ctx *ctx, const struct sm_res *res, struct sm_figure_plan *plan)
{
	sm_status s = sm_figure_plan_per_analysis(ctx, res, plan, &sm_figure_forest, NULL, NULL);
	if (s == SM_OK && res->analyses.n > 1)
		s = sm_figure_plan_add(ctx, plan, &sm_figure_forest, "forest-summary", "summary");
	return s;
}

/* A forest's cost grows with its rows: the analysis' studies, or one row
 * per analysis (summary and "all" plots). */
static double cost(const struct sm_res *res, const void *opts)
{
	const char *want = sm_figure_common_of(opts)->analysis;
	double rows = (double)res->analyses.n;
	for (size_t i = 0; want && i < res->analyses.n; i++) {
		const struct sm_res_analysis *a = &res->analyses.v[i];
		if (a->name && !isnan(a->k) && !strcmp(a->name, want)) {
			rows = a->k;
			break;
		}
	}
	return 10 + 2 * rows;
}

static const char *const sort_names[] = { "input", "year", "effect", "weight", NULL };
static const char *const scale_names[] = { "ratio", "log", NULL };
static const char *const per_names[] = { "auto", "1", "100", "1000", NULL };

#define OPT(m) offsetof(struct sm_forest_options, m)

static const struct sm_fopt forest_opts[] = {
	{ "sort", SM_FOPT_CHOICE, OPT(sort), "KEY", "input | year | effect | weight",
	  sort_names, 0, 0 },
	{ "columns", SM_FOPT_STRING, OPT(columns), "LIST",
	  "from study,label2,k,events,weight,i2,effect", NULL, 0, 0 },
	{ "summary-only", SM_FOPT_FLAG, OPT(summary_only), NULL,
	  "pooled rows without the studies", NULL, 0, 0 },
	{ "no-method-line", SM_FOPT_UNFLAG, OPT(show_method_line), NULL,
	  "leave out the line stating the methods", NULL, 0, 0 },
	{ "wrap-labels", SM_FOPT_FLAG, OPT(wrap_labels), NULL,
	  "wrap the study and event columns at 30% of the width\n"
	  "(they wrap by themselves when needed to fit)", NULL, 0, 0 },
	{ "rob", SM_FOPT_FLAG, OPT(rob), NULL,
	  "risk-of-bias columns (D1..Dn, Overall) right of the\n"
	  "graph, from the review's risk_of_bias judgements", NULL, 0, 0 },
	{ "xlim", SM_FOPT_STRING, OPT(xlim), "LO,HI",
	  "axis limits on the display scale (e.g. 0.1,10);\n"
	  "intervals beyond them end in arrows", NULL, 0, 0 },
	{ "at", SM_FOPT_STRING, OPT(at), "V1,V2,...",
	  "axis ticks on the display scale (e.g. 0.2,0.5,1,2,5)", NULL, 0, 0 },
	{ "scale", SM_FOPT_CHOICE, OPT(scale), "ratio|log",
	  "ratio measures: the ratio scale (default) or the log\n"
	  "scale (log odds ratios)", scale_names, 0, 0 },
	{ "per", SM_FOPT_CHOICE, OPT(per), "auto|1|100|1000",
	  "proportions: per patient, 100 or 1000 patients\n"
	  "(auto: the analysis' display_per, the unit of the\nwhole bundle)", per_names, 0, 0 },
	{ "overall-test", SM_FOPT_FLAG, OPT(overall_test), NULL,
	  "proportions: also the test for overall effect\n(a test against a proportion of 0)", NULL, 0, 0 },
	{ "wide-labels", SM_FOPT_FLAG, OPT(wide_labels), NULL,
	  "the study and event columns before the graph: they\n"
	  "keep more of the width unwrapped, the graph at least\n"
	  "27%, one weight column (the pooled model's)", NULL, 0, 0 },
	{ "dense", SM_FOPT_FLAG, OPT(dense), NULL,
	  "rows at the style's small size (that of the notes)\n"
	  "rather than its body size: shorter rows", NULL, 0, 0 },
	{ "compact-notes", SM_FOPT_FLAG, OPT(compact_notes), NULL,
	  "shorter notes: heterogeneity and the tests for overall\n"
	  "effect in one note, the unit of analysis in a line", NULL, 0, 0 },
};

const struct sm_figure_kind sm_figure_forest = {
	.name = "forest",
	.summary = "forest plot: one analysis, its subgroups, or one row per analysis",
	.positional = "analysis",
	.paged = 1,
	.opts = forest_opts,
	.nopts = sizeof forest_opts / sizeof forest_opts[0],
	.opts_size = sizeof(struct sm_forest_options),
	.opts_init = sm_forest_options_init,
	.layout = layout,
	.write_pdf = write_pdf,
	.plan = plan,
	.cost = cost,
};
