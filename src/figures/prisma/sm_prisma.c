#include "sm_prisma.h"

#include "sm_buf.h"
#include "sm_prisma_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { COL_PREV, COL_MAIN, COL_MSIDE, COL_OTHER, COL_OSIDE, NCOLS };
/* ROW_TOTAL: the updated template's total below the new studies */
enum { ROW_IDENT, ROW_SCREEN, ROW_SOUGHT, ROW_ASSESSED, ROW_INCLUDED, ROW_TOTAL, NROWS };

#define PAD 5.0
#define ROW_GAP 16.0
#define COL_GAP 16.0
#define TIGHT_GAP 10.0 /* between four or five columns */
#define MIN_COL 40.0
#define NARROW 100.0 /* mm: below it, tight gaps */

struct slot {
	enum sm_prisma_slot what;
	int col, row;
	const struct sm_prisma_counts *src;
};

struct box {
	struct sm_box box;
	char *text;          /* owned */
};

struct lay {
	struct sm_ctx *ctx;
	struct sm_fig *f;
	struct sm_prisma_counts main, other;
	struct box boxes[SM_PRISMA_MAX_BOXES];
	int nboxes;
	int narrows;         /* arrows so far (an arrow's items have its index as ref) */
	struct slot slots[SM_PRISMA_MAX_BOXES];
	int nslots;
	int col_on[NCOLS];
	double col_x[NCOLS], col_w[NCOLS], gap;
	double row_y[NROWS], row_h[NROWS];
	int row_on[NROWS];
	double band_x, band_w;
	struct sm_tstyle body, bold;
};

static void slot(struct lay *L, enum sm_prisma_slot what, int col, int row,
		 const struct sm_prisma_counts *src)
{
	L->slots[L->nslots++] = (struct slot){ what, col, row, src };
	L->col_on[col] = 1;
	L->row_on[row] = 1;
}

/* Which boxes the reported counts call for.  Optional boxes with nothing
 * reported are left out; the core boxes always stay. */
static void choose(struct lay *L, const struct sm_res_prisma *p)
{
	const struct sm_prisma_counts *m = &L->main, *o = &L->other;
	int removed = sm_prisma_has(m->duplicates_removed) ||
		      sm_prisma_has(m->automation_excluded) || sm_prisma_has(m->other_removed);
	int screening = sm_prisma_has(m->records_screened) || sm_prisma_has(m->records_excluded);
	int sought = sm_prisma_has(m->reports_sought) || sm_prisma_has(m->reports_not_retrieved);
	int assessed = sm_prisma_has(m->reports_assessed) || sm_prisma_has(m->reports_excluded);
	int nothing = !(sm_prisma_has(m->records_identified) || removed || screening || sought ||
			assessed || sm_prisma_has(m->studies_included) ||
			sm_prisma_has(m->reports_included));
	if (m->updated)
		slot(L, SM_PS_PREVIOUS, COL_PREV, ROW_IDENT, m);
	slot(L, SM_PS_IDENTIFIED, COL_MAIN, ROW_IDENT, m);
	if (removed || nothing)
		slot(L, SM_PS_REMOVED, COL_MSIDE, ROW_IDENT, m);
	slot(L, SM_PS_SCREENED, COL_MAIN, ROW_SCREEN, m);
	slot(L, SM_PS_EXCLUDED, COL_MSIDE, ROW_SCREEN, m);
	if (sought) {
		slot(L, SM_PS_SOUGHT, COL_MAIN, ROW_SOUGHT, m);
		slot(L, SM_PS_NOT_RETRIEVED, COL_MSIDE, ROW_SOUGHT, m);
	}
	/* Reviews with one exclusion step report records excluded only. */
	if (assessed || m->nreasons > 0 || !screening) {
		slot(L, SM_PS_ASSESSED, COL_MAIN, ROW_ASSESSED, m);
		slot(L, SM_PS_REPORTS_EXCLUDED, COL_MSIDE, ROW_ASSESSED, m);
	}
	slot(L, SM_PS_INCLUDED, COL_MAIN, ROW_INCLUDED, m);
	if (m->updated)
		slot(L, SM_PS_TOTAL, COL_MAIN, ROW_TOTAL, m);
	if (!p->other_methods.present)
		return;
	slot(L, SM_PS_OTHER_IDENTIFIED, COL_OTHER, ROW_IDENT, o);
	if (sm_prisma_has(o->reports_sought) || sm_prisma_has(o->reports_not_retrieved)) {
		slot(L, SM_PS_SOUGHT, COL_OTHER, ROW_SOUGHT, o);
		slot(L, SM_PS_NOT_RETRIEVED, COL_OSIDE, ROW_SOUGHT, o);
	}
	slot(L, SM_PS_ASSESSED, COL_OTHER, ROW_ASSESSED, o);
	slot(L, SM_PS_REPORTS_EXCLUDED, COL_OSIDE, ROW_ASSESSED, o);
}

