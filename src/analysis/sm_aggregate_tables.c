#include "sm_aggregate_tables.h"

#include "sm_buf.h"
#include "sm_exact2x2.h"
#include "sm_json_out.h"
#include "sm_stats.h"

#include <math.h>
#include <stdlib.h>

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

static char *statement(double a, double n1, double c, double n2, const struct sm_fisher *f,
		       double rd, double lb, double ub, double upper, double level,
		       const char *arm1)
{
	struct sm_buf b;
	sm_buf_init(&b);
	sm_buf_printf(&b, "%.0f of %.0f (%.3g per 1000) with %s against %.0f of %.0f (%.3g per "
		      "1000) in controls: Fisher's exact P = %.3g; ", a, n1, 1000 * a / n1, arm1,
		      c, n2, 1000 * c / n2, f->p);
	if (isfinite(f->estimate) && isfinite(f->ci_ub))
		sm_buf_printf(&b, "odds ratio %.3g [%.3g, %.3g] (conditional maximum likelihood, "
			      "exact %g%% interval); ", f->estimate, f->ci_lb, f->ci_ub, level);
	else
		sm_buf_printf(&b, "the odds ratio has no finite estimate or bound; ");
	sm_buf_printf(&b, "risk difference %.3g per 1000 [%.3g, %.3g] (Miettinen-Nurminen); "
		      "the counts exclude an excess risk above %.3g per 1000 (one-sided %g%%).",
		      rd, lb, ub, upper, level);
	return sm_buf_take(&b);
}

static cJSON *one_table(struct sm_ctx *ctx, const cJSON *t, double level, const char *arm1)
{
	double a = num(t, "events_t"), n1 = num(t, "n_t"), c = num(t, "events_c"), n2 = num(t, "n_c");
	struct sm_fisher f;
	double lb, ub, lo1, up1;
	if (sm_fisher_exact(ctx, a, n1, c, n2, level, &f) != SM_OK ||
	    sm_mn_interval(ctx, a, n1, c, n2, sm_qnorm_upper((1 - level / 100) / 2), &lb, &ub) !=
		    SM_OK ||
	    sm_mn_interval(ctx, a, n1, c, n2, sm_qnorm_upper(1 - level / 100), &lo1, &up1) != SM_OK)
		return NULL;
	double rd = a / n1 - c / n2;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "id", str(t, "id"));
	cJSON_AddStringToObject(o, "name", str(t, "name"));
	sm_json_add_number(o, "events_t", a);
	sm_json_add_number(o, "n_t", n1);
	sm_json_add_number(o, "events_c", c);
	sm_json_add_number(o, "n_c", n2);
	sm_json_add_string(o, "note", str(t, "note"));
	sm_json_add_number(o, "risk_t_per_1000", 1000 * a / n1);
	sm_json_add_number(o, "risk_c_per_1000", 1000 * c / n2);
	sm_json_add_number(o, "level", level);
	sm_json_add_number(o, "fisher_p", f.p);
	sm_json_add_number(o, "or_estimate", f.estimate);
	sm_json_add_number(o, "or_ci_lb", f.ci_lb);
	sm_json_add_number(o, "or_ci_ub", f.ci_ub);
	cJSON_AddStringToObject(o, "or_method",
				"Fisher's exact test (two-sided) with the conditional maximum-"
				"likelihood odds ratio and its exact interval, as R's fisher.test");
	sm_json_add_number(o, "rd_per_1000", 1000 * rd);
	sm_json_add_number(o, "rd_ci_lb_per_1000", 1000 * lb);
	sm_json_add_number(o, "rd_ci_ub_per_1000", 1000 * ub);
	sm_json_add_number(o, "rd_upper_per_1000", 1000 * up1);
	cJSON_AddStringToObject(o, "rd_method",
				"risk difference with the Miettinen-Nurminen score interval "
				"(two-sided at the level; one-sided upper bound at the level)");
	char *s = statement(a, n1, c, n2, &f, 1000 * rd, 1000 * lb, 1000 * ub, 1000 * up1, level,
			    arm1);
	sm_json_add_string(o, "statement", s);
	free(s);
	return o;
}

cJSON *sm_aggregate_tables_json(struct sm_ctx *ctx, const struct sm_review *r, double level)
{
	cJSON *arr = cJSON_CreateArray();
	if (!arr) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	const char *arm1 = r->settings.arm_labels[0] ? r->settings.arm_labels[0] : "treatment";
	const cJSON *t;
	cJSON_ArrayForEach(t, r->aggregate_tables) {
		cJSON *o = one_table(ctx, t, level, arm1);
		if (!o) {
			cJSON_Delete(arr);
			return NULL;
		}
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}
