#include "sm_init.h"

#include <cjson/cJSON.h>
#include <gsl/gsl_errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static atomic_int init_state;
static atomic_ulong json_failures;

/* cJSON's allocator, counting what it could not get: cJSON drops a node it
 * cannot allocate without a word (cJSON_AddItemToArray of NULL does
 * nothing), so a document built short of memory would look complete. */
static void *json_malloc(size_t n)
{
	void *p = malloc(n);
	if (!p)
		atomic_fetch_add(&json_failures, 1);
	return p;
}

static void init_now(void)
{
	gsl_set_error_handler_off();
	cJSON_Hooks hooks = { json_malloc, free };
	cJSON_InitHooks(&hooks);
	atomic_store(&init_state, 1);
}

unsigned long sm_init_json_failures(void)
{
	return atomic_load(&json_failures);
}

void sm_init(void)
{
	pthread_once(&init_once, init_now);
}

int sm_init_done(void)
{
	return atomic_load(&init_state);
}