static int is_side(int col)
{
	return col == COL_MSIDE || col == COL_OSIDE;
}

static struct sm_tstyle box_style(const struct lay *L, int col)
{
	struct sm_tstyle st = L->body;
	st.wrap = L->col_w[col] - 2 * PAD;
	st.align = is_side(col) ? SM_ALIGN_LEFT : SM_ALIGN_CENTER;
	return st;
}

static sm_status make_texts(struct lay *L)
{
	for (int i = 0; i < L->nslots; i++) {
		struct slot *s = &L->slots[i];
		char *t = sm_prisma_text(s->what, s->src);
		if (!t)
			return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
		L->boxes[L->nboxes++].text = t;
	}
	return SM_OK;
}

static sm_status measure_rows(struct lay *L)
{
	for (int i = 0; i < L->nslots; i++) {
		const struct slot *s = &L->slots[i];
		struct sm_tstyle st = box_style(L, s->col);
		struct sm_extent e;
		sm_status r = sm_fig_measure(L->ctx, L->f, &st, L->boxes[i].text, &e);
		if (r != SM_OK)
			return r;
		L->row_h[s->row] = fmax(L->row_h[s->row], e.height + 2 * PAD);
	}
	return SM_OK;
}

static sm_status put_box(struct lay *L, int i)
{
	const struct slot *s = &L->slots[i];
	struct box *b = &L->boxes[i];
	b->box = (struct sm_box){ L->col_x[s->col], L->row_y[s->row],
				  L->col_x[s->col] + L->col_w[s->col],
				  L->row_y[s->row] + L->row_h[s->row] };
	struct sm_fig_item *it = sm_fig_add(L->ctx, L->f, SM_FIG_RECT);
	if (!it)
		return SM_EINTERNAL;
	it->tag = SM_PT_BOX, it->ref = i;
	it->x0 = b->box.x0, it->y0 = b->box.y0, it->x1 = b->box.x1, it->y1 = b->box.y1;
	it->fill = 1, it->fc = sm_fig_rgb(0xFFFFFF), it->sc = L->f->style->c_text, it->lw = 0.6;
	struct sm_tstyle st = box_style(L, s->col);
	struct sm_extent e;
	sm_status r = sm_fig_measure(L->ctx, L->f, &st, b->text, &e);
	if (r != SM_OK)
		return r;
	/* Centred vertically in a row that a taller neighbour may set. */
	double ty = b->box.y0 + (b->box.y1 - b->box.y0 - e.height) / 2;
	return sm_fig_put_text(L->ctx, L->f, &st, b->text, b->box.x0 + PAD, ty,
			       L->f->style->c_text, SM_PT_BOX_TEXT, i, NULL);
}

static int find(const struct lay *L, int col, int row)
{
	for (int i = 0; i < L->nslots; i++)
		if (L->slots[i].col == col && L->slots[i].row == row)
			return i;
	return -1;
}

/* An arrow from one box's edge to another's along the points given (the
 * last segment carries the head). */
