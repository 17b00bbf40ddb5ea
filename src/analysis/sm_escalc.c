#include "sm_escalc.h"

#include <math.h>
#include <string.h>

struct sm_escalc_opts sm_escalc_defaults(enum sm_measure measure)
{
	struct sm_escalc_opts o = {measure, 0.5, SM_TO_ONLY0, 0};
	if (measure == SM_PAS || measure == SM_PFT)
		o.add = 0;
	return o;
}

static int bad_count(double x)
{
	return !isfinite(x) || x < 0;
}

/* Whether the correction applies to a unit with cells c[0..n-1], given
 * whether any unit of the data set has a zero cell (for "if0all"). */
static int wants_add(enum sm_to to, const double *c, int n, int any_zero_anywhere)
{
	int zero = 0;
	for (int j = 0; j < n; j++)
		zero |= c[j] == 0;
	switch (to) {
	case SM_TO_ONLY0: return zero;
	case SM_TO_ALL: return 1;
	case SM_TO_IF0ALL: return any_zero_anywhere;
	case SM_TO_NONE: return 0;
	}
	return 0;
}

static void effect_2x2(enum sm_measure m, double a, double b, double c, double d,
		       struct sm_escalc_row *r)
{
	double n1 = a + b, n2 = c + d;
	double p1 = a / n1, p2 = c / n2;
	switch (m) {
	case SM_OR:
		r->yi = log(p1 / (1 - p1)) - log(p2 / (1 - p2));
		r->vi = 1 / a + 1 / b + 1 / c + 1 / d;
		break;
	case SM_RR:
		r->yi = log(p1) - log(p2);
		r->vi = 1 / a - 1 / n1 + 1 / c - 1 / n2;
		break;
	case SM_RD:
		r->yi = p1 - p2;
		r->vi = p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2;
		break;
	default: { /* PETO */
		double n = n1 + n2, xt = a + c, yt = b + d;
		double e = xt * n1 / n;
		double v = xt * yt * (n1 / n) * (n2 / n) / (n - 1);
		r->yi = (a - e) / v;
		r->vi = 1 / v;
		break;
	}
	}
}

sm_status sm_escalc_2x2(struct sm_ctx *ctx, const double *ai, const double *n1i,
			const double *ci, const double *n2i, size_t k,
			const struct sm_escalc_opts *o, struct sm_escalc_row *out)
{
	if (o->measure > SM_PETO)
		return SM_FAIL(ctx, SM_EINPUT, "measure %s needs proportions or generic "
			       "effects; expected OR, RR, RD or PETO for 2x2 tables",
			       sm_measure_name(o->measure));
	int any_zero = 0;
	for (size_t i = 0; i < k; i++) {
		if (bad_count(ai[i]) || bad_count(ci[i]) || bad_count(n1i[i]) ||
		    bad_count(n2i[i]) || ai[i] > n1i[i] || ci[i] > n2i[i])
			return SM_FAIL(ctx, SM_EINPUT, "study %zu has invalid counts; "
				       "expected 0 <= ai <= n1i and 0 <= ci <= n2i", i + 1);
		any_zero |= ai[i] == 0 || ci[i] == 0 || ai[i] == n1i[i] || ci[i] == n2i[i];
	}
	for (size_t i = 0; i < k; i++) {
		struct sm_escalc_row *r = &out[i];
		memset(r, 0, sizeof *r);
		double cell[4] = {ai[i], n1i[i] - ai[i], ci[i], n2i[i] - ci[i]};
		r->double_zero = (cell[0] == 0 && cell[2] == 0) || (cell[1] == 0 && cell[3] == 0);
		if (o->drop00 && r->double_zero) {
			r->dropped = 1;
			r->yi = r->vi = NAN;
			r->reason = "double-zero table dropped";
			continue;
		}
		if (o->add != 0 && wants_add(o->to, cell, 4, any_zero)) {
			for (int j = 0; j < 4; j++)
				cell[j] += o->add;
			r->corrected = 1;
			r->added = o->add;
			r->reason = "continuity correction added to all four cells";
		}
		effect_2x2(o->measure, cell[0], cell[1], cell[2], cell[3], r);
		if (!isfinite(r->yi) || !isfinite(r->vi)) {
			r->dropped = 1;
			r->yi = r->vi = NAN;
			r->reason = "effect size not estimable";
		}
	}
	return SM_OK;
}

static void effect_prop(enum sm_measure m, double x, double n, struct sm_escalc_row *r)
{
	double p = x / n;
	switch (m) {
	case SM_PR:
		r->yi = p;
		r->vi = p * (1 - p) / n;
		break;
	case SM_PLO:
		r->yi = log(p / (1 - p));
		r->vi = 1 / x + 1 / (n - x);
		break;
	case SM_PAS:
		r->yi = asin(sqrt(p));
		r->vi = 1 / (4 * n);
		break;
	default: /* PFT */
		r->yi = (asin(sqrt(x / (n + 1))) + asin(sqrt((x + 1) / (n + 1)))) / 2;
		r->vi = 1 / (4 * n + 2);
		break;
	}
}

sm_status sm_escalc_prop(struct sm_ctx *ctx, const double *xi, const double *ni,
			 size_t k, const struct sm_escalc_opts *o,
			 struct sm_escalc_row *out)
{
	if (o->measure < SM_PR || o->measure > SM_PFT)
		return SM_FAIL(ctx, SM_EINPUT, "measure %s needs 2x2 tables; "
			       "expected PR, PLO, PAS or PFT for proportions",
			       sm_measure_name(o->measure));
	int any_zero = 0;
	for (size_t i = 0; i < k; i++) {
		if (bad_count(xi[i]) || bad_count(ni[i]) || xi[i] > ni[i] || ni[i] == 0)
			return SM_FAIL(ctx, SM_EINPUT, "study %zu has invalid counts; "
				       "expected 0 <= xi <= ni and ni > 0", i + 1);
		any_zero |= xi[i] == 0 || xi[i] == ni[i];
	}
	/* The arcsine measures (PAS, PFT) are corrected only when asked for: their
	 * default add is 0 (sm_escalc_defaults), as metafor's escalc. */
	for (size_t i = 0; i < k; i++) {
		struct sm_escalc_row *r = &out[i];
		memset(r, 0, sizeof *r);
		double cell[2] = {xi[i], ni[i] - xi[i]};
		if (o->add != 0 && wants_add(o->to, cell, 2, any_zero)) {
			cell[0] += o->add;
			cell[1] += o->add;
			r->corrected = 1;
			r->added = o->add;
			r->reason = "continuity correction added to events and non-events";
		}
		effect_prop(o->measure, cell[0], cell[0] + cell[1], r);
		if (!isfinite(r->yi) || !isfinite(r->vi)) {
			r->dropped = 1;
			r->yi = r->vi = NAN;
			r->reason = "effect size not estimable";
		}
	}
	return SM_OK;
}
