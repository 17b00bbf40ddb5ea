/* cli_glib.c -- GLib's and Pango's out-of-memory ends as the CLI's exit 4
 * (cli_glib.h). */
#include "cli_glib.h"

#include "sm_atomic.h"
#include "sm_bundle_dir.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Whether a GLib message says memory ran out: an allocation or a thread
 * GLib needed (Pango's font-match threads under a memory limit), or a font
 * Pango could not make ("scaled_font status is: out of memory", after
 * which it draws no text: a figure without its words is no figure). */
static int glib_out_of_memory(GLogLevelFlags level, const char *msg)
{
	if (!msg || !(level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)))
		return 0;
	/* Pango's first word of a font it could not make (the bundled fonts
	 * are checked at start, so memory is what fails it) */
	return strstr(msg, "failed to allocate") || strstr(msg, "creating thread") ||
	       strstr(msg, "out of memory") || strstr(msg, "failed to create cairo scaled font");
}

struct dirent64_head {
	uint64_t ino;
	int64_t off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

/* Removes the entry `name` of folder `dfd`, a folder with what it holds
 * (at most `depth` levels), with getdents64 instead of opendir (which
 * allocates); 0 when it is gone.  A folder's entries are read from the
 * start again after a pass that removed some, so that removing while
 * reading skips nothing; a pass that removes none ends it (an entry that
 * cannot go never makes it spin). */
static int remove_tree_at(int dfd, const char *name, int depth)
{
	if (unlinkat(dfd, name, 0) == 0)
		return 0;
	if (errno != EISDIR || depth <= 0)
		return -1;
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	char buf[1024];
	for (int progress = 1; progress;) {
		progress = 0;
		lseek(fd, 0, SEEK_SET);
		for (long n; (n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0;)
			for (long at = 0; at < n;) {
				struct dirent64_head *e = (struct dirent64_head *)(buf + at);
				at += e->reclen;
				if (strcmp(e->name, ".") && strcmp(e->name, "..") &&
				    remove_tree_at(fd, e->name, depth - 1) == 0)
					progress = 1;
			}
	}
	close(fd);
	return unlinkat(dfd, name, AT_REMOVEDIR);
}

/* Removes PATH.tmp.XXXXXX beside PATH (hidden: .NAME.tmp.XXXXXX, a
 * bundle's folder, which is a hidden sibling).  Without allocation, so
 * that it serves the crash handler as well as GLib's writer. */
static void remove_temporaries(const char *path, int hidden)
{
	if (!path || !*path)
		return;
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	char dir[4096], prefix[512];
	size_t dn = slash ? (size_t)(slash - path) : 1;
	size_t bn = strlen(base);
	if (dn + 1 > sizeof dir || bn + 7 > sizeof prefix)
		return;
	memcpy(dir, slash ? path : ".", dn);
	dir[dn] = '\0';
	if (!dir[0])
		memcpy(dir, "/", 2);
	size_t pn = 0;
	if (hidden)
		prefix[pn++] = '.';
	memcpy(prefix + pn, base, bn);
	memcpy(prefix + pn + bn, ".tmp.", 6);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	char buf[1024];
	for (long n; (n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0;)
		for (long at = 0; at < n;) {
			struct dirent64_head *e = (struct dirent64_head *)(buf + at);
			at += e->reclen;
			if (sm_tmp_name_is(e->name, prefix))
				remove_tree_at(fd, e->name, SM_BUNDLE_DIR_MAX_DEPTH);
		}
	close(fd);
}

/* Removes the temporaries of what `cli` says is being written and ends
 * the process with exit 4 and "safemeta: out of memory (WHY DETAIL); ...".
 * write(2), not stdio: the failing thread may not be the one holding
 * stderr's lock, and a signal handler may not use stdio at all. */
static void exit_out_of_memory(const struct sm_cli *cli, const char *why, const char *detail)
{
	if (cli) {
		remove_temporaries(cli->writing_file, 0);
		remove_temporaries(cli->writing_bundle, 1);
	}
	static const char head[] = "safemeta: out of memory (";
	static const char tail[] = "); expected more memory (ulimit -v) or a smaller input\n";
	ssize_t rc = write(2, head, sizeof head - 1);
	rc = write(2, why, strlen(why));
	rc = write(2, detail, strlen(detail));
	rc = write(2, tail, sizeof tail - 1);
	(void)rc;
	_exit(4);
}

/* GLib ends the process (abort) when such an allocation fails, and Pango
 * goes on without text; the README promises exit 4 and "out of memory",
 * so the CLI, which owns the process, says that instead, after removing
 * the temporaries of what `data` (the struct sm_cli) says is being
 * written.  Every other message goes to GLib's own writer. */
GLogWriterOutput sm_cli_glib_writer(GLogLevelFlags level, const GLogField *fields, gsize n,
				    gpointer data)
{
	for (gsize i = 0; i < n; i++)
		if (!strcmp(fields[i].key, "MESSAGE") && fields[i].length < 0 &&
		    glib_out_of_memory(level, fields[i].value))
			exit_out_of_memory(data, "GLib: ", fields[i].value);
	return g_log_writer_default(level, fields, n, data);
}

void sm_cli_glib_handler(const gchar *domain, GLogLevelFlags level, const gchar *msg,
			 gpointer data)
{
	if (glib_out_of_memory(level, msg))
		exit_out_of_memory(data, "GLib: ", msg);
	g_log_default_handler(domain, level, msg, data);
}

void sm_cli_glib_malloc_slices(char **argv)
{
	if (getenv("G_SLICE") || setenv("G_SLICE", "always-malloc", 1) != 0)
		return;
	execv("/proc/self/exe", argv);
	/* no /proc: GSlice keeps its own allocator */
}

void sm_cli_glib_oom_exit(struct sm_cli *cli)
{
	g_log_set_writer_func(sm_cli_glib_writer, cli, NULL);
	g_log_set_handler("GLib", G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION,
			  sm_cli_glib_handler, cli);
	g_log_set_handler("Pango", G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION,
			  sm_cli_glib_handler, cli);
}

/* ---- a library's crash when memory ran out ---------------------------- */

/* Fontconfig, under Pango's font-match threads, dereferences what a failed
 * malloc returned (measured: 6 SIGSEGV in ~1,050 forest PNGs under ulimit
 * -v 100-160 MiB, every one in FcFontSetMatch / FcConfigSubstituteWithPat
 * of a "[pango]" thread).  A crash while the address space is all but
 * exhausted is that, not a bug of ours, and is reported as exit 4 with
 * the temporaries removed; any other crash keeps its default action (a
 * core).  A signal handler can reach nothing but a static: this pointer
 * is the CLI's, set once in main(), never the library's. */
static struct sm_cli *crash_cli;

/* Less than this much of RLIMIT_AS free: a failed malloc is the likely
 * cause (glibc asks for at most a 64 MiB heap at a time, usually far
 * less; a small request fails only with less than about 1 MiB left). */
#define CRASH_FREE_BYTES (16u << 20)

/* Async-signal-safe, as everything on_crash calls (the removal and the
 * message above too): system calls and plain loops, no malloc, no stdio. */
static int address_space_exhausted(void)
{
	struct rlimit lim;
	if (getrlimit(RLIMIT_AS, &lim) != 0 || lim.rlim_cur == RLIM_INFINITY)
		return 0;
	int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
	char text[64];
	ssize_t n = fd >= 0 ? read(fd, text, sizeof text - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return 0;
	uint64_t pages = 0;
	for (ssize_t i = 0; i < n && text[i] >= '0' && text[i] <= '9'; i++)
		pages = pages * 10 + (uint64_t)(text[i] - '0');
	uint64_t used = pages * (uint64_t)sysconf(_SC_PAGESIZE);
	return used + CRASH_FREE_BYTES >= (uint64_t)lim.rlim_cur;
}

static void on_crash(int signo)
{
	if (!address_space_exhausted()) {
		/* the default action: on return the fault repeats (or, for a
		 * raised signal, the pending one is delivered) and dumps core */
		signal(signo, SIG_DFL);
		raise(signo);
		return;
	}
	exit_out_of_memory(crash_cli, "a font library crashed when the address space limit "
			   "was reached", "");
}

void sm_cli_crash_as_oom(struct sm_cli *cli)
{
	crash_cli = cli;
	struct sigaction sa = { .sa_handler = on_crash, .sa_flags = SA_RESETHAND };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
}
