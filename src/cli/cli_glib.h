/*
 * cli_glib.h -- the process's answer when GLib or Pango run out of memory.
 *
 * GLib aborts when an allocation or a thread it needs fails (Pango's
 * font-match threads under `ulimit -v`), and Pango draws on without text
 * when it cannot make a font.  The README promises exit 4 and "out of
 * memory": the CLI, which owns the process (the library never changes
 * process-wide state), routes GLib's messages through these functions,
 * which write "safemeta: out of memory (GLib: ...)" with write(2) and
 * _exit(4) on such a message, after removing the temporaries of the
 * figure or bundle being written (struct sm_cli), and pass every other
 * message to GLib's default.
 */
#ifndef CLI_GLIB_H
#define CLI_GLIB_H

#include "cli.h"

#include <glib.h>

/* GSlice (GLib before 2.76) ends the process by abort() when its slab
 * allocator cannot get memory, past every handler; with G_SLICE=
 * always-malloc its failures are g_malloc's, which come to the writer
 * below.  GLib reads G_SLICE once, when it is loaded (its constructor
 * already allocates slices), so setting it in main() is too late: unless
 * G_SLICE is set, this sets it and runs the program again
 * (/proc/self/exe, the same argv); without /proc it returns and the run
 * goes on with GSlice's own allocator.  Call first in main(). */
void sm_cli_glib_malloc_slices(char **argv);

/* Sets the writer and handlers below for the process, with `cli` (borrowed for the process's life)
 * as their data: before exit 4 they remove the temporaries of what it says
 * is being written.  Call once, before any GLib use. */
void sm_cli_glib_oom_exit(struct sm_cli *cli);

/* SIGSEGV and SIGBUS while less than 16 MiB of the address-space limit
 * (ulimit -v) are free (fontconfig dereferences a failed malloc): exit 4,
 * "safemeta: out of memory (...)", after removing the temporaries of what
 * `cli` says is being written.  Any other crash keeps the default action.
 * `cli` is borrowed for the process's life. */
void sm_cli_crash_as_oom(struct sm_cli *cli);

GLogWriterOutput sm_cli_glib_writer(GLogLevelFlags level, const GLogField *fields, gsize n,
				    gpointer data);
void sm_cli_glib_handler(const gchar *domain, GLogLevelFlags level, const gchar *msg,
			 gpointer data);

#endif
