/*
 * sm_figure.h -- figure kinds as data: one table drives `safemeta render`,
 * the bundle and the report templates.
 *
 * A kind (forest, funnel, prisma, rob, table, ...) is one folder under
 * src/figures/ that exports one struct sm_figure_kind, plus one row of the
 * table in sm_figure.c.  The kind describes its options once (name, type,
 * where they land in its options struct, help text); the CLI builds its
 * getopt table and --help from that description, templates parse
 * `@figure KIND ARG --option value` with it, and library callers set
 * options by name.  Every kind lays out into the same display list
 * (sm_fig.h) from the typed results (sm_res.h): nothing is read from JSON
 * and nothing is computed that the results do not hold.
 *
 * Options structs.  Each kind's options struct begins with a struct
 * sm_figure_common (analysis, style, width, dpi, title), so the common
 * options are described once for all kinds.  String options are borrowed:
 * the strings must outlive the layout.
 *
 * Ownership: the table and its descriptions are static.  sm_figure_opts_new()
 * returns options freed with sm_figure_opts_free().  A layout hands back a
 * figure the caller frees with sm_fig_free().
 */
#ifndef SM_FIGURE_H
#define SM_FIGURE_H

#include "sm_canvas.h"
#include "sm_ctx.h"
#include "sm_fig.h"
#include "sm_res.h"

#include <stddef.h>

/* The options every kind takes (first member of each options struct). */
struct sm_figure_common {
	const char *analysis; /* one analysis, "all" or "summary"; NULL: the kind's default */
	const char *style;    /* template name or .json path; NULL = "default" */
	const char *width;    /* "175mm", "single", ...; NULL = the kind's default */
	double dpi;           /* PNG only; 0 = 300 */
	const char *title;    /* NULL: the kind's default; "": none */
};

enum sm_fopt_type {
	SM_FOPT_STRING, /* const char *, borrowed */
	SM_FOPT_FLAG,   /* int set to 1 by --name */
	SM_FOPT_UNFLAG, /* int set to 0 by --name (a --no-... option) */
	SM_FOPT_NUMBER, /* double, a plain decimal number within [min, max] */
	SM_FOPT_CHOICE  /* int: the index of the value among `choices` */
};

/* One option of a kind. */
struct sm_fopt {
	const char *name;           /* --name on the command line and in templates */
	enum sm_fopt_type type;
	size_t offset;              /* in the kind's options struct */
	const char *arg;            /* its value in --help ("NAME"); NULL for flags */
	const char *help;           /* one line (may hold \n for continuation lines) */
	const char *const *choices; /* SM_FOPT_CHOICE: NULL-terminated */
	double min, max;            /* SM_FOPT_NUMBER */
};

/* What a layout is laid out for, besides its options. */
struct sm_figure_env {
	enum sm_canvas_format format; /* the file it goes to (PDF for a report page) */
	double page_height;           /* > 0: continue on new pages at this height (pt) */
	double max_width;             /* > 0: a report's content width (pt) */
	/* > 0 (paged kinds): the first page has only this much (pt), since it
	 * starts part way down a report page; the rest have page_height. */
	double first_page_height;
};

/* One figure a bundle draws: figures/BASE.{pdf,svg,png}. */
struct sm_figure_job {
	const struct sm_figure_kind *kind;
	char *base;       /* file name without extension (owned) */
	char *arg;        /* the value of the kind's positional option, or NULL (owned) */
};

struct sm_figure_plan {
	struct sm_figure_job *jobs;
	size_t n, cap;
};

