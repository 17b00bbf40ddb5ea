/*
 * test_memory.c -- reading reviews from memory (sm_review_parse,
 * sm_review_parse_csv: the fuzzers' entry points) and from a pipe, which can
 * be read only once.
 */
#include "sm_test.h"

#include "sm_buf.h"
#include "sm_review_read.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char review[] =
	"{\"safemeta_review\": 1, \"metadata\": {\"id\": \"m\", \"title\": \"T\"},\n"
	" \"studies\": [{\"id\": \"a\", \"label\": \"A\"}, {\"id\": \"b\", \"label\": \"B\"}],\n"
	" \"outcomes\": [{\"study\": \"a\", \"xi\": 1, \"ni\": 10},\n"
	"              {\"study\": \"b\", \"xi\": 2, \"ni\": 20}]}\n";

static void json_from_memory(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_review *r = sm_review_parse(ctx, "mem.json", review, strlen(review));
	assert_non_null(r);
	assert_int_equal(r->n_studies, 2);
	assert_int_equal(r->n_outcomes, 2);
	assert_true(r->outcomes[1].ni == 20);
	assert_string_equal(r->path, "mem.json");
	sm_review_free(r);
	sm_ctx_free(ctx);
}

/* The text need not be NUL-terminated: only len bytes count. */
static void csv_from_memory_honours_len(void **state)
{
	(void)state;
	static const char text[] = "study,xi,ni\nA,1,10\nB,2,20\nC,3,";
	struct sm_ctx *ctx = sm_ctx_new();
	size_t len = strlen(text) - strlen("C,3,");
	struct sm_review *r = sm_review_parse_csv(ctx, "mem.csv", text, len);
	assert_non_null(r);
	assert_int_equal(r->n_outcomes, 2);
	assert_string_equal(r->id, "mem");
	sm_review_free(r);
	sm_ctx_free(ctx);
}

/* In-memory text gets the file checks: UTF-8, no NUL byte. */
static void memory_text_is_checked(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	assert_null(sm_review_parse(ctx, "bad.json", "{\"a\":\n \"\xff\"}", 11));
	char *msg = sm_diag_format(sm_ctx_error(ctx));
	assert_string_equal(msg, "bad.json:2:3: invalid UTF-8 (byte 0xFF); expected UTF-8 text");
	free(msg);
	sm_ctx_clear_error(ctx);
	assert_null(sm_review_parse_csv(ctx, "nul.csv", "study,xi,ni\nA\0,1,2\n", 19));
	msg = sm_diag_format(sm_ctx_error(ctx));
	assert_string_equal(msg, "nul.csv:2:2: NUL byte in text; expected a text file");
	free(msg);
	sm_ctx_free(ctx);
}

/* A pipe named without extension (/dev/stdin, /dev/fd/N) is sniffed and
 * parsed from one read; reading it twice would see an empty second read.
 * (A named FIFO is refused without blocking: CLI case input-fifo.) */
static void pipe_is_read_once(void **state)
{
	(void)state;
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		ssize_t n = write(fds[1], review, strlen(review));
		_exit(n == (ssize_t)strlen(review) ? 0 : 1);
	}
	close(fds[1]);
	char *path = sm_asprintf("/dev/fd/%d", fds[0]);
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_review *r = sm_review_load_any(ctx, path);
	int status = 0;
	waitpid(pid, &status, 0);
	close(fds[0]);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_non_null(r);
	assert_int_equal(r->n_outcomes, 2);
	sm_review_free(r);
	sm_ctx_free(ctx);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_from_memory),
		cmocka_unit_test(csv_from_memory_honours_len),
		cmocka_unit_test(memory_text_is_checked),
		cmocka_unit_test(pipe_is_read_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
