/*
 * sm_review.h -- the in-memory systematic review: studies, outcome rows
 * (one per study x event/domain row of the source table), analysis settings
 * and the validated free-form parts (PRISMA flow, risk of bias, tables,
 * reported results) kept as cJSON trees.
 *
 * Produced by src/input/sm_review_read.h; every value here has already been
 * validated (counts are non-negative integers, events <= totals, totals > 0,
 * vi > 0, study ids unique, outcomes refer to existing studies, one data kind
 * per review).
 *
 * Ownership: a struct sm_review owns every string, array and cJSON tree it
 * points to; sm_review_free() releases all of it (NULL is a no-op).  All
 * its strings live in the review's string pool (sm_review_str and friends)
 * and are read-only; rows share them (an outcome's study_id is its study's
 * id, an unchanged label is the study's label, equal groups are one string),
 * so a million-row CSV costs its text once, not one allocation per cell.
 */
#ifndef SM_REVIEW_H
#define SM_REVIEW_H

#include "safemeta.h"

#include <cjson/cJSON.h>
#include <stddef.h>

enum sm_data_kind { SM_KIND_NONE, SM_KIND_2X2, SM_KIND_PROP, SM_KIND_GENERIC };

/* One analysable row.  Numbers not used by the data kind are NAN:
 * 2x2 uses ai, n1i, ci, n2i; PROP uses xi, ni; GENERIC uses yi, vi
 * (a given sei is stored as vi = sei^2). */
struct sm_outcome {
	const char *study_id;
	size_t study;      /* index of the study in sm_review.studies */
	const char *label; /* display label: study label + " (sub)" when sub is set */
	/* The separate outcome (analysis) the row belongs to: its domain, its
	 * event or "all", as sm_settings.outcome_by says.  Never a subgroup:
	 * subgroups of one analysis come from sm_settings.subgroup_by. */
	const char *group;
	const char *domain; /* the row's domain as written; NULL when absent */
	const char *event;  /* NULL when absent */
	const char *sub;    /* NULL when absent */
	const char *src_file; /* file the row came from (review JSON or CSV) */
	int year;             /* 0 = unknown */
	int src_line;         /* 1-based physical line of the row */
	double ai, n1i, ci, n2i, xi, ni, yi, vi;
};

struct sm_study {
	const char *id, *label, *ref; /* ref may be NULL */
	/* Characteristics in file order: key, display text, and for numeric
	 * ones (a JSON number or {"value", "unit"}) the number and its unit
	 * (char_numbers[i] NAN for text; char_units[i] NULL without a unit).
	 * char_numbers and char_units are NULL when the study has none. */
	size_t n_chars;
	const char **char_keys, **char_values;
	double *char_numbers;
	const char **char_units;
	int year;                     /* 0 = unknown */
	int src_line;                 /* line of the study in the review JSON; 0 unknown */
	size_t src_index;             /* index in the file's studies[] (field paths) */
};

/* Columns of an outcome CSV read as study characteristics because an
 * option or setting names them (--by, --mods, --cluster): per outcome row
 * and column its text (NULL when blank or "NA") and number (NAN when the
 * text is not a number).  Row-major: text[row * n + j]. */
struct sm_row_columns {
	size_t n;
	const char **names;  /* as written in the header */
	int *header_col;     /* 1-based column of each in its CSV */
	const char *file;    /* the CSV they come from */
	const char **text;
	double *num;
	size_t cap_rows;
};

/* Analysis settings exactly as written in the review; NULL / *_set == 0
 * means "not given" (the preset, or the analysis defaults, fill it in). */
