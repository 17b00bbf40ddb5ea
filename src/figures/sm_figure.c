/* sm_figure.c -- what every figure kind shares: the common options, option
 * values by name, the render driver and bundle plans (sm_figure.h).  The
 * table of kinds is sm_figure_kinds.c. */
#include "sm_figure.h"

#include "sm_strmap.h"

#include "sm_atomic.h"
#include "sm_buf.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define COMMON(m) offsetof(struct sm_figure_common, m)

static const struct sm_fopt common_opts[] = {
	{ "analysis", SM_FOPT_STRING, COMMON(analysis), "NAME",
	  "one analysis; 'all' or 'summary' where the figure has them", NULL, 0, 0 },
	{ "style", SM_FOPT_STRING, COMMON(style), "NAME",
	  "a style in templates/ (default) or a .json path", NULL, 0, 0 },
	{ "width", SM_FOPT_STRING, COMMON(width), "W",
	  "single | onehalf | double | e.g. 150mm, 6in", NULL, 0, 0 },
	{ "dpi", SM_FOPT_NUMBER, COMMON(dpi), "N", "PNG resolution (default 300)", NULL, 36, 2400 },
	{ "title", SM_FOPT_STRING, COMMON(title), "TEXT", "figure title ('' for none)", NULL, 0, 0 },
};

const struct sm_fopt *sm_figure_common_opts(size_t *n)
{
	*n = sizeof common_opts / sizeof common_opts[0];
	return common_opts;
}

const struct sm_fopt *sm_figure_opt(const struct sm_figure_kind *kind, const char *name)
{
	for (size_t i = 0; i < kind->nopts; i++)
		if (!strcmp(kind->opts[i].name, name))
			return &kind->opts[i];
	size_t n;
	const struct sm_fopt *c = sm_figure_common_opts(&n);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(c[i].name, name))
			return &c[i];
	return NULL;
}

void *sm_figure_opts_new(struct sm_ctx *ctx, const struct sm_figure_kind *kind)
{
	void *o = calloc(1, kind->opts_size);
	if (!o) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	kind->opts_init(o);
	return o;
}

void sm_figure_opts_free(void *opts)
{
	free(opts);
}

/* A plain decimal number: digits, one point, an optional sign; nothing
 * after it. */
static int parse_number(const char *text, double *out)
{
	if (!text || !*text)
		return -1;
	char *end = NULL;
	errno = 0;
	double v = strtod(text, &end);
	if (errno || *end || !isfinite(v) || strpbrk(text, "xXpPeEnNiI"))
		return -1;
	*out = v;
	return 0;
}

static sm_status bad_choice(struct sm_ctx *ctx, const struct sm_fopt *opt, const char *value)
{
	struct sm_buf b;
	sm_buf_init(&b);
	for (const char *const *c = opt->choices; *c; c++)
		sm_buf_printf(&b, "%s%s", c == opt->choices ? "" : c[1] ? ", " : " or ", *c);
	sm_status s = SM_FAIL(ctx, SM_EINPUT, "option '--%s': '%s' is unknown; expected %s",
			      opt->name, value, b.data ? b.data : "?");
	sm_buf_release(&b);
	return s;
}

sm_status sm_figure_opts_set(struct sm_ctx *ctx, const struct sm_figure_kind *kind, void *opts,
			     const struct sm_fopt *opt, const char *value)
{
	(void)kind;
	char *m = (char *)opts + opt->offset;
	switch (opt->type) {
	case SM_FOPT_STRING:
		if (!value)
			return SM_FAIL(ctx, SM_EINPUT, "option '--%s' needs a value", opt->name);
		*(const char **)m = value;
		return SM_OK;
	case SM_FOPT_FLAG:
	case SM_FOPT_UNFLAG:
		*(int *)m = opt->type == SM_FOPT_FLAG;
		return SM_OK;
	case SM_FOPT_NUMBER: {
		double v;
		if (parse_number(value, &v) != 0 || v < opt->min || v > opt->max)
			return SM_FAIL(ctx, SM_EINPUT, "option '--%s': expected a number from %g to "
				       "%g, got '%s'", opt->name, opt->min, opt->max,
				       value ? value : "");
		*(double *)m = v;
		return SM_OK;
	}
	case SM_FOPT_CHOICE:
		for (int i = 0; value && opt->choices[i]; i++)
			if (!strcmp(opt->choices[i], value)) {
				*(int *)m = i;
				return SM_OK;
			}
		return bad_choice(ctx, opt, value ? value : "");
	}
	return SM_FAIL(ctx, SM_EINTERNAL, "option '--%s' has an unknown type", opt->name);
}