static sm_status arrow(struct lay *L, const double *xy, int n)
{
	L->narrows++;
	struct sm_fig_item *it;
	if (n > 2) {
		if (!(it = sm_fig_add_poly(L->ctx, L->f, SM_FIG_PATH, xy, (size_t)n - 1)))
			return SM_EINTERNAL;
		it->tag = SM_PT_ARROW, it->ref = L->narrows - 1, it->lw = 0.7;
		it->sc = L->f->style->c_text;
	}
	if (!(it = sm_fig_add(L->ctx, L->f, SM_FIG_ARROW)))
		return SM_EINTERNAL;
	it->tag = SM_PT_ARROW, it->ref = L->narrows - 1, it->lw = 0.7, it->r = 5;
	it->sc = L->f->style->c_text;
	it->x0 = xy[2 * n - 4], it->y0 = xy[2 * n - 3], it->x1 = xy[2 * n - 2], it->y1 = xy[2 * n - 1];
	return SM_OK;
}

static sm_status column_arrows(struct lay *L, int col)
{
	const struct box *B = L->boxes;
	int prev = -1;
	int inc = find(L, COL_MAIN, ROW_INCLUDED);
	for (int row = 0; row < NROWS; row++) {
		int i = find(L, col, row);
		if (i < 0)
			continue;
		sm_status s = SM_OK;
		if (prev >= 0) {
			double cx = (B[i].box.x0 + B[i].box.x1) / 2;
			double xy[] = { cx, B[prev].box.y1, cx, B[i].box.y0 };
			s = arrow(L, xy, 2);
		}
		int side = find(L, col + 1, row);
		if (s == SM_OK && side >= 0) {
			double cy = (B[i].box.y0 + B[i].box.y1) / 2;
			double xy[] = { B[i].box.x1, cy, B[side].box.x0, cy };
			s = arrow(L, xy, 2);
		}
		if (s != SM_OK)
			return s;
		prev = i;
	}
	if (col == COL_OTHER && prev >= 0 && inc >= 0) {
		/* Other methods join the included studies from the right. */
		double cx = (B[prev].box.x0 + B[prev].box.x1) / 2;
		double cy = (B[inc].box.y0 + B[inc].box.y1) / 2;
		double xy[] = { cx, B[prev].box.y1, cx, cy, B[inc].box.x1, cy };
		return arrow(L, xy, 3);
	}
	return SM_OK;
}

static sm_status previous_arrow(struct lay *L)
{
	/* As the template: down the previous column, into the total's side. */
	int pv = find(L, COL_PREV, ROW_IDENT), inc = find(L, COL_MAIN, ROW_TOTAL);
	if (pv < 0 || inc < 0)
		return SM_OK;
	const struct box *B = L->boxes;
	double cx = (B[pv].box.x0 + B[pv].box.x1) / 2, cy = (B[inc].box.y0 + B[inc].box.y1) / 2;
	double xy[] = { cx, B[pv].box.y1, cx, cy, B[inc].box.x0, cy };
	return arrow(L, xy, 3);
}

/* A coloured bar holding a label: the stage bands and column headers. */
static sm_status bar(struct lay *L, struct sm_box b, const char *label, struct sm_rgb fill,
		     int tag)
{
	struct sm_fig_item *it = sm_fig_add(L->ctx, L->f, SM_FIG_RECT);
	if (!it)
		return SM_EINTERNAL;
	it->tag = tag, it->x0 = b.x0, it->y0 = b.y0, it->x1 = b.x1, it->y1 = b.y1, it->r = 3;
	it->fill = 1, it->stroke = 0, it->fc = fill;
	struct sm_tstyle st = L->bold;
	st.wrap = b.x1 - b.x0 - 2 * PAD;
	st.align = SM_ALIGN_CENTER;
	struct sm_extent e;
	sm_status s = sm_fig_measure(L->ctx, L->f, &st, label, &e);
	if (s != SM_OK)
		return s;
	return sm_fig_put_text(L->ctx, L->f, &st, label, b.x0 + PAD,
			       (b.y0 + b.y1 - e.height) / 2, L->f->style->c_text, tag + 1, -1,
			       NULL);
}

