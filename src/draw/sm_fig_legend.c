/* Legends as a flow of swatch + text entries that wraps at the figure's
 * width, so a legend never runs over the plot or off the page. */
#include "sm_fig.h"

#include <math.h>

#define SWATCH_W 14.0
#define SWATCH_GAP 3.0
#define ENTRY_GAP 10.0

static int has_swatch(const struct sm_fig_item *s)
{
	return s->kind == SM_FIG_MARKER || s->kind == SM_FIG_LINE || s->kind == SM_FIG_RECT ||
	       s->kind == SM_FIG_CIRCLE;
}

static sm_status swatch(struct sm_ctx *ctx, struct sm_fig *f, const struct sm_fig_item *tmpl,
			double x, double cy, double size, int tag)
{
	struct sm_fig_item *it = sm_fig_add(ctx, f, tmpl->kind);
	if (!it)
		return SM_EINTERNAL;
	*it = *tmpl;
	it->pts = NULL;
	it->npts = 0;
	it->tag = tag;
	it->ref = -1;
	double mid = x + SWATCH_W / 2;
	switch (tmpl->kind) {
	case SM_FIG_LINE:
		it->x0 = x, it->x1 = x + SWATCH_W, it->y0 = it->y1 = cy;
		break;
	case SM_FIG_RECT:
		it->x0 = mid - size * 0.6, it->x1 = mid + size * 0.6;
		it->y0 = cy - size * 0.4, it->y1 = cy + size * 0.4;
		break;
	default:
		it->x0 = mid, it->y0 = cy;
		break;
	}
	return SM_OK;
}

sm_status sm_fig_legend(struct sm_ctx *ctx, struct sm_fig *f, const struct sm_tstyle *st,
			const struct sm_fig_legend_entry *e, size_t n, double x, double y,
			double width, int tag, double *height)
{
	double cx = x, cy = y, line_h = 0;
	for (size_t i = 0; i < n; i++) {
		struct sm_extent ext;
		struct sm_tstyle ts = *st;
		sm_status s = sm_fig_measure(ctx, f, &ts, e[i].text, &ext);
		if (s != SM_OK)
			return s;
		int sw = has_swatch(&e[i].swatch);
		double need = (sw ? SWATCH_W + SWATCH_GAP : 0) + ext.width;
		if (need > width) {
			/* A very long entry wraps inside the width. */
			ts.wrap = width - (sw ? SWATCH_W + SWATCH_GAP : 0);
			if ((s = sm_fig_measure(ctx, f, &ts, e[i].text, &ext)) != SM_OK)
				return s;
			need = width;
		}
		if (cx > x && cx + need > x + width) {
			cx = x;
			cy += line_h + 2;
			line_h = 0;
		}
		if (sw && (s = swatch(ctx, f, &e[i].swatch, cx, cy + ext.baseline * 0.62,
				      st->size * 0.9, tag)) != SM_OK)
			return s;
		double tx = cx + (sw ? SWATCH_W + SWATCH_GAP : 0);
		if ((s = sm_fig_put_text(ctx, f, &ts, e[i].text, tx, cy, f->style->c_text, tag,
					 (int)i, NULL)) != SM_OK)
			return s;
		cx += need + (sw ? ENTRY_GAP : 4);
		line_h = fmax(line_h, ext.height);
	}
	*height = cy + line_h - y;
	return SM_OK;
}