sm_status sm_figure_render(struct sm_ctx *ctx, const struct sm_figure_kind *kind,
			   const struct sm_res *res, const void *opts, const char *path)
{
	struct sm_figure_env env = { 0 };
	sm_status s = sm_canvas_format_of(ctx, path, &env.format);
	if (s != SM_OK)
		return s;
	struct sm_fig *fig = NULL;
	s = kind->layout(ctx, res, opts, &env, &fig);
	if (s == SM_OK)
		s = sm_fig_write(ctx, fig, path, sm_figure_common_of(opts)->dpi);
	sm_fig_free(fig);
	return s;
}

/* "-<safe name>" of an analysis, not among the suffixes `taken` so far:
 * two names may map to one safe name, and a numbered suffix tells them
 * apart ("-a", then "-a-2", "-a-2-3", ...). */
static char *suffix_in(const char *name, const struct sm_strmap *taken)
{
	char *safe = sm_safe_filename(name, 60);
	char *base = safe ? sm_asprintf("-%s", safe) : NULL;
	free(safe);
	for (int suffix = 2; base && sm_strmap_get(taken, base, NULL); suffix++) {
		char *stem = sm_asprintf("%s-%d", base, suffix);
		free(base);
		base = stem;
	}
	return base;
}

sm_status sm_figure_plan_per_analysis(struct sm_ctx *ctx, const struct sm_res *res,
				      struct sm_figure_plan *plan,
				      const struct sm_figure_kind *kind,
				      sm_figure_wants_fn wants, const void *arg)
{
	size_t n = res->analyses.n, n_used = 0;
	char **used = sm_alloc_array(n + 1, sizeof *used);
	struct sm_strmap *taken = sm_strmap_new();
	sm_status s = used && taken ? SM_OK : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	for (size_t i = 0; i < n && s == SM_OK; i++) {
		const struct sm_res_analysis *a = &res->analyses.v[i];
		if (!a->name)
			continue;
		/* every named analysis takes its suffix, wanted or not, so
		 * that it has the same one in every kind */
		char *base = suffix_in(a->name, taken);
		if (!base || sm_strmap_put(taken, base, n_used, NULL) < 0) {
			free(base);
			s = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
			break;
		}
		used[n_used++] = base;
		if (wants && !wants(a, arg))
			continue;
		char *file = sm_asprintf("%s%s", kind->name, base);
		s = file ? sm_figure_plan_add(ctx, plan, kind, file, a->name)
			 : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		free(file);
	}
	for (size_t i = 0; i < n_used; i++)
		free(used[i]);
	free(used);
	sm_strmap_free(taken);
	return s;
}

sm_status sm_figure_plan_add(struct sm_ctx *ctx, struct sm_figure_plan *plan,
			     const struct sm_figure_kind *kind, const char *base, const char *arg)
{
	if (plan->n == plan->cap) {
		size_t cap = plan->cap ? 2 * plan->cap : 16;
		struct sm_figure_job *j = sm_realloc_array(plan->jobs, cap, sizeof *j);
		if (!j)
			return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		plan->jobs = j;
		plan->cap = cap;
	}
	struct sm_figure_job *j = &plan->jobs[plan->n];
	*j = (struct sm_figure_job){ kind, strdup(base), arg ? strdup(arg) : NULL };
	if (!j->base || (arg && !j->arg)) {
		free(j->base);
		free(j->arg);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	plan->n++;
	return SM_OK;
}

void sm_figure_plan_release(struct sm_figure_plan *plan)
{
	for (size_t i = 0; i < plan->n; i++) {
		free(plan->jobs[i].base);
		free(plan->jobs[i].arg);
	}
	free(plan->jobs);
	memset(plan, 0, sizeof *plan);
}

int sm_figure_plans(struct sm_ctx *ctx, const struct sm_figure_kind *kind,
		    const struct sm_res *res, const char *name)
{
	if (!kind->plan)
		return 1;
	struct sm_figure_plan plan = { 0 };
	if (kind->plan(ctx, res, &plan) != SM_OK) {
		sm_figure_plan_release(&plan);
		return -1;
	}
	int found = 0;
	for (size_t i = 0; i < plan.n && !found; i++)
		found = plan.jobs[i].kind == kind && plan.jobs[i].arg && name &&
			!strcmp(plan.jobs[i].arg, name);
	sm_figure_plan_release(&plan);
	return found;
}