struct sm_settings {
	/* outcome_by: which outcome field separates the analyses (domain,
	 * event or none; "group_by" is its older name).  subgroup_by: a column
	 * whose values are subgroups of each analysis; mods: moderators of a
	 * meta-regression (n_mods names). */
	const char *preset, *measure, *method, *test, *to, *outcome_by, *subgroup_by;
	const char **mods;
	size_t n_mods;
	const char *glmm; /* GLMM model for method GLMM (UM.FS, UM.RS, CM.EL, CM.AL) */
	double add, level; /* level in percent, e.g. 95 */
	int drop00;
	int add_set, level_set, drop00_set;
	/* unit of analysis: "standard" | "multilevel", a cluster column,
	 * "none" | "cr1" | "cr2"; aggregate per study (aggregate_set: given) */
	const char *model, *cluster, *robust;
	int aggregate, aggregate_set;
	int small_study_min_k; /* fewest studies for small-study tests; 0: not given */
	/* evidence of absence: the largest excess risk per 1000 treated that
	 * would matter (NAN when not given) */
	double harm_margin_per_1000;
	const char *arm_labels[2]; /* treated, control; NULL when not given */
	const char *outcome_label;
};

struct sm_strpool;
struct sm_strmap;

struct sm_review {
	const char *path; /* as given to the loader */
	const char *id, *title;
	enum sm_data_kind kind;
	struct sm_settings settings;
	struct sm_study *studies;
	size_t n_studies;
	struct sm_outcome *outcomes;
	size_t n_outcomes;
	/* Validated subtrees, owned; NULL when absent.  risk_of_bias always
	 * has a "domains" array (the tool's defaults are filled in). */
	cJSON *metadata, *prisma, *risk_of_bias, *tables, *reported;
	/* Counts reported only in total, one 2x2 table each (validated; NULL
	 * when absent): [{id, name, events_t, n_t, events_c, n_c, note}]. */
	cJSON *aggregate_tables;
	/* GRADE ratings per analysis (validated; NULL when absent):
	 * [{analysis, outcome, certainty, importance, control_risk_per_1000,
	 *   risk_of_bias .. publication_bias: {rating, footnote}}]. */
	cJSON *grade;
	const char **files; /* every file name outcome src_file points into */
	size_t n_files;
	struct sm_row_columns cols; /* n = 0 unless a CSV had named columns */
	/* internal: allocation sizes, the string pool, the intern table */
	size_t cap_studies, cap_outcomes;
	struct sm_strpool *strings;
	struct sm_strmap *interned;
};

/* An empty review (all counts zero, kind NONE); NULL on out of memory. */
struct sm_review *sm_review_new(void);
void sm_review_free(struct sm_review *r);

/* Strings owned by the review (read-only, freed with it); NULL on out of
 * memory.  sm_review_strn copies s[0..n). */
const char *sm_review_str(struct sm_review *r, const char *s);
const char *sm_review_strn(struct sm_review *r, const char *s, size_t n);
const char *sm_review_strf(struct sm_review *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* As sm_review_str, but equal strings come back as one copy: for values
 * that repeat on many rows (groups, events, sub-row letters). */
const char *sm_review_intern(struct sm_review *r, const char *s);

/* Makes room for this many outcomes and studies in all, so that a reader
 * that knows the row count up front fills arrays of the right size;
 * 0 on success, -1 on out of memory.  Counts at or below the current
 * capacity change nothing. */
int sm_review_reserve(struct sm_review *r, size_t n_outcomes, size_t n_studies);
/* Ends loading: drops the intern table and gives unused array capacity
 * back.  Adding rows afterwards still works. */
void sm_review_pack(struct sm_review *r);

/* Appends a zeroed outcome (numbers NAN) and returns it; NULL on out of
 * memory or when SM_MAX_ROWS would be exceeded (the caller reports). */
struct sm_outcome *sm_review_add_outcome(struct sm_review *r);
/* Appends a zeroed study and returns it; NULL on out of memory. */
struct sm_study *sm_review_add_study(struct sm_review *r);
/* Keeps a copy of a file name for outcome src_file; NULL on failure. */
const char *sm_review_intern_file(struct sm_review *r, const char *file);

/* Makes room for n named row columns over rows rows (text NULL, number
 * NAN); names are copied.  0 on success, -1 on out of memory. */
int sm_review_row_columns_init(struct sm_review *r, const char *file, const char *const *names,
			       const int *header_col, size_t n, size_t rows);

/* Study with this id, or NULL. Linear: for lookups in bulk build a map. */
const struct sm_study *sm_review_find_study(const struct sm_review *r, const char *id);

/* "2x2", "proportion", "generic" or "none". */
const char *sm_data_kind_name(enum sm_data_kind kind);

#endif
