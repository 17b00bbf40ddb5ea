#include "sm_dialect.h"

#include "sm_buf.h"
#include "sm_limits.h"
#include "sm_number.h"
#include "sm_strmap.h"
#include "sm_textfile.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum role {
	R_AI, R_N1I, R_CI, R_N2I, R_XI, R_NI, R_YI, R_VI, R_SEI,
	R_STUDY, R_DOMAIN, R_SUBGROUP, R_YEAR, R_SUB, R_EVENT, R_REF, R_COUNT
};

enum dialect { D_NONE, D_METAFOR, D_META, D_REVMAN, D_EVENTS_T, D_E_T };

static const char *const dialect_name[] = {
	"", "metafor", "meta", "RevMan", "events_t", "e_t"
};

/* The 2x2 column names of each dialect, in ai, n1i, ci, n2i order. */
static const char *const dialect_2x2[][4] = {
	[D_NONE] = { "ai", "n1i", "ci", "n2i" },
	[D_METAFOR] = { "ai", "n1i", "ci", "n2i" },
	[D_META] = { "event.e", "n.e", "event.c", "n.c" },
	[D_REVMAN] = { "Experimental Events", "Experimental Total", "Control Events",
		       "Control Total" },
	[D_EVENTS_T] = { "events_t", "n_t", "events_c", "n_c" },
	[D_E_T] = { "e_t", "n_t", "e_c", "n_c" },
};

static const char *const role_meaning[R_COUNT] = {
	"treated events", "treated total", "control events", "control total",
	"events", "total", "effect size", "sampling variance", "standard error",
	"study label", "outcome domain", "subgroup", "year", "sub-row letter", "event label",
	"reference",
};

struct alias {
	const char *name; /* lower case */
	enum role role;
	enum dialect dialect;
};

static const struct alias aliases[] = {
	{ "ai", R_AI, D_METAFOR }, { "n1i", R_N1I, D_METAFOR },
	{ "ci", R_CI, D_METAFOR }, { "n2i", R_N2I, D_METAFOR },
	{ "event.e", R_AI, D_META }, { "n.e", R_N1I, D_META },
	{ "event.c", R_CI, D_META }, { "n.c", R_N2I, D_META },
	{ "experimental events", R_AI, D_REVMAN }, { "experimental total", R_N1I, D_REVMAN },
	{ "control events", R_CI, D_REVMAN }, { "control total", R_N2I, D_REVMAN },
	{ "events_t", R_AI, D_EVENTS_T }, { "n_t", R_N1I, D_EVENTS_T },
	{ "events_c", R_CI, D_EVENTS_T }, { "n_c", R_N2I, D_EVENTS_T },
	{ "e_t", R_AI, D_E_T }, { "e_c", R_CI, D_E_T },
	{ "xi", R_XI, D_NONE }, { "ni", R_NI, D_NONE },
	{ "yi", R_YI, D_NONE }, { "vi", R_VI, D_NONE }, { "sei", R_SEI, D_NONE },
	{ "study", R_STUDY, D_NONE }, { "studlab", R_STUDY, D_NONE },
	{ "study or subgroup", R_STUDY, D_REVMAN }, { "author", R_STUDY, D_NONE },
	{ "domain", R_DOMAIN, D_NONE }, { "outcome", R_DOMAIN, D_NONE },
	{ "group", R_SUBGROUP, D_NONE }, { "subgroup", R_SUBGROUP, D_NONE },
	{ "year", R_YEAR, D_NONE },
	{ "sub", R_SUB, D_NONE }, { "event", R_EVENT, D_NONE }, { "ref", R_REF, D_NONE },
};

struct dstate {
	const struct sm_dialect_opts *opts;
	struct sm_review *r;
	int col[R_COUNT];  /* column index of each role, -1 when absent */
	char **header;     /* header names as written */
	size_t *header_offs; /* where each header name starts */
	size_t n_cols;
	size_t header_off; /* offset of the header line */
	enum sm_data_kind kind;
	struct sm_strmap *studies; /* study id/label -> index */
	const char *file;          /* interned in the review */
	size_t max_rows;           /* data rows the text can hold at most */
	size_t line_off;           /* line counting cursor: offset ... */
	int line_no;               /* ... and its line number */
	/* Columns kept as study characteristics (named by an option, or the
	 * subgroup column): header index of each, in header order. */
	size_t *kept;
	size_t n_kept;
	/* opts' ignore and column names, normalized once: a header of n columns
	 * against m names costs O(n + m), not O(n m) (issue 18). */
	struct sm_strmap *ignored, *named;
	char *names_text; /* the normalized names, end to end */
};

