/* What the figure kinds share (src/figures/sm_figure.c): bundle plans
 * name one analysis alike in every kind. */
#include "sm_render_test.h"

#include "sm_figure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* A funnel is named as the forest of its analysis even when an analysis
 * too small for a funnel takes the first of two clashing safe names (on
 * main before sm_figure_plan_per_analysis the funnel took "funnel-x-y"
 * beside "forest-x-y-2"). */
static void test_plan_names_match_forest(void **state)
{
	struct sm_render_fx *f = *state;
	cJSON *doc = cJSON_Duplicate(f->msc, 1);
	cJSON_DeleteItemFromObjectCaseSensitive(doc, "domain_table");
	cJSON *analyses = cJSON_GetObjectItemCaseSensitive(doc, "analyses");
	int small = -1, large = -1, i = 0;
	cJSON *a;
	cJSON_ArrayForEach(a, analyses) {
		double k = cJSON_GetObjectItemCaseSensitive(a, "k")->valuedouble;
		if (k < 3 && small < 0)
			small = i;
		else if (k >= 3 && small >= 0 && large < 0)
			large = i;
		i++;
	}
	assert_true(small >= 0 && large > small);
	cJSON_SetValuestring(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(analyses, small),
							      "name"), "x y");
	cJSON_SetValuestring(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(analyses, large),
							      "name"), "x/y");
	struct sm_res *res = sm_render_typed(f, doc);
	struct sm_figure_plan forests = { 0 }, funnels = { 0 };
	const struct sm_figure_kind *forest_kind = sm_figure_kind_named("forest");
	assert_non_null(forest_kind);
	sm_render_expect_ok(f, forest_kind->plan(f->ctx, res, &forests));
	const struct sm_figure_kind *funnel_kind = sm_figure_kind_named("funnel");
	assert_non_null(funnel_kind);
	sm_render_expect_ok(f, funnel_kind->plan(f->ctx, res, &funnels));
	const char *forest = NULL, *funnel = NULL;
	for (size_t j = 0; j < forests.n; j++)
		if (!strcmp(forests.jobs[j].arg, "x/y"))
			forest = forests.jobs[j].base;
	for (size_t j = 0; j < funnels.n; j++) {
		assert_string_not_equal(funnels.jobs[j].arg, "x y");
		if (!strcmp(funnels.jobs[j].arg, "x/y"))
			funnel = funnels.jobs[j].base;
	}
	assert_non_null(forest);
	assert_non_null(funnel);
	assert_string_equal(forest, "forest-x-y-2");
	assert_string_equal(funnel, "funnel-x-y-2");
	sm_figure_plan_release(&forests);
	sm_figure_plan_release(&funnels);
	sm_res_free(res);
	cJSON_Delete(doc);
}

/* AddressSanitizer reserves terabytes of address space: no limit on it can
 * be near what a process uses. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SM_TEST_NO_AS_LIMIT 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(SM_TEST_NO_AS_LIMIT)
#define SM_TEST_NO_AS_LIMIT 1
#endif

#ifndef SM_TEST_NO_AS_LIMIT
/* Renders `kind` (its defaults) to DIR/oom.pdf; the status, and in *code
 * the recorded error's code (SM_OK when none). */
static sm_status render_kind(struct sm_render_fx *f, const struct sm_figure_kind *kind,
			     sm_status *code)
{
	void *o = sm_figure_opts_new(f->ctx, kind);
	assert_non_null(o);
	char path[128];
	snprintf(path, sizeof path, "%s/oom.pdf", f->dir);
	sm_status s = sm_figure_render(f->ctx, kind, f->rmsc, o, path);
	sm_figure_opts_free(o);
	*code = sm_ctx_status(f->ctx, SM_OK);
	sm_ctx_clear_error(f->ctx);
	return s;
}
#endif

/* Out of memory is SM_EINTERNAL (exit 4) whichever kind's step meets it:
 * each kind that draws the MSC results is rendered in a child whose
 * address space is limited to 16 MiB above what it uses (the fonts'
 * 64 MiB headroom check fails, or an allocation), and must return the
 * code it recorded, SM_EINTERNAL.  Before, funnel, methods, prisma, rob,
 * baujat, bubble and influence returned SM_EINPUT when the figure's fonts
 * could not be made, and a bundle exited 2 with "out of memory". */
static void test_out_of_memory_is_internal(void **state)
{
#ifdef SM_TEST_NO_AS_LIMIT
	(void)state;
	print_message("not run under AddressSanitizer: it reserves terabytes of address "
		      "space, so no limit can be near\n");
#else
	struct sm_render_fx *f = *state;
	size_t n = 0;
	const struct sm_figure_kind *const *kinds = sm_figure_kinds(&n);
	int tried = 0;
	for (size_t i = 0; i < n; i++) {
		sm_status code;
		if (render_kind(f, kinds[i], &code) != SM_OK)
			continue; /* not drawable from these results with its defaults */
		tried++;
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			FILE *m = fopen("/proc/self/statm", "r");
			unsigned long pages = 0;
			if (!m || fscanf(m, "%lu", &pages) != 1)
				_exit(99);
			fclose(m);
			struct rlimit lim = { pages * (rlim_t)sysconf(_SC_PAGESIZE) + (16 << 20),
					      RLIM_INFINITY };
			if (setrlimit(RLIMIT_AS, &lim) != 0)
				_exit(98);
			sm_status s = render_kind(f, kinds[i], &code);
			_exit(s == SM_EINTERNAL && code == SM_EINTERNAL ? 0 : 10 + (int)s);
		}
		int status = 0;
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			print_error("%s: exit %d (10 + the status returned) under the limit\n",
				    kinds[i]->name, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	assert_true(tried >= 7); /* forest funnel prisma rob methods baujat influence */
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plan_names_match_forest, sm_render_fx_setup,
						sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_out_of_memory_is_internal, sm_render_fx_setup,
						sm_render_fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
