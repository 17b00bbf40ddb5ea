#include "sm_isub.h"

#include "sm_buf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A downdate or centring that removes more than this share of a sum loses
 * more than 6 bits: the subset is refitted exactly instead. */
#define ISUB_CANCEL (63.0 / 64.0)
/* The exact prefix sums are kept every this many studies (8 doubles each). */
#define ISUB_EXACT_BLOCK 16

static void terms(const double *y, const double *v, size_t i, double zoff, double uoff,
		  int logs, double t[SM_IX_N])
{
	double w = 1 / v[i], z = y[i] - zoff, u = y[i] - uoff;
	t[SM_IX_W] = w;
	t[SM_IX_W2] = w * w;
	t[SM_IX_WZ] = w * z;
	t[SM_IX_WZZ] = w * z * z;
	t[SM_IX_U] = u;
	t[SM_IX_UU] = u * u;
	t[SM_IX_V] = v[i];
	t[SM_IX_LV] = logs ? log(v[i]) : 0;
}

/* The inverse-variance and plain means: offsets that keep the centred sums
 * of squares from cancelling. */
static void offsets(const double *y, const double *v, size_t k, double *zoff, double *uoff)
{
	struct sm_ksum w = {0, 0}, wy = {0, 0}, sy = {0, 0};
	for (size_t i = 0; i < k; i++) {
		sm_ksum_add(&w, 1 / v[i]);
		sm_ksum_add(&wy, y[i] / v[i]);
		sm_ksum_add(&sy, y[i]);
	}
	*zoff = sm_ksum_get(&wy) / sm_ksum_get(&w);
	*uoff = sm_ksum_get(&sy) / (double)k;
}

/* Exact sums of a subset from its raw sums; 0 when centring cancels. */
static int exact_part(const double s[SM_IX_N], double n, struct sm_isubset *out)
{
	double ex = s[SM_IX_WZ] * s[SM_IX_WZ] / s[SM_IX_W];
	double exu = s[SM_IX_U] * s[SM_IX_U] / n;
	if (ex > ISUB_CANCEL * s[SM_IX_WZZ] || exu > ISUB_CANCEL * s[SM_IX_UU])
		return 0;
	out->n = n;
	out->W = s[SM_IX_W];
	out->W2 = s[SM_IX_W2];
	out->QE = fmax(0, s[SM_IX_WZZ] - ex);
	out->SS = fmax(0, s[SM_IX_UU] - exu);
	out->Sv = s[SM_IX_V];
	out->lsum0 = s[SM_IX_LV];
	return 1;
}

static int fill_sums(const double sums[3][3], int qmax, double yc, double lsum,
		     struct sm_isums *o)
{
	o->yc = yc;
	for (int a = 0; a < 3; a++) {
		o->s1[a] = sums[0][a];
		o->s2[a] = qmax > 1 ? sums[1][a] : NAN;
	}
	o->s3 = qmax > 2 ? sums[2][0] : NAN;
	o->lsum = lsum;
	return 1;
}

/* ---- prefixes --------------------------------------------------------------- */

sm_status sm_iprefix_init(struct sm_ctx *ctx, struct sm_iprefix *p, const double *y,
			  const double *v, size_t k, size_t block, int logs, double rho)
{
	memset(p, 0, sizeof *p);
	if (k == 0 || block == 0)
		return SM_FAIL(ctx, SM_EINTERNAL, "invalid prefix sums; expected k, block >= 1");
	p->y = y;
	p->v = v;
	p->k = k;
	p->block = ISUB_EXACT_BLOCK;
	p->nb = k / p->block;
	p->logs = logs;
	p->tab = sm_alloc_array((p->nb + 1) * SM_IX_N, sizeof *p->tab);
	if (!p->tab)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	offsets(y, v, k, &p->zoff, &p->uoff);
	struct sm_ksum acc[SM_IX_N];
	memset(acc, 0, sizeof acc);
	for (size_t i = 0; i < p->nb * p->block; i++) {
		double t[SM_IX_N];
		terms(y, v, i, p->zoff, p->uoff, p->logs, t);
		for (int c = 0; c < SM_IX_N; c++)
			sm_ksum_add(&acc[c], t[c]);
		if ((i + 1) % p->block == 0)
			for (int c = 0; c < SM_IX_N; c++)
				p->tab[(i + 1) / p->block * SM_IX_N + c] = sm_ksum_get(&acc[c]);
	}
	sm_pbank_init(&p->bank, y, v, k, block, logs, rho);
	return SM_OK;
}

