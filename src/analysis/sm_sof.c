/* The summary of findings block (sm_sof.h). */
#include "sm_sof.h"

#include "sm_domain_table.h"
#include "sm_json_out.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The five domains: the review's keys and GRADEpro's names. */
static const char *const domain_key[] = { "risk_of_bias", "inconsistency", "indirectness",
					  "imprecision", "publication_bias" };
static const char *const domain_name[] = { "risk of bias", "inconsistency", "indirectness",
					   "imprecision", "publication bias" };
#define NDOMAINS 5
#define MAX_MARKS 26

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *named(const cJSON *arr, const char *key, const char *name)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, arr) {
		const char *n = str(e, key);
		if (n && !strcmp(n, name))
			return e;
	}
	return NULL;
}

/* The footnotes so far: one letter per distinct text. */
struct marks {
	cJSON *list;
	int n;
};

/* The mark of `text` ("a", "b", ... "z", then "aa"...), added when new. */
static const char *mark_of(struct marks *m, const char *text)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, m->list) {
		if (!strcmp(str(e, "text"), text))
			return str(e, "mark");
	}
	char mark[8];
	if (m->n < MAX_MARKS)
		snprintf(mark, sizeof mark, "%c", 'a' + m->n);
	else
		snprintf(mark, sizeof mark, "%c%c", 'a' + m->n / MAX_MARKS - 1, 'a' + m->n % MAX_MARKS);
	m->n++;
	cJSON *f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "mark", mark);
	cJSON_AddStringToObject(f, "text", text);
	cJSON_AddItemToArray(m->list, f);
	return str(f, "mark");
}

static void add_downgrades(cJSON *row, const cJSON *g, struct marks *m)
{
	cJSON *arr = cJSON_AddArrayToObject(row, "downgrades");
	for (int i = 0; i < NDOMAINS; i++) {
		const cJSON *d = cJSON_GetObjectItemCaseSensitive(g, domain_key[i]);
		const char *rating = d ? str(d, "rating") : "not serious";
		const char *note = d ? str(d, "footnote") : NULL;
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "domain", domain_name[i]);
		cJSON_AddStringToObject(o, "rating", rating);
		sm_json_add_string(o, "footnote", note && *note ? mark_of(m, note) : NULL);
		cJSON_AddItemToArray(arr, o);
	}
}

/* The anticipated absolute effects per 1000 with control risk cr (0..1). */
static void add_absolute(cJSON *row, const char *measure, double cr, const cJSON *dt)
{
	double est = num(dt, "estimate"), lb = num(dt, "ci_lb"), ub = num(dt, "ci_ub");
	double p1 = sm_domain_treated_risk(measure, cr, est);
	double p1_lb = sm_domain_treated_risk(measure, cr, lb);
	double p1_ub = sm_domain_treated_risk(measure, cr, ub);
	int have = !isnan(p1);
	sm_json_add_number(row, "treated_per_1000", have ? 1000 * p1 : NAN);
	sm_json_add_number(row, "treated_ci_lb_per_1000", have ? 1000 * p1_lb : NAN);
	sm_json_add_number(row, "treated_ci_ub_per_1000", have ? 1000 * p1_ub : NAN);
	sm_json_add_number(row, "difference_per_1000", have ? 1000 * (p1 - cr) : NAN);
	sm_json_add_number(row, "difference_ci_lb_per_1000", have ? 1000 * (p1_lb - cr) : NAN);
	sm_json_add_number(row, "difference_ci_ub_per_1000", have ? 1000 * (p1_ub - cr) : NAN);
}

/* Participants: each study once (its largest arms) where the domain
 * table counts so, else the rows' totals. */
static double participants(const cJSON *dt)
{
	double t = num(dt, "n_t_by_study"), c = num(dt, "n_c_by_study");
	if (isnan(t) || isnan(c)) {
		t = num(dt, "n_t");
		c = num(dt, "n_c");
	}
	return t + c;
}

static cJSON *row_json(const cJSON *g, const cJSON *dt, struct marks *m)
{
	cJSON *row = cJSON_CreateObject();
	const char *analysis = str(g, "analysis"), *measure = str(dt, "measure");
	cJSON_AddStringToObject(row, "analysis", analysis);
	cJSON_AddStringToObject(row, "outcome", str(g, "outcome") ? str(g, "outcome") : analysis);
	sm_json_add_string(row, "importance", str(g, "importance"));
	cJSON_AddStringToObject(row, "measure", measure ? measure : "?");
	double k = num(dt, "k_studies");
	sm_json_add_number(row, "studies", isnan(k) ? num(dt, "k") : k);
	sm_json_add_number(row, "participants", participants(dt));
	cJSON_AddStringToObject(row, "certainty", str(g, "certainty"));
	add_downgrades(row, g, m);
	sm_json_add_number(row, "estimate", num(dt, "estimate"));
	sm_json_add_number(row, "ci_lb", num(dt, "ci_lb"));
	sm_json_add_number(row, "ci_ub", num(dt, "ci_ub"));
	double given = num(g, "control_risk_per_1000");
	double cr = isnan(given) ? num(dt, "events_c") / num(dt, "n_c") : given / 1000;
	sm_json_add_number(row, "control_per_1000", isfinite(cr) ? 1000 * cr : NAN);
	cJSON_AddStringToObject(row, "control_source", isnan(given) ? "studies" : "review");
	add_absolute(row, measure, cr, dt);
	return row;
}

cJSON *sm_sof_json(struct sm_ctx *ctx, const struct sm_review *r, const cJSON *results)
{
	if (!r->grade)
		return NULL;
	const cJSON *table = cJSON_GetObjectItemCaseSensitive(results, "domain_table");
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(table, "rows");
	cJSON *o = cJSON_CreateObject();
	struct marks m = { cJSON_CreateArray(), 0 };
	if (!o || !m.list) {
		cJSON_Delete(o);
		cJSON_Delete(m.list);
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	cJSON_AddItemToObject(o, "arm_labels",
			      cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(table, "arm_labels"), 1));
	sm_json_add_number(o, "level", num(table, "level"));
	cJSON *out = cJSON_AddArrayToObject(o, "rows");
	const cJSON *g;
	size_t i = 0;
	cJSON_ArrayForEach(g, r->grade) {
		const cJSON *dt = named(rows, "analysis", str(g, "analysis"));
		if (!dt)
			sm_ctx_warn(ctx, "grade[%zu]: no analysis named \"%s\"; left out of the "
				    "summary of findings", i, str(g, "analysis"));
		else
			cJSON_AddItemToArray(out, row_json(g, dt, &m));
		i++;
	}
	cJSON_AddItemToObject(o, "footnotes", m.list);
	return o;
}
