/* The bundle replaced as a whole (issue 18.1, 18.3, 18.7) through
 * sm_bundle_write: a cancelled run (the caller's signal flag) and a run
 * whose template names what the results lack leave the previous bundle as
 * it was, with no temporary; the error of a template is at its line and
 * column; a second run replaces the bundle whole. */
#include "sm_render_test.h"

#include "sm_atomic.h"
#include "sm_buf.h"
#include "sm_bundle.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* sha256sum of every file of dir, in name order. */
static char *tree_sums(const char *dir)
{
	char *cmd = sm_asprintf("(cd '%s' && find . -type f | LC_ALL=C sort | "
				"xargs -d '\\n' sha256sum)", dir);
	char *out = sm_render_run_ok(cmd);
	free(cmd);
	return out;
}

static int temporaries(const struct sm_render_fx *f)
{
	char *cmd = sm_asprintf("(ls -a '%s' | grep -c '^\\.b\\.\\(tmp\\|old\\)\\.' || true)",
				f->dir);
	char *out = sm_render_run_ok(cmd);
	int n = atoi(out);
	free(out);
	free(cmd);
	return n;
}

static void opts_fast(struct sm_bundle_opts *o)
{
	sm_bundle_opts_init(o);
	o->dpi = 36;
	o->threads = 2;
}

static char *first_bundle(struct sm_render_fx *f)
{
	char *dir = sm_asprintf("%s/b", f->dir);
	struct sm_bundle_opts o;
	opts_fast(&o);
	sm_render_expect_ok(f, sm_bundle_write(f->ctx, f->sae, dir, &o));
	return dir;
}

/* A run cancelled by the flag fails as an output error saying so. */
static void cancelled_keeps_old(void **state)
{
	struct sm_render_fx *f = *state;
	char *dir = first_bundle(f);
	char *before = tree_sums(dir);
	volatile sig_atomic_t flag = 1;
	struct sm_bundle_opts o;
	opts_fast(&o);
	o.cancel = &flag;
	assert_int_equal(sm_bundle_write(f->ctx, f->msc, dir, &o), SM_EOUTPUT);
	char *msg = sm_diag_format(sm_ctx_error(f->ctx));
	assert_non_null(strstr(msg, "interrupted"));
	sm_ctx_clear_error(f->ctx);
	char *after = tree_sums(dir);
	assert_string_equal(before, after);
	assert_int_equal(temporaries(f), 0);
	free(msg);
	free(before);
	free(after);
	free(dir);
}

/* A template figure naming no analysis: refused at the template's line and
 * column before anything is drawn. */
static void template_error_keeps_old(void **state)
{
	struct sm_render_fx *f = *state;
	char *dir = first_bundle(f);
	char *before = tree_sums(dir);
	char *tmpl = sm_asprintf("%s/t.tmpl", f->dir);
	const char *text = "@title T\n\n@figure forest Nonesuch | x\n";
	assert_int_equal(sm_atomic_write(f->ctx, tmpl, text, strlen(text)), SM_OK);
	struct sm_bundle_opts o;
	opts_fast(&o);
	o.report_template = tmpl;
	assert_int_equal(sm_bundle_write(f->ctx, f->msc, dir, &o), SM_EINPUT);
	const struct sm_diag *d = sm_ctx_error(f->ctx);
	assert_string_equal(d->file, tmpl);
	assert_int_equal(d->line, 3);
	assert_int_equal(d->col, 16);
	assert_non_null(strstr(d->msg, "no analysis named \"Nonesuch\""));
	sm_ctx_clear_error(f->ctx);
	char *after = tree_sums(dir);
	assert_string_equal(before, after);
	assert_int_equal(temporaries(f), 0);
	free(before);
	free(after);
	free(tmpl);
	free(dir);
}

/* Another review's bundle replaces the first whole: its MANIFEST verifies
 * and no file of the first (a forest of an analysis it lacks) is left. */
static void second_run_replaces_whole(void **state)
{
	struct sm_render_fx *f = *state;
	char *dir = first_bundle(f);
	char *old = tree_sums(dir);
	struct sm_bundle_opts o;
	opts_fast(&o);
	o.report = 0;
	sm_render_expect_ok(f, sm_bundle_write(f->ctx, f->allo, dir, &o));
	char *cmd = sm_asprintf("(cd '%s' && sha256sum -c --quiet MANIFEST.sha256 && "
				"find . -type f | wc -l && wc -l < MANIFEST.sha256)", dir);
	char *out = sm_render_run_ok(cmd);
	int files = 0, lines = 0;
	assert_int_equal(sscanf(out, "%d %d", &files, &lines), 2);
	assert_int_equal(files, lines + 1); /* every file but the MANIFEST is listed */
	char *now = tree_sums(dir);
	assert_string_not_equal(old, now);
	assert_int_equal(temporaries(f), 0);
	assert_int_equal(sm_ctx_warning_count(f->ctx) > 0 &&
			 strstr(sm_ctx_warning(f->ctx, 0), "left alone") != NULL, 0);
	free(out);
	free(cmd);
	free(old);
	free(now);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cancelled_keeps_old),
		cmocka_unit_test(template_error_keeps_old),
		cmocka_unit_test(second_run_replaces_whole),
	};
	return cmocka_run_group_tests(tests, sm_render_fx_setup, sm_render_fx_teardown);
}
