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

/* Share the available width: every column gets its minimum, the rest goes
 * in proportion to what each would need unwrapped. */
static void share(double *w, const double *nat, const double *min, size_t n, double avail)
{
	double snat = 0, smin = 0;
	for (size_t c = 0; c < n; c++) {
		snat += nat[c];
		smin += min[c];
	}
	for (size_t c = 0; c < n; c++) {
		if (snat <= avail)
			w[c] = nat[c];
		else if (smin >= avail)
			w[c] = min[c]; /* the page widens rather than break words */
		else
			w[c] = min[c] + (nat[c] - min[c]) * (avail - smin) / (snat - smin);
	}
}

/* Natural (unwrapped) and minimum (longest word) widths.  Numbers read
 * badly when broken ("1.33 [0.86, / 2.08]"), so right-aligned columns keep
 * their cells on one line when the page allows; only headers wrap. */
static sm_status column_widths(struct sm_ctx *ctx, struct sm_text *text,
			       const struct sm_table *t, struct sm_table_layout *l, double avail)
{
	size_t n = t->ncols;
	double *nat = sm_alloc_array(n, sizeof *nat), *min = sm_alloc_array(n, sizeof *min);
	double *keep = sm_alloc_array(n, sizeof *keep);
	sm_status rc = nat && min && keep ? SM_OK : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	double skeep = 0;
	for (size_t c = 0; rc == SM_OK && c < n; c++) {
		double body = 0, unused = 0;
		for (size_t r = 0; rc == SM_OK && r < t->nrows; r++)
			rc = widen(ctx, text, &l->body, sm_table_cell(t, r, c), &body, &unused);
		if (rc == SM_OK)
			rc = widen(ctx, text, &l->head, t->headers[c], &nat[c], &min[c]);
		/* A little slack so that measured text never wraps by rounding. */
		nat[c] = fmax(nat[c], body) + 0.5;
		min[c] = fmax(min[c], unused) + 0.5;
		keep[c] = t->align[c] == SM_ALIGN_RIGHT ? fmax(min[c], body + 0.5) : min[c];
		skeep += keep[c];
	}
	if (rc == SM_OK)
		share(l->col_w, nat, skeep <= avail ? keep : min, n, avail);
	free(nat);
	free(min);
	free(keep);
	return rc;
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

static void paginate(struct sm_table_layout *l)
{
	double bottom = l->page_h > 0 ? l->page_h - l->margin : INFINITY;
	int page = 0;
	double y = sm_table_layout_head_y(l, 0) + l->head_h;
	for (size_t r = 0; r < l->nrows; r++) {
		int first = r == 0 || l->row_page[r - 1] != page;
		if (!first && y + l->row_h[r] > bottom) {
			page++;
			y = sm_table_layout_head_y(l, page) + l->head_h;
		}
		l->row_page[r] = page;
		l->row_y[r] = y;
		y += l->row_h[r];
	}
	double gap = l->foot_h > 0 ? l->pad * 2 : 0;
	if (l->foot_h > 0 && y + gap + l->foot_h > bottom) {
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

static void styles(struct sm_table_layout *l, const struct sm_style *st, double size)
{
	l->body = (struct sm_tstyle){ .family = st->family, .size = size };
	l->head = l->body;
	l->head.bold = 1;
	l->title = (struct sm_tstyle){ .family = st->family, .size = st->title, .bold = 1 };
	l->foot = (struct sm_tstyle){ .family = st->family, .size = fmax(st->min_size, size - 0.5) };
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
				double width, double font_size, double page_h,
				struct sm_table_layout **out)
{
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
	l->margin = style->margin;
	l->gap = fmin(style->col_gap, 2 * SM_PT_PER_MM);
	double size = font_size > 0 ? font_size : style->small;
	l->pad = size * 0.25;
	styles(l, style, size);
	sm_status rc = alloc(ctx, l);
	double avail = width - 2 * l->margin - l->gap * (double)(t->ncols - 1);
	if (rc == SM_OK)
		rc = column_widths(ctx, text, t, l, avail);
	double x = l->margin;
	for (size_t c = 0; rc == SM_OK && c < t->ncols; c++) {
		l->col_x[c] = x;
		x += l->col_w[c] + l->gap;
	}
	l->table_w = x - l->gap - l->margin;
	l->page_w = fmax(l->page_w, l->table_w + 2 * l->margin);
	if (rc == SM_OK)
		rc = row_height(ctx, text, t, l, -1, &l->head_h);
	for (size_t r = 0; rc == SM_OK && r < t->nrows; r++)
		rc = row_height(ctx, text, t, l, (long)r, &l->row_h[r]);
	if (rc == SM_OK)
		rc = measure_box(ctx, text, l->title, t->title, l->table_w, &l->title_h);
	if (rc == SM_OK)
		rc = measure_box(ctx, text, l->foot, t->footnote, l->table_w, &l->foot_h);
	if (l->title_h > 0)
		l->title_h += 2 * l->pad;
	if (rc == SM_OK && page_h > 0 &&
	    l->margin * 2 + l->title_h + l->head_h + (t->nrows ? l->row_h[0] : 0) > page_h)
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
