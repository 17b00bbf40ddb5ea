/* sm_flayout_cut.c -- wrapped cells of a forest kept to
 * SM_FLAYOUT_MAX_LINES lines, the rest cut with "…" (sm_flayout_int.h): a
 * tall row for one long label would push the graph apart. */
#include "sm_flayout_int.h"

#include "sm_buf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Lines a text takes at its wrap width. */
static int lines_of(struct lay *L, enum sm_role role, const char *s, double wrap)
{
	double h = sm_fl_measure(L, role, s, wrap).height;
	return (int)lround(h / L->line_h);
}

/* s cut to its longest prefix that, with "…", takes at most `max` lines
 * (cut at a character, trailing spaces and commas dropped); NULL on
 * allocation failure. */
static char *cut_to_lines(struct lay *L, enum sm_role role, const char *s, double wrap, int max)
{
	size_t n = strlen(s), nb = 0;
	char *buf = malloc(n + 4);
	size_t *at = sm_alloc_array(n + 1, sizeof *at); /* UTF-8 character starts, and n */
	if (!buf || !at) {
		free(buf);
		free(at);
		return NULL;
	}
	for (size_t i = 0; i <= n; i++)
		if ((s[i] & 0xC0) != 0x80)
			at[nb++] = i;
	size_t lo = 0, hi = nb - 1; /* the longest prefix at[lo] that fits */
	while (lo < hi && L->status == SM_OK) {
		size_t mid = (lo + hi + 1) / 2;
		memcpy(buf, s, at[mid]);
		strcpy(buf + at[mid], "\xe2\x80\xa6");
		if (lines_of(L, role, buf, wrap) <= max)
			lo = mid;
		else
			hi = mid - 1;
	}
	size_t k = at[lo];
	free(at);
	while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == ',' || s[k - 1] == ';'))
		k--;
	memcpy(buf, s, k);
	strcpy(buf + k, "\xe2\x80\xa6");
	return buf;
}

/* Wrapped cells of more than SM_FLAYOUT_MAX_LINES lines are cut with "…"
 * instead of making tall rows. */
void sm_fl_cut_cells(struct lay *L)
{
	struct sm_fplot *p = L->l->plot;
	for (size_t i = 0; i < p->nrows && L->status == SM_OK; i++) {
		struct sm_frow *r = &p->rows[i];
		for (int c = 0; c < SM_NCOLS && sm_fl_is_cell_row(r); c++) {
			double wrap = L->vis[c] ? sm_fl_cell_wrap(L, r, c) : 0;
			if (!(wrap > 0) || !r->cell[c] ||
			    lines_of(L, sm_fl_row_role(r), r->cell[c], wrap) <= SM_FLAYOUT_MAX_LINES)
				continue;
			char *cut = cut_to_lines(L, sm_fl_row_role(r), r->cell[c], wrap,
						 SM_FLAYOUT_MAX_LINES);
			if (!cut) {
				sm_fl_oom(L);
				return;
			}
			free(r->cell[c]);
			r->cell[c] = cut;
		}
	}
}
