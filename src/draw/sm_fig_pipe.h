/*
 * sm_fig_pipe.h -- a long figure written to PDF page by page while it is
 * laid out: the layout hands each finished page over (sm_fig_take_page)
 * and goes on with the next while a second thread draws the page and
 * has cairo turn the one before into PDF operators (cairo_show_page, the
 * largest part of a long forest's time).  Only a few pages exist at once
 * (a bounded queue), so memory no longer grows with the figure.
 *
 * The file is the one sm_fig_write() would write, byte for byte, whatever
 * the timing: the pages are drawn one after another, in order, by the same
 * calls on one canvas.  The page size must be known before the first page
 * (the layout measures it first).
 *
 * Threads.  The layout's thread owns the figure's text engine (Pango and
 * the text cache); the drawer never calls it.  It draws kept texts from
 * their cache entries, which are never changed, moved or freed before the
 * engine is (sm_text.h), with scratch room of its own, and it shares only
 * cairo's scaled fonts with the engine, which cairo locks.  A page holding
 * a text that is not kept (a glyph no font has: Pango draws a box) would
 * need the engine: the layout waits until the drawer has drawn every page
 * before it and draws that page itself.  The canvas is used by one thread
 * at a time: by the drawer between open and close, by the layout's thread
 * only while the drawer waits on an empty queue.  Errors of the drawer are
 * kept in the pipe and reported on the layout's context.
 *
 * Ownership: sm_fig_pipe_open() borrows the figure (its style, fonts and
 * engine must live until sm_fig_pipe_close/_abort, which free the pipe);
 * pages put are owned by the pipe.
 */
#ifndef SM_FIG_PIPE_H
#define SM_FIG_PIPE_H

#include "sm_ctx.h"
#include "sm_fig.h"

/* Pages laid out ahead of the one being drawn. */
#define SM_FIG_PIPE_DEPTH 2

struct sm_fig_pipe;

/* Open `path` (a PDF) for pages of f->width x height and start the
 * drawer; with threaded 0 (or when no thread can be started) every page
 * is drawn as it is put, on the caller's thread.  NULL on failure. */
struct sm_fig_pipe *sm_fig_pipe_open(struct sm_ctx *ctx, struct sm_fig *f, const char *path,
				     double height, int threaded);
/* Hand the next page over (the pipe owns it, also on failure); waits
 * while SM_FIG_PIPE_DEPTH pages are waiting to be drawn. */
sm_status sm_fig_pipe_put(struct sm_ctx *ctx, struct sm_fig_pipe *p, struct sm_fig_page *pg);
/* Wait for the drawer and write the end of the file. */
sm_status sm_fig_pipe_close(struct sm_ctx *ctx, struct sm_fig_pipe *p);
/* Stop: pages not drawn are dropped, the file is not written. */
void sm_fig_pipe_abort(struct sm_fig_pipe *p);

#endif
