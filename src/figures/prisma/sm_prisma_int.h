/*
 * sm_prisma_int.h -- the PRISMA boxes' wording and the split of the width
 * among the columns (private to the renderer).
 *
 * Ownership: sm_prisma_text() returns a string the caller frees; so are
 * the line widths of sm_prisma_measure_lines().  Counts views borrow from
 * the results.
 */
#ifndef SM_PRISMA_INT_H
#define SM_PRISMA_INT_H

#include "sm_prisma.h"

#include <stddef.h>

/* At most this many boxes: the full template with other methods. */
#define SM_PRISMA_MAX_BOXES 24

enum sm_prisma_slot { SM_PS_IDENTIFIED, SM_PS_REMOVED, SM_PS_OTHER_IDENTIFIED, SM_PS_SCREENED,
		      SM_PS_EXCLUDED, SM_PS_SOUGHT, SM_PS_NOT_RETRIEVED, SM_PS_ASSESSED,
		      SM_PS_REPORTS_EXCLUDED, SM_PS_PREVIOUS, SM_PS_INCLUDED, SM_PS_TOTAL };

/* The counts a column of boxes shows: the databases-and-registers column
 * reads the whole prisma object, the other-methods column its
 * other_methods (the rest NAN, lists empty).  Counts are NAN when not
 * reported; the lists are borrowed from the results. */
struct sm_prisma_counts {
	const char *template_name;
	double previous_studies, previous_reports;
	const struct sm_res_prisma_source *databases, *registers, *sources;
	size_t ndatabases, nregisters, nsources; /* sources: of other methods */
	double records_databases, records_registers; /* NAN also when absent */
	double records_identified, duplicates_removed, automation_excluded, other_removed,
		records_screened, records_excluded, reports_sought, reports_not_retrieved,
		reports_assessed, reports_excluded, studies_included, reports_included,
		new_studies_included, new_reports_included;
	int updated; /* the updated-review template */
	const struct sm_res_prisma_reason *reasons; /* exclusion_reasons */
	size_t nreasons;
};

/* The counts of the main column and of the other methods' column. */
void sm_prisma_counts_main(const struct sm_res_prisma *p, struct sm_prisma_counts *c);
void sm_prisma_counts_other(const struct sm_res_prisma_other *o, struct sm_prisma_counts *c);

/* The text of a box (caller frees; NULL when out of memory). */
char *sm_prisma_text(enum sm_prisma_slot slot, const struct sm_prisma_counts *c);
/* 1 when a count was reported. */
static inline int sm_prisma_has(double count)
{
	return count == count;
}

/* What a box needs of its column: the natural (unwrapped) widths of its
 * text's lines.  Borrowed. */
struct sm_prisma_need {
	int col, row;
	const double *lines;
	int nlines;
};

/* Widths w[0..ncols) of the columns, none below minw[c] and adding up to
 * `total` (>= the sum of minw), that make the diagram least tall as
 * estimated from the boxes' line widths (`pad` each side of a box's text). */
void sm_prisma_split(const struct sm_prisma_need *boxes, int nboxes, int ncols,
		     const double *minw, double pad, double total, double *w);
/* Runs of words a column should hold on one line: three, so that no
 * wrapped line of a box holds just one or two words; fewer when the
 * width is short. */
#define SM_PRISMA_RUNS 3
/* The diagram's estimated height in lines with columns w (as the split
 * estimates it: each row as tall as its tallest box). */
double sm_prisma_height(const struct sm_prisma_need *boxes, int nboxes, const double *w,
			double pad);
/* The natural width of each line of `text` set in `st` (*lines, which the
 * caller frees, *nlines of them) and, in run[k - 1], of its widest run of
 * k consecutive words within a line (k = 1..SM_PRISMA_RUNS; a shorter
 * line counts whole).  A box at least run[k - 1] wide puts k words or more
 * on every wrapped line but a paragraph's last. */
sm_status sm_prisma_measure_lines(struct sm_ctx *ctx, struct sm_fig *f, const struct sm_tstyle *st,
				  const char *text, double **lines, int *nlines, double *run);

/* Lay the diagram out: *out is a finished figure on success. */
sm_status sm_prisma_lay(struct sm_ctx *ctx, const struct sm_res *res,
			const struct sm_prisma_options *o, struct sm_fig **out);

#endif