void sm_iprefix_release(struct sm_iprefix *p)
{
	if (!p)
		return;
	sm_pbank_release(&p->bank);
	free(p->tab);
	memset(p, 0, sizeof *p);
}

/* The extra studies' terms added to sums that start from the series. */
static void add_extra(const struct sm_iprefix *p, double t, double yc, int qmax, int logs,
		      double sums[3][3], double *lsum)
{
	struct sm_ksum s[3][3], ls = {logs ? *lsum : 0, 0};
	for (int q = 0; q < qmax; q++)
		for (int a = 0; a < 3; a++)
			s[q][a] = (struct sm_ksum){sums[q][a], 0};
	for (size_t i = 0; i < p->ne; i++) {
		double w = 1 / (p->ve[i] + t), z = p->ye[i] - yc, wq = w;
		for (int q = 0; q < qmax; q++, wq *= w) {
			sm_ksum_add(&s[q][0], wq);
			sm_ksum_add(&s[q][1], wq * z);
			sm_ksum_add(&s[q][2], wq * z * z);
		}
		if (logs)
			sm_ksum_add(&ls, log(p->ve[i] + t));
	}
	for (int q = 0; q < qmax; q++)
		for (int a = 0; a < 3; a++)
			sums[q][a] = sm_ksum_get(&s[q][a]);
	if (logs)
		*lsum = sm_ksum_get(&ls);
}

static int prefix_at(void *arg, double t, int need, struct sm_isums *o)
{
	struct sm_iprefix *p = arg;
	const struct sm_pseries *ps = sm_pbank_get(&p->bank, t);
	int qmax = need & SM_ISUMS_Q23 ? 3 : 1, logs = need & SM_ISUMS_LOG;
	double sums[3][3], lsum = NAN;
	if (!ps || !sm_pseries_sums(ps, p->len, t, qmax, sums))
		return 0;
	if (logs && !sm_pseries_logsum_prefix(ps, p->len, t, &lsum))
		return 0;
	if (p->ne)
		add_extra(p, t, ps->yc, qmax, logs, sums, &lsum);
	return fill_sums(sums, qmax, ps->yc, lsum, o);
}

int sm_iprefix_subset_plus(struct sm_iprefix *p, size_t len, const double *ye,
			   const double *ve, size_t ne, struct sm_isubset *s)
{
	if (len + ne < 2 || len > p->k)
		return 0;
	size_t j = len / p->block;
	struct sm_ksum acc[SM_IX_N];
	for (int c = 0; c < SM_IX_N; c++)
		acc[c] = (struct sm_ksum){p->tab[j * SM_IX_N + c], 0};
	for (size_t i = j * p->block; i < len; i++) {
		double t[SM_IX_N];
		terms(p->y, p->v, i, p->zoff, p->uoff, p->logs, t);
		for (int c = 0; c < SM_IX_N; c++)
			sm_ksum_add(&acc[c], t[c]);
	}
	for (size_t i = 0; i < ne; i++) {
		double t[SM_IX_N];
		if (!(ve[i] > 0) || !isfinite(ve[i]) || !isfinite(ye[i]))
			return 0;
		terms(ye, ve, i, p->zoff, p->uoff, p->logs, t);
		for (int c = 0; c < SM_IX_N; c++)
			sm_ksum_add(&acc[c], t[c]);
	}
	double sums[SM_IX_N];
	for (int c = 0; c < SM_IX_N; c++)
		sums[c] = sm_ksum_get(&acc[c]);
	memset(s, 0, sizeof *s);
	if (!exact_part(sums, (double)(len + ne), s))
		return 0;
	p->len = len;
	p->ye = ye;
	p->ve = ve;
	p->ne = ne;
	s->at = prefix_at;
	s->arg = p;
	return 1;
}

int sm_iprefix_subset(struct sm_iprefix *p, size_t len, struct sm_isubset *s)
{
	return len >= 2 && sm_iprefix_subset_plus(p, len, NULL, NULL, 0, s);
}

/* ---- deletions -------------------------------------------------------------- */

