/* sm_flayout_rob.c -- the risk-of-bias columns of a forest layout, as
 * RevMan and robvis draw them: one narrow column per domain right of the
 * graph, in each study's row the judgement as a coloured circle carrying
 * its symbol (so it reads in greyscale), and under the plot the domain
 * keys and a legend of the levels shown. */
#include "sm_flayout_int.h"

#include "sm_buf.h"
#include "sm_rob_int.h"

#include <math.h>
#include <stdlib.h>

static int has_overall(const struct sm_fplot *p)
{
	return p->nrob > 0 && !p->rob_key[p->nrob - 1];
}

void sm_fl_rob_measure(struct lay *L)
{
	const struct sm_fplot *p = L->p;
	L->rob_w = L->rob_dw = L->rob_ow = L->rob_r = 0;
	L->rob_nd = 0;
	if (p->nrob == 0)
		return;
	/* Circles a little smaller than the squares' largest side leave a
	 * visible gap between rows; a quarter row between columns. */
	L->rob_r = L->pitch * 0.36;
	double d = 2 * L->rob_r, sep = L->pitch * 0.25;
	L->rob_nd = p->nrob - has_overall(p);
	double dw = d;
	for (int i = 0; i < L->rob_nd; i++)
		dw = fmax(dw, sm_fl_width(L, SM_ROLE_BOLD, p->rob_head[i]));
	L->rob_dw = dw + sep;
	if (has_overall(p))
		L->rob_ow = fmax(d, sm_fl_width(L, SM_ROLE_BOLD, p->rob_head[p->nrob - 1])) + sep;
	L->rob_w = L->gap + L->rob_nd * L->rob_dw + L->rob_ow;
}

/* Centre of column d. */
static double col_x(const struct lay *L, int d)
{
	double x = L->graph_x1 + L->gap;
	if (d < L->rob_nd)
		return x + L->rob_dw * (d + 0.5);
	return x + L->rob_dw * L->rob_nd + L->rob_ow / 2;
}

void sm_fl_rob_header(struct lay *L, double ty, double group_ty)
{
	const struct sm_fplot *p = L->p;
	if (p->nrob == 0)
		return;
	for (int d = 0; d < p->nrob; d++)
		sm_fl_put(L, SM_ROLE_BOLD, p->rob_head[d], col_x(L, d), ty, SM_ALIGN_CENTER, 0,
			  SM_FOREST_ROB_HEAD, -1);
	/* The group label only where it fits over the columns. */
	static const char group[] = "Risk of bias";
	double x0 = L->graph_x1 + L->gap, x1 = L->req->width - L->st->margin;
	if (sm_fl_width(L, SM_ROLE_BOLD, group) <= x1 - x0)
		sm_fl_put(L, SM_ROLE_BOLD, group, (x0 + x1) / 2, group_ty, SM_ALIGN_CENTER, 0,
			  SM_FOREST_ROB_HEAD, -1);
}

/* Keep the circle for tests (sm_flayout.h). */
static void remember(struct lay *L, int row, int col, int level, double cx, double cy)
{
	struct sm_flayout *l = L->l;
	if (l->nrob == l->cap_rob) {
		size_t cap = l->cap_rob ? 2 * l->cap_rob : 64;
		struct sm_frob *v = sm_realloc_array(l->rob, cap, sizeof *v);
		if (!v) {
			sm_fl_oom(L);
			return;
		}
		l->rob = v;
		l->cap_rob = cap;
	}
	l->rob[l->nrob++] = (struct sm_frob){ L->f->page, row, col, level, cx, cy, L->rob_r };
}

static struct sm_fig_item *disc(struct lay *L, int tag, int layer, double cx, double cy)
{
	struct sm_fig_item *it = sm_fl_item(L, SM_FIG_CIRCLE, tag, layer, 0);
	if (it) {
		it->x0 = cx;
		it->y0 = cy;
		it->r = L->rob_r;
	}
	return it;
}

/* One circle of plot row `row` (-1: the legend) with its symbol, centred
 * on (cx, cy): filled in its level's colour and outlined in the text
 * colour; not judged (level < 0): an empty ring in the muted colour. */
