/*
 * sm_pool.h -- independent steps of one computation run beside the caller.
 *
 * A task runs one function on a thread of its own (sm_pool_start) while
 * the caller goes on; sm_pool_join waits for it.  A task never touches
 * the caller's context: each of its steps records into a context of its
 * own (sm_ctx_new), and the caller moves that context's warnings and
 * error onto its own with sm_pool_merge_ctx at the point where the serial
 * program would have run the step, so that the order of warnings, and
 * which error is reported, do not depend on timing.
 *
 * When the caller allows one thread, or no thread can be started, the
 * task runs at once inside sm_pool_start (same results: the task's inputs
 * and outputs are its own).
 *
 * Ownership: struct sm_pool_task is the caller's and holds nothing that
 * needs freeing once joined.
 */
#ifndef SM_POOL_H
#define SM_POOL_H

#include "sm_ctx.h"

#include <pthread.h>
#include <stddef.h>

struct sm_pool_task {
	void (*run)(void *arg);
	void *arg;
	pthread_t thread;
	int on_thread; /* 1 while a thread runs it (until joined) */
};

/* The threads to use for `requested` (0 = the CPUs online), at least 1. */
size_t sm_pool_threads(int requested);

/* Run run(arg): on a new thread when threads > 1, else (or when the
 * thread cannot be started) now, before returning. */
void sm_pool_start(struct sm_pool_task *t, size_t threads, void (*run)(void *arg), void *arg);
/* Wait until the task has run (no-op when it ran inside sm_pool_start). */
void sm_pool_join(struct sm_pool_task *t);

/* Move src's warnings (in order) and its error, also an internal error
 * the task cleared (sm_ctx_internal_cleared), onto dst, as if the task had
 * run on dst; src is left without error or warnings. */
void sm_pool_merge_ctx(struct sm_ctx *dst, struct sm_ctx *src);

/* Run run(arg) on a new thread: 0, or -1 when no thread could be started
 * (run was not called).  For a task that waits on the caller and so cannot
 * run inline the way sm_pool_start() falls back to; sm_pool_join() waits
 * for it. */
int sm_pool_start_thread(struct sm_pool_task *t, void (*run)(void *arg), void *arg);

#endif
