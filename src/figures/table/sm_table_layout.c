#include "sm_table_layout.h"

#include "sm_buf.h"
#include "sm_canvas.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void sm_table_layout_free(struct sm_table_layout *l)
{
	if (!l)
		return;
	free(l->col_x);
	free(l->col_w);
	free(l->row_h);
	free(l->row_y);
	free(l->row_page);
	free(l);
}

static sm_status measure(struct sm_ctx *ctx, struct sm_text *text, struct sm_tstyle st,
			 double wrap, const char *s, struct sm_extent *e)
{
	st.wrap = wrap;
	return sm_text_measure(ctx, text, &st, *s ? s : " ", e);
}

/* Widest single word of s (words split at spaces). */
static sm_status longest_word(struct sm_ctx *ctx, struct sm_text *text,
			      const struct sm_tstyle *st, const char *s, double *w)
{
	char *copy = strdup(s);
	if (!copy)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	sm_status rc = SM_OK;
	char *save = NULL;
	for (char *word = strtok_r(copy, " \n\t", &save); word && rc == SM_OK;
	     word = strtok_r(NULL, " \n\t", &save)) {
		struct sm_extent e;
		rc = measure(ctx, text, *st, 0, word, &e);
		if (rc == SM_OK && e.width > *w)
			*w = e.width;
	}
	free(copy);
	return rc;
}

static sm_status widen(struct sm_ctx *ctx, struct sm_text *text, const struct sm_tstyle *st,
		       const char *s, double *nat, double *min)
{
	struct sm_extent e;
	sm_status rc = measure(ctx, text, *st, 0, s, &e);
	if (rc != SM_OK)
		return rc;
	*nat = fmax(*nat, e.width);
	return longest_word(ctx, text, st, s, min);
}

/* The cap that gives every column min(min[c], cap) and uses all of
 * `avail` (the columns whose words fit keep them; the others share the
 * rest equally).  Requires sum(min) > avail. */
static double water_level(const double *min, size_t n, double avail)
{
	double cap = avail / (double)n;
	/* Each pass settles the columns below the level; at most n passes,
	 * and a table has a handful of columns. */
	for (size_t pass = 0; pass < n; pass++) {
		double rest = avail;
		size_t over = 0;
		for (size_t c = 0; c < n; c++) {
			if (min[c] <= cap)
				rest -= min[c];
			else
				over++;
		}
		double next = over ? rest / (double)over : cap;
		if (next <= cap + 1e-9)
			return next;
		cap = next;
	}
	return cap;
}

/* Share the available width: every column gets its minimum, the rest goes
 * in proportion to what each would need unwrapped.  When even the minima
 * do not fit, the page widens (`fit` 0), or (`fit` 1: a report page, whose
 * width is fixed) the columns with the longest words narrow to a common
 * width and the text engine breaks those words. */
