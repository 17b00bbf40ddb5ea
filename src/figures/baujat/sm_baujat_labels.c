/* sm_baujat_labels.c -- where the Baujat plot's labels go (sm_baujat_int.h):
 * beside their points where a place is free, else with a leader line.
 *
 * Whether a place is free is asked thousands of times a label (24
 * directions on every ring out to the frame's diagonal, each pass): asked
 * of every point, label and leader that was O(n) a question and about a
 * seventh of a whole report's time.  A grid over the frame holds each
 * point, placed label and leader in the cells its box (grown by the
 * largest clearance any test adds) covers, so a question looks only at
 * what shares a cell with it, and a leader's three levels are found in
 * one look instead of one look each.  The tests are the same ones on a
 * subset that holds every object that could fail them, and each answer
 * ("no object fails"; the highest level any object rules out) does not
 * depend on the order they are looked at: the placement is the same as
 * by scanning all of them (sm_bj_place_scan, kept for the tests and for
 * when the grid cannot be allocated). */
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
#define GRID 10       /* cells a side */
#define REACH 0.5     /* the largest clearance a test adds to an object's box */

/* Objects by id: 3 i for point i, 3 i + 1 its placed label, 3 i + 2 its
 * leader. */
enum { OBJ_POINT, OBJ_LABEL, OBJ_LEADER };

struct cell {
	size_t *id, n, cap;
};

struct grid {
	double x0, y0, fx, fy;  /* frame corner, cells per pt */
	struct cell cells[GRID * GRID];
	struct cell anywhere;   /* objects with a coordinate that is not finite */
	int failed;             /* out of memory: every query scans all */
};

struct place {
	struct sm_bj_lab *v;
	size_t n;
	const struct sm_box *frame;
	struct grid *grid; /* NULL: scan all */
};

static struct sm_box grow(const struct sm_box *b, double d)
{
	return (struct sm_box){ b->x0 - d, b->y0 - d, b->x1 + d, b->y1 + d };
}

static struct sm_box point_box(const struct sm_bj_lab *l)
{
	return (struct sm_box){ l->px - l->pr, l->py - l->pr, l->px + l->pr, l->py + l->pr };
}

static struct sm_box seg_box(double x0, double y0, double x1, double y1)
{
	return (struct sm_box){ fmin(x0, x1), fmin(y0, y1), fmax(x0, x1), fmax(y0, y1) };
}

/* The box of object `id` as it stands, grown by REACH. */
static struct sm_box obj_box(const struct sm_bj_lab *v, size_t id)
{
	const struct sm_bj_lab *l = &v[id / 3];
	struct sm_box b = id % 3 == OBJ_POINT ? point_box(l)
			  : id % 3 == OBJ_LABEL ? l->box
						: seg_box(l->lx0, l->ly0, l->lx1, l->ly1);
	return grow(&b, REACH);
}

static int finite_box(const struct sm_box *b)
{
	return isfinite(b->x0) && isfinite(b->y0) && isfinite(b->x1) && isfinite(b->y1);
}

/* The cell column (row) of coordinate c, clamped to the grid: an object
 * reaching out of the frame is kept in the border cells, which every
 * query reaching there looks at. */
static int cell_of(double c, double origin, double per)
{
	double k = (c - origin) * per;
	return k >= GRID ? GRID - 1 : k > 0 ? (int)k : 0;
}

static int cell_push(struct cell *c, size_t id)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 8;
		size_t *p = realloc(c->id, cap * sizeof *p);
		if (!p)
			return -1;
		c->id = p;
		c->cap = cap;
	}
	c->id[c->n++] = id;
	return 0;
}

static void cell_drop(struct cell *c, size_t id)
{
	for (size_t k = 0; k < c->n; k++)
		if (c->id[k] == id) {
			c->id[k] = c->id[--c->n];
			return;
		}
}