static const char *const header_text[NCOLS] = {
	"Previous studies", "Identification of studies via databases and registers", NULL,
	"Identification of studies via other methods", NULL
};

static sm_status headers(struct lay *L, double y, double *h)
{
	*h = 0;
	for (int pass = 0; pass < 2; pass++)
		for (int c = 0; c < NCOLS; c++) {
			if (!header_text[c] || !L->col_on[c])
				continue;
			/* A header spans its column and the side column next to it. */
			double x1 = L->col_x[c] + L->col_w[c];
			if (c + 1 < NCOLS && !header_text[c + 1] && L->col_on[c + 1])
				x1 = L->col_x[c + 1] + L->col_w[c + 1];
			struct sm_tstyle st = L->bold;
			st.wrap = x1 - L->col_x[c] - 2 * PAD;
			struct sm_extent e;
			sm_status s = sm_fig_measure(L->ctx, L->f, &st, header_text[c], &e);
			if (s == SM_OK && pass == 1)
				s = bar(L, (struct sm_box){ L->col_x[c], y, x1, y + *h },
					header_text[c], L->f->style->c_prisma_header,
					SM_PT_HEADER);
			if (s != SM_OK)
				return s;
			if (pass == 0)
				*h = fmax(*h, e.height + 2 * PAD);
		}
	return SM_OK;
}

static sm_status stages(struct lay *L)
{
	static const char *const names[] = { "Identification", "Screening", "Included" };
	const int first[] = { ROW_IDENT, ROW_SCREEN, ROW_INCLUDED };
	const int last[] = { ROW_IDENT, ROW_ASSESSED, ROW_TOTAL };
	for (int i = 0; i < 3; i++) {
		int a = first[i], b = last[i];
		while (a < b && !L->row_on[a])
			a++;
		while (b > a && !L->row_on[b])
			b--;
		struct sm_box box = { L->band_x, L->row_y[a], L->band_x + L->band_w,
				      L->row_y[b] + L->row_h[b] };
		sm_status s = bar(L, box, names[i], L->f->style->c_prisma_stage, SM_PT_STAGE);
		if (s != SM_OK)
			return s;
	}
	return SM_OK;
}

/* What each column needs: minw[k][c], the width that holds the widest run
 * of k + 1 words of any of its boxes (a header needs its longest word). */
static sm_status column_needs(struct lay *L, double minw[][NCOLS], struct sm_prisma_need *need,
			      double **lines)
{
	for (int k = 0; k < SM_PRISMA_RUNS; k++)
		for (int c = 0; c < NCOLS; c++)
			minw[k][c] = MIN_COL;
	sm_status s = SM_OK;
	double run[SM_PRISMA_RUNS];
	for (int i = 0; i < L->nslots && s == SM_OK; i++) {
		const struct slot *sl = &L->slots[i];
		struct sm_tstyle st = box_style(L, sl->col);
		need[i] = (struct sm_prisma_need){ sl->col, sl->row, NULL, 0 };
		s = sm_prisma_measure_lines(L->ctx, L->f, &st, L->boxes[i].text, &lines[i],
					    &need[i].nlines, run);
		need[i].lines = lines[i];
		for (int k = 0; k < SM_PRISMA_RUNS; k++)
			minw[k][sl->col] = fmax(minw[k][sl->col], run[k] + 2 * PAD);
	}
	for (int c = 0; c < NCOLS && s == SM_OK; c++) {
		double *hl = NULL;
		int n;
		if (header_text[c] && L->col_on[c])
			s = sm_prisma_measure_lines(L->ctx, L->f, &L->bold, header_text[c], &hl, &n,
						    run);
		for (int k = 0; hl && k < SM_PRISMA_RUNS; k++)
			minw[k][c] = fmax(minw[k][c], run[0] + 2 * PAD);
		free(hl);
	}
	return s;
}

