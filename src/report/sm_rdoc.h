/*
 * sm_rdoc.h -- a report as a flow of measured blocks (text, figure pages,
 * table pages), built from a template and a results document, then cut
 * into pages and drawn (sm_rpage.c).
 *
 * The page model.  Blocks go down the page in order; a heading keeps the
 * start of what follows on its page.  A table starts where it is when its
 * caption, header and first two rows fit there (its first page is laid out
 * for the room left, the others for full pages, the header repeated), else
 * on the next page with its heading.  A table is never scaled: it is set at
 * the style's small size, or smaller down to the style's minimum when that
 * makes it fit the width, and a table too wide for a portrait page at the
 * minimum goes on landscape pages (A4 turned; set at the largest size that
 * fits there, its longest words broken only when even the minimum does not
 * fit).  A figure shrinks to end a page rather than leave the page's rest
 * empty, but never below the size that keeps its smallest text at the
 * style's minimum.
 *
 * Ownership: sm_rdoc_build() returns a document freed with sm_rdoc_free();
 * it owns its blocks, strings, figures, tables, fonts and style.
 */
#ifndef SM_RDOC_H
#define SM_RDOC_H

#include "sm_canvas.h"
#include "sm_ctx.h"
#include "sm_fig.h"
#include "sm_report.h"
#include "sm_res.h"
#include "sm_rtmpl.h"
#include "sm_style.h"
#include "sm_text.h"

#include <cjson/cJSON.h>
#include <stddef.h>

/* A4 with margins that leave the double-column figure width (175 mm). */
#define SM_RDOC_PAGE_W (210.0 * SM_PT_PER_MM)
#define SM_RDOC_PAGE_H (297.0 * SM_PT_PER_MM)
#define SM_RDOC_MARGIN_X (17.5 * SM_PT_PER_MM)
#define SM_RDOC_MARGIN_TOP (18.0 * SM_PT_PER_MM)
#define SM_RDOC_MARGIN_BOTTOM (20.0 * SM_PT_PER_MM)
#define SM_RDOC_CONTENT_W (SM_RDOC_PAGE_W - 2 * SM_RDOC_MARGIN_X)
#define SM_RDOC_CONTENT_H (SM_RDOC_PAGE_H - SM_RDOC_MARGIN_TOP - SM_RDOC_MARGIN_BOTTOM)
/* The same margins on a landscape page (A4 turned). */
#define SM_RDOC_LAND_CONTENT_W (SM_RDOC_PAGE_H - 2 * SM_RDOC_MARGIN_X)
#define SM_RDOC_LAND_CONTENT_H (SM_RDOC_PAGE_W - SM_RDOC_MARGIN_TOP - SM_RDOC_MARGIN_BOTTOM)
/* Between a figure and its caption; above a figure or table (pt). */
#define SM_RDOC_CAPTION_GAP 6.0
#define SM_RDOC_FIGURE_SPACE 10.0

enum sm_rblock_kind {
	SM_RB_TEXT,   /* title, subtitle, heading or paragraph */
	SM_RB_PAGE,   /* page break */
	SM_RB_FIG     /* one page of a figure or table (any figure kind) */
};

struct sm_supp;

struct sm_rblock {
	enum sm_rblock_kind kind;
	char *text;            /* SM_RB_TEXT: the text; figures: caption (may be NULL) */
	struct sm_tstyle st;   /* of text / caption */
	int outline;           /* 1, 2: a bookmark at that level */
	int keep_with_next;    /* headings stay on the page of what follows */
	int part;              /* a line of a paragraph set line by line (one
				* taller than SPLIT_PARAGRAPH of a page) */
	double space_before;
	double h;              /* measured height, caption included (pt) */
	double cap_h;          /* caption height */
	double obj_w, obj_h;   /* figure size before scaling */
	double scale;
	double min_scale;      /* the least scale that keeps its text legible
				* (the style's minimum size); 1 for tables */
	int landscape;         /* goes on a landscape page */
	int caption_above;     /* tables: caption first */
	struct sm_fig *fig;
	int page;              /* the figure's page this block shows */
};

/* Where the pager is: before block `next`, at y on `page`. */
struct sm_rcursor {
	size_t next;
	int page;
	double y;
	int landscape; /* of the page */
	int placed;    /* anything placed yet */
	/* A figure that did not fit in the rest of the page waits for the
	 * top of the next; what follows fills the page first (sm_rpage.c). */
	int held;
	size_t held_block;
};

struct sm_rowned {
	void *p;
	void (*release)(void *);
};

struct sm_rdoc {
	struct sm_style *style;
	struct sm_fonts *fonts;
	struct sm_text *text;
	struct sm_rblock *blocks;
	size_t nblocks, cap_blocks;
	struct sm_rowned *owned;
	size_t nowned, cap_owned;
	char *title, *author, *subject, *keywords, *footer;
	int nfigures, ntables;
	int supplement;             /* captions Figure S1., Table S1. */
	struct sm_supp *collect;    /* a dry walk: items recorded, nothing laid out */
	const struct sm_supp *index; /* the supplement's index (borrowed), or NULL */
	int index_done;
	/* The rules the sensitivity tables share, said in the footnote of the
	 * first (table sens_rules_table) and referred to after. */
	char *sens_rules;
	int sens_rules_table;
	/* Where the pager will have got to after the settled blocks (those
	 * before the last heading chain): tables start from there. */
	struct sm_rcursor settled;
	struct sm_tstyle body, small, title_st, subtitle_st, h1, h2, caption;
};

