/* The numbers of a funnel plot, read from the results document as they are:
 * per-study yi/vi, the pooled estimate, Egger, Begg and trim and fill. */
#include "sm_funnel_int.h"

#include "sm_buf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *keep(struct sm_funnel_layout *l, const char *s)
{
	char **a = sm_realloc_array(l->strings, l->nstrings + 1, sizeof *a);
	if (!a)
		return NULL;
	l->strings = a;
	return (a[l->nstrings++] = strdup(s));
}

/* The group value of a study as text ("" when absent). */
static void group_text(const cJSON *study, const char *field, char *out, size_t size)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(study, field);
	if (cJSON_IsString(v))
		snprintf(out, size, "%s", v->valuestring);
	else if (cJSON_IsNumber(v))
		snprintf(out, size, "%g", v->valuedouble);
	else
		snprintf(out, size, "not stated");
}

static sm_status group_of(struct sm_ctx *ctx, struct sm_funnel_layout *l, const cJSON *study,
			  const char *field, int *out)
{
	char text[512];
	group_text(study, field, text, sizeof text);
	for (int i = 0; i < l->ngroups; i++)
		if (!strcmp(l->groups[i], text)) {
			*out = i;
			return SM_OK;
		}
	if (l->ngroups >= SM_FUNNEL_MAX_GROUPS)
		return SM_FAIL(ctx, SM_EINPUT, "more than %d values of '%s' to colour by; "
			       "expected a field with fewer distinct values", SM_FUNNEL_MAX_GROUPS,
			       field);
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

static sm_status read_studies(struct sm_ctx *ctx, struct sm_funnel_layout *l,
			      struct sm_funnel_panel *p, const cJSON *a,
			      const struct sm_funnel_opts *opts)
{
	const cJSON *s;
	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(a, "studies")) {
		double yi = sm_fig_num(s, "yi"), vi = sm_fig_num(s, "vi");
		if (!isfinite(yi) || !(vi > 0))
			continue; /* not estimable: not in the funnel */
		double n = sm_fig_num(s, "ni");
		if (!isfinite(n))
			n = sm_fig_num(s, "n1i") + sm_fig_num(s, "n2i");
		struct sm_funnel_point pt = { .yi = yi, .se = sqrt(vi), .n = n, .group = -1 };
		pt.outlier = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "outlier"));
		const char *label = sm_fig_str(s, "label");
		if (label && !(pt.label = keep(l, label)))
			return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		if (opts->group_by && group_of(ctx, l, s, opts->group_by, &pt.group) != SM_OK)
			return SM_EINPUT;
		if (add_point(ctx, p, pt) != SM_OK)
			return SM_EINTERNAL;
		p->k++;
	}
	return SM_OK;
}

static sm_status read_filled(struct sm_ctx *ctx, struct sm_funnel_panel *p, const cJSON *a)
{
	const cJSON *tf = cJSON_GetObjectItemCaseSensitive(a, "trimfill");
	double k0 = sm_fig_num(tf, "k0");
	p->k0 = isfinite(k0) ? (int)k0 : 0;
	const cJSON *s;
	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(tf, "filled")) {
		double yi = sm_fig_num(s, "yi"), vi = sm_fig_num(s, "vi");
		if (!isfinite(yi) || !(vi > 0))
			continue;
		struct sm_funnel_point pt = { .yi = yi, .se = sqrt(vi), .n = NAN, .filled = 1,
					      .group = -1 };
		if (add_point(ctx, p, pt) != SM_OK)
			return SM_EINTERNAL;
	}
	return SM_OK;
}

static sm_status read_panel(struct sm_ctx *ctx, struct sm_funnel_layout *l,
			    struct sm_funnel_panel *p, const cJSON *a,
			    const struct sm_funnel_opts *opts)
{
	const char *name = sm_fig_str(a, "name");
	if (!(p->title = strdup(name ? name : "")))
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	p->est = sm_fig_num(a, "estimate");
	const cJSON *eg = cJSON_GetObjectItemCaseSensitive(a, "egger");
	p->egger_p = sm_fig_num(eg, "p");
	p->egger_limit = sm_fig_num(eg, "limit");
	p->egger_slope = sm_fig_num(eg, "slope");
	p->begg_p = sm_fig_num(cJSON_GetObjectItemCaseSensitive(a, "begg"), "p");
	sm_status s = read_studies(ctx, l, p, a, opts);
	if (s == SM_OK && opts->trimfill)
		s = read_filled(ctx, p, a);
	return s;
}

static int is_ratio(const cJSON *a)
{
	const char *fn = sm_fig_str(cJSON_GetObjectItemCaseSensitive(a, "transformed"),
				    "function");
	return fn && !strcmp(fn, "exp");
}

const char *sm_funnel_measure(const cJSON *results)
{
	const cJSON *a = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(results,
									  "analyses"), 0);
	return sm_fig_str(a, "measure");
}

sm_status sm_funnel_read(struct sm_ctx *ctx, const cJSON *results,
			 const struct sm_funnel_opts *opts, struct sm_funnel_layout *l)
{
	const cJSON *all = cJSON_GetObjectItemCaseSensitive(results, "analyses");
	int n = cJSON_GetArraySize(all);
	if (!cJSON_IsArray(all) || n == 0)
		return SM_FAIL(ctx, SM_EINPUT, "the results hold no analysis; expected a results "
			       "file of a review with outcome data");
	const cJSON *a, *only = NULL;
	if (opts->analysis)
		cJSON_ArrayForEach(a, all)
			if (sm_fig_str(a, "name") && !strcmp(sm_fig_str(a, "name"), opts->analysis))
				only = a;
	if (!only && n == 1 && (!opts->analysis || !strcmp(opts->analysis, "all")))
		only = cJSON_GetArrayItem(all, 0);
	if (!only && opts->analysis && strcmp(opts->analysis, "all"))
		return SM_FAIL(ctx, SM_EINPUT, "no analysis named '%s' in the results; expected "
			       "one of the analyses' names or 'all'", opts->analysis);
	l->npanels = only ? 1 : n;
	if (!(l->panels = sm_alloc_array((size_t)l->npanels, sizeof *l->panels)))
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	l->log = is_ratio(only ? only : cJSON_GetArrayItem(all, 0));
	int i = 0;
	cJSON_ArrayForEach(a, all) {
		if (only && a != only)
			continue;
		if (is_ratio(a) != l->log)
			return SM_FAIL(ctx, SM_EINPUT, "analyses mix ratio and other measures; "
				       "expected one kind of measure for a page of funnels");
		sm_status s = read_panel(ctx, l, &l->panels[i++], a, opts);
		if (s != SM_OK)
			return s;
	}
	return SM_OK;
}
