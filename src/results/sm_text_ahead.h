/*
 * sm_text_ahead.h -- chunks of text made ahead on a second thread and
 * handed to the caller in order.
 *
 * A long list of rows that are only ever printed (the per-study rows of
 * sm_analysis_json.c written as text) is cut into chunks of rows; a
 * second thread formats the chunks ahead, in order, into a few buffers of
 * their own, while the caller takes them one by one (sm_text_ahead_next)
 * and writes them out.  When the chunk the caller needs is not ready, the
 * caller formats a later one itself meanwhile (or that one, when no one
 * has started it), so neither thread idles while the other has a backlog.
 * Which thread formats which chunk depends on timing, the text does not:
 * a chunk's text is a function of its number alone (the format function
 * must read only data no one changes while the chunks are made, and write
 * only the buffer and ends it is given).
 *
 * Without a second thread (sm_text_ahead_new with threads < 2, or when it
 * cannot be started) the caller formats every chunk in sm_text_ahead_next:
 * same text.
 *
 * The buffers are allocated by sm_text_ahead_new (`reserve` bytes each) on
 * the caller's thread, so that the second thread, whose first allocation
 * would make glibc reserve a malloc arena of 64 MiB of address space,
 * normally allocates nothing (it only grows a buffer whose chunk is larger
 * than reserved).  Out of memory shows in the chunk's buffer (failed).
 *
 * Ownership: sm_text_ahead_new()'s result is freed with sm_text_ahead_free(),
 * which stops and joins the thread; a chunk's text belongs to it and is
 * valid until the next sm_text_ahead_next() or the free.
 */
#ifndef SM_TEXT_AHEAD_H
#define SM_TEXT_AHEAD_H

#include "sm_buf.h"

#include <stddef.h>

/* Formats chunk c into text (given empty) and records, for each of its
 * rows in order, the end offset of that row's text in ends (room for
 * max_rows); returns the number of rows. */
typedef size_t (*sm_text_chunk_fn)(void *arg, size_t c, struct sm_buf *text, size_t *ends);

struct sm_text_ahead;

/* n_chunks chunks of at most max_rows rows each, made by fn(arg, ...) on
 * up to `threads` threads (the caller's included: 2 or more starts one
 * more).  NULL when out of memory. */
struct sm_text_ahead *sm_text_ahead_new(size_t n_chunks, size_t max_rows, size_t reserve,
					sm_text_chunk_fn fn, void *arg, size_t threads);
/* Whether a second thread formats chunks (0: the caller makes them all). */
int sm_text_ahead_threaded(const struct sm_text_ahead *h);
/* The next chunk (0, 1, ... n_chunks - 1): its text, with its n_rows rows'
 * end offsets in *ends; NULL after the last. */
const struct sm_buf *sm_text_ahead_next(struct sm_text_ahead *h, const size_t **ends,
					size_t *n_rows);
void sm_text_ahead_free(struct sm_text_ahead *h);

#endif
