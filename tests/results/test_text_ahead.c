/*
 * test_text_ahead.c -- chunks made ahead (sm_text_ahead.h) come in order,
 * each with its own text and row ends, whether a second thread makes them
 * or the caller alone; the caller may stop early; a chunk larger than the
 * buffers' reserve grows its buffer; a chunk that ran out of memory says
 * so.  Chunks of unequal cost make the two threads overtake each other.
 */
#include "sm_test.h"

#include "sm_text_ahead.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct maker {
	size_t rows;     /* rows per chunk (the last of n_chunks may have fewer) */
	size_t n_chunks;
	size_t fail_at;  /* this chunk runs out of memory (n_chunks: none) */
};

/* Chunk c's rows: "c.r;" repeated, the row's text growing with r and with
 * chunk 2's rows much longer than the others (more than reserved). */
static size_t make_rows(void *arg, size_t c, struct sm_buf *text, size_t *ends)
{
	const struct maker *m = arg;
	assert_int_equal(text->len, 0);
	size_t n = c + 1 == m->n_chunks ? m->rows / 2 + 1 : m->rows;
	for (size_t r = 0; r < n; r++) {
		size_t times = 1 + r % 7 + (c == 2 ? 400 : 0);
		for (size_t t = 0; t < times; t++)
			sm_buf_printf(text, "%zu.%zu;", c, r);
		ends[r] = text->len;
	}
	if (c == m->fail_at)
		text->failed = 1;
	return n;
}

/* Takes every chunk and checks it against make_rows() done here. */
static void take_all(const struct maker *m, size_t threads, size_t reserve)
{
	struct sm_text_ahead *h =
		sm_text_ahead_new(m->n_chunks, m->rows, reserve, make_rows, (void *)m, threads);
	assert_non_null(h);
	assert_int_equal(sm_text_ahead_threaded(h), threads > 1 && m->n_chunks > 1);
	size_t *want_ends = calloc(m->rows, sizeof *want_ends);
	assert_non_null(want_ends);
	for (size_t c = 0; c < m->n_chunks; c++) {
		const size_t *ends;
		size_t n_rows;
		const struct sm_buf *got = sm_text_ahead_next(h, &ends, &n_rows);
		assert_non_null(got);
		struct sm_buf want;
		sm_buf_init(&want);
		size_t want_rows = make_rows((void *)m, c, &want, want_ends);
		assert_int_equal(got->failed, want.failed);
		assert_int_equal(n_rows, want_rows);
		if (!want.failed) {
			assert_int_equal(got->len, want.len);
			assert_memory_equal(got->data, want.data, want.len);
			assert_memory_equal(ends, want_ends, n_rows * sizeof *ends);
		}
		sm_buf_release(&want);
	}
	const size_t *ends;
	size_t n_rows;
	assert_null(sm_text_ahead_next(h, &ends, &n_rows));
	assert_null(sm_text_ahead_next(h, &ends, &n_rows));
	free(want_ends);
	sm_text_ahead_free(h);
}

static void chunks_in_order(void **state)
{
	(void)state;
	static const size_t counts[] = { 0, 1, 2, 3, 4, 7, 50 };
	for (size_t i = 0; i < sizeof counts / sizeof *counts; i++) {
		struct maker m = { 64, counts[i], counts[i] };
		for (size_t threads = 1; threads <= 3; threads++) {
			take_all(&m, threads, 4096);
			take_all(&m, threads, 0); /* nothing reserved: every buffer grows */
		}
	}
}

static void failed_chunk_says_so(void **state)
{
	(void)state;
	struct maker m = { 16, 9, 5 };
	take_all(&m, 1, 1024);
	take_all(&m, 2, 1024);
}

/* Freed after two of many chunks (the second thread waiting for a free
 * buffer, or in the middle of one), and before any: no chunk is lost in a
 * wait, and nothing leaks (ASan, valgrind). */
static void stops_early(void **state)
{
	(void)state;
	struct maker m = { 32, 1000, 1000 };
	for (int taken = 0; taken <= 2; taken++) {
		struct sm_text_ahead *h = sm_text_ahead_new(m.n_chunks, m.rows, 512, make_rows,
							    &m, 2);
		assert_non_null(h);
		for (int i = 0; i < taken; i++) {
			const size_t *ends;
			size_t n_rows;
			const struct sm_buf *b = sm_text_ahead_next(h, &ends, &n_rows);
			assert_non_null(b);
			char first[32];
			snprintf(first, sizeof first, "%d.0;", i);
			assert_true(b->len >= strlen(first));
			assert_memory_equal(b->data, first, strlen(first));
		}
		sm_text_ahead_free(h);
	}
	sm_text_ahead_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chunks_in_order),
		cmocka_unit_test(failed_chunk_says_so),
		cmocka_unit_test(stops_early),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
