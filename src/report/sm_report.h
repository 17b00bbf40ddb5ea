/*
 * sm_report.h -- the multi-page PDF report of one review: a template
 * (sm_rtmpl.h) filled from a results document and laid out on A4 pages
 * with figures, tables, captions, page numbers, bookmarks and metadata.
 *
 * The report draws what the results say: figures come from the renderers
 * (forest, funnel, PRISMA, risk of bias, tables) and the check findings
 * from sm_check (a comparison of reported with computed values, no new
 * statistics).  Figures and tables are numbered in order of appearance.
 * Output is written atomically; dates come from SOURCE_DATE_EPOCH.
 *
 * Ownership: results and opts are borrowed; nothing is retained.
 */
#ifndef SM_REPORT_H
#define SM_REPORT_H

#include "sm_ctx.h"

#include "sm_res.h"

#include <cjson/cJSON.h>

struct sm_rtmpl;
struct sm_supp;

struct sm_report_opts {
	const char *template_name; /* .tmpl path or name under templates/; NULL = "report" */
	const struct sm_rtmpl *tmpl; /* a template already parsed (then template_name is
				      * not read); borrowed */
	const char *style;         /* figure style; NULL = "default" */
	int supplement;            /* a supplement: Figure S1, Table S1, ... and an index
				    * page (at @index, else at the end) */
	const struct sm_supp *supp; /* the supplement's list with its files (from the
				    * bundle; borrowed); NULL: the report's own */
	size_t max_marks;          /* cap on the figures' and tables' marks and texts;
				    * 0 = SM_RTMPL_MAX_MARKS (tests set less) */
};

void sm_report_opts_init(struct sm_report_opts *opts);

/* Writes the report to `pdf_path` (must end in .pdf).  `doc` is the
 * results document as JSON (the template's placeholders read it), `res`
 * the same document typed (what the figures and tables draw). */
sm_status sm_report_write(struct sm_ctx *ctx, const cJSON *doc, const struct sm_res *res,
			  const struct sm_report_opts *opts, const char *pdf_path);

/* The figures and tables the report shows, in order, numbered and
 * captioned as it numbers them, appended to *items (sm_supplement.h): a dry
 * walk of the template, nothing laid out. */
sm_status sm_report_items(struct sm_ctx *ctx, const cJSON *doc, const struct sm_res *res,
			  const struct sm_report_opts *opts, struct sm_supp *items);

/* The number of pages the report of these results has (laid out, not
 * drawn). */
sm_status sm_report_count_pages(struct sm_ctx *ctx, const cJSON *doc, const struct sm_res *res,
				const struct sm_report_opts *opts, int *pages);

#endif