/* Visit the cells of box b: add (1) or drop (0) object id. */
static void grid_cells(struct grid *g, const struct sm_box *b, size_t id, int add)
{
	if (!finite_box(b)) {
		if (!add)
			cell_drop(&g->anywhere, id);
		else if (cell_push(&g->anywhere, id) != 0)
			g->failed = 1;
		return;
	}
	int c0 = cell_of(b->x0, g->x0, g->fx), c1 = cell_of(b->x1, g->x0, g->fx);
	int r0 = cell_of(b->y0, g->y0, g->fy), r1 = cell_of(b->y1, g->y0, g->fy);
	for (int r = r0; r <= r1; r++)
		for (int c = c0; c <= c1; c++) {
			struct cell *cell = &g->cells[r * GRID + c];
			if (!add)
				cell_drop(cell, id);
			else if (cell_push(cell, id) != 0)
				g->failed = 1;
		}
}

/* Label i as placed (beside, or with its leader) into the grid (in = 1)
 * or, about to be taken up, out of it (in = 0); an unplaced label holds
 * no cells. */
static void grid_label(struct place *P, size_t i, int in)
{
	if (!P->grid || P->v[i].placed == SM_BJ_UNPLACED)
		return;
	struct sm_box b = obj_box(P->v, 3 * i + OBJ_LABEL);
	grid_cells(P->grid, &b, 3 * i + OBJ_LABEL, in);
	if (P->v[i].placed == SM_BJ_LEADERED) {
		b = obj_box(P->v, 3 * i + OBJ_LEADER);
		grid_cells(P->grid, &b, 3 * i + OBJ_LEADER, in);
	}
}

static void grid_free(struct grid *g)
{
	if (!g)
		return;
	for (size_t k = 0; k < GRID * GRID; k++)
		free(g->cells[k].id);
	free(g->anywhere.id);
	free(g);
}

/* The grid over the frame with every point in it; NULL when out of
 * memory or when the frame is not a finite box of positive size. */
static struct grid *grid_new(const struct sm_bj_lab *v, size_t n, const struct sm_box *frame)
{
	double w = frame->x1 - frame->x0, h = frame->y1 - frame->y0;
	if (!finite_box(frame) || !(w > 0) || !(h > 0))
		return NULL;
	struct grid *g = calloc(1, sizeof *g);
	if (!g)
		return NULL;
	*g = (struct grid){ .x0 = frame->x0, .y0 = frame->y0, .fx = GRID / w, .fy = GRID / h };
	for (size_t i = 0; i < n && !g->failed; i++) {
		struct sm_box b = obj_box(v, 3 * i + OBJ_POINT);
		grid_cells(g, &b, 3 * i + OBJ_POINT, 1);
	}
	if (g->failed) {
		grid_free(g);
		return NULL;
	}
	return g;
}

/* A test of one object (by id) against the place asked about; hits()
 * returns 1 when the answer is known and no other object need be seen. */
struct probe {
	struct place *P;
	size_t self;
	const struct sm_box *g; /* box_free: the label's box grown by PAD */
	const double *seg;      /* leader_level: the leader */
	int cap;                /* leader_level: levels from cap on do not matter */
	int need;               /* leader_level: the lowest level clear so far */
	int (*hits)(struct probe *q, size_t id);
};

/* 1 when some object that may reach box b stops the probe: those in the
 * cells b covers (an object in two of them is tested twice, which is
 * cheaper than remembering it), or every object without a grid. */
