/* Splitting the width of a PRISMA diagram among its columns (see
 * sm_prisma_int.h).  A box's height is estimated from its lines' natural
 * widths: a line of width a in a box of text width x takes max(1, a / x)
 * lines.  A row is as tall as its tallest box.  When two boxes of a row
 * are equally tall, widening either alone gains nothing; the tie is broken
 * by a smooth stand-in for the maximum, the p-norm of the boxes' heights
 * (p = 8), which rewards shortening either. */
#include "sm_prisma_int.h"

#include "sm_buf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NORM_P 8.0
#define STEP 1.0 /* pt handed out at a time */

static double box_lines(const struct sm_prisma_need *b, double x)
{
	double n = 0;
	for (int j = 0; j < b->nlines; j++)
		n += x > 0 ? fmax(1, b->lines[j] / x) : HUGE_VAL;
	return n;
}

/* Estimated height of all rows in lines: h[0] with each row as tall as
 * its tallest box, h[1] with the p-norm instead. */
static void height(const struct sm_prisma_need *boxes, int nboxes, const double *w, double pad,
		   double h[2])
{
	double top[SM_PRISMA_MAX_BOXES] = { 0 }, norm[SM_PRISMA_MAX_BOXES] = { 0 };
	int maxrow = 0;
	for (int i = 0; i < nboxes; i++) {
		const struct sm_prisma_need *b = &boxes[i];
		if (b->row < 0 || b->row >= SM_PRISMA_MAX_BOXES)
			continue;
		double n = box_lines(b, w[b->col] - 2 * pad);
		top[b->row] = fmax(top[b->row], n);
		norm[b->row] += pow(n, NORM_P);
		if (b->row + 1 > maxrow)
			maxrow = b->row + 1;
	}
	h[0] = h[1] = 0;
	for (int r = 0; r < maxrow; r++) {
		h[0] += top[r];
		h[1] += pow(norm[r], 1 / NORM_P);
	}
}

double sm_prisma_height(const struct sm_prisma_need *boxes, int nboxes, const double *w,
			double pad)
{
	double h[2];
	height(boxes, nboxes, w, pad, h);
	return h[0];
}

void sm_prisma_split(const struct sm_prisma_need *boxes, int nboxes, int ncols,
		     const double *minw, double pad, double total, double *w)
{
	double left = total;
	for (int c = 0; c < ncols; c++) {
		w[c] = minw[c];
		left -= minw[c];
	}
	/* Each step goes where it shortens the diagram most; among steps
	 * that do not, where it shortens the stand-in most. */
	while (left >= STEP) {
		double now[2], h[2], best[2] = { 1e-12, 1e-12 };
		int to[2] = { -1, -1 };
		height(boxes, nboxes, w, pad, now);
		for (int c = 0; c < ncols; c++) {
			w[c] += STEP;
			height(boxes, nboxes, w, pad, h);
			w[c] -= STEP;
			for (int k = 0; k < 2; k++)
				if (now[k] - h[k] > best[k]) {
					best[k] = now[k] - h[k];
					to[k] = c;
				}
		}
		int c = to[0] >= 0 ? to[0] : to[1];
		if (c < 0)
			break; /* every line fits: share out the rest */
		w[c] += STEP;
		left -= STEP;
	}
	for (int c = 0; c < ncols && left > 0; c++)
		w[c] += left / ncols;
}

/* Width of text[0..n) set in st; the copy is NUL-terminated for Pango. */
static sm_status span_width(struct sm_ctx *ctx, struct sm_fig *f, const struct sm_tstyle *st,
			    const char *text, size_t n, double *w)
{
	char *s = malloc(n + 1);
	if (!s)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	memcpy(s, text, n);
	s[n] = 0;
	struct sm_extent e = { 0 };
	sm_status r = n ? sm_fig_measure(ctx, f, st, s, &e) : SM_OK;
	free(s);
	*w = e.width;
	return r;
}

/* Widest run of k = 1..SM_PRISMA_RUNS consecutive words of one line
 * p[0..len) into run[k - 1] (a line of fewer words: the whole line). */
static sm_status line_runs(struct sm_ctx *ctx, struct sm_fig *f, const struct sm_tstyle *st,
			   const char *p, size_t len, double *run)
{
	sm_status s = SM_OK;
	/* Words end at spaces; a no-break space holds "(n = 12)" together. */
	for (size_t i = 0; i < len && s == SM_OK;) {
		size_t end = i;
		for (int k = 0; k < SM_PRISMA_RUNS && s == SM_OK; k++) {
			size_t wl = strcspn(p + end, " ");
			if (wl > len - end)
				wl = len - end;
			end += wl;
			double w = 0;
			s = span_width(ctx, f, st, p + i, end - i, &w);
			run[k] = fmax(run[k], w);
			if (end < len)
				end++; /* past the space, to the next word */
		}
		size_t wl = strcspn(p + i, " ");
		i += wl + 1;
	}
	return s;
}

sm_status sm_prisma_measure_lines(struct sm_ctx *ctx, struct sm_fig *f, const struct sm_tstyle *st,
				  const char *text, double **lines, int *nlines, double *run)
{
	int n = 1;
	for (const char *p = text; *p; p++)
		n += *p == '\n';
	for (int k = 0; k < SM_PRISMA_RUNS; k++)
		run[k] = 0;
	*nlines = 0;
	if (!(*lines = sm_alloc_array((size_t)n, sizeof **lines)))
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	struct sm_tstyle one = *st;
	one.wrap = 0;
	sm_status s = SM_OK;
	for (const char *p = text; s == SM_OK;) {
		size_t len = strcspn(p, "\n");
		s = span_width(ctx, f, &one, p, len, &(*lines)[(*nlines)++]);
		if (s == SM_OK)
			s = line_runs(ctx, f, &one, p, len, run);
		if (!p[len])
			break;
		p += len + 1;
	}
	return s;
}