/* The fewest words a line (0-based) of the columns k[0..n). */
static int fewest(const int *k, int n)
{
	int m = SM_PRISMA_RUNS;
	for (int j = 0; j < n; j++)
		if (k[j] < m)
			m = k[j];
	return m;
}

/* The words a line k[j] (0-based: k + 1 words) of each shown column that
 * fit in `avail`: the fewest in any column as many as can be, then the
 * diagram least tall once the rest of the width is shared out; all zero
 * (longest words) when none fits.  At most 3^5 choices: all are tried. */
static void choose_runs(const struct sm_prisma_need *need, int nboxes, int n,
			const int *on, double minw[][NCOLS], double avail, int *k)
{
	int combos = 1, best = -1;
	double best_h = HUGE_VAL;
	for (int j = 0; j < n; j++) {
		combos *= SM_PRISMA_RUNS;
		k[j] = 0;
	}
	for (int c = 0; c < combos; c++) {
		int t[NCOLS], code = c;
		double mk[NCOLS], w[NCOLS], sum = 0;
		for (int j = 0; j < n; j++) {
			t[j] = code % SM_PRISMA_RUNS;
			code /= SM_PRISMA_RUNS;
			sum += mk[j] = minw[t[j]][on[j]];
		}
		int sc = fewest(t, n);
		if (sum > avail || sc < best)
			continue;
		sm_prisma_split(need, nboxes, n, mk, PAD, avail, w);
		double h = sm_prisma_height(need, nboxes, w, PAD);
		if (sc > best || h < best_h - 1e-9) {
			best = sc;
			best_h = h;
			memcpy(k, t, sizeof t[0] * (size_t)n);
		}
	}
}

/* Columns from their needs: each holds three words a line where the width
 * allows (else two, else one: the fewest in any column as many as can be,
 * then the choice that leaves the diagram least tall), the rest of the width
 * where it shortens the boxes most.  When even the longest words do not fit, the figure widens
 * (with a warning) rather than breaking words. */
static void split(struct lay *L, double *width, double minw[][NCOLS],
		  struct sm_prisma_need *need)
{
	int on[NCOLS], n = 0;
	for (int c = 0; c < NCOLS; c++)
		if (L->col_on[c])
			on[n++] = c;
	double fixed = 2 * L->f->style->margin + L->band_w + L->gap * n;
	/* The split works on the columns shown, numbered 0..n-1. */
	for (int i = 0; i < L->nslots; i++)
		for (int j = 0; j < n; j++)
			if (on[j] == L->slots[i].col)
				need[i].col = j;
	int k[NCOLS];
	double mk[NCOLS], wk[NCOLS], sum = 0;
	choose_runs(need, L->nslots, n, on, minw, *width - fixed, k);
	for (int j = 0; j < n; j++)
		sum += mk[j] = minw[k[j]][on[j]];
	if (fixed + sum > *width) {
		double wider = ceil((fixed + sum) / SM_PT_PER_MM) * SM_PT_PER_MM;
		sm_ctx_warn(L->ctx, "PRISMA diagram widened from %.0f mm to %.0f mm to fit its %d "
			    "columns without breaking words", *width / SM_PT_PER_MM,
			    wider / SM_PT_PER_MM, n);
		*width = wider;
	}
	sm_prisma_split(need, L->nslots, n, mk, PAD, *width - fixed, wk);
	double x = L->band_x + L->band_w + L->gap;
	for (int j = 0; j < n; j++) {
		L->col_x[on[j]] = x;
		L->col_w[on[j]] = wk[j];
		x += wk[j] + L->gap;
	}
}