/* Lower-cases s without surrounding blanks into out (room for strlen(s) + 1
 * bytes); returns the bytes written, NUL included. */
static size_t normalize_into(const char *s, char *out)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[n] = '\0';
	return n + 1;
}

/* Lower-cased copy without surrounding blanks; NULL on out of memory. */
static char *normalize(const char *s)
{
	char *out = malloc(strlen(s) + 1);
	if (out)
		normalize_into(s, out);
	return out;
}

/* Puts the normalized names into a new set; their text goes to *at. */
static struct sm_strmap *name_set(const char *const *names, size_t n, char **at)
{
	struct sm_strmap *m = sm_strmap_new();
	for (size_t i = 0; m && i < n; i++) {
		char *key = *at;
		*at += normalize_into(names[i], key);
		if (sm_strmap_put(m, key, i, NULL) < 0) {
			sm_strmap_free(m);
			m = NULL;
		}
	}
	return m;
}

static int name_sets(struct dstate *st)
{
	const struct sm_dialect_opts *o = st->opts;
	size_t len = 1;
	for (size_t i = 0; i < o->n_ignore; i++)
		len += strlen(o->ignore[i]) + 1;
	for (size_t i = 0; i < o->n_columns; i++)
		len += strlen(o->columns[i]) + 1;
	char *at = st->names_text = malloc(len);
	if (!at)
		return -1;
	st->ignored = name_set(o->ignore, o->n_ignore, &at);
	st->named = st->ignored ? name_set(o->columns, o->n_columns, &at) : NULL;
	return st->named ? 0 : -1;
}

static const struct alias *find_alias(const char *norm)
{
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (strcmp(aliases[i].name, norm) == 0)
			return &aliases[i];
	return NULL;
}

static enum sm_data_kind role_kind(int role)
{
	if (role <= R_N2I)
		return SM_KIND_2X2;
	if (role <= R_NI)
		return SM_KIND_PROP;
	if (role <= R_SEI)
		return SM_KIND_GENERIC;
	return SM_KIND_NONE;
}

static const char *kind_text(enum sm_data_kind k)
{
	switch (k) {
	case SM_KIND_2X2: return "2x2 counts";
	case SM_KIND_PROP: return "proportions";
	case SM_KIND_GENERIC: return "generic effect sizes";
	case SM_KIND_NONE: break;
	}
	return "no data";
}

#define ALL_DIALECTS                                                              \
	"ai,n1i,ci,n2i (metafor) | event.e,n.e,event.c,n.c (meta) | "             \
	"Experimental Events,Experimental Total,Control Events,Control Total "    \
	"(RevMan) | events_t,n_t,events_c,n_c | e_t,n_t,e_c,n_c | yi,vi | yi,sei | xi,ni"

/* A first line naming no known column is not a header of ours: the file is
 * not an outcome table (a review may name any readable file, e.g.
 * /etc/passwd), so its bytes are not quoted back; the position is kept. */
static sm_status header_known(struct sm_ctx *ctx, const struct sm_csv_src *src,
			      const struct dstate *st, const struct sm_csv_row *row)
{
	for (size_t i = 0; i < row->n; i++) {
		char *norm = normalize(row->fields[i]);
		if (!norm)
			return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		int known = find_alias(norm) || sm_strmap_get(st->named, norm, NULL) ||
			    sm_strmap_get(st->ignored, norm, NULL);
		free(norm);
		if (known)
			return SM_OK;
	}
	return sm_csv_fail(ctx, src, row->offsets[0], NULL,
			   "not an outcome table: the first line names none of the known "
			   "columns; expected a CSV file whose header names its columns (" ALL_DIALECTS
			   ")");
}

