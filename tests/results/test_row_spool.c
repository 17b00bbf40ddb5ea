/*
 * test_row_spool.c -- rows spooled at the depth they sit at are copied into
 * the streamed document by the kernel, in runs (sm_row_spool_copy()), and
 * the document keeps the bytes of the tree printed whole: into a regular
 * file (copy_file_range), a pipe (sendfile), an O_APPEND file and a memory
 * stream (neither take a kernel copy: read back and fwrite), with rows put
 * at another depth than theirs (re-indented), rows given members after
 * they were spooled (a subgroup), rows never spooled and rows put out of
 * document order breaking the runs.  A full device fails as a write error.
 */
#define _GNU_SOURCE /* F_SETPIPE_SZ */
#include "sm_test.h"

#include "sm_buf.h"
#include "sm_json_out.h"
#include "sm_json_stream.h"
#include "sm_row_spool.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Row i of a list: nested containers (several lines), a string that needs
 * escaping, numbers cJSON prints in each of its forms. */
static cJSON *row(const char *list, int i)
{
	char label[64];
	snprintf(label, sizeof label, "%s \"%d\"\n", list, i);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "label", label);
	cJSON_AddNumberToObject(o, "yi", 0.1 * i - 1.0 / 3);
	cJSON_AddNumberToObject(o, "n", i);
	cJSON *in = cJSON_AddObjectToObject(o, "loo");
	cJSON_AddNumberToObject(in, "estimate", 1e-300 * i);
	cJSON *arr = cJSON_AddArrayToObject(in, "ci");
	cJSON_AddItemToArray(arr, cJSON_CreateNumber(-2.5));
	cJSON_AddItemToArray(arr, cJSON_CreateObject());
	cJSON_AddNullToObject(o, "event");
	return o;
}

/* How the rows of the document are spooled. */
enum layout {
	PLAIN,      /* not at all: the reference */
	AT_DEPTH,   /* each at its own depth, in document order */
	REINDENT,   /* at depth 0 and 6 by turns */
	MIXED,      /* some left whole, terms put first, subgroups added */
};

static const char *const keep[] = { "label", "event" };

static void put(struct sm_row_spool *sp, enum layout how, cJSON *r, int depth, int i,
		size_t n_keep)
{
	if (how == PLAIN)
		return;
	if (how == MIXED && i % 7 == 3)
		return; /* stays whole in the tree */
	if (how == REINDENT)
		depth = i % 2 ? 0 : 6;
	sm_row_spool_put(sp, r, depth, keep, n_keep);
	assert_true(how == MIXED || sm_row_spool_has(r));
}

/* {"a", "review": {"studies"}, "analyses": [{"studies", "excluded"}],
 * "multiplicity": {"terms"}} with n rows in each list; with tags, some
 * analysis rows get a member after they were put. */
static cJSON *doc_of(struct sm_row_spool *sp, enum layout how, int n, int tags)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON_AddNumberToObject(doc, "a", 1);
	cJSON *review = cJSON_AddObjectToObject(doc, "review");
	cJSON_AddStringToObject(review, "id", "r");
	cJSON *rs = cJSON_AddArrayToObject(review, "studies");
	cJSON_AddNullToObject(review, "prisma");
	cJSON *analyses = cJSON_AddArrayToObject(doc, "analyses");
	cJSON *a = cJSON_CreateObject();
	cJSON_AddItemToArray(analyses, a);
	cJSON_AddStringToObject(a, "name", "x");
	cJSON *as = cJSON_AddArrayToObject(a, "studies");
	cJSON *ax = cJSON_AddArrayToObject(a, "excluded");
	cJSON_AddItemToObject(a, "warnings", cJSON_CreateArray());
	cJSON *m = cJSON_AddObjectToObject(doc, "multiplicity");
	cJSON *terms = cJSON_AddArrayToObject(m, "terms");
	if (how == MIXED) /* the terms first: out of document order */
		for (int i = 0; i < n; i++) {
			cJSON *r = row("term", i);
			put(sp, how, r, SM_ROW_DEPTH_TERMS, i, 0);
			cJSON_AddItemToArray(terms, r);
		}
	for (int i = 0; i < n; i++) {
		cJSON *r = row("review", i);
		put(sp, how, r, SM_ROW_DEPTH_REVIEW, i, 0);
		cJSON_AddItemToArray(rs, r);
	}
	for (int i = 0; i < n; i++) {
		cJSON *r = row("analysis", i);
		put(sp, how, r, SM_ROW_DEPTH_ANALYSIS, i, 2);
		/* every fifth row excluded: the two lists interleave in the spool */
		cJSON_AddItemToArray(i % 5 == 4 ? ax : as, r);
		if (tags && i % 4 == 1) /* a subgroup tag after the row is out */
			cJSON_AddStringToObject(r, "subgroup", "g\t1");
	}
	if (how != MIXED)
		for (int i = 0; i < n; i++) {
			cJSON *r = row("term", i);
			put(sp, how, r, SM_ROW_DEPTH_TERMS, i, 0);
			cJSON_AddItemToArray(terms, r);
		}
	cJSON_AddFalseToObject(doc, "z");
	return doc;
}

/* Reads all of fd from its start. */
static char *read_all(int fd, int from_start)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	assert_non_null(buf);
	if (from_start)
		assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	for (;;) {
		if (len + 1 >= cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		ssize_t k = read(fd, buf + len, cap - len - 1);
		assert_true(k >= 0);
		if (k == 0)
			break;
		len += (size_t)k;
	}
	buf[len] = 0;
	return buf;
}

enum sink { REGULAR, PIPE, APPEND, MEMORY };

