/* cli_glib.c -- GLib's and Pango's out-of-memory ends as the CLI's exit 4
 * (cli_glib.h). */
#include "cli_glib.h"

#include "sm_atomic.h"
#include "sm_bundle_dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
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

/* Removes PATH.tmp.XXXXXX beside PATH (dot: ".NAME" for a bundle's
 * folder, which is a hidden sibling). */
static void remove_temporaries(const char *path, int hidden)
{
	if (!path || !*path)
		return;
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	char dir[4096], name[512];
	int dn = slash ? snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path)
		       : snprintf(dir, sizeof dir, ".");
	int nn = snprintf(name, sizeof name, "%s%s.tmp.", hidden ? "." : "", base);
	if (dn < 0 || (size_t)dn >= sizeof dir || nn < 0 || (size_t)nn >= sizeof name)
		return;
	if (!dir[0])
		snprintf(dir, sizeof dir, "/");
	DIR *d = opendir(dir);
	for (struct dirent *e; d && (e = readdir(d));)
		if (sm_tmp_name_is(e->d_name, name))
			sm_remove_tree(dirfd(d), e->d_name, SM_BUNDLE_DIR_MAX_DEPTH);
	if (d)
		closedir(d);
}

static void say_out_of_memory(const char *msg, const struct sm_cli *cli)
{
	if (cli) {
		remove_temporaries(cli->writing_file, 0);
		remove_temporaries(cli->writing_bundle, 1);
	}
	/* write(2), not stdio: the failing thread may not be the one holding
	 * stderr's lock */
	static const char head[] = "safemeta: out of memory (GLib: ";
	static const char tail[] = "); expected more memory (ulimit -v) or a smaller input\n";
	ssize_t rc = write(2, head, sizeof head - 1);
	rc = write(2, msg, strlen(msg));
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
			say_out_of_memory(fields[i].value, data);
	return g_log_writer_default(level, fields, n, data);
}

void sm_cli_glib_handler(const gchar *domain, GLogLevelFlags level, const gchar *msg,
			 gpointer data)
{
	if (glib_out_of_memory(level, msg))
		say_out_of_memory(msg, data);
	g_log_default_handler(domain, level, msg, data);
}

void sm_cli_glib_oom_exit(struct sm_cli *cli)
{
	/* GSlice reports its own allocation failures by abort(), past any
	 * handler; with malloc underneath they come to the writer (GLib 2.76
	 * and later have no GSlice of their own) */
	setenv("G_SLICE", "always-malloc", 0);
	g_log_set_writer_func(sm_cli_glib_writer, cli, NULL);
	g_log_set_handler("GLib", G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION,
			  sm_cli_glib_handler, cli);
	g_log_set_handler("Pango", G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION,
			  sm_cli_glib_handler, cli);
}
