/*
 * sm_init.h -- the two process-wide settings the library needs.
 *
 * GSL's default error handler aborts the process on a domain or
 * convergence error; a library must never exit, so the analysis checks
 * every GSL status itself and needs that handler off.  Turning it off is a
 * change to the host process (GSL has one handler per process), so it is
 * done once, explicitly, by sm_init() and not behind the caller's back
 * each time a context is made.
 *
 * cJSON has one allocator per process too, and drops a node it cannot
 * allocate silently; sm_init() gives it one that counts those failures, so
 * that a document built short of memory fails (sm_init_json_failures)
 * instead of being written with members missing.
 *
 * Call sm_init() once before the first analysis (the CLI does it first
 * thing); calling it again, from any thread, does nothing.  Analyses run
 * without it fail with SM_EINTERNAL instead of risking an abort.
 */
#ifndef SM_INIT_H
#define SM_INIT_H

#include "safemeta.h" /* declares it for the library's callers */

/* Turns GSL's aborting error handler off (once; thread-safe). */
void sm_init(void);

/* How many of cJSON's allocations failed since sm_init() (all threads). */
unsigned long sm_init_json_failures(void);

/* 1 once sm_init() has run. */
int sm_init_done(void);

#endif
