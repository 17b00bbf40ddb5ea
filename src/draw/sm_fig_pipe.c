/* sm_fig_pipe.c -- drawing a figure's pages on a second thread while the
 * layout goes on (sm_fig_pipe.h). */
#include "sm_fig_pipe.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum failure { FAIL_CAIRO = 1, FAIL_OOM, FAIL_SHAPES };

struct sm_fig_pipe {
	const struct sm_fig *f;
	struct sm_canvas *c;
	struct sm_ctx *dctx;     /* the drawer's, for the canvas' calls */
	struct sm_tglyphs buf;   /* the drawer's scratch room for kept texts */
	int threaded;
	pthread_t thread;
	/* Under mu: the queue (a ring), how many pages were put and drawn,
	 * whether more will come, whether to drop them, the first failure. */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct sm_fig_page *q[SM_FIG_PIPE_DEPTH];
	size_t head, n;
	long put, drawn;
	int done, dropping;
	int failed;              /* enum failure, 0 until something failed */
};

/* Draw one page after the last: the page before goes out first (cairo's
 * show_page), then the white ground and the page.  `engine`: a text not
 * kept may be shaped (the caller is the engine's thread).  Returns 0, or
 * the failure as p->failed says it. */
static int draw_one(struct sm_fig_pipe *p, struct sm_fig_page *pg, int engine)
{
	if (pg->page > 0 && sm_canvas_next_page(p->dctx, p->c) != SM_OK)
		return FAIL_CAIRO;
	if (p->f->opaque)
		sm_canvas_paint_white(p->c);
	cairo_t *cr = sm_canvas_cr(p->c);
	int t = sm_fig_page_draw(p->f, cr, pg, &p->buf, engine);
	if (t)
		return t == SM_FIG_PAGE_OOM ? FAIL_OOM : FAIL_SHAPES;
	return cairo_status(cr) != CAIRO_STATUS_SUCCESS ? FAIL_CAIRO : 0;
}

static void *drawer(void *arg)
{
	struct sm_fig_pipe *p = arg;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->n == 0 && !p->done)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->n == 0)
			break;
		struct sm_fig_page *pg = p->q[p->head];
		p->head = (p->head + 1) % SM_FIG_PIPE_DEPTH;
		p->n--;
		int skip = p->dropping || p->failed;
		pthread_cond_broadcast(&p->cv); /* room in the queue */
		pthread_mutex_unlock(&p->mu);
		int fail = skip ? 0 : draw_one(p, pg, 0);
		/* cairo keeps its own copies of what was drawn: the page's
		 * items and texts go at once */
		sm_fig_page_free(pg);
		pthread_mutex_lock(&p->mu);
		if (fail && !p->failed)
			p->failed = fail;
		p->drawn++;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static void pipe_free(struct sm_fig_pipe *p)
{
	sm_tglyphs_release(&p->buf);
	sm_ctx_free(p->dctx);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p);
}

struct sm_fig_pipe *sm_fig_pipe_open(struct sm_ctx *ctx, struct sm_fig *f, const char *path,
				     double height, int threaded)
{
	struct sm_fig_pipe *p = calloc(1, sizeof *p);
	if (!p || !(p->dctx = sm_ctx_new())) {
		free(p);
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->f = f;
	/* as sm_fig_write_with() opens it */
	struct sm_canvas_opts co = { .dpi = 300, .cmyk = f->style && f->style->cmyk,
				     .cmyk_profile = f->style ? f->style->cmyk_profile : NULL };
	p->c = sm_canvas_open_with(ctx, path, f->width, height, &co);
	if (!p->c) {
		pipe_free(p);
		return NULL;
	}
	if (sm_canvas_format(p->c) != SM_CANVAS_PDF) {
		sm_canvas_abort(p->c);
		pipe_free(p);
		SM_FAIL(ctx, SM_EINTERNAL, "pages drawn as laid out go to a PDF only");
		return NULL;
	}
	/* Without a thread the pages are drawn as they come: the same file. */
	p->threaded = threaded && pthread_create(&p->thread, NULL, drawer, p) == 0;
	return p;
}

/* A failure said on the layout's context (the drawer draws no more once
 * one is recorded, so the canvas can be asked). */
static sm_status failure(struct sm_ctx *ctx, struct sm_fig_pipe *p, int fail)
{
	if (fail == FAIL_OOM)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	if (fail == FAIL_SHAPES)
		return SM_FAIL(ctx, SM_EINTERNAL, "a page's text was to be shaped off the "
			       "layout's thread; expected its page drawn by the layout");
	if (fail == FAIL_CAIRO)
		return SM_FAIL(ctx, SM_EINTERNAL, "cannot draw the figure: %s",
			       cairo_status_to_string(cairo_status(sm_canvas_cr(p->c))));
	return SM_OK;
}

sm_status sm_fig_pipe_put(struct sm_ctx *ctx, struct sm_fig_pipe *p, struct sm_fig_page *pg)
{
	int fail = 0;
	if (!p->threaded) {
		fail = p->failed ? p->failed : draw_one(p, pg, 1);
		sm_fig_page_free(pg);
		p->failed = fail;
	} else {
		pthread_mutex_lock(&p->mu);
		if (pg->shapes) {
			/* Drawn here, with the engine, once the drawer has drawn
			 * every page before it and waits for the next. */
			while (p->drawn < p->put && !p->failed)
				pthread_cond_wait(&p->cv, &p->mu);
			int stopped = p->failed;
			pthread_mutex_unlock(&p->mu);
			fail = stopped ? 0 : draw_one(p, pg, 1);
			sm_fig_page_free(pg);
			pthread_mutex_lock(&p->mu);
			p->put++;
			p->drawn++;
		} else {
			while (p->n == SM_FIG_PIPE_DEPTH)
				pthread_cond_wait(&p->cv, &p->mu);
			p->q[(p->head + p->n) % SM_FIG_PIPE_DEPTH] = pg;
			p->n++;
			p->put++;
			pthread_cond_broadcast(&p->cv);
		}
		if (fail && !p->failed)
			p->failed = fail;
		fail = p->failed;
		pthread_mutex_unlock(&p->mu);
	}
	/* Once failed, the drawer draws no more: the canvas is still. */
	return failure(ctx, p, fail);
}

/* Let the drawer finish (or drop) what is queued and end. */
static void join(struct sm_fig_pipe *p, int drop)
{
	if (!p->threaded)
		return;
	pthread_mutex_lock(&p->mu);
	p->done = 1;
	p->dropping |= drop;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->thread, NULL);
	p->threaded = 0;
}

sm_status sm_fig_pipe_close(struct sm_ctx *ctx, struct sm_fig_pipe *p)
{
	join(p, 0);
	sm_status s = failure(ctx, p, p->failed);
	if (s != SM_OK)
		sm_canvas_abort(p->c);
	else
		s = sm_canvas_close(ctx, p->c);
	pipe_free(p);
	return s;
}

void sm_fig_pipe_abort(struct sm_fig_pipe *p)
{
	if (!p)
		return;
	join(p, 1);
	sm_canvas_abort(p->c);
	pipe_free(p);
}