static sm_status header_column(struct sm_ctx *ctx, const struct sm_csv_src *src,
			       struct dstate *st, const struct sm_csv_row *row, size_t i,
			       enum dialect *first_dialect)
{
	const char *name = row->fields[i];
	size_t off = row->offsets[i];
	char *norm = normalize(name);
	if (!norm)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	sm_status s = SM_OK;
	const struct alias *a = find_alias(norm);
	if (norm[0] == '\0') {
		s = sm_csv_fail(ctx, src, off, NULL,
				"empty column name in the header; expected a column name");
	} else if (!a && sm_strmap_get(st->named, norm, NULL)) {
		st->kept[st->n_kept++] = i; /* a study characteristic an option asks for */
	} else if (sm_strmap_get(st->ignored, norm, NULL)) {
		s = SM_OK;
	} else if (!a) {
		s = sm_csv_fail(ctx, src, off, name, "unknown column '%s'; expected one of "
				"the column names in examples/FORMAT.md%s", name,
				st->opts->ignore_hint ? st->opts->ignore_hint : "");
	} else if (st->col[a->role] >= 0) {
		int j = st->col[a->role];
		s = sm_csv_fail(ctx, src, off, name, "duplicate column '%s': column %d '%s' "
				"already gives the %s; expected each column once", name, j + 1,
				st->header[j], role_meaning[a->role]);
	} else {
		st->col[a->role] = (int)i;
		if (a->role == R_SUBGROUP)
			st->kept[st->n_kept++] = i;
		if (a->dialect != D_NONE && role_kind(a->role) == SM_KIND_2X2 &&
		    *first_dialect == D_NONE)
			*first_dialect = a->dialect;
	}
	free(norm);
	return s;
}

/* Appends "'a', 'b'" naming the missing roles among from..to. */
static void list_missing(struct sm_buf *b, const struct dstate *st, const char *const *names,
			 int from, int to, int *n)
{
	for (int r = from; r <= to; r++) {
		if (st->col[r] >= 0)
			continue;
		sm_buf_printf(b, "%s'%s'", *n ? ", " : "", names[r - from]);
		(*n)++;
	}
}

static sm_status missing_2x2(struct sm_ctx *ctx, const struct sm_csv_src *src,
			     struct dstate *st, enum dialect d)
{
	struct sm_buf b;
	sm_buf_init(&b);
	int n = 0;
	list_missing(&b, st, dialect_2x2[d], R_AI, R_N2I, &n);
	if (n == 0) {
		sm_buf_release(&b);
		return SM_OK;
	}
	const char *const *names = dialect_2x2[d];
	sm_status s = sm_csv_fail(ctx, src, st->header_off, NULL,
				  "missing column%s %s; the header has 2x2 columns of the %s "
				  "dialect, which needs %s, %s, %s, %s", n > 1 ? "s" : "",
				  b.data ? b.data : "", dialect_name[d], names[0], names[1],
				  names[2], names[3]);
	sm_buf_release(&b);
	return s;
}

