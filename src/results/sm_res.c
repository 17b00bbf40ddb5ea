/* sm_res.c -- the typed results document: memory, reading, lookups, and
 * the checks across keys (sm_res.h). */
#include "sm_res_int.h"

#include "sm_buf.h"
#include "sm_json_out.h"
#include "sm_json_pos.h"
#include "sm_limits.h"
#include "sm_measure.h"
#include "sm_strpool.h"
#include "sm_textfile.h"

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* List buffers carry a header that chains them, so a realloc that moves
 * one costs nothing to track and the document frees them in one walk. */
struct block {
	struct block *prev, *next;
	max_align_t align[];
};

struct sm_res_mem {
	struct sm_strpool *strings;
	struct block *blocks;
};

const char *sm_res_mem_str(struct sm_res_mem *m, const char *s, size_t len)
{
	return sm_strpool_addn(m->strings, s, len);
}

void *sm_res_mem_realloc(struct sm_res_mem *m, void *old, size_t n, size_t size)
{
	if (size && n > (SIZE_MAX - sizeof(struct block)) / size)
		return NULL;
	struct block *b = old ? (struct block *)old - 1 : NULL;
	struct block *nb = realloc(b, sizeof *nb + n * size);
	if (!nb)
		return NULL;
	if (!b) {
		nb->prev = NULL;
		nb->next = m->blocks;
		if (m->blocks)
			m->blocks->prev = nb;
		m->blocks = nb;
	} else {
		if (nb->prev)
			nb->prev->next = nb;
		else
			m->blocks = nb;
		if (nb->next)
			nb->next->prev = nb;
	}
	return nb + 1;
}

void sm_res_free(struct sm_res *res)
{
	if (!res)
		return;
	if (res->mem) {
		for (struct block *b = res->mem->blocks, *next; b; b = next) {
			next = b->next;
			free(b);
		}
		sm_strpool_free(res->mem->strings);
		free(res->mem);
	}
	free(res);
}

/* An empty document named `path`; NULL on out of memory (error in ctx). */
static struct sm_res *res_new(struct sm_ctx *ctx, const char *path)
{
	struct sm_res *res = calloc(1, sizeof *res);
	if (res)
		res->mem = calloc(1, sizeof *res->mem);
	if (res && res->mem)
		res->mem->strings = sm_strpool_new();
	if (!res || !res->mem || !res->mem->strings ||
	    !(res->path = sm_res_mem_str(res->mem, path, strlen(path)))) {
		sm_res_free(res);
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	return res;
}

struct sm_res *sm_res_parse(struct sm_ctx *ctx, const char *path, const char *text,
			    size_t len)
{
	if (!path)
		path = "results";
	struct sm_res *res = res_new(ctx, path);
	if (!res)
		return NULL;
	sm_status s = sm_textfile_check_max(ctx, path, SM_MAX_RESULTS_BYTES, NULL, text, len);
	if (s == SM_OK)
		s = sm_res_decode(ctx, res, path, text, len);
	if (s == SM_OK)
		s = sm_res_validate(ctx, res, text, len);
	if (s != SM_OK) {
		sm_res_free(res);
		return NULL;
	}
	return res;
}

/* Results files from this size on are decoded as they are read. */
#define STREAM_FROM ((off_t)8 << 20)

struct sm_res *sm_res_read_streamed(struct sm_ctx *ctx, const char *path, int *again)
{
	*again = 1;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < STREAM_FROM) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	struct sm_res *res = res_new(ctx, path);
	sm_status s = res ? sm_res_decode_fd(ctx, res, path, fd, SM_MAX_RESULTS_BYTES)
			  : SM_EINTERNAL;
	close(fd);
	if (s == SM_OK)
		s = sm_res_validate(ctx, res, "", 0);
	if (s == SM_OK) {
		*again = 0;
		return res;
	}
	sm_res_free(res);
	if (s == SM_EINTERNAL && sm_ctx_error(ctx) && sm_ctx_error(ctx)->code == SM_EINTERNAL) {
		*again = 0; /* out of memory: the whole text would not fit either */
		return NULL;
	}
	sm_ctx_clear_error(ctx);
	return NULL;
}

struct sm_res *sm_res_read(struct sm_ctx *ctx, const char *path)
{
	int again = 1;
	struct sm_res *res = sm_res_read_streamed(ctx, path, &again);
	if (res || !again)
		return res;
	char *text = NULL;
	size_t len = 0;
	if (sm_textfile_load_max(ctx, path, SM_MAX_RESULTS_BYTES, NULL, &text, &len) != SM_OK)
		return NULL;
	res = sm_res_parse(ctx, path, text, len);
	free(text);
	return res;
}

