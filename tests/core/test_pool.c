/* Tests of sm_pool: a task runs once, on a thread or inline, and a task's
 * context merged onto the caller's gives what the step would have left
 * there had it run on it: warnings in order, the first error, and an
 * internal error the step cleared. */
#include "sm_test.h"

#include "sm_pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct job {
	int runs;
	pthread_t ran_on;
};

static void count_run(void *arg)
{
	struct job *j = arg;
	j->runs++;
	j->ran_on = pthread_self();
}

static void runs_once_inline_or_on_thread(void **state)
{
	(void)state;
	struct sm_pool_task t;
	struct job j = { 0 };
	sm_pool_start(&t, 1, count_run, &j);
	assert_int_equal(j.runs, 1); /* one thread: run before returning */
	assert_true(pthread_equal(j.ran_on, pthread_self()));
	sm_pool_join(&t);
	assert_int_equal(j.runs, 1);

	struct job k = { 0 };
	sm_pool_start(&t, 2, count_run, &k);
	sm_pool_join(&t);
	assert_int_equal(k.runs, 1);
	assert_false(pthread_equal(k.ran_on, pthread_self()));
	sm_pool_join(&t); /* joined already: nothing more */
	assert_int_equal(k.runs, 1);
}

static void threads_default_to_cpus(void **state)
{
	(void)state;
	assert_int_equal(sm_pool_threads(3), 3);
	assert_true(sm_pool_threads(0) >= 1);
}

static void merge_keeps_order_and_first_error(void **state)
{
	(void)state;
	struct sm_ctx *dst = sm_ctx_new(), *src = sm_ctx_new();
	sm_ctx_warn(dst, "before");
	sm_ctx_warn(src, "first %d", 1);
	sm_ctx_warn(src, "second");
	SM_FAIL_POS(src, SM_EINPUT, "a.csv", 4, 2, "yi", "bad %s", "value");
	sm_pool_merge_ctx(dst, src);
	assert_int_equal(sm_ctx_warning_count(dst), 3);
	assert_string_equal(sm_ctx_warning(dst, 0), "before");
	assert_string_equal(sm_ctx_warning(dst, 1), "first 1");
	assert_string_equal(sm_ctx_warning(dst, 2), "second");
	const struct sm_diag *d = sm_ctx_error(dst);
	assert_non_null(d);
	assert_int_equal(d->code, SM_EINPUT);
	assert_string_equal(d->msg, "bad value");
	assert_string_equal(d->file, "a.csv");
	assert_string_equal(d->field, "yi");
	assert_int_equal(d->line, 4);
	assert_int_equal(d->col, 2);
	/* src is emptied */
	assert_int_equal(sm_ctx_warning_count(src), 0);
	assert_null(sm_ctx_error(src));
	/* an error already on dst wins, as it would have in one context */
	SM_FAIL(src, SM_EINPUT, "later");
	sm_pool_merge_ctx(dst, src);
	assert_string_equal(sm_ctx_error(dst)->msg, "bad value");
	sm_ctx_free(src);
	sm_ctx_free(dst);
}

static void merge_keeps_cleared_internal_error(void **state)
{
	(void)state;
	struct sm_ctx *dst = sm_ctx_new(), *src = sm_ctx_new();
	/* cleared inside the step, then an input error left for the caller */
	SM_FAIL(src, SM_EINTERNAL, "out of memory in a refit");
	sm_ctx_clear_error(src);
	SM_FAIL(src, SM_EINPUT, "no estimate");
	unsigned long before = sm_ctx_internal_cleared(dst);
	sm_pool_merge_ctx(dst, src);
	assert_true(sm_ctx_internal_cleared(dst) > before);
	assert_int_equal(sm_ctx_error(dst)->code, SM_EINPUT);
	assert_string_equal(sm_ctx_error(dst)->msg, "no estimate");
	sm_ctx_clear_error(dst); /* the caller notes the failure */
	assert_int_equal(sm_ctx_raise_cleared(dst), SM_EINTERNAL);
	assert_string_equal(sm_ctx_error(dst)->msg, "out of memory in a refit");
	sm_ctx_free(src);
	sm_ctx_free(dst);

	/* cleared, nothing left: the count moves, no error is recorded */
	dst = sm_ctx_new();
	src = sm_ctx_new();
	SM_FAIL(src, SM_EINTERNAL, "lost");
	sm_ctx_clear_error(src);
	sm_pool_merge_ctx(dst, src);
	assert_null(sm_ctx_error(dst));
	assert_int_equal(sm_ctx_internal_cleared(dst), 1);
	sm_ctx_free(src);
	sm_ctx_free(dst);
}

/* sm_pool_start_thread runs the task on a thread of its own, never
 * inline: the caller goes on before it has run (here the task waits for
 * the caller's go, which an inline run would never get). */
struct gate {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int go, runs;
	pthread_t ran_on;
};

static void wait_for_go(void *arg)
{
	struct gate *g = arg;
	pthread_mutex_lock(&g->lock);
	while (!g->go)
		pthread_cond_wait(&g->cond, &g->lock);
	g->runs++;
	g->ran_on = pthread_self();
	pthread_mutex_unlock(&g->lock);
}

static void start_thread_never_inline(void **state)
{
	(void)state;
	struct gate g;
	memset(&g, 0, sizeof g);
	pthread_mutex_init(&g.lock, NULL);
	pthread_cond_init(&g.cond, NULL);
	struct sm_pool_task t;
	assert_int_equal(sm_pool_start_thread(&t, wait_for_go, &g), 0);
	pthread_mutex_lock(&g.lock);
	assert_int_equal(g.runs, 0);
	g.go = 1;
	pthread_cond_signal(&g.cond);
	pthread_mutex_unlock(&g.lock);
	sm_pool_join(&t);
	assert_int_equal(g.runs, 1);
	assert_false(pthread_equal(g.ran_on, pthread_self()));
	sm_pool_join(&t); /* joined already: nothing more */
	assert_int_equal(g.runs, 1);
	pthread_cond_destroy(&g.cond);
	pthread_mutex_destroy(&g.lock);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(runs_once_inline_or_on_thread),
		cmocka_unit_test(threads_default_to_cpus),
		cmocka_unit_test(merge_keeps_order_and_first_error),
		cmocka_unit_test(merge_keeps_cleared_internal_error),
		cmocka_unit_test(start_thread_never_inline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