/* One data kind per file, with all the columns it needs. */
static sm_status check_kind(struct sm_ctx *ctx, const struct sm_csv_src *src,
			    struct dstate *st, enum dialect d)
{
	int first = -1;
	for (int r = R_AI; r <= R_SEI; r++) {
		if (st->col[r] < 0)
			continue;
		if (first < 0 || st->col[r] < st->col[first])
			first = r;
	}
	for (int r = R_AI; r <= R_SEI; r++) {
		if (st->col[r] >= 0 && role_kind(r) != role_kind(first))
			return sm_csv_fail(ctx, src, st->header_offs[st->col[r]],
					   st->header[st->col[r]],
					   "column '%s' (%s) mixed with column '%s' (%s); "
					   "expected one data kind per file",
					   st->header[st->col[r]], kind_text(role_kind(r)),
					   st->header[st->col[first]], kind_text(role_kind(first)));
	}
	if (first < 0)
		return sm_csv_fail(ctx, src, st->header_off, NULL,
				   "no data columns in the header; expected one of: " ALL_DIALECTS);
	st->kind = role_kind(first);
	if (st->kind == SM_KIND_2X2)
		return missing_2x2(ctx, src, st, d);
	if (st->kind == SM_KIND_PROP)
		return st->col[R_XI] >= 0 && st->col[R_NI] >= 0 ? SM_OK :
		       sm_csv_fail(ctx, src, st->header_off, NULL,
				   "missing column '%s'; proportions need xi and ni",
				   st->col[R_XI] < 0 ? "xi" : "ni");
	if (st->col[R_YI] < 0)
		return sm_csv_fail(ctx, src, st->header_off, NULL,
				   "missing column 'yi'; generic effect sizes need yi with vi "
				   "or sei");
	if (st->col[R_VI] < 0 && st->col[R_SEI] < 0)
		return sm_csv_fail(ctx, src, st->header_off, NULL,
				   "missing column 'vi' or 'sei'; generic effect sizes need yi "
				   "with vi or sei");
	if (st->col[R_VI] >= 0 && st->col[R_SEI] >= 0)
		return sm_csv_fail(ctx, src, st->header_offs[st->col[R_SEI]], NULL,
				   "both 'vi' and 'sei' given; expected one of them");
	return SM_OK;
}

static size_t kept_index(const struct dstate *st, int col)
{
	for (size_t j = 0; j < st->n_kept; j++)
		if (st->kept[j] == (size_t)col)
			return j;
	return 0;
}

/* Room for the kept columns' values, one row per data line; a subgroup
 * column is the review's subgroup variable unless its settings name one. */
static sm_status keep_columns(struct sm_ctx *ctx, struct dstate *st)
{
	if (st->n_kept == 0)
		return SM_OK;
	struct sm_review *r = st->r;
	if (r->n_outcomes != 0)
		return SM_FAIL(ctx, SM_EINTERNAL, "outcome rows before the CSV; expected its "
			       "columns to start at row 0");
	const char **names = sm_alloc_array(st->n_kept, sizeof *names);
	int *cols = sm_alloc_array(st->n_kept, sizeof *cols);
	int bad = !names || !cols;
	for (size_t j = 0; !bad && j < st->n_kept; j++) {
		names[j] = st->header[st->kept[j]];
		cols[j] = (int)st->kept[j] + 1;
	}
	bad = bad || sm_review_row_columns_init(r, st->file, names, cols, st->n_kept,
						st->max_rows) != 0;
	free(names);
	free(cols);
	if (bad)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	if (st->col[R_SUBGROUP] >= 0 && !r->settings.subgroup_by)
		r->settings.subgroup_by = r->cols.names[kept_index(st, st->col[R_SUBGROUP])];
	return SM_OK;
}

static sm_status read_header(struct sm_ctx *ctx, const struct sm_csv_src *src,
			     struct dstate *st, const struct sm_csv_row *row)
{
	st->header = sm_alloc_array(row->n, sizeof *st->header);
	st->header_offs = sm_alloc_array(row->n, sizeof *st->header_offs);
	st->kept = sm_alloc_array(row->n, sizeof *st->kept);
	if (!st->header || !st->header_offs || !st->kept)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	if (name_sets(st) != 0)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	st->n_cols = row->n;
	st->header_off = row->offsets[0];
	for (size_t i = 0; i < row->n; i++) {
		st->header[i] = strdup(row->fields[i]);
		if (!st->header[i])
			return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		st->header_offs[i] = row->offsets[i];
	}
	sm_status s = header_known(ctx, src, st, row);
	if (s != SM_OK)
		return s;
	enum dialect d = D_NONE;
	for (size_t i = 0; i < row->n; i++) {
		s = header_column(ctx, src, st, row, i, &d);
		if (s != SM_OK)
			return s;
	}
	s = check_kind(ctx, src, st, d == D_NONE ? D_METAFOR : d);
	if (s == SM_OK)
		s = keep_columns(ctx, st);
	/* a bare CSV without study column makes one study per row */
	if (s == SM_OK && !st->opts->match_studies && st->col[R_STUDY] < 0 &&
	    sm_review_reserve(st->r, 0, st->r->n_studies + st->max_rows) != 0)
		s = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	if (s == SM_OK && st->opts->match_studies && st->col[R_STUDY] < 0)
		s = sm_csv_fail(ctx, src, st->header_off, NULL,
				"missing column 'study'; expected the study id or label "
				"(studies[].id or studies[].label of the review) on every row");
	return s;
}