struct sm_res *sm_res_from_json(struct sm_ctx *ctx, const char *path, const struct cJSON *doc)
{
	char *text = cJSON_PrintUnformatted((const cJSON *)doc);
	if (!text) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	struct sm_res *res = sm_res_parse(ctx, path, text, strlen(text));
	cJSON_free(text);
	return res;
}

const struct sm_res_analysis *sm_res_analysis_named(const struct sm_res *res, const char *name)
{
	for (size_t i = 0; name && i < res->analyses.n; i++)
		if (res->analyses.v[i].name && !strcmp(res->analyses.v[i].name, name))
			return &res->analyses.v[i];
	return NULL;
}

const struct sm_res_study_info *sm_res_study_info(const struct sm_res *res, const char *id)
{
	for (size_t i = 0; id && i < res->review.studies.n; i++)
		if (res->review.studies.v[i].id && !strcmp(res->review.studies.v[i].id, id))
			return &res->review.studies.v[i];
	return NULL;
}

/* ---- checks across keys --------------------------------------------------------- */

struct vd {
	struct sm_ctx *ctx;
	const struct sm_res *res;
	const char *path, *text;
	size_t len;
};

static sm_status fail_path(struct vd *v, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static sm_status fail_path(struct vd *v, const char *path, const char *fmt, ...)
{
	size_t off = 0;
	if (!sm_json_locate_str(v->text, v->len, path, &off))
		off = (size_t)-1;
	va_list ap;
	va_start(ap, fmt);
	char *msg = sm_vasprintf(fmt, ap);
	va_end(ap);
	sm_status s = sm_textfile_fail(v->ctx, v->path, v->text,
				       v->len, off, path, "field '%s': %s", path,
				       msg ? msg : "invalid");
	free(msg);
	return s;
}

static int same(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b);
	if (a == b)
		return 1;
	if (isinf(a) || isinf(b))
		return 0;
	return fabs(a - b) <= 1e-12 * fmax(fabs(a), fabs(b));
}

/* display is the back-transform of value (both may be null). */
static int display_ok(double value, double display, enum sm_transf t, double n)
{
	return same(display, sm_transf_apply(t, value, n)) || (isnan(value) && isnan(display));
}

/* display must be the back-transform of value (both may be null). */
static sm_status check_display(struct vd *v, const char *base, const char *key, double value,
			       double display, enum sm_transf t, double n)
{
	if (display_ok(value, display, t, n))
		return SM_OK;
	double want = sm_transf_apply(t, value, n);
	char *path = sm_asprintf("%s.%s", base, key);
	char a[40], b[40], c[40];
	sm_json_shortest(a, sizeof a, display);
	sm_json_shortest(b, sizeof b, want);
	sm_json_shortest(c, sizeof c, value);
	sm_status s = fail_path(v, path ? path : base, "%s is not %s(%s) = %s (%s = %s); expected "
				"the display-scale value of the analysis-scale one, as safemeta "
				"analyze writes it", a, sm_transf_name(t), key, b, key, c);
	free(path);
	return s;
}

/* lb <= est <= ub where all three are numbers. */
static int order_ok(double lb, double est, double ub)
{
	return !((!isnan(lb) && !isnan(est) && lb > est) || (!isnan(est) && !isnan(ub) && est > ub) ||
		 (!isnan(lb) && !isnan(ub) && lb > ub));
}

static sm_status check_order(struct vd *v, const char *path, double lb, double est, double ub)
{
	if (!order_ok(lb, est, ub))
		return fail_path(v, path, "interval [%g, %g] does not contain the estimate %g; "
				 "expected lower <= estimate <= upper", lb, ub, est);
	return SM_OK;
}

/* A leave-one-out or cumulative refit: ordered, and its display values
 * the back-transforms of its own. */
static sm_status check_refit(struct vd *v, const char *base, const char *key,
			     const struct sm_res_refit *r, enum sm_transf t, double n)
{
	if (!r->present)
		return SM_OK;
	char rb[200], tb[220];
	snprintf(rb, sizeof rb, "%s.%s", base, key);
	snprintf(tb, sizeof tb, "%s.transformed", rb);
	sm_status st = check_order(v, rb, r->ci_lb, r->estimate, r->ci_ub);
	if (st != SM_OK || !r->transformed.present)
		return st;
	if ((st = check_display(v, tb, "estimate", r->estimate, r->transformed.estimate, t, n)) !=
		    SM_OK ||
	    (st = check_display(v, tb, "ci_lb", r->ci_lb, r->transformed.ci_lb, t, n)) != SM_OK ||
	    (st = check_display(v, tb, "ci_ub", r->ci_ub, r->transformed.ci_ub, t, n)) != SM_OK)
		return st;
	return SM_OK;
}

