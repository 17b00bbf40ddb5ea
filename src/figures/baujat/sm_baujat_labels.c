/* sm_baujat_labels.c -- where the Baujat plot's labels go (sm_baujat_int.h):
 * beside their points where a place is free, else with a leader line. */
#include "sm_baujat_int.h"

#include <math.h>
#include <stdlib.h>

#define GAP 1.0       /* between a point's rim and its label (pt) */
#define PAD 0.5       /* clearance kept around boxes (pt) */
#define RING0 6.0     /* the first leader ring beyond the point's rim (pt) */
#define RING_STEP 3.0 /* between rings (pt) */
#define NANGLES 24    /* directions tried on a ring */
#define NBESIDE 8
#define PASSES 12    /* at most */
#define SWEEPS 2      /* of the leaders, once all are placed */

static struct sm_box grow(const struct sm_box *b, double d)
{
	return (struct sm_box){ b->x0 - d, b->y0 - d, b->x1 + d, b->y1 + d };
}

static struct sm_box point_box(const struct sm_bj_lab *l)
{
	return (struct sm_box){ l->px - l->pr, l->py - l->pr, l->px + l->pr, l->py + l->pr };
}

int sm_bj_segment_hits(double x0, double y0, double x1, double y1, const struct sm_box *b)
{
	/* wholly beside the box: no hit (most pairs, and exact: the clip
	 * below finds nothing either) */
	if (fmax(x0, x1) < b->x0 || fmin(x0, x1) > b->x1 || fmax(y0, y1) < b->y0 ||
	    fmin(y0, y1) > b->y1)
		return 0;
	/* Liang-Barsky: clip the segment to the box; an interior piece of
	 * positive length is a hit */
	double t0 = 0, t1 = 1, dx = x1 - x0, dy = y1 - y0;
	const double p[4] = { -dx, dx, -dy, dy };
	const double q[4] = { x0 - b->x0, b->x1 - x0, y0 - b->y0, b->y1 - y0 };
	for (int i = 0; i < 4; i++) {
		if (p[i] == 0) {
			if (q[i] <= 0)
				return 0;
			continue;
		}
		double t = q[i] / p[i];
		if (p[i] < 0)
			t0 = fmax(t0, t);
		else
			t1 = fmin(t1, t);
		if (t0 >= t1)
			return 0;
	}
	return (t1 - t0) * hypot(dx, dy) > 1e-6;
}

