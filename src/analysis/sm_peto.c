#include "sm_peto.h"

#include "sm_buf.h"
#include "sm_mh.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>

struct peto_sums {
	double o_e;   /* sum(ai - Ei) */
	double v;     /* sum(Vi) */
	double q;     /* sum((ai - Ei)^2 / Vi) over Vi > 0 */
	size_t k_pos; /* tables with Vi > 0 */
};

static void peto_sums(const double *ai, const double *n1i, const double *ci,
		      const double *n2i, size_t k, struct peto_sums *s)
{
	for (size_t i = 0; i < k; i++) {
		double a = ai[i], n1 = n1i[i], c = ci[i], n2 = n2i[i];
		double N = n1 + n2, xt = a + c, yt = (n1 - a) + (n2 - c);
		double ei = xt * n1 / N;
		/* Vi is 0 when xt = 0 or yt = 0 in a table; such a table adds
		 * nothing to sum(Vi) and is skipped by Q. */
		double vi = xt * yt * (n1 / N) * (n2 / N) / (N - 1);
		s->o_e += a - ei;
		s->v += vi;
		if (vi > 0) {
			s->q += (a - ei) * (a - ei) / vi;
			s->k_pos++;
		}
	}
}

static void peto_fit(struct sm_peto_result *r, const struct peto_sums *s, double level)
{
	double crit = gsl_cdf_ugaussian_Qinv((1 - level / 100) / 2);
	r->k_pos = s->k_pos;
	r->b = s->o_e / s->v;
	r->b_exp = exp(r->b);
	r->se = sqrt(1 / s->v);
	r->zval = r->b / r->se;
	r->pval = 2 * gsl_cdf_ugaussian_Q(fabs(r->zval));
	r->ci_lb = r->b - crit * r->se;
	r->ci_ub = r->b + crit * r->se;
	double q = s->q - s->o_e * s->o_e / s->v;
	r->QE = q > 0 ? q : 0;
	r->QEdf = (double)r->k_yi - 1;
	if (r->k_pos > 1) {
		r->QEp = gsl_cdf_chisq_Q(r->QE, r->QEdf);
		double i2 = 100 * (r->QE - r->QEdf) / r->QE;
		r->I2 = isnan(i2) ? i2 : (i2 > 0 ? i2 : 0);
		r->H2 = r->QE / r->QEdf;
	} else {
		r->QEp = 1;
		r->I2 = 0;
		r->H2 = 1;
	}
}

sm_status sm_peto_run(struct sm_ctx *ctx, const double *ai, const double *n1i,
		      const double *ci, const double *n2i, size_t k, double level,
		      struct sm_peto_result **out)
{
	*out = NULL;
	if (!(level > 0 && level < 100))
		return SM_FAIL(ctx, SM_EINPUT, "level = %g; expected a percentage "
			       "between 0 and 100", level);
	sm_status st = sm_mh_check_tables(ctx, ai, n1i, ci, n2i, k);
	if (st != SM_OK)
		return st;
	struct peto_sums s = {0};
	peto_sums(ai, n1i, ci, n2i, k, &s);
	if (!(s.v > 0))
		return SM_FAIL(ctx, SM_EINPUT, "one of the two outcomes occurs in none of the "
			       "%zu tables; expected events and non-events for peto's method", k);
	struct sm_peto_result *r = calloc(1, sizeof *r);
	if (r) {
		r->yi = sm_alloc_array(k, sizeof *r->yi);
		r->vi = sm_alloc_array(k, sizeof *r->vi);
	}
	if (!r || !r->yi || !r->vi) {
		sm_peto_result_free(r);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory for peto (k = %zu)", k);
	}
	r->k = k;
	for (size_t i = 0; i < k; i++)
		r->k_yi += (size_t)sm_mh_escalc00(SM_MH_PETO, ai[i], n1i[i], ci[i], n2i[i],
						   &r->yi[i], &r->vi[i]);
	peto_fit(r, &s, level);
	*out = r;
	return SM_OK;
}

void sm_peto_result_free(struct sm_peto_result *r)
{
	if (!r)
		return;
	free(r->yi);
	free(r->vi);
	free(r);
}
