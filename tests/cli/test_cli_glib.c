/* GLib's and Pango's out-of-memory messages end the process with exit 4
 * and "safemeta: out of memory (GLib: ...)" (src/cli/cli_glib.c); other
 * messages pass on.  Each case runs in a child, which must exit as the CLI
 * would. */
#include "sm_test.h"

#include "cli_glib.h"
#include "sm_buf.h"

#include <stdio.h>
#include <sys/stat.h>
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

static struct sm_cli writing; /* what the child says it is writing */

static void structured(const char *msg)
{
	GLogField fields[] = { { "GLIB_DOMAIN", "GLib", -1 }, { "MESSAGE", msg, -1 } };
	sm_cli_glib_writer(G_LOG_LEVEL_ERROR, fields, 2, &writing);
}

static void warning(const char *msg)
{
	sm_cli_glib_handler("Pango", G_LOG_LEVEL_WARNING, msg, &writing);
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

static int there(const char *dir, const char *name)
{
	char *p = sm_asprintf("%s/%s", dir, name);
	struct stat st;
	int r = lstat(p, &st) == 0;
	free(p);
	return r;
}

static void touch(const char *dir, const char *name)
{
	char *p = sm_asprintf("%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fclose(f);
	free(p);
}

/* Before exit 4 the temporaries of what is being written go: the figure's
 * PATH.tmp.XXXXXX and the bundle's .NAME.tmp.XXXXXX folder; other files
 * stay, names that merely look alike too. */
static void temporaries_removed(void **state)
{
	(void)state;
	char dir[] = "/tmp/sm-cli-glib-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *fig = sm_asprintf("%s/f.png", dir), *bundle = sm_asprintf("%s/b", dir);
	touch(dir, "f.png.tmp.ab12cd");
	touch(dir, "f.png.tmp.ab12cdX");
	touch(dir, "f.png");
	char *folder = sm_asprintf("%s/.b.tmp.zz99yy", dir);
	assert_int_equal(mkdir(folder, 0777), 0);
	touch(folder, "report.pdf");
	writing = (struct sm_cli){ .writing_file = fig, .writing_bundle = bundle };
	char err[1024];
	assert_int_equal(in_child(structured, "creating thread 'x': Error creating thread", err,
				  sizeof err), 4);
	assert_false(there(dir, "f.png.tmp.ab12cd"));
	assert_false(there(dir, ".b.tmp.zz99yy"));
	assert_true(there(dir, "f.png.tmp.ab12cdX"));
	assert_true(there(dir, "f.png"));
	writing = (struct sm_cli){ 0 };
	char *cmd = sm_asprintf("rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(folder);
	free(fig);
	free(bundle);
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
		cmocka_unit_test(temporaries_removed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