/* The streamed text of doc (freed) through sink. */
static char *through(cJSON *doc, struct sm_row_spool *sp, enum sink sink)
{
	char *text = NULL;
	if (sink == MEMORY) {
		size_t len;
		FILE *f = open_memstream(&text, &len);
		assert_non_null(f);
		assert_int_equal(sm_json_stream_results(doc, sp, f), 0);
		assert_int_equal(fclose(f), 0);
		return text;
	}
	if (sink == PIPE) {
		int p[2];
		assert_int_equal(pipe(p), 0);
		/* room for the whole document: nobody reads while it is written */
		assert_true(fcntl(p[1], F_SETPIPE_SZ, 1 << 20) >= (1 << 20));
		FILE *f = fdopen(p[1], "w");
		assert_non_null(f);
		assert_int_equal(sm_json_stream_results(doc, sp, f), 0);
		assert_int_equal(fclose(f), 0);
		text = read_all(p[0], 0);
		close(p[0]);
		return text;
	}
	char name[] = "/tmp/sm-test-row-spool-XXXXXX";
	int fd = mkstemp(name);
	assert_true(fd >= 0);
	unlink(name);
	if (sink == APPEND)
		assert_int_equal(fcntl(fd, F_SETFL, O_APPEND), 0);
	FILE *f = fdopen(dup(fd), "w");
	assert_non_null(f);
	assert_int_equal(sm_json_stream_results(doc, sp, f), 0);
	assert_int_equal(fclose(f), 0);
	text = read_all(fd, 1);
	close(fd);
	return text;
}

static void test_sinks(void **state)
{
	(void)state;
	static const char *const layouts[] = { "plain", "at depth", "re-indented", "mixed" };
	static const char *const sinks[] = { "regular file", "pipe", "O_APPEND file", "memory" };
	for (int n = 0; n <= 23; n += 23)
		for (int how = AT_DEPTH; how <= MIXED; how++) {
			cJSON *ref = doc_of(NULL, PLAIN, n, how == MIXED);
			char *want = sm_json_print(ref);
			assert_non_null(want);
			cJSON_Delete(ref);
			for (int sink = REGULAR; sink <= MEMORY; sink++) {
				struct sm_row_spool *sp = sm_row_spool_new();
				assert_non_null(sp);
				cJSON *doc = doc_of(sp, (enum layout)how, n, how == MIXED);
				assert_int_equal(sm_row_spool_failed(sp), 0);
				char *got = through(doc, sp, (enum sink)sink);
				char what[128];
				snprintf(what, sizeof what, "%d rows, %s, %s", n, layouts[how],
					 sinks[sink]);
				sm_test_same_bytes(want, got, what);
				free(got);
				sm_row_spool_free(sp);
			}
			free(want);
		}
}

/* A row spooled at its depth sits in the spool exactly as in the output,
 * followed by the list separator. */
static void test_where(void **state)
{
	(void)state;
	struct sm_row_spool *sp = sm_row_spool_new();
	assert_non_null(sp);
	cJSON *a = row("x", 1), *b = row("x", 2);
	sm_row_spool_put(sp, a, 3, keep, 1);
	sm_row_spool_put(sp, b, 3, NULL, 0);
	long long at_a, at_b;
	size_t len_a, len_b, kept;
	int depth;
	sm_row_spool_where(a, &at_a, &len_a, &kept, &depth);
	assert_int_equal(at_a, 0);
	assert_int_equal(kept, 1);
	assert_int_equal(depth, 3);
	sm_row_spool_where(b, &at_b, &len_b, &kept, &depth);
	assert_int_equal(at_b, (long long)len_a + 2);
	assert_int_equal(kept, 0);
	cJSON *whole = row("x", 2);
	char *want = cJSON_Print(whole);
	cJSON_Delete(whole);
	const char *text = sm_row_spool_text(sp, b, &len_b, &kept, &depth);
	assert_non_null(text);
	/* cJSON_Print() at depth 0, each line after the first 3 tabs deeper */
	struct sm_buf ind;
	sm_buf_init(&ind);
	for (const char *p = want; *p; p++) {
		sm_buf_putc(&ind, *p);
		if (*p == '\n')
			sm_buf_puts(&ind, "\t\t\t");
	}
	assert_string_equal(text, ind.data);
	sm_buf_release(&ind);
	free(want);
	cJSON_Delete(a);
	cJSON_Delete(b);
	sm_row_spool_free(sp);
}

/* A copy the device refuses is a write error of the stream, with its
 * errno, as the writes around it are; nothing is buffered before it. */
static void test_full_device(void **state)
{
	(void)state;
	FILE *f = fopen("/dev/full", "w");
	if (!f)
		skip();
	struct sm_row_spool *sp = sm_row_spool_new();
	assert_non_null(sp);
	cJSON *rows[300];
	for (int i = 0; i < 300; i++) {
		rows[i] = row("r", i);
		sm_row_spool_put(sp, rows[i], 3, NULL, 0);
	}
	long long at;
	size_t len, kept;
	int depth;
	sm_row_spool_where(rows[299], &at, &len, &kept, &depth);
	errno = 0;
	int rc = sm_row_spool_copy(sp, 0, (size_t)at + len, f);
	if (rc == 0)
		rc = fflush(f); /* the stdio way buffers the last piece */
	assert_int_equal(rc, -1);
	assert_true(ferror(f));
	assert_int_equal(errno, ENOSPC);
	fclose(f);
	for (int i = 0; i < 300; i++)
		cJSON_Delete(rows[i]);
	sm_row_spool_free(sp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_where),
		cmocka_unit_test(test_sinks),
		cmocka_unit_test(test_full_device),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