static void share(double *w, const double *nat, const double *min, size_t n, double avail,
		  int fit)
{
	double snat = 0, smin = 0;
	for (size_t c = 0; c < n; c++) {
		snat += nat[c];
		smin += min[c];
	}
	double cap = fit && smin > avail ? water_level(min, n, avail) : INFINITY;
	for (size_t c = 0; c < n; c++) {
		if (snat <= avail)
			w[c] = nat[c];
		else if (smin >= avail)
			w[c] = fit ? fmin(min[c], cap) : min[c];
		else
			w[c] = min[c] + (nat[c] - min[c]) * (avail - smin) / (snat - smin);
	}
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The width most of a column's cells need: its 90th percentile, so that a
 * few long cells (a domain named once per group of rows) wrap rather than
 * widen the column for all the others. */
static double typical(double *w, size_t n)
{
	if (n == 0)
		return 0;
	qsort(w, n, sizeof *w, by_value);
	return w[(size_t)(0.9 * (double)(n - 1))];
}

static sm_status row_height(struct sm_ctx *ctx, struct sm_text *text, const struct sm_table *t,
			    const struct sm_table_layout *l, long row, double *h)
{
	double best = 0;
	for (size_t c = 0; c < t->ncols; c++) {
		struct sm_extent e;
		const char *s = row < 0 ? t->headers[c] : sm_table_cell(t, (size_t)row, c);
		sm_status rc = measure(ctx, text, row < 0 ? l->head : l->body, l->col_w[c], s, &e);
		if (rc != SM_OK)
			return rc;
		best = fmax(best, e.height);
	}
	*h = best + 2 * l->pad;
	return SM_OK;
}

/* The header's and every row's height at the widths in l->col_w. */
static sm_status table_height(struct sm_ctx *ctx, struct sm_text *text, const struct sm_table *t,
			      const struct sm_table_layout *l, double *h)
{
	*h = 0;
	for (long r = -1; r < (long)t->nrows; r++) {
		double one = 0;
		sm_status rc = row_height(ctx, text, t, l, r, &one);
		if (rc != SM_OK)
			return rc;
		*h += one;
	}
	return SM_OK;
}

/* A table of a few columns whose text wraps (the check findings: a
 * column of analysis names beside one of long findings) is shortest when
 * the names wrap no more than the findings beside them, which sharing in
 * proportion to the unwrapped widths does not see: width moves, a
 * fortieth at a time, from the widest column to the one it makes the
 * table shortest for, while that makes it shorter.  Only for a few
 * columns and rows: every step measures the whole table. */
#define REBALANCE_MAX_COLS 4
#define REBALANCE_MAX_CELLS 400
#define REBALANCE_STEPS 40

static sm_status rebalance(struct sm_ctx *ctx, struct sm_text *text, const struct sm_table *t,
			   struct sm_table_layout *l, const double *keep)
{
	size_t n = t->ncols;
	if (n < 2 || n > REBALANCE_MAX_COLS || t->nrows * n > REBALANCE_MAX_CELLS)
		return SM_OK;
	double total = 0, best = 0;
	for (size_t c = 0; c < n; c++)
		total += l->col_w[c];
	double step = total / REBALANCE_STEPS;
	sm_status rc = table_height(ctx, text, t, l, &best);
	for (int s = 0; rc == SM_OK && s < REBALANCE_STEPS; s++) {
		size_t wide = 0;
		for (size_t c = 1; c < n; c++)
			if (l->col_w[c] > l->col_w[wide])
				wide = c;
		if (l->col_w[wide] - step < keep[wide])
			break;
		size_t to = n;
		double gain = best;
		for (size_t c = 0; rc == SM_OK && c < n; c++) {
			if (c == wide)
				continue;
			l->col_w[wide] -= step;
			l->col_w[c] += step;
			double h = 0;
			rc = table_height(ctx, text, t, l, &h);
			l->col_w[wide] += step;
			l->col_w[c] -= step;
			if (h < gain - 1e-6) {
				gain = h;
				to = c;
			}
		}
		if (to == n)
			break;
		l->col_w[wide] -= step;
		l->col_w[to] += step;
		best = gain;
	}
	return rc;
}

/* Natural (unwrapped) and minimum (longest word) widths.  Numbers read
 * badly when broken ("1.33 [0.86, / 2.08]"), so right-aligned columns keep
 * their cells with digits on one line when the page allows; words ("not
 * tested") wrap like headers do.  When
 * the natural widths do not fit, every column first gets what most of its
 * cells need (typical()), and what is left goes to the columns whose
 * longest cells need more; only when even that does not fit are the
 * columns shared out from their minima. */
static sm_status column_widths(struct sm_ctx *ctx, struct sm_text *text,
			       const struct sm_table *t, struct sm_table_layout *l, double avail,
			       int fit)
{
	size_t n = t->ncols;
	double *nat = sm_alloc_array(n, sizeof *nat), *min = sm_alloc_array(n, sizeof *min);
	double *keep = sm_alloc_array(n, sizeof *keep), *most = sm_alloc_array(n, sizeof *most);
	double *want = sm_alloc_array(n, sizeof *want);
	double *cells = sm_alloc_array(t->nrows ? t->nrows : 1, sizeof *cells);
	sm_status rc = nat && min && keep && most && want && cells
			       ? SM_OK : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	double skeep = 0, smin = 0, snat = 0, smost = 0, swant = 0;
	for (size_t c = 0; rc == SM_OK && c < n; c++) {
		double body = 0, num = 0, unused = 0;
		for (size_t r = 0; rc == SM_OK && r < t->nrows; r++) {
			double one = 0;
			const char *s = sm_table_cell(t, r, c);
			rc = widen(ctx, text, &l->body, s, &one, &unused);
			body = fmax(body, one);
			if (strpbrk(s, "0123456789"))
				num = fmax(num, one);
			cells[r] = one;
		}
		if (rc == SM_OK)
			rc = widen(ctx, text, &l->head, t->headers[c], &nat[c], &min[c]);
		/* A little slack so that measured text never wraps by rounding. */
		nat[c] = fmax(nat[c], body) + 0.5;
		min[c] = fmax(min[c], unused) + 0.5;
		keep[c] = t->align[c] == SM_ALIGN_RIGHT ? fmax(min[c], num + 0.5) : min[c];
		most[c] = rc == SM_OK ? fmax(keep[c], fmin(nat[c], typical(cells, t->nrows) + 0.5))
				      : 0;
		want[c] = t->align[c] == SM_ALIGN_RIGHT ? keep[c]
						       : fmax(keep[c], fmin(nat[c], body + 0.5));
		swant += want[c];
		skeep += keep[c];
		smin += min[c];
		snat += nat[c];
		smost += most[c];
	}
	l->words_broken = fit && smin > avail;
	if (rc == SM_OK && snat <= avail) {
		memcpy(l->col_w, nat, n * sizeof *nat);
	} else if (rc == SM_OK && smost <= avail) {
		for (size_t c = 0; c < n; c++)
			l->col_w[c] = most[c] + (nat[c] - most[c]) * (avail - smost) / (snat - smost);
	} else if (rc == SM_OK && skeep <= avail) {
		/* What is left over the kept widths goes in proportion to what
		 * each column needs unwrapped, headers included; or to the body
		 * cells alone (a long header wraps anyway: widening its column
		 * left the domain names at three lines a row), when that makes
		 * the table shorter. */
		share(l->col_w, nat, keep, n, avail, fit);
		double by_nat = 0, by_body = 0;
		rc = table_height(ctx, text, t, l, &by_nat);
		memcpy(most, l->col_w, n * sizeof *most); /* most: done with, now a spare */
		if (swant > avail)
			share(l->col_w, want, keep, n, avail, fit);
		else
			for (size_t c = 0; c < n; c++)
				l->col_w[c] = want[c] + (nat[c] - want[c]) * (avail - swant) /
								(snat - swant);
		if (rc == SM_OK)
			rc = table_height(ctx, text, t, l, &by_body);
		if (rc == SM_OK && !(by_body < by_nat - 1e-6))
			memcpy(l->col_w, most, n * sizeof *most);
	} else if (rc == SM_OK) {
		share(l->col_w, nat, min, n, avail, fit);
	}
	if (rc == SM_OK && snat > avail && skeep <= avail)
		rc = rebalance(ctx, text, t, l, keep);
	free(nat);
	free(want);
	free(min);
	free(keep);
	free(most);
	free(cells);
	return rc;
}

double sm_table_layout_head_y(const struct sm_table_layout *l, int page)
{
	return l->margin + (page == 0 ? l->title_h : 0);
}

double sm_table_layout_rows_end(const struct sm_table_layout *l, int page)
{
	double end = sm_table_layout_head_y(l, page) + l->head_h;
	for (size_t r = 0; r < l->nrows; r++)
		if (l->row_page[r] == page)
			end = l->row_y[r] + l->row_h[r];
	return end;
}

int sm_table_layout_has_header(const struct sm_table_layout *l, int page)
{
	if (page == 0 || l->nrows == 0)
		return 1;
	for (size_t r = 0; r < l->nrows; r++)
		if (l->row_page[r] == page)
			return 1;
	return 0;
}

double sm_table_layout_used(const struct sm_table_layout *l, int page)
{
	if (page == l->foot_page && l->foot_h > 0)
		return l->foot_y + l->foot_h;
	return sm_table_layout_rows_end(l, page);
}

/* The lowest y the rows of `page` may reach. */
static double page_bottom(const struct sm_table_layout *l, int page)
{
	double h = page == 0 && l->first_h > 0 ? l->first_h : l->page_h;
	return h > 0 ? h - l->margin : INFINITY;
}

/* Every row's y, from its page's header down. */
static void place_rows(struct sm_table_layout *l)
{
	double y = 0;
	for (size_t r = 0; r < l->nrows; r++) {
		if (r == 0 || l->row_page[r] != l->row_page[r - 1])
			y = sm_table_layout_head_y(l, l->row_page[r]) + l->head_h;
		l->row_y[r] = y;
		y += l->row_h[r];
	}
}

/* Rows [from, to) fit on `page` under its header, with `extra` below. */
static int rows_fit(const struct sm_table_layout *l, int page, size_t from, size_t to,
		    double extra)
{
	double y = sm_table_layout_head_y(l, page) + l->head_h + extra;
	for (size_t r = from; r < to; r++)
		y += l->row_h[r];
	return y <= page_bottom(l, page) + 1e-9;
}

/* The first row of the last page, moved back (rows taken from the page
 * before) so that the last page holds `want` rows, while the page before
 * keeps at least two and everything still fits. */
static size_t pull_down(const struct sm_table_layout *l, size_t first, size_t prev_first,
			size_t want, double extra)
{
	int page = l->row_page[first];
	while (l->nrows - first < want && first - prev_first > 2 &&
	       rows_fit(l, page, first - 1, l->nrows, extra))
		first--;
	return first;
}

/* Rows fill each page in turn (the header row repeats on every page); the
 * last page never holds a single row alone when the one before can spare
 * one, and the footnote takes at least one row along rather than stand
 * alone on a page of its own. */
static void paginate(struct sm_table_layout *l)
{
	int page = 0;
	size_t first = 0, prev_first = 0; /* first rows of the last and the page before */
	double y = sm_table_layout_head_y(l, 0) + l->head_h;
	for (size_t r = 0; r < l->nrows; r++) {
		if (r > first && y + l->row_h[r] > page_bottom(l, page)) {
			page++;
			prev_first = first;
			first = r;
			y = sm_table_layout_head_y(l, page) + l->head_h;
		}
		l->row_page[r] = page;
		y += l->row_h[r];
	}
	double gap = l->foot_h > 0 ? l->pad * 2 : 0;
	if (page > 0) {
		size_t moved = pull_down(l, first, prev_first, 2, 0);
		for (size_t r = moved; r < first; r++)
			l->row_page[r] = page;
		first = moved;
	}
	if (l->nrows && l->foot_h > 0 && !rows_fit(l, page, first, l->nrows, gap + l->foot_h)) {
		/* the footnote goes to a new page with the last rows */
		l->row_page[l->nrows - 1] = page + 1;
		size_t moved = pull_down(l, l->nrows - 1, first, 2, gap + l->foot_h);
		int go = moved > first && rows_fit(l, page + 1, moved, l->nrows, gap + l->foot_h);
		for (size_t r = go ? moved : l->nrows - 1; r < l->nrows; r++)
			l->row_page[r] = go ? page + 1 : page;
		page += go;
	}
	place_rows(l);
	y = l->nrows ? l->row_y[l->nrows - 1] + l->row_h[l->nrows - 1]
		     : sm_table_layout_head_y(l, 0) + l->head_h;
	if (l->foot_h > 0 && y + gap + l->foot_h > page_bottom(l, page)) {
		page++;
		y = l->margin;
		gap = 0;
	}
	l->foot_page = page;
	l->foot_y = y + gap;
	l->npages = page + 1;
	if (l->page_h <= 0)
		l->page_h = l->foot_y + l->foot_h + l->margin;
}

static void styles(struct sm_table_layout *l, const struct sm_style *st, double size,
		   double floor)
{
	l->body = (struct sm_tstyle){ .family = st->family, .size = size };
	l->head = l->body;
	l->head.bold = 1;
	l->title = (struct sm_tstyle){ .family = st->family, .size = st->title, .bold = 1 };
	double least = fmax(st->min_size, floor);
	l->foot = (struct sm_tstyle){ .family = st->family, .size = fmax(least, size - 0.5) };
}

static sm_status alloc(struct sm_ctx *ctx, struct sm_table_layout *l)
{
	size_t nc = l->ncols ? l->ncols : 1, nr = l->nrows ? l->nrows : 1;
	l->col_x = sm_alloc_array(nc, sizeof(double));
	l->col_w = sm_alloc_array(nc, sizeof(double));
	l->row_h = sm_alloc_array(nr, sizeof(double));
	l->row_y = sm_alloc_array(nr, sizeof(double));
	l->row_page = sm_alloc_array(nr, sizeof(int));
	if (!l->col_x || !l->col_w || !l->row_h || !l->row_y || !l->row_page)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	return SM_OK;
}

static sm_status measure_box(struct sm_ctx *ctx, struct sm_text *text, struct sm_tstyle st,
			     const char *s, double width, double *h)
{
	struct sm_extent e;
	*h = 0;
	if (!s || !*s)
		return SM_OK;
	sm_status rc = measure(ctx, text, st, width, s, &e);
	*h = e.height;
	return rc;
}

sm_status sm_table_layout_build(struct sm_ctx *ctx, struct sm_text *text,
				const struct sm_table *t, const struct sm_style *style,
				const struct sm_table_geom *geom, struct sm_table_layout **out)
{
	double width = geom->width, page_h = geom->page_h, font_size = geom->font_size;
	*out = NULL;
	if (t->ncols == 0)
		return SM_FAIL(ctx, SM_EINPUT, "table '%s' has no columns; expected at least one",
			       t->id);
	struct sm_table_layout *l = calloc(1, sizeof *l);
	if (!l)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	l->ncols = t->ncols;
	l->nrows = t->nrows;
	l->page_w = width;
	l->page_h = page_h;
	l->first_h = page_h > 0 ? geom->first_h : 0;
	l->margin = style->margin;
	/* a table of many columns spends a sixth of its width on gaps at
	 * 2 mm; at 1.2 mm its word columns wrap a line less */
	l->gap = fmin(style->col_gap, (t->ncols > 10 ? 1.2 : 2) * SM_PT_PER_MM);
	double size = font_size > 0 ? font_size : style->small;
	l->pad = size * 0.25;
	styles(l, style, size, geom->min_size);
	sm_status rc = alloc(ctx, l);
	double avail = width - 2 * l->margin - l->gap * (double)(t->ncols - 1);
	if (rc == SM_OK)
		rc = column_widths(ctx, text, t, l, avail, geom->fit_width);
	l->table_w = -l->gap;
	for (size_t c = 0; rc == SM_OK && c < t->ncols; c++)
		l->table_w += l->col_w[c] + l->gap;
	l->page_w = fmax(l->page_w, l->table_w + 2 * l->margin);
	/* a title or footnote takes the page's width, never the narrow
	 * table's: it breaks between words, not inside them */
	l->text_w = fmax(l->table_w, width - 2 * l->margin);
	l->table_x = l->margin + (geom->centre ? (l->text_w - l->table_w) / 2 : 0);
	double x = l->table_x;
	for (size_t c = 0; rc == SM_OK && c < t->ncols; c++) {
		l->col_x[c] = x;
		x += l->col_w[c] + l->gap;
	}
	if (rc == SM_OK)
		rc = row_height(ctx, text, t, l, -1, &l->head_h);
	for (size_t r = 0; rc == SM_OK && r < t->nrows; r++)
		rc = row_height(ctx, text, t, l, (long)r, &l->row_h[r]);
	if (rc == SM_OK)
		rc = measure_box(ctx, text, l->title, t->title, l->text_w, &l->title_h);
	if (rc == SM_OK)
		rc = measure_box(ctx, text, l->foot, t->footnote, l->text_w, &l->foot_h);
	if (l->title_h > 0)
		l->title_h += 2 * l->pad;
	double shortest = l->first_h > 0 ? fmin(l->first_h, page_h) : page_h;
	if (rc == SM_OK && page_h > 0 &&
	    l->margin * 2 + l->title_h + l->head_h + (t->nrows ? l->row_h[0] : 0) > shortest)
		rc = SM_FAIL(ctx, SM_EINPUT, "the page is too short for the table header; "
			     "expected a taller page");
	if (rc != SM_OK) {
		sm_table_layout_free(l);
		return rc;
	}
	paginate(l);
	*out = l;
	return SM_OK;
}
