/*
 * sm_flayout_int.h -- the working state of one forest layout run and the
 * helpers its parts share (private to sm_flayout*.c).
 *
 * Ownership: the state borrows everything but row_h and head_of; texts and items
 * added with sm_fl_put()/sm_fl_item() belong to the layout's figure.
 */
#ifndef SM_FLAYOUT_INT_H
#define SM_FLAYOUT_INT_H

#include "sm_flayout.h"
#include "sm_forest.h"

struct lay {
	struct sm_ctx *ctx;
	struct sm_fig *f;
	const struct sm_fplot *p;
	const struct sm_style *st;
	const struct sm_flayout_req *req;
	struct sm_flayout *l;
	sm_status status;
	int vis[SM_NCOLS];
	double colw[SM_NCOLS], colx[SM_NCOLS];
	double minw[SM_NCOLS];  /* text columns: narrowest without breaking a word */
	double wrapw[SM_NCOLS]; /* > 0: the column's cells wrap at this width */
	double gap, space, pitch, line_h, small_h;
	double text_right;      /* right end of the text columns */
	double graph_x0, graph_x1;
	int has_arms;           /* arm names over the count columns */
	int has_weight_group;   /* "Weight" over the weight columns */
	int two_weights;        /* the plot has weights of two models */
	int one_weight;         /* ... of which only the pooled model's are shown */
	int has_group;          /* a header line over the column heads */
	int axis_kind;          /* enum sm_faxis_kind */
	double data_lo, data_hi; /* what the axis must cover (sm_faxis_fit) */
	double *row_h;
	size_t *head_of;        /* each row's subgroup heading, or SIZE_MAX */
	size_t graph_end;       /* rows [0, graph_end) sit over the axis */
	double wmax;            /* largest study weight */
	double lack;            /* last try: width missing with text at its narrowest */
	double bottom;          /* the lowest mark of the page being laid out */
	int dry;                /* pages are measured only: rows add their height */
	const struct sm_flayout_stream *stream; /* NULL: pages kept in the figure */
	/* Risk-of-bias columns right of the graph: their total width (with
	 * the gap before them), the width of a domain column and of the
	 * overall one, how many domain columns, the circles' radius. */
	double rob_w, rob_dw, rob_ow, rob_r;
	int rob_nd;
};

/* Record an out-of-memory error (once). */
void sm_fl_oom(struct lay *L);
/* Measure; an error is remembered and later calls are skipped. */
struct sm_extent sm_fl_measure(struct lay *L, enum sm_role role, const char *s, double wrap);
double sm_fl_width(struct lay *L, enum sm_role role, const char *s);
/* Place a text aligned at x with its top at y, in the text colour, on the
 * figure's current page; NULL for empty text or after an error.  The
 * pointer is valid until the next text. */
struct sm_fig_text *sm_fl_put(struct lay *L, enum sm_role role, const char *s, double x,
			      double y, enum sm_align al, double wrap, int tag, int ref);
/* An item on the current page (ref -1, line width 0.5, stroked) in
 * `layer`, batched with its layer's others unless `alone`; NULL on
 * failure.  Valid until the next item. */
struct sm_fig_item *sm_fl_item(struct lay *L, enum sm_fig_kind kind, int tag, int layer,
			       int alone);
/* A mark reaching down to y (the lowest of the page is kept). */
void sm_fl_reach(struct lay *L, double y);

/* The font role of a row's cells; a row with cells (not a heading, note
 * or gap); the wrap width of cell c of r (0: one line). */
enum sm_role sm_fl_row_role(const struct sm_frow *r);
int sm_fl_is_cell_row(const struct sm_frow *r);
double sm_fl_cell_wrap(struct lay *L, const struct sm_frow *r, int c);
/* Cut wrapped cells of more than SM_FLAYOUT_MAX_LINES lines (sm_flayout_cut.c). */
void sm_fl_cut_cells(struct lay *L);

/* Risk of bias (sm_flayout_rob.c); all do nothing when the plot has no
 * risk-of-bias columns. */
/* Measure the columns at the current font size into rob_*. */
void sm_fl_rob_measure(struct lay *L);
/* Column heads at ty; "Risk of bias" over them at group_ty. */
void sm_fl_rob_header(struct lay *L, double ty, double group_ty);
/* The judgement circles of plot row `row`, centred on cy. */
void sm_fl_rob_row(struct lay *L, size_t row, double cy);
/* Domain keys and the legend of levels from y; returns the y below. */
double sm_fl_rob_key(struct lay *L, double y);

#endif
