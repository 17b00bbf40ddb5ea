/*
 * sm_supplement.h -- a review's supplementary material as a numbered list:
 * the figures (Figure S1, S2, ...) and tables (Table S1, ...) in the order
 * the report shows them, then the bundle's files the report does not show,
 * each with its caption and the files it is written to.
 *
 * The list is made in three steps: the report's own items, found by a dry
 * walk of its template (sm_report_items, sm_report.h); the bundle's
 * figures and tables, matched to them or appended (sm_supp_complete), which
 * names every item's files S<n>-<name>; and the files, recorded by the
 * bundle as it writes them.  The report's captions and index page, the
 * plain-text index and the file names all come from this one list, so they
 * cannot disagree.
 *
 * Ownership: a struct sm_supp owns its items and their strings; release
 * with sm_supp_release().  Kinds are borrowed from the table of kinds.
 */
#ifndef SM_SUPPLEMENT_H
#define SM_SUPPLEMENT_H

#include "sm_ctx.h"
#include "sm_figure.h"
#include "sm_res.h"
#include "sm_table.h"

#include <stddef.h>

enum sm_supp_type { SM_SUPP_FIGURE, SM_SUPP_TABLE };

struct sm_supp_item {
	enum sm_supp_type type;
	int number;        /* S<number> among the items of its type */
	char *caption;     /* without "Figure S1. "; never NULL */
	char *kind;        /* figures: the template's kind ("forest", "forest+rob") */
	char *which;       /* figures: its argument; tables: the table's name; may be NULL */
	int in_report;     /* shown in the report (else a file only) */
	/* Set by sm_supp_complete: */
	const struct sm_figure_kind *fkind; /* figures: the kind that draws it */
	const char *flag;  /* figures: an option flag of the kind to set ("rob"), or NULL */
	char *base;        /* file name without folder and extension: S1-forest-summary */
	/* Set by the bundle: */
	char *files;       /* "figures/S1-forest-summary.pdf, .svg, .png", or NULL */
};

struct sm_supp {
	struct sm_supp_item *v;
	size_t n, cap;
	int nfigures, ntables;
};

void sm_supp_release(struct sm_supp *s);
/* Append an item numbered after the others of its type (copies the
 * strings); NULL on out of memory (error in ctx). */
struct sm_supp_item *sm_supp_add(struct sm_ctx *ctx, struct sm_supp *s, enum sm_supp_type type,
				 const char *caption, const char *kind, const char *which);
/* "Figure S1" / "Table S2" into buf. */
void sm_supp_label(const struct sm_supp_item *it, char *buf, size_t size);

/* The report's items matched to the bundle's plan (same kind and
 * argument; the first unmatched job of each) and to the tables the bundle
 * exports; the rest appended with captions of their own; every item named
 * S<n>-<the plan's base or the table's name>.  `tables` are the names the
 * bundle exports (sm_table_names_in). */
sm_status sm_supp_complete(struct sm_ctx *ctx, struct sm_supp *s, const struct sm_res *res,
			   const struct sm_figure_plan *plan, const char *const *tables,
			   size_t ntables);

/* The caption an index gives an item: the report's, else one of its own
 * (a figure the report shows without a caption, a file only).  NULL on out
 * of memory; the caller frees. */
char *sm_supp_caption(const struct sm_supp_item *it);

/* The index as a table (Item, Caption, and Files when the items have
 * files), in the order of the plain-text index; NULL with the error in
 * ctx. */
struct sm_table *sm_supp_index_table(struct sm_ctx *ctx, const struct sm_supp *s);

/* The plain-text index (index.txt): a heading naming the review, then one
 * entry per item (label, caption, files), figures then tables.  NULL on out
 * of memory.  The caller frees. */
char *sm_supp_index_text(const struct sm_supp *s, const struct sm_res *res);

#endif