static double cross(double ax, double ay, double bx, double by, double cx, double cy)
{
	return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

/* Proper crossing of two segments (shared end points do not count). */
static int segments_cross(const double *a, const double *b)
{
	double d1 = cross(b[0], b[1], b[2], b[3], a[0], a[1]);
	double d2 = cross(b[0], b[1], b[2], b[3], a[2], a[3]);
	double d3 = cross(a[0], a[1], a[2], a[3], b[0], b[1]);
	double d4 = cross(a[0], a[1], a[2], a[3], b[2], b[3]);
	return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) &&
	       ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

static int inside(const struct sm_box *b, const struct sm_box *frame)
{
	return b->x0 >= frame->x0 + PAD && b->x1 <= frame->x1 - PAD && b->y0 >= frame->y0 + PAD &&
	       b->y1 <= frame->y1 - PAD;
}

/* The box `b` for label `self`: inside the frame, clear of every point,
 * every placed label and every leader. */
static int box_free(const struct sm_bj_lab *v, size_t n, size_t self, const struct sm_box *b,
		    const struct sm_box *frame)
{
	if (!inside(b, frame))
		return 0;
	struct sm_box g = grow(b, PAD);
	for (size_t i = 0; i < n; i++) {
		/* its own point: the places keep GAP from its disc by
		 * construction (its square box would rule out the corners) */
		struct sm_box pb = point_box(&v[i]);
		if (i != self && sm_box_overlap(&g, &pb))
			return 0;
		if (i == self || v[i].placed == SM_BJ_UNPLACED)
			continue;
		if (sm_box_overlap(&g, &v[i].box))
			return 0;
		if (v[i].placed == SM_BJ_LEADERED &&
		    sm_bj_segment_hits(v[i].lx0, v[i].ly0, v[i].lx1, v[i].ly1, &g))
			return 0;
	}
	return 1;
}

/* Place `k` beside the point: right, left, upper right, lower right,
 * upper left, lower left, above, below. */
static struct sm_box beside(const struct sm_bj_lab *l, int k)
{
	double d = l->pr + GAP, c = d * M_SQRT1_2, w = l->w, h = l->h, x = l->px, y = l->py;
	switch (k) {
	case 0: return (struct sm_box){ x + d, y - h / 2, x + d + w, y + h / 2 };
	case 1: return (struct sm_box){ x - d - w, y - h / 2, x - d, y + h / 2 };
	case 2: return (struct sm_box){ x + c, y - c - h, x + c + w, y - c };
	case 3: return (struct sm_box){ x + c, y + c, x + c + w, y + c + h };
	case 4: return (struct sm_box){ x - c - w, y - c - h, x - c, y - c };
	case 5: return (struct sm_box){ x - c - w, y + c, x - c, y + c + h };
	case 6: return (struct sm_box){ x - w / 2, y - d - h, x + w / 2, y - d };
	default: return (struct sm_box){ x - w / 2, y + d, x + w / 2, y + d + h };
	}
}

static int free_beside(const struct sm_bj_lab *v, size_t n, size_t i, const struct sm_box *frame,
		       int *first)
{
	int count = 0;
	*first = -1;
	for (int k = 0; k < NBESIDE; k++) {
		struct sm_box b = beside(&v[i], k);
		if (box_free(v, n, i, &b, frame)) {
			if (*first < 0)
				*first = k;
			count++;
		}
	}
	return count;
}

/* The leader of label `l` at box `b`: from the point's rim to the box's
 * nearest point. */
static void leader_of(const struct sm_bj_lab *l, const struct sm_box *b, double *seg)
{
	double ex = fmin(fmax(l->px, b->x0), b->x1), ey = fmin(fmax(l->py, b->y0), b->y1);
	double dx = ex - l->px, dy = ey - l->py, d = hypot(dx, dy);
	double r = l->pr + 0.5;
	seg[0] = d > 0 ? l->px + dx / d * r : l->px;
	seg[1] = d > 0 ? l->py + dy / d * r : l->py;
	seg[2] = ex;
	seg[3] = ey;
}

/* How far a leader may go: 0 crosses no other leader and no point but its
 * own, 1 may cross leaders, 2 points too (inside a crowd of points); none
 * ever crosses a label. */
static int leader_clear(const struct sm_bj_lab *v, size_t n, size_t self, const double *seg,
			int level)
{
	for (size_t i = 0; i < n; i++) {
		if (i != self && level < 2) {
			struct sm_box own = point_box(&v[i]), pb = grow(&own, 0.3);
			if (sm_bj_segment_hits(seg[0], seg[1], seg[2], seg[3], &pb))
				return 0;
		}
		if (i == self || v[i].placed == SM_BJ_UNPLACED)
			continue;
		struct sm_box g = grow(&v[i].box, PAD);
		if (sm_bj_segment_hits(seg[0], seg[1], seg[2], seg[3], &g))
			return 0;
		if (level == 0 && v[i].placed == SM_BJ_LEADERED) {
			const double o[4] = { v[i].lx0, v[i].ly0, v[i].lx1, v[i].ly1 };
			if (segments_cross(seg, o))
				return 0;
		}
	}
	return 1;
}

/* The directions tried on a ring, counter-clockwise from the right:
 * computed once, not for every ring of every label. */
struct directions {
	double c[NANGLES], s[NANGLES];
};

static struct directions directions(void)
{
	struct directions d;
	for (int a = 0; a < NANGLES; a++) {
		double t = -2 * M_PI * a / NANGLES;
		d.c[a] = cos(t);
		d.s[a] = sin(t);
	}
	return d;
}

/* The free place on the ring of radius R whose leader is clear at the
 * lowest level up to `hi`, the first by direction (counter-clockwise from
 * the right) among those. */
static int on_ring(struct sm_bj_lab *v, size_t n, size_t i, const struct sm_box *frame, double R,
		   int hi, const struct directions *dir)
{
	struct sm_bj_lab *l = &v[i];
	int best_level = hi + 1;
	struct sm_box best = { 0, 0, 0, 0 };
	double best_seg[4] = { 0, 0, 0, 0 };
	for (int a = 0; a < NANGLES && best_level > 0; a++) {
		double c = dir->c[a], s = dir->s[a];
		/* the box's side or corner that faces the point at R */
		double cx = l->px + c * (R + l->w / 2), cy = l->py + s * (R + l->h / 2);
		struct sm_box b = { cx - l->w / 2, cy - l->h / 2, cx + l->w / 2, cy + l->h / 2 };
		if (!box_free(v, n, i, &b, frame))
			continue;
		double seg[4];
		leader_of(l, &b, seg);
		for (int level = 0; level < best_level; level++)
			if (leader_clear(v, n, i, seg, level)) {
				best_level = level;
				best = b;
				for (int k = 0; k < 4; k++)
					best_seg[k] = seg[k];
				break;
			}
	}
	if (best_level > hi)
		return 0;
	l->box = best;
	l->placed = SM_BJ_LEADERED;
	l->lx0 = best_seg[0];
	l->ly0 = best_seg[1];
	l->lx1 = best_seg[2];
	l->ly1 = best_seg[3];
	return 1;
}

/* The nearest ring with a free place whose leader is clear at some level
 * up to `hi`. */
static int place_leadered(struct sm_bj_lab *v, size_t n, size_t i, const struct sm_box *frame,
			  int hi)
{
	double far = hypot(frame->x1 - frame->x0, frame->y1 - frame->y0);
	const struct directions dir = directions();
	for (double R = v[i].pr + RING0; R < far; R += RING_STEP)
		if (on_ring(v, n, i, frame, R, hi, &dir))
			return 1;
	return 0;
}

/* Beside its point where a place is free, else on the rings. */
static int place_any(struct sm_bj_lab *v, size_t n, size_t i, const struct sm_box *frame)
{
	int k;
	if (free_beside(v, n, i, frame, &k) > 0) {
		v[i].box = beside(&v[i], k);
		v[i].placed = SM_BJ_BESIDE;
		return 1;
	}
	return place_leadered(v, n, i, frame, 2);
}

/* One pass: the labels with an `early` round, the latest round first, on
 * the rings (beside their points they would wall in the next), then the
 * others beside their points, the most constrained first, then
 * those with no free place beside on the rings.  Returns how many found
 * no place. */
static size_t pass(struct sm_bj_lab *v, size_t n, const struct sm_box *frame,
		   const size_t *early, size_t rounds, unsigned char *stuck)
{
	for (size_t i = 0; i < n; i++) {
		v[i].placed = SM_BJ_UNPLACED;
		stuck[i] = 0;
	}
	size_t left = 0;
	for (size_t r = rounds; r > 0; r--)
		for (size_t i = 0; i < n; i++)
			if (early[i] == r && !v[i].obstacle && !place_leadered(v, n, i, frame, 2) &&
			    !place_any(v, n, i, frame))
				left++;
	/* a label with no free place beside stays so (places only get fewer) */
	for (;;) {
		size_t best = n;
		int best_free = NBESIDE + 1, best_k = -1;
		for (size_t i = 0; i < n; i++) {
			if (v[i].placed != SM_BJ_UNPLACED || stuck[i] || early[i] || v[i].obstacle)
				continue;
			int k, c = free_beside(v, n, i, frame, &k);
			if (c == 0)
				stuck[i] = 1;
			else if (c < best_free) {
				best_free = c;
				best = i;
				best_k = k;
			}
		}
		if (best == n)
			break;
		v[best].box = beside(&v[best], best_k);
		v[best].placed = SM_BJ_BESIDE;
	}
	for (size_t i = 0; i < n; i++)
		if (!early[i] && !v[i].obstacle && v[i].placed == SM_BJ_UNPLACED &&
		    !place_any(v, n, i, frame))
			left++;
	return left;
}

size_t sm_bj_place(struct sm_bj_lab *v, size_t n, const struct sm_box *frame)
{
	/* A label walled in by the labels placed before it goes first in the
	 * next pass (ahead of those moved in earlier passes), until every label
	 * has a place or the passes run out. */
	size_t *early = calloc(n ? n : 1, sizeof *early);
	unsigned char *stuck = calloc(n ? n : 1, 1);
	size_t left = n;
	for (size_t round = 0; early && stuck && round < PASSES; round++) {
		left = pass(v, n, frame, early, round, stuck);
		if (left == 0)
			break;
		for (size_t i = 0; i < n; i++)
			if (v[i].placed == SM_BJ_UNPLACED && !v[i].obstacle)
				early[i] = round + 1;
	}
	/* then each leader in turn is taken up and put down again at the
	 * nearest place the others leave (its own is still free, so it gets
	 * no longer) */
	for (int sweep = 0; left == 0 && sweep < SWEEPS; sweep++)
		for (size_t i = 0; i < n; i++) {
			if (v[i].placed != SM_BJ_LEADERED)
				continue;
			struct sm_bj_lab keep = v[i];
			v[i].placed = SM_BJ_UNPLACED;
			if (!place_any(v, n, i, frame))
				v[i] = keep;
		}
	free(early);
	free(stuck);
	return left;
}
