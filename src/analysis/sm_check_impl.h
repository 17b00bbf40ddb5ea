/*
 * sm_check_impl.h -- internals shared by the sm_check*.c files: the state
 * of one check run and the helpers that read the results document.
 *
 * Ownership: struct sm_check_run_state borrows the results document and
 * fills the report it points to.
 */
#ifndef SM_CHECK_IMPL_H
#define SM_CHECK_IMPL_H

#include "sm_check.h"
#include "sm_json_out.h"

struct sm_check_run_state {
	struct sm_ctx *ctx;
	struct sm_check *report;
	size_t cap;
	int oom;
	const cJSON *reported; /* "reported"."analyses" */
	double alpha;          /* 1 - level / 100 */
	const struct sm_row_index *rows; /* rows kept out of the tree, or NULL */
};

/* The reported values of one analysis and their rounding intervals. */
struct sm_check_rep {
	const cJSON *obj;
	const char *name;
	const cJSON *computed; /* the matching analysis */
	double k_paper;        /* reported k, or NAN */
	double df;             /* df for Q: k_paper - 1, else the computed Q_df */
	int k_differs;
	/* Fields whose reported value the paper's own numbers contradict, with
	 * the implied interval (what the computed value is compared with). */
	int self_p, self_qp, self_i2;
	double imp_lo[3], imp_hi[3];
};

enum { SM_IMP_P, SM_IMP_QP, SM_IMP_I2 };

double sm_check_num(const cJSON *obj, const char *key);
/* Reported value (NAN when absent or null) and its tolerance (see the
 * header's rule, including the zero fallback). */
double sm_check_rep_value(const struct sm_check_rep *r, const char *key);
double sm_check_rep_tol(const struct sm_check_run_state *s, const char *key, double v);

/* Record a finding; the message is printf-formatted. */
void sm_check_add(struct sm_check_run_state *s, enum sm_check_kind kind, const char *analysis,
		  const char *field, double reported, double computed, double tol,
		  const char *fmt, ...) __attribute__((format(printf, 8, 9)));

/* Format v with `dec` decimals but at least two significant digits, and
 * one more decimal while it would print equal to `other`; into buf (at
 * least 48 bytes). */
void sm_check_fmt(char *buf, size_t size, double v, int dec, double other);

/* The paper's self-contradictions (P vs Z, Q P vs Q, I² vs Q, CI vs P,
 * signs); sets the self_* flags of r. */
void sm_check_self(struct sm_check_run_state *s, struct sm_check_rep *r);

#endif
