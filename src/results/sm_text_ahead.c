/*
 * sm_text_ahead.c -- chunks of text made ahead on a second thread (see
 * sm_text_ahead.h).
 *
 * Chunk c is made in slot c % N_SLOTS.  Chunks are claimed in order (the
 * next to claim is `claimed`), by the second thread or by the caller, and
 * one is claimed only while its slot is free: the caller holds chunk
 * `held` (it reads that slot) and has taken every chunk before it, each of
 * them made by then, so the slots of chunks held .. held + N_SLOTS - 1 are
 * the held one's and free ones.  A slot's `ready` is its chunk's number
 * plus one once made (0: none yet).  One mutex guards claimed, held, ready
 * and stop; one condition variable tells both threads that one changed.
 */
#include "sm_text_ahead.h"

#include "sm_pool.h"

#include <pthread.h>
#include <stdlib.h>

/* Three slots: one the caller reads, one the second thread makes, one
 * made ahead that evens out chunks of unequal cost. */
#define N_SLOTS 3

struct slot {
	struct sm_buf text;
	size_t *ends;
	size_t n_rows;
	size_t ready; /* chunk + 1 made here; 0: none */
};

struct sm_text_ahead {
	size_t n_chunks;
	sm_text_chunk_fn fn;
	void *arg;
	struct slot slot[N_SLOTS];
	pthread_mutex_t lock;
	pthread_cond_t changed;
	size_t claimed; /* the next chunk to make */
	size_t held;    /* the chunk the caller reads (or takes next) */
	size_t next;    /* the chunk sm_text_ahead_next() hands out next */
	int stop;
	int threaded;
	struct sm_pool_task side;
};

/* Makes chunk c in its slot, the lock released meanwhile (held on entry
 * and on return). */
static void make(struct sm_text_ahead *h, size_t c)
{
	struct slot *s = &h->slot[c % N_SLOTS];
	pthread_mutex_unlock(&h->lock);
	sm_buf_reset(&s->text);
	s->text.failed = 0; /* a chunk's failure is its own (the data stays valid) */
	size_t n = h->fn(h->arg, c, &s->text, s->ends);
	pthread_mutex_lock(&h->lock);
	s->n_rows = n;
	s->ready = c + 1;
	pthread_cond_broadcast(&h->changed);
}

/* The next chunk whose slot is free, claimed; n_chunks: none now. */
static size_t claim(struct sm_text_ahead *h)
{
	if (h->claimed >= h->n_chunks || h->claimed >= h->held + N_SLOTS)
		return h->n_chunks;
	return h->claimed++;
}

static void run_side(void *arg)
{
	struct sm_text_ahead *h = arg;
	pthread_mutex_lock(&h->lock);
	while (!h->stop && h->claimed < h->n_chunks) {
		size_t c = claim(h);
		if (c < h->n_chunks)
			make(h, c);
		else
			pthread_cond_wait(&h->changed, &h->lock);
	}
	pthread_mutex_unlock(&h->lock);
}

/* A buffer of `bytes` capacity, allocated here, on the caller's thread
 * (sm_buf has no reserve call; its fields are public).  A failed
 * allocation leaves it empty: it grows when used, or fails then. */
static void reserve_text(struct sm_buf *b, size_t bytes)
{
	sm_buf_init(b);
	if (bytes < 2 || !(b->data = malloc(bytes)))
		return;
	b->data[0] = '\0';
	b->cap = bytes;
}

static void release_slots(struct sm_text_ahead *h)
{
	for (int i = 0; i < N_SLOTS; i++) {
		sm_buf_release(&h->slot[i].text);
		free(h->slot[i].ends);
	}
}

struct sm_text_ahead *sm_text_ahead_new(size_t n_chunks, size_t max_rows, size_t reserve,
					sm_text_chunk_fn fn, void *arg, size_t threads)
{
	struct sm_text_ahead *h = calloc(1, sizeof *h);
	if (!h)
		return NULL;
	h->n_chunks = n_chunks;
	h->fn = fn;
	h->arg = arg;
	int ok = 1;
	for (int i = 0; i < N_SLOTS; i++) {
		reserve_text(&h->slot[i].text, reserve);
		h->slot[i].ends = calloc(max_rows ? max_rows : 1, sizeof *h->slot[i].ends);
		ok = ok && h->slot[i].ends;
	}
	int locked = ok && pthread_mutex_init(&h->lock, NULL) == 0;
	if (!locked || pthread_cond_init(&h->changed, NULL) != 0) {
		if (locked)
			pthread_mutex_destroy(&h->lock);
		release_slots(h);
		free(h);
		return NULL;
	}
	/* a second thread only when it has more than one chunk to share */
	if (threads > 1 && n_chunks > 1)
		h->threaded = sm_pool_start_thread(&h->side, run_side, h) == 0;
	return h;
}

int sm_text_ahead_threaded(const struct sm_text_ahead *h)
{
	return h->threaded;
}

const struct sm_buf *sm_text_ahead_next(struct sm_text_ahead *h, const size_t **ends,
					size_t *n_rows)
{
	size_t c = h->next;
	if (c >= h->n_chunks)
		return NULL;
	struct slot *s = &h->slot[c % N_SLOTS];
	pthread_mutex_lock(&h->lock);
	h->held = c; /* the chunks before it are done with: their slots free */
	pthread_cond_broadcast(&h->changed);
	while (s->ready != c + 1) {
		/* not made yet: make the next free one meanwhile (c itself when
		 * no one has claimed it), else wait for the second thread */
		size_t x = claim(h);
		if (x < h->n_chunks)
			make(h, x);
		else
			pthread_cond_wait(&h->changed, &h->lock);
	}
	pthread_mutex_unlock(&h->lock);
	h->next = c + 1;
	*ends = s->ends;
	*n_rows = s->n_rows;
	return &s->text;
}

void sm_text_ahead_free(struct sm_text_ahead *h)
{
	if (!h)
		return;
	if (h->threaded) {
		pthread_mutex_lock(&h->lock);
		h->stop = 1;
		pthread_cond_broadcast(&h->changed);
		pthread_mutex_unlock(&h->lock);
		sm_pool_join(&h->side);
	}
	pthread_cond_destroy(&h->changed);
	pthread_mutex_destroy(&h->lock);
	release_slots(h);
	free(h);
}