/* What check_refit checks, without the paths of its messages. */
static int refit_ok(const struct sm_res_refit *r, enum sm_transf t, double n)
{
	return !r->present ||
	       (order_ok(r->ci_lb, r->estimate, r->ci_ub) &&
		(!r->transformed.present ||
		 (display_ok(r->estimate, r->transformed.estimate, t, n) &&
		  display_ok(r->ci_lb, r->transformed.ci_lb, t, n) &&
		  display_ok(r->ci_ub, r->transformed.ci_ub, t, n))));
}

/* What check_study checks, without the paths of its messages: a results
 * file of 10^5 studies printed five paths per study (4 % of reading it)
 * only to throw them away. */
static int study_ok(const struct sm_res_analysis *a, size_t si, enum sm_transf t)
{
	const struct sm_res_study *s = &a->studies.v[si];
	if (!order_ok(s->ci_lb, s->yi, s->ci_ub))
		return 0;
	if (!s->transformed.present)
		return 1;
	double n = t == SM_TRANSF_IPFT_HM ? s->ni : NAN;
	double hm = a->transformed.ni_harmonic_mean;
	return display_ok(s->yi, s->transformed.yi, t, n) &&
	       display_ok(s->ci_lb, s->transformed.ci_lb, t, n) &&
	       display_ok(s->ci_ub, s->transformed.ci_ub, t, n) && refit_ok(&s->loo, t, hm) &&
	       refit_ok(&s->cumul, t, hm);
}

static sm_status check_study(struct vd *v, const struct sm_res_analysis *a, const char *abase,
			     size_t si, enum sm_transf t)
{
	const struct sm_res_study *s = &a->studies.v[si];
	char base[160];
	snprintf(base, sizeof base, "%s.studies[%zu]", abase, si);
	sm_status st = check_order(v, base, s->ci_lb, s->yi, s->ci_ub);
	if (st != SM_OK || !s->transformed.present)
		return st;
	/* metafor back-transforms a single PFT study with its own n. */
	double n = t == SM_TRANSF_IPFT_HM ? s->ni : NAN;
	char tb[176];
	snprintf(tb, sizeof tb, "%s.transformed", base);
	if ((st = check_display(v, tb, "yi", s->yi, s->transformed.yi, t, n)) != SM_OK ||
	    (st = check_display(v, tb, "ci_lb", s->ci_lb, s->transformed.ci_lb, t, n)) != SM_OK ||
	    (st = check_display(v, tb, "ci_ub", s->ci_ub, s->transformed.ci_ub, t, n)) != SM_OK)
		return st;
	/* refits are back-transformed as the pooled estimate (the analysis' n) */
	double hm = a->transformed.ni_harmonic_mean;
	if ((st = check_refit(v, base, "loo", &s->loo, t, hm)) != SM_OK ||
	    (st = check_refit(v, base, "cumul", &s->cumul, t, hm)) != SM_OK)
		return st;
	return SM_OK;
}

/* cumul_order.studies is a permutation of the studies' indices. */
static sm_status check_cumul_order(struct vd *v, const struct sm_res_analysis *a,
				   const char *base)
{
	const sm_res_numbers *o = &a->cumul_order.studies;
	if (!a->cumul_order.present)
		return SM_OK;
	char path[128];
	snprintf(path, sizeof path, "%s.cumul_order.studies", base);
	/* under --no-studies the rows are left out but the order is kept */
	size_t n = a->studies.n ? a->studies.n : isfinite(a->k) ? (size_t)a->k : 0;
	if (o->n != n)
		return fail_path(v, path, "%zu indices for %zu studies; expected one per study",
				 o->n, n);
	unsigned char *seen = calloc(o->n + 1, 1);
	if (!seen)
		return SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
	sm_status s = SM_OK;
	for (size_t i = 0; i < o->n && s == SM_OK; i++) {
		double x = o->v[i];
		if (!(x >= 0 && x < (double)o->n && x == floor(x)) || seen[(size_t)x])
			s = fail_path(v, path, "index %g at position %zu; expected each of 0 to %zu "
				      "once", x, i, o->n ? o->n - 1 : 0);
		else
			seen[(size_t)x] = 1;
	}
	free(seen);
	return s;
}

/* `base` is the analysis' path ("analyses[2]", or an aggregate analysis
 * inside it). */
