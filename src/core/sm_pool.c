#include "sm_pool.h"

#include <string.h>
#include <unistd.h>

size_t sm_pool_threads(int requested)
{
	if (requested > 0)
		return (size_t)requested;
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (size_t)n : 1;
}

static void *task_main(void *arg)
{
	struct sm_pool_task *t = arg;
	t->run(t->arg);
	return NULL;
}

void sm_pool_start(struct sm_pool_task *t, size_t threads, void (*run)(void *arg), void *arg)
{
	t->run = run;
	t->arg = arg;
	t->on_thread = 0;
	if (threads > 1 && pthread_create(&t->thread, NULL, task_main, t) == 0) {
		t->on_thread = 1;
		return;
	}
	run(arg);
}

void sm_pool_join(struct sm_pool_task *t)
{
	if (!t->on_thread)
		return;
	pthread_join(t->thread, NULL);
	t->on_thread = 0;
}

static void record(struct sm_ctx *dst, const struct sm_diag *d)
{
	sm_fail_at(dst, d->code, d->src_file, d->src_line, d->file, d->line, d->col, d->field,
		   "%s", d->msg ? d->msg : "");
}

/* The internal error src cleared, kept on dst as cleared.  Only needed
 * when src's own error, which the caller will clear on dst, would not
 * replace it (an internal error would). */
static void merge_cleared(struct sm_ctx *dst, struct sm_ctx *src)
{
	const struct sm_diag *e = sm_ctx_error(src);
	if (e && e->code == SM_EINTERNAL)
		return;
	struct sm_ctx *held = NULL;
	int had_error = e != NULL;
	if (had_error) {
		held = sm_ctx_new();
		if (held)
			record(held, e);
		sm_ctx_clear_error(src); /* not internal: the cleared one stays */
	}
	sm_ctx_raise_cleared(src);
	if (sm_ctx_error(src)) {
		record(dst, sm_ctx_error(src));
		sm_ctx_clear_error(dst);
	}
	sm_ctx_clear_error(src);
	if (held && sm_ctx_error(held))
		record(src, sm_ctx_error(held));
	else if (had_error)
		SM_FAIL(src, SM_EINTERNAL, "out of memory");
	sm_ctx_free(held);
}

void sm_pool_merge_ctx(struct sm_ctx *dst, struct sm_ctx *src)
{
	size_t n = sm_ctx_warning_count(src);
	for (size_t i = 0; i < n; i++)
		sm_ctx_warn(dst, "%s", sm_ctx_warning(src, i));
	sm_ctx_clear_warnings(src);
	if (sm_ctx_internal_cleared(src))
		merge_cleared(dst, src);
	if (sm_ctx_error(src))
		record(dst, sm_ctx_error(src));
	sm_ctx_clear_error(src);
}

int sm_pool_start_thread(struct sm_pool_task *t, void (*run)(void *arg), void *arg)
{
	t->run = run;
	t->arg = arg;
	t->on_thread = pthread_create(&t->thread, NULL, task_main, t) == 0;
	return t->on_thread ? 0 : -1;
}