struct sm_figure_kind {
	const char *name;          /* "forest" */
	const char *summary;       /* what it draws, one line */
	/* The option a bare argument sets (`@figure forest NAME`: "analysis";
	 * `@figure rob traffic`: "plot"), or NULL. */
	const char *positional;
	/* 1: a long figure continues on new pages (forest, table): a report
	 * gives it the room below its heading on every page; 0: one page,
	 * laid out the same whatever env->format says, so that a bundle draws
	 * the figure's PDF, SVG and PNG from one layout (sm_bundle.c). */
	int paged;
	const struct sm_fopt *opts;
	size_t nopts;
	size_t opts_size;          /* of its options struct */
	/* Defaults (the common part too); opts points to opts_size bytes. */
	void (*opts_init)(void *opts);
	/* Lay the figure out; *out is a finished figure on success. */
	sm_status (*layout)(struct sm_ctx *ctx, const struct sm_res *res, const void *opts,
			    const struct sm_figure_env *env, struct sm_fig **out);
	/* Lay out and write a PDF at once, as `layout` and sm_fig_write_with()
	 * would (the same bytes), for kinds whose long figures draw each page
	 * while they lay out the next; NULL: the kind has no such path. */
	sm_status (*write_pdf)(struct sm_ctx *ctx, const struct sm_res *res, const void *opts,
			       const struct sm_figure_env *env, const char *path);
	/* The figures of this kind a bundle of `res` holds (may add none);
	 * NULL: the kind has no bundle figure. */
	sm_status (*plan)(struct sm_ctx *ctx, const struct sm_res *res,
			  struct sm_figure_plan *plan);
	/* Rough drawing cost of one figure (ms of CPU as a 300-dpi PNG), so
	 * that a bundle starts its longest figures first. */
	double (*cost)(const struct sm_res *res, const void *opts);
};

/* The table: every kind, in the order of `render --help`. */
const struct sm_figure_kind *const *sm_figure_kinds(size_t *n);
/* The kind of that name, or NULL. */
const struct sm_figure_kind *sm_figure_kind_named(const char *name);
/* "forest, funnel, prisma, rob or table" (the table's names), for messages. */
void sm_figure_kind_list(char *buf, size_t size);

/* The common options, described once. */
const struct sm_fopt *sm_figure_common_opts(size_t *n);
/* The option `name` of a kind (common ones included), or NULL. */
const struct sm_fopt *sm_figure_opt(const struct sm_figure_kind *kind, const char *name);

/* A kind's options with its defaults; NULL on out of memory. */
void *sm_figure_opts_new(struct sm_ctx *ctx, const struct sm_figure_kind *kind);
void sm_figure_opts_free(void *opts);
/* Set option `name` (value NULL for a flag; the string is borrowed).
 * SM_EINPUT names the option and what was expected. */
sm_status sm_figure_opts_set(struct sm_ctx *ctx, const struct sm_figure_kind *kind, void *opts,
			     const struct sm_fopt *opt, const char *value);

/* Lay out and write a figure to `path` (format from its extension). */
sm_status sm_figure_render(struct sm_ctx *ctx, const struct sm_figure_kind *kind,
			   const struct sm_res *res, const void *opts, const char *path);

/* Adding to a plan (for the kinds' plan functions): a job with copies of
 * the strings. */
sm_status sm_figure_plan_add(struct sm_ctx *ctx, struct sm_figure_plan *plan,
			     const struct sm_figure_kind *kind, const char *base, const char *arg);
void sm_figure_plan_release(struct sm_figure_plan *plan);
/* Whether analysis `a` has a figure of a kind (arg: the kind's own). */
typedef int (*sm_figure_wants_fn)(const struct sm_res_analysis *a, const void *arg);
/* For the kinds that plan one figure per analysis: KIND-<suffix> for every
 * named analysis `wants` (every one when wants is NULL), the suffixes made
 * unique over all named analyses in order, so that an analysis has the
 * same suffix in every kind (forest-X, funnel-X, leave1out-X, ...). */
sm_status sm_figure_plan_per_analysis(struct sm_ctx *ctx, const struct sm_res *res,
				      struct sm_figure_plan *plan,
				      const struct sm_figure_kind *kind,
				      sm_figure_wants_fn wants, const void *arg);

/* Whether a kind draws analysis `name` in a bundle (its plan has the
 * figure): 1 yes (also for a kind without a plan), 0 no (nothing of it to
 * draw: too few studies, diagnostics not computed), -1 out of memory. */
int sm_figure_plans(struct sm_ctx *ctx, const struct sm_figure_kind *kind,
		    const struct sm_res *res, const char *name);

/* The common part of any kind's options. */
static inline const struct sm_figure_common *sm_figure_common_of(const void *opts)
{
	return (const struct sm_figure_common *)opts;
}

#endif