/* ---- data rows ---- */

static const char *cell(const struct sm_csv_row *row, const struct dstate *st, int role)
{
	return st->col[role] >= 0 ? row->fields[st->col[role]] : NULL;
}

/* Cell text with blanks trimmed (libcsv keeps blanks inside quotes). */
static int cell_blank(const char *s)
{
	if (!s)
		return 1;
	while (*s == ' ' || *s == '\t')
		s++;
	return *s == '\0';
}

static sm_status cell_fail(struct sm_ctx *ctx, const struct sm_csv_src *src,
			   const struct dstate *st, const struct sm_csv_row *row, int role,
			   const char *what)
{
	int c = st->col[role];
	char got[128];
	sm_textfile_excerpt(got, sizeof got, row->fields[c], 40);
	return sm_csv_fail(ctx, src, row->offsets[c], st->header[c], "column '%s': %s, got %s",
			   st->header[c], what, got);
}

static sm_status cell_number(struct sm_ctx *ctx, const struct sm_csv_src *src,
			     const struct dstate *st, const struct sm_csv_row *row, int role,
			     enum sm_value_rule rule, double *out)
{
	int c = st->col[role];
	const char *text = row->fields[c];
	double v = 0;
	switch (sm_parse_number(text, &v)) {
	case SM_NUM_EMPTY:
		return sm_csv_fail(ctx, src, row->offsets[c], st->header[c],
				   "column '%s': missing value; expected %s", st->header[c],
				   sm_value_rule_text(rule));
	case SM_NUM_SYNTAX: {
		char what[64];
		snprintf(what, sizeof what, "expected %s", sm_value_rule_text(rule));
		return cell_fail(ctx, src, st, row, role, what);
	}
	case SM_NUM_NONFINITE:
		return cell_fail(ctx, src, st, row, role,
				 "number out of range; expected a finite number");
	case SM_NUM_OK:
		break;
	}
	const char *bad = sm_value_check(v, rule);
	if (bad)
		return cell_fail(ctx, src, st, row, role, bad);
	*out = v;
	return SM_OK;
}

static sm_status events_le_total(struct sm_ctx *ctx, const struct sm_csv_src *src,
				 const struct dstate *st, const struct sm_csv_row *row,
				 int ev, int tot, double e, double n)
{
	if (e <= n)
		return SM_OK;
	int c = st->col[ev];
	return sm_csv_fail(ctx, src, row->offsets[c], st->header[c],
			   "column '%s': %.0f events exceed the total %.0f in column '%s'; "
			   "expected at most the total", st->header[c], e, n,
			   st->header[st->col[tot]]);
}

static sm_status read_numbers(struct sm_ctx *ctx, const struct sm_csv_src *src,
			      const struct dstate *st, const struct sm_csv_row *row,
			      struct sm_outcome *o)
{
	sm_status s = SM_OK;
	switch (st->kind) {
	case SM_KIND_2X2:
		if ((s = cell_number(ctx, src, st, row, R_AI, SM_RULE_COUNT, &o->ai)) ||
		    (s = cell_number(ctx, src, st, row, R_N1I, SM_RULE_TOTAL, &o->n1i)) ||
		    (s = cell_number(ctx, src, st, row, R_CI, SM_RULE_COUNT, &o->ci)) ||
		    (s = cell_number(ctx, src, st, row, R_N2I, SM_RULE_TOTAL, &o->n2i)) ||
		    (s = events_le_total(ctx, src, st, row, R_AI, R_N1I, o->ai, o->n1i)))
			return s;
		return events_le_total(ctx, src, st, row, R_CI, R_N2I, o->ci, o->n2i);
	case SM_KIND_PROP:
		if ((s = cell_number(ctx, src, st, row, R_XI, SM_RULE_COUNT, &o->xi)) ||
		    (s = cell_number(ctx, src, st, row, R_NI, SM_RULE_TOTAL, &o->ni)))
			return s;
		return events_le_total(ctx, src, st, row, R_XI, R_NI, o->xi, o->ni);
	case SM_KIND_GENERIC:
		if ((s = cell_number(ctx, src, st, row, R_YI, SM_RULE_FINITE, &o->yi)))
			return s;
		if (st->col[R_VI] >= 0)
			return cell_number(ctx, src, st, row, R_VI, SM_RULE_POSITIVE, &o->vi);
		if ((s = cell_number(ctx, src, st, row, R_SEI, SM_RULE_POSITIVE, &o->vi)))
			return s;
		o->vi = o->vi * o->vi;
		if (!isfinite(o->vi) || o->vi <= 0)
			return cell_fail(ctx, src, st, row, R_SEI,
					 "squared standard error out of range; expected a "
					 "positive number below 1e154");
		return SM_OK;
	case SM_KIND_NONE:
		break;
	}
	return SM_OK;
}

