#include "sm_metareg.h"

#include "sm_stats.h"

#include <math.h>
#include <string.h>

/* Compensated dot product of two columns of length k. */
static double dot(const double *a, const double *b, size_t k)
{
	struct sm_ksum s = {0, 0};
	for (size_t i = 0; i < k; i++)
		sm_ksum_add(&s, a[i] * b[i]);
	return sm_ksum_get(&s);
}

size_t sm_design_redundant(const double *x, size_t k, size_t p, double tol, double *work)
{
	/* work holds the orthonormal columns kept so far (modified
	 * Gram-Schmidt, twice for stability: "twice is enough") */
	size_t kept = 0;
	for (size_t c = 0; c < p; c++) {
		const double *col = x + c * k;
		double *v = work + kept * k;
		memcpy(v, col, k * sizeof *v);
		double norm0 = sqrt(dot(col, col, k));
		for (int pass = 0; pass < 2; pass++)
			for (size_t q = 0; q < kept; q++) {
				const double *u = work + q * k;
				double r = dot(u, v, k);
				for (size_t i = 0; i < k; i++)
					v[i] -= r * u[i];
			}
		double norm = sqrt(dot(v, v, k));
		if (!(norm0 > 0) || !(norm > tol * norm0))
			return c;
		for (size_t i = 0; i < k; i++)
			v[i] /= norm;
		kept++;
	}
	return p;
}

sm_status sm_metareg_R2(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
			const struct sm_rma_opts *opts, const struct sm_rma_mods *m, double *R2)
{
	*R2 = NAN;
	struct sm_rma_fit f0;
	sm_status st = sm_rma_fit(ctx, yi, vi, k, opts, &f0);
	if (st)
		return st;
	if (opts->method == SM_FE) {
		int same = 1;
		for (size_t i = 1; i < k && same; i++)
			same = yi[i] == yi[0];
		/* QE / (k - p) over Q0 / (k - 1): 1 - adjusted R^2 */
		*R2 = same || !(m->QE_df > 0) ? 0
			: fmax(0, 100 * (1 - (m->QE / m->QE_df) / (f0.QE / f0.QE_df)));
		return SM_OK;
	}
	*R2 = f0.tau2 > 0 ? fmax(0, 100 * (f0.tau2 - m->tau2) / f0.tau2) : 0;
	return SM_OK;
}

void sm_metareg_predict(const struct sm_rma_mods *m, const double *xnew, double level,
			struct sm_metareg_pred *out)
{
	size_t p = m->p;
	double pred = 0, var = 0;
	for (size_t a = 0; a < p; a++) {
		pred += xnew[a] * m->b[a];
		double row = 0;
		for (size_t c = 0; c < p; c++)
			row += m->vb[a * p + c] * xnew[c];
		var += xnew[a] * row;
	}
	double alpha = 1 - level / 100;
	double crit = m->test == SM_TEST_KNHA ? sm_qt_upper(alpha / 2, m->df)
					      : sm_qnorm_upper(alpha / 2);
	double se = var >= 0 ? sqrt(var) : NAN;
	double sp = sqrt(se * se + m->tau2);
	*out = (struct sm_metareg_pred){ pred, se, pred - crit * se, pred + crit * se,
					 pred - crit * sp, pred + crit * sp };
}
