/* GLib's and Pango's out-of-memory messages end the process with exit 4
 * and "safemeta: out of memory (GLib: ...)" (src/cli/cli_glib.c); other
 * messages pass on.  Each case runs in a child, which must exit as the CLI
 * would. */
#include "sm_test.h"

#include "cli_glib.h"
#include "sm_buf.h"

#include <fcntl.h>
#include <stdio.h>
#include <signal.h>
#include <sys/resource.h>
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

/* A folder with what a run being written leaves: the figure's
 * f.png.tmp.XXXXXX and the bundle's .b.tmp.XXXXXX folder (report.pdf and
 * figures/ of 200 entries, more than one getdents64 buffer), beside
 * f.png and a look-alike name; `writing` says f.png and b are written. */
struct scene {
	char dir[32];
	char *fig, *bundle;
};

static void scene_make(struct scene *sc)
{
	snprintf(sc->dir, sizeof sc->dir, "/tmp/sm-cli-glib-XXXXXX");
	assert_non_null(mkdtemp(sc->dir));
	sc->fig = sm_asprintf("%s/f.png", sc->dir);
	sc->bundle = sm_asprintf("%s/b", sc->dir);
	touch(sc->dir, "f.png.tmp.ab12cd");
	touch(sc->dir, "f.png.tmp.ab12cdX");
	touch(sc->dir, "f.png");
	char *folder = sm_asprintf("%s/.b.tmp.zz99yy", sc->dir);
	char *sub = sm_asprintf("%s/figures", folder);
	assert_int_equal(mkdir(folder, 0777), 0);
	assert_int_equal(mkdir(sub, 0777), 0);
	touch(folder, "report.pdf");
	for (int i = 0; i < 200; i++) {
		char name[32];
		snprintf(name, sizeof name, "forest-%03d.pdf", i);
		touch(sub, name);
	}
	free(sub);
	free(folder);
	writing = (struct sm_cli){ .writing_file = sc->fig, .writing_bundle = sc->bundle };
}

/* The temporaries are gone; other files stay, names that merely look
 * alike too.  Then the folder goes. */
static void scene_check_and_free(struct scene *sc)
{
	assert_false(there(sc->dir, "f.png.tmp.ab12cd"));
	assert_false(there(sc->dir, ".b.tmp.zz99yy"));
	assert_true(there(sc->dir, "f.png.tmp.ab12cdX"));
	assert_true(there(sc->dir, "f.png"));
	writing = (struct sm_cli){ 0 };
	char *cmd = sm_asprintf("rm -rf %s", sc->dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(sc->fig);
	free(sc->bundle);
}

/* Before exit 4 the temporaries of what is being written go. */
static void temporaries_removed(void **state)
{
	(void)state;
	struct scene sc;
	scene_make(&sc);
	char err[1024];
	assert_int_equal(in_child(structured, "creating thread 'x': Error creating thread", err,
				  sizeof err), 4);
	scene_check_and_free(&sc);
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

/* A crash in the child, after sm_cli_crash_as_oom, with the address-space
 * limit (RLIMIT_AS) set just above what the process uses when `msg` says
 * "limit" (a failed malloc's neighbourhood), none otherwise. */
static void crash(const char *msg)
{
	sm_cli_crash_as_oom(&writing);
	if (!strcmp(msg, "limit")) {
		FILE *f = fopen("/proc/self/statm", "r");
		unsigned long pages = 0;
		if (!f || fscanf(f, "%lu", &pages) != 1)
			_exit(99);
		fclose(f);
		struct rlimit lim = { .rlim_cur = pages * (rlim_t)sysconf(_SC_PAGESIZE) + (4 << 20),
				      .rlim_max = RLIM_INFINITY };
		if (setrlimit(RLIMIT_AS, &lim) != 0)
			_exit(98);
	}
	raise(SIGSEGV);
	_exit(0); /* not reached: the handler exits, or the default action kills */
}

/* Fontconfig's NULL dereference of a failed malloc (a SIGSEGV in a Pango
 * thread) near the address-space limit is exit 4 with the temporaries
 * removed, a bundle's nested folders too; without the limit nearly reached
 * a crash stays a crash. */
static void crash_near_limit_is_oom(void **state)
{
	(void)state;
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SM_TEST_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(SM_TEST_ASAN)
	/* ASan reserves terabytes of address space: no limit can be near */
	print_message("address-space limit part not run under AddressSanitizer\n");
#else
	struct scene sc;
	scene_make(&sc);
	char err[1024];
	assert_int_equal(in_child(crash, "limit", err, sizeof err), 4);
	assert_non_null(strstr(err, "safemeta: out of memory (a font library crashed"));
	scene_check_and_free(&sc);
#endif
	char none[1024];
	assert_int_equal(in_child(crash, "no limit", none, sizeof none), -1);
	assert_null(strstr(none, "out of memory"));
}

/* G_SLICE of the CLI's process as it runs: the binary (SAFEMETA_BIN) is
 * started with G_SLICE = `g_slice` (NULL: unset), reading a review from
 * /dev/stdin, a pipe this test holds open, and its /proc/PID/environ is
 * read while it waits there.  `value` is "" when the variable is not set. */
static void g_slice_of_cli(const char *g_slice, char *value, size_t size)
{
	const char *bin = getenv("SAFEMETA_BIN");
	assert_non_null(bin);
	int in[2];
	assert_int_equal(pipe(in), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(in[0], 0);
		close(in[1]);
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		if (g_slice)
			setenv("G_SLICE", g_slice, 1);
		else
			unsetenv("G_SLICE");
		execl(bin, bin, "analyze", "/dev/stdin", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	/* the environment is the exec'd program's once its executable is the
	 * CLI again and it has read nothing yet: wait until it blocks on the pipe */
	char path[64], buf[8192];
	snprintf(path, sizeof path, "/proc/%d/environ", (int)pid);
	value[0] = '\0';
	for (int tries = 0; tries < 3000; tries++) {
		char wchan[64] = "";
		char wpath[64];
		snprintf(wpath, sizeof wpath, "/proc/%d/wchan", (int)pid);
		FILE *w = fopen(wpath, "r");
		if (w) {
			if (!fgets(wchan, sizeof wchan, w))
				wchan[0] = '\0';
			fclose(w);
		}
		if (strstr(wchan, "pipe_read"))
			break;
		usleep(10000);
	}
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	for (size_t at = 0; at < n; at += strlen(buf + at) + 1)
		if (!strncmp(buf + at, "G_SLICE=", 8))
			snprintf(value, size, "%s", buf + at + 8);
	close(in[1]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
}

/* GLib reads G_SLICE when it is loaded, before main(): the CLI runs itself
 * again with it set, so that GSlice's failures are malloc's and come to
 * the writer (exit 4) instead of an abort; a value the user set is kept. */
static void cli_runs_with_malloc_slices(void **state)
{
	(void)state;
	char value[64];
	g_slice_of_cli(NULL, value, sizeof value);
	assert_string_equal(value, "always-malloc");
	g_slice_of_cli("debug-blocks", value, sizeof value);
	assert_string_equal(value, "debug-blocks");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(out_of_memory_exits_4),
		cmocka_unit_test(other_messages_pass),
		cmocka_unit_test(temporaries_removed),
		cmocka_unit_test(cli_runs_with_malloc_slices),
		cmocka_unit_test(crash_near_limit_is_oom),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
