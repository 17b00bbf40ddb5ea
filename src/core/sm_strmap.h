/*
 * sm_strmap.h -- a small string -> index hash map (open addressing), used to
 * find duplicate keys, ids and labels in linear time.
 *
 * Ownership: keys are borrowed; they must outlive the map.  sm_strmap_free
 * releases the table only.
 */
#ifndef SM_STRMAP_H
#define SM_STRMAP_H

#include <stddef.h>

struct sm_strmap;

struct sm_strmap *sm_strmap_new(void);
void sm_strmap_free(struct sm_strmap *m);

/* Inserts key -> value unless key is present.  Returns 1 when inserted, 0
 * when the key was already there (*old, if not NULL, gets its value), -1 on
 * out of memory. */
int sm_strmap_put(struct sm_strmap *m, const char *key, size_t value, size_t *old);

/* Room for n keys without a rehash (the table a map of n keys grows to):
 * 0, or -1 on out of memory (the map is unchanged then). */
int sm_strmap_reserve(struct sm_strmap *m, size_t n);

/* Keys in the map. */
size_t sm_strmap_count(const struct sm_strmap *m);

/* Starts loading the slot a lookup of key begins at, so that other work
 * can run while it comes from memory (a hint only: nothing changes). */
void sm_strmap_prefetch(const struct sm_strmap *m, const char *key);

/* 1 and *value when key is present, else 0. */
int sm_strmap_get(const struct sm_strmap *m, const char *key, size_t *value);

/* The stored key equal to key (the pointer given to sm_strmap_put), or NULL
 * when absent: turns the map into a set of unique strings. */
const char *sm_strmap_key(const struct sm_strmap *m, const char *key);

#endif
