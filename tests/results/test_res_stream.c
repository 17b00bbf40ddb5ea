/* The results reader on a large file (sm_res_read from 8 MiB on): decoded
 * chunk by chunk without holding the text, the same document as the whole
 * text gives, a UTF-8 character split across the chunks' edge, and errors
 * with the whole text's positions. */
#include "sm_test.h"

#include "sm_buf.h"
#include "sm_res.h"
#include "sm_res_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK ((size_t)4 << 20) /* the reader's chunk (sm_res_read.c) */

struct big {
	char dir[64];
	char *path;
	struct sm_buf text;
};

/* The MSC results padded with whitespace: before its first non-ASCII
 * character so that the character's first byte is the last of a chunk,
 * and after the document to pass 8 MiB; `tail` replaces the closing
 * brace (a late error). */
static void make_big(struct big *b, const char *tail)
{
	char *fixture = sm_test_path("tests/fixtures/results/msc-iv-rct.results.json");
	char *text = sm_test_slurp(fixture);
	free(fixture);
	assert_non_null(text);
	size_t len = strlen(text), wide = 0;
	while (wide < len && (unsigned char)text[wide] < 0x80)
		wide++;
	assert_true(wide < len && wide < CHUNK);
	assert_int_equal(text[0], '{');
	sm_buf_init(&b->text);
	sm_buf_putc(&b->text, '{');
	for (size_t i = 0; i + 1 < CHUNK - wide; i++)
		sm_buf_putc(&b->text, ' ');
	char *last = strrchr(text, '}');
	assert_non_null(last);
	sm_buf_append(&b->text, text + 1, (size_t)(last - text) - 1);
	sm_buf_puts(&b->text, tail ? tail : "}");
	while (b->text.len < (size_t)9 << 20)
		sm_buf_puts(&b->text, "\n                                                              ");
	assert_false(b->text.failed);
	/* the character straddles the edge of the first chunk */
	assert_true((unsigned char)b->text.data[CHUNK - 1] >= 0xC2);
	free(text);
	snprintf(b->dir, sizeof b->dir, "/tmp/sm-res-stream-XXXXXX");
	assert_non_null(mkdtemp(b->dir));
	b->path = sm_asprintf("%s/big.results.json", b->dir);
	FILE *f = fopen(b->path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b->text.data, 1, b->text.len, f), b->text.len);
	assert_int_equal(fclose(f), 0);
}

static void drop_big(struct big *b)
{
	unlink(b->path);
	rmdir(b->dir);
	free(b->path);
	sm_buf_release(&b->text);
}

static void same_number(double a, double b)
{
	assert_true((isnan(a) && isnan(b)) || a == b);
}

static void same_documents(const struct sm_res *x, const struct sm_res *y)
{
	assert_int_equal(x->analyses.n, y->analyses.n);
	for (size_t i = 0; i < x->analyses.n; i++) {
		const struct sm_res_analysis *a = &x->analyses.v[i], *b = &y->analyses.v[i];
		assert_string_equal(a->name, b->name);
		same_number(a->estimate, b->estimate);
		same_number(a->se, b->se);
		same_number(a->tau2, b->tau2);
		same_number(a->Q_p, b->Q_p);
		assert_int_equal(a->studies.n, b->studies.n);
		for (size_t j = 0; j < a->studies.n; j++) {
			same_number(a->studies.v[j].yi, b->studies.v[j].yi);
			same_number(a->studies.v[j].vi, b->studies.v[j].vi);
		}
	}
	assert_int_equal(x->review.studies.n, y->review.studies.n);
	assert_int_equal(x->review.tables.n, y->review.tables.n);
	assert_int_equal(x->domain_table.rows.n, y->domain_table.rows.n);
}

/* Decoded in chunks, the document is the one the whole text gives. */
static void streamed_equals_whole(void **state)
{
	(void)state;
	struct big b;
	make_big(&b, NULL);
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_res *whole = sm_res_parse(ctx, b.path, b.text.data, b.text.len);
	assert_non_null(whole);
	/* the chunked decoder itself accepts it (sm_res_read would fall back
	 * to the whole text and hide a failure) */
	int again = -1;
	struct sm_res *streamed = sm_res_read_streamed(ctx, b.path, &again);
	assert_non_null(streamed);
	assert_int_equal(again, 0);
	same_documents(whole, streamed);
	sm_res_free(streamed);
	/* and sm_res_read takes that way */
	streamed = sm_res_read(ctx, b.path);
	assert_non_null(streamed);
	same_documents(whole, streamed);
	/* a late error: the chunked decoder refuses, for the whole text to
	 * say where */
	struct big e;
	make_big(&e, ", \"zzz_unknown\": 1}");
	assert_null(sm_res_read_streamed(ctx, e.path, &again));
	assert_int_equal(again, 1);
	assert_null(sm_ctx_error(ctx));
	drop_big(&e);
	sm_res_free(whole);
	sm_res_free(streamed);
	sm_ctx_free(ctx);
	drop_big(&b);
}

/* An error near the end of a large file is reported exactly as the whole
 * text reports it: line, column, field. */
static void late_error_positioned(void **state)
{
	(void)state;
	static const char *const tails[] = { ", \"zzz_unknown\": 1}", ", \"safemeta\": \"x\"}",
					     ", \"analyses\": 7}" };
	for (size_t t = 0; t < sizeof tails / sizeof tails[0]; t++) {
		struct big b;
		make_big(&b, tails[t]);
		struct sm_ctx *c1 = sm_ctx_new(), *c2 = sm_ctx_new();
		assert_null(sm_res_parse(c1, b.path, b.text.data, b.text.len));
		assert_null(sm_res_read(c2, b.path));
		char *m1 = sm_diag_format(sm_ctx_error(c1)), *m2 = sm_diag_format(sm_ctx_error(c2));
		assert_string_equal(m1, m2);
		assert_true(sm_ctx_error(c2)->line > 1);
		free(m1);
		free(m2);
		sm_ctx_free(c1);
		sm_ctx_free(c2);
		drop_big(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(streamed_equals_whole),
		cmocka_unit_test(late_error_positioned),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