static sm_status check_analysis(struct vd *v, const struct sm_res_analysis *a, const char *base)
{
	int m = sm_measure_parse(a->measure);
	enum sm_transf t = m >= 0 ? sm_measure_transf((enum sm_measure)m) : SM_TRANSF_NONE;
	char tb[128];
	snprintf(tb, sizeof tb, "%s.transformed", base);
	if (sm_transf_parse(a->transformed.function) != (int)t)
		return fail_path(v, tb, "function '%s' is not the back-transformation of measure "
				 "%s; expected %s", a->transformed.function, a->measure,
				 sm_transf_name(t));
	if (a->k > a->k_rows)
		return fail_path(v, base, "k = %g is more than k_rows = %g; expected at most the "
				 "rows of the data", a->k, a->k_rows);
	if (a->studies.n && (double)a->studies.n != a->k)
		return fail_path(v, base, "k = %g but %zu studies are listed; expected one row "
				 "per study in the model", a->k, a->studies.n);
	double n = a->transformed.ni_harmonic_mean;
	const struct sm_res_transformed *tr = &a->transformed;
	sm_status s;
	if ((s = check_order(v, base, a->ci_lb, a->estimate, a->ci_ub)) != SM_OK ||
	    (s = check_order(v, base, a->pi_lb, a->estimate, a->pi_ub)) != SM_OK ||
	    (s = check_display(v, tb, "estimate", a->estimate, tr->estimate, t, n)) != SM_OK ||
	    (s = check_display(v, tb, "ci_lb", a->ci_lb, tr->ci_lb, t, n)) != SM_OK ||
	    (s = check_display(v, tb, "ci_ub", a->ci_ub, tr->ci_ub, t, n)) != SM_OK ||
	    (s = check_display(v, tb, "pi_lb", a->pi_lb, tr->pi_lb, t, n)) != SM_OK ||
	    (s = check_display(v, tb, "pi_ub", a->pi_ub, tr->pi_ub, t, n)) != SM_OK)
		return s;
	for (size_t i = 0; i < a->fits.n; i++) {
		const struct sm_res_fit *f = &a->fits.v[i];
		char fb[160];
		snprintf(fb, sizeof fb, "%s.fits[%zu].transformed", base, i);
		if ((s = check_display(v, fb, "estimate", f->estimate, f->transformed.estimate, t,
				       n)) != SM_OK ||
		    (s = check_display(v, fb, "ci_lb", f->ci_lb, f->transformed.ci_lb, t, n)) !=
			    SM_OK ||
		    (s = check_display(v, fb, "ci_ub", f->ci_ub, f->transformed.ci_ub, t, n)) != SM_OK)
			return s;
	}
	if (a->trimfill.transformed.present) {
		const struct sm_res_trimfill *tf = &a->trimfill;
		char fb[160];
		snprintf(fb, sizeof fb, "%s.trimfill.transformed", base);
		if ((s = check_display(v, fb, "estimate", tf->estimate, tf->transformed.estimate, t,
				       n)) != SM_OK ||
		    (s = check_display(v, fb, "ci_lb", tf->ci_lb, tf->transformed.ci_lb, t, n)) !=
			    SM_OK ||
		    (s = check_display(v, fb, "ci_ub", tf->ci_ub, tf->transformed.ci_ub, t, n)) !=
			    SM_OK)
			return s;
	}
	for (size_t i = 0; i < a->studies.n; i++)
		if (!study_ok(a, i, t) && (s = check_study(v, a, base, i, t)) != SM_OK)
			return s;
	if ((s = check_cumul_order(v, a, base)) != SM_OK)
		return s;
	if (a->multilevel.present) {
		const struct sm_res_multilevel *ml = &a->multilevel;
		char mb[160];
		snprintf(mb, sizeof mb, "%s.multilevel.transformed", base);
		if ((s = check_display(v, mb, "estimate", ml->estimate, ml->transformed.estimate, t,
				       NAN)) != SM_OK ||
		    (s = check_display(v, mb, "ci_lb", ml->ci_lb, ml->transformed.ci_lb, t, NAN)) !=
			    SM_OK ||
		    (s = check_display(v, mb, "ci_ub", ml->ci_ub, ml->transformed.ci_ub, t, NAN)) !=
			    SM_OK)
			return s;
	}
	const struct sm_res_analysis *bounds[] = { a->aggregate_lower, a->aggregate_upper };
	static const char *const keys[] = { "aggregate_lower", "aggregate_upper" };
	for (int i = 0; i < 2; i++) {
		if (!bounds[i])
			continue;
		char ab[96];
		snprintf(ab, sizeof ab, "%s.%s", base, keys[i]);
		if ((s = check_analysis(v, bounds[i], ab)) != SM_OK)
			return s;
	}
	return SM_OK;
}

sm_status sm_res_validate(struct sm_ctx *ctx, const struct sm_res *res, const char *text,
			  size_t len)
{
	struct vd v = { ctx, res, res->path, text, len };
	if (res->results_version != SM_RESULTS_VERSION)
		return fail_path(&v, "results_version", "version %g; expected %d (written by "
				 "safemeta %s; run safemeta analyze again to write this version)",
				 res->results_version, SM_RESULTS_VERSION,
				 res->safemeta ? res->safemeta : "?");
	for (size_t i = 0; i < res->analyses.n; i++) {
		char base[40];
		snprintf(base, sizeof base, "analyses[%zu]", i);
		sm_status s = check_analysis(&v, &res->analyses.v[i], base);
		if (s != SM_OK)
			return s;
	}
	return SM_OK;
}