static sm_status read_year(struct sm_ctx *ctx, const struct sm_csv_src *src,
			   const struct dstate *st, const struct sm_csv_row *row, int *year)
{
	*year = 0;
	const char *y = cell(row, st, R_YEAR);
	if (cell_blank(y))
		return SM_OK;
	double v = 0;
	if (sm_parse_number(y, &v) != SM_NUM_OK || v != floor(v) || v < 1 || v > 9999)
		return cell_fail(ctx, src, st, row, R_YEAR, "expected a year from 1 to 9999");
	*year = (int)v;
	return SM_OK;
}

/* A cell without surrounding blanks, copied into buf (SM_MAX_LABEL_BYTES + 1
 * bytes: the CSV reader caps fields at that length); NULL for a blank or
 * absent cell. */
static const char *trimmed(const char *s, char *buf)
{
	if (cell_blank(s))
		return NULL;
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n > SM_MAX_LABEL_BYTES)
		n = SM_MAX_LABEL_BYTES;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

/* The trimmed cell of role as a shared review string; *out NULL when blank. */
static sm_status shared_cell(struct sm_ctx *ctx, struct dstate *st, const struct sm_csv_row *row,
			     int role, const char **out)
{
	char buf[SM_MAX_LABEL_BYTES + 1];
	const char *t = trimmed(cell(row, st, role), buf);
	*out = t ? sm_review_intern(st->r, t) : NULL;
	return !t || *out ? SM_OK : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
}

/* Physical line of offset `off`, counted on from the previous row. */
static int line_of(struct dstate *st, const struct sm_csv_src *src, size_t off)
{
	const char *d = src->data;
	for (size_t i = st->line_off; i < off; i++)
		if (d[i] == '\n' || (d[i] == '\r' && (i + 1 >= src->len || d[i + 1] != '\n')))
			st->line_no++;
	st->line_off = off;
	return st->line_no;
}

/* A study of a bare CSV; its id is its label (one shared string). */
static sm_status new_study(struct sm_ctx *ctx, struct dstate *st, const char *label,
			   const struct sm_csv_row *row, int year, size_t *index)
{
	struct sm_review *r = st->r;
	char buf[SM_MAX_LABEL_BYTES + 1];
	const char *ref = trimmed(cell(row, st, R_REF), buf);
	struct sm_study *s = sm_review_add_study(r);
	if (!s)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	s->label = s->id = label;
	s->ref = ref ? sm_review_str(r, ref) : NULL;
	s->year = year;
	*index = r->n_studies - 1;
	if (ref && !s->ref)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	return SM_OK;
}

/* Without a study column every row is its own study "Study N", so no
 * lookup is needed (and none is paid for a million rows). */
static sm_status numbered_study(struct sm_ctx *ctx, struct dstate *st,
				const struct sm_csv_row *row, int year, size_t *index)
{
	const char *label = sm_review_strf(st->r, "Study %zu", row->index);
	if (!label)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	return new_study(ctx, st, label, row, year, index);
}

/* Rows after which the study map is sized for the whole file when each
 * had a new study (row_study). */
#define STUDIES_PROBE_ROWS 4096

