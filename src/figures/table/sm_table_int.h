/*
 * sm_table_int.h -- internals shared by the sm_table*.c files.
 *
 * Ownership: as in sm_table.h.
 */
#ifndef SM_TABLE_INT_H
#define SM_TABLE_INT_H

#include "sm_table.h"

/* results."review".key, or NULL. */
const cJSON *sm_table_review(const cJSON *results, const char *key);

/* The safety-domain table formatted for print (sm_table_domains.c). */
struct sm_table *sm_table_domains(struct sm_ctx *ctx, const cJSON *results);

#endif
