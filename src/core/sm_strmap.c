#include "sm_strmap.h"

#include "sm_buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

struct slot {
	const char *key; /* NULL = empty */
	size_t value;
};

struct sm_strmap {
	struct slot *slots;
	size_t cap; /* power of two */
	size_t n;
};

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		h ^= *p;
		h *= 1099511628211ULL;
	}
	return h;
}

struct sm_strmap *sm_strmap_new(void)
{
	struct sm_strmap *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->cap = 16;
	m->slots = sm_alloc_array(m->cap, sizeof *m->slots);
	if (!m->slots) {
		free(m);
		return NULL;
	}
	return m;
}

void sm_strmap_free(struct sm_strmap *m)
{
	if (!m)
		return;
	free(m->slots);
	free(m);
}

/* From this many bytes on the slots get transparent huge pages where the
 * system gives them on request (madvise mode): a lookup is a random access
 * into the table, and at a million keys (32 MB) with 4 KiB pages nearly
 * every one also missed the TLB. */
#define SLOTS_HUGE_BYTES (4u << 20)
#define SLOTS_HUGE_ALIGN (2u << 20)

static struct slot *slots_alloc(size_t cap)
{
	size_t bytes = cap * sizeof(struct slot);
	if (cap > SIZE_MAX / sizeof(struct slot) || bytes < SLOTS_HUGE_BYTES)
		return sm_alloc_array(cap, sizeof(struct slot));
	void *p = NULL;
	if (posix_memalign(&p, SLOTS_HUGE_ALIGN, bytes) != 0)
		return NULL;
#ifdef MADV_HUGEPAGE
	/* only advice: without huge pages the table works the same */
	(void)madvise(p, bytes, MADV_HUGEPAGE);
#endif
	memset(p, 0, bytes);
	return p;
}

static struct slot *find(const struct slot *slots, size_t cap, const char *key)
{
	size_t i = (size_t)hash(key) & (cap - 1);
	while (slots[i].key && strcmp(slots[i].key, key) != 0)
		i = (i + 1) & (cap - 1);
	return (struct slot *)&slots[i];
}

static int rehash_to(struct sm_strmap *m, size_t cap)
{
	struct slot *s = slots_alloc(cap);
	if (!s)
		return -1;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key)
			*find(s, cap, m->slots[i].key) = m->slots[i];
	free(m->slots);
	m->slots = s;
	m->cap = cap;
	return 0;
}

int sm_strmap_put(struct sm_strmap *m, const char *key, size_t value, size_t *old)
{
	struct slot *s = find(m->slots, m->cap, key);
	if (s->key) {
		if (old)
			*old = s->value;
		return 0;
	}
	if (2 * (m->n + 1) > m->cap) { /* keep the load at most 1/2 */
		if (rehash_to(m, 2 * m->cap) != 0)
			return -1;
		s = find(m->slots, m->cap, key);
	}
	s->key = key;
	s->value = value;
	m->n++;
	return 1;
}

int sm_strmap_reserve(struct sm_strmap *m, size_t n)
{
	size_t cap = m->cap;
	while (2 * n > cap) {
		if (cap > SIZE_MAX / 4)
			return -1;
		cap *= 2;
	}
	return cap == m->cap ? 0 : rehash_to(m, cap);
}

size_t sm_strmap_count(const struct sm_strmap *m)
{
	return m->n;
}

void sm_strmap_prefetch(const struct sm_strmap *m, const char *key)
{
	__builtin_prefetch(&m->slots[(size_t)hash(key) & (m->cap - 1)]);
}

int sm_strmap_get(const struct sm_strmap *m, const char *key, size_t *value)
{
	const struct slot *s = find(m->slots, m->cap, key);
	if (!s->key)
		return 0;
	if (value)
		*value = s->value;
	return 1;
}

const char *sm_strmap_key(const struct sm_strmap *m, const char *key)
{
	return find(m->slots, m->cap, key)->key;
}