/* Index of the row's study: looked up (review mode) or found/created. */
static sm_status row_study(struct sm_ctx *ctx, const struct sm_csv_src *src, struct dstate *st,
			   const struct sm_csv_row *row, int year, size_t *index)
{
	if (st->col[R_STUDY] < 0)
		return numbered_study(ctx, st, row, year, index);
	int c = st->col[R_STUDY];
	char buf[SM_MAX_LABEL_BYTES + 1];
	const char *label = trimmed(row->fields[c], buf);
	if (!label)
		return sm_csv_fail(ctx, src, row->offsets[c], st->header[c], "column '%s': missing "
				   "study; expected a study %s", st->header[c],
				   st->opts->match_studies ? "id or label of the review" : "label");
	if (sm_strmap_get(st->studies, label, index))
		return SM_OK;
	if (!st->opts->match_studies) {
		/* Every row so far a study of its own: likely all of them are,
		 * so the map gets its final size now instead of rehashing a
		 * dozen times (6 % of a 10^6-study run).  Not before: a table
		 * sized for every line would spread a few studies over
		 * megabytes.  Only the table's size depends on this. */
		if (row->index == STUDIES_PROBE_ROWS &&
		    sm_strmap_count(st->studies) == STUDIES_PROBE_ROWS - 1 &&
		    sm_strmap_reserve(st->studies, st->max_rows) != 0)
			return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		const char *copy = sm_review_str(st->r, label);
		if (!copy || sm_strmap_put(st->studies, copy, st->r->n_studies, NULL) < 0)
			return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return new_study(ctx, st, copy, row, year, index);
	}
	char got[128];
	sm_textfile_excerpt(got, sizeof got, label, 40);
	return sm_csv_fail(ctx, src, row->offsets[c], st->header[c], "column '%s': unknown "
			   "study %s; expected a studies[].id or studies[].label of the review",
			   st->header[c], got);
}

/* The kept columns of one row: blank and "NA" are missing (as R reads a
 * CSV), other text is kept with its number when it is one. */
static sm_status kept_cells(struct sm_ctx *ctx, struct dstate *st, const struct sm_csv_row *row,
			    size_t index)
{
	struct sm_row_columns *c = &st->r->cols;
	if (!c->n)
		return SM_OK;
	if (index >= c->cap_rows)
		return SM_FAIL(ctx, SM_EINTERNAL, "row %zu beyond the %zu counted; expected fewer",
			       index + 1, c->cap_rows);
	for (size_t j = 0; j < c->n; j++) {
		char buf[SM_MAX_LABEL_BYTES + 1];
		const char *t = trimmed(row->fields[st->kept[j]], buf);
		if (!t || !strcmp(t, "NA"))
			continue;
		double v = NAN;
		const char *copy = sm_review_intern(st->r, t);
		if (!copy)
			return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		c->text[index * c->n + j] = copy;
		c->num[index * c->n + j] = sm_parse_number(t, &v) == SM_NUM_OK ? v : NAN;
	}
	return SM_OK;
}

static sm_status fill_outcome(struct sm_ctx *ctx, struct dstate *st,
			      const struct sm_csv_row *row, const struct sm_study *study,
			      struct sm_outcome *o)
{
	sm_status s;
	if ((s = shared_cell(ctx, st, row, R_SUB, &o->sub)) ||
	    (s = shared_cell(ctx, st, row, R_EVENT, &o->event)) ||
	    (s = shared_cell(ctx, st, row, R_DOMAIN, &o->domain)) ||
	    (s = kept_cells(ctx, st, row, (size_t)(o - st->r->outcomes))))
		return s;
	o->group = o->domain ? o->domain : sm_review_intern(st->r, "all");
	o->study_id = study->id;
	o->study = (size_t)(study - st->r->studies);
	o->label = o->sub ? sm_review_strf(st->r, "%s (%s)", study->label, o->sub)
			  : study->label;
	if (!o->year)
		o->year = study->year;
	o->src_file = st->file;
	if (!o->group || !o->label)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	return SM_OK;
}