static void circle(struct lay *L, int row, int level, int col, double cx, double cy)
{
	const struct sm_style *st = L->st;
	remember(L, row, col, level, cx, cy);
	sm_fl_reach(L, cy + 2 * L->rob_r);
	struct sm_fig_item *it;
	if (level < 0) {
		if ((it = disc(L, SM_FOREST_ROB_RING, SM_FL_ROB_RING, cx, cy)))
			it->sc = st->c_muted;
		return;
	}
	if ((it = disc(L, SM_FOREST_ROB_FILL, SM_FL_ROB_FILL + level, cx, cy))) {
		it->fill = 1;
		it->stroke = 0;
		it->fc = sm_rob_fill(st, (enum sm_rob_level)level);
	}
	if ((it = disc(L, SM_FOREST_ROB_OUTLINE, SM_FL_ROB_OUTLINE + level, cx, cy))) {
		it->sc = st->c_text;
		it->lw = 0.3;
	}
	const char *sym = sm_rob_symbol((enum sm_rob_level)level);
	struct sm_extent e = sm_fl_measure(L, SM_ROLE_SYMBOL, sym, 0);
	/* Centre the logical box; these glyphs sit about mid-height in it. */
	struct sm_fig_text *t = sm_fl_put(L, SM_ROLE_SYMBOL, sym, cx, cy - e.height / 2,
					  SM_ALIGN_CENTER, 0, SM_FOREST_ROB_SYMBOL, row);
	if (t)
		t->colour = sm_rob_ink(st, (enum sm_rob_level)level);
}

void sm_fl_rob_row(struct lay *L, size_t row, double cy)
{
	const struct sm_frow *r = &L->p->rows[row];
	if (!r->rob)
		return; /* no judgement for this study: empty cells */
	for (int d = 0; d < L->p->nrob; d++)
		circle(L, (int)row, r->rob[d], d, col_x(L, d), cy);
}

/* "D1: name; D2: name; ..." as one paragraph. */
static char *keys_text(const struct sm_fplot *p)
{
	struct sm_buf b;
	sm_buf_init(&b);
	sm_buf_puts(&b, "Risk-of-bias domains: ");
	for (int d = 0; d < p->nrob; d++)
		if (p->rob_key[d])
			sm_buf_printf(&b, "%s%s: %s", d ? "; " : "", p->rob_head[d], p->rob_key[d]);
	return b.failed ? (sm_buf_release(&b), NULL) : sm_buf_take(&b);
}

/* Which levels the columns show; [SM_ROB_NLEVELS]: a cell not judged. */
static void levels_used(const struct sm_fplot *p, int used[SM_ROB_NLEVELS + 1])
{
	for (int k = 0; k <= SM_ROB_NLEVELS; k++)
		used[k] = 0;
	for (size_t i = 0; i < p->nrows; i++)
		for (int d = 0; p->rows[i].rob && d < p->nrob; d++) {
			int lv = p->rows[i].rob[d];
			used[lv >= 0 && lv < SM_ROB_NLEVELS ? lv : SM_ROB_NLEVELS] = 1;
		}
}

/* A flow of circle + word entries from the left margin, wrapping at the
 * right one; returns the y below the last line. */
static double legend(struct lay *L, double y)
{
	int used[SM_ROB_NLEVELS + 1];
	levels_used(L->p, used);
	double left = L->st->margin, right = L->req->width - L->st->margin, x = left;
	double d = 2 * L->rob_r, sym_gap = L->space, entry_gap = 3 * L->space;
	int any = 0;
	for (int k = 0; k <= SM_ROB_NLEVELS; k++) {
		const char *word = k == SM_ROB_NLEVELS ? "Not assessed"
				   : sm_rob_label(L->p->rob_tool, (enum sm_rob_level)k);
		if (!used[k] || !word)
			continue;
		double w = sm_fl_width(L, SM_ROLE_SMALL, word);
		if (x > left && x + d + sym_gap + w > right) {
			x = left;
			y += L->pitch;
		}
		circle(L, -1, k == SM_ROB_NLEVELS ? -1 : k, -1, x + L->rob_r, y + L->pitch / 2);
		sm_fl_put(L, SM_ROLE_SMALL, word, x + d + sym_gap, y + (L->pitch - L->small_h) / 2,
			  SM_ALIGN_LEFT, 0, SM_FOREST_ROB_LEGEND, -1);
		x += d + sym_gap + w + entry_gap;
		any = 1;
	}
	return any ? y + L->pitch : y;
}

double sm_fl_rob_key(struct lay *L, double y)
{
	if (L->p->nrob == 0 || L->status != SM_OK)
		return y;
	char *keys = keys_text(L->p);
	if (!keys) {
		sm_fl_oom(L);
		return y;
	}
	double width = L->req->width - 2 * L->st->margin;
	struct sm_fig_text *t = sm_fl_put(L, SM_ROLE_SMALL, keys, L->st->margin,
					  y + 0.3 * L->pitch, SM_ALIGN_LEFT, width,
					  SM_FOREST_ROB_KEY, -1);
	free(keys);
	if (t)
		y = t->box.y1 + 0.15 * L->pitch;
	return legend(L, y);
}
