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

/* Sets the writer and handlers below for the process (and G_SLICE to
 * always-malloc unless set), with `cli` (borrowed for the process's life)
 * as their data: before exit 4 they remove the temporaries of what it says
 * is being written.  Call once, before any GLib use. */
void sm_cli_glib_oom_exit(struct sm_cli *cli);

GLogWriterOutput sm_cli_glib_writer(GLogLevelFlags level, const GLogField *fields, gsize n,
				    gpointer data);
void sm_cli_glib_handler(const gchar *domain, GLogLevelFlags level, const gchar *msg,
			 gpointer data);

#endif