/* `doc` is the results as JSON for the template's placeholders; `res` the
 * same document typed, for what is drawn.  With `collect`, a dry walk: the
 * figures and tables are recorded there (numbered, captioned) instead of
 * laid out; the document is only good for freeing.  In a supplement
 * (opts->supplement), `index` is the list the index page shows (NULL:
 * none), borrowed while the document is built. */
struct sm_rdoc *sm_rdoc_build(struct sm_ctx *ctx, const cJSON *doc, const struct sm_res *res,
			      const struct sm_rtmpl *tmpl, const struct sm_report_opts *opts,
			      struct sm_supp *collect, const struct sm_supp *index);
void sm_rdoc_free(struct sm_rdoc *d);

/* Appending (sm_rdoc.c, used by the figure and table builders). */
struct sm_rblock *sm_rdoc_add(struct sm_ctx *ctx, struct sm_rdoc *d, enum sm_rblock_kind kind);
sm_status sm_rdoc_own(struct sm_ctx *ctx, struct sm_rdoc *d, void *p, void (*release)(void *));
/* A text block measured at the content width; takes `text`. */
sm_status sm_rdoc_text(struct sm_ctx *ctx, struct sm_rdoc *d, char *text,
		       const struct sm_tstyle *st, double space_before);
/* Measure a caption (sets cap_h) for block b; takes `caption`. */
sm_status sm_rdoc_caption(struct sm_ctx *ctx, struct sm_rdoc *d, struct sm_rblock *b,
			  char *caption);
/* The same at another width (a landscape page's). */
sm_status sm_rdoc_caption_at(struct sm_ctx *ctx, struct sm_rdoc *d, struct sm_rblock *b,
			     char *caption, double width);

/* Figure and table blocks (sm_rdoc_figs.c); caption is the expanded
 * template caption or NULL. */
struct sm_rfig_req {
	const char *kind;     /* forest, funnel, prisma, rob */
	const char *which;    /* analysis name, summary, all, rob plot; may be NULL */
	const char *caption;  /* may be NULL */
};
sm_status sm_rdoc_figure(struct sm_ctx *ctx, struct sm_rdoc *d, const struct sm_res *res,
			 const struct sm_report_opts *opts, const struct sm_rfig_req *req);
sm_status sm_rdoc_table(struct sm_ctx *ctx, struct sm_rdoc *d, const struct sm_res *res,
			const struct sm_report_opts *opts, const char *name, const char *caption);
/* The supplement's index: a section with the index table (sm_rdoc_figs.c). */
sm_status sm_rdoc_index(struct sm_ctx *ctx, struct sm_rdoc *d, const struct sm_report_opts *opts);
/* A review's own table title without its number ("Table 2 | Follow-up" ->
 * "Follow-up"), borrowed from `title`. */
const char *sm_rdoc_unnumbered(const char *title);
/* What the analysis stage's check found (the results' "check"), as a
 * paragraph and a table. */
sm_status sm_rdoc_check(struct sm_ctx *ctx, struct sm_rdoc *d, const struct sm_res *res,
			const struct sm_report_opts *opts);

/* Pages (sm_rpage.c): cut the flow into pages, then draw them. */
struct sm_rplace {
	size_t block;
	int page;
	double y;
	double scale;  /* of the figure: its own, or less to fit the page's rest */
};
struct sm_rflow {
	struct sm_rplace *pl; /* one per block that is not a page break */
	size_t n;
	int npages;
	unsigned char *landscape; /* npages */
};
/* The content box of a page. */
static inline double sm_rdoc_content_w(int landscape)
{
	return landscape ? SM_RDOC_LAND_CONTENT_W : SM_RDOC_CONTENT_W;
}
static inline double sm_rdoc_content_h(int landscape)
{
	return landscape ? SM_RDOC_LAND_CONTENT_H : SM_RDOC_CONTENT_H;
}
/* Move the cursor over blocks [c->next, upto) as the pager places them (a
 * fresh cursor is all zero).  Placing a block that keeps with the next
 * looks ahead at what follows: pass only settled blocks. */
void sm_rpage_advance(const struct sm_rdoc *d, struct sm_rcursor *c, size_t upto);
/* Where the cursor is once a figure it holds back is placed (what comes
 * next is not filling the page: a figure, or a table that goes on). */
void sm_rpage_release_held(const struct sm_rdoc *d, struct sm_rcursor *c);
sm_status sm_rpage_flow(struct sm_ctx *ctx, const struct sm_rdoc *d, struct sm_rflow *out);
void sm_rpage_flow_release(struct sm_rflow *f);
sm_status sm_rpage_draw(struct sm_ctx *ctx, const struct sm_rdoc *d, const struct sm_rflow *f,
			const char *pdf_path);

#endif
