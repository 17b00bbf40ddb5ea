#include "sm_init.h"

#include <gsl/gsl_errno.h>
#include <pthread.h>
#include <stdatomic.h>

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static atomic_int init_state;

static void init_now(void)
{
	gsl_set_error_handler_off();
	atomic_store(&init_state, 1);
}

void sm_init(void)
{
	pthread_once(&init_once, init_now);
}

int sm_init_done(void)
{
	return atomic_load(&init_state);
}