sm_status sm_idelete_init(struct sm_ctx *ctx, struct sm_idelete *d, const double *y,
			  const double *v, size_t k, int logs, double rho)
{
	memset(d, 0, sizeof *d);
	if (k < 2)
		return SM_FAIL(ctx, SM_EINTERNAL, "invalid deletion sums; expected k >= 2");
	d->y = y;
	d->v = v;
	d->k = k;
	d->logs = logs;
	offsets(y, v, k, &d->zoff, &d->uoff);
	struct sm_ksum acc[SM_IX_N], q = {0, 0}, ss = {0, 0};
	memset(acc, 0, sizeof acc);
	for (size_t i = 0; i < k; i++) {
		double t[SM_IX_N];
		terms(y, v, i, d->zoff, d->uoff, logs, t);
		for (int c = 0; c < SM_IX_N; c++)
			sm_ksum_add(&acc[c], t[c]);
	}
	for (int c = 0; c < SM_IX_N; c++)
		d->full[c] = sm_ksum_get(&acc[c]);
	/* the fixed-effect mean and Q of all k, two-pass */
	d->bfe = d->zoff + d->full[SM_IX_WZ] / d->full[SM_IX_W];
	d->ubar = d->uoff + d->full[SM_IX_U] / (double)k;
	for (size_t i = 0; i < k; i++) {
		sm_ksum_add(&q, (y[i] - d->bfe) * (y[i] - d->bfe) / v[i]);
		sm_ksum_add(&ss, (y[i] - d->ubar) * (y[i] - d->ubar));
	}
	d->QE = sm_ksum_get(&q);
	d->SS = sm_ksum_get(&ss);
	sm_pbank_init(&d->bank, y, v, k, 0, logs, rho);
	return SM_OK;
}

void sm_idelete_release(struct sm_idelete *d)
{
	if (!d)
		return;
	sm_pbank_release(&d->bank);
	memset(d, 0, sizeof *d);
}

static int delete_at(void *arg, double t, int need, struct sm_isums *o)
{
	struct sm_idelete *d = arg;
	const struct sm_pseries *ps = sm_pbank_get(&d->bank, t);
	int qmax = need & SM_ISUMS_Q23 ? 3 : 1;
	double sums[3][3], lsum = NAN;
	if (!ps || !sm_pseries_sums(ps, d->k, t, qmax, sums))
		return 0;
	double w = 1 / (d->v[d->i] + t), z = d->y[d->i] - ps->yc, wq = w;
	for (int q = 0; q < qmax; q++, wq *= w) {
		if (wq > ISUB_CANCEL * sums[q][0] || wq * z * z > ISUB_CANCEL * sums[q][2])
			return 0;
		sums[q][0] -= wq;
		sums[q][1] -= wq * z;
		sums[q][2] -= wq * z * z;
	}
	if (need & SM_ISUMS_LOG) {
		if (!sm_pseries_logsum(ps, t, &lsum))
			return 0;
		lsum -= log(d->v[d->i] + t);
	}
	return fill_sums(sums, qmax, ps->yc, lsum, o);
}

int sm_idelete_subset(struct sm_idelete *d, size_t i, struct sm_isubset *s)
{
	const double *f = d->full;
	double k = (double)d->k, w = 1 / d->v[i], r = d->y[i] - d->bfe, ry = d->y[i] - d->ubar;
	double W = f[SM_IX_W] - w, W2 = f[SM_IX_W2] - w * w;
	double qi = w * r * r * (f[SM_IX_W] / W), si = ry * ry * (k / (k - 1));
	if (w > ISUB_CANCEL * f[SM_IX_W] || qi > ISUB_CANCEL * d->QE ||
	    si > ISUB_CANCEL * d->SS || d->v[i] > ISUB_CANCEL * f[SM_IX_V] ||
	    W2 / W > ISUB_CANCEL * W)
		return 0;
	memset(s, 0, sizeof *s);
	s->n = k - 1;
	s->W = W;
	s->W2 = W2;
	s->QE = fmax(0, d->QE - qi);
	s->SS = fmax(0, d->SS - si);
	s->Sv = f[SM_IX_V] - d->v[i];
	s->lsum0 = d->logs ? f[SM_IX_LV] - log(d->v[i]) : NAN;
	d->i = i;
	s->at = delete_at;
	s->arg = d;
	return 1;
}
