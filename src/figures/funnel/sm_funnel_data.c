/* The numbers of a funnel plot, read from the typed results as they are:
 * per-study yi/vi (analysis scale), the pooled estimate, Egger, Begg and
 * trim and fill, outlier flags and the field points are grouped by. */
#include "sm_funnel_int.h"

#include "sm_buf.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The study fields --group-by may name (sm_funnel.h). */
enum field { F_GROUP, F_EVENT, F_STUDY_ID, F_LABEL, F_YEAR };
static const char *const fields[] = { "group", "event", "study_id", "label", "year", NULL };

void sm_funnel_data_release(struct sm_funnel_data *l)
{
	for (int i = 0; i < l->npanels; i++)
		free(l->panels[i].pts);
	free(l->panels);
	for (int i = 0; i < l->ngroups; i++)
		free(l->groups[i]);
	free(l->groups);
	memset(l, 0, sizeof *l);
}

static sm_status field_of(struct sm_ctx *ctx, const char *name, enum field *f)
{
	for (int i = 0; fields[i]; i++)
		if (!strcmp(fields[i], name)) {
			*f = (enum field)i;
			return SM_OK;
		}
	return SM_FAIL(ctx, SM_EINPUT, "cannot group the funnel by '%s': the studies have no "
		       "such field; expected group, event, study_id, label or year", name);
}

/* The group value of a study as text ("not stated" when absent). */
static void group_text(const struct sm_res_study *s, enum field f, char *out, size_t size)
{
	const char *v = f == F_GROUP ? s->group : f == F_EVENT ? s->event
			: f == F_STUDY_ID ? s->study_id : f == F_LABEL ? s->label : NULL;
	if (v)
		snprintf(out, size, "%s", v);
	else if (f == F_YEAR && isfinite(s->year))
		snprintf(out, size, "%g", s->year);
	else
		snprintf(out, size, "not stated");
}

static sm_status group_of(struct sm_ctx *ctx, struct sm_funnel_data *l,
			  const struct sm_res_study *study, enum field f, int *out)
{
	char text[512];
	group_text(study, f, text, sizeof text);
	for (int i = 0; i < l->ngroups; i++)
		if (!strcmp(l->groups[i], text)) {
			*out = i;
			return SM_OK;
		}
	if (l->ngroups >= SM_FUNNEL_MAX_GROUPS)
		return SM_FAIL(ctx, SM_EINPUT, "more than %d values of '%s' to colour by; "
			       "expected a field with fewer distinct values", SM_FUNNEL_MAX_GROUPS,
			       fields[f]);
	char **g = sm_realloc_array(l->groups, (size_t)l->ngroups + 1, sizeof *g);
	if (!g)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	l->groups = g;
	if (!(g[l->ngroups] = strdup(text)))
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	*out = l->ngroups++;
	return SM_OK;
}

static sm_status add_point(struct sm_ctx *ctx, struct sm_funnel_panel *p,
			   struct sm_funnel_point pt)
{
	struct sm_funnel_point *a = sm_realloc_array(p->pts, p->npts + 1, sizeof *a);
	if (!a)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	p->pts = a;
	p->pts[p->npts++] = pt;
	return SM_OK;
}

/* The study's size for a y axis of sample sizes: ni, else n1i + n2i (the
 * results hold no total of a two-arm study; see the port's report). */
static double study_n(const struct sm_res_study *s)
{
	return isfinite(s->ni) ? s->ni : s->n1i + s->n2i;
}

static sm_status read_studies(struct sm_ctx *ctx, struct sm_funnel_data *l,
			      struct sm_funnel_panel *p, const struct sm_res_analysis *a,
			      const enum field *group)
{
	for (size_t i = 0; i < a->studies.n; i++) {
		const struct sm_res_study *s = &a->studies.v[i];
		if (!isfinite(s->yi) || !(s->vi > 0))
			continue; /* not estimable: not in the funnel */
		struct sm_funnel_point pt = { .yi = s->yi, .se = sqrt(s->vi), .n = study_n(s),
					      .group = -1, .ref = (int)i, .label = s->label };
		pt.outlier = s->outlier == 1;
		if (group && group_of(ctx, l, s, *group, &pt.group) != SM_OK)
			return SM_EINPUT;
		if (add_point(ctx, p, pt) != SM_OK)
			return SM_EINTERNAL;
		p->k++;
	}
	return SM_OK;
}

