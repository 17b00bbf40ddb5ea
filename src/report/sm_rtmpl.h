/*
 * sm_rtmpl.h -- the report template: a line-based text file that says what
 * a report holds and in which order (the language is documented in the
 * README, "Report templates").
 *
 *   %% comment                 ignored
 *   # Heading / ## Heading     a section / subsection (PDF bookmarks)
 *   @title TEXT                the title page's title (and the PDF title)
 *   @subtitle TEXT             a line under the title
 *   @meta KEY TEXT             PDF metadata: author, subject, keywords
 *   @page                      a page break
 *   @figure KIND [WHICH] [| CAPTION]
 *                              forest [NAME|summary], forest+rob [NAME]
 *                              (risk-of-bias columns), funnel [NAME|all],
 *                              prisma, rob [both|traffic|summary]; in an
 *                              @each block NAME defaults to the analysis
 *   @table NAME [| CAPTION]    domains, characteristics or a review table
 *   @tables                    every free-form table of the review
 *   @check                     the findings of `safemeta check`
 *   @index                     in a supplement (`report --supplement`): the
 *                              index of its numbered figures and tables
 *                              (without it, the index ends the report)
 *   @each analysis ... @end    repeat for every analysis
 *   @if PATH ... @end          keep when PATH has a value (@if !PATH: when
 *                              it has none)
 *   other lines                paragraph text; a blank line ends a paragraph
 *
 * Text, captions and arguments may hold placeholders {{PATH}} or
 * {{PATH|FORMAT}} (sm_rvalue.h).  Parsing checks the structure, directive
 * names, and every placeholder's root and format; values are looked up
 * only when the report is built.
 *
 * Ownership: sm_rtmpl_parse() returns a template freed with
 * sm_rtmpl_free(); it owns every node and string.
 */
#ifndef SM_RTMPL_H
#define SM_RTMPL_H

#include "sm_ctx.h"

#include <stddef.h>

enum sm_rnode_kind {
	SM_RN_PARA, SM_RN_HEADING, SM_RN_TITLE, SM_RN_SUBTITLE, SM_RN_META,
	SM_RN_PAGE, SM_RN_FIGURE, SM_RN_TABLE, SM_RN_TABLES, SM_RN_CHECK,
	SM_RN_INDEX, SM_RN_EACH, SM_RN_IF
};

struct sm_rnode {
	enum sm_rnode_kind kind;
	long line;       /* in the template file */
	int level;       /* headings: 1 or 2 */
	int negate;      /* @if !PATH */
	char *name;      /* figure kind, meta key, table name, @if path */
	char *arg;       /* figure WHICH; NULL when absent */
	char *text;      /* paragraph, heading, title, caption or meta text */
	struct sm_rnode *body; /* @each / @if */
	size_t nbody;
};

struct sm_rtmpl {
	char *path;      /* for messages */
	struct sm_rnode *nodes;
	size_t nnodes;
};

/* Parse template text (`path` names it in messages).  NULL on error with
 * FILE:LINE:COL in ctx. */
struct sm_rtmpl *sm_rtmpl_parse(struct sm_ctx *ctx, const char *path, const char *text,
				size_t len);
/* Read and parse a template file: `name` is a path ending in .tmpl or a
 * template name under the home folder's templates/ (NULL = "report"). */
struct sm_rtmpl *sm_rtmpl_load(struct sm_ctx *ctx, const char *name);
void sm_rtmpl_free(struct sm_rtmpl *t);

/* Caps on what a template expands to (README "Report templates"): every
 * node counts once, inside @each once per analysis (an @if body as if
 * kept); figures and tables (@figure, @table, @tables) also count against
 * the smaller cap of drawn items. */
#define SM_RTMPL_MAX_ITEMS ((size_t)100000)
#define SM_RTMPL_MAX_DRAWN ((size_t)5000)
/* A third cap, counted as the report is built: the marks and texts its
 * figures and tables hold together (a forest of 700 studies has about
 * 5,900; the document keeps them until its pages are drawn, about 700
 * bytes each, so the cap is about 1.4 GB).  A short template repeating a large figure would otherwise
 * take memory without bound; the error names the template line where the
 * count passes the cap. */
#define SM_RTMPL_MAX_MARKS ((size_t)2000000)
/* Checks the caps for a results document of n_analyses analyses before
 * anything is built; the error names the template line where the count
 * passes a cap, and the cap (SM_EINPUT). */
sm_status sm_rtmpl_check_cost(struct sm_ctx *ctx, const struct sm_rtmpl *t, size_t n_analyses);

#endif