static sm_status columns(struct lay *L, double *width)
{
	int n = 0;
	for (int c = 0; c < NCOLS; c++)
		n += L->col_on[c];
	/* Four or five columns, or a single-column page: tighter gaps. */
	L->gap = n > 3 || *width < NARROW * SM_PT_PER_MM ? TIGHT_GAP : COL_GAP;
	struct sm_extent e;
	sm_status s = sm_fig_measure(L->ctx, L->f, &L->bold, "Identification", &e);
	if (s != SM_OK)
		return s;
	L->band_x = L->f->style->margin;
	L->band_w = e.width + 2 * PAD + 1;
	double minw[SM_PRISMA_RUNS][NCOLS];
	struct sm_prisma_need need[SM_PRISMA_MAX_BOXES];
	double *lines[SM_PRISMA_MAX_BOXES] = { 0 };
	s = column_needs(L, minw, need, lines);
	if (s == SM_OK)
		split(L, width, minw, need);
	for (int i = 0; i < L->nslots; i++)
		free(lines[i]);
	return s;
}

static sm_status lay(struct lay *L, const struct sm_res_prisma *p,
		     const struct sm_prisma_options *opts)
{
	double width;
	if (sm_fig_width(L->ctx, L->f, opts->common.width, 85, &width) != SM_OK)
		return SM_EINPUT;
	L->body = sm_fig_role(L->f, SM_FR_BODY);
	L->bold = sm_fig_role(L->f, SM_FR_BOLD);
	sm_prisma_counts_main(p, &L->main);
	sm_prisma_counts_other(&p->other_methods, &L->other);
	choose(L, p);
	L->col_on[COL_MSIDE] = 1; /* the side column keeps its place */
	sm_status s = make_texts(L);
	if (s == SM_OK)
		s = columns(L, &width);
	if (s == SM_OK)
		s = measure_rows(L);
	double y = L->f->style->margin, h = 0;
	if (s == SM_OK && opts->common.title && *opts->common.title) {
		struct sm_tstyle tt = sm_fig_role(L->f, SM_FR_TITLE);
		tt.wrap = width - 2 * y;
		struct sm_fig_text *t = NULL;
		s = sm_fig_put_text(L->ctx, L->f, &tt, opts->common.title, y, y, L->f->style->c_text,
				    SM_PT_TITLE, -1, &t);
		if (s == SM_OK)
			y = t->box.y1 + 6;
	}
	if (s == SM_OK)
		s = headers(L, y, &h);
	y += h + ROW_GAP * 0.75;
	for (int r = 0; r < NROWS; r++)
		if (L->row_on[r]) {
			L->row_y[r] = y;
			y += L->row_h[r] + ROW_GAP;
		}
	L->f->width = width;
	L->f->height = y - ROW_GAP + L->f->style->margin;
	for (int i = 0; i < L->nslots && s == SM_OK; i++)
		s = put_box(L, i);
	if (s == SM_OK)
		s = stages(L);
	if (s == SM_OK)
		s = column_arrows(L, COL_MAIN);
	if (s == SM_OK && L->col_on[COL_OTHER])
		s = column_arrows(L, COL_OTHER);
	if (s == SM_OK)
		s = previous_arrow(L);
	return s;
}

sm_status sm_prisma_lay(struct sm_ctx *ctx, const struct sm_res *res,
			const struct sm_prisma_options *o, struct sm_fig **out)
{
	*out = NULL;
	const struct sm_res_prisma *p = &res->review.prisma;
	if (!p->present)
		return SM_FAIL(ctx, SM_EINPUT, "the results hold no PRISMA counts; expected "
			       "'prisma' in the review file (see examples/FORMAT.md)");
	struct lay *L = calloc(1, sizeof *L);
	if (!L)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	L->ctx = ctx;
	sm_status s = (L->f = sm_fig_new(ctx, o->common.style)) ? lay(L, p, o)
								   : sm_ctx_status(ctx, SM_EINPUT);
	if (s == SM_OK)
		s = sm_fig_finish(ctx, L->f);
	for (int i = 0; i < L->nboxes; i++)
		free(L->boxes[i].text);
	if (s == SM_OK)
		*out = L->f;
	else
		sm_fig_free(L->f);
	free(L);
	return s;
}
