/* sm_figure_plan_add() and sm_figure_plan_release() (sm_figure.h) for the
 * figure tests, which link one kind and not the figure table: the kinds'
 * plan() functions add to a plan with them.
 * transitional: removed when src/figures/sm_figure.c (which defines them)
 * is on the branch; the figure tests then link it. */
#include "sm_figure.h"

#include "sm_buf.h"

#include <stdlib.h>
#include <string.h>

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
