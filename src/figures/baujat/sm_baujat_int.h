/*
 * sm_baujat_int.h -- the Baujat plot's label placement (sm_baujat_labels.c),
 * shared by the layout (sm_baujat.c) and its tests.
 *
 * Placement is greedy and deterministic: among the labels not yet placed,
 * the one with the fewest free places beside its point (8 positions:
 * right, left, the four corners, above, below) goes first, to the first
 * free one of them; a label with none goes to the nearest free place on
 * rings around its point, joined to it by a leader line that crosses no
 * label and no other point (and, where possible, no other leader).  A place
 * is free when the label's box lies inside the frame and overlaps no point,
 * no label and no leader.
 *
 * Ownership: plain values; the caller owns the array.
 */
#ifndef SM_BAUJAT_INT_H
#define SM_BAUJAT_INT_H

#include "sm_fig.h"

#include <stddef.h>

enum sm_bj_placed { SM_BJ_UNPLACED, SM_BJ_BESIDE, SM_BJ_LEADERED };

struct sm_bj_lab {
	double px, py, pr;      /* its point: centre and radius (pt) */
	double w, h;            /* the label's box (pt) */
	struct sm_box box;      /* where it went */
	enum sm_bj_placed placed;
	int obstacle;           /* a point without a label: only kept clear */
	double lx0, ly0, lx1, ly1; /* the leader (SM_BJ_LEADERED): point edge to box */
};

/* Place the n labels (obstacles stay unplaced) inside `frame`; returns how
 * many labels found no place. */
size_t sm_bj_place(struct sm_bj_lab *v, size_t n, const struct sm_box *frame);
/* The same placement asking every point, label and leader whether a place
 * is free instead of those the grid finds near it (what sm_bj_place does
 * when the grid cannot be allocated): the tests' reference. */
size_t sm_bj_place_scan(struct sm_bj_lab *v, size_t n, const struct sm_box *frame);

/* 1 when the segment (x0,y0)-(x1,y1) passes through the box's interior. */
int sm_bj_segment_hits(double x0, double y0, double x1, double y1, const struct sm_box *b);

#endif
