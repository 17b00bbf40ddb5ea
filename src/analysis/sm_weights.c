#include "sm_weights.h"

#include <math.h>

/* A table's weight before normalising (see the header for the formulas). */
static double raw_weight(enum sm_mh_measure m, double a, double n1, double c, double n2)
{
	double N = n1 + n2;
	switch (m) {
	case SM_MH_OR:
		return (n1 - a) * c / N;
	case SM_MH_RR:
		return c * n1 / N;
	case SM_MH_RD:
		return n1 * n2 / N;
	case SM_MH_PETO:
		break;
	}
	if (!(N > 1))
		return 0; /* one patient: no variance */
	double xt = a + c, yt = N - xt;
	return xt * yt * (n1 / N) * (n2 / N) / (N - 1);
}

sm_status sm_weights_2x2(struct sm_ctx *ctx, enum sm_mh_measure measure, const double *ai,
			 const double *n1i, const double *ci, const double *n2i, size_t k,
			 double *weight_pct)
{
	sm_status st = sm_mh_check_tables(ctx, ai, n1i, ci, n2i, k);
	if (st != SM_OK)
		return st;
	double sum = 0;
	for (size_t i = 0; i < k; i++) {
		weight_pct[i] = raw_weight(measure, ai[i], n1i[i], ci[i], n2i[i]);
		sum += weight_pct[i];
	}
	for (size_t i = 0; i < k; i++)
		weight_pct[i] = sum > 0 ? 100 * weight_pct[i] / sum : NAN;
	return SM_OK;
}