static sm_status read_filled(struct sm_ctx *ctx, struct sm_funnel_panel *p,
			     const struct sm_res_trimfill *tf)
{
	for (size_t i = 0; i < tf->filled.n; i++) {
		const struct sm_res_filled *s = &tf->filled.v[i];
		if (!isfinite(s->yi) || !(s->vi > 0))
			continue;
		struct sm_funnel_point pt = { .yi = s->yi, .se = sqrt(s->vi), .n = NAN, .filled = 1,
					      .group = -1, .ref = (int)i };
		if (add_point(ctx, p, pt) != SM_OK)
			return SM_EINTERNAL;
	}
	return SM_OK;
}

static sm_status read_panel(struct sm_ctx *ctx, struct sm_funnel_data *l,
			    struct sm_funnel_panel *p, const struct sm_res_analysis *a,
			    const struct sm_funnel_options *opts, const enum field *group)
{
	p->title = a->name ? a->name : "";
	p->a = a;
	p->est = a->estimate;
	p->egger_p = a->egger.p;
	p->egger_limit = a->egger.limit;
	p->egger_slope = a->egger.slope;
	p->begg_p = a->begg.p;
	/* a results value: range-checked before the cast (1e300 would be
	 * undefined behaviour); more filled studies than an int holds is none */
	p->k0 = a->trimfill.k0 >= 0 && a->trimfill.k0 <= INT_MAX ? (int)a->trimfill.k0 : 0;
	p->min_k = a->small_study.present ? a->small_study.min_k : NAN;
	sm_status s = read_studies(ctx, l, p, a, group);
	p->drawn = p->k >= SM_FUNNEL_MIN_K;
	/* a document without the flag (an older one) presents the tests */
	p->tested = p->drawn && a->small_study.below_min_k != 1;
	p->adjusted = p->tested && opts->trimfill && p->k0 > 0 && isfinite(a->trimfill.estimate);
	p->centre = p->adjusted ? a->trimfill.estimate : p->est;
	if (!p->drawn)
		p->npts = 0; /* nothing to place, and nothing stretches the shared axes */
	if (s == SM_OK && p->tested && opts->trimfill)
		s = read_filled(ctx, p, &a->trimfill);
	return s;
}

/* Drawn on a log axis labelled with ratios: what the analysis shows
 * exponentiated. */
static int is_ratio(const struct sm_res_analysis *a)
{
	return a->transformed.function && !strcmp(a->transformed.function, "exp");
}

sm_status sm_funnel_read(struct sm_ctx *ctx, const struct sm_res *res,
			 const struct sm_funnel_options *opts, struct sm_funnel_data *l)
{
	const char *name = opts->common.analysis;
	enum field group;
	if (opts->group_by && field_of(ctx, opts->group_by, &group) != SM_OK)
		return SM_EINPUT;
	size_t n = res->analyses.n;
	if (n == 0)
		return SM_FAIL(ctx, SM_EINPUT, "the results hold no analysis; expected a results "
			       "file of a review with outcome data");
	const struct sm_res_analysis *only = sm_res_analysis_named(res, name);
	if (!only && n == 1 && (!name || !strcmp(name, "all")))
		only = &res->analyses.v[0];
	if (!only && name && strcmp(name, "all"))
		return SM_FAIL(ctx, SM_EINPUT, "no analysis named '%s' in the results; expected "
			       "one of the analyses' names or 'all'", name);
	l->npanels = only ? 1 : (int)n;
	if (!(l->panels = sm_alloc_array((size_t)l->npanels, sizeof *l->panels)))
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	const struct sm_res_analysis *first = only ? only : &res->analyses.v[0];
	l->log = is_ratio(first);
	l->measure = first->measure;
	l->ymode = (enum sm_funnel_y)opts->y;
	int i = 0;
	for (size_t j = 0; j < n; j++) {
		const struct sm_res_analysis *a = &res->analyses.v[j];
		if (only && a != only)
			continue;
		if (is_ratio(a) != l->log)
			return SM_FAIL(ctx, SM_EINPUT, "analyses mix ratio and other measures; "
				       "expected one kind of measure for a page of funnels");
		sm_status s = read_panel(ctx, l, &l->panels[i++], a, opts,
					 opts->group_by ? &group : NULL);
		if (s != SM_OK)
			return s;
	}
	return SM_OK;
}