static int any_hit(struct probe *q, const struct sm_box *b)
{
	struct place *P = q->P;
	struct grid *g = P->grid;
	if (!g || g->failed || !finite_box(b)) {
		for (size_t id = 0; id < 3 * P->n; id++)
			if (q->hits(q, id))
				return 1;
		return 0;
	}
	for (size_t j = 0; j < g->anywhere.n; j++)
		if (q->hits(q, g->anywhere.id[j]))
			return 1;
	int c0 = cell_of(b->x0, g->x0, g->fx), c1 = cell_of(b->x1, g->x0, g->fx);
	int r0 = cell_of(b->y0, g->y0, g->fy), r1 = cell_of(b->y1, g->y0, g->fy);
	for (int r = r0; r <= r1; r++)
		for (int c = c0; c <= c1; c++) {
			const struct cell *cell = &g->cells[r * GRID + c];
			for (size_t j = 0; j < cell->n; j++)
				if (q->hits(q, cell->id[j]))
					return 1;
		}
	return 0;
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

static int box_hits(struct probe *q, size_t id)
{
	const struct sm_bj_lab *v = q->P->v;
	size_t i = id / 3;
	/* its own point: the places keep GAP from its disc by construction
	 * (its square box would rule out the corners) */
	if (i == q->self)
		return 0;
	if (id % 3 == OBJ_POINT) {
		struct sm_box pb = point_box(&v[i]);
		return sm_box_overlap(q->g, &pb);
	}
	if (v[i].placed == SM_BJ_UNPLACED)
		return 0;
	if (id % 3 == OBJ_LABEL)
		return sm_box_overlap(q->g, &v[i].box);
	return v[i].placed == SM_BJ_LEADERED &&
	       sm_bj_segment_hits(v[i].lx0, v[i].ly0, v[i].lx1, v[i].ly1, q->g);
}

/* The box `b` for label `self`: inside the frame, clear of every point,
 * every placed label and every leader. */
static int box_free(struct place *P, size_t self, const struct sm_box *b)
{
	if (!inside(b, P->frame))
		return 0;
	struct sm_box g = grow(b, PAD);
	struct probe q = { P, self, &g, NULL, 0, 0, box_hits };
	return !any_hit(&q, &g);
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

static int free_beside(struct place *P, size_t i, int *first)
{
	int count = 0;
	*first = -1;
	for (int k = 0; k < NBESIDE; k++) {
		struct sm_box b = beside(&P->v[i], k);
		if (box_free(P, i, &b)) {
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

/* How far a leader may go: level 0 crosses no other leader and no point
 * but its own, 1 may cross leaders, 2 points too (inside a crowd of
 * points); none ever crosses a label.  One look at the objects finds the
 * lowest level the leader is clear at: what it crosses rules out the
 * levels below. */
static int leader_hits(struct probe *q, size_t id)
{
	const struct sm_bj_lab *v = q->P->v;
	const double *seg = q->seg;
	size_t i = id / 3;
	if (i == q->self)
		return 0;
	if (id % 3 == OBJ_POINT) {
		struct sm_box own = point_box(&v[i]), pb = grow(&own, 0.3);
		if (q->need < 2 && sm_bj_segment_hits(seg[0], seg[1], seg[2], seg[3], &pb))
			q->need = 2;
	} else if (v[i].placed == SM_BJ_UNPLACED) {
		return 0;
	} else if (id % 3 == OBJ_LABEL) {
		struct sm_box g = grow(&v[i].box, PAD);
		if (sm_bj_segment_hits(seg[0], seg[1], seg[2], seg[3], &g))
			q->need = 3;
	} else if (q->need < 1 && v[i].placed == SM_BJ_LEADERED) {
		const double o[4] = { v[i].lx0, v[i].ly0, v[i].lx1, v[i].ly1 };
		if (segments_cross(seg, o))
			q->need = 1;
	}
	return q->need >= q->cap;
}

/* The lowest level (0, 1, 2) below `cap` at which the leader `seg` of
 * label `self` is clear, else cap. */
static int leader_level(struct place *P, size_t self, const double *seg, int cap)
{
	struct sm_box b = seg_box(seg[0], seg[1], seg[2], seg[3]);
	struct probe q = { P, self, NULL, seg, cap, 0, leader_hits };
	any_hit(&q, &b);
	return q.need < cap ? q.need : cap;
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
static int on_ring(struct place *P, size_t i, double R, int hi, const struct directions *dir)
{
	struct sm_bj_lab *l = &P->v[i];
	int best_level = hi + 1;
	struct sm_box best = { 0, 0, 0, 0 };
	double best_seg[4] = { 0, 0, 0, 0 };
	for (int a = 0; a < NANGLES && best_level > 0; a++) {
		double c = dir->c[a], s = dir->s[a];
		/* the box's side or corner that faces the point at R */
		double cx = l->px + c * (R + l->w / 2), cy = l->py + s * (R + l->h / 2);
		struct sm_box b = { cx - l->w / 2, cy - l->h / 2, cx + l->w / 2, cy + l->h / 2 };
		if (!box_free(P, i, &b))
			continue;
		double seg[4];
		leader_of(l, &b, seg);
		int level = leader_level(P, i, seg, best_level);
		if (level < best_level) {
			best_level = level;
			best = b;
			for (int k = 0; k < 4; k++)
				best_seg[k] = seg[k];
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
	grid_label(P, i, 1);
	return 1;
}

/* The nearest ring with a free place whose leader is clear at some level
 * up to `hi`. */
static int place_leadered(struct place *P, size_t i, int hi)
{
	const struct sm_box *frame = P->frame;
	double far = hypot(frame->x1 - frame->x0, frame->y1 - frame->y0);
	const struct directions dir = directions();
	for (double R = P->v[i].pr + RING0; R < far; R += RING_STEP)
		if (on_ring(P, i, R, hi, &dir))
			return 1;
	return 0;
}

static void put_beside(struct place *P, size_t i, int k)
{
	P->v[i].box = beside(&P->v[i], k);
	P->v[i].placed = SM_BJ_BESIDE;
	grid_label(P, i, 1);
}

/* Beside its point where a place is free, else on the rings. */
static int place_any(struct place *P, size_t i)
{
	int k;
	if (free_beside(P, i, &k) > 0) {
		put_beside(P, i, k);
		return 1;
	}
	return place_leadered(P, i, 2);
}

/* One pass: the labels with an `early` round, the latest round first, on
 * the rings (beside their points they would wall in the next), then the
 * others beside their points, the most constrained first, then
 * those with no free place beside on the rings.  Returns how many found
 * no place. */
static size_t pass(struct place *P, const size_t *early, size_t rounds, unsigned char *stuck)
{
	struct sm_bj_lab *v = P->v;
	size_t n = P->n;
	for (size_t i = 0; i < n; i++) {
		grid_label(P, i, 0);
		v[i].placed = SM_BJ_UNPLACED;
		stuck[i] = 0;
	}
	size_t left = 0;
	for (size_t r = rounds; r > 0; r--)
		for (size_t i = 0; i < n; i++)
			if (early[i] == r && !v[i].obstacle && !place_leadered(P, i, 2) &&
			    !place_any(P, i))
				left++;
	/* a label with no free place beside stays so (places only get fewer) */
	for (;;) {
		size_t best = n;
		int best_free = NBESIDE + 1, best_k = -1;
		for (size_t i = 0; i < n; i++) {
			if (v[i].placed != SM_BJ_UNPLACED || stuck[i] || early[i] || v[i].obstacle)
				continue;
			int k, c = free_beside(P, i, &k);
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
		put_beside(P, best, best_k);
	}
	for (size_t i = 0; i < n; i++)
		if (!early[i] && !v[i].obstacle && v[i].placed == SM_BJ_UNPLACED &&
		    !place_any(P, i))
			left++;
	return left;
}

static size_t place_all(struct sm_bj_lab *v, size_t n, const struct sm_box *frame, int indexed)
{
	struct place P = { v, n, frame, indexed ? grid_new(v, n, frame) : NULL };
	/* A label walled in by the labels placed before it goes first in the
	 * next pass (ahead of those moved in earlier passes), until every label
	 * has a place or the passes run out. */
	size_t *early = calloc(n ? n : 1, sizeof *early);
	unsigned char *stuck = calloc(n ? n : 1, 1);
	size_t left = n;
	for (size_t round = 0; early && stuck && round < PASSES; round++) {
		left = pass(&P, early, round, stuck);
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
			grid_label(&P, i, 0);
			v[i].placed = SM_BJ_UNPLACED;
			if (!place_any(&P, i)) {
				v[i] = keep;
				grid_label(&P, i, 1);
			}
		}
	grid_free(P.grid);
	free(early);
	free(stuck);
	return left;
}

size_t sm_bj_place(struct sm_bj_lab *v, size_t n, const struct sm_box *frame)
{
	return place_all(v, n, frame, 1);
}

size_t sm_bj_place_scan(struct sm_bj_lab *v, size_t n, const struct sm_box *frame)
{
	return place_all(v, n, frame, 0);
}
