/*
 * sm_test.h -- shared helpers for the cmocka test programs.
 *
 * Numeric checks name the quantity and its tolerance, so a failure reads
 * "msc/hepatic DL tau2: got 0.1 expected 0.2 (rel 1e-06)".
 */
#ifndef SM_TEST_H
#define SM_TEST_H

/* cmocka needs these before its header. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* Passes when |got - want| <= max(rel * |want|, abs_tol); NaN equals NaN.
 * Returns 1 on pass; on failure prints and records a cmocka failure. */
#define sm_check_close(got, want, rel, abs_tol, ...) \
	sm_check_close_at((got), (want), (rel), (abs_tol), __FILE__, __LINE__, __VA_ARGS__)
int sm_check_close_at(double got, double want, double rel, double abs_tol,
		      const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

/* Path of a file under the source tree (tests run from it); static buffer
 * is avoided: the caller frees the result. */
char *sm_test_path(const char *relative);

/* Read a whole file; fails the test when it cannot. Caller frees. */
char *sm_test_slurp(const char *path);

/* The README's text between the lines `begin` and `end` (HTML comments)
 * is `want`, word for word: a generated reference (results keys, analysis
 * options).  With SM_WRITE_README=1 a different block is rewritten instead
 * of failing.  `what` names the source for the failure message. */
void sm_test_readme_block(const char *begin, const char *end, const char *want,
			  const char *what);

/* The tree's printed text `want` and the streamed text `got` are the same
 * bytes; else prints `what`, the first differing byte and both texts around
 * it, and fails the test. */
void sm_test_same_bytes(const char *want, const char *got, const char *what);

/* Path of the built safemeta executable (from SAFEMETA_BIN). */
const char *sm_test_bin(void);

/* Run a shell command, capture stdout+stderr separately into newly
 * allocated strings (may pass NULL), return the exit status (or -1). */
int sm_test_run(const char *cmd, char **out, char **err);

#endif