static sm_status read_row(struct sm_ctx *ctx, const struct sm_csv_src *src, struct dstate *st,
			  const struct sm_csv_row *row)
{
	struct sm_outcome tmp;
	memset(&tmp, 0, sizeof tmp);
	tmp.ai = tmp.n1i = tmp.ci = tmp.n2i = tmp.xi = tmp.ni = tmp.yi = tmp.vi = NAN;
	if (st->col[R_STUDY] >= 0) {
		/* the study's slot in a map of a million labels is a cache
		 * miss: it loads while the numbers are parsed */
		char buf[SM_MAX_LABEL_BYTES + 1];
		const char *label = trimmed(row->fields[st->col[R_STUDY]], buf);
		if (label)
			sm_strmap_prefetch(st->studies, label);
	}
	sm_status s = read_numbers(ctx, src, st, row, &tmp);
	if (s == SM_OK)
		s = read_year(ctx, src, st, row, &tmp.year);
	size_t si = 0;
	if (s == SM_OK)
		s = row_study(ctx, src, st, row, tmp.year, &si);
	if (s != SM_OK)
		return s;
	struct sm_outcome *o = sm_review_add_outcome(st->r);
	if (!o)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	tmp.src_line = line_of(st, src, row->offsets[0]);
	*o = tmp;
	return fill_outcome(ctx, st, row, &st->r->studies[si], o);
}

static sm_status on_row(struct sm_ctx *ctx, const struct sm_csv_src *src,
			const struct sm_csv_row *row, void *user)
{
	struct dstate *st = user;
	if (row->index == 0)
		return read_header(ctx, src, st, row);
	return read_row(ctx, src, st, row);
}

static sm_status index_studies(struct sm_ctx *ctx, struct dstate *st)
{
	st->studies = sm_strmap_new();
	if (!st->studies)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	const struct sm_review *r = st->r;
	/* ids first: an id wins over an equal label of another study */
	for (size_t i = 0; i < r->n_studies; i++)
		if (sm_strmap_put(st->studies, r->studies[i].id, i, NULL) < 0)
			return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	for (size_t i = 0; i < r->n_studies; i++)
		if (sm_strmap_put(st->studies, r->studies[i].label, i, NULL) < 0)
			return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	return SM_OK;
}

/* Data rows the text can hold at most: one per line break, plus one. */
static size_t max_rows(const struct sm_csv_src *src)
{
	size_t n = 1;
	for (const char *p = src->data, *end = src->data + src->len;
	     (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
		n++;
	if (n == 1) /* old Mac line ends */
		for (size_t i = 0; i < src->len; i++)
			n += src->data[i] == '\r';
	return n < SM_MAX_ROWS ? n : SM_MAX_ROWS;
}

sm_status sm_dialect_read(struct sm_ctx *ctx, const struct sm_csv_src *src,
			  const struct sm_dialect_opts *opts, struct sm_review *r)
{
	struct dstate st = { .opts = opts, .r = r, .line_no = 1 };
	for (int i = 0; i < R_COUNT; i++)
		st.col[i] = -1;
	st.file = sm_review_intern_file(r, src->file);
	st.max_rows = max_rows(src);
	sm_status s = st.file ? index_studies(ctx, &st)
			      : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	if (s == SM_OK && sm_review_reserve(r, r->n_outcomes + st.max_rows, 0) != 0)
		s = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	size_t n_rows = 0;
	if (s == SM_OK)
		s = sm_csv_parse(ctx, src, on_row, &st, &n_rows);
	if (s == SM_OK && n_rows == 0)
		s = sm_csv_fail(ctx, src, 0, NULL,
				"empty file; expected a header line and data rows");
	else if (s == SM_OK && n_rows == 1)
		s = sm_csv_fail(ctx, src, st.header_off, NULL,
				"header only; expected at least one data row after it");
	if (s == SM_OK)
		r->kind = st.kind;
	sm_strmap_free(st.studies);
	sm_strmap_free(st.ignored);
	sm_strmap_free(st.named);
	free(st.names_text);
	for (size_t i = 0; st.header && i < st.n_cols; i++)
		free(st.header[i]);
	free(st.header);
	free(st.header_offs);
	free(st.kept);
	return s;
}
