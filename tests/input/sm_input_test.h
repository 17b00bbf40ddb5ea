/*
 * sm_input_test.h -- helpers shared by the input tests: write a file into a
 * private temporary folder, load it, and compare the formatted diagnostic.
 * Header-only (static functions) because each test is its own program.
 */
#ifndef SM_INPUT_TEST_H
#define SM_INPUT_TEST_H

#include "sm_test.h"

#include "sm_buf.h"
#include "sm_review_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An error case: file name, content (len 0 = strlen) and the expected
 * message after "<folder>/<name>". */
struct sm_ecase {
	const char *name;
	const char *content;
	const char *want;
	size_t len;
};

typedef struct sm_review *(*sm_loader)(struct sm_ctx *, const char *);

static char *sm_tmpdir(void)
{
	char tmpl[] = "/tmp/sm_input_test_XXXXXX";
	char *d = mkdtemp(tmpl);
	assert_non_null(d);
	return strdup(d);
}

static char *sm_write_tmp(const char *dir, const char *name, const char *content, size_t len)
{
	char *path = sm_asprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	size_t n = len ? len : strlen(content);
	assert_int_equal(fwrite(content, 1, n, f), n);
	fclose(f);
	return path;
}

/* Loads path; returns the formatted error or NULL when it loaded. */
static char *sm_load_error(sm_loader load, const char *path)
{
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_review *r = load(ctx, path);
	char *msg = NULL;
	if (!r) {
		const struct sm_diag *d = sm_ctx_error(ctx);
		assert_non_null(d);
		assert_int_equal(d->code, SM_EINPUT);
		msg = sm_diag_format(d);
	}
	sm_review_free(r);
	sm_ctx_free(ctx);
	return msg;
}

/* Runs every case; reports all mismatches, then fails if any. */
static void sm_run_ecases(sm_loader load, const struct sm_ecase *cases, size_t n)
{
	char *dir = sm_tmpdir();
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		const struct sm_ecase *c = &cases[i];
		char *path = sm_write_tmp(dir, c->name, c->content, c->len);
		char *want = sm_asprintf("%s%s", path, c->want);
		char *mark = strstr(want, "%DIR%"); /* the temporary folder */
		if (mark) {
			*mark = '\0';
			char *w = sm_asprintf("%s%s%s", want, dir, mark + 5);
			free(want);
			want = w;
		}
		char *got = sm_load_error(load, path);
		if (!got || strcmp(got, want) != 0) {
			print_error("case %s:\n  want: %s\n  got:  %s\n", c->name, want,
				    got ? got : "(loaded without error)");
			bad++;
		}
		remove(path);
		free(got);
		free(want);
		free(path);
	}
	remove(dir);
	free(dir);
	assert_int_equal(bad, 0);
}

#endif
