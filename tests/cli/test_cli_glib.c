/* GLib's and Pango's out-of-memory messages end the process with exit 4
 * and "safemeta: out of memory (GLib: ...)" (src/cli/cli_glib.c); other
 * messages pass on.  Each case runs in a child, which must exit as the CLI
 * would. */
#include "sm_test.h"

#include "cli_glib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs fn(msg) in a child with stderr in a pipe; its exit status (-1: a
 * signal) and what it wrote. */
static int in_child(void (*fn)(const char *), const char *msg, char *err, size_t size)
{
	int fd[2];
	assert_int_equal(pipe(fd), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fd[1], 2);
		close(fd[0]);
		fn(msg);
		_exit(0);
	}
	close(fd[1]);
	size_t got = 0;
	for (ssize_t n; got + 1 < size && (n = read(fd[0], err + got, size - 1 - got)) > 0;)
		got += (size_t)n;
	err[got] = '\0';
	close(fd[0]);
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void structured(const char *msg)
{
	GLogField fields[] = { { "GLIB_DOMAIN", "GLib", -1 }, { "MESSAGE", msg, -1 } };
	sm_cli_glib_writer(G_LOG_LEVEL_ERROR, fields, 2, NULL);
}

static void warning(const char *msg)
{
	sm_cli_glib_handler("Pango", G_LOG_LEVEL_WARNING, msg, NULL);
}

static void out_of_memory_exits_4(void **state)
{
	(void)state;
	char err[1024];
	assert_int_equal(in_child(structured, "creating thread '[pango] FcFontSetSort': Error "
				  "creating thread: Resource temporarily unavailable", err,
				  sizeof err), 4);
	assert_non_null(strstr(err, "safemeta: out of memory (GLib: creating thread '[pango] "
				    "FcFontSetSort'"));
	assert_int_equal(in_child(structured, "GLib: failed to allocate 240 bytes", err, sizeof err),
			 4);
	assert_non_null(strstr(err, "safemeta: out of memory"));
	/* Pango goes on without text after this one: no figure without words */
	assert_int_equal(in_child(warning, "failed to create cairo scaled font, expect ugly "
				  "output. the offending font is 'Liberation Sans Bold 8'", err,
				  sizeof err), 4);
	assert_non_null(strstr(err, "safemeta: out of memory (GLib: failed to create cairo"));
}

static void other_messages_pass(void **state)
{
	(void)state;
	char err[1024];
	/* a warning of another kind is GLib's to print, and the process goes on */
	assert_int_equal(in_child(warning, "some unrelated warning", err, sizeof err), 0);
	assert_null(strstr(err, "out of memory"));
	assert_non_null(strstr(err, "some unrelated warning"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(out_of_memory_exits_4),
		cmocka_unit_test(other_messages_pass),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
